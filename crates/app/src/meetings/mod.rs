//! 1:1 meetings: the scheduler as an organiser's tool. An organiser gives an instance
//! (slots, hosts, companies, requests) and gets the best grid found, the upper bound it
//! proved, and why each request left out got nothing. The same domain code runs behind
//! `roadshow schedule`.

use crate::access::Guards;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::FieldError;
use roadshow_domain::meetings::{self, Instance, ScheduleOutput};
use serde::Serialize;
use std::time::Duration;

/// The longest an organiser may let one run search, and the default.
pub const SCHEDULE_TIME_LIMIT_MS: std::ops::RangeInclusive<u64> = 100..=10_000;
pub const SCHEDULE_DEFAULT_MS: u64 = 5_000;
/// Largest instance the web accepts (the command line takes larger ones): the body, and
/// (hosts + companies) × slots, which bounds the solver's memory (about 60 bytes a cell).
pub const SCHEDULE_BODY_LIMIT: usize = 8 * 1024 * 1024;
pub const SCHEDULE_MAX_CELLS: usize = 2_000_000;

#[derive(Clone, Copy)]
pub struct Meetings<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// 1:1 meetings: booking on events, and the scheduler.
    pub fn meetings(&self) -> Meetings<'_> {
        Meetings { app: self }
    }
}

/// A request that got no meeting, and why.
#[derive(Debug, Clone, Serialize)]
pub struct UnplacedRequest {
    pub company: String,
    pub host: String,
    pub weight: u64,
    /// `no_common_slot`, `company_at_maximum`, `host_full` or `company_busy`.
    pub reason: &'static str,
}

/// A schedule with what the organiser needs to judge it.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    #[serde(flatten)]
    pub output: ScheduleOutput,
    /// (upper bound − objective) / upper bound, in per cent.
    pub gap_percent: f64,
    pub companies_with_meetings: usize,
    pub unplaced: Vec<UnplacedRequest>,
    /// Of an event's grid, the meetings inside both working days (09:00–18:00 in Beijing
    /// and in the company's zone); `None` for an instance without times.
    pub in_working_hours: Option<usize>,
}

impl Meetings<'_> {
    /// Whether `principal` may use the scheduler (an organiser): asked before an
    /// instance, which may be 8 MB, is read.
    pub fn may_schedule(&self, principal: &Principal) -> AppResult<()> {
        principal.as_organiser().map(|_| ())
    }

    /// Solves `instance` for an organiser within `time_limit_ms` (default 5 s). Every
    /// problem of the instance comes back as a field error naming its record.
    pub async fn schedule(
        &self,
        principal: &Principal,
        instance: Instance,
        time_limit_ms: Option<u64>,
    ) -> AppResult<Scheduled> {
        self.may_schedule(principal)?;
        let limit = time_limit_ms.unwrap_or(SCHEDULE_DEFAULT_MS);
        if !SCHEDULE_TIME_LIMIT_MS.contains(&limit) {
            return Err(AppError::Invalid(vec![FieldError::range(
                "time_limit_ms",
                *SCHEDULE_TIME_LIMIT_MS.start() as usize,
                *SCHEDULE_TIME_LIMIT_MS.end() as usize,
            )]));
        }
        let cells =
            (instance.hosts.len() + instance.companies.len()).saturating_mul(instance.slots.len());
        if cells > SCHEDULE_MAX_CELLS {
            return Err(AppError::invalid("slots", "instance_too_large"));
        }
        let solved = self.run_solver(move || solve(&instance, limit)).await?;
        solved.map_err(|errors| {
            AppError::Invalid(
                errors
                    .into_iter()
                    .map(|e| match e.range {
                        Some((min, max)) => FieldError::range(e.field, min, max),
                        None => FieldError::new(e.field, e.code),
                    })
                    .collect(),
            )
        })
    }
}

impl Meetings<'_> {
    /// Runs the solver on the blocking pool, at most `max_schedules` at once: each run
    /// takes up to two cores for up to its time limit, so more runs than the cores allow
    /// would only slow every run and the pages with them. Beyond it the caller is told 503 at once.
    pub(crate) async fn run_solver<T: Send + 'static>(
        &self,
        run: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let place = self
            .app
            .schedules
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy("every scheduler place is taken".into()))?;
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let out = run();
            drop(place);
            metrics::histogram!("roadshow_schedule_seconds")
                .record(started.elapsed().as_secs_f64());
            out
        })
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))
    }
}

pub(crate) fn solve(
    instance: &Instance,
    limit_ms: u64,
) -> Result<Scheduled, Vec<meetings::InstanceError>> {
    let (output, reasons) = meetings::explained(instance, Duration::from_millis(limit_ms))?;
    let unplaced = reasons
        .into_iter()
        .filter_map(|(i, reason)| {
            let r = instance.requests.get(i)?;
            Some(UnplacedRequest {
                company: r.company.clone(),
                host: r.host.clone(),
                weight: r.weight.max(0) as u64,
                reason: reason.code(),
            })
        })
        .collect();
    let companies_with_meetings = output
        .meetings
        .iter()
        .map(|m| m.company.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    let gap_percent = if output.upper_bound == 0 {
        0.0
    } else {
        100.0 * (output.upper_bound - output.objective) as f64 / output.upper_bound as f64
    };
    Ok(Scheduled {
        output,
        gap_percent,
        companies_with_meetings,
        unplaced,
        in_working_hours: None,
    })
}
pub mod booking;
mod emails;
pub mod hosts;
pub mod participants;
