//! The directory in the API: search and eligibility (open to everyone), import, export,
//! archive, delete, versions and the glossary (organisers).

use super::explain::{field_label, rule, sentence, threshold_text};
use super::{SearchQuery, hit_url};
use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::{Error, problem};
use crate::views::csv_response;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_app::directory::{Match, PAGE_SIZE};
use roadshow_domain::Lang;
use roadshow_domain::directory::eligibility::{Profile, Status};
use roadshow_domain::directory::file::{self, Record, csv_rows};
use roadshow_domain::directory::search::{Kind, Results};
use roadshow_domain::directory::versions::{PolicyVersion, changed_fields};
use roadshow_domain::ids::PolicyId;
use serde::Deserialize;
use serde_json::{Value, json};

/// Search results as JSON: hits with their page's URL, facets with counts.
pub fn results_json(r: &Results, page: usize) -> Value {
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            json!({
                "kind": h.kind.code(),
                "id": h.id,
                "slug": h.slug,
                "title": h.title,
                "title_lang": h.title_lang.code(),
                "snippet": h.snippet,
                "snippet_lang": h.snippet_lang.code(),
                "fallback": h.fallback,
                "score": h.score,
                "url": hit_url(h.kind, &h.slug),
                "expired": h.expired,
                "successor": h.successor,
                "district": h.district,
                "sectors": h.sectors,
                "benefits": h.benefits,
            })
        })
        .collect();
    json!({
        "total": r.total,
        "page": page,
        "page_size": PAGE_SIZE,
        "hits": hits,
        "facets": r.facets,
    })
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    // A query string that cannot be read at all is a clear 400, never a 5xx.
    let Ok(Query(q)) = q else {
        return Err(Error(AppError::Rejected {
            status: 400,
            code: "bad_request",
        }));
    };
    let outcome = match q.params(ctx.lang) {
        Ok(params) => {
            let page = params.page.unwrap_or(1);
            state
                .app
                .directory()
                .search(&params)
                .await
                .map(|r| (r, page))
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok((results, page)) => Ok(json(StatusCode::OK, results_json(&results, page))),
        // A search that cannot be run as asked is a bad request (400), its fields named.
        Err(e @ AppError::Invalid(_)) => Ok(crate::error::problem_with_status(
            &e,
            Some(StatusCode::BAD_REQUEST),
            ctx.lang,
            Some("/api/v1/search"),
        )),
        Err(e) => Err(Error(e)),
    }
}

/// One policy's answer as JSON, explained in `lang`.
pub fn match_json(lang: Lang, m: &Match) -> Value {
    let of = |c: &roadshow_domain::directory::eligibility::Check| m.policy.criteria.get(c.index);
    let criteria: Vec<Value> = m
        .assessment
        .checks
        .iter()
        .filter_map(|c| {
            let k = of(c)?;
            Some(json!({
                "field": k.field.code(),
                "field_label": field_label(lang, k.field),
                "op": k.op.code(),
                "value": k.value,
                "value_label": threshold_text(lang, k.field, &k.value),
                "rule": rule(lang, k),
                "met": c.met,
                "actual": c.actual.as_deref(),
                "gap": c.gap.filter(|g| g.is_finite()),
                "explanation": sentence(lang, k, c),
            }))
        })
        .collect();
    let failing: Vec<String> = m
        .assessment
        .failing()
        .filter_map(|c| Some(sentence(lang, of(c)?, c)))
        .collect();
    json!({
        "policy": {
            "id": m.policy.id,
            "slug": m.policy.slug,
            "title": m.policy.title.get(lang),
            "url": hit_url(Kind::Policy, &m.policy.slug),
        },
        "status": m.assessment.status.code(),
        "fit": (m.assessment.fit * 1000.0).round() / 1000.0,
        "failing": failing,
        "criteria": criteria,
        "parks": m.parks.iter().map(|p| json!({
            "slug": p.slug,
            "name": p.name.get(lang),
            "url": hit_url(Kind::Park, &p.slug),
        })).collect::<Vec<_>>(),
    })
}

pub async fn eligibility(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(profile): ApiJson<Profile>,
) -> Result<Response, Error> {
    let lang = profile
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(ctx.lang);
    let matches = state.app.directory().eligibility(&profile).await?;
    let count = |s: Status| matches.iter().filter(|m| m.assessment.status == s).count();
    Ok(json(
        StatusCode::OK,
        json!({
            "language": lang.code(),
            "counts": {
                "eligible": count(Status::Eligible),
                "nearly_eligible": count(Status::NearlyEligible),
                "not_eligible": count(Status::NotEligible),
            },
            "results": matches.iter().map(|m| match_json(lang, m)).collect::<Vec<_>>(),
        }),
    ))
}

