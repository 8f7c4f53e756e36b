//! `docs/output.md` is made from `nps_enrich::schema` (`NPS_ENRICH_BLESS=1` rewrites it),
//! and every field of every golden document must be in the schema with the type it has
//! there, so the reference cannot drift from what the code emits.

use nps_enrich::schema::{self, FieldDoc};
use serde_json::Value;

#[path = "support/files.rs"]
mod files;

#[test]
fn output_doc_is_current() {
    files::assert_generated_file_current("docs/output.md", &schema::markdown());
}

#[test]
fn schema_paths_are_unique() {
    let fields = schema::fields();
    let mut paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    let n = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), n, "a field documented twice");
}

/// The documented field for a path: exact, or through a `*` row.
fn lookup<'f>(fields: &'f [FieldDoc], path: &str) -> Option<&'f FieldDoc> {
    fields.iter().find(|f| f.path == path).or_else(|| {
        fields.iter().find(|f| {
            f.path
                .strip_suffix('*')
                .is_some_and(|prefix| !prefix.is_empty() && path.starts_with(prefix))
        })
    })
}

/// Whether a JSON value fits a documented type.
fn fits(ty: &str, v: &Value) -> bool {
    if ty == "(as written)" {
        return true;
    }
    let (scalar, array) = match ty.strip_suffix("[]") {
        Some(s) => (s, true),
        None => (ty, false),
    };
    let one = |v: &Value| match v {
        Value::String(_) => matches!(scalar, "keyword" | "text" | "date" | "ip"),
        Value::Number(n) => scalar == "long" && n.is_u64(),
        Value::Bool(_) => scalar == "boolean",
        Value::Object(_) => scalar == "object",
        _ => false,
    };
    match v {
        Value::Array(items) => (array || scalar == "keyword") && items.iter().all(one),
        v => one(v),
    }
}

/// Walks a document: each field's path with its value.
fn walk<'v>(v: &'v Value, path: String, out: &mut Vec<(String, &'v Value)>) {
    if let Value::Object(map) = v {
        for (k, x) in map {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            out.push((p.clone(), x));
            match x {
                Value::Object(_) => walk(x, p, out),
                Value::Array(items) => items.iter().for_each(|i| walk(i, p.clone(), out)),
                _ => {}
            }
        }
    }
}

#[test]
fn every_golden_field_is_documented_with_its_type() {
    let fields = schema::fields();
    let mut checked = 0;
    let mut problems = Vec::new();
    for f in files::golden_outputs() {
        let input =
            std::fs::read_to_string(f.with_extension("").with_extension("in")).unwrap_or_default();
        let inputs: Vec<&str> = input
            .lines()
            .filter(|l| !l.trim_start_matches('\u{feff}').trim_ascii().is_empty())
            .collect();
        let out = std::fs::read_to_string(&f).unwrap();
        for (i, line) in out.lines().enumerate() {
            let doc: Value = serde_json::from_str(line).unwrap();
            // A shipper's record: its other members come through at the top level.
            let record: Option<Value> = inputs.get(i).and_then(|l| serde_json::from_str(l).ok());
            let mut all = Vec::new();
            walk(&doc, String::new(), &mut all);
            for (path, v) in all {
                let top = path.split('.').next().unwrap();
                let from_record = record.as_ref().is_some_and(|r| r.get(top).is_some())
                    && lookup(&fields, top).is_none_or(|d| d.path == "*");
                // Plain objects only hold fields; envelope members are the shipper's.
                if from_record || v.is_object() || path.starts_with("envelope.") {
                    continue;
                }
                checked += 1;
                match lookup(&fields, &path).filter(|d| d.path != "*") {
                    None => problems.push(format!("{path}: not documented ({})", f.display())),
                    Some(d) if !fits(d.ty, v) => {
                        problems.push(format!("{path}: documented {}, found {v}", d.ty))
                    }
                    Some(_) => {}
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 5_000, "{checked} fields checked");
}

/// The other direction: every documented field is written by some golden document, so the
/// reference lists nothing the code no longer writes, and every field has a golden case.
#[test]
fn every_documented_field_is_in_a_golden_document() {
    let mut seen: Vec<String> = Vec::new();
    for f in files::golden_outputs() {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let doc: Value = serde_json::from_str(line).unwrap();
            let mut all = Vec::new();
            walk(&doc, String::new(), &mut all);
            seen.extend(all.into_iter().map(|(p, _)| p));
        }
    }
    seen.sort();
    seen.dedup();
    let missing: Vec<String> = schema::fields()
        .into_iter()
        .map(|f| f.path)
        // `*` alone stands for a shipper's own members, kept as they come.
        .filter(|p| p != "*")
        .filter(|p| match p.strip_suffix('*') {
            Some(prefix) => !seen.iter().any(|s| s.starts_with(prefix)),
            None => !seen.iter().any(|s| s == p),
        })
        .collect();
    assert!(
        missing.is_empty(),
        "documented but in no golden document:\n{}",
        missing.join("\n")
    );
}

/// Every field the shipped Splunk and Kibana-side configuration names is a documented one,
/// so renaming a field cannot leave a configuration searching for nothing.
#[test]
fn configurations_name_documented_fields() {
    let fields = schema::fields();
    let roots = [
        "event.",
        "nps.",
        "user.",
        "source.",
        "observer.",
        "host.",
        "rule.",
        "related.",
        "winlog.",
        "ipsec.",
        "error.",
    ];
    let mut problems = Vec::new();
    let mut named = 0;
    for rel in [
        "vector-config/splunk/props.conf",
        "vector-config/splunk/eventtypes.conf",
        "vector-config/splunk/tags.conf",
    ] {
        let text = std::fs::read_to_string(files::root().join(rel)).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            for (i, _) in line.match_indices(|c: char| c.is_ascii_lowercase()) {
                let rest = &line[i..];
                let boundary = i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric();
                if !boundary || !roots.iter().any(|r| rest.starts_with(r)) {
                    continue;
                }
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                    .collect();
                let name = name.trim_end_matches('.');
                named += 1;
                if lookup(&fields, name).is_none_or(|d| d.path == "*") {
                    problems.push(format!("{rel}: {name}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "not documented:\n{}",
        problems.join("\n")
    );
    assert!(named > 10, "{named}");
}
