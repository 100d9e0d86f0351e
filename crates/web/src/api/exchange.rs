//! The live exchange in the API: questions, votes, moderation, answers, polls, the live
//! stream, the session on now, the officials' assignments, the FAQ and the export.

use super::{Api, ApiJson, json};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::polls::poll_json;
use roadshow_app::questions::question_json;
use roadshow_domain::ids::{PollId, QuestionId, SessionId};
use roadshow_domain::polls::PollInput;
use roadshow_domain::questions::{AnswerInput, ModerationInput, QuestionInput};
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn ask(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> Result<Response, ApiError> {
    let (q, page) = state
        .app
        .questions()
        .ask_question(&api.principal, &slug, &input, api.lang)
        .await
        .map_err(|e| api.err(e))?;
    // The asker sees their own question as participants do, with its state.
    let mut response = json(StatusCode::CREATED, question_json(&q, false, &page));
    if let Ok(v) = format!("/api/v1/questions/{}", q.id).parse() {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

pub async fn list(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let (questions, page, staff) = state
        .app
        .questions()
        .event_questions(&api.principal, &slug)
        .await
        .map_err(|e| api.err(e))?;
    let list: Vec<Value> = questions
        .iter()
        .map(|q| question_json(q, staff, &page))
        .collect();
    Ok(json(StatusCode::OK, json!({ "questions": list })))
}

pub async fn csv(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let body = state
        .app
        .questions()
        .questions_csv(&api.principal, &slug, api.lang)
        .await
        .map_err(|e| api.err(e))?;
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

pub async fn show(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (q, page, staff) = state
        .app
        .questions()
        .question(&api.principal, QuestionId(id))
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, question_json(&q, staff, &page)))
}

async fn vote_response(state: AppState, api: Api, id: i64, up: bool) -> Result<Response, ApiError> {
    let outcome = state
        .app
        .questions()
        .vote(&api.principal, QuestionId(id), up)
        .await
        .map_err(|e| api.err(e))?;
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

pub async fn vote(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    vote_response(state, api, id, true).await
}

pub async fn unvote(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    vote_response(state, api, id, false).await
}

pub async fn moderate(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ModerationInput>,
) -> Result<Response, ApiError> {
    let (q, page) = state
        .app
        .questions()
        .moderate(&api.principal, QuestionId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, question_json(&q, true, &page)))
}

pub async fn answer(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Response, ApiError> {
    let (q, page) = state
        .app
        .questions()
        .answer(&api.principal, QuestionId(id), &input, api.lang)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, question_json(&q, true, &page)))
}

pub async fn assignments(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let list = state
        .app
        .questions()
        .assignments(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    let mut out = Vec::with_capacity(list.len());
    for a in &list {
        let page = state
            .app
            .events()
            .event_page(&api.principal, &a.event.slug)
            .await
            .map_err(|e| api.err(e))?;
        out.push(json!({
            "event": a.event.slug,
            "due": a.due,
            "overdue": a.overdue,
            "question": question_json(&a.question, true, &page),
        }));
    }
    Ok(json(StatusCode::OK, json!({ "assignments": out })))
}

pub async fn polls(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let (polls, staff) = state
        .app
        .polls()
        .polls(&api.principal, &slug)
        .await
        .map_err(|e| api.err(e))?;
    let list: Vec<Value> = polls
        .iter()
        .map(|p| poll_json(p, staff || p.results_shown))
        .collect();
    Ok(json(StatusCode::OK, json!({ "polls": list })))
}

pub async fn create_poll(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<PollInput>,
) -> Result<Response, ApiError> {
    let poll = state
        .app
        .polls()
        .create_poll(&api.principal, &slug, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, poll_json(&poll, true)))
}

#[derive(Debug, Default, Deserialize)]
pub struct PollAction {
    pub action: Option<String>,
}

pub async fn poll_state(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PollAction>,
) -> Result<Response, ApiError> {
    let poll = state
        .app
        .polls()
        .poll_action(
            &api.principal,
            PollId(id),
            input.action.as_deref().unwrap_or(""),
        )
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, poll_json(&poll, true)))
}

#[derive(Debug, Default, Deserialize)]
pub struct PollVote {
    #[serde(default)]
    pub choices: Vec<usize>,
}

pub async fn vote_poll(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PollVote>,
) -> Result<Response, ApiError> {
    let poll = state
        .app
        .polls()
        .vote_poll(&api.principal, PollId(id), &input.choices)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::OK,
        json!({ "poll": poll_json(&poll, poll.results_shown), "choices": input.choices }),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    pub after: Option<i64>,
}

pub async fn live(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (event, staff) = state
        .app
        .live()
        .live_stream_access(&api.principal, &slug)
        .await
        .map_err(|e| api.err(e))?;
    crate::live::stream(
        state.app.clone(),
        event,
        crate::live::resume_point(&headers, q.after),
        staff,
        &api.client,
    )
    .await
    .map_err(|e| api.err(e))
}

#[derive(Debug, Default, Deserialize)]
pub struct CurrentSession {
    pub session: Option<i64>,
}

pub async fn set_session(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<CurrentSession>,
) -> Result<Response, ApiError> {
    let live = state
        .app
        .live()
        .set_current_session(&api.principal, &slug, input.session.map(SessionId))
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::OK,
        json!({ "session": live.current_session, "seq": live.seq }),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerSettings {
    pub answer_working_days: Option<i64>,
    #[serde(default)]
    pub faq_published: bool,
}

pub async fn set_answer_settings(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<AnswerSettings>,
) -> Result<Response, ApiError> {
    let live = state
        .app
        .questions()
        .set_answer_settings(
            &api.principal,
            &slug,
            input.answer_working_days,
            input.faq_published,
        )
        .await
        .map_err(|e| api.err(e))?;
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
    api: Api,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let faq = state
        .app
        .questions()
        .faq(&api.principal, &slug)
        .await
        .map_err(|e| api.err(e))?;
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
