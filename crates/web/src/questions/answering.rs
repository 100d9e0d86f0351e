//! The officials' questions to answer (the answering console): its page, one card of it
//! drawn alone when the live exchange moves, and written answers from the page.

use super::moderation::{SECTION_MAX, StaffQuestionView, directory_hits, staff_view};
use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::{Error, wants_json};
use crate::forms::{Form, FormState, form_errors};
use crate::pages::{Id, render_status, safe_return_path, see_other};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use roadshow_app::Principal;
use roadshow_app::events::EventPage;
use roadshow_domain::ids::*;

pub struct AssignmentGroup {
    pub heading: String,
    pub kind: &'static str,
    pub items: Vec<AssignmentView>,
    /// Questions the group shows at most.
    pub max: usize,
}

pub struct AssignmentView {
    pub q: StaffQuestionView,
    pub event_title: LText,
    pub event_slug: String,
    pub due: TimeView,
    pub overdue: bool,
    pub answered: bool,
    /// The group the question is in (overdue, open, done) and its place there (the most
    /// urgent first; the latest answered first).
    pub section: &'static str,
    pub sort: String,
}

/// How an assignment is drawn, in the page or alone.
async fn assignment_view(
    state: &AppState,
    ctx: &Ctx,
    page: &EventPage,
    a: &roadshow_app::questions::Assignment,
) -> AssignmentView {
    let answered = a.question.is_answered();
    let mut hits = if answered {
        Default::default()
    } else {
        directory_hits(state, ctx, page, &[&a.question]).await
    };
    AssignmentView {
        q: staff_view(ctx, page, &a.question, &mut hits),
        event_title: loc(ctx, &a.event.title),
        event_slug: a.event.slug.clone(),
        due: time_view(ctx, a.due),
        overdue: a.overdue,
        answered,
        section: match (answered, a.overdue) {
            (true, _) => "done",
            (false, true) => "overdue",
            (false, false) => "open",
        },
        sort: match answered {
            true => format!("{:020}", i64::MAX - a.question.id.0),
            false => format!("{:020}-{:020}", a.due.timestamp().max(0), a.question.id.0),
        },
    }
}

/// One card of the answering console, drawn alone when the live exchange moves its
/// question.
#[derive(Template)]
#[template(path = "partials/answer_card.html")]
struct AnswerCard<'a> {
    ctx: &'a Ctx,
    a: AssignmentView,
    form: FormState,
    failed: i64,
}

/// The card of one question the caller answers, as the answering console would draw it;
/// not found when it is not (or no longer) theirs to answer.
pub async fn assignment_card(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let a = state
        .app
        .questions()
        .assignment(&ctx.principal, QuestionId(id))
        .await?;
    let page = state
        .app
        .events()
        .event_page(&ctx.principal, &a.event.slug)
        .await?;
    Ok(render_status(
        StatusCode::OK,
        &AnswerCard {
            a: assignment_view(&state, &ctx, &page, &a).await,
            form: FormState::default(),
            failed: 0,
            ctx: &ctx,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin/assignments.html")]
struct AssignmentsPage<'a> {
    ctx: &'a Ctx,
    groups: Vec<AssignmentGroup>,
    department: String,
    form: FormState,
    /// The question whose answer form has errors.
    failed: i64,
    /// The events whose live streams the page follows, space-separated.
    slugs: String,
    /// More questions wait than the page shows.
    more: bool,
}

/// Answered questions the answering console shows (the latest); the others are in the
/// paged API and the event's export.
pub const ANSWERED_SHOWN: usize = 20;

async fn assignments_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    failed: i64,
    status: StatusCode,
) -> Result<Response, Error> {
    // Bounded however many questions the agency has answered: it is read again whenever
    // the live exchange moves.
    let console = state
        .app
        .questions()
        .answering_console(&ctx.principal, SECTION_MAX, ANSWERED_SHOWN)
        .await?;
    let mut overdue = Vec::new();
    let mut open = Vec::new();
    let mut done = Vec::new();
    let mut department = String::new();
    // Follow the agency's running events, so that a newly routed question shows up.
    let mut slugs: Vec<String> = state
        .app
        .events()
        .staff_events(&ctx.principal)
        .await?
        .into_iter()
        .filter(|e| {
            matches!(
                e.status,
                roadshow_domain::events::EventStatus::Published
                    | roadshow_domain::events::EventStatus::Live
            )
        })
        .map(|e| e.slug)
        .collect();
    for a in console.open.iter().chain(&console.answered) {
        if !slugs.contains(&a.event.slug) {
            slugs.push(a.event.slug.clone());
        }
        let page = state
            .app
            .events()
            .event_page(&ctx.principal, &a.event.slug)
            .await?;
        if let Principal::Staff(s) = &ctx.principal {
            if let Some(d) = page.department(s.department_id) {
                department = loc(ctx, &d.name).text;
            }
        }
        let view = assignment_view(state, ctx, &page, a).await;
        if view.answered {
            done.push(view);
        } else if view.overdue {
            overdue.push(view);
        } else {
            open.push(view);
        }
    }
    Ok(render_status(
        status,
        &AssignmentsPage {
            groups: [
                ("answers-overdue", "overdue", overdue),
                ("answers-open", "open", open),
                ("answers-done", "done", done),
            ]
            .into_iter()
            .filter(|(_, _, items)| !items.is_empty())
            .map(|(key, kind, items)| AssignmentGroup {
                heading: ctx.t(key),
                kind,
                items,
                max: match kind {
                    "done" => ANSWERED_SHOWN,
                    _ => SECTION_MAX,
                },
            })
            .collect(),
            ctx,
            department,
            form,
            failed,
            slugs: slugs.join(" "),
            more: console.more,
        },
    ))
}

pub async fn assignments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    assignments_page(&state, &ctx, FormState::default(), 0, StatusCode::OK).await
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(id): Id,
    Form(data): Form,
) -> Response {
    let json = wants_json(&headers);
    let input = match data.decode::<wire::AnswerInput>() {
        Ok(input) => roadshow_domain::questions::AnswerInput::from(input),
        Err(e) => return Error(e).into_response(),
    };
    let back = data
        .get("back")
        .map(safe_return_path)
        .unwrap_or_else(|| "/admin/questions".into());
    match state
        .app
        .questions()
        .answer(&ctx.principal, QuestionId(id), &input, ctx.lang)
        .await
    {
        Ok((q, page)) if json => (
            StatusCode::CREATED,
            axum::Json(wire::Question::new(&q, true, &page)),
        )
            .into_response(),
        Ok((q, _)) => see_other(&format!("{back}#q-{}", q.id)),
        Err(e) if json => Error::from(e).into_response(),
        Err(e) => match form_errors(e) {
            Ok(fields) => assignments_page(
                &state,
                &ctx,
                FormState::from_data(&data).with_errors(&ctx, &fields),
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
            .unwrap_or_else(|e| e.into_response()),
            Err(e) => Error::from(e).into_response(),
        },
    }
}
