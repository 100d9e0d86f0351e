//! One company across events, on a page: the pairs that may be one company with a merge
//! button each, and past merges with their undo.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Form;
use crate::pages::Id;
use crate::pages::{render, see_other};
use crate::views::{TimeView, time_view};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use roadshow_domain::leads::CompanySummary;

pub struct PairRow {
    pub a: CompanySummary,
    pub b: CompanySummary,
    pub reason: String,
}

pub struct MergeRow {
    pub id: i64,
    pub kept: String,
    pub merged: String,
    pub when: TimeView,
    pub undone: bool,
}

#[derive(Template)]
#[template(path = "admin/companies.html")]
struct CompaniesPage<'a> {
    ctx: &'a Ctx,
    pairs: Vec<PairRow>,
    merges: Vec<MergeRow>,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let m = state.app.leads().company_matches(&ctx.principal).await?;
    Ok(render(&CompaniesPage {
        pairs: m
            .duplicates
            .into_iter()
            .map(|d| PairRow {
                reason: ctx.t(&format!(
                    "company-match-{}",
                    d.reason.code().replace('_', "-")
                )),
                a: d.a,
                b: d.b,
            })
            .collect(),
        merges: m
            .merges
            .iter()
            .map(|x| MergeRow {
                id: x.id,
                kept: x.kept_name.clone(),
                merged: x.merged_name.clone(),
                when: time_view(&ctx, x.at),
                undone: x.undone_at.is_some(),
            })
            .collect(),
        ctx: &ctx,
    }))
}

pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let number = |name: &str| data.get(name).and_then(|v| v.parse::<i64>().ok());
    state
        .app
        .leads()
        .merge(&ctx.principal, number("kept"), number("merged"))
        .await?;
    Ok(see_other("/admin/companies"))
}

pub async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(_data): Form,
) -> Result<Response, Error> {
    state.app.leads().undo_merge(&ctx.principal, id).await?;
    Ok(see_other("/admin/companies"))
}
