//! The store's guarantees under concurrent writers, on PostgreSQL with two processes'
//! worth of connections (two stores on one schema), and on SQLite: live-event numbers are
//! handed out without gaps or repeats, and votes counted under the uniqueness rule add up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_domain::Lang;
use roadshow_domain::ids::{EventId, ParticipantId};
use roadshow_domain::live::{LiveStore, QuestionLive};
use roadshow_domain::questions::{NewQuestion, QuestionDraft, QuestionStore, VoteChange};
use roadshow_domain::registrations::RegistrationFilter;
use roadshow_store::SqlStore;
use roadshow_testkit::{Db, TestApp};
use std::sync::Arc;

async fn stores(db: Db) -> Option<(TestApp, Vec<Arc<SqlStore>>, EventId, Vec<ParticipantId>)> {
    let t = TestApp::with_demo(db).await?;
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap()
        .id;
    let participants: Vec<ParticipantId> = t
        .app
        .store
        .registrations(event, &RegistrationFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|r| r.participant_id)
        .collect();
    // Two independent stores (own pools) on the same database, like two processes.
    let a = Arc::new(SqlStore::connect(&t.url).await.unwrap());
    let b = Arc::new(SqlStore::connect(&t.url).await.unwrap());
    Some((t, vec![a, b], event, participants))
}

async fn numbers_and_votes_hold_under_concurrent_writers(db: Db) {
    let Some((_t, stores, event, participants)) = stores(db).await else {
        return;
    };
    let before = stores[0].live_state(event).await.unwrap().seq;
    // Forty questions asked at once through both stores, each appending one live event.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = stores[i % 2].clone();
        let participant = participants[i % participants.len()];
        tasks.push(tokio::spawn(async move {
            let draft = NewQuestion {
                event,
                participant,
                author_name: format!("P{i}"),
                author_company: "C".into(),
                question: QuestionDraft {
                    text: format!("Question {i}"),
                    session_id: None,
                    anonymous: false,
                    lang: Lang::En,
                },
                suggested_department: None,
                suggestion_reason: None,
            };
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
    let events = stores[1].live_events(event, before, 1000).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    let expected: Vec<i64> = (before + 1..=before + 40).collect();
    assert_eq!(seqs, expected, "numbers without gaps or repeats, in order");

    // Every participant votes for the first question, half through each store, in
    // batches; some vote twice. The stored count is the number of distinct voters.
    let question = ids[0];
    let mut tasks = Vec::new();
    for (n, chunk) in participants.chunks(7).enumerate() {
        let store = stores[n % 2].clone();
        let changes: Vec<VoteChange> = chunk
            .iter()
            .chain(chunk.first())
            .map(|p| VoteChange {
                event,
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

#[tokio::test]
async fn postgres_numbers_and_votes_hold_under_concurrent_writers() {
    numbers_and_votes_hold_under_concurrent_writers(Db::Postgres).await;
}

#[tokio::test]
async fn sqlite_numbers_and_votes_hold_under_concurrent_writers() {
    numbers_and_votes_hold_under_concurrent_writers(Db::Sqlite).await;
}
