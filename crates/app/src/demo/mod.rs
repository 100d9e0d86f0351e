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

mod follow_up;

use crate::{App, AppError, AppResult};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use roadshow_domain::accounts::{ParticipantAccess, Principal, Role};
use roadshow_domain::departments::DepartmentInput;
use roadshow_domain::events::{EventInput, SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use roadshow_domain::polls::PollInput;
use roadshow_domain::questions::{AnswerInput, ModerationInput, QuestionInput};
use roadshow_domain::registrations::{RegistrationFilter, RegistrationInput};
use roadshow_domain::time::{BEIJING, to_local_input};
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
    let mut day = (Utc::now() + Duration::days(14))
        .with_timezone(&BEIJING)
        .date_naive();
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
            self.accounts()
                .add_user(agency, &a.email, &a.name, a.role, department, DEMO_PASSWORD)
                .await?;
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
        self.demo_questions_and_poll(content, organiser).await
    }

    async fn demo_staff(&self, email: &str) -> AppResult<Principal> {
        self.store
            .account_by_email(email)
            .await?
            .map(|r| Principal::Staff(r.account))
            .ok_or(AppError::NotFound)
    }

    /// The questions asked, moderated, routed, voted and answered through the same use
    /// cases as in a real exchange, and the poll, so that the live page and the console
    /// show what they are for.
    async fn demo_questions_and_poll(
        &self,
        content: &Content,
        organiser: &Principal,
    ) -> AppResult<()> {
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let registrations = self
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let participant = |i: usize| -> AppResult<Principal> {
            let r = registrations
                .get(i % registrations.len().max(1))
                .ok_or(AppError::NotFound)?;
            Ok(Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            }))
        };
        let moderator = self.demo_staff(MODERATOR_EMAIL).await?;
        let official = self.demo_staff(OFFICIAL_EMAIL).await?;
        let sessions = self.store.sessions(event.id).await?;
        let departments = self.store.departments(event.agency_id).await?;
        let dept = |slug: &str| departments.iter().find(|d| d.slug == slug).map(|d| d.id);
        let session_of = |slug: &str| {
            let id = dept(slug);
            sessions
                .iter()
                .find(|s| id.is_some() && s.department_id == id)
                .map(|s| s.id.0)
        };
        let moderate = |action: &str, department: Option<i64>| ModerationInput {
            action: Some(action.into()),
            department,
            ..Default::default()
        };
        for d in &content.questions {
            let (q, _) = self
                .questions()
                .ask_question(
                    &participant(d.asker)?,
                    EVENT_SLUG,
                    &QuestionInput {
                        text: Some(d.text.clone()),
                        session_id: d.session_of.as_deref().and_then(session_of),
                        anonymous: d.anonymous,
                        lang: Some(d.lang.clone()),
                    },
                )
                .await?;
            if d.fate == Fate::Pending {
                continue;
            }
            self.questions()
                .moderate(&moderator, q.id, &moderate("approve", None))
                .await?;
            // Accept Roadshow's suggestion, as a moderator would.
            let routed = q
                .suggested_department
                .or_else(|| dept("two-zones-office"))
                .map(|d| d.0);
            self.questions()
                .moderate(&moderator, q.id, &moderate("route", routed))
                .await?;
            for v in 0..d.votes {
                self.questions()
                    .vote(&participant(40 + v)?, q.id, true)
                    .await?;
            }
            match (d.fate, &d.answer) {
                (Fate::Pinned, _) => {
                    self.questions()
                        .moderate(&moderator, q.id, &moderate("pin", None))
                        .await?;
                }
                (Fate::Answered, Some(answer)) => {
                    // The official of the department answers what is routed there.
                    let answerer = if routed == dept("shunyi").map(|d| d.0) {
                        &official
                    } else {
                        organiser
                    };
                    let input = AnswerInput {
                        body: Some(answer.body.clone()),
                        live: false,
                        lang: Some(answer.lang.clone()),
                    };
                    self.questions()
                        .answer(answerer, q.id, &input, Lang::De)
                        .await?;
                }
                (Fate::AnsweredLive, _) => {
                    let input = AnswerInput {
                        body: None,
                        live: true,
                        lang: Some("de".into()),
                    };
                    self.questions()
                        .answer(organiser, q.id, &input, Lang::De)
                        .await?;
                }
                _ => {}
            }
        }
        let poll = self
            .polls()
            .create_poll(organiser, EVENT_SLUG, &content.poll.input)
            .await?;
        self.polls().poll_action(organiser, poll.id, "open").await?;
        for (v, choices) in content.poll.choices.iter().enumerate() {
            self.polls()
                .vote_poll(&participant(v)?, poll.id, choices)
                .await?;
        }
        self.polls()
            .poll_action(organiser, poll.id, "show_results")
            .await?;
        self.demo_meetings(organiser, &registrations, &departments)
            .await?;
        self.demo_follow_up(organiser, &registrations).await
    }

    /// Meeting booking on the event: every department a host (one district away for the
    /// first slot of each afternoon), two afternoons in Beijing
    /// (mornings in Germany), sample requests and slots from the first sample companies,
    /// and a confirmed schedule made by the scheduler, so that every meetings page shows
    /// what it is for.
    async fn demo_meetings(
        &self,
        organiser: &Principal,
        registrations: &[roadshow_domain::registrations::Registration],
        departments: &[roadshow_domain::departments::Department],
    ) -> AppResult<()> {
        use roadshow_domain::meetings::{BookingInput, HostInput, RequestInput};
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let zone = event.zone();
        let day = event.starts_at.with_timezone(&zone).date_naive();
        let days = [
            day + chrono::Duration::days(1),
            day + chrono::Duration::days(2),
        ];
        let input = BookingInput {
            days: days
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            day_start: "15:00".into(),
            day_end: "18:00".into(),
            slot_minutes: Some(30),
            break_minutes: Some(10),
            max_per_company: Some(3),
            request_deadline: roadshow_domain::time::to_local_input(event.starts_at, zone),
            video_link: "https://meet.roadshow.example/two-zones/{meeting}".into(),
            hosts: departments
                .iter()
                .enumerate()
                .map(|(i, d)| HostInput {
                    department_id: d.id.0,
                    capacity: if i == 0 { 3 } else { 2 },
                    // One district cannot make the first slot of either afternoon.
                    unavailable: if i == 3 {
                        booking_days_first_slots(&days, zone)
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
        };
        let booking = self
            .meetings()
            .save_booking(organiser, EVENT_SLUG, &input)
            .await?;
        let slots = booking.slots(zone);
        const TOPICS: [&str; 6] = [
            "Standortsuche für eine Fertigung (Beispiel)",
            "Förderung für Forschung und Entwicklung (Beispiel)",
            "Marktzugang im Rahmen der \"zwei Zonen\" (Beispiel)",
            "Fachkräfte und Visa (Beispiel)",
            "Gründung einer Vertriebsgesellschaft (Beispiel)",
            "Flächen im Industriepark (Beispiel)",
        ];
        const PRIORITIES: [&str; 3] = ["must", "want", "nice"];
        for (i, r) in registrations.iter().take(24).enumerate() {
            let who = Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            });
            for k in 0..(2 + i % 2) {
                let d = &departments[(i * 2 + k * 3) % departments.len()];
                let ask = RequestInput {
                    department_id: d.id.0,
                    priority: PRIORITIES[(i + k) % 3].into(),
                    topic: TOPICS[(i + k) % TOPICS.len()].into(),
                };
                self.meetings().request(&who, EVENT_SLUG, &ask).await?;
            }
            // Some can make the first afternoon, some the second, some both.
            let marked: Vec<String> = slots
                .iter()
                .enumerate()
                .filter(|(j, _)| match i % 3 {
                    0 => *j < slots.len() / 2,
                    1 => *j >= slots.len() / 2,
                    _ => j % 2 == 0,
                })
                .map(|(_, s)| s.starts_at.timestamp().to_string())
                .collect();
            self.meetings()
                .set_availability(&who, EVENT_SLUG, &marked)
                .await?;
        }
        // The hosts' own interest: the first department asks two more companies.
        for r in registrations.iter().skip(24).take(2) {
            let ask = roadshow_domain::meetings::InvitationInput {
                department_id: departments[0].id.0,
                participant_id: r.participant_id.0,
                topic: "Vorstellung der Förderpolitik (Beispiel)".into(),
            };
            self.meetings().invite(organiser, EVENT_SLUG, &ask).await?;
            let who = Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            });
            let marked: Vec<String> = slots
                .iter()
                .map(|s| s.starts_at.timestamp().to_string())
                .collect();
            self.meetings()
                .set_availability(&who, EVENT_SLUG, &marked)
                .await?;
        }
        let proposal = self
            .meetings()
            .propose_within(organiser, EVENT_SLUG, true, 500)
            .await?;
        self.meetings()
            .confirm_and_tell(
                organiser,
                EVENT_SLUG,
                &proposal.scheduled.output.meetings,
                false,
            )
            .await?;
        Ok(())
    }
}

