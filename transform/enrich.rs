//! Record → one ECS-shaped JSON document, written in a fixed key order in one pass.
//!
//! Which attribute fills which field is data (`TOP`, `GROUPS`, …) so the mapping reads as a
//! table. Attributes are found through a direct index by id (ids of interest sit in a few
//! dense ranges), built once per line.

use crate::codes::Table;
use crate::codes::enums as e;
use crate::codes::{attributes, reason, vendor};
use crate::event_id::EventId;
use crate::record::{Key, Record};
use crate::time::{self, LocalTime};
use crate::winevent::{self, Digest};
use crate::write::{Group, Json};
use crate::{Fields, Format, Options, class, shr};
use std::net::IpAddr;

/// How a field's value is written.
#[derive(Debug, Clone, Copy)]
enum Kind {
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
enum Twin {
    None,
    ObserverIp,
    ObserverName,
    RuleName,
    RuleRuleset,
    /// `source.ip` / `source.mac`, from Calling-Station-Id.
    Source,
    /// `user.name` and `user.domain`, split from this value.
    User,
}

impl Twin {
    /// When the compact profile leaves the field out, as the output reference says it.
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
        }
    }
}

#[derive(Debug)]
struct F {
    id: i32,
    /// `id`'s index slot, worked out at compile time (a table id outside the index fails
    /// the build).
    slot: u16,
    key: &'static str,
    kind: Kind,
    twin: Twin,
}

const fn f(id: i32, key: &'static str, kind: Kind) -> F {
    twin_of(id, key, kind, Twin::None)
}

/// A field whose fact an ECS field may carry already.
const fn twin_of(id: i32, key: &'static str, kind: Kind, twin: Twin) -> F {
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
static TOP: &[F] = &[
    f(4136, "packet_type", Code(&e::PACKET_TYPE)),
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
static SETTINGS: &[F] = &[
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

static USER: &[F] = &[
    twin_of(1, "name", Text, Twin::User),
    twin_of(4129, "sam_account_name", Text, Twin::User),
    twin_of(4130, "fully_qualified_name", Text, Twin::User),
    f(4115, "original_name", Text),
];

static MACHINE: &[F] = &[
    f(8138, "name", Text),
    f(8129, "fully_qualified_name", Text),
    f(8148, "inventory", Text),
];

static NAS: &[F] = &[
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

static CLIENT: &[F] = &[
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

static POLICY: &[F] = &[
    twin_of(4149, "network", Text, Twin::RuleName),
    twin_of(4154, "connection_request", Text, Twin::RuleRuleset),
];

static PROXY: &[F] = &[f(4156, "provider_name", Text), f(4157, "remote_server", Ip)];

static EAP: &[F] = &[
    f(4132, "friendly_name", Text),
    f(8101, "type", Code(&e::EAP_TYPE)),
    f(8099, "peap_inner_type", Code(&e::EAP_TYPE)),
    f(8100, "peap_fast_roamed", Num),
];

static QUARANTINE: &[F] = &[
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

static ACCT: &[F] = &[
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

static TUNNEL: &[F] = &[
    f(64, "type", Code(&e::TUNNEL_TYPE)),
    f(65, "medium_type", Code(&e::TUNNEL_MEDIUM_TYPE)),
    f(81, "private_group_id", Text),
    f(66, "client_endpoint", Text),
    f(67, "server_endpoint", Text),
    f(68, "connection", Text),
    f(82, "assignment_id", Text),
    f(83, "preference", Num),
];

static MPPE: &[F] = &[
    f(-89, "encryption_policy", Code(&e::MPPE_ENCRYPTION_POLICY)),
    f(-90, "encryption_types", Code(&e::MPPE_ENCRYPTION_TYPES)),
];

static MS_ACCT: &[F] = &[
    f(4134, "auth_type", Code(&e::MS_ACCT_AUTH_TYPE)),
    f(4135, "eap_type", Code(&e::EAP_TYPE)),
];

static HCAP: &[F] = &[
    f(8152, "location_group", Text),
    f(8155, "user_groups", Text),
    f(8159, "user_name", Text),
];

static TSG: &[F] = &[f(
    8166,
    "device_redirection",
    Bits(e::TSG_DEVICE_REDIRECTION_BITS),
)];

/// Groups written after the quarantine block, in order.
static LATER_GROUPS: &[(&str, &[F])] = &[
    ("settings", SETTINGS),
    ("tunnel", TUNNEL),
    ("mppe", MPPE),
    ("ms_acct", MS_ACCT),
    ("hcap", HCAP),
    ("tsg", TSG),
];

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

const NONE: u32 = u32::MAX;
/// Dense index slots: ids −91..=100, 4096..=4171, 5000, 6000, 6001, 8096..=8172.
const SLOTS: usize = 192 + 76 + 3 + 77;

const fn slot(id: i32) -> Option<usize> {
    match id {
        -91..=100 => Some((id + 91) as usize),
        4096..=4171 => Some(192 + (id - 4096) as usize),
        5000 => Some(268),
        6000 => Some(269),
        6001 => Some(270),
        8096..=8172 => Some(271 + (id - 8096) as usize),
        _ => None,
    }
}

/// Buffers reused from line to line.
#[derive(Debug)]
pub(crate) struct Scratch {
    first: Vec<u32>,
    /// Per index slot: a typed field carries the first such attribute (compact profile).
    typed: Vec<bool>,
    order: Vec<u32>,
    groups: Vec<(u32, u32)>,
    text: String,
    ts_cache: Option<(LocalTime, LocalTime, i32)>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            first: vec![NONE; SLOTS],
            typed: vec![false; SLOTS],
            order: Vec::new(),
            groups: Vec::new(),
            text: String::new(),
            ts_cache: None,
        }
    }
}

/// A handful of distinct strings, kept without allocating.
struct Set<'a, const N: usize> {
    items: [&'a str; N],
    len: usize,
}

impl<'a, const N: usize> Set<'a, N> {
    fn new() -> Self {
        Set {
            items: [""; N],
            len: 0,
        }
    }
    fn add(&mut self, s: &'a str) {
        if !s.is_empty() && self.len < N && !self.items[..self.len].contains(&s) {
            self.items[self.len] = s;
            self.len += 1;
        }
    }
    fn as_slice(&self) -> &[&'a str] {
        &self.items[..self.len]
    }
}

/// Everything the writer looks up, for one line.
struct View<'a> {
    line: &'a str,
    rec: &'a Record,
    first: &'a [u32],
}

impl<'a> View<'a> {
    /// The first occurrence of the attribute in index slot `k`.
    #[inline]
    fn attr_at(&self, k: usize) -> Option<&'a crate::record::Attr> {
        match self.first.get(k) {
            Some(&i) if i != NONE => self.rec.attrs.get(i as usize),
            _ => None,
        }
    }

    #[inline]
    fn get(&self, id: i32) -> Option<&'a str> {
        let a = self.attr_at(slot(id)?)?;
        Some(self.rec.text(self.line, a.value))
    }

    fn get_nonempty(&self, id: i32) -> Option<&'a str> {
        self.get(id).map(str::trim_ascii).filter(|s| !s.is_empty())
    }

    fn code(&self, id: i32) -> Option<u32> {
        self.get(id)?.trim_ascii().parse().ok()
    }

    fn header(&self, span: Option<crate::record::Span>) -> Option<&'a str> {
        span.map(|s| self.rec.text(self.line, s).trim_ascii())
            .filter(|s| !s.is_empty())
    }

    /// User-Name, falling back to the IAS header field.
    fn user_name(&self) -> Option<&'a str> {
        self.get_nonempty(1)
            .or_else(|| self.header(self.rec.header_user))
    }
}

