//! `event.id`: the same line at the same place always gets the same id, a line elsewhere
//! another, a Windows event the same id however a shipper re-serialises it, an envelope the
//! id of its inner line; every document has one; and ids equal values computed by an
//! independent implementation of XXH3-128 from the construction docs/output.md gives.

use nps_enrich::{Options, Outcome, Transformer};
use serde_json::Value;
use std::collections::HashMap;

#[path = "support/files.rs"]
mod files;

const IAS: &str = "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0";

fn doc_at(line: &[u8], at: Option<u64>) -> Value {
    let mut t = Transformer::new(Options::default());
    let mut out = Vec::new();
    let outcome = t.transform_at(line, at, &mut out);
    assert_ne!(outcome, Outcome::Blank);
    serde_json::from_slice(&out).unwrap()
}

fn id_at(line: &[u8], at: Option<u64>) -> String {
    doc_at(line, at)["event"]["id"]
        .as_str()
        .expect("event.id")
        .to_string()
}

fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Values computed with Python's `xxhash` 4.1.0 (`pip install xxhash`), not by this crate:
///
/// ```text
/// python3 -c 'import xxhash; print(xxhash.xxh3_128_hexdigest(b"nps-enrich/event.id/1" + b"\x01" + (4096).to_bytes(8, "little") + "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0".encode()))'
/// d3e4e1e72b706a166f2d78c1073df90e
/// python3 -c 'import xxhash; print(xxhash.xxh3_128_hexdigest(b"nps-enrich/event.id/1" + b"\x00" + bytes(8) + "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0".encode()))'
/// 47322e458616d0ddae673f3eb40261de
/// python3 -c 'import xxhash; f=lambda s: len(s.encode()).to_bytes(8,"little")+s.encode(); print(xxhash.xxh3_128_hexdigest(b"nps-enrich/event.id/1" + b"\x02" + b"".join(f(s) for s in ["MYSUBDOMAIN.MYDOMAIN.local","Security","Microsoft-Windows-Security-Auditing","6272","276341076"])))'
/// 67474104252feb2cc1c21d676906fe92
/// ```
#[test]
fn ids_equal_an_independent_implementation() {
    assert_eq!(
        id_at(IAS.as_bytes(), Some(4096)),
        "d3e4e1e72b706a166f2d78c1073df90e"
    );
    assert_eq!(
        id_at(IAS.as_bytes(), None),
        "47322e458616d0ddae673f3eb40261de"
    );
    // The line end and a BOM are not part of the line.
    let mut framed = b"\xEF\xBB\xBF".to_vec();
    framed.extend_from_slice(IAS.as_bytes());
    framed.extend_from_slice(b"\r\n");
    assert_eq!(id_at(&framed, None), "47322e458616d0ddae673f3eb40261de");
    // The 2019 grant (tests/golden/winevent/grant-6272-shapes.in, event XML), by its record.
    let grant =
        std::fs::read_to_string(files::root().join("tests/golden/winevent/grant-6272-shapes.in"))
            .unwrap();
    let first = grant.lines().next().unwrap();
    assert_eq!(
        id_at(first.as_bytes(), Some(12345)),
        "67474104252feb2cc1c21d676906fe92"
    );
}

#[test]
fn same_line_same_place_same_id_elsewhere_another() {
    let a = id_at(IAS.as_bytes(), Some(1000));
    assert!(is_id(&a), "{a}");
    // A fresh transformer (a restart), and one that transformed other lines first.
    assert_eq!(id_at(IAS.as_bytes(), Some(1000)), a);
    let mut t = Transformer::new(Options::default());
    let mut out = Vec::new();
    t.transform_at(b"garbage", Some(7), &mut out);
    t.transform_at(IAS.as_bytes(), Some(9), &mut out);
    out.clear();
    t.transform_at(IAS.as_bytes(), Some(1000), &mut out);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["event"]["id"], a.as_str());
    // Another place, no place, another line.
    assert_ne!(id_at(IAS.as_bytes(), Some(1001)), a);
    assert_ne!(id_at(IAS.as_bytes(), None), a);
    assert_ne!(id_at(IAS.as_bytes(), Some(0)), id_at(IAS.as_bytes(), None));
    let other = IAS.replace("alice", "bob");
    assert_ne!(id_at(other.as_bytes(), Some(1000)), a);
    // `transform` is `transform_at(.., None, ..)`, `transform_str` too.
    let mut t = Transformer::new(Options::default());
    let (mut x, mut y) = (Vec::new(), Vec::new());
    t.transform(IAS.as_bytes(), &mut x);
    t.transform_str(IAS, &mut y);
    assert_eq!(x, y);
    assert_eq!(
        serde_json::from_slice::<Value>(&x).unwrap()["event"]["id"],
        id_at(IAS.as_bytes(), None).as_str()
    );
}

