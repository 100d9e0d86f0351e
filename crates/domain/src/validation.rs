//! Field-by-field validation errors with stable codes that the interface translates.

use crate::localized::Localized;
use serde::Serialize;

/// Longest slug, in characters.
pub const SLUG_MAX: usize = 80;
/// Longest web address, in characters.
pub const URL_MAX: usize = 500;

/// Slugs are what addresses are made of: lower-case letters, digits and single hyphens.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= SLUG_MAX
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--")
}

/// One field that is wrong, and why, as a stable snake_case code (`required`,
/// `too_long`, `invalid_email`...). `limit` carries the bound for length errors and the
/// upper bound of a range, `min` the lower bound of a range that does not start at 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<usize>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        FieldError {
            field: field.into(),
            code,
            limit: None,
            min: None,
        }
    }

    /// An error whose message names its bound (`too_long` at most `limit`).
    pub fn limited(field: impl Into<String>, code: &'static str, limit: usize) -> Self {
        FieldError {
            limit: Some(limit),
            ..FieldError::new(field, code)
        }
    }

    /// A number outside `min..=max` (`out_of_range`, "from {min} to {max}").
    pub fn range(field: impl Into<String>, min: usize, max: usize) -> Self {
        FieldError {
            min: Some(min),
            ..FieldError::limited(field, "out_of_range", max)
        }
    }
}

/// Input that breaks one or more rules. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn field(field: impl Into<String>, code: &'static str) -> Self {
        Invalid(vec![FieldError::new(field, code)])
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
        self.errors.push(FieldError::new(field, code));
    }

    pub fn push_limit(&mut self, field: impl Into<String>, code: &'static str, limit: usize) {
        self.errors.push(FieldError::limited(field, code, limit));
    }

    /// A number outside `min..=max`.
    pub fn push_range(&mut self, field: impl Into<String>, min: i64, max: i64) {
        self.errors.push(FieldError::range(
            field,
            usize::try_from(min).unwrap_or(0),
            usize::try_from(max).unwrap_or(0),
        ));
    }

    /// A trimmed required text of at most `max` characters. The limit is on the text as
    /// sent, spaces included, as the API's schema states it (`maxLength`).
    pub fn required(&mut self, field: &str, value: Option<&str>, max: usize) -> String {
        let raw = value.unwrap_or("");
        let value = raw.trim();
        if raw.chars().count() > max {
            self.push_limit(field, "too_long", max);
        } else if value.is_empty() {
            self.push(field, "required");
        }
        value.to_string()
    }

    /// A trimmed optional text of at most `max` characters as sent; empty is `None`.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let raw = value.unwrap_or("");
        if raw.chars().count() > max {
            self.push_limit(field, "too_long", max);
        }
        let value = raw.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// A text per language of at most `max` characters in each; `required`: in at least
    /// one language.
    pub fn localized(&mut self, field: &str, value: &Localized, max: usize, required: bool) {
        if required && value.is_empty() {
            self.push(field, "required");
        } else if value.max_chars() > max {
            self.push_limit(field, "too_long", max);
        }
    }

    /// An optional http(s) address of at most [`URL_MAX`] characters.
    pub fn optional_url(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, URL_MAX)?;
        if !is_http_url(&value) {
            self.push(field, "invalid_url");
        }
        Some(value)
    }

    /// Applies the one rule for control characters to every text of `input`, its map
    /// keys included: none is accepted (`control_character`), except tab and line breaks
    /// in the fields named in `multiline` (a name covers its languages and items, so
    /// `"description"` covers `description.de`). PostgreSQL cannot store NUL at all, and
    /// the others are invisible or break layouts, so both databases get the same text.
    pub fn control_characters<T: Serialize>(&mut self, input: &T, multiline: &[&str]) {
        if let Ok(value) = serde_json::to_value(input) {
            self.walk_controls(&value, String::new(), multiline);
        }
    }

    fn walk_controls(&mut self, value: &serde_json::Value, path: String, multiline: &[&str]) {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            }
        };
        match value {
            serde_json::Value::String(text) => {
                let lines_allowed = multiline
                    .iter()
                    .any(|m| path == *m || path.starts_with(&format!("{m}.")));
                if has_forbidden_control(text, lines_allowed) {
                    self.push(path, "control_character");
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_controls(item, join(&i.to_string()), multiline);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    if has_forbidden_control(key, false) {
                        self.push(join("key"), "control_character");
                    } else {
                        self.walk_controls(item, join(key), multiline);
                    }
                }
            }
            _ => {}
        }
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

