//! The domain glossary: concepts with their words in the four languages. A document that
//! contains any of a concept's words carries the concept; a query that does looks for it,
//! so "Steuervergünstigung" finds a text that says only "税收优惠".

use super::analyze::{Analyzer, is_cjk};
use super::index::terms::{corrects_typos, deletions, one_edit};
use crate::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Longest glossary word or concept key.
pub const TERM_MAX: usize = 100;

/// One concept's words, by language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// A stable key (`tax-incentive`).
    pub key: String,
    pub terms: Vec<(Lang, String)>,
}

/// The glossary shipped with Roadshow (`glossary.tsv` beside this file).
pub fn built_in() -> Vec<Concept> {
    let mut out = Vec::new();
    for line in include_str!("glossary.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cells = line.split('\t');
        let Some(key) = cells.next() else { continue };
        let mut terms = Vec::new();
        for (lang, cell) in [Lang::De, Lang::En, Lang::Fr, Lang::Zh]
            .into_iter()
            .zip(cells)
        {
            for term in cell.split(';').map(str::trim).filter(|t| !t.is_empty()) {
                terms.push((lang, term.to_string()));
            }
        }
        out.push(Concept {
            key: key.to_string(),
            terms,
        });
    }
    out
}

/// One word an agency added to a concept (a new key makes a new concept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub agency: i64,
    pub concept: String,
    pub lang: Lang,
    pub term: String,
}

/// The key of an agency's own version of a concept: the built-in words and the ones the
/// agency added. Only that agency's documents carry it, so that one agency's words never
/// change what another agency's items are found by.
pub fn agency_key(key: &str, agency: i64) -> String {
    format!("{key}#{agency}")
}

/// The agency whose own version a concept key names; `None` for a shared concept.
pub fn owner(key: &str) -> Option<i64> {
    key.rsplit_once('#').and_then(|(_, a)| a.parse().ok())
}

/// The concepts to search with: the shared ones, then each agency's own version of every
/// concept it added words to.
pub fn with_additions(shared: Vec<Concept>, additions: &[Addition]) -> Vec<Concept> {
    let mut own: Vec<Concept> = Vec::new();
    for a in additions {
        let key = agency_key(&a.concept, a.agency);
        let at = match own.iter().position(|c| c.key == key) {
            Some(at) => at,
            None => {
                let built_in = shared.iter().find(|c| c.key == a.concept);
                own.push(Concept {
                    key,
                    terms: built_in.map(|c| c.terms.clone()).unwrap_or_default(),
                });
                own.len() - 1
            }
        };
        let word = (a.lang, a.term.clone());
        if !own[at].terms.contains(&word) {
            own[at].terms.push(word);
        }
    }
    let mut all = shared;
    all.extend(own);
    all
}

/// The glossary ready to find concepts in token streams: Latin words as sequences of
/// stems, Chinese words as text.
pub struct Matcher {
    /// First stem → (the stems in order, concept index).
    latin: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// First character → (the word, concept index).
    cjk: HashMap<char, Vec<(String, usize)>>,
    /// A one-word glossary word's stem → its concept.
    single: HashMap<String, usize>,
    /// Every stem of the glossary's Latin words.
    stems: HashSet<String>,
    /// The glossary's Latin words as written (folded) → their stems, and each such word
    /// with one letter left out → the words (for typos in a query's words).
    words: HashMap<String, String>,
    word_deletes: HashMap<String, Vec<String>>,
    pub keys: Vec<String>,
}

impl Matcher {
    pub fn new(analyzer: &Analyzer, concepts: &[Concept]) -> Self {
        let mut latin: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        let mut cjk: HashMap<char, Vec<(String, usize)>> = HashMap::new();
        let mut single: HashMap<String, usize> = HashMap::new();
        let mut all_stems: HashSet<String> = HashSet::new();
        let mut words: HashMap<String, String> = HashMap::new();
        for (i, c) in concepts.iter().enumerate() {
            for (lang, term) in &c.terms {
                if term.chars().next().is_some_and(is_cjk) {
                    if let Some(first) = term.chars().next() {
                        cjk.entry(first).or_default().push((term.clone(), i));
                    }
                    continue;
                }
                let tokens = analyzer.tokens(term, Some(*lang));
                for t in &tokens {
                    if let (Some(surface), Some(stem)) = (term.get(t.start..t.end), t.terms.first())
                    {
                        words.insert(super::analyze::fold(surface), stem.clone());
                    }
                }
                let stems: Vec<String> = tokens
                    .into_iter()
                    .filter_map(|t| t.terms.into_iter().next())
                    .collect();
                // A phrase whose other words the analysis drops ("Industrie 4.0": the
                // numbers are too short to index) is not named by the one left: any
                // text with "Industrie" would have the concept.
                if stems.len() == 1 && term.split_whitespace().count() > 1 {
                    continue;
                }
                all_stems.extend(stems.iter().cloned());
                if let [only] = stems.as_slice() {
                    // Shared concepts come first and keep their words.
                    single.entry(only.clone()).or_insert(i);
                }
                if let Some(first) = stems.first().cloned() {
                    latin.entry(first).or_default().push((stems, i));
                }
            }
        }
        let mut word_deletes: HashMap<String, Vec<String>> = HashMap::new();
        for word in words.keys().filter(|w| corrects_typos(w)) {
            for d in deletions(word) {
                word_deletes.entry(d).or_default().push(word.clone());
            }
        }
        Matcher {
            latin,
            cjk,
            single,
            stems: all_stems,
            words,
            word_deletes,
            keys: concepts.iter().map(|c| c.key.clone()).collect(),
        }
    }

