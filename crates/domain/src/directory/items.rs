//! The directory's items: the agency's industrial parks, policies and success stories as
//! organisers enter them, and the rules their inputs keep. Sessions link to them; the
//! event page shows them; the live exchange's department suggestion reads them.

use super::eligibility::{Criterion, CriterionInput, parse_criteria};
use crate::events::limits;
use crate::ids::PolicyId;
use crate::ids::{AgencyId, ParkId, StoryId};
use crate::localized::Localized;
use crate::reference::{BENEFIT_TYPES, is_industry};
use crate::validation::is_slug;
use crate::validation::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// The three kinds of directory item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Policy = 0,
    Park = 1,
    Story = 2,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Policy, Kind::Park, Kind::Story];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Park => "park",
            Kind::Story => "story",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The key an item is known by across the directory, `kind:slug`: in citations
    /// (`[[policy:slug]]`), in event pages' links, and as the external id an export gives
    /// an item that has none of its own.
    pub fn key(self, slug: &str) -> String {
        format!("{}:{slug}", self.code())
    }

    /// The kind and slug of a `kind:slug` key; None when it names no kind.
    pub fn parse_key(key: &str) -> Option<(Kind, &str)> {
        let (kind, slug) = key.split_once(':')?;
        Some((Kind::from_code(kind)?, slug))
    }
}

/// Largest park area accepted, in km² (Beijing's whole area is about 16,400 km²).
pub const AREA_MAX_KM2: f64 = 20_000.0;
/// Most industries, sectors or linked policies on one park or policy.
pub const LIST_MAX: usize = 20;
/// Longest contact line.
pub const CONTACT_MAX: usize = 300;

/// A park as sent by an organiser (API JSON, or the admin form).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ParkInput {
    pub slug: Option<String>,
    #[serde(default)]
    pub name: Localized,
    #[serde(default)]
    pub district: Localized,
    #[serde(default)]
    pub summary: Localized,
    #[serde(default)]
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    #[serde(default)]
    pub policy_ids: Vec<i64>,
    /// The item's id in the file it was imported from (another tool's, or ours).
    pub external_id: Option<String>,
    pub address: Option<String>,
    /// WGS 84 degrees.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

fn slug(check: &mut Checker, value: Option<&str>) -> String {
    let slug = check.required("slug", value, limits::SLUG);
    if !slug.is_empty() && !is_slug(&slug) {
        check.push("slug", "invalid_slug");
    }
    slug
}

fn industries(check: &mut Checker, field: &str, codes: &[String]) -> Vec<String> {
    if codes.len() > LIST_MAX {
        check.push_limit(field, "too_many", LIST_MAX);
    }
    if codes.iter().any(|c| !is_industry(c)) {
        check.push(field, "unknown_industry");
    }
    let mut out = codes.to_vec();
    out.dedup();
    out
}

impl ParkInput {
    /// Checks every field at once. Whether the linked policies belong to the agency is the
    /// caller's check.
    pub fn parse(&self) -> Result<ParkDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["summary"]);
        let slug = slug(&mut check, self.slug.as_deref());
        check.localized("name", &self.name, limits::NAME, true);
        check.localized("district", &self.district, limits::NAME, false);
        check.localized("summary", &self.summary, limits::SUMMARY, false);
        let focus_industries = industries(&mut check, "focus_industries", &self.focus_industries);
        if let Some(area) = self.area_km2 {
            if !(area > 0.0 && area <= AREA_MAX_KM2) {
                check.push_limit("area_km2", "out_of_range", AREA_MAX_KM2 as usize);
            }
        }
        let website = check.optional_url("website", self.website.as_deref());
        let contact = check.optional("contact", self.contact.as_deref(), CONTACT_MAX);
        let external_id = external_id(&mut check, self.external_id.as_deref());
        let address = check.optional("address", self.address.as_deref(), CONTACT_MAX);
        if self.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
            check.push_limit("latitude", "coordinate_out_of_range", 90);
        }
        if self
            .longitude
            .is_some_and(|v| !(-180.0..=180.0).contains(&v))
        {
            check.push_limit("longitude", "coordinate_out_of_range", 180);
        }
        if self.latitude.is_some() != self.longitude.is_some() {
            check.push(
                if self.latitude.is_some() {
                    "longitude"
                } else {
                    "latitude"
                },
                "required",
            );
        }
        if self.policy_ids.len() > LIST_MAX {
            check.push_limit("policy_ids", "too_many", LIST_MAX);
        }
        check.finish(ParkDraft {
            slug,
            name: self.name.clone(),
            district: self.district.clone(),
            summary: self.summary.clone(),
            focus_industries,
            area_km2: self.area_km2,
            website,
            contact,
            is_sample: false,
            policy_ids: self.policy_ids.iter().copied().map(PolicyId).collect(),
            external_id,
            address,
            latitude: self.latitude,
            longitude: self.longitude,
        })
    }
}

