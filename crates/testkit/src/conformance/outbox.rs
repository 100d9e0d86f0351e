//! The outbox: claims that keep two live processes from sending one email twice, and
//! that run out when the claiming process dies, so that no email is lost.

use super::Fixture;
use crate::Db;
use chrono::{Duration, Utc};
use roadshow_domain::outbox::{EmailStatus, OutboxStore};

pub async fn emails_are_claimed_once_and_recorded(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let first = f
        .store
        .enqueue_email(
            Some(agency.id),
            &Fixture::email("a@x.de"),
            EmailStatus::Pending,
        )
        .await
        .unwrap();
    let second = f
        .store
        .enqueue_email(
            Some(agency.id),
            &Fixture::email("b@x.de"),
            EmailStatus::Held,
        )
        .await
        .unwrap();
    let listed = f.store.outbox(agency.id, None, 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![second, first],
        "newest first"
    );
    assert_eq!(listed[1].message, Fixture::email("a@x.de"));
    // Older than a cursor: the page after the newest.
    let older = f.store.outbox(agency.id, Some(second), 10).await.unwrap();
    assert_eq!(older.iter().map(|e| e.id).collect::<Vec<_>>(), vec![first]);
    assert_eq!(f.store.outbox(agency.id, None, 1).await.unwrap().len(), 1);
    let now = Utc::now();
    let waiting = f.store.emails_to_deliver(now, 10).await.unwrap();
    assert_eq!(
        waiting.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![first],
        "held ones stay"
    );
    // Two processes claim at once: one gets it.
    let other = f.second().await;
    let until = now + Duration::minutes(10);
    let (a, b) = tokio::join!(
        f.store.claim_email(first, now, until),
        other.claim_email(first, now, until)
    );
    assert!(a.unwrap() ^ b.unwrap(), "exactly one claim succeeds");
    assert!(f.store.emails_to_deliver(now, 10).await.unwrap().is_empty());
    f.store
        .record_delivery(first, Err("421 try later".into()), false)
        .await
        .unwrap();
    let retry = f.store.emails_to_deliver(now, 10).await.unwrap();
    assert_eq!(retry[0].attempts, 1);
    assert_eq!(retry[0].last_error.as_deref(), Some("421 try later"));
    assert!(f.store.claim_email(first, now, until).await.unwrap());
    f.store.record_delivery(first, Ok(()), false).await.unwrap();
    let sent = &f.store.outbox(agency.id, None, 10).await.unwrap()[1];
    assert_eq!((sent.status, sent.attempts), (EmailStatus::Sent, 2));
    assert!(sent.sent_at.is_some());
    assert!(
        !f.store.claim_email(first, now, until).await.unwrap(),
        "a sent email stays sent"
    );
}

pub async fn a_claim_left_by_a_dead_process_runs_out(db: Db) {
    let f = Fixture::new(db).await;
    let id = f
        .store
        .enqueue_email(None, &Fixture::email("a@x.de"), EmailStatus::Pending)
        .await
        .unwrap();
    let now = Utc::now();
    let lease = Duration::minutes(10);
    // A process claims the email, then dies before recording anything.
    assert!(f.store.claim_email(id, now, now + lease).await.unwrap());
    let other = f.second().await;
    // While the claim runs, nobody else sends it.
    let during = now + Duration::minutes(5);
    assert!(
        other
            .emails_to_deliver(during, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!other.claim_email(id, during, during + lease).await.unwrap());
    // After it, the email is waiting again and another process sends it once.
    let after = now + lease + Duration::seconds(1);
    let waiting = other.emails_to_deliver(after, 10).await.unwrap();
    assert_eq!(waiting.iter().map(|e| e.id).collect::<Vec<_>>(), vec![id]);
    assert!(other.claim_email(id, after, after + lease).await.unwrap());
    assert!(!f.store.claim_email(id, after, after + lease).await.unwrap());
    other.record_delivery(id, Ok(()), false).await.unwrap();
    assert!(
        other
            .emails_to_deliver(after + lease * 2, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
