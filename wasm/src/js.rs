//! The JS API: `new Transformer(options)`, `.line(text)`, `.lines(text)`, and the one-shot
//! `transform(text, options)`. Bad log input never throws: it gives an error document, as in
//! the CLI. Only bad options (an unknown time zone or format) throw.

use nps_enrich::{Format, Options, Zone};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &str = r#"
/** How lines are read. */
export interface TransformOptions {
  /** Zone of the NPS server's clock: an IANA name ("Asia/Tokyo"), an offset ("+09:00") or "UTC" (default). */
  timezone?: string;
  /** Copy each line into event.original (error documents always carry it). */
  keepOriginal?: boolean;
  /** "auto" (default) detects the format per line; or "ias", "odbc", "dts", "winevent". */
  format?: "auto" | "ias" | "odbc" | "dts" | "winevent";
  /** Longer lines give a line_too_long error document (default 1 MiB). */
  maxLineBytes?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The options object, read through its properties (duck-typed).
    #[wasm_bindgen(typescript_type = "TransformOptions")]
    pub type TransformOptions;

    #[wasm_bindgen(method, getter)]
    fn timezone(this: &TransformOptions) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = keepOriginal)]
    fn keep_original(this: &TransformOptions) -> Option<bool>;
    #[wasm_bindgen(method, getter)]
    fn format(this: &TransformOptions) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = maxLineBytes)]
    fn max_line_bytes(this: &TransformOptions) -> Option<f64>;
}

fn options(o: Option<TransformOptions>) -> Result<Options, JsError> {
    let mut opts = Options::default(); // UTC: WASM has no system zone
    let Some(o) = o else { return Ok(opts) };
    if let Some(tz) = o.timezone() {
        opts.zone = Zone::parse(&tz).map_err(|e| JsError::new(&e))?;
    }
    opts.keep_original = o.keep_original().unwrap_or(false);
    if let Some(f) = o.format().filter(|f| f != "auto") {
        opts.format = Some(Format::from_name(&f).ok_or_else(|| {
            JsError::new(&format!(
                "unknown format '{f}': use auto, ias, odbc, dts or winevent"
            ))
        })?);
    }
    if let Some(n) = o.max_line_bytes().filter(|n| *n >= 1.0) {
        opts.max_line_bytes = n as usize;
    }
    Ok(opts)
}

/// Turns NPS log lines and Windows events into enriched JSON documents.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Transformer {
    inner: nps_enrich::Transformer,
    out: Vec<u8>,
}

#[wasm_bindgen]
impl Transformer {
    /// Builds a transformer; throws on an unknown time zone or format.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<TransformOptions>) -> Result<Transformer, JsError> {
        Ok(Transformer {
            inner: nps_enrich::Transformer::new(self::options(options)?),
            out: Vec::with_capacity(4096),
        })
    }

    /// One line → one JSON document (an error document for a line that cannot be parsed);
    /// `""` for a blank line.
    pub fn line(&mut self, text: &str) -> String {
        self.out.clear();
        self.inner.transform_str(text, &mut self.out);
        String::from_utf8_lossy(&self.out).into_owned()
    }

    /// A chunk of text → NDJSON: one document and `\n` per non-blank line.
    pub fn lines(&mut self, text: &str) -> String {
        // Documents are about six times their line: one buffer, written in place.
        let mut all = Vec::with_capacity(text.len() * 6 + 1024);
        for line in text.split('\n') {
            let start = all.len();
            self.inner.transform_str(line, &mut all);
            if all.len() > start {
                all.push(b'\n');
            }
        }
        String::from_utf8(all).unwrap_or_default()
    }
}

/// One-shot: every line of `text` → NDJSON.
#[wasm_bindgen]
pub fn transform(text: &str, options: Option<TransformOptions>) -> Result<String, JsError> {
    Ok(Transformer::new(options)?.lines(text))
}

/// The package version (the same as the crate and the CLI).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
