//! The audit chain (tampering found, an erased payload keeping it whole) and the retention
//! sweep (once with two processes, event overrides, bad input named).

use super::EVENT;
use chrono::{Duration, Utc};
use roadshow_testkit::{Db, TestApp};
use serde_json::json;
use sqlx::Connection;

pub(crate) async fn the_audit_chain_finds_what_was_changed_removed_or_inserted(db: Db) {
    let t = TestApp::with_demo(db).await;
    let privacy = t.app.privacy();
    let n = privacy.verify_audit().await.unwrap().unwrap();
    assert!(n > 0, "the demo's accounts and sign-ins are audited");
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.unwrap();
    // Changed.
    sqlx::query("UPDATE audit_log SET actor = 'account:999' WHERE seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    let broken = privacy.verify_audit().await.unwrap().unwrap_err();
    assert_eq!((broken.seq, broken.why), (2, "changed"));
    // Removed, in a store of its own.
    let fresh = TestApp::with_demo(db).await;
    let p2 = fresh.app.privacy();
    let mut c2 = sqlx::AnyConnection::connect(&fresh.url).await.unwrap();
    assert!(p2.verify_audit().await.unwrap().is_ok());
    // Removed.
    sqlx::query("DELETE FROM audit_payloads WHERE seq = 3")
        .execute(&mut c2)
        .await
        .unwrap();
    assert!(
        p2.verify_audit().await.unwrap().is_ok(),
        "a payload's erasure keeps the chain"
    );
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(&mut c2)
        .await
        .unwrap();
    assert_eq!(p2.verify_audit().await.unwrap().unwrap_err().why, "missing");
    // Inserted (a copy of an entry under a new number at the end).
    let third = TestApp::with_demo(db).await;
    let p3 = third.app.privacy();
    let mut c3 = sqlx::AnyConnection::connect(&third.url).await.unwrap();
    let (seq, _) = third.app.store.audit_head().await.unwrap();
    sqlx::query(&format!("INSERT INTO audit_log (seq, agency_id, at, actor, action, subject, payload_digest, prev_hash, hash) SELECT {}, agency_id, at, actor, action, subject, payload_digest, prev_hash, hash FROM audit_log WHERE seq = 1", seq + 1)).execute(&mut c3).await.unwrap();
    assert_eq!(p3.verify_audit().await.unwrap().unwrap_err().seq, seq + 1);
}

pub(crate) async fn the_retention_sweep_anonymises_once_with_two_processes(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    // The event ended 400 days ago: past the default 365.
    let now = Utc::now();
    t.reschedule_demo(
        now - Duration::days(400),
        now - Duration::days(400) + Duration::hours(3),
    )
    .await;
    let agency = t
        .app
        .store
        .event_by_slug(EVENT)
        .await
        .unwrap()
        .unwrap()
        .agency_id;
    let due = t.app.store.retention_due(agency, now).await.unwrap();
    let held = t.app.store.retention_held(agency, now).await.unwrap();
    assert!(
        !due.is_empty(),
        "participants whose company is no lead are due"
    );
    assert!(!held.is_empty(), "lead contacts are held for review");
    // An event of its own longer retention holds its participants.
    let set = t
        .json(
            "PUT",
            "/api/v1/privacy/retention",
            Some(&organiser),
            &json!({"days": 365, "events": [{"event": EVENT, "days": 500}]}).to_string(),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{}", set.body);
    assert!(
        t.app
            .store
            .retention_due(agency, now)
            .await
            .unwrap()
            .is_empty()
    );
    let set = t
        .json(
            "PUT",
            "/api/v1/privacy/retention",
            Some(&organiser),
            &json!({"days": 365, "events": [{"event": EVENT, "days": null}]}).to_string(),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200);
    let bad = t
        .json(
            "PUT",
            "/api/v1/privacy/retention",
            Some(&organiser),
            &json!({"days": 5}).to_string(),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    assert_eq!(bad.json()["errors"][0]["field"], "days");

    // Two processes sweep the same day at once: each participant is anonymised once.
    let (second, _) = roadshow_testkit::instance(&t.url, t.dir.path(), |_| {}).await;
    let (one, two) = (t.app.privacy(), second.privacy());
    let (a, b) = tokio::join!(one.sweep(now), two.sweep(now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, due.len(), "{a} + {b}");
    assert!(a == 0 || b == 0, "one process swept the day");
    assert!(
        t.app
            .store
            .retention_due(agency, now)
            .await
            .unwrap()
            .is_empty()
    );
    // Swept once a day: another run the same day does nothing.
    assert_eq!(t.app.privacy().sweep(now).await.unwrap(), 0);
    let person = t.app.store.person(due[0]).await.unwrap().unwrap();
    assert_eq!(person.erased_reason.as_deref(), Some("retention"));
    assert!(person.email.ends_with("@erased.invalid"));
}
