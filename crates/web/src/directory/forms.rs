//! What the organiser's directory forms share: the choice lists, per-language fields,
//! decimals, the rows of the lists, and the policy form's criteria: rows of field,
//! operator and value, named `criteria[0].field` and so on, so that errors come back to
//! the row they are about.

use crate::caller::Ctx;
use crate::forms::{Choice, FormData, FormState};
use crate::views::{LText, industry_label};
use roadshow_app::AppError;
use roadshow_domain::directory::eligibility::{
    Criterion, CriterionInput, FIELDS, Field, Op, Threshold,
};
use roadshow_domain::reference::INDUSTRIES;
use roadshow_domain::{Lang, Localized};
use serde_json::Value;

/// Empty rows the form always offers for new criteria.
const SPARE_ROWS: usize = 3;
/// Most rows a form is read for.
const ROWS_MAX: usize = 20;

pub fn criterion_fields(ctx: &Ctx) -> Vec<Choice> {
    FIELDS
        .iter()
        .map(|f| Choice {
            value: f.code().to_string(),
            label: ctx.t(&format!("profile-{}", f.code().replace('_', "-"))),
        })
        .collect()
}

pub fn criterion_ops(ctx: &Ctx) -> Vec<Choice> {
    [Op::Gte, Op::Lte, Op::Eq, Op::OneOf, Op::NotOneOf]
        .iter()
        .map(|o| Choice {
            value: o.code().to_string(),
            label: ctx.t(&format!("op-{}", o.code().replace('_', "-"))),
        })
        .collect()
}

/// The row numbers the form shows: those filled in, then a few empty ones.
pub fn criteria_rows(form: &FormState) -> Vec<usize> {
    let used = (0..ROWS_MAX)
        .rev()
        .find(|i| !form.value(&format!("criteria[{i}].field")).is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    (0..(used + SPARE_ROWS).min(ROWS_MAX)).collect()
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "ja" | "oui" | "是" | "1" => Some(true),
        "false" | "no" | "nein" | "non" | "否" | "0" => Some(false),
        _ => None,
    }
}

/// The criteria of the form's filled rows; a value that does not fit its field is passed
/// on as text, for the domain to name the error.
pub fn criteria_input(data: &FormData) -> Vec<CriterionInput> {
    let mut out = Vec::new();
    for i in 0..ROWS_MAX {
        let field = data.value(&format!("criteria[{i}].field"));
        if field.trim().is_empty() {
            continue;
        }
        let op = data.value(&format!("criteria[{i}].op"));
        let raw = data.value(&format!("criteria[{i}].value"));
        let kind = Field::from_code(field.trim());
        let value = match (kind, Op::from_code(&op)) {
            (_, Some(Op::OneOf | Op::NotOneOf)) => Value::Array(
                raw.split([',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            (Some(f), _) if f.is_number() => raw
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or(Value::String(raw.clone())),
            (Some(Field::Headquarters), _) => flag(&raw)
                .map(Value::Bool)
                .unwrap_or(Value::String(raw.clone())),
            _ => Value::String(raw.trim().to_string()),
        };
        out.push(CriterionInput { field, op, value });
    }
    out
}

/// Fills the rows from a policy's criteria.
pub fn set_criteria(form: &mut FormState, criteria: &[Criterion]) {
    for (i, c) in criteria.iter().enumerate() {
        form.set(&format!("criteria[{i}].field"), c.field.code());
        form.set(&format!("criteria[{i}].op"), c.op.code());
        let value = match &c.value {
            Threshold::Number(n) => {
                roadshow_domain::directory::eligibility::number_text(*n).replace('\u{202f}', "")
            }
            Threshold::Flag(b) => b.to_string(),
            Threshold::Text(t) => t.clone(),
            Threshold::List(l) => l.join(", "),
        };
        form.set(&format!("criteria[{i}].value"), value);
    }
}

pub fn industry_choices(ctx: &Ctx) -> Vec<Choice> {
    INDUSTRIES
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: industry_label(ctx, c),
        })
        .collect()
}

/// Sets `name.de`, `name.en`… of a form from a per-language text.
pub fn set_localized(form: &mut FormState, name: &str, value: &Localized) {
    for lang in Lang::ALL {
        form.set(&format!("{name}.{lang}"), value.exact(lang));
    }
}

/// A decimal field (a decimal comma is read as a point): empty is none; a value that is not
/// a number is a named 422.
pub fn decimal(data: &FormData, name: &str) -> Result<Option<f64>, AppError> {
    match data.get(name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .replace(',', ".")
            .parse::<f64>()
            .map(Some)
            .map_err(|_| AppError::invalid(name, "invalid_number")),
    }
}

/// Where a saved item is shown: the page of the organisers' list that starts with it
/// (lists are paged in id order, so the page after the id before it).
pub fn saved_at(list: &str, kind: &str, id: i64) -> String {
    format!("{list}?after={}#{kind}-{id}", id - 1)
}

/// A row of an organiser's list of parks, policies or stories.
pub struct ItemRow {
    pub id: i64,
    pub slug: String,
    pub title: LText,
    pub detail: String,
    pub is_sample: bool,
    pub archived: bool,
}

/// The editing item's state for the archive, delete and versions controls.
pub struct Editing {
    pub id: i64,
    pub archived: bool,
    pub version: i64,
}
