//! The leads benchmark (`scripts/bench leads`): a seeded pipeline of 10,000 leads with
//! 200,000 signals on a fresh database; the board, the filtered list and a lead's
//! timeline timed in-process (server time) and over HTTP; then the live stream's
//! delivery latency to 1,000 clients with and without 1,000 signals per second recorded
//! meanwhile, in the same process and run.

use crate::Target;
use crate::fanout::{fanout, percentile};
use anyhow::{Context, Result, anyhow};
use chrono::{Duration as Days, Utc};
use roadshow_app::{App, Config, Principal};
use roadshow_domain::Lang;
use roadshow_domain::accounts::Role;
use roadshow_domain::events::{EventDraft, EventStatus};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::registrations::{CompanyDraft, Email, NewRegistration, RegistrationDraft};
use roadshow_domain::signals::{NewSignal, SignalKind};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so every run seeds the same pipeline.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const COUNTRIES: &[&str] = &["DE", "AT", "CH", "FR", "NL", "IT", "ES", "SE", "PL", "BE"];
const SECTORS: &[&str] = &[
    "smart-manufacturing",
    "automotive",
    "machinery",
    "biomedicine",
    "new-energy",
    "ict-software",
    "finance",
    "logistics",
];
const DISTRICTS: &[&str] = &[
    "chaoyang", "haidian", "shunyi", "daxing", "tongzhou", "e_town",
];
const KINDS: &[SignalKind] = &[
    SignalKind::Attended,
    SignalKind::Asked,
    SignalKind::Answered,
    SignalKind::Voted,
    SignalKind::MeetingRequested,
    SignalKind::MeetingHeld,
    SignalKind::SurveyAnswered,
];

