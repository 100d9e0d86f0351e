//! The broadcast in the API: the stream check, heartbeats, attendance, chapters and
//! captions.

use super::wire::{
    Attendance, CaptionInfo, Captions, HeartbeatInput, HeartbeatReceipt, SourceInput, StreamCheck,
};
use crate::AppState;
use crate::api::{ApiJson, Language, Problem, Slug, no_content, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use roadshow_app::AppError;
use roadshow_domain::Lang;

/// Checks a stream before going live (organiser): the source in the body, or the
/// event's own when there is none. For `hls` the master playlist is fetched (http(s)
/// only, at most 1 MiB, 8 s, never from this machine or a private network) and read:
/// its audio languages, subtitles and variants, and what would keep a viewer from their
/// language, in the caller's language.
#[utoipa::path(post, path = "/api/v1/events/{slug}/stream/check", operation_id = "check_stream", tag = "broadcast",
    security(("bearer" = [])), params(("slug" = String, Path)),
    request_body(content = Option<SourceInput>, description = "A source to check; none checks the event's own stream"),
    responses((status = 200, body = StreamCheck),
        (status = 422, description = "The address is refused or could not be read (`private_address`, `fetch_timeout`, `playlist_too_large`…)", body = Problem, content_type = "application/problem+json")))]
pub async fn check(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    body: Bytes,
) -> Result<Response, Error> {
    state.app.broadcast().may_check_stream(&ctx.principal)?;
    let source = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let value: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| AppError::invalid("body", "invalid_json"))?;
        if !value.is_object() {
            return Err(AppError::invalid("body", "json_object_required").into());
        }
        let input: SourceInput = serde_path_to_error::deserialize(value).map_err(|e| {
            AppError::Invalid(crate::api::wrong_field(e.path(), &e.inner().to_string()))
        })?;
        Some(roadshow_domain::broadcast::SourceInput::from(input))
    };
    let result = state
        .app
        .broadcast()
        .check_stream(&ctx.principal, &slug, source.as_ref())
        .await?;
    Ok(ok(StreamCheck::of(&result, ctx.lang)))
}

/// A participant's player is playing (the participant's token). Sent every 60 s while
/// the picture plays in a visible tab, and once when it is hidden; the server keeps its
/// own time. A live heartbeat while the event is not live, or one sooner than a player
/// sends them, is ignored and counted (`accepted: false`).
#[utoipa::path(post, path = "/api/v1/events/{slug}/heartbeats", operation_id = "send_heartbeat", tag = "broadcast",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = HeartbeatInput,
    responses((status = 202, description = "Taken (or ignored: see `outcome`)", body = HeartbeatReceipt)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<HeartbeatInput>,
) -> Result<Response, Error> {
    let outcome = state
        .app
        .broadcast()
        .heartbeat(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(receipt(outcome))
}

pub(crate) fn receipt(outcome: roadshow_app::broadcast::BeatOutcome) -> Response {
    let body = HeartbeatReceipt {
        accepted: outcome == roadshow_app::broadcast::BeatOutcome::Accepted,
        outcome: outcome.code().to_string(),
    };
    (axum::http::StatusCode::ACCEPTED, axum::Json(body)).into_response()
}

/// The event's attendance measured from the players (organisers and investment officers;
/// an official sees their department's sessions).
#[utoipa::path(get, path = "/api/v1/events/{slug}/attendance", operation_id = "show_attendance", tag = "broadcast",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Attendance)))]
pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let view = state
        .app
        .broadcast()
        .attendance(&ctx.principal, &slug)
        .await?;
    Ok(ok(Attendance::from(&view)))
}

fn text(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The recording's chapters as WebVTT (`kind="chapters"`): each agenda session that
/// falls in the recording, shifted by the time the recording really started, titled in
/// the caller's language.
#[utoipa::path(get, path = "/api/v1/events/{slug}/chapters.vtt", operation_id = "chapters_vtt", tag = "broadcast",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, description = "WebVTT chapters", content_type = "text/vtt", body = String)))]
pub async fn chapters_vtt(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let (_, chapters, _) = state
        .app
        .broadcast()
        .replay(&ctx.principal, &slug, ctx.lang)
        .await?;
    Ok(text(
        "text/vtt; charset=utf-8",
        roadshow_domain::broadcast::chapters::to_vtt(&chapters),
    ))
}

/// The chapters as lines for a video description (`0:00 Title`), as YouTube takes them;
/// what YouTube would refuse (fewer than three, one shorter than 10 s) is said in the
/// `Warning` header.
#[utoipa::path(get, path = "/api/v1/events/{slug}/chapters.txt", operation_id = "chapters_text", tag = "broadcast",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, description = "One chapter a line", content_type = "text/plain", body = String,
        headers(("Roadshow-Chapter-Warnings" = String, description = "Comma-separated: `too_few_chapters`, `chapter_too_short`, `no_chapters`")))))]
