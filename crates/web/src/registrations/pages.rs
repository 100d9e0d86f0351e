//! Registration on pages: the form, the participant's own page, and the organiser's list
//! with filters and export.

use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::events::views::{EventView, event_view};
use crate::forms::{Choice, Form, FormState, form_errors};
use crate::pages::{encode_component, render, render_status, see_other};
use crate::questions::pages::QuestionView;
use crate::views::{LText, country_choices, industry_label, loc, size_label};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::events::EventPage;
use roadshow_domain::events::FieldKind;
use roadshow_domain::reference::{COMPANY_SIZES, INDUSTRIES, country_name};
use roadshow_domain::registrations::{Registration, RegistrationInput};
use roadshow_domain::time::{format_clock, format_short_date};
use serde::Deserialize;

/// A registration question as the form shows it.
pub struct FieldView {
    pub name: String,
    pub label: LText,
    pub required: bool,
    pub is_choice: bool,
    pub options: Vec<(String, LText)>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    ctx: &'a Ctx,
    e: EventView,
    form: FormState,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    sizes: Vec<Choice>,
    questions: Vec<FieldView>,
    privacy_version: String,
    consents: Vec<ConsentBox>,
}

/// A consent's box on the form: one per purpose, never ticked in advance.
pub struct ConsentBox {
    pub name: String,
    pub id: String,
    pub label: String,
    pub text: String,
    pub required: bool,
}

/// The registration form's consent boxes, in the order of the notice.
pub fn consent_boxes(ctx: &Ctx) -> Vec<ConsentBox> {
    roadshow_domain::privacy::ConsentPurpose::ALL
        .iter()
        .map(|p| {
            let code = p.code();
            let name = match p {
                roadshow_domain::privacy::ConsentPurpose::Participation => "consent".to_string(),
                _ => format!("consents.{code}"),
            };
            ConsentBox {
                // As the error summary links to it.
                id: name.replace('.', "-"),
                name,
                label: ctx.t(&format!("consent-{code}-label")),
                text: ctx.t(&format!("consent-{code}-text")),
                required: p.required(),
            }
        })
        .collect()
}

fn register_page<'a>(ctx: &'a Ctx, page: &EventPage, form: FormState) -> RegisterPage<'a> {
    let mut countries = country_choices(ctx);
    // The event's target countries first: most visitors come from there.
    for code in page.event.target_countries.iter().rev() {
        if let Some(pos) = countries.iter().position(|c| &c.value == code) {
            let c = countries.remove(pos);
            countries.insert(0, c);
        }
    }
    RegisterPage {
        e: event_view(ctx, page),
        form,
        countries,
        industries: INDUSTRIES
            .iter()
            .map(|i| Choice {
                value: i.to_string(),
                label: crate::views::industry_label(ctx, i),
            })
            .collect(),
        sizes: COMPANY_SIZES
            .iter()
            .map(|s| Choice {
                value: s.to_string(),
                label: crate::views::size_label(ctx, s),
            })
            .collect(),
        questions: page
            .event
            .form_fields
            .iter()
            .map(|q| FieldView {
                name: format!("answers.{}", q.key),
                label: loc(ctx, &q.label),
                required: q.required,
                is_choice: q.kind == FieldKind::Choice,
                options: q
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), loc(ctx, &o.label)))
                    .collect(),
            })
            .collect(),
        privacy_version: page.event.privacy_version.clone(),
        consents: consent_boxes(ctx),
        ctx,
    }
}

