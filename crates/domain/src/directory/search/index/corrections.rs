//! Tests of how a query's word reaches what it was meant as: two typos in long words, and
//! compounds made with a glossary word.

use super::tests::{en, q};
use super::*;
use crate::directory::search::glossary::built_in;

fn ids(i: &Index, query: Query<'_>) -> Vec<i64> {
    i.search(&query)
        .map(|r| r.hits.iter().map(|h| h.id).collect())
        .unwrap_or_default()
}

fn index(docs: &[(Lang, &str)]) -> Index {
    let mut i = Index::new(Arc::new(Analyzer::new()), &built_in());
    for (n, (lang, text)) in docs.iter().enumerate() {
        i.upsert(Document {
            kind: Some(Kind::Policy),
            id: n as i64 + 1,
            agency: 1,
            slug: format!("p{n}"),
            title: Localized::one(*lang, *text),
            text: Localized::one(*lang, *text),
            ..Default::default()
        });
    }
    i
}

#[test]
fn long_words_are_corrected_through_two_typos_and_short_ones_through_one() {
    let i = index(&[
        (Lang::En, "Satellites for the space industry."),
        (Lang::En, "A water tower."),
    ]);
    // Ten letters, two edits from "satellites" (a letter moved): found.
    assert_eq!(ids(&i, en("sattelites")), vec![1]);
    // Five letters, two edits from "water" (two swaps): too many words are that close.
    assert_eq!(ids(&i, en("wtare")), Vec::<i64>::new());
    assert_eq!(ids(&i, en("watre")), vec![2]);
}

#[test]
fn a_compound_made_with_a_glossary_word_finds_its_concept_in_other_languages() {
    let i = index(&[
        (Lang::Zh, "集成电路设计奖励"),
        (Lang::En, "Design awards for fashion."),
        (Lang::Fr, "Prime pour les circuits intégrés."),
    ]);
    // "Chipdesign" is a glossary word: the compound splits at it (not into "chip" and
    // "design"), and its concept finds the Chinese and French policies; fashion design
    // shares only a part of the part.
    let mut found = ids(&i, q("Chipdesignförderung"));
    found.sort();
    assert_eq!(found, vec![1, 3]);
}
