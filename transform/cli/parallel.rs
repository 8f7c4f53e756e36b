//! `--threads N`: one reader splits the input into lines (the same bounded reader as the
//! single-threaded path, so the same lines), groups them into batches, N workers transform
//! batches with their own Transformer, and the output is written strictly in input order.
//! Channels are bounded, and so is the number of batches between the reader and the
//! writer (a credit per batch, returned when it is written): memory stays flat however large
//! the input, even when one worker is starved of CPU while the others race ahead. Batch and output
//! buffers go back to where they were filled once used, so steady state allocates nothing.

use super::{LineReader, LineTransform, Sink, Stats, Stop};
use nps_enrich::{Options, Transformer};
use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// Lines per batch, and bytes: whichever comes first.
const BATCH_LINES: usize = 512;
const BATCH_BYTES: usize = 192 << 10;
/// Buffers grown past these (a batch holding a very long line) are freed, not kept.
const KEEP_BATCH_BYTES: usize = 2 * BATCH_BYTES;
const KEEP_OUT_BYTES: usize = 16 * BATCH_BYTES;

/// Lines: their kept bytes back to back, and (end offset, full length, start in the input)
/// for each.
#[derive(Default)]
struct Batch {
    seq: u64,
    data: Vec<u8>,
    lines: Vec<(usize, usize, u64)>,
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
    // Used buffers on their way back (dropped instead when a return channel is full).
    let (spent_batch_tx, spent_batch_rx) = sync_channel::<Batch>(2 * threads + 2);
    let (spent_out_tx, spent_out_rx) = sync_channel::<Vec<u8>>(2 * threads + 2);
    let spent_out_rx = Arc::new(Mutex::new(spent_out_rx));
    // Batches read but not yet written, at most: without this bound, the writer's reorder
    // map grows while the batch it waits for sits with a descheduled worker.
    let in_flight = 2 * threads + 2;
    let (credit_tx, credit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = credit_tx.send(());
    }
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let rx = Arc::clone(&batch_rx);
            let tx = done_tx.clone();
            let opts = opts.clone();
            let spent = Recycle {
                batches: spent_batch_tx.clone(),
                outs: Arc::clone(&spent_out_rx),
            };
            scope.spawn(move || worker(&rx, &tx, &spent, opts, pretty));
        }
        // The workers hold the only ends now: when the writer stops early (a closed pipe,
        // a write error) they end, and with them the batch receiver, so the reader's next
        // send fails and it ends too instead of blocking on a full channel.
        drop(batch_rx);
        drop(done_tx);
        drop(spent_batch_tx);
        let reader = scope.spawn(move || {
            read(
                readers,
                opts.max_line_bytes,
                &batch_tx,
                &spent_batch_rx,
                &credit_rx,
            )
        });
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
                if d.out.capacity() <= KEEP_OUT_BYTES {
                    let _ = spent_out_tx.try_send(d.out);
                }
                let _ = credit_tx.try_send(());
            }
            if result.is_err() {
                break; // dropping done_rx stops the workers, then the reader
            }
        }
        drop(credit_tx); // a reader waiting for a credit ends
        let failed = reader.join().unwrap_or(true);
        result.map(|()| failed)
    })
}

/// A worker's ends of the return channels: batches back to the reader, output buffers from
/// the writer.
struct Recycle {
    batches: SyncSender<Batch>,
    outs: Arc<Mutex<Receiver<Vec<u8>>>>,
}

fn worker(
    rx: &Mutex<Receiver<Batch>>,
    tx: &SyncSender<Done>,
    spent: &Recycle,
    opts: Options,
    pretty: bool,
) {
    let mut lt = LineTransform::new(Transformer::new(opts), pretty);
    loop {
        let batch = match rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let reused = spent.outs.lock().ok().and_then(|r| r.try_recv().ok());
        let mut out = reused.unwrap_or_default();
        out.clear();
        out.reserve(batch.data.len() * 6);
        let mut start = 0;
        for &(end, len, at) in &batch.lines {
            lt.line(&batch.data[start..end], len, Some(at), &mut out);
            start = end;
        }
        let stats = std::mem::take(&mut lt.stats);
        let seq = batch.seq;
        if batch.data.capacity() <= KEEP_BATCH_BYTES {
            let _ = spent.batches.try_send(batch);
        }
        if tx.send(Done { seq, out, stats }).is_err() {
            return;
        }
    }
}

/// The reader thread: every input in order, lines into batches.
fn read<R: BufRead + Send>(
    readers: impl Iterator<Item = (String, io::Result<R>)>,
    max: usize,
    tx: &SyncSender<Batch>,
    spent: &Receiver<Batch>,
    credits: &Receiver<()>,
) -> bool {
    let mut failed = false;
    let mut seq = 0;
    // An emptied batch that went through a worker, else a new one.
    let fresh = || {
        let mut b = spent.try_recv().unwrap_or_default();
        b.data.clear();
        b.lines.clear();
        b
    };
    let mut batch = fresh();
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
                    batch
                        .lines
                        .push((batch.data.len(), len, lines.line_start()));
                    if batch.lines.len() >= BATCH_LINES || batch.data.len() >= BATCH_BYTES {
                        batch.seq = seq;
                        seq += 1;
                        if credits.recv().is_err()
                            || tx.send(std::mem::replace(&mut batch, fresh())).is_err()
                        {
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
    if !batch.lines.is_empty() && credits.recv().is_ok() {
        batch.seq = seq;
        let _ = tx.send(batch);
    }
    failed
}
