//! Turning errors into answers.
//!
//! Rule: under /api an error is an RFC 9457 problem (application/problem+json) with a
//! field-by-field list for invalid input; on pages it is a translated HTML page. An
//! internal cause is logged once here and never sent. Every message is in the caller's
//! language.

use crate::ctx::Ctx;
use crate::pages::render_error_page;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::{FieldError, Lang};
use roadshow_i18n::{ArgValue, t, t_with};
use serde_json::json;

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
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// The translated message of one field error, e.g. "Please enter at most 120 characters."
pub fn field_message(lang: Lang, error: &FieldError) -> String {
    let key = format!("error-{}", error.code.replace('_', "-"));
    match error.limit {
        Some(limit) => t_with(lang, &key, &[("limit", ArgValue::Number(limit as f64))]),
        None => t(lang, &key),
    }
}

fn log_internal(err: &AppError) {
    if let AppError::Internal(cause) = err {
        tracing::error!(%cause, "internal error");
    }
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub error: AppError,
    pub lang: Lang,
    pub instance: Option<String>,
}

impl ApiError {
    pub fn new(error: AppError, lang: Lang) -> ApiError {
        ApiError {
            error,
            lang,
            instance: None,
        }
    }
}

/// A problem document for a status that did not come from a use case (bad JSON, 413).
pub fn problem(status: StatusCode, code: &str, lang: Lang, detail: Option<String>) -> Response {
    let key = format!("problem-{}", code.replace('_', "-"));
    let body = json!({
        "type": format!("urn:roadshow:problem:{code}"),
        "title": t(lang, &key),
        "status": status.as_u16(),
        "detail": detail.unwrap_or_else(|| t(lang, &key)),
        "code": code,
    });
    problem_response(status, body)
}

fn problem_response(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_internal(&self.error);
        let (status, code) = status_and_code(&self.error);
        let lang = self.lang;
        let key = format!("problem-{}", code.replace('_', "-"));
        let mut body = json!({
            "type": format!("urn:roadshow:problem:{code}"),
            "title": t(lang, &key),
            "status": status.as_u16(),
            "detail": t(lang, &key),
            "code": code,
        });
        if let Some(instance) = &self.instance {
            body["instance"] = json!(instance);
        }
        match &self.error {
            AppError::Invalid(fields) => {
                body["errors"] = fields
                    .iter()
                    .map(|f| {
                        json!({
                            "field": f.field,
                            "code": f.code,
                            "message": field_message(lang, f),
                        })
                    })
                    .collect();
                body["detail"] = json!(
                    fields
                        .iter()
                        .map(|f| format!("{}: {}", f.field, field_message(lang, f)))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
            AppError::TooLarge { limit } => {
                body["detail"] = json!(t_with(
                    lang,
                    "error-file-too-large",
                    &[("limit", ArgValue::Number((*limit / (1024 * 1024)) as f64))]
                ));
            }
            _ => {}
        }
        let mut response = problem_response(status, body);
        if let AppError::RateLimited { retry_after } = self.error {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error on a page: a translated HTML page with the right status.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    /// Boxed: a page error travels up through every handler's `Result`.
    pub ctx: Box<Ctx>,
}

impl PageError {
    pub fn new(error: AppError, ctx: &Ctx) -> PageError {
        PageError {
            error,
            ctx: Box::new(ctx.clone()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_internal(&self.error);
        let (status, code) = status_and_code(&self.error);
        if status == StatusCode::UNAUTHORIZED {
            // A page that needs sign-in sends the reader to the sign-in form and back.
            let target = format!(
                "/login?next={}",
                crate::pages::encode_component(&self.ctx.path_and_query)
            );
            return axum::response::Redirect::to(&target).into_response();
        }
        let mut response = render_error_page(&self.ctx, status, code);
        if let AppError::RateLimited { retry_after } = self.error {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
