//! Registrations in the API: the public sign-up, the organiser's list and export, and a
//! participant's own registration.

use super::wire::{
    CountryCount, FilterQuery, IndustryCount, Registration, RegistrationCounts, RegistrationInput,
    RegistrationList, RegistrationReceipt,
};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, Slug, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;
use roadshow_domain::ids::RegistrationId;

/// Register for an event (anyone, while registrations are open). The answer carries the
/// participant's own token, once.
#[utoipa::path(post, path = "/api/v1/events/{slug}/registrations", operation_id = "register", tag = "registrations",
    params(("slug" = String, Path)), request_body = RegistrationInput,
    responses((status = 201, description = "Registered; a confirmation email is on its way", body = RegistrationReceipt),
        (status = 409, description = "Already registered with this email, or registrations are closed", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> Result<Response, Error> {
    let receipt = state
        .app
        .registrations()
        .register(&ctx.principal, &slug, &input.into(), &ctx.client, ctx.lang)
        .await?;
    let url = format!("{}/p/{}", state.app.config.base_url, receipt.token);
    let location = format!("/api/v1/registrations/{}", receipt.registration.id);
    Ok(created(
        RegistrationReceipt::new(&receipt.registration, receipt.token, url),
        Some(location),
    ))
}

/// An event's registrations, a page at a time in the order they came in (100 by default;
/// follow `next_after`), with counts by country and industry (organiser).
#[utoipa::path(get, path = "/api/v1/events/{slug}/registrations", operation_id = "list_registrations", tag = "registrations",
    security(("bearer" = [])), params(("slug" = String, Path), FilterQuery, PageQuery),
    responses((status = 200, body = RegistrationList),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(query): Query<FilterQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let list = state
        .app
        .registrations()
        .registrations_page(&ctx.principal, &slug, &query.filter(), page.read()?)
        .await?;
    Ok(ok(RegistrationList {
        event: list.event.slug.clone(),
        registrations: list.registrations.iter().map(Registration::from).collect(),
        counts: RegistrationCounts {
            total: list.counts.total,
            shown: list.registrations.len(),
            by_country: list
                .counts
                .by_country
                .iter()
                .map(|(country, count)| CountryCount {
                    country: country.clone(),
                    count: *count,
                })
                .collect(),
            by_industry: list
                .counts
                .by_industry
                .iter()
                .map(|(industry, count)| IndustryCount {
                    industry: industry.clone(),
                    count: *count,
                })
                .collect(),
        },
        next_after: list.next.map(|id| id.0),
    }))
}

/// The registrations as CSV (organiser): UTF-8 with a byte-order mark for Excel, cells
/// that a spreadsheet would read as formulas defused.
#[utoipa::path(get, path = "/api/v1/events/{slug}/registrations.csv", operation_id = "export_registrations", tag = "registrations",
    security(("bearer" = [])), params(("slug" = String, Path), FilterQuery),
    responses((status = 200, description = "The registrations, one a row", content_type = "text/csv", body = String)))]
pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(query): Query<FilterQuery>,
) -> Result<Response, Error> {
    let body = state
        .app
        .registrations()
        .registrations_csv(&ctx.principal, &slug, &query.filter(), ctx.lang)
        .await?;
    Ok(crate::views::csv_response(
        &format!("{slug}-registrations.csv"),
        body,
    ))
}

/// One registration: a participant their own, an organiser any of their agency's.
#[utoipa::path(get, path = "/api/v1/registrations/{id}", operation_id = "show_registration", tag = "registrations",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Registration)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<RegistrationId>,
) -> Result<Response, Error> {
    let registration = state
        .app
        .registrations()
        .registration(&ctx.principal, id)
        .await?;
    Ok(ok(Registration::from(&registration)))
}
