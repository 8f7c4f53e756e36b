//! Windows Security events (NPS 6272–6280, IPsec driver 4960–5485) and NPS's own System-log
//! events (provider `NPS`/`IAS`, `codes::system_events`) in every shipper shape.
//!
//! Each shape is read into one neutral [`Event`] (header + EventData by name or by
//! position); positional data is named through the event's template for its version
//! (`codes::events`). NPS EventData is then put into the record as the same attribute ids a
//! log-file line uses, so `nps.*` means the same thing whatever the source.

mod json;
#[cfg(test)]
mod json_tree;
mod tape;
mod xml;

pub(crate) use json::{from_json, marks_an_event};
pub(crate) use tape::Doc;
pub(crate) use xml::from_xml;

use crate::codes::Table;
use crate::codes::enums as e;
use crate::codes::events::{self, EventInfo};
use crate::codes::system_events::{self as system, Param, SystemEvent};
use crate::record::{Form, Key, Record};
use crate::time::{LocalTime, Zone};
use std::borrow::Cow;

pub(crate) type Text<'a> = Cow<'a, str>;

/// How a shape's time string is to be read when it carries no zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Clock {
    /// UTC (TimeCreated/SystemTime and its renderings).
    #[default]
    Utc,
    /// The collector's local time (NXLog CE `EventTime`): read in `--timezone`.
    Local,
}

/// An event, whatever shape it came in.
#[derive(Debug, Default)]
pub(crate) struct Event<'a> {
    pub shape: &'static str,
    pub event_id: Option<u32>,
    pub version: Option<u32>,
    pub provider: Option<Text<'a>>,
    pub provider_guid: Option<Text<'a>>,
    pub channel: Option<Text<'a>>,
    pub computer: Option<Text<'a>>,
    pub record_id: Option<Text<'a>>,
    pub task: Option<Text<'a>>,
    pub opcode: Option<Text<'a>>,
    pub level: Option<Text<'a>>,
    /// Keywords as a number (hex string, signed or unsigned decimal).
    pub keyword_bits: Option<u64>,
    /// Audit success / failure from keyword names or an event type (`AUDIT_FAILURE`).
    pub audit_success: Option<bool>,
    pub time: Option<(Text<'a>, Clock)>,
    /// EventData by name, in order.
    pub named: Vec<(Text<'a>, Text<'a>)>,
    /// EventData by position (StringInserts), when no names were given.
    pub inserts: Vec<Text<'a>>,
}

const AUDIT_SUCCESS: u64 = 0x0020_0000_0000_0000;
const AUDIT_FAILURE: u64 = 0x0010_0000_0000_0000;

impl<'a> Event<'a> {
    /// Success / failure from the Keywords audit bits, else from names or event type.
    pub(crate) fn outcome(&self) -> Option<bool> {
        match self.keyword_bits {
            Some(b) if b & AUDIT_SUCCESS != 0 => Some(true),
            Some(b) if b & AUDIT_FAILURE != 0 => Some(false),
            _ => self.audit_success,
        }
    }

