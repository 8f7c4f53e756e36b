//! Inputs the fuzzers (fuzz/) found that broke an invariant, minimised, one test each, named
//! for what went wrong. Each failed before its fix.

use nps_enrich::{Options, Outcome, Transformer};
use serde_json::Value;

#[path = "support/invariants.rs"]
mod invariants;

fn doc(line: &str) -> (Outcome, Value) {
    let mut out = Vec::new();
    let outcome = Transformer::new(Options::default()).transform(line.as_bytes(), &mut out);
    let v = invariants::check(line.as_bytes(), outcome, &out)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap();
    (outcome, v)
}

const XML_HEAD: &str = r#"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>6272</EventID><Computer>NPS1</Computer></System><EventData>"#;

/// `line` (Sentinel export with a Data name twice): `winlog.event_data` had the key twice,
/// which Elasticsearch rejects. Now one key with both values, in order.
#[test]
fn event_data_name_given_twice() {
    let line = format!(
        r#"{XML_HEAD}<Data Name="CallingStationID">98.196.175.165</Data><Data Name="NASIdentifier">nas</Data><Data Name="CallingStationID">10.0.0.9</Data></EventData></Event>"#
    );
    let (outcome, v) = doc(&line);
    assert!(matches!(outcome, Outcome::Event(_)));
    let data = &v["winlog"]["event_data"];
    assert_eq!(
        data["CallingStationID"],
        serde_json::json!(["98.196.175.165", "10.0.0.9"])
    );
    assert_eq!(data["NASIdentifier"], "nas");
    // The first value is the one the ECS fields use.
    assert_eq!(v["source"]["ip"], "98.196.175.165");
}

/// The same with many names (the grouping takes another path past 32 members).
#[test]
fn many_event_data_names_some_twice() {
    let mut line = String::from(XML_HEAD);
    for i in 0..20_000 {
        line.push_str(&format!(r#"<Data Name="N{}">{i}</Data>"#, i % 10_000));
    }
    line.push_str("</EventData></Event>");
    let (_, v) = doc(&line);
    let data = v["winlog"]["event_data"].as_object().unwrap();
    assert_eq!(data.len(), 10_000);
    assert_eq!(data["N7"], serde_json::json!(["7", "10007"]));
}

/// `line` (a record with `message` and other members, one an object with a key twice):
/// the members were copied as written, duplicate and all. Now such a record goes through
/// the JSON tree, which keeps the last value, as JSON parsers do. (The fuzzer's record had
/// an empty `message`; an envelope around a blank line now gives no document at all, so the
/// record is kept with a message that is not blank.)
#[test]
fn envelope_member_with_a_key_twice() {
    let blank = r#"{"message":"","event_data":{"SubjectDomainName":"A","SubjectDomainName":"B"}}"#;
    let mut out = Vec::new();
    let outcome = Transformer::new(Options::default()).transform(blank.as_bytes(), &mut out);
    assert_eq!((outcome, out.len()), (Outcome::Blank, 0));
    for line in [
        r#"{"message":"x","event_data":{"SubjectDomainName":"A","SubjectDomainName":"B"}}"#,
        r#"{"message":"not an NPS line","extra":[{"k":1,"k":2}]}"#,
        r#"{"log":"192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2","host":{"name":"a","name":"b"}}"#,
    ] {
        let (_, v) = doc(line);
        let text = v.to_string();
        assert!(
            !text.contains(r#""A""#) && !text.contains(r#""k":1"#),
            "{text}"
        );
    }
}

/// `event_xml` (a record whose `log` member held JSON with a line break between members):
/// the member was copied as written, line break and all, so the document took two lines.
/// Now line breaks between tokens are dropped; strings keep theirs escaped.
#[test]
fn line_break_between_members_of_a_copied_member() {
    for line in [
        "{\"message\":\"not nps\",\"log\":{\"a\":1\n,\"b\":\"x\\ny\"}}",
        "{\"message\":\"not nps\",\"extra\":[1,\r\n2]}",
        "{\"log\":\"192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2\",\"host\":{\"name\":\"a\"\r}}",
    ] {
        let (_, v) = doc(line);
        let text = v.to_string();
        assert!(!text.contains("a\\ny") || text.contains("x\\ny"), "{text}");
    }
    let (_, v) = doc("{\"message\":\"not nps\",\"log\":{\"a\":1\n,\"b\":\"x\\ny\"}}");
    assert_eq!(v["log"]["b"], "x\ny");
}

/// `event_xml` (a line starting with two byte-order marks): both were removed, so the error
/// document's `event.original` lost a character of the line. One BOM is the encoding's
/// mark; a second is content and stays.
#[test]
fn a_second_byte_order_mark_is_content() {
    let (outcome, v) = doc("\u{feff}\u{feff}\"P\u{1}\0]}");
    assert!(matches!(outcome, Outcome::Error(..)));
    assert_eq!(v["event"]["original"], "\u{feff}\"P\u{1}\0]}");
}

/// `event_xml` (a record whose `message` ended in an escaped CR, as a shipper may leave it
/// from a CRLF file): the fast envelope path kept the CR in `event.original`, the other
/// path did not. Both now drop the line end of the inner line.
#[test]
fn inner_line_end_is_dropped_on_both_envelope_paths() {
    for line in [
        r#"{"message":"th<Cav-meda\r"}"#,
        r#"{"message":"th<Cav-meda\r","extra":{"k":1,"k":2}}"#,
    ] {
        let (outcome, v) = doc(line);
        assert!(matches!(outcome, Outcome::Error(..)));
        assert_eq!(v["event"]["original"], "th<Cav-meda", "{line}");
    }
    let (_, v) = doc(r#"{"log":"192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2\r\n"}"#);
    assert_eq!(v["event"]["action"], "access-accept");
}

/// `line` (a record with `message` and a member `"task":1e552`): the member was copied as
/// written, and no strict reader accepts that number. Now such a record goes through the
/// JSON tree, which refuses it: an error document with the whole record.
#[test]
fn a_copied_member_with_a_number_out_of_range() {
    for line in [
        r#"{"message":"","task":1e552}"#,
        r#"{"message":"not nps","x":{"y":[-1e400]}}"#,
    ] {
        let (outcome, v) = doc(line);
        assert!(matches!(outcome, Outcome::Error(..)));
        assert_eq!(v["event"]["original"], line);
    }
}
