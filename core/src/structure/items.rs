//! Action items and contributing factors: items from lists, tables or sub-headings,
//! with owner, target date and ticket, classified by kind.

use super::header::strip_marker;
use super::vocab::{Compiled, Phrases};
use super::Layout;
use crate::lexicon::SectionKind;
use crate::markdown::Document;
use crate::report::Factor;
use std::ops::Range;

/// An item of a section: its text and where it is.
#[derive(Debug, Clone)]
pub(crate) struct SectionItem {
    /// The item's own text (nested lists excluded), markup kept.
    pub text: String,
    /// Source range to point at.
    pub range: Range<usize>,
    /// For a table row: the table's index in `Document::tables` and the row's index in it.
    pub row: Option<(usize, usize)>,
}

/// The non-empty `parts` joined by `sep`, built in one string of about `capacity` bytes.
fn join_non_empty<'a>(parts: impl Iterator<Item = &'a str>, sep: &str, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    for part in parts.filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// The items of every section of `kind`: top-level list items, table rows, sub-headings
/// (with `subheadings`), or one item per paragraph when there is nothing else.
pub(crate) fn section_items(
    doc: &Document<'_>,
    layout: &Layout,
    kind: SectionKind,
    subheadings: bool,
) -> (bool, Vec<SectionItem>, bool) {
    let present = layout.kinds.contains(&kind);
    let mut out = Vec::with_capacity(16);
    // List items at the shallowest depth, per section.
    let min_depth = doc
        .items
        .iter()
        .filter(|i| layout.kind(i.section) == kind && !i.quoted)
        .map(|i| i.depth)
        .min();
    for (idx, item) in doc.items.iter().enumerate() {
        if layout.kind(item.section) != kind || item.quoted || Some(item.depth) != min_depth {
            continue;
        }
        // Cut at the first nested item.
        let mut end = item.range.end;
        if let Some(next) = doc.items.get(idx + 1) {
            if next.range.start < item.range.end {
                end = next.range.start;
            }
        }
        let raw = &doc.src[item.range.start..end];
        // The item's non-blank lines, markers stripped, joined by single spaces.
        let text = join_non_empty(raw.lines().map(|l| strip_marker(l).trim()), " ", raw.len());
        let first_line_end =
            item.range.start + raw.trim_end().find('\n').unwrap_or(raw.trim_end().len());
        if !text.is_empty() {
            out.push(SectionItem {
                text,
                range: item.range.start..first_line_end,
                row: None,
            });
        }
    }
    for (ti, table) in doc.tables.iter().enumerate() {
        if layout.kind(table.section) != kind {
            continue;
        }
        for (ri, (range, cells)) in table.rows.iter().enumerate() {
            if cells.iter().all(|c| c.0.trim().is_empty()) {
                continue;
            }
            let text = join_non_empty(cells.iter().map(|c| c.0.as_str()), " | ", range.len());
            out.push(SectionItem {
                text,
                range: range.clone(),
                row: Some((ti, ri)),
            });
        }
    }
    if subheadings && out.is_empty() {
        // Sub-headings under the section, one item each.
        let mut parent_level: Option<u8> = None;
        for (si, s) in doc.sections.iter().enumerate() {
            if layout.kind(si) != kind {
                parent_level = None;
                continue;
            }
            match parent_level {
                Some(pl) if s.level > pl => out.push(SectionItem {
                    text: s.title.clone(),
                    range: layout.heading_line(si),
                    row: None,
                }),
                _ => parent_level = Some(s.level),
            }
        }
    }
    let mut prose_only = false;
    if out.is_empty() {
        for leaf in &doc.leaves {
            if layout.kind(leaf.section) == kind
                && leaf.kind == crate::markdown::LeafKind::Paragraph
                && !leaf.quoted
            {
                let text =
                    doc.prose[leaf.norm.clone()].replace(crate::markdown::BARRIER as char, " ");
                if text.chars().any(char::is_alphanumeric) {
                    out.push(SectionItem {
                        text,
                        range: leaf.src.clone(),
                        row: None,
                    });
                }
            }
        }
        prose_only = !out.is_empty();
    }
    out.sort_by_key(|i| i.range.start);
    (present, out, prose_only)
}

/// An action item, read.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    pub text: String,
    pub range: Range<usize>,
    pub owner: Option<String>,
    pub date: Option<String>,
    pub ticket: Option<String>,
    pub kinds: Vec<String>,
}

