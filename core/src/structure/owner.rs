//! The `owner: X` field of an action item read without the regex: the same answer as
//! `Compiled::owner_key_re` (`(?i)(?:\b(?:KEYS)\s*[:=]|\b(?:PHRASES)\s)\s*(?P<v>[^,;()\[\]—–|\n]+)`)
//! for ASCII text and ASCII keys, where every step of that pattern is a byte compare.
//!
//! An action item is read once per lint, and this regex was most of the regex work of a
//! lint: a search with captures touches a lot of the regex crate's code for a few hundred
//! bytes of text (docs/performance.md, eleventh round). Text or keys beyond ASCII (where
//! `(?i)` folds `ſ` to `s` and the Kelvin sign to `k`) still go to the regex.

use std::ops::Range;

/// The owner keys (`owner:`) and phrases (`assigned to`), in the order the regex's
/// alternations try them.
#[derive(Debug, Clone)]
pub(crate) struct OwnerKeys {
    keys: Vec<Vec<u8>>,
    phrases: Vec<Vec<u8>>,
    /// The first bytes of the keys and phrases, lowercased.
    first: [bool; 256],
    /// A substring searcher per phrase, built once.
    phrase_finders: Vec<memchr::memmem::Finder<'static>>,
}

/// `\s` on ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `[^,;()\[\]—–|\n]` on ASCII.
fn is_value(b: u8) -> bool {
    !matches!(b, b',' | b';' | b'(' | b')' | b'[' | b']' | b'|' | b'\n')
}

/// A word byte of the ASCII `\b`.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl OwnerKeys {
    /// From the keys and phrases in the regex's alternation order (longest first; see
    /// `vocab::alternation_order`). `None` when one of them is not ASCII.
    pub fn new(keys: Vec<String>, phrases: Vec<String>) -> Option<OwnerKeys> {
        if !keys.iter().chain(&phrases).all(|k| k.is_ascii()) {
            return None;
        }
        let mut first = [false; 256];
        for k in keys.iter().chain(&phrases) {
            if let Some(&b) = k.as_bytes().first() {
                first[usize::from(b.to_ascii_lowercase())] = true;
            }
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
        Some(OwnerKeys {
            keys: bytes(keys),
            phrases,
            first,
            phrase_finders,
        })
    }

    /// The range of the regex's `v` group in its leftmost match in `text` (ASCII), or
    /// `None` when it does not match.
    pub fn value(&self, text: &str) -> Option<Range<usize>> {
        let b = text.as_bytes();
        // Most action items hold no field at all: a key needs a `:` or `=` after it, and
        // without one only a phrase can match, found with a substring search or not at all.
        if memchr::memchr2(b':', b'=', b).is_none() && !self.may_hold_a_phrase(b) {
            return None;
        }
        for p in 0..b.len() {
            let c = b[p].to_ascii_lowercase();
            if !self.first[usize::from(c)] {
                continue;
            }
            // `\b` before the key: the bytes on either side differ in being word bytes.
            if (p > 0 && is_word(b[p - 1])) == is_word(b[p]) {
                continue;
            }
            // Keys are lowercase and not empty: most differ in the first byte.
            let at = |k: &[u8]| {
                k[0] == c
                    && b.get(p..p + k.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(k))
            };
            for key in &self.keys {
                if !at(key) {
                    continue;
                }
                // `\s*[:=]`: the spaces, then the colon or equals sign.
                let mut q = p + key.len();
                while q < b.len() && is_space(b[q]) {
                    q += 1;
                }
                if q < b.len() && matches!(b[q], b':' | b'=') {
                    if let Some(v) = value_from(b, q + 1) {
                        return Some(v);
                    }
                }
            }
            for phrase in &self.phrases {
                // The phrase and one `\s`.
                let k = p + phrase.len();
                if at(phrase) && k < b.len() && is_space(b[k]) {
                    if let Some(v) = value_from(b, k + 1) {
                        return Some(v);
                    }
                }
            }
        }
        None
    }
}

impl OwnerKeys {
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
/// byte after it, then the value as far as it goes. When only a delimiter or the end follows
/// the spaces, the regex gives some of them back: the value is the last space that is not a
/// line feed.
fn value_from(b: &[u8], from: usize) -> Option<Range<usize>> {
    let mut r = from;
    while r < b.len() && is_space(b[r]) {
        r += 1;
    }
    if r < b.len() && is_value(b[r]) {
        let mut e = r + 1;
        while e < b.len() && is_value(b[e]) {
            e += 1;
        }
        return Some(r..e);
    }
    // Every byte from here to `r` is a space, and the one after the chosen space is a line
    // feed or `r` itself: neither is a value byte, so the value is that one space.
    (from..r).rev().find(|&t| b[t] != b'\n').map(|t| t..t + 1)
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

    fn fast_value(text: &str) -> Option<Range<usize>> {
        v().owner_keys_ascii
            .as_ref()
            .expect("the built-in keys are ASCII")
            .value(text)
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
