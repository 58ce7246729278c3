//! The timeline: entries from list items, table rows, plain or code-block lines.

use super::header::strip_marker;
use super::time::Stamp;
use super::vocab::{Compiled, Zone};
use super::Layout;
use crate::lexicon::SectionKind;
use crate::markdown::Document;
use std::ops::Range;

/// One timeline entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The time as written.
    pub stamp: Stamp,
    /// The zone that applies (the entry's own, or one given for the whole timeline).
    pub zone: Option<Zone>,
    /// What happened, lowercased.
    pub event: String,
    /// Source range of the entry (its line or row).
    pub range: Range<usize>,
    /// Absolute minute (days*1440 + minute of day, UTC when a zone is known).
    pub abs: i64,
    /// The date was known (written, or taken from the header).
    pub dated: bool,
    /// Earlier than the entry before it.
    pub out_of_order: bool,
}

/// The parsed timeline.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timeline {
    /// Whether a timeline section exists.
    pub present: bool,
    /// The first timeline heading.
    pub heading: Option<Range<usize>>,
    /// A zone given once for the whole timeline (heading, table header, "all times" line).
    pub zone: Option<Zone>,
    /// Entries in document order.
    pub entries: Vec<Entry>,
}

impl Timeline {
    /// Every entry carries (or inherits) a UTC zone.
    pub fn utc(&self) -> bool {
        !self.entries.is_empty()
            && self
                .entries
                .iter()
                .all(|e| e.zone.as_ref().is_some_and(|z| z.utc))
    }

    /// Any entry written with am/pm.
    pub fn twelve_hour(&self) -> bool {
        self.entries.iter().any(|e| e.stamp.ampm)
    }

    /// Distinct zone offsets named by entries.
    pub fn zone_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for e in &self.entries {
            if let Some(z) = &e.zone {
                // Most entries repeat a name already seen: compare before copying.
                let seen = if z.name.is_ascii() {
                    names.iter().any(|n| n.eq_ignore_ascii_case(&z.name))
                } else {
                    names.contains(&z.name.to_uppercase())
                };
                if !seen {
                    names.push(z.name.to_uppercase());
                }
            }
        }
        names
    }
}

struct Raw {
    stamp: Stamp,
    event: String,
    range: Range<usize>,
    code: bool,
    zone: Option<Zone>,
}

fn event_text(rest: &str) -> String {
    let t = rest
        .trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '*' | '_' | '`' | ']' | ')' | '—' | '–' | '-' | ':' | '|' | ',' | '~'
                )
        })
        .trim();
    crate::words::lowercase(t)
}

