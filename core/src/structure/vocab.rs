//! The structure vocabulary: `lexicon/en/structure.toml`, deserialised and compiled.

use crate::lexicon::LexiconError;
use crate::scan::Scanner;
use crate::words::WordMap;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::sync::OnceLock;

/// The built-in structure vocabulary file.
pub const BUILTIN_STRUCTURE: &str = include_str!("../../../lexicon/en/structure.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spec {
    pub header: HeaderSpec,
    pub events: EventSpec,
    pub zones: ZoneSpec,
    pub dates: DateSpec,
    pub durations: DurationSpec,
    pub impact: ImpactSpec,
    pub blameless: BlamelessSpec,
    pub actions: ActionSpec,
    pub factors: FactorSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderSpec {
    pub required: Vec<String>,
    pub placeholders: Vec<String>,
    pub sections: Vec<String>,
    pub fields: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventSpec {
    pub impact_start: Vec<String>,
    pub impact_start_verbs: Vec<String>,
    pub impact_start_not_gerunds: Vec<String>,
    pub detection: Vec<String>,
    pub identification: Vec<String>,
    pub mitigation_explicit: Vec<String>,
    pub mitigation: Vec<String>,
    pub resolution: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ZoneSpec {
    pub utc: Vec<String>,
    pub lines: Vec<String>,
    pub offsets: BTreeMap<String, i32>,
    pub names: BTreeMap<String, i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateSpec {
    pub months: Vec<String>,
    pub relative: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DurationSpec {
    pub vague: Vec<String>,
    pub units: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImpactSpec {
    pub not_figures: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BlamelessSpec {
    pub cues: Vec<String>,
    pub statement: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionSpec {
    pub owner_keys: Vec<String>,
    pub date_keys: Vec<String>,
    pub ticket_keys: Vec<String>,
    pub owner_phrases: Vec<String>,
    pub date_words: Vec<String>,
    pub text_columns: Vec<String>,
    pub not_ticket_prefixes: Vec<String>,
    pub kinds: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FactorSpec {
    pub order: Vec<String>,
    pub kinds: BTreeMap<String, Vec<String>>,
}

/// A list of phrases matched case-insensitively on word boundaries (`word*` matches a prefix).
///
/// One [`Scanner`] per list, built once. It finds every occurrence of every phrase that
/// starts an ASCII word (and ends one, unless it is a prefix), and each is checked again
/// for the Unicode word boundaries, so the result is the same as one `find_word` per
/// phrase.
#[derive(Debug, Clone, Default)]
pub(crate) struct Phrases {
    scanner: Option<Scanner>,
    /// Per pattern: the list it came from (see [`Kinds`]); all 0 for one list.
    tags: Vec<usize>,
    /// The lists holding an empty needle (they occur in every text).
    always_tags: Vec<usize>,
    /// Per pattern: (the left boundary is needed, the right boundary is needed).
    bounds: Vec<(bool, bool)>,
    /// An empty needle is in the list (it occurs in every text).
    always: bool,
    /// `@` is a word character (the phrase rules' definition, where `@dana` is one word);
    /// otherwise words are letters, digits and `_`.
    handles: bool,
}

impl Phrases {
    pub fn new(list: &[String]) -> Self {
        Phrases::build(
            Phrases::read(list, 0).filter(|p| !p.0.is_empty()).collect(),
            false,
        )
    }

    /// Needles used as given (lowercased only), on the phrase rules' word boundaries,
    /// where `@` is a word character: the same answer as `judge::contains_words` for some
    /// needle, in one pass.
    pub(crate) fn exact_words(list: &[String]) -> Self {
        Phrases::build(
            list.iter().map(|p| (p.to_lowercase(), false, 0)).collect(),
            true,
        )
    }

    fn is_word(&self, c: char) -> bool {
        is_word_char(c) || (self.handles && c == '@')
    }

    /// Trimmed, lowercased needles with their prefix mark (`word*`), tagged with `tag`.
    fn read(list: &[String], tag: usize) -> impl Iterator<Item = (String, bool, usize)> + '_ {
        list.iter().map(move |p| {
            let p = p.trim().to_lowercase();
            match p.strip_suffix('*') {
                Some(stem) => (stem.to_string(), true, tag),
                None => (p, false, tag),
            }
        })
    }

    /// Needles used as given (lowercased only), without prefix marks: the same matches as
    /// `find_word(hay, &needle.to_lowercase(), false)` for each needle.
    pub fn exact(list: &[String]) -> Self {
        Phrases::build(
            list.iter().map(|p| (p.to_lowercase(), false, 0)).collect(),
            false,
        )
    }

    fn build(list: Vec<(String, bool, usize)>, handles: bool) -> Self {
        let is_word = |c: char| is_word_char(c) || (handles && c == '@');
        let mut always_tags: Vec<usize> = list
            .iter()
            .filter(|p| p.0.is_empty())
            .map(|p| p.2)
            .collect();
        always_tags.dedup();
        let always = !always_tags.is_empty();
        let list: Vec<(String, bool, usize)> =
            list.into_iter().filter(|p| !p.0.is_empty()).collect();
        let tags = list.iter().map(|p| p.2).collect();
        let bounds = list
            .iter()
            .map(|(p, prefix, _)| {
                let first_word = p.chars().next().is_some_and(is_word);
                let last_word = p.chars().next_back().is_some_and(is_word);
                (first_word, !prefix && last_word)
            })
            .collect();
        let scanner = if list.is_empty() {
            None
        } else {
            Some(
                Scanner::with_stems(list.iter().map(|p| (p.0.as_str(), p.1)), handles)
                    .expect("phrase automaton"),
            )
        };
        Phrases {
            scanner,
            tags,
            always_tags,
            bounds,
            always,
            handles,
        }
    }

    /// Whether any phrase occurs in `lower`.
    pub fn matches(&self, lower: &str) -> bool {
        if self.always {
            return true;
        }
        self.try_each_found_at(lower, |_, _| ControlFlow::Break(()))
            .is_break()
    }

    /// The leftmost phrase found in `lower` on word boundaries, as (start, pattern), the
    /// first pattern among those that start there. Patterns are numbered in list order,
    /// skipping empty ones.
    pub(crate) fn first_at(&self, lower: &str) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        self.each_found_at(lower, |p, start| {
            if best.is_none_or(|b| (start, p) < b) {
                best = Some((start, p));
            }
        });
        best
    }

    /// Calls `f` with each pattern found in `lower` on word boundaries.
    fn each_found(&self, lower: &str, mut f: impl FnMut(usize)) {
        self.each_found_at(lower, |p, _| f(p));
    }

    /// Calls `f` with each pattern found in `lower` on word boundaries, and where it starts.
    fn each_found_at(&self, lower: &str, mut f: impl FnMut(usize, usize)) {
        let _ = self.try_each_found_at(lower, |p, start| {
            f(p, start);
            ControlFlow::Continue(())
        });
    }

    /// [`Phrases::each_found_at`] until `f` breaks.
    fn try_each_found_at(
        &self,
        lower: &str,
        mut f: impl FnMut(usize, usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(scanner) = &self.scanner else {
            return ControlFlow::Continue(());
        };
        scanner.try_each(lower.as_bytes(), |m| {
            let p = m.pattern as usize;
            let (left, right) = self.bounds[p];
            // The scanner checked ASCII word bytes; letters beyond ASCII are checked here.
            let ok = (!left
                || !lower[..m.start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| self.is_word(c)))
                && (!right
                    || !lower[m.end..]
                        .chars()
                        .next()
                        .is_some_and(|c| self.is_word(c)));
            if ok {
                f(p, m.start)
            } else {
                ControlFlow::Continue(())
            }
        })
    }
}

/// Named phrase lists (action kinds, factor kinds) matched in one pass: one automaton for
/// all lists, each pattern tagged with its list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Kinds {
    names: Vec<String>,
    phrases: Phrases,
}

impl Kinds {
    pub fn new<'a>(lists: impl Iterator<Item = (String, &'a [String])>) -> Self {
        let mut names = Vec::new();
        let mut all = Vec::new();
        for (tag, (name, list)) in lists.enumerate() {
            names.push(name);
            all.extend(Phrases::read(list, tag));
        }
        Kinds {
            names,
            phrases: Phrases::build(all, false),
        }
    }

    /// Calls `f` with the index of each list with a phrase in `lower` (some more than once).
    fn each_list_in(&self, lower: &str, mut f: impl FnMut(usize)) {
        for &t in &self.phrases.always_tags {
            f(t);
        }
        self.phrases.each_found(lower, |p| f(self.phrases.tags[p]));
    }

    /// The lists with a phrase in `lower` as a bit set, when there are at most 64 lists.
    fn mask_in(&self, lower: &str) -> Option<u64> {
        (self.names.len() <= 64).then(|| {
            let mut mask = 0u64;
            self.each_list_in(lower, |t| mask |= 1 << t);
            mask
        })
    }

    /// The names of the lists with a phrase in `lower`, in list order.
    pub fn all_in(&self, lower: &str) -> Vec<&str> {
        let mask = self.mask_in(lower);
        // More than 64 lists (a user lexicon's): one flag per list instead of the bit set.
        let mut wide = Vec::new();
        if mask.is_none() {
            wide = vec![false; self.names.len()];
            self.each_list_in(lower, |t| wide[t] = true);
        }
        self.names
            .iter()
            .enumerate()
            .filter(|&(i, _)| mask.map_or_else(|| wide[i], |m| m >> i & 1 == 1))
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// The name of the first list (in list order) with a phrase in `lower`.
    pub fn first_in(&self, lower: &str) -> Option<&str> {
        match self.mask_in(lower) {
            Some(mask) => (mask != 0).then(|| self.names[mask.trailing_zeros() as usize].as_str()),
            None => self.all_in(lower).first().copied(),
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Finds `needle` in `hay` on word boundaries; with `prefix` the right boundary is not required.
pub(crate) fn find_word(hay: &str, needle: &str, prefix: bool) -> Option<(usize, usize)> {
    let first_word = needle.chars().next().is_some_and(is_word_char);
    let last_word = needle.chars().next_back().is_some_and(is_word_char);
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(&hay.as_bytes()[from..], needle.as_bytes()) {
        let s = from + pos;
        let e = s + needle.len();
        let left = !first_word || !hay[..s].chars().next_back().is_some_and(is_word_char);
        let right = prefix || !last_word || !hay[e..].chars().next().is_some_and(is_word_char);
        if left && right {
            return Some((s, e));
        }
        from = s + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// A time zone named in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Zone {
    /// Minutes east of UTC.
    pub offset: i32,
    /// The zone is UTC (or an equivalent name).
    pub utc: bool,
    /// As written (shared: a zone is copied to every timeline entry it applies to).
    pub name: std::sync::Arc<str>,
}

/// Compiled vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub spec: Spec,
    /// Key synonym -> canonical field.
    pub field_keys: WordMap,
    pub header_sections: Phrases,
    pub impact_start: Phrases,
    pub detection: Phrases,
    pub identification: Phrases,
    pub mitigation_explicit: Phrases,
    pub mitigation: Phrases,
    pub resolution: Phrases,
    pub vague: Phrases,
    pub blameless: Phrases,
    pub zone_lines: Phrases,
    /// The long zone names (`zones.names`) that can occur in lowercased text, in map order,
    /// with one matcher for all: pattern `i` is `zone_names.1[i]`.
    pub zone_names: (Phrases, Vec<(String, i32)>),
    /// `zones.offsets` hashed, for lookups (the map keeps its order for the rest).
    zone_offsets: HashMap<String, i32, foldhash::fast::RandomState>,
    pub action_kinds: Kinds,
    /// Column names of action tables (`actions.text_columns`, `owner_keys`, `date_keys`,
    /// `ticket_keys`), matched on a lowercased header cell.
    pub text_columns: Phrases,
    pub owner_columns: Phrases,
    pub date_columns: Phrases,
    pub ticket_columns: Phrases,
    pub factor_kinds: Kinds,
    /// A clock time, optionally with an ISO date before it, am/pm and a zone after it.
    pub time_re: LazyRegex,
    /// The same pattern read by hand at the start of a timeline line.
    pub clock: super::time::Clock,
    /// `YYYY-MM-DD`.
    pub iso_date_re: LazyRegex,
    /// "January 14, 2026" / "Jan 14" (year optional).
    pub mdy_re: LazyRegex,
    /// "14 January 2026" / "10 Dec" (year optional).
    pub dmy_re: LazyRegex,
    /// Duration parts: "2h", "30 minutes".
    pub duration_re: LazyRegex,
    /// `H:MM` duration.
    pub hmm_re: LazyRegex,
    /// Ticket ids: `ABC-123`.
    pub ticket_re: LazyRegex,
    /// `#123`.
    pub hash_ticket_re: LazyRegex,
    /// URLs.
    pub url_re: LazyRegex,
    /// `@handle`.
    pub at_handle_re: LazyRegex,
    /// `handle@`.
    pub handle_at_re: LazyRegex,
    /// `owner: X`.
    pub owner_key_re: LazyRegex,
    /// The same, read with byte compares (`None` when a key is not ASCII).
    pub owner_keys: Option<super::owner::OwnerKeys>,
    /// `due 2026-12-10` / `by Friday`.
    pub date_word_re: LazyRegex,
    /// Numbers, for figures of impact.
    pub number_re: LazyRegex,
    pub units: HashMap<String, i64>,
    pub not_figures: Vec<String>,
    pub placeholders: Vec<String>,
    pub not_ticket_prefixes: Vec<String>,
}

fn alternation(words: &[String]) -> String {
    let mut w: Vec<String> = words
        .iter()
        .map(|s| regex::escape(s.trim()))
        .filter(|s| !s.is_empty())
        .collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.join("|")
}

/// The words of [`alternation`], unescaped, in the order it puts them.
fn alternation_order(words: &[String]) -> Vec<String> {
    let mut w: Vec<(String, &str)> = words
        .iter()
        .map(|s| (regex::escape(s.trim()), s.trim()))
        .filter(|s| !s.1.is_empty())
        .collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
    w.into_iter().map(|s| s.1.to_string()).collect()
}

/// The word boundary to put next to `parts`: ASCII-only `(?-u:\b)` when every part is
/// ASCII, Unicode `\b` otherwise.
///
/// Both agree next to an ASCII word, except beside a non-ASCII letter glued to it
/// ("éMar"), which no vocabulary relies on. The ASCII form keeps the regex engine's
/// lazy DFA running on text with non-ASCII characters (em dashes, names, emoji), where
/// a Unicode boundary makes it fall back to a much slower engine.
fn wb(parts: &[&str]) -> &'static str {
    if parts.iter().all(|p| p.is_ascii()) {
        r"(?-u:\b)"
    } else {
        r"\b"
    }
}

/// A regex compiled the first time it is used, so building the vocabulary stays cheap.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex {
    pattern: String,
    re: OnceLock<Regex>,
}

impl LazyRegex {
    fn compile(&self) -> Result<&Regex, regex::Error> {
        if let Some(r) = self.re.get() {
            return Ok(r);
        }
        let r = Regex::new(&self.pattern)?;
        Ok(self.re.get_or_init(|| r))
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        // Patterns of a vocabulary not built from `BUILTIN_STRUCTURE` are compiled in
        // `Compiled::parse`; the built-in ones are compiled by its tests.
        self.compile().expect("structure vocabulary regex")
    }
}

fn re_at(file: &str, entry: &str, pattern: &str, eager: bool) -> Result<LazyRegex, LexiconError> {
    let r = LazyRegex {
        pattern: pattern.to_string(),
        re: OnceLock::new(),
    };
    if eager {
        r.compile().map_err(|e| LexiconError {
            file: file.into(),
            entry: Some(entry.into()),
            message: e.to_string(),
        })?;
    }
    Ok(r)
}

impl Compiled {
    /// Compiles a vocabulary, and every regex in it (so that errors show here).
    pub fn parse(file: &str, text: &str) -> Result<Compiled, LexiconError> {
        Compiled::parse_with(file, text, true)
    }

    /// The built-in vocabulary. Its regexes are known to compile (the tests use them all), so
    /// they are compiled lazily, the first time a document needs them.
    pub fn parse_builtin() -> Result<Compiled, LexiconError> {
        let spec: Spec = crate::lexicon::from_builtin_json(
            "structure.toml",
            crate::lexicon::builtin_json::STRUCTURE,
        )?;
        Compiled::build("structure.toml", spec, false)
    }

    fn parse_with(file: &str, text: &str, eager: bool) -> Result<Compiled, LexiconError> {
        let spec: Spec = toml::from_str(text).map_err(|e| LexiconError {
            file: file.into(),
            entry: None,
            message: e.to_string(),
        })?;
        Compiled::build(file, spec, eager)
    }

    fn build(file: &str, spec: Spec, eager: bool) -> Result<Compiled, LexiconError> {
        let re = |file: &str, entry: &str, pattern: &str| re_at(file, entry, pattern, eager);
        let mut field_keys = WordMap::default();
        for (field, keys) in &spec.header.fields {
            for k in keys {
                field_keys
                    .entry(k.to_lowercase())
                    .or_insert_with(|| field.clone());
            }
        }
        for f in &spec.header.required {
            if !spec.header.fields.contains_key(f) {
                return Err(LexiconError {
                    file: file.into(),
                    entry: Some(format!("header.required.{f}")),
                    message: "no synonyms for this field in [header.fields]".into(),
                });
            }
        }
        let zone_abbrevs: Vec<String> = spec
            .zones
            .offsets
            .keys()
            .filter(|k| k.as_str() != "Z")
            .cloned()
            .collect();
        let zones = alternation(&zone_abbrevs);
        let clock = super::time::Clock::new(alternation_order(&zone_abbrevs));
        let (a, zb) = (wb(&[]), wb(&[&zones]));
        let time_re = re(
            file,
            "zones",
            &format!(
                r"(?:(?P<date>\d{{4}}-\d{{2}}-\d{{2}})(?:T|\s+|,\s*))?(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::(?P<s>\d{{2}})(?:\.\d+)?)?(?:\s*(?P<ampm>(?i:[ap]\.m\.|[ap]m{a})))?(?:\s*(?:\((?P<pzone>{zones})\)|(?P<zone>Z{a}|[+-]\d{{2}}:?\d{{2}}{a}|(?:{zones})(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?{zb})))?"
            ),
        )?;
        let mut month_names = Vec::new();
        for m in &spec.dates.months {
            let m = m.to_lowercase();
            month_names.push(m.clone());
            if m.len() > 3 {
                month_names.push(m[..3].to_string());
            }
            if m == "september" {
                month_names.push("sept".into());
            }
        }
        let months = alternation(&month_names);
        let mb = wb(&[&months]);
        let mdy_re = re(
            file,
            "dates.months",
            &format!(
                r"(?i){mb}(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{a}(?:,?\s+(?P<y>\d{{4}}){a})?"
            ),
        )?;
        let dmy_re = re(
            file,
            "dates.months",
            &format!(
                r"(?i){a}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{months}){mb}\.?(?:,?\s+(?P<y>\d{{4}}){a})?"
            ),
        )?;
        let units: HashMap<String, i64> = spec
            .durations
            .units
            .iter()
            .map(|(k, v)| (k.to_lowercase(), *v))
            .collect();
        let unit_alt = alternation(&units.keys().cloned().collect::<Vec<_>>());
        let ub = wb(&[&unit_alt]);
        let duration_re = re(
            file,
            "durations.units",
            &format!(r"(?i)(?P<n>\d+(?:\.\d+)?)\s*(?P<u>{unit_alt}){ub}"),
        )?;
        let owner_keys = alternation(&spec.actions.owner_keys);
        let owner_phrases = alternation(&spec.actions.owner_phrases);
        let ob = wb(&[&owner_keys, &owner_phrases]);
        let owner_key_re = re(
            file,
            "actions.owner_keys",
            &format!(
                r"(?i)(?:{ob}(?:{owner_keys})\s*[:=]|{ob}(?:{owner_phrases})\s)\s*(?P<v>[^,;()\[\]—–|\n]+)"
            ),
        )?;
        let date_words = alternation(&spec.actions.date_words);
        let date_keys = alternation(&spec.actions.date_keys);
        let relative = alternation(&spec.dates.relative);
        let db = wb(&[&date_words, &date_keys, &relative, &months]);
        let date_word_re = re(
            file,
            "actions.date_words",
            &format!(
                r"(?i)(?:{db}(?:{date_keys})\s*:\s*(?P<v1>[^,;()\[\]—–|\n]+)|{db}(?:{date_words})\s+(?P<v2>\d{{4}}-\d{{2}}-\d{{2}}|(?:{relative}){db}[^,;()\[\]—–|\n]*|(?:{months}){db}[^,;()\[\]—–|\n]*))"
            ),
        )?;
        let ph = |l: &Vec<String>| Phrases::new(l);
        Ok(Compiled {
            field_keys,
            header_sections: ph(&spec.header.sections),
            impact_start: ph(&spec.events.impact_start),
            detection: ph(&spec.events.detection),
            identification: ph(&spec.events.identification),
            mitigation_explicit: ph(&spec.events.mitigation_explicit),
            mitigation: ph(&spec.events.mitigation),
            resolution: ph(&spec.events.resolution),
            vague: ph(&spec.durations.vague),
            blameless: ph(&spec.blameless.cues),
            zone_lines: ph(&spec.zones.lines),
            zone_offsets: spec
                .zones
                .offsets
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            zone_names: {
                // A name with a capital never occurs in lowercased text.
                let names: Vec<(String, i32)> = spec
                    .zones
                    .names
                    .iter()
                    .filter(|(n, _)| !n.is_empty() && crate::words::lowercase(n) == **n)
                    .map(|(n, o)| (n.clone(), *o))
                    .collect();
                let list: Vec<String> = names.iter().map(|n| n.0.clone()).collect();
                (Phrases::exact(&list), names)
            },
            text_columns: Phrases::exact(&spec.actions.text_columns),
            owner_columns: Phrases::exact(&spec.actions.owner_keys),
            date_columns: Phrases::exact(&spec.actions.date_keys),
            ticket_columns: Phrases::exact(&spec.actions.ticket_keys),
            action_kinds: Kinds::new(
                spec.actions
                    .kinds
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_slice())),
            ),
            factor_kinds: Kinds::new(spec.factors.order.iter().map(|k| {
                (
                    k.clone(),
                    spec.factors.kinds.get(k).map(Vec::as_slice).unwrap_or(&[]),
                )
            })),
            time_re,
            clock,
            iso_date_re: re(
                file,
                "dates",
                r"(?-u:\b)(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?-u:\b)",
            )?,
            mdy_re,
            dmy_re,
            duration_re,
            hmm_re: re(
                file,
                "durations",
                r"^\s*(?P<h>\d{1,3}):(?P<m>\d{2})(?-u:\b)",
            )?,
            ticket_re: re(
                file,
                "actions",
                r"(?-u:\b)(?P<p>[A-Z][A-Z0-9]{0,11})-(?P<n>\d+)(?-u:\b)",
            )?,
            hash_ticket_re: re(file, "actions", r"(?:^|[\s(,\[])#\d+(?-u:\b)")?,
            url_re: re(file, "actions", r"https?://[^\s)>\]]+")?,
            at_handle_re: re(file, "actions", r"(?:^|[\s(,\[:])@(?P<h>\w[\w.\-]*\w|\w)")?,
            handle_at_re: re(
                file,
                "actions",
                r"(?:^|[\s(,\[:])(?P<h>\w[\w.\-]*)@(?:[\s,;)\].]|$)",
            )?,
            owner_key_re,
            owner_keys: super::owner::OwnerKeys::new(
                alternation_order(&spec.actions.owner_keys),
                alternation_order(&spec.actions.owner_phrases),
            ),
            date_word_re,
            number_re: re(
                file,
                "impact",
                r"(?P<cur>[$€£¥])?\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<pct>%|percent(?-u:\b))?",
            )?,
            units,
            not_figures: spec
                .impact
                .not_figures
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            placeholders: spec
                .header
                .placeholders
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            not_ticket_prefixes: spec.actions.not_ticket_prefixes.clone(),
            spec,
        })
    }

    /// Whether a timeline event says impact began: an impact word, or "starts returning ...".
    pub fn impact_began(&self, lower: &str) -> bool {
        if self.impact_start.matches(lower) {
            return true;
        }
        let ev = &self.spec.events;
        let mut words = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .peekable();
        while let Some(w) = words.next() {
            if ev.impact_start_verbs.iter().any(|v| v == w) {
                if let Some(next) = words.peek() {
                    if next.len() > 4
                        && next.ends_with("ing")
                        && !ev.impact_start_not_gerunds.iter().any(|g| g == next)
                    {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether a value is blank or a placeholder ("TBD").
    pub fn is_placeholder(&self, value: &str) -> bool {
        let v = value
            .trim()
            .trim_matches(|c: char| c == '*' || c == '_' || c == '`')
            .trim();
        crate::words::with_lower(v, |v| self.placeholders.iter().any(|p| p == v))
    }

    /// The canonical header field for a key, if any.
    pub fn field_for_key(&self, key: &str) -> Option<&str> {
        self.field_keys
            .get(normal_key(key).as_str())
            .map(String::as_str)
    }

    /// A zone abbreviation (`UTC`, `CEST`, `Z`, `UTC+2`, `+02:00`) as written after a time.
    pub fn zone(&self, written: &str) -> Option<Zone> {
        let w = written.trim();
        if w.is_empty() {
            return None;
        }
        let utc_name = |n: &str| {
            self.spec
                .zones
                .utc
                .iter()
                .any(|u| u.eq_ignore_ascii_case(n))
        };
        if let Some(pos) = w.find(['+', '-']) {
            let (name, off) = w.split_at(pos);
            let name = name.trim();
            let base = if name.is_empty() {
                0
            } else {
                *self.zone_offsets.get(name)?
            };
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let digits: String = off[1..].chars().filter(char::is_ascii_digit).collect();
            let (h, m) = match digits.len() {
                1 | 2 => (digits.parse::<i32>().ok()?, 0),
                3 => (
                    digits[..1].parse::<i32>().ok()?,
                    digits[1..].parse::<i32>().ok()?,
                ),
                4 => (
                    digits[..2].parse::<i32>().ok()?,
                    digits[2..].parse::<i32>().ok()?,
                ),
                _ => return None,
            };
            let offset = base + sign * (h * 60 + m);
            return Some(Zone {
                offset,
                utc: offset == 0 && (name.is_empty() || utc_name(name)),
                name: w.into(),
            });
        }
        let offset = *self.zone_offsets.get(w).or_else(|| {
            self.zone_offsets
                .get(&w.to_uppercase())
                .filter(|_| w.len() >= 3)
        })?;
        Some(Zone {
            offset,
            utc: utc_name(w),
            name: w.into(),
        })
    }

    /// A zone named anywhere in a heading or an "all times ..." line.
    pub fn zone_in_text(&self, text: &str) -> Option<Zone> {
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '-' || c == ':'))
        {
            let word = word.trim_matches(['-', ':']);
            if word.len() >= 3 && word.chars().any(char::is_alphabetic) {
                if let Some(z) = self.zone(&word.to_uppercase()) {
                    if word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()) || z.utc {
                        return Some(z);
                    }
                }
            }
        }
        // The name that occurs first; of names that start at the same place, the first in
        // map order (an empty name, first of all, occurs at the start).
        let (name, offset) = match self.spec.zones.names.get_key_value("") {
            Some((n, o)) => (n, *o),
            None => {
                let lower = crate::words::lowercase(text);
                let (_, p) = self.zone_names.0.first_at(&lower)?;
                let (n, o) = &self.zone_names.1[p];
                (n, *o)
            }
        };
        Some(Zone {
            offset,
            utc: self
                .spec
                .zones
                .utc
                .iter()
                .any(|u| u.eq_ignore_ascii_case(name)),
            name: name.as_str().into(),
        })
    }

    /// [`Compiled::zone_in_text`]'s long-name search as it was first written: one
    /// `find_word` per name, the earliest kept. The reference for its tests.
    #[cfg(test)]
    fn zone_name_by_find_word(&self, text: &str) -> Option<(String, i32)> {
        let lower = text.to_lowercase();
        let mut best: Option<(usize, String, i32)> = None;
        for (name, off) in &self.spec.zones.names {
            if let Some((s, _)) = find_word(&lower, name, false) {
                if best.as_ref().is_none_or(|b| s < b.0) {
                    best = Some((s, name.clone(), *off));
                }
            }
        }
        best.map(|b| (b.1, b.2))
    }

    /// Month number (1-12) of a month name or abbreviation.
    pub fn month(&self, name: &str) -> Option<u32> {
        let n = name.to_lowercase();
        let n = n.trim_end_matches('.');
        if n.len() < 3 {
            return None;
        }
        self.spec
            .dates
            .months
            .iter()
            .position(|m| m.to_lowercase().starts_with(n))
            .map(|i| i as u32 + 1)
    }
}

/// A header key as the field table knows it: lowercase, without parentheticals (`(UTC)`),
/// `-`, `_`, `*` and `` ` `` read as spaces, one space between words, no trailing `:` or
/// `.`. Written in one pass; `kinds_tests::normal_key_by_steps` is the reference.
fn normal_key(key: &str) -> String {
    let mut k = String::with_capacity(key.len());
    let mut depth = 0usize;
    // A space is written only before the next word, so none leads or trails.
    let mut space = false;
    let mut push = |k: &mut String, c: char| {
        if c.is_whitespace() {
            space = !k.is_empty();
        } else {
            if space {
                k.push(' ');
                space = false;
            }
            k.push(c);
        }
    };
    for c in key.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '-' | '_' | '*' | '`' => push(&mut k, ' '),
            _ if c.is_ascii() => push(&mut k, c.to_ascii_lowercase()),
            _ => c.to_lowercase().for_each(|l| push(&mut k, l)),
        }
    }
    let end = k.trim_end_matches([':', '.']).trim_end().len();
    k.truncate(end);
    k
}

#[cfg(test)]
mod kinds_tests {
    use super::*;

    /// [`normal_key`] as it was first written, step by step.
    pub(super) fn normal_key_by_steps(key: &str) -> String {
        let mut k = String::with_capacity(key.len());
        let mut depth = 0usize;
        for c in key.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '-' | '_' | '*' | '`' => k.push(' '),
                _ => k.extend(c.to_lowercase()),
            }
        }
        let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
        k.trim_end_matches([':', '.']).trim().to_string()
    }

    #[test]
    fn header_keys_normalised() {
        assert_eq!(normal_key("**Detected (UTC):**"), "detected");
        assert_eq!(normal_key("Incident  Commander"), "incident commander");
        assert_eq!(normal_key("time-to-detect ."), "time to detect");
        assert_eq!(normal_key("ÉTAT"), "état");
        assert_eq!(normal_key(" : "), "");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The one-pass key is the step-by-step one.
        #[test]
        fn header_keys_agree_with_the_steps(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Owner", "de", "TECTED", " ", "  ", "\t", "\n", "\u{a0}", "(", ")", "[", "]", "UTC",
                "-", "_", "*", "`", ":", ".", "::", "É", "İ", "Σ", "ß", "ǅ", "x",
            ]), 0..12),
        ) {
            let key: String = parts.concat();
            proptest::prop_assert_eq!(normal_key(&key), normal_key_by_steps(&key), "{:?}", key);
        }
    }

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kinds_report_every_list_in_order_on_word_boundaries() {
        let (a, b, c) = (
            list(&["alert*", "page on"]),
            list(&["runbook"]),
            list(&["Rollback"]),
        );
        let k = Kinds::new(
            [("detect", &a[..]), ("doc", &b[..]), ("undo", &c[..])]
                .into_iter()
                .map(|(n, l)| (n.to_string(), l)),
        );
        assert_eq!(k.all_in("add alerting and a runbook"), ["detect", "doc"]);
        assert_eq!(k.all_in("rollback, then page on lag"), ["detect", "undo"]);
        assert_eq!(k.first_in("a runbook for rollback"), Some("doc"));
        // "page on" needs a word boundary on both sides; "alert*" only on the left.
        assert!(k.all_in("homepage online, realerting").is_empty());
        assert_eq!(k.first_in("nothing here"), None);
    }

    #[test]
    fn an_empty_phrase_makes_its_list_match_everything() {
        let (a, b) = (list(&["x"]), list(&["", "y"]));
        let k = Kinds::new(
            [("a", &a[..]), ("b", &b[..])]
                .into_iter()
                .map(|(n, l)| (n.to_string(), l)),
        );
        assert_eq!(k.all_in("zzz"), ["b"]);
        assert_eq!(k.all_in("x"), ["a", "b"]);
    }

    #[test]
    fn kinds_beyond_64_lists() {
        let lists: Vec<(String, Vec<String>)> = (0..70)
            .map(|i| (i.to_string(), vec![format!("w{i}")]))
            .collect();
        let k = Kinds::new(lists.iter().map(|(n, l)| (n.clone(), l.as_slice())));
        assert_eq!(k.all_in("w69, w3 and w65"), ["3", "65", "69"]);
        assert_eq!(k.first_in("w69, w3 and w65"), Some("3"));
        assert_eq!(k.first_in("w70"), None);
    }

    #[test]
    fn the_json_built_in_vocabulary_equals_the_toml_file() {
        let from_toml: Spec = toml::from_str(BUILTIN_STRUCTURE).unwrap();
        let from_json: Spec = crate::lexicon::from_builtin_json(
            "structure.toml",
            crate::lexicon::builtin_json::STRUCTURE,
        )
        .unwrap();
        assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"));
    }

    #[test]
    fn matches_stops_only_at_a_phrase_on_word_boundaries() {
        // The scan reports `page` inside `épage` and `pages` (the scanner's ASCII word
        // bytes end there); only the last occurrence stands on boundaries.
        let p = Phrases::new(&list(&["page", "on call"]));
        assert!(!p.matches("épage, pageé"));
        assert!(p.matches("épage, pageé, page"));
        assert!(p.matches("épage then on call"));
        assert!(!p.matches("épage then on callé"));
        assert_eq!(p.first_at("épage, page"), Some((8, 0)));
    }

    #[test]
    fn exact_words_treat_at_as_a_word_character() {
        let l = list(&["call it", "dana"]);
        let (rules, vocab) = (Phrases::exact_words(&l), Phrases::exact(&l));
        assert!(rules.matches("we call it x"));
        assert!(!rules.matches("we recall it"));
        // `@dana` is one word for the phrase rules, two for the structure vocabulary.
        assert!(!rules.matches("ask @dana"));
        assert!(vocab.matches("ask @dana"));
        assert!(rules.matches("ask dana."));
        assert!(Phrases::exact_words(&list(&["", "x"])).matches("anything"));
    }

    mod agree {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            /// The long zone name found in a text is the one the per-name search finds.
            #[test]
            fn zone_names_agree_with_find_word(
                words in prop::collection::vec(prop::sample::select(vec![
                    "eastern", "us", "Eastern", "EASTERN", "pacific", "us pacific", "new", "york",
                    "new york", "utc", "UTC", "gmt", "time", "central european", "european", "eastern european",
                    "tokyo-based", "berlin_x", "xlondon", "paris,", "(utc)", "ütc", "é", " ", "-",
                ]), 0..8),
            ) {
                static VOCAB: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
                let v = VOCAB.get_or_init(crate::structure::tests_support::vocab);
                let text = words.join(" ");
                let lower = crate::words::lowercase(&text);
                let found = v
                    .zone_names
                    .0
                    .first_at(&lower)
                    .map(|(_, p)| v.zone_names.1[p].clone());
                prop_assert_eq!(found, v.zone_name_by_find_word(&text), "{:?}", text);
            }
        }

        fn piece() -> impl Strategy<Value = String> {
            prop::sample::select(vec![
                "a", "ab", "abc", "b", "detect", "é", "ée", "_", "@", "9", " ", "  ", "-", ".",
                "’", "\n", "*",
            ])
            .prop_map(str::to_string)
        }

        fn text(n: usize) -> impl Strategy<Value = String> {
            prop::collection::vec(piece(), 0..n).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            /// Every list's answer is one `find_word` per phrase, stems and all.
            #[test]
            fn kinds_agree_with_find_word(
                lists in prop::collection::vec(prop::collection::vec(text(4), 1..5), 1..4),
                hay in text(30),
            ) {
                let named: Vec<(String, &[String])> = lists
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i.to_string(), &l[..]))
                    .collect();
                let kinds = Kinds::new(named.iter().map(|(n, l)| (n.clone(), *l)));
                let expected: Vec<String> = lists
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.iter().any(|p| {
                            let p = p.trim().to_lowercase();
                            match p.strip_suffix('*') {
                                Some(stem) => stem.is_empty() || find_word(&hay, stem, true).is_some(),
                                None => p.is_empty() || find_word(&hay, &p, false).is_some(),
                            }
                        })
                    })
                    .map(|(i, _)| i.to_string())
                    .collect();
                prop_assert_eq!(kinds.all_in(&hay), expected.clone());
                prop_assert_eq!(kinds.first_in(&hay), expected.first().map(String::as_str));
                for l in &lists {
                    let one = Phrases::exact(l);
                    let any = l.iter().any(|p| {
                        let p = p.to_lowercase();
                        find_word(&hay, &p, false).is_some()
                    });
                    prop_assert_eq!(one.matches(&hay), any, "exact {:?}", l);
                }
            }
        }
    }

    #[test]
    fn ascii_boundaries_only_for_ascii_words() {
        assert_eq!(wb(&["owner|assignee", ""]), r"(?-u:\b)");
        assert_eq!(wb(&["owner|responsable|échéance"]), r"\b");
    }
}
