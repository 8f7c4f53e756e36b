//! What an NPS server running Windows asks of the binary: Windows zone names, its ANSI code
//! page, `--follow` with Windows paths, NPS's file names and files its writer renames or
//! deletes, and a follower that ends with its parent. The Windows-only tests run under Wine
//! in CI (tests/all.sh), which is the Windows API on Linux; the rest run everywhere.

use serde_json::Value;
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A line of Microsoft's NAP whitepaper sample, its policy name in Japanese.
const NAP: &str =
    "192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2,4142,0,8111,0,4149,NAP DHCP 準拠\r\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
}

fn line(user: &str) -> String {
    format!("10.0.0.1,{user},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0\r\n")
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nps-windows-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn append(path: &Path, bytes: &[u8]) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(bytes).unwrap();
}

fn docs(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn dry_run(args: &[&str]) -> Value {
    let out = bin().args(args).arg("--dry-run").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The first line `child` writes to its piped stdout, which is then closed; the child is
/// killed if none comes within 20 s (a test fails then, rather than hangs).
fn first_line(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        let _ = reader.read_line(&mut first);
        drop(reader);
        let _ = tx.send(first);
    });
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("no output within 20 s");
        })
}

/// A follower whose documents go to a file.
struct Follower {
    child: Child,
    out: PathBuf,
}

fn follow(d: &Path, extra: &[&str], patterns: &[&str]) -> Follower {
    let out = d.join("out.jsonl");
    let child = bin()
        .args(["-q", "-t", "UTC", "--follow", "--from-start"])
        .args(["--poll-interval-ms", "20", "--rotate-wait-ms", "300"])
        .args(extra)
        .args(patterns)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Follower { child, out }
}

impl Follower {
    fn docs(&self) -> Vec<Value> {
        docs(&std::fs::read(&self.out).unwrap_or_default())
    }

    #[cfg_attr(not(windows), allow(dead_code))]
    fn users(&self) -> Vec<String> {
        self.docs()
            .iter()
            .map(|v| v["user"]["name"].as_str().unwrap_or("?").to_string())
            .collect()
    }

