//! Meeting booking on pages, the organiser's side: the grid, hosts and tables, the
//! requests, the proposal, moves by hand and confirmation. A participant's page is in
//! `participant_pages.rs`, a host's in `host_pages.rs`.

use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Form, FormData};
use crate::pages::{render, render_status, see_other};
use crate::paging::{PageQuery, Pager};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::meetings::booking::{OrganiserBooking, Proposal, Requests};
use roadshow_domain::meetings::{BookingInput, Placement};
use roadshow_domain::paging::PageRequest;
use roadshow_domain::time::to_local_input;

pub struct HostRow {
    pub id: i64,
    pub name: LText,
    pub chosen: bool,
    pub capacity: u32,
    /// Each slot (id, Beijing time) and whether the host cannot make it.
    pub slots: Vec<(String, String, bool)>,
    /// How many it cannot make.
    pub off: usize,
}

pub struct RequestRow {
    pub person: String,
    pub company: String,
    pub host: LText,
    pub priority: String,
    pub topic: String,
    pub slots_marked: usize,
}

pub struct MeetingRow {
    pub when: TimeView,
    pub host: LText,
    pub person: String,
    pub company: String,
    pub topic: String,
}

/// A proposed meeting, with the slots it could be moved to by hand.
pub struct ProposalRow {
    /// Its place in the proposal's list of meetings (the form's `slot.{index}`).
    pub index: usize,
    pub meeting: MeetingRow,
    pub choices: Vec<(String, String, bool)>,
}

pub struct ProposalView {
    pub objective: u64,
    pub upper_bound: u64,
    pub gap: String,
    pub optimal: bool,
    /// Meetings inside both working days.
    pub in_hours: Option<usize>,
    pub meetings: Vec<ProposalRow>,
    pub unplaced: Vec<(String, LText, String)>,
    pub placements: String,
    /// Confirmed meetings this grid cancels (their requests have no place in it).
    pub cancels: i64,
}

#[derive(Template)]
#[template(path = "admin/meetings.html")]
struct OrganiserPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    form: crate::forms::FormState,
    hosts: Vec<HostRow>,
    slots: usize,
    requests: Vec<RequestRow>,
    pager: Pager,
    meetings: Vec<MeetingRow>,
    proposal: Option<ProposalView>,
    opened: bool,
    /// A schedule changed by hand broke a rule and was not saved.
    broken: bool,
    /// Which meeting, and the rule it broke, when that is known.
    broken_named: Option<String>,
    uncancelled: i64,
}

