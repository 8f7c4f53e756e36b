//! The two field profiles against each other, on the golden cases kept in both
//! (`tests/golden/*/NAME-full.*` beside `NAME.*`): the compact document only leaves fields
//! out of the full one, never changes or adds one; and nothing of the line is lost — every
//! attribute the full document lists raw is, in the compact one, either still raw or carried
//! by a decoded field.

use serde_json::Value;
use std::path::Path;

fn leaves<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, format!("{path}[{i}]"), out);
            }
        }
        _ => out.push((path, v)),
    }
}

fn pairs() -> Vec<(String, Value, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let full = f.unwrap().path();
            let name = full.file_name().unwrap().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix("-full.out.jsonl") else {
                continue;
            };
            let compact = dir.join(format!("{stem}.out.jsonl"));
            let a = std::fs::read_to_string(&full).unwrap();
            let b = std::fs::read_to_string(&compact).unwrap();
            assert_eq!(a.lines().count(), b.lines().count(), "{name}");
            for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
                out.push((
                    format!("{}:{}", compact.display(), i + 1),
                    serde_json::from_str(x).unwrap(),
                    serde_json::from_str(y).unwrap(),
                ));
            }
        }
    }
    assert!(
        out.len() >= 10,
        "the golden corpus keeps both profiles of several cases"
    );
    out
}

#[test]
fn compact_only_leaves_fields_out() {
    for (at, full, compact) in pairs() {
        let (mut f, mut c) = (Vec::new(), Vec::new());
        leaves(&full, String::new(), &mut f);
        leaves(&compact, String::new(), &mut c);
        for (path, v) in &c {
            // Arrays may be shorter (a status word left out), so compare by value there.
            let same = f.iter().any(|(p, x)| p == path && x == v)
                || (path.contains('[') && f.iter().any(|(p, x)| x == v && strip(p) == strip(path)));
            assert!(same, "{at}: {path} = {v} is not in the full document");
        }
        assert!(c.len() <= f.len(), "{at}");
    }
}

fn strip(p: &str) -> String {
    let mut s = String::new();
    let mut skip = false;
    for ch in p.chars() {
        match ch {
            '[' => skip = true,
            ']' => skip = false,
            _ if !skip => s.push(ch),
            _ => {}
        }
    }
    s
}

/// The decoded field that carries an attribute whose raw text the compact document leaves
/// out although its value is not copied verbatim (split, normalised or parsed).
const DECODED: &[(&str, &str)] = &[
    // `event.action` names a line's packet type; `event.outcome: success` says Reason-Code 0.
    ("Packet-Type", "/event/action"),
    ("Reason-Code", "/event/outcome"),
    ("System-Health-Result", "/nps/system_health/0/compliance"),
    ("User-Name", "/user/name"),
    ("SAM-Account-Name", "/user/name"),
    ("Fully-Qualifed-User-Name", "/user/name"),
    ("Calling-Station-ID", "/source"),
    ("MS-CHAP-Error", "/nps/ms_chap/error"),
];

#[test]
fn nothing_of_the_line_is_lost() {
    let mut checked = 0;
    for (at, full, compact) in pairs() {
        let Some(raw) = full.pointer("/nps/attributes").and_then(Value::as_object) else {
            continue;
        };
        let kept = compact
            .pointer("/nps/attributes")
            .and_then(Value::as_object);
        let mut c = Vec::new();
        leaves(&compact, String::new(), &mut c);
        for (name, value) in raw {
            checked += 1;
            if kept.is_some_and(|k| k.get(name) == Some(value)) {
                continue;
            }
            let values: Vec<&str> = match value {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                v => vec![v.as_str().unwrap()],
            };
            assert!(
                !value.is_array(),
                "{at}: repeated {name} must stay raw in compact"
            );
            for v in values {
                let v = v.trim();
                let verbatim = c.iter().any(|(_, x)| match x {
                    Value::String(s) => s == v,
                    Value::Number(n) => n.to_string() == v,
                    _ => false,
                });
                let decoded = DECODED
                    .iter()
                    .any(|(n, ptr)| n == name && compact.pointer(ptr).is_some());
                assert!(
                    v.is_empty() || verbatim || decoded,
                    "{at}: {name} = {v:?} is neither raw nor carried by a field"
                );
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// The `copy_to` pairs of the Elasticsearch template (made from the writer's own table):
/// source field, `related.*` array.
fn copied_into_related() -> Vec<(String, String)> {
    fn walk(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
        let Some(props) = v.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (k, x) in props {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            for to in x
                .get("copy_to")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push((p.clone(), to.as_str().unwrap().to_string()));
            }
            walk(x, &p, out);
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vector-config/elasticsearch/component-template-nps.json");
    let t: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    walk(&t["template"]["mappings"], "", &mut out);
    out
}

/// The compact document leaves out of `related.*` exactly the values the index template
/// copies back in: its `related.*` plus those fields' values is the full document's.
#[test]
fn related_plus_what_the_template_copies_is_the_full_related() {
    let copies = copied_into_related();
    assert_eq!(copies.len(), 4, "{copies:?}");
    let mut checked = 0;
    for (at, full, compact) in pairs() {
        for key in ["ip", "user", "hosts"] {
            let list = |d: &Value| -> Vec<String> {
                let mut v: Vec<String> = d
                    .pointer(&format!("/related/{key}"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect();
                v.sort();
                v
            };
            let want = list(&full);
            let mut got = list(&compact);
            for (from, to) in &copies {
                let ptr = format!("/{}", from.replace('.', "/"));
                if to == &format!("related.{key}")
                    && let Some(x) = compact.pointer(&ptr).and_then(Value::as_str)
                    && want.iter().any(|w| w == x)
                    && !got.iter().any(|g| g == x)
                {
                    got.push(x.to_string());
                }
            }
            got.sort();
            assert_eq!(got, want, "{at}: related.{key}");
            checked += want.len();
        }
    }
    assert!(checked > 50, "{checked}");
}
