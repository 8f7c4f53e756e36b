//! Properties that hold for any input: exactly one document per non-blank line, always a
//! JSON object, never a panic; an error document carries the line; values survive escaping.

use nps_enrich::{Fields, Options, Outcome, Transformer};
use proptest::prelude::*;
use serde_json::Value;

#[path = "support/invariants.rs"]
mod invariants;

const SEEDS: &[&str] = &[
    r#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>6273</EventID><Version>1</Version><Keywords>0x8010000000000000</Keywords><TimeCreated SystemTime='2014-03-07T18:55:51.061488000Z'/><Computer>PDC</Computer></System><EventData><Data Name='SubjectUserName'>abusby</Data><Data Name='NASPortType'>Wireless - IEEE 802.11</Data><Data Name='ReasonCode'>7</Data></EventData></Event>"#,
    r#"{"ProviderName":"Microsoft-Windows-Security-Auditing","EventID":6273,"Version":2,"Keywords":"0x8010000000000000","TimeCreated":"2014-03-07 12:55:51 -0600","StringInserts":["S-1-0-0","abusby","K12","K12\abusby","S-1-0-0","-","-","AA","B8-E8-56-A8-D4-D9","10.250.1.15","-","-","Wireless - IEEE 802.11","0","AP","10.250.1.15","P","-","Windows","S","PEAP","E","-","7","R","L"]}"#,
    r#"{"message":"10.0.0.1,bob,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0","host":"c1","file":"IN1.log"}"#,
    "192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,25,311 1 ::1 01/11/2008 07:10:03 182,8153,0,8111,1,4128,DHCP_NAPNET,8124,Windows セキュリティ正常性検証ツール..:非準拠 :データなし :なし :(0xc0ff0001 - システム正常性コンポーネントが有効になっていません。 ..):(0x0 - ):(0x0 - ),4149,NAP DHCP 非準拠,4136,2,4142,0",
    "NAPNPS,\"IAS\",01/17/2008,14:00:07,2,,,,,,,,,,0,\"192.168.10.4\",\"DHCP_NAPNET\",,,,,1,2,7,\"NAP DHCP 非準拠\",0,\"311 1 ::1 01/11/2008 07:10:03 184\",,,,,,,,,\"4053513845\",,,,,,,,,,,,,,,,,,,,,,,,,\"NAP DHCP\",1,,,,",
    "<Event><Timestamp data_type=\"4\">05/19/2014 15:21:44.008</Timestamp><Computer-Name data_type=\"1\">NPSServer</Computer-Name><Vendor-Specific data_type=\"2\">0000376301060000000F</Vendor-Specific><Calling-Station-Id data_type=\"1\">f8-1e-df-e8-84-5a</Calling-Station-Id><Packet-Type data_type=\"0\">3</Packet-Type><Reason-Code data_type=\"0\">8</Reason-Code></Event>",
];

/// Transforms `input` and holds the result to the shared invariants.
fn check(input: &[u8]) -> Result<(), TestCaseError> {
    let mut t = Transformer::new(Options::default());
    let mut out = Vec::new();
    let outcome = t.transform(input, &mut out);
    invariants::check(input, outcome, &out).map_err(TestCaseError::fail)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_bytes(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&input)?;
    }

    #[test]
    fn mutated_real_lines(
        which in 0..SEEDS.len(),
        edits in proptest::collection::vec((any::<u16>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut b = SEEDS[which].as_bytes().to_vec();
        for (pos, byte, op) in edits {
            let i = usize::from(pos) % (b.len() + 1);
            match op {
                0 => b.insert(i, byte),
                1 if i < b.len() => { b.remove(i); }
                _ if i < b.len() => b[i] = byte,
                _ => {}
            }
        }
        check(&b)?;
    }

    /// A value with quotes, backslashes and control characters comes back out of the JSON
    /// exactly as it went in.
    #[test]
    fn values_round_trip(value in "[^,\r\n]{0,40}") {
        let line = format!("10.0.0.1,,01/17/2008,13:13:40,IAS,NPS1,4149,{value},4136,2");
        prop_assume!(!value.split(',').any(|t| t.parse::<i32>().is_ok()));
        // The full profile keeps every attribute raw, as the line has it.
        let mut t = Transformer::new(Options { fields: Fields::Full, ..Options::default() });
        let mut out = Vec::new();
        t.transform(line.as_bytes(), &mut out);
        let v: Value = serde_json::from_slice(&out).unwrap();
        prop_assert_eq!(v["nps"]["attributes"]["NP-Policy-Name"].as_str().unwrap(), value.as_str());
    }
}

/// Regression (found by `any_bytes`): a vertical tab is not white space to the byte-level
/// blank check, so it must not be treated as blank by the text-level one either.
#[test]
fn control_characters_are_not_blank() {
    for input in [&b"\x0b"[..], b"\x0b\x0b\n", "\u{3000}".as_bytes(), b"\x00"] {
        check(input).unwrap();
        let mut out = Vec::new();
        let outcome = Transformer::new(Options::default()).transform(input, &mut out);
        assert!(matches!(outcome, Outcome::Error(..)), "{input:?}");
    }
}

#[test]
fn nested_and_huge_inputs_stay_bounded() {
    let mut t = Transformer::new(Options {
        max_line_bytes: 4 << 20,
        ..Options::default()
    });
    let mut out = Vec::new();
    // 100,000 attributes in one IAS line.
    let mut line = String::from("10.0.0.1,,01/17/2008,13:13:40,IAS,NPS1");
    for i in 0..100_000 {
        line.push_str(&format!(",5000,pair{i}"));
    }
    line.push_str(",4136,1");
    assert!(matches!(
        t.transform(line.as_bytes(), &mut out),
        Outcome::Event(_)
    ));
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["nps"]["attributes"]["Cisco-AV-Pair"]
            .as_array()
            .unwrap()
            .len(),
        100_000
    );
    // Deeply nested XML is an error, not a stack overflow.
    out.clear();
    let deep = format!("<Event>{}</Event>", "<a>".repeat(10_000));
    assert!(matches!(
        t.transform(deep.as_bytes(), &mut out),
        Outcome::Error(..)
    ));
}
