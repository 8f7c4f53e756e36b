//! Windows Security events: the same event in every shipper shape gives the same document,
//! and the documents say what `docs/reference/security-events.md` says the events mean. Expected values
//! are read off the reference's real samples (§5.1, §5.2) and templates (§3), by hand.

use nps_enrich::{Fields, Options, Outcome, Transformer, Zone};
use serde_json::{Value, json};
use std::path::Path;

fn golden(name: &str) -> (Vec<String>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/winevent");
    let lines = std::fs::read_to_string(dir.join(format!("{name}.in"))).unwrap();
    let shapes = std::fs::read_to_string(dir.join(format!("{name}.shapes"))).unwrap_or_default();
    (
        lines.lines().map(String::from).collect(),
        shapes.lines().map(String::from).collect(),
    )
}

/// The full profile, which writes every rendering these tests check.
fn transform(line: &str) -> Value {
    let mut t = Transformer::new(Options {
        zone: Zone::parse("America/Chicago").unwrap(),
        fields: Fields::Full,
        ..Options::default()
    });
    let mut out = Vec::new();
    let outcome = t.transform(line.as_bytes(), &mut out);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(matches!(outcome, Outcome::Event(_)), "{v}");
    v
}

/// The fields a SIEM search uses must not depend on the shipper.
fn same_everywhere(file: &str, expect_shapes: usize) {
    let (lines, shapes) = golden(file);
    assert_eq!(lines.len(), expect_shapes);
    let docs: Vec<Value> = lines.iter().map(|l| transform(l)).collect();
    let first = &docs[0];
    for (doc, shape) in docs.iter().zip(&shapes) {
        for key in ["nps", "user", "source", "observer", "rule", "host"] {
            assert_eq!(doc.get(key), first.get(key), "{file}: {shape}: {key}");
        }
        // `event.id` names the event by its record id, so it agrees across the shapes that
        // carry one; a shape without one (Sentinel) is named by its text.
        let without_id = |d: &Value| {
            let mut e = d["event"].clone();
            e.as_object_mut().unwrap().remove("id");
            e
        };
        assert_eq!(without_id(doc), without_id(first), "{file}: {shape}: event");
        if !doc["winlog"]["record_id"].is_null() {
            assert_eq!(doc["event"]["id"], first["event"]["id"], "{file}: {shape}");
        }
        // Same instant; Fluent Bit's TimeCreated has no fraction of a second.
        let ts = |d: &Value| d["@timestamp"].as_str().unwrap()[..19].to_string();
        assert_eq!(ts(doc), ts(first), "{file}: {shape}: @timestamp");
        assert_eq!(
            doc["winlog"]["event_id"], first["winlog"]["event_id"],
            "{shape}"
        );
        // Sentinel has no Version column: where a shape carries the version, it agrees.
        if !doc["winlog"]["version"].is_null() {
            assert_eq!(
                doc["winlog"]["version"], first["winlog"]["version"],
                "{shape}"
            );
        }
    }
}

#[test]
fn the_2014_denial_is_the_same_in_every_shape() {
    same_everywhere("denial-6273-shapes", 21);
}

#[test]
fn the_2019_grant_is_the_same_in_every_shape() {
    same_everywhere("grant-6272-shapes", 21);
}

