//! The attendance benchmark (`scripts/bench attendance`): heartbeats of 20,000 viewers
//! folded into viewing as the heartbeat writer does it (groups of up to 1,000 in one
//! transaction), against a plain writer that inserts each heartbeat in its own
//! transaction; the attendance summary of 20,000 viewers over 180 minutes; database
//! growth per viewer-hour; the live page's delivery to 1,000 followers with and without
//! the viewers' heartbeats arriving.

use crate::Target;
use crate::fanout::fanout;
use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Duration as Days, Utc};
use roadshow_app::broadcast::BeatOutcome;
use roadshow_app::{App, Config, Principal};
use roadshow_domain::accounts::{AccountStore, ParticipantAccess, Role};
use roadshow_domain::broadcast::viewing::{Heartbeat, HeartbeatInput, Mode, Span, Viewing};
use roadshow_domain::broadcast::{BroadcastStore, StampedBeat};
use roadshow_domain::events::agenda::{SessionDraft, SessionKind};
use roadshow_domain::events::{EventDraft, EventStatus, EventStore};
use roadshow_domain::ids::{EventId, RegistrationId};
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::registrations::{
    CompanyDraft, Email, NewRegistration, Registration, RegistrationDraft, RegistrationStore,
};
use roadshow_domain::{Lang, Localized};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct Options {
    pub database_url: String,
    /// The data folder of the process that serves the live stream.
    pub data: std::path::PathBuf,
    /// Followers of the live stream while the heartbeats arrive.
    pub clients: usize,
    /// Heartbeats a second sent meanwhile (1,667: 100,000 viewers' steady load).
    pub heartbeat_rate: u64,
    pub viewers: usize,
    /// Minutes of heartbeats ingested for the sustained rate.
    pub minutes: i64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn beat(event: EventId, reg: i64, at: i64) -> StampedBeat {
    StampedBeat {
        event_id: event,
        registration_id: RegistrationId(reg),
        at,
        beat: Heartbeat {
            session_id: None,
            mode: Mode::Live,
            position_s: None,
            audio_language: Some(["de", "zh", "en"][(reg % 3) as usize].into()),
            caption_language: None,
        },
    }
}

async fn seed(
    store: &roadshow_store::SqlStore,
    viewers: usize,
    start: DateTime<Utc>,
) -> Result<(EventId, Vec<Registration>)> {
    let e = |e: roadshow_domain::store::StoreError| anyhow!("{e}");
    let agency = store
        .create_agency("bench-attendance", &Localized::one(Lang::En, "Bench"))
        .await
        .map_err(e)?;
    let draft = EventDraft {
        slug: "bench-attendance".into(),
        title: Localized::one(Lang::En, "Attendance benchmark"),
        theme: Default::default(),
        description: Default::default(),
        focus_industries: vec![],
        target_countries: vec!["DE".into()],
        languages: vec![Lang::En],
        starts_at: start,
        ends_at: start + Days::minutes(180),
        timezone: "Asia/Shanghai".into(),
        broadcast: Default::default(),
        replay_public: false,
        attended_minutes: 10,
        status: EventStatus::Live,
        form_fields: vec![],
        privacy_version: "1".into(),
    };
    let event = store.create_event(agency.id, &draft).await.map_err(e)?;
    let confirmation = EmailMessage {
        to: "x@bench.example".into(),
        subject: "-".into(),
        body_text: "-".into(),
        attachments: vec![],
    };
    let mut ids = Vec::with_capacity(viewers);
    for chunk in (0..viewers).collect::<Vec<_>>().chunks(1000) {
        let drafts: Vec<RegistrationDraft> = chunk
            .iter()
            .filter_map(|n| {
                Some(RegistrationDraft {
                    email: Email::parse(&format!("viewer{n}@company{n}.example"))?,
                    name: format!("Viewer {n}"),
                    job_title: None,
                    language: Lang::De,
                    company: CompanyDraft {
                        name: format!("Company {n} GmbH"),
                        country: "DE".into(),
                        industry: "automotive".into(),
                        size: "50-249".into(),
                        website: None,
                    },
                    consent_version: "1".into(),
                    consents: roadshow_domain::privacy::ConsentsInput::default().choices(true),
                    answers: Default::default(),
                })
            })
            .collect();
        let hashes: Vec<String> = chunk.iter().map(|n| format!("bench-viewer-{n}")).collect();
        let batch: Vec<NewRegistration> = drafts
            .iter()
            .zip(hashes.iter())
            .map(|(d, h)| NewRegistration {
                event: &event,
                draft: d,
                token_hash: h,
                confirmation: &confirmation,
                email_status: EmailStatus::Held,
                is_sample: true,
            })
            .collect();
        for r in store.create_registrations(&batch).await.map_err(e)? {
            ids.push(r.map_err(e)?);
        }
    }
    Ok((event.id, ids))
}

async fn database_bytes(url: &str) -> Result<i64> {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await?;
        let (n,): (i64,) = sqlx::query_as("SELECT pg_total_relation_size('viewings')")
            .fetch_one(&pool)
            .await?;
        pool.close().await;
        Ok(n)
    } else {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        let size = |p: String| std::fs::metadata(p).map(|m| m.len() as i64).unwrap_or(0);
        Ok(size(path.to_string()) + size(format!("{path}-wal")))
    }
}

