//! The JS API: `new Transformer(options)`, `.line(text)`, `.lines(text)`, and the one-shot
//! `transform(text, options)`. Bad log input never throws: it gives an error document, as in
//! the CLI. What throws is a wrong argument (`TypeError`, naming it and what it got), a bad
//! option value (`RangeError`), and a chunk whose documents cannot be one JS string
//! (`RangeError`, saying to split the text).
//!
//! Every argument arrives as a `JsValue` and is checked here: wasm-bindgen's own conversion
//! of a `&str` argument does not check the type, and a number given for a string traps. No
//! path below may trap either (the `wasm-js` profile aborts on panic, and a trap inside a
//! method leaves the object borrowed for good): large buffers are reserved with
//! `try_reserve` first, and a chunk is read from its JS string in bounded pieces.

use nps_enrich::lines::Splitter;
use nps_enrich::{Format, Options, Zone};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &str = r#"
/** How lines are read. Any other key throws a TypeError (a misspelt `timeZone` would otherwise read times as UTC). */
export interface TransformOptions {
  /** Zone of the NPS server's clock: an IANA name ("Asia/Tokyo"), an offset ("+09:00") or "UTC" (default). */
  timezone?: string;
  /** Copy each line into event.original (error documents always carry it). */
  keepOriginal?: boolean;
  /** "auto" (default) detects the format per line; or "ias", "odbc", "dts", "winevent". */
  format?: "auto" | "ias" | "odbc" | "dts" | "winevent";
  /** Longer lines give a line_too_long error document: an integer from 1 to 4294967295 (default 1048576, 1 MiB). */
  maxLineBytes?: number;
  /** "compact" (default) writes each fact once; "full" adds every raw attribute and every rendering of each code. Same schema. */
  fields?: "compact" | "full";
}
"#;

/// The longest output `line()` and `lines()` return, in bytes: V8's longest string
/// (`String::kMaxLength` on 64-bit, 2^29 − 24 UTF-16 units), the shortest limit of the
/// major engines (SpiderMonkey's is 2^30 − 2, JavaScriptCore's 2^31 − 1). A document's
/// UTF-16 length is at most its UTF-8 length, so output under this fits any of them.
pub const MAX_OUTPUT_BYTES: usize = (1 << 29) - 24;

/// `lines()` copies its text into WebAssembly memory this many UTF-16 units at a time
/// (at most 3 MiB of UTF-8), so its input costs no more memory than that whatever its size.
const PIECE_UNITS: u32 = 1 << 20;

/// The option names, as `TransformOptions` spells them.
const OPTION_NAMES: [&str; 5] = [
    "timezone",
    "keepOriginal",
    "format",
    "maxLineBytes",
    "fields",
];

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TypeError)]
    type JsTypeError;
    #[wasm_bindgen(constructor, js_class = "TypeError")]
    fn new(message: &str) -> JsTypeError;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = RangeError)]
    type JsRangeError;
    #[wasm_bindgen(constructor, js_class = "RangeError")]
    fn new(message: &str) -> JsRangeError;
}

