//! The broadcast: which iframe hosts an event may embed, the check of a stream before it
//! goes live, the players' heartbeats and the attendance measured from them, and the
//! replay's chapters and captions.

mod attendance;
use crate::fetch;

pub use attendance::{AttendanceView, MeasuredBy};

use crate::access::Guards;
use crate::events::EventPage;
use crate::group_commit::GroupCommit;
use crate::{App, AppError, AppResult, Principal};
use chrono::Utc;
use roadshow_domain::Lang;
use roadshow_domain::broadcast::chapters::{self, AgendaItem, Chapter, ChapterWarning};
use roadshow_domain::broadcast::playlist::{self, PlaylistReport, PlaylistWarning};
use roadshow_domain::broadcast::viewing::{self, HeartbeatInput, MIN_GAP_S, Mode};
use roadshow_domain::broadcast::{
    Broadcast, Caption, SourceInput, StampedBeat, StreamKind, check_captions, check_embed_hosts,
    recording_key,
};
use roadshow_domain::events::{Event, EventStatus};
use roadshow_domain::ids::*;
use roadshow_domain::validation::Checker;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub struct Broadcasts<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn broadcast(&self) -> Broadcasts<'_> {
        Broadcasts { app: self }
    }
}

/// Heartbeats one transaction holds at most.
const BEAT_BATCH: usize = 1_000;
/// How long a "watching now" count is reused: every staff stream asks for it.
const WATCHING_FRESH: Duration = Duration::from_secs(5);
/// Viewers' last beats remembered at most before the stale ones are forgotten.
const REMEMBERED_VIEWERS: usize = 200_000;
/// Accepted beats of a viewer between two updates of their `watched` signal (five
/// minutes of playing at the cadence).
const WATCHED_EVERY: u32 = 5;
/// An event counts as live this long before its start and after its end (an early
/// start, an overrun), besides whenever its status is `live`.
const LIVE_MARGIN_S: i64 = 30 * 60;

/// What became of a heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeatOutcome {
    Accepted,
    /// Ignored (and counted): a `live` beat while the event is not live.
    NotLive,
    /// Ignored (and counted): sooner after the viewer's previous beat than a player sends.
    TooFast,
}

impl BeatOutcome {
    pub fn code(self) -> &'static str {
        match self {
            BeatOutcome::Accepted => "accepted",
            BeatOutcome::NotLive => "not_live",
            BeatOutcome::TooFast => "too_fast",
        }
    }
}

/// An event's heartbeats this process took, ignored or refused since it started.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BeatCounts {
    pub accepted: u64,
    /// `live` beats while the event was not live.
    pub not_live: u64,
    /// Beats sooner after the viewer's previous one than a player sends them.
    pub too_fast: u64,
    /// Beats refused with an error (bad fields, an unknown session, a replay without
    /// a recording).
    pub refused: u64,
}

/// The heartbeat writer and what it remembers between beats.
pub(crate) struct BeatIngest {
    writer: GroupCommit<StampedBeat, ()>,
    last: Mutex<HashMap<RegistrationId, i64>>,
    /// Accepted beats per viewer since their `watched` signal was last added to.
    unsignalled: Mutex<HashMap<RegistrationId, u32>>,
    counts: Mutex<HashMap<EventId, BeatCounts>>,
    watching: Mutex<HashMap<EventId, (Instant, u64)>>,
    client: Mutex<Option<reqwest::Client>>,
}

impl BeatIngest {
    pub(crate) fn start(store: Arc<dyn roadshow_domain::store::Store>) -> BeatIngest {
        let writer = GroupCommit::start("heartbeat", BEAT_BATCH, move |beats: Vec<StampedBeat>| {
            let store = store.clone();
            async move {
                match store.record_beats(&beats).await {
                    Ok(()) => beats.iter().map(|_| Ok(())).collect(),
                    Err(e) => beats.iter().map(|_| Err(AppError::for_each(&e))).collect(),
                }
            }
        });
        BeatIngest {
            writer,
            last: Mutex::new(HashMap::new()),
            unsignalled: Mutex::new(HashMap::new()),
            counts: Mutex::new(HashMap::new()),
            watching: Mutex::new(HashMap::new()),
            client: Mutex::new(None),
        }
    }

