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

/// Staff signing in through the agency's identity provider (OpenID Connect): which role a
/// claim's value gives, and whether a person the provider vouches for gets in.
pub mod provided {
    use super::Role;

    /// Claim values → roles, as the operator configured them (`value=role`). Without any,
    /// the values `organiser`, `investment_officer` and `moderator` give those roles.
    /// Officials are never made this way: their account needs a department.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RoleMap(Vec<(String, Role)>);

    impl RoleMap {
        /// Reads `value=role` entries; names each one that cannot be used.
        pub fn parse(entries: &[String]) -> Result<RoleMap, Vec<String>> {
            let mut map = Vec::new();
            let mut wrong = Vec::new();
            for e in entries {
                match e
                    .split_once('=')
                    .map(|(v, r)| (v.trim(), r.trim().parse::<Role>()))
                {
                    Some((value, Ok(role))) if !value.is_empty() && role != Role::Official => {
                        map.push((value.to_string(), role))
                    }
                    _ => wrong.push(e.clone()),
                }
            }
            if !wrong.is_empty() {
                return Err(wrong);
            }
            if map.is_empty() {
                map = [Role::Organiser, Role::InvestmentOfficer, Role::Moderator]
                    .into_iter()
                    .map(|r| (r.code().to_string(), r))
                    .collect();
            }
            Ok(RoleMap(map))
        }

        /// The role the first entry matching one of the values gives (a person in
        /// several groups gets the one listed first).
        pub fn role(&self, values: &[String]) -> Option<Role> {
            self.0
                .iter()
                .find(|(v, _)| values.iter().any(|x| x == v))
                .map(|(_, r)| *r)
        }
    }

    /// What the provider says about the person, from a verified ID token.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Identity {
        pub email: Option<String>,
        pub email_verified: bool,
        pub name: Option<String>,
        /// The role claim's value(s): a string or a list of strings.
        pub role_values: Vec<String>,
    }

    /// Whether they get in, and as whom.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Admission {
        /// The account with this (verified) email.
        Existing(String),
        /// A new account of the agency with this email, name and role.
        Create {
            email: String,
            name: String,
            role: Role,
        },
        /// Not let in: `email_unverified`, `no_email` or `no_role`.
        Refused(&'static str),
    }

    /// An account is matched by a verified email only; a new one needs a role claim that
    /// maps to a role (no claim, no account).
    pub fn admit(identity: &Identity, has_account: bool, roles: &RoleMap) -> Admission {
        let Some(email) = identity
            .email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| e.contains('@'))
        else {
            return Admission::Refused("no_email");
        };
        if !identity.email_verified {
            return Admission::Refused("email_unverified");
        }
        if has_account {
            return Admission::Existing(email);
        }
        match roles.role(&identity.role_values) {
            Some(role) => Admission::Create {
                name: identity
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| email.clone()),
                email,
                role,
            },
            None => Admission::Refused("no_role"),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn who(email: &str, verified: bool, roles: &[&str]) -> Identity {
            Identity {
                email: Some(email.into()),
                email_verified: verified,
                name: Some("Erika Lang".into()),
                role_values: roles.iter().map(|r| r.to_string()).collect(),
            }
        }

        #[test]
        fn a_configured_claim_value_gives_its_role_and_nothing_else_does() {
            let map = RoleMap::parse(&[
                "promotion-organisers=organiser".into(),
                "promotion-officers = investment_officer".into(),
            ])
            .unwrap_or_else(|e| panic!("{e:?}"));
            let admitted = admit(
                &who(
                    "Erika@Agency.example",
                    true,
                    &["staff", "promotion-organisers"],
                ),
                false,
                &map,
            );
            assert_eq!(
                admitted,
                Admission::Create {
                    email: "erika@agency.example".into(),
                    name: "Erika Lang".into(),
                    role: Role::Organiser
                }
            );
            assert_eq!(
                admit(&who("a@b.example", true, &["organiser"]), false, &map),
                Admission::Refused("no_role")
            );
            assert_eq!(
                admit(&who("a@b.example", true, &[]), false, &map),
                Admission::Refused("no_role")
            );
        }

        #[test]
        fn only_a_verified_email_matches_or_makes_an_account() {
            let map = RoleMap::parse(&[]).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(
                admit(&who("a@b.example", false, &["organiser"]), true, &map),
                Admission::Refused("email_unverified")
            );
            assert_eq!(
                admit(&who("A@B.example", true, &[]), true, &map),
                Admission::Existing("a@b.example".into())
            );
            let mut nobody = who("", true, &["organiser"]);
            nobody.email = None;
            assert_eq!(admit(&nobody, false, &map), Admission::Refused("no_email"));
            // The default map: role codes give their roles; officials are never made.
            assert_eq!(map.role(&["moderator".into()]), Some(Role::Moderator));
            assert_eq!(map.role(&["official".into()]), None);
        }

        #[test]
        fn entries_that_cannot_be_used_are_named() {
            assert_eq!(
                RoleMap::parse(&[
                    "x=official".into(),
                    "y".into(),
                    "z=admin".into(),
                    "a=organiser".into()
                ]),
                Err(vec!["x=official".into(), "y".into(), "z=admin".into()])
            );
        }
    }
}
