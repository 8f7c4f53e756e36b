//! NPS's own System-log events (provider `NPS`, `IAS` on older servers): each documented id
//! in every shape a classic event comes in gives the same document, with the values worked
//! out by hand from the message templates of `transform/codes/system_events.rs`:
//! Microsoft's "Event ID 14 — RADIUS Client Communication" (cc735357), "Event ID 22/23 —
//! RADIUS Client Availability" (cc735373, cc735401), and for 13, 17 and 4400–4402 the public
//! list "Microsoft Network Policy Server (NPS) Event IDs" (pastebin.com/kneU7mue).
//!
//! No real event of these ids was found in public material, so the values (documentation
//! addresses from RFC 5737, `corp.example` names) are made up for the templates' parameters.

use nps_enrich::{Fields, Options, Outcome, Transformer, Zone};
use serde_json::{Value, json};

/// One System event, to be rendered into every shape.
struct Sys {
    provider: &'static str,
    id: u32,
    /// Event level: 2 error, 3 warning, 4 information.
    level: u32,
    record: u64,
    /// UTC, whole seconds (Fluent Bit's TimeCreated has no fraction).
    time: &'static str,
    inserts: &'static [&'static str],
}

const COMPUTER: &str = "NPS01.corp.example";

/// Qualifiers the message compiler gives each severity (error 0xC000, warning 0x8000,
/// information 0x4000), as the legacy API and the rendered XML carry them.
fn qualifiers(level: u32) -> u32 {
    match level {
        2 => 49152,
        3 => 32768,
        _ => 16384,
    }
}

fn xml(e: &Sys) -> String {
    let data: String = e
        .inserts
        .iter()
        .map(|v| format!("<Data>{v}</Data>"))
        .collect();
    format!(
        "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>\
         <Provider Name=\"{p}\" /><EventID Qualifiers=\"{q}\">{id}</EventID><Level>{l}</Level>\
         <Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime=\"{t}Z\" />\
         <EventRecordID>{r}</EventRecordID><Channel>System</Channel><Computer>{c}</Computer>\
         <Security /></System><EventData>{data}</EventData></Event>",
        p = e.provider,
        q = qualifiers(e.level),
        id = e.id,
        l = e.level,
        t = e.time,
        r = e.record,
        c = COMPUTER,
    )
}

/// The event in each shape of `json-shapes-and-schemas.md` that carries classic events.
fn shapes(e: &Sys) -> Vec<(&'static str, String)> {
    let params: serde_json::Map<String, Value> = e
        .inserts
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("param{}", i + 1), json!(v)))
        .collect();
    let local = format!("{} +0000", e.time.replace('T', " "));
    let system_only = {
        let x = xml(e);
        x[x.find("<System>").unwrap()..x.find("<EventData>").unwrap()].to_string()
    };
    vec![
        ("event XML", xml(e)),
        (
            "Winlogbeat",
            json!({
                "@timestamp": format!("{}.000Z", e.time),
                "event": {"code": e.id.to_string(), "provider": e.provider},
                "winlog": {
                    "channel": "System", "provider_name": e.provider, "event_id": e.id.to_string(),
                    "computer_name": COMPUTER, "record_id": e.record, "keywords": ["Classic"],
                    "event_data": params,
                },
            })
            .to_string(),
        ),
        (
            "Vector windows_event_log",
            json!({
                "provider_name": e.provider, "event_id": e.id, "channel": "System",
                "computer": COMPUTER, "record_id": e.record, "level_value": e.level,
                "timestamp": format!("{}Z", e.time), "string_inserts": e.inserts,
                "source_type": "windows_event_log",
            })
            .to_string(),
        ),
        (
            "Fluent Bit winevtlog",
            json!({
                "ProviderName": e.provider, "ProviderGuid": "", "Qualifiers": qualifiers(e.level),
                "EventID": e.id, "Level": e.level, "Task": 0, "Keywords": "0x80000000000000",
                "TimeCreated": local, "EventRecordID": e.record, "Channel": "System",
                "Computer": COMPUTER, "Message": "", "StringInserts": e.inserts,
            })
            .to_string(),
        ),
        (
            "Fluent Bit winevtlog, Render_Event_As_XML",
            json!({"System": system_only, "Message": "", "StringInserts": e.inserts}).to_string(),
        ),
        (
            "Fluent Bit winlog (legacy API)",
            json!({
                "RecordNumber": e.record, "TimeGenerated": local, "TimeWritten": local,
                "EventID": e.id, "Qualifiers": qualifiers(e.level), "EventType": "Error",
                "EventCategory": 0, "Channel": "System", "SourceName": e.provider,
                "ComputerName": COMPUTER, "Data": "", "Sid": "", "Message": "",
                "StringInserts": e.inserts,
            })
            .to_string(),
        ),
        (
            "evtx_dump JSON",
            json!({"Event": {
                "System": {
                    "Provider": {"#attributes": {"Name": e.provider}},
                    "EventID": {"#attributes": {"Qualifiers": qualifiers(e.level)}, "#text": e.id},
                    "Level": e.level, "Channel": "System", "Computer": COMPUTER,
                    "EventRecordID": e.record,
                    "TimeCreated": {"#attributes": {"SystemTime": format!("{}.000000Z", e.time)}},
                },
                "EventData": {"Data": {"#text": e.inserts}},
            }})
            .to_string(),
        ),
    ]
}

