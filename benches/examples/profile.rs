//! A small driver for profilers (callgrind, perf): lints one generated postmortem a few
//! times (or one file, `UNBLAME_PROFILE_FILE`, or every file of a folder in turn,
//! `UNBLAME_PROFILE_DIR`).
//!
//! ```text
//! CARGO_PROFILE_RELEASE_DEBUG=line-tables-only CARGO_TARGET_DIR=/tmp/unblame-prof \
//!   cargo build --release -p unblame-benches --example profile
//! valgrind --tool=callgrind --toggle-collect='*measured*' \
//!   /tmp/unblame-prof/release/examples/profile 1000000 1
//! ```

/// The allocator of the CLI and the Python module (feature `mimalloc`, on by default).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use std::hint::black_box;
use unblame::{Config, Linter};

fn main() {
    let mut args = std::env::args().skip(1);
    let bytes: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let reps: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let plain = args.next().as_deref() == Some("plain");
    if let Some(dir) = std::env::var_os("UNBLAME_PROFILE_DIR") {
        // `UNBLAME_PROFILE_DIR=dir profile 0 REPS`: lint every file of `dir` in turn,
        // REPS rounds, so no two lints in a row read the same document.
        let texts = unblame_benches::read_dir_texts(std::path::Path::new(&dir))
            .expect("read every file of UNBLAME_PROFILE_DIR");
        let linter = Linter::new(Config::default()).expect("default config builds");
        let warm: usize = texts.iter().map(|t| linter.lint(t).findings.len()).sum();
        let findings = measured_each(&linter, &texts, reps);
        println!(
            "{} files, {reps} rounds, {findings} findings ({warm} per round)",
            texts.len()
        );
        return;
    }
    let text = if let Some(path) = std::env::var_os("UNBLAME_PROFILE_FILE") {
        // `UNBLAME_PROFILE_FILE=doc.md profile 0 REPS`: profile one real document.
        std::fs::read_to_string(path).expect("read UNBLAME_PROFILE_FILE")
    } else if plain {
        unblame_benches::generate_plain(1, bytes)
    } else {
        unblame_benches::generate(1, bytes)
    };
    let linter = Linter::new(Config::default()).expect("default config builds");
    // One lint first, so regexes compiled on first use are not counted in `measured`.
    let warm = linter.lint(&text).findings.len();
    let findings = measured(&linter, &text, reps);
    println!(
        "{} bytes, {reps} reps, {findings} findings ({warm} per lint)",
        text.len()
    );
}

/// The steady-state lints; profile only this with
/// `valgrind --tool=callgrind --toggle-collect='*measured*' ...`.
#[inline(never)]
fn measured(linter: &Linter, text: &str, reps: usize) -> usize {
    let mut findings = 0;
    for _ in 0..reps {
        findings += black_box(linter.lint(black_box(text))).findings.len();
    }
    findings
}

/// [`measured`] over several documents: each round lints every one of `texts` once.
#[inline(never)]
fn measured_each(linter: &Linter, texts: &[String], reps: usize) -> usize {
    let mut findings = 0;
    for _ in 0..reps {
        for text in texts {
            findings += black_box(linter.lint(black_box(text))).findings.len();
        }
    }
    findings
}
