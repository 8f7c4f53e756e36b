//! The reader of the JSON shapes over a `serde_json::Value` tree, as it was before the tape
//! (`json.rs`) replaced it: kept, unchanged, as the tests' oracle for the tape's reader.
//!
//! JSON shapes of Windows events, recognised by their keys in the order of
//! `docs/reference/json-shapes-and-schemas.md` §1 (first match wins). Keys are looked up as paths that
//! also match literal dotted keys (`"winlog.event_id"` at the top level).

#![allow(dead_code)]

use super::{Clock, Event, Text, from_xml};
use crate::codes::events;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// `a.b.c` in `v`, through nested objects or keys that themselves contain dots.
pub(crate) fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let obj = v.as_object()?;
    if let Some(x) = obj.get(path) {
        return Some(x);
    }
    for (i, _) in path.match_indices('.') {
        if let Some(found) = obj
            .get(&path[..i])
            .and_then(|child| get(child, &path[i + 1..]))
        {
            return Some(found);
        }
    }
    None
}

/// A scalar as text; `{"#text": …}` (XML-to-JSON converters) unwrapped.
pub(crate) fn text(v: &Value) -> Option<Text<'_>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Object(m) => m.get("#text").and_then(text),
        _ => None,
    }
}

fn text_at<'v>(v: &'v Value, path: &str) -> Option<Text<'v>> {
    get(v, path).and_then(text)
}

fn first_text<'v>(v: &'v Value, paths: &[&str]) -> Option<Text<'v>> {
    paths.iter().find_map(|p| text_at(v, p))
}

/// A number from a JSON number, a decimal or `0x` string, or `{"#text": …}`.
fn number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| n.as_i64().map(|i| i as u64)),
        Value::String(s) => {
            let s = s.trim_ascii();
            if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                u64::from_str_radix(h, 16).ok()
            } else {
                s.parse::<u64>()
                    .ok()
                    .or_else(|| s.parse::<i64>().ok().map(|i| i as u64))
            }
        }
        Value::Object(m) => m.get("#text").and_then(number),
        _ => None,
    }
}

fn number_at(v: &Value, paths: &[&str]) -> Option<u64> {
    paths.iter().find_map(|p| get(v, p).and_then(number))
}

/// An event id is 16 bits; a larger number is refused, never truncated onto a real id.
fn event_id(n: u64) -> Option<u32> {
    u16::try_from(n).ok().map(u32::from)
}

/// Audit success / failure from keyword names (`["Audit Success"]`) or an event type
/// (`AUDIT_FAILURE`, `FailureAudit`).
fn audit_word(v: &Value) -> Option<bool> {
    match v {
        Value::Array(items) => items.iter().find_map(audit_word),
        Value::String(s) => {
            let s: String = s
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if s.contains("auditsuccess") || s.contains("successaudit") {
                Some(true)
            } else if s.contains("auditfailure") || s.contains("failureaudit") {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Keywords in any rendering: a number (hex, signed, unsigned) → bits; names → audit word.
fn set_keywords(ev: &mut Event<'_>, v: Option<&Value>) {
    let Some(v) = v else { return };
    match number(v) {
        Some(bits) => ev.keyword_bits = Some(bits),
        None => ev.audit_success = ev.audit_success.or(audit_word(v)),
    }
}

/// A map of EventData (name → scalar).
fn named_from_map<'v>(ev: &mut Event<'v>, m: &'v Map<String, Value>) {
    for (k, v) in m {
        if let Some(t) = text(v) {
            ev.named.push((Cow::Borrowed(k.as_str()), t));
        }
    }
}

/// EventData as an array: strings (positional) or `{"@Name"|"Name"|"name", "#text"|"value"}`.
fn data_from_array<'v>(ev: &mut Event<'v>, items: &'v [Value]) {
    for item in items {
        match item {
            Value::Object(m) => {
                let name = ["@Name", "Name", "name", "#attributes.Name"]
                    .iter()
                    .find_map(|k| get(item, k))
                    .and_then(Value::as_str);
                let value = ["#text", "value", "Value"]
                    .iter()
                    .find_map(|k| m.get(*k))
                    .and_then(text)
                    .unwrap_or(Cow::Borrowed(""));
                match name {
                    Some(n) => ev.named.push((Cow::Borrowed(n), value)),
                    None => ev.inserts.push(value),
                }
            }
            other => ev.inserts.push(text(other).unwrap_or(Cow::Borrowed(""))),
        }
    }
}

/// EventData in whatever container the shape uses.
fn event_data<'v>(ev: &mut Event<'v>, v: Option<&'v Value>) {
    match v {
        Some(Value::Object(m)) => {
            // evtx/xmltodict: {"Data": [...]} or {"Data": {"#text": [...]}}.
            match m.get("Data") {
                Some(Value::Array(items)) => data_from_array(ev, items),
                Some(d @ Value::Object(dm)) => match dm.get("#text") {
                    Some(Value::Array(items)) => data_from_array(ev, items),
                    _ => data_from_array(ev, std::slice::from_ref(d)),
                },
                _ => named_from_map(ev, m),
            }
        }
        Some(Value::Array(items)) => data_from_array(ev, items),
        Some(Value::String(xml)) if xml.trim_start().starts_with('<') => {
            if let Ok(x) = from_xml(xml) {
                ev.named.extend(x.named);
                ev.inserts.extend(x.inserts);
            }
        }
        _ => {}
    }
}

fn positional<'v>(ev: &mut Event<'v>, v: Option<&'v Value>) {
    if let Some(Value::Array(items)) = v {
        for item in items {
            ev.inserts.push(text(item).unwrap_or(Cow::Borrowed("")));
        }
    }
}

