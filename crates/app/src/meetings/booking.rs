//! Meeting booking on an event, the organiser's side: the grid, the hosts and their
//! tables, the requests; the scheduler proposes a grid from them and the organiser
//! confirms it. Participants' side: `participants.rs`; hosts': `hosts.rs`; emails and
//! calendar invitations: `emails.rs`.

use super::{Meetings, SCHEDULE_DEFAULT_MS, Scheduled, solve};
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::FieldError;
use roadshow_domain::departments::Department;
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use roadshow_domain::paging::PageRequest;
use roadshow_domain::registrations::{Registration, RegistrationFilter};
use std::collections::{HashMap, HashSet};

/// Which requests a booking view holds: a page of the list (the views people read), or
/// every one (the scheduler's proposal and a host's changes, which may name any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requests {
    Page(PageRequest),
    All,
}

/// What the organiser's booking page shows.
pub struct OrganiserBooking {
    pub event: Event,
    pub booking: Option<Booking>,
    pub departments: Vec<Department>,
    /// The requests listed (a page, or all), in the order they came in.
    pub requests: Vec<MeetingRequest>,
    /// The `after` of the next page of requests.
    pub next: Option<i64>,
    /// The registrations of the participants the view names (requests and meetings).
    pub registrations: HashMap<ParticipantId, Registration>,
    /// Per participant listed, the slot starts marked.
    pub availability: HashMap<ParticipantId, Vec<DateTime<Utc>>>,
    /// The confirmed meetings (as many as the grid holds) and their requests.
    pub meetings: Vec<Meeting>,
    pub meeting_requests: Vec<MeetingRequest>,
}

/// A proposed grid: the scheduler's answer on the event's current requests.
pub struct Proposal {
    pub scheduled: Scheduled,
    pub instance: Instance,
}

pub(super) fn slot_id(t: DateTime<Utc>) -> String {
    t.timestamp().to_string()
}
pub(super) fn host_id(d: DepartmentId) -> String {
    format!("d{}", d.0)
}
pub(super) fn company_id(p: ParticipantId) -> String {
    format!("p{}", p.0)
}

