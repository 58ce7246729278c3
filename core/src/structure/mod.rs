//! Postmortem structure: the skeleton checks (`structure/*`) and the incident metrics.
//!
//! Everything is read from the one [`Document`] parse: the header block
//! (`structure/header.rs`), the timeline (`timeline.rs`), action items and contributing
//! factors (`items.rs`), the metrics (`metrics.rs`). The words the checks look for live in
//! `lexicon/en/structure.toml`.

mod header;
mod items;
mod metrics;
mod owner;
mod time;
mod timeline;
mod vocab;

use crate::config::{Config, StructureMode};
use crate::lexicon::{LexiconError, SectionKind};
use crate::markdown::{Document, BARRIER};
use crate::report::{Finding, Severity, Suggestion};
use crate::words::WordSet;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::ops::Range;

pub(crate) use vocab::Phrases;
pub use vocab::BUILTIN_STRUCTURE;

/// A structure rule's metadata.
#[derive(Debug, Clone, Copy)]
pub struct StructureRule {
    /// `structure/<name>`.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Why it matters and what to write.
    pub help: &'static str,
    /// Example documents it flags.
    pub flag: &'static [&'static str],
    /// Example documents it passes.
    pub pass: &'static [&'static str],
}

const R_BLAMELESS: usize = 0;
const R_MISSING_SECTION: usize = 1;
const R_HEADER_FIELD: usize = 2;
const R_DURATION: usize = 3;
const R_IMPACT: usize = 4;
const R_SUMMARY: usize = 5;
const R_TZ: usize = 6;
const R_12H: usize = 7;
const R_ORDER: usize = 8;
const R_FACTORS: usize = 9;
const R_ACTION_COUNT: usize = 10;
const R_ACTION_FIELDS: usize = 11;
const R_ACTION_TYPES: usize = 12;
const R_LATE: usize = 13;