    /// EventData as (template name, value): names kept as given (matched to the template's
    /// spelling when they differ only in case, as Wazuh's lowerCamelCase does), positions
    /// named through the template of this event id and version.
    pub(crate) fn data(&self) -> (Vec<(Text<'a>, Text<'a>)>, Option<u32>) {
        // NPS System events are classic (param1, param2, …): Security templates never apply.
        let id = match self.is_nps_system() {
            true => u32::MAX,
            false => self.event_id.unwrap_or(0),
        };
        if !self.named.is_empty() {
            let mut names: Vec<&str> = Vec::with_capacity(64);
            for (_, t) in events::templates(id) {
                names.extend_from_slice(t);
            }
            // The name as spelt first, from where the last one was found (data mostly comes
            // in template order): the same text. Then in any case, the first that matches
            // (an id's templates spell each name one way:
            // `tests::template_names_have_one_spelling`, so both searches agree).
            let mut next = 0;
            let data = self
                .named
                .iter()
                .map(|(k, v)| {
                    let exact = names[next..]
                        .iter()
                        .position(|n| same_text(n, k))
                        .map(|i| i + next)
                        .or_else(|| names[..next].iter().position(|n| same_text(n, k)));
                    let k = match exact {
                        Some(i) => {
                            next = i + 1;
                            Cow::Borrowed(names[i])
                        }
                        None => names
                            .iter()
                            .find(|n| n.eq_ignore_ascii_case(k))
                            .map_or_else(|| k.clone(), |n| Cow::Borrowed(*n)),
                    };
                    (k, v.clone())
                })
                .collect();
            return (data, self.version);
        }
        if self.inserts.is_empty() {
            return (Vec::new(), self.version);
        }
        let (version, names) = match self
            .version
            .and_then(|v| events::template(id, v).map(|t| (v, t)))
        {
            Some((v, t)) => (Some(v), Some(t)),
            None => match guess_layout(id, &self.inserts) {
                Some((v, t)) => (Some(v), Some(t)),
                None => (self.version, None),
            },
        };
        let data = self
            .inserts
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let name = match names.and_then(|n| n.get(i)) {
                    Some(n) => Cow::Borrowed(*n),
                    None => Cow::Owned(format!("param{}", i + 1)),
                };
                (name, v.clone())
            })
            .collect();
        (data, version)
    }
}

impl Event<'_> {
    /// Written by NPS itself (provider `NPS`, or `IAS` before 2008), not by the audit system.
    pub(crate) fn is_nps_system(&self) -> bool {
        self.provider.as_deref().is_some_and(system::is_provider)
    }
}

/// Text equality, the length and first byte tried before a comparison call (names are short
/// and mostly differ in one or the other).
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// The layout of positional data when the shape gave no version (Fluent Bit `winlog`,
/// some exports). Lengths decide where they can; 6273 v0 and v2 both have 26 values, so
/// there the position of the numeric ReasonCode decides (index 24 in v0, 23 in v2).
fn guess_layout(id: u32, inserts: &[Text<'_>]) -> Option<(u32, &'static [&'static str])> {
    let fits: Vec<(u32, &'static [&'static str])> = events::templates(id)
        .filter(|(_, t)| t.len() == inserts.len())
        .collect();
    match fits.as_slice() {
        [one] => Some(*one),
        [] => None,
        many => {
            let numeric = |i: usize| {
                inserts
                    .get(i)
                    .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            };
            many.iter()
                .find(|(_, t)| {
                    t.iter()
                        .position(|n| *n == "ReasonCode")
                        .is_some_and(numeric)
                })
                .copied()
                .or_else(|| many.iter().max_by_key(|(v, _)| *v).copied())
        }
    }
}

/// NPS EventData name → NPS attribute id, and the table that turns a rendered value
/// ("Wireless - IEEE 802.11", "PEAP", "Full Access") back into its code.
static NPS_FIELDS: &[(&str, i32, Option<&Table>)] = &[
    ("SubjectUserName", 1, None),
    ("FullyQualifiedSubjectUserName", 4130, None),
    ("SubjectMachineName", 8138, None),
    ("FullyQualifiedSubjectMachineName", 8129, None),
    ("MachineInventory", 8148, None),
    ("CalledStationID", 30, None),
    ("CallingStationID", 31, None),
    ("NASIPv4Address", 4, None),
    ("NASIPv6Address", 95, None),
    ("NASIdentifier", 32, None),
    ("NASPortType", 61, Some(&e::NAS_PORT_TYPE)),
    ("NASPort", 5, None),
    ("ClientName", 4128, None),
    ("ClientIPAddress", 4108, None),
    ("ProxyPolicyName", 4154, None),
    ("NetworkPolicyName", 4149, None),
    ("AuthenticationProvider", 4155, Some(&e::PROVIDER_TYPE)),
    ("AuthenticationType", 4127, Some(&e::AUTHENTICATION_TYPE)),
    ("EAPType", 4132, None),
    ("AccountSessionIdentifier", 44, None),
    ("ReasonCode", 4142, None),
    ("QuarantineState", 8111, Some(&e::QUARANTINE_STATE)),
    (
        "ExtendedQuarantineState",
        8153,
        Some(&e::EXTENDED_QUARANTINE_STATE),
    ),
    ("QuarantineSessionID", 8133, None),
    ("QuarantineSessionIdentifier", 8133, None),
    ("QuarantineHelpURL", 8121, None),
    ("QuarantineSystemHealthResult", 8124, None),
    ("QuarantineGraceTime", 8120, None),
];

/// Lower-case, without spaces and a trailing "(…)": "Virtual (VPN)" and "Virtual",
/// "MS-CHAP v2" and "MS-CHAPv2" compare equal. Lazy, so comparing allocates nothing.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    // Only names ending in ')' are searched (a `&str` pattern search is costly to set up).
    let cut = s
        .ends_with(')')
        .then(|| s.as_bytes().windows(2).position(|w| w == b" ("))
        .flatten();
    let s = cut.map_or(s, |i| &s[..i]);
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
}

