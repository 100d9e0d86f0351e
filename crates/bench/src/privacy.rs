//! The privacy benchmark (`scripts/bench privacy`): an event of 5,000 registrations, one
//! of whom has 100,000 rows of activity (45,000 signals, 30,000 viewing intervals, 20,000
//! emails, 2,500 questions and 2,500 votes). Timed: the export of that participant (the
//! organiser's, in process), their erasure while another writer keeps writing (the
//! longest wait that writer saw is the stall the erasure caused), votes written one by
//! one with and without an audit entry each, and the retention sweep of 5,000
//! participants.

use anyhow::{Context, Result, anyhow};
use chrono::{Duration as Days, Utc};
use roadshow_app::{App, Config, Principal};
use roadshow_domain::broadcast::viewing::{Mode, Span, Viewing};
use roadshow_domain::events::{EventDraft, EventStatus};
use roadshow_domain::live::QuestionLive;
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::questions::{NewQuestion, QuestionDraft, VoteChange};
use roadshow_domain::registrations::{CompanyDraft, Email, NewRegistration, RegistrationDraft};
use roadshow_domain::signals::{NewSignal, SignalKind};
use roadshow_domain::{Lang, Localized};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub struct Options {
    pub database_url: String,
    pub data: std::path::PathBuf,
    pub registrations: usize,
    pub samples: usize,
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn run(o: Options) -> Result<()> {
    sqlx::any::install_default_drivers();
    let e = |e: roadshow_domain::store::StoreError| anyhow!("{e}");
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
    let config = Config::new(o.data.clone(), "http://127.0.0.1".into());
    let app = App::new(config, store).map_err(|e| anyhow!("{e}"))?;
    app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
    let store = app.store.clone();
    let organiser_account = store
        .account_by_email("organiser@roadshow.example")
        .await
        .map_err(e)?
        .context("organiser")?
        .account;
    let agency = organiser_account.agency_id;
    let organiser = Principal::Staff(organiser_account);
    let seeding = Instant::now();
    let start = Utc::now() - Days::days(400);
    let event = store
        .create_event(
            agency,
            &EventDraft {
                slug: "bench-privacy".into(),
                title: Localized::one(Lang::En, "Privacy benchmark"),
                theme: Default::default(),
                description: Default::default(),
                focus_industries: vec![],
                target_countries: vec!["DE".into()],
                languages: vec![Lang::En, Lang::De],
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
                    email: Email::parse(&format!("person{n}@privacy{n}.example"))?,
                    name: format!("Bench Person {n:05}"),
                    job_title: Some("Director".into()),
                    language: Lang::De,
                    company: CompanyDraft {
                        name: format!("Privacy {n} GmbH"),
                        country: "DE".into(),
                        industry: "machinery".into(),
                        size: "50-249".into(),
                        website: None,
                    },
                    consent_version: "1".into(),
                    consents: roadshow_domain::privacy::ConsentsInput {
                        cross_border: Some(true),
                        contact: Some(true),
                        ..Default::default()
                    }
                    .choices(true),
                    answers: Default::default(),
                })
            })
            .collect();
        let hashes: Vec<String> = chunk.iter().map(|n| format!("bench-privacy-{n}")).collect();
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
    let busy = regs.first().context("registrations")?.clone();
    // The busy participant's 100,000 rows.
    let signals: Vec<NewSignal> = (0..45_000)
        .map(|n| NewSignal {
            participant_id: busy.participant_id,
            event_id: event.id,
            kind: SignalKind::PolicyViewed,
            ref_id: 1_000_000 + n,
            amount: 0,
            at: start,
        })
        .collect();
    for chunk in signals.chunks(5_000) {
        store.record_signals(chunk).await.map_err(e)?;
    }
    let t0 = start.timestamp();
    let viewings: Vec<Viewing> = (0..30_000)
        .map(|n| Viewing {
            registration_id: busy.id.0,
            mode: Mode::Replay,
            session_id: None,
            span: Span {
                start: t0 + n * 120,
                end: t0 + n * 120 + 60,
            },
            audio_language: Some("de".into()),
            caption_language: None,
        })
        .collect();
    for chunk in viewings.chunks(2_000) {
        store.add_viewings(event.id, chunk).await.map_err(e)?;
    }
    {
        let pool = sqlx::AnyPool::connect(&o.database_url).await?;
        let mut tx = pool.begin().await?;
        for n in 0..20_000 {
            sqlx::query("INSERT INTO outbox (agency_id, recipient, subject, body_text, attachments, status, attempts, created_at) VALUES ($1, $2, $3, $4, '[]', 'held', 0, $5)")
                .bind(agency.0)
                .bind(busy.email.clone())
                .bind(format!("Update {n}"))
                .bind(format!("Dear {}, here is update {n}.", busy.name))
                .bind(t0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        pool.close().await;
    }
    let mut questions = Vec::new();
    for n in 0..2_500 {
        let q = store
            .create_question(
                &NewQuestion {
                    event: event.id,
                    participant: busy.participant_id,
                    author_name: busy.name.clone(),
                    author_company: busy.company.name.clone(),
                    question: QuestionDraft {
                        text: format!("Question {n}: land and tax for {}?", busy.company.name),
                        session_id: None,
                        anonymous: false,
                        lang: Lang::De,
                    },
                    suggested_department: None,
                    suggestion_reason: None,
                },
                &QuestionLive::Submitted,
            )
            .await
            .map_err(e)?;
        questions.push(q.id);
    }
    let votes: Vec<VoteChange> = questions
        .iter()
        .map(|q| VoteChange {
            event: event.id,
            question: *q,
            participant: busy.participant_id,
            up: true,
        })
        .collect();
    for chunk in votes.chunks(1000) {
        store.apply_votes(chunk).await.map_err(e)?;
    }
    let seed_s = seeding.elapsed().as_secs_f64();
    if o.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&o.database_url).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        pool.close().await;
    }

    // The export, as the organiser downloads it.
    let privacy = app.privacy();
    let mut export_ms = Vec::new();
    let mut size = 0;
    for _ in 0..o.samples.max(1) {
        let t = Instant::now();
        let doc = privacy
            .export_participant(&organiser, busy.participant_id)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        export_ms.push(ms(t.elapsed()));
        size = doc.to_string().len();
    }
    export_ms.sort_by(f64::total_cmp);

    // Votes one by one, alone and each with an audit entry: what auditing a write costs.
    let other = &regs[1];
    let writes = 1_000;
    let t = Instant::now();
    for (n, q) in questions.iter().cycle().take(writes).enumerate() {
        store
            .apply_votes(&[VoteChange {
                event: event.id,
                question: *q,
                participant: other.participant_id,
                up: n.is_multiple_of(2),
            }])
            .await
            .map_err(e)?;
    }
    let plain = writes as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for (n, q) in questions.iter().cycle().take(writes).enumerate() {
        store
            .apply_votes(&[VoteChange {
                event: event.id,
                question: *q,
                participant: other.participant_id,
                up: n.is_multiple_of(2),
            }])
            .await
            .map_err(e)?;
        privacy
            .audit_staff(
                &organiser,
                agency,
                "vote_audited",
                format!("question:{q}"),
                serde_json::json!({}),
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let audited = writes as f64 / t.elapsed().as_secs_f64();

    // The erasure, while another participant's votes keep being written.
    let running = Arc::new(AtomicBool::new(true));
    let writer = {
        let (store, running, questions) = (store.clone(), running.clone(), questions.clone());
        let (event, participant) = (event.id, regs[2].participant_id);
        tokio::spawn(async move {
            let mut waits = Vec::new();
            let mut n = 0usize;
            while running.load(Ordering::Relaxed) {
                let t = Instant::now();
                let _ = store
                    .apply_votes(&[VoteChange {
                        event,
                        question: questions[n % questions.len()],
                        participant,
                        up: n.is_multiple_of(2),
                    }])
                    .await;
                waits.push(ms(t.elapsed()));
                n += 1;
            }
            waits
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let t = Instant::now();
    let outcome = privacy
        .erase_participant(&organiser, busy.participant_id, Some("benchmark"))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let erase_ms = ms(t.elapsed());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    running.store(false, Ordering::Relaxed);
    let mut waits = writer.await?;
    waits.sort_by(f64::total_cmp);
    let changed: u64 = outcome.changed.values().sum();

    // The retention sweep: the event ended 400 days ago, past the default 365.
    let t = Instant::now();
    let swept = privacy
        .sweep_agency(agency, Utc::now())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let sweep_s = t.elapsed().as_secs_f64();

    println!(
        "| {db} | {seed_s:.0} s | {:.0} / {:.0} ms ({:.1} MB) | {erase_ms:.0} ms ({changed} rows) | {:.1} / {:.1} ms ({} writes) | {plain:.0} / {audited:.0} | {swept} in {sweep_s:.1} s ({:.1} ms each) |",
        percentile(&export_ms, 50.0),
        percentile(&export_ms, 99.0),
        size as f64 / 1_000_000.0,
        percentile(&waits, 99.0),
        waits.last().copied().unwrap_or(f64::NAN),
        waits.len(),
        sweep_s * 1000.0 / swept.max(1) as f64,
    );
    Ok(())
}