/// A policy as sent by an organiser.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PolicyInput {
    pub slug: Option<String>,
    #[serde(default)]
    pub title: Localized,
    #[serde(default)]
    pub issuing_body: Localized,
    #[serde(default)]
    pub region: Localized,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub benefit_types: Vec<String>,
    #[serde(default)]
    pub summary: Localized,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    /// The full text, Markdown per language.
    #[serde(default)]
    pub body: Localized,
    /// Who qualifies, as data (see `directory::eligibility`).
    #[serde(default)]
    pub criteria: Vec<CriterionInput>,
    /// The policy that replaces this one when it expires.
    pub successor_id: Option<i64>,
    /// The parks it applies in; `None` leaves the links as they are.
    pub park_ids: Option<Vec<i64>>,
    pub external_id: Option<String>,
}

/// Longest external id.
pub const EXTERNAL_ID_MAX: usize = 100;

fn external_id(check: &mut Checker, value: Option<&str>) -> Option<String> {
    let id = check.optional("external_id", value, EXTERNAL_ID_MAX)?;
    if id.chars().any(char::is_control) {
        check.push("external_id", "invalid_characters");
    }
    Some(id)
}

fn date(check: &mut Checker, field: &str, value: Option<&str>) -> Option<chrono::NaiveDate> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) if !crate::time::SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d)) => {
            check.push(field, "date_out_of_range");
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            check.push(field, "invalid_date");
            None
        }
    }
}

impl PolicyInput {
    pub fn parse(&self) -> Result<PolicyDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["summary", "body"]);
        let slug = slug(&mut check, self.slug.as_deref());
        check.localized("title", &self.title, limits::TITLE, true);
        check.localized("issuing_body", &self.issuing_body, limits::NAME, false);
        check.localized("region", &self.region, limits::NAME, false);
        check.localized("summary", &self.summary, limits::SUMMARY, false);
        let sectors = industries(&mut check, "sectors", &self.sectors);
        if self
            .benefit_types
            .iter()
            .any(|b| !BENEFIT_TYPES.contains(&b.as_str()))
        {
            check.push("benefit_types", "unknown_choice");
        }
        let from = date(&mut check, "valid_from", self.valid_from.as_deref());
        let until = date(&mut check, "valid_until", self.valid_until.as_deref());
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                check.push("valid_until", "ends_before_start");
            }
        }
        let source_url = check.optional_url("source_url", self.source_url.as_deref());
        check.localized("body", &self.body, limits::DESCRIPTION, false);
        let criteria = parse_criteria(&mut check, "criteria", &self.criteria);
        let external_id = external_id(&mut check, self.external_id.as_deref());
        if self.park_ids.as_ref().is_some_and(|p| p.len() > LIST_MAX) {
            check.push_limit("park_ids", "too_many", LIST_MAX);
        }
        let mut benefit_types = self.benefit_types.clone();
        benefit_types.dedup();
        check.finish(PolicyDraft {
            slug,
            title: self.title.clone(),
            issuing_body: self.issuing_body.clone(),
            region: self.region.clone(),
            sectors,
            benefit_types,
            summary: self.summary.clone(),
            valid_from: from.map(|d| d.to_string()),
            valid_until: until.map(|d| d.to_string()),
            source_url,
            is_sample: false,
            body: self.body.clone(),
            criteria,
            successor_id: self.successor_id.map(PolicyId),
            park_ids: self
                .park_ids
                .as_ref()
                .map(|p| p.iter().copied().map(ParkId).collect()),
            external_id,
        })
    }
}

/// A success story as sent by an organiser: a company that invested, in its own words.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct StoryInput {
    pub slug: Option<String>,
    pub company_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    #[serde(default)]
    pub title: Localized,
    /// Markdown per language.
    #[serde(default)]
    pub body: Localized,
    /// The park the company is in.
    pub park_id: Option<i64>,
    pub external_id: Option<String>,
}

