//! Each process's copy of the directory and its search index, kept current: every use
//! first applies the changes the database numbered since (one small query), PostgreSQL's
//! NOTIFY makes other processes apply them at once, and the whole index is rebuilt at
//! start, after a glossary change, when many changes arrive together, or when removed
//! entries outweigh the live ones.

use crate::AppResult;
use roadshow_domain::directory::search::glossary::{self, Concept};
use roadshow_domain::directory::search::{Analyzer, Index, Kind};
use roadshow_domain::directory::versions::GlossaryTerm;
use roadshow_domain::directory::{Park, Policy, SuccessStory};
use roadshow_domain::directory::{park_document, policy_document, story_document};
use roadshow_domain::ids::{ParkId, PolicyId, StoryId};
use roadshow_domain::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// How long a reader waits for another request's update of the directory before it reads
/// the directory as it stands.
const WAIT_FOR_UPDATE: std::time::Duration = std::time::Duration::from_secs(2);

/// More changes than this at once are applied by rebuilding.
const CHANGES_MAX: i64 = 500;

/// The directory as one process holds it.
pub struct Snapshot {
    pub index: Index,
    /// The last change applied.
    pub seq: i64,
    pub parks: HashMap<i64, Park>,
    pub policies: HashMap<i64, Policy>,
    pub stories: HashMap<i64, SuccessStory>,
    pub glossary: Vec<GlossaryTerm>,
}

impl Snapshot {
    /// The current (not archived) park with this slug; the lowest id when agencies share one.
    pub fn park_by_slug(&self, slug: &str) -> Option<&Park> {
        self.parks
            .values()
            .filter(|p| !p.archived && p.slug == slug)
            .min_by_key(|p| p.id)
    }

    pub fn policy_by_slug(&self, slug: &str) -> Option<&Policy> {
        self.policies
            .values()
            .filter(|p| !p.archived && p.slug == slug)
            .min_by_key(|p| p.id)
    }

    pub fn story_by_slug(&self, slug: &str) -> Option<&SuccessStory> {
        self.stories
            .values()
            .filter(|s| !s.archived && s.slug == slug)
            .min_by_key(|s| s.id)
    }

    /// The current parks a policy applies in.
    pub fn parks_of(&self, policy: i64) -> Vec<&Park> {
        let mut parks: Vec<&Park> = self
            .parks
            .values()
            .filter(|p| !p.archived && p.policy_ids.iter().any(|x| x.0 == policy))
            .collect();
        parks.sort_by_key(|p| p.id);
        parks
    }
}

pub struct DirectoryIndex {
    store: Arc<dyn Store>,
    analyzer: OnceLock<Arc<Analyzer>>,
    state: RwLock<Option<Snapshot>>,
    /// One catch-up at a time; the others wait and then find nothing left to do.
    updating: tokio::sync::Mutex<()>,
    /// A catch-up is queued in the background and has not started: changes made until it
    /// starts need no other (so background work stays one queued and one running,
    /// however many changes ask for it).
    queued: std::sync::atomic::AtomicBool,
}

fn concepts(terms: &[GlossaryTerm]) -> Vec<Concept> {
    let additions: Vec<glossary::Addition> = terms
        .iter()
        .map(|t| glossary::Addition {
            agency: t.agency.0,
            concept: t.concept.clone(),
            lang: t.lang,
            term: t.term.clone(),
        })
        .collect();
    glossary::with_additions(glossary::built_in(), &additions)
}

/// An item as the database has it now (`None`: deleted).
enum Loaded {
    Policy(i64, Option<Policy>),
    Park(i64, Option<Park>),
    Story(i64, Option<SuccessStory>),
}

