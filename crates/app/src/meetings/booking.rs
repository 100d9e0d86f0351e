//! Meeting booking on an event: the organiser opens it (the grid, the hosts and their
//! tables), participants ask for meetings and mark the slots they can make, the organiser
//! has the scheduler propose a grid and confirms it, and each participant then sees their
//! meetings with a calendar invitation for each.

use super::{Meetings, SCHEDULE_DEFAULT_MS, Scheduled, solve};
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::accounts::Role;
use roadshow_domain::departments::Department;
use roadshow_domain::events::Event;
use roadshow_domain::events::calendar::{Calendar, CalendarEntry};
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use roadshow_domain::outbox::{Attachment, EmailMessage};
use roadshow_domain::registrations::{Registration, RegistrationFilter};
use roadshow_domain::time::{BEIJING, default_zone, format_datetime, utc_offset_label};
use roadshow_i18n::{ArgValue, t, t_with};
use std::collections::{HashMap, HashSet};

/// What the organiser's booking page shows.
pub struct OrganiserBooking {
    pub event: Event,
    pub booking: Option<Booking>,
    pub departments: Vec<Department>,
    pub requests: Vec<MeetingRequest>,
    pub registrations: HashMap<ParticipantId, Registration>,
    /// Per participant, the slot starts marked.
    pub availability: HashMap<ParticipantId, Vec<DateTime<Utc>>>,
    pub meetings: Vec<Meeting>,
}

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

/// What a host (an official's department, or every host for an organiser) sees.
pub struct HostBooking {
    pub event: Event,
    pub booking: Booking,
    /// The departments shown: the official's own, or all hosts for an organiser.
    pub departments: Vec<Department>,
    pub requests: Vec<MeetingRequest>,
    pub meetings: Vec<(Meeting, MeetingRequest)>,
    pub registrations: HashMap<ParticipantId, Registration>,
}

/// A proposed grid: the scheduler's answer on the event's current requests.
pub struct Proposal {
    pub scheduled: Scheduled,
    pub instance: Instance,
}

/// One meeting as a calendar of one entry, in the event's zone.
fn meeting_calendar(
    event: &Event,
    booking: &Booking,
    meeting: &Meeting,
    request: &MeetingRequest,
    host: &str,
    lang: Lang,
    base: &str,
) -> Calendar {
    let link = booking.video_link_for(meeting.id);
    Calendar {
        name: format!("{} · {host}", event.title.get(lang)),
        zone: event.zone(),
        entries: vec![CalendarEntry {
            uid: format!("meeting-{}-{}@roadshow", event.slug, meeting.id.0),
            summary: format!("{host} · {}", request.topic),
            description: match &link {
                Some(l) => format!("{}\n\n{l}", request.topic),
                None => request.topic.clone(),
            },
            location: link,
            url: Some(format!("{base}/events/{}/meetings", event.slug)),
            starts_at: meeting.starts_at,
            ends_at: meeting.starts_at + chrono::Duration::minutes(i64::from(booking.slot_minutes)),
        }],
        stamp: Utc::now(),
    }
}

/// The email telling a participant of their meeting (new or moved, with the invitation)
/// or that it was cancelled, in their language; times in Beijing time and their zone.
fn meeting_email(
    event: &Event,
    booking: &Booking,
    request: &MeetingRequest,
    meeting: Option<&Meeting>,
    person: &Registration,
    host: &str,
    base: &str,
) -> EmailMessage {
    let lang = person.language;
    let arg = |v: &str| ArgValue::Text(v.to_string());
    let title = event.title.get(lang).to_string();
    let zone = default_zone(lang);
    let mut body = t_with(lang, "email-greeting", &[("name", arg(&person.name))]);
    body.push_str("\n\n");
    let mut attachments = Vec::new();
    let subject = match meeting {
        Some(m) => {
            body.push_str(&t_with(
                lang,
                "email-meeting-confirmed",
                &[("host", arg(host)), ("event", arg(&title))],
            ));
            body.push_str(&format!(
                "\n\n{} ({} {})\n",
                format_datetime(m.starts_at, BEIJING, lang),
                t(lang, "time-beijing"),
                utc_offset_label(m.starts_at, BEIJING)
            ));
            if zone != BEIJING {
                body.push_str(&format!(
                    "{} ({})\n",
                    format_datetime(m.starts_at, zone, lang),
                    utc_offset_label(m.starts_at, zone)
                ));
            }
            body.push_str(&format!(
                "{}: {}\n",
                t(lang, "meetings-topic"),
                request.topic
            ));
            if let Some(link) = booking.video_link_for(m.id) {
                body.push_str(&format!("{}: {link}\n", t(lang, "meetings-join")));
            }
            body.push('\n');
            body.push_str(&t(lang, "email-meeting-attached"));
            attachments.push(Attachment {
                filename: format!("meeting-{}.ics", m.id.0),
                content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                content: meeting_calendar(event, booking, m, request, host, lang, base).to_ics(),
            });
            t_with(
                lang,
                "email-subject-meeting",
                &[("host", arg(host)), ("event", arg(&title))],
            )
        }
        None => {
            body.push_str(&t_with(
                lang,
                "email-meeting-cancelled",
                &[("host", arg(host)), ("event", arg(&title))],
            ));
            t_with(
                lang,
                "email-subject-meeting-cancelled",
                &[("host", arg(host)), ("event", arg(&title))],
            )
        }
    };
    body.push_str(&format!("\n\n{base}/events/{}/meetings\n", event.slug));
    EmailMessage {
        to: person.email.clone(),
        subject,
        body_text: body,
        attachments,
    }
}