/// `folded` for ASCII text, byte by byte (where it is the same: an ASCII character's lower
/// case is one ASCII character, and its white space is 9–13 and 32).
fn folded_ascii(s: &str) -> impl Iterator<Item = u8> + '_ {
    let b = s.as_bytes();
    let cut = (b.last() == Some(&b')'))
        .then(|| b.windows(2).position(|w| w == b" ("))
        .flatten();
    b[..cut.unwrap_or(b.len())]
        .iter()
        .filter(|c| !matches!(c, b'\t'..=b'\r' | b' '))
        .map(u8::to_ascii_lowercase)
}

/// Whether two texts fold to the same.
fn same_folded(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        folded_ascii(a).eq(folded_ascii(b))
    } else {
        folded(a).eq(folded(b))
    }
}

/// Renderings seen in events that differ from the dictionary's words.
static ALIASES: &[(i32, &str, u32)] = &[(8111, "quarantined", 1), (8111, "restrictedaccess", 1)];

/// The code of a rendered value, if the table (or a known alias) has it.
pub(crate) fn code_of(id: i32, table: &Table, rendered: &str) -> Option<u32> {
    table
        .rows
        .iter()
        .find(|(_, name)| same_folded(name, rendered))
        .map(|r| r.0)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(aid, a, _)| *aid == id && folded(rendered).eq(a.chars()))
                .map(|a| a.2)
        })
}

/// Puts NPS EventData into the record as attributes (copied to its scratch buffer).
pub(crate) fn fill_record(data: &[(Text<'_>, Text<'_>)], rec: &mut Record) {
    let mut code = itoa::Buffer::new();
    for (name, value) in data {
        let value = value.trim_ascii();
        if value.is_empty() || value == "-" {
            continue;
        }
        let Some(&(_, id, table)) = NPS_FIELDS.iter().find(|f| same_text(f.0, name)) else {
            continue;
        };
        let mut session = String::new();
        let (text, form) = match table {
            _ if id == 44 && session_id_from_hex(value, &mut session) => {
                (session.as_str(), Form::Untyped)
            }
            Some(t) if value.parse::<u32>().is_err() => match code_of(id, t, value) {
                Some(c) => (code.format(c), Form::Untyped),
                None => (value, Form::Rendered),
            },
            _ => (value, Form::Untyped),
        };
        let span = rec.push_owned(text);
        rec.push(Key::Id(id), span, form);
    }
}

/// AccountSessionIdentifier holds the Acct-Session-Id octets as hex (`353238` is the
/// session `528` of the log file's line): decoded into `out` when every byte is printable
/// ASCII, so the event's `nps.acct.session_id` joins the log file's. Real ids that are
/// themselves hex (`0A0B0C0D…`) decode to control bytes and stay as written; the raw value
/// stays in `winlog.event_data`.
fn session_id_from_hex(value: &str, out: &mut String) -> bool {
    let b = value.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(2) || !b.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    out.clear();
    for p in b.chunks(2) {
        let c = hex(p[0]) << 4 | hex(p[1]);
        if !(0x20..0x7f).contains(&c) {
            return false;
        }
        out.push(c as char);
    }
    true
}