/// Parses the timeline sections. `base_day` dates entries that carry no date; `frame`
/// is the zone assumed for entries when the timeline names none.
pub(crate) fn parse(doc: &Document<'_>, layout: &Layout, vocab: &Compiled) -> Timeline {
    let mut tl = Timeline::default();
    let src = doc.src;
    // About one entry per 50 bytes of timeline (a time, a sentence): sized up front, a
    // long timeline is not copied as it grows.
    let timeline_bytes: usize = (0..layout.section_ranges.len())
        .filter(|&si| layout.kind(si) == SectionKind::Timeline)
        .map(|si| layout.section_ranges[si].len())
        .sum();
    let mut raws: Vec<Raw> = Vec::with_capacity(timeline_bytes / 48);
    let mut current_date: Option<i64> = None;
    for (si, range) in layout.section_ranges.iter().enumerate() {
        let sec = &doc.sections[si];
        if layout.kind(si) != SectionKind::Timeline {
            continue;
        }
        tl.present = true;
        if tl.heading.is_none() {
            tl.heading = Some(layout.heading_line(si));
        }
        if tl.zone.is_none() {
            tl.zone = vocab.zone_in_text(&sec.title);
        }
        if let Some(d) = vocab.find_date(&sec.title) {
            current_date = Some(d);
        }
        let mut pos = range.start;
        let mut last_entry: Option<usize> = None;
        for line in src[range.clone()].split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let t = line.trim_end();
            if t.trim().is_empty() {
                last_entry = None;
                continue;
            }
            let trimmed = t.trim_start();
            let code = layout.in_code_block(start);
            if !code
                && (trimmed.starts_with('|')
                    || trimmed.starts_with('>')
                    || layout.in_comment(start))
            {
                last_entry = None;
                continue;
            }
            if code && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
                continue;
            }
            let body = if code { trimmed } else { strip_marker(t) };
            let body_start = start + (t.len() - body.len());
            if let Some((mut stamp, used)) = vocab.leading_stamp(body) {
                if stamp.date.is_none() {
                    stamp.date = current_date;
                } else {
                    current_date = stamp.date;
                }
                raws.push(Raw {
                    zone: stamp.zone.clone(),
                    stamp,
                    event: event_text(&body[used..]),
                    range: body_start..start + t.len(),
                    code,
                });
                last_entry = Some(raws.len() - 1);
                continue;
            }
            // A line that only gives a date sets the date of the entries after it.
            if let Some(d) = vocab.find_date(body) {
                if body.len() < 40 {
                    current_date = Some(d);
                    last_entry = None;
                    continue;
                }
            }
            let marker = body.len() != trimmed.len() && !t.starts_with([' ', '\t']);
            match last_entry {
                Some(i) if !marker => {
                    let more = crate::words::lowercase(body);
                    raws[i].event.push(' ');
                    raws[i].event.push_str(&more);
                }
                _ => {
                    // "All times are UTC."
                    if tl.zone.is_none()
                        && raws.is_empty()
                        && vocab.zone_lines.matches(&crate::words::lowercase(body))
                    {
                        tl.zone = vocab.zone_in_text(body);
                    }
                    last_entry = None;
                }
            }
        }
    }
    // Tables in the timeline.
    for table in &doc.tables {
        if layout.kind(table.section) != SectionKind::Timeline {
            continue;
        }
        let lower: Vec<String> = table.header.iter().map(|h| h.to_lowercase()).collect();
        let time_col = lower
            .iter()
            .position(|h| {
                ["time", "when", "utc", "timestamp", "clock"]
                    .iter()
                    .any(|w| super::vocab::find_word(h, w, false).is_some())
            })
            .or_else(|| {
                (0..table.header.len()).find(|&c| {
                    table.rows.iter().any(|r| {
                        r.1.get(c)
                            .is_some_and(|cell| vocab.leading_stamp(&cell.0).is_some())
                    })
                })
            });
        let Some(tc) = time_col else { continue };
        let col_zone = table.header.get(tc).and_then(|h| vocab.zone_in_text(h));
        let date_col = lower
            .iter()
            .position(|h| h.contains("date") || h.contains("day"))
            .filter(|&c| c != tc);
        for (row_range, cells) in &table.rows {
            let Some(cell) = cells.get(tc) else { continue };
            let Some((mut stamp, used)) = vocab.leading_stamp(&cell.0) else {
                continue;
            };
            if stamp.date.is_none() {
                stamp.date = date_col
                    .and_then(|c| cells.get(c))
                    .and_then(|c| vocab.find_date(&c.0))
                    .or(current_date);
            }
            let mut event = event_text(&cell.0[used..]);
            for (i, c) in cells.iter().enumerate() {
                if i != tc && Some(i) != date_col {
                    if !event.is_empty() {
                        event.push(' ');
                    }
                    event.push_str(&crate::words::lowercase(&c.0));
                }
            }
            let zone = stamp.zone.clone().or_else(|| col_zone.clone());
            raws.push(Raw {
                stamp,
                event,
                range: row_range.clone(),
                code: false,
                zone,
            });
        }
        if tl.zone.is_none() {
            tl.zone = col_zone;
        }
    }
    // Each entry starts on its own line, so the order is total: a postmortem's few entries
    // are sorted in place, where the stable sort takes a buffer the size of the entries; a
    // long document's many, which come in sorted runs (list entries, then table rows), by
    // the stable sort, which merges runs.
    if raws.len() <= 64 {
        raws.sort_unstable_by_key(|r| (r.range.start, r.range.end));
    } else {
        raws.sort_by_key(|r| r.range.start);
    }
    // Code-block lines count only when the timeline has no other entries.
    if raws.iter().any(|r| !r.code) {
        raws.retain(|r| !r.code);
    }
    tl.entries = raws
        .into_iter()
        .map(|r| Entry {
            zone: r.zone.or_else(|| tl.zone.clone()),
            stamp: r.stamp,
            event: r.event,
            range: r.range,
            abs: 0,
            dated: false,
            out_of_order: false,
        })
        .collect();
    tl
}

