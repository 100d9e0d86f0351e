//! What is not a capability: the health check, the OpenAPI document and the reference
//! lists a registration chooses from.

use crate::AppState;
use crate::api::{CountryCode, IndustryCode, Language, json, ok};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::countries::COUNTRIES;
use roadshow_domain::reference::{COMPANY_SIZES, INDUSTRIES};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

/// Whether the server and its database answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Unavailable,
}

/// The health check's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: HealthStatus,
    /// `sqlite` or `postgres`.
    #[schema(schema_with = backend)]
    pub database: String,
    /// Requests being served now, by the classes whose number is capped (beyond the cap
    /// a request is refused with 503 and Retry-After).
    pub in_flight: InFlight,
}

/// Requests being served now, by capped class.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InFlight {
    pub staff_reads: usize,
    pub exports: usize,
    pub writes: usize,
}

impl From<crate::overload::InFlight> for InFlight {
    fn from(n: crate::overload::InFlight) -> Self {
        InFlight {
            staff_reads: n.staff_reads,
            exports: n.exports,
            writes: n.writes,
        }
    }
}

fn backend() -> utoipa::openapi::Object {
    crate::schema::one_of(&["sqlite", "postgres"])
}

/// Health: the server and its database answer.
#[utoipa::path(get, path = "/healthz", operation_id = "health", tag = "system",
    responses((status = 200, body = Health),
        (status = 503, description = "The database does not answer", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.app.store.backend().to_string();
    let in_flight = InFlight::from(state.capacity.in_flight());
    match state.app.store.ping().await {
        Ok(()) => ok(Health {
            status: HealthStatus::Ok,
            database,
            in_flight,
        }),
        Err(e) => {
            tracing::error!(
                error = &e as &dyn std::error::Error,
                "health check: database unreachable"
            );
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                Health {
                    status: HealthStatus::Unavailable,
                    database,
                    in_flight,
                },
            )
        }
    }
}

/// One check of readiness.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReadyCheck {
    /// `database`, `migrations`, `disk` or `outbox`.
    #[schema(schema_with = check_names)]
    pub name: String,
    pub ok: bool,
    /// What was found, in English for the operator.
    pub detail: String,
}

fn check_names() -> utoipa::openapi::Object {
    crate::schema::one_of(&["database", "migrations", "disk", "outbox"])
}

/// Readiness: whether this process should be sent traffic.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Ready {
    pub status: HealthStatus,
    pub checks: Vec<ReadyCheck>,
}

/// An email waiting longer than this, with an SMTP server set, means delivery is stuck.
const OUTBOX_STUCK_MINUTES: i64 = 30;

/// Readiness: the database answers, its migrations are those of this build, the data
/// folder has the configured free space, and emails are not stuck in the outbox. 503
/// names the failing check.
#[utoipa::path(get, path = "/readyz", operation_id = "ready", tag = "system",
    responses((status = 200, body = Ready),
        (status = 503, description = "A check failed; its entry says why", body = Ready)))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let app = &state.app;
    let mut checks = Vec::new();
    let check = |name: &str, ok: bool, detail: String| ReadyCheck {
        name: name.into(),
        ok,
        detail,
    };
    match app.store.facts().await {
        Ok(facts) => {
            checks.push(check("database", true, app.store.backend().to_string()));
            checks.push(check(
                "migrations",
                facts.schema_applied == facts.schema_known,
                format!(
                    "schema version {} (this build: {})",
                    facts.schema_applied, facts.schema_known
                ),
            ));
            let age = facts
                .oldest_waiting
                .map(|t| (chrono::Utc::now() - t).num_minutes())
                .unwrap_or(0);
            let stuck = app.config.smtp_url.is_some() && age > OUTBOX_STUCK_MINUTES;
            checks.push(check(
                "outbox",
                !stuck,
                format!(
                    "{} waiting, the oldest for {age} min; {} failed",
                    facts.emails_waiting, facts.emails_failed
                ),
            ));
        }
        Err(e) => {
            tracing::error!(error = &e as &dyn std::error::Error, "readiness: database");
            checks.push(check(
                "database",
                false,
                "the database does not answer".into(),
            ));
        }
    }
    let need = app.config.min_free_disk_mb;
    match fs4::available_space(&app.config.data_dir) {
        Ok(free) => {
            let free_mb = free / (1024 * 1024);
            checks.push(check(
                "disk",
                free_mb >= need,
                format!("{free_mb} MiB free in the data folder (at least {need} MiB needed)"),
            ));
        }
        Err(e) => checks.push(check(
            "disk",
            false,
            format!("the data folder's free space cannot be read: {e}"),
        )),
    }
    let ready = checks.iter().all(|c| c.ok);
    let body = Ready {
        status: if ready {
            HealthStatus::Ok
        } else {
            HealthStatus::Unavailable
        },
        checks,
    };
    if ready {
        ok(body)
    } else {
        json(StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/api/openapi.json", operation_id = "openapi", tag = "system",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn openapi() -> Response {
    ok(crate::openapi::document())
}

/// A country with its names.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountryNames {
    #[schema(value_type = CountryCode)]
    pub code: String,
    pub en: String,
    pub de: String,
    pub zh: String,
    pub fr: String,
}

/// The lists a registration chooses from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Reference {
    pub countries: Vec<CountryNames>,
    #[schema(value_type = Vec<IndustryCode>)]
    pub industries: Vec<String>,
    #[schema(schema_with = sizes)]
    pub company_sizes: Vec<String>,
    pub languages: Vec<Language>,
}

fn sizes() -> utoipa::openapi::schema::ArrayBuilder {
    crate::schema::list_of(COMPANY_SIZES, crate::schema::UNBOUNDED)
}

/// The lists registrations choose from: countries (ISO 3166-1 alpha-2) with their names,
/// industries, company sizes, languages.
#[utoipa::path(get, path = "/api/v1/reference", operation_id = "reference", tag = "system",
    responses((status = 200, body = Reference)))]
pub async fn reference() -> Response {
    ok(Reference {
        countries: COUNTRIES
            .iter()
            .map(|c| CountryNames {
                code: c.code.into(),
                en: c.en.into(),
                de: c.de.into(),
                zh: c.zh.into(),
                fr: c.fr.into(),
            })
            .collect(),
        industries: INDUSTRIES.iter().map(|i| i.to_string()).collect(),
        company_sizes: COMPANY_SIZES.iter().map(|s| s.to_string()).collect(),
        languages: roadshow_domain::Lang::ALL
            .into_iter()
            .map(Language::from)
            .collect(),
    })
}

pub fn routes() -> crate::Routes {
    crate::Routes::default()
        .api(routes!(healthz))
        .api(routes!(readyz))
        .get("/metrics", crate::metrics::metrics)
        .api_public(routes!(openapi))
        .api_public(routes!(reference))
}
