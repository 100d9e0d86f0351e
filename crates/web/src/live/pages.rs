//! The live page (with its stream) that participants and the public follow, and the
//! moderator's control of the session on now.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::events::views::event_view;
use crate::forms::{Form, FormState};
use crate::materials::{MaterialView, material_view};
use crate::pages::{render_status, see_other};
use crate::polls::pages::{PollView, poll_view};
use crate::polls::wire::Poll;
use crate::questions::pages::{QuestionView, question_view};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use roadshow_app::Principal;
use roadshow_app::events::EventPage;
use roadshow_app::live::LiveView;
use roadshow_domain::ids::*;
use serde::Deserialize;
use serde_json::json;

/// JSON for a `<script type="application/json">` block: `<` is escaped so that no text
/// in it can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
    e: crate::events::views::EventView,
    now_on: Option<NowOn>,
    questions: Vec<QuestionView>,
    polls: Vec<PollView>,
    sessions: Vec<(i64, String)>,
    participant: bool,
    form: FormState,
    asked: bool,
    data: String,
    faq_published: bool,
    survey: bool,
    player: Option<crate::broadcast::player::PlayerView>,
    player_hls: bool,
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
        "csrf": ctx.csrf(),
        "participant": view.participant.is_some(),
        "voted": view.voted,
        "choices": view.my_choices.iter().map(|(id, c)| (id.0.to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "sessions": sessions,
        "departments": departments,
        "strings": strings,
        "votes_label": plural("live-votes"),
        "voters_label": plural("live-poll-voters"),
        "polls": view.polls.iter().map(|p| Poll::new(p, p.results_shown)).collect::<Vec<_>>(),
    }))
}

pub(crate) fn live_page_response(
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
    // The picture: the session on now when it has its own stream, else the event's.
    let on_now = view
        .state
        .current_session
        .and_then(|id| page.sessions.iter().find(|s| s.id == id))
        .or_else(|| {
            let now = Utc::now();
            page.sessions
                .iter()
                .find(|s| s.starts_at <= now && now < s.ends_at)
        });
    let (stream, session_id) =
        match on_now.and_then(|s| s.broadcast.stream.as_ref().map(|st| (st, s.id.0))) {
            Some((st, id)) => (Some(st), Some(id)),
            None => (page.event.broadcast.stream.as_ref(), None),
        };
    let player = stream.map(|st| {
        crate::broadcast::player::player(
            ctx,
            st,
            crate::broadcast::player::Beats {
                slug: &page.event.slug,
                mode: "live",
                session_id,
                participant: view.participant.is_some(),
            },
            serde_json::Value::Null,
        )
    });
    let sources = roadshow_domain::broadcast::PageSources::of(stream);
    let response = render_status(
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
            survey: view.survey,
            player_hls: player
                .as_ref()
                .is_some_and(|p| p.kind == "hls" || p.options.iter().any(|o| o.kind == "hls")),
            player,
            ctx,
        },
    );
    if sources.is_empty() {
        response
    } else {
        crate::broadcast::player::with_csp(response, &sources)
    }
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
) -> Result<Response, Error> {
    let view = state.app.live().live_view(&ctx.principal, &slug).await?;
    let mut form = FormState::default();
    form.set("lang", "");
    Ok(live_page_response(
        &ctx,
        &view,
        form,
        q.asked.is_some(),
        StatusCode::OK,
    ))
}

/// Back to the live page of the participant's event.
pub(crate) async fn back_to_live(state: &AppState, ctx: &Ctx, anchor: String) -> Response {
    let Principal::Participant(p) = &ctx.principal else {
        return see_other("/");
    };
    match state.app.store.event(p.event_id).await {
        Ok(Some(e)) => see_other(&format!("/events/{}/live{anchor}", e.slug)),
        _ => see_other("/"),
    }
}

pub async fn set_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    // The menu's "none" is 0.
    let session = data.number("session")?.filter(|id| *id != 0).map(SessionId);
    state
        .app
        .live()
        .set_current_session(&ctx.principal, &slug, session)
        .await?;
    Ok(see_other(&format!("/admin/events/{slug}/moderation")))
}
