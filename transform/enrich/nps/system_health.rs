//! `nps.system_health[]`: the System-Health-Result split per validator and item.

use crate::codes::ids;
use crate::enrich::{Out, View};
use crate::record::{Key, Record};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::shr;
use crate::write::{Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.system_health",
        "object[]",
        "System-Health-Result (8124), QuarantineSystemHealthResult",
        "One entry per system health validator.",
    ),
    Decl::full_only(
        "nps.system_health.validator",
        "keyword",
        "System-Health-Result (8124)",
        "The validator's name as the server wrote it (any language).",
        "full; compact: when the validator is not `wshv`",
    ),
    Decl::new(
        "nps.system_health.validator_id",
        "keyword",
        "System-Health-Result (8124)",
        "`wshv` for the Windows Security Health Validator.",
    ),
    Decl::new(
        "nps.system_health.compliance",
        "keyword",
        "System-Health-Result (8124)",
        "`compliant`, `non-compliant`, `infected`, `transitional` or `unknown` (English and Japanese words recognised).",
    ),
    Decl::full_only(
        "nps.system_health.compliance_raw",
        "keyword",
        "System-Health-Result (8124)",
        "The compliance word as written.",
        "full; compact: when `compliance` could not be read",
    ),
    Decl::full_only(
        "nps.system_health.status",
        "keyword[]",
        "System-Health-Result (8124)",
        "The raw status words.",
        "full; compact: when a status word could not be read",
    ),
    Decl::new(
        "nps.system_health.extended_state",
        "keyword",
        "System-Health-Result (8124)",
        "The extended state, where recognised.",
    ),
    Decl::new(
        "nps.system_health.failure_category",
        "keyword",
        "System-Health-Result (8124)",
        "The failure category, where recognised.",
    ),
    Decl::new(
        "nps.system_health.items",
        "object[]",
        "System-Health-Result (8124)",
        "The validator's result codes, one per item.",
    ),
    Decl::full_only(
        "nps.system_health.items.index",
        "long",
        "System-Health-Result (8124)",
        "Position of the item in the validator's result, counting from 1 (the WSHV item names are by this position).",
        "full; compact: for items with no `name`",
    ),
    Decl::new(
        "nps.system_health.items.name",
        "keyword",
        "System-Health-Result (8124)",
        "WSHV item: `firewall`, `antivirus`, `antivirus_definitions`, `antispyware`, `antispyware_definitions`, `automatic_updates`, `security_updates`, `update_level`, `update_source`.",
    ),
    Decl::full_only(
        "nps.system_health.items.code",
        "keyword",
        "System-Health-Result (8124)",
        "The result code (`0xC0FF0001`).",
        "full; compact: unless `ok` is true (code 0)",
    ),
    Decl::new(
        "nps.system_health.items.ok",
        "boolean",
        "System-Health-Result (8124)",
        "True for code 0.",
    ),
    Decl::full_only(
        "nps.system_health.items.symbol",
        "keyword",
        "System-Health-Result (8124)",
        "The code's constant name, where known.",
        "full",
    ),
    Decl::full_only(
        "nps.system_health.items.meaning",
        "keyword",
        "System-Health-Result (8124)",
        "What the code means, in English ([MS-WSH], the NAP error table).",
        "full; compact: for items that did not pass",
    ),
    Decl::full_only(
        "nps.system_health.items.text",
        "keyword",
        "System-Health-Result (8124)",
        "The server's own wording of the code (any language).",
        "full; compact: when the code has no `meaning`",
    ),
];

/// `nps.system_health`: every System-Health-Result (8124) value, one entry per validator.
pub(crate) fn write(w: &mut Json<'_>, v: &View<'_>, rec: &Record, o: &mut Out) {
    let mut open = false;
    for a in &rec.attrs {
        if a.key != Key::Id(ids::SYSTEM_HEALTH_RESULT) {
            continue;
        }
        let value = rec.text(v.line, a.value);
        for val in shr::validators(value) {
            if !open {
                w.array(k!("system_health"));
                open = true;
            }
            write_validator(w, &val, o.text, o.full);
        }
    }
    if open {
        w.end_array();
        o.carried(ids::SYSTEM_HEALTH_RESULT);
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
        w.str_field(k!("validator"), val.name);
    }
    if wshv {
        w.str_field(k!("validator_id"), "wshv");
    }
    let compliance = shr::compliance(val.compliance_raw);
    if let Some(c) = compliance {
        w.str_field(k!("compliance"), c);
    }
    if !val.compliance_raw.is_empty() && (full || compliance.is_none()) {
        w.str_field(k!("compliance_raw"), val.compliance_raw);
    }
    let status = val.status();
    if !status.is_empty() {
        let extended = status.first().and_then(|s| shr::status_word(s));
        let category = status.get(1).and_then(|s| shr::status_word(s));
        let decoded = extended.is_some() && (status.len() < 2 || category.is_some());
        if full || !decoded || status.len() > 2 {
            w.array(k!("status"));
            for s in status {
                w.string(s);
            }
            w.end_array();
        }
        if let Some(x) = extended {
            w.str_field(k!("extended_state"), x);
        }
        if let Some(x) = category {
            w.str_field(k!("failure_category"), x);
        }
    }
    w.array(k!("items"));
    for (i, item) in val.items().enumerate() {
        let index = i + 1;
        let name = if wshv {
            shr::wshv_item_name(index, count)
        } else {
            None
        };
        w.begin_object();
        let mut meant = false;
        // Compact: the name is the index's meaning, and `ok: true` says the code is 0.
        if full || name.is_none() {
            w.u64_field(k!("index"), index as u64);
        }
        if let Some(n) = name {
            w.str_field(k!("name"), n);
        }
        match item.code {
            Some(code) => {
                let has_ok = name != Some("update_source");
                if full || code != 0 || !has_ok {
                    let mut hex = [0u8; 10];
                    w.key(k!("code"));
                    w.raw_string(hex_code(code, &mut hex));
                }
                if has_ok {
                    w.bool_field(k!("ok"), code == 0);
                }
                text.clear();
                let meaning = shr::meaning(name, code, text);
                if full
                    && let Some(sym) = crate::codes::wshv::lookup(code).and_then(|c| c.symbol)
                    && code != 0
                {
                    w.str_field(k!("symbol"), sym);
                }
                // Compact: `ok` says a zero code passed; the server's own text only where
                // the tables have no meaning for the code.
                if full || code != 0 {
                    if let Some(m) = meaning {
                        meant = true;
                        w.str_field(k!("meaning"), m);
                    } else if !text.is_empty() {
                        meant = true;
                        w.str_field(k!("meaning"), text);
                    }
                }
            }
            None => w.str_field(k!("code"), item.code_raw),
        }
        if !item.text.is_empty() && (full || !meant) {
            w.str_field(k!("text"), item.text);
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

/// `0xC0FF0001`: the canonical spelling of a health code (8 upper-case hex digits).
pub(crate) fn hex_code(code: u32, buf: &mut [u8; 10]) -> &[u8] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    buf[0] = b'0';
    buf[1] = b'x';
    for i in 0..8 {
        buf[2 + i] = HEX[((code >> (28 - 4 * i)) & 15) as usize];
    }
    &buf[..]
}
