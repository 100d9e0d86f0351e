//! The directory's file format, for import and export (JSON, and CSV with one policy a
//! row). Documented in docs/DIRECTORY.md. A file is checked whole: every error is
//! reported with its record and field, and a file with any error imports nothing.

use super::eligibility::CriterionInput;
use super::items::{
    Park, ParkDraft, ParkInput, Policy, PolicyDraft, PolicyInput, StoryDraft, StoryInput,
    SuccessStory,
};
use super::search::Kind;
use crate::validation::FieldError;
use crate::{Lang, Localized};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The `format` a file names.
pub const FORMAT: &str = "roadshow-directory";
/// The version of the format this reader understands (and the export writes).
pub const VERSION: u32 = 1;
// A file holds as many records as the directory it was exported from: what bounds an
// import is the size of the upload (`max_upload_bytes`) on the web, and nothing but the
// disk for `roadshow import directory`. So any export imports again, whole.

/// A whole file: `{"format": "roadshow-directory", "version": 1, "items": [...]}`.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryFile {
    pub format: &'static str,
    pub version: u32,
    pub items: Vec<Record>,
}

/// A district written as one name (taken as its English name) or per language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Localized),
}

impl Names {
    fn localized(&self) -> Localized {
        match self {
            Names::One(s) => Localized::from_pairs([(Lang::En, s.as_str())]),
            Names::Many(l) => l.clone(),
        }
    }
}

/// One policy, park or story. Fields that do not apply to its kind are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub external_id: Option<String>,
    /// `policy`, `park` or `story`.
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default)]
    pub title: Localized,
    #[serde(default)]
    pub summary: Localized,
    #[serde(default)]
    pub body: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub issuing_body: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<Names>,
    /// Industry codes: a policy's sectors, a park's focus industries.
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefit_types: Vec<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// External ids of parks: where a policy applies; a story's park (the first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parks: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionInput>,
    /// External id of the policy that replaces this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_km2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// ISO 3166-1 alpha-2 (a story's company).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Invented demo content, shown as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sample: bool,
}

/// A checked file, ready for the store: links still by external id, resolved in the
/// import's transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPlan {
    pub parks: Vec<ParkDraft>,
    /// Each policy with the external ids of its parks and successor.
    pub policies: Vec<(PolicyDraft, Vec<String>, Option<String>)>,
    /// Each story with the external id of its park.
    pub stories: Vec<(StoryDraft, Option<String>)>,
}

/// A slug made from an external id: its letters and digits, or a stable hash for ids
/// without any (`item-3f2a…`).
pub fn slug_for(external_id: &str) -> String {
    let mut slug = String::new();
    for c in external_id.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(60).collect();
    if slug.is_empty() {
        // FNV-1a: stable across runs and machines.
        let hash = external_id.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        format!("item-{hash:016x}")
    } else {
        slug
    }
}

fn prefixed(index: usize, errors: Vec<FieldError>) -> impl Iterator<Item = FieldError> {
    errors.into_iter().map(move |e| FieldError {
        field: format!("items[{index}].{}", e.field),
        ..e
    })
}

fn error(index: usize, field: &str, code: &'static str) -> FieldError {
    FieldError::new(format!("items[{index}].{field}"), code)
}

/// How an imported file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// The directory's own format (or a bare array of its items).
    Json,
    /// One policy a row ([`csv_rows`]).
    Csv,
}

/// Reads the records of a file as it arrived (an upload, a request body, a file on disk):
/// UTF-8 text in `format`. Every problem is a field error (`file`, `items[3].slug`).
pub fn read(bytes: &[u8], format: FileFormat) -> Result<Vec<Record>, Vec<FieldError>> {
    let text = std::str::from_utf8(bytes).map_err(|_| vec![FieldError::new("file", "not_utf8")])?;
    match format {
        FileFormat::Csv => csv_rows::read(text),
        FileFormat::Json => {
            let value: Value = serde_json::from_str(text)
                .map_err(|_| vec![FieldError::new("file", "malformed_json")])?;
            read_json(&value)
        }
    }
}