/// What the `nps.*` writers need beyond the record: the profile; in the compact one, the ECS
/// values already written (their `nps.*` twins are left out) and which attributes a typed
/// field carries (left out of `nps.attributes`).
struct Out<'a, 'b> {
    full: bool,
    twins: Twins<'a>,
    typed: &'b mut [bool],
    /// Scratch text for decoded values.
    text: &'b mut String,
}

impl Out<'_, '_> {
    /// Records that a typed field (or its ECS twin) carries attribute `id`'s first value.
    fn carried(&mut self, id: i32) {
        if let Some(k) = slot(id) {
            self.typed[k] = true;
        }
    }
}

/// The ECS values written, by the fact they carry.
#[derive(Debug, Default, Clone, Copy)]
struct Twins<'a> {
    observer_ip: Option<&'a str>,
    observer_name: Option<&'a str>,
    rule_name: Option<&'a str>,
    rule_ruleset: Option<&'a str>,
    source: Option<&'a str>,
    user: Option<&'a str>,
    /// `user.name` and `user.domain` as written.
    user_split: Option<(&'a str, &'a str)>,
}

impl<'a> Twins<'a> {
    /// Whether the ECS field `t` holds `value`'s fact.
    fn holds(&self, t: Twin, value: &str) -> bool {
        if t == Twin::User
            && let Some((name, domain)) = self.user_split
            && value.split_once('\\') == Some((domain, name))
        {
            return true; // `DOMAIN\user`, split into user.domain and user.name
        }
        self.get(t) == Some(value)
    }

    fn get(&self, t: Twin) -> Option<&'a str> {
        match t {
            Twin::None => None,
            Twin::ObserverIp => self.observer_ip,
            Twin::ObserverName => self.observer_name,
            Twin::RuleName => self.rule_name,
            Twin::RuleRuleset => self.rule_ruleset,
            Twin::Source => self.source,
            Twin::User => self.user,
        }
    }
}

/// `DOMAIN\user` → (user, DOMAIN); `user@realm` → (user, realm); else the whole name.
fn split_user(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find('\\') {
        let (d, u) = (&s[..i], &s[i + 1..]);
        if !u.is_empty() {
            return (u, (!d.is_empty()).then_some(d));
        }
    } else if !s.contains('/')
        && let Some(i) = s.rfind('@')
    {
        let (u, d) = (&s[..i], &s[i + 1..]);
        if !u.is_empty() && !d.is_empty() {
            return (u, Some(d));
        }
    }
    (s, None)
}

/// The host a machine account names: `PC$` → `PC`; `None` for a user account.
fn machine_host(account: &str) -> Option<&str> {
    account.strip_suffix('$').filter(|h| !h.is_empty())
}

/// A machine account or name as a host name: `DOMAIN\PC$` → `PC`.
fn host_of(s: &str) -> &str {
    let s = split_user(s).0;
    s.strip_suffix('$').unwrap_or(s)
}

