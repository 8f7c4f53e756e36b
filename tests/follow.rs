//! `--follow` on real files: appends in pieces, rotation to a new name, a new file,
//! truncation, and a restart from a checkpoint in the middle. Every line exactly once, in
//! the order it was written.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn line(user: &str) -> String {
    format!("10.0.0.1,{user},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0\r\n")
}

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f.sync_all().unwrap();
}

struct Follower {
    child: Child,
    out: PathBuf,
}

fn start(dir: &Path, run: usize, extra: &[&str]) -> Follower {
    let out = dir.join(format!("out{run}.jsonl"));
    let child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .args([
            "-t",
            "UTC",
            "--follow",
            "--poll-interval-ms",
            "20",
            "--checkpoint",
        ])
        .arg(dir.join("nps.ckpt"))
        .args(extra)
        .arg(dir.join("IN*.log").to_str().unwrap())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Follower { child, out }
}

fn users(path: &Path) -> Vec<String> {
    // Complete lines only: one being written (or cut by a kill, the only stop there is
    // on Windows) is not a document yet; its line is read again after a restart.
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["user"]["name"].as_str().unwrap_or("?").to_string()
        })
        .collect()
}

/// Waits until the follower has written `n` documents.
fn wait_for(f: &Follower, n: usize) -> Vec<String> {
    let t0 = Instant::now();
    loop {
        let u = users(&f.out);
        if u.len() >= n || t0.elapsed() > Duration::from_secs(10) {
            return u;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stop(mut f: Follower) -> Vec<String> {
    // SIGTERM, as a supervisor (Vector restarting an exec source) sends it.
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(f.child.id().to_string())
            .status();
    }
    #[cfg(not(unix))]
    {
        let _ = f.child.kill();
    }
    let status = f.child.wait().unwrap();
    assert!(status.success() || cfg!(not(unix)), "{status:?}");
    users(&f.out)
}

#[test]
fn every_line_once_in_order_across_rotation_truncation_and_restart() {
    let dir = std::env::temp_dir().join(format!("nps-follow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("IN2601.log");
    append(&a, &(line("old1") + &line("old2")));

    // First run, no checkpoint yet, --from-end: existing lines are history, not followed.
    let f = start(&dir, 1, &["--from-end"]);
    // Lines written before its first look are history: wait for it (it saves the
    // checkpoint then), not a fixed time, which a slow start under Wine can outlast.
    let t0 = Instant::now();
    while !dir.join("nps.ckpt").exists() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    append(&a, &line("u01"));
    assert_eq!(wait_for(&f, 1), ["u01"]);
    // A line written in pieces is emitted once, when complete.
    let l = line("u02");
    append(&a, &l[..20]);
    std::thread::sleep(Duration::from_millis(150));
    append(&a, &l[20..]);
    assert_eq!(wait_for(&f, 2), ["u01", "u02"]);
    // Rotation by rename: the same file under a new name is not read again.
    let rotated = dir.join("IN2601-1.log");
    std::fs::rename(&a, &rotated).unwrap();
    std::thread::sleep(Duration::from_millis(150));
    append(&rotated, &line("u03"));
    // A new file.
    let b = dir.join("IN2602.log");
    std::thread::sleep(Duration::from_millis(100));
    append(&b, &(line("u04") + &line("u05")));
    assert_eq!(wait_for(&f, 5), ["u01", "u02", "u03", "u04", "u05"]);
    // Truncation: the file starts over.
    std::fs::write(&b, "").unwrap();
    std::thread::sleep(Duration::from_millis(150));
    append(&b, &line("u06"));
    let first = wait_for(&f, 6);
    assert_eq!(first.len(), 6, "{first:?}");
    let first = stop(f);

    // While stopped: lines in a followed file and a file that did not exist.
    append(&b, &line("u07"));
    append(&dir.join("IN2603.log"), &line("u08"));
    let f = start(&dir, 2, &[]);
    std::thread::sleep(Duration::from_millis(200));
    append(&b, &line("u09"));
    let second = wait_for(&f, 3);
    let second_done = stop(f);
    assert_eq!(second, second_done);

    let mut all = first;
    all.extend(second_done);
    let want: Vec<String> = (1..=9).map(|i| format!("u{i:02}")).collect();
    assert_eq!(all, want, "every line exactly once, in order");
    let ckpt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("nps.ckpt")).unwrap()).unwrap();
    assert_eq!(ckpt["files"].as_array().unwrap().len(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn from_start_reads_existing_lines() {
    let dir = std::env::temp_dir().join(format!("nps-follow-fs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    append(&dir.join("IN2601.log"), &(line("a") + &line("b")));
    let f = start(&dir, 1, &["--from-start"]);
    assert_eq!(wait_for(&f, 2), ["a", "b"]);
    stop(f);
    let _ = std::fs::remove_dir_all(&dir);
}
