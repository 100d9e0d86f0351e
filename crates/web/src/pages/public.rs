//! The pages visitors and participants see: the event list, the event, registration,
//! the participant's own page, downloads and the time-zone preference.

use super::{FormData, FormState, check_csrf, render, render_status, safe_return_path, see_other};
use crate::AppState;
use crate::ctx::{Ctx, TZ_COOKIE, decode_component};
use crate::error::PageError;
use crate::views::{EventCard, EventView, LText, event_card, event_view, loc};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_app::events::EventPage;
use roadshow_domain::countries::COUNTRIES;
use roadshow_domain::events::FieldKind;
use roadshow_domain::ids::MaterialId;
use roadshow_domain::reference::{COMPANY_SIZES, INDUSTRIES, country_name};
use roadshow_domain::registrations::Registration;
use roadshow_domain::registrations::{CompanyInput, RegistrationInput};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Zones offered in the time-zone menu; the reader's own is added when missing.
const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Paris",
    "Europe/London",
    "Europe/Rome",
    "Europe/Madrid",
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
];

pub fn zone_choices(ctx: &Ctx) -> Vec<&'static str> {
    let mut zones: Vec<&'static str> = ZONES.to_vec();
    if !zones.contains(&ctx.zone_name()) {
        zones.insert(0, ctx.zone_name());
    }
    zones
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    events: Vec<EventCard>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let events = state
        .app
        .events()
        .public_events()
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let events = events.iter().map(|e| event_card(&ctx, e)).collect();
    Ok(render(&HomePage { ctx: &ctx, events }))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPageTpl<'a> {
    ctx: &'a Ctx,
    e: EventView,
    zones: Vec<&'static str>,
}

pub async fn event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .events()
        .event_page(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    Ok(render(&EventPageTpl {
        e: event_view(&ctx, &page),
        zones: zone_choices(&ctx),
        ctx: &ctx,
    }))
}

pub async fn agenda_ics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let body = state
        .app
        .events()
        .agenda_ics(&ctx.principal, &slug, ctx.lang)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{slug}.ics\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// One choice of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A registration question as the form shows it.
pub struct QuestionView {
    pub name: String,
    pub label: LText,
    pub required: bool,
    pub is_choice: bool,
    pub options: Vec<(String, LText)>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    ctx: &'a Ctx,
    e: EventView,
    form: FormState,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    sizes: Vec<Choice>,
    questions: Vec<QuestionView>,
    privacy_version: String,
}

/// Every country, by name in the reader's language.
pub fn country_choices(ctx: &Ctx) -> Vec<Choice> {
    let mut countries: Vec<Choice> = COUNTRIES
        .iter()
        .map(|c| Choice {
            value: c.code.to_string(),
            label: country_name(c.code, ctx.lang),
        })
        .collect();
    countries.sort_by(|a, b| a.label.cmp(&b.label));
    countries
}

fn register_page<'a>(ctx: &'a Ctx, page: &EventPage, form: FormState) -> RegisterPage<'a> {
    let mut countries = country_choices(ctx);
    // The event's target countries first: most visitors come from there.
    for code in page.event.target_countries.iter().rev() {
        if let Some(pos) = countries.iter().position(|c| &c.value == code) {
            let c = countries.remove(pos);
            countries.insert(0, c);
        }
    }
    RegisterPage {
        e: event_view(ctx, page),
        form,
        countries,
        industries: INDUSTRIES
            .iter()
            .map(|i| Choice {
                value: i.to_string(),
                label: crate::views::industry_label(ctx, i),
            })
            .collect(),
        sizes: COMPANY_SIZES
            .iter()
            .map(|s| Choice {
                value: s.to_string(),
                label: crate::views::size_label(ctx, s),
            })
            .collect(),
        questions: page
            .event
            .form_fields
            .iter()
            .map(|q| QuestionView {
                name: format!("answers.{}", q.key),
                label: loc(ctx, &q.label),
                required: q.required,
                is_choice: q.kind == FieldKind::Choice,
                options: q
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), loc(ctx, &o.label)))
                    .collect(),
            })
            .collect(),
        privacy_version: page.event.privacy_version.clone(),
        ctx,
    }
}