impl DirectoryIndex {
    pub fn new(store: Arc<dyn Store>) -> Self {
        DirectoryIndex {
            store,
            analyzer: OnceLock::new(),
            state: RwLock::new(None),
            updating: tokio::sync::Mutex::new(()),
            queued: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Applies the changes made so far in the background (after a glossary change, which
    /// rebuilds the whole index), not in the request that made them.
    pub fn fresh_in_background(self: &Arc<Self>) {
        use std::sync::atomic::Ordering;
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let index = self.clone();
        tokio::spawn(async move {
            // Taken off the queue once it may run: what changes from now on is either
            // in this catch-up (it reads the latest number first) or queues the next.
            let _one = index.updating.lock().await;
            index.queued.store(false, Ordering::Release);
            drop(_one);
            if let Err(e) = index.fresh().await {
                tracing::warn!(error = %e, "the directory's index did not catch up in the background");
            }
        });
    }

    fn analyzer(&self) -> Arc<Analyzer> {
        self.analyzer
            .get_or_init(|| Arc::new(Analyzer::new()))
            .clone()
    }

    /// Reads the directory as this process holds it (`None` before the first build).
    pub fn with<R>(&self, read: impl FnOnce(&Snapshot) -> R) -> Option<R> {
        let guard = self.state.read().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(read)
    }

    fn seq(&self) -> Option<i64> {
        self.with(|s| s.seq)
    }

    /// Applies every change made so far (one query when there is none).
    pub async fn fresh(&self) -> AppResult<()> {
        let latest = self.store.latest_directory_change().await?;
        if self.seq().is_some_and(|seq| seq >= latest) {
            return Ok(());
        }
        self.catch_up().await
    }

    /// For readers: applies the changes made so far. When another request is applying
    /// them, waits for it a moment (an update takes milliseconds) but not for a whole
    /// rebuild (seconds, for a large directory): then the directory as it stands is read.
    /// A search does not queue behind a rebuild; the writer that caused it waits for it
    /// ([`Self::fresh`]).
    pub async fn current(&self) -> AppResult<()> {
        if self.seq().is_some() {
            match self.updating.try_lock() {
                Ok(free) => drop(free),
                Err(_) => match tokio::time::timeout(WAIT_FOR_UPDATE, self.updating.lock()).await {
                    Ok(done) => drop(done),
                    Err(_) => return Ok(()),
                },
            }
        }
        self.fresh().await
    }

    /// Builds the directory if this process has none yet, without asking for changes
    /// (for pages that only name items, such as an answer's citations).
    pub async fn built(&self) -> AppResult<()> {
        if self.seq().is_some() {
            return Ok(());
        }
        self.catch_up().await
    }

    /// Applies the changes since the last one applied, or rebuilds.
    pub async fn catch_up(&self) -> AppResult<()> {
        let _one = self.updating.lock().await;
        let Some(seq) = self.seq() else {
            return self.rebuild_locked().await;
        };
        let changes = self.store.directory_changes(seq, CHANGES_MAX + 1).await?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(());
        };
        if changes.len() as i64 > CHANGES_MAX || changes.iter().any(|c| c.kind.is_none()) {
            return self.rebuild_locked().await;
        }
        let mut loaded = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in &changes {
            let Some(kind) = c.kind else { continue };
            if !seen.insert((kind, c.item)) {
                continue;
            }
            loaded.push(match kind {
                Kind::Policy => Loaded::Policy(c.item, self.store.policy(PolicyId(c.item)).await?),
                Kind::Park => Loaded::Park(c.item, self.store.park(ParkId(c.item)).await?),
                Kind::Story => Loaded::Story(c.item, self.store.story(StoryId(c.item)).await?),
            });
        }
        let compact = {
            let mut guard = self.state.write().unwrap_or_else(|p| p.into_inner());
            let Some(s) = guard.as_mut() else {
                return Ok(());
            };
            for item in loaded {
                apply(s, item);
            }
            s.seq = last;
            s.index.dead() > s.index.len() + 1_000
        };
        if compact {
            self.rebuild_locked().await?;
        }
        Ok(())
    }

    async fn rebuild_locked(&self) -> AppResult<()> {
        // The number first: a change made while loading is applied again next time.
        let seq = self.store.latest_directory_change().await?;
        let (parks, policies, stories) = self.store.directory().await?;
        let glossary = self.store.glossary_terms().await?;
        let analyzer = self.analyzer();
        let mut snapshot = Snapshot {
            index: Index::new(analyzer, &concepts(&glossary)),
            seq,
            parks: parks.into_iter().map(|p| (p.id.0, p)).collect(),
            policies: policies.into_iter().map(|p| (p.id.0, p)).collect(),
            stories: stories.into_iter().map(|s| (s.id.0, s)).collect(),
            glossary,
        };
        // Readers keep the old directory until the new one is complete.
        let snapshot = tokio::task::spawn_blocking(move || {
            fill(&mut snapshot);
            snapshot
        })
        .await
        .map_err(|e| crate::AppError::Internal(Box::new(e)))?;
        *self.state.write().unwrap_or_else(|p| p.into_inner()) = Some(snapshot);
        Ok(())
    }
}

fn apply(s: &mut Snapshot, item: Loaded) {
    match item {
        Loaded::Policy(id, policy) => {
            s.index.remove(Kind::Policy, id);
            match policy {
                Some(p) => {
                    if !p.archived {
                        s.index.upsert(policy_document(&p));
                    }
                    s.policies.insert(id, p);
                }
                None => {
                    s.policies.remove(&id);
                }
            }
        }
        Loaded::Park(id, park) => {
            s.index.remove(Kind::Park, id);
            match park {
                Some(p) => {
                    if !p.archived {
                        s.index.upsert(park_document(&p));
                    }
                    s.parks.insert(id, p);
                }
                None => {
                    s.parks.remove(&id);
                }
            }
            // Its stories take their district from it.
            let stories: Vec<SuccessStory> = s
                .stories
                .values()
                .filter(|x| x.park_id.is_some_and(|p| p.0 == id))
                .cloned()
                .collect();
            for story in stories {
                apply(s, Loaded::Story(story.id.0, Some(story)));
            }
        }
        Loaded::Story(id, story) => {
            s.index.remove(Kind::Story, id);
            match story {
                Some(x) => {
                    if !x.archived {
                        let park = x
                            .park_id
                            .and_then(|p| s.parks.get(&p.0))
                            .filter(|p| !p.archived);
                        s.index.upsert(story_document(&x, park));
                    }
                    s.stories.insert(id, x);
                }
                None => {
                    s.stories.remove(&id);
                }
            }
        }
    }
}

/// Indexes every current item of the snapshot.
fn fill(s: &mut Snapshot) {
    let mut policies: Vec<&Policy> = s.policies.values().filter(|p| !p.archived).collect();
    policies.sort_by_key(|p| p.id);
    for p in policies {
        s.index.upsert(policy_document(p));
    }
    let mut parks: Vec<&Park> = s.parks.values().filter(|p| !p.archived).collect();
    parks.sort_by_key(|p| p.id);
    for p in parks {
        s.index.upsert(park_document(p));
    }
    let mut stories: Vec<&SuccessStory> = s.stories.values().filter(|x| !x.archived).collect();
    stories.sort_by_key(|x| x.id);
    for story in stories {
        let park = story
            .park_id
            .and_then(|id| s.parks.get(&id.0))
            .filter(|p| !p.archived);
        s.index.upsert(story_document(story, park));
    }
}
