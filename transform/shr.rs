//! System-Health-Result (attribute 8124, and `QuarantineSystemHealthResult` in events
//! 6276–6278): one validator's verdict and its items.
//!
//! Layout, from the whitepaper's examples (`docs/reference/nps-log-formats.md` §6.1 leaves it unconfirmed):
//! `NAME..:COMPLIANCE :STATUS :STATUS :(0xCODE - text ..):(0xCODE - ):…` — the validator
//! name, the compliance word in the server's language, two status words (by their wording
//! the extended state "No Data" and the failure category "None"), then one `(code - text)`
//! item per check. For the Windows Security Health Validator the items come in a fixed
//! order (§6.2; 8 on the whitepaper's Vista clients, 9 with the update source, 6 on XP).
//! The parser is tolerant: anything it does not recognise is kept raw.

use crate::codes::wshv;

/// One validator's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Validator<'a> {
    pub name: &'a str,
    pub compliance_raw: &'a str,
    /// Status words after the compliance word (at most 4 kept).
    pub status: [&'a str; 4],
    pub status_len: usize,
    /// The `(…):(…)` part, without the leading `(` and trailing `)`.
    items: &'a str,
}

/// One `(0xCODE - text)` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    pub code_raw: &'a str,
    pub code: Option<u32>,
    pub text: &'a str,
}

/// Splits a System-Health-Result value into validators (normally one; more if several were
/// joined into one string).
pub(crate) fn validators(s: &str) -> impl Iterator<Item = Validator<'_>> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let r = rest.trim_start();
        if r.is_empty() {
            return None;
        }
        let (v, next) = parse_one(r);
        rest = next;
        Some(v)
    })
}

/// Trims white space and the `..` that NPS appends to names and texts.
fn clean(s: &str) -> &str {
    let s = s.trim();
    if s.ends_with("..") {
        s.trim_end_matches('.').trim_end()
    } else {
        s
    }
}

fn parse_one(s: &str) -> (Validator<'_>, &str) {
    let b = s.as_bytes();
    // Items start at the first ":(0x" (or at a leading "(0x").
    let items_at = if s.starts_with("(0x") || s.starts_with("(0X") {
        Some(0)
    } else {
        memchr::memmem::find_iter(b, b":(")
            .find(|&i| matches!(b.get(i + 2..i + 4), Some(b"0x" | b"0X")))
            .map(|i| i + 1)
    };
    // The name and words before the items (without the `:` that joins them).
    let prefix = &s[..items_at.map_or(s.len(), |i| i.saturating_sub(1))];
    let mut fields = prefix.split(':');
    let name = clean(fields.next().unwrap_or(""));
    let compliance_raw = fields.next().map(str::trim).unwrap_or("");
    let mut status = [""; 4];
    let mut status_len = 0;
    for f in fields {
        let f = f.trim();
        if !f.is_empty() && status_len < status.len() {
            status[status_len] = f;
            status_len += 1;
        }
    }
    let Some(start) = items_at else {
        return (
            Validator {
                name,
                compliance_raw,
                status,
                status_len,
                items: "",
            },
            "",
        );
    };
    // Walk `(…)` items; an item ends at a `)` followed by `:` or the end.
    let mut pos = start;
    let mut rest = "";
    let mut end = start;
    while b.get(pos) == Some(&b'(') {
        let close = memchr::memchr_iter(b')', &b[pos..])
            .map(|i| pos + i)
            .find(|&i| match b.get(i + 1) {
                None | Some(b':') => true,
                _ => s[i + 1..].trim().is_empty(),
            });
        let Some(close) = close else {
            end = s.len();
            break;
        };
        end = close + 1;
        match b.get(close + 1) {
            Some(b':') if b.get(close + 2) == Some(&b'(') => pos = close + 2,
            Some(b':') => {
                rest = &s[close + 2..];
                break;
            }
            _ => break,
        }
    }
    let items = s[start..end].trim();
    let items = items.strip_prefix('(').unwrap_or(items);
    let items = items.strip_suffix(')').unwrap_or(items);
    (
        Validator {
            name,
            compliance_raw,
            status,
            status_len,
            items,
        },
        rest,
    )
}