/// Every structure rule.
pub static RULES: &[StructureRule] = &[
    StructureRule {
        id: "structure/blameless-statement",
        severity: Severity::Info,
        summary: "no statement near the top that the review is blameless",
        help: "Say at the top that the review is blameless: it describes what people knew and why their actions made sense at the time, and it does not evaluate individuals. Readers (and the people involved) read everything after it in that light.",
        flag: &["# Checkout outage\n\n- Severity: SEV2\n\n## Summary\n\nCheckout failed for 20 minutes.\n\n## Timeline (UTC)\n\n- 10:00 — alert pages on-call.\n"],
        pass: &["# Checkout outage\n\nThis is a blameless review.\n\n## Summary\n\nCheckout failed.\n\n## Timeline (UTC)\n\n- 10:00 — alert pages on-call.\n"],
    },
    StructureRule {
        id: "structure/missing-section",
        severity: Severity::Warning,
        summary: "a postmortem section is missing: summary, timeline, contributing factors, action items or what went well",
        help: "A postmortem needs a short summary, a timeline, the contributing factors (several, not one root cause), action items, and what went well. Headings may use any common wording (\"What contributed\", \"Follow-ups\", \"Things that went well\").",
        flag: &["# Outage\n\n## Summary\n\nThe API failed.\n\n## Timeline (UTC)\n\n- 10:00 — alert.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 10:00 a\n\n## Contributing factors\n\n- a\n\n## Action items\n\n- b\n\n## What went well\n\n- c\n"],
    },
    StructureRule {
        id: "structure/header-field",
        severity: Severity::Warning,
        summary: "a header field is missing (incident id, title, severity, detected, resolved, duration, impact, authors, reviewers, status)",
        help: "The header block lets readers and tools find and compare incidents: incident id and title, severity, detected and resolved times with a zone, duration, quantified customer impact, authors, reviewers and status. Use a `Key: value` list, a two-column table or YAML front matter.",
        flag: &["# Outage\n\n- Severity: SEV2\n- Status: Final\n"],
        pass: &["# Outage\n\n- Incident ID: INC-1\n- Severity: SEV2\n- Detected: 2026-01-01 10:00 UTC\n- Resolved: 2026-01-01 10:30 UTC\n- Duration: 30m\n- Impact: 2% of requests failed\n- Authors: Ana\n- Reviewers: Bo\n- Status: Final\n"],
    },
    StructureRule {
        id: "structure/duration-mismatch",
        severity: Severity::Warning,
        summary: "the stated duration disagrees with resolved minus detected",
        help: "A duration that does not match the detected and resolved times makes readers doubt every other number. State the duration the times give, or correct the times.",
        flag: &["- Detected: 10:00 UTC\n- Resolved: 11:30 UTC\n- Duration: 1h\n"],
        pass: &["- Detected: 10:00 UTC\n- Resolved: 11:30 UTC\n- Duration: 1h 30m\n"],
    },
    StructureRule {
        id: "structure/impact-unquantified",
        severity: Severity::Warning,
        summary: "the customer impact gives no figure",
        help: "Quantify the impact: requests failed, users or accounts affected, revenue, share of traffic. A well-informed estimate is better than none.",
        flag: &["- Impact: some users could not log in\n- Severity: SEV2\n"],
        pass: &["- Impact: 2,300 users (1.1% of sessions) were logged out\n- Severity: SEV2\n"],
    },
    StructureRule {
        id: "structure/summary-length",
        severity: Severity::Info,
        summary: "the summary is not 2–4 sentences",
        help: "A summary of two to four sentences lets a non-engineer learn what happened, the impact and how it ended. Move details to the timeline and the contributing factors.",
        flag: &["## Summary\n\nCheckout failed.\n\n## Timeline (UTC)\n\n- 10:00 — alert.\n"],
        pass: &["## Summary\n\nCheckout failed for 20 minutes. A rollback fixed it.\n\n## Timeline (UTC)\n\n- 10:00 — alert.\n"],
    },
    StructureRule {
        id: "structure/timeline-timezone",
        severity: Severity::Warning,
        summary: "timeline times carry no zone, mixed zones, or a zone other than UTC",
        help: "Write every timeline time in UTC and say so once (\"## Timeline (UTC)\") or on every entry. Mixed or missing zones make the order and the durations ambiguous.",
        flag: &["## Summary\n\nx. y.\n\n## Timeline\n\n- 10:00 — alert.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 10:00 — alert.\n"],
    },
    StructureRule {
        id: "structure/timeline-12h",
        severity: Severity::Info,
        summary: "a 12-hour clock (am/pm) in the timeline",
        help: "Use 24-hour times (14:05, not 2:05 PM) in the timeline; they sort and subtract without ambiguity.",
        flag: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 2:05 PM — alert.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 14:05 — alert.\n"],
    },
    StructureRule {
        id: "structure/timeline-order",
        severity: Severity::Warning,
        summary: "timeline entries out of order",
        help: "Keep the timeline in time order (after converting to one zone); a timeline that jumps back hides what was known when.",
        flag: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 10:05 — b.\n- 10:00 — a.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Timeline (UTC)\n\n- 23:58 — a.\n- 00:03 — b.\n"],
    },
    StructureRule {
        id: "structure/factor-count",
        severity: Severity::Warning,
        summary: "fewer than 3 or more than 7 contributing factors",
        help: "Incidents in complex systems have several contributing factors, each necessary and only jointly sufficient. List the conditions that combined (code, tests, deploy practice, monitoring, runbooks, dependencies, pressure) instead of a single root cause; more than seven usually means they need grouping.",
        flag: &["## Summary\n\nx. y.\n\n## Root cause\n\nThe config change.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Contributing factors\n\n- a\n- b\n- c\n"],
    },
    StructureRule {
        id: "structure/action-count",
        severity: Severity::Warning,
        summary: "more than 10 action items, or none",
        help: "A review without action items changes nothing; more than ten rarely all get done. Keep the few that matter most and record the decision not to do the rest.",
        flag: &["## Summary\n\nx. y.\n\n## Action items\n\nNone yet.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Action items\n\n- Alert on queue depth (owner: sre, due 2026-01-10, OPS-1)\n"],
    },
    StructureRule {
        id: "structure/action-fields",
        severity: Severity::Warning,
        summary: "an action item lacks an owner, a target date or a ticket",
        help: "An action item without an owner, a target date and a ticket is rarely done. Give each one all three, e.g. `(owner: payments, due 2026-07-01, PAY-12)`.",
        flag: &["## Summary\n\nx. y.\n\n## Action items\n\n- Add a canary stage.\n"],
        pass: &["## Summary\n\nx. y.\n\n## Action items\n\n- Add a canary stage (owner: @amara, due 2026-12-10, CFG-123)\n"],
    },
    StructureRule {
        id: "structure/action-types",
        severity: Severity::Info,
        summary: "the action items do not cover fixing the cause, reducing the blast radius and reducing time to detect / mitigate",
        help: "Balance the action items: fix the immediate cause, reduce the blast radius next time (isolation, canaries, limits), and reduce the time to detect, identify and mitigate (alerts, dashboards, runbooks, rollback tooling).",
        flag: &["## Summary\n\nx. y.\n\n## Action items\n\n- Fix the null check (owner: a, due 2026-01-01, A-1)\n"],
        pass: &["## Summary\n\nx. y.\n\n## Action items\n\n- Fix the null check (owner: a, due 2026-01-01, A-1)\n- Split the pool per caller (owner: a, due 2026-01-01, A-2)\n- Alert on pool saturation (owner: a, due 2026-01-01, A-3)\n"],
    },
    StructureRule {
        id: "structure/late",
        severity: Severity::Info,
        summary: "written more than 7 days after the incident",
        help: "Write the review while memories and logs are fresh, within a week of the incident; a late review reconstructs instead of recalling.",
        flag: &["- Detected: 2026-05-04 10:00 UTC\n- Written: 2026-05-20\n"],
        pass: &["- Detected: 2026-05-04 10:00 UTC\n- Written: 2026-05-06\n"],
    },
];

/// Vocabulary the structure checks use (header field synonyms, event words), from
/// `lexicon/en/structure.toml`.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    compiled: vocab::Compiled,
}

impl Vocabulary {
    /// The built-in vocabulary.
    pub fn builtin() -> Result<Vocabulary, LexiconError> {
        Ok(Vocabulary {
            compiled: vocab::Compiled::parse_builtin()?,
        })
    }

