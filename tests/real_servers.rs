//! What real NPS, IAS and RRAS servers write that the clean examples do not, each decoded as
//! the references say. Expected values are worked out by hand from the sources each test
//! names: the SDK's `ATTRIBUTEID` enumeration (learn.microsoft.com, "ATTRIBUTEID enumeration
//! (sdoias.h)"), RFC 2548 (Microsoft vendor-specific RADIUS attributes), RFC 2865/2866/2869,
//! and Microsoft's event 6272 page ("Event ID 6272 — NPS Authentication Status").
//! The lines are built on the shapes of the golden inputs (`tests/golden/*`), with the one
//! field under test changed.

use nps_enrich::{Fields, Options, Transformer, Zone};
use serde_json::{Value, json};

/// The full profile, which writes every rendering these tests check; the compact one only
/// leaves fields of it out (`tests/profiles.rs`).
fn doc(line: &str) -> Value {
    let mut t = Transformer::new(Options {
        zone: Zone::parse("UTC").unwrap(),
        fields: Fields::Full,
        ..Options::default()
    });
    let mut out = Vec::new();
    t.transform(line.as_bytes(), &mut out);
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

fn at<'a>(v: &'a Value, ptr: &str) -> &'a Value {
    v.pointer(ptr)
        .unwrap_or_else(|| panic!("{ptr} missing in {v}"))
}

/// Windows 2000/2003 RRAS writes the negative RAS ids unsigned: 4294967206 = 2^32 − 90
/// (MS-MPPE-Encryption-Types), 4294967207 = 2^32 − 89 (MS-MPPE-Encryption-Policy). RFC 2548
/// §2.4.11/§2.4.12: types 4 = 128-bit, policy 1 = encryption allowed. The policy name before
/// them ends where the id starts; no phantom attribute appears.
#[test]
fn unsigned_negative_ids_are_the_negative_attributes() {
    let line = "10.1.1.1,CORP\\alice,05/17/2003,10:11:12,RAS,RRAS1,4154,Use Windows authentication for all users,4294967206,4,4294967207,1,4136,2,4142,0";
    let d = doc(line);
    assert_eq!(
        at(&d, "/rule/ruleset"),
        "Use Windows authentication for all users"
    );
    assert_eq!(at(&d, "/nps/mppe/encryption_types/code"), 4);
    assert_eq!(at(&d, "/nps/mppe/encryption_policy/code"), 1);
    assert_eq!(at(&d, "/nps/packet_type/code"), 2);
    // Every attribute is one the line names: three typed here, no `id:…` phantom.
    let attrs = d.pointer("/nps/attributes").and_then(Value::as_object);
    if let Some(attrs) = attrs {
        assert!(
            attrs.keys().all(|k| !k.starts_with("id:")),
            "phantom attribute in {attrs:?}"
        );
    }
    assert_eq!(d.pointer("/error"), None);
}

/// RFC 2548 §2.1.6 (MS-CHAP-Domain): one Ident byte, then the domain. NPS printed it as hex
/// because the Ident byte 0x01 is unprintable: 57 47 41 44 4F 4D 41 49 4E = "WGADOMAIN".
/// ODBC column 58 is MS-CHAP-Domain (the database-compatible column order).
#[test]
fn ms_chap_domain_hex_is_decoded() {
    let line = r#"NAPNPS,"IAS",01/17/2008,14:00:07,2,,,,,,,,,,0,"192.168.10.4","DHCP_NAPNET",,,,,1,2,7,"NAP DHCP",0,"311 1 ::1 01/11/2008 07:10:03 184",,,,,,,,,"4053513845",,,,,,,,,,,,,,,,,,,,,,"0x01574741444F4D41494E",,,"NAP DHCP",1,,,,"#;
    let d = doc(line);
    assert_eq!(at(&d, "/nps/ms_chap/domain"), "WGADOMAIN");
    // The same in an IAS line (attribute 4120).
    let d = doc("10.1.1.1,alice,05/17/2003,10:11:12,IAS,NPS1,4120,0x01574741444F4D41494E,4136,2");
    assert_eq!(at(&d, "/nps/ms_chap/domain"), "WGADOMAIN");
    // A plain domain is left as written.
    let d = doc("10.1.1.1,alice,05/17/2003,10:11:12,IAS,NPS1,4120,CORP,4136,2");
    assert_eq!(at(&d, "/nps/ms_chap/domain"), "CORP");
}

/// A text attribute NPS printed as hex because of one unprintable byte (here a trailing NUL
/// some NASes send): Called-Station-Id (30) 0x4150312D4C4F42425900 = "AP1-LOBBY" + NUL.
#[test]
fn text_attributes_printed_as_hex_are_text() {
    let d = doc("10.1.1.1,alice,05/17/2003,10:11:12,IAS,NPS1,30,0x4150312D4C4F42425900,4136,1");
    assert_eq!(at(&d, "/nps/nas/called_station_id"), "AP1-LOBBY");
    // Octets that are no text stay hex.
    let d = doc("10.1.1.1,alice,05/17/2003,10:11:12,IAS,NPS1,30,0x01FF,4136,1");
    assert_eq!(at(&d, "/nps/nas/called_station_id"), "0x01FF");
}