fn transform(line: &str) -> Value {
    transform_with(line, Fields::Compact)
}

fn transform_with(line: &str, fields: Fields) -> Value {
    let mut t = Transformer::new(Options {
        zone: Zone::parse("UTC").unwrap(),
        fields,
        ..Options::default()
    });
    let mut out = Vec::new();
    let outcome = t.transform(line.as_bytes(), &mut out);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(matches!(outcome, Outcome::Event(_)), "{v}");
    // One document, on one line (the caller ends it).
    assert!(!out.contains(&b'\n'), "one line");
    v
}

/// Every shape gives the document `check` expects, and they agree with each other.
fn in_every_shape(e: &Sys, check: impl Fn(&str, &Value)) {
    let docs: Vec<(&str, Value)> = shapes(e)
        .into_iter()
        .map(|(name, line)| (name, transform(&line)))
        .collect();
    let first = &docs[0].1;
    for (name, doc) in &docs {
        check(name, doc);
        for key in ["event", "source", "observer", "nps", "host", "related"] {
            assert_eq!(doc.get(key), first.get(key), "{name}: {key}");
        }
        assert_eq!(
            doc["winlog"]["event_data"], first["winlog"]["event_data"],
            "{name}"
        );
        assert_eq!(
            doc["@timestamp"].as_str().unwrap()[..19],
            e.time[..19],
            "{name}"
        );
        assert_eq!(doc["winlog"]["channel"], "System", "{name}");
        assert_eq!(doc["winlog"]["provider_name"], e.provider, "{name}");
    }
}

/// `event.*` from the table row: action, categories, outcome, and the message with the
/// event's values in place of %1, %2.
fn assert_event(doc: &Value, code: &str, action: &str, kind: &str, outcome: &str, reason: &str) {
    let ev = &doc["event"];
    assert_eq!(ev["code"], code);
    assert_eq!(ev["action"], action);
    assert_eq!(ev["category"], json!(["network"]));
    assert_eq!(ev["type"], json!([kind]));
    assert_eq!(ev["outcome"], outcome);
    assert_eq!(ev["reason"], reason);
    assert_eq!(ev["dataset"], "windows.system");
    assert_eq!(ev["module"], "nps");
    assert_eq!(doc["host"]["name"], COMPUTER);
}

#[test]
fn event_13_a_message_from_an_address_that_is_no_radius_client() {
    let e = Sys {
        provider: "NPS",
        id: 13,
        level: 2,
        record: 4711,
        time: "2021-06-01T08:15:30",
        inserts: &["192.0.2.10"],
    };
    in_every_shape(&e, |name, doc| {
        assert_event(
            doc,
            "13",
            "nps-radius-client-invalid",
            "denied",
            "failure",
            "A RADIUS message was received from the invalid RADIUS client IP address 192.0.2.10.",
        );
        assert_eq!(doc["source"]["ip"], "192.0.2.10", "{name}");
        // Not a configured client, so not the network access server.
        assert!(doc.get("observer").is_none(), "{name}");
        // `source.ip` holds the only address, so compact `related` is empty (the index
        // templates copy source.ip into related.ip).
        assert!(doc.get("related").is_none(), "{name}");
        assert_eq!(doc["winlog"]["event_data"], json!({"param1": "192.0.2.10"}));
        // No observer holds the address, so the compact profile keeps nps.client.ip; the
        // public list gives no symbolic name and no resolution.
        assert_eq!(
            doc["nps"],
            json!({"client": {"ip": "192.0.2.10"}}),
            "{name}"
        );
    });
    let full = transform_with(&xml(&e), Fields::Full);
    assert_eq!(full["nps"], json!({"client": {"ip": "192.0.2.10"}}));
}

