//! Offset conversion, done in one place.
//!
//! The core speaks UTF-8 byte offsets. Python wants code-point indices and JavaScript
//! wants UTF-16 code units. [`OffsetMap`] converts any number of byte offsets in one
//! sweep over the text, so converting the spans of a whole report stays linear.

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
        (b + (offset - base)).min(self.len)
    }
}

/// Line and column (both 1-based, column in Unicode scalar values) of byte offsets,
/// computed incrementally: call with non-decreasing offsets for a linear sweep (also
/// along a single very long line: the column is carried forward, not recounted).
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
        match seg.rfind('\n') {
            Some(last) => {
                self.line += seg.bytes().filter(|&b| b == b'\n').count();
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
}
