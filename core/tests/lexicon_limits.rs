//! A user's lexicon is untrusted input: it must not blow up build time, lint time or
//! memory, and a malformed file is an error naming the file and the entry.

use std::fmt::Write;
use unblame::lexicon::{
    MAX_CONDITION_ENTRIES, MAX_HELP_BYTES, MAX_MESSAGE_BYTES, MAX_PHRASE_BYTES,
    MAX_RULES_PER_TRIGGER, MAX_TRIGGERS,
};
use unblame::{Config, Error, Linter};

fn rule(name: &str, triggers: &str, extra: &str) -> String {
    format!(
        "[[rule]]\nname = \"{name}\"\nseverity = \"warning\"\nmessage = \"m {{text}}\"\nhelp = \"h\"\ntriggers = {triggers}\n{extra}\n"
    )
}

fn file(rules: &str) -> String {
    format!("category = \"team\"\n{rules}")
}

fn build(files: &[(&str, String)]) -> Result<Linter, Error> {
    let extra: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.clone()))
        .collect();
    Linter::with_lexicons(Config::default(), &extra)
}

/// The error of building with `files`, checked to name `file` and `entry`.
fn error(files: &[(&str, String)], file: &str, entry: Option<&str>) -> String {
    let err = match build(files) {
        Ok(_) => panic!("expected an error naming {file}"),
        Err(Error::Lexicon(e)) => e,
        Err(e) => panic!("expected a lexicon error, got {e}"),
    };
    assert_eq!(err.file, file, "{err}");
    assert_eq!(err.entry.as_deref(), entry, "{err}");
    err.to_string()
}

fn list(items: impl Iterator<Item = String>) -> String {
    let mut s = String::from("[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{item:?}");
    }
    s.push(']');
    s
}

#[test]
fn a_long_trigger_list_builds_and_lints() {
    // 20,000 distinct triggers in one file: builds, and lints like any other lexicon.
    let triggers = list((0..20_000).map(|i| format!("zz{i} blame")));
    let linter = build(&[("big.toml", file(&rule("many", &triggers, "")))]).unwrap();
    let report = linter.lint("The zz19999 blame was assigned. zz7 blame too.");
    let hits: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "team/many")
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(hits, ["zz19999 blame", "zz7 blame"]);
}

#[test]
fn too_many_triggers_is_an_error_naming_the_file() {
    // One file over the limit: the rule is named.
    let triggers = list((0..=MAX_TRIGGERS).map(|i| format!("t{i}")));
    let msg = error(
        &[("huge.toml", file(&rule("flood", &triggers, "")))],
        "huge.toml",
        Some("flood"),
    );
    assert!(msg.contains("limit"), "{msg}");
    // Two files that pass alone but not together: the second file is named.
    let half = MAX_TRIGGERS / 2 + 1;
    let a = file(&rule("a", &list((0..half).map(|i| format!("a{i}"))), ""));
    let b = file(&rule("b", &list((0..half).map(|i| format!("b{i}"))), ""));
    let msg = error(&[("one.toml", a), ("two.toml", b)], "two.toml", None);
    assert!(msg.contains("too many triggers"), "{msg}");
}

#[test]
fn an_extremely_long_trigger_is_an_error_naming_the_entry() {
    let long = "x".repeat(MAX_PHRASE_BYTES + 1);
    let msg = error(
        &[(
            "long.toml",
            file(&rule("long", &format!("[\"{long}\"]"), "")),
        )],
        "long.toml",
        Some("long"),
    );
    assert!(msg.contains("longer than 200 bytes"), "{msg}");
    // A megabyte: refused the same way, without building anything from it.
    let huge = "blame ".repeat(200_000);
    error(
        &[(
            "huge.toml",
            file(&rule("huge", &format!("[\"{huge}\"]"), "")),
        )],
        "huge.toml",
        Some("huge"),
    );
    // Exactly at the limit is fine.
    let edge = "y".repeat(MAX_PHRASE_BYTES);
    build(&[(
        "edge.toml",
        file(&rule("edge", &format!("[\"{edge}\"]"), "")),
    )])
    .unwrap();
}

