//! How a query's words become what is searched: groups of alternatives per word (its
//! stems, typos, concepts, compound parts) and the units they count as, with compounds
//! split by the index's own words and glossary phrases found through a typo.

use super::*;

impl Index {
    /// The query's groups of alternatives and the units they form. A word is one unit
    /// (its stems in each language, a correction of a typo); a compound is one unit per
    /// part, each part's group also holding the whole word, so that a text with the whole
    /// word or with all its parts matches; a glossary concept joins the words it covers
    /// into one unit that its own term also satisfies.
    pub(super) fn groups(
        &self,
        tokens: &[Token],
        text: &str,
    ) -> (Vec<Group>, HashSet<String>, usize) {
        let mut groups: Vec<Group> = Vec::new();
        let mut shown: HashSet<String> = HashSet::new();
        // The glossary's phrases are found through a typo too ("clinicl trials"): for the
        // glossary, each long word also stands for the glossary words one edit from it.
        // A concept found only so is matched as a typo.
        let mut corrected = tokens.to_vec();
        let mut any_corrected = false;
        for t in corrected.iter_mut().filter(|t| !t.cjk) {
            let mut extra: Vec<String> = text
                .get(t.start..t.end)
                .map(|w| {
                    self.matcher
                        .near(&crate::directory::search::analyze::fold(w))
                })
                .unwrap_or_default();
            extra.retain(|stem| !t.terms.contains(stem));
            for term in &t.terms[..t.whole] {
                for id in self.near(term) {
                    let name = &self.names[id as usize];
                    if self.matcher.knows(name) && !t.terms.contains(name) && !extra.contains(name)
                    {
                        extra.push(name.clone());
                    }
                }
            }
            any_corrected |= !extra.is_empty();
            t.terms.extend(extra);
        }
        let as_typed: HashSet<usize> = if any_corrected {
            self.matcher
                .find(text, tokens)
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        } else {
            HashSet::new()
        };
        let mut concepts = self
            .matcher
            .find(text, if any_corrected { &corrected } else { tokens });
        // The longest phrases first: a concept named by a word inside a longer phrase
        // ("industrie" of "industrie spatiale") then joins the phrase's unit, so that the
        // word is not counted twice.
        let covers = |places: &[Span]| -> usize {
            places
                .iter()
                .map(|(from, to)| {
                    tokens
                        .iter()
                        .filter(|t| t.start >= *from && t.end <= *to)
                        .count()
                })
                .max()
                .unwrap_or(0)
        };
        concepts.sort_by_key(|(_, places)| std::cmp::Reverse(covers(places)));
        let mut unit_of: Vec<usize> = (0..tokens.len()).collect();
        // The concept terms covering each token, as the alternatives they make.
        let mut concept_of: Vec<Vec<(String, Alt)>> = vec![Vec::new(); tokens.len()];
        let mut next_unit = tokens.len();
        // Concepts found at the same places (a shared one and agencies' own versions of
        // it) are alternatives of one unit.
        let mut unit_at: HashMap<&[Span], (usize, Option<usize>)> = HashMap::new();
        for (concept, places) in &concepts {
            let Some(key) = self.matcher.keys.get(*concept) else {
                continue;
            };
            shown.insert(format!("@{key}"));
            let id = self.terms.get(&format!("@{key}")).copied();
            // Found only through a typo: an alternative of the words it corrects, not a
            // unit of its own (the query has as many words as were typed).
            if any_corrected && !as_typed.contains(concept) {
                for (from, to) in places {
                    for (i, t) in tokens.iter().enumerate() {
                        if t.start >= *from && t.end <= *to {
                            concept_of[i].extend(id.map(|id| (key.clone(), Alt::typo(id, 0.6))));
                        }
                    }
                }
                continue;
            }
            // The whole words it covers, and the longer phrase's unit they are in.
            let inside: HashSet<usize> = places
                .iter()
                .flat_map(|(from, to)| {
                    tokens.iter().enumerate().filter(move |(_, t)| {
                        t.start >= *from && t.end <= *to && t.terms.len() == t.whole
                    })
                })
                .map(|(i, _)| unit_of[i])
                .collect();
            let within = match inside.iter().next() {
                Some(&u) if inside.len() == 1 && u >= tokens.len() => Some(u),
                _ => None,
            };
            let (unit, group) = match (unit_at.get(places.as_slice()), within) {
                (Some(&found), _) => found,
                (None, Some(u)) => (u, None),
                (None, None) => {
                    next_unit += 1;
                    (next_unit - 1, None)
                }
            };
            let mut covers_whole_words = false;
            // The same place can be found once per stem of its word.
            let mut covered: HashSet<usize> = HashSet::new();
            for (from, to) in places {
                for (i, t) in tokens.iter().enumerate() {
                    if t.start >= *from && t.end <= *to {
                        concept_of[i].extend(id.map(|id| (key.clone(), Alt::other(id, 0.9))));
                        if t.terms.len() == t.whole {
                            unit_of[i] = unit;
                            covers_whole_words = true;
                            covered.insert(i);
                        }
                    }
                }
            }
            // A concept covering only compounds lives in their part groups.
            let group = match (covers_whole_words, id, group) {
                (true, Some(id), Some(g)) => {
                    groups[g].terms.push(Alt::other(id, 0.9));
                    Some(g)
                }
                (true, Some(id), None) => {
                    groups.push(Group {
                        terms: vec![Alt::other(id, 0.9)],
                        unit,
                        words: covered.len().max(1),
                    });
                    Some(groups.len() - 1)
                }
                (_, _, group) => group,
            };
            unit_at.insert(places.as_slice(), (unit, group));
        }
        for (i, t) in tokens.iter().enumerate() {
            let mut whole = Vec::new();
            for term in &t.terms[..t.whole] {
                if let Some(id) = self.terms.get(term) {
                    whole.push(Alt::exact(*id));
                    shown.insert(term.clone());
                }
            }
            // Words one typo away are alternatives even when the word itself is known
            // (ranked after it by the typo rule): "grand" may have been meant as "grant".
            if !t.cjk {
                for term in &t.terms[..t.whole] {
                    if !corrects_typos(term) {
                        continue;
                    }
                    for id in self.near(term) {
                        let name = &self.names[id as usize];
                        if !whole.iter().any(|a| a.term == id) {
                            whole.push(Alt::typo(id, 0.7));
                            shown.insert(name.clone());
                            // A corrected word that is a glossary word brings its concept.
                            if let Some(key) = self.matcher.single(name) {
                                if let Some(cid) = self.terms.get(&format!("@{key}")) {
                                    whole.push(Alt::typo(*cid, 0.6));
                                    shown.insert(format!("@{key}"));
                                }
                            }
                        }
                    }
                }
            }
            let concept_terms: Vec<Alt> = concept_of[i].iter().map(|(_, alt)| *alt).collect();

            let parts: Vec<u32> = t.terms[t.whole..]
                .iter()
                .filter_map(|p| self.terms.get(p).copied())
                .collect();
            // Chinese words keep their sub-words as alternatives of one group: a text cut
            // into other words still matches.
            if t.cjk {
                let mut terms = whole;
                for part in &t.terms[t.whole..] {
                    if let Some(id) = self.terms.get(part) {
                        terms.push(Alt::other(*id, 0.6));
                        shown.insert(part.clone());
                    }
                }
                terms.extend(concept_terms.iter().copied());
                groups.push(Group {
                    terms,
                    unit: unit_of[i],
                    words: 1,
                });
                continue;
            }
            if parts.is_empty() || t.terms.len() == t.whole {
                let mut terms = whole;
                if unit_of[i] == i {
                    terms.extend(concept_terms.iter().copied());
                }
                groups.push(Group {
                    terms,
                    unit: unit_of[i],
                    words: 1,
                });
                continue;
            }
            // A concept one part names ("Wasserstoff" of "Wasserstoffbusse") stands for
            // that part; one only the whole names, for every part.
            let part_keys: Vec<Option<&str>> = t.terms[t.whole..]
                .iter()
                .map(|p| self.matcher.single(p))
                .collect();
            for (n, part) in t.terms[t.whole..].iter().enumerate() {
                // Another language's text names the concept, not the parts.
                let mut terms = whole.clone();
                for (key, alt) in &concept_of[i] {
                    let named_by_a_part = part_keys.contains(&Some(key.as_str()));
                    if !named_by_a_part || part_keys[n] == Some(key.as_str()) {
                        terms.push(*alt);
                    }
                }
                if let Some(id) = self.terms.get(part) {
                    terms.push(Alt::other(*id, 0.6));
                    shown.insert(part.clone());
                }
                let unit = if n == 0 { i } else { next_unit };
                if n > 0 {
                    next_unit += 1;
                }
                groups.push(Group {
                    terms,
                    unit,
                    words: 1,
                });
            }
        }
        // A term reached twice within a group (a concept as written and through a typo)
        // is one alternative, as good as the better of the two: walked once.
        for g in &mut groups {
            let mut merged: Vec<Alt> = Vec::with_capacity(g.terms.len());
            for alt in &g.terms {
                match merged.iter_mut().find(|m| m.term == alt.term) {
                    Some(m) => {
                        m.weight = m.weight.max(alt.weight);
                        m.typo &= alt.typo;
                        m.exact |= alt.exact;
                    }
                    None => merged.push(*alt),
                }
            }
            g.terms = merged;
        }
        let distinct_units: HashSet<usize> = groups.iter().map(|g| g.unit).collect();
        (groups, shown, distinct_units.len())
    }

