//! The storage port: what Roadshow keeps and how the rest of the program reads and
//! writes it. One trait, implemented over SQLite and over PostgreSQL.

use crate::event::{
    DepartmentDraft, EventDraft, EventStatus, RegistrationQuestion, SessionDraft, SessionKind,
};
use crate::ids::*;
use crate::lang::Lang;
use crate::localized::Localized;
use crate::mail::{EmailMessage, EmailStatus};
use crate::principal::{Role, StaffMember};
use crate::qa::{
    LiveEvent, NewAnswer, NewLiveEvent, NewPoll, NewQuestion, Poll, PollState, Question,
    QuestionState,
};
use crate::registration::NewRegistration;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a store operation failed. Codes are stable and translated by the interface.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; the code says which (`already_registered`, `slug_taken`).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database failed; the text is for the log, never for the user.
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    pub id: AgencyId,
    pub slug: String,
    pub name: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Department {
    pub id: DepartmentId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub kind: String,
    pub name: Localized,
    pub description: Localized,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: EventId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub title: Localized,
    pub theme: Localized,
    pub description: Localized,
    pub focus_industries: Vec<String>,
    pub target_countries: Vec<String>,
    pub languages: Vec<Lang>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub video_url: Option<String>,
    pub status: EventStatus,
    pub registration_questions: Vec<RegistrationQuestion>,
    pub privacy_version: String,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// The event's zone; Beijing when the stored name is unknown to this build.
    pub fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(crate::time::BEIJING)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    pub id: SpeakerId,
    pub session_id: SessionId,
    pub name: String,
    pub role: Localized,
}

/// A material: a stored file or a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Material {
    pub id: MaterialId,
    pub session_id: SessionId,
    pub title: String,
    /// Set for links.
    pub url: Option<String>,
    /// Set for files: the name under the uploads folder.
    #[serde(skip)]
    pub file_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaterial {
    pub session_id: SessionId,
    pub title: String,
    pub url: Option<String>,
    pub file_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub event_id: EventId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    pub title: Localized,
    pub summary: Localized,
    pub department_id: Option<DepartmentId>,
    pub presenter: Localized,
    pub park_ids: Vec<ParkId>,
    pub policy_ids: Vec<PolicyId>,
    pub story_ids: Vec<StoryId>,
    pub speakers: Vec<Speaker>,
    pub materials: Vec<Material>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Park {
    pub id: ParkId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub name: Localized,
    pub district: Localized,
    pub summary: Localized,
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    /// Invented demo content, shown as such.
    pub is_sample: bool,
    pub policy_ids: Vec<PolicyId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParkDraft {
    pub slug: String,
    pub name: Localized,
    pub district: Localized,
    pub summary: Localized,
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub is_sample: bool,
    pub policy_ids: Vec<PolicyId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub id: PolicyId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub title: Localized,
    pub issuing_body: Localized,
    pub region: Localized,
    pub sectors: Vec<String>,
    pub benefit_types: Vec<String>,
    pub summary: Localized,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDraft {
    pub slug: String,
    pub title: Localized,
    pub issuing_body: Localized,
    pub region: Localized,
    pub sectors: Vec<String>,
    pub benefit_types: Vec<String>,
    pub summary: Localized,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuccessStory {
    pub id: StoryId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub company_name: String,
    pub country: String,
    pub title: Localized,
    pub body: Localized,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoryDraft {
    pub slug: String,
    pub company_name: String,
    pub country: String,
    pub title: Localized,
    pub body: Localized,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub country: String,
    pub industry: String,
    pub size: String,
    pub website: Option<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub id: RegistrationId,
    pub event_id: EventId,
    pub participant_id: ParticipantId,
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub language: Lang,
    pub company: Company,
    pub consent_at: DateTime<Utc>,
    pub consent_version: String,
    pub answers: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

/// Which registrations an organiser wants to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationFilter {
    pub country: Option<String>,
    pub industry: Option<String>,
    /// Part of a name, email or company name.
    pub search: Option<String>,
}

/// Registrations counted by country and by industry, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistrationCounts {
    pub total: i64,
    pub by_country: Vec<(String, i64)>,
    pub by_industry: Vec<(String, i64)>,
}

/// A staff account with its password hash (argon2, PHC string).
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub staff: StaffMember,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEmail {
    pub id: EmailId,
    pub message: EmailMessage,
    pub status: EmailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Which questions to read. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub event: Option<EventId>,
    pub agency: Option<AgencyId>,
    pub department: Option<DepartmentId>,
    pub participant: Option<ParticipantId>,
    pub states: Vec<QuestionState>,
}

/// The live events a change appends, made from the changed question once the store knows
/// its id and counts. Called inside the store's transaction; must not block.
pub type QuestionLive<'a> = &'a (dyn Fn(&Question) -> Vec<NewLiveEvent> + Send + Sync);
/// The same for polls.
pub type PollLive<'a> = &'a (dyn Fn(&Poll) -> Vec<NewLiveEvent> + Send + Sync);

/// A new question with who asked it and what Roadshow suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDraft {
    pub event: EventId,
    pub participant: ParticipantId,
    pub author_name: String,
    pub author_company: String,
    pub question: NewQuestion,
    pub suggested_department: Option<DepartmentId>,
    pub suggestion_reason: Option<String>,
}

/// An answer with its author, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerDraft {
    pub answer: NewAnswer,
    pub author: UserId,
    pub author_name: String,
    pub department: Option<DepartmentId>,
}

/// One vote or the taking back of one, as the batched vote writer receives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteChange {
    pub event: EventId,
    pub question: QuestionId,
    pub participant: ParticipantId,
    /// `true` to vote, `false` to take the vote back.
    pub up: bool,
}

/// What a vote change did: the question's stored count, and whether anything changed
/// (voting twice or taking back a vote never given changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteOutcome {
    pub question: QuestionId,
    pub votes: i64,
    pub changed: bool,
}

