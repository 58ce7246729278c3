//! Every lexicon entry carries examples it must flag and examples it must pass; this
//! test enforces both for every entry, in the section the rule applies to.

use unblame::lexicon::{parse_rules, SectionKind, BUILTIN_RULE_FILES};
use unblame::{Config, Linter};

fn wrap(example: &str, sections: &[SectionKind]) -> String {
    if example.starts_with('#') || example.starts_with("<!--") {
        return example.to_string();
    }
    match sections.first() {
        Some(SectionKind::Actions) => format!("## Action items\n\n- {example}\n"),
        Some(SectionKind::Timeline) => format!("## Timeline\n\n- {example}\n"),
        Some(SectionKind::Factors) => format!("## Contributing factors\n\n- {example}\n"),
        Some(SectionKind::Summary) => format!("## Summary\n\n{example}\n"),
        _ => format!("{example}\n"),
    }
}

#[test]
fn every_entry_flags_and_passes_its_examples() {
    let linter = Linter::new(Config {
        structure: unblame::StructureMode::Off,
        ..Config::default()
    })
    .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, text) in BUILTIN_RULE_FILES {
        for rule in parse_rules(file, text).unwrap() {
            let spec = &rule.spec;
            if spec.flag.is_empty() || spec.pass.is_empty() {
                failures.push(format!(
                    "{}: needs both `flag` and `pass` examples",
                    rule.id
                ));
            }
            for ex in &spec.flag {
                let doc = wrap(ex, &spec.sections);
                let report = linter.lint(&doc);
                if !report.findings.iter().any(|f| f.category == rule.category) {
                    failures.push(format!("{}: did not flag {ex:?}", rule.id));
                }
                checked += 1;
            }
            for ex in &spec.pass {
                let doc = wrap(ex, &spec.sections);
                let report = linter.lint(&doc);
                if let Some(f) = report.findings.iter().find(|f| f.rule == rule.id) {
                    failures.push(format!("{}: flagged {ex:?} at {:?}", rule.id, f.text));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} examples checked");
    assert!(
        failures.is_empty(),
        "{} lexicon example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lexicon_has_broad_coverage() {
    let mut triggers = 0;
    let mut categories = std::collections::BTreeSet::new();
    for (file, text) in BUILTIN_RULE_FILES {
        for rule in parse_rules(file, text).unwrap() {
            triggers += rule.spec.triggers.len();
            categories.insert(rule.category.clone());
        }
    }
    assert_eq!(categories.len(), 7, "{categories:?}");
    assert!(triggers > 400, "only {triggers} triggers");
}

#[test]
fn invalid_lexicons_name_file_entry_and_problem() {
    let cases = [
        ("category = \"x\"\n[[rule]]\nname = \"a\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\ntriggers = []\n", "a", "no triggers"),
        ("category = \"x\"\n[[rule]]\nname = \"a\"\nseverity = \"loud\"\nmessage = \"m\"\nhelp = \"h\"\ntriggers = [\"t\"]\n", "", "loud"),
        ("category = \"x\"\n[[rule]]\nname = \"a\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\ntriggers = [\"t\"]\nbogus = 1\n", "", "bogus"),
        ("category = \"x\"\n[[rule]]\nname = \"a\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\ntriggers = [\"t\"]\nfix = { action = \"replace\" }\n", "a", "with"),
    ];
    for (text, entry, problem) in cases {
        let err = Linter::with_lexicons(Config::default(), &[("team.toml".into(), text.into())])
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("team.toml"), "{msg}");
        assert!(msg.contains(entry), "{msg}");
        assert!(msg.contains(problem), "{msg}");
    }
}

#[test]
fn extra_lexicon_adds_a_rule() {
    let extra = r#"
category = "team"
[[rule]]
name = "war-room"
severity = "info"
message = "say \"incident channel\""
help = "We call it the incident channel."
triggers = ["war room"]
flag = ["We met in the war room."]
pass = ["We met in the incident channel."]
"#;
    let linter =
        Linter::with_lexicons(Config::default(), &[("team.toml".into(), extra.into())]).unwrap();
    let report = linter.lint("We met in the war room at 10:02.");
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule, "team/war-room");
    assert!(linter.lint("We met in the incident channel.").is_clean());
}