/// One INSERT per heartbeat, each in its own transaction: what a plain writer does.
async fn baseline(url: &str, event: EventId, ids: &[i64], n: usize) -> Result<f64> {
    let pool = sqlx::AnyPool::connect(url).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_heartbeats (event_id BIGINT NOT NULL, registration_id BIGINT NOT NULL, at BIGINT NOT NULL, audio_language TEXT)")
        .execute(&pool)
        .await?;
    let started = Instant::now();
    for i in 0..n {
        sqlx::query("INSERT INTO bench_heartbeats (event_id, registration_id, at, audio_language) VALUES ($1, $2, $3, $4)")
            .bind(event.0)
            .bind(ids[i % ids.len()])
            .bind(i as i64)
            .bind("de")
            .execute(&pool)
            .await?;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_heartbeats")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(rate)
}

pub async fn run(o: Options) -> Result<()> {
    sqlx::any::install_default_drivers();
    let store = Arc::new(
        roadshow_store::SqlStore::connect(&o.database_url)
            .await
            .map_err(|e| anyhow!("{e}"))?,
    );
    let signals = store.live_signals().await.map_err(|e| anyhow!("{e}"))?;
    let db = if o.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let start = Utc::now() - Days::minutes(200);
    let (event, ids) = seed(&store, o.viewers, start).await?;
    let t0 = start.timestamp();
    let before = database_bytes(&o.database_url).await?;

    // Sustained: every viewer beats once a minute (spread over the minute), compressed in
    // time; groups of 1,000 as the writer takes them.
    let mut commits = Vec::new();
    let mut beats = 0usize;
    let started = Instant::now();
    for m in 0..o.minutes {
        let minute: Vec<StampedBeat> = ids
            .iter()
            .enumerate()
            .map(|(i, r)| beat(event, r.id.0, t0 + m * 60 + (i % 60) as i64))
            .collect();
        for group in minute.chunks(1000) {
            let t = Instant::now();
            store
                .record_beats(group)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            commits.push(t.elapsed().as_secs_f64() * 1000.0);
            beats += group.len();
        }
    }
    let sustained = beats as f64 / started.elapsed().as_secs_f64();
    commits.sort_by(f64::total_cmp);
    let after = database_bytes(&o.database_url).await?;
    let viewer_hours = o.viewers as f64 * o.minutes as f64 / 60.0;
    let per_viewer_hour = (after - before).max(0) as f64 / viewer_hours;

    // A burst: every viewer at once (a page reload after the break).
    let burst: Vec<StampedBeat> = ids
        .iter()
        .map(|r| beat(event, r.id.0, t0 + o.minutes * 60 + 5))
        .collect();
    let t = Instant::now();
    for group in burst.chunks(1000) {
        store
            .record_beats(group)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let burst_s = t.elapsed().as_secs_f64();

    let reg_ids: Vec<i64> = ids.iter().map(|r| r.id.0).collect();
    let plain = baseline(&o.database_url, event, &reg_ids, 5_000.min(beats)).await?;

    // The summary over 180 minutes, as the attendance API and page ask for it: the use
    // case (viewing read, folded into the figures with the agenda's six sessions, the 50
    // viewers who watched longest named), each viewer's intervals as the fold leaves them.
    seed_summary(&store, event, &reg_ids, t0).await?;
    let mut config = Config::new(o.data.clone(), "http://127.0.0.1".into());
    config.writes_per_minute = u32::MAX;
    config.votes_per_minute = u32::MAX;
    config.questions_per_minute = u32::MAX;
    config.registrations_per_minute = u32::MAX;
    config.streams_per_address = u32::MAX;
    let app = App::new(config, store.clone()).map_err(|e| anyhow!("{e}"))?;
    if let Some(s) = signals {
        app.live().follow_live_signals(s);
    }
    app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
    let organiser = organiser(&app, &store, event).await?;
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let view = app
            .broadcast()
            .attendance(&organiser, "bench-attendance")
            .await
            .map_err(|e| anyhow!("{e}"))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        rows = view.attendance.unique_viewers;
        std::hint::black_box(view);
    }
    times.sort_by(f64::total_cmp);

    println!(
        "summary\t| {db} | {sustained:.0} heartbeats/s | {:.1} / {:.1} ms | {burst_s:.2} s ({:.0}/s) | {plain:.0}/s | {:.1} / {:.1} ms ({rows} viewers) | {per_viewer_hour:.0} bytes |",
        percentile(&commits, 50.0),
        percentile(&commits, 99.0),
        o.viewers as f64 / burst_s,
        percentile(&times, 50.0),
        percentile(&times, 99.0),
    );

    // The live page's delivery to followers, without and then with the viewers' heartbeats
    // arriving through the heartbeat use case the API calls.
    let delivery = delivery(&app, &ids, &o).await?;
    println!("delivery\t| {db} | {delivery}");
    Ok(())
}

/// An organiser of the benchmark's agency, with the event given six half-hour sessions.
async fn organiser(
    app: &App,
    store: &roadshow_store::SqlStore,
    event: EventId,
) -> Result<Principal> {
    let e = |e: roadshow_domain::store::StoreError| anyhow!("{e}");
    let ev = store.event(event).await.map_err(e)?.context("event")?;
    for k in 0..6 {
        let from = ev.starts_at + Days::minutes(30 * k);
        store
            .create_session(
                event,
                &SessionDraft {
                    starts_at: from,
                    ends_at: from + Days::minutes(30),
                    kind: SessionKind::Presentation,
                    title: Localized::one(Lang::En, format!("Session {k}")),
                    summary: Default::default(),
                    department_id: None,
                    presenter: Default::default(),
                    park_ids: vec![],
                    policy_ids: vec![],
                    story_ids: vec![],
                    broadcast: Default::default(),
                },
            )
            .await
            .map_err(e)?;
    }
    let account = app
        .accounts()
        .add_user(
            ev.agency_id,
            "bench-organiser@bench.example",
            "Bench organiser",
            Role::Organiser,
            None,
            "bench-password-2026",
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    Ok(Principal::Staff(account))
}

/// The demo event's live stream followed by `clients` clients while 40 updates go through
/// the API: once quiet, once with `heartbeat_rate` heartbeats a second from the viewers.
async fn delivery(app: &App, viewers: &[Registration], o: &Options) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let state = roadshow_web::AppState::new(app.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(roadshow_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let moderator = app
        .accounts()
        .create_api_token("moderator@roadshow.example")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let follow = || {
        fanout(
            Target::Roadshow,
            addr,
            o.clients,
            40,
            Duration::from_millis(200),
            None,
            "two-zones-germany",
            &moderator,
        )
    };
    let quiet = follow().await?;
    let running = Arc::new(AtomicBool::new(true));
    let counts = Arc::new([const { AtomicU64::new(0) }; 2]);
    let beater = {
        let (app, running, counts) = (app.clone(), running.clone(), counts.clone());
        let people: Vec<Principal> = viewers
            .iter()
            .map(|r| {
                Principal::Participant(ParticipantAccess {
                    registration_id: r.id,
                    participant_id: r.participant_id,
                    event_id: r.event_id,
                })
            })
            .collect();
        let per_tick = (o.heartbeat_rate / 100).max(1) as usize;
        tokio::spawn(async move {
            // A tick's worth at once every 10 ms, the way concurrent requests arrive; each
            // viewer in turn, so none beats faster than the cadence allows.
            let mut tick = tokio::time::interval(Duration::from_millis(10));
            let mut next = 0usize;
            while running.load(Ordering::Relaxed) {
                tick.tick().await;
                let mut calls = Vec::with_capacity(per_tick);
                for _ in 0..per_tick {
                    let who = people[next % people.len()].clone();
                    next += 1;
                    let app = app.clone();
                    calls.push(async move {
                        let input = HeartbeatInput {
                            session_id: None,
                            mode: Some("live".into()),
                            position_s: None,
                            audio_language: Some("de".into()),
                            caption_language: None,
                        };
                        app.broadcast()
                            .heartbeat(&who, "bench-attendance", &input)
                            .await
                    });
                }
                for outcome in futures_util::future::join_all(calls).await {
                    let k = usize::from(!matches!(outcome, Ok(BeatOutcome::Accepted)));
                    counts[k].fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let loaded_started = Instant::now();
    let loaded = follow().await?;
    running.store(false, Ordering::Relaxed);
    let _ = beater.await;
    let rate = counts[0].load(Ordering::Relaxed) as f64 / loaded_started.elapsed().as_secs_f64();
    let _ = stop.send(());
    app.live().live_hub().close();
    let _ = server.await;
    let s = |x: &serde_json::Value, k: &str| {
        format!(
            "{:.1} / {:.1}",
            x[format!("last_client_from_{k}_p50_ms")]
                .as_f64()
                .unwrap_or(f64::NAN),
            x[format!("last_client_from_{k}_p99_ms")]
                .as_f64()
                .unwrap_or(f64::NAN)
        )
    };
    let lost = quiet["lost"].as_u64().unwrap_or(0) + loaded["lost"].as_u64().unwrap_or(0);
    Ok(format!(
        "{} | {rate:.0} accepted ({} not) | {} | {} | {} | {} | {lost} |",
        o.clients,
        counts[1].load(Ordering::Relaxed),
        s(&quiet, "start"),
        s(&loaded, "start"),
        s(&quiet, "return"),
        s(&loaded, "return"),
    ))
}

/// A second event whose 20,000 viewers watched the 180 minutes in one to three
/// intervals each, as the fold leaves them.
async fn seed_summary(
    store: &roadshow_store::SqlStore,
    event: EventId,
    ids: &[i64],
    t0: i64,
) -> Result<()> {
    // The same event's live viewing is replaced by a full three hours' worth.
    let mut viewings = Vec::with_capacity(ids.len() * 2);
    for (i, id) in ids.iter().enumerate() {
        let join = t0 + (i as i64 * 7919) % 3600;
        let leave = t0 + 180 * 60 - (i as i64 * 104_729) % 2400;
        let lang = ["de", "zh", "en"][i % 3];
        let part = |start: i64, end: i64| Viewing {
            registration_id: *id,
            mode: Mode::Live,
            session_id: None,
            span: Span { start, end },
            audio_language: Some(lang.into()),
            caption_language: None,
        };
        if i % 4 == 0 {
            let mid = (join + leave) / 2;
            viewings.push(part(join, mid));
            viewings.push(part(mid + 600, leave.max(mid + 600)));
        } else {
            viewings.push(part(join, leave));
        }
    }
    for chunk in viewings.chunks(2000) {
        store
            .add_viewings(event, chunk)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}
