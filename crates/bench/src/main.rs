//! Roadshow's benchmark tools (used by `scripts/bench live`):
//!
//! - `floor`: a bare hyper server answering every GET with one file's bytes, the floor a
//!   page server can reach (used by `scripts/bench pages`).
//! - `bare`: a bare tokio/hyper SSE broadcaster with no application logic, the floor a
//!   live server can reach: `GET /events` streams, `POST /publish` sends its body to all.
//! - `fanout`: holds N SSE (or WebSocket) connections, drives a stream of updates through
//!   an API and measures, for every update and client, the time from the API call
//!   returning to the client receiving it; counts what never arrives.
//! - `writes`: durable questions or votes per second through Roadshow's API.
//! - `leads`: a seeded pipeline of 10,000 leads and 200,000 signals: board, list and
//!   timeline in-process and over HTTP, and the live stream with and without signals
//!   recorded at 1,000 a second (`scripts/bench leads`).
//! - `privacy`: export and erasure of one participant with 100,000 rows of activity, the
//!   audit's cost, the retention sweep (`scripts/bench privacy`).
//! - `soak`: a live event at ten times the seed's scale for a long while, sampling the
//!   server's memory and the database's size every minute.
//!
//! The clients speak HTTP/1.1 and WebSocket on raw TCP, so that a connection costs the
//! load generator little and 10,000 fit in one process.

