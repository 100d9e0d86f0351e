//! How a query ranks a match: what it notes per policy, and the one number its ranking
//! rules make of that (see `run.rs` for the rules in order).

use super::terms::Alt;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What a query notes per slot: its score so far, and a bit per unit of the query matched
/// at all, without a typo, in the title, as written, through a glossary phrase's concept.
/// One record per slot, so that scoring and ranking a match touch one place.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Acc {
    pub(super) score: f32,
    pub(super) units: Mask,
    pub(super) plain: Mask,
    pub(super) titled: Mask,
    pub(super) exact: Mask,
    pub(super) phrase: Mask,
}

/// A bit per unit of the query: sixteen, as many as the words a query may have, so that a
/// slot's record is sixteen bytes.
pub(super) type Mask = u16;

/// Units beyond this many share the commonest unit's bit.
pub(super) const UNITS_MAX: usize = Mask::BITS as usize;

/// A unit of the query whose readings (stems, concepts, parts; not typos) have together
/// more postings than this share of the policies searched (one in `COMMON_SHARE`), and at
/// least [`COMMON_MIN`], is common: a policy is counted once per reading it has, so this
/// is an upper bound of the unit's policies, cheap to know. It counts among the
/// words a policy matches, but after the topical ones. "Förderung", "Unternehmen" and a
/// district's name in "Wasserstoff Förderung Chaoyang Unternehmen" are each in thousands of
/// policies; one with all three and not "Wasserstoff" answers the query less than one with
/// "Wasserstoff" and "Förderung".
pub(super) const COMMON_SHARE: usize = 20;

/// Below this many postings no unit is common: in a small directory every word still
/// counts the same, and which are frequent says little.
pub(super) const COMMON_MIN: usize = 100;

/// Whether a unit whose terms have `postings` postings is common among `live` policies.
pub(super) fn common(postings: usize, live: usize) -> bool {
    postings >= COMMON_MIN && postings > live / COMMON_SHARE
}

/// What a match of one alternative notes besides its score: its unit's bit, and that bit
/// again where the alternative is the word without a typo, as written, or a glossary
/// phrase's concept.
#[derive(Clone, Copy)]
pub(super) struct Note {
    pub(super) bit: Mask,
    pub(super) plain: Mask,
    pub(super) exact: Mask,
    pub(super) phrase: Mask,
}

impl Note {
    pub(super) fn of(alt: &Alt, bit: Mask, words: usize) -> Self {
        let when = |yes: bool| if yes { bit } else { 0 };
        Note {
            bit,
            plain: when(!alt.typo),
            exact: when(alt.exact),
            phrase: when(words > 1),
        }
    }
}

impl Acc {
    /// Notes a match of an alternative (its score is the caller's).
    pub(super) fn note(&mut self, n: Note, in_title: bool) {
        self.units |= n.bit;
        self.plain |= n.plain;
        self.exact |= n.exact;
        self.phrase |= n.phrase;
        if in_title {
            self.titled |= n.bit;
        }
    }
}

/// The query's words a document matched: one per unit, and for a unit matched through a
/// glossary phrase's concept, every word of the phrase.
pub(super) fn words_matched(units: Mask, phrase: Mask, extra_words: &[u32]) -> u32 {
    let mut count = units.count_ones();
    let mut phrases = units & phrase;
    while phrases != 0 {
        let bit = phrases.trailing_zeros();
        count += extra_words.get(bit as usize).copied().unwrap_or(0);
        phrases &= phrases - 1;
    }
    count.min(255)
}

/// Where a document stands by the ranking rules after the words it matched (higher
/// first): in force before expired, then fewer units by typo only, then more in the
/// title, then more as written; each rule in its own bits.
pub(super) fn rules(units: Mask, plain: Mask, titled: Mask, exact: Mask, expired: bool) -> u32 {
    let typos = (units & !plain).count_ones();
    (u32::from(!expired) << 23)
        | ((63 - typos.min(63)) << 16)
        | ((titled & units).count_ones() << 8)
        | (exact & units).count_ones()
}

/// A document's place in one number, higher first: the query's topical words it matched,
/// all its words matched, which (a bit per unit, the rarest unit the highest bit), the
/// other rules, then its score (a non-negative float's bits order as the float does).
pub(super) fn rank(head: u32, rules: u32, score: f32) -> u128 {
    (u128::from(head) << HEAD_SHIFT)
        | (u128::from(rules & 0xFF_FFFF) << 32)
        | u128::from(score.max(0.0).to_bits())
}

/// Where the head sits in a rank.
pub(super) const HEAD_SHIFT: u32 = 96;

/// The top of a rank: the topical words matched, all words matched, and which.
pub(super) fn head(topical: u32, matched: u32, words: Mask) -> u32 {
    (topical.min(255) << 24) | (matched.min(255) << 16) | u32::from(words)
}

/// Keeps `slot` among the best `want` if its rank beats the worst kept (slots come in
/// order, so a later one ranked the same stays behind).
pub(super) fn keep(
    top: &mut BinaryHeap<Reverse<(u128, Reverse<u32>)>>,
    want: usize,
    key: u128,
    slot: usize,
) {
    if top.len() < want {
        top.push(Reverse((key, Reverse(slot as u32))));
    } else if top.peek().is_some_and(|worst| key > worst.0.0) {
        top.pop();
        top.push(Reverse((key, Reverse(slot as u32))));
    }
}

/// A term's inverse document frequency, as BM25 weighs it.
pub(super) fn idf(live: f32, df: usize) -> f32 {
    let df = df as f32;
    (1.0 + (live - df + 0.5) / (df + 0.5)).ln().max(0.01)
}
