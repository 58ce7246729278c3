//! Pathological documents: huge, flat, deep, repetitive, and every Unicode variant of
//! the characters triggers are made of. Each test checks that linting finishes, keeps
//! the report invariants and gives a sane answer. Sizes are scaled so the whole file runs
//! in a few seconds in a debug build; timing is not asserted here (linearity belongs in
//! a benchmark), but a super-linear path would make these tests visibly slow.
//!
//! The three largest inputs run at full size in an optimised build
//! (`cargo test --release -p unblame --test pathological`) and at a fraction of it in a
//! debug build, where the same code is some twenty times slower.

use std::fmt::Write;
use std::sync::OnceLock;
use unblame::{Config, LintError, Linter, Report, StructureMode, MAX_DOCUMENT_BYTES};

#[path = "support/invariants.rs"]
mod invariants;

fn linter() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| Linter::new(Config::default()).unwrap())
}

fn phrases_only() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| {
        Linter::new(Config {
            structure: StructureMode::Off,
            ..Config::default()
        })
        .unwrap()
    })
}

/// Lints and checks spans, order, line/column and offset conversion (all linear).
fn lint_checked(linter: &Linter, text: &str) -> Report {
    let report = linter.lint(text);
    invariants::check_report(text, &report);
    invariants::check_offsets(text, &report);
    report
}

fn count(report: &Report, rule: &str) -> usize {
    report.findings.iter().filter(|f| f.rule == rule).count()
}

/// `full` in an optimised build, `full / divisor` in a debug build.
fn size(full: usize, divisor: usize) -> usize {
    if cfg!(debug_assertions) {
        full / divisor
    } else {
        full
    }
}

const FIXTURE: &str = include_str!("../../examples/search-outage-flawed.md");

#[test]
fn a_fifty_megabyte_document() {
    let one = lint_checked(linter(), FIXTURE);
    let bytes = size(50 * 1024 * 1024, 100);
    let copies = bytes / FIXTURE.len() + 1;
    let text = FIXTURE.repeat(copies);
    assert!(text.len() >= bytes);
    let report = lint_checked(linter(), &text);
    // Every copy's phrase findings are found again (structure findings are per document).
    let phrases = |r: &Report| {
        r.findings
            .iter()
            .filter(|f| f.category != "structure")
            .count()
    };
    assert!(
        phrases(&report) >= phrases(&one) * copies * 9 / 10,
        "{} phrase findings in {copies} copies, {} in one",
        phrases(&report),
        phrases(&one)
    );
}

#[test]
fn a_single_five_megabyte_line() {
    let sentence = "Dana should have checked the replica lag and the deploy went out at 10:02 🔥. ";
    let text = sentence.repeat(size(5 * 1024 * 1024, 20) / sentence.len() + 1);
    assert!(!text.contains('\n'));
    let report = lint_checked(phrases_only(), &text);
    let n = text.len() / sentence.len();
    assert_eq!(count(&report, "counterfactual/should-have"), n);
    assert!(report.findings.iter().all(|f| f.line == 1));
}

#[test]
fn a_hundred_thousand_headings() {
    let mut text = String::from("# Postmortem\n\n");
    for i in 0..size(100_000, 5) {
        let title = ["Summary", "Timeline", "Action items", "Notes", "Root cause"][i % 5];
        let _ = writeln!(text, "{} {title} {i}\n", "#".repeat(i % 6 + 1));
    }
    let report = lint_checked(linter(), &text);
    assert!(report.structure.is_some());
}

#[test]
fn a_ten_thousand_row_table() {
    let mut text = String::from("## Timeline\n\n| Time | Event | Who |\n|---|---|---|\n");
    let rows = size(10_000, 2);
    for i in 0..rows {
        let _ = writeln!(
            text,
            "| {:02}:{:02} | the on-call engineer should have rolled back | @dana |",
            (i / 60) % 24,
            i % 60
        );
    }
    let report = lint_checked(linter(), &text);
    assert_eq!(count(&report, "counterfactual/should-have"), rows);
}

#[test]
fn a_thousand_nested_list_levels() {
    let mut text = String::new();
    for d in 0..1_000 {
        let _ = writeln!(
            text,
            "{}- Dana should have checked level {d}",
            "  ".repeat(d)
        );
    }
    let report = lint_checked(linter(), &text);
    // Deep indentation turns into code blocks past a few levels; whatever is prose is judged.
    assert!(count(&report, "counterfactual/should-have") >= 1);
}

