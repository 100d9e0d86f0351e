//! The organiser's pages for the agency's policies: the list and a form with the
//! eligibility criteria.

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
use roadshow_domain::directory::PolicyInput;
use roadshow_domain::ids::*;
use roadshow_domain::reference::BENEFIT_TYPES;

#[derive(Template)]
#[template(path = "admin/policies.html")]
struct PoliciesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<ItemRow>,
    pager: Pager,
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
    page: PageQuery,
) -> Result<Response, Error> {
    let request = page.read()?;
    let directory = state.app.directory();
    let listed = directory.agency_policies(&ctx.principal, request).await?;
    let (parks, policies) = directory.agency_choices(&ctx.principal).await?;
    let item = match editing {
        Some(id) => Some(
            directory
                .policy_for_organiser(&ctx.principal, PolicyId(id))
                .await?,
        ),
        None => None,
    };
    let rows = criteria_rows(&form);
    Ok(render_status(
        status,
        &PoliciesPage {
            pager: Pager::new("/admin/policies", "", "", request, listed.next),
            item: item.map(|p| Editing {
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
            rows: listed
                .items
                .iter()
                .map(|p| ItemRow {
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
    let mut input = PolicyInput::from(data.decode::<wire::PolicyInput>()?);
    // The form lists every park, so what is not ticked is not linked; its criteria are
    // rows of text typed into their kinds.
    input.park_ids.get_or_insert_with(Vec::new);
    input.criteria = criteria_input(data);
    Ok(input)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    policies_page(
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
    policies_page(
        &state,
        &ctx,
        form,
        Some(id),
        StatusCode::OK,
        PageQuery::default(),
    )
    .await
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
                .directory()
                .create_policy(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .directory()
                .update_policy(&ctx.principal, PolicyId(id), &input)
                .await
        }
    };
    match saved {
        Ok(p) => Ok(see_other(&saved_at("/admin/policies", "policy", p.id.0))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            policies_page(
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
    save_policy(state, ctx, None, data).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_policy(state, ctx, Some(id), data).await
}
