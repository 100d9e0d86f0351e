//! The pages of the live exchange that participants and the public see: the live page
//! (with its SSE stream), asking, voting, polls, and the FAQ.

use super::{FormData, FormState, check_csrf, form_errors, render, render_status, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::views::{LText, MaterialView, TimeView, event_view, loc, material_view, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use roadshow_app::events::EventPage;
use roadshow_app::live::LiveView;
use roadshow_app::polls::poll_json;
use roadshow_app::questions::{Faq, question_json};
use roadshow_app::{AppError, Principal};
use roadshow_domain::ids::{PollId, QuestionId, SessionId};
use roadshow_domain::polls::PollState;
use roadshow_domain::questions::{Question, QuestionInput, QuestionState};
use serde::Deserialize;
use serde_json::json;

/// Whether the page's script sent the form and wants JSON back instead of a redirect.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// JSON for a `<script type="application/json">` block: `<` is escaped so that no text
/// in it can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub struct AnswerView {
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
                department: department(a.department_id),
                author: a.author_name.clone(),
                html: a.body_html(),
                live: a.live,
                lang: a.lang.code(),
            })
            .collect(),
        created: q.created_at.timestamp(),
    }
}

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

pub struct NowOn {
    pub title: LText,
    pub presenter: String,
    pub start: TimeView,
    pub end: TimeView,
    pub materials: Vec<MaterialView>,
}

#[derive(Template)]
#[template(path = "live.html")]
struct LivePage<'a> {
    ctx: &'a Ctx,
    e: crate::views::EventView,
    now_on: Option<NowOn>,
    questions: Vec<QuestionView>,
    polls: Vec<PollView>,
    sessions: Vec<(i64, String)>,
    participant: bool,
    form: FormState,
    asked: bool,
    data: String,
    faq_published: bool,
}

fn now_on(ctx: &Ctx, page: &EventPage, current: Option<SessionId>) -> Option<NowOn> {
    let now = Utc::now();
    let session = match current {
        Some(id) => page.sessions.iter().find(|s| s.id == id),
        None => page
            .sessions
            .iter()
            .find(|s| s.starts_at <= now && now < s.ends_at),
    }?;
    Some(NowOn {
        title: loc(ctx, &session.title),
        presenter: page
            .department(session.department_id)
            .map(|d| loc(ctx, &d.name).text)
            .unwrap_or_else(|| loc(ctx, &session.presenter).text),
        start: time_view(ctx, session.starts_at),
        end: time_view(ctx, session.ends_at),
        materials: session.materials.iter().map(material_view).collect(),
    })
}

