//! The format-neutral parse result: NPS attributes as (key, value) in input order, repeats
//! kept, plus the record header. Values are spans into the input line, or into a scratch
//! buffer when decoding changed them (XML entities, doubled CSV quotes), so a `Record` is
//! reused from line to line without allocating.

use crate::Format;
use crate::time::LocalTime;

/// A byte range of the input line, or of the record's scratch buffer when `owned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    owned: bool,
}

impl Span {
    pub(crate) fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// How an attribute is named in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A numeric attribute id (IAS pairs, ODBC columns, DTS names found in the dictionary).
    Id(i32),
    /// A DTS element name the dictionary does not know; kept as written.
    Name(Span),
}

/// One attribute occurrence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attr {
    pub key: Key,
    pub value: Span,
    pub form: Form,
}

/// What the source says about the form of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Nothing (IAS, ODBC, event data): read by the attribute's dictionary type.
    Untyped,
    /// DTS `data_type`: 0 integer, 1 text, 2 hex octets, 3 IPv4, 4 time.
    Dts(u8),
    /// An event's rendered word that the code tables could not map back to its code.
    Rendered,
}

impl Form {
    /// Hex digits without `0x` (DTS data_type 2).
    pub(crate) fn is_bare_hex(self) -> bool {
        self == Form::Dts(2)
    }
}

/// The parse result for one line.
#[derive(Debug, Default)]
pub(crate) struct Record {
    pub format: Option<Format>,
    /// Record date and time, server local time.
    pub time: Option<LocalTime>,
    /// NPS server name (IAS Computer-Name, ODBC ComputerName, DTS Computer-Name).
    pub computer: Option<Span>,
    /// Service name: `IAS` or `RAS` (DTS Event-Source).
    pub service: Option<Span>,
    /// IAS header User-Name (the pairs may not repeat it).
    pub header_user: Option<Span>,
    /// IAS header NAS-IP-Address field; NPS writes the RADIUS client address here when the
    /// NAS sent no NAS-IP-Address, so it is not taken as attribute 4.
    pub header_nas_ip: Option<Span>,
    pub attrs: Vec<Attr>,
    scratch: String,
}

impl Record {
    pub(crate) fn clear(&mut self) {
        self.format = None;
        self.time = None;
        self.computer = None;
        self.service = None;
        self.header_user = None;
        self.header_nas_ip = None;
        self.attrs.clear();
        self.scratch.clear();
    }

    /// The span of `part`, which must be a sub-slice of `line`.
    pub(crate) fn span_in(line: &str, part: &str) -> Span {
        let start = (part.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
        debug_assert!(start <= line.len() && start + part.len() <= line.len());
        Span {
            start: start as u32,
            end: (start + part.len()) as u32,
            owned: false,
        }
    }

    /// The span of `part`: borrowed when it lies inside `line`, else copied to scratch.
    pub(crate) fn span_of(&mut self, line: &str, part: &str) -> Span {
        let base = line.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        if p >= base && p + part.len() <= base + line.len() {
            Self::span_in(line, part)
        } else {
            self.push_owned(part)
        }
    }

    /// Copies `text` into the scratch buffer.
    pub(crate) fn push_owned(&mut self, text: &str) -> Span {
        let start = self.scratch.len();
        self.scratch.push_str(text);
        Span {
            start: start as u32,
            end: self.scratch.len() as u32,
            owned: true,
        }
    }

    /// Starts an owned value built piece by piece with `scratch_mut` and closed by `finish_owned`.
    pub(crate) fn begin_owned(&self) -> usize {
        self.scratch.len()
    }

    pub(crate) fn scratch_mut(&mut self) -> &mut String {
        &mut self.scratch
    }

    pub(crate) fn finish_owned(&self, start: usize) -> Span {
        Span {
            start: start as u32,
            end: self.scratch.len() as u32,
            owned: true,
        }
    }

    /// The text of `span`; `line` is the line the record was parsed from.
    pub(crate) fn text<'a>(&'a self, line: &'a str, span: Span) -> &'a str {
        let src = if span.owned {
            self.scratch.as_str()
        } else {
            line
        };
        src.get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub(crate) fn push(&mut self, key: Key, value: Span, form: Form) {
        self.attrs.push(Attr { key, value, form });
    }
}