    /// A vocabulary from TOML text in the format of `lexicon/en/structure.toml`.
    pub fn from_toml(file: &str, text: &str) -> Result<Vocabulary, LexiconError> {
        Ok(Vocabulary {
            compiled: vocab::Compiled::parse(file, text)?,
        })
    }
}

/// The result of the structure checks.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The `structure` object of the report.
    pub structure: crate::report::Structure,
    /// The `metrics` object of the report.
    pub metrics: crate::report::Metrics,
    /// `structure/*` findings (line and column are filled in by the caller).
    pub findings: Vec<Finding>,
}

/// Where things are in the document, computed once.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Content range (after the heading) of each section.
    pub section_ranges: Vec<Range<usize>>,
    /// Section kinds, with the `#` title's section read as the preamble.
    pub kinds: Vec<SectionKind>,
    /// The title heading's line.
    pub title: Option<Range<usize>>,
    /// Areas where the header block may be.
    pub header_areas: Vec<Range<usize>>,
    code_blocks: Vec<Range<usize>>,
    comments: Vec<Range<usize>>,
    src_len: usize,
    headings: Vec<Range<usize>>,
}

fn contains(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= pos);
    i > 0 && ranges[i - 1].end > pos
}

impl Layout {
    pub(crate) fn new(doc: &Document<'_>, v: &vocab::Compiled) -> Layout {
        let src = doc.src;
        let n = doc.sections.len();
        let line_of = |r: &Range<usize>| {
            let s = r.start.min(src.len());
            let e = src[s..].find('\n').map_or(src.len(), |i| s + i);
            s..src[..e].trim_end().len().max(s)
        };
        let headings: Vec<Range<usize>> = doc
            .sections
            .iter()
            .map(|s| {
                if s.level == 0 {
                    0..0
                } else {
                    line_of(&s.heading)
                }
            })
            .collect();
        let mut section_ranges = Vec::with_capacity(n);
        for i in 0..n {
            let start = if i == 0 {
                0
            } else {
                doc.sections[i].heading.end.min(src.len())
            };
            let end = doc
                .sections
                .get(i + 1)
                .map_or(src.len(), |s| s.heading.start)
                .max(start);
            section_ranges.push(start..end);
        }
        let title_section = doc.sections.get(1).filter(|s| s.level == 1).map(|_| 1);
        let mut kinds: Vec<SectionKind> = doc.sections.iter().map(|s| s.kind).collect();
        if let Some(t) = title_section {
            // The `#` title names the document, not a section ("# Incident summary: ...").
            kinds[t] = SectionKind::Other;
        }
        let mut header_areas = Vec::new();
        let fm_end = doc.front_matter.as_ref().map_or(0, |fm| {
            src[fm.end..]
                .find('\n')
                .map_or(src.len(), |i| fm.end + i + 1)
                .min(src.len())
        });
        let pre = &section_ranges[0];
        if pre.end > fm_end {
            header_areas.push(fm_end.max(pre.start)..pre.end);
        }
        if let Some(t) = title_section {
            header_areas.push(section_ranges[t].clone());
        }
        for (i, s) in doc.sections.iter().enumerate().skip(1) {
            if Some(i) != title_section
                && v.header_sections
                    .matches(&crate::words::lowercase(&s.title))
            {
                header_areas.push(section_ranges[i].clone());
            }
        }
        let mut code_blocks: Vec<Range<usize>> = doc
            .code
            .iter()
            .filter(|r| src[(*r).clone()].contains('\n'))
            .cloned()
            .collect();
        code_blocks.sort_by_key(|r| r.start);
        let mut comments: Vec<Range<usize>> =
            doc.comments.iter().map(|c| c.range.clone()).collect();
        comments.sort_by_key(|r| r.start);
        Layout {
            section_ranges,
            kinds,
            title: title_section.map(|t| headings[t].clone()),
            header_areas,
            code_blocks,
            comments,
            src_len: src.len(),
            headings,
        }
    }

    /// The effective kind of section `i`.
    pub(crate) fn kind(&self, i: usize) -> SectionKind {
        self.kinds.get(i).copied().unwrap_or(SectionKind::Other)
    }

    /// Whether `pos` is inside a code block.
    pub(crate) fn in_code_block(&self, pos: usize) -> bool {
        contains(&self.code_blocks, pos)
    }

    /// Whether `pos` is inside an HTML comment.
    pub(crate) fn in_comment(&self, pos: usize) -> bool {
        contains(&self.comments, pos)
    }

    /// The heading line of section `i` (the document start for the preamble).
    pub(crate) fn heading_line(&self, i: usize) -> Range<usize> {
        self.headings.get(i).cloned().unwrap_or(0..0)
    }

    /// Where to point a finding about the whole document: the title, else the first line.
    fn top(&self, src: &str) -> Range<usize> {
        if let Some(t) = &self.title {
            return t.clone();
        }
        let start = src.len() - src.trim_start().len();
        let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        start..src[..end].trim_end().len().max(start).min(self.src_len)
    }
}