/// Whether `text` holds a control character (Unicode category Cc: C0, DEL, C1) other
/// than tab and line breaks where `lines_allowed`.
pub fn has_forbidden_control(text: &str, lines_allowed: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(lines_allowed && matches!(c, '\t' | '\n' | '\r')))
}

/// An absolute http or https address with a host (a name, an IPv4 address or a bracketed
/// IPv6 address, with a port if any) and no spaces or control characters.
pub fn is_http_url(value: &str) -> bool {
    let rest = if let Some(rest) = value.strip_prefix("https://") {
        rest
    } else if let Some(rest) = value.strip_prefix("http://") {
        rest
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((inner, after)) => {
                if inner.parse::<std::net::Ipv6Addr>().is_err() {
                    return false;
                }
                (inner, after.strip_prefix(':'))
            }
            None => return false,
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    // A name is labels of letters (umlauts too: IDN names as typed), digits and inner
    // hyphens.
    let host_ok = !host.is_empty()
        && (authority.starts_with('[')
            || host.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().count() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            }));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    host_ok
        && port_ok
        && !authority.starts_with(':')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_named_and_lines_only_where_multiline() {
        #[derive(Serialize)]
        struct Sample {
            name: String,
            about: std::collections::BTreeMap<&'static str, String>,
            tags: Vec<String>,
        }
        let sample = |name: &str, about: &str, tag: &str| Sample {
            name: name.into(),
            about: [("de", about.to_string())].into_iter().collect(),
            tags: vec!["ok".into(), tag.into()],
        };
        let errors = |s: &Sample| {
            let mut c = Checker::new();
            c.control_characters(s, &["about"]);
            c.errors
                .iter()
                .map(|e| (e.field.clone(), e.code))
                .collect::<Vec<_>>()
        };
        assert!(errors(&sample("Erika \u{200f}Muster 🙂", "a\nb\tc\r\nd", "x")).is_empty());
        assert_eq!(
            errors(&sample("Eri\u{0}ka", "a\u{7f}", "x\ny")),
            vec![
                ("about.de".to_string(), "control_character"),
                ("name".to_string(), "control_character"),
                ("tags.1".to_string(), "control_character"),
            ]
        );
        assert!(has_forbidden_control("\u{85}", true), "C1 controls too");
    }

    #[test]
    fn a_text_is_measured_as_sent_and_stored_trimmed() {
        let mut c = Checker::new();
        assert_eq!(c.required("title", Some("  abc  "), 7), "abc");
        assert_eq!(c.optional("note", Some(" x "), 3).as_deref(), Some("x"));
        assert!(c.errors.is_empty());
        // Spaces count: the schema's maxLength is on the JSON string, not on what is kept.
        c.required("title", Some("  abc   "), 7);
        c.optional("note", Some("      "), 5);
        let codes: Vec<_> = c
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(codes, vec![("title", "too_long"), ("note", "too_long")]);
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(is_http_url("https://muster.example.de"));
        assert!(is_http_url("http://127.0.0.1:8080/x?y=1"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://a b.de"));
        assert!(!is_http_url("ftp://x.de"));
        assert!(is_http_url("http://[::1]:8080/x"));
        assert!(!is_http_url("https://[abc"), "an unclosed IPv6 host");
        assert!(!is_http_url("https://a]b"));
        assert!(!is_http_url("https://x.de:port"));
    }
}
