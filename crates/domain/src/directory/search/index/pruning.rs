//! A query that scores only what can reach its page (`prune.rs`) answers exactly as one
//! that scores every match: the same total, facets, hits, order and scores.

use super::tests::analyzer;
use super::*;
use crate::directory::search::glossary::built_in;

/// A few words in nearly every policy, some in many, most in few; in four languages, with
/// glossary phrases among them.
const WORDS: [(Lang, &str, u64); 24] = [
    (Lang::En, "support", 2),
    (Lang::En, "companies", 3),
    (Lang::En, "hydrogen", 40),
    (Lang::En, "clinical trials", 25),
    (Lang::En, "rent subsidy", 12),
    (Lang::En, "satellite", 60),
    (Lang::En, "talent", 8),
    (Lang::En, "cross-border e-commerce", 30),
    (Lang::De, "Förderung", 2),
    (Lang::De, "Unternehmen", 3),
    (Lang::De, "Wasserstoff", 35),
    (Lang::De, "Mietzuschuss", 15),
    (Lang::De, "Chipdesign", 50),
    (Lang::Fr, "investissement", 4),
    (Lang::Fr, "aide aux talents", 9),
    (Lang::Fr, "véhicules autonomes", 45),
    (Lang::Fr, "industrie spatiale", 20),
    (Lang::Zh, "投资补贴", 2),
    (Lang::Zh, "人工智能", 6),
    (Lang::Zh, "租金补贴", 10),
    (Lang::Zh, "企业", 3),
    (Lang::Zh, "自动驾驶", 30),
    (Lang::Zh, "生物医药", 12),
    (Lang::Zh, "昌平区", 5),
];

const DISTRICTS: [&str; 4] = ["Haidian", "Chaoyang", "Daxing", "Shunyi"];
const SECTORS: [&str; 3] = ["biomedicine", "ai", "aerospace"];

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn index(docs: usize, random: &mut Random) -> Index {
    let mut i = Index::new(analyzer(), &built_in());
    for id in 0..docs {
        let mut per_lang: BTreeMap<Lang, Vec<&str>> = BTreeMap::new();
        for (lang, word, one_in) in WORDS {
            for _ in 0..random.below(3) {
                if random.below(one_in) == 0 {
                    per_lang.entry(lang).or_default().push(word);
                }
            }
        }
        let mut text = Localized::default();
        let mut title = Localized::default();
        for (lang, words) in per_lang {
            let joined = words.join(if lang == Lang::Zh { "，" } else { " " });
            let head: Vec<&str> = words.iter().take(2).copied().collect();
            title.0.insert(lang, head.join(" "));
            text.0.insert(lang, joined);
        }
        let day =
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(random.below(700));
        i.upsert(Document {
            kind: Some(if id % 7 == 0 {
                Kind::Park
            } else {
                Kind::Policy
            }),
            id: id as i64,
            agency: 1 + (id % 3 == 0) as i64,
            slug: format!("p{id}"),
            title,
            text,
            district: Some(DISTRICTS[random.below(4) as usize].into()),
            sectors: vec![SECTORS[random.below(3) as usize].into()],
            benefits: vec!["tax".into()],
            valid_until: (random.below(4) == 0).then_some(day),
            ..Default::default()
        });
    }
    // Some removed, as after edits.
    for id in (0..docs).step_by(13) {
        i.remove(
            if id % 7 == 0 {
                Kind::Park
            } else {
                Kind::Policy
            },
            id as i64,
        );
    }
    i
}

fn answer(i: &mut Index, prune_from: usize, q: &Query) -> (usize, Vec<(i64, u32)>, String) {
    i.prune_from = prune_from;
    let r = i.search(q).unwrap();
    let hits = r.hits.iter().map(|h| (h.id, h.score.to_bits())).collect();
    (r.total, hits, format!("{:?}", r.facets))
}

#[test]
fn scoring_only_what_can_reach_the_page_changes_no_answer() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut i = index(2_500, &mut random);
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut pruned_some = 0;
    for n in 0..400 {
        let mut words: Vec<String> = (0..1 + random.below(5))
            .map(|_| {
                WORDS[random.below(WORDS.len() as u64) as usize]
                    .1
                    .to_string()
            })
            .collect();
        // A typo now and then.
        if n % 9 == 0 {
            words.push("hydrogne".into());
        }
        let text = words.join(" ");
        let q = Query {
            text: &text,
            lang: Lang::En,
            district: (n % 5 == 0).then_some(DISTRICTS[n % 4]),
            sector: (n % 6 == 0).then_some(SECTORS[n % 3]),
            benefit: None,
            kind: (n % 8 == 0).then_some(Kind::Policy),
            valid_on: (n % 10 == 0).then_some(today),
            agency: (n % 11 == 0).then_some(1),
            today,
            offset: [0, 0, 10, 45][n % 4],
            limit: [10, 1, 20, 5][n % 4],
        };
        let all = answer(&mut i, usize::MAX, &q);
        let pruned = answer(&mut i, 0, &q);
        assert_eq!(pruned, all, "{text:?} (query {n})");
        pruned_some += usize::from(all.0 > q.offset + q.limit);
    }
    // The comparison meant something: most queries had more matches than their page.
    assert!(pruned_some > 200, "{pruned_some}");
}
