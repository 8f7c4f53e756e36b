//! The command line's moving parts: one output sink shared by every mode (files and stdin,
//! `--follow`, `--listen`), diagnostics, and a bounded line reader.

pub mod follow;
pub mod listen;

use nps_enrich::{ErrorKind, Format, Outcome, Transformer, pretty};
use std::io::{self, BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

/// A diagnostic on stderr, as one JSON line so a shipper reading stderr can parse it.
pub fn diag(level: &str, message: &str) {
    if level != "error" && QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let doc = serde_json::json!({ "level": level, "message": message });
    eprintln!("{doc}");
}

/// `--quiet`: no diagnostics but errors.
pub static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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

/// Lines in, one document per line out, through one buffered writer.
pub struct Sink {
    transformer: Transformer,
    pretty: bool,
    doc: Vec<u8>,
    pretty_buf: Vec<u8>,
    pub stats: Stats,
    out: Box<dyn Write>,
    max_line_bytes: usize,
}

impl Sink {
    pub fn new(transformer: Transformer, pretty: bool, out: Box<dyn Write>) -> Self {
        let max_line_bytes = transformer.options().max_line_bytes;
        Sink {
            transformer,
            pretty,
            doc: Vec::with_capacity(4096),
            pretty_buf: Vec::new(),
            stats: Stats::default(),
            out,
            max_line_bytes,
        }
    }

    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    /// One input line (`raw` holds at most max_line_bytes + 1 of its `total_len` bytes).
    pub fn line(&mut self, raw: &[u8], total_len: usize) -> Result<(), Stop> {
        self.doc.clear();
        let t = &mut self.transformer;
        let doc = &mut self.doc;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            if total_len > raw.len() {
                t.transform_too_long(raw, total_len, doc)
            } else {
                t.transform(raw, doc)
            }
        }))
        .unwrap_or_else(|_| {
            // A bug, not bad input: still one document, carrying the line.
            doc.clear();
            nps_enrich::internal_error_document(raw, doc);
            Outcome::Error(ErrorKind::Internal, None)
        });
        self.stats.count(outcome);
        if outcome == Outcome::Blank {
            return Ok(());
        }
        let bytes = if self.pretty {
            self.pretty_buf.clear();
            pretty(&self.doc, &mut self.pretty_buf);
            &self.pretty_buf
        } else {
            &self.doc
        };
        let w = self
            .out
            .write_all(bytes)
            .and_then(|()| self.out.write_all(b"\n"));
        w.map_err(stop_for)
    }

    pub fn flush(&mut self) -> Result<(), Stop> {
        self.out.flush().map_err(stop_for)
    }
}

fn stop_for(e: io::Error) -> Stop {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Stop::Closed
    } else {
        Stop::Failed(e)
    }
}

/// Reads one line (through `\n`) into `buf`, keeping at most `max + 1` bytes of it.
/// Returns the line's full length, or `None` at the end of input.
pub fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0;
    continue_line(r, buf, &mut total, max)
}

/// As `read_line_bounded`, continuing a line of which `buf` and `total` already hold a
/// part (after a read timed out): nothing read before is lost.
pub fn continue_line(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    total: &mut usize,
    max: usize,
) -> io::Result<Option<usize>> {
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((*total > 0).then_some(std::mem::take(total)));
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = (max + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        *total += take;
        r.consume(take);
        if done {
            return Ok(Some(std::mem::take(total)));
        }
    }
}