/// How one shipper lays out a Windows event in JSON: the keys that recognise it, where each
/// header field and the EventData are (dotted paths from the record, each list tried in
/// order), and what the shape needs beyond that. `SHAPES` lists them in the order of
/// `docs/reference/json-shapes-and-schemas.md` §1; the first whose `is` holds wins.
struct Shape {
    name: &'static str,
    /// Whether a record is this shape.
    is: fn(&Map<String, Value>, &Value) -> bool,
    /// Top-level keys by which the shape is known: a shipper envelope carrying one is an
    /// event, not a line (`crate::envelope`).
    marks: &'static [&'static str],
    /// Read by the table, or (events carried as XML, prefixed keys) by a function of its own.
    read: Read,
}

enum Read {
    Table(&'static Fields),
    Custom(for<'v> fn(&'v Value) -> Option<Event<'v>>),
}

/// Where a tabled shape keeps each part of the event.
struct Fields {
    event_id: &'static [&'static str],
    version: &'static [&'static str],
    provider: &'static [&'static str],
    provider_guid: &'static [&'static str],
    channel: &'static [&'static str],
    computer: &'static [&'static str],
    record_id: &'static [&'static str],
    task: &'static [&'static str],
    opcode: &'static [&'static str],
    level: &'static [&'static str],
    time: (&'static [&'static str], Clock),
    keywords: &'static [&'static str],
    /// Audit success or failure when the keywords say nothing (names or event types).
    audit: &'static [&'static str],
    event_data: &'static [&'static str],
    /// StringInserts, read when the EventData had no names.
    positional: &'static [&'static str],
    /// What the shape needs after the table.
    finish: Option<for<'v> fn(&mut Event<'v>, &'v Value)>,
}

const NONE: &[&str] = &[];

const EMPTY: Fields = Fields {
    event_id: NONE,
    version: NONE,
    provider: NONE,
    provider_guid: NONE,
    channel: NONE,
    computer: NONE,
    record_id: NONE,
    task: NONE,
    opcode: NONE,
    level: NONE,
    time: (NONE, Clock::Utc),
    keywords: NONE,
    audit: NONE,
    event_data: NONE,
    positional: NONE,
    finish: None,
};

