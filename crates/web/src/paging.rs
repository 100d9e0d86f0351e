//! The query of every paged list in the API (`?after=&limit=`), read the same way
//! everywhere; a list's answer carries `next_after`, the `after` of the page that follows.

use crate::schema;
use roadshow_app::AppError;
use roadshow_domain::paging::{PAGE_DEFAULT, PAGE_MAX, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::Object;

/// A page of a list: the first, or the one after an item.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_after` of the page before; empty for the first page.
    #[param(schema_with = after)]
    pub after: Option<String>,
    /// Items per page: 1 to 500, 100 when empty.
    #[param(schema_with = limit)]
    pub limit: Option<String>,
}

fn after() -> Object {
    schema::string()
        .pattern(Some("^([0-9]{1,18})?$"))
        .description(Some("An id from `next_after`; empty for the first page"))
        .build()
}

fn limit() -> Object {
    // The pattern spells 1..=PAGE_MAX and the default in digits.
    const _: () = assert!(PAGE_MAX == 500 && PAGE_DEFAULT == 100);
    schema::string()
        .pattern(Some("^([1-9][0-9]?|[1-4][0-9]{2}|500)?$"))
        .description(Some("1 to 500; 100 when empty"))
        .build()
}

impl PageQuery {
    /// The page asked for; a cursor or size that is not a usable number is named.
    pub fn read(&self) -> Result<PageRequest, AppError> {
        let number = |v: &Option<String>, field: &str| -> Result<Option<i64>, AppError> {
            // Exactly digits, as the document's pattern says: white space is not a number.
            match v.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(n) => n
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| AppError::invalid(field, "invalid_number")),
            }
        };
        let after = number(&self.after, "after")?;
        let limit = number(&self.limit, "limit")?
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map(|n| n.min(PAGE_MAX + 1));
        PageRequest::new(after, limit).map_err(|e| AppError::Invalid(vec![e]))
    }
}

/// The "first page" and "next page" links under a staff page's list; the page size asked
/// for is kept.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub first: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `path`: the page's address; `query`: its other parameters, encoded (may be empty);
    /// `anchor`: where on the page the list is (may be empty).
    pub fn new(
        path: &str,
        query: &str,
        anchor: &str,
        request: PageRequest,
        next: Option<i64>,
    ) -> Self {
        let href = |after: Option<i64>| {
            let mut parts: Vec<String> = Some(query)
                .filter(|q| !q.is_empty())
                .map(str::to_string)
                .into_iter()
                .collect();
            parts.extend(after.map(|a| format!("after={a}")));
            if request.limit != PAGE_DEFAULT {
                parts.push(format!("limit={}", request.limit));
            }
            match parts.is_empty() {
                true => format!("{path}{anchor}"),
                false => format!("{path}?{}{anchor}", parts.join("&")),
            }
        };
        Pager {
            first: request.after.is_some().then(|| href(None)),
            next: next.map(|n| href(Some(n))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(after: &str, limit: &str) -> Result<PageRequest, AppError> {
        PageQuery {
            after: Some(after.to_string()),
            limit: Some(limit.to_string()),
        }
        .read()
    }

    #[test]
    fn a_cursor_and_a_size_are_digits_or_nothing() {
        assert_eq!(
            read("", "").map(|p| (p.after, p.limit)).ok(),
            Some((None, PAGE_DEFAULT))
        );
        assert_eq!(
            read("42", "7").map(|p| (p.after, p.limit)).ok(),
            Some((Some(42), 7))
        );
        // White space is not a number, as the document's pattern says.
        for (after, limit) in [("\n", ""), (" 5", ""), ("", " "), ("", "7\n")] {
            assert!(read(after, limit).is_err(), "{after:?} {limit:?}");
        }
        assert!(read("", "501").is_err());
    }
}
