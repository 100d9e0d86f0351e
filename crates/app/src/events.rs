//! Events, their agenda, speakers and departments: what visitors read and what organisers
//! change.

use crate::access::*;
use crate::links;
use crate::{App, AppError, AppResult, Principal};
use chrono::Utc;
use roadshow_domain::Lang;
use roadshow_domain::accounts::Agency;
use roadshow_domain::departments::Department;
use roadshow_domain::directory::Kind;
use roadshow_domain::directory::{Park, Policy, SuccessStory};
use roadshow_domain::events::calendar::{Calendar, CalendarEntry};
use roadshow_domain::events::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::StoreError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Everything the event page shows, read in one go and cached.
#[derive(Debug, Clone)]
pub struct EventPage {
    pub agency: Agency,
    pub event: Event,
    pub sessions: Vec<Session>,
    pub departments: Vec<Department>,
    /// The parks, policies and stories the agenda names, in agenda order.
    pub parks: Vec<Park>,
    pub policies: Vec<Policy>,
    pub stories: Vec<SuccessStory>,
    /// The description as sanitised HTML per language, made once per load of the page
    /// rather than once per view (Markdown and sanitising cost more than the rest).
    pub description_html: roadshow_domain::Localized,
    /// Titles of the agency's current policies and parks by `policy:slug` / `park:slug`,
    /// for the citations in written answers.
    pub citations: std::collections::HashMap<String, roadshow_domain::Localized>,
    /// The agenda as iCalendar per language (in `Lang::ALL` order), made at its first use:
    /// every confirmation email carries it.
    agenda_ics: [std::sync::OnceLock<String>; 4],
}

impl EventPage {
    /// The agenda as an iCalendar file in `lang`, made once per load of the page.
    pub fn agenda_ics(&self, lang: Lang, base_url: &str) -> String {
        let slot = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        self.agenda_ics[slot]
            .get_or_init(|| agenda_calendar(self, lang, base_url).to_ics())
            .clone()
    }

    pub fn department(&self, id: Option<DepartmentId>) -> Option<&Department> {
        id.and_then(|id| self.departments.iter().find(|d| d.id == id))
    }
}

/// How long a cached event page may be served. Writes through this process clear the
/// cache at once; the bound only matters for writes made by another process on the same
/// PostgreSQL database.
const PAGE_TTL: Duration = Duration::from_secs(2);

/// Event pages by slug. The public page is read far more often than it changes, so it is
/// served from memory (see BENCHMARKS.md).
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, (Instant, Arc<EventPage>)>>,
    /// Held while a missing page is loaded, so that a crowd arriving at once (ten
    /// thousand live followers reconnecting) loads it once, not once each.
    loading: tokio::sync::Mutex<()>,
    /// Counts the clears, so that what was made from these pages (the web layer's kept
    /// answers) knows when it is stale.
    pub(crate) generation: std::sync::atomic::AtomicU64,
}

