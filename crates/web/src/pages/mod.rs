//! Server-rendered pages (askama templates, escaped by default). They work without
//! JavaScript; every form carries a CSRF token; every string comes from the catalogue.

mod admin;
mod auth;
mod catalogue;
pub mod live;
mod moderation;
mod public;

use crate::ctx::Ctx;
use crate::error::{PageError, field_message};
use crate::{AppState, Routes};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::FieldError;
use std::collections::HashMap;

pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .get("/", public::home)
        .get("/events/{slug}", public::event)
        .get("/events/{slug}/agenda.ics", public::agenda_ics)
        .get("/events/{slug}/register", public::register_form)
        .post("/events/{slug}/register", public::register)
        .get("/p/{token}", public::participant)
        .get("/materials/{id}", public::material)
        .get("/preferences/timezone", public::set_timezone)
        .get("/login", auth::login_form)
        .post("/login", auth::login)
        .post("/logout", auth::logout)
        .get("/admin", admin::dashboard)
        .get("/admin/events/new", admin::new_event)
        .post("/admin/events", admin::create_event)
        .get("/admin/events/{slug}", admin::edit_event)
        .post("/admin/events/{slug}", admin::update_event)
        .post("/admin/events/{slug}/sessions", admin::create_session)
        .get("/admin/events/{slug}/registrations", admin::registrations)
        .get(
            "/admin/events/{slug}/registrations.csv",
            admin::registrations_csv,
        )
        .get("/admin/sessions/{id}", admin::edit_session)
        .post("/admin/sessions/{id}", admin::update_session)
        .post("/admin/sessions/{id}/delete", admin::delete_session)
        .post("/admin/sessions/{id}/speakers", admin::add_speaker)
        .post("/admin/speakers/{id}/delete", admin::delete_speaker)
        .post_upload(
            "/admin/sessions/{id}/materials",
            admin::add_material,
            upload_limit,
        )
        .post("/admin/materials/{id}/delete", admin::delete_material)
        .get("/admin/departments", admin::departments)
        .post("/admin/departments", admin::create_department)
        .get("/admin/departments/{id}", admin::edit_department)
        .post("/admin/departments/{id}", admin::update_department)
        .get("/admin/outbox", admin::outbox)
        .get("/admin/parks", catalogue::parks)
        .post("/admin/parks", catalogue::create_park)
        .get("/admin/parks/{id}", catalogue::edit_park)
        .post("/admin/parks/{id}", catalogue::update_park)
        .get("/admin/policies", catalogue::policies)
        .post("/admin/policies", catalogue::create_policy)
        .get("/admin/policies/{id}", catalogue::edit_policy)
        .post("/admin/policies/{id}", catalogue::update_policy)
        .get("/admin/stories", catalogue::stories)
        .post("/admin/stories", catalogue::create_story)
        .get("/admin/stories/{id}", catalogue::edit_story)
        .post("/admin/stories/{id}", catalogue::update_story)
        .get("/events/{slug}/live", live::live)
        .get("/events/{slug}/live/stream", live::stream)
        .post("/events/{slug}/questions", live::ask)
        .post("/questions/{id}/vote", live::vote)
        .post("/polls/{id}/vote", live::vote_poll)
        .get("/events/{slug}/faq", live::faq)
        .get("/admin/events/{slug}/moderation", moderation::console)
        .post("/admin/questions/{id}/moderation", moderation::moderate)
        .post("/admin/events/{slug}/live/session", moderation::set_session)
        .post("/admin/events/{slug}/qa-settings", moderation::settings)
        .get("/admin/events/{slug}/questions.csv", moderation::csv)
        .get("/admin/questions", moderation::assignments)
        .post("/admin/questions/{id}/answers", moderation::answer)
        .get("/admin/events/{slug}/polls", moderation::polls)
        .post("/admin/events/{slug}/polls", moderation::create_poll)
        .post("/admin/polls/{id}", moderation::poll_action)
}

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

pub async fn not_found(State(_state): State<AppState>, ctx: Ctx) -> Response {
    render_error_page(&ctx, StatusCode::NOT_FOUND, "not_found")
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

/// The fields of a submitted form.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// `name.de`, `name.en`... as a per-language text.
    pub fn localized(&self, name: &str) -> roadshow_domain::Localized {
        roadshow_domain::Localized::from_pairs(
            roadshow_domain::Lang::ALL
                .into_iter()
                .filter_map(|l| self.get(&format!("{name}.{}", l.code())).map(|v| (l, v))),
        )
    }
}

/// Refuses a form whose CSRF token is not this visitor's or this session's.
pub fn check_csrf(ctx: &Ctx, form: &FormData) -> Result<(), PageError> {
    match form.get("csrf") {
        Some(token)
            if !token.is_empty() && constant_time_eq(token.as_bytes(), ctx.csrf.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(PageError::new(AppError::Forbidden, ctx)),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a form shows again after a failed submission: the values typed and the errors
/// by field, translated.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub multi: HashMap<String, Vec<String>>,
    pub errors: Vec<(String, String)>,
}

impl FormState {
    pub fn from_data(data: &FormData) -> FormState {
        let mut state = FormState::default();
        for (k, v) in &data.0 {
            state.multi.entry(k.clone()).or_default().push(v.clone());
            state.values.insert(k.clone(), v.clone());
        }
        state
    }

    pub fn with_errors(mut self, ctx: &Ctx, errors: &[FieldError]) -> FormState {
        self.errors = errors
            .iter()
            .map(|e| (e.field.clone(), field_message(ctx.lang, e)))
            .collect();
        self
    }

    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.multi
            .get(name)
            .is_some_and(|v| v.iter().any(|x| x == value))
    }

    pub fn selected(&self, name: &str, value: &str) -> bool {
        self.values.get(name).is_some_and(|v| v == value)
    }

    /// The error of a field (or of any of its sub-fields, such as `title` for `title.de`).
    pub fn error(&self, name: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == name || f.starts_with(&format!("{name}.")))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn has_error(&self, name: &str) -> bool {
        !self.error(name).is_empty()
    }

    /// The id of a field's input, for links from the error summary.
    pub fn anchor(&self, name: &str) -> String {
        match name {
            "title" | "theme" | "description" | "name" | "summary" | "presenter" | "role"
            | "question" | "options" | "district" | "issuing_body" | "region" | "body"
                if !self.values.contains_key(name) =>
            {
                format!("{}-de", name)
            }
            _ => name.replace('.', "-"),
        }
    }

    /// The id of a field's error text, for `aria-describedby`.
    pub fn error_id(&self, name: &str) -> String {
        format!("{}-error", name.replace('.', "-"))
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        self.multi.insert(name.to_string(), vec![value.clone()]);
        self.values.insert(name.to_string(), value);
    }

    pub fn set_many(&mut self, name: &str, values: Vec<String>) {
        if let Some(first) = values.first() {
            self.values.insert(name.to_string(), first.clone());
        }
        self.multi.insert(name.to_string(), values);
    }
}

/// Splits an invalid-input error into field errors for a form; other errors pass on.
pub fn form_errors(err: AppError) -> Result<Vec<FieldError>, AppError> {
    match err {
        AppError::Invalid(fields) => Ok(fields),
        AppError::Conflict(code) => Ok(vec![FieldError {
            field: "form".into(),
            code,
            limit: None,
        }]),
        other => Err(other),
    }
}
