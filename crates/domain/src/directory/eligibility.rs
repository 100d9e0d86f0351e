//! Eligibility: a policy's criteria are data (`{"field", "op", "value"}` over the fields of
//! a company profile), and matching a profile against them is pure. Every answer explains
//! itself: which criteria fail and by how much.

use crate::validation::Checker;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most criteria on one policy.
pub const CRITERIA_MAX: usize = 20;
/// A failing numeric criterion counts as "nearly" met when the profile is within this share
/// of the threshold (35 employees against "≥ 50" is 30 % short: nearly).
pub const NEARLY_SHARE: f64 = 0.5;
/// At most this many criteria may fail for a policy to be "nearly" met.
pub const NEARLY_MAX_FAILING: usize = 2;

/// The fields of a company profile a criterion can test, with their units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// An industry code of the reference list (`smart-manufacturing`, …).
    Sector,
    /// Head count.
    Employees,
    /// Yuan per year.
    AnnualRevenueCny,
    /// Yuan, the project's total investment.
    PlannedInvestmentCny,
    /// Per cent of the capital held from abroad, 0–100.
    ForeignOwnershipPct,
    /// Research and development spending as per cent of revenue, 0–100.
    RdSpendingPct,
    /// The district the company sets up in (English name, e.g. `Shunyi`).
    District,
    /// Whether the unit is a regional headquarters.
    Headquarters,
    /// Whole years since the company was founded.
    YearsInOperation,
    /// ISO 3166-1 alpha-2 of the parent company.
    Country,
}

/// Every field, in the order forms show them.
pub const FIELDS: &[Field] = &[
    Field::Sector,
    Field::Employees,
    Field::AnnualRevenueCny,
    Field::PlannedInvestmentCny,
    Field::ForeignOwnershipPct,
    Field::RdSpendingPct,
    Field::District,
    Field::Headquarters,
    Field::YearsInOperation,
    Field::Country,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Text,
    Flag,
}

impl Field {
    pub fn code(self) -> &'static str {
        match self {
            Field::Sector => "sector",
            Field::Employees => "employees",
            Field::AnnualRevenueCny => "annual_revenue_cny",
            Field::PlannedInvestmentCny => "planned_investment_cny",
            Field::ForeignOwnershipPct => "foreign_ownership_pct",
            Field::RdSpendingPct => "rd_spending_pct",
            Field::District => "district",
            Field::Headquarters => "headquarters",
            Field::YearsInOperation => "years_in_operation",
            Field::Country => "country",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        FIELDS.iter().copied().find(|f| f.code() == code)
    }

    fn kind(self) -> Kind {
        match self {
            Field::Sector | Field::District | Field::Country => Kind::Text,
            Field::Headquarters => Kind::Flag,
            _ => Kind::Number,
        }
    }

    /// Whether the field is a number (forms show a number input).
    pub fn is_number(self) -> bool {
        self.kind() == Kind::Number
    }
}

/// How a criterion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// At least (≥).
    Gte,
    /// At most (≤).
    Lte,
    /// Equal (=).
    Eq,
    /// One of a list.
    OneOf,
    /// None of a list.
    NotOneOf,
}

/// Every operator with its code and the signs also accepted in files.
const OPS: &[(Op, &str, &[&str])] = &[
    (Op::Gte, "gte", &[">=", "≥"]),
    (Op::Lte, "lte", &["<=", "≤"]),
    (Op::Eq, "eq", &["=", "=="]),
    (Op::OneOf, "one_of", &["in"]),
    (Op::NotOneOf, "not_one_of", &["not_in"]),
];

impl Op {
    pub fn code(self) -> &'static str {
        OPS.iter()
            .find(|(o, _, _)| *o == self)
            .map(|(_, c, _)| *c)
            .unwrap_or("eq")
    }

    pub fn from_code(code: &str) -> Option<Op> {
        let code = code.trim();
        OPS.iter()
            .find(|(_, c, signs)| *c == code || signs.contains(&code))
            .map(|(o, _, _)| *o)
    }

    /// The sign shown to readers.
    pub fn sign(self) -> &'static str {
        match self {
            Op::Gte => "≥",
            Op::Lte => "≤",
            Op::Eq => "=",
            Op::OneOf => "∈",
            Op::NotOneOf => "∉",
        }
    }
}

