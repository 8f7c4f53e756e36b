//! What the fuzz targets share: how fuzz data becomes a line for each parser, and the
//! checks every output must pass (`tests/support/invariants.rs`, the same the property and
//! adversarial tests use). A failed check panics, which libFuzzer reports as a crash.

use nps_enrich::{Format, Options, Outcome, Transformer};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::sync::OnceLock;

#[path = "../../tests/support/invariants.rs"]
mod invariants;

thread_local! {
    static AUTO: RefCell<Transformer> = RefCell::new(Transformer::new(Options::default()));
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One line through the transform (its format detected, or forced), then checked.
pub fn line(input: &[u8], format: Option<Format>) {
    OUT.with(|out| {
        let out = &mut *out.borrow_mut();
        out.clear();
        let outcome = match format {
            None => AUTO.with(|t| t.borrow_mut().transform(input, out)),
            Some(f) => Transformer::new(Options {
                format: Some(f),
                ..Options::default()
            })
            .transform(input, out),
        };
        check(input, outcome, out);
    });
}

fn check(input: &[u8], outcome: Outcome, out: &[u8]) {
    if let Err(e) = invariants::check_fast(input, outcome, out) {
        panic!(
            "{e}\n input: {:?}\noutput: {}",
            String::from_utf8_lossy(input),
            String::from_utf8_lossy(out)
        );
    }
}

/// XML text content: markup characters escaped (so the fuzz data reaches the value).
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `value` as one attribute of a DTS line that also says what kind of packet it was: for
/// the System-Health-Result splitter and the Class parser, reached as users reach them.
pub fn dts_attribute(name: &str, data: &[u8]) {
    let value = String::from_utf8_lossy(data);
    let line = format!(
        r#"<Event><Timestamp data_type="4">01/17/2008 13:13:40.123</Timestamp><Computer-Name data_type="1">NAPNPS</Computer-Name><Event-Source data_type="1">IAS</Event-Source><Packet-Type data_type="0">2</Packet-Type><Quarantine-Update-Non-Compliant data_type="0">1</Quarantine-Update-Non-Compliant><{name} data_type="1">{}</{name}><Reason-Code data_type="0">0</Reason-Code></Event>"#,
        xml_text(&value)
    );
    line_str(&line);
}

fn line_str(line: &str) {
    self::line(line.as_bytes(), None)
}

/// The Security-event JSON shapes, grouped as fuzz targets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Family {
    /// Winlogbeat (6, 7, 8), dotted ECS keys, Graylog, Wazuh.
    Beats,
    /// Vector, Fluent Bit winevtlog/winlog, NXLog, OpenTelemetry.
    Agents,
    /// evtx dumps, xmltodict, Sentinel, event XML inside JSON.
    Exports,
}

impl Family {
    fn of(shape: &str) -> Option<Family> {
        let starts = |p: &[&str]| p.iter().any(|p| shape.starts_with(p));
        if starts(&["winlogbeat", "graylog", "dotted-ecs", "wazuh"]) {
            Some(Family::Beats)
        } else if starts(&["vector", "fluentbit", "nxlog", "otel"]) {
            Some(Family::Agents)
        } else if starts(&["evtx", "xmltodict", "sentinel", "xml-in-json"]) {
            Some(Family::Exports)
        } else {
            None
        }
    }
}

/// The golden event lines with the shape each is in (`tests/golden/winevent/*.shapes`).
const GOLDEN: &[(&str, &str)] = &[
    (
        include_str!("../../tests/golden/winevent/grant-6272-shapes.shapes"),
        include_str!("../../tests/golden/winevent/grant-6272-shapes.in"),
    ),
    (
        include_str!("../../tests/golden/winevent/denial-6273-shapes.shapes"),
        include_str!("../../tests/golden/winevent/denial-6273-shapes.in"),
    ),
    (
        include_str!("../../tests/golden/winevent/ipsec.shapes"),
        include_str!("../../tests/golden/winevent/ipsec.in"),
    ),
    (
        include_str!("../../tests/golden/winevent/layouts.shapes"),
        include_str!("../../tests/golden/winevent/layouts.in"),
    ),
    (
        include_str!("../../tests/golden/winevent/nap-and-account.shapes"),
        include_str!("../../tests/golden/winevent/nap-and-account.in"),
    ),
];

