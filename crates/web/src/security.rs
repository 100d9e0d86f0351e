//! What every request and response passes through: security headers, the rate limit on
//! writes, the cross-origin check for forms, and the visitor's CSRF and language cookies.

use crate::AppState;
use crate::caller::{CSRF_COOKIE, LANG_COOKIE};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub(crate) const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A form posted from another site is refused: browsers send `Origin` with every POST,
/// and it must name this host. (The CSRF token is checked too; this stops the request
/// before it reaches a handler.)
fn cross_origin(request: &Request) -> bool {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    origin == "null" || origin_host != host
}

pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // The language also tells whether `?lang=` chose it, to remember it in a cookie below.
    let (lang, lang_chosen) = crate::caller::negotiate_lang(request.uri(), request.headers());
    let public_key = crate::public_cache::key(&request, lang);
    // An anonymous GET of a public page may be answered from what was rendered already:
    // the request keeps its id, and nothing else is needed (no span, no handler). `serve`
    // asks before the router; this is for a router served otherwise (and metrics on).
    if let Some(kept) = public_key
        .as_deref()
        .and_then(|key| crate::public_cache::kept(&state, &request, key))
    {
        return kept;
    }
    crate::proxies::rewrite(&mut request, &state.trusted_proxies);
    let generation = state.app.page_generation();
    let (id, span) = crate::trace::start(&mut request);
    let mut response = guarded(
        &state,
        request,
        next,
        lang,
        lang_chosen,
        public_key,
        generation,
    )
    .instrument(span)
    .await;
    crate::trace::finish(&mut response, id);
    response
}

async fn guarded(
    state: &AppState,
    mut request: Request,
    next: Next,
    lang: roadshow_domain::Lang,
    lang_chosen: bool,
    public_key: Option<String>,
    generation: u64,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let secure = state.app.config.base_url.starts_with("https://");
    let conditional = public_key
        .as_ref()
        .and_then(|_| request.headers().get(header::IF_NONE_MATCH).cloned());
    if is_write(request.method()) {
        let client = crate::caller::client_address(request.extensions());
        if let Err(error) = state.app.check_write_rate(&client).await {
            // Before any handler runs, so a problem document (with Retry-After) for pages too.
            return crate::error::problem_of(&error, lang, None);
        }
        if !is_api && cross_origin(&request) {
            return crate::error::problem(StatusCode::FORBIDDEN, "cross_origin", lang, None);
        }
    }
    // Beyond its class's places a request is refused at once: 503 with Retry-After, held
    // until the answer is made.
    let _place = match state.capacity.admit(crate::overload::class(&request)) {
        Some(place) => place,
        None => {
            let busy =
                roadshow_app::AppError::Busy("too many requests of this kind at once".into());
            return crate::error::problem_of(&busy, lang, None);
        }
    };
    // A visitor without a CSRF cookie is given one if the page shows a form (see CsrfIssue).
    let csrf_issue = crate::caller::CsrfIssue::default();
    request.extensions_mut().insert(csrf_issue.clone());
    let reader = crate::error::Reader::of(&request);
    let response = next.run(request).await;
    let mut response = crate::error::write(state, reader, response).await;
    let headers = response.headers_mut();
    let flags = if secure { "; Secure" } else { "" };
    if let Some(value) = csrf_issue.used() {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{flags}"
        )) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    // Only a page remembers the language: downloading a PDF in Chinese leaves the reader's
    // interface in theirs.
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if lang_chosen && !is_api && is_page {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{flags}",
            lang.code()
        )) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Served over https (behind a proxy that ends TLS): browsers keep to https for a year.
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    // A page that shows a stream sets its own policy (the embeds' hosts; see
    // broadcast::player::csp); every other page gets the default.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    match public_key {
        Some(key) => {
            state
                .public
                .keep(&key, generation, conditional.as_ref(), response)
                .await
        }
        None => response,
    }
}