static SHAPES: &[Shape] = &[
    // 1. Winlogbeat / Elastic Agent (also dotted-key ECS).
    Shape {
        name: "winlogbeat",
        is: |_, v| {
            ["winlog.channel", "winlog.provider_name", "winlog.event_id"]
                .iter()
                .any(|k| get(v, k).is_some())
        },
        marks: &["winlog", "event"],
        read: Read::Table(&Fields {
            event_id: &["winlog.event_id", "event.code"],
            version: &["winlog.version"],
            provider: &["winlog.provider_name", "event.provider"],
            provider_guid: &["winlog.provider_guid"],
            channel: &["winlog.channel"],
            computer: &["winlog.computer_name"],
            record_id: &["winlog.record_id"],
            task: &["winlog.task"],
            opcode: &["winlog.opcode"],
            level: &["winlog.level", "log.level"],
            time: (&["@timestamp"], Clock::Utc),
            keywords: &["winlog.keywords"],
            event_data: &["winlog.event_data"],
            finish: Some(|ev, v| {
                if ev.outcome().is_none() {
                    ev.audit_success = match text_at(v, "event.outcome").as_deref() {
                        Some("success") => Some(true),
                        Some("failure") => Some(false),
                        _ => None,
                    };
                }
                if ev.named.is_empty()
                    && let Some(obj) = v.as_object()
                {
                    // Dotted keys all the way down: "winlog.event_data.SubjectUserName".
                    for (k, val) in obj {
                        if let (Some(name), Some(t)) =
                            (k.strip_prefix("winlog.event_data."), text(val))
                        {
                            ev.named.push((Cow::Borrowed(name), t));
                        }
                    }
                }
            }),
            ..EMPTY
        }),
    },
    // 2. Graylog Beats input: flattened with `_`, prefix `winlogbeat_` unless turned off.
    Shape {
        name: "graylog",
        is: |obj, _| graylog_prefix(obj).is_some(),
        marks: &["beats_type"],
        read: Read::Custom(graylog),
    },
    // 3. Winlogbeat 6.x.
    Shape {
        name: "winlogbeat6",
        is: |obj, _| {
            obj.contains_key("event_id")
                && obj.contains_key("computer_name")
                && (obj.contains_key("source_name") || obj.contains_key("log_name"))
        },
        marks: &["event_id"],
        read: Read::Table(&Fields {
            event_id: &["event_id"],
            version: &["version"],
            provider: &["source_name"],
            provider_guid: &["provider_guid"],
            channel: &["log_name"],
            computer: &["computer_name"],
            record_id: &["record_number"],
            task: &["task"],
            opcode: &["opcode"],
            level: &["level"],
            time: (&["@timestamp"], Clock::Utc),
            keywords: &["keywords"],
            event_data: &["event_data"],
            ..EMPTY
        }),
    },
    // 4. Vector `windows_event_log`.
    Shape {
        name: "vector",
        is: |obj, _| {
            obj.contains_key("provider_name")
                && obj.contains_key("event_id")
                && (obj.contains_key("channel") || obj.contains_key("computer"))
        },
        marks: &["event_id"],
        read: Read::Table(&Fields {
            event_id: &["event_id"],
            version: &["version"],
            provider: &["provider_name"],
            provider_guid: &["provider_guid"],
            channel: &["channel"],
            computer: &["computer", "host"],
            record_id: &["record_id"],
            task: &["task_name", "task"],
            opcode: &["opcode_name", "opcode"],
            level: &["level", "level_value"],
            // `@timestamp` when Vector's log_schema.timestamp_key says so (vector-config/).
            time: (&["timestamp", "@timestamp"], Clock::Utc),
            keywords: &["keywords"],
            audit: &["keyword_names"],
            event_data: &["event_data"],
            positional: &["string_inserts"],
            ..EMPTY
        }),
    },
    // 6. Fluent Bit winevtlog with Render_Event_As_XML: the header is an XML string (tried
    // before 5, whose keys it may share).
    Shape {
        name: "fluentbit-xml",
        is: |obj, _| {
            obj.get("System").is_some_and(Value::is_string)
                && (obj.contains_key("Message") || obj.contains_key("StringInserts"))
        },
        marks: &["System"],
        read: Read::Custom(|v| {
            let Some(Value::String(system)) = v.get("System") else {
                return None;
            };
            let mut ev = from_xml(system).ok()?;
            if ev.named.is_empty() && ev.inserts.is_empty() {
                positional(&mut ev, v.get("StringInserts"));
            }
            Some(ev)
        }),
    },
    // 5. Fluent Bit winevtlog.
    Shape {
        name: "fluentbit-winevtlog",
        is: |obj, _| obj.contains_key("ProviderName") && obj.contains_key("EventID"),
        marks: &["ProviderName", "EventID"],
        read: Read::Table(&Fields {
            event_id: &["EventID"],
            version: &["Version"],
            provider: &["ProviderName"],
            provider_guid: &["ProviderGuid"],
            channel: &["Channel"],
            computer: &["Computer"],
            record_id: &["EventRecordID"],
            task: &["Task"],
            opcode: &["Opcode"],
            level: &["Level"],
            time: (&["TimeCreated"], Clock::Utc),
            keywords: &["Keywords"],
            event_data: &["EventData"],
            positional: &["StringInserts"],
            finish: Some(|ev, _| {
                // An empty ProviderGuid is no GUID.
                if ev.provider_guid.as_deref() == Some("") {
                    ev.provider_guid = None;
                }
            }),
            ..EMPTY
        }),
    },
    // 8. NXLog im_msvistalog: EventData flattened to the top level (tried before 7, whose
    // keys it may share).
    Shape {
        name: "nxlog",
        is: |obj, _| {
            obj.get("SourceModuleType").and_then(Value::as_str) == Some("im_msvistalog")
                || (obj.contains_key("EventTime")
                    && obj.contains_key("Hostname")
                    && obj.contains_key("EventID"))
        },
        marks: &["EventID", "SourceName"],
        read: Read::Table(&Fields {
            event_id: &["EventID"],
            version: &["Version"],
            provider: &["SourceName", "ProviderName"],
            provider_guid: &["ProviderGuid"],
            channel: &["Channel"],
            computer: &["Hostname"],
            record_id: &["RecordNumber"],
            task: &["Category", "Task", "TaskValue"],
            opcode: &["Opcode"],
            level: &["Severity", "Level"],
            time: (&["EventTime"], Clock::Local),
            keywords: &["Keywords"],
            audit: &["EventType"],
            finish: Some(|ev, v| promoted_data(ev, v, Some(NXLOG_HEADER))),
            ..EMPTY
        }),
    },
    // 7. Fluent Bit winlog (legacy EventLog API).
    Shape {
        name: "fluentbit-winlog",
        is: |obj, _| {
            obj.contains_key("SourceName")
                && obj.contains_key("EventID")
                && obj.contains_key("TimeGenerated")
        },
        marks: &["SourceName", "EventID"],
        read: Read::Table(&Fields {
            provider: &["SourceName"],
            channel: &["Channel"],
            computer: &["ComputerName"],
            record_id: &["RecordNumber"],
            task: &["EventCategory"],
            time: (&["TimeGenerated"], Clock::Utc),
            audit: &["EventType"],
            positional: &["StringInserts"],
            finish: Some(|ev, v| {
                // The legacy API's EventID carries qualifiers in the high 16 bits.
                ev.event_id = v
                    .get("EventID")
                    .and_then(number)
                    .map(|n| (n & 0xFFFF) as u32);
            }),
            ..EMPTY
        }),
    },
    // 9, 10. evtx_dump JSON and XML-to-JSON converters: {"Event": {"System": …}}.
    Shape {
        name: "evtx",
        is: |obj, _| obj.get("Event").is_some_and(|e| e.get("System").is_some()),
        marks: &["Event", "Event_attributes"],
        read: Read::Table(&Fields {
            event_id: &["Event.System.EventID"],
            version: &["Event.System.Version"],
            provider: &[
                "Event.System.Provider.#attributes.Name",
                "Event.System.Provider_attributes.Name",
                "Event.System.Provider.@Name",
            ],
            provider_guid: &[
                "Event.System.Provider.#attributes.Guid",
                "Event.System.Provider_attributes.Guid",
                "Event.System.Provider.@Guid",
            ],
            channel: &["Event.System.Channel"],
            computer: &["Event.System.Computer"],
            record_id: &["Event.System.EventRecordID"],
            task: &["Event.System.Task"],
            opcode: &["Event.System.Opcode"],
            level: &["Event.System.Level"],
            time: (
                &[
                    "Event.System.TimeCreated.#attributes.SystemTime",
                    "Event.System.TimeCreated_attributes.SystemTime",
                    "Event.System.TimeCreated.@SystemTime",
                ],
                Clock::Utc,
            ),
            keywords: &["Event.System.Keywords"],
            event_data: &["Event.EventData"],
            ..EMPTY
        }),
    },
    // 11. Microsoft Sentinel SecurityEvent export.
    Shape {
        name: "sentinel",
        is: |obj, _| obj.get("Type").and_then(Value::as_str) == Some("SecurityEvent"),
        marks: &["Type"],
        read: Read::Table(&Fields {
            event_id: &["EventID"],
            provider: &["EventSourceName"],
            channel: &["Channel"],
            computer: &["Computer"],
            task: &["Task"],
            level: &["Level"],
            time: (&["TimeGenerated"], Clock::Utc),
            event_data: &["EventData"],
            // Promoted columns carry the Data names.
            finish: Some(|ev, v| {
                if ev.named.is_empty() {
                    promoted_data(ev, v, None);
                }
            }),
            ..EMPTY
        }),
    },
    // 12. Wazuh agent: win.system, win.eventdata (lowerCamelCase keys).
    Shape {
        name: "wazuh",
        is: |_, v| get(v, "win.system").is_some(),
        marks: &["win"],
        read: Read::Table(&Fields {
            event_id: &["win.system.eventID"],
            version: &["win.system.version"],
            provider: &["win.system.providerName"],
            provider_guid: &["win.system.providerGuid"],
            channel: &["win.system.channel"],
            computer: &["win.system.computer"],
            record_id: &["win.system.eventRecordID"],
            task: &["win.system.task"],
            opcode: &["win.system.opcode"],
            level: &["win.system.level"],
            time: (&["win.system.systemTime"], Clock::Utc),
            keywords: &["win.system.keywords"],
            audit: &["win.system.severityValue"],
            event_data: &["win.eventdata"],
            ..EMPTY
        }),
    },
    // 13. OpenTelemetry windowseventlog receiver: the event as XML, or as a map.
    Shape {
        name: "otel-xml",
        is: |obj, _| {
            body(obj).is_some_and(|b| b.as_str().is_some_and(|x| x.trim_start().starts_with('<')))
        },
        marks: &["body", "Body"],
        read: Read::Custom(|v| from_xml(body(v.as_object()?)?.as_str()?).ok()),
    },
    Shape {
        name: "otel",
        is: |obj, _| body(obj).is_some_and(|b| get(b, "event_id").is_some()),
        marks: &["body", "Body"],
        read: Read::Custom(|v| {
            let b = body(v.as_object()?)?;
            let mut ev = Event {
                event_id: number_at(b, &["event_id.id", "event_id"]).and_then(event_id),
                ..read_table(b, &OTEL_BODY)
            };
            ev.shape = "otel";
            Some(ev)
        }),
    },
    // 14. Raw event XML inside JSON.
    Shape {
        name: "xml-in-json",
        is: |_, v| xml_in_json(v).is_some(),
        marks: &["xml", "Event", "System", "event"],
        read: Read::Custom(|v| from_xml(xml_in_json(v)?).ok()),
    },
];