#[test]
fn oversized_conditions_and_texts_are_errors_naming_the_entry() {
    let many = list((0..=MAX_CONDITION_ENTRIES).map(|i| format!("w{i}")));
    let cases = [
        (format!("sentence_any = {many}"), "sentence_any"),
        (format!("not_next = {many}"), "not_next"),
        (
            format!("prev_any = [\"{}\"]", "p".repeat(MAX_PHRASE_BYTES + 1)),
            "prev_any",
        ),
        (
            format!(
                "fix = {{ action = \"replace\", with = \"{}\" }}",
                "r".repeat(MAX_PHRASE_BYTES + 1)
            ),
            "with",
        ),
        (
            format!(
                "fix = {{ action = \"delete\", description = \"{}\" }}",
                "d".repeat(MAX_HELP_BYTES + 1)
            ),
            "description",
        ),
    ];
    for (extra, what) in cases {
        let msg = error(
            &[("cond.toml", file(&rule("cond", "[\"blame\"]", &extra)))],
            "cond.toml",
            Some("cond"),
        );
        assert!(msg.contains(what), "{msg}");
    }
    // A message is copied into every finding: a huge one is refused.
    let text = format!(
        "category = \"team\"\n[[rule]]\nname = \"loud\"\nseverity = \"info\"\nmessage = \"{}\"\nhelp = \"h\"\ntriggers = [\"blame\"]\n",
        "m".repeat(MAX_MESSAGE_BYTES + 1)
    );
    let msg = error(&[("msg.toml", text)], "msg.toml", Some("loud"));
    assert!(msg.contains("too long"), "{msg}");
}

#[test]
fn too_many_rules_on_one_trigger_is_an_error() {
    let mut rules = String::new();
    for i in 0..=MAX_RULES_PER_TRIGGER {
        rules.push_str(&rule(&format!("r{i}"), "[\"incident owner\"]", ""));
    }
    let msg = error(
        &[("same.toml", file(&rules))],
        "same.toml",
        Some(&format!("r{MAX_RULES_PER_TRIGGER}")),
    );
    assert!(msg.contains("incident owner"), "{msg}");
    // Under the limit it builds, and the hit is judged (overlapping findings of one
    // category are merged into one).
    let mut rules = String::new();
    for i in 0..MAX_RULES_PER_TRIGGER - 5 {
        rules.push_str(&rule(&format!("r{i}"), "[\"incident owner\"]", ""));
    }
    let linter = build(&[("same.toml", file(&rules))]).unwrap();
    let report = linter.lint("The incident owner paged us.");
    assert!(report.findings.iter().any(|f| f.category == "team"));
}

#[test]
fn malformed_files_name_the_entry() {
    let good = rule("first", "[\"blame\"]", "");
    // (text, entry, words the message must contain)
    let cases: Vec<(String, Option<&str>, &str)> = vec![
        // A bad value in the second rule: the rule is named by its name, with the key.
        (
            file(&format!(
                "{good}{}",
                rule("second", "[\"x\"]", "").replace("warning", "loud")
            )),
            Some("second.severity"),
            "loud",
        ),
        // An unknown key.
        (
            file(&rule("third", "[\"x\"]", "bogus = 1")),
            Some("third.bogus"),
            "unknown field `bogus`",
        ),
        // A wrong type.
        (
            file(&rule("fourth", "\"not a list\"", "")),
            Some("fourth.triggers"),
            "",
        ),
        // A missing field: named by position when the rule has no name.
        (
            file(&format!(
                "{good}[[rule]]\nseverity = \"info\"\nmessage = \"m\"\nhelp = \"h\"\ntriggers = [\"x\"]\n"
            )),
            Some("rule #2"),
            "name",
        ),
        // A top-level problem.
        (
            "category = 3\n".to_string(),
            Some("category"),
            "",
        ),
    ];
    for (text, entry, words) in cases {
        let msg = error(&[("team.toml", text.clone())], "team.toml", entry);
        assert!(msg.contains(words), "{msg}");
    }
    // Broken TOML syntax names the file; there is no entry to name.
    let msg = error(
        &[("syntax.toml", "category = \"x\"\n[[rule]\n".to_string())],
        "syntax.toml",
        None,
    );
    assert!(msg.contains("syntax.toml"), "{msg}");
}

#[test]
fn hostile_toml_is_an_error_not_a_crash() {
    // Deeply nested arrays and tables, a huge file of garbage, NUL bytes.
    let deep_array = format!("category = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let deep_inline = format!(
        "category = \"x\"\nx = {}1{}\n",
        "{ a = ".repeat(10_000),
        " }".repeat(10_000)
    );
    let garbage = "\u{0}[[[ = ]]]\"\"\"\n".repeat(10_000);
    for text in [deep_array, deep_inline, garbage] {
        assert!(build(&[("evil.toml", text)]).is_err());
    }
}
