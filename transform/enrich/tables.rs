//! Which attribute fills which `nps.*` field, as data: one table per group, in the order
//! the fields are written, and the writer of one table-driven field.

use super::index::{SLOT_WORDS, slot};
use super::values::{is_ip, text_from_hex};
use super::{Out, View};
use crate::codes::Table;
use crate::codes::enums as e;
use crate::codes::vendor;
use crate::record::Form;
use crate::write::{Group, Json, K, k};

/// How a field's value is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// Non-empty text.
    Text,
    /// A number (dropped if the value is not one).
    Num,
    /// An IP address (dropped if the value is not one, so `ip`-typed fields never reject).
    Ip,
    /// `{code, name}` through a value table.
    Code(&'static Table),
    /// `{code, flags: [...]}` through a bit table (bit index, name).
    Bits(&'static [(u32, &'static str)]),
}

/// The ECS field that carries the same fact as an `nps.*` field: the compact profile leaves
/// the `nps.*` one out when the two values are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Twin {
    None,
    ObserverIp,
    ObserverName,
    RuleName,
    RuleRuleset,
    /// `source.ip` / `source.mac`, from Calling-Station-Id.
    Source,
    /// `user.name` and `user.domain`, split from this value.
    User,
    /// `event.action`, which names a log-file line's Packet-Type.
    EventAction,
}

impl Twin {
    /// When the compact profile leaves the field out, as the output reference says it.
    #[cfg(feature = "internals")]
    const fn profile_note(self) -> Option<&'static str> {
        match self {
            Twin::None => None,
            Twin::ObserverIp => Some("full; compact: when it differs from `observer.ip`"),
            Twin::ObserverName => Some("full; compact: when it differs from `observer.name`"),
            Twin::RuleName => Some("full; compact: when it differs from `rule.name`"),
            Twin::RuleRuleset => Some("full; compact: when it differs from `rule.ruleset`"),
            Twin::Source => {
                Some("full; compact: when `source.ip` / `source.mac` is not read from it")
            }
            Twin::User => {
                Some("full; compact: when `user.name` / `user.domain` are not split from it")
            }
            Twin::EventAction => {
                Some("full; compact: when `event.action` does not name it (events; unknown codes)")
            }
        }
    }
}

#[derive(Debug)]
pub(crate) struct F {
    id: i32,
    /// `id`'s index slot, worked out at compile time (a table id outside the index fails
    /// the build).
    slot: u16,
    key: K,
    kind: Kind,
    twin: Twin,
}

pub(crate) const fn f(id: i32, key: K, kind: Kind) -> F {
    twin_of(id, key, kind, Twin::None)
}

/// A field whose fact an ECS field may carry already.
pub(crate) const fn twin_of(id: i32, key: K, kind: Kind, twin: Twin) -> F {
    let slot = match slot(id) {
        Some(s) => s as u16,
        None => panic!("a mapping table names an id outside the index"),
    };
    F {
        id,
        slot,
        key,
        kind,
        twin,
    }
}

use Kind::*;

/// `nps.*` scalars (Reason-Code is written separately, with its text).
pub(crate) static TOP: &[F] = &[
    twin_of(
        4136,
        k!("packet_type"),
        Code(&e::PACKET_TYPE),
        Twin::EventAction,
    ),
    f(
        4127,
        k!("authentication_type"),
        Code(&e::AUTHENTICATION_TYPE),
    ),
    f(4155, k!("provider_type"), Code(&e::PROVIDER_TYPE)),
    f(6, k!("service_type"), Code(&e::SERVICE_TYPE)),
    f(7, k!("framed_protocol"), Code(&e::FRAMED_PROTOCOL)),
    f(8108, k!("identity_type"), Code(&e::IDENTITY_TYPE)),
    f(27, k!("session_timeout"), Num),
    f(28, k!("idle_timeout"), Num),
    f(29, k!("termination_action"), Code(&e::TERMINATION_ACTION)),
    f(12, k!("framed_mtu"), Num),
    f(8103, k!("reject_reason"), Code(&e::REJECT_REASON_CODE)),
];

