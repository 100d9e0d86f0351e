//! Time-zone maths: reading organisers' local times and showing instants in Beijing time
//! and in the reader's own zone, in the reader's language.

use crate::lang::Lang;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Beijing time (China Standard Time, UTC+8 all year).
pub const BEIJING: Tz = chrono_tz::Asia::Shanghai;

/// The calendar day an instant falls on in Beijing, where the agency sets its dates (a
/// policy's validity, a task's due day, a survey's sending day).
pub fn beijing_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&BEIJING).date_naive()
}

/// The zone a reader most likely lives in when the browser has not told us, by language:
/// German and French readers in Central Europe, Chinese readers in Beijing, English in UTC.
pub fn default_zone(lang: Lang) -> Tz {
    match lang {
        Lang::De => chrono_tz::Europe::Berlin,
        Lang::Fr => chrono_tz::Europe::Paris,
        Lang::Zh => BEIJING,
        Lang::En => chrono_tz::UTC,
    }
}

/// Reads `YYYY-MM-DDTHH:MM[:SS]` as a wall-clock time in `zone` (the form of an HTML
/// `datetime-local` field), or an RFC 3339 instant. A wall-clock time that a DST change
/// skips is rejected; one it repeats takes the earlier instant.
pub fn parse_local_or_rfc3339(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(instant.with_timezone(&Utc));
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The years an event, a session or a date in the directory may fall in: an instant
/// outside them is a typing error (`0000`, `20266`), and the calendar, time-zone and
/// database layers all handle this range alike.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether `instant` lies in [`SUPPORTED_YEARS`].
pub fn in_supported_range(instant: DateTime<Utc>) -> bool {
    SUPPORTED_YEARS.contains(&instant.year())
}

/// The value an HTML `datetime-local` field shows for `instant` in `zone`.
pub fn to_local_input(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// "UTC+8", "UTC+1", "UTC+5:30", "UTC".
pub fn utc_offset_label(instant: DateTime<Utc>, zone: Tz) -> String {
    let seconds = instant
        .with_timezone(&zone)
        .offset()
        .fix()
        .local_minus_utc();
    if seconds == 0 {
        return "UTC".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    if minutes % 60 == 0 {
        format!("UTC{sign}{}", minutes / 60)
    } else {
        format!("UTC{sign}{}:{:02}", minutes / 60, minutes % 60)
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const WEEKDAYS_DE: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const WEEKDAYS_ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// A date as a reader of `lang` writes it: "Di. 1. Dezember 2026", "Tue 1 December 2026",
/// "mar. 1 décembre 2026", "2026年12月1日 周二".
pub fn format_date(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let local = instant.with_timezone(&zone);
    let day = local.day();
    let month = local.month0() as usize;
    let weekday = local.weekday().num_days_from_monday() as usize;
    let year = local.year();
    match lang {
        Lang::De => format!(
            "{} {day}. {} {year}",
            WEEKDAYS_DE[weekday], MONTHS_DE[month]
        ),
        Lang::En => format!("{} {day} {} {year}", WEEKDAYS_EN[weekday], MONTHS_EN[month]),
        Lang::Fr => format!("{} {day} {} {year}", WEEKDAYS_FR[weekday], MONTHS_FR[month]),
        Lang::Zh => format!("{year}年{}月{day}日 {}", month + 1, WEEKDAYS_ZH[weekday]),
    }
}

/// A date as a dateline gives it, without the weekday: "2. Dezember 2026",
/// "2 December 2026", "2 décembre 2026", "2026年12月2日".
pub fn format_long_date(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let local = instant.with_timezone(&zone);
    let (day, month, year) = (local.day(), local.month0() as usize, local.year());
    match lang {
        Lang::De => format!("{day}. {} {year}", MONTHS_DE[month]),
        Lang::En => format!("{day} {} {year}", MONTHS_EN[month]),
        // The first of the month is "1er" in French.
        Lang::Fr if day == 1 => format!("1er {} {year}", MONTHS_FR[month]),
        Lang::Fr => format!("{day} {} {year}", MONTHS_FR[month]),
        Lang::Zh => format!("{year}年{}月{day}日", month + 1),
    }
}

/// A date in a table cell, short as a reader of `lang` writes it: "01.12.2026",
/// "1 Dec 2026", "01/12/2026", "2026年12月1日".
pub fn format_short_date(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let local = instant.with_timezone(&zone);
    let (d, m, y) = (local.day(), local.month(), local.year());
    match lang {
        Lang::De => format!("{d:02}.{m:02}.{y}"),
        Lang::En => format!("{d} {} {y}", &MONTHS_EN[m as usize - 1][..3]),
        Lang::Fr => format!("{d:02}/{m:02}/{y}"),
        Lang::Zh => format!("{y}年{m}月{d}日"),
    }
}

/// "15:00" in `zone`, 24-hour clock in all four languages.
pub fn format_clock(instant: DateTime<Utc>, zone: Tz) -> String {
    let local = instant.with_timezone(&zone);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Date and time: "Di. 1. Dezember 2026, 15:00".
pub fn format_datetime(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let sep = if lang == Lang::Zh { " " } else { ", " };
    format!(
        "{}{sep}{}",
        format_date(instant, zone, lang),
        format_clock(instant, zone)
    )
}

/// Whether the instant falls on another calendar day in `zone` than in Beijing, so that
/// a page can say so next to a clock time.
pub fn day_differs(instant: DateTime<Utc>, zone: Tz) -> bool {
    instant.with_timezone(&zone).date_naive() != beijing_date(instant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn beijing_and_berlin_differ_by_seven_or_six_hours() {
        let winter = parse_local_or_rfc3339("2026-12-01T15:00", BEIJING).unwrap();
        assert_eq!(format_clock(winter, chrono_tz::Europe::Berlin), "08:00");
        assert_eq!(utc_offset_label(winter, chrono_tz::Europe::Berlin), "UTC+1");
        let summer = parse_local_or_rfc3339("2026-07-01T15:00", BEIJING).unwrap();
        assert_eq!(format_clock(summer, chrono_tz::Europe::Berlin), "09:00");
        assert_eq!(utc_offset_label(summer, BEIJING), "UTC+8");
        assert_eq!(
            utc_offset_label(summer, chrono_tz::Asia::Kolkata),
            "UTC+5:30"
        );
    }

    #[test]
    fn dates_read_naturally() {
        let t = parse_local_or_rfc3339("2026-12-01T15:00", BEIJING).unwrap();
        assert_eq!(format_date(t, BEIJING, Lang::De), "Di. 1. Dezember 2026");
        assert_eq!(format_date(t, BEIJING, Lang::Zh), "2026年12月1日 周二");
        assert_eq!(format_short_date(t, BEIJING, Lang::De), "01.12.2026");
        assert_eq!(format_short_date(t, BEIJING, Lang::En), "1 Dec 2026");
        assert_eq!(format_short_date(t, BEIJING, Lang::Fr), "01/12/2026");
        // A dateline's date: no weekday; the first of the month is "1er" in French.
        assert_eq!(format_long_date(t, BEIJING, Lang::De), "1. Dezember 2026");
        assert_eq!(format_long_date(t, BEIJING, Lang::Fr), "1er décembre 2026");
        assert_eq!(format_long_date(t, BEIJING, Lang::En), "1 December 2026");
        assert_eq!(format_long_date(t, BEIJING, Lang::Zh), "2026年12月1日");
        assert_eq!(
            format_datetime(t, BEIJING, Lang::Fr),
            "mar. 1 décembre 2026, 15:00"
        );
        let early = parse_local_or_rfc3339("2026-12-01T05:00", BEIJING).unwrap();
        assert!(day_differs(early, chrono_tz::Europe::Berlin));
    }

    #[test]
    fn a_skipped_wall_clock_time_is_rejected() {
        assert!(parse_local_or_rfc3339("2026-03-29T02:30", chrono_tz::Europe::Berlin).is_none());
    }

    proptest! {
        #[test]
        fn local_input_round_trips(minutes in 0i64..(60 * 24 * 365 * 5)) {
            let instant = DateTime::<Utc>::from_timestamp(1_767_225_600 + minutes * 60, 0).unwrap();
            for zone in [BEIJING, chrono_tz::Europe::Berlin, chrono_tz::UTC] {
                let text = to_local_input(instant, zone);
                let back = parse_local_or_rfc3339(&text, zone).unwrap();
                // A repeated hour at the end of DST maps back to the earlier instant.
                prop_assert!(back == instant || back == instant - chrono::Duration::hours(1));
            }
        }
    }
}
