use super::*;
use proptest::prelude::*;
use serde_json::json;

fn criteria(value: Value) -> Vec<Criterion> {
    let input: Vec<CriterionInput> = serde_json::from_value(value).unwrap();
    let mut check = Checker::new();
    let out = parse_criteria(&mut check, "criteria", &input);
    check.finish(out).unwrap()
}

fn example() -> Profile {
    serde_json::from_value(json!({"sector":"smart-manufacturing","employees":120,"annual_revenue_cny":80000000,"planned_investment_cny":50000000,"foreign_ownership_pct":100,"rd_spending_pct":6,"district":"Shunyi","headquarters":false,"years_in_operation":12,"language":"de"})).unwrap()
}

#[test]
fn the_documented_profile_is_accepted() {
    assert!(example().check().is_ok());
    let bad: Profile = serde_json::from_value(
        json!({"employees": -3, "foreign_ownership_pct": 140, "sector": "weapons"}),
    )
    .unwrap();
    let err = bad.check().unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["employees", "foreign_ownership_pct", "sector"]);
}

#[test]
fn unknown_fields_and_operators_are_errors_never_a_pass() {
    let input: Vec<CriterionInput> = serde_json::from_value(json!([
        {"field": "employes", "op": "gte", "value": 50},
        {"field": "employees", "op": "about", "value": 50},
        {"field": "employees", "op": "one_of", "value": ["50"]},
        {"field": "district", "op": "gte", "value": "Shunyi"},
        {"field": "employees", "op": "≥", "value": "fifty"},
        {"field": "district", "op": "in", "value": ["Shunyi", "Daxing"]}
    ]))
    .unwrap();
    let mut check = Checker::new();
    let out = parse_criteria(&mut check, "criteria", &input);
    let err = check.finish(out).unwrap_err();
    let got: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("criteria[0].field", "unknown_field"),
            ("criteria[1].op", "unknown_operator"),
            ("criteria[2].op", "operator_not_for_field"),
            ("criteria[3].op", "operator_not_for_field"),
            ("criteria[4].value", "invalid_value"),
        ]
    );
}

#[test]
fn nearly_eligible_says_what_fails_and_by_how_much() {
    let c = criteria(json!([
        {"field": "employees", "op": ">=", "value": 50},
        {"field": "district", "op": "one_of", "value": ["Shunyi", "Daxing"]}
    ]));
    let mut profile = example();
    profile.employees = Some(35.0);
    let a = assess(&c, &profile);
    assert_eq!(a.status, Status::NearlyEligible);
    let failing: Vec<_> = a.failing().collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(c[failing[0].index].field, Field::Employees);
    assert_eq!(failing[0].gap, Some(15.0));
    assert_eq!(failing[0].actual.as_deref(), Some("35"));
    profile.employees = Some(10.0);
    assert_eq!(assess(&c, &profile).status, Status::NotEligible);
    profile.employees = Some(50.0);
    assert_eq!(assess(&c, &profile).status, Status::Eligible);
    profile.district = Some("Haidian".into());
    assert_eq!(assess(&c, &profile).status, Status::NotEligible);
    // "Shunyi district" and "shunyi" name the same district.
    profile.district = Some("Shunyi district".into());
    assert_eq!(assess(&c, &profile).status, Status::Eligible);
}

#[test]
fn a_missing_value_is_nearly_and_named() {
    let c = criteria(json!([{"field": "headquarters", "op": "eq", "value": true}]));
    let a = assess(&c, &Profile::default());
    assert_eq!(a.status, Status::NearlyEligible);
    assert_eq!(a.failing().next().map(|c| c.actual.clone()), Some(None));
    let mut p = example();
    assert_eq!(assess(&c, &p).status, Status::NotEligible);
    p.headquarters = Some(true);
    assert_eq!(assess(&c, &p).status, Status::Eligible);
}

#[test]
fn no_criteria_is_open_to_all_and_ranks_high() {
    let a = assess(&[], &Profile::default());
    assert_eq!(a.status, Status::Eligible);
    assert!(a.fit >= 1.0);
}

#[test]
fn numbers_read_as_people_write_them() {
    assert_eq!(number_text(80_000_000.0), "80\u{202f}000\u{202f}000");
    assert_eq!(number_text(35.0), "35");
    assert_eq!(number_text(6.5), "6.5");
}

fn numeric_field() -> impl Strategy<Value = Field> {
    prop::sample::select(vec![
        Field::Employees,
        Field::AnnualRevenueCny,
        Field::PlannedInvestmentCny,
        Field::ForeignOwnershipPct,
        Field::RdSpendingPct,
        Field::YearsInOperation,
    ])
}

