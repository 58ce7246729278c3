//! The header block: YAML front matter, `Key: value` bullets or lines, bold keys, a
//! two-column table; the `#` title.

use super::vocab::Compiled;
use super::Layout;
use crate::markdown::Document;
use std::collections::HashMap;
use std::ops::Range;

/// One header field.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The value as written (markup trimmed).
    pub value: String,
    /// Source range of the value.
    pub range: Range<usize>,
}

/// The header block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    /// Canonical field name -> first occurrence.
    pub fields: HashMap<String, Field, foldhash::fast::RandomState>,
    /// Source range spanning the recognised fields.
    pub range: Option<Range<usize>>,
    /// The `#` title heading's range.
    pub title_heading: Option<Range<usize>>,
}

impl Header {
    /// A field with a real (non-placeholder) value.
    pub fn get(&self, field: &str) -> Option<&Field> {
        self.fields.get(field)
    }
}

fn strip_markup(s: &str) -> &str {
    s.trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '`')
        .trim()
}

/// Strips a list marker, a task box and a block-quote marker from the start of a line.
pub(crate) fn strip_marker(line: &str) -> &str {
    let t = line.trim_start();
    let t = t.strip_prefix('>').map(str::trim_start).unwrap_or(t);
    let t = if let Some(r) = t
        .strip_prefix(['-', '*', '+'])
        .filter(|r| r.starts_with([' ', '\t']))
    {
        r.trim_start()
    } else {
        let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0
            && digits <= 3
            && t[digits..].starts_with(['.', ')'])
            && t[digits + 1..].starts_with([' ', '\t'])
        {
            t[digits + 1..].trim_start()
        } else {
            t
        }
    };
    for b in ["[ ] ", "[x] ", "[X] "] {
        if let Some(r) = t.strip_prefix(b) {
            return r.trim_start();
        }
    }
    t
}

impl Header {
    fn add(
        &mut self,
        vocab: &Compiled,
        key: &str,
        value: &str,
        range: Range<usize>,
        line: Range<usize>,
    ) -> bool {
        let Some(field) = vocab.field_for_key(key) else {
            return false;
        };
        // A zone in the key's parenthetical ("Detected (UTC)") belongs to the value.
        let mut value = strip_markup(value).to_string();
        if let (Some(o), Some(c)) = (key.find('('), key.rfind(')')) {
            if o < c {
                if let Some(z) = vocab.zone_in_text(&key[o + 1..c]) {
                    if vocab.zone_in_text(&value).is_none() {
                        value.push(' ');
                        value.push_str(&z.name.to_uppercase());
                    }
                }
            }
        }
        if vocab.is_placeholder(&value) {
            return false;
        }
        self.fields
            .entry(field.to_string())
            .or_insert(Field { value, range });
        self.range = Some(match self.range.take() {
            Some(r) => r.start.min(line.start)..r.end.max(line.end),
            None => line,
        });
        true
    }
}

