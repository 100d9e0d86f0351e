//! The agency's parks, policies and success stories in the API (organisers).

use super::wire::{
    Park, ParkInput, Parks, Policies, Policy, PolicyInput, Stories, StoryInput, SuccessStory,
};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;
use roadshow_domain::ids::{ParkId, PolicyId, StoryId};

/// The agency's industrial parks, archived ones included, a page at a time in the order
/// they were added (100 by default; follow `next_after`) (organiser).
#[utoipa::path(get, path = "/api/v1/parks", operation_id = "list_parks", tag = "directory",
    security(("bearer" = [])), params(PageQuery), responses((status = 200, body = Parks)))]
pub async fn parks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let list = state
        .app
        .directory()
        .agency_parks(&ctx.principal, page.read()?)
        .await?;
    Ok(ok(Parks {
        parks: list.items.iter().map(Park::from).collect(),
        next_after: list.next,
    }))
}

/// Add a park (organiser).
#[utoipa::path(post, path = "/api/v1/parks", operation_id = "create_park", tag = "directory",
    security(("bearer" = [])), request_body = ParkInput,
    responses((status = 201, description = "Added", body = Park),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn create_park(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, Error> {
    let park = state
        .app
        .directory()
        .create_park(&ctx.principal, &input.into())
        .await?;
    Ok(created(Park::from(&park), None))
}

/// Change a park (organiser of its agency).
#[utoipa::path(put, path = "/api/v1/parks/{id}", operation_id = "update_park", tag = "directory",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = ParkInput,
    responses((status = 200, body = Park),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn update_park(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<ParkId>,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, Error> {
    let park = state
        .app
        .directory()
        .update_park(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(Park::from(&park)))
}

/// The agency's preferential and support policies, archived ones included, a page at a
/// time in the order they were added (100 by default; follow `next_after`) (organiser).
#[utoipa::path(get, path = "/api/v1/policies", operation_id = "list_policies", tag = "directory",
    security(("bearer" = [])), params(PageQuery), responses((status = 200, body = Policies)))]
pub async fn policies(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let list = state
        .app
        .directory()
        .agency_policies(&ctx.principal, page.read()?)
        .await?;
    Ok(ok(Policies {
        policies: list.items.iter().map(Policy::from).collect(),
        next_after: list.next,
    }))
}

/// Add a policy (organiser).
#[utoipa::path(post, path = "/api/v1/policies", operation_id = "create_policy", tag = "directory",
    security(("bearer" = [])), request_body = PolicyInput,
    responses((status = 201, description = "Added", body = Policy),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn create_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, Error> {
    let policy = state
        .app
        .directory()
        .create_policy(&ctx.principal, &input.into())
        .await?;
    Ok(created(Policy::from(&policy), None))
}

/// Change a policy (organiser of its agency): a new version, the earlier one kept.
#[utoipa::path(put, path = "/api/v1/policies/{id}", operation_id = "update_policy", tag = "directory",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = PolicyInput,
    responses((status = 200, body = Policy),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn update_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PolicyId>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, Error> {
    let policy = state
        .app
        .directory()
        .update_policy(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(Policy::from(&policy)))
}

/// The agency's success stories, archived ones included, a page at a time in the order
/// they were added (100 by default; follow `next_after`) (organiser).
#[utoipa::path(get, path = "/api/v1/stories", operation_id = "list_stories", tag = "directory",
    security(("bearer" = [])), params(PageQuery), responses((status = 200, body = Stories)))]
pub async fn stories(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let list = state
        .app
        .directory()
        .agency_stories(&ctx.principal, page.read()?)
        .await?;
    Ok(ok(Stories {
        stories: list.items.iter().map(SuccessStory::from).collect(),
        next_after: list.next,
    }))
}

/// Add a success story (organiser).
#[utoipa::path(post, path = "/api/v1/stories", operation_id = "create_story", tag = "directory",
    security(("bearer" = [])), request_body = StoryInput,
    responses((status = 201, description = "Added", body = SuccessStory),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn create_story(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, Error> {
    let story = state
        .app
        .directory()
        .create_story(&ctx.principal, &input.into())
        .await?;
    Ok(created(SuccessStory::from(&story), None))
}

/// Change a success story (organiser of its agency).
#[utoipa::path(put, path = "/api/v1/stories/{id}", operation_id = "update_story", tag = "directory",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = StoryInput,
    responses((status = 200, body = SuccessStory),
        (status = 409, description = "The slug or external id is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn update_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<StoryId>,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, Error> {
    let story = state
        .app
        .directory()
        .update_story(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(SuccessStory::from(&story)))
}
