//! The press-release draft: made from the report's figures and the agenda with the
//! catalogue's sentences (no language model), in the shape of the seed's article —
//! headline, dateline, who presented what to how many companies from where, the parks,
//! policies and success stories, the exchange, the outcome, a closing line. The organiser
//! edits it and the edit is kept per language. Counts of companies in a group smaller than
//! five are written "< 5": the draft leaves the agency.

use super::{EventReport, Reports};
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::accounts::Role;
use roadshow_domain::countries::COUNTRIES;
use roadshow_domain::reports::{PRESS_BODY_MAX, PRESS_TITLE_MAX, PressRelease, guarded};
use roadshow_domain::time::{BEIJING, format_long_date};
use roadshow_domain::validation::Checker;
use roadshow_i18n::{ArgValue, t, t_with};

/// A press release in one language: the organiser's edit, or the draft from the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressDraft {
    pub language: Lang,
    pub title: String,
    pub body: String,
    /// Whether this is the organiser's edit rather than the generated draft.
    pub edited: bool,
    pub updated_at: Option<DateTime<Utc>>,
    /// The event's title, for the page that edits it.
    pub event_title: roadshow_domain::Localized,
}

impl PressDraft {
    /// As Markdown: the title as a heading, the paragraphs as they are.
    pub fn markdown(&self) -> String {
        format!("# {}\n\n{}\n", self.title.trim(), self.body.trim())
    }

    /// As plain text.
    pub fn text(&self) -> String {
        format!("{}\n\n{}\n", self.title.trim(), self.body.trim())
    }
}

/// "A, B and C" as `lang` writes a list.
fn list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!(
            "{}{}{last}",
            rest.join(&t(lang, "press-list-separator")),
            t(lang, "press-list-and")
        ),
    }
}

fn country_name(code: &str, lang: Lang) -> String {
    COUNTRIES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
        .map(|c| match lang {
            Lang::De => c.de,
            Lang::En => c.en,
            Lang::Fr => c.fr,
            Lang::Zh => c.zh,
        })
        .unwrap_or(code)
        .to_string()
}

/// A sentence of the catalogue with its arguments.
fn say(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, ArgValue)> = args
        .iter()
        .map(|(k, v)| (*k, ArgValue::Text(v.clone())))
        .collect();
    t_with(lang, key, &args)
}

/// The draft made from the figures and the agenda.
pub fn generate(view: &EventReport, lang: Lang) -> (String, String) {
    let page = &view.page;
    let r = &view.report;
    let agency = page.agency.name.get(lang).to_string();
    let event = page.event.title.get(lang).to_string();
    let companies = r.headline.companies.to_string();
    let countries: Vec<String> = r
        .registrations
        .by_country
        .iter()
        .take(5)
        .map(|c| country_name(&c.key, lang))
        .collect();
    let title = say(
        lang,
        "press-title",
        &[
            ("agency", agency.clone()),
            ("event", event.clone()),
            ("companies", companies.clone()),
        ],
    );
    let mut paragraphs = vec![say(
        lang,
        "press-lead",
        &[
            (
                "dateline",
                say(
                    lang,
                    "press-dateline",
                    &[(
                        "date",
                        format_long_date(page.event.starts_at, BEIJING, lang),
                    )],
                ),
            ),
            ("agency", agency.clone()),
            ("event", event),
            ("companies", companies),
            ("countries", list(lang, &countries)),
        ],
    )];
    // Who presented what, in agenda order, each department once.
    let mut presenters: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for s in &page.sessions {
        let Some(d) = s.department_id else { continue };
        if seen.contains(&d) {
            continue;
        }
        seen.push(d);
        let Some(dept) = view.departments.iter().find(|x| x.id == d) else {
            continue;
        };
        presenters.push(say(
            lang,
            "press-presenter",
            &[
                ("department", dept.name.get(lang).to_string()),
                ("session", s.title.get(lang).to_string()),
            ],
        ));
    }
    let mut presented = Vec::new();
    if !presenters.is_empty() {
        presented.push(say(
            lang,
            "press-presented",
            &[(
                "presenters",
                presenters.join(&t(lang, "press-clause-separator")),
            )],
        ));
    }
    let parks: Vec<String> = page
        .parks
        .iter()
        .map(|p| p.name.get(lang).to_string())
        .collect();
    if !parks.is_empty() {
        presented.push(say(lang, "press-parks", &[("parks", list(lang, &parks))]));
    }
    let policies: Vec<String> = page
        .policies
        .iter()
        .map(|p| {
            format!(
                "{}{}{}",
                t(lang, "press-quote-open"),
                p.title.get(lang),
                t(lang, "press-quote-close")
            )
        })
        .collect();
    if !policies.is_empty() {
        presented.push(say(
            lang,
            "press-policies",
            &[("policies", list(lang, &policies))],
        ));
    }
    let stories: Vec<String> = page
        .stories
        .iter()
        .map(|s| s.company_name.clone())
        .collect();
    if !stories.is_empty() {
        presented.push(say(
            lang,
            "press-stories",
            &[
                ("count", stories.len().to_string()),
                ("companies", list(lang, &stories)),
            ],
        ));
    }
    if !presented.is_empty() {
        paragraphs.push(presented.join(&t(lang, "press-sentence-separator")));
    }
    let q = &r.questions;
    let mut exchange = vec![if q.asked > 0 {
        say(
            lang,
            "press-exchange",
            &[
                ("asked", q.asked.to_string()),
                ("answered", q.answered.to_string()),
            ],
        )
    } else {
        t(lang, "press-exchange-none")
    }];
    // The outcome, in counts of companies that no reader can trace to one company.
    let intending = r
        .intent
        .interest
        .iter()
        .filter(|c| c.key == "planning" || c.key == "committed")
        .map(|c| c.count)
        .sum::<u64>();
    if r.intent.answers > 0 {
        exchange.push(say(
            lang,
            "press-outcome-intent",
            &[
                ("answers", guarded(r.intent.answers)),
                ("intending", guarded(intending)),
            ],
        ));
    }
    if r.meetings.total.held > 0 {
        exchange.push(say(
            lang,
            "press-outcome-meetings",
            &[("held", guarded(r.meetings.total.held))],
        ));
    }
    if r.leads.signed > 0 {
        exchange.push(say(
            lang,
            "press-outcome-signed",
            &[("signed", guarded(r.leads.signed))],
        ));
    }
    paragraphs.push(exchange.join(&t(lang, "press-sentence-separator")));
    paragraphs.push(say(lang, "press-closing", &[("agency", agency)]));
    (title, paragraphs.join("\n\n"))
}

