//! Judgment around each trigger hit: sentence, clause, subject, negation, quotes,
//! section. Every condition a rule can name in its TOML is evaluated here.

use crate::lexicon::{NextReq, Rule, SectionKind, SubjectReq};
use crate::markdown::{Document, Leaf, BARRIER};
use crate::words::{tokenize_into, with_lower, Class, Lower, Token, WordSet, WordSets};
use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// How far (in bytes) context checks look either side of a trigger.
const WINDOW: usize = 400;
/// How many tokens a clause or subject search looks back or ahead.
const MAX_TOKENS: usize = 60;

fn floor_char(s: &str, i: usize) -> usize {
    crate::offsets::floor_char(s, i)
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// The bytes within [`WINDOW`] of `hit` inside `leaf`, on char boundaries: where the
/// context checks look.
fn window(p: &str, leaf: &Range<usize>, hit: &Range<usize>) -> (usize, usize) {
    let from = ceil_char(p, leaf.start.max(hit.start.saturating_sub(WINDOW)));
    let to = floor_char(p, leaf.end.min(hit.end + WINDOW)).max(hit.end);
    (from, to)
}

/// The bounds of the sentence around `hit` within `from..to` that a byte scan finds: the
/// nearest ". ", "? " or "! " before a capital, digit or non-ASCII byte on either side
/// (not after a one-letter word, as in "e. g."), or the window's edge. `b` is the prose
/// in its own case (a lowercased copy has no capitals). The sentence of
/// [`LeafCtx::sentence_around`] lies inside these bounds: it is them for ASCII text, and
/// Unicode segmentation only ever narrows them.
fn sentence_bounds(b: &[u8], from: usize, to: usize, hit: &Range<usize>) -> (usize, usize) {
    let ends_at = |i: usize| -> bool {
        // A sentence ends after b[i] when it is . ? ! followed by space(s) and a capital or digit.
        matches!(b[i], b'.' | b'?' | b'!')
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2)
                .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c >= 0x80)
            && !(b[i] == b'.'
                && i >= 2
                && (b[i - 2] == b' ' || b[i - 2] == b'.')
                && b[i - 1].is_ascii_alphabetic())
    };
    // Only `.`, `?` and `!` can end one: jump from one to the next.
    let start = memchr::memrchr3_iter(b'.', b'?', b'!', &b[from..hit.start])
        .map(|k| from + k)
        .find(|&i| ends_at(i))
        .map_or(from, |i| i + 2);
    let end = memchr::memchr3_iter(b'.', b'?', b'!', &b[hit.end..to])
        .map(|k| hit.end + k)
        .find(|&j| ends_at(j))
        .map_or(to, |j| j + 1);
    (start, end)
}

/// Per-leaf facts computed on the first hit in the leaf and reused for later hits.
pub(crate) struct LeafCtx {
    pub leaf: usize,
    /// Quoted ranges in prose offsets: (range, judged-anyway because it is a scare-quoted label).
    pub quotes: Vec<(Range<usize>, bool)>,
    /// The last sentence found and tokenised.
    pub sentence: Option<Range<usize>>,
    /// Its tokens; the memory is kept from leaf to leaf.
    pub toks: Vec<Tok>,
}

/// An owned token (prose range plus flags); text is read back from the prose buffer.
///
/// A word's flags are looked up the first time a check asks for one: the checks walk
/// back from the trigger to a clause or scope break, so most tokens of a sentence are
/// never asked about.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub range: Range<usize>,
    pub word: bool,
    /// [`FLAGS_KNOWN`] and the flags once looked up; 0 before.
    flags: Cell<u8>,
}

const FLAGS_KNOWN: u8 = 1;
/// A word that is a negation cue ("not", "never").
const NEG: u8 = 2;
/// A word that ends a negation's scope ("but", "because").
const STRONG: u8 = 4;
/// A word that starts a clause (a clause break or a relative pronoun).
const BRK: u8 = 8;

impl Tok {
    fn flags(&self, prose: &str, words: &WordSets) -> u8 {
        let f = self.flags.get();
        if f != 0 {
            return f;
        }
        let (neg, strong, brk) = if self.word {
            words.token_flags_of(&prose[self.range.clone()])
        } else {
            (false, false, false)
        };
        let f = FLAGS_KNOWN
            | if neg { NEG } else { 0 }
            | if strong { STRONG } else { 0 }
            | if brk { BRK } else { 0 };
        self.flags.set(f);
        f
    }
}

