//! Request tracing: every request gets an id (`x-request-id`, taken from the request when a
//! proxy set one, else made here), every log line written while it runs carries it, and
//! the response sends it back, so a user's report can be matched with the log.

use axum::Router;
use axum::http::{HeaderName, Request};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Ids unique within this process and across restarts: a random prefix per process and a
/// counter.
#[derive(Clone)]
struct Ids {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.prefix)
            .parse()
            .ok()
            .map(RequestId::new)
    }
}

/// Wraps the router in the request-id and tracing layers.
pub fn layer<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let ids = Ids {
        prefix: roadshow_app::accounts::random_secret()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
            .into(),
        next: Arc::new(AtomicU64::new(1)),
    };
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<axum::body::Body>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!(
                    "request",
                    id = %id,
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, ids))
}
