//! Files the tests share: the golden cases, and files generated from the code tables that
//! must stay equal to what the code gives (`#[path]`-included).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every golden `tests/golden/<format>/NAME.in`, sorted, with its arguments
/// (`NAME.args`, else `--timezone UTC`).
pub fn golden_cases() -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "in"))
            .collect();
        files.sort();
        for f in files {
            let args = std::fs::read_to_string(f.with_extension("args"))
                .unwrap_or_else(|_| "--timezone UTC".into());
            out.push((f, args.split_whitespace().map(String::from).collect()));
        }
    }
    out
}

/// Every golden expected output, `NAME.out.jsonl`, in the order of `golden_cases`.
pub fn golden_outputs() -> Vec<PathBuf> {
    golden_cases()
        .into_iter()
        .map(|(input, _)| input.with_extension("out.jsonl"))
        .collect()
}

/// Asserts that the committed file `rel` (from the repository root) equals `want`, what the
/// code generates; with `NPS_ENRICH_BLESS=1` it is rewritten first.
pub fn assert_generated_file_current(rel: &str, want: &str) {
    let path = root().join(rel);
    if std::env::var_os("NPS_ENRICH_BLESS").is_some() {
        std::fs::write(&path, want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{rel} is out of date: rerun with NPS_ENRICH_BLESS=1"
    );
}
