//! Load shedding: a busy event must degrade, not collapse. Requests are counted by what
//! they cost while in flight; beyond a class's cap a request is answered 503 with
//! `Retry-After` at once, instead of waiting in a queue that only grows (and holds memory
//! while it does).
//!
//! The classes:
//! - **free**, never refused: `/healthz`, static assets, live streams, sign-in,
//!   registration, and every request of a visitor or participant without a staff session
//!   or token (the public pages, mostly answered from the public cache; a participant's
//!   questions and votes, under their own per-participant limits);
//! - **staff reads**: reads under `/api/` and `/admin` by staff (lists, consoles)
//!   (`ROADSHOW_MAX_STAFF_READS`);
//! - **exports**: a whole list as a file (`.csv`, `.ics` of everything, `export`), the
//!   heaviest answers there are, made by few at once so that they cannot take every core
//!   (`ROADSHOW_MAX_EXPORTS`);
//! - **staff changes** (`ROADSHOW_MAX_WRITES`).
//!
//! The scheduler has its own bound, in the use case (`ROADSHOW_MAX_SCHEDULES`).

use crate::caller::SESSION_COOKIE;

/// How a participant's token begins (`rsp_`); staff tokens begin `rst_`.
const PARTICIPANT_TOKEN: &str = "rsp_";
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, header};
use std::collections::HashSet;
use std::sync::{Arc, LazyLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What a request costs, for admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Free,
    StaffRead,
    Export,
    Write,
}

/// Changes that must go through whatever the load: signing in, and registering (what
/// an announcement brings in a rush, and what the event is for).
const ALWAYS_WRITES: &[&str] = &[
    "/login",
    "/api/v1/events/{slug}/registrations",
    "/events/{slug}/register",
];

static STREAMS: LazyLock<HashSet<String>> =
    LazyLock::new(|| crate::stream_routes().into_iter().collect());

/// The class of a request, from its method, the route it matched and whether staff
/// sent it.
pub fn class(request: &Request) -> Class {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str())
        .unwrap_or_else(|| request.uri().path());
    if path == "/healthz"
        || path == "/readyz"
        || path == "/metrics"
        || path.starts_with("/assets")
        || STREAMS.contains(path)
    {
        return Class::Free;
    }
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    if (!read && ALWAYS_WRITES.contains(&path)) || !by_staff(request) {
        // A visitor's or participant's request: the public pages (mostly kept answers),
        // registering, a participant's questions and votes, each under its own limits.
        return Class::Free;
    }
    if !read {
        return Class::Write;
    }
    if path.starts_with("/api/") || path.starts_with("/admin") {
        if is_export(path) {
            Class::Export
        } else {
            Class::StaffRead
        }
    } else {
        Class::Free
    }
}

/// Whether a staff read answers a whole list as a file.
fn is_export(path: &str) -> bool {
    path.ends_with(".csv") || path.ends_with("/export") || path.contains("/export.")
}

/// Whether the request carries a staff token or sign-in session (valid or not: the
/// class is about what the request would cost, and a forged one costs a lookup only).
/// Participants' own actions (questions, votes, their meetings) are not counted here:
/// each participant has limits of their own, and votes are committed in groups.
fn by_staff(request: &Request) -> bool {
    let headers = request.headers();
    let staff_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            !v.trim_start_matches("Bearer ")
                .starts_with(PARTICIPANT_TOKEN)
        });
    staff_token
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim_start().strip_prefix(SESSION_COOKIE))
            .any(|rest| rest.starts_with('='))
}

/// The places in flight of each class.
pub struct Capacity {
    staff_reads: Arc<Semaphore>,
    exports: Arc<Semaphore>,
    writes: Arc<Semaphore>,
    /// Each class's number of places, to tell how many are taken.
    sizes: [usize; 3],
}

/// How many requests of each counted class are being served now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InFlight {
    pub staff_reads: usize,
    pub exports: usize,
    pub writes: usize,
}

/// A request admitted: its place is given back when this is dropped.
pub enum Admitted {
    Free,
    Counted(#[allow(dead_code)] OwnedSemaphorePermit),
}

impl Capacity {
    pub fn new(staff_reads: usize, exports: usize, writes: usize) -> Capacity {
        Capacity {
            staff_reads: Arc::new(Semaphore::new(staff_reads)),
            exports: Arc::new(Semaphore::new(exports)),
            writes: Arc::new(Semaphore::new(writes)),
            sizes: [staff_reads, exports, writes],
        }
    }

    /// The places taken now (for the health check and the soak's record).
    pub fn in_flight(&self) -> InFlight {
        let taken = |s: &Semaphore, size: usize| size.saturating_sub(s.available_permits());
        InFlight {
            staff_reads: taken(&self.staff_reads, self.sizes[0]),
            exports: taken(&self.exports, self.sizes[1]),
            writes: taken(&self.writes, self.sizes[2]),
        }
    }

    /// A place for a request of `class`, or `None` when its class is full.
    pub fn admit(&self, class: Class) -> Option<Admitted> {
        let places = match class {
            Class::Free => return Some(Admitted::Free),
            Class::StaffRead => &self.staff_reads,
            Class::Export => &self.exports,
            Class::Write => &self.writes,
        };
        places
            .clone()
            .try_acquire_owned()
            .ok()
            .map(Admitted::Counted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_class_refuses_and_a_place_given_back_admits_again() {
        let capacity = Capacity::new(2, 1, 1);
        let first = capacity.admit(Class::StaffRead);
        let second = capacity.admit(Class::StaffRead);
        assert!(first.is_some() && second.is_some());
        assert!(capacity.admit(Class::StaffRead).is_none());
        // Other classes are counted apart; free requests always pass.
        assert!(capacity.admit(Class::Write).is_some());
        assert!(capacity.admit(Class::Free).is_some());
        assert_eq!(
            capacity.in_flight(),
            InFlight {
                staff_reads: 2,
                exports: 0,
                writes: 0
            },
            "two staff reads held; the write was given back at once"
        );
        drop(first);
        assert!(capacity.admit(Class::StaffRead).is_some());
    }

    fn request(method: &str, path: &str, header: Option<(&str, &str)>) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some((k, v)) = header {
            builder = builder.header(k, v);
        }
        builder.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn staff_reads_writes_and_what_always_passes() {
        let token = Some(("authorization", "Bearer x"));
        let session = Some(("cookie", "rs_lang=de; rs_session=abc"));
        assert_eq!(
            class(&request("GET", "/api/v1/leads", token)),
            Class::StaffRead
        );
        assert_eq!(
            class(&request("GET", "/admin/questions", session)),
            Class::StaffRead
        );
        assert_eq!(
            class(&request("GET", "/api/v1/events/x/questions.csv", token)),
            Class::Export
        );
        assert_eq!(
            class(&request("GET", "/admin/leads/export.csv", session)),
            Class::Export
        );
        assert_eq!(
            class(&request("GET", "/events/two-zones-germany", None)),
            Class::Free
        );
        assert_eq!(
            class(&request("GET", "/api/v1/events/x", None)),
            Class::Free
        );
        assert_eq!(class(&request("GET", "/healthz", token)), Class::Free);
        assert_eq!(class(&request("POST", "/login", None)), Class::Free);
        assert_eq!(
            class(&request("POST", "/api/v1/leads", token)),
            Class::Write
        );
        // A participant's question or vote is under their own limits, never shed.
        let participant = Some(("authorization", "Bearer rsp_abc"));
        assert_eq!(
            class(&request("POST", "/api/v1/questions/3/vote", participant)),
            Class::Free
        );
    }
}
