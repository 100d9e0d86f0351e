//! What the index keeps per term and how a query's word reaches terms: postings (with
//! whether the title has the term), the alternatives of a query word, and the one-typo
//! neighbourhood of a word, and what a query highlights.

use super::super::analyze::{fold, is_cjk};
use super::super::glossary::Matcher;
use std::collections::HashSet;

/// One document's use of a term, in eight bytes: its slot; its weighted frequency in
/// halves, the top bit saying whether the title has the term; and its BM25 impact (the
/// frequency saturated by the document's length against the average), in 1/65,535ths
/// of its ceiling, so that a query multiplies instead of dividing per posting.
#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub(super) slot: u32,
    tf: u16,
    impact: u16,
}

/// The title bit of [`Posting::tf`].
const IN_TITLE: u16 = 1 << 15;
/// What an impact of 65,535 stands for: BM25's term part tends to `K1 + 1`.
const IMPACT_MAX: f32 = super::K1 + 1.0;
/// What an impact of 1 stands for: a query multiplies the stored impacts by it.
pub(super) const IMPACT_UNIT: f32 = IMPACT_MAX / 65_535.0;

/// BM25's term part, `tf·(k1+1) / (tf + k1·(1 − b + b·length/average))`.
pub(super) fn impact(tf: f32, length: f32, average: f32) -> f32 {
    let norm = super::K1 * (1.0 - super::B + super::B * length / average.max(1.0));
    tf * IMPACT_MAX / (tf + norm)
}

impl Posting {
    pub(super) fn new(slot: u32, tf: f32, in_title: bool, length: f32, average: f32) -> Self {
        let halves = (tf.abs() * 2.0).round().clamp(1.0, f32::from(IN_TITLE - 1)) as u16;
        let mut p = Posting {
            slot,
            tf: if in_title { halves | IN_TITLE } else { halves },
            impact: 0,
        };
        p.reweigh(length, average);
        p
    }

    pub(super) fn tf(&self) -> f32 {
        f32::from(self.tf & !IN_TITLE) / 2.0
    }

    pub(super) fn in_title(&self) -> bool {
        self.tf & IN_TITLE != 0
    }

    /// The impact in units of [`IMPACT_UNIT`].
    pub(super) fn impact(&self) -> f32 {
        f32::from(self.impact)
    }

    /// Recomputes the impact for the index's current average length.
    pub(super) fn reweigh(&mut self, length: f32, average: f32) {
        let units = impact(self.tf(), length, average) / IMPACT_UNIT;
        self.impact = units.round().clamp(1.0, 65_535.0) as u16;
    }
}

/// The terms a query highlights in snippets, and the first letters of each Latin one (and
/// of the glossary words of each concept among them), by which a text's word that cannot
/// stand for any is known without stemming it: a stem keeps its word's first letters, and
/// a compound's part is inside it.
pub(super) struct Shown {
    pub(super) terms: HashSet<String>,
    heads: Vec<String>,
}

/// Letters of a term's beginning that a word standing for it must contain.
const HEAD: usize = 3;

impl Shown {
    pub(super) fn new(terms: HashSet<String>, matcher: &Matcher) -> Self {
        let mut heads: Vec<String> = Vec::new();
        let mut add = |term: &str| {
            if term.chars().any(is_cjk) {
                return;
            }
            let head: String = term.chars().take(HEAD).collect();
            if !head.is_empty() && !heads.contains(&head) {
                heads.push(head);
            }
        };
        for t in &terms {
            match t.strip_prefix('@') {
                Some(key) => matcher.stems_of(key).for_each(&mut add),
                None => add(t),
            }
        }
        Shown { terms, heads }
    }

    /// Whether a word (lower case) may stand for a term shown.
    pub(super) fn may_match(&self, word: &str) -> bool {
        let has = |w: &str| self.heads.iter().any(|h| w.contains(h.as_str()));
        if word.is_ascii() {
            has(word)
        } else {
            has(&fold(word))
        }
    }
}

/// One way a word of the query can match: a term, how much a match counts, and whether
/// it is a typo's correction or the word itself (for the ranking rules).
#[derive(Debug, Clone, Copy)]
pub(super) struct Alt {
    pub(super) term: u32,
    pub(super) weight: f32,
    pub(super) typo: bool,
    pub(super) exact: bool,
}

impl Alt {
    /// The query word's own term.
    pub(super) fn exact(term: u32) -> Self {
        Alt {
            term,
            weight: 1.0,
            typo: false,
            exact: true,
        }
    }

    /// A term standing for the word: a concept, a compound's part, a Chinese sub-word.
    pub(super) fn other(term: u32, weight: f32) -> Self {
        Alt {
            term,
            weight,
            typo: false,
            exact: false,
        }
    }

    /// A term one typo away from the word, or the concept such a term names.
    pub(super) fn typo(term: u32, weight: f32) -> Self {
        Alt {
            term,
            weight,
            typo: true,
            exact: false,
        }
    }
}

/// Shortest word a typo is corrected for (shorter words have too many neighbours).
const TYPO_MIN: usize = 5;
/// Longest one: a word has one deletion per letter, each as long as it, so a run of
/// 20,000 letters would cost 400 million; no word that long is mistyped by a reader.
const TYPO_MAX: usize = 48;

/// Whether typos are corrected for a word (and the index keeps its deletions).
pub(in crate::directory::search) fn corrects_typos(word: &str) -> bool {
    (TYPO_MIN..=TYPO_MAX).contains(&word.chars().count())
}

/// Shortest term two typos are corrected for (a stem of eight letters is a word of nine
/// or ten, where Meilisearch allows two too): long words have few neighbours two edits
/// away, and "sattelites" is two from "satellites".
const TWO_TYPOS_MIN: usize = 8;

/// Whether a term's neighbours two edits away (one letter deleted from each, which covers
/// a wrong letter, a swap, and a letter moved) are corrections of it.
pub(super) fn corrects_two_typos(term: &str) -> bool {
    corrects_typos(term) && term.chars().count() >= TWO_TYPOS_MIN
}

pub(in crate::directory::search) fn deletions(term: &str) -> Vec<String> {
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
pub(in crate::directory::search) fn one_edit(a: &str, b: &str) -> bool {
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

/// The query with the spaces between Chinese characters taken out: "燃料 电池", as typed
/// by someone used to Latin script, means "燃料电池" (and the glossary knows that).
pub(super) fn join_chinese(text: &str) -> std::borrow::Cow<'_, str> {
    use super::super::analyze::is_cjk;
    let chars: Vec<char> = text.chars().collect();
    let joined = |i: usize| {
        chars[i].is_whitespace() && {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i..].iter().find(|c| !c.is_whitespace());
            before.is_some_and(|c| is_cjk(*c)) && after.is_some_and(|c| is_cjk(*c))
        }
    };
    if !(0..chars.len()).any(joined) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        (0..chars.len())
            .filter(|i| !joined(*i))
            .map(|i| chars[i])
            .collect(),
    )
}