/// Reads the records of a JSON file (an object with `items`, or a bare array). A record
/// whose fields have the wrong types is reported field by field.
pub fn read_json(value: &Value) -> Result<Vec<Record>, Vec<FieldError>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => {
            // A file that names another format or a later version is not read as
            // this one: its fields could mean something else.
            let mut errors = Vec::new();
            if map
                .get("format")
                .is_some_and(|f| f.as_str() != Some(FORMAT))
            {
                errors.push(FieldError::new("format", "unknown_choice"));
            }
            if map
                .get("version")
                .is_some_and(|v| v.as_u64() != Some(u64::from(VERSION)))
            {
                errors.push(FieldError::new("version", "unknown_choice"));
            }
            match map.get("items") {
                Some(Value::Array(items)) if errors.is_empty() => items,
                Some(Value::Array(_)) => return Err(errors),
                _ => {
                    errors.push(FieldError::new("items", "required"));
                    return Err(errors);
                }
            }
        }
        _ => return Err(vec![FieldError::new("items", "required")]),
    };
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match serde_json::from_value::<Record>(item.clone()) {
            Ok(r) => records.push(r),
            Err(_) => {
                let Some(map) = item.as_object() else {
                    errors.push(error(i, "kind", "invalid_record"));
                    continue;
                };
                // Which fields are wrong: each tried alone.
                for (key, v) in map {
                    let alone = Value::Object([(key.clone(), v.clone())].into_iter().collect());
                    if serde_json::from_value::<Record>(alone).is_err() {
                        errors.push(error(i, key, "invalid_type"));
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Checks every record and the links between them. `existing` holds the external ids
/// already in the directory, by kind, so a file may link to items imported earlier.
pub fn plan(
    records: &[Record],
    existing: &HashSet<(Kind, String)>,
) -> Result<ImportPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = ImportPlan::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut in_file: HashSet<(Kind, String)> = HashSet::new();
    for r in records {
        if let (Some(k), Some(id)) = (
            r.kind.as_deref().and_then(Kind::from_code),
            r.external_id.as_deref(),
        ) {
            in_file.insert((k, id.trim().to_string()));
        }
    }
    let known = |kind: Kind, id: &str| {
        in_file.contains(&(kind, id.to_string())) || existing.contains(&(kind, id.to_string()))
    };
    for (i, r) in records.iter().enumerate() {
        let ext = r.external_id.as_deref().map(str::trim).unwrap_or("");
        if ext.is_empty() {
            errors.push(error(i, "external_id", "required"));
        } else if let Some(first) = seen.insert(ext.to_string(), i) {
            let _ = first;
            errors.push(error(i, "external_id", "duplicate"));
        }
        let slug = r
            .slug
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| (!ext.is_empty()).then(|| slug_for(ext)));
        let external_id = (!ext.is_empty()).then(|| ext.to_string());
        match r.kind.as_deref().and_then(Kind::from_code) {
            None => errors.push(error(
                i,
                "kind",
                if r.kind.is_none() {
                    "required"
                } else {
                    "unknown_choice"
                },
            )),
            Some(Kind::Policy) => {
                let input = PolicyInput {
                    slug,
                    title: r.title.clone(),
                    issuing_body: r.issuing_body.clone(),
                    region: r
                        .district
                        .as_ref()
                        .map(Names::localized)
                        .unwrap_or_default(),
                    sectors: r.sectors.clone(),
                    benefit_types: r.benefit_types.clone(),
                    summary: r.summary.clone(),
                    valid_from: r.valid_from.clone(),
                    valid_until: r.valid_until.clone(),
                    source_url: r.source_url.clone(),
                    body: r.body.clone(),
                    criteria: r.criteria.clone(),
                    successor_id: None,
                    park_ids: None,
                    external_id,
                };
                for (n, p) in r.parks.iter().enumerate() {
                    if !known(Kind::Park, p.trim()) {
                        errors.push(error(i, &format!("parks[{n}]"), "unknown_park"));
                    }
                }
                if let Some(s) = &r.successor {
                    if !known(Kind::Policy, s.trim()) || s.trim() == ext {
                        errors.push(error(i, "successor", "unknown_policy"));
                    }
                }
                match input.parse() {
                    Ok(mut draft) => {
                        draft.is_sample = r.sample;
                        let parks = r.parks.iter().map(|p| p.trim().to_string()).collect();
                        out.policies.push((
                            draft,
                            parks,
                            r.successor.as_ref().map(|s| s.trim().to_string()),
                        ));
                    }
                    Err(e) => errors.extend(prefixed(i, e.0)),
                }
            }
            Some(Kind::Park) => {
                let input = ParkInput {
                    slug,
                    name: r.title.clone(),
                    district: r
                        .district
                        .as_ref()
                        .map(Names::localized)
                        .unwrap_or_default(),
                    summary: r.summary.clone(),
                    focus_industries: r.sectors.clone(),
                    area_km2: r.area_km2,
                    website: r.website.clone(),
                    contact: r.contact.clone(),
                    policy_ids: Vec::new(),
                    external_id,
                    address: r.address.clone(),
                    latitude: r.latitude,
                    longitude: r.longitude,
                };
                match input.parse() {
                    Ok(mut draft) => {
                        draft.is_sample = r.sample;
                        out.parks.push(draft);
                    }
                    Err(e) => errors.extend(prefixed(i, e.0).map(|mut e| {
                        e.field = e
                            .field
                            .replace(".name", ".title")
                            .replace(".focus_industries", ".sectors");
                        e
                    })),
                }
            }
            Some(Kind::Story) => {
                let input = StoryInput {
                    slug,
                    company_name: r.company_name.clone(),
                    country: r.country.clone(),
                    title: r.title.clone(),
                    body: if r.body.is_empty() {
                        r.summary.clone()
                    } else {
                        r.body.clone()
                    },
                    park_id: None,
                    external_id,
                };
                let park = r.parks.first().map(|p| p.trim().to_string());
                if let Some(p) = &park {
                    if !known(Kind::Park, p) {
                        errors.push(error(i, "parks[0]", "unknown_park"));
                    }
                }
                match input.parse() {
                    Ok(mut draft) => {
                        draft.is_sample = r.sample;
                        out.stories.push((draft, park));
                    }
                    Err(e) => errors.extend(prefixed(i, e.0)),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The directory as a file; items without an external id get `kind:slug`, which an import
/// of the same file matches by slug (so a round trip changes nothing).
pub fn export(parks: &[Park], policies: &[Policy], stories: &[SuccessStory]) -> DirectoryFile {
    let park_ext: HashMap<i64, String> = parks
        .iter()
        .map(|p| {
            (
                p.id.0,
                p.external_id
                    .clone()
                    .unwrap_or_else(|| Kind::Park.key(&p.slug)),
            )
        })
        .collect();
    let policy_ext: HashMap<i64, String> = policies
        .iter()
        .map(|p| {
            (
                p.id.0,
                p.external_id
                    .clone()
                    .unwrap_or_else(|| Kind::Policy.key(&p.slug)),
            )
        })
        .collect();
    let mut items = Vec::new();
    for p in parks.iter().filter(|p| !p.archived) {
        items.push(Record {
            external_id: park_ext.get(&p.id.0).cloned(),
            kind: Some("park".into()),
            slug: Some(p.slug.clone()),
            title: p.name.clone(),
            summary: p.summary.clone(),
            district: (!p.district.is_empty()).then(|| Names::Many(p.district.clone())),
            sectors: p.focus_industries.clone(),
            area_km2: p.area_km2,
            address: p.address.clone(),
            latitude: p.latitude,
            longitude: p.longitude,
            website: p.website.clone(),
            contact: p.contact.clone(),
            sample: p.is_sample,
            ..Default::default()
        });
    }
    for p in policies.iter().filter(|p| !p.archived) {
        items.push(Record {
            external_id: policy_ext.get(&p.id.0).cloned(),
            kind: Some("policy".into()),
            slug: Some(p.slug.clone()),
            title: p.title.clone(),
            summary: p.summary.clone(),
            body: p.body.clone(),
            issuing_body: p.issuing_body.clone(),
            district: (!p.region.is_empty()).then(|| Names::Many(p.region.clone())),
            sectors: p.sectors.clone(),
            benefit_types: p.benefit_types.clone(),
            valid_from: p.valid_from.clone(),
            valid_until: p.valid_until.clone(),
            source_url: p.source_url.clone(),
            parks: p
                .park_ids
                .iter()
                .filter_map(|id| park_ext.get(&id.0).cloned())
                .collect(),
            criteria: p
                .criteria
                .iter()
                .map(|c| CriterionInput {
                    field: c.field.code().to_string(),
                    op: c.op.code().to_string(),
                    value: serde_json::to_value(&c.value).unwrap_or(Value::Null),
                })
                .collect(),
            successor: p.successor_id.and_then(|id| policy_ext.get(&id.0).cloned()),
            sample: p.is_sample,
            ..Default::default()
        });
    }
    for s in stories.iter().filter(|s| !s.archived) {
        items.push(Record {
            external_id: Some(
                s.external_id
                    .clone()
                    .unwrap_or_else(|| Kind::Story.key(&s.slug)),
            ),
            kind: Some("story".into()),
            slug: Some(s.slug.clone()),
            title: s.title.clone(),
            body: s.body.clone(),
            parks: s
                .park_id
                .and_then(|id| park_ext.get(&id.0).cloned())
                .into_iter()
                .collect(),
            company_name: some(&s.company_name),
            country: some(&s.country),
            sample: s.is_sample,
            ..Default::default()
        });
    }
    DirectoryFile {
        format: FORMAT,
        version: VERSION,
        items,
    }
}

#[cfg(test)]
mod tests;

/// CSV: one policy a row, the localized fields as one column per language
/// (`title_de`, `title_en`…), lists separated by `;`, criteria as JSON.
pub mod csv_rows;
