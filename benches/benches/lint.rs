//! Criterion benchmarks of unblame: end-to-end lint per size, single postmortems of
//! about 10 KB (`lint-postmortem/`, time per postmortem), a text without trigger
//! words, `Linter` construction, and the stages, so that a regression names its stage
//! (`stage/`: pulldown-cmark alone, the whole parse into the document model, the trigger
//! scan, the phrase findings — scan plus judging each hit —, the structure checks and
//! metrics, offset conversion for Python and JS, JSON serialisation), and pathological shapes at
//! sizes ten times apart (`pathological/<shape>/<n>`), where a cost that grows faster
//! than the input shows as falling throughput.
//!
//! `cargo bench -p unblame-benches` runs them (about 2–3 minutes);
//! `cargo bench -p unblame-benches -- --test` runs each once (CI smoke).

/// The allocator of the CLI and the Python module (feature `mimalloc`, on by default).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use unblame::offsets::{OffsetMap, Unit};
use unblame::{stages, Config, Linter};
use unblame_benches::{generate, generate_plain, typical_postmortems};

const SEED: u64 = 1;

/// (label, bytes, samples, measurement time)
const SIZES: &[(&str, usize, usize, u64)] = &[
    ("1KB", 1_000, 100, 3),
    ("10KB", 10_000, 100, 3),
    ("100KB", 100_000, 50, 3),
    ("1MB", 1_000_000, 10, 4),
    ("10MB", 10_000_000, 10, 8),
];

fn linter() -> Linter {
    Linter::new(Config::default()).expect("default config builds")
}

fn lint_sizes(c: &mut Criterion) {
    let linter = linter();
    let mut g = c.benchmark_group("lint");
    g.warm_up_time(Duration::from_secs(1));
    for &(label, bytes, samples, secs) in SIZES {
        let text = generate(SEED, bytes);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(samples);
        g.measurement_time(Duration::from_secs(secs));
        g.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, t| {
            b.iter(|| linter.lint(black_box(t)))
        });
    }
    g.finish();
}

/// "A typical 10 KB postmortem": twenty single generated postmortems of about 10 KB each
/// (9.6–10.4 KB, seeds 1–20); the time reported is per postmortem, two ways:
/// `10KB-repeated` lints each one over and over before the next, as every other bench
/// here lints its one document (the branch predictors and caches learn the document),
/// and `10KB-in-turn` lints them one after the other, so no two lints in a row read the
/// same text, as a folder or a CI gate does. The `lint/10KB` point of the size series
/// lints one 11.3 KB document made of two shorter postmortems.
fn lint_postmortem(c: &mut Criterion) {
    let linter = linter();
    let docs = typical_postmortems();
    let count = docs.len() as u32;
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("lint-postmortem");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Bytes(bytes as u64 / u64::from(count)));
    g.bench_function("10KB-repeated", |b| {
        b.iter_custom(|iters| {
            let start = std::time::Instant::now();
            for d in &docs {
                for _ in 0..iters {
                    black_box(linter.lint(black_box(d)));
                }
            }
            start.elapsed() / count
        })
    });
    g.bench_function("10KB-in-turn", |b| {
        b.iter_custom(|iters| {
            let start = std::time::Instant::now();
            for _ in 0..iters {
                for d in &docs {
                    black_box(linter.lint(black_box(d)));
                }
            }
            start.elapsed() / count
        })
    });
    g.finish();
}

fn lint_plain(c: &mut Criterion) {
    let linter = linter();
    let mut g = c.benchmark_group("lint-no-triggers");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    for &(label, bytes) in &[("10KB", 10_000usize), ("1MB", 1_000_000)] {
        let text = generate_plain(SEED, bytes);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(if bytes > 100_000 { 10 } else { 100 });
        g.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, t| {
            b.iter(|| linter.lint(black_box(t)))
        });
    }
    g.finish();
}

fn construction(c: &mut Criterion) {
    let mut g = c.benchmark_group("linter");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g.sample_size(20);
    g.bench_function("new", |b| {
        b.iter(|| Linter::new(black_box(Config::default())))
    });
    g.finish();
}

