//! Public pages at internet scale: the answers an anonymous visitor gets from a public GET
//! without a form (the event page, its agenda and FAQ, the event JSON...) are the same for
//! everyone who reads in the same language and time zone. They are kept here, rendered
//! once, with a strong `ETag` and `Last-Modified`, sent with a short public
//! `Cache-Control` so that a reverse proxy or CDN can share them, and answered `304` when
//! the browser already has them.
//!
//! A kept answer is dropped when the event pages are (after any organiser write in this
//! process: the app's page generation changes) and after [`FRESH_FOR`] in any case, the
//! time another process's write may take to show. When it has aged out, the first request
//! renders it again and the others that arrive meanwhile get the old answer (for at most
//! [`RENDER_CLAIM`]), so a busy page is not rendered by every request in flight at once.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a kept answer is served, and how long shared caches may keep it.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// How long the request that renders an aged-out answer again holds the others to the old
/// one; after that (the render failed, or was not kept) the next request renders.
pub const RENDER_CLAIM: Duration = Duration::from_secs(1);
const CACHE_CONTROL: &str = "public, max-age=2, stale-while-revalidate=10";
/// The request headers a kept answer depends on besides its address.
const VARY: &str = "accept-language, cookie";
/// Bounds: answers kept, and the size of one.
const MAX_ENTRIES: usize = 4096;
const MAX_BODY: usize = 1024 * 1024;

/// Set on a response by the routes whose anonymous answers may be shared.
#[derive(Debug, Clone, Copy)]
pub struct Public;

struct Entry {
    generation: u64,
    made: Instant,
    headers: HeaderMap,
    body: Bytes,
    etag: HeaderValue,
    /// When a request took on rendering this answer again, in milliseconds after `made`
    /// plus one (0: nobody has).
    render_claimed: AtomicU64,
}

impl Entry {
    /// Whether the asking request should render this aged-out answer again: yes unless
    /// another request took that on less than [`RENDER_CLAIM`] ago.
    fn claim_render(&self) -> bool {
        let now = u64::try_from(self.made.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let claimed = self.render_claimed.load(Ordering::Acquire);
        let claim_ms = RENDER_CLAIM.as_millis() as u64;
        if claimed != 0 && now.saturating_sub(claimed) < claim_ms {
            return false;
        }
        self.render_claimed
            .compare_exchange(claimed, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

/// The kept answers, by address, language and time zone.
#[derive(Default)]
pub struct PublicCache {
    entries: RwLock<HashMap<String, std::sync::Arc<Entry>>>,
}

/// The key of a request whose answer may come from the cache: an anonymous GET (no
/// credential of any kind), by its address, the language it is read in and the time-zone
/// cookie. `None` for anything else.
pub fn key<B>(request: &axum::http::Request<B>, lang: roadshow_domain::Lang) -> Option<String> {
    if request.method() != Method::GET || request.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let headers = request.headers();
    let signed_in = [
        crate::caller::SESSION_COOKIE,
        crate::caller::PARTICIPANT_COOKIE,
    ]
    .iter()
    .any(|name| crate::caller::cookie(headers, name).is_some());
    if signed_in {
        return None;
    }
    let zone = crate::caller::cookie(headers, crate::caller::TZ_COOKIE).unwrap_or("");
    let uri = request.uri();
    Some(format!(
        "{}|{}|{zone}",
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"),
        lang.code()
    ))
}

/// The kept answer to `request`, if there is one: an anonymous GET of a public page
/// rendered a moment ago for the same language and zone. Asked before anything else is
/// done for a request (see `serve`, and the guard for a router served otherwise), so a
/// kept answer costs a lookup and a copy of its headers.
pub fn early<B>(state: &crate::AppState, request: &axum::http::Request<B>) -> Option<Response> {
    let (lang, _) = crate::caller::negotiate_lang(request.uri(), request.headers());
    kept(state, request, &key(request, lang)?)
}

/// The kept answer for `key`, the key of `request`, with the request's own id.
pub fn kept<B>(
    state: &crate::AppState,
    request: &axum::http::Request<B>,
    key: &str,
) -> Option<Response> {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH);
    let mut kept = state
        .public
        .get(key, state.app.page_generation(), if_none_match)?;
    crate::trace::finish(&mut kept, crate::trace::id_of(request));
    Some(kept)
}

fn etag_matches(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    if_none_match
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag.as_bytes() == etag.as_bytes())
}

fn not_modified(entry: &Entry) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::LAST_MODIFIED,
    ] {
        if let Some(v) = entry.headers.get(&name) {
            headers.insert(name, v.clone());
        }
    }
    response
}

