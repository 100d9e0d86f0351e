//! Materials on pages: the organiser's upload and link form, and downloads.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::events::sessions::session_page;
use crate::forms::{Form, FormData, FormState, form_errors};
use crate::pages::{Id, encode_component, render_status, see_other};
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::FieldError;
use roadshow_domain::ids::*;

/// A material form: an upload (`file`) or a link (`url`), with a title.
pub async fn add_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Error> {
    // Only an organiser of the event's agency gets to send a large body.
    state
        .app
        .events()
        .session_for_organiser(&ctx.principal, SessionId(id))
        .await?;
    let multipart = multipart.map_err(|_| Error(AppError::invalid("file", "malformed_upload")))?;
    let upload =
        match crate::upload::read_upload(multipart, state.app.config.max_upload_bytes).await {
            Ok(u) => u,
            Err(AppError::TooLarge { limit }) => {
                let form = FormState {
                    errors: vec![(
                        "file".into(),
                        crate::error::field_message(
                            ctx.lang,
                            &FieldError::limited("file", "file_too_large", limit / (1024 * 1024)),
                        ),
                    )],
                    ..FormState::default()
                };
                let page = session_page(
                    &state,
                    &ctx,
                    SessionId(id),
                    None,
                    FormState::default(),
                    form,
                )
                .await?;
                return Ok(render_status(StatusCode::PAYLOAD_TOO_LARGE, &page));
            }
            Err(e) => return Err(Error::from(e)),
        };
    let fields = FormData(upload.fields.clone());
    crate::forms::check_csrf(&ctx, &fields)?;
    let url = fields.get("url").unwrap_or("").trim().to_string();
    let result = if upload.bytes.is_empty() && !url.is_empty() {
        state
            .app
            .materials()
            .add_material_link(&ctx.principal, SessionId(id), &upload.title, &url)
            .await
    } else {
        state
            .app
            .materials()
            .add_material_file(
                &ctx.principal,
                SessionId(id),
                &upload.title,
                &upload.filename,
                &upload.bytes,
            )
            .await
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/sessions/{id}#materials"))),
        Err(e) => {
            let errors = form_errors(e)?;
            let mut form = FormState::default();
            form.set("title", upload.title.clone());
            form.set("url", url);
            let form = form.with_errors(&ctx, &errors);
            let page = session_page(
                &state,
                &ctx,
                SessionId(id),
                None,
                FormState::default(),
                form,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

pub async fn delete_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let session = data.number("session")?;
    let event = state
        .app
        .materials()
        .delete_material(&ctx.principal, MaterialId(id))
        .await?;
    Ok(see_other(&match session {
        Some(s) => format!("/admin/sessions/{s}#materials"),
        None => format!("/admin/events/{}", event.slug),
    }))
}

pub async fn material(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let (material, bytes) = state
        .app
        .materials()
        .material_file(&ctx.principal, MaterialId(id))
        .await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let content_type = material
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let filename = material
        .filename
        .unwrap_or_else(|| format!("material-{id}"));
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encode_component(&filename).replace('/', "%2F")
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(response)
}
