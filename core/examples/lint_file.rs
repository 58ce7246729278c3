//! Use unblame as a library: lint a file and print each finding with its rewrite.
//!
//! ```text
//! cargo run -p unblame --example lint_file -- examples/search-outage-flawed.md
//! ```

use unblame::{Config, Linter};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/search-outage-flawed.md".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let linter = Linter::new(Config::default()).expect("the built-in lexicon is valid");
    let report = linter.lint(&text);
    for f in &report.findings {
        let rewrite = f
            .suggestions
            .first()
            .map(|s| format!(" → {:?}", s.replacement))
            .unwrap_or_default();
        println!(
            "{path}:{}:{}: {} [{}] {:?}{rewrite}",
            f.line, f.column, f.severity, f.rule, f.text
        );
    }
    if let Some(metrics) = &report.metrics {
        let min = |v: Option<i64>| v.map_or("unknown".to_string(), |m| format!("{m} min"));
        println!(
            "time to detect {}, to identify {}, to mitigate {}",
            min(metrics.time_to_detect_min),
            min(metrics.time_to_identify_min),
            min(metrics.time_to_mitigate_min)
        );
    }
    println!(
        "{} findings; {} safe fixes",
        report.findings.len(),
        report.fixes(false).len()
    );
}
