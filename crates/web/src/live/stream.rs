//! The Server-Sent Events stream of an event's live exchange, shared by the API
//! (`/api/v1/events/{slug}/live`, bearer tokens) and the pages (`/events/{slug}/live/stream`,
//! cookies). Each message carries `id:` (the live event's number), so a client that
//! reconnects with `Last-Event-ID` gets what it missed, once.

use super::wire::{LiveData, Pinned, Refresh, Removed, SessionChanged, Voted};
use crate::polls::wire::Poll;
use crate::questions::wire::{Answer, Question};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use roadshow_app::App;
use roadshow_app::events::EventPage;
use roadshow_app::live::{Follower, Frame};
use roadshow_domain::ids::{AccountId, EventId};
use roadshow_domain::live::{Audience, LiveEvent, LivePayload};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// A comment line every so often keeps proxies from closing an idle stream.
const KEEPALIVE: Duration = Duration::from_secs(20);

/// How often a staff stream says how many are watching (the count is measured by the
/// players' heartbeats, which come every 60 s).
const WATCHING_EVERY: Duration = Duration::from_secs(10);

/// How often a staff stream checks that its credential still admits it, besides at once
/// when this process signs its account out.
const STAFF_RECHECK: Duration = Duration::from_secs(10);

/// What a staff stream was opened with, to check again while it runs: staff-only events
/// must stop when the session ends, the token is withdrawn or the role changes.
#[derive(Debug, Clone)]
pub struct StaffCheck {
    pub account: AccountId,
    /// The `Authorization` header's value (API) or the sign-in session cookie (pages).
    pub authorization: Option<String>,
    pub session: Option<String>,
}

impl StaffCheck {
    /// The check for a caller who was admitted as staff with these request headers.
    pub fn of(ctx: &crate::caller::Ctx, headers: &HeaderMap) -> Option<StaffCheck> {
        let roadshow_app::Principal::Staff(account) = &ctx.principal else {
            return None;
        };
        let credentials = crate::caller::Credentials::of(&ctx.path, headers);
        Some(StaffCheck {
            account: account.id,
            authorization: credentials.authorization.map(str::to_string),
            session: credentials.session.map(str::to_string),
        })
    }

    /// Whether the credential still admits a member of staff of the stream's event.
    async fn still_admits(&self, app: &App, page: &EventPage) -> bool {
        match self.identify(app).await {
            Some(principal) => app.live().still_staff(&principal, page),
            None => false,
        }
    }

    /// Who the stream's credential names now; `None` when that cannot be told (a store
    /// failure ends the stream; the client reconnects and is checked anew).
    pub async fn identify(&self, app: &App) -> Option<roadshow_app::Principal> {
        let credentials = crate::caller::Credentials {
            authorization: self.authorization.as_deref(),
            session: self.session.as_deref(),
            participant: None,
        };
        crate::caller::identify(app, credentials)
            .await
            .ok()
            .map(|(principal, _)| principal)
    }
}

/// The SSE message of a live event: `id:` (its number, which a reconnecting client sends
/// back as Last-Event-ID), `event:` (its kind), and one `data:` line with the JSON the API
/// documents for what changed. Department names are those of `page`, the event as the
/// stream's follower opened it.
pub fn encode(e: &LiveEvent, page: &EventPage) -> Bytes {
    let staff = e.audience == Audience::Staff;
    let data = match &e.payload {
        LivePayload::Question {
            question,
            with_answers: true,
        } => LiveData::Question(Box::new(Question::new(question, staff, page))),
        LivePayload::Question { question, .. } => {
            LiveData::Question(Box::new(Question::delta(question, staff, page)))
        }
        LivePayload::Answered { question, answer } => {
            let mut q = Question::delta(question, staff, page);
            q.answer = Some(Answer::new(answer, page));
            LiveData::Question(Box::new(q))
        }
        LivePayload::Removed { id, merged_into } => LiveData::Removed(Removed {
            id: id.0,
            merged_into: merged_into.map(|m| m.0),
        }),
        LivePayload::Votes { id, votes } => LiveData::Voted(Voted {
            id: id.0,
            votes: *votes,
        }),
        LivePayload::Pinned { id } => LiveData::Pinned(Pinned {
            id: id.map(|i| i.0),
        }),
        LivePayload::Poll { poll } => LiveData::Poll(Poll::new(poll, staff || poll.results_shown)),
        LivePayload::Session { session } => LiveData::Session(SessionChanged {
            session: session.map(|s| s.0),
        }),
        LivePayload::Refresh => LiveData::Refresh(Refresh {
            reason: "missed_events_pruned".into(),
        }),
    };
    let data = serde_json::to_string(&data).unwrap_or_default();
    // serde_json never writes a raw newline, so one `data:` field carries the JSON whole.
    Bytes::from(format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        e.seq,
        e.kind.code(),
        data
    ))
}

