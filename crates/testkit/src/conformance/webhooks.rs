//! Webhook endpoints and deliveries: messages written with the change they tell of, only
//! to the endpoints that subscribed, claimed once across processes, retried, disabled
//! after a 410 or a day of failures, and purged after the log's time.

use super::Fixture;
use crate::Db;
use chrono::{Duration, Utc};
use roadshow_domain::ids::{DeliveryId, WebhookId};
use roadshow_domain::store::StoreError;
use roadshow_domain::webhooks::*;

fn endpoint(url: &str, events: &[EventType]) -> EndpointDraft {
    EndpointDraft {
        url: url.into(),
        events: events.to_vec(),
        description: "CRM – Größe «crm» 客户关系".into(),
    }
}

pub async fn registrations_write_signed_messages_only_for_subscribers(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("beijing").await;
    let other = f.agency("shanghai").await;
    let event = f.event(&agency, "two-zones").await;
    let crm = f
        .store
        .add_webhook(
            agency.id,
            &endpoint(
                "https://crm.example.de/hooks",
                &[EventType::RegistrationCreated, EventType::ParticipantErased],
            ),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .await
        .unwrap();
    assert_eq!(crm.description, "CRM – Größe «crm» 客户关系");
    assert_eq!(crm.disabled, None);
    let answers_only = f
        .store
        .add_webhook(
            agency.id,
            &endpoint("https://site.example.de/", &[EventType::QuestionAnswered]),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .await
        .unwrap();
    let elsewhere = f
        .store
        .add_webhook(
            other.id,
            &endpoint(
                "https://other.example.cn/",
                &[EventType::RegistrationCreated],
            ),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .await
        .unwrap();
    assert_eq!(
        f.store.webhooks(agency.id).await.unwrap().len(),
        2,
        "each agency sees its own"
    );
    assert!(f.store.webhook(other.id, crm.id).await.unwrap().is_none());

    let registration = f.register(&event, "anna@example.de", "Anna").await;
    let log = f
        .store
        .deliveries(agency.id, crm.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "one message for the subscriber");
    let d = &log[0];
    assert_eq!(d.event_type, "registration.created");
    assert_eq!(d.state, DeliveryState::Pending);
    assert!(d.message_id.starts_with("msg_"));
    let body: serde_json::Value = serde_json::from_str(&d.payload).unwrap();
    assert_eq!(body["type"], "registration.created");
    assert_eq!(body["data"]["registration_id"], registration.id.0);
    assert_eq!(body["data"]["event_id"], event.id.0);
    assert!(
        !d.payload.contains("anna@example.de") && !d.payload.contains("Anna"),
        "ids only: {}",
        d.payload
    );
    for (a, e) in [(agency.id, answers_only.id), (other.id, elsewhere.id)] {
        assert!(f.store.deliveries(a, e, None, 10).await.unwrap().is_empty());
    }

    // Due now, with what sending needs; one process claims it, the other cannot.
    let now = Utc::now() + Duration::seconds(1);
    let due = f.store.due_deliveries(now, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].url, "https://crm.example.de/hooks");
    assert_eq!(due[0].secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let second = f.second().await;
    let until = now + Duration::minutes(2);
    assert!(f.store.claim_delivery(d.id, now, until).await.unwrap());
    assert!(!second.claim_delivery(d.id, now, until).await.unwrap());
    assert!(f.store.due_deliveries(now, 10).await.unwrap().is_empty());
    // A claim left by a dead process runs out.
    let later = until + Duration::seconds(1);
    assert_eq!(f.store.due_deliveries(later, 10).await.unwrap().len(), 1);
    assert!(
        second
            .claim_delivery(d.id, later, later + Duration::minutes(2))
            .await
            .unwrap()
    );

    // A failure is retried later; the endpoint is failing since then.
    let failed = judge(later, Some(503), None, 0, 0.0);
    second.record_attempt(d.id, &failed).await.unwrap();
    let d1 = &f
        .store
        .deliveries(agency.id, crm.id, None, 10)
        .await
        .unwrap()[0];
    assert_eq!(
        (d1.state, d1.attempts, d1.last_status),
        (DeliveryState::Pending, 1, Some(503))
    );
    assert_eq!(
        d1.next_attempt_at.timestamp(),
        (later + Duration::seconds(5)).timestamp()
    );
    let e = f.store.webhook(agency.id, crm.id).await.unwrap().unwrap();
    assert_eq!(
        e.failing_since.map(|t| t.timestamp()),
        Some(later.timestamp())
    );
    assert!(f.store.due_deliveries(later, 10).await.unwrap().is_empty());

    // Then it is delivered: the run of failures ends.
    let at = later + Duration::seconds(6);
    assert!(
        f.store
            .claim_delivery(d.id, at, at + Duration::minutes(2))
            .await
            .unwrap()
    );
    f.store
        .record_attempt(d.id, &judge(at, Some(204), None, 1, 0.0))
        .await
        .unwrap();
    let d2 = &f
        .store
        .deliveries(agency.id, crm.id, None, 10)
        .await
        .unwrap()[0];
    assert_eq!(d2.state, DeliveryState::Delivered);
    assert_eq!(d2.delivered_at.map(|t| t.timestamp()), Some(at.timestamp()));
    assert_eq!(d2.last_error, None);
    let e = f.store.webhook(agency.id, crm.id).await.unwrap().unwrap();
    assert_eq!(e.failing_since, None);
    assert_eq!(
        e.last_success_at.map(|t| t.timestamp()),
        Some(at.timestamp())
    );

    // Sent again on request: the same id and body, attempts from the start.
    let again = f.store.resend_delivery(agency.id, d.id, at).await.unwrap();
    assert_eq!(
        (
            again.state,
            again.attempts,
            again.message_id.as_str(),
            again.payload.as_str()
        ),
        (
            DeliveryState::Pending,
            0,
            d.message_id.as_str(),
            d.payload.as_str()
        )
    );
    assert!(matches!(
        f.store.resend_delivery(other.id, d.id, at).await,
        Err(StoreError::NotFound)
    ));

    // Old finished messages are purged; waiting ones stay.
    assert_eq!(
        f.store
            .purge_deliveries(at + Duration::days(31))
            .await
            .unwrap(),
        0
    );
    f.store
        .record_attempt(d.id, &judge(at, Some(200), None, 0, 0.0))
        .await
        .unwrap();
    assert_eq!(
        f.store
            .purge_deliveries(at + Duration::days(31))
            .await
            .unwrap(),
        1
    );
    assert!(
        f.store
            .deliveries(agency.id, crm.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Removing an endpoint removes its log; another agency cannot remove it.
    assert!(matches!(
        f.store.remove_webhook(other.id, crm.id).await,
        Err(StoreError::NotFound)
    ));
    f.store.remove_webhook(agency.id, crm.id).await.unwrap();
    assert!(f.store.webhook(agency.id, crm.id).await.unwrap().is_none());
    f.register(&event, "ben@example.de", "Ben").await;
    assert!(f.store.due_deliveries(at, 10).await.unwrap().is_empty());
}

pub async fn gone_and_a_day_of_failures_turn_an_endpoint_off(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("beijing").await;
    let event = f.event(&agency, "two-zones").await;
    let add = |url: &'static str| {
        let store = f.store.clone();
        async move {
            store
                .add_webhook(
                    agency.id,
                    &endpoint(url, &[EventType::RegistrationCreated]),
                    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                )
                .await
                .unwrap()
        }
    };
    let gone = add("https://gone.example.de/").await;
    let down = add("https://down.example.de/").await;
    f.register(&event, "anna@example.de", "Anna").await;
    let first = |id: WebhookId| {
        let store = f.store.clone();
        async move { store.deliveries(agency.id, id, None, 10).await.unwrap()[0].id }
    };
    let now = Utc::now() + Duration::seconds(1);

    // 410: failed at once, and the endpoint is off.
    let g: DeliveryId = first(gone.id).await;
    assert!(
        f.store
            .claim_delivery(g, now, now + Duration::minutes(2))
            .await
            .unwrap()
    );
    f.store
        .record_attempt(g, &judge(now, Some(410), None, 0, 0.0))
        .await
        .unwrap();
    let e = f.store.webhook(agency.id, gone.id).await.unwrap().unwrap();
    assert_eq!(e.disabled, Some(DisabledReason::Gone));
    assert_eq!(
        f.store
            .deliveries(agency.id, gone.id, None, 10)
            .await
            .unwrap()[0]
            .state,
        DeliveryState::Failed
    );

    // Every retry spent with no success since the message was written: off.
    let d = first(down.id).await;
    let mut at = now;
    let mut attempts = 0;
    loop {
        assert!(
            f.store
                .claim_delivery(d, at, at + Duration::minutes(2))
                .await
                .unwrap()
        );
        let a = judge(at, None, Some("fetch_timeout".into()), attempts, 0.0);
        f.store.record_attempt(d, &a).await.unwrap();
        attempts += 1;
        match a.verdict {
            Verdict::Retry(next) => at = next,
            _ => break,
        }
    }
    let e = f.store.webhook(agency.id, down.id).await.unwrap().unwrap();
    assert_eq!(e.disabled, Some(DisabledReason::Failures));
    let log = f
        .store
        .deliveries(agency.id, down.id, None, 10)
        .await
        .unwrap();
    assert_eq!((log[0].state, log[0].attempts), (DeliveryState::Failed, 8));
    assert_eq!(log[0].last_error.as_deref(), Some("fetch_timeout"));

    // While off, new messages for it are not written and waiting ones not sent; turned on,
    // it receives again.
    f.register(&event, "ben@example.de", "Ben").await;
    assert_eq!(
        f.store
            .deliveries(agency.id, down.id, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let e = f.store.enable_webhook(agency.id, down.id).await.unwrap();
    assert_eq!((e.disabled, e.failing_since), (None, None));
    f.register(&event, "chen@example.de", "Chen").await;
    let log = f
        .store
        .deliveries(agency.id, down.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].state, DeliveryState::Pending);
    // Pages of the log, newest first.
    let page = f
        .store
        .deliveries(agency.id, down.id, Some(log[0].id), 10)
        .await
        .unwrap();
    assert_eq!(page.iter().map(|d| d.id).collect::<Vec<_>>(), [log[1].id]);
}

pub async fn an_agency_holds_a_bounded_number_of_endpoints(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("beijing").await;
    for i in 0..ENDPOINTS_MAX {
        f.store
            .add_webhook(
                agency.id,
                &endpoint(
                    &format!("https://crm.example.de/{i}"),
                    &[EventType::LeadStageChanged],
                ),
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            )
            .await
            .unwrap();
    }
    assert!(matches!(
        f.store
            .add_webhook(
                agency.id,
                &endpoint("https://crm.example.de/x", &[EventType::LeadStageChanged]),
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            )
            .await,
        Err(StoreError::Conflict("too_many_webhooks"))
    ));
    assert_eq!(
        f.store.webhooks(agency.id).await.unwrap().len(),
        ENDPOINTS_MAX
    );
}
