//! Property tests on generated postmortems: the report invariants of
//! `support/invariants.rs` (spans, order, offsets, fix convergence), locality (an edit in
//! one paragraph changes no finding in another) and composition (linting two documents'
//! paragraphs together finds the union of their findings).

use proptest::prelude::*;
use proptest::test_runner::Config as PropConfig;
use std::sync::OnceLock;
use unblame::{Config, Linter, StructureMode};

#[path = "support/invariants.rs"]
mod invariants;

/// Sentences that blame, judge, use hindsight or punish.
const BLAME: &[&str] = &[
    "Dana should have checked the replica lag before the failover.",
    "The on-call engineer carelessly ran the migration on production.",
    "Human error caused the outage.",
    "The root cause was a typo by Bob.",
    "Obviously, the deploy should not have gone out on a Friday.",
    "@alice forgot to update the runbook.",
    "Clearly, nobody reviewed the change.",
    "He failed to notice the alert for twenty minutes.",
    "The team was negligent about backups.",
    "Engineers need to be more careful with config changes.",
    "Retrain the SRE who made the mistake.",
    "She should’ve known the flag was still on.",
    "Kim didn't bother to page the database team.",
    "Sam could have rolled back sooner.",
];

/// Sentences that describe what happened without blame.
const CLEAN: &[&str] = &[
    "The health check failed to connect to the replica.",
    "We rolled back at 10:05 UTC and latency recovered.",
    "The deploy pipeline has no canary stage for this service.",
    "Alerts fired 4 minutes after error rates rose.",
    "The runbook described the old failover procedure.",
    "Add a replica-lag check to the failover script by 2024-04-01.",
    "The queue consumer restarted 14 times.",
    "Nobody had seen this failure mode before.",
    "p99 latency reached 2.3 s.",
];

/// Garnish: emoji, CJK, combining marks, odd spaces and dashes.
const GARNISH: &[&str] = &[
    "🔥",
    "漢字のテスト。",
    "e\u{301}te\u{301}",
    "naïve café",
    "\u{a0}—\u{a0}",
    "👩‍💻",
    "ﬁx",
    "Ünal",
    "\u{200b}",
    "«quoted»",
    "`kubectl rollout undo`",
    "**note:**",
];

fn sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(BLAME).prop_map(str::to_string),
        3 => prop::sample::select(CLEAN).prop_map(str::to_string),
        1 => prop::sample::select(GARNISH).prop_map(str::to_string),
    ]
}

/// A paragraph of 1–4 sentences, possibly wrapped over lines.
fn paragraph() -> impl Strategy<Value = String> {
    (prop::collection::vec(sentence(), 1..5), any::<bool>())
        .prop_map(|(s, wrap)| s.join(if wrap { "\n" } else { " " }))
}

const HEADINGS: &[&str] = &[
    "# Postmortem: checkout outage",
    "## Summary",
    "## Impact",
    "## Timeline",
    "## Contributing factors",
    "## Root cause",
    "## Action items",
    "## What went well",
    "## Lessons learned",
    "## Glossary",
    "### Notes",
];

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(HEADINGS).prop_map(str::to_string),
        4 => paragraph(),
        2 => prop::collection::vec(sentence(), 1..4)
            .prop_map(|items| items.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n")),
        2 => prop::collection::vec((0u8..24, 0u8..60, sentence()), 1..5).prop_map(|rows| {
            rows.iter()
                .map(|(h, m, s)| format!("- {h:02}:{m:02} UTC — {s}"))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        1 => sentence().prop_map(|s| format!("```sh\n# {s}\necho ok\n```")),
        1 => sentence().prop_map(|s| format!("> {s}")),
        1 => prop::collection::vec(sentence(), 1..4).prop_map(|rows| {
            let mut t = String::from("| Time | Event |\n|---|---|");
            for (i, r) in rows.iter().enumerate() {
                t.push_str(&format!("\n| 10:{i:02} | {r} |"));
            }
            t
        }),
        1 => Just("**Date:** 2024-03-07\n**Authors:** Dana, Bob\n**Status:** Draft".to_string()),
    ]
}

/// A whole postmortem, LF or CRLF.
fn postmortem() -> impl Strategy<Value = String> {
    (prop::collection::vec(block(), 0..12), any::<bool>()).prop_map(|(blocks, crlf)| {
        let doc = blocks.join("\n\n") + "\n";
        if crlf {
            doc.replace('\n', "\r\n")
        } else {
            doc
        }
    })
}

/// Plain paragraphs only: no headings, lists or timelines, so no paragraph can change
/// another's section or the names the document introduces.
fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(paragraph(), 1..6)
}

