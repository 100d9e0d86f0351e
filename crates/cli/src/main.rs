//! The `roadshow` binary: serve the platform, load the demo, apply migrations, add staff
//! accounts and create API tokens. Every command that touches data takes `--data` and
//! `--database-url`.

use anyhow::bail;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

mod accounts;
mod backup;
mod demo;
mod directory;
mod health;
mod meetings;
mod serve;
mod settings;
mod upgrade;

use serve::{open_app, serve};

use settings::Settings;

#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// mimalloc rather than glibc's allocator: a long-running server's heap is fragmented by
/// the directory's index builds, after which glibc consolidating small freed blocks made
/// a search's slowest queries half again as slow (`scripts/bench search`, BENCHMARKS.md).
#[cfg(not(feature = "dhat-heap"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// The configuration file (TOML; keys are the ROADSHOW_ variables' names in lower
    /// case without the prefix); default ROADSHOW_CONFIG, else none.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// The data folder: the SQLite file, backups made before migrations [default:
    /// ./roadshow-data].
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// sqlite:PATH or postgres://...; default: the SQLite file under --data.
    #[arg(long, global = true)]
    database_url: Option<String>,
}

#[derive(Args, Clone, Default)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    addr: Option<SocketAddr>,
    /// The public address used in links in emails; default http://ADDR.
    #[arg(long)]
    base_url: Option<String>,
}