/// A MAC address in any common notation, written the ECS way (`00-11-25-78-22-62`).
fn mac(s: &str, out: &mut [u8; 17]) -> bool {
    let mut hex = [0u8; 12];
    let mut n = 0;
    let mut seps = 0;
    for &c in s.trim_ascii().as_bytes() {
        match c {
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                if n == 12 {
                    return false;
                }
                hex[n] = c.to_ascii_uppercase();
                n += 1;
            }
            b'-' | b':' | b'.' => seps += 1,
            _ => return false,
        }
    }
    if n != 12 || !(seps == 0 || seps == 2 || seps == 5) {
        return false;
    }
    for i in 0..6 {
        out[i * 3] = hex[i * 2];
        out[i * 3 + 1] = hex[i * 2 + 1];
        if i < 5 {
            out[i * 3 + 2] = b'-';
        }
    }
    true
}

fn is_ip(s: &str) -> bool {
    // Most addresses in NPS logs are dotted IPv4: checked by hand, the rest by the parser.
    match is_ipv4(s.as_bytes()) {
        Some(v4) => v4,
        None => s.parse::<IpAddr>().is_ok(),
    }
}

/// `Some(true)` for a dotted-quad IPv4 address (octets 0–255, no leading zeros, as
/// `Ipv4Addr` accepts), `Some(false)` for text that cannot be an address, `None` when it may
/// be IPv6 (a hex letter or `:`): left to the parser.
fn is_ipv4(s: &[u8]) -> Option<bool> {
    // Read to the end even once it cannot be IPv4: `00::1` and `1234::1` are IPv6.
    let (mut octets, mut digits, mut value, mut ok) = (0, 0, 0u32, true);
    for &c in s {
        match c {
            b'0'..=b'9' => {
                ok &= !(digits == 1 && value == 0); // no leading zero
                value = (value * 10 + u32::from(c - b'0')).min(256);
                digits += 1;
                ok &= value <= 255;
            }
            b'.' => {
                ok &= digits > 0 && octets < 3;
                octets += 1;
                (digits, value) = (0, 0);
            }
            b':' | b'a'..=b'f' | b'A'..=b'F' => return None,
            _ => return Some(false), // in no address (a MAC's `-`, a space, a name)
        }
    }
    Some(ok && octets == 3 && digits > 0)
}

/// The text a document is made from: the line parsed, what `event.original` carries (the
/// line, or the whole record of a Windows event) and the document's `event.id`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub line: &'a str,
    pub original: &'a str,
    pub id: EventId,
}

