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
    },
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
        Principal::Staff(s) => Ok(ok(Me::Staff {
            email: s.email.clone(),
            display_name: s.display_name.clone(),
            role: s.role.into(),
            department_id: s.department_id.map(|d| d.0),
        })),
    }
}
