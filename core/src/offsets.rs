//! Offset conversion, done in one place.
//!
//! The core speaks UTF-8 byte offsets. Python wants code-point indices and JavaScript
//! wants UTF-16 code units. [`OffsetMap`] converts any number of byte offsets in one
//! sweep over the text, so converting the spans of a whole report stays linear.
//! [`LineTable`] adds lines to that: (line, column) in any [`Unit`] for any byte offset
//! and back, as editors (LSP) and report formats (SARIF, GitHub annotations) count them.

/// The unit a front end counts offsets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// UTF-8 bytes (Rust, the CLI's JSON).
    Bytes,
    /// Unicode scalar values (Python `str` indices).
    Chars,
    /// UTF-16 code units (JavaScript strings, LSP default).
    Utf16,
}

/// Converts byte offsets of one text to another unit.
///
/// ```
/// use unblame::offsets::{OffsetMap, Unit};
/// let text = "🔥 Bob";
/// let map = OffsetMap::new(text);
/// assert_eq!(map.convert(5, Unit::Chars), 2);
/// assert_eq!(map.convert(5, Unit::Utf16), 3);
/// ```
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// Sorted checkpoints: (byte, chars, utf16) at every non-ASCII character boundary.
    marks: Vec<(usize, usize, usize)>,
    len: usize,
}

impl OffsetMap {
    /// Builds the map in one pass; pure ASCII text allocates nothing.
    pub fn new(text: &str) -> OffsetMap {
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let (mut chars, mut utf16) = (0usize, 0usize);
            for (i, c) in text.char_indices() {
                let len = c.len_utf8();
                if len > 1 {
                    marks.push((i, chars, utf16));
                    marks.push((i + len, chars + 1, utf16 + c.len_utf16()));
                }
                chars += 1;
                utf16 += c.len_utf16();
            }
        }
        OffsetMap {
            marks,
            len: text.len(),
        }
    }

    /// Converts one byte offset (clamped to the text) to `unit`.
    pub fn convert(&self, byte: usize, unit: Unit) -> usize {
        let byte = byte.min(self.len);
        if unit == Unit::Bytes || self.marks.is_empty() {
            return byte;
        }
        let idx = self.marks.partition_point(|m| m.0 <= byte);
        let (b, c, u) = if idx == 0 {
            (0, 0, 0)
        } else {
            self.marks[idx - 1]
        };
        let extra = byte - b;
        match unit {
            Unit::Chars => c + extra,
            Unit::Utf16 => u + extra,
            Unit::Bytes => byte,
        }
    }

    /// Converts an offset in `unit` back to bytes (for edits coming from a front end).
    pub fn to_bytes(&self, offset: usize, unit: Unit) -> usize {
        if unit == Unit::Bytes || self.marks.is_empty() {
            return offset.min(self.len);
        }
        let key = |m: &(usize, usize, usize)| if unit == Unit::Chars { m.1 } else { m.2 };
        let idx = self.marks.partition_point(|m| key(m) <= offset);
        let (b, c, u) = if idx == 0 {
            (0, 0, 0)
        } else {
            self.marks[idx - 1]
        };
        let base = if unit == Unit::Chars { c } else { u };
        b.saturating_add(offset - base).min(self.len)
    }

    /// The largest char boundary `<= byte` (clamped to the text), from the marks alone:
    /// they come in (start, end) pairs, one pair per multi-byte character.
    fn floor_char(&self, byte: usize) -> usize {
        let byte = byte.min(self.len);
        let idx = self.marks.partition_point(|m| m.0 <= byte);
        if idx % 2 == 1 {
            // The last mark at or before `byte` starts a character that ends after it.
            self.marks[idx - 1].0
        } else {
            byte
        }
    }
}

