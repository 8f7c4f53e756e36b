//! The command line's moving parts: one output sink shared by every mode (files and stdin,
//! `--follow`, `--listen`), diagnostics, and a bounded line reader.

pub mod follow;
pub mod listen;
pub mod parallel;
pub mod post;

use encoding_rs::Encoding;
use nps_enrich::lines::Splitter;
use nps_enrich::{ErrorKind, Format, Outcome, Transformer, pretty};
use std::io::{self, BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

/// A diagnostic on stderr, as one JSON line so a shipper reading stderr can parse it.
pub fn diag(level: &str, message: &str) {
    if level != "error" && QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let doc = serde_json::json!({ "level": level, "message": message });
    // Not eprintln!: it panics when stderr is gone (a shipper that died holding the pipe),
    // and a diagnostic must never be what stops the work.
    // One write per line, so lines from threads or processes sharing the pipe never mix.
    let _ = io::stderr().lock().write_all(format!("{doc}\n").as_bytes());
}

/// `--quiet`: no diagnostics but errors.
pub static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How the lines a [`LineTransform`] gets are made UTF-8: set once by `main` before any
/// line is read (every mode's transforms, the `--threads` workers' too, take it from here).
pub static LINE_DECODE: std::sync::OnceLock<LineDecode> = std::sync::OnceLock::new();

/// How input lines become UTF-8 before the transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineDecode {
    /// As they are: UTF-8 already, or decoded by the reader (files and stdin with
    /// `--encoding`); bytes that are not UTF-8 become U+FFFD in the transform.
    AsIs,
    /// Every line is in this encoding (`--follow --encoding`: lines come straight from the
    /// file's bytes). Only ASCII-compatible encodings, whose line ends are ASCII bytes.
    All(&'static Encoding),
    /// A line that is not valid UTF-8 is in this encoding (on Windows by default: the
    /// system's ANSI code page, in which NPS writes).
    NotUtf8(&'static Encoding),
}

impl LineDecode {
    /// The encoding a line is decoded from, if it must be.
    fn for_line(self, line: &[u8]) -> Option<&'static Encoding> {
        match self {
            LineDecode::AsIs => None,
            LineDecode::All(e) => (e != encoding_rs::UTF_8).then_some(e),
            LineDecode::NotUtf8(e) => std::str::from_utf8(line).is_err().then_some(e),
        }
    }
}

/// The encoding of a Windows ANSI code page (GetACP's number), for those NPS servers use:
/// the single-byte Windows pages and the four East Asian double-byte ones (WHATWG's
/// encodings are supersets of Microsoft's tables for these). None for UTF-8 (65001) and
/// pages without a decoder.
pub fn ansi_code_page_encoding(cp: u32) -> Option<&'static Encoding> {
    match cp {
        874 => Some(encoding_rs::WINDOWS_874),
        932 => Some(encoding_rs::SHIFT_JIS),
        936 => Some(encoding_rs::GBK),
        949 => Some(encoding_rs::EUC_KR),
        950 => Some(encoding_rs::BIG5),
        1250..=1258 => Encoding::for_label(format!("windows-{cp}").as_bytes()),
        _ => None,
    }
}

/// The system's ANSI code page (what GetACP returns: Windows reads it at start from this
/// registry value), or None where there is none.
pub fn ansi_code_page() -> Option<u32> {
    #[cfg(windows)]
    {
        let key = winreg::RegKey::predef(winreg::enums::HKEY_LOCAL_MACHINE)
            .open_subkey("SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage")
            .ok()?;
        let acp: String = key.get_value("ACP").ok()?;
        acp.trim().parse().ok()
    }
    #[cfg(not(windows))]
    None
}

/// Why output stopped.
#[derive(Debug)]
pub enum Stop {
    /// Output is gone (closed pipe): stop quietly, success.
    Closed,
    /// Output or input failed.
    Failed(io::Error),
}

