//! Privacy as the API shows it.

use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_domain::Localized;
use roadshow_domain::privacy::{self as domain, map};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::{Object, ObjectBuilder, Type};

const PURPOSES: [&str; 5] = [
    "participation",
    "cross_border",
    "contact",
    "sharing",
    "public_listing",
];

fn purpose() -> Object {
    schema::one_of(&PURPOSES)
}

/// A consent as it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Consent {
    #[schema(schema_with = purpose)]
    pub purpose: String,
    /// The version of the notice the participant saw when they chose.
    pub version: String,
    pub given: bool,
    pub changed_at: DateTime<Utc>,
}

impl From<&domain::Consent> for Consent {
    fn from(c: &domain::Consent) -> Self {
        Consent {
            purpose: c.purpose.code().to_string(),
            version: c.version.clone(),
            given: c.given,
            changed_at: c.changed_at,
        }
    }
}

fn consent_changes() -> Object {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .min_properties(Some(1))
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
    for p in PURPOSES {
        o = o.property(p, ObjectBuilder::new().schema_type(Type::Boolean));
    }
    o.build()
}

/// Consents to change: purpose → given. Each takes effect at once.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentChanges {
    #[serde(default)]
    #[schema(schema_with = consent_changes, required = true)]
    pub consents: BTreeMap<String, bool>,
}

fn kind() -> Object {
    schema::one_of(&["export", "erasure"])
}
fn state() -> Object {
    schema::one_of(&["awaiting_confirmation", "pending", "done", "refused"])
}
fn channel() -> Object {
    schema::one_of(&["personal_link", "staff", "retention"])
}

/// A request to export or erase a participant's data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrivacyRequest {
    pub id: i64,
    pub participant_id: i64,
    #[schema(schema_with = kind)]
    pub kind: String,
    #[schema(schema_with = state)]
    pub state: String,
    #[schema(schema_with = channel)]
    pub channel: String,
    pub requested_at: DateTime<Utc>,
    /// One month after the request.
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    #[schema(schema_with = schema::optional_id)]
    pub handled_by: Option<i64>,
    pub identity_check: Option<String>,
    pub refusal_reason: Option<String>,
    /// Until when an export can be downloaded.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether the export's file is ready to download.
    pub ready: bool,
}

impl From<&domain::PrivacyRequest> for PrivacyRequest {
    fn from(r: &domain::PrivacyRequest) -> Self {
        PrivacyRequest {
            id: r.id,
            participant_id: r.participant_id.0,
            kind: r.kind.code().to_string(),
            state: r.state.code().to_string(),
            channel: r.channel.code().to_string(),
            requested_at: r.requested_at,
            due_at: r.due_at,
            done_at: r.done_at,
            handled_by: r.handled_by.map(|a| a.0),
            identity_check: r.identity_check.clone(),
            refusal_reason: r.refusal_reason.clone(),
            expires_at: r.expires_at,
            ready: r.downloadable(Utc::now()),
        }
    }
}

/// A participant's privacy: their consents and requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPrivacy {
    pub participant_id: i64,
    pub consents: Vec<Consent>,
    pub requests: Vec<PrivacyRequest>,
    /// When the next export may be asked for; null: now.
    pub next_export_at: Option<DateTime<Utc>>,
    /// Days after the event the data is kept.
    pub retention_days: i64,
}

fn reason() -> Object {
    schema::filled(500, Lines::Many)
}

/// Why an organiser erases a participant (a request by post or email), or refuses a
/// request.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureInput {
    #[schema(schema_with = reason, required = true)]
    pub reason: Option<String>,
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Erasure {
    pub participant_id: i64,
    pub erased_at: DateTime<Utc>,
    /// Table → rows deleted or anonymised.
    pub changed: BTreeMap<String, u64>,
    /// Table → why the person's rows there were kept (anonymous once the person is).
    pub kept: BTreeMap<String, String>,
}

impl From<&domain::ErasureOutcome> for Erasure {
    fn from(o: &domain::ErasureOutcome) -> Self {
        Erasure {
            participant_id: o.participant_id.0,
            erased_at: o.erased_at,
            changed: o.changed.clone(),
            kept: o
                .kept
                .iter()
                .map(|(k, v)| (k.clone(), (*v).to_string()))
                .collect(),
        }
    }
}

fn recipient_kind() -> Object {
    schema::one_of(&["park", "department", "crm", "webhook", "processor"])
}

fn categories() -> utoipa::openapi::schema::ArrayBuilder {
    schema::list_of(domain::category_codes(), 8).min_items(Some(1))
}

/// Who receives participants' data, where and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recipient {
    pub id: i64,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
    #[schema(schema_with = recipient_kind)]
    pub kind: String,
    /// ISO 3166 code.
    pub country: String,
    #[schema(schema_with = schema::localized_out)]
    pub purpose: Localized,
    /// The categories of data it receives.
    pub data: Vec<String>,
}

