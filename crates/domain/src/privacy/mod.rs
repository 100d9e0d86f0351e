//! Privacy: consent per purpose, the data map, export and erasure of a participant's
//! data, retention, the register of recipients and the hash-chained audit log. The rules
//! are here; the store walks the map; the app decides who may do what.

mod activity;
pub mod audit;
pub mod map;
mod recipients;
mod tables;

pub use recipients::*;

use crate::ids::{AccountId, AgencyId, EventId, ParticipantId};
use crate::localized::Localized;
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use audit::{AuditDraft, AuditEntry};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The version of the consent notices; a participant's consent records the version they
/// saw, so that a changed notice can be asked for again.
pub const NOTICE_VERSION: &str = "2026-12";
/// A request is answered within one month (GDPR Art. 12(3)).
pub const DUE_DAYS: i64 = 30;
/// An export's link works this long.
pub const EXPORT_VALID_DAYS: i64 = 7;
/// One export a week per participant: enough for anyone, not a way to load the server.
pub const EXPORT_EVERY_DAYS: i64 = 7;
/// Retention after the event unless the agency sets another.
pub const DEFAULT_RETENTION_DAYS: i64 = 365;
/// The retention an agency may set, in days.
pub const RETENTION_RANGE: std::ops::RangeInclusive<i64> = 30..=3650;

/// What a participant consents to, each separately and never pre-ticked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Taking part in the event registered for (the contract); needed to register.
    Participation,
    /// The processing of their data in China (PIPL Art. 39 asks for a separate consent);
    /// needed to register, since Roadshow runs there.
    CrossBorder,
    /// Being emailed after the event: the survey, its reminder, later events.
    Contact,
    /// Their contact shared with the parks and departments named in the notice, for
    /// follow-up.
    Sharing,
    /// Being listed publicly (as a speaker or in a story).
    PublicListing,
}

impl ConsentPurpose {
    pub const ALL: [ConsentPurpose; 5] = [
        ConsentPurpose::Participation,
        ConsentPurpose::CrossBorder,
        ConsentPurpose::Contact,
        ConsentPurpose::Sharing,
        ConsentPurpose::PublicListing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentPurpose::Participation => "participation",
            ConsentPurpose::CrossBorder => "cross_border",
            ConsentPurpose::Contact => "contact",
            ConsentPurpose::Sharing => "sharing",
            ConsentPurpose::PublicListing => "public_listing",
        }
    }

    pub fn parse(code: &str) -> Option<ConsentPurpose> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether registering needs it.
    pub fn required(self) -> bool {
        matches!(
            self,
            ConsentPurpose::Participation | ConsentPurpose::CrossBorder
        )
    }
}

/// A participant's consent to one purpose as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub purpose: ConsentPurpose,
    /// The notice version they saw when they last chose.
    pub version: String,
    pub given: bool,
    pub changed_at: DateTime<Utc>,
}

/// The optional consents a registration may give (the two required ones are checked
/// where the registration is parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentsInput {
    pub cross_border: Option<bool>,
    pub contact: Option<bool>,
    pub sharing: Option<bool>,
    pub public_listing: Option<bool>,
}

impl ConsentsInput {
    /// Each purpose with the choice made: what is not given is refused.
    pub fn choices(&self, participation: bool) -> Vec<(ConsentPurpose, bool)> {
        vec![
            (ConsentPurpose::Participation, participation),
            (ConsentPurpose::CrossBorder, self.cross_border == Some(true)),
            (ConsentPurpose::Contact, self.contact == Some(true)),
            (ConsentPurpose::Sharing, self.sharing == Some(true)),
            (
                ConsentPurpose::PublicListing,
                self.public_listing == Some(true),
            ),
        ]
    }
}

/// Parses a participant's changes to their consents: purpose code → given.
pub fn parse_changes(
    given: &BTreeMap<String, bool>,
) -> Result<Vec<(ConsentPurpose, bool)>, Invalid> {
    let mut check = Checker::new();
    let mut out = Vec::new();
    for (code, value) in given {
        match ConsentPurpose::parse(code) {
            Some(p) => out.push((p, *value)),
            None => check.push(format!("consents.{code}"), "unknown_purpose"),
        }
    }
    if given.is_empty() {
        check.push("consents", "required");
    }
    check.finish(out)
}

