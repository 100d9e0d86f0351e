//! Meeting booking, a host's side (an official's department, or every host for an
//! organiser): answering requests, asking companies, recording outcomes.

use super::Meetings;
use super::booking::Requests;
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::Utc;
use roadshow_domain::accounts::Role;
use roadshow_domain::departments::Department;
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use roadshow_domain::registrations::{Registration, RegistrationFilter};
use std::collections::{HashMap, HashSet};

/// What a host (an official's department, or every host for an organiser) sees.
pub struct HostBooking {
    pub event: Event,
    /// `None` while booking is not opened on the event (then every list is empty).
    pub booking: Option<Booking>,
    /// The departments shown: the official's own, or all hosts for an organiser.
    pub departments: Vec<Department>,
    /// The requests listed (a page, or all), in the order they came in.
    pub requests: Vec<MeetingRequest>,
    /// The `after` of the next page of requests.
    pub next: Option<i64>,
    pub meetings: Vec<(Meeting, MeetingRequest)>,
    /// The registrations of the participants the view names (requests and meetings).
    pub registrations: HashMap<ParticipantId, Registration>,
}

impl Meetings<'_> {
    /// The requests and meetings of the caller's department (an official), or of every
    /// host (an organiser). Moderators and other agencies' staff see nothing.
    pub async fn for_host(
        &self,
        principal: &Principal,
        slug: &str,
        shown: Requests,
    ) -> AppResult<HostBooking> {
        let staff = principal.as_official_or_organiser()?;
        let event = self
            .app
            .store
            .event_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if event.agency_id != staff.agency_id {
            return Err(AppError::NotFound);
        }
        let own: Option<DepartmentId> = match staff.role {
            Role::Organiser => None,
            Role::Official => Some(staff.department_id.ok_or(AppError::Forbidden)?),
            _ => return Err(AppError::Forbidden),
        };
        let Some(booking) = self.app.store.booking(event.id).await? else {
            return Ok(HostBooking {
                event,
                booking: None,
                departments: Vec::new(),
                requests: Vec::new(),
                next: None,
                meetings: Vec::new(),
                registrations: HashMap::new(),
            });
        };
        let departments = self
            .app
            .store
            .departments(event.agency_id)
            .await?
            .into_iter()
            .filter(|d| booking.capacity(d.id).is_some() && own.is_none_or(|o| o == d.id))
            .collect::<Vec<_>>();
        let hosts: HashSet<DepartmentId> = departments.iter().map(|d| d.id).collect();
        let (requests, next) = self
            .listed_requests(event.id, Some(hosts.iter().copied().collect()), shown)
            .await?;
        let all_meetings = self.app.store.meetings(event.id).await?;
        let of_meetings: HashMap<MeetingRequestId, MeetingRequest> = self
            .requests_of(event.id, &all_meetings)
            .await?
            .into_iter()
            .filter(|r| hosts.contains(&r.department_id))
            .map(|r| (r.id, r))
            .collect();
        let meetings: Vec<(Meeting, MeetingRequest)> = all_meetings
            .into_iter()
            .filter_map(|m| {
                let r = of_meetings.get(&m.request_id)?.clone();
                Some((m, r))
            })
            .collect();
        let named: Vec<&MeetingRequest> = requests
            .iter()
            .chain(meetings.iter().map(|(_, r)| r))
            .collect();
        let registrations = self.people_named(event.id, &named).await?;
        Ok(HostBooking {
            event,
            booking: Some(booking),
            departments,
            requests,
            next,
            meetings,
            registrations,
        })
    }

    /// The event's registered companies a host may invite (the view shown to them says
    /// the caller may see the event's booking): those whose name, company or email holds
    /// `search` (all without one), at most `limit` in the order they registered, and
    /// whether there are more.
    pub async fn invitable(
        &self,
        view: &HostBooking,
        search: Option<&str>,
        limit: usize,
    ) -> AppResult<(Vec<Registration>, bool)> {
        if view.booking.is_none() {
            return Ok((Vec::new(), false));
        }
        let mut found = self
            .app
            .store
            .registrations(
                view.event.id,
                &RegistrationFilter {
                    search: search
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| s.chars().take(200).collect()),
                    limit: Some(limit + 1),
                    ..Default::default()
                },
            )
            .await?;
        let more = found.len() > limit;
        found.truncate(limit);
        Ok((found, more))
    }

    /// A host accepts a request of its department, or declines it with a reason (a
    /// declined request is no longer scheduled).
    pub async fn answer(
        &self,
        principal: &Principal,
        slug: &str,
        id: MeetingRequestId,
        input: &AnswerInput,
    ) -> AppResult<()> {
        let view = self.for_host(principal, slug, Requests::All).await?;
        if !view.requests.iter().any(|r| r.id == id) {
            return Err(AppError::NotFound);
        }
        let answer = input.parse()?;
        self.app
            .store
            .answer_meeting_request(id, Some(&answer))
            .await?;
        Ok(())
    }

    /// A host asks a registered company for a meeting (its interest raises the weight).
    pub async fn invite(
        &self,
        principal: &Principal,
        slug: &str,
        input: &InvitationInput,
    ) -> AppResult<MeetingRequest> {
        let view = self.for_host(principal, slug, Requests::All).await?;
        let hosts: Vec<DepartmentId> = view.departments.iter().map(|d| d.id).collect();
        // A department the caller does not host for is not theirs to see (another
        // department's, another agency's): not found, as everywhere.
        if input.department_id != 0 && !hosts.contains(&DepartmentId(input.department_id)) {
            return Err(AppError::NotFound);
        }
        let people: Vec<ParticipantId> = self.people(view.event.id).await?.into_keys().collect();
        let (participant, draft) = input.parse(&hosts, &people)?;
        Ok(self
            .app
            .store
            .invite(view.event.id, participant, &draft)
            .await?)
    }

    /// The host records what came of a meeting of its department, once it has begun.
    pub async fn record_outcome(
        &self,
        principal: &Principal,
        slug: &str,
        id: MeetingId,
        input: &OutcomeInput,
    ) -> AppResult<()> {
        let view = self.for_host(principal, slug, Requests::All).await?;
        let (meeting, _) = view
            .meetings
            .iter()
            .find(|(m, _)| m.id == id)
            .ok_or(AppError::NotFound)?;
        let outcome = input.parse(meeting.starts_at, Utc::now())?;
        self.app.store.record_outcome(id, &outcome).await?;
        let person = view
            .meetings
            .iter()
            .find(|(m, _)| m.id == id)
            .map(|(_, r)| r.participant_id);
        if let Some(participant) = person {
            self.record_outcome_signals(participant, view.event.id, id, &outcome)
                .await?;
        }
        Ok(())
    }

    /// A held meeting is a signal of the company; a host's "follow-up wanted" makes it a
    /// lead.
    async fn record_outcome_signals(
        &self,
        participant: ParticipantId,
        event: EventId,
        meeting: MeetingId,
        outcome: &MeetingOutcome,
    ) -> AppResult<()> {
        use roadshow_domain::signals::SignalKind;
        if !outcome.held {
            return Ok(());
        }
        let signals = self.app.signals();
        signals
            .record(participant, event, SignalKind::MeetingHeld, meeting.0, 0)
            .await;
        if outcome.follow_up {
            signals
                .record(participant, event, SignalKind::FollowUpWanted, meeting.0, 0)
                .await;
            let theirs = RegistrationFilter {
                participant: Some(participant),
                limit: Some(1),
                ..Default::default()
            };
            let registrations = self.app.store.registrations(event, &theirs).await?;
            if let Some(r) = registrations.first() {
                self.app
                    .leads()
                    .ensure(
                        r.company.id,
                        &r.company.country,
                        roadshow_domain::leads::LeadSource::FollowUp,
                        None,
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
