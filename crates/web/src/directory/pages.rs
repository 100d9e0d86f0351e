//! The public directory pages: search with facets, eligibility with its explanations, a
//! policy, a park, the parks and their comparison, a success story.

use super::explain::{field_label, sentence};
use super::{SearchQuery, hit_url};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Choice;
use crate::pages::{encode_component, render, render_status};
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::directory::{Match, PAGE_SIZE, ParkPage, PolicyPage};
use roadshow_domain::catalogue::{Park, SuccessStory};
use roadshow_domain::directory::eligibility::{Field, Profile, Status};
use roadshow_domain::directory::search::{Kind, Results};
use roadshow_domain::reference::{BENEFIT_TYPES, INDUSTRIES};
use roadshow_domain::text::markdown_to_safe_html;
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

fn district_names(state: &AppState, ctx: &Ctx) -> BTreeMap<String, String> {
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
            let districts = district_names(&state, &ctx);
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

// ---------------------------------------------------------------- eligibility

pub struct CheckView {
    pub met: bool,
    pub text: String,
}

pub struct MatchView {
    pub title: LText,
    pub url: String,
    pub status: &'static str,
    pub checks: Vec<CheckView>,
    pub parks: Vec<(String, LText)>,
}

#[derive(Template)]
#[template(path = "eligibility.html")]
struct EligibilityPage<'a> {
    ctx: &'a Ctx,
    form: crate::forms::FormState,
    sectors: Vec<Choice>,
    districts: Vec<Choice>,
    countries: Vec<Choice>,
    number_fields: Vec<(String, String)>,
    asked: bool,
    groups: Vec<(String, &'static str, Vec<MatchView>)>,
    errors: Vec<(String, String)>,
}

fn match_view(ctx: &Ctx, m: &Match) -> MatchView {
    MatchView {
        title: loc(ctx, &m.policy.title),
        url: hit_url(Kind::Policy, &m.policy.slug),
        status: m.assessment.status.code(),
        checks: m
            .assessment
            .checks
            .iter()
            .filter_map(|c| {
                Some(CheckView {
                    met: c.met,
                    text: sentence(ctx.lang, m.policy.criteria.get(c.index)?, c),
                })
            })
            .collect(),
        parks: m
            .parks
            .iter()
            .map(|p| (hit_url(Kind::Park, &p.slug), loc(ctx, &p.name)))
            .collect(),
    }
}

fn number_param(form: &BTreeMap<String, String>, field: &str) -> Result<Option<f64>, AppError> {
    match form.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .replace(['\u{202f}', ' ', '\''], "")
            .replace(',', ".")
            .parse::<f64>()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "invalid_number")),
    }
}

/// The profile from the page's query string; every unreadable number is named.
fn profile_of(form: &BTreeMap<String, String>) -> Result<Profile, AppError> {
    let mut errors = Vec::new();
    let mut number = |f: &str| match number_param(form, f) {
        Ok(v) => v,
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(_) => None,
    };
    let profile = Profile {
        employees: number("employees"),
        annual_revenue_cny: number("annual_revenue_cny"),
        planned_investment_cny: number("planned_investment_cny"),
        foreign_ownership_pct: number("foreign_ownership_pct"),
        rd_spending_pct: number("rd_spending_pct"),
        years_in_operation: number("years_in_operation"),
        sector: form.get("sector").cloned().filter(|v| !v.is_empty()),
        district: form.get("district").cloned().filter(|v| !v.is_empty()),
        country: form.get("country").cloned().filter(|v| !v.is_empty()),
        headquarters: match form.get("headquarters").map(String::as_str) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        language: None,
    };
    if errors.is_empty() {
        Ok(profile)
    } else {
        Err(AppError::Invalid(errors))
    }
}

