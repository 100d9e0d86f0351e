//! Turning errors into answers: one path for every handler.
//!
//! Rule: a handler returns `Err(Error)` with the use case's error and nothing else (`?`
//! does it). [`Error`]'s response carries only the status and the error; [`write`], called
//! by the layer every request passes (`security::guard`), which sees the request, then
//! writes it in the caller's language: under `/api`
//! (or for a page's script that asked for JSON) an RFC 9457 problem
//! (`application/problem+json`) with a field-by-field list for invalid input; on pages a
//! translated HTML page, or the sign-in form for "sign in first". An internal cause is
//! logged here, once, with the request's id, and never sent.

use crate::AppState;
use crate::api::{FieldProblem, Problem};
use crate::caller::{Ctx, is_api_path};
use crate::pages::render_error_page;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::store::StoreError;
use roadshow_domain::{FieldError, Lang};
use roadshow_i18n::{ArgValue, t, t_with};
use std::sync::Arc;

/// A request that failed, as handlers return it.
#[derive(Debug)]
pub struct Error(pub AppError);

impl From<AppError> for Error {
    fn from(err: AppError) -> Self {
        Error(err)
    }
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        Error(err.into())
    }
}

/// The error riding on a response until [`render`] writes it.
#[derive(Clone)]
struct Failure(Arc<AppError>);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, _) = status_and_code(&self.0);
        let mut response = status.into_response();
        response.extensions_mut().insert(Failure(Arc::new(self.0)));
        response
    }
}

/// The status and the catalogue code of an error.
pub fn status_and_code(err: &AppError) -> (StatusCode, &'static str) {
    match err {
        AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::Conflict(code) => (StatusCode::CONFLICT, code),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        AppError::Closed(code) => (StatusCode::CONFLICT, code),
        AppError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        AppError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        AppError::Rejected { status, code } => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
        ),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// The translated message of one field error, e.g. "Please enter at most 120 characters."
pub fn field_message(lang: Lang, error: &FieldError) -> String {
    let key = format!("error-{}", error.code.replace('_', "-"));
    match error.limit {
        Some(limit) => t_with(
            lang,
            &key,
            &[
                ("limit", ArgValue::Number(limit as f64)),
                ("min", ArgValue::Number(error.min.unwrap_or(0) as f64)),
            ],
        ),
        None => t(lang, &key),
    }
}

/// A problem document for a status that did not come from a use case (bad JSON, 413).
pub fn problem(status: StatusCode, code: &str, lang: Lang, detail: Option<String>) -> Response {
    let mut body = problem_body(status, code, lang);
    if let Some(detail) = detail {
        body.detail = detail;
    }
    problem_response(status, &body)
}

/// The RFC 9457 members every problem has, in the reader's language.
fn problem_body(status: StatusCode, code: &str, lang: Lang) -> Problem {
    let key = format!("problem-{}", code.replace('_', "-"));
    Problem {
        kind: format!("urn:roadshow:problem:{code}"),
        title: t(lang, &key),
        status: status.as_u16(),
        detail: t(lang, &key),
        code: code.to_string(),
        instance: None,
        errors: None,
    }
}

fn problem_response(status: StatusCode, body: &Problem) -> Response {
    let text = serde_json::to_string(body).unwrap_or_default();
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// The problem document of a use case's error.
pub fn problem_of(error: &AppError, lang: Lang, instance: Option<&str>) -> Response {
    problem_with_status(error, None, lang, instance)
}

/// The problem document of a use case's error with another status (a search whose
/// parameters are wrong is a 400, not a 422).
pub fn problem_with_status(
    error: &AppError,
    status: Option<StatusCode>,
    lang: Lang,
    instance: Option<&str>,
) -> Response {
    let (own, code) = status_and_code(error);
    let status = status.unwrap_or(own);
    let mut body = problem_body(status, code, lang);
    body.instance = instance.map(str::to_string);
    match error {
        AppError::Invalid(fields) => {
            body.errors = Some(
                fields
                    .iter()
                    .map(|f| FieldProblem {
                        field: f.field.clone(),
                        code: f.code.to_string(),
                        message: field_message(lang, f),
                    })
                    .collect(),
            );
            body.detail = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, field_message(lang, f)))
                .collect::<Vec<_>>()
                .join(" ");
        }
        AppError::TooLarge { limit } => {
            body.detail = t_with(
                lang,
                "error-file-too-large",
                &[("limit", ArgValue::Number((*limit / (1024 * 1024)) as f64))],
            );
        }
        _ => {}
    }
    let mut response = problem_response(status, &body);
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    with_retry_after(response, error)
}

