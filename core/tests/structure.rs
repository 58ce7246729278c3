//! Structure checks over the document fixtures: `structure` and `metrics` snapshots, a
//! clean complete postmortem, and the one finding each seeded defect must get.

use serde_json::{json, Value};
use std::path::PathBuf;
use unblame::{Config, Linter, Report};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/docs")
}

fn lint(name: &str) -> Report {
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    Linter::new(Config::default()).unwrap().lint(&text)
}

fn structure_rules(report: &Report) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.category == "structure")
        .map(|f| f.rule.as_str())
        .collect()
}

#[test]
fn snapshots_of_every_fixture() {
    let linter = Linter::new(Config::default()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    assert!(names.len() > 10);
    for name in names {
        let text = std::fs::read_to_string(fixtures().join(&name)).unwrap();
        let report = linter.lint(&text);
        let findings: Vec<Value> = report
            .findings
            .iter()
            .filter(|f| f.category == "structure")
            .map(|f| json!({"rule": f.rule, "line": f.line, "text": f.text, "data": f.data}))
            .collect();
        let value =
            json!({"structure": report.structure, "metrics": report.metrics, "findings": findings});
        insta::assert_json_snapshot!(name.trim_end_matches(".md").to_string(), value);
    }
}

#[test]
fn complete_blameless_postmortems_are_clean() {
    let r = lint("blameless-complete.md");
    assert_eq!(structure_rules(&r), Vec::<&str>::new());
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/checkout-latency-good.md"),
    )
    .unwrap();
    let r = Linter::new(Config::default()).unwrap().lint(&text);
    assert_eq!(structure_rules(&r), Vec::<&str>::new());
    let m = r.metrics.unwrap();
    assert_eq!(m.time_to_detect_min, Some(8));
    assert_eq!(m.time_to_identify_min, Some(27));
    assert_eq!(m.time_to_mitigate_min, Some(43));
}

#[test]
fn seeded_defects_get_their_finding() {
    let count = |r: &Report, rule: &str| r.findings.iter().filter(|f| f.rule == rule).count();
    let r = lint("late-postmortem.md");
    assert_eq!(count(&r, "structure/late"), 1);
    assert_eq!(r.structure.as_ref().unwrap().days_to_write, Some(16));
    let r = lint("summary-too-long.md");
    assert_eq!(count(&r, "structure/summary-length"), 1);
    assert_eq!(r.structure.as_ref().unwrap().summary_sentences, Some(8));
    let r = lint("root-cause-single.md");
    assert_eq!(count(&r, "structure/factor-count"), 1);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "structure/factor-count" && f.message.contains("single root cause")));
    let r = lint("timeline-out-of-order.md");
    assert_eq!(count(&r, "structure/timeline-order"), 2);
    let r = lint("timeline-midnight.md");
    assert_eq!(count(&r, "structure/timeline-order"), 0);
    assert_eq!(count(&r, "structure/duration-mismatch"), 0);
    let r = lint("timeline-mixed-zones.md");
    assert_eq!(count(&r, "structure/timeline-timezone"), 1);
    assert_eq!(count(&r, "structure/timeline-order"), 0);
    let r = lint("timeline-12h.md");
    assert_eq!(count(&r, "structure/timeline-12h"), 1);
    assert_eq!(count(&r, "structure/timeline-timezone"), 1);
    let r = lint("timeline-table-zone-in-header.md");
    assert_eq!(count(&r, "structure/timeline-timezone"), 0);
    let r = lint("actions-table.md");
    let s = r.structure.unwrap();
    assert_eq!(
        (
            s.action_items,
            s.action_items_missing_owner,
            s.action_items_missing_date,
            s.action_items_missing_ticket
        ),
        (Some(6), Some(2), Some(2), Some(2))
    );
    let r = lint("actions-list-inline-fields.md");
    let s = r.structure.unwrap();
    assert_eq!(
        (
            s.action_items,
            s.action_items_missing_owner,
            s.action_items_missing_date,
            s.action_items_missing_ticket
        ),
        (Some(9), Some(2), Some(2), Some(3))
    );
    let r = lint("factors-subheadings.md");
    assert_eq!(r.structure.unwrap().contributing_factors, Some(4));
    for name in ["plain-paragraph.md", "quotes-and-code.md"] {
        let r = lint(name);
        assert!(r.structure.is_none(), "{name}");
        assert_eq!(structure_rules(&r), Vec::<&str>::new(), "{name}");
    }
}