impl LeafCtx {
    pub fn new(doc: &Document<'_>, leaf_idx: usize, words: &WordSets) -> LeafCtx {
        let leaf = &doc.leaves[leaf_idx];
        let text = &doc.prose[leaf.norm.clone()];
        let base = leaf.norm.start;
        LeafCtx {
            leaf: leaf_idx,
            quotes: find_quotes(text, base, words),
            sentence: None,
            toks: Vec::new(),
        }
    }

    /// The context of another leaf, keeping the token memory.
    pub fn reset(&mut self, doc: &Document<'_>, leaf_idx: usize, words: &WordSets) {
        let toks = std::mem::take(&mut self.toks);
        *self = LeafCtx {
            toks,
            ..LeafCtx::new(doc, leaf_idx, words)
        };
    }

    /// Tokenises `sentence` into [`LeafCtx::toks`] unless it is the last one tokenised;
    /// `scratch` is memory for the word segments, kept between calls.
    pub fn tokenize<'d>(
        &mut self,
        doc: &'d Document<'_>,
        sentence: &Range<usize>,
        scratch: &mut Vec<Token<'d>>,
    ) {
        if self.sentence.as_ref() == Some(sentence) {
            return;
        }
        tokenize_into(&doc.prose[sentence.clone()], sentence.start, scratch);
        self.toks.clear();
        self.toks.extend(scratch.iter().map(|t| Tok {
            range: t.range.clone(),
            word: t.word,
            flags: Cell::new(0),
        }));
        self.sentence = Some(sentence.clone());
    }

    /// The sentence holding `hit` (prose offsets), found with Unicode sentence
    /// segmentation of a bounded window around the hit only, so the cost per hit does
    /// not grow with the paragraph. `bounds` gives the byte scan's bounds for the hit
    /// ([`Near::sentence_bounds`], which the prechecks may have found already): most
    /// sentences end in ". ", "? " or "! " before a capital, and only the rare unclear
    /// case is left to Unicode segmentation.
    pub fn sentence_around(
        &self,
        doc: &Document<'_>,
        hit: Range<usize>,
        bounds: impl FnOnce() -> (usize, usize),
    ) -> Range<usize> {
        if let Some(r) = &self.sentence {
            if r.start <= hit.start && hit.end <= r.end {
                return r.clone();
            }
        }
        let p = &doc.prose;
        let (start, end) = bounds();
        let region = &p[start..end];
        // An ASCII region is taken as found; any other one only when Unicode segmentation
        // could find no bound inside it either.
        if region.is_ascii() || crate::sentences::one_sentence(region) {
            return start..end;
        }
        for (k, s) in region.split_sentence_bound_indices() {
            let r = start + k..start + k + s.len();
            if r.end > hit.start {
                return r.start..r.end.max(hit.end);
            }
        }
        start..end
    }

    /// Inside quotation marks that are not a scare-quoted label.
    pub fn in_quotes(&self, range: &Range<usize>) -> bool {
        self.quotes
            .iter()
            .any(|(q, judged)| !judged && q.start <= range.start && range.end <= q.end)
    }
}

/// The quotation marks in `text`, in order: `"` and the curly `“ „ ”`, found with
/// `memchr` (the three curly ones start with the byte `0xE2`).
fn quote_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'"', 0xE2, b).filter_map(move |i| match (b[i], b.get(i + 1..i + 3)) {
        (b'"', _) => Some((i, '"')),
        (_, Some([0x80, 0x9C])) => Some((i, '“')),
        (_, Some([0x80, 0x9D])) => Some((i, '”')),
        (_, Some([0x80, 0x9E])) => Some((i, '„')),
        _ => None,
    })
}

fn find_quotes(text: &str, base: usize, words: &WordSets) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in quote_marks(text) {
        match c {
            '"' => match open {
                Some(s) => {
                    out.push((s..i + 1, false));
                    open = None;
                }
                None => {
                    // A straight quote right after a letter is an inch mark or typo, not an opening quote.
                    let prev = text[..i].chars().next_back();
                    if !prev.is_some_and(|p| p.is_alphanumeric()) {
                        open = Some(i);
                    }
                }
            },
            '“' | '„' => open = Some(i),
            '”' => {
                if let Some(s) = open.take() {
                    out.push((s..i + c.len_utf8(), false));
                }
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push((s..text.len(), false));
    }
    // A short quoted label after a classification verb ("filed under "user error"") is
    // the author's own framing, so it is judged.
    for (r, judged) in &mut out {
        let inner = &text[r.clone()];
        let n_words = inner.split_whitespace().count();
        let from = ceil_char(text, r.start.saturating_sub(40));
        let before = crate::words::lowercase(text[from..r.start].trim_end());
        if n_words <= 4 && words.labelling.iter().any(|l| before.ends_with(l.as_str())) {
            *judged = true;
        }
        r.start += base;
        r.end += base;
    }
    out
}

/// Everything the conditions of one hit need.
pub(crate) struct Hit<'d> {
    pub doc: &'d Document<'d>,
    /// `doc.prose` ASCII-lowercased (same offsets): an ASCII slice of it is the slice
    /// lowercased, without a copy.
    pub lowered: &'d str,
    pub range: Range<usize>,
    pub sentence: Range<usize>,
    pub toks: &'d [Tok],
    /// Index of the first token at or after the trigger start.
    pub t_start: usize,
    /// Index of the first token after the trigger.
    pub t_end: usize,
    pub section: SectionKind,
}

