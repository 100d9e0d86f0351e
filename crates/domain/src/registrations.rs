//! Registrations: a participant's sign-up to an event, with their company, consent and
//! answers to the event's form fields. What the form or API sends, the parsed draft the
//! store accepts, and the records it keeps.

use crate::events::{Event, FieldKind, FormField};
use crate::ids::{CompanyId, EventId, ParticipantId, RegistrationId};
use crate::lang::Lang;
use crate::outbox::{EmailMessage, EmailStatus};
use crate::reference;
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Length limits of registration fields, in characters. Chosen so that real names and
/// titles fit (the longest German company names run to about 120) while a form cannot be
/// used to store documents.
pub mod limits {
    pub const NAME: usize = 120;
    pub const JOB_TITLE: usize = 120;
    pub const COMPANY_NAME: usize = 200;
    pub const ANSWER: usize = 2000;
    pub const ANSWERS: usize = 20;
}

/// What a visitor sends to register: every field optional here, so that a missing one is
/// reported by name instead of failing the whole body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub email: Option<String>,
    pub name: Option<String>,
    pub job_title: Option<String>,
    pub language: Option<String>,
    #[serde(default)]
    pub company: CompanyInput,
    pub consent: Option<bool>,
    /// The consents beyond taking part, each its own choice (cross-border processing is
    /// needed to register; the others are free).
    #[serde(default)]
    pub consents: crate::privacy::ConsentsInput,
    /// Answers to the event's own registration questions, by question key.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// The company part of a registration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CompanyInput {
    pub name: Option<String>,
    pub country: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub website: Option<String>,
}

impl CompanyInput {
    /// Checks a company's fields; errors are named `{prefix}name`, `{prefix}country`…
    pub fn check(&self, check: &mut Checker, prefix: &str) -> CompanyDraft {
        let field = |f: &str| format!("{prefix}{f}");
        let name = check.required(&field("name"), self.name.as_deref(), limits::COMPANY_NAME);
        let country = check
            .required(&field("country"), self.country.as_deref(), 2)
            .to_ascii_uppercase();
        if !country.is_empty() && reference::country(&country).is_none() {
            check.push(field("country"), "unknown_country");
        }
        let industry = check.required(&field("industry"), self.industry.as_deref(), 40);
        if !industry.is_empty() && !reference::is_industry(&industry) {
            check.push(field("industry"), "unknown_industry");
        }
        let size = check.required(&field("size"), self.size.as_deref(), 20);
        if !size.is_empty() && !reference::is_company_size(&size) {
            check.push(field("size"), "unknown_size");
        }
        let website = check.optional_url(&field("website"), self.website.as_deref());
        CompanyDraft {
            name,
            country,
            industry,
            size,
            website,
        }
    }
}

/// An email address, trimmed and lower-cased so that the same person is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part of at most 64 characters, a
    /// domain with a dot and only letters, digits, dots and hyphens; 254 characters at most.
    pub fn parse(raw: &str) -> Option<Email> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() || value.len() > 254 || value.chars().any(char::is_whitespace) {
            return None;
        }
        let (local, domain) = value.split_once('@')?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        (local_ok && domain_ok).then_some(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A company as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyDraft {
    pub name: String,
    pub country: String,
    pub industry: String,
    pub size: String,
    pub website: Option<String>,
}

/// A valid registration, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationDraft {
    pub email: Email,
    pub name: String,
    pub job_title: Option<String>,
    pub language: Lang,
    pub company: CompanyDraft,
    /// The version of the privacy notice the participant agreed to.
    pub consent_version: String,
    /// Each consent purpose with the choice made.
    pub consents: Vec<(crate::privacy::ConsentPurpose, bool)>,
    pub answers: BTreeMap<String, String>,
}

