//! Registrations: a visitor signs up; organisers list, count and export them; a
//! participant sees their own.

use crate::access::*;
use crate::accounts::PARTICIPANT_PREFIX;
use crate::events::{EventPage, registration_open};
use crate::group_commit::GroupCommit;
use crate::secrets::{random_secret, secret_hash};
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::Lang;
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::outbox::EmailStatus;
use roadshow_domain::paging::PageRequest;
use roadshow_domain::reference::country_name;
use roadshow_domain::registrations::*;
use roadshow_domain::text::spreadsheet_safe;
use roadshow_i18n::t;
use std::sync::Arc;

/// A new registration and the participant's personal token (shown once, never stored).
#[derive(Debug, Clone)]
pub struct RegistrationReceipt {
    pub registration: Registration,
    pub token: String,
}

/// What an organiser sees of an event's registrations.
#[derive(Debug, Clone)]
pub struct RegistrationList {
    pub event: Event,
    pub registrations: Vec<Registration>,
    pub counts: RegistrationCounts,
    /// The cursor of the page after this one, when the list was read a page at a time
    /// and more follow.
    pub next: Option<RegistrationId>,
}

/// A registration waiting for the next group commit.
pub(crate) struct PendingRegistration {
    page: Arc<EventPage>,
    draft: RegistrationDraft,
    token_hash: String,
    email: roadshow_domain::outbox::EmailMessage,
    status: EmailStatus,
    is_sample: bool,
}

/// The most registrations one commit takes.
const REGISTRATION_BATCH: usize = 64;

/// Commits registrations in groups (see [`GroupCommit`]), so a rush after an
/// announcement costs one disk sync per group instead of one per registration.
pub(crate) type RegistrationWriter = GroupCommit<PendingRegistration, Registration>;

pub(crate) fn registration_writer(
    store: Arc<dyn roadshow_domain::store::Store>,
) -> RegistrationWriter {
    GroupCommit::start(
        "registration",
        REGISTRATION_BATCH,
        move |batch: Vec<PendingRegistration>| {
            let store = store.clone();
            async move {
                let new: Vec<NewRegistration<'_>> = batch
                    .iter()
                    .map(|p| NewRegistration {
                        event: &p.page.event,
                        draft: &p.draft,
                        token_hash: &p.token_hash,
                        confirmation: &p.email,
                        email_status: p.status,
                        is_sample: p.is_sample,
                    })
                    .collect();
                let results = match store.create_registrations(&new).await {
                    Ok(results) => results,
                    Err(e) => {
                        // The group's transaction failed: each is tried alone, so that each
                        // gets its own answer (most often they then succeed).
                        tracing::warn!(
                            error = &e as &dyn std::error::Error,
                            "a group of registrations is retried one by one"
                        );
                        let mut one_by_one = Vec::with_capacity(new.len());
                        for n in &new {
                            one_by_one.push(
                                store
                                    .create_registration(
                                        n.event,
                                        n.draft,
                                        n.token_hash,
                                        n.confirmation,
                                        n.email_status,
                                        n.is_sample,
                                    )
                                    .await,
                            );
                        }
                        one_by_one
                    }
                };
                results
                    .into_iter()
                    .map(|r| r.map_err(AppError::from))
                    .collect()
            }
        },
    )
}

/// Registrations for events.
#[derive(Clone, Copy)]
pub struct Registrations<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Registrations for events.
    pub fn registrations(&self) -> Registrations<'_> {
        Registrations { app: self }
    }
}

