//! Whole-document fixtures: phrase findings as insta snapshots, offsets, and the
//! promise that applying safe fixes converges and creates no new finding.

use std::path::{Path, PathBuf};
use unblame::{apply_edits, Config, Linter, StructureMode};

fn docs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for dir in ["tests/fixtures/docs", "examples"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        out.extend(files);
    }
    assert!(out.len() >= 20, "fixtures missing: {}", out.len());
    out
}

fn linter() -> Linter {
    Linter::new(Config {
        structure: StructureMode::Off,
        ..Config::default()
    })
    .unwrap()
}

#[test]
fn phrase_findings_snapshots() {
    let linter = linter();
    for path in docs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = linter.lint(&text);
        let rows: Vec<serde_json::Value> = report
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "rule": f.rule,
                    "at": format!("{}:{}", f.line, f.column),
                    "text": f.text,
                    "fix": f.suggestions.first().map(|s| format!("{:?} -> {:?} ({})", &text[s.start..s.end], s.replacement, if s.safe { "safe" } else { "unsafe" })),
                })
            })
            .collect();
        let name = format!(
            "{}__{}",
            path.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            path.file_stem().unwrap().to_string_lossy()
        );
        insta::assert_json_snapshot!(name, rows);
    }
}

#[test]
fn spans_are_char_boundaries_and_match_text() {
    let linter = linter();
    for path in docs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = linter.lint(&text);
        let mut last = 0;
        for f in &report.findings {
            assert!(f.start <= f.end && f.end <= text.len(), "{path:?} {f:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert_eq!(&text[f.start..f.end], f.text);
            assert!(f.start >= last, "findings not sorted in {path:?}");
            last = f.start;
            for s in &f.suggestions {
                assert!(
                    text.is_char_boundary(s.start)
                        && text.is_char_boundary(s.end)
                        && s.end <= text.len()
                );
            }
        }
    }
}

#[test]
fn the_clean_example_is_clean() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/checkout-latency-good.md"),
    )
    .unwrap();
    let report = linter().lint(&text);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn safe_fixes_converge_and_add_nothing() {
    let linter = linter();
    for path in docs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let before = linter.lint(&text);
        let fixed = linter.fix(&text, false);
        let after = linter.lint(&fixed);
        // Every finding after fixing was there before (same rule and text).
        for f in &after.findings {
            assert!(
                before
                    .findings
                    .iter()
                    .any(|b| b.rule == f.rule && b.text == f.text),
                "{path:?}: fixing created {} {:?}",
                f.rule,
                f.text
            );
        }
        // Applying the safe fixes again changes nothing.
        let again = apply_edits(&fixed, &after.fixes(false));
        assert_eq!(again, fixed, "{path:?}: fixes did not converge");
        let safe_before = before.fixes(false).len();
        if safe_before > 0 {
            assert!(
                after.findings.len() < before.findings.len(),
                "{path:?}: safe fixes removed nothing"
            );
        }
    }
}

#[test]
fn offsets_with_emoji_combining_cjk_and_crlf() {
    let linter = linter();
    let cases = [
        "🔥🔥 Dana should have checked the replica.",
        "Rene\u{301} 👩‍👩‍👧 配送API: Marcus broke checkout.",
        "line one\r\nPriya should have paged the DBA.\r\n",
        "Everything was fine until Bob broke prod",
        "é 😀 Bob should have checked the config.",
    ];
    for text in cases {
        let report = linter.lint(text);
        assert!(!report.findings.is_empty(), "{text:?}");
        for f in &report.findings {
            assert_eq!(&text[f.start..f.end], f.text);
            let map = unblame::offsets::OffsetMap::new(text);
            let cs = map.convert(f.start, unblame::offsets::Unit::Chars);
            let ce = map.convert(f.end, unblame::offsets::Unit::Chars);
            let chars: String = text.chars().skip(cs).take(ce - cs).collect();
            assert_eq!(chars, f.text);
            let us = map.convert(f.start, unblame::offsets::Unit::Utf16);
            let ue = map.convert(f.end, unblame::offsets::Unit::Utf16);
            let utf16: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(String::from_utf16(&utf16[us..ue]).unwrap(), f.text);
        }
    }
    // A finding at the very end of the file, without a newline.
    let text = "Bob broke prod";
    let f = &linter.lint(text).findings[0];
    assert_eq!(f.text, "broke");
    assert_eq!((f.line, f.column), (1, 5));
}