#[test]
fn structure_mode_overrides_auto() {
    let text = "Our team moved the reporting stack to streaming.\n";
    let on = Linter::new(Config {
        structure: unblame::StructureMode::On,
        ..Config::default()
    })
    .unwrap()
    .lint(text);
    assert!(on.structure.is_some());
    let text = std::fs::read_to_string(fixtures().join("blameless-complete.md")).unwrap();
    let off = Linter::new(Config {
        structure: unblame::StructureMode::Off,
        ..Config::default()
    })
    .unwrap()
    .lint(&text);
    assert!(off.structure.is_none() && off.metrics.is_none());
}

/// Each event kind of the timeline is read as its own: impact start, detection,
/// identification, explicit mitigation (preferred over the earlier plain mitigation) and
/// resolution.
#[test]
fn metrics_read_each_event_kind() {
    let text = "# Checkout errors\n\n## Summary\n\nCheckout returned errors for 40 minutes.\n\n\
        ## Timeline (UTC)\n\n\
        - 10:00 Error rate on checkout climbs.\n\
        - 10:05 Latency alert fires for checkout.\n\
        - 10:12 The team found the bad config push.\n\
        - 10:20 Traffic shifted to the secondary region.\n\
        - 10:30 Impact ended for all customers.\n\
        - 10:45 Incident resolved.\n";
    let r = Linter::new(Config::default()).unwrap().lint(text);
    let m = r.metrics.expect("metrics");
    assert_eq!(m.time_to_detect_min, Some(5));
    assert_eq!(m.time_to_identify_min, Some(7));
    assert_eq!(m.time_to_mitigate_min, Some(25));
    assert_eq!(m.duration_min, Some(40));
}

/// Each field of each action item in tables: the columns are found by their headers, once
/// per table, whatever their order; a blank or placeholder cell in a named column is a
/// missing field; without such a column the field is read from the row's text (joined with
/// ` | `); a row with fewer cells than the header has blank cells.
#[test]
fn action_tables_read_each_cell_by_its_header() {
    let text = "\
# Queue outage

## Action items

| Ticket | Due | What | Owner |
|---|---|---|---|
| PAY-1 | 2026-07-01 | Add a queue-age alert | payments-sre |
| | 2026-07-08 | Cap retries per merchant, see PAY-2 | TBD |
| PAY-3 | | Document the replay procedure | @maja |
| PAY-4 |

### More

| Action | Notes |
|---|---|
| Load-test the retry worker | owner: @ishaan, due 2026-08-01 (PAY-5) |
| Rotate the signing key | nothing yet |
";
    let report = Linter::new(Config {
        structure: unblame::StructureMode::On,
        ..Config::default()
    })
    .unwrap()
    .lint(text);
    type Fields<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let items: Vec<Fields<'_>> = report
        .structure
        .as_ref()
        .unwrap()
        .actions
        .iter()
        .map(|a| {
            (
                a.text.as_str(),
                a.owner.as_deref(),
                a.date.as_deref(),
                a.ticket.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                "Add a queue-age alert",
                Some("payments-sre"),
                Some("2026-07-01"),
                Some("PAY-1")
            ),
            (
                "Cap retries per merchant, see PAY-2",
                None,
                Some("2026-07-08"),
                None
            ),
            (
                "Document the replay procedure",
                Some("@maja"),
                None,
                Some("PAY-3")
            ),
            // The row's blank cells: no text, the ticket from its column.
            ("", None, None, Some("PAY-4")),
            (
                "Load-test the retry worker",
                Some("@ishaan"),
                Some("2026-08-01"),
                Some("PAY-5")
            ),
            // Without an owner column, a short segment of the row's text is the owner.
            ("Rotate the signing key", Some("nothing yet"), None, None),
        ]
    );
}
