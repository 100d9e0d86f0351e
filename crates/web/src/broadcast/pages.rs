//! The broadcast's pages: the replay with its chapters, the organisers' attendance page,
//! the stream check and the captions upload on the event's page, and the live page's
//! heartbeats (by cookie).

use super::player::{Beats, player, with_csp};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, FormData, FormState};
use crate::pages::{render, see_other};
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use roadshow_app::AppError;
use roadshow_domain::Lang;
use roadshow_domain::broadcast::{Broadcast, PageSources, Stream, StreamKind};
use roadshow_domain::time::to_local_input;
use serde::Deserialize;

/// The stream types an organiser can choose (a recording cannot be a meeting link or an
/// Owncast live stream).
pub fn stream_types(ctx: &Ctx, live: bool) -> Vec<Choice> {
    StreamKind::ALL
        .iter()
        .filter(|k| live || !matches!(k, StreamKind::Link | StreamKind::Owncast))
        .map(|k| Choice {
            value: k.code().to_string(),
            label: ctx.t(&format!("stream-type-{}", k.code().replace('_', "-"))),
        })
        .collect()
}

fn set_stream(f: &mut FormState, prefix: &str, stream: Option<&Stream>) {
    let Some(s) = stream else { return };
    f.set(&format!("{prefix}.type"), s.source.kind.code());
    f.set(&format!("{prefix}.url"), s.source.value.clone());
    for (i, a) in s.alternatives.iter().enumerate() {
        f.set(
            &format!("{prefix}.alternatives.{i}.language"),
            a.language.code(),
        );
        f.set(
            &format!("{prefix}.alternatives.{i}.type"),
            a.source.kind.code(),
        );
        f.set(
            &format!("{prefix}.alternatives.{i}.url"),
            a.source.value.clone(),
        );
    }
}

/// An event's or a session's broadcast as its form shows it.
pub fn set_broadcast_fields(f: &mut FormState, b: &Broadcast, zone: Tz) {
    set_stream(f, "stream", b.stream.as_ref());
    set_stream(f, "recording", b.recording.as_ref());
    if let Some(t) = b.recording_started_at {
        f.set("recording_started_at", to_local_input(t, zone));
    }
}

