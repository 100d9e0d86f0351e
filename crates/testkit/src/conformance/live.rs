//! The live log: numbers handed out in commit order without gaps, also with concurrent
//! writers in two processes, and the session on now.

use super::Fixture;
use super::questions::asked;
use crate::Db;
use roadshow_domain::events::EventStore;
use roadshow_domain::ids::ParticipantId;
use roadshow_domain::live::{LiveKind, LivePayload, LiveStore, QuestionLive};
use roadshow_domain::questions::{QuestionStore, VoteChange};

pub async fn the_session_on_now_is_announced(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let state = f.store.live_state(event.id).await.unwrap();
    assert_eq!(
        (state.seq, state.current_session, state.answer_working_days),
        (0, None, 5)
    );
    let session = f
        .store
        .create_session(
            event.id,
            &roadshow_domain::events::SessionDraft {
                broadcast: Default::default(),
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                kind: roadshow_domain::events::SessionKind::Exchange,
                title: super::four("Austausch"),
                summary: Default::default(),
                department_id: None,
                presenter: Default::default(),
                park_ids: vec![],
                policy_ids: vec![],
                story_ids: vec![],
            },
        )
        .await
        .unwrap();
    let state = f
        .store
        .set_current_session(event.id, Some(session.id))
        .await
        .unwrap();
    assert_eq!((state.seq, state.current_session), (1, Some(session.id)));
    let log = f.store.live_events(event.id, 0, 10).await.unwrap();
    assert_eq!(log[0].kind, LiveKind::SessionChanged);
    assert_eq!(
        log[0].payload,
        LivePayload::Session {
            session: Some(session.id)
        }
    );
    assert_eq!(
        f.store
            .set_current_session(event.id, None)
            .await
            .unwrap()
            .current_session,
        None
    );
    // Paging: after a number, at most a limit.
    assert_eq!(f.store.live_events(event.id, 1, 10).await.unwrap().len(), 1);
    assert_eq!(f.store.live_events(event.id, 0, 1).await.unwrap().len(), 1);
}

pub async fn numbers_and_votes_hold_under_concurrent_writers(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let mut participants: Vec<ParticipantId> = Vec::new();
    let mut registrations = Vec::new();
    for i in 0..12 {
        let r = f
            .register(&event, &format!("p{i}@x.de"), &format!("P{i}"))
            .await;
        participants.push(r.participant_id);
        registrations.push(r);
    }
    // Two stores on one database, like two processes.
    let stores = [f.store.clone(), f.second().await];
    let before = stores[0].live_state(event.id).await.unwrap().seq;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = stores[i % 2].clone();
        let draft = asked(
            &event,
            &registrations[i % registrations.len()],
            &format!("Frage {i}"),
        );
        tasks.push(tokio::spawn(async move {
            store
                .create_question(&draft, &QuestionLive::Submitted)
                .await
                .unwrap()
                .id
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    let events = stores[1].live_events(event.id, before, 1000).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    let expected: Vec<i64> = (before + 1..=before + 40).collect();
    assert_eq!(seqs, expected, "numbers without gaps or repeats, in order");
    // Every participant votes for the first question through both stores at once, in
    // batches, some twice. The stored count is the number of distinct voters.
    let question = ids[0];
    let mut tasks = Vec::new();
    for (n, chunk) in participants.chunks(5).enumerate() {
        let store = stores[n % 2].clone();
        let changes: Vec<VoteChange> = chunk
            .iter()
            .chain(chunk.first())
            .map(|p| VoteChange {
                event: event.id,
                question,
                participant: *p,
                up: true,
            })
            .collect();
        tasks.push(tokio::spawn(async move {
            store.apply_votes(&changes).await.unwrap()
        }));
    }
    let mut changed = 0;
    for t in tasks {
        changed += t.await.unwrap().iter().filter(|o| o.changed).count();
    }
    assert_eq!(
        changed,
        participants.len(),
        "each participant's vote counted once"
    );
    let stored = stores[0].question(question).await.unwrap().unwrap();
    assert_eq!(stored.votes, participants.len() as i64);
}

pub async fn the_log_keeps_a_bounded_replay_window(db: Db) {
    use roadshow_domain::live::LIVE_REPLAY;
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let total = LIVE_REPLAY + 300;
    for _ in 0..total {
        f.store.set_current_session(event.id, None).await.unwrap();
    }
    let state = f.store.live_state(event.id).await.unwrap();
    assert_eq!(state.seq, total, "numbers go on counting");
    let first = f.store.live_events(event.id, 0, 1).await.unwrap();
    let oldest = first[0].seq;
    assert!(oldest > 1, "the oldest events were pruned");
    assert!(
        oldest <= total - LIVE_REPLAY + 1,
        "at least the replay window is kept: oldest {oldest}"
    );
    let newest = f
        .store
        .live_events(event.id, total - 10, 100)
        .await
        .unwrap();
    assert_eq!(newest.len(), 10);
}
