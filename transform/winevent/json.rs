//! JSON shapes of Windows events, recognised by their keys in the order of
//! `docs/reference/json-shapes-and-schemas.md` §1 (first match wins). Keys are looked up as paths that
//! also match literal dotted keys (`"winlog.event_id"` at the top level).

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

/// The event, if `v` is one of the known shapes.
pub(crate) fn from_json(v: &Value) -> Option<Event<'_>> {
    let obj = v.as_object()?;
    let has = |k: &str| get(v, k).is_some();

    // 1. Winlogbeat / Elastic Agent (also dotted-key ECS).
    if has("winlog.channel") || has("winlog.provider_name") || has("winlog.event_id") {
        let mut ev = Event {
            shape: "winlogbeat",
            event_id: number_at(v, &["winlog.event_id", "event.code"]).and_then(event_id),
            version: number_at(v, &["winlog.version"]).and_then(|n| u32::try_from(n).ok()),
            provider: first_text(v, &["winlog.provider_name", "event.provider"]),
            provider_guid: text_at(v, "winlog.provider_guid"),
            channel: text_at(v, "winlog.channel"),
            computer: text_at(v, "winlog.computer_name"),
            record_id: text_at(v, "winlog.record_id"),
            task: text_at(v, "winlog.task"),
            opcode: text_at(v, "winlog.opcode"),
            level: first_text(v, &["winlog.level", "log.level"]),
            time: text_at(v, "@timestamp").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, get(v, "winlog.keywords"));
        if ev.outcome().is_none() {
            ev.audit_success = match text_at(v, "event.outcome").as_deref() {
                Some("success") => Some(true),
                Some("failure") => Some(false),
                _ => None,
            };
        }
        event_data(&mut ev, get(v, "winlog.event_data"));
        if ev.named.is_empty() {
            // Dotted keys all the way down: "winlog.event_data.SubjectUserName".
            for (k, val) in obj {
                if let (Some(name), Some(t)) = (k.strip_prefix("winlog.event_data."), text(val)) {
                    ev.named.push((Cow::Borrowed(name), t));
                }
            }
        }
        return Some(ev);
    }

    // 2. Graylog Beats input: flattened with `_`, prefix `winlogbeat_` unless turned off.
    let prefix = ["winlogbeat_winlog_", "winlog_"]
        .into_iter()
        .find(|p| obj.contains_key(&format!("{p}event_id")));
    if let Some(p) = prefix {
        let key = |k: &str| format!("{p}{k}");
        let t = |k: &str| obj.get(&key(k)).and_then(text);
        let mut ev = Event {
            shape: "graylog",
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
        return Some(ev);
    }

    // 3. Winlogbeat 6.x.
    if obj.contains_key("event_id")
        && obj.contains_key("computer_name")
        && (obj.contains_key("source_name") || obj.contains_key("log_name"))
    {
        let mut ev = Event {
            shape: "winlogbeat6",
            event_id: number_at(v, &["event_id"]).and_then(event_id),
            version: number_at(v, &["version"]).and_then(|n| u32::try_from(n).ok()),
            provider: text_at(v, "source_name"),
            provider_guid: text_at(v, "provider_guid"),
            channel: text_at(v, "log_name"),
            computer: text_at(v, "computer_name"),
            record_id: text_at(v, "record_number"),
            task: text_at(v, "task"),
            opcode: text_at(v, "opcode"),
            level: text_at(v, "level"),
            time: text_at(v, "@timestamp").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, obj.get("keywords"));
        event_data(&mut ev, obj.get("event_data"));
        return Some(ev);
    }

    // 4. Vector `windows_event_log`.
    if obj.contains_key("provider_name")
        && obj.contains_key("event_id")
        && (obj.contains_key("channel") || obj.contains_key("computer"))
    {
        let mut ev = Event {
            shape: "vector",
            event_id: number_at(v, &["event_id"]).and_then(event_id),
            version: number_at(v, &["version"]).and_then(|n| u32::try_from(n).ok()),
            provider: text_at(v, "provider_name"),
            provider_guid: text_at(v, "provider_guid"),
            channel: text_at(v, "channel"),
            computer: first_text(v, &["computer", "host"]),
            record_id: text_at(v, "record_id"),
            task: first_text(v, &["task_name", "task"]),
            opcode: first_text(v, &["opcode_name", "opcode"]),
            level: first_text(v, &["level", "level_value"]),
            // `@timestamp` when Vector's log_schema.timestamp_key says so (vector-config/).
            time: first_text(v, &["timestamp", "@timestamp"]).map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, obj.get("keywords"));
        if ev.outcome().is_none() {
            ev.audit_success = obj.get("keyword_names").and_then(audit_word);
        }
        event_data(&mut ev, obj.get("event_data"));
        if ev.named.is_empty() {
            positional(&mut ev, obj.get("string_inserts"));
        }
        return Some(ev);
    }

    // 6. Fluent Bit winevtlog with Render_Event_As_XML: the header is an XML string.
    if let Some(Value::String(system)) = obj.get("System")
        && (obj.contains_key("Message") || obj.contains_key("StringInserts"))
    {
        let mut ev = from_xml(system).ok()?;
        ev.shape = "fluentbit-xml";
        if ev.named.is_empty() && ev.inserts.is_empty() {
            positional(&mut ev, obj.get("StringInserts"));
        }
        return Some(ev);
    }

    // 5. Fluent Bit winevtlog.
    if obj.contains_key("ProviderName") && obj.contains_key("EventID") {
        let mut ev = Event {
            shape: "fluentbit-winevtlog",
            event_id: number_at(v, &["EventID"]).and_then(event_id),
            version: number_at(v, &["Version"]).and_then(|n| u32::try_from(n).ok()),
            provider: text_at(v, "ProviderName"),
            provider_guid: text_at(v, "ProviderGuid").filter(|s| !s.is_empty()),
            channel: text_at(v, "Channel"),
            computer: text_at(v, "Computer"),
            record_id: text_at(v, "EventRecordID"),
            task: text_at(v, "Task"),
            opcode: text_at(v, "Opcode"),
            level: text_at(v, "Level"),
            time: text_at(v, "TimeCreated").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, obj.get("Keywords"));
        event_data(&mut ev, obj.get("EventData"));
        if ev.named.is_empty() {
            positional(&mut ev, obj.get("StringInserts"));
        }
        return Some(ev);
    }

    // 8. NXLog im_msvistalog: EventData flattened to the top level.
    if obj.get("SourceModuleType").and_then(Value::as_str) == Some("im_msvistalog")
        || (obj.contains_key("EventTime")
            && obj.contains_key("Hostname")
            && obj.contains_key("EventID"))
    {
        let mut ev = Event {
            shape: "nxlog",
            event_id: number_at(v, &["EventID"]).and_then(event_id),
            version: number_at(v, &["Version"]).and_then(|n| u32::try_from(n).ok()),
            provider: first_text(v, &["SourceName", "ProviderName"]),
            provider_guid: text_at(v, "ProviderGuid"),
            channel: text_at(v, "Channel"),
            computer: text_at(v, "Hostname"),
            record_id: text_at(v, "RecordNumber"),
            task: first_text(v, &["Category", "Task", "TaskValue"]),
            opcode: text_at(v, "Opcode"),
            level: first_text(v, &["Severity", "Level"]),
            time: text_at(v, "EventTime").map(|t| (t, Clock::Local)),
            ..Event::default()
        };
        set_keywords(&mut ev, obj.get("Keywords"));
        if ev.outcome().is_none() {
            ev.audit_success = obj.get("EventType").and_then(audit_word);
        }
        let names: Vec<&str> = ev
            .event_id
            .into_iter()
            .flat_map(events::templates)
            .flat_map(|(_, t)| t.iter().copied())
            .collect();
        for (k, val) in obj {
            let wanted = if names.is_empty() {
                !NXLOG_HEADER.contains(&k.as_str())
            } else {
                names.contains(&k.as_str())
            };
            if wanted
                && !ev.named.iter().any(|(n, _)| n == k)
                && let Some(t) = text(val)
            {
                ev.named.push((Cow::Borrowed(k.as_str()), t));
            }
        }
        return Some(ev);
    }

    // 7. Fluent Bit winlog (legacy EventLog API).
    if obj.contains_key("SourceName")
        && obj.contains_key("EventID")
        && obj.contains_key("TimeGenerated")
    {
        let mut ev = Event {
            shape: "fluentbit-winlog",
            // The legacy API's EventID carries qualifiers in the high 16 bits.
            event_id: number_at(v, &["EventID"]).map(|n| (n & 0xFFFF) as u32),
            provider: text_at(v, "SourceName"),
            channel: text_at(v, "Channel"),
            computer: text_at(v, "ComputerName"),
            record_id: text_at(v, "RecordNumber"),
            task: text_at(v, "EventCategory"),
            time: text_at(v, "TimeGenerated").map(|t| (t, Clock::Utc)),
            audit_success: obj.get("EventType").and_then(audit_word),
            ..Event::default()
        };
        positional(&mut ev, obj.get("StringInserts"));
        return Some(ev);
    }

    // 9, 10. evtx_dump JSON and XML-to-JSON converters: {"Event": {"System": …}}.
    if let Some(event) = obj.get("Event").filter(|e| e.get("System").is_some()) {
        let system = event.get("System")?;
        let attr = |elem: &str, name: &str| {
            [
                format!("{elem}.#attributes.{name}"),
                format!("{elem}_attributes.{name}"),
                format!("{elem}.@{name}"),
            ]
            .iter()
            .find_map(|p| text_at(system, p))
        };
        let mut ev = Event {
            shape: "evtx",
            event_id: number_at(system, &["EventID"]).and_then(event_id),
            version: number_at(system, &["Version"]).and_then(|n| u32::try_from(n).ok()),
            provider: attr("Provider", "Name"),
            provider_guid: attr("Provider", "Guid"),
            channel: text_at(system, "Channel"),
            computer: text_at(system, "Computer"),
            record_id: text_at(system, "EventRecordID"),
            task: text_at(system, "Task"),
            opcode: text_at(system, "Opcode"),
            level: text_at(system, "Level"),
            time: attr("TimeCreated", "SystemTime").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, system.get("Keywords"));
        event_data(&mut ev, event.get("EventData"));
        return Some(ev);
    }

    // 11. Microsoft Sentinel SecurityEvent export.
    if obj.get("Type").and_then(Value::as_str) == Some("SecurityEvent") {
        let mut ev = Event {
            shape: "sentinel",
            event_id: number_at(v, &["EventID"]).and_then(event_id),
            provider: text_at(v, "EventSourceName"),
            channel: text_at(v, "Channel"),
            computer: text_at(v, "Computer"),
            task: text_at(v, "Task"),
            level: text_at(v, "Level"),
            time: text_at(v, "TimeGenerated").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        event_data(&mut ev, obj.get("EventData"));
        if ev.named.is_empty() {
            // Promoted columns carry the Data names.
            let names: Vec<&str> = ev
                .event_id
                .into_iter()
                .flat_map(events::templates)
                .flat_map(|(_, t)| t.iter().copied())
                .collect();
            for (k, val) in obj {
                if names.contains(&k.as_str())
                    && !ev.named.iter().any(|(n, _)| n == k)
                    && let Some(t) = text(val)
                {
                    ev.named.push((Cow::Borrowed(k.as_str()), t));
                }
            }
        }
        return Some(ev);
    }

    // 12. Wazuh agent: win.system, win.eventdata (lowerCamelCase keys).
    if has("win.system") {
        let s = get(v, "win.system")?;
        let mut ev = Event {
            shape: "wazuh",
            event_id: number_at(s, &["eventID"]).and_then(event_id),
            version: number_at(s, &["version"]).and_then(|n| u32::try_from(n).ok()),
            provider: text_at(s, "providerName"),
            provider_guid: text_at(s, "providerGuid"),
            channel: text_at(s, "channel"),
            computer: text_at(s, "computer"),
            record_id: text_at(s, "eventRecordID"),
            task: text_at(s, "task"),
            opcode: text_at(s, "opcode"),
            level: text_at(s, "level"),
            time: text_at(s, "systemTime").map(|t| (t, Clock::Utc)),
            ..Event::default()
        };
        set_keywords(&mut ev, s.get("keywords"));
        if ev.outcome().is_none() {
            ev.audit_success = s.get("severityValue").and_then(audit_word);
        }
        event_data(&mut ev, get(v, "win.eventdata"));
        return Some(ev);
    }

    // 13. OpenTelemetry windowseventlog receiver.
    if let Some(body) = obj.get("body").or_else(|| obj.get("Body")) {
        if let Some(Value::String(xml)) = Some(body).filter(|b| b.is_string())
            && xml.trim_start().starts_with('<')
        {
            let mut ev = from_xml(xml).ok()?;
            ev.shape = "otel-xml";
            return Some(ev);
        }
        if get(body, "event_id").is_some() {
            let mut ev = Event {
                shape: "otel",
                event_id: number_at(body, &["event_id.id", "event_id"]).and_then(event_id),
                version: number_at(body, &["version"]).and_then(|n| u32::try_from(n).ok()),
                provider: text_at(body, "provider.name"),
                provider_guid: text_at(body, "provider.guid"),
                channel: text_at(body, "channel"),
                computer: text_at(body, "computer"),
                record_id: text_at(body, "record_id"),
                task: text_at(body, "task"),
                opcode: text_at(body, "opcode"),
                level: text_at(body, "level"),
                time: text_at(body, "system_time").map(|t| (t, Clock::Utc)),
                ..Event::default()
            };
            set_keywords(&mut ev, body.get("keywords"));
            event_data(&mut ev, body.get("event_data"));
            return Some(ev);
        }
    }

    // 14. Raw event XML inside JSON.
    for key in ["event.original", "xml", "Event", "System"] {
        if let Some(Value::String(xml)) = get(v, key)
            && xml.trim_start().starts_with("<Event")
        {
            let mut ev = from_xml(xml).ok()?;
            ev.shape = "xml-in-json";
            return Some(ev);
        }
    }
    None
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