/// The recording's captions as the event's page lists them.
pub async fn caption_list(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<Vec<(String, String)>, Error> {
    Ok(state
        .app
        .broadcast()
        .captions(&ctx.principal, slug)
        .await?
        .iter()
        .map(|c| {
            (
                c.language.code().to_string(),
                c.language.endonym().to_string(),
            )
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
pub struct BeatQuery {
    csrf: Option<String>,
}

/// The live and replay pages' heartbeats, by the participant's cookie; the CSRF token
/// is in the address, as `sendBeacon` cannot send a header.
pub async fn heartbeat(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<BeatQuery>,
    body: Bytes,
) -> Result<Response, Error> {
    if !q.csrf.as_deref().is_some_and(|t| ctx.csrf_matches(t)) {
        return Err(Error(AppError::Forbidden));
    }
    let input: super::wire::HeartbeatInput = serde_json::from_slice(&body)
        .map_err(|_| Error(AppError::invalid("body", "invalid_json")))?;
    let outcome = state
        .app
        .broadcast()
        .heartbeat(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(super::api::receipt(outcome))
}

pub struct ChapterView {
    pub at: i64,
    pub clock: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "replay.html")]
struct ReplayPage<'a> {
    ctx: &'a Ctx,
    e: crate::events::views::EventView,
    player: Option<super::player::PlayerView>,
    player_hls: bool,
    chapters: Vec<ChapterView>,
    warnings: Vec<String>,
    recorded_from: TimeView,
}

fn clock(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The replay: the recording with its chapters from the agenda, for registered
/// participants (or anyone, where the organiser says so).
pub async fn replay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let (page, chapters, warnings) = state
        .app
        .broadcast()
        .replay(&ctx.principal, &slug, ctx.lang)
        .await?;
    let captions = state
        .app
        .broadcast()
        .captions(&ctx.principal, &slug)
        .await?;
    let recording = page.event.broadcast.recording.as_ref();
    let participant = ctx.is_participant();
    let player = recording.map(|r| {
        let mut p = player(
            &ctx,
            r,
            Beats {
                slug: &slug,
                mode: "replay",
                session_id: None,
                participant,
            },
            serde_json::Value::Null,
        );
        p.tracks.push(super::player::Track {
            kind: "chapters",
            src: format!("/events/{slug}/chapters.vtt?lang={}", ctx.lang.code()),
            lang: ctx.lang.code().to_string(),
            label: ctx.t("replay-chapters"),
        });
        for c in &captions {
            p.tracks.push(super::player::Track {
                kind: "subtitles",
                src: format!("/events/{slug}/captions/{}", c.language.code()),
                lang: c.language.code().to_string(),
                label: c.language.endonym().to_string(),
            });
        }
        p
    });
    let sources = PageSources::of(recording);
    let response = render(&ReplayPage {
        e: crate::events::views::event_view(&ctx, &page),
        player_hls: player.as_ref().is_some_and(|p| p.kind == "hls"),
        player,
        chapters: chapters
            .iter()
            .map(|c| ChapterView {
                at: c.start_s,
                clock: clock(c.start_s),
                title: c.title.clone(),
            })
            .collect(),
        warnings: warnings
            .iter()
            .map(|w| ctx.t(&format!("chapters-warning-{}", w.code().replace('_', "-"))))
            .collect(),
        recorded_from: time_view(
            &ctx,
            page.event
                .broadcast
                .recording_started_at
                .unwrap_or(page.event.starts_at),
        ),
        ctx: &ctx,
    });
    Ok(if sources.is_empty() {
        response
    } else {
        with_csp(response, &sources)
    })
}

pub struct Stat {
    pub label: String,
    pub value: String,
}

pub struct SessionRow {
    pub title: LText,
    pub start: TimeView,
    pub end: TimeView,
    pub viewers: u64,
    pub minutes: i64,
    pub early_leavers: u64,
}

pub struct ViewerRow {
    pub name: String,
    pub company: String,
    pub minutes_live: i64,
    pub minutes_replay: i64,
    pub sessions: usize,
    pub language: String,
    pub attended: bool,
}

pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

pub struct Tick {
    pub x: f64,
    pub label: String,
}

pub struct BucketRow {
    pub beijing: String,
    pub local: String,
    pub viewers: u64,
}

#[derive(Template)]
#[template(path = "admin/attendance.html")]
struct AttendancePage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    stats: Vec<Stat>,
    measured_by: String,
    own_sessions_only: bool,
    sessions: Vec<SessionRow>,
    languages: Vec<(String, u64)>,
    beats: Vec<(String, u64)>,
    viewers: Vec<ViewerRow>,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    buckets: Vec<BucketRow>,
    peak: u64,
    same_zone: bool,
}

const CHART_W: f64 = 720.0;
const CHART_H: f64 = 160.0;

fn language_name(code: &str) -> String {
    code.split('-')
        .next()
        .and_then(|p| p.parse::<Lang>().ok())
        .map(|l| l.endonym().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The attendance page (organisers, investment officers; officials see their sessions).
pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let view = state
        .app
        .broadcast()
        .attendance(&ctx.principal, &slug)
        .await?;
    let a = &view.attendance;
    let at = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default();
    let share = (a.attended * 100)
        .checked_div(a.unique_viewers)
        .unwrap_or(0);
    let mut stats = vec![
        Stat {
            label: ctx.t("attendance-watching-now"),
            value: a.watching_now.to_string(),
        },
        Stat {
            label: ctx.t("attendance-unique-viewers"),
            value: a.unique_viewers.to_string(),
        },
        Stat {
            label: ctx.t("attendance-peak"),
            value: a.peak_concurrent.to_string(),
        },
        Stat {
            label: ctx.t1(
                "attendance-attended",
                "minutes",
                &a.attended_minutes.to_string(),
            ),
            value: format!("{} ({share} %)", a.attended),
        },
        Stat {
            label: ctx.t("attendance-minutes-live"),
            value: a.minutes_live.to_string(),
        },
        Stat {
            label: ctx.t("attendance-minutes-replay"),
            value: a.minutes_replay.to_string(),
        },
        Stat {
            label: ctx.t("attendance-early-leavers"),
            value: a.early_leavers.to_string(),
        },
    ];
    if let Some(p) = a.peak_at {
        let t = time_view(&ctx, at(p));
        stats[2].label = format!(
            "{} ({} {})",
            ctx.t("attendance-peak"),
            t.beijing_clock,
            ctx.t("time-beijing-short")
        );
    }
    let peak = a
        .buckets
        .iter()
        .map(|b| b.viewers)
        .max()
        .unwrap_or(0)
        .max(1);
    let n = a.buckets.len().max(1) as f64;
    let width = CHART_W / n;
    let bars = a
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let height = (b.viewers as f64 / peak as f64) * (CHART_H - 20.0);
            let t = time_view(&ctx, at(b.start));
            Bar {
                x: i as f64 * width + 1.0,
                y: CHART_H - 20.0 - height,
                width: (width - 2.0).max(1.0),
                height,
                title: format!(
                    "{} {} · {}",
                    t.beijing_clock,
                    ctx.t("time-beijing-short"),
                    b.viewers
                ),
            }
        })
        .collect();
    let ticks = a
        .buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 6 == 0)
        .map(|(i, b)| Tick {
            x: i as f64 * width,
            label: time_view(&ctx, at(b.start)).beijing_clock,
        })
        .collect();
    let buckets = a
        .buckets
        .iter()
        .map(|b| {
            let t = time_view(&ctx, at(b.start));
            BucketRow {
                beijing: t.beijing_clock,
                local: format!("{} {}", t.local_clock, t.local_offset),
                viewers: b.viewers,
            }
        })
        .collect();
    let sessions = a
        .sessions
        .iter()
        .filter_map(|s| {
            let session = view.page.sessions.iter().find(|x| x.id.0 == s.session_id)?;
            Some(SessionRow {
                title: loc(&ctx, &session.title),
                start: time_view(&ctx, session.starts_at),
                end: time_view(&ctx, session.ends_at),
                viewers: s.viewers,
                minutes: s.minutes,
                early_leavers: s.early_leavers,
            })
        })
        .collect();
    let viewers = view
        .top_viewers
        .iter()
        .map(|(v, name, company)| ViewerRow {
            name: name.clone(),
            company: company.clone(),
            minutes_live: v.minutes_live,
            minutes_replay: v.minutes_replay,
            sessions: v.sessions.len(),
            language: v
                .audio_language
                .as_deref()
                .map(language_name)
                .unwrap_or_default(),
            attended: v.attended,
        })
        .collect();
    let same_zone = time_view(&ctx, view.page.event.starts_at).same_zone;
    Ok(render(&AttendancePage {
        slug: slug.clone(),
        title: loc(&ctx, &view.page.event.title),
        stats,
        measured_by: ctx.t(&format!(
            "attendance-measured-{}",
            view.measured_by.code().replace('_', "-")
        )),
        own_sessions_only: view.own_sessions_only,
        sessions,
        languages: a
            .audio_languages
            .iter()
            .map(|(k, v)| (language_name(k), *v))
            .collect(),
        beats: [
            ("accepted", view.beats.accepted),
            ("not-live", view.beats.not_live),
            ("too-fast", view.beats.too_fast),
            ("refused", view.beats.refused),
        ]
        .into_iter()
        .map(|(k, n)| (ctx.t(&format!("attendance-beats-{k}")), n))
        .collect(),
        viewers,
        bars,
        ticks,
        buckets,
        peak,
        same_zone,
        ctx: &ctx,
    }))
}

#[derive(Template)]
#[template(path = "admin/stream_check.html")]
struct CheckPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    check: super::wire::StreamCheck,
}

