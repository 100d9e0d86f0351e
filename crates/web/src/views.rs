//! What pages and the API show of the domain: JSON documents and page view models with
//! texts already in the reader's language and times in Beijing and in the reader's zone.

use crate::ctx::Ctx;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use roadshow_app::events::EventPage;
use roadshow_domain::events::Event;
use roadshow_domain::materials::Material;
use roadshow_domain::reference::country_name;
use roadshow_domain::registrations::Registration;
use roadshow_domain::text::markdown_to_safe_html;
use roadshow_domain::time::{BEIJING, day_differs, format_clock, format_date, utc_offset_label};
use roadshow_domain::{Lang, Localized};
use serde_json::{Value, json};

/// A material as the API shows it, with its download address for files.
pub fn material_json(m: &Material) -> Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if m.file_key.is_some() {
        v["download_url"] = json!(format!("/materials/{}", m.id));
    }
    v
}

/// The event with its agenda, departments, parks, policies and stories.
pub fn event_json(page: &EventPage) -> Value {
    let sessions: Vec<Value> = page
        .sessions
        .iter()
        .map(|s| {
            let mut v = serde_json::to_value(s).unwrap_or_default();
            v["materials"] = s.materials.iter().map(material_json).collect();
            v["department"] = page
                .department(s.department_id)
                .map(|d| json!({"id": d.id, "slug": d.slug, "name": d.name}))
                .unwrap_or(Value::Null);
            v
        })
        .collect();
    let mut v = serde_json::to_value(&page.event).unwrap_or_default();
    v["agency"] = json!({"slug": page.agency.slug, "name": page.agency.name});
    v["sessions"] = json!(sessions);
    v["departments"] = json!(page.departments);
    v["parks"] = json!(page.parks);
    v["policies"] = json!(page.policies);
    v["success_stories"] = json!(page.stories);
    v["agenda_ics"] = json!(format!("/events/{}/agenda.ics", page.event.slug));
    v
}

/// A CSV download.
pub fn csv_response(filename: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A text in the reader's language, or a fallback marked with its own language.
#[derive(Debug, Clone, Default)]
pub struct LText {
    pub text: String,
    pub lang: &'static str,
}

pub fn loc(ctx: &Ctx, value: &Localized) -> LText {
    match value.resolve(ctx.lang) {
        Some((lang, text)) => LText {
            text: text.to_string(),
            lang: lang.code(),
        },
        None => LText {
            text: String::new(),
            lang: ctx.lang.code(),
        },
    }
}

/// An instant in Beijing time and in the reader's zone.
#[derive(Debug, Clone)]
pub struct TimeView {
    pub iso: String,
    pub beijing_date: String,
    pub beijing_clock: String,
    pub local_date: String,
    pub local_clock: String,
    pub local_offset: String,
    /// Whether the reader is in Beijing time already (then one time is enough).
    pub same_zone: bool,
    /// Whether the local date differs from the Beijing date.
    pub other_day: bool,
}

pub fn time_view(ctx: &Ctx, t: DateTime<Utc>) -> TimeView {
    let same_zone = utc_offset_label(t, ctx.zone) == utc_offset_label(t, BEIJING);
    TimeView {
        iso: t.to_rfc3339(),
        beijing_date: format_date(t, BEIJING, ctx.lang),
        beijing_clock: format_clock(t, BEIJING),
        local_date: format_date(t, ctx.zone, ctx.lang),
        local_clock: format_clock(t, ctx.zone),
        local_offset: utc_offset_label(t, ctx.zone),
        same_zone,
        other_day: day_differs(t, ctx.zone),
    }
}

#[derive(Debug, Clone)]
pub struct MaterialView {
    pub title: String,
    pub href: String,
    pub is_file: bool,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct SpeakerView {
    pub name: String,
    pub role: LText,
}

#[derive(Debug, Clone)]
pub struct SessionView {
    pub id: i64,
    pub is_exchange: bool,
    pub start: TimeView,
    pub end: TimeView,
    pub title: LText,
    pub summary: LText,
    pub presenter: LText,
    pub speakers: Vec<SpeakerView>,
    pub materials: Vec<MaterialView>,
    pub parks: Vec<LText>,
    pub stories: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ParkView {
    pub name: LText,
    pub district: LText,
    pub summary: LText,
    pub industries: Vec<String>,
    pub policies: Vec<LText>,
    pub is_sample: bool,
}

#[derive(Debug, Clone)]
pub struct PolicyView {
    pub title: LText,
    pub issuing_body: LText,
    pub summary: LText,
    pub validity: String,
    pub benefits: Vec<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone)]
pub struct StoryView {
    pub company: String,
    pub country: String,
    pub title: LText,
    pub body: LText,
    pub is_sample: bool,
}

/// The event page's content, ready to render.
#[derive(Debug, Clone)]
pub struct EventView {
    pub slug: String,
    pub title: LText,
    pub theme: LText,
    pub description_html: String,
    pub industries: Vec<String>,
    pub countries: Vec<String>,
    pub languages: Vec<&'static str>,
    pub status: &'static str,
    pub registration_open: bool,
    pub start: TimeView,
    pub end: TimeView,
    pub video_url: Option<String>,
    pub agency: LText,
    pub sessions: Vec<SessionView>,
    pub parks: Vec<ParkView>,
    pub policies: Vec<PolicyView>,
    pub stories: Vec<StoryView>,
}

pub fn industry_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("industry-{code}"))
}

pub fn size_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("size-{}", code.replace('+', "plus")))
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes / 1024).max(1))
    }
}

