//! Throughput of the whole line transform per format, and of the System-Health-Result path.
//! Each bench checks its document count, so a fast wrong answer cannot pass.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nps_enrich::{Options, Outcome, Transformer, Zone};
use std::hint::black_box;

mod corpus;

const LINES: usize = 2_000;

fn run(t: &mut Transformer, data: &[u8], out: &mut Vec<u8>) -> usize {
    let mut docs = 0;
    for line in data.split(|&b| b == b'\n') {
        out.clear();
        if let Outcome::Event(_) = t.transform(line, out) {
            docs += 1;
        }
        black_box(&out);
    }
    docs
}

fn formats(c: &mut Criterion) {
    let mut g = c.benchmark_group("transform");
    for kind in ["ias", "odbc", "dts", "mixed"] {
        let data = corpus::corpus(kind, LINES, 7);
        g.throughput(Throughput::Bytes(data.len() as u64));
        let mut t = Transformer::new(Options {
            zone: Zone::parse("Asia/Tokyo").unwrap(),
            ..Options::default()
        });
        let mut out = Vec::with_capacity(8192);
        assert_eq!(
            run(&mut t, &data, &mut out),
            LINES,
            "{kind}: every line must decode"
        );
        g.bench_function(kind, |b| {
            b.iter(|| assert_eq!(run(&mut t, black_box(&data), &mut out), LINES))
        });
    }
    g.finish();
}

fn events(c: &mut Criterion) {
    // Every shipper shape of the real 6273 and 6272 events, repeated.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/winevent/");
    let mut data = Vec::new();
    for f in ["denial-6273-shapes.in", "grant-6272-shapes.in"] {
        data.extend(std::fs::read(format!("{dir}{f}")).unwrap());
    }
    let one = data.clone();
    while data.len() < 400_000 {
        data.extend_from_slice(&one);
    }
    let lines = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    let mut t = Transformer::new(Options::default());
    let mut out = Vec::with_capacity(8192);
    let mut g = c.benchmark_group("transform");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("winevent", |b| {
        b.iter(|| assert_eq!(run(&mut t, black_box(&data), &mut out), lines))
    });
    g.finish();
}

fn errors(c: &mut Criterion) {
    // Lines that fail: the error path must stay cheap too (a misconfigured source).
    let data: Vec<u8> = (0..LINES)
        .flat_map(|i| format!("not an nps line {i}, just text\n").into_bytes())
        .collect();
    let mut t = Transformer::new(Options::default());
    let mut out = Vec::new();
    let mut g = c.benchmark_group("errors");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("unknown_format", |b| {
        b.iter(|| {
            let mut n = 0;
            for line in data.split(|&b| b == b'\n') {
                out.clear();
                if let Outcome::Error(..) = t.transform(line, &mut out) {
                    n += 1;
                }
            }
            assert_eq!(n, LINES);
        })
    });
    g.finish();
}

criterion_group!(benches, formats, events, errors);
criterion_main!(benches);