/// What a criterion compares with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    Flag(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

/// One rule of a policy: `field op value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub field: Field,
    pub op: Op,
    pub value: Threshold,
}

/// A criterion as written in a file or a form, checked by [`parse_criteria`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CriterionInput {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub value: Value,
}

fn text_value(field: Field, value: &str) -> String {
    match field {
        Field::Country => value.trim().to_ascii_uppercase(),
        Field::District => super::district_name(value),
        _ => value.trim().to_ascii_lowercase(),
    }
}

/// Checks criteria; errors name `prefix[i].field|op|value`. An unknown field or operator
/// is an error, never a criterion that silently passes.
pub fn parse_criteria(
    check: &mut Checker,
    prefix: &str,
    input: &[CriterionInput],
) -> Vec<Criterion> {
    if input.len() > CRITERIA_MAX {
        check.push_limit(prefix, "too_many", CRITERIA_MAX);
    }
    let mut out = Vec::new();
    for (i, c) in input.iter().enumerate() {
        let name = |part: &str| format!("{prefix}[{i}].{part}");
        let field = Field::from_code(c.field.trim());
        let op = Op::from_code(&c.op);
        if field.is_none() {
            check.push(name("field"), "unknown_field");
        }
        if op.is_none() {
            check.push(name("op"), "unknown_operator");
        }
        let (Some(field), Some(op)) = (field, op) else {
            continue;
        };
        let value = match (field.kind(), op, &c.value) {
            (Kind::Number, Op::Gte | Op::Lte | Op::Eq, Value::Number(n)) => n
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(Threshold::Number),
            (Kind::Flag, Op::Eq, Value::Bool(b)) => Some(Threshold::Flag(*b)),
            (Kind::Text, Op::Eq, Value::String(s)) if !s.trim().is_empty() => {
                Some(Threshold::Text(text_value(field, s)))
            }
            (Kind::Text, Op::OneOf | Op::NotOneOf, Value::Array(items)) if !items.is_empty() => {
                let list: Option<Vec<String>> = items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| text_value(field, s))
                    })
                    .collect();
                list.map(Threshold::List)
            }
            (Kind::Text, _, _) | (Kind::Flag, _, _) | (Kind::Number, _, _)
                if !matches!(
                    (field.kind(), op),
                    (Kind::Number, Op::Gte | Op::Lte | Op::Eq)
                        | (Kind::Flag, Op::Eq)
                        | (Kind::Text, Op::Eq | Op::OneOf | Op::NotOneOf)
                ) =>
            {
                check.push(name("op"), "operator_not_for_field");
                continue;
            }
            _ => None,
        };
        match value {
            Some(value) => out.push(Criterion { field, op, value }),
            None => check.push(name("value"), "invalid_value"),
        }
    }
    out
}

/// A company's profile, as the eligibility form and `POST /api/v1/eligibility` take it.
/// Every field is optional; a criterion on a missing field is reported as "not given".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub sector: Option<String>,
    pub employees: Option<f64>,
    pub annual_revenue_cny: Option<f64>,
    pub planned_investment_cny: Option<f64>,
    pub foreign_ownership_pct: Option<f64>,
    pub rd_spending_pct: Option<f64>,
    pub district: Option<String>,
    pub headquarters: Option<bool>,
    pub years_in_operation: Option<f64>,
    pub country: Option<String>,
    /// The reader's language for the explanations (`de`, `en`, `zh`, `fr`).
    pub language: Option<String>,
}

/// Largest number a profile field takes (a trillion yuan is far beyond any project).
pub const NUMBER_MAX: f64 = 1e13;
/// Largest share a per-cent field takes.
pub const PERCENT_MAX: f64 = 100.0;
/// Longest district name a profile gives.
pub const DISTRICT_MAX: usize = 100;

