//! One pass over the Markdown: prose leaves with their section, plus the document
//! model the structure checks read.
//!
//! Prose is copied into one buffer (`prose`) with whitespace runs collapsed to a single
//! space and curly apostrophes straightened, so a phrase wrapped over two lines still
//! matches. Code spans, link destinations and inline HTML become a barrier byte so no
//! phrase matches across them. `runs` maps every byte of `prose` back to the source.

use crate::lexicon::SectionKind;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A byte that never occurs in a trigger: separates text that must not be read as one phrase.
pub const BARRIER: u8 = 0x01;

/// The bytes [`Builder::text`] handles: whitespace, the first byte of ‘ and ’, [`BARRIER`].
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0xE2] = true;
    t[BARRIER as usize] = true;
    t
};

/// The first byte at or after `i` (before `end`) that [`Builder::text`] might have to
/// handle, eight bytes at a time; `end` when there is none, or a byte before `i + 8`
/// when fewer than nine bytes are left. Every byte skipped is plain: not in [`SPECIAL`],
/// or a space followed by a byte that is not whitespace (a normal single space, when
/// the run started before it). A byte returned may still be plain.
fn skip_plain(bytes: &[u8], mut i: usize, end: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // High bit of each byte that is zero; exact at the lowest set bit, and never
    // missing a zero byte (a borrow can only add bits above a true one).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // High bit of each byte below `n` (n <= 128), with the same guarantees.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    while i + 9 <= end {
        let x = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
        let y = u64::from_le_bytes(bytes[i + 1..i + 9].try_into().unwrap_or_default());
        // Controls (tab, newline, carriage return, BARRIER), the lead byte of ‘ and ’,
        // and a space before a byte no greater than a space.
        let m = below(x, 0x0E)
            | zero(x ^ (ONES * 0xE2))
            | (zero(x ^ (ONES * u64::from(b' '))) & below(y, 0x21));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// What kind of block a leaf of prose is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafKind {
    /// A paragraph outside lists and tables.
    Paragraph,
    /// A heading.
    Heading,
    /// Text of a list item.
    ListItem,
    /// A table cell.
    TableCell,
}

/// A run of prose in one block.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// What block it is.
    pub kind: LeafKind,
    /// Its range in `prose`.
    pub norm: Range<usize>,
    /// Its range in the source (first to last text byte).
    pub src: Range<usize>,
    /// Index into `Document::sections`.
    pub section: usize,
    /// Inside a block quote.
    pub quoted: bool,
    /// Index into `Document::items` when the leaf is (part of) a list item.
    pub item: Option<usize>,
    /// Index into `Document::tables` when the leaf is a table cell.
    pub table: Option<usize>,
}

/// A section: a recognised heading and what follows it up to the next heading of the same or higher level.
#[derive(Debug, Clone)]
pub struct Section {
    /// What the heading says the section is.
    pub kind: SectionKind,
    /// The heading's level (0 for the preamble).
    pub level: u8,
    /// The heading's source range (empty for the preamble).
    pub heading: Range<usize>,
    /// The heading's plain text.
    pub title: String,
}

/// A list item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Source range, nested lists included.
    pub range: Range<usize>,
    /// Nesting depth, 0 for a top-level item.
    pub depth: usize,
    /// Index into `Document::sections`.
    pub section: usize,
    /// Inside a block quote.
    pub quoted: bool,
}

/// A table cell: its plain text and source range.
pub type Cell = (String, Range<usize>);

/// A table row: its source range and cells.
pub type Row = (Range<usize>, Vec<Cell>);

/// A table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Source range.
    pub range: Range<usize>,
    /// Index into `Document::sections`.
    pub section: usize,
    /// Header cells, plain text.
    pub header: Vec<String>,
    /// Body rows: (source range, cells as (plain text, source range)).
    pub rows: Vec<Row>,
}

