//! `--listen` with several loopback clients, lines split across writes, a last line
//! without a newline, and disconnects: every line exactly once, each client's in order.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn line(user: &str) -> String {
    format!("10.0.0.1,{user},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0")
}

#[test]
fn several_clients_split_writes_and_disconnects() {
    let out_path = std::env::temp_dir().join(format!("nps-listen-{}.jsonl", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .args(["-t", "UTC", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
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

    let clients: Vec<_> = (0..4)
        .map(|c| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
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
    let t0 = Instant::now();
    let docs = loop {
        let text = std::fs::read_to_string(&out_path).unwrap_or_default();
        let docs: Vec<String> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["user"]["name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        if docs.len() >= 200 || t0.elapsed() > Duration::from_secs(10) {
            break docs;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&out_path);
    assert_eq!(docs.len(), 200);
    for c in 0..4 {
        let mine: Vec<&String> = docs
            .iter()
            .filter(|d| d.starts_with(&format!("c{c}-")))
            .collect();
        let want: Vec<String> = (0..50).map(|i| format!("c{c}-{i:02}")).collect();
        assert_eq!(mine, want.iter().collect::<Vec<_>>(), "client {c}");
    }
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
