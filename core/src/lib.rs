//! # unblame
//!
//! Finds the language and the structure that turn an incident postmortem into a blame
//! document — a person framed as the cause, hindsight ("should have"), loaded words,
//! "human error", a single root cause, punitive or vague action items, a missing
//! skeleton — and offers blameless rewrites.
//!
//! Build a [`Linter`] once (it compiles the lexicon) and lint as many documents as you
//! like, from as many threads as you like:
//!
//! ```
//! use unblame::{Config, Linter};
//!
//! let linter = Linter::new(Config::default()).unwrap();
//! let report = linter.lint("Dana should have checked the replica lag before the failover.");
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "counterfactual/should-have");
//! assert_eq!(finding.text, "should have");
//! assert_eq!(finding.suggestions[0].replacement, "did not check");
//!
//! // A system as the subject is not blame.
//! assert!(linter.lint("The health check failed to connect to the replica.").is_clean());
//! ```
//!
//! Offsets are UTF-8 byte offsets; [`offsets::OffsetMap`] converts them to code points
//! (Python) or UTF-16 units (JavaScript) in one pass. Safe suggestions can be applied
//! with [`Linter::fix`] or [`apply_edits`].

#![warn(missing_docs)]

pub mod config;
mod fix;
mod judge;
pub mod lexicon;
pub mod markdown;
pub mod offsets;
mod report;
mod scan;
mod sentences;
pub mod structure;
mod suppress;
pub mod words;

pub use config::{Config, ConfigError, StructureMode, Thresholds};
pub use fix::{apply_edits, match_case};
pub use lexicon::{LexiconError, Rule, SectionKind};
pub use report::{
    ActionItem, Factor, Finding, Metrics, Report, Section, Severity, SharedStr, Structure,
    Suggestion,
};

use judge::{accepts, leaf_is_judged, Hit, LeafCtx};
use std::fmt;
use words::{WordSet, WordSets};

/// Anything that stops a [`Linter`] from being built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The configuration is invalid; the error names the key.
    Config(ConfigError),
    /// A lexicon file is invalid; the error names the file and the entry.
    Lexicon(LexiconError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => e.fmt(f),
            Error::Lexicon(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<LexiconError> for Error {
    fn from(e: LexiconError) -> Self {
        Error::Lexicon(e)
    }
}

/// The largest document [`Linter::try_lint`] accepts: 64 MiB of UTF-8.
///
/// Linting is linear in the size of the document, but a report holds copies of the
/// flagged text and the structure model, and a browser tab or an editor worker has far
/// less memory than a CI machine. Front ends that take documents from untrusted or
/// unknown sources (the Python and JS bindings, the CLI on stdin) should call
/// [`Linter::try_lint`], which refuses a larger document with
/// [`LintError::TooLarge`] instead of silently linting part of it.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// Why [`Linter::try_lint`] refused a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintError {
    /// The document is larger than the limit.
    TooLarge {
        /// The document's size in UTF-8 bytes.
        bytes: usize,
        /// The limit, [`MAX_DOCUMENT_BYTES`].
        limit: usize,
    },
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintError::TooLarge { bytes, limit } => write!(
                f,
                "document is too large to lint: {bytes} bytes, the limit is {limit} bytes ({} MiB)",
                limit / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for LintError {}

/// What `unblame rules` lists about a rule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleInfo {
    /// `<category>/<name>`.
    pub id: String,
    /// The category.
    pub category: String,
    /// Default severity (after config overrides).
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Why it matters and how to rewrite.
    pub help: String,
    /// Examples it flags.
    pub flag: Vec<String>,
    /// Examples it passes.
    pub pass: Vec<String>,
    /// Whether it has an automatic fix and whether that fix is safe: "safe", "unsafe" or "none".
    pub fix: String,
}

/// Rules about the suppression comments themselves.
const SUPPRESSION_RULES: [(&str, &str, &str); 2] = [
    (
        "suppression/unused",
        "an unblame-disable comment that suppresses nothing",
        "A suppression comment that no longer matches any finding hides future findings for no reason. Remove it, or narrow it to the rule it was meant for.",
    ),
    (
        "suppression/unknown-rule",
        "an unblame-disable comment names a rule or category that does not exist",
        "Name rules by id (`counterfactual/should-have`) or by category (`counterfactual`); `unblame rules` lists them.",
    ),
];

/// The compiled lexicon and configuration. Build once, lint many documents; `Send + Sync`.
pub struct Linter {
    config: Config,
    rules: Vec<Rule>,
    /// Per rule: its word lists with their searchers built.
    needles: Vec<judge::RuleNeedles>,
    /// Per rule: the texts its findings share (id, category, message, help).
    texts: Vec<RuleText>,
    enabled: Vec<bool>,
    severity: Vec<Severity>,
    scanner: scan::Scanner,
    /// For each scanner pattern: the rules that own that trigger.
    owners: Vec<Vec<u32>>,
    words: WordSets,
    allow: Vec<String>,
    structure: structure::Vocabulary,
}

impl fmt::Debug for Linter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Linter")
            .field("rules", &self.rules.len())
            .field("config", &self.config)
            .finish()
    }
}

