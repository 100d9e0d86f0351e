//! The organiser's pages: events, agenda, speakers, materials, departments,
//! registrations and the outbox. Each calls the same use case as its API endpoint.

use super::public::Choice;
use super::{FormData, FormState, check_csrf, form_errors, render, render_status, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::views::{
    EventCard, LText, MaterialView, RegistrationRow, event_card, industry_label, loc,
    material_view, registration_row,
};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::departments::{DEPARTMENT_KINDS, Department, DepartmentInput};
use roadshow_domain::events::{Event, Session};
use roadshow_domain::events::{EventInput, EventStatus, SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use roadshow_domain::outbox::OutboxEmail;
use roadshow_domain::reference::{INDUSTRIES, country_name};
use roadshow_domain::time::{format_clock, format_date, to_local_input};
use roadshow_domain::{FieldError, Lang};

fn page_err(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |e| PageError::new(e, ctx)
}

// ---------------------------------------------------------------- dashboard

pub struct DashboardRow {
    pub card: EventCard,
    pub registrations: i64,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<DashboardRow>,
}

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    // Officials work from their queue of questions; moderators and organisers from the
    // list of events.
    if let roadshow_app::Principal::Staff(s) = &ctx.principal {
        if s.role == roadshow_domain::accounts::Role::Official {
            return Ok(see_other("/admin/questions"));
        }
    }
    let events = state
        .app
        .events()
        .staff_events(&ctx.principal)
        .await
        .map_err(page_err(&ctx))?;
    let mut rows = Vec::new();
    for e in &events {
        let counts = state
            .app
            .store
            .registration_counts(e.id)
            .await
            .map_err(|e| PageError::new(e.into(), &ctx))?;
        rows.push(DashboardRow {
            card: event_card(&ctx, e),
            registrations: counts.total,
        });
    }
    Ok(render(&DashboardPage { ctx: &ctx, rows }))
}

// ---------------------------------------------------------------- events

pub struct SessionRow {
    pub id: i64,
    pub time: String,
    pub title: LText,
    pub presenter: LText,
    pub speakers: usize,
    pub materials: usize,
}

#[derive(Template)]
#[template(path = "admin/event_form.html")]
struct EventFormPage<'a> {
    ctx: &'a Ctx,
    /// `None` when creating.
    slug: Option<String>,
    form: FormState,
    industries: Vec<Choice>,
    statuses: Vec<Choice>,
    languages: [Lang; 4],
    sessions: Vec<SessionRow>,
    session_form: FormState,
    session_choices: SessionChoices,
    zone: String,
}

/// What a session form can link to.
#[derive(Default)]
pub struct SessionChoices {
    pub departments: Vec<Choice>,
    pub parks: Vec<Choice>,
    pub policies: Vec<Choice>,
    pub stories: Vec<Choice>,
}

async fn session_choices(state: &AppState, ctx: &Ctx) -> Result<SessionChoices, PageError> {
    let departments = state
        .app
        .departments()
        .departments(&ctx.principal)
        .await
        .map_err(page_err(ctx))?;
    let (parks, policies, stories) = state
        .app
        .catalogue()
        .agency_catalogue(&ctx.principal)
        .await
        .map_err(page_err(ctx))?;
    Ok(SessionChoices {
        departments: departments
            .iter()
            .map(|d| Choice {
                value: d.id.to_string(),
                label: d.name.get(ctx.lang).to_string(),
            })
            .collect(),
        parks: parks
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.name.get(ctx.lang).to_string(),
            })
            .collect(),
        policies: policies
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.title.get(ctx.lang).to_string(),
            })
            .collect(),
        stories: stories
            .iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.company_name.clone(),
            })
            .collect(),
    })
}

fn industry_choices(ctx: &Ctx) -> Vec<Choice> {
    INDUSTRIES
        .iter()
        .map(|i| Choice {
            value: i.to_string(),
            label: industry_label(ctx, i),
        })
        .collect()
}

fn status_choices(ctx: &Ctx) -> Vec<Choice> {
    EventStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().into(),
            label: ctx.t(&format!("status-{}", s.code())),
        })
        .collect()
}