#[test]
fn event_14_bad_authenticator_from_ias_and_nps() {
    for provider in ["NPS", "IAS"] {
        let e = Sys {
            provider,
            id: 14,
            level: 2,
            record: 812,
            time: "2021-06-01T08:17:00",
            inserts: &["198.51.100.7"],
        };
        in_every_shape(&e, |name, doc| {
            assert_event(
                doc,
                "14",
                "nps-radius-authenticator-invalid",
                "denied",
                "failure",
                "A RADIUS message was received from RADIUS client 198.51.100.7 with an invalid \
                 authenticator. This is typically caused by mismatched shared secrets. Verify the \
                 configuration of the shared secret for the RADIUS client in the Network Policy \
                 Server snap-in and the configuration of the network access server.",
            );
            assert_eq!(doc["event"]["provider"], provider);
            // A configured RADIUS client: the source of the message and the NAS.
            assert_eq!(doc["source"]["ip"], "198.51.100.7", "{name}");
            assert_eq!(doc["observer"]["ip"], "198.51.100.7", "{name}");
            // observer.ip holds it: the compact profile leaves nps.client.ip out.
            assert!(doc["nps"].get("client").is_none(), "{name}: compact");
            let s = &doc["nps"]["system_event"];
            assert_eq!(s["symbol"], "RADIUS_E_BAD_AUTHENTICATOR", "{name}");
            assert!(s["guidance"].as_str().unwrap().contains("shared secret"));
        });
    }
}

#[test]
fn event_17_no_message_authenticator() {
    let e = Sys {
        provider: "NPS",
        id: 17,
        level: 2,
        record: 4713,
        time: "2021-06-01T08:18:00",
        inserts: &["2001:db8::17"],
    };
    in_every_shape(&e, |name, doc| {
        let reason = doc["event"]["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(
                "An Access-Request message was received from RADIUS client 2001:db8::17 without \
                 a Message-Authenticator attribute when a Message-Authenticator attribute is \
                 required."
            ),
            "{name}: {reason}"
        );
        assert_eq!(
            doc["event"]["action"],
            "nps-radius-message-authenticator-missing"
        );
        assert_eq!(doc["source"]["ip"], "2001:db8::17", "{name}");
        assert_eq!(doc["observer"]["ip"], "2001:db8::17", "{name}");
        assert!(doc["nps"]["system_event"].get("symbol").is_none());
        assert!(doc["nps"]["system_event"]["guidance"].is_string());
    });
}

#[test]
fn events_22_and_23_carry_no_strings() {
    for (id, symbol, action) in [
        (
            22,
            "RADIUS_E_CANT_SEND_RESPONSE",
            "nps-radius-response-send-failed",
        ),
        (23, "RADIUS_E_ERRORS_OCCURRED", "nps-radius-errors-occurred"),
    ] {
        let e = Sys {
            provider: "NPS",
            id,
            level: 2,
            record: 4714,
            time: "2021-06-01T08:19:00",
            inserts: &[],
        };
        in_every_shape(&e, |name, doc| {
            assert_eq!(doc["event"]["action"], action, "{name}");
            assert_eq!(doc["event"]["type"], json!(["error"]));
            assert_eq!(doc["event"]["outcome"], "failure");
            assert_eq!(doc["nps"]["system_event"]["symbol"], symbol, "{name}");
            assert!(doc.get("source").is_none() && doc.get("observer").is_none());
            assert!(doc["winlog"].get("event_data").is_none(), "{name}");
        });
    }
    let doc = transform(&xml(&Sys {
        provider: "NPS",
        id: 22,
        level: 2,
        record: 1,
        time: "2021-06-01T08:19:00",
        inserts: &[],
    }));
    assert_eq!(
        doc["event"]["reason"],
        "The Network Policy Server (NPS) could not send a response due to a network error. The \
         data is the error code generated by Windows Sockets."
    );
}