/// The texts a rule gives its findings, built once and shared by them: its id, category
/// and help (trimmed), and its message, whole when it has no `{text}` placeholder, else
/// cut at the placeholders.
struct RuleText {
    id: SharedStr,
    category: SharedStr,
    message: Vec<String>,
    whole_message: Option<SharedStr>,
    help: SharedStr,
}

impl RuleText {
    fn new(rule: &Rule) -> RuleText {
        let message: Vec<String> = rule
            .spec
            .message
            .split("{text}")
            .map(String::from)
            .collect();
        RuleText {
            id: rule.id.as_str().into(),
            category: rule.category.as_str().into(),
            whole_message: (message.len() == 1).then(|| message[0].as_str().into()),
            message,
            help: rule.spec.help.trim().into(),
        }
    }

    /// The message with `text` in place of each `{text}`.
    fn message(&self, text: &str) -> SharedStr {
        if let Some(m) = &self.whole_message {
            return m.clone();
        }
        let len = self.message.iter().map(String::len).sum::<usize>()
            + text.len() * (self.message.len() - 1);
        let mut out = String::with_capacity(len);
        for (i, part) in self.message.iter().enumerate() {
            if i > 0 {
                out.push_str(text);
            }
            out.push_str(part);
        }
        out.into()
    }
}

/// Sorts findings by span and rule, then in the order the checks found them (a stable
/// sort). A postmortem's few findings are sorted in place with that order as the last key,
/// kept in `line` (which [`Linter::lint`] sets afterwards), without the buffer the stable
/// sort takes; a long document's many, which come in long sorted runs, by the stable sort,
/// which merges runs.
fn sort_findings(findings: &mut [Finding]) {
    let by_span =
        |a: &Finding, b: &Finding| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule));
    if findings.len() <= 64 {
        for (i, f) in findings.iter_mut().enumerate() {
            f.line = i;
        }
        findings.sort_unstable_by(|a, b| by_span(a, b).then(a.line.cmp(&b.line)));
    } else {
        findings.sort_by(by_span);
    }
}

fn trigger_variants(t: &str) -> Vec<String> {
    let t = t.trim().to_lowercase();
    let mut out = vec![t.clone()];
    if t.contains('-') {
        out.push(t.replace('-', " "));
    }
    out
}

impl Linter {
    /// Builds a linter from the built-in lexicon and `config`.
    pub fn new(config: Config) -> Result<Linter, Error> {
        Linter::with_lexicons(config, &[])
    }