fn stages(c: &mut Criterion) {
    let linter = linter();
    let mut g = c.benchmark_group("stage");
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    for &(label, bytes) in &[("10KB", 10_000usize), ("1MB", 1_000_000)] {
        let text = generate(SEED, bytes);
        let report = linter.lint(&text);
        let offsets: Vec<usize> = report
            .findings
            .iter()
            .flat_map(|f| [f.start, f.end])
            .collect();
        g.sample_size(if bytes > 100_000 { 10 } else { 100 });
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("markdown-events", label), &text, |b, t| {
            b.iter(|| stages::markdown_events(black_box(t)))
        });
        g.bench_with_input(BenchmarkId::new("parse", label), &text, |b, t| {
            b.iter(|| stages::parse(&linter, black_box(t)))
        });
        let doc = stages::parse(&linter, &text);
        g.bench_with_input(BenchmarkId::new("scan", label), &doc, |b, d| {
            b.iter(|| stages::scan(&linter, black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("phrases", label), &doc, |b, d| {
            b.iter(|| stages::phrases(&linter, black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("structure", label), &doc, |b, d| {
            b.iter(|| stages::structure(&linter, black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("offsets", label), &text, |b, t| {
            b.iter(|| {
                let map = OffsetMap::new(black_box(t));
                let mut sum = 0usize;
                for &o in &offsets {
                    sum += map.convert(o, Unit::Chars) + map.convert(o, Unit::Utf16);
                }
                sum
            })
        });
        g.bench_with_input(BenchmarkId::new("json", label), &report, |b, r| {
            b.iter(|| serde_json::to_string(black_box(r)).expect("serialises"))
        });
    }
    g.finish();
}

/// A pathological document of `shape` with `n` units (words, lines, rows, levels).
fn pathological_text(shape: &str, n: usize) -> String {
    use std::fmt::Write;
    let mut t = String::new();
    match shape {
        // One line of trigger words, no sentence end.
        "repeated-triggers" => t = "should have ".repeat(n),
        // One line of many sentences, each a finding.
        "long-line" => {
            t = "Dana should have checked the lag at 10:02 🔥. ".repeat(n);
        }
        "headings" => {
            for i in 0..n {
                let title = ["Summary", "Timeline", "Action items", "Notes"][i % 4];
                let _ = writeln!(t, "{} {title} {i}\n", "#".repeat(i % 6 + 1));
            }
        }
        "table-rows" => {
            t.push_str("## Timeline\n\n| Time | Event | Who |\n|---|---|---|\n");
            for i in 0..n {
                let _ = writeln!(
                    t,
                    "| {:02}:{:02} | the on-call engineer should have rolled back | @dana |",
                    (i / 60) % 24,
                    i % 60
                );
            }
        }
        "nested-lists" => {
            for d in 0..n {
                let _ = writeln!(t, "{}- Dana should have checked {d}", "  ".repeat(d % 200));
            }
        }
        "nested-quotes" => {
            for d in 1..=n {
                let _ = writeln!(t, "{} careless level {d}", ">".repeat(d % 500 + 1));
            }
        }
        other => panic!("unknown shape {other}"),
    }
    t
}

/// Pathological shapes at two sizes ten times apart: throughput should stay about the
/// same (a linear cost). The full sizes of issue 7 are exercised, with results checked,
/// by `cargo test --release -p unblame --test pathological`.
fn pathological(c: &mut Criterion) {
    let linter = linter();
    let mut g = c.benchmark_group("pathological");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.sample_size(10);
    for &(shape, small, large) in &[
        ("repeated-triggers", 10_000usize, 100_000usize),
        ("long-line", 10_000, 100_000),
        ("headings", 10_000, 100_000),
        ("table-rows", 1_000, 10_000),
        ("nested-lists", 1_000, 10_000),
        ("nested-quotes", 1_000, 10_000),
    ] {
        for n in [small, large] {
            let text = pathological_text(shape, n);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(shape, n), &text, |b, t| {
                b.iter(|| linter.lint(black_box(t)))
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    lint_sizes,
    lint_postmortem,
    lint_plain,
    construction,
    stages,
    pathological
);
criterion_main!(benches);
