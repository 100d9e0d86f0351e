//! Assignment rules: which officer a new lead goes to, by sector, district or country.

use crate::ids::*;
use crate::validation::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// What a rule assigns by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleField {
    Sector,
    District,
    Country,
}

impl RuleField {
    pub const ALL: &'static [RuleField] =
        &[RuleField::Sector, RuleField::District, RuleField::Country];
    pub fn code(self) -> &'static str {
        match self {
            RuleField::Sector => "sector",
            RuleField::District => "district",
            RuleField::Country => "country",
        }
    }
    pub fn parse(code: &str) -> Option<RuleField> {
        RuleField::ALL.iter().copied().find(|f| f.code() == code)
    }
}

/// "Leads whose sector is automotive go to officer 7". Rules are tried in order; the
/// first that matches gives the owner, none leaves the lead in the shared pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRule {
    pub field: RuleField,
    pub value: String,
    pub owner_id: AccountId,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// The most rules an agency keeps.
pub const MAX_RULES: usize = 200;

/// Checks a whole rule list; errors name the rule (`rules.2.value`).
pub fn parse_rules(
    input: &[RuleInput],
    officers: &[AccountId],
) -> Result<Vec<AssignmentRule>, Invalid> {
    let mut check = Checker::new();
    if input.len() > MAX_RULES {
        check.push_limit("rules", "too_many", MAX_RULES);
    }
    check.control_characters(&input, &[]);
    let mut rules = Vec::new();
    for (i, r) in input.iter().enumerate() {
        let field = r.field.as_deref().map(str::trim).unwrap_or("");
        let value = r.value.as_deref().map(str::trim).unwrap_or("");
        let Some(f) = RuleField::parse(field) else {
            check.push(
                format!("rules.{i}.field"),
                if field.is_empty() {
                    "required"
                } else {
                    "unknown_choice"
                },
            );
            continue;
        };
        let value = match f {
            RuleField::Country => value.to_ascii_uppercase(),
            _ => value.to_string(),
        };
        let known = match f {
            RuleField::Sector => crate::reference::is_industry(&value),
            RuleField::District => crate::surveys::is_district(&value),
            RuleField::Country => crate::reference::country(&value).is_some(),
        };
        if value.is_empty() {
            check.push(format!("rules.{i}.value"), "required");
        } else if !known {
            check.push(format!("rules.{i}.value"), "unknown_choice");
        }
        match r.owner_id.map(AccountId) {
            Some(o) if officers.contains(&o) => rules.push(AssignmentRule {
                field: f,
                value,
                owner_id: o,
            }),
            Some(_) => check.push(format!("rules.{i}.owner_id"), "unknown_choice"),
            None => check.push(format!("rules.{i}.owner_id"), "required"),
        }
    }
    check.finish(rules)
}

/// The owner the first matching rule gives a new lead, if any.
pub fn assign(
    rules: &[AssignmentRule],
    sector: Option<&str>,
    districts: &[String],
    country: &str,
) -> Option<AccountId> {
    rules
        .iter()
        .find(|r| match r.field {
            RuleField::Sector => sector == Some(r.value.as_str()),
            RuleField::District => districts.contains(&r.value),
            RuleField::Country => country.eq_ignore_ascii_case(&r.value),
        })
        .map(|r| r.owner_id)
}
