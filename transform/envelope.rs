//! A shipper's record around a line (`{"message": …}` from Vector and Filebeat, `{"log": …}`
//! from Fluent Bit's tail): found, its line taken out, its other members merged into the
//! line's document.

use crate::{dupkeys, winevent, write};

/// Top-level keys a document of ours can have; an envelope key with one of these names is
/// kept under `envelope.<key>` instead of replacing ours.
const OUR_KEYS: &[&str] = &[
    "@timestamp",
    "event",
    "host",
    "user",
    "source",
    "observer",
    "rule",
    "related",
    "winlog",
    "nps",
    "ipsec",
    "error",
    "envelope",
];

/// The envelope member holding the line's position in its file, as a non-negative integer:
/// the byte offset of the line's start, as Vector's `file` source writes it under its
/// `offset_key` and Fluent Bit's `tail` under its `Offset_Key` (both configured to
/// `offset` in vector-config/). Any other value (a string, a negative or fractional number)
/// is not a position and is ignored.
pub(crate) const OFFSET_KEY: &str = "offset";

/// An envelope read without a JSON tree: the inner line (borrowed unless it had escapes)
/// and the other members as raw JSON text, copied to the output as they are.
pub(crate) struct RawEnvelope<'a> {
    pub(crate) inner: std::borrow::Cow<'a, str>,
    inner_key: &'a str,
    members: std::collections::BTreeMap<&'a str, &'a serde_json::value::RawValue>,
}

impl<'a> RawEnvelope<'a> {
    pub(crate) fn parse(line: &'a str) -> Option<Self> {
        // Most Windows events have neither key: skip the scan. A shipper's record often
        // starts with it (`{"log":…`), which answers without a search. (A key written with
        // escapes misses here and takes the JSON-tree path, which reads envelopes too.)
        let b = line.as_bytes();
        let first = line
            .trim_start()
            .strip_prefix('{')
            .map_or("", str::trim_start);
        // The searchers are made once (making one costs more than a search of a line).
        static FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
            std::sync::LazyLock::new(|| {
                [
                    memchr::memmem::Finder::new(b"\"message\""),
                    memchr::memmem::Finder::new(b"\"log\""),
                ]
            });
        let has_key = first.starts_with("\"log\"")
            || first.starts_with("\"message\"")
            || FINDERS.iter().any(|f| f.find(b).is_some());
        if !has_key {
            return None;
        }
        // Read up to the first key that marks an event (then it is none: an event's record
        // often has a `message` too, and its other members need not be read).
        let mut de = serde_json::Deserializer::from_str(line);
        let members = serde::de::DeserializeSeed::deserialize(Members, &mut de).ok()??;
        de.end().ok()?;
        let (inner_key, raw) = ["message", "log"]
            .into_iter()
            .find_map(|k| members.get_key_value(k))
            .filter(|(_, raw)| raw.get().starts_with('"'))?;
        let inner: std::borrow::Cow<'a, str> = serde_json::from_str(raw.get()).ok()?;
        // Members are copied as written: one with a key twice inside, or a number out of
        // range, must go through the JSON tree instead (which keeps the last of a key, and
        // refuses such a number), so the document never has either.
        if members.values().any(|raw| !dupkeys::copy_safe(raw.get())) {
            return None;
        }
        Some(RawEnvelope {
            inner,
            inner_key,
            members,
        })
    }

    /// The `offset` member, when it is a non-negative integer.
    pub(crate) fn offset(&self) -> Option<u64> {
        let raw = self.members.get(OFFSET_KEY)?.get();
        raw.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| raw.parse().ok())?
    }

    pub(crate) fn merge_into(&self, out: &mut Vec<u8>) {
        let members = self
            .members
            .iter()
            .filter(|(k, _)| **k != self.inner_key)
            .map(|(k, v)| (*k, std::borrow::Cow::Borrowed(v.get())));
        merge_members(out, members);
    }
}

type RawMembers<'a> = std::collections::BTreeMap<&'a str, &'a serde_json::value::RawValue>;

/// An envelope's members as written, or `None` at the first key that marks an event.
struct Members;

fn marks_an_event(k: &str) -> bool {
    winevent::marks_an_event(k) || k.starts_with("winlog") || k.starts_with("event.")
}

impl<'de> serde::de::DeserializeSeed<'de> for Members {
    type Value = Option<RawMembers<'de>>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Members {
    type Value = Option<RawMembers<'de>>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = RawMembers::new();
        while let Some(k) = map.next_key::<&'de str>()? {
            if marks_an_event(k) {
                return Ok(None);
            }
            members.insert(k, map.next_value()?);
        }
        Ok(Some(members))
    }
}

/// An object carrying a raw line in `message` (Vector, Filebeat) or `log` (Fluent Bit tail).
pub(crate) fn envelope(
    v: &serde_json::Value,
) -> Option<(&str, &serde_json::Map<String, serde_json::Value>)> {
    let obj = v.as_object()?;
    ["message", "log"]
        .into_iter()
        .find_map(|k| obj.get(k).and_then(|m| m.as_str()))
        .map(|inner| (inner, obj))
}

/// Appends the envelope's other keys (from a JSON tree) to the document just written.
pub(crate) fn merge_envelope(
    out: &mut Vec<u8>,
    envelope: &serde_json::Map<String, serde_json::Value>,
) {
    let inner_key = if envelope.get("message").is_some_and(|m| m.is_string()) {
        "message"
    } else {
        "log"
    };
    let members = envelope
        .iter()
        .filter(|(k, _)| k.as_str() != inner_key)
        .map(|(k, v)| (k.as_str(), std::borrow::Cow::Owned(v.to_string())));
    merge_members(out, members);
}

/// Appends `(key, JSON text)` members to the document just written at the end of `out`;
/// a key that would replace one of ours is kept under `envelope.<key>` instead.
fn merge_members<'k, 'v>(
    out: &mut Vec<u8>,
    members: impl Iterator<Item = (&'k str, std::borrow::Cow<'v, str>)>,
) {
    if out.last() != Some(&b'}') {
        return;
    }
    out.pop();
    let mut clashes = Vec::new();
    for (k, v) in members {
        if OUR_KEYS.contains(&k) {
            clashes.push((k, v));
            continue;
        }
        out.push(b',');
        write::escape_into(out, k);
        out.push(b':');
        push_raw(out, &v);
    }
    if !clashes.is_empty() {
        out.extend_from_slice(b",\"envelope\":{");
        for (i, (k, v)) in clashes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write::escape_into(out, k);
            out.push(b':');
            push_raw(out, v);
        }
        out.push(b'}');
    }
    out.push(b'}');
}

/// Appends JSON text copied from the input. It was parsed, so a line break in it can only
/// be white space between tokens (a string cannot hold one raw): drop it, so the document
/// stays on one line (found by the `event_xml` fuzzer).
fn push_raw(out: &mut Vec<u8>, json: &str) {
    let b = json.as_bytes();
    if memchr::memchr2(b'\n', b'\r', b).is_none() {
        out.extend_from_slice(b);
    } else {
        out.extend(b.iter().filter(|&&c| c != b'\n' && c != b'\r'));
    }
}