#[derive(Debug, Default)]
pub struct Stats {
    pub lines: u64,
    pub blank: u64,
    pub events: [u64; 4],
    pub errors: u64,
}

impl Stats {
    pub fn add(&mut self, o: &Stats) {
        self.lines += o.lines;
        self.blank += o.blank;
        self.errors += o.errors;
        for (a, b) in self.events.iter_mut().zip(o.events) {
            *a += b;
        }
    }

    fn count(&mut self, o: Outcome) {
        self.lines += 1;
        match o {
            Outcome::Blank => self.blank += 1,
            Outcome::Event(f) => self.events[f as usize] += 1,
            Outcome::Error(..) => self.errors += 1,
        }
    }

    pub fn json(&self) -> String {
        let mut doc = serde_json::json!({
            "lines": self.lines, "blank": self.blank, "errors": self.errors,
        });
        for f in Format::ALL {
            doc[f.name()] = self.events[f as usize].into();
        }
        serde_json::json!({ "stats": doc }).to_string()
    }
}

/// One line → one document appended to a buffer (with its line end), counted.
pub struct LineTransform {
    transformer: Transformer,
    pretty: bool,
    decode: LineDecode,
    decoded: String,
    doc: Vec<u8>,
    pretty_buf: Vec<u8>,
    pub stats: Stats,
}

impl LineTransform {
    pub fn new(transformer: Transformer, pretty: bool) -> Self {
        LineTransform {
            transformer,
            pretty,
            decode: LINE_DECODE.get().copied().unwrap_or(LineDecode::AsIs),
            decoded: String::new(),
            doc: Vec::with_capacity(4096),
            pretty_buf: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// `len` is the line's length without its end; `raw` holds the line with its end, or,
    /// when `len` is over max_line_bytes, the first max_line_bytes + 1 bytes of it. `at` is
    /// where the line starts in its file or stream, when known (it goes into `event.id`).
    pub fn line(&mut self, raw: &[u8], len: usize, at: Option<u64>, out: &mut Vec<u8>) {
        self.doc.clear();
        // Decoded whole, line end included (ASCII in every encoding decoded here). A line
        // over the limit is its start only, which may end inside a character: kept as is.
        let mut raw = raw;
        if len <= self.transformer.options().max_line_bytes
            && let Some(enc) = self.decode.for_line(raw)
        {
            self.decoded.clear();
            let (text, _) = enc.decode_without_bom_handling(raw);
            self.decoded.push_str(&text);
            raw = self.decoded.as_bytes();
        }
        let t = &mut self.transformer;
        let doc = &mut self.doc;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            if len > t.options().max_line_bytes {
                t.transform_too_long_at(raw, len, at, doc)
            } else {
                t.transform_at(raw, at, doc)
            }
        }))
        .unwrap_or_else(|_| {
            // A bug, not bad input: still one document, carrying the line.
            doc.clear();
            nps_enrich::internal_error_document_at(raw, at, doc);
            Outcome::Error(ErrorKind::Internal, None)
        });
        self.stats.count(outcome);
        if outcome == Outcome::Blank {
            return;
        }
        if self.pretty {
            self.pretty_buf.clear();
            pretty(&self.doc, &mut self.pretty_buf);
            out.extend_from_slice(&self.pretty_buf);
        } else {
            out.extend_from_slice(&self.doc);
        }
        out.push(b'\n');
    }
}

/// Lines in, one document per line out, through one buffered writer.
pub struct Sink {
    pub lines: LineTransform,
    out: Box<dyn Write>,
    buf: Vec<u8>,
    max_line_bytes: usize,
}

impl Sink {
    pub fn new(transformer: Transformer, pretty: bool, out: Box<dyn Write>) -> Self {
        let max_line_bytes = transformer.options().max_line_bytes;
        Sink {
            lines: LineTransform::new(transformer, pretty),
            out,
            buf: Vec::with_capacity(8192),
            max_line_bytes,
        }
    }

    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    pub fn stats(&self) -> &Stats {
        &self.lines.stats
    }

