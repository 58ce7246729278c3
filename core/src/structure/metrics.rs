//! Incident metrics: detected, resolved, duration, time to detect / identify / mitigate,
//! days to write. From the header where it says, from timeline events otherwise.

use super::header::Header;
use super::time::{format_abs, Stamp};
use super::timeline::{self, Timeline};
use super::vocab::{Compiled, Phrases, Zone};
use super::Layout;
use crate::lexicon::SectionKind;
use crate::markdown::Document;

/// A point on the common clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    /// Absolute minute (days*1440 + minute; UTC when `zoned`).
    pub abs: i64,
    pub dated: bool,
    pub zoned: bool,
}

/// The metrics of one document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Metrics {
    pub detected: Option<Point>,
    pub resolved: Option<Point>,
    pub started: Option<Point>,
    pub identified: Option<Point>,
    pub mitigated: Option<Point>,
    pub stated_duration: Option<i64>,
    pub computed_duration: Option<i64>,
    pub duration_mismatch: bool,
    pub days_to_write: Option<i64>,
}

fn fmt(p: Option<Point>) -> Option<String> {
    p.map(|p| format_abs(p.abs, p.dated, p.zoned))
}

fn diff(a: Option<Point>, b: Option<Point>) -> Option<i64> {
    let (a, b) = (a?, b?);
    let d = b.abs - a.abs;
    (d >= 0).then_some(d)
}

impl Metrics {
    pub fn report(&self) -> crate::report::Metrics {
        crate::report::Metrics {
            detected: fmt(self.detected),
            resolved: fmt(self.resolved),
            duration_min: self.computed_duration.or(self.stated_duration),
            time_to_detect_min: diff(self.started, self.detected),
            time_to_identify_min: diff(self.detected, self.identified),
            time_to_mitigate_min: diff(self.detected, self.mitigated),
            impact_start: fmt(self.started),
            identified: fmt(self.identified),
            mitigated: fmt(self.mitigated),
            duration_stated_min: self.stated_duration,
        }
    }
}

fn point(stamp: &Stamp, base_day: Option<i64>, zone: Option<&Zone>) -> Option<Point> {
    let minute = stamp.minute?;
    let date = stamp.date.or(base_day);
    let zone = stamp.zone.as_ref().or(zone);
    Some(Point {
        abs: date.unwrap_or(0) * 1440 + minute - zone.map_or(0, |z| i64::from(z.offset)),
        dated: date.is_some(),
        zoned: zone.is_some(),
    })
}

fn entry_point(e: &timeline::Entry, zoned: bool) -> Point {
    Point {
        abs: e.abs,
        dated: e.dated,
        zoned: zoned || e.zone.is_some(),
    }
}

/// "From 13:14 to 13:58 UTC" in the summary: the start of impact.
fn summary_start(doc: &Document<'_>, layout: &Layout, v: &Compiled) -> Option<Stamp> {
    for leaf in &doc.leaves {
        if layout.kind(leaf.section) != SectionKind::Summary {
            continue;
        }
        let text = &doc.prose[leaf.norm.clone()];
        let lower = text.to_ascii_lowercase();
        let mut from = 0;
        while let Some((s, e)) = super::vocab::find_word(&lower[from..], "from", false) {
            let after = &text[from + e..];
            if let Some((mut stamp, used)) = v.leading_stamp(after) {
                let rest = after[used..].trim_start().to_lowercase();
                if ["to ", "until ", "till ", "through ", "and ", "–", "-"]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    if stamp.zone.is_none() {
                        // "From 13:14 to 13:58 UTC": the zone after the second time.
                        stamp.zone = v.find_stamp(&after[used..]).zone;
                    }
                    return Some(stamp);
                }
            }
            from += s + 4;
        }
    }
    None
}

fn first_match<'t>(tl: &'t Timeline, phrases: &Phrases, after: i64) -> Option<&'t timeline::Entry> {
    tl.entries
        .iter()
        .filter(|e| e.abs >= after)
        .find(|e| phrases.matches(&e.event))
}

