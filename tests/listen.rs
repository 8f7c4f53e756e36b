//! `--listen` through the real binary and real sockets on 127.0.0.1: several clients with
//! lines split across writes, a last line without a newline, disconnects; hundreds of idle
//! connections; a flooding client beside a slow one; the idle timeout; the connection
//! limit; a stop (SIGTERM) while clients stream. Every line exactly once, each client's in
//! order. Every loop here is bounded in count and in time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

fn line(user: &str) -> String {
    format!("10.0.0.1,{user},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0")
}

/// What identifies a document's line: its user name, or, for an error document (a line
/// cut short), the first `c<digit>n<digits>` tag in it.
fn tag(doc: &str) -> String {
    const USER: &str = "\"user\":{\"name\":\"";
    if let Some(at) = doc.find(USER) {
        let rest = &doc[at + USER.len()..];
        return rest[..rest.find('"').unwrap_or(rest.len())].to_string();
    }
    let b = doc.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        if b[i] == b'c' && b[i + 1].is_ascii_digit() && b[i + 2] == b'n' {
            let end = (i + 3..b.len())
                .find(|&j| !(b[j].is_ascii_digit() || b[j] == b'x'))
                .unwrap_or(b.len());
            return doc[i..end].to_string();
        }
    }
    String::new()
}

/// The tags of the documents written so far, and whether stdout has closed.
type Docs = Arc<(Mutex<(Vec<String>, bool)>, Condvar)>;