    /// One input line, as [`LineTransform::line`] takes it.
    pub fn line_at(&mut self, raw: &[u8], len: usize, at: Option<u64>) -> Result<(), Stop> {
        self.buf.clear();
        self.lines.line(raw, len, at, &mut self.buf);
        self.write(&[])
    }

    /// One input line whose place is not known.
    pub fn line(&mut self, raw: &[u8], len: usize) -> Result<(), Stop> {
        self.line_at(raw, len, None)
    }

    /// Writes documents already made (by --threads workers), then any pending one.
    pub fn write(&mut self, docs: &[u8]) -> Result<(), Stop> {
        let r = if self.buf.is_empty() {
            self.out.write_all(docs)
        } else {
            let r = self.out.write_all(&self.buf);
            self.buf.clear();
            r.and_then(|()| self.out.write_all(docs))
        };
        r.map_err(stop_for)
    }

    pub fn flush(&mut self) -> Result<(), Stop> {
        self.out.flush().map_err(stop_for)
    }
}

/// A failed write to stdout: a closed pipe ends quietly, anything else is an error that
/// names stdout.
fn stop_for(e: io::Error) -> Stop {
    // A stop while `--post`'s receiver had not answered: said on stderr, a clean stop.
    let unacked = e.get_ref().is_some_and(|i| i.is::<post::Unacknowledged>());
    if e.kind() == io::ErrorKind::BrokenPipe || unacked {
        Stop::Closed
    } else {
        Stop::Failed(io::Error::new(e.kind(), format!("stdout: {e}")))
    }
}

/// Fails when standard output was closed (`>&-`). Rust's runtime reopens a closed standard
/// descriptor as `/dev/null` before `main`, read-write, so every write would seem to succeed
/// and nothing would say that the documents went nowhere. A shell's or a supervisor's
/// `/dev/null` is opened write-only, so read-write `/dev/null` on fd 1 is that reopening.
/// (Linux only: elsewhere the descriptor's flags cannot be read without `unsafe`.)
pub fn check_stdout() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let target = std::fs::read_link("/proc/self/fd/1").ok();
        let info = std::fs::read_to_string("/proc/self/fdinfo/1").unwrap_or_default();
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
        // O_ACCMODE is 3, O_RDWR 2.
        if target.as_deref() == Some(std::path::Path::new("/dev/null"))
            && flags.is_some_and(|f| f & 3 == 2)
        {
            return Err("stdout was closed: nowhere to write documents".into());
        }
    }
    Ok(())
}

