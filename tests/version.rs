//! One version number for everything that ships: the crate (and so the CLI and both WASM
//! modules, which inherit it), the npm package, and the newest CHANGELOG entry.

use std::process::Command;

fn root() -> std::path::PathBuf {
    env!("CARGO_MANIFEST_DIR").into()
}

#[test]
fn one_version_everywhere() {
    let crate_version = env!("CARGO_PKG_VERSION");

    let pkg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("wasm/npm/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(pkg["version"], crate_version, "wasm/npm/package.json");

    let wasm = std::fs::read_to_string(root().join("wasm/Cargo.toml")).unwrap();
    assert!(wasm.contains("version.workspace = true"), "wasm/Cargo.toml");

    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    let newest = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .filter_map(|l| l.split(']').next())
        // Changes not yet released are collected under `Unreleased`, above the newest version.
        .find(|v| *v != "Unreleased")
        .expect("a version heading in CHANGELOG.md");
    assert_eq!(newest, crate_version, "newest CHANGELOG.md entry");

    let out = Command::new(env!("CARGO_BIN_EXE_nps-enrich"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("nps-enrich {crate_version}")
    );
}