    /// Splits the query's German compounds that the dictionary could not, by the words
    /// this index has seen (policies name things the dictionary lacks): a word no policy
    /// has as a whole gets as parts the longest head a policy has and the rest, split the
    /// same way or, when no policy has it, as it is. "Wasserstoffbusse" then finds what
    /// "Wasserstoff" finds, in every language through the glossary, ranked by the rule
    /// of words matched below a policy that also has "Busse".
    pub(super) fn learn_parts(&self, text: &str, tokens: &mut [Token]) {
        for t in tokens.iter_mut() {
            let whole_known = t.terms[..t.whole]
                .iter()
                .any(|x| self.terms.contains_key(x));
            if t.cjk || t.terms.len() != t.whole || whole_known {
                continue;
            }
            let Some(word) = text
                .get(t.start..t.end)
                .map(crate::directory::search::analyze::fold)
            else {
                continue;
            };
            if word.chars().count() < crate::directory::search::analyze::COMPOUND_MIN {
                continue;
            }
            for part in self.split_known(&word, 0).unwrap_or_default() {
                if !t.terms.contains(&part) {
                    t.terms.push(part);
                }
            }
        }
    }

    /// The index's terms one edit from `term` (not `term` itself), for words long enough
    /// to have few such neighbours; for long words, also those two edits away that share
    /// a deletion with it.
    fn near(&self, term: &str) -> Vec<u32> {
        if !corrects_typos(term) || term.starts_with('@') {
            return Vec::new();
        }
        let mut near: HashSet<u32> = HashSet::new();
        for key in std::iter::once(term.to_string()).chain(deletions(term)) {
            if let Some(ids) = self.deletes.get(&key) {
                near.extend(ids.iter().copied());
            }
            if let Some(id) = self.terms.get(&key) {
                near.insert(*id);
            }
        }
        // Every term found so is at most two edits away.
        let two = corrects_two_typos(term);
        let mut near: Vec<u32> = near
            .into_iter()
            .filter(|id| {
                let name = &self.names[*id as usize];
                name != term && (two || one_edit(name, term))
            })
            .collect();
        near.sort_unstable();
        near
    }

