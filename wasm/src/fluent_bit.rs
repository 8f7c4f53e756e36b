//! The Fluent Bit WASM filter (`filter_wasm`, `Event_Format json`): one exported function
//! with the 6-argument C ABI Fluent Bit calls per record (docs/reference/fluent-bit-wasm.md).
//!
//! The record body is JSON: `{"log": "<NPS line>", …}` from `tail` (other keys kept), or a
//! `winevtlog` event map. The result is one NUL-terminated JSON object — an error document
//! for bad input — because Fluent Bit may crash on text that is not JSON; or, for a blank
//! line (as the CLI skips it), the empty string, which drops the record. It is
//! written into one buffer reused for the instance's life (Fluent Bit copies it and never
//! frees it). NPS file times are read as UTC unless the record carries `nps_timezone`
//! (an IANA name or offset, e.g. added by a `modify` filter), which is taken out.

use nps_enrich::{Fields, Options, Transformer, Zone};
use std::cell::RefCell;

/// The record key that names the NPS server's time zone.
pub const ZONE_KEY: &str = "nps_timezone";

struct State {
    transformer: Transformer,
    zone: String,
    /// The field profile `transformer` writes.
    fields: Fields,
    /// The record without its zone key, when it had one.
    record: String,
}

thread_local! {
    // Fluent Bit serialises calls on one thread; the instance lives as long as the filter.
    static STATE: RefCell<State> = RefCell::new(State {
        transformer: Transformer::new(Options::default()),
        zone: String::from("UTC"),
        fields: Fields::Compact,
        record: String::new(),
    });
}

fn no_record(out: &mut Vec<u8>, why: &str) {
    let doc = serde_json::json!({
        "event": {"kind": "pipeline_error", "module": "nps"},
        "error": {"type": "no_record", "message": why},
    });
    // Writing a Value into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &doc);
}

/// The zone a record names, and the record's text without that key (cut out of the text,
/// so key order and everything else stay as Fluent Bit wrote them).
fn take_zone(bytes: &[u8]) -> Option<(String, String)> {
    let key = format!("\"{ZONE_KEY}\"");
    let at = memchr::memmem::find(bytes, key.as_bytes())?;
    let text = std::str::from_utf8(bytes).ok()?;
    let serde_json::Value::Object(map) = serde_json::from_str(text).ok()? else {
        return None;
    };
    let zone = map.get(ZONE_KEY)?.as_str()?.to_string();
    // The member is `"nps_timezone"` `:` `"…"`: find the end of its string value.
    let after_key = at + key.len();
    let colon = after_key + text[after_key..].find(':')?;
    let open = colon + 1 + text[colon + 1..].find('"')?;
    let mut i = open + 1;
    let b = text.as_bytes();
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    let end = i + 1;
    // Remove one comma next to the member with it.
    let before = text[..at].trim_end();
    let (start, end) = if before.ends_with(',') {
        (before.len() - 1, end)
    } else {
        let after = &text[end.min(text.len())..];
        let skip = after.len() - after.trim_start().len();
        let comma = after.trim_start().starts_with(',') as usize;
        (at, end + skip + comma)
    };
    let rest = format!("{}{}", &text[..start], &text[end.min(text.len())..]);
    // Only if what is left is still the same object without the key.
    let check: serde_json::Value = serde_json::from_str(&rest).ok()?;
    (check.as_object()?.len() + 1 == map.len()).then_some((zone, rest))
}

/// The line of a tail record (`log`, without a trailing line end and a leading BOM) and its
/// `offset` (`Offset_Key offset`: where the line starts in its file), when it has them.
fn long_line(record: &[u8]) -> (Option<String>, Option<u64>) {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice(record) else {
        return (None, None);
    };
    let at = map.get("offset").and_then(serde_json::Value::as_u64);
    let line = match map.remove("log") {
        Some(serde_json::Value::String(mut s)) => {
            s.truncate(s.trim_end_matches(['\r', '\n']).len());
            Some(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s))
        }
        _ => None,
    };
    (line, at)
}

