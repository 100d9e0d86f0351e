//! The directory's search index, in memory: an inverted index of stems with BM25 ranking,
//! glossary concepts as terms of their own (so one language finds another), typo
//! tolerance by single-edit neighbours, facet counts and highlighted snippets. Pure data
//! structure: the app layer feeds it the documents and keeps it current.

use super::analyze::{Analyzer, Token};
use super::glossary::{Concept, Matcher};
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
/// Shortest word a typo is corrected for (shorter words have too many neighbours).
const TYPO_MIN: usize = 5;
/// Characters of text a snippet shows.
const SNIPPET_CHARS: usize = 180;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Policy,
    Park,
    Story,
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
}

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

    fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_until.is_none_or(|u| u >= day)
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
    slot_of: HashMap<(Kind, i64), u32>,
    terms: HashMap<String, u32>,
    postings: Vec<Vec<(u32, f32)>>,
    /// A word with one letter left out → the terms it comes from (typo tolerance).
    deletes: HashMap<String, Vec<u32>>,
    live: usize,
    total_length: f64,
}

fn deletions(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    (0..chars.len())
        .map(|skip| {
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

/// Whether two words are one edit apart (insert, delete, substitute or swap).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let first = short
        .iter()
        .zip(long.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    if short.len() == long.len() {
        let rest_same = short[first + 1..] == long[first + 1..];
        let swapped = first + 1 < short.len()
            && short[first] == long[first + 1]
            && short[first + 1] == long[first]
            && short[first + 2..] == long[first + 2..];
        rest_same || swapped
    } else {
        short[first..] == long[first + 1..]
    }
}

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

/// One word of the query and its alternatives, each with how much a match counts.
struct Group {
    terms: Vec<(u32, f32)>,
    /// Groups of one unit count once for "how many of the query's words matched".
    unit: usize,
}

impl Index {
    pub fn new(analyzer: Arc<Analyzer>, glossary: &[Concept]) -> Self {
        let matcher = Matcher::new(&analyzer, glossary);
        Index {
            analyzer,
            matcher,
            docs: Vec::new(),
            lengths: Vec::new(),
            slot_of: HashMap::new(),
            terms: HashMap::new(),
            postings: Vec::new(),
            deletes: HashMap::new(),
            live: 0,
            total_length: 0.0,
        }
    }

    pub fn analyzer(&self) -> &Arc<Analyzer> {
        &self.analyzer
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

    pub fn get(&self, kind: Kind, id: i64) -> Option<&Arc<Document>> {
        let slot = *self.slot_of.get(&(kind, id))?;
        self.docs.get(slot as usize)?.as_ref()
    }

    /// Every document searchable now.
    pub fn documents(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.docs.iter().flatten()
    }

    fn term_id(&mut self, term: &str) -> u32 {
        if let Some(id) = self.terms.get(term) {
            return *id;
        }
        let id = self.postings.len() as u32;
        self.terms.insert(term.to_string(), id);
        self.postings.push(Vec::new());
        if !term.starts_with('@')
            && term.chars().count() >= TYPO_MIN
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
        let mut counts: HashMap<String, f32> = HashMap::new();
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
                        let e = counts.entry(term.clone()).or_insert(0.0);
                        *e = e.max(0.0) + w;
                    }
                }
                for (concept, places) in self.matcher.find(text, &tokens) {
                    if let Some(key) = self.matcher.keys.get(concept) {
                        *counts.entry(format!("@{key}")).or_insert(0.0) +=
                            weight * places.len() as f32;
                    }
                }
            }
        }
        let slot = self.docs.len() as u32;
        for (term, tf) in counts {
            let id = self.term_id(&term);
            self.postings[id as usize].push((slot, tf));
        }
        self.slot_of.insert((doc.kind(), doc.id), slot);
        self.docs.push(Some(Arc::new(doc)));
        self.lengths.push(length.max(1.0));
        self.live += 1;
        self.total_length += f64::from(length.max(1.0));
    }

    /// Takes a document out (its postings stay until a rebuild, skipped when searching).
    pub fn remove(&mut self, kind: Kind, id: i64) {
        if let Some(slot) = self.slot_of.remove(&(kind, id)) {
            if let Some(doc) = self.docs.get_mut(slot as usize) {
                if doc.take().is_some() {
                    self.live -= 1;
                    self.total_length -= f64::from(self.lengths[slot as usize]);
                }
            }
        }
    }

    fn groups(&self, tokens: &[Token], text: &str) -> (Vec<Group>, HashSet<String>, usize) {
        let mut groups = Vec::new();
        let mut shown: HashSet<String> = HashSet::new();
        let concepts = self.matcher.find(text, tokens);
        // Tokens a concept covers share its unit: matching the concept matches them.
        let mut unit_of: Vec<usize> = (0..tokens.len()).collect();
        for (unit, (concept, places)) in (tokens.len()..).zip(concepts.iter()) {
            for (from, to) in places {
                for (i, t) in tokens.iter().enumerate() {
                    if t.start >= *from && t.end <= *to {
                        unit_of[i] = unit;
                    }
                }
            }
            if let Some(key) = self.matcher.keys.get(*concept) {
                if let Some(id) = self.terms.get(&format!("@{key}")) {
                    groups.push(Group {
                        terms: vec![(*id, 0.9)],
                        unit,
                    });
                }
                shown.insert(format!("@{key}"));
            }
        }
        for (i, t) in tokens.iter().enumerate() {
            let mut terms = Vec::new();
            for (n, term) in t.terms.iter().enumerate() {
                if let Some(id) = self.terms.get(term) {
                    terms.push((*id, if n < t.whole { 1.0 } else { 0.6 }));
                    shown.insert(term.clone());
                }
            }
            let whole_known = t.terms[..t.whole]
                .iter()
                .any(|x| self.terms.contains_key(x));
            if !t.cjk && !whole_known {
                for term in &t.terms[..t.whole] {
                    if term.chars().count() < TYPO_MIN {
                        continue;
                    }
                    let mut near: HashSet<u32> = HashSet::new();
                    for key in std::iter::once(term.clone()).chain(deletions(term)) {
                        if let Some(ids) = self.deletes.get(&key) {
                            near.extend(ids.iter().copied());
                        }
                        if let Some(id) = self.terms.get(&key) {
                            near.insert(*id);
                        }
                    }
                    let names: HashMap<u32, &String> = self
                        .terms
                        .iter()
                        .filter(|(_, id)| near.contains(id))
                        .map(|(k, v)| (*v, k))
                        .collect();
                    for (id, name) in names {
                        if one_edit(name, term) && !terms.iter().any(|(x, _)| *x == id) {
                            terms.push((id, 0.7));
                            shown.insert(name.clone());
                        }
                    }
                }
            }
            groups.push(Group {
                terms,
                unit: unit_of[i],
            });
        }
        let distinct_units: HashSet<usize> = groups
            .iter()
            .map(|g| g.unit)
            .chain(unit_of.iter().copied())
            .collect();
        (groups, shown, distinct_units.len())
    }

    /// Runs a query. Any text is a query; only one that is too long is refused.
    pub fn search(&self, q: &Query) -> Result<Results, QueryError> {
        if q.text.chars().count() > QUERY_MAX {
            return Err(QueryError::TooLong);
        }
        let mut tokens = self.analyzer.tokens(q.text, None);
        tokens.truncate(QUERY_WORDS_MAX);
        let (groups, shown, units) = self.groups(&tokens, q.text);
        let n = self.docs.len();
        let searching = !tokens.is_empty();
        let mut scores = vec![0f32; if searching { n } else { 0 }];
        let mut touched: Vec<u32> = Vec::new();
        if searching {
            let live = self.live.max(1) as f32;
            let average = (self.total_length / self.live.max(1) as f64) as f32;
            let mut best = vec![0f32; n];
            // Which of the query's units (words, glossary concepts) each document matched.
            let mut units_matched: Vec<u64> = vec![0; n];
            for g in &groups {
                let mut here: Vec<u32> = Vec::new();
                for (term, weight) in &g.terms {
                    let list = &self.postings[*term as usize];
                    let df = list.len() as f32;
                    let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln().max(0.01);
                    for (slot, tf) in list {
                        let s = *slot as usize;
                        if self.docs[s].is_none() {
                            continue;
                        }
                        let norm = K1 * (1.0 - B + B * self.lengths[s] / average);
                        let score = weight * idf * tf * (K1 + 1.0) / (tf + norm);
                        if best[s] == 0.0 {
                            here.push(*slot);
                        }
                        if score > best[s] {
                            best[s] = score;
                        }
                    }
                }
                for slot in here {
                    let s = slot as usize;
                    if scores[s] == 0.0 {
                        touched.push(slot);
                    }
                    scores[s] += best[s];
                    best[s] = 0.0;
                    units_matched[s] |= 1u64 << g.unit.min(63);
                }
            }
            // Documents that match more of the query's words come first.
            for slot in &touched {
                let s = *slot as usize;
                scores[s] *= units_matched[s].count_ones() as f32 / units.max(1) as f32;
            }
        }
        let candidates: Box<dyn Iterator<Item = u32>> = if searching {
            Box::new(touched.into_iter())
        } else {
            Box::new(0..n as u32)
        };
        let mut facets = Facets::default();
        let mut ranked: Vec<(f32, u32)> = Vec::new();
        for slot in candidates {
            let Some(doc) = self.docs[slot as usize].as_ref() else {
                continue;
            };
            if q.agency.is_some_and(|a| a != doc.agency) {
                continue;
            }
            let kind_ok = q.kind.is_none_or(|k| k == doc.kind());
            let district_ok = q.district.is_none_or(|d| {
                doc.district
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(d))
            });
            let sector_ok = q.sector.is_none_or(|x| doc.sectors.iter().any(|s| s == x));
            let benefit_ok = q
                .benefit
                .is_none_or(|x| doc.benefits.iter().any(|s| s == x));
            let valid_ok = q
                .valid_on
                .is_none_or(|d| doc.kind() != Kind::Policy || doc.valid_on(d));
            if !valid_ok {
                continue;
            }
            let fails = [kind_ok, district_ok, sector_ok, benefit_ok]
                .iter()
                .filter(|ok| !**ok)
                .count();
            if fails > 1 {
                continue;
            }
            // Each facet counts as if its own filter were not set, so its other values
            // stay visible to choose from.
            if fails == 0 || !kind_ok {
                *facets
                    .kind
                    .entry(doc.kind().code().to_string())
                    .or_insert(0) += 1;
            }
            if fails == 0 || !district_ok {
                if let Some(d) = &doc.district {
                    *facets.district.entry(d.clone()).or_insert(0) += 1;
                }
            }
            if fails == 0 || !sector_ok {
                for s in &doc.sectors {
                    *facets.sector.entry(s.clone()).or_insert(0) += 1;
                }
            }
            if fails == 0 || !benefit_ok {
                for b in &doc.benefits {
                    *facets.benefit.entry(b.clone()).or_insert(0) += 1;
                }
            }
            if fails == 0 {
                let mut score = if searching {
                    scores[slot as usize]
                } else {
                    0.0
                };
                if doc.expired(q.today) {
                    score *= 0.5;
                }
                ranked.push((score, slot));
            }
        }
        let total = ranked.len();
        let order = |a: &(f32, u32), b: &(f32, u32)| {
            b.0.total_cmp(&a.0).then_with(|| {
                let (x, y) = (&self.docs[a.1 as usize], &self.docs[b.1 as usize]);
                let key = |d: &Option<Arc<Document>>| {
                    d.as_ref().map(|d| {
                        (
                            d.expired(q.today),
                            d.kind(),
                            d.title.get(q.lang).to_lowercase(),
                        )
                    })
                };
                key(x).cmp(&key(y))
            })
        };
        let want = (q.offset + q.limit).min(total);
        if want > 0 && want < total {
            ranked.select_nth_unstable_by(want - 1, order);
            ranked.truncate(want);
        }
        ranked.sort_by(order);
        let hits = ranked
            .into_iter()
            .skip(q.offset)
            .take(q.limit)
            .filter_map(|(score, slot)| {
                let doc = self.docs[slot as usize].as_ref()?;
                Some(self.hit(doc, score, q, &shown))
            })
            .collect();
        Ok(Results {
            total,
            hits,
            facets,
        })
    }

    fn hit(&self, doc: &Document, score: f32, q: &Query, shown: &HashSet<String>) -> Hit {
        let (title_lang, title) = doc.title.resolve(q.lang).unwrap_or((q.lang, ""));
        let (snippet, snippet_lang) = match doc.text.resolve(q.lang) {
            Some((lang, text)) => (self.snippet(text, lang, shown), lang),
            None => (String::new(), title_lang),
        };
        Hit {
            kind: doc.kind(),
            id: doc.id,
            slug: doc.slug.clone(),
            title: title.to_string(),
            title_lang,
            snippet,
            snippet_lang,
            fallback: snippet_lang != q.lang || title_lang != q.lang,
            score,
            expired: doc.expired(q.today),
            successor: doc.successor,
            district: doc.district.clone(),
            sectors: doc.sectors.clone(),
            benefits: doc.benefits.clone(),
        }
    }

    /// About [`SNIPPET_CHARS`] characters of `text` around the first word found, escaped,
    /// with every word found in `<mark>`.
    pub fn snippet(&self, text: &str, lang: Lang, shown: &HashSet<String>) -> String {
        let tokens = self.analyzer.tokens(text, Some(lang));
        let mut marks: Vec<(usize, usize)> = tokens
            .iter()
            .filter(|t| t.terms.iter().any(|x| shown.contains(x)))
            .map(|t| (t.start, t.end))
            .collect();
        for (concept, places) in self.matcher.find(text, &tokens) {
            if self
                .matcher
                .keys
                .get(concept)
                .is_some_and(|k| shown.contains(&format!("@{k}")))
            {
                marks.extend(places);
            }
        }
        marks.sort();
        let first = marks.first().map(|m| m.0).unwrap_or(0);
        // Start a little before the first word found, at a word boundary.
        let before: Vec<(usize, char)> = text[..first].char_indices().collect();
        let mut start = before
            .len()
            .checked_sub(40)
            .map(|i| before[i].0)
            .unwrap_or(0);
        if start > 0 {
            start = text[start..first]
                .find(char::is_whitespace)
                .map(|i| start + i + 1)
                .filter(|s| *s <= first)
                .unwrap_or(start);
        }
        let end = text[start..]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map(|(i, _)| start + i)
            .unwrap_or(text.len());
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        let mut at = start;
        for (from, to) in marks
            .iter()
            .copied()
            .filter(|(f, t)| *f >= start && *t <= end)
        {
            if from < at {
                continue;
            }
            escape(&text[at..from], &mut out);
            out.push_str("<mark>");
            escape(&text[from..to], &mut out);
            out.push_str("</mark>");
            at = to;
        }
        escape(&text[at..end], &mut out);
        if end < text.len() {
            out.push('…');
        }
        out
    }
}

#[cfg(test)]
mod tests;
