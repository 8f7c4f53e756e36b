//! `nps.enforcement`: the NAP enforcement point.

use crate::codes::enums as e;
use crate::codes::ids;
use crate::enrich::{Out, View};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::write::{Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.enforcement.type",
        "keyword",
        "MS-Network-Access-Server-Type (8132), else the request's shape",
        "The NAP enforcement point: `dhcp`, `vpn`, `802.1x`, `ipsec` (HRA), `ts_gateway`, `hcap`, `unspecified`.",
    ),
    Decl::new(
        "nps.enforcement.code",
        "long",
        "MS-Network-Access-Server-Type (8132)",
        "The attribute's code.",
    ),
    Decl::full_only(
        "nps.enforcement.name",
        "keyword",
        "MS-Network-Access-Server-Type (8132)",
        "Its name in the reference.",
        "full",
    ),
    Decl::new(
        "nps.enforcement.inferred",
        "boolean",
        "NAS-Port-Type (61), Tunnel-Type (64), Called-Station-Id (30)",
        "True when the type was inferred, not stated by 8132.",
    ),
];

/// `nps.enforcement`: the NAP enforcement point, from MS-Network-Access-Server-Type (E17),
/// else inferred from the request's shape (marked `inferred`): RD/TS Gateway requests carry
/// `UserAuthType:` in Called-Station-Id, VPN ones a Virtual port or a PPTP/L2TP/SSTP tunnel,
/// 802.1X ones an Ethernet or wireless port. DHCP and HRA requests have no such mark.
pub(crate) fn write(w: &mut Json<'_>, v: &View<'_>, o: &mut Out) {
    if let Some(code) = v.code(ids::MS_NETWORK_ACCESS_SERVER_TYPE) {
        o.carried(ids::MS_NETWORK_ACCESS_SERVER_TYPE);
        let kind = match code {
            0 => "unspecified",
            1 => "ts_gateway",
            2 => "vpn",
            3 => "dhcp",
            5 => "ipsec",
            6 => "hcap",
            _ => "other",
        };
        w.object(k!("enforcement"));
        w.u64_field(k!("code"), code.into());
        // Compact: `type` is the one rendering of the code.
        if o.full
            && let Some(n) = e::NETWORK_ACCESS_SERVER_TYPE.name(code)
        {
            w.str_field(k!("name"), n);
        }
        w.str_field(k!("type"), kind);
        w.end_object();
        return;
    }
    let port = v.code(ids::NAS_PORT_TYPE);
    let tunnel = v.code(ids::TUNNEL_TYPE);
    let inferred = if v
        .get(ids::CALLED_STATION_ID)
        .is_some_and(|c| c.starts_with("UserAuthType:"))
    {
        Some("ts_gateway")
    } else if port == Some(5) || matches!(tunnel, Some(1 | 3 | 0x0001_3701)) {
        Some("vpn")
    } else if matches!(port, Some(15 | 19)) || tunnel == Some(13) {
        // Ethernet and 802.11 NAS ports are 802.1X switches and access points; a VLAN
        // tunnel type is 802.1X dynamic VLAN assignment.
        Some("802.1x")
    } else {
        None
    };
    if let Some(kind) = inferred {
        w.object(k!("enforcement"));
        w.str_field(k!("type"), kind);
        w.bool_field(k!("inferred"), true);
        w.end_object();
    }
}