impl Profile {
    /// Checks the numbers' ranges and the codes; errors name the field.
    pub fn check(&self) -> Result<(), crate::validation::Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        for field in FIELDS.iter().copied().filter(|f| f.is_number()) {
            if let Some(v) = self.number(field) {
                let max = match field {
                    Field::ForeignOwnershipPct | Field::RdSpendingPct => PERCENT_MAX,
                    _ => NUMBER_MAX,
                };
                if !v.is_finite() || !(0.0..=max).contains(&v) {
                    check.push_limit(field.code(), "out_of_range", max as usize);
                }
            }
        }
        // A field not given is absent; one given must be a code of its list, exactly
        // as the list writes it (an empty text is no code).
        if let Some(s) = self.sector.as_deref() {
            if !crate::reference::is_industry(s) {
                check.push("sector", "unknown_industry");
            }
        }
        if let Some(c) = self.country.as_deref() {
            if crate::reference::country(c).is_none_or(|known| known.code != c) {
                check.push("country", "unknown_country");
            }
        }
        if let Some(l) = self.language.as_deref() {
            if !crate::Lang::ALL.iter().any(|lang| lang.code() == l) {
                check.push("language", "unknown_choice");
            }
        }
        if self
            .district
            .as_deref()
            .is_some_and(|d| d.chars().count() > DISTRICT_MAX)
        {
            check.push_limit("district", "too_long", DISTRICT_MAX);
        }
        check.finish(())
    }

    fn number(&self, field: Field) -> Option<f64> {
        match field {
            Field::Employees => self.employees,
            Field::AnnualRevenueCny => self.annual_revenue_cny,
            Field::PlannedInvestmentCny => self.planned_investment_cny,
            Field::ForeignOwnershipPct => self.foreign_ownership_pct,
            Field::RdSpendingPct => self.rd_spending_pct,
            Field::YearsInOperation => self.years_in_operation,
            _ => None,
        }
    }

    fn text(&self, field: Field) -> Option<String> {
        let v = match field {
            Field::Sector => self.sector.as_deref(),
            Field::District => self.district.as_deref(),
            Field::Country => self.country.as_deref(),
            _ => None,
        }?;
        Some(text_value(field, v)).filter(|s| !s.is_empty())
    }

    /// The profile's value of `field` as a reader sees it (numbers without needless
    /// decimals).
    pub fn shown(&self, field: Field) -> Option<String> {
        match field.kind() {
            Kind::Number => self.number(field).map(number_text),
            Kind::Text => self.text(field),
            Kind::Flag => self.headquarters.map(|b| b.to_string()),
        }
    }
}

/// A number as readers write it: no `.0`, thousands grouped with a thin space.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as i64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('\u{202f}');
            }
            out.push(c);
        }
        if v < 0.0 { format!("-{out}") } else { out }
    } else {
        format!("{v:.1}")
    }
}

/// How one criterion fares against a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The criterion's position among the policy's criteria.
    pub index: usize,
    pub met: bool,
    /// The profile's value, or `None` when the profile does not give it (shared by the
    /// checks of every policy on the same field).
    #[serde(serialize_with = "shown_text")]
    pub actual: Option<std::sync::Arc<str>>,
    /// For a failing number: how far off, in the field's unit (`15` employees short).
    pub gap: Option<f64>,
    /// For a failing number: the gap as a share of the threshold (0.3 = 30 % short).
    pub gap_share: Option<f64>,
}

fn shown_text<S: serde::Serializer>(
    value: &Option<std::sync::Arc<str>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(v),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Eligible,
    NearlyEligible,
    NotEligible,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::NearlyEligible => "nearly_eligible",
            Status::NotEligible => "not_eligible",
        }
    }
}

/// A policy's criteria against a profile: the status, every check, and a fit for ranking
/// (share of criteria met, less the failing gaps).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Status,
    pub fit: f64,
    pub checks: Vec<Check>,
}

impl Assessment {
    /// The criteria that are not met (failing, or not given by the profile).
    pub fn failing(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.met)
    }
}

/// A profile read once for many policies: numbers, normalised texts and what readers see,
/// by field.
struct Prepared {
    numbers: Vec<Option<f64>>,
    texts: Vec<Option<String>>,
    shown: Vec<Option<std::sync::Arc<str>>>,
    headquarters: Option<bool>,
}