/// Writes the event document for a parsed record.
pub(crate) fn write_event(
    src: Source<'_>,
    rec: &Record,
    opts: &Options,
    s: &mut Scratch,
    out: &mut Vec<u8>,
    ev: Option<&Digest<'_>>,
) {
    let Source { line, original, id } = src;
    let id = &id;
    s.first.fill(NONE);
    let mut plain = true; // every key a dense id, no repeats: attributes in input order
    for (i, a) in rec.attrs.iter().enumerate() {
        match a.key {
            Key::Id(id) => match slot(id) {
                Some(k) if s.first[k] == NONE => s.first[k] = i as u32,
                _ => plain = false,
            },
            Key::Name(_) => plain = false,
        }
    }
    let v = View {
        line,
        rec,
        first: &s.first,
    };
    let mut w = Json::new(out);
    w.begin_object();

    if let Some((local, off)) = ev.and_then(|d| d.time) {
        w.key("@timestamp");
        w.rfc3339(&local, off);
    } else if let Some(lt) = rec.time {
        // Lines come in bursts with the same second: remember the last conversion.
        let resolved = match s.ts_cache {
            Some((input, out, off)) if input == lt => Some((out, off)),
            _ => opts.zone.resolve(&lt),
        };
        if let Some((local, off)) = resolved {
            s.ts_cache = Some((lt, local, off));
            w.key("@timestamp");
            w.rfc3339(&local, off);
        }
    }

    let original = opts.keep_original.then_some(original);
    match ev {
        Some(d) => winevent::write_event_block(&mut w, d, id, original),
        None => write_ecs_event(&mut w, &v, rec.format, id, original),
    }

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
        w.object("host");
        w.str_field("name", c);
        w.end_object();
    }

    // user
    let user_raw = v
        .user_name()
        .or_else(|| v.get_nonempty(4129))
        .or_else(|| v.get_nonempty(4130).filter(|u| u.contains('\\')));
    let mut twins = Twins::default();
    let mut related_users: Set<'_, 6> = Set::new();
    // A machine account (`PC$`) names a host too.
    let mut machine = None;
    if let Some(u) = user_raw {
        let (name, mut domain) = split_user(u);
        // A bare User-Name gets its domain from SAM-Account-Name when that names the same user.
        if domain.is_none()
            && let Some((sam_user, sam_domain)) = v.get_nonempty(4129).map(split_user)
            && sam_user.eq_ignore_ascii_case(name)
        {
            domain = sam_domain;
        }
        // An event names the domain in its own field.
        domain = domain.or_else(|| ev.and_then(Digest::user_domain));
        w.object("user");
        w.str_field("name", name);
        if let Some(d) = domain {
            w.str_field("domain", d);
        }
        if let Some(id) = ev.and_then(Digest::user_id) {
            w.str_field("id", id);
        }
        w.end_object();
        twins.user = Some(u);
        twins.user_split = domain.map(|d| (name, d));
        related_users.add(machine_host(name).unwrap_or(name));
        machine = machine_host(name);
    }
    for id in [4129, 4115] {
        if let Some(u) = v.get_nonempty(id) {
            let name = split_user(u).0;
            related_users.add(machine_host(name).unwrap_or(name));
            machine = machine.or(machine_host(name));
        }
    }

    // source: the client, from Calling-Station-Id.
    let mut related_ips: Set<'_, 8> = Set::new();
    let ipsec_peer = ev
        .filter(|d| d.is_ipsec())
        .and_then(|d| d.get("RemoteAddress"))
        .filter(|a| is_ip(a));
    if let Some(peer) = ipsec_peer {
        w.object("source");
        w.str_field("ip", peer);
        w.end_object();
        related_ips.add(peer);
    } else if let Some(cs) = v.get_nonempty(31) {
        let mut m = [0u8; 17];
        if is_ip(cs) {
            w.object("source");
            w.str_field("ip", cs);
            w.end_object();
            related_ips.add(cs);
            twins.source = Some(cs);
        } else if mac(cs, &mut m) {
            w.object("source");
            w.key("mac");
            w.raw_string(&m);
            w.end_object();
            twins.source = Some(cs);
        }
    }

    // observer: the NAS (NAS-IP-Address, else the IAS header field, else the RADIUS client).
    let observer_ip = v
        .get_nonempty(4)
        .or_else(|| v.header(rec.header_nas_ip))
        .or_else(|| v.get_nonempty(4108))
        .filter(|ip| is_ip(ip));
    let observer_name = v.get_nonempty(32).or_else(|| v.get_nonempty(4128));
    twins.observer_ip = observer_ip;
    twins.observer_name = observer_name;
    let mut g = Group::new("observer");
    if let Some(ip) = observer_ip {
        g.enter(&mut w);
        w.str_field("ip", ip);
    }
    if let Some(n) = observer_name {
        g.enter(&mut w);
        w.str_field("name", n);
    }
    g.end(&mut w);

    // rule: the network policy; ruleset: the connection request policy.
    let mut g = Group::new("rule");
    twins.rule_name = v.get_nonempty(4149);
    twins.rule_ruleset = v.get_nonempty(4154);
    if let Some(p) = twins.rule_name {
        g.enter(&mut w);
        w.str_field("name", p);
    }
    if let Some(p) = twins.rule_ruleset {
        g.enter(&mut w);
        w.str_field("ruleset", p);
    }
    g.end(&mut w);

    // related
    for id in [4, 4108, 8, 8164, 4157] {
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
    for id in [8138, 8129] {
        if let Some(h) = v.get_nonempty(id) {
            hosts.add(host_of(h));
        }
    }
    if let Some(m) = machine {
        hosts.add(m);
    }
    if let Some(server) = ev.and_then(|d| d.get("AuthenticationServer")) {
        hosts.add(server);
    }
    let mut g = Group::new("related");
    for (key, set) in [
        ("ip", related_ips.as_slice()),
        ("user", related_users.as_slice()),
        ("hosts", hosts.as_slice()),
    ] {
        if !set.is_empty() {
            g.enter(&mut w);
            w.array(key);
            for x in set {
                w.string(x);
            }
            w.end_array();
        }
    }
    g.end(&mut w);

    s.typed.fill(false);
    let mut o = Out {
        full: opts.fields == Fields::Full,
        twins,
        typed: &mut s.typed,
        text: s_text(&mut s.text),
    };
    match ev {
        None => write_nps(
            &mut w,
            &v,
            rec,
            Some(plain),
            &mut s.order,
            &mut s.groups,
            &mut o,
        ),
        Some(d) => {
            winevent::write_winlog(&mut w, d);
            if d.is_nps() {
                // Same vocabulary as a log-file line; the raw data is in winlog.event_data.
                write_nps(&mut w, &v, rec, None, &mut s.order, &mut s.groups, &mut o);
            }
            if d.is_ipsec() {
                winevent::write_ipsec(&mut w, d);
            }
        }
    }
    w.end_object();
}

fn s_text(t: &mut String) -> &mut String {
    t.clear();
    t
}

/// `event.*`: what happened, from Packet-Type, Reason-Code and Acct-Status-Type.
fn write_ecs_event(
    w: &mut Json<'_>,
    v: &View<'_>,
    format: Option<Format>,
    id: &EventId,
    original: Option<&str>,
) {
    let packet = v.code(4136);
    let reason_code = v.code(4142);
    let status = v.code(40);
    let (action, category, kind): (Option<&str>, &[&str], &[&str]) = match packet {
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
    };
    let outcome = match (packet, reason_code) {
        (_, Some(r)) if r != 0 => "failure",
        (Some(2 | 4 | 5), _) => "success",
        (Some(3), _) => "failure",
        _ => "unknown",
    };
    w.object("event");
    w.str_field("kind", "event");
    w.key("id");
    w.raw_string(id.as_bytes());
    w.array("category");
    for c in category {
        w.string(c);
    }
    w.end_array();
    w.array("type");
    for t in kind {
        w.string(t);
    }
    w.end_array();
    if let Some(a) = action {
        w.str_field("action", a);
    }
    w.str_field("outcome", outcome);
    if let Some(r) = reason_code.filter(|&r| r != 0) {
        w.key("reason");
        match reason::lookup(r) {
            Some(x) => w.string(x.text),
            None => {
                let mut b = itoa::Buffer::new();
                let mut s = String::from("reason code ");
                s.push_str(b.format(r));
                w.string(&s);
            }
        }
    }
    if let Some(f) = format {
        w.str_field("dataset", f.dataset());
    }
    w.str_field("module", "nps");
    if let Some(o) = original {
        w.str_field("original", o);
    }
    w.end_object();
}

