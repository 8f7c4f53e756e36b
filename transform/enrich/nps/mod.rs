//! `nps.*`: every attribute decoded under a name of its group. The table-driven groups come
//! from `super::tables`; the fields with structure of their own have a module each.

pub(crate) mod attributes;
pub(crate) mod class;
pub(crate) mod enforcement;
pub(crate) mod ms_chap;
pub(crate) mod system_event;
pub(crate) mod system_health;
pub(crate) mod vendor_specific;

use super::tables::{
    ACCT, CLIENT, EAP, LATER_GROUPS, MACHINE, NAS, POLICY, PROXY, QUARANTINE, TOP, USER, slots_of,
    write_fields, write_group,
};
use super::{Out, View, event};
use crate::codes::ids;
use crate::codes::reason;
use crate::record::Record;
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::time;
use crate::write::{Group, Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.service",
        "keyword",
        "IAS header Service-Name, Event-Source",
        "`IAS` or `RAS`.",
    ),
    Decl::full_only(
        "nps.reason.code",
        "long",
        "Reason-Code (4142)",
        "The NPS reason code (0: success).",
        "full; compact: unless it is 0 on a log-file line whose `event.outcome` is `success` (which says so)",
    ),
    Decl::full_only(
        "nps.reason.name",
        "keyword",
        "Reason-Code (4142)",
        "Its name in the reference's reason-code table.",
        "full (compact: `event.reason` says what a failure's code means)",
    ),
    Decl::full_only(
        "nps.reason.symbol",
        "keyword",
        "Reason-Code (4142)",
        "The `IAS_*` constant, where one is public.",
        "full",
    ),
    Decl::full_only(
        "nps.reason.text",
        "keyword",
        "Reason-Code (4142)",
        "What the code means.",
        "full (compact: `event.reason`)",
    ),
    Decl::new(
        "nps.event_timestamp",
        "date",
        "Event-Timestamp (55)",
        "The NAS's event time, UTC.",
    ),
];

/// `nps.*`. `attributes` is `None` for events (their raw data is `winlog.event_data`), else
/// whether the attributes can be written in input order without grouping.
pub(crate) fn write(
    w: &mut Json<'_>,
    v: &View<'_>,
    rec: &Record,
    attributes: Option<bool>,
    order: &mut Vec<u32>,
    groups: &mut Vec<(u32, u32)>,
    o: &mut Out,
) {
    w.object(k!("nps"));
    if let Some(svc) = v.header(rec.service) {
        w.str_field(k!("service"), svc);
    }
    // Top-level scalars, Reason-Code after Packet-Type.
    let mut top = Group::inline();
    let (first, rest) = TOP.split_at(1);
    write_fields(w, &mut top, v, first, o);
    if let Some(r) = v.code(ids::REASON_CODE) {
        o.carried(ids::REASON_CODE);
        // Compact: a line's `event.outcome: success` says its Reason-Code is 0.
        let said = !o.full
            && r == 0
            && o.twins.packet_action
            && event::outcome(v.code(ids::PACKET_TYPE), Some(r)) == "success";
        if !said {
            w.object(k!("reason"));
            w.u64_field(k!("code"), r.into());
            // Compact: the code only; `event.reason` says what a failure's code means.
            if o.full
                && let Some(x) = reason::lookup(r)
            {
                w.str_field(k!("name"), x.name);
                if let Some(sym) = x.symbol {
                    w.str_field(k!("symbol"), sym);
                }
                w.str_field(k!("text"), x.text);
            }
            w.end_object();
        }
    }
    write_fields(w, &mut top, v, rest, o);

    let mut g = Group::new(k!("user")); // User-Name may come from the IAS header
    write_fields(w, &mut g, v, USER, o);
    g.end(w);
    write_group(
        w,
        v,
        k!("machine"),
        MACHINE,
        const { &slots_of(MACHINE) },
        o,
    );
    write_group(w, v, k!("nas"), NAS, const { &slots_of(NAS) }, o);
    write_group(w, v, k!("client"), CLIENT, const { &slots_of(CLIENT) }, o);
    write_group(w, v, k!("policy"), POLICY, const { &slots_of(POLICY) }, o);
    write_group(w, v, k!("proxy"), PROXY, const { &slots_of(PROXY) }, o);
    write_group(w, v, k!("eap"), EAP, const { &slots_of(EAP) }, o);
    write_group(
        w,
        v,
        k!("quarantine"),
        QUARANTINE,
        const { &slots_of(QUARANTINE) },
        o,
    );
    enforcement::write(w, v, o);
    system_health::write(w, v, rec, o);
    write_group(w, v, k!("acct"), ACCT, const { &slots_of(ACCT) }, o);
    for (key, fields, slots) in LATER_GROUPS {
        write_group(w, v, key, fields, slots, o);
    }
    ms_chap::write(w, v, o);
    if let Some(c) = v.get_nonempty(ids::CLASS) {
        class::write(w, c, o);
    }
    if let Some(ts) = v
        .get_nonempty(ids::EVENT_TIMESTAMP)
        .and_then(|s| time::local_time_joined(s).or_else(|| time::unix_seconds(s)))
    {
        o.carried(ids::EVENT_TIMESTAMP);
        w.key(k!("event_timestamp"));
        w.rfc3339(&ts, 0);
    }
    vendor_specific::write(w, v, rec);
    if let Some(plain) = attributes {
        attributes::write(w, v, rec, plain, order, groups, o);
    }
    w.end_object();
}
