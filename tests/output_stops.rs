//! Output that goes away: a closed pipe ends the run at once with success, a failing write
//! (a full disk) at once with status 1 and a message naming stdout, and a stdout that was
//! never open is refused — for every thread count (the parallel path once blocked forever).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn big_file() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("nps-output-stops-{}.log", std::process::id()));
    if !path.exists() {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for i in 0..200_000 {
            writeln!(
                f,
                "10.0.0.1,user{i},01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0"
            )
            .unwrap();
        }
    }
    path
}

/// Waits for the child, failing the test if it has not ended within 20 s.
fn wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let t0 = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if t0.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("nps-enrich did not end after its output went away");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_closed_pipe_ends_the_run_with_success_for_every_thread_count() {
    let input = big_file();
    for threads in ["1", "2", "4"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
            .args(["-t", "UTC", "-j", threads])
            .arg(&input)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with('{'), "{first}");
        // The reader is dropped here: as `| head -1` does.
        let status = wait(&mut child);
        assert!(status.success(), "-j {threads}: {status}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_failing_write_ends_the_run_with_status_1_naming_stdout() {
    let input = big_file();
    for threads in ["1", "2"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
            .args(["-t", "UTC", "-j", threads])
            .arg(&input)
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = wait(&mut child);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(1), "-j {threads}");
        assert!(err.contains("stdout: "), "{err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_an_error() {
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" -t UTC \"$1\" >&-")
        .arg(env!("CARGO_BIN_EXE_nps-enrich"))
        .arg(big_file())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdout was closed"));
    // /dev/null opened by the shell is a place to write to, not an error.
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" -t UTC \"$1\" >/dev/null")
        .arg(env!("CARGO_BIN_EXE_nps-enrich"))
        .arg(big_file())
        .output()
        .unwrap();
    assert!(out.status.success());
}
