//! Agencies, staff accounts, API tokens and sign-in sessions.

use super::{Fixture, four};
use crate::Db;
use chrono::{Duration, Utc};
use roadshow_domain::accounts::{AccountStore, Role};
use roadshow_domain::store::StoreError;

pub async fn agencies_round_trip_and_slugs_are_unique(db: Db) {
    let f = Fixture::new(db).await;
    let made = f.agency("bipsc").await;
    assert_eq!(made.name, four("Agentur"));
    let by_slug = f.store.agency_by_slug("bipsc").await.unwrap().unwrap();
    let by_id = f.store.agency(made.id).await.unwrap().unwrap();
    assert_eq!(by_slug, made);
    assert_eq!(by_id, made);
    assert!(f.store.agency_by_slug("nope").await.unwrap().is_none());
    let again = f.store.create_agency("bipsc", &four("x")).await;
    assert!(
        matches!(again, Err(StoreError::Conflict("slug_taken"))),
        "{again:?}"
    );
}

pub async fn accounts_round_trip_and_emails_are_unique(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let other = f.agency("b").await;
    let made = f
        .store
        .create_account(
            agency.id,
            "Ünal.Öztürk@Example.DE",
            "Ünal Öztürk 王",
            Role::Moderator,
            None,
            "hash-1",
        )
        .await
        .unwrap();
    assert_eq!(made.email, "ünal.öztürk@example.de");
    assert_eq!(made.display_name, "Ünal Öztürk 王");
    assert_eq!(made.role, Role::Moderator);
    // Found again whatever the case and surrounding spaces of the address.
    let record = f
        .store
        .account_by_email("  ÜNAL.ÖZTÜRK@example.de ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.account, made);
    assert_eq!(record.password_hash, "hash-1");
    f.store.set_password(made.id, "hash-2").await.unwrap();
    let record = f
        .store
        .account_by_email(&made.email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.password_hash, "hash-2");
    let twice = f
        .store
        .create_account(other.id, &made.email, "x", Role::Organiser, None, "h")
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("email_taken"))),
        "{twice:?}"
    );
    assert_eq!(f.store.accounts(agency.id).await.unwrap(), vec![made]);
    assert!(f.store.accounts(other.id).await.unwrap().is_empty());
}

pub async fn api_tokens_and_sign_in_sessions(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let account = f
        .store
        .create_account(agency.id, "o@x.example", "O", Role::Organiser, None, "h")
        .await
        .unwrap();
    f.store
        .create_api_token(account.id, "token-hash")
        .await
        .unwrap();
    assert_eq!(
        f.store.account_by_api_token("token-hash").await.unwrap(),
        Some(account.clone())
    );
    assert_eq!(f.store.account_by_api_token("other").await.unwrap(), None);
    let now = Utc::now();
    f.store
        .create_login_session(
            "session-hash",
            account.id,
            "csrf-1",
            now + Duration::hours(1),
        )
        .await
        .unwrap();
    let (who, csrf) = f
        .store
        .login_session("session-hash", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((who, csrf.as_str()), (account.clone(), "csrf-1"));
    // Expired is as good as absent.
    assert!(
        f.store
            .login_session("session-hash", now + Duration::hours(2))
            .await
            .unwrap()
            .is_none()
    );
    f.store.delete_login_session("session-hash").await.unwrap();
    assert!(
        f.store
            .login_session("session-hash", now)
            .await
            .unwrap()
            .is_none()
    );
}
