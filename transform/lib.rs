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
//! assert_eq!(doc["event"]["action"], "access-request");
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
mod envelope;
mod error_doc;
mod event_id;
mod ias;
pub mod lines;
mod odbc;
mod record;
mod shr;
#[cfg(feature = "internals")]
pub mod stages;
mod time;
mod transformer;
mod winevent;
mod write;

pub use error::{ErrorKind, ParseError};
pub use time::Zone;
pub use write::pretty;

pub use error_doc::{internal_error_document, internal_error_document_at};
pub use transformer::Transformer;

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
