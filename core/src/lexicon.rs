//! The lexicon: rules as data.
//!
//! Each file under `lexicon/en/` holds the rules of one category in TOML. A rule names
//! its triggers (literal phrases, matched case-insensitively on word boundaries), the
//! context conditions a hit must meet, a message, help, an optional rewrite, and the
//! examples it must flag and must pass. `words.toml` holds the word classes the
//! conditions use (people, systems, negation cues, section headings).
//!
//! Users add their own files in the same format through `extra_lexicons`; a malformed
//! file is an error that names the file, the entry and the problem.

use crate::report::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// Longest trigger, and longest word or phrase in a condition list, in bytes.
pub const MAX_PHRASE_BYTES: usize = 200;

/// Most triggers over all lexicon files, the built-in ones included. Triggers are
/// compiled into one automaton; this bounds its build time and memory.
pub const MAX_TRIGGERS: usize = 100_000;

/// Most rules that may share one trigger: every hit of a trigger is judged by each of
/// its rules, so this bounds the work per hit.
pub const MAX_RULES_PER_TRIGGER: usize = 100;

// The phrase findings keep one bit per rule of a trigger in a `u128`.
const _: () = assert!(MAX_RULES_PER_TRIGGER <= 128);

/// Most entries in one condition list of a rule (`next_any`, `sentence_none`, ...):
/// each list is checked against the words around every hit.
pub const MAX_CONDITION_ENTRIES: usize = 1_000;

/// Longest `message`, in bytes (copied into every finding).
pub const MAX_MESSAGE_BYTES: usize = 1_000;

/// Longest `help` or fix `description`, in bytes (copied into every finding).
pub const MAX_HELP_BYTES: usize = 10_000;

/// The seven phrase categories, in the order the SPEC lists them.
pub const CATEGORIES: [&str; 7] = [
    "blame",
    "human-error",
    "counterfactual",
    "judgment",
    "root-cause",
    "punitive",
    "vague-action",
];

/// The built-in English rule files, as (file name, TOML text).
pub const BUILTIN_RULE_FILES: [(&str, &str); 7] = [
    ("blame.toml", include_str!("../../lexicon/en/blame.toml")),
    (
        "human-error.toml",
        include_str!("../../lexicon/en/human-error.toml"),
    ),
    (
        "counterfactual.toml",
        include_str!("../../lexicon/en/counterfactual.toml"),
    ),
    (
        "judgment.toml",
        include_str!("../../lexicon/en/judgment.toml"),
    ),
    (
        "root-cause.toml",
        include_str!("../../lexicon/en/root-cause.toml"),
    ),
    (
        "punitive.toml",
        include_str!("../../lexicon/en/punitive.toml"),
    ),
    (
        "vague-action.toml",
        include_str!("../../lexicon/en/vague-action.toml"),
    ),
];

/// The built-in word classes.
pub const BUILTIN_WORDS: &str = include_str!("../../lexicon/en/words.toml");

/// Given names (`names.toml`), so people are recognised in any position.
pub const BUILTIN_NAMES: &str = include_str!("../../lexicon/en/names.toml");

/// The `names.toml` file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    /// Lowercase given names.
    pub given_names: Vec<String>,
}

/// Where in a postmortem a piece of prose sits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Before the first recognised heading: title, header block, blameless statement.
    Preamble,
    /// Summary, overview, executive summary.
    Summary,
    /// Impact.
    Impact,
    /// Timeline.
    Timeline,
    /// Contributing factors, root cause(s), what went wrong, analysis.
    Factors,
    /// Action items, follow-ups, remediation, next steps.
    Actions,
    /// What went well.
    WentWell,
    /// Where we got lucky.
    Lucky,
    /// Lessons learned.
    Lessons,
    /// Glossary, definitions, references: never judged.
    Reference,
    /// Any other heading.
    Other,
}

/// Who must be the subject of the clause around a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectReq {
    /// No condition.
    #[default]
    Any,
    /// A person, handle, pronoun, role, team or "we".
    Person,
    /// A person other than "we"/"I" (a name, handle, role, team, third-person pronoun).
    Other,
    /// Anything but a system noun.
    NotSystem,
}