/// docs/reference/security-events.md §5.1: 6273 v1, Audit Failure (0x8010…), ReasonCode 7 "The specified
/// domain does not exist.", NAS port type "Wireless - IEEE 802.11", PEAP.
#[test]
fn denial_fields() {
    let (lines, _) = golden("denial-6273-shapes");
    let d = transform(&lines[0]);
    assert_eq!(d["@timestamp"], "2014-03-07T18:55:51.061+00:00");
    assert_eq!(d["event"]["code"], "6273");
    assert_eq!(d["event"]["outcome"], "failure");
    assert_eq!(d["event"]["action"], "nps-access-denied");
    assert_eq!(d["event"]["reason"], "The specified domain does not exist.");
    assert_eq!(d["event"]["category"], json!(["authentication", "network"]));
    assert_eq!(d["event"]["type"], json!(["start", "denied"]));
    assert_eq!(d["host"]["name"], "ADMIN-PDC.nederland.k12.tx.us");
    assert_eq!(d["user"], json!({"name": "abusby", "domain": "K12.TX.US"})); // SID S-1-0-0 is no id
    assert_eq!(d["source"]["mac"], "B8-E8-56-A8-D4-D9");
    assert_eq!(d["observer"]["ip"], "10.250.1.15");
    assert_eq!(d["rule"]["ruleset"], "BlueSocket Wireless Connections");
    assert!(d["rule"].get("name").is_none(), "NetworkPolicyName is '-'");
    assert_eq!(d["nps"]["reason"]["code"], 7);
    assert_eq!(d["nps"]["reason"]["symbol"], "IAS_NO_SUCH_DOMAIN");
    assert_eq!(
        d["nps"]["nas"]["port_type"],
        json!({"code": 19, "name": "Wireless - IEEE 802.11"})
    );
    assert_eq!(
        d["nps"]["authentication_type"],
        json!({"code": 11, "name": "PEAP"})
    );
    assert_eq!(d["nps"]["provider_type"]["code"], 1);
    assert_eq!(
        d["nps"]["eap"]["friendly_name"],
        "Microsoft: Secured password (EAP-MSCHAP v2)"
    );
    assert_eq!(d["winlog"]["keywords"], json!(["Audit Failure"]));
    assert_eq!(d["winlog"]["task"], "Network Policy Server");
    assert_eq!(d["winlog"]["record_id"], "3106129068");
    assert_eq!(
        d["winlog"]["event_data"]["LoggingResult"],
        "Accounting information was written to the local log file."
    );
}

/// docs/reference/security-events.md §5.2: 6272 v1 from an RRAS VPN, Audit Success, CallingStationID is
/// the client's public IP, QuarantineState "Full Access".
#[test]
fn grant_fields() {
    let (lines, _) = golden("grant-6272-shapes");
    let d = transform(&lines[0]);
    assert_eq!(d["event"]["outcome"], "success");
    assert_eq!(d["event"]["action"], "nps-access-granted");
    assert_eq!(d["user"]["name"], "username");
    assert_eq!(d["user"]["domain"], "mydomain");
    assert_eq!(
        d["user"]["id"],
        "S-1-5-21-2216450734-2288107589-99135520-4696"
    );
    assert_eq!(d["source"]["ip"], "98.196.175.165");
    assert_eq!(d["rule"]["name"], "PolicyCorp");
    assert_eq!(d["nps"]["nas"]["port_type"]["code"], 5); // "Virtual"
    assert_eq!(d["nps"]["nas"]["port"], 7);
    assert_eq!(
        d["nps"]["quarantine"]["state"],
        json!({"code": 0, "name": "Full Access"})
    );
    // AccountSessionIdentifier 353238 is the hex of the ASCII "528" (0x35 0x32 0x38).
    assert_eq!(d["nps"]["acct"]["session_id"], "528");
    assert_eq!(d["nps"]["enforcement"]["type"], "vpn");
    assert!(
        d["related"]["ip"]
            .as_array()
            .unwrap()
            .contains(&json!("98.196.175.165"))
    );
}

/// §3: version 2 drops MachineInventory, so every later field moves one place; the version
/// decides, never the length (6273 v0 and v2 both have 26 values).
#[test]
fn reduced_layouts_by_version() {
    let (lines, _) = golden("layouts");
    let v2 = transform(&lines[0]);
    let v1 = transform(&lines[2]);
    let no_version = transform(&lines[3]);
    assert_eq!(v2["winlog"]["version"], 2);
    assert!(v2["winlog"]["event_data"].get("MachineInventory").is_none());
    assert_eq!(
        v2["winlog"]["event_data"]["CalledStationID"],
        "00-19-92-0C-E4-E9:NISD_Testing"
    );
    for key in ["nps", "user", "source", "event"] {
        assert_eq!(v2[key], v1[key], "{key}");
        assert_eq!(no_version[key], v1[key], "{key}");
    }
    let grant_v2 = transform(&lines[1]);
    assert_eq!(
        grant_v2["winlog"]["event_data"]["LoggingResult"],
        "Accounting information was written to the local log file."
    );
    assert_eq!(grant_v2["source"]["ip"], "98.196.175.165");
}

