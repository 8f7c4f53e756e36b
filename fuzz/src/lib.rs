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
    // One transformer per forced format (index 0: detected), made once.
    static TRANSFORMERS: RefCell<Vec<Transformer>> = RefCell::new(
        std::iter::once(None)
            .chain(Format::ALL.map(Some))
            .map(|format| Transformer::new(Options { format, ..Options::default() }))
            .collect(),
    );
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One line through the transform (its format detected, or forced), then checked.
pub fn line(input: &[u8], format: Option<Format>) {
    let slot = format.map_or(0, |f| f as usize + 1);
    OUT.with(|out| {
        let out = &mut *out.borrow_mut();
        out.clear();
        let outcome = TRANSFORMERS.with(|t| t.borrow_mut()[slot].transform(input, out));
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

/// A template and where fuzz data goes in it, found once (JSON pointers).
struct Template {
    value: Value,
    /// Event-data objects: the pairs are added to each.
    data: Vec<String>,
    /// String-insert arrays: replaced by the values.
    inserts: Vec<String>,
    /// Event-id members.
    ids: Vec<String>,
}

/// The JSON templates of one family, parsed and mapped once.
fn templates(family: Family) -> &'static [Template] {
    static ALL: OnceLock<[Vec<Template>; 3]> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut all: [Vec<Template>; 3] = Default::default();
        for (shapes, lines) in GOLDEN {
            for (shape, line) in shapes.lines().zip(lines.lines()) {
                if let (Some(f), Ok(value)) = (Family::of(shape), serde_json::from_str(line)) {
                    let mut t = Template {
                        value,
                        data: Vec::new(),
                        inserts: Vec::new(),
                        ids: Vec::new(),
                    };
                    map(&t.value.clone(), String::new(), &mut t);
                    all[f as usize].push(t);
                }
            }
        }
        all
    });
    &all[family as usize]
}

fn squash(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Finds the event data, string inserts and event ids under `v` (at pointer `at`).
fn map(v: &Value, at: String, t: &mut Template) {
    match v {
        Value::Object(obj) => {
            for (k, x) in obj {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                let key = squash(k);
                if key.ends_with("eventdata") && x.is_object() {
                    t.data.push(p);
                } else if key.ends_with("stringinserts") && x.is_array() {
                    t.inserts.push(p);
                } else if matches!(key.as_str(), "eventid" | "winlogeventid")
                    && (x.is_string() || x.is_number())
                {
                    t.ids.push(p);
                } else {
                    map(x, p, t);
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                map(x, format!("{at}/{i}"), t);
            }
        }
        _ => {}
    }
}

/// The ids worth hitting: every catalogued event, and one that is not.
const EVENT_IDS: &[u16] = &[
    6272, 6273, 6274, 6275, 6276, 6277, 6278, 6279, 6280, 4960, 4961, 4962, 4963, 4964, 4965, 5478,
    5479, 5480, 5483, 5484, 5485, 4624,
];

/// Structure-aware: the data picks a template of the family and an event id, and gives
/// name/value pairs (separated by NUL, a name from its value by U+FFFD) that go into its
/// event data (or its string inserts; a shape with neither, NXLog's, gets them at the top
/// level), so every input is a well-formed event of that shape and the fuzzer spends its
/// time in field mapping and decoding, not in JSON syntax.
pub fn event_json(family: Family, data: &[u8]) {
    let [pick, id, rest @ ..] = data else { return };
    let templates = templates(family);
    let t = &templates[usize::from(*pick) % templates.len()];
    let mut v = t.value.clone();
    if let Some(&id) = EVENT_IDS.get(usize::from(*id)) {
        for p in &t.ids {
            if let Some(x) = v.pointer_mut(p) {
                *x = if x.is_string() {
                    Value::String(id.to_string())
                } else {
                    Value::from(id)
                };
            }
        }
    }
    let text = String::from_utf8_lossy(rest);
    let mut pairs = Map::new();
    let mut values = Vec::new();
    for item in text.split('\0') {
        let (k, val) = item.split_once('\u{FFFD}').unwrap_or((item, ""));
        pairs.insert(k.to_string(), Value::String(val.to_string()));
        values.push(Value::String(item.to_string()));
    }
    for p in &t.inserts {
        if let Some(x) = v.pointer_mut(p) {
            *x = Value::Array(values.clone());
        }
    }
    let targets: Vec<&str> = if t.data.is_empty() && t.inserts.is_empty() {
        vec![""]
    } else {
        t.data.iter().map(String::as_str).collect()
    };
    for p in targets {
        if let Some(Value::Object(obj)) = v.pointer_mut(p) {
            obj.extend(pairs.iter().map(|(k, x)| (k.clone(), x.clone())));
        }
    }
    line_str(&v.to_string());
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
