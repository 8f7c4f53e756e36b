//! `--follow`: tail live NPS log files as NPS writes them (a new file per day, week, month
//! or size: `IN*.log`, `iaslog*.log`), for shippers that run a command (Vector's `exec`).
//!
//! Portable by construction: it polls with std file APIs (no inotify), so it behaves the
//! same on Windows.
//!
//! **Files are known by identity and content together**: the file's identity (device and
//! inode on Unix, volume serial and file index on Windows) and a fingerprint of its first
//! bytes (up to [`FP_BYTES`]). So a file renamed by rotation, even to a name the patterns
//! still match, is the same file and is not read again; a new file under an old name, or an
//! inode reused after a delete, is a new file read from its start; a copy (another identity,
//! the same first bytes) is a copy and is not read again.
//!
//! **Rotation loses nothing.** A followed file stays open: one renamed out of the patterns
//! (`IN.log` → `IN.log.1`) or deleted is read to its end through the open handle and let go
//! only after [`FollowOptions::rotate_wait`] without growth; its last line, if it has no
//! line end, is emitted then. A truncated file (copytruncate) is noticed on every poll (its
//! size fell below what was read, or its first bytes changed); what was not yet read of the
//! old content is taken from the copy, if one is in the same directory (same first bytes,
//! another identity), and the file is then read from its start. Lost are only the lines
//! written between the copy and the truncation, which no reader can see.
//!
//! **State**: with `--checkpoint FILE`, the per-file positions are saved after the output
//! they cover has been flushed (with `--post`: acknowledged by the receiver): after a chunk
//! of at most [`CHUNK`] bytes of a file, at most [`SAVE_EVERY`] apart (written to `FILE.saving` in the same directory, synced, then
//! renamed over `FILE`). SIGTERM / Ctrl-C stop after the current chunk with a final save:
//! every line exactly once. A crash (SIGKILL, power loss) loses nothing and repeats at most
//! the lines written since the last save, with the same `event.id`. A missing checkpoint is a
//! first run (said on stderr; existing files are read from their start unless `--from-end`);
//! a damaged one is an error, never a silent start at the end.
//!
//! **Cost**: an unchanged file costs one `stat` per poll; only files that changed recently
//! stay open.

mod checkpoint;
mod identity;

use super::{Sink, Stop, diag};
use checkpoint::Saved;
use identity::{FNV_START, FP_BYTES, FileId, file_id, fingerprint, fnv, same_bytes_before};
use nps_enrich::lines::Splitter;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Bytes read from one file at a time.
pub const CHUNK: usize = 1 << 20;
/// Most bytes read from one file per pass before the others get their turn.
const PASS_BUDGET: u64 = 16 << 20;
/// The checkpoint is saved after a flushed chunk, at most this often (and at every pass
/// end, stop and release).
pub const SAVE_EVERY: Duration = Duration::from_millis(200);
/// A file in the patterns that has not changed for this long is closed (reopened when its
/// size or time changes), so thousands of old files cost no handles.
const CLOSE_IDLE: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct FollowOptions {
    pub globs: Vec<String>,
    /// Read files found at the first scan from their start (default: only with a
    /// checkpoint that does not exist yet).
    pub from_start: bool,
    /// Start files found at the first scan at their end, even on a first run with a
    /// checkpoint.
    pub from_end: bool,
    pub checkpoint: Option<PathBuf>,
    pub poll: Duration,
    pub max_line_bytes: usize,
    /// Files last written longer ago than this when found are not read.
    pub ignore_older: Option<Duration>,
    /// How long a file gone from the patterns (renamed away, deleted) is kept open after it
    /// last grew, for its writer's last lines.
    pub rotate_wait: Duration,
}

