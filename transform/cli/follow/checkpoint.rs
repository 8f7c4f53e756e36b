//! The `--checkpoint` file: one entry per followed file (its path, identity, fingerprint
//! and the offset up to which its lines were output), as JSON. Version 2; version 1 (no
//! identity) is still read.

use super::identity::{FP_BYTES, FileId};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The format version written.
const VERSION: u64 = 2;

/// One checkpoint entry.
#[derive(Debug, Clone)]
pub struct Saved {
    pub path: PathBuf,
    pub id: Option<FileId>,
    pub fp: u64,
    pub fp_len: u64,
    pub offset: u64,
}

/// The checkpoint at `path`: `None` when there is none (a first run); an error that says
/// what to do when it cannot be read or is damaged.
pub fn load(path: &Path) -> Result<Option<Vec<Saved>>, String> {
    let damaged = |why: String| {
        format!(
            "checkpoint {} cannot be used ({why}). Restore it from a backup, or move it away to start over: the next run is then a first run, which reads the files found from their start (--from-end: from their end)",
            path.display()
        )
    };
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(damaged(format!("cannot read it: {e}"))),
    };
    let v: serde_json::Value =
        serde_json::from_slice(&text).map_err(|e| damaged(format!("not valid JSON: {e}")))?;
    let version = v.get("version").and_then(serde_json::Value::as_u64);
    if !matches!(version, Some(1 | VERSION)) {
        return Err(damaged(format!(
            "version {:?}, expected {VERSION}",
            v.get("version")
        )));
    }
    let files = v
        .get("files")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| damaged("no files list".into()))?;
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let num = |k: &str| f.get(k).and_then(serde_json::Value::as_u64);
            let entry = || {
                Some(Saved {
                    path: PathBuf::from(f.get("path")?.as_str()?),
                    // Version 1 had no identity: such entries match by content alone.
                    id: match (num("dev"), num("ino")) {
                        (Some(dev), Some(ino)) => Some(FileId { dev, ino }),
                        _ => None,
                    },
                    fp: f.get("fingerprint")?.as_str()?.parse().ok()?,
                    fp_len: num("fingerprint_bytes").filter(|n| *n <= FP_BYTES)?,
                    offset: num("offset")?,
                })
            };
            entry().ok_or_else(|| damaged(format!("entry {i} is incomplete")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The checkpoint document: one entry per followed file, one per line.
pub fn to_json<'a>(entries: impl ExactSizeIterator<Item = Entry<'a>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + entries.len() * 160);
    let _ = write!(out, "{{\"version\":{VERSION},\"files\":[");
    for (i, e) in entries.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let path = serde_json::to_string(&e.path.to_string_lossy()).unwrap_or_default();
        let _ = write!(
            out,
            "\n{{\"path\":{path},\"dev\":{},\"ino\":{},\"fingerprint\":\"{}\",\"fingerprint_bytes\":{},\"offset\":{}}}",
            e.id.dev, e.id.ino, e.fp, e.fp_len, e.offset
        );
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

/// What is saved of one followed file.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub path: &'a Path,
    pub id: FileId,
    pub fp: u64,
    pub fp_len: u64,
    pub offset: u64,
}

/// Writes the checkpoint atomically: a temporary file beside it (its name plus `.saving`,
/// so never the checkpoint itself), synced, then renamed over it (one step on Windows too).
pub fn save(path: &Path, doc: &[u8]) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".saving");
    let tmp = PathBuf::from(tmp);
    let mut f = File::create(&tmp)?;
    f.write_all(doc)?;
    f.sync_data()?;
    drop(f);
    std::fs::rename(&tmp, path)
}
