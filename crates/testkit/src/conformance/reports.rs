//! What the report reads of its own: presence per participant, the leads of an event's
//! companies, and the press releases as organisers edited them.

use super::{Fixture, at};
use crate::Db;
use roadshow_domain::Lang;
use roadshow_domain::accounts::{AccountStore, Role};
use roadshow_domain::ids::ParticipantId;
use roadshow_domain::leads::{LeadSource, LeadStore, Stage};
use roadshow_domain::live::QuestionLive;
use roadshow_domain::questions::{NewQuestion, QuestionDraft, QuestionStore};
use roadshow_domain::reports::{PressRelease, QuestionFacts, ReportStore};
use roadshow_domain::signals::{NewSignal, SignalKind, SignalStore};

pub async fn presence_leads_and_press_releases(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let other = f.event(&agency, "andere").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let max = f.register(&event, "max@other.example", "Max").await;
    let elsewhere = f.register(&other, "eva@elsewhere.example", "Eva").await;

    // Presence adds up per participant, for this event only; someone never present is
    // not listed.
    for (who, ev, seconds) in [
        (erika.participant_id, event.id, 600),
        (erika.participant_id, event.id, 120),
        (elsewhere.participant_id, other.id, 900),
    ] {
        f.store
            .add_seconds(SignalKind::Attended, who, ev, seconds, at(2026, 12, 2, 9))
            .await
            .unwrap();
    }
    let presence = f.store.presence_seconds(event.id).await.unwrap();
    assert_eq!(
        presence.into_iter().collect::<Vec<_>>(),
        vec![(erika.participant_id, 720)]
    );
    assert!(
        !f.store
            .presence_seconds(event.id)
            .await
            .unwrap()
            .contains_key(&ParticipantId(max.participant_id.0))
    );

    // Leads: those of the companies registered for the event, not of another event's.
    assert!(f.store.event_leads(event.id).await.unwrap().is_empty());
    let (lead, _) = f
        .store
        .ensure_lead(
            erika.company.id,
            LeadSource::Survey,
            None,
            None,
            at(2026, 12, 2, 10),
        )
        .await
        .unwrap();
    f.store
        .ensure_lead(
            elsewhere.company.id,
            LeadSource::Manual,
            None,
            None,
            at(2026, 12, 2, 10),
        )
        .await
        .unwrap();
    let leads = f.store.event_leads(event.id).await.unwrap();
    assert_eq!(
        leads.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![lead.id]
    );

    // The moves that date the funnel: this event's lead's stage changes, in order.
    let officer = f
        .store
        .create_account(
            agency.id,
            "officer@a.example",
            "Officer",
            Role::InvestmentOfficer,
            None,
            "hash",
        )
        .await
        .unwrap()
        .id;
    for (stage, day) in [(Stage::SiteVisit, 5), (Stage::Signed, 9)] {
        f.store
            .move_lead(lead.id, stage, None, officer, at(2026, 12, day, 10), None)
            .await
            .unwrap();
    }
    let moves = f.store.lead_moves(event.id).await.unwrap();
    assert_eq!(
        moves
            .iter()
            .map(|m| (m.lead_id, m.field.as_str(), m.after.as_deref(), m.at))
            .collect::<Vec<_>>(),
        vec![
            (lead.id, "stage", Some("site_visit"), at(2026, 12, 5, 10)),
            (lead.id, "stage", Some("signed"), at(2026, 12, 9, 10)),
        ]
    );
    assert!(
        f.store
            .lead_moves(other.id)
            .await
            .unwrap()
            .iter()
            .all(|m| m.lead_id != lead.id)
    );

    // Directory interest: this event's participants' reading and checks, the checks
    // counting their runs.
    for (who, ev, kind, ref_id) in [
        (erika.participant_id, event.id, SignalKind::PolicyViewed, 7),
        (erika.participant_id, event.id, SignalKind::PolicyViewed, 7),
        (max.participant_id, event.id, SignalKind::ParkViewed, 3),
        (
            erika.participant_id,
            event.id,
            SignalKind::EligibilityChecked,
            event.id.0,
        ),
        (
            erika.participant_id,
            event.id,
            SignalKind::EligibilityChecked,
            event.id.0,
        ),
        (erika.participant_id, event.id, SignalKind::Eligible, 7),
        // Not directory interest, and not this event.
        (erika.participant_id, event.id, SignalKind::Asked, 1),
        (
            elsewhere.participant_id,
            other.id,
            SignalKind::PolicyViewed,
            7,
        ),
    ] {
        f.store
            .record_signal(&NewSignal {
                participant_id: who,
                event_id: ev,
                kind,
                ref_id,
                amount: i64::from(kind == SignalKind::EligibilityChecked),
                at: at(2026, 12, 2, 12),
            })
            .await
            .unwrap();
    }
    let mut interest = f.store.interest_signals(event.id).await.unwrap();
    interest.sort_by_key(|s| (s.kind.code(), s.participant_id, s.ref_id));
    let seen: Vec<(SignalKind, ParticipantId, i64, i64)> = interest
        .iter()
        .map(|s| (s.kind, s.participant_id, s.ref_id, s.amount))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                SignalKind::EligibilityChecked,
                erika.participant_id,
                event.id.0,
                2
            ),
            (SignalKind::Eligible, erika.participant_id, 7, 0),
            (SignalKind::ParkViewed, max.participant_id, 3, 0),
            (SignalKind::PolicyViewed, erika.participant_id, 7, 0),
        ]
    );

    // Press releases: one per language, replaced when saved again, gone when deleted.
    let release = |title: &str| PressRelease {
        language: Lang::Fr,
        title: title.into(),
        body: "Pékin, le 2 décembre — « Deux Zones » #1 $x ]".into(),
        updated_at: at(2026, 12, 2, 11),
    };
    assert_eq!(
        f.store.press_release(event.id, Lang::Fr).await.unwrap(),
        None
    );
    f.store
        .save_press_release(event.id, &release("Premier"))
        .await
        .unwrap();
    f.store
        .save_press_release(event.id, &release("Second"))
        .await
        .unwrap();
    assert_eq!(
        f.store.press_release(event.id, Lang::Fr).await.unwrap(),
        Some(release("Second"))
    );
    assert_eq!(
        f.store.press_release(event.id, Lang::De).await.unwrap(),
        None
    );
    assert_eq!(
        f.store.press_release(other.id, Lang::Fr).await.unwrap(),
        None
    );
    f.store
        .delete_press_release(event.id, Lang::Fr)
        .await
        .unwrap();
    assert_eq!(
        f.store.press_release(event.id, Lang::Fr).await.unwrap(),
        None
    );

    // Questions as the report counts them: one asked, not yet answered.
    assert!(f.store.question_facts(event.id).await.unwrap().is_empty());
    let asked = f
        .store
        .create_question(
            &NewQuestion {
                event: event.id,
                participant: erika.participant_id,
                author_name: "Erika".into(),
                author_company: "Muster".into(),
                question: QuestionDraft {
                    text: "Wie lange dauert die Gründung, inkl. Genehmigung?".into(),
                    session_id: None,
                    anonymous: false,
                    lang: Lang::De,
                },
                suggested_department: None,
                suggestion_reason: None,
            },
            &QuestionLive::Submitted,
        )
        .await
        .unwrap();
    assert_eq!(
        f.store.question_facts(event.id).await.unwrap(),
        vec![QuestionFacts::of(&asked)]
    );
    assert!(f.store.question_facts(other.id).await.unwrap().is_empty());
}

