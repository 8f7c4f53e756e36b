//! `--listen ADDR`: newline-delimited lines (raw NPS lines or event JSON) over TCP on a
//! loopback address, one document per line on stdout — the loop that lets Vector's own
//! `file` or `windows_event_log` source feed the transform (Vector sends with a `socket`
//! sink, reads our stdout with `exec`).
//!
//! One thread per connection reads lines (a line may arrive in any number of pieces; the
//! last one is taken at disconnect even without a newline) and hands them to the one
//! writer thread, so lines are never split or mixed and each is written exactly once.

use super::{LineReader, Sink, Stop, diag};
use std::io::{self, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, SyncSender, sync_channel};
use std::time::Duration;

/// A line: its kept bytes and its full length.
type Line = (Vec<u8>, usize);

/// Connections read at once; more wait in the kernel's backlog until one closes. With the
/// queue's bound, memory stays under about (connections + queue) × max line bytes.
const MAX_CONNECTIONS: usize = 32;
/// Lines read but not yet written.
const QUEUE_LINES: usize = 64;

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

fn serve(stream: TcpStream, tx: SyncSender<Line>, max: usize, stop: Arc<AtomicBool>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut reader = LineReader::new(BufReader::with_capacity(1 << 16, stream), max);
    let mut buf = Vec::new();
    let mut total = 0;
    loop {
        match reader.continue_line(&mut buf, &mut total) {
            Ok(Some(len)) => {
                if tx.send((std::mem::take(&mut buf), len)).is_err() {
                    return;
                }
            }
            Ok(None) => return, // disconnected
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                // A pause inside or between lines: keep the bytes read so far and wait on.
                if stop.load(Ordering::Relaxed) {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}

pub fn run(
    addr: SocketAddr,
    sink: &mut Sink,
    stop: &Arc<AtomicBool>,
    quiet: bool,
) -> Result<(), Stop> {
    let listener = TcpListener::bind(addr).map_err(Stop::Failed)?;
    listener.set_nonblocking(true).map_err(Stop::Failed)?;
    let bound = listener.local_addr().map_err(Stop::Failed)?;
    if !quiet {
        diag("info", &format!("listening on {bound}"));
    }
    let (tx, rx) = sync_channel::<Line>(QUEUE_LINES);
    let max = sink.max_line_bytes();
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        // Accept whoever is waiting, up to the connection limit.
        while open.load(Ordering::Acquire) < MAX_CONNECTIONS {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let tx = tx.clone();
                    let stop = Arc::clone(stop);
                    let open = Arc::clone(&open);
                    open.fetch_add(1, Ordering::AcqRel);
                    std::thread::spawn(move || {
                        serve(stream, tx, max, stop);
                        open.fetch_sub(1, Ordering::AcqRel);
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    diag("error", &format!("accept: {e}"));
                    break;
                }
            }
        }
        // Write what has arrived; flush when the queue runs dry.
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok((bytes, len)) => {
                sink.line(&bytes, len)?;
                while let Ok((bytes, len)) = rx.try_recv() {
                    sink.line(&bytes, len)?;
                }
                sink.flush()?;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {}
        }
        if stop.load(Ordering::Relaxed) {
            while let Ok((bytes, len)) = rx.try_recv() {
                sink.line(&bytes, len)?;
            }
            return sink.flush();
        }
    }
}
