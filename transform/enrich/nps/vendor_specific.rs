//! `nps.vendor_specific[]`: Vendor-Specific (26) split into vendor and sub-attributes.

use crate::codes::ids;
use crate::codes::vendor;
use crate::enrich::View;
use crate::enrich::values::hex_bytes;
use crate::record::{Key, Record};
#[cfg(feature = "internals")]
use crate::schema::Decl;
use crate::write::{Json, k};

/// The fields this module writes, for the output reference (`crate::schema`).
#[cfg(feature = "internals")]
pub(crate) static FIELDS: &[Decl] = &[
    Decl::new(
        "nps.vendor_specific",
        "object[]",
        "Vendor-Specific (26)",
        "One entry per Vendor-Specific attribute.",
    ),
    Decl::new(
        "nps.vendor_specific.vendor_id",
        "long",
        "Vendor-Specific (26)",
        "The SMI vendor number.",
    ),
    Decl::new(
        "nps.vendor_specific.vendor",
        "keyword",
        "Vendor-Specific (26)",
        "The vendor's name.",
    ),
    Decl::new(
        "nps.vendor_specific.attributes",
        "object[]",
        "Vendor-Specific (26)",
        "The vendor's sub-attributes.",
    ),
    Decl::new(
        "nps.vendor_specific.attributes.type",
        "long",
        "Vendor-Specific (26)",
        "Sub-attribute type.",
    ),
    Decl::new(
        "nps.vendor_specific.attributes.hex",
        "keyword",
        "Vendor-Specific (26)",
        "Its value as hex.",
    ),
    Decl::new(
        "nps.vendor_specific.attributes.text",
        "keyword",
        "Vendor-Specific (26)",
        "Its value as text, when printable.",
    ),
    Decl::new(
        "nps.vendor_specific.attributes.integer",
        "long",
        "Vendor-Specific (26)",
        "Its value as a big-endian number, when exactly 4 bytes (RFC 2865 integer).",
    ),
];

/// `nps.vendor_specific`: Vendor-Specific (26) values split into vendor id and sub-attributes
/// (RFC 2865 layout without the outer type/length, `docs/reference/nps-log-formats.md` §4.2).
pub(crate) fn write(w: &mut Json<'_>, v: &View<'_>, rec: &Record) {
    let mut open = false;
    for a in &rec.attrs {
        if a.key != Key::Id(ids::VENDOR_SPECIFIC) {
            continue;
        }
        let raw = rec.text(v.line, a.value).trim_ascii();
        // Octets: DTS data_type 2 (bare hex) or `0x…` in the legacy formats.
        if !a.form.is_bare_hex() && !raw.starts_with("0x") {
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
            w.array(k!("vendor_specific"));
            open = true;
        }
        w.begin_object();
        w.u64_field(k!("vendor_id"), vendor_id.into());
        if let Some(name) = vendor::VENDOR.name(vendor_id) {
            w.str_field(k!("vendor"), name);
        }
        let mut rest = &b[4..];
        // Sub-attributes: type, length (incl. these two bytes), value.
        if rest.len() >= 2 && usize::from(rest[1]) >= 2 && usize::from(rest[1]) <= rest.len() {
            w.array(k!("attributes"));
            while rest.len() >= 2 {
                let (t, l) = (rest[0], usize::from(rest[1]));
                if l < 2 || l > rest.len() {
                    break;
                }
                let val = &rest[2..l];
                w.begin_object();
                w.u64_field(k!("type"), t.into());
                // Upper-case hex, made on the stack (a value is under 256 bytes).
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let mut hex = [0u8; 512];
                for (pair, x) in hex.chunks_exact_mut(2).zip(val) {
                    pair[0] = HEX[usize::from(x >> 4)];
                    pair[1] = HEX[usize::from(x & 15)];
                }
                w.key(k!("hex"));
                w.raw_string(&hex[..(val.len() * 2).min(hex.len())]);
                if !val.is_empty() && val.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
                    w.str_field(k!("text"), std::str::from_utf8(val).unwrap_or_default());
                } else if val.len() == 4 {
                    // RFC 2865 §5: an integer is 32 bits; other widths are no known type.
                    let mut n = 0u64;
                    for x in val {
                        n = n << 8 | u64::from(*x);
                    }
                    w.u64_field(k!("integer"), n);
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
