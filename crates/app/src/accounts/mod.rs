//! Staff accounts and signing in: argon2 passwords, API tokens, server-side login sessions, participant
//! tokens, and the rate limits on failed attempts.

use crate::secrets::{hash_password, random_secret, secret_hash, verify_decoy, verify_password};
use crate::{App, AppError, AppResult, Principal};
use chrono::{Duration, Utc};
use roadshow_domain::accounts::{Account, ParticipantAccess, Role};
use roadshow_domain::ids::*;

pub mod oidc;

/// How long a login session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Staff API tokens start with this, participant tokens with [`PARTICIPANT_PREFIX`].
pub const STAFF_PREFIX: &str = "rst_";
pub const PARTICIPANT_PREFIX: &str = "rsp_";

/// A password a person chooses: 10 to 200 characters.
pub fn check_new_password(password: &str) -> AppResult<()> {
    let n = password.chars().count();
    if n < 10 {
        return Err(AppError::Invalid(vec![
            roadshow_domain::FieldError::limited("password", "too_short", 10),
        ]));
    }
    if n > 200 {
        return Err(AppError::Invalid(vec![
            roadshow_domain::FieldError::limited("password", "too_long", 200),
        ]));
    }
    Ok(())
}

/// A new login session: the cookie value and its CSRF token.
pub struct LoginSession {
    pub session_secret: String,
    pub csrf_token: String,
    pub staff: Account,
}

/// Staff accounts, sign-in sessions, API tokens and participant tokens.
#[derive(Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Staff accounts, sign-in sessions, API tokens and participant tokens.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { app: self }
    }
}

