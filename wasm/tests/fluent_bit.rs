//! The Fluent Bit filter function, called natively through raw pointers the way Fluent Bit
//! calls it, over every golden input: each output must equal the native golden document.
//! Records are built as Fluent Bit's JSON event format builds them: `{"log": line}` for a
//! log line (tail), the event map itself for a JSON event, non-ASCII escaped as `\uXXXX`.

use nps_enrich_wasm::fluent_bit::{ZONE_KEY, nps_enrich_filter, nps_enrich_filter_full};
use std::ffi::CStr;
use std::path::Path;

/// `s` with every non-ASCII character escaped as `\uXXXX`, as Fluent Bit writes record
/// bodies (non-ASCII only occurs inside JSON strings, so this keeps the JSON valid).
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// The record Fluent Bit would hand the filter for this input line (key order kept): a
/// log line as `tail` with `Offset_Key offset` makes it, `{"log": line, "offset": N}`,
/// `offset` being where the line starts in its file.
pub fn record_for(line: &str, zone: Option<&str>, offset: u64) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    let is_object = line.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| v.is_object());
    let body = if is_object {
        line.to_string()
    } else if line.trim_start().starts_with('{') {
        return line.to_string(); // not a JSON object: passed as it is
    } else {
        format!(
            "{{\"log\":{},\"offset\":{offset}}}",
            serde_json::to_string(line).unwrap()
        )
    };
    let body = match zone {
        Some(z) => {
            let inner = body.trim_end().strip_suffix('}').unwrap_or(&body);
            let sep = if inner.trim_end().ends_with('{') {
                ""
            } else {
                ","
            };
            format!("{inner}{sep}\"{ZONE_KEY}\":\"{z}\"}}")
        }
        None => body,
    };
    ascii(&body)
}

/// `doc` with its `event.id` value blanked.
fn without_id(doc: &str) -> String {
    match doc.find("\"id\":\"") {
        Some(i) if doc.len() >= i + 6 + 33 => format!("{}-{}", &doc[..i + 6], &doc[i + 6 + 32..]),
        _ => doc.to_string(),
    }
}

fn call(record: Option<&[u8]>) -> String {
    call_as(record, false)
}

/// Through `nps_enrich_filter`, or `nps_enrich_filter_full` when `full`.
fn call_as(record: Option<&[u8]>, full: bool) -> String {
    let tag = b"nps.log\0";
    let (ptr, len) = match record {
        Some(r) => (r.as_ptr(), r.len() as u32),
        None => (std::ptr::null(), 0),
    };
    // SAFETY: `ptr` is null or points to `len` bytes of `record`, alive for the call.
    #[allow(unsafe_code)]
    let out = unsafe {
        if full {
            nps_enrich_filter_full(tag.as_ptr(), 7, 1_700_000_000, 0, ptr, len)
        } else {
            nps_enrich_filter(tag.as_ptr(), 7, 1_700_000_000, 0, ptr, len)
        }
    };
    assert!(!out.is_null());
    // SAFETY: the filter returns a pointer to its NUL-terminated output buffer, valid until
    // the next call.
    #[allow(unsafe_code)]
    let s = unsafe { CStr::from_ptr(out.cast()) };
    s.to_str().unwrap().to_string()
}

