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
struct LoginPage<'a> {
    ctx: &'a Ctx,
    form: FormState,
    failed: bool,
    retry_after: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
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
            let secure = if state.app.config.base_url.starts_with("https://") {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                session.session_secret,
                roadshow_app::accounts::SESSION_HOURS * 3600
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
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
                    failed: true,
                    retry_after,
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
