//! The directory: the agency's whole offer (policies, parks, success stories) searchable
//! in four languages and across them, policies' eligibility criteria matched against a
//! company's profile, every version of a policy kept, and a file format to import and
//! export it all.

pub mod eligibility;
pub mod file;
pub mod items;
pub mod search;
mod store;
pub mod versions;

pub use eligibility::{Assessment, Criterion, CriterionInput, Field, Op, Profile, Status};
pub use items::*;
pub use store::DirectoryStore;

use crate::{Lang, Localized};
use search::Document;

fn date(value: Option<&str>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value?, "%Y-%m-%d").ok()
}

/// A district's key: its English name (else any), as filters and profiles name it.
pub fn district_key(names: &Localized) -> Option<String> {
    names
        .resolve(Lang::En)
        .map(|(_, t)| district_name(t))
        .filter(|t| !t.is_empty())
}

/// A district's name without the word "district" ("Shunyi district" → "Shunyi"), as
/// profiles and filters name it.
pub fn district_name(name: &str) -> String {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    let cut = lower
        .strip_suffix(" district")
        .or_else(|| lower.strip_prefix("district of "))
        .map(str::len);
    match cut {
        Some(n) if lower.ends_with(" district") => name[..n].trim().to_string(),
        Some(n) => name[name.len() - n..].trim().to_string(),
        None => name.to_string(),
    }
}

fn joined(parts: &[&Localized]) -> Localized {
    let mut out = Localized::default();
    for lang in Lang::ALL {
        let text: Vec<&str> = parts
            .iter()
            .map(|p| p.exact(lang))
            .filter(|t| !t.is_empty())
            .collect();
        if !text.is_empty() {
            out.0.insert(lang, text.join("\n"));
        }
    }
    out
}

fn plain(text: &Localized) -> Localized {
    Localized(
        text.0
            .iter()
            .map(|(l, t)| (*l, crate::text::plain_text(t)))
            .collect(),
    )
}

/// What the search index keeps of a policy.
pub fn policy_document(p: &Policy) -> Document {
    Document {
        kind: Some(Kind::Policy),
        id: p.id.0,
        agency: p.agency_id.0,
        slug: p.slug.clone(),
        title: p.title.clone(),
        text: joined(&[&p.summary, &plain(&p.body)]),
        extra: joined(&[&p.issuing_body, &p.region]),
        district: district_key(&p.region),
        district_name: p.region.clone(),
        sectors: p.sectors.clone(),
        benefits: p.benefit_types.clone(),
        valid_from: date(p.valid_from.as_deref()),
        valid_until: date(p.valid_until.as_deref()),
        successor: p.successor_id.map(|s| s.0),
    }
}

/// What the search index keeps of a park.
pub fn park_document(p: &Park) -> Document {
    Document {
        kind: Some(Kind::Park),
        id: p.id.0,
        agency: p.agency_id.0,
        slug: p.slug.clone(),
        title: p.name.clone(),
        text: p.summary.clone(),
        extra: p.district.clone(),
        district: district_key(&p.district),
        district_name: p.district.clone(),
        sectors: p.focus_industries.clone(),
        ..Default::default()
    }
}

/// What the search index keeps of a success story (its park gives the district).
pub fn story_document(s: &SuccessStory, park: Option<&Park>) -> Document {
    Document {
        kind: Some(Kind::Story),
        id: s.id.0,
        agency: s.agency_id.0,
        slug: s.slug.clone(),
        title: s.title.clone(),
        text: plain(&s.body),
        extra: Localized::one(Lang::En, s.company_name.clone()),
        district: park.and_then(|p| district_key(&p.district)),
        district_name: park.map(|p| p.district.clone()).unwrap_or_default(),
        sectors: park.map(|p| p.focus_industries.clone()).unwrap_or_default(),
        ..Default::default()
    }
}
