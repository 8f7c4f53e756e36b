//! `ipsec.*`: the IPsec driver events' peer, SPI and error, and what each event means for
//! the network's protection.

#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::winevent::Digest;
use crate::write::{Group, Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "ipsec.remote_address",
        "keyword",
        "RemoteAddress",
        "The peer's address.",
    ),
    Decl::new(
        "ipsec.spi",
        "long",
        "SPI",
        "The security parameter index (decimal or `0x` hex in the event).",
    ),
    Decl::new(
        "ipsec.spi_raw",
        "keyword",
        "SPI",
        "The SPI as written, when it is not a number.",
    ),
    Decl::new(
        "ipsec.error",
        "keyword",
        "Error",
        "The driver's error text.",
    ),
    Decl::new(
        "ipsec.meaning",
        "keyword",
        "event id",
        "Microsoft's title for the event.",
    ),
    Decl::new(
        "ipsec.guidance",
        "text",
        "event id",
        "What the event means for the network's protection and what to do.",
    ),
    Decl::new(
        "ipsec.severity",
        "keyword",
        "event id",
        "`low`, `medium`, `high` or `critical`.",
    ),
    Decl::new(
        "ipsec.audit.subcategory",
        "keyword",
        "event id",
        "The audit subcategory that logs the event (IPsec Driver).",
    ),
    Decl::new(
        "ipsec.audit.subcategory_guid",
        "keyword",
        "event id",
        "Its GUID, for auditpol.",
    ),
    Decl::new(
        "ipsec.audit.recommended_setting",
        "keyword",
        "CIS benchmark",
        "`Success and Failure`.",
    ),
    Decl::new(
        "ipsec.audit.benchmark",
        "keyword",
        "CIS benchmark",
        "`CIS 17.9.1`.",
    ),
    Decl::new(
        "ipsec.audit.cce",
        "keyword",
        "CIS benchmark",
        "`CCE-37853-9`.",
    ),
];

/// `ipsec.*`: the driver event's data, what it means, and the audit setting it needs.
pub(crate) fn write(w: &mut Json<'_>, d: &Digest<'_>) {
    let Some(info) = d.info else { return };
    w.object(k!("ipsec"));
    if let Some(addr) = d.get("RemoteAddress") {
        w.str_field(k!("remote_address"), addr);
    }
    if let Some(spi) = d.get("SPI") {
        let n = match spi.strip_prefix("0x").or_else(|| spi.strip_prefix("0X")) {
            Some(h) => u64::from_str_radix(h, 16).ok(),
            None => spi.parse::<u64>().ok(),
        };
        match n {
            Some(n) => w.u64_field(k!("spi"), n),
            None => w.str_field(k!("spi_raw"), spi),
        }
    }
    if let Some(err) = d.get("Error") {
        w.str_field(k!("error"), err);
    }
    w.str_field(k!("meaning"), info.title);
    if let Some(g) = info.guidance {
        w.str_field(k!("guidance"), g);
    }
    if let Some((_, label)) = info.severity {
        w.str_field(k!("severity"), label);
    }
    let sub = info.subcategory;
    let mut g = Group::new(k!("audit"));
    g.enter(w);
    w.str_field(k!("subcategory"), sub.name);
    w.str_field(k!("subcategory_guid"), sub.guid);
    if let Some((setting, benchmark, cce)) = sub.recommended {
        w.str_field(k!("recommended_setting"), setting);
        w.str_field(k!("benchmark"), benchmark);
        w.str_field(k!("cce"), cce);
    }
    g.end(w);
    w.end_object();
}
