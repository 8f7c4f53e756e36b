//! Which attribute fills which `nps.*` field, as data: one table per group, in the order
//! the fields are written, and the writer of one table-driven field.

use super::index::slot;
use super::values::{is_ip, text_from_hex};
use super::{Out, View};
use crate::codes::Table;
use crate::codes::enums as e;
use crate::codes::vendor;
use crate::record::Form;
use crate::write::{Group, Json};

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
    key: &'static str,
    kind: Kind,
    twin: Twin,
}

pub(crate) const fn f(id: i32, key: &'static str, kind: Kind) -> F {
    twin_of(id, key, kind, Twin::None)
}

/// A field whose fact an ECS field may carry already.
pub(crate) const fn twin_of(id: i32, key: &'static str, kind: Kind, twin: Twin) -> F {
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
        "packet_type",
        Code(&e::PACKET_TYPE),
        Twin::EventAction,
    ),
    f(4127, "authentication_type", Code(&e::AUTHENTICATION_TYPE)),
    f(4155, "provider_type", Code(&e::PROVIDER_TYPE)),
    f(6, "service_type", Code(&e::SERVICE_TYPE)),
    f(7, "framed_protocol", Code(&e::FRAMED_PROTOCOL)),
    f(8108, "identity_type", Code(&e::IDENTITY_TYPE)),
    f(27, "session_timeout", Num),
    f(28, "idle_timeout", Num),
    f(29, "termination_action", Code(&e::TERMINATION_ACTION)),
    f(12, "framed_mtu", Num),
    f(8103, "reject_reason", Code(&e::REJECT_REASON_CODE)),
];

/// The remaining enumerated attributes: old RADIUS service options and the policy
/// configuration NPS may copy into a request.
pub(crate) static SETTINGS: &[F] = &[
    f(10, "framed_routing", Code(&e::FRAMED_ROUTING)),
    f(13, "framed_compression", Code(&e::FRAMED_COMPRESSION)),
    f(15, "login_service", Code(&e::LOGIN_SERVICE)),
    f(72, "arap_zone_access", Code(&e::ARAP_ZONE_ACCESS)),
    f(76, "prompt", Code(&e::PROMPT)),
    f(-88, "bap_usage", Code(&e::BAP_USAGE)),
    f(-85, "allowed_port_type", Code(&e::NAS_PORT_TYPE)),
    f(4104, "np_allowed_port_types", Code(&e::NAS_PORT_TYPE)),
    f(
        4105,
        "np_authentication_type",
        Code(&e::AUTHENTICATION_TYPE),
    ),
    f(4106, "np_allowed_eap_type", Code(&e::EAP_TYPE)),
    f(4113, "manipulation_target", Code(&e::MANIPULATION_TARGET)),
    f(4133, "auth_provider_type", Code(&e::PROVIDER_TYPE)),
    f(4138, "acct_provider_type", Code(&e::PROVIDER_TYPE)),
    f(6000, "nortel_port_qos", Code(&e::NORTEL_PORT_QOS)),
];

pub(crate) static USER: &[F] = &[
    twin_of(1, "name", Text, Twin::User),
    twin_of(4129, "sam_account_name", Text, Twin::User),
    twin_of(4130, "fully_qualified_name", Text, Twin::User),
    f(4115, "original_name", Text),
];

pub(crate) static MACHINE: &[F] = &[
    f(8138, "name", Text),
    f(8129, "fully_qualified_name", Text),
    f(8148, "inventory", Text),
];

pub(crate) static NAS: &[F] = &[
    twin_of(4, "ip", Ip, Twin::ObserverIp),
    f(95, "ipv6", Ip),
    twin_of(32, "identifier", Text, Twin::ObserverName),
    f(5, "port", Num),
    f(61, "port_type", Code(&e::NAS_PORT_TYPE)),
    f(87, "port_id", Text),
    f(30, "called_station_id", Text),
    twin_of(31, "calling_station_id", Text, Twin::Source),
    f(77, "connect_info", Text),
    f(8, "framed_ip", Ip),
];

pub(crate) static CLIENT: &[F] = &[
    twin_of(4108, "ip", Ip, Twin::ObserverIp),
    f(8139, "ipv6", Ip),
    twin_of(4128, "friendly_name", Text, Twin::ObserverName),
    f(4116, "vendor", Code(&vendor::VENDOR)),
    f(4117, "udp_port", Num),
    f(4147, "ras_vendor", Code(&vendor::VENDOR)),
    f(4148, "ras_version", Text),
    f(4159, "ras_client_name", Text),
    f(4160, "ras_client_version", Text),
];

pub(crate) static POLICY: &[F] = &[
    twin_of(4149, "network", Text, Twin::RuleName),
    twin_of(4154, "connection_request", Text, Twin::RuleRuleset),
];