/// A running `nps-enrich --listen 127.0.0.1:0`, its stdout and stderr read by threads.
struct Listener {
    child: Child,
    addr: String,
    docs: Docs,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Listener {
    fn start(extra: &[&str]) -> Listener {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
            .args(["-t", "UTC", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The chosen port is announced on stderr as a JSON diagnostic.
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        err.read_line(&mut first).unwrap();
        let msg: serde_json::Value = serde_json::from_str(&first).unwrap();
        let addr = msg["message"]
            .as_str()
            .unwrap()
            .trim_start_matches("listening on ")
            .to_string();
        let stderr = Arc::new(Mutex::new(String::new()));
        let docs: Docs = Arc::new((Mutex::new((Vec::new(), false)), Condvar::new()));
        let e = Arc::clone(&stderr);
        let err_reader = std::thread::spawn(move || {
            // Read to the end, so diagnostics never block the listener.
            for l in err.lines().map_while(Result::ok) {
                let mut e = e.lock().unwrap();
                e.push_str(&l);
                e.push('\n');
            }
        });
        let out = BufReader::with_capacity(1 << 16, child.stdout.take().unwrap());
        let d = Arc::clone(&docs);
        let out_reader = std::thread::spawn(move || {
            let mut out = out;
            let (lock, cv) = &*d;
            let mut l = String::new();
            let mut got = Vec::new();
            // Handed over in batches: whatever has been read when the pipe is empty.
            while matches!(out.read_line(&mut l), Ok(n) if n > 0) {
                got.push(tag(&l));
                l.clear();
                if got.len() >= 1024 || out.buffer().is_empty() {
                    lock.lock().unwrap().0.append(&mut got);
                    cv.notify_all();
                }
            }
            lock.lock().unwrap().0.append(&mut got);
            lock.lock().unwrap().1 = true;
            cv.notify_all();
        });
        Listener {
            child,
            addr,
            docs,
            stderr,
            readers: vec![err_reader, out_reader],
        }
    }

    /// A new connection; a listener that does not take it within 5 s fails the test.
    fn connect(&self) -> TcpStream {
        let addr = self.addr.parse().unwrap();
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap()
    }

    /// Waits until `done` holds of the documents so far, or `limit` passes; whether it held.
    fn wait_until(&self, limit: Duration, mut done: impl FnMut(&[String]) -> bool) -> bool {
        let (lock, cv) = &*self.docs;
        let t0 = Instant::now();
        let mut g = lock.lock().unwrap();
        loop {
            if done(&g.0) {
                return true;
            }
            let left = limit.saturating_sub(t0.elapsed());
            if left.is_zero() || g.1 {
                return false;
            }
            g = cv
                .wait_timeout(g, left.min(Duration::from_millis(100)))
                .unwrap()
                .0;
        }
    }

    fn docs(&self) -> Vec<String> {
        self.docs.0.lock().unwrap().0.clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (at most `limit`) for the process to exit by itself; its exit code.
    #[cfg(unix)]
    fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let t0 = Instant::now();
        while t0.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                for r in self.readers.drain(..) {
                    r.join().unwrap();
                }
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Its pipes are closed now: the readers end.
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
    }
}

/// Those of `docs` that start with `prefix`.
fn mine<'a>(docs: &'a [String], prefix: &str) -> Vec<&'a str> {
    docs.iter()
        .filter(|d| d.starts_with(prefix))
        .map(String::as_str)
        .collect()
}

/// Whether the peer closed the connection within `limit` (a read gives 0 bytes or fails).
fn closed_by_peer(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let t0 = Instant::now();
    let mut b = [0u8; 64];
    while t0.elapsed() < limit {
        match s.read(&mut b) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn several_clients_split_writes_and_disconnects() {
    let l = Listener::start(&[]);
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let mut s = l.connect();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let l = line(&format!("c{c}-{i:02}"));
                    if i % 7 == 0 {
                        // Split inside the line, with a pause between the pieces.
                        s.write_all(&l.as_bytes()[..15]).unwrap();
                        s.flush().unwrap();
                        std::thread::sleep(Duration::from_millis(5));
                        s.write_all(&l.as_bytes()[15..]).unwrap();
                        s.write_all(b"\n").unwrap();
                    } else if i == 49 {
                        s.write_all(l.as_bytes()).unwrap(); // no newline: ends at disconnect
                    } else {
                        s.write_all(format!("{l}\r\n").as_bytes()).unwrap();
                    }
                }
                // Dropping the stream disconnects.
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    assert!(l.wait_until(Duration::from_secs(10), |d| d.len() >= 200));
    std::thread::sleep(Duration::from_millis(100)); // nothing more may come
    let docs = l.docs();
    assert_eq!(docs.len(), 200);
    for c in 0..4 {
        let want: Vec<String> = (0..50).map(|i| format!("c{c}-{i:02}")).collect();
        assert_eq!(mine(&docs, &format!("c{c}-")), want, "client {c}");
    }
}

#[test]
fn busy_client_is_served_beside_200_idle_connections() {
    let l = Listener::start(&[]);
    let idle: Vec<TcpStream> = (0..200).map(|_| l.connect()).collect();
    // Give the listener time to take them all before the busy one comes.
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    let mut s = l.connect();
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&line(&format!("b{i:05}")));
        text.push('\n');
    }
    s.write_all(text.as_bytes()).unwrap();
    drop(s);
    let all = l.wait_until(Duration::from_secs(15), |d| d.len() >= 10_000);
    let took = t0.elapsed();
    let docs = l.docs();
    assert!(all, "{} of 10000 lines in {took:?}", docs.len());
    let want: Vec<String> = (0..10_000).map(|i| format!("b{i:05}")).collect();
    assert_eq!(docs, want);
    eprintln!(
        "10000 lines beside 200 idle connections: {took:?} ({:.0} lines/s)",
        10_000.0 / took.as_secs_f64()
    );
    // The idle ones are still open: nothing was said on them, nothing closed them.
    for mut s in idle.into_iter().take(3) {
        assert!(!closed_by_peer(&mut s, Duration::from_millis(100)));
    }
}

