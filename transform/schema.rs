//! The output reference: every field a document can hold, its type, what fills it and what
//! it means. The `nps.*` fields that come straight from an attribute are read from the
//! writer's own tables (`enrich::table_fields`); the rest are listed here, next to the
//! code that writes them. `docs/output.md` is made from this and `tests/output_doc.rs`
//! checks both the file and that every field of the golden corpus's documents is here
//! with the type it has there.

/// One documented field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    /// Dotted path; `*` stands for any key (attribute names, event-data names).
    pub path: String,
    /// Elasticsearch type; `[]` after it: an array of such values.
    pub ty: &'static str,
    /// What fills it: an attribute (`Packet-Type (4136)`), an event field, or a rule.
    pub source: String,
    /// What it means.
    pub meaning: String,
    /// Which field profiles write it (`--fields`): `compact, full`, `full`, or when the
    /// compact profile leaves it out.
    pub profile: String,
}

/// Both profiles write the field.
const BOTH: &str = "compact, full";

/// One field as the code that writes it declares it (the module's `FIELDS`).
#[derive(Debug)]
pub(crate) struct Decl {
    path: &'static str,
    ty: &'static str,
    source: &'static str,
    meaning: &'static str,
    profile: &'static str,
}

impl Decl {
    /// A field both profiles write.
    pub(crate) const fn new(
        path: &'static str,
        ty: &'static str,
        source: &'static str,
        meaning: &'static str,
    ) -> Self {
        Decl {
            path,
            ty,
            source,
            meaning,
            profile: BOTH,
        }
    }

    /// A field the compact profile leaves out, always or in the case `profile` says.
    pub(crate) const fn full_only(
        path: &'static str,
        ty: &'static str,
        source: &'static str,
        meaning: &'static str,
        profile: &'static str,
    ) -> Self {
        Decl {
            path,
            ty,
            source,
            meaning,
            profile,
        }
    }

    fn doc(&self) -> FieldDoc {
        FieldDoc {
            path: self.path.into(),
            ty: self.ty,
            source: self.source.into(),
            meaning: self.meaning.into(),
            profile: self.profile.into(),
        }
    }
}

/// Sections of the reference, in order, with the path prefix each collects.
pub const SECTIONS: &[(&str, &str)] = &[
    ("ECS", ""),
    ("NPS: decoded attributes", "nps."),
    ("Windows events", "winlog."),
    ("IPsec driver events", "ipsec."),
    ("Errors and envelopes", "error."),
];

/// Which section a path belongs to.
pub fn section(path: &str) -> &'static str {
    let root = path.split('.').next().unwrap_or_default();
    match root {
        "nps" => SECTIONS[1].0,
        "winlog" => SECTIONS[2].0,
        "ipsec" => SECTIONS[3].0,
        "error" | "envelope" | "*" => SECTIONS[4].0,
        _ => SECTIONS[0].0,
    }
}

/// Fields of error documents and envelopes; the rest are declared beside the code that
/// writes them (`crate::enrich::declared`).
const WRITTEN: &[Decl] = &[
    Decl::new(
        "error.type",
        "keyword",
        "-",
        "On error documents: `unknown_format`, `parse_error`, `line_too_long`, `multiple_lines`, `internal_error`; from the Fluent Bit module also `no_record` (a record with no line in it).",
    ),
    Decl::new(
        "error.message",
        "text",
        "-",
        "What was tried and where the line broke.",
    ),
    Decl::new(
        "envelope.*",
        "(as written)",
        "a shipper's record",
        "A member of the shipper's record whose key is one of ours (`host`, `@timestamp`, `event`, …).",
    ),
    Decl::new(
        "*",
        "(as written)",
        "a shipper's record",
        "The other members of a shipper's record (`{\"message\": line, …}`, `{\"log\": line, …}`), at the top level as they came.",
    ),
];