pub async fn chapters_text(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let (_, chapters, warnings) = state
        .app
        .broadcast()
        .replay(&ctx.principal, &slug, ctx.lang)
        .await?;
    let mut response = text(
        "text/plain; charset=utf-8",
        roadshow_domain::broadcast::chapters::to_text(&chapters),
    );
    if !warnings.is_empty() {
        let codes: Vec<&str> = warnings.iter().map(|w| w.code()).collect();
        if let Ok(v) = HeaderValue::from_str(&codes.join(", ")) {
            response
                .headers_mut()
                .insert("roadshow-chapter-warnings", v);
        }
    }
    Ok(response)
}

/// The recording's captions: the languages uploaded.
#[utoipa::path(get, path = "/api/v1/events/{slug}/captions", operation_id = "list_captions", tag = "broadcast",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Captions)))]
pub async fn captions(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let list = state
        .app
        .broadcast()
        .captions(&ctx.principal, &slug)
        .await?;
    Ok(ok(Captions {
        captions: list
            .iter()
            .map(|c| CaptionInfo {
                language: c.language.into(),
                updated_at: c.updated_at,
                href: format!("/api/v1/events/{slug}/captions/{}", c.language.code()),
            })
            .collect(),
    }))
}

fn language(code: &str) -> Result<Lang, Error> {
    code.parse::<Lang>()
        .map_err(|_| Error(AppError::invalid("language", "unknown_language")))
}

/// The captions of one language, as WebVTT.
#[utoipa::path(get, path = "/api/v1/events/{slug}/captions/{language}", operation_id = "show_captions", tag = "broadcast",
    security((), ("bearer" = [])), params(("slug" = String, Path), ("language" = Language, Path)),
    responses((status = 200, description = "WebVTT", content_type = "text/vtt", body = String),
        (status = 422, description = "Not one of de, en, zh, fr (`language`)", body = Problem, content_type = "application/problem+json")))]
pub async fn caption(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response, Error> {
    let lang = language(&code)?;
    let list = state
        .app
        .broadcast()
        .captions(&ctx.principal, &slug)
        .await?;
    let c = list
        .into_iter()
        .find(|c| c.language == lang)
        .ok_or(Error(AppError::NotFound))?;
    Ok(text("text/vtt; charset=utf-8", c.vtt))
}

/// Uploads (or replaces) the captions of one language (organiser): a WebVTT file, read
/// by a WebVTT parser; an error names the line.
#[utoipa::path(put, path = "/api/v1/events/{slug}/captions/{language}", operation_id = "upload_captions", tag = "broadcast",
    security(("bearer" = [])), params(("slug" = String, Path), ("language" = Language, Path)),
    request_body(content = String, content_type = "text/vtt", description = "A WebVTT file, at most 2 MiB"),
    responses((status = 200, body = CaptionInfo),
        (status = 422, description = "Not WebVTT (the error names the line), or not one of de, en, zh, fr", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_caption(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Error> {
    let text =
        std::str::from_utf8(&body).map_err(|_| AppError::invalid("vtt", "invalid_webvtt"))?;
    let c = state
        .app
        .broadcast()
        .set_caption(&ctx.principal, &slug, &code, text)
        .await?;
    Ok(ok(CaptionInfo {
        language: c.language.into(),
        updated_at: c.updated_at,
        href: format!("/api/v1/events/{slug}/captions/{}", c.language.code()),
    }))
}

/// Removes the captions of one language (organiser).
#[utoipa::path(delete, path = "/api/v1/events/{slug}/captions/{language}", operation_id = "delete_captions", tag = "broadcast",
    security(("bearer" = [])), params(("slug" = String, Path), ("language" = Language, Path)),
    responses((status = 204, description = "Removed"),
        (status = 422, description = "Not one of de, en, zh, fr (`language`)", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_caption(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response, Error> {
    let lang = language(&code)?;
    state
        .app
        .broadcast()
        .delete_caption(&ctx.principal, &slug, lang)
        .await?;
    Ok(no_content())
}
