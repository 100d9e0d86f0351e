//! Meeting booking: slots in the event's zone, shown against Central European time on
//! either side of Europe's clock changes, and the organiser's input checked field by field.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use roadshow_domain::ids::DepartmentId;
use roadshow_domain::meetings::*;
use roadshow_domain::time::BEIJING;

fn booking(days: &[(i32, u32, u32)], start: (u32, u32), end: (u32, u32)) -> Booking {
    Booking {
        event_id: roadshow_domain::ids::EventId(1),
        days: days
            .iter()
            .map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
            .collect(),
        day_start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap_or_default(),
        day_end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap_or_default(),
        slot_minutes: 30,
        break_minutes: 10,
        max_per_company: 3,
        request_deadline: Utc::now(),
        video_link: None,
        hosts: vec![],
    }
}

#[test]
fn slots_follow_the_event_zone_with_breaks() {
    let b = booking(&[(2026, 3, 27)], (15, 0), (17, 0));
    let slots = b.slots(BEIJING);
    // 15:00, 15:40, 16:20 fit; 17:00 would end after the day.
    assert_eq!(slots.len(), 3);
    assert_eq!(
        slots[0].starts_at,
        Utc.with_ymd_and_hms(2026, 3, 27, 7, 0, 0).unwrap()
    );
    assert_eq!(
        slots[1].starts_at,
        Utc.with_ymd_and_hms(2026, 3, 27, 7, 40, 0).unwrap()
    );
    assert_eq!(
        slots[2].ends_at,
        Utc.with_ymd_and_hms(2026, 3, 27, 8, 50, 0).unwrap()
    );
}

#[test]
fn shared_working_hours_move_with_europes_clock_changes() {
    // Beijing 15:00 is 08:00 in Berlin before the last Sunday of March (CET), 09:00 after
    // it (CEST): the early slots are in both working days only after the change.
    let march = booking(&[(2026, 3, 27), (2026, 3, 30)], (15, 0), (17, 0));
    let slots = march.slots(BEIJING);
    let friday: Vec<bool> = slots[..3]
        .iter()
        .map(|s| in_both_working_days(*s, Berlin))
        .collect();
    let monday: Vec<bool> = slots[3..]
        .iter()
        .map(|s| in_both_working_days(*s, Berlin))
        .collect();
    assert_eq!(friday, vec![false, false, true]);
    assert_eq!(monday, vec![true, true, true]);
    assert_eq!(
        slots[0]
            .starts_at
            .with_timezone(&Berlin)
            .format("%H:%M")
            .to_string(),
        "08:00"
    );
    assert_eq!(
        slots[3]
            .starts_at
            .with_timezone(&Berlin)
            .format("%H:%M")
            .to_string(),
        "09:00"
    );
    // The last Sunday of October turns it back: Beijing 17:20–17:50 is 11:20 in Berlin in
    // summer time and 10:20 after.
    let october = booking(&[(2026, 10, 23), (2026, 10, 26)], (17, 20), (17, 50));
    let slots = october.slots(BEIJING);
    let berlin: Vec<String> = slots
        .iter()
        .map(|s| {
            s.starts_at
                .with_timezone(&Berlin)
                .format("%H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(berlin, vec!["11:20", "10:20"]);
    // Beijing's own working day ends at 18:00.
    let late = booking(&[(2026, 10, 26)], (17, 40), (18, 30));
    assert!(!in_both_working_days(late.slots(BEIJING)[0], Berlin));
}

#[test]
fn a_wall_clock_time_skipped_by_dst_has_no_slot() {
    // In Berlin 02:00–03:00 does not exist on 2026-03-29.
    let b = booking(&[(2026, 3, 29)], (1, 30), (4, 10));
    let starts: Vec<String> = b
        .slots(Berlin)
        .iter()
        .map(|s| {
            s.starts_at
                .with_timezone(&Berlin)
                .format("%H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(starts, vec!["01:30", "03:30"]);
}

#[test]
fn the_organisers_input_is_checked_field_by_field() {
    let departments = [DepartmentId(1), DepartmentId(2)];
    let bad = BookingInput {
        days: "2026-12-01, 2026-13-01".into(),
        day_start: "15:00".into(),
        day_end: "14:00".into(),
        slot_minutes: Some(5),
        break_minutes: Some(10),
        max_per_company: Some(0),
        request_deadline: "soon".into(),
        video_link: "javascript:alert(1)".into(),
        hosts: vec![
            HostInput {
                department_id: 9,
                capacity: 1,
                unavailable: vec!["12345".into()],
            },
            HostInput {
                department_id: 1,
                capacity: 0,
                unavailable: vec![],
            },
        ],
    };
    let errors = bad
        .parse(BEIJING, &departments)
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "days",
        "day_end",
        "slot_minutes",
        "max_per_company",
        "request_deadline",
        "video_link",
        "hosts[0]",
        "hosts[0].unavailable",
        "hosts[1].capacity",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let good = BookingInput {
        days: "2026-12-02 2026-12-01".into(),
        day_start: "15:00".into(),
        day_end: "18:00".into(),
        slot_minutes: Some(30),
        break_minutes: Some(0),
        max_per_company: Some(4),
        request_deadline: "2026-11-30T18:00".into(),
        video_link: "https://meet.example.cn/{meeting}".into(),
        hosts: vec![HostInput {
            department_id: 2,
            capacity: 2,
            // 2026-12-01 15:00 in Beijing.
            unavailable: vec!["1796108400".into()],
        }],
    };
    let draft = good
        .parse(BEIJING, &departments)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        draft.days[0],
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    );
    assert_eq!(
        draft.hosts[0].unavailable,
        vec![Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap()]
    );
    assert_eq!(
        draft.request_deadline,
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap()
    );
}
