//! `--post URL`: documents go out as HTTP POST requests of newline-delimited JSON instead of
//! to stdout, and a flush returns only once the receiver has answered 2xx for every
//! document written before it.
//!
//! This is the acknowledged hand-off: with `--follow --checkpoint`, positions are saved
//! only after a flush, so a saved position covers documents the receiver has acknowledged.
//! Vector's `http_server` source with end-to-end acknowledgements answers a request only
//! once its sinks have stored the events (vector-config/vector/follow-post-*.toml), so
//! neither a crash of nps-enrich nor one of Vector (nor of the store) loses a line: what
//! was not acknowledged is sent again, with the same `event.id`, and a store keyed on it
//! keeps one copy.
//!
//! - **Requests** hold whole documents: a body is cut only after a line end, and is sent
//!   once [`MAX_BODY`] bytes are waiting or at a flush. One request is in flight at a
//!   time, so documents arrive in their order.
//! - **Failures are retried, never dropped**: no connection, a timeout, or any status that
//!   is not 2xx sends the same body again, after 0.1 s doubling to [`MAX_BACKOFF`]. A
//!   diagnostic says so (of one kind of failure at most one per [`DIAG_EVERY`], with the
//!   count held back), and
//!   another when the receiver answers again. A 4xx other than 408 and 429 is an `error`:
//!   the receiver refused the documents, and they stay first in line until it takes them.
//! - **A stop** (SIGTERM, Ctrl-C, the parent's end) while a request is unanswered or
//!   failing waits at most [`STOP_GRACE`] for an answer, then gives up with an `info`
//!   diagnostic: those documents are not covered by the checkpoint and go again at the
//!   next start.
//! - **An answer** must come within [`ANSWER_WAIT`]; a receiver that waits longer on its
//!   store gets the body again (it stores the repeat once, by `event.id`).

use super::diag;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A request is sent once this many bytes of documents are waiting.
pub const MAX_BODY: usize = 8 << 20;
/// The longest wait between two tries of one request.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Repeated failure diagnostics are printed at most this often.
const DIAG_EVERY: Duration = Duration::from_secs(10);
/// How long a stop waits for the answer to a request in flight: about a poll interval, as
/// a child whose shipper died must not outlive it for long (the shipper's next child would
/// run beside it), yet a receiver that is answering gets to finish.
const STOP_GRACE: Duration = Duration::from_millis(500);
/// How long an answer is waited for before the request is sent again.
const ANSWER_WAIT: Duration = Duration::from_secs(300);
/// A failure's answer body is quoted up to this many bytes.
const QUOTE_BYTES: u64 = 512;

/// The error a write or flush returns when a stop came before the receiver answered.
#[derive(Debug)]
pub struct Unacknowledged;

impl std::fmt::Display for Unacknowledged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped before the receiver acknowledged the last documents")
    }
}

impl std::error::Error for Unacknowledged {}

/// Checks `--post`'s URL: `http://` with a host (TLS is not built in: post to a receiver
/// on this machine or the local network, such as Vector's `http_server`).
pub fn parse_url(url: &str) -> Result<String, String> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| format!("--post {url}: not a URL: {e}"))?;
    match uri.scheme_str() {
        Some("http") if uri.host().is_some() => Ok(url.to_string()),
        Some("https") => Err(format!(
            "--post {url}: https is not supported; post to a receiver on this machine (http://127.0.0.1:PORT/) and let it forward over TLS"
        )),
        _ => Err(format!("--post {url}: expected http://HOST:PORT/PATH")),
    }
}

/// Documents out by POST, each request acknowledged before a flush returns.
#[derive(Debug)]
pub struct Post {
    agent: ureq::Agent,
    url: String,
    pending: Vec<u8>,
    stop: Option<Arc<AtomicBool>>,
    /// Documents and requests acknowledged so far.
    pub documents: u64,
    pub requests: u64,
    /// Documents in the request being tried.
    in_flight: u64,
    /// Failures since the last acknowledged request, and when one was last printed.
    failures: u64,
    held_back: u64,
    said_at: Option<Instant>,
    /// The kind of the failure last printed: another kind is printed at once.
    said_kind: u16,
}

impl Post {
    /// Posting to `url` (checked by [`parse_url`]); `stop` ends retries (a stop request).
    pub fn new(url: String, stop: Option<Arc<AtomicBool>>) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_send_body(Some(Duration::from_secs(60)))
            .timeout_recv_response(Some(ANSWER_WAIT))
            .timeout_recv_body(Some(Duration::from_secs(60)))
            .user_agent(concat!("nps-enrich/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Post {
            agent,
            url,
            pending: Vec::with_capacity(1 << 16),
            stop,
            documents: 0,
            requests: 0,
            in_flight: 0,
            failures: 0,
            held_back: 0,
            said_at: None,
            said_kind: 0,
        }
    }

