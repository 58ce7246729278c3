//! Arbitrary text as a user's extra lexicon file: building the linter returns Ok or an
//! error naming the file, never panics; a linter that builds lints a sample soundly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unblame::{Config, Error, Linter};

#[path = "../../core/tests/support/invariants.rs"]
mod invariants;

const SAMPLE: &str = "# Postmortem\n\n## Summary\n\nDana should have checked the replica lag; the on-call engineer was careless. Human error.\n\n## Timeline\n\n- 10:02 deploy started\n- 10:05 alert fired\n\n## Action items\n\n- Be more careful.\n- Retrain the team. 🔥 ünïcödé \u{301}\r\n";

fuzz_target!(|text: &str| {
    let extra = [("user.toml".to_string(), text.to_string())];
    match Linter::with_lexicons(Config::default(), &extra) {
        Ok(linter) => {
            invariants::check_all(&linter, SAMPLE);
        }
        Err(Error::Lexicon(e)) => {
            assert!(
                e.file == "user.toml" || e.file == "(all)",
                "error names the wrong file: {e}"
            );
            let _ = e.to_string();
        }
        Err(Error::Config(e)) => panic!("a lexicon produced a config error: {e}"),
    }
});
