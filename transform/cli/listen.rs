//! `--listen ADDR`: newline-delimited lines (raw NPS lines or event JSON) over TCP on a
//! loopback address, one document per line on stdout — the loop that lets Vector's own
//! `file` or `windows_event_log` source feed the transform (Vector sends with a `socket`
//! sink, reads our stdout with `exec`).
//!
//! # Design
//!
//! One thread does everything: it waits on the listener and every connection at once
//! (`mio`: epoll, kqueue, or IOCP under Windows), reads, splits lines with the library's one
//! rule ([`LineReader`]) and writes each document as soon as its line is complete. Hundreds
//! of connections cost a file descriptor and a 16 KiB read buffer each, not a thread.
//! `mio` (the tokio project's readiness layer, std-only otherwise, Windows included) is
//! the one dependency this takes: std alone cannot wait on many sockets at once, and a
//! thread per connection behind a fixed number of slots is what let idle connections
//! starve everyone.
//!
//! - **Fairness.** Work goes in rounds: in each round every connection with bytes waiting
//!   gets one turn of at most [`TURN_BYTES`] read from its socket (plus what its buffer
//!   already holds), so a client that floods gets one share per round like any other and
//!   cannot starve a slow one. A line is written whole by the turn that completes it; each
//!   connection's lines come out in its order; lines of different connections are never
//!   split or mixed.
//! - **Backpressure.** Nothing is queued between reading and writing: while stdout is
//!   slow, sockets are not read, their kernel buffers fill and TCP slows the senders.
//! - **Idle timeout.** A connection that sent nothing (and has nothing waiting) for
//!   `--listen-idle-timeout-s` seconds (default 60; 0 = never) is closed, with an `info`
//!   diagnostic.
//! - **Connection limit.** At most `--listen-max-connections` (default 256) are open. A new
//!   connection over the limit closes the open one that has been idle longest, if it has
//!   sent nothing for at least [`IDLE_TO_EVICT`]; when every open connection sent data in
//!   that time, the new one is accepted and closed at once. Either way a `warning`
//!   diagnostic says so. Connections are always accepted at once, so no client hangs in
//!   the kernel's backlog (unless the process runs out of file descriptors: an `error`
//!   diagnostic, and accepting is tried again every 50 ms), and a busy client is never
//!   closed to make room.
//! - **Nothing accepted is lost.** Whenever a connection ends — the client closes it, an
//!   error, the idle timeout, the limit, a stop — the partial line it had sent (bytes after
//!   its last line end) still becomes one document.
//! - **Stop (SIGTERM, SIGINT, Ctrl-C).** Connections whose handshake is already done are
//!   taken, then the listener is closed: new connections are refused. Open connections are
//!   read on, in rounds as above, until each has been closed by its client or has had
//!   nothing to read for [`DRAIN_QUIET`], or until [`DRAIN_DEADLINE`] passes (a `warning`
//!   then says how many were cut). Every line read is written, then each connection's
//!   partial line as a document of its own; stdout is flushed and the process exits 0. So:
//!   every line a client finished writing before the stop is written exactly once, in its
//!   order, if it is read before the deadline (5 s at the transform's speed is several
//!   hundred thousand lines, shared fairly between connections); a client still sending at
//!   the deadline is cut after its last complete line read, plus the partial one. Bytes
//!   still unread then are lost.
//! - **Refused connections** (over the limit, none idle) are accepted and closed without
//!   being read, and during a stop the listener is closed: a client should reconnect and
//!   send again (Vector's `socket` sink reconnects).
//!
//! Memory stays under about connections × (16 KiB + `--max-line-bytes`): a line longer than
//! that keeps only its start (it becomes a `line_too_long` document).
//!
//! Diagnostics of one kind (idle closes, the limit, accept errors) are printed at most once
//! a second; those held back meanwhile are counted in one line when the second is over, so
//! a storm of connections cannot flood stderr (which nobody may be reading).

use super::{LineReader, Sink, Stop, diag};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::io::{self, BufReader, Read};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `--listen-max-connections` by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// `--listen-idle-timeout-s` by default.
pub const DEFAULT_IDLE_TIMEOUT_S: u64 = 60;
/// On a stop, how long open connections are read at most.
pub const DRAIN_DEADLINE: Duration = Duration::from_secs(5);
/// On a stop, a connection with nothing to read for this long is taken as drained.
pub const DRAIN_QUIET: Duration = Duration::from_millis(100);
/// Bytes read from one connection's socket in one turn.
pub const TURN_BYTES: usize = 64 << 10;
/// A connection over the limit may close one that has sent nothing for this long.
pub const IDLE_TO_EVICT: Duration = Duration::from_secs(1);
/// Each connection's read buffer.
const READ_BUFFER: usize = 16 << 10;
/// The longest wait for events, so a stop or a timeout is seen in time.
const TICK: Duration = Duration::from_millis(50);
/// Output is flushed when there is nothing left to read, and at least this often.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// How often idle connections are looked for.
const IDLE_SCAN: Duration = Duration::from_millis(100);
const LISTENER: Token = Token(usize::MAX);