impl<'d> Hit<'d> {
    fn text(&self, t: &Tok) -> &'d str {
        &self.doc.prose[t.range.clone()]
    }

    /// `prose[range]` lowercased: borrowed from [`Hit::lowered`] when it is ASCII.
    fn lower(&self, range: Range<usize>) -> Cow<'d, str> {
        let text = &self.doc.prose[range.clone()];
        if text.is_ascii() {
            Cow::Borrowed(&self.lowered[range])
        } else {
            Cow::Owned(crate::words::lowercase(text))
        }
    }

    /// The sentence around the trigger, at most [`WINDOW`] bytes either side, lowercased.
    /// Context checks look no further, which keeps a pathological run-on "sentence" linear.
    fn lower_sentence(&self) -> Cow<'d, str> {
        let p = &self.doc.prose;
        let start = ceil_char(
            p,
            self.sentence
                .start
                .max(self.range.start.saturating_sub(WINDOW)),
        );
        let end = floor_char(p, self.sentence.end.min(self.range.end + WINDOW));
        self.lower(start..end.max(start))
    }

    /// The sentence text before the trigger (at most [`WINDOW`] bytes), lowercased.
    fn before(&self) -> Cow<'d, str> {
        let p = &self.doc.prose;
        let start = ceil_char(
            p,
            self.sentence
                .start
                .max(self.range.start.saturating_sub(WINDOW)),
        );
        let end = start + p[start..self.range.start].trim_end().len();
        self.lower(start..end)
    }

    /// The text from the trigger end to the sentence end, lowercased.
    fn after(&self) -> Cow<'d, str> {
        let p = &self.doc.prose;
        let end = floor_char(p, self.sentence.end.min(self.range.end + WINDOW)).max(self.range.end);
        let start = end - p[self.range.end..end].trim_start().len();
        self.lower(start..end)
    }

    /// Index of the first token of the trigger's clause.
    fn clause_start(&self, words: &WordSets, upto: usize) -> usize {
        let mut i = upto;
        let floor = upto.saturating_sub(MAX_TOKENS);
        while i > floor {
            let t = &self.toks[i - 1];
            let s = self.text(t);
            if if t.word {
                t.flags(&self.doc.prose, words) & BRK != 0
            } else {
                is_break(s, false, words)
            } {
                // "merged that PR": a determiner after a verb, not a relative pronoun.
                let determiner = (s.eq_ignore_ascii_case("that")
                    || s.eq_ignore_ascii_case("which"))
                    && i >= 2
                    && words.is_verbish(self.text(&self.toks[i - 2]));
                if !determiner {
                    return i;
                }
            }
            i -= 1;
        }
        floor
    }

    /// Index of the first token after the last strong break (punctuation or a
    /// coordinating/causal conjunction) before token `upto`: the reach of a negation.
    fn scope_start(&self, words: &WordSets, upto: usize) -> usize {
        let mut i = upto;
        let floor = upto.saturating_sub(MAX_TOKENS);
        while i > floor {
            let t = &self.toks[i - 1];
            let s = self.text(t);
            let strong = if t.word {
                t.flags(&self.doc.prose, words) & STRONG != 0
            } else {
                matches!(s, ";" | ":" | "—" | "–" | "," | "(" | ")" | "?" | "!")
                    || s.as_bytes().first() == Some(&BARRIER)
            };
            if strong {
                return i;
            }
            i -= 1;
        }
        floor
    }
}

fn is_break(s: &str, word: bool, words: &WordSets) -> bool {
    if !word {
        return matches!(
            s,
            ";" | ":" | "—" | "–" | "," | "(" | ")" | "\u{1}" | "?" | "!"
        ) || s.as_bytes().first() == Some(&BARRIER);
    }
    with_lower(s, |l| {
        words.clause_breaks.contains(l) || words.relatives.contains(l)
    })
}

/// General punctuation outside ASCII: dashes, quotes, ellipsis, CJK and full-width marks.
fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '«' | '»' | '¿' | '¡')
}