#[test]
fn a_flood_does_not_starve_a_slow_client() {
    let l = Listener::start(&[]);
    let stop_flood = Arc::new(AtomicBool::new(false));
    let mut flood = l.connect();
    let stop = Arc::clone(&stop_flood);
    let flooder = std::thread::spawn(move || {
        // As fast as the listener takes them, until the slow client is done (or 20 s).
        let t0 = Instant::now();
        let mut n = 0usize;
        let mut batch = String::new();
        while !stop.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(20) {
            batch.clear();
            for i in n..n + 200 {
                batch.push_str(&line(&format!("f{i:08}")));
                batch.push('\n');
            }
            flood.write_all(batch.as_bytes()).unwrap();
            n += 200;
        }
        n
    });
    // The flood is flowing before the slow client starts.
    assert!(l.wait_until(Duration::from_secs(10), |d| d.len() >= 1000));
    let mut slow = l.connect();
    let t0 = Instant::now();
    for k in 0..20 {
        // One line, then wait for its document: a round trip while the flood goes on. A
        // listener serving the flood first would never answer while the flood lasts.
        slow.write_all(format!("{}\n", line(&format!("s{k:03}"))).as_bytes())
            .unwrap();
        let want = format!("s{k:03}");
        let mut seen = 0;
        assert!(
            l.wait_until(Duration::from_secs(5), |d| {
                let hit = d[seen..].contains(&want);
                seen = d.len();
                hit
            }),
            "slow line {k} not written within 5 s of being sent, beside a flood"
        );
    }
    let slow_took = t0.elapsed();
    stop_flood.store(true, Ordering::Relaxed);
    let n = flooder.join().unwrap();
    drop(slow);
    let last = format!("f{:08}", n - 1);
    assert!(l.wait_until(Duration::from_secs(20), |d| d.last() == Some(&last)));
    let docs = l.docs();
    let floods = mine(&docs, "f");
    assert_eq!(floods.len(), n);
    assert!(
        floods
            .iter()
            .enumerate()
            .all(|(i, t)| *t == format!("f{i:08}"))
    );
    let slows = mine(&docs, "s");
    let want: Vec<String> = (0..20).map(|k| format!("s{k:03}")).collect();
    assert_eq!(slows, want);
    // Interleaved: flood lines before the first slow line, between, and after the last.
    let first = docs.iter().position(|t| t == "s000").unwrap();
    let end = docs.iter().position(|t| t == "s019").unwrap();
    assert!(first > 0 && end < docs.len() - 1);
    eprintln!(
        "20 slow round trips beside a flood: {slow_took:?}; flood: {n} lines, {} of them before the last slow line",
        end - 19
    );
}

#[test]
fn idle_connection_is_closed_and_its_partial_line_written() {
    let l = Listener::start(&["--listen-idle-timeout-s", "1"]);
    let mut idle = l.connect();
    idle.write_all(format!("{}\n", line("idle-00")).as_bytes())
        .unwrap();
    idle.write_all(line("idle-partial").as_bytes()).unwrap(); // no line end
    // A client that keeps talking (every 200 ms) is not idle.
    let mut talker = l.connect();
    let t0 = Instant::now();
    assert!(l.wait_until(Duration::from_secs(5), |d| d.len() == 1));
    let mut sent = 0;
    let mut closed_at = None;
    while t0.elapsed() < Duration::from_millis(2600) {
        talker
            .write_all(format!("{}\n", line(&format!("talk-{sent:02}"))).as_bytes())
            .unwrap();
        sent += 1;
        if closed_at.is_some() {
            std::thread::sleep(Duration::from_millis(200));
        } else if closed_by_peer(&mut idle, Duration::from_millis(200)) {
            closed_at = Some(t0.elapsed());
        }
    }
    let closed_at = closed_at.expect("idle connection not closed within 2.6 s");
    assert!(closed_at >= Duration::from_millis(900), "{closed_at:?}");
    assert!(!closed_by_peer(&mut talker, Duration::from_millis(100)));
    let want_talk: Vec<String> = (0..sent).map(|i| format!("talk-{i:02}")).collect();
    assert!(l.wait_until(Duration::from_secs(5), |d| {
        mine(d, "talk-").len() == sent && d.iter().any(|t| t == "idle-partial")
    }));
    let docs = l.docs();
    assert_eq!(mine(&docs, "idle-"), ["idle-00", "idle-partial"]);
    assert_eq!(mine(&docs, "talk-"), want_talk);
    let err = l.stderr();
    assert!(err.contains("nothing received for 1 s"), "{err}");
    assert!(err.contains("partial line"), "{err}");
}