/// What must follow the trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextReq {
    /// No condition.
    #[default]
    Any,
    /// A past participle ("checked", "known"), optionally after an adverb.
    Participle,
    /// A person (name, handle, pronoun, role, team).
    Person,
    /// A person other than "we".
    Other,
}

/// How a rule rewrites its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAction {
    /// Delete the trigger (a loaded adverb or adjective); safe where the sentence stays grammatical.
    Delete,
    /// Replace the trigger with `with`, keeping its capitalisation.
    Replace,
    /// Replace the trigger and the verb after it with "did not `<verb>`"
    /// ("should have checked" → "did not check").
    DidNot,
}

/// A rule's rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// What the rewrite does.
    pub action: FixAction,
    /// Replacement text for `replace`.
    #[serde(default)]
    pub with: Option<String>,
    /// Whether `--fix` may apply it; defaults to `true` for `delete`, `false` otherwise.
    #[serde(default)]
    pub safe: Option<bool>,
    /// One line describing the edit.
    #[serde(default)]
    pub description: Option<String>,
}

/// One rule as written in a lexicon file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The part of the id after the slash: `should-have` in `counterfactual/should-have`.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One line: what is wrong. `{text}` is replaced by the flagged words.
    pub message: String,
    /// Why it harms learning and how to rewrite.
    pub help: String,
    /// Literal phrases; case-insensitive; curly apostrophes and line breaks match too.
    pub triggers: Vec<String>,
    /// Who must be the subject of the clause.
    #[serde(default)]
    pub subject: SubjectReq,
    /// What must follow the trigger.
    #[serde(default)]
    pub next: NextReq,
    /// The words right after the trigger must start with one of these.
    #[serde(default)]
    pub next_any: Vec<String>,
    /// The words right after the trigger must not start with any of these.
    #[serde(default)]
    pub not_next: Vec<String>,
    /// The words right before the trigger (in its clause) must end with one of these.
    #[serde(default)]
    pub prev_any: Vec<String>,
    /// The words right before the trigger must not end with any of these.
    #[serde(default)]
    pub not_prev: Vec<String>,
    /// The clause before the trigger must contain one of these words.
    #[serde(default)]
    pub clause_any: Vec<String>,
    /// The sentence must contain one of these words or phrases.
    #[serde(default)]
    pub sentence_any: Vec<String>,
    /// The sentence must contain none of these words or phrases.
    #[serde(default)]
    pub sentence_none: Vec<String>,
    /// A person must be named somewhere in the sentence after the trigger.
    #[serde(default)]
    pub person_after: bool,
    /// The trigger must start its sentence (after a list marker or timestamp).
    #[serde(default)]
    pub sentence_start: bool,
    /// Suppress when the sentence is missing a concrete change (a threshold, a "by ..." clause).
    #[serde(default)]
    pub unless_specific: bool,
    /// Only in these sections.
    #[serde(default)]
    pub sections: Vec<SectionKind>,
    /// Never in these sections.
    #[serde(default)]
    pub skip_sections: Vec<SectionKind>,
    /// Suppress when a negation or a meta-statement cue comes before the trigger.
    #[serde(default = "yes")]
    pub negatable: bool,
    /// The rewrite.
    #[serde(default)]
    pub fix: Option<FixSpec>,
    /// Sentences the rule must flag.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Sentences the rule must pass.
    #[serde(default)]
    pub pass: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One lexicon file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    /// The category every rule of the file belongs to.
    pub category: String,
    /// What the category is about.
    #[serde(default)]
    pub description: String,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// A rule ready to use: its spec plus its full id.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `<category>/<name>`.
    pub id: String,
    /// The category.
    pub category: String,
    /// The spec as written.
    pub spec: RuleSpec,
    /// Where it came from (file name).
    pub source: String,
}