/// The filter's work, without pointers: `record` (None when Fluent Bit passed none) →
/// one JSON object in `out`, or nothing for a blank line; NUL-terminated. The default
/// (compact) field profile.
pub fn filter_record(record: Option<&[u8]>, out: &mut Vec<u8>) {
    filter_record_as(record, Fields::Compact, out);
}

/// [`filter_record`] in the field profile `fields`.
pub fn filter_record_as(record: Option<&[u8]>, fields: Fields, out: &mut Vec<u8>) {
    STATE.with(|cell| {
        let mut st = cell.borrow_mut();
        let st = &mut *st;
        out.clear();
        if st.fields != fields {
            st.fields = fields;
            st.transformer = Transformer::new(Options {
                zone: Zone::parse(&st.zone).unwrap_or_else(|_| Zone::utc()),
                fields,
                ..Options::default()
            });
        }
        match record {
            None => no_record(
                out,
                "Fluent Bit passed no record: it could not copy it into the module's memory",
            ),
            Some(bytes) => {
                let mut input = bytes;
                // A zone named in the record: use it, and pass the record on without it.
                if let Some((zone, rest)) = take_zone(bytes) {
                    if zone != st.zone
                        && let Ok(z) = Zone::parse(&zone)
                    {
                        st.transformer = Transformer::new(Options {
                            zone: z,
                            fields,
                            ..Options::default()
                        });
                        st.zone = zone;
                    }
                    st.record = rest;
                    input = st.record.as_bytes();
                } else if st.zone != "UTC" {
                    st.transformer = Transformer::new(Options {
                        fields,
                        ..Options::default()
                    });
                    st.zone = String::from("UTC");
                }
                let max = st.transformer.options().max_line_bytes;
                if input.len() > max {
                    // An over-long line (tail passes lines up to Buffer_Max_Size, and cuts
                    // longer ones there): the CLI's `line_too_long` document for it, made from
                    // the line's start at its offset, so two long lines with the same start
                    // get two ids. Anything else over the limit is the record's.
                    let (line, at) = long_line(input);
                    match line {
                        Some(line) if line.len() > max => {
                            st.transformer.transform_too_long_at(
                                line.as_bytes(),
                                line.len(),
                                at,
                                out,
                            );
                        }
                        _ => {
                            st.transformer.transform_at(input, at, out);
                        }
                    }
                } else {
                    // Blank (a blank line, or a record around one): nothing is written, and
                    // the empty string drops the record.
                    st.transformer.transform(input, out);
                }
            }
        }
        out.push(0);
    });
}

/// Fluent Bit's filter entry point: `(tag, tag_len, time_sec, time_nsec, record,
/// record_len) -> pointer to a NUL-terminated JSON object`, valid until the next call.
///
/// # Safety
///
/// `record` is null or points to `record_len` readable bytes that stay valid for the call,
/// as Fluent Bit guarantees for the copy of the record body it makes in module memory.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_enrich_filter(
    _tag: *const u8,
    _tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record: *const u8,
    record_len: u32,
) -> *const u8 {
    // SAFETY: the caller's contract (above), passed on.
    unsafe { filter_raw(record, record_len, Fields::Compact) }
}

/// [`nps_enrich_filter`] writing the full field profile (every raw attribute and every
/// rendering of each code): `Function_Name nps_enrich_filter_full`.
///
/// # Safety
///
/// As [`nps_enrich_filter`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_enrich_filter_full(
    _tag: *const u8,
    _tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record: *const u8,
    record_len: u32,
) -> *const u8 {
    // SAFETY: the caller's contract (above), passed on.
    unsafe { filter_raw(record, record_len, Fields::Full) }
}