fn organiser_page<'a>(
    ctx: &'a Ctx,
    v: &OrganiserBooking,
    request: PageRequest,
    form: Option<crate::forms::FormState>,
    proposal: Option<ProposalView>,
) -> OrganiserPage<'a> {
    let zone = v.event.zone();
    let form = form.unwrap_or_else(|| {
        let mut f = crate::forms::FormState::default();
        match &v.booking {
            Some(b) => {
                f.set(
                    "days",
                    b.days
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                f.set("day_start", b.day_start.format("%H:%M").to_string());
                f.set("day_end", b.day_end.format("%H:%M").to_string());
                f.set("slot_minutes", b.slot_minutes.to_string());
                f.set("break_minutes", b.break_minutes.to_string());
                f.set("max_per_company", b.max_per_company.to_string());
                f.set("request_deadline", to_local_input(b.request_deadline, zone));
                f.set("video_link", b.video_link.clone().unwrap_or_default());
            }
            None => {
                f.set(
                    "days",
                    v.event
                        .starts_at
                        .with_timezone(&zone)
                        .format("%Y-%m-%d")
                        .to_string(),
                );
                f.set("day_start", "15:00");
                f.set("day_end", "18:00");
                f.set("slot_minutes", "30");
                f.set("break_minutes", "10");
                f.set("max_per_company", "4");
                f.set("request_deadline", to_local_input(v.event.starts_at, zone));
            }
        }
        f
    });
    let hosts = v
        .departments
        .iter()
        .map(|d| {
            let capacity = v.booking.as_ref().and_then(|b| b.capacity(d.id));
            let unavailable: Vec<chrono::DateTime<chrono::Utc>> = v
                .booking
                .as_ref()
                .and_then(|b| b.hosts.iter().find(|h| h.department_id == d.id))
                .map(|h| h.unavailable.clone())
                .unwrap_or_default();
            HostRow {
                id: d.id.0,
                name: loc(ctx, &d.name),
                off: unavailable.len(),
                chosen: capacity.is_some(),
                capacity: capacity.unwrap_or(1),
                slots: v
                    .booking
                    .as_ref()
                    .map(|b| b.slots(zone))
                    .unwrap_or_default()
                    .iter()
                    .map(|s| {
                        let t = time_view(ctx, s.starts_at);
                        (
                            s.starts_at.timestamp().to_string(),
                            format!("{}, {}", t.beijing_date, t.beijing_clock),
                            unavailable.contains(&s.starts_at),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let name_of = |id| department_name(ctx, &v.departments, id);
    let person = |p| person(v, p);
    // A view of every request (under a proposal) lists its first page like the others.
    let listed = &v.requests[..v.requests.len().min(request.limit)];
    let next = match v.requests.len() > request.limit {
        true => listed.last().map(|r| r.id.0),
        false => v.next,
    };
    let requests = listed
        .iter()
        .map(|r| {
            let (name, company) = person(r.participant_id);
            RequestRow {
                person: name,
                company,
                host: name_of(r.department_id),
                priority: ctx.t(&format!("meetings-priority-{}", r.priority.code())),
                topic: r.topic.clone(),
                slots_marked: v.availability.get(&r.participant_id).map_or(0, Vec::len),
            }
        })
        .collect();
    let meetings = v
        .meetings
        .iter()
        .filter_map(|m| {
            let r = v.meeting_requests.iter().find(|r| r.id == m.request_id)?;
            let (name, company) = person(r.participant_id);
            Some(MeetingRow {
                when: time_view(ctx, m.starts_at),
                host: name_of(r.department_id),
                person: name,
                company,
                topic: r.topic.clone(),
            })
        })
        .collect();
    OrganiserPage {
        ctx,
        slug: v.event.slug.clone(),
        title: loc(ctx, &v.event.title),
        form,
        hosts,
        slots: v.booking.as_ref().map_or(0, |b| b.slots(zone).len()),
        requests,
        pager: Pager::new(
            &format!("/admin/events/{}/meetings", v.event.slug),
            "",
            "#requests",
            request,
            next,
        ),
        meetings,
        proposal,
        opened: v.booking.is_some(),
        broken: false,
        broken_named: None,
        uncancelled: 0,
    }
}

#[derive(serde::Deserialize)]
pub struct BookingQuery {
    /// A rule a hand move broke (its code), or `1`.
    pub broken: Option<String>,
    /// The meeting that broke it, by the scheduler's ids (`p12`, `d3`, the slot's start).
    pub company: Option<String>,
    pub host: Option<String>,
    pub slot: Option<i64>,
    /// A confirmation refused because it would cancel this many confirmed meetings.
    pub uncancelled: Option<i64>,
}

pub async fn organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<BookingQuery>,
    Query(listed): Query<PageQuery>,
) -> Result<Response, Error> {
    let request = listed.read()?;
    let v = state
        .app
        .meetings()
        .for_organiser(&ctx.principal, &slug, Requests::Page(request))
        .await?;
    let mut page = organiser_page(&ctx, &v, request, None, None);
    page.broken = q.broken.is_some();
    page.broken_named = broken_named(&ctx, &v, &q);
    page.uncancelled = q.uncancelled.unwrap_or(0).clamp(0, 100_000);
    Ok(render(&page))
}

fn booking_input(data: &FormData) -> Result<BookingInput, AppError> {
    let mut input = BookingInput::from(data.decode::<wire::BookingInput>()?);
    // Every department has a row; the ticked ones are the hosts.
    input.hosts.retain(|h| h.department_id != 0);
    Ok(input)
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let saved = async {
        let input = booking_input(&data)?;
        state
            .app
            .meetings()
            .save_booking(&ctx.principal, &slug, &input)
            .await
    };
    match saved.await {
        Ok(_) => Ok(see_other(&format!("/admin/events/{slug}/meetings?saved=1"))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            let request = PageRequest::default();
            let v = state
                .app
                .meetings()
                .for_organiser(&ctx.principal, &slug, Requests::Page(request))
                .await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &organiser_page(&ctx, &v, request, Some(form), None),
            ))
        }
    }
}

fn proposal_view(ctx: &Ctx, v: &OrganiserBooking, p: &Proposal) -> ProposalView {
    let request_of = |company: &str, host: &str| {
        v.requests.iter().find(|r| {
            format!("p{}", r.participant_id.0) == company
                && format!("d{}", r.department_id.0) == host
        })
    };
    let host_name = |id| department_name(ctx, &v.departments, id);
    let person = |p| person(v, p);
    let slots: Vec<(String, String)> = v
        .booking
        .as_ref()
        .map(|b| b.slots(v.event.zone()))
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let t = time_view(ctx, s.starts_at);
            (
                s.starts_at.timestamp().to_string(),
                format!("{}, {}", t.beijing_date, t.beijing_clock),
            )
        })
        .collect();
    let mut meetings: Vec<ProposalRow> = p
        .scheduled
        .output
        .meetings
        .iter()
        .enumerate()
        .filter_map(|(index, m)| {
            let r = request_of(&m.company, &m.host)?;
            let t = chrono::DateTime::from_timestamp(m.slot.parse().ok()?, 0)?;
            let (name, company) = person(r.participant_id);
            Some(ProposalRow {
                index,
                meeting: MeetingRow {
                    when: time_view(ctx, t),
                    host: host_name(r.department_id),
                    person: name,
                    company,
                    topic: r.topic.clone(),
                },
                choices: slots
                    .iter()
                    .map(|(id, label)| (id.clone(), label.clone(), *id == m.slot))
                    .collect(),
            })
        })
        .collect();
    meetings.sort_by(|a, b| a.meeting.when.iso.cmp(&b.meeting.when.iso));
    let unplaced = p
        .scheduled
        .unplaced
        .iter()
        .filter_map(|u| {
            let r = request_of(&u.company, &u.host)?;
            let (name, company) = person(r.participant_id);
            Some((
                format!("{name} ({company})"),
                host_name(r.department_id),
                ctx.t(&format!("scheduler-reason-{}", u.reason.replace('_', "-"))),
            ))
        })
        .collect();
    ProposalView {
        objective: p.scheduled.output.objective,
        upper_bound: p.scheduled.output.upper_bound,
        gap: format!("{:.2} %", p.scheduled.gap_percent),
        optimal: p.scheduled.output.optimal,
        in_hours: p.scheduled.in_working_hours,
        meetings,
        unplaced,
        placements: serde_json::to_string(&p.scheduled.output.meetings).unwrap_or_default(),
        cancels: {
            let kept: Vec<roadshow_domain::ids::MeetingRequestId> = p
                .scheduled
                .output
                .meetings
                .iter()
                .filter_map(|m| request_of(&m.company, &m.host).map(|r| r.id))
                .collect();
            i64::try_from(roadshow_domain::meetings::cancelled_by(&v.meetings, &kept).len())
                .unwrap_or(i64::MAX)
        },
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let full = data.get("full") == Some("1");
    let p = state
        .app
        .meetings()
        .propose(&ctx.principal, &slug, full)
        .await?;
    // The proposal names any request: the view holds them all.
    let v = state
        .app
        .meetings()
        .for_organiser(&ctx.principal, &slug, Requests::All)
        .await?;
    let view = proposal_view(&ctx, &v, &p);
    Ok(render(&organiser_page(
        &ctx,
        &v,
        PageRequest::default(),
        None,
        Some(view),
    )))
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let mut placed: Vec<Placement> = serde_json::from_str(data.get("meetings").unwrap_or("[]"))
        .map_err(|_| Error(AppError::invalid("meetings", "invalid_json")))?;
    // Moves made by hand: each meeting's slot as chosen in the proposal's table.
    for (i, m) in placed.iter_mut().enumerate() {
        if let Some(slot) = data.get(&format!("slot.{i}")) {
            m.slot = slot.to_string();
        }
    }
    let cancels = data.get("cancels").and_then(|v| v.trim().parse().ok());
    match state
        .app
        .meetings()
        .confirm(&ctx.principal, &slug, &placed, cancels)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/admin/events/{slug}/meetings?confirmed=1"
        ))),
        // Cancellations not agreed to: nothing is saved, and the organiser is told how
        // many the grid would cancel.
        Err(AppError::Invalid(fields)) if fields.iter().any(|f| f.field == "cancels") => {
            let n = fields.iter().find_map(|f| f.limit).unwrap_or(0);
            Ok(see_other(&format!(
                "/admin/events/{slug}/meetings?uncancelled={n}"
            )))
        }
        // A move that breaks a rule: nothing is saved, and the organiser is told which
        // meeting and which rule.
        Err(AppError::Invalid(fields)) => {
            let named = fields.iter().find_map(|f| {
                let i: usize = f
                    .field
                    .strip_prefix("meetings[")?
                    .strip_suffix(']')?
                    .parse()
                    .ok()?;
                let m = placed.get(i)?;
                Some(format!(
                    "&company={}&host={}&slot={}",
                    crate::pages::encode_component(&m.company),
                    crate::pages::encode_component(&m.host),
                    crate::pages::encode_component(&m.slot)
                ))
                .map(|meeting| format!("{}{meeting}", f.code))
            });
            Ok(see_other(&format!(
                "/admin/events/{slug}/meetings?broken={}",
                named.unwrap_or_else(|| "1".into())
            )))
        }
        Err(e) => Err(Error(e)),
    }
}

