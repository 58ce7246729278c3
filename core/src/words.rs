//! Word classes compiled from `words.toml`, and the small amount of English the
//! context checks need: tokens, subject classes, participles.

use crate::lexicon::{SectionKind, Words};
use crate::structure::Phrases;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// A set of lowercase words, hashed with foldhash: the per-hit checks look words up in
/// these sets many times per hit, where the standard SipHash dominated the cost.
pub type WordSet = HashSet<String, foldhash::fast::RandomState>;

/// A map from lowercase words, hashed like [`WordSet`].
pub type WordMap = HashMap<String, String, foldhash::fast::RandomState>;

/// Who a word refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// "we", "I", "us".
    We,
    /// A named person, handle, third-person pronoun, role, team or indefinite.
    Person,
    /// A system noun or product name.
    System,
    /// Says nothing about the subject (determiners, adjectives, unknown words).
    Unknown,
}

/// A token of a sentence, with its range in the prose buffer.
#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// The text.
    pub text: &'a str,
    /// Range in the prose buffer.
    pub range: Range<usize>,
    /// A word (letters, digits, handles), as opposed to punctuation.
    pub word: bool,
}

/// Splits `text` (starting at prose offset `base`) into words and punctuation with
/// unicode-segmentation, joining handles (`@ana`, `ana@`) and hyphenated words.
pub fn tokenize(text: &str, base: usize) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 4 + 4);
    tokenize_into(text, base, &mut out);
    out
}

/// [`tokenize`] into `out` (cleared first), reusing its memory.
pub fn tokenize_into<'a>(text: &'a str, base: usize, out: &mut Vec<Token<'a>>) {
    out.clear();
    if text.is_ascii() {
        tokenize_segments(
            text,
            base,
            AsciiWordBounds {
                text,
                at: 0,
                skip_blank: true,
            },
            out,
        )
    } else {
        tokenize_segments(text, base, word_segments(text).into_iter(), out)
    }
}

/// `split_word_bound_indices` of text with some non-ASCII: the rules always break before
/// a space that follows an ASCII character other than a space (WB3d joins only spaces,
/// and the rules that look past a neighbour stop at a space), so each piece from such a
/// space to the next is segmented alone, the ASCII pieces without the Unicode tables.
fn word_segments(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let mut end = start + 1;
        while end < b.len() && !(b[end] == b' ' && b[end - 1] != b' ' && b[end - 1] < 0x80) {
            end += 1;
        }
        let piece = &text[start..end];
        if piece.is_ascii() {
            let bounds = AsciiWordBounds {
                text: piece,
                at: 0,
                skip_blank: true,
            };
            out.extend(bounds.map(|(i, s)| (start + i, s)));
        } else {
            out.extend(
                piece
                    .split_word_bound_indices()
                    .map(|(i, s)| (start + i, s)),
            );
        }
        start = end;
    }
    out
}

/// The ASCII classes of the Unicode word-boundary rules (UAX #29) that ASCII text has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Cr,
    Lf,
    Newline,
    Space,
    Letter,
    Numeric,
    /// `_`.
    ExtendNumLet,
    /// `:`.
    MidLetter,
    /// `.` and `'` (MidNumLet and Single_Quote: the rules treat them alike).
    MidNumLetQ,
    /// `,` and `;`.
    MidNum,
    Other,
}

const fn wb_of(b: u8) -> Wb {
    match b {
        b'\r' => Wb::Cr,
        b'\n' => Wb::Lf,
        0x0B | 0x0C => Wb::Newline,
        b' ' => Wb::Space,
        b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b'_' => Wb::ExtendNumLet,
        b':' => Wb::MidLetter,
        b'.' | b'\'' => Wb::MidNumLetQ,
        b',' | b';' => Wb::MidNum,
        _ => Wb::Other,
    }
}

/// [`Wb`] of every ASCII byte.
static WB: [Wb; 128] = {
    let mut t = [Wb::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = wb_of(b as u8);
        b += 1;
    }
    t
};

#[inline(always)]
fn wb(b: u8) -> Wb {
    WB[(b & 0x7f) as usize]
}

/// `split_word_bound_indices` for ASCII text: the same segments, from the rules of UAX #29
/// that apply to ASCII, without the Unicode tables (several times faster). A property test
/// checks it against unicode-segmentation.
struct AsciiWordBounds<'a> {
    text: &'a str,
    at: usize,
    /// Passes over ASCII whitespace instead of returning it: the tokens drop whitespace
    /// segments, and no rule joins a whitespace byte to anything but whitespace (WB3,
    /// WB3d), so the other segments stay the same.
    skip_blank: bool,
}