#[wasm_bindgen]
extern "C" {
    /// A value already checked to be a JS string primitive. Its methods come from
    /// `String.prototype`, which a page may replace: what they throw is caught (`catch`)
    /// and passed on, never unwound through a method that holds the object.
    type JsText;
    #[wasm_bindgen(method, getter)]
    fn length(this: &JsText) -> u32;
    #[wasm_bindgen(method, catch, js_name = charCodeAt)]
    fn char_code_at(this: &JsText, index: u32) -> Result<u32, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn substring(this: &JsText, start: u32, end: u32) -> Result<JsValue, JsValue>;

    /// A value already checked to be an object: the options, read through its properties
    /// (duck-typed). A getter that throws passes its exception on (`catch`), not a trap.
    type OptionsObject;
    #[wasm_bindgen(method, getter, catch)]
    fn timezone(this: &OptionsObject) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = keepOriginal)]
    fn keep_original(this: &OptionsObject) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn format(this: &OptionsObject) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = maxLineBytes)]
    fn max_line_bytes(this: &OptionsObject) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn fields(this: &OptionsObject) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(o: &OptionsObject) -> Result<Vec<JsValue>, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// A `Uint8Array` (a Node `Buffer` is one): bytes in, and views of WebAssembly memory.
    #[wasm_bindgen(js_name = Uint8Array)]
    type JsBytes;
    #[wasm_bindgen(constructor, js_class = "Uint8Array")]
    fn view(buffer: &JsValue, offset: u32, length: u32) -> JsBytes;
    #[wasm_bindgen(method, getter, js_name = length)]
    fn byte_len(this: &JsBytes) -> u32;
    #[wasm_bindgen(method, catch, js_name = set)]
    fn set_from(this: &JsBytes, src: &JsBytes) -> Result<(), JsValue>;

    /// This module's `WebAssembly.Memory`.
    type JsMemory;
    #[wasm_bindgen(method, getter)]
    fn buffer(this: &JsMemory) -> JsValue;

    /// One `TextEncoder`, for `encodeInto` (UTF-16 → UTF-8 straight into memory, no copy).
    type JsTextEncoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> JsTextEncoder;
    #[wasm_bindgen(method, catch, js_name = encodeInto)]
    fn encode_into(
        this: &JsTextEncoder,
        text: &JsValue,
        into: &JsBytes,
    ) -> Result<EncodeResult, JsValue>;
    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
}

#[wasm_bindgen]
extern "C" {
    /// One `TextDecoder` (UTF-8, a leading U+FEFF kept): the documents straight from memory
    /// into one JS string, with no copy and no second UTF-8 check in WebAssembly.
    type JsTextDecoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder")]
    fn new(label: &str, options: &JsValue) -> JsTextDecoder;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &JsTextDecoder, bytes: &JsBytes) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
}

thread_local! {
    static ENCODER: JsTextEncoder = JsTextEncoder::new();
    static DECODER: JsTextDecoder = JsTextDecoder::new("utf-8", &json_parse(r#"{"ignoreBOM":true}"#));
}

/// `bytes` (UTF-8: the library writes only that) as one JS string.
fn decode(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let view = JsBytes::view(&memory_buffer(), bytes.as_ptr() as u32, bytes.len() as u32);
    DECODER.with(|d| d.decode(&view))
}

/// The `ArrayBuffer` of WebAssembly memory now (it changes when memory grows).
fn memory_buffer() -> JsValue {
    wasm_bindgen::memory().unchecked_into::<JsMemory>().buffer()
}

fn type_error(message: &str) -> JsValue {
    JsTypeError::new(message).into()
}

fn range_error(message: &str) -> JsValue {
    JsRangeError::new(message).into()
}

/// What a value is, for messages: `typeof`, with `null` and arrays told apart.
fn describe(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if v.is_array() {
        "an array".into()
    } else {
        v.js_typeof().as_string().unwrap_or_else(|| "?".into())
    }
}

/// `v` as a JS string, or a TypeError naming `who`'s argument.
fn text_arg<'a>(who: &str, v: &'a JsValue) -> Result<&'a JsText, JsValue> {
    if v.is_string() {
        Ok(v.unchecked_ref())
    } else {
        Err(type_error(&format!(
            "{who}: text must be a string, got {}",
            describe(v)
        )))
    }
}

/// Reserves room for `more` bytes in `buf`, or says why not (WebAssembly memory is at most
/// 4 GiB, and an allocation that fails would trap).
fn reserve(buf: &mut Vec<u8>, more: usize, who: &str) -> Result<(), JsValue> {
    buf.try_reserve(more)
        .map_err(|_| no_memory(more, buf.len(), who))
}

fn no_memory(more: usize, used: usize, who: &str) -> JsValue {
    range_error(&format!(
        "{who}: cannot allocate {more} more bytes of WebAssembly memory (at most 4 GiB; this buffer holds {used}): split the text into smaller pieces"
    ))
}

/// As [`reserve`], for exactly `more` bytes.
fn reserve_exact(buf: &mut Vec<u8>, more: usize, who: &str) -> Result<(), JsValue> {
    buf.try_reserve_exact(more)
        .map_err(|_| no_memory(more, buf.len(), who))
}

