//! The invariants every document must keep, whatever the input: shared by the property
//! tests, the adversarial tests and the fuzz targets (`#[path]`-included), so all three
//! hold the transform to the same contract (docs/output.md):
//!
//! - a blank line gives nothing, and so does a shipper's envelope (`{"message": …}`,
//!   `{"log": …}`) around one; nothing else does;
//! - anything else gives exactly one line of output, one JSON object with no duplicate
//!   keys (Elasticsearch rejects a document with duplicate keys: evidence lost);
//! - an error document says `pipeline_error` and carries the line in `event.original`
//!   (an envelope's error, its inner line), except a too-long line (a prefix).

#![allow(dead_code)]

use nps_enrich::Outcome;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Parses `bytes` as exactly one JSON value, refusing duplicate keys at any depth.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = de.deserialize_any(Strict).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

struct Strict;

impl<'de> de::DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Strict)?;
            if out.insert(k.clone(), v).is_some() {
                return Err(de::Error::custom(format!("duplicate key {k:?}")));
            }
        }
        Ok(Value::Object(out))
    }
}

/// The line as the transform sees it: without its line end and UTF-8 BOM.
pub fn core(input: &[u8]) -> &[u8] {
    let mut core = input;
    while let [rest @ .., b'\n' | b'\r'] = core {
        core = rest;
    }
    core.strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(core)
}

/// A JSON object whose first string of `message`, `log` (the envelope keys) is blank once
/// its line end and BOM are gone, and that has none of a Windows event's keys (an event
/// with an empty message, even a damaged one, is never dropped).
fn blank_envelope(core: &[u8]) -> bool {
    let Ok(Value::Object(o)) = serde_json::from_str::<Value>(&String::from_utf8_lossy(core)) else {
        return false;
    };
    let event_keys = ["event_id", "EventID", "winlog", "System", "Event", "event"];
    if event_keys.iter().any(|k| o.contains_key(*k)) {
        return false;
    }
    ["message", "log"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .is_some_and(|inner| {
            let inner = inner.trim_end_matches(['\r', '\n']);
            let inner = inner.strip_prefix('\u{feff}').unwrap_or(inner);
            inner.bytes().all(|b| b.is_ascii_whitespace())
        })
}

/// Checks what `transform` reported and wrote for `input`; the document, parsed.
pub fn check(input: &[u8], outcome: Outcome, out: &[u8]) -> Result<Option<Value>, String> {
    let core = core(input);
    if outcome == Outcome::Blank {
        if !out.is_empty() {
            return Err("a blank line wrote output".into());
        }
        if !core.iter().all(u8::is_ascii_whitespace) && !blank_envelope(core) {
            return Err(format!("not blank: {core:?}"));
        }
        return Ok(None);
    }
    if out.contains(&b'\n') {
        return Err("more than one line of output".into());
    }
    let v = parse_strict(out).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(out)))?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    let head = Head {
        event: EventHead {
            kind: v["event"]["kind"].as_str().map(String::from),
            id: v["event"]["id"].as_str().map(String::from),
            original: v["event"]["original"].as_str().map(String::from),
        },
        error: v["error"]["type"].as_str().map(|t| ErrorHead {
            kind: t.to_string(),
        }),
    };
    check_head(core, outcome, &head)?;
    Ok(Some(v))
}

/// As [`check`] without building the document's tree (for the fuzzers' speed): a
/// duplicate-key walk, then only the members the contract names.
pub fn check_fast(input: &[u8], outcome: Outcome, out: &[u8]) -> Result<(), String> {
    if outcome == Outcome::Blank || out.contains(&b'\n') || !out.starts_with(b"{") {
        return check(input, outcome, out).map(drop);
    }
    let mut de = serde_json::Deserializer::from_slice(out);
    de.deserialize_any(NoDup)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(out)))?;
    de.end().map_err(|e| e.to_string())?;
    let head: Head = serde_json::from_slice(out).map_err(|e| e.to_string())?;
    check_head(core(input), outcome, &head)
}

#[derive(serde::Deserialize)]
struct Head {
    event: EventHead,
    error: Option<ErrorHead>,
}

#[derive(serde::Deserialize)]
struct EventHead {
    kind: Option<String>,
    id: Option<String>,
    original: Option<String>,
}

#[derive(serde::Deserialize)]
struct ErrorHead {
    #[serde(rename = "type")]
    kind: String,
}

fn check_head(core: &[u8], outcome: Outcome, head: &Head) -> Result<(), String> {
    let kind = head.event.kind.as_deref().unwrap_or_default();
    // Every document, error documents too, is named by a deterministic id.
    let id = head.event.id.as_deref().unwrap_or_default();
    if id.len() != 32 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(format!("event.id {id:?} is not 32 lowercase hex digits"));
    }
    match outcome {
        Outcome::Error(..) => {
            if kind != "pipeline_error" {
                return Err(format!("error document of kind {kind}"));
            }
            if head.error.as_ref().map(|e| e.kind.as_str()) != Some("line_too_long") {
                let want = String::from_utf8_lossy(core);
                // An envelope's error carries its inner line; anything else the line itself.
                let inner = serde_json::from_str::<Value>(&want).ok().and_then(|e| {
                    ["message", "log"]
                        .iter()
                        .find_map(|k| e.get(*k)?.as_str().map(String::from))
                });
                let original = head.event.original.as_deref().unwrap_or_default();
                let inner = inner.as_deref().map(|s| s.trim_end_matches(['\r', '\n']));
                if original != want && Some(original) != inner {
                    return Err(format!("original {original:?} for input {want:?}"));
                }
            }
        }
        _ if kind != "event" => return Err(format!("event document of kind {kind}")),
        _ => {}
    }
    Ok(())
}

/// Walks JSON refusing a duplicate key, building nothing. Written apart from the library's
/// own check (`transform/dupkeys.rs`) on purpose: the oracle must not share the code it
/// judges.
struct NoDup;

impl<'de> de::DeserializeSeed<'de> for NoDup {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(NoDup)
    }
}

impl<'de> Visitor<'de> for NoDup {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(NoDup)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !keys.insert(k.clone()) {
                return Err(de::Error::custom(format!("duplicate key {k:?}")));
            }
            map.next_value_seed(NoDup)?;
        }
        Ok(())
    }
}
