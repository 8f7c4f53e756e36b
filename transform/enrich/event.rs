//! `event.*`: what happened. For a log-file line from Packet-Type, Reason-Code and
//! Acct-Status-Type; for a Windows event from the event catalogue and its audit keywords.

use super::View;
use crate::Format;
use crate::codes::ids;
use crate::codes::reason;
use crate::event_id::EventId;
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::winevent::Digest;
use crate::write::Json;

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "event.kind",
        "keyword",
        "-",
        "`event`, or `pipeline_error` for a line that could not be read.",
    ),
    Decl::new(
        "event.id",
        "keyword",
        "the line and its position; an event's record id",
        "On every document, error documents too: the same line at the same place always gets the same id, across restarts and re-reads, so a sink that uses it as its document id (Elasticsearch `_id`) stores a replayed line once. 32 lowercase hex digits; how it is made: *How `event.id` is made* below.",
    ),
    Decl::new(
        "event.category",
        "keyword[]",
        "Packet-Type (4136), Acct-Status-Type (40), event id",
        "ECS categories: `authentication`, `network`, `session`, `iam`, `process`, `configuration`.",
    ),
    Decl::new(
        "event.type",
        "keyword[]",
        "Packet-Type (4136), Acct-Status-Type (40), event id",
        "ECS types: `start`, `end`, `allowed`, `denied`, `info`, `user`, `change`, `error`.",
    ),
    Decl::new(
        "event.action",
        "keyword",
        "Packet-Type (4136), event id",
        "`access-request`, `access-accept`, `access-reject`, `access-challenge`, `accounting-request`, …; for events `nps-access-granted`, `nps-access-denied`, `ipsec-replay-check-failed`, …",
    ),
    Decl::new(
        "event.outcome",
        "keyword",
        "Reason-Code (4142), Packet-Type (4136), event keywords",
        "`success`, `failure` or `unknown`.",
    ),
    Decl::new(
        "event.reason",
        "keyword",
        "Reason-Code (4142), event Reason",
        "Why a request failed, in words.",
    ),
    Decl::new(
        "event.dataset",
        "keyword",
        "format",
        "`nps.ias`, `nps.odbc`, `nps.dts`, `windows.security`, `windows.system` (NPS's own System-log events).",
    ),
    Decl::new(
        "event.module",
        "keyword",
        "format",
        "`nps`, `ipsec` or `windows`.",
    ),
    Decl::new(
        "event.original",
        "text",
        "the line",
        "The input line: with --keep-original, and always on error documents (an envelope's inner line).",
    ),
    Decl::new(
        "event.code",
        "keyword",
        "event id",
        "The Windows event id (`\"6273\"`).",
    ),
    Decl::new(
        "event.provider",
        "keyword",
        "event provider",
        "The event's provider (`Microsoft-Windows-Security-Auditing`).",
    ),
    Decl::new(
        "event.severity",
        "long",
        "event id",
        "IPsec driver events: 21, 47, 73 or 99 (low to critical).",
    ),
];

/// `event.*`: what happened, from Packet-Type, Reason-Code and Acct-Status-Type.
pub(crate) fn write(
    w: &mut Json<'_>,
    v: &View<'_>,
    format: Option<Format>,
    id: &EventId,
    original: Option<&str>,
) {
    let packet = v.code(ids::PACKET_TYPE);
    let reason_code = v.code(ids::REASON_CODE);
    let status = v.code(ids::ACCT_STATUS_TYPE);
    let (action, category, kind) = classify(packet, status);
    let outcome = outcome(packet, reason_code);
    w.object("event");
    w.str_field("kind", "event");
    w.key("id");
    w.raw_string(id.as_bytes());
    write_kinds(w, category, kind);
    if let Some(a) = action {
        w.str_field("action", a);
    }
    w.str_field("outcome", outcome);
    if let Some(r) = reason_code.filter(|&r| r != 0) {
        w.key("reason");
        match reason::lookup(r) {
            Some(x) => w.string(x.text),
            None => {
                let mut b = itoa::Buffer::new();
                let mut s = String::from("reason code ");
                s.push_str(b.format(r));
                w.string(&s);
            }
        }
    }
    if let Some(f) = format {
        w.str_field("dataset", f.dataset());
    }
    w.str_field("module", "nps");
    if let Some(o) = original {
        w.str_field("original", o);
    }
    w.end_object();
}

/// `event.action`, `category` and `type` of a Packet-Type (and Acct-Status-Type).
fn classify(
    packet: Option<u32>,
    status: Option<u32>,
) -> (
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
) {
    match packet {
        Some(1) => (Some("access-request"), &["authentication"], &["start"]),
        Some(2) => (
            Some("access-accept"),
            &["authentication", "network"],
            &["start", "allowed"],
        ),
        Some(3) => (
            Some("access-reject"),
            &["authentication", "network"],
            &["start", "denied"],
        ),
        Some(11) => (Some("access-challenge"), &["authentication"], &["info"]),
        Some(4) => (
            Some("accounting-request"),
            &["session"],
            match status {
                Some(1) => &["start"],
                Some(2) => &["end"],
                _ => &["info"],
            },
        ),
        Some(5) => (Some("accounting-response"), &["session"], &["info"]),
        Some(12) => (Some("status-server"), &["network"], &["info"]),
        Some(13) => (Some("status-client"), &["network"], &["info"]),
        _ => (None, &["network"], &["info"]),
    }
}

/// `event.outcome` of a Packet-Type and Reason-Code.
pub(crate) fn outcome(packet: Option<u32>, reason: Option<u32>) -> &'static str {
    match (packet, reason) {
        (_, Some(r)) if r != 0 => "failure",
        (Some(2 | 4 | 5), _) => "success",
        (Some(3), _) => "failure",
        _ => "unknown",
    }
}

/// Whether `event.action` names this Packet-Type (then the compact profile leaves
/// `nps.packet_type` out of a log-file line's document).
pub(crate) fn names_packet(code: u32) -> bool {
    classify(Some(code), None).0.is_some()
}

/// `event.*` for a Windows event.
pub(crate) fn write_for_event(
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
        write_kinds(w, category, kind);
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

/// `event.category` and `event.type`, the same for a log line and a Windows event.
fn write_kinds(w: &mut Json<'_>, category: &[&str], kind: &[&str]) {
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
}
