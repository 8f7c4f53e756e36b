//! What the whitepaper and the reference say each example means, asserted field by field.
//! Every expected value here was read off the seed whitepaper (the NAP log-audit guide,
//! kept outside the repository) or the project's format reference by hand — not from our
//! own output. The example lines are the golden inputs `tests/golden/*/seed-whitepaper.in`.

use nps_enrich::{Fields, Options, Transformer, Zone};
use serde_json::{Value, json};

/// The full profile, which writes every rendering these tests check; the compact one only
/// leaves fields of it out (`tests/profiles.rs`).
fn doc(line: &str, zone: &str) -> Value {
    let mut t = Transformer::new(Options {
        zone: Zone::parse(zone).unwrap(),
        fields: Fields::Full,
        ..Options::default()
    });
    let mut out = Vec::new();
    t.transform(line.as_bytes(), &mut out);
    serde_json::from_slice(&out).unwrap()
}

/// The whitepaper's example lines of one format, as the repository keeps them: the golden
/// input `tests/golden/<format>/seed-whitepaper.in` (the seed samples, byte for byte).
fn seed(format: &str) -> Vec<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format)
        .join("seed-whitepaper.in");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

fn at<'a>(v: &'a Value, ptr: &str) -> &'a Value {
    v.pointer(ptr)
        .unwrap_or_else(|| panic!("{ptr} missing in {v}"))
}

/// Whitepaper p.14: the IAS DHCP example. Packet-Type 2 = Access-Accept; 8111 = 1 Quarantine
/// (p.32 table); 8124 = WSHV non-compliant with the first item (firewall, p.33) 0xc0ff0001
/// "system health component is not enabled" and the other seven 0x0 (pass).
#[test]
fn whitepaper_dhcp_access_accept_quarantined() {
    let d = doc(&seed("ias")[0], "Asia/Tokyo");
    assert_eq!(at(&d, "/@timestamp"), "2008-01-17T13:13:40+09:00");
    assert_eq!(at(&d, "/event/action"), "access-accept");
    assert_eq!(at(&d, "/event/outcome"), "success");
    assert_eq!(at(&d, "/host/name"), "NAPNPS");
    assert_eq!(
        at(&d, "/nps/packet_type"),
        &json!({"code": 2, "name": "Access-Accept"})
    );
    assert_eq!(
        at(&d, "/nps/quarantine/state"),
        &json!({"code": 1, "name": "Quarantine"})
    );
    assert_eq!(at(&d, "/nps/quarantine/extended_state/name"), "No Data");
    assert_eq!(at(&d, "/nps/authentication_type/name"), "Unauthenticated"); // 4127 = 7
    assert_eq!(at(&d, "/nps/policy/network"), "NAP DHCP 非準拠"); // 4149 (p.15)
    assert_eq!(at(&d, "/nps/policy/connection_request"), "NAP DHCP");
    assert_eq!(at(&d, "/nps/client/friendly_name"), "DHCP_NAPNET");
    let shv = at(&d, "/nps/system_health").as_array().unwrap();
    assert_eq!(shv.len(), 1);
    assert_eq!(shv[0]["validator"], "Windows セキュリティ正常性検証ツール");
    assert_eq!(shv[0]["compliance"], "non-compliant");
    assert_eq!(shv[0]["compliance_raw"], "非準拠");
    let items = shv[0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    assert_eq!(items[0]["name"], "firewall");
    assert_eq!(items[0]["code"], "0xC0FF0001");
    assert_eq!(items[0]["ok"], false);
    assert_eq!(items[0]["symbol"], "E_MSSHV_PRODUCT_NOT_ENABLED");
    assert_eq!(
        items[0]["text"],
        "システム正常性コンポーネントが有効になっていません。"
    );
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "firewall",
            "antivirus",
            "antivirus_definitions",
            "antispyware",
            "antispyware_definitions",
            "automatic_updates",
            "security_updates",
            "update_level"
        ]
    );
    for item in &items[1..] {
        assert_eq!(item["ok"], true);
        assert_eq!(item["code"], "0x00000000");
    }
    // Class 311 1 ::1 01/11/2008 07:10:03 182 (formats §5.1).
    assert_eq!(at(&d, "/nps/class/server_ip"), "::1");
    assert_eq!(at(&d, "/nps/class/serial"), 182);
    // 8129 NAPLAB\NAPVISTA$ is the client machine.
    assert_eq!(
        at(&d, "/nps/machine/fully_qualified_name"),
        "NAPLAB\\NAPVISTA$"
    );
    assert!(
        d.get("user").is_none(),
        "DHCP NAP sends no User-Name (whitepaper p.14)"
    );
}

