//! Privacy: what an organiser (the agency's data-protection officer) does — requests,
//! exports and erasures on a request by post or email, retention, the register of
//! recipients, the audit log — and the audit entries every privileged action writes
//! before it happens. What a participant does from their personal page is in
//! [`participant`]; the daily retention sweep and the chain's check in [`retention`].

pub mod participant;
pub mod retention;

use crate::access::Guards;
use crate::secrets::{random_secret, secret_hash};
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::privacy::audit::{AuditDraft, AuditEntry};
use roadshow_domain::privacy::*;
use roadshow_domain::validation::Checker;
use serde_json::json;

/// Requests listed on the privacy page.
const REQUESTS_SHOWN: i64 = 200;
/// Audit entries listed on the privacy page.
const AUDIT_SHOWN: i64 = 100;

/// The privacy capability.
pub struct Privacy<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn privacy(&self) -> Privacy<'_> {
        Privacy { app: self }
    }
}

/// Who did something, as the audit log names them.
pub fn actor(principal: &Principal) -> String {
    match principal {
        Principal::Staff(a) => format!("account:{}", a.id),
        Principal::Participant(p) => format!("participant:{}", p.participant_id),
        Principal::Anonymous => "anonymous".to_string(),
    }
}

/// An audit entry to write; the payload is JSON of ids and codes.
pub fn draft(
    agency: Option<AgencyId>,
    actor: String,
    action: &'static str,
    subject: String,
    payload: serde_json::Value,
) -> AuditDraft {
    AuditDraft {
        agency,
        actor,
        action,
        subject,
        payload: payload.to_string(),
        salt: random_secret(),
    }
}

/// The subject of an entry about a participant; erasing them deletes its payloads.
pub fn participant_subject(id: ParticipantId) -> String {
    format!("participant:{id}")
}

/// What the organiser's privacy page shows.
#[derive(Debug, Clone)]
pub struct PrivacyOverview {
    pub requests: Vec<PrivacyRequest>,
    pub retention: Retention,
    pub recipients: Vec<Recipient>,
    pub audit: Vec<AuditEntry>,
    pub head: (i64, String),
    /// Participants past retention kept because their company is a lead.
    pub held: Vec<Person>,
    /// The agency's staff, to name who handled a request.
    pub staff: Vec<roadshow_domain::accounts::Account>,
}

/// The file a person or organiser downloads: who, their consents, their data (written
/// as it is read, without an intermediate tree) and the Art. 15 section.
#[derive(serde::Serialize)]
struct ExportFile<'a> {
    format: &'static str,
    generated_at: String,
    participant: serde_json::Value,
    consents: &'a [Consent],
    data: &'a PersonalData,
    art15: serde_json::Value,
}

/// A participant's data as exported, as JSON text.
pub fn export_document(
    person: &Person,
    consents: &[Consent],
    data: &PersonalData,
    recipients: &[Recipient],
    retention_days: i64,
    at: DateTime<Utc>,
) -> AppResult<String> {
    let file = ExportFile {
        format: "roadshow-personal-data/1",
        generated_at: at.to_rfc3339(),
        participant: json!({
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "language": person.language.code(),
        }),
        consents,
        data,
        art15: json!({
            "purposes": map::Purpose::ALL.iter().filter_map(|p| {
                let tables: Vec<&str> = map::tables().iter()
                    .filter(|t| t.purpose == *p && data.contains_key(t.name))
                    .map(|t| t.name).collect();
                let basis = map::tables().iter().find(|t| t.purpose == *p && data.contains_key(t.name))?.basis;
                Some(json!({"purpose": p.code(), "legal_basis": basis.code(), "tables": tables}))
            }).collect::<Vec<_>>(),
            "recipients": recipients.iter().map(|r| json!({
                "name": r.name, "kind": r.kind.code(), "country": r.country, "purpose": r.purpose, "data": r.data,
            })).collect::<Vec<_>>(),
            "retention_days_after_event": retention_days,
            "source": "given by the participant when registering and taking part",
        }),
    };
    serde_json::to_string(&file).map_err(|e| AppError::internal(e.to_string()))
}