/// One file being followed.
#[derive(Debug)]
struct Tracked {
    path: PathBuf,
    id: FileId,
    fp: u64,
    fp_len: u64,
    /// Bytes of the file done with: up to the end of the last complete line emitted.
    offset: u64,
    splitter: Splitter,
    /// The start of a line not yet complete (at most max_line_bytes + 1 bytes of it) and
    /// its full length so far.
    partial: Vec<u8>,
    partial_len: u64,
    /// Open while the file is active or gone from the patterns.
    file: Option<File>,
    /// Size and modification time at the last look.
    size: u64,
    mtime: Option<SystemTime>,
    /// When it last grew (or was found), and when a scan first missed it.
    grew: Instant,
    left: Option<Instant>,
    /// Matched by the last scan (under this or another name).
    in_pattern: bool,
    /// The last scan saw its size or time change.
    changed: bool,
}

impl Tracked {
    /// A file to follow from `offset`, known by `id` and the fingerprint `fp` of its first
    /// `fp_len` bytes; not open yet, not seen by a scan.
    fn new(path: PathBuf, id: FileId, fp: u64, fp_len: u64, offset: u64) -> Self {
        Tracked {
            path,
            id,
            fp,
            fp_len,
            offset,
            splitter: Splitter::new(),
            partial: Vec::new(),
            partial_len: 0,
            file: None,
            size: 0,
            mtime: None,
            grew: Instant::now(),
            left: None,
            in_pattern: false,
            changed: true,
        }
    }

    fn read_from(&self) -> u64 {
        self.offset + self.partial_len
    }

    /// Starts the file over (after a truncation): nothing of the old content is kept.
    fn restart(&mut self) {
        self.offset = 0;
        self.partial.clear();
        self.partial_len = 0;
        self.splitter = Splitter::new();
        self.fp_len = 0;
        self.fp = fnv(&[], FNV_START);
        self.size = 0;
        self.mtime = None;
    }
}

/// Whether a followed file no longer holds what was read of it: shorter than that, or
/// other first bytes.
fn orig_truncated(t: &Tracked) -> bool {
    let Ok(mut f) = File::open(&t.path) else {
        return false;
    };
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return false;
    };
    len < t.read_from() || fingerprint(&mut f, t.fp_len).ok() != Some(t.fp)
}

/// A file found by a scan that no entry of ours is.
struct Found {
    path: PathBuf,
    id: FileId,
    meta: std::fs::Metadata,
}

struct Follower<'a> {
    opts: &'a FollowOptions,
    files: Vec<Tracked>,
    /// Checkpoint entries not yet matched to a file found.
    restored: Vec<Saved>,
    /// Checkpointed files found truncated at start, with what the checkpoint knew.
    stale: Vec<(FileId, Saved)>,
    /// Files skipped by --ignore-older: path → the size then (taken as read).
    ignored: HashMap<PathBuf, (u64, Option<SystemTime>)>,
    /// The first scan's files start at their end.
    first_at_end: bool,
    last_saved: Vec<u8>,
    saved_at: Option<Instant>,
    save_failing: bool,
    buf: Vec<u8>,
}

/// Files the patterns match now, in name order (NPS names sort by date). Matching is
/// case-insensitive on Windows, as its file names are.
fn matches(globs: &[String]) -> Vec<PathBuf> {
    let opts = glob::MatchOptions {
        case_sensitive: !cfg!(windows),
        ..glob::MatchOptions::new()
    };
    let mut out = Vec::new();
    for g in globs {
        match glob::glob_with(g, opts) {
            Ok(paths) => out.extend(paths.flatten()),
            Err(_) => out.push(PathBuf::from(g)),
        }
    }
    out.sort();
    out.dedup();
    out
}

