//! Arbitrary text as `unblame.toml` (and as a JSON config): parsing may fail, but a
//! config that parses must build a linter or return an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unblame::{Config, Linter};

const SAMPLE: &str = "# Postmortem\n\n## Summary\n\nDana should have checked the replica lag. Human error.\n\n## Action items\n\n- Be more careful.\n";

fn try_config(config: Config) {
    if let Ok(linter) = Linter::new(config) {
        let report = linter.lint(SAMPLE);
        for f in &report.findings {
            assert!(f.start <= f.end && f.end <= SAMPLE.len());
        }
    }
}

fuzz_target!(|text: &str| {
    if let Ok(config) = Config::from_toml(text) {
        try_config(config);
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(config) = Config::from_json(&value) {
            try_config(config);
        }
    }
});
