//! The organisers' directory page: import a file (all or nothing, every error listed),
//! export, the glossary; archiving and deleting items; a policy's versions.

use super::api::ItemKind;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData};
use crate::pages::{Id, render, render_status, see_other};
use crate::views::{LText, TimeView, csv_response, loc, time_view};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_domain::Lang;
use roadshow_domain::directory::file::{FileFormat, csv_rows};
use roadshow_domain::directory::versions::{GlossaryTerm, ImportOutcome, changed_fields};
use roadshow_domain::ids::PolicyId;

pub struct ConceptView {
    pub key: String,
    pub terms: Vec<(Lang, String)>,
}

#[derive(Template)]
#[template(path = "admin/directory.html")]
struct DirectoryAdmin<'a> {
    ctx: &'a Ctx,
    outcome: Option<ImportOutcome>,
    errors: Vec<(String, String)>,
    concepts: Vec<ConceptView>,
    own: Vec<GlossaryTerm>,
    languages: Vec<Choice>,
    term_errors: Vec<(String, String)>,
}

async fn admin_page(
    state: &AppState,
    ctx: &Ctx,
    outcome: Option<ImportOutcome>,
    errors: Vec<(String, String)>,
    term_errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, Error> {
    let (concepts, own) = state.app.directory().glossary(&ctx.principal).await?;
    Ok(render_status(
        status,
        &DirectoryAdmin {
            outcome,
            errors,
            concepts: concepts
                .into_iter()
                .map(|c| ConceptView {
                    key: c.key,
                    terms: c.terms,
                })
                .collect(),
            own,
            languages: Lang::ALL
                .iter()
                .map(|l| Choice {
                    value: l.code().to_string(),
                    label: l.endonym().to_string(),
                })
                .collect(),
            term_errors,
            ctx,
        },
    ))
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    admin_page(&state, &ctx, None, Vec::new(), Vec::new(), StatusCode::OK).await
}

/// A file upload from the page: JSON, or CSV by its name.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Error> {
    state.app.directory().may_change(&ctx.principal)?;
    let multipart = multipart.map_err(|_| Error(AppError::invalid("file", "malformed_upload")))?;
    let upload = crate::upload::read_upload(multipart, state.app.config.max_upload_bytes).await?;
    crate::forms::check_csrf(&ctx, &FormData(upload.fields.clone()))?;
    if upload.bytes.is_empty() {
        let errors = crate::views::field_errors(
            &ctx,
            &roadshow_domain::Invalid::field("file", "required").0,
        );
        return admin_page(
            &state,
            &ctx,
            None,
            errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let format = if upload.filename.to_ascii_lowercase().ends_with(".csv") {
        FileFormat::Csv
    } else {
        FileFormat::Json
    };
    let result = state
        .app
        .directory()
        .import_file(&ctx.principal, &upload.bytes, format)
        .await;
    match result {
        Ok(outcome) => {
            admin_page(
                &state,
                &ctx,
                Some(outcome),
                Vec::new(),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Invalid(fields)) => {
            let errors = crate::views::field_errors(&ctx, &fields);
            admin_page(
                &state,
                &ctx,
                None,
                errors,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn export_json(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let file = state.app.directory().export(&ctx.principal).await?;
    let body = serde_json::to_string_pretty(&file).map_err(|e| AppError::Internal(Box::new(e)))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    headers.insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"directory.json\""),
    );
    Ok(response)
}

pub async fn export_csv(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let file = state.app.directory().export(&ctx.principal).await?;
    let body = csv_rows::write(&file).map_err(|e| AppError::Internal(e.into()))?;
    Ok(csv_response("directory.csv", format!("\u{feff}{body}")))
}

pub async fn add_term(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let lang = data.get("lang").and_then(|l| l.parse().ok());
    match state
        .app
        .directory()
        .add_term(
            &ctx.principal,
            &data.value("concept"),
            lang,
            &data.value("term"),
        )
        .await
    {
        Ok(_) => Ok(see_other("/admin/directory#glossary")),
        Err(AppError::Invalid(fields)) => {
            let errors = crate::views::field_errors(&ctx, &fields);
            admin_page(
                &state,
                &ctx,
                None,
                Vec::new(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn delete_term(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(_): Form,
) -> Result<Response, Error> {
    state
        .app
        .directory()
        .delete_term(&ctx.principal, id)
        .await?;
    Ok(see_other("/admin/directory#glossary"))
}

fn list_of(kind: roadshow_domain::directory::search::Kind) -> &'static str {
    use roadshow_domain::directory::search::Kind;
    match kind {
        Kind::Policy => "/admin/policies",
        Kind::Park => "/admin/parks",
        Kind::Story => "/admin/stories",
    }
}

pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    ItemKind(kind): ItemKind,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let archived = data.get("archived") != Some("false");
    state
        .app
        .directory()
        .archive(&ctx.principal, kind, id, archived)
        .await?;
    Ok(see_other(&format!(
        "{}/{id}#{}-form",
        list_of(kind),
        kind.code()
    )))
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    ItemKind(kind): ItemKind,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    state.app.directory().may_change(&ctx.principal)?;
    if data.get("confirm") != Some("yes") {
        return Err(Error(AppError::invalid("confirm", "required")));
    }
    state
        .app
        .directory()
        .delete(&ctx.principal, kind, id)
        .await?;
    Ok(see_other(list_of(kind)))
}

pub struct VersionView {
    pub version: i64,
    pub when: TimeView,
    pub by: String,
    pub changed: Vec<String>,
    pub title: LText,
    pub summary: LText,
    pub valid: String,
    pub criteria: usize,
}

#[derive(Template)]
#[template(path = "admin/versions.html")]
struct VersionsPage<'a> {
    ctx: &'a Ctx,
    id: i64,
    title: LText,
    versions: Vec<VersionView>,
}

pub async fn versions(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let (policy, versions) = state
        .app
        .directory()
        .versions(&ctx.principal, PolicyId(id))
        .await?;
    let views = versions
        .iter()
        .enumerate()
        .map(|(i, v)| VersionView {
            version: v.version,
            when: time_view(
                &ctx,
                chrono::DateTime::from_timestamp(v.changed_at, 0).unwrap_or_default(),
            ),
            by: v
                .changed_by_email
                .clone()
                .unwrap_or_else(|| ctx.t("directory-by-import")),
            changed: versions
                .get(i + 1)
                .map(|before| changed_fields(&before.policy, &v.policy))
                .unwrap_or_default()
                .iter()
                .map(|f| ctx.t(&format!("version-field-{}", f.replace('_', "-"))))
                .collect(),
            title: loc(&ctx, &v.policy.title),
            summary: loc(&ctx, &v.policy.summary),
            valid: format!(
                "{} – {}",
                v.policy.valid_from.clone().unwrap_or_default(),
                v.policy.valid_until.clone().unwrap_or_default()
            ),
            criteria: v.policy.criteria.len(),
        })
        .collect();
    Ok(render(&VersionsPage {
        id,
        title: loc(&ctx, &policy.title),
        versions: views,
        ctx: &ctx,
    }))
}
