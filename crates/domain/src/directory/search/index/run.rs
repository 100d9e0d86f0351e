//! Running a query: every document matching any word of it is found and counted, and
//! ranked by rules in turn, as the best engines do: how many of the query's topical words
//! it matches (those not in a large share of the policies, as common-terms queries do), then
//! how many of all its words; among as many, those matching the rarer words (a policy with
//! "hydrogen" and "grants" before one with "grants" and a district's name, for "hydrogen
//! grants Daxing"); in force before expired; fewer words matched only through a typo; more of
//! them in the title; more as written (not through a concept, part or correction); then
//! BM25 (the best alternative per word), the rank one number (`rank.rs`). Filters and facet
//! counts are exact; snippets are made for the page of hits only. A query whose terms have
//! many postings first counts the words each policy matches, 64 policies at a time, and
//! scores only those that can reach its page (`prune.rs`).

use super::prune::{self, Counter};
use super::rank::*;
use super::*;
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Per-thread arrays as long as the index, reused by every query of that thread (zeroing
/// 100,000 entries per query would cost more than scoring a rare word).
#[derive(Default)]
struct Scratch {
    acc: Vec<Acc>,
    /// Per slot, the best score of a word's alternatives so far, tagged with the word's
    /// number (`group`), so that a new word needs no clearing.
    best: Vec<(u32, f32)>,
    group: u32,
    /// A bit per slot with a record in `acc`: visited in slot order, so that every read is
    /// sequential and ties keep the order the documents were added in.
    scored: Vec<u64>,
    /// A bit per slot matched (`scored`, unless only the candidates were scored).
    matched: Vec<u64>,
    /// Bitsets of the query's own: the matches that pass the agency and validity
    /// filters, those that pass every filter, and per faceted filter (kind, district,
    /// sector, benefit) those passing all but it (its facet counts as if it were not set).
    base: Vec<u64>,
    passing: Vec<u64>,
    but: [Vec<u64>; 4],
    spare: Vec<u64>,
    /// The best `offset + limit` so far, the worst on top.
    top: BinaryHeap<Reverse<(u128, Reverse<u32>)>>,
    /// Per group of the query, its unit's bit.
    bits: Vec<Mask>,
    /// Per unit bit, the query's words beyond one that its phrase stands for.
    extra_words: Vec<u32>,
    /// The bits of the units that are common (see [`common`]).
    common: Mask,
    /// For a query matching many (`prune.rs`): per unit bit, the slots matching it, and
    /// those matching it through a glossary phrase; the topical and the common words each
    /// slot matches.
    unit_slots: Vec<Vec<u64>>,
    phrase_slots: Vec<Vec<u64>>,
    topical_words: Counter,
    common_words: Counter,
}

/// What a filter on a value no document has keeps.
static NO_MEMBERS: Members = Members::Few(Vec::new());

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
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
        let units = units.min(UNITS_MAX);
        let searching = !tokens.is_empty();
        let n = self.docs.len();
        let words = n.div_ceil(64);
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let scratch = &mut *scratch;
            if scratch.acc.len() < n {
                scratch.acc.resize(n, Acc::default());
                scratch.best.resize(n, (0, 0.0));
                scratch.scored.resize(words, 0);
            }
            scratch.matched.clear();
            scratch.matched.resize(words, 0);
            // A query with many postings finds what it matches first and scores only what
            // can reach its page; another scores every match as it finds it.
            let postings = if searching {
                self.plan(&groups, scratch)
            } else {
                0
            };
            let pruned = searching && postings >= self.prune_from;
            if pruned {
                self.count_words(&groups, scratch);
            } else if searching {
                self.score::<false>(&groups, scratch);
                let Scratch {
                    matched, scored, ..
                } = scratch;
                matched.copy_from_slice(&scored[..words]);
            }
            let filters = self.filters(q);
            self.filter(q, searching, &filters, scratch);
            let total: usize = scratch
                .passing
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum();
            let want = q.offset.saturating_add(q.limit).min(total);
            if pruned && want > 0 {
                let s = &mut *scratch;
                let most = prune::most_words(&s.bits, s.common, &s.extra_words);
                prune::candidates(
                    &s.topical_words,
                    &s.common_words,
                    most,
                    (&s.passing, total),
                    want,
                    &mut s.scored,
                );
                self.score::<true>(&groups, scratch);
            }
            // `collect` leaves the arrays zeroed for the next query.
            let shown = Shown::new(shown, &self.matcher);
            let counted = (&filters, total, want);
            Ok(self.collect(q, searching, units, counted, scratch, &shown))
        })
    }

    /// Gives each group of the query its unit's bit (the rarest unit the highest), notes
    /// which units are common and the words a phrase's unit stands for, and returns the
    /// postings the query's terms have.
    fn plan(&self, groups: &[Group], scratch: &mut Scratch) -> usize {
        let Scratch {
            bits,
            extra_words,
            common: common_units,
            ..
        } = scratch;
        extra_words.clear();
        extra_words.resize(UNITS_MAX, 0);
        // Each unit's bit by rarity: the unit whose terms are in the fewest postings gets
        // the highest, so that among documents matching as many units, one matching the
        // rarer ones ranks first.
        let mut postings_of: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut postings = 0;
        for g in groups {
            let (mut all, mut as_meant) = (0, 0);
            for alt in &g.terms {
                let n = self.postings[alt.term as usize].len();
                all += n;
                if !alt.typo {
                    as_meant += n;
                }
            }
            postings += all;
            let sums = postings_of.entry(g.unit).or_insert((0, 0));
            sums.0 += all;
            sums.1 += as_meant;
        }
        let mut by_rarity: Vec<(usize, usize)> =
            postings_of.iter().map(|(u, (n, _))| (*n, *u)).collect();
        by_rarity.sort_unstable();
        let bit_of = |unit: usize| -> Mask {
            let last = UNITS_MAX - 1;
            let at = by_rarity
                .iter()
                .position(|(_, u)| *u == unit)
                .unwrap_or(last)
                .min(last);
            1 << (last - at)
        };
        // Whether a unit is common goes by what it matches as meant: a rare word whose
        // typo neighbour is in every policy ("centres", "cent") is still topical.
        *common_units = 0;
        for (unit, (_, as_meant)) in &postings_of {
            if common(*as_meant, self.live) {
                *common_units |= bit_of(*unit);
            }
        }
        bits.clear();
        for g in groups {
            let bit = bit_of(g.unit);
            bits.push(bit);
            if g.words > 1 {
                let at = bit.trailing_zeros() as usize;
                extra_words[at] = extra_words[at].max(g.words as u32 - 1);
            }
        }
        postings
    }

    /// For a query matching many: the slots each unit matches (and through a phrase),
    /// what the query matches, and per slot the topical and the common words it matches
    /// as the ranking counts them (a phrase's unit as all its words).
    fn count_words(&self, groups: &[Group], scratch: &mut Scratch) {
        let words = self.docs.len().div_ceil(64);
        let Scratch {
            bits,
            extra_words,
            common: common_units,
            matched,
            unit_slots,
            phrase_slots,
            topical_words,
            common_words,
            ..
        } = scratch;
        unit_slots.resize_with(UNITS_MAX, Vec::new);
        phrase_slots.resize_with(UNITS_MAX, Vec::new);
        let used = bits.iter().fold(0, |all, b| all | b);
        for at in (0..UNITS_MAX).filter(|at| used >> at & 1 == 1) {
            for slots in [&mut unit_slots[at], &mut phrase_slots[at]] {
                slots.clear();
                slots.resize(words, 0);
            }
        }
        for (g, bit) in groups.iter().zip(bits.iter()) {
            let at = bit.trailing_zeros() as usize;
            for alt in &g.terms {
                self.slots_of(alt.term, &mut unit_slots[at]);
                if g.words > 1 {
                    self.slots_of(alt.term, &mut phrase_slots[at]);
                }
            }
        }
        topical_words.reset(words);
        common_words.reset(words);
        for at in (0..UNITS_MAX).filter(|at| used >> at & 1 == 1) {
            let counter = if *common_units >> at & 1 == 1 {
                &mut *common_words
            } else {
                &mut *topical_words
            };
            counter.add(&unit_slots[at], 1);
            counter.add(&phrase_slots[at], extra_words[at]);
            matched
                .iter_mut()
                .zip(&unit_slots[at])
                .for_each(|(m, u)| *m |= u);
        }
    }

    /// Sets in `out` the slots having `term`: its bitset when it has one.
    fn slots_of(&self, term: u32, out: &mut [u64]) {
        match self.dense.get(term as usize) {
            Some(bits) if !bits.is_empty() => {
                out.iter_mut().zip(bits).for_each(|(o, b)| *o |= b);
            }
            _ => {
                for p in &self.postings[term as usize] {
                    if let Some(word) = out.get_mut(p.slot as usize >> 6) {
                        *word |= 1 << (p.slot & 63);
                    }
                }
            }
        }
    }

    /// Scores every document matching any unit of the query (with `ONLY`, only those in
    /// `scored`), and notes for each which units it matched and how (for the ranking
    /// rules).
    fn score<const ONLY: bool>(&self, groups: &[Group], scratch: &mut Scratch) {
        let live = self.live.max(1) as f32;
        let Scratch {
            acc,
            best,
            group,
            scored,
            bits,
            ..
        } = scratch;
        // Scores are `weight · idf · impact`, the impact in units of `IMPACT_UNIT`.
        for (g, &bit) in groups.iter().zip(bits.iter()) {
            // One alternative (most words): straight into the document's sums.
            if let [alt] = g.terms.as_slice() {
                let list = &self.postings[alt.term as usize];
                let factor = alt.weight * idf(live, list.len()) * IMPACT_UNIT;
                let note = Note::of(alt, bit, g.words);
                for p in list {
                    let s = p.slot as usize;
                    if ONLY && scored[s >> 6] & (1 << (s & 63)) == 0 {
                        continue;
                    }
                    let a = &mut acc[s];
                    a.score += factor * p.impact();
                    a.note(note, p.in_title());
                    if !ONLY {
                        scored[s >> 6] |= 1 << (s & 63);
                    }
                }
                continue;
            }
            // Several: the best of them per document, its score raised as a better one
            // is found.
            if *group == u32::MAX {
                best.iter_mut().for_each(|b| *b = (0, 0.0));
                *group = 0;
            }
            *group += 1;
            let this = *group;
            for alt in &g.terms {
                let list = &self.postings[alt.term as usize];
                let factor = alt.weight * idf(live, list.len()) * IMPACT_UNIT;
                let note = Note::of(alt, bit, g.words);
                for p in list {
                    let s = p.slot as usize;
                    if ONLY && scored[s >> 6] & (1 << (s & 63)) == 0 {
                        continue;
                    }
                    let score = factor * p.impact();
                    let a = &mut acc[s];
                    let b = &mut best[s];
                    let before = if b.0 == this { b.1 } else { 0.0 };
                    if score > before {
                        a.score += score - before;
                        *b = (this, score);
                    }
                    a.note(note, p.in_title());
                    if !ONLY {
                        scored[s >> 6] |= 1 << (s & 63);
                    }
                }
            }
        }
    }

    /// The matches (every document for an empty query) that pass the query's filters,
    /// and per faceted filter those that pass the others.
    fn filter(
        &self,
        q: &Query,
        searching: bool,
        filters: &[Option<&Members>; 4],
        scratch: &mut Scratch,
    ) {
        let Scratch {
            matched,
            base,
            passing,
            but,
            spare,
            ..
        } = scratch;
        let words = self.docs.len().div_ceil(64);
        // What the words matched (every document for no words), without removed ones.
        base.clear();
        base.extend((0..words).map(|w| self.live_bits.get(w).copied().unwrap_or(0)));
        if searching {
            base.iter_mut()
                .zip(matched.iter())
                .for_each(|(b, m)| *b &= m);
        }
        let valid_on = q.valid_on.map(day);
        if q.agency.is_some() || valid_on.is_some() {
            for (w, word) in base.iter_mut().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let s = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let Some(row) = self.rows.get(s) else {
                        continue;
                    };
                    let other_agency = q.agency.is_some_and(|a| a != row.agency);
                    let out_of_force =
                        valid_on.is_some_and(|d| row.kind == Kind::Policy && !row.valid_on(d));
                    if other_agency || out_of_force {
                        *word &= !(1 << (s % 64));
                    }
                }
            }
        }
        passing.clone_from(base);
        for f in filters.iter().flatten() {
            f.restrict(passing, spare);
        }
        // Each facet counts as if its own filter were not set, so its other values stay
        // visible to choose from.
        for (i, own) in filters.iter().enumerate() {
            if own.is_none() {
                continue;
            }
            but[i].clone_from(base);
            for (j, f) in filters.iter().enumerate() {
                if let (true, Some(f)) = (i != j, f) {
                    f.restrict(&mut but[i], spare);
                }
            }
        }
    }

    /// The query's faceted filters (kind, district, sector, benefit); a value no document
    /// has matches nothing.
    fn filters(&self, q: &Query) -> [Option<&Members>; 4] {
        let value = |facet: char, v: &str| {
            self.facet_lookup(facet, v)
                .and_then(|id| self.members.get(id as usize))
                .unwrap_or(&NO_MEMBERS)
        };
        [
            q.kind.map(|k| &self.kinds[k as usize]),
            q.district.map(|v| value('d', v)),
            q.sector.map(|v| value('s', v)),
            q.benefit.map(|v| value('b', v)),
        ]
    }

    /// Counts the facets and ranks the scored documents (every passing document for an
    /// empty query), leaving the scratch arrays zeroed.
    fn collect(
        &self,
        q: &Query,
        searching: bool,
        units: usize,
        (filters, total, want): (&[Option<&Members>; 4], usize, usize),
        scratch: &mut Scratch,
        shown: &Shown,
    ) -> Results {
        let Scratch {
            acc,
            scored,
            passing,
            but,
            top,
            extra_words,
            common: common_units,
            ..
        } = scratch;
        let words = self.docs.len().div_ceil(64);
        let today = day(q.today);
        let mask = |i: usize| -> &[u64] {
            if filters[i].is_some() {
                &but[i]
            } else {
                passing
            }
        };
        let mut facets = Facets::default();
        for k in Kind::ALL {
            let c = self.kinds[k as usize].count(mask(0));
            if c > 0 {
                facets.kind.insert(k.code().to_string(), c);
            }
        }
        for (id, members) in self.members.iter().enumerate() {
            let (list, at) = match self.facet_of[id] {
                b'd' => (&mut facets.district, 1),
                b's' => (&mut facets.sector, 2),
                _ => (&mut facets.benefit, 3),
            };
            let c = members.count(mask(at));
            if c > 0 {
                list.insert(self.facet_names[id].clone(), c);
            }
        }
        // The best `offset + limit`, visiting the scored in slot order (so that a later
        // one ranked the same stays behind) and zeroing what the query noted.
        top.clear();
        let expired = |s: usize| self.until.get(s).is_some_and(|u| *u < today);
        let per_unit = 1.0 / units.max(1) as f32;
        let phrases = extra_words.iter().any(|e| *e > 0);
        // The head of the worst rank kept once `want` are: most matches lose on the
        // words alone, and the rules and score only add to a rank.
        let mut floor = 0u32;
        for (w, word) in scored.iter_mut().enumerate().take(words) {
            let mut bits = std::mem::take(word);
            let ranked = passing[w];
            while bits != 0 {
                let s = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let a = std::mem::take(&mut acc[s]);
                if want == 0 || ranked & (1 << (s % 64)) == 0 {
                    continue;
                }
                let count = a.units.count_ones();
                let matched = if phrases {
                    words_matched(a.units, a.phrase, extra_words)
                } else {
                    count
                };
                let topical = match *common_units {
                    0 => matched,
                    common => words_matched(a.units & !common, a.phrase, extra_words),
                };
                let first = head(topical, matched, a.units);
                if first < floor {
                    continue;
                }
                // The score shown weighs BM25 by the share of the query's units matched.
                let key = rank(
                    first,
                    rules(a.units, a.plain, a.titled, a.exact, expired(s)),
                    a.score * count as f32 * per_unit,
                );
                keep(top, want, key, s);
                if top.len() >= want {
                    floor = top
                        .peek()
                        .map_or(0, |worst| (worst.0.0 >> HEAD_SHIFT) as u32);
                }
            }
        }
        if !searching && want > 0 {
            for (w, word) in passing.iter().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let s = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    keep(top, want, rank(0, u32::from(!expired(s)) << 23, 0.0), s);
                }
            }
        }
        let mut ranked: Vec<(u128, u32)> = top
            .drain()
            .map(|Reverse((key, Reverse(slot)))| (key, slot))
            .collect();
        // By rank, then the order the documents were added in.
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let hits = ranked
            .iter()
            .skip(q.offset)
            .take(q.limit)
            .filter_map(|&(key, slot)| {
                let doc = self.docs[slot as usize].as_ref()?;
                // The score is the rank's low 32 bits.
                let score = f32::from_bits(key as u32);
                Some(self.hit(doc, score, q, shown))
            })
            .collect();
        Results {
            total,
            hits,
            facets,
        }
    }
}
