//! Dates, clock times, zones and durations as postmortems write them.

use super::vocab::{Compiled, Zone};
use std::ops::Range;

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
    // Digits pushed by hand: this runs for every metric of every lint, and the formatting
    // machinery is a lot of code to bring into the instruction cache for it.
    let two = |out: &mut String, n: i64| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    let mut out = String::with_capacity(17);
    if date_known {
        let (y, m, d) = civil_from_days(day);
        if !(0..=9999).contains(&y) {
            return format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}{}",
                min / 60,
                min % 60,
                if zoned { "Z" } else { "" }
            );
        }
        two(&mut out, y / 100);
        two(&mut out, y % 100);
        out.push('-');
        two(&mut out, m.into());
        out.push('-');
        two(&mut out, d.into());
        out.push('T');
    }
    two(&mut out, min / 60);
    out.push(':');
    two(&mut out, min % 60);
    if date_known && zoned {
        out.push('Z');
    }
    out
}

/// Formats minutes as "1h 46m".
pub(crate) fn format_duration(min: i64) -> String {
    match (min / 60, min % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

/// Where the first `YYYY-MM-DD` of a text is: the whole date, the year, the month, the day.
pub(crate) struct IsoDate {
    pub whole: Range<usize>,
    pub y: Range<usize>,
    pub mo: Range<usize>,
    pub d: Range<usize>,
}

/// The first match of `iso_date_re` (`\b\d{4}-\d{2}-\d{2}\b`, ASCII `\b`) in `b`, when
/// every `\d` the text could hold is an ASCII digit: one look around each `-`.
fn iso_date_ascii(b: &[u8]) -> Option<IsoDate> {
    let word = |i: usize| ascii_word(b[i]);
    let digits = |r: Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    for q in memchr::memchr_iter(b'-', b) {
        // `q` is the first dash of a match starting four digits before it.
        let Some(s) = q.checked_sub(4) else {
            continue;
        };
        let e = q + 6;
        if digits(s..q)
            && digits(q + 1..q + 3)
            && b.get(q + 3) == Some(&b'-')
            && digits(q + 4..e)
            && (s == 0 || !word(s - 1))
            && (e == b.len() || !word(e))
        {
            return Some(IsoDate {
                whole: s..e,
                y: s..q,
                mo: q + 1..q + 3,
                d: q + 4..e,
            });
        }
    }
    None
}

impl Compiled {
    /// The first `YYYY-MM-DD` in `text` (the match of `iso_date_re`). The regex reads it
    /// only when the text holds a numeric character beyond ASCII (`\d` is any script's).
    pub fn iso_date(&self, text: &str) -> Option<IsoDate> {
        if text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
            return iso_date_ascii(text.as_bytes());
        }
        let c = self.iso_date_re.captures(text)?;
        let group = |name: &str| c.name(name).map(|m| m.range());
        Some(IsoDate {
            whole: c.get(0)?.range(),
            y: group("y")?,
            mo: group("mo")?,
            d: group("d")?,
        })
    }

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
        if let Some(date) = self.iso_date(text) {
            let y = text[date.y].parse().ok();
            let m = text[date.mo].parse().ok();
            let d = text[date.d].parse().ok();
            consider(
                date.whole.start,
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
        let parts = match self.clock.leading(text, skip) {
            Ok(parts) => parts?,
            // Text the fast reader cannot decide alone (a numeric character beyond ASCII
            // where the pattern allows a digit): the regex, which it mirrors.
            Err(Undecided) => {
                let c = self.time_re.captures_at(text, skip)?;
                let parts = StampParts::of(&c);
                if parts.start != skip {
                    return None;
                }
                parts
            }
        };
        let stamp = self.stamp_from(&parts)?;
        Some((stamp, parts.end))
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
            if let Some(s) = self.stamp_from(&StampParts::of(&c)) {
                stamp = s;
                break;
            }
        }
        if stamp.date.is_none() {
            stamp.date = self.find_date(text);
        }
        stamp
    }

    fn stamp_from(&self, c: &StampParts<'_>) -> Option<Stamp> {
        let mut h: i64 = c.h.parse().ok()?;
        let m: i64 = c.m.parse().ok()?;
        if m > 59 {
            return None;
        }
        let ampm = c.ampm.map(str::to_lowercase);
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
        let date = c.date.and_then(|s| {
            // `\d` matches any Unicode digit: slice with `get`, never inside a character.
            days_from_civil(
                s.get(..4)?.parse().ok()?,
                s.get(5..7)?.parse().ok()?,
                s.get(8..10)?.parse().ok()?,
            )
        });
        let zone = c.zone.and_then(|z| self.zone(z));
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

    /// The regex's match starting exactly at `at`, as parts.
    fn by_regex<'t>(v: &Compiled, text: &'t str, at: usize) -> Option<StampParts<'t>> {
        let c = v.time_re.captures_at(text, at)?;
        Some(StampParts::of(&c)).filter(|p| p.start == at)
    }

    #[test]
    fn the_clock_reads_common_timeline_lines_without_the_regex() {
        let v = v();
        for line in [
            "14:02 — deploy starts",
            "2026-03-04 14:02 UTC: alert fires",
            "2026-03-04T14:02Z page",
            "09:41:07.250 AM (PST) – x",
            "9:41 p.m. CEST+02:00 x",
            "14:02 UTC−05:00 é",
            "12:00",
            "3. Not a time",
        ] {
            let fast = v.clock.leading(line, 0);
            assert_eq!(fast, Ok(by_regex(&v, line, 0)), "{line}");
        }
        assert_eq!(v.clock.leading("14:0٣", 0), Err(Undecided));
        // Not numeric: decided without the regex.
        assert_eq!(v.clock.leading("14:0é", 0), Ok(None));
    }

    mod clock_agrees {
        use super::*;
        use proptest::prelude::*;

        fn one(options: &[&'static str]) -> impl Strategy<Value = &'static str> {
            prop::sample::select(options.to_vec())
        }

        /// Text shaped like the pattern, part by part, with near misses in every part.
        fn stampish() -> impl Strategy<Value = String> {
            let date = one(&["", "", "2026-03-04", "2026-3-04", "2026-03-0٣", "12"]);
            let sep = one(&["", "T", " ", "\u{a0}", ", ", ",", "\t\n", "x"]);
            let hm = one(&[
                "14:02", "9:41", "9", "123:45", "1:2", "14:0٣", "14:0é", ":30",
            ]);
            let secs = one(&["", "", ":07", ":07.250", ":07.", ":7", ":0٣", ".5"]);
            let gaps: &[&'static str] = &["", " ", "  ", "\u{2003}", "\n"];
            let gap = one(gaps);
            let ampm = one(&[
                "", "", "am", "PM", "p.m.", "A.M.", "amx", "a.m", "p", "m", "am_",
            ]);
            let zone = one(&[
                "",
                "",
                "UTC",
                "PST",
                "(UTC)",
                "(PST",
                "(XYZ)",
                "Z",
                "Zx",
                "ZST",
                "GMT",
                "+05:30",
                "-0800",
                "+05:3",
                "+5",
                "UTC+1",
                "UTC +05:30",
                "CEST-2:00",
                "UTC+01x",
                "UTCx",
                "CET+1",
                "UTC+1:",
                "(",
                "UTC+٣",
            ]);
            let tail = one(&["", " — x", "x", "_", "é", "9", ":", ".", "٣", " (", "—"]);
            (date, sep, hm, secs, gap, ampm, one(gaps), zone, tail).prop_map(
                |(d, s, hm, sec, g1, a, g2, z, t)| [d, s, hm, sec, g1, a, g2, z, t].concat(),
            )
        }

        fn piece() -> impl Strategy<Value = &'static str> {
            one(&[
                "1",
                "2",
                "12",
                "59",
                "0",
                "9",
                "2026-03-04",
                ":",
                ".",
                " ",
                "\u{a0}",
                "T",
                ",",
                "-",
                "+",
                "am",
                "p.m.",
                "a",
                "m",
                "UTC",
                "(UTC)",
                "(",
                ")",
                "Z",
                "x",
                "_",
                "é",
                "—",
                "٣",
                "½",
            ])
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]
            /// Wherever the hand reader decides, it finds the regex's match: the same span
            /// and the same groups.
            #[test]
            fn with_the_regex(
                prefix in one(&["", "- ", "x", "9", "**"]),
                shaped in stampish(),
                pieces in prop::collection::vec(piece(), 0..8),
                loose in any::<bool>(),
            ) {
                static V: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(v);
                let v = &*V;
                let body = if loose { pieces.concat() } else { shaped };
                let text = format!("{prefix}{body}");
                let at = prefix.len();
                if let Ok(fast) = v.clock.leading(&text, at) {
                    prop_assert_eq!(fast, by_regex(v, &text, at), "{:?}", text);
                }
            }
        }
    }

    mod iso_dates {
        use super::*;
        use proptest::prelude::*;

        fn by_regex(v: &Compiled, text: &str) -> Option<[Range<usize>; 4]> {
            let c = v.iso_date_re.captures(text)?;
            let g = |n: &str| c.name(n).unwrap().range();
            Some([c.get(0).unwrap().range(), g("y"), g("mo"), g("d")])
        }

        fn fast(v: &Compiled, text: &str) -> Option<[Range<usize>; 4]> {
            v.iso_date(text).map(|d| [d.whole, d.y, d.mo, d.d])
        }

        #[test]
        fn dates_and_near_misses() {
            let v = v();
            for text in [
                "due 2026-12-01.",
                "2026-12-01",
                "x2026-12-01 then 2026-12-02",
                "12026-12-01, 2026-12-011, 2026-12-01_x, v2026-1-01 2026-01-02",
                "2026-١٢-01 and 2026-12-01",
                "٢٠٢٦-12-01",
                "ábc 2026-03-04—then",
                "no date",
                "----",
            ] {
                assert_eq!(fast(&v, text), by_regex(&v, text), "{text:?}");
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]
            /// The same match and groups as the regex on text of digits, dashes and their
            /// neighbours.
            #[test]
            fn with_the_regex(pieces in prop::collection::vec(prop::sample::select(vec![
                "2026", "12", "1", "0", "-", "--", " ", "x", "_", "é", "—", "٣", "３", "2026-12-01",
            ]), 0..12)) {
                static V: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(v);
                let text = pieces.concat();
                prop_assert_eq!(fast(&V, &text), by_regex(&V, &text), "{:?}", text);
            }
        }
    }

    #[test]
    fn format_abs_writes_what_format_would() {
        fn reference(abs: i64, date_known: bool, zoned: bool) -> String {
            let (day, min) = (abs.div_euclid(1440), abs.rem_euclid(1440));
            let hm = format!("{:02}:{:02}", min / 60, min % 60);
            if !date_known {
                return hm;
            }
            let (y, m, d) = civil_from_days(day);
            format!("{y:04}-{m:02}-{d:02}T{hm}{}", if zoned { "Z" } else { "" })
        }
        // Days around the epoch, the years 0, 999, 1000, 9999 and 10000, and before year 0.
        for day in [
            -800_000, -719_469, -719_468, -1, 0, 1, 20_512, 2_932_896, 2_932_897,
        ] {
            for min in [0, 7, 59, 60, 61, 719, 1439] {
                for (date_known, zoned) in [(false, false), (true, false), (true, true)] {
                    let abs = day * 1440 + min;
                    assert_eq!(
                        format_abs(abs, date_known, zoned),
                        reference(abs, date_known, zoned),
                        "{abs}"
                    );
                }
            }
        }
        assert_eq!(
            format_abs(20_512 * 1440 + 61, true, true),
            "2026-02-28T01:01Z"
        );
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

/// What the clock-time pattern (`Compiled::time_re`) captures, from the regex or from
/// [`Clock::leading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StampParts<'t> {
    pub start: usize,
    pub end: usize,
    pub date: Option<&'t str>,
    pub h: &'t str,
    pub m: &'t str,
    pub ampm: Option<&'t str>,
    /// The zone, written bare or in parentheses.
    pub zone: Option<&'t str>,
}

impl<'t> StampParts<'t> {
    fn of(c: &regex::Captures<'t>) -> StampParts<'t> {
        let whole = c.get(0).expect("group 0 is always set");
        let get = |n: &str| c.name(n).map(|m| m.as_str());
        StampParts {
            start: whole.start(),
            end: whole.end(),
            date: get("date"),
            h: get("h").unwrap_or(""),
            m: get("m").unwrap_or(""),
            ampm: get("ampm"),
            zone: get("zone").or_else(|| get("pzone")),
        }
    }
}

/// The fast reader cannot tell without the regex (see [`Clock::leading`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Undecided;

/// A hand-written reader of the clock-time pattern anchored at one place: the same match
/// as `time_re` there, for a timeline line, without the regex engine (a property test
/// holds the two together).
///
/// White space beyond ASCII is read as the regex reads it (`char::is_whitespace` is the
/// same property as `\s`). Where the pattern allows a digit (`\d`, any Unicode decimal
/// digit) and the text has a numeric character beyond ASCII, it answers [`Undecided`] and
/// the caller asks the regex.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    /// The zone abbreviations in the regex's alternation order (longest first).
    zones: Vec<String>,
    /// Every zone is ASCII, so the regex's word boundaries after zones are ASCII ones.
    ascii: bool,
}

type Read<T> = Result<T, Undecided>;

/// A word byte of the regex's ASCII `\b` (`(?-u:\b)`).
pub(crate) fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Clock {
    /// `zones` as `alternation` orders them in the regex.
    pub(crate) fn new(zones: Vec<String>) -> Clock {
        let ascii = zones.iter().all(|z| z.is_ascii());
        Clock { zones, ascii }
    }

    /// The match of the time pattern starting exactly at `at`, if any.
    pub(crate) fn leading<'t>(&self, text: &'t str, at: usize) -> Read<Option<StampParts<'t>>> {
        if !self.ascii {
            return Err(Undecided);
        }
        let r = Reader {
            b: text.as_bytes(),
            text,
        };
        let mut parts = None;
        // `(?:(?P<date>\d{4}-\d{2}-\d{2})(?:T|\s+|,\s*))?` then the hour.
        if let Some((date_end, after)) = r.date(at)? {
            if let Some(p) = r.hm(after)? {
                parts = Some((Some(&text[at..date_end]), p));
            }
        }
        if parts.is_none() {
            parts = r.hm(at)?.map(|p| (None, p));
        }
        let Some((date, (h, m, mut end))) = parts else {
            return Ok(None);
        };
        end = r.seconds(end)?;
        let (ampm, e) = r.ampm(end)?;
        end = e;
        let (zone, e) = self.zone(&r, end)?;
        end = e;
        Ok(Some(StampParts {
            start: at,
            end,
            date,
            h,
            m,
            ampm,
            zone,
        }))
    }

    /// `(?:\s*(?:\((?P<pzone>Z)\)|(?P<zone>Z\b|[+-]\d{2}:?\d{2}\b|Z(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\b)))?`
    /// where `Z` in italics is the zone alternation and the first `Z\b` a literal `Z`.
    fn zone<'t>(&self, r: &Reader<'t>, at: usize) -> Read<(Option<&'t str>, usize)> {
        let j = r.spaces(at);
        let b = r.b;
        // Most zones differ from the text in their first byte: compare that before the rest.
        let may_start =
            |z: &str, at: usize| z.as_bytes().first().is_none_or(|f| b.get(at) == Some(f));
        if b.get(j) == Some(&b'(') {
            for z in self.zones.iter().filter(|z| may_start(z, j + 1)) {
                let e = j + 1 + z.len();
                if b[j + 1..].starts_with(z.as_bytes()) && b.get(e) == Some(&b')') {
                    return Ok((Some(&r.text[j + 1..e]), e + 1));
                }
            }
            return Ok((None, at));
        }
        if b.get(j) == Some(&b'Z') && r.boundary(j + 1) {
            return Ok((Some(&r.text[j..j + 1]), j + 1));
        }
        if matches!(b.get(j), Some(b'+' | b'-')) && r.digits(j + 1, 2)? {
            let k = j + 3;
            if b.get(k) == Some(&b':') && r.digits(k + 1, 2)? && r.boundary(k + 3) {
                return Ok((Some(&r.text[j..k + 3]), k + 3));
            }
            if r.digits(k, 2)? && r.boundary(k + 2) {
                return Ok((Some(&r.text[j..k + 2]), k + 2));
            }
        }
        for z in self.zones.iter().filter(|z| may_start(z, j)) {
            if !b[j..].starts_with(z.as_bytes()) {
                continue;
            }
            let k = j + z.len();
            if let Some(e) = r.offset(k)? {
                return Ok((Some(&r.text[j..e]), e));
            }
            if r.boundary(k) {
                return Ok((Some(&r.text[j..k]), k));
            }
        }
        Ok((None, at))
    }
}