impl RegistrationInput {
    /// Checks every field against the rules and the event's own questions, reporting all
    /// wrong fields at once. `fallback_language` is used when none is given.
    pub fn parse(
        &self,
        questions: &[FormField],
        privacy_version: &str,
        fallback_language: Lang,
    ) -> Result<RegistrationDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["answers"]);
        let email_raw = check.required("email", self.email.as_deref(), 254);
        let email = if email_raw.is_empty() || email_raw.len() > 254 {
            None
        } else {
            let email = Email::parse(&email_raw);
            if email.is_none() {
                check.push("email", "invalid_email");
            }
            email
        };
        let name = check.required("name", self.name.as_deref(), limits::NAME);
        let job_title = check.optional("job_title", self.job_title.as_deref(), limits::JOB_TITLE);
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => fallback_language,
            Some(code) => code.parse().unwrap_or_else(|_| {
                check.push("language", "unknown_language");
                fallback_language
            }),
        };
        let company = self.company.check(&mut check, "company.");
        if self.consent != Some(true) {
            check.push("consent", "consent_required");
        }
        if self.consents.cross_border != Some(true) {
            check.push("consents.cross_border", "cross_border_required");
        }
        let answers = parse_answers(&mut check, questions, &self.answers);
        let email = email.unwrap_or(Email(String::new()));
        check.finish(RegistrationDraft {
            email,
            name,
            job_title,
            language,
            company,
            consent_version: privacy_version.to_string(),
            consents: self.consents.choices(true),
            answers,
        })
    }
}

fn parse_answers(
    check: &mut Checker,
    questions: &[FormField],
    given: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut answers = BTreeMap::new();
    if given.len() > limits::ANSWERS {
        check.push_limit("answers", "too_many", limits::ANSWERS);
        return answers;
    }
    for key in given.keys() {
        if !questions.iter().any(|q| &q.key == key) {
            check.push(format!("answers.{key}"), "unknown_question");
        }
    }
    for question in questions {
        let field = format!("answers.{}", question.key);
        let value = given.get(&question.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if question.required {
                check.push(field, "required");
            }
            continue;
        }
        if value.chars().count() > limits::ANSWER {
            check.push_limit(field, "too_long", limits::ANSWER);
            continue;
        }
        if let FieldKind::Choice = question.kind {
            if !question.options.iter().any(|o| o.key == value) {
                check.push(field, "unknown_choice");
                continue;
            }
        }
        answers.insert(question.key.clone(), value.to_string());
    }
    answers
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub country: String,
    pub industry: String,
    pub size: String,
    pub website: Option<String>,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub id: RegistrationId,
    pub event_id: EventId,
    pub participant_id: ParticipantId,
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub language: Lang,
    pub company: Company,
    pub consent_at: DateTime<Utc>,
    pub consent_version: String,
    pub answers: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    /// The participant's data was erased: they are "a deleted participant".
    pub erased: bool,
}

/// Which registrations an organiser wants to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationFilter {
    pub country: Option<String>,
    pub industry: Option<String>,
    /// Part of a name, email or company name.
    pub search: Option<String>,
    /// The one registration of a participant (for emails to them), without reading the
    /// event's.
    pub participant: Option<ParticipantId>,
    /// Only these registrations (for a page of something that names them); none: all.
    pub ids: Vec<RegistrationId>,
    /// Only the registrations of these participants (for a page of something that names
    /// them); none: all.
    pub participants: Vec<ParticipantId>,
    /// A page: the registrations after this one, in the order they came in (by id, so
    /// that registrations arriving while an organiser pages come after, never in between).
    pub after: Option<RegistrationId>,
    /// At most this many; every one when `None` (the organiser's exports and the
    /// capabilities that work on a whole event).
    pub limit: Option<usize>,
}

/// Registrations counted by country and by industry, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistrationCounts {
    pub total: i64,
    pub by_country: Vec<(String, i64)>,
    pub by_industry: Vec<(String, i64)>,
}

/// One registration to create, with what goes with it.
#[derive(Debug, Clone, Copy)]
pub struct NewRegistration<'a> {
    pub event: &'a Event,
    pub draft: &'a RegistrationDraft,
    pub token_hash: &'a str,
    pub confirmation: &'a EmailMessage,
    pub email_status: EmailStatus,
    pub is_sample: bool,
}