/// The class of the noun phrase starting at token `from` (before `to`): a person when it
/// holds a person's possessive ("Ayumi's migration"), otherwise the class of its head,
/// the last word that is not an adverb. `None` when no noun phrase starts there.
fn np_class(
    hit: &Hit<'_>,
    words: &WordSets,
    names: &WordSet,
    from: usize,
    to: usize,
    name_first: bool,
) -> Option<Class> {
    let mut head: Option<usize> = None;
    let mut first: Option<usize> = None;
    let mut possessive_person = false;
    for i in from..to {
        let t = &hit.toks[i];
        let text = hit.text(t);
        if !t.word {
            // Emoji and other symbols are transparent; punctuation ends the phrase.
            let symbol = text
                .chars()
                .all(|c| !c.is_ascii_punctuation() && !is_punctuation(c));
            if head.is_some() && !symbol && !matches!(text, "'" | "’" | "-") {
                break;
            }
            continue;
        }
        let lower = Lower::new(text);
        let lower: &str = &lower;
        if text.chars().all(|c| c.is_ascii_digit()) && head.is_none() {
            continue; // a timestamp before a timeline actor
        }
        let capitalised = text.chars().next().is_some_and(char::is_uppercase);
        if (!capitalised && words.is_verbish(text))
            || words.prepositions.contains(lower)
            || t.flags(&hit.doc.prose, words) & BRK != 0
        {
            break;
        }
        if first.is_none() && words.is_pronoun(lower) {
            // A pronoun is a whole noun phrase ("Anyone paying attention ...").
            return Some(words.classify(text, names, true));
        }
        let is_handle = text.len() > 1 && (text.starts_with('@') || text.ends_with('@'));
        if first.is_none()
            && (is_handle || (capitalised && words.is_known_name(lower, names)))
            && !lower.ends_with("'s")
            && !lower.ends_with("’s")
        {
            // A handle or a name right before a lowercase word is a whole noun phrase
            // ("radu@ ships", "Åsa recklessly overwrote"), unless a role noun follows ("Nuno team").
            let next = hit.toks.get(i + 1).filter(|n| n.word).map(|n| hit.text(n));
            let next_lower = next.is_some_and(|n| n.chars().next().is_some_and(char::is_lowercase));
            let next_role = next.is_some_and(|n| words.classify(n, names, false) == Class::Person);
            if next_lower && !next_role && words.classify(text, names, true) == Class::Person {
                return Some(Class::Person);
            }
        }
        if head.is_some() && hit.toks[i - 1].word && {
            let prev = Lower::new(hit.text(&hit.toks[i - 1]));
            prev.len() > 4 && prev.ends_with("ly")
        } {
            break; // the word after an adverb is the verb
        }
        first.get_or_insert(i);
        if words.adverbs.contains(lower) || (lower.len() > 4 && lower.ends_with("ly")) {
            continue;
        }
        if (lower.ends_with("'s") || lower.ends_with("’s"))
            && words.classify(text, names, true) == Class::Person
        {
            possessive_person = true;
        }
        head = Some(i);
    }
    let h = head?;
    if possessive_person {
        return Some(Class::Person);
    }
    let name_position = (name_first && Some(h) == first) || h + 1 == to;
    Some(words.classify(
        hit.text(&hit.toks[h]),
        names,
        name_position || before_verb(hit, words, h, to),
    ))
}

/// Finds the subject class of the trigger's clause (see [`np_class`]), following
/// relative pronouns to their noun and coordinated verbs to the previous clause.
pub(crate) fn subject(hit: &Hit<'_>, words: &WordSets, names: &WordSet) -> Class {
    let mut end = hit.t_start;
    for _ in 0..6 {
        let start = hit.clause_start(words, end);
        if let Some(c) = np_class(hit, words, names, start, end, false) {
            return c;
        }
        if start == 0 {
            return Class::Unknown;
        }
        // Nothing in this clause: a relative pronoun points at the noun before it,
        // a participle or coordinated verb shares the previous clause's subject.
        let brk = &hit.toks[start - 1];
        let brk_text = Lower::new(hit.text(brk));
        let brk_text: &str = &brk_text;
        if words.relatives.contains(brk_text) {
            let mut j = start - 1;
            while j > 0 {
                j -= 1;
                let t = &hit.toks[j];
                if !t.word {
                    break;
                }
                match words.classify(hit.text(t), names, false) {
                    Class::Unknown => {
                        if j + 3 < start {
                            break;
                        }
                    }
                    c => return c,
                }
            }
            return Class::Unknown;
        }
        if !(brk_text == "," || brk_text == "and" || brk_text == "or" || brk_text == "then") {
            return Class::Unknown;
        }
        end = start - 1;
    }
    Class::Unknown
}