/// The word classes that context conditions use (`words.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Words {
    /// Personal pronouns and indefinites that name people ("she", "someone").
    pub pronouns: Vec<String>,
    /// First-person plural and singular ("we", "I").
    pub we: Vec<String>,
    /// Role and team nouns ("engineer", "on-call", "squad").
    pub roles: Vec<String>,
    /// System nouns ("service", "job", "alert").
    pub systems: Vec<String>,
    /// Product and system names that look like given names ("Postgres", "Kafka").
    pub system_names: Vec<String>,
    /// Given names, so that names are known in sentence-initial position.
    pub given_names: Vec<String>,
    /// Capitalised words that are not names (sentence starters).
    pub not_names: Vec<String>,
    /// Words that end a subject search: they are neither person nor system.
    pub neutral: Vec<String>,
    /// Negation cues.
    pub negation: Vec<String>,
    /// Phrases that mark a meta-statement about a term ("call this", "the term").
    pub meta: Vec<String>,
    /// Phrases right after a trigger that show it is discussed, not used ("is not a useful explanation").
    pub meta_after: Vec<String>,
    /// Conjunctions that bound the reach of a negation.
    pub strong_breaks: Vec<String>,
    /// Prepositions: a noun phrase (a subject) ends before them.
    pub prepositions: Vec<String>,
    /// Words that start a new clause.
    pub clause_breaks: Vec<String>,
    /// Relative pronouns, whose subject is the noun before them.
    pub relatives: Vec<String>,
    /// Adverbs that may stand between a modal and its verb ("really", "never").
    pub adverbs: Vec<String>,
    /// Irregular past participles and their base forms.
    pub participles: BTreeMap<String, String>,
    /// Irregular simple-past verbs and auxiliaries: a subject search stops at them.
    pub past: Vec<String>,
    /// Words ending in -ed that are not verbs.
    pub not_participles: Vec<String>,
    /// Cues that an action item names a concrete, checkable change.
    pub specific: Vec<String>,
    /// Section heading synonyms.
    pub sections: BTreeMap<SectionKind, Vec<String>>,
    /// Classification verbs before a scare-quoted label ("filed under").
    pub labelling: Vec<String>,
}

/// An error in a lexicon file: names the file, the entry and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// The file.
    pub file: String,
    /// The entry (rule name or key), when known.
    pub entry: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "lexicon {}: entry `{e}`: {}", self.file, self.message),
            None => write!(f, "lexicon {}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LexiconError {}

/// The built-in files as JSON, converted from `lexicon/en/*.toml` by `build.rs`:
/// (file name, JSON text). Deserialising JSON is several times faster than TOML, and
/// `Linter::new` reads all of these.
pub(crate) mod builtin_json {
    macro_rules! json {
        ($name:literal) => {
            include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
        };
    }
    /// The rule files, in [`super::BUILTIN_RULE_FILES`] order.
    pub const RULE_FILES: [(&str, &str); 7] = [
        ("blame.toml", json!("blame")),
        ("human-error.toml", json!("human-error")),
        ("counterfactual.toml", json!("counterfactual")),
        ("judgment.toml", json!("judgment")),
        ("root-cause.toml", json!("root-cause")),
        ("punitive.toml", json!("punitive")),
        ("vague-action.toml", json!("vague-action")),
    ];
    /// `words.toml`.
    pub const WORDS: &str = json!("words");
    /// `names.toml`.
    pub const NAMES: &str = json!("names");
    /// `structure.toml`.
    pub const STRUCTURE: &str = json!("structure");
}

/// Deserialises a built-in file from its JSON form (see [`builtin_json`]).
pub(crate) fn from_builtin_json<T: serde::de::DeserializeOwned>(
    file: &str,
    json: &str,
) -> Result<T, LexiconError> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| LexiconError {
        file: file.to_string(),
        entry: Some(e.path().to_string()),
        message: e.into_inner().to_string(),
    })
}

