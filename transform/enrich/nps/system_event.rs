//! `nps.*` of NPS's own System-log events: the domain controller and domain they name,
//! the event's symbolic name and Microsoft's guidance.

use crate::codes::system_events::Param;
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::winevent::Digest;
use crate::write::{Group, Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.domain_controller",
        "keyword",
        "NPS System events 4400, 4401",
        "The domain controller NPS connected to, or found not responding.",
    ),
    Decl::new(
        "nps.domain",
        "keyword",
        "NPS System events 4400–4402",
        "The domain whose domain controllers the event is about.",
    ),
    Decl::new(
        "nps.system_event.symbol",
        "keyword",
        "NPS System event id",
        "Microsoft's symbolic name for the event (`RADIUS_E_BAD_AUTHENTICATOR`), where Microsoft publishes one.",
    ),
    Decl::new(
        "nps.system_event.guidance",
        "text",
        "NPS System event id",
        "What Microsoft's page for the event says to do, in short.",
    ),
];

/// `nps.*` for an NPS System event: the RADIUS client, the domain controller and domain, and
/// what Microsoft says to do. Nothing for an id the table does not have (its
/// data is in `winlog.event_data`).
pub(crate) fn write(w: &mut Json<'_>, d: &Digest<'_>, full: bool) {
    let Some(row) = d.system else { return };
    // As for log lines, the compact profile leaves it out where `observer.ip` holds it (a
    // configured client); an unknown client's address is no observer, so it stays.
    let client = d
        .peer_ip()
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
        .filter(|ip| full || d.radius_client() != Some(*ip));
    // Every member is optional (a client given by name has no `client.ip`): no empty objects.
    let mut nps = Group::new(k!("nps"));
    if let Some(ip) = client {
        nps.enter(w);
        w.object(k!("client"));
        w.str_field(k!("ip"), ip);
        w.end_object();
    }
    if let Some(dc) = d.system_param(Param::DomainController) {
        nps.enter(w);
        w.str_field(k!("domain_controller"), dc);
    }
    if let Some(domain) = d.system_param(Param::Domain) {
        nps.enter(w);
        w.str_field(k!("domain"), domain);
    }
    if row.symbol.is_some() || row.guidance.is_some() {
        nps.enter(w);
        w.object(k!("system_event"));
        if let Some(symbol) = row.symbol {
            w.str_field(k!("symbol"), symbol);
        }
        if let Some(text) = row.guidance {
            w.str_field(k!("guidance"), text);
        }
        w.end_object();
    }
    nps.end(w);
}
