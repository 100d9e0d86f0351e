//! Meeting booking, a participant's side: the hosts, their requests, the slots they can
//! make, their meetings and an invitation for each.

use super::Meetings;
use super::emails::meeting_calendar;
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::departments::Department;
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use std::collections::HashSet;

/// What a participant's meetings page shows.
pub struct ParticipantBooking {
    pub event: Event,
    pub booking: Booking,
    pub hosts: Vec<(Department, u32)>,
    pub requests: Vec<MeetingRequest>,
    pub availability: Vec<DateTime<Utc>>,
    /// Their confirmed meetings, with the request each answers.
    pub meetings: Vec<(Meeting, MeetingRequest)>,
    pub open: bool,
}

impl Meetings<'_> {
    fn participant<'p>(
        principal: &'p Principal,
        event: &Event,
    ) -> AppResult<&'p ParticipantAccess> {
        principal.as_participant_of(event.id)
    }

    pub async fn for_participant(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<ParticipantBooking> {
        let page = self.app.event_of(principal, slug).await?;
        let event = page.event.clone();
        let me = Self::participant(principal, &event)?.participant_id;
        let booking = self
            .app
            .store
            .booking(event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let departments = self.app.store.departments(event.agency_id).await?;
        let hosts = booking
            .hosts
            .iter()
            .filter_map(|h| {
                departments
                    .iter()
                    .find(|d| d.id == h.department_id)
                    .map(|d| (d.clone(), h.capacity))
            })
            .collect();
        let requests: Vec<MeetingRequest> = self
            .app
            .store
            .meeting_requests(event.id)
            .await?
            .into_iter()
            .filter(|r| r.participant_id == me)
            .collect();
        let availability = self
            .app
            .store
            .availability(event.id)
            .await?
            .into_iter()
            .filter(|(p, _)| *p == me)
            .map(|(_, t)| t)
            .collect();
        let meetings = self
            .app
            .store
            .meetings(event.id)
            .await?
            .into_iter()
            .filter_map(|m| {
                let r = requests.iter().find(|r| r.id == m.request_id)?.clone();
                Some((m, r))
            })
            .collect();
        let open = Utc::now() < booking.request_deadline;
        Ok(ParticipantBooking {
            event,
            booking,
            hosts,
            requests,
            availability,
            meetings,
            open,
        })
    }

    async fn open_booking(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(Event, Booking, ParticipantId)> {
        let page = self.app.event_of(principal, slug).await?;
        let event = page.event.clone();
        let me = Self::participant(principal, &event)?.participant_id;
        let booking = self
            .app
            .store
            .booking(event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if Utc::now() >= booking.request_deadline {
            return Err(AppError::invalid("request_deadline", "deadline_passed"));
        }
        Ok((event, booking, me))
    }

    pub async fn request(
        &self,
        principal: &Principal,
        slug: &str,
        input: &RequestInput,
    ) -> AppResult<MeetingRequest> {
        let (event, booking, me) = self.open_booking(principal, slug).await?;
        let draft = input.parse(&booking)?;
        let request = self
            .app
            .store
            .save_meeting_request(event.id, me, &draft)
            .await?;
        self.app
            .signals()
            .record(
                me,
                event.id,
                roadshow_domain::signals::SignalKind::MeetingRequested,
                request.id.0,
                0,
            )
            .await;
        Ok(request)
    }

    pub async fn withdraw(
        &self,
        principal: &Principal,
        slug: &str,
        id: MeetingRequestId,
    ) -> AppResult<()> {
        let (_, _, me) = self.open_booking(principal, slug).await?;
        if self.app.store.withdraw_meeting_request(me, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Replaces the slots the participant can make; each must be a slot of the booking
    /// (given as its start, RFC 3339 or Unix seconds).
    pub async fn set_availability(
        &self,
        principal: &Principal,
        slug: &str,
        starts: &[String],
    ) -> AppResult<()> {
        let (event, booking, me) = self.open_booking(principal, slug).await?;
        let slots: HashSet<DateTime<Utc>> = booking
            .slots(event.zone())
            .iter()
            .map(|s| s.starts_at)
            .collect();
        let mut chosen = Vec::new();
        for text in starts {
            match parse_slot_start(text) {
                Some(t) if slots.contains(&t) => chosen.push(t),
                _ => return Err(AppError::invalid("slots", "unknown_slot")),
            }
        }
        Ok(self
            .app
            .store
            .set_availability(event.id, me, &chosen)
            .await?)
    }

    /// One confirmed meeting as an iCalendar invitation, for its own participant.
    pub async fn meeting_ics(
        &self,
        principal: &Principal,
        slug: &str,
        id: MeetingId,
        lang: Lang,
    ) -> AppResult<String> {
        let view = self.for_participant(principal, slug).await?;
        let (meeting, request) = view
            .meetings
            .iter()
            .find(|(m, _)| m.id == id)
            .ok_or(AppError::NotFound)?;
        let host = view
            .hosts
            .iter()
            .find(|(d, _)| d.id == request.department_id)
            .map(|(d, _)| d.name.get(lang).to_string())
            .unwrap_or_default();
        let calendar = meeting_calendar(
            &view.event,
            &view.booking,
            meeting,
            request,
            &host,
            lang,
            &self.app.config.base_url,
        );
        Ok(calendar.to_ics())
    }
}