/// The stream check from the event's page: the event's own stream.
pub async fn check(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    crate::forms::Form(_data): crate::forms::Form,
) -> Result<Response, Error> {
    let result = state
        .app
        .broadcast()
        .check_stream(&ctx.principal, &slug, None)
        .await?;
    Ok(render(&CheckPage {
        slug,
        check: super::wire::StreamCheck::of(&result, ctx.lang),
        ctx: &ctx,
    }))
}

/// Uploads the captions of one language from the event's page.
pub async fn upload_captions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Error> {
    // Only an organiser gets to send the body.
    state
        .app
        .events()
        .event_for_organiser(&ctx.principal, &slug)
        .await?;
    let multipart = multipart.map_err(|_| Error(AppError::invalid("file", "malformed_upload")))?;
    let upload = crate::upload::read_upload(
        multipart,
        roadshow_domain::broadcast::CAPTIONS_MAX_BYTES + 64 * 1024,
    )
    .await?;
    let fields = FormData(upload.fields.clone());
    crate::forms::check_csrf(&ctx, &fields)?;
    let text = std::str::from_utf8(&upload.bytes)
        .map_err(|_| AppError::invalid("vtt", "invalid_webvtt"))?;
    state
        .app
        .broadcast()
        .set_caption(
            &ctx.principal,
            &slug,
            fields.get("language").unwrap_or(""),
            text,
        )
        .await?;
    Ok(see_other(&format!("/admin/events/{slug}#broadcast-tools")))
}
