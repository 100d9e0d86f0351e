//! Privacy on pages: the public notice, the participant's own privacy page (consents,
//! export, erasure) reached from their personal link, and the page an emailed link opens
//! to confirm an erasure.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Form;
use crate::pages::{render, see_other};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use roadshow_app::privacy::participant::MyPrivacy;
use roadshow_app::{AppError, Principal};
use roadshow_domain::privacy::map::{self, Purpose};
use roadshow_domain::privacy::{ConsentPurpose, Recipient};
use roadshow_domain::reference::country_name;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A purpose of processing as the notice explains it.
pub struct PurposeView {
    pub name: String,
    pub categories: Vec<String>,
    pub basis: String,
    pub retention: String,
}

/// What the notice says per purpose, made from the data map.
pub fn purposes(ctx: &Ctx, retention_days: i64) -> Vec<PurposeView> {
    Purpose::ALL
        .iter()
        .filter_map(|p| {
            // What the notice says is the participants' data: their tables, their columns.
            let tables: Vec<_> = map::tables()
                .iter()
                .filter(|t| t.purpose == *p && t.whose == map::Whose::Participant)
                .collect();
            let first = tables.first()?;
            let mut categories: Vec<map::Category> = tables
                .iter()
                .flat_map(|t| t.personal.iter().map(|c| c.category))
                .filter(|c| *c != map::Category::Staff)
                .collect();
            categories.sort();
            categories.dedup();
            Some(PurposeView {
                name: ctx.t(&format!("privacy-purpose-{}", p.code().replace('_', "-"))),
                categories: categories
                    .iter()
                    .map(|c| ctx.t(&format!("privacy-category-{}", c.code())))
                    .collect(),
                basis: ctx.t(&format!(
                    "privacy-basis-{}",
                    first.basis.code().replace('_', "-")
                )),
                retention: ctx.t1(
                    &format!(
                        "privacy-retention-{}",
                        first.retention.code().replace('_', "-")
                    ),
                    "days",
                    &retention_days.to_string(),
                ),
            })
        })
        .collect()
}

/// A recipient as the notice names it.
pub struct RecipientView {
    pub id: i64,
    pub name: LText,
    pub kind: String,
    pub country: String,
    pub purpose: LText,
    pub data: String,
}

