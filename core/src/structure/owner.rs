//! The `owner: X` field of an action item read without the regex: the same answer as
//! `Compiled::owner_key_re` (`(?i)(?:\b(?:KEYS)\s*[:=]|\b(?:PHRASES)\s)\s*(?P<v>[^,;()\[\]—–|\n]+)`,
//! with the ASCII `\b` of ASCII keys) from byte compares and a few char decodes.
//!
//! An action item is read once per lint, and this regex was most of the regex work of a
//! lint: a search with captures touches a lot of the regex crate's code for a few hundred
//! bytes of text (docs/performance.md, eleventh round). Two cases still go to the regex:
//! keys beyond ASCII, and text holding `ſ` or the Kelvin sign, the two characters beyond
//! ASCII that `(?i)` folds onto ASCII letters (`s`, `k`).

use std::ops::Range;

#[cfg(test)]
use super::time::ascii_word;

/// Whether each byte is a word byte (ASCII letter, digit or `_`) for `\b`: a
/// lookup costs fewer instructions in the walk below than [`super::time::ascii_word`]'s tests (0.5% of a
/// lint, callgrind).
static WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// The owner keys (`owner:`) and phrases (`assigned to`), in the order the regex's
/// alternations try them.
#[derive(Debug, Clone)]
pub(crate) struct OwnerKeys {
    keys: Vec<Vec<u8>>,
    phrases: Vec<Vec<u8>>,
    /// Per byte, in either case: the keys (`0..keys.len()`) then the phrases (numbered
    /// after the keys) that start with it, in alternation order. Empty for most bytes.
    by_first: Vec<Vec<u16>>,
    /// A substring searcher per phrase, built once.
    phrase_finders: Vec<memchr::memmem::Finder<'static>>,
}

/// The length of the `\s` character at `i` in `text`, if it is one (Unicode's White_Space,
/// as the regex's `\s`).
fn space_at(text: &str, i: usize) -> Option<usize> {
    match *text.as_bytes().get(i)? {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => Some(1),
        b if b < 0x80 => None,
        _ => text[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map(char::len_utf8),
    }
}

/// The end of the run of `\s` characters from `i`.
pub(super) fn spaces_end(text: &str, mut i: usize) -> usize {
    while let Some(n) = space_at(text, i) {
        i += n;
    }
    i
}

/// Whether the character starting at byte `i` belongs to `[^,;()\[\]—–|\n]`; any byte
/// inside a character other than the two dashes does too.
fn is_value_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b',' | b';' | b'(' | b')' | b'[' | b']' | b'|' | b'\n' => false,
        // — (E2 80 94) and – (E2 80 93).
        0xE2 => !(b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94))),
        _ => true,
    }
}

impl OwnerKeys {
    /// From the keys and phrases in the regex's alternation order (longest first; see
    /// `vocab::alternation_order`). `None` when one of them is not ASCII.
    pub fn new(keys: Vec<String>, phrases: Vec<String>) -> Option<OwnerKeys> {
        if !keys.iter().chain(&phrases).all(|k| k.is_ascii()) {
            return None;
        }
        let bytes = |v: Vec<String>| {
            v.into_iter()
                .map(|k| k.to_ascii_lowercase().into_bytes())
                .filter(|k| !k.is_empty())
                .collect()
        };
        let phrases: Vec<Vec<u8>> = bytes(phrases);
        let phrase_finders = phrases
            .iter()
            .map(|p| memchr::memmem::Finder::new(p).into_owned())
            .collect();
        let keys: Vec<Vec<u8>> = bytes(keys);
        let mut by_first = vec![Vec::new(); 256];
        for (i, k) in keys.iter().chain(&phrases).enumerate() {
            let i = u16::try_from(i).ok()?;
            let b = k[0];
            by_first[usize::from(b)].push(i);
            if b.to_ascii_uppercase() != b {
                by_first[usize::from(b.to_ascii_uppercase())].push(i);
            }
        }
        Some(OwnerKeys {
            keys,
            phrases,
            by_first,
            phrase_finders,
        })
    }

