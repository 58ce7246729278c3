//! Dates, clock times, zones and durations as postmortems write them.

use super::vocab::{Compiled, Zone};

/// A point in time as far as the text tells it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Stamp {
    /// Local date, as days since 1970-01-01.
    pub date: Option<i64>,
    /// Local minute of the day.
    pub minute: Option<i64>,
    /// The zone written with the time.
    pub zone: Option<Zone>,
    /// Written with am/pm.
    pub ampm: bool,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > 31 {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The civil date of a day number.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats an absolute minute (days*1440 + minute, UTC when `utc`) per SPEC: ISO when
/// the date is known, `HH:MM` otherwise.
pub(crate) fn format_abs(abs: i64, date_known: bool, zoned: bool) -> String {
    let day = abs.div_euclid(1440);
    let min = abs.rem_euclid(1440);
    let hm = format!("{:02}:{:02}", min / 60, min % 60);
    if date_known {
        let (y, m, d) = civil_from_days(day);
        format!("{y:04}-{m:02}-{d:02}T{hm}{}", if zoned { "Z" } else { "" })
    } else {
        hm
    }
}

/// Formats minutes as "1h 46m".
pub(crate) fn format_duration(min: i64) -> String {
    match (min / 60, min % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

impl Compiled {
    /// The first full date (with a year) in `text`.
    pub fn find_date(&self, text: &str) -> Option<i64> {
        // Every date form has a digit.
        if !text.chars().any(char::is_numeric) {
            return None;
        }
        let mut best: Option<(usize, i64)> = None;
        let mut consider = |pos: usize, day: Option<i64>| {
            if let Some(day) = day {
                if best.is_none_or(|b| pos < b.0) {
                    best = Some((pos, day));
                }
            }
        };
        if let Some(c) = self.iso_date_re.captures(text) {
            let y = c["y"].parse().ok();
            let m = c["mo"].parse().ok();
            let d = c["d"].parse().ok();
            consider(
                c.get(0).map_or(0, |m| m.start()),
                y.zip(m)
                    .zip(d)
                    .and_then(|((y, m), d)| days_from_civil(y, m, d)),
            );
        }
        for r in [&self.mdy_re, &self.dmy_re] {
            for c in r.captures_iter(text) {
                if let (Some(y), Some(mon)) = (c.name("y"), self.month(&c["mon"])) {
                    let day = y
                        .as_str()
                        .parse()
                        .ok()
                        .zip(c["d"].parse().ok())
                        .and_then(|(y, d)| days_from_civil(y, mon, d));
                    consider(c.get(0).map_or(0, |m| m.start()), day);
                    break;
                }
            }
        }
        best.map(|b| b.1)
    }

    /// Whether `text` names a date at all, with or without a year ("Dec 10", "2026-12-10").
    pub fn has_date(&self, text: &str) -> bool {
        self.iso_date_re.is_match(text)
            || self
                .mdy_re
                .captures_iter(text)
                .any(|c| c["d"].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)))
            || self
                .dmy_re
                .captures_iter(text)
                .any(|c| c["d"].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)))
    }

    /// A time at the very start of `text` (after markup), with the byte length it takes.
    pub fn leading_stamp(&self, text: &str) -> Option<(Stamp, usize)> {
        let skip = text.len()
            - text
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '*' | '_' | '`' | '[' | '(')
                })
                .len();
        // The stamp starts with a digit (`\d`): most lines are not timeline entries.
        if !text[skip..].chars().next().is_some_and(char::is_numeric) {
            return None;
        }
        let c = self.time_re.captures_at(text, skip)?;
        let m = c.get(0)?;
        if m.start() != skip {
            return None;
        }
        let stamp = self.stamp_from(&c)?;
        Some((stamp, m.end()))
    }

    /// A date and a time anywhere in `text` ("2026-03-04 14:04 UTC", "9:41 AM EST").
    pub fn find_stamp(&self, text: &str) -> Stamp {
        let mut stamp = Stamp::default();
        for c in self.time_re.captures_iter(text) {
            // Skip a match glued to other digits or letters ("v1:2", "10:30am-ish" is fine).
            let start = c.get(0).map_or(0, |m| m.start());
            if text[..start]
                .chars()
                .next_back()
                .is_some_and(|ch| ch.is_alphanumeric() || ch == ':' || ch == '.')
            {
                continue;
            }
            if let Some(s) = self.stamp_from(&c) {
                stamp = s;
                break;
            }
        }
        if stamp.date.is_none() {
            stamp.date = self.find_date(text);
        }
        stamp
    }

    fn stamp_from(&self, c: &regex::Captures<'_>) -> Option<Stamp> {
        let mut h: i64 = c["h"].parse().ok()?;
        let m: i64 = c["m"].parse().ok()?;
        if m > 59 {
            return None;
        }
        let ampm = c.name("ampm").map(|a| a.as_str().to_lowercase());
        if let Some(a) = &ampm {
            if !(1..=12).contains(&h) {
                return None;
            }
            let pm = a.starts_with('p');
            h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        } else if h > 24 {
            return None;
        }
        let h = h % 24;
        let date = c.name("date").and_then(|d| {
            // `\d` matches any Unicode digit: slice with `get`, never inside a character.
            let s = d.as_str();
            days_from_civil(
                s.get(..4)?.parse().ok()?,
                s.get(5..7)?.parse().ok()?,
                s.get(8..10)?.parse().ok()?,
            )
        });
        let zone = c
            .name("zone")
            .or_else(|| c.name("pzone"))
            .and_then(|z| self.zone(z.as_str()));
        Some(Stamp {
            date,
            minute: Some(h * 60 + m),
            zone,
            ampm: ampm.is_some(),
        })
    }

    /// A stated duration in minutes: "1h 46m", "106 minutes", "1:46"; `None` when vague
    /// ("about two hours") or absent.
    pub fn parse_duration(&self, text: &str) -> Option<i64> {
        let lower = text.to_lowercase();
        if self.vague.matches(&lower) {
            return None;
        }
        if let Some(c) = self.hmm_re.captures(&lower) {
            let h: i64 = c["h"].parse().ok()?;
            let m: i64 = c["m"].parse().ok()?;
            return (m < 60).then_some(h * 60 + m);
        }
        let mut seconds = 0f64;
        let mut found = false;
        let mut last_end = None;
        for c in self.duration_re.captures_iter(&lower) {
            let whole = c.get(0)?;
            // Parts must follow one another ("2h 30m", "1 hour and 15 minutes").
            if let Some(end) = last_end {
                let gap = lower[end..whole.start()]
                    .trim_matches(|ch: char| ch.is_whitespace() || ch == ',');
                if !(gap.is_empty() || gap == "and") {
                    break;
                }
            }
            let n: f64 = c["n"].parse().ok()?;
            let unit = *self.units.get(&c["u"].to_lowercase())?;
            seconds += n * unit as f64;
            found = true;
            last_end = Some(whole.end());
        }
        found.then(|| (seconds / 60.0).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v() -> Compiled {
        Compiled::parse("structure.toml", super::super::vocab::BUILTIN_STRUCTURE).unwrap()
    }

    #[test]
    fn civil_round_trip() {
        let d = days_from_civil(2026, 3, 4).unwrap();
        assert_eq!(civil_from_days(d), (2026, 3, 4));
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(
            days_from_civil(2026, 2, 26).unwrap() - days_from_civil(2026, 2, 2).unwrap(),
            24
        );
    }

    #[test]
    fn durations() {
        let v = v();
        assert_eq!(v.parse_duration("1h 46m"), Some(106));
        assert_eq!(v.parse_duration("106 minutes"), Some(106));
        assert_eq!(v.parse_duration("1:46"), Some(106));
        assert_eq!(v.parse_duration("about two hours"), None);
        assert_eq!(v.parse_duration("about 2 hours"), None);
        assert_eq!(v.parse_duration("2 hours 5 minutes"), Some(125));
        assert_eq!(v.parse_duration("1 hour and 15 minutes"), Some(75));
        assert_eq!(v.parse_duration("45 min"), Some(45));
        assert_eq!(v.parse_duration("52m"), Some(52));
        assert_eq!(v.parse_duration("1.5 hours"), Some(90));
        assert_eq!(v.parse_duration("two hours"), None);
    }

    #[test]
    fn clock_times_and_zones() {
        let v = v();
        let (s, _) = v.leading_stamp("9:41 AM — alert").unwrap();
        assert_eq!(
            (s.minute, s.ampm, s.zone.is_none()),
            (Some(9 * 60 + 41), true, true)
        );
        let (s, _) = v.leading_stamp("12:05 am x").unwrap();
        assert_eq!(s.minute, Some(5));
        let (s, _) = v.leading_stamp("12:30 p.m. x").unwrap();
        assert_eq!(s.minute, Some(12 * 60 + 30));
        let (s, _) = v.leading_stamp("2:15 PM EST — x").unwrap();
        assert_eq!(
            (s.minute, s.zone.map(|z| z.offset)),
            (Some(14 * 60 + 15), Some(-300))
        );
        let (s, _) = v.leading_stamp("08:50 CET — x").unwrap();
        assert_eq!(s.zone.unwrap().offset, 60);
        let (s, _) = v.leading_stamp("**14:06:33 UTC** x").unwrap();
        assert!(s.zone.unwrap().utc);
        let (s, _) = v.leading_stamp("2026-06-13T21:35Z — x").unwrap();
        assert_eq!(
            (s.date, s.minute),
            (days_from_civil(2026, 6, 13), Some(21 * 60 + 35))
        );
        assert!(s.zone.unwrap().utc);
        let (s, _) = v.leading_stamp("2026-06-13T21:35:00+02:00 x").unwrap();
        assert_eq!(s.zone.unwrap().offset, 120);
        let (s, _) = v.leading_stamp("10:00 UTC+2 x").unwrap();
        assert_eq!(s.zone.as_ref().unwrap().offset, 120);
        assert!(!s.zone.unwrap().utc);
        assert!(v.leading_stamp("Zookeeper at 10:00").is_none());
        let (s, _) = v.leading_stamp("21:35 Zookeeper restarts").unwrap();
        assert!(s.zone.is_none());
        assert!(v.leading_stamp("25:61 x").is_none());
    }

    #[test]
    fn header_stamps_and_dates() {
        let v = v();
        let s = v.find_stamp("2026-02-02 06:10 UTC");
        assert_eq!((s.date, s.minute), (days_from_civil(2026, 2, 2), Some(370)));
        let s = v.find_stamp("9:41 AM EST");
        assert_eq!(
            (s.date, s.minute, s.zone.map(|z| z.offset)),
            (None, Some(581), Some(-300))
        );
        assert_eq!(
            v.find_date("Wednesday, January 14, 2026"),
            days_from_civil(2026, 1, 14)
        );
        assert_eq!(v.find_date("14 Jan 2026"), days_from_civil(2026, 1, 14));
        assert_eq!(v.find_date("Dec 10"), None);
        assert!(v.has_date("Dec 10"));
        assert!(v.has_date("10 Dec 2026"));
        assert!(!v.has_date("21 days out"));
        assert_eq!(
            format_abs(
                days_from_civil(2026, 3, 4).unwrap() * 1440 + 14 * 60 + 4,
                true,
                true
            ),
            "2026-03-04T14:04Z"
        );
        assert_eq!(format_abs(-10, false, true), "23:50");
        assert_eq!(format_duration(106), "1h 46m");
    }
}
