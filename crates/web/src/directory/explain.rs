//! Eligibility answers in the reader's words: each criterion as a sentence ("needs
//! employees ≥ 50, you have 35"), with the units of the profile's fields.

use roadshow_domain::Lang;
use roadshow_domain::directory::eligibility::{
    Check, Criterion, Field, Op, Threshold, number_text,
};
use roadshow_domain::reference::country_name;
use roadshow_i18n::{ArgValue, t, t_with};

/// A field's name with its unit, in `lang`.
pub fn field_label(lang: Lang, field: Field) -> String {
    t(lang, &format!("profile-{}", field.code().replace('_', "-")))
}

fn value_text(lang: Lang, field: Field, value: &str) -> String {
    match field {
        Field::Sector => t(lang, &format!("industry-{value}")),
        Field::Country => country_name(value, lang).to_string(),
        Field::Headquarters => t(lang, if value == "true" { "yes" } else { "no" }),
        _ => value.to_string(),
    }
}

/// The threshold as a reader reads it.
pub fn threshold_text(lang: Lang, field: Field, value: &Threshold) -> String {
    match value {
        Threshold::Number(n) => number_text(*n),
        Threshold::Flag(b) => value_text(lang, field, &b.to_string()),
        Threshold::Text(s) => value_text(lang, field, s),
        Threshold::List(items) => items
            .iter()
            .map(|s| value_text(lang, field, s))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The criterion itself: "employees ≥ 50".
pub fn rule(lang: Lang, c: &Criterion) -> String {
    let sign = match c.op {
        Op::OneOf => t(lang, "op-sign-one-of"),
        Op::NotOneOf => t(lang, "op-sign-not-one-of"),
        op => op.sign().to_string(),
    };
    format!(
        "{} {} {}",
        field_label(lang, c.field),
        sign,
        threshold_text(lang, c.field, &c.value)
    )
}

/// One sentence on how the profile fares: met, or what it needs and what it has.
pub fn sentence(lang: Lang, criterion: &Criterion, check: &Check) -> String {
    let rule = rule(lang, criterion);
    let key = match (&check.actual, check.met) {
        (_, true) => "eligibility-met",
        (None, false) => "eligibility-not-given",
        (Some(_), false) => "eligibility-needs",
    };
    let actual = check
        .actual
        .as_deref()
        .map(|a| value_text(lang, criterion.field, a))
        .unwrap_or_default();
    let mut text = t_with(
        lang,
        key,
        &[
            ("rule", ArgValue::Text(rule)),
            ("actual", ArgValue::Text(actual)),
        ],
    );
    if let (Some(gap), false) = (check.gap, check.met) {
        if criterion.field.is_number() && gap.is_finite() {
            text.push_str(&t_with(
                lang,
                "eligibility-gap",
                &[("gap", ArgValue::Text(number_text(gap)))],
            ));
        }
    }
    text
}