/// Which column of an action table holds each field: for each role, the first header
/// (trimmed and lowercased) that names it, and whether the role's names match a blank
/// header (the header of cells beyond the table's header). Found once per table.
#[derive(Debug, Clone, Copy)]
struct Columns {
    text: Role,
    owner: Role,
    date: Role,
    ticket: Role,
}

/// One role's column: see [`Columns`].
#[derive(Debug, Clone, Copy)]
struct Role {
    first: Option<usize>,
    blank: bool,
    headers: usize,
}

impl Role {
    fn new(header: &[String], names: &Phrases) -> Role {
        Role {
            first: header.iter().position(|h| names.matches(h)),
            blank: names.matches(""),
            headers: header.len(),
        }
    }

    /// The role's cell in a row of `cells` cells: the first whose header names the role.
    fn of(self, cells: usize) -> Option<usize> {
        match self.first {
            Some(i) if i < cells => Some(i),
            _ => (self.blank && cells > self.headers).then_some(self.headers),
        }
    }
}

impl Columns {
    fn of(table: &crate::markdown::Table, vocab: &Compiled) -> Columns {
        let header: Vec<String> = table
            .header
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        Columns {
            text: Role::new(&header, &vocab.text_columns),
            owner: Role::new(&header, &vocab.owner_columns),
            date: Role::new(&header, &vocab.date_columns),
            ticket: Role::new(&header, &vocab.ticket_columns),
        }
    }
}

/// The matches of `ticket_re` (`(?-u:\b)(?P<p>[A-Z][A-Z0-9]{0,11})-(?P<n>\d+)(?-u:\b)`) in
/// order, as (whole match, prefix) ranges, read without the regex; `None` when the text
/// holds a numeric character beyond ASCII, which the pattern's `\d` might take.
///
/// A match starts at an ASCII capital with no ASCII word character before it, runs over
/// at most twelve capitals and digits to a `-`, then over digits (at least one) to a
/// character that is not an ASCII word character. No match can start inside a run that
/// failed, so trying each run start in order gives the regex's matches.
fn ascii_tickets(text: &str) -> Option<Vec<(Range<usize>, Range<usize>)>> {
    if !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return None;
    }
    let b = text.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(|&c| super::time::ascii_word(c));
    let mut out = Vec::new();
    for dash in memchr::memchr_iter(b'-', b) {
        let mut s = dash;
        while s > 0 && (b[s - 1].is_ascii_uppercase() || b[s - 1].is_ascii_digit()) {
            s -= 1;
        }
        // The run must start at a capital, after no word character, and hold 1 to 12 bytes.
        if s == dash || !b[s].is_ascii_uppercase() || dash - s > 12 || (s > 0 && word(s - 1)) {
            continue;
        }
        let mut e = dash + 1;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        if e == dash + 1 || word(e) {
            continue;
        }
        out.push((s..e, s..dash));
    }
    Some(out)
}

impl Compiled {
    fn ticket_in(&self, text: &str) -> Option<String> {
        // Every ticket form needs a `-`, a `#` or a URL's `:`.
        if !text.bytes().any(|b| matches!(b, b'-' | b'#' | b':')) {
            return None;
        }
        let tickets = ascii_tickets(text).unwrap_or_else(|| {
            self.ticket_re
                .captures_iter(text)
                .filter_map(|c| Some((c.get(0)?.range(), c.name("p")?.range())))
                .collect()
        });
        for (whole, p) in tickets {
            let p = &text[p];
            if p.chars().any(|ch| ch.is_ascii_uppercase())
                && p.len() >= 2
                && !self.not_ticket_prefixes.iter().any(|x| x == p)
            {
                return Some(text[whole].to_string());
            }
        }
        if let Some(m) = self.url_re.find(text) {
            return Some(m.as_str().trim_end_matches(['.', ',', ';']).to_string());
        }
        self.hash_ticket_re.find(text).map(|m| {
            m.as_str()
                .trim_start_matches(|c: char| c != '#')
                .to_string()
        })
    }

