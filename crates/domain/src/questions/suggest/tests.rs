use super::*;

fn text(t: &str, weight: f64, label: Option<&str>) -> ProfileText {
    ProfileText {
        text: t.into(),
        weight,
        label: label.map(str::to_string),
    }
}

fn profiles() -> Vec<Profile> {
    vec![
        Profile {
            department: Some(DepartmentId(1)),
            texts: vec![
                text("Beijing Municipal Bureau of Commerce", weight::NAME, None),
                text(
                    "Opening-up policy, foreign investment, tax incentives for foreign-invested enterprises",
                    weight::POLICY,
                    Some("Two Zones policy"),
                ),
                text(
                    "Steuervergünstigungen für ausländisch investierte Unternehmen",
                    weight::POLICY,
                    Some("Two Zones policy"),
                ),
            ],
        },
        Profile {
            department: Some(DepartmentId(2)),
            texts: vec![
                text("Shunyi District", weight::NAME, None),
                text(
                    "Sino-German Industrial Park, automotive and advanced manufacturing, Beijing",
                    weight::PARK,
                    Some("Sino-German Industrial Park"),
                ),
                text(
                    "中德产业园 顺义区 汽车",
                    weight::PARK,
                    Some("Sino-German Industrial Park"),
                ),
            ],
        },
        Profile {
            department: Some(DepartmentId(3)),
            texts: vec![
                text("Fengtai District", weight::NAME, None),
                text(
                    "Zhongguancun Fengtai Park, rail transit, aerospace, Beijing",
                    weight::PARK,
                    Some("Fengtai Park"),
                ),
            ],
        },
    ]
}

#[test]
fn a_park_question_goes_to_its_district_with_the_reason() {
    let s = suggest(
        "Which land is available in the Sino-German park in Shunyi for an automotive supplier?",
        &profiles(),
        None,
    )
    .unwrap();
    assert_eq!(s.department, DepartmentId(2));
    assert!(s.reason().contains("Shunyi"), "{}", s.reason());
    assert!(
        s.reason().contains("Sino-German Industrial Park"),
        "{}",
        s.reason()
    );
}

#[test]
fn german_compounds_and_plurals_match() {
    let s = suggest(
        "Welche Steuervergünstigungen gibt es für ausländische Investoren?",
        &profiles(),
        None,
    )
    .unwrap();
    assert_eq!(s.department, DepartmentId(1));
    let s = suggest("What about taxes?", &profiles(), None).unwrap();
    assert_eq!(s.department, DepartmentId(1));
    assert!(s.reason().contains("tax"), "{}", s.reason());
}

#[test]
fn chinese_questions_match_by_character_pairs() {
    let s = suggest("顺义区的中德产业园有哪些支持？", &profiles(), None).unwrap();
    assert_eq!(s.department, DepartmentId(2));
}

#[test]
fn words_every_department_shares_decide_nothing_and_no_match_is_none() {
    // "Park" is in two profiles: it matches both, but weighs less than a word only
    // one department presents.
    let shared = rank("Hello, is this the park?", &profiles(), None);
    assert_eq!(shared.len(), 2);
    let specific = suggest("Hello, is this Shunyi?", &profiles(), None).unwrap();
    assert!(
        shared[0].score < specific.score,
        "{shared:?} / {specific:?}"
    );
    assert_eq!(suggest("Bonjour à tous", &profiles(), None), None);
    // Words that name no topic in any of the four languages decide nothing, though
    // every profile has "Beijing" and one is a bureau of a municipal government.
    for generic in [
        "Which competent authority in Beijing handles this?",
        "Welche Behörde in Peking ist zuständig?",
        "Quelle autorité compétente à Pékin ?",
        "北京哪个部门负责？",
    ] {
        assert_eq!(suggest(generic, &profiles(), None), None, "{generic}");
    }
    // The session asked in breaks a tie.
    let s = suggest("Bonjour à tous", &profiles(), Some(DepartmentId(3))).unwrap();
    assert_eq!(s.department, DepartmentId(3));
}

#[test]
fn numbers_and_glossary_concepts_follow_meaning_across_languages() {
    let programme = Profile {
        department: Some(DepartmentId(4)),
        texts: vec![text(
            "\"New Smart Manufacturing 100\" construction plan",
            weight::POLICY,
            Some("New Smart Manufacturing 100"),
        )],
    };
    let mut all = profiles();
    all.push(programme);
    for question in [
        "Is there money in the hundred smart factories programme?",
        "Gibt es Geld im Programm für hundert intelligente Fabriken?",
        "Le programme des cent usines intelligentes finance-t-il les PME ?",
        "智能工厂百家计划有补贴吗？",
    ] {
        let s = suggest(question, &all, None).unwrap();
        assert_eq!(s.department, DepartmentId(4), "{question}: {s:?}");
        assert!(
            s.reason().contains("New Smart Manufacturing 100"),
            "{question}: {}",
            s.reason()
        );
    }
    // Stems meet across plural forms: "policies" is "policy".
    assert_eq!(stem("policies"), stem("policy"));
    assert_eq!(stem("factories"), stem("factory"));
}

#[test]
fn rank_puts_the_best_first() {
    let ranked = rank("rail transit in Fengtai", &profiles(), None);
    assert_eq!(ranked[0].department, DepartmentId(3));
}