/// What the live script needs: the session details in the reader's language, the
/// department names, the interface strings, and where the stream resumes.
fn live_data(ctx: &Ctx, view: &LiveView) -> String {
    let page = &view.page;
    let sessions: Vec<serde_json::Value> = page
        .sessions
        .iter()
        .map(|s| {
            let start = time_view(ctx, s.starts_at);
            let end = time_view(ctx, s.ends_at);
            let mut when = format!(
                "{}–{} {}",
                start.beijing_clock,
                end.beijing_clock,
                ctx.t("time-beijing-short")
            );
            if !start.same_zone {
                when.push_str(&format!(
                    " · {}–{} {}",
                    start.local_clock, end.local_clock, start.local_offset
                ));
            }
            let title = loc(ctx, &s.title);
            json!({
                "id": s.id,
                "title": title.text,
                "lang": title.lang,
                "when": when,
                "presenter": page
                    .department(s.department_id)
                    .map(|d| loc(ctx, &d.name).text)
                    .unwrap_or_else(|| loc(ctx, &s.presenter).text),
                "materials": s.materials.iter().map(|m| {
                    let v = material_view(m);
                    json!({ "title": v.title, "href": v.href, "file": v.is_file })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let departments: serde_json::Map<String, serde_json::Value> = page
        .departments
        .iter()
        .map(|d| (d.id.0.to_string(), json!(loc(ctx, &d.name).text)))
        .collect();
    let strings: serde_json::Map<String, serde_json::Value> = [
        "live-anonymous",
        "live-pinned",
        "live-pending",
        "live-dismissed",
        "live-yours",
        "live-vote",
        "live-unvote",
        "live-answered-live",
        "live-connection-live",
        "live-connection-lost",
        "live-nothing-on",
        "live-poll-send",
        "live-poll-change",
        "live-poll-closed",
        "live-poll-results",
        "live-poll-thanks",
        "live-poll-multiple",
        "live-ask-sent",
        "live-no-questions",
        "session-materials",
        "material-link",
        "form-has-errors",
    ]
    .iter()
    .map(|k| (k.to_string(), json!(ctx.t(k))))
    .collect();
    let plural = |key: &str| -> serde_json::Map<String, serde_json::Value> {
        [0i64, 1, 2]
            .iter()
            .map(|n| (n.to_string(), json!(ctx.tn(key, *n))))
            .collect()
    };
    script_json(&json!({
        "slug": page.event.slug,
        "seq": view.state.seq,
        "lang": ctx.lang.code(),
        "csrf": ctx.csrf,
        "participant": view.participant.is_some(),
        "voted": view.voted,
        "choices": view.my_choices.iter().map(|(id, c)| (id.0.to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "sessions": sessions,
        "departments": departments,
        "strings": strings,
        "votes_label": plural("live-votes"),
        "voters_label": plural("live-poll-voters"),
        "polls": view.polls.iter().map(|p| poll_json(p, p.results_shown)).collect::<Vec<_>>(),
    }))
}

fn live_page_response(
    ctx: &Ctx,
    view: &LiveView,
    form: FormState,
    asked: bool,
    status: StatusCode,
) -> Response {
    let page = &view.page;
    let own_participant = view.participant.as_ref().map(|p| p.participant_id);
    let mut questions: Vec<QuestionView> = view
        .questions
        .iter()
        .map(|q| {
            question_view(
                ctx,
                page,
                q,
                Some(q.participant_id) == own_participant,
                view.voted.contains(&q.id),
            )
        })
        .collect();
    // Pinned first, then by votes, then oldest first: the order of the room.
    questions.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(b.public.cmp(&a.public))
            .then(b.votes.cmp(&a.votes))
            .then(a.id.cmp(&b.id))
    });
    let polls = view
        .polls
        .iter()
        .map(|p| {
            let mine = view
                .my_choices
                .iter()
                .find(|(id, _)| *id == p.id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            poll_view(ctx, p, &mine)
        })
        .collect();
    render_status(
        status,
        &LivePage {
            e: event_view(ctx, page),
            now_on: now_on(ctx, page, view.state.current_session),
            questions,
            polls,
            sessions: page
                .sessions
                .iter()
                .map(|s| (s.id.0, loc(ctx, &s.title).text))
                .collect(),
            participant: view.participant.is_some(),
            form,
            asked,
            data: live_data(ctx, view),
            faq_published: view.state.faq_published_at.is_some(),
            ctx,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct LiveQuery {
    asked: Option<String>,
}

pub async fn live(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LiveQuery>,
) -> Result<Response, PageError> {
    let view = state
        .app
        .live()
        .live_view(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    let mut form = FormState::default();
    form.set("lang", ctx.lang.code());
    Ok(live_page_response(
        &ctx,
        &view,
        form,
        q.asked.is_some(),
        StatusCode::OK,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    after: Option<i64>,
}

pub async fn stream(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (event, staff) = state
        .app
        .live()
        .live_stream_access(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
    crate::live::stream(
        state.app.clone(),
        event,
        crate::live::resume_point(&headers, q.after),
        staff,
        &ctx.client,
    )
    .await
    .map_err(|e| PageError::new(e, &ctx))
}

/// An error for the page's script (problem JSON) or for a plain form (an HTML page).
pub(crate) fn form_failure(ctx: &Ctx, json: bool, error: AppError) -> Response {
    if json {
        ApiError {
            error,
            lang: ctx.lang,
            instance: Some(ctx.path.clone()),
        }
        .into_response()
    } else {
        PageError::new(error, ctx).into_response()
    }
}

/// A form sent by a page or by its script: whether the script sent it (and wants JSON
/// back), and its fields once the CSRF token is checked.
pub(crate) fn checked_form(
    ctx: &Ctx,
    headers: &HeaderMap,
    form: axum::extract::Form<Vec<(String, String)>>,
) -> Result<(bool, FormData), Box<Response>> {
    let json = wants_json(headers);
    let data = FormData(form.0);
    if let Err(e) = check_csrf(ctx, &data) {
        return Err(Box::new(form_failure(ctx, json, e.error)));
    }
    Ok((json, data))
}

/// A participant's form: checked as above, from someone known as a participant (by
/// their personal link, not a staff sign-in).
fn participant_form(
    ctx: &Ctx,
    headers: &HeaderMap,
    form: axum::extract::Form<Vec<(String, String)>>,
) -> Result<(bool, FormData), Box<Response>> {
    let (json, data) = checked_form(ctx, headers, form)?;
    if !matches!(ctx.principal, Principal::Participant(_)) {
        return Err(Box::new(form_failure(ctx, json, AppError::Forbidden)));
    }
    Ok((json, data))
}

pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    form: axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let (json, data) = match participant_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let input = QuestionInput {
        text: data.text("text"),
        session_id: data
            .get("session_id")
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<i64>().unwrap_or(-1)),
        anonymous: data.get("anonymous").is_some(),
        lang: data.text("lang"),
    };
    match state
        .app
        .questions()
        .ask_question(&ctx.principal, &slug, &input, ctx.lang)
        .await
    {
        Ok((q, page)) if json => (
            StatusCode::CREATED,
            axum::Json(question_json(&q, false, &page)),
        )
            .into_response(),
        Ok(_) => see_other(&format!("/events/{slug}/live?asked=1#ask")),
        Err(e) if json => form_failure(&ctx, json, e),
        Err(e) => match form_errors(e) {
            Ok(fields) => match state.app.live().live_view(&ctx.principal, &slug).await {
                Ok(view) => live_page_response(
                    &ctx,
                    &view,
                    FormState::from_data(&data).with_errors(&ctx, &fields),
                    false,
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(e) => form_failure(&ctx, json, e),
            },
            Err(e) => form_failure(&ctx, json, e),
        },
    }
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let (json, data) = match participant_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let up = data.get("up") != Some("0");
    match state
        .app
        .questions()
        .vote(&ctx.principal, QuestionId(id), up)
        .await
    {
        Ok(outcome) if json => axum::Json(json!({
            "id": outcome.question,
            "votes": outcome.votes,
            "voted": up,
            "changed": outcome.changed,
        }))
        .into_response(),
        Ok(_) => back_to_live(&state, &ctx, format!("#q-{id}")).await,
        Err(e) => form_failure(&ctx, json, e),
    }
}

/// Back to the live page of the participant's event.
async fn back_to_live(state: &AppState, ctx: &Ctx, anchor: String) -> Response {
    let Principal::Participant(p) = &ctx.principal else {
        return see_other("/");
    };
    match state.app.store.event(p.event_id).await {
        Ok(Some(e)) => see_other(&format!("/events/{}/live{anchor}", e.slug)),
        _ => see_other("/"),
    }
}

pub async fn vote_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let (json, data) = match participant_form(&ctx, &headers, form) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let mut choices = Vec::new();
    for c in data.all("choice") {
        match c.parse::<usize>() {
            Ok(n) => choices.push(n),
            Err(_) => {
                return form_failure(&ctx, json, AppError::invalid("choices", "unknown_choice"));
            }
        }
    }
    match state
        .app
        .polls()
        .vote_poll(&ctx.principal, PollId(id), &choices)
        .await
    {
        Ok(poll) if json => axum::Json(json!({
            "poll": poll_json(&poll, poll.results_shown),
            "choices": choices,
        }))
        .into_response(),
        Ok(_) => back_to_live(&state, &ctx, format!("#poll-{id}")).await,
        Err(e) => form_failure(&ctx, json, e),
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
    e: crate::views::EventView,
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
) -> Result<Response, PageError> {
    let faq = state
        .app
        .questions()
        .faq(&ctx.principal, &slug)
        .await
        .map_err(|e| PageError::new(e, &ctx))?;
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