/// What the public privacy notice is made of besides the data map.
#[derive(Debug, Clone)]
pub struct Notice {
    pub agency: roadshow_domain::Localized,
    pub recipients: Vec<Recipient>,
    pub retention_days: i64,
}

impl Privacy<'_> {
    /// The organiser's agency, or why not.
    pub fn organiser(&self, principal: &Principal) -> AppResult<AgencyId> {
        Ok(principal.as_organiser()?.agency_id)
    }

    /// The notice of the (first) agency this Roadshow runs for.
    pub async fn notice(&self) -> AppResult<Option<Notice>> {
        let store = &self.app.store;
        let Some(agency) = store.agency_ids().await?.into_iter().next() else {
            return Ok(None);
        };
        let Some(a) = store.agency(agency).await? else {
            return Ok(None);
        };
        let (_, retention_days) = self.settings(agency).await?;
        Ok(Some(Notice {
            agency: a.name,
            recipients: store.recipients(agency).await?,
            retention_days,
        }))
    }

    /// Writes an audit entry now; the caller acts only when it is written.
    pub async fn audit(&self, draft: &AuditDraft) -> AppResult<AuditEntry> {
        Ok(self.app.store.audit(draft, Utc::now()).await?)
    }

    /// Writes an audit entry of a staff member's action on a record of their agency.
    pub async fn audit_staff(
        &self,
        principal: &Principal,
        agency: AgencyId,
        action: &'static str,
        subject: String,
        payload: serde_json::Value,
    ) -> AppResult<()> {
        self.audit(&draft(
            Some(agency),
            actor(principal),
            action,
            subject,
            payload,
        ))
        .await
        .map(|_| ())
    }

    /// The agency's do-not-contact key and retention, made on first use.
    pub(crate) async fn settings(&self, agency: AgencyId) -> AppResult<(String, i64)> {
        Ok(self
            .app
            .store
            .privacy_settings(agency, &random_secret())
            .await?)
    }

    /// The keyed hash of an address kept after its erasure.
    pub(crate) async fn email_hash(&self, agency: AgencyId, email: &str) -> AppResult<String> {
        let (key, _) = self.settings(agency).await?;
        Ok(secret_hash(&format!(
            "{key}:{}",
            email.trim().to_lowercase()
        )))
    }

    /// Whether an address was erased before (and so is not to be contacted unasked).
    pub async fn erased_before(&self, agency: AgencyId, email: &str) -> AppResult<bool> {
        let hash = self.email_hash(agency, email).await?;
        Ok(self.app.store.do_not_contact(agency, &hash).await?)
    }

    /// The organiser's page: requests, retention, recipients, the audit log.
    pub async fn overview(&self, principal: &Principal) -> AppResult<PrivacyOverview> {
        let agency = principal.as_organiser()?.agency_id;
        let store = &self.app.store;
        self.settings(agency).await?;
        Ok(PrivacyOverview {
            requests: store.requests(agency, REQUESTS_SHOWN).await?,
            retention: store.retention(agency).await?,
            recipients: store.recipients(agency).await?,
            audit: store.audit_recent(agency, AUDIT_SHOWN).await?,
            head: store.audit_head().await?,
            held: store.retention_held(agency, Utc::now()).await?,
            staff: store.accounts(agency).await?,
        })
    }

    /// A participant of the organiser's agency, by id.
    pub async fn person(&self, principal: &Principal, id: ParticipantId) -> AppResult<Person> {
        let agency = principal.as_organiser()?.agency_id;
        let person = self.app.store.person(id).await?.ok_or(AppError::NotFound)?;
        if person.agency_id != agency {
            return Err(AppError::NotFound);
        }
        Ok(person)
    }

    /// A participant of the organiser's agency, by email (a request by post or email
    /// names the address).
    pub async fn find(&self, principal: &Principal, email: &str) -> AppResult<Option<Person>> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self.app.store.person_by_email(agency, email).await?)
    }

    /// The export file of a participant's data: what Roadshow holds about them.
    pub(crate) async fn build_export(&self, person: &Person) -> AppResult<String> {
        let store = &self.app.store;
        let (_, days) = self.settings(person.agency_id).await?;
        export_document(
            person,
            &store.consents(person.id).await?,
            &store.personal_data(person).await?,
            &store.recipients(person.agency_id).await?,
            days,
            Utc::now(),
        )
    }

    /// Exports a participant's data on a request that came by post or email; the request
    /// is recorded as done by this organiser.
    pub async fn export_participant(
        &self,
        principal: &Principal,
        id: ParticipantId,
    ) -> AppResult<String> {
        let person = self.person(principal, id).await?;
        if person.erased_at.is_some() {
            return Err(AppError::Conflict("erased"));
        }
        let organiser = principal.as_organiser()?;
        let now = Utc::now();
        let request = self
            .app
            .store
            .create_request(
                &NewRequest {
                    agency_id: person.agency_id,
                    participant_id: person.id,
                    kind: RequestKind::Export,
                    state: RequestState::Pending,
                    channel: Channel::Staff,
                    at: now,
                    confirm_hash: None,
                    handled_by: Some(organiser.id),
                    identity_check: None,
                },
                &draft(
                    Some(person.agency_id),
                    actor(principal),
                    "export_downloaded",
                    participant_subject(person.id),
                    json!({"channel": "staff"}),
                ),
            )
            .await?;
        let document = self.build_export(&person).await?;
        self.app
            .store
            .finish_request(
                request.id,
                &RequestOutcome {
                    state: RequestState::Done,
                    at: Utc::now(),
                    handled_by: Some(organiser.id),
                    refusal_reason: None,
                    file: None,
                },
            )
            .await?;
        Ok(document)
    }

    /// Erases a participant on a request that came by post or email; done when it
    /// returns. `reason` is what the organiser records (kept in the request, not in the
    /// audit payload that the erasure deletes).
    pub async fn erase_participant(
        &self,
        principal: &Principal,
        id: ParticipantId,
        reason: Option<&str>,
    ) -> AppResult<ErasureOutcome> {
        let organiser = principal.as_organiser()?;
        let person = self.person(principal, id).await?;
        let mut check = Checker::new();
        check.control_characters(&json!({ "reason": reason }), &["reason"]);
        let reason = check.required("reason", reason, 500);
        check.finish(())?;
        if person.erased_at.is_some() {
            return Err(AppError::Conflict("erased"));
        }
        let request = self
            .app
            .store
            .create_request(
                &NewRequest {
                    agency_id: person.agency_id,
                    participant_id: person.id,
                    kind: RequestKind::Erasure,
                    state: RequestState::Pending,
                    channel: Channel::Staff,
                    at: Utc::now(),
                    confirm_hash: None,
                    handled_by: Some(organiser.id),
                    identity_check: Some(reason),
                },
                &draft(
                    Some(person.agency_id),
                    actor(principal),
                    "erasure_requested",
                    participant_subject(person.id),
                    json!({"channel": "staff"}),
                ),
            )
            .await?;
        let outcome = self
            .erase(&person, "request", &actor(principal))
            .await?
            .ok_or(AppError::Conflict("erased"))?;
        self.app
            .store
            .finish_request(
                request.id,
                &RequestOutcome {
                    state: RequestState::Done,
                    at: outcome.erased_at,
                    handled_by: Some(organiser.id),
                    refusal_reason: None,
                    file: None,
                },
            )
            .await?;
        Ok(outcome)
    }

    /// Refuses an open request with its reason (a request that is manifestly unfounded or
    /// excessive, GDPR Art. 12(5), or whose identity could not be checked).
    pub async fn refuse_request(
        &self,
        principal: &Principal,
        id: i64,
        reason: Option<&str>,
    ) -> AppResult<PrivacyRequest> {
        let organiser = principal.as_organiser()?;
        let request = self
            .app
            .store
            .request(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if request.agency_id != organiser.agency_id {
            return Err(AppError::NotFound);
        }
        let mut check = Checker::new();
        check.control_characters(&json!({ "reason": reason }), &["reason"]);
        let reason = check.required("reason", reason, 500);
        check.finish(())?;
        if matches!(request.state, RequestState::Done | RequestState::Refused) {
            return Err(AppError::Conflict("request_closed"));
        }
        self.audit(&draft(
            Some(organiser.agency_id),
            actor(principal),
            "request_refused",
            participant_subject(request.participant_id),
            json!({"request": id}),
        ))
        .await?;
        self.app
            .store
            .finish_request(
                id,
                &RequestOutcome {
                    state: RequestState::Refused,
                    at: Utc::now(),
                    handled_by: Some(organiser.id),
                    refusal_reason: Some(reason),
                    file: None,
                },
            )
            .await?;
        self.app.store.request(id).await?.ok_or(AppError::NotFound)
    }

    /// Erases a person as the data map says; `None` when already erased.
    pub(crate) async fn erase(
        &self,
        person: &Person,
        reason: &str,
        actor: &str,
    ) -> AppResult<Option<ErasureOutcome>> {
        let hash = self.email_hash(person.agency_id, &person.email).await?;
        let entry = draft(
            Some(person.agency_id),
            actor.to_string(),
            "erasure_done",
            // The entry's subject is the request's outcome, not the person: its payload
            // stays (it names no one) while theirs are deleted.
            format!("erasure:{}", person.id),
            json!({"reason": reason}),
        );
        let outcome = self
            .app
            .store
            .erase(person, reason, &hash, Utc::now(), &entry)
            .await?;
        if outcome.is_some() {
            self.app.clear_page_cache();
        }
        Ok(outcome)
    }

    /// Sets the agency's retention and the events that override it (`None`: the
    /// agency's).
    pub async fn set_retention(
        &self,
        principal: &Principal,
        days: Option<i64>,
        events: &[(String, Option<i64>)],
    ) -> AppResult<Retention> {
        let agency = principal.as_organiser()?.agency_id;
        self.settings(agency).await?;
        let current = self.app.store.retention(agency).await?;
        let mut check = Checker::new();
        let days = match days {
            Some(d) => {
                check_retention(&mut check, "days", d);
                d
            }
            None => {
                check.push("days", "required");
                current.days
            }
        };
        let mut overrides = Vec::new();
        for (i, (slug, d)) in events.iter().enumerate() {
            match current.events.iter().find(|e| &e.slug == slug) {
                Some(e) => overrides.push((e.event_id, *d)),
                None => check.push(format!("events[{i}].event"), "unknown_event"),
            }
            if let Some(d) = d {
                check_retention(&mut check, &format!("events[{i}].days"), *d);
            }
        }
        check.finish(())?;
        let payload = json!({"days": days, "events": overrides.iter().map(|(e, d)| json!({"event": e, "days": d})).collect::<Vec<_>>()});
        self.app
            .store
            .set_retention(
                agency,
                days,
                &overrides,
                &draft(
                    Some(agency),
                    actor(principal),
                    "retention_changed",
                    format!("agency:{agency}"),
                    payload,
                ),
            )
            .await?;
        Ok(self.app.store.retention(agency).await?)
    }

    pub async fn recipients(&self, principal: &Principal) -> AppResult<Vec<Recipient>> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self.app.store.recipients(agency).await?)
    }

    /// The recipients of an agency as everyone may read them (the privacy notice).
    pub async fn public_recipients(&self, agency: AgencyId) -> AppResult<Vec<Recipient>> {
        Ok(self.app.store.recipients(agency).await?)
    }

    pub async fn add_recipient(
        &self,
        principal: &Principal,
        input: &RecipientInput,
    ) -> AppResult<Recipient> {
        let agency = principal.as_organiser()?.agency_id;
        let draft_ = input.parse()?;
        let entry = draft(
            Some(agency),
            actor(principal),
            "recipient_added",
            format!("agency:{agency}"),
            json!({"kind": draft_.kind.code(), "country": draft_.country, "data": draft_.data}),
        );
        Ok(self
            .app
            .store
            .add_recipient(agency, &draft_, &entry)
            .await?)
    }

    pub async fn remove_recipient(&self, principal: &Principal, id: i64) -> AppResult<()> {
        let agency = principal.as_organiser()?.agency_id;
        let entry = draft(
            Some(agency),
            actor(principal),
            "recipient_removed",
            format!("recipient:{id}"),
            json!({}),
        );
        Ok(self.app.store.remove_recipient(agency, id, &entry).await?)
    }

    /// The chain's head, for an organiser to keep a copy of.
    pub async fn audit_head(&self, principal: &Principal) -> AppResult<(i64, String)> {
        principal.as_organiser()?;
        Ok(self.app.store.audit_head().await?)
    }
}
