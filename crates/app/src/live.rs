//! Live delivery: the hub that fans each event's live events out to its SSE clients, and
//! the vote writer that commits votes in batches.
//!
//! Every live event is first committed to the store's per-event log, numbered in commit
//! order; the hub only ever broadcasts what it read back from that log, in order, once.
//! So a client that reconnects with the number it saw last (Last-Event-ID) gets exactly
//! what it missed from the log, a client that falls behind the broadcast buffer catches up
//! from the log instead of slowing the others, and on PostgreSQL the processes need
//! nothing between them but a NOTIFY that says "event 7 has reached number 120".

use crate::events::EventPage;
use crate::group_commit::GroupCommit;
use crate::{App, AppError, AppResult, Principal};
use bytes::Bytes;
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::ids::*;
use roadshow_domain::live::*;
use roadshow_domain::polls::{Poll, PollState};
use roadshow_domain::questions::{
    Question, QuestionFilter, QuestionState, VoteChange, VoteOutcome,
};
use roadshow_domain::store::{Store, StoreResult};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{broadcast, mpsc};

/// Most live events read from the store at once.
const PAGE: i64 = 1000;

/// One live event as the hub hands it to every follower. Its wire form is made by the
/// web layer, once, the first time a follower sends it, and shared by all the others.
#[derive(Debug)]
pub struct Frame {
    pub seq: i64,
    pub audience: Audience,
    pub event: LiveEvent,
    wire: OnceLock<Bytes>,
}

impl Frame {
    pub fn from_event(e: LiveEvent) -> Frame {
        Frame {
            seq: e.seq,
            audience: e.audience,
            event: e,
            wire: OnceLock::new(),
        }
    }

    /// Whether a follower with this view receives the frame.
    pub fn visible_to(&self, staff: bool) -> bool {
        staff || self.audience == Audience::Public
    }

    /// The frame's bytes on the wire, made by `encode` the first time they are asked for.
    pub fn wire(&self, encode: impl FnOnce(&LiveEvent) -> Bytes) -> Bytes {
        self.wire.get_or_init(|| encode(&self.event)).clone()
    }
}

struct Channel {
    sender: broadcast::Sender<Arc<Frame>>,
    /// What has been broadcast; the lock also keeps deliveries in order.
    sent: tokio::sync::Mutex<Sent>,
}

/// The newest number broadcast and the latest frames, so that a follower who reconnects
/// after a short break catches up from memory rather than from the store.
struct Sent {
    last: i64,
    recent: VecDeque<Arc<Frame>>,
    /// About how many bytes `recent` holds.
    recent_bytes: usize,
}

/// Frames kept in memory per event for reconnecting followers: at most this many, and
/// at most [`RECENT_BYTES`] of them. (The broadcast ring holds at most `live_buffer`
/// frames more, each bounded by the limits on questions and answers.)
const RECENT: usize = 1024;
const RECENT_BYTES: usize = 4 * 1024 * 1024;

/// The live events of every followed event, fanned out to their followers.
pub struct LiveHub {
    store: Arc<dyn Store>,
    buffer: usize,
    channels: Mutex<HashMap<EventId, Arc<Channel>>>,
    /// Flips to `true` when the process shuts down, to end every stream.
    closing: tokio::sync::watch::Sender<bool>,
}

/// A follower's view of one event's live events.
pub struct Follower {
    pub receiver: broadcast::Receiver<Arc<Frame>>,
    /// What the follower missed since the number it gave, from the store.
    pub backlog: Vec<Arc<Frame>>,
    /// The newest number in the backlog (or the number given).
    pub position: i64,
}

impl LiveHub {
    pub fn new(store: Arc<dyn Store>, buffer: usize) -> LiveHub {
        LiveHub {
            store,
            buffer: buffer.max(1),
            channels: Mutex::new(HashMap::new()),
            closing: tokio::sync::watch::channel(false).0,
        }
    }

