//! Migrations carry existing data over: a database as the previous version left it (JSON
//! lists of linked ids, a `users` table) reads the same after `connect` migrates it.

use crate::{Db, fresh_database};
use roadshow_domain::accounts::AccountStore;
use roadshow_domain::directory::DirectoryStore;
use roadshow_domain::events::EventStore;
use roadshow_domain::ids::*;
use roadshow_store::SqlStore;
use sqlx::{Connection, Executor};

/// The first two migrations of each database, as shipped.
fn earlier(db: Db) -> [&'static str; 2] {
    match db {
        Db::Sqlite => [
            include_str!("../../../../sql/sqlite/0001_foundation.sql"),
            include_str!("../../../../sql/sqlite/0002_live_exchange.sql"),
        ],
        Db::Postgres => [
            include_str!("../../../../sql/postgres/0001_foundation.sql"),
            include_str!("../../../../sql/postgres/0002_live_exchange.sql"),
        ],
    }
}

const DATA: &str = r#"
INSERT INTO agencies (id, slug, name) VALUES (1, 'bipsc', '{"en":"Agency"}');
INSERT INTO users (id, agency_id, email, display_name, role, department_id, password_hash, created_at)
    VALUES (1, 1, 'o@x.example', 'O', 'organiser', NULL, 'hash', 0);
INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ('t', 1, 0);
INSERT INTO events (id, agency_id, slug, title, theme, description, focus_industries, target_countries, languages, starts_at, ends_at, timezone, video_url, status, registration_questions, privacy_version, created_at, updated_at)
    VALUES (1, 1, 'e', '{"de":"Zwei Zonen"}', '{}', '{}', '[]', '[]', '["de"]', 1000, 2000, 'Asia/Shanghai', NULL, 'published', '[]', '1', 0, 0);
INSERT INTO parks (id, agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample, policy_ids)
    VALUES (1, 1, 'p1', '{"en":"P1"}', '{}', '{}', '[]', 2.5, NULL, NULL, 0, '[2, 1, 99]');
INSERT INTO parks (id, agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample, policy_ids)
    VALUES (2, 1, 'p2', '{"en":"P2"}', '{}', '{}', '[]', NULL, NULL, NULL, 0, '[]');
INSERT INTO policies (id, agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample)
    VALUES (1, 1, 'a', '{"en":"A"}', '{}', '{}', '[]', '[]', '{}', NULL, NULL, NULL, 0);
INSERT INTO policies (id, agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample)
    VALUES (2, 1, 'b', '{"en":"B"}', '{}', '{}', '[]', '[]', '{}', NULL, NULL, NULL, 0);
INSERT INTO stories (id, agency_id, slug, company_name, country, title, body, is_sample)
    VALUES (1, 1, 's', 'Steinbeis', 'DE', '{"en":"S"}', '{}', 0);
INSERT INTO sessions (id, event_id, starts_at, ends_at, kind, title, summary, department_id, presenter, park_ids, policy_ids, story_ids)
    VALUES (1, 1, 1000, 1500, 'presentation', '{"en":"S1"}', '{}', NULL, '{}', '[2, 1]', '[1, 1]', '[1, 7]');
"#;

pub async fn links_and_accounts_are_carried_over(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, dir.path()).await;
    sqlx::any::install_default_drivers();
    let connect_url = match db {
        Db::Sqlite => format!("{url}?mode=rwc"),
        Db::Postgres => url.clone(),
    };
    let mut conn = sqlx::AnyConnection::connect(&connect_url).await.unwrap();
    conn.execute("CREATE TABLE roadshow_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .await
        .unwrap();
    for (i, text) in earlier(db).iter().enumerate() {
        sqlx::raw_sql(text).execute(&mut conn).await.unwrap();
        conn.execute(
            format!(
                "INSERT INTO roadshow_migrations VALUES ({}, 'earlier', 0)",
                i + 1
            )
            .as_str(),
        )
        .await
        .unwrap();
    }
    sqlx::raw_sql(DATA).execute(&mut conn).await.unwrap();
    if db == Db::Postgres {
        // Explicit ids leave the identity sequences behind; the old program never did this.
        for table in [
            "agencies", "users", "events", "parks", "policies", "stories", "sessions",
        ] {
            conn.execute(
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100)").as_str(),
            )
            .await
            .unwrap();
        }
    }
    conn.close().await.unwrap();

    let store = SqlStore::connect(&url).await.unwrap();
    let session = store.session(SessionId(1)).await.unwrap().unwrap();
    assert_eq!(session.park_ids, vec![ParkId(2), ParkId(1)], "order kept");
    assert_eq!(session.policy_ids, vec![PolicyId(1)], "a repeated id once");
    assert_eq!(session.story_ids, vec![StoryId(1)], "a dangling id dropped");
    let park = store.park(ParkId(1)).await.unwrap().unwrap();
    assert_eq!(park.policy_ids, vec![PolicyId(2), PolicyId(1)]);
    assert_eq!(park.area_km2, Some(2.5));
    let account = store.account_by_api_token("t").await.unwrap().unwrap();
    assert_eq!(account.email, "o@x.example");
    assert_eq!(store.accounts(AgencyId(1)).await.unwrap().len(), 1);
}
