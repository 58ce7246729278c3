//! The trigger scan: every place in the (ASCII-lowercased) prose where a trigger phrase
//! occurs as whole words.
//!
//! A trigger only counts when it starts a word and, when it ends in a letter or digit,
//! ends one (the caller checks the finer boundary rules: hyphens, non-ASCII letters).
//! So the scan does not need to look at every byte as a possible start, as an
//! Aho-Corasick automaton does: it walks the runs of ASCII word bytes (`a-z`, `0-9`, `_`,
//! `@`), hashing each run as it goes, and looks the run up in a table of the triggers'
//! first words. Only when a first word is known does it look further: at the next run,
//! for triggers of two words or more, then one `memcmp` per candidate trigger. The tables
//! are looked up by hash alone (the run's bytes are not compared with the key) when no
//! two keys' hashes get in each other's way: the compare of each candidate trigger with
//! the text is what decides a hit. The walk costs a few instructions per byte, about a
//! tenth of the automaton's, and building the tables is a pass over the triggers.
//!
//! Triggers that do not start with an ASCII word byte (none of the built-in ones do; a
//! user lexicon could have some) go to a small Aho-Corasick automaton beside the tables.
//!
//! A pattern may also be *open*: a word stem that matches at the start of any longer word
//! (`detect` for `detects`, `detection`). A stem of one run of word bytes goes to a third
//! table, looked up at the lengths stems have, and only for runs whose first two bytes
//! start some stem; other open patterns go to the automaton.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::ops::ControlFlow;

/// ASCII bytes that make words for the walk. Bytes from 0x80 up are separators here:
/// a trigger with a non-ASCII letter is split at it on both sides alike.
const fn word_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'@';
        b += 1;
    }
    t
}

/// Whether each byte is a word byte for the walk (after ASCII lowercasing).
static WORD: [bool; 256] = word_table();

/// [`WORD`] without `@`, for scanners where `@dana` is two words.
static WORD_NO_AT: [bool; 256] = {
    let mut t = word_table();
    t[b'@' as usize] = false;
    t
};

/// Separator bytes longer than this between the first two words of any trigger are not
/// looked at (the longest separator among the triggers sets the real bound).
const MAX_SEPARATOR: usize = 16;

/// One step of the hash of a byte string (FNV-1a: an xor and a multiply per byte). The
/// tables index by its low bits: on the lexicons' words that spreads them better than
/// the top bits, and lookups cost fewer instructions than with the rotate-xor-multiply
/// this replaced (callgrind, docs/performance.md).
#[inline(always)]
pub(crate) fn mix(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

pub(crate) const SEED: u64 = 0x2d35_8dcc_aa6c_78a5;

pub(crate) fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(SEED, |h, &b| mix(h, b))
}

/// The part of a hash a [`Table`] slot keeps: the top 32 bits.
#[inline(always)]
fn tag(h: u64) -> u32 {
    (h >> 32) as u32
}

/// An open-addressing table from byte strings (looked up by their [`hash`]) to a value.
#[derive(Debug, Clone)]
pub(crate) struct Table<V> {
    /// `(tag, index into entries)`, the tag being the hash's top 32 bits (the low bits
    /// pick the slot); index `u32::MAX` is an empty slot. Eight bytes a slot keep the
    /// tables small, so fewer lookups miss the cache.
    slots: Vec<(u32, u32)>,
    entries: Vec<(Box<[u8]>, V)>,
    mask: usize,
}

impl<V> Default for Table<V> {
    fn default() -> Table<V> {
        Table::new()
    }
}

impl<V> Table<V> {
    pub(crate) fn new() -> Table<V> {
        Table {
            slots: Vec::new(),
            entries: Vec::new(),
            mask: 0,
        }
    }