/// What `--listen` was given.
#[derive(Debug, Clone)]
pub struct ListenOptions {
    pub addr: SocketAddr,
    /// `None`: never.
    pub idle_timeout: Option<Duration>,
    pub max_connections: usize,
}

/// The address to bind, refusing anything but loopback: the listener has no
/// authentication, so it must not be reachable from the network.
pub fn loopback(addr: &str) -> Result<SocketAddr, String> {
    let a = addr
        .to_socket_addrs()
        .map_err(|e| format!("--listen {addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("--listen {addr}: no address"))?;
    if a.ip().is_loopback() {
        Ok(a)
    } else {
        Err(format!(
            "--listen {addr}: only loopback addresses (127.0.0.1, [::1]) are accepted: the listener has no authentication"
        ))
    }
}

/// A socket that gives at most `left` bytes, then reports `WouldBlock` (with `cut` set)
/// as if it were empty: one connection's turn.
struct Metered {
    stream: TcpStream,
    left: usize,
    cut: bool,
    got: bool,
}

impl Read for Metered {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            self.cut = true;
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(self.left);
        let got = self.stream.read(&mut buf[..n])?;
        self.left -= got;
        self.got |= got > 0;
        Ok(got)
    }
}

struct Conn {
    reader: LineReader<BufReader<Metered>>,
    /// The line being read: its kept bytes and its length so far.
    line: Vec<u8>,
    total: usize,
    peer: SocketAddr,
    /// There may be bytes to read: read on until the socket (not a turn's end) says it is
    /// empty, when a new event sets this again.
    readable: bool,
    last_data: Instant,
}

enum Turn {
    /// The turn ended with bytes left to read.
    More,
    /// Nothing left to read for now.
    Empty,
    /// Closed by the client (its last line written), or failed.
    Ended,
}

impl Conn {
    fn metered(&mut self) -> &mut Metered {
        self.reader.inner.get_mut()
    }

    /// Reads one turn's worth, writing every line completed.
    fn turn(&mut self, sink: &mut Sink, now: Instant) -> Result<Turn, Stop> {
        let m = self.metered();
        m.left = TURN_BYTES;
        m.cut = false;
        m.got = false;
        let turn = loop {
            match self.reader.continue_line(&mut self.line, &mut self.total) {
                Ok(Some(len)) => {
                    sink.line(&self.line, len)?;
                    self.line.clear();
                }
                Ok(None) => break Turn::Ended,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if self.metered().cut {
                        break Turn::More;
                    }
                    self.readable = false;
                    break Turn::Empty;
                }
                Err(e) => {
                    diag("warning", &format!("--listen: {}: {e}", self.peer));
                    break Turn::Ended;
                }
            }
        };
        if self.metered().got {
            self.last_data = now;
        }
        Ok(turn)
    }
}

/// Diagnostics of one kind, printed at most once a second; those held back meanwhile are
/// counted in one line when the second is over (or at the end).
struct Throttled {
    level: &'static str,
    /// What the held-back ones were: "idle connections closed".
    what: &'static str,
    next: Option<Instant>,
    held: u64,
}

impl Throttled {
    const fn new(level: &'static str, what: &'static str) -> Self {
        Throttled {
            level,
            what,
            next: None,
            held: 0,
        }
    }

    fn say(&mut self, message: &str, now: Instant) {
        self.tick(Some(now));
        if self.next.is_some_and(|next| now < next) {
            self.held += 1;
        } else {
            diag(self.level, message);
            self.next = Some(now + Duration::from_secs(1));
        }
    }

    /// Counts those held back, once their second is over (`None`: now, at the end).
    fn tick(&mut self, now: Option<Instant>) {
        let over = match (now, self.next) {
            (Some(now), Some(next)) => now >= next,
            _ => true,
        };
        if self.held > 0 && over {
            diag(
                self.level,
                &format!(
                    "--listen: {} more {} (not shown one by one)",
                    self.held, self.what
                ),
            );
            self.held = 0;
        }
    }
}