/// OpenTelemetry's map body, read from the body itself.
const OTEL_BODY: Fields = Fields {
    version: &["version"],
    provider: &["provider.name"],
    provider_guid: &["provider.guid"],
    channel: &["channel"],
    computer: &["computer"],
    record_id: &["record_id"],
    task: &["task"],
    opcode: &["opcode"],
    level: &["level"],
    time: (&["system_time"], Clock::Utc),
    keywords: &["keywords"],
    event_data: &["event_data"],
    ..EMPTY
};

fn body(obj: &Map<String, Value>) -> Option<&Value> {
    obj.get("body").or_else(|| obj.get("Body"))
}

fn xml_in_json(v: &Value) -> Option<&str> {
    ["event.original", "xml", "Event", "System"]
        .iter()
        .find_map(|k| {
            get(v, k)
                .and_then(Value::as_str)
                .filter(|x| x.trim_start().starts_with("<Event"))
        })
}

fn graylog_prefix(obj: &Map<String, Value>) -> Option<&'static str> {
    ["winlogbeat_winlog_", "winlog_"]
        .into_iter()
        .find(|p| obj.contains_key(&format!("{p}event_id")))
}

/// Graylog's keys carry a prefix chosen by its configuration, so they are no fixed paths.
fn graylog(v: &Value) -> Option<Event<'_>> {
    let obj = v.as_object()?;
    let p = graylog_prefix(obj)?;
    let key = |k: &str| format!("{p}{k}");
    let t = |k: &str| obj.get(&key(k)).and_then(text);
    let mut ev = Event {
        event_id: obj
            .get(&key("event_id"))
            .and_then(number)
            .and_then(event_id),
        version: obj
            .get(&key("version"))
            .and_then(number)
            .and_then(|n| u32::try_from(n).ok()),
        provider: t("provider_name"),
        provider_guid: t("provider_guid"),
        channel: t("channel"),
        computer: t("computer_name"),
        record_id: t("record_id"),
        task: t("task"),
        opcode: t("opcode"),
        time: first_text(v, &["@timestamp", "timestamp"]).map(|t| (t, Clock::Utc)),
        ..Event::default()
    };
    set_keywords(&mut ev, obj.get(&key("keywords")));
    let data_prefix = key("event_data_");
    for (k, val) in obj {
        if let (Some(name), Some(t)) = (k.strip_prefix(&data_prefix), text(val)) {
            ev.named.push((Cow::Borrowed(name), t));
        }
    }
    Some(ev)
}

