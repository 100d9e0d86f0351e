//! What pages show of an event: the page view models,
//! with texts in the reader's language and times in Beijing and in the reader's zone.

use crate::caller::Ctx;
use crate::materials::{MaterialView, material_view};
use crate::views::{LText, TimeView, industry_label, loc, time_view};
use roadshow_app::events::EventPage;
use roadshow_domain::Lang;
use roadshow_domain::events::Event;
use roadshow_domain::reference::country_name;

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
    pub slug: String,
    pub name: LText,
    pub district: LText,
    pub summary: LText,
    pub industries: Vec<String>,
    pub policies: Vec<LText>,
    pub is_sample: bool,
}

#[derive(Debug, Clone)]
pub struct PolicyView {
    pub slug: String,
    pub title: LText,
    pub issuing_body: LText,
    pub summary: LText,
    pub validity: String,
    pub benefits: Vec<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone)]
pub struct StoryView {
    pub slug: String,
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
    /// Whether the event has a stream (its live page shows it) and a recording.
    pub has_stream: bool,
    pub has_recording: bool,
    pub agency: LText,
    pub sessions: Vec<SessionView>,
    pub parks: Vec<ParkView>,
    pub policies: Vec<PolicyView>,
    pub stories: Vec<StoryView>,
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
            slug: p.slug.clone(),
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
            slug: p.slug.clone(),
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
            slug: s.slug.clone(),
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
        description_html: page.description_html.get(ctx.lang).to_string(),
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
        has_stream: e.broadcast.stream.is_some(),
        has_recording: e.broadcast.recording.is_some(),
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
