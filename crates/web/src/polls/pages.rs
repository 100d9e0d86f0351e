//! Polls on pages: answering on the live page, and the moderators' page to create and run
//! them.

use super::wire::{self, Poll as PollOut};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::{Error, wants_json};
use crate::forms::{Form, FormData, FormState};
use crate::live::pages::back_to_live;
use crate::pages::{Id, render_status, see_other};
use crate::views::{LText, loc};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::ids::*;
use roadshow_domain::polls::{PollInput, PollState};
use roadshow_domain::{Lang, Localized};

pub struct PollOptionView {
    pub index: usize,
    pub label: LText,
    pub count: i64,
    pub chosen: bool,
}

pub struct PollView {
    pub id: i64,
    pub question: LText,
    pub options: Vec<PollOptionView>,
    pub multiple: bool,
    pub state: &'static str,
    pub open: bool,
    pub results_shown: bool,
    pub voters: i64,
    pub total: i64,
    pub answered: bool,
}

pub fn poll_view(ctx: &Ctx, p: &roadshow_domain::polls::Poll, mine: &[usize]) -> PollView {
    PollView {
        id: p.id.0,
        question: loc(ctx, &p.question),
        options: p
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| PollOptionView {
                index: i,
                label: loc(ctx, o),
                count: p.counts.get(i).copied().unwrap_or(0),
                chosen: mine.contains(&i),
            })
            .collect(),
        multiple: p.multiple,
        state: p.state.code(),
        open: p.state == PollState::Open,
        results_shown: p.results_shown,
        voters: p.voters,
        total: p.counts.iter().sum::<i64>().max(1),
        answered: !mine.is_empty(),
    }
}

pub async fn vote_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(id): Id,
    Form(data): Form,
) -> Response {
    // Participants act by their personal link; staff and strangers have nothing to ask
    // or vote with here.
    if !ctx.is_participant() {
        return Error(AppError::Forbidden).into_response();
    }
    let json = wants_json(&headers);
    let choices = match data.decode::<wire::PollVote>() {
        Ok(vote) => vote.choices,
        Err(e) => return Error(e).into_response(),
    };
    match state
        .app
        .polls()
        .vote_poll(&ctx.principal, PollId(id), &choices)
        .await
    {
        Ok(poll) if json => axum::Json(super::wire::PollVoted {
            poll: PollOut::new(&poll, poll.results_shown),
            choices,
        })
        .into_response(),
        Ok(_) => back_to_live(&state, &ctx, format!("#poll-{id}")).await,
        Err(e) => Error::from(e).into_response(),
    }
}

// ---------------------------------------------------------------- polls

#[derive(Template)]
#[template(path = "admin/polls.html")]
struct PollsPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    polls: Vec<PollView>,
    sessions: Vec<(i64, String)>,
    form: FormState,
}

async fn polls_page(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    form: FormState,
    status: StatusCode,
) -> Result<Response, Error> {
    // The polls only: none of the questions.
    let console = state
        .app
        .questions()
        .console(&ctx.principal, slug, 0)
        .await?;
    let page = &console.page;
    Ok(render_status(
        status,
        &PollsPage {
            slug: page.event.slug.clone(),
            title: loc(ctx, &page.event.title),
            polls: console
                .polls
                .iter()
                .map(|p| poll_view(ctx, p, &[]))
                .collect(),
            sessions: page
                .sessions
                .iter()
                .map(|s| (s.id.0, loc(ctx, &s.title).text))
                .collect(),
            form,
            ctx,
        },
    ))
}

pub async fn polls(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    polls_page(&state, &ctx, &slug, FormState::default(), StatusCode::OK).await
}

/// The poll form: the question per language, and the options one per line per language
/// (line n of each language is option n).
fn poll_input(data: &FormData) -> Result<PollInput, AppError> {
    let mut options: Vec<Localized> = Vec::new();
    for lang in Lang::ALL {
        let text = data.get(&format!("options.{}", lang.code())).unwrap_or("");
        for (i, line) in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            if options.len() <= i {
                options.resize(i + 1, Localized::default());
            }
            options[i].0.insert(lang, line.to_string());
        }
    }
    // The options are typed one per line in each language; the rest reads as the API's.
    let mut input = PollInput::from(
        data.without(&["options.de", "options.en", "options.zh", "options.fr"])
            .decode::<wire::PollInput>()?,
    );
    input.options = options;
    Ok(input)
}

pub async fn create_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = match poll_input(&data) {
        Ok(input) => {
            state
                .app
                .polls()
                .create_poll(&ctx.principal, &slug, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(see_other(&format!(
            "/admin/events/{slug}/polls#poll-{}",
            p.id
        ))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            polls_page(&state, &ctx, &slug, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn poll_action(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(id): Id,
    Form(data): Form,
) -> Response {
    let json = wants_json(&headers);
    let action = data.get("action").unwrap_or("");
    match state
        .app
        .polls()
        .poll_action(&ctx.principal, PollId(id), action)
        .await
    {
        Ok(p) if json => axum::Json(PollOut::new(&p, true)).into_response(),
        Ok(p) => match state.app.store.event(p.event_id).await {
            Ok(Some(e)) => see_other(&format!("/admin/events/{}/polls#poll-{}", e.slug, p.id)),
            _ => see_other("/admin"),
        },
        Err(e) => Error::from(e).into_response(),
    }
}