pub fn material_view(m: &Material) -> MaterialView {
    match &m.url {
        Some(url) => MaterialView {
            title: m.title.clone(),
            href: url.clone(),
            is_file: false,
            detail: String::new(),
        },
        None => {
            let kind = m
                .filename
                .as_deref()
                .and_then(|f| f.rsplit('.').next())
                .unwrap_or("")
                .to_uppercase();
            MaterialView {
                title: m.title.clone(),
                href: format!("/materials/{}", m.id),
                is_file: true,
                detail: format!("{kind} · {}", size_text(m.size_bytes)),
            }
        }
    }
}

pub fn event_view(ctx: &Ctx, page: &EventPage) -> EventView {
    let e = &page.event;
    let sessions = page
        .sessions
        .iter()
        .map(|s| SessionView {
            id: s.id.0,
            is_exchange: s.kind == roadshow_domain::events::SessionKind::Exchange,
            start: time_view(ctx, s.starts_at),
            end: time_view(ctx, s.ends_at),
            title: loc(ctx, &s.title),
            summary: loc(ctx, &s.summary),
            presenter: page
                .department(s.department_id)
                .map(|d| loc(ctx, &d.name))
                .unwrap_or_else(|| loc(ctx, &s.presenter)),
            speakers: s
                .speakers
                .iter()
                .map(|sp| SpeakerView {
                    name: sp.name.clone(),
                    role: loc(ctx, &sp.role),
                })
                .collect(),
            materials: s.materials.iter().map(material_view).collect(),
            parks: s
                .park_ids
                .iter()
                .filter_map(|id| page.parks.iter().find(|p| p.id == *id))
                .map(|p| loc(ctx, &p.name))
                .collect(),
            stories: s
                .story_ids
                .iter()
                .filter_map(|id| page.stories.iter().find(|st| st.id == *id))
                .map(|st| st.company_name.clone())
                .collect(),
        })
        .collect();
    let parks = page
        .parks
        .iter()
        .map(|p| ParkView {
            name: loc(ctx, &p.name),
            district: loc(ctx, &p.district),
            summary: loc(ctx, &p.summary),
            industries: p
                .focus_industries
                .iter()
                .map(|i| industry_label(ctx, i))
                .collect(),
            policies: p
                .policy_ids
                .iter()
                .filter_map(|id| page.policies.iter().find(|x| x.id == *id))
                .map(|x| loc(ctx, &x.title))
                .collect(),
            is_sample: p.is_sample,
        })
        .collect();
    let policies = page
        .policies
        .iter()
        .map(|p| PolicyView {
            title: loc(ctx, &p.title),
            issuing_body: loc(ctx, &p.issuing_body),
            summary: loc(ctx, &p.summary),
            validity: match (&p.valid_from, &p.valid_until) {
                (Some(f), Some(u)) => format!("{f} – {u}"),
                (Some(f), None) => ctx.t1("policy-valid-from", "date", f),
                (None, Some(u)) => ctx.t1("policy-valid-until", "date", u),
                (None, None) => String::new(),
            },
            benefits: p
                .benefit_types
                .iter()
                .map(|b| ctx.t(&format!("benefit-{b}")))
                .collect(),
            is_sample: p.is_sample,
        })
        .collect();
    let stories = page
        .stories
        .iter()
        .map(|s| StoryView {
            company: s.company_name.clone(),
            country: country_name(&s.country, ctx.lang),
            title: loc(ctx, &s.title),
            body: loc(ctx, &s.body),
            is_sample: s.is_sample,
        })
        .collect();
    EventView {
        slug: e.slug.clone(),
        title: loc(ctx, &e.title),
        theme: loc(ctx, &e.theme),
        description_html: markdown_to_safe_html(e.description.get(ctx.lang)),
        industries: e
            .focus_industries
            .iter()
            .map(|i| industry_label(ctx, i))
            .collect(),
        countries: e
            .target_countries
            .iter()
            .map(|c| country_name(c, ctx.lang))
            .collect(),
        languages: e.languages.iter().map(|l: &Lang| l.endonym()).collect(),
        status: e.status.code(),
        registration_open: roadshow_app::events::registration_open(e),
        start: time_view(ctx, e.starts_at),
        end: time_view(ctx, e.ends_at),
        video_url: e.video_url.clone(),
        agency: loc(ctx, &page.agency.name),
        sessions,
        parks,
        policies,
        stories,
    }
}

/// An event as a card in a list.
#[derive(Debug, Clone)]
pub struct EventCard {
    pub slug: String,
    pub title: LText,
    pub theme: LText,
    pub status: &'static str,
    pub start: TimeView,
    pub industries: Vec<String>,
    pub countries: Vec<String>,
}

pub fn event_card(ctx: &Ctx, e: &Event) -> EventCard {
    EventCard {
        slug: e.slug.clone(),
        title: loc(ctx, &e.title),
        theme: loc(ctx, &e.theme),
        status: e.status.code(),
        start: time_view(ctx, e.starts_at),
        industries: e
            .focus_industries
            .iter()
            .map(|i| industry_label(ctx, i))
            .collect(),
        countries: e
            .target_countries
            .iter()
            .map(|c| country_name(c, ctx.lang))
            .collect(),
    }
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
    pub registered: String,
    pub is_sample: bool,
}

pub fn registration_row(ctx: &Ctx, r: &Registration) -> RegistrationRow {
    RegistrationRow {
        id: r.id.0,
        name: r.name.clone(),
        email: r.email.clone(),
        job_title: r.job_title.clone().unwrap_or_default(),
        company: r.company.name.clone(),
        country: country_name(&r.company.country, ctx.lang),
        industry: industry_label(ctx, &r.company.industry),
        size: size_label(ctx, &r.company.size),
        language: r.language.endonym(),
        registered: format!(
            "{} {}",
            format_date(r.created_at, ctx.zone, ctx.lang),
            format_clock(r.created_at, ctx.zone)
        ),
        is_sample: r.company.is_sample,
    }
}
