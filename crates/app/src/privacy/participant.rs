//! What a participant does about their data from their personal page, the personal link
//! being the key: their consents, an export built in the background and offered for a
//! week, and an erasure confirmed through a link emailed to them.

use super::{Privacy, actor, draft, participant_subject};
use crate::access::Guards;
use crate::secrets::{random_secret, secret_hash};
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Duration, Utc};
use roadshow_domain::Lang;
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::outbox::EmailMessage;
use roadshow_domain::privacy::*;
use roadshow_domain::registrations::Registration;
use roadshow_i18n::{ArgValue, t, t_with};
use serde_json::json;
use std::collections::BTreeMap;

/// What the participant's privacy page shows.
#[derive(Debug, Clone)]
pub struct MyPrivacy {
    pub registration: Registration,
    pub person: Person,
    pub consents: Vec<Consent>,
    pub requests: Vec<PrivacyRequest>,
    /// When the next export may be asked for, if not now.
    pub next_export_at: Option<DateTime<Utc>>,
    pub recipients: Vec<Recipient>,
    pub retention_days: i64,
}

/// An erasure waiting for its emailed confirmation.
#[derive(Debug, Clone)]
pub struct PendingErasure {
    pub request: PrivacyRequest,
    pub person: Person,
}

fn as_participant(r: &Registration) -> Principal {
    Principal::Participant(ParticipantAccess {
        participant_id: r.participant_id,
        event_id: r.event_id,
        registration_id: r.id,
    })
}

