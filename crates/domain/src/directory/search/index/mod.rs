//! The directory's search index, in memory: an inverted index of stems with BM25 ranking,
//! glossary concepts as terms of their own (so one language finds another), typo
//! tolerance by single-edit neighbours, facet counts and highlighted snippets. Pure data
//! structure: the app layer feeds it the documents and keeps it current.

use super::analyze::{Analyzer, Token};
use super::glossary::{self, Concept, Matcher};
pub use crate::directory::items::Kind;
use crate::{Lang, Localized};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Longest query accepted, in characters.
pub const QUERY_MAX: usize = 200;
/// Query words beyond this many are ignored.
const QUERY_WORDS_MAX: usize = 16;
/// How much a word in a title counts against one in the text.
const TITLE_WEIGHT: f32 = 3.0;
/// BM25's parameters (the usual values).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Characters of text a snippet shows.
const SNIPPET_CHARS: usize = 180;

/// What the index knows of one policy, park or story.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub kind: Option<Kind>,
    pub id: i64,
    pub agency: i64,
    pub slug: String,
    pub title: Localized,
    /// Summary and body as plain text, per language (snippets come from here).
    pub text: Localized,
    /// Further words that find it but are not shown (issuing body, district names).
    pub extra: Localized,
    /// The district's key (its English name) and its name per language.
    pub district: Option<String>,
    pub district_name: Localized,
    pub sectors: Vec<String>,
    pub benefits: Vec<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub successor: Option<i64>,
}

impl Document {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Policy)
    }

    /// Expired: its validity ended before `today`.
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.valid_until.is_some_and(|u| u < today)
    }
}

/// A search: the words and the filters, which combine.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub district: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub benefit: Option<&'a str>,
    pub kind: Option<Kind>,
    pub valid_on: Option<NaiveDate>,
    /// Only this agency's items, when set.
    pub agency: Option<i64>,
    pub today: NaiveDate,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is longer than {QUERY_MAX} characters")]
    TooLong,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_lang: Lang,
    /// HTML: the text escaped, the words found in `<mark>`.
    pub snippet: String,
    pub snippet_lang: Lang,
    /// The text is not in the reader's language.
    pub fallback: bool,
    pub score: f32,
    pub expired: bool,
    pub successor: Option<i64>,
    pub district: Option<String>,
    pub sectors: Vec<String>,
    pub benefits: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub district: BTreeMap<String, usize>,
    pub sector: BTreeMap<String, usize>,
    pub benefit: BTreeMap<String, usize>,
    pub kind: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

pub struct Index {
    analyzer: Arc<Analyzer>,
    matcher: Matcher,
    docs: Vec<Option<Arc<Document>>>,
    lengths: Vec<f32>,
    /// Each slot's agency and validity, for the filters on them.
    rows: Vec<Row>,
    /// Each slot's last day in force (days since the common era), for ranking.
    until: Vec<i32>,
    /// A bit per live slot.
    live_bits: Vec<u64>,
    /// The slots of each kind, and of each facet value (by its id).
    kinds: [Members; 3],
    members: Vec<Members>,
    slot_of: HashMap<(Kind, i64), u32>,
    terms: HashMap<String, u32>,
    /// Term id → the term.
    names: Vec<String>,
    /// `d:`/`s:`/`b:` + lower-case value → facet value id, and back.
    facet_ids: HashMap<String, u32>,
    facet_names: Vec<String>,
    /// Each facet value's facet: `d`, `s` or `b`.
    facet_of: Vec<u8>,
    postings: Vec<Vec<Posting>>,
    /// Per term in a thirty-second of the slots or more (and [`DENSE_MIN`]), a bit per
    /// slot having it (empty for the others): a query matching many reads what it matches
    /// 64 slots at a time (`prune.rs`).
    dense: Vec<Vec<u64>>,
    /// From how many postings a query's terms have it finds what can reach its page
    /// before scoring (`prune.rs`); tests set it to compare both ways.
    pub(super) prune_from: usize,
    /// A word with one letter left out → the terms it comes from (typo tolerance).
    deletes: HashMap<String, Vec<u32>>,
    live: usize,
    total_length: f64,
    /// The average length the postings' impacts were computed with, and the documents
    /// added or removed since (impacts are recomputed when the average has drifted).
    average: f32,
    changed: usize,
}

/// A term in fewer postings keeps no bitset of its slots.
const DENSE_MIN: usize = 256;

/// Postings of a query's terms from which it finds the candidates for its page before
/// scoring: below, scoring every match as it is found is as fast.
const PRUNE_FROM: usize = 20_000;

/// How far the average length may drift before the impacts are recomputed: BM25's length
/// normalisation is a rough measure, and recomputing walks every posting.
const DRIFT: f32 = 0.05;

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// What the agency and validity filters read, kept together and without pointers.
struct Row {
    kind: Kind,
    agency: i64,
    /// Validity in days since the common era (open ends at the extremes).
    from: i32,
    until: i32,
}