impl Registrations<'_> {
    /// Registers a visitor for a published event. `client` is the caller's address for
    /// the rate limit; `page_lang` is used when the form names no language.
    pub async fn register(
        &self,
        principal: &Principal,
        slug: &str,
        input: &RegistrationInput,
        client: &str,
        page_lang: Lang,
    ) -> AppResult<RegistrationReceipt> {
        self.app
            .limiter
            .hit(
                &format!("register:{client}"),
                self.app.config.registration_limit(),
            )
            .await?;
        match self.register_unlimited(slug, input, page_lang, false).await {
            // A draft is not found by the public; its agency's staff see it, so they
            // learn that it takes no registrations yet.
            Err(AppError::NotFound) if principal.staff().is_some() => {
                self.app.events().event_page(principal, slug).await?;
                Err(AppError::Closed("registration_closed"))
            }
            other => other,
        }
    }

    /// Registration without the per-client limit: for the demo's sample companies.
    pub(crate) async fn register_unlimited(
        &self,
        slug: &str,
        input: &RegistrationInput,
        page_lang: Lang,
        is_sample: bool,
    ) -> AppResult<RegistrationReceipt> {
        let page = self
            .app
            .events()
            .event_page(&Principal::Anonymous, slug)
            .await?;
        if !registration_open(&page.event) {
            return Err(AppError::Closed("registration_closed"));
        }
        let new = input.parse(
            &page.event.form_fields,
            &page.event.privacy_version,
            page_lang,
        )?;
        let token = format!("{PARTICIPANT_PREFIX}{}", random_secret());
        let email =
            crate::outbox::confirmation_email(&page, &new, &token, &self.app.config.base_url);
        // Sample companies have invented addresses: their emails stay in the outbox.
        let status = if is_sample {
            EmailStatus::Held
        } else {
            self.app.sender.initial_status()
        };
        let pending = PendingRegistration {
            page,
            draft: new,
            token_hash: secret_hash(&token),
            email,
            status,
            is_sample,
        };
        // SQLite has one writer: registrations wait for the next group commit. PostgreSQL
        // commits on many connections at once, which serves a rush better than one queue.
        let registration = if self.app.store.single_writer() {
            self.app.registration_writer.submit(pending).await?
        } else {
            self.app
                .store
                .create_registration(
                    &pending.page.event,
                    &pending.draft,
                    &pending.token_hash,
                    &pending.email,
                    pending.status,
                    pending.is_sample,
                )
                .await?
        };
        self.app.sender.wake();
        Ok(RegistrationReceipt {
            registration,
            token,
        })
    }

    /// The registrations of an event, filtered, with counts by country and industry.
    pub async fn registrations(
        &self,
        principal: &Principal,
        slug: &str,
        filter: &RegistrationFilter,
    ) -> AppResult<RegistrationList> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let registrations = self.app.store.registrations(event.id, filter).await?;
        let counts = self.app.store.registration_counts(event.id).await?;
        Ok(RegistrationList {
            event,
            registrations,
            counts,
            next: None,
        })
    }

    /// A page of an event's registrations, filtered, in the order they came in, with the
    /// counts of the whole event and the cursor of the next page.
    pub async fn registrations_page(
        &self,
        principal: &Principal,
        slug: &str,
        filter: &RegistrationFilter,
        page: PageRequest,
    ) -> AppResult<RegistrationList> {
        let filter = RegistrationFilter {
            after: page.after.map(RegistrationId),
            limit: Some(page.fetch()),
            ..filter.clone()
        };
        let mut list = self.registrations(principal, slug, &filter).await?;
        let listed = page.split(std::mem::take(&mut list.registrations), |r| r.id.0);
        list.registrations = listed.items;
        list.next = listed.next.map(RegistrationId);
        Ok(list)
    }

    /// One registration: for an organiser of its agency, or for the participant it
    /// belongs to. To anyone else it does not exist.
    pub async fn registration(
        &self,
        principal: &Principal,
        id: RegistrationId,
    ) -> AppResult<Registration> {
        let registration = match principal {
            Principal::Anonymous => return Err(AppError::Unauthenticated),
            Principal::Participant(p) if p.registration_id != id => return Err(AppError::NotFound),
            _ => self
                .app
                .store
                .registration(id)
                .await?
                .ok_or(AppError::NotFound)?,
        };
        if let Principal::Staff(_) = principal {
            let event = self
                .app
                .store
                .event(registration.event_id)
                .await?
                .ok_or(AppError::NotFound)?;
            principal
                .as_organiser_of(event.agency_id)
                .map_err(|e| match e {
                    AppError::Forbidden => AppError::Forbidden,
                    _ => AppError::NotFound,
                })?;
        }
        Ok(registration)
    }

    /// The participant's own page, by the personal token from the confirmation.
    pub async fn participant_home(&self, token: &str) -> AppResult<(Registration, Arc<EventPage>)> {
        let registration = self
            .app
            .store
            .registration_by_token(&secret_hash(token))
            .await?
            .ok_or(AppError::NotFound)?;
        let event = self
            .app
            .store
            .event(registration.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let page = self
            .app
            .events()
            .event_page(&Principal::Anonymous, &event.slug)
            .await?;
        Ok((registration, page))
    }

    /// The registrations as CSV for a spreadsheet: UTF-8 with BOM, headers in `lang`,
    /// every cell defused against formula injection.
    pub async fn registrations_csv(
        &self,
        principal: &Principal,
        slug: &str,
        filter: &RegistrationFilter,
        lang: Lang,
    ) -> AppResult<String> {
        let list = self.registrations(principal, slug, filter).await?;
        self.app
            .privacy()
            .audit_staff(
                principal,
                list.event.agency_id,
                "export_downloaded",
                format!("event:{}", list.event.id),
                serde_json::json!({"what": "registrations.csv"}),
            )
            .await?;
        let question_keys: Vec<_> = list
            .event
            .form_fields
            .iter()
            .map(|q| q.key.clone())
            .collect();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut header: Vec<String> = [
            "csv-registered-at",
            "field-name",
            "field-email",
            "field-job-title",
            "field-language",
            "field-company-name",
            "field-country",
            "field-industry",
            "field-size",
            "field-website",
            "csv-consent-at",
            "csv-consent-version",
        ]
        .iter()
        .map(|k| t(lang, k))
        .collect();
        for q in &list.event.form_fields {
            header.push(q.label.get(lang).to_string());
        }
        writer
            .write_record(header.iter().map(|h| spreadsheet_safe(h)))
            .map_err(|e| AppError::internal(e.to_string()))?;
        for r in &list.registrations {
            let mut row = vec![
                r.created_at.to_rfc3339(),
                if r.erased {
                    t(lang, "privacy-deleted-participant")
                } else {
                    r.name.clone()
                },
                if r.erased {
                    String::new()
                } else {
                    r.email.clone()
                },
                r.job_title.clone().unwrap_or_default(),
                r.language.code().to_string(),
                r.company.name.clone(),
                country_name(&r.company.country, lang),
                t(lang, &format!("industry-{}", r.company.industry)),
                r.company.size.clone(),
                r.company.website.clone().unwrap_or_default(),
                r.consent_at.to_rfc3339(),
                r.consent_version.clone(),
            ];
            for key in &question_keys {
                row.push(r.answers.get(key).cloned().unwrap_or_default());
            }
            writer
                .write_record(row.iter().map(|c| spreadsheet_safe(c)))
                .map_err(|e| AppError::internal(e.to_string()))?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| AppError::internal(e.to_string()))?;
        let body = String::from_utf8(bytes).map_err(|e| AppError::internal(e.to_string()))?;
        Ok(format!("\u{feff}{body}"))
    }
}