/// The JSON templates of one family, parsed once.
fn templates(family: Family) -> &'static [Value] {
    static ALL: OnceLock<[Vec<Value>; 3]> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut all: [Vec<Value>; 3] = Default::default();
        for (shapes, lines) in GOLDEN {
            for (shape, line) in shapes.lines().zip(lines.lines()) {
                if let (Some(f), Ok(v)) = (Family::of(shape), serde_json::from_str(line)) {
                    all[f as usize].push(v);
                }
            }
        }
        all
    });
    &all[family as usize]
}

/// The ids worth hitting: every catalogued event, and one that is not.
const EVENT_IDS: &[u16] = &[
    6272, 6273, 6274, 6275, 6276, 6277, 6278, 6279, 6280, 4960, 4961, 4962, 4963, 4964, 4965, 5478,
    5479, 5480, 5483, 5484, 5485, 4624,
];

/// Structure-aware: the data picks a template of the family and an event id, and gives
/// name/value pairs (separated by NUL and 0xFF bytes) that go into its event data (or its
/// string inserts), so every input is a well-formed event of that shape and the fuzzer
/// spends its time in field mapping and decoding, not in JSON syntax.
pub fn event_json(family: Family, data: &[u8]) {
    let [pick, id, rest @ ..] = data else { return };
    let templates = templates(family);
    let mut v = templates[usize::from(*pick) % templates.len()].clone();
    if let Some(&id) = EVENT_IDS.get(usize::from(*id)) {
        set_event_id(&mut v, id);
    }
    let text = String::from_utf8_lossy(rest);
    let mut pairs = Map::new();
    let mut values = Vec::new();
    for item in text.split('\0') {
        let (k, val) = item.split_once('\u{FFFD}').unwrap_or((item, ""));
        pairs.insert(k.to_string(), Value::String(val.to_string()));
        values.push(Value::String(item.to_string()));
    }
    inject(&mut v, &pairs, &values);
    line_str(&v.to_string());
}

fn squash(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn set_event_id(v: &mut Value, id: u16) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                match squash(k).as_str() {
                    "eventid" | "winlogeventid" => {
                        *val = if val.is_string() {
                            Value::String(id.to_string())
                        } else {
                            Value::from(id)
                        }
                    }
                    _ => set_event_id(val, id),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| set_event_id(i, id)),
        _ => {}
    }
}

/// Adds the pairs to every event-data object and replaces string-insert arrays; a shape
/// with neither (NXLog: flattened) gets them at the top level.
fn inject(v: &mut Value, pairs: &Map<String, Value>, values: &[Value]) {
    fn walk(v: &mut Value, pairs: &Map<String, Value>, values: &[Value]) -> bool {
        let mut hit = false;
        match v {
            Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    let key = squash(k);
                    if key.ends_with("eventdata") && val.is_object() {
                        let obj = val.as_object_mut().unwrap();
                        obj.extend(pairs.iter().map(|(k, v)| (k.clone(), v.clone())));
                        hit = true;
                    } else if key.ends_with("stringinserts") && val.is_array() {
                        *val = Value::Array(values.to_vec());
                        hit = true;
                    } else {
                        hit |= walk(val, pairs, values);
                    }
                }
            }
            Value::Array(items) => {
                for i in items {
                    hit |= walk(i, pairs, values);
                }
            }
            _ => {}
        }
        hit
    }
    if !walk(v, pairs, values)
        && let Value::Object(map) = v
    {
        map.extend(pairs.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

/// The Fluent Bit filter's C entry point, called as Fluent Bit calls it: the result is one
/// NUL-terminated JSON object with no NUL before its end.
pub fn fluent_bit(data: &[u8]) {
    use nps_enrich_wasm::fluent_bit::nps_enrich_filter;
    let tag = b"nps";
    // SAFETY: both pointers point to as many readable bytes as their lengths say, valid for
    // the call; null is allowed for the record and tested when the data is empty.
    let ptr = unsafe {
        let record = if data.is_empty() {
            std::ptr::null()
        } else {
            data.as_ptr()
        };
        nps_enrich_filter(tag.as_ptr(), 3, 0, 0, record, data.len() as u32)
    };
    assert!(!ptr.is_null());
    // SAFETY: the filter returns a pointer to a NUL-terminated buffer it keeps until the
    // next call.
    let text = unsafe { std::ffi::CStr::from_ptr(ptr.cast()) }.to_bytes();
    let v = invariants::parse_strict(text).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(text));
    });
    assert!(v.is_object(), "{v}");
}