/// The Winlogbeat 8 rendering of the 2019 grant, re-serialised as a shipper does after a
/// restart: a new `event.created`, new `agent.*`, keys in another order.
#[test]
fn a_windows_event_re_serialised_keeps_its_id() {
    let grant =
        std::fs::read_to_string(files::root().join("tests/golden/winevent/grant-6272-shapes.in"))
            .unwrap();
    let line = grant.lines().nth(3).unwrap(); // winlogbeat-8 (grant-6272-shapes.shapes)
    let mut v: Value = serde_json::from_str(line).unwrap();
    assert!(v["winlog"]["record_id"].is_string() || v["winlog"]["record_id"].is_number());
    v["event"]["created"] = "2026-12-01T08:00:00.000Z".into();
    v["agent"] = serde_json::json!({"type": "winlogbeat", "ephemeral_id": "b1e0", "id": "9f"});
    // Top-level members written in reverse order.
    let members: Vec<String> = v
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, x)| format!("{}:{x}", Value::from(k.as_str())))
        .collect();
    let again = format!("{{{}}}", members.join(","));
    assert_ne!(again, line);
    let first = doc_at(line.as_bytes(), Some(100));
    let second = doc_at(again.as_bytes(), Some(98765));
    assert_eq!(first["event"]["kind"], "event");
    assert_eq!(first["event"]["id"], second["event"]["id"]);
    // Another record is another id.
    v["winlog"]["record_id"] = "276341077".into();
    let next = doc_at(v.to_string().as_bytes(), Some(100));
    assert_ne!(next["event"]["id"], first["event"]["id"]);
}

