//! `nps-enrich`: NPS log lines → one enriched JSON document per line on stdout. A thin
//! front end: reading (files, stdin, `--follow`, `--listen`), decoding and writing; every
//! line goes through `Transformer::transform`.

#![forbid(unsafe_code)]

mod cli;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use cli::{LineDecode, LineReader, Sink, Stop, diag};
use nps_enrich::{Fields, Format, Options, Transformer, Zone};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

const EXAMPLES: &str = "\
Examples:
  nps-enrich IN2607.log                       one NPS log file, times in this machine's zone
  nps-enrich --timezone Asia/Tokyo IN*.log    files written by a server in Tokyo
  type IN2607.log | nps-enrich --stats        a pipe; counts on stderr at the end
  nps-enrich --encoding shift_jis iaslog1.log a Japanese server's ANSI (CP932) file
  nps-enrich --follow --checkpoint nps.ckpt 'C:\\Windows\\System32\\LogFiles\\IN*.log'
                                              tail live NPS files (for Vector's exec source)
  nps-enrich --listen 127.0.0.1:9514          lines over TCP from a Vector socket sink

Exit status:
  0  every input was read; each non-blank line gave one document (error documents included)
  1  an input could not be opened or read, or stdout failed (a closed pipe is not a failure)
  2  bad command line
  3  with --fail-on-error: at least one line gave a pipeline_error document";

#[derive(Debug, Clone, Copy, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Extra>,

    /// Input files; standard input when none is given (or for `-`). With --follow: file
    /// patterns (`IN*.log`).
    files: Vec<String>,

    /// Zone of the NPS server's local times: an IANA name (Europe/Berlin), a Windows name
    /// as `tzutil /g` prints it ("Tokyo Standard Time"), an offset (+09:00), UTC, or local.
    #[arg(long, short = 't', default_value = "local", value_name = "ZONE")]
    timezone: String,

    /// Input format; `auto` detects it per line (a file may mix formats).
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    format: FormatArg,

    /// Text encoding of the input when it is not UTF-8: any WHATWG label (shift_jis,
    /// windows-1251, utf-16le, …). UTF-16 with a byte-order mark is recognised without it.
    /// Without it, on Windows, a line that is not UTF-8 is read in the system's ANSI code
    /// page (CP932 on a Japanese server), as NPS writes it.
    #[arg(long, short = 'e', value_name = "LABEL")]
    encoding: Option<String>,

    /// Copy each input line into event.original (error documents always carry it).
    #[arg(long)]
    keep_original: bool,

    /// Which fields a document carries: `compact` writes each fact once (decoded fields;
    /// raw attributes only where no decoded field carries them); `full` adds every raw
    /// attribute and every rendering of each code. Same schema either way.
    #[arg(long, default_value = "compact", value_parser = ["compact", "full"], value_name = "PROFILE")]
    fields: String,

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

    /// Worker threads for files (output stays in input order). Default: every core for
    /// files, 1 for standard input.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,

    /// Follow the files matching the patterns as NPS writes them: new lines, new files,
    /// every rotation style, truncation. Runs until stopped (SIGTERM, Ctrl-C) or until its
    /// parent process ends.
    #[arg(long, conflicts_with = "listen")]
    follow: bool,

    /// With --follow and no checkpoint: read the files found at start from their start
    /// (default: from their end).
    #[arg(long, requires = "follow", conflicts_with = "from_end")]
    from_start: bool,

    /// With --follow --checkpoint, on a first run (no checkpoint file yet): start the files
    /// found at start at their end (default: read them from their start).
    #[arg(long, requires = "checkpoint")]
    from_end: bool,

    /// With --follow: keep per-file positions in FILE, saved atomically after the output
    /// they cover is flushed. A stop by SIGTERM or Ctrl-C then repeats and loses no line
    /// on restart; a crash loses none and repeats at most the lines of the last 0.2 s or
    /// 1 MiB chunk, with the same event.id.
    #[arg(long, requires = "follow", value_name = "FILE")]
    checkpoint: Option<PathBuf>,

    /// With --follow: files last written longer ago than this when found are not read
    /// (5d, 12h, 30m, 90s; plain numbers are seconds).
    #[arg(long, requires = "follow", value_name = "AGE", value_parser = parse_age)]
    ignore_older: Option<Duration>,

    /// With --follow: how long a file renamed out of the patterns or deleted is still read
    /// after its last growth, for its writer's last lines.
    #[arg(long, requires = "follow", default_value_t = 5000, value_name = "MS")]
    rotate_wait_ms: u64,

    /// With --follow: how often to look for new lines and files.
    #[arg(long, requires = "follow", default_value_t = 500, value_name = "MS")]
    poll_interval_ms: u64,

    /// Accept newline-delimited lines (NPS lines or event JSON) over TCP on this loopback
    /// address (127.0.0.1:9514); port 0 picks one, announced on stderr.
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,

    /// With --listen: close a connection that sent nothing for this long (its partial line,
    /// if any, still gives a document); 0: never.
    #[arg(long, requires = "listen", default_value_t = cli::listen::DEFAULT_IDLE_TIMEOUT_S, value_name = "SECS")]
    listen_idle_timeout_s: u64,

    /// With --listen: connections open at most; over it, a new one closes the longest idle
    /// one (idle for a second at least), or is closed at once when none is idle.
    #[arg(long, requires = "listen", default_value_t = cli::listen::DEFAULT_MAX_CONNECTIONS, value_name = "N")]
    listen_max_connections: usize,

    /// Send the documents as HTTP POSTs of newline-delimited JSON to URL (http://HOST:PORT/PATH,
    /// e.g. Vector's http_server source) instead of stdout. Each request is sent until the
    /// receiver answers 2xx; with --follow --checkpoint, positions are saved only for
    /// acknowledged documents.
    #[arg(long, value_name = "URL", conflicts_with = "pretty")]
    post: Option<String>,

    /// No diagnostics on stderr except errors.
    #[arg(long, short = 'q')]
    quiet: bool,

    /// Check the options, print the settings they resolve to as JSON, and exit.
    #[arg(long)]
    dry_run: bool,
}

