//! The event-only parts of a document: `event.*` from the event catalogue and the audit
//! keywords, `winlog.*` as Winlogbeat names it (so its dashboards keep working),
//! `ipsec.*` for the IPsec driver events, and `nps.*` for NPS's own System-log events.

use super::Digest;
use crate::codes::system_events::Param;
use crate::event_id::EventId;
use crate::write::{Group, Json};
use std::collections::HashMap;

/// `event.*` for a Windows event.
pub(crate) fn write_event_block(
    w: &mut Json<'_>,
    d: &Digest<'_>,
    id: &EventId,
    original: Option<&str>,
) {
    w.object("event");
    w.str_field("kind", "event");
    w.key("id");
    w.raw_string(id.as_bytes());
    let kinds = match (d.info, d.system) {
        (Some(i), _) => Some((i.category, i.kind, i.action)),
        (None, Some(s)) => Some((s.category, s.kind, s.action)),
        (None, None) => None,
    };
    if let Some((category, kind, action)) = kinds {
        w.array("category");
        for c in category {
            w.string(c);
        }
        w.end_array();
        w.array("type");
        for t in kind {
            w.string(t);
        }
        w.end_array();
        w.str_field("action", action);
    }
    let outcome = match d.success {
        Some(true) => "success",
        Some(false) => "failure",
        None => "unknown",
    };
    w.str_field("outcome", outcome);
    if (d.is_nps() || d.system.is_some())
        && let Some(r) = d.reason().filter(|r| !r.is_empty())
    {
        w.str_field("reason", &r);
    }
    if let Some(id) = d.ev.event_id {
        w.key("code");
        w.raw_string(itoa::Buffer::new().format(id).as_bytes());
    }
    if let Some(p) = &d.ev.provider {
        w.str_field("provider", p);
    }
    if let Some((sev, _)) = d.info.and_then(|i| i.severity) {
        w.u64_field("severity", sev.into());
    }
    let dataset = match d.is_system() {
        true => "windows.system",
        false => "windows.security",
    };
    w.str_field("dataset", dataset);
    let module = if d.is_nps() || d.is_system() {
        "nps"
    } else if d.is_ipsec() {
        "ipsec"
    } else {
        "windows"
    };
    w.str_field("module", module);
    if let Some(o) = original {
        w.str_field("original", o);
    }
    w.end_object();
}

/// `winlog.*`: the event header and EventData by name, as Winlogbeat 7.13+ writes them.
pub(crate) fn write_winlog(w: &mut Json<'_>, d: &Digest<'_>) {
    let ev = d.ev;
    w.object("winlog");
    if let Some(id) = ev.event_id {
        w.key("event_id");
        w.raw_string(itoa::Buffer::new().format(id).as_bytes());
    }
    for (key, value) in [
        ("channel", &ev.channel),
        ("provider_name", &ev.provider),
        ("provider_guid", &ev.provider_guid),
        ("computer_name", &ev.computer),
        ("record_id", &ev.record_id),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            w.str_field(key, v);
        }
    }
    if let Some(v) = d.version {
        w.u64_field("version", v.into());
    }
    // The task as its name, as Winlogbeat renders it, when the number is the known one.
    if let Some(task) = ev.task.as_deref().filter(|t| !t.is_empty()) {
        let name = d
            .info
            .filter(|i| task.parse::<u32>() == Ok(i.subcategory.task))
            .map_or(task, |i| i.subcategory.name);
        w.str_field("task", name);
    }
    if let Some(op) = ev.opcode.as_deref().filter(|o| !o.is_empty()) {
        w.str_field("opcode", if op == "0" { "Info" } else { op });
    }
    if let Some(success) = ev.outcome() {
        w.array("keywords");
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
        w.object("event_data");
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

/// `nps.*` for an NPS System event: the RADIUS client, the domain controller and domain, and
/// what Microsoft says to do. Nothing for an id the table does not have (its
/// data is in `winlog.event_data`).
pub(crate) fn write_system(w: &mut Json<'_>, d: &Digest<'_>, full: bool) {
    let Some(row) = d.system else { return };
    // As for log lines, the compact profile leaves it out where `observer.ip` holds it (a
    // configured client); an unknown client's address is no observer, so it stays.
    let client = d
        .peer_ip()
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
        .filter(|ip| full || d.radius_client() != Some(*ip));
    // Every member is optional (a client given by name has no `client.ip`): no empty objects.
    let mut nps = Group::new("nps");
    if let Some(ip) = client {
        nps.enter(w);
        w.object("client");
        w.str_field("ip", ip);
        w.end_object();
    }
    if let Some(dc) = d.system_param(Param::DomainController) {
        nps.enter(w);
        w.str_field("domain_controller", dc);
    }
    if let Some(domain) = d.system_param(Param::Domain) {
        nps.enter(w);
        w.str_field("domain", domain);
    }
    if row.symbol.is_some() || row.guidance.is_some() {
        nps.enter(w);
        w.object("system_event");
        if let Some(symbol) = row.symbol {
            w.str_field("symbol", symbol);
        }
        if let Some(text) = row.guidance {
            w.str_field("guidance", text);
        }
        w.end_object();
    }
    nps.end(w);
}

/// `ipsec.*`: the driver event's data, what it means, and the audit setting it needs.
pub(crate) fn write_ipsec(w: &mut Json<'_>, d: &Digest<'_>) {
    let Some(info) = d.info else { return };
    w.object("ipsec");
    if let Some(addr) = d.get("RemoteAddress") {
        w.str_field("remote_address", addr);
    }
    if let Some(spi) = d.get("SPI") {
        let n = match spi.strip_prefix("0x").or_else(|| spi.strip_prefix("0X")) {
            Some(h) => u64::from_str_radix(h, 16).ok(),
            None => spi.parse::<u64>().ok(),
        };
        match n {
            Some(n) => w.u64_field("spi", n),
            None => w.str_field("spi_raw", spi),
        }
    }
    if let Some(err) = d.get("Error") {
        w.str_field("error", err);
    }
    w.str_field("meaning", info.title);
    if let Some(g) = info.guidance {
        w.str_field("guidance", g);
    }
    if let Some((_, label)) = info.severity {
        w.str_field("severity", label);
    }
    let sub = info.subcategory;
    let mut g = Group::new("audit");
    g.enter(w);
    w.str_field("subcategory", sub.name);
    w.str_field("subcategory_guid", sub.guid);
    if let Some((setting, benchmark, cce)) = sub.recommended {
        w.str_field("recommended_setting", setting);
        w.str_field("benchmark", benchmark);
        w.str_field("cce", cce);
    }
    g.end(w);
    w.end_object();
}
