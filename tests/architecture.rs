//! The design's never-rules, checked on the source: parsers never write the document, code
//! tables know no format, and the library core knows no binding or terminal. A change that
//! breaks one fails here instead of slowly reshaping the code.

use std::path::{Path, PathBuf};

fn sources(rel: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((p, text));
        }
    }
    assert!(!out.is_empty(), "{rel}: no sources");
    out
}

fn assert_none(rel: &str, forbidden: &[&str], rule: &str) {
    for (path, text) in sources(rel) {
        for f in forbidden {
            assert!(!text.contains(f), "{}: uses `{f}` ({rule})", path.display());
        }
    }
}

#[test]
fn parsers_never_write_the_document() {
    for rel in [
        "transform/ias.rs",
        "transform/odbc.rs",
        "transform/dts.rs",
        "transform/detect.rs",
        "transform/winevent",
    ] {
        assert_none(
            rel,
            &["crate::write", "Json<"],
            "parsers only read; enrich writes",
        );
        // What a code means (event.reason, names, texts) is the enrichment's to say.
        assert_none(
            rel,
            &["codes::reason", "reason::lookup"],
            "parsers read codes; enrich says what they mean",
        );
    }
}

#[test]
fn code_tables_know_no_format() {
    assert_none(
        "transform/codes",
        &[
            "crate::Format",
            "crate::ias",
            "crate::odbc",
            "crate::dts",
            "crate::winevent",
            "crate::write",
        ],
        "a code table is data about NPS, not about a log format",
    );
}

#[test]
fn the_core_knows_no_binding_or_terminal() {
    for (path, text) in sources("transform") {
        let rel = path.to_string_lossy();
        // The command-line front end (by components: Windows paths use `\`).
        if path.components().any(|c| c.as_os_str() == "cli")
            || path.file_name().is_some_and(|n| n == "main.rs")
        {
            continue;
        }
        for f in [
            "wasm_bindgen",
            "clap::",
            "std::io::stdout",
            "std::io::stdin",
            "println!",
            "eprintln!",
            "std::process::exit",
        ] {
            assert!(
                !text.contains(f),
                "{rel}: uses `{f}` (the core is front-end free)"
            );
        }
    }
}