/// Where a client wants to resume: the `Last-Event-ID` header (what browsers send when
/// they reconnect), else `?after=` (what the page saw when it was rendered).
pub fn resume_point(headers: &HeaderMap, after: Option<i64>) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(after)
        .filter(|n| *n >= 0)
}

/// One follower's stream: what it has yet to send and where it stands.
pub(crate) struct StreamState {
    app: App,
    event: EventId,
    /// The event as opened, for the names the wire format shows.
    page: Arc<EventPage>,
    staff: bool,
    /// For staff streams: the credential to check again, and sign-outs to react to.
    check: Option<(
        StaffCheck,
        tokio::sync::broadcast::Receiver<AccountId>,
        tokio::time::Interval,
    )>,
    follower: Follower,
    queue: VecDeque<Arc<Frame>>,
    keepalive: tokio::time::Interval,
    /// Staff streams: when to say how many are watching.
    watching: Option<tokio::time::Interval>,
    greeted: bool,
    closing: tokio::sync::watch::Receiver<bool>,
    /// Counts this stream against its client address while it lives.
    _slot: roadshow_app::live::StreamSlot,
    /// A participant's attendance, counted when the stream closes.
    _attendance: Option<roadshow_app::signals::Attendance>,
}

impl StreamState {
    /// Starts following `event` after `after` (`None`: from now on).
    pub(crate) async fn open(
        app: App,
        page: Arc<EventPage>,
        after: Option<i64>,
        check: Option<StaffCheck>,
        client: &str,
        attendance: Option<roadshow_app::signals::Attendance>,
    ) -> Result<StreamState, roadshow_app::AppError> {
        let event = page.event.id;
        let staff = check.is_some();
        let check = check.map(|c| {
            let mut recheck = tokio::time::interval(STAFF_RECHECK);
            recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            recheck.reset();
            (c, app.accounts().access_changes(), recheck)
        });
        let slot = app.live().open_stream_slot(client)?;
        let mut follower = app.live().live_hub().follow(event, after, staff).await?;
        let closing = app.live().live_hub().closed();
        let queue: VecDeque<Arc<Frame>> = std::mem::take(&mut follower.backlog).into();
        let mut keepalive = tokio::time::interval(KEEPALIVE);
        keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        keepalive.reset();
        let watching = staff.then(|| {
            let mut every = tokio::time::interval(WATCHING_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // The first count comes after the connection's first messages, not before.
            every.reset_after(Duration::from_secs(2));
            every
        });
        Ok(StreamState {
            app,
            event,
            page,
            staff,
            check,
            follower,
            queue,
            keepalive,
            watching,
            greeted: false,
            closing,
            _slot: slot,
            _attendance: attendance,
        })
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StreamQuery {
    pub after: Option<i64>,
}

/// The live stream of an event, for the API (bearer token) and the pages (cookies)
/// alike: who may follow it and as whom is worked out by `live_stream_access`.
///
/// Server-Sent Events: each message has `id:` (the live event's number), `event:` (what
/// changed) and one line of JSON `data:`. Reconnect with `Last-Event-ID` (browsers do it
/// themselves) or `?after=N` to receive what was missed, once, in order.
#[utoipa::path(get, path = "/api/v1/events/{slug}/live", operation_id = "follow_live", tag = "live",
    security((), ("bearer" = [])),
    params(("slug" = String, Path),
        ("after" = Option<i64>, Query, minimum = 0, description = "The number of the last live event seen"),
        ("Last-Event-ID" = Option<String>, Header, description = "What a reconnecting browser sends: the last `id:` it saw")),
    responses((status = 200, description = "The live stream; each message's `data:` is one of these", content_type = "text/event-stream", body = super::wire::LiveData),
        (status = 429, description = "Too many streams open from this address", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn follow(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    ctx: crate::caller::Ctx,
    axum::extract::Path(slug): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Response, crate::error::Error> {
    // Live events are numbered from 1: a negative number is not one a client saw.
    if q.after.is_some_and(|a| a < 0) {
        return Err(roadshow_app::AppError::Rejected {
            status: 400,
            code: "bad_request",
        }
        .into());
    }
    let (page, staff) = state
        .app
        .live()
        .live_stream_access(&ctx.principal, &slug)
        .await?;
    let check = staff.then(|| StaffCheck::of(&ctx, &headers)).flatten();
    let attendance = state.app.signals().attendance(&ctx.principal, &page);
    Ok(stream(
        state.app.clone(),
        page,
        resume_point(&headers, q.after),
        check,
        &ctx.client,
        attendance,
    )
    .await?)
}

/// The stream response for one follower at `client` (their address); `staff` for one who
/// was admitted as staff of the event.
pub async fn stream(
    app: App,
    page: Arc<EventPage>,
    after: Option<i64>,
    staff: Option<StaffCheck>,
    client: &str,
    attendance: Option<roadshow_app::signals::Attendance>,
) -> Result<Response, roadshow_app::AppError> {
    let state = StreamState::open(app, page, after, staff, client, attendance).await?;
    let body = futures_util::stream::unfold(state, |mut s| async move {
        let bytes = next_message(&mut s).await?;
        Some((Ok::<Bytes, std::convert::Infallible>(bytes), s))
    });
    let mut response = (StatusCode::OK, Body::from_stream(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// The next bytes to send, or `None` to end the stream. Cancel-safe: dropping it while it
/// waits loses nothing.
pub(crate) async fn next_message(s: &mut StreamState) -> Option<Bytes> {
    if *s.closing.borrow() {
        return None;
    }
    if !s.greeted {
        s.greeted = true;
        // Sent at once so that the client knows it is connected; `retry` sets the
        // browser's reconnection delay.
        return Some(Bytes::from_static(b"retry: 2000\n: connected\n\n"));
    }
    loop {
        if let Some(frame) = s.queue.pop_front() {
            return Some(frame.wire(|e| encode(e, &s.page)));
        }
        tokio::select! {
            // A sign-out is looked at before any event that came after it.
            biased;
            recheck = staff_recheck(&mut s.check) => {
                if recheck {
                    if let Some((check, _, _)) = &s.check {
                        if !check.still_admits(&s.app, &s.page).await {
                            return None;
                        }
                    }
                }
            },
            received = s.follower.receiver.recv() => match received {
                Ok(frame) => {
                    if frame.seq <= s.follower.position {
                        continue;
                    }
                    s.follower.position = frame.seq;
                    if frame.visible_to(s.staff) {
                        return Some(frame.wire(|e| encode(e, &s.page)));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // This client fell behind the broadcast buffer: catch up from the
                    // store rather than hold the others back.
                    match s.app.live().live_hub().missed(s.event, s.follower.position, s.staff).await {
                        Ok((frames, position)) => {
                            s.queue.extend(frames);
                            s.follower.position = position;
                        }
                        Err(e) => {
                            tracing::error!(error = &e as &dyn std::error::Error, "catching up a live follower failed");
                            return None;
                        }
                    }
                }
                Err(RecvError::Closed) => return None,
            },
            _ = s.keepalive.tick() => return Some(Bytes::from_static(b": keepalive\n\n")),
            _ = watching_tick(&mut s.watching) => {
                // A count that cannot be read now is said at the next tick.
                if let Ok(n) = s.app.broadcast().watching_now(s.event).await {
                    let data = serde_json::to_string(&LiveData::Watching(super::wire::Watching { watching_now: n })).unwrap_or_default();
                    return Some(Bytes::from(format!("event: watching\ndata: {data}\n\n")));
                }
            },
            // The only change is to "closing".
            _ = s.closing.changed() => return None,
        }
    }
}

/// The next time a staff stream says how many are watching; never for other streams.
async fn watching_tick(every: &mut Option<tokio::time::Interval>) {
    match every {
        Some(every) => {
            every.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Waits until a staff stream should check its credential again: its account was signed
/// out here (or sign-outs were missed), or the periodic check is due. `false` for a
/// sign-out of another account. Never ends for a stream that is not staff.
async fn staff_recheck(
    check: &mut Option<(
        StaffCheck,
        tokio::sync::broadcast::Receiver<AccountId>,
        tokio::time::Interval,
    )>,
) -> bool {
    let Some((staff, changes, interval)) = check else {
        return std::future::pending().await;
    };
    tokio::select! {
        changed = changes.recv() => match changed {
            Ok(account) => account == staff.account,
            // Missed some: check anyway.
            Err(RecvError::Lagged(_)) => true,
            // The app is shutting down; the periodic check still runs.
            Err(RecvError::Closed) => {
                interval.tick().await;
                true
            }
        },
        _ = interval.tick() => true,
    }
}
