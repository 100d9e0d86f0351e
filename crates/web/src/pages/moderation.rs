//! The staff pages of the live exchange: the moderator's console, the officials' queue of
//! questions to answer, and the polls. Each calls the same use case as its API endpoint.

use super::live::{PollView, QuestionView, checked_form, form_failure, poll_view, question_view};
use super::{FormData, FormState, check_csrf, form_errors, render_status, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_app::events::EventPage;
use roadshow_app::polls::poll_json;
use roadshow_app::questions::{Console, question_json};
use roadshow_domain::ids::*;
use roadshow_domain::polls::PollInput;
use roadshow_domain::questions::{ModerationInput, Question, QuestionState};
use roadshow_domain::{Lang, Localized};

fn page_err(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |e| PageError::new(e, ctx)
}

/// A question as the moderator sees it.
pub struct StaffQuestionView {
    pub q: QuestionView,
    pub author_name: String,
    pub author_company: String,
    pub anonymous: bool,
    pub original_text: String,
    pub dismiss_reason: String,
    pub department_id: i64,
    pub suggested: Option<(i64, String)>,
    pub suggestion_reason: String,
    pub version: i64,
}

fn staff_view(ctx: &Ctx, page: &EventPage, q: &Question) -> StaffQuestionView {
    StaffQuestionView {
        q: question_view(ctx, page, q, false, false),
        author_name: q.author_name.clone(),
        author_company: q.author_company.clone(),
        anonymous: q.anonymous,
        original_text: q.original_text.clone().unwrap_or_default(),
        dismiss_reason: q.dismiss_reason.clone().unwrap_or_default(),
        department_id: q.department_id.map(|d| d.0).unwrap_or(0),
        suggested: q.suggested_department.and_then(|id| {
            page.department(Some(id))
                .map(|d| (d.id.0, loc(ctx, &d.name).text))
        }),
        suggestion_reason: q.suggestion_reason.clone().unwrap_or_default(),
        version: q.version,
    }
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub questions: Vec<StaffQuestionView>,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "admin/moderation.html")]
struct ConsolePage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    sections: Vec<Section>,
    departments: Vec<(i64, String)>,
    sessions: Vec<(i64, String)>,
    current_session: i64,
    /// Questions a question can be merged into.
    targets: Vec<(i64, String)>,
    organiser: bool,
    working_days: u32,
    faq_published: bool,
    due: TimeView,
    settings_form: FormState,
    seq: i64,
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(70).collect();
    if text.chars().count() > 70 {
        s.push('…');
    }
    s
}

fn console_page(
    ctx: &Ctx,
    console: &Console,
    settings_form: FormState,
    status: StatusCode,
) -> Response {
    let page = &console.page;
    let by_state = |states: &[QuestionState]| -> Vec<StaffQuestionView> {
        let mut list: Vec<&Question> = console
            .questions
            .iter()
            .filter(|q| states.contains(&q.state))
            .collect();
        list.sort_by(|a, b| {
            b.pinned
                .cmp(&a.pinned)
                .then(b.votes.cmp(&a.votes))
                .then(a.id.cmp(&b.id))
        });
        list.into_iter().map(|q| staff_view(ctx, page, q)).collect()
    };
    let sections = vec![
        Section {
            id: "pending",
            title: ctx.t("mod-queue"),
            questions: {
                // The queue is first come, first served.
                let mut list = by_state(&[QuestionState::Pending]);
                list.sort_by_key(|v| v.q.id);
                list
            },
            open: true,
        },
        Section {
            id: "approved",
            title: ctx.t("mod-approved"),
            questions: by_state(&[QuestionState::Approved]),
            open: true,
        },
        Section {
            id: "answered",
            title: ctx.t("mod-answered"),
            questions: by_state(&[QuestionState::Answered]),
            open: false,
        },
        Section {
            id: "dismissed",
            title: ctx.t("mod-dismissed"),
            questions: by_state(&[QuestionState::Dismissed, QuestionState::Merged]),
            open: false,
        },
    ];
    let e = &page.event;
    render_status(
        status,
        &ConsolePage {
            slug: e.slug.clone(),
            title: loc(ctx, &e.title),
            sections,
            departments: page
                .departments
                .iter()
                .map(|d| (d.id.0, loc(ctx, &d.name).text))
                .collect(),
            sessions: page
                .sessions
                .iter()
                .map(|s| (s.id.0, loc(ctx, &s.title).text))
                .collect(),
            current_session: console.state.current_session.map(|s| s.0).unwrap_or(0),
            targets: console
                .questions
                .iter()
                .filter(|q| {
                    matches!(
                        q.state,
                        QuestionState::Pending | QuestionState::Approved | QuestionState::Answered
                    )
                })
                .map(|q| (q.id.0, format!("#{} {}", q.id, short(&q.text))))
                .collect(),
            organiser: ctx.is_organiser(),
            working_days: console.state.answer_working_days,
            faq_published: console.state.faq_published_at.is_some(),
            due: time_view(
                ctx,
                roadshow_domain::questions::answer_deadline(
                    e.ends_at,
                    e.zone(),
                    console.state.answer_working_days,
                ),
            ),
            settings_form,
            seq: console.state.seq,
            ctx,
        },
    )
}

