//! Materials in the API: links and uploads (organisers).

use super::wire::{LinkInput, Material, Upload};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, no_content};
use crate::caller::Ctx;
use crate::error::{Error, problem};
use crate::upload::read_upload;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::ids::{MaterialId, SessionId};

/// Attach a link as material (organiser).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/materials", operation_id = "add_material_link", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1, description = "The session")),
    request_body = LinkInput,
    responses((status = 201, description = "Attached", body = Material)))]
pub async fn add_material_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SessionId>,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Response, Error> {
    let input = roadshow_domain::materials::LinkInput::from(input);
    let material = state
        .app
        .materials()
        .add_material_link(&ctx.principal, id, &input.title, &input.url)
        .await?;
    Ok(created(Material::from(&material), None))
}

/// Upload a file as material (organiser): its type is recognised from its content (PDF,
/// images, office documents, video); up to the configured size (20 MB by default).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/materials/upload", operation_id = "upload_material", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1, description = "The session")),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses((status = 201, description = "Stored", body = Material),
        (status = 413, description = "The file is over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart form", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SessionId>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Error> {
    // Authorise before reading a large body.
    state
        .app
        .events()
        .session_for_organiser(&ctx.principal, id)
        .await?;
    let Ok(multipart) = multipart else {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "multipart_required",
            ctx.lang,
            None,
        ));
    };
    let upload = read_upload(multipart, state.app.config.max_upload_bytes).await?;
    let material = state
        .app
        .materials()
        .add_material_file(
            &ctx.principal,
            id,
            &upload.title,
            &upload.filename,
            &upload.bytes,
        )
        .await?;
    Ok(created(Material::from(&material), None))
}

/// Remove a material (organiser).
#[utoipa::path(delete, path = "/api/v1/materials/{id}", operation_id = "delete_material", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Removed")))]
pub async fn delete_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<MaterialId>,
) -> Result<Response, Error> {
    state
        .app
        .materials()
        .delete_material(&ctx.principal, id)
        .await?;
    Ok(no_content())
}
