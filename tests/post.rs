//! `--post URL`: the acknowledged hand-off. The receiver here is an HTTP/1.1 server that
//! answers as Vector's `http_server` source with end-to-end acknowledgements does: 200 once
//! the documents are stored, 500 or 400 when its sink failed or refused them, no answer at
//! all when it dies holding a request. It keeps every document it stored, so a test sees
//! each one lost or stored twice. (A real Vector is run with the shipped config in
//! `vector-config/README.md`'s record; CI cannot build one.)

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the receiver answers the next requests.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Store, then answer 200.
    Ack,
    /// Store nothing, answer this status.
    Status(u16),
    /// Store, then close the connection without an answer (a crash after the store took
    /// the documents: the sender must send them again, and the store keeps one copy).
    #[cfg_attr(not(unix), allow(dead_code))]
    StoreAndDie,
}

#[derive(Default)]
struct State {
    mode: Option<Mode>,
    /// Every document stored, in arrival order (repeats included).
    stored: Vec<String>,
    requests: u64,
}

struct Receiver {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/nps", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            mode: Some(Mode::Ack),
            ..State::default()
        }));
        let s = Arc::clone(&state);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let s = Arc::clone(&s);
                std::thread::spawn(move || serve(conn, &s));
            }
        });
        Receiver { url, state }
    }

    fn set(&self, mode: Mode) {
        self.state.lock().unwrap().mode = Some(mode);
    }

    fn stored(&self) -> Vec<String> {
        self.state.lock().unwrap().stored.clone()
    }

    fn requests(&self) -> u64 {
        self.state.lock().unwrap().requests
    }

    /// Waits until `pred` holds for the stored documents (or `secs`).
    #[cfg_attr(not(unix), allow(dead_code))]
    fn wait(&self, secs: u64, pred: impl Fn(&[String]) -> bool) -> Vec<String> {
        let t0 = Instant::now();
        loop {
            let got = self.stored();
            if pred(&got) || t0.elapsed() > Duration::from_secs(secs) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// One connection: requests one after another (keep-alive), each answered by the mode.
fn serve(conn: TcpStream, state: &Mutex<State>) {
    let mut out = conn.try_clone().unwrap();
    let mut r = BufReader::new(conn);
    loop {
        let mut head = String::new();
        let mut length = None;
        loop {
            let mut l = String::new();
            if r.read_line(&mut l).unwrap_or(0) == 0 {
                return;
            }
            if l == "\r\n" {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>().unwrap());
            }
            assert!(
                !lower.starts_with("transfer-encoding"),
                "the body has a length: {l}"
            );
            head.push_str(&l);
        }
        assert!(head.starts_with("POST /nps HTTP/1.1\r\n"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/x-ndjson"),
            "{head}"
        );
        let mut body = vec![0; length.expect("a Content-Length")];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8(body).unwrap();
        assert!(body.ends_with('\n'), "a body holds whole documents");
        let mode = {
            let mut s = state.lock().unwrap();
            s.requests += 1;
            let mode = s.mode.unwrap();
            if !matches!(mode, Mode::Status(_)) {
                s.stored.extend(body.lines().map(String::from));
            }
            mode
        };
        let answer = match mode {
            Mode::Ack => "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_string(),
            Mode::Status(code) => {
                let msg = r#"{"code":500,"message":"Error delivering contents to sink"}"#;
                format!(
                    "HTTP/1.1 {code} Failed\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{msg}",
                    msg.len()
                )
            }
            Mode::StoreAndDie => return,
        };
        if out.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
}

fn line(seq: usize) -> String {
    format!("10.0.0.1,user{seq:06},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0\r\n")
}

fn field<'a>(doc: &'a serde_json::Value, path: &[&str]) -> &'a str {
    let mut v = doc;
    for p in path {
        v = &v[*p];
    }
    v.as_str().unwrap_or_else(|| panic!("{path:?} in {doc}"))
}

/// Stored documents by user: how often each came, and whether every copy had one event.id.
fn tally(stored: &[String]) -> (BTreeMap<String, usize>, bool) {
    let mut count = BTreeMap::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in stored {
        let v: serde_json::Value = serde_json::from_str(d).unwrap();
        let user = field(&v, &["user", "name"]).to_string();
        *count.entry(user.clone()).or_insert(0) += 1;
        ids.entry(user)
            .or_default()
            .insert(field(&v, &["event", "id"]).to_string());
    }
    (count, ids.values().all(|s| s.len() == 1))
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nps-post-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[cfg(unix)]
fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn posted_documents_are_the_documents_stdout_would_carry() {
    let input =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ias/reference-examples.in");
    let want = bin().args(["-t", "UTC"]).arg(&input).output().unwrap();
    assert!(want.status.success());
    let rx = Receiver::start();
    let got = bin()
        .args(["-t", "UTC", "--post", &rx.url])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert!(got.stdout.is_empty(), "nothing on stdout with --post");
    let want: Vec<String> = String::from_utf8(want.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(rx.stored(), want);
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert!(
        stderr.contains(&format!(
            "{} documents acknowledged by {} in 1 requests",
            want.len(),
            rx.url
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_url_is_refused_before_anything_is_read() {
    for (url, says) in [
        ("https://127.0.0.1:9000/", "https is not supported"),
        ("127.0.0.1:9000", "expected http://HOST:PORT/PATH"),
        ("http://", "not a URL"),
    ] {
        let out = bin()
            .args(["--post", url, "-"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{url}: {err}");
    }
    let out = bin()
        .args(["--post", "http://127.0.0.1:9/", "--pretty", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--pretty would split documents");
}

#[test]
fn failures_are_retried_until_acknowledged_and_said() {
    let rx = Receiver::start();
    rx.set(Mode::Status(500));
    let d = dir("retry");
    let input = d.join("in.log");
    std::fs::write(&input, (0..50).map(line).collect::<String>()).unwrap();
    let mut child = bin()
        .args(["-t", "UTC", "--post", &rx.url])
        .arg(&input)
        .stderr(File::create(d.join("err")).unwrap())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while rx.requests() < 3 && t0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    rx.set(Mode::Status(400));
    let n = rx.requests();
    while rx.requests() < n + 2 && t0.elapsed() < Duration::from_secs(40) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(rx.stored().is_empty(), "nothing stored yet");
    rx.set(Mode::Ack);
    assert!(child.wait().unwrap().success());
    let (count, one_id) = tally(&rx.stored());
    assert_eq!(count.len(), 50);
    assert!(count.values().all(|&c| c == 1) && one_id);
    let err = std::fs::read_to_string(d.join("err")).unwrap();
    assert!(
        err.contains(r#""level":"warning","message":"POST "#) && err.contains("answered 500"),
        "a failing receiver is said: {err}"
    );
    assert!(
        err.contains(r#""level":"error","message":"POST "#) && err.contains("answered 400"),
        "a refusal is an error: {err}"
    );
    assert!(err.contains("answers again"), "{err}");
}

/// Unix: the follower is stopped with SIGTERM and SIGKILL.
#[cfg(unix)]
fn signal(child: &mut std::process::Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();
}

#[cfg(unix)]
fn follow(d: &Path, rx: &Receiver, run: usize) -> std::process::Child {
    bin()
        .args(["-t", "UTC", "--follow", "--poll-interval-ms", "20"])
        .args(["--rotate-wait-ms", "300", "--checkpoint"])
        .arg(d.join("nps.ckpt"))
        .args(["--post", &rx.url])
        .arg(d.join("IN*.log*"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(d.join(format!("err{run}"))).unwrap())
        .spawn()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_stop_while_the_receiver_fails_is_prompt_and_the_rest_goes_next_time() {
    let rx = Receiver::start();
    let d = dir("stop");
    append(&d.join("IN.log"), &(0..200).map(line).collect::<String>());
    rx.set(Mode::Status(503));
    let mut f = follow(&d, &rx, 0);
    let t0 = Instant::now();
    while rx.requests() < 2 && t0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let t1 = Instant::now();
    Command::new("kill")
        .args(["-TERM", &f.id().to_string()])
        .status()
        .unwrap();
    assert!(f.wait().unwrap().success());
    assert!(
        t1.elapsed() < Duration::from_secs(8),
        "stopped in {:?}",
        t1.elapsed()
    );
    let err = std::fs::read_to_string(d.join("err0")).unwrap();
    assert!(err.contains("200 documents are not acknowledged"), "{err}");
    rx.set(Mode::Ack);
    let mut f = follow(&d, &rx, 1);
    let got = rx.wait(20, |s| s.len() >= 200);
    signal(&mut f, "-TERM");
    let (count, one_id) = tally(&got);
    assert_eq!(count.len(), 200, "every line, after the restart");
    assert!(count.values().all(|&c| c == 1) && one_id);
}

/// The whole hand-off under load: a writer appends and rotates (`IN.log` → `IN.log.N`, still
/// matched), the receiver fails in every way it can, and the follower is killed and
/// stopped and started again on its checkpoint. Every line must be stored; a line stored
/// twice must carry the same `event.id` both times (a store keyed on it keeps one).
#[cfg(unix)]
#[test]
fn nothing_is_lost_through_receiver_failures_rotation_and_kills() {
    const LINES: usize = 30_000;
    let rx = Receiver::start();
    let d = dir("torture");
    let writer = {
        let d = d.clone();
        std::thread::spawn(move || {
            let mut rotation = 0;
            for chunk in 0..LINES / 500 {
                append(
                    &d.join("IN.log"),
                    &(chunk * 500..(chunk + 1) * 500)
                        .map(line)
                        .collect::<String>(),
                );
                if chunk % 12 == 11 {
                    rotation += 1;
                    std::fs::rename(d.join("IN.log"), d.join(format!("IN.log.{rotation}")))
                        .unwrap();
                }
                std::thread::sleep(Duration::from_millis(75));
            }
        })
    };
    // The receiver's life and the follower's, in steps of 0.3 s, while the writer writes
    // (60 chunks 75 ms apart: about the 4.8 s of the steps).
    let plan = [
        Mode::Ack,
        Mode::Status(500),
        Mode::Ack,
        Mode::StoreAndDie,
        Mode::Ack,
        Mode::Status(503),
        Mode::StoreAndDie,
        Mode::Ack,
    ];
    let mut f = follow(&d, &rx, 0);
    let mut runs = 1;
    for (step, mode) in plan.iter().cycle().take(16).enumerate() {
        rx.set(*mode);
        std::thread::sleep(Duration::from_millis(300));
        if step % 5 == 4 {
            signal(&mut f, if step % 10 == 4 { "-KILL" } else { "-TERM" });
            f = follow(&d, &rx, runs);
            runs += 1;
        }
    }
    writer.join().unwrap();
    rx.set(Mode::Ack);
    let got = rx.wait(60, |s| tally(s).0.len() >= LINES);
    signal(&mut f, "-TERM");
    let (count, one_id) = tally(&got);
    let lost: Vec<usize> = (0..LINES)
        .filter(|i| !count.contains_key(&format!("user{i:06}")))
        .collect();
    let repeats: usize = count.values().map(|c| c - 1).sum();
    println!(
        "{LINES} lines, {} stored, {repeats} repeats, {} requests, {runs} runs",
        got.len(),
        rx.requests()
    );
    assert!(
        lost.is_empty(),
        "{} lost, the first {:?}",
        lost.len(),
        &lost[..lost.len().min(10)]
    );
    assert_eq!(count.len(), LINES, "nothing but the lines written");
    assert!(one_id, "a line stored twice has one event.id");
}
