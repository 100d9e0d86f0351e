//! The organiser's pages for the agency's industrial parks: the list and a form.

use crate::AppState;
use crate::caller::Ctx;
use crate::directory::forms::*;
use crate::directory::wire;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{Id, render_status, see_other};
use crate::paging::{PageQuery, Pager};
use crate::views::loc;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::Lang;
use roadshow_domain::directory::ParkInput;
use roadshow_domain::ids::*;

#[derive(Template)]
#[template(path = "admin/parks.html")]
struct ParksPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<ItemRow>,
    pager: Pager,
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
    page: PageQuery,
) -> Result<Response, Error> {
    let request = page.read()?;
    let directory = state.app.directory();
    let parks = directory.agency_parks(&ctx.principal, request).await?;
    let (_, policies) = directory.agency_choices(&ctx.principal).await?;
    let item = match editing {
        Some(id) => Some(
            directory
                .park_for_organiser(&ctx.principal, ParkId(id))
                .await?,
        ),
        None => None,
    };
    Ok(render_status(
        status,
        &ParksPage {
            pager: Pager::new("/admin/parks", "", "", request, parks.next),
            rows: parks
                .items
                .iter()
                .map(|p| ItemRow {
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
            item: item.map(|p| Editing {
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
    data.decode::<wire::ParkInput>().map(ParkInput::from)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    parks_page(
        &state,
        &ctx,
        FormState::default(),
        None,
        StatusCode::OK,
        page,
    )
    .await
}

pub async fn edit(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    let p = state
        .app
        .directory()
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
    parks_page(
        &state,
        &ctx,
        form,
        Some(id),
        StatusCode::OK,
        PageQuery::default(),
    )
    .await
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
                .directory()
                .create_park(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .directory()
                .update_park(&ctx.principal, ParkId(id), &input)
                .await
        }
    };
    match saved {
        Ok(p) => Ok(see_other(&saved_at("/admin/parks", "park", p.id.0))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            parks_page(
                &state,
                &ctx,
                form,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                PageQuery::default(),
            )
            .await
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    save_park(state, ctx, None, data).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_park(state, ctx, Some(id), data).await
}