/// `more` bytes can be allocated now: checked before wasm-bindgen copies a string into
/// memory, since its own allocation traps when it fails.
fn room_for(more: usize, who: &str) -> Result<(), JsValue> {
    // The freed block stays in the allocator, for the copy that follows.
    reserve(&mut Vec::new(), more, who)
}

/// Room reserved for the document of a line of `len` bytes (kept): a document is a few
/// times its line, and anything over this is grown by the `Vec` as usual.
fn doc_room(len: usize) -> usize {
    len.saturating_mul(8).saturating_add(4096)
}

/// The output buffer of a bytes call on `len` bytes of input, reserved once: documents run
/// to a few times their line (and a short line's document is the larger multiple).
fn bytes_out(len: usize, who: &str) -> Result<Vec<u8>, JsValue> {
    let mut out = Vec::new();
    reserve_exact(&mut out, doc_room(len / 4).max(len * 2), who)?;
    Ok(out)
}

/// The `RangeError` for output of `lines()` that would not fit one JS string.
fn too_long(who: &str, read: u32, of: u32) -> JsValue {
    range_error(&format!(
        "{who}: the documents would be longer than {MAX_OUTPUT_BYTES} bytes, the longest string JavaScript allows (V8), already after {read} of the text's {of} characters: split the text at line ends into smaller pieces (about {} characters each) and call lines() on each",
        (u64::from(read) / 2).max(1)
    ))
}

/// The options object → `Options`; a TypeError (wrong type) or RangeError (bad value)
/// naming the option otherwise.
fn options(who: &str, o: &JsValue) -> Result<Options, JsValue> {
    let mut opts = Options::default(); // UTC: WASM has no system zone
    if o.is_null_or_undefined() {
        return Ok(opts);
    }
    if !o.is_object() || o.is_array() {
        return Err(type_error(&format!(
            "{who}: options must be an object, got {}",
            describe(o)
        )));
    }
    let o: &OptionsObject = o.unchecked_ref();
    for key in object_keys(o)? {
        let key = key.as_string().unwrap_or_default();
        if !OPTION_NAMES.contains(&key.as_str()) {
            return Err(type_error(&format!(
                "{who}: unknown option '{key}' (the options are {})",
                OPTION_NAMES.join(", ")
            )));
        }
    }
    let wrong = |name: &str, want: &str, got: &JsValue| {
        type_error(&format!(
            "{who}: option {name} must be {want}, got {}",
            describe(got)
        ))
    };

    let tz = o.timezone()?;
    if !tz.is_undefined() {
        let s = tz
            .as_string()
            .ok_or_else(|| wrong("timezone", "a string", &tz))?;
        // WebAssembly has no system zone: the library's `local` would silently be UTC.
        if s.trim().eq_ignore_ascii_case("local") {
            return Err(range_error(&format!(
                "{who}: option timezone: 'local' is not available in WebAssembly (there is no system zone): name the NPS server's zone, e.g. Asia/Tokyo or +09:00"
            )));
        }
        opts.zone = Zone::parse(&s).map_err(|e| {
            let e = e.replace(", UTC or local", " or UTC");
            range_error(&format!("{who}: option timezone: {e}"))
        })?;
    }

    let keep = o.keep_original()?;
    if !keep.is_undefined() {
        opts.keep_original = keep
            .as_bool()
            .ok_or_else(|| wrong("keepOriginal", "a boolean", &keep))?;
    }

    let format = o.format()?;
    if !format.is_undefined() {
        let f = format
            .as_string()
            .ok_or_else(|| wrong("format", "a string", &format))?;
        if f != "auto" {
            opts.format = Some(Format::from_name(&f).ok_or_else(|| {
                range_error(&format!(
                    "{who}: unknown format '{f}': use auto, ias, odbc, dts or winevent"
                ))
            })?);
        }
    }

    let max = o.max_line_bytes()?;
    if !max.is_undefined() {
        let n = max
            .as_f64()
            .ok_or_else(|| wrong("maxLineBytes", "a number", &max))?;
        if !(n.fract() == 0.0 && (1.0..=f64::from(u32::MAX)).contains(&n)) {
            // As JS writes them (Rust's `inf` is JS's `Infinity`).
            let got = match n {
                f64::INFINITY => "Infinity".to_string(),
                f64::NEG_INFINITY => "-Infinity".to_string(),
                _ => n.to_string(),
            };
            return Err(range_error(&format!(
                "{who}: option maxLineBytes must be an integer from 1 to {}, got {got}",
                u32::MAX
            )));
        }
        // Checked above: a whole number within u32, and wasm32's usize is 32 bits.
        opts.max_line_bytes = usize::try_from(n as u32).unwrap_or(usize::MAX);
    }

    let fields = o.fields()?;
    if !fields.is_undefined() {
        let f = fields
            .as_string()
            .ok_or_else(|| wrong("fields", "a string", &fields))?;
        opts.fields = nps_enrich::Fields::parse(&f)
            .map_err(|e| range_error(&format!("{who}: option fields: {e}")))?;
    }
    Ok(opts)
}

