//! Inline suppression comments: `<!-- unblame-disable [RULES] -->` … `<!-- unblame-enable -->`
//! and `<!-- unblame-disable-next-line [RULES] -->`.

use crate::markdown::Document;
use std::ops::Range;

/// One suppression directive.
#[derive(Debug, Clone)]
pub(crate) struct Directive {
    /// The comment's source range.
    pub comment: Range<usize>,
    /// Where it applies.
    pub scope: Range<usize>,
    /// Rule ids or categories; empty means every rule.
    pub rules: Vec<String>,
    /// Set when it suppressed something.
    pub used: bool,
}

impl Directive {
    pub fn covers(&self, rule: &str, category: &str, at: usize) -> bool {
        self.scope.contains(&at)
            && (self.rules.is_empty() || self.rules.iter().any(|r| r == rule || r == category))
    }
}

fn rules_of(rest: &str) -> Vec<String> {
    rest.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads every directive of a document.
pub(crate) fn directives(doc: &Document<'_>) -> Vec<Directive> {
    let src = doc.src;
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for c in &doc.comments {
        let body = c.body.as_str();
        if let Some(rest) = body.strip_prefix("unblame-disable-next-line") {
            // The next line that has text.
            let mut start = src[c.range.end..]
                .find('\n')
                .map_or(src.len(), |i| c.range.end + i + 1);
            while start < src.len() && src[start..].starts_with(['\n', '\r']) {
                start += 1;
            }
            let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
            out.push(Directive {
                comment: c.range.clone(),
                scope: start..end,
                rules: rules_of(rest),
                used: false,
            });
        } else if let Some(rest) = body.strip_prefix("unblame-disable") {
            out.push(Directive {
                comment: c.range.clone(),
                scope: c.range.end..src.len(),
                rules: rules_of(rest),
                used: false,
            });
            open.push(out.len() - 1);
        } else if body.starts_with("unblame-enable") {
            for i in open.drain(..) {
                out[i].scope.end = c.range.start;
            }
        }
    }
    out
}
