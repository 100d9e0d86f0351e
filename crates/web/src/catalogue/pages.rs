//! The organiser's pages for the agency's parks, policies and success stories: a list and
//! a form each.

use crate::AppState;
use crate::caller::Ctx;
use crate::directory::forms::{
    criteria_input, criteria_rows, criterion_fields, criterion_ops, set_criteria,
};
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{Id, render_status, see_other};
use crate::registrations::pages::country_choices;
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::catalogue::{ParkInput, PolicyInput, StoryInput};
use roadshow_domain::ids::*;
use roadshow_domain::reference::{BENEFIT_TYPES, INDUSTRIES, country_name};
use roadshow_domain::{Lang, Localized};

fn industry_choices(ctx: &Ctx) -> Vec<Choice> {
    INDUSTRIES
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: industry_label(ctx, c),
        })
        .collect()
}

/// Sets `name.de`, `name.en`… of a form from a per-language text.
fn set_localized(form: &mut FormState, name: &str, value: &Localized) {
    for lang in Lang::ALL {
        form.set(&format!("{name}.{lang}"), value.exact(lang));
    }
}

/// A number field: empty is none; anything unreadable is a value the rules refuse.
/// A decimal field (a decimal comma is read as a point): empty is none; a value that is not
/// a number is a named 422.
fn decimal(data: &FormData, name: &str) -> Result<Option<f64>, AppError> {
    match data.get(name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .replace(',', ".")
            .parse::<f64>()
            .map(Some)
            .map_err(|_| AppError::invalid(name, "invalid_number")),
    }
}

pub struct CatalogueRow {
    pub id: i64,
    pub slug: String,
    pub title: LText,
    pub detail: String,
    pub is_sample: bool,
    pub archived: bool,
}

/// The editing item's state for the archive, delete and versions controls.
pub struct Editing {
    pub id: i64,
    pub archived: bool,
    pub version: i64,
}

// ---------------------------------------------------------------- parks

#[derive(Template)]
#[template(path = "admin/parks.html")]
struct ParksPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<CatalogueRow>,
    form: FormState,
    industries: Vec<Choice>,
    policies: Vec<Choice>,
    languages: [Lang; 4],
    editing: Option<i64>,
    item: Option<Editing>,
}

async fn parks_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    editing: Option<i64>,
    status: StatusCode,
) -> Result<Response, Error> {
    let parks = state.app.catalogue().agency_parks(&ctx.principal).await?;
    let policies = state
        .app
        .catalogue()
        .agency_policies(&ctx.principal)
        .await?;
    Ok(render_status(
        status,
        &ParksPage {
            rows: parks
                .iter()
                .map(|p| CatalogueRow {
                    id: p.id.0,
                    slug: p.slug.clone(),
                    title: loc(ctx, &p.name),
                    detail: loc(ctx, &p.district).text,
                    is_sample: p.is_sample,
                    archived: p.archived,
                })
                .collect(),
            form,
            industries: industry_choices(ctx),
            policies: policies
                .iter()
                .map(|p| Choice {
                    value: p.id.0.to_string(),
                    label: loc(ctx, &p.title).text,
                })
                .collect(),
            languages: Lang::ALL,
            item: editing
                .and_then(|id| parks.iter().find(|p| p.id.0 == id))
                .map(|p| Editing {
                    id: p.id.0,
                    archived: p.archived,
                    version: 0,
                }),
            editing,
            ctx,
        },
    ))
}

fn park_input(data: &FormData) -> Result<ParkInput, AppError> {
    Ok(ParkInput {
        slug: data.text("slug"),
        name: data.localized("name"),
        district: data.localized("district"),
        summary: data.localized("summary"),
        focus_industries: data.all("focus_industries"),
        area_km2: decimal(data, "area_km2")?,
        website: data.text("website"),
        contact: data.text("contact"),
        policy_ids: data.numbers("policy_ids")?,
        external_id: data.text("external_id"),
        address: data.text("address"),
        latitude: decimal(data, "latitude")?,
        longitude: decimal(data, "longitude")?,
    })
}

pub async fn parks(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    parks_page(&state, &ctx, FormState::default(), None, StatusCode::OK).await
}

pub async fn edit_park(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = state
        .app
        .catalogue()
        .park_for_organiser(&ctx.principal, ParkId(id))
        .await?;
    let mut form = FormState::default();
    form.set("slug", p.slug.clone());
    set_localized(&mut form, "name", &p.name);
    set_localized(&mut form, "district", &p.district);
    set_localized(&mut form, "summary", &p.summary);
    form.set_many("focus_industries", p.focus_industries.clone());
    form.set(
        "area_km2",
        p.area_km2.map(|a| a.to_string()).unwrap_or_default(),
    );
    form.set("website", p.website.clone().unwrap_or_default());
    form.set("contact", p.contact.clone().unwrap_or_default());
    form.set("external_id", p.external_id.clone().unwrap_or_default());
    form.set("address", p.address.clone().unwrap_or_default());
    form.set(
        "latitude",
        p.latitude.map(|a| a.to_string()).unwrap_or_default(),
    );
    form.set(
        "longitude",
        p.longitude.map(|a| a.to_string()).unwrap_or_default(),
    );
    form.set_many(
        "policy_ids",
        p.policy_ids.iter().map(|i| i.0.to_string()).collect(),
    );
    parks_page(&state, &ctx, form, Some(id), StatusCode::OK).await
}