fn event_input(data: &FormData) -> Result<EventInput, Vec<FieldError>> {
    let questions = match data.get("registration_questions").map(str::trim) {
        None | Some("") => Vec::new(),
        Some(text) => serde_json::from_str(text).map_err(|_| {
            vec![FieldError {
                field: "registration_questions".into(),
                code: "invalid_json",
                limit: None,
            }]
        })?,
    };
    Ok(EventInput {
        slug: data.text("slug"),
        title: data.localized("title"),
        theme: data.localized("theme"),
        description: data.localized("description"),
        focus_industries: data.all("focus_industries"),
        target_countries: data
            .get("target_countries")
            .unwrap_or("")
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        languages: data.all("languages"),
        starts_at: data.text("starts_at"),
        ends_at: data.text("ends_at"),
        timezone: data.text("timezone"),
        video_url: data.text("video_url"),
        status: data.text("status"),
        form_fields: questions,
        privacy_version: data.text("privacy_version"),
    })
}

fn event_form_state(e: &Event) -> FormState {
    let mut f = FormState::default();
    f.set("slug", e.slug.clone());
    for lang in Lang::ALL {
        f.set(&format!("title.{lang}"), e.title.exact(lang));
        f.set(&format!("theme.{lang}"), e.theme.exact(lang));
        f.set(&format!("description.{lang}"), e.description.exact(lang));
    }
    f.set_many("focus_industries", e.focus_industries.clone());
    f.set("target_countries", e.target_countries.join(", "));
    f.set_many(
        "languages",
        e.languages.iter().map(|l| l.code().to_string()).collect(),
    );
    f.set("starts_at", to_local_input(e.starts_at, e.zone()));
    f.set("ends_at", to_local_input(e.ends_at, e.zone()));
    f.set("timezone", e.timezone.clone());
    f.set("video_url", e.video_url.clone().unwrap_or_default());
    f.set("status", e.status.code());
    f.set("privacy_version", e.privacy_version.clone());
    if !e.form_fields.is_empty() {
        f.set(
            "registration_questions",
            serde_json::to_string_pretty(&e.form_fields).unwrap_or_default(),
        );
    }
    f
}

fn session_rows(
    ctx: &Ctx,
    e: &Event,
    sessions: &[Session],
    departments: &[Department],
) -> Vec<SessionRow> {
    sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id.0,
            time: format!(
                "{} {}–{}",
                format_date(s.starts_at, e.zone(), ctx.lang),
                format_clock(s.starts_at, e.zone()),
                format_clock(s.ends_at, e.zone())
            ),
            title: loc(ctx, &s.title),
            presenter: s
                .department_id
                .and_then(|id| departments.iter().find(|d| d.id == id))
                .map(|d| loc(ctx, &d.name))
                .unwrap_or_else(|| loc(ctx, &s.presenter)),
            speakers: s.speakers.len(),
            materials: s.materials.len(),
        })
        .collect()
}

async fn event_form_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    event: Option<&Event>,
    form: FormState,
    session_form: FormState,
) -> Result<EventFormPage<'a>, PageError> {
    let (sessions, zone) = match event {
        Some(e) => {
            let sessions = state
                .app
                .store
                .sessions(e.id)
                .await
                .map_err(|e| PageError::new(e.into(), ctx))?;
            let departments = state
                .app
                .departments()
                .departments(&ctx.principal)
                .await
                .map_err(page_err(ctx))?;
            (
                session_rows(ctx, e, &sessions, &departments),
                e.timezone.clone(),
            )
        }
        None => (Vec::new(), "Asia/Shanghai".to_string()),
    };
    Ok(EventFormPage {
        ctx,
        slug: event.map(|e| e.slug.clone()),
        form,
        industries: industry_choices(ctx),
        statuses: status_choices(ctx),
        languages: Lang::ALL,
        sessions,
        session_form,
        session_choices: session_choices(state, ctx).await?,
        zone,
    })
}

pub async fn new_event(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    state
        .app
        .events()
        .organiser(&ctx.principal)
        .map_err(page_err(&ctx))?;
    let mut form = FormState::default();
    form.set("timezone", "Asia/Shanghai");
    form.set("status", "draft");
    form.set_many(
        "languages",
        Lang::ALL.iter().map(|l| l.code().to_string()).collect(),
    );
    let page = event_form_page(&state, &ctx, None, form, FormState::default()).await?;
    Ok(render(&page))
}

