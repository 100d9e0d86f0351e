//! Accounts: the agency (the tenant), its staff accounts with their roles, sign-in
//! sessions and API tokens, and who is calling ([`Principal`]). Participants have no
//! account: they sign in by their registration's token.

use crate::ids::{AccountId, AgencyId, DepartmentId, EventId, ParticipantId, RegistrationId};
use crate::localized::Localized;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A staff role. Participants are not users: they sign in by their registration's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Agency staff who organise events.
    Organiser,
    /// Moderates the questions of the live exchange.
    Moderator,
    /// An official of a department who answers questions.
    Official,
    /// Follows up the companies that may invest (the leads pipeline).
    #[serde(rename = "investment_officer")]
    InvestmentOfficer,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Moderator => "moderator",
            Role::Official => "official",
            Role::InvestmentOfficer => "investment_officer",
        }
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "organiser" => Ok(Role::Organiser),
            "moderator" => Ok(Role::Moderator),
            "official" => Ok(Role::Official),
            "investment_officer" => Ok(Role::InvestmentOfficer),
            _ => Err(()),
        }
    }
}

/// A staff account as signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub agency_id: AgencyId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    /// The language their emails are written in (the report, reminders).
    pub language: crate::Lang,
}

/// A participant as signed in by their registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantAccess {
    pub registration_id: RegistrationId,
    pub participant_id: ParticipantId,
    pub event_id: EventId,
}

/// The caller of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Staff(Account),
    Participant(ParticipantAccess),
}

impl Principal {
    /// The staff member when it is an organiser of `agency`.
    pub fn organiser_of(&self, agency: AgencyId) -> Option<&Account> {
        match self {
            Principal::Staff(s) if s.role == Role::Organiser && s.agency_id == agency => Some(s),
            _ => None,
        }
    }

    /// An investment officer or organiser of `agency`: who may see and work on leads.
    pub fn lead_staff_of(&self, agency: AgencyId) -> Option<&Account> {
        match self {
            Principal::Staff(s)
                if s.agency_id == agency
                    && matches!(s.role, Role::Organiser | Role::InvestmentOfficer) =>
            {
                Some(s)
            }
            _ => None,
        }
    }

    /// Any staff member of `agency` (organisers, moderators, officials).
    pub fn staff_of(&self, agency: AgencyId) -> Option<&Account> {
        match self {
            Principal::Staff(s) if s.agency_id == agency => Some(s),
            _ => None,
        }
    }

    pub fn staff(&self) -> Option<&Account> {
        match self {
            Principal::Staff(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    pub id: AgencyId,
    pub slug: String,
    pub name: Localized,
}

/// A staff account with its password hash (argon2, PHC string).
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub account: Account,
    pub password_hash: String,
}

/// Where agencies, staff accounts, API tokens and sign-in sessions are kept. Secrets are
/// kept only as hashes.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>>;
    async fn agency(&self, id: AgencyId) -> StoreResult<Option<Agency>>;
    async fn create_agency(&self, slug: &str, name: &Localized) -> StoreResult<Agency>;

    async fn create_account(
        &self,
        agency: AgencyId,
        email: &str,
        display_name: &str,
        role: Role,
        department: Option<DepartmentId>,
        password_hash: &str,
    ) -> StoreResult<Account>;
    async fn account_by_email(&self, email: &str) -> StoreResult<Option<AccountRecord>>;
    async fn accounts(&self, agency: AgencyId) -> StoreResult<Vec<Account>>;
    async fn set_password(&self, account: AccountId, password_hash: &str) -> StoreResult<()>;
    /// Sets the language the account's emails are written in.
    async fn set_account_language(
        &self,
        account: AccountId,
        language: crate::Lang,
    ) -> StoreResult<()>;
    async fn create_api_token(&self, account: AccountId, token_hash: &str) -> StoreResult<()>;
    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>>;
    async fn create_login_session(
        &self,
        session_hash: &str,
        account: AccountId,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The signed-in account and the session's CSRF token, if the session is current.
    async fn login_session(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Account, String)>>;
    async fn delete_login_session(&self, session_hash: &str) -> StoreResult<()>;
}