/// Whether a participant may be emailed for the `Contact` purpose: their consent given
/// and not withdrawn.
pub fn may_contact(consents: &[Consent]) -> bool {
    consents
        .iter()
        .any(|c| c.purpose == ConsentPurpose::Contact && c.given)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Export,
    Erasure,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Export => "export",
            RequestKind::Erasure => "erasure",
        }
    }
    pub fn parse(code: &str) -> Option<RequestKind> {
        match code {
            "export" => Some(RequestKind::Export),
            "erasure" => Some(RequestKind::Erasure),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// An erasure asked for on the personal page, waiting for the emailed link.
    AwaitingConfirmation,
    /// Being carried out (an export being built).
    Pending,
    Done,
    Refused,
}

impl RequestState {
    pub fn code(self) -> &'static str {
        match self {
            RequestState::AwaitingConfirmation => "awaiting_confirmation",
            RequestState::Pending => "pending",
            RequestState::Done => "done",
            RequestState::Refused => "refused",
        }
    }
    pub fn parse(code: &str) -> Option<RequestState> {
        [
            RequestState::AwaitingConfirmation,
            RequestState::Pending,
            RequestState::Done,
            RequestState::Refused,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// How the request reached the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The participant's personal page.
    PersonalLink,
    /// By post or email, carried out by an organiser.
    Staff,
    /// The retention sweep.
    Retention,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::PersonalLink => "personal_link",
            Channel::Staff => "staff",
            Channel::Retention => "retention",
        }
    }
    pub fn parse(code: &str) -> Option<Channel> {
        match code {
            "personal_link" => Some(Channel::PersonalLink),
            "staff" => Some(Channel::Staff),
            "retention" => Some(Channel::Retention),
            _ => None,
        }
    }
}

/// A request to export or erase a participant's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrivacyRequest {
    pub id: i64,
    pub agency_id: AgencyId,
    pub participant_id: ParticipantId,
    pub kind: RequestKind,
    pub state: RequestState,
    pub channel: Channel,
    pub requested_at: DateTime<Utc>,
    /// One month after the request.
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub handled_by: Option<AccountId>,
    pub identity_check: Option<String>,
    pub refusal_reason: Option<String>,
    /// Until when an export can be downloaded.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether the export's file is ready.
    pub has_file: bool,
}

impl PrivacyRequest {
    /// Whether the export may be downloaded at `now`.
    pub fn downloadable(&self, now: DateTime<Utc>) -> bool {
        self.kind == RequestKind::Export
            && self.state == RequestState::Done
            && self.has_file
            && self.expires_at.is_some_and(|e| now < e)
    }
}

/// A request to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub agency_id: AgencyId,
    pub participant_id: ParticipantId,
    pub kind: RequestKind,
    pub state: RequestState,
    pub channel: Channel,
    pub at: DateTime<Utc>,
    pub confirm_hash: Option<String>,
    pub handled_by: Option<AccountId>,
    pub identity_check: Option<String>,
}

/// How a request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOutcome {
    pub state: RequestState,
    pub at: DateTime<Utc>,
    pub handled_by: Option<AccountId>,
    pub refusal_reason: Option<String>,
    /// An export's JSON and until when it may be downloaded.
    pub file: Option<(String, DateTime<Utc>)>,
}

/// When the next export may be asked for, given the last one.
pub fn next_export_at(last: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    last.map(|at| at + Duration::days(EXPORT_EVERY_DAYS))
}

/// A participant as the privacy capability sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: ParticipantId,
    pub agency_id: AgencyId,
    pub name: String,
    pub email: String,
    pub language: crate::Lang,
    pub erased_at: Option<DateTime<Utc>>,
    pub erased_reason: Option<String>,
}

/// One table of what is kept about a participant: its columns, and each of their rows'
/// values in that order (as text; `None` is an empty column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableData {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl TableData {
    /// The values of one column, row by row.
    pub fn column(&self, name: &str) -> impl Iterator<Item = Option<&str>> + '_ {
        let at = self.columns.iter().position(|c| *c == name);
        self.rows
            .iter()
            .map(move |r| at.and_then(|i| r.get(i)).and_then(|v| v.as_deref()))
    }
}

/// Everything kept about a participant: the tables of the data map that hold rows of
/// theirs, with every column of those rows.
pub type PersonalData = BTreeMap<String, TableData>;

/// What an erasure did, per table of the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureOutcome {
    pub participant_id: ParticipantId,
    pub erased_at: DateTime<Utc>,
    /// Table → rows deleted or anonymised.
    pub changed: BTreeMap<String, u64>,
    /// Table → the reason its rows of the person were kept as they are.
    pub kept: BTreeMap<String, &'static str>,
}

/// An agency's retention: days after the event, and the events that override it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retention {
    pub days: i64,
    pub events: Vec<EventRetention>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRetention {
    pub event_id: EventId,
    pub slug: String,
    pub title: Localized,
    pub ends_at: DateTime<Utc>,
    /// `None`: the agency's.
    pub days: Option<i64>,
}

