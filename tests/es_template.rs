//! Every field of every golden output document must be typed by the Elasticsearch
//! template (vector-config/elasticsearch/component-template-nps.json), and its value must
//! fit that type — so the template and the output cannot drift apart.

use serde_json::Value;
use std::path::Path;

#[path = "support/files.rs"]
mod files;

/// Top-level keys that are ours; others come from a shipper's envelope (dynamic mapping).
const OUR_KEYS: &[&str] = &[
    "@timestamp",
    "event",
    "host",
    "user",
    "source",
    "observer",
    "rule",
    "related",
    "winlog",
    "nps",
    "ipsec",
    "error",
    "envelope",
];

struct Template {
    mappings: Value,
}

impl Template {
    fn load() -> Self {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("vector-config/elasticsearch/component-template-nps.json");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        Template {
            mappings: v["template"]["mappings"].clone(),
        }
    }

    /// The explicit mapping of a dotted path, if any.
    fn explicit(&self, path: &[&str]) -> Option<&Value> {
        let mut node = &self.mappings;
        for part in path {
            node = node.get("properties")?.get(*part)?;
        }
        Some(node)
    }

    /// The mapping a leaf at `path` gets: explicit, else the first dynamic template whose
    /// `path_match` covers it.
    fn leaf(&self, path: &[&str]) -> Option<Value> {
        if let Some(m) = self.explicit(path) {
            return Some(m.clone());
        }
        let dotted = path.join(".");
        for t in self.mappings["dynamic_templates"].as_array()? {
            let (_, body) = t.as_object()?.iter().next()?;
            if let Some(pm) = body.get("path_match").and_then(Value::as_str) {
                let prefix = pm.trim_end_matches('*');
                if dotted.starts_with(prefix) {
                    return Some(body["mapping"].clone());
                }
            }
        }
        None
    }
}

fn check(t: &Template, path: &mut Vec<String>, v: &Value, errors: &mut Vec<String>) {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    match v {
        Value::Object(map) => {
            if let Some(m) = t.explicit(&parts) {
                if m.get("enabled") == Some(&Value::Bool(false)) {
                    return; // kept in _source only
                }
                if m.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|ty| ty != "object")
                {
                    errors.push(format!(
                        "{}: an object where the template says {}",
                        parts.join("."),
                        m["type"]
                    ));
                    return;
                }
            }
            for (k, child) in map {
                path.push(k.clone());
                check(t, path, child, errors);
                path.pop();
            }
        }
        Value::Array(items) => {
            for item in items {
                check(t, path, item, errors);
            }
        }
        Value::Null => errors.push(format!("{}: null", parts.join("."))),
        leaf => {
            let Some(m) = t.leaf(&parts) else {
                errors.push(format!("{}: not in the template", parts.join(".")));
                return;
            };
            let ty = m["type"].as_str().unwrap_or("object");
            let ok = match (ty, leaf) {
                ("keyword" | "text" | "constant_keyword", Value::String(_)) => true,
                ("long", Value::Number(n)) => {
                    n.is_i64() || n.as_u64().is_some_and(|u| u <= i64::MAX as u64)
                }
                ("boolean", Value::Bool(_)) => true,
                ("ip", Value::String(s)) => s.parse::<std::net::IpAddr>().is_ok(),
                ("date", Value::String(s)) => s.parse::<jiff::Timestamp>().is_ok(),
                _ => false,
            };
            if !ok {
                errors.push(format!(
                    "{}: {leaf} does not fit type {ty}",
                    parts.join(".")
                ));
            }
        }
    }
}

#[test]
fn every_golden_field_fits_the_template() {
    let t = Template::load();
    let mut errors = Vec::new();
    let mut docs = 0;
    for f in files::golden_outputs() {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let doc: Value = serde_json::from_str(line).unwrap();
            for (k, v) in doc.as_object().unwrap() {
                if OUR_KEYS.contains(&k.as_str()) {
                    check(&t, &mut vec![k.clone()], v, &mut errors);
                }
            }
            docs += 1;
        }
    }
    errors.sort();
    errors.dedup();
    assert!(docs >= 100, "{docs} documents");
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn the_index_templates_use_the_component() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vector-config/elasticsearch");
    for (file, pattern) in [
        ("index-template-logs-nps.json", "logs-nps-*"),
        ("index-template-nps-daily.json", "nps-*"),
    ] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        assert_eq!(v["index_patterns"][0], pattern);
        assert_eq!(v["composed_of"][0], "nps-enrich");
    }
}

#[test]
fn the_check_catches_drift() {
    let t = Template::load();
    let doc: Value = serde_json::json!({
        "nps": {"nas": {"port": "seven", "ip": "not-an-ip"}, "brand_new_field": "x"},
        "@timestamp": "yesterday",
        "user": {"name": "ok"},
    });
    let mut errors = Vec::new();
    for (k, v) in doc.as_object().unwrap() {
        check(&t, &mut vec![k.clone()], v, &mut errors);
    }
    errors.sort();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("nps.brand_new_field: not in the template"))
    );
}

/// The template's field mappings are made from the declarations (`schema::es_properties`):
/// `NPS_ENRICH_BLESS=1` rewrites them in place, the rest of the file is kept.
#[test]
fn template_properties_are_generated_from_the_declarations() {
    let rel = "vector-config/elasticsearch/component-template-nps.json";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let want = nps_enrich::schema::es_properties();
    if std::env::var_os("NPS_ENRICH_BLESS").is_some() {
        file["template"]["mappings"]["properties"] = want.clone();
        let mut text = serde_json::to_string_pretty(&file).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        file["template"]["mappings"]["properties"] == want,
        "{rel} is out of date: rerun with NPS_ENRICH_BLESS=1"
    );
}