impl StoryInput {
    pub fn parse(&self) -> Result<StoryDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["body"]);
        let slug = slug(&mut check, self.slug.as_deref());
        let company_name =
            check.required("company_name", self.company_name.as_deref(), limits::NAME);
        let country = self
            .country
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        if country.is_empty() {
            check.push("country", "required");
        } else if crate::reference::country(&country).is_none() {
            check.push("country", "unknown_country");
        }
        check.localized("title", &self.title, limits::TITLE, true);
        check.localized("body", &self.body, limits::DESCRIPTION, false);
        let external_id = external_id(&mut check, self.external_id.as_deref());
        check.finish(StoryDraft {
            slug,
            company_name,
            country,
            title: self.title.clone(),
            body: self.body.clone(),
            is_sample: false,
            park_id: self.park_id.map(ParkId),
            external_id,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Park {
    pub id: ParkId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub name: Localized,
    pub district: Localized,
    pub summary: Localized,
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    /// Invented demo content, shown as such.
    pub is_sample: bool,
    pub policy_ids: Vec<PolicyId>,
    pub external_id: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Archived: kept, but no longer shown, searched or matched.
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParkDraft {
    pub slug: String,
    pub name: Localized,
    pub district: Localized,
    pub summary: Localized,
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub is_sample: bool,
    pub policy_ids: Vec<PolicyId>,
    pub external_id: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub id: PolicyId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub title: Localized,
    pub issuing_body: Localized,
    pub region: Localized,
    pub sectors: Vec<String>,
    pub benefit_types: Vec<String>,
    pub summary: Localized,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    pub is_sample: bool,
    pub body: Localized,
    pub criteria: Vec<Criterion>,
    pub successor_id: Option<PolicyId>,
    /// The parks it applies in.
    pub park_ids: Vec<ParkId>,
    pub external_id: Option<String>,
    pub archived: bool,
    /// 1 when created, one more for each change (earlier versions stay readable).
    pub version: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

impl Policy {
    /// Expired on `today` (a date in Beijing): kept and findable, never current.
    pub fn expired(&self, today: chrono::NaiveDate) -> bool {
        self.valid_until
            .as_deref()
            .and_then(|u| chrono::NaiveDate::parse_from_str(u, "%Y-%m-%d").ok())
            .is_some_and(|u| u < today)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDraft {
    pub slug: String,
    pub title: Localized,
    pub issuing_body: Localized,
    pub region: Localized,
    pub sectors: Vec<String>,
    pub benefit_types: Vec<String>,
    pub summary: Localized,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    pub is_sample: bool,
    pub body: Localized,
    pub criteria: Vec<Criterion>,
    pub successor_id: Option<PolicyId>,
    pub park_ids: Option<Vec<ParkId>>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuccessStory {
    pub id: StoryId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub company_name: String,
    pub country: String,
    pub title: Localized,
    pub body: Localized,
    pub is_sample: bool,
    pub park_id: Option<ParkId>,
    pub external_id: Option<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryDraft {
    pub slug: String,
    pub company_name: String,
    pub country: String,
    pub title: Localized,
    pub body: Localized,
    pub is_sample: bool,
    pub park_id: Option<ParkId>,
    pub external_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn a_park_needs_a_slug_and_a_name_and_sane_numbers() {
        let err = ParkInput {
            slug: Some("Bad Slug".into()),
            area_km2: Some(-3.0),
            focus_industries: vec!["weapons".into()],
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["slug", "name", "focus_industries", "area_km2"]);
        let ok = ParkInput {
            slug: Some("daxing-bio".into()),
            name: Localized::one(Lang::En, "Daxing Biomedicine Base"),
            focus_industries: vec!["biomedicine".into()],
            area_km2: Some(12.5),
            policy_ids: vec![3],
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.policy_ids, vec![PolicyId(3)]);
        assert!(!ok.is_sample);
    }

    #[test]
    fn a_story_names_its_company_and_country() {
        let err = StoryInput {
            slug: Some("s".into()),
            country: Some("XX".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("company_name", "required"),
                ("country", "unknown_country"),
                ("title", "required")
            ]
        );
        let ok = StoryInput {
            slug: Some("knorr".into()),
            company_name: Some("Knorr GmbH".into()),
            country: Some("de".into()),
            title: Localized::one(Lang::De, "Zehn Jahre in Shunyi"),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.country, "DE");
    }

    #[test]
    fn a_policy_has_real_dates_in_order() {
        let err = PolicyInput {
            slug: Some("p".into()),
            title: Localized::one(Lang::De, "Förderung"),
            valid_from: Some("2025-13-01".into()),
            benefit_types: vec!["free-lunch".into()],
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("benefit_types", "unknown_choice"),
                ("valid_from", "invalid_date")
            ]
        );
        let err = PolicyInput {
            slug: Some("p".into()),
            title: Localized::one(Lang::De, "Förderung"),
            valid_from: Some("2025-06-01".into()),
            valid_until: Some("2024-06-01".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(err.0[0].code, "ends_before_start");
    }
}
