//! The department suggestion on labelled questions (`labelled.tsv`): questions that name
//! what they are about (`direct`) and questions that only allude to it (`indirect`), in
//! four languages, against the demo event. Prints the score per kind and language, and
//! every miss with the evidence that decided it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_app::Principal;
use roadshow_domain::Lang;
use roadshow_domain::questions::{QuestionFilter, QuestionState};
use roadshow_testkit::{Db, TestApp};
use std::collections::BTreeMap;

const LABELLED: &str = include_str!("labelled.tsv");
const HELD_OUT: &str = include_str!("held_out.tsv");

#[tokio::test]
async fn the_suggested_department_follows_what_a_question_means() {
    let t = TestApp::with_demo(Db::Sqlite).await;
    let page = t
        .app
        .events()
        .event_page(&Principal::Anonymous, "two-zones-germany")
        .await
        .unwrap();
    let answered = t
        .app
        .store
        .questions(&QuestionFilter {
            event: Some(page.event.id),
            states: vec![QuestionState::Answered],
            ..Default::default()
        })
        .await
        .unwrap();
    println!("held out (reported, not tuned on):");
    score(&page, &answered, HELD_OUT);
    println!("labelled:");
    let (by_kind, misses) = score(&page, &answered, LABELLED);
    let (r, n) = by_kind["direct"];
    assert_eq!(r, n, "every direct question goes to its department");
    let (r, n) = by_kind["indirect"];
    assert!(
        r * 20 >= n * 19,
        "indirect questions: {r} of {n} right\n{}",
        misses.join("\n")
    );
}

/// Scores the suggestion on a labelled file: right and asked, per kind; and the misses.
fn score(
    page: &roadshow_app::events::EventPage,
    answered: &[roadshow_domain::questions::Question],
    labelled: &str,
) -> (BTreeMap<String, (usize, usize)>, Vec<String>) {
    let mut right: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for line in labelled
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let [kind, lang, slug, text] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("a labelled line has four fields: {line}");
        };
        let lang = *Lang::ALL.iter().find(|l| l.code() == lang).unwrap();
        let suggestion = roadshow_app::questions::suggest_for(page, answered, text, lang, None);
        let got = suggestion.as_ref().and_then(|s| {
            page.departments
                .iter()
                .find(|d| d.id == s.department)
                .map(|d| d.slug.clone())
        });
        let entry = right
            .entry((kind.to_string(), lang.code().to_string()))
            .or_default();
        entry.1 += 1;
        if got.as_deref() == Some(slug) {
            entry.0 += 1;
        } else {
            misses.push(format!(
                "{kind} {}: {text}\n    expected {slug}, got {got:?} because {:?}",
                lang.code(),
                suggestion.map(|s| s.reason())
            ));
        }
    }
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for ((kind, lang), (r, n)) in &right {
        println!("{kind:8} {lang}: {r} of {n}");
        let k = by_kind.entry(kind.clone()).or_default();
        k.0 += r;
        k.1 += n;
    }
    for (kind, (r, n)) in &by_kind {
        println!("{kind:8} all: {r} of {n}");
    }
    for m in &misses {
        println!("miss: {m}");
    }
    (by_kind, misses)
}