#[test]
fn over_the_limit_the_longest_idle_connection_makes_room() {
    let l = Listener::start(&["--listen-max-connections", "4"]);
    let mut idle: Vec<TcpStream> = (0..4).map(|_| l.connect()).collect();
    // A line without its end: written when the connection is closed.
    idle[0].write_all(line("evicted").as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(1300)); // idle long enough to be closed
    // Newer activity on the others: idle[0] is the longest idle.
    for (i, s) in idle.iter_mut().enumerate().skip(1) {
        s.write_all(format!("{}\n", line(&format!("keep-{i}"))).as_bytes())
            .unwrap();
    }
    assert!(l.wait_until(Duration::from_secs(5), |d| d.len() == 3));
    let mut busy = l.connect();
    for i in 0..100 {
        busy.write_all(format!("{}\n", line(&format!("busy-{i:03}"))).as_bytes())
            .unwrap();
    }
    drop(busy);
    let want: Vec<String> = (0..100).map(|i| format!("busy-{i:03}")).collect();
    assert!(l.wait_until(Duration::from_secs(10), |d| mine(d, "busy-").len() == 100));
    assert_eq!(mine(&l.docs(), "busy-"), want);
    assert!(closed_by_peer(&mut idle[0], Duration::from_secs(2)));
    assert!(!closed_by_peer(&mut idle[1], Duration::from_millis(100)));
    assert!(l.wait_until(Duration::from_secs(5), |d| d.iter().any(|t| t == "evicted")));
    let err = l.stderr();
    assert!(err.contains("to make room for"), "{err}");
}