/// The lines of one text: converts a byte offset to a 0-based (line, column) with the
/// column in any [`Unit`], and a (line, column) back to a byte offset.
///
/// Built in one O(n) pass (a line-start table plus an [`OffsetMap`]); it does not borrow
/// the text, so it can live next to it. Each query is two binary searches, O(log n),
/// however long the line.
///
/// Lines end at `\n` only. A column counts everything from the start of its line, a
/// `\r` included; the *content* of a line (see [`LineTable::line_range`]) stops before
/// its `\r\n`, or `\n`, or a `\r` that ends the text.
///
/// ```
/// use unblame::offsets::{LineTable, Unit};
/// let text = "ab\r\n🔥 x\n";
/// let table = LineTable::new(text);
/// let x = text.find('x').unwrap();
/// assert_eq!(table.position(x, Unit::Bytes), (1, 5));
/// assert_eq!(table.position(x, Unit::Chars), (1, 2));
/// assert_eq!(table.position(x, Unit::Utf16), (1, 3));
/// assert_eq!(table.offset(1, 3, Unit::Utf16), x);
/// assert_eq!(table.line_range(0), 0..2);
/// assert_eq!(table.line_count(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct LineTable {
    /// Byte offset of the first byte of each line; `starts[0] == 0`.
    starts: Vec<usize>,
    /// Byte offset where each line's content ends (before `\r\n` or `\n`).
    ends: Vec<usize>,
    map: OffsetMap,
}

impl LineTable {
    /// Indexes `text` in one pass over its bytes (plus [`OffsetMap::new`]'s, which
    /// allocates nothing for ASCII text).
    ///
    /// ```
    /// use unblame::offsets::LineTable;
    /// assert_eq!(LineTable::new("").line_count(), 1);
    /// assert_eq!(LineTable::new("a\nb\n").line_count(), 3);
    /// ```
    pub fn new(text: &str) -> LineTable {
        let bytes = text.as_bytes();
        let content_end = |start: usize, end: usize| {
            if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            }
        };
        let mut starts = vec![0];
        let mut ends = Vec::new();
        for nl in memchr::memchr_iter(b'\n', bytes) {
            ends.push(content_end(starts[starts.len() - 1], nl));
            starts.push(nl + 1);
        }
        ends.push(content_end(starts[starts.len() - 1], bytes.len()));
        LineTable {
            starts,
            ends,
            map: OffsetMap::new(text),
        }
    }

    /// The number of lines: one more than the number of `\n`, so an empty text has one
    /// (empty) line, and so has the end of a text that ends with `\n`.
    ///
    /// ```
    /// use unblame::offsets::LineTable;
    /// assert_eq!(LineTable::new("one\r\ntwo").line_count(), 2);
    /// ```
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of the content of 0-based `line`: without its `\n` or `\r\n` (or
    /// a `\r` that ends the text). A line past the last is the empty range at the end.
    ///
    /// ```
    /// use unblame::offsets::LineTable;
    /// let table = LineTable::new("ab\r\ncd");
    /// assert_eq!(table.line_range(0), 0..2);
    /// assert_eq!(table.line_range(1), 4..6);
    /// assert_eq!(table.line_range(7), 6..6);
    /// ```
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        match (self.starts.get(line), self.ends.get(line)) {
            (Some(&start), Some(&end)) => start..end,
            _ => self.map.len..self.map.len,
        }
    }

    /// The 0-based (line, column) of `byte`, the column counted in `unit` from the start
    /// of the line. An offset past the end of the text means the end of the text, and an
    /// offset inside a multi-byte character means that character's start.
    ///
    /// ```
    /// use unblame::offsets::{LineTable, Unit};
    /// let table = LineTable::new("a\n🔥b");
    /// assert_eq!(table.position(6, Unit::Chars), (1, 1));
    /// assert_eq!(table.position(6, Unit::Utf16), (1, 2));
    /// assert_eq!(table.position(3, Unit::Bytes), (1, 0)); // inside 🔥
    /// assert_eq!(table.position(99, Unit::Chars), (1, 2)); // past the end
    /// ```
    pub fn position(&self, byte: usize, unit: Unit) -> (usize, usize) {
        let byte = self.map.floor_char(byte);
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        let start = self.starts[line];
        let column = self.map.convert(byte, unit) - self.map.convert(start, unit);
        (line, column)
    }

    /// The byte offset of 0-based `line` and `column` (counted in `unit`): the inverse
    /// of [`LineTable::position`]. A line past the last means the end of the text, a
    /// column past the content of its line the end of that content (before `\r\n`), and
    /// a column inside a character (a byte of it, or half a surrogate pair) its start.
    ///
    /// ```
    /// use unblame::offsets::{LineTable, Unit};
    /// let table = LineTable::new("a\r\n🔥b");
    /// assert_eq!(table.offset(1, 2, Unit::Utf16), 7);
    /// assert_eq!(table.offset(1, 1, Unit::Utf16), 3); // inside 🔥: its start
    /// assert_eq!(table.offset(0, 99, Unit::Chars), 1); // before the \r\n
    /// assert_eq!(table.offset(5, 0, Unit::Bytes), 8); // past the last line
    /// ```
    pub fn offset(&self, line: usize, column: usize, unit: Unit) -> usize {
        let range = self.line_range(line);
        let base = self.map.convert(range.start, unit);
        let target = self.map.to_bytes(base.saturating_add(column), unit);
        self.map.floor_char(target.clamp(range.start, range.end))
    }

    /// Converts one byte offset (clamped to the text) to `unit`, counted from the start
    /// of the text, as [`OffsetMap::convert`] does.
    ///
    /// ```
    /// use unblame::offsets::{LineTable, Unit};
    /// let table = LineTable::new("🔥\nb");
    /// assert_eq!(table.convert(5, Unit::Chars), 2);
    /// assert_eq!(table.convert(5, Unit::Utf16), 3);
    /// ```
    pub fn convert(&self, byte: usize, unit: Unit) -> usize {
        self.map.convert(byte, unit)
    }
}