/// The remaining enumerated attributes: old RADIUS service options and the policy
/// configuration NPS may copy into a request.
pub(crate) static SETTINGS: &[F] = &[
    f(10, k!("framed_routing"), Code(&e::FRAMED_ROUTING)),
    f(13, k!("framed_compression"), Code(&e::FRAMED_COMPRESSION)),
    f(15, k!("login_service"), Code(&e::LOGIN_SERVICE)),
    f(72, k!("arap_zone_access"), Code(&e::ARAP_ZONE_ACCESS)),
    f(76, k!("prompt"), Code(&e::PROMPT)),
    f(-88, k!("bap_usage"), Code(&e::BAP_USAGE)),
    f(-85, k!("allowed_port_type"), Code(&e::NAS_PORT_TYPE)),
    f(4104, k!("np_allowed_port_types"), Code(&e::NAS_PORT_TYPE)),
    f(
        4105,
        k!("np_authentication_type"),
        Code(&e::AUTHENTICATION_TYPE),
    ),
    f(4106, k!("np_allowed_eap_type"), Code(&e::EAP_TYPE)),
    f(
        4113,
        k!("manipulation_target"),
        Code(&e::MANIPULATION_TARGET),
    ),
    f(4133, k!("auth_provider_type"), Code(&e::PROVIDER_TYPE)),
    f(4138, k!("acct_provider_type"), Code(&e::PROVIDER_TYPE)),
    f(6000, k!("nortel_port_qos"), Code(&e::NORTEL_PORT_QOS)),
];

pub(crate) static USER: &[F] = &[
    twin_of(1, k!("name"), Text, Twin::User),
    twin_of(4129, k!("sam_account_name"), Text, Twin::User),
    twin_of(4130, k!("fully_qualified_name"), Text, Twin::User),
    f(4115, k!("original_name"), Text),
];

pub(crate) static MACHINE: &[F] = &[
    f(8138, k!("name"), Text),
    f(8129, k!("fully_qualified_name"), Text),
    f(8148, k!("inventory"), Text),
];

pub(crate) static NAS: &[F] = &[
    twin_of(4, k!("ip"), Ip, Twin::ObserverIp),
    f(95, k!("ipv6"), Ip),
    twin_of(32, k!("identifier"), Text, Twin::ObserverName),
    f(5, k!("port"), Num),
    f(61, k!("port_type"), Code(&e::NAS_PORT_TYPE)),
    f(87, k!("port_id"), Text),
    f(30, k!("called_station_id"), Text),
    twin_of(31, k!("calling_station_id"), Text, Twin::Source),
    f(77, k!("connect_info"), Text),
    f(8, k!("framed_ip"), Ip),
];

pub(crate) static CLIENT: &[F] = &[
    twin_of(4108, k!("ip"), Ip, Twin::ObserverIp),
    f(8139, k!("ipv6"), Ip),
    twin_of(4128, k!("friendly_name"), Text, Twin::ObserverName),
    f(4116, k!("vendor"), Code(&vendor::VENDOR)),
    f(4117, k!("udp_port"), Num),
    f(4147, k!("ras_vendor"), Code(&vendor::VENDOR)),
    f(4148, k!("ras_version"), Text),
    f(4159, k!("ras_client_name"), Text),
    f(4160, k!("ras_client_version"), Text),
];

pub(crate) static POLICY: &[F] = &[
    twin_of(4149, k!("network"), Text, Twin::RuleName),
    twin_of(4154, k!("connection_request"), Text, Twin::RuleRuleset),
];

pub(crate) static PROXY: &[F] = &[
    f(4156, k!("provider_name"), Text),
    f(4157, k!("remote_server"), Ip),
];

pub(crate) static EAP: &[F] = &[
    f(4132, k!("friendly_name"), Text),
    f(8101, k!("type"), Code(&e::EAP_TYPE)),
    f(8099, k!("peap_inner_type"), Code(&e::EAP_TYPE)),
    f(8100, k!("peap_fast_roamed"), Num),
];

pub(crate) static QUARANTINE: &[F] = &[
    f(8111, k!("state"), Code(&e::QUARANTINE_STATE)),
    f(
        8153,
        k!("extended_state"),
        Code(&e::EXTENDED_QUARANTINE_STATE),
    ),
    f(8133, k!("session_id"), Text),
    f(
        8136,
        k!("update_non_compliant"),
        Code(&e::QUARANTINE_UPDATE_NON_COMPLIANT),
    ),
    f(8123, k!("not_capable"), Code(&e::NOT_QUARANTINE_CAPABLE)),
    f(8120, k!("grace_time"), Num),
    f(4166, k!("session_timeout"), Num),
    f(8121, k!("url"), Text),
    f(8110, k!("user_class"), Text),
    f(8109, k!("service_class"), Text),
    f(8134, k!("afw_zone"), Code(&e::AFW_ZONE)),
    f(
        8135,
        k!("afw_protection_level"),
        Code(&e::AFW_PROTECTION_LEVEL),
    ),
];

