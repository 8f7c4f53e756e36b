//! The `nps-enrich` binary as a user runs it: files and stdin, encodings, odd line ends,
//! exit codes, a closed pipe, time zones across a DST change.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const IAS_REQUEST: &str = "10.10.10.10,client,06/04/1999,14:42:19,IAS,CLIENTCOMP,6,2,7,1,5,9,61,5,64,1,65,1,31,1,4136,1,4142,0";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn docs(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nps-enrich-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn stdin_bom_crlf_blank_lines_and_a_missing_newline() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice(IAS_REQUEST.as_bytes());
    input.extend_from_slice(b"\r\n\r\n   \n\n");
    input.extend_from_slice(IAS_REQUEST.as_bytes()); // no final newline
    let out = run_stdin(&["-t", "UTC"], &input);
    assert!(out.status.success());
    let d = docs(&out);
    assert_eq!(d.len(), 2);
    for doc in &d {
        assert_eq!(doc["event"]["kind"], "event");
        assert_eq!(doc["host"]["name"], "CLIENTCOMP");
        assert_eq!(doc["@timestamp"], "1999-06-04T14:42:19+00:00");
    }
}

#[test]
fn bad_lines_become_error_documents_and_nothing_is_dropped() {
    let input =
        format!("{IAS_REQUEST}\ngarbage, not nps\n<Event><User-Name>x</Event>\n{IAS_REQUEST}\n");
    let out = run_stdin(&["-t", "UTC", "--stats"], input.as_bytes());
    assert!(out.status.success());
    let d = docs(&out);
    assert_eq!(d.len(), 4);
    assert_eq!(d[1]["event"]["kind"], "pipeline_error");
    assert_eq!(d[1]["event"]["original"], "garbage, not nps");
    assert_eq!(d[1]["error"]["type"], "unknown_format");
    assert_eq!(d[2]["error"]["type"], "parse_error");
    assert_eq!(d[2]["event"]["original"], "<Event><User-Name>x</Event>");
    assert!(
        d[2]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("dts: ")
    );
    let stats: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(stats["stats"]["lines"], 4);
    assert_eq!(stats["stats"]["errors"], 2);
    assert_eq!(stats["stats"]["ias"], 2);

    let strict = run_stdin(&["-t", "UTC", "--fail-on-error"], input.as_bytes());
    assert_eq!(strict.status.code(), Some(3));
    assert_eq!(docs(&strict).len(), 4);
}

#[test]
fn timezone_across_a_dst_change() {
    // America/New_York moved from EST to EDT at 02:00 on 2024-03-10 and back at 02:00 on
    // 2024-11-03 (tz database). 02:30 on 10 March did not exist: it is the instant 03:30 EDT.
    let lines = [
        ("03/10/2024", "01:59:59", "2024-03-10T01:59:59-05:00"),
        ("03/10/2024", "02:30:00", "2024-03-10T03:30:00-04:00"),
        ("03/10/2024", "03:00:00", "2024-03-10T03:00:00-04:00"),
        ("11/03/2024", "00:59:59", "2024-11-03T00:59:59-04:00"),
        ("11/03/2024", "01:30:00", "2024-11-03T01:30:00-04:00"),
        ("11/03/2024", "02:00:00", "2024-11-03T02:00:00-05:00"),
    ];
    let input: String = lines
        .iter()
        .map(|(d, t, _)| format!("10.0.0.1,u,{d},{t},IAS,NPS,4136,1\n"))
        .collect();
    let out = run_stdin(&["--timezone", "America/New_York"], input.as_bytes());
    let d = docs(&out);
    for (doc, (_, _, want)) in d.iter().zip(lines) {
        assert_eq!(doc["@timestamp"], want);
    }
    let fixed = run_stdin(&["--timezone", "+05:30"], input.as_bytes());
    assert_eq!(docs(&fixed)[1]["@timestamp"], "2024-03-10T02:30:00+05:30");
}