pub fn run(opts: &FollowOptions, sink: &mut Sink, stop: &AtomicBool) -> Result<(), Stop> {
    let restored = match &opts.checkpoint {
        Some(p) => checkpoint::load(p).map_err(|e| Stop::Failed(io::Error::other(e)))?,
        None => None,
    };
    let first_at_end = match (&opts.checkpoint, &restored) {
        (Some(p), None) => {
            let how = if opts.from_end {
                "files found now start at their end (--from-end)"
            } else {
                "files found now are read from their start (--from-end starts them at their end)"
            };
            diag(
                "info",
                &format!("no checkpoint at {}: first run; {how}", p.display()),
            );
            opts.from_end
        }
        (Some(_), Some(_)) => false,
        (None, _) if opts.from_start => false,
        (None, _) => {
            diag(
                "info",
                "no --checkpoint: files found now start at their end (--from-start reads them), and a restart starts at the end again",
            );
            true
        }
    };
    let mut f = Follower {
        opts,
        files: Vec::new(),
        restored: restored.unwrap_or_default(),
        stale: Vec::new(),
        ignored: HashMap::new(),
        first_at_end,
        last_saved: Vec::new(),
        saved_at: None,
        save_failing: false,
        buf: Vec::new(),
    };
    let mut first = true;
    let mut stopping = false;
    loop {
        f.scan();
        f.recover_stale(sink)?;
        if first {
            f.find_renamed_while_stopped();
            // Saved at once, so a restart knows this was not a first run even if no file
            // has matched yet.
            f.save(true);
            f.first_at_end = false;
            first = false;
        }
        let mut progressed = false;
        for i in 0..f.files.len() {
            progressed |= f.read(i, sink, stop)?;
            if stop.load(Ordering::Relaxed) && !stopping {
                break;
            }
        }
        f.release(sink)?;
        sink.flush()?;
        f.save(true);
        if stop.load(Ordering::Relaxed) {
            // One last pass (a chunk per file at most) for lines written just before the
            // stop, so a stop without a checkpoint misses as little as it can.
            if stopping {
                return Ok(());
            }
            stopping = true;
            continue;
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

impl Follower<'_> {
    /// Looks at every file the patterns match: known files by their `stat`, new ones by
    /// identity and fingerprint.
    fn scan(&mut self) {
        for t in &mut self.files {
            t.in_pattern = false;
            t.changed = false;
        }
        let now = Instant::now();
        let mut found = Vec::new();
        // Looked up once per file per poll: thousands of files must not cost n² compares.
        let by_path: HashMap<PathBuf, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, t)| (t.path.clone(), i))
            .collect();
        let by_id: HashMap<FileId, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        for path in matches(&self.opts.globs) {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let mtime = meta.modified().ok();
            // The common case: a known file under its known name, unchanged: one stat.
            if let Some(&i) = by_path.get(&path)
                && self.files[i].size == meta.len()
                && self.files[i].mtime == mtime
            {
                self.files[i].in_pattern = true;
                continue;
            }
            if let Some((size, time)) = self.ignored.get(&path)
                && *size == meta.len()
                && *time == mtime
            {
                continue;
            }
            let Ok(id) = file_id(&path, &meta) else {
                continue;
            };
            if let Some(&i) = by_id.get(&id) {
                let t = &mut self.files[i];
                // Known, under another name now, or changed.
                t.path = path;
                t.in_pattern = true;
                t.changed = true;
                continue;
            }
            found.push(Found { path, id, meta });
        }
        for n in found {
            self.add(n);
        }
        for t in &mut self.files {
            t.left = if t.in_pattern {
                None
            } else {
                t.left.or(Some(now))
            };
        }
    }

    /// Checkpointed files the patterns no longer match were renamed away (or deleted)
    /// while we were stopped: one still in its directory under another name, the same
    /// identity and first bytes, is read to its end and then let go, as if we had seen the
    /// rename happen.
    fn find_renamed_while_stopped(&mut self) {
        let mut i = 0;
        while i < self.restored.len() {
            let c = &self.restored[i];
            let Some(id) = c.id else {
                i += 1;
                continue;
            };
            let min_len = c.offset.max(c.fp_len);
            let hit = find_beside(&c.path, c.fp, c.fp_len, min_len, |other| other == id);
            let Some((path, file, meta)) = hit else {
                i += 1;
                continue;
            };
            let c = self.restored.swap_remove(i);
            diag(
                "info",
                &format!(
                    "{} was renamed to {} while stopped: reading it to its end",
                    c.path.display(),
                    path.display()
                ),
            );
            let now = Instant::now();
            // Older than anything the patterns match now: read first.
            self.files.insert(
                0,
                Tracked {
                    file: Some(file),
                    size: meta.len(),
                    mtime: meta.modified().ok(),
                    left: Some(now),
                    ..Tracked::new(path, id, c.fp, c.fp_len, c.offset)
                },
            );
        }
    }

    /// Starts following a file the scan found.
    fn add(&mut self, n: Found) {
        let len = n.meta.len();
        let mtime = n.meta.modified().ok();
        let ignored_at = self.ignored.remove(&n.path).map(|(size, _)| size);
        if ignored_at.is_none()
            && let Some(age) = self.opts.ignore_older
            && mtime.is_some_and(|m| m.elapsed().is_ok_and(|e| e > age))
        {
            self.ignored.insert(n.path, (len, mtime));
            return;
        }
        let Ok(mut file) = File::open(&n.path) else {
            return;
        };
        let fp_len = len.min(FP_BYTES);
        let Ok(fp) = fingerprint(&mut file, fp_len) else {
            return;
        };
        // Does this file start as `fp` over `fp_len` bytes does?
        let mut starts_as = |fp_want: u64, want_len: u64| {
            want_len <= len
                && (want_len == fp_len && fp_want == fp
                    || want_len < fp_len && fingerprint(&mut file, want_len).ok() == Some(fp_want))
        };
        // A file the checkpoint knows: the same identity and first bytes. (Entries of
        // version 1 have no identity and match by their first bytes alone.) A file under
        // another identity is another file, whatever its first bytes: read from its
        // start, it repeats at worst lines with the ids they had, never skips one.
        let known = self
            .restored
            .iter()
            .position(|c| {
                c.id.is_none_or(|id| id == n.id) && c.fp_len > 0 && starts_as(c.fp, c.fp_len)
            })
            .or_else(|| {
                self.restored
                    .iter()
                    .position(|c| c.id == Some(n.id) && c.fp_len == 0)
            })
            .map(|i| self.restored.swap_remove(i));
        // Its identity, other content (or shorter than what was read): truncated while we
        // were stopped. Read from its start; its old rest may be in a copy.
        let known = match known {
            Some(c) if c.offset > len && c.id == Some(n.id) => {
                self.stale.push((n.id, c));
                None
            }
            Some(c) => Some(c),
            None => {
                if let Some(i) = self.restored.iter().position(|c| c.id == Some(n.id)) {
                    let c = self.restored.swap_remove(i);
                    self.stale.push((n.id, c));
                }
                None
            }
        };
        let stale = self.stale.iter().any(|(id, _)| *id == n.id);
        // A copy of a file we follow: another identity, the same first bytes, and the same
        // bytes where the copy ends.
        let copy_of = if known.is_some() {
            None
        } else {
            self.files
                .iter()
                .position(|t| t.fp_len > 0 && starts_as(t.fp, t.fp_len))
        };
        let copy_of = copy_of.and_then(|i| {
            let orig = &self.files[i];
            let truncated = orig_truncated(orig);
            (truncated || same_bytes_before(&mut file, &orig.path, len)).then_some((i, truncated))
        });
        let offset = if let Some((i, truncated)) = copy_of {
            let orig = &mut self.files[i];
            if truncated {
                // copytruncate, the copy found after the truncation: the copy goes on
                // where the original was, the original starts over.
                diag(
                    "warning",
                    &format!(
                        "{}: truncated; {} is its copy (the same first bytes): its unread rest is read from there",
                        orig.path.display(),
                        n.path.display()
                    ),
                );
                let at = orig.offset;
                orig.restart();
                at
            } else {
                diag(
                    "info",
                    &format!(
                        "{}: a copy of {} (the same bytes at its start and end): not read again",
                        n.path.display(),
                        orig.path.display()
                    ),
                );
                len
            }
        } else if let Some(c) = known {
            if c.offset > len {
                diag(
                    "warning",
                    &format!(
                        "{}: shorter than its checkpointed position ({} < {}): truncated while stopped, read from its start",
                        n.path.display(),
                        len,
                        c.offset
                    ),
                );
                0
            } else {
                c.offset
            }
        } else if stale {
            0
        } else if let Some(at) = ignored_at {
            at.min(len)
        } else if self.first_at_end {
            len
        } else {
            0
        };
        let t = Tracked {
            // Old files are read (if at all) and closed by `read`: thousands of them must
            // not hold thousands of handles.
            file: (!is_old(mtime)).then_some(file),
            size: len,
            mtime,
            in_pattern: true,
            ..Tracked::new(n.path, n.id, fp, fp_len, offset)
        };
        self.files.push(t);
    }

    /// Reads what file `i` has that is new; whether it had anything.
    fn read(&mut self, i: usize, sink: &mut Sink, stop: &AtomicBool) -> Result<bool, Stop> {
        let t = &mut self.files[i];
        if t.file.is_none() {
            if !t.changed {
                return Ok(false);
            }
            match File::open(&t.path) {
                Ok(f) => t.file = Some(f),
                Err(_) => return Ok(false),
            }
        }
        let Some(file) = t.file.as_mut() else {
            return Ok(false);
        };
        let Ok(meta) = file.metadata() else {
            return Ok(false);
        };
        let len = meta.len();
        let mtime = meta.modified().ok();
        if len != t.size || mtime != t.mtime {
            // Still the content we know? (Truncated, or truncated and written again.)
            let same = t.fp_len <= len && fingerprint(file, t.fp_len).ok() == Some(t.fp);
            if !same || len < t.read_from() {
                self.truncated(i, sink)?;
            }
            let t = &mut self.files[i];
            if let Some(file) = t.file.as_mut()
                && t.fp_len < FP_BYTES
                && len > t.fp_len
            {
                t.fp_len = len.min(FP_BYTES);
                t.fp = fingerprint(file, t.fp_len).unwrap_or(0);
            }
            t.size = len;
            t.mtime = mtime;
        }
        let t = &mut self.files[i];
        if len <= t.read_from() {
            // Nothing new. Files long unwritten are closed; those gone from the patterns
            // stay open until released.
            if t.in_pattern && is_old(t.mtime) {
                t.file = None;
            }
            return Ok(false);
        }
        t.grew = Instant::now();
        let mut budget = PASS_BUDGET;
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(CHUNK, 0);
        let result = loop {
            let t = &mut self.files[i];
            let from = t.read_from();
            if from >= len || budget == 0 {
                break Ok(());
            }
            let want = ((len - from).min(CHUNK as u64)) as usize;
            let Some(file) = t.file.as_mut() else {
                break Ok(());
            };
            let n = match file
                .seek(SeekFrom::Start(from))
                .and_then(|_| file.read(&mut buf[..want]))
            {
                Ok(0) | Err(_) => break Ok(()),
                Ok(n) => n,
            };
            budget = budget.saturating_sub(n as u64);
            if let Err(e) = emit_lines(t, &buf[..n], self.opts.max_line_bytes, sink) {
                break Err(e);
            }
            // Flushed when a save is due, so that each flush (a `--post` request waits for
            // its answer) carries up to SAVE_EVERY's worth of lines, not one chunk's.
            if self.save_due() {
                if let Err(e) = sink.flush() {
                    break Err(e);
                }
                self.save(false);
            }
            if stop.load(Ordering::Relaxed) {
                break Ok(());
            }
        };
        self.buf = buf;
        result.map(|()| true)
    }

    /// File `i` no longer holds what was read of it: copytruncate, or rewritten in place.
    /// What had not been read of the old content is taken from a copy in the same directory
    /// when there is one; then the file is read from its start.
    fn truncated(&mut self, i: usize, sink: &mut Sink) -> Result<(), Stop> {
        let max = self.opts.max_line_bytes;
        let t = &mut self.files[i];
        recover_rest(t, max, sink)?;
        t.restart();
        Ok(())
    }

    /// Checkpointed files that were truncated (copytruncate) while we were stopped: their
    /// identity is here, their old content not. Its unread rest is taken from a copy, as
    /// when the truncation is seen live; the file itself is read from its start.
    fn recover_stale(&mut self, sink: &mut Sink) -> Result<(), Stop> {
        for (id, c) in std::mem::take(&mut self.stale) {
            let Some(t) = self.files.iter().find(|t| t.id == id) else {
                continue;
            };
            let mut old = Tracked::new(t.path.clone(), id, c.fp, c.fp_len, c.offset);
            recover_rest(&mut old, self.opts.max_line_bytes, sink)?;
        }
        Ok(())
    }

    /// Lets go of files gone from the patterns (renamed away, deleted) once they have been
    /// read to their end and not grown for `rotate_wait`.
    fn release(&mut self, sink: &mut Sink) -> Result<(), Stop> {
        let wait = self.opts.rotate_wait;
        let mut i = 0;
        while i < self.files.len() {
            let t = &mut self.files[i];
            // Gone for `wait`, and no growth for `wait`: its writer has moved on.
            let done = t.left.is_some_and(|at| at.elapsed() >= wait)
                && (t.file.is_none() || t.grew.elapsed() >= wait)
                && t.size <= t.read_from();
            // A closed file that merely went missing from one listing is kept while its
            // path still holds it.
            let still_here = t.file.is_none()
                && std::fs::metadata(&t.path)
                    .ok()
                    .and_then(|m| file_id(&t.path, &m).ok())
                    == Some(t.id);
            if done && !still_here {
                emit_partial(t, sink)?;
                self.files.remove(i);
                sink.flush()?;
                self.save(true);
            } else {
                i += 1;
            }
        }
        Ok(())
    }

    /// Whether [`Self::save`] would save now without `force` (with no checkpoint: as often).
    fn save_due(&self) -> bool {
        self.saved_at.is_none_or(|at| at.elapsed() >= SAVE_EVERY)
    }

    /// Saves the checkpoint if it changed (`force`: whatever the time since the last save).
    fn save(&mut self, force: bool) {
        let Some(path) = &self.opts.checkpoint else {
            return;
        };
        if !force && self.saved_at.is_some_and(|at| at.elapsed() < SAVE_EVERY) {
            return;
        }
        let doc = checkpoint::to_json(self.files.iter().map(|t| checkpoint::Entry {
            path: &t.path,
            id: t.id,
            fp: t.fp,
            fp_len: t.fp_len,
            offset: t.offset,
        }));
        if doc == self.last_saved {
            return;
        }
        match checkpoint::save(path, &doc) {
            Ok(()) => {
                if self.save_failing {
                    diag(
                        "info",
                        &format!("checkpoint {} saved again", path.display()),
                    );
                }
                self.save_failing = false;
                self.last_saved = doc;
                self.saved_at = Some(Instant::now());
            }
            Err(e) => {
                if !self.save_failing {
                    diag(
                        "error",
                        &format!(
                            "writing checkpoint {}: {e}; positions are not being saved, so a restart would repeat lines",
                            path.display()
                        ),
                    );
                }
                self.save_failing = true;
            }
        }
    }
}