impl Row {
    fn valid_on(&self, day: i32) -> bool {
        self.from <= day && day <= self.until
    }
}

/// A date as the rows keep it.
fn day(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

/// Where a concept was found in a text: byte offsets.
type Span = (usize, usize);

/// One word of the query and its alternatives.
struct Group {
    terms: Vec<Alt>,
    /// Groups of one unit count once for "how many of the query's words matched".
    unit: usize,
    /// The query's words a match of this group stands for: a glossary phrase's concept
    /// as many as the phrase has ("cross-border e-commerce": three), a word one.
    words: usize,
}

impl Index {
    pub fn new(analyzer: Arc<Analyzer>, glossary: &[Concept]) -> Self {
        let matcher = Matcher::new(&analyzer, glossary);
        Index {
            analyzer,
            matcher,
            docs: Vec::new(),
            lengths: Vec::new(),
            rows: Vec::new(),
            until: Vec::new(),
            live_bits: Vec::new(),
            kinds: Default::default(),
            members: Vec::new(),
            slot_of: HashMap::new(),
            terms: HashMap::new(),
            names: Vec::new(),
            facet_ids: HashMap::new(),
            facet_names: Vec::new(),
            facet_of: Vec::new(),
            postings: Vec::new(),
            dense: Vec::new(),
            prune_from: PRUNE_FROM,
            deletes: HashMap::new(),
            live: 0,
            total_length: 0.0,
            average: 0.0,
            changed: 0,
        }
    }

    /// Documents searchable now.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Slots of removed documents still held (the app rebuilds when they dominate).
    pub fn dead(&self) -> usize {
        self.docs.len() - self.live
    }

    /// Distinct terms (for the benchmark's size figures).
    pub fn vocabulary(&self) -> usize {
        self.terms.len()
    }

    /// Postings held (for the benchmark's size figures).
    pub fn postings(&self) -> usize {
        self.postings.iter().map(Vec::len).sum()
    }

    /// The bytes the index holds on the heap, roughly: postings, the typo table, terms,
    /// per-document arrays and the documents' own text (for the benchmark's figures).
    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self
            .postings
            .iter()
            .map(|p| p.capacity() * std::mem::size_of::<Posting>() + 24)
            .sum();
        let dense: usize = self.dense.iter().map(|d| d.capacity() * 8 + 24).sum();
        let deletes: usize = self
            .deletes
            .iter()
            .map(|(k, v)| k.capacity() + 24 + v.capacity() * 4 + 24 + 16)
            .sum();
        let terms: usize = self
            .names
            .iter()
            .map(|n| 2 * (n.capacity() + 24) + 12)
            .sum();
        let localized = |l: &Localized| -> usize { l.0.values().map(|t| t.capacity() + 32).sum() };
        let docs: usize = self
            .docs
            .iter()
            .flatten()
            .map(|d| {
                std::mem::size_of::<Document>()
                    + localized(&d.title)
                    + localized(&d.text)
                    + localized(&d.extra)
                    + localized(&d.district_name)
                    + d.slug.capacity()
                    + d.sectors
                        .iter()
                        .chain(&d.benefits)
                        .map(|s| s.capacity() + 24)
                        .sum::<usize>()
            })
            .sum();
        let rows = self.rows.capacity() * std::mem::size_of::<Row>()
            + self.until.capacity() * 4
            + self.live_bits.capacity() * 8
            + self
                .kinds
                .iter()
                .chain(&self.members)
                .map(Members::bytes)
                .sum::<usize>();
        postings
            + dense
            + deletes
            + terms
            + docs
            + rows
            + self.lengths.capacity() * 4
            + self.slot_of.len() * 24
    }

    fn facet_id(&mut self, facet: char, value: &str) -> u32 {
        let key = format!("{facet}:{}", value.to_lowercase());
        if let Some(id) = self.facet_ids.get(&key) {
            return *id;
        }
        let id = self.facet_names.len() as u32;
        self.facet_ids.insert(key, id);
        self.facet_names.push(value.to_string());
        self.facet_of.push(facet as u8);
        self.members.push(Members::default());
        id
    }

    /// The id of a facet value a query names (any case); `None` when no document has it.
    fn facet_lookup(&self, facet: char, value: &str) -> Option<u32> {
        self.facet_ids
            .get(&format!("{facet}:{}", value.to_lowercase()))
            .copied()
    }

    fn term_id(&mut self, term: &str) -> u32 {
        if let Some(id) = self.terms.get(term) {
            return *id;
        }
        let id = self.postings.len() as u32;
        self.terms.insert(term.to_string(), id);
        self.names.push(term.to_string());
        self.postings.push(Vec::new());
        self.dense.push(Vec::new());
        if !term.starts_with('@')
            && corrects_typos(term)
            && !term.chars().any(super::analyze::is_cjk)
        {
            for d in deletions(term) {
                self.deletes.entry(d).or_default().push(id);
            }
        }
        id
    }

    /// Adds a document, replacing the one of the same kind and id.
    pub fn upsert(&mut self, doc: Document) {
        self.remove(doc.kind(), doc.id);
        // Term → weighted frequency, and whether a title has it.
        let mut counts: HashMap<String, (f32, bool)> = HashMap::new();
        let mut length = 0.0f32;
        let sources = [
            (&doc.title, TITLE_WEIGHT),
            (&doc.text, 1.0),
            (&doc.extra, 1.0),
        ];
        for (field, weight) in sources {
            for (lang, text) in &field.0 {
                let tokens = self.analyzer.tokens(text, Some(*lang));
                for t in &tokens {
                    length += weight;
                    for (i, term) in t.terms.iter().enumerate() {
                        let w = if i < t.whole { weight } else { weight * 0.5 };
                        let e = counts.entry(term.clone()).or_insert((0.0, false));
                        e.0 += w;
                        e.1 |= weight == TITLE_WEIGHT;
                    }
                }
                for (concept, places) in self.matcher.find(text, &tokens) {
                    let Some(key) = self.matcher.keys.get(concept) else {
                        continue;
                    };
                    // Another agency's words do not describe this agency's items.
                    if glossary::owner(key).is_some_and(|a| a != doc.agency) {
                        continue;
                    }
                    let e = counts.entry(format!("@{key}")).or_insert((0.0, false));
                    e.0 += weight * places.len() as f32;
                    e.1 |= weight == TITLE_WEIGHT;
                }
            }
        }
        let slot = self.docs.len() as u32;
        let length = length.max(1.0);
        if self.average <= 0.0 {
            self.average = length;
        }
        for (term, (tf, in_title)) in counts {
            let id = self.term_id(&term) as usize;
            let posting = Posting::new(slot, tf, in_title, length, self.average);
            self.postings[id].push(posting);
            let (list, dense) = (&self.postings[id], &mut self.dense[id]);
            if !dense.is_empty() {
                members::set(dense, slot);
            } else if list.len() >= DENSE_MIN && list.len() * 32 > slot as usize {
                for p in list {
                    members::set(dense, p.slot);
                }
            }
        }
        self.slot_of.insert((doc.kind(), doc.id), slot);
        let slots = slot as usize + 1;
        let mut ids: Vec<u32> = Vec::new();
        for (facet, values) in [('s', &doc.sectors), ('b', &doc.benefits)] {
            for v in values {
                ids.push(self.facet_id(facet, v));
            }
        }
        if let Some(d) = &doc.district {
            ids.push(self.facet_id('d', d));
        }
        // A value listed twice counts once.
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            self.members[id as usize].insert(slot, slots);
        }
        self.kinds[doc.kind() as usize].insert(slot, slots);
        members::set(&mut self.live_bits, slot);
        let until = doc.valid_until.map(day).unwrap_or(i32::MAX);
        self.rows.push(Row {
            kind: doc.kind(),
            agency: doc.agency,
            from: doc.valid_from.map(day).unwrap_or(i32::MIN),
            until,
        });
        self.until.push(until);
        self.docs.push(Some(Arc::new(doc)));
        self.lengths.push(length);
        self.live += 1;
        self.total_length += f64::from(length);
        self.keep_impacts_current();
    }

    /// Recomputes every posting's impact when the average length has drifted by more than
    /// [`DRIFT`] and the documents changed since the last time are a sixteenth of those
    /// held (so that a stream of changes costs a constant share of the postings each).
    fn keep_impacts_current(&mut self) {
        self.changed += 1;
        let average = (self.total_length / self.live.max(1) as f64) as f32;
        let drift = (average / self.average.max(1.0) - 1.0).abs();
        if drift <= DRIFT || self.changed * 16 < self.live {
            return;
        }
        self.average = average;
        self.changed = 0;
        for list in &mut self.postings {
            for p in list.iter_mut() {
                let length = self.lengths.get(p.slot as usize).copied().unwrap_or(1.0);
                p.reweigh(length, average);
            }
        }
    }

    /// Takes a document out (its postings stay until a rebuild, skipped when searching).
    pub fn remove(&mut self, kind: Kind, id: i64) {
        if let Some(slot) = self.slot_of.remove(&(kind, id)) {
            if let Some(doc) = self.docs.get_mut(slot as usize) {
                if doc.take().is_some() {
                    members::clear(&mut self.live_bits, slot);
                    self.live -= 1;
                    self.total_length -= f64::from(self.lengths[slot as usize]);
                    self.keep_impacts_current();
                }
            }
        }
    }
}

mod members;
mod prune;
mod query;
mod rank;
mod run;
mod snippets;
use members::Members;
pub(super) mod terms;
use terms::{
    Alt, IMPACT_UNIT, Posting, Shown, corrects_two_typos, corrects_typos, deletions, join_chinese,
    one_edit,
};

#[cfg(test)]
mod by_hand;
#[cfg(test)]
mod corrections;
#[cfg(test)]
mod pruning;
#[cfg(test)]
mod tests;