impl<'a> Validator<'a> {
    pub(crate) fn items(&self) -> impl Iterator<Item = Item<'a>> + 'a {
        let items = self.items;
        let mut parts = (!items.is_empty()).then(|| items.split("):("));
        std::iter::from_fn(move || parts.as_mut()?.next().map(parse_item))
    }

    pub(crate) fn status(&self) -> &[&'a str] {
        &self.status[..self.status_len]
    }

    /// Whether this is the Windows Security Health Validator, whose items have fixed names.
    pub(crate) fn is_wshv(&self, item_count: usize) -> bool {
        const NAMES: &[&str] = &[
            "Windows Security Health Validator",
            "Windows System Health Validator",
            "Windows セキュリティ正常性検証ツール",
        ];
        NAMES.iter().any(|n| self.name.eq_ignore_ascii_case(n))
            || (self.name.contains("Windows") && matches!(item_count, 6 | 8 | 9))
    }
}

fn parse_item(s: &str) -> Item<'_> {
    let s = s.trim();
    let (code_raw, text) = match memchr::memchr(b' ', s.as_bytes()) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    };
    let text = text.strip_prefix('-').unwrap_or(text);
    let code = code_raw
        .strip_prefix("0x")
        .or_else(|| code_raw.strip_prefix("0X"))
        .filter(|h| !h.is_empty() && h.len() <= 8)
        .and_then(|h| u32::from_str_radix(h, 16).ok());
    Item {
        code_raw,
        code,
        text: clean(text),
    }
}

/// Canonical compliance for the word NPS wrote, in the languages we have seen.
pub(crate) fn compliance(word: &str) -> Option<&'static str> {
    let w = word.trim();
    const WORDS: &[(&str, &str)] = &[
        ("compliant", "compliant"),
        ("準拠", "compliant"),
        ("non-compliant", "non-compliant"),
        ("noncompliant", "non-compliant"),
        ("non compliant", "non-compliant"),
        ("not compliant", "non-compliant"),
        ("非準拠", "non-compliant"),
        ("infected", "infected"),
        ("transitional", "transitional"),
        ("transition", "transitional"),
        ("unknown", "unknown"),
    ];
    WORDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(w))
        .map(|(_, v)| *v)
}

/// Canonical value of a status word: the extended state (No Data, Transition, Infected,
/// Unknown — E16) or the failure category "None".
pub(crate) fn status_word(word: &str) -> Option<&'static str> {
    const WORDS: &[(&str, &str)] = &[
        ("no data", "no_data"),
        ("データなし", "no_data"),
        ("none", "none"),
        ("なし", "none"),
        ("transition", "transition"),
        ("infected", "infected"),
        ("unknown", "unknown"),
    ];
    WORDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(word.trim()))
        .map(|(_, v)| *v)
}

/// The name of WSHV item `index` (1-based) when the validator reported `count` items.
pub(crate) fn wshv_item_name(index: usize, count: usize) -> Option<&'static str> {
    const FULL: [&str; 9] = [
        "firewall",
        "antivirus",
        "antivirus_definitions",
        "antispyware",
        "antispyware_definitions",
        "automatic_updates",
        "security_updates",
        "update_level",
        "update_source",
    ];
    // Windows XP SP3 sends no antispyware classes (whitepaper: 6 items).
    const XP: [&str; 6] = [
        "firewall",
        "antivirus",
        "antivirus_definitions",
        "automatic_updates",
        "security_updates",
        "update_level",
    ];
    let i = index.checked_sub(1)?;
    match count {
        6 => XP.get(i).copied(),
        _ => FULL.get(i).copied(),
    }
}

