//! Arbitrary bytes, read lossily as UTF-8, linted under a few configurations; every
//! report invariant is checked (see `core/tests/support/invariants.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use unblame::{Config, Linter, StructureMode};

#[path = "../../core/tests/support/invariants.rs"]
mod invariants;

fn linters() -> &'static [Linter; 3] {
    static L: OnceLock<[Linter; 3]> = OnceLock::new();
    L.get_or_init(|| {
        let on = Config {
            structure: StructureMode::On,
            ..Config::default()
        };
        let quotes = Config {
            check_quotes: true,
            structure: StructureMode::Off,
            names: vec!["Dana".into(), "Ünal".into()],
            allow: vec!["should have".into()],
            ..Config::default()
        };
        [
            Linter::new(Config::default()).unwrap(),
            Linter::new(on).unwrap(),
            Linter::new(quotes).unwrap(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let (pick, rest) = match data.split_first() {
        Some((p, r)) => (*p as usize % 3, r),
        None => (0, data),
    };
    let text = String::from_utf8_lossy(rest);
    invariants::check_all(&linters()[pick], &text);
});
