//! The output types: [`Finding`], [`Suggestion`], [`Report`] and friends.

use serde::Serialize;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

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

/// An immutable string that findings share (cloning one copies a pointer, not the text).
/// It reads as a `str`: it derefs to one, compares with `&str` and `String`, prints and
/// serializes as one.
///
/// ```
/// use unblame::{Config, Linter};
/// let linter = Linter::new(Config::default()).unwrap();
/// let report = linter.lint("Human error caused the outage.");
/// let f = &report.findings[0];
/// assert_eq!(f.rule, "human-error/label");
/// assert!(f.rule.starts_with("human-error/"));
/// let id: &str = &f.rule;
/// assert_eq!(id, f.rule.as_str());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> String {
        s.as_str().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem found in a document.
///
/// The texts a rule gives every finding (`rule`, `category`, `help`, and `message` when
/// it does not quote the flagged text) are [`SharedStr`]s: shared with the
/// [`Linter`](crate::Linter), not copied per finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id, `<category>/<name>`.
    pub rule: SharedStr,
    /// Category, the part of the rule id before the slash.
    pub category: SharedStr,
    /// Severity after config overrides.
    pub severity: Severity,
    /// One line: what is wrong here.
    pub message: SharedStr,
    /// Why it harms learning and how to rewrite it.
    pub help: SharedStr,
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
    pub structure: Option<Structure>,
    /// Incident metrics derived from the header and timeline, when structure checks ran.
    pub metrics: Option<Metrics>,
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

/// The postmortem skeleton, as found in the document (`report.structure`).
///
/// A count that cannot be determined (its section is absent) is `None`, serialised as
/// `null`. Fields are declared in alphabetical order, the order of the JSON keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Structure {
    /// Number of action items, or `None` without an action items section.
    pub action_items: Option<usize>,
    /// Action items without a target date.
    pub action_items_missing_date: Option<usize>,
    /// Action items without an owner.
    pub action_items_missing_owner: Option<usize>,
    /// Action items without a ticket.
    pub action_items_missing_ticket: Option<usize>,
    /// Each action item as read.
    pub actions: Vec<ActionItem>,
    /// Whether a blameless statement appears near the top.
    pub blameless_statement: bool,
    /// Number of contributing factors (a prose-only section counts as one), or `None`
    /// without that section.
    pub contributing_factors: Option<usize>,
    /// Days from the incident to the document's date, when both are known.
    pub days_to_write: Option<i64>,
    /// Whether the stated duration disagrees with resolved minus detected.
    pub duration_mismatch: bool,
    /// Each contributing factor with its kind.
    pub factors: Vec<Factor>,
    /// Required header fields that were not found.
    pub header_fields_missing: Vec<String>,
    /// Whether the impact gives a figure; `None` when there is no impact text.
    pub impact_quantified: Option<bool>,
    /// The recognised sections, in document order.
    pub sections: Vec<Section>,
    /// Sentences in the summary, or `None` without a summary.
    pub summary_sentences: Option<usize>,
    /// Whether the timeline uses a 12-hour clock (am/pm).
    pub timeline_12h: bool,
    /// Number of timeline entries, or `None` without a timeline.
    pub timeline_entries: Option<usize>,
    /// Whether some timeline entry is earlier than the one before it.
    pub timeline_out_of_order: bool,
    /// Whether every timeline entry is in UTC.
    pub timeline_utc: bool,
    /// The time zones the timeline names.
    pub timeline_zones: Vec<String>,
    /// Whether there is a "what went well" section.
    pub what_went_well: bool,
}

/// One recognised section of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// What the section is (`summary`, `timeline`, `contributing-factors`, ...).
    pub kind: crate::lexicon::SectionKind,
    /// The heading's text.
    pub title: String,
}

/// One contributing factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    /// The kind of condition it describes (from the structure vocabulary).
    pub kind: String,
    /// The factor's text.
    pub text: String,
}

/// One action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// The target date, as written.
    pub date: Option<String>,
    /// What the item does: fix the immediate cause, reduce the blast radius, reduce the
    /// time to detect / identify / mitigate, ...
    pub kinds: Vec<String>,
    /// The owner, as written.
    pub owner: Option<String>,
    /// The item's text.
    pub text: String,
    /// The ticket, as written.
    pub ticket: Option<String>,
}

/// Incident metrics derived from the header and the timeline (`report.metrics`), in
/// minutes; a value that cannot be determined is `None` (`null`), never a guess.
///
/// Times are ISO 8601 in UTC where the date and zone are known, `"HH:MM"` where only the
/// time is. Fields are declared in alphabetical order, the order of the JSON keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// When the incident was detected.
    pub detected: Option<String>,
    /// Resolved minus detected, or the stated duration when that cannot be computed.
    pub duration_min: Option<i64>,
    /// The duration the header states.
    pub duration_stated_min: Option<i64>,
    /// When the cause was identified.
    pub identified: Option<String>,
    /// When the impact started.
    pub impact_start: Option<String>,
    /// When the impact stopped growing.
    pub mitigated: Option<String>,
    /// When the incident was resolved.
    pub resolved: Option<String>,
    /// From the start of impact to detection.
    pub time_to_detect_min: Option<i64>,
    /// From detection to the first entry naming the cause.
    pub time_to_identify_min: Option<i64>,
    /// From detection to mitigation.
    pub time_to_mitigate_min: Option<i64>,
}