/// What a code means in its position: flags for the update level and source, else the
/// health code table.
pub(crate) fn meaning(item: Option<&str>, code: u32, out: &mut String) -> Option<&'static str> {
    match item {
        Some("update_source") => {
            flags(code, wshv::UPDATE_SOURCE_FLAGS, out);
            None
        }
        Some("update_level") if code != 0 => {
            flags(code, wshv::SEVERITY_FLAGS, out);
            None
        }
        _ => wshv::lookup(code).map(|c| c.meaning),
    }
}

fn flags(code: u32, table: &[(u32, &str)], out: &mut String) {
    for (bit, name) in table {
        if code & bit != 0 {
            if !out.is_empty() {
                out.push_str(" + ");
            }
            out.push_str(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "Windows セキュリティ正常性検証ツール..:非準拠 :データなし :なし :(0xc0ff0001 - システム正常性コンポーネントが有効になっていません。 ..):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - )";

    #[test]
    fn whitepaper_example() {
        let v: Vec<_> = validators(SEED).collect();
        assert_eq!(v.len(), 1);
        let v = &v[0];
        assert_eq!(v.name, "Windows セキュリティ正常性検証ツール");
        assert_eq!(v.compliance_raw, "非準拠");
        assert_eq!(compliance(v.compliance_raw), Some("non-compliant"));
        assert_eq!(v.status(), ["データなし", "なし"]);
        let items: Vec<_> = v.items().collect();
        assert_eq!(items.len(), 8);
        assert!(v.is_wshv(8));
        assert_eq!(items[0].code, Some(0xC0FF_0001));
        assert_eq!(
            items[0].text,
            "システム正常性コンポーネントが有効になっていません。"
        );
        assert!(
            items[1..]
                .iter()
                .all(|i| i.code == Some(0) && i.text.is_empty())
        );
        assert_eq!(wshv_item_name(1, 8), Some("firewall"));
        assert_eq!(wshv_item_name(8, 8), Some("update_level"));
        assert_eq!(wshv_item_name(4, 6), Some("automatic_updates"));
    }

    #[test]
    fn second_validator_and_english_words() {
        let v: Vec<_> = validators("SDK SHV Sample:準拠 :データなし :なし :(0x0 - )").collect();
        assert_eq!(v[0].name, "SDK SHV Sample");
        assert_eq!(compliance(v[0].compliance_raw), Some("compliant"));
        assert_eq!(v[0].items().count(), 1);
        assert!(!v[0].is_wshv(1));
        let en = "Windows Security Health Validator:Noncompliant :No Data :None :(0xc0ff0004 - The signatures are out of date (AV).):(0x0 - )";
        let v: Vec<_> = validators(en).collect();
        assert_eq!(compliance(v[0].compliance_raw), Some("non-compliant"));
        let items: Vec<_> = v[0].items().collect();
        assert_eq!(items[0].text, "The signatures are out of date (AV).");
        assert_eq!(items[1].code, Some(0));
    }

    #[test]
    fn two_validators_in_one_string() {
        let s = "Windows Security Health Validator:Compliant :No Data :None :(0x0 - ):(0x0 - ):SDK SHV Sample:Compliant :No Data :None :(0x0 - )";
        let v: Vec<_> = validators(s).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].name, "SDK SHV Sample");
        assert_eq!(v[0].items().count(), 2);
    }

    #[test]
    fn tolerates_garbage() {
        for s in [
            "",
            ":",
            "(",
            "(0x",
            "abc:(0xzz - )",
            "x:(0x1 - a):(",
            "::::(0x1):",
        ] {
            for v in validators(s) {
                let _ = v.items().count();
            }
        }
        let mut out = String::new();
        assert_eq!(meaning(Some("update_source"), 0x24000, &mut out), None);
        assert_eq!(out, "Windows Update + Microsoft Update");
    }
}
