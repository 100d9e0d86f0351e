//! The report benchmark (`scripts/bench report`): a generated event of the demo agency
//! with 5,000 registrations, the viewing of 1,000,000 heartbeats, 20,000 questions,
//! 100,000 votes, 2,000 meeting requests, 1,000 leads with 1,500 stage changes and
//! 20,000 directory signals; the report timed in process
//! (the use case), as JSON, as the page and as the XLSX workbook over HTTP; the process's
//! peak memory.

use anyhow::{Context, Result, anyhow};
use chrono::{Duration as Days, Utc};
use roadshow_app::{App, Config};
use roadshow_domain::broadcast::viewing::{Mode, Span, Viewing};
use roadshow_domain::events::agenda::{SessionDraft, SessionKind};
use roadshow_domain::events::{EventDraft, EventStatus};
use roadshow_domain::ids::*;
use roadshow_domain::leads::{LeadSource, Stage};
use roadshow_domain::live::QuestionLive;
use roadshow_domain::meetings::{Priority, RequestDraft};
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::questions::{NewQuestion, QuestionDraft, VoteChange};
use roadshow_domain::registrations::{CompanyDraft, Email, NewRegistration, RegistrationDraft};
use roadshow_domain::signals::{NewSignal, SignalKind};
use roadshow_domain::{Lang, Localized};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

pub struct Options {
    pub database_url: String,
    pub data: std::path::PathBuf,
    pub registrations: usize,
    pub questions: usize,
    pub votes: usize,
    pub meetings: usize,
    pub leads: usize,
    pub samples: usize,
}