    fn date_in(&self, text: &str) -> Option<String> {
        // The numeric forms need a digit (`\d`, any script's): most texts have none.
        let digits = has_digit(text);
        if let Some(date) = digits.then(|| self.iso_date(text)).flatten() {
            return Some(text[date.whole].to_string());
        }
        if let Some(c) = self.date_word_re.captures(text) {
            let v = c
                .name("v1")
                .or_else(|| c.name("v2"))
                .map(|m| m.as_str().trim().to_string())
                .unwrap_or_default();
            if !v.is_empty() && !self.is_placeholder(&v) {
                return Some(v);
            }
        }
        if !digits {
            return None;
        }
        for r in [&self.mdy_re, &self.dmy_re] {
            if let Some(c) = r
                .captures_iter(text)
                .find(|c| c["d"].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)))
            {
                return Some(c[0].trim().to_string());
            }
        }
        None
    }

    /// The value of an `owner: X` field in `text` (the `v` group of `owner_key_re`).
    fn owner_key_value<'t>(&self, text: &'t str) -> Option<&'t str> {
        match self.owner_keys.as_ref().and_then(|keys| keys.value(text)) {
            Some(v) => v.map(|r| &text[r]),
            None => self
                .owner_key_re
                .captures(text)
                .and_then(|c| c.name("v"))
                .map(|m| m.as_str()),
        }
    }

    fn owner_in(&self, text: &str) -> Option<String> {
        if let Some(v) = self.owner_key_value(text) {
            let v = v.trim().trim_matches(['*', '_', '`']).trim();
            if !v.is_empty() && !self.is_placeholder(v) {
                return Some(v.to_string());
            }
        }
        // Both handle forms need an `@`: skip the regexes on the many texts without one.
        memchr::memchr(b'@', text.as_bytes())?;
        if let Some(c) = self.at_handle_re.captures(text) {
            return Some(format!("@{}", &c["h"]));
        }
        if let Some(c) = self.handle_at_re.captures(text) {
            return Some(format!("{}@", &c["h"]));
        }
        None
    }
}

/// Whether `text` holds a character the regex class `\d` may match (a numeric character
/// of any script): the date patterns all need one.
fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii() && text.chars().any(char::is_numeric))
}

/// The separators between an action's text and its fields (see [`separator`]), strongest
/// first.
const SEPARATORS: [&str; 5] = [" — ", " – ", " -- ", " | ", " - "];

/// The strongest separator `text` holds (the first of [`SEPARATORS`] it contains) and
/// where it first occurs, found in one pass over its spaces.
fn separator(text: &str) -> Option<(&'static str, usize)> {
    let b = text.as_bytes();
    let mut best = SEPARATORS.len();
    let mut at = 0;
    for i in memchr::memchr_iter(b' ', b) {
        // Each separator starts with a space; the byte after it says which may follow.
        let candidates = match b.get(i + 1) {
            Some(0xE2) => 0..2,
            Some(b'-') => 2..5,
            Some(b'|') => 3..4,
            _ => continue,
        };
        for k in candidates.take_while(|k| *k < best) {
            if b[i..].starts_with(SEPARATORS[k].as_bytes()) {
                (best, at) = (k, i);
                break;
            }
        }
        if best == 0 {
            break;
        }
    }
    SEPARATORS.get(best).map(|sep| (*sep, at))
}

/// Reads owner, date, ticket and kinds of each action item.
pub(crate) fn actions(doc: &Document<'_>, items: &[SectionItem], vocab: &Compiled) -> Vec<Action> {
    // The columns of each table with rows among the items, found at its first row.
    let mut columns: Vec<Option<Columns>> = Vec::new();
    items
        .iter()
        .map(|it| {
            let (text, mut owner, mut date, mut ticket) = if let Some((t, r)) = it.row {
                if columns.len() <= t {
                    columns.resize(t + 1, None);
                }
                let table = &doc.tables[t];
                let cols = *columns[t].get_or_insert_with(|| Columns::of(table, vocab));
                let cells = &table.rows[r].1;
                let at = |role: Role| role.of(cells.len()).map(|i| cells[i].0.as_str());
                let body = at(cols.text).map(str::to_string).unwrap_or_else(|| {
                    cells
                        .iter()
                        .map(|c| &c.0)
                        .max_by_key(|c| c.len())
                        .cloned()
                        .unwrap_or_default()
                });
                // With a dedicated column, a blank cell is missing; without one, read the text.
                let cell = |role: Role| {
                    at(role).map(|v| {
                        let v = v.trim();
                        if v.is_empty() || vocab.is_placeholder(v) {
                            String::new()
                        } else {
                            v.to_string()
                        }
                    })
                };
                let o = cell(cols.owner);
                let d = cell(cols.date);
                let t = cell(cols.ticket).map(|t| {
                    if t.is_empty() {
                        t
                    } else {
                        vocab.ticket_in(&t).unwrap_or(t)
                    }
                });
                (body, o, d, t)
            } else {
                (it.text.clone(), None, None, None)
            };
            let inline = it.text.as_str();
            if owner.is_none() {
                owner = vocab
                    .owner_in(inline)
                    .or_else(|| owner_segment(inline, vocab));
            }
            if date.is_none() {
                date = vocab.date_in(inline);
            }
            if ticket.is_none() {
                ticket = vocab.ticket_in(inline);
            }
            let blank = |v: Option<String>| v.filter(|s| !s.is_empty());
            let lower = crate::words::lowercase(&text);
            let mut kinds: Vec<String> = vocab
                .action_kinds
                .all_in(&lower)
                .into_iter()
                .map(str::to_string)
                .collect();
            if kinds.is_empty() {
                kinds.push("fix".into());
            }
            Action {
                text: strip_tail(&text),
                range: it.range.clone(),
                owner: blank(owner),
                date: blank(date),
                ticket: blank(ticket),
                kinds,
            }
        })
        .collect()
}

