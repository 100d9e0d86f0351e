//! How the survey reads: each question's wording (the organiser's, else the
//! translation's) and the labels of the closed lists' codes, for the API and the pages.

use roadshow_domain::Lang;
use roadshow_domain::surveys::*;
use roadshow_i18n::t;

/// The codes a closed-list question offers, in order (none for parks and policies, which
/// are the agency's, nor for free text).
pub fn choice_codes(key: &str) -> Vec<&'static str> {
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|x| code(*x)).collect()
    }
    match key {
        "interest" | "interest_before" => codes(Interest::ALL, Interest::code),
        "project_type" => codes(ProjectType::ALL, ProjectType::code),
        "investment" => codes(InvestmentBand::ALL, InvestmentBand::code),
        "timeline" => codes(Horizon::ALL, Horizon::code),
        "next_steps" => codes(NextStep::ALL, NextStep::code),
        "sectors" => roadshow_domain::reference::INDUSTRIES.to_vec(),
        "districts" => DISTRICTS.to_vec(),
        _ => Vec::new(),
    }
}

/// A question's wording in `lang`: the organiser's, else the translation's.
pub fn question_text(survey: &Survey, key: &str, lang: Lang) -> String {
    survey
        .questions
        .get(key)
        .map(|l| l.get(lang).to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| t(lang, &format!("survey-q-{key}")))
}

/// The label of a closed-list answer; investment bands add their CNY and EUR amounts.
pub fn choice_label(key: &str, code: &str, lang: Lang) -> String {
    match key {
        "sectors" => t(lang, &format!("industry-{code}")),
        "interest_before" => t(lang, &format!("survey-interest-{code}")),
        "districts" => t(lang, &format!("district-{code}")),
        "investment" => match InvestmentBand::parse(code).and_then(|b| b.label_amounts()) {
            Some(amounts) => amounts,
            None => t(lang, "survey-investment-undecided"),
        },
        _ => t(lang, &format!("survey-{key}-{code}")),
    }
}