const SLUG: &str = "bench-report";
const COUNTRIES: &[&str] = &["DE", "DE", "DE", "AT", "CH", "FR", "IT", "NL"];
const INDUSTRIES: &[&str] = &[
    "automotive",
    "smart-manufacturing",
    "machinery",
    "biomedicine",
    "new-energy",
    "logistics",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

async fn seed(app: &App, o: &Options) -> Result<()> {
    let e = |e: roadshow_domain::store::StoreError| anyhow!("{e}");
    let store = &app.store;
    let organiser = store
        .account_by_email("organiser@roadshow.example")
        .await
        .map_err(e)?
        .context("organiser")?
        .account;
    let departments = store.departments(organiser.agency_id).await.map_err(e)?;
    let start = Utc::now() - Days::days(30);
    let event = store
        .create_event(
            organiser.agency_id,
            &EventDraft {
                slug: SLUG.into(),
                title: Localized::one(Lang::En, "Report benchmark"),
                theme: Default::default(),
                description: Default::default(),
                focus_industries: vec![],
                target_countries: vec!["DE".into()],
                languages: vec![Lang::En, Lang::De, Lang::Zh],
                starts_at: start,
                ends_at: start + Days::minutes(180),
                timezone: "Asia/Shanghai".into(),
                broadcast: Default::default(),
                replay_public: false,
                attended_minutes: 10,
                status: EventStatus::Closed,
                form_fields: vec![],
                privacy_version: "1".into(),
            },
        )
        .await
        .map_err(e)?;
    for (k, d) in departments.iter().take(6).enumerate() {
        let from = start + Days::minutes(30 * k as i64);
        store
            .create_session(
                event.id,
                &SessionDraft {
                    starts_at: from,
                    ends_at: from + Days::minutes(30),
                    kind: SessionKind::Presentation,
                    title: Localized::one(Lang::En, format!("Session {k}")),
                    summary: Default::default(),
                    department_id: Some(d.id),
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
    let confirmation = EmailMessage {
        to: "x@bench.example".into(),
        subject: "-".into(),
        body_text: "-".into(),
        attachments: vec![],
    };
    let mut regs = Vec::with_capacity(o.registrations);
    for chunk in (0..o.registrations).collect::<Vec<_>>().chunks(1000) {
        let drafts: Vec<RegistrationDraft> = chunk
            .iter()
            .filter_map(|n| {
                Some(RegistrationDraft {
                    email: Email::parse(&format!("person{n}@company{}.example", n / 2))?,
                    name: format!("Person {n}"),
                    job_title: None,
                    language: Lang::De,
                    company: CompanyDraft {
                        name: format!("Company {} GmbH", n / 2),
                        country: COUNTRIES[(n / 2) % COUNTRIES.len()].into(),
                        industry: INDUSTRIES[(n / 2) % INDUSTRIES.len()].into(),
                        size: "50-249".into(),
                        website: None,
                    },
                    consent_version: "1".into(),
                    consents: roadshow_domain::privacy::ConsentsInput::default().choices(true),
                    answers: Default::default(),
                })
            })
            .collect();
        let hashes: Vec<String> = chunk.iter().map(|n| format!("bench-report-{n}")).collect();
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
            regs.push(r.map_err(e)?);
        }
    }
    // A million heartbeats a minute apart, as the fold leaves them: 200 minutes per viewer
    // in one or two stretches.
    let t0 = start.timestamp();
    let mut viewings = Vec::new();
    let beats_per_viewer = 1_000_000 / regs.len().max(1) as i64;
    for (i, r) in regs.iter().enumerate() {
        let join = t0 + (i as i64 * 7919) % 1800;
        let span = |a: i64, b: i64| Viewing {
            registration_id: r.id.0,
            mode: Mode::Live,
            session_id: None,
            span: Span { start: a, end: b },
            audio_language: Some(["de", "zh", "en"][i % 3].into()),
            caption_language: None,
        };
        let end = join + beats_per_viewer * 60;
        if i % 3 == 0 {
            let mid = (join + end) / 2;
            viewings.push(span(join, mid));
            viewings.push(span(mid + 300, end + 300));
        } else {
            viewings.push(span(join, end));
        }
    }
    for chunk in viewings.chunks(2000) {
        store.add_viewings(event.id, chunk).await.map_err(e)?;
    }
    let mut questions = Vec::with_capacity(o.questions);
    for n in 0..o.questions {
        let r = &regs[(n * 7) % regs.len()];
        let q = store
            .create_question(
                &NewQuestion {
                    event: event.id,
                    participant: r.participant_id,
                    author_name: r.name.clone(),
                    author_company: r.company.name.clone(),
                    question: QuestionDraft {
                        text: format!("Question {n} about land, tax and talent in Beijing?"),
                        session_id: None,
                        anonymous: false,
                        lang: [Lang::De, Lang::En, Lang::Zh][n % 3],
                    },
                    suggested_department: departments
                        .get(n % departments.len().max(1))
                        .map(|d| d.id),
                    suggestion_reason: None,
                },
                &QuestionLive::Submitted,
            )
            .await
            .map_err(e)?;
        questions.push(q.id);
    }
    let mut votes = Vec::with_capacity(o.votes);
    for n in 0..o.votes {
        // Distinct (question, participant) pairs: each participant votes for a run of
        // consecutive questions.
        let r = &regs[n % regs.len()];
        let q = questions[(n / regs.len() + n * 13) % questions.len()];
        votes.push(VoteChange {
            event: event.id,
            question: q,
            participant: r.participant_id,
            up: true,
        });
    }
    for chunk in votes.chunks(1000) {
        store.apply_votes(chunk).await.map_err(e)?;
    }
    let mut made = 0;
    'requests: for r in &regs {
        for d in &departments {
            if made >= o.meetings {
                break 'requests;
            }
            store
                .save_meeting_request(
                    event.id,
                    r.participant_id,
                    &RequestDraft {
                        department_id: d.id,
                        priority: Priority::Want,
                        topic: "Site and incentives".into(),
                    },
                )
                .await
                .map_err(e)?;
            made += 1;
        }
    }
    let mut companies: Vec<CompanyId> = regs.iter().map(|r| r.company.id).collect();
    companies.dedup();
    // Each lead moved twice (its funnel steps are dated by these changes).
    let officer = store
        .account_by_email("officer@roadshow.example")
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow!("the demo's officer"))?
        .account
        .id;
    for (i, c) in companies.iter().take(o.leads).enumerate() {
        let (lead, _) = store
            .ensure_lead(*c, LeadSource::Survey, None, None, Utc::now())
            .await
            .map_err(e)?;
        let stages: &[Stage] = match i % 4 {
            0 => &[Stage::Engaged, Stage::SiteVisit],
            1 => &[Stage::SiteVisit, Stage::Signed],
            _ => &[Stage::Engaged],
        };
        for stage in stages {
            store
                .move_lead(lead.id, *stage, None, officer, Utc::now(), None)
                .await
                .map_err(e)?;
        }
    }
    // Directory interest: two policies and a park read by each registrant, one in three
    // checking eligibility and coming out eligible for two policies.
    let (parks, policies, _) = store.directory().await.map_err(e)?;
    let signal =
        |r: &roadshow_domain::registrations::Registration, kind, ref_id, amount| NewSignal {
            participant_id: r.participant_id,
            event_id: event.id,
            kind,
            ref_id,
            amount,
            at: Utc::now(),
        };
    let mut signals = Vec::new();
    for (i, r) in regs.iter().enumerate() {
        let policy = |k: usize| policies[(i + k) % policies.len()].id.0;
        signals.push(signal(r, SignalKind::PolicyViewed, policy(0), 0));
        signals.push(signal(r, SignalKind::PolicyViewed, policy(3), 0));
        signals.push(signal(
            r,
            SignalKind::ParkViewed,
            parks[i % parks.len()].id.0,
            0,
        ));
        if i % 3 == 0 {
            signals.push(signal(r, SignalKind::EligibilityChecked, event.id.0, 2));
            signals.push(signal(r, SignalKind::Eligible, policy(1), 0));
            signals.push(signal(r, SignalKind::Eligible, policy(5), 0));
        }
    }
    for chunk in signals.chunks(1_000) {
        store.record_signals(chunk).await.map_err(e)?;
    }
    Ok(())
}

pub async fn run(o: Options) -> Result<()> {
    sqlx::any::install_default_drivers();
    let store = Arc::new(
        roadshow_store::SqlStore::connect(&o.database_url)
            .await
            .map_err(|e| anyhow!("{e}"))?,
    );
    let db = if o.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut config = Config::new(o.data.clone(), "http://127.0.0.1".into());
    config.writes_per_minute = u32::MAX;
    config.registrations_per_minute = u32::MAX;
    let app = App::new(config, store.clone()).map_err(|e| anyhow!("{e}"))?;
    app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
    let seeding = Instant::now();
    seed(&app, &o).await?;
    let seed_s = seeding.elapsed().as_secs_f64();
    if o.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&o.database_url).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        pool.close().await;
    }
    let organiser = roadshow_app::Principal::Staff(
        app.store
            .account_by_email("organiser@roadshow.example")
            .await
            .map_err(|e| anyhow!("{e}"))?
            .context("organiser")?
            .account,
    );

    // In process: the use case the API and the page call.
    let mut in_process = Vec::new();
    let mut first = f64::NAN;
    for i in 0..o.samples {
        let t = Instant::now();
        let r = app
            .reports()
            .event(&organiser, SLUG)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if i == 0 {
            first = ms;
        }
        in_process.push(ms);
        std::hint::black_box(r);
    }

    // Where the use case's time goes: each read on its own.
    if std::env::var_os("REPORT_BENCH_PARTS").is_some() {
        let ev = app
            .store
            .event_by_slug(SLUG)
            .await
            .map_err(|e| anyhow!("{e}"))?
            .context("event")?;
        let t = Instant::now();
        let regs = app
            .store
            .registrations(ev.id, &Default::default())
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("registrations {} in {:?}", regs.len(), t.elapsed());
        let t = Instant::now();
        let v = app
            .store
            .viewings(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("viewings {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let q = app
            .store
            .questions(&roadshow_domain::questions::QuestionFilter {
                event: Some(ev.id),
                ..Default::default()
            })
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("questions {} in {:?}", q.len(), t.elapsed());
        let t = Instant::now();
        let q = app
            .store
            .question_facts(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("question facts {} in {:?}", q.len(), t.elapsed());
        let t = Instant::now();
        let m = app
            .store
            .meeting_requests(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("requests {} in {:?}", m.len(), t.elapsed());
        let t = Instant::now();
        let l = app
            .store
            .event_leads(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("leads {} in {:?}", l.len(), t.elapsed());
        let t = Instant::now();
        let m = app
            .store
            .lead_moves(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("lead moves {} in {:?}", m.len(), t.elapsed());
        let t = Instant::now();
        let i = app
            .store
            .interest_signals(ev.id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("interest signals {} in {:?}", i.len(), t.elapsed());
        let t = Instant::now();
        let s = app
            .store
            .survey_responses(ev.id, None, usize::MAX)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        eprintln!("responses {} in {:?}", s.len(), t.elapsed());
    }

    // Over HTTP, as `roadshow serve` serves it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let state = roadshow_web::AppState::new(app.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(roadshow_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let token = app
        .accounts()
        .create_api_token("organiser@roadshow.example")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let login = app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "bench")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    let timed = |path: String, cookie: bool| {
        let http = http.clone();
        let token = token.clone();
        let session = login.session_secret.clone();
        async move {
            let mut req = http.get(path);
            req = if cookie {
                req.header("cookie", format!("rs_session={session}"))
            } else {
                req.bearer_auth(token)
            };
            let t = Instant::now();
            let r = req.send().await?;
            let status = r.status();
            let bytes = r.bytes().await?;
            if !status.is_success() {
                return Err(anyhow!("status {status}"));
            }
            Ok::<(f64, usize), anyhow::Error>((t.elapsed().as_secs_f64() * 1000.0, bytes.len()))
        }
    };
    let (mut json, mut page, mut xlsx) = (Vec::new(), Vec::new(), Vec::new());
    let (mut json_bytes, mut page_bytes, mut xlsx_bytes) = (0, 0, 0);
    for _ in 0..o.samples {
        let (ms, n) = timed(format!("{base}/api/v1/events/{SLUG}/report"), false).await?;
        json.push(ms);
        json_bytes = n;
        let (ms, n) = timed(format!("{base}/admin/events/{SLUG}/report"), true).await?;
        page.push(ms);
        page_bytes = n;
        let (ms, n) = timed(format!("{base}/api/v1/events/{SLUG}/report.xlsx"), false).await?;
        xlsx.push(ms);
        xlsx_bytes = n;
    }
    // The PDF per language: its first render in this process, then warm renders.
    let mut pdf_cells = Vec::new();
    for lang in ["de", "en", "zh", "fr"] {
        let url = format!("{base}/api/v1/events/{SLUG}/report.pdf?lang={lang}");
        let (first_ms, n) = timed(url.clone(), false).await?;
        let mut warm = Vec::new();
        for _ in 0..o.samples {
            warm.push(timed(url.clone(), false).await?.0);
        }
        warm.sort_by(f64::total_cmp);
        pdf_cells.push(format!(
            "{lang} {:.0} / {:.0} (first {first_ms:.0}, {} KB)",
            percentile(&warm, 50.0),
            percentile(&warm, 99.0),
            n / 1024
        ));
    }
    let _ = stop.send(());
    app.live().live_hub().close();
    let _ = server.await;
    for v in [&mut in_process, &mut json, &mut page, &mut xlsx] {
        v.sort_by(f64::total_cmp);
    }
    let f = |v: &[f64]| format!("{:.0} / {:.0}", percentile(v, 50.0), percentile(v, 99.0));
    println!(
        "| {db} | {seed_s:.0} s | {first:.0} | {} | {} ({} KB) | {} ({} KB) | {} ({} KB) | {} | {:.0} MB |",
        f(&in_process),
        f(&json),
        json_bytes / 1024,
        f(&page),
        page_bytes / 1024,
        f(&xlsx),
        xlsx_bytes / 1024,
        pdf_cells.join("; "),
        peak_rss_mb()
    );
    Ok(())
}
