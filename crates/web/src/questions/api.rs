//! Questions in the API: asking, voting, moderation, answers, the officials' assignments,
//! the FAQ, the answer settings and the export.

use super::json::question_json;
use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_domain::ids::*;
use roadshow_domain::questions::{AnswerInput, ModerationInput, QuestionInput};
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .ask_question(&ctx.principal, &slug, &input)
        .await?;
    // The asker sees their own question as participants do, with its state.
    let mut response = json(StatusCode::CREATED, question_json(&q, false, &page));
    if let Ok(v) = format!("/api/v1/questions/{}", q.id).parse() {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let (questions, page, staff) = state
        .app
        .questions()
        .event_questions(&ctx.principal, &slug)
        .await?;
    let list: Vec<Value> = questions
        .iter()
        .map(|q| question_json(q, staff, &page))
        .collect();
    Ok(json(StatusCode::OK, json!({ "questions": list })))
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
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

pub async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    let (q, page, staff) = state
        .app
        .questions()
        .question(&ctx.principal, QuestionId(id))
        .await?;
    Ok(json(StatusCode::OK, question_json(&q, staff, &page)))
}

async fn vote_response(state: AppState, ctx: Ctx, id: i64, up: bool) -> Result<Response, Error> {
    let outcome = state
        .app
        .questions()
        .vote(&ctx.principal, QuestionId(id), up)
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({
            "id": outcome.question,
            "votes": outcome.votes,
            "voted": up,
            "changed": outcome.changed,
        }),
    ))
}

pub async fn vote(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    vote_response(state, ctx, id, true).await
}

pub async fn unvote(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    vote_response(state, ctx, id, false).await
}

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<ModerationInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .moderate(&ctx.principal, QuestionId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, question_json(&q, true, &page)))
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Response, Error> {
    let (q, page) = state
        .app
        .questions()
        .answer(&ctx.principal, QuestionId(id), &input, ctx.lang)
        .await?;
    Ok(json(StatusCode::CREATED, question_json(&q, true, &page)))
}

pub async fn assignments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.questions().assignments(&ctx.principal).await?;
    let mut out = Vec::with_capacity(list.len());
    for a in &list {
        let page = state
            .app
            .events()
            .event_page(&ctx.principal, &a.event.slug)
            .await?;
        out.push(json!({
            "event": a.event.slug,
            "due": a.due,
            "overdue": a.overdue,
            "question": question_json(&a.question, true, &page),
        }));
    }
    Ok(json(StatusCode::OK, json!({ "assignments": out })))
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerSettings {
    pub answer_working_days: Option<i64>,
    #[serde(default)]
    pub faq_published: bool,
}

pub async fn set_answer_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
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
    Ok(json(
        StatusCode::OK,
        json!({
            "answer_working_days": live.answer_working_days,
            "faq_published_at": live.faq_published_at,
        }),
    ))
}

pub async fn faq(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let faq = state.app.questions().faq(&ctx.principal, &slug).await?;
    let groups: Vec<Value> = faq
        .groups
        .iter()
        .map(|g| {
            json!({
                "department": g.department.as_ref().map(|d| json!({ "id": d.id, "name": d.name })),
                "topics": g.topics.iter().map(|(s, qs)| json!({
                    "session": s.as_ref().map(|s| json!({ "id": s.id, "title": s.title })),
                    "questions": qs.iter().map(|q| question_json(q, false, &faq.page)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        json!({
            "event": faq.page.event.slug,
            "published_at": faq.published_at,
            "groups": groups,
        }),
    ))
}
