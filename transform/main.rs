//! `nps-enrich`: NPS log lines on stdin or in files → one enriched JSON document per line
//! on stdout. A thin front end: reading, decoding and writing; every line goes through
//! `Transformer::transform`.

use clap::{Parser, ValueEnum};
use nps_enrich::{ErrorKind, Format, Options, Outcome, Transformer, Zone, pretty};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  nps-enrich IN2607.log                       one NPS log file, times in this machine's zone
  nps-enrich --timezone Asia/Tokyo IN*.log    files written by a server in Tokyo
  type IN2607.log | nps-enrich --stats        a pipe; counts on stderr at the end
  nps-enrich --encoding shift_jis iaslog1.log a Japanese server's ANSI (CP932) file
  nps-enrich --format dts --pretty sql.xml    force a format; indented output

Exit status:
  0  every input was read; each non-blank line gave one document (error documents included)
  1  an input could not be opened or read, or stdout failed (a closed pipe is not a failure)
  2  bad command line
  3  with --fail-on-error: at least one line gave a pipeline_error document";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Ias,
    Odbc,
    Dts,
    Winevent,
}

/// Turn Microsoft NPS / IAS / NAP logs into enriched, ECS-shaped JSON (one document per line).
#[derive(Debug, Parser)]
#[command(name = "nps-enrich", version, after_help = EXAMPLES)]
struct Cli {
    /// Input files; standard input when none is given (or for `-`).
    files: Vec<PathBuf>,

    /// Zone of the NPS server's local times: an IANA name (Europe/Berlin), an offset
    /// (+09:00), UTC, or local.
    #[arg(long, short = 't', default_value = "local", value_name = "ZONE")]
    timezone: String,

    /// Input format; `auto` detects it per line (a file may mix formats).
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    format: FormatArg,

    /// Text encoding of the input when it is not UTF-8: any WHATWG label (shift_jis,
    /// windows-1251, utf-16le, …). UTF-16 with a byte-order mark is recognised without it.
    #[arg(long, short = 'e', value_name = "LABEL")]
    encoding: Option<String>,

    /// Copy each input line into event.original (error documents always carry it).
    #[arg(long)]
    keep_original: bool,

    /// Indent the JSON (one document then spans several lines).
    #[arg(long)]
    pretty: bool,

    /// Print counts per format and of error documents to stderr at the end, as one JSON line.
    #[arg(long)]
    stats: bool,

    /// Longer lines become a line_too_long error document holding the line's start.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    max_line_bytes: usize,

    /// Exit with status 3 if any line could not be parsed.
    #[arg(long)]
    fail_on_error: bool,
}

#[derive(Debug, Default)]
struct Stats {
    lines: u64,
    blank: u64,
    events: [u64; 4],
    errors: u64,
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

    fn json(&self) -> String {
        let mut s = format!(
            "{{\"stats\":{{\"lines\":{},\"blank\":{},\"errors\":{}",
            self.lines, self.blank, self.errors
        );
        for f in Format::ALL {
            s.push_str(&format!(",\"{}\":{}", f.name(), self.events[f as usize]));
        }
        s.push_str("}}");
        s
    }
}

/// A diagnostic on stderr, as one JSON line so a shipper reading stderr can parse it.
fn diag(level: &str, message: &str) {
    let doc = serde_json::json!({ "level": level, "message": message });
    eprintln!("{doc}");
}

enum Stop {
    /// Output is gone (closed pipe): stop quietly, success.
    Closed,
    /// Output failed.
    Failed(io::Error),
}

struct Run {
    transformer: Transformer,
    pretty: bool,
    doc: Vec<u8>,
    pretty_buf: Vec<u8>,
    stats: Stats,
}

impl Run {
    fn line(&mut self, raw: &[u8], total_len: usize, out: &mut impl Write) -> Result<(), Stop> {
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
        let w = out.write_all(bytes).and_then(|()| out.write_all(b"\n"));
        w.map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                Stop::Closed
            } else {
                Stop::Failed(e)
            }
        })
    }
}

/// Reads one line (through `\n`) into `buf`, keeping at most `max + 1` bytes of it.
/// Returns the line's full length, or `None` at the end of input.
fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total > 0).then_some(total));
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = (max + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        total += take;
        r.consume(take);
        if done {
            return Ok(Some(total));
        }
    }
}

fn open(path: &PathBuf) -> io::Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(io::stdin().lock()))
    } else {
        Ok(Box::new(File::open(path)?))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    panic::set_hook(Box::new(|info| {
        diag("error", &format!("internal error: {info}"))
    }));

    let zone = match Zone::parse(&cli.timezone) {
        Ok(z) => z,
        Err(e) => {
            diag("error", &e);
            return ExitCode::from(2);
        }
    };
    let encoding = match &cli.encoding {
        None => None,
        Some(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(enc) => Some(enc),
            None => {
                diag("error", &format!("unknown encoding '{label}'"));
                return ExitCode::from(2);
            }
        },
    };
    let format = match cli.format {
        FormatArg::Auto => None,
        FormatArg::Ias => Some(Format::Ias),
        FormatArg::Odbc => Some(Format::Odbc),
        FormatArg::Dts => Some(Format::Dts),
        FormatArg::Winevent => Some(Format::WinEvent),
    };
    let max = cli.max_line_bytes.max(1);
    let mut run = Run {
        transformer: Transformer::new(Options {
            zone,
            format,
            keep_original: cli.keep_original,
            max_line_bytes: max,
        }),
        pretty: cli.pretty,
        doc: Vec::with_capacity(4096),
        pretty_buf: Vec::new(),
        stats: Stats::default(),
    };

    let inputs = if cli.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        cli.files.clone()
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    let mut line = Vec::with_capacity(4096);
    'inputs: for path in &inputs {
        let reader = match open(path) {
            Ok(r) => r,
            Err(e) => {
                diag("error", &format!("{}: {e}", path.display()));
                failed = true;
                continue;
            }
        };
        // Decodes UTF-16 (by BOM) and --encoding to UTF-8; UTF-8 passes through.
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(encoding)
            .bom_override(true)
            .utf8_passthru(true)
            .build(reader);
        let mut reader = BufReader::with_capacity(1 << 16, decoded);
        loop {
            match read_line_bounded(&mut reader, &mut line, max) {
                Ok(Some(total)) => match run.line(&line, total, &mut out) {
                    Ok(()) => {}
                    Err(Stop::Closed) => break 'inputs,
                    Err(Stop::Failed(e)) => {
                        diag("error", &format!("writing output: {e}"));
                        return ExitCode::from(1);
                    }
                },
                Ok(None) => break,
                Err(e) => {
                    diag("error", &format!("{}: {e}", path.display()));
                    failed = true;
                    break;
                }
            }
        }
    }
    match out.flush() {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            diag("error", &format!("writing output: {e}"));
            return ExitCode::from(1);
        }
    }
    if cli.stats {
        eprintln!("{}", run.stats.json());
    }
    if failed {
        ExitCode::from(1)
    } else if cli.fail_on_error && run.stats.errors > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