/// Line and column (both 1-based, column in Unicode scalar values) of byte offsets,
/// computed incrementally: call with non-decreasing offsets for a linear sweep (also
/// along a single very long line: the column is carried forward, not recounted).
/// For offsets in any order, in any [`Unit`], and back, see [`LineTable`].
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Char boundary up to which lines and columns are counted.
    pos: usize,
    line: usize,
    /// Code points between the start of the current line and `pos`.
    col: usize,
}

impl<'a> LineIndex<'a> {
    /// Starts at the top of `text`.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            pos: 0,
            line: 1,
            col: 0,
        }
    }

    /// The 1-based (line, column) of `byte`. Offsets before the previous call restart the sweep.
    pub fn locate(&mut self, byte: usize) -> (usize, usize) {
        let byte = floor_char(self.text, byte);
        if byte < self.pos {
            *self = LineIndex::new(self.text);
        }
        let seg = &self.text[self.pos..byte];
        match memchr::memrchr(b'\n', seg.as_bytes()) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg.as_bytes()).count();
                self.col = seg[last + 1..].chars().count();
            }
            None => self.col += seg.chars().count(),
        }
        self.pos = byte;
        (self.line, self.col + 1)
    }
}

/// The largest char boundary `<= i`.
pub fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_boundary() {
        let text = "a🔥é\u{301}漢\r\nz";
        let map = OffsetMap::new(text);
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let c = map.convert(i, Unit::Chars);
            let u = map.convert(i, Unit::Utf16);
            assert_eq!(c, text[..i].chars().count());
            assert_eq!(u, text[..i].encode_utf16().count());
            assert_eq!(map.to_bytes(c, Unit::Chars), i);
            assert_eq!(map.to_bytes(u, Unit::Utf16), i);
        }
    }

    #[test]
    fn line_index_counts_chars() {
        let text = "ab\n🔥x\ny";
        let mut li = LineIndex::new(text);
        assert_eq!(li.locate(0), (1, 1));
        assert_eq!(li.locate(7), (2, 2));
        assert_eq!(li.locate(9), (3, 1));
        assert_eq!(li.locate(1), (1, 2));
        // Inside a multi-byte character: the column of the character.
        let mut li = LineIndex::new(text);
        assert_eq!(li.locate(4), (2, 1));
        assert_eq!(li.locate(7), (2, 2));
    }

    #[test]
    fn line_index_on_one_long_line_matches_a_recount() {
        let text = "é🔥a ".repeat(500);
        let mut li = LineIndex::new(&text);
        for (i, _) in text.char_indices().step_by(7) {
            assert_eq!(li.locate(i), (1, text[..i].chars().count() + 1));
        }
    }

    /// The (line, column) of `byte` by recounting the text: the definition the table
    /// must agree with.
    fn naive_position(text: &str, byte: usize, unit: Unit) -> (usize, usize) {
        let byte = floor_char(text, byte);
        let start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..byte].matches('\n').count();
        let seg = &text[start..byte];
        let column = match unit {
            Unit::Bytes => seg.len(),
            Unit::Chars => seg.chars().count(),
            Unit::Utf16 => seg.encode_utf16().count(),
        };
        (line, column)
    }

    /// The byte offset of (line, column) by walking the text.
    fn naive_offset(text: &str, line: usize, column: usize, unit: Unit) -> usize {
        let Some(start) = text
            .split_inclusive('\n')
            .scan(0, |at, l| {
                let s = *at;
                *at += l.len();
                Some(s)
            })
            .chain(text.ends_with('\n').then_some(text.len()))
            .chain(text.is_empty().then_some(0))
            .nth(line)
        else {
            return text.len();
        };
        let rest = &text[start..];
        let mut end = start + rest.find('\n').unwrap_or(rest.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let mut at = start;
        let mut counted = 0;
        for c in text[start..end].chars() {
            let w = match unit {
                Unit::Bytes => c.len_utf8(),
                Unit::Chars => 1,
                Unit::Utf16 => c.len_utf16(),
            };
            if counted + w > column {
                return at; // inside this character: its start
            }
            counted += w;
            at += c.len_utf8();
        }
        at
    }

    const TEXTS: &[&str] = &[
        "",
        "\n",
        "\r\n",
        "\r",
        "a\r",
        "plain ascii\nsecond line\n",
        "🔥 fire\n🔥🔥x",
        "日本語\n漢字 y",
        "e\u{301}a\u{308}\u{304} combining\nx\u{20dd}",
        "a\r\nb\r\n\r\nc\rd\r",
        "mixed 🔥é\u{301}漢\r\nz\n",
        "\n\n🔥\n",
    ];
    const UNITS: [Unit; 3] = [Unit::Bytes, Unit::Chars, Unit::Utf16];

    #[test]
    fn line_table_matches_a_recount_at_every_byte() {
        for text in TEXTS {
            let table = LineTable::new(text);
            for byte in 0..=text.len() + 3 {
                for unit in UNITS {
                    assert_eq!(
                        table.position(byte, unit),
                        naive_position(text, byte, unit),
                        "{text:?} {byte} {unit:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn line_table_offsets_match_a_walk() {
        for text in TEXTS {
            let table = LineTable::new(text);
            for line in 0..table.line_count() + 2 {
                for column in 0..text.len() + 3 {
                    for unit in UNITS {
                        assert_eq!(
                            table.offset(line, column, unit),
                            naive_offset(text, line, column, unit),
                            "{text:?} {line}:{column} {unit:?}"
                        );
                    }
                }
            }
            assert_eq!(
                table.offset(0, usize::MAX, Unit::Utf16),
                table.line_range(0).end
            );
            assert_eq!(table.offset(usize::MAX, 0, Unit::Chars), text.len());
        }
    }

    #[test]
    fn line_table_round_trips_every_char_boundary() {
        for text in TEXTS {
            let table = LineTable::new(text);
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                for unit in UNITS {
                    let (line, column) = table.position(i, unit);
                    let back = table.offset(line, column, unit);
                    if text[..i].ends_with('\r') && (i == text.len() || text[i..].starts_with('\n'))
                    {
                        // After a line's closing \r: the end of its content.
                        assert_eq!(back, i - 1, "{text:?} {i} {unit:?}");
                    } else {
                        assert_eq!(back, i, "{text:?} {i} {unit:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn line_table_on_ascii() {
        let text = "ab\ncd\n";
        let t = LineTable::new(text);
        assert_eq!(t.line_count(), 3);
        assert_eq!(t.position(0, Unit::Chars), (0, 0));
        assert_eq!(t.position(2, Unit::Utf16), (0, 2)); // the \n itself
        assert_eq!(t.position(3, Unit::Bytes), (1, 0));
        assert_eq!(t.position(6, Unit::Chars), (2, 0)); // end of a text ending in \n
        assert_eq!(t.line_range(1), 3..5);
        assert_eq!(t.line_range(2), 6..6);
        assert_eq!(t.offset(1, 1, Unit::Chars), 4);
        assert_eq!(t.offset(1, 9, Unit::Chars), 5);
    }

    #[test]
    fn line_table_on_astral_emoji() {
        let text = "🔥a\n🔥";
        let t = LineTable::new(text);
        assert_eq!(t.position(4, Unit::Bytes), (0, 4));
        assert_eq!(t.position(4, Unit::Chars), (0, 1));
        assert_eq!(t.position(4, Unit::Utf16), (0, 2));
        assert_eq!(t.position(2, Unit::Utf16), (0, 0)); // inside: the char's start
        assert_eq!(t.position(text.len(), Unit::Utf16), (1, 2));
        assert_eq!(t.offset(0, 1, Unit::Utf16), 0); // half a surrogate pair: floors
        assert_eq!(t.offset(0, 2, Unit::Utf16), 4);
        assert_eq!(t.offset(0, 3, Unit::Bytes), 0); // inside in bytes too
        assert_eq!(t.offset(1, 1, Unit::Chars), text.len());
        assert_eq!(t.convert(5, Unit::Utf16), 3);
    }

    #[test]
    fn line_table_on_cjk() {
        let text = "日本\n語 z";
        let t = LineTable::new(text);
        let z = text.find('z').unwrap();
        assert_eq!(t.position(z, Unit::Bytes), (1, 4));
        assert_eq!(t.position(z, Unit::Chars), (1, 2));
        assert_eq!(t.position(z, Unit::Utf16), (1, 2));
        assert_eq!(t.offset(1, 2, Unit::Utf16), z);
        assert_eq!(t.offset(0, 1, Unit::Chars), 3);
        assert_eq!(t.position(4, Unit::Chars), (0, 1)); // inside 本
    }

    #[test]
    fn line_table_counts_combining_marks_as_their_own_chars() {
        let text = "e\u{301}x"; // é as e + U+0301
        let t = LineTable::new(text);
        assert_eq!(t.position(3, Unit::Chars), (0, 2));
        assert_eq!(t.position(3, Unit::Utf16), (0, 2));
        assert_eq!(t.position(3, Unit::Bytes), (0, 3));
        assert_eq!(t.offset(0, 1, Unit::Chars), 1); // between the base and the mark
    }

    #[test]
    fn line_table_handles_crlf() {
        let text = "ab\r\ncd\r\n";
        let t = LineTable::new(text);
        assert_eq!(t.line_count(), 3);
        assert_eq!(t.line_range(0), 0..2);
        assert_eq!(t.line_range(1), 4..6);
        assert_eq!(t.position(2, Unit::Chars), (0, 2)); // the \r
        assert_eq!(t.position(3, Unit::Chars), (0, 3)); // the \n: \r counts
        assert_eq!(t.offset(0, 3, Unit::Chars), 2); // clamps before the \r\n
                                                    // A lone \r is not a line break; a final one is left out of the content.
        let t = LineTable::new("a\rb\r");
        assert_eq!(t.line_count(), 1);
        assert_eq!(t.position(2, Unit::Chars), (0, 2));
        assert_eq!(t.line_range(0), 0..3);
    }

    #[test]
    fn line_table_on_empty_text() {
        let t = LineTable::new("");
        assert_eq!(t.line_count(), 1);
        assert_eq!(t.line_range(0), 0..0);
        assert_eq!(t.line_range(1), 0..0);
        for unit in UNITS {
            assert_eq!(t.position(0, unit), (0, 0));
            assert_eq!(t.position(10, unit), (0, 0));
            assert_eq!(t.offset(0, 0, unit), 0);
            assert_eq!(t.offset(3, 7, unit), 0);
            assert_eq!(t.convert(4, unit), 0);
        }
    }

    #[test]
    fn line_table_clamps_at_and_after_the_end() {
        let text = "x\n🔥y";
        let t = LineTable::new(text);
        let end = text.len();
        for byte in [end, end + 1, usize::MAX] {
            assert_eq!(t.position(byte, Unit::Bytes), (1, 5));
            assert_eq!(t.position(byte, Unit::Chars), (1, 2));
            assert_eq!(t.position(byte, Unit::Utf16), (1, 3));
            assert_eq!(t.convert(byte, Unit::Utf16), 5);
        }
        assert_eq!(t.offset(1, 3, Unit::Utf16), end);
        assert_eq!(t.offset(1, 4, Unit::Utf16), end);
        assert_eq!(t.offset(2, 0, Unit::Utf16), end);
        assert_eq!(t.offset(1, usize::MAX, Unit::Bytes), end);
    }

    #[test]
    fn line_table_on_long_lines_matches_a_recount() {
        let text = format!("{}\n{}", "é🔥a ".repeat(300), "漢\r\n".repeat(50));
        let t = LineTable::new(&text);
        for (i, _) in text.char_indices().step_by(5) {
            for unit in UNITS {
                let p = t.position(i, unit);
                assert_eq!(p, naive_position(&text, i, unit));
                let back = if text[i..].starts_with('\n') && text[..i].ends_with('\r') {
                    i - 1 // between \r and \n: the end of the line's content
                } else {
                    i
                };
                assert_eq!(t.offset(p.0, p.1, unit), back);
            }
        }
    }
}