/// Whether token `i` stands right before a verb: the trigger, a finite verb or an adverb.
fn before_verb(hit: &Hit<'_>, words: &WordSets, i: usize, trigger: usize) -> bool {
    if i + 1 == trigger {
        return true;
    }
    match hit.toks.get(i + 1) {
        Some(n) if n.word => {
            let t = hit.text(n);
            words.is_verbish(t)
                || with_lower(t, |l| words.adverbs.contains(l))
                || (t.len() > 4 && t.ends_with("ly"))
        }
        _ => false,
    }
}

/// The class of the noun phrase right after the trigger.
fn next_class(hit: &Hit<'_>, words: &WordSets, names: &WordSet) -> Class {
    let to = hit.toks.len().min(hit.t_end + 8);
    np_class(hit, words, names, hit.t_end, to, true).unwrap_or(Class::Unknown)
}

/// The participle after the trigger (skipping adverbs), as a token index.
pub(crate) fn participle_after(hit: &Hit<'_>, words: &WordSets) -> Option<usize> {
    let mut i = hit.t_end;
    while i < hit.toks.len() {
        let t = &hit.toks[i];
        if !t.word {
            return None;
        }
        let s = hit.text(t).to_lowercase();
        if words.adverbs.contains(&s) {
            i += 1;
            continue;
        }
        return words.is_participle(&s).then_some(i);
    }
    None
}

/// Does `hay` contain `needle` as whole words? The reference for [`Needle::in_words`].
#[cfg(test)]
pub(crate) fn contains_words(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    let check_before = needle.starts_with(is_word_char);
    let check_after = needle.ends_with(is_word_char);
    let mut from = 0;
    while let Some(p) = memchr::memchr(first, &h[from..]) {
        let s = from + p;
        // `first` starts a char (it is the first byte of a `str`), so `s` and `s + n.len()`
        // are char boundaries whenever the bytes match.
        if h[s..].starts_with(n) {
            let e = s + n.len();
            let before_ok =
                !check_before || !hay[..s].chars().next_back().is_some_and(is_word_char);
            let after_ok = !check_after || !hay[e..].chars().next().is_some_and(is_word_char);
            if before_ok && after_ok {
                return true;
            }
        }
        from = s + 1;
    }
    false
}

/// A [`contains_words`] needle with its substring searcher built once.
#[derive(Debug, Clone)]
pub(crate) struct Needle {
    finder: memchr::memmem::Finder<'static>,
    check_before: bool,
    check_after: bool,
}

impl Needle {
    pub fn new(needle: &str) -> Needle {
        Needle {
            finder: memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
            check_before: needle.starts_with(is_word_char),
            check_after: needle.ends_with(is_word_char),
        }
    }

    /// The same answer as `contains_words(hay, needle)`: every occurrence counts,
    /// overlapping ones too (`"a a"` in `"xa a a"`). Calls `find` in a loop, not
    /// `find_iter`, which copies the searcher on every call and skips overlaps.
    pub fn in_words(&self, hay: &str) -> bool {
        let n = self.finder.needle().len();
        let h = hay.as_bytes();
        let mut from = 0;
        while let Some(p) = self.finder.find(&h[from..]) {
            // A match of a valid UTF-8 needle starts and ends on char boundaries.
            let s = from + p;
            let e = s + n;
            if (!self.check_before || !hay[..s].chars().next_back().is_some_and(is_word_char))
                && (!self.check_after || !hay[e..].chars().next().is_some_and(is_word_char))
            {
                return true;
            }
            if s >= h.len() {
                return false;
            }
            from = s + 1;
        }
        false
    }
}

/// A rule's word lists that [`contains_words`] checks, as [`Needle`]s.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleNeedles {
    clause_any: Vec<Needle>,
    sentence_any: Vec<Needle>,
    sentence_none: Vec<Needle>,
}

impl RuleNeedles {
    pub fn new(rule: &Rule) -> RuleNeedles {
        let build = |list: &[String]| list.iter().map(|p| Needle::new(p)).collect();
        RuleNeedles {
            clause_any: build(&rule.spec.clause_any),
            sentence_any: build(&rule.spec.sentence_any),
            sentence_none: build(&rule.spec.sentence_none),
        }
    }
}

fn any_in(needles: &[Needle], hay: &str) -> bool {
    needles.iter().any(|n| n.in_words(hay))
}