    /// Counts one beat of `event` in the tally `which` picks.
    fn count(&self, event: EventId, which: fn(&mut BeatCounts) -> &mut u64) {
        if let Ok(mut counts) = self.counts.lock() {
            *which(counts.entry(event).or_default()) += 1;
        }
    }

    /// Whether a beat of `registration` at `now` comes soon enough after the previous
    /// one to be ignored; otherwise it is remembered as the latest.
    fn too_fast(&self, registration: RegistrationId, now: i64) -> bool {
        let Ok(mut last) = self.last.lock() else {
            return false;
        };
        if let Some(&previous) = last.get(&registration) {
            if now >= previous && now - previous < MIN_GAP_S {
                return true;
            }
        }
        if last.len() >= REMEMBERED_VIEWERS {
            last.retain(|_, t| now - *t < MIN_GAP_S);
        }
        last.insert(registration, now);
        false
    }
}

/// What a stream check found.
#[derive(Debug, Clone)]
pub struct StreamCheck {
    pub kind: StreamKind,
    pub report: PlaylistReport,
    /// Warnings of the check itself (e.g. an embed that cannot be inspected).
    pub notes: Vec<&'static str>,
}

/// Whether `event` is live at `now` (Unix seconds): its status says so, or it is
/// published and within its scheduled time (with a margin for early starts and overruns).
pub fn is_live(event: &Event, now: i64) -> bool {
    match event.status {
        EventStatus::Live => true,
        EventStatus::Published => {
            now >= event.starts_at.timestamp() - LIVE_MARGIN_S
                && now <= event.ends_at.timestamp() + LIVE_MARGIN_S
        }
        EventStatus::Draft | EventStatus::Closed => false,
    }
}

