//! Roadshow's web layer: the JSON API under `/api`, server-rendered pages, static assets,
//! and what every response carries (security headers, CSRF and language cookies, rate
//! limits on writes, a request id). One folder per capability (`events`, `registrations`,
//! `questions`...) holds its API handlers and its pages side by side, both calling the
//! same use case of [`roadshow_app::App`], and its `routes()`; [`router`] merges them.
//! Handlers are thin: they extract (who is calling: [`caller::Ctx`]), call one use case,
//! and render; errors take one path ([`error`]).

pub mod accounts;
pub mod api;
mod assets;
pub mod broadcast;
pub mod caller;
pub mod departments;
pub mod directory;
pub mod error;
pub mod events;
pub mod forms;
pub mod leads;
pub mod live;
pub mod materials;
pub mod meetings;
pub mod metrics;
pub mod openapi;
pub mod outbox;
pub mod overload;
pub mod pages;
pub mod paging;
pub mod polls;
pub mod privacy;
pub mod proxies;
pub mod public_cache;
pub mod questions;
pub mod registrations;
pub mod reports;
pub mod schema;
mod security;
mod serve;
pub mod surveys;
mod system;
mod trace;
pub mod upload;
pub mod views;
pub mod webhooks;

pub use serve::serve;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use roadshow_app::App;

/// Largest request body outside material uploads: a registration or event form with four
/// languages of text fits well within it.
pub const BODY_LIMIT: usize = 256 * 1024;

/// What every handler can reach. Cloned for every request (axum's `State`), so one
/// shared pointer to its parts.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<StateParts>);

/// What an [`AppState`] holds (reached through it: `state.app`, `state.public`).
pub struct StateParts {
    pub app: App,
    /// Anonymous answers of public pages, rendered once (see [`public_cache`]).
    pub public: std::sync::Arc<public_cache::PublicCache>,
    /// The requests of each costly kind in flight (see [`overload`]).
    pub capacity: std::sync::Arc<overload::Capacity>,
    /// The reverse proxies whose `X-Forwarded-For` is believed (see [`proxies`]).
    pub trusted_proxies: std::sync::Arc<[proxies::Block]>,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        let capacity = overload::Capacity::new(
            app.config.max_staff_reads,
            app.config.max_exports,
            app.config.max_writes,
        );
        let trusted_proxies = app
            .config
            .trusted_proxies
            .iter()
            .filter_map(|p| proxies::Block::parse(p))
            .collect();
        AppState(std::sync::Arc::new(StateParts {
            app,
            public: Default::default(),
            capacity: std::sync::Arc::new(capacity),
            trusted_proxies,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = StateParts;

    fn deref(&self) -> &StateParts {
        &self.0
    }
}

/// An operation of the API: its handler with the document its `#[utoipa::path]` gives it,
/// made by `utoipa_axum::routes!`, so that no API route exists without its operation.
pub type Operation = utoipa_axum::router::UtoipaMethodRouter<AppState>;

/// A router that remembers which method and path it serves, so that the tests can check
/// every route against the authorization table; its API operations also make the OpenAPI
/// document ([`openapi`]).
#[derive(Default)]
pub struct Routes {
    router: utoipa_axum::router::OpenApiRouter<AppState>,
    list: Vec<(&'static str, String)>,
    /// The paths of live streams: long-lived GETs that `serve` keeps on the socket after
    /// the router has answered them (see [`serve`]).
    streams: Vec<String>,
    /// Every schema the operations name, as each defines it: two types of one name would
    /// silently replace each other in the document.
    schemas: Vec<(String, String)>,
}

/// Marks a response as the same for every anonymous reader ([`public_cache`]).
fn mark_public<S>(route: MethodRouter<S>) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    route.layer(axum::middleware::map_response(
        |mut response: axum::response::Response| async {
            response.extensions_mut().insert(public_cache::Public);
            response
        },
    ))
}

impl Routes {
    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.list.push((method, path.to_string()));
        self.router = self.router.route(path, route);
        self
    }

    /// An operation of the API.
    pub fn api(mut self, (schemas, paths, route): Operation) -> Self {
        for (name, schema) in &schemas {
            let text = serde_json::to_string(schema).unwrap_or_default();
            self.schemas.push((name.clone(), text));
        }
        for (path, item) in &paths.paths {
            for method in openapi::methods(item) {
                self.list.push((method, path.clone()));
            }
        }
        self.router = self.router.routes((schemas, paths, route));
        self
    }

    /// An operation whose answer to an anonymous caller is the same for everyone: it may
    /// be kept and shared by caches ([`public_cache`]).
    pub fn api_public(self, (schemas, paths, route): Operation) -> Self {
        self.api((schemas, paths, mark_public(route)))
    }

    /// An operation that takes a larger body (an upload, an import, a scheduling
    /// instance) than [`BODY_LIMIT`].
    pub fn api_upload(self, (schemas, paths, route): Operation, limit: usize) -> Self {
        self.api((schemas, paths, route.layer(DefaultBodyLimit::max(limit))))
    }

    /// An operation whose answer is a live stream (Server-Sent Events).
    pub fn api_stream(mut self, operation: Operation) -> Self {
        self.streams.extend(operation.1.paths.keys().cloned());
        self.api(operation)
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("GET", path, axum::routing::get(handler))
    }

    /// A page whose answer to an anonymous visitor is the same for everyone reading in
    /// the same language and zone, and has no form: it may be kept and shared by caches
    /// ([`public_cache`]). Signed-in callers still get their own answer.
    pub fn public<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add("GET", path, mark_public(axum::routing::get(handler)))
    }

    /// A page whose answer is a live stream (Server-Sent Events).
    pub fn stream<H: Handler<T, AppState>, T: 'static>(
        mut self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.streams.push(path.to_string());
        self.get(path, handler)
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("POST", path, axum::routing::post(handler))
    }

