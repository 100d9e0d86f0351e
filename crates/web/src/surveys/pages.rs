//! The survey on pages: the organiser words it, sets its times, sends it and reads the
//! answers; a participant answers it (from the personal page or the email's link) and
//! may change the answers until the deadline.

use super::wire;
use super::wording::{choice_codes, choice_label, question_text};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Form, FormData};
use crate::pages::{render, render_status, see_other};
use crate::views::{LText, TimeView, field_errors, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::surveys::{SurveyAdmin, SurveyForm};
use roadshow_app::{AppError, Principal};
use roadshow_domain::Lang;
use roadshow_domain::paging::PageRequest;
use roadshow_domain::surveys::*;
use roadshow_domain::time::to_local_input;
use serde::Deserialize;

/// One choice of a question, as the form shows it.
pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question: its wording, how it is answered (`radio`, `checks`, `select`, `text`,
/// `consent`) and its choices.
pub struct QuestionView {
    pub key: String,
    pub label: String,
    pub kind: &'static str,
    pub choices: Vec<ChoiceView>,
    pub value: String,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    intro: LText,
    action: String,
    open: bool,
    answered: Option<TimeView>,
    deadline: TimeView,
    questions: Vec<QuestionView>,
    errors: Vec<(String, String)>,
    saved: bool,
}

/// What the form shows: the submitted values after an error, else the saved answers.
fn chosen(f: &SurveyForm, data: Option<&FormData>, key: &str) -> Vec<String> {
    if let Some(d) = data {
        return d.all(key);
    }
    let Some(r) = &f.response else {
        return Vec::new();
    };
    let a = &r.answers;
    match key {
        "interest" => vec![a.interest.code().to_string()],
        "interest_before" => a
            .interest_before
            .map(|i| i.code().to_string())
            .into_iter()
            .collect(),
        "sectors" => a.sectors.clone(),
        "districts" => a.districts.clone(),
        "parks" => a.parks.iter().map(|p| p.0.to_string()).collect(),
        "project_type" => a
            .project_type
            .map(|p| p.code().to_string())
            .into_iter()
            .collect(),
        "investment" => a
            .investment
            .map(|p| p.code().to_string())
            .into_iter()
            .collect(),
        "timeline" => a
            .timeline
            .map(|p| p.code().to_string())
            .into_iter()
            .collect(),
        "next_steps" => a.next_steps.iter().map(|s| s.code().to_string()).collect(),
        "policies" => a.policies.iter().map(|p| p.0.to_string()).collect(),
        "comment" => a.comment.clone().into_iter().collect(),
        "consent" => a.consent.then(|| "1".to_string()).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn survey_page<'a>(
    ctx: &'a Ctx,
    f: &SurveyForm,
    action: String,
    data: Option<&FormData>,
    errors: Vec<(String, String)>,
    saved: bool,
) -> SurveyPage<'a> {
    let lang: Lang = ctx.lang;
    let questions = QUESTIONS
        .iter()
        .map(|key| {
            let values = chosen(f, data, key);
            let codes: Vec<(String, String)> = match *key {
                "parks" => f
                    .parks
                    .iter()
                    .map(|p| (p.name.get(lang).to_string(), p.id.0.to_string()))
                    .collect(),
                "policies" => f
                    .policies
                    .iter()
                    .map(|p| (p.title.get(lang).to_string(), p.id.0.to_string()))
                    .collect(),
                _ => choice_codes(key)
                    .into_iter()
                    .map(|c| (choice_label(key, c, lang), c.to_string()))
                    .collect(),
            };
            let kind = match *key {
                "interest" => "radio",
                "sectors" | "districts" | "parks" | "next_steps" | "policies" => "checks",
                "interest_before" | "project_type" | "investment" | "timeline" => "select",
                "consent" => "consent",
                _ => "text",
            };
            QuestionView {
                key: key.to_string(),
                label: question_text(&f.survey, key, lang),
                kind,
                value: values.first().cloned().unwrap_or_default(),
                choices: codes
                    .into_iter()
                    .map(|(label, value)| ChoiceView {
                        checked: values.contains(&value),
                        value,
                        label,
                    })
                    .collect(),
            }
        })
        .filter(|q| !(q.kind == "checks" && q.choices.is_empty()))
        .collect();
    SurveyPage {
        ctx,
        slug: f.page.event.slug.clone(),
        title: loc(ctx, &f.page.event.title),
        intro: loc(ctx, &f.survey.intro),
        action,
        open: f.open,
        answered: f.response.as_ref().map(|r| time_view(ctx, r.updated_at)),
        deadline: time_view(ctx, f.survey.deadline),
        questions,
        errors,
        saved,
    }
}

fn response_input(data: &FormData) -> Result<ResponseInput, AppError> {
    let mut input = ResponseInput::from(data.decode::<wire::ResponseInput>()?);
    // The form shows the consent box: not ticked is a no.
    input.consent.get_or_insert(false);
    Ok(input)
}

#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    principal: &Principal,
    slug: &str,
    action: String,
    saved: bool,
) -> Result<Response, Error> {
    let f = state.app.surveys().form(principal, slug).await?;
    Ok(render(&survey_page(
        ctx,
        &f,
        action,
        None,
        Vec::new(),
        saved,
    )))
}

async fn submit(
    state: &AppState,
    ctx: &Ctx,
    principal: &Principal,
    slug: &str,
    action: String,
    data: FormData,
) -> Result<Response, Error> {
    let answered = async {
        let input = response_input(&data)?;
        state.app.surveys().answer(principal, slug, &input).await
    };
    match answered.await {
        Ok(_) => Ok(see_other(&format!("{action}?saved=1"))),
        Err(AppError::Invalid(fields)) => {
            let f = state.app.surveys().form(principal, slug).await?;
            let errors = field_errors(ctx, &fields);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &survey_page(ctx, &f, action, Some(&data), errors, false),
            ))
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, Error> {
    let action = format!("/events/{slug}/survey");
    show(
        &state,
        &ctx,
        &ctx.principal,
        &slug,
        action,
        q.saved.is_some(),
    )
    .await
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let action = format!("/events/{slug}/survey");
    submit(&state, &ctx, &ctx.principal, &slug, action, data).await
}

/// The survey opened from the email's link: the link names the participant.
pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, Error> {
    let (slug, principal) = state.app.surveys().link_access(&token).await?;
    show(
        &state,
        &ctx,
        &principal,
        &slug,
        format!("/survey/{token}"),
        q.saved.is_some(),
    )
    .await
}

pub async fn link_answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let (slug, principal) = state.app.surveys().link_access(&token).await?;
    submit(
        &state,
        &ctx,
        &principal,
        &slug,
        format!("/survey/{token}"),
        data,
    )
    .await
}

/// A row of the organiser's answers table.
pub struct ResponseRow {
    pub who: String,
    pub interest: String,
    pub investment: String,
    pub timeline: String,
    pub next_steps: String,
    pub consent: bool,
    pub when: TimeView,
}

/// One question's wording in the four languages, for the organiser's form.
pub struct WordingRow {
    pub key: String,
    pub default: String,
    pub texts: Vec<(Lang, String)>,
}

#[derive(Template)]
#[template(path = "admin/survey.html")]
struct OrganiserPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    exists: bool,
    version: i64,
    sent: Option<TimeView>,
    sends: TimeView,
    send_at: String,
    deadline: String,
    reminder_days: String,
    intro: Vec<(Lang, String)>,
    wording: Vec<WordingRow>,
    participants: i64,
    /// Answers in all (the rows are a page of them).
    answered: usize,
    counts: Vec<(String, usize)>,
    rows: Vec<ResponseRow>,
    pager: crate::paging::Pager,
    errors: Vec<(String, String)>,
    saved: bool,
}