fn slot_id(t: DateTime<Utc>) -> String {
    t.timestamp().to_string()
}
fn host_id(d: DepartmentId) -> String {
    format!("d{}", d.0)
}
fn company_id(p: ParticipantId) -> String {
    format!("p{}", p.0)
}

impl Meetings<'_> {
    /// The requests and meetings of the caller's department (an official), or of every
    /// host (an organiser). Moderators and other agencies' staff see nothing.
    pub async fn for_host(&self, principal: &Principal, slug: &str) -> AppResult<HostBooking> {
        let staff = match principal {
            Principal::Staff(s) => s,
            Principal::Participant(_) => return Err(AppError::Forbidden),
            Principal::Anonymous => return Err(AppError::Unauthenticated),
        };
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
        let booking = self
            .app
            .store
            .booking(event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let departments = self
            .app
            .store
            .departments(event.agency_id)
            .await?
            .into_iter()
            .filter(|d| booking.capacity(d.id).is_some() && own.is_none_or(|o| o == d.id))
            .collect::<Vec<_>>();
        let shown: HashSet<DepartmentId> = departments.iter().map(|d| d.id).collect();
        let requests: Vec<MeetingRequest> = self
            .app
            .store
            .meeting_requests(event.id)
            .await?
            .into_iter()
            .filter(|r| shown.contains(&r.department_id))
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
        let registrations = self
            .app
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?
            .into_iter()
            .map(|r| (r.participant_id, r))
            .collect();
        Ok(HostBooking {
            event,
            booking,
            departments,
            requests,
            meetings,
            registrations,
        })
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
        let view = self.for_host(principal, slug).await?;
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
        let view = self.for_host(principal, slug).await?;
        let hosts: Vec<DepartmentId> = view.departments.iter().map(|d| d.id).collect();
        let people: Vec<ParticipantId> = view.registrations.keys().copied().collect();
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
        let view = self.for_host(principal, slug).await?;
        let (meeting, _) = view
            .meetings
            .iter()
            .find(|(m, _)| m.id == id)
            .ok_or(AppError::NotFound)?;
        let outcome = input.parse(meeting.starts_at, Utc::now())?;
        self.app.store.record_outcome(id, &outcome).await?;
        Ok(())
    }

    /// Sends the day-before reminder of every meeting starting within the next 24 hours
    /// whose reminder has not gone out, once per meeting even with several processes.
    /// Returns how many were written.
    pub async fn send_reminders(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let due = self
            .app
            .store
            .meetings_to_remind(now, now + chrono::Duration::hours(24))
            .await?;
        let mut written = 0;
        for meeting in due {
            if !self.app.store.claim_reminder(meeting.id, now).await? {
                continue;
            }
            let Some(event) = self.app.store.event(meeting.event_id).await? else {
                continue;
            };
            let Some(booking) = self.app.store.booking(event.id).await? else {
                continue;
            };
            let requests = self.app.store.meeting_requests(event.id).await?;
            let Some(request) = requests.iter().find(|r| r.id == meeting.request_id) else {
                continue;
            };
            let people = self
                .app
                .store
                .registrations(event.id, &RegistrationFilter::default())
                .await?;
            let Some(person) = people
                .iter()
                .find(|p| p.participant_id == request.participant_id)
            else {
                continue;
            };
            let host = self
                .app
                .store
                .department(request.department_id)
                .await?
                .map(|d| d.name.get(person.language).to_string())
                .unwrap_or_default();
            let mut message = meeting_email(
                &event,
                &booking,
                request,
                Some(&meeting),
                person,
                &host,
                &self.app.config.base_url,
            );
            let arg = |v: &str| ArgValue::Text(v.to_string());
            message.subject = t_with(
                person.language,
                "email-subject-meeting-reminder",
                &[
                    ("host", arg(&host)),
                    ("event", arg(event.title.get(person.language))),
                ],
            );
            self.app
                .store
                .enqueue_email(
                    Some(event.agency_id),
                    &message,
                    self.app.sender.initial_status(),
                )
                .await?;
            written += 1;
        }
        if written > 0 {
            self.app.sender.wake();
        }
        Ok(written)
    }

    /// Sends reminders every five minutes until the process ends.
    pub async fn run_reminders(&self) {
        loop {
            if let Err(err) = self.send_reminders(Utc::now()).await {
                tracing::error!(error = %err, "meeting reminders failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
    }

    /// Whether the event has meeting booking (for links to it).
    pub async fn has_booking(&self, event: EventId) -> AppResult<bool> {
        Ok(self.app.store.booking(event).await?.is_some())
    }

    pub async fn for_organiser(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<OrganiserBooking> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let booking = self.app.store.booking(event.id).await?;
        let departments = self.app.store.departments(event.agency_id).await?;
        let requests = self.app.store.meeting_requests(event.id).await?;
        let registrations = self
            .app
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?
            .into_iter()
            .map(|r| (r.participant_id, r))
            .collect();
        let mut availability: HashMap<ParticipantId, Vec<DateTime<Utc>>> = HashMap::new();
        for (p, t) in self.app.store.availability(event.id).await? {
            availability.entry(p).or_default().push(t);
        }
        let meetings = self.app.store.meetings(event.id).await?;
        Ok(OrganiserBooking {
            event,
            booking,
            departments,
            requests,
            registrations,
            availability,
            meetings,
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
        let (_, instance) = self.instance(&event, full).await?;
        let copy = instance.clone();
        let scheduled = tokio::task::spawn_blocking(move || solve(&copy, limit_ms))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))?
            .map_err(|_| AppError::invalid("meetings", "schedule_broken"))?;
        Ok(Proposal {
            scheduled,
            instance,
        })
    }

    /// Confirms `placed` (by the instance's ids) as the event's meetings, after the
    /// independent checker has passed it against the event as it stands now. Each
    /// participant whose meeting is new, moved or cancelled is told by email, in their
    /// language, with the invitation attached.
    pub async fn confirm(
        &self,
        principal: &Principal,
        slug: &str,
        placed: &[Placement],
    ) -> AppResult<Vec<Meeting>> {
        self.confirm_and_tell(principal, slug, placed, true).await
    }

    /// [`Self::confirm`], telling participants or not (the demo's sample companies are not
    /// written to).
    pub async fn confirm_and_tell(
        &self,
        principal: &Principal,
        slug: &str,
        placed: &[Placement],
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
        check(&instance, placed).map_err(|_| AppError::invalid("meetings", "schedule_broken"))?;
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
        let after = self.app.store.confirm_meetings(event.id, &rows).await?;
        if tell {
            self.tell(&event, &requests, &before, &after).await?;
        }
        Ok(after)
    }

    /// Emails each participant whose meeting appeared, moved or went away.
    async fn tell(
        &self,
        event: &Event,
        requests: &[MeetingRequest],
        before: &[Meeting],
        after: &[Meeting],
    ) -> AppResult<()> {
        let booking = self
            .app
            .store
            .booking(event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let departments = self.app.store.departments(event.agency_id).await?;
        let people: HashMap<ParticipantId, Registration> = self
            .app
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?
            .into_iter()
            .map(|r| (r.participant_id, r))
            .collect();
        let status = self.app.sender.initial_status();
        let mut sent = false;
        for r in requests {
            let old = before.iter().find(|m| m.request_id == r.id);
            let new = after.iter().find(|m| m.request_id == r.id);
            let changed = match (old, new) {
                (None, None) => false,
                (Some(o), Some(n)) => o.starts_at != n.starts_at || o.id != n.id,
                _ => true,
            };
            let Some(person) = people.get(&r.participant_id) else {
                continue;
            };
            if !changed {
                continue;
            }
            let lang = person.language;
            let host = departments
                .iter()
                .find(|d| d.id == r.department_id)
                .map(|d| d.name.get(lang).to_string())
                .unwrap_or_default();
            let message = meeting_email(
                event,
                &booking,
                r,
                new,
                person,
                &host,
                &self.app.config.base_url,
            );
            self.app
                .store
                .enqueue_email(Some(event.agency_id), &message, status)
                .await?;
            sent = true;
        }
        if sent {
            self.app.sender.wake();
        }
        Ok(())
    }

    fn participant<'p>(
        principal: &'p Principal,
        event: &Event,
    ) -> AppResult<&'p ParticipantAccess> {
        match principal {
            Principal::Participant(p) if p.event_id == event.id => Ok(p),
            Principal::Participant(_) => Err(AppError::NotFound),
            Principal::Staff(_) => Err(AppError::Forbidden),
            Principal::Anonymous => Err(AppError::Unauthenticated),
        }
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
        Ok(self
            .app
            .store
            .save_meeting_request(event.id, me, &draft)
            .await?)
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