impl Privacy<'_> {
    /// The registration of the participant (known by their personal link or its token),
    /// refused once they are erased.
    async fn by_link(&self, principal: &Principal) -> AppResult<(Registration, Person)> {
        let access = principal.as_participant()?;
        let registration = self
            .app
            .store
            .registration(access.registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let person = self
            .app
            .store
            .person(registration.participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if person.erased_at.is_some() {
            return Err(AppError::NotFound);
        }
        Ok((registration, person))
    }

    /// The participant's consents, requests and what the notice tells them.
    pub async fn mine(&self, principal: &Principal) -> AppResult<MyPrivacy> {
        let (registration, person) = self.by_link(principal).await?;
        let store = &self.app.store;
        let requests = store.participant_requests(person.id).await?;
        let last_export = requests
            .iter()
            .filter(|r| r.kind == RequestKind::Export && r.channel == Channel::PersonalLink)
            .map(|r| r.requested_at)
            .max();
        let next_export_at = next_export_at(last_export).filter(|at| *at > Utc::now());
        let (_, retention_days) = self.settings(person.agency_id).await?;
        Ok(MyPrivacy {
            consents: store.consents(person.id).await?,
            recipients: store.recipients(person.agency_id).await?,
            registration,
            person,
            requests,
            next_export_at,
            retention_days,
        })
    }

    /// Changes consents; each takes effect at once (a withdrawn contact consent stops
    /// the survey and its reminder).
    pub async fn set_my_consents(
        &self,
        principal: &Principal,
        given: &BTreeMap<String, bool>,
    ) -> AppResult<Vec<Consent>> {
        let (registration, person) = self.by_link(principal).await?;
        let choices = parse_changes(given)?;
        let payload = json!(
            choices
                .iter()
                .map(|(p, g)| json!({"purpose": p.code(), "given": g, "version": NOTICE_VERSION}))
                .collect::<Vec<_>>()
        );
        Ok(self
            .app
            .store
            .set_consents(
                person.id,
                &choices,
                NOTICE_VERSION,
                Utc::now(),
                &draft(
                    Some(person.agency_id),
                    actor(&as_participant(&registration)),
                    "consent_changed",
                    participant_subject(person.id),
                    payload,
                ),
            )
            .await?)
    }

    /// Asks for an export: built in the background, offered on the personal page for
    /// a week. One a week.
    pub async fn request_my_export(&self, principal: &Principal) -> AppResult<PrivacyRequest> {
        let mine = self.mine(principal).await?;
        if let Some(at) = mine.next_export_at {
            let wait = (at - Utc::now()).num_seconds().max(1);
            return Err(AppError::RateLimited {
                retry_after: u64::try_from(wait).unwrap_or(1),
            });
        }
        let person = mine.person;
        let request = self
            .app
            .store
            .create_request(
                &NewRequest {
                    agency_id: person.agency_id,
                    participant_id: person.id,
                    kind: RequestKind::Export,
                    state: RequestState::Pending,
                    channel: Channel::PersonalLink,
                    at: Utc::now(),
                    confirm_hash: None,
                    handled_by: None,
                    identity_check: Some("personal_link".into()),
                },
                &draft(
                    Some(person.agency_id),
                    actor(&as_participant(&mine.registration)),
                    "export_requested",
                    participant_subject(person.id),
                    json!({"channel": "personal_link"}),
                ),
            )
            .await?;
        let app = self.app.clone();
        let id = request.id;
        tokio::spawn(async move {
            let privacy = app.privacy();
            let outcome = match privacy.build_export(&person).await {
                Ok(document) => RequestOutcome {
                    state: RequestState::Done,
                    at: Utc::now(),
                    handled_by: None,
                    refusal_reason: None,
                    file: Some((document, Utc::now() + Duration::days(EXPORT_VALID_DAYS))),
                },
                Err(err) => {
                    tracing::error!(error = &err as &dyn std::error::Error, "export failed");
                    RequestOutcome {
                        state: RequestState::Refused,
                        at: Utc::now(),
                        handled_by: None,
                        refusal_reason: Some("export_failed".into()),
                        file: None,
                    }
                }
            };
            if let Err(err) = app.store.finish_request(id, &outcome).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "recording an export failed"
                );
            }
        });
        Ok(request)
    }

    /// The export's file, for the participant whose link this is, while it is offered.
    pub async fn my_export(&self, principal: &Principal, id: i64) -> AppResult<String> {
        let (registration, person) = self.by_link(principal).await?;
        let request = self
            .app
            .store
            .request(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if request.participant_id != person.id || !request.downloadable(Utc::now()) {
            return Err(AppError::NotFound);
        }
        self.audit(&draft(
            Some(person.agency_id),
            actor(&as_participant(&registration)),
            "export_downloaded",
            participant_subject(person.id),
            json!({"request": id}),
        ))
        .await?;
        self.app
            .store
            .export_file(id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Asks for erasure: a link to confirm it is emailed to the participant, so that
    /// someone who only saw the personal link cannot erase them unseen.
    pub async fn request_my_erasure(&self, principal: &Principal) -> AppResult<PrivacyRequest> {
        let (registration, person) = self.by_link(principal).await?;
        // One link a day is enough: asking again does not fill their inbox.
        if let Some(waiting) = self
            .app
            .store
            .participant_requests(person.id)
            .await?
            .into_iter()
            .find(|r| {
                r.state == RequestState::AwaitingConfirmation
                    && r.requested_at > Utc::now() - Duration::days(1)
            })
        {
            return Ok(waiting);
        }
        let confirm = random_secret();
        let request = self
            .app
            .store
            .create_request(
                &NewRequest {
                    agency_id: person.agency_id,
                    participant_id: person.id,
                    kind: RequestKind::Erasure,
                    state: RequestState::AwaitingConfirmation,
                    channel: Channel::PersonalLink,
                    at: Utc::now(),
                    confirm_hash: Some(secret_hash(&confirm)),
                    handled_by: None,
                    identity_check: Some("emailed_link".into()),
                },
                &draft(
                    Some(person.agency_id),
                    actor(&as_participant(&registration)),
                    "erasure_requested",
                    participant_subject(person.id),
                    json!({"channel": "personal_link"}),
                ),
            )
            .await?;
        let message = confirmation_email(&person, &confirm, &self.app.config.base_url);
        self.app
            .store
            .enqueue_email(
                Some(person.agency_id),
                &message,
                self.app.sender.initial_status(),
            )
            .await?;
        self.app.sender.wake();
        Ok(request)
    }

    /// The erasure an emailed link confirms, while it waits.
    pub async fn pending_erasure(&self, confirm: &str) -> AppResult<PendingErasure> {
        if confirm.len() > 100 {
            return Err(AppError::NotFound);
        }
        let request = self
            .app
            .store
            .request_by_confirmation(&secret_hash(confirm))
            .await?
            .ok_or(AppError::NotFound)?;
        if request.state != RequestState::AwaitingConfirmation {
            return Err(AppError::NotFound);
        }
        let person = self
            .app
            .store
            .person(request.participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PendingErasure { request, person })
    }

    /// Carries out a confirmed erasure; returns the language to say so in.
    pub async fn confirm_erasure(&self, confirm: &str) -> AppResult<Lang> {
        let pending = self.pending_erasure(confirm).await?;
        let lang = pending.person.language;
        let outcome = self
            .erase(
                &pending.person,
                "request",
                &format!("participant:{}", pending.person.id),
            )
            .await?;
        let at = outcome.map_or_else(Utc::now, |o| o.erased_at);
        self.app
            .store
            .finish_request(
                pending.request.id,
                &RequestOutcome {
                    state: RequestState::Done,
                    at,
                    handled_by: None,
                    refusal_reason: None,
                    file: None,
                },
            )
            .await?;
        Ok(lang)
    }
}

/// The email with the link that confirms an erasure, in the participant's language.
fn confirmation_email(person: &Person, confirm: &str, base_url: &str) -> EmailMessage {
    let lang = person.language;
    let link = format!(
        "{}/privacy/erasure/{confirm}?lang={}",
        base_url.trim_end_matches('/'),
        lang.code()
    );
    EmailMessage {
        to: person.email.clone(),
        subject: t(lang, "privacy-erasure-email-subject"),
        body_text: format!(
            "{}\n\n{}\n{link}\n\n{}\n",
            t_with(
                lang,
                "email-greeting",
                &[("name", ArgValue::Text(person.name.clone()))]
            ),
            t(lang, "privacy-erasure-email-text"),
            t(lang, "privacy-erasure-email-ignore"),
        ),
        attachments: Vec::new(),
    }
}
