//! Registrations on the wire.

use crate::api::{CountryCode, IndustryCode, Language};
use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_domain::registrations::{self as domain, limits};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

/// A company or institution as registered.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Company {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    #[schema(value_type = IndustryCode)]
    pub industry: String,
    #[schema(schema_with = schema::company_size)]
    pub size: String,
    pub website: Option<String>,
    /// Invented demo content.
    pub is_sample: bool,
}

impl From<&domain::Company> for Company {
    fn from(c: &domain::Company) -> Self {
        Company {
            id: c.id.0,
            name: c.name.clone(),
            country: c.country.clone(),
            industry: c.industry.clone(),
            size: c.size.clone(),
            website: c.website.clone(),
            is_sample: c.is_sample,
        }
    }
}

/// A participant's registration to an event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Registration {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    #[schema(format = Email)]
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub language: Language,
    pub company: Company,
    /// When the participant agreed to the privacy notice, and to which version.
    pub consent_at: DateTime<Utc>,
    pub consent_version: String,
    /// Answers to the event's own form fields, by key.
    pub answers: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::Registration> for Registration {
    fn from(r: &domain::Registration) -> Self {
        Registration {
            id: r.id.0,
            event_id: r.event_id.0,
            participant_id: r.participant_id.0,
            email: r.email.clone(),
            name: r.name.clone(),
            job_title: r.job_title.clone(),
            language: r.language.into(),
            company: Company::from(&r.company),
            consent_at: r.consent_at,
            consent_version: r.consent_version.clone(),
            answers: r.answers.clone(),
            created_at: r.created_at,
        }
    }
}

/// A new registration, with the participant's own token: it is shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegistrationReceipt {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    #[schema(format = Email)]
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub language: Language,
    pub company: Company,
    pub consent_at: DateTime<Utc>,
    pub consent_version: String,
    pub answers: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    /// The participant's bearer token (`rsp_…`), also the key of their personal page.
    pub token: String,
    /// The participant's personal page.
    pub participant_url: String,
}

impl RegistrationReceipt {
    pub fn new(r: &domain::Registration, token: String, participant_url: String) -> Self {
        let r = Registration::from(r);
        RegistrationReceipt {
            id: r.id,
            event_id: r.event_id,
            participant_id: r.participant_id,
            email: r.email,
            name: r.name,
            job_title: r.job_title,
            language: r.language,
            company: r.company,
            consent_at: r.consent_at,
            consent_version: r.consent_version,
            answers: r.answers,
            created_at: r.created_at,
            token,
            participant_url,
        }
    }
}

/// How many registrations came from one country.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountryCount {
    #[schema(value_type = CountryCode)]
    pub country: String,
    pub count: i64,
}

/// How many registrations came from one industry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IndustryCount {
    #[schema(value_type = IndustryCode)]
    pub industry: String,
    pub count: i64,
}

/// Registrations counted, largest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegistrationCounts {
    /// All of the event's registrations.
    pub total: i64,
    /// Those the filter shows.
    pub shown: usize,
    pub by_country: Vec<CountryCount>,
    pub by_industry: Vec<IndustryCount>,
}

/// An event's registrations (organiser), filtered.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegistrationList {
    /// The event's slug.
    pub event: String,
    /// A page of the registrations, in the order they came in.
    pub registrations: Vec<Registration>,
    /// Counts of the whole event (`shown`: on this page).
    pub counts: RegistrationCounts,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = schema::optional_id)]
    pub next_after: Option<i64>,
}

/// Which registrations to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// An industry code.
    pub industry: Option<String>,
    /// Part of a name, email or company name.
    pub q: Option<String>,
}