impl AsciiWordBounds<'_> {
    /// Whether the rules keep `b[i - 1]` and `b[i]` together.
    #[inline(always)]
    fn joined(b: &[u8], i: usize) -> bool {
        use Wb::*;
        let (x, y) = (wb(b[i - 1]), wb(b[i]));
        if x == y && matches!(x, Letter | Numeric | Space) {
            return true; // the common case: inside a word, a number or a run of spaces
        }
        let before = if i >= 2 { wb(b[i - 2]) } else { Other };
        let after = b.get(i + 1).map_or(Other, |&c| wb(c));
        match (x, y) {
            (Cr, Lf) => true,                                                   // WB3
            (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => false,           // WB3a, WB3b
            (Space, Space) => true,                                             // WB3d
            (Letter, Letter) => true,                                           // WB5
            (Letter, MidLetter | MidNumLetQ) => after == Letter,                // WB6
            (MidLetter | MidNumLetQ, Letter) => before == Letter,               // WB7
            (Numeric, Numeric) | (Letter, Numeric) | (Numeric, Letter) => true, // WB8-10
            (MidNum | MidNumLetQ, Numeric) => before == Numeric,                // WB11
            (Numeric, MidNum | MidNumLetQ) => after == Numeric,                 // WB12
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,            // WB13a
            (ExtendNumLet, Letter | Numeric) => true,                           // WB13b
            _ => false,                                                         // WB999
        }
    }
}

impl<'a> Iterator for AsciiWordBounds<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let b = self.text.as_bytes();
        let mut start = self.at;
        if self.skip_blank {
            while start < b.len() && matches!(b[start], b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
            {
                start += 1;
            }
        }
        if start >= b.len() {
            self.at = start;
            return None;
        }
        let mut i = start + 1;
        // The common case first: a run of letters, digits or spaces stays together
        // (one table lookup per byte), then the full rules where the run ends.
        let first = wb(b[start]);
        if matches!(first, Wb::Letter | Wb::Numeric | Wb::Space) {
            while i < b.len() && wb(b[i]) == first {
                i += 1;
            }
        }
        while i < b.len() && Self::joined(b, i) {
            i += 1;
        }
        self.at = i;
        Some((start, &self.text[start..i]))
    }
}

fn tokenize_segments<'a>(
    text: &'a str,
    base: usize,
    segments: impl Iterator<Item = (usize, &'a str)>,
    out: &mut Vec<Token<'a>>,
) {
    for (i, seg) in segments {
        if seg.chars().all(char::is_whitespace) {
            continue;
        }
        let is_word = seg.chars().any(|c| c.is_alphanumeric());
        let range = base + i..base + i + seg.len();
        if let Some(last) = out.last_mut() {
            let adjacent = last.range.end == range.start;
            let join = adjacent
                && ((last.text == "@" && is_word)
                    || (last.word && seg == "@")
                    || (last.word && is_word && last.text.ends_with('-'))
                    || (last.word && (seg == "-" || seg == "_")));
            if join {
                let start = last.range.start - base;
                last.text = &text[start..i + seg.len()];
                last.range.end = range.end;
                last.word = true;
                continue;
            }
        }
        out.push(Token {
            text: seg,
            range,
            word: is_word,
        });
    }
    // A trailing hyphen joined above with nothing after it is just punctuation again.
    for t in out.iter_mut() {
        if t.text.len() > 1 && t.text.ends_with('-') {
            t.text = &t.text[..t.text.len() - 1];
            t.range.end -= 1;
        }
    }
}

/// The compiled word classes.
#[derive(Debug, Default)]
pub struct WordSets {
    pub(crate) negation: WordSet,
    pub(crate) meta: Phrases,
    pub(crate) meta_after: Vec<String>,
    pub(crate) strong_breaks: WordSet,
    pub(crate) prepositions: WordSet,
    pub(crate) clause_breaks: WordSet,
    pub(crate) relatives: WordSet,
    pub(crate) adverbs: WordSet,
    pub(crate) participles: WordMap,
    not_participles: WordSet,
    past: WordSet,
    pub(crate) specific: Phrases,
    pub(crate) labelling: Vec<String>,
    /// Heading synonyms per section kind (longest first), compiled.
    pub(crate) section_matcher: crate::markdown::SectionMatcher,
    /// Negation, strong-break and clause-break words in one map, so a sentence's tokens
    /// are flagged with one lookup each (see [`WordSets::token_flags`]).
    token_flags: crate::scan::Table<u8>,
    /// The word classes [`WordSets::classify`] asks about (we, pronouns, neutral, roles,
    /// systems, system names, not names) in one map, so a token's classes come from one
    /// lookup (and one more for its singular) instead of one per set.
    class_flags: crate::scan::Table<u8>,
    /// Given names (`names.toml` and the config's `names`): a list of thousands, asked
    /// about only for capitalised words, so kept out of `class_flags`.
    given_names: WordSet,
}