/// Where registrations, participants and companies are kept.
#[async_trait]
pub trait RegistrationStore: Send + Sync {
    /// Stores a registration with its participant and company (found again by email and
    /// by name and country) and, in the same transaction, the confirmation email, so that
    /// an acknowledged registration always has its email in the outbox. The same email
    /// twice for one event is `Conflict("already_registered")`.
    async fn create_registration(
        &self,
        event: &Event,
        registration: &RegistrationDraft,
        token_hash: &str,
        confirmation: &EmailMessage,
        email_status: EmailStatus,
        is_sample: bool,
    ) -> StoreResult<Registration> {
        let one = NewRegistration {
            event,
            draft: registration,
            token_hash,
            confirmation,
            email_status,
            is_sample,
        };
        let mut results = self.create_registrations(&[one]).await?;
        results
            .pop()
            .unwrap_or(Err(crate::store::StoreError::NotFound))
    }
    /// Several registrations in one transaction (one disk sync for all), each as
    /// [`RegistrationStore::create_registration`] would make it: one that fails (already
    /// registered) fails alone and leaves nothing behind; the others are kept. `Err` when
    /// the transaction itself failed, and then none was kept.
    async fn create_registrations(
        &self,
        batch: &[NewRegistration<'_>],
    ) -> StoreResult<Vec<StoreResult<Registration>>>;
    async fn registrations(
        &self,
        event: EventId,
        filter: &RegistrationFilter,
    ) -> StoreResult<Vec<Registration>>;
    async fn registration_counts(&self, event: EventId) -> StoreResult<RegistrationCounts>;
    async fn registration(&self, id: RegistrationId) -> StoreResult<Option<Registration>>;
    /// The registrations of `ids` that exist, in no particular order (one query for a
    /// page's worth).
    async fn registrations_by_id(&self, ids: &[RegistrationId]) -> StoreResult<Vec<Registration>>;
    async fn registration_by_token(&self, token_hash: &str) -> StoreResult<Option<Registration>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Localized;
    use crate::events::FieldOption;

    fn erika() -> RegistrationInput {
        serde_json::from_str(r#"{"email":"erika@muster.example.de","name":"Erika Muster","job_title":"CEO","language":"de","company":{"name":"Muster Maschinenbau GmbH","country":"DE","industry":"smart-manufacturing","size":"50-249","website":"https://muster.example.de"},"consent":true,"consents":{"cross_border":true}}"#).unwrap()
    }

    #[test]
    fn the_documented_body_is_accepted() {
        let parsed = erika().parse(&[], "v1", Lang::En).unwrap();
        assert_eq!(parsed.email.as_str(), "erika@muster.example.de");
        assert_eq!(parsed.language, Lang::De);
        assert_eq!(parsed.company.country, "DE");
        assert_eq!(parsed.consent_version, "v1");
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut input = erika();
        input.email = Some("erika@".into());
        input.company.country = Some("XX".into());
        input.company.size = None;
        input.consent = None;
        input.consents.cross_border = Some(false);
        let err = input.parse(&[], "v1", Lang::En).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("email", "invalid_email"),
                ("company.country", "unknown_country"),
                ("company.size", "required"),
                ("consent", "consent_required"),
                ("consents.cross_border", "cross_border_required"),
            ]
        );
    }

    #[test]
    fn event_questions_are_enforced() {
        let questions = vec![FormField {
            key: "interest".into(),
            label: Localized::one(Lang::En, "Interest"),
            required: true,
            kind: FieldKind::Choice,
            options: vec![FieldOption {
                key: "parks".into(),
                label: Localized::one(Lang::En, "Parks"),
            }],
        }];
        let err = erika().parse(&questions, "v1", Lang::En).unwrap_err();
        assert_eq!(err.0[0].field, "answers.interest");
        let mut input = erika();
        input.answers.insert("interest".into(), "golf".into());
        assert_eq!(
            input.parse(&questions, "v1", Lang::En).unwrap_err().0[0].code,
            "unknown_choice"
        );
        input.answers.insert("interest".into(), "parks".into());
        assert!(input.parse(&questions, "v1", Lang::En).is_ok());
    }

    #[test]
    fn emails() {
        assert!(Email::parse("a.b+c@x.example.de").is_some());
        assert_eq!(
            Email::parse(" Erika@Muster.DE ").unwrap().as_str(),
            "erika@muster.de"
        );
        for bad in [
            "", "a", "a@b", "@x.de", "a@.de", "a b@x.de", "a@x..de", "a@-x.de",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
