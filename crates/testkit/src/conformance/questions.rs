//! Questions, votes and answers, with the live events each change appends.

use super::Fixture;
use crate::Db;
use roadshow_domain::Lang;
use roadshow_domain::accounts::{AccountStore, Role};
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::live::{Audience, LiveKind, LivePayload, LiveStore, QuestionLive};
use roadshow_domain::outbox::{EmailStatus, OutboxStore};
use roadshow_domain::questions::*;
use roadshow_domain::registrations::Registration;
use roadshow_domain::store::StoreError;

pub(crate) fn asked(event: &Event, r: &Registration, text: &str) -> NewQuestion {
    NewQuestion {
        event: event.id,
        participant: r.participant_id,
        author_name: r.name.clone(),
        author_company: r.company.name.clone(),
        question: QuestionDraft {
            text: text.into(),
            session_id: None,
            anonymous: true,
            lang: Lang::Zh,
        },
        suggested_department: None,
        suggestion_reason: Some("Shunyi · 税收".into()),
    }
}

pub async fn questions_are_moderated_with_versions_and_live_events(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let r = f.register(&event, "a@x.de", "Ä").await;
    let q = f
        .store
        .create_question(
            &asked(&event, &r, "税收优惠有哪些？"),
            &QuestionLive::Submitted,
        )
        .await
        .unwrap();
    assert_eq!(
        (q.state, q.version, q.lang, q.anonymous),
        (QuestionState::Pending, 1, Lang::Zh, true)
    );
    let log = f.store.live_events(event.id, 0, 100).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].seq, log[0].kind, log[0].audience),
        (1, LiveKind::QuestionSubmitted, Audience::Staff)
    );
    assert!(
        matches!(&log[0].payload, LivePayload::Question { question, .. } if question.id == q.id)
    );
    let approved = Moderation::Approve.apply(&q).unwrap();
    let live = QuestionLive::Changed {
        before: Box::new(q.clone()),
        public_kind: LiveKind::QuestionUpdated,
        pinned: None,
    };
    let saved = f.store.save_question(&approved, &live).await.unwrap();
    assert_eq!((saved.state, saved.version), (QuestionState::Approved, 2));
    // A second moderator working from the old version is refused, not silently obeyed.
    let stale = f.store.save_question(&approved, &live).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict("stale"))),
        "{stale:?}"
    );
    let kinds: Vec<_> = f
        .store
        .live_events(event.id, 1, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.audience))
        .collect();
    assert_eq!(
        kinds,
        [
            (LiveKind::QuestionApproved, Audience::Public),
            (LiveKind::QuestionUpdated, Audience::Staff)
        ]
    );
    let filter = QuestionFilter {
        event: Some(event.id),
        states: vec![QuestionState::Approved],
        ..Default::default()
    };
    assert_eq!(
        f.store.questions(&filter).await.unwrap(),
        vec![saved.clone()]
    );
    let by_agency = QuestionFilter {
        agency: Some(agency.id),
        participant: Some(r.participant_id),
        ..Default::default()
    };
    assert_eq!(f.store.questions(&by_agency).await.unwrap().len(), 1);
    assert_eq!(f.store.question(q.id).await.unwrap(), Some(saved));
    assert!(
        f.store
            .question(QuestionId(999_999))
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn votes_count_once_and_merges_move_them(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let a = f.register(&event, "a@x.de", "A").await;
    let b = f.register(&event, "b@x.de", "B").await;
    let ask = |text: &'static str| asked(&event, &a, text);
    let one = f
        .store
        .create_question(&ask("one"), &QuestionLive::Submitted)
        .await
        .unwrap();
    let two = f
        .store
        .create_question(&ask("two"), &QuestionLive::Submitted)
        .await
        .unwrap();
    let vote = |q: QuestionId, p: ParticipantId, up| VoteChange {
        event: event.id,
        question: q,
        participant: p,
        up,
    };
    let outcomes = f
        .store
        .apply_votes(&[
            vote(one.id, a.participant_id, true),
            vote(one.id, a.participant_id, true),
            vote(one.id, b.participant_id, true),
            vote(two.id, a.participant_id, true),
            vote(two.id, b.participant_id, false),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcomes
            .iter()
            .map(|o| (o.votes, o.changed))
            .collect::<Vec<_>>(),
        [(1, true), (1, false), (2, true), (1, true), (1, false)]
    );
    assert_eq!(
        f.store
            .voted_questions(event.id, b.participant_id)
            .await
            .unwrap(),
        vec![one.id]
    );
    // The console's order: the most voted first (then the first asked), and its counts.
    let three = f
        .store
        .create_question(&ask("three"), &QuestionLive::Submitted)
        .await
        .unwrap();
    f.store
        .apply_votes(&[
            vote(three.id, a.participant_id, true),
            vote(three.id, b.participant_id, true),
        ])
        .await
        .unwrap();
    let by_votes = QuestionFilter {
        event: Some(event.id),
        by_votes: true,
        ..Default::default()
    };
    let order: Vec<_> = f.store.questions(&by_votes).await.unwrap();
    assert_eq!(
        order.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![one.id, three.id, two.id]
    );
    assert_eq!(
        f.store.question_counts(event.id).await.unwrap(),
        vec![(QuestionState::Pending, 3)]
    );
    // Merging two into one: A voted for both and counts once.
    let source = Moderation::Merge { into: one.id }.apply(&two).unwrap();
    let target = f.store.question(one.id).await.unwrap().unwrap();
    let live = QuestionLive::Merged {
        source_before: Box::new(two.clone()),
        source_after: Box::new(source.clone()),
        target_before: Box::new(target),
    };
    let merged = f
        .store
        .merge_question(&source, one.id, &live)
        .await
        .unwrap();
    assert_eq!(merged.votes, 2);
    let two_now = f.store.question(two.id).await.unwrap().unwrap();
    assert_eq!(
        (two_now.state, two_now.merged_into),
        (QuestionState::Merged, Some(one.id))
    );
    let mut counts = f.store.question_counts(event.id).await.unwrap();
    counts.sort_by_key(|(s, _)| s.code());
    assert_eq!(
        counts,
        vec![(QuestionState::Merged, 1), (QuestionState::Pending, 2)]
    );
}

pub async fn answers_are_kept_with_their_email(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let r = f.register(&event, "a@x.de", "A").await;
    let official = f
        .store
        .create_account(agency.id, "o@x.de", "Beamtin Li", Role::Official, None, "h")
        .await
        .unwrap();
    let q = f
        .store
        .create_question(&asked(&event, &r, "q"), &QuestionLive::Submitted)
        .await
        .unwrap();
    let q = f
        .store
        .save_question(
            &Moderation::Approve.apply(&q).unwrap(),
            &QuestionLive::Changed {
                before: Box::new(q.clone()),
                public_kind: LiveKind::QuestionUpdated,
                pinned: None,
            },
        )
        .await
        .unwrap();
    let mut answered = q.clone();
    answered.state = QuestionState::Answered;
    answered.version += 1;
    let answer = NewAnswer {
        answer: AnswerDraft {
            body: "**15 %** statt 25 % – 企业所得税".into(),
            live: false,
            lang: Lang::De,
        },
        author: official.id,
        author_name: official.display_name.clone(),
        department: None,
    };
    let email = Fixture::email("a@x.de");
    let saved = f
        .store
        .add_answer(
            &answered,
            &answer,
            Some((&email, EmailStatus::Held, agency.id)),
            &QuestionLive::Changed {
                before: Box::new(q.clone()),
                public_kind: LiveKind::QuestionAnswered,
                pinned: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(saved.state, QuestionState::Answered);
    assert_eq!(saved.answers.len(), 1);
    assert_eq!(saved.answers[0].body, "**15 %** statt 25 % – 企业所得税");
    assert_eq!(saved.answers[0].author_id, official.id);
    assert_eq!(
        f.store.outbox(agency.id, None, 10).await.unwrap().len(),
        2,
        "confirmation and answer"
    );
    let state = f
        .store
        .set_answer_settings(event.id, 7, true)
        .await
        .unwrap();
    assert_eq!(state.answer_working_days, 7);
    let published = state.faq_published_at;
    assert!(published.is_some());
    // Publishing again keeps the first publication time; unpublishing clears it.
    assert_eq!(
        f.store
            .set_answer_settings(event.id, 7, true)
            .await
            .unwrap()
            .faq_published_at,
        published
    );
    assert_eq!(
        f.store
            .set_answer_settings(event.id, 3, false)
            .await
            .unwrap()
            .faq_published_at,
        None
    );
}
