//! `fuzz/nps.dict`, the libFuzzer dictionary, is made from the code tables: every
//! attribute id as IAS writes it and every attribute name as a DTS tag, every event-data
//! name, plus the keys and tokens of the JSON shapes and the System-Health-Result. This
//! test keeps the committed file equal to what the tables give; `NPS_ENRICH_BLESS=1`
//! rewrites it.

use nps_enrich::codes::{attributes, events};
use std::collections::BTreeSet;
use std::fmt::Write;

#[path = "support/files.rs"]
mod files;

/// Tokens no table holds: the event shapes' keys, XML markup, health-result pieces.
const TOKENS: &[&str] = &[
    "<Event>",
    "</Event>",
    " data_type=\"0\">",
    " data_type=\"1\">",
    " data_type=\"2\">",
    " data_type=\"3\">",
    " data_type=\"4\">",
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">",
    "<System>",
    "<EventID>",
    "<Provider Name=\"Microsoft-Windows-Security-Auditing\"/>",
    "<TimeCreated SystemTime=\"",
    "<EventData>",
    "<Data Name=\"",
    "</Data>",
    "<!DOCTYPE",
    "&amp;",
    "&#x",
    "\"message\":",
    "\"log\":",
    "\"winlog\":",
    "\"event_data\":",
    "\"event_id\":",
    "\"EventID\":",
    "\"EventData\":",
    "\"StringInserts\":",
    "\"ProviderName\":",
    "\"provider_name\":",
    "\"TimeCreated\":",
    "\"Keywords\":",
    "\"Microsoft-Windows-Security-Auditing\"",
    "\"Security\"",
    "0x8020000000000000",
    "0x8010000000000000",
    "311 1 ",
    "01/17/2008",
    "13:13:40",
    "IAS",
    "(0x0 - ):",
    "(0xc0ff0001 - ",
    ":Compliant :",
    ":非準拠 :",
    "Windows Security Health Validator",
    "Windows セキュリティ正常性検証ツール",
    "00-11-25-78-22-62",
    "192.168.10.4",
    "fe80::1",
];

fn quote(token: &str) -> String {
    let mut out = String::from("\"");
    for b in token.bytes() {
        match b {
            b'"' | b'\\' => write!(out, "\\x{b:02X}").unwrap(),
            0x20..=0x7E => out.push(b as char),
            _ => write!(out, "\\x{b:02X}").unwrap(),
        }
    }
    out.push('"');
    out
}

fn dictionary() -> String {
    let mut tokens = BTreeSet::new();
    for a in attributes::BY_ID {
        tokens.insert(format!(",{},", a.id));
        tokens.insert(format!("<{}", a.name));
    }
    for (_, _, names) in events::TEMPLATES {
        for n in *names {
            tokens.insert(format!("\"{n}\""));
        }
    }
    tokens.extend(TOKENS.iter().map(|t| t.to_string()));
    let mut out = String::from(
        "# libFuzzer dictionary for nps-enrich, made from the code tables by tests/fuzz_dict.rs.\n",
    );
    for t in tokens {
        out.push_str(&quote(&t));
        out.push('\n');
    }
    out
}

#[test]
fn fuzz_dictionary_is_current() {
    files::assert_generated_file_current("fuzz/nps.dict", &dictionary());
}