/// Byte-level reads for [`Clock::leading`].
struct Reader<'t> {
    b: &'t [u8],
    text: &'t str,
}

impl<'t> Reader<'t> {
    /// The character at byte `i` (a char boundary) when it is beyond ASCII.
    fn wide(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next().filter(|c| !c.is_ascii())
    }

    /// A digit at `i`. Undecided on a numeric character beyond ASCII, which may or may not
    /// be a decimal digit (`\d`).
    fn digit(&self, i: usize) -> Read<bool> {
        match self.b.get(i) {
            Some(c) if c.is_ascii_digit() => Ok(true),
            Some(c) if !c.is_ascii() && self.wide(i).is_some_and(char::is_numeric) => {
                Err(Undecided)
            }
            _ => Ok(false),
        }
    }

    /// The length of the white-space character (`\s`) at `i`, if there is one.
    fn space(&self, i: usize) -> Option<usize> {
        match self.b.get(i) {
            Some(&c) if c.is_ascii() => (c as char).is_whitespace().then_some(1),
            Some(_) => self
                .wide(i)
                .filter(|c| c.is_whitespace())
                .map(char::len_utf8),
            None => None,
        }
    }

    /// `n` ASCII digits from `i`.
    fn digits(&self, i: usize, n: usize) -> Read<bool> {
        for k in i..i + n {
            if !self.digit(k)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// After `\s*` from `i`.
    fn spaces(&self, mut i: usize) -> usize {
        while let Some(n) = self.space(i) {
            i += n;
        }
        i
    }

    /// An ASCII word boundary (`(?-u:\b)`) at `i`, which follows at least one byte.
    fn boundary(&self, i: usize) -> bool {
        let before = i > 0 && ascii_word(self.b[i - 1]);
        let after = self.b.get(i).is_some_and(|&c| ascii_word(c));
        before != after
    }

    /// `\d{4}-\d{2}-\d{2}` at `i`, then `T|\s+|,\s*`: the date's end and where the hour starts.
    fn date(&self, i: usize) -> Read<Option<(usize, usize)>> {
        let b = self.b;
        let shape = self.digits(i, 4)?
            && b.get(i + 4) == Some(&b'-')
            && self.digits(i + 5, 2)?
            && b.get(i + 7) == Some(&b'-')
            && self.digits(i + 8, 2)?;
        if !shape {
            return Ok(None);
        }
        let e = i + 10;
        let after = match b.get(e) {
            Some(b'T') => e + 1,
            Some(b',') => self.spaces(e + 1),
            _ if self.space(e).is_some() => self.spaces(e),
            _ => return Ok(None),
        };
        Ok(Some((e, after)))
    }

    /// `(?P<h>\d{1,2}):(?P<m>\d{2})` at `i`.
    fn hm(&self, i: usize) -> Read<Option<(&'t str, &'t str, usize)>> {
        if !self.digit(i)? {
            return Ok(None);
        }
        let colon = if self.digit(i + 1)? && self.b.get(i + 2) == Some(&b':') {
            i + 2
        } else if self.b.get(i + 1) == Some(&b':') {
            i + 1
        } else {
            return Ok(None);
        };
        if !self.digits(colon + 1, 2)? {
            return Ok(None);
        }
        let e = colon + 3;
        Ok(Some((&self.text[i..colon], &self.text[colon + 1..e], e)))
    }

    /// `(?::(?P<s>\d{2})(?:\.\d+)?)?` at `i`: where it ends.
    fn seconds(&self, i: usize) -> Read<usize> {
        if self.b.get(i) != Some(&b':') || !self.digits(i + 1, 2)? {
            return Ok(i);
        }
        let mut e = i + 3;
        if self.b.get(e) == Some(&b'.') && self.digit(e + 1)? {
            e += 1;
            while self.digit(e)? {
                e += 1;
            }
        }
        Ok(e)
    }

    /// `(?:\s*(?P<ampm>(?i:[ap]\.m\.|[ap]m\b)))?` at `i`.
    fn ampm(&self, i: usize) -> Read<(Option<&'t str>, usize)> {
        let j = self.spaces(i);
        let b = self.b;
        let is = |k: usize, set: &[u8]| b.get(k).is_some_and(|c| set.contains(c));
        if is(j, b"aApP") {
            if is(j + 1, b".") && is(j + 2, b"mM") && is(j + 3, b".") {
                return Ok((Some(&self.text[j..j + 4]), j + 4));
            }
            if is(j + 1, b"mM") && self.boundary(j + 2) {
                return Ok((Some(&self.text[j..j + 2]), j + 2));
            }
        }
        Ok((None, i))
    }

    /// `\s*[+-]\d{1,2}(?::?\d{2})?` followed by an ASCII word boundary, at `i`: the first
    /// end the regex would try that has the boundary.
    fn offset(&self, i: usize) -> Read<Option<usize>> {
        let j = self.spaces(i);
        if !matches!(self.b.get(j), Some(b'+' | b'-')) || !self.digit(j + 1)? {
            return Ok(None);
        }
        // `\d{1,2}` is greedy: two digits first, then one.
        let two = self.digit(j + 2)?;
        for h in [j + 3, j + 2].into_iter().filter(|&h| two || h == j + 2) {
            if self.b.get(h) == Some(&b':') && self.digits(h + 1, 2)? && self.boundary(h + 3) {
                return Ok(Some(h + 3));
            }
            if self.digits(h, 2)? && self.boundary(h + 2) {
                return Ok(Some(h + 2));
            }
            if self.boundary(h) {
                return Ok(Some(h));
            }
        }
        Ok(None)
    }
}