#[test]
fn a_thousand_nested_block_quotes_and_lists() {
    let mut quotes = String::new();
    for d in 1..=1_000 {
        let _ = writeln!(
            quotes,
            "{} Dana should have checked level {d}",
            ">".repeat(d)
        );
    }
    lint_checked(linter(), &quotes);
    let quoted = Linter::new(Config {
        check_quotes: true,
        ..Config::default()
    })
    .unwrap();
    let report = lint_checked(&quoted, &quotes);
    assert!(count(&report, "counterfactual/should-have") >= 1);

    // Markers nested by prefix, not indentation: "- - - - ... text".
    let line = format!("{}Dana should have checked\n", "- ".repeat(1_000));
    lint_checked(linter(), &line);
    let line = format!("{}Dana should have checked\n", "> - ".repeat(500));
    lint_checked(linter(), &line);
}

#[test]
fn a_million_repeated_trigger_words_on_one_line() {
    let n = size(1_000_000, 100);
    let text = "should have ".repeat(n);
    let report = lint_checked(phrases_only(), &text);
    assert!(report.findings.len() <= n);
    // With a subject, every one is a finding.
    let text = "Dana should have checked, ".repeat(n / 2);
    let report = lint_checked(phrases_only(), &text);
    assert_eq!(count(&report, "counterfactual/should-have"), n / 2);
    // The safe fixes still converge on such a line.
    let text = "carelessly ".repeat(size(20_000, 10)) + "ran it.\n";
    let report = lint_checked(phrases_only(), &text);
    invariants::check_fixes(phrases_only(), &text, &report);
}

/// Every space, dash, apostrophe and quotation mark variant next to and inside triggers.
#[test]
fn unicode_space_dash_and_apostrophe_variants() {
    let spaces: Vec<char> = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .chain([
            '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{180e}',
        ])
        .collect();
    let dashes = [
        '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
        '\u{fe58}', '\u{fe63}', '\u{ff0d}', '\u{00ad}', '\u{2e3a}', '\u{2e3b}',
    ];
    let apostrophes = [
        '\'', '\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}', '\u{2032}', '\u{2035}', '\u{02bc}',
        '\u{02b9}', '\u{ff07}', '`', '\u{b4}', '"', '\u{201c}', '\u{201d}', '\u{ab}', '\u{bb}',
    ];
    let mut text = String::from("## Summary\n\n");
    for &s in &spaces {
        let _ = writeln!(
            text,
            "Dana{s}should{s}have{s}checked{s}it.{s}Human{s}error.{s}"
        );
        let _ = writeln!(
            text,
            "{s}{s}The on-call{s}engineer carelessly{s}ran it{s}\n"
        );
    }
    for &d in &dashes {
        let _ = writeln!(
            text,
            "The on{d}call engineer was careless{d}and{d}negligent."
        );
        let _ = writeln!(text, "{d} Dana should{d}have checked{d}the lag {d}\n");
    }
    for &a in &apostrophes {
        let _ = writeln!(
            text,
            "Dana should{a}ve checked it. He didn{a}t bother to look."
        );
        let _ = writeln!(text, "{a}human error{a} {a}root cause{a}{a}\n");
    }
    // Combining marks and a zero-width joiner glued onto triggers.
    text.push_str("should\u{301} have checked. should have\u{301} checked. careless\u{200d}ly.\n");
    let report = lint_checked(linter(), &text);
    invariants::check_fixes(linter(), &text, &report);
    // The plain-space line at least is flagged.
    assert!(count(&report, "counterfactual/should-have") >= 1);
}

#[test]
fn try_lint_refuses_documents_over_the_limit() {
    let ok = "Human error caused the outage.";
    assert_eq!(linter().try_lint(ok).unwrap(), linter().lint(ok));
    // One byte over the limit. Allocated once; nothing is linted.
    let big = String::from_utf8(vec![b'a'; MAX_DOCUMENT_BYTES + 1]).unwrap();
    let err = linter().try_lint(&big).unwrap_err();
    assert_eq!(
        err,
        LintError::TooLarge {
            bytes: MAX_DOCUMENT_BYTES + 1,
            limit: MAX_DOCUMENT_BYTES
        }
    );
    assert!(err.to_string().contains("too large"), "{err}");
    assert!(err.to_string().contains("64 MiB"), "{err}");
}
