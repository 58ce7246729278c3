//! Postmortem structure: the skeleton checks (`structure/*`) and the incident metrics.

use crate::config::{Config, StructureMode};
use crate::lexicon::{LexiconError, SectionKind};
use crate::markdown::Document;
use crate::report::{Finding, Severity};
use std::collections::HashSet;

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

/// Every structure rule.
pub static RULES: &[StructureRule] = &[];

/// Vocabulary the structure checks use (header field synonyms, event words).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {}

impl Vocabulary {
    /// The built-in vocabulary.
    pub fn builtin() -> Result<Vocabulary, LexiconError> {
        Ok(Vocabulary {})
    }
}

/// The result of the structure checks.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The `structure` object of the report.
    pub structure: serde_json::Value,
    /// The `metrics` object of the report.
    pub metrics: serde_json::Value,
    /// `structure/*` findings (line and column are filled in by the caller).
    pub findings: Vec<Finding>,
}

/// Runs the structure checks when the config and the document call for them.
pub fn analyze(doc: &Document<'_>, _vocab: &Vocabulary, config: &Config) -> Option<Analysis> {
    let looks_like_postmortem = doc.sections.iter().filter(|s| s.kind != SectionKind::Other && s.kind != SectionKind::Preamble).count() >= 2;
    match config.structure {
        StructureMode::Off => None,
        StructureMode::Auto if !looks_like_postmortem => None,
        _ => None,
    }
}

/// People named in the document: timeline actors, authors and owners, handles.
/// Returns candidate words as written; the caller filters out known non-names.
pub fn harvest_names(doc: &Document<'_>, _vocab: &Vocabulary) -> HashSet<String> {
    let mut names: HashSet<String> = HashSet::new();
    for leaf in &doc.leaves {
        if doc.section_kind(leaf.section) != SectionKind::Timeline {
            continue;
        }
        let text = &doc.prose[leaf.norm.clone()];
        // "09:12 Åsa hands ..." / "09:12 — Åsa: ..."
        let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == ' ' || c == '—' || c == '-' || c == '–');
        let rest = rest.strip_prefix("UTC").or_else(|| rest.strip_prefix("Z")).unwrap_or(rest).trim_start_matches([' ', '—', '-', '–']);
        let mut words = rest.split_whitespace();
        if let (Some(first), Some(second)) = (words.next(), words.next()) {
            let first = first.trim_end_matches([':', ',']);
            let cap = first.chars().next().is_some_and(char::is_uppercase);
            let rest_lower = first.chars().skip(1).all(|c| c.is_lowercase() || c == '\'' || c == '-');
            let verb_like = second.chars().next().is_some_and(char::is_lowercase);
            if cap && rest_lower && verb_like && first.chars().count() > 1 {
                names.insert(first.to_string());
            }
        }
    }
    names
}