/// The allocator `roadshow` serves with, so that what is timed here is what it does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod attendance;
mod bare;
mod cluster;
mod fanout;
mod leads;
mod privacy;
mod report;
mod search;
mod soak;
mod writes;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    /// Roadshow's `/api/v1/events/{slug}/live`, updated by approvals and votes.
    Roadshow,
    /// The bare broadcaster's `/events`, updated by `POST /publish`.
    Bare,
    /// A WebSocket broadcast server's `/ws`, updated by `POST /publish`.
    Ws,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WriteKind {
    Votes,
    Questions,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the bare SSE broadcaster.
    Bare {
        #[arg(long)]
        addr: SocketAddr,
    },
    /// Serve one file's bytes for every GET (the floor of the pages benchmark).
    Floor {
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long)]
        file: std::path::PathBuf,
        #[arg(long, default_value = "text/html; charset=utf-8")]
        content_type: String,
    },
    /// Hold N connections and measure delivery of a stream of updates.
    Fanout {
        #[arg(long, value_enum)]
        target: Target,
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        #[arg(long, default_value_t = 40)]
        updates: usize,
        #[arg(long, default_value_t = 200)]
        interval_ms: u64,
        /// The server's process id, to read its memory and CPU time.
        #[arg(long)]
        server_pid: Option<u32>,
        #[arg(long, default_value = "two-zones-germany")]
        slug: String,
        /// A moderator's API token (roadshow target).
        #[arg(long, default_value = "")]
        moderator: String,
    },
    /// Scale-out: followers through a balancer over several processes, approvals
    /// through one, one process killed half-way (docs/DEPLOY.md).
    Cluster {
        /// The balancer.
        #[arg(long)]
        proxy: SocketAddr,
        /// The process the approvals are sent to.
        #[arg(long)]
        writer: SocketAddr,
        #[arg(long, default_value_t = 9000)]
        clients: usize,
        #[arg(long, default_value_t = 40)]
        updates: usize,
        #[arg(long, default_value_t = 200)]
        interval_ms: u64,
        /// The process to kill with SIGKILL half-way.
        #[arg(long)]
        victim_pid: Option<u32>,
        #[arg(long, default_value = "two-zones-germany")]
        slug: String,
        #[arg(long)]
        moderator: String,
    },
    /// Wrong passwords for one account through the balancer, to see the limit hold.
    SignInLimit {
        #[arg(long)]
        proxy: SocketAddr,
        #[arg(long)]
        email: String,
        #[arg(long, default_value_t = 9)]
        attempts: usize,
    },
    /// The leads pipeline at scale, and live delivery while signals are recorded.
    Leads {
        /// sqlite:PATH or postgres://... (a fresh database).
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        data: std::path::PathBuf,
        #[arg(long, default_value_t = 10_000)]
        leads: usize,
        #[arg(long, default_value_t = 200_000)]
        signals: usize,
        #[arg(long, default_value_t = 300)]
        samples: usize,
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        #[arg(long, default_value_t = 100)]
        updates: usize,
        #[arg(long, default_value_t = 1000)]
        signal_rate: u64,
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
    },
    /// The directory's search at scale against SQLite FTS5 and PostgreSQL full-text
    /// search (`scripts/bench search`).
    Search {
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        #[arg(long)]
        data: std::path::PathBuf,
        /// A fresh PostgreSQL database for the PostgreSQL baseline (skipped without).
        #[arg(long)]
        postgres: Option<String>,
        /// Also import the corpus into a Roadshow on SQLite and search it over HTTP.
        #[arg(long)]
        http: bool,
        /// Roadshow's index only, without the baselines (for profiling and tuning).
        #[arg(long)]
        roadshow_only: bool,
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
    },
    /// One profile against generated policies (`scripts/bench eligibility`).
    Eligibility {
        #[arg(long, default_value_t = 10_000)]
        policies: usize,
        #[arg(long, default_value_t = 300)]
        rounds: usize,
        #[arg(long, default_value_t = 20261130)]
        seed: u64,
    },
    /// A live event under steady load for a long while (`scripts/bench soak`).
    Soak {
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long, default_value_t = 1200)]
        seconds: u64,
        #[arg(long, default_value_t = 600)]
        participants: usize,
        /// Actions per second over all participants and staff.
        #[arg(long, default_value_t = 40)]
        rate: u64,
        #[arg(long, default_value = "two-zones-germany")]
        slug: String,
        /// An organiser's API token (moderates, answers, runs polls).
        #[arg(long)]
        organiser: String,
        #[arg(long)]
        server_pid: Option<u32>,
        /// The database's files, to sum their size (SQLite: the file and its WAL).
        #[arg(long)]
        db_file: Vec<std::path::PathBuf>,
    },
    /// Heartbeats folded into viewing, the attendance summary, growth per viewer-hour
    /// (`scripts/bench attendance`).
    Attendance {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 20_000)]
        viewers: usize,
        /// Minutes of heartbeats for the sustained rate.
        #[arg(long, default_value_t = 5)]
        minutes: i64,
        /// The data folder of the process serving the live stream.
        #[arg(long)]
        data: std::path::PathBuf,
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        /// Heartbeats a second during the loaded delivery run.
        #[arg(long, default_value_t = 1667)]
        heartbeat_rate: u64,
    },
    /// The report of a large generated event: use case, JSON, page, XLSX, peak memory
    /// (`scripts/bench report`).
    /// Export and erasure of one participant with 100,000 rows, the audit's cost on
    /// votes, the retention sweep of 5,000 participants.
    Privacy {
        /// sqlite:PATH or postgres://... (a fresh database).
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        data: std::path::PathBuf,
        #[arg(long, default_value_t = 5_000)]
        registrations: usize,
        #[arg(long, default_value_t = 5)]
        samples: usize,
    },
    Report {
        /// sqlite:PATH or postgres://... (a fresh database).
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        data: std::path::PathBuf,
        #[arg(long, default_value_t = 5_000)]
        registrations: usize,
        #[arg(long, default_value_t = 20_000)]
        questions: usize,
        #[arg(long, default_value_t = 100_000)]
        votes: usize,
        #[arg(long, default_value_t = 2_000)]
        meetings: usize,
        #[arg(long, default_value_t = 1_000)]
        leads: usize,
        #[arg(long, default_value_t = 30)]
        samples: usize,
    },
    /// Durable writes per second through Roadshow's API.
    Writes {
        #[arg(long, value_enum)]
        kind: WriteKind,
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        #[arg(long, default_value_t = 400)]
        participants: usize,
        #[arg(long, default_value_t = 100)]
        questions: usize,
        #[arg(long, default_value = "two-zones-germany")]
        slug: String,
        #[arg(long, default_value = "")]
        moderator: String,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Bare { addr } => bare::bare(addr).await,
            Command::Cluster {
                proxy,
                writer,
                clients,
                updates,
                interval_ms,
                victim_pid,
                slug,
                moderator,
            } => {
                let result = cluster::run(cluster::Options {
                    proxy,
                    writer,
                    clients,
                    updates,
                    interval: Duration::from_millis(interval_ms),
                    victim_pid,
                    slug,
                    moderator,
                })
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::SignInLimit {
                proxy,
                email,
                attempts,
            } => {
                println!("{}", cluster::sign_in_limit(proxy, &email, attempts).await?);
                Ok(())
            }
            Command::Leads {
                database_url,
                data,
                leads,
                signals,
                samples,
                clients,
                updates,
                signal_rate,
                seed,
            } => {
                let result = leads::run(leads::Options {
                    database_url,
                    data,
                    leads,
                    signals,
                    samples,
                    clients,
                    updates,
                    signal_rate,
                    seed,
                })
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::Search {
                docs,
                rounds,
                data,
                postgres,
                http,
                roadshow_only,
                seed,
            } => {
                let result = search::run(search::Options {
                    docs,
                    seed,
                    rounds,
                    data,
                    postgres,
                    http,
                    baselines: !roadshow_only,
                })
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::Eligibility {
                policies,
                rounds,
                seed,
            } => {
                println!("{}", search::eligibility(policies, rounds, seed));
                Ok(())
            }
            Command::Soak {
                addr,
                seconds,
                participants,
                rate,
                slug,
                organiser,
                server_pid,
                db_file,
            } => {
                let result = soak::soak(
                    addr,
                    Duration::from_secs(seconds),
                    participants,
                    rate,
                    &slug,
                    &organiser,
                    server_pid,
                    db_file,
                )
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::Floor {
                addr,
                file,
                content_type,
            } => {
                let body = bytes::Bytes::from(std::fs::read(&file)?);
                bare::floor(addr, body, content_type).await
            }
            Command::Fanout {
                target,
                addr,
                clients,
                updates,
                interval_ms,
                server_pid,
                slug,
                moderator,
            } => {
                let result = fanout::fanout(
                    target,
                    addr,
                    clients,
                    updates,
                    Duration::from_millis(interval_ms),
                    server_pid,
                    &slug,
                    &moderator,
                )
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::Writes {
                kind,
                addr,
                seconds,
                concurrency,
                participants,
                questions,
                slug,
                moderator,
            } => {
                let result = writes::writes(
                    kind,
                    addr,
                    Duration::from_secs(seconds),
                    concurrency,
                    participants,
                    questions,
                    &slug,
                    &moderator,
                )
                .await?;
                println!("{result}");
                Ok(())
            }
            Command::Privacy {
                database_url,
                data,
                registrations,
                samples,
            } => {
                privacy::run(privacy::Options {
                    database_url,
                    data,
                    registrations,
                    samples,
                })
                .await
            }
            Command::Report {
                database_url,
                data,
                registrations,
                questions,
                votes,
                meetings,
                leads,
                samples,
            } => {
                report::run(report::Options {
                    database_url,
                    data,
                    registrations,
                    questions,
                    votes,
                    meetings,
                    leads,
                    samples,
                })
                .await
            }
            Command::Attendance {
                database_url,
                viewers,
                minutes,
                data,
                clients,
                heartbeat_rate,
            } => {
                attendance::run(attendance::Options {
                    database_url,
                    viewers,
                    minutes,
                    data,
                    clients,
                    heartbeat_rate,
                })
                .await
            }
        }
    })
}
