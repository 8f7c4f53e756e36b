//! The shipper configurations in vector-config/: every file parses; every command they run
//! is nps-enrich with options it accepts; the settings the Vector reference verified are
//! applied; the Fluent Bit filter is wired to the module's real export with safe sizes; the
//! Splunk settings name fields that exist; the Lua time filter computes the right instant.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vector-config")
}

fn files(ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Vector's environment interpolation, as Vector ≥ 0.57 does it when started with
/// `--dangerously-allow-env-var-interpolation` (and every earlier version always did): on the
/// raw text before TOML parsing, comments included. `$$` is `$`; `$NAME` and `${NAME}` are
/// the value (NAME: ASCII letters, digits, `_`, `.`), an error when unset; `${NAME:-d}` is
/// `d` when unset or empty, `${NAME-d}` when unset; `${NAME:?e}` / `${NAME?e}` are errors
/// then; a value holding a line break is an error; any other `$` stays.
fn vector_interpolate(text: &str, env: &HashMap<&str, &str>) -> Result<String, String> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let value = |name: &str| match env.get(name) {
            Some(v) if v.contains(['\n', '\r']) => Err(format!("{name} holds a line break")),
            v => Ok(v.copied()),
        };
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if after.starts_with(name_char) {
            let n = after.find(|c| !name_char(c)).unwrap_or(after.len());
            let name = &after[..n];
            out.push_str(value(name)?.ok_or(format!("{name} is not set"))?);
            rest = &after[n..];
        } else if let Some(body) = after.strip_prefix('{')
            && let Some(n) = body.find(|c| !name_char(c)).filter(|&n| n > 0)
            && let Some(close) = body.find('}')
            && n <= close
        {
            let (name, op) = (&body[..n], &body[n..close]);
            let v = value(name)?;
            let alt = op.trim_start_matches(':').get(1..).unwrap_or("");
            let replaced = match op.chars().take_while(|c| *c != '-' && *c != '?').count() {
                _ if op.is_empty() => v.ok_or(format!("{name} is not set"))?,
                0 if op.starts_with('-') => v.unwrap_or(alt),
                1 if op.starts_with(":-") => v.filter(|v| !v.is_empty()).unwrap_or(alt),
                0 if op.starts_with('?') => v.ok_or(format!("{name}: {alt}"))?,
                1 if op.starts_with(":?") => v
                    .filter(|v| !v.is_empty())
                    .ok_or(format!("{name}: {alt}"))?,
                // `${NAME` then anything else: not a variable, kept as written.
                _ => {
                    out.push('$');
                    rest = after;
                    continue;
                }
            };
            out.push_str(replaced);
            rest = &body[close + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The environment each Vector config documents ("Needs:"), with the values a Windows user
/// sets: backslashes, spaces, and a password holding the characters TOML escapes.
const WINDOWS_ENV: &[(&str, &str)] = &[
    ("NPS_VECTOR_DATA_DIR", r"C:\ProgramData\Vector\nps data"),
    ("ES_ENDPOINT", "https://es.example.org:9200"),
    ("ES_USER", r"CORP\nps-writer"),
    ("ES_PASSWORD", r#"p\a"s$s{w}ord"#),
    ("SPLUNK_HEC_ENDPOINT", "https://splunk.example.org:8088"),
    ("SPLUNK_HEC_TOKEN", "00000000-0000-0000-0000-000000000000"),
    ("SPLUNK_INDEX", "nps"),
    ("NPS_EVENTS_FILE", r"C:\Exports\nps events.json"),
];

/// Only what a config requires: the rest takes its documented default.
const REQUIRED_ENV: &[(&str, &str)] = &[
    ("ES_ENDPOINT", "https://es.example.org:9200"),
    ("ES_PASSWORD", "secret"),
    ("SPLUNK_HEC_ENDPOINT", "https://splunk.example.org:8088"),
    ("SPLUNK_HEC_TOKEN", "token"),
    ("NPS_EVENTS_FILE", "/tmp/events.json"),
];

fn header_ok(text: &str) -> bool {
    let head: String = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    ["Reads:", "Runs:", "Sends:"]
        .iter()
        .all(|k| head.contains(k))
}

#[test]
fn json_and_yaml_files_parse() {
    for f in files("json") {
        serde_json::from_str::<Value>(&std::fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    let yaml = files("yaml");
    assert!(yaml.len() >= 4);
    for f in yaml {
        let text = std::fs::read_to_string(&f).unwrap();
        let docs = yaml_rust2::YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(docs.len(), 1, "{}", f.display());
        assert!(
            header_ok(&text),
            "{}: header must say Reads/Runs/Sends",
            f.display()
        );
    }
}

/// Classic Fluent Bit and Splunk .conf files: sections and `key value` / `key = value` lines.
#[test]
fn conf_files_are_well_formed() {
    let confs = files("conf");
    assert!(confs.len() >= 7);
    for f in confs {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut in_section = false;
        for (n, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            if l.starts_with('[') {
                assert!(l.ends_with(']'), "{}:{}: {l}", f.display(), n + 1);
                in_section = true;
                continue;
            }
            assert!(
                in_section,
                "{}:{}: setting outside a section",
                f.display(),
                n + 1
            );
            let key = l
                .split(|c: char| c == '=' || c.is_whitespace())
                .next()
                .unwrap();
            assert!(!key.is_empty(), "{}:{}: {l}", f.display(), n + 1);
            assert!(
                l.len() > key.len(),
                "{}:{}: key without a value",
                f.display(),
                n + 1
            );
        }
    }
}

fn vector_configs() -> Vec<(PathBuf, toml::Table)> {
    let list = files("toml");
    assert!(list.len() >= 7);
    list.into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(
                header_ok(&text),
                "{}: header must say Reads/Runs/Sends",
                f.display()
            );
            let t: toml::Table = text
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f, t)
        })
        .collect()
}

#[test]
fn vector_configs_apply_the_verified_fixes() {
    for (f, t) in vector_configs() {
        let name = f.display();
        assert!(t.get("data_dir").is_some(), "{name}: data_dir");
        let ls = t["log_schema"]
            .as_table()
            .unwrap_or_else(|| panic!("{name}: [log_schema]"));
        assert_eq!(ls["timestamp_key"].as_str(), Some("@timestamp"), "{name}");
        assert_eq!(ls["host_key"].as_str(), Some(""), "{name}");
        assert_eq!(ls["source_type_key"].as_str(), Some(""), "{name}");
        let transforms = t["transforms"].as_table().unwrap();
        let remap = transforms["nps_docs"]["source"].as_str().unwrap();
        assert!(
            remap.contains(r#"parse_timestamp(."@timestamp", "%+")"#),
            "{name}: @timestamp parsed"
        );
        for (id, sink) in t["sinks"].as_table().unwrap() {
            match sink["type"].as_str().unwrap() {
                "elasticsearch" => {
                    let ep = sink["endpoints"][0].as_str().unwrap();
                    assert!(
                        ep.starts_with("${"),
                        "{name}: {id} endpoint from the environment"
                    );
                    assert!(sink["auth"]["password"].as_str().unwrap().starts_with("${"));
                }
                "splunk_hec_logs" => {
                    assert!(sink["endpoint"].as_str().unwrap().starts_with("${"));
                    assert!(sink["default_token"].as_str().unwrap().starts_with("${"));
                    assert_eq!(sink["timestamp_key"].as_str(), Some("@timestamp"), "{name}");
                    assert_eq!(sink["sourcetype"].as_str(), Some("nps:enriched"));
                    assert!(
                        sink.get("indexed_fields").is_none(),
                        "{name}: no nested HEC indexed fields"
                    );
                }
                "socket" => {
                    assert_eq!(
                        sink["healthcheck"]["enabled"].as_bool(),
                        Some(false),
                        "{name}"
                    );
                }
                // `--post`: the exec source carries nothing but nps-enrich's diagnostics.
                "console" => {
                    assert_eq!(sink["target"].as_str(), Some("stderr"), "{name}");
                    let input = sink["inputs"][0].as_str().unwrap();
                    let src = &t["sources"][input];
                    assert_eq!(src["type"].as_str(), Some("exec"), "{name}");
                    assert!(
                        src["command"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| a.as_str() == Some("--post")),
                        "{name}: only a --post command's stderr is shown"
                    );
                }
                other => panic!("{name}: unexpected sink {other}"),
            }
        }
    }
}

/// Vector interpolates before it parses, so every value a user may set must survive in TOML:
/// with Windows-style values each config still parses and carries them exactly (a
/// backslash in a basic string was a parse error), the checkpoint sits in data_dir, and with
/// only the required variables the documented defaults apply. Nothing else in the text
/// (comments, VRL) reads as a variable.
#[test]
fn vector_configs_parse_after_interpolation_with_windows_values() {
    for (f, _) in vector_configs() {
        let name = f.display();
        let text = std::fs::read_to_string(&f).unwrap();
        for env in [WINDOWS_ENV, REQUIRED_ENV] {
            let vars: HashMap<&str, &str> = env.iter().copied().collect();
            let t: toml::Table = vector_interpolate(&text, &vars)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .parse()
                .unwrap_or_else(|e| panic!("{name} with {env:?}: {e}"));
            let get = |k: &str, default: &str| vars.get(k).copied().unwrap_or(default).to_string();
            let default_dir = if name.to_string().contains("pipe-stdin") {
                "/var/lib/vector/nps"
            } else {
                r"C:\ProgramData\Vector\nps"
            };
            let dir = get("NPS_VECTOR_DATA_DIR", default_dir);
            assert_eq!(t["data_dir"].as_str(), Some(dir.as_str()), "{name}");
            for (_, src) in t["sources"].as_table().unwrap() {
                if let Some(include) = src.get("include") {
                    let first = include[0].as_str().unwrap();
                    assert!(first == get("NPS_EVENTS_FILE", "") || first.ends_with("IN*.log"));
                }
                let Some(cmd) = src.get("command").and_then(|c| c.as_array()) else {
                    continue;
                };
                let argv: Vec<&str> = cmd.iter().map(|a| a.as_str().unwrap()).collect();
                if let Some(i) = argv.iter().position(|a| *a == "--checkpoint") {
                    // `/` separates on Windows too; a `\` would be part of a Linux file name.
                    assert_eq!(argv[i + 1], format!("{dir}/nps-enrich.ckpt"), "{name}");
                }
            }
            for (_, sink) in t["sinks"].as_table().unwrap() {
                match sink["type"].as_str().unwrap() {
                    "elasticsearch" => {
                        assert_eq!(
                            sink["endpoints"][0].as_str(),
                            vars.get("ES_ENDPOINT").copied()
                        );
                        let auth = &sink["auth"];
                        assert_eq!(auth["user"].as_str().unwrap(), get("ES_USER", "elastic"));
                        assert_eq!(auth["password"].as_str(), vars.get("ES_PASSWORD").copied());
                    }
                    "splunk_hec_logs" => {
                        assert_eq!(
                            sink["endpoint"].as_str(),
                            vars.get("SPLUNK_HEC_ENDPOINT").copied()
                        );
                        assert_eq!(
                            sink["default_token"].as_str(),
                            vars.get("SPLUNK_HEC_TOKEN").copied()
                        );
                        assert_eq!(sink["index"].as_str().unwrap(), get("SPLUNK_INDEX", "main"));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The interpolation the test above relies on, on Vector's own documented cases.
#[test]
fn the_interpolation_follows_vector() {
    let vars: HashMap<&str, &str> = [("FOO", "dogs"), ("FOO.BAR", "turtles"), ("EMPTY", "")]
        .into_iter()
        .collect();
    let ok = |s: &str| vector_interpolate(s, &vars).unwrap();
    assert_eq!(ok("$FOO ${FOO} x${FOO}y"), "dogs dogs xdogsy");
    assert_eq!(ok("$$FOO $ x ${} ${FOO x"), "$FOO $ x ${} ${FOO x");
    assert_eq!(
        ok("$FOO.BAR ${NOT:-a b} ${EMPTY:-d} ${EMPTY-d}"),
        "turtles a b d "
    );
    assert_eq!(ok(r"${NOT:-C:\x\y}"), r"C:\x\y");
    for bad in [
        "$NOT",
        "${NOT}",
        "${NOT:?need}",
        "${EMPTY:?need}",
        "${NOT?need}",
    ] {
        assert!(vector_interpolate(bad, &vars).is_err(), "{bad}");
    }
    let nl: HashMap<&str, &str> = [("X", "a\nb")].into_iter().collect();
    assert!(vector_interpolate("$X", &nl).is_err());
}

/// Every documented way to start a Vector config works on current Vector as written: each
/// file's `Run:` line and the README start Vector with interpolation allowed (Vector 0.57
/// leaves `${…}` as it is without it: "Invalid host" and the like) and name the file.
#[test]
fn documented_vector_commands_allow_interpolation() {
    const FLAG: &str = "vector --dangerously-allow-env-var-interpolation --config ";
    for (f, _) in vector_configs() {
        let text = std::fs::read_to_string(&f).unwrap();
        let file = f.file_name().unwrap().to_string_lossy().to_string();
        let run = text
            .lines()
            .find(|l| l.starts_with("# Run:"))
            .unwrap_or_else(|| panic!("{}: no Run line", f.display()));
        assert!(run.contains(&format!("{FLAG}{file}")), "{run}");
    }
    for doc in ["vector-config/README.md", "README.md"] {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
        for (n, line) in text.lines().enumerate() {
            for (i, _) in line.match_indices("vector -") {
                let at = &line[i..];
                assert!(
                    at.starts_with("vector --dangerously-allow-env-var-interpolation")
                        || at.starts_with("vector --version")
                        || at.starts_with("vector -h"),
                    "{doc}:{}: {line}",
                    n + 1
                );
            }
        }
    }
}

/// Every Elasticsearch pipeline uses the documents' deterministic `event.id` as `_id`, so a
/// replay is refused (data stream, `create`: 409) or overwrites itself (plain indices,
/// `index`) instead of storing a copy; file lines read by a shipper carry their start offset
/// in the `offset` member nps-enrich reads; Splunk configs say HEC cannot deduplicate; no
/// config promises more than `--follow` gives.
#[test]
fn elasticsearch_pipelines_key_documents_on_event_id() {
    let mut es_sinks = 0;
    for (f, t) in vector_configs() {
        let name = f.display();
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("neither loses nor repeats"), "{name}");
        // A loop (a socket sink into --listen) says it loses lines, and how many.
        if text.contains("\"--listen\"") {
            assert!(
                text.contains("# Loses:  lines at Vector restarts") && text.contains("9.4 k"),
                "{name}: say what the loop loses"
            );
        }
        let sources = t["sources"].as_table().unwrap();
        for (id, sink) in t["sinks"].as_table().unwrap() {
            match sink["type"].as_str().unwrap() {
                "elasticsearch" => {
                    // Vector's sink removes the field id_key reads: a copy of event.id,
                    // made by the remap feeding it, so the document keeps event.id.
                    assert_eq!(sink["id_key"].as_str(), Some("_id"), "{name}: {id}");
                    let feeding = sink["inputs"][0].as_str().unwrap();
                    let remap = t["transforms"][feeding]["source"].as_str().unwrap();
                    assert!(
                        remap.lines().any(|l| l.trim() == "._id = .event.id"),
                        "{name}: {feeding} copies event.id to _id"
                    );
                    match sink["mode"].as_str() {
                        // A data stream takes only `create`: a replay is a 409, not retried.
                        Some("data_stream") => {
                            assert_eq!(sink["request_retry_partial"].as_bool(), Some(true));
                        }
                        // Plain indices: a replay overwrites itself.
                        Some("bulk") => {
                            assert_eq!(sink["bulk"]["action"].as_str(), Some("index"), "{name}")
                        }
                        other => panic!("{name}: mode {other:?}"),
                    }
                    // Fed by --post through http_server: the source answers only once this
                    // sink has stored the documents, and a repeat must not be an error
                    // (a 409 would make Vector refuse the POST, sent again forever).
                    if sources
                        .values()
                        .any(|s| s["type"].as_str() == Some("http_server"))
                    {
                        assert_eq!(
                            sink["acknowledgements"]["enabled"].as_bool(),
                            Some(true),
                            "{name}"
                        );
                        assert_eq!(sink["mode"].as_str(), Some("bulk"), "{name}");
                    }
                    es_sinks += 1;
                }
                "splunk_hec_logs" => assert!(
                    text.contains("Splunk HEC cannot deduplicate by id"),
                    "{name}: say that HEC cannot deduplicate"
                ),
                "socket" => {
                    // Lines from Vector's `file` source travel with their start offset.
                    let input = sink["inputs"][0].as_str().unwrap();
                    if sources.get(input).and_then(|s| s["type"].as_str()) == Some("file") {
                        assert_eq!(sources[input]["offset_key"].as_str(), Some("offset"));
                        assert_eq!(sink["encoding"]["codec"].as_str(), Some("json"), "{name}");
                        let only: Vec<&str> = sink["encoding"]["only_fields"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap())
                            .collect();
                        assert_eq!(only, ["message", "offset"], "{name}");
                    }
                }
                _ => {}
            }
        }
    }
    assert_eq!(es_sinks, 8);
    let mut es_outputs = 0;
    let mut tails = 0;
    for f in files("yaml").into_iter().chain(
        files("conf")
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("fluent-bit")),
    ) {
        let name = f.display();
        let text = std::fs::read_to_string(&f).unwrap();
        let value = |key: &str| {
            text.lines().map(str::trim).find_map(|l| {
                let (k, v) = l.split_once(|c: char| c == ':' || c.is_whitespace())?;
                k.eq_ignore_ascii_case(key).then(|| {
                    v.trim_start_matches(':')
                        .trim()
                        .trim_matches('"')
                        .to_string()
                })
            })
        };
        // The file names say what each pipeline reads and where it sends.
        let file = f.file_name().unwrap().to_string_lossy().to_string();
        if file.contains("-to-elasticsearch") {
            // A record accessor: Id_Key reads the nested `event.id`.
            assert_eq!(value("id_key").as_deref(), Some("$event['id']"), "{name}");
            es_outputs += 1;
        }
        if file.contains("-to-splunk") {
            assert!(
                text.contains("Splunk HEC cannot deduplicate by id"),
                "{name}: say that HEC cannot deduplicate"
            );
        }
        if file.starts_with("files-") {
            assert_eq!(value("offset_key").as_deref(), Some("offset"), "{name}");
            // Found in a real Fluent Bit: without these, the first line over
            // buffer_max_size stops the file ("Skipping file") and a blank line is a
            // record; without read_from_head the lines already in a file on the first
            // start are never sent.
            for (key, want) in [
                ("read_from_head", "true"),
                ("skip_empty_lines", "on"),
                ("skip_long_lines", "on"),
                ("truncate_long_lines", "on"),
                ("buffer_max_size", "2m"),
            ] {
                assert_eq!(
                    value(key).map(|v| v.to_lowercase()).as_deref(),
                    Some(want),
                    "{name}: {key}"
                );
            }
            tails += 1;
        }
    }
    assert_eq!(es_outputs, 5);
    assert_eq!(tails, 4);
}

/// Each exec command is nps-enrich with options it accepts (checked with --dry-run); a
/// socket sink feeding it sends to the address it listens on.
#[test]
fn vector_commands_are_nps_enrich_with_valid_options() {
    let mut commands = 0;
    for (f, t) in vector_configs() {
        let name = f.display();
        let mut listen = None;
        let mut post = None;
        for (_, src) in t["sources"].as_table().unwrap() {
            if src["type"].as_str() != Some("exec") {
                continue;
            }
            assert_eq!(src["mode"].as_str(), Some("streaming"), "{name}");
            let posts = src["command"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a.as_str() == Some("--post"));
            // Diagnostics stay out of the data, but where the data comes by --post.
            assert_eq!(src["include_stderr"].as_bool(), Some(posts), "{name}");
            assert_eq!(src["decoding"]["codec"].as_str(), Some("json"), "{name}");
            let argv: Vec<String> = src["command"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    vector_interpolate(a.as_str().unwrap(), &REQUIRED_ENV.iter().copied().collect())
                        .unwrap()
                })
                .collect();
            assert_eq!(argv[0], "nps-enrich", "{name}");
            let out = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
                .args(&argv[1..])
                .arg("--dry-run")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {argv:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let settings: Value = serde_json::from_slice(&out.stdout).unwrap();
            if let Some(a) = settings["listen"].as_str() {
                listen = Some(a.to_string());
            }
            if let Some(u) = settings["post"].as_str() {
                post = Some(u.to_string());
            }
            if settings["mode"] == "follow" {
                assert!(
                    settings["checkpoint"].is_string(),
                    "{name}: --follow keeps a checkpoint"
                );
            }
            commands += 1;
        }
        for (_, src) in t["sources"].as_table().unwrap() {
            if src["type"].as_str() == Some("http_server") {
                let addr = vector_interpolate(
                    src["address"].as_str().unwrap(),
                    &REQUIRED_ENV.iter().copied().collect(),
                )
                .unwrap();
                let path = src["path"].as_str().unwrap();
                assert_eq!(post, Some(format!("http://{addr}{path}")), "{name}");
            }
        }
        for (_, sink) in t["sinks"].as_table().unwrap() {
            if sink["type"].as_str() == Some("socket") {
                assert_eq!(
                    Some(sink["address"].as_str().unwrap().to_string()),
                    listen,
                    "{name}"
                );
            }
        }
    }
    assert!(commands >= 6);
}

/// Fluent Bit: the wasm filter calls the module's real export with the sizes and format the
/// reference requires; outputs keep our @timestamp.
#[test]
fn fluent_bit_configs_are_wired_to_the_module() {
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/src/fluent_bit.rs"),
    )
    .unwrap();
    let mut filters = 0;
    for f in files("yaml").into_iter().chain(
        files("conf")
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("fluent-bit")),
    ) {
        let text = std::fs::read_to_string(&f).unwrap().to_lowercase();
        let name = f.display();
        let get = |key: &str| {
            text.lines().map(str::trim).find_map(|l| {
                l.strip_prefix(key)
                    .map(|v| v.trim_start_matches(':').trim().to_string())
            })
        };
        let func = get("function_name").unwrap_or_else(|| panic!("{name}: no wasm filter"));
        assert!(
            export.contains(&format!("extern \"C\" fn {func}(")),
            "{name}: {func} is not exported"
        );
        assert_eq!(get("event_format").as_deref(), Some("json"), "{name}");
        assert_eq!(get("wasm_heap_size").as_deref(), Some("1m"), "{name}");
        assert_eq!(get("wasm_stack_size").as_deref(), Some("1m"), "{name}");
        assert!(
            get("wasm_path")
                .unwrap()
                .ends_with("nps_enrich_fluent_bit.wasm"),
            "{name}"
        );
        if let Some(tk) = get("time_key") {
            assert_ne!(
                tk, "@timestamp",
                "{name}: the es output must not overwrite @timestamp"
            );
        }
        if text.contains("name: lua")
            || text.contains("name                 lua")
            || text.contains("name              lua")
        {
            assert_eq!(get("call").as_deref(), Some("nps_event_time"), "{name}");
        }
        filters += 1;
    }
    assert_eq!(filters, 10);
}

/// Every dotted field the Splunk settings read exists in the output (the ES template types
/// every output field).
#[test]
fn splunk_settings_name_real_fields() {
    let tpl: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("elasticsearch/component-template-nps.json")).unwrap(),
    )
    .unwrap();
    let exists = |path: &str| {
        let mut node = &tpl["template"]["mappings"];
        for part in path.split('.') {
            match node.get("properties").and_then(|p| p.get(part)) {
                Some(n) => node = n,
                None => return false,
            }
        }
        true
    };
    let mut checked = 0;
    for f in ["props.conf", "eventtypes.conf"] {
        let text = std::fs::read_to_string(root().join("splunk").join(f)).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            // 'a.b' in EVAL expressions, `a.b AS` in aliases, a.b= in searches.
            let mut fields: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
            if let Some((_, alias)) = line.split_once("= ")
                && let Some((src, _)) = alias.split_once(" AS ")
            {
                fields.push(src.trim());
            }
            for token in line.split(|c: char| c.is_whitespace() || c == '(') {
                if let Some((k, _)) = token.split_once('=')
                    && k.contains('.')
                    && !k.contains(['"', '\''])
                {
                    fields.push(k);
                }
            }
            for field in fields.into_iter().filter(|f| f.contains('.')) {
                // Splunk names an array's values `a.b{}`.
                let path = field.replace("{}", "");
                assert!(exists(&path), "{f}: {field} is not an output field");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked}");
}

/// nps_time.lua under LuaJIT (what Fluent Bit embeds): the instant it computes for our
/// @timestamp strings equals the one jiff computes.
#[test]
// The Windows build's tests run under Wine, where the Linux LuaJIT that CI installs is not
// a program Windows can start: the Lua filter is checked by the Linux run.
#[cfg_attr(
    windows,
    ignore = "LuaJIT is installed for Linux; checked by the Linux run"
)]
fn lua_time_filter_computes_the_instant() {
    let script = root().join("fluent-bit/nps_time.lua");
    let Ok(luajit) = which("luajit") else {
        // .ci/run installs LuaJIT; a developer machine may not have it.
        eprintln!("luajit not found: skipping the Lua check");
        assert!(std::env::var_os("CI").is_none(), "CI must have luajit");
        return;
    };
    let stamps = [
        "2008-01-17T13:13:40+09:00",
        "2014-03-07T18:55:51.061+00:00",
        "2024-05-02T11:23:13.729-04:00",
        "1999-12-31T23:59:59-05:30",
        "2024-02-29T00:00:00+00:00",
        "2000-03-01T12:00:00Z",
    ];
    let mut program = format!("dofile({:?})\n", script.display().to_string());
    for s in stamps {
        program.push_str(&format!("print(string.format('%.3f', nps_epoch({s:?})))\n"));
    }
    program.push_str("print(nps_epoch('not a time'))\n");
    program.push_str("local c, t, r = nps_event_time('tag', 5, {['@timestamp'] = '2008-01-17T13:13:40+09:00'}) print(c, t)\n");
    let out = Command::new(luajit)
        .arg("-e")
        .arg(&program)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (s, got) in stamps.iter().zip(&lines) {
        let ts: jiff::Timestamp = s.parse().unwrap();
        let want = format!("{:.3}", ts.as_millisecond() as f64 / 1000.0);
        assert_eq!(*got, want, "{s}");
    }
    assert_eq!(lines[stamps.len()], "nil");
    assert_eq!(lines[stamps.len() + 1], "1\t1200543220");
}

fn which(cmd: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(cmd))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
