//! The organiser's outbox page: every email Roadshow sent or holds.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use roadshow_domain::outbox::OutboxEmail;
use roadshow_domain::time::{format_clock, format_date};

// ---------------------------------------------------------------- outbox

pub struct EmailRow {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub status_code: &'static str,
    pub created: String,
    pub attachments: Vec<String>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<EmailRow>,
    smtp: bool,
    pager: crate::paging::Pager,
}

fn email_row(ctx: &Ctx, e: &OutboxEmail) -> EmailRow {
    EmailRow {
        to: e.message.to.clone(),
        subject: e.message.subject.clone(),
        body: e.message.body_text.clone(),
        status: ctx.t(&format!("email-status-{}", e.status.code())),
        status_code: e.status.code(),
        created: format!(
            "{} {}",
            format_date(e.created_at, ctx.zone, ctx.lang),
            format_clock(e.created_at, ctx.zone)
        ),
        attachments: e
            .message
            .attachments
            .iter()
            .map(|a| a.filename.clone())
            .collect(),
        error: e.last_error.clone().unwrap_or_default(),
    }
}

pub async fn outbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<crate::paging::PageQuery>,
) -> Result<Response, Error> {
    let request = page.read()?;
    let listed = state.app.outbox().outbox(&ctx.principal, request).await?;
    Ok(render(&OutboxPage {
        pager: crate::paging::Pager::new("/admin/outbox", "", "", request, listed.next),
        rows: listed.items.iter().map(|e| email_row(&ctx, e)).collect(),
        smtp: state.app.outbox().smtp_configured(),
        ctx: &ctx,
    }))
}
