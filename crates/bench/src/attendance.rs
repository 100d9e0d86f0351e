//! The attendance benchmark (`scripts/bench attendance`): heartbeats of 20,000 viewers
//! folded into viewing as the heartbeat writer does it (groups of up to 1,000 in one
//! transaction), against a plain writer that inserts each heartbeat in its own
//! transaction; the attendance summary of 20,000 viewers over 180 minutes; database
//! growth per viewer-hour.

use anyhow::{Result, anyhow};
use chrono::{DateTime, Duration as Days, Utc};
use roadshow_domain::accounts::AccountStore;
use roadshow_domain::broadcast::viewing::{self, Heartbeat, Mode, Slot, Span, Viewing};
use roadshow_domain::broadcast::{BroadcastStore, StampedBeat};
use roadshow_domain::events::{EventDraft, EventStatus, EventStore};
use roadshow_domain::ids::{EventId, RegistrationId};
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::registrations::{
    CompanyDraft, Email, NewRegistration, RegistrationDraft, RegistrationStore,
};
use roadshow_domain::{Lang, Localized};
use std::time::Instant;

pub struct Options {
    pub database_url: String,
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
) -> Result<(EventId, Vec<i64>)> {
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
            ids.push(r.map_err(e)?.id.0);
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
    let store = roadshow_store::SqlStore::connect(&o.database_url)
        .await
        .map_err(|e| anyhow!("{e}"))?;
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
            .map(|(i, id)| beat(event, *id, t0 + m * 60 + (i % 60) as i64))
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
        .map(|id| beat(event, *id, t0 + o.minutes * 60 + 5))
        .collect();
    let t = Instant::now();
    for group in burst.chunks(1000) {
        store
            .record_beats(group)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let burst_s = t.elapsed().as_secs_f64();

    let plain = baseline(&o.database_url, event, &ids, 5_000.min(beats)).await?;

    // The summary over 180 minutes: each viewer's intervals as the fold leaves them.
    let summary_event = seed_summary(&store, &ids, t0).await?;
    let slots: Vec<Slot> = (0..6)
        .map(|k| Slot {
            session_id: k,
            start: t0 + k * 1800,
            end: t0 + (k + 1) * 1800,
        })
        .collect();
    let mut times = Vec::new();
    let mut reads = Vec::new();
    let mut rows = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let viewings = store
            .viewings(summary_event)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        reads.push(t.elapsed().as_secs_f64() * 1000.0);
        rows = viewings.len();
        let a = viewing::attendance(&viewings, &slots, t0, t0 + 180 * 60, t0 + 100 * 60, 10);
        std::hint::black_box(a);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    reads.sort_by(f64::total_cmp);

    println!(
        "| {db} | {viewers} viewers × {minutes} min | {sustained:.0} heartbeats/s (group commit p50 {:.1} ms, p99 {:.1} ms) | burst of {viewers} in {burst_s:.2} s ({:.0}/s) | plain INSERT per heartbeat: {plain:.0}/s | summary of {viewers} × 180 min ({rows} intervals): p50 {:.1} ms, p99 {:.1} ms (reading them: p50 {:.1} ms) | {per_viewer_hour:.0} bytes per viewer-hour |",
        percentile(&commits, 50.0),
        percentile(&commits, 99.0),
        o.viewers as f64 / burst_s,
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        percentile(&reads, 50.0),
        viewers = o.viewers,
        minutes = o.minutes
    );
    Ok(())
}

/// A second event whose 20,000 viewers watched the 180 minutes in one to three
/// intervals each, as the fold leaves them.
async fn seed_summary(store: &roadshow_store::SqlStore, ids: &[i64], t0: i64) -> Result<EventId> {
    let event = store
        .event_by_slug("bench-attendance")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .ok_or_else(|| anyhow!("no event"))?;
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
            .add_viewings(event.id, chunk)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(event.id)
}
