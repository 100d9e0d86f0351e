//! What companies and hosts ask of each other on a booking: requests with a priority and
//! a topic, the hosts' answers and invitations, the confirmed meetings and their outcomes.

use super::booking::{Booking, Priority, TOPIC_MAX};
use crate::ids::{DepartmentId, EventId, MeetingId, MeetingRequestId, ParticipantId};
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingRequest {
    pub id: MeetingRequestId,
    pub event_id: EventId,
    pub participant_id: ParticipantId,
    pub department_id: DepartmentId,
    pub priority: Priority,
    pub topic: String,
    /// Whether the host asked for this meeting too.
    pub from_host: bool,
    /// The host's answer, once given.
    pub host_answer: Option<HostAnswer>,
    pub created_at: DateTime<Utc>,
}

impl MeetingRequest {
    /// The scheduler's weight: the company's priority, and more when the host wants the
    /// meeting too.
    pub fn weight(&self) -> i64 {
        self.priority.weight() + if self.from_host { 2 } else { 0 }
    }

    /// Whether the scheduler may place it: not declined by its host.
    pub fn schedulable(&self) -> bool {
        !matches!(
            self.host_answer,
            Some(HostAnswer {
                accepted: false,
                ..
            })
        )
    }
}

/// A host's answer to a request: accepted, or declined with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostAnswer {
    pub accepted: bool,
    pub reason: String,
}

/// Longest reason and meeting notes.
pub const REASON_MAX: usize = 500;
pub const NOTES_MAX: usize = 4_000;

/// What a host sends to answer a request.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AnswerInput {
    #[serde(default)]
    pub accept: bool,
    #[serde(default)]
    pub reason: String,
}

impl AnswerInput {
    /// A decline needs its reason: the company is told why.
    pub fn parse(&self) -> Result<HostAnswer, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["reason"]);
        let reason = if self.accept {
            check
                .optional("reason", Some(self.reason.as_str()), REASON_MAX)
                .unwrap_or_default()
        } else {
            check.required("reason", Some(self.reason.as_str()), REASON_MAX)
        };
        check.finish(HostAnswer {
            accepted: self.accept,
            reason,
        })
    }
}

/// What the host recorded after a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingOutcome {
    pub held: bool,
    pub notes: String,
    pub follow_up: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OutcomeInput {
    /// `held` or `no_show`.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub follow_up: bool,
}

impl OutcomeInput {
    /// The outcome of a meeting that has begun (`now` is at or after `starts_at`).
    pub fn parse(
        &self,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<MeetingOutcome, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["notes"]);
        let held = match self.outcome.as_str() {
            "held" => Some(true),
            "no_show" => Some(false),
            _ => None,
        };
        if held.is_none() {
            check.push("outcome", "unknown_choice");
        }
        if now < starts_at {
            check.push("outcome", "meeting_not_begun");
        }
        let notes = check
            .optional("notes", Some(self.notes.as_str()), NOTES_MAX)
            .unwrap_or_default();
        check.finish(MeetingOutcome {
            held: held.unwrap_or(false),
            notes,
            follow_up: self.follow_up,
        })
    }
}

/// What a host sends to ask a registered company for a meeting.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct InvitationInput {
    #[serde(default)]
    pub department_id: i64,
    #[serde(default)]
    pub participant_id: i64,
    #[serde(default)]
    pub topic: String,
}

impl InvitationInput {
    /// `hosts` are the departments the caller may invite for; `participants` those
    /// registered for the event.
    pub fn parse(
        &self,
        hosts: &[DepartmentId],
        participants: &[ParticipantId],
    ) -> Result<(ParticipantId, RequestDraft), Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["topic"]);
        if !hosts.contains(&DepartmentId(self.department_id)) {
            check.push("department_id", "unknown_department");
        }
        if !participants.contains(&ParticipantId(self.participant_id)) {
            check.push("participant_id", "unknown_choice");
        }
        let topic = check.required("topic", Some(self.topic.as_str()), TOPIC_MAX);
        check.finish((
            ParticipantId(self.participant_id),
            RequestDraft {
                department_id: DepartmentId(self.department_id),
                priority: Priority::Want,
                topic,
            },
        ))
    }
}

/// What a participant sends to ask for a meeting.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RequestInput {
    #[serde(default)]
    pub department_id: i64,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestDraft {
    pub department_id: DepartmentId,
    pub priority: Priority,
    pub topic: String,
}

impl RequestInput {
    pub fn parse(&self, booking: &Booking) -> Result<RequestDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["topic"]);
        let department_id = DepartmentId(self.department_id);
        if booking.capacity(department_id).is_none() {
            check.push("department_id", "unknown_department");
        }
        let priority = Priority::parse(self.priority.trim());
        if priority.is_none() {
            check.push("priority", "unknown_choice");
        }
        let topic = check.required("topic", Some(self.topic.as_str()), TOPIC_MAX);
        check.finish(RequestDraft {
            department_id,
            priority: priority.unwrap_or(Priority::Nice),
            topic,
        })
    }
}

/// The confirmed meetings a new grid cancels: those whose request has no place in it (a
/// meeting moved to another slot is changed, not cancelled). Confirming such a grid emails
/// everyone concerned, so the organiser agrees to the count first.
pub fn cancelled_by(before: &[Meeting], placed: &[MeetingRequestId]) -> Vec<MeetingId> {
    before
        .iter()
        .filter(|m| !placed.contains(&m.request_id))
        .map(|m| m.id)
        .collect()
}

/// A confirmed meeting: a request placed in a slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub event_id: EventId,
    pub request_id: MeetingRequestId,
    pub starts_at: DateTime<Utc>,
    pub outcome: Option<MeetingOutcome>,
}