const NEGATION: u8 = 1;
const STRONG_BREAK: u8 = 2;
const CLAUSE_BREAK: u8 = 4;

// The bits of [`WordSets::class_flags`].
const C_WE: u8 = 1;
const C_PRONOUN: u8 = 2;
const C_NEUTRAL: u8 = 4;
const C_ROLE: u8 = 8;
const C_SYSTEM: u8 = 16;
const C_SYSTEM_NAME: u8 = 32;
const C_NOT_NAME: u8 = 64;

/// A word lowercased, on the stack when it is short ASCII (the common case on the
/// per-hit paths), so judging a hit does not allocate per token.
pub(crate) enum Lower {
    Short([u8; 48], u8),
    Long(String),
}

impl Lower {
    pub(crate) fn new(word: &str) -> Lower {
        if word.len() <= 48 && word.is_ascii() {
            let mut buf = [0u8; 48];
            buf[..word.len()].copy_from_slice(word.as_bytes());
            buf[..word.len()].make_ascii_lowercase();
            Lower::Short(buf, word.len() as u8)
        } else {
            Lower::Long(lowercase(word))
        }
    }
}

impl std::ops::Deref for Lower {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            // Lowercased ASCII is still ASCII, so always UTF-8.
            Lower::Short(b, n) => std::str::from_utf8(&b[..*n as usize]).unwrap_or_default(),
            Lower::Long(s) => s,
        }
    }
}

/// Calls `f` with `word` lowercased (see [`Lower`]).
pub(crate) fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    f(&Lower::new(word))
}

fn set(v: &[String]) -> WordSet {
    v.iter().map(|s| s.to_lowercase()).collect()
}

/// Lowercases and drops a possessive `'s` / `'`.
pub fn base_word(token: &str) -> String {
    let mut lower = lowercase(token);
    if lower.contains('’') {
        lower = lower.replace('’', "'");
    }
    if lower.ends_with("'s") {
        lower.truncate(lower.len() - 2);
    }
    if lower.ends_with('\'') {
        lower.truncate(lower.len() - 1);
    }
    lower
}

/// [`base_word`] of a token, on the stack when the token is short ASCII (the common case:
/// every word of a noun phrase is classified while a hit is judged).
fn base_lower(token: &str) -> Lower {
    if token.len() > 48 || !token.is_ascii() {
        return Lower::Long(base_word(token));
    }
    // An ASCII token lowercased has the token's bytes, so the suffixes are found in it.
    let b = token.as_bytes();
    let mut n = b.len();
    if b.ends_with(b"'s") || b.ends_with(b"'S") {
        n -= 2;
    }
    if b[..n].ends_with(b"'") {
        n -= 1;
    }
    Lower::new(&token[..n])
}

/// `text.to_lowercase()`, the same string, made faster for mostly-ASCII text: the whole
/// text is ASCII-lowercased at once, then only the characters beyond ASCII that have a
/// different lowercase of the same length (`É` → `é`) are rewritten in place; most such
/// characters (dashes, quotes, lowercase letters, emoji) have none. Text with a capital
/// sigma (whose lowercase depends on the letters around it) or a character whose
/// lowercase is longer or shorter goes to the standard library.
pub(crate) fn lowercase(text: &str) -> String {
    let mut out = text.to_ascii_lowercase();
    if text.is_ascii() {
        return out;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(n) = b[i..].iter().position(|c| !c.is_ascii()) {
        let at = i + n;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        // The common characters beyond ASCII (Latin-1 letters, dashes and quotes, emoji)
        // without the standard library's table search; `None` for a lowercase of more
        // than one character.
        let lower = latin1_or_caseless_lower(c).or_else(|| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(a), None) => Some(a),
                _ => None,
            }
        });
        match lower {
            Some(l) if l == c => {}
            Some(l) if l.len_utf8() == len && c != 'Σ' => {
                let mut buf = [0u8; 4];
                out.replace_range(at..at + len, l.encode_utf8(&mut buf));
            }
            _ => return text.to_lowercase(),
        }
        i = at + len;
    }
    out
}

