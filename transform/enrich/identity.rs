//! The ECS fields that name who and what took part: `host`, `user`, `source`,
//! `observer`, `rule` and `related`.

use super::values::{host_of, is_ip, mac, machine_host, split_user};
use super::{Set, Twins, View};
use crate::codes::ids;
use crate::record::Record;
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::winevent::Digest;
use crate::write::{Group, Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "host.name",
        "keyword",
        "Computer-Name (IAS header field 6; DTS and ODBC Computer-Name), event computer",
        "The NPS server.",
    ),
    Decl::new(
        "user.name",
        "keyword",
        "User-Name (1), SAM-Account-Name (4129), Fully-Qualifed-User-Name (4130), SubjectUserName",
        "The user, without its domain (`DOMAIN\\user` and `user@realm` are split).",
    ),
    Decl::new(
        "user.domain",
        "keyword",
        "the same",
        "The user's domain or realm.",
    ),
    Decl::new(
        "user.id",
        "keyword",
        "SubjectUserSid",
        "The user's SID (events; not `S-1-0-0`).",
    ),
    Decl::new(
        "source.ip",
        "ip",
        "Calling-Station-Id (31), IPsec RemoteAddress",
        "The client's address, when Calling-Station-Id is one.",
    ),
    Decl::new(
        "source.mac",
        "keyword",
        "Calling-Station-Id (31)",
        "The client's MAC address, written `00-11-25-78-22-62`.",
    ),
    Decl::new(
        "observer.ip",
        "ip",
        "NAS-IP-Address (4), IAS header, Client-IP-Address (4108)",
        "The network access server (switch, access point, VPN or DHCP server).",
    ),
    Decl::new(
        "observer.name",
        "keyword",
        "NAS-Identifier (32), Client-Friendly-Name (4128)",
        "The network access server's name.",
    ),
    Decl::new(
        "rule.name",
        "keyword",
        "NP-Policy-Name (4149), NetworkPolicyName",
        "The network policy that matched.",
    ),
    Decl::new(
        "rule.ruleset",
        "keyword",
        "Proxy-Policy-Name (4154), ProxyPolicyName",
        "The connection request policy that matched.",
    ),
    Decl::full_only(
        "related.ip",
        "ip[]",
        "every address field",
        "Every valid IP address in the record.",
        "full; compact: without the values of `source.ip` and `observer.ip` (the index templates and Splunk props add them)",
    ),
    Decl::full_only(
        "related.user",
        "keyword[]",
        "user fields",
        "Every user name in the record (machine accounts `DOMAIN\\PC$` as `PC`).",
        "full; compact: without the values of `user.name` (the index templates and Splunk props add them)",
    ),
    Decl::full_only(
        "related.hosts",
        "keyword[]",
        "host fields",
        "Every host name in the record (a machine account `DOMAIN\\PC$` names the host `PC`).",
        "full; compact: without the values of `host.name` (the index templates and Splunk props add them)",
    ),
];

/// The fields whose values the compact profile leaves out of `related.*`, by the `related`
/// array they belong to: the index templates copy them in at index time (`copy_to`) and the
/// Splunk props append them, so a search on `related.*` finds them in either profile.
/// `tests/profiles.rs` checks the writer below against it.
#[cfg(feature = "internals")]
pub(crate) static RELATED_FROM: &[(&str, &str)] = &[
    ("host.name", "related.hosts"),
    ("observer.ip", "related.ip"),
    ("source.ip", "related.ip"),
    ("user.name", "related.user"),
];