/// Writes one field of a mapping table if the value is one of its kind; whether it did.
/// `dts_octets`: the value came with DTS data_type 2 (bare hex).
fn write_field(
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

fn write_fields(w: &mut Json<'_>, g: &mut Group, v: &View<'_>, fields: &[F], o: &mut Out) {
    for f in fields {
        // One index probe per field; most are absent from any one line.
        let a = v.attr_at(f.slot as usize);
        let rendered = a.is_some_and(|a| a.data_type == winevent::RENDERED);
        let dts_octets = a.is_some_and(|a| a.data_type == 2);
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

fn write_group(w: &mut Json<'_>, v: &View<'_>, key: &'static str, fields: &[F], o: &mut Out) {
    let mut g = Group::new(key);
    write_fields(w, &mut g, v, fields, o);
    g.end(w);
}

/// `nps.*`. `attributes` is `None` for events (their raw data is `winlog.event_data`), else
/// whether the attributes can be written in input order without grouping.
fn write_nps(
    w: &mut Json<'_>,
    v: &View<'_>,
    rec: &Record,
    attributes: Option<bool>,
    order: &mut Vec<u32>,
    groups: &mut Vec<(u32, u32)>,
    o: &mut Out,
) {
    w.object("nps");
    if let Some(svc) = v.header(rec.service) {
        w.str_field("service", svc);
    }
    // Top-level scalars, Reason-Code after Packet-Type.
    let mut top = Group::inline();
    let (first, rest) = TOP.split_at(1);
    write_fields(w, &mut top, v, first, o);
    if let Some(r) = v.code(4142) {
        o.carried(4142);
        w.object("reason");
        w.u64_field("code", r.into());
        if let Some(x) = reason::lookup(r) {
            w.str_field("name", x.name);
            // Compact: the text is `event.reason` (written for every failure).
            if o.full {
                if let Some(sym) = x.symbol {
                    w.str_field("symbol", sym);
                }
                w.str_field("text", x.text);
            }
        }
        w.end_object();
    }
    write_fields(w, &mut top, v, rest, o);

    write_group(w, v, "user", USER, o);
    write_group(w, v, "machine", MACHINE, o);
    write_group(w, v, "nas", NAS, o);
    write_group(w, v, "client", CLIENT, o);
    write_group(w, v, "policy", POLICY, o);
    write_group(w, v, "proxy", PROXY, o);
    write_group(w, v, "eap", EAP, o);
    write_group(w, v, "quarantine", QUARANTINE, o);
    write_enforcement(w, v, o);
    write_system_health(w, v, rec, o);
    write_group(w, v, "acct", ACCT, o);
    for (key, fields) in LATER_GROUPS {
        write_group(w, v, key, fields, o);
    }
    write_ms_chap_error(w, v, o);
    if let Some(c) = v.get_nonempty(25) {
        write_class(w, c, o);
    }
    if let Some(ts) = v
        .get_nonempty(55)
        .and_then(|s| time::local_time_joined(s).or_else(|| time::unix_seconds(s)))
    {
        o.carried(55);
        w.key("event_timestamp");
        w.rfc3339(&ts, 0);
    }
    write_vendor_specific(w, v, rec);
    if let Some(plain) = attributes {
        write_attributes(w, v, rec, plain, order, groups, o);
    }
    w.end_object();
}

/// `nps.enforcement`: the NAP enforcement point, from MS-Network-Access-Server-Type (E17),
/// else inferred from the request's shape (marked `inferred`): RD/TS Gateway requests carry
/// `UserAuthType:` in Called-Station-Id, VPN ones a Virtual port or a PPTP/L2TP/SSTP tunnel,
/// 802.1X ones an Ethernet or wireless port. DHCP and HRA requests have no such mark.
fn write_enforcement(w: &mut Json<'_>, v: &View<'_>, o: &mut Out) {
    if let Some(code) = v.code(8132) {
        o.carried(8132);
        let kind = match code {
            0 => "unspecified",
            1 => "ts_gateway",
            2 => "vpn",
            3 => "dhcp",
            5 => "ipsec",
            6 => "hcap",
            _ => "other",
        };
        w.object("enforcement");
        w.u64_field("code", code.into());
        // Compact: `type` is the one rendering of the code.
        if o.full
            && let Some(n) = e::NETWORK_ACCESS_SERVER_TYPE.name(code)
        {
            w.str_field("name", n);
        }
        w.str_field("type", kind);
        w.end_object();
        return;
    }
    let port = v.code(61);
    let tunnel = v.code(64);
    let inferred = if v.get(30).is_some_and(|c| c.starts_with("UserAuthType:")) {
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
        w.object("enforcement");
        w.str_field("type", kind);
        w.bool_field("inferred", true);
        w.end_object();
    }
}

/// `nps.system_health`: every System-Health-Result (8124) value, one entry per validator.
fn write_system_health(w: &mut Json<'_>, v: &View<'_>, rec: &Record, o: &mut Out) {
    let mut open = false;
    for a in &rec.attrs {
        if a.key != Key::Id(8124) {
            continue;
        }
        let value = rec.text(v.line, a.value);
        for val in shr::validators(value) {
            if !open {
                w.array("system_health");
                open = true;
            }
            write_validator(w, &val, o.text, o.full);
        }
    }
    if open {
        w.end_array();
        o.carried(8124);
    }
}

/// One validator of a System-Health-Result. Compact (`full` false): each fact once — the
/// localised words only where no decoded field carries them, one meaning per item code.
pub(crate) fn write_validator(
    w: &mut Json<'_>,
    val: &shr::Validator<'_>,
    text: &mut String,
    full: bool,
) {
    w.begin_object();
    let count = val.items().count();
    let wshv = val.is_wshv(count);
    if full || !wshv {
        w.str_field("validator", val.name);
    }
    if wshv {
        w.str_field("validator_id", "wshv");
    }
    let compliance = shr::compliance(val.compliance_raw);
    if let Some(c) = compliance {
        w.str_field("compliance", c);
    }
    if !val.compliance_raw.is_empty() && (full || compliance.is_none()) {
        w.str_field("compliance_raw", val.compliance_raw);
    }
    let status = val.status();
    if !status.is_empty() {
        let extended = status.first().and_then(|s| shr::status_word(s));
        let category = status.get(1).and_then(|s| shr::status_word(s));
        let decoded = extended.is_some() && (status.len() < 2 || category.is_some());
        if full || !decoded || status.len() > 2 {
            w.array("status");
            for s in status {
                w.string(s);
            }
            w.end_array();
        }
        if let Some(x) = extended {
            w.str_field("extended_state", x);
        }
        if let Some(x) = category {
            w.str_field("failure_category", x);
        }
    }
    w.array("items");
    for (i, item) in val.items().enumerate() {
        let index = i + 1;
        let name = if wshv {
            shr::wshv_item_name(index, count)
        } else {
            None
        };
        w.begin_object();
        let mut meant = false;
        w.u64_field("index", index as u64);
        if let Some(n) = name {
            w.str_field("name", n);
        }
        match item.code {
            Some(code) => {
                let mut hex = [0u8; 10];
                w.key("code");
                w.raw_string(hex_code(code, &mut hex));
                if name != Some("update_source") {
                    w.bool_field("ok", code == 0);
                }
                text.clear();
                let meaning = shr::meaning(name, code, text);
                if full
                    && let Some(sym) = crate::codes::wshv::lookup(code).and_then(|c| c.symbol)
                    && code != 0
                {
                    w.str_field("symbol", sym);
                }
                // Compact: `ok` says a zero code passed; the server's own text only where
                // the tables have no meaning for the code.
                if full || code != 0 {
                    if let Some(m) = meaning {
                        meant = true;
                        w.str_field("meaning", m);
                    } else if !text.is_empty() {
                        meant = true;
                        w.str_field("meaning", text);
                    }
                }
            }
            None => w.str_field("code", item.code_raw),
        }
        if !item.text.is_empty() && (full || !meant) {
            w.str_field("text", item.text);
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

/// `0xC0FF0001`: the canonical spelling of a health code (8 upper-case hex digits).
fn hex_code(code: u32, buf: &mut [u8; 10]) -> &[u8] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    buf[0] = b'0';
    buf[1] = b'x';
    for i in 0..8 {
        buf[2 + i] = HEX[((code >> (28 - 4 * i)) & 15) as usize];
    }
    &buf[..]
}

fn write_class(w: &mut Json<'_>, raw: &str, o: &mut Out) {
    o.carried(25);
    w.object("class");
    // `raw` in both profiles: it is the key that pairs a request, its response and the
    // session's accounting.
    w.str_field("raw", raw);
    if let Some(c) = class::parse(raw) {
        w.u64_field("vendor_id", c.vendor_id.into());
        w.str_field("server_ip", c.server_ip);
        w.key("started");
        w.rfc3339(&c.started, 0);
        w.u64_field("serial", c.serial);
    }
    w.end_object();
}

/// Hex text (`0x…` in IAS/ODBC, bare in DTS data_type 2) as bytes, through a callback.
fn hex_bytes(s: &str) -> Option<impl Iterator<Item = u8> + '_> {
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if h.is_empty() || !h.len().is_multiple_of(2) || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(h.as_bytes().chunks(2).map(|p| {
        let d = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        d(p[0]) << 4 | d(p[1])
    }))
}

/// A text attribute that NPS printed as hex (`0x…`, or bare hex for DTS data_type 2)
/// because a byte of it is unprintable, as its text; `None` when it is not such a value.
/// MS-CHAP-Domain (4120) starts with RFC 2548's one-byte Ident, which is dropped; trailing
/// NULs (some NASes terminate strings) are dropped too. Kept as hex unless the rest is
/// UTF-8 without control characters: then it was binary after all.
fn text_from_hex(id: i32, value: &str, dts_octets: bool) -> Option<String> {
    if attributes::by_id(id).map(|a| a.ty) != Some(attributes::ValueType::Str) {
        return None;
    }
    if !(dts_octets || value.starts_with("0x") || value.starts_with("0X")) {
        return None;
    }
    let mut bytes: Vec<u8> = hex_bytes(value)?.collect();
    if id == 4120 {
        bytes.remove(0);
    }
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    let text = String::from_utf8(bytes).ok()?;
    (!text.is_empty() && !text.chars().any(char::is_control)).then_some(text)
}

/// `nps.ms_chap.error`: MS-CHAP-Error (4121) is an ident byte then text like `E=691 R=0 V=3`.
fn write_ms_chap_error(w: &mut Json<'_>, v: &View<'_>, o: &mut Out) {
    let domain = v.get_nonempty(4120);
    let error = v.get_nonempty(4121);
    if domain.is_none() && error.is_none() {
        return;
    }
    if domain.is_some() {
        o.carried(4120);
    }
    if error.is_some() {
        o.carried(4121);
    }
    let text = &mut *o.text;
    w.object("ms_chap");
    if let Some(d) = domain {
        let dts_octets = slot(4120)
            .and_then(|k| v.attr_at(k))
            .is_some_and(|a| a.data_type == 2);
        let text = text_from_hex(4120, d, dts_octets);
        w.str_field("domain", text.as_deref().unwrap_or(d));
    }
    if let Some(err) = error {
        text.clear();
        match hex_bytes(err) {
            Some(bytes) => {
                for b in bytes.skip(1) {
                    if b.is_ascii_graphic() || b == b' ' {
                        text.push(b as char);
                    }
                }
            }
            None => text.push_str(err),
        }
        w.str_field("error", text.trim_ascii());
        if let Some(code) = text.split(' ').find_map(|t| t.strip_prefix("E="))
            && let Ok(n) = code.parse::<u64>()
        {
            w.u64_field("error_code", n);
        }
    }
    w.end_object();
}

/// `nps.vendor_specific`: Vendor-Specific (26) values split into vendor id and sub-attributes
/// (RFC 2865 layout without the outer type/length, `docs/reference/nps-log-formats.md` §4.2).
fn write_vendor_specific(w: &mut Json<'_>, v: &View<'_>, rec: &Record) {
    let mut open = false;
    for a in &rec.attrs {
        if a.key != Key::Id(26) {
            continue;
        }
        let raw = rec.text(v.line, a.value).trim_ascii();
        // Octets: DTS data_type 2 (bare hex) or `0x…` in the legacy formats.
        if a.data_type != 2 && !raw.starts_with("0x") {
            continue;
        }
        let Some(bytes) = hex_bytes(raw) else {
            continue;
        };
        let mut buf = [0u8; 256];
        let mut n = 0;
        for b in bytes {
            if n == buf.len() {
                break;
            }
            buf[n] = b;
            n += 1;
        }
        let b = &buf[..n];
        if b.len() < 4 {
            continue;
        }
        let vendor_id = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        if !open {
            w.array("vendor_specific");
            open = true;
        }
        w.begin_object();
        w.u64_field("vendor_id", vendor_id.into());
        if let Some(name) = vendor::VENDOR.name(vendor_id) {
            w.str_field("vendor", name);
        }
        let mut rest = &b[4..];
        // Sub-attributes: type, length (incl. these two bytes), value.
        if rest.len() >= 2 && usize::from(rest[1]) >= 2 && usize::from(rest[1]) <= rest.len() {
            w.array("attributes");
            while rest.len() >= 2 {
                let (t, l) = (rest[0], usize::from(rest[1]));
                if l < 2 || l > rest.len() {
                    break;
                }
                let val = &rest[2..l];
                w.begin_object();
                w.u64_field("type", t.into());
                let mut hex = String::with_capacity(val.len() * 2);
                for x in val {
                    hex.push_str(&format!("{x:02X}"));
                }
                w.str_field("hex", &hex);
                if !val.is_empty() && val.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
                    w.str_field("text", std::str::from_utf8(val).unwrap_or_default());
                } else if val.len() == 4 {
                    // RFC 2865 §5: an integer is 32 bits; other widths are no known type.
                    let mut n = 0u64;
                    for x in val {
                        n = n << 8 | u64::from(*x);
                    }
                    w.u64_field("integer", n);
                }
                w.end_object();
                rest = &rest[l..];
            }
            w.end_array();
        }
        w.end_object();
    }
    if open {
        w.end_array();
    }
}

/// The attribute's key as written in `nps.attributes`; whether its value is a secret.
fn write_key(w: &mut Json<'_>, v: &View<'_>, key: Key) -> bool {
    match key {
        Key::Id(id) => match attributes::by_id(id) {
            Some(a) => {
                w.key(a.name);
                a.ty == attributes::ValueType::Secret
            }
            None => {
                w.key_numbered("id:", id);
                false
            }
        },
        Key::Name(span) => {
            w.key_escaped(v.rec.text(v.line, span));
            false
        }
    }
}

fn write_value(w: &mut Json<'_>, v: &View<'_>, i: usize, secret: bool) {
    if secret {
        w.string("[redacted]");
    } else {
        w.string(v.rec.text(v.line, v.rec.attrs[i].value));
    }
}

fn key_eq(v: &View<'_>, a: Key, b: Key) -> bool {
    match (a, b) {
        (Key::Id(x), Key::Id(y)) => x == y,
        (Key::Name(x), Key::Name(y)) => v.rec.text(v.line, x) == v.rec.text(v.line, y),
        _ => false,
    }
}

fn key_cmp(v: &View<'_>, a: Key, b: Key) -> std::cmp::Ordering {
    match (a, b) {
        (Key::Id(x), Key::Id(y)) => x.cmp(&y),
        (Key::Id(_), Key::Name(_)) => std::cmp::Ordering::Less,
        (Key::Name(_), Key::Id(_)) => std::cmp::Ordering::Greater,
        (Key::Name(x), Key::Name(y)) => v.rec.text(v.line, x).cmp(v.rec.text(v.line, y)),
    }
}

/// `nps.attributes`: every attribute by dictionary name, raw value, an array where an
/// attribute repeats, keys in order of first appearance. Secrets are redacted. Compact:
/// only the attributes no typed field carries (a repeated one is kept whole).
fn write_attributes(
    w: &mut Json<'_>,
    v: &View<'_>,
    rec: &Record,
    plain: bool,
    order: &mut Vec<u32>,
    groups: &mut Vec<(u32, u32)>,
    o: &Out,
) {
    let carried =
        |key: Key| !o.full && matches!(key, Key::Id(id) if slot(id).is_some_and(|k| o.typed[k]));
    let mut g = Group::new("attributes");
    if o.full {
        g.enter(w); // written even when empty, as it always was
    }
    if plain {
        for (i, a) in rec.attrs.iter().enumerate() {
            if carried(a.key) {
                continue;
            }
            g.enter(w);
            let secret = write_key(w, v, a.key);
            write_value(w, v, i, secret);
        }
    } else {
        // Group equal keys: sort indices by (key, position), then emit groups by first position.
        order.clear();
        order.extend(0..rec.attrs.len() as u32);
        order.sort_by(|&x, &y| {
            key_cmp(v, rec.attrs[x as usize].key, rec.attrs[y as usize].key).then(x.cmp(&y))
        });
        groups.clear();
        let mut start = 0;
        while start < order.len() {
            let k = rec.attrs[order[start] as usize].key;
            let mut end = start + 1;
            while end < order.len() && key_eq(v, rec.attrs[order[end] as usize].key, k) {
                end += 1;
            }
            groups.push((start as u32, end as u32));
            start = end;
        }
        groups.sort_by_key(|&(s, _)| order[s as usize]);
        for &(s, e) in groups.iter() {
            let first = order[s as usize] as usize;
            if e - s == 1 && carried(rec.attrs[first].key) {
                continue;
            }
            g.enter(w);
            let secret = write_key(w, v, rec.attrs[first].key);
            if e - s == 1 {
                write_value(w, v, first, secret);
            } else {
                w.begin_array();
                for &i in &order[s as usize..e as usize] {
                    write_value(w, v, i as usize, secret);
                }
                w.end_array();
            }
        }
    }
    g.end(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The hand-written IPv4 check agrees with the standard parser.
        #[test]
        fn is_ip_matches_the_std_parser(s in "[0-9.]{0,16}|[0-9.:a-fA-Fx %-]{0,18}|[0-9]{1,5}::?[0-9a-f.]{0,8}") {
            proptest::prop_assert_eq!(is_ip(&s), s.parse::<IpAddr>().is_ok());
        }
    }

    #[test]
    fn ipv4_edges() {
        for (s, ok) in [
            ("192.168.10.4", true),
            ("0.0.0.0", true),
            ("255.255.255.255", true),
            ("256.1.1.1", false),
            ("01.1.1.1", false),
            ("1.1.1", false),
            ("1.1.1.1.", false),
            ("1..1.1", false),
            ("::1", true),
            ("fe80::1", true),
            ("00::1", true),
            ("1234::1", true),
            ("256::", true),
            ("1.2.3.4::", false),
            ("::ffff:1.2.3.4", true),
        ] {
            assert_eq!(is_ip(s), ok, "{s}");
        }
    }

    #[test]
    fn user_names_split() {
        assert_eq!(split_user("NAPLAB\\napuser"), ("napuser", Some("NAPLAB")));
        assert_eq!(
            split_user("john_doe@iu13.org"),
            ("john_doe", Some("iu13.org"))
        );
        assert_eq!(
            split_user("host/pc.corp.example"),
            ("host/pc.corp.example", None)
        );
        assert_eq!(split_user("andrew"), ("andrew", None));
        assert_eq!(host_of("NAPLAB\\NAPVISTA$"), "NAPVISTA");
    }

    #[test]
    fn macs_normalise() {
        let mut m = [0u8; 17];
        for s in [
            "00-11-25-78-22-62",
            "00:11:25:78:22:62",
            "0011.2578.2262",
            "001125782262",
        ] {
            assert!(mac(s, &mut m), "{s}");
            assert_eq!(&m, b"00-11-25-78-22-62");
        }
        assert!(mac("f8-1e-df-e8-84-5a", &mut m));
        assert_eq!(&m, b"F8-1E-DF-E8-84-5A");
        for s in [
            "1",
            "192.168.1.1",
            "00-11-25-78-22",
            "00-11-25-78-22-62-11",
            "0-0-0-0-0-0-0-0-0-0-0-0",
        ] {
            assert!(!mac(s, &mut m), "{s}");
        }
    }

    #[test]
    fn slots_are_distinct() {
        let mut seen = vec![false; SLOTS];
        for id in (-91..=100)
            .chain(4096..=4171)
            .chain([5000, 6000, 6001])
            .chain(8096..=8172)
        {
            let s = slot(id).unwrap();
            assert!(!seen[s], "slot {s} twice");
            seen[s] = true;
        }
        assert!(seen.iter().all(|&x| x));
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
