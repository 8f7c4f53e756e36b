//! `nps.attributes`: the attributes by dictionary name, raw.

use crate::codes::attributes;
use crate::enrich::index::slot;
use crate::enrich::{Out, View};
use crate::record::{Key, Record};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::write::{Group, Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[Decl::full_only(
    "nps.attributes.*",
    "keyword",
    "every attribute",
    "Every attribute by its dictionary name (`id:NNNN` for unnamed ids) with its raw value, in input order; an array where it repeats; secrets written `[redacted]`. Not written for events.",
    "full; compact: only attributes no typed field carries",
)];

/// The attribute's key as written in `nps.attributes`; whether its value is a secret.
pub(crate) fn write_key(w: &mut Json<'_>, v: &View<'_>, key: Key) -> bool {
    match key {
        Key::Id(id) => match attributes::by_id(id) {
            Some(a) => {
                w.key_str(a.name);
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

pub(crate) fn write_value(w: &mut Json<'_>, v: &View<'_>, i: usize, secret: bool) {
    if secret {
        w.string("[redacted]");
    } else {
        w.string(v.rec.text(v.line, v.rec.attrs[i].value));
    }
}

pub(crate) fn key_eq(v: &View<'_>, a: Key, b: Key) -> bool {
    match (a, b) {
        (Key::Id(x), Key::Id(y)) => x == y,
        (Key::Name(x), Key::Name(y)) => v.rec.text(v.line, x) == v.rec.text(v.line, y),
        _ => false,
    }
}

pub(crate) fn key_cmp(v: &View<'_>, a: Key, b: Key) -> std::cmp::Ordering {
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
pub(crate) fn write(
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
    let mut g = Group::new(k!("attributes"));
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