    /// The range of the regex's `v` group in its leftmost match in `text`: `Some(None)`
    /// when it does not match, `None` when `text` holds `ſ` or `K` (ask the regex).
    pub fn value(&self, text: &str) -> Option<Option<Range<usize>>> {
        if !text.is_ascii() && (text.contains('ſ') || text.contains('\u{212A}')) {
            return None;
        }
        Some(self.value_unfolded(text))
    }

    fn value_unfolded(&self, text: &str) -> Option<Range<usize>> {
        let b = text.as_bytes();
        // Most action items hold no field at all: a key needs a `:` or `=` after it, and
        // without one only a phrase can match, found with a substring search or not at all.
        if memchr::memchr2(b':', b'=', b).is_none() && !self.may_hold_a_phrase(b) {
            return None;
        }
        // `\b` before the key: the bytes on either side differ in being word bytes. Those
        // places start the runs of word bytes and of other bytes (but the first run, if
        // it is of other bytes): the walk goes from run to run.
        let mut next = 0;
        while next < b.len() {
            let p = next;
            let word = WORD[usize::from(b[p])];
            next = p + 1;
            while next < b.len() && WORD[usize::from(b[next])] == word {
                next += 1;
            }
            if p == 0 && !word {
                continue;
            }
            for &i in &self.by_first[usize::from(b[p])] {
                let i = usize::from(i);
                if let Some(key) = self.keys.get(i) {
                    if !b
                        .get(p..p + key.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(key))
                    {
                        continue;
                    }
                    // `\s*[:=]`: the spaces, then the colon or equals sign.
                    let q = spaces_end(text, p + key.len());
                    if q < b.len() && matches!(b[q], b':' | b'=') {
                        if let Some(v) = value_from(text, q + 1) {
                            return Some(v);
                        }
                    }
                } else {
                    // The phrase and one `\s`.
                    let phrase = &self.phrases[i - self.keys.len()];
                    let k = p + phrase.len();
                    if b.get(p..k).is_some_and(|s| s.eq_ignore_ascii_case(phrase)) {
                        if let Some(n) = space_at(text, k) {
                            if let Some(v) = value_from(text, k + n) {
                                return Some(v);
                            }
                        }
                    }
                }
            }
        }
        None
    }

    /// Whether some phrase occurs in `b` (ASCII), ignoring case: `false` rules every phrase
    /// out. Long texts answer `true` and are read in full.
    fn may_hold_a_phrase(&self, b: &[u8]) -> bool {
        let mut buf = [0u8; 512];
        let Some(lower) = buf.get_mut(..b.len()) else {
            return true;
        };
        lower.copy_from_slice(b);
        lower.make_ascii_lowercase();
        self.phrase_finders.iter().any(|f| f.find(lower).is_some())
    }
}