/// The lowercase of `c` when it is in Latin-1 (`À`–`Þ` but `×` map 32 up; the rest
/// are their own lowercase) or in a block without case: general punctuation, super- and
/// subscripts, currency signs and symbol marks (`U+2000`–`U+20FF`), and the emoji and
/// symbol blocks from `U+1F000` to `U+1FAFF`. `None` for other characters (ask the
/// standard library). A test compares every character of those ranges with it.
fn latin1_or_caseless_lower(c: char) -> Option<char> {
    match u32::from(c) {
        0xC0..=0xDE if c != '×' => char::from_u32(u32::from(c) + 0x20),
        0x80..=0xFF | 0x2000..=0x20FF | 0x1F000..=0x1FAFF => Some(c),
        _ => None,
    }
}

impl WordSets {
    /// Compiles the lists of `words.toml` (and config names) into sets.
    pub fn new(words: &Words, extra_names: &[String]) -> WordSets {
        let mut sections: Vec<(SectionKind, Vec<String>)> = words
            .sections
            .iter()
            .map(|(k, v)| (*k, v.iter().map(|s| s.to_lowercase()).collect()))
            .collect();
        // Longer synonyms first so "what went well" is tried before "what went".
        sections
            .sort_by_key(|(_, v)| std::cmp::Reverse(v.iter().map(|s| s.len()).max().unwrap_or(0)));
        let mut token_flags = crate::scan::Table::new();
        for (list, flag) in [
            (&words.negation, NEGATION),
            (&words.strong_breaks, STRONG_BREAK),
            (&words.clause_breaks, CLAUSE_BREAK),
            (&words.relatives, CLAUSE_BREAK),
        ] {
            for w in list {
                *token_flags.entry(w.to_lowercase().as_bytes(), || 0) |= flag;
            }
        }
        let lists = [
            (&words.we, C_WE),
            (&words.pronouns, C_PRONOUN),
            (&words.neutral, C_NEUTRAL),
            (&words.roles, C_ROLE),
            (&words.systems, C_SYSTEM),
            (&words.system_names, C_SYSTEM_NAME),
            (&words.not_names, C_NOT_NAME),
        ];
        let n = lists.iter().map(|(l, _)| l.len()).sum::<usize>();
        let mut class_flags = crate::scan::Table::with_capacity(n);
        for (list, flag) in lists {
            for w in list {
                with_lower(w, |l| *class_flags.entry(l.as_bytes(), || 0) |= flag);
            }
        }
        let mut given_names = set(&words.given_names);
        given_names.extend(extra_names.iter().map(|n| n.to_lowercase()));
        WordSets {
            token_flags,
            class_flags,
            given_names,
            negation: set(&words.negation),
            meta: Phrases::exact_words(&words.meta),
            meta_after: words.meta_after.iter().map(|s| s.to_lowercase()).collect(),
            strong_breaks: set(&words.strong_breaks),
            prepositions: set(&words.prepositions),
            clause_breaks: set(&words.clause_breaks),
            relatives: set(&words.relatives),
            adverbs: set(&words.adverbs),
            participles: words
                .participles
                .iter()
                .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
                .collect(),
            not_participles: set(&words.not_participles),
            past: set(&words.past),
            specific: Phrases::exact_words(&words.specific),
            labelling: words.labelling.iter().map(|s| s.to_lowercase()).collect(),
            section_matcher: crate::markdown::SectionMatcher::new(&sections),
        }
    }

    fn singular(word: &str) -> Option<&str> {
        word.strip_suffix('s').filter(|w| w.len() > 2)
    }

    /// Classifies one token. `names` holds people named elsewhere in the document;
    /// `before_verb` says the token stands right before the verb being judged.
    pub fn classify(&self, token: &str, names: &WordSet, before_verb: bool) -> Class {
        if token.starts_with('@') && token.len() > 1 {
            let lower = token.to_lowercase();
            if lower.ends_with("bot") || lower.ends_with("[bot]") {
                return Class::System;
            }
            return Class::Person;
        }
        if token.ends_with('@') && token.len() > 1 && !token.starts_with('@') {
            return Class::Person;
        }
        let lower = base_lower(token);
        let lower: &str = &lower;
        let possessive = lower.len() + 1 < token.len();
        let flags = self.class_of(lower);
        if flags & C_WE != 0 {
            return Class::We;
        }
        if flags & C_PRONOUN != 0 {
            return Class::Person;
        }
        if flags & C_NEUTRAL != 0 {
            return Class::Unknown;
        }
        // Roles and systems count in the plural too ("the SREs", "both proxies").
        let singular = Self::singular(lower).map_or(0, |w| self.class_of(w));
        if (flags | singular) & C_ROLE != 0 {
            return Class::Person;
        }
        if flags & (C_SYSTEM | C_SYSTEM_NAME) != 0 || singular & C_SYSTEM != 0 {
            return Class::System;
        }
        capitalised_class(
            token,
            lower,
            possessive || before_verb,
            || names.contains(lower) || self.given_names.contains(lower),
            || flags & C_NOT_NAME != 0,
        )
    }

