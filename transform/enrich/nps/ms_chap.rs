//! `nps.ms_chap`: MS-CHAP-Domain and MS-CHAP-Error.

use crate::codes::ids;
use crate::enrich::index::slot;
use crate::enrich::values::{hex_bytes, text_from_hex};
use crate::enrich::{Out, View};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::write::{Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.ms_chap.domain",
        "keyword",
        "MS-CHAP-Domain (4120)",
        "The MS-CHAP domain.",
    ),
    Decl::new(
        "nps.ms_chap.error",
        "keyword",
        "MS-CHAP-Error (4121)",
        "The MS-CHAP error string, decoded from hex (`E=691 R=0 V=3`).",
    ),
    Decl::new(
        "nps.ms_chap.error_code",
        "long",
        "MS-CHAP-Error (4121)",
        "The error number in it (691).",
    ),
];

/// `nps.ms_chap.error`: MS-CHAP-Error (4121) is an ident byte then text like `E=691 R=0 V=3`.
pub(crate) fn write(w: &mut Json<'_>, v: &View<'_>, o: &mut Out) {
    let domain = v.get_nonempty(ids::MS_CHAP_DOMAIN);
    let error = v.get_nonempty(ids::MS_CHAP_ERROR);
    if domain.is_none() && error.is_none() {
        return;
    }
    if domain.is_some() {
        o.carried(ids::MS_CHAP_DOMAIN);
    }
    if error.is_some() {
        o.carried(ids::MS_CHAP_ERROR);
    }
    let text = &mut *o.text;
    w.object(k!("ms_chap"));
    if let Some(d) = domain {
        let dts_octets = slot(ids::MS_CHAP_DOMAIN)
            .and_then(|k| v.attr_at(k))
            .is_some_and(|a| a.form.is_bare_hex());
        let text = text_from_hex(ids::MS_CHAP_DOMAIN, d, dts_octets);
        w.str_field(k!("domain"), text.as_deref().unwrap_or(d));
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
        w.str_field(k!("error"), text.trim_ascii());
        if let Some(code) = text.split(' ').find_map(|t| t.strip_prefix("E="))
            && let Ok(n) = code.parse::<u64>()
        {
            w.u64_field(k!("error_code"), n);
        }
    }
    w.end_object();
}
