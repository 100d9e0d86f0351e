//! The search page: one box over policies, parks and stories, facets to narrow it, pages
//! of hits. (Eligibility and the items' own pages are `eligibility.rs` and `items.rs`.)

use super::{SearchQuery, hit_url};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::pages::{encode_component, render_status};
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::directory::PAGE_SIZE;
use roadshow_domain::directory::search::{Kind, Results};
use std::collections::BTreeMap;

/// A link to narrow or widen the search by one facet value.
pub struct FacetItem {
    pub label: String,
    pub count: usize,
    pub selected: bool,
    pub url: String,
}

pub struct FacetGroup {
    pub legend: String,
    pub items: Vec<FacetItem>,
}

pub struct HitView {
    pub kind: String,
    pub title: String,
    pub title_lang: &'static str,
    pub url: String,
    /// Escaped text with `<mark>`s, made by the search index.
    pub snippet: String,
    pub snippet_lang: &'static str,
    pub fallback: bool,
    pub language_name: &'static str,
    pub expired: bool,
    pub successor: Option<(String, LText)>,
    pub district: String,
}

pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    q: String,
    kind: String,
    current_only: bool,
    filters: Vec<(String, String)>,
    searched: bool,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    pages: Vec<PageLink>,
    errors: Vec<(String, String)>,
}

/// The query string of a search with `key` set to `value` (or removed when empty), back
/// to page one.
fn with(params: &BTreeMap<&'static str, String>, key: &'static str, value: &str) -> String {
    let mut p = params.clone();
    p.remove("page");
    if value.is_empty() {
        p.remove(key);
    } else {
        p.insert(key, value.to_string());
    }
    let query: Vec<String> = p
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    format!("/directory?{}", query.join("&"))
}

pub(super) fn district_names(state: &AppState, ctx: &Ctx) -> BTreeMap<String, String> {
    state
        .app
        .directory()
        .districts()
        .into_iter()
        .map(|(k, names)| (k, loc(ctx, &names).text))
        .collect()
}

fn facet_groups(
    state: &AppState,
    ctx: &Ctx,
    r: &Results,
    params: &BTreeMap<&'static str, String>,
) -> Vec<FacetGroup> {
    let districts = district_names(state, ctx);
    let group = |legend: &str,
                 key: &'static str,
                 counts: &BTreeMap<String, usize>,
                 label: &dyn Fn(&str) -> String| {
        let chosen = params.get(key).cloned().unwrap_or_default();
        let mut items: Vec<FacetItem> = counts
            .iter()
            .map(|(value, count)| {
                let selected = chosen.eq_ignore_ascii_case(value);
                FacetItem {
                    label: label(value),
                    count: *count,
                    selected,
                    url: with(params, key, if selected { "" } else { value }),
                }
            })
            .collect();
        items.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        FacetGroup {
            legend: ctx.t(legend),
            items,
        }
    };
    vec![
        group("directory-facet-kind", "kind", &r.facets.kind, &|v| {
            ctx.t(&format!("directory-kind-{v}"))
        }),
        group(
            "directory-facet-district",
            "district",
            &r.facets.district,
            &|v| districts.get(v).cloned().unwrap_or_else(|| v.to_string()),
        ),
        group("directory-facet-sector", "sector", &r.facets.sector, &|v| {
            industry_label(ctx, v)
        }),
        group(
            "directory-facet-benefit",
            "benefit",
            &r.facets.benefit,
            &|v| ctx.t(&format!("benefit-{v}")),
        ),
    ]
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
    let mut params: BTreeMap<&'static str, String> = BTreeMap::new();
    for (k, v) in [
        ("q", &q.q),
        ("kind", &q.kind),
        ("district", &q.district),
        ("sector", &q.sector),
        ("benefit", &q.benefit),
        ("valid_on", &q.valid_on),
        ("page", &q.page),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            params.insert(k, v.to_string());
        }
    }
    let outcome = match q.params(ctx.lang) {
        Ok(p) => {
            let page = p.page.unwrap_or(1);
            state.app.directory().search(&p).await.map(|r| (r, page))
        }
        Err(e) => Err(e),
    };
    let (results, page, errors, status) = match outcome {
        Ok((r, page)) => (r, page, Vec::new(), StatusCode::OK),
        Err(AppError::Invalid(fields)) => {
            let errors = crate::views::field_errors(&ctx, &fields);
            (Results::default(), 1, errors, StatusCode::BAD_REQUEST)
        }
        Err(e) => return Err(Error(e)),
    };
    let districts = district_names(&state, &ctx);
    let hits = results
        .hits
        .iter()
        .map(|h| {
            let successor = if h.expired {
                h.successor
                    .and_then(|id| state.app.directory().known_policy(id))
                    .map(|p| (hit_url(Kind::Policy, &p.slug), loc(&ctx, &p.title)))
            } else {
                None
            };
            HitView {
                kind: ctx.t(&format!("directory-kind-{}", h.kind.code())),
                title: h.title.clone(),
                title_lang: h.title_lang.code(),
                url: hit_url(h.kind, &h.slug),
                snippet: h.snippet.clone(),
                snippet_lang: h.snippet_lang.code(),
                fallback: h.fallback,
                language_name: h.snippet_lang.endonym(),
                expired: h.expired,
                successor,
                district: h
                    .district
                    .as_ref()
                    .map(|d| districts.get(d).cloned().unwrap_or_else(|| d.clone()))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let page_count = results
        .total
        .div_ceil(PAGE_SIZE)
        .min(roadshow_app::directory::PAGES_MAX);
    let pages = if page_count > 1 {
        (1..=page_count)
            .filter(|n| *n <= 3 || n.abs_diff(page) <= 2 || *n == page_count)
            .map(|n| {
                let mut p = params.clone();
                p.insert("page", n.to_string());
                let query: Vec<String> = p
                    .iter()
                    .map(|(k, v)| format!("{k}={}", encode_component(v)))
                    .collect();
                PageLink {
                    number: n,
                    url: format!("/directory?{}", query.join("&")),
                    current: n == page,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let facets = facet_groups(&state, &ctx, &results, &params);
    let filters = ["district", "sector", "benefit"]
        .iter()
        .filter_map(|k| params.get(k).map(|v| (k.to_string(), v.clone())))
        .collect();
    Ok(render_status(
        status,
        &SearchPage {
            q: params.get("q").cloned().unwrap_or_default(),
            kind: params.get("kind").cloned().unwrap_or_default(),
            current_only: params.contains_key("valid_on"),
            filters,
            searched: !params.is_empty(),
            total: results.total,
            hits,
            facets,
            pages,
            errors,
            ctx: &ctx,
        },
    ))
}

/// Today in Beijing as `YYYY-MM-DD` (the "current only" filter).
pub fn today_text() -> String {
    roadshow_app::today_in_beijing().to_string()
}