/// Whether `hay` starts with one of `needles` as whole words. Most needles differ from
/// `hay` in the first byte, which is compared before anything else.
fn starts_with_any_words(hay: &str, needles: &[String]) -> bool {
    let first = hay.as_bytes().first();
    needles
        .iter()
        .any(|n| (n.is_empty() || n.as_bytes().first() == first) && starts_with_words(hay, n))
}

fn starts_with_words(hay: &str, needle: &str) -> bool {
    hay.starts_with(needle)
        && (!needle.ends_with(is_word_char)
            || !hay[needle.len()..].chars().next().is_some_and(is_word_char))
}

fn ends_with_words(hay: &str, needle: &str) -> bool {
    // Most needles differ from `hay` in the last byte, compared before anything else.
    (needle.is_empty() || hay.as_bytes().last() == needle.as_bytes().last())
        && hay.ends_with(needle)
        && (!needle.starts_with(is_word_char)
            || !hay[..hay.len() - needle.len()]
                .chars()
                .next_back()
                .is_some_and(is_word_char))
}

/// Letters, digits, `_` and `@` make words; so does a hyphen joining two letters, handled by callers.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '@'
}

/// The checks that need no sentence: section scope, what follows the trigger, and
/// necessary conditions of the rest. `after` is the lowercased text right after the
/// trigger (a bounded slice). `near` is the lowercased leaf text within [`WINDOW`] bytes
/// of the trigger and `before` the part of it before the trigger: both contain the
/// sentence's text, so a phrase missing from them is missing from the sentence, and the
/// clause before the trigger ([`clause_tail`]) ends the clause [`accepts`] reads. A
/// letter before the space before the trigger, with only ASCII spaces, digits and
/// punctuation other than `.`, `?` and `!` between, belongs to a word token of the
/// trigger's sentence (a sentence bound needs one of those, a line break or a character
/// beyond ASCII; the space ends the token), so such a trigger does not start its
/// sentence.
pub(crate) fn precheck(
    rule: &Rule,
    needles: &RuleNeedles,
    section: SectionKind,
    after: &str,
    near: &Near<'_>,
) -> bool {
    let spec = &rule.spec;
    if !spec.sections.is_empty() && !spec.sections.contains(&section) {
        return false;
    }
    if spec.skip_sections.contains(&section) {
        return false;
    }
    if !spec.next_any.is_empty() && !starts_with_any_words(after, &spec.next_any) {
        return false;
    }
    if starts_with_any_words(after, &spec.not_next) {
        return false;
    }
    if !spec.prev_any.is_empty()
        && !spec
            .prev_any
            .iter()
            .any(|p| ends_with_words(near.before(), p))
    {
        return false;
    }
    if spec.sentence_start && near.letter_before() {
        return false;
    }
    if !spec.clause_any.is_empty() && !any_in(&needles.clause_any, clause_tail(near.before())) {
        return false;
    }
    spec.sentence_any.is_empty() || any_in(&needles.sentence_any, near.sentence())
}

/// The part of `before` after its last clause separator: what [`accepts`] searches for a
/// rule's `clause_any` words.
fn clause_tail(before: &str) -> &str {
    before
        .rsplit([',', ';', ':', '—', '('])
        .next()
        .unwrap_or(before)
}

/// The lowercased leaf text around a trigger, for [`precheck`].
pub(crate) struct Near<'l> {
    /// Lowercased text within [`WINDOW`] bytes either side, inside the leaf.
    pub text: &'l str,
    /// Where the trigger starts in `text`.
    pub at: usize,
    /// The prose in its own case, for the sentence bounds.
    prose: &'l [u8],
    /// Where `text` starts in the prose, and the trigger's range there.
    from: usize,
    hit: Range<usize>,
    /// [`Near::sentence_bounds`], once found.
    sentence: Cell<Option<(usize, usize)>>,
}

