//! The directory's use cases: search, eligibility, the public park, policy and story
//! pages, and for organisers import, export, archive, delete, versions and the glossary.

mod glossary;
pub mod index;
mod interest;
mod items;

pub use interest::{Names, Noticed};

use crate::access::*;
use crate::{App, AppError, AppResult, Principal};
use chrono::NaiveDate;
use roadshow_domain::Lang;
use roadshow_domain::directory::eligibility::{self, Assessment, Profile};
use roadshow_domain::directory::file::{self, DirectoryFile, FileFormat, Record};
use roadshow_domain::directory::search::{Kind, Query, QueryError, Results};
use roadshow_domain::directory::versions::{ImportOutcome, PolicyVersion};
use roadshow_domain::directory::{Park, Policy, SuccessStory};
use roadshow_domain::ids::*;
use roadshow_domain::validation::FieldError;
use std::collections::HashSet;

/// Hits on one page of results.
pub const PAGE_SIZE: usize = 10;
/// Pages a search may go to.
pub const PAGES_MAX: usize = 100;

/// The directory: search, eligibility and the organisers' tools.
#[derive(Clone, Copy)]
pub struct Directory<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn directory(&self) -> Directory<'_> {
        Directory { app: self }
    }
}

/// A search as asked (API query or the page's form).
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: String,
    pub lang: Option<Lang>,
    pub district: Option<String>,
    pub sector: Option<String>,
    pub benefit: Option<String>,
    pub kind: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_on: Option<String>,
    /// From 1.
    pub page: Option<usize>,
}

/// One policy's answer for a profile.
#[derive(Debug, Clone)]
pub struct Match {
    pub policy: Policy,
    pub assessment: Assessment,
    /// The current parks it applies in.
    pub parks: Vec<Park>,
}

/// A park with its current policies and its stories.
#[derive(Debug, Clone)]
pub struct ParkPage {
    pub park: Park,
    pub policies: Vec<Policy>,
    pub stories: Vec<SuccessStory>,
}

/// A policy with its parks and, when it expired, its successor.
#[derive(Debug, Clone)]
pub struct PolicyPage {
    pub policy: Policy,
    pub parks: Vec<Park>,
    pub successor: Option<Policy>,
    pub expired: bool,
}

