//! Which matches of a query can reach its page, found before any is scored, for a query
//! whose words are in a large share of the policies: a Chinese query of three common
//! words matches half of 100,000, and scoring and ranking each match was most of its time.
//!
//! The first ranking rules are the topical words a policy matches, then all the words it
//! matches (`run.rs`). Both are counted for every policy at once, 64 policies a machine
//! word (a counter keeps a bit of each policy's number per plane, and adding a unit's
//! bitset is a carry through the planes). The `want`-th best pair of counts is then found
//! by counting bitsets; every policy below it ranks after at least `want` others, so only
//! those at or above it are scored, and the page is the same as if all had been.

use super::rank::Mask;

/// Planes of a counter: a policy matches at most 16 words, and a glossary phrase's unit
/// counts its words again, so counts stay under 64.
const PLANES: usize = 6;

/// A small number per slot, one bit of it per plane, 64 slots a word.
#[derive(Default)]
pub(super) struct Counter(Vec<[u64; PLANES]>);

impl Counter {
    /// Every slot of `words` machine words at zero.
    pub(super) fn reset(&mut self, words: usize) {
        self.0.clear();
        self.0.resize(words, [0; PLANES]);
    }

    /// Adds `times` to the number of every slot set in `bits`.
    pub(super) fn add(&mut self, bits: &[u64], times: u32) {
        for _ in 0..times {
            for (planes, &word) in self.0.iter_mut().zip(bits) {
                let mut carry = word;
                for plane in planes.iter_mut() {
                    if carry == 0 {
                        break;
                    }
                    let next = *plane & carry;
                    *plane ^= carry;
                    carry = next;
                }
            }
        }
    }

    /// The slots of word `w` whose number is at least `t`.
    fn at_least(&self, w: usize, t: u32) -> u64 {
        let (above, equal) = self.compare(w, t);
        above | equal
    }

    /// The slots of word `w` whose number is `t`.
    fn exactly(&self, w: usize, t: u32) -> u64 {
        self.compare(w, t).1
    }

    /// The slots of word `w` whose number is above `t`, and those equal to it: the planes
    /// compared from the highest, as one compares binary numbers digit by digit.
    fn compare(&self, w: usize, t: u32) -> (u64, u64) {
        let Some(planes) = self.0.get(w) else {
            return (0, if t == 0 { !0 } else { 0 });
        };
        if t >= 1 << PLANES {
            return (0, 0);
        }
        let (mut above, mut equal) = (0u64, !0u64);
        for (i, plane) in planes.iter().enumerate().rev() {
            if t >> i & 1 == 1 {
                equal &= plane;
            } else {
                above |= equal & plane;
                equal &= !plane;
            }
        }
        (above, equal)
    }
}

/// The most topical and the most common words a slot can match: each unit once, a
/// phrase's unit as all its words.
pub(super) fn most_words(bits: &[Mask], common: Mask, extra_words: &[u32]) -> (u32, u32) {
    let used = bits.iter().fold(0, |all, b| all | b);
    let (mut topical, mut common_words) = (0, 0);
    for at in (0..Mask::BITS).filter(|at| used >> at & 1 == 1) {
        let words = 1 + extra_words.get(at as usize).copied().unwrap_or(0);
        if common >> at & 1 == 1 {
            common_words += words;
        } else {
            topical += words;
        }
    }
    (topical, common_words)
}

/// Into `out`, the slots of `passing` (`total` of them) that can be among its best `want`
/// when ranked first by `topical` and then by `topical + common`: those with more topical
/// words than the `want`-th best, and those with as many and as many common ones or more.
/// `most` holds the highest numbers the two counters can hold for this query.
pub(super) fn candidates(
    topical: &Counter,
    common: &Counter,
    most: (u32, u32),
    (passing, total): (&[u64], usize),
    want: usize,
    out: &mut Vec<u64>,
) {
    let (most_topical, most_common) = most;
    out.clear();
    out.extend_from_slice(passing);
    let count = |f: &dyn Fn(usize) -> u64| -> usize {
        passing
            .iter()
            .enumerate()
            .map(|(w, p)| (p & f(w)).count_ones() as usize)
            .sum()
    };
    if want == 0 || total <= want {
        return;
    }
    // The most topical words that at least `want` have, and how many have more.
    let (mut t, mut above) = (most_topical, 0);
    loop {
        let n = count(&|w| topical.at_least(w, t));
        if n >= want || t == 0 {
            break;
        }
        above = n;
        t -= 1;
    }
    // Among those with exactly `t`, the most common words that fill the page.
    let mut c = most_common;
    while c > 0 && above + count(&|w| topical.exactly(w, t) & common.at_least(w, c)) < want {
        c -= 1;
    }
    for (w, word) in out.iter_mut().enumerate() {
        *word &= topical.at_least(w, t + 1) | (topical.exactly(w, t) & common.at_least(w, c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(slots: &[usize]) -> Vec<u64> {
        let mut out = vec![0u64; 2];
        for s in slots {
            out[s / 64] |= 1 << (s % 64);
        }
        out
    }

    #[test]
    fn a_counter_holds_each_slots_number() {
        let mut c = Counter::default();
        c.reset(2);
        c.add(&bits(&[1, 70, 100]), 1);
        c.add(&bits(&[1, 70]), 3);
        c.add(&bits(&[1]), 1);
        let number = |s: usize| {
            (0..64)
                .rev()
                .find(|t| c.at_least(s / 64, *t) >> (s % 64) & 1 == 1)
        };
        assert_eq!(number(1), Some(5));
        assert_eq!(number(70), Some(4));
        assert_eq!(number(100), Some(1));
        assert_eq!(number(5), Some(0));
        assert_eq!(c.exactly(1, 4), 1 << 6);
    }

    #[test]
    fn the_candidates_are_those_that_rank_at_or_above_the_last_of_the_page() {
        let (mut topical, mut common) = (Counter::default(), Counter::default());
        topical.reset(2);
        common.reset(2);
        // Topical words: slot 3 two, slots 4–6 one. Common words: slot 5 two, 6 one, 7 one.
        topical.add(&bits(&[3, 4, 5, 6]), 1);
        topical.add(&bits(&[3]), 1);
        common.add(&bits(&[5, 6, 7]), 1);
        common.add(&bits(&[5]), 1);
        let passing = bits(&[3, 4, 5, 6, 7, 80]);
        let mut out = Vec::new();
        candidates(&topical, &common, (2, 2), (&passing, 6), 2, &mut out);
        assert_eq!(out, bits(&[3, 5]));
        candidates(&topical, &common, (2, 2), (&passing, 6), 3, &mut out);
        assert_eq!(out, bits(&[3, 5, 6]));
        // The fourth place is slot 4's: a topical word and no common one.
        candidates(&topical, &common, (2, 2), (&passing, 6), 4, &mut out);
        assert_eq!(out, bits(&[3, 4, 5, 6]));
        // The fifth is slot 7 (a common word): slot 80, with none, cannot be.
        candidates(&topical, &common, (2, 2), (&passing, 6), 5, &mut out);
        assert_eq!(out, bits(&[3, 4, 5, 6, 7]));
        // Fewer passing than wanted: all of them.
        candidates(&topical, &common, (2, 2), (&bits(&[4, 7]), 2), 3, &mut out);
        assert_eq!(out, bits(&[4, 7]));
    }
}
