//! The organiser's privacy page (the agency's data-protection officer): requests,
//! a participant found by email and exported or erased on a request by post or email,
//! retention, the register of recipients, the audit log and the data map.

use super::pages::{RecipientView, recipient_views};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{render, render_status, see_other};
use crate::views::{LText, TimeView, country_choices, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::privacy::PrivacyOverview;
use roadshow_domain::ids::ParticipantId;
use roadshow_domain::privacy::{Person, RecipientKind, category_codes, map};
use serde::Deserialize;

pub struct RequestRow {
    pub id: i64,
    /// Still open: it may be refused.
    pub open: bool,
    pub participant_id: i64,
    pub kind: String,
    pub state: String,
    pub channel: String,
    pub requested: TimeView,
    pub due: TimeView,
    pub overdue: bool,
    pub done: Option<TimeView>,
    pub handled_by: String,
    pub identity_check: String,
    pub refusal: String,
}

pub struct EventRow {
    pub slug: String,
    pub title: LText,
    pub ends: TimeView,
    pub days: String,
}

pub struct AuditRow {
    pub seq: i64,
    pub at: TimeView,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub hash: String,
}

pub struct MapRow {
    pub table: String,
    pub whose: String,
    pub purpose: String,
    pub basis: String,
    pub retention: String,
    pub erasure: String,
    pub personal: String,
}

pub struct HeldRow {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "admin/privacy.html")]
struct PrivacyPage<'a> {
    ctx: &'a Ctx,
    requests: Vec<RequestRow>,
    retention_days: i64,
    events: Vec<EventRow>,
    recipients: Vec<RecipientView>,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    categories: Vec<Choice>,
    audit: Vec<AuditRow>,
    head_seq: i64,
    head_hash: String,
    map: Vec<MapRow>,
    held: Vec<HeldRow>,
    form: FormState,
    search: String,
    found: Option<Person>,
    searched: bool,
    /// The address searched for belonged to someone erased (its keyed hash is kept).
    erased_before: bool,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrivacyQuery {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn page<'a>(
    ctx: &'a Ctx,
    o: &PrivacyOverview,
    form: FormState,
    search: (String, Option<Person>, bool),
    message: Option<String>,
) -> PrivacyPage<'a> {
    let now = chrono::Utc::now();
    let code = |prefix: &str, c: &str| ctx.t(&format!("{prefix}-{}", c.replace('_', "-")));
    let code_text = code;
    PrivacyPage {
        requests: o
            .requests
            .iter()
            .map(|r| RequestRow {
                id: r.id,
                open: matches!(
                    r.state,
                    roadshow_domain::privacy::RequestState::Pending
                        | roadshow_domain::privacy::RequestState::AwaitingConfirmation
                ),
                participant_id: r.participant_id.0,
                kind: code("privacy-kind", r.kind.code()),
                state: code("privacy-state", r.state.code()),
                channel: code("privacy-channel", r.channel.code()),
                requested: time_view(ctx, r.requested_at),
                due: time_view(ctx, r.due_at),
                overdue: r.done_at.is_none() && r.due_at < now,
                done: r.done_at.map(|t| time_view(ctx, t)),
                handled_by: r
                    .handled_by
                    .map(|a| {
                        o.staff
                            .iter()
                            .find(|s| s.id == a)
                            .map_or_else(|| format!("#{a}"), |s| s.display_name.clone())
                    })
                    .unwrap_or_default(),
                identity_check: match r.identity_check.as_deref() {
                    Some(code @ ("personal_link" | "emailed_link")) => {
                        code_text("privacy-identity", code)
                    }
                    Some(text) => text.to_string(),
                    None => String::new(),
                },
                refusal: r.refusal_reason.clone().unwrap_or_default(),
            })
            .collect(),
        retention_days: o.retention.days,
        events: o
            .retention
            .events
            .iter()
            .map(|e| EventRow {
                slug: e.slug.clone(),
                title: loc(ctx, &e.title),
                ends: time_view(ctx, e.ends_at),
                days: e.days.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        recipients: recipient_views(ctx, &o.recipients),
        kinds: RecipientKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().to_string(),
                label: ctx.t(&format!("privacy-recipient-{}", k.code())),
            })
            .collect(),
        countries: country_choices(ctx),
        categories: category_codes()
            .iter()
            .map(|c| Choice {
                value: (*c).to_string(),
                label: ctx.t(&format!("privacy-category-{c}")),
            })
            .collect(),
        audit: o
            .audit
            .iter()
            .map(|e| AuditRow {
                seq: e.seq,
                at: time_view(ctx, e.at),
                actor: e.actor.clone(),
                action: e.action.clone(),
                subject: e.subject.clone(),
                hash: e.hash.chars().take(16).collect(),
            })
            .collect(),
        head_seq: o.head.0,
        head_hash: o.head.1.clone(),
        map: map::tables()
            .iter()
            .map(|t| MapRow {
                table: t.name.to_string(),
                whose: ctx.t(&format!(
                    "privacy-whose-{}",
                    format!("{:?}", t.whose).to_lowercase()
                )),
                purpose: code("privacy-purpose", t.purpose.code()),
                basis: code("privacy-basis", t.basis.code()),
                retention: ctx.t1(
                    &format!("privacy-retention-{}", t.retention.code().replace('_', "-")),
                    "days",
                    &o.retention.days.to_string(),
                ),
                erasure: match (t.person, t.rows) {
                    (None, _) => "—".to_string(),
                    (_, map::Rows::Delete) => ctx.t("privacy-erasure-delete"),
                    (_, map::Rows::Update) => ctx.t("privacy-erasure-anonymise"),
                    (_, map::Rows::Keep(why)) => format!(
                        "{} ({})",
                        ctx.t("privacy-erasure-keep"),
                        code("privacy-why", why.code())
                    ),
                },
                personal: t
                    .personal
                    .iter()
                    .map(|c| {
                        format!(
                            "{} ({})",
                            c.name,
                            ctx.t(&format!("privacy-category-{}", c.category.code()))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        held: o
            .held
            .iter()
            .map(|p| HeldRow {
                id: p.id.0,
                name: p.name.clone(),
            })
            .collect(),
        form,
        search: search.0,
        found: search.1,
        searched: search.2,
        erased_before: false,
        message,
        ctx,
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PrivacyQuery>,
) -> Result<Response, Error> {
    let privacy = state.app.privacy();
    let o = privacy.overview(&ctx.principal).await?;
    let email = q.email.unwrap_or_default().trim().to_string();
    let found = if email.is_empty() {
        None
    } else {
        privacy.find(&ctx.principal, &email).await?
    };
    let searched = !email.is_empty();
    let erased_before = match (&found, searched) {
        (None, true) => {
            let agency = privacy.organiser(&ctx.principal)?;
            privacy.erased_before(agency, &email).await?
        }
        _ => false,
    };
    let message = q.done.as_deref().and_then(|d| match d {
        "retention" => Some(ctx.t("privacy-retention-saved")),
        "recipient" => Some(ctx.t("privacy-recipient-saved")),
        "removed" => Some(ctx.t("privacy-recipient-removed")),
        "erased" => Some(ctx.t("privacy-erased")),
        "refused" => Some(ctx.t("privacy-request-refused")),
        _ => None,
    });
    let mut view = page(
        &ctx,
        &o,
        FormState::default(),
        (email, found, searched),
        message,
    );
    view.erased_before = erased_before;
    Ok(render(&view))
}

async fn invalid(
    state: &AppState,
    ctx: &Ctx,
    data: &FormData,
    err: AppError,
) -> Result<Response, Error> {
    let form = data.refill(ctx, err)?;
    let o = state.app.privacy().overview(&ctx.principal).await?;
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, &o, form, (String::new(), None, false), None),
    ))
}

pub async fn save_retention(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let privacy = state.app.privacy();
    let o = privacy.overview(&ctx.principal).await?;
    let number = |name: &str| -> Result<Option<i64>, AppError> {
        let text = data.value(name);
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::invalid(name, crate::forms::NOT_A_NUMBER))
    };
    let result = async {
        let days = number("days")?;
        let mut events = Vec::new();
        for e in &o.retention.events {
            events.push((e.slug.clone(), number(&format!("event.{}", e.slug))?));
        }
        privacy.set_retention(&ctx.principal, days, &events).await
    };
    match result.await {
        Ok(_) => Ok(see_other("/admin/privacy?done=retention#retention")),
        Err(err) => invalid(&state, &ctx, &data, err).await,
    }
}

pub async fn add_recipient(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let input = roadshow_domain::privacy::RecipientInput {
        name: Some(data.localized("name")),
        kind: data.text("kind"),
        country: data.text("country"),
        purpose: Some(data.localized("purpose")),
        data: data.all("data"),
    };
    match state
        .app
        .privacy()
        .add_recipient(&ctx.principal, &input)
        .await
    {
        Ok(_) => Ok(see_other("/admin/privacy?done=recipient#recipients")),
        Err(err) => invalid(&state, &ctx, &data, err).await,
    }
}

pub async fn remove_recipient(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    state
        .app
        .privacy()
        .remove_recipient(&ctx.principal, id)
        .await?;
    Ok(see_other("/admin/privacy?done=removed#recipients"))
}

pub async fn refuse(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    match state
        .app
        .privacy()
        .refuse_request(&ctx.principal, id, data.text("reason").as_deref())
        .await
    {
        Ok(_) => Ok(see_other("/admin/privacy?done=refused#requests")),
        Err(err) => invalid(&state, &ctx, &data, err).await,
    }
}

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    let document = state
        .app
        .privacy()
        .export_participant(&ctx.principal, ParticipantId(id))
        .await?;
    Ok(super::api::download(
        document,
        &format!("roadshow-participant-{id}.json"),
    ))
}

pub async fn erase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    match state
        .app
        .privacy()
        .erase_participant(
            &ctx.principal,
            ParticipantId(id),
            data.text("reason").as_deref(),
        )
        .await
    {
        Ok(_) => Ok(see_other("/admin/privacy?done=erased#requests")),
        Err(err) => invalid(&state, &ctx, &data, err).await,
    }
}

/// The chain's head as a small text file, to keep beside earlier copies.
pub async fn audit_head(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let (seq, hash) = state.app.privacy().audit_head(&ctx.principal).await?;
    let at = chrono::Utc::now().to_rfc3339();
    Ok(crate::views::download(
        &format!("roadshow-audit-head-{seq}.txt"),
        "text/plain; charset=utf-8",
        format!("roadshow audit head\nseq {seq}\nhash {hash}\nread {at}\n"),
    ))
}