/// QuarantineSystemHealthResult goes through the System-Health-Result parser; the rendered
/// quarantine states map back to E15.
#[test]
fn nap_events() {
    let (lines, _) = golden("nap-and-account");
    let q = transform(&lines[0]);
    assert_eq!(q["event"]["action"], "nps-quarantined");
    assert_eq!(
        q["nps"]["quarantine"]["state"],
        json!({"code": 1, "name": "Quarantine"})
    );
    let shv = &q["nps"]["system_health"][0];
    assert_eq!(shv["validator_id"], "wshv");
    assert_eq!(shv["compliance"], "non-compliant");
    assert_eq!(shv["items"][0]["name"], "firewall");
    assert_eq!(shv["items"][0]["code"], "0xC0FF0001");
    assert_eq!(
        transform(&lines[1])["nps"]["quarantine"]["state"]["code"],
        2
    );
    assert_eq!(
        transform(&lines[2])["nps"]["system_health"][0]["compliance"],
        "compliant"
    );
    let locked = transform(&lines[3]);
    assert_eq!(locked["event"]["category"], json!(["iam"]));
    assert_eq!(locked["event"]["action"], "nps-account-locked");
    assert_eq!(
        transform(&lines[4])["event"]["action"],
        "nps-account-unlocked"
    );
    let discarded = transform(&lines[5]);
    assert_eq!(discarded["event"]["outcome"], "failure");
    assert_eq!(discarded["nps"]["reason"]["code"], 117);
}

/// §2 and the CIS item (docs/reference/README.md): meanings, severities, the audit setting.
#[test]
fn ipsec_events() {
    let (lines, shapes) = golden("ipsec");
    let docs: Vec<Value> = lines.iter().map(|l| transform(l)).collect();
    let by = |id: &str| &docs[shapes.iter().position(|s| s.ends_with(id)).unwrap()];
    let d = by("4960");
    assert_eq!(d["event"]["code"], "4960");
    assert_eq!(d["source"]["ip"], "192.168.10.20");
    assert_eq!(d["ipsec"]["spi"], 3456789012u64);
    assert_eq!(
        d["ipsec"]["meaning"],
        "IPsec dropped an inbound packet that failed an integrity check."
    );
    assert_eq!(
        d["ipsec"]["audit"]["recommended_setting"],
        "Success and Failure"
    );
    assert_eq!(d["ipsec"]["audit"]["cce"], "CCE-37853-9");
    assert_eq!(d["ipsec"]["audit"]["subcategory"], "IPsec Driver");
    assert_eq!(by("4965")["ipsec"]["spi"], 0x1f2e_3d4c);
    assert_eq!(by("4963")["source"]["ip"], "fe80::1");
    for id in ["5480", "5483", "5484", "5485"] {
        assert_eq!(by(id)["event"]["outcome"], "failure", "{id}");
    }
    assert_eq!(by("5484")["ipsec"]["severity"], "critical");
    assert_eq!(
        by("5483")["ipsec"]["error"],
        "The RPC server is unavailable."
    );
    assert_eq!(by("5479")["ipsec"]["severity"], "high"); // a stop leaves interfaces unprotected
    assert_eq!(by("5478")["ipsec"]["severity"], "low");
    let other = by("4964-pass-through");
    assert_eq!(other["event"]["code"], "4964");
    assert_eq!(other["winlog"]["event_data"]["TargetUserName"], "ladmin");
    assert!(other.get("ipsec").is_none() && other.get("nps").is_none());
}

#[test]
fn envelopes_keep_their_keys() {
    let (lines, _) = golden("envelopes");
    let vector = transform(&lines[0]);
    assert_eq!(vector["event"]["dataset"], "nps.ias");
    assert_eq!(vector["user"]["name"], "napuser");
    assert_eq!(
        vector["file"],
        "C:\\Windows\\System32\\LogFiles\\IN080207.log"
    );
    assert_eq!(vector["envelope"]["host"], "nps-collector"); // would clash with host.name
    let fluent = transform(&lines[1]);
    assert_eq!(fluent["event"]["dataset"], "nps.dts");
    let filebeat = transform(&lines[2]);
    assert_eq!(
        filebeat["log"]["file"]["path"],
        "C:\\Windows\\System32\\LogFiles\\IN0803.log"
    );
    assert_eq!(
        filebeat["envelope"]["@timestamp"],
        "2026-07-21T02:15:00.125Z"
    );
}

#[test]
fn malformed_json_is_an_error_document_with_the_line() {
    let (lines, _) = golden("bad-json");
    let mut t = Transformer::new(Options::default());
    for line in &lines {
        let mut out = Vec::new();
        let outcome = t.transform(line.as_bytes(), &mut out);
        assert!(matches!(outcome, Outcome::Error(..)), "{line:.80}");
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["event"]["original"].as_str().unwrap(), line.as_str());
    }
}