    /// The [`WordSets::class_flags`] of a lowercase word.
    fn class_of(&self, lower: &str) -> u8 {
        let b = lower.as_bytes();
        self.class_flags
            .get(crate::scan::hash(b), b)
            .copied()
            .unwrap_or(0)
    }

    /// Whether `word` (lowercase) reads as a past participle.
    pub fn is_participle(&self, word: &str) -> bool {
        with_lower(word, |w| {
            self.participles.contains_key(w)
                || (w.len() > 3 && w.ends_with("ed") && !self.not_participles.contains(w))
        })
    }

    /// The base form of a past participle ("checked" → "check", "known" → "know").
    pub fn base_verb(&self, participle: &str) -> String {
        let w = participle.to_lowercase();
        if let Some(b) = self.participles.get(&w) {
            return b.clone();
        }
        base_from_ed(&w)
    }

    /// Whether a lowercase word is a known given name (built-in list, config or the document).
    pub fn is_known_name(&self, lower: &str, names: &WordSet) -> bool {
        names.contains(lower) || self.given_names.contains(lower)
    }

    /// Whether a word is a personal or indefinite pronoun ("she", "anyone", "we").
    pub fn is_pronoun(&self, lower: &str) -> bool {
        self.class_of(lower) & (C_PRONOUN | C_WE) != 0
    }

    /// Whether a word reads as a finite verb or auxiliary (ends the subject).
    pub fn is_verbish(&self, word: &str) -> bool {
        with_lower(word, |w| {
            self.past.contains(w) || (self.is_participle(w) && !self.participles.contains_key(w))
        })
    }

    /// `(negation, strong break, clause break or relative)` for a lowercased word: the
    /// same as [`WordSets::is_negation`] and the set lookups, in one lookup for ASCII.
    pub(crate) fn token_flags(&self, lower: &str) -> (bool, bool, bool) {
        if !lower.is_ascii() {
            return (
                self.is_negation(lower),
                self.strong_breaks.contains(lower),
                self.clause_breaks.contains(lower) || self.relatives.contains(lower),
            );
        }
        let f = self
            .token_flags
            .get(crate::scan::hash(lower.as_bytes()), lower.as_bytes())
            .copied()
            .unwrap_or(0);
        Self::flags(f, lower.as_bytes())
    }

    fn flags(f: u8, lower: &[u8]) -> (bool, bool, bool) {
        (
            f & NEGATION != 0 || lower.ends_with(b"n't"),
            f & STRONG_BREAK != 0,
            f & CLAUSE_BREAK != 0,
        )
    }

    /// [`WordSets::token_flags`] of `word` lowercased. A short ASCII word is lowercased
    /// and hashed in one pass on the stack.
    pub(crate) fn token_flags_of(&self, word: &str) -> (bool, bool, bool) {
        let b = word.as_bytes();
        if b.len() > 48 || !word.is_ascii() {
            return with_lower(word, |l| self.token_flags(l));
        }
        let mut buf = [0u8; 48];
        let mut h = crate::scan::SEED;
        for (slot, &c) in buf.iter_mut().zip(b) {
            let c = c.to_ascii_lowercase();
            *slot = c;
            h = crate::scan::mix(h, c);
        }
        let lower = &buf[..b.len()];
        Self::flags(self.token_flags.get(h, lower).copied().unwrap_or(0), lower)
    }

    /// Whether a word is a negation cue ("not", "never", "didn't").
    pub fn is_negation(&self, word: &str) -> bool {
        // Most words are lowercase ASCII: look them up without allocating (this runs for
        // every word before every hit).
        if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
            return self.negation.contains(word) || word.ends_with("n't");
        }
        let w = word.to_lowercase().replace('’', "'");
        self.negation.contains(&w) || w.ends_with("n't")
    }

    /// The section kind of a heading.
    pub fn section_of(&self, title: &str) -> SectionKind {
        self.section_matcher.kind(title)
    }
}

