//! Running a query: every document matching any word of it is found and counted, and
//! ranked by rules in turn, as the best engines do: how many of the query's words it
//! matches; among as many, those matching the rarer words (a policy with "hydrogen" and
//! "grants" before one with "grants" and a district's name, for "hydrogen grants
//! Daxing"); in force before expired; fewer words matched only through a typo; more of
//! them in the title; more as written (not through a concept, part or correction); then
//! BM25 (the best alternative per word). Filters and facet counts are exact; snippets are made for the
//! page of hits only.

use super::*;
use std::cell::RefCell;

/// Per-thread arrays as long as the index, reused by every query of that thread (zeroing
/// 100,000 entries per query would cost more than scoring a rare word).
#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    best: Vec<f32>,
    /// Per slot, a bit per unit of the query: matched at all, without a typo, in the
    /// title, as written.
    units: Vec<u64>,
    /// A bit per unit matched through a glossary phrase's concept.
    phrase: Vec<u64>,
    plain: Vec<u64>,
    titled: Vec<u64>,
    exact: Vec<u64>,
    /// Per slot, what the current word's alternatives found ([`PLAIN`], ...).
    flags: Vec<u8>,
    /// The slots matched, those of the current word, and the matches ranked: kept
    /// between queries so that a query matching most of the index allocates nothing.
    touched: Vec<u32>,
    here: Vec<u32>,
    ranked: Vec<Rank>,
    /// Per unit bit, the query's words beyond one that its phrase stands for.
    extra_words: Vec<u32>,
}

const PLAIN: u8 = 1;
const TITLED: u8 = 2;
const EXACT: u8 = 4;
const PHRASE: u8 = 8;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn count(counts: &mut [u32], id: u32) {
    if let Some(c) = counts.get_mut(id as usize) {
        *c += 1;
    }
}

/// The query's words a document matched: one per unit, and for a unit matched through a
/// glossary phrase's concept, every word of the phrase.
fn words_matched(units: u64, phrase: u64, extra_words: &[u32]) -> u32 {
    let mut count = units.count_ones();
    let mut phrases = units & phrase;
    while phrases != 0 {
        let bit = phrases.trailing_zeros();
        count += extra_words.get(bit as usize).copied().unwrap_or(0);
        phrases &= phrases - 1;
    }
    count.min(255)
}

/// Where a document stands by the ranking rules before BM25 (higher first): the query's
/// words matched, then in force before expired, then fewer units by typo only, then more
/// in the title, then more as written; each rule in its own bits.
fn rules(matched: u32, units: u64, plain: u64, titled: u64, exact: u64, expired: bool) -> u32 {
    let typos = (units & !plain).count_ones();
    (matched << 24)
        | (u32::from(!expired) << 23)
        | ((63 - typos.min(63)) << 16)
        | ((titled & units).count_ones() << 8)
        | (exact & units).count_ones()
}

/// What a document is ranked by: the words it matched (a bit per unit of the query, the
/// rarest unit the highest bit), the rules, then its score.
#[derive(Clone, Copy)]
struct Rank {
    words: u64,
    rules: u32,
    score: f32,
    slot: u32,
}

