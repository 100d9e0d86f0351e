//! The directory in the API: search and eligibility (open to everyone), import, export,
//! archive, delete, versions and the glossary (organisers).

use super::explain::{field_label, rule, sentence, threshold_text};
use super::wire::*;
use super::{SearchQuery, hit_url};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, no_content, ok};
use crate::caller::Ctx;
use crate::error::{Error, problem};
use crate::views::csv_response;
use axum::body::Bytes;
use axum::extract::FromRequest;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::directory::{Match, PAGE_SIZE};
use roadshow_domain::Lang;
use roadshow_domain::directory::eligibility::Status;
use roadshow_domain::directory::file::{FileFormat, csv_rows};
use roadshow_domain::directory::search::{Kind, Results};
use roadshow_domain::directory::versions::changed_fields;
use roadshow_domain::ids::PolicyId;

/// Search results on the wire: hits with their page's URL, facets with counts.
pub fn results(r: &Results, page: usize) -> SearchResults {
    SearchResults {
        total: r.total,
        page,
        page_size: PAGE_SIZE,
        hits: r
            .hits
            .iter()
            .map(|h| Hit {
                kind: h.kind.into(),
                id: h.id,
                slug: h.slug.clone(),
                title: h.title.clone(),
                title_lang: h.title_lang.into(),
                snippet: h.snippet.clone(),
                snippet_lang: h.snippet_lang.into(),
                fallback: h.fallback,
                score: h.score,
                url: hit_url(h.kind, &h.slug),
                expired: h.expired,
                successor: h.successor,
                district: h.district.clone(),
                sectors: h.sectors.clone(),
                benefits: h.benefits.clone(),
            })
            .collect(),
        facets: Facets {
            district: r.facets.district.clone(),
            sector: r.facets.sector.clone(),
            benefit: r.facets.benefit.clone(),
            kind: r.facets.kind.clone(),
        },
    }
}

/// Search policies, parks and success stories in four languages and across them.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "search", tag = "directory",
    params(SearchQuery),
    responses((status = 200, body = SearchResults),
        (status = 400, description = "A parameter that cannot be used, named in `errors`", body = Problem, content_type = "application/problem+json")))]
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
        Ok((r, page)) => Ok(ok(results(&r, page))),
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

/// One policy's answer, explained in `lang`.
pub fn eligibility_of(lang: Lang, m: &Match) -> Eligibility {
    let of = |c: &roadshow_domain::directory::eligibility::Check| m.policy.criteria.get(c.index);
    let criteria = m
        .assessment
        .checks
        .iter()
        .filter_map(|c| {
            let k = of(c)?;
            Some(CheckedCriterion {
                field: k.field.into(),
                field_label: field_label(lang, k.field),
                op: k.op.into(),
                value: (&k.value).into(),
                value_label: threshold_text(lang, k.field, &k.value),
                rule: rule(lang, k),
                met: c.met,
                actual: c.actual.as_deref().map(str::to_string),
                gap: c.gap.filter(|g| g.is_finite()),
                explanation: sentence(lang, k, c),
            })
        })
        .collect();
    let failing = m
        .assessment
        .failing()
        .filter_map(|c| Some(sentence(lang, of(c)?, c)))
        .collect();
    Eligibility {
        policy: PolicyLink {
            id: m.policy.id.0,
            slug: m.policy.slug.clone(),
            title: m.policy.title.get(lang).to_string(),
            url: hit_url(Kind::Policy, &m.policy.slug),
        },
        status: match m.assessment.status {
            Status::Eligible => Fit::Eligible,
            Status::NearlyEligible => Fit::NearlyEligible,
            Status::NotEligible => Fit::NotEligible,
        },
        fit: (m.assessment.fit * 1000.0).round() / 1000.0,
        failing,
        criteria,
        parks: m
            .parks
            .iter()
            .map(|p| ParkLink {
                slug: p.slug.clone(),
                name: p.name.get(lang).to_string(),
                url: hit_url(Kind::Park, &p.slug),
            })
            .collect(),
    }
}