/// The first slot (15:00 in Beijing) of each demo meeting day, as slot ids.
fn booking_days_first_slots<Z: chrono::TimeZone>(
    days: &[chrono::NaiveDate],
    zone: Z,
) -> Vec<String> {
    days.iter()
        .filter_map(|d| d.and_hms_opt(15, 0, 0))
        .filter_map(|t| zone.from_local_datetime(&t).earliest())
        .map(|t| t.timestamp().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_reads_and_keeps_the_seed() {
        let content: Content = serde_json::from_str(CONTENT).unwrap();
        // The seed: six departments, five presentations and the exchange, four parks, two
        // success stories, and more than sixty companies.
        assert_eq!(content.departments.len(), 6);
        assert_eq!(content.sessions.len(), 6);
        assert_eq!(
            content
                .sessions
                .iter()
                .filter(|s| s.kind == "exchange")
                .count(),
            1
        );
        let value: serde_json::Value = serde_json::from_str(DIRECTORY).unwrap();
        let records = roadshow_domain::directory::file::read_json(&value).unwrap();
        let of = |kind: &str| {
            records
                .iter()
                .filter(|r| r.kind.as_deref() == Some(kind))
                .count()
        };
        assert_eq!((of("park"), of("story")), (4, 2));
        assert!(of("policy") >= 10);
        let plan = roadshow_domain::directory::file::plan(&records, &Default::default()).unwrap();
        // The seed's two policies are real; what the demo invents is marked sample.
        assert!(
            plan.policies
                .iter()
                .any(|(p, _, _)| p.slug == "two-zones" && !p.is_sample)
        );
        assert!(
            plan.policies
                .iter()
                .filter(|(p, _, _)| !p.criteria.is_empty())
                .all(|(p, _, _)| p.is_sample)
        );
        assert!(plan.parks.iter().all(|p| p.is_sample));
        assert!(content.registrations.len() > 60);
        for d in &content.departments {
            assert_eq!(d.name.0.len(), 4, "{:?} in four languages", d.slug);
        }
        // Every invented company is a sample: the loader marks all registrations so.
        assert!(
            content
                .questions
                .iter()
                .any(|q| q.fate == Fate::Answered && q.answer.is_some())
        );
    }
}
