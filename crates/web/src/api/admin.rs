//! The organiser's API: sessions, speakers, materials, departments and the outbox.

use super::{Api, ApiJson, json};
use crate::AppState;
use crate::error::{ApiError, problem};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::departments::DepartmentInput;
use roadshow_domain::events::{SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use serde::Deserialize;
use serde_json::json;

pub async fn create_session(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, ApiError> {
    let session = state
        .app
        .events()
        .create_session(&api.principal, &slug, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, session))
}

pub async fn update_session(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, ApiError> {
    let session = state
        .app
        .events()
        .update_session(&api.principal, SessionId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, session))
}

pub async fn delete_session(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    state
        .app
        .events()
        .delete_session(&api.principal, SessionId(id))
        .await
        .map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn add_speaker(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SpeakerInput>,
) -> Result<Response, ApiError> {
    let speaker = state
        .app
        .events()
        .add_speaker(&api.principal, SessionId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, speaker))
}

pub async fn delete_speaker(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    state
        .app
        .events()
        .delete_speaker(&api.principal, SpeakerId(id))
        .await
        .map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A link material: `{"title": "...", "url": "https://..."}`.
#[derive(Debug, Deserialize)]
pub struct LinkInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
}

pub async fn add_material_link(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Response, ApiError> {
    let material = state
        .app
        .materials()
        .add_material_link(&api.principal, SessionId(id), &input.title, &input.url)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::CREATED,
        crate::views::material_json(&material),
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
    api: Api,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    // Authorise before reading a large body.
    state
        .app
        .events()
        .session_for_organiser(&api.principal, SessionId(id))
        .await
        .map_err(|e| api.err(e))?;
    let Ok(multipart) = multipart else {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "multipart_required",
            api.lang,
            None,
        ));
    };
    let upload = read_upload(multipart, state.app.config.max_upload_bytes)
        .await
        .map_err(|e| api.err(e))?;
    let material = state
        .app
        .materials()
        .add_material_file(
            &api.principal,
            SessionId(id),
            &upload.title,
            &upload.filename,
            &upload.bytes,
        )
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::CREATED,
        crate::views::material_json(&material),
    ))
}

pub async fn delete_material(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    state
        .app
        .materials()
        .delete_material(&api.principal, MaterialId(id))
        .await
        .map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn departments(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let list = state
        .app
        .departments()
        .departments(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, json!({ "departments": list })))
}

pub async fn create_department(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, ApiError> {
    let dept = state
        .app
        .departments()
        .create_department(&api.principal, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, dept))
}

pub async fn update_department(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, ApiError> {
    let dept = state
        .app
        .departments()
        .update_department(&api.principal, DepartmentId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, dept))
}

pub async fn outbox(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let emails = state
        .app
        .outbox()
        .outbox(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::OK,
        json!({ "smtp": state.app.outbox().smtp_configured(), "emails": emails }),
    ))
}