/// Places entries on one clock: converts to UTC where a zone is known, dates undated
/// entries from `base_day`, and rolls over midnight (23:58 then 00:03 is the next day).
/// `frame` is the zone assumed for entries with none.
pub(crate) fn place(tl: &mut Timeline, base_day: Option<i64>, frame: Option<&Zone>) {
    let mut prev: Option<i64> = None;
    let mut day_shift = 0i64;
    let mut carry: Option<Zone> = frame.cloned();
    for e in &mut tl.entries {
        if e.zone.is_some() {
            carry = e.zone.clone();
        }
        let offset = e
            .zone
            .as_ref()
            .or(carry.as_ref())
            .map_or(0, |z| i64::from(z.offset));
        let minute = e.stamp.minute.unwrap_or(0);
        let abs = match e.stamp.date {
            Some(d) => {
                e.dated = true;
                d * 1440 + minute - offset
            }
            None => {
                e.dated = base_day.is_some();
                let mut a = (base_day.unwrap_or(0) + day_shift) * 1440 + minute - offset;
                if let Some(p) = prev {
                    // Going back more than 12 hours is the next day.
                    while a < p - 12 * 60 {
                        day_shift += 1;
                        a += 1440;
                    }
                }
                a
            }
        };
        e.out_of_order = prev.is_some_and(|p| abs < p);
        e.abs = abs;
        prev = Some(abs);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{doc_of, vocab};
    use super::super::Layout;
    use super::*;

    fn tl(src: &str) -> Timeline {
        let v = vocab();
        let doc = doc_of(src);
        let layout = Layout::new(&doc, &v);
        let mut t = parse(&doc, &layout, &v);
        place(&mut t, None, None);
        t
    }

    #[test]
    fn list_entries_with_heading_zone() {
        let t = tl("## Timeline (UTC)\n\n- 10:00 — a starts\n- 10:05 — b pages\n  continued (mitigated)\n\n> 09:00 quoted chat\n");
        assert_eq!(t.entries.len(), 2);
        assert!(t.utc());
        assert!(t.entries[1].event.contains("mitigated"));
    }

    #[test]
    fn midnight_crossing_is_in_order() {
        let t = tl("## Timeline (UTC)\n\n- 23:58 a\n- 00:03 b\n- 00:10 c\n");
        assert!(t.entries.iter().all(|e| !e.out_of_order));
        assert_eq!(t.entries[1].abs - t.entries[0].abs, 5);
    }

    #[test]
    fn out_of_order_and_mixed_zones() {
        let t = tl(
            "## Timeline\n\n- 11:05 CEST — a\n- 09:12 UTC — b\n- 03:40 MDT — c\n- 09:30 UTC — d\n",
        );
        assert!(!t.utc());
        assert_eq!(t.zone_names(), vec!["CEST", "UTC", "MDT"]);
        assert_eq!(
            t.entries.iter().map(|e| e.out_of_order).collect::<Vec<_>>(),
            vec![false, false, false, true]
        );
    }

    #[test]
    fn twelve_hour_no_zone() {
        let t = tl("## Timeline\n\n- 11:58 AM — a\n- 12:03 PM — b\n- 1:15 PM — c\n");
        assert!(t.twelve_hour());
        assert!(!t.utc());
        assert!(t.entries.iter().all(|e| !e.out_of_order));
        assert_eq!(t.entries[2].abs - t.entries[0].abs, 77);
    }

    #[test]
    fn table_zone_in_header_and_code_block() {
        let t =
            tl("## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| 14:58 | a |\n| 15:06 | b |\n");
        assert_eq!(t.entries.len(), 2);
        assert!(t.utc());
        let t = tl("## Timeline (UTC)\n\n```\n05:20 etl   starts\n05:30 etl   fails\n```\n");
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.entries[1].event, "etl   fails");
    }

    #[test]
    fn iso_entries_across_days() {
        let t = tl("## Timeline\n\n- 2026-06-13T23:35Z — a\n- 2026-06-14T00:20Z — b\n");
        assert!(t.utc());
        assert!(!t.entries[1].out_of_order);
        assert_eq!(t.entries[1].abs - t.entries[0].abs, 45);
    }
}
