//! The staff pages of the questions: the moderator's console and the officials' queue of
//! questions to answer. Each calls the same use case as its API endpoint.

use super::pages::{QuestionView, question_view};
use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::{Error, wants_json};
use crate::forms::{Form, FormState, form_errors};
use crate::pages::{Id, render_status, see_other};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use roadshow_app::events::EventPage;
use roadshow_app::questions::Console;
use roadshow_domain::ids::*;
use roadshow_domain::questions::{ModerationInput, Question, QuestionState};

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
    /// Policies and parks the directory finds for the question's text, to read and cite.
    pub directory: Vec<DirectoryHit>,
    /// The console section the question is in, and its place there: cards sort by this
    /// text, so that one drawn alone goes where the whole console would put it.
    pub section: &'static str,
    pub sort: String,
}

/// The console section of a question in this state.
fn section_of(state: QuestionState) -> &'static str {
    match state {
        QuestionState::Pending => "pending",
        QuestionState::Approved => "approved",
        QuestionState::Answered => "answered",
        QuestionState::Dismissed | QuestionState::Merged => "dismissed",
    }
}

/// A question's place in its section: the queue first come first served, the others
/// pinned first, then by votes, then first asked (as [`sections_of`] orders them).
fn sort_key(q: &Question) -> String {
    match q.state {
        QuestionState::Pending => format!("{:020}", q.id.0),
        _ => format!(
            "{}-{:020}-{:020}",
            u8::from(!q.pinned),
            (i64::MAX / 2).saturating_sub(q.votes),
            q.id.0
        ),
    }
}

/// A policy or park the directory suggests for a question.
pub struct DirectoryHit {
    pub kind: String,
    pub title: String,
    pub title_lang: &'static str,
    pub url: String,
    /// What to write in an answer to cite it.
    pub cite: String,
}

/// What the directory finds for each question's text (policies and parks only: they are
/// what an answer cites).
pub(crate) async fn directory_hits(
    state: &AppState,
    ctx: &Ctx,
    page: &EventPage,
    questions: &[&Question],
) -> std::collections::HashMap<QuestionId, Vec<DirectoryHit>> {
    use roadshow_domain::directory::search::Kind;
    let mut out = std::collections::HashMap::new();
    for q in questions {
        // Suggestions help; their absence must never stop the page.
        let Ok(results) = state
            .app
            .directory()
            .suggestions(&q.text, ctx.lang, page.event.agency_id)
            .await
        else {
            continue;
        };
        let hits = results
            .hits
            .into_iter()
            .filter(|h| h.kind != Kind::Story)
            .map(|h| DirectoryHit {
                kind: ctx.t(&format!("directory-kind-{}", h.kind.code())),
                url: crate::directory::hit_url(h.kind, &h.slug),
                cite: format!("[[{}:{}]]", h.kind.code(), h.slug),
                title: h.title,
                title_lang: h.title_lang.code(),
            })
            .collect();
        out.insert(q.id, hits);
    }
    out
}

pub(super) fn staff_view(
    ctx: &Ctx,
    page: &EventPage,
    q: &Question,
    hits: &mut std::collections::HashMap<QuestionId, Vec<DirectoryHit>>,
) -> StaffQuestionView {
    StaffQuestionView {
        directory: hits.remove(&q.id).unwrap_or_default(),
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
        section: section_of(q.state),
        sort: sort_key(q),
    }
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub questions: Vec<StaffQuestionView>,
    /// How many questions are in this state, shown or not.
    pub total: usize,
    pub open: bool,
}

/// Questions a section of the console shows at most. The console is re-read whenever the
/// live exchange moves, by every moderator: its work must not grow with the event. The
/// rest are in the paged API and the export.
pub const SECTION_MAX: usize = 200;

/// The console's sections in order — id, states, open — with the questions each shows
/// (at most [`SECTION_MAX`]: the queue first come first served, the others pinned first,
/// then by votes) and how many there are.
fn sections_of(console: &Console) -> Vec<(&'static str, bool, Vec<&Question>, usize)> {
    let by_state = |states: &[QuestionState], queue: bool| {
        let mut list: Vec<&Question> = console
            .questions
            .iter()
            .filter(|q| states.contains(&q.state))
            .collect();
        if queue {
            list.sort_by_key(|q| q.id);
        } else {
            list.sort_by(|a, b| {
                b.pinned
                    .cmp(&a.pinned)
                    .then(b.votes.cmp(&a.votes))
                    .then(a.id.cmp(&b.id))
            });
        }
        let total = console
            .counts
            .iter()
            .filter(|(s, _)| states.contains(s))
            .map(|(_, n)| usize::try_from(*n).unwrap_or(0))
            .sum::<usize>();
        list.truncate(SECTION_MAX);
        (list, total)
    };
    [
        ("pending", true, &[QuestionState::Pending][..], true),
        ("approved", true, &[QuestionState::Approved][..], false),
        ("answered", false, &[QuestionState::Answered][..], false),
        (
            "dismissed",
            false,
            &[QuestionState::Dismissed, QuestionState::Merged][..],
            false,
        ),
    ]
    .into_iter()
    .map(|(id, open, states, queue)| {
        let (list, total) = by_state(states, queue);
        (id, open, list, total)
    })
    .collect()
}