/// The state of an event's live exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    /// The number of the newest live event.
    pub seq: i64,
    /// The session the moderator marked as on now.
    pub current_session: Option<SessionId>,
    /// Working days after the event by which written answers are due.
    pub answer_working_days: u32,
    pub faq_published_at: Option<DateTime<Utc>>,
}

impl Default for LiveState {
    fn default() -> Self {
        LiveState {
            seq: 0,
            current_session: None,
            answer_working_days: 5,
            faq_published_at: None,
        }
    }
}

/// Everything Roadshow keeps. Implementations make each method one transaction, so a
/// method that returned `Ok` has its effect on disk.
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`, for logs and the health check.
    fn backend(&self) -> &'static str;
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>>;
    async fn agency(&self, id: AgencyId) -> StoreResult<Option<Agency>>;
    async fn create_agency(&self, slug: &str, name: &Localized) -> StoreResult<Agency>;

    async fn departments(&self, agency: AgencyId) -> StoreResult<Vec<Department>>;
    async fn department(&self, id: DepartmentId) -> StoreResult<Option<Department>>;
    async fn create_department(
        &self,
        agency: AgencyId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department>;
    async fn update_department(
        &self,
        id: DepartmentId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department>;

    /// Events of one agency (or all), soonest first; `public_only` leaves out drafts.
    async fn events(&self, agency: Option<AgencyId>, public_only: bool) -> StoreResult<Vec<Event>>;
    async fn event_by_slug(&self, slug: &str) -> StoreResult<Option<Event>>;
    async fn event(&self, id: EventId) -> StoreResult<Option<Event>>;
    async fn create_event(&self, agency: AgencyId, draft: &EventDraft) -> StoreResult<Event>;
    async fn update_event(&self, id: EventId, draft: &EventDraft) -> StoreResult<Event>;

    /// The agenda, in time order, with speakers and materials.
    async fn sessions(&self, event: EventId) -> StoreResult<Vec<Session>>;
    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>>;
    async fn create_session(&self, event: EventId, draft: &SessionDraft) -> StoreResult<Session>;
    async fn update_session(&self, id: SessionId, draft: &SessionDraft) -> StoreResult<Session>;
    /// Removes a session with its speakers and material records; returns the file keys of
    /// its materials so the caller can remove the files.
    async fn delete_session(&self, id: SessionId) -> StoreResult<Vec<String>>;

    async fn add_speaker(
        &self,
        session: SessionId,
        name: &str,
        role: &Localized,
    ) -> StoreResult<Speaker>;
    async fn speaker(&self, id: SpeakerId) -> StoreResult<Option<Speaker>>;
    async fn delete_speaker(&self, id: SpeakerId) -> StoreResult<()>;

    async fn add_material(&self, material: &NewMaterial) -> StoreResult<Material>;
    async fn material(&self, id: MaterialId) -> StoreResult<Option<Material>>;
    async fn delete_material(&self, id: MaterialId) -> StoreResult<()>;

    async fn parks(&self, agency: AgencyId) -> StoreResult<Vec<Park>>;
    async fn create_park(&self, agency: AgencyId, draft: &ParkDraft) -> StoreResult<Park>;
    async fn park(&self, id: ParkId) -> StoreResult<Option<Park>>;
    /// Changes a park's fields (its sample flag stays as it was).
    async fn update_park(&self, id: ParkId, draft: &ParkDraft) -> StoreResult<Park>;
    async fn policies(&self, agency: AgencyId) -> StoreResult<Vec<Policy>>;
    async fn create_policy(&self, agency: AgencyId, draft: &PolicyDraft) -> StoreResult<Policy>;
    async fn policy(&self, id: PolicyId) -> StoreResult<Option<Policy>>;
    /// Changes a policy's fields (its sample flag stays as it was).
    async fn update_policy(&self, id: PolicyId, draft: &PolicyDraft) -> StoreResult<Policy>;
    async fn stories(&self, agency: AgencyId) -> StoreResult<Vec<SuccessStory>>;
    async fn create_story(&self, agency: AgencyId, draft: &StoryDraft)
    -> StoreResult<SuccessStory>;
    async fn story(&self, id: StoryId) -> StoreResult<Option<SuccessStory>>;
    /// Changes a story's fields (its sample flag stays as it was).
    async fn update_story(&self, id: StoryId, draft: &StoryDraft) -> StoreResult<SuccessStory>;

    /// Stores a registration with its participant and company (found again by email and
    /// by name and country) and, in the same transaction, the confirmation email, so that
    /// an acknowledged registration always has its email in the outbox. The same email
    /// twice for one event is `Conflict("already_registered")`.
    async fn create_registration(
        &self,
        event: &Event,
        registration: &NewRegistration,
        token_hash: &str,
        confirmation: &EmailMessage,
        email_status: EmailStatus,
        is_sample: bool,
    ) -> StoreResult<Registration>;
    async fn registrations(
        &self,
        event: EventId,
        filter: &RegistrationFilter,
    ) -> StoreResult<Vec<Registration>>;
    async fn registration_counts(&self, event: EventId) -> StoreResult<RegistrationCounts>;
    async fn registration(&self, id: RegistrationId) -> StoreResult<Option<Registration>>;
    async fn registration_by_token(&self, token_hash: &str) -> StoreResult<Option<Registration>>;

    async fn create_user(
        &self,
        agency: AgencyId,
        email: &str,
        display_name: &str,
        role: Role,
        department: Option<DepartmentId>,
        password_hash: &str,
    ) -> StoreResult<StaffMember>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    async fn users(&self, agency: AgencyId) -> StoreResult<Vec<StaffMember>>;
    async fn set_password(&self, user: UserId, password_hash: &str) -> StoreResult<()>;
    async fn create_api_token(&self, user: UserId, token_hash: &str) -> StoreResult<()>;
    async fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<StaffMember>>;
    async fn create_login_session(
        &self,
        session_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The signed-in staff member and the session's CSRF token, if the session is current.
    async fn login_session(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(StaffMember, String)>>;
    async fn delete_login_session(&self, session_hash: &str) -> StoreResult<()>;

    async fn enqueue_email(
        &self,
        agency: Option<AgencyId>,
        message: &EmailMessage,
        status: EmailStatus,
    ) -> StoreResult<EmailId>;
    /// The newest emails of an agency, newest first.
    async fn outbox(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<OutboxEmail>>;
    /// Emails waiting for delivery, oldest first.
    async fn emails_to_deliver(&self, limit: i64) -> StoreResult<Vec<OutboxEmail>>;
    /// Claims a pending email for delivery by this process; `false` if another has it.
    async fn claim_email(&self, id: EmailId) -> StoreResult<bool>;
    /// Records a delivery attempt: sent, or failed with the error (pending again unless
    /// `give_up`).
    async fn record_delivery(
        &self,
        id: EmailId,
        outcome: Result<(), String>,
        give_up: bool,
    ) -> StoreResult<()>;

    // The live exchange. Every method that changes what participants see appends its live
    // events in the same transaction, numbered per event.

    async fn create_question(
        &self,
        draft: &QuestionDraft,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question>;
    /// A question with its answers.
    async fn question(&self, id: QuestionId) -> StoreResult<Option<Question>>;
    /// Questions with their answers, oldest first.
    async fn questions(&self, filter: &QuestionFilter) -> StoreResult<Vec<Question>>;
    /// Saves a moderated question. `question.version` is the new version; the stored one
    /// must be the one before, else `Conflict("stale")`. Pinning a question unpins the
    /// event's others.
    async fn save_question(
        &self,
        question: &Question,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question>;
    /// Saves `source` (already in state `Merged`) and moves its votes to `target`; a
    /// participant who voted for both counts once. Returns the target.
    async fn merge_question(
        &self,
        source: &Question,
        target: QuestionId,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question>;
    /// Applies vote changes in one transaction (one disk sync for the lot) and appends one
    /// `question_voted` live event per question whose count changed.
    async fn apply_votes(&self, changes: &[VoteChange]) -> StoreResult<Vec<VoteOutcome>>;
    /// The questions of an event a participant has voted for.
    async fn voted_questions(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<QuestionId>>;
    /// Adds an answer and saves the question's new state (versioned as in
    /// `save_question`); the email to the asker, if any, goes into the outbox in the same
    /// transaction.
    async fn add_answer(
        &self,
        question: &Question,
        answer: &AnswerDraft,
        email: Option<(&EmailMessage, EmailStatus, AgencyId)>,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question>;

    async fn create_poll(
        &self,
        event: EventId,
        poll: &NewPoll,
        live: PollLive<'_>,
    ) -> StoreResult<Poll>;
    /// A poll with its counts.
    async fn poll(&self, id: PollId) -> StoreResult<Option<Poll>>;
    async fn polls(&self, event: EventId) -> StoreResult<Vec<Poll>>;
    async fn set_poll_state(
        &self,
        id: PollId,
        state: PollState,
        results_shown: bool,
        live: PollLive<'_>,
    ) -> StoreResult<Poll>;
    /// Records (or replaces) a participant's choices; the poll must still be open when the
    /// transaction runs, else `Conflict("poll_not_open")`.
    async fn vote_poll(
        &self,
        id: PollId,
        participant: ParticipantId,
        choices: &[usize],
        live: PollLive<'_>,
    ) -> StoreResult<Poll>;
    /// A participant's choices per poll of an event.
    async fn poll_choices(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<(PollId, Vec<usize>)>>;

    async fn live_state(&self, event: EventId) -> StoreResult<LiveState>;
    /// Live events after `after`, oldest first, at most `limit`.
    async fn live_events(
        &self,
        event: EventId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<LiveEvent>>;
    /// Marks the session on now, with its live event.
    async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
        live: NewLiveEvent,
    ) -> StoreResult<LiveState>;
    async fn set_answer_settings(
        &self,
        event: EventId,
        working_days: u32,
        faq_published: bool,
    ) -> StoreResult<LiveState>;
}
