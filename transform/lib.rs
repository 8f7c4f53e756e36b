//! nps-enrich: Microsoft NPS / IAS / NAP log lines in, enriched ECS-shaped JSON out.
//!
//! One line in, one document out, no state between lines. Every front end (the CLI, the
//! WASM packages) calls [`Transformer::transform`].
//!
//! ```
//! use nps_enrich::{Options, Transformer, Zone};
//! let mut t = Transformer::new(Options { zone: Zone::parse("+09:00").unwrap(), ..Options::default() });
//! let mut out = Vec::new();
//! t.transform(b"10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0", &mut out);
//! let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(doc["@timestamp"], "2008-01-17T13:13:40+09:00");
//! assert_eq!(doc["nps"]["packet_type"]["name"], "Access-Request");
//! ```
#![forbid(unsafe_code)]

// The code tables, the output reference and the per-stage entry points are the
// repository's own (tests, benches, docs generation): public only with `internals`.
#[cfg(feature = "internals")]
pub mod codes;
// Some tables are reference data only the tests and docs read.
#[cfg(not(feature = "internals"))]
#[allow(dead_code)]
mod codes;
pub mod error;
#[cfg(feature = "internals")]
pub mod schema;

mod class;
mod detect;
mod dts;
mod dupkeys;
mod enrich;
mod event_id;
mod ias;
pub mod lines;
mod odbc;
mod record;
mod shr;
#[cfg(feature = "internals")]
pub mod stages;
mod time;
mod winevent;
mod write;

pub use error::{ErrorKind, ParseError};
pub use time::Zone;
pub use write::pretty;

use event_id::EventId;
use record::Record;
use std::borrow::Cow;
use write::Json;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// IAS (legacy): header + `id,value` pairs.
    Ias,
    /// ODBC (legacy) / database-compatible: 66 (or 60) fixed columns.
    Odbc,
    /// DTS-compliant XML, one `<Event>` per line.
    Dts,
    /// A Windows Security event (JSON from a shipper, or event XML).
    WinEvent,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Ias, Format::Odbc, Format::Dts, Format::WinEvent];

    /// The name used by `--format` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ias => "ias",
            Format::Odbc => "odbc",
            Format::Dts => "dts",
            Format::WinEvent => "winevent",
        }
    }

    /// The `event.dataset` of documents from this format.
    pub fn dataset(self) -> &'static str {
        match self {
            Format::Ias => "nps.ias",
            Format::Odbc => "nps.odbc",
            Format::Dts => "nps.dts",
            Format::WinEvent => "windows.security",
        }
    }

    /// Parses a `--format` value.
    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
    }
}

/// How lines are read.
#[derive(Debug, Clone)]
pub struct Options {
    /// Zone of NPS file times (server local time). Default UTC; the CLI defaults to `local`.
    pub zone: Zone,
    /// Force one format instead of detecting it per line.
    pub format: Option<Format>,
    /// Copy the input line into `event.original` (always done on error documents).
    pub keep_original: bool,
    /// Longer lines become a `line_too_long` error document holding a prefix.
    pub max_line_bytes: usize,
    /// Which fields a document carries.
    pub fields: Fields,
}

/// Which fields a document carries. One schema for every profile: a profile only leaves
/// fields out, never reshapes them, so one index template serves all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fields {
    /// Each fact once (the default): typed, decoded fields; in `nps.attributes` only the
    /// attributes no typed field carries; one rendering of each code; an `nps.*` field left
    /// out where an ECS field holds the same value (`nps.client.ip` = `observer.ip`).
    #[default]
    Compact,
    /// Everything: every attribute raw in `nps.attributes` as well, every rendering of a
    /// code (`name`, `symbol`, `text`), the localised words beside their decoding.
    Full,
}

impl Fields {
    /// `compact` or `full`.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "compact" => Ok(Fields::Compact),
            "full" => Ok(Fields::Full),
            _ => Err(format!("unknown field profile '{name}': compact or full")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Fields::Compact => "compact",
            Fields::Full => "full",
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            zone: Zone::utc(),
            format: None,
            keep_original: false,
            max_line_bytes: 1 << 20,
            fields: Fields::Compact,
        }
    }
}

/// What [`Transformer::transform`] did with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Empty or white space only, or a shipper's envelope around such a line: nothing
    /// written.
    Blank,
    /// An event document was written.
    Event(Format),
    /// A `pipeline_error` document was written.
    Error(ErrorKind, Option<Format>),
}