    /// `word`'s parts as German stems, the first of each split one this index has.
    fn split_known(&self, word: &str, depth: usize) -> Option<Vec<String>> {
        const HEAD_MIN: usize = 4;
        const REST_MIN: usize = 3;
        if depth > 3 {
            return None;
        }
        let known = |w: &str| {
            let stem = self.analyzer.stem(Lang::De, w);
            self.terms.contains_key(&stem).then_some(stem)
        };
        let cuts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        for &cut in cuts.iter().rev() {
            let (head, tail) = word.split_at(cut);
            if head.chars().count() < HEAD_MIN || tail.chars().count() < REST_MIN {
                continue;
            }
            let Some(head_stem) = known(head) else {
                continue;
            };
            for link in crate::directory::search::analyze::LINKS {
                let Some(rest) = tail.strip_prefix(link) else {
                    continue;
                };
                if rest.chars().count() < REST_MIN {
                    continue;
                }
                if let Some(rest_stem) = known(rest) {
                    return Some(vec![head_stem, rest_stem]);
                }
                if let Some(mut parts) = self.split_known(rest, depth + 1) {
                    parts.insert(0, head_stem);
                    return Some(parts);
                }
            }
            // No policy has the rest: it stays a part of its own, which nothing matches.
            return Some(vec![head_stem, self.analyzer.stem(Lang::De, tail)]);
        }
        None
    }
}
