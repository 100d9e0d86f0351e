//! Running a query: scoring the postings of each word's alternatives (BM25, the best
//! alternative per word), favouring documents that match more of the query, filtering,
//! counting facets by value ids, and making snippets for the page of hits only.

use super::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Per-thread arrays as long as the index, reused by every query of that thread (zeroing
/// 100,000 entries per query would cost more than scoring a rare word).
#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    best: Vec<f32>,
    units: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn count(counts: &mut [u32], id: u32) {
    if let Some(c) = counts.get_mut(id as usize) {
        *c += 1;
    }
}

impl Index {
    /// Runs a query. Any text is a query; only one that is too long is refused.
    pub fn search(&self, q: &Query) -> Result<Results, QueryError> {
        if q.text.chars().count() > QUERY_MAX {
            return Err(QueryError::TooLong);
        }
        let mut tokens = self.analyzer.tokens(q.text, None);
        tokens.truncate(QUERY_WORDS_MAX);
        let (groups, shown, units) = self.groups(&tokens, q.text);
        let units = units.min(64);
        let searching = !tokens.is_empty();
        let n = self.docs.len();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let Scratch {
                scores,
                best,
                units: matched,
            } = &mut *scratch;
            if scores.len() < n {
                scores.resize(n, 0.0);
                best.resize(n, 0.0);
                matched.resize(n, 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            // Every word of the query (or a word standing for it: another language's,
            // a concept, a correction) must match; when no document has them all, the
            // best of those matching any (a question's whole sentence, say).
            if searching && !self.score_all(&groups, units, scores, best, matched, &mut touched) {
                for slot in &touched {
                    scores[*slot as usize] = 0.0;
                    matched[*slot as usize] = 0;
                }
                touched.clear();
                self.score(&groups, units, scores, best, matched, &mut touched);
            }
            let results = self.collect(q, searching, scores, &touched, &shown);
            // Leave the arrays zeroed for the next query.
            for slot in &touched {
                scores[*slot as usize] = 0.0;
                matched[*slot as usize] = 0;
            }
            Ok(results)
        })
    }

    /// Scores the documents that match every unit of the query: the rarest unit's
    /// postings give the candidates, the others are looked up for those candidates only
    /// (postings are in slot order), so a common word costs a lookup per candidate, not a
    /// pass over its list. `false` when no document matches them all.
    fn score_all(
        &self,
        groups: &[Group],
        units: usize,
        scores: &mut [f32],
        best: &mut [f32],
        matched: &mut [u64],
        touched: &mut Vec<u32>,
    ) -> bool {
        let mut by_unit: BTreeMap<usize, Vec<&Group>> = BTreeMap::new();
        for g in groups {
            by_unit.entry(g.unit).or_default().push(g);
        }
        // A unit no document has (an unknown word): nothing matches them all.
        if by_unit.len() < units
            || by_unit
                .values()
                .any(|gs| gs.iter().all(|g| g.terms.is_empty()))
        {
            return false;
        }
        let size = |gs: &Vec<&Group>| -> usize {
            gs.iter()
                .flat_map(|g| &g.terms)
                .map(|(t, _)| self.postings[*t as usize].len())
                .sum()
        };
        let mut order: Vec<(usize, Vec<&Group>)> = by_unit.into_iter().collect();
        order.sort_by_key(|(_, gs)| size(gs));
        let live = self.live.max(1) as f32;
        let average = (self.total_length / self.live.max(1) as f64) as f32;
        let (k1a, k1b) = (K1 * (1.0 - B), K1 * B / average.max(1.0));
        let bm25 = |term: u32, tf: f32, slot: usize, weight: f32| {
            let df = self.postings[term as usize].len() as f32;
            let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln().max(0.01);
            weight * idf * tf * (K1 + 1.0) / (tf + k1a + k1b * self.lengths[slot])
        };
        let mut first = true;
        for (unit, gs) in &order {
            let bit = 1u64 << (*unit).min(63);
            if first {
                first = false;
                for g in gs {
                    let mut here: Vec<u32> = Vec::new();
                    for (term, weight) in &g.terms {
                        for (slot, tf) in &self.postings[*term as usize] {
                            let s = *slot as usize;
                            let score = bm25(*term, *tf, s, *weight);
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
                        matched[s] |= bit;
                    }
                }
                continue;
            }
            for g in gs {
                for slot in touched.iter() {
                    let s = *slot as usize;
                    let mut top = 0.0f32;
                    for (term, weight) in &g.terms {
                        let list = &self.postings[*term as usize];
                        if let Ok(at) = list.binary_search_by_key(slot, |(x, _)| *x) {
                            top = top.max(bm25(*term, list[at].1, s, *weight));
                        }
                    }
                    if top > 0.0 {
                        scores[s] += top;
                        matched[s] |= bit;
                    }
                }
            }
            // Those without this unit are out.
            let mut kept = Vec::with_capacity(touched.len());
            for slot in touched.drain(..) {
                if matched[slot as usize] & bit != 0 {
                    kept.push(slot);
                } else {
                    scores[slot as usize] = 0.0;
                    matched[slot as usize] = 0;
                }
            }
            *touched = kept;
            if touched.is_empty() {
                return false;
            }
        }
        !touched.is_empty()
    }

    fn score(
        &self,
        groups: &[Group],
        units: usize,
        scores: &mut [f32],
        best: &mut [f32],
        matched: &mut [u64],
        touched: &mut Vec<u32>,
    ) {
        let live = self.live.max(1) as f32;
        let average = (self.total_length / self.live.max(1) as f64) as f32;
        let (k1a, k1b) = (K1 * (1.0 - B), K1 * B / average.max(1.0));
        let mut here: Vec<u32> = Vec::new();
        for g in groups {
            here.clear();
            for (term, weight) in &g.terms {
                let list = &self.postings[*term as usize];
                let df = list.len() as f32;
                let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln().max(0.01);
                // Removed documents are scored too and dropped when collected: one
                // random read less per posting.
                for (slot, tf) in list {
                    let s = *slot as usize;
                    let norm = k1a + k1b * self.lengths[s];
                    let score = weight * idf * tf * (K1 + 1.0) / (tf + norm);
                    if best[s] == 0.0 {
                        here.push(*slot);
                    }
                    if score > best[s] {
                        best[s] = score;
                    }
                }
            }
            for slot in &here {
                let s = *slot as usize;
                if scores[s] == 0.0 {
                    touched.push(*slot);
                }
                scores[s] += best[s];
                best[s] = 0.0;
                matched[s] |= 1u64 << g.unit.min(63);
            }
        }
        // Documents that match more of the query's words come first.
        for slot in touched.iter() {
            let s = *slot as usize;
            scores[s] *= matched[s].count_ones() as f32 / units.max(1) as f32;
        }
    }

    fn collect(
        &self,
        q: &Query,
        searching: bool,
        scores: &[f32],
        touched: &[u32],
        shown: &HashSet<String>,
    ) -> Results {
        // A filter on a value no document has matches nothing.
        let wanted = |facet: char, value: Option<&str>| {
            value.map(|v| self.facet_lookup(facet, v).unwrap_or(NONE - 1))
        };
        let district = wanted('d', q.district);
        let sector = wanted('s', q.sector);
        let benefit = wanted('b', q.benefit);
        let mut counts = vec![0u32; self.facet_names.len()];
        let mut kinds = [0usize; 3];
        let mut ranked: Vec<(f32, u32)> = Vec::new();
        let mut visit = |slot: u32| {
            let Some(doc) = self.docs[slot as usize].as_ref() else {
                return;
            };
            if q.agency.is_some_and(|a| a != doc.agency) {
                return;
            }
            let row = &self.rows[slot as usize];
            if let Some(day) = q.valid_on {
                if row.kind == Kind::Policy && !doc.valid_on(day) {
                    return;
                }
            }
            let kind_ok = q.kind.is_none_or(|k| k == row.kind);
            let district_ok = district.is_none_or(|d| d == row.district);
            let sector_ok = sector.is_none_or(|x| row.sectors.contains(&x));
            let benefit_ok = benefit.is_none_or(|x| row.benefits.contains(&x));
            let fails = usize::from(!kind_ok)
                + usize::from(!district_ok)
                + usize::from(!sector_ok)
                + usize::from(!benefit_ok);
            if fails > 1 {
                return;
            }
            // Each facet counts as if its own filter were not set, so its other values
            // stay visible to choose from.
            if fails == 0 || !kind_ok {
                kinds[row.kind as usize] += 1;
            }
            if (fails == 0 || !district_ok) && row.district != NONE {
                count(&mut counts, row.district);
            }
            if fails == 0 || !sector_ok {
                row.sectors.iter().for_each(|x| count(&mut counts, *x));
            }
            if fails == 0 || !benefit_ok {
                row.benefits.iter().for_each(|x| count(&mut counts, *x));
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
        };
        if searching {
            touched.iter().for_each(|s| visit(*s));
        } else {
            (0..self.docs.len() as u32).for_each(&mut visit);
        }
        let total = ranked.len();
        // Best score first; ties keep the order the documents were added in.
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
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
                Some(self.hit(doc, score, q, shown))
            })
            .collect();
        let mut facets = Facets::default();
        for (key, id) in &self.facet_ids {
            let c = counts[*id as usize] as usize;
            if c == 0 {
                continue;
            }
            let name = self.facet_names[*id as usize].clone();
            match key.as_bytes().first() {
                Some(b'd') => facets.district.insert(name, c),
                Some(b's') => facets.sector.insert(name, c),
                _ => facets.benefit.insert(name, c),
            };
        }
        for (i, k) in Kind::ALL.iter().enumerate() {
            if kinds[i] > 0 {
                facets.kind.insert(k.code().to_string(), kinds[i]);
            }
        }
        Results {
            total,
            hits,
            facets,
        }
    }

    fn hit(&self, doc: &Document, score: f32, q: &Query, shown: &HashSet<String>) -> Hit {
        let (title_lang, title) = doc.title.resolve(q.lang).unwrap_or((q.lang, ""));
        let (snippet, snippet_lang) = match doc.text.resolve(q.lang) {
            Some((lang, text)) => (self.snippet(text, lang, shown, doc.agency), lang),
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

    /// About [`SNIPPET_CHARS`] characters of `text` (of an item of `agency`) around the
    /// first word found, escaped, with every word found in `<mark>`.
    pub fn snippet(&self, text: &str, lang: Lang, shown: &HashSet<String>, agency: i64) -> String {
        let tokens = self.analyzer.tokens(text, Some(lang));
        let mut marks: Vec<(usize, usize)> = tokens
            .iter()
            .filter(|t| t.terms.iter().any(|x| shown.contains(x)))
            .map(|t| (t.start, t.end))
            .collect();
        for (concept, places) in self.matcher.find(text, &tokens) {
            if self.matcher.keys.get(concept).is_some_and(|k| {
                shown.contains(&format!("@{k}"))
                    && super::glossary::owner(k).is_none_or(|a| a == agency)
            }) {
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
