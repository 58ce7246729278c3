//! What a stage costs inside a run of lints of different postmortems, against what it costs
//! on its own: the twenty 10 KB postmortems of `lint-postmortem/` (seeds 1 to 20), each
//! stage timed call by call in four settings.
//!
//! - **repeated**: each postmortem's stage run `REPS` times in a row, then the next's;
//! - **alone in turn**: the stage over the twenty in turn, nothing else between;
//! - **after a lint of the same**: a whole lint of the same postmortem (not timed) before
//!   each timed call;
//! - **after a lint of another**: a whole lint of another of the twenty before each timed
//!   call, which is what the stage meets in a folder, a CI gate or a hook.
//!
//! ```text
//! cargo run --release -p unblame-benches --example in_turn [REPS]
//! ```
//!
//! Times are medians over three rounds of µs per call, one core; compare the columns of one
//! run, not runs on different minutes (docs/performance.md, Seventeenth round).

/// The allocator of the CLI and the Python module (feature `mimalloc`, on by default).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use std::hint::black_box;
use std::time::Instant;
use unblame::{stages, Config, Linter};

/// The stages timed, by name.
const STAGES: [&str; 5] = ["parse", "scan", "phrases", "structure", "lint"];

/// Runs stage `k` on the `i`th postmortem (parsed in `docs`, source in `srcs`).
fn run(
    k: usize,
    linter: &Linter,
    srcs: &[String],
    docs: &[unblame::markdown::Document<'_>],
    i: usize,
) {
    match k {
        0 => {
            black_box(stages::parse(linter, &srcs[i]));
        }
        1 => {
            black_box(stages::scan(linter, &docs[i]));
        }
        2 => {
            black_box(stages::phrases(linter, &docs[i]));
        }
        3 => {
            black_box(stages::structure(linter, &docs[i]));
        }
        _ => {
            black_box(linter.lint(&srcs[i]));
        }
    }
}

/// Microseconds per timed call of stage `k`, in the four settings.
fn settings(
    k: usize,
    linter: &Linter,
    srcs: &[String],
    docs: &[unblame::markdown::Document<'_>],
    reps: usize,
) -> [f64; 4] {
    let n = srcs.len();
    let per = |ns: u128| ns as f64 / (reps * n) as f64 / 1000.0;
    let timed = |i: usize| {
        let t = Instant::now();
        run(k, linter, srcs, docs, i);
        t.elapsed().as_nanos()
    };
    let repeated: u128 = (0..n)
        .flat_map(|i| (0..reps).map(move |_| i))
        .map(timed)
        .sum();
    let alone: u128 = (0..reps).flat_map(|_| 0..n).map(timed).sum();
    let after = |other: usize| -> u128 {
        (0..reps)
            .flat_map(|_| 0..n)
            .map(|i| {
                black_box(linter.lint(&srcs[(i + other) % n]));
                timed(i)
            })
            .sum()
    };
    [per(repeated), per(alone), per(after(0)), per(after(7))]
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let linter = Linter::new(Config::default()).expect("default config builds");
    let srcs = unblame_benches::typical_postmortems();
    let docs: Vec<_> = srcs.iter().map(|s| stages::parse(&linter, s)).collect();
    println!(
        "{:<11} {:>10} {:>15} {:>24} {:>23}",
        "µs per call",
        "repeated",
        "alone in turn",
        "after a lint of the same",
        "after a lint of another"
    );
    for (k, name) in STAGES.iter().enumerate() {
        let rounds: Vec<[f64; 4]> = (0..3)
            .map(|_| settings(k, &linter, &srcs, &docs, reps))
            .collect();
        let median = |c: usize| {
            let mut v: Vec<f64> = rounds.iter().map(|r| r[c]).collect();
            v.sort_by(f64::total_cmp);
            v[1]
        };
        let m = [median(0), median(1), median(2), median(3)];
        println!(
            "{name:<11} {:>10.2} {:>15.2} {:>24.2} {:>23.2}   (another / repeated {:.2}x)",
            m[0],
            m[1],
            m[2],
            m[3],
            m[3] / m[0]
        );
    }
}
