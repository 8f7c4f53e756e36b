//! Writes a generated NPS corpus to stdout: `cargo run --release --example gen_corpus -- ias 100000`.
//! Kinds: ias, odbc, dts, mixed. The same seed gives the same bytes on every machine.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "mixed".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut out = std::io::stdout().lock();
    // In chunks, so memory stays small for large corpora.
    let chunk = 10_000;
    let mut done = 0;
    while done < n {
        let k = chunk.min(n - done);
        let data = corpus::corpus(&kind, k, seed.wrapping_add(done as u64));
        if out.write_all(&data).is_err() {
            return;
        }
        done += k;
    }
}