#[test]
fn every_golden_line_matches_native() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden");
    let mut checked = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let input = f.unwrap().path();
            if input.extension().is_none_or(|e| e != "in") {
                continue;
            }
            let args = std::fs::read_to_string(input.with_extension("args")).unwrap_or_default();
            // `--fields full` cases go through the full profile's entry point.
            let full = args.contains("--fields full");
            let zone = args
                .split_whitespace()
                .skip_while(|a| *a != "--timezone")
                .nth(1)
                .filter(|z| *z != "UTC");
            let raw = std::fs::read(&input).unwrap();
            let expected = std::fs::read_to_string(input.with_extension("out.jsonl")).unwrap();
            let mut want = expected.lines();
            let mut offset = 0u64;
            for raw_line in raw.split(|&b| b == b'\n') {
                let at = offset;
                offset += raw_line.len() as u64 + 1;
                let line = String::from_utf8_lossy(raw_line);
                let bare = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
                if bare.trim().is_empty() {
                    continue;
                }
                let record = record_for(bare, zone, at);
                let got = call_as(Some(record.as_bytes()), full);
                if got.is_empty() {
                    // Dropped: only an envelope around a blank line is (as the CLI skips it).
                    let v: serde_json::Value = serde_json::from_str(bare).unwrap();
                    let inner = v["message"].as_str().or(v["log"].as_str()).unwrap();
                    assert!(inner.trim().is_empty(), "{}: {bare}", input.display());
                    continue;
                }
                let want = want.next().map(str::to_owned);
                // A tail record's offset member comes back last in the document; a record
                // that is a JSON object itself (an event map) has no place, so its id is
                // made without one, unlike the CLI's for the same line of a file.
                let (got, want) = match got.strip_suffix(&format!(",\"offset\":{at}}}")) {
                    Some(doc) => (format!("{doc}}}"), want),
                    None => (without_id(&got), want.as_deref().map(without_id)),
                };
                assert_eq!(Some(got), want, "{}: {bare:.100}", input.display());
                checked += 1;
            }
            assert_eq!(want.next(), None, "{}: lines left over", input.display());
        }
    }
    assert!(checked >= 100, "only {checked} lines checked");
}

#[test]
fn no_record_and_odd_records_still_give_a_json_object() {
    for rec in [
        None,
        Some(&b"{}"[..]),
        Some(b"[1]"),
        Some(b"\xff\xfe"),
        Some(b"{\"log\":42}"),
    ] {
        let out = call(rec);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["event"]["kind"], "pipeline_error", "{rec:?}: {out}");
    }
    // The zone key is taken out, and switches back to UTC when absent.
    let with = call(Some(
        br#"{"log":"10.0.0.1,,01/17/2008,13:13:40,IAS,NPS,4136,1","nps_timezone":"Asia/Tokyo"}"#,
    ));
    assert!(
        with.contains("\"@timestamp\":\"2008-01-17T13:13:40+09:00\""),
        "{with}"
    );
    assert!(!with.contains(ZONE_KEY));
    let without = call(Some(
        br#"{"log":"10.0.0.1,,01/17/2008,13:13:40,IAS,NPS,4136,1"}"#,
    ));
    assert!(
        without.contains("\"@timestamp\":\"2008-01-17T13:13:40+00:00\""),
        "{without}"
    );
}