    #[inline(always)]
    fn slot_of(&self, h: u64, key: &[u8]) -> Result<usize, usize> {
        let mut i = (h as usize) & self.mask;
        let tag = tag(h);
        loop {
            let (st, e) = self.slots[i];
            if e == u32::MAX {
                return Err(i);
            }
            if st == tag && &*self.entries[e as usize].0 == key {
                return Ok(e as usize);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The first entry on the probe sequence of hash `h` whose slot holds `h`'s tag.
    #[inline(always)]
    fn entry_by_tag(&self, h: u64) -> Option<usize> {
        let mut i = (h as usize) & self.mask;
        let tag = tag(h);
        loop {
            let (st, e) = *self.slots.get(i)?;
            if e == u32::MAX {
                return None;
            }
            if st == tag {
                return Some(e as usize);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Whether every key is found from its hash alone, with no compare of the key: no
    /// other key with the same tag comes first on its probe sequence. Then
    /// [`Table::get_by_hash`] answers every key right, and other byte strings with a value
    /// or none.
    pub(crate) fn hashes_find_keys(&self) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(e, (k, _))| self.entry_by_tag(hash(k)) == Some(e))
    }

    /// The value of the key whose hash is `h`, without comparing the key: when
    /// [`Table::hashes_find_keys`], the value of `key` for a key; for another byte string
    /// the value of some key, or none. Callers compare what they take from the value.
    #[inline(always)]
    pub(crate) fn get_by_hash(&self, h: u64) -> Option<&V> {
        self.entry_by_tag(h).map(|e| &self.entries[e].1)
    }

    /// The number of slots for `n` keys: a load of 1/16 to 1/8, so a miss usually ends on
    /// its first slot.
    fn slots_for(n: usize) -> usize {
        ((n + 1) * 8).next_power_of_two().max(64)
    }

    /// An empty table sized for `n` keys, so building it does not rehash as it grows.
    pub(crate) fn with_capacity(n: usize) -> Table<V> {
        let size = Self::slots_for(n);
        Table {
            slots: vec![(0, u32::MAX); size],
            entries: Vec::with_capacity(n),
            mask: size - 1,
        }
    }

    /// The value of `key`, whose [`hash`] is `h`.
    #[inline]
    pub(crate) fn get(&self, h: u64, key: &[u8]) -> Option<&V> {
        if self.slots.is_empty() {
            return None;
        }
        self.slot_of(h, key).ok().map(|e| &self.entries[e].1)
    }

    /// The value of `key`, made with `make` when it is new.
    pub(crate) fn entry(&mut self, key: &[u8], make: impl FnOnce() -> V) -> &mut V {
        // Grow when the load would pass 1/4.
        if (self.entries.len() + 1) * 4 > self.slots.len() {
            let size = Self::slots_for(self.entries.len());
            self.slots = vec![(0, u32::MAX); size];
            self.mask = size - 1;
            for (e, (k, _)) in self.entries.iter().enumerate() {
                let h = hash(k);
                let Err(slot) = self.slot_of(h, k) else {
                    unreachable!("keys are distinct")
                };
                self.slots[slot] = (tag(h), e as u32);
            }
        }
        let h = hash(key);
        match self.slot_of(h, key) {
            Ok(e) => &mut self.entries[e].1,
            Err(slot) => {
                self.slots[slot] = (tag(h), self.entries.len() as u32);
                self.entries.push((key.into(), make()));
                &mut self.entries.last_mut().expect("just pushed").1
            }
        }
    }
}

/// A bit set over the hashes of a table's keys: a byte string whose bit is clear is no
/// key, found without touching the table. The scanner's tables fill the first-level data
/// cache (the built-in lexicon's first words take 32 KB of slots, its first two words
/// 64 KB); a filter takes 1 KB.
#[derive(Debug, Clone)]
struct Filter(Box<[u64; Filter::BITS / 64]>);

impl Filter {
    /// With the built-in lexicon's 406 first words, 373 bits are set: about one word in
    /// twenty that is no first word passes.
    const BITS: usize = 8192;

    /// The filter of `table`'s keys.
    fn of<V>(table: &Table<V>) -> Filter {
        let mut f = Filter(Box::new([0; Filter::BITS / 64]));
        for (k, _) in &table.entries {
            f.insert(hash(k));
        }
        f
    }

    fn insert(&mut self, h: u64) {
        let b = Filter::bit(h);
        self.0[b / 64] |= 1 << (b % 64);
    }

    /// The bit of hash `h`: bits 16 to 28, which a slot's tag does not use, nor its index
    /// in tables of up to 65,536 slots.
    #[inline(always)]
    fn bit(h: u64) -> usize {
        (h >> 16) as usize % Filter::BITS
    }

    /// Whether the byte string of hash `h` may be a key.
    #[inline(always)]
    fn may_hold(&self, h: u64) -> bool {
        let b = Filter::bit(h);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
}

/// What is known of a first word.
#[derive(Debug, Clone, Default)]
struct First {
    /// Triggers that are the word and nothing more, or the word and separators (`culprit:`).
    short: Vec<u32>,
    /// Whether some trigger goes on to a second word.
    longer: bool,
    /// Bit set over the bytes that start those second words: a following word that starts
    /// with any other byte is not hashed and looked up.
    next: [u64; 4],
}

impl First {
    #[inline(always)]
    fn may_go_on_with(&self, b: u8) -> bool {
        self.next[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// One place a trigger occurs: byte range in the scanned text and the trigger's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    /// Where it ends (first sort key: the order an automaton reports overlapping matches).
    pub end: usize,
    /// Where it starts.
    pub start: usize,
    /// Index of the trigger in the list the scanner was built from.
    pub pattern: u32,
}

/// Finds triggers at word starts; see the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    patterns: Vec<Box<[u8]>>,
    /// Per pattern: it is a stem, which needs no word end after it.
    open: Vec<bool>,
    /// Which bytes make words: [`WORD`] or [`WORD_NO_AT`].
    word: &'static [bool; 256],
    /// Stems (open patterns of one run of word bytes) → patterns.
    stems: Table<Vec<u32>>,
    /// Bit `n` is set when some stem is `n` bytes long (stems are 2 to 63 bytes).
    stem_lens: u64,
    /// Bit set over the first two bytes of the stems (`b0 << 8 | b1`).
    stem_starts: Vec<u64>,
    /// First word → triggers.
    first: Table<First>,
    /// First word, separator and second word (as bytes of the trigger) → triggers.
    second: Table<Vec<u32>>,
    /// Whether the first and second words are looked up by their hashes alone
    /// ([`Table::hashes_find_keys`]): every trigger found is compared with the text
    /// anyway, so a word that only shares a hash with a key costs a compare, never a hit.
    by_hash: bool,
    max_first: usize,
    /// The filters of the first and second words' keys.
    first_filter: Filter,
    second_filter: Filter,
    max_second: usize,
    max_separator: usize,
    /// Triggers that do not start with a word byte, with their indexes.
    other: Option<(AhoCorasick, Vec<u32>)>,
}

/// The end of the run of word bytes starting at `i`.
#[inline(always)]
fn run_end(word: &[bool; 256], b: &[u8], mut i: usize) -> usize {
    while i < b.len() && word[b[i] as usize] {
        i += 1;
    }
    i
}

impl Scanner {
    /// Builds the scanner, with `@` as a word byte. Patterns are matched byte for byte, so
    /// pass them lowercased and scan lowercased text.
    pub(crate) fn new(patterns: &[String]) -> Result<Scanner, aho_corasick::BuildError> {
        Scanner::with_stems(patterns.iter().map(|p| (p.as_str(), false)), true)
    }

    /// Builds the scanner from `(pattern, open)` pairs: an open pattern is a stem that also
    /// matches at the start of longer words. `@` is a word byte when `at_is_word`.
    pub(crate) fn with_stems<'p>(
        patterns: impl IntoIterator<Item = (&'p str, bool)>,
        at_is_word: bool,
    ) -> Result<Scanner, aho_corasick::BuildError> {
        let (patterns, open): (Vec<&str>, Vec<bool>) = patterns.into_iter().unzip();
        let word: &'static [bool; 256] = if at_is_word { &WORD } else { &WORD_NO_AT };
        let mut s = Scanner {
            patterns: patterns
                .iter()
                .map(|p| p.as_bytes().to_vec().into_boxed_slice())
                .collect(),
            open,
            word,
            stems: Table::new(),
            stem_lens: 0,
            stem_starts: Vec::new(),
            first: Table::new(),
            second: Table::new(),
            by_hash: false,
            max_first: 0,
            first_filter: Filter::of(&Table::<()>::new()),
            second_filter: Filter::of(&Table::<()>::new()),
            max_second: 0,
            max_separator: 0,
            other: None,
        };
        let mut other: Vec<(&str, u32)> = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let b = p.as_bytes();
            let i = i as u32;
            if b.is_empty() || !word[b[0] as usize] {
                other.push((p, i));
                continue;
            }
            let r = run_end(word, b, 0);
            if s.open[i as usize] {
                if r == b.len() && (2..64).contains(&r) {
                    s.stem_lens |= 1 << r;
                    if s.stem_starts.is_empty() {
                        s.stem_starts = vec![0; 1024];
                    }
                    let k = usize::from(b[0]) << 8 | usize::from(b[1]);
                    s.stem_starts[k / 64] |= 1 << (k % 64);
                    s.stems.entry(b, Vec::new).push(i);
                } else {
                    other.push((p, i));
                }
                continue;
            }
            s.max_first = s.max_first.max(r);
            let mut j = r;
            while j < b.len() && !word[b[j] as usize] {
                j += 1;
            }
            if j == b.len() {
                s.first.entry(&b[..r], First::default).short.push(i);
                continue;
            }
            if j - r > MAX_SEPARATOR {
                other.push((p, i));
                continue;
            }
            s.max_separator = s.max_separator.max(j - r);
            let r2 = run_end(word, b, j);
            s.max_second = s.max_second.max(r2);
            let first = s.first.entry(&b[..r], First::default);
            first.longer = true;
            first.next[usize::from(b[j] >> 6)] |= 1 << (b[j] & 63);
            s.second.entry(&b[..r2], Vec::new).push(i);
        }
        if !other.is_empty() {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(other.iter().map(|(p, _)| p))
                .or_else(|_| AhoCorasickBuilder::new().build(other.iter().map(|(p, _)| p)))?;
            s.other = Some((ac, other.iter().map(|(_, i)| *i).collect()));
        }
        s.by_hash = s.first.hashes_find_keys() && s.second.hashes_find_keys();
        s.first_filter = Filter::of(&s.first);
        s.second_filter = Filter::of(&s.second);
        Ok(s)
    }

    /// Whether pattern `p` may end at `end`: it is open, or its last byte is not a word
    /// byte, or no word byte follows.
    #[inline]
    fn ends_well(&self, text: &[u8], p: u32, end: usize) -> bool {
        let pattern = &self.patterns[p as usize];
        end == text.len()
            || !self.word[text[end] as usize]
            || !self.word[pattern[pattern.len() - 1] as usize]
            || self.open[p as usize]
    }

    /// Calls `f` with a hit for each of `candidates` that occurs at `start` and ends well;
    /// `f` may stop the scan.
    #[inline(always)]
    fn matches_at(
        &self,
        text: &[u8],
        start: usize,
        candidates: &[u32],
        f: &mut impl FnMut(Hit) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for &p in candidates {
            let pat = &self.patterns[p as usize];
            let end = start + pat.len();
            // Most candidates that differ from the text differ in the last byte.
            if text.get(end - 1) == pat.last()
                && text[start..end] == pat[..]
                && self.ends_well(text, p, end)
            {
                f(Hit {
                    end,
                    start,
                    pattern: p,
                })?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Calls `f` with each stem that starts the run of word bytes `text[s..e]`; `f` may
    /// stop the scan.
    #[inline(never)]
    fn stems_at(
        &self,
        text: &[u8],
        s: usize,
        e: usize,
        f: &mut impl FnMut(Hit) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let mut h = SEED;
        for (k, &b) in text[s..e].iter().enumerate().take(63) {
            h = mix(h, b);
            let len = k + 1;
            if self.stem_lens & (1 << len) == 0 {
                continue;
            }
            if let Some(ps) = self.stems.get(h, &text[s..s + len]) {
                for &p in ps {
                    f(Hit {
                        end: s + len,
                        start: s,
                        pattern: p,
                    })?;
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Whether some stem starts with the bytes `a`, `b`.
    #[inline(always)]
    fn stem_starts_with(&self, a: u8, b: u8) -> bool {
        let k = usize::from(a) << 8 | usize::from(b);
        self.stem_starts[k / 64] & (1 << (k % 64)) != 0
    }

    /// Appends every hit in `text` to `out` and sorts `out` by end, then start: each
    /// trigger that starts a run of ASCII word bytes and does not end inside one (if it
    /// ends in a word byte and is not open), and every occurrence of the triggers that
    /// start otherwise.
    pub(crate) fn find(&self, text: &[u8], out: &mut Vec<Hit>) {
        self.each(text, |h| out.push(h));
        // The walk reports hits almost in order (a phrase where its first word starts, so
        // before the shorter hits inside it): the stable sort merges those runs, where the
        // unstable one partitions them. The order is total, so both give the same vector.
        out.sort();
    }

    /// Calls `f` with every hit in `text` (see [`Scanner::find`]), in no set order.
    pub(crate) fn each(&self, text: &[u8], mut f: impl FnMut(Hit)) {
        let _ = self.try_each(text, |h| {
            f(h);
            ControlFlow::Continue(())
        });
    }

    /// [`Scanner::each`] until `f` breaks: the hits come in no set order, so the one that
    /// stops the scan is any hit, not the first.
    pub(crate) fn try_each(
        &self,
        text: &[u8],
        mut f: impl FnMut(Hit) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let word = self.word;
        let n = text.len();
        let mut i = 0;
        while i < n {
            if !word[text[i] as usize] {
                i += 1;
                continue;
            }
            let s = i;
            let mut h = SEED;
            while i < n && word[text[i] as usize] {
                h = mix(h, text[i]);
                i += 1;
            }
            if self.stem_lens != 0 && i - s >= 2 && self.stem_starts_with(text[s], text[s + 1]) {
                self.stems_at(text, s, i, &mut f)?;
            }
            if i - s > self.max_first || !self.first_filter.may_hold(h) {
                continue;
            }
            let first = if self.by_hash {
                self.first.get_by_hash(h)
            } else {
                self.first.get(h, &text[s..i])
            };
            let Some(first) = first else {
                continue;
            };
            self.matches_at(text, s, &first.short, &mut f)?;
            if !first.longer {
                continue;
            }
            let mut j = i;
            while j < n && j - i <= self.max_separator && !word[text[j] as usize] {
                h = mix(h, text[j]);
                j += 1;
            }
            if j == n || j - i > self.max_separator || !first.may_go_on_with(text[j]) {
                continue;
            }
            while j < n && word[text[j] as usize] && j - s <= self.max_second {
                h = mix(h, text[j]);
                j += 1;
            }
            if j - s > self.max_second
                || (j < n && word[text[j] as usize])
                || !self.second_filter.may_hold(h)
            {
                continue;
            }
            let longer = if self.by_hash {
                self.second.get_by_hash(h)
            } else {
                self.second.get(h, &text[s..j])
            };
            let Some(longer) = longer else {
                continue;
            };
            self.matches_at(text, s, longer, &mut f)?;
        }
        if let Some((ac, ids)) = &self.other {
            for m in ac.find_overlapping_iter(text) {
                let p = ids[m.pattern().as_usize()];
                let pat = &self.patterns[p as usize];
                // A trigger with a long separator still starts and ends words.
                if !pat.is_empty()
                    && word[pat[0] as usize]
                    && ((m.start() > 0 && word[text[m.start() - 1] as usize])
                        || !self.ends_well(text, p, m.end()))
                {
                    continue;
                }
                f(Hit {
                    end: m.end(),
                    start: m.start(),
                    pattern: p,
                })?;
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The automaton's overlapping matches, kept where the scanner promises them.
    fn reference(patterns: &[String], text: &[u8]) -> Vec<Hit> {
        let open = vec![false; patterns.len()];
        reference_with(patterns, &open, &WORD, text)
    }

    /// [`reference`] with open patterns (stems) and a choice of word bytes.
    fn reference_with(
        patterns: &[String],
        open: &[bool],
        word: &[bool; 256],
        text: &[u8],
    ) -> Vec<Hit> {
        let ac = AhoCorasick::new(patterns).unwrap();
        let mut out: Vec<Hit> = ac
            .find_overlapping_iter(text)
            .map(|m| Hit {
                end: m.end(),
                start: m.start(),
                pattern: m.pattern().as_u32(),
            })
            .filter(|h| {
                let p = patterns[h.pattern as usize].as_bytes();
                if p.is_empty() || !word[p[0] as usize] {
                    return true;
                }
                let starts = h.start == 0 || !word[text[h.start - 1] as usize];
                let ends = h.end == text.len()
                    || !word[text[h.end] as usize]
                    || !word[p[p.len() - 1] as usize]
                    || open[h.pattern as usize];
                starts && ends
            })
            .collect();
        out.sort_unstable();
        out
    }

    fn scan(patterns: &[String], text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        Scanner::new(patterns)
            .unwrap()
            .find(text.as_bytes(), &mut out);
        out
    }

    fn scan_with(patterns: &[String], open: &[bool], at_is_word: bool, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let pairs = patterns
            .iter()
            .map(String::as_str)
            .zip(open.iter().copied());
        Scanner::with_stems(pairs, at_is_word)
            .unwrap()
            .find(text.as_bytes(), &mut out);
        out
    }

    fn pats(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn whole_words_only() {
        let p = pats(&[
            "should have",
            "should",
            "careless",
            "root cause:",
            "human error",
        ]);
        let text =
            "we should have seen it; shoulder careless, carelessly. root cause: x. human errors";
        let found: Vec<&str> = scan(&p, text)
            .iter()
            .map(|h| &text[h.start..h.end])
            .collect();
        assert_eq!(found, ["should", "should have", "careless", "root cause:"]);
    }

    #[test]
    fn a_word_sharing_a_keys_hash_costs_a_compare_never_a_hit() {
        let p = pats(&["should have", "should", "culprit:", "root cause", "x"]);
        let mut s = Scanner::new(&p).unwrap();
        assert!(s.by_hash);
        // Make other words find the entries of keys, as a collision of hashes would.
        // (The filters let them through too.)
        fn collide<V>(table: &mut Table<V>, filter: &mut Filter, word: &[u8], key: &[u8]) {
            let e = table.slot_of(hash(key), key).unwrap();
            let h = hash(word);
            let Err(slot) = table.slot_of(h, word) else {
                panic!("{word:?} is a key")
            };
            table.slots[slot] = (tag(h), e as u32);
            filter.insert(h);
        }
        for (word, key) in [
            (&b"shoulder"[..], &b"should"[..]),
            (b"culprits", b"culprit"),
            (b"rooted", b"root"),
            (b"y", b"x"),
            // Same length and last byte as the key: only the compare tells them apart.
            (b"shoald", b"should"),
            (b"roof", b"root"),
        ] {
            collide(&mut s.first, &mut s.first_filter, word, key);
        }
        collide(
            &mut s.second,
            &mut s.second_filter,
            b"roof cause",
            b"root cause",
        );
        collide(
            &mut s.second,
            &mut s.second_filter,
            b"rooted cause",
            b"root cause",
        );
        assert!(s.first.hashes_find_keys() && s.second.hashes_find_keys());
        let text = "shoulder have y; culprits: rooted cause; shoald; roof cause; should have; \
                    culprit: root cause x";
        let mut found = Vec::new();
        s.find(text.as_bytes(), &mut found);
        assert_eq!(found, reference(&p, text.as_bytes()));
        assert_eq!(found.len(), 5);
        // A key that another key's tag hides is not found by its hash: the scanner would
        // compare keys instead.
        let (a, b) = (hash(b"should"), hash(b"x"));
        let eb = s.first.slot_of(b, b"x").unwrap();
        let slot_b = (0..s.first.slots.len())
            .find(|&i| s.first.slots[i].1 == eb as u32 && s.first.slots[i].0 == tag(b))
            .unwrap();
        s.first.slots[slot_b] = (tag(b), s.first.slot_of(a, b"should").unwrap() as u32);
        assert!(!s.first.hashes_find_keys());
    }

    #[test]
    fn sorted_by_end_then_start() {
        let p = pats(&["the root cause", "root cause", "cause"]);
        let hits = scan(&p, "so the root cause was");
        let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(spans, [(3, 17), (7, 17), (12, 17)]);
    }

    #[test]
    fn non_ascii_and_odd_starts() {
        let p = pats(&["naïve fix", "—blame", "x"]);
        let text = "a naïve fix —blame x";
        assert_eq!(scan(&p, text), reference(&p, text.as_bytes()));
        assert_eq!(scan(&p, text).len(), 3);
    }

    #[test]
    fn triggers_of_three_words_and_long_separators() {
        let p = pats(&["a  -- b c", "a b", "a b c d"]);
        let text = "a  -- b c; a b c d; a b cd";
        assert_eq!(scan(&p, text), reference(&p, text.as_bytes()));
        assert_eq!(scan(&p, text).len(), 4);
    }

    #[test]
    fn stems_match_the_start_of_longer_words() {
        let p = pats(&["detect", "page", "fail", "rollback complete", "@x", "de"]);
        let open = [true, false, true, true, false, true];
        let text = "detects detect undetected paged page failover rollback completed @x a@x de";
        let found = |at| -> Vec<&str> {
            scan_with(&p, &open, at, text)
                .iter()
                .map(|h| &text[h.start..h.end])
                .collect()
        };
        let (stems, rest) = (
            [
                "de",
                "detect",
                "de",
                "detect",
                "page",
                "fail",
                "rollback complete",
            ],
            ["@x", "de"],
        );
        assert_eq!(found(true), [&stems[..], &rest[..]].concat());
        // Without `@` as a word byte, `@x` does not start a word, so it is found anywhere.
        assert_eq!(found(false), [&stems[..], &["@x"], &rest[..]].concat());
        for at in [true, false] {
            let word = if at { &WORD } else { &WORD_NO_AT };
            assert_eq!(
                scan_with(&p, &open, at, text),
                reference_with(&p, &open, word, text.as_bytes())
            );
        }
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a", "b", "ab", "the", "root", "cause", "é", "-", "_x", "@a", "9", "ab9",
        ])
        .prop_map(str::to_string)
    }

    fn sep() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            " ",
            "  ",
            "-",
            ", ",
            ":",
            "’",
            "\n",
            "",
            " ------------------ ",
        ])
        .prop_map(str::to_string)
    }

    fn phrase(max_words: usize) -> impl Strategy<Value = String> {
        prop::collection::vec((word(), sep()), 1..=max_words)
            .prop_map(|v| v.into_iter().map(|(w, s)| w + &s).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The scanner finds exactly the automaton's matches at word starts.
        #[test]
        fn agrees_with_the_automaton(
            patterns in prop::collection::btree_set(phrase(4), 1..12),
            text in phrase(40),
        ) {
            let patterns: Vec<String> = patterns.into_iter().collect();
            prop_assert_eq!(scan(&patterns, &text), reference(&patterns, text.as_bytes()));
        }

        /// With stems, and with `@` as a separator, too.
        #[test]
        fn agrees_with_the_automaton_on_stems(
            patterns in prop::collection::btree_map(phrase(3), any::<bool>(), 1..12),
            at_is_word in any::<bool>(),
            text in phrase(40),
        ) {
            let (patterns, open): (Vec<String>, Vec<bool>) = patterns.into_iter().unzip();
            let word = if at_is_word { &WORD } else { &WORD_NO_AT };
            prop_assert_eq!(
                scan_with(&patterns, &open, at_is_word, &text),
                reference_with(&patterns, &open, word, text.as_bytes())
            );
        }
    }
}
