//! The survey in the API: the organiser's survey with its answers, sending now, and a
//! participant's own answers.

use super::wire::{
    NamedPark, ResponseInput, Sent, Survey, SurveyAdmin, SurveyForm, SurveyInput, SurveyResponse,
    TitledPolicy, questions,
};
use crate::AppState;
use crate::api::{ApiJson, Problem, Slug, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;

/// The event's survey with its answers, a page at a time in the order of their
/// registrations (100 by default; follow `next_after`), and the counts of the whole event
/// (organiser).
#[utoipa::path(get, path = "/api/v1/events/{slug}/survey", operation_id = "survey", tag = "surveys",
    security(("bearer" = [])), params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = SurveyAdmin),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn survey(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let v = state
        .app
        .surveys()
        .admin(&ctx.principal, &slug, page.read()?)
        .await?;
    Ok(ok(SurveyAdmin {
        survey: v.survey.as_ref().map(Survey::from),
        questions: v
            .survey
            .as_ref()
            .map(|s| questions(s, ctx.lang))
            .unwrap_or_default(),
        participants: usize::try_from(v.participants).unwrap_or(0),
        interest: v
            .interest
            .iter()
            .map(|(i, n)| (i.code().to_string(), *n))
            .collect(),
        responses: v.responses.iter().map(SurveyResponse::from).collect(),
        next_after: v.next.map(|r| r.0),
    }))
}

/// Word and time the survey (organiser); every edit raises its version.
#[utoipa::path(put, path = "/api/v1/events/{slug}/survey", operation_id = "save_survey", tag = "surveys",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = SurveyInput,
    responses((status = 200, body = Survey)))]
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<Response, Error> {
    let survey = state
        .app
        .surveys()
        .save(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(ok(Survey::from(&survey)))
}

/// Send the invitations now (organiser).
#[utoipa::path(post, path = "/api/v1/events/{slug}/survey/send", operation_id = "send_survey", tag = "surveys",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Sent),
        (status = 409, description = "Already sent", body = Problem, content_type = "application/problem+json")))]
pub async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let sent = state.app.surveys().send_now(&ctx.principal, &slug).await?;
    Ok(ok(Sent { sent }))
}

/// A participant's survey, with their answers so far.
#[utoipa::path(get, path = "/api/v1/events/{slug}/survey/answers", operation_id = "my_survey", tag = "surveys",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = SurveyForm)))]
pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let f = state.app.surveys().form(&ctx.principal, &slug).await?;
    Ok(ok(SurveyForm {
        open: f.open,
        deadline: f.survey.deadline,
        version: f.survey.version,
        questions: questions(&f.survey, ctx.lang),
        parks: f
            .parks
            .iter()
            .map(|p| NamedPark {
                id: p.id.0,
                name: p.name.get(ctx.lang).to_string(),
            })
            .collect(),
        policies: f
            .policies
            .iter()
            .map(|p| TitledPolicy {
                id: p.id.0,
                title: p.title.get(ctx.lang).to_string(),
            })
            .collect(),
        response: f.response.as_ref().map(SurveyResponse::from),
    }))
}

/// Answer the survey, or change the answers (participant, until the deadline).
#[utoipa::path(put, path = "/api/v1/events/{slug}/survey/answers", operation_id = "answer_survey", tag = "surveys",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = ResponseInput,
    responses((status = 200, body = SurveyResponse),
        (status = 409, description = "The deadline has passed (`survey_closed`)", body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .surveys()
        .answer(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(ok(SurveyResponse::from(&r)))
}