pub struct Options {
    pub database_url: String,
    pub data: std::path::PathBuf,
    pub leads: usize,
    pub signals: usize,
    pub samples: usize,
    pub clients: usize,
    pub updates: usize,
    pub signal_rate: u64,
    pub seed: u64,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(mut ms: Vec<f64>) -> Value {
    ms.sort_by(|a, b| a.total_cmp(b));
    json!({"p50_ms": percentile(&ms, 50.0), "p99_ms": percentile(&ms, 99.0), "max_ms": ms.last().copied().unwrap_or(0.0), "n": ms.len()})
}

pub async fn run(o: Options) -> Result<Value> {
    let store = roadshow_store::SqlStore::connect(&o.database_url)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let signals = store.live_signals().await.map_err(|e| anyhow!("{e}"))?;
    let mut config = Config::new(o.data.clone(), "http://127.0.0.1".into());
    config.writes_per_minute = u32::MAX;
    config.votes_per_minute = u32::MAX;
    config.questions_per_minute = u32::MAX;
    config.registrations_per_minute = u32::MAX;
    config.streams_per_address = u32::MAX;
    let app = App::new(config, Arc::new(store)).map_err(|e| anyhow!("{e}"))?;
    if let Some(s) = signals {
        app.live().follow_live_signals(s);
    }
    app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
    let seeding = Instant::now();
    let (officer, participants) = seed(&app, &o).await?;
    let seed_seconds = seeding.elapsed().as_secs_f64();
    if o.database_url.starts_with("postgres") {
        // What autovacuum does soon after a bulk load: fresh statistics for the planner.
        let pool = sqlx::PgPool::connect(&o.database_url).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        pool.close().await;
    }

    // Server time: the use cases the pages and the API call.
    let mut rng = Rng(o.seed ^ 0x9e37);
    let leads = app
        .store
        .leads(
            officer_agency(&officer)?,
            &LeadFilter {
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?
        .0;
    let filters = |rng: &mut Rng| LeadFilter {
        stage: (rng.below(2) == 0).then(|| *rng.pick(Stage::ALL)),
        country: (rng.below(2) == 0).then(|| rng.pick(COUNTRIES).to_string()),
        sector: (rng.below(3) == 0).then(|| rng.pick(SECTORS).to_string()),
        min_score: (rng.below(3) == 0).then(|| rng.below(40) as i64),
        overdue_on: (rng.below(4) == 0).then(|| Utc::now().date_naive()),
        offset: 0,
        limit: 50,
        ..Default::default()
    };
    let mut board = Vec::new();
    let mut list = Vec::new();
    let mut timeline = Vec::new();
    for _ in 0..o.samples {
        let t = Instant::now();
        app.leads()
            .board(&officer, OwnerFilter::Anyone)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        board.push(millis(t.elapsed()));
        let f = filters(&mut rng);
        let t = Instant::now();
        app.leads()
            .list(&officer, &f)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        list.push(millis(t.elapsed()));
        let lead = rng.pick(&leads).id;
        let t = Instant::now();
        app.leads()
            .view(&officer, lead)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        timeline.push(millis(t.elapsed()));
    }

    // Over HTTP, on a port of this process, as `roadshow serve` serves it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let state = roadshow_web::AppState::new(app.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(roadshow_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let token = app
        .accounts()
        .create_api_token("officer@roadshow.example")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    let mut http_board = Vec::new();
    let mut http_list = Vec::new();
    let mut http_timeline = Vec::new();
    for _ in 0..o.samples {
        let get = |path: String| {
            let http = http.clone();
            let token = token.clone();
            async move {
                let t = Instant::now();
                let r = http.get(path).bearer_auth(token).send().await?;
                let status = r.status();
                r.bytes().await?;
                if !status.is_success() {
                    return Err(anyhow!("status {status}"));
                }
                Ok::<f64, anyhow::Error>(millis(t.elapsed()))
            }
        };
        http_board.push(get(format!("{base}/api/v1/leads/board")).await?);
        let f = filters(&mut rng);
        let mut q = vec![];
        if let Some(s) = f.stage {
            q.push(format!("stage={}", s.code()));
        }
        if let Some(c) = &f.country {
            q.push(format!("country={c}"));
        }
        if let Some(s) = &f.sector {
            q.push(format!("sector={s}"));
        }
        if let Some(m) = f.min_score {
            q.push(format!("min_score={m}"));
        }
        if f.overdue_on.is_some() {
            q.push("overdue=1".into());
        }
        http_list.push(get(format!("{base}/api/v1/leads?{}", q.join("&"))).await?);
        let lead = rng.pick(&leads).id.0;
        http_timeline.push(get(format!("{base}/api/v1/leads/{lead}/timeline")).await?);
    }

    // The live stream, without and then with signals recorded at the set rate.
    let moderator = app
        .accounts()
        .create_api_token("moderator@roadshow.example")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let event = app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .context("demo event")?
        .id;
    let quiet = fanout(
        Target::Roadshow,
        addr,
        o.clients,
        o.updates,
        Duration::from_millis(200),
        None,
        "two-zones-germany",
        &moderator,
    )
    .await?;
    let running = Arc::new(AtomicBool::new(true));
    let recorded = Arc::new(AtomicU64::new(0));
    let writer = {
        let (app, running, recorded) = (app.clone(), running.clone(), recorded.clone());
        let rate = o.signal_rate;
        tokio::spawn(async move {
            // Ten at a time every 10 ms: 1,000 a second at the default rate, each through
            // the same path an action takes (stored once, the lead's score brought up to date).
            let per_tick = (rate / 100).max(1);
            let mut tick = tokio::time::interval(Duration::from_millis(10));
            let mut n: i64 = 10_000_000;
            let mut rng = Rng(0x51ed);
            while running.load(Ordering::Relaxed) {
                tick.tick().await;
                // As many at once as a tick holds, the way concurrent requests record them.
                let mut calls = Vec::with_capacity(per_tick as usize);
                for _ in 0..per_tick {
                    n += 1;
                    let p = *rng.pick(&participants);
                    let app = app.clone();
                    calls.push(async move {
                        app.signals()
                            .record(p, event, SignalKind::Voted, n, 0)
                            .await
                    });
                }
                futures_util::future::join_all(calls).await;
                recorded.fetch_add(per_tick, Ordering::Relaxed);
            }
        })
    };
    let loaded_started = Instant::now();
    let loaded = fanout(
        Target::Roadshow,
        addr,
        o.clients,
        o.updates,
        Duration::from_millis(200),
        None,
        "two-zones-germany",
        &moderator,
    )
    .await?;
    running.store(false, Ordering::Relaxed);
    let _ = writer.await;
    let rate = recorded.load(Ordering::Relaxed) as f64 / loaded_started.elapsed().as_secs_f64();
    let _ = stop.send(());
    app.live().live_hub().close();
    let _ = server.await;

    Ok(json!({
        "database": if o.database_url.starts_with("postgres") { "postgres" } else { "sqlite" },
        "leads": o.leads,
        "signals": o.signals,
        "seed_seconds": seed_seconds,
        "in_process": {"board": summary(board), "list": summary(list), "timeline": summary(timeline)},
        "http": {"board": summary(http_board), "list": summary(http_list), "timeline": summary(http_timeline)},
        "live_without_signals": quiet,
        "live_with_signals": loaded,
        "signals_per_second": rate,
    }))
}

fn officer_agency(p: &Principal) -> Result<AgencyId> {
    p.staff().map(|s| s.agency_id).context("officer")
}

/// Past events with 10,000 companies' registrations, their signals, and a lead for
/// each company in every stage, with owners, scores, next steps and tasks.
async fn seed(app: &App, o: &Options) -> Result<(Principal, Vec<ParticipantId>)> {
    let e = |e: roadshow_domain::store::StoreError| anyhow!("{e}");
    let store = &app.store;
    let agency = store
        .account_by_email("organiser@roadshow.example")
        .await
        .map_err(e)?
        .context("organiser")?
        .account
        .agency_id;
    let mut officers = Vec::new();
    for n in 0..5 {
        let email = format!("bench-officer{n}@roadshow.example");
        let account = app
            .accounts()
            .add_user(
                agency,
                &email,
                &format!("Officer {n}"),
                Role::InvestmentOfficer,
                None,
                "bench-password-2026",
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
        officers.push(account.id);
    }
    let officer = Principal::Staff(
        store
            .account_by_email("officer@roadshow.example")
            .await
            .map_err(e)?
            .context("officer")?
            .account,
    );
    let mut rng = Rng(o.seed);
    let events_n = 20;
    let per_event = o.leads.div_ceil(events_n);
    let mut participants = Vec::new();
    let mut companies = Vec::new();
    let confirmation = EmailMessage {
        to: "x@bench.example".into(),
        subject: "-".into(),
        body_text: "-".into(),
        attachments: vec![],
    };
    for ev in 0..events_n {
        let start = Utc::now() - Days::days(30 * (ev as i64 + 1));
        let draft = EventDraft {
            slug: format!("bench-event-{ev}"),
            title: roadshow_domain::Localized::one(Lang::En, format!("Benchmark event {ev}")),
            theme: Default::default(),
            description: Default::default(),
            focus_industries: vec![],
            target_countries: vec!["DE".into()],
            languages: vec![Lang::En],
            starts_at: start,
            ends_at: start + Days::hours(3),
            timezone: "Asia/Shanghai".into(),
            broadcast: Default::default(),
            replay_public: false,
            attended_minutes: 10,
            status: EventStatus::Published,
            form_fields: vec![],
            privacy_version: "1".into(),
        };
        let event = store.create_event(agency, &draft).await.map_err(e)?;
        let drafts: Vec<RegistrationDraft> = (0..per_event)
            .filter_map(|k| {
                let n = ev * per_event + k;
                Some(RegistrationDraft {
                    email: Email::parse(&format!("person{n}@company{n}.example"))?,
                    name: format!("Person {n}"),
                    job_title: None,
                    language: *rng.pick(&[Lang::De, Lang::En, Lang::Fr]),
                    company: CompanyDraft {
                        name: format!("Company {n} GmbH"),
                        country: rng.pick(COUNTRIES).to_string(),
                        industry: rng.pick(SECTORS).to_string(),
                        size: "50-249".into(),
                        website: Some(format!("https://company{n}.example")),
                    },
                    consent_version: "1".into(),
                    consents: roadshow_domain::privacy::ConsentsInput::default().choices(true),
                    answers: Default::default(),
                })
            })
            .collect();
        let hashes: Vec<String> = (0..drafts.len())
            .map(|k| format!("bench-{ev}-{k}"))
            .collect();
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
            let r = r.map_err(e)?;
            participants.push((r.participant_id, event.id));
            companies.push(r.company.id);
        }
    }
    // Signals: each company's people did something; subjects unique per kind.
    let mut batch = Vec::with_capacity(5_000);
    let registered = participants.len();
    for n in 0..o.signals.saturating_sub(registered) {
        let (p, ev) = *rng.pick(&participants);
        let kind = *rng.pick(KINDS);
        batch.push(NewSignal {
            participant_id: p,
            event_id: ev,
            kind,
            ref_id: n as i64,
            amount: match kind {
                SignalKind::Attended => 60 * rng.below(120) as i64,
                SignalKind::SurveyAnswered => rng.below(5) as i64,
                _ => 0,
            },
            at: Utc::now() - Days::minutes(rng.below(60 * 24 * 300) as i64),
        });
        if batch.len() == 5_000 {
            store.record_signals(&batch).await.map_err(e)?;
            batch.clear();
        }
    }
    store.record_signals(&batch).await.map_err(e)?;
    // A lead per company: owners, stages, scores, next steps, tasks.
    let today = Utc::now().date_naive();
    for (k, company) in companies.iter().take(o.leads).enumerate() {
        let owner = (rng.below(4) != 0).then(|| *rng.pick(&officers));
        let (lead, _) = store
            .ensure_lead(*company, LeadSource::Survey, owner, None, Utc::now())
            .await
            .map_err(e)?;
        app.leads().refresh_score(*company).await;
        let stage = *rng.pick(Stage::ALL);
        if stage != Stage::Prospect {
            let reason = (stage == Stage::Lost).then_some("Chose another location");
            store
                .move_lead(
                    lead.id,
                    stage,
                    reason,
                    officers[k % officers.len()],
                    Utc::now(),
                    None,
                )
                .await
                .map_err(e)?;
        }
        if rng.below(2) == 0 {
            let draft = ProjectDraft {
                project: Project {
                    sector: Some(rng.pick(SECTORS).to_string()),
                    target_district: Some(rng.pick(DISTRICTS).to_string()),
                    capex_cny: Some(1_000_000 * rng.below(500) as i64),
                    jobs: Some(rng.below(300) as i64),
                    next_step: Some("Call".into()),
                    next_step_due: Some(today + Days::days(rng.below(60) as i64 - 30)),
                    ..Default::default()
                },
                owner_id: owner,
            };
            let changes = project_changes(&lead.project, lead.owner_id, &draft);
            store
                .update_lead(lead.id, &draft, &changes, owner, Utc::now(), None)
                .await
                .map_err(e)?;
        }
        if rng.below(5) == 0 {
            let task = TaskDraft {
                title: "Follow up".into(),
                due_on: today + Days::days(rng.below(30) as i64 - 10),
                assignee_id: owner,
            };
            store
                .add_task(lead.id, &task, officers[0], Utc::now())
                .await
                .map_err(e)?;
        }
    }
    Ok((officer, participants.into_iter().map(|(p, _)| p).collect()))
}
