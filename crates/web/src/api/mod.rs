//! The JSON API under /api/v1. Callers authenticate with `Authorization: Bearer <token>`
//! (a staff token from `roadshow token create`, or a participant's token); cookies are
//! not read here, so the API needs no CSRF protection.

mod admin;
mod catalogue;
mod events;
mod exchange;
mod registrations;

pub use admin::read_upload;
pub use exchange::csv_response as questions_csv_response;
pub use registrations::FilterQuery;

use crate::error::{ApiError, problem};
use crate::{AppState, Routes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::{AppError, Principal};
use roadshow_domain::Lang;
use serde::de::DeserializeOwned;

/// The caller of an API endpoint.
pub struct Api {
    pub lang: Lang,
    pub principal: Principal,
    pub client: String,
    pub path: String,
}

impl Api {
    /// Wraps a use-case error with the caller's language and the request path.
    pub fn err(&self, error: AppError) -> ApiError {
        ApiError {
            error,
            lang: self.lang,
            instance: Some(self.path.clone()),
        }
    }
}

impl FromRequestParts<AppState> for Api {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let lang = Lang::negotiate(accept).unwrap_or(Lang::En);
        let path = parts.uri.path().to_string();
        let principal = match parts.headers.get(header::AUTHORIZATION) {
            None => Principal::Anonymous,
            Some(value) => {
                let token = value
                    .to_str()
                    .ok()
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::trim)
                    .unwrap_or("");
                state
                    .app
                    .accounts()
                    .token_principal(token)
                    .await
                    .map_err(|e| ApiError {
                        error: e,
                        lang,
                        instance: Some(path.clone()),
                    })?
            }
        };
        Ok(Api {
            lang,
            principal,
            client: crate::ctx::client_address(&parts.extensions),
            path,
        })
    }
}

/// A JSON body whose rejections are problem documents in the caller's language:
/// malformed JSON is 400, a body of the wrong shape 422, a missing content type 415 and a
/// body over the limit 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let lang = Lang::negotiate(accept).unwrap_or(Lang::En);
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection, lang)),
        }
    }
}

fn json_rejection(rejection: JsonRejection, lang: Lang) -> Response {
    match rejection {
        JsonRejection::JsonSyntaxError(e) => problem(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            lang,
            Some(e.body_text()),
        ),
        JsonRejection::JsonDataError(e) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json_data",
            lang,
            Some(e.body_text()),
        ),
        JsonRejection::MissingJsonContentType(_) => problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_required",
            lang,
            None,
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            problem(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", lang, None)
        }
        other => problem(other.status(), "bad_request", lang, Some(other.body_text())),
    }
}

pub(crate) fn json<T: serde::Serialize>(status: StatusCode, value: T) -> Response {
    (status, axum::Json(value)).into_response()
}

pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .get("/healthz", events::healthz)
        .get("/api/openapi.json", events::openapi)
        .get("/api/v1/reference", events::reference)
        .get("/api/v1/events", events::list)
        .post("/api/v1/events", events::create)
        .get("/api/v1/events/{slug}", events::show)
        .put("/api/v1/events/{slug}", events::update)
        .post("/api/v1/events/{slug}/sessions", admin::create_session)
        .put("/api/v1/sessions/{id}", admin::update_session)
        .delete("/api/v1/sessions/{id}", admin::delete_session)
        .post("/api/v1/sessions/{id}/speakers", admin::add_speaker)
        .delete("/api/v1/speakers/{id}", admin::delete_speaker)
        .post("/api/v1/sessions/{id}/materials", admin::add_material_link)
        .post_upload(
            "/api/v1/sessions/{id}/materials/upload",
            admin::upload_material,
            upload_limit,
        )
        .delete("/api/v1/materials/{id}", admin::delete_material)
        .get("/api/v1/departments", admin::departments)
        .post("/api/v1/departments", admin::create_department)
        .put("/api/v1/departments/{id}", admin::update_department)
        .get("/api/v1/parks", catalogue::parks)
        .post("/api/v1/parks", catalogue::create_park)
        .put("/api/v1/parks/{id}", catalogue::update_park)
        .get("/api/v1/policies", catalogue::policies)
        .post("/api/v1/policies", catalogue::create_policy)
        .put("/api/v1/policies/{id}", catalogue::update_policy)
        .get("/api/v1/stories", catalogue::stories)
        .post("/api/v1/stories", catalogue::create_story)
        .put("/api/v1/stories/{id}", catalogue::update_story)
        .get("/api/v1/outbox", admin::outbox)
        .post("/api/v1/events/{slug}/registrations", registrations::create)
        .get("/api/v1/events/{slug}/registrations", registrations::list)
        .get(
            "/api/v1/events/{slug}/registrations.csv",
            registrations::csv,
        )
        .get("/api/v1/registrations/{id}", registrations::show)
        .get("/api/v1/me", registrations::me)
        .post("/api/v1/events/{slug}/questions", exchange::ask)
        .get("/api/v1/events/{slug}/questions", exchange::list)
        .get("/api/v1/events/{slug}/questions.csv", exchange::csv)
        .get("/api/v1/questions/{id}", exchange::show)
        .post("/api/v1/questions/{id}/vote", exchange::vote)
        .delete("/api/v1/questions/{id}/vote", exchange::unvote)
        .post("/api/v1/questions/{id}/moderation", exchange::moderate)
        .post("/api/v1/questions/{id}/answers", exchange::answer)
        .get("/api/v1/assignments", exchange::assignments)
        .get("/api/v1/events/{slug}/polls", exchange::polls)
        .post("/api/v1/events/{slug}/polls", exchange::create_poll)
        .post("/api/v1/polls/{id}/state", exchange::poll_state)
        .post("/api/v1/polls/{id}/votes", exchange::vote_poll)
        .get("/api/v1/events/{slug}/live", exchange::live)
        .put("/api/v1/events/{slug}/live/session", exchange::set_session)
        .put(
            "/api/v1/events/{slug}/qa-settings",
            exchange::set_answer_settings,
        )
        .get("/api/v1/events/{slug}/faq", exchange::faq)
}