#[test]
fn over_the_limit_with_every_connection_sending_a_new_one_is_closed_at_once() {
    let l = Listener::start(&["--listen-max-connections", "4"]);
    let mut all: Vec<TcpStream> = (0..4).map(|_| l.connect()).collect();
    let talking = Arc::new(AtomicBool::new(true));
    let count = Arc::new(AtomicUsize::new(0));
    let (t, c) = (Arc::clone(&talking), Arc::clone(&count));
    // Each of the four sends a line every 100 ms: none is idle.
    let talker = std::thread::spawn(move || {
        let t0 = Instant::now();
        while t.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(10) {
            for s in &mut all {
                s.write_all(format!("{}\n", line("chat")).as_bytes())
                    .unwrap();
                c.fetch_add(1, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        all
    });
    assert!(l.wait_until(Duration::from_secs(5), |d| d.len() >= 8));
    let mut refused = l.connect();
    assert!(closed_by_peer(&mut refused, Duration::from_secs(2)));
    talking.store(false, Ordering::Relaxed);
    let mut all = talker.join().unwrap();
    for s in &mut all {
        assert!(!closed_by_peer(s, Duration::from_millis(50)));
    }
    let sent = count.load(Ordering::Relaxed);
    assert!(l.wait_until(Duration::from_secs(5), |d| d.len() == sent));
    let err = l.stderr();
    assert!(err.contains("none idle for 1 s: closed"), "{err}");
}

/// A line far over --max-line-bytes, arriving in pieces over many turns beside another
/// client: one (line_too_long) document, then the next line as usual; the other client's
/// lines all there, in order.
#[test]
fn a_long_line_over_many_turns_gives_one_document() {
    let l = Listener::start(&["--max-line-bytes", "1000"]);
    let mut long = l.connect();
    let mut other = l.connect();
    let writer = std::thread::spawn(move || {
        long.write_all(b"10.0.0.1,c5n000000x,").unwrap();
        let piece = vec![b'a'; 40 << 10];
        for _ in 0..8 {
            long.write_all(&piece).unwrap();
            std::thread::sleep(Duration::from_millis(10));
        }
        long.write_all(format!("\n{}\n", line("long-after")).as_bytes())
            .unwrap();
    });
    for i in 0..100 {
        other
            .write_all(format!("{}\n", line(&format!("other-{i:03}"))).as_bytes())
            .unwrap();
    }
    writer.join().unwrap();
    assert!(l.wait_until(Duration::from_secs(10), |d| d.len() >= 102));
    std::thread::sleep(Duration::from_millis(100)); // nothing more may come
    let docs = l.docs();
    assert_eq!(docs.len(), 102);
    // The long line's document has no user name: its tag comes from event.original.
    let long: Vec<&String> = docs.iter().filter(|t| !t.starts_with("other-")).collect();
    assert_eq!(long, ["c5n000000x", "long-after"]);
    let want: Vec<String> = (0..100).map(|i| format!("other-{i:03}")).collect();
    assert_eq!(mine(&docs, "other-"), want);
}

/// The sequence numbers of client `c`'s documents (`c<c>n<seq>x`), and whether the last
/// one is a partial line (a document whose tag is cut short).
#[cfg(unix)]
fn sequence(docs: &[String], c: usize) -> (Vec<usize>, bool) {
    let prefix = format!("c{c}n");
    let tags = mine(docs, &prefix);
    let mut seqs = Vec::new();
    let mut partial = false;
    for (i, t) in tags.iter().enumerate() {
        let digits = &t[prefix.len()..];
        match digits.strip_suffix('x').and_then(|d| d.parse().ok()) {
            Some(n) if digits.len() == 7 => seqs.push(n),
            _ => {
                assert_eq!(i, tags.len() - 1, "client {c}: cut line {t} not last");
                partial = true;
            }
        }
    }
    (seqs, partial)
}

/// SIGTERM while clients stream numbered lines: the listener reads what they sent, then
/// exits 0. Client 1 has stopped just before the signal with half a line sent; after it,
/// client 0 stops and keeps its connection open, client 2 stops and closes, client 3 goes on
/// sending until cut at the deadline. Every line each completed writing before the signal
/// is written exactly once, in order, with nothing repeated or missing in between; client
/// 1's half line too, as the last document of its own. (Lines written after the signal may
/// or may not be read: that is not asserted.)
#[cfg(unix)]
#[test]
fn sigterm_drains_every_line_already_sent() {
    let mut l = Listener::start(&[]);
    let signalled = Arc::new(AtomicBool::new(false));
    // Client 1: told to stop (1), then stopped with its half line written (2).
    let halt = Arc::new(AtomicUsize::new(0));
    let written: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let mut s = l.connect();
            let (signalled, written) = (Arc::clone(&signalled), Arc::clone(&written));
            let halt = Arc::clone(&halt);
            std::thread::spawn(move || {
                let t0 = Instant::now();
                let mut n = 0;
                let mut batch = String::new();
                // About 10,000 lines a second each, well under what the listener takes.
                while t0.elapsed() < Duration::from_secs(12) {
                    if signalled.load(Ordering::Relaxed) && c != 3 {
                        break;
                    }
                    if c == 1 && halt.load(Ordering::Relaxed) == 1 {
                        let whole = line(&format!("c{c}n{n:06}x"));
                        s.write_all(&whole.as_bytes()[..15]).unwrap();
                        halt.store(2, Ordering::Relaxed);
                        break;
                    }
                    batch.clear();
                    for i in n..n + 20 {
                        batch.push_str(&line(&format!("c{c}n{i:06}x")));
                        batch.push('\n');
                    }
                    if s.write_all(batch.as_bytes()).is_err() {
                        return; // client 3, cut
                    }
                    n += 20;
                    written[c].store(n, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(2));
                }
                if c == 2 {
                    return;
                }
                // Keep the connection open until the listener goes.
                closed_by_peer(&mut s, Duration::from_secs(12));
            })
        })
        .collect();
    assert!(l.wait_until(Duration::from_secs(10), |d| {
        (0..4).all(|c| mine(d, &format!("c{c}n")).len() >= 200)
    }));
    halt.store(1, Ordering::Relaxed);
    let t0 = Instant::now();
    while halt.load(Ordering::Relaxed) != 2 && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(halt.load(Ordering::Relaxed), 2);
    let before: Vec<usize> = written.iter().map(|w| w.load(Ordering::Relaxed)).collect();
    let t0 = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &l.child.id().to_string()])
        .status()
        .unwrap();
    signalled.store(true, Ordering::Relaxed);
    assert!(killed.success());
    // While it drains (client 3 keeps it busy), new connections are refused.
    let addr = l.addr.parse().unwrap();
    let refused = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
    });
    assert!(refused, "still taking connections while stopping");
    let code = l.wait_exit(Duration::from_secs(15));
    let took = t0.elapsed();
    assert_eq!(code, Some(0), "{}", l.stderr());
    for c in clients {
        c.join().unwrap();
    }
    let docs = l.docs();
    for (c, &before) in before.iter().enumerate() {
        let (seqs, partial) = sequence(&docs, c);
        assert!(
            seqs.iter().enumerate().all(|(i, &n)| i == n),
            "client {c}: lines missing, repeated or out of order"
        );
        assert!(
            seqs.len() >= before,
            "client {c}: {} lines written of {before} sent before the signal",
            seqs.len()
        );
        match c {
            1 => assert!(partial, "client 1: its half line"),
            0 | 2 => assert!(!partial, "client {c}"),
            _ => {}
        }
        if c == 1 {
            assert_eq!(seqs.len(), before, "client 1 stopped before the signal");
        }
    }
    let err = l.stderr();
    assert!(err.contains("stopping"), "{err}");
    assert!(
        err.contains("deadline (5 s) reached: connections cut: 1"),
        "{err}"
    );
    assert!(took < Duration::from_secs(8), "{took:?}");
    eprintln!("stopped in {took:?}, one client still sending");
}

