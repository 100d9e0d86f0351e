//! Request tracing: every request gets an id (`x-request-id`, taken from the request when a
//! proxy set one, else made here), every log line written while it runs carries it (the
//! request's span), and the response sends it back, so that a user's report can be
//! matched with the log. Kept to a header copy and a counter on the hot path: the span
//! costs nothing when INFO logging is off.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A prefix per process (ids stay unique across restarts) and a counter.
static PREFIX: LazyLock<String> = LazyLock::new(|| {
    roadshow_app::secrets::random_secret()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect()
});
static NEXT: AtomicU64 = AtomicU64::new(1);

fn new_id() -> Option<HeaderValue> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    // Made in place and handed over, not copied again: this runs for every request.
    HeaderValue::from_maybe_shared(bytes::Bytes::from(format!("{}-{n}", *PREFIX))).ok()
}

/// The request's id (the one it came with, else a new one), now also in its headers, and
/// the span every log line of the request is written in.
pub fn start(request: &mut Request) -> (Option<HeaderValue>, tracing::Span) {
    let id = match request.headers().get(&REQUEST_ID) {
        Some(given) if given.len() <= 100 => Some(given.clone()),
        _ => new_id(),
    };
    if let Some(id) = &id {
        request.headers_mut().insert(REQUEST_ID, id.clone());
    }
    let span = tracing::info_span!(
        "request",
        id = id.as_ref().and_then(|v| v.to_str().ok()).unwrap_or(""),
        method = %request.method(),
        path = request.uri().path(),
    );
    (id, span)
}

/// The id of a request answered without a span: the one it came with, else a new one.
pub fn id_of<B>(request: &axum::http::Request<B>) -> Option<HeaderValue> {
    match request.headers().get(&REQUEST_ID) {
        Some(given) if given.len() <= 100 => Some(given.clone()),
        _ => new_id(),
    }
}

/// Sends the id back with the response.
pub fn finish(response: &mut Response, id: Option<HeaderValue>) {
    if let Some(id) = id {
        response.headers_mut().insert(REQUEST_ID, id);
    }
}