pub(crate) static ACCT: &[F] = &[
    f(40, k!("status_type"), Code(&e::ACCT_STATUS_TYPE)),
    f(45, k!("authentic"), Code(&e::ACCT_AUTHENTIC)),
    f(49, k!("terminate_cause"), Code(&e::ACCT_TERMINATE_CAUSE)),
    f(44, k!("session_id"), Text),
    f(50, k!("multi_session_id"), Text),
    f(41, k!("delay_time"), Num),
    f(46, k!("session_time"), Num),
    f(42, k!("input_octets"), Num),
    f(43, k!("output_octets"), Num),
    f(47, k!("input_packets"), Num),
    f(48, k!("output_packets"), Num),
    f(52, k!("input_gigawords"), Num),
    f(53, k!("output_gigawords"), Num),
    f(51, k!("link_count"), Num),
    f(85, k!("interim_interval"), Num),
];

pub(crate) static TUNNEL: &[F] = &[
    f(64, k!("type"), Code(&e::TUNNEL_TYPE)),
    f(65, k!("medium_type"), Code(&e::TUNNEL_MEDIUM_TYPE)),
    f(81, k!("private_group_id"), Text),
    f(66, k!("client_endpoint"), Text),
    f(67, k!("server_endpoint"), Text),
    f(68, k!("connection"), Text),
    f(82, k!("assignment_id"), Text),
    f(83, k!("preference"), Num),
];

pub(crate) static MPPE: &[F] = &[
    f(
        -89,
        k!("encryption_policy"),
        Code(&e::MPPE_ENCRYPTION_POLICY),
    ),
    f(-90, k!("encryption_types"), Code(&e::MPPE_ENCRYPTION_TYPES)),
];

pub(crate) static MS_ACCT: &[F] = &[
    f(4134, k!("auth_type"), Code(&e::MS_ACCT_AUTH_TYPE)),
    f(4135, k!("eap_type"), Code(&e::EAP_TYPE)),
];

pub(crate) static HCAP: &[F] = &[
    f(8152, k!("location_group"), Text),
    f(8155, k!("user_groups"), Text),
    f(8159, k!("user_name"), Text),
];

pub(crate) static TSG: &[F] = &[f(
    8166,
    k!("device_redirection"),
    Bits(e::TSG_DEVICE_REDIRECTION_BITS),
)];

/// Groups written after the quarantine block, in order, with the slots they read.
pub(crate) static LATER_GROUPS: &[(K, &[F], Slots)] = &[
    (k!("settings"), SETTINGS, slots_of(SETTINGS)),
    (k!("tunnel"), TUNNEL, slots_of(TUNNEL)),
    (k!("mppe"), MPPE, slots_of(MPPE)),
    (k!("ms_acct"), MS_ACCT, slots_of(MS_ACCT)),
    (k!("hcap"), HCAP, slots_of(HCAP)),
    (k!("tsg"), TSG, slots_of(TSG)),
];

/// The index slots a group's fields read, as a bit set (see `super::Present`).
pub(crate) type Slots = [u64; SLOT_WORDS];

/// Made at compile time for each table: a line that has none of them skips the group's
/// fields without probing each.
pub(crate) const fn slots_of(fields: &[F]) -> Slots {
    let mut m = [0u64; SLOT_WORDS];
    let mut i = 0;
    while i < fields.len() {
        let s = fields[i].slot as usize;
        m[s / 64] |= 1 << (s % 64);
        i += 1;
    }
    m
}

