//! Staff sign-in through the agency's identity provider: `/login/oidc` sends the browser
//! there, `/login/oidc/callback` brings it back signed in (or tells why not).

use super::pages::{LoginPage, session_cookie};
use crate::AppState;
use crate::caller::{Ctx, cookie};
use crate::error::Error;
use crate::forms::FormState;
use crate::pages::{render_status, safe_return_path, see_other};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::accounts::oidc::Pending;
use serde::Deserialize;

/// The cookie that carries the state, nonce and PKCE verifier across the provider's pages.
const PENDING_COOKIE: &str = "rs_oidc";

fn pending_cookie(value: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    // Lax: the provider brings the browser back with a top-level GET, which carries it.
    HeaderValue::from_str(&format!(
        "{PENDING_COOKIE}={value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// The login page with why a sign-in through the provider did not happen.
fn problem_page(state: &AppState, ctx: &Ctx, next: &str, code: &str) -> Response {
    let status = match code {
        "no_role" | "email_unverified" | "no_email" => StatusCode::FORBIDDEN,
        "oidc_provider" => StatusCode::BAD_GATEWAY,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut form = FormState::default();
    form.set("next", next);
    render_status(
        status,
        &LoginPage {
            ctx,
            form,
            failed: false,
            retry_after: None,
            oidc: true,
            password: state.app.config.password_sign_in,
            problem: Some(ctx.t(&format!("login-{}", code.replace('_', "-")))),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StartQuery>,
) -> Result<Response, Error> {
    let next = safe_return_path(q.next.as_deref().unwrap_or("/admin"));
    let (url, pending) = match state.app.accounts().oidc_start(&next).await {
        Ok(started) => started,
        // The provider cannot be reached: the login page says so (and offers the
        // password where it is allowed).
        Err(AppError::Invalid(errors)) => {
            let code = errors.first().map_or("oidc_provider", |e| e.code);
            return Ok(problem_page(&state, &ctx, &next, code));
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = see_other(&url);
    let secure = state.app.config.base_url.starts_with("https://");
    if let Some(v) = pending_cookie(&pending.encode(), 600, secure) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// The provider's refusal (`access_denied`, ...).
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, Error> {
    let accounts = state.app.accounts();
    if !accounts.oidc_enabled() {
        return Err(AppError::NotFound.into());
    }
    let pending = cookie(&headers, PENDING_COOKIE).and_then(Pending::decode);
    let next = pending
        .as_ref()
        .map_or("/admin".to_string(), |p| safe_return_path(&p.next));
    let secure = state.app.config.base_url.starts_with("https://");
    let outcome = match (&q.error, &q.code, &q.state) {
        (Some(_), _, _) => Err(AppError::invalid("oidc", "oidc_denied")),
        (None, Some(code), Some(given)) => {
            accounts
                .oidc_finish(pending, given, code, &ctx.client)
                .await
        }
        _ => Err(AppError::invalid("oidc", "oidc_state")),
    };
    let mut response = match outcome {
        Ok(session) => {
            let mut r = see_other(&next);
            if let Some(v) = session_cookie(&session.session_secret, secure) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(AppError::Invalid(errors)) => {
            let code = errors.first().map_or("oidc_state", |e| e.code);
            problem_page(&state, &ctx, &next, code)
        }
        Err(other) => return Err(other.into()),
    };
    // Used once: the next sign-in starts afresh.
    if let Some(v) = pending_cookie("", 0, secure) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}
