//! The documented lists a registration chooses from: countries (ISO 3166-1 alpha-2),
//! industries and company sizes. Their labels live in the translation catalogue under
//! `industry-<code>` and `size-<code>`.

use crate::countries::{COUNTRIES, Country};
use crate::lang::Lang;

/// Industry codes, in the order a form offers them.
pub const INDUSTRIES: &[&str] = &[
    "smart-manufacturing",
    "automotive",
    "machinery",
    "electronics",
    "ict-software",
    "ai-robotics",
    "biomedicine",
    "medical-devices",
    "new-energy",
    "environmental-tech",
    "chemicals-materials",
    "aerospace",
    "finance",
    "professional-services",
    "logistics",
    "consumer-goods",
    "education-research",
    "other",
];

/// Kinds of benefit a policy offers; labels under `benefit-<code>`.
pub const BENEFIT_TYPES: &[&str] = &[
    "tax",
    "subsidy",
    "land",
    "talent",
    "finance",
    "market-access",
];

/// Company size codes by number of employees; institutions choose by staff too.
pub const COMPANY_SIZES: &[&str] = &["1-9", "10-49", "50-249", "250-999", "1000+"];

pub fn is_industry(code: &str) -> bool {
    INDUSTRIES.contains(&code)
}

pub fn is_company_size(code: &str) -> bool {
    COMPANY_SIZES.contains(&code)
}

/// The country with this alpha-2 code (case-insensitive).
pub fn country(code: &str) -> Option<&'static Country> {
    let code = code.trim().to_ascii_uppercase();
    COUNTRIES
        .binary_search_by(|c| c.code.cmp(code.as_str()))
        .ok()
        .and_then(|i| COUNTRIES.get(i))
}

/// The country's name in `lang`, or the code itself when unknown.
pub fn country_name(code: &str, lang: Lang) -> String {
    match country(code) {
        Some(c) => match lang {
            Lang::De => c.de,
            Lang::En => c.en,
            Lang::Zh => c.zh,
            Lang::Fr => c.fr,
        }
        .to_string(),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_sorted_and_found() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(country("de").map(|c| c.en), Some("Germany"));
        assert_eq!(country_name("CN", Lang::Zh), "中国");
        assert!(country("XX").is_none());
        assert_eq!(COUNTRIES.len(), 249);
    }
}