fn opt(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Whether a policy is current on `day`: not archived, started, not expired.
fn current(p: &Policy, day: NaiveDate) -> bool {
    let started = p
        .valid_from
        .as_deref()
        .and_then(|f| NaiveDate::parse_from_str(f, "%Y-%m-%d").ok())
        .is_none_or(|f| f <= day);
    !p.archived && started && !p.expired(day)
}

impl Directory<'_> {
    fn index(&self) -> &index::DirectoryIndex {
        &self.app.directory
    }

    fn read<R>(&self, f: impl FnOnce(&index::Snapshot) -> R) -> AppResult<R> {
        self.index()
            .with(f)
            .ok_or_else(|| AppError::Internal("the directory is not built".into()))
    }

    /// Applies the changes made so far before a read (unless they are being applied now:
    /// a reader does not wait for a rebuild); the web layer calls it before reading.
    pub async fn fresh(&self) -> AppResult<()> {
        self.index().current().await
    }

    /// Builds the index at start (so the first search is quick).
    pub async fn warm_up(&self) -> AppResult<()> {
        self.index().fresh().await
    }

    /// Searches policies, parks and stories; open to everyone.
    pub async fn search(&self, p: &SearchParams) -> AppResult<Results> {
        let started = std::time::Instant::now();
        let results = self.run_search(p).await;
        metrics::histogram!("roadshow_search_seconds").record(started.elapsed().as_secs_f64());
        results
    }

    async fn run_search(&self, p: &SearchParams) -> AppResult<Results> {
        let mut errors = Vec::new();
        let kind = match opt(&p.kind) {
            None => None,
            Some(k) => match Kind::from_code(k) {
                Some(k) => Some(k),
                None => {
                    errors.push(field("kind", "unknown_choice"));
                    None
                }
            },
        };
        let valid_on = match opt(&p.valid_on) {
            None => None,
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(field("valid_on", "invalid_date"));
                    None
                }
            },
        };
        let page = p.page.unwrap_or(1);
        if page == 0 || page > PAGES_MAX {
            errors.push(FieldError::range("page", 1, PAGES_MAX));
        }
        if p.q.chars().count() > roadshow_domain::directory::search::index::QUERY_MAX {
            errors.push(FieldError::limited(
                "q",
                "too_long",
                roadshow_domain::directory::search::index::QUERY_MAX,
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        self.fresh().await?;
        let query = Query {
            text: &p.q,
            lang: p.lang.unwrap_or(Lang::En),
            district: opt(&p.district),
            sector: opt(&p.sector),
            benefit: opt(&p.benefit),
            kind,
            valid_on,
            agency: None,
            today: crate::today_in_beijing(),
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        };
        self.read(|s| s.index.search(&query))?.map_err(|e| match e {
            QueryError::TooLong => AppError::invalid("q", "too_long"),
        })
    }

    /// The policies and parks a question's text finds (for the officials who answer it).
    pub async fn suggestions(
        &self,
        text: &str,
        lang: Lang,
        agency: AgencyId,
    ) -> AppResult<Results> {
        self.index().built().await?;
        let text: String = text
            .chars()
            .take(roadshow_domain::directory::search::index::QUERY_MAX)
            .collect();
        let query = Query {
            text: &text,
            lang,
            district: None,
            sector: None,
            benefit: None,
            kind: None,
            valid_on: Some(crate::today_in_beijing()),
            agency: Some(agency.0),
            today: crate::today_in_beijing(),
            offset: 0,
            limit: 3,
        };
        Ok(self.read(|s| s.index.search(&query))?.unwrap_or_default())
    }

    /// Every current policy's answer for a profile, best first.
    pub async fn eligibility(&self, profile: &Profile) -> AppResult<Vec<Match>> {
        profile.check()?;
        self.fresh().await?;
        let day = crate::today_in_beijing();
        self.read(|s| {
            let mut policies: Vec<&Policy> =
                s.policies.values().filter(|p| current(p, day)).collect();
            policies.sort_by_key(|p| p.id);
            eligibility::rank(policies.iter().map(|p| p.criteria.as_slice()), profile)
                .into_iter()
                .map(|(i, assessment)| Match {
                    policy: policies[i].clone(),
                    parks: s.parks_of(policies[i].id.0).into_iter().cloned().collect(),
                    assessment,
                })
                .collect()
        })
    }

    /// A park with its current policies and stories; open to everyone.
    pub async fn park_page(&self, slug: &str) -> AppResult<ParkPage> {
        self.fresh().await?;
        let day = crate::today_in_beijing();
        self.read(|s| {
            let park = s.park_by_slug(slug)?.clone();
            let mut policies: Vec<Policy> = park
                .policy_ids
                .iter()
                .filter_map(|id| s.policies.get(&id.0))
                .filter(|p| current(p, day))
                .cloned()
                .collect();
            policies.sort_by_key(|p| p.id);
            let mut stories: Vec<SuccessStory> = s
                .stories
                .values()
                .filter(|x| !x.archived && x.park_id == Some(park.id))
                .cloned()
                .collect();
            stories.sort_by_key(|x| x.id);
            Some(ParkPage {
                park,
                policies,
                stories,
            })
        })?
        .ok_or(AppError::NotFound)
    }

    /// Two or three parks side by side.
    pub async fn compare(&self, slugs: &[String]) -> AppResult<Vec<ParkPage>> {
        let mut unique: Vec<&String> = Vec::new();
        for s in slugs.iter().filter(|s| !s.trim().is_empty()) {
            if !unique.contains(&s) {
                unique.push(s);
            }
        }
        if !(2..=3).contains(&unique.len()) {
            return Err(AppError::Invalid(vec![FieldError::limited(
                "p",
                "choose_two_or_three",
                3,
            )]));
        }
        let mut out = Vec::new();
        for slug in unique {
            out.push(self.park_page(slug).await?);
        }
        Ok(out)
    }

    /// A policy, also an expired one (marked, with its successor); open to everyone.
    pub async fn policy_page(&self, slug: &str) -> AppResult<PolicyPage> {
        self.fresh().await?;
        let day = crate::today_in_beijing();
        self.read(|s| {
            let policy = s.policy_by_slug(slug)?.clone();
            let successor = policy
                .successor_id
                .and_then(|id| s.policies.get(&id.0))
                .filter(|p| !p.archived)
                .cloned();
            Some(PolicyPage {
                parks: s.parks_of(policy.id.0).into_iter().cloned().collect(),
                expired: policy.expired(day),
                successor,
                policy,
            })
        })?
        .ok_or(AppError::NotFound)
    }

    /// A success story with its park; open to everyone.
    pub async fn story_page(&self, slug: &str) -> AppResult<(SuccessStory, Option<Park>)> {
        self.fresh().await?;
        self.read(|s| {
            let story = s.story_by_slug(slug)?.clone();
            let park = story
                .park_id
                .and_then(|p| s.parks.get(&p.0))
                .filter(|p| !p.archived)
                .cloned();
            Some((story, park))
        })?
        .ok_or(AppError::NotFound)
    }

    /// The policy with this id as this process knows it (a hit's successor).
    pub fn known_policy(&self, id: i64) -> Option<Policy> {
        self.index()
            .with(|s| s.policies.get(&id).filter(|p| !p.archived).cloned())
            .flatten()
    }

    /// The districts of current parks and policies: key (English name) and names.
    pub fn districts(&self) -> Vec<(String, roadshow_domain::Localized)> {
        let mut out: std::collections::BTreeMap<String, roadshow_domain::Localized> =
            Default::default();
        self.index().with(|s| {
            for p in s.parks.values().filter(|p| !p.archived) {
                if let Some(k) = roadshow_domain::directory::district_key(&p.district) {
                    out.entry(k).or_insert_with(|| p.district.clone());
                }
            }
            for p in s.policies.values().filter(|p| !p.archived) {
                if let Some(k) = roadshow_domain::directory::district_key(&p.region) {
                    out.entry(k).or_insert_with(|| p.region.clone());
                }
            }
        });
        out.into_iter().collect()
    }

    /// Every current park, by name (for the parks page and the comparison's choice).
    pub async fn parks(&self) -> AppResult<Vec<Park>> {
        self.fresh().await?;
        self.read(|s| {
            let mut parks: Vec<Park> = s.parks.values().filter(|p| !p.archived).cloned().collect();
            parks.sort_by_key(|p| p.id);
            parks
        })
    }

    /// Every version of a policy, newest first (its agency's organisers).
    pub async fn versions(
        &self,
        principal: &Principal,
        id: PolicyId,
    ) -> AppResult<(Policy, Vec<PolicyVersion>)> {
        let policy = self.policy_for_organiser(principal, id).await?;
        let versions = self.app.store.policy_versions(id).await?;
        Ok((policy, versions))
    }

    /// After a change: pages are built again and the search index follows at once.
    /// (Unless the whole index is being rebuilt just then: the writer does not wait for
    /// that longer than a reader does; the next read applies the change.)
    async fn changed(&self) -> AppResult<()> {
        self.app.cache.clear();
        self.index().current().await
    }

    /// Archives (or restores) a policy, park or story of the organiser's agency.
    pub async fn archive(
        &self,
        principal: &Principal,
        kind: Kind,
        id: i64,
        archived: bool,
    ) -> AppResult<()> {
        let agency = principal.as_organiser()?.agency_id;
        if !self
            .app
            .store
            .set_archived(agency, kind, id, archived)
            .await?
        {
            return Err(AppError::NotFound);
        }
        self.changed().await
    }

    /// Deletes an item and every link to it.
    pub async fn delete(&self, principal: &Principal, kind: Kind, id: i64) -> AppResult<()> {
        let agency = principal.as_organiser()?.agency_id;
        if !self.app.store.delete_item(agency, kind, id).await? {
            return Err(AppError::NotFound);
        }
        self.changed().await
    }

    /// Whether `principal` may change the directory (an organiser: add, change, archive,
    /// delete, import): asked before a file is read at all, or a deletion confirmed.
    pub fn may_change(&self, principal: &Principal) -> AppResult<()> {
        principal.as_organiser().map(|_| ())
    }

    /// Imports a file (an upload, a request body, a file on disk) as `principal`: who
    /// may not import learns it before the file is read. All or nothing; every problem
    /// is named by its record and field.
    pub async fn import_file(
        &self,
        principal: &Principal,
        bytes: &[u8],
        format: FileFormat,
    ) -> AppResult<ImportOutcome> {
        self.may_change(principal)?;
        let records = file::read(bytes, format).map_err(AppError::Invalid)?;
        self.import(principal, &records).await
    }

    /// Imports records already read.
    pub async fn import(
        &self,
        principal: &Principal,
        records: &[Record],
    ) -> AppResult<ImportOutcome> {
        let agency = principal.as_organiser()?.agency_id;
        let by = match principal {
            Principal::Staff(s) => Some(s.id),
            _ => None,
        };
        // Matching by external id needs every change applied: wait for one under way.
        self.index().fresh().await?;
        let (existing, slugs) = self.read(|s| {
            let mut ext: HashSet<(Kind, String)> = HashSet::new();
            let mut slugs: Vec<(Kind, String, Option<String>)> = Vec::new();
            // Items without an external id are known by the one an export gives them.
            for p in s.parks.values().filter(|p| p.agency_id == agency) {
                ext.insert((
                    Kind::Park,
                    p.external_id
                        .clone()
                        .unwrap_or_else(|| Kind::Park.key(&p.slug)),
                ));
                slugs.push((Kind::Park, p.slug.clone(), p.external_id.clone()));
            }
            for p in s.policies.values().filter(|p| p.agency_id == agency) {
                ext.insert((
                    Kind::Policy,
                    p.external_id
                        .clone()
                        .unwrap_or_else(|| Kind::Policy.key(&p.slug)),
                ));
                slugs.push((Kind::Policy, p.slug.clone(), p.external_id.clone()));
            }
            for x in s.stories.values().filter(|x| x.agency_id == agency) {
                ext.insert((
                    Kind::Story,
                    x.external_id
                        .clone()
                        .unwrap_or_else(|| Kind::Story.key(&x.slug)),
                ));
                slugs.push((Kind::Story, x.slug.clone(), x.external_id.clone()));
            }
            (ext, slugs)
        })?;
        let mut errors = Vec::new();
        // A slug may not be another item's (of the same kind), in the file or already.
        let mut in_file: HashSet<(Kind, String)> = HashSet::new();
        for (i, r) in records.iter().enumerate() {
            let (Some(kind), Some(ext)) = (
                r.kind.as_deref().and_then(Kind::from_code),
                r.external_id.as_deref().map(str::trim),
            ) else {
                continue;
            };
            let slug = r
                .slug
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| file::slug_for(ext));
            let taken = slugs.iter().any(|(k, s, e)| {
                *k == kind && *s == slug && e.as_deref().is_some_and(|e| e != ext)
            });
            if taken || !in_file.insert((kind, slug)) {
                errors.push(FieldError::new(format!("items[{i}].slug"), "slug_taken"));
            }
        }
        let plan = match file::plan(records, &existing) {
            Ok(plan) if errors.is_empty() => plan,
            Ok(_) => return Err(AppError::Invalid(errors)),
            Err(mut more) => {
                more.extend(errors);
                more.sort_by_key(|e| record_index(&e.field));
                return Err(AppError::Invalid(more));
            }
        };
        let outcome = self.app.store.import_directory(agency, &plan, by).await?;
        self.changed().await?;
        Ok(outcome)
    }

    /// The organiser's agency's directory as a file.
    pub async fn export(&self, principal: &Principal) -> AppResult<DirectoryFile> {
        let agency = principal.as_organiser()?.agency_id;
        self.app
            .privacy()
            .audit_staff(
                principal,
                agency,
                "export_downloaded",
                format!("agency:{agency}"),
                serde_json::json!({"what": "directory"}),
            )
            .await?;
        let parks = self.app.store.parks(agency).await?;
        let policies = self.app.store.policies(agency).await?;
        let stories = self.app.store.stories(agency).await?;
        Ok(file::export(&parks, &policies, &stories))
    }
}

fn field(name: &str, code: &'static str) -> FieldError {
    FieldError::new(name, code)
}

/// `items[12].title` → 12, for listing errors in file order.
fn record_index(field: &str) -> usize {
    field
        .strip_prefix("items[")
        .and_then(|r| r.split(']').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}
