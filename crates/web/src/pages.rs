//! What every page shares: rendering templates (askama, escaped by default), the error
//! page, redirects, and safe return paths. Pages work without JavaScript; every form
//! carries a CSRF token (see [`crate::forms`]); every string comes from the catalogue.

use crate::AppState;
use crate::caller::Ctx;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use roadshow_app::AppError;

pub use crate::api::Id;

/// Renders a template to an HTML response.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// Renders with a status other than 200 (a form with errors is 422).
pub fn render_status<T: Template>(status: StatusCode, template: &T) -> Response {
    let mut response = render(template);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    status: u16,
    title: String,
    message: String,
}

/// The translated page for an error status.
pub fn render_error_page(ctx: &Ctx, status: StatusCode, code: &str) -> Response {
    let key = format!("problem-{}", code.replace('_', "-"));
    render_status(
        status,
        &ErrorPage {
            ctx,
            status: status.as_u16(),
            title: ctx.t(&key),
            message: ctx.t(&format!("{key}-help")),
        },
    )
}

/// Percent-encodes a query value.
pub fn encode_component(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative address on this site, or `/`: never an address elsewhere (`//x`, `https:`).
pub fn safe_return_path(value: &str) -> String {
    if value.starts_with('/')
        && !value.starts_with("//")
        && !value.contains('\\')
        && !value.contains("://")
    {
        value.to_string()
    } else {
        "/".into()
    }
}

/// A 303 redirect after a successful form.
pub fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(path) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// Any address no route serves.
pub async fn not_found(State(_state): State<AppState>) -> crate::error::Error {
    crate::error::Error(AppError::NotFound)
}
