//! Attendance as staff see it: the figures measured from the event's viewing, limited to
//! an official's own sessions, with the viewers who watched longest.

use super::{BeatCounts, Broadcasts};
use crate::access::Guards;
use crate::events::EventPage;
use crate::{AppError, AppResult, Principal};
use chrono::Utc;
use roadshow_domain::accounts::Role;
use roadshow_domain::broadcast::viewing::{self, Attendance, Slot, ViewerSummary, Viewing};
use roadshow_domain::ids::*;
use std::sync::Arc;

/// How attendance was measured: by players that report playing, or only by open pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasuredBy {
    /// Roadshow's player or a provider's player API reports when it plays.
    Player,
    /// The stream's embed cannot tell: only live-page presence is known.
    Presence,
    /// The event has no stream.
    NoStream,
}

impl MeasuredBy {
    pub fn code(self) -> &'static str {
        match self {
            MeasuredBy::Player => "player",
            MeasuredBy::Presence => "presence",
            MeasuredBy::NoStream => "no_stream",
        }
    }
}

/// The attendance of an event as a member of staff may see it.
#[derive(Debug, Clone)]
pub struct AttendanceView {
    pub page: Arc<EventPage>,
    pub attendance: Attendance,
    pub measured_by: MeasuredBy,
    /// The sessions shown (an official sees their department's only).
    pub sessions: Vec<SessionId>,
    /// Whether the figures are limited to the caller's sessions.
    pub own_sessions_only: bool,
    /// The viewers who watched longest, with their names (organisers and officers only).
    pub top_viewers: Vec<(ViewerSummary, String, String)>,
    /// The event's heartbeats this process took, ignored or refused since it started.
    pub beats: BeatCounts,
}

/// The agenda as attendance needs it.
fn slots(page: &EventPage) -> Vec<Slot> {
    page.sessions
        .iter()
        .map(|s| Slot {
            session_id: s.id.0,
            start: s.starts_at.timestamp(),
            end: s.ends_at.timestamp(),
        })
        .collect()
}

impl Broadcasts<'_> {
    /// The event's attendance: organisers and investment officers see all of it, an
    /// official their department's sessions.
    pub async fn attendance(&self, principal: &Principal, slug: &str) -> AppResult<AttendanceView> {
        let staff = principal.as_staff()?;
        let officer = matches!(staff.role, Role::Organiser | Role::InvestmentOfficer);
        if !officer && staff.role != Role::Official {
            return Err(AppError::Forbidden);
        }
        let page = self.app.event_of(principal, slug).await?;
        principal.as_staff_of(page.event.agency_id)?;
        let mut slots = slots(&page);
        let mut viewings = self.app.store.viewings(page.event.id).await?;
        if !officer {
            let own: Vec<SessionId> = page
                .sessions
                .iter()
                .filter(|s| s.department_id.is_some() && s.department_id == staff.department_id)
                .map(|s| s.id)
                .collect();
            slots.retain(|s| own.iter().any(|o| o.0 == s.session_id));
            viewings = clip(viewings, &slots);
        }
        let (from, to) = (
            page.event.starts_at.timestamp(),
            page.event.ends_at.timestamp(),
        );
        let people = viewing::viewers(&viewings, &slots, page.event.attended_minutes);
        let attendance = viewing::attendance_of(
            &viewings,
            &people,
            &slots,
            (from, to),
            Utc::now().timestamp(),
            page.event.attended_minutes,
        );
        let top_viewers = if officer {
            self.top_viewers(people).await?
        } else {
            Vec::new()
        };
        let measured_by = match &page.event.broadcast.stream {
            None => MeasuredBy::NoStream,
            Some(s) if s.source.kind.reports_playing() => MeasuredBy::Player,
            Some(_) => MeasuredBy::Presence,
        };
        Ok(AttendanceView {
            sessions: slots.iter().map(|s| SessionId(s.session_id)).collect(),
            attendance,
            measured_by,
            own_sessions_only: !officer,
            top_viewers,
            beats: self.counts(page.event.id),
            page,
        })
    }

    /// The 50 viewers who watched longest, with name and company.
    async fn top_viewers(
        &self,
        mut people: Vec<ViewerSummary>,
    ) -> AppResult<Vec<(ViewerSummary, String, String)>> {
        people.sort_by(|a, b| {
            (b.minutes_live + b.minutes_replay)
                .cmp(&(a.minutes_live + a.minutes_replay))
                .then(a.registration_id.cmp(&b.registration_id))
        });
        people.truncate(50);
        let ids: Vec<RegistrationId> = people
            .iter()
            .map(|p| RegistrationId(p.registration_id))
            .collect();
        let found = self.app.store.registrations_by_id(&ids).await?;
        Ok(people
            .into_iter()
            .filter_map(|p| {
                let r = found.iter().find(|r| r.id.0 == p.registration_id)?;
                Some((p, r.name.clone(), r.company.name.clone()))
            })
            .collect())
    }
}

/// Viewing limited to the time of `slots` (what an official's sessions saw).
fn clip(viewings: Vec<Viewing>, slots: &[Slot]) -> Vec<Viewing> {
    let mut out = Vec::new();
    for v in viewings {
        for s in slots {
            let start = v.span.start.max(s.start);
            let end = v.span.end.min(s.end);
            if end > start || (v.span.start >= s.start && v.span.start < s.end) {
                let mut part = v.clone();
                part.span = viewing::Span {
                    start,
                    end: end.max(start),
                };
                out.push(part);
            }
        }
    }
    out
}