fn finding(
    rule: usize,
    range: Range<usize>,
    message: String,
    data: Map<String, Value>,
    suggestions: Vec<Suggestion>,
) -> Finding {
    let r = &RULES[rule];
    Finding {
        rule: r.id.into(),
        category: "structure".into(),
        severity: r.severity,
        message: message.into(),
        help: r.help.into(),
        start: range.start,
        end: range.end,
        line: 0,
        column: 0,
        text: String::new(),
        suggestions,
        data,
    }
}

fn data(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn leaf_text(doc: &Document<'_>, leaf: &crate::markdown::Leaf) -> String {
    doc.prose[leaf.norm.clone()].replace(BARRIER as char, "code")
}

/// Counts sentences in the summary sections; `None` when there is no summary.
fn summary_sentences(doc: &Document<'_>, layout: &Layout) -> Option<usize> {
    if !layout.kinds.contains(&SectionKind::Summary) {
        return None;
    }
    let mut n = 0;
    for leaf in &doc.leaves {
        if layout.kind(leaf.section) == SectionKind::Summary
            && leaf.kind != crate::markdown::LeafKind::Heading
            && !leaf.quoted
        {
            n += crate::sentences::count(&leaf_text(doc, leaf));
        }
    }
    Some(n)
}

/// Whether a text of impact names a figure: a percentage, a sum of money, or a count
/// that is not a time, a date or a duration.
fn has_figure(v: &vocab::Compiled, text: &str) -> bool {
    let lower = crate::words::lowercase(text);
    for c in v.number_re.captures_iter(&lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        if c.name("pct").is_some() || c.name("cur").is_some() {
            return true;
        }
        let n = c.name("n").map_or(0..0, |m| m.range());
        let before = lower[..n.start].chars().next_back();
        let after_num = &lower[n.end..];
        if before.is_some_and(|ch| ch == ':' || ch.is_alphabetic() || ch == '-')
            || after_num.starts_with(':')
            || after_num.starts_with('-')
        {
            continue; // a time, a version, an id
        }
        let next_word: String = lower[m.end..]
            .trim_start()
            .chars()
            .take_while(|ch| ch.is_alphanumeric())
            .collect();
        let glued: String = after_num
            .chars()
            .take_while(|ch| ch.is_alphabetic())
            .collect();
        let unit = if glued.is_empty() {
            next_word.clone()
        } else {
            glued
        };
        if v.not_figures.contains(&unit) || v.month(&unit).is_some() {
            continue;
        }
        let prev_word: String = lower[..n.start]
            .trim_end()
            .chars()
            .rev()
            .take_while(|ch| ch.is_alphabetic())
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if v.month(&prev_word).is_some() {
            continue;
        }
        let value: f64 = c["n"].replace(',', "").parse().unwrap_or(0.0);
        if (1900.0..2100.0).contains(&value) && c["n"].len() == 4 {
            continue; // a year
        }
        return true;
    }
    false
}

/// Runs the structure checks when the config and the document call for them.
pub fn analyze(doc: &Document<'_>, vocab: &Vocabulary, config: &Config) -> Option<Analysis> {
    if config.structure == StructureMode::Off {
        return None;
    }
    let v = &vocab.compiled;
    let layout = Layout::new(doc, v);
    let header = header::parse(doc, &layout, v);
    let postmortem_kinds = [
        SectionKind::Summary,
        SectionKind::Timeline,
        SectionKind::Factors,
        SectionKind::Actions,
        SectionKind::WentWell,
        SectionKind::Impact,
    ];
    let recognised = postmortem_kinds
        .iter()
        .filter(|k| layout.kinds.contains(k))
        .count();
    if config.structure == StructureMode::Auto && header.fields.len() < 2 && recognised < 2 {
        return None;
    }
    let th = &config.thresholds;
    let src = doc.src;
    let top = layout.top(src);
    // Room for the findings of a postmortem with many gaps, so they are not copied as the
    // vector grows.
    let mut findings = Vec::with_capacity(16);
    let first_heading = |kind: SectionKind| {
        layout
            .kinds
            .iter()
            .position(|k| *k == kind)
            .map(|i| layout.heading_line(i))
    };

    // Blameless statement near the top: before the end of the first recognised section.
    let first_recognised = layout
        .kinds
        .iter()
        .position(|k| postmortem_kinds.contains(k))
        .unwrap_or(layout.kinds.len());
    let blameless = doc
        .leaves
        .iter()
        .filter(|l| l.section <= first_recognised)
        .any(|l| {
            v.blameless
                .matches(&crate::words::lowercase(&leaf_text(doc, l)))
        });
    if !blameless {
        let statement = v.spec.blameless.statement.trim();
        let (at, replacement) = match (&layout.title, &doc.front_matter) {
            (Some(t), _) => {
                let after = src[t.end..].find('\n').map_or(src.len(), |i| t.end + i + 1);
                (
                    after,
                    if after == src.len() {
                        format!("\n\n{statement}\n")
                    } else {
                        format!("\n{statement}\n")
                    },
                )
            }
            (None, Some(fm)) => {
                let after = src[fm.end..]
                    .find('\n')
                    .map(|i| fm.end + i + 1)
                    .and_then(|p| src[p..].find('\n').map(|i| p + i + 1))
                    .unwrap_or(src.len());
                (after, format!("\n{statement}\n"))
            }
            (None, None) => (0, format!("{statement}\n\n")),
        };
        findings.push(finding(
            R_BLAMELESS,
            top.clone(),
            "no blameless statement near the top: say that the review describes conditions and decisions, not individuals".into(),
            Map::new(),
            vec![Suggestion { replacement, start: at, end: at, safe: false, description: "insert a blameless statement after the title".into() }],
        ));
    }

    // Missing sections.
    let wanted = [
        (
            SectionKind::Summary,
            "summary",
            "Summary",
            "a 2–4 sentence summary a non-engineer can read",
        ),
        (
            SectionKind::Timeline,
            "timeline",
            "Timeline (UTC)",
            "a timeline in UTC, one entry per event",
        ),
        (
            SectionKind::Factors,
            "contributing-factors",
            "Contributing factors",
            "the contributing factors (three or more conditions that combined)",
        ),
        (
            SectionKind::Actions,
            "action-items",
            "Action items",
            "action items, each with an owner, a target date and a ticket",
        ),
        (
            SectionKind::WentWell,
            "what-went-well",
            "What went well",
            "what went well",
        ),
    ];
    let mut sections = Vec::new();
    for (i, s) in doc.sections.iter().enumerate().skip(1) {
        let k = layout.kind(i);
        if k != SectionKind::Other
            && !(i > 1 && layout.kind(i - 1) == k && s.level > doc.sections[i - 1].level)
        {
            sections.push(crate::report::Section {
                kind: k,
                title: s.title.clone(),
            });
        }
    }
    for (kind, name, heading, what) in wanted {
        if !layout.kinds.contains(&kind) {
            findings.push(finding(
                R_MISSING_SECTION,
                top.clone(),
                format!(
                    "no {} section: add `## {heading}` with {what}",
                    name.replace('-', " ")
                ),
                data(&[("section", json!(name))]),
                Vec::new(),
            ));
        }
    }

    // Header fields.
    let header_at = header.range.as_ref().map(|r| {
        let end = src[r.start..r.end]
            .find('\n')
            .map_or(r.end, |i| r.start + i);
        r.start..src[..end].trim_end().len().max(r.start)
    });
    let mut missing_fields = Vec::new();
    for f in &v.spec.header.required {
        let present = match f.as_str() {
            "title" => header.get("title").is_some() || header.title_heading.is_some(),
            "impact" => {
                header.get("impact").is_some() || layout.kinds.contains(&SectionKind::Impact)
            }
            other => header.get(other).is_some(),
        };
        if !present {
            missing_fields.push(f.clone());
            findings.push(finding(
                R_HEADER_FIELD,
                header_at.clone().unwrap_or_else(|| top.clone()),
                format!("the header has no `{}` field", f),
                data(&[("field", json!(f))]),
                Vec::new(),
            ));
        }
    }

    // Timeline and metrics.
    let mut tl = timeline::parse(doc, &layout, v);
    let m = metrics::compute(doc, &layout, v, &header, &mut tl);
    if let (true, Some(stated), Some(computed)) =
        (m.duration_mismatch, m.stated_duration, m.computed_duration)
    {
        if let Some(f) = header.get("duration") {
            let text = time::format_duration(computed);
            findings.push(finding(
                R_DURATION,
                f.range.clone(),
                format!(
                    "the stated duration ({}) disagrees with resolved minus detected ({text})",
                    time::format_duration(stated)
                ),
                data(&[
                    ("stated_min", json!(stated)),
                    ("computed_min", json!(computed)),
                ]),
                vec![Suggestion {
                    replacement: text,
                    start: f.range.start,
                    end: f.range.end,
                    safe: false,
                    description: "state the duration the detected and resolved times give".into(),
                }],
            ));
        }
    }

    // Impact.
    let impact_text: Option<(String, Range<usize>)> = header
        .get("impact")
        .map(|f| (f.value.clone(), f.range.clone()))
        .or_else(|| {
            let i = layout
                .kinds
                .iter()
                .position(|k| *k == SectionKind::Impact)?;
            let text: String = doc
                .leaves
                .iter()
                .filter(|l| {
                    layout.kind(l.section) == SectionKind::Impact
                        && l.kind != crate::markdown::LeafKind::Heading
                })
                .map(|l| leaf_text(doc, l))
                .collect::<Vec<_>>()
                .join(" ");
            Some((text, layout.heading_line(i)))
        });
    let impact_quantified = impact_text.as_ref().map(|(t, _)| has_figure(v, t));
    if let (Some(false), Some((_, r))) = (impact_quantified, &impact_text) {
        findings.push(finding(
            R_IMPACT,
            r.clone(),
            "the customer impact gives no figure: say how many requests failed, users were affected, or what share of traffic".into(),
            Map::new(),
            Vec::new(),
        ));
    }

    // Summary.
    let sentences = summary_sentences(doc, &layout);
    if let Some(n) = sentences {
        if n < th.summary_min || n > th.summary_max {
            findings.push(finding(
                R_SUMMARY,
                first_heading(SectionKind::Summary).unwrap_or_else(|| top.clone()),
                format!(
                    "the summary has {n} sentence{}; write {}–{} a non-engineer can read",
                    if n == 1 { "" } else { "s" },
                    th.summary_min,
                    th.summary_max
                ),
                data(&[
                    ("sentences", json!(n)),
                    ("min", json!(th.summary_min)),
                    ("max", json!(th.summary_max)),
                ]),
                Vec::new(),
            ));
        }
    }

    // Timeline checks.
    let tl_utc = tl.utc();
    let tl_12h = tl.twelve_hour();
    let out_of_order = tl.entries.iter().any(|e| e.out_of_order);
    if !tl.entries.is_empty() {
        let at = tl.heading.clone().unwrap_or_else(|| top.clone());
        if !tl_utc {
            let zones = tl.zone_names();
            let unzoned = tl.entries.iter().any(|e| e.zone.is_none());
            let message = if zones.is_empty() {
                "timeline times carry no zone: write them in UTC and say so in the heading (`## Timeline (UTC)`)".to_string()
            } else if zones.len() > 1 || unzoned {
                format!(
                    "the timeline mixes zones ({}{}): convert every entry to UTC",
                    zones.join(", "),
                    if unzoned {
                        ", and entries without one"
                    } else {
                        ""
                    }
                )
            } else {
                format!(
                    "the timeline is in {}, not UTC: convert the entries to UTC",
                    zones[0]
                )
            };
            findings.push(finding(
                R_TZ,
                at,
                message,
                data(&[("zones", json!(zones))]),
                Vec::new(),
            ));
        }
        if let Some(e) = tl.entries.iter().find(|e| e.stamp.ampm) {
            let minute = e.stamp.minute.unwrap_or(0);
            findings.push(finding(
                R_12H,
                e.range.clone(),
                format!(
                    "12-hour time in the timeline: write 24-hour times ({:02}:{:02})",
                    minute / 60,
                    minute % 60
                ),
                Map::new(),
                Vec::new(),
            ));
        }
        for e in tl.entries.iter().filter(|e| e.out_of_order) {
            findings.push(finding(R_ORDER, e.range.clone(), "this timeline entry is earlier than the one before it: keep the timeline in time order".into(), Map::new(), Vec::new()));
        }
    }

    // Contributing factors.
    let (factors_present, factor_items, factors_prose) =
        items::section_items(doc, &layout, SectionKind::Factors, true);
    let factor_count = if factors_prose { 1 } else { factor_items.len() };
    // A prose-only section is one factor: classify its text as a whole.
    let joined;
    let factor_list = items::factors(
        if factors_prose {
            joined = [items::SectionItem {
                text: factor_items
                    .iter()
                    .map(|i| i.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                range: factor_items[0].range.clone(),
                row: None,
            }];
            &joined[..]
        } else {
            &factor_items
        },
        v,
    );
    if factors_present && (factor_count < th.factors_min || factor_count > th.factors_max) {
        let idx = layout
            .kinds
            .iter()
            .position(|k| *k == SectionKind::Factors)
            .unwrap_or(0);
        let title = crate::words::lowercase(&doc.sections[idx].title);
        let message = if factor_count == 1 && (title.contains("root cause") || factors_prose) {
            "a single root cause: incidents have several contributing factors; list the conditions that combined (code, tests, deploy practice, monitoring, runbooks, dependencies, pressure)".to_string()
        } else if factor_count < th.factors_min {
            format!("{factor_count} contributing factor{}: look for at least {} conditions that combined", if factor_count == 1 { "" } else { "s" }, th.factors_min)
        } else {
            format!(
                "{factor_count} contributing factors: group them into at most {}",
                th.factors_max
            )
        };
        let kinds_seen: HashSet<&str, foldhash::fast::RandomState> =
            factor_list.iter().map(|f| f.kind.as_str()).collect();
        let unconsidered: Vec<&String> = v
            .spec
            .factors
            .order
            .iter()
            .filter(|k| !kinds_seen.contains(k.as_str()))
            .collect();
        findings.push(finding(
            R_FACTORS,
            layout.heading_line(idx),
            message,
            data(&[
                ("count", json!(factor_count)),
                ("min", json!(th.factors_min)),
                ("max", json!(th.factors_max)),
                ("kinds_not_considered", json!(unconsidered)),
            ]),
            Vec::new(),
        ));
    }

    // Action items.
    let (actions_present, action_items, _) =
        items::section_items(doc, &layout, SectionKind::Actions, false);
    let actions = items::actions(doc, &action_items, v);
    let (mut no_owner, mut no_date, mut no_ticket) = (0, 0, 0);
    if actions_present {
        let at = first_heading(SectionKind::Actions).unwrap_or_else(|| top.clone());
        if actions.len() < th.actions_min || actions.len() > th.actions_max {
            let message = if actions.is_empty() {
                "no action items: list the changes that will make this less likely or less harmful"
                    .to_string()
            } else if actions.len() < th.actions_min {
                format!(
                    "{} action items: at least {} expected",
                    actions.len(),
                    th.actions_min
                )
            } else {
                format!(
                    "{} action items: keep at most {} and record the decision not to do the rest",
                    actions.len(),
                    th.actions_max
                )
            };
            findings.push(finding(
                R_ACTION_COUNT,
                at.clone(),
                message,
                data(&[
                    ("count", json!(actions.len())),
                    ("min", json!(th.actions_min)),
                    ("max", json!(th.actions_max)),
                ]),
                Vec::new(),
            ));
        }
        for a in &actions {
            let mut missing = Vec::new();
            if a.owner.is_none() {
                no_owner += 1;
                missing.push("owner");
            }
            if a.date.is_none() {
                no_date += 1;
                missing.push("date");
            }
            if a.ticket.is_none() {
                no_ticket += 1;
                missing.push("ticket");
            }
            if !missing.is_empty() {
                findings.push(finding(
                    R_ACTION_FIELDS,
                    a.range.clone(),
                    ["this action item has no ", &join_and(&missing)].concat(),
                    data(&[("missing", json!(missing))]),
                    Vec::new(),
                ));
            }
        }
        if !actions.is_empty() {
            let covered: HashSet<&str, foldhash::fast::RandomState> = actions
                .iter()
                .flat_map(|a| a.kinds.iter().map(String::as_str))
                .collect();
            let missing: Vec<&str> = ["fix", "blast-radius", "detection"]
                .into_iter()
                .filter(|k| !covered.contains(k))
                .collect();
            if !missing.is_empty() {
                let names: Vec<&str> = missing
                    .iter()
                    .map(|k| match *k {
                        "fix" => "fix the immediate cause",
                        "blast-radius" => "reduce the blast radius",
                        _ => "reduce the time to detect, identify or mitigate",
                    })
                    .collect();
                findings.push(finding(
                    R_ACTION_TYPES,
                    at,
                    format!("no action item to {}", join_and(&names)),
                    data(&[("missing", json!(missing))]),
                    Vec::new(),
                ));
            }
        }
    }

    // Late.
    if let (Some(days), Some(f)) = (m.days_to_write, header.get("written")) {
        if days > th.late_days {
            findings.push(finding(
                R_LATE,
                f.range.clone(),
                format!(
                    "written {days} days after the incident: write the review within {} days",
                    th.late_days
                ),
                data(&[("days", json!(days)), ("max", json!(th.late_days))]),
                Vec::new(),
            ));
        }
    }

    let what_went_well = layout.kinds.contains(&SectionKind::WentWell);
    let structure = crate::report::Structure {
        blameless_statement: blameless,
        header_fields_missing: missing_fields,
        duration_mismatch: m.duration_mismatch,
        summary_sentences: sentences,
        timeline_entries: tl.present.then_some(tl.entries.len()),
        timeline_utc: tl_utc,
        timeline_12h: tl_12h,
        timeline_out_of_order: out_of_order,
        contributing_factors: factors_present.then_some(factor_count),
        action_items: actions_present.then_some(actions.len()),
        action_items_missing_owner: actions_present.then_some(no_owner),
        action_items_missing_date: actions_present.then_some(no_date),
        action_items_missing_ticket: actions_present.then_some(no_ticket),
        what_went_well,
        days_to_write: m.days_to_write,
        impact_quantified,
        sections,
        timeline_zones: tl.zone_names(),
        factors: factor_list,
        actions: actions
            .into_iter()
            .map(|a| crate::report::ActionItem {
                date: a.date,
                kinds: a.kinds,
                owner: a.owner,
                text: a.text,
                ticket: a.ticket,
            })
            .collect(),
    };
    Some(Analysis {
        structure,
        metrics: m.report(),
        findings,
    })
}

fn join_and(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [a] => a.to_string(),
        [a, b] => [a, " or ", b].concat(),
        [rest @ .., last] => [&rest.join(", "), ", or ", last].concat(),
    }
}

/// People named in the document: timeline actors, authors and owners, handles.
/// Returns candidate words as written; the caller filters out known non-names.
pub fn harvest_names(doc: &Document<'_>, _vocab: &Vocabulary) -> WordSet {
    let mut names: WordSet = WordSet::default();
    for leaf in &doc.leaves {
        if doc.section_kind(leaf.section) != SectionKind::Timeline {
            continue;
        }
        if let Some(name) = timeline_actor(&doc.prose[leaf.norm.clone()]) {
            names.insert(name.to_string());
        }
    }
    names
}

/// The end of the run of bytes from `i` that are spaces, `-`, `—` or `–`, and with
/// `digits` also ASCII digits and `:` (a stamp and the dash after it).
fn stamp_run_end(b: &[u8], mut i: usize, digits: bool) -> usize {
    loop {
        match b.get(i) {
            Some(b' ' | b'-') => i += 1,
            Some(c) if digits && (c.is_ascii_digit() || *c == b':') => i += 1,
            // `—` and `–`: E2 80 94 and E2 80 93.
            Some(0xE2)
                if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94)) =>
            {
                i += 3
            }
            _ => return i,
        }
    }
}

