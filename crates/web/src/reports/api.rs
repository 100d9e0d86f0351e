//! The report in the API.

use super::labels::Labels;
use super::wire::Report;
use crate::AppState;
use crate::api::{Slug, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::response::Response;

/// The event's report as JSON (organisers and investment officers; an official gets
/// their department's questions and meetings): stable English keys whatever the
/// language, opening with `headline`; names in the caller's language; computed now
/// from the event's rows, so it can be read during the event as after it.
#[utoipa::path(get, path = "/api/v1/events/{slug}/report", operation_id = "show_report", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Report)))]
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let view = state.app.reports().event(&ctx.principal, &slug).await?;
    let labels = Labels {
        lang: ctx.lang,
        departments: &view.departments,
        fields: &view.page.event.form_fields,
    };
    Ok(ok(Report::of(&view, &labels)))
}
