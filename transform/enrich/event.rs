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
use crate::write::{Json, k};
use std::borrow::Cow;

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

/// What `event.*` says of one record, a log-file line's or a Windows event's: the two
/// readers below fill it, [`write`] writes it.
pub(crate) struct Header<'a> {
    action: Option<&'a str>,
    category: &'a [&'a str],
    kind: &'a [&'a str],
    outcome: &'static str,
    reason: Option<Cow<'a, str>>,
    code: Option<u32>,
    provider: Option<&'a str>,
    severity: Option<u8>,
    dataset: Option<&'static str>,
    module: &'static str,
}

impl<'a> Header<'a> {
    /// A log-file line's: from Packet-Type, Reason-Code and Acct-Status-Type.
    pub(crate) fn of_line(v: &View<'_>, format: Option<Format>) -> Self {
        let packet = v.code(ids::PACKET_TYPE);
        let reason_code = v.code(ids::REASON_CODE);
        let (action, category, kind) = classify(packet, v.code(ids::ACCT_STATUS_TYPE));
        let reason = reason_code
            .filter(|&r| r != 0)
            .map(|r| match reason::lookup(r) {
                Some(x) => Cow::Borrowed(x.text),
                None => Cow::Owned(format!("reason code {r}")),
            });
        Header {
            action,
            category,
            kind,
            outcome: outcome(packet, reason_code),
            reason,
            code: None,
            provider: None,
            severity: None,
            dataset: format.map(Format::dataset),
            module: "nps",
        }
    }

    /// A Windows event's: from the event catalogue and its audit keywords.
    pub(crate) fn of_event(d: &'a Digest<'a>) -> Self {
        let (action, category, kind) = match (d.info, d.system) {
            (Some(i), _) => (Some(i.action), i.category, i.kind),
            (None, Some(s)) => (Some(s.action), s.category, s.kind),
            (None, None) => (None, &[][..], &[][..]),
        };
        let reason = (d.is_nps() || d.system.is_some())
            .then(|| event_reason(d))
            .flatten()
            .filter(|r| !r.is_empty());
        Header {
            action,
            category,
            kind,
            outcome: match d.success {
                Some(true) => "success",
                Some(false) => "failure",
                None => "unknown",
            },
            reason,
            code: d.ev.event_id,
            provider: d.ev.provider.as_deref(),
            severity: d.info.and_then(|i| i.severity).map(|(sev, _)| sev),
            dataset: Some(if d.is_system() {
                "windows.system"
            } else {
                "windows.security"
            }),
            module: if d.is_nps() || d.is_system() {
                "nps"
            } else if d.is_ipsec() {
                "ipsec"
            } else {
                "windows"
            },
        }
    }
}

/// An event's `event.reason`: a System event's message, else the event's own Reason text,
/// else the meaning of its non-zero ReasonCode.
fn event_reason<'a>(d: &'a Digest<'a>) -> Option<Cow<'a, str>> {
    if let Some(s) = d.system {
        return Some(Cow::Owned(s.render(&d.inserts())));
    }
    if let Some(r) = d.get("Reason") {
        return Some(Cow::Borrowed(r));
    }
    let code: u32 = d.get("ReasonCode")?.parse().ok()?;
    (code != 0).then(|| Cow::Borrowed(reason::lookup(code).map_or("", |r| r.text)))
}

/// `event.*`, the one writer for lines and events.
pub(crate) fn write(w: &mut Json<'_>, h: &Header<'_>, id: &EventId, original: Option<&str>) {
    w.object(k!("event"));
    w.str_field(k!("kind"), "event");
    w.key(k!("id"));
    w.raw_string(id.as_bytes());
    if !h.category.is_empty() {
        w.array(k!("category"));
        for c in h.category {
            w.string(c);
        }
        w.end_array();
        w.array(k!("type"));
        for t in h.kind {
            w.string(t);
        }
        w.end_array();
    }
    if let Some(a) = h.action {
        w.str_field(k!("action"), a);
    }
    w.str_field(k!("outcome"), h.outcome);
    if let Some(r) = &h.reason {
        w.str_field(k!("reason"), r);
    }
    if let Some(c) = h.code {
        w.key(k!("code"));
        w.raw_string(itoa::Buffer::new().format(c).as_bytes());
    }
    if let Some(p) = h.provider {
        w.str_field(k!("provider"), p);
    }
    if let Some(sev) = h.severity {
        w.u64_field(k!("severity"), sev.into());
    }
    if let Some(d) = h.dataset {
        w.str_field(k!("dataset"), d);
    }
    w.str_field(k!("module"), h.module);
    if let Some(o) = original {
        w.str_field(k!("original"), o);
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