/// An HTML comment (suppression directives live here).
#[derive(Debug, Clone)]
pub struct Comment {
    /// Source range.
    pub range: Range<usize>,
    /// The text between `<!--` and `-->`, trimmed.
    pub body: String,
}

/// One piece of the prose-to-source map.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    norm: usize,
    src: usize,
    /// Length in `prose`.
    nlen: usize,
    /// Length in the source (differs from `nlen` for collapsed whitespace and curly apostrophes).
    slen: usize,
}

/// A parsed document.
#[derive(Debug)]
pub struct Document<'a> {
    /// The source text.
    pub src: &'a str,
    /// Normalised prose of all leaves, in source order.
    pub prose: String,
    pub(crate) runs: Vec<Run>,
    /// Prose leaves, in source order.
    pub leaves: Vec<Leaf>,
    /// Sections; index 0 is the preamble.
    pub sections: Vec<Section>,
    /// List items, in source order.
    pub items: Vec<Item>,
    /// Tables.
    pub tables: Vec<Table>,
    /// YAML front matter (the text between the fences).
    pub front_matter: Option<Range<usize>>,
    /// HTML comments.
    pub comments: Vec<Comment>,
    /// Source ranges of code (fenced, indented, inline).
    pub code: Vec<Range<usize>>,
}

/// The title lowercased, leading numbering dropped ("2.", "3)"), every character other
/// than a letter, digit, `'` or `;` read as a space, spaces collapsed, and one space
/// added at each end, so whole words are found by their framing spaces.
fn padded_title(title: &str) -> String {
    if !title.is_ascii() {
        return padded_title_unicode(title);
    }
    let b = title.as_bytes();
    let skip = b
        .iter()
        .take_while(|&&c| {
            c.is_ascii_digit() || c == b'.' || c == b')' || (c as char).is_whitespace()
        })
        .count();
    let mut padded = String::with_capacity(b.len() + 2);
    padded.push(' ');
    let mut gap = false;
    for &c in &b[skip..] {
        if c.is_ascii_alphanumeric() || c == b'\'' || c == b';' {
            if gap && padded.len() > 1 {
                padded.push(' ');
            }
            gap = false;
            padded.push(c.to_ascii_lowercase() as char);
        } else {
            gap = true;
        }
    }
    padded.push(' ');
    padded
}

/// [`padded_title`] for any text (Unicode lowercasing of the whole title).
fn padded_title_unicode(title: &str) -> String {
    let lower = title.to_lowercase();
    let cleaned: String = lower
        .trim_start_matches(|c: char| {
            c.is_ascii_digit() || c == '.' || c == ')' || c.is_whitespace()
        })
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' || c == ';' {
                c
            } else {
                ' '
            }
        })
        .collect();
    format!(
        " {} ",
        cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The synonym lists of `words.toml` compiled for [`section_kind`]'s answer in one scan of
/// the title: every synonym in a [`Scanner`](crate::scan::Scanner), the first synonym (in
/// list order) found between spaces of the cleaned title wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct SectionMatcher {
    scanner: Option<crate::scan::Scanner>,
    /// Per scanner pattern: its kind.
    kinds: Vec<SectionKind>,
}

impl SectionMatcher {
    pub(crate) fn new(synonyms: &[(SectionKind, Vec<String>)]) -> SectionMatcher {
        let mut names = Vec::new();
        let mut kinds = Vec::new();
        for (kind, list) in synonyms {
            for name in list.iter().filter(|n| !n.is_empty()) {
                names.push(name.clone());
                kinds.push(*kind);
            }
        }
        SectionMatcher {
            // Synonyms are plain words; an automaton that cannot be built matches nothing.
            scanner: crate::scan::Scanner::new(&names).ok(),
            kinds,
        }
    }

