//! `--threads N`: one reader splits the input into lines (the same bounded reader as the
//! single-threaded path, so the same lines), groups them into batches, N workers transform
//! batches with their own Transformer, and the output is written strictly in input order.
//! Channels are bounded, so memory stays flat however large the input.

use super::{LineReader, LineTransform, Sink, Stats, Stop};
use nps_enrich::{Options, Transformer};
use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// Lines per batch, and bytes: whichever comes first.
const BATCH_LINES: usize = 512;
const BATCH_BYTES: usize = 192 << 10;

/// Lines: their kept bytes back to back, and (end offset, full length) for each.
#[derive(Default)]
struct Batch {
    seq: u64,
    data: Vec<u8>,
    lines: Vec<(usize, usize)>,
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    stats: Stats,
}

/// Transforms `readers` in order on `threads` workers; returns whether an input failed.
pub fn run<R: BufRead + Send>(
    readers: impl Iterator<Item = (String, io::Result<R>)> + Send,
    opts: &Options,
    pretty: bool,
    threads: usize,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    let (batch_tx, batch_rx) = sync_channel::<Batch>(threads);
    let (done_tx, done_rx) = sync_channel::<Done>(threads);
    let batch_rx = Arc::new(Mutex::new(batch_rx));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let rx = Arc::clone(&batch_rx);
            let tx = done_tx.clone();
            let opts = opts.clone();
            scope.spawn(move || worker(&rx, &tx, opts, pretty));
        }
        drop(done_tx);
        let reader = scope.spawn(move || read(readers, opts.max_line_bytes, &batch_tx));
        // Write results in sequence order as they complete.
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0u64;
        let mut result = Ok(());
        for done in done_rx {
            pending.insert(done.seq, done);
            while let Some(d) = pending.remove(&next) {
                next += 1;
                sink.lines.stats.add(&d.stats);
                if result.is_ok() {
                    result = sink.write(&d.out);
                }
            }
            if result.is_err() {
                break; // dropping done_rx stops the workers, then the reader
            }
        }
        let failed = reader.join().unwrap_or(true);
        result.map(|()| failed)
    })
}

fn worker(rx: &Mutex<Receiver<Batch>>, tx: &SyncSender<Done>, opts: Options, pretty: bool) {
    let mut lt = LineTransform::new(Transformer::new(opts), pretty);
    loop {
        let batch = match rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let mut out = Vec::with_capacity(batch.data.len() * 6);
        let mut start = 0;
        for &(end, len) in &batch.lines {
            lt.line(&batch.data[start..end], len, &mut out);
            start = end;
        }
        let stats = std::mem::take(&mut lt.stats);
        if tx
            .send(Done {
                seq: batch.seq,
                out,
                stats,
            })
            .is_err()
        {
            return;
        }
    }
}

/// The reader thread: every input in order, lines into batches.
fn read<R: BufRead + Send>(
    readers: impl Iterator<Item = (String, io::Result<R>)>,
    max: usize,
    tx: &SyncSender<Batch>,
) -> bool {
    let mut failed = false;
    let mut seq = 0;
    let mut batch = Batch::default();
    let mut line = Vec::new();
    for (name, reader) in readers {
        let reader = match reader {
            Ok(r) => r,
            Err(e) => {
                super::diag("error", &format!("{name}: {e}"));
                failed = true;
                continue;
            }
        };
        let mut lines = LineReader::new(reader, max);
        loop {
            match lines.next_line(&mut line) {
                Ok(Some(len)) => {
                    batch.data.extend_from_slice(&line);
                    batch.lines.push((batch.data.len(), len));
                    if batch.lines.len() >= BATCH_LINES || batch.data.len() >= BATCH_BYTES {
                        batch.seq = seq;
                        seq += 1;
                        if tx.send(std::mem::take(&mut batch)).is_err() {
                            return failed;
                        }
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    super::diag("error", &format!("{name}: {e}"));
                    failed = true;
                    break;
                }
            }
        }
    }
    if !batch.lines.is_empty() {
        batch.seq = seq;
        let _ = tx.send(batch);
    }
    failed
}