/// EventData promoted to the record's own keys: those the event's templates name, else
/// (when no template is known and `header` is given) every key that is not a header key.
fn promoted_data<'v>(ev: &mut Event<'v>, v: &'v Value, header: Option<&[&str]>) {
    let Some(obj) = v.as_object() else { return };
    let names: Vec<&str> = ev
        .event_id
        .into_iter()
        .flat_map(events::templates)
        .flat_map(|(_, t)| t.iter().copied())
        .collect();
    for (k, val) in obj {
        let wanted = match header {
            Some(h) if names.is_empty() => !h.contains(&k.as_str()),
            _ => names.contains(&k.as_str()),
        };
        if wanted
            && !ev.named.iter().any(|(n, _)| n == k)
            && let Some(t) = text(val)
        {
            ev.named.push((Cow::Borrowed(k.as_str()), t));
        }
    }
}

/// A tabled shape's event, read from `v`.
fn read_table<'v>(v: &'v Value, f: &Fields) -> Event<'v> {
    let version = |v| number_at(v, f.version).and_then(|n| u32::try_from(n).ok());
    let mut ev = Event {
        event_id: number_at(v, f.event_id).and_then(event_id),
        version: version(v),
        provider: first_text(v, f.provider),
        provider_guid: first_text(v, f.provider_guid),
        channel: first_text(v, f.channel),
        computer: first_text(v, f.computer),
        record_id: first_text(v, f.record_id),
        task: first_text(v, f.task),
        opcode: first_text(v, f.opcode),
        level: first_text(v, f.level),
        time: first_text(v, f.time.0).map(|t| (t, f.time.1)),
        ..Event::default()
    };
    set_keywords(&mut ev, f.keywords.iter().find_map(|k| get(v, k)));
    if ev.outcome().is_none() {
        ev.audit_success = f.audit.iter().find_map(|k| get(v, k)).and_then(audit_word);
    }
    event_data(&mut ev, f.event_data.iter().find_map(|k| get(v, k)));
    if ev.named.is_empty() {
        positional(&mut ev, f.positional.iter().find_map(|k| get(v, k)));
    }
    ev
}