pub async fn register_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = state.app.events().event_page(&ctx.principal, &slug).await?;
    let mut form = FormState::default();
    form.set("language", ctx.lang.code());
    if let Some(first) = page.event.target_countries.first() {
        form.set("company.country", first.clone());
    }
    Ok(render(&register_page(&ctx, &page, form)))
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let page = state.app.events().event_page(&ctx.principal, &slug).await?;
    let registered = async {
        let mut input = RegistrationInput::from(data.decode::<wire::RegistrationInput>()?);
        // The form shows the consent box: not ticked is a no.
        input.consent.get_or_insert(false);
        input.consents.cross_border.get_or_insert(false);
        state
            .app
            .registrations()
            .register(&ctx.principal, &slug, &input, &ctx.client, ctx.lang)
            .await
    };
    match registered.await {
        Ok(receipt) => Ok(see_other(&format!("/p/{}?welcome=1", receipt.token))),
        Err(err) => {
            let errors = form_errors(err)?;
            let form = FormState::from_data(&data).with_errors(&ctx, &errors);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &register_page(&ctx, &page, form),
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "participant.html")]
struct ParticipantPage<'a> {
    ctx: &'a Ctx,
    e: EventView,
    r: Registration,
    /// The participant's questions; `participant` is false so that the shared question
    /// partial shows counts, not vote buttons, here.
    questions: Vec<QuestionView>,
    participant: bool,
    welcome: bool,
    country: String,
    industry: String,
    language: &'static str,
    personal_url: String,
    privacy_url: String,
    /// Whether the event takes 1:1 meeting requests.
    meetings: bool,
    /// Whether the intent survey is offered now.
    survey: bool,
    /// The eligibility check filled in from the registration (sector, size, country).
    eligibility_url: String,
}

/// The eligibility check's address with what the registration tells of the company: its
/// sector, the least head count of its size band, its country.
fn eligibility_url(company: &roadshow_domain::registrations::Company) -> String {
    let mut query = Vec::new();
    if roadshow_domain::reference::is_industry(&company.industry) && company.industry != "other" {
        query.push(format!("sector={}", company.industry));
    }
    let least: String = company
        .size
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if !least.is_empty() {
        query.push(format!("employees={least}"));
    }
    if !company.country.is_empty() {
        query.push(format!(
            "country={}",
            crate::pages::encode_component(&company.country)
        ));
    }
    format!("/eligibility?{}#results", query.join("&"))
}

#[derive(Debug, Deserialize)]
pub struct WelcomeQuery {
    welcome: Option<String>,
}

pub async fn participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<WelcomeQuery>,
) -> Result<Response, Error> {
    if !token.starts_with(roadshow_app::accounts::PARTICIPANT_PREFIX) || token.len() > 100 {
        return Err(Error::from(AppError::NotFound));
    }
    let (r, page) = state.app.registrations().participant_home(&token).await?;
    let questions = state
        .app
        .questions()
        .own_questions(&r)
        .await?
        .iter()
        .map(|q| crate::questions::pages::question_view(&ctx, &page, q, false, false))
        .collect();
    let meetings = state.app.meetings().has_booking(page.event.id).await?;
    let survey = state.app.surveys().offered(&page).await?;
    let mut response = render(&ParticipantPage {
        eligibility_url: eligibility_url(&r.company),
        meetings,
        survey,
        questions,
        participant: false,
        e: event_view(&ctx, &page),
        country: country_name(&r.company.country, ctx.lang),
        industry: crate::views::industry_label(&ctx, &r.company.industry),
        language: r.language.endonym(),
        welcome: q.welcome.is_some(),
        personal_url: format!("{}/p/{token}", state.app.config.base_url),
        privacy_url: format!("/p/{token}/privacy"),
        r,
        ctx: &ctx,
    });
    // The personal link is a secret: keep it out of caches and other sites' referrers.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Remember the participant for the live page: HttpOnly so no script reads it, Lax so
    // another site's form cannot use it.
    let secure = if state.app.config.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={token}; Path=/; Max-Age=5184000; HttpOnly; SameSite=Lax{secure}",
        crate::caller::PARTICIPANT_COOKIE
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

// ---------------------------------------------------------------- registrations

pub struct CountRow {
    pub label: String,
    pub count: i64,
    pub href: String,
}

#[derive(Template)]
#[template(path = "admin/registrations.html")]
struct RegistrationsPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    rows: Vec<RegistrationRow>,
    total: i64,
    by_country: Vec<CountRow>,
    by_industry: Vec<CountRow>,
    filter: FormState,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    query: String,
    pager: crate::paging::Pager,
}

