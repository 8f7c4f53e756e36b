//! Golden files: `tests/golden/<format>/NAME.in` through the binary must give
//! `NAME.out.jsonl` byte for byte. `NPS_ENRICH_BLESS=1` rewrites the expected files (read
//! them line by line before committing). See `tests/golden/README.md`.

use std::process::Command;

#[path = "support/files.rs"]
mod files;

/// The line without its line end and UTF-8 BOM, as the transform reads it.
fn core(l: &[u8]) -> &[u8] {
    let l = l.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

fn blank(l: &[u8]) -> bool {
    l.iter().all(u8::is_ascii_whitespace)
}

/// A shipper's envelope (`{"message": …}`, `{"log": …}`) around a blank line: skipped as a
/// blank line is (its line end and BOM go first there too). A Windows event in a shipper's
/// shape (an event id, a `winlog` or `System` member) is an event even when its `message`
/// is empty.
fn blank_envelope(l: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(o)) = serde_json::from_slice(core(l)) else {
        return false;
    };
    let event_keys = ["event_id", "EventID", "winlog", "System", "Event", "event"];
    if event_keys.iter().any(|k| o.contains_key(*k)) {
        return false;
    }
    ["message", "log"]
        .iter()
        .find_map(|k| o.get(*k).and_then(|v| v.as_str()))
        .is_some_and(|inner| {
            let inner = inner.trim_end_matches(['\r', '\n']);
            blank(inner.strip_prefix('\u{feff}').unwrap_or(inner).as_bytes())
        })
}

/// Lines that give a document: all but blank lines and envelopes of blank lines.
fn count_document_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !blank(core(l)) && !blank_envelope(l))
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
        // One document per line, but for blank lines (CR-only lines count as blank) and
        // envelopes of blank lines.
        let expected_docs = count_document_lines(&raw);
        assert_eq!(docs.len(), expected_docs, "{}", input.display());
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
