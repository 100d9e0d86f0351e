//! 1:1 meetings after the promotion: hosts (departments, parks, officials) with tables and
//! available slots, companies' requests with a priority, and the scheduler that fills the
//! grid and proves how close to the best it is.

mod assign;
pub mod booking;
mod bound;
pub mod check;
mod exact;
mod exhaustive;
mod flow;
mod grid;
pub mod hours;
pub mod instance;
mod polish;
mod race;
pub mod requests;
pub mod solve;

pub use booking::*;
pub use check::{Rule, Violation, check, violations};
pub use instance::{
    CompanySpec, HostSpec, Instance, InstanceError, Placement, Problem, RequestSpec, ScheduleOutput,
};
pub use requests::*;
pub use solve::{Solution, Unplaced, solve, unplaced_reasons};

use std::time::{Duration, Instant};

/// Validates `instance`, solves it within `limit`, checks the result with the
/// independent checker and gives it in the exchange form. Errors list every problem of
/// the instance (or, should the solver ever break a rule, every rule broken).
pub fn schedule(
    instance: &Instance,
    limit: Duration,
) -> Result<ScheduleOutput, Vec<InstanceError>> {
    explained(instance, limit).map(|(output, _)| output)
}

/// Why each request left out got nothing, by request index.
pub type Reasons = Vec<(usize, Unplaced)>;

/// [`schedule`], with the reasons for the requests left out.
pub fn explained(
    instance: &Instance,
    limit: Duration,
) -> Result<(ScheduleOutput, Reasons), Vec<InstanceError>> {
    let started = Instant::now();
    let problem = instance.validate()?;
    let solution = solve(&problem, started + limit);
    let meetings = placements(&problem, &solution);
    let broken = |detail: String| InstanceError {
        detail,
        ..InstanceError::new("meetings", "schedule_broken")
    };
    let objective = check(instance, &meetings)
        .map_err(|errors| errors.into_iter().map(broken).collect::<Vec<_>>())?;
    if objective != solution.objective {
        return Err(vec![broken(format!(
            "the checker counts {objective}, the solver {}",
            solution.objective
        ))]);
    }
    let reasons = unplaced_reasons(&problem, &solution.slots);
    let output = ScheduleOutput {
        meetings,
        objective,
        upper_bound: solution.upper_bound,
        optimal: solution.optimal,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((output, reasons))
}

/// The solution's meetings by the instance's ids, in slot order.
pub fn placements(p: &Problem, solution: &Solution) -> Vec<Placement> {
    let mut meetings: Vec<(u16, Placement)> = solution
        .slots
        .iter()
        .enumerate()
        .filter_map(|(r, s)| {
            s.map(|s| {
                (
                    s,
                    Placement {
                        company: p.company_ids[p.req_company[r] as usize].clone(),
                        host: p.host_ids[p.req_host[r] as usize].clone(),
                        slot: p.slot_ids[s as usize].clone(),
                    },
                )
            })
        })
        .collect();
    meetings.sort_by(|a, b| (a.0, &a.1.host, &a.1.company).cmp(&(b.0, &b.1.host, &b.1.company)));
    meetings.into_iter().map(|(_, m)| m).collect()
}
