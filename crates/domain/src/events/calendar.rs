//! iCalendar (RFC 5545) for an event's agenda: one VEVENT per session, times given in the
//! event's zone with a VTIMEZONE that describes that zone over the years concerned.

use chrono::{DateTime, Datelike, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// One entry of a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    /// Globally unique and stable, so that a re-import updates instead of duplicating.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A whole calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: String,
    pub zone: Tz,
    pub entries: Vec<CalendarEntry>,
    /// When the calendar was made (DTSTAMP).
    pub stamp: DateTime<Utc>,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (RFC 5545 §3.1), never inside a character.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The zone's offset changes between `from` and `to`, to the minute. Offsets are looked
/// at every twelve hours (no zone changes twice within twelve hours), and a change found
/// between two looks is narrowed down by halving: a year costs some 730 looks, not the
/// 17,520 of a half-hourly walk (which was most of a registration's CPU time, since every
/// confirmation carries the agenda).
fn transitions(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let offset_at = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    let step = Duration::hours(12);
    let mut found = Vec::new();
    let mut t = from;
    let mut previous = offset_at(t);
    while t < to {
        let next = t + step;
        let offset = offset_at(next);
        if offset != previous {
            // The change lies in (t, t + 720 min]: halve until the minute is known (t is
            // on a whole minute, and changes fall on whole minutes).
            let (mut same, mut changed) = (0i64, step.num_minutes());
            while changed - same > 1 {
                let middle = (same + changed) / 2;
                if offset_at(t + Duration::minutes(middle)) == previous {
                    same = middle;
                } else {
                    changed = middle;
                }
            }
            let onset = t + Duration::minutes(changed);
            found.push(onset);
            previous = offset;
        }
        t = next;
    }
    found
}

fn push_observance(out: &mut String, zone: Tz, onset: DateTime<Utc>, before: i32) {
    let offset = zone.offset_from_utc_datetime(&onset.naive_utc());
    let kind = if offset.dst_offset().num_seconds() != 0 {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    let local_before = onset + Duration::seconds(i64::from(before));
    push_line(out, &format!("BEGIN:{kind}"));
    push_line(
        out,
        &format!("DTSTART:{}", local_before.format("%Y%m%dT%H%M%S")),
    );
    push_line(out, &format!("TZOFFSETFROM:{}", offset_text(before)));
    push_line(
        out,
        &format!("TZOFFSETTO:{}", offset_text(offset.fix().local_minus_utc())),
    );
    push_line(
        out,
        &format!("TZNAME:{}", offset.abbreviation().unwrap_or("")),
    );
    push_line(out, &format!("END:{kind}"));
}

/// The VTIMEZONE for `zone` covering the calendar years of the entries: a first observance
/// from 1 January of the first year, then one per offset change.
fn push_timezone(out: &mut String, zone: Tz, entries: &[CalendarEntry]) {
    let first_year = entries
        .iter()
        .map(|e| e.starts_at.year())
        .min()
        .unwrap_or(1970);
    let last_year = entries
        .iter()
        .map(|e| e.ends_at.year())
        .max()
        .unwrap_or(1970);
    let begin = Utc
        .with_ymd_and_hms(first_year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let end = Utc
        .with_ymd_and_hms(last_year + 1, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(begin);
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{}", zone.name()));
    let start_offset = zone
        .offset_from_utc_datetime(&begin.naive_utc())
        .fix()
        .local_minus_utc();
    push_observance(out, zone, begin, start_offset);
    let mut before = start_offset;
    for onset in transitions(zone, begin, end) {
        push_observance(out, zone, onset, before);
        before = zone
            .offset_from_utc_datetime(&onset.naive_utc())
            .fix()
            .local_minus_utc();
    }
    push_line(out, "END:VTIMEZONE");
}

impl Calendar {
    /// The calendar as an RFC 5545 text/calendar body (CRLF line ends, folded lines).
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        push_line(&mut out, "BEGIN:VCALENDAR");
        push_line(&mut out, "VERSION:2.0");
        push_line(&mut out, "PRODID:-//Roadshow//Roadshow agenda//EN");
        push_line(&mut out, "CALSCALE:GREGORIAN");
        push_line(&mut out, "METHOD:PUBLISH");
        push_line(
            &mut out,
            &format!("X-WR-CALNAME:{}", escape_text(&self.name)),
        );
        push_line(&mut out, &format!("X-WR-TIMEZONE:{}", self.zone.name()));
        push_timezone(&mut out, self.zone, &self.entries);
        let tzid = self.zone.name();
        for entry in &self.entries {
            push_line(&mut out, "BEGIN:VEVENT");
            push_line(&mut out, &format!("UID:{}", escape_text(&entry.uid)));
            push_line(&mut out, &format!("DTSTAMP:{}", utc_stamp(self.stamp)));
            let start = entry.starts_at.with_timezone(&self.zone);
            let end = entry.ends_at.with_timezone(&self.zone);
            push_line(
                &mut out,
                &format!("DTSTART;TZID={tzid}:{}", start.format("%Y%m%dT%H%M%S")),
            );
            push_line(
                &mut out,
                &format!("DTEND;TZID={tzid}:{}", end.format("%Y%m%dT%H%M%S")),
            );
            push_line(
                &mut out,
                &format!("SUMMARY:{}", escape_text(&entry.summary)),
            );
            if !entry.description.is_empty() {
                push_line(
                    &mut out,
                    &format!("DESCRIPTION:{}", escape_text(&entry.description)),
                );
            }
            if let Some(location) = &entry.location {
                push_line(&mut out, &format!("LOCATION:{}", escape_text(location)));
            }
            if let Some(url) = &entry.url {
                // URL is of value type URI: not TEXT-escaped (RFC 5545 §3.8.4.6).
                push_line(&mut out, &format!("URL:{url}"));
            }
            push_line(&mut out, "END:VEVENT");
        }
        push_line(&mut out, "END:VCALENDAR");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(zone: Tz, month: u32) -> Calendar {
        let start = Utc.with_ymd_and_hms(2026, month, 1, 7, 0, 0).unwrap();
        Calendar {
            name: "Two Zones, Beijing".into(),
            zone,
            stamp: start,
            entries: vec![CalendarEntry {
                uid: "session-1@roadshow".into(),
                summary: "Opening; \"Two Zones\", 两区".into(),
                description: "Line one\nLine two with a very long text that must be folded because it is longer than seventy-five octets".into(),
                location: None,
                url: Some("https://example.org/events/two-zones".into()),
                starts_at: start,
                ends_at: start + Duration::minutes(20),
            }],
        }
    }

    #[test]
    fn lines_are_crlf_folded_and_escaped() {
        let ics = calendar(crate::time::BEIJING, 12).to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(ics.contains("SUMMARY:Opening\\; \"Two Zones\"\\, 两区"));
        assert!(ics.contains("DTSTART;TZID=Asia/Shanghai:20261201T150000"));
        assert!(ics.contains("TZOFFSETTO:+0800"));
        assert!(!ics.contains("BEGIN:DAYLIGHT"));
    }

    #[test]
    fn berlin_has_its_two_changes() {
        let ics = calendar(chrono_tz::Europe::Berlin, 6).to_ics();
        assert!(ics.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"
        ));
        assert!(ics.contains(
            "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"
        ));
    }

    #[test]
    fn transitions_match_a_walk_minute_by_half_hour() {
        // The old half-hourly walk, as the reference, over zones with unusual rules.
        let walk = |zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>| {
            let mut found = Vec::new();
            let mut t = from;
            let mut previous = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
            while t < to {
                let next = t + Duration::minutes(30);
                let offset = zone.offset_from_utc_datetime(&next.naive_utc()).fix();
                if offset != previous {
                    found.push(next);
                    previous = offset;
                }
                t = next;
            }
            found
        };
        let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        for zone in [
            chrono_tz::Europe::Berlin,
            chrono_tz::America::Santiago,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::St_Johns,
            chrono_tz::Asia::Shanghai,
        ] {
            assert_eq!(transitions(zone, from, to), walk(zone, from, to), "{zone}");
        }
    }
}