    /// Builds a linter with extra lexicon files, given as (file name, TOML text); the
    /// front end reads the files named by `config.extra_lexicons`.
    pub fn with_lexicons(config: Config, extra: &[(String, String)]) -> Result<Linter, Error> {
        let mut rules = Vec::new();
        // The built-in files are read from their JSON form (see `core/build.rs`).
        for (file, json) in lexicon::builtin_json::RULE_FILES {
            rules.extend(lexicon::builtin_rules(file, json)?);
        }
        let mut triggers: usize = rules.iter().map(|r: &Rule| r.spec.triggers.len()).sum();
        for (file, text) in extra {
            let parsed = lexicon::parse_rules(file, text)?;
            triggers += parsed.iter().map(|r| r.spec.triggers.len()).sum::<usize>();
            if triggers > lexicon::MAX_TRIGGERS {
                return Err(LexiconError {
                    file: file.clone(),
                    entry: None,
                    message: format!(
                        "too many triggers: with this file the lexicons have {triggers}, the limit is {}",
                        lexicon::MAX_TRIGGERS
                    ),
                }
                .into());
            }
            for rule in parsed {
                if let Some(pos) = rules.iter().position(|r: &Rule| r.id == rule.id) {
                    rules[pos] = rule; // a user file may override a built-in rule
                } else {
                    rules.push(rule);
                }
            }
        }
        let mut words_spec: lexicon::Words =
            lexicon::from_builtin_json("words.toml", lexicon::builtin_json::WORDS)?;
        let names: lexicon::NamesFile =
            lexicon::from_builtin_json("names.toml", lexicon::builtin_json::NAMES)?;
        words_spec.given_names.extend(names.given_names);
        let words = WordSets::new(&words_spec, &config.names);
        let structure = structure::Vocabulary::builtin()?;

        // Validate rule references in the config.
        let known = |id: &str| {
            rules.iter().any(|r| r.id == id || r.category == id)
                || structure::RULES.iter().any(|r| r.id == id)
                || id == "structure"
                || id == "suppression"
                || SUPPRESSION_RULES.iter().any(|r| r.0 == id)
        };
        for (key, list) in [("select", &config.select), ("ignore", &config.ignore)] {
            for id in list {
                if !known(id) {
                    return Err(ConfigError::new(
                        key,
                        format!("unknown rule or category `{id}` (see `unblame rules`)"),
                    )
                    .into());
                }
            }
        }
        for id in config.severity.keys() {
            if !known(id) {
                return Err(
                    ConfigError::new(format!("severity.{id}"), "unknown rule or category").into(),
                );
            }
        }
        let t = &config.thresholds;
        if t.summary_min > t.summary_max
            || t.factors_min > t.factors_max
            || t.actions_min > t.actions_max
        {
            return Err(
                ConfigError::new("thresholds", "a minimum is larger than its maximum").into(),
            );
        }

        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (ri, rule) in rules.iter().enumerate() {
            for trig in &rule.spec.triggers {
                for v in trigger_variants(trig) {
                    // The scan reads an ASCII-lowercased copy of the prose (see
                    // `phrase_findings`): lowercase patterns need no case-insensitive
                    // automaton, which has twice the transitions to build.
                    let v = v.to_ascii_lowercase();
                    let pi = *index.entry(v.clone()).or_insert_with(|| {
                        patterns.push(v);
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    if !owners[pi].contains(&(ri as u32)) {
                        if owners[pi].len() >= lexicon::MAX_RULES_PER_TRIGGER {
                            return Err(LexiconError {
                                file: rule.source.clone(),
                                entry: Some(rule.spec.name.clone()),
                                message: format!(
                                    "trigger {trig:?} is shared by more than {} rules",
                                    lexicon::MAX_RULES_PER_TRIGGER
                                ),
                            }
                            .into());
                        }
                        owners[pi].push(ri as u32);
                    }
                }
            }
        }
        let scanner = scan::Scanner::new(&patterns).map_err(|e| LexiconError {
            file: "(all)".into(),
            entry: None,
            message: e.to_string(),
        })?;

        let mut linter = Linter {
            enabled: vec![true; rules.len()],
            severity: rules.iter().map(|r| r.spec.severity).collect(),
            allow: config.allow.iter().map(|a| a.to_lowercase()).collect(),
            config,
            needles: rules.iter().map(judge::RuleNeedles::new).collect(),
            texts: rules.iter().map(RuleText::new).collect(),
            rules,
            scanner,
            owners,
            words,
            structure,
        };
        for i in 0..linter.rules.len() {
            let (id, cat) = (linter.rules[i].id.clone(), linter.rules[i].category.clone());
            linter.enabled[i] = linter.is_selected(&id, &cat);
            linter.severity[i] = linter.severity_for(&id, &cat, linter.rules[i].spec.severity);
        }
        Ok(linter)
    }

    /// Whether `id` names a rule or a category this linter knows (built-in, extra lexicons,
    /// structure and suppression rules).
    pub fn is_known(&self, id: &str) -> bool {
        self.rules.iter().any(|r| r.id == id || r.category == id)
            || structure::RULES.iter().any(|r| r.id == id)
            || SUPPRESSION_RULES.iter().any(|r| r.0 == id)
            || id == "structure"
            || id == "suppression"
    }

    /// The configuration this linter was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether `select`/`ignore` let a rule run.
    pub fn is_selected(&self, id: &str, category: &str) -> bool {
        let c = &self.config;
        let selected = c.select.is_empty() || c.select.iter().any(|s| s == id || s == category);
        selected && !c.ignore.iter().any(|s| s == id || s == category)
    }

    fn severity_for(&self, id: &str, category: &str, default: Severity) -> Severity {
        let s = &self.config.severity;
        s.get(id)
            .or_else(|| s.get(category))
            .copied()
            .unwrap_or(default)
    }

    /// Every rule: phrase rules from the lexicon, structure rules, suppression rules.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let mut out: Vec<RuleInfo> = self
            .rules
            .iter()
            .zip(&self.severity)
            .map(|(r, sev)| RuleInfo {
                id: r.id.clone(),
                category: r.category.clone(),
                severity: *sev,
                summary: r.spec.message.replace("{text}", "…"),
                help: r.spec.help.trim().to_string(),
                flag: r.spec.flag.clone(),
                pass: r.spec.pass.clone(),
                fix: match &r.spec.fix {
                    None => "none".into(),
                    Some(f) if f.safe.unwrap_or(f.action == lexicon::FixAction::Delete) => {
                        "safe".into()
                    }
                    Some(_) => "unsafe".into(),
                },
            })
            .collect();
        for r in structure::RULES {
            out.push(RuleInfo {
                id: r.id.into(),
                category: "structure".into(),
                severity: self.severity_for(r.id, "structure", r.severity),
                summary: r.summary.into(),
                help: r.help.into(),
                flag: r.flag.iter().map(|s| s.to_string()).collect(),
                pass: r.pass.iter().map(|s| s.to_string()).collect(),
                fix: "unsafe".into(),
            });
        }
        for (id, summary, help) in SUPPRESSION_RULES {
            out.push(RuleInfo {
                id: id.into(),
                category: "suppression".into(),
                severity: self.severity_for(id, "suppression", Severity::Warning),
                summary: summary.into(),
                help: help.into(),
                flag: vec![
                    "<!-- unblame-disable-next-line blame -->\nThe deploy finished at 10:02."
                        .into(),
                ],
                pass: vec!["<!-- unblame-disable-next-line blame -->\nDana broke checkout.".into()],
                fix: "none".into(),
            });
        }
        out
    }

    /// The compiled phrase rules.
    pub fn phrase_rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Lints one document (Markdown or plain text), of any size: see [`Linter::try_lint`]
    /// for the checked version front ends should use on untrusted input.
    pub fn lint(&self, text: &str) -> Report {
        let doc = markdown::parse_with(text, &self.words.section_matcher);
        let mut findings = self.phrase_findings(&doc);
        let mut structure_json = None;
        let mut metrics_json = None;
        if let Some(s) = structure::analyze(&doc, &self.structure, &self.config) {
            structure_json = Some(s.structure);
            metrics_json = Some(s.metrics);
            findings.reserve(s.findings.len());
            for mut f in s.findings {
                if self.is_selected(&f.rule, &f.category) {
                    f.severity = self.severity_for(&f.rule, &f.category, f.severity);
                    findings.push(f);
                }
            }
        }
        self.apply_suppressions(&doc, &mut findings);
        sort_findings(&mut findings);
        let mut lines = offsets::LineIndex::new(text);
        for f in &mut findings {
            let (line, column) = lines.locate(f.start);
            f.line = line;
            f.column = column;
            f.text = text[f.start..f.end].to_string();
        }
        Report {
            findings,
            structure: structure_json,
            metrics: metrics_json,
        }
    }

    /// Lints one document no larger than [`MAX_DOCUMENT_BYTES`]; a larger one is an
    /// error (never a silent truncation). Otherwise the same as [`Linter::lint`].
    ///
    /// ```
    /// use unblame::{Config, LintError, Linter, MAX_DOCUMENT_BYTES};
    /// let linter = Linter::new(Config::default()).unwrap();
    /// assert!(linter.try_lint("Human error.").is_ok());
    /// let huge = " ".repeat(MAX_DOCUMENT_BYTES + 1);
    /// assert!(matches!(linter.try_lint(&huge), Err(LintError::TooLarge { .. })));
    /// ```
    pub fn try_lint(&self, text: &str) -> Result<Report, LintError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(LintError::TooLarge {
                bytes: text.len(),
                limit: MAX_DOCUMENT_BYTES,
            });
        }
        Ok(self.lint(text))
    }

    /// Lints `text` and applies its safe suggestions (all first suggestions with
    /// `unsafe_fixes`), repeating until nothing more changes (at most a few rounds).
    pub fn fix(&self, text: &str, unsafe_fixes: bool) -> String {
        let mut current = text.to_string();
        for _ in 0..4 {
            let report = self.lint(&current);
            let edits = report.fixes(unsafe_fixes);
            if edits.is_empty() {
                break;
            }
            let next = apply_edits(&current, &edits);
            if next == current {
                break;
            }
            current = next;
        }
        current
    }

    fn names_in(&self, doc: &markdown::Document<'_>) -> WordSet {
        let mut names: WordSet = self.config.names.iter().map(|n| n.to_lowercase()).collect();
        let none = WordSet::default();
        for candidate in structure::harvest_names(doc, &self.structure) {
            // Keep only words that are not already known as something else.
            if self.words.classify(&candidate, &none, false) == words::Class::Unknown {
                names.insert(words::base_word(&candidate));
            }
        }
        names
    }

    /// The prose, ASCII-lowercased, and every place a trigger occurs in it, sorted by end.
    /// ASCII lowercasing keeps every byte offset, so the hits index `doc.prose` directly.
    fn trigger_hits(&self, doc: &markdown::Document<'_>) -> (String, Vec<scan::Hit>) {
        let lowered = doc.prose.to_ascii_lowercase();
        // Postmortems hold a trigger per 200 bytes of prose or so: room for most.
        let mut hits = Vec::with_capacity(lowered.len() / 128 + 8);
        self.scanner.find(lowered.as_bytes(), &mut hits);
        (lowered, hits)
    }

    fn phrase_findings(&self, doc: &markdown::Document<'_>) -> Vec<Finding> {
        self.phrase_findings_with::<true>(doc)
    }

    /// The phrase findings; with `PRECHECK` false every hit is judged in full, skipping
    /// [`judge::precheck`], which may only reject hits [`accepts`] rejects too (the tests
    /// hold the two forms to the same findings).
    fn phrase_findings_with<const PRECHECK: bool>(
        &self,
        doc: &markdown::Document<'_>,
    ) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        if !self.enabled.iter().any(|e| *e) {
            return out;
        }
        // The document's names, read when a hit first gets past the cheap checks.
        let names = std::cell::OnceCell::new();
        let prose = doc.prose.as_bytes();
        let mut ctx: Option<LeafCtx> = None;
        let mut scratch = Vec::with_capacity(64);
        let (lowered, hits) = self.trigger_hits(doc);
        // Room for a finding per hit (most hits give none or one), so the findings of a
        // postmortem are not copied as the vector grows; a long document's grow as before
        // (a block of a megabyte or more would come fresh from the system every lint).
        out.reserve(hits.len().min(256));
        for m in hits {
            let (s, e) = (m.start, m.end);
            // Word boundaries: a letter, digit, `_` or `@` on either side means a longer word.
            let pat = &self.owners[m.pattern as usize];
            if pat.iter().all(|&ri| !self.enabled[ri as usize]) {
                continue;
            }
            let first = prose[s];
            let last = prose[e - 1];
            let left_ok = !is_word_byte(first) || s == 0 || !ends_word(&doc.prose[..s]);
            let right_ok = !is_word_byte(last) || e == prose.len() || !starts_word(&doc.prose[e..]);
            if !left_ok || !right_ok {
                continue;
            }
            let Some(leaf_idx) = doc.leaf_at(s) else {
                continue;
            };
            let leaf = &doc.leaves[leaf_idx];
            if e > leaf.norm.end {
                continue;
            }
            let section = doc.section_kind(leaf.section);
            if !leaf_is_judged(leaf, self.config.check_quotes, section) {
                continue;
            }
            // Cheap checks first, on the text around the trigger without its sentence:
            // section scope, the words right after it, a word right before a trigger that
            // must start its sentence, the words of its clause and sentence.
            let after_end = offsets::floor_char(&doc.prose, (e + 96).min(leaf.norm.end)).max(e);
            let after = lowered[e..after_end].trim_start();
            let near = judge::Near::new(&doc.prose, &lowered, &leaf.norm, &(s..e));
            // Bit `k` set: the `k`th rule of the trigger is on and passed its prechecks.
            let mut passed: u128 = 0;
            for (k, &ri) in pat.iter().enumerate() {
                let ri = ri as usize;
                if self.enabled[ri]
                    && (!PRECHECK
                        || judge::precheck(
                            &self.rules[ri],
                            &self.needles[ri],
                            section,
                            after,
                            &near,
                        ))
                {
                    passed |= 1 << k;
                }
            }
            if passed == 0 {
                continue;
            }
            match ctx.as_mut() {
                Some(c) if c.leaf == leaf_idx => {}
                Some(c) => c.reset(doc, leaf_idx, &self.words),
                None => ctx = Some(LeafCtx::new(doc, leaf_idx, &self.words)),
            }
            let c = ctx.as_mut().expect("set above");
            if !self.config.check_quotes && c.in_quotes(&(s..e)) {
                continue;
            }
            let sentence = c.sentence_around(doc, s..e, || near.sentence_bounds());
            c.tokenize(doc, &sentence, &mut scratch);
            let toks = &c.toks;
            let t_start = toks.partition_point(|t| t.range.end <= s);
            let t_end = toks.partition_point(|t| t.range.start < e);
            let hit = Hit {
                doc,
                lowered: &lowered,
                range: s..e,
                sentence: sentence.clone(),
                toks,
                t_start,
                t_end,
                section,
            };
            if !self.allow.is_empty() {
                let sent = doc.prose[sentence.clone()].to_lowercase();
                let trig = doc.prose[s..e].to_lowercase();
                if self
                    .allow
                    .iter()
                    .any(|a| a.contains(&trig) && sent.contains(a.as_str()))
                {
                    continue;
                }
            }
            for (k, &ri) in pat.iter().enumerate() {
                if passed >> k & 1 == 0 {
                    continue;
                }
                let ri = ri as usize;
                let rule = &self.rules[ri];
                let names = names.get_or_init(|| self.names_in(doc));
                if !accepts(rule, &self.needles[ri], &hit, &self.words, names) {
                    continue;
                }
                let span = doc.to_src(s..e);
                let suggestions = rule
                    .spec
                    .fix
                    .as_ref()
                    .and_then(|f| fix::suggest(f, &hit, &self.words))
                    .into_iter()
                    .collect();
                let text = &doc.src[span.clone()];
                let finding = Finding {
                    rule: self.texts[ri].id.clone(),
                    category: self.texts[ri].category.clone(),
                    severity: self.severity[ri],
                    message: self.texts[ri].message(text),
                    help: self.texts[ri].help.clone(),
                    start: span.start,
                    end: span.end,
                    line: 0,
                    column: 0,
                    text: String::new(),
                    suggestions,
                    data: serde_json::Map::new(),
                };
                // One finding per category on overlapping words: keep the longer span
                // ("should have known" over "should have").
                match out.iter_mut().rev().take(8).find(|f| {
                    f.category == finding.category && f.start < finding.end && finding.start < f.end
                }) {
                    Some(prev) if finding.end - finding.start > prev.end - prev.start => {
                        *prev = finding
                    }
                    Some(_) => {}
                    None => out.push(finding),
                }
            }
        }
        out
    }

    fn apply_suppressions(&self, doc: &markdown::Document<'_>, findings: &mut Vec<Finding>) {
        let mut dirs = suppress::directives(doc);
        if dirs.is_empty() {
            return;
        }
        findings.retain(|f| {
            let mut keep = true;
            for d in dirs.iter_mut() {
                if d.covers(&f.rule, &f.category, f.start) {
                    d.used = true;
                    keep = false;
                }
            }
            keep
        });
        for d in &dirs {
            let unknown: Vec<&String> = d.rules.iter().filter(|r| !self.is_known(r)).collect();
            let (rule, message) = if !unknown.is_empty() {
                let names: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
                (
                    "suppression/unknown-rule",
                    format!(
                        "unknown rule or category in suppression comment: {}",
                        names.join(", ")
                    ),
                )
            } else if !d.used {
                (
                    "suppression/unused",
                    "this suppression comment suppresses nothing".to_string(),
                )
            } else {
                continue;
            };
            if !self.is_selected(rule, "suppression") {
                continue;
            }
            let info = SUPPRESSION_RULES
                .iter()
                .find(|r| r.0 == rule)
                .expect("known rule");
            let edit = Suggestion {
                replacement: String::new(),
                start: d.comment.start,
                end: d.comment.end,
                safe: false,
                description: "remove the comment".into(),
            };
            findings.push(Finding {
                rule: rule.into(),
                category: "suppression".into(),
                severity: self.severity_for(rule, "suppression", Severity::Warning),
                message: message.into(),
                help: info.2.into(),
                start: d.comment.start,
                end: d.comment.end,
                line: 0,
                column: 0,
                text: String::new(),
                suggestions: vec![edit],
                data: serde_json::Map::new(),
            });
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'@' || b >= 0x80
}

fn ends_word(before: &str) -> bool {
    match before.chars().next_back() {
        Some('-') => before[..before.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
        Some(c) => judge::is_word_char(c),
        None => false,
    }
}

fn starts_word(after: &str) -> bool {
    let mut it = after.chars();
    match it.next() {
        Some('-') => it.next().is_some_and(char::is_alphanumeric),
        Some(c) => judge::is_word_char(c),
        None => false,
    }
}

/// Lints one document with the default configuration. Builds a linter each call:
/// keep a [`Linter`] when linting more than one document.
pub fn check(text: &str) -> Report {
    Linter::new(Config::default())
        .expect("the built-in lexicon is valid")
        .lint(text)
}

/// The stages of [`Linter::lint`] one at a time, so the stage benchmarks (`benches/`) can
/// name the stage a regression is in. Not a stable API.
#[doc(hidden)]
pub mod stages {
    use crate::markdown::{self, Document};
    use crate::{structure, Finding, Linter};

    /// Reads `text` with pulldown-cmark alone (the options the parse uses), counting its
    /// events: the share of the parse stage that is the Markdown parser's.
    pub fn markdown_events(text: &str) -> usize {
        markdown::count_events(text)
    }

    /// Parses `text` as [`Linter::lint`] does (sections named by the lexicon's synonyms).
    pub fn parse<'a>(linter: &Linter, text: &'a str) -> Document<'a> {
        markdown::parse_with(text, &linter.words.section_matcher)
    }

    /// The trigger scan alone: how many places a trigger occurs in the prose.
    pub fn scan(linter: &Linter, doc: &Document<'_>) -> usize {
        linter.trigger_hits(doc).1.len()
    }

    /// The phrase findings: the trigger scan and the judging of every place it found.
    pub fn phrases(linter: &Linter, doc: &Document<'_>) -> Vec<Finding> {
        linter.phrase_findings(doc)
    }

    /// The structure checks and the metrics.
    pub fn structure(linter: &Linter, doc: &Document<'_>) -> Option<structure::Analysis> {
        structure::analyze(doc, &linter.structure, &linter.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of sorting give the stable sort's order: ties (same span and rule) stay in
    /// the order found, whatever the number of findings.
    #[test]
    fn findings_sort_as_a_stable_sort_does() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for len in [0, 1, 2, 7, 20, 33, 64, 65, 100, 300] {
            let findings: Vec<Finding> = (0..len)
                .map(|i| Finding {
                    rule: ["a/x", "a/y", "b/x"][next(3)].into(),
                    category: "c".into(),
                    severity: Severity::Warning,
                    message: format!("{i}").into(),
                    help: "".into(),
                    start: next(6),
                    end: 6 + next(3),
                    line: 0,
                    column: 0,
                    text: String::new(),
                    suggestions: Vec::new(),
                    data: serde_json::Map::new(),
                })
                .collect();
            let mut expected = findings.clone();
            expected.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
            let mut sorted = findings;
            sort_findings(&mut sorted);
            let order = |v: &[Finding]| v.iter().map(|f| f.message.to_string()).collect::<Vec<_>>();
            assert_eq!(order(&sorted), order(&expected), "{len} findings");
        }
    }

    #[test]
    fn rule_texts_are_the_replaced_messages() {
        let linter = Linter::new(Config::default()).unwrap();
        let mut placeholders = 0;
        for (rule, texts) in linter.rules.iter().zip(&linter.texts) {
            placeholders += rule.spec.message.matches("{text}").count();
            for text in ["", "Bob", "{text}", "naïve 👩"] {
                assert_eq!(
                    &*texts.message(text),
                    rule.spec.message.replace("{text}", text)
                );
            }
            assert_eq!(&*texts.help, rule.spec.help.trim());
            assert_eq!((&*texts.id, &*texts.category), (&*rule.id, &*rule.category));
        }
        assert!(placeholders > 10, "{placeholders}");
    }

    #[test]
    fn the_stages_make_up_the_lint() {
        let linter = Linter::new(Config::default()).unwrap();
        for text in [
            include_str!("../../examples/search-outage-flawed.md"),
            include_str!("../../examples/checkout-latency-good.md"),
        ] {
            let report = linter.lint(text);
            let doc = stages::parse(&linter, text);
            let phrases = stages::phrases(&linter, &doc);
            let structure = stages::structure(&linter, &doc).expect("a postmortem");
            let mut ids: Vec<(usize, String)> = phrases
                .iter()
                .chain(&structure.findings)
                .map(|f| (f.start, f.rule.to_string()))
                .collect();
            ids.sort();
            let mut want: Vec<(usize, String)> = report
                .findings
                .iter()
                .map(|f| (f.start, f.rule.to_string()))
                .collect();
            want.sort();
            assert_eq!(ids, want);
            assert!(stages::scan(&linter, &doc) >= phrases.len());
            assert!(stages::markdown_events(text) > doc.leaves.len());
        }
        let scan = |text: &str| stages::scan(&linter, &stages::parse(&linter, text));
        assert!(scan("Bob should have known.") > 0);
        assert_eq!(scan("The disk filled up at noon."), 0);
    }

    /// A finding's span and rule.
    type Spot = (usize, usize, String);

    /// The phrase findings with and without the prechecks, as comparable spots.
    fn with_and_without_precheck(linter: &Linter, text: &str) -> (Vec<Spot>, Vec<Spot>) {
        let doc = stages::parse(linter, text);
        let key = |v: Vec<Finding>| {
            v.into_iter()
                .map(|f| (f.start, f.end, f.rule.to_string()))
                .collect::<Vec<_>>()
        };
        (
            key(linter.phrase_findings_with::<true>(&doc)),
            key(linter.phrase_findings_with::<false>(&doc)),
        )
    }

    /// The prechecks only reject hits the full judging rejects: every rule's examples and
    /// the bundled postmortems give the same findings without them.
    #[test]
    fn prechecks_keep_the_findings_of_examples() {
        let linter = Linter::new(Config::default()).unwrap();
        let mut texts: Vec<String> = vec![
            include_str!("../../examples/search-outage-flawed.md").into(),
            include_str!("../../examples/checkout-latency-good.md").into(),
        ];
        let mut flagged = 0;
        for rule in &linter.rules {
            texts.extend(rule.spec.flag.iter().chain(&rule.spec.pass).cloned());
        }
        for text in &texts {
            let (with, without) = with_and_without_precheck(&linter, text);
            assert_eq!(with, without, "{text:?}");
            flagged += with.len();
        }
        assert!(flagged > 100, "{flagged}");
    }

    /// Sentences around the triggers the prechecks judge, slot by slot: what comes before
    /// the sentence (list markers, stamps, a previous sentence, a word), the clause opener,
    /// the subject, the trigger, what follows, the rest; non-ASCII letters whose lowercase
    /// differs in length, line breaks and Markdown among them.
    const SLOTS: [&[&str]; 6] = [
        &[
            "",
            "- ",
            "1. ",
            "09:12 ",
            "09:12 UTC — ",
            "Then ",
            "The pool ",
            "e.g. ",
            "“",
            "> ",
            "## Timeline\n\n- 09:12 ",
            "Åsa ",
            "ÉMILE ",
            "x\n",
            "Done. ",
            "Done.",
            "Done!  ",
            "U.S. ",
            "👩 ",
            "`code` ",
            "**Note:** ",
            "(",
            "\u{a0}",
            "İ ",
            "x'",
            "x:",
            "x’",
            "x,",
            "9,",
        ],
        &[
            "", "If ", "if ", "İf ", "IF ", "Even if ", "If, ", "If only ", "when ", "If (",
            "; if ", "İF ", "If\n",
        ],
        &[
            "",
            "the team ",
            "we ",
            "Dana ",
            "anyone ",
            "the on-call ",
            "he ",
            "the cache ",
            "@dana ",
            "Åsa ",
            "K ",
            "Bob and Dana ",
            "the team, ",
        ],
        &[
            "had ",
            "Had ",
            "hadn't ",
            "had not ",
            "HAD ",
            "failed to ",
            "should have ",
            "because ",
            "root cause was ",
            "had",
            "Had\n",
        ],
        &[
            "",
            "tested ",
            "checked ",
            "been ",
            "the team ",
            "anyone ",
            "Dana ",
            "sooner ",
            "more replicas ",
            "paged ",
        ],
        &[
            "",
            "the restore, we would have known.",
            "in staging.",
            ", the outage would have been shorter.",
            "?",
            " the outage.",
            "\n\nHad Dana ",
        ],
    ];

    /// A piece of slot `i` of [`SLOTS`], or nothing half of the time, so that sentences
    /// starting with the trigger come often.
    fn slot(i: usize) -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::strategy::{Just, Strategy};
        proptest::prop_oneof![Just(""), proptest::sample::select(SLOTS[i])].boxed()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Any sentence built from [`SLOTS`], one piece a slot, gives the same phrase
        /// findings with the prechecks as without them.
        #[test]
        fn prechecks_keep_the_findings_of_any_text(
            picks in (
                proptest::sample::select(SLOTS[0]),
                slot(1),
                slot(2),
                proptest::sample::select(SLOTS[3]),
                slot(4),
                proptest::sample::select(SLOTS[5]),
            )
        ) {
            let (a, b, c, d, e, f) = picks;
            let text = [a, b, c, d, e, f].concat();
            let (with, without) = with_and_without_precheck(&LINTER, &text);
            proptest::prop_assert_eq!(with, without, "{:?}", text);
        }
    }

    /// Sentences around the triggers of rules with `sentence_any` words, slot by slot:
    /// a sentence before (its words on either side of every kind of sentence end the
    /// byte scan or Unicode segmentation may see), the subject, the trigger, what
    /// follows, an end, and a sentence after. The precheck looks for the words only
    /// inside the bounds the byte scan finds; the full check in the sentence.
    const SENTENCE_SLOTS: [&[&str]; 6] = [
        &[
            "",
            "The outage grew. ",
            "The outage grew.",
            "The outage grew! ",
            "The outage grew?  ",
            "the outage grew. and ",
            "e. g. outage ",
            "U.S. outage ",
            "Outage at 9. ",
            "Outage.’ ",
            "Outage.” ",
            "Outage.) ",
            "Outage. 👩 ",
            "Outage. É ",
            "Outage.\u{a0}",
            "Outage.\n",
            "Outage (",
            "Outage.\u{301} ",
            "Monitoring was thin. ",
            "We didn't. ",
            "Access ended. ",
            "It came down to luck. ",
            "x.Outage ",
            "3.Outage ",
            "Outage... ",
            "OUTAGE. İ ",
        ],
        &["", "Bob ", "the deploy ", "Åsa ", "we ", "The team "],
        &[
            "was responsible for ",
            "due to ",
            "because ",
            "is why ",
            "took ",
            "if only ",
            "the human factor ",
            "obviously ",
            "Obviously, ",
            "will lose ",
            "root cause analysis ",
            "the only reason ",
            "came down to ",
            "improve ",
            "Improve ",
        ],
        &[
            "",
            "the outage",
            "monitoring",
            "access",
            "down",
            "it",
            "we had",
            "the failure",
            "Dana",
            "K",
        ],
        &["", ".", ". ", "!", "? ", ".\n"],
        &[
            "",
            "The outage grew.",
            "Outage.",
            "É outage",
            "9 outages",
            "monitoring",
            "and the outage",
            "Access was revoked.",
            " We didn't.",
            "Ä. Outage",
        ],
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Any sentence built from [`SENTENCE_SLOTS`] gives the same phrase findings with
        /// the prechecks as without them.
        #[test]
        fn prechecks_keep_the_findings_of_sentence_words(
            picks in (
                proptest::sample::select(SENTENCE_SLOTS[0]),
                proptest::sample::select(SENTENCE_SLOTS[1]),
                proptest::sample::select(SENTENCE_SLOTS[2]),
                proptest::sample::select(SENTENCE_SLOTS[3]),
                proptest::sample::select(SENTENCE_SLOTS[4]),
                proptest::sample::select(SENTENCE_SLOTS[5]),
            )
        ) {
            let (a, b, c, d, e, f) = picks;
            let text = [a, b, c, d, e, f].concat();
            let (with, without) = with_and_without_precheck(&LINTER, &text);
            proptest::prop_assert_eq!(with, without, "{:?}", text);
        }
    }

    static LINTER: std::sync::LazyLock<Linter> =
        std::sync::LazyLock::new(|| Linter::new(Config::default()).unwrap());

    #[test]
    fn linter_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Linter>();
    }
}