#[cfg(feature = "internals")]
/// Every table-driven `nps.*` field, for the output reference (`crate::schema`): its
/// path, Elasticsearch type, the attribute that fills it, and the code table if decoded.
/// The last argument: when the compact profile leaves the field out (its ECS twin holds it).
pub(crate) fn table_fields(
    mut out: impl FnMut(String, &'static str, i32, Option<&'static str>, Option<&'static str>),
) {
    let groups = [
        ("", TOP),
        ("user.", USER),
        ("machine.", MACHINE),
        ("nas.", NAS),
        ("client.", CLIENT),
        ("policy.", POLICY),
        ("proxy.", PROXY),
        ("eap.", EAP),
        ("quarantine.", QUARANTINE),
        ("acct.", ACCT),
    ];
    let later = LATER_GROUPS.iter().map(|(k, f, _)| (k.name(), *f));
    for (prefix, fields) in groups
        .into_iter()
        .map(|(p, f)| (p.to_string(), f))
        .chain(later.map(|(k, f)| (format!("{k}."), f)))
    {
        for f in fields {
            let path = format!("nps.{prefix}{}", f.key.name());
            let twin = f.twin.profile_note();
            let mut out = |p: String, ty, id, table| out(p, ty, id, table, twin);
            match f.kind {
                Text => out(path, "keyword", f.id, None),
                Num => out(path, "long", f.id, None),
                Ip => out(path, "ip", f.id, None),
                Code(t) => {
                    out(format!("{path}.code"), "long", f.id, None);
                    out(format!("{path}.name"), "keyword", f.id, Some(t.title));
                }
                Bits(_) => {
                    out(format!("{path}.code"), "long", f.id, None);
                    out(
                        format!("{path}.flags"),
                        "keyword[]",
                        f.id,
                        Some("bit flags"),
                    );
                }
            }
        }
    }
}

/// Writes one field of a mapping table if the value is one of its kind; whether it did.
/// `dts_octets`: the value came with DTS data_type 2 (bare hex).
pub(crate) fn write_field(
    w: &mut Json<'_>,
    g: &mut Group,
    f: &F,
    value: &str,
    rendered: bool,
    dts_octets: bool,
) -> bool {
    match f.kind {
        Text => {
            g.enter(w);
            match text_from_hex(f.id, value, dts_octets) {
                Some(t) => w.str_field(f.key, &t),
                None => w.str_field(f.key, value),
            }
        }
        Ip => {
            if !is_ip(value) {
                return false;
            }
            g.enter(w);
            w.str_field(f.key, value);
        }
        Num => {
            let Ok(n) = value.parse::<u64>() else {
                return false;
            };
            g.enter(w);
            w.u64_field(f.key, n);
        }
        Code(table) => {
            if let Ok(n) = value.parse::<u32>() {
                g.enter(w);
                w.object(f.key);
                w.u64_field(k!("code"), n.into());
                if let Some(name) = table.name(n) {
                    w.str_field(k!("name"), name);
                }
                w.end_object();
            } else if rendered {
                // An event's rendered word the tables do not know: kept as its name.
                g.enter(w);
                w.object(f.key);
                w.str_field(k!("name"), value);
                w.end_object();
            } else {
                return false;
            }
        }
        Bits(bits) => {
            let Ok(n) = value.parse::<u32>() else {
                return false;
            };
            g.enter(w);
            w.object(f.key);
            w.u64_field(k!("code"), n.into());
            w.array(k!("flags"));
            for (bit, name) in bits {
                if n & (1 << bit) != 0 {
                    w.string(name);
                }
            }
            w.end_array();
            w.end_object();
        }
    }
    true
}

pub(crate) fn write_fields(
    w: &mut Json<'_>,
    g: &mut Group,
    v: &View<'_>,
    fields: &[F],
    o: &mut Out,
) {
    for f in fields {
        // One index probe per field; most are absent from any one line.
        let a = v.attr_at(f.slot as usize);
        let rendered = a.is_some_and(|a| a.form == Form::Rendered);
        let dts_octets = a.is_some_and(|a| a.form.is_bare_hex());
        let value = if f.id == 1 {
            v.user_name()
        } else {
            a.map(|a| v.rec.text(v.line, a.value))
        };
        let Some(value) = value.map(str::trim_ascii).filter(|v| !v.is_empty()) else {
            continue;
        };
        if !o.full && f.twin != Twin::None && o.twins.holds(f.twin, value) {
            o.typed[f.slot as usize] = true; // the ECS field says it already
            continue;
        }
        if write_field(w, g, f, value, rendered, dts_octets) {
            o.typed[f.slot as usize] = true;
        }
    }
}

/// A group of fields under `key`; `slots` is `slots_of(fields)`. A group none of whose
/// attributes the line has is skipped whole (no field of a group reads anything else: the
/// User-Name fallback to the IAS header is in `USER`, which is written with `write_fields`).
pub(crate) fn write_group(
    w: &mut Json<'_>,
    v: &View<'_>,
    key: K,
    fields: &[F],
    slots: &Slots,
    o: &mut Out,
) {
    if !v.present.any(slots) {
        return;
    }
    let mut g = Group::new(key);
    write_fields(w, &mut g, v, fields, o);
    g.end(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_an_index_slot() {
        // Every mapped field must have a slot, or it would never be found.
        for fields in [
            TOP, USER, MACHINE, NAS, CLIENT, POLICY, PROXY, EAP, QUARANTINE, ACCT,
        ]
        .into_iter()
        .chain(LATER_GROUPS.iter().map(|g| g.1))
        {
            for f in fields {
                assert!(slot(f.id).is_some(), "{:?} ({})", f.key, f.id);
            }
        }
    }
}