/// The event, if `v` is one of the known shapes.
pub(crate) fn from_json(v: &Value) -> Option<Event<'_>> {
    let obj = v.as_object()?;
    let shape = SHAPES.iter().find(|s| (s.is)(obj, v))?;
    let mut ev = match &shape.read {
        Read::Table(f) => {
            let mut ev = read_table(v, f);
            if let Some(finish) = f.finish {
                finish(&mut ev, v);
            }
            ev
        }
        Read::Custom(read) => read(v)?,
    };
    ev.shape = shape.name;
    Some(ev)
}

/// Top-level keys by which some shape is known: a record with one is an event.
pub(crate) fn marks_an_event(key: &str) -> bool {
    SHAPES.iter().any(|s| s.marks.contains(&key))
}

/// NXLog header keys (never EventData) for events whose template is unknown.
static NXLOG_HEADER: &[&str] = &[
    "EventTime",
    "EventReceivedTime",
    "Hostname",
    "Keywords",
    "EventType",
    "SeverityValue",
    "Severity",
    "EventID",
    "SourceName",
    "ProviderGuid",
    "Version",
    "Task",
    "TaskValue",
    "OpcodeValue",
    "Opcode",
    "RecordNumber",
    "ActivityID",
    "RelatedActivityID",
    "ProcessID",
    "ThreadID",
    "ExecutionProcessID",
    "ExecutionThreadID",
    "Channel",
    "Category",
    "Message",
    "SourceModuleName",
    "SourceModuleType",
    "Domain",
    "AccountName",
    "UserID",
    "AccountType",
    "Level",
    "LevelValue",
];
