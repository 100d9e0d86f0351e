//! The public pages of the directory's items: a policy (also an expired one, with its
//! successor), a park with its current policies and stories, the parks and their
//! comparison, a success story.

use super::hit_url;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::pages::{render, render_status};
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::directory::{Noticed, ParkPage, PolicyPage};
use roadshow_domain::directory::search::Kind;
use roadshow_domain::directory::{Park, SuccessStory};
use roadshow_domain::text::markdown_to_safe_html;

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
    state
        .app
        .directory()
        .notice(&ctx.principal, Noticed::Policy(page.policy.id));
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
    state
        .app
        .directory()
        .notice(&ctx.principal, Noticed::Park(page.park.id));
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
