//! The Store conformance suite: every method of every capability's store trait, run
//! against SQLite and PostgreSQL alike (`tests/conformance.rs` makes each test two). Each
//! test starts from a fresh, empty store.

pub mod accounts;
pub mod broadcast;
pub mod departments;
pub mod directory;
pub mod events;
pub mod leads;
pub mod limits;
pub mod live;
pub mod materials;
pub mod meetings;
pub mod migrations;
pub mod outbox;
pub mod polls;
pub mod questions;
pub mod registrations;
pub mod reports;
pub mod signals;
pub mod surveys;
pub mod webhooks;

use crate::{Db, fresh_database};
use chrono::{DateTime, TimeZone, Utc};
use roadshow_domain::accounts::{AccountStore, Agency};
use roadshow_domain::events::{Event, EventDraft, EventStatus, EventStore};
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::registrations::{
    CompanyDraft, Email, Registration, RegistrationDraft, RegistrationStore,
};
use roadshow_domain::{Lang, Localized};
use roadshow_store::SqlStore;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A fresh store on one database, and what is needed to open a second one on it (as a
/// second process would).
pub struct Fixture {
    pub store: Arc<SqlStore>,
    pub db: Db,
    pub url: String,
    pub dir: tempfile::TempDir,
}

/// Text in all four languages, with what trips up encodings and case folding.
pub fn four(stem: &str) -> Localized {
    Localized::from_pairs([
        (
            Lang::De,
            format!("{stem} – Größe, Übersee & „Zitat“").as_str(),
        ),
        (
            Lang::En,
            format!("{stem} – “quoted” & <b>tags</b>").as_str(),
        ),
        (Lang::Zh, format!("{stem}——两区政策，“北京”").as_str()),
        (
            Lang::Fr,
            format!("{stem} – Électricité, cœur et « guillemets »").as_str(),
        ),
    ])
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_default()
}

impl Fixture {
    pub async fn new(db: Db) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(db, dir.path()).await;
        let store = Arc::new(SqlStore::connect(&url).await.unwrap());
        Fixture {
            store,
            db,
            url,
            dir,
        }
    }

    /// Another store on the same database, with its own connections.
    pub async fn second(&self) -> Arc<SqlStore> {
        Arc::new(SqlStore::connect(&self.url).await.unwrap())
    }

    pub async fn agency(&self, slug: &str) -> Agency {
        self.store
            .create_agency(slug, &four("Agentur"))
            .await
            .unwrap()
    }

    pub fn event_draft(slug: &str) -> EventDraft {
        EventDraft {
            slug: slug.into(),
            title: four("Zwei Zonen"),
            theme: four("Kooperation"),
            description: four("**Beschreibung**"),
            focus_industries: vec!["smart-manufacturing".into(), "biomedicine".into()],
            target_countries: vec!["DE".into(), "AT".into()],
            languages: vec![Lang::De, Lang::Zh],
            starts_at: at(2026, 12, 1, 7),
            ends_at: at(2026, 12, 1, 10),
            timezone: "Asia/Shanghai".into(),
            broadcast: Self::broadcast(),
            replay_public: true,
            attended_minutes: 15,
            status: EventStatus::Published,
            form_fields: Vec::new(),
            privacy_version: "2026-1".into(),
        }
    }

    /// An HLS stream with an interpreter's own stream, a recording and its real start.
    pub fn broadcast() -> roadshow_domain::broadcast::Broadcast {
        use roadshow_domain::broadcast::{Alternative, Broadcast, Source, Stream, StreamKind};
        let source = |kind, value: &str| Source {
            kind,
            value: value.into(),
        };
        Broadcast {
            stream: Some(Stream {
                source: source(
                    StreamKind::Hls,
                    "https://cdn.example/live/master.m3u8?x=1&y=2",
                ),
                alternatives: vec![Alternative {
                    language: Lang::Fr,
                    source: source(StreamKind::Youtube, "dQw4w9WgXcQ"),
                }],
            }),
            recording: Some(Stream {
                source: source(StreamKind::Vimeo, "76979871"),
                alternatives: Vec::new(),
            }),
            recording_started_at: Some(at(2026, 12, 1, 7) - chrono::Duration::seconds(95)),
        }
    }

    pub async fn event(&self, agency: &Agency, slug: &str) -> Event {
        self.store
            .create_event(agency.id, &Self::event_draft(slug))
            .await
            .unwrap()
    }

    pub fn registration_draft(email: &str, name: &str, company: &str) -> RegistrationDraft {
        RegistrationDraft {
            email: Email::parse(email).unwrap(),
            name: name.into(),
            job_title: Some("Geschäftsführerin".into()),
            language: Lang::De,
            company: CompanyDraft {
                name: company.into(),
                country: "DE".into(),
                industry: "machinery".into(),
                size: "50-249".into(),
                // One website per company: the same website is the same company.
                website: Some(format!(
                    "https://{}.example.de",
                    company
                        .to_lowercase()
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            },
            consent_version: "2026-1".into(),
            consents: vec![
                (
                    roadshow_domain::privacy::ConsentPurpose::Participation,
                    true,
                ),
                (roadshow_domain::privacy::ConsentPurpose::CrossBorder, true),
                (roadshow_domain::privacy::ConsentPurpose::Contact, true),
            ],
            answers: BTreeMap::new(),
        }
    }

    pub fn email(to: &str) -> EmailMessage {
        EmailMessage {
            to: to.into(),
            subject: "Bestätigung · 确认".into(),
            body_text: "Hallo Ärztin, 你好".into(),
            attachments: Vec::new(),
        }
    }

    pub async fn register(&self, event: &Event, email: &str, name: &str) -> Registration {
        self.store
            .create_registration(
                event,
                &Self::registration_draft(email, name, &format!("{name} GmbH")),
                &format!("hash-{email}"),
                &Self::email(email),
                EmailStatus::Held,
                false,
            )
            .await
            .unwrap()
    }
}

/// Makes each named `async fn(Db)` of the suite two tests, on SQLite and PostgreSQL.
#[macro_export]
macro_rules! conformance {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $name() { roadshow_testkit::conformance::$module::$name(roadshow_testkit::Db::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] #[cfg_attr(skip_postgres, ignore = "ROADSHOW_TEST_SKIP_POSTGRES=1")] async fn $name() { roadshow_testkit::conformance::$module::$name(roadshow_testkit::Db::Postgres).await } )* }
    };
}