/// Made from this command line's own definition, so they never drift from it.
#[derive(Debug, Subcommand)]
enum Extra {
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff): nps-enrich man > nps-enrich.1
    Man,
}

fn extra(what: Extra) -> ExitCode {
    let mut cmd = Cli::command();
    let mut out = io::stdout().lock();
    let written = match what {
        Extra::Completions { shell } => {
            clap_complete::generate(shell, &mut cmd, "nps-enrich", &mut out);
            Ok(())
        }
        Extra::Man => clap_mangen::Man::new(cmd).render(&mut out),
    };
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            diag("error", &format!("stdout: {e}"));
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `--ignore-older`: a number with an optional unit (s, m, h, d).
fn parse_age(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}': expected a number with s, m, h or d"))?;
    let secs = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        u => return Err(format!("'{s}': unknown unit '{u}': use s, m, h or d")),
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

fn open(path: &str) -> io::Result<Box<dyn Read + Send>> {
    if path == "-" {
        Ok(Box::new(io::stdin()))
    } else {
        Ok(Box::new(File::open(path)?))
    }
}

/// Without `--encoding`: lines that are not UTF-8 are, on Windows, in the system's ANSI code
/// page (NPS writes its logs in it: CP932 on a Japanese server); elsewhere, or when that page
/// is UTF-8 or has no decoder, their bad bytes become U+FFFD.
fn default_line_decode() -> LineDecode {
    let Some(cp) = cli::ansi_code_page() else {
        return LineDecode::AsIs;
    };
    match cli::ansi_code_page_encoding(cp) {
        Some(enc) => LineDecode::NotUtf8(enc),
        None => {
            if cp != 65001 {
                diag(
                    "info",
                    &format!(
                        "the ANSI code page {cp} has no decoder here: bytes that are not UTF-8 become U+FFFD (--encoding names the input's encoding)"
                    ),
                );
            }
            LineDecode::AsIs
        }
    }
}

/// Ends the follow and listen loops on SIGTERM, SIGINT or Ctrl-C (on Windows Ctrl-C and
/// Ctrl-Break; there the console closing, logoff and shutdown end the process as soon as
/// the handler returns, as a kill), after a final flush; and when the parent process ends
/// (a shipper's child must not outlive it: its stdout is then a pipe nobody reads, which an
/// idle loop would never notice).
fn stop_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let s = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || s.store(true, std::sync::atomic::Ordering::Relaxed))
    {
        diag("warning", &format!("cannot catch stop signals: {e}"));
    }
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let s = Arc::clone(&stop);
        // Parent 1 (init, or a container's first process) is no parent we can watch.
        if parent != 1 {
            std::thread::spawn(move || {
                while std::os::unix::process::parent_id() == parent {
                    std::thread::sleep(Duration::from_millis(200));
                }
                diag("info", "the parent process ended: stopping");
                s.store(true, std::sync::atomic::Ordering::Relaxed);
            });
        }
    }
    #[cfg(windows)]
    watch_parent(Arc::clone(&stop));
    stop
}