pub async fn console(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let console = state
        .app
        .questions()
        .console(&ctx.principal, &slug)
        .await
        .map_err(page_err(&ctx))?;
    Ok(console_page(
        &ctx,
        &console,
        FormState::default(),
        StatusCode::OK,
    ))
}

type Form = axum::extract::Form<Vec<(String, String)>>;

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    let (json, data) = match checked_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let number = |name: &str| {
        data.get(name)
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<i64>().unwrap_or(-1))
    };
    let input = ModerationInput {
        action: data.text("action"),
        reason: data.text("reason"),
        text: data.text("text"),
        into: number("into"),
        department: number("department").filter(|d| *d != 0),
    };
    match state
        .app
        .questions()
        .moderate(&ctx.principal, QuestionId(id), &input)
        .await
    {
        Ok((q, page)) if json => axum::Json(question_json(&q, true, &page)).into_response(),
        Ok((q, page)) => see_other(&format!(
            "/admin/events/{}/moderation#q-{}",
            page.event.slug, q.id
        )),
        Err(e) => form_failure(&ctx, json, e),
    }
}

pub async fn set_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    form: Form,
) -> Result<Response, PageError> {
    let data = FormData(form.0);
    check_csrf(&ctx, &data)?;
    let session = data
        .get("session")
        .filter(|v| !v.is_empty() && *v != "0")
        .map(|v| SessionId(v.parse::<i64>().unwrap_or(-1)));
    state
        .app
        .live()
        .set_current_session(&ctx.principal, &slug, session)
        .await
        .map_err(page_err(&ctx))?;
    Ok(see_other(&format!("/admin/events/{slug}/moderation")))
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    form: Form,
) -> Result<Response, PageError> {
    let data = FormData(form.0);
    check_csrf(&ctx, &data)?;
    let days = data
        .get("answer_working_days")
        .map(|v| v.trim().parse::<i64>().unwrap_or(-1));
    match state
        .app
        .questions()
        .set_answer_settings(
            &ctx.principal,
            &slug,
            days,
            data.get("faq_published").is_some(),
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/admin/events/{slug}/moderation#settings"
        ))),
        Err(e) => {
            let fields = form_errors(e).map_err(page_err(&ctx))?;
            let console = state
                .app
                .questions()
                .console(&ctx.principal, &slug)
                .await
                .map_err(page_err(&ctx))?;
            Ok(console_page(
                &ctx,
                &console,
                FormState::from_data(&data).with_errors(&ctx, &fields),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let body = state
        .app
        .questions()
        .questions_csv(&ctx.principal, &slug, ctx.lang)
        .await
        .map_err(page_err(&ctx))?;
    Ok(crate::api::questions_csv_response(&slug, body))
}

// ---------------------------------------------------------------- officials

pub struct AssignmentGroup {
    pub heading: String,
    pub kind: &'static str,
    pub items: Vec<AssignmentView>,
}

pub struct AssignmentView {
    pub q: StaffQuestionView,
    pub event_title: LText,
    pub event_slug: String,
    pub due: TimeView,
    pub overdue: bool,
    pub answered: bool,
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
}

async fn assignments_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    failed: i64,
    status: StatusCode,
) -> Result<Response, PageError> {
    let list = state
        .app
        .questions()
        .assignments(&ctx.principal)
        .await
        .map_err(page_err(ctx))?;
    let mut overdue = Vec::new();
    let mut open = Vec::new();
    let mut done = Vec::new();
    let mut department = String::new();
    // Follow the agency's running events, so that a newly routed question shows up.
    let mut slugs: Vec<String> = state
        .app
        .events()
        .staff_events(&ctx.principal)
        .await
        .map_err(page_err(ctx))?
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
    for a in &list {
        if !slugs.contains(&a.event.slug) {
            slugs.push(a.event.slug.clone());
        }
        let page = state
            .app
            .events()
            .event_page(&ctx.principal, &a.event.slug)
            .await
            .map_err(page_err(ctx))?;
        if let Principal::Staff(s) = &ctx.principal {
            if let Some(d) = page.department(s.department_id) {
                department = loc(ctx, &d.name).text;
            }
        }
        let view = AssignmentView {
            q: staff_view(ctx, &page, &a.question),
            event_title: loc(ctx, &a.event.title),
            event_slug: a.event.slug.clone(),
            due: time_view(ctx, a.due),
            overdue: a.overdue,
            answered: a.question.is_answered(),
        };
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
            })
            .collect(),
            ctx,
            department,
            form,
            failed,
            slugs: slugs.join(" "),
        },
    ))
}

