//! Signals: each kept once, survey levels updated, attendance added up.

use super::{Fixture, at};
use crate::Db;
use roadshow_domain::ids::CompanyId;
use roadshow_domain::leads::score::{Tally, score, score_of};
use roadshow_domain::signals::*;

pub async fn signals_are_kept_once_and_attendance_adds_up(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let signal = |kind, ref_id, amount, h| NewSignal {
        participant_id: erika.participant_id,
        event_id: event.id,
        kind,
        ref_id,
        amount,
        at: at(2026, 12, 1, h),
    };
    // The registration brought its own signal.
    let kinds = |s: &[Signal]| s.iter().map(|x| x.kind).collect::<Vec<_>>();
    assert_eq!(
        kinds(&f.store.company_signals(erika.company.id).await.unwrap()),
        vec![SignalKind::Registered]
    );
    let company = f
        .store
        .record_signal(&signal(SignalKind::Asked, 7, 0, 8))
        .await
        .unwrap();
    assert_eq!(company, Some(erika.company.id));
    assert_eq!(
        f.second()
            .await
            .record_signal(&signal(SignalKind::Asked, 7, 0, 9))
            .await
            .unwrap(),
        None
    );
    f.store
        .record_signal(&signal(SignalKind::SurveyAnswered, event.id.0, 2, 10))
        .await
        .unwrap();
    f.store
        .record_signal(&signal(SignalKind::SurveyAnswered, event.id.0, 3, 11))
        .await
        .unwrap();
    f.store
        .add_seconds(
            SignalKind::Attended,
            erika.participant_id,
            event.id,
            300,
            at(2026, 12, 1, 7),
        )
        .await
        .unwrap();
    f.store
        .add_seconds(
            SignalKind::Attended,
            erika.participant_id,
            event.id,
            200,
            at(2026, 12, 1, 8),
        )
        .await
        .unwrap();
    let written = f
        .store
        .record_signals(&[
            signal(SignalKind::Voted, 1, 0, 9),
            signal(SignalKind::Voted, 1, 0, 9),
            signal(SignalKind::Voted, 2, 0, 9),
        ])
        .await
        .unwrap();
    assert_eq!(
        written,
        vec![Some(erika.company.id), None, Some(erika.company.id)]
    );
    let all = f.store.company_signals(erika.company.id).await.unwrap();
    assert_eq!(all.len(), 6);
    let asked: Vec<_> = all.iter().filter(|s| s.kind == SignalKind::Asked).collect();
    assert_eq!((asked.len(), asked[0].at), (1, at(2026, 12, 1, 8)));
    let survey = all
        .iter()
        .find(|s| s.kind == SignalKind::SurveyAnswered)
        .unwrap();
    assert_eq!((survey.amount, survey.at), (3, at(2026, 12, 1, 11)));
    let attended = all.iter().find(|s| s.kind == SignalKind::Attended).unwrap();
    assert_eq!((attended.amount, attended.at), (500, at(2026, 12, 1, 7)));
    assert_eq!(attended.participant_name, "Erika");
    // Oldest first.
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at));
    // The tallies of several companies at once, counted by the database: the same as
    // counting their signals one by one, and so the same score.
    let max = f.register(&event, "max@muster.example", "Max").await;
    let tallies = f
        .store
        .score_tallies(&[erika.company.id, max.company.id])
        .await
        .unwrap();
    assert_eq!(tallies.len(), 2);
    for (company, tally) in &tallies {
        let signals = f.store.company_signals(*company).await.unwrap();
        assert_eq!(*tally, Tally::of(&signals), "company {company:?}");
    }
    let erika_tally = &tallies
        .iter()
        .find(|(c, _)| *c == erika.company.id)
        .unwrap()
        .1;
    assert_eq!(erika_tally.count(SignalKind::Voted), 2);
    assert_eq!(erika_tally.latest_intent, Some(3));
    assert_eq!(
        score_of(erika_tally),
        score(&f.store.company_signals(erika.company.id).await.unwrap())
    );
    assert!(
        score_of(erika_tally)
            .parts
            .iter()
            .any(|p| p.code == "attended")
    );
    // A company without signals has no tally.
    assert!(
        f.store
            .score_tallies(&[CompanyId(987_654)])
            .await
            .unwrap()
            .is_empty()
    );
}