/// Turns NPS log lines and Windows events into enriched JSON documents.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Transformer {
    inner: nps_enrich::Transformer,
    out: Vec<u8>,
    /// The stream `feed()` reads.
    feed: Feed,
    /// The block bytes are copied into, kept from call to call when small.
    input: Vec<u8>,
}

/// An input block bigger than this is not kept after its call.
const KEEP_INPUT: usize = 4 << 20;

#[wasm_bindgen]
impl Transformer {
    /// Builds a transformer. Throws a TypeError for options of the wrong type or an unknown
    /// option, a RangeError for a bad value (unknown time zone or format, maxLineBytes not
    /// an integer from 1 to 4294967295).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "TransformOptions | null")] options: JsValue,
    ) -> Result<Transformer, JsValue> {
        Transformer::with(self::options("Transformer", &options)?)
    }

    /// One line → one JSON document (an error document for a line that cannot be parsed,
    /// and a `multiple_lines` one for text holding a line end inside); `""` for a blank
    /// line. Throws a TypeError when `text` is not a string.
    pub fn line(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<String, JsValue> {
        let js = text_arg("line", &text)?;
        // wasm-bindgen copies the string in as UTF-8: a block of one byte per UTF-16 unit,
        // grown to three when it meets non-ASCII (both blocks live while it grows).
        room_for((js.length() as usize).saturating_mul(4), "line")?;
        let line = text.as_string().unwrap_or_default();
        self.out.clear();
        let max = self.inner.options().max_line_bytes;
        // A document is a few times its line (the line is cut at maxLineBytes first).
        let bound = line.len().min(max);
        reserve(&mut self.out, doc_room(bound), "line")?;
        // A line over the limit as the CLI reads it: its length without the line end, and
        // its first max + 1 bytes (what event.original holds of it).
        let len = line.trim_end_matches(['\r', '\n']).len();
        if len > max {
            let kept = &line.as_bytes()[..max.saturating_add(1).min(len)];
            self.inner.transform_too_long(kept, len, &mut self.out);
        } else {
            self.inner.transform_str(&line, &mut self.out);
        }
        if self.out.len() > MAX_OUTPUT_BYTES {
            // Only with a maxLineBytes in the hundreds of megabytes.
            self.out = Vec::with_capacity(4096);
            return Err(range_error(&format!(
                "line: the document would be longer than {MAX_OUTPUT_BYTES} bytes, the longest string JavaScript allows (V8): set a smaller maxLineBytes"
            )));
        }
        if self.out.len() <= 1 << 20 {
            return Ok(String::from_utf8_lossy(&self.out).into_owned());
        }
        // A big document is handed over without a copy (and the big buffer not kept).
        let out = std::mem::replace(&mut self.out, Vec::with_capacity(4096));
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// A chunk of text → NDJSON: one document and `\n` per non-blank line, lines split by
    /// the library's one rule (`\n`, `\r\n` or a lone `\r`). Throws a TypeError when `text`
    /// is not a string, a RangeError when the documents would not fit one JS string
    /// (split the text and call `lines()` on each piece).
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn lines(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsValue, JsValue> {
        let js = text_arg("lines", &text)?;
        self.lines_of("lines", js)
    }

    /// As `lines()`, bytes in and bytes out: UTF-8 text (a `Uint8Array` or a `Buffer`) →
    /// NDJSON as UTF-8, byte for byte what `lines()` gives for the same text and what the CLI
    /// writes for it as a file (bytes that are not UTF-8 become U+FFFD, as there). No JS
    /// string is made. Throws a TypeError when `bytes` is not a `Uint8Array`.
    #[wasm_bindgen(js_name = linesBytes)]
    pub fn lines_bytes(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let who = "linesBytes";
        self.with_bytes(who, &bytes, |me, input| {
            let mut out = bytes_out(input.len(), who)?;
            let mut feed = Feed::default();
            feed.push(&mut me.inner, who, input, &mut out, usize::MAX)
                .and_then(|()| feed.finish(&mut me.inner, who, &mut out, usize::MAX))
                .map_err(FeedError::unbounded)?;
            Ok(out)
        })
    }

    /// A stream, a piece at a time: the documents (UTF-8 NDJSON) of the lines `chunk`
    /// completes. A line may span chunks: it is kept (up to `maxLineBytes + 1` bytes) until
    /// its end comes, and places in `event.id` count from the stream's start, so the chunks
    /// of a file fed in turn, then `flush()`, give what the CLI gives for the file. Throws a
    /// TypeError when `chunk` is not a `Uint8Array`.
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let who = "feed";
        self.with_bytes(who, &chunk, |me, input| {
            let mut out = bytes_out(input.len(), who)?;
            me.feed
                .push(&mut me.inner, who, input, &mut out, usize::MAX)
                .map_err(FeedError::unbounded)?;
            Ok(out)
        })
    }

    /// Ends the stream `feed()` reads: the document of its last line when that has no line
    /// end (an empty array otherwise). The next `feed()` starts a new stream.
    pub fn flush(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        let mut feed = std::mem::take(&mut self.feed);
        feed.finish(&mut self.inner, "flush", &mut out, usize::MAX)
            .map_err(FeedError::unbounded)?;
        Ok(out)
    }
}

impl Transformer {
    fn with(opts: Options) -> Result<Transformer, JsValue> {
        Ok(Transformer {
            inner: nps_enrich::Transformer::new(opts),
            out: Vec::with_capacity(4096),
            feed: Feed::default(),
            input: Vec::new(),
        })
    }

    /// Runs `f` on the bytes of `v` copied into WebAssembly memory.
    fn with_bytes<R>(
        &mut self,
        who: &str,
        v: &JsValue,
        f: impl FnOnce(&mut Self, &[u8]) -> Result<R, JsValue>,
    ) -> Result<R, JsValue> {
        let mut input = std::mem::take(&mut self.input);
        let r = Self::bytes_arg(who, v, &mut input).and_then(|()| f(self, &input));
        if input.capacity() <= KEEP_INPUT {
            self.input = input;
        }
        r
    }

    /// The documents of every line of `text`, read from the JS string a piece at a time and
    /// split with the library's [`Splitter`] as the CLI reads a file: at most
    /// `max_line_bytes + 1` bytes of a line are kept, with its full length. Each piece is
    /// written into one reused block of WebAssembly memory by `TextEncoder.encodeInto`.
    fn lines_of(&mut self, who: &str, text: &JsText) -> Result<JsValue, JsValue> {
        let units = text.length();
        let max = self.inner.options().max_line_bytes;
        let mut out = Vec::new();
        // Documents are up to about eight times their line: reserve that (within the limit)
        // at once, with room for the one document that may pass the limit, so a call that
        // reaches it does not copy the output to a bigger block first.
        let last = max
            .saturating_add(1)
            .min((units as usize).saturating_mul(3));
        reserve_exact(
            &mut out,
            (units as usize)
                .saturating_mul(8)
                .min(MAX_OUTPUT_BYTES)
                .saturating_add(doc_room(last)),
            who,
        )?;
        // A piece of n UTF-16 units is at most 3n bytes of UTF-8.
        let mut piece: Vec<u8> = Vec::new();
        let mut feed = Feed::default();
        let mut at = 0u32;
        while at < units {
            let mut end = at.saturating_add(PIECE_UNITS).min(units);
            // Never cut a surrogate pair (it would become two U+FFFD).
            if end < units && (0xD800..0xDC00).contains(&text.char_code_at(end - 1)?) {
                end -= 1;
            }
            let sub = text.substring(at, end)?;
            let n = encode_into(who, &sub, end - at, &mut piece)?;
            at = end;
            feed.push(
                &mut self.inner,
                who,
                &piece[..n],
                &mut out,
                MAX_OUTPUT_BYTES,
            )
            .map_err(|e| e.into_js(who, at, units))?;
        }
        feed.finish(&mut self.inner, who, &mut out, MAX_OUTPUT_BYTES)
            .map_err(|e| e.into_js(who, at, units))?;
        decode(&out)
    }

    /// The bytes of a `Uint8Array` argument, copied into `buf` (WebAssembly memory).
    fn bytes_arg(who: &str, v: &JsValue, buf: &mut Vec<u8>) -> Result<(), JsValue> {
        let Some(src) = v.dyn_ref::<JsBytes>() else {
            return Err(type_error(&format!(
                "{who}: bytes must be a Uint8Array (or a Buffer), got {}",
                describe(v)
            )));
        };
        let len = src.byte_len() as usize;
        buf.clear();
        reserve_exact(buf, len, who)?;
        // Zeroed first: what `set` copies is then all the block holds, whatever `length`
        // said (a getter can be replaced).
        buf.resize(len, 0);
        if len > 0 {
            // After the reserve: growing memory would have detached an older view.
            let view = JsBytes::view(&memory_buffer(), buf.as_ptr() as u32, len as u32);
            view.set_from(src)?;
        }
        Ok(())
    }
}

/// Writes `piece` (a JS string of `units` UTF-16 units) as UTF-8 at the start of `buf`,
/// which grows to 3 bytes a unit: the number of bytes written.
fn encode_into(
    who: &str,
    piece: &JsValue,
    units: u32,
    buf: &mut Vec<u8>,
) -> Result<usize, JsValue> {
    let need = (units as usize) * 3;
    if buf.len() < need {
        // Zeroed once, when the block grows, not per piece: it keeps its length.
        reserve_exact(buf, need - buf.len(), who)?;
        buf.resize(need, 0);
    }
    // After the reserve: growing memory would have detached an older view.
    let view = JsBytes::view(&memory_buffer(), buf.as_ptr() as u32, need as u32);
    let r = ENCODER.with(|e| e.encode_into(piece, &view))?;
    Ok((r.written() as usize).min(need))
}

/// Why reading stopped: the output passed its limit, or a JS error (already made).
enum FeedError {
    TooLong,
    Js(JsValue),
}

impl From<JsValue> for FeedError {
    fn from(e: JsValue) -> Self {
        FeedError::Js(e)
    }
}

impl FeedError {
    /// For the bytes paths, whose output has no limit but memory (`usize::MAX`): only a JS
    /// error (a failed reserve) can stop them.
    fn unbounded(self) -> JsValue {
        match self {
            FeedError::Js(e) => e,
            FeedError::TooLong => range_error("the documents would be longer than memory allows"),
        }
    }

    fn into_js(self, who: &str, read: u32, of: u32) -> JsValue {
        match self {
            FeedError::TooLong => too_long(who, read, of),
            FeedError::Js(e) => e,
        }
    }
}

/// A stream of bytes split into lines as the CLI splits a file, fed a piece at a time: a
/// line within one piece is transformed where it lies, and only a line that spans pieces is
/// kept (its first `max_line_bytes + 1` bytes, with its full length).
#[derive(Debug, Default)]
struct Feed {
    splitter: Splitter,
    /// The start of the current line, when it began in an earlier piece.
    line: Vec<u8>,
    /// The current line's length so far, without its end.
    total: usize,
    /// Bytes of the stream before the current piece, and where the current line starts:
    /// its place in `event.id`, as the CLI counts it in a file.
    consumed: u64,
    line_start: u64,
}

impl Feed {
    /// The documents of the lines `piece` completes, onto `out`; stops with `TooLong` once
    /// `out` passes `limit`.
    fn push(
        &mut self,
        t: &mut nps_enrich::Transformer,
        who: &str,
        piece: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(), FeedError> {
        let max = t.options().max_line_bytes;
        let mut rest = piece;
        while !rest.is_empty() {
            let step = self.splitter.step(rest);
            if self.total == 0 && self.line.is_empty() {
                self.line_start = self.consumed + step.skip as u64;
            }
            self.consumed += step.consumed() as u64;
            let part = &rest[step.skip..step.consumed()];
            rest = &rest[step.consumed()..];
            if step.ends && self.total == 0 && self.line.is_empty() {
                // The whole line is in this piece: no copy.
                let kept = &part[..part.len().min(max.saturating_add(1))];
                one_line(
                    t,
                    who,
                    kept,
                    step.take - 1,
                    Some(self.line_start),
                    out,
                    limit,
                )?;
            } else {
                let keep = part
                    .len()
                    .min(max.saturating_add(1).saturating_sub(self.line.len()));
                reserve(&mut self.line, keep, who)?;
                self.line.extend_from_slice(&part[..keep]);
                self.total = self.total.saturating_add(step.take);
                if !step.ends {
                    continue;
                }
                let r = one_line(
                    t,
                    who,
                    &self.line,
                    self.total - 1,
                    Some(self.line_start),
                    out,
                    limit,
                );
                self.line.clear();
                self.total = 0;
                r?;
            }
            if out.len() > limit {
                return Err(FeedError::TooLong);
            }
        }
        Ok(())
    }

    /// The document of a last line without a line end, if any; the feed starts over.
    fn finish(
        &mut self,
        t: &mut nps_enrich::Transformer,
        who: &str,
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(), FeedError> {
        let feed = std::mem::take(self);
        if feed.total > 0 {
            one_line(
                t,
                who,
                &feed.line,
                feed.total,
                Some(feed.line_start),
                out,
                limit,
            )?;
            if out.len() > limit {
                return Err(FeedError::TooLong);
            }
        }
        Ok(())
    }
}

/// One line's document and its `\n`, as the CLI writes it: `raw` is the line with its
/// end, or its first `max_line_bytes + 1` bytes when `len` (without the end) is over;
/// `at` its place in the text, for `event.id`. `out` grows by doubling up to `limit` plus
/// this one document.
fn one_line(
    t: &mut nps_enrich::Transformer,
    who: &str,
    raw: &[u8],
    len: usize,
    at: Option<u64>,
    out: &mut Vec<u8>,
    limit: usize,
) -> Result<(), JsValue> {
    let need = doc_room(raw.len());
    if out.capacity() - out.len() < need {
        // Grow by doubling, but never past the output limit plus this one document:
        // memory stays bounded by the output, which is bounded by the limit.
        let want = (out.capacity().saturating_mul(2))
            .max(out.len().saturating_add(need))
            .min(
                limit
                    .saturating_add(need)
                    .max(out.len().saturating_add(need)),
            );
        reserve_exact(out, want.saturating_sub(out.len()), who)?;
    }
    let start = out.len();
    if len > t.options().max_line_bytes {
        t.transform_too_long_at(raw, len, at, out);
    } else {
        t.transform_at(raw, at, out);
    }
    if out.len() > start {
        out.push(b'\n');
    }
    Ok(())
}

/// One-shot: every line of `text` → NDJSON. Throws as `new Transformer(options)` and
/// `lines(text)` do.
#[wasm_bindgen(unchecked_return_type = "string")]
pub fn transform(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "TransformOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let js = text_arg("transform", &text)?;
    Transformer::with(self::options("transform", &options)?)?.lines_of("transform", js)
}

/// The package version (the same as the crate and the CLI).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
