//! Meeting booking on pages, a host's side: requests to accept or decline, companies to
//! ask, and the outcome of each meeting.

use super::wire;
use crate::AppState;
use crate::api::{Id, Slug};
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Form;
use crate::pages::{render_status, see_other};
use crate::paging::{PageQuery, Pager};
use crate::views::field_errors;
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::meetings::booking::Requests;
use roadshow_app::meetings::hosts::HostBooking;
use roadshow_domain::ids::{MeetingId, MeetingRequestId};
use roadshow_domain::registrations::Registration;

pub struct HostRequestRow {
    pub id: i64,
    pub from_host: bool,
    pub who: String,
    pub priority: String,
    pub topic: String,
    /// "", or the answer given.
    pub answer: String,
    pub declined: bool,
}

pub struct HostMeetingRow {
    pub id: i64,
    pub when: TimeView,
    pub who: String,
    pub topic: String,
    pub outcome: Option<String>,
    pub notes: String,
    pub follow_up: bool,
    pub begun: bool,
}

pub struct HostSection {
    pub id: i64,
    pub name: LText,
    pub requests: Vec<HostRequestRow>,
    pub meetings: Vec<HostMeetingRow>,
}

#[derive(Template)]
#[template(path = "admin/meetings_host.html")]
struct HostPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    sections: Vec<HostSection>,
    /// The event's registered companies, for invitations: (participant id, label).
    companies: Vec<(i64, String)>,
    /// The search the companies were found by, and whether more than those shown match.
    company_search: String,
    more_companies: bool,
    errors: Vec<(String, String)>,
    pager: Pager,
}

/// Companies the invitation form offers at once: a search finds the others.
const INVITE_CHOICES: usize = 50;

/// A host's page: a page of its requests and the companies to invite, found by name.
#[derive(Debug, Default, serde::Deserialize)]
pub struct HostQuery {
    pub company: Option<String>,
}

fn host_page<'a>(
    ctx: &'a Ctx,
    v: &HostBooking,
    invitable: (&[Registration], bool, String),
    pager: Pager,
    errors: Vec<(String, String)>,
) -> HostPage<'a> {
    let (invitable, more_companies, company_search) = invitable;
    let who = |p| {
        v.registrations
            .get(&p)
            .map(|r| format!("{} ({}, {})", r.name, r.company.name, r.company.country))
            .unwrap_or_default()
    };
    let now = chrono::Utc::now();
    let sections = v
        .departments
        .iter()
        .map(|d| HostSection {
            id: d.id.0,
            name: loc(ctx, &d.name),
            requests: v
                .requests
                .iter()
                .filter(|r| r.department_id == d.id)
                .map(|r| HostRequestRow {
                    id: r.id.0,
                    from_host: r.from_host,
                    who: who(r.participant_id),
                    priority: ctx.t(&format!("meetings-priority-{}", r.priority.code())),
                    topic: r.topic.clone(),
                    answer: match &r.host_answer {
                        None => String::new(),
                        Some(a) if a.accepted => ctx.t("meetings-accepted"),
                        Some(a) => format!("{}: {}", ctx.t("meetings-declined"), a.reason),
                    },
                    declined: !r.schedulable(),
                })
                .collect(),
            meetings: v
                .meetings
                .iter()
                .filter(|(_, r)| r.department_id == d.id)
                .map(|(m, r)| HostMeetingRow {
                    id: m.id.0,
                    when: time_view(ctx, m.starts_at),
                    who: who(r.participant_id),
                    topic: r.topic.clone(),
                    outcome: m.outcome.as_ref().map(|o| {
                        ctx.t(if o.held {
                            "meetings-outcome-held"
                        } else {
                            "meetings-outcome-no-show"
                        })
                    }),
                    notes: m
                        .outcome
                        .as_ref()
                        .map(|o| o.notes.clone())
                        .unwrap_or_default(),
                    follow_up: m.outcome.as_ref().is_some_and(|o| o.follow_up),
                    begun: now >= m.starts_at,
                })
                .collect(),
        })
        .collect();
    let mut companies: Vec<(i64, String)> = invitable
        .iter()
        .map(|r| {
            (
                r.participant_id.0,
                format!("{} — {} ({})", r.company.name, r.name, r.company.country),
            )
        })
        .collect();
    companies.sort_by(|a, b| a.1.cmp(&b.1));
    HostPage {
        ctx,
        slug: v.event.slug.clone(),
        title: loc(ctx, &v.event.title),
        sections,
        companies,
        company_search,
        more_companies,
        errors,
        pager,
    }
}

/// A host's page: a page of the requests (`?after=&limit=`), the meetings, the companies
/// to invite.
async fn host_view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    page: &PageQuery,
    search: &HostQuery,
    status: StatusCode,
    errors: Vec<(String, String)>,
) -> Result<Response, Error> {
    let request = page.read()?;
    let meetings = state.app.meetings();
    let v = meetings
        .for_host(&ctx.principal, slug, Requests::Page(request))
        .await?;
    let wanted = search.company.as_deref().map(str::trim).unwrap_or("");
    let (invitable, more) = meetings.invitable(&v, Some(wanted), INVITE_CHOICES).await?;
    let kept = match wanted.is_empty() {
        true => String::new(),
        false => format!("company={}", crate::pages::encode_component(wanted)),
    };
    let pager = Pager::new(
        &format!("/admin/events/{slug}/meetings/host"),
        &kept,
        "",
        request,
        v.next,
    );
    Ok(render_status(
        status,
        &host_page(
            ctx,
            &v,
            (&invitable, more, wanted.to_string()),
            pager,
            errors,
        ),
    ))
}

pub async fn host(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(page): Query<PageQuery>,
    Query(search): Query<HostQuery>,
) -> Result<Response, Error> {
    host_view(
        &state,
        &ctx,
        &slug,
        &page,
        &search,
        StatusCode::OK,
        Vec::new(),
    )
    .await
}

async fn host_result(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    result: Result<(), AppError>,
) -> Result<Response, Error> {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/admin/events/{slug}/meetings/host?saved=1"
        ))),
        Err(AppError::Invalid(fields)) => {
            let errors = field_errors(ctx, &fields);
            host_view(
                state,
                ctx,
                slug,
                &PageQuery::default(),
                &HostQuery::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = data.decode::<wire::HostAnswerInput>()?.into();
        state
            .app
            .meetings()
            .answer(&ctx.principal, &slug, MeetingRequestId(id), &input)
            .await
    }
    .await;
    host_result(&state, &ctx, &slug, result).await
}

pub async fn outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = data.decode::<wire::OutcomeInput>()?.into();
        state
            .app
            .meetings()
            .record_outcome(&ctx.principal, &slug, MeetingId(id), &input)
            .await
    }
    .await;
    host_result(&state, &ctx, &slug, result).await
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = data.decode::<wire::InvitationInput>()?.into();
        state
            .app
            .meetings()
            .invite(&ctx.principal, &slug, &input)
            .await
            .map(|_| ())
    }
    .await;
    host_result(&state, &ctx, &slug, result).await
}
