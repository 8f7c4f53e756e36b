//! `nps.class`: the Class attribute as NPS makes it.

use crate::codes::ids;
use crate::enrich::Out;
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::write::{Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.class.raw",
        "keyword",
        "Class (25)",
        "The Class as written: the same on a request, its response and the later accounting (search it to pair them).",
    ),
    Decl::full_only(
        "nps.class.vendor_id",
        "long",
        "Class (25)",
        "Vendor id NPS put first (311, Microsoft).",
        "full",
    ),
    Decl::full_only(
        "nps.class.server_ip",
        "ip",
        "Class (25)",
        "The NPS server's address in it.",
        "full",
    ),
    Decl::full_only(
        "nps.class.started",
        "date",
        "Class (25)",
        "When the NPS session began (read as UTC).",
        "full",
    ),
    Decl::full_only(
        "nps.class.serial",
        "long",
        "Class (25)",
        "The session serial number.",
        "full",
    ),
];

pub(crate) fn write(w: &mut Json<'_>, raw: &str, o: &mut Out) {
    o.carried(ids::CLASS);
    w.object(k!("class"));
    // `raw` in both profiles: it is the key that pairs a request, its response and the
    // session's accounting. Its parts, read from it, only in full: each fact once.
    w.str_field(k!("raw"), raw);
    if o.full
        && let Some(c) = crate::class::parse(raw)
    {
        w.u64_field(k!("vendor_id"), c.vendor_id.into());
        w.str_field(k!("server_ip"), c.server_ip);
        w.key(k!("started"));
        w.rfc3339(&c.started, 0);
        w.u64_field(k!("serial"), c.serial);
    }
    w.end_object();
}
