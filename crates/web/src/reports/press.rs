//! The press-release draft in the API and on its page: read in any of the four languages,
//! edited and kept by the organiser, downloaded as Markdown or plain text.

use crate::AppState;
use crate::api::{ApiJson, Slug, no_content, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Form, FormState};
use crate::pages::{render_status, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::reports::PressDraft;
use roadshow_domain::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The press release in one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PressRelease {
    /// `de`, `en`, `zh` or `fr`.
    pub language: String,
    pub title: String,
    /// Paragraphs separated by a blank line.
    pub body: String,
    /// Whether this is the organiser's edit; otherwise the draft made from the figures.
    pub edited: bool,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<PressDraft> for PressRelease {
    fn from(d: PressDraft) -> Self {
        PressRelease {
            language: d.language.code().to_string(),
            title: d.title,
            body: d.body,
            edited: d.edited,
            updated_at: d.updated_at,
        }
    }
}

/// What an organiser saves.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PressReleaseInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Which language's press release or PDF.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `de`, `en`, `zh` or `fr`; the caller's language when left out.
    #[serde(default)]
    #[param(value_type = Option<crate::api::Language>)]
    pub lang: Option<String>,
}

/// The language asked for: the one given, else the caller's. An empty value is not a
/// language (leave the parameter out for the caller's).
pub(super) fn language(ctx: &Ctx, given: Option<&str>) -> Result<Lang, Error> {
    match given.map(str::trim) {
        None => Ok(ctx.lang),
        Some(code) => code
            .parse::<Lang>()
            .map_err(|_| AppError::invalid("lang", "unknown_choice").into()),
    }
}

/// The event's press release in a language: the organiser's edit, or the draft made from
/// the report's figures and the agenda (organisers and investment officers).
#[utoipa::path(get, path = "/api/v1/events/{slug}/press-release", operation_id = "show_press_release", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path), LangQuery),
    responses((status = 200, body = PressRelease)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(q): Query<LangQuery>,
) -> Result<Response, Error> {
    let lang = language(&ctx, q.lang.as_deref())?;
    let draft = state
        .app
        .reports()
        .press_release(&ctx.principal, &slug, lang)
        .await?;
    Ok(ok(PressRelease::from(draft)))
}

/// Keeps the organiser's edit of the press release in a language.
#[utoipa::path(put, path = "/api/v1/events/{slug}/press-release", operation_id = "save_press_release", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path), LangQuery),
    request_body = PressReleaseInput,
    responses((status = 200, body = PressRelease)))]
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(q): Query<LangQuery>,
    ApiJson(input): ApiJson<PressReleaseInput>,
) -> Result<Response, Error> {
    let lang = language(&ctx, q.lang.as_deref())?;
    let draft = state
        .app
        .reports()
        .save_press_release(&ctx.principal, &slug, lang, &input.title, &input.body)
        .await?;
    Ok(ok(PressRelease::from(draft)))
}

/// Forgets the organiser's edit: the language gets the draft from the figures again.
#[utoipa::path(delete, path = "/api/v1/events/{slug}/press-release", operation_id = "reset_press_release", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path), LangQuery),
    responses((status = 204, description = "The edit is gone")))]
pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(q): Query<LangQuery>,
) -> Result<Response, Error> {
    let lang = language(&ctx, q.lang.as_deref())?;
    state
        .app
        .reports()
        .reset_press_release(&ctx.principal, &slug, lang)
        .await?;
    Ok(no_content())
}

#[derive(Template)]
#[template(path = "admin/press_release.html")]
struct PressPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: String,
    language: String,
    languages: Vec<(String, String, bool)>,
    draft: PressRelease,
    form: FormState,
    saved: bool,
}

/// The draft's language on the page (`?language=`; the reader's by default).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub saved: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    lang: Lang,
    form: Option<FormState>,
    saved: bool,
) -> Result<Response, Error> {
    let draft = state
        .app
        .reports()
        .press_release(&ctx.principal, slug, lang)
        .await?;
    let status = if form.as_ref().is_some_and(|f| !f.errors.is_empty()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let template = PressPage {
        slug: slug.to_string(),
        title: draft.event_title.get(ctx.lang).to_string(),
        language: lang.code().to_string(),
        languages: Lang::ALL
            .iter()
            .map(|l| (l.code().to_string(), l.endonym().to_string(), *l == lang))
            .collect(),
        draft: PressRelease::from(draft),
        form: form.unwrap_or_default(),
        saved,
        ctx,
    };
    Ok(render_status(status, &template))
}

/// The press-release page: the draft in a language, to edit and download.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, Error> {
    let lang = language(&ctx, q.language.as_deref())?;
    page(&state, &ctx, &slug, lang, None, q.saved.is_some()).await
}

/// Saves the edit, or goes back to the draft from the figures (`action=reset`).
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let lang = language(&ctx, data.get("language"))?;
    let reports = state.app.reports();
    let result = if data.get("action") == Some("reset") {
        reports
            .reset_press_release(&ctx.principal, &slug, lang)
            .await
    } else {
        reports
            .save_press_release(
                &ctx.principal,
                &slug,
                lang,
                data.get("title").unwrap_or(""),
                data.get("body").unwrap_or(""),
            )
            .await
            .map(|_| ())
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/admin/events/{slug}/press-release?language={}&saved=1",
            lang.code()
        ))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            page(&state, &ctx, &slug, lang, Some(form), false).await
        }
    }
}

/// The press release as a file in the draft's language (`?language=`).
async fn download(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    q: &PageQuery,
    markdown: bool,
) -> Result<Response, Error> {
    let lang = language(ctx, q.language.as_deref())?;
    let draft = state
        .app
        .reports()
        .press_release(&ctx.principal, slug, lang)
        .await?;
    let (body, content_type, ext) = if markdown {
        (draft.markdown(), "text/markdown; charset=utf-8", "md")
    } else {
        (draft.text(), "text/plain; charset=utf-8", "txt")
    };
    Ok(crate::views::download(
        &format!("{slug}-press-release-{}.{ext}", lang.code()),
        content_type,
        body,
    ))
}

/// The press release as Markdown: the title as a heading, then the paragraphs.
pub async fn markdown(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, Error> {
    download(&state, &ctx, &slug, &q, true).await
}

/// The press release as plain text.
pub async fn text(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, Error> {
    download(&state, &ctx, &slug, &q, false).await
}