pub async fn create_event(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    state
        .app
        .events()
        .organiser(&ctx.principal)
        .map_err(page_err(&ctx))?;
    let result = match event_input(&data) {
        Ok(input) => state
            .app
            .events()
            .create_event(&ctx.principal, &input)
            .await
            .map_err(form_errors),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(event) => Ok(see_other(&format!("/admin/events/{}?saved=1", event.slug))),
        Err(Ok(errors)) => {
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            let page = event_form_page(&state, &ctx, None, form, FormState::default()).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub async fn edit_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await
        .map_err(page_err(&ctx))?;
    let page = event_form_page(
        &state,
        &ctx,
        Some(&event),
        event_form_state(&event),
        FormState::default(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn update_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await
        .map_err(page_err(&ctx))?;
    let result = match event_input(&data) {
        Ok(input) => state
            .app
            .events()
            .update_event(&ctx.principal, &slug, &input)
            .await
            .map_err(form_errors),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(updated) => Ok(see_other(&format!(
            "/admin/events/{}?saved=1",
            updated.slug
        ))),
        Err(Ok(errors)) => {
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            let page =
                event_form_page(&state, &ctx, Some(&event), form, FormState::default()).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

// ---------------------------------------------------------------- sessions

fn ids(data: &FormData, name: &str) -> Vec<i64> {
    data.all(name)
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect()
}

fn session_input(data: &FormData) -> SessionInput {
    SessionInput {
        starts_at: data.text("starts_at"),
        ends_at: data.text("ends_at"),
        kind: data.text("kind"),
        title: data.localized("title"),
        summary: data.localized("summary"),
        department_id: data.get("department_id").and_then(|v| v.parse().ok()),
        presenter: data.localized("presenter"),
        park_ids: ids(data, "park_ids"),
        policy_ids: ids(data, "policy_ids"),
        story_ids: ids(data, "story_ids"),
    }
}

fn session_form_state(e: &Event, s: &Session) -> FormState {
    let mut f = FormState::default();
    f.set("starts_at", to_local_input(s.starts_at, e.zone()));
    f.set("ends_at", to_local_input(s.ends_at, e.zone()));
    f.set("kind", s.kind.code());
    for lang in Lang::ALL {
        f.set(&format!("title.{lang}"), s.title.exact(lang));
        f.set(&format!("summary.{lang}"), s.summary.exact(lang));
        f.set(&format!("presenter.{lang}"), s.presenter.exact(lang));
    }
    if let Some(d) = s.department_id {
        f.set("department_id", d.to_string());
    }
    f.set_many(
        "park_ids",
        s.park_ids.iter().map(|x| x.to_string()).collect(),
    );
    f.set_many(
        "policy_ids",
        s.policy_ids.iter().map(|x| x.to_string()).collect(),
    );
    f.set_many(
        "story_ids",
        s.story_ids.iter().map(|x| x.to_string()).collect(),
    );
    f
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await
        .map_err(page_err(&ctx))?;
    match state
        .app
        .events()
        .create_session(&ctx.principal, &slug, &session_input(&data))
        .await
        .map_err(form_errors)
    {
        Ok(session) => Ok(see_other(&format!(
            "/admin/sessions/{}?saved=1",
            session.id
        ))),
        Err(Ok(errors)) => {
            let session_form = FormState::from_data(&data).with_errors(&ctx, &errors);
            let page = event_form_page(
                &state,
                &ctx,
                Some(&event),
                event_form_state(&event),
                session_form,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub struct SpeakerRow {
    pub id: i64,
    pub name: String,
    pub role: LText,
}

pub struct MaterialRow {
    pub id: i64,
    pub view: MaterialView,
}

#[derive(Template)]
#[template(path = "admin/session.html")]
struct SessionPage<'a> {
    ctx: &'a Ctx,
    event_slug: String,
    event_title: LText,
    session_id: i64,
    zone: String,
    form: FormState,
    choices: SessionChoices,
    languages: [Lang; 4],
    speakers: Vec<SpeakerRow>,
    speaker_form: FormState,
    materials: Vec<MaterialRow>,
    material_form: FormState,
    max_upload_mb: i64,
}

async fn session_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: SessionId,
    form: Option<FormState>,
    speaker_form: FormState,
    material_form: FormState,
) -> Result<SessionPage<'a>, PageError> {
    let (event, session) = state
        .app
        .events()
        .session_for_organiser(&ctx.principal, id)
        .await
        .map_err(page_err(ctx))?;
    Ok(SessionPage {
        ctx,
        event_slug: event.slug.clone(),
        event_title: loc(ctx, &event.title),
        session_id: id.0,
        zone: event.timezone.clone(),
        form: form.unwrap_or_else(|| session_form_state(&event, &session)),
        choices: session_choices(state, ctx).await?,
        languages: Lang::ALL,
        speakers: session
            .speakers
            .iter()
            .map(|s| SpeakerRow {
                id: s.id.0,
                name: s.name.clone(),
                role: loc(ctx, &s.role),
            })
            .collect(),
        speaker_form,
        materials: session
            .materials
            .iter()
            .map(|m| MaterialRow {
                id: m.id.0,
                view: material_view(m),
            })
            .collect(),
        material_form,
        max_upload_mb: (state.app.config.max_upload_bytes / (1024 * 1024)) as i64,
    })
}

pub async fn edit_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let page = session_page(
        &state,
        &ctx,
        SessionId(id),
        None,
        FormState::default(),
        FormState::default(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    match state
        .app
        .events()
        .update_session(&ctx.principal, SessionId(id), &session_input(&data))
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}?saved=1"))),
        Err(Ok(errors)) => {
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            let page = session_page(
                &state,
                &ctx,
                SessionId(id),
                Some(form),
                FormState::default(),
                FormState::default(),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub async fn delete_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&ctx, &FormData(fields))?;
    let event = state
        .app
        .events()
        .delete_session(&ctx.principal, SessionId(id))
        .await
        .map_err(page_err(&ctx))?;
    Ok(see_other(&format!(
        "/admin/events/{}?deleted=1",
        event.slug
    )))
}

pub async fn add_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let input = SpeakerInput {
        name: data.text("name"),
        role: data.localized("role"),
    };
    match state
        .app
        .events()
        .add_speaker(&ctx.principal, SessionId(id), &input)
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}#speakers"))),
        Err(Ok(errors)) => {
            let speaker_form = FormState::from_data(&data).with_errors(&ctx, &errors);
            let page = session_page(
                &state,
                &ctx,
                SessionId(id),
                None,
                speaker_form,
                FormState::default(),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub async fn delete_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let session: Option<i64> = data.get("session").and_then(|v| v.parse().ok());
    let event = state
        .app
        .events()
        .delete_speaker(&ctx.principal, SpeakerId(id))
        .await
        .map_err(page_err(&ctx))?;
    Ok(see_other(&match session {
        Some(s) => format!("/admin/sessions/{s}#speakers"),
        None => format!("/admin/events/{}", event.slug),
    }))
}

/// A material form: an upload (`file`) or a link (`url`), with a title.
pub async fn add_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    // Only an organiser of the event's agency gets to send a large body.
    state
        .app
        .events()
        .session_for_organiser(&ctx.principal, SessionId(id))
        .await
        .map_err(page_err(&ctx))?;
    let multipart = multipart
        .map_err(|_| PageError::new(AppError::invalid("file", "malformed_upload"), &ctx))?;
    let upload = match crate::api::read_upload(multipart, state.app.config.max_upload_bytes).await {
        Ok(u) => u,
        Err(AppError::TooLarge { limit }) => {
            let form = FormState {
                errors: vec![(
                    "file".into(),
                    crate::error::field_message(
                        ctx.lang,
                        &FieldError {
                            field: "file".into(),
                            code: "file_too_large",
                            limit: Some(limit / (1024 * 1024)),
                        },
                    ),
                )],
                ..FormState::default()
            };
            let page = session_page(
                &state,
                &ctx,
                SessionId(id),
                None,
                FormState::default(),
                form,
            )
            .await?;
            return Ok(render_status(StatusCode::PAYLOAD_TOO_LARGE, &page));
        }
        Err(e) => return Err(PageError::new(e, &ctx)),
    };
    let fields = FormData(upload.fields.clone());
    check_csrf(&ctx, &fields)?;
    let url = fields.get("url").unwrap_or("").trim().to_string();
    let result = if upload.bytes.is_empty() && !url.is_empty() {
        state
            .app
            .materials()
            .add_material_link(&ctx.principal, SessionId(id), &upload.title, &url)
            .await
    } else {
        state
            .app
            .materials()
            .add_material_file(
                &ctx.principal,
                SessionId(id),
                &upload.title,
                &upload.filename,
                &upload.bytes,
            )
            .await
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}#materials"))),
        Err(Ok(errors)) => {
            let mut form = FormState::default();
            form.set("title", upload.title.clone());
            form.set("url", url);
            let form = form.with_errors(&ctx, &errors);
            let page = session_page(
                &state,
                &ctx,
                SessionId(id),
                None,
                FormState::default(),
                form,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub async fn delete_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    let session: Option<i64> = data.get("session").and_then(|v| v.parse().ok());
    let event = state
        .app
        .materials()
        .delete_material(&ctx.principal, MaterialId(id))
        .await
        .map_err(page_err(&ctx))?;
    Ok(see_other(&match session {
        Some(s) => format!("/admin/sessions/{s}#materials"),
        None => format!("/admin/events/{}", event.slug),
    }))
}

// ---------------------------------------------------------------- registrations

pub struct CountRow {
    pub label: String,
    pub count: i64,
    pub href: String,
}

#[derive(Template)]
#[template(path = "admin/registrations.html")]
struct RegistrationsPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    rows: Vec<RegistrationRow>,
    total: i64,
    by_country: Vec<CountRow>,
    by_industry: Vec<CountRow>,
    filter: FormState,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    query: String,
}

pub async fn registrations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<crate::api::FilterQuery>,
) -> Result<Response, PageError> {
    let filter = q.filter();
    let list = state
        .app
        .registrations()
        .registrations(&ctx.principal, &slug, &filter)
        .await
        .map_err(page_err(&ctx))?;
    let base = format!("/admin/events/{slug}/registrations");
    let mut form = FormState::default();
    form.set("country", filter.country.clone().unwrap_or_default());
    form.set("industry", filter.industry.clone().unwrap_or_default());
    form.set("q", filter.search.clone().unwrap_or_default());
    let query = [
        ("country", &filter.country),
        ("industry", &filter.industry),
        ("q", &filter.search),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .map(|v| format!("{k}={}", super::encode_component(v)))
    })
    .collect::<Vec<_>>()
    .join("&");
    Ok(render(&RegistrationsPage {
        slug: slug.clone(),
        title: loc(&ctx, &list.event.title),
        rows: list
            .registrations
            .iter()
            .map(|r| registration_row(&ctx, r))
            .collect(),
        total: list.counts.total,
        by_country: list
            .counts
            .by_country
            .iter()
            .map(|(c, n)| CountRow {
                label: country_name(c, ctx.lang),
                count: *n,
                href: format!("{base}?country={c}"),
            })
            .collect(),
        by_industry: list
            .counts
            .by_industry
            .iter()
            .map(|(i, n)| CountRow {
                label: industry_label(&ctx, i),
                count: *n,
                href: format!("{base}?industry={i}"),
            })
            .collect(),
        countries: list
            .counts
            .by_country
            .iter()
            .map(|(c, _)| Choice {
                value: c.clone(),
                label: country_name(c, ctx.lang),
            })
            .collect(),
        industries: list
            .counts
            .by_industry
            .iter()
            .map(|(i, _)| Choice {
                value: i.clone(),
                label: industry_label(&ctx, i),
            })
            .collect(),
        filter: form,
        query,
        ctx: &ctx,
    }))
}

pub async fn registrations_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<crate::api::FilterQuery>,
) -> Result<Response, PageError> {
    let body = state
        .app
        .registrations()
        .registrations_csv(&ctx.principal, &slug, &q.filter(), ctx.lang)
        .await
        .map_err(page_err(&ctx))?;
    Ok(crate::views::csv_response(
        &format!("{slug}-registrations.csv"),
        body,
    ))
}

// ---------------------------------------------------------------- departments

pub struct DepartmentRow {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub name: LText,
}

#[derive(Template)]
#[template(path = "admin/departments.html")]
struct DepartmentsPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<DepartmentRow>,
    form: FormState,
    kinds: Vec<Choice>,
    languages: [Lang; 4],
    editing: Option<i64>,
}

fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    DEPARTMENT_KINDS
        .iter()
        .map(|k| Choice {
            value: k.to_string(),
            label: ctx.t(&format!("department-kind-{k}")),
        })
        .collect()
}

async fn departments_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    form: FormState,
    editing: Option<i64>,
) -> Result<DepartmentsPage<'a>, PageError> {
    state
        .app
        .events()
        .organiser(&ctx.principal)
        .map_err(page_err(ctx))?;
    let list = state
        .app
        .departments()
        .departments(&ctx.principal)
        .await
        .map_err(page_err(ctx))?;
    Ok(DepartmentsPage {
        ctx,
        rows: list
            .iter()
            .map(|d| DepartmentRow {
                id: d.id.0,
                slug: d.slug.clone(),
                kind: ctx.t(&format!("department-kind-{}", d.kind)),
                name: loc(ctx, &d.name),
            })
            .collect(),
        form,
        kinds: kind_choices(ctx),
        languages: Lang::ALL,
        editing,
    })
}

fn department_input(data: &FormData) -> DepartmentInput {
    DepartmentInput {
        slug: data.text("slug"),
        kind: data.text("kind"),
        name: data.localized("name"),
        description: data.localized("description"),
        website: data.text("website"),
    }
}

pub async fn departments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let mut form = FormState::default();
    form.set("kind", "bureau");
    Ok(render(&departments_page(&state, &ctx, form, None).await?))
}

pub async fn create_department(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    match state
        .app
        .departments()
        .create_department(&ctx.principal, &department_input(&data))
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other("/admin/departments?saved=1")),
        Err(Ok(errors)) => {
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &departments_page(&state, &ctx, form, None).await?,
            ))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