fn with_retry_after(mut response: Response, error: &AppError) -> Response {
    let seconds = match error {
        AppError::RateLimited { retry_after } => Some(*retry_after),
        // A busy database frees up within moments.
        AppError::Busy(_) => Some(1),
        _ => None,
    };
    if let Some(v) = seconds.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// Whether a page's own script sent the request and wants JSON back.
pub fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// What the error path needs to know of a request, kept before its handler runs: a few
/// cheap copies (header values are shared buffers), worked on only if the handler fails.
pub struct Reader {
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: [Option<HeaderValue>; 4],
    peer: Option<axum::extract::ConnectInfo<std::net::SocketAddr>>,
}

/// The headers an error page needs to know its reader (language, sign-in, time zone), and
/// whether a page's script asked for JSON.
const READER_HEADERS: [header::HeaderName; 4] = [
    header::COOKIE,
    header::ACCEPT_LANGUAGE,
    header::HOST,
    header::ACCEPT,
];

impl Reader {
    pub fn of(request: &Request) -> Reader {
        Reader {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: READER_HEADERS.map(|name| request.headers().get(name).cloned()),
            peer: request
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .cloned(),
        }
    }
}

/// An error answer that did not come from a use case: the framework's own refusals (a
/// path id out of range, `?after=null`, a wrong method or content type, no route), sent
/// as plain text or empty. They become problem documents (or error pages) like any other.
fn rejection(response: &Response) -> Option<AppError> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("application/problem+json")
                || t.starts_with("text/html")
                || t.starts_with("application/json")
        });
    if ours {
        return None;
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "json_required",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_json_data",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    Some(AppError::Rejected {
        status: status.as_u16(),
        code,
    })
}

/// Writes the [`Error`] a response carries, if any, in the caller's language (see the
/// module's rule); any other response passes unchanged.
pub async fn write(state: &AppState, reader: Reader, response: Response) -> Response {
    let error = match response.extensions().get::<Failure>().cloned() {
        Some(Failure(error)) => error,
        None => match rejection(&response) {
            Some(error) => Arc::new(error),
            None => return response,
        },
    };
    let Reader {
        method,
        uri,
        headers: values,
        peer,
    } = reader;
    let mut headers = axum::http::HeaderMap::new();
    for (name, value) in READER_HEADERS.into_iter().zip(values) {
        if let Some(value) = value {
            headers.insert(name, value);
        }
    }
    let json = is_api_path(uri.path()) || wants_json(&headers);
    let (lang, _) = crate::caller::negotiate_lang(&uri, &headers);
    match error.as_ref() {
        AppError::Internal(cause) => {
            tracing::error!(%cause, %method, path = uri.path(), "internal error")
        }
        AppError::Busy(cause) => tracing::warn!(%cause, %method, path = uri.path(), "busy"),
        _ => {}
    }
    if json {
        return problem_of(&error, lang, Some(uri.path()));
    }
    // A page: work out who is calling (only on this error path) for the page's frame.
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.method = method;
    parts.uri = uri;
    parts.headers = headers;
    if let Some(peer) = peer {
        parts.extensions.insert(peer);
    }
    let ctx = match <Ctx as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, state,
    )
    .await
    {
        Ok(ctx) => ctx,
        Err(_) => return problem_of(&error, lang, None),
    };
    let (status, code) = status_and_code(&error);
    if status == StatusCode::UNAUTHORIZED {
        // A page that needs sign-in sends the reader to the sign-in form and back.
        let target = format!(
            "/login?next={}",
            crate::pages::encode_component(&ctx.path_and_query)
        );
        return axum::response::Redirect::to(&target).into_response();
    }
    with_retry_after(render_error_page(&ctx, status, code), &error)
}
