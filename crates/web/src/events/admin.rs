//! The organiser's pages for events: the dashboard, the event form, the agenda's
//! sessions with their speakers and materials. Each calls the same use case as its API
//! endpoint.
use super::views::{EventCard, event_card};
use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{render, render_status, see_other};
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::departments::Department;
use roadshow_domain::events::{Event, EventInput, EventStatus, Session};
use roadshow_domain::reference::INDUSTRIES;
use roadshow_domain::time::{format_clock, format_date, to_local_input};
use roadshow_domain::{FieldError, Lang};

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

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    // Officials work from their queue of questions, investment officers from their
    // leads; moderators and organisers from the list of events.
    if let roadshow_app::Principal::Staff(s) = &ctx.principal {
        if s.role == roadshow_domain::accounts::Role::Official {
            return Ok(see_other("/admin/questions"));
        }
        // Investment officers work from the leads board.
        if s.role == roadshow_domain::accounts::Role::InvestmentOfficer {
            return Ok(see_other("/admin/leads"));
        }
    }
    let events = state.app.events().staff_events(&ctx.principal).await?;
    let mut rows = Vec::new();
    for e in &events {
        let counts = state.app.store.registration_counts(e.id).await?;
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
pub(super) struct EventFormPage<'a> {
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
    stream_types: Vec<Choice>,
    recording_types: Vec<Choice>,
    /// The recording's captions: language code and name.
    captions: Vec<(String, String)>,
}

/// What a session form can link to.
#[derive(Default)]
pub struct SessionChoices {
    /// The stream types a session's stream and recording can have.
    pub stream_types: Vec<Choice>,
    pub recording_types: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub parks: Vec<Choice>,
    pub policies: Vec<Choice>,
    pub stories: Vec<Choice>,
}

pub(super) async fn session_choices(state: &AppState, ctx: &Ctx) -> Result<SessionChoices, Error> {
    let departments = state.app.departments().departments(&ctx.principal).await?;
    let (parks, policies, stories) = state.app.directory().agency_items(&ctx.principal).await?;
    Ok(SessionChoices {
        stream_types: crate::broadcast::pages::stream_types(ctx, true),
        recording_types: crate::broadcast::pages::stream_types(ctx, false),
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

fn event_input(data: &FormData) -> Result<EventInput, roadshow_app::AppError> {
    // Two fields are typed as text on the page: the target countries as a list of codes
    // ("DE, AT"), the registration questions as the JSON the API takes for them.
    let mut fields = data.without(&["target_countries", "registration_questions"]);
    for code in data
        .get("target_countries")
        .unwrap_or("")
        .split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        fields.0.push(("target_countries".into(), code.to_string()));
    }
    let mut input = fields.decode::<wire::EventInput>()?;
    input.registration_questions = match data.get("registration_questions").map(str::trim) {
        None | Some("") => Vec::new(),
        Some(text) => serde_json::from_str(text).map_err(|_| {
            roadshow_app::AppError::Invalid(vec![FieldError::new(
                "registration_questions",
                "invalid_json",
            )])
        })?,
    };
    Ok(input.into())
}

pub(super) fn event_form_state(e: &Event) -> FormState {
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
    crate::broadcast::pages::set_broadcast_fields(&mut f, &e.broadcast, e.zone());
    f.set("attended_minutes", e.attended_minutes.to_string());
    if e.replay_public {
        f.set("replay_public", "true");
    }
    f.set("status", e.status.code());
    f.set("privacy_version", e.privacy_version.clone());
    if !e.form_fields.is_empty() {
        f.set(
            "registration_questions",
            serde_json::to_string_pretty(
                &e.form_fields
                    .iter()
                    .map(wire::FormField::from)
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default(),
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

pub(super) async fn event_form_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    event: Option<&Event>,
    form: FormState,
    session_form: FormState,
) -> Result<EventFormPage<'a>, Error> {
    let (sessions, zone) = match event {
        Some(e) => {
            let sessions = state.app.store.sessions(e.id).await?;
            let departments = state.app.departments().departments(&ctx.principal).await?;
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
        stream_types: crate::broadcast::pages::stream_types(ctx, true),
        recording_types: crate::broadcast::pages::stream_types(ctx, false),
        captions: match event {
            Some(e) => crate::broadcast::pages::caption_list(state, ctx, &e.slug).await?,
            None => Vec::new(),
        },
    })
}

pub async fn new_event(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    state.app.events().may_create_event(&ctx.principal)?;
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
    Form(data): Form,
) -> Result<Response, Error> {
    state.app.events().may_create_event(&ctx.principal)?;
    let result = match event_input(&data) {
        Ok(input) => {
            state
                .app
                .events()
                .create_event(&ctx.principal, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(event) => Ok(see_other(&format!("/admin/events/{}?saved=1", event.slug))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            let page = event_form_page(&state, &ctx, None, form, FormState::default()).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

pub async fn edit_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await?;
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
    Form(data): Form,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await?;
    let result = match event_input(&data) {
        Ok(input) => {
            state
                .app
                .events()
                .update_event(&ctx.principal, &slug, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(updated) => Ok(see_other(&format!(
            "/admin/events/{}?saved=1",
            updated.slug
        ))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            let page =
                event_form_page(&state, &ctx, Some(&event), form, FormState::default()).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