/// The class of a token no word list placed, from its shape: a capitalised word is a
/// product when it holds capitals, digits or `_` past its first letter, a person when it
/// is a known name (`is_name`) or, unless it is listed as no name (`not_name`), when it
/// stands before the verb or as a possessive (`person_slot`) and does not read as a
/// plural or an abstract noun. `lower` is the token's [`base_word`].
fn capitalised_class(
    token: &str,
    lower: &str,
    person_slot: bool,
    is_name: impl FnOnce() -> bool,
    not_name: impl FnOnce() -> bool,
) -> Class {
    let mut chars = token.chars();
    if !chars.next().is_some_and(char::is_uppercase) {
        return Class::Unknown;
    }
    let rest = chars.as_str();
    let rest = rest
        .strip_suffix("'s")
        .or_else(|| rest.strip_suffix("’s"))
        .unwrap_or(rest);
    // Acronyms, CamelCase and names with digits are products, not people.
    if rest
        .chars()
        .any(|c| c.is_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Class::System;
    }
    if !rest
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    {
        return Class::Unknown;
    }
    if is_name() {
        return Class::Person;
    }
    if not_name() {
        return Class::Unknown;
    }
    if person_slot
        && !looks_plural(lower)
        && !lower.ends_with("ing")
        && !lower.ends_with("ness")
        && !lower.ends_with("tion")
    {
        return Class::Person;
    }
    Class::Unknown
}

fn looks_plural(lower: &str) -> bool {
    let mut rev = lower.chars().rev();
    if rev.next() != Some('s') || lower.chars().count() < 3 {
        return false;
    }
    let prev = rev.next().unwrap_or('s');
    // Accented letters are vowels here ("Tomás", "Inês").
    lower.ends_with("ies")
        || (prev.is_ascii() && !matches!(prev, 'a' | 'e' | 'i' | 'o' | 'u' | 's'))
}