    /// The concept whose one-word glossary word has this stem.
    /// The stems of the glossary's words one typo from `word` (a query's word as typed,
    /// folded): "integratd" → the stem of "integrated".
    pub fn near(&self, word: &str) -> Vec<String> {
        if !corrects_typos(word) || self.words.contains_key(word) {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for key in std::iter::once(word.to_string()).chain(deletions(word)) {
            let candidates = self
                .word_deletes
                .get(&key)
                .into_iter()
                .flatten()
                .chain(self.words.contains_key(&key).then_some(&key));
            for candidate in candidates {
                if let Some(stem) = self.words.get(candidate) {
                    if one_edit(candidate, word) && !out.contains(stem) {
                        out.push(stem.clone());
                    }
                }
            }
        }
        out
    }

    /// The stems of the Latin words naming the concept of `key`, in any language.
    pub fn stems_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.latin
            .values()
            .flatten()
            .filter(move |(_, c)| self.keys.get(*c).is_some_and(|k| k == key))
            .flat_map(|(stems, _)| stems.iter().map(String::as_str))
    }

    /// Whether a stem is part of a glossary word.
    pub fn knows(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }

    pub fn single(&self, stem: &str) -> Option<&str> {
        self.single
            .get(stem)
            .and_then(|i| self.keys.get(*i))
            .map(String::as_str)
    }

    /// The concepts in `text` (tokenised as `tokens`), each with the byte ranges where it
    /// was found.
    pub fn find(
        &self,
        text: &str,
        tokens: &[super::analyze::Token],
    ) -> Vec<(usize, Vec<(usize, usize)>)> {
        let mut found: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (i, token) in tokens.iter().enumerate() {
            if token.cjk {
                continue;
            }
            for term in &token.terms {
                let Some(candidates) = self.latin.get(term) else {
                    continue;
                };
                for (stems, concept) in candidates {
                    let end = i + stems.len();
                    if end > tokens.len() {
                        continue;
                    }
                    let fits = stems
                        .iter()
                        .zip(&tokens[i..end])
                        .all(|(s, t)| !t.cjk && t.terms.contains(s));
                    if fits {
                        found
                            .entry(*concept)
                            .or_default()
                            .push((token.start, tokens[end - 1].end));
                    }
                }
            }
        }
        if !self.cjk.is_empty() {
            // Only Chinese characters start a Chinese glossary word (and a Latin text
            // then costs no lookup per character).
            for (at, c) in text.char_indices().filter(|(_, c)| is_cjk(*c)) {
                let Some(candidates) = self.cjk.get(&c) else {
                    continue;
                };
                for (word, concept) in candidates {
                    if text[at..].starts_with(word.as_str()) {
                        found
                            .entry(*concept)
                            .or_default()
                            .push((at, at + word.len()));
                    }
                }
            }
        }
        let mut out: Vec<_> = found.into_iter().collect();
        out.sort_by_key(|(c, _)| *c);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_glossary_names_each_concept_in_four_languages() {
        let concepts = built_in();
        assert!(concepts.len() >= 40);
        for c in &concepts {
            for lang in [Lang::De, Lang::En, Lang::Fr, Lang::Zh] {
                assert!(
                    c.terms.iter().any(|(l, _)| *l == lang),
                    "{} lacks {lang:?}",
                    c.key
                );
            }
        }
    }

    #[test]
    fn concepts_are_found_in_every_language() {
        let a = Analyzer::new();
        let concepts = built_in();
        let m = Matcher::new(&a, &concepts);
        let tax = concepts
            .iter()
            .position(|c| c.key == "tax-incentive")
            .unwrap();
        for (text, lang) in [
            ("Neue Steuervergünstigungen für Investoren", Some(Lang::De)),
            ("Tax incentives for investors", Some(Lang::En)),
            ("Les avantages fiscaux du parc", Some(Lang::Fr)),
            ("园区企业享受税收优惠", Some(Lang::Zh)),
            ("steuervergünstigung", None),
        ] {
            let tokens = a.tokens(text, lang);
            let found = m.find(text, &tokens);
            assert!(found.iter().any(|(c, _)| *c == tax), "{text}: {found:?}");
        }
    }
}
