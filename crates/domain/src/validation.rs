//! Field-by-field validation errors with stable codes that the interface translates.

use serde::Serialize;

/// One field that is wrong, and why, as a stable snake_case code (`required`,
/// `too_long`, `invalid_email`...). `limit` carries the bound for length errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// Input that breaks one or more rules. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn field(field: impl Into<String>, code: &'static str) -> Self {
        Invalid(vec![FieldError {
            field: field.into(),
            code,
            limit: None,
        }])
    }
}

/// Collects field errors while parsing a form, so that every wrong field is reported at
/// once rather than one per submission.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.errors.push(FieldError {
            field: field.into(),
            code,
            limit: None,
        });
    }

    pub fn push_limit(&mut self, field: impl Into<String>, code: &'static str, limit: usize) {
        self.errors.push(FieldError {
            field: field.into(),
            code,
            limit: Some(limit),
        });
    }

    /// A trimmed required text of at most `max` characters.
    pub fn required(&mut self, field: &str, value: Option<&str>, max: usize) -> String {
        let value = value.unwrap_or("").trim();
        if value.is_empty() {
            self.push(field, "required");
        } else if value.chars().count() > max {
            self.push_limit(field, "too_long", max);
        }
        value.to_string()
    }

    /// A trimmed optional text of at most `max` characters; empty is `None`.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value.unwrap_or("").trim();
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > max {
            self.push_limit(field, "too_long", max);
        }
        Some(value.to_string())
    }

    /// An optional http(s) address of at most 500 characters.
    pub fn optional_url(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, 500)?;
        if !is_http_url(&value) {
            self.push(field, "invalid_url");
        }
        Some(value)
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when nothing was pushed, else every error at once.
    pub fn finish<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// An absolute http or https address with a host and no spaces or control characters.
pub fn is_http_url(value: &str) -> bool {
    let rest = if let Some(rest) = value.strip_prefix("https://") {
        rest
    } else if let Some(rest) = value.strip_prefix("http://") {
        rest
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(is_http_url("https://muster.example.de"));
        assert!(is_http_url("http://127.0.0.1:8080/x?y=1"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://a b.de"));
        assert!(!is_http_url("ftp://x.de"));
    }
}
