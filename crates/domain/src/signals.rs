//! Signals: what a company's people did around an event (registered, attended, asked,
//! got answers, voted, asked for and held meetings, answered the survey). Each is kept
//! once, with its time, per participant and the thing it is about; the lead's score and
//! timeline are read from them.

use crate::ids::*;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a participant did. The code is stable (API, database, catalogue `signal-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    Registered,
    /// Followed the live exchange while the event ran; `amount` holds the seconds.
    Attended,
    /// Watched the stream (measured by the player); `amount` holds the seconds.
    Watched,
    Asked,
    /// A question of theirs was answered.
    Answered,
    Voted,
    MeetingRequested,
    MeetingHeld,
    /// A host marked a held meeting "follow-up wanted".
    FollowUpWanted,
    /// Answered the intent survey; `amount` holds the interest level (0–4).
    SurveyAnswered,
    /// Opened a policy's page in the directory (`ref_id`: the policy).
    PolicyViewed,
    /// Opened a park's page in the directory (`ref_id`: the park).
    ParkViewed,
    /// Ran the eligibility check; one signal per event, `amount` counts the runs.
    EligibilityChecked,
    /// The profile they checked came out eligible for a policy (`ref_id`: the policy).
    Eligible,
}

impl SignalKind {
    pub const ALL: &'static [SignalKind] = &[
        SignalKind::Registered,
        SignalKind::Attended,
        SignalKind::Watched,
        SignalKind::Asked,
        SignalKind::Answered,
        SignalKind::Voted,
        SignalKind::MeetingRequested,
        SignalKind::MeetingHeld,
        SignalKind::FollowUpWanted,
        SignalKind::SurveyAnswered,
        SignalKind::PolicyViewed,
        SignalKind::ParkViewed,
        SignalKind::EligibilityChecked,
        SignalKind::Eligible,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SignalKind::Registered => "registered",
            SignalKind::Attended => "attended",
            SignalKind::Watched => "watched",
            SignalKind::Asked => "asked",
            SignalKind::Answered => "answered",
            SignalKind::Voted => "voted",
            SignalKind::MeetingRequested => "meeting_requested",
            SignalKind::MeetingHeld => "meeting_held",
            SignalKind::FollowUpWanted => "follow_up_wanted",
            SignalKind::SurveyAnswered => "survey_answered",
            SignalKind::PolicyViewed => "policy_viewed",
            SignalKind::ParkViewed => "park_viewed",
            SignalKind::EligibilityChecked => "eligibility_checked",
            SignalKind::Eligible => "eligible",
        }
    }

    pub fn parse(code: &str) -> Option<SignalKind> {
        SignalKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// A recorded signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub id: i64,
    pub company_id: CompanyId,
    pub participant_id: ParticipantId,
    /// Who did it, for the timeline.
    pub participant_name: String,
    pub event_id: EventId,
    pub kind: SignalKind,
    /// What it is about (question, poll, meeting request, registration…); with the kind
    /// and the participant it makes the signal unique.
    pub ref_id: i64,
    /// Seconds attended, or the survey's interest level; 0 otherwise.
    pub amount: i64,
    pub at: DateTime<Utc>,
}

/// A signal to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignal {
    pub participant_id: ParticipantId,
    pub event_id: EventId,
    pub kind: SignalKind,
    pub ref_id: i64,
    pub amount: i64,
    pub at: DateTime<Utc>,
}

/// Attendance is counted from when a live stream opened, for at most the event's running
/// time: a stream left open after the end does not count.
pub fn attended_seconds(
    opened: DateTime<Utc>,
    closed: DateTime<Utc>,
    event_start: DateTime<Utc>,
    event_end: DateTime<Utc>,
) -> i64 {
    let from = opened.max(event_start);
    let to = closed.min(event_end);
    (to - from).num_seconds().max(0)
}

/// Where signals are kept.
#[async_trait]
pub trait SignalStore: Send + Sync {
    /// Records a signal once: false when the same participant, kind and subject was
    /// recorded before (the first time is kept), or the participant is unknown. Survey
    /// answers update their level instead, so the latest intent counts; eligibility
    /// checks add their `amount`, so that the runs are counted.
    async fn record_signal(&self, signal: &NewSignal) -> StoreResult<Option<CompanyId>>;
    /// Records many in one transaction, each as [`SignalStore::record_signal`] would:
    /// per signal, its company when it was written.
    async fn record_signals(&self, signals: &[NewSignal]) -> StoreResult<Vec<Option<CompanyId>>>;
    /// Adds `seconds` to a participant's attendance (`Attended`) or viewing (`Watched`)
    /// of an event: one such signal per event, its seconds adding up.
    async fn add_seconds(
        &self,
        kind: SignalKind,
        participant: ParticipantId,
        event: EventId,
        seconds: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<CompanyId>>;
    /// A company's signals, oldest first.
    async fn company_signals(&self, company: CompanyId) -> StoreResult<Vec<Signal>>;
    /// The tallies of several companies' signals, summed where they are kept (what their
    /// scores are made of, [`crate::leads::score::Tally`]); a company without signals
    /// is left out.
    async fn score_tallies(
        &self,
        companies: &[CompanyId],
    ) -> StoreResult<Vec<(CompanyId, crate::leads::score::Tally)>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn attendance_counts_only_the_running_event() {
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap();
        assert_eq!(
            attended_seconds(at(9, 50), at(10, 30), at(10, 0), at(12, 0)),
            1800
        );
        assert_eq!(
            attended_seconds(at(11, 30), at(13, 0), at(10, 0), at(12, 0)),
            1800
        );
        assert_eq!(
            attended_seconds(at(13, 0), at(14, 0), at(10, 0), at(12, 0)),
            0
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in SignalKind::ALL {
            assert_eq!(SignalKind::parse(k.code()), Some(*k));
        }
    }
}
