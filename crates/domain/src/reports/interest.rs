//! Directory interest: which policies and parks the event's participants read, how
//! often they ran the eligibility check, and for which policies their profiles came out
//! eligible, counted in people from the signals the directory records.

use super::{Count, tally};
use crate::ids::ParticipantId;
use crate::signals::SignalKind;
use std::collections::BTreeSet;

/// One directory signal of one of the event's participants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestSignal {
    pub participant_id: ParticipantId,
    pub kind: SignalKind,
    /// The policy or park.
    pub ref_id: i64,
    /// For eligibility checks, how many the participant ran.
    pub amount: i64,
}

/// Directory interest of an event's participants; groups are keyed by the policy's or
/// park's id and count people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterestFigures {
    pub policies_viewed: Vec<Count>,
    pub parks_viewed: Vec<Count>,
    /// People who read at least one policy or park.
    pub readers: u64,
    /// Eligibility checks run, and by how many people.
    pub checks: u64,
    pub checkers: u64,
    /// People whose profile came out eligible, per policy.
    pub eligible: Vec<Count>,
}

pub(super) fn figures(signals: &[InterestSignal]) -> InterestFigures {
    let of = |kind: SignalKind| {
        tally(
            signals
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| s.ref_id.to_string()),
        )
    };
    let people = |kinds: &[SignalKind]| {
        signals
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| s.participant_id)
            .collect::<BTreeSet<_>>()
            .len() as u64
    };
    InterestFigures {
        policies_viewed: of(SignalKind::PolicyViewed),
        parks_viewed: of(SignalKind::ParkViewed),
        readers: people(&[SignalKind::PolicyViewed, SignalKind::ParkViewed]),
        checks: signals
            .iter()
            .filter(|s| s.kind == SignalKind::EligibilityChecked)
            .map(|s| s.amount.max(0) as u64)
            .sum(),
        checkers: people(&[SignalKind::EligibilityChecked]),
        eligible: of(SignalKind::Eligible),
    }
}