impl FilterQuery {
    pub fn filter(&self) -> domain::RegistrationFilter {
        // Stored text holds no control characters, so a filter term's cannot match
        // anything (and PostgreSQL refuses a NUL in a text parameter).
        let clean = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.chars().filter(|c| !c.is_control()).collect::<String>())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && s.len() <= 200)
        };
        domain::RegistrationFilter {
            country: clean(&self.country).map(|c| c.to_ascii_uppercase()),
            industry: clean(&self.industry),
            search: clean(&self.q),
            ..Default::default()
        }
    }
}

/// The company part of a registration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CompanyInput {
    #[schema(schema_with = company_name, required = true)]
    pub name: Option<String>,
    #[schema(value_type = CountryCode, required = true)]
    pub country: Option<String>,
    #[schema(value_type = IndustryCode, required = true)]
    pub industry: Option<String>,
    #[schema(schema_with = schema::company_size, required = true)]
    pub size: Option<String>,
    #[schema(schema_with = schema::optional_url)]
    pub website: Option<String>,
}

/// What a visitor sends to register.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RegistrationInput {
    #[schema(schema_with = email, required = true)]
    pub email: Option<String>,
    #[schema(schema_with = person_name, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = job_title)]
    pub job_title: Option<String>,
    /// The participant's language (emails, pages); default: the request's.
    #[schema(schema_with = language)]
    pub language: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub company: CompanyInput,
    /// Agreement to the privacy notice: must be `true`.
    #[schema(schema_with = consent, required = true)]
    pub consent: Option<bool>,
    /// Each further purpose's own consent: `cross_border` (the processing of the data in
    /// China) must be `true`; the others are free and refused when left out.
    #[serde(default)]
    #[schema(required = true)]
    pub consents: ConsentsInput,
    /// Answers to the event's own form fields (`registration_questions`), by key.
    #[serde(default)]
    #[schema(schema_with = answers)]
    pub answers: BTreeMap<String, String>,
}

impl From<RegistrationInput> for domain::RegistrationInput {
    fn from(i: RegistrationInput) -> Self {
        domain::RegistrationInput {
            email: i.email,
            name: i.name,
            job_title: i.job_title,
            language: i.language,
            company: domain::CompanyInput {
                name: i.company.name,
                country: i.company.country,
                industry: i.company.industry,
                size: i.company.size,
                website: i.company.website,
            },
            consent: i.consent,
            consents: roadshow_domain::privacy::ConsentsInput {
                cross_border: i.consents.cross_border,
                contact: i.consents.contact,
                sharing: i.consents.sharing,
                public_listing: i.consents.public_listing,
            },
            answers: i.answers,
        }
    }
}

/// The consents of a registration beyond taking part, one per purpose.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ConsentsInput {
    /// The processing of the participant's data in China (PIPL Art. 39): must be `true`.
    #[schema(schema_with = consent, required = true)]
    pub cross_border: Option<bool>,
    /// Emails after the event: the survey, its reminder, later events.
    pub contact: Option<bool>,
    /// The contact shared with the parks and departments of the register of recipients.
    pub sharing: Option<bool>,
    /// Being listed publicly.
    pub public_listing: Option<bool>,
}

/// An address as `Email::parse` takes it: a local part of at most 64 characters and a
/// domain with a dot.
pub fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Email,
        )))
        .max_length(Some(254))
        .pattern(Some(
            "^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
        ))
        .build()
}

fn person_name() -> Object {
    schema::filled(limits::NAME, Lines::One)
}

fn job_title() -> Object {
    schema::optional_text(limits::JOB_TITLE, Lines::One)
}

fn company_name() -> Object {
    schema::filled(limits::COMPANY_NAME, Lines::One)
}

fn language() -> Object {
    schema::optional_one_of(&["de", "en", "zh", "fr"])
}

fn consent() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .build()
}

fn answers() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .max_properties(Some(limits::ANSWERS))
        .property_names(Some(schema::slug()))
        .additional_properties(Some(schema::boxed(schema::text(limits::ANSWER, Lines::Many))))
        .description(Some(
            "Keys are the event's `registration_questions` keys; a `choice` answer is one of its option keys",
        ))
        .build()
}