/// Reads input line by line with the library's one splitting rule ([`nps_enrich::lines`]:
/// `\n`, `\r\n` or a lone `\r`). At most `max + 1` bytes of a line are kept (with its full
/// length), so memory stays bounded whatever the input.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    max: usize,
    splitter: Splitter,
    /// Bytes consumed so far, and where the last line given started.
    consumed: u64,
    line_start: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            max,
            splitter: Splitter::new(),
            consumed: 0,
            line_start: 0,
        }
    }

    /// Where the line last given starts, in bytes from the start of the input.
    pub fn line_start(&self) -> u64 {
        self.line_start
    }

    /// The next line into `buf` (cleared first, then given the line with its end, or its
    /// first `max + 1` bytes); the line's length without its end, or `None` at the end.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<usize>> {
        buf.clear();
        let mut total = 0;
        self.continue_line(buf, &mut total)
    }

    /// As `next_line`, continuing a line of which `buf` and `total` already hold a part
    /// (after a read timed out): nothing read before is lost.
    pub fn continue_line(
        &mut self,
        buf: &mut Vec<u8>,
        total: &mut usize,
    ) -> io::Result<Option<usize>> {
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok((*total > 0).then_some(std::mem::take(total)));
            }
            let step = self.splitter.step(chunk);
            if *total == 0 {
                self.line_start = self.consumed + step.skip as u64;
            }
            self.consumed += step.consumed() as u64;
            let piece = &chunk[step.skip..step.consumed()];
            let room = (self.max + 1).saturating_sub(buf.len());
            buf.extend_from_slice(&piece[..piece.len().min(room)]);
            *total += step.take;
            self.inner.consume(step.consumed());
            if step.ends {
                return Ok(Some(std::mem::take(total) - 1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineReader;
    use proptest::prelude::*;
    use std::io::BufReader;

    fn read_all(input: &[u8], capacity: usize, max: usize) -> Vec<(Vec<u8>, usize)> {
        let mut r = LineReader::new(BufReader::with_capacity(capacity, input), max);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(total) = r.next_line(&mut buf).unwrap() {
            out.push((buf.clone(), total));
        }
        out
    }

    #[test]
    fn long_line_is_bounded() {
        let line = vec![b'x'; 10_000];
        let got = read_all(&[&line[..], b"\nok\n"].concat(), 7, 16);
        assert_eq!(got[0], (vec![b'x'; 17], 10_000));
        assert_eq!(got[1], (b"ok\n".to_vec(), 2));
    }

    #[test]
    fn line_starts() {
        let mut r = LineReader::new(BufReader::with_capacity(3, &b"ab\r\ncd\ref\n\ng"[..]), 100);
        let mut buf = Vec::new();
        let mut starts = Vec::new();
        while r.next_line(&mut buf).unwrap().is_some() {
            starts.push(r.line_start());
        }
        assert_eq!(starts, [0, 4, 7, 10, 11]);
    }

    #[test]
    fn ansi_code_pages() {
        use super::ansi_code_page_encoding as enc;
        assert_eq!(enc(932), Some(encoding_rs::SHIFT_JIS));
        assert_eq!(enc(1251).map(|e| e.name()), Some("windows-1251"));
        assert_eq!(enc(1252).map(|e| e.name()), Some("windows-1252"));
        assert_eq!(enc(1258).map(|e| e.name()), Some("windows-1258"));
        assert_eq!(enc(936), Some(encoding_rs::GBK));
        assert_eq!(enc(65001), None);
        assert_eq!(enc(437), None);
    }

    #[test]
    fn lines_are_decoded_as_told() {
        use super::LineDecode;
        let sjis = b"\x93\xfa\x96\x7b\r\n"; // 日本 in Shift_JIS
        let utf8 = "日本\r\n".as_bytes();
        let e = encoding_rs::SHIFT_JIS;
        assert_eq!(LineDecode::AsIs.for_line(sjis), None);
        assert_eq!(LineDecode::NotUtf8(e).for_line(sjis), Some(e));
        assert_eq!(LineDecode::NotUtf8(e).for_line(utf8), None);
        assert_eq!(LineDecode::All(e).for_line(b"ascii\n"), Some(e));
        assert_eq!(LineDecode::All(encoding_rs::UTF_8).for_line(utf8), None);
        assert_eq!(e.decode_without_bom_handling(sjis).0, "日本\r\n");
    }

    proptest! {
        /// The same lines as the library's splitter over the whole input, each bounded.
        #[test]
        fn matches_the_library_rule(
            input in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), any::<u8>()], 0..200),
            capacity in 1usize..9,
            max in 0usize..12,
        ) {
            let got: Vec<(Vec<u8>, usize)> = read_all(&input, capacity, max)
                .into_iter()
                .map(|(kept, len)| (kept[..kept.len().min(len).min(max + 1)].to_vec(), len))
                .collect();
            let want: Vec<(Vec<u8>, usize)> = nps_enrich::lines::lines(&input)
                .map(|l| (l[..l.len().min(max + 1)].to_vec(), l.len()))
                .collect();
            prop_assert_eq!(got, want);
        }
    }
}