/// Parses and validates one rule file.
pub fn parse_rules(file: &str, text: &str) -> Result<Vec<Rule>, LexiconError> {
    let de = toml::Deserializer::new(text);
    let parsed: LexiconFile =
        serde_path_to_error::deserialize(de).map_err(|e| malformed(file, text, e))?;
    check_rules(file, parsed)
}

/// Validates one built-in rule file read from its JSON form.
pub(crate) fn builtin_rules(file: &str, json: &str) -> Result<Vec<Rule>, LexiconError> {
    check_rules(file, from_builtin_json(file, json)?)
}

/// Checks a deserialised rule file and builds its rules.
fn check_rules(file: &str, parsed: LexiconFile) -> Result<Vec<Rule>, LexiconError> {
    let err = |entry: &str, message: String| LexiconError {
        file: file.to_string(),
        entry: Some(entry.to_string()),
        message,
    };
    let cat = parsed.category.trim().to_string();
    if cat.is_empty() || cat.contains('/') || cat.contains(char::is_whitespace) {
        return Err(LexiconError {
            file: file.into(),
            entry: None,
            message: format!("category `{cat}` must be one word without `/`"),
        });
    }
    let mut rules = Vec::with_capacity(parsed.rules.len());
    for spec in parsed.rules {
        let name = spec.name.clone();
        if name.is_empty() || name.contains('/') || name.contains(char::is_whitespace) {
            return Err(err(&name, "name must be one word without `/`".into()));
        }
        if spec.triggers.is_empty() {
            return Err(err(&name, "has no triggers".into()));
        }
        if name.len() > MAX_PHRASE_BYTES {
            return Err(err(
                &name,
                format!("name is longer than {MAX_PHRASE_BYTES} bytes"),
            ));
        }
        for t in &spec.triggers {
            if t.trim().is_empty() || t.len() > MAX_PHRASE_BYTES {
                return Err(err(
                    &name,
                    format!("trigger {t:?} is empty or longer than {MAX_PHRASE_BYTES} bytes"),
                ));
            }
        }
        if spec.triggers.len() > MAX_TRIGGERS {
            return Err(err(
                &name,
                format!(
                    "has {} triggers, more than the limit of {MAX_TRIGGERS}",
                    spec.triggers.len()
                ),
            ));
        }
        for (key, list) in [
            ("next_any", &spec.next_any),
            ("not_next", &spec.not_next),
            ("prev_any", &spec.prev_any),
            ("not_prev", &spec.not_prev),
            ("clause_any", &spec.clause_any),
            ("sentence_any", &spec.sentence_any),
            ("sentence_none", &spec.sentence_none),
        ] {
            if list.len() > MAX_CONDITION_ENTRIES {
                return Err(err(
                    &name,
                    format!(
                        "`{key}` has {} entries, more than the limit of {MAX_CONDITION_ENTRIES}",
                        list.len()
                    ),
                ));
            }
            if let Some(long) = list.iter().find(|p| p.len() > MAX_PHRASE_BYTES) {
                return Err(err(
                    &name,
                    format!("`{key}` entry {long:?} is longer than {MAX_PHRASE_BYTES} bytes"),
                ));
            }
        }
        if spec.message.trim().is_empty() || spec.help.trim().is_empty() {
            return Err(err(&name, "needs a message and a help text".into()));
        }
        if spec.message.len() > MAX_MESSAGE_BYTES || spec.help.len() > MAX_HELP_BYTES {
            return Err(err(
                &name,
                format!(
                    "message or help too long (limits: {MAX_MESSAGE_BYTES} and {MAX_HELP_BYTES} bytes)"
                ),
            ));
        }
        if let Some(fix) = &spec.fix {
            if fix.action == FixAction::Replace && fix.with.is_none() {
                return Err(err(&name, "fix action `replace` needs `with`".into()));
            }
            if fix
                .with
                .as_ref()
                .is_some_and(|w| w.len() > MAX_PHRASE_BYTES)
            {
                return Err(err(
                    &name,
                    format!("fix `with` is longer than {MAX_PHRASE_BYTES} bytes"),
                ));
            }
            if fix
                .description
                .as_ref()
                .is_some_and(|d| d.len() > MAX_HELP_BYTES)
            {
                return Err(err(
                    &name,
                    format!("fix `description` is longer than {MAX_HELP_BYTES} bytes"),
                ));
            }
        }
        let id = format!("{cat}/{name}");
        if rules.iter().any(|r: &Rule| r.id == id) {
            return Err(err(&name, format!("duplicate rule id `{id}`")));
        }
        rules.push(Rule {
            id,
            category: cat.clone(),
            spec,
            source: file.to_string(),
        });
    }
    Ok(rules)
}