/// The questions being worked on that the console shows (for their directory hints).
fn shown_open(console: &Console) -> Vec<&Question> {
    sections_of(console)
        .into_iter()
        .filter(|(id, ..)| matches!(*id, "pending" | "approved"))
        .flat_map(|(_, _, list, _)| list)
        .collect()
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
    /// Questions a section shows at most.
    max: usize,
}

/// One card of the moderation console, drawn alone when the live exchange moves its
/// question.
#[derive(Template)]
#[template(path = "partials/mod_card.html")]
struct ModCard<'a> {
    ctx: &'a Ctx,
    s: StaffQuestionView,
    departments: Vec<(i64, String)>,
}

/// The card of one question of the console, as the console would draw it (its section and
/// place in `data-section` and `data-sort`): a console takes what changed, not itself
/// again.
pub async fn console_card(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, Error> {
    let (page, q) = state
        .app
        .questions()
        .console_question(&ctx.principal, &slug, QuestionId(id))
        .await?;
    let mut hits = match q.state {
        QuestionState::Pending | QuestionState::Approved => {
            directory_hits(&state, &ctx, &page, &[&q]).await
        }
        _ => Default::default(),
    };
    Ok(render_status(
        StatusCode::OK,
        &ModCard {
            s: staff_view(&ctx, &page, &q, &mut hits),
            departments: page
                .departments
                .iter()
                .map(|d| (d.id.0, loc(&ctx, &d.name).text))
                .collect(),
            ctx: &ctx,
        },
    ))
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
    mut hits: std::collections::HashMap<QuestionId, Vec<DirectoryHit>>,
    settings_form: FormState,
    status: StatusCode,
) -> Response {
    let page = &console.page;
    let sections_shown = sections_of(console);
    // Merge targets: the questions on screen that can take another (typed numbers of
    // others are accepted too).
    let targets = sections_shown
        .iter()
        .filter(|(id, ..)| *id != "dismissed")
        .flat_map(|(_, _, list, _)| list.iter())
        .map(|q| (q.id.0, format!("#{} {}", q.id, short(&q.text))))
        .collect();
    let sections = sections_shown
        .into_iter()
        .map(|(id, open, list, total)| Section {
            id,
            title: ctx.t(match id {
                "pending" => "mod-queue",
                "approved" => "mod-approved",
                "answered" => "mod-answered",
                _ => "mod-dismissed",
            }),
            questions: list
                .into_iter()
                .map(|q| staff_view(ctx, page, q, &mut hits))
                .collect(),
            total,
            open,
        })
        .collect();
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
            targets,
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
            max: SECTION_MAX,
            ctx,
        },
    )
}

pub async fn console(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let console = state
        .app
        .questions()
        .console(&ctx.principal, &slug, SECTION_MAX)
        .await?;
    let hits = directory_hits(&state, &ctx, &console.page, &shown_open(&console)).await;
    Ok(console_page(
        &ctx,
        &console,
        hits,
        FormState::default(),
        StatusCode::OK,
    ))
}

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(id): Id,
    Form(data): Form,
) -> Response {
    let json = wants_json(&headers);
    let mut input = match data.decode::<wire::ModerationInput>() {
        Ok(input) => ModerationInput::from(input),
        Err(e) => return Error(e).into_response(),
    };
    // The menu's "no department" is 0.
    input.department = input.department.filter(|d| *d != 0);
    match state
        .app
        .questions()
        .moderate(&ctx.principal, QuestionId(id), &input)
        .await
    {
        Ok((q, page)) if json => axum::Json(wire::Question::new(&q, true, &page)).into_response(),
        Ok((q, page)) => see_other(&format!(
            "/admin/events/{}/moderation#q-{}",
            page.event.slug, q.id
        )),
        Err(e) => Error::from(e).into_response(),
    }
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let days = data.number("answer_working_days")?;
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
            let fields = form_errors(e)?;
            let console = state
                .app
                .questions()
                .console(&ctx.principal, &slug, SECTION_MAX)
                .await?;
            Ok(console_page(
                &ctx,
                &console,
                Default::default(),
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
) -> Result<Response, Error> {
    let body = state
        .app
        .questions()
        .questions_csv(&ctx.principal, &slug, ctx.lang)
        .await?;
    Ok(crate::questions::api::csv_response(&slug, body))
}
