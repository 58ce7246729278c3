//! Invariants every report must hold, whatever the input. Shared by the property tests
//! (`core/tests/properties.rs`), the pathological tests and the fuzz targets (`fuzz/`,
//! which include this file by path), so all three check exactly the same things.
//!
//! Every check panics with a message naming the broken invariant.

#![allow(dead_code)]

use unblame::offsets::{OffsetMap, Unit};
use unblame::{apply_edits, Linter, Report};

/// How many fix rounds a document may need before it stops changing.
pub const MAX_FIX_ROUNDS: usize = 8;

fn check_span(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what} span {start}..{end} is outside the text (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} span {start}..{end} is not on char boundaries"
    );
}

/// Checks the spans, order, text, line/column and suggestions of one report of `text`.
pub fn check_report(text: &str, report: &Report) {
    let mut prev: Option<(usize, usize)> = None;
    // Line and column by a forward sweep (findings are sorted by start).
    let (mut pos, mut line, mut col) = (0usize, 1usize, 1usize);
    for f in &report.findings {
        check_span(text, f.start, f.end, &format!("finding {}", f.rule));
        if let Some(p) = prev {
            assert!(
                p.0 <= f.start,
                "findings not sorted by start: {p:?} before {}..{}",
                f.start,
                f.end
            );
        }
        prev = Some((f.start, f.end));
        assert_eq!(
            f.text,
            &text[f.start..f.end],
            "finding {} text is not the source span",
            f.rule
        );
        for c in text[pos..f.start].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        pos = f.start;
        assert_eq!(
            (f.line, f.column),
            (line, col),
            "finding {} at {} has the wrong line/column",
            f.rule,
            f.start
        );
        assert!(
            f.rule.starts_with(&format!("{}/", f.category)),
            "rule {} is not in category {}",
            f.rule,
            f.category
        );
        for s in &f.suggestions {
            check_span(text, s.start, s.end, &format!("suggestion of {}", f.rule));
        }
    }
}

/// Checks that every char boundary of `text` (so every span start and end, which
/// [`check_report`] puts on boundaries) converts to code points and UTF-16 units and
/// back; one linear sweep.
pub fn check_offsets(text: &str, report: &Report) {
    let map = OffsetMap::new(text);
    let (mut chars, mut utf16) = (0usize, 0usize);
    let check = |b: usize, chars: usize, utf16: usize| {
        assert_eq!(map.convert(b, Unit::Chars), chars, "code points before {b}");
        assert_eq!(
            map.convert(b, Unit::Utf16),
            utf16,
            "UTF-16 units before {b}"
        );
        assert_eq!(map.convert(b, Unit::Bytes), b);
        assert_eq!(
            map.to_bytes(chars, Unit::Chars),
            b,
            "code-point round trip of {b}"
        );
        assert_eq!(
            map.to_bytes(utf16, Unit::Utf16),
            b,
            "UTF-16 round trip of {b}"
        );
    };
    for (i, c) in text.char_indices() {
        check(i, chars, utf16);
        chars += 1;
        utf16 += c.len_utf16();
    }
    check(text.len(), chars, utf16);
    for f in &report.findings {
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
}

/// Applies safe fixes round after round; the text must stop changing within
/// [`MAX_FIX_ROUNDS`], and [`Linter::fix`] must agree with its first rounds.
pub fn check_fixes(linter: &Linter, text: &str, first: &Report) {
    let mut current = text.to_string();
    let mut report = first.clone();
    let mut converged = false;
    let mut rounds = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let edits = report.fixes(false);
        if edits.is_empty() {
            converged = true;
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            converged = true;
            break;
        }
        current = next;
        rounds += 1;
        report = linter.lint(&current);
        check_report(&current, &report);
    }
    assert!(
        converged,
        "safe fixes still change the text after {MAX_FIX_ROUNDS} rounds: {current:?}"
    );
    // `fix` runs the same rounds (at most four): when those were enough, it must agree.
    if (1..=4).contains(&rounds) {
        assert_eq!(
            linter.fix(text, false),
            current,
            "fix disagrees with its rounds"
        );
    }
}

/// All of the above for one text.
pub fn check_all(linter: &Linter, text: &str) -> Report {
    let report = linter.lint(text);
    check_report(text, &report);
    check_offsets(text, &report);
    check_fixes(linter, text, &report);
    report
}