/// Creates (no id) or changes a park from the form; the form again with its errors.
async fn save_park(
    state: AppState,
    ctx: Ctx,
    id: Option<i64>,
    data: FormData,
) -> Result<Response, Error> {
    let saved = match (park_input(&data), id) {
        (Err(e), _) => Err(e),
        (Ok(input), None) => {
            state
                .app
                .catalogue()
                .create_park(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .catalogue()
                .update_park(&ctx.principal, ParkId(id), &input)
                .await
        }
    };
    match saved {
        Ok(p) => Ok(see_other(&format!("/admin/parks#park-{}", p.id))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            parks_page(&state, &ctx, form, id, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn create_park(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    save_park(state, ctx, None, data).await
}

pub async fn update_park(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_park(state, ctx, Some(id), data).await
}

// ---------------------------------------------------------------- policies

#[derive(Template)]
#[template(path = "admin/policies.html")]
struct PoliciesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<CatalogueRow>,
    form: FormState,
    industries: Vec<Choice>,
    benefits: Vec<Choice>,
    languages: [Lang; 4],
    editing: Option<i64>,
    item: Option<Editing>,
    parks: Vec<Choice>,
    successors: Vec<Choice>,
    criteria: Vec<usize>,
    fields: Vec<Choice>,
    ops: Vec<Choice>,
}

async fn policies_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    editing: Option<i64>,
    status: StatusCode,
) -> Result<Response, Error> {
    let policies = state
        .app
        .catalogue()
        .agency_policies(&ctx.principal)
        .await?;
    let parks = state.app.catalogue().agency_parks(&ctx.principal).await?;
    let rows = criteria_rows(&form);
    Ok(render_status(
        status,
        &PoliciesPage {
            item: editing
                .and_then(|id| policies.iter().find(|p| p.id.0 == id))
                .map(|p| Editing {
                    id: p.id.0,
                    archived: p.archived,
                    version: p.version,
                }),
            parks: parks
                .iter()
                .filter(|p| !p.archived)
                .map(|p| Choice {
                    value: p.id.0.to_string(),
                    label: loc(ctx, &p.name).text,
                })
                .collect(),
            successors: policies
                .iter()
                .filter(|p| Some(p.id.0) != editing && !p.archived)
                .map(|p| Choice {
                    value: p.id.0.to_string(),
                    label: loc(ctx, &p.title).text,
                })
                .collect(),
            criteria: rows,
            fields: criterion_fields(ctx),
            ops: criterion_ops(ctx),
            rows: policies
                .iter()
                .map(|p| CatalogueRow {
                    id: p.id.0,
                    slug: p.slug.clone(),
                    title: loc(ctx, &p.title),
                    detail: loc(ctx, &p.issuing_body).text,
                    is_sample: p.is_sample,
                    archived: p.archived,
                })
                .collect(),
            form,
            industries: industry_choices(ctx),
            benefits: BENEFIT_TYPES
                .iter()
                .map(|b| Choice {
                    value: b.to_string(),
                    label: ctx.t(&format!("benefit-{b}")),
                })
                .collect(),
            languages: Lang::ALL,
            editing,
            ctx,
        },
    ))
}

fn policy_input(data: &FormData) -> Result<PolicyInput, AppError> {
    Ok(PolicyInput {
        slug: data.text("slug"),
        title: data.localized("title"),
        issuing_body: data.localized("issuing_body"),
        region: data.localized("region"),
        sectors: data.all("sectors"),
        benefit_types: data.all("benefit_types"),
        summary: data.localized("summary"),
        valid_from: data.text("valid_from"),
        valid_until: data.text("valid_until"),
        source_url: data.text("source_url"),
        body: data.localized("body"),
        criteria: criteria_input(data),
        successor_id: data.number("successor_id")?,
        park_ids: Some(data.numbers("park_ids")?),
        external_id: data.text("external_id"),
    })
}

pub async fn policies(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    policies_page(&state, &ctx, FormState::default(), None, StatusCode::OK).await
}

pub async fn edit_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = state
        .app
        .catalogue()
        .policy_for_organiser(&ctx.principal, PolicyId(id))
        .await?;
    let mut form = FormState::default();
    form.set("slug", p.slug.clone());
    set_localized(&mut form, "title", &p.title);
    set_localized(&mut form, "issuing_body", &p.issuing_body);
    set_localized(&mut form, "region", &p.region);
    set_localized(&mut form, "summary", &p.summary);
    form.set_many("sectors", p.sectors.clone());
    form.set_many("benefit_types", p.benefit_types.clone());
    form.set("valid_from", p.valid_from.clone().unwrap_or_default());
    form.set("valid_until", p.valid_until.clone().unwrap_or_default());
    form.set("source_url", p.source_url.clone().unwrap_or_default());
    set_localized(&mut form, "body", &p.body);
    form.set("external_id", p.external_id.clone().unwrap_or_default());
    form.set(
        "successor_id",
        p.successor_id.map(|s| s.0.to_string()).unwrap_or_default(),
    );
    form.set_many(
        "park_ids",
        p.park_ids.iter().map(|i| i.0.to_string()).collect(),
    );
    set_criteria(&mut form, &p.criteria);
    policies_page(&state, &ctx, form, Some(id), StatusCode::OK).await
}

/// Creates (no id) or changes a policy from the form; the form again with its errors.
async fn save_policy(
    state: AppState,
    ctx: Ctx,
    id: Option<i64>,
    data: FormData,
) -> Result<Response, Error> {
    let saved = match (policy_input(&data), id) {
        (Err(e), _) => Err(e),
        (Ok(input), None) => {
            state
                .app
                .catalogue()
                .create_policy(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .catalogue()
                .update_policy(&ctx.principal, PolicyId(id), &input)
                .await
        }
    };
    match saved {
        Ok(p) => Ok(see_other(&format!("/admin/policies#policy-{}", p.id))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            policies_page(&state, &ctx, form, id, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn create_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    save_policy(state, ctx, None, data).await
}

pub async fn update_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_policy(state, ctx, Some(id), data).await
}

// ---------------------------------------------------------------- success stories

#[derive(Template)]
#[template(path = "admin/stories.html")]
struct StoriesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<CatalogueRow>,
    form: FormState,
    countries: Vec<Choice>,
    languages: [Lang; 4],
    editing: Option<i64>,
    item: Option<Editing>,
    parks: Vec<Choice>,
}

async fn stories_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    editing: Option<i64>,
    status: StatusCode,
) -> Result<Response, Error> {
    let stories = state.app.catalogue().agency_stories(&ctx.principal).await?;
    let parks = state.app.catalogue().agency_parks(&ctx.principal).await?;
    Ok(render_status(
        status,
        &StoriesPage {
            item: editing
                .and_then(|id| stories.iter().find(|s| s.id.0 == id))
                .map(|s| Editing {
                    id: s.id.0,
                    archived: s.archived,
                    version: 0,
                }),
            parks: parks
                .iter()
                .filter(|p| !p.archived)
                .map(|p| Choice {
                    value: p.id.0.to_string(),
                    label: loc(ctx, &p.name).text,
                })
                .collect(),
            rows: stories
                .iter()
                .map(|s| CatalogueRow {
                    id: s.id.0,
                    slug: s.slug.clone(),
                    title: loc(ctx, &s.title),
                    detail: format!(
                        "{} · {}",
                        s.company_name,
                        country_name(&s.country, ctx.lang)
                    ),
                    is_sample: s.is_sample,
                    archived: s.archived,
                })
                .collect(),
            form,
            countries: country_choices(ctx),
            languages: Lang::ALL,
            editing,
            ctx,
        },
    ))
}

fn story_input(data: &FormData) -> Result<StoryInput, AppError> {
    Ok(StoryInput {
        slug: data.text("slug"),
        company_name: data.text("company_name"),
        country: data.text("country"),
        title: data.localized("title"),
        body: data.localized("body"),
        park_id: data.number("park_id")?,
        external_id: data.text("external_id"),
    })
}

pub async fn stories(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let mut form = FormState::default();
    form.set("country", "DE");
    stories_page(&state, &ctx, form, None, StatusCode::OK).await
}

pub async fn edit_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let s = state
        .app
        .catalogue()
        .story_for_organiser(&ctx.principal, StoryId(id))
        .await?;
    let mut form = FormState::default();
    form.set("slug", s.slug.clone());
    form.set("company_name", s.company_name.clone());
    form.set("country", s.country.clone());
    set_localized(&mut form, "title", &s.title);
    set_localized(&mut form, "body", &s.body);
    form.set("external_id", s.external_id.clone().unwrap_or_default());
    form.set(
        "park_id",
        s.park_id.map(|p| p.0.to_string()).unwrap_or_default(),
    );
    stories_page(&state, &ctx, form, Some(id), StatusCode::OK).await
}

/// Creates (no id) or changes a story from the form; the form again with its errors.
async fn save_story(
    state: AppState,
    ctx: Ctx,
    id: Option<i64>,
    data: FormData,
) -> Result<Response, Error> {
    let saved = match (story_input(&data), id) {
        (Err(e), _) => Err(e),
        (Ok(input), None) => {
            state
                .app
                .catalogue()
                .create_story(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .catalogue()
                .update_story(&ctx.principal, StoryId(id), &input)
                .await
        }
    };
    match saved {
        Ok(s) => Ok(see_other(&format!("/admin/stories#story-{}", s.id))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            stories_page(&state, &ctx, form, id, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn create_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    save_story(state, ctx, None, data).await
}

pub async fn update_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_story(state, ctx, Some(id), data).await
}