/// Writes the fields; returns the values written, by the fact they carry (the compact
/// profile leaves out their `nps.*` twins and, from `related.*`, the values of
/// [`RELATED_FROM`]).
pub(crate) fn write<'a>(
    w: &mut Json<'_>,
    v: &View<'a>,
    rec: &Record,
    ev: Option<&'a Digest<'a>>,
    full: bool,
) -> Twins<'a> {
    // host: the NPS server (the event's computer).
    let computer = match ev {
        Some(d) => {
            d.ev.computer
                .as_deref()
                .map(str::trim_ascii)
                .filter(|c| !c.is_empty())
        }
        None => v.header(rec.computer),
    };
    if let Some(c) = computer {
        w.object(k!("host"));
        w.str_field(k!("name"), c);
        w.end_object();
    }

    // user
    let user_raw = v
        .user_name()
        .or_else(|| v.get_nonempty(ids::SAM_ACCOUNT_NAME))
        .or_else(|| {
            v.get_nonempty(ids::FULLY_QUALIFED_USER_NAME)
                .filter(|u| u.contains('\\'))
        });
    let mut twins = Twins::default();
    // What RELATED_FROM's fields hold: (host.name, user.name, source.ip, observer.ip).
    let mut written: [Option<&str>; 4] = [computer, None, None, None];
    let mut related_users: Set<'_, 6> = Set::new();
    // A machine account (`PC$`) names a host too.
    let mut machine = None;
    if let Some(u) = user_raw {
        let (name, mut domain) = split_user(u);
        // A bare User-Name gets its domain from SAM-Account-Name when that names the same user.
        if domain.is_none()
            && let Some((sam_user, sam_domain)) =
                v.get_nonempty(ids::SAM_ACCOUNT_NAME).map(split_user)
            && sam_user.eq_ignore_ascii_case(name)
        {
            domain = sam_domain;
        }
        // An event names the domain in its own field.
        domain = domain.or_else(|| ev.and_then(Digest::user_domain));
        w.object(k!("user"));
        w.str_field(k!("name"), name);
        written[1] = Some(name);
        if let Some(d) = domain {
            w.str_field(k!("domain"), d);
        }
        if let Some(id) = ev.and_then(Digest::user_id) {
            w.str_field(k!("id"), id);
        }
        w.end_object();
        twins.user = Some(u);
        twins.user_split = domain.map(|d| (name, d));
        related_users.add(machine_host(name).unwrap_or(name));
        machine = machine_host(name);
    }
    for id in [ids::SAM_ACCOUNT_NAME, ids::ORIGINAL_USER_NAME] {
        if let Some(u) = v.get_nonempty(id) {
            let name = split_user(u).0;
            related_users.add(machine_host(name).unwrap_or(name));
            machine = machine.or(machine_host(name));
        }
    }

    // source: the client, from Calling-Station-Id.
    let mut related_ips: Set<'_, 8> = Set::new();
    let event_peer = ev.and_then(Digest::peer_ip).filter(|a| is_ip(a));
    if let Some(peer) = event_peer {
        w.object(k!("source"));
        w.str_field(k!("ip"), peer);
        w.end_object();
        related_ips.add(peer);
        written[2] = Some(peer);
    } else if let Some(cs) = v.get_nonempty(ids::CALLING_STATION_ID) {
        let mut m = [0u8; 17];
        if is_ip(cs) {
            w.object(k!("source"));
            w.str_field(k!("ip"), cs);
            w.end_object();
            related_ips.add(cs);
            written[2] = Some(cs);
            twins.source = Some(cs);
        } else if mac(cs, &mut m) {
            w.object(k!("source"));
            w.key(k!("mac"));
            w.raw_string(&m);
            w.end_object();
            twins.source = Some(cs);
        }
    }

    // observer: the NAS (NAS-IP-Address, else the IAS header field, else the RADIUS client).
    let observer_ip = v
        .get_nonempty(ids::NAS_IP_ADDRESS)
        .or_else(|| v.header(rec.header_nas_ip))
        .or_else(|| v.get_nonempty(ids::CLIENT_IP_ADDRESS))
        .or_else(|| ev.and_then(Digest::radius_client))
        .filter(|ip| is_ip(ip));
    let observer_name = v
        .get_nonempty(ids::NAS_IDENTIFIER)
        .or_else(|| v.get_nonempty(ids::CLIENT_FRIENDLY_NAME));
    twins.observer_ip = observer_ip;
    written[3] = observer_ip;
    twins.observer_name = observer_name;
    let mut g = Group::new(k!("observer"));
    if let Some(ip) = observer_ip {
        g.enter(w);
        w.str_field(k!("ip"), ip);
    }
    if let Some(n) = observer_name {
        g.enter(w);
        w.str_field(k!("name"), n);
    }
    g.end(w);

    // rule: the network policy; ruleset: the connection request policy.
    let mut g = Group::new(k!("rule"));
    twins.rule_name = v.get_nonempty(ids::NP_POLICY_NAME);
    twins.rule_ruleset = v.get_nonempty(ids::PROXY_POLICY_NAME);
    if let Some(p) = twins.rule_name {
        g.enter(w);
        w.str_field(k!("name"), p);
    }
    if let Some(p) = twins.rule_ruleset {
        g.enter(w);
        w.str_field(k!("ruleset"), p);
    }
    g.end(w);

    // related
    for id in [
        ids::NAS_IP_ADDRESS,
        ids::CLIENT_IP_ADDRESS,
        ids::FRAMED_IP_ADDRESS,
        ids::USER_IPV4_ADDRESS,
        ids::REMOTE_SERVER_ADDRESS,
    ] {
        if let Some(ip) = v.get_nonempty(id).filter(|ip| is_ip(ip)) {
            related_ips.add(ip);
        }
    }
    if let Some(ip) = observer_ip {
        related_ips.add(ip);
    }
    let mut hosts: Set<'_, 6> = Set::new();
    if let Some(c) = computer {
        hosts.add(c);
    }
    for id in [ids::MS_MACHINE_NAME, ids::FULLY_QUALIFIED_MACHINE_NAME] {
        if let Some(h) = v.get_nonempty(id) {
            hosts.add(host_of(h));
        }
    }
    if let Some(m) = machine {
        hosts.add(m);
    }
    if let Some(server) = ev.and_then(Digest::server_host) {
        hosts.add(server);
    }
    let [host, user, source, observer] = written.map(|x| x.filter(|_| !full));
    let mut g = Group::new(k!("related"));
    for (key, set, copied) in [
        (k!("ip"), related_ips.as_slice(), [source, observer]),
        (k!("user"), related_users.as_slice(), [user, None]),
        (k!("hosts"), hosts.as_slice(), [host, None]),
    ] {
        let mut kept = set
            .iter()
            .filter(|x| !copied.contains(&Some(**x)))
            .peekable();
        if kept.peek().is_some() {
            g.enter(w);
            w.array(key);
            for x in kept {
                w.string(x);
            }
            w.end_array();
        }
    }
    g.end(w);
    twins
}
