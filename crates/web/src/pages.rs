//! What every page shares: rendering templates (askama, escaped by default), the error
//! page, redirects, and safe return paths. Pages work without JavaScript; every form
//! carries a CSRF token (see [`crate::forms`]); every string comes from the catalogue.

use crate::AppState;
use crate::caller::Ctx;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use roadshow_app::AppError;

pub use crate::api::Id;

/// Renders a template to an HTML response.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// Renders with a status other than 200 (a form with errors is 422).
pub fn render_status<T: Template>(status: StatusCode, template: &T) -> Response {
    let mut response = render(template);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    status: u16,
    title: String,
    message: String,
}

/// The translated page for an error status.
pub fn render_error_page(ctx: &Ctx, status: StatusCode, code: &str) -> Response {
    let key = format!("problem-{}", code.replace('_', "-"));
    render_status(
        status,
        &ErrorPage {
            ctx,
            status: status.as_u16(),
            title: ctx.t(&key),
            message: ctx.t(&format!("{key}-help")),
        },
    )
}

/// Percent-encodes a query value.
pub fn encode_component(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative address on this site, or `/`: never an address elsewhere (`//x`, `https:`).
///
/// Browsers drop tabs and newlines from addresses and read `\\` as `/`, so a path is
/// kept only when every byte is a printable ASCII character that needs no such repair,
/// it does not begin with two slashes (or a slash and a backslash), names no scheme, and
/// its percent-decoded form begins in the same safe way.
pub fn safe_return_path(value: &str) -> String {
    fn plain(path: &str) -> bool {
        let bytes = path.as_bytes();
        bytes.first() == Some(&b'/')
            && !matches!(bytes.get(1), Some(b'/' | b'\\'))
            && bytes
                .iter()
                .all(|b| b.is_ascii_graphic() && !b"\\\"<>`{}|^".contains(b))
            && !path.contains("://")
    }
    // Some proxies decode before they resolve, so the decoded form must begin as safely.
    let decoded_start_safe = |decoded: String| {
        let mut chars = decoded.chars();
        chars.next() == Some('/')
            && chars
                .next()
                .is_none_or(|c| c != '/' && c != '\\' && !c.is_whitespace() && !c.is_control())
            && !decoded.contains("://")
    };
    if plain(value) && percent_decode(value).is_some_and(decoded_start_safe) {
        value.to_string()
    } else {
        "/".into()
    }
}

/// The bytes behind `%XX` escapes, as text; `None` when that is not UTF-8.
fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(((hex(h)? << 4) | hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A 303 redirect after a successful form.
pub fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(path) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// Any address no route serves.
pub async fn not_found(State(_state): State<AppState>) -> crate::error::Error {
    crate::error::Error(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn return_paths_stay_on_this_site() {
        for kept in [
            "/admin",
            "/events/two-zones-germany?lang=de#agenda",
            "/admin/events/3/questions?status=pending&q=a%20b",
            "/p/abc-DEF_123~x",
        ] {
            assert_eq!(safe_return_path(kept), kept, "{kept:?} should be kept");
        }
        for refused in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/\r\n/evil.example",
            "/%0d%0a/evil.example",
            "/%2f/evil.example",
            "/%2F%2Fevil.example",
            "/%5cevil.example",
            "/%5C%5Cevil.example",
            "/a\\b",
            "https://evil.example",
            "/x?u=https://evil.example",
            "javascript:alert(1)",
            "/ space",
            "/\u{0}",
            "/%00",
            "/%ff",
            "",
            "evil.example",
        ] {
            assert_eq!(
                safe_return_path(refused),
                "/",
                "{refused:?} should be refused"
            );
        }
    }
}