/// Both entry points: the record from Fluent Bit's pointer, the document in `OUT`.
///
/// # Safety
///
/// `record` is null or points to `record_len` readable bytes valid for the call.
#[allow(unsafe_code)]
unsafe fn filter_raw(record: *const u8, record_len: u32, fields: Fields) -> *const u8 {
    let bytes = if record.is_null() {
        None
    } else {
        // SAFETY: the caller's contract: `record` points to `record_len` readable bytes,
        // valid until the call returns; they are only read here.
        Some(unsafe { std::slice::from_raw_parts(record, record_len as usize) })
    };
    OUT.with(|cell| {
        let mut out = cell.borrow_mut();
        filter_record_as(bytes, fields, &mut out);
        out.as_ptr()
    })
}

thread_local! {
    // The returned text: valid until the next call, which is when Fluent Bit has copied it.
    static OUT: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(16 * 1024));
}

/// The module's version, NUL-terminated (the crate's, the CLI's and the npm package's).
#[allow(unsafe_code)] // no_mangle: an exported symbol name, no unsafe operation
#[unsafe(no_mangle)]
pub extern "C" fn nps_enrich_version() -> *const u8 {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr()
}

/// WAMR calls `_initialize` on a reactor module; without it, it prints a warning at load.
#[allow(unsafe_code)] // no_mangle: an exported symbol name, no unsafe operation
#[unsafe(no_mangle)]
pub extern "C" fn _initialize() {}

#[cfg(test)]
mod tests {
    use super::{nps_enrich_filter, take_zone};
    use std::ffi::CStr;

    /// Calls the entry point as Fluent Bit does; the text it returns, copied.
    #[allow(unsafe_code)]
    fn call(record: Option<&[u8]>) -> String {
        let (ptr, len) = record.map_or((std::ptr::null(), 0), |r| (r.as_ptr(), r.len()));
        let tag = b"nps.log";
        // SAFETY: the pointers and lengths describe live buffers, as Fluent Bit's do.
        let out =
            unsafe { nps_enrich_filter(tag.as_ptr(), tag.len() as u32, 1, 2, ptr, len as u32) };
        // SAFETY: the filter returns a NUL-terminated buffer valid until the next call.
        unsafe { CStr::from_ptr(out.cast()) }
            .to_str()
            .unwrap()
            .to_string()
    }

    /// The pointer contract (also run under Miri): a record is read within its bounds and
    /// not after the call; the result is NUL-terminated and stays valid until the next call.
    #[test]
    fn the_c_entry_point_keeps_its_contract() {
        let line = br#"{"log":"192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2,4142,0"}"#;
        // A record in a buffer of exactly its length, freed right after the call.
        let record = line.to_vec().into_boxed_slice();
        let first = call(Some(&record));
        drop(record);
        assert!(
            first.starts_with(r#"{"@timestamp":"2008-01-17T13:13:41+00:00""#),
            "{first}"
        );
        // No record: an error document, not a crash.
        let none = call(None);
        assert!(none.contains(r#""type":"no_record""#), "{none}");
        // An empty record is a blank line: the empty string, which drops it.
        assert_eq!(call(Some(b"")), "");
        // Bytes that are not JSON: one document.
        assert!(call(Some(b"\xff\x00{")).contains("pipeline_error"));
        // A long document after a short one: the reused buffer grows, still terminated.
        let long = format!(r#"{{"log":"{}"}}"#, "x".repeat(100_000));
        assert!(call(Some(long.as_bytes())).len() > 1_000);
    }

    #[test]
    fn the_zone_key_is_cut_out_of_the_text() {
        let (z, rest) = take_zone(br#"{"log":"x,y","nps_timezone":"Asia/Tokyo","b":1}"#).unwrap();
        assert_eq!(
            (z.as_str(), rest.as_str()),
            ("Asia/Tokyo", r#"{"log":"x,y","b":1}"#)
        );
        let (_, rest) = take_zone(br#"{"nps_timezone":"+09:00","log":"a"}"#).unwrap();
        assert_eq!(rest, r#"{"log":"a"}"#);
        let (_, rest) = take_zone(br#"{"nps_timezone":"UTC"}"#).unwrap();
        assert_eq!(rest, "{}");
        assert!(take_zone(br#"{"log":"nps_timezone is in the text"}"#).is_none());
        assert!(take_zone(br#"{"nps_timezone":5}"#).is_none());
    }
}
