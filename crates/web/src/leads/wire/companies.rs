//! Companies on the wire: their signals, possible duplicates and merges.

use super::*;

/// What a participant did, once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanySignal {
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub company_id: i64,
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    pub participant_name: String,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = signal_kind)]
    pub kind: String,
    pub ref_id: i64,
    pub amount: i64,
    pub at: DateTime<Utc>,
}

impl From<&Signal> for CompanySignal {
    fn from(s: &Signal) -> Self {
        CompanySignal {
            id: s.id,
            company_id: s.company_id.0,
            participant_id: s.participant_id.0,
            participant_name: s.participant_name.clone(),
            event_id: s.event_id.0,
            kind: s.kind.code().into(),
            ref_id: s.ref_id,
            amount: s.amount,
            at: s.at,
        }
    }
}

/// A company's signals, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Signals {
    pub signals: Vec<CompanySignal>,
}

/// A company as the duplicate check shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanySummary {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    pub website: Option<String>,
    pub registrations: i64,
    pub has_lead: bool,
}

/// Two companies that may be one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DuplicatePair {
    pub a: CompanySummary,
    pub b: CompanySummary,
    #[schema(schema_with = match_reason)]
    pub reason: String,
}

impl From<&Duplicate> for DuplicatePair {
    fn from(d: &Duplicate) -> Self {
        let summary = |c: &roadshow_domain::leads::companies::CompanySummary| CompanySummary {
            id: c.id.0,
            name: c.name.clone(),
            country: c.country.clone(),
            website: c.website.clone(),
            registrations: c.registrations,
            has_lead: c.has_lead,
        };
        DuplicatePair {
            a: summary(&d.a),
            b: summary(&d.b),
            reason: d.reason.code().into(),
        }
    }
}

/// Two companies merged into one (the kept one), undoable.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Merge {
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub kept: i64,
    pub kept_name: String,
    #[schema(schema_with = schema::id)]
    pub merged: i64,
    pub merged_name: String,
    /// The officer who merged them.
    #[schema(schema_with = schema::id)]
    pub by: i64,
    pub at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
}

impl From<&CompanyMerge> for Merge {
    fn from(m: &CompanyMerge) -> Self {
        Merge {
            id: m.id,
            kept: m.kept.0,
            kept_name: m.kept_name.clone(),
            merged: m.merged.0,
            merged_name: m.merged_name.clone(),
            by: m.by.0,
            at: m.at,
            undone_at: m.undone_at,
        }
    }
}

/// Companies that may be one, and the merges made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyMatches {
    pub duplicates: Vec<DuplicatePair>,
    pub merges: Vec<Merge>,
}

/// Two companies to merge: `merged` goes into `kept`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub kept: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub merged: Option<i64>,
}

pub(super) fn signal_kind() -> Object {
    schema::one_of(&codes(SignalKind::ALL, SignalKind::code))
}

pub(super) fn match_reason() -> Object {
    schema::one_of(&[
        MatchReason::SameDomain.code(),
        MatchReason::SameName.code(),
        MatchReason::SimilarName.code(),
    ])
}