#[test]
fn events_4400_to_4402_name_the_domain_controller_and_domain() {
    let established = Sys {
        provider: "NPS",
        id: 4400,
        level: 4,
        record: 4715,
        time: "2021-06-01T08:20:00",
        inserts: &["DC01.corp.example", "corp.example"],
    };
    in_every_shape(&established, |name, doc| {
        assert_event(
            doc,
            "4400",
            "nps-dc-connection-established",
            "start",
            "success",
            "A LDAP connection with domain controller DC01.corp.example for domain corp.example \
             is established.",
        );
        assert_eq!(doc["nps"]["domain_controller"], "DC01.corp.example");
        assert_eq!(doc["nps"]["domain"], "corp.example", "{name}");
        // The computer is host.name (copied into related.hosts by the index templates).
        assert_eq!(doc["related"]["hosts"], json!(["DC01.corp.example"]));
        assert!(doc.get("source").is_none(), "{name}");
    });
    let unresponsive = Sys {
        id: 4401,
        level: 3,
        record: 4716,
        time: "2021-06-01T08:21:00",
        ..established
    };
    in_every_shape(&unresponsive, |_, doc| {
        assert_event(
            doc,
            "4401",
            "nps-dc-not-responsive",
            "error",
            "failure",
            "Domain controller DC01.corp.example for domain corp.example is not responsive. NPS \
             switches to other DCs.",
        );
        assert_eq!(doc["nps"]["domain_controller"], "DC01.corp.example");
    });
    let none = Sys {
        provider: "NPS",
        id: 4402,
        level: 2,
        record: 4717,
        time: "2021-06-01T08:22:00",
        inserts: &["corp.example"],
    };
    in_every_shape(&none, |name, doc| {
        assert_event(
            doc,
            "4402",
            "nps-dc-unavailable",
            "error",
            "failure",
            "There is no domain controller available for domain corp.example.",
        );
        // %1 is the domain here, not a domain controller.
        assert_eq!(doc["nps"], json!({"domain": "corp.example"}));
        // The computer is host.name, the only host: compact `related` is empty.
        assert_eq!(doc["host"]["name"], COMPUTER);
        assert!(doc.get("related").is_none(), "{name}");
    });
}

#[test]
fn an_id_the_table_lacks_is_still_a_document() {
    let e = Sys {
        provider: "NPS",
        id: 4405,
        level: 3,
        record: 4718,
        time: "2021-06-01T08:23:00",
        inserts: &["first value", "second value"],
    };
    in_every_shape(&e, |name, doc| {
        let ev = &doc["event"];
        assert_eq!(ev["code"], "4405");
        assert_eq!(ev["provider"], "NPS");
        assert_eq!(ev["outcome"], "unknown");
        assert_eq!(ev["dataset"], "windows.system");
        assert!(ev.get("action").is_none() && ev.get("reason").is_none());
        assert!(doc.get("nps").is_none(), "{name}");
        assert_eq!(
            doc["winlog"]["event_data"],
            json!({"param1": "first value", "param2": "second value"}),
            "{name}"
        );
    });
}

#[test]
fn an_nps_event_is_never_read_as_the_security_event_of_its_id() {
    // Ids are per provider: a System event of NPS numbered like 6272 is not a grant.
    let doc = transform(&xml(&Sys {
        provider: "NPS",
        id: 6272,
        level: 4,
        record: 4719,
        time: "2021-06-01T08:24:00",
        inserts: &["S-1-5-18"],
    }));
    assert!(doc["event"].get("action").is_none());
    assert!(doc.get("user").is_none() && doc.get("nps").is_none());
    assert_eq!(doc["winlog"]["event_data"], json!({"param1": "S-1-5-18"}));
}

#[test]
fn a_client_given_by_name_is_no_address() {
    let doc = transform(&xml(&Sys {
        provider: "NPS",
        id: 13,
        level: 2,
        record: 4720,
        time: "2021-06-01T08:25:00",
        inserts: &["switch-07.corp.example"],
    }));
    assert!(doc.get("source").is_none() && doc.get("nps").is_none());
    assert_eq!(
        doc["event"]["reason"],
        "A RADIUS message was received from the invalid RADIUS client IP address \
         switch-07.corp.example."
    );
}

#[test]
fn winlogbeat_names_beside_the_params_are_not_positions() {
    // Winlogbeat writes a classic event's binary data as `Binary` next to `param1…`; sorted
    // first, it must not take %1's place. A missing number leaves its position empty.
    let doc = transform(
        &json!({"winlog": {"channel": "System", "provider_name": "NPS", "event_id": 14,
            "computer_name": COMPUTER, "record_id": 9,
            "event_data": {"Binary": "4D270000", "param1": "198.51.100.9"}}})
        .to_string(),
    );
    assert_eq!(doc["source"]["ip"], "198.51.100.9");
    assert_eq!(doc["observer"]["ip"], "198.51.100.9");
    let doc = transform(
        &json!({"winlog": {"channel": "System", "provider_name": "NPS", "event_id": 4401,
            "computer_name": COMPUTER, "record_id": 10,
            "event_data": {"param2": "corp.example", "param99999999999": "x"}}})
        .to_string(),
    );
    assert_eq!(doc["nps"], json!({"domain": "corp.example"}));
    assert_eq!(
        doc["event"]["reason"],
        "Domain controller  for domain corp.example is not responsive. NPS switches to other DCs."
    );
}
