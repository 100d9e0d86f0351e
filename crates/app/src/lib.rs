//! Roadshow's use cases, one module per capability (the same words as in the domain, the
//! store and the web layer). Each capability is reached through its handle on [`App`]:
//! `app.registrations().register(..)`, `app.questions().moderate(..)`. Each use case is
//! one thing a person does: it checks who is asking ([`Principal`], see [`access`]),
//! applies the domain's rules and talks to the store, the outbox and the uploads folder.
//! No HTTP types here: the API and the pages call the same use cases.

pub mod access;
pub use access::Guards;
pub mod accounts;
pub mod broadcast;
pub mod demo;
pub mod departments;
pub mod directory;
mod error;
pub mod events;
pub mod fetch;
mod group_commit;
pub mod leads;
pub mod limits;
pub mod links;
pub mod live;
pub mod materials;
pub mod meetings;
pub mod outbox;
pub mod polls;
pub mod privacy;
pub mod questions;
pub mod registrations;
pub mod reports;
pub mod secrets;
pub mod signals;
pub mod surveys;
pub mod webhooks;

pub use error::{AppError, AppResult};
pub use roadshow_domain::accounts::Principal;

use limits::RateLimiter;
use roadshow_domain::limits::Limit;
use roadshow_domain::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How this Roadshow instance is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data folder: SQLite file, uploads.
    pub data_dir: PathBuf,
    /// The public address, for links in emails (`http://127.0.0.1:8080`).
    pub base_url: String,
    /// `smtp://user:pass@host:port` or `smtps://...`; `None` keeps emails in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of emails.
    pub mail_from: String,
    /// Registrations allowed per client address per minute.
    pub registrations_per_minute: u32,
    /// Failed sign-ins allowed per account per 15 minutes (four times as many per client address).
    pub login_failures: u32,
    /// Largest material upload, in bytes.
    pub max_upload_bytes: usize,
    /// Requests that change something, allowed per client address per minute.
    pub writes_per_minute: u32,
    /// Questions a participant may ask per minute.
    pub questions_per_minute: u32,
    /// Votes (on questions and polls) a participant may cast per minute.
    pub votes_per_minute: u32,
    /// Live events each event's broadcast buffer holds before a slow client has to catch
    /// up from the store.
    pub live_buffer: usize,
    /// Live streams one client address may hold open at once: enough for a company's
    /// staff behind one address, not enough to exhaust the server's connections.
    pub streams_per_address: u32,
    /// Staff reads (lists, exports, consoles) served at once; beyond it a read is told
    /// 503 with `Retry-After` at once, so that the public pages, live streams, sign-in and
    /// registration keep answering.
    pub max_staff_reads: usize,
    /// Whole lists as files (CSV exports) made at once, the heaviest reads there are;
    /// beyond it, 503.
    pub max_exports: usize,
    /// Changes (other than sign-in and registration) served at once; beyond it, 503.
    pub max_writes: usize,
    /// Scheduler runs at once (each takes up to two cores for up to its time limit: its
    /// searches run side by side); beyond it, 503.
    pub max_schedules: usize,
    /// Hosts an `iframe` stream may come from (`ROADSHOW_EMBED_HOSTS`; `*.` for subdomains).
    pub embed_hosts: Vec<String>,
    /// Whether the stream check may fetch from this machine and private networks (an
    /// intranet encoder; tests on loopback).
    pub allow_private_streams: bool,
    /// Whether webhooks may be delivered to this machine and private networks (a CRM on
    /// the agency's intranet; tests on loopback).
    pub allow_private_webhooks: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR blocks).
    pub trusted_proxies: Vec<String>,
    /// Whether `/metrics` answers: from loopback, or with `metrics_token` as a bearer token.
    pub metrics: bool,
    pub metrics_token: Option<String>,
    /// `/readyz` fails when the data folder has less free space than this.
    pub min_free_disk_mb: u64,
    /// Staff sign-in through the agency's identity provider (OpenID Connect).
    pub oidc: Option<accounts::oidc::OidcConfig>,
    /// Whether staff may sign in with a password (off: through the provider only).
    pub password_sign_in: bool,
}