#[test]
fn an_envelope_is_named_by_its_inner_line_and_offset() {
    let bare = id_at(IAS.as_bytes(), None);
    let inner = Value::from(IAS).to_string();
    for env in [
        format!(r#"{{"message":{inner}}}"#),
        format!(r#"{{"message":{inner},"host":"collector","source_type":"file"}}"#),
        format!(r#"{{"agent":{{"id":"x"}},"log":{inner},"file":"IN2607.log"}}"#),
        // The JSON-tree path (an escaped key) reads the same.
        format!(r#"{{"\u006dessage":{inner},"extra":[1,2]}}"#),
    ] {
        let d = doc_at(env.as_bytes(), None);
        assert_eq!(d["event"]["id"], bare.as_str(), "{env}");
    }
    // The envelope's `offset` is the line's position; it wins over the record's own.
    let at = id_at(IAS.as_bytes(), Some(5120));
    for env in [
        format!(r#"{{"log":{inner},"offset":5120}}"#),
        format!(r#"{{"offset":5120,"message":{inner},"file":"C:\\x\\IN2607.log"}}"#),
        format!(r#"{{"\u006cog":{inner},"offset":5120}}"#),
    ] {
        assert_eq!(doc_at(env.as_bytes(), None)["event"]["id"], at.as_str());
        assert_eq!(doc_at(env.as_bytes(), Some(77))["event"]["id"], at.as_str());
    }
    // No usable offset: the record's position.
    for bad in [r#""5120""#, "-1", "5120.5", "null"] {
        let env = format!(r#"{{"log":{inner},"offset":{bad}}}"#);
        assert_eq!(
            doc_at(env.as_bytes(), Some(77))["event"]["id"],
            id_at(IAS.as_bytes(), Some(77)).as_str(),
            "{env}"
        );
    }
}

/// Every error document has an id, made from its `event.original` at its position.
#[test]
fn error_documents_have_ids() {
    let mut t = Transformer::new(Options {
        max_line_bytes: 4096,
        ..Options::default()
    });
    let long = "x".repeat(5000);
    let cases: Vec<(&[u8], &str)> = vec![
        (b"not an NPS line", "unknown_format"),
        (
            b"10.0.0.1,,02/30/2008,13:13:40,IAS,NPS1,4136,1",
            "parse_error",
        ),
        (long.as_bytes(), "line_too_long"),
        (br#"{"log":"a\rb"}"#, "multiple_lines"),
        (br#"{"message": 1, "other": true}"#, "parse_error"),
    ];
    let mut seen = Vec::new();
    for (line, kind) in cases {
        for at in [None, Some(64)] {
            let mut out = Vec::new();
            let outcome = t.transform_at(line, at, &mut out);
            assert!(matches!(outcome, Outcome::Error(..)), "{outcome:?}");
            let d: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(d["error"]["type"], kind, "{d}");
            let id = d["event"]["id"].as_str().unwrap().to_string();
            assert!(is_id(&id));
            // Recomputable from the document: the id of its original, as a line.
            let original = d["event"]["original"].as_str().unwrap();
            assert_eq!(id, line_id(original, at), "{kind}");
            seen.push(id);
        }
    }
    // The caller's too-long path.
    let mut out = Vec::new();
    t.transform_too_long_at(&long.as_bytes()[..2000], 5000, Some(1 << 40), &mut out);
    let d: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(d["error"]["type"], "line_too_long");
    let original = d["event"]["original"].as_str().unwrap();
    assert_eq!(d["event"]["id"], line_id(original, Some(1 << 40)).as_str());
    // internal_error documents.
    for at in [None, Some(3)] {
        let mut out = Vec::new();
        nps_enrich::internal_error_document_at(IAS.as_bytes(), at, &mut out);
        let d: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(d["error"]["type"], "internal_error");
        assert_eq!(d["event"]["id"], line_id(IAS, at).as_str());
    }
    let mut out = Vec::new();
    nps_enrich::internal_error_document(IAS.as_bytes(), &mut out);
    let d: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(d["event"]["id"], line_id(IAS, None).as_str());
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "two error documents share an id");
}

/// The id the library gives `text` as a line at `at`, read off a document (forced IAS, so
/// any text gives one: an event document or an error document carrying `text` whole). It
/// checks that an error document's id is recomputable from its `event.original`; the
/// pinned test checks the hash itself.
fn line_id(text: &str, at: Option<u64>) -> String {
    let mut t = Transformer::new(Options {
        format: Some(nps_enrich::Format::Ias),
        ..Options::default()
    });
    id_with(&mut t, text.as_bytes(), at)
}

fn id_with(t: &mut Transformer, line: &[u8], at: Option<u64>) -> String {
    let mut out = Vec::new();
    t.transform_at(line, at, &mut out);
    let d: Value = serde_json::from_slice(&out).unwrap();
    d["event"]["id"].as_str().unwrap().to_string()
}

/// Over the golden corpus, documents share an id only when they are the same line (the
/// same inner line of an envelope) or the same Windows event (its record).
#[test]
fn golden_ids_are_distinct_but_for_the_same_input() {
    let mut by_id: HashMap<String, (String, String)> = HashMap::new();
    let mut docs = 0;
    for out in files::golden_outputs() {
        let input = std::fs::read_to_string(out.with_extension("").with_extension("in"))
            .unwrap_or_default();
        let lines: Vec<&str> = input
            .lines()
            .map(|l| l.trim_start_matches('\u{feff}').trim_end_matches('\r'))
            .filter(|l| !l.trim_ascii().is_empty())
            .collect();
        let text = std::fs::read_to_string(&out).unwrap();
        for (i, doc) in text.lines().enumerate() {
            let d: Value = serde_json::from_str(doc).unwrap();
            let id = d["event"]["id"].as_str().unwrap().to_string();
            assert!(is_id(&id), "{}: {id}", out.display());
            let w = &d["winlog"];
            let identity = if !w["record_id"].is_null() {
                format!(
                    "event {} {} {} {} {}",
                    w["computer_name"],
                    w["channel"],
                    w["provider_name"],
                    w["event_id"],
                    w["record_id"]
                )
            } else {
                let line = lines.get(i).copied().unwrap_or_default();
                let inner = serde_json::from_str::<Value>(line).ok().and_then(|v| {
                    ["message", "log"]
                        .iter()
                        .find_map(|k| v.get(*k)?.as_str().map(String::from))
                });
                match inner {
                    Some(inner) if w.is_null() => {
                        format!("line {}", inner.trim_end_matches(['\r', '\n']))
                    }
                    _ => format!("line {line}"),
                }
            };
            let place = format!("{} line {}", out.display(), i + 1);
            if let Some((seen, at)) = by_id.get(&id) {
                assert_eq!(seen, &identity, "{place} has the id of {at}");
            } else {
                by_id.insert(id, (identity, place));
            }
            docs += 1;
        }
    }
    assert!(docs > 100, "{docs} documents");
    assert!(by_id.len() > 60, "{} ids", by_id.len());
}