pub async fn edit_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let d = state
        .app
        .departments()
        .department_for_organiser(&ctx.principal, DepartmentId(id))
        .await
        .map_err(page_err(&ctx))?;
    let mut form = FormState::default();
    form.set("slug", d.slug.clone());
    form.set("kind", d.kind.clone());
    form.set("website", d.website.clone().unwrap_or_default());
    for lang in Lang::ALL {
        form.set(&format!("name.{lang}"), d.name.exact(lang));
        form.set(&format!("description.{lang}"), d.description.exact(lang));
    }
    Ok(render(
        &departments_page(&state, &ctx, form, Some(id)).await?,
    ))
}

pub async fn update_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(fields);
    check_csrf(&ctx, &data)?;
    match state
        .app
        .departments()
        .update_department(&ctx.principal, DepartmentId(id), &department_input(&data))
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other("/admin/departments?saved=1")),
        Err(Ok(errors)) => {
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &departments_page(&state, &ctx, form, Some(id)).await?,
            ))
        }
        Err(Err(e)) => Err(PageError::new(e, &ctx)),
    }
}

// ---------------------------------------------------------------- outbox

pub struct EmailRow {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub status_code: &'static str,
    pub created: String,
    pub attachments: Vec<String>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<EmailRow>,
    smtp: bool,
}

fn email_row(ctx: &Ctx, e: &OutboxEmail) -> EmailRow {
    EmailRow {
        to: e.message.to.clone(),
        subject: e.message.subject.clone(),
        body: e.message.body_text.clone(),
        status: ctx.t(&format!("email-status-{}", e.status.code())),
        status_code: e.status.code(),
        created: format!(
            "{} {}",
            format_date(e.created_at, ctx.zone, ctx.lang),
            format_clock(e.created_at, ctx.zone)
        ),
        attachments: e
            .message
            .attachments
            .iter()
            .map(|a| a.filename.clone())
            .collect(),
        error: e.last_error.clone().unwrap_or_default(),
    }
}

pub async fn outbox(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let emails = state
        .app
        .outbox()
        .outbox(&ctx.principal)
        .await
        .map_err(page_err(&ctx))?;
    Ok(render(&OutboxPage {
        rows: emails.iter().map(|e| email_row(&ctx, e)).collect(),
        smtp: state.app.outbox().smtp_configured(),
        ctx: &ctx,
    }))
}
