//! NPS's own operational events in the System log (provider `NPS`; `IAS` on Windows 2003 and
//! earlier), as opposed to the Security-log audit events of `events.rs`.
//!
//! Sources, named per row in `source`:
//! - Microsoft, "Event ID 14 — RADIUS Client Communication" (Windows Server 2008),
//!   <https://technet.microsoft.com/en-us/library/cc735357(v=ws.10).aspx>: id, source NPS,
//!   symbolic name, message, resolution.
//! - Microsoft, "Event ID 22 — RADIUS Client Availability" (Windows Server 2008),
//!   <https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/cc735373(v=ws.10)>,
//!   and "Event ID 23 — RADIUS Client Availability",
//!   <https://learn.microsoft.com/es-es/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/cc735401(v=ws.10)>
//!   (English text; the family page "RADIUS Client Availability" for 2008 R2,
//!   <https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd316102(v=ws.10)>,
//!   lists both).
//! - Events 13, 17 and 4400–4402: no Microsoft "Event ID N" page was found; ids and message
//!   texts come from the public list "Microsoft Network Policy Server (NPS) Event IDs",
//!   <https://pastebin.com/kneU7mue>, and agree with the kinds of failure Microsoft's
//!   "NPS Events and Event Viewer" page says NPS writes to the System log (an unknown RADIUS
//!   client, an invalid message authenticator, a domain NPS cannot reach),
//!   <http://technet.microsoft.com/en-us/library/cc753898(v=ws.10).aspx>. Their symbolic names
//!   are not published there, so none is given. The README's decisions section says so.
//!
//! Levels are not in the table: the pages do not give them, and the event's own header has it.

/// What an insertion string (`%1`, `%2`, …) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A configured RADIUS client's address (the network access server).
    ClientIp,
    /// The address a RADIUS message came from that is not a configured RADIUS client.
    InvalidClientIp,
    /// A domain controller's name.
    DomainController,
    /// A domain's name.
    Domain,
}

/// One System-log event id of NPS.
#[derive(Debug)]
pub struct SystemEvent {
    pub id: u32,
    /// Microsoft's symbolic name, where a Microsoft page gives it.
    pub symbol: Option<&'static str>,
    /// The message template, `%1`… as the insertion strings.
    pub message: &'static str,
    /// What `%1`, `%2`, … hold, in order.
    pub params: &'static [Param],
    /// `event.action`.
    pub action: &'static str,
    pub category: &'static [&'static str],
    pub kind: &'static [&'static str],
    /// `event.outcome`: `Some(true)` success, `Some(false)` failure.
    pub success: Option<bool>,
    /// What to do, paraphrasing Microsoft's resolution (None where it gives none).
    pub guidance: Option<&'static str>,
    /// The page the row is taken from.
    pub source: &'static str,
}

const RADIUS_CLIENT_COMMUNICATION_14: &str =
    "Microsoft, Event ID 14 — RADIUS Client Communication (cc735357)";
const RADIUS_CLIENT_AVAILABILITY_22: &str =
    "Microsoft, Event ID 22 — RADIUS Client Availability (cc735373)";
const RADIUS_CLIENT_AVAILABILITY_23: &str =
    "Microsoft, Event ID 23 — RADIUS Client Availability (cc735401)";
const PUBLIC_LIST: &str = "Microsoft Network Policy Server (NPS) Event IDs (pastebin.com/kneU7mue)";

const WINSOCK_GUIDANCE: &str = "The event data holds a Windows Sockets error code: look it up \
    to find why NPS could not reach the RADIUS client, fix that network condition, then check \
    that a client can connect through that RADIUS client again.";