impl Config {
    pub fn new(data_dir: PathBuf, base_url: String) -> Config {
        Config {
            data_dir,
            base_url,
            smtp_url: None,
            mail_from: "Roadshow <no-reply@roadshow.invalid>".into(),
            registrations_per_minute: 30,
            login_failures: 5,
            max_upload_bytes: 20 * 1024 * 1024,
            writes_per_minute: 600,
            questions_per_minute: 5,
            votes_per_minute: 120,
            live_buffer: 4096,
            streams_per_address: 100,
            max_staff_reads: 2 * cores(),
            max_exports: cores().div_ceil(2),
            max_writes: 64,
            max_schedules: cores().div_ceil(2),
            embed_hosts: Vec::new(),
            allow_private_streams: false,
            allow_private_webhooks: false,
            trusted_proxies: Vec::new(),
            metrics: false,
            metrics_token: None,
            min_free_disk_mb: 256,
            oidc: None,
            password_sign_in: true,
        }
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    pub(crate) fn login_limit(&self) -> Limit {
        Limit {
            max: self.login_failures,
            window: Duration::from_secs(15 * 60),
        }
    }

    pub(crate) fn registration_limit(&self) -> Limit {
        Limit {
            max: self.registrations_per_minute,
            window: Duration::from_secs(60),
        }
    }
}

/// The application: configuration, the store and what is shared between requests.
/// Cloned for every request by the web layer, so it is one shared pointer: cloning the
/// parts one by one (seventeen reference counts up and down) was a tenth of the CPU of a
/// kept public page.
#[derive(Clone)]
pub struct App(Arc<AppParts>);

/// What an [`App`] holds (reached through it: `app.store`, `app.config`).
pub struct AppParts {
    pub config: Arc<Config>,
    pub store: Arc<dyn Store>,
    pub(crate) limiter: Arc<RateLimiter>,
    pub(crate) cache: Arc<events::PageCache>,
    pub(crate) sender: Arc<outbox::Sender>,
    pub(crate) live: Arc<live::LiveHub>,
    pub(crate) votes: Arc<live::VoteWriter>,
    pub(crate) registration_writer: Arc<registrations::RegistrationWriter>,
    pub(crate) streams: Arc<live::StreamCounts>,
    pub(crate) access_changes: tokio::sync::broadcast::Sender<roadshow_domain::AccountId>,
    pub(crate) scores: Arc<leads::ScoreQueue>,
    pub(crate) boards: Arc<leads::BoardWatch>,
    pub(crate) signal_writer: Arc<signals::SignalWriter>,
    pub(crate) beats: Arc<broadcast::BeatIngest>,
    pub(crate) directory: Arc<directory::index::DirectoryIndex>,
    /// Scheduler runs in progress (see [`Config::max_schedules`]).
    pub(crate) schedules: Arc<tokio::sync::Semaphore>,
}

impl App {
    /// Counts one write request of a client; `RateLimited` when it is over the limit.
    pub async fn check_write_rate(&self, client: &str) -> AppResult<()> {
        self.limiter
            .hit(
                &format!("write:{client}"),
                Limit::per_minute(self.config.writes_per_minute),
            )
            .await
    }

    /// Changes whenever the cached event pages are forgotten (after any organiser write).
    pub fn page_generation(&self) -> u64 {
        self.cache
            .generation
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Forgets cached event pages (after a change made directly in the store).
    pub fn clear_page_cache(&self) {
        self.cache.clear();
    }

    /// Wires the application. Emails go through SMTP when `config.smtp_url` is set.
    /// Starts the vote writer, so it must run inside a Tokio runtime.
    pub fn new(config: Config, store: Arc<dyn Store>) -> AppResult<App> {
        let sender = outbox::Sender::new(&config)?;
        let hub = Arc::new(live::LiveHub::new(store.clone(), config.live_buffer));
        let votes = Arc::new(live::vote_writer(store.clone(), hub.clone()));
        let config_schedules = config.max_schedules;
        Ok(App(Arc::new(AppParts {
            live: hub,
            votes,
            registration_writer: Arc::new(registrations::registration_writer(store.clone())),
            streams: Arc::new(live::StreamCounts::default()),
            access_changes: tokio::sync::broadcast::channel(256).0,
            scores: Arc::new(leads::ScoreQueue::start(store.clone())),
            boards: Arc::new(leads::BoardWatch::new(store.clone())),
            signal_writer: Arc::new(signals::signal_writer(store.clone())),
            beats: Arc::new(broadcast::BeatIngest::start(store.clone())),
            directory: Arc::new(directory::index::DirectoryIndex::new(store.clone())),
            limiter: Arc::new(RateLimiter::new(store.clone())),
            config: Arc::new(config),
            store,
            cache: Arc::new(events::PageCache::default()),
            sender: Arc::new(sender),
            schedules: Arc::new(tokio::sync::Semaphore::new(config_schedules)),
        })))
    }
}

impl std::ops::Deref for App {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// Today in Beijing, where the agency sets its dates: what "valid today", "overdue" and
/// "due today" are measured against.
pub fn today_in_beijing() -> chrono::NaiveDate {
    roadshow_domain::time::beijing_date(chrono::Utc::now())
}

/// The cores this process may use (one when that cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
