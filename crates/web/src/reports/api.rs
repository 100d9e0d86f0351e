//! The report in the API: the whole of it as JSON, each table as CSV, all of them as one
//! workbook.

use super::labels::Labels;
use super::press::{LangQuery, language};
use super::tables::{self, NAMES};
use super::wire::Report;
use crate::AppState;
use crate::api::{Slug, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::views::{csv_response, download};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::reports::EventReport;
use roadshow_domain::Lang;

/// The report of the event `slug` for the caller, in their language.
async fn build(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Report, Error> {
    Ok(build_in(state, ctx, slug, ctx.lang).await?.1)
}

/// The report of the event `slug` for the caller, named in `lang`, with its view.
async fn build_in(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    lang: Lang,
) -> Result<(EventReport, Report), Error> {
    let view = state.app.reports().event(&ctx.principal, slug).await?;
    let report = Report::of(&view, &Labels::of(&view, lang));
    Ok((view, report))
}

/// The event's report as JSON (organisers and investment officers; an official gets
/// their department's questions and meetings and no per-company list): stable English
/// keys whatever the language, opening with `headline`; names in the caller's language;
/// computed now from the event's rows, so it can be read during the event as after it.
#[utoipa::path(get, path = "/api/v1/events/{slug}/report", operation_id = "show_report", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Report)))]
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    Ok(ok(build(&state, &ctx, &slug).await?))
}

/// One table of the report as CSV (`headline`, `registrations_by_day`,
/// `registrations_by_country`, `registrations_by_industry`, `registrations_by_size`,
/// `registration_answers`, `attendance`, `questions_by_department`,
/// `questions_by_language`, `open_questions`, `polls`, `poll_splits`, `meetings_by_department`, `intent`,
/// `leads`, `companies`): RFC 4180 with CRLF line ends, every text cell defused against
/// formula injection.
#[utoipa::path(get, path = "/api/v1/events/{slug}/report/tables/{table}", operation_id = "export_report_table", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path), ("table" = String, Path, description = "The table's name")),
    responses((status = 200, description = "The table", content_type = "text/csv", body = String)))]
pub async fn table(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, name)): Path<(String, String)>,
) -> Result<Response, Error> {
    let Some(name) = NAMES.iter().find(|n| **n == name) else {
        return Err(AppError::NotFound.into());
    };
    let report = build(&state, &ctx, &slug).await?;
    audit_download(&state, &ctx, &slug, name).await?;
    let all = tables::tables(&report);
    let table = all
        .iter()
        .find(|t| t.name == *name)
        .ok_or(AppError::NotFound)?;
    let body = tables::csv(table).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(csv_response(&format!("{slug}-{name}.csv"), body))
}

/// Every table of the report as one XLSX workbook, a sheet per table (named as the CSV
/// tables are), the header row frozen.
#[utoipa::path(get, path = "/api/v1/events/{slug}/report.xlsx", operation_id = "export_report_workbook", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, description = "The workbook",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String)))]
pub async fn workbook(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let report = build(&state, &ctx, &slug).await?;
    audit_download(&state, &ctx, &slug, "report.xlsx").await?;
    let book =
        tables::xlsx(&tables::tables(&report)).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(download(
        &format!("{slug}-report.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        book,
    ))
}

/// The report as a PDF in `lang` (the caller's language when left out): A4, the agency's
/// name and page numbers, the charts drawn natively, the fonts embedded. It holds counts
/// only, every count under five printed "< 5" (the PDF leaves the staff's screens).
#[utoipa::path(get, path = "/api/v1/events/{slug}/report.pdf", operation_id = "export_report_pdf", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path), LangQuery),
    responses((status = 200, description = "The report", content_type = "application/pdf", body = String)))]
pub async fn pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(q): Query<LangQuery>,
) -> Result<Response, Error> {
    let lang = language(&ctx, q.lang.as_deref())?;
    let (view, report) = build_in(&state, &ctx, &slug, lang).await?;
    audit_download(&state, &ctx, &slug, "report.pdf").await?;
    let data = super::pdf::data(&view, &report, &Labels::of(&view, lang));
    let rendered = super::pdf::render(data)
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    if !rendered.missing.is_empty() {
        // Shown as U+FFFD, never blank; the fonts' subset may need the character.
        tracing::warn!(event = %slug, missing = ?rendered.missing, "report PDF: characters no embedded font has");
    }
    Ok(download(
        &format!("{slug}-report-{}.pdf", lang.code()),
        "application/pdf",
        rendered.pdf,
    ))
}

/// A download of the report leaves the staff's screens: it is in the audit log first.
async fn audit_download(state: &AppState, ctx: &Ctx, slug: &str, what: &str) -> Result<(), Error> {
    let Some(staff) = ctx.principal.staff() else {
        return Err(AppError::Forbidden.into());
    };
    state
        .app
        .privacy()
        .audit_staff(
            &ctx.principal,
            staff.agency_id,
            "export_downloaded",
            format!("event:{slug}"),
            serde_json::json!({"what": what}),
        )
        .await?;
    Ok(())
}