/// `t`'s file no longer holds its old content: reads what `t` had not read of it from a
/// copy in the same directory (another identity, the same first bytes, longer than what
/// was read), if there is one; then emits the last line of the old content, even without
/// its end. Says on stderr which it was.
fn recover_rest(t: &mut Tracked, max: usize, sink: &mut Sink) -> Result<(), Stop> {
    let from = t.read_from();
    let copy = (t.fp_len > 0)
        .then(|| {
            find_beside(&t.path, t.fp, t.fp_len, (from + 1).max(t.fp_len), |id| {
                id != t.id
            })
        })
        .flatten();
    let what = match copy {
        Some((path, mut c, meta)) => {
            let len = meta.len();
            let mut buf = vec![0; CHUNK];
            let mut at = from;
            while at < len {
                let want = ((len - at).min(CHUNK as u64)) as usize;
                match c
                    .seek(SeekFrom::Start(at))
                    .and_then(|_| c.read(&mut buf[..want]))
                {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        emit_lines(t, &buf[..n], max, sink)?;
                        at += n as u64;
                    }
                }
            }
            format!(
                "{}: truncated; its {} unread bytes were read from its copy {}",
                t.path.display(),
                at - from,
                path.display()
            )
        }
        None => format!(
            "{}: truncated at {} bytes read; read again from its start (lines written after the last read and before the truncation, if any, were in no file left to read)",
            t.path.display(),
            from
        ),
    };
    diag("warning", &what);
    emit_partial(t, sink)
}

