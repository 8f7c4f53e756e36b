//! `winlog.*`: a Windows event's header and EventData by name, as Winlogbeat 7.13+ writes
//! them (so its dashboards keep working).

#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::winevent::Digest;
use crate::write::{Json, k};
use std::collections::HashMap;

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "winlog.event_id",
        "keyword",
        "event id",
        "As Winlogbeat 7.13+ writes it (a string).",
    ),
    Decl::new(
        "winlog.channel",
        "keyword",
        "event channel",
        "`Security`; `System` for NPS's own events.",
    ),
    Decl::new(
        "winlog.provider_name",
        "keyword",
        "event provider",
        "The provider's name.",
    ),
    Decl::new(
        "winlog.provider_guid",
        "keyword",
        "event provider",
        "The provider's GUID.",
    ),
    Decl::new(
        "winlog.computer_name",
        "keyword",
        "event computer",
        "The computer that logged the event.",
    ),
    Decl::new(
        "winlog.record_id",
        "keyword",
        "EventRecordID",
        "The record number in the log.",
    ),
    Decl::new(
        "winlog.version",
        "long",
        "event version",
        "The event's template version.",
    ),
    Decl::new(
        "winlog.task",
        "keyword",
        "event task",
        "The task, by name when it is the audit subcategory's number.",
    ),
    Decl::new("winlog.opcode", "keyword", "event opcode", "`Info` for 0."),
    Decl::new(
        "winlog.keywords",
        "keyword[]",
        "event keywords",
        "`Audit Success` or `Audit Failure`.",
    ),
    Decl::new(
        "winlog.event_data.*",
        "keyword",
        "EventData, StringInserts",
        "The event's data by template name; an array where a name repeats.",
    ),
];

/// `winlog.*`: the event header and EventData by name, as Winlogbeat 7.13+ writes them.
pub(crate) fn write(w: &mut Json<'_>, d: &Digest<'_>) {
    let ev = d.ev;
    w.object(k!("winlog"));
    if let Some(id) = ev.event_id {
        w.key(k!("event_id"));
        w.raw_string(itoa::Buffer::new().format(id).as_bytes());
    }
    for (key, value) in [
        (k!("channel"), &ev.channel),
        (k!("provider_name"), &ev.provider),
        (k!("provider_guid"), &ev.provider_guid),
        (k!("computer_name"), &ev.computer),
        (k!("record_id"), &ev.record_id),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            w.str_field(key, v);
        }
    }
    if let Some(v) = d.version {
        w.u64_field(k!("version"), v.into());
    }
    // The task as its name, as Winlogbeat renders it, when the number is the known one.
    if let Some(task) = ev.task.as_deref().filter(|t| !t.is_empty()) {
        let name = d
            .info
            .filter(|i| task.parse::<u32>() == Ok(i.subcategory.task))
            .map_or(task, |i| i.subcategory.name);
        w.str_field(k!("task"), name);
    }
    if let Some(op) = ev.opcode.as_deref().filter(|o| !o.is_empty()) {
        w.str_field(k!("opcode"), if op == "0" { "Info" } else { op });
    }
    if let Some(success) = ev.outcome() {
        w.array(k!("keywords"));
        w.string(if success {
            "Audit Success"
        } else {
            "Audit Failure"
        });
        w.end_array();
    }
    if !d.data.is_empty() {
        // A name given more than once (crafted or broken XML, dotted and nested keys
        // together) is one key holding every value in order: a JSON object with a key twice
        // is rejected by Elasticsearch, and dropping a value would lose evidence.
        w.object(k!("event_data"));
        if d.data.len() <= 32 {
            for (i, (k, v)) in d.data.iter().enumerate() {
                if d.data[..i].iter().any(|(seen, _)| seen == k) {
                    continue;
                }
                let rest = d.data[i + 1..].iter().filter(|(other, _)| other == k);
                data_member(w, k, std::iter::once(&**v).chain(rest.map(|(_, v)| &**v)));
            }
        } else {
            // Many names: group through a map, so a crafted event costs linear time.
            let mut groups: HashMap<&str, Vec<&str>> = HashMap::new();
            let mut order = Vec::new();
            for (k, v) in &d.data {
                groups
                    .entry(k)
                    .or_insert_with(|| {
                        order.push(&**k);
                        Vec::new()
                    })
                    .push(v);
            }
            for k in order {
                data_member(w, k, groups[k].iter().copied());
            }
        }
        w.end_object();
    }
    w.end_object();
}

/// One `event_data` member: a string, or an array when the name came more than once.
fn data_member<'v>(w: &mut Json<'_>, key: &str, mut values: impl Iterator<Item = &'v str>) {
    w.key_escaped(key);
    let first = values.next().unwrap_or_default();
    match values.next() {
        None => w.string(first),
        Some(second) => {
            w.begin_array();
            w.string(first);
            w.string(second);
            values.for_each(|v| w.string(v));
            w.end_array();
        }
    }
}
