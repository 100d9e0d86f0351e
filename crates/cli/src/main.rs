//! The `roadshow` binary: serve the platform, load the demo, apply migrations, add staff
//! accounts and create API tokens. Every command that touches data takes `--data` and
//! `--database-url`.

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use roadshow_app::{App, Config};
use roadshow_domain::directory::file::FileFormat;
use roadshow_store::SqlStore;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

mod accounts;

#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[derive(Parser)]
#[command(
    name = "roadshow",
    version,
    about = "Online investment-promotion events, and the follow-up of the investors they bring"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DataArgs {
    /// The data folder: the SQLite file, uploads.
    #[arg(long, default_value = "./roadshow-data", global = true)]
    data: PathBuf,
    /// sqlite:PATH or postgres://...; default: the SQLite file under --data.
    #[arg(long, env = "ROADSHOW_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The public address used in links in emails; default http://ADDR.
    #[arg(long, env = "ROADSHOW_BASE_URL")]
    base_url: Option<String>,
    /// smtp://host:port, smtps://user:pass@host; without it emails stay in the outbox.
    #[arg(long, env = "ROADSHOW_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of emails.
    #[arg(
        long,
        env = "ROADSHOW_MAIL_FROM",
        default_value = "Roadshow <no-reply@roadshow.invalid>"
    )]
    mail_from: String,
    /// Registrations allowed per client address per minute.
    #[arg(long, env = "ROADSHOW_REGISTRATIONS_PER_MINUTE", default_value_t = 30)]
    registrations_per_minute: u32,
    /// Write requests allowed per client address per minute.
    #[arg(long, env = "ROADSHOW_WRITES_PER_MINUTE", default_value_t = 600)]
    writes_per_minute: u32,
    /// Questions a participant may ask per minute.
    #[arg(long, env = "ROADSHOW_QUESTIONS_PER_MINUTE", default_value_t = 5)]
    questions_per_minute: u32,
    /// Votes (on questions and polls) a participant may cast per minute.
    #[arg(long, env = "ROADSHOW_VOTES_PER_MINUTE", default_value_t = 120)]
    votes_per_minute: u32,
    /// Live streams one client address may hold open at once.
    #[arg(long, env = "ROADSHOW_STREAMS_PER_ADDRESS", default_value_t = 100)]
    streams_per_address: u32,
    /// Failed sign-ins allowed per account in 15 minutes (four times as many per client
    /// address).
    #[arg(long, env = "ROADSHOW_LOGIN_FAILURES", default_value_t = 5)]
    login_failures: u32,
    /// Staff reads (lists, exports, consoles) served at once; more are told 503 at once.
    /// Default: two per core.
    #[arg(long, env = "ROADSHOW_MAX_STAFF_READS")]
    max_staff_reads: Option<usize>,
    /// Exports (whole lists as files) made at once; more are told 503. Default: one per
    /// two cores.
    #[arg(long, env = "ROADSHOW_MAX_EXPORTS")]
    max_exports: Option<usize>,
    /// Changes served at once (sign-in and registration aside); more are told 503.
    #[arg(long, env = "ROADSHOW_MAX_WRITES", default_value_t = 64)]
    max_writes: usize,
    /// Scheduler runs at once; more are told 503. Default: one per core.
    #[arg(long, env = "ROADSHOW_MAX_SCHEDULES")]
    max_schedules: Option<usize>,
    /// Hosts an `iframe` stream may be embedded from, separated by commas (`*.example.com`
    /// for its subdomains).
    #[arg(long, env = "ROADSHOW_EMBED_HOSTS", value_delimiter = ',')]
    embed_hosts: Vec<String>,
    /// Lets the stream check fetch playlists from this machine and private networks (an
    /// intranet encoder).
    #[arg(long, env = "ROADSHOW_ALLOW_PRIVATE_STREAMS", default_value_t = false, action = clap::ArgAction::Set)]
    allow_private_streams: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Roadshow.
    Serve {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Load the demo event (once) and serve it.
    Demo {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
        /// Load the demo and exit without serving.
        #[arg(long)]
        load_only: bool,
    },
    /// Apply the database migrations and exit.
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print the OpenAPI 3.1 document of the API.
    Openapi,
    /// Solve a 1:1 meeting scheduling instance (JSON; see docs/MEETINGS.md): prints the
    /// objective, the proven upper bound and the time; writes the schedule as JSON.
    Schedule {
        /// The instance: {"slots", "hosts", "companies", "requests"}.
        #[arg(long)]
        instance: PathBuf,
        /// Where to write the schedule; default standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Stop searching after this long and give the best schedule found.
        #[arg(long, default_value_t = 10_000)]
        time_limit_ms: u64,
    },
    /// Staff accounts (`user` is kept as an alias of earlier versions).
    #[command(visible_alias = "user")]
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Privacy: the data map.
    Privacy {
        #[command(subcommand)]
        command: PrivacyCommand,
    },
    /// Import data from a file.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import policies, parks and stories (JSON in the directory format, or CSV with one
    /// policy per row; see docs/DIRECTORY.md). All or nothing; every error is listed.
    Directory {
        #[command(flatten)]
        data: DataArgs,
        /// The file (`.csv` is read as CSV, anything else as JSON).
        file: PathBuf,
        /// The organiser the import is made as (its agency gets the items).
        #[arg(long, default_value = roadshow_app::demo::ORGANISER_EMAIL)]
        email: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit chain; exit non-zero at the first entry changed, removed or
    /// inserted, naming it.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
enum PrivacyCommand {
    /// Print the data map as Markdown (docs/DATA_MAP.md is this).
    DataMap,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Add a staff account; the password is read from standard input.
    Add(accounts::AddAccount),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a staff account and print it (and nothing else).
    Create {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        email: String,
    },
}

fn database_url(data: &DataArgs) -> anyhow::Result<String> {
    if let Some(url) = &data.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&data.data)
        .with_context(|| format!("creating {}", data.data.display()))?;
    let path = data.data.join("roadshow.db");
    Ok(format!("sqlite://{}", path.display()))
}

async fn open_app(data: &DataArgs, serve: Option<&ServeArgs>) -> anyhow::Result<App> {
    let url = database_url(data)?;
    let store = SqlStore::connect(&url)
        .await
        .map_err(|e| anyhow::Error::new(e).context("opening the database"))?;
    std::fs::create_dir_all(&data.data)
        .with_context(|| format!("creating {}", data.data.display()))?;
    let base_url = serve
        .map(|s| {
            s.base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", s.addr))
        })
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let mut config = Config::new(
        data.data.clone(),
        base_url.trim_end_matches('/').to_string(),
    );
    if let Some(s) = serve {
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
        config.embed_hosts = s
            .embed_hosts
            .iter()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .collect();
        config.allow_private_streams = s.allow_private_streams;
        if let Some(n) = s.max_schedules {
            config.max_schedules = n.max(1);
        }
    }
    // A serving process on PostgreSQL hears what the other processes commit.
    let signals = match serve {
        Some(_) => store
            .live_signals()
            .await
            .map_err(|e| anyhow::Error::new(e).context("listening for live events"))?,
        None => None,
    };
    let app = App::new(config, Arc::new(store))?;
    if let Some(signals) = signals {
        app.live().follow_live_signals(signals);
    }
    Ok(app)
}

async fn serve(app: App, addr: SocketAddr) -> anyhow::Result<()> {
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
    // The search index is built before the first search needs it.
    let directory = app.clone();
    tokio::spawn(async move {
        if let Err(e) = directory.directory().warm_up().await {
            tracing::warn!(error = %e, "building the directory index failed");
        }
    });
    let hub = app.clone();
    tracing::info!(%addr, "serving");
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // With `--features dhat-heap`: every allocation is tracked, and what is live at its
    // peak and at the end is written to dhat-heap.json when the process stops cleanly.
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROADSHOW_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { data, serve: args } => {
            let app = open_app(&data, Some(&args)).await?;
            println!("Roadshow ({}) on http://{}", app.store.backend(), args.addr);
            serve(app, args.addr).await
        }
        Command::Demo {
            data,
            serve: args,
            load_only,
        } => {
            let app = open_app(&data, Some(&args)).await?;
            let summary = app
                .load_demo()
                .await
                .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?;
            let base = app.config.base_url.clone();
            println!(
                "Roadshow demo ({}) — {}",
                app.store.backend(),
                if summary.created {
                    "loaded"
                } else {
                    "already there, kept as it is"
                }
            );
            println!(
                "  Event:      {base}/events/{} ({} registrations)",
                summary.event_slug, summary.registrations
            );
            println!(
                "  Organiser:  {base}/login  {} / {}",
                roadshow_app::demo::ORGANISER_EMAIL,
                roadshow_app::demo::DEMO_PASSWORD
            );
            println!(
                "  Moderator:  {} / {}",
                roadshow_app::demo::MODERATOR_EMAIL,
                roadshow_app::demo::DEMO_PASSWORD
            );
            println!(
                "  Official:   {} / {}",
                roadshow_app::demo::OFFICIAL_EMAIL,
                roadshow_app::demo::DEMO_PASSWORD
            );
            if load_only {
                return Ok(());
            }
            println!("Serving on {base} (Ctrl-C to stop)");
            serve(app, args.addr).await
        }
        Command::Schedule {
            instance,
            out,
            time_limit_ms,
        } => schedule(&instance, out.as_deref(), time_limit_ms),
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(roadshow_web::openapi::document())?
            );
            Ok(())
        }
        Command::Migrate { data } => {
            let app = open_app(&data, None).await?;
            println!("migrations applied ({})", app.store.backend());
            Ok(())
        }
        Command::Account {
            command: AccountCommand::Add(args),
        } => accounts::add(args).await,
        Command::Audit {
            command: AuditCommand::Verify { data },
        } => {
            let app = open_app(&data, None).await?;
            match app.privacy().verify_audit().await? {
                Ok(n) => {
                    let (seq, hash) = app.store.audit_head().await?;
                    println!("audit chain verified: {n} entries; head {seq} {hash}");
                    Ok(())
                }
                Err(broken) => bail!("audit chain broken at entry {}: {}", broken.seq, broken.why),
            }
        }
        Command::Privacy {
            command: PrivacyCommand::DataMap,
        } => {
            print!("{}", roadshow_domain::privacy::map::markdown());
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Directory { data, file, email },
        } => import_directory(&data, &file, &email).await,
        Command::Token {
            command: TokenCommand::Create { data, email },
        } => {
            let app = open_app(&data, None).await?;
            let token = app
                .accounts()
                .create_api_token(&email)
                .await
                .map_err(|e| match e {
                    roadshow_app::AppError::NotFound => {
                        anyhow::anyhow!("no user with the email {email}")
                    }
                    other => anyhow::anyhow!("{other}"),
                })?;
            println!("{token}");
            Ok(())
        }
    }
}