/// Which current policies fit a company's profile, each criterion explained (nothing
/// entered is stored).
#[utoipa::path(post, path = "/api/v1/eligibility", operation_id = "eligibility", tag = "directory",
    request_body = Profile, responses((status = 200, body = EligibilityResults)))]
pub async fn eligibility(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(profile): ApiJson<Profile>,
) -> Result<Response, Error> {
    let profile = roadshow_domain::directory::Profile::from(profile);
    let lang = profile
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(ctx.lang);
    let matches = state.app.directory().eligibility(&profile).await?;
    let count = |s: Status| matches.iter().filter(|m| m.assessment.status == s).count();
    Ok(ok(EligibilityResults {
        language: lang.into(),
        counts: FitCounts {
            eligible: count(Status::Eligible),
            nearly_eligible: count(Status::NearlyEligible),
            not_eligible: count(Status::NotEligible),
        },
        results: matches.iter().map(|m| eligibility_of(lang, m)).collect(),
    }))
}

/// Import policies, parks and stories (organiser): JSON in the directory's format or
/// CSV with one policy a row; all or nothing, every error listed (`items[3].slug`).
#[utoipa::path(post, path = "/api/v1/directory/import", operation_id = "import_directory", tag = "directory",
    security(("bearer" = [])),
    request_body(content((ImportBody = "application/json"), (String = "text/csv"))),
    responses((status = 200, body = ImportOutcome),
        (status = 415, description = "Neither JSON nor CSV", body = Problem, content_type = "application/problem+json")))]
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Result<Response, Error> {
    // Who may not import learns that before the file is read at all.
    state.app.directory().may_change(&ctx.principal)?;
    let body = match Bytes::from_request(request, &state).await {
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
    let format = if kind.starts_with("text/csv") {
        FileFormat::Csv
    } else if kind.starts_with("application/json") {
        FileFormat::Json
    } else {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_or_csv_required",
            ctx.lang,
            None,
        ));
    };
    let outcome = state
        .app
        .directory()
        .import_file(&ctx.principal, &body, format)
        .await?;
    Ok(ok(ImportOutcome {
        created: outcome.created,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
    }))
}

/// Export the agency's directory (organiser): JSON, or CSV with one policy a row.
#[utoipa::path(get, path = "/api/v1/directory/export", operation_id = "export_directory", tag = "directory",
    security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The directory", content((DirectoryFile = "application/json"), (String = "text/csv"))),
        (status = 422, description = "An unknown format", body = Problem, content_type = "application/problem+json")))]
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
        None | Some("json") => Ok(ok(DirectoryFile::from(&file))),
        Some(_) => Err(Error(AppError::invalid("format", "unknown_choice"))),
    }
}

/// The kind of item a path names.
pub fn kind_of(text: &str) -> Result<Kind, Error> {
    match text {
        "policies" | "policy" => Ok(Kind::Policy),
        "parks" | "park" => Ok(Kind::Park),
        "stories" | "story" => Ok(Kind::Story),
        _ => Err(Error(AppError::NotFound)),
    }
}

/// The `{kind}` of a directory path, read as [`kind_of`] does, for pages and API alike;
/// a kind it does not know names nothing (404).
pub struct ItemKind(pub Kind);

impl axum::extract::FromRequestParts<AppState> for ItemKind {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Error> {
        let params = crate::api::path_params(parts, state).await;
        let kind = params.get("kind").ok_or(Error(AppError::NotFound))?;
        kind_of(kind).map(ItemKind)
    }
}

/// Archive an item, or restore it (organiser): archived items are kept but no longer
/// shown, searched or matched.
#[utoipa::path(post, path = "/api/v1/directory/{kind}/{id}/archive", operation_id = "archive_item", tag = "directory",
    security(("bearer" = [])),
    params(("kind" = String, Path, pattern = "^(policies|parks|stories)$"), ("id" = i64, Path, minimum = 1)),
    request_body = ArchiveInput, responses((status = 200, body = Archived)))]
pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    ItemKind(kind): ItemKind,
    Id(id): Id<i64>,
    ApiJson(input): ApiJson<ArchiveInput>,
) -> Result<Response, Error> {
    state
        .app
        .directory()
        .archive(&ctx.principal, kind, id, input.archived)
        .await?;
    Ok(ok(Archived {
        kind: kind.into(),
        id,
        archived: input.archived,
    }))
}

/// Delete an item and every link to it (organiser).
#[utoipa::path(delete, path = "/api/v1/directory/{kind}/{id}", operation_id = "delete_item", tag = "directory",
    security(("bearer" = [])),
    params(("kind" = String, Path, pattern = "^(policies|parks|stories)$"), ("id" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Deleted")))]
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    ItemKind(kind): ItemKind,
    Id(id): Id<i64>,
) -> Result<Response, Error> {
    state
        .app
        .directory()
        .delete(&ctx.principal, kind, id)
        .await?;
    Ok(no_content())
}

/// Versions newest first, each with the fields it changed against the one before.
pub fn versions_of(
    versions: &[roadshow_domain::directory::versions::PolicyVersion],
) -> Vec<PolicyVersion> {
    versions
        .iter()
        .enumerate()
        .map(|(i, v)| PolicyVersion {
            version: v.version,
            changed_at: chrono::DateTime::from_timestamp(v.changed_at, 0).map(|t| t.to_rfc3339()),
            changed_by: v.changed_by_email.clone(),
            changed: match versions.get(i + 1) {
                Some(before) => changed_fields(&before.policy, &v.policy)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                None => Vec::new(),
            },
            policy: Policy::from(&v.policy),
        })
        .collect()
}

/// Every version of a policy, newest first (organiser of its agency).
#[utoipa::path(get, path = "/api/v1/policies/{id}/versions", operation_id = "policy_versions", tag = "directory",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = PolicyVersions)))]
pub async fn versions(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PolicyId>,
) -> Result<Response, Error> {
    let (policy, versions) = state.app.directory().versions(&ctx.principal, id).await?;
    Ok(ok(PolicyVersions {
        policy: VersionedPolicy {
            id: policy.id.0,
            slug: policy.slug.clone(),
            version: policy.version,
        },
        versions: versions_of(&versions),
    }))
}

/// The glossary Roadshow ships, and the agency's own words (organiser).
#[utoipa::path(get, path = "/api/v1/glossary", operation_id = "glossary", tag = "directory",
    security(("bearer" = [])), responses((status = 200, body = Glossary)))]
pub async fn glossary(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let (concepts, own) = state.app.directory().glossary(&ctx.principal).await?;
    Ok(ok(Glossary {
        concepts: concepts
            .iter()
            .map(|c| Concept {
                key: c.key.clone(),
                terms: c
                    .terms
                    .iter()
                    .map(|(l, t)| ConceptTerm {
                        lang: (*l).into(),
                        term: t.clone(),
                    })
                    .collect(),
            })
            .collect(),
        terms: own.iter().map(GlossaryTerm::from).collect(),
    }))
}

/// Add a word to a concept of the agency's search (organiser).
#[utoipa::path(post, path = "/api/v1/glossary", operation_id = "add_glossary_term", tag = "directory",
    security(("bearer" = [])), request_body = TermInput,
    responses((status = 201, description = "Added", body = GlossaryTerm)))]
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
    Ok(created(GlossaryTerm::from(&term), None))
}

/// Remove a word the agency added (organiser).
#[utoipa::path(delete, path = "/api/v1/glossary/{id}", operation_id = "delete_glossary_term", tag = "directory",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Removed")))]
pub async fn delete_term(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<i64>,
) -> Result<Response, Error> {
    state
        .app
        .directory()
        .delete_term(&ctx.principal, id)
        .await?;
    Ok(no_content())
}
