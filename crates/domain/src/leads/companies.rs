//! One company across events: names and websites normalised so that the same company
//! registering twice is found, and the uncertain cases an officer decides by merging
//! (which can be undone).

use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Legal forms left out when comparing names ("Müller GmbH" = "Müller").
const LEGAL_FORMS: &[&str] = &[
    "gmbh",
    "ag",
    "kg",
    "co",
    "ohg",
    "se",
    "ug",
    "mbh",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
    "corp",
    "corporation",
    "company",
    "sarl",
    "sas",
    "sa",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "holding",
    "group",
    "gruppe",
];

/// The key a company name is compared by: lower case, without punctuation, accents kept,
/// legal forms left out. Empty only for a name of nothing but legal forms.
pub fn company_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('&', " ");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    let chosen = if kept.is_empty() { words } else { kept };
    let joined = chosen.join(" ");
    // Chinese names: the legal form is written without spaces.
    joined
        .trim_end_matches("有限责任公司")
        .trim_end_matches("股份有限公司")
        .trim_end_matches("有限公司")
        .trim()
        .to_string()
}

/// The registrable part of a website's host ("https://www.mueller.de/x" → "mueller.de").
pub fn website_domain(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.') && !host.starts_with('.')).then_some(host)
}

/// A company as the duplicate finder sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanySummary {
    pub id: CompanyId,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub registrations: i64,
    pub has_lead: bool,
}

/// Why two companies may be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// Same website domain, different names.
    SameDomain,
    /// Same name once legal forms are left out, different countries or websites.
    SameName,
    /// One name contains the other ("Müller" / "Müller Automotive").
    SimilarName,
}

impl MatchReason {
    pub fn code(self) -> &'static str {
        match self {
            MatchReason::SameDomain => "same_domain",
            MatchReason::SameName => "same_name",
            MatchReason::SimilarName => "similar_name",
        }
    }
}

/// Two companies that may be one, for the officer to merge or leave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    pub a: CompanySummary,
    pub b: CompanySummary,
    pub reason: MatchReason,
}

/// Pairs that may be the same company, strongest reason first; in each pair the one to
/// keep (more registrations, else the older) comes first. Names are compared by
/// [`company_key`]; a contained name must be a whole word of at least four letters, so
/// "AB" does not match every company with "ab" in it.
pub fn duplicates(companies: &[CompanySummary]) -> Vec<Duplicate> {
    let keyed: Vec<(String, Option<String>, &CompanySummary)> = companies
        .iter()
        .map(|c| {
            (
                company_key(&c.name),
                c.website.as_deref().and_then(website_domain),
                c,
            )
        })
        .collect();
    let mut out = Vec::new();
    let mut by_key: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    let mut by_domain: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, (key, domain, _)) in keyed.iter().enumerate() {
        by_key.entry(key.as_str()).or_default().push(i);
        if let Some(d) = domain {
            by_domain.entry(d.as_str()).or_default().push(i);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut push = |i: usize, j: usize, reason: MatchReason, out: &mut Vec<Duplicate>| {
        let (i, j) = if i < j { (i, j) } else { (j, i) };
        if seen.insert((i, j)) {
            // The one to keep comes first: more registrations, else the older.
            let (a, b) = (keyed[i].2, keyed[j].2);
            let (a, b) = if (b.registrations, std::cmp::Reverse(b.id))
                > (a.registrations, std::cmp::Reverse(a.id))
            {
                (b, a)
            } else {
                (a, b)
            };
            out.push(Duplicate {
                a: a.clone(),
                b: b.clone(),
                reason,
            });
        }
    };
    for group in by_domain.values() {
        for (n, i) in group.iter().enumerate() {
            for j in &group[n + 1..] {
                push(*i, *j, MatchReason::SameDomain, &mut out);
            }
        }
    }
    for group in by_key.values() {
        for (n, i) in group.iter().enumerate() {
            for j in &group[n + 1..] {
                push(*i, *j, MatchReason::SameName, &mut out);
            }
        }
    }
    // Contained names: each key's words against the other keys, through an index of
    // whole words so that large directories stay fast.
    let mut by_word: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, (key, _, _)) in keyed.iter().enumerate() {
        for w in key.split(' ').filter(|w| w.chars().count() >= 4) {
            by_word.entry(w).or_default().push(i);
        }
    }
    for (i, (key, _, _)) in keyed.iter().enumerate() {
        if key.chars().count() < 4 || key.contains(' ') && key.split(' ').count() > 3 {
            continue;
        }
        let first = key.split(' ').next().unwrap_or("");
        for j in by_word.get(first).into_iter().flatten() {
            let other = &keyed[*j].0;
            if *j != i && other != key && contains_words(other, key) {
                push(i, *j, MatchReason::SimilarName, &mut out);
            }
        }
    }
    out
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    let h: Vec<&str> = haystack.split(' ').collect();
    let n: Vec<&str> = needle.split(' ').collect();
    h.windows(n.len()).any(|w| w == n.as_slice())
}

/// A merge of one company into another, with what it moved so that it can be undone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyMerge {
    pub id: i64,
    pub kept: CompanyId,
    pub kept_name: String,
    pub merged: CompanyId,
    pub merged_name: String,
    pub by: AccountId,
    pub at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: i64, name: &str, country: &str, website: Option<&str>) -> CompanySummary {
        CompanySummary {
            id: CompanyId(id),
            name: name.into(),
            country: country.into(),
            website: website.map(str::to_string),
            registrations: 1,
            has_lead: false,
        }
    }

    #[test]
    fn names_and_domains_are_normalised() {
        assert_eq!(
            company_key("Müller Automotive GmbH & Co. KG"),
            "müller automotive"
        );
        assert_eq!(company_key("  MÜLLER automotive  "), "müller automotive");
        assert_eq!(company_key("GmbH"), "gmbh");
        assert_eq!(company_key("北京汽车有限公司"), "北京汽车");
        assert_eq!(
            website_domain("https://www.Mueller.de/about?x=1").as_deref(),
            Some("mueller.de")
        );
        assert_eq!(website_domain("not a site"), None);
    }

    #[test]
    fn uncertain_matches_are_found_with_their_reason() {
        let found = duplicates(&[
            company(
                1,
                "Müller Automotive GmbH",
                "DE",
                Some("https://mueller.de"),
            ),
            company(
                2,
                "Mueller Automotive China",
                "CN",
                Some("https://www.mueller.de"),
            ),
            company(3, "Schmidt Robotics AG", "DE", None),
            company(4, "Schmidt Robotics", "AT", None),
            company(5, "Schmidt", "DE", None),
            company(6, "Lange Optik", "DE", None),
        ]);
        let pairs: Vec<_> = found
            .iter()
            .map(|d| (d.a.id.0, d.b.id.0, d.reason))
            .collect();
        assert!(pairs.contains(&(1, 2, MatchReason::SameDomain)));
        assert!(pairs.contains(&(3, 4, MatchReason::SameName)));
        assert!(pairs.contains(&(3, 5, MatchReason::SimilarName)));
        assert!(!pairs.iter().any(|p| p.0 == 6 || p.1 == 6));
    }
}