    /// A POST that takes an upload, with the larger body limit.
    pub fn post_upload<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
        limit: usize,
    ) -> Self {
        self.add(
            "POST",
            path,
            axum::routing::post(handler).layer(DefaultBodyLimit::max(limit)),
        )
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("PUT", path, axum::routing::put(handler))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add("DELETE", path, axum::routing::delete(handler))
    }

    fn merge(mut self, other: Routes) -> Self {
        self.list.extend(other.list);
        self.streams.extend(other.streams);
        self.schemas.extend(other.schemas);
        self.router = self.router.merge(other.router);
        self
    }
}

fn all_routes(upload_limit: usize) -> Routes {
    Routes::default()
        .merge(system::routes())
        .merge(accounts::routes())
        .merge(events::routes())
        .merge(broadcast::routes())
        .merge(reports::routes())
        .merge(departments::routes())
        .merge(materials::routes(upload_limit))
        .merge(registrations::routes())
        .merge(directory::routes(upload_limit))
        .merge(meetings::routes())
        .merge(surveys::routes())
        .merge(leads::routes())
        .merge(questions::routes())
        .merge(polls::routes())
        .merge(live::routes())
        .merge(outbox::routes())
        .merge(privacy::routes())
        .merge(webhooks::routes())
        .merge(assets::routes())
}

/// The path patterns of the live streams (`/api/v1/events/{slug}/live`...).
pub fn stream_routes() -> Vec<String> {
    all_routes(1).streams
}

/// Every (method, path) the router serves.
pub fn route_list() -> Vec<(&'static str, String)> {
    all_routes(1).list
}

/// Names that two different schemas share (one would replace the other in the document).
pub fn schema_collisions() -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    for (name, schema) in all_routes(1).schemas {
        match seen.get(&name) {
            Some(other) if *other != schema => clashes.push(name),
            Some(_) => {}
            None => {
                seen.insert(name, schema);
            }
        }
    }
    clashes.sort();
    clashes.dedup();
    clashes
}

/// The API's operations as the routes give them (see [`openapi::document`]).
fn api_document() -> utoipa::openapi::OpenApi {
    all_routes(1).router.into_openapi()
}

/// The whole application: what both the binary and the tests serve.
pub fn router(state: AppState) -> Router {
    // Uploads may be up to the configured size plus the multipart envelope.
    let upload_limit = state.app.config.max_upload_bytes + 64 * 1024;
    let (router, _) = all_routes(upload_limit).router.split_for_parts();
    let router = router
        .fallback(pages::not_found)
        // One layer for what every request and answer passes through: its id and span,
        // limits, the cross-origin check, the error path, security headers.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    // Outside the guard, so that its refusals (429, 503) are counted too.
    let router = if state.app.config.metrics && metrics::install().is_some() {
        router.layer(axum::middleware::from_fn(metrics::track))
    } else {
        router
    };
    router.with_state(state)
}