#[test]
fn files_in_order_and_a_missing_one() {
    let a = tmp("a.log", format!("{IAS_REQUEST}\r\n").as_bytes());
    let b = tmp("b.log", b"NAPNPS,\"IAS\",01/17/2008,14:00:07,2,,,,,,,,,,0,\"192.168.10.4\",\"DHCP_NAPNET\",,,,,1,2,7,\"NAP DHCP\",0,\"311 1 ::1 01/11/2008 07:10:03 184\",,,,,,,,,\"4053513845\",,,,,,,,,,,,,,,,,,,,,,,,,\"NAP DHCP\",1,,,,\r\n");
    let out = bin()
        .args(["-t", "UTC"])
        .arg(&a)
        .arg("/nonexistent/IN2607.log")
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let d = docs(&out);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["event"]["dataset"], "nps.ias");
    assert_eq!(d[1]["event"]["dataset"], "nps.odbc");
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["level"], "error");
    assert!(err["message"].as_str().unwrap().contains("IN2607.log"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["--timezone", "Nowhere/Special"][..],
        &["--encoding", "klingon"],
        &["--format", "csv"],
    ] {
        let out = bin().args(args).stdin(Stdio::null()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn encodings_decode_to_the_same_documents() {
    let line =
        "192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2,4142,0,8111,0,4149,NAP DHCP 準拠\r\n";
    let want = docs(&run_stdin(&["-t", "UTC"], line.as_bytes()));
    assert_eq!(want[0]["rule"]["name"], "NAP DHCP 準拠");

    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(line);
    assert!(!bad);
    let got = docs(&run_stdin(&["-t", "UTC", "--encoding", "shift_jis"], &sjis));
    assert_eq!(got, want);

    let mut utf16 = vec![0xFF, 0xFE];
    for u in line.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let got = docs(&run_stdin(&["-t", "UTC"], &utf16)); // found by its BOM
    assert_eq!(got, want);

    // Without --encoding, bytes that are not UTF-8 are replaced, never dropped. (On
    // Windows they are read in the ANSI code page instead: tests/windows.rs.)
    #[cfg(not(windows))]
    {
        let got = docs(&run_stdin(&["-t", "UTC"], &sjis));
        assert_eq!(got.len(), 1);
        assert!(
            got[0]["rule"]["name"]
                .as_str()
                .unwrap()
                .contains('\u{FFFD}')
        );
    }
}

#[test]
fn keep_original_pretty_and_forced_format() {
    let out = run_stdin(
        &["-t", "UTC", "--keep-original", "--pretty"],
        format!("{IAS_REQUEST}\r\n").as_bytes(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() > 10);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["event"]["original"], IAS_REQUEST);

    let out = run_stdin(&["-t", "UTC", "--format", "odbc"], IAS_REQUEST.as_bytes());
    let d = docs(&out);
    assert_eq!(d[0]["error"]["type"], "parse_error");
    assert!(
        d[0]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("odbc: ")
    );
}

#[test]
fn over_long_lines_are_bounded() {
    let long = format!("{IAS_REQUEST},4149,{}\n", "x".repeat(100_000));
    let input = format!("{IAS_REQUEST}\n{long}{IAS_REQUEST}\n");
    let out = run_stdin(&["-t", "UTC", "--max-line-bytes", "4096"], input.as_bytes());
    let d = docs(&out);
    assert_eq!(d.len(), 3);
    assert_eq!(d[1]["error"]["type"], "line_too_long");
    let orig = d[1]["event"]["original"].as_str().unwrap();
    assert_eq!(orig.len(), 1024);
    assert!(long.starts_with(orig));
    assert!(d[1]["error"]["message"].as_str().unwrap().contains("100"));
    assert_eq!(d[2]["event"]["kind"], "event");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = bin()
        .args(["-t", "UTC"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = format!("{IAS_REQUEST}\n");
        for _ in 0..200_000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with('{'));
    drop(stdout); // the reader goes away, like `| head -1`
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn version_and_help() {
    let out = bin().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--timezone") && help.contains("Exit status"));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("max-line-bytes") && text.contains("timezone"),
            "{shell}"
        );
    }
    // The bash script is valid bash (not on Windows: no bash there, nor under Wine).
    #[cfg(not(windows))]
    {
        let script = bin().args(["completions", "bash"]).output().unwrap().stdout;
        let path = tmp("completion.bash", &script);
        let check = Command::new("bash").arg("-n").arg(&path).status().unwrap();
        assert!(check.success());
    }

    let man = bin().arg("man").output().unwrap();
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(text.starts_with(".ie") || text.contains(".TH nps-enrich 1"));
    assert!(text.contains(env!("CARGO_PKG_VERSION")));
    assert!(text.contains("max\\-line\\-bytes"));

    // A file that happens to be called `man` is still a file (given as a path).
    let dir = tmp(
        "man-dir/man",
        b"10.0.0.1,alice,07/17/2008,13:13:40,IAS,NPS1,4136,1\n",
    );
    let out = bin().args(["-t", "UTC"]).arg(&dir).output().unwrap();
    assert_eq!(docs(&out).len(), 1);
}
