//! Rewrites: building suggestions for a hit, and applying edits to a text.

use crate::judge::{participle_after, Hit};
use crate::lexicon::{FixAction, FixSpec};
use crate::report::Suggestion;
use crate::words::WordSets;

/// Keeps the capitalisation of `original` on `replacement` ("Should have" → "Did not").
pub fn match_case(original: &str, replacement: &str) -> String {
    let upper_first = original.chars().next().is_some_and(char::is_uppercase);
    let all_upper = original.chars().filter(|c| c.is_alphabetic()).count() > 1
        && original
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if all_upper {
        return replacement.to_uppercase();
    }
    if upper_first {
        let mut c = replacement.chars();
        return match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        };
    }
    replacement.to_string()
}

/// Builds the suggestion of a fix spec for a hit, in source byte offsets.
pub(crate) fn suggest(spec: &FixSpec, hit: &Hit<'_>, words: &WordSets) -> Option<Suggestion> {
    let doc = hit.doc;
    let src = doc.src;
    let span = doc.to_src(hit.range.clone());
    let original = &src[span.clone()];
    match spec.action {
        FixAction::Delete => {
            // Delete the word, the spaces after it (or before it at the end of a clause), and
            // a comma right after a sentence adverb ("Clearly, ...").
            let after = &src[span.end..];
            let next_char = after.trim_start_matches([' ', ',']).chars().next();
            let continues =
                next_char.is_some_and(|c| c.is_alphanumeric() || c == '`' || c == '*' || c == '_');
            if !continues {
                return None; // predicative ("was careless."): needs a person to rewrite
            }
            let at_start = src[..span.start]
                .trim_end_matches([' ', '*', '_'])
                .ends_with(['.', '!', '?', '\n', ':', '-', '—'])
                || span.start == 0
                || original.starts_with(char::is_uppercase);
            let skip = after.len() - after.trim_start_matches(',').trim_start_matches(' ').len();
            let mut end = span.end + skip;
            let mut start = span.start;
            let mut replacement = String::new();
            // "a careless edit" → "an edit": keep the article agreeing with the next word.
            let before = &src[..span.start];
            let article = ["a ", "an ", "A ", "An "].into_iter().find(|a| {
                before.ends_with(a)
                    && !before[..before.len() - a.len()]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
            });
            if let Some(a) = article {
                let next_word: String = src[end..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                let vowel = next_word
                    .chars()
                    .next()
                    .is_some_and(|c| "aeiouAEIOU".contains(c));
                let want = match (a.starts_with('A'), vowel) {
                    (true, true) => "An ",
                    (true, false) => "A ",
                    (false, true) => "an ",
                    (false, false) => "a ",
                };
                if want != a {
                    start -= a.len();
                    replacement = want.to_string();
                }
            }
            if at_start && original.starts_with(char::is_uppercase) {
                // Capitalise the next word.
                if let Some(c) = src[end..].chars().next() {
                    if c.is_lowercase() {
                        replacement = c.to_uppercase().collect();
                        end += c.len_utf8();
                    }
                }
            }
            Some(Suggestion {
                replacement,
                start,
                end,
                safe: spec.safe.unwrap_or(true),
                description: spec
                    .description
                    .clone()
                    .unwrap_or_else(|| ["remove \"", original, "\""].concat()),
            })
        }
        FixAction::Replace => {
            let with = spec.with.as_deref().unwrap_or_default();
            let replacement = match_case(original, with);
            Some(Suggestion {
                description: spec.description.clone().unwrap_or_else(|| {
                    ["replace \"", original, "\" with \"", &replacement, "\""].concat()
                }),
                replacement,
                start: span.start,
                end: span.end,
                safe: spec.safe.unwrap_or(false),
            })
        }
        FixAction::DidNot => {
            let p = participle_after(hit, words)?;
            let tok = &hit.toks[p];
            let verb = &doc.prose[tok.range.clone()];
            let end = doc.to_src(tok.range.clone()).end;
            let replacement = match_case(original, &["did not ", &words.base_verb(verb)].concat());
            Some(Suggestion {
                description: spec
                    .description
                    .clone()
                    .unwrap_or_else(|| ["state what happened: \"", &replacement, "\""].concat()),
                replacement,
                start: span.start,
                end,
                safe: spec.safe.unwrap_or(false),
            })
        }
    }
}

/// Applies non-overlapping edits to `text`, back to front. Overlapping edits after the
/// first are skipped, as are edits outside the text or off char boundaries.
///
/// ```
/// use unblame::{apply_edits, Suggestion};
/// let edit = Suggestion { replacement: String::new(), start: 4, end: 15, safe: true, description: String::new() };
/// assert_eq!(apply_edits("Ana carelessly ran it", &[&edit]), "Ana ran it");
/// ```
pub fn apply_edits(text: &str, edits: &[&Suggestion]) -> String {
    let mut sorted: Vec<&Suggestion> = edits
        .iter()
        .copied()
        .filter(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        })
        .collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut kept: Vec<&Suggestion> = Vec::with_capacity(sorted.len());
    for e in sorted {
        if kept.last().is_none_or(|k| k.end <= e.start) {
            kept.push(e);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in kept {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_is_kept() {
        assert_eq!(match_case("Should have", "did not"), "Did not");
        assert_eq!(match_case("should have", "did not"), "did not");
        assert_eq!(match_case("ROOT CAUSE", "one factor"), "ONE FACTOR");
    }

    #[test]
    fn overlapping_edits_are_skipped() {
        let a = Suggestion {
            replacement: "X".into(),
            start: 0,
            end: 3,
            safe: true,
            description: String::new(),
        };
        let b = Suggestion {
            replacement: "Y".into(),
            start: 2,
            end: 4,
            safe: true,
            description: String::new(),
        };
        assert_eq!(apply_edits("abcdef", &[&b, &a]), "Xdef");
    }
}