#[test]
fn a_lone_cr_inside_log_is_one_multiple_lines_document_and_a_trailing_cr_is_dropped() {
    let a = "192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,4136,1,4142,0";
    let b = "192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2,4142,0";
    // Fluent Bit's tail splits at \n only: two lines that ended at a lone \r arrive glued,
    // and the module can return one record only.
    let glued = serde_json::json!({ "log": format!("{a}\r{b}") }).to_string();
    let v: serde_json::Value = serde_json::from_str(&call(Some(glued.as_bytes()))).unwrap();
    assert_eq!(v["error"]["type"], "multiple_lines", "{v}");
    assert_eq!(v["event"]["original"], format!("{a}\r{b}"));
    // The CR of a CRLF file, left in `log` by tail: the line's own document.
    let crlf = serde_json::json!({ "log": format!("{a}\r") }).to_string();
    let plain = serde_json::json!({ "log": a }).to_string();
    let doc = call(Some(crlf.as_bytes()));
    assert_eq!(doc, call(Some(plain.as_bytes())));
    assert!(
        doc.starts_with(r#"{"@timestamp":"2008-01-17T13:13:40+00:00""#),
        "{doc}"
    );
}

/// The line `tail` hands over for a file's first line, BOM and all.
const LINE: &str = "192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,4136,1,4142,0";

#[test]
fn blank_lines_are_dropped_as_the_cli_skips_them() {
    // Fluent Bit drops a record for which the filter returns the empty string.
    for log in ["", "   ", "\r", " \t\r", "\u{feff}", "\u{feff}  "] {
        for key in ["log", "message"] {
            let rec = serde_json::json!({ key: log, "offset": 7 }).to_string();
            assert_eq!(call(Some(rec.as_bytes())), "", "{rec}");
        }
    }
    // Empty and white-space records too; no record at all is still an error document.
    assert_eq!(call(Some(b"")), "");
    assert_eq!(call(Some(b"  ")), "");
    assert!(call(None).contains("no_record"));
    // A blank record does not leave the next one empty.
    let rec = serde_json::json!({ "log": LINE }).to_string();
    assert!(call(Some(rec.as_bytes())).starts_with("{\"@timestamp\""));
}

#[test]
fn a_bom_before_the_first_line_is_removed_as_on_the_line_path() {
    // The document of the line with a BOM, at offset 0 (a file's start), is the document
    // of the line without one at the same offset: the same observer.ip, the same event.id.
    let with = serde_json::json!({ "log": format!("\u{feff}{LINE}"), "offset": 0 }).to_string();
    let without = serde_json::json!({ "log": LINE, "offset": 0 }).to_string();
    let doc = call(Some(ascii(&with).as_bytes()));
    assert_eq!(doc, call(Some(without.as_bytes())));
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["observer"]["ip"], "192.168.10.4", "{doc}");
    assert_eq!(v["event"]["kind"], "event", "{doc}");
}

#[test]
fn a_long_line_from_tail_is_the_clis_line_too_long_document_at_its_offset() {
    // With Buffer_Max_Size 2M and Truncate_Long_Lines, tail passes a line of 1.5 MB whole
    // and one of 3 MB cut to its first 2 MB - 1 (Fluent Bit's 2M is 2,000,000 bytes).
    for len in [1_500_000, 1_999_999] {
        let long = format!("{LINE},{}", "x".repeat(len - LINE.len() - 1));
        let doc = |offset: u64| {
            let rec = format!("{{\"log\":\"{long}\",\"offset\":{offset}}}");
            let out = call(Some(rec.as_bytes()));
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["error"]["type"], "line_too_long", "{}", &out[..300]);
            v
        };
        let v = doc(0);
        // As the CLI writes it: the line's first 1024 bytes, its length, the limit.
        assert_eq!(v["event"]["original"].as_str(), Some(&long[..1024]));
        let message = v["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!(
                "line of {len} bytes is longer than the limit of 1048576 bytes"
            )),
            "{message}"
        );
        // The same start at two places of the file: two ids (an Elasticsearch `_id` would
        // keep one of them), the same place twice: one.
        let id = |v: &serde_json::Value| v["event"]["id"].as_str().unwrap().to_string();
        assert_ne!(id(&v), id(&doc(5_000_000)));
        assert_eq!(id(&v), id(&doc(0)));
    }
}

/// The CLI's document for the same long line at the same offset (the CLI's reader keeps a
/// long line's start and length and calls the library's `transform_too_long_at`): the same.
#[test]
fn a_long_line_gives_what_the_cli_gives_for_it() {
    let long = format!("{LINE},{}", "y".repeat(1_200_000));
    let mut cli = Vec::new();
    nps_enrich::Transformer::new(nps_enrich::Options::default()).transform_too_long_at(
        long.as_bytes(),
        long.len(),
        Some(4096),
        &mut cli,
    );
    let rec = format!("{{\"log\":\"{long}\\r\",\"offset\":4096}}");
    assert_eq!(call(Some(rec.as_bytes())), String::from_utf8(cli).unwrap());
}
