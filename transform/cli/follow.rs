//! `--follow`: tail live NPS log files as NPS writes them (a new file per day, week, month
//! or size: `IN*.log`, `iaslog*.log`), for shippers that run a command (Vector's `exec`).
//!
//! Portable by construction: it polls with std file APIs only (no inotify, no Unix calls),
//! so it behaves the same on Windows. A file is known by a fingerprint of its first bytes,
//! not by its name or inode, so a file renamed by rotation is still recognised, one
//! replaced under the same name starts over, and one truncated (shorter than the offset)
//! is read again from its start. Only complete lines are emitted.
//!
//! With `--checkpoint FILE`, per-file positions are saved after the output they cover has
//! been flushed (written to a temporary file, then renamed over the old one), so a restart
//! neither loses nor repeats a line; SIGTERM / Ctrl-C end the loop cleanly after a save.

use super::{Sink, Stop};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Bytes of a file's start that identify it.
const FINGERPRINT_BYTES: u64 = 256;
/// Read at most this much of one file per pass, so one busy file cannot starve the others.
const READ_CHUNK: usize = 1 << 20;

#[derive(Debug)]
pub struct FollowOptions {
    pub globs: Vec<String>,
    pub from_start: bool,
    pub checkpoint: Option<PathBuf>,
    pub poll: Duration,
    pub max_line_bytes: usize,
}

/// One file being followed.
#[derive(Debug, Clone)]
struct Tracked {
    path: PathBuf,
    /// Hash of the first `fp_len` bytes (grows with the file up to FINGERPRINT_BYTES).
    fp: u64,
    fp_len: u64,
    /// Bytes of the file already emitted (up to the end of the last complete line).
    offset: u64,
    /// The start of a line not yet complete.
    partial: Vec<u8>,
    /// Full length of `partial`'s line so far (it keeps only max_line_bytes + 1).
    partial_len: usize,
    seen: bool,
}

/// FNV-1a of the file's first `len` bytes: stable across releases, so checkpoints are too.
fn fingerprint(file: &mut File, len: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; len as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut buf)?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in buf {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    Ok(h)
}