/// Checks a retention in days, naming `field`.
pub fn check_retention(check: &mut Checker, field: &str, days: i64) {
    if !RETENTION_RANGE.contains(&days) {
        check.push_range(field, *RETENTION_RANGE.start(), *RETENTION_RANGE.end());
    }
}

/// The moment a participant whose last event ended at `last_end` is due for anonymising.
pub fn retention_due_at(last_end: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    last_end + Duration::days(days)
}

/// Where privacy's records are kept, and how the data map is walked.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Every agency, for the sweep.
    async fn agency_ids(&self) -> StoreResult<Vec<AgencyId>>;
    async fn person(&self, id: ParticipantId) -> StoreResult<Option<Person>>;
    async fn person_by_email(&self, agency: AgencyId, email: &str) -> StoreResult<Option<Person>>;
    async fn consents(&self, participant: ParticipantId) -> StoreResult<Vec<Consent>>;
    /// Records choices (purpose, given) with the notice version, and their audit entry
    /// in the same transaction.
    async fn set_consents(
        &self,
        participant: ParticipantId,
        choices: &[(ConsentPurpose, bool)],
        version: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> StoreResult<Vec<Consent>>;
    /// Of these participants, those who may be emailed for follow-up: contact consent
    /// given, not erased.
    async fn contactable(
        &self,
        participants: &[ParticipantId],
    ) -> StoreResult<HashSet<ParticipantId>>;
    /// Everything the data map says is theirs.
    async fn personal_data(&self, person: &Person) -> StoreResult<PersonalData>;
    /// Erases a participant as the map says, in one transaction with the audit entry;
    /// `None` when they were already erased (by another process, say).
    async fn erase(
        &self,
        person: &Person,
        reason: &str,
        email_hash: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> StoreResult<Option<ErasureOutcome>>;
    /// The agency's key for do-not-contact hashes and its retention, made on first use
    /// with `new_key`.
    async fn privacy_settings(&self, agency: AgencyId, new_key: &str)
    -> StoreResult<(String, i64)>;
    async fn do_not_contact(&self, agency: AgencyId, email_hash: &str) -> StoreResult<bool>;
    async fn retention(&self, agency: AgencyId) -> StoreResult<Retention>;
    async fn set_retention(
        &self,
        agency: AgencyId,
        days: i64,
        events: &[(EventId, Option<i64>)],
        audit: &AuditDraft,
    ) -> StoreResult<()>;
    /// Participants of the agency not erased whose last event ended longer ago than its
    /// retention, who are not a lead's contact and have no export pending.
    async fn retention_due(
        &self,
        agency: AgencyId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ParticipantId>>;
    /// Participants past retention kept because their company is a lead (for review).
    async fn retention_held(
        &self,
        agency: AgencyId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Person>>;
    /// Claims the agency's sweep of `day`: true for the one process that gets it.
    async fn claim_sweep(&self, agency: AgencyId, day: &str) -> StoreResult<bool>;
    async fn create_request(
        &self,
        request: &NewRequest,
        audit: &AuditDraft,
    ) -> StoreResult<PrivacyRequest>;
    async fn request(&self, id: i64) -> StoreResult<Option<PrivacyRequest>>;
    async fn request_by_confirmation(&self, hash: &str) -> StoreResult<Option<PrivacyRequest>>;
    async fn requests(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<PrivacyRequest>>;
    async fn participant_requests(
        &self,
        participant: ParticipantId,
    ) -> StoreResult<Vec<PrivacyRequest>>;
    async fn finish_request(&self, id: i64, outcome: &RequestOutcome) -> StoreResult<()>;
    async fn export_file(&self, id: i64) -> StoreResult<Option<String>>;
    async fn recipients(&self, agency: AgencyId) -> StoreResult<Vec<Recipient>>;
    async fn add_recipient(
        &self,
        agency: AgencyId,
        draft: &RecipientDraft,
        audit: &AuditDraft,
    ) -> StoreResult<Recipient>;
    async fn remove_recipient(
        &self,
        agency: AgencyId,
        id: i64,
        audit: &AuditDraft,
    ) -> StoreResult<()>;
    /// Appends an entry to the chain.
    async fn audit(&self, draft: &AuditDraft, at: DateTime<Utc>) -> StoreResult<AuditEntry>;
    /// Entries after `after`, in order, at most `limit`.
    async fn audit_entries(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// The latest entries of an agency, newest first.
    async fn audit_recent(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// The chain's head: its last number and hash.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;
}