#[test]
fn quotes_code_and_links_are_not_judged() {
    let linter = linter();
    let doc = "Log: `token should have been refreshed`.\n\n> Bob broke it, I think.\n\nThe vendor wrote \"the root cause was on our side\".\n\nSee [the guide](https://example.com/should-have-checked-careless).\n\n<!-- Bob should have checked -->\n\n```\nDana should have checked\n```\n";
    let report = linter.lint(doc);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let checked = Linter::new(Config {
        check_quotes: true,
        structure: StructureMode::Off,
        ..Config::default()
    })
    .unwrap();
    assert!(!checked.lint(doc).findings.is_empty());
}

#[test]
fn suppression_comments() {
    let linter = linter();
    let doc = "<!-- unblame-disable-next-line blame -->\nDana broke checkout.\n\n<!-- unblame-disable counterfactual -->\nDana should have checked.\n<!-- unblame-enable -->\n\nLee should have checked.\n\n<!-- unblame-disable-next-line judgment -->\nThe deploy finished at 10:02.\n";
    let report = linter.lint(doc);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["counterfactual/should-have", "suppression/unused"],
        "{rules:?}"
    );
    assert_eq!(report.findings[0].line, 8);
}

#[test]
fn select_ignore_and_severity_overrides() {
    let text = "Dana broke checkout. She should have checked.";
    let only = Linter::new(Config {
        select: vec!["counterfactual".into()],
        ..Config::default()
    })
    .unwrap();
    assert!(only
        .lint(text)
        .findings
        .iter()
        .all(|f| f.category == "counterfactual"));
    let ignore = Linter::new(Config {
        ignore: vec!["blame/person-caused".into()],
        ..Config::default()
    })
    .unwrap();
    assert!(ignore
        .lint(text)
        .findings
        .iter()
        .all(|f| f.rule != "blame/person-caused"));
    let cfg = Config::from_toml("[severity]\ncounterfactual = \"info\"").unwrap();
    let sev = Linter::new(cfg).unwrap();
    let f = sev
        .lint(text)
        .findings
        .into_iter()
        .find(|f| f.category == "counterfactual")
        .unwrap();
    assert_eq!(f.severity, unblame::Severity::Info);
    let err = Linter::new(Config {
        select: vec!["blame/nope".into()],
        ..Config::default()
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("blame/nope") && err.to_string().contains("select"),
        "{err}"
    );
    let allow = Linter::new(Config {
        allow: vec!["broke checkout".into()],
        ..Config::default()
    })
    .unwrap();
    assert!(allow.lint("Dana broke checkout.").is_clean());
}

#[test]
fn config_errors_name_the_key() {
    for (toml, key) in [
        ("colour = true", "colour"),
        ("check_quotes = \"yes\"", "check_quotes"),
        ("[thresholds]\nlate_dayz = 3", "thresholds.late_dayz"),
        ("structure = \"sometimes\"", "structure"),
        ("[severity]\nblame = \"loud\"", "severity"),
    ] {
        let err = Config::from_toml(toml).unwrap_err();
        assert!(
            err.key.as_deref().is_some_and(|k| k.starts_with(key)),
            "{toml}: {err:?}"
        );
    }
    let err = Config::from_json(&serde_json::json!({"select": 3})).unwrap_err();
    assert_eq!(err.key.as_deref(), Some("select"));
    let err = Config::from_json(&serde_json::json!({"colour": 3})).unwrap_err();
    assert_eq!(err.key.as_deref(), Some("colour"));
    let err = Config::from_json(&serde_json::json!({"thresholds": {"late_dayz": 3}})).unwrap_err();
    assert_eq!(err.key.as_deref(), Some("thresholds.late_dayz"));
}

#[test]
fn rewrites_read_naturally() {
    let linter = linter();
    let cases = [
        ("Dana should have checked the lag.", "did not check"),
        ("The on-call failed to notice the alert.", "did not"),
        ("Lee forgot to renew the certificate.", "did not"),
        ("Åsa carelessly overwrote the config.", ""),
        (
            "The root cause was an expired certificate.",
            "One contributing factor",
        ),
        ("Obviously the reviewer never ran the tests.", "T"),
    ];
    for (text, want) in cases {
        let report = linter.lint(text);
        let s = report
            .findings
            .iter()
            .flat_map(|f| f.suggestions.first())
            .next()
            .unwrap_or_else(|| panic!("no suggestion for {text:?}"));
        assert!(s.replacement.starts_with(want), "{text:?}: {s:?}");
    }
    let fixed = linter.fix(
        "Åsa carelessly overwrote the config. Obviously the reviewer never ran the tests.",
        false,
    );
    assert_eq!(
        fixed,
        "Åsa overwrote the config. The reviewer never ran the tests."
    );
}