impl<'l> Near<'l> {
    /// The window around `hit`, sliced from `lowered`, the ASCII-lowercased copy of
    /// `prose` (same offsets).
    pub fn new(
        prose: &'l str,
        lowered: &'l str,
        leaf: &Range<usize>,
        hit: &Range<usize>,
    ) -> Near<'l> {
        let (from, to) = window(lowered, leaf, hit);
        Near {
            text: &lowered[from..to],
            at: hit.start - from,
            prose: prose.as_bytes(),
            from,
            hit: hit.clone(),
            sentence: Cell::new(None),
        }
    }

    /// The bounds of the trigger's sentence that the byte scan finds
    /// ([`sentence_bounds`]), as prose offsets; found once per hit.
    pub fn sentence_bounds(&self) -> (usize, usize) {
        self.sentence.get().unwrap_or_else(|| {
            let to = self.from + self.text.len();
            let r = sentence_bounds(self.prose, self.from, to, &self.hit);
            self.sentence.set(Some(r));
            r
        })
    }

    /// The part of `text` within [`Near::sentence_bounds`], which the full check's
    /// sentence never leaves.
    fn sentence(&self) -> &'l str {
        let (s, e) = self.sentence_bounds();
        &self.text[s - self.from..e - self.from]
    }

    fn before(&self) -> &str {
        self.text[..self.at].trim_end()
    }

    /// Whether a space comes right before the trigger and an ASCII letter before that,
    /// with nothing between that may end a sentence: only ASCII bytes other than `.`, `?`,
    /// `!` and line breaks. (Without the space the letter and the trigger may be one
    /// token, as in `x'had` or `c:a`.)
    fn letter_before(&self) -> bool {
        let b = &self.text.as_bytes()[..self.at];
        b.last() == Some(&b' ')
            && b.iter()
                .rev()
                .find(|&&c| {
                    c.is_ascii_alphabetic()
                        || matches!(c, b'.' | b'?' | b'!' | b'\n' | b'\r' | 0x80..)
                })
                .is_some_and(u8::is_ascii_alphabetic)
    }
}

/// Checks every condition of `rule` for this hit.
pub(crate) fn accepts(
    rule: &Rule,
    needles: &RuleNeedles,
    hit: &Hit<'_>,
    words: &WordSets,
    names: &WordSet,
) -> bool {
    let spec = &rule.spec;
    if !spec.sections.is_empty() && !spec.sections.contains(&hit.section) {
        return false;
    }
    if spec.skip_sections.contains(&hit.section) {
        return false;
    }
    let after = hit.after();
    if !spec.next_any.is_empty() && !starts_with_any_words(&after, &spec.next_any) {
        return false;
    }
    if starts_with_any_words(&after, &spec.not_next) {
        return false;
    }
    let before = hit.before();
    if !spec.prev_any.is_empty() && !spec.prev_any.iter().any(|p| ends_with_words(&before, p)) {
        return false;
    }
    if spec.not_prev.iter().any(|p| ends_with_words(&before, p)) {
        return false;
    }
    if !spec.clause_any.is_empty() && !any_in(&needles.clause_any, clause_tail(&before)) {
        return false;
    }
    if !spec.sentence_any.is_empty() || !spec.sentence_none.is_empty() || spec.unless_specific {
        let sentence = hit.lower_sentence();
        if !spec.sentence_any.is_empty() && !any_in(&needles.sentence_any, &sentence) {
            return false;
        }
        if any_in(&needles.sentence_none, &sentence) {
            return false;
        }
        if spec.unless_specific && is_specific(&sentence, words) {
            return false;
        }
    }
    if spec.sentence_start && !is_sentence_start(hit) {
        return false;
    }
    if spec.negatable && negated(hit, words, &before, &after) {
        return false;
    }
    if spec.next == NextReq::Participle && participle_after(hit, words).is_none() {
        return false;
    }
    if matches!(spec.next, NextReq::Person | NextReq::Other) {
        match next_class(hit, words, names) {
            Class::Person => {}
            Class::We if spec.next == NextReq::Person => {}
            _ => return false,
        }
    }
    if spec.person_after {
        let rest = &hit.toks[hit.t_end..hit.toks.len().min(hit.t_end + MAX_TOKENS)];
        let first_word = rest.iter().position(|t| t.word);
        let found = rest.iter().enumerate().any(|(k, t)| {
            if !t.word || words.classify(hit.text(t), names, Some(k) == first_word) != Class::Person
            {
                return false;
            }
            // "operator error", "user mistake": a label, not a person.
            let next = rest[k + 1..]
                .iter()
                .find(|n| n.word)
                .map(|n| hit.text(n).to_lowercase());
            !matches!(
                next.as_deref(),
                Some("error" | "errors" | "mistake" | "mistakes")
            )
        });
        if !found {
            return false;
        }
    }
    match spec.subject {
        SubjectReq::Any => true,
        SubjectReq::Person => matches!(subject(hit, words, names), Class::Person | Class::We),
        SubjectReq::Other => subject(hit, words, names) == Class::Person,
        SubjectReq::NotSystem => subject(hit, words, names) != Class::System,
    }
}

fn is_sentence_start(hit: &Hit<'_>) -> bool {
    // Only list markers, timestamps and punctuation before the trigger.
    hit.t_start < 8
        && hit.toks[..hit.t_start].iter().all(|t| {
            let s = &hit.doc.prose[t.range.clone()];
            !t.word || s.chars().all(|c| c.is_ascii_digit())
        })
}