/// The report's schedule: replaced as a whole while what went stays; due when the
/// event's end plus the days has come; each sending claimed once, even by two stores
/// on one database; and an account's language kept.
pub async fn report_schedules_go_once_when_due(db: Db) {
    use roadshow_domain::reports::DueReport;
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let account = |email: &'static str| {
        let store = f.store.clone();
        let agency = agency.id;
        async move {
            store
                .create_account(agency, email, "Staff", Role::Organiser, None, "hash")
                .await
                .unwrap()
        }
    };
    let wang = account("wang@a.example").await;
    let weber = account("weber@a.example").await;
    assert_eq!(wang.language, Lang::En);
    f.store
        .set_account_language(weber.id, Lang::De)
        .await
        .unwrap();
    let weber = f.store.accounts(agency.id).await.unwrap();
    assert_eq!(
        weber
            .iter()
            .find(|a| a.email == "weber@a.example")
            .unwrap()
            .language,
        Lang::De
    );

    f.store
        .set_report_schedule(event.id, &[(wang.id, 1), (wang.id, 30)])
        .await
        .unwrap();
    let ends = event.ends_at;
    // Nothing is due before the end plus a day; then the first sending.
    assert!(
        f.store
            .due_reports(ends + chrono::Duration::hours(23), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = f
        .store
        .due_reports(ends + chrono::Duration::days(1), 10)
        .await
        .unwrap();
    assert_eq!(
        due,
        vec![DueReport {
            event_id: event.id,
            account_id: wang.id,
            days_after: 1
        }]
    );
    // Two stores on one database: one claim wins.
    let other = f.second().await;
    let at = ends + chrono::Duration::days(1);
    let first = f.store.claim_report(&due[0], at).await.unwrap();
    let second = other.claim_report(&due[0], at).await.unwrap();
    assert!(first && !second);
    assert!(f.store.due_reports(at, 10).await.unwrap().is_empty());

    // Replacing keeps the sending made, drops what is no longer chosen, adds the new.
    f.store
        .set_report_schedule(event.id, &[(wang.id, 90)])
        .await
        .unwrap();
    let schedule = f.store.report_schedule(event.id).await.unwrap();
    let seen: Vec<(i64, bool)> = schedule
        .iter()
        .map(|s| (s.days_after, s.sent_at.is_some()))
        .collect();
    assert_eq!(seen, vec![(1, true), (90, false)]);
    assert_eq!(schedule[0].sent_at, Some(at));
    let later = f
        .store
        .due_reports(ends + chrono::Duration::days(365), 10)
        .await
        .unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].days_after, 90);
}