/// Reads the header block from the front matter and the lines before the first section.
pub(crate) fn parse(doc: &Document<'_>, layout: &Layout, vocab: &Compiled) -> Header {
    let mut h = Header {
        title_heading: layout.title.clone(),
        ..Header::default()
    };
    let src = doc.src;
    if let Some(fm) = &doc.front_matter {
        let mut last: Option<(String, Range<usize>, Range<usize>)> = None;
        let mut pending: Vec<(String, String, Range<usize>, Range<usize>)> = Vec::new();
        let mut pos = fm.start;
        for line in src[fm.clone()].split_inclusive('\n') {
            let lr = pos..pos + line.trim_end().len();
            pos += line.len();
            let t = line.trim_end();
            if t.trim_start().starts_with('#') || t.trim().is_empty() {
                continue;
            }
            let indented = t.starts_with([' ', '\t']);
            if indented {
                if let (Some(item), Some(l)) = (t.trim_start().strip_prefix("- "), last.as_mut()) {
                    if let Some(p) = pending.iter_mut().rev().find(|p| p.0 == l.0) {
                        if !p.1.is_empty() {
                            p.1.push_str(", ");
                        }
                        p.1.push_str(item.trim().trim_matches(['"', '\'']));
                        p.3.end = lr.end;
                        l.2.end = lr.end;
                    }
                }
                continue;
            }
            if let Some(colon) = t.find(':') {
                let key = &t[..colon];
                let raw = t[colon + 1..].trim();
                let value = raw
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim()
                    .trim_matches(['"', '\''])
                    .to_string();
                let vstart = lr.start
                    + colon
                    + 1
                    + (t[colon + 1..].len() - t[colon + 1..].trim_start().len());
                pending.push((key.to_string(), value, vstart..lr.end, lr.clone()));
                last = Some((key.to_string(), vstart..lr.end, lr));
            }
        }
        for (k, v, r, l) in pending {
            h.add(vocab, &k, &v, r, l);
        }
    }
    for area in &layout.header_areas {
        let mut pos = area.start;
        for line in src[area.clone()].split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let t = line.trim_end();
            let lr = start..start + t.len();
            if t.trim().is_empty() || layout.in_code_block(start) || layout.in_comment(start) {
                continue;
            }
            let trimmed = t.trim_start();
            if trimmed.starts_with('|') {
                let cells: Vec<&str> = trimmed.trim_matches('|').split('|').collect();
                if cells.len() >= 2
                    && !cells
                        .iter()
                        .all(|c| c.trim().chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
                {
                    let key = strip_markup(cells[0]);
                    let value = cells[1..]
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let voff = trimmed
                        .find(cells[1])
                        .map_or(0, |o| o + cells[1].len() - cells[1].trim_start().len());
                    let vs = start + (t.len() - trimmed.len()) + voff;
                    h.add(
                        vocab,
                        key,
                        &value,
                        vs..vs + cells[1].trim().len(),
                        lr.clone(),
                    );
                }
                continue;
            }
            let body = strip_marker(t);
            let body_start = start + (t.len() - body.len());
            let Some(colon) = body.find(':') else {
                continue;
            };
            let key = &body[..colon];
            if key.chars().count() > 40 {
                continue;
            }
            let after = &body[colon + 1..];
            // "**Key:** value": the closing bold marker sits after the colon.
            let after_trim = after.trim_start_matches(['*', '_']).trim_start();
            let vs = body_start + colon + 1 + (after.len() - after_trim.len());
            h.add(vocab, key, after_trim, vs..lr.end, lr.clone());
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{doc_of, vocab};
    use super::super::Layout;

    fn fields(src: &str) -> Vec<(String, String)> {
        let v = vocab();
        let doc = doc_of(src);
        let layout = Layout::new(&doc, &v);
        let h = super::parse(&doc, &layout, &v);
        let mut out: Vec<(String, String)> =
            h.fields.into_iter().map(|(k, f)| (k, f.value)).collect();
        out.sort();
        out
    }

    #[test]
    fn bullets_bold_plain_and_tables() {
        let f = fields("# T\n\n- Incident ID: PM-1\n- **Severity:** SEV2\n\nStatus: Final\nWritten by: Ana\n\n## Summary\n\nDetected: 10:00\n");
        assert_eq!(
            f,
            vec![
                ("authors".into(), "Ana".into()),
                ("incident-id".into(), "PM-1".into()),
                ("severity".into(), "SEV2".into()),
                ("status".into(), "Final".into())
            ]
        );
        let f = fields("# T\n\n| Key | Value |\n|---|---|\n| Incident ID | PM-2 |\n| Detected (UTC) | 2026-01-01 10:00 |\n| Reviewers | TBD |\n");
        assert_eq!(
            f,
            vec![
                ("detected".into(), "2026-01-01 10:00 UTC".into()),
                ("incident-id".into(), "PM-2".into())
            ]
        );
        let f = fields("**Incident ID:** PM-3\n**Duration:** 1h\n\n# Title\n");
        assert_eq!(
            f,
            vec![
                ("duration".into(), "1h".into()),
                ("incident-id".into(), "PM-3".into())
            ]
        );
    }

    #[test]
    fn front_matter() {
        let f = fields("---\nid: PM-4\nauthors:\n  - A\n  - B\nreviewers: [C, D]\nimpact: \"2,000 users\"\n---\n\n# T\n");
        assert_eq!(
            f,
            vec![
                ("authors".into(), "A, B".into()),
                ("impact".into(), "2,000 users".into()),
                ("incident-id".into(), "PM-4".into()),
                ("reviewers".into(), "C, D".into())
            ]
        );
    }
}