pub async fn register_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .events()
        .event_page(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let mut form = FormState::default();
    form.set("language", ctx.lang.code());
    if let Some(first) = page.event.target_countries.first() {
        form.set("company.country", first.clone());
    }
    Ok(render(&register_page(&ctx, &page, form)))
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let page = state
        .app
        .events()
        .event_page(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let answers: BTreeMap<String, String> = data
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("answers.")
                .map(|k| (k.to_string(), v.clone()))
        })
        .collect();
    let input = RegistrationInput {
        email: data.text("email"),
        name: data.text("name"),
        job_title: data.text("job_title"),
        language: data.text("language"),
        company: CompanyInput {
            name: data.text("company.name"),
            country: data.text("company.country"),
            industry: data.text("company.industry"),
            size: data.text("company.size"),
            website: data.text("company.website"),
        },
        consent: Some(data.get("consent") == Some("yes")),
        answers,
    };
    match state
        .app
        .registrations()
        .register(&slug, &input, &ctx.client, ctx.lang)
        .await
    {
        Ok(receipt) => Ok(see_other(&format!("/p/{}?welcome=1", receipt.token))),
        Err(err) => {
            let errors = super::form_errors(err).map_err(|e| PageError::new(e, &ctx))?;
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &register_page(&ctx, &page, form),
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "participant.html")]
struct ParticipantPage<'a> {
    ctx: &'a Ctx,
    e: EventView,
    r: Registration,
    /// The participant's questions; `participant` is false so that the shared question
    /// partial shows counts, not vote buttons, here.
    questions: Vec<super::live::QuestionView>,
    participant: bool,
    welcome: bool,
    country: String,
    industry: String,
    language: &'static str,
    personal_url: String,
}

#[derive(Debug, Deserialize)]
pub struct WelcomeQuery {
    welcome: Option<String>,
}

pub async fn participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<WelcomeQuery>,
) -> Result<Response, PageError> {
    if !token.starts_with(roadshow_app::accounts::PARTICIPANT_PREFIX) || token.len() > 100 {
        return Err(PageError::new(AppError::NotFound, &ctx));
    }
    let (r, page) = state
        .app
        .registrations()
        .participant_home(&token)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let questions = state
        .app
        .questions()
        .own_questions(&r)
        .await
        .map_err(|e| PageError::new(e, &ctx))?
        .iter()
        .map(|q| super::live::question_view(&ctx, &page, q, false, false))
        .collect();
    let mut response = render(&ParticipantPage {
        questions,
        participant: false,
        e: event_view(&ctx, &page),
        country: country_name(&r.company.country, ctx.lang),
        industry: crate::views::industry_label(&ctx, &r.company.industry),
        language: r.language.endonym(),
        welcome: q.welcome.is_some(),
        personal_url: format!("{}/p/{token}", state.app.config.base_url),
        r,
        ctx: &ctx,
    });
    // The personal link is a secret: keep it out of caches and other sites' referrers.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Remember the participant for the live page: HttpOnly so no script reads it, Lax so
    // another site's form cannot use it.
    let secure = if state.app.config.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={token}; Path=/; Max-Age=5184000; HttpOnly; SameSite=Lax{secure}",
        crate::ctx::PARTICIPANT_COOKIE
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

pub async fn material(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (material, bytes) = state
        .app
        .materials()
        .material_file(&ctx.principal, MaterialId(id))
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let content_type = material
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let filename = material
        .filename
        .unwrap_or_else(|| format!("material-{id}"));
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        super::encode_component(&filename).replace('/', "%2F")
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct ZoneQuery {
    tz: Option<String>,
    back: Option<String>,
}

/// Remembers the reader's time zone (the menu next to event times) and goes back.
pub async fn set_timezone(Query(q): Query<ZoneQuery>) -> Response {
    let back = safe_return_path(q.back.as_deref().unwrap_or("/"));
    let mut response = see_other(&back);
    if let Some(zone) =
        q.tz.map(|z| decode_component(&z))
            .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
    {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{TZ_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            super::encode_component(&zone).replace('/', "%2F")
        )) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
