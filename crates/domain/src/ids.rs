//! Typed ids, so that an event id cannot be passed where a session id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// An agency: the tenant that runs events.
    AgencyId,
    /// A department (bureau, district, park administration, office).
    DepartmentId,
    /// An event (one online promotion).
    EventId,
    /// An agenda item of an event.
    SessionId,
    /// A speaker of a session.
    SpeakerId,
    /// A material attached to a session.
    MaterialId,
    /// An industrial park.
    ParkId,
    /// A preferential or support policy.
    PolicyId,
    /// A success story.
    StoryId,
    /// A company or institution.
    CompanyId,
    /// A person from a company.
    ParticipantId,
    /// A participant's sign-up to an event.
    RegistrationId,
    /// A staff account (organiser, moderator, official).
    AccountId,
    /// An email kept in the outbox.
    EmailId,
    /// A question of the live exchange.
    QuestionId,
    /// An answer to a question.
    AnswerId,
    /// A poll of an event.
    PollId,
    /// A company's request for a 1:1 meeting with a host.
    MeetingRequestId,
    /// A confirmed 1:1 meeting.
    MeetingId,
    /// A company followed up by investment officers.
    LeadId,
    /// A task on a lead.
    TaskId,
    /// An address an agency's systems are told of changes at (a webhook endpoint).
    WebhookId,
    /// One message to one webhook endpoint.
    DeliveryId,
);