/// How `event.id` is made (`event_id.rs`), the one description of it: enough to recompute an
/// id in another language.
pub const EVENT_ID_CONSTRUCTION: &str = "\
`event.id` is XXH3-128 (seed 0, the default secret) of the bytes below, written as 32
lowercase hex digits of the 128-bit value, most significant first (as Python's
`xxhash.xxh3_128_hexdigest` writes it). The input starts with the 21 ASCII bytes
`nps-enrich/event.id/1` (the version: a change to what is hashed takes a new number), then one
byte that says which form follows:

- **a line**, byte `0` when its position is unknown, `1` when it is known; then the position
  as 8 bytes, unsigned little-endian (eight zero bytes when unknown); then the line's text,
  UTF-8, to the end. The text is the line as the transformer reads it: without its line end
  and one UTF-8 byte-order mark, decoded to UTF-8 (bytes that are not UTF-8 replaced by U+FFFD;
  the CLI decodes `--encoding` first). The position is the byte offset of the line's start in
  its file or stream, when the caller gives one (`Transformer::transform_at`); an envelope
  (`{\"message\": …}`, `{\"log\": …}`) hashes its inner line, at its `offset` member when
  that is a non-negative integer (Vector's `file` source `offset_key`, Fluent Bit `tail`'s
  `Offset_Key`, both the offset of the line's start), else at the record's own position. On an
  error document the text is exactly its `event.original` (for `line_too_long`, the prefix it
  holds).
- **a Windows event with a record id**, byte `2`; then five fields, each as its length in
  bytes (8 bytes, unsigned little-endian) followed by its UTF-8 bytes: the computer name, the
  channel, the provider name, the event id in decimal, the record id, as `winlog.computer_name`,
  `winlog.channel`, `winlog.provider_name`, `winlog.event_id` and `winlog.record_id` hold them
  (an absent one is empty). The position is not used: the record id is what Windows keeps
  unique per channel, and a shipper that sends the event again after a restart writes it with
  other collection-time fields (`event.created`, `agent.*`), which must not change its id. An
  event without a record id is hashed as a line, its whole JSON or XML text.

For example, in Python (`pip install xxhash`), the id of the line `x` at offset 4096:
`xxhash.xxh3_128_hexdigest(b\"nps-enrich/event.id/1\" + b\"\\x01\" + (4096).to_bytes(8, \"little\") + b\"x\")`.
The id names one line at one place: identical lines at the same offset of two files (which NPS
lines, holding their own time, do not give) would share it, and a line whose position is not
given is named by its text alone.
";

/// Every documented field: the written ones and the attribute-table ones, by section.
pub fn fields() -> Vec<FieldDoc> {
    let mut out: Vec<FieldDoc> = WRITTEN
        .iter()
        .chain(crate::enrich::declared())
        .map(Decl::doc)
        .collect();
    crate::enrich::table_fields(|path, ty, id, table, twin| {
        let name = crate::codes::attributes::by_id(id).map_or("?", |a| a.name);
        let meaning = match (path.rsplit('.').next(), table) {
            (Some("code"), _) => format!("{name}'s code."),
            (Some("flags"), _) => format!("{name}'s flags, by name."),
            (_, Some(t)) => format!("{name}'s code, named from the table {t}."),
            _ => format!("{name}, typed."),
        };
        let profile = twin.unwrap_or(BOTH).to_string();
        out.push(FieldDoc {
            path,
            ty,
            source: format!("{name} ({id})"),
            meaning,
            profile,
        });
    });
    // Section by section, each in path order.
    out.sort_by(|a, b| {
        let s = |p: &str| SECTIONS.iter().position(|x| x.0 == section(p));
        (s(&a.path), &a.path).cmp(&(s(&b.path), &b.path))
    });
    out
}

/// The Elasticsearch mapping of every declared field (the `properties` of
/// `vector-config/elasticsearch/component-template-nps.json`, checked by
/// `tests/es_template.rs`). `keyword` is aggregatable (1024 bytes at most indexed), `text`
/// full-text;
/// `event.original` is kept in `_source` only; `envelope` (a shipper's own record) is not
/// mapped; `data_stream.*` is what Vector's Elasticsearch sink adds in data-stream mode.
pub fn es_properties() -> serde_json::Value {
    use serde_json::{Map, Value, json};
    fn insert(node: &mut Map<String, Value>, path: &[&str], leaf: Value) {
        let (first, rest) = path.split_first().expect("a path has a segment");
        if rest.is_empty() {
            node.entry(first.to_string()).or_insert(leaf);
            return;
        }
        let child = node
            .entry(first.to_string())
            .or_insert_with(|| json!({"properties": {}}));
        if let Some(props) = child.get_mut("properties").and_then(Value::as_object_mut) {
            insert(props, rest, leaf);
        }
    }
    let mut root = Map::new();
    insert(
        &mut root,
        &["envelope"],
        json!({"type": "object", "enabled": false}),
    );
    for f in fields() {
        let leaf = match (f.path.as_str(), f.ty.trim_end_matches("[]")) {
            ("*" | "envelope.*", _) => continue,
            // Any key under it (attribute and event-data names): the dynamic templates type them.
            (p, _) if p.ends_with(".*") => json!({"type": "object", "dynamic": true}),
            ("event.original", _) => {
                json!({"type": "keyword", "index": false, "doc_values": false})
            }
            (_, "keyword") => json!({"type": "keyword", "ignore_above": 1024}),
            (_, "object") => continue, // holds the fields below it
            (_, ty) => json!({ "type": ty }),
        };
        let path = f.path.trim_end_matches(".*");
        // The compact profile leaves these values out of `related.*`: copied back in here.
        let mut leaf = leaf;
        let targets: Vec<&str> = crate::enrich::RELATED_FROM
            .iter()
            .filter(|(from, _)| *from == path)
            .map(|(_, to)| *to)
            .collect();
        if !targets.is_empty() {
            leaf["copy_to"] = json!(targets);
        }
        let parts: Vec<&str> = path.split('.').collect();
        insert(&mut root, &parts, leaf);
    }
    // Added by the shippers: Vector's data-stream mode, Fluent Bit's read time (Time_Key).
    for k in ["type", "dataset", "namespace"] {
        insert(
            &mut root,
            &["data_stream", k],
            json!({"type": "constant_keyword"}),
        );
    }
    insert(&mut root, &["event", "ingested"], json!({"type": "date"}));
    Value::Object(root)
}

/// The Markdown reference (`docs/output.md`).
pub fn markdown() -> String {
    let mut md = String::from(
        "# Output fields\n\n\
         Every field a document can hold. Made from the code by `tests/output_doc.rs`\n\
         (`NPS_ENRICH_BLESS=1` rewrites it), which also checks that every field of every\n\
         golden document is listed here with the type it has there: do not edit by hand.\n\n\
         A field is absent when the line has nothing for it (never `null`). Coded values are\n\
         `{code, name}`; a value that should be a number or an address but is not is left out\n\
         of its typed field and stays in `nps.attributes`. `[]`: an array of such values.\n\n\
         Two profiles (`--fields`, the JS option `fields`): `compact`, the default, writes each\n\
         fact once; `full` adds every raw attribute and every rendering of each code. Both have\n\
         this one schema: a profile only leaves fields out (the last column says when).\n",
    );
    let fields = fields();
    for (title, _) in SECTIONS {
        md.push_str(&format!(
            "\n## {title}\n\n| field | type | from | meaning | profiles |\n|---|---|---|---|---|\n"
        ));
        for f in fields.iter().filter(|f| section(&f.path) == *title) {
            md.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                f.path,
                f.ty,
                f.source.replace('|', "\\|"),
                f.meaning.replace('|', "\\|"),
                f.profile
            ));
        }
    }
    md.push_str("\n## How `event.id` is made\n\n");
    md.push_str(EVENT_ID_CONSTRUCTION);
    md
}
