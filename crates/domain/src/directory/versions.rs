//! What the directory keeps besides its items: every version of a policy, the changes the
//! search index follows, the agency's own glossary words, and what an import did.

use super::items::Policy;
use super::search::Kind;
use crate::Lang;
use crate::ids::{AccountId, AgencyId};
use serde::Serialize;

/// A policy as it was after one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyVersion {
    pub version: i64,
    /// The policy as saved then.
    pub policy: Policy,
    pub changed_by: Option<AccountId>,
    /// The author's email, when the account still exists.
    pub changed_by_email: Option<String>,
    /// Unix seconds.
    pub changed_at: i64,
}

/// The fields that differ between two versions (for "who changed what").
pub fn changed_fields(before: &Policy, after: &Policy) -> Vec<&'static str> {
    let mut out = Vec::new();
    let pairs: [(&'static str, bool); 14] = [
        ("slug", before.slug != after.slug),
        ("title", before.title != after.title),
        ("summary", before.summary != after.summary),
        ("body", before.body != after.body),
        ("issuing_body", before.issuing_body != after.issuing_body),
        ("region", before.region != after.region),
        ("sectors", before.sectors != after.sectors),
        ("benefit_types", before.benefit_types != after.benefit_types),
        ("valid_from", before.valid_from != after.valid_from),
        ("valid_until", before.valid_until != after.valid_until),
        ("source_url", before.source_url != after.source_url),
        ("criteria", before.criteria != after.criteria),
        ("successor_id", before.successor_id != after.successor_id),
        ("park_ids", before.park_ids != after.park_ids),
    ];
    for (name, differs) in pairs {
        if differs {
            out.push(name);
        }
    }
    out
}

/// One change to the directory, in the order made: the search index applies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub agency: AgencyId,
    /// `None` for a glossary change (the whole index is rebuilt).
    pub kind: Option<Kind>,
    pub item: i64,
}

/// A word an agency added to a glossary concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlossaryTerm {
    pub id: i64,
    pub agency: AgencyId,
    pub concept: String,
    pub lang: Lang,
    pub term: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub created: usize,
    /// Items that existed (same external id) and changed: a new version each.
    pub updated: usize,
    pub unchanged: usize,
}