struct Server<'a> {
    opts: &'a ListenOptions,
    poll: Poll,
    listener: Option<TcpListener>,
    accept_ready: bool,
    /// Indexed by token; a free slot is `None`.
    conns: Vec<Option<Conn>>,
    free: Vec<usize>,
    open: usize,
    idle_note: Throttled,
    limit_note: Throttled,
    accept_note: Throttled,
}

impl Server<'_> {
    /// Takes every connection waiting, while the listener is open.
    fn accept(&mut self, sink: &mut Sink, now: Instant) -> Result<(), Stop> {
        while self.accept_ready {
            let Some(listener) = &self.listener else {
                return Ok(());
            };
            match listener.accept() {
                Ok((stream, peer)) => self.admit(stream, peer, sink, now)?,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.accept_ready = false,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
                    ) => {}
                Err(e) => {
                    // Out of file descriptors, say: tried again on the next tick.
                    self.accept_note.say(&format!("--listen: accept: {e}"), now);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn admit(
        &mut self,
        mut stream: TcpStream,
        peer: SocketAddr,
        sink: &mut Sink,
        now: Instant,
    ) -> Result<(), Stop> {
        if self.open >= self.opts.max_connections {
            let max = self.opts.max_connections;
            let victim = self
                .conns
                .iter()
                .enumerate()
                .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
                .filter(|(_, c)| !c.readable && now.duration_since(c.last_data) >= IDLE_TO_EVICT)
                .min_by_key(|(_, c)| c.last_data)
                .map(|(i, c)| (i, c.peer, now.duration_since(c.last_data)));
            match victim {
                Some((i, old, idle)) => {
                    let idle = idle.as_secs_f64();
                    let msg = format!(
                        "--listen: {max} connections open: closed {old} (idle for {idle:.1} s) to make room for {peer}"
                    );
                    self.limit_note.say(&msg, now);
                    self.close(i, sink)?;
                }
                None => {
                    let quiet = IDLE_TO_EVICT.as_secs();
                    let msg = format!(
                        "--listen: {max} connections open, none idle for {quiet} s: closed {peer} at once"
                    );
                    self.limit_note.say(&msg, now);
                    return Ok(()); // dropping the stream closes it
                }
            }
        }
        let slot = self.free.pop().unwrap_or(self.conns.len());
        if let Err(e) = self
            .poll
            .registry()
            .register(&mut stream, Token(slot), Interest::READABLE)
        {
            self.accept_note.say(&format!("--listen: {peer}: {e}"), now);
            if slot < self.conns.len() {
                self.free.push(slot);
            }
            return Ok(());
        }
        let metered = Metered {
            stream,
            left: 0,
            cut: false,
            got: false,
        };
        let conn = Conn {
            reader: LineReader::new(
                BufReader::with_capacity(READ_BUFFER, metered),
                sink.max_line_bytes(),
            ),
            line: Vec::new(),
            total: 0,
            peer,
            // Bytes may have come before the registration: look at once.
            readable: true,
            last_data: now,
        };
        if slot == self.conns.len() {
            self.conns.push(Some(conn));
        } else {
            self.conns[slot] = Some(conn);
        }
        self.open += 1;
        Ok(())
    }

    /// Closes a connection, first writing its partial line, if any.
    fn close(&mut self, i: usize, sink: &mut Sink) -> Result<(), Stop> {
        let Some(mut c) = self.conns[i].take() else {
            return Ok(());
        };
        self.free.push(i);
        self.open -= 1;
        let _ = self.poll.registry().deregister(&mut c.metered().stream);
        if c.total > 0 {
            sink.line(&c.line, c.total)?;
        }
        Ok(())
    }

    /// One round: every connection with bytes waiting gets a turn. Whether any has more.
    fn round(&mut self, sink: &mut Sink, now: Instant) -> Result<bool, Stop> {
        let mut more = false;
        for i in 0..self.conns.len() {
            let Some(c) = self.conns[i].as_mut().filter(|c| c.readable) else {
                continue;
            };
            match c.turn(sink, now)? {
                Turn::More => more = true,
                Turn::Empty => {}
                Turn::Ended => self.close(i, sink)?,
            }
        }
        Ok(more)
    }

    /// Closes connections that sent nothing for the idle timeout.
    fn close_idle(&mut self, timeout: Duration, sink: &mut Sink, now: Instant) -> Result<(), Stop> {
        for i in 0..self.conns.len() {
            let Some(c) = self.conns[i].as_mut() else {
                continue;
            };
            if c.readable || now.duration_since(c.last_data) < timeout {
                continue;
            }
            // Make sure: a byte waiting unannounced keeps the connection.
            match c.turn(sink, now)? {
                Turn::Ended => self.close(i, sink)?,
                _ if c.last_data == now => {}
                _ => {
                    let peer = c.peer;
                    let partial = c.total;
                    self.close(i, sink)?;
                    let tail = if partial > 0 {
                        format!("; its partial line ({partial} bytes) was written")
                    } else {
                        String::new()
                    };
                    let secs = timeout.as_secs();
                    let msg =
                        format!("--listen: closed {peer}: nothing received for {secs} s{tail}");
                    self.idle_note.say(&msg, now);
                }
            }
        }
        Ok(())
    }

    /// Counts the diagnostics held back (`None`: all of them, at the end).
    fn tick_notes(&mut self, now: Option<Instant>) {
        self.idle_note.tick(now);
        self.limit_note.tick(now);
        self.accept_note.tick(now);
    }

    /// On a stop seen at `since`: the connections not drained yet (with bytes waiting, or
    /// some read in the last DRAIN_QUIET).
    fn undrained(&self, since: Instant, now: Instant) -> usize {
        self.conns
            .iter()
            .flatten()
            .filter(|c| c.readable || now.duration_since(c.last_data.max(since)) < DRAIN_QUIET)
            .count()
    }
}

pub fn run(opts: &ListenOptions, sink: &mut Sink, stop: &Arc<AtomicBool>) -> Result<(), Stop> {
    let std_listener = std::net::TcpListener::bind(opts.addr).map_err(Stop::Failed)?;
    std_listener.set_nonblocking(true).map_err(Stop::Failed)?;
    let bound = std_listener.local_addr().map_err(Stop::Failed)?;
    let mut listener = TcpListener::from_std(std_listener);
    let poll = Poll::new().map_err(Stop::Failed)?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .map_err(Stop::Failed)?;
    diag("info", &format!("listening on {bound}"));
    let mut server = Server {
        opts,
        poll,
        listener: Some(listener),
        accept_ready: true,
        conns: Vec::new(),
        free: Vec::new(),
        open: 0,
        idle_note: Throttled::new("info", "idle connections closed"),
        limit_note: Throttled::new("warning", "connections closed at the connection limit"),
        accept_note: Throttled::new("error", "errors accepting connections"),
    };
    let mut events = Events::with_capacity(1024);
    // On a stop: when it was seen, and the deadline.
    let mut stopping: Option<(Instant, Instant)> = None;
    let mut last_flush = Instant::now();
    let mut last_scan = Instant::now();
    loop {
        let now = Instant::now();
        if stopping.is_none() && stop.load(Ordering::Relaxed) {
            // Take what has connected already, then refuse the rest.
            server.accept_ready = true;
            server.accept(sink, now)?;
            if let Some(mut l) = server.listener.take() {
                let _ = server.poll.registry().deregister(&mut l);
            }
            diag(
                "info",
                &format!(
                    "--listen: stopping: reading what the open connections ({}) sent (at most {} s)",
                    server.open,
                    DRAIN_DEADLINE.as_secs()
                ),
            );
            stopping = Some((now, now + DRAIN_DEADLINE));
        }
        server.accept(sink, now)?;
        let more = server.round(sink, now)?;
        server.tick_notes(Some(now));
        match stopping {
            Some((since, deadline)) => {
                let sending = server.undrained(since, now);
                if sending == 0 || now >= deadline {
                    if sending > 0 {
                        diag(
                            "warning",
                            &format!(
                                "--listen: stop deadline ({} s) reached: connections cut: {sending}",
                                DRAIN_DEADLINE.as_secs()
                            ),
                        );
                    }
                    for i in 0..server.conns.len() {
                        server.close(i, sink)?;
                    }
                    server.tick_notes(None);
                    return sink.flush();
                }
            }
            None => {
                if let Some(timeout) = opts.idle_timeout
                    && now.duration_since(last_scan) >= IDLE_SCAN
                {
                    last_scan = now;
                    server.close_idle(timeout, sink, now)?;
                }
            }
        }
        if !more || now.duration_since(last_flush) >= FLUSH_EVERY {
            sink.flush()?;
            last_flush = now;
        }
        let wait = if more {
            Duration::ZERO
        } else if stopping.is_some() {
            DRAIN_QUIET / 4
        } else {
            TICK
        };
        match server.poll.poll(&mut events, Some(wait)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Stop::Failed(e)),
        }
        for event in &events {
            if event.token() == LISTENER {
                server.accept_ready = true;
            } else if let Some(Some(c)) = server.conns.get_mut(event.token().0) {
                c.readable = true;
            }
        }
    }
}