/// Computes the metrics; places the timeline entries on the header's clock.
pub(crate) fn compute(
    doc: &Document<'_>,
    layout: &Layout,
    v: &Compiled,
    header: &Header,
    tl: &mut Timeline,
) -> Metrics {
    let mut m = Metrics::default();
    let stamp_of = |field: &str| header.get(field).map(|f| v.find_stamp(&f.value));
    let hd = stamp_of("detected").filter(|s| s.minute.is_some());
    let hr = stamp_of("resolved").filter(|s| s.minute.is_some());
    let hm = stamp_of("mitigated").filter(|s| s.minute.is_some());
    let hs = stamp_of("started").filter(|s| s.minute.is_some());
    let incident_date = header
        .get("date")
        .and_then(|f| v.find_date(&f.value))
        .or_else(|| hd.as_ref().and_then(|s| s.date))
        .or_else(|| hs.as_ref().and_then(|s| s.date))
        .or_else(|| hr.as_ref().and_then(|s| s.date));
    // The zone of the header times (one written zone applies to the others).
    let header_zone = [&hd, &hr, &hm, &hs]
        .iter()
        .find_map(|s| s.as_ref().and_then(|s| s.zone.clone()));
    let frame = tl.zone.clone().or_else(|| header_zone.clone());
    let hz = header_zone.clone().or_else(|| tl.zone.clone());

    timeline::place(tl, incident_date, frame.as_ref());
    let tl_zoned = frame.is_some();

    let hp = |s: &Option<Stamp>| {
        s.as_ref()
            .and_then(|s| point(s, incident_date, hz.as_ref()))
    };
    let mut detected = hp(&hd);
    let mut resolved = hp(&hr);
    let mitigated_h = hp(&hm);
    let started_h = hp(&hs);

    // Align an undated timeline with the header's date (it may start the day before).
    if let (Some(d), Some(first), Some(last)) = (detected, tl.entries.first(), tl.entries.last()) {
        if tl.entries.iter().all(|e| e.stamp.date.is_none()) {
            let (lo, hi) = (first.abs.min(last.abs), first.abs.max(last.abs));
            let dist = |shift: i64| {
                let (lo, hi) = (lo + shift, hi + shift);
                if d.abs < lo {
                    lo - d.abs
                } else if d.abs > hi {
                    d.abs - hi
                } else {
                    0
                }
            };
            let best = [0i64, -1440, 1440]
                .into_iter()
                .min_by_key(|s| dist(*s))
                .unwrap_or(0);
            if best != 0 {
                for e in &mut tl.entries {
                    e.abs += best;
                }
            }
        }
    }

    if detected.is_none() {
        detected = tl
            .entries
            .iter()
            .find(|e| v.detection.matches(&e.event))
            .map(|e| entry_point(e, tl_zoned));
    }
    let det_abs = detected.map_or(i64::MIN, |d| d.abs);
    if resolved.is_none() {
        resolved = tl
            .entries
            .iter()
            .rev()
            .find(|e| e.abs >= det_abs && v.resolution.matches(&e.event))
            .map(|e| entry_point(e, tl_zoned));
    }
    if let (Some(d), Some(r)) = (detected, resolved.as_mut()) {
        // An undated resolved time before detection is the next day.
        if !r.dated && r.abs < d.abs {
            r.abs += 1440;
        }
        m.computed_duration = Some(r.abs - d.abs).filter(|x| *x >= 0);
    }
    m.stated_duration = header
        .get("duration")
        .and_then(|f| v.parse_duration(&f.value));
    m.duration_mismatch =
        matches!((m.stated_duration, m.computed_duration), (Some(s), Some(c)) if (s - c).abs() > 1);

    m.started = started_h.or_else(|| {
        let d = detected?;
        tl.entries
            .iter()
            .filter(|e| e.abs <= d.abs)
            .find(|e| {
                !(e.abs == d.abs && v.detection.matches(&e.event)) && v.impact_began(&e.event)
            })
            .map(|e| entry_point(e, tl_zoned))
    });
    if m.started.is_none() {
        if let Some(s) = summary_start(doc, layout, v) {
            m.started = point(&s, incident_date, hz.as_ref().or(frame.as_ref()));
        }
    }
    if let Some(d) = detected {
        m.identified = first_match(tl, &v.identification, d.abs)
            .filter(|e| !v.detection.matches(&e.event) || e.abs > d.abs)
            .map(|e| entry_point(e, tl_zoned));
        m.mitigated = mitigated_h
            .or_else(|| {
                first_match(tl, &v.mitigation_explicit, d.abs).map(|e| entry_point(e, tl_zoned))
            })
            .or_else(|| {
                first_match(tl, &v.mitigation, d.abs)
                    .filter(|e| e.abs > d.abs)
                    .map(|e| entry_point(e, tl_zoned))
            })
            .or(resolved);
    }
    m.detected = detected;
    m.resolved = resolved;

    let written = header.get("written").and_then(|f| v.find_date(&f.value));
    m.days_to_write = written.zip(incident_date).map(|(w, i)| w - i);
    m
}
