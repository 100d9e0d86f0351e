//! The demo: the seed's event brought to life — Beijing's "Two Zones" cloud promotion
//! for German companies, with the agency, its departments, the five presentations and the
//! exchange slot, the parks, the two policies the seed names, sample park policies, the
//! two success stories and 62 sample companies with registrations, in four languages.
//!
//! The content is data (`crates/app/demo/two-zones-germany.json`), kept apart from this
//! loader, which feeds it through the same use cases as real input (so it is checked by
//! the same rules). Names of real organisations come from the seed; everything invented
//! (companies, people, park policies, figures) is stored as sample or says so in its text.
//! Loading is idempotent: what exists is kept, nothing is duplicated.

mod broadcast;
mod interest;
mod leads;
pub use leads::{OFFICER as OFFICER_EMAIL, PARKS_OFFICER as PARKS_OFFICER_EMAIL};
mod meetings;
mod privacy;
mod questions;

use crate::{App, AppError, AppResult};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use roadshow_domain::accounts::{Principal, Role};
use roadshow_domain::departments::DepartmentInput;
use roadshow_domain::events::{EventInput, SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use roadshow_domain::polls::PollInput;
use roadshow_domain::registrations::RegistrationInput;
use roadshow_domain::time::{BEIJING, beijing_date, to_local_input};
use roadshow_domain::{Lang, Localized};
use serde::Deserialize;

pub const AGENCY_SLUG: &str = "bipsc";
pub const EVENT_SLUG: &str = "two-zones-germany";
pub const ORGANISER_EMAIL: &str = "organiser@roadshow.example";
pub const MODERATOR_EMAIL: &str = "moderator@roadshow.example";
pub const OFFICIAL_EMAIL: &str = "official@roadshow.example";
/// The demo accounts' password, printed by `roadshow demo`. A demo on loopback only.
pub const DEMO_PASSWORD: &str = "roadshow-demo-2026";

/// The demo's content.
const CONTENT: &str = include_str!("../../demo/two-zones-germany.json");
/// The demo's parks, policies and stories, in the directory's file format.
pub const DIRECTORY: &str = include_str!("../../demo/directory.json");

#[derive(Deserialize)]
struct Content {
    agency: AgencyData,
    accounts: Vec<AccountData>,
    departments: Vec<DepartmentInput>,
    event: EventData,
    sessions: Vec<SessionData>,
    registrations: Vec<RegistrationInput>,
    questions: Vec<QuestionData>,
    poll: PollData,
}

#[derive(Deserialize)]
struct AgencyData {
    name: Localized,
}

#[derive(Deserialize)]
struct AccountData {
    email: String,
    name: String,
    role: Role,
    /// The slug of an official's department.
    department: Option<String>,
    /// The language of their emails.
    #[serde(default)]
    language: Option<Lang>,
}

/// The event; its day is the first Tuesday at least two weeks ahead (so that the demo is
/// always upcoming), at `starts`–`ends` Beijing time.
#[derive(Deserialize)]
struct EventData {
    #[serde(flatten)]
    input: EventInput,
    starts: NaiveTime,
    ends: NaiveTime,
}

#[derive(Deserialize)]
struct SessionData {
    starts: NaiveTime,
    ends: NaiveTime,
    kind: String,
    title: Localized,
    #[serde(default)]
    summary: Localized,
    /// The presenting department's slug.
    department: Option<String>,
    #[serde(default)]
    presenter: Localized,
    #[serde(default)]
    parks: Vec<String>,
    #[serde(default)]
    policies: Vec<String>,
    #[serde(default)]
    stories: Vec<String>,
    #[serde(default)]
    speakers: Vec<SpeakerInput>,
}

/// What happens to a demo question after it is asked.
#[derive(Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Fate {
    Pending,
    Approved,
    Pinned,
    Answered,
    AnsweredLive,
}

#[derive(Deserialize)]
struct QuestionData {
    /// Which registration asks (its place in the list).
    asker: usize,
    lang: String,
    text: String,
    /// Asked about the session of this department, if any.
    session_of: Option<String>,
    anonymous: bool,
    /// How many other participants vote for it.
    votes: usize,
    fate: Fate,
    answer: Option<AnswerData>,
}

#[derive(Deserialize)]
struct AnswerData {
    body: String,
    lang: String,
}

#[derive(Deserialize)]
struct PollData {
    #[serde(flatten)]
    input: PollInput,
    /// One answer per participant, in registration order.
    choices: Vec<Vec<usize>>,
}

/// What `load` found or made.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub event_slug: String,
    pub created: bool,
    pub registrations: i64,
}