impl Meetings<'_> {
    /// The requests a view lists (in id order, of these hosts or all), and the cursor of
    /// the next page.
    pub(super) async fn listed_requests(
        &self,
        event: EventId,
        departments: Option<Vec<DepartmentId>>,
        requests: Requests,
    ) -> AppResult<(Vec<MeetingRequest>, Option<i64>)> {
        let (after, limit) = match requests {
            Requests::Page(p) => (p.after.map(MeetingRequestId), Some(p.fetch())),
            Requests::All => (None, None),
        };
        let list = self
            .app
            .store
            .meeting_requests_where(
                event,
                &RequestFilter {
                    departments,
                    ids: None,
                    after,
                    limit,
                },
            )
            .await?;
        Ok(match requests {
            Requests::Page(p) => {
                let page = p.split(list, |r| r.id.0);
                (page.items, page.next)
            }
            Requests::All => (list, None),
        })
    }

    /// The requests of these meetings.
    pub(super) async fn requests_of(
        &self,
        event: EventId,
        meetings: &[Meeting],
    ) -> AppResult<Vec<MeetingRequest>> {
        if meetings.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .app
            .store
            .meeting_requests_where(
                event,
                &RequestFilter {
                    ids: Some(meetings.iter().map(|m| m.request_id).collect()),
                    ..Default::default()
                },
            )
            .await?)
    }

    /// The registrations of the participants named, by participant.
    pub(super) async fn people_named(
        &self,
        event: EventId,
        requests: &[&MeetingRequest],
    ) -> AppResult<HashMap<ParticipantId, Registration>> {
        let mut participants: Vec<ParticipantId> =
            requests.iter().map(|r| r.participant_id).collect();
        participants.sort();
        participants.dedup();
        if participants.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(self
            .app
            .store
            .registrations(
                event,
                &RegistrationFilter {
                    participants,
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .map(|r| (r.participant_id, r))
            .collect())
    }

    /// The event's registrations by participant: names, companies and languages for
    /// every view and email of booking.
    pub(super) async fn people(
        &self,
        event: EventId,
    ) -> AppResult<HashMap<ParticipantId, Registration>> {
        Ok(self
            .app
            .store
            .registrations(event, &RegistrationFilter::default())
            .await?
            .into_iter()
            .map(|r| (r.participant_id, r))
            .collect())
    }

    /// Whether the event has meeting booking (for links to it).
    pub async fn has_booking(&self, event: EventId) -> AppResult<bool> {
        Ok(self.app.store.booking(event).await?.is_some())
    }

    /// The organiser's view of booking: the grid's settings, the requests listed (a page,
    /// or all) with who made them and the slots they marked, and the confirmed meetings.
    pub async fn for_organiser(
        &self,
        principal: &Principal,
        slug: &str,
        shown: Requests,
    ) -> AppResult<OrganiserBooking> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let booking = self.app.store.booking(event.id).await?;
        let departments = self.app.store.departments(event.agency_id).await?;
        let (requests, next) = self.listed_requests(event.id, None, shown).await?;
        let meetings = self.app.store.meetings(event.id).await?;
        let meeting_requests = self.requests_of(event.id, &meetings).await?;
        let named: Vec<&MeetingRequest> = requests.iter().chain(&meeting_requests).collect();
        let registrations = self.people_named(event.id, &named).await?;
        let mut listed: Vec<ParticipantId> = requests.iter().map(|r| r.participant_id).collect();
        listed.sort();
        listed.dedup();
        let mut availability: HashMap<ParticipantId, Vec<DateTime<Utc>>> = HashMap::new();
        for (p, t) in self.app.store.availability_of(event.id, &listed).await? {
            availability.entry(p).or_default().push(t);
        }
        Ok(OrganiserBooking {
            event,
            booking,
            departments,
            requests,
            next,
            registrations,
            availability,
            meetings,
            meeting_requests,
        })
    }

    pub async fn save_booking(
        &self,
        principal: &Principal,
        slug: &str,
        input: &BookingInput,
    ) -> AppResult<Booking> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let departments: Vec<DepartmentId> = self
            .app
            .store
            .departments(event.agency_id)
            .await?
            .iter()
            .map(|d| d.id)
            .collect();
        let draft = input.parse(event.zone(), &departments)?;
        Ok(self.app.store.save_booking(event.id, &draft).await?)
    }

    /// The instance of the event as it stands: slots, hosts with their tables (available
    /// in every slot they did not mark as impossible), participants with the slots they marked, requests weighted by
    /// priority. Confirmed meetings are pinned unless `full` asks for a fresh grid.
    async fn instance(&self, event: &Event, full: bool) -> AppResult<(Booking, Instance)> {
        let booking = self
            .app
            .store
            .booking(event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let slots = booking.slots(event.zone());
        let requests = self.app.store.meeting_requests(event.id).await?;
        let meetings = if full {
            Vec::new()
        } else {
            self.app.store.meetings(event.id).await?
        };
        let mut marked: HashMap<ParticipantId, Vec<String>> = HashMap::new();
        let valid: HashSet<DateTime<Utc>> = slots.iter().map(|s| s.starts_at).collect();
        for (p, t) in self.app.store.availability(event.id).await? {
            if valid.contains(&t) {
                marked.entry(p).or_default().push(slot_id(t));
            }
        }
        let all: Vec<String> = slots.iter().map(|s| slot_id(s.starts_at)).collect();
        let hosted: HashSet<DepartmentId> = booking.hosts.iter().map(|h| h.department_id).collect();
        let mut companies: Vec<ParticipantId> = requests
            .iter()
            .filter(|r| hosted.contains(&r.department_id) && r.schedulable())
            .map(|r| r.participant_id)
            .collect();
        companies.sort();
        companies.dedup();
        let instance = Instance {
            slots: all.clone(),
            hosts: booking
                .hosts
                .iter()
                .map(|h| HostSpec {
                    id: host_id(h.department_id),
                    capacity: i64::from(h.capacity),
                    available: slots
                        .iter()
                        .filter(|s| !h.unavailable.contains(&s.starts_at))
                        .map(|s| slot_id(s.starts_at))
                        .collect(),
                })
                .collect(),
            companies: companies
                .iter()
                .map(|p| CompanySpec {
                    id: company_id(*p),
                    available: marked.get(p).cloned().unwrap_or_default(),
                    max_meetings: i64::from(booking.max_per_company),
                })
                .collect(),
            requests: requests
                .iter()
                .filter(|r| hosted.contains(&r.department_id) && r.schedulable())
                .map(|r| RequestSpec {
                    company: company_id(r.participant_id),
                    host: host_id(r.department_id),
                    weight: r.weight(),
                    slot: meetings
                        .iter()
                        .find(|m| m.request_id == r.id)
                        .map(|m| slot_id(m.starts_at))
                        .filter(|s| {
                            // A pin the company or the host can no longer make is let go.
                            marked.get(&r.participant_id).is_some_and(|m| m.contains(s))
                                && booking.hosts.iter().any(|h| {
                                    h.department_id == r.department_id
                                        && !h.unavailable.iter().any(|t| &slot_id(*t) == s)
                                })
                        }),
                })
                .collect(),
        };
        Ok((booking, instance))
    }

    /// The scheduler's grid for the event's current requests, keeping confirmed meetings
    /// in place (placing only what is new) unless `full`.
    pub async fn propose(
        &self,
        principal: &Principal,
        slug: &str,
        full: bool,
    ) -> AppResult<Proposal> {
        self.propose_within(principal, slug, full, SCHEDULE_DEFAULT_MS)
            .await
    }

    /// [`Self::propose`] with a time limit (the demo's loading uses a short one).
    pub async fn propose_within(
        &self,
        principal: &Principal,
        slug: &str,
        full: bool,
        limit_ms: u64,
    ) -> AppResult<Proposal> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let (booking, instance) = self.instance(&event, full).await?;
        let copy = instance.clone();
        let mut scheduled = self
            .run_solver(move || solve(&copy, limit_ms))
            .await?
            .map_err(|_| AppError::invalid("meetings", "schedule_broken"))?;
        // After weight and coverage, the hours: meetings moved into both working days
        // where a slot allows, the same meetings held.
        let requests = self.app.store.meeting_requests(event.id).await?;
        let named: Vec<&MeetingRequest> = requests.iter().collect();
        let people = self.people_named(event.id, &named).await?;
        let zones: HashMap<String, _> = people
            .iter()
            .map(|(p, r)| {
                (
                    company_id(*p),
                    roadshow_domain::countries::working_zone(&r.company.country),
                )
            })
            .collect();
        let slots: HashMap<String, roadshow_domain::meetings::Slot> = booking
            .slots(event.zone())
            .into_iter()
            .map(|s| (slot_id(s.starts_at), s))
            .collect();
        let preferred = |company: &str, slot: &str| {
            slots.get(slot).is_some_and(|s| {
                in_working_day(*s, roadshow_domain::time::BEIJING)
                    && zones
                        .get(company)
                        .copied()
                        .flatten()
                        .is_none_or(|z| in_working_day(*s, z))
            })
        };
        let before = check(&instance, &scheduled.output.meetings)
            .map_err(|_| AppError::invalid("meetings", "schedule_broken"))?;
        let mut moved = scheduled.output.meetings.clone();
        let in_hours =
            roadshow_domain::meetings::hours::prefer_hours(&instance, &mut moved, preferred);
        // The moves are checked like any grid; one that failed would be dropped.
        if check(&instance, &moved).ok() == Some(before) {
            scheduled.output.meetings = moved;
            scheduled.in_working_hours = Some(in_hours);
        }
        Ok(Proposal {
            scheduled,
            instance,
        })
    }

    /// Confirms `placed` (by the instance's ids) as the event's meetings, after the
    /// independent checker has passed it against the event as it stands now. Each
    /// participant whose meeting is new, moved or cancelled is told by email, in their
    /// language, with the invitation attached.
    /// A grid that cancels confirmed meetings is refused (`cancels`,
    /// `confirm_cancellations`, with their number) unless `cancels` says that many.
    pub async fn confirm(
        &self,
        principal: &Principal,
        slug: &str,
        placed: &[Placement],
        cancels: Option<usize>,
    ) -> AppResult<Vec<Meeting>> {
        self.confirm_and_tell(principal, slug, placed, cancels, true)
            .await
    }

    /// [`Self::confirm`], telling participants or not (the demo's sample companies are not
    /// written to).
    pub async fn confirm_and_tell(
        &self,
        principal: &Principal,
        slug: &str,
        placed: &[Placement],
        cancels: Option<usize>,
        tell: bool,
    ) -> AppResult<Vec<Meeting>> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let (_, mut instance) = self.instance(&event, true).await?;
        for r in &mut instance.requests {
            r.slot = None;
        }
        // Every rule a move breaks, named by meeting: the organiser sees which one and why.
        let (_, broken) = roadshow_domain::meetings::violations(&instance, placed);
        if !broken.is_empty() {
            return Err(AppError::Invalid(
                broken
                    .iter()
                    .map(|v| FieldError::new(v.field(), v.rule.code()))
                    .collect(),
            ));
        }
        let requests = self.app.store.meeting_requests(event.id).await?;
        let mut rows = Vec::new();
        for m in placed {
            let request = requests
                .iter()
                .find(|r| {
                    company_id(r.participant_id) == m.company && host_id(r.department_id) == m.host
                })
                .ok_or_else(|| AppError::invalid("meetings", "schedule_broken"))?;
            let seconds: i64 = m
                .slot
                .parse()
                .map_err(|_| AppError::invalid("meetings", "schedule_broken"))?;
            let at = DateTime::from_timestamp(seconds, 0)
                .ok_or_else(|| AppError::invalid("meetings", "schedule_broken"))?;
            rows.push((request.id, at));
        }
        let before = self.app.store.meetings(event.id).await?;
        let kept: Vec<MeetingRequestId> = rows.iter().map(|(r, _)| *r).collect();
        let cancelled = cancelled_by(&before, &kept).len();
        if cancelled > 0 && cancels != Some(cancelled) {
            return Err(AppError::Invalid(vec![FieldError::limited(
                "cancels",
                "confirm_cancellations",
                cancelled,
            )]));
        }
        let after = self.app.store.confirm_meetings(event.id, &rows).await?;
        if tell {
            self.tell(&event, &requests, &before, &after).await?;
        }
        Ok(after)
    }
}
