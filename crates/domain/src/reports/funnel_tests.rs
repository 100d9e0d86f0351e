//! The outcome funnel's dates, owners and milestones, and the leads' movements since the
//! event.

use super::{at, rows, run};
use crate::reports::{Step, funnel};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

#[test]
fn each_step_is_dated_from_what_recorded_it() {
    let mut r = rows();
    r.leads[0].owner_name = Some("Officer Wang".into());
    let report = run(&r, at(21, 0));
    let firma0 = report
        .companies
        .iter()
        .find(|c| c.name == "Firma 0")
        .unwrap();
    // Registered on 17 November 23:30 UTC, watched from 9:00, first asked at 9:00, met at
    // the meeting's start, intent when the survey was answered.
    assert_eq!(
        firma0.reached(Step::Registered),
        Some(Utc.with_ymd_and_hms(2026, 11, 17, 23, 30, 0).unwrap())
    );
    assert_eq!(firma0.reached(Step::Attended), Some(at(9, 0)));
    assert_eq!(firma0.reached(Step::Asked), Some(at(9, 0)));
    assert!(firma0.reached(Step::Met).is_some());
    assert_eq!(firma0.reached(Step::Intent), Some(at(18, 0)));
    assert_eq!(firma0.reached(Step::Lead), None);

    let firma1 = report
        .companies
        .iter()
        .find(|c| c.name == "Firma 1")
        .unwrap();
    assert_eq!(firma1.owner.as_deref(), Some("Officer Wang"));
    assert_eq!(firma1.reached(Step::Lead), Some(at(18, 0)));
    // The site visit from the recorded stage change; signing and start from the dates the
    // officer typed (the start of that day in Beijing), not from the stage change.
    assert_eq!(
        firma1.reached(Step::SiteVisit),
        Some(Utc.with_ymd_and_hms(2026, 11, 22, 4, 0, 0).unwrap())
    );
    let beijing_midnight = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 16, 0, 0).unwrap();
    assert_eq!(firma1.reached(Step::Signed), Some(beijing_midnight(24)));
    assert_eq!(firma1.reached(Step::Started), Some(beijing_midnight(30)));
    // Capital in place when the realised amount was recorded, 60 days later.
    assert_eq!(
        firma1.reached(Step::CapitalInPlace),
        Some(Utc.with_ymd_and_hms(2026, 11, 29, 4, 0, 0).unwrap() + Duration::days(60))
    );
    // A prospect's lead has no site visit, whatever its changes say.
    let firma3 = report
        .companies
        .iter()
        .find(|c| c.name == "Firma 3")
        .unwrap();
    assert_eq!(firma3.reached(Step::SiteVisit), None);
}

#[test]
fn milestones_count_only_companies_whose_day_has_come() {
    let r = run(&rows(), at(21, 0));
    // The day after the event: no milestone can be counted yet.
    let f = funnel(&r.companies, at(21, 0) + Duration::days(1));
    assert_eq!(
        f.milestones.iter().map(|m| m.days).collect::<Vec<_>>(),
        [30, 90, 180]
    );
    assert!(f.milestones.iter().all(|m| m.companies == 0));
    // A year later: at +30 days Firma 1 had signed and started but had no capital in
    // place yet (recorded 69 days after the event); at +90 days it had.
    let later = funnel(&r.companies, at(21, 0) + Duration::days(365));
    let m30 = &later.milestones[0];
    let m90 = &later.milestones[1];
    assert_eq!(m30.companies, 4);
    assert_eq!(m30.reached[Step::Registered as usize], 4);
    assert_eq!(m30.reached[Step::Signed as usize], 1);
    assert_eq!(m30.reached[Step::Started as usize], 1);
    assert_eq!(m30.reached[Step::CapitalInPlace as usize], 0);
    assert_eq!(m90.reached[Step::CapitalInPlace as usize], 1);
    // Never more at a milestone than in all.
    for m in &later.milestones {
        for (at_mark, total) in m.reached.iter().zip(&later.total) {
            assert!(at_mark <= total);
        }
    }
}

#[test]
fn leads_moved_since_the_event_and_overdue_next_steps() {
    let mut r = rows();
    r.leads[1].project.next_step_due = NaiveDate::from_ymd_opt(2026, 11, 30);
    // A lost lead's next step is not overdue.
    r.leads[2].project.next_step_due = NaiveDate::from_ymd_opt(2026, 11, 30);
    r.leads[2].stage = crate::leads::Stage::Lost;
    let report = run(&r, Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap());
    // Site visit and signing for lead 1, engaged again for lead 2 after the event; the
    // change during the event is not counted.
    let moved: Vec<(String, u64)> = report
        .leads
        .moved_since_event
        .iter()
        .map(|c| (c.key.clone(), c.count))
        .collect();
    assert_eq!(
        moved,
        [
            ("engaged".to_string(), 1),
            ("signed".to_string(), 1),
            ("site_visit".to_string(), 1)
        ]
    );
    assert_eq!(report.leads.overdue_next_steps, 1);
}

#[test]
fn intent_grew_where_the_answer_is_higher_than_before() {
    let r = run(&rows(), at(21, 0));
    // Registration 0: watching → planning; 1: planning → considering; 6: not said.
    assert_eq!((r.intent.compared, r.intent.grew), (2, 1));
}

#[test]
fn directory_interest_counts_people() {
    use crate::ids::ParticipantId;
    use crate::reports::InterestSignal;
    use crate::signals::SignalKind;
    let s = |p: i64, kind: SignalKind, ref_id: i64, amount: i64| InterestSignal {
        participant_id: ParticipantId(p),
        kind,
        ref_id,
        amount,
    };
    let mut r = rows();
    r.interest = vec![
        s(1, SignalKind::PolicyViewed, 7, 0),
        s(2, SignalKind::PolicyViewed, 7, 0),
        s(2, SignalKind::PolicyViewed, 9, 0),
        s(3, SignalKind::ParkViewed, 4, 0),
        s(1, SignalKind::EligibilityChecked, 1, 3),
        s(3, SignalKind::EligibilityChecked, 1, 1),
        s(1, SignalKind::Eligible, 7, 0),
        s(3, SignalKind::Eligible, 7, 0),
        s(3, SignalKind::Eligible, 9, 0),
    ];
    let i = run(&r, at(21, 0)).interest;
    let pairs = |c: &[crate::reports::Count]| -> Vec<(String, u64)> {
        c.iter().map(|c| (c.key.clone(), c.count)).collect()
    };
    assert_eq!(
        pairs(&i.policies_viewed),
        [("7".into(), 2), ("9".into(), 1)]
    );
    assert_eq!(pairs(&i.parks_viewed), [("4".into(), 1)]);
    assert_eq!(i.readers, 3);
    assert_eq!((i.checks, i.checkers), (4, 2));
    assert_eq!(pairs(&i.eligible), [("7".into(), 2), ("9".into(), 1)]);
}
