//! Golden files: `tests/golden/<format>/NAME.in` through the binary must give
//! `NAME.out.jsonl` byte for byte. `NPS_ENRICH_BLESS=1` rewrites the expected files (read
//! them line by line before committing). See `tests/golden/README.md`.

use std::process::Command;

#[path = "support/files.rs"]
mod files;

fn count_nonblank_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| {
            let l = l.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(l);
            !l.iter().all(u8::is_ascii_whitespace)
        })
        .count()
}

#[test]
fn golden_files() {
    let bless = std::env::var_os("NPS_ENRICH_BLESS").is_some();
    let cases = files::golden_cases();
    assert!(cases.len() >= 10, "golden corpus missing");
    let mut failures = Vec::new();
    for (input, args) in &cases {
        let out = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
            .args(args)
            .arg(input)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: exit {:?}",
            input.display(),
            out.status
        );
        let raw = std::fs::read(input).unwrap();
        let docs: Vec<&[u8]> = out
            .stdout
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        // One document per non-blank input line (CR-only lines count as blank).
        let expected_docs = raw
            .split(|&b| b == b'\n')
            .filter(|l| {
                let l = l.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(l);
                !l.iter().all(u8::is_ascii_whitespace)
            })
            .count();
        assert_eq!(docs.len(), expected_docs, "{}", input.display());
        assert_eq!(count_nonblank_lines(&raw), expected_docs);
        for d in &docs {
            let v: serde_json::Value = serde_json::from_slice(d)
                .unwrap_or_else(|e| panic!("{}: invalid JSON {e}", input.display()));
            assert!(v.is_object());
        }
        let expected_path = input.with_extension("out.jsonl");
        if bless {
            std::fs::write(&expected_path, &out.stdout).unwrap();
            continue;
        }
        let expected = std::fs::read(&expected_path)
            .unwrap_or_else(|_| panic!("{} missing", expected_path.display()));
        if expected != out.stdout {
            let exp = String::from_utf8_lossy(&expected);
            let got = String::from_utf8_lossy(&out.stdout);
            for (i, (a, b)) in exp.lines().zip(got.lines()).enumerate() {
                if a != b {
                    failures.push(format!(
                        "{} line {}:\n  expected {a}\n  got      {b}",
                        input.display(),
                        i + 1
                    ));
                    break;
                }
            }
            if exp.lines().count() != got.lines().count() {
                failures.push(format!("{}: line count differs", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
