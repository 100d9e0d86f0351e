//! Materials in the API: links and uploads (organisers).

use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use crate::error::problem;
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::ids::*;
use roadshow_domain::materials::LinkInput;

pub async fn add_material_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Response, Error> {
    let material = state
        .app
        .materials()
        .add_material_link(&ctx.principal, SessionId(id), &input.title, &input.url)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        crate::materials::material_json(&material),
    ))
}

/// The parts of a material upload form: `title` and `file`.
pub struct Upload {
    pub title: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    /// Other text fields (the CSRF token on pages).
    pub fields: Vec<(String, String)>,
}

/// Reads a multipart upload; a body over the limit is `TooLarge`.
pub async fn read_upload(mut multipart: Multipart, limit: usize) -> Result<Upload, AppError> {
    let mut upload = Upload {
        title: String::new(),
        filename: String::new(),
        bytes: Vec::new(),
        fields: Vec::new(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge { limit });
            }
            Err(_) => return Err(AppError::invalid("file", "malformed_upload")),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            upload.filename = field.file_name().unwrap_or("").to_string();
            upload.bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(AppError::TooLarge { limit });
                }
                Err(_) => return Err(AppError::invalid("file", "malformed_upload")),
            };
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| AppError::invalid(&name, "malformed_upload"))?;
            if name == "title" {
                upload.title = text;
            } else {
                upload.fields.push((name, text));
            }
        }
    }
    Ok(upload)
}

pub async fn upload_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Error> {
    // Authorise before reading a large body.
    state
        .app
        .events()
        .session_for_organiser(&ctx.principal, SessionId(id))
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
            SessionId(id),
            &upload.title,
            &upload.filename,
            &upload.bytes,
        )
        .await?;
    Ok(json(
        StatusCode::CREATED,
        crate::materials::material_json(&material),
    ))
}

pub async fn delete_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    state
        .app
        .materials()
        .delete_material(&ctx.principal, MaterialId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