/// Whitepaper p.18: the 802.1X accounting example. 4136 = 4 Accounting-Request, 40 = 1 Start,
/// header User-Name NAPLAB\napuser, 31 the client MAC, 61 = 15 Ethernet.
#[test]
fn whitepaper_accounting_start() {
    let d = doc(&seed("ias")[1], "Asia/Tokyo");
    assert_eq!(at(&d, "/nps/packet_type/name"), "Accounting-Request");
    assert_eq!(
        at(&d, "/nps/acct/status_type"),
        &json!({"code": 1, "name": "Start"})
    );
    assert_eq!(at(&d, "/event/category"), &json!(["session"]));
    assert_eq!(at(&d, "/event/type"), &json!(["start"]));
    assert_eq!(at(&d, "/user/name"), "napuser");
    assert_eq!(at(&d, "/user/domain"), "NAPLAB");
    assert_eq!(at(&d, "/source/mac"), "00-11-25-78-22-62");
    assert_eq!(at(&d, "/nps/nas/port_type/name"), "Ethernet");
    assert_eq!(at(&d, "/nps/acct/session_id"), "000080000027");
    assert_eq!(at(&d, "/observer/name"), "AX3630S-001");
    assert_eq!(at(&d, "/nps/enforcement/type"), "802.1x");
}