/// The records of an uploaded file: JSON, or CSV by its content type or name.
pub fn read_file(bytes: &[u8], csv: bool) -> Result<Vec<Record>, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| AppError::invalid("file", "not_utf8"))?;
    if csv {
        return csv_rows::read(text).map_err(AppError::Invalid);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|_| AppError::invalid("file", "malformed_json"))?;
    file::read_json(&value).map_err(AppError::Invalid)
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Error> {
    // Who may not import learns that before the file is read for errors.
    super::organisers_only(&ctx)?;
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Ok(problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                ctx.lang,
                None,
            ));
        }
        Err(e) => return Ok(problem(e.status(), "bad_request", ctx.lang, None)),
    };
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let csv = kind.starts_with("text/csv");
    if !csv && !kind.starts_with("application/json") {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_or_csv_required",
            ctx.lang,
            None,
        ));
    }
    let records = read_file(&body, csv)?;
    let outcome = state
        .app
        .directory()
        .import(&ctx.principal, &records)
        .await?;
    Ok(json(StatusCode::OK, outcome))
}

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub format: Option<String>,
}

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Error> {
    let file = state.app.directory().export(&ctx.principal).await?;
    match q.format.as_deref() {
        Some("csv") => {
            let body = csv_rows::write(&file).map_err(|e| AppError::Internal(e.into()))?;
            Ok(csv_response("directory.csv", format!("\u{feff}{body}")))
        }
        None | Some("json") => Ok(json(StatusCode::OK, file)),
        Some(_) => Err(Error(AppError::invalid("format", "unknown_choice"))),
    }
}

pub fn kind_of(text: &str) -> Result<Kind, Error> {
    match text {
        "policies" | "policy" => Ok(Kind::Policy),
        "parks" | "park" => Ok(Kind::Park),
        "stories" | "story" => Ok(Kind::Story),
        _ => Err(Error(AppError::NotFound)),
    }
}

fn id_of(text: &str) -> Result<i64, Error> {
    text.parse::<i64>().map_err(|_| Error(AppError::NotFound))
}

#[derive(Debug, Deserialize)]
pub struct ArchiveInput {
    #[serde(default = "yes")]
    pub archived: bool,
}

fn yes() -> bool {
    true
}

pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ArchiveInput>,
) -> Result<Response, Error> {
    let (kind, id) = (kind_of(&kind)?, id_of(&id)?);
    state
        .app
        .directory()
        .archive(&ctx.principal, kind, id, input.archived)
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({"kind": kind.code(), "id": id, "archived": input.archived}),
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, Error> {
    let (kind, id) = (kind_of(&kind)?, id_of(&id)?);
    state
        .app
        .directory()
        .delete(&ctx.principal, kind, id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Versions newest first, each with the fields it changed against the one before.
pub fn versions_json(versions: &[PolicyVersion]) -> Vec<Value> {
    versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let changed: Vec<&str> = match versions.get(i + 1) {
                Some(before) => changed_fields(&before.policy, &v.policy),
                None => Vec::new(),
            };
            json!({
                "version": v.version,
                "changed_at": chrono::DateTime::from_timestamp(v.changed_at, 0).map(|t| t.to_rfc3339()),
                "changed_by": v.changed_by_email,
                "changed": changed,
                "policy": v.policy,
            })
        })
        .collect()
}

pub async fn versions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let (policy, versions) = state
        .app
        .directory()
        .versions(&ctx.principal, PolicyId(id_of(&id)?))
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({"policy": {"id": policy.id, "slug": policy.slug, "version": policy.version}, "versions": versions_json(&versions)}),
    ))
}

pub async fn glossary(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let (concepts, own) = state.app.directory().glossary(&ctx.principal).await?;
    let concepts: Vec<Value> = concepts
        .iter()
        .map(|c| json!({"key": c.key, "terms": c.terms.iter().map(|(l, t)| json!({"lang": l.code(), "term": t})).collect::<Vec<_>>()}))
        .collect();
    Ok(json(
        StatusCode::OK,
        json!({"concepts": concepts, "terms": own}),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct TermInput {
    #[serde(default)]
    pub concept: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub term: String,
}

pub async fn add_term(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<TermInput>,
) -> Result<Response, Error> {
    let term = state
        .app
        .directory()
        .add_term(
            &ctx.principal,
            &input.concept,
            input.lang.parse().ok(),
            &input.term,
        )
        .await?;
    Ok(json(StatusCode::CREATED, term))
}

pub async fn delete_term(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    state
        .app
        .directory()
        .delete_term(&ctx.principal, id_of(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
