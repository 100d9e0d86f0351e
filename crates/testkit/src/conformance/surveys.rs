//! The intent survey: wording with versions, invitations sent once across stores, the
//! one reminder, links and answers.

use super::{Fixture, at};
use crate::Db;
use roadshow_domain::Localized;
use roadshow_domain::outbox::{EmailStatus, OutboxStore};
use roadshow_domain::surveys::*;
use std::collections::BTreeMap;

fn draft() -> SurveyDraft {
    SurveyDraft {
        intro: Localized::one(roadshow_domain::Lang::Zh, "您好"),
        questions: BTreeMap::from([(
            "interest".to_string(),
            Localized::one(roadshow_domain::Lang::De, "Wie sehr?"),
        )]),
        send_at: None,
        deadline: at(2026, 12, 20, 10),
        reminder_days: 7,
    }
}

fn answers(interest: Interest) -> ResponseDraft {
    ResponseDraft {
        interest,
        interest_before: Some(Interest::Watching),
        sectors: vec!["automotive".into()],
        districts: vec!["shunyi".into()],
        parks: vec![],
        project_type: Some(ProjectType::Manufacturing),
        investment: Some(InvestmentBand::From50M),
        timeline: Some(Horizon::TwelveMonths),
        next_steps: vec![NextStep::SiteVisit],
        policies: vec![],
        comment: Some("Grüße · 问候".into()),
        consent: true,
    }
}

pub async fn surveys_go_out_once_remind_once_and_keep_answers(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let max = f.register(&event, "max@muster.example", "Max").await;
    assert!(f.store.survey(event.id).await.unwrap().is_none());
    let first = f.store.save_survey(event.id, &draft()).await.unwrap();
    assert_eq!(first.version, 1);
    let again = f.store.save_survey(event.id, &draft()).await.unwrap();
    assert_eq!(again.version, 2);
    assert_eq!(
        again.questions["interest"].get(roadshow_domain::Lang::De),
        "Wie sehr?"
    );
    assert_eq!(again.intro.get(roadshow_domain::Lang::Zh), "您好");

    // Due once the event has ended (no sending time set), not before.
    assert!(
        f.store
            .surveys_to_send(at(2026, 12, 1, 9))
            .await
            .unwrap()
            .is_empty()
    );
    let after = at(2026, 12, 1, 11);
    assert_eq!(
        f.store.surveys_to_send(after).await.unwrap(),
        vec![event.id]
    );
    let invitation =
        |r: &roadshow_domain::registrations::Registration, token: &str| SurveyInvitation {
            registration_id: r.id,
            token_hash: token.into(),
            email: Fixture::email(&r.email),
        };
    let invitations = vec![invitation(&erika, "t-erika"), invitation(&max, "t-max")];
    let before = f.store.outbox(agency.id, None, 100).await.unwrap().len();
    let second = f.second().await;
    assert!(
        f.store
            .send_survey(event.id, after, &invitations, EmailStatus::Held)
            .await
            .unwrap()
    );
    assert!(
        !second
            .send_survey(event.id, after, &invitations, EmailStatus::Held)
            .await
            .unwrap()
    );
    assert_eq!(
        f.store.outbox(agency.id, None, 100).await.unwrap().len(),
        before + 2
    );
    assert!(f.store.surveys_to_send(after).await.unwrap().is_empty());
    assert_eq!(
        f.store.survey_link("t-max").await.unwrap(),
        Some((event.id, max.id))
    );
    assert_eq!(f.store.survey_link("nope").await.unwrap(), None);

    // Erika answers; only Max is due for the reminder, after seven days, once.
    let t1 = at(2026, 12, 2, 8);
    let saved = f
        .store
        .save_survey_response(event.id, erika.id, 2, &answers(Interest::Considering), t1)
        .await
        .unwrap();
    assert_eq!(saved.answers, answers(Interest::Considering));
    assert_eq!(saved.company_id, erika.company.id);
    let t2 = at(2026, 12, 3, 8);
    let changed = f
        .store
        .save_survey_response(event.id, erika.id, 2, &answers(Interest::Planning), t2)
        .await
        .unwrap();
    assert_eq!((changed.answered_at, changed.updated_at), (t1, t2));
    assert_eq!(changed.answers.interest, Interest::Planning);
    // Read back as saved, from another process too; someone who has not answered has none.
    assert_eq!(
        second.survey_response(event.id, erika.id).await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(
        f.store.survey_response(event.id, max.id).await.unwrap(),
        None
    );
    assert!(
        f.store
            .survey_reminders_due(at(2026, 12, 5, 8))
            .await
            .unwrap()
            .is_empty()
    );
    let due = f
        .store
        .survey_reminders_due(at(2026, 12, 9, 8))
        .await
        .unwrap();
    assert_eq!(
        due,
        vec![DueReminder {
            event_id: event.id,
            registration_id: max.id
        }]
    );
    let reminder = invitation(&max, "t-max-2");
    assert!(
        second
            .remind_survey(&due[0], at(2026, 12, 9, 8), &reminder, EmailStatus::Held)
            .await
            .unwrap()
    );
    assert!(
        !f.store
            .remind_survey(&due[0], at(2026, 12, 9, 8), &reminder, EmailStatus::Held)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .survey_reminders_due(at(2026, 12, 10, 8))
            .await
            .unwrap()
            .is_empty()
    );
    // Both of Max's links work.
    assert_eq!(
        f.store.survey_link("t-max-2").await.unwrap(),
        Some((event.id, max.id))
    );
    assert_eq!(
        f.store
            .survey_responses(event.id, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let counts = f.store.survey_interest_counts(event.id).await.unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 1);
    assert_eq!(
        counts.len(),
        Interest::ALL.len(),
        "every interest, zero included"
    );
    assert_eq!(
        f.store
            .company_responses(erika.company.id)
            .await
            .unwrap()
            .len(),
        1
    );
}