fn negated(hit: &Hit<'_>, words: &WordSets, before: &str, after: &str) -> bool {
    let from = hit.scope_start(words, hit.t_start);
    let neg = hit.toks[from..hit.t_start]
        .iter()
        .any(|t| t.flags(&hit.doc.prose, words) & NEG != 0);
    neg || words.meta.matches(before) || starts_with_any_words(after, &words.meta_after)
}

/// A concrete change: a threshold, a number with a unit, a "by <doing>" clause, a colon with specifics.
fn is_specific(sentence: &str, words: &WordSets) -> bool {
    if words.specific.matches(sentence) {
        return true;
    }
    // "by paging on ..." / "by adding ..."
    let mut rest = sentence;
    while let Some(p) = rest.find("by ") {
        let after = &rest[p + 3..];
        let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
        if word.len() > 4 && word.ends_with("ing") {
            return true;
        }
        rest = &rest[p + 3..];
    }
    // A number with a unit or a percentage, outside the owner/date/ticket parenthetical.
    let main = sentence.split('(').next().unwrap_or(sentence);
    let bytes = main.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            let tail =
                main[i..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
            let tail = tail.trim_start();
            if tail.starts_with('%')
                || [
                    "ms", "s ", "sec", "min", "minute", "hour", "second", "gb", "mb", "kb", "x ",
                    "rps", "qps", "req", "errors", "days",
                ]
                .iter()
                .any(|u| tail.starts_with(u))
            {
                return true;
            }
        }
    }
    main.contains('>') || main.contains('<') || main.contains('`') || main.contains(BARRIER as char)
}

/// True when the leaf is the kind of prose the phrase rules read.
pub(crate) fn leaf_is_judged(leaf: &Leaf, check_quotes: bool, section: SectionKind) -> bool {
    if leaf.quoted && !check_quotes {
        return false;
    }
    section != SectionKind::Reference
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bit() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "ab", "b", "chose", " ", "-", "'s", "’", "@", "_", "é", "—", "9", ".", "",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Filtering the needles by their first byte keeps the answer.
        #[test]
        fn starts_with_any_words_is_any_starts_with_words(
            hay in prop::collection::vec(bit(), 0..5),
            needles in prop::collection::vec(prop::collection::vec(bit(), 0..3), 0..5),
        ) {
            let hay = hay.concat();
            let needles: Vec<String> = needles.into_iter().map(|n| n.concat()).collect();
            let expected = needles.iter().any(|n| starts_with_words(&hay, n));
            prop_assert_eq!(starts_with_any_words(&hay, &needles), expected);
        }

        /// The byte search finds the quotation marks a walk over the characters finds.
        #[test]
        fn quote_marks_are_the_quote_characters(
            text in prop::collection::vec(
                prop::sample::select(vec!["a", "\"", "“", "”", "„", "’", "—", "€", "é", " "]),
                0..20,
            ),
        ) {
            let text = text.concat();
            let walked: Vec<(usize, char)> = text
                .char_indices()
                .filter(|(_, c)| matches!(c, '"' | '“' | '”' | '„'))
                .collect();
            prop_assert_eq!(quote_marks(&text).collect::<Vec<_>>(), walked);
        }

        /// A prebuilt needle answers as `contains_words` does.
        #[test]
        fn needles_agree_with_contains_words(
            hay in prop::collection::vec(bit(), 0..24),
            needle in prop::collection::vec(bit(), 0..4),
        ) {
            let (hay, needle) = (hay.concat(), needle.concat());
            prop_assert_eq!(Needle::new(&needle).in_words(&hay), contains_words(&hay, &needle));
        }
    }

    #[test]
    fn whole_word_containment() {
        assert!(contains_words("we chose failover", "chose"));
        assert!(!contains_words("we chosen failover", "chose"));
        assert!(contains_words("x 's fault", "'s fault"));
        // A later occurrence counts when the first is inside a word.
        assert!(contains_words("unchosen, then chose", "chose"));
        // Multi-byte text around and inside the needle.
        assert!(contains_words("é chose é", "chose"));
        assert!(!contains_words("échose", "chose"));
        assert!(contains_words("a — b", "— b"));
        assert!(contains_words("anything", ""));
        assert!(!contains_words("", "x"));
    }

    #[test]
    fn overlapping_occurrences_count() {
        // The first occurrence is glued to `x`; the one that counts overlaps it.
        for (hay, needle) in [("xa a a", "a a"), ("xab ab ab", "ab ab")] {
            assert!(contains_words(hay, needle), "{hay:?} {needle:?}");
            assert!(Needle::new(needle).in_words(hay), "{hay:?} {needle:?}");
        }
        assert!(!Needle::new("a a").in_words("xa a ax"));
    }
}
