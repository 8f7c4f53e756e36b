//! Why a line could not be turned into an event document.

use crate::Format;
use std::fmt;

/// The `error.type` of a `pipeline_error` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The line's format could not be recognised.
    UnknownFormat,
    /// The line looked like a known format but broke its rules.
    Parse,
    /// The line is longer than the configured limit.
    LineTooLong,
    /// A record handed over as one line holds a line end inside (`\n`, `\r`): more than
    /// one line, which a caller that hands over records one at a time must split first.
    MultipleLines,
    /// The transform itself failed (a bug); the line is kept.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::UnknownFormat => "unknown_format",
            ErrorKind::Parse => "parse_error",
            ErrorKind::LineTooLong => "line_too_long",
            ErrorKind::MultipleLines => "multiple_lines",
            ErrorKind::Internal => "internal_error",
        }
    }
}

/// A parse failure: which format was tried and where it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ErrorKind,
    pub format: Option<Format>,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(format: Format, message: impl Into<String>) -> Self {
        ParseError {
            kind: ErrorKind::Parse,
            format: Some(format),
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            Some(fmt) => write!(f, "{}: {}", fmt.name(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// At most `max` characters of `s` for an error message, cut on a char boundary.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