impl Broadcasts<'_> {
    /// Refuses `iframe` sources from hosts the operator has not allowed.
    pub(crate) fn allowed_hosts(&self, broadcast: &Broadcast) -> AppResult<()> {
        let mut check = Checker::new();
        let hosts = &self.app.config.embed_hosts;
        if let Some(s) = &broadcast.stream {
            check_embed_hosts(&mut check, "stream", s, hosts);
        }
        if let Some(r) = &broadcast.recording {
            check_embed_hosts(&mut check, "recording", r, hosts);
        }
        Ok(check.finish(())?)
    }

    /// The event's heartbeats this process took, ignored or refused since it started.
    pub fn counts(&self, event: EventId) -> BeatCounts {
        self.app
            .beats
            .counts
            .lock()
            .map(|c| c.get(&event).copied().unwrap_or_default())
            .unwrap_or_default()
    }

    /// A participant's player says it is playing.
    pub async fn heartbeat(
        &self,
        principal: &Principal,
        slug: &str,
        input: &HeartbeatInput,
    ) -> AppResult<BeatOutcome> {
        principal.as_participant()?;
        let page = self.app.event_of(principal, slug).await?;
        let access = principal.as_participant_of(page.event.id)?;
        let beats = &self.app.beats;
        let event = page.event.id;
        let refused = |e: AppError| {
            beats.count(event, |c| &mut c.refused);
            e
        };
        let beat = input.parse().map_err(|e| refused(e.into()))?;
        let session = match beat.session_id {
            None => None,
            Some(id) => Some(
                page.sessions
                    .iter()
                    .find(|s| s.id.0 == id)
                    .ok_or_else(|| refused(AppError::invalid("session_id", "unknown_choice")))?,
            ),
        };
        let now = Utc::now().timestamp();
        if beat.mode == Mode::Replay {
            let has_recording = page.event.broadcast.recording.is_some()
                || session.is_some_and(|s| s.broadcast.recording.is_some());
            if !has_recording {
                return Err(refused(AppError::invalid("mode", "no_recording")));
            }
        } else if !is_live(&page.event, now) {
            beats.count(event, |c| &mut c.not_live);
            return Ok(BeatOutcome::NotLive);
        }
        if beats.too_fast(access.registration_id, now) {
            beats.count(event, |c| &mut c.too_fast);
            return Ok(BeatOutcome::TooFast);
        }
        beats
            .writer
            .submit(StampedBeat {
                event_id: event,
                registration_id: access.registration_id,
                at: now,
                beat,
            })
            .await?;
        beats.count(event, |c| &mut c.accepted);
        self.signal_watching(access.participant_id, access.registration_id, event);
        Ok(BeatOutcome::Accepted)
    }

    /// Every [`WATCHED_EVERY`] accepted beats, adds as many minutes to the viewer's
    /// `watched` signal for the leads pipeline (stronger than an open page), off the
    /// heartbeat's path: a failure is logged and the beat stands.
    fn signal_watching(
        &self,
        participant: ParticipantId,
        registration: RegistrationId,
        event: EventId,
    ) {
        let due = match self.app.beats.unsignalled.lock() {
            Ok(mut pending) => {
                let n = pending.entry(registration).or_insert(0);
                *n += 1;
                if *n >= WATCHED_EVERY {
                    pending.remove(&registration);
                    true
                } else {
                    false
                }
            }
            Err(_) => false,
        };
        if !due {
            return;
        }
        let app = self.app.clone();
        let seconds = i64::from(WATCHED_EVERY) * viewing::CADENCE_S;
        tokio::spawn(async move {
            let kind = roadshow_domain::signals::SignalKind::Watched;
            match app
                .store
                .add_seconds(kind, participant, event, seconds, Utc::now())
                .await
            {
                Ok(Some(company)) => app.leads().score_later(company),
                Ok(None) => {}
                Err(e) => tracing::error!(
                    error = &e as &dyn std::error::Error,
                    "recording viewing as a signal failed"
                ),
            }
        });
    }

    /// How many are watching the event live now (reused for a few seconds: every staff
    /// console asks).
    pub async fn watching_now(&self, event: EventId) -> AppResult<u64> {
        if let Ok(cache) = self.app.beats.watching.lock() {
            if let Some((at, n)) = cache.get(&event) {
                if at.elapsed() < WATCHING_FRESH {
                    return Ok(*n);
                }
            }
        }
        let now = Utc::now().timestamp();
        let n = self
            .app
            .store
            .watching_since(event, now - viewing::JOIN_S, now)
            .await?;
        if let Ok(mut cache) = self.app.beats.watching.lock() {
            cache.insert(event, (Instant::now(), n));
        }
        Ok(n)
    }

    /// Whether `principal` may check streams (an organiser): asked before the request's
    /// body is read, so that who may not learns that first.
    pub fn may_check_stream(&self, principal: &Principal) -> AppResult<()> {
        principal.as_organiser().map(|_| ())
    }

    /// Checks a stream before it goes live: the organiser's `source`, or the event's own.
    /// For HLS the master playlist is fetched (safely, see [`fetch`]) and read.
    pub async fn check_stream(
        &self,
        principal: &Principal,
        slug: &str,
        source: Option<&SourceInput>,
    ) -> AppResult<StreamCheck> {
        principal.as_organiser()?;
        let page = self.app.organiser_page(principal, slug).await?;
        let source = match source {
            Some(input) => {
                let mut check = Checker::new();
                let parsed = input.parse(&mut check, "stream");
                check.finish(())?;
                parsed.ok_or_else(|| AppError::invalid("stream", "required"))?
            }
            None => page
                .event
                .broadcast
                .stream
                .as_ref()
                .map(|s| s.source.clone())
                .ok_or_else(|| AppError::invalid("stream", "required"))?,
        };
        if source.kind != StreamKind::Hls {
            return Ok(StreamCheck {
                kind: source.kind,
                report: PlaylistReport::default(),
                notes: vec!["embed_not_inspected"],
            });
        }
        let allow_private = self.app.config.allow_private_streams;
        let client = self.fetch_client()?;
        let bytes = fetch::fetch(&client, &source.value, "url", allow_private).await?;
        Ok(StreamCheck {
            kind: source.kind,
            report: playlist::inspect(&bytes),
            notes: Vec::new(),
        })
    }

    fn fetch_client(&self) -> AppResult<reqwest::Client> {
        let mut slot = self
            .app
            .beats
            .client
            .lock()
            .map_err(|_| AppError::internal("the fetch client's lock is poisoned"))?;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let c = fetch::client(self.app.config.allow_private_streams)?;
        *slot = Some(c.clone());
        Ok(c)
    }

    /// Who may watch the replay: anyone when the organiser made it public, else the
    /// event's participants and its agency's staff.
    async fn replay_page(&self, principal: &Principal, slug: &str) -> AppResult<Arc<EventPage>> {
        let page = self.app.event_of(principal, slug).await?;
        let allowed = page.event.replay_public
            || self.app.is_staff_of(principal, &page)
            || principal.as_participant_of(page.event.id).is_ok();
        match (allowed, principal) {
            (true, _) => Ok(page),
            (false, Principal::Anonymous) => Err(AppError::Unauthenticated),
            (false, _) => Err(AppError::Forbidden),
        }
    }

    /// The replay: the event and its chapters in `lang`, with what keeps them from being
    /// YouTube chapters.
    pub async fn replay(
        &self,
        principal: &Principal,
        slug: &str,
        lang: Lang,
    ) -> AppResult<(Arc<EventPage>, Vec<Chapter>, Vec<ChapterWarning>)> {
        let page = self.replay_page(principal, slug).await?;
        let chapters = self.chapters_of(&page, lang);
        let warnings = chapters::warnings(&chapters);
        Ok((page, chapters, warnings))
    }

    fn chapters_of(&self, page: &EventPage, lang: Lang) -> Vec<Chapter> {
        let agenda: Vec<AgendaItem> = page
            .sessions
            .iter()
            .map(|s| AgendaItem {
                session_id: s.id.0,
                start: s.starts_at.timestamp(),
                end: s.ends_at.timestamp(),
                title: s.title.get(lang).to_string(),
            })
            .collect();
        let from = page
            .event
            .broadcast
            .recording_started_at
            .unwrap_or(page.event.starts_at)
            .timestamp();
        let opening = roadshow_i18n::t(lang, "replay-opening-chapter");
        chapters::chapters(&agenda, from, None, &opening)
    }

    /// The captions of the event's recording (languages and when they were uploaded).
    pub async fn captions(&self, principal: &Principal, slug: &str) -> AppResult<Vec<Caption>> {
        let page = self.replay_page(principal, slug).await?;
        Ok(self
            .app
            .store
            .captions(page.event.id, &recording_key(None))
            .await?)
    }

    /// Uploads (or replaces) the captions of the event's recording in one language.
    pub async fn set_caption(
        &self,
        principal: &Principal,
        slug: &str,
        language: &str,
        vtt: &str,
    ) -> AppResult<Caption> {
        principal.as_organiser()?;
        let page = self.app.organiser_page(principal, slug).await?;
        let language = language
            .parse::<Lang>()
            .map_err(|_| AppError::invalid("language", "unknown_language"))?;
        check_captions(vtt).map_err(|e| AppError::Invalid(vec![e]))?;
        let caption = Caption {
            language,
            vtt: vtt.strip_prefix('\u{feff}').unwrap_or(vtt).to_string(),
            updated_at: Utc::now(),
        };
        self.app
            .store
            .set_caption(page.event.id, &recording_key(None), &caption)
            .await?;
        Ok(caption)
    }

    pub async fn delete_caption(
        &self,
        principal: &Principal,
        slug: &str,
        language: Lang,
    ) -> AppResult<()> {
        principal.as_organiser()?;
        let page = self.app.organiser_page(principal, slug).await?;
        Ok(self
            .app
            .store
            .delete_caption(page.event.id, &recording_key(None), language)
            .await?)
    }
}

/// The message for a playlist warning is the interface's; its code is stable.
pub fn warning_key(w: PlaylistWarning) -> String {
    format!("stream-warning-{}", w.code().replace('_', "-"))
}