/// What the writer needs about an event beyond the record.
#[derive(Debug)]
pub(crate) struct Digest<'a> {
    pub ev: &'a Event<'a>,
    pub info: Option<&'static EventInfo>,
    /// The row of an NPS System event whose id the table has.
    pub system: Option<&'static SystemEvent>,
    pub data: Vec<(Text<'a>, Text<'a>)>,
    pub version: Option<u32>,
    pub time: Option<(LocalTime, i32)>,
    pub success: Option<bool>,
}

impl<'a> Digest<'a> {
    pub(crate) fn new(ev: &'a Event<'a>, zone: &Zone) -> Self {
        let (data, version) = ev.data();
        // Ids are per provider: an NPS System event is never looked up as a Security one.
        let (info, system) = match ev.is_nps_system() {
            true => (None, ev.event_id.and_then(system::lookup)),
            false => (ev.event_id.and_then(events::lookup), None),
        };
        let time = ev
            .time
            .as_ref()
            .and_then(|(t, clock)| event_time(t, *clock, zone));
        let success = ev
            .outcome()
            .or(info.and_then(|i| i.audit_success))
            .or(system.and_then(|s| s.success));
        Digest {
            ev,
            info,
            system,
            data,
            version,
            time,
            success,
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(k, _)| same_text(k, name))
            .map(|(_, v)| v.trim_ascii())
            .filter(|v| !v.is_empty() && *v != "-")
    }

    pub(crate) fn is_nps(&self) -> bool {
        self.info
            .is_some_and(|i| i.subcategory.task == events::NPS.task)
    }

    pub(crate) fn is_ipsec(&self) -> bool {
        self.info
            .is_some_and(|i| i.subcategory.task == events::IPSEC_DRIVER.task)
    }

    /// An NPS System event (provider `NPS`/`IAS`), known to the table or not.
    pub(crate) fn is_system(&self) -> bool {
        self.ev.is_nps_system()
    }

    /// A classic event's insertion strings in order: unnamed data as it came, or named
    /// `param1`, `param2`, … (Winlogbeat) by their number, a missing number an empty string.
    /// Other names beside them (Winlogbeat's `Binary`) are not insertion strings.
    pub(crate) fn inserts(&self) -> Vec<&str> {
        // No template has more than a few strings: a crafted `param99999999` is not one.
        const MAX: usize = 64;
        let numbered = self.data.iter().filter_map(|(k, v)| {
            let n = k.strip_prefix("param")?.parse::<usize>().ok()?;
            (1..=MAX).contains(&n).then(|| (n - 1, v.trim_ascii()))
        });
        let mut out: Vec<&str> = Vec::new();
        for (i, v) in numbered {
            if out.len() <= i {
                out.resize(i + 1, "");
            }
            out[i] = v;
        }
        if out.is_empty() {
            // Other names (a converter's own): their order is the only position there is.
            return self.data.iter().map(|(_, v)| v.trim_ascii()).collect();
        }
        out
    }

    /// The value an NPS System event holds for `what`, if its row names one.
    pub(crate) fn system_param(&self, what: Param) -> Option<&str> {
        self.system?.param(what, &self.inserts())
    }

    /// The other end of the event: the IPsec peer, or the RADIUS client an NPS System event
    /// names (configured or not).
    pub(crate) fn peer_ip(&self) -> Option<&str> {
        if self.is_ipsec() {
            return self.get("RemoteAddress");
        }
        self.system_param(Param::ClientIp)
            .or_else(|| self.system_param(Param::InvalidClientIp))
    }

    /// The network access server an NPS System event names: a configured RADIUS client only.
    pub(crate) fn radius_client(&self) -> Option<&str> {
        self.system_param(Param::ClientIp)
    }

    /// A server the event names: the authenticating server, or a domain controller.
    pub(crate) fn server_host(&self) -> Option<&str> {
        self.get("AuthenticationServer")
            .or_else(|| self.system_param(Param::DomainController))
    }

    pub(crate) fn user_id(&self) -> Option<&str> {
        self.get("SubjectUserSid").filter(|s| *s != "S-1-0-0")
    }