/// Sorted by id (checked by a test).
pub static SYSTEM_EVENTS: &[SystemEvent] = &[
    SystemEvent {
        id: 13,
        symbol: None,
        message: "A RADIUS message was received from the invalid RADIUS client IP address %1.",
        params: &[Param::InvalidClientIp],
        action: "nps-radius-client-invalid",
        category: &["network"],
        kind: &["denied"],
        success: Some(false),
        guidance: None,
        source: PUBLIC_LIST,
    },
    SystemEvent {
        id: 14,
        symbol: Some("RADIUS_E_BAD_AUTHENTICATOR"),
        message: "A RADIUS message was received from RADIUS client %1 with an invalid \
            authenticator. This is typically caused by mismatched shared secrets. Verify the \
            configuration of the shared secret for the RADIUS client in the Network Policy \
            Server snap-in and the configuration of the network access server.",
        params: &[Param::ClientIp],
        action: "nps-radius-authenticator-invalid",
        category: &["network"],
        kind: &["denied"],
        success: Some(false),
        guidance: Some(
            "The RADIUS client's entry in NPS (shared secret, address) does not match the \
             network access server, or the device sends messages larger than RADIUS allows: \
             compare the shared secret and address in NPS with the device's; if they agree, \
             check with the vendor that the device follows the RADIUS RFCs and update it.",
        ),
        source: RADIUS_CLIENT_COMMUNICATION_14,
    },
    SystemEvent {
        id: 17,
        symbol: None,
        message: "An Access-Request message was received from RADIUS client %1 without a \
            Message-Authenticator attribute when a Message-Authenticator attribute is \
            required. Verify the configuration of the RADIUS client in the Network Policy \
            Server snap-in (the \"Client must always send the Message-Authenticator attribute \
            in the request\" checkbox) and the configuration of the network access server.",
        params: &[Param::ClientIp],
        action: "nps-radius-message-authenticator-missing",
        category: &["network"],
        kind: &["denied"],
        success: Some(false),
        guidance: Some(
            "NPS requires a Message-Authenticator from this RADIUS client and the request had \
             none: make the device send it, or clear the client's \"must always send the \
             Message-Authenticator\" setting in NPS if that is intended.",
        ),
        source: PUBLIC_LIST,
    },
    SystemEvent {
        id: 22,
        symbol: Some("RADIUS_E_CANT_SEND_RESPONSE"),
        message: "The Network Policy Server (NPS) could not send a response due to a network \
            error. The data is the error code generated by Windows Sockets.",
        params: &[],
        action: "nps-radius-response-send-failed",
        category: &["network"],
        kind: &["error"],
        success: Some(false),
        guidance: Some(WINSOCK_GUIDANCE),
        source: RADIUS_CLIENT_AVAILABILITY_22,
    },
    SystemEvent {
        id: 23,
        symbol: Some("RADIUS_E_ERRORS_OCCURRED"),
        // Microsoft's page gives the symbolic name as the message.
        message: "RADIUS_E_ERRORS_OCCURRED",
        params: &[],
        action: "nps-radius-errors-occurred",
        category: &["network"],
        kind: &["error"],
        success: Some(false),
        guidance: Some(WINSOCK_GUIDANCE),
        source: RADIUS_CLIENT_AVAILABILITY_23,
    },
    SystemEvent {
        id: 4400,
        symbol: None,
        message: "A LDAP connection with domain controller %1 for domain %2 is established.",
        params: &[Param::DomainController, Param::Domain],
        action: "nps-dc-connection-established",
        category: &["network"],
        kind: &["start"],
        success: Some(true),
        guidance: None,
        source: PUBLIC_LIST,
    },
    SystemEvent {
        id: 4401,
        symbol: None,
        message: "Domain controller %1 for domain %2 is not responsive. NPS switches to other \
            DCs.",
        params: &[Param::DomainController, Param::Domain],
        action: "nps-dc-not-responsive",
        category: &["network"],
        kind: &["error"],
        success: Some(false),
        guidance: None,
        source: PUBLIC_LIST,
    },
    SystemEvent {
        id: 4402,
        symbol: None,
        message: "There is no domain controller available for domain %1.",
        params: &[Param::Domain],
        action: "nps-dc-unavailable",
        category: &["network"],
        kind: &["error"],
        success: Some(false),
        guidance: None,
        source: PUBLIC_LIST,
    },
];

/// True for the providers NPS writes its System events as (`NPS`; `IAS` before 2008).
pub fn is_provider(name: &str) -> bool {
    let name = name.trim();
    name.eq_ignore_ascii_case("NPS") || name.eq_ignore_ascii_case("IAS")
}