    /// The same answer as [`section_kind`] with the synonyms this was built from.
    pub(crate) fn kind(&self, title: &str) -> SectionKind {
        let Some(scanner) = &self.scanner else {
            return SectionKind::Other;
        };
        let padded = padded_title(title);
        let b = padded.as_bytes();
        let mut best = u32::MAX;
        scanner.each(b, |h| {
            // Whole words: the match is framed by the spaces `padded` guarantees.
            if h.pattern < best
                && h.start > 0
                && b[h.start - 1] == b' '
                && b.get(h.end) == Some(&b' ')
            {
                best = h.pattern;
            }
        });
        self.kinds
            .get(best as usize)
            .copied()
            .unwrap_or(SectionKind::Other)
    }
}

/// Maps a section heading to its kind using the synonym lists of `words.toml`.
pub fn section_kind(title: &str, synonyms: &[(SectionKind, Vec<String>)]) -> SectionKind {
    let padded = padded_title(title);
    let b = padded.as_bytes();
    // The first byte of every word of the title: a synonym starting with another byte
    // cannot match, so most synonyms cost one table lookup.
    let mut starts = [false; 256];
    for w in b.windows(2).filter(|w| w[0] == b' ') {
        starts[w[1] as usize] = true;
    }
    for (kind, names) in synonyms {
        for name in names {
            // Whole words: the match is framed by the spaces `padded` guarantees.
            let n = name.as_bytes();
            let Some(&first) = n.first() else { continue };
            if !starts[first as usize] {
                continue;
            }
            let mut from = 0;
            while let Some(p) = memchr::memchr(first, &b[from..]) {
                let at = from + p;
                let end = at + n.len();
                if b[at..].starts_with(n)
                    && at > 0
                    && b[at - 1] == b' '
                    && b.get(end) == Some(&b' ')
                {
                    return *kind;
                }
                from = at + 1;
            }
        }
    }
    SectionKind::Other
}

struct Builder<'a, 's> {
    doc: Document<'a>,
    sections: &'s SectionMatcher,
    cur: Option<Leaf>,
    last_text_end: usize,
    quote_depth: usize,
    skip_depth: usize,
    item_stack: Vec<usize>,
    heading: Option<(u8, usize)>,
    section_stack: Vec<(u8, usize)>,
    table: Option<Table>,
    row: Option<Row>,
    in_head: bool,
    cell_text: String,
}