/// RFC 2869 §5.3: Event-Timestamp is seconds since 1970-01-01 UTC; database-compatible lines
/// can carry it as that integer. 1718718348 = 19892 days + 13 h 45 min 48 s =
/// 2024-06-18T13:45:48Z. ODBC column 18 is Event-Timestamp.
#[test]
fn event_timestamp_in_unix_seconds() {
    let odbc = r#"NAPNPS,"IAS",01/17/2008,14:00:07,2,,,,,,,,,,0,"192.168.10.4","DHCP_NAPNET",1718718348,,,,1,2,7,"NAP DHCP",0,"311 1 ::1 01/11/2008 07:10:03 184",,,,,,,,,"4053513845",,,,,,,,,,,,,,,,,,,,,,,,,"NAP DHCP",1,,,,"#;
    let ias = "10.1.1.1,alice,06/18/2024,09:45:50,IAS,NPS1,55,1718718348,40,1,4136,4";
    let dts = r#"<Event><Timestamp data_type="4">06/18/2024 09:45:50.120</Timestamp><Computer-Name data_type="1">NPS1</Computer-Name><Event-Source data_type="1">IAS</Event-Source><Event-Timestamp data_type="4">1718718348</Event-Timestamp><Packet-Type data_type="0">4</Packet-Type></Event>"#;
    for line in [odbc, ias, dts] {
        let d = doc(line);
        assert_eq!(
            at(&d, "/nps/event_timestamp"),
            "2024-06-18T13:45:48+00:00",
            "{line}"
        );
    }
    // The date form still reads as before (UTC).
    let d = doc("10.1.1.1,alice,06/18/2024,09:45:50,IAS,NPS1,55,06/18/2024 13:45:48,4136,4");
    assert_eq!(at(&d, "/nps/event_timestamp"), "2024-06-18T13:45:48+00:00");
}

/// A machine account is the computer's name with `$` (Active Directory's sAMAccountName of a
/// computer). The output contract: `DOMAIN\PC$` gives `PC` in `related.user` (and the host in
/// `related.hosts`); `user.name` keeps the account as written.
#[test]
fn machine_accounts_name_the_machine() {
    let dts = r#"<Event><Timestamp data_type="4">06/18/2024 09:45:50.120</Timestamp><Computer-Name data_type="1">NPS1</Computer-Name><Event-Source data_type="1">IAS</Event-Source><SAM-Account-Name data_type="1">CORP\LAPTOP7$</SAM-Account-Name><Packet-Type data_type="0">2</Packet-Type></Event>"#;
    let ias = "10.1.1.1,host/LAPTOP7.corp.example,06/18/2024,09:45:50,IAS,NPS1,4129,CORP\\LAPTOP7$,4136,2";
    for line in [dts, ias] {
        let d = doc(line);
        let users = at(&d, "/related/user").as_array().unwrap();
        assert!(users.contains(&json!("LAPTOP7")), "{line}: {users:?}");
        assert!(
            !users.iter().any(|u| u.as_str().unwrap().ends_with('$')),
            "{line}: {users:?}"
        );
        let hosts = at(&d, "/related/hosts").as_array().unwrap();
        assert!(hosts.contains(&json!("LAPTOP7")), "{line}: {hosts:?}");
    }
    assert_eq!(at(&doc(dts), "/user/name"), "LAPTOP7$");
    assert_eq!(at(&doc(dts), "/user/domain"), "CORP");
    // A user account is not a machine.
    let d = doc("10.1.1.1,CORP\\alice,06/18/2024,09:45:50,IAS,NPS1,4136,2");
    assert_eq!(at(&d, "/related/user"), &json!(["alice"]));
    assert_eq!(at(&d, "/related/hosts"), &json!(["NPS1"]));
}

/// Event 6272's AccountSessionIdentifier carries the Acct-Session-Id octets in hex: "353238"
/// is the ASCII of "528" (0x35 '5', 0x32 '2', 0x38 '8'). The event and the log line of the
/// same session then share `nps.acct.session_id`, which is what a SIEM joins them on.
#[test]
fn event_session_id_joins_the_log_line() {
    let event = r#"{"winlog":{"channel":"Security","event_id":6272,"provider_name":"Microsoft-Windows-Security-Auditing","computer_name":"NPS1","event_data":{"SubjectUserName":"CORP\\alice","CallingStationID":"10.2.2.2","AccountSessionIdentifier":"353238","NetworkPolicyName":"VPN"}},"@timestamp":"2024-06-18T09:45:50.000Z"}"#;
    let line = "10.1.1.1,CORP\\alice,06/18/2024,09:45:50,IAS,NPS1,44,528,4136,2";
    let from_event = doc(event);
    let from_line = doc(line);
    assert_eq!(at(&from_event, "/nps/acct/session_id"), "528");
    assert_eq!(
        at(&from_event, "/nps/acct/session_id"),
        at(&from_line, "/nps/acct/session_id")
    );
    // The raw value stays in the event data.
    assert_eq!(
        at(&from_event, "/winlog/event_data/AccountSessionIdentifier"),
        "353238"
    );
}