/// A file in the directory of `near`, at least `min_len` bytes long, whose first `fp_len`
/// bytes fingerprint to `fp` and whose identity `id_ok` accepts: a followed file under a
/// new name, or its copy. Opened, with its metadata.
fn find_beside(
    near: &Path,
    fp: u64,
    fp_len: u64,
    min_len: u64,
    id_ok: impl Fn(FileId) -> bool,
) -> Option<(PathBuf, File, std::fs::Metadata)> {
    let dir = match near.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let path = e.path();
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() < min_len || !id_ok(file_id(&path, &meta).ok()?) {
            return None;
        }
        let mut file = File::open(&path).ok()?;
        (fingerprint(&mut file, fp_len).ok()? == fp).then_some((path, file, meta))
    })
}

/// Not written for [`CLOSE_IDLE`]: no handle is kept.
fn is_old(mtime: Option<SystemTime>) -> bool {
    mtime.is_some_and(|m| m.elapsed().is_ok_and(|e| e > CLOSE_IDLE))
}

/// The complete lines of `bytes` (the next bytes of `t` after what it holds) to the sink;
/// the rest is kept as the start of the next line.
fn emit_lines(t: &mut Tracked, bytes: &[u8], max: usize, sink: &mut Sink) -> Result<(), Stop> {
    let mut rest = bytes;
    while !rest.is_empty() {
        let step = t.splitter.step(rest);
        // Skipped bytes end the previous line (the `\n` of a `\r\n`).
        t.offset += step.skip as u64;
        let piece = &rest[step.skip..step.consumed()];
        let room = (max + 1).saturating_sub(t.partial.len());
        t.partial.extend_from_slice(&piece[..piece.len().min(room)]);
        t.partial_len += step.take as u64;
        if step.ends {
            let len = (t.partial_len - 1) as usize;
            sink.line_at(&t.partial, len, Some(t.offset))?;
            t.offset += t.partial_len;
            t.partial.clear();
            t.partial_len = 0;
        }
        rest = &rest[step.consumed()..];
    }
    Ok(())
}

/// The last line of a file that will not be read again, though it has no line end.
fn emit_partial(t: &mut Tracked, sink: &mut Sink) -> Result<(), Stop> {
    if t.partial_len > 0 {
        sink.line_at(&t.partial, t.partial_len as usize, Some(t.offset))?;
        t.offset += t.partial_len;
        t.partial.clear();
        t.partial_len = 0;
    }
    Ok(())
}
