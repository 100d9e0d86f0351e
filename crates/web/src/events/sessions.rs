//! The organiser's pages for the agenda: a session with its speakers and materials.

use super::admin::{SessionChoices, event_form_page, event_form_state, session_choices};
use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Form, FormData, FormState};
use crate::materials::{MaterialView, material_view};
use crate::pages::{Id, render, render_status, see_other};
use crate::views::{LText, loc};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::Lang;
use roadshow_domain::events::{Event, Session, SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use roadshow_domain::time::to_local_input;

// ---------------------------------------------------------------- sessions

fn session_input(data: &FormData) -> Result<SessionInput, roadshow_app::AppError> {
    data.decode::<wire::SessionInput>().map(SessionInput::from)
}

fn session_form_state(e: &Event, s: &Session) -> FormState {
    let mut f = FormState::default();
    f.set("starts_at", to_local_input(s.starts_at, e.zone()));
    f.set("ends_at", to_local_input(s.ends_at, e.zone()));
    crate::broadcast::pages::set_broadcast_fields(&mut f, &s.broadcast, e.zone());
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
    Form(data): Form,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await?;
    let result = match session_input(&data) {
        Ok(input) => {
            state
                .app
                .events()
                .create_session(&ctx.principal, &slug, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(session) => Ok(see_other(&format!(
            "/admin/sessions/{}?saved=1",
            session.id
        ))),
        Err(e) => {
            let session_form = data.refill(&ctx, e)?;
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
pub(crate) struct SessionPage<'a> {
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

pub(crate) async fn session_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: SessionId,
    form: Option<FormState>,
    speaker_form: FormState,
    material_form: FormState,
) -> Result<SessionPage<'a>, Error> {
    let (event, session) = state
        .app
        .events()
        .session_for_organiser(&ctx.principal, id)
        .await?;
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
    Id(id): Id,
) -> Result<Response, Error> {
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
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = match session_input(&data) {
        Ok(input) => {
            state
                .app
                .events()
                .update_session(&ctx.principal, SessionId(id), &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}?saved=1"))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
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
    }
}

pub async fn delete_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(_data): Form,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .delete_session(&ctx.principal, SessionId(id))
        .await?;
    Ok(see_other(&format!(
        "/admin/events/{}?deleted=1",
        event.slug
    )))
}

pub async fn add_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let input = data.decode::<wire::SpeakerInput>().map(SpeakerInput::from);
    let added = match input {
        Ok(input) => {
            state
                .app
                .events()
                .add_speaker(&ctx.principal, SessionId(id), &input)
                .await
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}#speakers"))),
        Err(e) => {
            let speaker_form = data.refill(&ctx, e)?;
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
    }
}

pub async fn delete_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let session = data.number("session")?;
    let event = state
        .app
        .events()
        .delete_speaker(&ctx.principal, SpeakerId(id))
        .await?;
    Ok(see_other(&match session {
        Some(s) => format!("/admin/sessions/{s}#speakers"),
        None => format!("/admin/events/{}", event.slug),
    }))
}
