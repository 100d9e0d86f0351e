//! Questions on pages: asking and voting on the live page, the FAQ, and how a question is
//! shown.

use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::{Error, wants_json};
use crate::events::views::event_view;
use crate::forms::{Form, FormState, form_errors};
use crate::live::pages::{back_to_live, live_page_response};
use crate::pages::{Id, render, see_other};
use crate::views::loc;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_app::events::EventPage;
use roadshow_app::questions::Faq;
use roadshow_domain::ids::*;
use roadshow_domain::questions::{Question, QuestionInput, QuestionState};

pub struct AnswerView {
    pub id: i64,
    pub department: String,
    pub author: String,
    pub html: String,
    pub live: bool,
    pub lang: &'static str,
}

pub struct QuestionView {
    pub id: i64,
    pub text: String,
    pub lang: &'static str,
    pub author: String,
    pub session: String,
    pub department: String,
    pub votes: i64,
    pub pinned: bool,
    pub state: &'static str,
    pub public: bool,
    pub own: bool,
    pub voted: bool,
    pub answers: Vec<AnswerView>,
    pub created: i64,
}

pub fn question_view(
    ctx: &Ctx,
    page: &EventPage,
    q: &Question,
    own: bool,
    voted: bool,
) -> QuestionView {
    let department = |id| {
        page.department(id)
            .map(|d| loc(ctx, &d.name).text)
            .unwrap_or_default()
    };
    QuestionView {
        id: q.id.0,
        text: q.text.clone(),
        lang: q.lang.code(),
        author: q.public_author().unwrap_or_else(|| ctx.t("live-anonymous")),
        session: page
            .sessions
            .iter()
            .find(|s| Some(s.id) == q.session_id)
            .map(|s| loc(ctx, &s.title).text)
            .unwrap_or_default(),
        department: department(q.department_id),
        votes: q.votes,
        pinned: q.pinned,
        state: q.state.code(),
        public: q.state.is_public(),
        own,
        voted,
        answers: q
            .answers
            .iter()
            .map(|a| AnswerView {
                id: a.id.0,
                department: department(a.department_id),
                author: a.author_name.clone(),
                html: crate::directory::cited_html(&a.body_html(), page, ctx.lang),
                live: a.live,
                lang: a.lang.code(),
            })
            .collect(),
        created: q.created_at.timestamp(),
    }
}

pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Response {
    // Participants act by their personal link; staff and strangers have nothing to ask
    // or vote with here.
    if !ctx.is_participant() {
        return Error(AppError::Forbidden).into_response();
    }
    let json = wants_json(&headers);
    let input = match data.decode::<wire::QuestionInput>() {
        Ok(input) => QuestionInput::from(input),
        Err(e) => return Error(e).into_response(),
    };
    match state
        .app
        .questions()
        .ask_question(&ctx.principal, &slug, &input)
        .await
    {
        Ok((q, page)) if json => (
            StatusCode::CREATED,
            axum::Json(wire::Question::new(&q, false, &page)),
        )
            .into_response(),
        Ok(_) => see_other(&format!("/events/{slug}/live?asked=1#ask")),
        Err(e) if json => Error::from(e).into_response(),
        Err(e) => match form_errors(e) {
            Ok(fields) => match state.app.live().live_view(&ctx.principal, &slug).await {
                Ok(view) => live_page_response(
                    &ctx,
                    &view,
                    FormState::from_data(&data).with_errors(&ctx, &fields),
                    false,
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(e) => Error::from(e).into_response(),
            },
            Err(e) => Error::from(e).into_response(),
        },
    }
}

pub async fn vote(
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
    let up = data.get("up") != Some("0");
    match state
        .app
        .questions()
        .vote(&ctx.principal, QuestionId(id), up)
        .await
    {
        Ok(outcome) if json => axum::Json(wire::VoteResult {
            id: outcome.question.0,
            votes: outcome.votes,
            voted: up,
            changed: outcome.changed,
        })
        .into_response(),
        Ok(_) => back_to_live(&state, &ctx, format!("#q-{id}")).await,
        Err(e) => Error::from(e).into_response(),
    }
}

pub struct FaqTopicView {
    pub title: String,
    pub questions: Vec<QuestionView>,
}

pub struct FaqGroupView {
    pub department: String,
    pub topics: Vec<FaqTopicView>,
}

#[derive(Template)]
#[template(path = "faq.html")]
struct FaqPage<'a> {
    ctx: &'a Ctx,
    e: crate::events::views::EventView,
    groups: Vec<FaqGroupView>,
    published: bool,
}

fn faq_groups(ctx: &Ctx, faq: &Faq) -> Vec<FaqGroupView> {
    faq.groups
        .iter()
        .map(|g| FaqGroupView {
            department: g
                .department
                .as_ref()
                .map(|d| loc(ctx, &d.name).text)
                .unwrap_or_else(|| ctx.t("faq-other-department")),
            topics: g
                .topics
                .iter()
                .map(|(s, qs)| FaqTopicView {
                    title: s
                        .as_ref()
                        .map(|s| loc(ctx, &s.title).text)
                        .unwrap_or_else(|| ctx.t("faq-general")),
                    // The headings already name the department and the session.
                    questions: qs
                        .iter()
                        .map(|q| {
                            let mut v = question_view(ctx, &faq.page, q, false, false);
                            v.session.clear();
                            v.department.clear();
                            v
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

pub async fn faq(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let faq = state.app.questions().faq(&ctx.principal, &slug).await?;
    Ok(render(&FaqPage {
        e: event_view(&ctx, &faq.page),
        groups: faq_groups(&ctx, &faq),
        published: faq.published_at.is_some(),
        ctx: &ctx,
    }))
}

impl QuestionView {
    pub fn is_pending(&self) -> bool {
        self.state == QuestionState::Pending.code()
    }

    pub fn is_dismissed(&self) -> bool {
        self.state == QuestionState::Dismissed.code()
    }
}