pub async fn eligibility(
    State(state): State<AppState>,
    ctx: Ctx,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, Error> {
    let pairs = pairs.map(|Query(p)| p).unwrap_or_default();
    let form_map: BTreeMap<String, String> = pairs.iter().cloned().collect();
    let asked = form_map.values().any(|v| !v.trim().is_empty());
    let mut form = crate::forms::FormState::from_data(&crate::forms::FormData(pairs));
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    let mut status = StatusCode::OK;
    // The districts come from the directory, which the search builds.
    state.app.directory().fresh().await?;
    if asked {
        let outcome = match profile_of(&form_map) {
            Ok(profile) => state.app.directory().eligibility(&profile).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(matches) => {
                for (s, key, class) in [
                    (Status::Eligible, "eligibility-eligible", "eligible"),
                    (Status::NearlyEligible, "eligibility-nearly", "nearly"),
                    (Status::NotEligible, "eligibility-not", "not"),
                ] {
                    let list: Vec<MatchView> = matches
                        .iter()
                        .filter(|m| m.assessment.status == s)
                        .map(|m| match_view(&ctx, m))
                        .collect();
                    groups.push((ctx.tn(key, list.len() as i64), class, list));
                }
            }
            Err(AppError::Invalid(fields)) => {
                errors = crate::views::field_errors(&ctx, &fields);
                form = form.with_errors(&ctx, &fields);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(Error(e)),
        }
    }
    let number_fields = [
        Field::Employees,
        Field::AnnualRevenueCny,
        Field::PlannedInvestmentCny,
        Field::ForeignOwnershipPct,
        Field::RdSpendingPct,
        Field::YearsInOperation,
    ]
    .iter()
    .map(|f| (f.code().to_string(), field_label(ctx.lang, *f)))
    .collect();
    Ok(render_status(
        status,
        &EligibilityPage {
            sectors: INDUSTRIES
                .iter()
                .map(|c| Choice {
                    value: c.to_string(),
                    label: industry_label(&ctx, c),
                })
                .collect(),
            districts: district_names(&state, &ctx)
                .into_iter()
                .map(|(value, label)| Choice { value, label })
                .collect(),
            countries: crate::registrations::pages::country_choices(&ctx),
            number_fields,
            asked,
            groups,
            errors,
            form,
            ctx: &ctx,
        },
    ))
}

// ---------------------------------------------------------------- policy, park, story

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyTemplate<'a> {
    ctx: &'a Ctx,
    /// The language the policy is shown in when it is not the reader's.
    shown_in: Option<&'static str>,
    page: PolicyPage,
    title: LText,
    summary: LText,
    body_html: String,
    body_lang: &'static str,
    issuing_body: LText,
    region: LText,
    sectors: Vec<String>,
    benefits: Vec<String>,
    criteria: Vec<String>,
    parks: Vec<(String, LText)>,
    successor: Option<(String, LText)>,
}

pub async fn policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = state.app.directory().policy_page(&slug).await?;
    let p = &page.policy;
    let (body_lang, body) = p.body.resolve(ctx.lang).unwrap_or((ctx.lang, ""));
    let criteria = p
        .criteria
        .iter()
        .map(|c| super::explain::rule(ctx.lang, c))
        .collect();
    let title = loc(&ctx, &p.title);
    Ok(render(&PolicyTemplate {
        shown_in: (title.lang != ctx.lang.code())
            .then(|| p.title.resolve(ctx.lang).map(|(l, _)| l.endonym()))
            .flatten(),
        title,
        summary: loc(&ctx, &p.summary),
        body_html: markdown_to_safe_html(body),
        body_lang: body_lang.code(),
        issuing_body: loc(&ctx, &p.issuing_body),
        region: loc(&ctx, &p.region),
        sectors: p.sectors.iter().map(|s| industry_label(&ctx, s)).collect(),
        benefits: p
            .benefit_types
            .iter()
            .map(|b| ctx.t(&format!("benefit-{b}")))
            .collect(),
        criteria,
        parks: page
            .parks
            .iter()
            .map(|k| (hit_url(Kind::Park, &k.slug), loc(&ctx, &k.name)))
            .collect(),
        successor: page
            .successor
            .as_ref()
            .map(|s| (hit_url(Kind::Policy, &s.slug), loc(&ctx, &s.title))),
        page,
        ctx: &ctx,
    }))
}

/// What the park page and the comparison show of a park.
pub struct ParkView {
    pub slug: String,
    pub name: LText,
    pub district: LText,
    pub summary: LText,
    pub industries: Vec<String>,
    pub area: String,
    pub address: String,
    pub map_url: String,
    pub coordinates: String,
    pub website: String,
    pub contact: String,
    pub is_sample: bool,
    pub policies: Vec<(String, LText, Vec<String>)>,
    pub stories: Vec<StoryView>,
}

pub struct StoryView {
    pub slug: String,
    pub title: LText,
    pub company: String,
    pub body_html: String,
    pub body_lang: &'static str,
    pub is_sample: bool,
}

fn story_view(ctx: &Ctx, s: &SuccessStory) -> StoryView {
    let (lang, body) = s.body.resolve(ctx.lang).unwrap_or((ctx.lang, ""));
    StoryView {
        slug: s.slug.clone(),
        title: loc(ctx, &s.title),
        company: format!(
            "{} · {}",
            s.company_name,
            roadshow_domain::reference::country_name(&s.country, ctx.lang)
        ),
        body_html: markdown_to_safe_html(body),
        body_lang: lang.code(),
        is_sample: s.is_sample,
    }
}

