//! Who the API caller is.

use crate::AppState;
use crate::api::ok;
use crate::caller::Ctx;
use crate::error::Error;
use crate::registrations::wire::Registration;
use crate::schema;
use axum::extract::State;
use axum::response::Response;
use roadshow_app::{AppError, Principal};
use roadshow_domain::accounts::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Organiser,
    Moderator,
    Official,
    InvestmentOfficer,
}

impl From<Role> for StaffRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Organiser => StaffRole::Organiser,
            Role::Moderator => StaffRole::Moderator,
            Role::Official => StaffRole::Official,
            Role::InvestmentOfficer => StaffRole::InvestmentOfficer,
        }
    }
}

/// The caller: a participant with their registration, or a staff member.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Me {
    Participant {
        registration: Box<Registration>,
    },
    Staff {
        #[schema(format = Email)]
        email: String,
        display_name: String,
        role: StaffRole,
        /// An official's department.
        #[schema(schema_with = schema::optional_id)]
        department_id: Option<i64>,
        /// The language of their emails (the scheduled report, reminders): de, en, zh, fr.
        language: String,
    },
}

/// The language of the caller's own emails.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageInput {
    /// `de`, `en`, `zh` or `fr`.
    #[serde(default)]
    #[schema(schema_with = language_code, required = true)]
    pub language: Option<String>,
}

fn language_code() -> utoipa::openapi::schema::Object {
    schema::one_of(&roadshow_domain::Lang::ALL.map(|l| l.code()))
}

/// Staff only: anonymous callers sign in, participants have no account.
pub fn staff_only(principal: &Principal) -> Result<&roadshow_domain::accounts::Account, AppError> {
    match principal {
        Principal::Anonymous => Err(AppError::Unauthenticated),
        Principal::Participant(_) => Err(AppError::Forbidden),
        Principal::Staff(s) => Ok(s),
    }
}

/// A language code as an account takes it; anything else is a 422 naming `language`.
pub fn parse_language(code: &str) -> Result<roadshow_domain::Lang, AppError> {
    code.trim()
        .parse()
        .map_err(|_| AppError::invalid("language", "unknown_language"))
}

fn staff_me(s: &roadshow_domain::accounts::Account) -> Me {
    Me::Staff {
        email: s.email.clone(),
        display_name: s.display_name.clone(),
        role: s.role.into(),
        department_id: s.department_id.map(|d| d.0),
        language: s.language.code().to_string(),
    }
}

/// Sets the language of the caller's own emails (staff).
#[utoipa::path(put, path = "/api/v1/me/language", operation_id = "set_my_language", tag = "accounts",
    security(("bearer" = [])), request_body = LanguageInput, responses((status = 200, body = Me)))]
pub async fn set_language(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::api::ApiJson(input): crate::api::ApiJson<LanguageInput>,
) -> Result<Response, Error> {
    staff_only(&ctx.principal)?;
    let language = match input.language.as_deref() {
        Some(code) => parse_language(code)?,
        None => return Err(Error(AppError::invalid("language", "required"))),
    };
    let account = state
        .app
        .accounts()
        .set_language(&ctx.principal, language)
        .await?;
    Ok(ok(staff_me(&account)))
}

/// Who the token belongs to: a participant gets their registration, staff their account.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "me", tag = "accounts",
    security(("bearer" = [])), responses((status = 200, body = Me)))]
pub async fn me(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    match &ctx.principal {
        Principal::Anonymous => Err(Error(AppError::Unauthenticated)),
        Principal::Participant(p) => {
            let registration = state
                .app
                .registrations()
                .registration(&ctx.principal, p.registration_id)
                .await?;
            Ok(ok(Me::Participant {
                registration: Box::new(Registration::from(&registration)),
            }))
        }
        Principal::Staff(s) => Ok(ok(staff_me(s))),
    }
}
