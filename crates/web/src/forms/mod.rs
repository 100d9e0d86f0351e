//! Forms on pages: the submitted fields, the CSRF check every state-changing form passes,
//! and what a form shows again after a failed submission (the values typed and the
//! errors by field, translated).

use crate::AppState;
use crate::caller::Ctx;
use crate::error::{Error, field_message};
use axum::extract::{FromRequest, FromRequestParts, Request};
use roadshow_app::AppError;
use roadshow_domain::FieldError;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

mod decode;
pub use decode::NOT_A_NUMBER;

/// A submitted form (`application/x-www-form-urlencoded`) whose CSRF token has been
/// checked against the caller's: a handler that takes it never sees a forged post.
pub struct Form(pub FormData);

impl FromRequest<AppState> for Form {
    type Rejection = Error;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Error> {
        let (mut parts, body) = request.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|_| Error(AppError::invalid("form", "malformed_form")))?;
        let data = FormData(fields);
        check_csrf(&ctx, &data)?;
        Ok(Form(data))
    }
}

/// One choice of a select or a list of checkboxes.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The fields of a submitted form.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The form read as the input type the API takes for the same action (see
    /// [`decode`]): one reading for every form, its field errors named as the API's.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        decode::decode(&self.0)
    }

    /// The form without the fields a page adds for itself (where to return, which
    /// button was pressed), for an input that refuses fields it does not know.
    pub fn without(&self, names: &[&str]) -> FormData {
        FormData(
            self.0
                .iter()
                .filter(|(k, _)| !names.contains(&k.as_str()))
                .cloned()
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The field's value, empty when absent (for templates).
    pub fn value(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// `name.de`, `name.en`... as a per-language text.
    pub fn localized(&self, name: &str) -> roadshow_domain::Localized {
        roadshow_domain::Localized::from_pairs(
            roadshow_domain::Lang::ALL
                .into_iter()
                .filter_map(|l| self.get(&format!("{name}.{}", l.code())).map(|v| (l, v))),
        )
    }
}

/// Refuses a form whose CSRF token is not this visitor's or this session's.
pub fn check_csrf(ctx: &Ctx, form: &FormData) -> Result<(), Error> {
    match form.get("csrf") {
        Some(token) if ctx.csrf_matches(token) => Ok(()),
        _ => Err(Error(AppError::Forbidden)),
    }
}

pub(crate) use roadshow_app::secrets::constant_time_eq;

/// What a form shows again after a failed submission: the values typed and the errors
/// by field, translated.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub multi: HashMap<String, Vec<String>>,
    pub errors: Vec<(String, String)>,
}

impl FormState {
    pub fn from_data(data: &FormData) -> FormState {
        let mut state = FormState::default();
        for (k, v) in &data.0 {
            state.multi.entry(k.clone()).or_default().push(v.clone());
            state.values.insert(k.clone(), v.clone());
        }
        state
    }

    pub fn with_errors(mut self, ctx: &Ctx, errors: &[FieldError]) -> FormState {
        self.errors = errors
            .iter()
            .map(|e| (e.field.clone(), field_message(ctx.lang, e)))
            .collect();
        self
    }

    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.multi
            .get(name)
            .is_some_and(|v| v.iter().any(|x| x == value))
    }

    pub fn selected(&self, name: &str, value: &str) -> bool {
        self.values.get(name).is_some_and(|v| v == value)
    }

    /// The error of a field (or of any of its sub-fields, such as `title` for `title.de`).
    pub fn error(&self, name: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == name || f.starts_with(&format!("{name}.")))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn has_error(&self, name: &str) -> bool {
        !self.error(name).is_empty()
    }

    /// The id of a field's input, for links from the error summary.
    pub fn anchor(&self, name: &str) -> String {
        match name {
            "title" | "theme" | "description" | "name" | "summary" | "presenter" | "role"
            | "question" | "options" | "district" | "issuing_body" | "region" | "body"
                if !self.values.contains_key(name) =>
            {
                format!("{}-de", name)
            }
            _ => name.replace('.', "-"),
        }
    }

    /// The id of a field's error text, for `aria-describedby`.
    pub fn error_id(&self, name: &str) -> String {
        format!("{}-error", name.replace('.', "-"))
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        self.multi.insert(name.to_string(), vec![value.clone()]);
        self.values.insert(name.to_string(), value);
    }

    pub fn set_many(&mut self, name: &str, values: Vec<String>) {
        if let Some(first) = values.first() {
            self.values.insert(name.to_string(), first.clone());
        }
        self.multi.insert(name.to_string(), values);
    }
}

impl FormData {
    /// A whole number (an id, a count): `None` when the field is missing or empty; a value
    /// that is not a number is a named 422, never taken for something else.
    pub fn number(&self, name: &str) -> Result<Option<i64>, AppError> {
        match self.get(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::invalid(name, "invalid_number")),
        }
    }

    /// Every value of a repeated number field (checkboxes of ids).
    pub fn numbers(&self, name: &str) -> Result<Vec<i64>, AppError> {
        self.all(name)
            .iter()
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| AppError::invalid(name, "invalid_number"))
            })
            .collect()
    }

    /// The form to show again after `err`: what was typed, with the errors by field in
    /// the caller's language. An error that is not about the fields (not found, not
    /// allowed...) is passed on to the error layer instead.
    pub fn refill(&self, ctx: &Ctx, err: AppError) -> Result<FormState, Error> {
        let fields = form_errors(err)?;
        Ok(FormState::from_data(self).with_errors(ctx, &fields))
    }
}

/// Splits an invalid-input error into field errors for a form; other errors pass on.
pub fn form_errors(err: AppError) -> Result<Vec<FieldError>, AppError> {
    match err {
        AppError::Invalid(fields) => Ok(fields),
        AppError::Conflict(code) => Ok(vec![FieldError::new("form", code)]),
        other => Err(other),
    }
}