/// Files the patterns match now, in name order (NPS names sort by date).
fn matches(globs: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for g in globs {
        match glob::glob(g) {
            Ok(paths) => out.extend(paths.flatten().filter(|p| p.is_file())),
            Err(_) => {
                let p = PathBuf::from(g);
                if p.is_file() {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

pub fn run(opts: &FollowOptions, sink: &mut Sink, stop: &AtomicBool) -> Result<(), Stop> {
    let mut tracked: Vec<Tracked> = Vec::new();
    let restored = match &opts.checkpoint {
        Some(p) => load_checkpoint(p),
        None => None,
    };
    // With no checkpoint, existing files are taken as read unless --from-start; with one,
    // a file it does not know appeared while we were stopped and is read from its start.
    let first_pass_at_end = !opts.from_start && restored.is_none();
    let restored = restored.unwrap_or_default();
    let mut first = true;
    let mut saved: Vec<(PathBuf, u64, u64, u64)> = Vec::new();
    loop {
        for path in matches(&opts.globs) {
            if tracked.iter().any(|t| t.path == path) {
                continue;
            }
            let Ok(mut f) = File::open(&path) else {
                continue;
            };
            let Ok(len) = f.metadata().map(|m| m.len()) else {
                continue;
            };
            let fp_len = len.min(FINGERPRINT_BYTES);
            let Ok(fp) = fingerprint(&mut f, fp_len) else {
                continue;
            };
            // A followed file renamed by rotation: same content, its old name gone.
            if let Some(t) = tracked.iter_mut().find(|t| {
                !t.path.exists()
                    && t.fp_len <= len
                    && fingerprint(&mut f, t.fp_len).ok() == Some(t.fp)
            }) {
                t.path = path;
                continue;
            }
            // A file the checkpoint knows (by content, whatever its name now).
            let known = restored.iter().find(|c| {
                c.fp_len <= len
                    && (c.fp_len == fp_len && c.fp == fp
                        || c.fp_len < fp_len && fingerprint(&mut f, c.fp_len).ok() == Some(c.fp))
            });
            let offset = match known {
                Some(c) if c.offset <= len => c.offset,
                Some(_) => 0,
                None if first && first_pass_at_end => len,
                None => 0,
            };
            tracked.push(Tracked {
                path,
                fp,
                fp_len,
                offset,
                partial: Vec::new(),
                partial_len: 0,
                seen: true,
            });
        }
        first = false;

        let mut progressed = false;
        for t in &mut tracked {
            match poll_file(t, opts, sink)? {
                Poll::Read => progressed = true,
                Poll::Idle => {}
                Poll::Gone => t.seen = false,
            }
        }
        tracked.retain(|t| t.seen);
        sink.flush()?;

        // Save positions only now that the output for them is flushed.
        if let Some(cp) = &opts.checkpoint {
            let now: Vec<(PathBuf, u64, u64, u64)> = tracked
                .iter()
                .map(|t| (t.path.clone(), t.fp, t.fp_len, t.offset))
                .collect();
            if now != saved {
                if let Err(e) = save_checkpoint(cp, &tracked) {
                    super::diag(
                        "error",
                        &format!("writing checkpoint {}: {e}", cp.display()),
                    );
                }
                saved = now;
            }
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if !progressed {
            // Sleep in short steps so a stop request is answered quickly.
            let mut left = opts.poll;
            while !left.is_zero() && !stop.load(Ordering::Relaxed) {
                let step = left.min(Duration::from_millis(50));
                std::thread::sleep(step);
                left -= step;
            }
        }
    }
}

enum Poll {
    Read,
    Idle,
    Gone,
}

fn poll_file(t: &mut Tracked, opts: &FollowOptions, sink: &mut Sink) -> Result<Poll, Stop> {
    let Ok(mut f) = File::open(&t.path) else {
        return Ok(Poll::Gone);
    };
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return Ok(Poll::Gone);
    };
    // Same file? Compare the fingerprint over the bytes it covers.
    let same = t.fp_len <= len && fingerprint(&mut f, t.fp_len).ok() == Some(t.fp);
    if !same || len < t.offset {
        // Replaced under the same name, or truncated: start over.
        t.offset = 0;
        t.partial.clear();
        t.partial_len = 0;
        t.fp_len = len.min(FINGERPRINT_BYTES);
        t.fp = fingerprint(&mut f, t.fp_len).unwrap_or(0);
    } else if t.fp_len < FINGERPRINT_BYTES && len > t.fp_len {
        t.fp_len = len.min(FINGERPRINT_BYTES);
        t.fp = fingerprint(&mut f, t.fp_len).unwrap_or(0);
    }
    let read_from = t.offset + t.partial_len as u64;
    if len <= read_from {
        return Ok(Poll::Idle);
    }
    if f.seek(SeekFrom::Start(read_from)).is_err() {
        return Ok(Poll::Gone);
    }
    let mut buf = vec![0u8; ((len - read_from) as usize).min(READ_CHUNK)];
    let n = match f.read(&mut buf) {
        Ok(n) => n,
        Err(_) => return Ok(Poll::Gone),
    };
    buf.truncate(n);
    let max = opts.max_line_bytes;
    let mut rest: &[u8] = &buf;
    while let Some(i) = memchr::memchr(b'\n', rest) {
        let piece = &rest[..=i];
        let room = (max + 1).saturating_sub(t.partial.len());
        t.partial.extend_from_slice(&piece[..piece.len().min(room)]);
        t.partial_len += piece.len();
        // The line's length without its end (`\n` or `\r\n`), as the line reader gives it.
        let end = if piece.ends_with(b"\r\n") { 2 } else { 1 };
        sink.line(&t.partial, t.partial_len - end)?;
        t.offset += t.partial_len as u64;
        t.partial.clear();
        t.partial_len = 0;
        rest = &rest[i + 1..];
    }
    let room = (max + 1).saturating_sub(t.partial.len());
    t.partial.extend_from_slice(&rest[..rest.len().min(room)]);
    t.partial_len += rest.len();
    Ok(Poll::Read)
}

/// One checkpoint entry.
#[derive(Debug, Default, Clone)]
struct Saved {
    fp: u64,
    fp_len: u64,
    offset: u64,
}

fn load_checkpoint(path: &Path) -> Option<Vec<Saved>> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let files = v.get("files")?.as_array()?;
    Some(
        files
            .iter()
            .filter_map(|f| {
                Some(Saved {
                    fp: f.get("fingerprint")?.as_str()?.parse().ok()?,
                    fp_len: f.get("fingerprint_bytes")?.as_u64()?,
                    offset: f.get("offset")?.as_u64()?,
                })
            })
            .collect(),
    )
}

fn save_checkpoint(path: &Path, tracked: &[Tracked]) -> io::Result<()> {
    let files: Vec<serde_json::Value> = tracked
        .iter()
        .map(|t| {
            serde_json::json!({
                "path": t.path.to_string_lossy(),
                "fingerprint": t.fp.to_string(),
                "fingerprint_bytes": t.fp_len,
                "offset": t.offset,
            })
        })
        .collect();
    let doc = serde_json::json!({ "version": 1, "files": files });
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(&doc)?)?;
    // Replaces the old checkpoint in one step (on Windows too, since Rust 1.5x).
    std::fs::rename(&tmp, path)
}