/// Bytes of an over-long line kept in its error document.
const TOO_LONG_PREFIX: usize = 1024;

/// Turns lines into documents, reusing its buffers from line to line.
#[derive(Debug)]
pub struct Transformer {
    opts: Options,
    rec: Record,
    scratch: enrich::Scratch,
    /// Envelope nesting: an envelope's message is not itself unwrapped again.
    depth: u8,
    /// The position of the line being transformed (the byte offset of its start), when the
    /// caller or its envelope knows it: part of its `event.id`.
    at: Option<u64>,
}

impl Transformer {
    pub fn new(opts: Options) -> Self {
        Transformer {
            opts,
            rec: Record::default(),
            scratch: enrich::Scratch::default(),
            depth: 0,
            at: None,
        }
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Transforms one line and appends exactly one compact JSON document to `out` (no line
    /// end), unless the line is blank. A line end (`\n`, `\r\n`, lone `\r`) and a UTF-8 BOM
    /// are removed first; bytes that are not UTF-8 are replaced (U+FFFD). The line's
    /// position is unknown: its `event.id` comes from its text alone (see
    /// [`transform_at`](Self::transform_at)).
    pub fn transform(&mut self, input: &[u8], out: &mut Vec<u8>) -> Outcome {
        self.transform_at(input, None, out)
    }

    /// As [`transform`](Self::transform), for a line whose position is known: `at` is the
    /// byte offset of the line's start in its file or stream. It goes into the document's
    /// `event.id` (docs/output.md gives the construction), so the same line read again at
    /// the same place gets the same id and identical lines at two places get two.
    pub fn transform_at(&mut self, input: &[u8], at: Option<u64>, out: &mut Vec<u8>) -> Outcome {
        self.at = at;
        let mut input = input;
        while let [rest @ .., b'\n' | b'\r'] = input {
            input = rest;
        }
        if let [0xEF, 0xBB, 0xBF, rest @ ..] = input {
            input = rest;
        }
        if input.iter().all(u8::is_ascii_whitespace) {
            return Outcome::Blank;
        }
        if input.len() > self.opts.max_line_bytes {
            return self.transform_too_long_at(input, input.len(), at, out);
        }
        // Validate first (fast); replace bad bytes only when there are some.
        let line: Cow<'_, str> = match std::str::from_utf8(input) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(input),
        };
        // Line end and BOM are gone: one BOM only (a second is content, found by the
        // `event_xml` fuzzer).
        self.transform_inner(&line, &line, out)
    }

    /// Writes the `line_too_long` error document for a line `total_len` bytes long (without
    /// its line end) of which the caller kept `start` (readers bound their buffer at
    /// `max_line_bytes`).
    pub fn transform_too_long(
        &mut self,
        start: &[u8],
        total_len: usize,
        out: &mut Vec<u8>,
    ) -> Outcome {
        self.transform_too_long_at(start, total_len, None, out)
    }

    /// As [`transform_too_long`](Self::transform_too_long), for a line whose start is at
    /// byte offset `at` of its file or stream. Its `event.id` is made from the prefix kept
    /// in `event.original` (the rest of the line is not at hand) and `at`.
    pub fn transform_too_long_at(
        &mut self,
        start: &[u8],
        total_len: usize,
        at: Option<u64>,
        out: &mut Vec<u8>,
    ) -> Outcome {
        let mut cut = TOO_LONG_PREFIX.min(start.len());
        // Do not split a UTF-8 sequence.
        while cut > 0 && cut < start.len() && (start[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
        let prefix = String::from_utf8_lossy(&start[..cut]);
        let e = ParseError {
            kind: ErrorKind::LineTooLong,
            format: None,
            message: format!(
                "line of {total_len} bytes is longer than the limit of {} bytes; event.original holds its first {cut} bytes",
                self.opts.max_line_bytes
            ),
        };
        write_error(&e, &prefix, at, out);
        Outcome::Error(e.kind, None)
    }

    /// As [`transform`](Self::transform), for text already decoded.
    /// Its line is bounded by `max_line_bytes` as there, and, since text comes from a caller
    /// that hands over one line at a time (the JS `line()`), one that holds a line end
    /// inside gives a `multiple_lines` error document instead of two lines glued together.
    /// Its position is unknown (the JS `line()` is not told one).
    pub fn transform_str(&mut self, line: &str, out: &mut Vec<u8>) -> Outcome {
        self.at = None;
        let line = line.trim_end_matches(['\r', '\n']);
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if line.len() > self.opts.max_line_bytes {
            return self.transform_too_long(line.as_bytes(), line.len(), out);
        }
        if let Some(outcome) = multiple_lines(line, None, out) {
            return outcome;
        }
        self.transform_inner(line, line, out)
    }

    /// `line` is what is parsed; `original` what error documents and `--keep-original`
    /// carry: the line itself, or the whole JSON record for a Windows event.
    fn transform_inner(&mut self, line: &str, original: &str, out: &mut Vec<u8>) -> Outcome {
        // Blank means ASCII white space only, as in `transform`: a line of other control or
        // Unicode space characters is not empty input and gets a document.
        if line.bytes().all(|b| b.is_ascii_whitespace()) {
            return Outcome::Blank;
        }
        let Some(format) = self.opts.format.or_else(|| detect::detect(line)) else {
            let e = ParseError {
                kind: ErrorKind::UnknownFormat,
                format: None,
                message: "not an NPS log line: expected IAS, database-compatible (ODBC), DTS XML or a Windows Security event".into(),
            };
            write_error(&e, original, self.at, out);
            return Outcome::Error(e.kind, None);
        };
        if format == Format::WinEvent {
            return self.transform_event(line, original, out);
        }
        match self.parse_file_line(format, line) {
            Ok(()) => {
                self.write_parsed(line, original, out);
                Outcome::Event(format)
            }
            Err(e) => {
                write_error(&e, original, self.at, out);
                Outcome::Error(e.kind, Some(format))
            }
        }
    }
}

impl Transformer {
    /// Parses a log-file line (IAS, ODBC or DTS) into the kept record.
    pub(crate) fn parse_file_line(&mut self, format: Format, line: &str) -> Result<(), ParseError> {
        self.rec.clear();
        match format {
            Format::Ias => ias::parse(line, &mut self.rec),
            Format::Odbc => odbc::parse(line, &mut self.rec),
            Format::Dts => dts::parse(line, &mut self.rec),
            Format::WinEvent => Err(ParseError::new(
                Format::WinEvent,
                "a Windows event is not a log-file line",
            )),
        }
    }

    /// Writes the document of the record last parsed from `line`.
    pub(crate) fn write_parsed(&mut self, line: &str, original: &str, out: &mut Vec<u8>) {
        let src = enrich::Source {
            line,
            original,
            id: EventId::line(line, self.at),
        };
        enrich::write_event(src, &self.rec, &self.opts, &mut self.scratch, out, None);
    }

    /// A Windows event (JSON in a shipper's shape, or event XML), or a JSON envelope
    /// around an NPS line.
    fn transform_event(&mut self, line: &str, original: &str, out: &mut Vec<u8>) -> Outcome {
        let at = self.at;
        let fail = |msg: String, out: &mut Vec<u8>| {
            let e = ParseError::new(Format::WinEvent, msg);
            write_error(&e, original, at, out);
            Outcome::Error(e.kind, Some(Format::WinEvent))
        };
        if !line.trim_start().starts_with('{') {
            return match winevent::from_xml(line) {
                Ok(ev) => self.write_winevent(original, &ev, out),
                Err(m) => fail(m, out),
            };
        }
        // The common case first, without building a JSON tree: an envelope (Fluent Bit
        // `{"log": …}`, Vector/Filebeat `{"message": …}`) around a log line.
        if self.depth == 0
            && let Some(env) = RawEnvelope::parse(line)
        {
            // A blank line in an envelope is skipped as a blank line is (no document).
            let Some(outcome) = self.transform_wrapped(&env.inner, env.offset(), out) else {
                return Outcome::Blank;
            };
            env.merge_into(out);
            return outcome;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => return fail(format!("invalid JSON: {e}"), out),
        };
        if let Some(ev) = winevent::from_json(&v) {
            return self.write_winevent(original, &ev, out);
        }
        if self.depth == 0
            && let Some((inner, envelope)) = envelope(&v)
        {
            let offset = envelope.get(OFFSET_KEY).and_then(serde_json::Value::as_u64);
            let Some(outcome) = self.transform_wrapped(inner, offset, out) else {
                // A record with an event's keys is not skipped for a blank message: it is
                // an event that could not be read (a damaged one), and must say so.
                if envelope.keys().any(|k| winevent::marks_an_event(k)) {
                    return fail(
                        "a JSON object with a Windows event's keys but not a known event shape, and an empty message".into(),
                        out,
                    );
                }
                return Outcome::Blank;
            };
            merge_envelope(out, envelope);
            return outcome;
        }
        fail(
            "a JSON object that is neither a known Windows event shape nor an envelope with a `message` or `log` string".into(),
            out,
        )
    }

    /// The line inside a shipper's record: its document, or `None` when the line is blank.
    /// Both envelope paths come here, so they read the inner line alike; it is the
    /// document's original (the record's other keys are merged after). Its `event.id` is
    /// the inner line's, at the envelope's `offset` when it has one (the shipper's position
    /// of the line in its file), else at the caller's position of the record.
    fn transform_wrapped(
        &mut self,
        inner: &str,
        offset: Option<u64>,
        out: &mut Vec<u8>,
    ) -> Option<Outcome> {
        // A shipper may leave the CR of a CRLF file in `log`, and the BOM of a file's first
        // line (Fluent Bit's tail does): both go, as on the line path.
        let inner = inner.trim_end_matches(['\r', '\n']);
        let inner = inner.strip_prefix('\u{feff}').unwrap_or(inner);
        let start = out.len();
        let outer_at = self.at;
        let at = offset.or(outer_at);
        // A shipper that split at `\n` only (Fluent Bit's tail, Vector's file source) hands
        // over lines that ended at a lone `\r` glued together: say so, keep them all.
        if let Some(outcome) = multiple_lines(inner, at, out) {
            return Some(outcome);
        }
        self.depth += 1;
        self.at = at;
        let outcome = self.transform_inner(inner, inner, out);
        self.at = outer_at;
        self.depth -= 1;
        if outcome == Outcome::Blank || out.len() == start {
            out.truncate(start);
            None
        } else {
            Some(outcome)
        }
    }

    fn write_winevent(
        &mut self,
        line: &str,
        ev: &winevent::Event<'_>,
        out: &mut Vec<u8>,
    ) -> Outcome {
        if ev.event_id.is_none() {
            let e = ParseError::new(
                Format::WinEvent,
                format!(
                    "{} event without an event id (a number from 0 to 65535)",
                    ev.shape
                ),
            );
            write_error(&e, line, self.at, out);
            return Outcome::Error(e.kind, Some(Format::WinEvent));
        }
        // The record id is what Windows keeps unique per channel, and it survives a shipper
        // re-serialising the event after a restart (with new collection-time fields such as
        // `event.created` or `agent.*`, or its keys in another order), which the text does
        // not: hash the event's identity when it has one, else its text at its position.
        let id = match ev.record_id.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(record) => EventId::windows_record(
                ev.computer.as_deref().unwrap_or_default(),
                ev.channel.as_deref().unwrap_or_default(),
                ev.provider.as_deref().unwrap_or_default(),
                ev.event_id.unwrap_or_default(),
                record,
            ),
            None => EventId::line(line, self.at),
        };
        let digest = winevent::Digest::new(ev, &self.opts.zone);
        self.rec.clear();
        self.rec.format = Some(Format::WinEvent);
        if digest.is_nps() {
            winevent::fill_record(&digest.data, &mut self.rec);
        }
        let src = enrich::Source {
            line,
            original: line,
            id,
        };
        enrich::write_event(
            src,
            &self.rec,
            &self.opts,
            &mut self.scratch,
            out,
            Some(&digest),
        );
        Outcome::Event(Format::WinEvent)
    }
}

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
const OFFSET_KEY: &str = "offset";

/// An envelope read without a JSON tree: the inner line (borrowed unless it had escapes)
/// and the other members as raw JSON text, copied to the output as they are.
struct RawEnvelope<'a> {
    inner: std::borrow::Cow<'a, str>,
    inner_key: &'a str,
    members: std::collections::BTreeMap<&'a str, &'a serde_json::value::RawValue>,
}

impl<'a> RawEnvelope<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        // Most Windows events have neither key: skip the scan. A shipper's record often
        // starts with it (`{"log":…`), which answers without a search. (A key written with
        // escapes misses here and takes the JSON-tree path, which reads envelopes too.)
        let b = line.as_bytes();
        let first = line
            .trim_start()
            .strip_prefix('{')
            .map_or("", str::trim_start);
        let has_key = first.starts_with("\"log\"")
            || first.starts_with("\"message\"")
            || memchr::memmem::find(b, b"\"message\"").is_some()
            || memchr::memmem::find(b, b"\"log\"").is_some();
        if !has_key {
            return None;
        }
        let members: std::collections::BTreeMap<&'a str, &'a serde_json::value::RawValue> =
            serde_json::from_str(line).ok()?;
        if members.keys().any(|k| {
            winevent::marks_an_event(k) || k.starts_with("winlog") || k.starts_with("event.")
        }) {
            return None;
        }
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
    fn offset(&self) -> Option<u64> {
        let raw = self.members.get(OFFSET_KEY)?.get();
        raw.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| raw.parse().ok())?
    }

    fn merge_into(&self, out: &mut Vec<u8>) {
        let members = self
            .members
            .iter()
            .filter(|(k, _)| **k != self.inner_key)
            .map(|(k, v)| (*k, std::borrow::Cow::Borrowed(v.get())));
        merge_members(out, members);
    }
}