/// `\s*(?P<v>[^,;()\[\]—–|\n]+)` from `from`: the longest run of spaces that leaves a value
/// character after it, then the value as far as it goes. When only a delimiter or the end
/// follows the spaces, the regex gives some of them back: the value is the last space that
/// is not a line feed.
fn value_from(text: &str, from: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let r = spaces_end(text, from);
    if r < b.len() && is_value_at(b, r) {
        let mut e = r + 1;
        while e < b.len() && is_value_at(b, e) {
            e += 1;
        }
        return Some(r..e);
    }
    // Every character from here to `r` is a space, and the one after the chosen space is a
    // line feed or `r` itself: neither is a value character, so the value is that one space.
    text[from..r]
        .char_indices()
        .rev()
        .find(|&(_, c)| c != '\n')
        .map(|(i, c)| from + i..from + i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::tests_support::vocab;
    use crate::structure::vocab::Compiled;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn v() -> &'static Compiled {
        static V: OnceLock<Compiled> = OnceLock::new();
        V.get_or_init(vocab)
    }

    fn regex_value(text: &str) -> Option<Range<usize>> {
        let c = v().owner_key_re.captures(text)?;
        Some(c.name("v").expect("the group").range())
    }

    /// The byte-compare answer, or the regex's where the reader hands the text on.
    fn fast_value(text: &str) -> Option<Range<usize>> {
        let keys = v()
            .owner_keys
            .as_ref()
            .expect("the built-in keys are ASCII");
        keys.value(text).unwrap_or_else(|| regex_value(text))
    }

    #[test]
    fn the_word_table_is_ascii_word() {
        for b in 0..=255u8 {
            assert_eq!(WORD[usize::from(b)], ascii_word(b), "{b}");
        }
    }

    #[test]
    fn the_forms_of_an_owner_field() {
        for text in [
            "Add a canary stage (owner: Dana, due 2026-12-01)",
            "Rotate the keys — OWNER = platform team | ticket OPS-1",
            "Alert on queue depth, assigned to @sam",
            "Runbook update; owned by\tthe SRE guild",
            "owner:\n dana",
            "owner:  , then owner: dana",
            "owner:\n\n, x",
            "ownership: none, team lead: Kofi",
            "the owners= infra (tbd)",
            "xowner: not a key; who: Ana",
            "nothing to see here",
            "owner is",
            "owner is ",
            "Nguyễn owns it — owner: Nguyễn Văn An – backup: Åsa",
            "owner:\u{a0}\u{2003}, x",
            "owner\u{a0}: dana",
            "assigned to\u{2003}Åsa 👩",
            "éowner: x",
            "owner: Ana—then",
        ] {
            assert_eq!(fast_value(text), regex_value(text), "{text:?}");
        }
        assert_eq!(
            fast_value("Add a canary (owner: Dana, due Friday)").map(|r| r.len()),
            Some(4)
        );
        // Past the phrase check's buffer, and phrases without a colon anywhere.
        for text in [
            format!("{}owned by Dana", "word ".repeat(120)),
            format!("{}nobody", "word ".repeat(120)),
        ] {
            assert_eq!(fast_value(&text), regex_value(&text));
        }
    }

    #[test]
    fn text_the_regex_folds_goes_to_the_regex() {
        let keys = v().owner_keys.as_ref().unwrap();
        // `(?i)` reads `ſ` as `s` and the Kelvin sign as `k`.
        for text in ["aſſignee: Ana", "ticket \u{212A}-1, owner: x"] {
            assert_eq!(keys.value(text), None, "{text:?}");
        }
        assert_eq!(regex_value("aſſignee: Ana"), Some(12..15));
        assert!(keys.value("assignee: Ana").is_some());
    }

    #[test]
    fn keys_beyond_ascii_go_to_the_regex() {
        assert!(OwnerKeys::new(vec!["propriétaire".into()], vec![]).is_none());
        assert!(OwnerKeys::new(vec!["owner".into()], vec!["owned by".into()]).is_some());
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "owner",
            "Owner",
            "OWNERS",
            "owners",
            "assignee",
            "assigned",
            "assigned to",
            "Assigned To",
            "owned by",
            "owner is",
            "dri",
            "who",
            "team",
            "lead",
            "xteam",
            "responsible",
            ":",
            "=",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\x0b",
            ",",
            ";",
            "(",
            ")",
            "[",
            "]",
            "|",
            "dana",
            "@sam",
            "_",
            "9",
            "-",
            ".",
            "*",
            "tbd",
            // Beyond ASCII: letters, dashes the value stops at, spaces `\s` takes.
            "é",
            "Åsa",
            "—",
            "–",
            "’",
            "👩",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            "\u{3000}",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The same value as the regex on any ASCII text made of keys, spaces and delimiters.
        #[test]
        fn agrees_with_the_regex(pieces in prop::collection::vec(piece(), 0..14)) {
            let text = pieces.concat();
            prop_assert_eq!(fast_value(&text), regex_value(&text), "{:?}", text);
        }
    }
}