fn numeric_criterion() -> impl Strategy<Value = Criterion> {
    (
        numeric_field(),
        prop::sample::select(vec![Op::Gte, Op::Lte]),
        0u32..1000,
    )
        .prop_map(|(field, op, v)| Criterion {
            field,
            op,
            value: Threshold::Number(f64::from(v)),
        })
}

fn set(profile: &mut Profile, field: Field, v: f64) {
    match field {
        Field::Employees => profile.employees = Some(v),
        Field::AnnualRevenueCny => profile.annual_revenue_cny = Some(v),
        Field::PlannedInvestmentCny => profile.planned_investment_cny = Some(v),
        Field::ForeignOwnershipPct => profile.foreign_ownership_pct = Some(v),
        Field::RdSpendingPct => profile.rd_spending_pct = Some(v),
        Field::YearsInOperation => profile.years_in_operation = Some(v),
        _ => {}
    }
}

proptest! {
    /// A profile built to meet every criterion is eligible.
    #[test]
    fn meeting_every_criterion_is_eligible(c in prop::collection::vec(numeric_criterion(), 0..6)) {
        // One field, one criterion, so a profile can meet them all.
        let mut seen = std::collections::HashSet::new();
        let c: Vec<Criterion> = c.into_iter().filter(|x| seen.insert(x.field)).collect();
        let mut profile = Profile::default();
        for x in &c {
            if let Threshold::Number(t) = x.value {
                set(&mut profile, x.field, t);
            }
        }
        prop_assert_eq!(assess(&c, &profile).status, Status::Eligible);
    }

    /// Moving a value towards what the criteria ask never makes the answer worse.
    #[test]
    fn loosening_never_makes_it_worse(
        c in prop::collection::vec(numeric_criterion(), 1..6),
        values in prop::collection::vec(0u32..1200, 6),
        pick in 0usize..6,
        towards in 0u32..1200,
    ) {
        let fields = [Field::Employees, Field::AnnualRevenueCny, Field::PlannedInvestmentCny, Field::ForeignOwnershipPct, Field::RdSpendingPct, Field::YearsInOperation];
        let mut before = Profile::default();
        for (f, v) in fields.iter().zip(&values) {
            set(&mut before, *f, f64::from(*v));
        }
        let field = fields[pick];
        let current = f64::from(values[pick]);
        // Loosen: move the value in the direction every criterion on that field prefers,
        // or leave it when they disagree.
        let wants_up = c.iter().filter(|x| x.field == field).all(|x| x.op == Op::Gte);
        let wants_down = c.iter().filter(|x| x.field == field).all(|x| x.op == Op::Lte);
        let moved = if wants_up { current + f64::from(towards) } else if wants_down { (current - f64::from(towards)).max(0.0) } else { current };
        let mut after = before.clone();
        set(&mut after, field, moved);
        let (b, a) = (assess(&c, &before), assess(&c, &after));
        prop_assert!(a.status <= b.status, "{:?} -> {:?}", b.status, a.status);
    }

    /// "Nearly" lists exactly the criteria that fail.
    #[test]
    fn nearly_lists_exactly_the_failing(c in prop::collection::vec(numeric_criterion(), 1..6), values in prop::collection::vec(0u32..1200, 6)) {
        let fields = [Field::Employees, Field::AnnualRevenueCny, Field::PlannedInvestmentCny, Field::ForeignOwnershipPct, Field::RdSpendingPct, Field::YearsInOperation];
        let mut profile = Profile::default();
        for (f, v) in fields.iter().zip(&values) {
            set(&mut profile, *f, f64::from(*v));
        }
        let a = assess(&c, &profile);
        let failing: Vec<&Criterion> = a.failing().map(|x| &c[x.index]).collect();
        let expected: Vec<&Criterion> = c.iter().filter(|x| {
            let v = match x.field { Field::Employees => values[0], Field::AnnualRevenueCny => values[1], Field::PlannedInvestmentCny => values[2], Field::ForeignOwnershipPct => values[3], Field::RdSpendingPct => values[4], _ => values[5] };
            let Threshold::Number(t) = x.value else { return true };
            let v = f64::from(v);
            !(if x.op == Op::Gte { v >= t } else { v <= t })
        }).collect();
        prop_assert_eq!(&failing, &expected);
        if a.status == Status::NearlyEligible {
            prop_assert!(!failing.is_empty() && failing.len() <= NEARLY_MAX_FAILING);
        }
        prop_assert_eq!(a.status == Status::Eligible, failing.is_empty());
    }
}
