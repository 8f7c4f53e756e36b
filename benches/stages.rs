//! The transform one stage at a time, per format: detection, parsing, enrichment+writing
//! (one pass by design), the System-Health-Result path and JSON string escaping. Throughput
//! is the input bytes each stage reads. Each bench checks what it produced (format, attribute
//! count, document count), so a fast wrong answer cannot pass.

use criterion::{Criterion, Throughput, criterion_group};
use nps_enrich::stages::Stages;
use nps_enrich::{Fields, Format, Options, Zone};
use std::hint::black_box;

mod corpus;

const LINES: usize = 2_000;

fn opts() -> Options {
    Options {
        zone: Zone::parse("Asia/Tokyo").unwrap(),
        ..Options::default()
    }
}

fn lines(data: &[u8]) -> Vec<&str> {
    std::str::from_utf8(data)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
}

fn per_format(c: &mut Criterion) {
    for (kind, format) in [
        ("ias", Format::Ias),
        ("odbc", Format::Odbc),
        ("dts", Format::Dts),
    ] {
        let data = corpus::corpus(kind, LINES, 7);
        let lines = lines(&data);
        assert_eq!(lines.len(), LINES);
        let bytes: u64 = lines.iter().map(|l| l.len() as u64).sum();
        let mut g = c.benchmark_group(format!("stage/{kind}"));
        g.throughput(Throughput::Bytes(bytes));

        g.bench_function("detect", |b| {
            b.iter(|| {
                let n = lines
                    .iter()
                    .filter(|l| Stages::detect(black_box(l)) == Some(format))
                    .count();
                assert_eq!(n, LINES);
            })
        });

        let mut s = Stages::new(opts());
        let attrs: usize = lines.iter().map(|l| s.parse(format, l).unwrap()).sum();
        assert!(attrs >= LINES * 10, "{kind}: {attrs} attributes");
        g.bench_function("parse", |b| {
            b.iter(|| {
                let n: usize = lines
                    .iter()
                    .map(|l| s.parse(format, black_box(l)).unwrap())
                    .sum();
                assert_eq!(n, attrs);
            })
        });

        // Enrich+write alone: each line parsed once, outside the timed loop, into its own
        // record; the loop writes them all.
        let mut parsed: Vec<Stages> = lines
            .iter()
            .map(|l| {
                let mut s = Stages::new(opts());
                s.parse(format, l).unwrap();
                s
            })
            .collect();
        let mut out = Vec::with_capacity(1 << 20);
        g.bench_function("enrich_write", |b| {
            b.iter(|| {
                out.clear();
                for (s, l) in parsed.iter_mut().zip(&lines) {
                    s.write(l, &mut out);
                    out.push(b'\n');
                }
                assert_eq!(memchr::memchr_iter(b'\n', &out).count(), LINES);
                assert!(out.starts_with(b"{\"@timestamp\":\"2026-"));
            })
        });
        g.finish();
    }
}

fn health_result(c: &mut Criterion) {
    let mut g = c.benchmark_group("stage/health_result");
    let mut s = Stages::new(opts());
    let mut out = Vec::with_capacity(8192);
    for (name, value) in [("wshv_ja", corpus::WSHV_JA), ("wshv_en", corpus::WSHV_EN)] {
        g.throughput(Throughput::Bytes(value.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                assert_eq!(s.health_result(black_box(value), &mut out), 1);
                // Eight WSHV items, each with its code.
                assert_eq!(memchr::memmem::find_iter(&out, b"\"code\":").count(), 8);
            })
        });
    }
    g.finish();
}

fn escape(c: &mut Criterion) {
    // Typical values: a number, an address, a name, Japanese text, a path with backslashes.
    let values = [
        "2",
        "192.168.10.4",
        "Secure Wireless Connections",
        "NAP 802.1X スイッチ認証要求",
        "CORP\\PC42$",
        "{5D2AA831-8E70-4699-BB11-C46158B368E3} - 2026-01-17 04:13:03.106Z",
    ];
    let bytes: usize = values.iter().map(|v| v.len()).sum();
    let mut out = Vec::with_capacity(4096);
    let mut g = c.benchmark_group("stage/write");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("escape", |b| {
        b.iter(|| {
            out.clear();
            for v in values {
                Stages::escape(black_box(v), &mut out);
            }
            // Two quotes per value, one extra byte per backslash.
            assert_eq!(out.len(), bytes + 2 * values.len() + 1);
        })
    });
    g.finish();
}

/// Parses every line once (the parse stage, for a profiler to count).
#[inline(never)]
fn once_parse(parsed: &mut [Stages], lines: &[&str], format: Format) -> usize {
    let mut attrs = 0;
    for (s, l) in parsed.iter_mut().zip(lines) {
        attrs += s.parse(format, black_box(l)).unwrap();
    }
    attrs
}

/// Enriches and writes every parsed line once (the enrich+write stage).
#[inline(never)]
fn once_write(parsed: &mut [Stages], lines: &[&str], out: &mut Vec<u8>) {
    for (s, l) in parsed.iter_mut().zip(lines) {
        s.write(black_box(l), out);
        out.push(b'\n');
    }
}

/// `NPS_STAGES_ONCE=FORMAT:PROFILE:LINES` (`ias|odbc|dts`, `compact|full`): no timing; each
/// stage runs once over the corpus, in its own function, so that
/// `valgrind --tool=callgrind` counts each stage's instructions (the inclusive cost of
/// `once_parse` and `once_write`), deterministic where wall time on a shared machine is not.
/// Time zone UTC, as `nps-enrich -t UTC`.
fn once(spec: &str) {
    let mut it = spec.split(':');
    let (kind, profile, n) = (
        it.next().unwrap_or("ias"),
        it.next().unwrap_or("compact"),
        it.next().and_then(|n| n.parse().ok()).unwrap_or(LINES),
    );
    let format = match kind {
        "ias" => Format::Ias,
        "odbc" => Format::Odbc,
        "dts" => Format::Dts,
        _ => panic!("NPS_STAGES_ONCE: format ias, odbc or dts, not {kind}"),
    };
    let fields = match profile {
        "compact" => Fields::Compact,
        "full" => Fields::Full,
        _ => panic!("NPS_STAGES_ONCE: profile compact or full, not {profile}"),
    };
    let opts = Options {
        zone: Zone::parse("UTC").unwrap(),
        fields,
        ..Options::default()
    };
    let data = corpus::corpus(kind, n, 7);
    let lines = lines(&data);
    assert_eq!(lines.len(), n);
    let mut parsed: Vec<Stages> = lines.iter().map(|_| Stages::new(opts.clone())).collect();
    let attrs = once_parse(&mut parsed, &lines, format);
    let mut out = Vec::with_capacity(n * 4096);
    once_write(&mut parsed, &lines, &mut out);
    assert_eq!(memchr::memchr_iter(b'\n', &out).count(), n);
    println!(
        "{kind} {profile}: {n} lines, {} input bytes, {attrs} attributes, {} output bytes",
        data.len(),
        out.len()
    );
}

criterion_group!(benches, per_format, health_result, escape);

fn main() {
    if let Some(spec) = std::env::var_os("NPS_STAGES_ONCE") {
        once(&spec.to_string_lossy());
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