/// The action text without trailing field segments: the text before its first separator
/// (em dash, en dash, `--`, ` | `, or ` - `, the strongest it holds).
fn strip_tail(text: &str) -> String {
    let head = separator(text).map_or(text, |(_, at)| &text[..at]);
    head.trim().to_string()
}

fn owner_segment(text: &str, vocab: &Compiled) -> Option<String> {
    // One scan for the separator: it gives both the segments and whether the text holds
    // one of the four strong ones (the strongest is ` - ` only when it holds none of them).
    let (sep, _) = separator(text)?;
    let segs: Vec<&str> = text.split(sep).map(str::trim).collect();
    let strong = sep != " - ";
    // A segment holding a date or a ticket is a field (`date_in` finds every date the
    // numeric date patterns find).
    let is_field = |s: &str| vocab.ticket_in(s).is_some() || vocab.date_in(s).is_some();
    let field: Vec<bool> = segs[1..].iter().map(|s| is_field(s)).collect();
    if !strong && !field.contains(&true) {
        return None;
    }
    segs[1..]
        .iter()
        .zip(field)
        .map(|(raw, f)| {
            (
                raw,
                raw.trim_matches(['.', '*', '_', '`', '(', ')']).trim(),
                f,
            )
        })
        .find(|&(raw, s, f)| {
            // A trimmed segment is a slice of the segment: of the same length, the same.
            !s.is_empty()
                && !(if s.len() == raw.len() { f } else { is_field(s) })
                && s.split_whitespace().count() <= 4
                && !vocab.is_placeholder(s)
                && !s.contains(':')
        })
        .map(|(_, s, _)| s.to_string())
}