pub async fn registrations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<crate::registrations::wire::FilterQuery>,
    Query(page): Query<crate::paging::PageQuery>,
) -> Result<Response, Error> {
    let filter = q.filter();
    let request = page.read()?;
    let list = state
        .app
        .registrations()
        .registrations_page(&ctx.principal, &slug, &filter, request)
        .await?;
    let base = format!("/admin/events/{slug}/registrations");
    let mut form = FormState::default();
    form.set("country", filter.country.clone().unwrap_or_default());
    form.set("industry", filter.industry.clone().unwrap_or_default());
    form.set("q", filter.search.clone().unwrap_or_default());
    let query = [
        ("country", &filter.country),
        ("industry", &filter.industry),
        ("q", &filter.search),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode_component(v))))
    .collect::<Vec<_>>()
    .join("&");
    let pager = crate::paging::Pager::new(&base, &query, "", request, list.next.map(|id| id.0));
    Ok(render(&RegistrationsPage {
        pager,
        slug: slug.clone(),
        title: loc(&ctx, &list.event.title),
        rows: list
            .registrations
            .iter()
            .map(|r| registration_row(&ctx, r))
            .collect(),
        total: list.counts.total,
        by_country: list
            .counts
            .by_country
            .iter()
            .map(|(c, n)| CountRow {
                label: country_name(c, ctx.lang),
                count: *n,
                href: format!("{base}?country={c}"),
            })
            .collect(),
        by_industry: list
            .counts
            .by_industry
            .iter()
            .map(|(i, n)| CountRow {
                label: industry_label(&ctx, i),
                count: *n,
                href: format!("{base}?industry={i}"),
            })
            .collect(),
        countries: list
            .counts
            .by_country
            .iter()
            .map(|(c, _)| Choice {
                value: c.clone(),
                label: country_name(c, ctx.lang),
            })
            .collect(),
        industries: list
            .counts
            .by_industry
            .iter()
            .map(|(i, _)| Choice {
                value: i.clone(),
                label: industry_label(&ctx, i),
            })
            .collect(),
        filter: form,
        query,
        ctx: &ctx,
    }))
}

pub async fn registrations_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<crate::registrations::wire::FilterQuery>,
) -> Result<Response, Error> {
    let body = state
        .app
        .registrations()
        .registrations_csv(&ctx.principal, &slug, &q.filter(), ctx.lang)
        .await?;
    Ok(crate::views::csv_response(
        &format!("{slug}-registrations.csv"),
        body,
    ))
}

/// A registration as a row of the organiser's list.
#[derive(Debug, Clone)]
pub struct RegistrationRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub company: String,
    pub country: String,
    pub industry: String,
    pub size: String,
    pub language: &'static str,
    pub registered_date: String,
    pub registered_time: String,
    pub is_sample: bool,
}

pub fn registration_row(ctx: &Ctx, r: &Registration) -> RegistrationRow {
    RegistrationRow {
        id: r.id.0,
        // An erased participant is "a deleted participant", their address not shown.
        name: if r.erased {
            ctx.t("privacy-deleted-participant")
        } else {
            r.name.clone()
        },
        email: if r.erased {
            String::new()
        } else {
            r.email.clone()
        },
        job_title: r.job_title.clone().unwrap_or_default(),
        company: r.company.name.clone(),
        country: country_name(&r.company.country, ctx.lang),
        industry: industry_label(ctx, &r.company.industry),
        size: size_label(ctx, &r.company.size),
        language: r.language.endonym(),
        registered_date: format_short_date(r.created_at, ctx.zone, ctx.lang),
        registered_time: format_clock(r.created_at, ctx.zone),
        is_sample: r.company.is_sample,
    }
}
