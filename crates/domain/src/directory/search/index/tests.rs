use super::*;
use crate::directory::search::glossary::built_in;
use std::sync::OnceLock;

pub(super) fn analyzer() -> Arc<Analyzer> {
    static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
    A.get_or_init(|| Arc::new(Analyzer::new())).clone()
}

pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn doc(id: i64, lang: Lang, title: &str, text: &str, district: &str) -> Document {
    Document {
        kind: Some(Kind::Policy),
        id,
        agency: 1,
        slug: format!("p{id}"),
        title: Localized::one(lang, title),
        text: Localized::one(lang, text),
        district: Some(district.into()),
        district_name: Localized::one(Lang::En, district),
        sectors: vec!["biomedicine".into()],
        benefits: vec!["tax".into()],
        ..Default::default()
    }
}

fn index() -> Index {
    let mut i = Index::new(analyzer(), &built_in());
    i.upsert(doc(
        1,
        Lang::De,
        "Körperschaftsteuer für Hochtechnologieunternehmen",
        "Ermäßigter Satz von 15 % für anerkannte Unternehmen.",
        "Haidian",
    ));
    i.upsert(doc(
        2,
        Lang::Zh,
        "生物医药企业税收优惠",
        "对符合条件的生物医药企业给予税收优惠和租金补贴。",
        "Daxing",
    ));
    i.upsert(doc(
        3,
        Lang::Fr,
        "Aide à l'investissement",
        "L'investissement étranger dans les parcs industriels est soutenu.",
        "Shunyi",
    ));
    i.upsert(doc(
        4,
        Lang::En,
        "Talent visas",
        "Work permits and residence permits for foreign professionals.",
        "Shunyi",
    ));
    i.upsert(doc(
        5,
        Lang::De,
        "Mietzuschuss im Park",
        "Zuschüsse zur Miete für neue Unternehmen.",
        "Shunyi",
    ));
    i
}

pub(super) fn q(text: &str) -> Query<'_> {
    Query {
        text,
        lang: Lang::De,
        district: None,
        sector: None,
        benefit: None,
        kind: None,
        valid_on: None,
        agency: None,
        today: today(),
        offset: 0,
        limit: 10,
    }
}

fn ids(r: &Results) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

#[test]
fn a_compound_is_found_by_its_parts_and_the_whole() {
    let i = index();
    assert_eq!(ids(&i.search(&q("Körperschaftsteuer")).unwrap())[0], 1);
    assert!(ids(&i.search(&q("Steuer")).unwrap()).contains(&1));
    assert!(ids(&i.search(&q("Zuschuss Miete")).unwrap()).contains(&5));
}