/// The first word of `s` and the rest of `s` from the start of its second word, as
/// [`str::split_whitespace`] would find them; `None` if `s` has fewer than two words.
fn two_words(s: &str) -> Option<(&str, &str)> {
    let start = owner::spaces_end(s, 0);
    let end = s[start..]
        .find(char::is_whitespace)
        .map_or(s.len(), |k| start + k);
    let second = owner::spaces_end(s, end);
    (end > start && second < s.len()).then(|| (&s[start..end], &s[second..]))
}

/// The actor of a timeline line ("09:12 Åsa hands ...", "09:12 — Åsa: ..."): a
/// capitalised word after the time, lowercase after its first letter, and followed by a
/// word that starts in lowercase (a verb).
fn timeline_actor(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let rest = &text[stamp_run_end(b, 0, true)..];
    let rest = rest
        .strip_prefix("UTC")
        .or_else(|| rest.strip_prefix("Z"))
        .unwrap_or(rest);
    let rest = &rest[stamp_run_end(rest.as_bytes(), 0, false)..];
    let (first, second) = two_words(rest)?;
    let first = first.trim_end_matches([':', ',']);
    let mut chars = first.chars();
    let cap = chars.next().is_some_and(char::is_uppercase);
    // `chars` now holds the rest of the word: at least one more character, all lowercase.
    let mut more = false;
    let rest_lower = chars.all(|c| {
        more = true;
        c.is_lowercase() || c == '\'' || c == '-'
    });
    let verb_like = second.chars().next().is_some_and(char::is_lowercase);
    (cap && more && rest_lower && verb_like).then_some(first)
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::vocab::{Compiled, BUILTIN_STRUCTURE};
    use crate::markdown::Document;

    pub fn vocab() -> Compiled {
        Compiled::parse("structure.toml", BUILTIN_STRUCTURE).unwrap()
    }

    pub fn doc_of(src: &str) -> Document<'_> {
        let words =
            crate::lexicon::parse_words("words.toml", crate::lexicon::BUILTIN_WORDS).unwrap();
        let sets = crate::words::WordSets::new(&words, &[]);
        crate::markdown::parse_with(src, &sets.section_matcher)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`timeline_actor`] as it was first written, with `char` searches: its reference.
    fn timeline_actor_by_chars(text: &str) -> Option<&str> {
        let rest = text.trim_start_matches(|c: char| {
            c.is_ascii_digit() || c == ':' || c == ' ' || c == '—' || c == '-' || c == '–'
        });
        let rest = rest
            .strip_prefix("UTC")
            .or_else(|| rest.strip_prefix("Z"))
            .unwrap_or(rest)
            .trim_start_matches([' ', '—', '-', '–']);
        let mut words = rest.split_whitespace();
        let (first, second) = (words.next()?, words.next()?);
        let first = first.trim_end_matches([':', ',']);
        let cap = first.chars().next().is_some_and(char::is_uppercase);
        let rest_lower = first
            .chars()
            .skip(1)
            .all(|c| c.is_lowercase() || c == '\'' || c == '-');
        let verb_like = second.chars().next().is_some_and(char::is_lowercase);
        (cap && rest_lower && verb_like && first.chars().count() > 1).then_some(first)
    }

    #[test]
    fn timeline_actors() {
        assert_eq!(timeline_actor("09:12 Åsa hands over"), Some("Åsa"));
        assert_eq!(
            timeline_actor("09:12 UTC — Dana: paged the on-call"),
            Some("Dana")
        );
        assert_eq!(timeline_actor("09:12Z – O'neil rolls back"), Some("O'neil"));
        assert_eq!(timeline_actor("09:12 A starts"), None);
        assert_eq!(timeline_actor("09:12 Dana"), None);
        assert_eq!(timeline_actor("09:12 Dana Rolls"), None);
        assert_eq!(timeline_actor("09:12 DANA rolls"), None);
        assert_eq!(timeline_actor("09:12 the deploy starts"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The byte-level actor reader finds what the `char` searches found.
        #[test]
        fn timeline_actors_agree_with_char_searches(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "09", ":", "12", " ", "  ", "-", "—", "–", "−", "UTC", "Z", "Zo", "utc", "Åsa",
                "dana", "Dana", "DANA", "O'", "neil", "x", "É", ",", ":", "\t", "\u{a0}", "\u{2003}",
                "rolls", "Rolls", "é", "a-b", "٣", "ǅ", "ß", "1",
            ]), 0..10),
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(timeline_actor(&text), timeline_actor_by_chars(&text), "{:?}", text);
        }
    }

    #[test]
    fn figures_of_impact() {
        let v = tests_support::vocab();
        assert!(has_figure(
            &v,
            "2,950 business customers received two invoices"
        ));
        assert!(has_figure(&v, "about 14% of new delivery addresses"));
        assert!(has_figure(&v, "an estimated $212,000 in orders"));
        assert!(!has_figure(
            &v,
            "Password-reset emails delayed by up to 2 hours"
        ));
        assert!(!has_figure(
            &v,
            "Dashboards showed no data for 1 February until mid-morning"
        ));
        assert!(!has_figure(&v, "some users could not log in at 10:05"));
    }

    #[test]
    fn lone_paragraph_gets_nothing() {
        let doc =
            tests_support::doc_of("We moved the reporting stack to streaming. It went well.\n");
        let vocab = Vocabulary::builtin().unwrap();
        assert!(analyze(&doc, &vocab, &Config::default()).is_none());
    }
}