    fn stopping(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    /// Sends every complete document waiting, in one request, until it is acknowledged.
    fn send_waiting(&mut self) -> io::Result<()> {
        let Some(end) = memchr::memrchr(b'\n', &self.pending).map(|i| i + 1) else {
            return Ok(());
        };
        let body: Arc<[u8]> = Arc::from(&self.pending[..end]);
        self.in_flight = memchr::memchr_iter(b'\n', &body).count() as u64;
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.try_once(&body)? {
                Ok(()) => break,
                Err(why) => self.failed(&why, backoff)?,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        if self.failures > 0 {
            diag(
                "info",
                &format!(
                    "{} answers again: delivered after {} failed tries",
                    self.url, self.failures
                ),
            );
            self.failures = 0;
            self.held_back = 0;
            self.said_at = None;
        }
        self.documents += self.in_flight;
        self.requests += 1;
        self.pending.drain(..end);
        Ok(())
    }

    /// One try of `body`, on a thread of its own so that a stop is answered while the
    /// receiver takes its time. Outer error: a stop came first; inner: why it failed.
    fn try_once(&self, body: &Arc<[u8]>) -> io::Result<Result<(), Failure>> {
        let (tx, rx) = mpsc::channel();
        let (agent, url, body) = (self.agent.clone(), self.url.clone(), Arc::clone(body));
        std::thread::spawn(move || {
            let _ = tx.send(post(&agent, &url, &body));
        });
        let mut stopped_at = None;
        loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(r) => return Ok(r),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Ok(Err(Failure::Transport("the request thread ended".into())));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if self.stopping() {
                let at = *stopped_at.get_or_insert_with(Instant::now);
                if at.elapsed() >= STOP_GRACE {
                    return Err(self.give_up("has not answered"));
                }
            }
        }
    }

    /// After a failed try: says so (rate-limited), then waits `backoff` (a stop ends it).
    fn failed(&mut self, why: &Failure, backoff: Duration) -> io::Result<()> {
        self.failures += 1;
        let kind = why.kind();
        if self.said_at.is_some_and(|at| at.elapsed() < DIAG_EVERY) && self.said_kind == kind {
            self.held_back += 1;
        } else {
            let level = if why.refused() { "error" } else { "warning" };
            let more = match self.held_back {
                0 => String::new(),
                n => format!(" ({n} more failed tries since the last message)"),
            };
            diag(
                level,
                &format!(
                    "POST {}: {why}; sending the same {} documents again until it is acknowledged{more}",
                    self.url, self.in_flight
                ),
            );
            self.held_back = 0;
            self.said_at = Some(Instant::now());
            self.said_kind = kind;
        }
        let until = Instant::now() + backoff;
        while Instant::now() < until {
            if self.stopping() {
                return Err(self.give_up("is failing"));
            }
            std::thread::sleep(Duration::from_millis(20).min(backoff));
        }
        Ok(())
    }

    fn give_up(&self, state: &str) -> io::Error {
        let n = memchr::memchr_iter(b'\n', &self.pending).count();
        diag(
            "info",
            &format!(
                "stopping while {} {state}: {n} documents are not acknowledged; a checkpoint does not cover them, so they are sent again at the next start",
                self.url
            ),
        );
        io::Error::other(Unacknowledged)
    }
}

impl Drop for Post {
    fn drop(&mut self) {
        if self.requests > 0 {
            diag(
                "info",
                &format!(
                    "{} documents acknowledged by {} in {} requests",
                    self.documents, self.url, self.requests
                ),
            );
        }
    }
}

impl Write for Post {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= MAX_BODY {
            self.send_waiting()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_waiting()
    }
}

/// Why a try failed.
#[derive(Debug)]
enum Failure {
    Transport(String),
    Status(u16, String),
}

impl Failure {
    /// The status, or 0 for no answer.
    fn kind(&self) -> u16 {
        match self {
            Failure::Transport(_) => 0,
            Failure::Status(s, _) => *s,
        }
    }

    /// The receiver refused the request itself (a 4xx but a timeout or rate limit).
    fn refused(&self) -> bool {
        matches!(self, Failure::Status(s, _) if (400..500).contains(s) && *s != 408 && *s != 429)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transport(e) => write!(f, "{e}"),
            Failure::Status(s, body) if body.is_empty() => write!(f, "answered {s}"),
            Failure::Status(s, body) => write!(f, "answered {s}: {body}"),
        }
    }
}

fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<(), Failure> {
    let mut resp = agent
        .post(url)
        .header("Content-Type", "application/x-ndjson")
        .send(body)
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let status = resp.status().as_u16();
    // Read the body whatever the status, so the connection can be used again.
    let mut text = Vec::new();
    let mut reader = resp.body_mut().as_reader();
    let _ = io::Read::read_to_end(&mut io::Read::take(&mut reader, QUOTE_BYTES), &mut text);
    let _ = io::copy(&mut reader, &mut io::sink());
    if (200..300).contains(&status) {
        Ok(())
    } else {
        let text = String::from_utf8_lossy(&text);
        Err(Failure::Status(status, text.trim().replace('\n', " ")))
    }
}