/// `roadshow import directory FILE`: imports as the organiser `email`; prints what it did,
/// or every error with its record and field (and exits with an error).
async fn import_directory(
    data: &DataArgs,
    file: &std::path::Path,
    email: &str,
) -> anyhow::Result<()> {
    let app = open_app(data, None).await?;
    let account = app
        .store
        .account_by_email(email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with the email {email}"))?;
    let principal = roadshow_app::Principal::Staff(account.account);
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let format = if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        FileFormat::Csv
    } else {
        FileFormat::Json
    };
    let result = app
        .directory()
        .import_file(&principal, &bytes, format)
        .await;
    match result {
        Ok(o) => {
            println!(
                "imported {}: {} created, {} updated (a new version each), {} unchanged",
                file.display(),
                o.created,
                o.updated,
                o.unchanged
            );
            Ok(())
        }
        Err(roadshow_app::AppError::Invalid(fields)) => {
            for f in &fields {
                eprintln!(
                    "{}: {}",
                    f.field,
                    roadshow_web::error::field_message(roadshow_domain::Lang::En, f)
                );
            }
            anyhow::bail!("nothing imported: {} error(s)", fields.len())
        }
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

fn schedule(
    instance: &std::path::Path,
    out: Option<&std::path::Path>,
    time_limit_ms: u64,
) -> anyhow::Result<()> {
    use roadshow_domain::meetings;
    let text = std::fs::read_to_string(instance)
        .with_context(|| format!("reading {}", instance.display()))?;
    let parsed: meetings::Instance = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a scheduling instance", instance.display()))?;
    let output = match meetings::schedule(&parsed, std::time::Duration::from_millis(time_limit_ms))
    {
        Ok(output) => output,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{}: {problem}", instance.display());
            }
            bail!("{} problem(s) in the instance", problems.len());
        }
    };
    let json = serde_json::to_string_pretty(&output)?;
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?,
        None => println!("{json}"),
    }
    let gap = if output.upper_bound == 0 {
        0.0
    } else {
        100.0 * (output.upper_bound - output.objective) as f64 / output.upper_bound as f64
    };
    eprintln!(
        "objective {} · upper bound {} · gap {gap:.3} % · {} · {:.3} s · {} meetings",
        output.objective,
        output.upper_bound,
        if output.optimal {
            "optimal"
        } else {
            "not proven optimal"
        },
        output.seconds,
        output.meetings.len()
    );
    Ok(())
}