use roadshow_app::Principal;

pub async fn assignments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    assignments_page(&state, &ctx, FormState::default(), 0, StatusCode::OK).await
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    let (json, data) = match checked_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let input = roadshow_domain::questions::AnswerInput {
        body: data.text("body"),
        live: data.get("live").is_some(),
        lang: data.text("lang"),
    };
    let back = data
        .get("back")
        .map(super::safe_return_path)
        .unwrap_or_else(|| "/admin/questions".into());
    match state
        .app
        .questions()
        .answer(&ctx.principal, QuestionId(id), &input, ctx.lang)
        .await
    {
        Ok((q, page)) if json => (
            StatusCode::CREATED,
            axum::Json(question_json(&q, true, &page)),
        )
            .into_response(),
        Ok((q, _)) => see_other(&format!("{back}#q-{}", q.id)),
        Err(e) if json => form_failure(&ctx, json, e),
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
            Err(e) => form_failure(&ctx, json, e),
        },
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
) -> Result<Response, PageError> {
    let console = state
        .app
        .questions()
        .console(&ctx.principal, slug)
        .await
        .map_err(page_err(ctx))?;
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
) -> Result<Response, PageError> {
    polls_page(&state, &ctx, &slug, FormState::default(), StatusCode::OK).await
}

/// The poll form: the question per language, and the options one per line per language
/// (line n of each language is option n).
fn poll_input(data: &FormData) -> PollInput {
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
    PollInput {
        question: data.localized("question"),
        options,
        multiple: data.get("multiple").is_some(),
        session_id: data
            .get("session_id")
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<i64>().unwrap_or(-1)),
    }
}

pub async fn create_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    form: Form,
) -> Result<Response, PageError> {
    let data = FormData(form.0);
    check_csrf(&ctx, &data)?;
    match state
        .app
        .polls()
        .create_poll(&ctx.principal, &slug, &poll_input(&data))
        .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/admin/events/{slug}/polls#poll-{}",
            p.id
        ))),
        Err(e) => {
            let fields = form_errors(e).map_err(page_err(&ctx))?;
            polls_page(
                &state,
                &ctx,
                &slug,
                FormState::from_data(&data).with_errors(&ctx, &fields),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn poll_action(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    let (json, data) = match checked_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let action = data.get("action").unwrap_or("");
    match state
        .app
        .polls()
        .poll_action(&ctx.principal, PollId(id), action)
        .await
    {
        Ok(p) if json => axum::Json(poll_json(&p, true)).into_response(),
        Ok(p) => match state.app.store.event(p.event_id).await {
            Ok(Some(e)) => see_other(&format!("/admin/events/{}/polls#poll-{}", e.slug, p.id)),
            _ => see_other("/admin"),
        },
        Err(e) => form_failure(&ctx, json, e),
    }
}
