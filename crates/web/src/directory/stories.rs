//! The organiser's pages for the agency's success stories: the list and a form.

use crate::AppState;
use crate::caller::Ctx;
use crate::directory::forms::*;
use crate::directory::wire;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{Id, render_status, see_other};
use crate::paging::{PageQuery, Pager};
use crate::views::country_choices;
use crate::views::loc;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::Lang;
use roadshow_domain::directory::StoryInput;
use roadshow_domain::ids::*;
use roadshow_domain::reference::country_name;

#[derive(Template)]
#[template(path = "admin/stories.html")]
struct StoriesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<ItemRow>,
    pager: Pager,
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
    page: PageQuery,
) -> Result<Response, Error> {
    let request = page.read()?;
    let directory = state.app.directory();
    let stories = directory.agency_stories(&ctx.principal, request).await?;
    let (parks, _) = directory.agency_choices(&ctx.principal).await?;
    let item = match editing {
        Some(id) => Some(
            directory
                .story_for_organiser(&ctx.principal, StoryId(id))
                .await?,
        ),
        None => None,
    };
    Ok(render_status(
        status,
        &StoriesPage {
            pager: Pager::new("/admin/stories", "", "", request, stories.next),
            item: item.map(|s| Editing {
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
                .items
                .iter()
                .map(|s| ItemRow {
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
    data.decode::<wire::StoryInput>().map(StoryInput::from)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let mut form = FormState::default();
    form.set("country", "DE");
    stories_page(&state, &ctx, form, None, StatusCode::OK, page).await
}

pub async fn edit(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    let s = state
        .app
        .directory()
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
    stories_page(
        &state,
        &ctx,
        form,
        Some(id),
        StatusCode::OK,
        PageQuery::default(),
    )
    .await
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
                .directory()
                .create_story(&ctx.principal, &input)
                .await
        }
        (Ok(input), Some(id)) => {
            state
                .app
                .directory()
                .update_story(&ctx.principal, StoryId(id), &input)
                .await
        }
    };
    match saved {
        Ok(s) => Ok(see_other(&saved_at("/admin/stories", "story", s.id.0))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            stories_page(
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
    save_story(state, ctx, None, data).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    save_story(state, ctx, Some(id), data).await
}
