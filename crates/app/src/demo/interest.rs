//! The demo's directory interest: some sample participants read policies and parks and
//! ran the eligibility check with their company's profile, so that the report's
//! directory section and the leads' scores have something to show.

use crate::{App, AppResult};
use chrono::Utc;
use roadshow_domain::directory::eligibility::{Profile, Status};
use roadshow_domain::registrations::Registration;
use roadshow_domain::signals::{NewSignal, SignalKind};

/// Employees a company of each size band is taken to have.
fn employees(size: &str) -> f64 {
    match size {
        "1-9" => 5.0,
        "10-49" => 30.0,
        "50-249" => 120.0,
        "250-999" => 500.0,
        _ => 2_000.0,
    }
}

impl App {
    pub(super) async fn demo_interest(&self, registrations: &[Registration]) -> AppResult<()> {
        let (parks, policies, _) = self.store.directory().await?;
        let policies: Vec<i64> = policies
            .iter()
            .filter(|p| !p.archived)
            .map(|p| p.id.0)
            .collect();
        let parks: Vec<i64> = parks
            .iter()
            .filter(|p| !p.archived)
            .map(|p| p.id.0)
            .collect();
        if policies.is_empty() || parks.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let mut signals = Vec::new();
        let signal = |r: &Registration, kind: SignalKind, ref_id: i64, amount: i64| NewSignal {
            participant_id: r.participant_id,
            event_id: r.event_id,
            kind,
            ref_id,
            amount,
            at: now,
        };
        // About two in three read a policy or two, half of them a park; one in three
        // checked their eligibility, some twice.
        for (i, r) in registrations.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
            signals.push(signal(
                r,
                SignalKind::PolicyViewed,
                policies[i % policies.len()],
                0,
            ));
            if i % 2 == 0 {
                let other = policies[(i * 7 + 3) % policies.len()];
                signals.push(signal(r, SignalKind::PolicyViewed, other, 0));
                signals.push(signal(r, SignalKind::ParkViewed, parks[i % parks.len()], 0));
            }
        }
        for (i, r) in registrations.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            signals.push(signal(
                r,
                SignalKind::EligibilityChecked,
                r.event_id.0,
                1 + (i % 2) as i64,
            ));
            let profile = Profile {
                employees: Some(employees(&r.company.size)),
                planned_investment_cny: Some(20_000_000.0 * (1 + i % 4) as f64),
                foreign_ownership_pct: Some(100.0),
                sector: Some(r.company.industry.clone()),
                country: Some(r.company.country.clone()),
                headquarters: Some(i % 4 == 0),
                ..Default::default()
            };
            for m in self.directory().eligibility(&profile).await? {
                if m.assessment.status == Status::Eligible {
                    signals.push(signal(r, SignalKind::Eligible, m.policy.id.0, 0));
                }
            }
        }
        self.store.record_signals(&signals).await?;
        Ok(())
    }
}