/// "The meeting of Erika Muster (Muster GmbH) with Shunyi at 12 Dec, 15:00 cannot go
/// there: the host is not available in that slot", from the page's query.
fn broken_named(ctx: &Ctx, v: &OrganiserBooking, q: &BookingQuery) -> Option<String> {
    let code = q.broken.as_deref().filter(|c| c.starts_with("meeting_"))?;
    let participant = q.company.as_deref()?.strip_prefix('p')?.parse().ok()?;
    let department = q.host.as_deref()?.strip_prefix('d')?.parse().ok()?;
    let when = chrono::DateTime::from_timestamp(q.slot?, 0)?;
    let (name, company) = person(v, roadshow_domain::ids::ParticipantId(participant));
    let host = department_name(
        ctx,
        &v.departments,
        roadshow_domain::ids::DepartmentId(department),
    );
    let t = time_view(ctx, when);
    let rule = ctx.t(&format!("error-{}", code.replace('_', "-")));
    Some(ctx.t_args(
        "meetings-broken-named",
        &[
            ("person", &format!("{name} ({company})")),
            ("host", &host.text),
            ("when", &format!("{}, {}", t.beijing_date, t.beijing_clock)),
            ("rule", &rule),
        ],
    ))
}

/// A participant's name and company, from the event's registrations.
fn person(v: &OrganiserBooking, p: roadshow_domain::ids::ParticipantId) -> (String, String) {
    v.registrations
        .get(&p)
        .map(|r| (r.name.clone(), r.company.name.clone()))
        .unwrap_or_default()
}

/// A department's name in the reader's language; empty when it is gone.
pub(super) fn department_name(
    ctx: &Ctx,
    departments: &[roadshow_domain::departments::Department],
    id: roadshow_domain::ids::DepartmentId,
) -> LText {
    departments
        .iter()
        .find(|d| d.id == id)
        .map(|d| loc(ctx, &d.name))
        .unwrap_or(LText {
            text: String::new(),
            lang: ctx.lang.code(),
        })
}