/// Classifies each factor by the first kind whose vocabulary it uses.
pub(crate) fn factors(items: &[SectionItem], vocab: &Compiled) -> Vec<Factor> {
    items
        .iter()
        .map(|it| {
            let lower = crate::words::lowercase(&it.text);
            let kind = vocab.factor_kinds.first_in(&lower).unwrap_or("other");
            Factor {
                text: it.text.clone(),
                kind: kind.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The ticket reader finds the ticket regex's matches, prefixes and all.
        #[test]
        fn tickets_agree_with_the_regex(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "OPS", "A", "AB1", "ABCDEFGHIJKL", "M", "-", "--", "12", "7", "a", "x", "_", " ",
                "(", ")", ".", "—", "é", "É", "٣", "#", "/", "INC-", "-4", "9A",
            ]), 0..12),
        ) {
            static VOCAB: std::sync::OnceLock<super::Compiled> = std::sync::OnceLock::new();
            let v = VOCAB.get_or_init(super::super::tests_support::vocab);
            let text: String = parts.concat();
            let expected: Vec<_> = v
                .ticket_re
                .captures_iter(&text)
                .map(|c| (c.get(0).unwrap().range(), c.name("p").unwrap().range()))
                .collect();
            match super::ascii_tickets(&text) {
                Some(found) => proptest::prop_assert_eq!(found, expected, "{:?}", text),
                None => proptest::prop_assert!(text.contains('٣'), "{:?}", text),
            }
        }

        /// The one-pass separator is the first of the list that the text contains.
        #[test]
        fn separator_is_the_first_contained(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                " ", "-", "--", "|", "—", "–", "a", "é", "\u{2014}x", "-- ",
            ]), 0..16),
        ) {
            let text: String = parts.concat();
            let expected = super::SEPARATORS
                .iter()
                .copied()
                .find_map(|sep| Some((sep, text.find(sep)?)));
            proptest::prop_assert_eq!(super::separator(&text), expected, "{:?}", text);
        }
    }

    use super::super::tests_support::vocab;
    use super::*;

    fn one(text: &str) -> Action {
        let v = vocab();
        actions(
            &crate::markdown::parse("", &[]),
            &[SectionItem {
                text: text.into(),
                range: 0..1,
                row: None,
            }],
            &v,
        )
        .remove(0)
    }

    fn fields(a: &Action) -> (Option<&str>, Option<&str>, Option<&str>) {
        (a.owner.as_deref(), a.date.as_deref(), a.ticket.as_deref())
    }

    #[test]
    fn dates_with_and_without_a_year() {
        let v = vocab();
        for (text, date) in [
            ("Dec 10", Some("Dec 10")),
            ("10 Dec 2026", Some("10 Dec 2026")),
            ("by 2026-12-10", Some("2026-12-10")),
            ("due: next sprint", Some("next sprint")),
            ("21 days out", None),
            ("Dec 41", None),
            ("no numbers here", None),
            ("Zoë: 10 Dec 2026", Some("10 Dec 2026")),
            ("Dec ١٠", None),
            // `\d` takes digits of every script; the ISO form is kept as written.
            ("by ٢٠٢٦-١٢-١٠", Some("٢٠٢٦-١٢-١٠")),
        ] {
            assert_eq!(v.date_in(text).as_deref(), date, "{text}");
        }
        assert!(has_digit("Dec ١٠") && has_digit("a1") && !has_digit("Dec ten"));
    }

    #[test]
    fn owner_date_ticket_forms() {
        assert_eq!(
            fields(&one(
                "Add a canary stage (owner: @amara, due 2026-12-10, CFG-123)"
            )),
            (Some("@amara"), Some("2026-12-10"), Some("CFG-123"))
        );
        assert_eq!(
            fields(&one(
                "Page on replica lag above 30 s — owner: db-platform — Dec 10 — #123"
            )),
            (Some("db-platform"), Some("Dec 10"), Some("#123"))
        );
        let a = one("Split the shared pool by caller, amara@, by Friday, https://tracker.example.com/browse/NET-88");
        assert_eq!(fields(&a), (Some("amara@"), Some("Friday"), Some("NET-88")));
        assert_eq!(
            fields(&one(
                "Add a dry-run flag — @kofi — 10 Dec 2026 — https://github.com/x/y/issues/412"
            )),
            (
                Some("@kofi"),
                Some("10 Dec 2026"),
                Some("https://github.com/x/y/issues/412")
            )
        );
        assert_eq!(
            fields(&one(
                "Raise the autoscaler minimum to 6 (owner: compute, ABC-123)"
            )),
            (Some("compute"), None, Some("ABC-123"))
        );
        assert_eq!(
            fields(&one(
                "Rewrite the failover runbook with screenshots, due 2026-12-20"
            )),
            (None, Some("2026-12-20"), None)
        );
        assert_eq!(
            fields(&one("Remove the unused admin endpoint @li.wei 2026-12-01")),
            (Some("@li.wei"), Some("2026-12-01"), None)
        );
        assert_eq!(
            fields(&one("Investigate flaky integration test")),
            (None, None, None)
        );
        assert_eq!(
            fields(&one(
                "Publish a calendar of nightly jobs — data platform — DATA-304"
            )),
            (Some("data platform"), None, Some("DATA-304"))
        );
        assert_eq!(
            fields(&one("Add a schema check to CI — 2026-03-27 — DATA-303")),
            (None, Some("2026-03-27"), Some("DATA-303"))
        );
        assert_eq!(
            fields(&one("Upgrade to UTF-8 everywhere")),
            (None, None, None)
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(
            one("Alert on outbound pool utilisation above 85%").kinds,
            vec!["detection"]
        );
        assert!(one("Split the outbound pool into separate pools")
            .kinds
            .contains(&"blast-radius".to_string()));
        assert_eq!(
            one("Reject a TTL of zero in the config schema").kinds,
            vec!["fix"]
        );
    }
}
