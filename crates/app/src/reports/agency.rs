//! The agency's view across its events: each event's headline side by side and the
//! outcome funnel of the companies across them, for organisers and investment officers.

use super::Reports;
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::NaiveDate;
use roadshow_domain::accounts::Role;
use roadshow_domain::events::Event;
use roadshow_domain::reports::{Funnel, Headline, funnel};
use roadshow_domain::time::BEIJING;

/// The events of a period with their headlines, and the funnel across them.
#[derive(Debug, Clone)]
pub struct AgencyReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Oldest first.
    pub events: Vec<(Event, Headline)>,
    /// Each event's own funnel, in the order of `events`.
    pub event_funnels: Vec<Funnel>,
    pub funnel: Funnel,
}

impl Reports<'_> {
    /// Every event of the caller's agency that starts between `from` and `to` (Beijing
    /// dates, both included), with the funnel of their companies.
    pub async fn agency(
        &self,
        principal: &Principal,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> AppResult<AgencyReport> {
        let staff = principal.as_staff()?;
        if !matches!(staff.role, Role::Organiser | Role::InvestmentOfficer) {
            return Err(AppError::Forbidden);
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::invalid("to", "ends_before_start"));
            }
        }
        let mut events = self.app.store.events(Some(staff.agency_id), false).await?;
        events.retain(|e| {
            let day = e.starts_at.with_timezone(&BEIJING).date_naive();
            from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
        });
        events.sort_by_key(|e| (e.starts_at, e.id));
        let now = chrono::Utc::now();
        let mut rows = Vec::with_capacity(events.len());
        let mut event_funnels = Vec::with_capacity(events.len());
        let mut outcomes = Vec::new();
        for e in events {
            let view = self.compute(principal, &e.slug).await?;
            event_funnels.push(funnel(&view.report.companies, now));
            outcomes.extend(view.report.companies.iter().cloned());
            rows.push((e, view.report.headline.clone()));
        }
        Ok(AgencyReport {
            from,
            to,
            events: rows,
            event_funnels,
            funnel: funnel(&outcomes, now),
        })
    }
}
