//! [`Transformer`]: a line in, its document out. Detects the format, parses, enriches; unwraps
//! a shipper's envelope around a line; turns what cannot be read into an error document.

use crate::envelope::{OFFSET_KEY, RawEnvelope, envelope, merge_envelope};
use crate::error_doc::{multiple_lines, write_error};
use crate::event_id::EventId;
use crate::record::Record;
use crate::{
    ErrorKind, Format, Options, Outcome, ParseError, detect, dts, enrich, ias, odbc, winevent,
};
use std::borrow::Cow;

/// Bytes of an over-long line kept in its error document.
const TOO_LONG_PREFIX: usize = 1024;

/// Turns lines into documents, reusing its buffers from line to line.
#[derive(Debug)]
pub struct Transformer {
    opts: Options,
    pub(crate) rec: Record,
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
        // Events are read from a tape of the line (strings borrowed, no tree); a tree is
        // built only for what is no event: an envelope, or an error to report.
        let tape = winevent::Doc::parse(line);
        if let Ok(doc) = &tape
            && let Some(ev) = winevent::from_json(doc.root())
        {
            return self.write_winevent(original, &ev, out);
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => return fail(format!("invalid JSON: {e}"), out),
        };
        if tape.is_err() {
            let doc = winevent::Doc::from_value(&v);
            if let Some(ev) = winevent::from_json(doc.root()) {
                return self.write_winevent(original, &ev, out);
            }
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