/// SIGTERM with clients that have all stopped sending: out within about the quiet time.
#[cfg(unix)]
#[test]
fn sigterm_with_quiet_clients_exits_at_once() {
    let mut l = Listener::start(&[]);
    let mut s = l.connect();
    for i in 0..1000 {
        s.write_all(format!("{}\n", line(&format!("q{i:04}"))).as_bytes())
            .unwrap();
    }
    s.write_all(line("q-partial").as_bytes()).unwrap();
    let _idle: Vec<TcpStream> = (0..50).map(|_| l.connect()).collect();
    let t0 = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &l.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let code = l.wait_exit(Duration::from_secs(10));
    let took = t0.elapsed();
    assert_eq!(code, Some(0), "{}", l.stderr());
    let mut want: Vec<String> = (0..1000).map(|i| format!("q{i:04}")).collect();
    want.push("q-partial".into());
    assert_eq!(l.docs(), want);
    assert!(took < Duration::from_secs(2), "{took:?}");
    eprintln!("stopped in {took:?} with 51 quiet connections");
}

#[test]
fn refuses_addresses_off_this_machine() {
    // Validation only: nothing is bound or sent.
    let out = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .args(["--listen", "192.0.2.10:9514"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

/// A child of a shipper ends with its parent: started by a shell that then exits, the
/// listener notices and stops (its stdout would be a pipe nobody reads).
#[cfg(unix)]
#[test]
fn a_listener_whose_parent_ends_stops() {
    let out = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" -q -t UTC --listen 127.0.0.1:0 >/dev/null 2>&1 & echo $!; sleep 1")
        .arg(env!("CARGO_BIN_EXE_nps-enrich"))
        .output()
        .unwrap();
    let pid = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let t0 = Instant::now();
    while std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z ")) {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "the orphaned listener {pid} is still running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What Vector's loop sends (`{"message": line, "offset": N}`): an envelope around a blank
/// line gives no document, as a blank line does, and a BOM before a file's first line is
/// removed as on the line path, so the line keeps its `observer.ip` and the id it has there.
#[test]
fn envelopes_of_blank_lines_give_nothing_and_a_bom_is_removed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .args(["-t", "UTC", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let msg: serde_json::Value = serde_json::from_str(&first).unwrap();
    let addr = msg["message"]
        .as_str()
        .unwrap()
        .trim_start_matches("listening on ");
    let mut s = TcpStream::connect(addr).unwrap();
    let envelope = |line: &str, offset: u64| {
        serde_json::json!({ "message": line, "offset": offset }).to_string() + "\n"
    };
    let (a, b) = (line("bom"), line("after"));
    for rec in [
        envelope(&format!("\u{feff}{a}"), 0),
        envelope("", 100),
        envelope("  \r", 101),
        serde_json::json!({ "log": "\u{feff}" }).to_string() + "\n",
        envelope(&b, 200),
    ] {
        s.write_all(rec.as_bytes()).unwrap();
    }
    drop(s);
    // The CLI's documents for the same lines at the same offsets of a file (id included).
    let file = std::env::temp_dir().join(format!("nps-listen-bom-{}.log", std::process::id()));
    std::fs::write(&file, format!("\u{feff}{a}\n").into_bytes()).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .args(["-t", "UTC"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut docs = Vec::new();
    for _ in 0..2 {
        let mut d = String::new();
        out.read_line(&mut d).unwrap();
        docs.push(serde_json::from_str::<serde_json::Value>(&d).unwrap());
    }
    let _ = child.kill();
    // Nothing else came: only these two were written before the kill.
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let _ = child.wait();
    assert_eq!(rest, "", "a blank envelope gave a document");
    let want: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(docs[0]["observer"]["ip"], "10.0.0.1");
    assert_eq!(docs[0]["user"]["name"], "bom");
    assert_eq!(docs[0]["event"]["id"], want["event"]["id"]);
    assert_eq!(docs[1]["user"]["name"], "after");
}
