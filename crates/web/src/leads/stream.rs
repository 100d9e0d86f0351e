//! The leads board followed live: a Server-Sent Events stream that says, each time
//! something a board shows has changed (in this process or another), the board's new
//! revision. The page then reads the board again; an API client reads
//! `GET /api/v1/leads/board`. Shared by the API (bearer tokens) and the pages (cookies).

use crate::live::stream::StaffCheck;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use roadshow_app::App;
use roadshow_domain::ids::AccountId;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

/// A comment line every so often keeps proxies from closing an idle stream.
const KEEPALIVE: Duration = Duration::from_secs(20);
/// How often the stream checks that its credential still admits an officer.
const RECHECK: Duration = Duration::from_secs(10);

/// What one message's `data:` says.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BoardChanged {
    /// The board's revision now; also the message's `id:`.
    pub revision: i64,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct BoardStreamQuery {
    pub after: Option<i64>,
}

/// Follow the leads board: a message (`event: board`) each time a lead, its tasks or its
/// company's details change, here or through another process, with the board's new
/// revision. A client that gives the revision it last saw (`Last-Event-ID`, which
/// browsers send when they reconnect, or `?after=`) is told at once if the board has
/// moved since. Investment officers and organisers only.
#[utoipa::path(get, path = "/api/v1/leads/board/stream", operation_id = "follow_leads_board", tag = "leads",
    security(("bearer" = [])),
    params(
        ("after" = Option<i64>, Query, minimum = 0, description = "The board revision last seen"),
        ("Last-Event-ID" = Option<String>, Header, description = "What a reconnecting browser sends: the last `id:` it saw")),
    responses((status = 200, description = "The board's changes; each message's `data:` is this", content_type = "text/event-stream", body = BoardChanged),
        (status = 401, description = "Not signed in", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not an investment officer or organiser", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many streams open from this address", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn follow_board(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    ctx: crate::caller::Ctx,
    axum::extract::Query(q): axum::extract::Query<BoardStreamQuery>,
    headers: HeaderMap,
) -> Result<Response, crate::error::Error> {
    let revisions = state.app.leads().follow_board(&ctx.principal).await?;
    if q.after.is_some_and(|a| a < 0) {
        return Err(roadshow_app::AppError::invalid("after", "invalid_number").into());
    }
    let Some(check) = StaffCheck::of(&ctx, &headers) else {
        return Err(roadshow_app::AppError::NotFound.into());
    };
    let slot = state.app.live().open_stream_slot(&ctx.client)?;
    let seen = crate::live::stream::resume_point(&headers, q.after);
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset();
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    keepalive.reset();
    let follower = Follower {
        app: state.app.clone(),
        check,
        access: state.app.accounts().access_changes(),
        recheck,
        keepalive,
        closing: state.app.live().live_hub().closed(),
        revisions,
        // Without a revision seen, the board the client has is taken as current.
        seen: seen.unwrap_or(i64::MAX),
        greeted: false,
        _slot: slot,
    };
    let body = futures_util::stream::unfold(follower, |mut f| async move {
        let bytes = f.next().await?;
        Some((Ok::<Bytes, std::convert::Infallible>(bytes), f))
    });
    let mut response = (StatusCode::OK, Body::from_stream(body)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

struct Follower {
    app: App,
    check: StaffCheck,
    access: tokio::sync::broadcast::Receiver<AccountId>,
    recheck: tokio::time::Interval,
    keepalive: tokio::time::Interval,
    closing: watch::Receiver<bool>,
    revisions: watch::Receiver<i64>,
    seen: i64,
    greeted: bool,
    _slot: roadshow_app::live::StreamSlot,
}

impl Follower {
    /// The next bytes to send, or `None` to end the stream.
    async fn next(&mut self) -> Option<Bytes> {
        if *self.closing.borrow() {
            return None;
        }
        if !self.greeted {
            self.greeted = true;
            let now = *self.revisions.borrow_and_update();
            if self.seen == i64::MAX {
                self.seen = now;
            }
            return Some(Bytes::from_static(b"retry: 2000\n: connected\n\n"));
        }
        loop {
            let now = *self.revisions.borrow_and_update();
            if now > self.seen {
                self.seen = now;
                return Some(message(now));
            }
            tokio::select! {
                biased;
                _ = self.closing.changed() => return None,
                changed = self.access.recv() => {
                    let ours = match changed {
                        Ok(account) => account == self.check.account,
                        Err(RecvError::Lagged(_)) => true,
                        Err(RecvError::Closed) => return None,
                    };
                    if ours && !self.still_admitted().await {
                        return None;
                    }
                },
                _ = self.recheck.tick() => {
                    if !self.still_admitted().await {
                        return None;
                    }
                },
                changed = self.revisions.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                },
                _ = self.keepalive.tick() => return Some(Bytes::from_static(b": keepalive\n\n")),
            }
        }
    }

    /// Whether the stream's credential still admits an officer or organiser: a sign-out
    /// or a role taken away ends the stream.
    async fn still_admitted(&self) -> bool {
        match self.check.identify(&self.app).await {
            Some(principal) => self.app.leads().may_follow_board(&principal),
            None => false,
        }
    }
}

fn message(revision: i64) -> Bytes {
    let data = serde_json::to_string(&BoardChanged { revision }).unwrap_or_default();
    Bytes::from(format!("id: {revision}\nevent: board\ndata: {data}\n\n"))
}
