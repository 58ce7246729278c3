//! The training run of the profile-guided build (`scripts/pgo.sh`) for the benchmarks'
//! build of the core: every file of a directory linted in turn, `ROUNDS` times,
//! each report's offsets converted to characters and UTF-16 units and the report written
//! as JSON, as the Python and browser bindings do with it.
//!
//! ```text
//! cargo run --release -p unblame-benches --example pgo_train DIR [ROUNDS]
//! ```
//!
//! The CLI's build of the core carries other symbol hashes (its dependencies are built
//! with other features), so `scripts/pgo.sh` trains the CLI on the same files as well.

/// The allocator of the CLI and the Python module (feature `mimalloc`, on by default).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use std::process::ExitCode;
use unblame::offsets::{OffsetMap, Unit};
use unblame::{Config, Linter};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: pgo_train DIR [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let texts = match unblame_benches::read_dir_texts(std::path::Path::new(&dir)) {
        Ok(texts) => texts,
        Err(e) => {
            eprintln!("pgo_train: {dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let linter = match Linter::new(Config::default()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pgo_train: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut findings, mut units, mut json) = (0usize, 0usize, 0usize);
    for _ in 0..rounds {
        for text in &texts {
            let report = linter.lint(text);
            let map = OffsetMap::new(text);
            for f in &report.findings {
                units += map.convert(f.start, Unit::Chars) + map.convert(f.end, Unit::Utf16);
            }
            findings += report.findings.len();
            json += serde_json::to_string(&report).map_or(0, |s| s.len());
        }
    }
    println!(
        "{} files, {rounds} rounds: {findings} findings, {units} offset units, {json} bytes of JSON",
        texts.len()
    );
    ExitCode::SUCCESS
}
