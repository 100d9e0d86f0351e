//! Signing in and out of the staff pages.

use crate::AppState;
use crate::caller::Ctx;
use crate::caller::{SESSION_COOKIE, cookie};
use crate::error::Error;
use crate::forms::{Form, FormState};
use crate::pages::{render, render_status, safe_return_path, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use roadshow_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage<'a> {
    pub ctx: &'a Ctx,
    pub form: FormState,
    pub failed: bool,
    pub retry_after: Option<i64>,
    /// Whether staff may sign in through the agency's identity provider.
    pub oidc: bool,
    /// Whether staff may sign in with a password.
    pub password: bool,
    /// Why a sign-in through the provider did not happen.
    pub problem: Option<String>,
}

/// The login session's cookie.
pub(super) fn session_cookie(secret: &str, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        roadshow_app::accounts::SESSION_HOURS * 3600
    ))
    .ok()
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Response {
    let mut form = FormState::default();
    form.set(
        "next",
        safe_return_path(q.next.as_deref().unwrap_or("/admin")),
    );
    render(&LoginPage {
        ctx: &ctx,
        form,
        failed: false,
        retry_after: None,
        oidc: state.app.accounts().oidc_enabled(),
        password: state.app.config.password_sign_in,
        problem: None,
    })
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let email = data.get("email").unwrap_or("");
    let password = data.get("password").unwrap_or("");
    let next = safe_return_path(data.get("next").unwrap_or("/admin"));
    match state
        .app
        .accounts()
        .login(email, password, &ctx.client)
        .await
    {
        Ok(session) => {
            let mut response = see_other(&next);
            let secure = state.app.config.base_url.starts_with("https://");
            if let Some(v) = session_cookie(&session.session_secret, secure) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(err) => {
            let mut form = FormState::default();
            form.set("email", email);
            form.set("next", next);
            let (status, retry_after) = match err {
                AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, None),
                // Password sign-in is off: the page offers the provider only.
                AppError::Forbidden => (StatusCode::FORBIDDEN, None),
                AppError::RateLimited { retry_after } => {
                    (StatusCode::TOO_MANY_REQUESTS, Some(retry_after as i64))
                }
                other => return Err(Error::from(other)),
            };
            let mut response = render_status(
                status,
                &LoginPage {
                    ctx: &ctx,
                    form,
                    failed: status != StatusCode::FORBIDDEN,
                    retry_after,
                    oidc: state.app.accounts().oidc_enabled(),
                    password: state.app.config.password_sign_in,
                    problem: (status == StatusCode::FORBIDDEN).then(|| ctx.t("login-password-off")),
                },
            );
            if let Some(seconds) = retry_after {
                if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            Ok(response)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    _ctx: Ctx,
    headers: HeaderMap,
    Form(_data): Form,
) -> Result<Response, Error> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.app.accounts().logout(secret).await?;
    }
    let mut response = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    email: String,
    name: String,
    role: String,
    /// (code, name in its own language, chosen)
    languages: Vec<(String, String, bool)>,
    form: FormState,
    saved: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn account_page(
    ctx: &Ctx,
    account: &roadshow_domain::accounts::Account,
    form: FormState,
    saved: bool,
) -> Response {
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let chosen = form
        .values
        .get("language")
        .cloned()
        .unwrap_or_else(|| account.language.code().to_string());
    render_status(
        status,
        &AccountPage {
            email: account.email.clone(),
            name: account.display_name.clone(),
            role: ctx.t(&format!("role-{}", account.role.code().replace('_', "-"))),
            languages: roadshow_domain::Lang::ALL
                .iter()
                .map(|l| {
                    (
                        l.code().to_string(),
                        l.endonym().to_string(),
                        l.code() == chosen,
                    )
                })
                .collect(),
            form,
            saved,
            ctx,
        },
    )
}

/// The staff member's own account: the language of their emails.
pub async fn account(ctx: Ctx, Query(q): Query<SavedQuery>) -> Result<Response, Error> {
    let account = super::api::staff_only(&ctx.principal)?.clone();
    Ok(account_page(
        &ctx,
        &account,
        FormState::default(),
        q.saved.is_some(),
    ))
}

pub async fn save_account(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let account = super::api::staff_only(&ctx.principal)?.clone();
    let result = match super::api::parse_language(data.get("language").unwrap_or("")) {
        Ok(language) => {
            state
                .app
                .accounts()
                .set_language(&ctx.principal, language)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/admin/account?saved=1")),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            Ok(account_page(&ctx, &account, form, false))
        }
    }
}