fn prepare(profile: &Profile) -> Prepared {
    Prepared {
        numbers: FIELDS.iter().map(|f| profile.number(*f)).collect(),
        texts: FIELDS.iter().map(|f| profile.text(*f)).collect(),
        shown: FIELDS
            .iter()
            .map(|f| profile.shown(*f).map(std::sync::Arc::from))
            .collect(),
        headquarters: profile.headquarters,
    }
}

fn slot(field: Field) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or(0)
}

fn check_one(index: usize, c: &Criterion, p: &Prepared) -> Check {
    let at = slot(c.field);
    let actual = p.shown[at].clone();
    let mut gap = None;
    let mut gap_share = None;
    let met = match (&c.value, c.op) {
        (Threshold::Number(t), op) => match p.numbers[at] {
            None => false,
            Some(v) => {
                let (met, off) = match op {
                    Op::Gte => (v >= *t, t - v),
                    Op::Lte => (v <= *t, v - t),
                    _ => ((v - t).abs() < 1e-9, (v - t).abs()),
                };
                if !met {
                    gap = Some(off);
                    gap_share = Some(if *t > 0.0 { off / t } else { f64::INFINITY });
                }
                met
            }
        },
        (Threshold::Flag(b), _) => p.headquarters.map(|h| h == *b).unwrap_or(false),
        (Threshold::Text(t), _) => p.texts[at]
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(t)),
        (Threshold::List(list), op) => match p.texts[at].as_deref() {
            None => false,
            Some(v) => {
                let inside = list.iter().any(|x| x.eq_ignore_ascii_case(v));
                if op == Op::NotOneOf { !inside } else { inside }
            }
        },
    };
    Check {
        index,
        met,
        actual,
        gap,
        gap_share,
    }
}

/// Matches a profile against a policy's criteria. A policy without criteria is open to
/// everyone (eligible). "Nearly" means: at most [`NEARLY_MAX_FAILING`] criteria not met,
/// each either a number within [`NEARLY_SHARE`] of its threshold or a value the profile
/// does not give; any other failure makes it "not eligible".
pub fn assess(criteria: &[Criterion], profile: &Profile) -> Assessment {
    assess_prepared(criteria, &prepare(profile))
}

fn assess_prepared(criteria: &[Criterion], profile: &Prepared) -> Assessment {
    let checks: Vec<Check> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| check_one(i, c, profile))
        .collect();
    let failing: Vec<&Check> = checks.iter().filter(|c| !c.met).collect();
    let close = |c: &&Check| c.actual.is_none() || c.gap_share.is_some_and(|s| s <= NEARLY_SHARE);
    let status = if failing.is_empty() {
        Status::Eligible
    } else if failing.len() <= NEARLY_MAX_FAILING && failing.iter().all(close) {
        Status::NearlyEligible
    } else {
        Status::NotEligible
    };
    let total = checks.len().max(1) as f64;
    let met = checks.iter().filter(|c| c.met).count() as f64;
    let penalty: f64 = failing
        .iter()
        .map(|c| c.gap_share.unwrap_or(0.5).min(1.0))
        .sum::<f64>()
        / total;
    let fit = if checks.is_empty() {
        1.0
    } else {
        met / total - penalty * 0.5
    };
    Assessment {
        status,
        fit,
        checks,
    }
}

#[cfg(test)]
mod tests;

/// Every policy's criteria against one profile, best first: eligible, then nearly, then
/// not; within each, the better fit first (ties keep the given order). Returns each
/// policy's position in `policies` with its assessment.
pub fn rank<'a>(
    policies: impl IntoIterator<Item = &'a [Criterion]>,
    profile: &Profile,
) -> Vec<(usize, Assessment)> {
    let prepared = prepare(profile);
    let mut out: Vec<(usize, Assessment)> = policies
        .into_iter()
        .enumerate()
        .map(|(i, c)| (i, assess_prepared(c, &prepared)))
        .collect();
    // The position breaks ties, so an unstable sort keeps the given order.
    out.sort_unstable_by(|a, b| {
        a.1.status
            .cmp(&b.1.status)
            .then(b.1.fit.total_cmp(&a.1.fit))
            .then(a.0.cmp(&b.0))
    });
    out
}
