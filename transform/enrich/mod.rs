//! Record → one ECS-shaped JSON document, written in a fixed key order in one pass.
//!
//! One module per part of the document, each holding the code that writes its fields and
//! their declarations (`FIELDS`, from which docs/output.md and the Elasticsearch template are
//! made): `event` (`event.*`), `identity` (`host`, `user`, `source`, `observer`, `rule`,
//! `related`), `winlog` and `ipsec` (Windows events), `nps` (`nps.*`, a module per
//! structured field). Which attribute fills which `nps.*` field is data (`tables`);
//! attributes are found through a direct index by id (`index`), built once per line. The
//! parsers (`ias`, `odbc`, `dts`, `winevent`) only read: everything written is written here.

mod event;
mod identity;
mod index;
mod ipsec;
mod nps;
mod tables;
mod values;
mod winlog;

#[cfg(feature = "internals")]
pub(crate) use nps::system_health::write_validator;

/// Every field the modules here declare, for the output reference.
#[cfg(feature = "internals")]
pub(crate) fn declared() -> impl Iterator<Item = &'static crate::schema::Decl> {
    [
        FIELDS,
        event::FIELDS,
        identity::FIELDS,
        nps::FIELDS,
        nps::enforcement::FIELDS,
        nps::system_health::FIELDS,
        nps::class::FIELDS,
        nps::ms_chap::FIELDS,
        nps::vendor_specific::FIELDS,
        nps::attributes::FIELDS,
        nps::system_event::FIELDS,
        winlog::FIELDS,
        ipsec::FIELDS,
    ]
    .into_iter()
    .flatten()
}
#[cfg(feature = "internals")]
pub(crate) use identity::RELATED_FROM;
#[cfg(feature = "internals")]
pub(crate) use tables::table_fields;

use crate::codes::ids;
use crate::event_id::EventId;
use crate::record::{Key, Record};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::time::LocalTime;
use crate::winevent::Digest;
use crate::write::{Json, k};
use crate::{Fields, Options};
use index::{NONE, SLOT_WORDS, SLOTS, slot};
use tables::Twin;

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[Decl::new(
    "@timestamp",
    "date",
    "IAS/ODBC record date and time, DTS Timestamp, event TimeCreated",
    "When the record was written, with its offset: NPS local times are read in --timezone (a time in a DST gap is the instant it names; in a repeated hour the earlier); events in UTC. Absent when the line has no time.",
)];

/// Buffers reused from line to line.
#[derive(Debug)]
pub(crate) struct Scratch {
    first: Vec<u32>,
    /// The slots `first` holds, as a bit set.
    present: Present,
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
            present: Present::default(),
            typed: vec![false; SLOTS],
            order: Vec::new(),
            groups: Vec::new(),
            text: String::new(),
            ts_cache: None,
        }
    }
}

/// A handful of distinct strings, kept without allocating.
pub(crate) struct Set<'a, const N: usize> {
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

/// Which index slots a line has an attribute in.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Present([u64; SLOT_WORDS]);

impl Present {
    fn set(&mut self, k: usize) {
        if let Some(w) = self.0.get_mut(k / 64) {
            *w |= 1 << (k % 64);
        }
    }

    /// Whether the line has an attribute in any of `slots`.
    #[inline]
    pub(crate) fn any(&self, slots: &[u64; SLOT_WORDS]) -> bool {
        self.0.iter().zip(slots).any(|(a, b)| a & b != 0)
    }
}

/// Everything the writer looks up, for one line.
pub(crate) struct View<'a> {
    line: &'a str,
    rec: &'a Record,
    first: &'a [u32],
    present: &'a Present,
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
        self.get_nonempty(ids::USER_NAME)
            .or_else(|| self.header(self.rec.header_user))
    }
}

/// What the `nps.*` writers need beyond the record: the profile; in the compact one, the ECS
/// values already written (their `nps.*` twins are left out) and which attributes a typed
/// field carries (left out of `nps.attributes`).
pub(crate) struct Out<'a, 'b> {
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
pub(crate) struct Twins<'a> {
    observer_ip: Option<&'a str>,
    observer_name: Option<&'a str>,
    rule_name: Option<&'a str>,
    rule_ruleset: Option<&'a str>,
    source: Option<&'a str>,
    user: Option<&'a str>,
    /// `user.name` and `user.domain` as written.
    user_split: Option<(&'a str, &'a str)>,
    /// `event.action` was made from Packet-Type (a log-file line, not an event).
    packet_action: bool,
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
        if t == Twin::EventAction {
            return self.packet_action && value.parse().is_ok_and(event::names_packet);
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
            Twin::EventAction => None,
        }
    }
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
    s.present = Present::default();
    let mut plain = true; // every key a dense id, no repeats: attributes in input order
    for (i, a) in rec.attrs.iter().enumerate() {
        match a.key {
            Key::Id(id) => match slot(id) {
                Some(k) if s.first[k] == NONE => {
                    s.first[k] = i as u32;
                    s.present.set(k);
                }
                _ => plain = false,
            },
            Key::Name(_) => plain = false,
        }
    }
    let v = View {
        line,
        rec,
        first: &s.first,
        present: &s.present,
    };
    let mut w = Json::new(out);
    w.begin_object();

    if let Some((local, off)) = ev.and_then(|d| d.time) {
        w.key(k!("@timestamp"));
        w.rfc3339(&local, off);
    } else if let Some(lt) = rec.time {
        // Lines come in bursts with the same second: remember the last conversion.
        let resolved = match s.ts_cache {
            Some((input, out, off)) if input == lt => Some((out, off)),
            _ => opts.zone.resolve(&lt),
        };
        if let Some((local, off)) = resolved {
            s.ts_cache = Some((lt, local, off));
            w.key(k!("@timestamp"));
            w.rfc3339(&local, off);
        }
    }

    let original = opts.keep_original.then_some(original);
    match ev {
        Some(d) => event::write(&mut w, &event::Header::of_event(d), id, original),
        None => event::write(
            &mut w,
            &event::Header::of_line(&v, rec.format),
            id,
            original,
        ),
    }

    let full = opts.fields == Fields::Full;
    let mut twins = identity::write(&mut w, &v, rec, ev, full);
    twins.packet_action = ev.is_none();

    s.typed.fill(false);
    let mut o = Out {
        full,
        twins,
        typed: &mut s.typed,
        text: s_text(&mut s.text),
    };
    match ev {
        None => nps::write(
            &mut w,
            &v,
            rec,
            Some(plain),
            &mut s.order,
            &mut s.groups,
            &mut o,
        ),
        Some(d) => {
            winlog::write(&mut w, d);
            if d.is_nps() {
                // Same vocabulary as a log-file line; the raw data is in winlog.event_data.
                nps::write(&mut w, &v, rec, None, &mut s.order, &mut s.groups, &mut o);
            }
            if d.is_ipsec() {
                ipsec::write(&mut w, d);
            }
            if d.is_system() {
                nps::system_event::write(&mut w, d, o.full);
            }
        }
    }
    w.end_object();
}

fn s_text(t: &mut String) -> &mut String {
    t.clear();
    t
}
