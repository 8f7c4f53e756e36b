//! The baseline the Fluent Bit module is measured against (`benches/fluent_bit_fuel.py`):
//! the least a JSON filter does. Same C ABI as `nps_enrich_filter`: the record is parsed into
//! a `serde_json::Value`, four keys are added, and it is serialised into a buffer reused from
//! call to call, NUL-terminated. No decoding at all.

use serde_json::{Map, Value};
use std::cell::RefCell;

thread_local! {
    static OUT: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(16 * 1024));
}

/// The record with the four keys added; `{}` plus the keys when it is not a JSON object.
pub fn filter_record(record: &[u8], out: &mut Vec<u8>) {
    let mut map = match serde_json::from_slice::<Value>(record) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    map.insert("event.kind".into(), "event".into());
    map.insert("event.module".into(), "nps".into());
    map.insert("event.dataset".into(), "nps.log".into());
    map.insert("observer.vendor".into(), "Microsoft".into());
    out.clear();
    // Writing a Value into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &Value::Object(map));
    out.push(0);
}

/// `(tag, tag_len, time_sec, time_nsec, record, record_len) -> NUL-terminated JSON`, as
/// Fluent Bit's filter_wasm calls it.
///
/// # Safety
///
/// `record` points to `record_len` readable bytes valid for the call.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn baseline_filter(
    _tag: *const u8,
    _tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record: *const u8,
    record_len: u32,
) -> *const u8 {
    let bytes: &[u8] = if record.is_null() {
        &[]
    } else {
        // SAFETY: the caller's contract above.
        unsafe { std::slice::from_raw_parts(record, record_len as usize) }
    };
    OUT.with(|cell| {
        let mut out = cell.borrow_mut();
        filter_record(bytes, &mut out);
        out.as_ptr()
    })
}

/// WAMR calls `_initialize` on a reactor module.
#[allow(unsafe_code)] // no_mangle: an exported symbol name, no unsafe operation
#[unsafe(no_mangle)]
pub extern "C" fn _initialize() {}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_four_keys_and_keeps_the_rest() {
        let mut out = Vec::new();
        super::filter_record(br#"{"log":"a,b","n":1}"#, &mut out);
        assert_eq!(out.pop(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let m = v.as_object().unwrap();
        assert_eq!(m.len(), 6);
        assert_eq!(m["log"], "a,b");
        assert_eq!(m["event.module"], "nps");
    }
}
