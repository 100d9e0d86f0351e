//! What every API handler shares: JSON bodies whose rejections are problem documents, JSON
//! answers, ids and slugs in paths, and the problem document's own type. Callers
//! authenticate with `Authorization: Bearer <token>` (see [`crate::caller`]); cookies are
//! not read under /api, so the API needs no CSRF protection.
//!
//! Every body the API takes or gives is a type of the web layer, beside its handlers in
//! the capability's `wire.rs`, deriving serde and `utoipa::ToSchema`; the document is
//! generated from them and the routes ([`crate::openapi`]).

use crate::AppState;
use crate::error::{Error, problem};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::Lang;
use roadshow_domain::validation::FieldError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A JSON body whose rejections are problem documents in the caller's language:
/// malformed JSON is 400, a body of the wrong shape 422 (naming the field), a missing
/// content type 415 and a body over the limit 413. The body must be a JSON object, and a
/// number written with a zero fraction (`4.0`) is the integer it is, as JSON Schema
/// reads it.
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
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(value)) => value,
            Err(rejection) => return Err(json_rejection(rejection, lang)),
        };
        if !value.is_object() {
            return Err(Error(AppError::invalid("body", "json_object_required")).into_response());
        }
        integral_numbers(&mut value);
        serde_path_to_error::deserialize::<_, T>(value)
            .map(ApiJson)
            .map_err(|e| {
                let fields = wrong_field(e.path(), &e.inner().to_string());
                Error(AppError::Invalid(fields)).into_response()
            })
    }
}

/// The field a body of the wrong shape got wrong, named as the field errors of the use
/// cases name it (`title.de`, `slots[2]`), and what is wrong with it.
pub(crate) fn wrong_field(path: &serde_path_to_error::Path, message: &str) -> Vec<FieldError> {
    // A segment serde cannot name (a key read as a language) ends the path there.
    let path = path.to_string();
    let path = match path.split_once(".?") {
        Some((known, _)) => known.to_string(),
        None if path == "." || path == "?" => String::new(),
        None => path,
    };
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    };
    let (field, code) = if let Some(name) = quoted("missing field `") {
        let field = if path.is_empty() {
            name
        } else {
            format!("{path}.{name}")
        };
        (field, "required")
    } else if message.starts_with("unknown variant") {
        (path, "unknown_choice")
    } else if message.starts_with(crate::forms::NOT_A_NUMBER) {
        (path, "invalid_number")
    } else {
        (path, "invalid_type")
    };
    let field = if field.is_empty() {
        "body".into()
    } else {
        field
    };
    vec![FieldError::new(field, code)]
}

/// Numbers with a zero fraction become integers (`4716.0` is `4716`), so that integer
/// fields take what JSON Schema calls an integer; other fields read them alike.
fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    *value = serde_json::Value::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
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

/// A JSON answer with its status.
pub fn json<T: Serialize>(status: StatusCode, value: T) -> Response {
    (status, axum::Json(value)).into_response()
}

/// 200 with the body.
pub fn ok<T: Serialize>(value: T) -> Response {
    json(StatusCode::OK, value)
}

/// 201 with the body and, when given, the new resource's address in `Location`.
pub fn created<T: Serialize>(value: T, location: Option<String>) -> Response {
    let mut response = json(StatusCode::CREATED, value);
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// 204, for a deletion.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The path's parameters by name, whatever the route's shape.
pub(crate) async fn path_params(parts: &mut Parts, state: &AppState) -> HashMap<String, String> {
    axum::extract::Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|axum::extract::Path(p)| p)
        .unwrap_or_default()
}

/// The `{id}` of a path, as the id type of what it names. An id that is not a number this
/// program could have given out (not digits, zero, negative or out of range) names
/// nothing: 404, like an id that does not exist — on pages and in the API alike.
#[derive(Debug, Clone, Copy)]
pub struct Id<T = i64>(pub T);

impl<T: From<i64> + Send> FromRequestParts<AppState> for Id<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        path_params(parts, state)
            .await
            .get("id")
            .and_then(|v| parse_id(v))
            .map(|id| Id(T::from(id)))
            .ok_or(Error(AppError::NotFound))
    }
}

/// An id as paths and forms spell it: digits, above zero.
pub fn parse_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

/// The `{slug}` of a path (an event's).
#[derive(Debug, Clone)]
pub struct Slug(pub String);

impl FromRequestParts<AppState> for Slug {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        path_params(parts, state)
            .await
            .remove("slug")
            .map(Slug)
            .ok_or(Error(AppError::NotFound))
    }
}

/// An RFC 9457 problem: every error of every operation is one
/// (`application/problem+json`), its texts in the caller's language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// `urn:roadshow:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// The HTTP status.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    pub detail: String,
    /// The stable code of the problem (`not_found`, `invalid`, `slug_taken`…).
    #[schema(pattern = "^[a-z0-9_]+$")]
    pub code: String,
    /// The path that was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For invalid input (422, or 400 for a search): every field that is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
}

/// One wrong field of a request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name as the request spells it (`title.de`, `requests.3.host`).
    pub field: String,
    /// The stable code (`required`, `too_long`, `invalid_email`…).
    #[schema(pattern = "^[a-z0-9_]+$")]
    pub code: String,
    /// What is wrong, in the caller's language.
    pub message: String,
}

/// One of the four languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    De,
    En,
    Zh,
    Fr,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::De => Language::De,
            Lang::En => Language::En,
            Lang::Zh => Language::Zh,
            Lang::Fr => Language::Fr,
        }
    }
}

impl From<Language> for Lang {
    fn from(lang: Language) -> Self {
        match lang {
            Language::De => Lang::De,
            Language::En => Lang::En,
            Language::Zh => Lang::Zh,
            Language::Fr => Lang::Fr,
        }
    }
}

/// Components for the fixed lists, each named once in the document and referred to by
/// every field that takes one.
macro_rules! reference_schema {
    ($type:ident, $name:literal, $about:literal, $values:expr) => {
        #[doc = $about]
        pub struct $type;

        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let mut schema = crate::schema::one_of(&$values);
                schema.description = Some($about.to_string());
                utoipa::openapi::RefOr::T(schema.into())
            }
        }

        impl ToSchema for $type {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    };
}

reference_schema!(
    CountryCode,
    "Country",
    "An ISO 3166-1 alpha-2 country code (upper case; lower case is read too).",
    roadshow_domain::countries::COUNTRIES
        .iter()
        .map(|c| c.code)
        .collect::<Vec<_>>()
);

reference_schema!(
    IndustryCode,
    "Industry",
    "An industry of the reference list (`GET /api/v1/reference`).",
    roadshow_domain::reference::INDUSTRIES
);

reference_schema!(
    TimeZoneName,
    "TimeZone",
    "An IANA time zone name, e.g. `Asia/Shanghai`, `Europe/Berlin`.",
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .collect::<Vec<_>>()
);
