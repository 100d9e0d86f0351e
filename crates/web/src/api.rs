//! What every API handler shares: JSON bodies whose rejections are problem documents, JSON
//! answers, and ids in paths. Callers authenticate with `Authorization: Bearer <token>`
//! (see [`crate::caller`]); cookies are not read under /api, so the API needs no CSRF
//! protection.

use crate::AppState;
use crate::error::{Error, problem};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::Lang;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

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

pub fn json<T: serde::Serialize>(status: StatusCode, value: T) -> Response {
    (status, axum::Json(value)).into_response()
}

/// The `{id}` of a path. An id that is not a number this program could have given out
/// (not digits, or out of range) names nothing: 404, like an id that does not exist.
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let axum::extract::Path(params) =
            axum::extract::Path::<HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|_| Error(AppError::NotFound))?;
        params
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(Id)
            .ok_or(Error(AppError::NotFound))
    }
}