pub(crate) static PROXY: &[F] = &[f(4156, "provider_name", Text), f(4157, "remote_server", Ip)];

pub(crate) static EAP: &[F] = &[
    f(4132, "friendly_name", Text),
    f(8101, "type", Code(&e::EAP_TYPE)),
    f(8099, "peap_inner_type", Code(&e::EAP_TYPE)),
    f(8100, "peap_fast_roamed", Num),
];

pub(crate) static QUARANTINE: &[F] = &[
    f(8111, "state", Code(&e::QUARANTINE_STATE)),
    f(8153, "extended_state", Code(&e::EXTENDED_QUARANTINE_STATE)),
    f(8133, "session_id", Text),
    f(
        8136,
        "update_non_compliant",
        Code(&e::QUARANTINE_UPDATE_NON_COMPLIANT),
    ),
    f(8123, "not_capable", Code(&e::NOT_QUARANTINE_CAPABLE)),
    f(8120, "grace_time", Num),
    f(4166, "session_timeout", Num),
    f(8121, "url", Text),
    f(8110, "user_class", Text),
    f(8109, "service_class", Text),
    f(8134, "afw_zone", Code(&e::AFW_ZONE)),
    f(8135, "afw_protection_level", Code(&e::AFW_PROTECTION_LEVEL)),
];

pub(crate) static ACCT: &[F] = &[
    f(40, "status_type", Code(&e::ACCT_STATUS_TYPE)),
    f(45, "authentic", Code(&e::ACCT_AUTHENTIC)),
    f(49, "terminate_cause", Code(&e::ACCT_TERMINATE_CAUSE)),
    f(44, "session_id", Text),
    f(50, "multi_session_id", Text),
    f(41, "delay_time", Num),
    f(46, "session_time", Num),
    f(42, "input_octets", Num),
    f(43, "output_octets", Num),
    f(47, "input_packets", Num),
    f(48, "output_packets", Num),
    f(52, "input_gigawords", Num),
    f(53, "output_gigawords", Num),
    f(51, "link_count", Num),
    f(85, "interim_interval", Num),
];

pub(crate) static TUNNEL: &[F] = &[
    f(64, "type", Code(&e::TUNNEL_TYPE)),
    f(65, "medium_type", Code(&e::TUNNEL_MEDIUM_TYPE)),
    f(81, "private_group_id", Text),
    f(66, "client_endpoint", Text),
    f(67, "server_endpoint", Text),
    f(68, "connection", Text),
    f(82, "assignment_id", Text),
    f(83, "preference", Num),
];

pub(crate) static MPPE: &[F] = &[
    f(-89, "encryption_policy", Code(&e::MPPE_ENCRYPTION_POLICY)),
    f(-90, "encryption_types", Code(&e::MPPE_ENCRYPTION_TYPES)),
];

pub(crate) static MS_ACCT: &[F] = &[
    f(4134, "auth_type", Code(&e::MS_ACCT_AUTH_TYPE)),
    f(4135, "eap_type", Code(&e::EAP_TYPE)),
];

pub(crate) static HCAP: &[F] = &[
    f(8152, "location_group", Text),
    f(8155, "user_groups", Text),
    f(8159, "user_name", Text),
];

pub(crate) static TSG: &[F] = &[f(
    8166,
    "device_redirection",
    Bits(e::TSG_DEVICE_REDIRECTION_BITS),
)];

/// Groups written after the quarantine block, in order.
pub(crate) static LATER_GROUPS: &[(&str, &[F])] = &[
    ("settings", SETTINGS),
    ("tunnel", TUNNEL),
    ("mppe", MPPE),
    ("ms_acct", MS_ACCT),
    ("hcap", HCAP),
    ("tsg", TSG),
];

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
    let later = LATER_GROUPS.iter().map(|(k, f)| (*k, *f));
    for (prefix, fields) in groups
        .into_iter()
        .map(|(p, f)| (p.to_string(), f))
        .chain(later.map(|(k, f)| (format!("{k}."), f)))
    {
        for f in fields {
            let path = format!("nps.{prefix}{}", f.key);
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
                w.u64_field("code", n.into());
                if let Some(name) = table.name(n) {
                    w.str_field("name", name);
                }
                w.end_object();
            } else if rendered {
                // An event's rendered word the tables do not know: kept as its name.
                g.enter(w);
                w.object(f.key);
                w.str_field("name", value);
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
            w.u64_field("code", n.into());
            w.array("flags");
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

pub(crate) fn write_group(
    w: &mut Json<'_>,
    v: &View<'_>,
    key: &'static str,
    fields: &[F],
    o: &mut Out,
) {
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
                assert!(slot(f.id).is_some(), "{} ({})", f.key, f.id);
            }
        }
    }
}