/// Built once per mode: building compiles the lexicon, linting is what is under test.
fn linter(structure: StructureMode) -> &'static Linter {
    static LINTERS: OnceLock<[Linter; 3]> = OnceLock::new();
    let all = LINTERS.get_or_init(|| {
        [StructureMode::Auto, StructureMode::On, StructureMode::Off].map(|structure| {
            Linter::new(Config {
                structure,
                ..Config::default()
            })
            .unwrap()
        })
    });
    &all[structure as usize]
}

fn cases() -> PropConfig {
    PropConfig {
        cases: 64,
        failure_persistence: None,
        ..PropConfig::default()
    }
}

/// (rule, start, end) of the phrase findings.
fn spans(linter: &Linter, text: &str) -> Vec<(String, usize, usize)> {
    linter
        .lint(text)
        .findings
        .into_iter()
        .map(|f| (f.rule.into(), f.start, f.end))
        .collect()
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn reports_hold_their_invariants(doc in postmortem(), mode in 0u8..3) {
        let mode = [StructureMode::Auto, StructureMode::On, StructureMode::Off][mode as usize];
        invariants::check_all(linter(mode), &doc);
    }

    #[test]
    fn an_edit_stays_in_its_paragraph(
        paras in paragraphs(),
        which in any::<prop::sample::Index>(),
        at_end in any::<bool>(),
        insert in sentence(),
    ) {
        let linter = linter(StructureMode::Off);
        let before = paras.join("\n\n");
        let i = which.index(paras.len());
        let mut edited = paras.clone();
        let insert = format!("{insert} ");
        if at_end {
            edited[i] = format!("{} {}", paras[i], insert.trim_end());
        } else {
            edited[i] = format!("{insert}{}", paras[i]);
        }
        let after = edited.join("\n\n");
        // The edited paragraph's range, before and after.
        let start: usize = paras[..i].iter().map(|p| p.len() + 2).sum();
        let (old_end, new_end) = (start + paras[i].len(), start + edited[i].len());
        let shift = new_end - old_end;
        let outside = |spans: Vec<(String, usize, usize)>, end: usize, shift: usize| {
            spans
                .into_iter()
                .filter(|s| s.2 <= start || s.1 >= end)
                .map(|(r, s, e)| if s >= end { (r, s - shift, e - shift) } else { (r, s, e) })
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(
            outside(spans(linter, &before), old_end, 0),
            outside(spans(linter, &after), new_end, shift)
        );
    }

    #[test]
    fn two_documents_together_find_the_union(a in paragraphs(), b in paragraphs()) {
        let linter = linter(StructureMode::Off);
        let (ta, tb) = (a.join("\n\n"), b.join("\n\n"));
        let joined = format!("{ta}\n\n{tb}");
        let mut expected = spans(linter, &ta);
        let offset = ta.len() + 2;
        expected.extend(spans(linter, &tb).into_iter().map(|(r, s, e)| (r, s + offset, e + offset)));
        expected.sort_by(|x, y| (x.1, x.2, &x.0).cmp(&(y.1, y.2, &y.0)));
        prop_assert_eq!(spans(linter, &joined), expected);
    }
}
