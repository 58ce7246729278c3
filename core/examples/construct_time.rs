//! Times the parts of `Linter::new` (lexicon parse, word lists, structure vocabulary).
use std::time::Instant;
fn main() {
    let n = 20u32;
    let t = Instant::now();
    for _ in 0..n {
        for (f, s) in unblame::lexicon::BUILTIN_RULE_FILES {
            std::hint::black_box(unblame::lexicon::parse_rules(f, s).unwrap());
        }
    }
    println!("parse rules: {:?}", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            unblame::lexicon::parse_words("w", unblame::lexicon::BUILTIN_WORDS).unwrap(),
        );
    }
    println!("parse words: {:?}", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(unblame::structure::Vocabulary::builtin().unwrap());
    }
    println!("structure vocabulary: {:?}", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(unblame::Linter::new(unblame::Config::default()).unwrap());
    }
    println!("Linter::new: {:?}", t.elapsed() / n);
}