fn answer(entry: &Entry, if_none_match: Option<&HeaderValue>) -> Response {
    if etag_matches(if_none_match, &entry.etag) {
        return not_modified(entry);
    }
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.headers_mut() = entry.headers.clone();
    response
}

impl PublicCache {
    /// The kept answer for `key`, if it is still fresh for `generation`, or aged out and
    /// being rendered again by another request. An organiser's write in this process (a
    /// new generation) is never answered from the old page.
    pub fn get(
        &self,
        key: &str,
        generation: u64,
        if_none_match: Option<&HeaderValue>,
    ) -> Option<Response> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        if entry.generation != generation {
            return None;
        }
        let age = entry.made.elapsed();
        let usable = age < FRESH_FOR || (age < FRESH_FOR + RENDER_CLAIM && !entry.claim_render());
        usable.then(|| answer(entry, if_none_match))
    }

    /// Keeps `response` for `key` if its route marked it public, it is a plain 200 and it
    /// sets no cookie (no form asked for a CSRF token); returns what to send: the
    /// response with its caching headers, or a 304.
    pub async fn keep(
        &self,
        key: &str,
        generation: u64,
        if_none_match: Option<&HeaderValue>,
        response: Response,
    ) -> Response {
        if response.extensions().get::<Public>().is_none()
            || response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
        {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
            // Too large to keep; it was a full answer, so the error cannot happen for our
            // own pages, but nothing is sent rather than half a page.
            return Response::from_parts(parts, Body::empty());
        };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag_text = format!("\"{:016x}{:x}\"", hasher.finish(), body.len());
        let Ok(etag) = HeaderValue::from_str(&etag_text) else {
            return Response::from_parts(parts, Body::from(body));
        };
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // The same content keeps the time it was first seen.
        let last_modified = entries
            .get(key)
            .filter(|old| old.etag == etag)
            .and_then(|old| old.headers.get(header::LAST_MODIFIED).cloned())
            .or_else(|| {
                let now = chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT");
                HeaderValue::from_str(&now.to_string()).ok()
            });
        let headers = &mut parts.headers;
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        headers.insert(header::VARY, HeaderValue::from_static(VARY));
        headers.insert(header::ETAG, etag.clone());
        if let Some(v) = last_modified {
            headers.insert(header::LAST_MODIFIED, v);
        }
        // The request id is the one request's, not the kept answer's.
        let mut kept_headers = parts.headers.clone();
        kept_headers.remove("x-request-id");
        let entry = std::sync::Arc::new(Entry {
            generation,
            made: Instant::now(),
            headers: kept_headers,
            body: body.clone(),
            etag,
            render_claimed: AtomicU64::new(0),
        });
        if entries.len() >= MAX_ENTRIES {
            // Addresses with made-up queries cannot grow memory without bound.
            entries.clear();
        }
        entries.insert(key.to_string(), entry.clone());
        drop(entries);
        if etag_matches(if_none_match, &entry.etag) {
            return not_modified(&entry);
        }
        Response::from_parts(parts, Body::from(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache holding one answer for "/e" made `age` ago at generation 1.
    fn aged(age: Duration) -> PublicCache {
        let cache = PublicCache::default();
        let made = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
        let entry = Entry {
            generation: 1,
            made,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"page"),
            etag: HeaderValue::from_static("\"t\""),
            render_claimed: AtomicU64::new(0),
        };
        cache
            .entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert("/e".into(), std::sync::Arc::new(entry));
        cache
    }

    #[test]
    fn an_aged_out_answer_is_rendered_by_one_request_while_the_others_get_the_old_one() {
        let cache = aged(FRESH_FOR + Duration::from_millis(100));
        assert!(cache.get("/e", 1, None).is_none(), "the first renders");
        for _ in 0..3 {
            assert!(
                cache.get("/e", 1, None).is_some(),
                "the others are answered"
            );
        }
        assert!(
            cache.get("/e", 2, None).is_none(),
            "never after a write here"
        );
    }

    #[test]
    fn a_fresh_answer_is_served_and_one_long_aged_out_is_not() {
        assert!(aged(Duration::ZERO).get("/e", 1, None).is_some());
        let old = aged(FRESH_FOR + RENDER_CLAIM + Duration::from_millis(100));
        assert!(old.get("/e", 1, None).is_none());
        assert!(
            old.get("/e", 1, None).is_none(),
            "nobody waits on a stalled render"
        );
    }
}