    /// The users of the first `n` documents, once there are `n` (10 s at most).
    #[cfg_attr(not(windows), allow(dead_code))]
    fn wait_for(&self, n: usize) -> Vec<String> {
        let t0 = Instant::now();
        loop {
            let u = self.users();
            if u.len() >= n || t0.elapsed() > Duration::from_secs(10) {
                return u;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn windows_zone_names_as_tzutil_prints_them() {
    let ias = "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1\r\n";
    // Tokyo Standard Time is Asia/Tokyo (CLDR windowsZones): 13:13:40 there is +09:00.
    let out = run_stdin(&["--timezone", "Tokyo Standard Time"], ias.as_bytes());
    assert_eq!(
        docs(&out.stdout)[0]["@timestamp"],
        "2008-01-17T13:13:40+09:00"
    );
    assert_eq!(
        dry_run(&["--timezone", "Tokyo Standard Time"])["timezone"],
        "Asia/Tokyo"
    );
    // W. Europe Standard Time is Europe/Berlin: summer time (+02:00) in July, any case.
    let july = "10.0.0.1,alice,07/17/2008,13:13:40,IAS,NPS1,4136,1\r\n";
    let out = run_stdin(&["-t", "w. europe standard time"], july.as_bytes());
    assert_eq!(
        docs(&out.stdout)[0]["@timestamp"],
        "2008-07-17T13:13:40+02:00"
    );
    // Not a zone of any kind: refused, saying what is accepted.
    let out = run_stdin(&["-t", "Mars Standard Time"], ias.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tokyo Standard Time"));
}

#[test]
fn follow_reads_the_encoding_it_is_given() {
    let d = dir("follow-encoding");
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(NAP);
    assert!(!bad);
    append(&d.join("IN2612.log"), &sjis);
    let pattern = d.join("IN*.log");
    let f = follow(
        &d,
        &["--encoding", "shift_jis"],
        &[pattern.to_str().unwrap()],
    );
    let t0 = Instant::now();
    while f.docs().is_empty() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(f.docs()[0]["rule"]["name"], "NAP DHCP 準拠");
    drop(f);

    // UTF-16's line ends are two bytes: --follow, which splits the file's bytes, refuses it.
    let out = bin()
        .args(["--follow", "--encoding", "utf-16le"])
        .arg(&pattern)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("utf-16le") || {
            String::from_utf8_lossy(&out.stderr).contains("UTF-16LE")
        }
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Vector going away closes the follower's stdout: its next write ends it, with success.
#[test]
fn a_follower_whose_stdout_closes_ends_with_success() {
    let d = dir("follow-closed");
    let log = d.join("IN2612.log");
    append(&log, line("a1").as_bytes());
    let mut child = bin()
        .args(["-q", "-t", "UTC", "--follow", "--from-start"])
        .args(["--poll-interval-ms", "20"])
        .arg(d.join("IN*.log"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let first = first_line(&mut child);
    assert!(first.contains("\"a1\""), "{first}");
    // The reader is gone; the next line written makes the follower write, and end.
    append(&log, line("a2").as_bytes());
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the follower did not end when its stdout closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(windows)]
mod on_windows {
    use super::*;
    use std::os::windows::fs::OpenOptionsExt;

    /// ERROR_SHARING_VIOLATION
    const SHARING_VIOLATION: i32 = 32;

    /// `C:\…` with backslashes, as the README and the shipper configs write patterns.
    fn backslashed(p: &Path) -> String {
        let s = p.to_str().unwrap().to_string();
        let b = s.as_bytes();
        assert!(
            b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':',
            "no drive letter: {s}"
        );
        s.replace('/', "\\")
    }

    #[test]
    fn patterns_with_drive_letters_match_nps_names_in_any_case() {
        let d = dir("names");
        // NPS's own names: monthly INyymm.log, daily INyymmdd.log, by size iaslogN.log;
        // Windows names match without regard to case.
        let files = [
            ("IN2612.log", "monthly"),
            ("IN261201.log", "daily1"),
            ("in261202.LOG", "daily2"),
            ("iaslog1.log", "size1"),
            ("IASLOG2.log", "size2"),
        ];
        for (name, user) in files {
            append(
                &d.join(name),
                (line(&format!("{user}-a")) + &line(&format!("{user}-b"))).as_bytes(),
            );
        }
        // Not NPS's: another extension, another prefix.
        append(&d.join("IN2612.txt"), line("other").as_bytes());
        append(&d.join("xIN2612.log"), line("other").as_bytes());
        let ins = format!("{}\\IN*.log", backslashed(&d));
        // Forward slashes are Windows paths too.
        let sizes = format!("{}/iaslog*.log", backslashed(&d).replace('\\', "/"));
        let f = follow(&d, &[], &[&ins, &sizes]);
        let mut got = f.wait_for(10);
        let mut want: Vec<String> = files
            .iter()
            .flat_map(|(_, u)| [format!("{u}-a"), format!("{u}-b")])
            .collect();
        // Each file's lines in their order.
        for (_, u) in files {
            let a = got.iter().position(|x| *x == format!("{u}-a"));
            let b = got.iter().position(|x| *x == format!("{u}-b"));
            assert!(a.is_some() && a < b, "{u}: {got:?}");
        }
        got.sort();
        want.sort();
        assert_eq!(got, want);

        // NPS moves on: the day's last line in the old file, then a new day's file and a
        // new size file.
        append(&d.join("in261202.LOG"), line("daily2-c").as_bytes());
        append(&d.join("IN261203.log"), line("daily3-a").as_bytes());
        append(&d.join("iaslog3.log"), line("size3-a").as_bytes());
        let got = f.wait_for(13);
        let mut tail = got[10..].to_vec();
        tail.sort();
        assert_eq!(tail, ["daily2-c", "daily3-a", "size3-a"], "{got:?}");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(f.users().len(), 13, "{:?}", f.users());
        drop(f);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// The follower opens files as Rust's std does on Windows: sharing read, write and
    /// delete. So NPS, which holds its log open, goes on writing, and the file can be renamed
    /// or deleted while the follower reads it; lines written after a rename are still read.
    #[test]
    fn a_followed_file_can_be_written_renamed_and_deleted_while_read() {
        let d = dir("sharing");
        // Windows refuses a rename while a handle without delete sharing is open: the
        // check this test relies on is made (by Windows, and by Wine).
        let locked = d.join("locked.log");
        std::fs::write(&locked, b"x").unwrap();
        let holder = OpenOptions::new()
            .read(true)
            .share_mode(1) // FILE_SHARE_READ only
            .open(&locked)
            .unwrap();
        let err = std::fs::rename(&locked, d.join("locked-1.log")).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(SHARING_VIOLATION), "{err}");
        drop(holder);

        let log = d.join("IN2612.log");
        let mut nps = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        nps.write_all(line("u1").as_bytes()).unwrap();
        let f = follow(&d, &[], &[&format!("{}\\IN*.log", backslashed(&d))]);
        assert_eq!(f.wait_for(1), ["u1"]);
        // The follower holds the file open now; its writer goes on.
        nps.write_all(line("u2").as_bytes()).unwrap();
        assert_eq!(f.wait_for(2), ["u1", "u2"]);
        let moved = d.join("IN2612.log.old");
        std::fs::rename(&log, &moved).expect("rename while the follower reads the file");
        nps.write_all(line("u3").as_bytes()).unwrap();
        assert_eq!(f.wait_for(3), ["u1", "u2", "u3"]);
        drop(nps);
        std::fs::remove_file(&moved).expect("delete while the follower reads the file");
        // A new file under the old name is a new file.
        append(&log, line("u4").as_bytes());
        assert_eq!(f.wait_for(4), ["u1", "u2", "u3", "u4"]);
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(f.users().len(), 4);
        drop(f);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// The Windows name of this machine's zone: what CI set (Wine takes it from TZ), else
    /// what `tzutil /g` prints.
    fn windows_zone() -> String {
        if let Ok(z) = std::env::var("NPS_ENRICH_TEST_WINDOWS_ZONE") {
            return z;
        }
        let out = Command::new("tzutil")
            .arg("/g")
            .output()
            .expect("tzutil /g (or set NPS_ENRICH_TEST_WINDOWS_ZONE)");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// `--timezone local` is the server's zone, from Windows (GetDynamicTimeZoneInformation)
    /// through CLDR's table: the same zone as its Windows name given by hand. Without TZ,
    /// which would otherwise win.
    #[test]
    fn local_is_the_servers_windows_zone() {
        let name = windows_zone();
        let by_name = dry_run(&["--timezone", &name])["timezone"].clone();
        let out = bin()
            .args(["--timezone", "local", "--dry-run"])
            .env_remove("TZ")
            .output()
            .unwrap();
        let local: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(local["timezone"], by_name, "the Windows zone is {name}");
        if name == "Tokyo Standard Time" {
            assert_eq!(by_name, "Asia/Tokyo");
        }
    }

    /// The system's ANSI code page, as the registry holds it (`reg` is on every Windows).
    fn ansi_code_page() -> u32 {
        let out = Command::new("reg")
            .args([
                "query",
                "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage",
                "/v",
                "ACP",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let acp: u32 = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("ACP"))
            .and_then(|rest| rest.split_whitespace().last())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no ACP in: {text}"));
        if let Ok(want) = std::env::var("NPS_ENRICH_TEST_WINDOWS_ACP") {
            assert_eq!(acp.to_string(), want, "the code page CI set");
        }
        acp
    }

    #[test]
    fn lines_not_utf8_are_read_in_the_ansi_code_page() {
        let acp = ansi_code_page();
        // A line in the code page's own bytes, and what it says.
        let (text, enc, name) = match acp {
            932 => (NAP.to_string(), encoding_rs::SHIFT_JIS, "NAP DHCP 準拠"),
            1252 => (
                NAP.replace("準拠", "conformité"),
                encoding_rs::WINDOWS_1252,
                "NAP DHCP conformité",
            ),
            other => panic!("no test line for the ANSI code page {other}"),
        };
        let (bytes, _, bad) = enc.encode(&text);
        assert!(!bad);
        assert_eq!(dry_run(&[])["not_utf8_lines_as"], enc.name());
        // A file mixing UTF-8 lines and lines in the code page: each read right.
        let mut mixed = NAP.as_bytes().to_vec();
        mixed.extend_from_slice(&bytes);
        let got = docs(&run_stdin(&["-t", "UTC"], &mixed).stdout);
        assert_eq!(got[0]["rule"]["name"], "NAP DHCP 準拠");
        assert_eq!(got[1]["rule"]["name"], name);
        // --follow too.
        let d = dir("acp");
        append(&d.join("IN2612.log"), &bytes);
        let f = follow(&d, &[], &[&format!("{}\\IN*.log", backslashed(&d))]);
        let t0 = Instant::now();
        while f.docs().is_empty() && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(f.docs()[0]["rule"]["name"], name);
        drop(f);
        let _ = std::fs::remove_dir_all(&d);
        // --encoding still says what the bytes are: UTF-8 lines as what they say.
        let got = docs(&run_stdin(&["-t", "UTC", "--encoding", "utf-8"], &bytes).stdout);
        assert!(
            got[0]["rule"]["name"]
                .as_str()
                .unwrap()
                .contains('\u{FFFD}'),
            "{}",
            got[0]["rule"]["name"]
        );
    }

    /// The README's Windows install, as far as it runs here: the binary in a folder of its
    /// own (a name with a space, as under Program Files) on PATH, where a Rust program that
    /// runs `nps-enrich` by name (Vector's `exec`) finds it; the shipper configs' command
    /// line; one file converted with cmd's redirection.
    #[test]
    fn installed_as_the_readme_says() {
        let d = dir("install");
        let folder = d.join("Program Files").join("nps-enrich");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(
            env!("CARGO_BIN_EXE_nps-enrich"),
            folder.join("nps-enrich.exe"),
        )
        .unwrap();
        let path = format!(
            "{};{}",
            backslashed(&folder),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("nps-enrich")
            .arg("--version")
            .env("PATH", &path)
            .output()
            .expect("nps-enrich found on PATH");
        assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));

        // vector-config/vector/files-exec-*.toml's command, its paths moved here.
        let logs = d.join("LogFiles");
        let data = d.join("ProgramData").join("Vector").join("nps");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::create_dir_all(&data).unwrap();
        append(&logs.join("IN2612.log"), line("u1").as_bytes());
        let mut exec = Command::new("nps-enrich")
            .args(["--follow", "--quiet", "--checkpoint"])
            .arg(format!("{}\\nps-enrich.ckpt", backslashed(&data)))
            .arg(format!("{}\\IN*.log", backslashed(&logs)))
            .env("PATH", &path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let first = first_line(&mut exec);
        let _ = exec.kill();
        let _ = exec.wait();
        let v: Value = serde_json::from_str(&first).unwrap();
        assert_eq!(v["user"]["name"], "u1");
        assert!(data.join("nps-enrich.ckpt").exists());

        // cmd /c "nps-enrich FILE > OUT": the bytes as written (UTF-8), one document.
        append(&logs.join("IN2612.log"), NAP.as_bytes());
        let out_file = d.join("IN2612.jsonl");
        let status = Command::new("cmd")
            .arg("/c")
            .arg(format!(
                "nps-enrich -t UTC {}\\IN2612.log > {}",
                backslashed(&logs),
                backslashed(&out_file)
            ))
            .env("PATH", &path)
            .status()
            .unwrap();
        assert!(status.success());
        let got = docs(&std::fs::read(&out_file).unwrap());
        assert_eq!(got.len(), 2);
        assert_eq!(got[1]["rule"]["name"], "NAP DHCP 準拠");
        let _ = std::fs::remove_dir_all(&d);
    }

    /// Run by `a_follower_whose_parent_ends_stops` as the follower's parent (a shipper):
    /// starts it, says its id, and exits without waiting for it.
    #[test]
    #[ignore = "a helper process of a_follower_whose_parent_ends_stops"]
    fn parent_of_a_follower() {
        let Ok(d) = std::env::var("NPS_ENRICH_TEST_PARENT_DIR") else {
            return;
        };
        let d = PathBuf::from(d);
        let child = bin()
            .args(["-t", "UTC", "--follow", "--poll-interval-ms", "20"])
            .arg(d.join("IN*.log"))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(d.join("out.jsonl")).unwrap())
            .stderr(std::fs::File::create(d.join("err.txt")).unwrap())
            .spawn()
            .unwrap();
        std::fs::write(d.join("pid.txt"), child.id().to_string()).unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        std::process::exit(0);
    }

    /// Windows keeps no process tree to reparent to: the follower watches its parent and
    /// stops when it ends, within a poll (half a second).
    #[test]
    fn a_follower_whose_parent_ends_stops() {
        let d = dir("orphan");
        append(&d.join("IN.log"), line("a1").as_bytes());
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "on_windows::parent_of_a_follower", "--ignored"])
            .env("NPS_ENRICH_TEST_PARENT_DIR", &d)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let err = d.join("err.txt");
        let t0 = Instant::now();
        // Ended when nothing holds its stderr file any more (an open without sharing fails
        // while the follower has it).
        loop {
            let free = OpenOptions::new().write(true).share_mode(0).open(&err);
            match free {
                Ok(_) => break,
                Err(e) => assert_eq!(e.raw_os_error(), Some(SHARING_VIOLATION), "{e}"),
            }
            if t0.elapsed() > Duration::from_secs(10) {
                // Ended here, or it would hold the test runner's output open.
                let pid = std::fs::read_to_string(d.join("pid.txt")).unwrap();
                let _ = Command::new("taskkill").args(["/F", "/PID", &pid]).status();
                panic!("the orphaned follower {pid} was still running");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let said = std::fs::read_to_string(&err).unwrap();
        assert!(said.contains("the parent process ended"), "{said}");
        let _ = std::fs::remove_dir_all(&d);
    }
}