impl Reports<'_> {
    /// The press release of the event in `language`: the organiser's edit, or the draft
    /// from the figures (organisers and investment officers).
    pub async fn press_release(
        &self,
        principal: &Principal,
        slug: &str,
        language: Lang,
    ) -> AppResult<PressDraft> {
        let view = self.compute(principal, slug).await?;
        if view.department_only.is_some() {
            return Err(AppError::Forbidden);
        }
        if let Some(saved) = self
            .app
            .store
            .press_release(view.page.event.id, language)
            .await?
        {
            return Ok(PressDraft {
                language,
                title: saved.title,
                body: saved.body,
                edited: true,
                updated_at: Some(saved.updated_at),
                event_title: view.page.event.title.clone(),
            });
        }
        let (title, body) = generate(&view, language);
        Ok(PressDraft {
            language,
            title,
            body,
            edited: false,
            updated_at: None,
            event_title: view.page.event.title.clone(),
        })
    }

    /// Keeps the organiser's edit of the press release in `language`.
    pub async fn save_press_release(
        &self,
        principal: &Principal,
        slug: &str,
        language: Lang,
        title: &str,
        body: &str,
    ) -> AppResult<PressDraft> {
        let page = self.organiser_of(principal, slug).await?;
        let mut check = Checker::new();
        let title = check.required("title", Some(title), PRESS_TITLE_MAX);
        let body = check.required("body", Some(body), PRESS_BODY_MAX);
        let (title, body) = check.finish((title, body))?;
        let release = PressRelease {
            language,
            title,
            body,
            updated_at: Utc::now(),
        };
        self.app
            .store
            .save_press_release(page.event.id, &release)
            .await?;
        Ok(PressDraft {
            language,
            title: release.title,
            body: release.body,
            edited: true,
            updated_at: Some(release.updated_at),
            event_title: page.event.title.clone(),
        })
    }

    /// Forgets the organiser's edit: the language gets the draft from the figures again.
    pub async fn reset_press_release(
        &self,
        principal: &Principal,
        slug: &str,
        language: Lang,
    ) -> AppResult<()> {
        let page = self.organiser_of(principal, slug).await?;
        self.app
            .store
            .delete_press_release(page.event.id, language)
            .await?;
        Ok(())
    }

    /// The event, for one of its agency's organisers.
    async fn organiser_of(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<std::sync::Arc<crate::events::EventPage>> {
        let staff = principal.as_staff()?;
        let page = self.app.event_of(principal, slug).await?;
        principal.as_staff_of(page.event.agency_id)?;
        if staff.role != Role::Organiser {
            return Err(AppError::Forbidden);
        }
        Ok(page)
    }
}