impl Accounts<'_> {
    /// Checks an email and password. Attempts count per account and per client address
    /// (a success gives its count back); past the limit every attempt (even a right one)
    /// answers `RateLimited` until the window ends. An unknown email fails exactly like a wrong password.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> AppResult<LoginSession> {
        // The agency may let staff in through its identity provider only.
        if !self.app.config.password_sign_in {
            return Err(AppError::Forbidden);
        }
        let limit = self.app.config.login_limit();
        let account_key = format!("login-account:{}", email.trim().to_lowercase());
        let client_key = format!("login-client:{client}");
        // One address may try several accounts (an office behind one NAT), so it gets
        // four times an account's allowance.
        let client_limit = roadshow_domain::limits::Limit {
            max: limit.max * 4,
            window: limit.window,
        };
        // Each attempt is counted before its password is checked, so that simultaneous
        // attempts cannot all pass; one that succeeds gives its count back below.
        self.app.limiter.hit(&account_key, limit).await?;
        self.app.limiter.hit(&client_key, client_limit).await?;
        let user = self.app.store.account_by_email(email).await?;
        let ok = match &user {
            Some(record) => verify_password(password, &record.password_hash).await?,
            None => {
                verify_decoy(password).await?;
                false
            }
        };
        let Some(record) = user.filter(|_| ok) else {
            return Err(AppError::Unauthenticated);
        };
        self.app.limiter.clear(&account_key).await?;
        self.app.limiter.refund(&client_key).await?;
        self.start_session(record.account, "password").await
    }

    /// Opens a login session for a signed-in staff member (`via`: `password` or
    /// `provider`), after its entry in the audit log: no session without one.
    pub(crate) async fn start_session(
        &self,
        account: Account,
        via: &'static str,
    ) -> AppResult<LoginSession> {
        self.app
            .privacy()
            .audit(&crate::privacy::draft(
                Some(account.agency_id),
                format!("account:{}", account.id),
                "sign_in",
                format!("account:{}", account.id),
                serde_json::json!({"via": via}),
            ))
            .await?;
        let session_secret = random_secret();
        let csrf_token = random_secret();
        self.app
            .store
            .create_login_session(
                &secret_hash(&session_secret),
                account.id,
                &csrf_token,
                Utc::now() + Duration::hours(SESSION_HOURS),
            )
            .await?;
        Ok(LoginSession {
            session_secret,
            csrf_token,
            staff: account,
        })
    }

    /// Ends a login session, and tells whatever this account has open (its live streams)
    /// to check again whether it may still see what it sees.
    pub async fn logout(&self, session_secret: &str) -> AppResult<()> {
        let hash = secret_hash(session_secret);
        let account = self.app.store.login_session(&hash, Utc::now()).await?;
        self.app.store.delete_login_session(&hash).await?;
        if let Some((account, _)) = account {
            // Nobody listening is fine: no stream of this account is open here.
            let _ = self.app.access_changes.send(account.id);
        }
        Ok(())
    }

    /// Accounts whose access just changed (a sign-out), for open live streams to check
    /// again at once; streams also check again every few seconds, which covers changes
    /// made by another process or directly in the database.
    pub fn access_changes(&self) -> tokio::sync::broadcast::Receiver<AccountId> {
        self.app.access_changes.subscribe()
    }

    /// The staff member and CSRF token of a login session cookie.
    pub async fn session_principal(
        &self,
        session_secret: &str,
    ) -> AppResult<Option<(Account, String)>> {
        Ok(self
            .app
            .store
            .login_session(&secret_hash(session_secret), Utc::now())
            .await?)
    }

    /// Who a bearer token belongs to: a staff member (`rst_`) or a participant (`rsp_`).
    /// An unknown token is `Unauthenticated`.
    pub async fn token_principal(&self, token: &str) -> AppResult<Principal> {
        if token.starts_with(STAFF_PREFIX) {
            if let Some(staff) = self
                .app
                .store
                .account_by_api_token(&secret_hash(token))
                .await?
            {
                return Ok(Principal::Staff(staff));
            }
        } else if token.starts_with(PARTICIPANT_PREFIX) {
            if let Some(r) = self
                .app
                .store
                .registration_by_token(&secret_hash(token))
                .await?
            {
                return Ok(Principal::Participant(ParticipantAccess {
                    registration_id: r.id,
                    participant_id: r.participant_id,
                    event_id: r.event_id,
                }));
            }
        }
        Err(AppError::Unauthenticated)
    }

    /// Creates an API token for a user (the `roadshow token create` command).
    pub async fn create_api_token(&self, email: &str) -> AppResult<String> {
        let user = self
            .app
            .store
            .account_by_email(email)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = format!("{STAFF_PREFIX}{}", random_secret());
        self.app
            .store
            .create_api_token(user.account.id, &secret_hash(&token))
            .await?;
        Ok(token)
    }

    /// Creates a staff account (the `roadshow user add` command). Officials belong to a
    /// department of the same agency.
    pub async fn add_user(
        &self,
        agency: AgencyId,
        email: &str,
        display_name: &str,
        role: Role,
        department: Option<DepartmentId>,
        password: &str,
    ) -> AppResult<Account> {
        let Some(email) = roadshow_domain::registrations::Email::parse(email) else {
            return Err(AppError::invalid("email", "invalid_email"));
        };
        check_new_password(password)?;
        match (role, department) {
            (Role::Official, None) => return Err(AppError::invalid("department", "required")),
            (_, Some(id)) => {
                let dept = self.app.store.department(id).await?;
                if dept.is_none_or(|d| d.agency_id != agency) {
                    return Err(AppError::invalid("department", "unknown_department"));
                }
            }
            _ => {}
        }
        let hash = hash_password(password).await?;
        self.app
            .privacy()
            .audit(&crate::privacy::draft(
                Some(agency),
                "system".into(),
                "account_added",
                format!("agency:{agency}"),
                serde_json::json!({"role": role.code(), "department": department}),
            ))
            .await?;
        let name = if display_name.trim().is_empty() {
            email.as_str()
        } else {
            display_name.trim()
        };
        Ok(self
            .app
            .store
            .create_account(agency, email.as_str(), name, role, department, &hash)
            .await?)
    }

    /// Sets the language of the caller's own emails (staff).
    pub async fn set_language(
        &self,
        principal: &Principal,
        language: roadshow_domain::Lang,
    ) -> AppResult<Account> {
        let staff = crate::access::Guards::as_staff(principal)?;
        self.app
            .privacy()
            .audit_staff(
                principal,
                staff.agency_id,
                "account_changed",
                format!("account:{}", staff.id),
                serde_json::json!({"language": language.code()}),
            )
            .await?;
        self.app
            .store
            .set_account_language(staff.id, language)
            .await?;
        Ok(Account {
            language,
            ..staff.clone()
        })
    }
}