/// An object carrying a raw line in `message` (Vector, Filebeat) or `log` (Fluent Bit tail).
fn envelope(v: &serde_json::Value) -> Option<(&str, &serde_json::Map<String, serde_json::Value>)> {
    let obj = v.as_object()?;
    ["message", "log"]
        .into_iter()
        .find_map(|k| obj.get(k).and_then(|m| m.as_str()))
        .map(|inner| (inner, obj))
}

/// Appends the envelope's other keys (from a JSON tree) to the document just written.
fn merge_envelope(out: &mut Vec<u8>, envelope: &serde_json::Map<String, serde_json::Value>) {
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

/// The `multiple_lines` error document for a record that should be one line but holds a
/// line end inside (after its trailing ones were removed), by the one rule of [`lines`].
fn multiple_lines(line: &str, at: Option<u64>, out: &mut Vec<u8>) -> Option<Outcome> {
    memchr::memchr2(b'\n', b'\r', line.as_bytes())?;
    let n = lines::lines(line.as_bytes()).count();
    let e = ParseError {
        kind: ErrorKind::MultipleLines,
        format: None,
        message: format!(
            "the record holds {n} lines (a line ends at \\n, \\r\\n or a lone \\r): split it into lines first; event.original holds them all"
        ),
    };
    write_error(&e, line, at, out);
    Some(Outcome::Error(e.kind, None))
}

/// `{"event":{"kind":"pipeline_error","id":…,…,"original":…},"error":{"type":…,"message":…}}`
/// The id is made from `original` (what the document carries) at `at`: the text that could
/// not be read is all there is, and anyone can recompute it from the document.
fn write_error(e: &ParseError, original: &str, at: Option<u64>, out: &mut Vec<u8>) {
    let id = EventId::line(original, at);
    let mut w = Json::new(out);
    w.begin_object();
    w.object("event");
    w.str_field("kind", "pipeline_error");
    w.key("id");
    w.raw_string(id.as_bytes());
    if let Some(f) = e.format {
        w.str_field("dataset", f.dataset());
    }
    w.str_field("module", "nps");
    w.str_field("original", original);
    w.end_object();
    w.object("error");
    w.str_field("type", e.kind.as_str());
    w.str_field("message", &e.to_string());
    w.end_object();
    w.end_object();
}

/// The document for a line whose processing failed inside the library (a bug): front ends
/// that catch panics write this so the line is still accounted for. Its position is unknown
/// (see [`internal_error_document_at`]).
pub fn internal_error_document(line: &[u8], out: &mut Vec<u8>) {
    internal_error_document_at(line, None, out);
}

/// As [`internal_error_document`], for a line that starts at byte offset `at` of its file
/// or stream: its `event.id` is made from `event.original` (the line as given, decoded) and
/// `at`, as for every error document.
pub fn internal_error_document_at(line: &[u8], at: Option<u64>, out: &mut Vec<u8>) {
    let e = ParseError {
        kind: ErrorKind::Internal,
        format: None,
        message: "internal error while transforming this line; please report it with the line"
            .into(),
    };
    write_error(&e, &String::from_utf8_lossy(line), at, out);
}