fn park_view(ctx: &Ctx, page: &ParkPage) -> ParkView {
    let p: &Park = &page.park;
    let coordinates = match (p.latitude, p.longitude) {
        (Some(a), Some(b)) => format!("{a:.4}, {b:.4}"),
        _ => String::new(),
    };
    ParkView {
        slug: p.slug.clone(),
        name: loc(ctx, &p.name),
        district: loc(ctx, &p.district),
        summary: loc(ctx, &p.summary),
        industries: p
            .focus_industries
            .iter()
            .map(|s| industry_label(ctx, s))
            .collect(),
        area: p.area_km2.map(|a| format!("{a} km²")).unwrap_or_default(),
        address: p.address.clone().unwrap_or_default(),
        map_url: match (p.latitude, p.longitude) {
            (Some(a), Some(b)) => {
                format!("https://www.openstreetmap.org/?mlat={a}&mlon={b}#map=14/{a}/{b}")
            }
            _ => String::new(),
        },
        coordinates,
        website: p.website.clone().unwrap_or_default(),
        contact: p.contact.clone().unwrap_or_default(),
        is_sample: p.is_sample,
        policies: page
            .policies
            .iter()
            .map(|x| {
                (
                    hit_url(Kind::Policy, &x.slug),
                    loc(ctx, &x.title),
                    x.benefit_types
                        .iter()
                        .map(|b| ctx.t(&format!("benefit-{b}")))
                        .collect(),
                )
            })
            .collect(),
        stories: page.stories.iter().map(|s| story_view(ctx, s)).collect(),
    }
}

#[derive(Template)]
#[template(path = "park.html")]
struct ParkTemplate<'a> {
    ctx: &'a Ctx,
    park: ParkView,
}

pub async fn park(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = state.app.directory().park_page(&slug).await?;
    Ok(render(&ParkTemplate {
        park: park_view(&ctx, &page),
        ctx: &ctx,
    }))
}

#[derive(Template)]
#[template(path = "parks.html")]
struct ParksTemplate<'a> {
    ctx: &'a Ctx,
    parks: Vec<(String, LText, LText, Vec<String>)>,
    chosen: Vec<String>,
    parks_compared: Vec<ParkView>,
    errors: Vec<(String, String)>,
}

async fn parks_page(
    state: &AppState,
    ctx: &Ctx,
    chosen: Vec<String>,
    compared: Vec<ParkView>,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, Error> {
    let parks = state.app.directory().parks().await?;
    Ok(render_status(
        status,
        &ParksTemplate {
            parks: parks
                .iter()
                .map(|p| {
                    (
                        p.slug.clone(),
                        loc(ctx, &p.name),
                        loc(ctx, &p.district),
                        p.focus_industries
                            .iter()
                            .map(|s| industry_label(ctx, s))
                            .collect(),
                    )
                })
                .collect(),
            chosen,
            parks_compared: compared,
            errors,
            ctx,
        },
    ))
}

/// The parks; `?p=slug` ticks parks for the comparison.
pub async fn parks(
    State(state): State<AppState>,
    ctx: Ctx,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, Error> {
    let chosen = pairs
        .map(|Query(p)| p)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "p")
        .map(|(_, v)| v)
        .collect();
    parks_page(&state, &ctx, chosen, Vec::new(), Vec::new(), StatusCode::OK).await
}

/// `/parks/compare?p=a&p=b[&p=c]`: the parks side by side.
pub async fn compare(
    State(state): State<AppState>,
    ctx: Ctx,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, Error> {
    let pairs = pairs.map(|Query(p)| p).unwrap_or_default();
    let slugs: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "p")
        .map(|(_, v)| v)
        .collect();
    match state.app.directory().compare(&slugs).await {
        Ok(pages) => {
            let views = pages.iter().map(|p| park_view(&ctx, p)).collect();
            parks_page(&state, &ctx, slugs, views, Vec::new(), StatusCode::OK).await
        }
        Err(AppError::Invalid(fields)) => {
            let errors = crate::views::field_errors(&ctx, &fields);
            parks_page(
                &state,
                &ctx,
                slugs,
                Vec::new(),
                errors,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => Err(Error(e)),
    }
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryTemplate<'a> {
    ctx: &'a Ctx,
    story: StoryView,
    park: Option<(String, LText)>,
}

pub async fn story(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let (story, park) = state.app.directory().story_page(&slug).await?;
    Ok(render(&StoryTemplate {
        story: story_view(&ctx, &story),
        park: park.map(|p| (hit_url(Kind::Park, &p.slug), loc(&ctx, &p.name))),
        ctx: &ctx,
    }))
}

/// Benefit choices for the search's filter.
pub fn benefit_choices(ctx: &Ctx) -> Vec<Choice> {
    BENEFIT_TYPES
        .iter()
        .map(|b| Choice {
            value: b.to_string(),
            label: ctx.t(&format!("benefit-{b}")),
        })
        .collect()
}

/// Today in Beijing as `YYYY-MM-DD` (the "current only" filter).
pub fn today_text() -> String {
    roadshow_app::directory::today().to_string()
}
