//! Error documents: what a line that could not be read becomes (`event.kind`
//! `pipeline_error`, the line in `event.original`, `error.type` and `error.message`).

use crate::event_id::EventId;
use crate::write::{Json, k};
use crate::{ErrorKind, Outcome, ParseError, lines};

/// The `multiple_lines` error document for a record that should be one line but holds a
/// line end inside (after its trailing ones were removed), by the one rule of [`lines`].
pub(crate) fn multiple_lines(line: &str, at: Option<u64>, out: &mut Vec<u8>) -> Option<Outcome> {
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
pub(crate) fn write_error(e: &ParseError, original: &str, at: Option<u64>, out: &mut Vec<u8>) {
    let id = EventId::line(original, at);
    let mut w = Json::new(out);
    w.begin_object();
    w.object(k!("event"));
    w.str_field(k!("kind"), "pipeline_error");
    w.key(k!("id"));
    w.raw_string(id.as_bytes());
    if let Some(f) = e.format {
        w.str_field(k!("dataset"), f.dataset());
    }
    w.str_field(k!("module"), "nps");
    w.str_field(k!("original"), original);
    w.end_object();
    w.object(k!("error"));
    w.str_field(k!("type"), e.kind.as_str());
    w.str_field(k!("message"), &e.to_string());
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