/// The demo's event day: the first Tuesday at least two weeks ahead, a slot that suits
/// Beijing and Central Europe (15:00 in Beijing is 08:00 in Berlin in winter).
fn event_day() -> NaiveDate {
    let mut day = beijing_date(Utc::now() + Duration::days(14));
    while day.weekday() != Weekday::Tue {
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

/// A Beijing wall-clock time on `day`, as the event form takes it.
fn on(day: NaiveDate, time: NaiveTime) -> Option<String> {
    BEIJING
        .from_local_datetime(&day.and_time(time))
        .single()
        .map(|t| to_local_input(t.with_timezone(&Utc), BEIJING))
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("demo content: {what}"))
}

impl App {
    /// Loads the demo unless it is there already.
    pub async fn load_demo(&self) -> AppResult<DemoSummary> {
        let content: Content = serde_json::from_str(CONTENT).map_err(corrupt)?;
        let agency = match self.store.agency_by_slug(AGENCY_SLUG).await? {
            Some(a) => a,
            None => {
                self.store
                    .create_agency(AGENCY_SLUG, &content.agency.name)
                    .await?
            }
        };
        self.demo_accounts(&content, agency.id, false).await?;
        let organiser = self
            .store
            .account_by_email(ORGANISER_EMAIL)
            .await?
            .ok_or(AppError::internal("demo organiser missing"))?;
        let organiser = Principal::Staff(organiser.account);
        let created = if self.store.event_by_slug(EVENT_SLUG).await?.is_none() {
            self.create_demo_event(&content, &organiser, agency.id)
                .await?;
            true
        } else {
            false
        };
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let registrations = self.store.registration_counts(event.id).await?.total;
        Ok(DemoSummary {
            event_slug: EVENT_SLUG.into(),
            created,
            registrations,
        })
    }

    /// The demo's staff accounts: those without a department first, officials once their
    /// departments exist.
    async fn demo_accounts(
        &self,
        content: &Content,
        agency: AgencyId,
        officials: bool,
    ) -> AppResult<()> {
        let departments = self.store.departments(agency).await?;
        for a in &content.accounts {
            if a.department.is_some() != officials
                || self.store.account_by_email(&a.email).await?.is_some()
            {
                continue;
            }
            let department = a
                .department
                .as_ref()
                .and_then(|slug| departments.iter().find(|d| &d.slug == slug))
                .map(|d| d.id);
            let account = self
                .accounts()
                .add_user(agency, &a.email, &a.name, a.role, department, DEMO_PASSWORD)
                .await?;
            if let Some(language) = a.language {
                self.store
                    .set_account_language(account.id, language)
                    .await?;
            }
        }
        Ok(())
    }

    async fn create_demo_event(
        &self,
        content: &Content,
        organiser: &Principal,
        agency: AgencyId,
    ) -> AppResult<()> {
        // Departments through the organiser's use case; the catalogue's sample items
        // straight into the store, since only the demo may mark items as sample.
        let existing = self.store.departments(agency).await?;
        for d in &content.departments {
            if !existing.iter().any(|x| Some(&x.slug) == d.slug.as_ref()) {
                self.departments().create_department(organiser, d).await?;
            }
        }
        self.demo_accounts(content, agency, true).await?;
        // The directory through the same import as any organiser's file.
        self.directory()
            .import_file(
                organiser,
                DIRECTORY.as_bytes(),
                roadshow_domain::directory::file::FileFormat::Json,
            )
            .await?;

        let day = event_day();
        let mut event = content.event.input.clone();
        event.starts_at = on(day, content.event.starts);
        event.ends_at = on(day, content.event.ends);
        // The recording starts a few minutes before the first session, as real ones do.
        let recorded_from = content.event.starts - chrono::Duration::minutes(3);
        event.broadcast =
            broadcast::sample_broadcast(&self.config.base_url, on(day, recorded_from));
        self.events().create_event(organiser, &event).await?;
        let departments = self.store.departments(agency).await?;
        let department = |slug: &String| -> AppResult<i64> {
            departments
                .iter()
                .find(|d| &d.slug == slug)
                .map(|d| d.id.0)
                .ok_or_else(|| corrupt(format!("no department {slug}")))
        };
        let parks = self.store.parks(agency).await?;
        let stories = self.store.stories(agency).await?;
        let policies = self.store.policies(agency).await?;
        let policy = |slug: &String| -> AppResult<i64> {
            policies
                .iter()
                .find(|p| &p.slug == slug)
                .map(|p| p.id.0)
                .ok_or_else(|| corrupt(format!("no policy {slug}")))
        };
        for s in &content.sessions {
            let session = self
                .events()
                .create_session(
                    organiser,
                    EVENT_SLUG,
                    &SessionInput {
                        starts_at: on(day, s.starts),
                        ends_at: on(day, s.ends),
                        kind: Some(s.kind.clone()),
                        title: s.title.clone(),
                        summary: s.summary.clone(),
                        department_id: s.department.as_ref().map(department).transpose()?,
                        presenter: s.presenter.clone(),
                        broadcast: Default::default(),
                        park_ids: s
                            .parks
                            .iter()
                            .filter_map(|slug| parks.iter().find(|p| &p.slug == slug))
                            .map(|p| p.id.0)
                            .collect(),
                        policy_ids: s.policies.iter().map(policy).collect::<AppResult<_>>()?,
                        story_ids: s
                            .stories
                            .iter()
                            .filter_map(|slug| stories.iter().find(|x| &x.slug == slug))
                            .map(|x| x.id.0)
                            .collect(),
                    },
                )
                .await?;
            for speaker in &s.speakers {
                self.events()
                    .add_speaker(organiser, session.id, speaker)
                    .await?;
            }
        }
        // Sample companies: registered without the per-address limit, their emails held.
        for r in &content.registrations {
            self.registrations()
                .register_unlimited(EVENT_SLUG, r, Lang::De, true)
                .await?;
        }
        self.demo_broadcast(organiser).await?;
        self.demo_recipients(organiser).await?;
        self.demo_questions_and_poll(content, organiser).await
    }

    async fn demo_staff(&self, email: &str) -> AppResult<Principal> {
        self.store
            .account_by_email(email)
            .await?
            .map(|r| Principal::Staff(r.account))
            .ok_or(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests;