/// Windows keeps a process's parent id after the parent ends (no reparenting to watch for),
/// and may give the id to a new process: the parent is known by its id and start time, and
/// looked for in the process list every half second.
#[cfg(windows)]
fn watch_parent(stop: Arc<AtomicBool>) {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    fn started(sys: &mut System, pid: Pid) -> Option<u64> {
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid]),
            true,
            ProcessRefreshKind::nothing(),
        );
        sys.process(pid).map(|p| p.start_time())
    }
    let Ok(me) = sysinfo::get_current_pid() else {
        return;
    };
    let mut sys = System::new();
    let Some(my_start) = started(&mut sys, me) else {
        return;
    };
    let Some(parent) = sys.process(me).and_then(|p| p.parent()) else {
        return;
    };
    // Gone already, or its id taken by a process younger than us: nothing to watch.
    let born = match started(&mut sys, parent) {
        Some(t) if t <= my_start => t,
        _ => {
            diag(
                "info",
                "the parent process has ended already: not watching it",
            );
            return;
        }
    };
    std::thread::spawn(move || {
        while started(&mut sys, parent) == Some(born) {
            std::thread::sleep(Duration::from_millis(500));
        }
        diag("info", "the parent process ended: stopping");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(what) = cli.command {
        return extra(what);
    }
    cli::QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    std::panic::set_hook(Box::new(|info| {
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
    // --follow reads a file's bytes and splits its lines itself, so its lines are decoded
    // one by one; a UTF-16 file's line ends are not single bytes.
    let line_decode = match encoding {
        Some(enc) if cli.follow => {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                diag(
                    "error",
                    &format!(
                        "--follow cannot read {}: use an ASCII-compatible encoding (NPS writes the server's ANSI code page)",
                        enc.name()
                    ),
                );
                return ExitCode::from(2);
            }
            LineDecode::All(enc)
        }
        Some(_) => LineDecode::AsIs,
        None if cli.listen.is_some() => LineDecode::AsIs,
        None => default_line_decode(),
    };
    let listen = match cli.listen.as_deref().map(cli::listen::loopback) {
        None => None,
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => {
            diag("error", &e);
            return ExitCode::from(2);
        }
    };
    let post = match cli.post.as_deref().map(cli::post::parse_url) {
        None => None,
        Some(Ok(u)) => Some(u),
        Some(Err(e)) => {
            diag("error", &e);
            return ExitCode::from(2);
        }
    };
    if cli.follow && cli.files.is_empty() {
        diag("error", "--follow needs at least one file pattern");
        return ExitCode::from(2);
    }
    let format = match cli.format {
        FormatArg::Auto => None,
        FormatArg::Ias => Some(Format::Ias),
        FormatArg::Odbc => Some(Format::Odbc),
        FormatArg::Dts => Some(Format::Dts),
        FormatArg::Winevent => Some(Format::WinEvent),
    };
    let max = cli.max_line_bytes.max(1);
    // clap allows only the profile names.
    let fields = Fields::parse(&cli.fields).unwrap_or_default();
    if cli.dry_run {
        let mode = if cli.follow {
            "follow"
        } else if listen.is_some() {
            "listen"
        } else {
            "files"
        };
        let settings = serde_json::json!({
            "mode": mode,
            "inputs": cli.files,
            "timezone": zone.label(),
            "format": cli.format,
            "encoding": encoding.map(|e| e.name()),
            "not_utf8_lines_as": match line_decode {
                LineDecode::NotUtf8(e) => Some(e.name()),
                _ => None,
            },
            "keep_original": cli.keep_original,
            "fields": fields.name(),
            "max_line_bytes": max,
            "from_start": cli.from_start,
            "from_end": cli.from_end,
            "checkpoint": cli.checkpoint,
            "ignore_older_s": cli.ignore_older.map(|d| d.as_secs()),
            "rotate_wait_ms": cli.rotate_wait_ms,
            "poll_interval_ms": cli.poll_interval_ms,
            "listen": listen.map(|a| a.to_string()),
            "listen_idle_timeout_s": cli.listen_idle_timeout_s,
            "listen_max_connections": cli.listen_max_connections.max(1),
            "post": post,
        });
        println!("{settings}");
        return ExitCode::SUCCESS;
    }

    let _ = cli::LINE_DECODE.set(line_decode);
    if post.is_none()
        && let Err(e) = cli::check_stdout()
    {
        diag("error", &e);
        return ExitCode::from(1);
    }
    let options = Options {
        zone,
        format,
        keep_original: cli.keep_original,
        max_line_bytes: max,
        fields,
    };
    let transformer = Transformer::new(options.clone());
    // The long-running modes stop on a signal or the parent's end; --post's retries too.
    let stop = (cli.follow || listen.is_some()).then(stop_flag);
    let out: Box<dyn Write> = match post {
        Some(url) => Box::new(cli::post::Post::new(url, stop.clone())),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
    };
    let mut sink = Sink::new(transformer, cli.pretty, out);
    let stop_ref = stop.unwrap_or_default();

    let result = if cli.follow {
        let opts = cli::follow::FollowOptions {
            globs: cli.files.clone(),
            from_start: cli.from_start,
            from_end: cli.from_end,
            checkpoint: cli.checkpoint.clone(),
            poll: Duration::from_millis(cli.poll_interval_ms.max(10)),
            max_line_bytes: max,
            ignore_older: cli.ignore_older,
            rotate_wait: Duration::from_millis(cli.rotate_wait_ms),
        };
        cli::follow::run(&opts, &mut sink, &stop_ref).map(|()| false)
    } else if let Some(addr) = listen {
        let opts = cli::listen::ListenOptions {
            addr,
            idle_timeout: (cli.listen_idle_timeout_s > 0)
                .then(|| Duration::from_secs(cli.listen_idle_timeout_s)),
            max_connections: cli.listen_max_connections.max(1),
        };
        cli::listen::run(&opts, &mut sink, &stop_ref).map(|()| false)
    } else {
        read_inputs(&cli, encoding, &options, &mut sink)
    };
    let failed = match result.and_then(|failed| sink.flush().map(|()| failed)) {
        Ok(failed) => failed,
        Err(Stop::Closed) => false,
        Err(Stop::Failed(e)) => {
            diag("error", &format!("{e}"));
            return ExitCode::from(1);
        }
    };
    if cli.stats {
        eprintln!("{}", sink.stats().json());
    }
    if failed {
        ExitCode::from(1)
    } else if cli.fail_on_error && sink.stats().errors > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// Files (or stdin) in order; returns whether an input could not be read.
fn read_inputs(
    cli: &Cli,
    encoding: Option<&'static encoding_rs::Encoding>,
    options: &Options,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    let inputs = if cli.files.is_empty() {
        vec![String::from("-")]
    } else {
        cli.files.clone()
    };
    let on_stdin = inputs.iter().any(|p| p == "-");
    let threads = cli.threads.unwrap_or_else(|| {
        if on_stdin {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    });
    // Each input decoded to UTF-8 (UTF-16 by its BOM, --encoding); UTF-8 passes through.
    let readers = inputs.iter().map(|path| {
        let reader = open(path).map(|r| {
            let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(encoding)
                .bom_override(true)
                .utf8_passthru(true)
                .build(r);
            BufReader::with_capacity(1 << 16, decoded)
        });
        (path.clone(), reader)
    });
    if threads > 1 {
        return cli::parallel::run(readers, options, cli.pretty, threads, sink);
    }
    let mut failed = false;
    let mut line = Vec::with_capacity(4096);
    for (path, reader) in readers {
        let reader = match reader {
            Ok(r) => r,
            Err(e) => {
                diag("error", &format!("{path}: {e}"));
                failed = true;
                continue;
            }
        };
        let mut lines = LineReader::new(reader, options.max_line_bytes);
        loop {
            match lines.next_line(&mut line) {
                Ok(Some(len)) => sink.line_at(&line, len, Some(lines.line_start()))?,
                Ok(None) => break,
                Err(e) => {
                    diag("error", &format!("{path}: {e}"));
                    failed = true;
                    break;
                }
            }
        }
    }
    Ok(failed)
}
