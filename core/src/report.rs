//! The output types: [`Finding`], [`Suggestion`], [`Report`] and friends.

use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hint; never fails a CI gate on its own unless configured.
    Info,
    /// Language or structure that should change before the review is published.
    Warning,
    /// Language that assigns blame or punishment outright.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`) and `error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A proposed edit: replace `start..end` (UTF-8 byte offsets) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The text to put in place of the range.
    pub replacement: String,
    /// Start of the replaced range, in bytes.
    pub start: usize,
    /// End of the replaced range, in bytes.
    pub end: usize,
    /// `true` when the edit is mechanical and keeps the meaning, so `--fix` may apply it.
    pub safe: bool,
    /// One line saying what the edit does.
    pub description: String,
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id, `<category>/<name>`.
    pub rule: String,
    /// Category, the part of the rule id before the slash.
    pub category: String,
    /// Severity after config overrides.
    pub severity: Severity,
    /// One line: what is wrong here.
    pub message: String,
    /// Why it harms learning and how to rewrite it.
    pub help: String,
    /// Start of the flagged span, in UTF-8 bytes.
    pub start: usize,
    /// End of the flagged span, in UTF-8 bytes.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, counted in Unicode scalar values.
    pub column: usize,
    /// The flagged text, `source[start..end]`.
    pub text: String,
    /// Proposed edits, safest first.
    pub suggestions: Vec<Suggestion>,
    /// Rule-specific extras; an empty object when there are none.
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// The result of linting one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Findings sorted by `start`, then by rule id.
    pub findings: Vec<Finding>,
    /// The postmortem skeleton, when structure checks ran.
    pub structure: Option<serde_json::Value>,
    /// Incident metrics derived from the header and timeline, when structure checks ran.
    pub metrics: Option<serde_json::Value>,
}

impl Report {
    /// `true` when nothing was found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The edits that `--fix` applies: the first suggestion of each finding, if it is
    /// safe (or any first suggestion when `unsafe_fixes` is set).
    pub fn fixes(&self, unsafe_fixes: bool) -> Vec<&Suggestion> {
        self.findings
            .iter()
            .filter_map(|f| f.suggestions.first())
            .filter(|s| s.safe || unsafe_fixes)
            .collect()
    }
}
