//! What a search counts, facets and pages, checked against going through every
//! document by hand.

use super::tests::{analyzer, en, today};
use super::*;
use crate::directory::search::glossary::built_in;

/// Seeded documents of distinct words (none a typo of another), facet values, kinds,
/// agencies and validities, some removed or replaced: what a search counts and pages
/// must agree with checking every document by hand.
#[test]
fn totals_facets_and_pages_agree_with_checking_every_document() {
    const WORDS: [&str; 8] = [
        "harbour", "lantern", "meadow", "quartz", "violin", "tundra", "copper", "falcon",
    ];
    const DISTRICTS: [&str; 3] = ["Haidian", "Daxing", "Shunyi"];
    const VALUES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let day = |d: i64| today() + chrono::Duration::days(d);
    let mut index = Index::new(analyzer(), &built_in());
    let mut held: HashMap<i64, Document> = HashMap::new();
    for n in 0..700 {
        let id = next(500) as i64;
        if next(10) == 0 {
            if let Some(old) = held.remove(&id) {
                index.remove(old.kind(), id);
            }
            continue;
        }
        let words: Vec<&str> = (0..1 + next(3)).map(|_| WORDS[next(WORDS.len())]).collect();
        let doc = Document {
            kind: Some(if next(4) == 0 {
                Kind::Park
            } else {
                Kind::Policy
            }),
            id,
            agency: 1 + next(2) as i64,
            slug: format!("d{n}"),
            title: Localized::one(Lang::En, words[0]),
            text: Localized::one(Lang::En, words.join(" ")),
            district: (next(5) > 0).then(|| DISTRICTS[next(3)].to_string()),
            sectors: vec![VALUES[next(4)].into(), VALUES[next(4)].into()],
            benefits: vec![VALUES[next(4)].into()],
            valid_from: (next(3) == 0).then(|| day(next(20) as i64 - 10)),
            valid_until: (next(3) == 0).then(|| day(next(20) as i64 - 10)),
            ..Default::default()
        };
        // Kinds are part of the key: the same id as a park is another item.
        if let Some(old) = held.get(&id) {
            index.remove(old.kind(), id);
        }
        index.upsert(doc.clone());
        held.insert(id, doc);
    }
    for round in 0..60 {
        let text = match round % 4 {
            0 => String::new(),
            _ => (0..1 + next(2))
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" "),
        };
        let query = Query {
            district: (next(3) == 0).then(|| DISTRICTS[next(3)]),
            sector: (next(3) == 0).then(|| VALUES[next(4)]),
            benefit: (next(4) == 0).then(|| VALUES[next(4)]),
            kind: (next(4) == 0).then_some(Kind::Park),
            valid_on: (next(4) == 0).then(|| day(next(10) as i64 - 5)),
            agency: (next(4) == 0).then_some(2),
            limit: 500,
            ..en(&text)
        };
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        // Which filters a document fails, by facet (kind, district, sector, benefit),
        // after the agency and validity it must pass in any case.
        let fails = |d: &Document| -> Option<[bool; 4]> {
            let valid = query.valid_on.is_none_or(|on| {
                d.kind() != Kind::Policy
                    || (d.valid_from.is_none_or(|f| f <= on)
                        && d.valid_until.is_none_or(|u| u >= on))
            });
            let matched = words.is_empty()
                || words
                    .iter()
                    .any(|w| d.text.0.values().any(|t| t.split(' ').any(|x| x == *w)));
            (valid && matched && query.agency.is_none_or(|a| a == d.agency)).then(|| {
                [
                    query.kind.is_some_and(|k| k != d.kind()),
                    query
                        .district
                        .is_some_and(|v| d.district.as_deref() != Some(v)),
                    query
                        .sector
                        .is_some_and(|v| !d.sectors.iter().any(|s| s == v)),
                    query
                        .benefit
                        .is_some_and(|v| !d.benefits.iter().any(|s| s == v)),
                ]
            })
        };
        let mut expected = Facets::default();
        let mut total = 0;
        for d in held.values() {
            let Some(failed) = fails(d) else { continue };
            let but = |i: usize| failed.iter().enumerate().all(|(j, f)| j == i || !f);
            total += usize::from(failed.iter().all(|f| !f));
            if but(0) {
                *expected
                    .kind
                    .entry(d.kind().code().to_string())
                    .or_default() += 1;
            }
            if let (true, Some(district)) = (but(1), &d.district) {
                *expected.district.entry(district.clone()).or_default() += 1;
            }
            let mut sectors = d.sectors.clone();
            sectors.dedup();
            sectors.sort();
            sectors.dedup();
            for s in sectors.iter().filter(|_| but(2)) {
                *expected.sector.entry(s.clone()).or_default() += 1;
            }
            for b in d.benefits.iter().filter(|_| but(3)) {
                *expected.benefit.entry(b.clone()).or_default() += 1;
            }
        }
        let all = index.search(&query).unwrap();
        let context = format!("round {round}: {query:?}");
        assert_eq!(all.total, total, "{context}");
        assert_eq!(all.hits.len(), total, "{context}");
        assert_eq!(all.facets.kind, expected.kind, "{context}");
        assert_eq!(all.facets.district, expected.district, "{context}");
        assert_eq!(all.facets.sector, expected.sector, "{context}");
        assert_eq!(all.facets.benefit, expected.benefit, "{context}");
        // Pages of seven, put together, are the whole list in its order.
        let mut paged = Vec::new();
        for offset in (0..total + 7).step_by(7) {
            let page = index
                .search(&Query {
                    offset,
                    limit: 7,
                    ..query.clone()
                })
                .unwrap();
            assert_eq!(page.total, total, "{context}");
            paged.extend(page.hits.iter().map(|h| (h.kind, h.id)));
        }
        let whole: Vec<(Kind, i64)> = all.hits.iter().map(|h| (h.kind, h.id)).collect();
        assert_eq!(paged, whole, "{context}");
    }
}
