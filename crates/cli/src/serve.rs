//! Opening the application on the configured database, and serving it until a signal.

use crate::settings::Settings;
use crate::upgrade;
use anyhow::Context;
use roadshow_app::{App, Config};
use roadshow_store::SqlStore;
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn open_app(settings: &Settings, serving: bool) -> anyhow::Result<App> {
    std::fs::create_dir_all(&settings.data)
        .with_context(|| format!("creating {}", settings.data.display()))?;
    let url = settings.database_url();
    upgrade::before_migrations(settings, &url).await?;
    let store = SqlStore::connect(&url)
        .await
        .map_err(|e| anyhow::Error::new(e).context("opening the database"))?;
    let mut config = Config::new(settings.data.clone(), settings.base_url());
    if serving {
        let s = settings;
        config.smtp_url = s.smtp_url.clone().filter(|u| !u.is_empty());
        config.mail_from = s.mail_from.clone();
        config.registrations_per_minute = s.registrations_per_minute;
        config.writes_per_minute = s.writes_per_minute;
        config.questions_per_minute = s.questions_per_minute;
        config.votes_per_minute = s.votes_per_minute;
        config.login_failures = s.login_failures;
        config.streams_per_address = s.streams_per_address;
        if let Some(n) = s.max_staff_reads {
            config.max_staff_reads = n.max(1);
        }
        config.max_writes = s.max_writes.max(1);
        if let Some(n) = s.max_exports {
            config.max_exports = n.max(1);
        }
        config.embed_hosts = s.embed_hosts.clone();
        config.allow_private_streams = s.allow_private_streams;
        config.allow_private_webhooks = s.allow_private_webhooks;
        if let Some(n) = s.max_schedules {
            config.max_schedules = n.max(1);
        }
        config.trusted_proxies = s.trusted_proxies.clone();
        config.metrics = s.metrics;
        config.metrics_token = s.metrics_token.clone();
        config.min_free_disk_mb = s.min_free_disk_mb;
        config.oidc = s.oidc();
        config.password_sign_in = s.password_sign_in;
    }
    // A serving process on PostgreSQL hears what the other processes commit.
    let signals = if serving {
        store
            .live_signals()
            .await
            .map_err(|e| anyhow::Error::new(e).context("listening for live events"))?
    } else {
        None
    };
    let app = App::new(config, Arc::new(store))?;
    if let Some(signals) = signals {
        app.live().follow_live_signals(signals);
    }
    Ok(app)
}

pub async fn serve(app: App, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let outbox = app.clone();
    tokio::spawn(async move { outbox.outbox().run_outbox().await });
    let reminders = app.clone();
    tokio::spawn(async move { reminders.meetings().run_reminders().await });
    let follow_up = app.clone();
    tokio::spawn(async move { follow_up.surveys().run_follow_up().await });
    let privacy = app.clone();
    tokio::spawn(async move { privacy.privacy().run_daily().await });
    let webhooks = app.clone();
    tokio::spawn(async move { webhooks.webhooks().run().await });
    // The search index is built before the first search needs it.
    let directory = app.clone();
    tokio::spawn(async move {
        if let Err(e) = directory.directory().warm_up().await {
            tracing::warn!(error = %e, "building the directory index failed");
        }
    });
    let hub = app.clone();
    tracing::info!(%addr, "serving");
    // Under systemd (Type=notify): ready once listening; nothing without NOTIFY_SOCKET.
    if let Err(e) = sd_notify::notify(&[sd_notify::NotifyState::Ready]) {
        tracing::warn!(error = %e, "telling systemd we are ready failed");
    }
    roadshow_web::serve(listener, roadshow_web::AppState::new(app), async move {
        shutdown().await;
        // Live streams never end by themselves: end them so the shutdown can finish.
        hub.live().live_hub().close();
    })
    .await
    .context("serving")
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
