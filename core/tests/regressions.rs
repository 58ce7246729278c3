//! Inputs that once broke the core (found by fuzzing, property tests or review), kept
//! as tests so they stay fixed. Each checks every report invariant.

use std::sync::OnceLock;
use unblame::{Config, Linter, StructureMode};

#[path = "support/invariants.rs"]
mod invariants;

fn linters() -> &'static [Linter; 3] {
    static L: OnceLock<[Linter; 3]> = OnceLock::new();
    L.get_or_init(|| {
        [StructureMode::Auto, StructureMode::On, StructureMode::Off].map(|structure| {
            Linter::new(Config {
                structure,
                ..Config::default()
            })
            .unwrap()
        })
    })
}

fn check(text: &str) {
    for linter in linters() {
        invariants::check_all(linter, text);
    }
}

#[test]
fn non_ascii_digits_in_a_timestamp_date() {
    // `\d` matches any Unicode digit, and the date of a timestamp was sliced by byte
    // position (`s[5..7]`): Devanagari digits (3 bytes each) put the cut inside a
    // character and panicked ("end byte index 7 is not a char boundary").
    check("# Incident\n\n**Start:** 2024-०३-०६T10:02 UTC\n\n## Summary\n\nFrom 2024-०३-०६T10:02 to 11:00 UTC the site was down.\n\n## Timeline\n\n- 2024-०३-०६T10:02 UTC deploy started\n- 2024-03-07T10:05 alert fired\n");
    // Two-byte digits, and digits in every field of the date and time.
    check("## Timeline\n\n- ٢٠٢٤-٠٣-٠٧T10:02 UTC deploy started\n- ٢٠٢٤-٠٣-٠٧ ١٠:٠٥ alert fired\n| ١٠:٠٢ | x |\n");
    check("**Date:** ２０２４-０３-０７\n**Detected:** 2024-03-0७ 10:0५ UTC\n\n## Timeline\n\n- 10:02 deploy\n");
}

#[test]
fn huge_numbers_in_durations_and_times() {
    check("**Duration:** 99999999999999999999999999999999 hours\n\n## Impact\n\n99999999999999999999999999999 minutes of downtime, 1e308 %.\n\n## Timeline\n\n- 9999-12-31T23:59 end\n- 0000-01-01T00:00 start\n");
}

#[test]
fn doubled_final_byte_of_a_non_ascii_participle() {
    // "stopped" → "stop" dropped the last byte when the last two bytes were equal; the
    // last two bytes of U+0820 (E0 A0 A0) are equal too, and the cut fell inside it.
    check("Dana should have checkࠠed the replica lag.\n");
    check("Dana should have ࠠࠠed the replica lag. Bob could have ꀀed it.\n");
}

/// Inputs libFuzzer reported as slow or timing out (`lint_markdown`, rendered with
/// `UNBLAME_FUZZ_DUMP`): repeated trigger words in tables, lists and quotes, where every
/// hit once re-read its whole window of words. Linear now; each must still lint with
/// every invariant holding.
#[test]
fn slow_fuzz_inputs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            check(&text);
            n += 1;
        }
    }
    assert!(n >= 3, "expected the fuzz inputs in {}", dir.display());
}
