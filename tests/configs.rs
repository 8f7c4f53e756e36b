//! The shipper configurations in vector-config/: every file parses; every command they run
//! is nps-enrich with options it accepts; the settings the Vector reference verified are
//! applied; the Fluent Bit filter is wired to the module's real export with safe sizes; the
//! Splunk settings name fields that exist; the Lua time filter computes the right instant.

use serde_json::Value;
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

/// `${VAR:-default}` → default, `${VAR}` → a stand-in, as the shippers would interpolate.
fn interpolate(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('}') else {
            break;
        };
        let inner = &rest[i + 2..i + end];
        match inner.split_once(":-") {
            Some((_, default)) => out.push_str(default),
            None => out.push_str("VALUE"),
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out
}

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
                other => panic!("{name}: unexpected sink {other}"),
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
        let sources = t["sources"].as_table().unwrap();
        for (id, sink) in t["sinks"].as_table().unwrap() {
            match sink["type"].as_str().unwrap() {
                "elasticsearch" => {
                    assert_eq!(sink["id_key"].as_str(), Some("event.id"), "{name}: {id}");
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
                    es_sinks += 1;
                }
                "splunk_hec_logs" => assert!(
                    text.contains("Splunk HEC cannot deduplicate by id"),
                    "{name}: say that HEC cannot deduplicate"
                ),
                "socket" => {
                    // Lines from Vector's `file` source travel with their start offset.
                    let input = sink["inputs"][0].as_str().unwrap();
                    if sources[input]["type"].as_str() == Some("file") {
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
    assert_eq!(es_sinks, 5);
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
            tails += 1;
        }
    }
    assert_eq!(es_outputs, 4);
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
        for (_, src) in t["sources"].as_table().unwrap() {
            if src["type"].as_str() != Some("exec") {
                continue;
            }
            assert_eq!(src["mode"].as_str(), Some("streaming"), "{name}");
            assert_eq!(src["include_stderr"].as_bool(), Some(false), "{name}");
            assert_eq!(src["decoding"]["codec"].as_str(), Some("json"), "{name}");
            let argv: Vec<String> = src["command"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| interpolate(a.as_str().unwrap()))
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
            if settings["mode"] == "follow" {
                assert!(
                    settings["checkpoint"].is_string(),
                    "{name}: --follow keeps a checkpoint"
                );
            }
            commands += 1;
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
    assert_eq!(filters, 8);
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
                assert!(exists(field), "{f}: {field} is not an output field");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked}");
}

/// nps_time.lua under LuaJIT (what Fluent Bit embeds): the instant it computes for our
/// @timestamp strings equals the one jiff computes.
#[test]
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