impl Index {
    /// Runs a query. Any text is a query; only one that is too long is refused.
    pub fn search(&self, q: &Query) -> Result<Results, QueryError> {
        if q.text.chars().count() > QUERY_MAX {
            return Err(QueryError::TooLong);
        }
        let text = join_chinese(q.text);
        let mut tokens = self.analyzer.tokens(&text, None);
        tokens.truncate(QUERY_WORDS_MAX);
        self.learn_parts(&text, &mut tokens);
        let (groups, shown, units) = self.groups(&tokens, &text);
        let units = units.min(64);
        let searching = !tokens.is_empty();
        let n = self.docs.len();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let scratch = &mut *scratch;
            if scratch.scores.len() < n {
                scratch.scores.resize(n, 0.0);
                scratch.best.resize(n, 0.0);
                scratch.units.resize(n, 0);
                scratch.phrase.resize(n, 0);
                scratch.plain.resize(n, 0);
                scratch.titled.resize(n, 0);
                scratch.exact.resize(n, 0);
                scratch.flags.resize(n, 0);
            }
            let mut touched = std::mem::take(&mut scratch.touched);
            let mut ranked = std::mem::take(&mut scratch.ranked);
            touched.clear();
            ranked.clear();
            if searching {
                self.score(&groups, units, scratch, &mut touched);
            }
            let results = self.collect(q, searching, scratch, &touched, &mut ranked, &shown);
            // Leave the arrays zeroed for the next query.
            for slot in &touched {
                let s = *slot as usize;
                scratch.scores[s] = 0.0;
                scratch.units[s] = 0;
                scratch.phrase[s] = 0;
                scratch.plain[s] = 0;
                scratch.titled[s] = 0;
                scratch.exact[s] = 0;
            }
            scratch.touched = touched;
            scratch.ranked = ranked;
            Ok(results)
        })
    }

    /// Scores every document matching any unit of the query, and notes for each which
    /// units it matched and how (for the ranking rules).
    fn score(&self, groups: &[Group], units: usize, scratch: &mut Scratch, touched: &mut Vec<u32>) {
        let live = self.live.max(1) as f32;
        let average = (self.total_length / self.live.max(1) as f64) as f32;
        let (k1a, k1b) = (K1 * (1.0 - B), K1 * B / average.max(1.0));
        let Scratch {
            scores,
            best,
            units: matched,
            phrase,
            plain,
            titled,
            exact,
            flags,
            here,
            extra_words,
            ..
        } = scratch;
        extra_words.clear();
        extra_words.resize(64, 0);
        // Each unit's bit by rarity: the unit whose terms are in the fewest postings gets
        // the highest, so that among documents matching as many units, one matching the
        // rarer ones ranks first.
        let mut postings_of: HashMap<usize, usize> = HashMap::new();
        for g in groups {
            let n: usize = g
                .terms
                .iter()
                .map(|alt| self.postings[alt.term as usize].len())
                .sum();
            *postings_of.entry(g.unit).or_insert(0) += n;
        }
        let mut by_rarity: Vec<(usize, usize)> =
            postings_of.into_iter().map(|(u, n)| (n, u)).collect();
        by_rarity.sort_unstable();
        let bit_of = |unit: usize| -> u64 {
            let at = by_rarity
                .iter()
                .position(|(_, u)| *u == unit)
                .unwrap_or(63)
                .min(63);
            1u64 << (63 - at)
        };
        for g in groups {
            here.clear();
            for alt in &g.terms {
                let list = &self.postings[alt.term as usize];
                let df = list.len() as f32;
                let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln().max(0.01);
                let mut found = if alt.typo { 0 } else { PLAIN };
                if alt.exact {
                    found |= EXACT;
                }
                if g.words > 1 {
                    found |= PHRASE;
                }
                // Removed documents are scored too and dropped when collected: one
                // random read less per posting.
                for p in list {
                    let s = p.slot as usize;
                    let tf = p.tf();
                    let norm = k1a + k1b * self.lengths[s];
                    let score = alt.weight * idf * tf * (K1 + 1.0) / (tf + norm);
                    if best[s] == 0.0 {
                        here.push(p.slot);
                    }
                    if score > best[s] {
                        best[s] = score;
                    }
                    flags[s] |= if p.in_title() { found | TITLED } else { found };
                }
            }
            let bit = bit_of(g.unit);
            if g.words > 1 {
                let at = bit.trailing_zeros() as usize;
                extra_words[at] = extra_words[at].max(g.words as u32 - 1);
            }
            for slot in here.iter() {
                let s = *slot as usize;
                if scores[s] == 0.0 {
                    touched.push(*slot);
                }
                scores[s] += best[s];
                best[s] = 0.0;
                matched[s] |= bit;
                let f = flags[s];
                if f & PLAIN != 0 {
                    plain[s] |= bit;
                }
                if f & TITLED != 0 {
                    titled[s] |= bit;
                }
                if f & EXACT != 0 {
                    exact[s] |= bit;
                }
                if f & PHRASE != 0 {
                    phrase[s] |= bit;
                }
                flags[s] = 0;
            }
        }
        // The score shown weighs BM25 by the share of the query's words matched.
        for slot in touched.iter() {
            let s = *slot as usize;
            scores[s] *= matched[s].count_ones() as f32 / units.max(1) as f32;
        }
    }

    fn collect(
        &self,
        q: &Query,
        searching: bool,
        scratch: &Scratch,
        touched: &[u32],
        ranked: &mut Vec<Rank>,
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
        let today = day(q.today);
        let valid_on = q.valid_on.map(day);
        let mut visit = |slot: u32| {
            let s = slot as usize;
            if self.docs[s].is_none() {
                return;
            }
            let row = &self.rows[s];
            if q.agency.is_some_and(|a| a != row.agency) {
                return;
            }
            if let Some(day) = valid_on {
                if row.kind == Kind::Policy && !row.valid_on(day) {
                    return;
                }
            }
            let start = row.values as usize;
            let middle = start + row.sectors as usize;
            let sectors = &self.values[start..middle];
            let benefits = &self.values[middle..middle + row.benefits as usize];
            let kind_ok = q.kind.is_none_or(|k| k == row.kind);
            let district_ok = district.is_none_or(|d| d == row.district);
            let sector_ok = sector.is_none_or(|x| sectors.contains(&x));
            let benefit_ok = benefit.is_none_or(|x| benefits.contains(&x));
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
                sectors.iter().for_each(|x| count(&mut counts, *x));
            }
            if fails == 0 || !benefit_ok {
                benefits.iter().for_each(|x| count(&mut counts, *x));
            }
            if fails == 0 {
                let expired = row.expired(today);
                let (rules, score) = if searching {
                    let matched =
                        words_matched(scratch.units[s], scratch.phrase[s], &scratch.extra_words);
                    let rules = rules(
                        matched,
                        scratch.units[s],
                        scratch.plain[s],
                        scratch.titled[s],
                        scratch.exact[s],
                        expired,
                    );
                    (rules, scratch.scores[s])
                } else {
                    (u32::from(!expired) << 23, 0.0)
                };
                let words = if searching { scratch.units[s] } else { 0 };
                ranked.push(Rank {
                    words,
                    rules,
                    score,
                    slot,
                });
            }
        };
        if searching {
            touched.iter().for_each(|s| visit(*s));
        } else {
            (0..self.docs.len() as u32).for_each(&mut visit);
        }
        let total = ranked.len();
        // By the rules, then the best score; ties keep the order the documents were added in.
        let order = |a: &Rank, b: &Rank| {
            (b.rules >> 24)
                .cmp(&(a.rules >> 24))
                .then(b.words.cmp(&a.words))
                .then(b.rules.cmp(&a.rules))
                .then(b.score.total_cmp(&a.score))
                .then(a.slot.cmp(&b.slot))
        };
        let want = (q.offset + q.limit).min(total);
        if want > 0 && want < total {
            ranked.select_nth_unstable_by(want - 1, order);
            ranked.truncate(want);
        }
        ranked.sort_by(order);
        let hits = ranked
            .iter()
            .skip(q.offset)
            .take(q.limit)
            .filter_map(|rank| {
                let doc = self.docs[rank.slot as usize].as_ref()?;
                Some(self.hit(doc, rank.score, q, shown))
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