    pub(crate) fn user_domain(&self) -> Option<&str> {
        self.get("SubjectDomainName")
    }
}

/// An event time, in UTC like every event time. Forms: RFC 3339 (`…Z`, `…+03:00`),
/// `YYYY-MM-DD HH:MM:SS +zzzz` (Fluent Bit), and zone-less `YYYY-MM-DD[T ]HH:MM:SS[.f]`
/// read as `clock` says.
pub(crate) fn event_time(s: &str, clock: Clock, zone: &Zone) -> Option<(LocalTime, i32)> {
    let s = s.trim_ascii();
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    let mut millis = None;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let digits = &f[..n];
        let mut ms = 0u16;
        for i in 0..3 {
            ms = ms * 10 + digits.as_bytes().get(i).map_or(0, |c| u16::from(c - b'0'));
        }
        millis = Some(ms);
        rest = &f[n..];
    }
    let rest = rest.trim_start();
    let offset = if rest.is_empty() {
        None
    } else if rest == "Z" || rest == "z" {
        Some(0)
    } else {
        let sign = match rest.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let d: String = rest[1..].chars().filter(|c| *c != ':').collect();
        if d.len() != 4 || !d.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let h: i32 = d[..2].parse().ok()?;
        let m: i32 = d[2..].parse().ok()?;
        Some(sign * (h * 3600 + m * 60))
    };
    let lt = LocalTime {
        year: i16::try_from(year).ok()?,
        month: month as i8,
        day: day as i8,
        hour: hour as i8,
        minute: minute as i8,
        second: second.min(59) as i8,
        millis,
    };
    match (offset, clock) {
        (Some(off), _) => crate::time::to_utc(&lt, off).map(|u| (u, 0)),
        (None, Clock::Utc) => crate::time::to_utc(&lt, 0).map(|u| (u, 0)),
        (None, Clock::Local) => {
            let (local, off) = zone.resolve(&lt)?;
            crate::time::to_utc(&local, off).map(|u| (u, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_session_identifier_is_hex_of_the_session_id() {
        let mut out = String::new();
        // ASCII: '5' 0x35, '2' 0x32, '8' 0x38; 'a' 0x61, 'b' 0x62, 'c' 0x63.
        assert!(session_id_from_hex("353238", &mut out));
        assert_eq!(out, "528");
        assert!(session_id_from_hex("3534376162633535", &mut out));
        assert_eq!(out, "547abc55");
        // A hex session id of its own (bytes 0x0A, 0x0B…) is not text: kept as written.
        assert!(!session_id_from_hex("0A0B0C0D", &mut out));
        assert!(!session_id_from_hex("35323", &mut out));
        assert!(!session_id_from_hex("528x", &mut out));
        assert!(!session_id_from_hex("", &mut out));
    }

    /// The allocating fold the lazy comparison replaced: the oracle.
    fn fold(s: &str) -> String {
        folded(s).collect()
    }

    proptest::proptest! {
        #[test]
        fn lazy_fold_compares_as_the_folded_strings(
            a in "[a-cA-C é()]{0,8}", b in "[a-cA-C é()]{0,8}"
        ) {
            proptest::prop_assert_eq!(folded(&a).eq(folded(&b)), fold(&a) == fold(&b));
        }

        #[test]
        fn ascii_fold_compares_as_the_char_fold(
            a in "[a-cA-C \t\x0b\x0c\r\n\x1f()]{0,8}", b in "[a-cA-C \t\x0b()]{0,8}"
        ) {
            proptest::prop_assert_eq!(same_folded(&a, &b), fold(&a) == fold(&b));
        }
    }

    #[test]
    fn template_names_have_one_spelling() {
        for id in (0..=u32::from(u16::MAX)).chain([u32::MAX]) {
            let names: Vec<&str> = events::templates(id)
                .flat_map(|(_, t)| t.iter().copied())
                .collect();
            for a in &names {
                for b in &names {
                    assert!(a == b || !a.eq_ignore_ascii_case(b), "{id}: {a} / {b}");
                }
            }
        }
    }

    #[test]
    fn rendered_words_fold() {
        assert_eq!(fold("Virtual (VPN)"), "virtual");
        assert_eq!(fold("MS-CHAP v2"), "ms-chapv2");
        assert_eq!(fold("Restricted Access"), "restrictedaccess");
    }

    #[test]
    fn rendered_values_map_back_to_codes() {
        assert_eq!(
            code_of(61, &e::NAS_PORT_TYPE, "Wireless - IEEE 802.11"),
            Some(19)
        );
        assert_eq!(code_of(61, &e::NAS_PORT_TYPE, "Virtual"), Some(5));
        assert_eq!(code_of(61, &e::NAS_PORT_TYPE, "Ethernet"), Some(15));
        assert_eq!(code_of(4127, &e::AUTHENTICATION_TYPE, "PEAP"), Some(11));
        assert_eq!(code_of(4127, &e::AUTHENTICATION_TYPE, "EAP"), Some(5));
        assert_eq!(code_of(4127, &e::AUTHENTICATION_TYPE, "MS-CHAPv2"), Some(4));
        assert_eq!(
            code_of(4127, &e::AUTHENTICATION_TYPE, "Unauthenticated"),
            Some(7)
        );
        assert_eq!(code_of(4155, &e::PROVIDER_TYPE, "Windows"), Some(1));
        assert_eq!(code_of(8111, &e::QUARANTINE_STATE, "Full Access"), Some(0));
        assert_eq!(code_of(8111, &e::QUARANTINE_STATE, "Quarantined"), Some(1));
        assert_eq!(
            code_of(8153, &e::EXTENDED_QUARANTINE_STATE, "No Data"),
            Some(0)
        );
        assert_eq!(code_of(4127, &e::AUTHENTICATION_TYPE, "Kerberos"), None);
    }

    #[test]
    fn event_times() {
        let z = Zone::parse("+09:00").unwrap();
        let fmt = |t: Option<(LocalTime, i32)>| {
            let (lt, off) = t.unwrap();
            let mut v = Vec::new();
            crate::time::write_rfc3339(&mut v, &lt, off);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(
            fmt(event_time("2014-03-07T18:55:51.061488000Z", Clock::Utc, &z)),
            "2014-03-07T18:55:51.061+00:00"
        );
        assert_eq!(
            fmt(event_time("2026-07-10 19:59:14 +0900", Clock::Utc, &z)),
            "2026-07-10T10:59:14+00:00"
        );
        assert_eq!(
            fmt(event_time(
                "2021-03-31T12:03:56.514071+03:00",
                Clock::Local,
                &z
            )),
            "2021-03-31T09:03:56.514+00:00"
        );
        assert_eq!(
            fmt(event_time("2017-12-19 17:45:02", Clock::Local, &z)),
            "2017-12-19T08:45:02+00:00"
        );
        assert_eq!(
            fmt(event_time("2012-03-14 04:17:43.354563", Clock::Utc, &z)),
            "2012-03-14T04:17:43.354+00:00"
        );
        assert!(event_time("yesterday", Clock::Utc, &z).is_none());
        assert!(event_time("2014-13-07T18:55:51Z", Clock::Utc, &z).is_none());
    }

    #[test]
    fn positional_layout_without_a_version() {
        let mut v0: Vec<Text<'_>> = vec![Cow::Borrowed("x"); 26];
        v0[24] = Cow::Borrowed("7"); // ReasonCode at position 25 (v0)
        assert_eq!(guess_layout(6273, &v0).unwrap().0, 0);
        let mut v2: Vec<Text<'_>> = vec![Cow::Borrowed("x"); 26];
        v2[23] = Cow::Borrowed("16"); // ReasonCode at position 24 (v2)
        assert_eq!(guess_layout(6273, &v2).unwrap().0, 2);
        let v1: Vec<Text<'_>> = vec![Cow::Borrowed("x"); 27];
        assert_eq!(guess_layout(6272, &v1).unwrap().0, 1);
        assert!(guess_layout(6272, &v1[..5]).is_none());
    }
}