impl<'a> Builder<'a, '_> {
    fn current_section(&self) -> usize {
        self.section_stack.last().map(|s| s.1).unwrap_or(0)
    }

    fn flush(&mut self) {
        if let Some(mut leaf) = self.cur.take() {
            // Trim a trailing space.
            while leaf.norm.end > leaf.norm.start
                && self.doc.prose.as_bytes()[leaf.norm.end - 1] == b' '
            {
                leaf.norm.end -= 1;
            }
            if leaf.norm.end > leaf.norm.start {
                self.doc.prose.push('\n');
                self.doc.leaves.push(leaf);
            } else {
                self.doc.prose.truncate(leaf.norm.start);
            }
        }
    }

    fn begin(&mut self, kind: LeafKind, at: usize) {
        self.flush();
        let start = self.doc.prose.len();
        self.cur = Some(Leaf {
            kind,
            norm: start..start,
            src: at..at,
            section: self.current_section(),
            quoted: self.quote_depth > 0,
            item: self.item_stack.last().copied(),
            table: if self.table.is_some() {
                Some(self.doc.tables.len())
            } else {
                None
            },
        });
        self.last_text_end = usize::MAX;
    }

    fn ensure_leaf(&mut self, at: usize) {
        if self.cur.is_none() {
            let kind = if self.table.is_some() {
                LeafKind::TableCell
            } else if self.item_stack.is_empty() {
                LeafKind::Paragraph
            } else {
                LeafKind::ListItem
            };
            self.begin(kind, at);
        }
    }

    fn push_run(&mut self, src: usize, slen: usize, text: &str) {
        let norm = self.doc.prose.len();
        self.doc.prose.push_str(text);
        self.doc.runs.push(Run {
            norm,
            src,
            nlen: text.len(),
            slen,
        });
    }

    /// Appends source text to the current leaf, normalising whitespace and apostrophes.
    fn text(&mut self, range: Range<usize>) {
        self.ensure_leaf(range.start);
        let src = self.doc.src;
        if self.last_text_end != usize::MAX && self.last_text_end < range.start {
            let gap = &src[self.last_text_end..range.start];
            if gap.chars().any(|c| c.is_alphanumeric()) {
                self.barrier(self.last_text_end..range.start);
            } else if gap.chars().any(char::is_whitespace) && !self.ends_with_space() {
                self.push_run(self.last_text_end, gap.len(), " ");
            }
        }
        let bytes = src.as_bytes();
        let mut i = range.start;
        let mut run_start = i;
        while i < range.end {
            // Most bytes need nothing: skip them eight at a time, then a table lookup each.
            // A run's first byte is looked up on its own (a space there is not plain: it
            // may follow a space already in the prose), and the skip starts after it.
            if i == run_start && !SPECIAL[bytes[i] as usize] {
                i += 1;
            }
            if i > run_start {
                i = skip_plain(bytes, i, range.end);
            }
            while i < range.end && !SPECIAL[bytes[i] as usize] {
                i += 1;
            }
            if i == range.end {
                break;
            }
            let b = bytes[i];
            // A single space between two non-space bytes is already normal: keep it in the
            // verbatim run (this keeps the run table to one entry per line, not per word).
            if b == b' '
                && i > run_start
                && i + 1 < range.end
                && !matches!(bytes[i + 1], b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
                continue;
            }
            if b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' {
                if run_start < i {
                    self.push_run(run_start, i - run_start, &src[run_start..i]);
                }
                let ws_start = i;
                while i < range.end && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                let at_leaf_start =
                    self.doc.prose.len() == self.cur.as_ref().map_or(0, |l| l.norm.start);
                if at_leaf_start {
                    // Leading whitespace of a leaf is dropped.
                } else if self.ends_with_space() {
                    // Collapse into the space already there, when that space is a substitution run.
                    if let Some(last) = self.doc.runs.last_mut() {
                        if last.nlen == 1 && last.src + last.slen == ws_start {
                            last.slen += i - ws_start;
                        }
                    }
                } else {
                    self.push_run(ws_start, i - ws_start, " ");
                }
                run_start = i;
            } else if b == 0xE2
                && i + 2 < range.end
                && bytes[i + 1] == 0x80
                && (bytes[i + 2] == 0x98 || bytes[i + 2] == 0x99)
            {
                // ‘ and ’ become a straight apostrophe.
                if run_start < i {
                    self.push_run(run_start, i - run_start, &src[run_start..i]);
                }
                self.push_run(i, 3, "'");
                i += 3;
                run_start = i;
            } else if b == BARRIER {
                if run_start < i {
                    self.push_run(run_start, i - run_start, &src[run_start..i]);
                }
                self.push_run(i, 1, " ");
                i += 1;
                run_start = i;
            } else {
                i += 1;
            }
        }
        if run_start < range.end {
            self.push_run(run_start, range.end - run_start, &src[run_start..range.end]);
        }
        self.last_text_end = range.end;
        if let Some(leaf) = self.cur.as_mut() {
            leaf.norm.end = self.doc.prose.len();
            leaf.src.end = range.end;
        }
        if self.table.is_some() {
            self.cell_text.push_str(&src[range]);
        }
    }

    fn ends_with_space(&self) -> bool {
        self.doc.prose.as_bytes().last() == Some(&b' ')
    }

    fn barrier(&mut self, range: Range<usize>) {
        if self.cur.is_none() {
            return;
        }
        let norm = self.doc.prose.len();
        self.doc.prose.push(BARRIER as char);
        self.doc.runs.push(Run {
            norm,
            src: range.start,
            nlen: 1,
            slen: range.len(),
        });
        self.last_text_end = range.end;
        if let Some(leaf) = self.cur.as_mut() {
            leaf.norm.end = self.doc.prose.len();
            leaf.src.end = range.end;
        }
    }

    fn comment(&mut self, range: Range<usize>) {
        let text = &self.doc.src[range.clone()];
        let mut rest = text;
        let mut offset = range.start;
        while let Some(open) = rest.find("<!--") {
            let after = &rest[open + 4..];
            let Some(close) = after.find("-->") else {
                break;
            };
            let body = after[..close].trim().to_string();
            let start = offset + open;
            let end = start + 4 + close + 3;
            self.doc.comments.push(Comment {
                range: start..end,
                body,
            });
            offset = end;
            rest = &self.doc.src[end..range.end];
        }
    }
}

