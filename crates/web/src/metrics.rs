//! `/metrics` in the Prometheus text format, through the `metrics` facade and its
//! Prometheus exporter (no listener of its own: the router serves the rendering).
//!
//! Off unless the operator turns it on (`metrics = true`): then the recorder is
//! installed once per process, every request is counted by route, method and status with
//! its latency, and the answer is given to loopback callers, or to anyone with the
//! configured bearer token. Without the recorder the recording macros do nothing.

use crate::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Latency buckets, in seconds: from a cached page to a slow export.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Installs the process's recorder (once); `None` if another recorder was installed.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(
        "roadshow_http_requests_total",
        "Requests answered, by route, method and status"
    );
    metrics::describe_histogram!(
        "roadshow_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time to answer a request (live streams excluded), by route and method"
    );
    metrics::describe_counter!(
        "roadshow_refused_total",
        "Requests refused by a limit: rate (429) or overload (503)"
    );
    metrics::describe_gauge!(
        "roadshow_live_followers",
        "Live streams followed in this process"
    );
    metrics::describe_histogram!(
        "roadshow_live_delivery_seconds",
        metrics::Unit::Seconds,
        "From a change's signal to its frames handed to this process's followers"
    );
    metrics::describe_gauge!("roadshow_outbox_waiting", "Emails waiting for delivery");
    metrics::describe_gauge!(
        "roadshow_outbox_oldest_waiting_seconds",
        "Age of the oldest email waiting"
    );
    metrics::describe_gauge!("roadshow_outbox_failed", "Emails given up on");
    metrics::describe_gauge!(
        "roadshow_db_connections",
        "Database connections open, by pool and state"
    );
    metrics::describe_gauge!(
        "roadshow_in_flight",
        "Capped requests being served, by class"
    );
    metrics::describe_histogram!(
        "roadshow_search_seconds",
        metrics::Unit::Seconds,
        "Directory searches"
    );
    metrics::describe_histogram!(
        "roadshow_schedule_seconds",
        metrics::Unit::Seconds,
        "Scheduler runs"
    );
}

/// Counts and times every request (added to the router only when metrics are on).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    let streaming = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if !streaming {
        metrics::histogram!("roadshow_http_request_duration_seconds", "route" => route.clone(), "method" => method.clone())
            .record(started.elapsed().as_secs_f64());
    }
    metrics::counter!("roadshow_http_requests_total", "route" => route, "method" => method, "status" => status.as_str().to_string())
        .increment(1);
    match status {
        StatusCode::TOO_MANY_REQUESTS => {
            metrics::counter!("roadshow_refused_total", "limit" => "rate").increment(1)
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            metrics::counter!("roadshow_refused_total", "limit" => "overload").increment(1)
        }
        _ => {}
    }
    response
}

/// `GET /metrics`: 404 when off; loopback or the bearer token when on.
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let config = &state.app.config;
    let Some(handle) = config.metrics.then(install).flatten() else {
        return crate::error::Error(roadshow_app::AppError::NotFound).into_response();
    };
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ci| ci.0.ip().is_loopback());
    let token_ok = config.metrics_token.as_deref().is_some_and(|token| {
        request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::forms::constant_time_eq(given.as_bytes(), token.as_bytes()))
    });
    if !loopback && !token_ok {
        return (
            StatusCode::FORBIDDEN,
            "metrics: loopback or the bearer token only\n",
        )
            .into_response();
    }
    gauges(&state).await;
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// The gauges read when scraped.
async fn gauges(state: &AppState) {
    let app = &state.app;
    metrics::gauge!("roadshow_live_followers").set(app.live().live_hub().followers() as f64);
    if let Ok(facts) = app.store.facts().await {
        metrics::gauge!("roadshow_outbox_waiting").set(facts.emails_waiting as f64);
        metrics::gauge!("roadshow_outbox_failed").set(facts.emails_failed as f64);
        let age = facts
            .oldest_waiting
            .map(|t| (chrono::Utc::now() - t).num_seconds().max(0) as f64)
            .unwrap_or(0.0);
        metrics::gauge!("roadshow_outbox_oldest_waiting_seconds").set(age);
    }
    for (pool, open, idle) in app.store.pools() {
        metrics::gauge!("roadshow_db_connections", "pool" => pool, "state" => "open")
            .set(f64::from(open));
        metrics::gauge!("roadshow_db_connections", "pool" => pool, "state" => "idle")
            .set(f64::from(idle));
    }
    let in_flight = state.capacity.in_flight();
    for (class, n) in [
        ("staff_reads", in_flight.staff_reads),
        ("exports", in_flight.exports),
        ("writes", in_flight.writes),
    ] {
        metrics::gauge!("roadshow_in_flight", "class" => class).set(n as f64);
    }
}