pub fn lookup(id: u32) -> Option<&'static SystemEvent> {
    SYSTEM_EVENTS
        .binary_search_by_key(&id, |e| e.id)
        .ok()
        .map(|i| &SYSTEM_EVENTS[i])
}

impl SystemEvent {
    /// The value of the first insertion string that holds `what`.
    pub fn param<'p>(&self, what: Param, inserts: &[&'p str]) -> Option<&'p str> {
        let i = self.params.iter().position(|p| *p == what)?;
        inserts.get(i).copied().filter(|v| !v.is_empty())
    }

    /// The message with `%N` replaced by the N-th insertion string (left as `%N` when the
    /// event has no such string, so a short event still reads as the template).
    pub fn render(&self, inserts: &[&str]) -> String {
        let mut out = String::with_capacity(self.message.len() + 32);
        let mut rest = self.message;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            let tail = &rest[at + 1..];
            let n = tail.bytes().take_while(u8::is_ascii_digit).count();
            let value = tail[..n]
                .parse::<usize>()
                .ok()
                .and_then(|k| k.checked_sub(1))
                .and_then(|k| inserts.get(k));
            match value {
                Some(v) => out.push_str(v),
                None => out.push_str(&rest[at..at + 1 + n]),
            }
            rest = &tail[n..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted() {
        crate::codes::assert_sorted_unique("SYSTEM_EVENTS", SYSTEM_EVENTS, |e| e.id);
    }

    // Read by hand from the pages named above.
    #[test]
    fn spot_values() {
        let e14 = lookup(14).unwrap();
        assert_eq!(e14.symbol, Some("RADIUS_E_BAD_AUTHENTICATOR"));
        assert!(e14.message.starts_with(
            "A RADIUS message was received from RADIUS client %1 with an invalid authenticator."
        ));
        assert_eq!(e14.params, [Param::ClientIp]);
        assert_eq!(
            lookup(22).unwrap().symbol,
            Some("RADIUS_E_CANT_SEND_RESPONSE")
        );
        assert_eq!(lookup(23).unwrap().symbol, Some("RADIUS_E_ERRORS_OCCURRED"));
        assert_eq!(
            lookup(4401).unwrap().params,
            [Param::DomainController, Param::Domain]
        );
        assert_eq!(lookup(4402).unwrap().params, [Param::Domain]);
        assert_eq!(lookup(4400).unwrap().success, Some(true));
        assert_eq!(lookup(13).unwrap().params, [Param::InvalidClientIp]);
        assert!(lookup(12).is_none() && lookup(6272).is_none());
        // Every %N in a template has a parameter, and no parameter is left unused.
        for e in SYSTEM_EVENTS {
            for (i, _) in e.params.iter().enumerate() {
                assert!(e.message.contains(&format!("%{}", i + 1)), "{}", e.id);
            }
            assert!(!e.message.contains(&format!("%{}", e.params.len() + 1)));
        }
    }

    #[test]
    fn providers() {
        assert!(is_provider("NPS") && is_provider("IAS") && is_provider("nps"));
        assert!(!is_provider("Microsoft-Windows-Security-Auditing"));
        assert!(!is_provider("RemoteAccess"));
    }

    #[test]
    fn render_fills_the_positions() {
        let e = lookup(4401).unwrap();
        assert_eq!(
            e.render(&["DC01.corp.example", "CORP"]),
            "Domain controller DC01.corp.example for domain CORP is not responsive. NPS \
             switches to other DCs."
        );
        // A missing string stays a placeholder; a value with % is not re-expanded.
        assert_eq!(
            e.render(&["50%1"]),
            "Domain controller 50%1 for domain %2 is not responsive. NPS switches to other DCs."
        );
        assert_eq!(e.param(Param::Domain, &["DC01", "CORP"]), Some("CORP"));
        assert_eq!(e.param(Param::ClientIp, &["DC01", "CORP"]), None);
        assert_eq!(e.param(Param::Domain, &["DC01"]), None);
    }
}
