//! What meeting booking writes to participants: the email when a meeting is new, moved or
//! cancelled, the reminder the day before, and each meeting as a calendar invitation.

use super::Meetings;
use crate::links;
use crate::{AppError, AppResult};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::events::Event;
use roadshow_domain::events::calendar::{Calendar, CalendarEntry};
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use roadshow_domain::outbox::{Attachment, EmailMessage};
use roadshow_domain::registrations::Registration;
use roadshow_domain::time::{BEIJING, default_zone, format_datetime, utc_offset_label};
use roadshow_i18n::{ArgValue, t, t_with};
use std::collections::HashMap;

/// What the emails of one event need, read once.
struct EventData {
    event: Event,
    booking: Booking,
    requests: Vec<MeetingRequest>,
    people: HashMap<ParticipantId, Registration>,
    departments: Vec<roadshow_domain::departments::Department>,
}

/// One meeting as a calendar of one entry, in the event's zone.
pub(super) fn meeting_calendar(
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
            url: Some(links::event_meetings(base, &event.slug)),
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
    body.push_str(&format!(
        "\n\n{}\n",
        links::event_meetings(base, &event.slug)
    ));
    EmailMessage {
        to: person.email.clone(),
        subject,
        body_text: body,
        attachments,
    }
}

impl Meetings<'_> {
    /// Emails each participant whose meeting appeared, moved or went away.
    pub(super) async fn tell(
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
        let people = self.people(event.id).await?;
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
    /// Sends the day-before reminder of every meeting starting within the next 24 hours
    /// whose reminder has not gone out, once per meeting even with several processes.
    /// Each event's booking, requests, people and hosts are read once per sweep. Returns
    /// how many were written.
    pub async fn send_reminders(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let due = self
            .app
            .store
            .meetings_to_remind(now, now + chrono::Duration::hours(24))
            .await?;
        let mut events: HashMap<EventId, Option<EventData>> = HashMap::new();
        let mut written = 0;
        for meeting in due {
            if !self.app.store.claim_reminder(meeting.id, now).await? {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = events.entry(meeting.event_id)
            {
                slot.insert(self.event_data(meeting.event_id).await?);
            }
            let Some(Some(e)) = events.get(&meeting.event_id) else {
                continue;
            };
            let Some(request) = e.requests.iter().find(|r| r.id == meeting.request_id) else {
                continue;
            };
            let Some(person) = e.people.get(&request.participant_id) else {
                continue;
            };
            let lang = person.language;
            let host = e
                .departments
                .iter()
                .find(|d| d.id == request.department_id)
                .map(|d| d.name.get(lang).to_string())
                .unwrap_or_default();
            let mut message = meeting_email(
                &e.event,
                &e.booking,
                request,
                Some(&meeting),
                person,
                &host,
                &self.app.config.base_url,
            );
            let arg = |v: &str| ArgValue::Text(v.to_string());
            message.subject = t_with(
                lang,
                "email-subject-meeting-reminder",
                &[
                    ("host", arg(&host)),
                    ("event", arg(e.event.title.get(lang))),
                ],
            );
            self.app
                .store
                .enqueue_email(
                    Some(e.event.agency_id),
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

    async fn event_data(&self, id: EventId) -> AppResult<Option<EventData>> {
        let Some(event) = self.app.store.event(id).await? else {
            return Ok(None);
        };
        let Some(booking) = self.app.store.booking(id).await? else {
            return Ok(None);
        };
        Ok(Some(EventData {
            requests: self.app.store.meeting_requests(id).await?,
            people: self.people(id).await?,
            departments: self.app.store.departments(event.agency_id).await?,
            event,
            booking,
        }))
    }

    /// Sends reminders every five minutes until the process ends.
    pub async fn run_reminders(&self) {
        loop {
            if let Err(err) = self.send_reminders(Utc::now()).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "meeting reminders failed"
                );
            }
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
    }
}