fn organiser_page<'a>(
    ctx: &'a Ctx,
    v: &SurveyAdmin,
    data: Option<&FormData>,
    errors: Vec<(String, String)>,
    saved: bool,
    request: PageRequest,
) -> OrganiserPage<'a> {
    let event = &v.page.event;
    let zone = event.zone();
    let s = v.survey.as_ref();
    let value = |name: &str, saved: String| {
        data.map(|d| d.get(name).unwrap_or_default().to_string())
            .unwrap_or(saved)
    };
    let texts = |name: &str, saved: Option<&roadshow_domain::Localized>| -> Vec<(Lang, String)> {
        Lang::ALL
            .iter()
            .map(|l| {
                let field = format!("{name}.{}", l.code());
                (
                    *l,
                    value(
                        &field,
                        saved.map(|t| t.exact(*l).to_string()).unwrap_or_default(),
                    ),
                )
            })
            .collect()
    };
    let registrations: std::collections::HashMap<_, _> =
        v.registrations.iter().map(|r| (r.id, r)).collect();
    let label = |key: &str, code: &str| choice_label(key, code, ctx.lang);
    OrganiserPage {
        ctx,
        slug: event.slug.clone(),
        title: loc(ctx, &event.title),
        exists: s.is_some(),
        version: s.map(|s| s.version).unwrap_or(0),
        sent: s.and_then(|s| s.sent_at).map(|t| time_view(ctx, t)),
        sends: time_view(
            ctx,
            s.map(|s| s.sends_at(event.ends_at))
                .unwrap_or(event.ends_at),
        ),
        send_at: value(
            "send_at",
            s.and_then(|s| s.send_at)
                .map(|t| to_local_input(t, zone))
                .unwrap_or_default(),
        ),
        deadline: value(
            "deadline",
            to_local_input(
                s.map(|s| s.deadline)
                    .unwrap_or(event.ends_at + chrono::Duration::days(21)),
                zone,
            ),
        ),
        reminder_days: value(
            "reminder_days",
            s.map(|s| s.reminder_days).unwrap_or(7).to_string(),
        ),
        intro: texts("intro", s.map(|s| &s.intro)),
        wording: QUESTIONS
            .iter()
            .map(|k| WordingRow {
                key: k.to_string(),
                default: ctx.t(&format!("survey-q-{k}")),
                texts: texts(
                    &format!("questions.{k}"),
                    s.and_then(|s| s.questions.get(*k)),
                ),
            })
            .collect(),
        participants: v.participants,
        answered: v.interest.iter().map(|(_, n)| n).sum(),
        counts: v
            .interest
            .iter()
            .map(|(i, n)| (label("interest", i.code()), *n))
            .collect(),
        pager: crate::paging::Pager::new(
            &format!("/admin/events/{}/survey", event.slug),
            "",
            "#answers",
            request,
            v.next.map(|r| r.0),
        ),
        rows: v
            .responses
            .iter()
            .map(|r| {
                let a = &r.answers;
                ResponseRow {
                    who: registrations
                        .get(&r.registration_id)
                        .map(|x| format!("{} — {} ({})", x.company.name, x.name, x.company.country))
                        .unwrap_or_default(),
                    // "Planning (before: watching)" where the company said where it stood.
                    interest: match a.interest_before {
                        Some(b) => format!(
                            "{} ({}: {})",
                            label("interest", a.interest.code()),
                            ctx.t("survey-before"),
                            label("interest", b.code())
                        ),
                        None => label("interest", a.interest.code()),
                    },
                    investment: a
                        .investment
                        .map(|b| label("investment", b.code()))
                        .unwrap_or_default(),
                    timeline: a
                        .timeline
                        .map(|b| label("timeline", b.code()))
                        .unwrap_or_default(),
                    next_steps: a
                        .next_steps
                        .iter()
                        .map(|s| label("next_steps", s.code()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    consent: a.consent,
                    when: time_view(ctx, r.updated_at),
                }
            })
            .collect(),
        errors,
        saved,
    }
}

pub async fn organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<Saved>,
    Query(page): Query<crate::paging::PageQuery>,
) -> Result<Response, Error> {
    let request = page.read()?;
    let v = state
        .app
        .surveys()
        .admin(&ctx.principal, &slug, request)
        .await?;
    Ok(render(&organiser_page(
        &ctx,
        &v,
        None,
        Vec::new(),
        q.saved.is_some(),
        request,
    )))
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let saved = async {
        let input = SurveyInput::from(data.decode::<wire::SurveyInput>()?);
        state
            .app
            .surveys()
            .save(&ctx.principal, &slug, &input)
            .await
    };
    match saved.await {
        Ok(_) => Ok(see_other(&format!("/admin/events/{slug}/survey?saved=1"))),
        Err(AppError::Invalid(fields)) => {
            let first = PageRequest::default();
            let v = state
                .app
                .surveys()
                .admin(&ctx.principal, &slug, first)
                .await?;
            let errors = field_errors(&ctx, &fields);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &organiser_page(&ctx, &v, Some(&data), errors, false, first),
            ))
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(_data): Form,
) -> Result<Response, Error> {
    state.app.surveys().send_now(&ctx.principal, &slug).await?;
    Ok(see_other(&format!("/admin/events/{slug}/survey?saved=1")))
}