/// Parses `src` once and builds the document model.
pub fn parse<'a>(src: &'a str, synonyms: &[(SectionKind, Vec<String>)]) -> Document<'a> {
    parse_with(src, &SectionMatcher::new(synonyms))
}

/// The Markdown extensions the document model reads: tables, strikethrough, task lists
/// and YAML front matter.
fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    opts
}

/// The events (with their source ranges) pulldown-cmark reads from `src` with the options
/// [`parse`] uses, counted and dropped: the parser's own cost, the floor of the parse stage.
pub(crate) fn count_events(src: &str) -> usize {
    Parser::new_ext(src, options()).into_offset_iter().count()
}

/// [`parse`] with the section synonyms already compiled.
pub(crate) fn parse_with<'a>(src: &'a str, sections: &SectionMatcher) -> Document<'a> {
    let opts = options();
    let mut b = Builder {
        doc: Document {
            src,
            prose: String::with_capacity(src.len()),
            // Sized for the usual density of postmortems (a run per 45–50 bytes of
            // Markdown, a leaf per 65–100, a list item per 140–290), so a long document does not copy them as they
            // grow (docs/performance.md, eleventh round).
            runs: Vec::with_capacity(src.len() / 40 + 4),
            leaves: Vec::with_capacity(src.len() / 64 + 4),
            sections: {
                // A postmortem has a dozen sections or so.
                let mut sections = Vec::with_capacity(16);
                sections.push(Section {
                    kind: SectionKind::Preamble,
                    level: 0,
                    heading: 0..0,
                    title: String::new(),
                });
                sections
            },
            items: Vec::with_capacity(src.len() / 128 + 4),
            tables: Vec::new(),
            front_matter: None,
            comments: Vec::new(),
            code: Vec::new(),
        },
        sections,
        cur: None,
        last_text_end: usize::MAX,
        quote_depth: 0,
        skip_depth: 0,
        item_stack: Vec::new(),
        heading: None,
        section_stack: Vec::new(),
        table: None,
        row: None,
        in_head: false,
        cell_text: String::new(),
    };
    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph if b.item_stack.is_empty() || b.cur.is_some() => b.flush(),
                Tag::Heading { level, .. } => {
                    b.flush();
                    b.heading = Some((level as u8, range.start));
                    b.begin(LeafKind::Heading, range.start);
                }
                Tag::BlockQuote(_) => {
                    b.flush();
                    b.quote_depth += 1;
                }
                Tag::CodeBlock(_) => {
                    b.flush();
                    b.skip_depth += 1;
                    b.doc.code.push(range);
                }
                Tag::HtmlBlock => b.flush(),
                Tag::List(_) => b.flush(),
                Tag::Item => {
                    b.flush();
                    let depth = b.item_stack.len();
                    let section = b.current_section();
                    b.doc.items.push(Item {
                        range,
                        depth,
                        section,
                        quoted: b.quote_depth > 0,
                    });
                    b.item_stack.push(b.doc.items.len() - 1);
                }
                Tag::Table(_) => {
                    b.flush();
                    b.table = Some(Table {
                        range,
                        section: b.current_section(),
                        ..Table::default()
                    });
                }
                Tag::TableHead => {
                    b.in_head = true;
                    b.row = Some((range, Vec::new()));
                }
                Tag::TableRow => {
                    let width = b.table.as_ref().map_or(0, |t| t.header.len());
                    b.row = Some((range, Vec::with_capacity(width)));
                }
                Tag::TableCell => {
                    b.begin(LeafKind::TableCell, range.start);
                    b.cell_text.clear();
                }
                Tag::Image { .. } => b.skip_depth += 1,
                Tag::MetadataBlock(_) => {
                    b.skip_depth += 1;
                    // The range covers the fences; keep the inside.
                    let inner_start = src[range.clone()]
                        .find('\n')
                        .map(|i| range.start + i + 1)
                        .unwrap_or(range.start);
                    let inner_end = src[..range.end]
                        .trim_end()
                        .rfind('\n')
                        .unwrap_or(range.end)
                        .max(inner_start);
                    b.doc.front_matter = Some(inner_start..inner_end);
                }
                Tag::FootnoteDefinition(_) => b.flush(),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph if b.item_stack.is_empty() => b.flush(),
                TagEnd::Heading(_) => {
                    let title = b
                        .cur
                        .as_ref()
                        .map(|l| {
                            let t = &b.doc.prose[l.norm.clone()];
                            if t.as_bytes().contains(&BARRIER) {
                                t.replace(BARRIER as char, " ").trim().to_string()
                            } else {
                                t.trim().to_string()
                            }
                        })
                        .unwrap_or_default();
                    b.flush();
                    if let Some((level, start)) = b.heading.take() {
                        let kind = b.sections.kind(&title);
                        while b.section_stack.last().is_some_and(|s| s.0 >= level) {
                            b.section_stack.pop();
                        }
                        // A sub-heading inside a recognised section keeps the section's kind
                        // unless it is itself recognised (factors as sub-headings).
                        let parent = b.section_stack.last().map(|s| b.doc.sections[s.1].kind);
                        let kind = match (kind, parent) {
                            (SectionKind::Other, Some(p)) => p,
                            (k, _) => k,
                        };
                        b.doc.sections.push(Section {
                            kind,
                            level,
                            heading: start..range.end,
                            title,
                        });
                        b.section_stack.push((level, b.doc.sections.len() - 1));
                        // The heading leaf itself belongs to the new section.
                        if let Some(l) = b.doc.leaves.last_mut() {
                            if l.kind == LeafKind::Heading && l.src.start >= start {
                                l.section = b.doc.sections.len() - 1;
                            }
                        }
                    }
                }
                TagEnd::BlockQuote(_) => {
                    b.flush();
                    b.quote_depth = b.quote_depth.saturating_sub(1);
                }
                TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_) => {
                    b.skip_depth = b.skip_depth.saturating_sub(1);
                }
                TagEnd::Item => {
                    b.flush();
                    b.item_stack.pop();
                }
                TagEnd::TableCell => {
                    let text = b.cell_text.trim().to_string();
                    let leaf_src = b
                        .cur
                        .as_ref()
                        .map(|l| l.src.clone())
                        .unwrap_or(range.clone());
                    b.flush();
                    if let Some(row) = b.row.as_mut() {
                        row.1.push((text, leaf_src));
                    }
                }
                TagEnd::TableHead => {
                    b.in_head = false;
                    if let (Some(t), Some(row)) = (b.table.as_mut(), b.row.take()) {
                        t.header = row.1.into_iter().map(|c| c.0).collect();
                    }
                }
                TagEnd::TableRow => {
                    if let (Some(t), Some(row)) = (b.table.as_mut(), b.row.take()) {
                        t.rows.push(row);
                    }
                }
                TagEnd::Table => {
                    b.flush();
                    if let Some(t) = b.table.take() {
                        b.doc.tables.push(t);
                    }
                }
                TagEnd::Link => {}
                _ => {}
            },
            Event::Text(_) => {
                if b.skip_depth == 0 {
                    b.text(range);
                }
            }
            Event::Code(_) => {
                b.doc.code.push(range.clone());
                if b.skip_depth == 0 {
                    b.ensure_leaf(range.start);
                    b.barrier(range.clone());
                    if b.table.is_some() {
                        b.cell_text.push_str(&src[range]);
                    }
                }
            }
            Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) => {
                if b.skip_depth == 0 {
                    b.barrier(range);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                b.comment(range.clone());
                if b.skip_depth == 0 {
                    b.barrier(range);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if b.skip_depth == 0 && b.cur.is_some() && !b.ends_with_space() {
                    b.push_run(range.start, range.len(), " ");
                    b.last_text_end = range.end;
                    if let Some(leaf) = b.cur.as_mut() {
                        leaf.norm.end = b.doc.prose.len();
                    }
                } else if b.cur.is_some() {
                    b.last_text_end = range.end;
                }
            }
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    b.flush();
    b.doc
}

impl Document<'_> {
    /// Maps a range of `prose` back to the source.
    pub fn to_src(&self, norm: Range<usize>) -> Range<usize> {
        let start = self.map_point(norm.start, false);
        let end = if norm.end > norm.start {
            self.map_point(norm.end, true)
        } else {
            start
        };
        start..end.max(start)
    }

    fn map_point(&self, pos: usize, is_end: bool) -> usize {
        let key = if is_end { pos - 1 } else { pos };
        let idx = self.runs.partition_point(|r| r.norm <= key);
        if idx == 0 {
            return 0;
        }
        let r = self.runs[idx - 1];
        let off = key - r.norm;
        if r.nlen == r.slen {
            r.src + off + usize::from(is_end)
        } else if is_end {
            r.src + r.slen
        } else {
            r.src
        }
    }

    /// The section of the leaf holding `prose` offset `pos`.
    pub fn leaf_at(&self, pos: usize) -> Option<usize> {
        let idx = self.leaves.partition_point(|l| l.norm.start <= pos);
        (idx > 0 && self.leaves[idx - 1].norm.end >= pos).then(|| idx - 1)
    }

    /// The kind of section `index`.
    pub fn section_kind(&self, index: usize) -> SectionKind {
        self.sections
            .get(index)
            .map(|s| s.kind)
            .unwrap_or(SectionKind::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syn() -> Vec<(SectionKind, Vec<String>)> {
        vec![
            (SectionKind::Timeline, vec!["timeline".into()]),
            (SectionKind::Actions, vec!["action items".into()]),
        ]
    }

    /// The byte-at-a-time rule `skip_plain` must respect.
    fn plain(b: &[u8], k: usize, end: usize) -> bool {
        !SPECIAL[b[k] as usize]
            || (b[k] == b' ' && k + 1 < end && !matches!(b[k + 1], b' ' | b'\t' | b'\n' | b'\r'))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Every byte `skip_plain` jumps over is plain, from any start.
        #[test]
        fn skip_plain_skips_only_plain_bytes(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Bc", " ", "  ", "\t", "\n", "\r", "\u{1}", "\u{b}", "’", "‘", "—", "é",
                "\u{20}\u{1}", "word ", "x", "\u{7f}", "\u{80}", "\u{e2}", "日",
            ]), 0..40),
            cut in 0usize..8,
        ) {
            let text: String = parts.concat();
            let b = text.as_bytes();
            let end = b.len().saturating_sub(cut);
            for i in 0..=end {
                let j = skip_plain(b, i, end);
                proptest::prop_assert!(i <= j && j <= end);
                for k in i..j {
                    proptest::prop_assert!(plain(b, k, end), "{text:?} from {i}: byte {k}");
                }
            }
        }
    }

    #[test]
    fn skip_plain_jumps_over_plain_words() {
        let text = b"The deploy went out at ten and the error rate rose within a minute.";
        assert!(skip_plain(text, 0, text.len()) >= text.len() - 8);
        let double = b"The deploy went out  at ten and the error rate rose.";
        assert_eq!(skip_plain(double, 0, double.len()), 19);
        let quote = "The deploy didn’t go out at ten, and the rate rose.".as_bytes();
        assert_eq!(skip_plain(quote, 0, quote.len()), 15);
    }

    fn title_word() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "time",
            "timeline",
            "line",
            "action",
            "items",
            "what",
            "went",
            "well",
            "x's",
            ";",
            "é",
            "1.",
            "-",
            " ",
            "  ",
            "(",
            "Timeline",
            "ACTION",
            "post-incident",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
        /// The compiled synonyms give the answer of the synonym-by-synonym search.
        #[test]
        fn section_matcher_agrees_with_section_kind(
            title in proptest::collection::vec(title_word(), 0..8),
            lists in proptest::collection::vec(
                proptest::collection::vec(proptest::collection::vec(title_word(), 1..3), 0..4),
                0..4,
            ),
        ) {
            let kinds = [SectionKind::Timeline, SectionKind::Actions, SectionKind::Summary, SectionKind::Impact];
            let synonyms: Vec<(SectionKind, Vec<String>)> = lists
                .iter()
                .zip(kinds)
                .map(|(l, k)| (k, l.iter().map(|w| w.join(" ").to_lowercase()).collect()))
                .collect();
            let title = title.concat();
            proptest::prop_assert_eq!(
                SectionMatcher::new(&synonyms).kind(&title),
                section_kind(&title, &synonyms)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(3000))]
        /// The ASCII fast path cleans a title exactly as the Unicode path does.
        #[test]
        fn ascii_titles_clean_as_unicode_ones(title in "[ -~\t\n\x0b\x0c\r]{0,30}") {
            proptest::prop_assert_eq!(padded_title(&title), padded_title_unicode(&title));
        }
    }

    #[test]
    fn titles_are_cleaned() {
        assert_eq!(padded_title("2. What went   WELL?"), " what went well ");
        assert_eq!(
            padded_title(" 3) Action-items; owners"),
            " action items; owners "
        );
        assert_eq!(padded_title("..."), "  ");
        assert_eq!(padded_title("Étapes — Résumé"), " étapes résumé ");
    }

    #[test]
    fn collapses_whitespace_and_maps_back() {
        let src = "Bob  should\n  have *checked* `code` it’s [link](http://x.y).\n";
        let doc = parse(src, &syn());
        assert_eq!(doc.leaves.len(), 1);
        let prose = &doc.prose[doc.leaves[0].norm.clone()];
        assert!(
            prose.starts_with("Bob should have checked \u{1} it's link"),
            "{prose:?}"
        );
        let p = prose.find("have checked").unwrap();
        let r = doc.to_src(p..p + "have checked".len());
        assert_eq!(&src[r], "have *checked");
        let a = prose.find("it's").unwrap();
        assert_eq!(&src[doc.to_src(a..a + 4)], "it’s");
    }

    #[test]
    fn sections_lists_and_tables() {
        let src = "# T\n\n## Timeline (UTC)\n\n- 10:00 a\n- 10:05 b\n\n## Action items\n\n| A | Owner |\n|---|---|\n| x | @y |\n";
        let doc = parse(src, &syn());
        assert_eq!(doc.items.len(), 2);
        assert_eq!(
            doc.section_kind(doc.items[0].section),
            SectionKind::Timeline
        );
        assert_eq!(doc.tables.len(), 1);
        assert_eq!(doc.tables[0].header, vec!["A", "Owner"]);
        assert_eq!(doc.tables[0].rows[0].1[1].0, "@y");
        assert_eq!(
            doc.section_kind(doc.tables[0].section),
            SectionKind::Actions
        );
    }

    #[test]
    fn code_and_quotes_are_not_prose() {
        let src = "```\nshould have\n```\n\n> quoted\n\nplain\n";
        let doc = parse(src, &syn());
        assert_eq!(doc.leaves.len(), 2);
        assert!(doc.leaves[0].quoted);
        assert!(!doc.leaves[1].quoted);
    }
}
