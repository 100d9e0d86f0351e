//! Questions in the API: asking, voting, moderation, answers, the officials' assignments,
//! the FAQ, the answer settings and the export.

use super::wire::{
    AnswerInput, AnswerSettings, AnswerSettingsSaved, Assignment, Assignments, AssignmentsQuery,
    DepartmentName, Faq, FaqGroup, FaqTopic, ModerationInput, Question, QuestionInput, Questions,
    SessionTitle, VoteResult,
};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, Slug, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_domain::ids::QuestionId;

/// Ask a question (participant of the event): waiting for a moderator until approved.
#[utoipa::path(post, path = "/api/v1/events/{slug}/questions", operation_id = "ask_question", tag = "questions",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = QuestionInput,
    responses((status = 201, description = "Asked; `pending` until a moderator approves it", body = Question),
        (status = 409, description = "The exchange is closed", body = Problem, content_type = "application/problem+json")))]
pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<QuestionInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .ask_question(&ctx.principal, &slug, &input.into())
        .await?;
    // The asker sees their own question as participants do, with its state.
    let location = format!("/api/v1/questions/{}", q.id);
    Ok(created(Question::new(&q, false, &page), Some(location)))
}

/// The questions, a page at a time in the order they were asked (100 by default; follow
/// `next_after`): approved and answered ones for everyone (a participant also sees their
/// own, with their state); all of them, with who asked, for the agency's staff.
#[utoipa::path(get, path = "/api/v1/events/{slug}/questions", operation_id = "list_questions", tag = "questions",
    security((), ("bearer" = [])), params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = Questions),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(query): Query<PageQuery>,
) -> Result<Response, Error> {
    let listed = state
        .app
        .questions()
        .event_questions_page(&ctx.principal, &slug, query.read()?)
        .await?;
    Ok(ok(Questions {
        questions: listed
            .questions
            .iter()
            .map(|q| Question::new(q, listed.staff, &listed.page))
            .collect(),
        next_after: listed.next.map(|id| id.0),
    }))
}

/// Every question with its answers as CSV (the agency's staff).
#[utoipa::path(get, path = "/api/v1/events/{slug}/questions.csv", operation_id = "export_questions", tag = "questions",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, description = "The questions, one a row", content_type = "text/csv", body = String)))]
pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let body = state
        .app
        .questions()
        .questions_csv(&ctx.principal, &slug, ctx.lang)
        .await?;
    Ok(csv_response(&slug, body))
}

/// A CSV download named after the event.
pub fn csv_response(slug: &str, body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{slug}-questions.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// One question, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/questions/{id}", operation_id = "show_question", tag = "questions",
    security((), ("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Question)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<QuestionId>,
) -> Result<Response, Error> {
    let (q, page, staff) = state.app.questions().question(&ctx.principal, id).await?;
    Ok(ok(Question::new(&q, staff, &page)))
}

async fn vote_response(
    state: AppState,
    ctx: Ctx,
    id: QuestionId,
    up: bool,
) -> Result<Response, Error> {
    let outcome = state.app.questions().vote(&ctx.principal, id, up).await?;
    Ok(ok(VoteResult {
        id: outcome.question.0,
        votes: outcome.votes,
        voted: up,
        changed: outcome.changed,
    }))
}

/// Vote for a question (participant), once.
#[utoipa::path(post, path = "/api/v1/questions/{id}/vote", operation_id = "vote_question", tag = "questions",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = VoteResult)))]
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<QuestionId>,
) -> Result<Response, Error> {
    vote_response(state, ctx, id, true).await
}

/// Take a vote back (participant).
#[utoipa::path(delete, path = "/api/v1/questions/{id}/vote", operation_id = "unvote_question", tag = "questions",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = VoteResult)))]
pub async fn unvote(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<QuestionId>,
) -> Result<Response, Error> {
    vote_response(state, ctx, id, false).await
}

/// Moderate a question (moderator, organiser).
#[utoipa::path(post, path = "/api/v1/questions/{id}/moderation", operation_id = "moderate_question", tag = "questions",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = ModerationInput,
    responses((status = 200, body = Question),
        (status = 409, description = "The state does not allow it (`wrong_state`), or another moderator changed it first (`stale`)", body = Problem, content_type = "application/problem+json")))]
pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<QuestionId>,
    ApiJson(input): ApiJson<ModerationInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .moderate(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(Question::new(&q, true, &page)))
}

/// Answer a question (the official of the department it is routed to, or an organiser).
/// A written answer after the event is emailed to the asker in their language.
#[utoipa::path(post, path = "/api/v1/questions/{id}/answers", operation_id = "answer_question", tag = "questions",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = AnswerInput,
    responses((status = 201, description = "Answered", body = Question),
        (status = 409, description = "Not approved yet, or 20 answers already (`too_many_answers`)", body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<QuestionId>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .answer(&ctx.principal, id, &input.into(), ctx.lang)
        .await?;
    Ok(created(Question::new(&q, true, &page), None))
}

/// The questions routed to the caller's department (an organiser: every routed question
/// of the agency), approved or answered, with their deadlines: a page at a time in the
/// order they were asked (100 by default; follow `next_after`) (official, organiser).
#[utoipa::path(get, path = "/api/v1/assignments", operation_id = "assignments", tag = "questions",
    security(("bearer" = [])), params(AssignmentsQuery, PageQuery),
    responses((status = 200, body = Assignments)))]
pub async fn assignments(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(which): Query<AssignmentsQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let listed = state
        .app
        .questions()
        .assignments(&ctx.principal, which.answered()?, page.read()?)
        .await?;
    let list = listed.items;
    let mut out = Vec::with_capacity(list.len());
    for a in &list {
        let page = state
            .app
            .events()
            .event_page(&ctx.principal, &a.event.slug)
            .await?;
        out.push(Assignment {
            event: a.event.slug.clone(),
            due: a.due,
            overdue: a.overdue,
            question: Question::new(&a.question, true, &page),
        });
    }
    Ok(ok(Assignments {
        assignments: out,
        next_after: listed.next,
    }))
}

/// When written answers are due, and whether the FAQ is published (organiser).
#[utoipa::path(put, path = "/api/v1/events/{slug}/qa-settings", operation_id = "set_answer_settings", tag = "questions",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = AnswerSettings,
    responses((status = 200, body = AnswerSettingsSaved)))]
pub async fn set_answer_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<AnswerSettings>,
) -> Result<Response, Error> {
    let live = state
        .app
        .questions()
        .set_answer_settings(
            &ctx.principal,
            &slug,
            input.answer_working_days,
            input.faq_published,
        )
        .await?;
    Ok(ok(AnswerSettingsSaved {
        answer_working_days: live.answer_working_days,
        faq_published_at: live.faq_published_at,
    }))
}

/// The FAQ, once published: answered questions by department, then by session.
#[utoipa::path(get, path = "/api/v1/events/{slug}/faq", operation_id = "faq", tag = "questions",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Faq)))]
pub async fn faq(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let faq = state.app.questions().faq(&ctx.principal, &slug).await?;
    let groups = faq
        .groups
        .iter()
        .map(|g| FaqGroup {
            department: g.department.as_ref().map(|d| DepartmentName {
                id: d.id.0,
                name: d.name.clone(),
            }),
            topics: g
                .topics
                .iter()
                .map(|(s, qs)| FaqTopic {
                    session: s.as_ref().map(|s| SessionTitle {
                        id: s.id.0,
                        title: s.title.clone(),
                    }),
                    questions: qs
                        .iter()
                        .map(|q| Question::new(q, false, &faq.page))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(ok(Faq {
        event: faq.page.event.slug.clone(),
        published_at: faq.published_at,
        groups,
    }))
}