/// Strips `-ed` the way English spells it: "stopped" → "stop", "copied" → "copy",
/// "escalated" → "escalate", "checked" → "check".
pub fn base_from_ed(w: &str) -> String {
    let Some(stem) = w.strip_suffix("ed") else {
        return w.to_string();
    };
    if let Some(s) = stem.strip_suffix('i') {
        return format!("{s}y");
    }
    let b = stem.as_bytes();
    let n = b.len();
    // A doubled ASCII consonant only: equal trailing bytes of a non-ASCII character
    // (U+0820 is E0 A0 A0) are not a doubled letter, and cutting them splits it.
    if n >= 3
        && b[n - 1].is_ascii()
        && b[n - 1] == b[n - 2]
        && !matches!(b[n - 1], b'l' | b's' | b'z' | b'f' | b'e')
    {
        return stem[..n - 1].to_string();
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let silent_e = [
        "at", "iz", "is", "us", "ur", "v", "c", "g", "dl", "bl", "pl", "tl", "kl", "gl", "rs",
        "ns", "ut", "ok", "id", "ad", "od", "ud",
    ];
    let needs_e = stem.ends_with("ate")
        || silent_e.iter().any(|s| stem.ends_with(s))
            && !stem.ends_with("ick")
            && !stem.ends_with("ead")
        || (n >= 2
            && vowel(b[n - 2])
            && !vowel(b[n - 1])
            && (n < 3 || !vowel(b[n - 3]))
            && n <= 4
            && !matches!(b[n - 1], b'w' | b'x' | b'y'));
    if needs_e && !stem.ends_with('e') {
        format!("{stem}e")
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn capitalised(word: &str) -> String {
        let mut c = word.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_quick_lowercase_agrees_with_the_standard_library() {
        let ranges = [
            0x80..=0xFF,
            0x2000..=0x20FF,
            0x1F000..=0x1FAFF,
            0x100..=0x1FF,
        ];
        let mut quick = 0;
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            if let Some(l) = latin1_or_caseless_lower(c) {
                quick += 1;
                assert_eq!(c.to_lowercase().collect::<String>(), l.to_string(), "{c:?}");
            }
            let text = format!("A{c}B");
            assert_eq!(lowercase(&text), text.to_lowercase(), "{c:?}");
        }
        assert_eq!(
            quick,
            128 + 256 + 0xB00,
            "the ranges read without the tables"
        );
    }

    #[test]
    fn token_flags_agree_with_the_sets() {
        let spec: Words =
            crate::lexicon::from_builtin_json("words.toml", crate::lexicon::builtin_json::WORDS)
                .unwrap();
        let w = WordSets::new(&spec, &[]);
        let mut all: Vec<String> = [
            &spec.negation,
            &spec.strong_breaks,
            &spec.clause_breaks,
            &spec.relatives,
            &spec.pronouns,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect();
        all.extend(["didn't", "won’t", "cannot", "deploy", "x1_@", "naïve", ""].map(String::from));
        assert!(all.len() > 40);
        for word in &all {
            let expected = (
                w.is_negation(word),
                w.strong_breaks.contains(word.as_str()),
                w.clause_breaks.contains(word.as_str()) || w.relatives.contains(word.as_str()),
            );
            assert_eq!(w.token_flags(word), expected, "{word}");
            for variant in [word.clone(), word.to_uppercase(), capitalised(word)] {
                assert_eq!(w.token_flags_of(&variant), expected, "{variant}");
            }
        }
    }

    /// The set-by-set classification `classify` replaced with one table lookup, kept as
    /// the reference its answers must match (both share the shape rules of
    /// `capitalised_class`).
    fn classify_by_sets(spec: &Words, token: &str, names: &WordSet, before_verb: bool) -> Class {
        let set = |v: &[String]| -> WordSet { v.iter().map(|s| s.to_lowercase()).collect() };
        let in_set = |v: &[String], w: &str| {
            let s = set(v);
            s.contains(w) || WordSets::singular(w).is_some_and(|w| s.contains(w))
        };
        if token.starts_with('@') && token.len() > 1 {
            let lower = token.to_lowercase();
            return if lower.ends_with("bot") || lower.ends_with("[bot]") {
                Class::System
            } else {
                Class::Person
            };
        }
        if token.ends_with('@') && token.len() > 1 && !token.starts_with('@') {
            return Class::Person;
        }
        let lower = base_word(token);
        let possessive = lower.len() + 1 < token.len();
        if set(&spec.we).contains(&lower) {
            return Class::We;
        }
        if set(&spec.pronouns).contains(&lower) {
            return Class::Person;
        }
        if set(&spec.neutral).contains(&lower) {
            return Class::Unknown;
        }
        if in_set(&spec.roles, &lower) {
            return Class::Person;
        }
        if in_set(&spec.systems, &lower) || set(&spec.system_names).contains(&lower) {
            return Class::System;
        }
        capitalised_class(
            token,
            &lower,
            possessive || before_verb,
            || names.contains(&lower) || set(&spec.given_names).contains(&lower),
            || set(&spec.not_names).contains(&lower),
        )
    }

    #[test]
    fn classify_agrees_with_the_word_lists() {
        let spec: Words =
            crate::lexicon::from_builtin_json("words.toml", crate::lexicon::builtin_json::WORDS)
                .unwrap();
        let w = WordSets::new(&spec, &[]);
        let names: WordSet = ["kofi".to_string()].into_iter().collect();
        let mut all: Vec<String> = [
            &spec.we,
            &spec.pronouns,
            &spec.neutral,
            &spec.roles,
            &spec.systems,
            &spec.system_names,
            &spec.given_names,
            &spec.not_names,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        all.extend(
            [
                "Kofi", "Dana", "deploy", "Naïve", "Åsa", "@dana", "@ci-bot", "ravi@", "x", "",
            ]
            .map(String::from),
        );
        assert!(all.len() > 100);
        let mut checked = 0;
        for word in &all {
            for base in [word.clone(), word.to_uppercase(), capitalised(word)] {
                for variant in [
                    base.clone(),
                    format!("{base}s"),
                    format!("{base}'s"),
                    format!("{base}’s"),
                    format!("{base}'"),
                ] {
                    for before_verb in [false, true] {
                        assert_eq!(
                            w.classify(&variant, &names, before_verb),
                            classify_by_sets(&spec, &variant, &names, before_verb),
                            "{variant:?} before_verb={before_verb}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000);
    }

    fn is_blank(seg: &str) -> bool {
        seg.chars().all(char::is_whitespace)
    }

    fn ascii_segments(text: &str) -> Vec<(usize, &str)> {
        AsciiWordBounds {
            text,
            at: 0,
            skip_blank: false,
        }
        .collect()
    }

    #[test]
    fn ascii_word_bounds_follow_uax29() {
        for text in [
            "can't 3.14 e.g. a:b 1,000 x_1 __ a..b 1;2 'quoted' \r\n\n  \t\tend.",
            "a'b' ,1 .5 5. ab:cd: 9:30 foo_bar_ @x -y",
            "",
            " ",
        ] {
            let expected: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            assert_eq!(ascii_segments(text), expected, "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any ASCII text splits into the same segments as unicode-segmentation's.
        #[test]
        fn ascii_word_bounds_agree_with_unicode_segmentation(
            text in "[a-cA9_:.',; \t\r\n\x0b\x0c\\-@\"!#0-2]{0,40}",
        ) {
            let expected: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            prop_assert_eq!(ascii_segments(&text), expected);
        }

        /// Text with some non-ASCII splits as a whole would.
        #[test]
        fn pieces_between_spaces_split_as_the_whole(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "B", "1", " ", "  ", ".", "'", ":", ",", "_", "\t", "\n", "\r",
                "é", "—", "’", "\u{301}", "\u{200d}", "👩", "🏽", "\u{a0}", "\u{3000}", "日本", "\u{2029}", "\u{85}", "x\u{301}",
            ]), 0..30),
        ) {
            let text: String = parts.concat();
            let expected: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, seg)| !is_blank(seg))
                .collect();
            let got: Vec<(usize, &str)> =
                word_segments(&text).into_iter().filter(|(_, seg)| !is_blank(seg)).collect();
            prop_assert_eq!(got, expected);
        }

        /// Tokens come out the same as from unicode-segmentation's segments, whatever
        /// the text: the ASCII walk and its passing over whitespace change nothing.
        #[test]
        fn tokens_are_those_of_the_unicode_segments(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "B", "1", " ", "  ", ".", "'", ":", ",", "_", "\t", "\n", "\r", "\r\n",
                "-", "@", "\x0b", "\x0c", "é", "—", "’", "\u{301}", "👩", "\u{a0}", "\u{3000}",
                "can't", "on-call", "@ana", "x_1", "3.5",
            ]), 0..30),
            base in 0usize..5,
        ) {
            let text: String = parts.concat();
            let fields = |t: Vec<Token<'_>>| -> Vec<(String, Range<usize>, bool)> {
                t.into_iter().map(|t| (t.text.to_string(), t.range, t.word)).collect()
            };
            let mut reference = Vec::new();
            tokenize_segments(&text, base, text.split_word_bound_indices(), &mut reference);
            // A buffer that held other tokens gives the same tokens.
            let mut reused = tokenize("stale tokens, then more", 0);
            tokenize_into(&text, base, &mut reused);
            prop_assert_eq!(fields(reused), fields(reference.clone()));
            prop_assert_eq!(fields(tokenize(&text, base)), fields(reference));
        }

        /// The same on any printable ASCII and controls.
        #[test]
        fn ascii_word_bounds_agree_on_any_ascii(text in "[\\x00-\\x7f]{0,60}") {
            let expected: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            prop_assert_eq!(ascii_segments(&text), expected);
            let unblank: Vec<(usize, &str)> =
                text.split_word_bound_indices().filter(|(_, seg)| !is_blank(seg)).collect();
            let skipping = AsciiWordBounds {
                text: &text,
                at: 0,
                skip_blank: true,
            };
            prop_assert_eq!(skipping.collect::<Vec<_>>(), unblank);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// `lowercase` is `str::to_lowercase`, sigmas and all.
        #[test]
        fn lowercase_is_to_lowercase_of_mixed_text(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "B", "Z", "1", " ", "'", "-", "É", "é", "İ", "Σ", "σ", "ς", "Α", "—", "’",
                "ẞ", "Ǆ", "\u{301}", "👩", "日", "Ω", "K", "\u{130}",
            ]), 0..20),
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(lowercase(&text), text.to_lowercase());
        }

        /// `base_word` is the lowercase word without a possessive ending.
        #[test]
        fn base_word_drops_the_possessive(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "S", "s", "'", "’", "É", "Σ", "x",
            ]), 0..8),
        ) {
            let token: String = parts.concat();
            let lower = token.to_lowercase().replace('’', "'");
            let lower = lower.strip_suffix("'s").unwrap_or(&lower);
            let expected = lower.strip_suffix('\'').unwrap_or(lower);
            prop_assert_eq!(base_word(&token), expected);
        }
    }

    #[test]
    fn tokens_join_handles_and_hyphens() {
        let toks: Vec<_> = tokenize("07:42 arjun@ and @ravi's on-call fat-fingered it.", 0)
            .into_iter()
            .filter(|t| t.word)
            .map(|t| t.text)
            .collect();
        assert_eq!(
            toks,
            [
                "07",
                "42",
                "arjun@",
                "and",
                "@ravi's",
                "on-call",
                "fat-fingered",
                "it"
            ]
        );
    }

    #[test]
    fn base_forms() {
        for (p, b) in [
            ("checked", "check"),
            ("stopped", "stop"),
            ("copied", "copy"),
            ("escalated", "escalate"),
            ("waited", "wait"),
            ("noticed", "notice"),
            ("tested", "test"),
            ("paged", "page"),
            ("verified", "verify"),
            ("rolled", "roll"),
            ("renewed", "renew"),
            ("used", "use"),
            ("followed", "follow"),
        ] {
            assert_eq!(base_from_ed(p), b, "{p}");
        }
    }
}