#[test]
fn one_language_finds_another_through_the_glossary() {
    let i = index();
    let r = i.search(&q("Steuervergünstigung")).unwrap();
    assert!(ids(&r).contains(&2), "{r:?}");
    let r = i.search(&q("tax incentive")).unwrap();
    assert_eq!(ids(&r)[0], 2);
    assert!(r.hits[0].fallback);
    assert!(
        r.hits[0].snippet.contains("<mark>税收优惠</mark>"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn chinese_words_french_elisions_and_typos_are_found() {
    let i = index();
    assert_eq!(ids(&i.search(&q("生物医药")).unwrap())[0], 2);
    assert_eq!(ids(&i.search(&q("investissements")).unwrap())[0], 3);
    assert_eq!(ids(&i.search(&q("l'investissement")).unwrap())[0], 3);
    assert_eq!(ids(&i.search(&q("Körperschaftstuer")).unwrap())[0], 1);
    assert_eq!(ids(&i.search(&q("permts")).unwrap())[0], 4);
}

#[test]
fn typos_are_corrected_in_long_words_but_not_in_runs_of_letters() {
    let mut i = index();
    // A 48-letter compound is a word a reader may mistype.
    let word = "Quantenverschränkungsinterferometriekalibrierung";
    // A 120-letter run is not: the index keeps no typo neighbours for it (one deletion
    // per letter, each as long as the run, would make a long text cost seconds).
    let run: String = "qwertzuiopasdfghjklyxcvbnm"
        .chars()
        .cycle()
        .take(120)
        .collect();
    i.upsert(doc(
        9,
        Lang::De,
        "Planung",
        &format!("{word} und {run}"),
        "Haidian",
    ));
    let typo = word.replacen("interfero", "intrefero", 1);
    assert_eq!(ids(&i.search(&q(&typo)).unwrap()), vec![9]);
    assert_eq!(ids(&i.search(&q(&run)).unwrap()), vec![9]);
    let run_typo = format!("{}x{}", &run[..60], &run[61..]);
    assert!(ids(&i.search(&q(&run_typo)).unwrap()).is_empty());
}

#[test]
fn filters_combine_and_facets_count_the_other_values() {
    let i = index();
    let mut query = q("");
    query.district = Some("Shunyi");
    let r = i.search(&query).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.facets.district.get("Haidian"), Some(&1));
    assert_eq!(r.facets.district.get("Shunyi"), Some(&3));
    let mut query = q("Unternehmen");
    query.district = Some("shunyi");
    assert_eq!(ids(&i.search(&query).unwrap()), vec![5]);
}

#[test]
fn snippets_are_escaped_and_marked() {
    let mut i = index();
    i.upsert(doc(
        9,
        Lang::En,
        "Script",
        "A <script>alert(1)</script> subsidy for robots.",
        "Shunyi",
    ));
    let mut query = q("robots");
    query.lang = Lang::En;
    let r = i.search(&query).unwrap();
    assert_eq!(r.hits[0].id, 9);
    assert!(!r.hits[0].snippet.contains("<script>"));
    assert!(r.hits[0].snippet.contains("<mark>robots</mark>"));
}

#[test]
fn removed_and_replaced_documents_are_never_served_stale() {
    let mut i = index();
    i.remove(Kind::Policy, 4);
    assert!(i.search(&q("visas")).unwrap().hits.is_empty());
    i.upsert(doc(
        5,
        Lang::De,
        "Forschungsprämie",
        "Prämie für Forschung.",
        "Shunyi",
    ));
    assert!(!ids(&i.search(&q("Mietzuschuss")).unwrap()).contains(&5));
    assert_eq!(ids(&i.search(&q("Forschung")).unwrap()), vec![5]);
    assert_eq!(i.len(), 4);
}

#[test]
fn expired_policies_are_found_marked_and_ranked_lower() {
    let mut i = index();
    let mut old = doc(
        7,
        Lang::De,
        "Mietzuschuss alt",
        "Zuschüsse zur Miete.",
        "Shunyi",
    );
    old.valid_until = NaiveDate::from_ymd_opt(2024, 12, 31);
    old.successor = Some(5);
    i.upsert(old);
    // Among policies matching as many of the query's words, those in force come first.
    let r = i.search(&q("Mietzuschuss")).unwrap();
    assert_eq!(ids(&r)[0], 5);
    let at = ids(&r).iter().position(|id| *id == 7).unwrap();
    assert!(r.hits[..at].iter().all(|h| !h.expired), "{r:?}");
    assert!(r.hits[at].expired);
    assert_eq!(r.hits[at].successor, Some(5));
    let mut query = q("Mietzuschuss");
    query.valid_on = Some(today());
    assert!(!ids(&i.search(&query).unwrap()).contains(&7));
}

#[test]
fn any_query_text_is_answered_or_refused_as_too_long() {
    let i = index();
    for text in [
        "",
        "   ",
        "\"'<>&%00",
        "((((",
        "***",
        "\u{0}\u{1}",
        "ÄÖÜ",
        "💥💥",
        "l'",
        "'",
        "-",
        "AND OR NOT",
    ] {
        assert!(i.search(&q(text)).is_ok(), "{text:?}");
    }
    let long = "a".repeat(QUERY_MAX + 1);
    assert_eq!(i.search(&q(&long)).unwrap_err(), QueryError::TooLong);
}

#[test]
fn one_edit_covers_insert_delete_substitute_and_swap() {
    assert!(one_edit("steuer", "steur"));
    assert!(one_edit("steuer", "steuerr"));
    assert!(!one_edit("steuer", "stuerr"));
    assert!(one_edit("steuer", "setuer"));
    assert!(one_edit("steuer", "steuet"));
    assert!(!one_edit("steuer", "staat"));
}

#[test]
fn an_agencys_glossary_words_change_only_its_own_items_search() {
    use crate::directory::search::glossary::{Addition, with_additions};
    let added = |agency: i64| Addition {
        agency,
        concept: "tax-incentive".into(),
        lang: Lang::De,
        term: "Fiskalbonus".into(),
    };
    let build = |additions: &[Addition]| {
        let mut i = Index::new(analyzer(), &with_additions(built_in(), additions));
        let text = "Eine Steuervergünstigung für neue Firmen.";
        i.upsert(doc(1, Lang::De, "Programm A", text, "Haidian"));
        i.upsert(Document {
            agency: 2,
            ..doc(2, Lang::De, "Programm B", text, "Haidian")
        });
        i.upsert(doc(
            3,
            Lang::De,
            "Programm C",
            "Ein Fiskalbonus wird gewährt.",
            "Haidian",
        ));
        i
    };
    let found = |i: &Index, text: &str| {
        let mut found = ids(&i.search(&q(text)).unwrap());
        found.sort();
        found
    };
    // Agency 2's word finds agency 2's item by the concept, and agency 1's item only
    // where it says the word itself; agency 1's search for the concept is unchanged.
    let i = build(&[added(2)]);
    assert_eq!(found(&i, "Fiskalbonus"), [2, 3]);
    assert_eq!(found(&i, "Steuervergünstigung"), [1, 2]);
    let snippet = &i.search(&q("Steuervergünstigung")).unwrap().hits;
    assert!(
        snippet
            .iter()
            .all(|h| !h.snippet.contains("<mark>Fiskalbonus"))
    );
    // The same word added by agency 1 joins its own items to the concept.
    let i = build(&[added(1), added(2)]);
    assert_eq!(found(&i, "Steuervergünstigung"), [1, 2, 3]);
    assert_eq!(found(&i, "Fiskalbonus"), [1, 2, 3]);
}

/// An index of English policies with the given titles and texts, ids from 1.
fn english(docs: &[(&str, &str)]) -> Index {
    let mut i = Index::new(analyzer(), &built_in());
    for (n, (title, text)) in docs.iter().enumerate() {
        i.upsert(doc(n as i64 + 1, Lang::En, title, text, "Shunyi"));
    }
    i
}

pub(super) fn en(text: &str) -> Query<'_> {
    Query {
        lang: Lang::En,
        ..q(text)
    }
}

#[test]
fn documents_matching_more_of_the_query_come_first_and_the_rest_are_not_hidden() {
    let i = english(&[
        ("Robotics programme", "Support for robotics companies."),
        ("Drone corridor", "A drone testing corridor near the lake."),
        ("Quarry", "The quarry by the lake is closed."),
        ("Harbour", "Nothing relevant here."),
    ]);
    // No policy has all three words: the one with two comes first, and those with one
    // are still found, after it.
    let r = i.search(&en("robotics drone lake")).unwrap();
    assert_eq!(ids(&r)[0], 2, "{r:?}");
    let mut rest = ids(&r)[1..].to_vec();
    rest.sort();
    assert_eq!(rest, vec![1, 3]);
    assert_eq!(r.total, 3);
    // One policy has every word; one with fewer follows instead of vanishing.
    let r = i.search(&en("drone lake")).unwrap();
    assert_eq!(ids(&r), vec![2, 3], "{r:?}");
}

#[test]
fn a_word_matched_by_many_weighs_less_than_matching_more_words() {
    // "satellites" is rare (one policy) and scores high on its own; a policy matching
    // two common words of the query still comes first.
    let mut docs = vec![("Satellites", "Satellites.")];
    for _ in 0..8 {
        docs.push(("Grants", "Grants for companies in the park."));
    }
    docs.push((
        "Park grants",
        "Grants for companies in the park and its satellites.",
    ));
    let i = english(&docs);
    let r = i.search(&en("satellites grants park")).unwrap();
    assert_eq!(ids(&r)[0], 10, "{r:?}");
    // The eight with two of the words, then the one with the rare word alone.
    let mut two_words = ids(&r)[1..9].to_vec();
    two_words.sort();
    assert_eq!(two_words, (2..=9).collect::<Vec<i64>>(), "{r:?}");
    assert_eq!(ids(&r)[9], 1, "{r:?}");
}

#[test]
fn words_in_a_large_share_of_the_policies_count_after_the_topical_ones() {
    // Three hundred of 360 policies have "grants", "Chaoyang" and "park": common words.
    let mut docs = vec![("Offices", "Offices to rent in Shunyi."); 50];
    docs.extend(vec![
        (
            "Park grants",
            "Grants for companies in the Chaoyang park."
        );
        300
    ]);
    docs.push(("Hydrogen", "Hydrogen.")); // 351
    docs.extend(vec![("Hydrogen grants", "Hydrogen grants."); 3]); // 352..=354
    docs.push(("Hydrogen park", "Hydrogen grants in the Chaoyang park.")); // 355
    docs.push(("Satellite grants", "Satellites in the Chaoyang park.")); // 356
    docs.extend(vec![("Filler", "Nothing to see."); 4]);
    let i = english(&docs);
    let r = i.search(&en("hydrogen grants Chaoyang park")).unwrap();
    // Every word; then "hydrogen" with one common word, then alone; the policies with
    // every common word and not "hydrogen" only after them, though they match three.
    assert_eq!(ids(&r)[..5], [355, 352, 353, 354, 351], "{r:?}");
    assert_eq!(r.total, 306);
    // A policy matching three of four words, one of them topical, still comes before
    // one matching a single rare word (the rarer topical word first).
    let r = i.search(&en("hydrogen satellites Chaoyang park")).unwrap();
    assert_eq!(ids(&r)[..2], [356, 355], "{r:?}");
    assert_eq!(ids(&r)[2..6], [351, 352, 353, 354], "{r:?}");
}

#[test]
fn exact_words_come_before_corrected_typos_and_titles_before_text() {
    let i = english(&[
        // "grand" is one typo from "grant", and in the title.
        ("Grand robotics hall", "The grand hall of the park."),
        ("Other", "A grant for the park."),
        // Mentions the word many times, but not in its title.
        (
            "Checklist",
            "Professionals professionals professionals professionals.",
        ),
        ("Professionals", "The programme."),
    ]);
    let r = i.search(&en("grant")).unwrap();
    assert_eq!(ids(&r), vec![2, 1], "{r:?}");
    let r = i.search(&en("professionals")).unwrap();
    assert_eq!(ids(&r)[..2], [4, 3], "{r:?}");
}

#[test]
fn a_compound_the_dictionary_lacks_is_split_by_the_policies_own_words() {
    let mut i = index();
    i.upsert(doc(
        20,
        Lang::De,
        "Wasserstoff",
        "Förderung für Wasserstoff.",
        "Daxing",
    ));
    i.upsert(doc(
        21,
        Lang::En,
        "Hydrogen",
        "Grants for hydrogen energy.",
        "Daxing",
    ));
    i.upsert(doc(
        22,
        Lang::De,
        "Busse",
        "Neue Busse und Wasserstoff.",
        "Daxing",
    ));
    // No policy has the whole word; the one with both parts first, then the others on
    // hydrogen, in English too through the glossary.
    let r = i.search(&q("Wasserstoffbusse")).unwrap();
    assert_eq!(ids(&r)[0], 22, "{r:?}");
    let mut rest = ids(&r)[1..].to_vec();
    rest.sort();
    assert_eq!(rest, vec![20, 21], "{r:?}");
}

#[test]
fn chinese_typed_with_spaces_finds_what_it_finds_without() {
    let mut i = index();
    i.upsert(doc(
        20,
        Lang::En,
        "Biomedicine park",
        "Labs for biomedicine.",
        "Daxing",
    ));
    let joined = ids(&i.search(&q("生物医药")).unwrap());
    assert!(joined.contains(&20) && joined.contains(&2), "{joined:?}");
    assert_eq!(ids(&i.search(&q("生物 医药")).unwrap()), joined);
    assert_eq!(ids(&i.search(&q("生物  医药 ")).unwrap()), joined);
}

#[test]
fn among_as_many_words_matched_the_rarer_words_rank_first() {
    // "hydrogen" is in one policy, "Daxing" and "grants" in many: for all three, a
    // policy with "hydrogen grants" comes before those with "grants ... Daxing".
    let mut docs = vec![("Hydrogen grants", "Grants for hydrogen.")];
    for _ in 0..6 {
        docs.push(("Grants in Daxing", "Grants for companies in Daxing."));
    }
    let i = english(&docs);
    let r = i.search(&en("Daxing grants hydrogen")).unwrap();
    assert_eq!(ids(&r)[0], 1, "{r:?}");
}

#[test]
fn a_glossary_phrase_with_a_typo_still_finds_the_other_languages() {
    let mut i = index();
    i.upsert(doc(
        20,
        Lang::Zh,
        "临床试验",
        "对新药临床试验给予资助。",
        "Daxing",
    ));
    i.upsert(doc(
        21,
        Lang::En,
        "Clinical trials",
        "Grants for clinical trials.",
        "Daxing",
    ));
    let r = i.search(&q("clinicl trials")).unwrap();
    assert_eq!(ids(&r)[0], 21, "{r:?}");
    assert!(ids(&r).contains(&20), "{r:?}");
    // Typed right, the Chinese policy ranks as high as the English one's words allow.
    let typed = i.search(&q("clinical trials")).unwrap();
    assert!(ids(&typed)[..2].contains(&20), "{typed:?}");
    // A typo in a glossary word no policy has in that language, whose stem is shorter
    // than the word: the typo is seen in the word as written.
    i.upsert(doc(
        22,
        Lang::Zh,
        "集成电路",
        "对集成电路设计企业给予奖励。",
        "Daxing",
    ));
    let r = i.search(&q("integratd circuits")).unwrap();
    assert_eq!(ids(&r)[0], 22, "{r:?}");
}

#[test]
fn a_glossary_phrase_matched_counts_as_all_its_words() {
    let mut docs = Vec::new();
    for _ in 0..6 {
        docs.push(("Logistics in Chaoyang", "Logistics companies in Chaoyang."));
    }
    let mut i = english(&docs);
    i.upsert(doc(
        20,
        Lang::Zh,
        "跨境电商",
        "支持跨境电商平台发展。",
        "Daxing",
    ));
    // Three of the query's four words (one phrase, in Chinese) before two.
    let r = i
        .search(&en("cross-border e-commerce logistics Chaoyang"))
        .unwrap();
    assert_eq!(ids(&r)[0], 20, "{r:?}");
}

#[test]
fn a_word_inside_a_glossary_phrase_is_counted_once() {
    // "subsidy" names a concept of its own inside "rent subsidy": a policy with the two
    // words apart matches one thing the query asks for, the French rent subsidy both.
    let mut i = english(&[
        (
            "Machinery",
            "A subsidy for machinery; the rent of offices is not covered.",
        ),
        (
            "Logistics",
            "A subsidy for logistics; the rent of warehouses is not covered.",
        ),
    ]);
    i.upsert(doc(
        9,
        Lang::Fr,
        "Aide au loyer",
        "Une aide au loyer des bureaux.",
        "Shunyi",
    ));
    let r = i.search(&en("rent subsidy")).unwrap();
    assert_eq!(ids(&r)[0], 9, "{r:?}");
}

#[test]
fn a_glossary_phrase_reduced_to_one_word_names_nothing() {
    // "Industrie 4.0" loses its numbers to the analysis: "Industrie" alone is not smart
    // manufacturing.
    let mut i = Index::new(analyzer(), &built_in());
    i.upsert(doc(
        1,
        Lang::De,
        "Industrie",
        "Die Industrie im Bezirk.",
        "Shunyi",
    ));
    i.upsert(doc(
        2,
        Lang::En,
        "Smart manufacturing",
        "Smart manufacturing grants.",
        "Shunyi",
    ));
    let r = i.search(&q("Industrie")).unwrap();
    assert_eq!(ids(&r), vec![1], "{r:?}");
}