impl PageCache {
    fn get(&self, slug: &str) -> Option<Arc<EventPage>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .get(slug)
            .filter(|(at, _)| at.elapsed() < PAGE_TTL)
            .map(|(_, page)| page.clone())
    }

    fn put(&self, slug: &str, page: Arc<EventPage>) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if pages.len() > 1000 {
            pages.clear();
        }
        pages.insert(slug.to_string(), (Instant::now(), page));
    }

    /// Forgets every page; called after any organiser write.
    pub fn clear(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
        self.pages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The calendar of an event's agenda; also attached to confirmation emails.
pub fn agenda_calendar(page: &EventPage, lang: Lang, base_url: &str) -> Calendar {
    let event_url = links::event(base_url, &page.event.slug);
    // An online event takes place on its live page (not at the raw stream's address).
    let live_url = links::event_live(base_url, &page.event.slug);
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or("roadshow")
        .split(['/', ':'])
        .next()
        .unwrap_or("roadshow")
        .to_string();
    let entries = page
        .sessions
        .iter()
        .map(|s| {
            let presenter = page
                .department(s.department_id)
                .map(|d| d.name.get(lang).to_string())
                .unwrap_or_else(|| s.presenter.get(lang).to_string());
            let speakers: Vec<_> = s.speakers.iter().map(|sp| sp.name.clone()).collect();
            let mut description = String::new();
            if !presenter.is_empty() {
                description.push_str(&presenter);
            }
            if !speakers.is_empty() {
                description.push_str(&format!(" — {}", speakers.join(", ")));
            }
            if !s.summary.is_empty() {
                description.push_str(&format!("\n\n{}", s.summary.get(lang)));
            }
            CalendarEntry {
                uid: format!("session-{}-{}@{host}", page.event.slug, s.id),
                summary: format!("{} · {}", page.event.title.get(lang), s.title.get(lang)),
                description: description.trim().to_string(),
                location: Some(live_url.clone()),
                url: Some(event_url.clone()),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            }
        })
        .collect::<Vec<_>>();
    let entries = if entries.is_empty() {
        vec![CalendarEntry {
            uid: format!("event-{}@{host}", page.event.slug),
            summary: page.event.title.get(lang).to_string(),
            description: page.event.theme.get(lang).to_string(),
            location: Some(live_url),
            url: Some(event_url),
            starts_at: page.event.starts_at,
            ends_at: page.event.ends_at,
        }]
    } else {
        entries
    };
    Calendar {
        name: page.event.title.get(lang).to_string(),
        zone: page.event.zone(),
        entries,
        stamp: page.event.updated_at.min(Utc::now()),
    }
}

fn field_error(field: &str, code: &'static str) -> roadshow_domain::FieldError {
    roadshow_domain::FieldError::new(field, code)
}

/// Both the parse errors and the link errors, reported together.
fn merge_invalid<T>(draft: AppResult<T>, links: AppResult<()>) -> AppResult<T> {
    match (draft, links) {
        (Ok(d), Ok(())) => Ok(d),
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            Err(AppError::Invalid(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// A slug conflict is a field error on `slug`, so that the form shows it there.
pub(crate) fn slug_field(err: StoreError) -> AppError {
    match err {
        StoreError::Conflict("slug_taken") => {
            AppError::Invalid(vec![field_error("slug", "slug_taken")])
        }
        other => other.into(),
    }
}

/// Whether visitors may register now.
pub fn registration_open(event: &Event) -> bool {
    event.status.accepts_registrations()
}

/// Events, their agenda, speakers and calendar.
#[derive(Clone, Copy)]
pub struct Events<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Events, their agenda, speakers and calendar.
    pub fn events(&self) -> Events<'_> {
        Events { app: self }
    }
}

impl Events<'_> {
    async fn load_page(&self, event: Event) -> AppResult<EventPage> {
        let agency = self
            .app
            .store
            .agency(event.agency_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let sessions = self.app.store.sessions(event.id).await?;
        let departments = self.app.store.departments(event.agency_id).await?;
        // Archived items are kept but no longer shown.
        let mut all_parks = self.app.store.parks(event.agency_id).await?;
        all_parks.retain(|p| !p.archived);
        let mut all_policies = self.app.store.policies(event.agency_id).await?;
        all_policies.retain(|p| !p.archived);
        let mut all_stories = self.app.store.stories(event.agency_id).await?;
        all_stories.retain(|s| !s.archived);
        let citations = all_policies
            .iter()
            .map(|p| (Kind::Policy.key(&p.slug), p.title.clone()))
            .chain(
                all_parks
                    .iter()
                    .map(|p| (Kind::Park.key(&p.slug), p.name.clone())),
            )
            .collect();
        let mut parks = Vec::new();
        let mut policies = Vec::new();
        let mut stories = Vec::new();
        for session in &sessions {
            for id in &session.park_ids {
                if let Some(p) = all_parks.iter().find(|p| p.id == *id) {
                    if !parks.iter().any(|x: &Park| x.id == p.id) {
                        parks.push(p.clone());
                    }
                }
            }
            for id in &session.policy_ids {
                if let Some(p) = all_policies.iter().find(|p| p.id == *id) {
                    if !policies.iter().any(|x: &Policy| x.id == p.id) {
                        policies.push(p.clone());
                    }
                }
            }
            for id in &session.story_ids {
                if let Some(s) = all_stories.iter().find(|s| s.id == *id) {
                    if !stories.iter().any(|x: &SuccessStory| x.id == s.id) {
                        stories.push(s.clone());
                    }
                }
            }
        }
        // The parks' own policies belong on the page too: they are what the parks present.
        for park in &parks {
            for id in &park.policy_ids {
                if let Some(p) = all_policies.iter().find(|p| p.id == *id) {
                    if !policies.iter().any(|x: &Policy| x.id == p.id) {
                        policies.push(p.clone());
                    }
                }
            }
        }
        let description_html = roadshow_domain::Localized(
            event
                .description
                .0
                .iter()
                .map(|(lang, text)| (*lang, roadshow_domain::text::markdown_to_safe_html(text)))
                .collect(),
        );
        Ok(EventPage {
            citations,
            description_html,
            agenda_ics: Default::default(),
            agency,
            event,
            sessions,
            departments,
            parks,
            policies,
            stories,
        })
    }

    /// The published events, soonest first.
    pub async fn public_events(&self) -> AppResult<Vec<Event>> {
        Ok(self.app.store.events(None, true).await?)
    }

    /// The event page. Drafts are visible only to the agency's staff; to anyone else
    /// they do not exist.
    pub async fn event_page(&self, principal: &Principal, slug: &str) -> AppResult<Arc<EventPage>> {
        let page = match self.app.cache.get(slug) {
            Some(page) => page,
            None => {
                let _loading = self.app.cache.loading.lock().await;
                if let Some(page) = self.app.cache.get(slug) {
                    return self.visible_page(principal, page);
                }
                let event = self
                    .app
                    .store
                    .event_by_slug(slug)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let page = Arc::new(self.load_page(event).await?);
                self.app.cache.put(slug, page.clone());
                page
            }
        };
        self.visible_page(principal, page)
    }

    /// Drafts are visible only to the agency's staff; to anyone else they do not exist.
    fn visible_page(
        &self,
        principal: &Principal,
        page: Arc<EventPage>,
    ) -> AppResult<Arc<EventPage>> {
        if !page.event.status.is_public() && principal.staff_of(page.event.agency_id).is_none() {
            return Err(AppError::NotFound);
        }
        Ok(page)
    }

    /// The event for an organiser of its agency.
    pub async fn event_for_organiser(&self, principal: &Principal, slug: &str) -> AppResult<Event> {
        principal.as_staff()?;
        let event = self
            .app
            .store
            .event_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound)?;
        principal.as_organiser_of(event.agency_id)?;
        Ok(event)
    }

    /// All events of the organiser's agency, drafts included.
    /// The agency's events for any of its staff (moderators see the events they run).
    pub async fn staff_events(&self, principal: &Principal) -> AppResult<Vec<Event>> {
        let staff = principal.as_staff()?;
        Ok(self.app.store.events(Some(staff.agency_id), false).await?)
    }

    pub async fn agency_events(&self, principal: &Principal) -> AppResult<Vec<Event>> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self.app.store.events(Some(agency), false).await?)
    }

    /// Whether `principal` may create events (an organiser): the empty form is shown
    /// only to them.
    pub fn may_create_event(&self, principal: &Principal) -> AppResult<()> {
        principal.as_organiser().map(|_| ())
    }

    pub async fn create_event(
        &self,
        principal: &Principal,
        input: &EventInput,
    ) -> AppResult<Event> {
        let agency = principal.as_organiser()?.agency_id;
        let draft = input.parse(None)?;
        self.app.broadcast().allowed_hosts(&draft.broadcast)?;
        let event = self
            .app
            .store
            .create_event(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.app.cache.clear();
        Ok(event)
    }

    pub async fn update_event(
        &self,
        principal: &Principal,
        slug: &str,
        input: &EventInput,
    ) -> AppResult<Event> {
        let event = self.event_for_organiser(principal, slug).await?;
        let draft = input.parse(Some(event.status))?;
        self.app.broadcast().allowed_hosts(&draft.broadcast)?;
        let updated = self
            .app
            .store
            .update_event(event.id, &draft)
            .await
            .map_err(slug_field)?;
        self.app.cache.clear();
        Ok(updated)
    }

    /// Checks that the ids a session links to belong to the agency.
    async fn check_session_links(&self, agency: AgencyId, input: &SessionInput) -> AppResult<()> {
        let mut errors = Vec::new();
        if let Some(id) = input.department_id {
            let dept = self.app.store.department(DepartmentId(id)).await?;
            if dept.is_none_or(|d| d.agency_id != agency) {
                errors.push(field_error("department_id", "unknown_department"));
            }
        }
        let parks = self.app.store.parks(agency).await?;
        if input
            .park_ids
            .iter()
            .any(|id| !parks.iter().any(|p| p.id.0 == *id))
        {
            errors.push(field_error("park_ids", "unknown_park"));
        }
        let policies = self.app.store.policies(agency).await?;
        if input
            .policy_ids
            .iter()
            .any(|id| !policies.iter().any(|p| p.id.0 == *id))
        {
            errors.push(field_error("policy_ids", "unknown_policy"));
        }
        let stories = self.app.store.stories(agency).await?;
        if input
            .story_ids
            .iter()
            .any(|id| !stories.iter().any(|s| s.id.0 == *id))
        {
            errors.push(field_error("story_ids", "unknown_story"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    pub async fn create_session(
        &self,
        principal: &Principal,
        slug: &str,
        input: &SessionInput,
    ) -> AppResult<Session> {
        let event = self.event_for_organiser(principal, slug).await?;
        let draft = input.parse(event.zone(), event.starts_at, event.ends_at);
        let links = self.check_session_links(event.agency_id, input).await;
        let draft = merge_invalid(draft.map_err(AppError::from), links)?;
        self.app.broadcast().allowed_hosts(&draft.broadcast)?;
        let session = self.app.store.create_session(event.id, &draft).await?;
        self.app.cache.clear();
        Ok(session)
    }

    /// The session and its event, for an organiser of the event's agency.
    pub async fn session_for_organiser(
        &self,
        principal: &Principal,
        id: SessionId,
    ) -> AppResult<(Event, Session)> {
        principal.as_staff()?;
        let session = self
            .app
            .store
            .session(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = self
            .app
            .store
            .event(session.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        principal.as_organiser_of(event.agency_id)?;
        Ok((event, session))
    }

    pub async fn update_session(
        &self,
        principal: &Principal,
        id: SessionId,
        input: &SessionInput,
    ) -> AppResult<Session> {
        let (event, _) = self.session_for_organiser(principal, id).await?;
        let draft = input.parse(event.zone(), event.starts_at, event.ends_at);
        let links = self.check_session_links(event.agency_id, input).await;
        let draft = merge_invalid(draft.map_err(AppError::from), links)?;
        self.app.broadcast().allowed_hosts(&draft.broadcast)?;
        let session = self.app.store.update_session(id, &draft).await?;
        self.app.cache.clear();
        Ok(session)
    }

    pub async fn delete_session(&self, principal: &Principal, id: SessionId) -> AppResult<Event> {
        let (event, _) = self.session_for_organiser(principal, id).await?;
        let keys = self.app.store.delete_session(id).await?;
        for key in keys {
            self.app.materials().remove_legacy_upload(&key).await;
        }
        self.app.cache.clear();
        Ok(event)
    }

    pub async fn add_speaker(
        &self,
        principal: &Principal,
        session: SessionId,
        input: &SpeakerInput,
    ) -> AppResult<Speaker> {
        self.session_for_organiser(principal, session).await?;
        let draft = input.parse()?;
        let speaker = self.app.store.add_speaker(session, &draft).await?;
        self.app.cache.clear();
        Ok(speaker)
    }

    /// Removes a speaker; returns the event it belonged to.
    pub async fn delete_speaker(&self, principal: &Principal, id: SpeakerId) -> AppResult<Event> {
        principal.as_staff()?;
        let speaker = self
            .app
            .store
            .speaker(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (event, _) = self
            .session_for_organiser(principal, speaker.session_id)
            .await?;
        self.app.store.delete_speaker(id).await?;
        self.app.cache.clear();
        Ok(event)
    }

    /// The agenda as iCalendar, with session titles in `lang`.
    pub async fn agenda_ics(
        &self,
        principal: &Principal,
        slug: &str,
        lang: Lang,
    ) -> AppResult<String> {
        let page = self.event_page(principal, slug).await?;
        Ok(page.agenda_ics(lang, &self.app.config.base_url))
    }
}
