//! Sentence bounds without the Unicode tables where they are certain.
//!
//! Unicode sentence segmentation (UAX #29, `unicode-segmentation`) costs tens of
//! instructions per byte. Its rules only ever break after a line or paragraph separator
//! or after a terminator (`.`, `?`, `!` and their kin in other scripts) with the closing
//! punctuation and spaces that follow it. So a stretch of text whose characters are
//! none of those, but for a closing run at its end, is one sentence, and the common
//! bound (`. ` before a capital) can be found with a byte scan. Everything here is
//! checked against `unicode-segmentation`: exhaustively for [`inert`], by property tests
//! for [`count`].

use unicode_segmentation::UnicodeSegmentation;

/// A character beyond ASCII that is neither a terminator nor a separator for the
/// sentence rules: letters and digits of every script, and the punctuation and symbols
/// postmortems use (dashes, curly quotes, the ellipsis, arrows, emoji). The test
/// `no_inert_character_ends_a_sentence` checks every character this accepts.
#[inline]
pub(crate) fn inert(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{a0}'..='\u{bf}' // no-break space, Latin-1 signs and symbols
            | '\u{d7}' | '\u{f7}'
            | '\u{2000}'..='\u{2023}' // spaces, dashes, quotes, bullets
            | '\u{2025}'..='\u{2027}' // two-dot leader, ellipsis, hyphenation point
            | '\u{202f}'..='\u{203b}'
            | '\u{2190}'..='\u{2bff}' // arrows, maths, technical, boxes, shapes, dingbats
            | '\u{fe0f}'
            | '\u{1f000}'..='\u{1faff}' // emoji
        )
}

/// ASCII closing punctuation of the sentence rules (Sentence_Break=Close).
fn is_close(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
}

/// Where the next piece of `b` after `from` starts: just after `. `, `? ` or `! ` (with
/// closing quotes or brackets before the spaces) and before an ASCII capital. The
/// Unicode sentence rules always break there, and no rule looks across that break: a
/// capital ends the look-back of rule SB8 and none of the other rules reaches past it.
fn next_piece(b: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(p) = memchr::memchr3(b'.', b'?', b'!', &b[at..]) {
        let mut k = at + p + 1;
        while k < b.len() && matches!(b[k], b'.' | b'?' | b'!') {
            k += 1;
        }
        while k < b.len() && is_close(b[k]) {
            k += 1;
        }
        let spaces = k;
        while k < b.len() && b[k] == b' ' {
            k += 1;
        }
        if k > spaces && k < b.len() && b[k].is_ascii_uppercase() {
            return k;
        }
        at = (at + p + 1).max(spaces);
    }
    b.len()
}

/// Whether `text` is one sentence for certain, that is, Unicode segmentation finds no
/// bound inside it: no terminator or line break before its closing `.`/`?`/`!`, closing
/// punctuation and spaces, and nothing beyond ASCII but [`inert`] characters.
pub(crate) fn one_sentence(text: &str) -> bool {
    let piece = text.as_bytes();
    let mut end = piece.len();
    while end > 0 && piece[end - 1] == b' ' {
        end -= 1;
    }
    while end > 0 && is_close(piece[end - 1]) {
        end -= 1;
    }
    while end > 0 && matches!(piece[end - 1], b'.' | b'?' | b'!') {
        end -= 1;
    }
    !piece[..end]
        .iter()
        .any(|b| matches!(b, b'.' | b'?' | b'!' | b'\r' | b'\n'))
        && (piece.is_ascii() || text.chars().all(|c| c.is_ascii() || inert(c)))
}

/// `text.unicode_sentences()` that hold a letter or digit, counted. The common case (ASCII
/// sentences ending in `. ` before a capital) needs no Unicode segmentation: the text is
/// cut at such bounds, and only a piece that may hold another bound is segmented.
pub(crate) fn count(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    let mut start = 0;
    while start < b.len() {
        let end = next_piece(b, start);
        let piece = &text[start..end];
        n += if one_sentence(piece) {
            usize::from(piece.chars().any(char::is_alphanumeric))
        } else {
            piece
                .unicode_sentences()
                .filter(|s| s.chars().any(char::is_alphanumeric))
                .count()
        };
        start = end;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference_count(text: &str) -> usize {
        if text.is_empty() {
            return 0; // unicode-segmentation's size_hint underflows on "" (debug builds panic)
        }
        text.unicode_sentences()
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .count()
    }

    #[test]
    fn sentence_counts_match_unicode_segmentation() {
        for text in [
            "One. Two! Three? Four",
            "The fix (see INC-1.) Worked. Then \"it failed.\" Again.",
            "e.g. This is one. 3.14 is pi. U.S. Teams met.  Two spaces. ",
            "Zoë paired. Ana led… Then it ended. 😀 Done. — Next.",
            "Line one.\nLine two. Still two.\r\nThree",
            "",
            " . ",
        ] {
            assert_eq!(count(text), reference_count(text), "{text:?}");
        }
    }

    /// What `one_sentence` relies on: no [`inert`] character ends a sentence or
    /// separates one (were it a terminator or a separator, "Ab{c} Cd" would be two
    /// sentences). Checked for every character beyond ASCII.
    #[test]
    fn no_inert_character_ends_a_sentence() {
        let mut inert_chars = 0;
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if inert(c) {
                inert_chars += 1;
                let text = format!("Ab{c} Cd");
                assert_eq!(reference_count(&text), 1, "{c:?} U+{:04X}", c as u32);
            }
        }
        assert!(inert_chars > 100_000, "{inert_chars}");
        for c in [
            'é', 'Ł', '日', '—', '–', '’', '“', '…', '😀', '📉', '→', '\u{a0}', '\u{200d}',
        ] {
            assert!(inert(c), "{c:?}");
        }
        // And the check can fail: terminators and separators beyond ASCII do split.
        for c in ['。', '‼', '\u{2029}', '\u{85}', '․'] {
            assert_eq!(reference_count(&format!("Ab{c} Cd")), 2, "{c:?}");
            assert!(!inert(c), "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(3000))]
        /// The piecewise count equals Unicode segmentation's on any mix of the characters
        /// the rules care about.
        #[test]
        fn sentence_counts_agree(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "B", "Zo", "1", " ", "  ", ".", "!", "?", "...", "\"", "'", "(", ")", "]",
                ",", ":", ";", "-", "\n", "\r", "\t", "é", "É", "—", "’", "”", "…", "。", "\u{2029}",
                "\u{85}", "\u{301}", "😀", "\u{a0}", "Zoë", "Åsa", "ß", "日本", "ı", "Ω", "ǅ",
                "\u{b}", "\u{c}", "📉", "→", "«", "»", "¿", "‽", "\u{2024}", "\u{200d}", "\u{fe0f}",
            ]), 0..40),
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(count(&text), reference_count(&text));
        }

        /// What the judge relies on: a text `one_sentence` accepts is one segment (or none).
        #[test]
        fn one_sentence_is_one_segment(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "B", "1", " ", ".", "!", "?", "\"", "'", ")", ",", "-", "\n", "\t", "é",
                "É", "—", "’", "”", "…", "。", "\u{2029}", "\u{85}", "\u{301}", "😀", "\u{a0}",
                "\u{b}", "→", "«", "¿", "‽", "\u{2024}", "\u{200d}",
            ]), 0..30),
        ) {
            let text: String = parts.concat();
            if one_sentence(&text) {
                proptest::prop_assert!(text.split_sentence_bound_indices().count() <= 1, "{:?}", text);
            }
        }
    }
}