impl From<&domain::Recipient> for Recipient {
    fn from(r: &domain::Recipient) -> Self {
        Recipient {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind.code().to_string(),
            country: r.country.clone(),
            purpose: r.purpose.clone(),
            data: r.data.clone(),
        }
    }
}

fn recipient_name() -> utoipa::openapi::Schema {
    schema::localized(200, true, Lines::One)
}
fn recipient_purpose() -> utoipa::openapi::Schema {
    schema::localized(500, true, Lines::Many)
}

/// A recipient to add to the register.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientInput {
    #[schema(schema_with = recipient_name, required = true)]
    pub name: Option<Localized>,
    #[schema(schema_with = recipient_kind, required = true)]
    pub kind: Option<String>,
    #[schema(value_type = crate::api::CountryCode, required = true)]
    pub country: Option<String>,
    #[schema(schema_with = recipient_purpose, required = true)]
    pub purpose: Option<Localized>,
    #[serde(default)]
    #[schema(schema_with = categories, required = true)]
    pub data: Vec<String>,
}

impl From<RecipientInput> for domain::RecipientInput {
    fn from(i: RecipientInput) -> Self {
        domain::RecipientInput {
            name: i.name,
            kind: i.kind,
            country: i.country,
            purpose: i.purpose,
            data: i.data,
        }
    }
}

/// An event's own retention.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventRetention {
    pub event: String,
    pub ends_at: DateTime<Utc>,
    /// Null: the agency's.
    pub days: Option<i64>,
}

/// How long participants' data is kept after the event, before it is anonymised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Retention {
    pub days: i64,
    pub events: Vec<EventRetention>,
}

impl From<&domain::Retention> for Retention {
    fn from(r: &domain::Retention) -> Self {
        Retention {
            days: r.days,
            events: r
                .events
                .iter()
                .map(|e| EventRetention {
                    event: e.slug.clone(),
                    ends_at: e.ends_at,
                    days: e.days,
                })
                .collect(),
        }
    }
}

fn retention_days() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(*domain::RETENTION_RANGE.start()))
        .maximum(Some(*domain::RETENTION_RANGE.end()))
        .build()
}

fn optional_retention_days() -> Object {
    ObjectBuilder::new()
        .schema_type(schema::nullable(Type::Integer))
        .minimum(Some(*domain::RETENTION_RANGE.start()))
        .maximum(Some(*domain::RETENTION_RANGE.end()))
        .build()
}

/// An event's retention to set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRetentionInput {
    /// The event's slug.
    #[schema(schema_with = schema::slug)]
    pub event: String,
    /// Null: the agency's.
    #[schema(schema_with = optional_retention_days)]
    pub days: Option<i64>,
}

/// The retention to keep.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    #[schema(schema_with = retention_days, required = true)]
    pub days: Option<i64>,
    #[serde(default)]
    pub events: Vec<EventRetentionInput>,
}

/// The audit chain's latest entry: keep a copy to show later that the log was not
/// rewritten.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

/// One table of the data map.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapTable {
    pub table: String,
    pub about: String,
    pub whose: String,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    /// What erasing a participant does to their rows: `delete`, `anonymise`, `keep` or
    /// `none` (the table holds nothing of participants).
    pub erasure: String,
    pub columns: Vec<MapColumn>,
}

/// One column of the data map.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapColumn {
    pub column: String,
    /// Null: not personal data.
    pub category: Option<String>,
    /// `keep`, `anonymise`, `redact` or `delete`.
    pub erasure: String,
    /// Why it is kept, when it is.
    pub reason: Option<String>,
}

/// The data map as the API gives it.
pub fn data_map() -> Vec<MapTable> {
    map::tables()
        .iter()
        .map(|t| MapTable {
            table: t.name.to_string(),
            about: t.about.to_string(),
            whose: format!("{:?}", t.whose).to_lowercase(),
            purpose: t.purpose.code().to_string(),
            legal_basis: t.basis.code().to_string(),
            retention: t.retention.code().to_string(),
            erasure: match (t.person, t.rows) {
                (None, _) => "none",
                (_, map::Rows::Delete) => "delete",
                (_, map::Rows::Update) => "anonymise",
                (_, map::Rows::Keep(_)) => "keep",
            }
            .to_string(),
            columns: t
                .plain
                .split_whitespace()
                .map(|c| MapColumn {
                    column: c.to_string(),
                    category: None,
                    erasure: "keep".into(),
                    reason: Some("not_personal".into()),
                })
                .chain(t.personal.iter().map(|c| MapColumn {
                    column: c.name.to_string(),
                    category: Some(c.category.code().to_string()),
                    erasure: c.erasure.code().to_string(),
                    reason: match c.erasure {
                        map::Erasure::Keep(why) => Some(why.code().to_string()),
                        _ => None,
                    },
                }))
                .collect(),
        })
        .collect()
}