/// A file that does not deserialise: name the rule (by its `name`, else its position)
/// and the key, as far as the parser got.
fn malformed(
    file: &str,
    text: &str,
    err: serde_path_to_error::Error<toml::de::Error>,
) -> LexiconError {
    let path = err.path().to_string();
    // Keep the header ("parse error at line N") and the explanation, not the source excerpt.
    let inner = err.into_inner().to_string();
    let lines: Vec<&str> = inner
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('|') && !l.chars().all(|c| c == '^' || c == ' ')
        })
        .filter(|l| {
            l.split_once('|')
                .is_none_or(|(n, _)| n.trim().parse::<usize>().is_err())
        })
        .collect();
    let message = match lines.as_slice() {
        [] => "invalid file".to_string(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}: {last}"),
    };
    // "rule[3].severity" → rule 3, key "severity".
    let entry = path.strip_prefix("rule[").and_then(|rest| {
        let (index, key) = rest.split_once(']')?;
        let index: usize = index.parse().ok()?;
        let name = toml::from_str::<toml::Table>(text).ok().and_then(|t| {
            t.get("rule")?
                .as_array()?
                .get(index)?
                .get("name")?
                .as_str()
                .map(str::to_string)
        });
        let key = key.trim_start_matches('.');
        let name = name.unwrap_or_else(|| format!("rule #{}", index + 1));
        Some(if key.is_empty() {
            name
        } else {
            format!("{name}.{key}")
        })
    });
    let entry = entry.or_else(|| (!path.is_empty() && path != ".").then_some(path));
    LexiconError {
        file: file.to_string(),
        entry,
        message,
    }
}

/// Parses the word classes.
pub fn parse_words(file: &str, text: &str) -> Result<Words, LexiconError> {
    toml::from_str(text).map_err(|e| LexiconError {
        file: file.to_string(),
        entry: None,
        message: e.to_string().trim().replace('\n', " "),
    })
}

#[cfg(test)]
mod builtin_json_tests {
    use super::*;

    /// `Linter::new` reads the JSON that `build.rs` converts from the TOML files; both
    /// must give the same lexicon.
    #[test]
    fn the_json_built_ins_equal_the_toml_files() {
        for ((file, toml_text), (json_file, json)) in
            BUILTIN_RULE_FILES.iter().zip(builtin_json::RULE_FILES)
        {
            assert_eq!(*file, json_file);
            let from_toml = parse_rules(file, toml_text).unwrap();
            let from_json = builtin_rules(file, json).unwrap();
            assert!(!from_toml.is_empty(), "{file}");
            assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"), "{file}");
        }
        let words = parse_words("words.toml", BUILTIN_WORDS).unwrap();
        let json: Words = from_builtin_json("words.toml", builtin_json::WORDS).unwrap();
        assert_eq!(format!("{words:?}"), format!("{json:?}"));
        let names: NamesFile = toml::from_str(BUILTIN_NAMES).unwrap();
        let json: NamesFile = from_builtin_json("names.toml", builtin_json::NAMES).unwrap();
        assert!(names.given_names.len() > 1000);
        assert_eq!(names.given_names, json.given_names);
    }

    #[test]
    fn a_broken_builtin_json_names_the_file_and_the_entry() {
        let e = from_builtin_json::<Words>("words.toml", r#"{"pronouns": 3}"#).unwrap_err();
        assert_eq!(e.file, "words.toml");
        assert_eq!(e.entry.as_deref(), Some("pronouns"));
    }
}