    /// Ends every live stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the hub closes.
    pub fn closed(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    async fn channel(&self, event: EventId) -> StoreResult<Arc<Channel>> {
        if let Some(c) = self.lock().get(&event) {
            return Ok(c.clone());
        }
        // Start from the log's current end: followers catch up on older numbers from the
        // store themselves.
        let seq = self.store.live_state(event).await?.seq;
        let mut channels = self.lock();
        let channel = channels.entry(event).or_insert_with(|| {
            Arc::new(Channel {
                sender: broadcast::channel(self.buffer).0,
                sent: tokio::sync::Mutex::new(Sent {
                    last: seq,
                    recent: VecDeque::new(),
                    recent_bytes: 0,
                }),
            })
        });
        Ok(channel.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EventId, Arc<Channel>>> {
        // A panic while holding this lock cannot leave the map half-changed.
        self.channels.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts following an event after number `after` (`None`: from now on).
    pub async fn follow(
        &self,
        event: EventId,
        after: Option<i64>,
        staff: bool,
    ) -> StoreResult<Follower> {
        let channel = self.channel(event).await?;
        // Subscribe before looking at what was sent, so nothing falls between the two:
        // whatever is broadcast after this point reaches the receiver.
        let receiver = channel.sender.subscribe();
        let sent = channel.sent.lock().await;
        let last = sent.last;
        let after = match after {
            None => last,
            Some(a) if a <= last => a.max(0),
            // Ahead of this process (another process got there first), or not a number
            // of this event: the store knows.
            Some(a) => {
                drop(sent);
                let now = self.store.live_state(event).await?.seq;
                let after = a.min(now);
                let (backlog, position) = self.missed(event, after, staff).await?;
                return Ok(Follower {
                    receiver,
                    backlog,
                    position,
                });
            }
        };
        // A fresh follower, or one back from a short break: from memory, no query.
        let oldest = sent.recent.front().map(|f| f.seq);
        if after == last || oldest.is_some_and(|o| o <= after + 1) {
            let backlog = sent
                .recent
                .iter()
                .filter(|f| f.seq > after && f.visible_to(staff))
                .cloned()
                .collect();
            return Ok(Follower {
                receiver,
                backlog,
                position: last,
            });
        }
        drop(sent);
        let (backlog, position) = self.missed(event, after, staff).await?;
        Ok(Follower {
            receiver,
            backlog,
            position,
        })
    }

    /// The live events after `after` that a follower may see, and the newest number read.
    pub async fn missed(
        &self,
        event: EventId,
        after: i64,
        staff: bool,
    ) -> StoreResult<(Vec<Arc<Frame>>, i64)> {
        let mut out = Vec::new();
        let mut position = after;
        loop {
            let page = self.store.live_events(event, position, PAGE).await?;
            if position == after && page.first().is_some_and(|e| e.seq > after + 1) {
                // What this follower missed was pruned (LIVE_REPLAY): it loads afresh,
                // and follows on from the newest event.
                let last = self.store.live_state(event).await?.seq;
                let frame = Frame::from_event(refresh(event, last));
                return Ok((vec![Arc::new(frame)], last));
            }
            let full = page.len() as i64 == PAGE;
            for e in page {
                position = e.seq;
                let frame = Frame::from_event(e);
                if frame.visible_to(staff) {
                    out.push(Arc::new(frame));
                }
            }
            if !full {
                return Ok((out, position));
            }
        }
    }

    /// Says that an event's log may have grown (to `seq`, if known): the hub reads what
    /// is new from the store and broadcasts it in order. Cheap when there is nothing new.
    pub async fn signal(&self, event: EventId, seq: Option<i64>) {
        let Some(channel) = self.lock().get(&event).cloned() else {
            // Nobody follows this event in this process.
            return;
        };
        let started = std::time::Instant::now();
        let mut sent = channel.sent.lock().await;
        if seq.is_some_and(|s| s <= sent.last) {
            return;
        }
        let _timer = DeliveryTimer(started);
        loop {
            let page = match self.store.live_events(event, sent.last, PAGE).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(error = &e as &dyn std::error::Error, %event, "reading live events failed");
                    return;
                }
            };
            let full = page.len() as i64 == PAGE;
            for e in page {
                sent.last = e.seq;
                let frame = Arc::new(Frame::from_event(e));
                sent.recent_bytes += frame.event.payload.approx_bytes();
                sent.recent.push_back(frame.clone());
                while sent.recent.len() > RECENT || sent.recent_bytes > RECENT_BYTES {
                    match sent.recent.pop_front() {
                        Some(old) => {
                            sent.recent_bytes = sent
                                .recent_bytes
                                .saturating_sub(old.event.payload.approx_bytes());
                        }
                        None => break,
                    }
                }
                // No receivers is not an error: the next follower reads the store.
                let _ = channel.sender.send(frame);
            }
            if !full {
                return;
            }
        }
    }

    /// After a lost notification connection: look again at every followed event.
    pub async fn signal_all(&self) {
        let events: Vec<EventId> = self.lock().keys().copied().collect();
        for event in events {
            self.signal(event, None).await;
        }
    }

    /// How many followers are connected in this process, over all events.
    pub fn followers(&self) -> usize {
        self.lock()
            .values()
            .map(|c| c.sender.receiver_count())
            .sum()
    }
}

/// Records, when a signal's frames are all handed over, how long it took from the signal.
struct DeliveryTimer(std::time::Instant);

impl Drop for DeliveryTimer {
    fn drop(&mut self) {
        metrics::histogram!("roadshow_live_delivery_seconds")
            .record(self.0.elapsed().as_secs_f64());
    }
}

/// Open live streams per client address.
#[derive(Default)]
pub struct StreamCounts {
    open: Mutex<HashMap<String, u32>>,
}

/// One open live stream of a client address; counted until dropped.
pub struct StreamSlot {
    counts: Arc<StreamCounts>,
    client: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Most votes committed in one transaction.
const VOTE_BATCH: usize = 512;

/// Commits votes in groups (see [`GroupCommit`]); after each commit, the events whose
/// votes changed are announced to their live streams.
pub(crate) type VoteWriter = GroupCommit<VoteChange, VoteOutcome>;

pub(crate) fn vote_writer(store: Arc<dyn Store>, hub: Arc<LiveHub>) -> VoteWriter {
    GroupCommit::start("vote", VOTE_BATCH, move |changes: Vec<VoteChange>| {
        let (store, hub) = (store.clone(), hub.clone());
        async move {
            let result = store.apply_votes(&changes).await;
            let mut events: Vec<EventId> = changes.iter().map(|c| c.event).collect();
            events.sort();
            events.dedup();
            let answers = match result {
                Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
                Err(e) => {
                    tracing::error!(
                        error = &e as &dyn std::error::Error,
                        "committing votes failed"
                    );
                    changes
                        .iter()
                        .map(|_| Err(AppError::for_each(&e)))
                        .collect()
                }
            };
            for event in events {
                hub.signal(event, None).await;
            }
            answers
        }
    })
}

/// What the live page shows a reader.
pub struct LiveView {
    pub page: Arc<EventPage>,
    pub state: LiveState,
    /// Approved and answered questions, plus the reader's own in any state.
    pub questions: Vec<Question>,
    pub voted: Vec<QuestionId>,
    /// Polls that are open or closed (not drafts); counts hidden unless shown or staff.
    pub polls: Vec<Poll>,
    pub my_choices: Vec<(PollId, Vec<usize>)>,
    pub participant: Option<ParticipantAccess>,
    pub staff: bool,
    /// Whether the intent survey is offered now (from the last session on).
    pub survey: bool,
}

/// Following the live exchange: the live page, the session on now, live streams.
#[derive(Clone, Copy)]
pub struct Live<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Following the live exchange: the live page, the session on now, live streams.
    pub fn live(&self) -> Live<'_> {
        Live { app: self }
    }
}

impl Live<'_> {
    /// The live page: the session on now, questions, polls, and the reader's own votes.
    pub async fn live_view(&self, principal: &Principal, slug: &str) -> AppResult<LiveView> {
        let page = self.app.event_of(principal, slug).await?;
        let event = page.event.id;
        let staff = self.app.is_staff_of(principal, &page);
        let participant = match principal {
            Principal::Participant(p) if p.event_id == event => Some(p.clone()),
            _ => None,
        };
        // Read the log's position first: whatever changes after it reaches the page's
        // stream, which resumes from here.
        let state = self.app.store.live_state(event).await?;
        let mut questions = self
            .app
            .store
            .questions(&QuestionFilter {
                event: Some(event),
                states: vec![QuestionState::Approved, QuestionState::Answered],
                ..Default::default()
            })
            .await?;
        let (voted, my_choices) = match &participant {
            Some(p) => {
                questions.extend(
                    self.app
                        .questions()
                        .unpublished_own(event, p.participant_id)
                        .await?,
                );
                (
                    self.app
                        .store
                        .voted_questions(event, p.participant_id)
                        .await?,
                    self.app.store.poll_choices(event, p.participant_id).await?,
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        let polls = self
            .app
            .store
            .polls(event)
            .await?
            .into_iter()
            .filter(|p| p.state != PollState::Draft || staff)
            .collect();
        let survey = participant.is_some() && self.app.surveys().offered(&page).await?;
        Ok(LiveView {
            survey,
            state,
            page,
            questions,
            voted,
            polls,
            my_choices,
            participant,
            staff,
        })
    }

    /// Marks the session on now (or none), for everyone following live.
    pub async fn set_current_session(
        &self,
        principal: &Principal,
        slug: &str,
        session: Option<SessionId>,
    ) -> AppResult<LiveState> {
        let page = self.app.moderator_page(principal, slug).await?;
        if let Some(id) = session {
            if !page.sessions.iter().any(|s| s.id == id) {
                return Err(AppError::invalid("session", "unknown_choice"));
            }
        }
        let state = self
            .app
            .store
            .set_current_session(page.event.id, session)
            .await?;
        self.app.live.signal(page.event.id, None).await;
        Ok(state)
    }

    /// The event a live stream follows, and whether the follower gets the staff view.
    pub async fn live_stream_access(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(Arc<EventPage>, bool)> {
        let page = self.app.event_of(principal, slug).await?;
        let staff = self.app.is_staff_of(principal, &page);
        Ok((page, staff))
    }

    /// Whether a staff stream opened on `page` may still show staff-only events to
    /// `principal` (who they are now, read again from their credential).
    pub fn still_staff(&self, principal: &Principal, page: &EventPage) -> bool {
        self.app.is_staff_of(principal, page)
    }

    /// Admits one more live stream from `client`, or refuses when it holds as many as
    /// allowed (`RateLimited`: try again when one has closed).
    pub fn open_stream_slot(&self, client: &str) -> AppResult<StreamSlot> {
        let mut open = self
            .app
            .streams
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let n = open.entry(client.to_string()).or_insert(0);
        if *n >= self.app.config.streams_per_address {
            return Err(AppError::RateLimited { retry_after: 30 });
        }
        *n += 1;
        Ok(StreamSlot {
            counts: self.app.streams.clone(),
            client: client.to_string(),
        })
    }

    /// Follows live signals from other processes (PostgreSQL NOTIFY) until the sender
    /// closes. `None` means notifications may have been lost.
    pub fn follow_live_signals(
        &self,
        mut signals: mpsc::UnboundedReceiver<roadshow_domain::live::Notice>,
    ) {
        use roadshow_domain::live::Notice;
        let hub = self.app.live.clone();
        let directory = self.app.directory.clone();
        tokio::spawn(async move {
            while let Some(signal) = signals.recv().await {
                match signal {
                    Notice::Live(event, seq) => hub.signal(event, Some(seq)).await,
                    // The other process's change is applied here at once, not on the
                    // next search.
                    Notice::Directory(_) => {
                        if let Err(e) = directory.catch_up().await {
                            tracing::warn!(
                                error = &e as &dyn std::error::Error,
                                "directory catch-up failed"
                            );
                        }
                    }
                    Notice::Lost => {
                        hub.signal_all().await;
                        if let Err(e) = directory.catch_up().await {
                            tracing::warn!(
                                error = &e as &dyn std::error::Error,
                                "directory catch-up failed"
                            );
                        }
                    }
                }
            }
        });
    }

    /// The hub, for the SSE handlers.
    pub fn live_hub(&self) -> &LiveHub {
        &self.app.live
    }
}
