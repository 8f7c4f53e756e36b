//! The one line rule at the library's edges: text handed over as one line (the JS `line()`,
//! a shipper's record) that holds a line end inside is reported, never glued into one
//! document; and the line bound holds for text as for bytes.

use nps_enrich::{Options, Transformer};

const IAS: &str = "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0";

fn doc(t: &mut Transformer, text: &str, as_str: bool) -> serde_json::Value {
    let mut out = Vec::new();
    if as_str {
        t.transform_str(text, &mut out);
    } else {
        t.transform(text.as_bytes(), &mut out);
    }
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn text_with_a_line_end_inside_is_multiple_lines() {
    let mut t = Transformer::new(Options::default());
    for sep in ["\r", "\n", "\r\n"] {
        let two = format!("{IAS}{sep}{IAS}\r\n");
        let d = doc(&mut t, &two, true);
        assert_eq!(d["event"]["kind"], "pipeline_error", "{sep:?}");
        assert_eq!(d["error"]["type"], "multiple_lines");
        // The trailing line end is not part of the record; the one inside is kept.
        assert_eq!(d["event"]["original"], format!("{IAS}{sep}{IAS}"));
        assert!(d["error"]["message"].as_str().unwrap().contains("2 lines"));
    }
    // One line with its end is one document.
    assert_eq!(
        doc(&mut t, &format!("{IAS}\r\n"), true)["user"]["name"],
        "alice"
    );
}

#[test]
fn an_envelope_holding_two_lines_is_multiple_lines_with_its_keys_kept() {
    let mut t = Transformer::new(Options::default());
    let rec = format!(
        "{{\"log\":{},\"file\":\"IN.log\"}}",
        serde_json::to_string(&format!("{IAS}\r{IAS}")).unwrap()
    );
    let d = doc(&mut t, &rec, false);
    assert_eq!(d["error"]["type"], "multiple_lines");
    assert_eq!(d["event"]["original"], format!("{IAS}\r{IAS}"));
    assert_eq!(d["file"], "IN.log");
}

#[test]
fn text_longer_than_the_bound_is_line_too_long() {
    let mut t = Transformer::new(Options {
        max_line_bytes: 64,
        ..Options::default()
    });
    let long = format!("{IAS},4127,{}", "x".repeat(100));
    let d = doc(&mut t, &long, true);
    assert_eq!(d["error"]["type"], "line_too_long");
    assert_eq!(d["event"]["original"], long);
}
