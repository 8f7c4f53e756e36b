//! The transform's stages one at a time, for `benches/stages.rs`: detection, each parser,
//! enrichment+writing (one pass by design: fields are written as they are decoded), the
//! System-Health-Result path and JSON string escaping. Each stage is the code
//! [`Transformer`](crate::Transformer) runs. Hidden, not a stable API.

use crate::write::Json;
use crate::{Format, Options, ParseError, Transformer, detect, enrich, shr, write};

/// A transformer whose parsed record is kept between the parse and write stages.
#[derive(Debug)]
pub struct Stages {
    t: Transformer,
    text: String,
}

impl Stages {
    pub fn new(opts: Options) -> Self {
        Stages {
            t: Transformer::new(opts),
            text: String::new(),
        }
    }

    /// Format detection alone.
    pub fn detect(line: &str) -> Option<Format> {
        detect::detect(line)
    }

    /// Parses `line` as `format` (IAS, ODBC or DTS) into the kept record; its attribute count.
    pub fn parse(&mut self, format: Format, line: &str) -> Result<usize, ParseError> {
        self.t.parse_file_line(format, line)?;
        Ok(self.t.rec.attrs.len())
    }

    /// Enriches and writes the record last parsed from `line` (the same `line`).
    pub fn write(&mut self, line: &str, out: &mut Vec<u8>) {
        self.t.write_parsed(line, line, out);
    }

    /// Splits a System-Health-Result value and writes its validators; their count.
    pub fn health_result(&mut self, value: &str, out: &mut Vec<u8>) -> usize {
        let mut w = Json::new(out);
        w.begin_array();
        let mut n = 0;
        for v in shr::validators(value) {
            self.text.clear();
            enrich::write_validator(&mut w, &v, &mut self.text, true);
            n += 1;
        }
        w.end_array();
        n
    }

    /// JSON string escaping of one value.
    pub fn escape(value: &str, out: &mut Vec<u8>) {
        write::escape_into(out, value);
    }
}
