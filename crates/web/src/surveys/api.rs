//! The survey in the API: the organiser's survey with its answers, sending now, and a
//! participant's own answers.

use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::surveys::*;
use roadshow_i18n::t;
use serde_json::{Value, json};

/// The questions as the reader reads them: wording (the organiser's or the catalogue's)
/// and, for closed lists, the codes with their labels.
pub fn questions_json(survey: &Survey, lang: roadshow_domain::Lang) -> Value {
    let choices = |key: &str| -> Vec<Value> {
        choice_codes(key)
            .into_iter()
            .map(|c| json!({"code": c, "label": choice_label(key, c, lang)}))
            .collect()
    };
    json!(
        QUESTIONS
            .iter()
            .map(
                |k| json!({"key": k, "text": question_text(survey, k, lang), "choices": choices(k)})
            )
            .collect::<Vec<_>>()
    )
}

/// The codes a closed-list question offers, in order (none for parks and policies, which
/// are the agency's, nor for free text).
pub fn choice_codes(key: &str) -> Vec<&'static str> {
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|x| code(*x)).collect()
    }
    match key {
        "interest" => codes(Interest::ALL, Interest::code),
        "project_type" => codes(ProjectType::ALL, ProjectType::code),
        "investment" => codes(InvestmentBand::ALL, InvestmentBand::code),
        "timeline" => codes(Horizon::ALL, Horizon::code),
        "next_steps" => codes(NextStep::ALL, NextStep::code),
        "sectors" => roadshow_domain::reference::INDUSTRIES.to_vec(),
        "districts" => DISTRICTS.to_vec(),
        _ => Vec::new(),
    }
}

/// A question's wording in `lang`: the organiser's, else the catalogue's.
pub fn question_text(survey: &Survey, key: &str, lang: roadshow_domain::Lang) -> String {
    survey
        .questions
        .get(key)
        .map(|l| l.get(lang).to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| t(lang, &format!("survey-q-{key}")))
}

/// The label of a closed-list answer; investment bands add their CNY and EUR amounts.
pub fn choice_label(key: &str, code: &str, lang: roadshow_domain::Lang) -> String {
    match key {
        "sectors" => t(lang, &format!("industry-{code}")),
        "districts" => t(lang, &format!("district-{code}")),
        "investment" => match InvestmentBand::parse(code).and_then(|b| b.label_amounts()) {
            Some(amounts) => amounts,
            None => t(lang, "survey-investment-undecided"),
        },
        _ => t(lang, &format!("survey-{key}-{code}")),
    }
}

pub async fn survey(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let v = state.app.surveys().admin(&ctx.principal, &slug).await?;
    let survey = v.survey.ok_or(Error(roadshow_app::AppError::NotFound))?;
    let counts: serde_json::Map<String, Value> = interest_counts(&v.responses)
        .into_iter()
        .map(|(i, n)| (i.code().to_string(), json!(n)))
        .collect();
    Ok(json(
        StatusCode::OK,
        json!({
            "survey": survey,
            "questions": questions_json(&survey, ctx.lang),
            "participants": v.registrations.len(),
            "interest": counts,
            "responses": v.responses,
        }),
    ))
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<Response, Error> {
    let survey = state
        .app
        .surveys()
        .save(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::OK, survey))
}

pub async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let sent = state.app.surveys().send_now(&ctx.principal, &slug).await?;
    Ok(json(StatusCode::OK, json!({"sent": sent})))
}

pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let f = state.app.surveys().form(&ctx.principal, &slug).await?;
    Ok(json(
        StatusCode::OK,
        json!({
            "open": f.open,
            "deadline": f.survey.deadline,
            "version": f.survey.version,
            "questions": questions_json(&f.survey, ctx.lang),
            "parks": f.parks.iter().map(|p| json!({"id": p.id, "name": p.name.get(ctx.lang)})).collect::<Vec<_>>(),
            "policies": f.policies.iter().map(|p| json!({"id": p.id, "title": p.title.get(ctx.lang)})).collect::<Vec<_>>(),
            "response": f.response,
        }),
    ))
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .surveys()
        .answer(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::OK, r))
}