pub fn recipient_views(ctx: &Ctx, recipients: &[Recipient]) -> Vec<RecipientView> {
    recipients
        .iter()
        .map(|r| RecipientView {
            id: r.id,
            name: loc(ctx, &r.name),
            kind: ctx.t(&format!("privacy-recipient-{}", r.kind.code())),
            country: country_name(&r.country, ctx.lang),
            purpose: loc(ctx, &r.purpose),
            data: r
                .data
                .iter()
                .map(|c| ctx.t(&format!("privacy-category-{c}")))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

/// A consent purpose as the notice and the participant's page show it.
pub struct ConsentView {
    pub code: &'static str,
    pub label: String,
    pub text: String,
    pub required: bool,
    pub given: bool,
    pub changed: Option<TimeView>,
    pub version: String,
}

#[derive(Template)]
#[template(path = "privacy_notice.html")]
struct NoticePage<'a> {
    ctx: &'a Ctx,
    agency: String,
    purposes: Vec<PurposeView>,
    consents: Vec<ConsentView>,
    recipients: Vec<RecipientView>,
    version: &'static str,
}

/// The privacy notice, made from the data map and the register of recipients.
pub async fn notice(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let notice = state.app.privacy().notice().await?;
    let (agency, recipients, retention_days) = match &notice {
        Some(n) => (
            loc(&ctx, &n.agency).text,
            n.recipients.clone(),
            n.retention_days,
        ),
        None => (
            String::new(),
            Vec::new(),
            roadshow_domain::privacy::DEFAULT_RETENTION_DAYS,
        ),
    };
    Ok(render(&NoticePage {
        agency,
        purposes: purposes(&ctx, retention_days),
        consents: consent_views(&ctx, &[]),
        recipients: recipient_views(&ctx, &recipients),
        version: roadshow_domain::privacy::NOTICE_VERSION,
        ctx: &ctx,
    }))
}

fn consent_views(ctx: &Ctx, given: &[roadshow_domain::privacy::Consent]) -> Vec<ConsentView> {
    ConsentPurpose::ALL
        .iter()
        .map(|p| {
            let current = given.iter().find(|c| c.purpose == *p);
            ConsentView {
                code: p.code(),
                label: ctx.t(&format!("consent-{}-label", p.code())),
                text: ctx.t(&format!("consent-{}-text", p.code())),
                required: p.required(),
                given: current.is_some_and(|c| c.given),
                changed: current.map(|c| time_view(ctx, c.changed_at)),
                version: current.map(|c| c.version.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The participant of a personal link, as the app knows them.
async fn participant(state: &AppState, token: &str) -> Result<Principal, Error> {
    if !token.starts_with(roadshow_app::accounts::PARTICIPANT_PREFIX) || token.len() > 100 {
        return Err(Error::from(AppError::NotFound));
    }
    state
        .app
        .accounts()
        .token_principal(token)
        .await
        .map_err(|_| Error::from(AppError::NotFound))
}

/// A request as the participant's page lists it.
pub struct RequestView {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub requested: TimeView,
    pub expires: Option<TimeView>,
    pub ready: bool,
    /// Why it was refused, when it was.
    pub refusal: Option<String>,
}

#[derive(Template)]
#[template(path = "my_privacy.html")]
struct MyPage<'a> {
    ctx: &'a Ctx,
    token: String,
    name: String,
    email: String,
    consents: Vec<ConsentView>,
    requests: Vec<RequestView>,
    next_export: Option<TimeView>,
    purposes: Vec<PurposeView>,
    recipients: Vec<RecipientView>,
    retention_note: String,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MessageQuery {
    #[serde(default)]
    done: Option<String>,
}

fn request_views(ctx: &Ctx, m: &MyPrivacy) -> Vec<RequestView> {
    m.requests
        .iter()
        .map(|r| RequestView {
            id: r.id,
            kind: ctx.t(&format!("privacy-kind-{}", r.kind.code())),
            state: ctx.t(&format!(
                "privacy-state-{}",
                r.state.code().replace('_', "-")
            )),
            requested: time_view(ctx, r.requested_at),
            expires: r.expires_at.map(|t| time_view(ctx, t)),
            ready: r.downloadable(Utc::now()),
            refusal: r.refusal_reason.clone(),
        })
        .collect()
}

/// The participant's privacy page.
pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<MessageQuery>,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    let m = state.app.privacy().mine(&principal).await?;
    let message = match q.done.as_deref() {
        Some("consents") => Some(ctx.t("privacy-consents-saved")),
        Some("export") => Some(ctx.t("privacy-export-started")),
        Some("erasure") => Some(ctx.t("privacy-erasure-sent")),
        _ => None,
    };
    Ok(render(&MyPage {
        token: token.clone(),
        name: m.person.name.clone(),
        email: m.person.email.clone(),
        consents: consent_views(&ctx, &m.consents),
        requests: request_views(&ctx, &m),
        next_export: m.next_export_at.map(|t| time_view(&ctx, t)),
        purposes: purposes(&ctx, m.retention_days),
        recipients: recipient_views(&ctx, &m.recipients),
        retention_note: ctx.t1(
            "privacy-retention-days",
            "days",
            &m.retention_days.to_string(),
        ),
        message,
        ctx: &ctx,
    }))
}

/// Saves the consents of the form: a box not ticked is a withdrawal.
pub async fn save_consents(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    let given: BTreeMap<String, bool> = ConsentPurpose::ALL
        .iter()
        .map(|p| {
            (
                p.code().to_string(),
                data.get(p.code()).is_some_and(|v| v == "yes"),
            )
        })
        .collect();
    state
        .app
        .privacy()
        .set_my_consents(&principal, &given)
        .await?;
    Ok(see_other(&format!(
        "/p/{token}/privacy?done=consents#consents"
    )))
}

pub async fn request_export(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    state.app.privacy().request_my_export(&principal).await?;
    Ok(see_other(&format!("/p/{token}/privacy?done=export#export")))
}

pub async fn request_erasure(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    state.app.privacy().request_my_erasure(&principal).await?;
    Ok(see_other(&format!(
        "/p/{token}/privacy?done=erasure#erasure"
    )))
}

/// The export's file.
pub async fn export_file(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, String)>,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    let file = state.app.privacy().my_export(&principal, id).await?;
    Ok(super::api::download(file, "roadshow-personal-data.json"))
}

/// One table of an export as the readable page shows it.
pub struct ExportTable {
    pub name: String,
    pub purpose: String,
    pub rows: Vec<Vec<(String, String)>>,
}

#[derive(Template)]
#[template(path = "my_export.html")]
struct ExportPage<'a> {
    ctx: &'a Ctx,
    token: String,
    id: i64,
    tables: Vec<ExportTable>,
    purposes: Vec<PurposeView>,
    recipients: Vec<RecipientView>,
    retention_note: String,
    expires: Option<TimeView>,
}

/// The export as a page in the participant's language, with the Art. 15 section.
pub async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, id)): Path<(String, String)>,
) -> Result<Response, Error> {
    let principal = participant(&state, &token).await?;
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    let privacy = state.app.privacy();
    let file = privacy.my_export(&principal, id).await?;
    let m = privacy.mine(&principal).await?;
    let document: serde_json::Value =
        serde_json::from_str(&file).map_err(|e| Error::from(AppError::Internal(Box::new(e))))?;
    let mut tables = Vec::new();
    if let Some(data) = document.get("data").and_then(|d| d.as_object()) {
        for (name, rows) in data {
            let purpose = map::table(name)
                .map(|t| {
                    ctx.t(&format!(
                        "privacy-purpose-{}",
                        t.purpose.code().replace('_', "-")
                    ))
                })
                .unwrap_or_default();
            let columns: Vec<String> = rows["columns"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let rows = rows["rows"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|r| r.as_array())
                        .map(|r| {
                            columns
                                .iter()
                                .zip(r)
                                .map(|(k, v)| {
                                    (
                                        k.clone(),
                                        v.as_str().map(str::to_string).unwrap_or_default(),
                                    )
                                })
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default();
            tables.push(ExportTable {
                name: name.clone(),
                purpose,
                rows,
            });
        }
    }
    let expires = m
        .requests
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| r.expires_at)
        .map(|t| time_view(&ctx, t));
    Ok(render(&ExportPage {
        token,
        id,
        tables,
        purposes: purposes(&ctx, m.retention_days),
        recipients: recipient_views(&ctx, &m.recipients),
        retention_note: ctx.t1(
            "privacy-retention-days",
            "days",
            &m.retention_days.to_string(),
        ),
        expires,
        ctx: &ctx,
    }))
}

#[derive(Template)]
#[template(path = "privacy_erasure.html")]
struct ErasurePage<'a> {
    ctx: &'a Ctx,
    confirm: String,
    name: String,
    done: bool,
}

/// The page an emailed link opens: what erasure does, and the button that does it.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(confirm): Path<String>,
) -> Result<Response, Error> {
    let pending = state.app.privacy().pending_erasure(&confirm).await?;
    Ok(render(&ErasurePage {
        confirm,
        name: pending.person.name,
        done: false,
        ctx: &ctx,
    }))
}

/// Erases, and says it is done (nothing is emailed to an erased address).
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(confirm): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    state.app.privacy().confirm_erasure(&confirm).await?;
    Ok(render(&ErasurePage {
        confirm: String::new(),
        name: String::new(),
        done: true,
        ctx: &ctx,
    }))
}