impl DataArgs {
    /// The settings of the file, the environment and these flags.
    fn settings(&self, serve: Option<&ServeArgs>) -> anyhow::Result<Settings> {
        let overrides = settings::Overrides {
            data: self.data.clone(),
            database_url: self.database_url.clone(),
            addr: serve.and_then(|s| s.addr),
            base_url: serve.and_then(|s| s.base_url.clone()),
        };
        Settings::load(
            settings::config_path(self.config.as_deref()).as_deref(),
            &overrides,
        )
    }
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
    /// Apply the database migrations and exit (on SQLite after a backup into
    /// DATA/backups when there are any to apply).
    Migrate {
        #[command(flatten)]
        data: DataArgs,
        /// List the migrations that would run, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The configuration: check a file and the environment, or show what is in effect.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Ask a running server whether it is ready (`/readyz`): exit 0 if so, 1 naming the
    /// failing check otherwise. For container health checks.
    Health {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
        /// The address to ask; default the `addr` setting.
        #[arg(long)]
        url: Option<String>,
    },
    /// Write a consistent backup of the database (while the server runs) to --out.
    Backup {
        #[command(flatten)]
        data: DataArgs,
        /// The archive to write.
        #[arg(long)]
        out: PathBuf,
        /// Encrypt to this age public key (`age1…`); may be given several times.
        #[arg(long)]
        recipient: Vec<String>,
    },
    /// Restore a backup into the --data folder or --database-url database (stop the
    /// servers first); the replaced database is kept in DATA/backups.
    Restore {
        #[command(flatten)]
        data: DataArgs,
        /// The archive `roadshow backup` wrote.
        file: PathBuf,
        /// The age key file that opens an encrypted backup.
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Print the OpenAPI 3.1 document of the API.
    Openapi,
    /// Write the manual pages (roff) into a folder (packaging/man/ is this).
    #[command(hide = true)]
    Manpages {
        #[arg(long)]
        out_dir: PathBuf,
    },
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
    /// Export data to a file.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Export the agency's policies, parks and stories, whole, in the format `roadshow
    /// import directory` reads back (JSON; CSV when the file ends in `.csv`).
    Directory {
        #[command(flatten)]
        data: DataArgs,
        /// Where to write the file.
        #[arg(long)]
        out: PathBuf,
        /// The organiser the export is made as (its agency's directory is written).
        #[arg(long, default_value = roadshow_app::demo::ORGANISER_EMAIL)]
        email: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check the file and the ROADSHOW_ variables: every error named, unknown keys
    /// refused; exit non-zero if any.
    Check {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print the settings in effect as TOML, secrets masked.
    Show {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
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

/// Logs go to standard error, filtered by the `log` setting.
fn init_tracing(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(filter)
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// The settings of these flags, with the log started.
fn settings_of(data: &DataArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Settings> {
    let settings = data.settings(serve)?;
    init_tracing(&settings.log);
    Ok(settings)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // With `--features dhat-heap`: every allocation is tracked, and what is live at its
    // peak and at the end is written to dhat-heap.json when the process stops cleanly.
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { data, serve: args } => {
            let settings = settings_of(&data, Some(&args))?;
            let _in_use = backup::hold_data(&settings)?;
            let app = open_app(&settings, true).await?;
            println!(
                "Roadshow ({}) on http://{}",
                app.store.backend(),
                settings.addr
            );
            serve(app, settings.addr).await
        }
        Command::Demo {
            data,
            serve: args,
            load_only,
        } => {
            let settings = settings_of(&data, Some(&args))?;
            let _in_use = backup::hold_data(&settings)?;
            let app = open_app(&settings, true).await?;
            demo::load(&app).await?;
            if load_only {
                return Ok(());
            }
            println!("Serving on {} (Ctrl-C to stop)", app.config.base_url);
            serve(app, settings.addr).await
        }
        Command::Schedule {
            instance,
            out,
            time_limit_ms,
        } => meetings::schedule(&instance, out.as_deref(), time_limit_ms),
        Command::Manpages { out_dir } => {
            std::fs::create_dir_all(&out_dir)?;
            clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), &out_dir)?;
            Ok(())
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(roadshow_web::openapi::document())?
            );
            Ok(())
        }
        Command::Migrate { data, dry_run } => {
            let settings = settings_of(&data, None)?;
            if dry_run {
                let pending = upgrade::pending(&settings.database_url()).await?;
                if pending.is_empty() {
                    println!(
                        "the schema is current (version {})",
                        roadshow_store::backup::schema_version()
                    );
                }
                for (version, name) in pending {
                    println!("would apply {version:04} {name}");
                }
                return Ok(());
            }
            let app = open_app(&settings, false).await?;
            println!(
                "migrations applied ({}); schema version {}",
                app.store.backend(),
                roadshow_store::backup::schema_version()
            );
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Check { data },
        } => {
            let path = settings::config_path(data.config.as_deref());
            let errors = settings::check(path.as_deref());
            if errors.is_empty() {
                match &path {
                    Some(p) => println!("{}: ok", p.display()),
                    None => println!("no configuration file; the environment is ok"),
                }
                return Ok(());
            }
            for e in &errors {
                eprintln!("{e}");
            }
            bail!("{} error(s) in the configuration", errors.len())
        }
        Command::Config {
            command: ConfigCommand::Show { data, serve },
        } => {
            let settings = data.settings(Some(&serve))?;
            print!("{}", settings.show()?);
            Ok(())
        }
        Command::Health { data, serve, url } => {
            let settings = data.settings(Some(&serve))?;
            let base = url.unwrap_or_else(|| format!("http://{}", settings.addr));
            health::health(&base).await
        }
        Command::Backup {
            data,
            out,
            recipient,
        } => {
            let settings = settings_of(&data, None)?;
            let manifest = backup::backup(&settings, &out, &recipient).await?;
            println!(
                "backup written to {}{} ({}, schema version {}, {} bytes, sha256 {})",
                out.display(),
                if recipient.is_empty() {
                    String::new()
                } else {
                    format!(", encrypted to {} key(s)", recipient.len())
                },
                manifest.backend,
                manifest.schema_version,
                manifest.parts.iter().map(|p| p.bytes).sum::<u64>(),
                manifest
                    .parts
                    .first()
                    .map(|p| p.sha256.as_str())
                    .unwrap_or("")
            );
            Ok(())
        }
        Command::Restore {
            data,
            file,
            identity,
        } => {
            let settings = settings_of(&data, None)?;
            let restored = backup::restore(&settings, &file, identity.as_deref()).await?;
            println!(
                "restored the backup of {} (schema version {}) into {}",
                restored.manifest.created_at.to_rfc3339(),
                restored.manifest.schema_version,
                settings.database_url()
            );
            if let Some(kept) = &restored.kept {
                println!("the database it replaced is kept in {}", kept.display());
            }
            println!(
                "participants erased since the backup, erased again: {}",
                restored.erased_again
            );
            Ok(())
        }
        Command::Account {
            command: AccountCommand::Add(args),
        } => accounts::add(args).await,
        Command::Audit {
            command: AuditCommand::Verify { data },
        } => {
            let settings = settings_of(&data, None)?;
            let app = open_app(&settings, false).await?;
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
        } => directory::import_directory(&data, &file, &email).await,
        Command::Export {
            command: ExportCommand::Directory { data, out, email },
        } => directory::export_directory(&data, &out, &email).await,
        Command::Token {
            command: TokenCommand::Create { data, email },
        } => {
            let settings = settings_of(&data, None)?;
            let app = open_app(&settings, false).await?;
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

#[cfg(test)]
mod manual_tests {
    /// The packaged manual pages are those the commands make (else run
    /// `cargo run -- manpages --out-dir packaging/man`).
    #[test]
    fn the_packaged_manual_pages_are_current() -> anyhow::Result<()> {
        let made = tempfile::tempdir()?;
        clap_mangen::generate_to(<super::Cli as clap::CommandFactory>::command(), made.path())?;
        let packaged = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/man");
        let names = |dir: &std::path::Path| -> anyhow::Result<Vec<String>> {
            let mut v: Vec<String> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            Ok(v)
        };
        let stale = "packaging/man is out of date: cargo run -- manpages --out-dir packaging/man";
        assert_eq!(names(made.path())?, names(&packaged)?, "{stale}");
        for name in names(made.path())? {
            let a = std::fs::read_to_string(made.path().join(&name))?;
            let b = std::fs::read_to_string(packaged.join(&name))?;
            assert!(a == b, "{name}: {stale}");
        }
        Ok(())
    }
}