/// Whitepaper p.34: several SHVs give several 8124 values, one validator each.
#[test]
fn whitepaper_two_validators() {
    let d = doc(&seed("ias")[2], "Asia/Tokyo");
    let shv = at(&d, "/nps/system_health").as_array().unwrap();
    assert_eq!(shv.len(), 2);
    assert_eq!(shv[0]["validator_id"], "wshv");
    assert_eq!(shv[0]["compliance"], "compliant");
    assert_eq!(shv[0]["items"].as_array().unwrap().len(), 8);
    assert_eq!(shv[1]["validator"], "SDK SHV Sample");
    assert_eq!(shv[1]["compliance"], "compliant");
    assert_eq!(
        shv[1]["items"],
        json!([{"index": 1, "code": "0x00000000", "ok": true, "meaning": "compliant"}])
    );
    assert_eq!(
        at(&d, "/nps/attributes/System-Health-Result")
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// Whitepaper p.15 and appendix 3: the database-compatible example, column by column.
#[test]
fn whitepaper_odbc_columns() {
    let d = doc(&seed("odbc")[0], "Asia/Tokyo");
    assert_eq!(at(&d, "/@timestamp"), "2008-01-17T14:00:07+09:00"); // cols 3–4
    assert_eq!(at(&d, "/host/name"), "NAPNPS"); // col 1
    assert_eq!(at(&d, "/nps/service"), "IAS"); // col 2
    assert_eq!(at(&d, "/nps/packet_type/code"), 2); // col 5
    assert_eq!(at(&d, "/nps/client/vendor/name"), "RADIUS Standard"); // col 15 = 0
    assert_eq!(at(&d, "/nps/client/ip"), "192.168.10.4"); // col 16
    assert_eq!(at(&d, "/nps/client/friendly_name"), "DHCP_NAPNET"); // col 17
    assert_eq!(at(&d, "/nps/framed_protocol/name"), "PPP"); // col 22 = 1
    assert_eq!(at(&d, "/nps/service_type/name"), "Framed"); // col 23 = 2
    assert_eq!(at(&d, "/nps/authentication_type/code"), 7); // col 24
    assert_eq!(at(&d, "/nps/policy/network"), "NAP DHCP 非準拠"); // col 25
    assert_eq!(at(&d, "/nps/reason/code"), 0); // col 26
    assert_eq!(at(&d, "/nps/class/serial"), 184); // col 27
    assert_eq!(at(&d, "/nps/acct/session_id"), "4053513845"); // col 36
    assert_eq!(at(&d, "/nps/policy/connection_request"), "NAP DHCP"); // col 61
    assert_eq!(at(&d, "/nps/provider_type/name"), "Windows"); // col 62 = 1
    assert_eq!(at(&d, "/nps/attributes").as_object().unwrap().len(), 13);
}

/// Whitepaper p.17: the XML sent to SQL Server holds the same attributes as the IAS line;
/// it has no Timestamp, so no @timestamp.
#[test]
fn whitepaper_xml_decodes_like_ias() {
    let ias = doc(&seed("ias")[0], "UTC");
    let dts = doc(&seed("dts")[0], "UTC");
    assert!(dts.get("@timestamp").is_none());
    assert_eq!(dts["event"]["dataset"], "nps.dts");
    assert_eq!(ias["nps"], dts["nps"]);
    for key in ["host", "observer", "rule", "related", "user", "source"] {
        assert_eq!(ias.get(key), dts.get(key), "{key}");
    }
}

/// docs/reference/nps-log-formats.md §2.2: the Iasparse request/reject pair.
#[test]
fn reference_ias_reject() {
    let d = doc(
        "172.31.230.187,rajeshp,02/09/2000,23:18:00,IAS,RAJESHP2,4130,RAJESHP2\\rajeshp,4129,RAJESHP2\\rajeshp,4128,rajeshp3,4116,9,4108,172.31.230.187,4136,3,4142,16",
        "UTC",
    );
    assert_eq!(at(&d, "/nps/packet_type/name"), "Access-Reject");
    assert_eq!(at(&d, "/nps/reason/code"), 16);
    assert_eq!(at(&d, "/nps/reason/symbol"), "IAS_AUTH_FAILURE");
    assert_eq!(at(&d, "/event/outcome"), "failure");
    assert_eq!(at(&d, "/nps/client/vendor/name"), "Cisco");
    assert_eq!(at(&d, "/user/name"), "rajeshp");
}

/// docs/reference/nps-log-formats.md §3.3: RasBox reject, reason 36 and MS-CHAP-Error "E=691 R=0 V=3".
#[test]
fn reference_odbc_rasbox_reject() {
    let d = doc(
        "\"RasBox\",\"RAS\",10/22/2006,09:13:09,3,,\"ACME\\slimjim\",,,,,,,,,,,,,,,,,4,,36,\"311 1 192.168.132.45 07/31/2006 21:35:14 749\",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\"0x00453D36393120523D3020563D33\",,,",
        "UTC",
    );
    assert_eq!(at(&d, "/nps/reason/name"), "Account locked out");
    assert_eq!(at(&d, "/nps/authentication_type/name"), "MS-CHAP v2");
    assert_eq!(at(&d, "/nps/ms_chap/error"), "E=691 R=0 V=3");
    assert_eq!(at(&d, "/nps/service"), "RAS");
    assert_eq!(at(&d, "/user/domain"), "ACME");
}

/// docs/reference/nps-log-formats.md §4.3–4.4: the 2024 accounting line from a US-Eastern server has
/// Timestamp 11:23:13.729 local and Event-Timestamp 15:23:13 UTC (EDT, −4 h).
#[test]
fn reference_dts_times_agree() {
    let line = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/dts/reference-2024-accounting.in"),
    )
    .unwrap();
    let d = doc(line.trim_end(), "America/New_York");
    assert_eq!(at(&d, "/@timestamp"), "2024-05-02T11:23:13.729-04:00");
    assert_eq!(at(&d, "/nps/event_timestamp"), "2024-05-02T15:23:13+00:00");
    assert_eq!(at(&d, "/user/name"), "john_doe");
    assert_eq!(at(&d, "/user/domain"), "iu13.org");
    assert_eq!(at(&d, "/nps/nas/port_type/name"), "Wireless - IEEE 802.11");
}

/// docs/reference/nps-log-formats.md §4.2: `0000376301060000000F` = vendor 14179, type 1, length 6, value 15.
#[test]
fn reference_vendor_specific_decoding() {
    let d = doc(
        "<Event><Vendor-Specific data_type=\"2\">0000376301060000000F</Vendor-Specific><Vendor-Specific data_type=\"2\">000039E7050974657374526164</Vendor-Specific></Event>",
        "UTC",
    );
    let vs = at(&d, "/nps/vendor_specific").as_array().unwrap();
    assert_eq!(vs[0]["vendor_id"], 14179);
    assert_eq!(vs[0]["attributes"][0]["type"], 1);
    assert_eq!(vs[0]["attributes"][0]["integer"], 15);
    assert_eq!(vs[1]["vendor_id"], 14823);
    assert_eq!(vs[1]["attributes"][0]["type"], 5);
    assert_eq!(vs[1]["attributes"][0]["text"], "testRad");
}
