//! A lead's score: points for what the company said and did, each part named so the
//! officer sees why a lead ranks where it does.

use crate::signals::{Signal, SignalKind};
use crate::surveys::Interest;
use serde::Serialize;
use std::collections::HashSet;

/// One reason for points: a catalogue code (`score-<code>`), how many times it counted,
/// and the points it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScorePart {
    pub code: String,
    pub count: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: i64,
    pub parts: Vec<ScorePart>,
}

/// Points for each intent level: the company's own word weighs most.
pub fn intent_points(interest: Interest) -> i64 {
    match interest {
        Interest::NotNow => 0,
        Interest::Watching => 5,
        Interest::Considering => 20,
        Interest::Planning => 30,
        Interest::Committed => 40,
    }
}

/// Points per kind of signal, and the most that kind can give (so that one busy
/// participant does not outweigh a stated intent).
fn weight(kind: SignalKind) -> (i64, i64) {
    match kind {
        SignalKind::Registered => (2, 6),
        SignalKind::Attended => (5, 10),
        // Watching the picture (measured by the player) says more than an open page.
        SignalKind::Watched => (8, 16),
        SignalKind::Asked => (3, 9),
        SignalKind::Answered => (5, 20),
        SignalKind::Voted => (1, 3),
        SignalKind::MeetingRequested => (5, 10),
        SignalKind::MeetingHeld => (15, 30),
        SignalKind::FollowUpWanted => (20, 20),
        SignalKind::SurveyAnswered => (0, 0),
        // Reading about policies and parks, and finding oneself eligible, is interest
        // shown without asking anyone.
        SignalKind::PolicyViewed => (1, 5),
        SignalKind::ParkViewed => (1, 5),
        SignalKind::EligibilityChecked => (3, 3),
        SignalKind::Eligible => (2, 8),
    }
}

/// Seconds of following an event from which attendance counts.
pub const ATTENDED_FROM_SECONDS: i64 = 300;

/// What a score is made of, summed over a company's signals: how many of each kind, at
/// how many events someone followed (or watched) long enough, and the latest intent.
/// The store sums it where the signals are, so a score is brought up to date without
/// reading every signal of the company.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Signals of each kind, in the order of [`SignalKind::ALL`].
    pub counts: [i64; SignalKind::ALL.len()],
    /// For each kind, in the same order, the events where its signals add up to at least
    /// [`ATTENDED_FROM_SECONDS`]. Counted for every kind (as the store's query does, which
    /// must equal it); the score reads it only for `Attended` and `Watched`.
    pub long_events: [i64; SignalKind::ALL.len()],
    /// The level of the latest survey answer of any of the company's people.
    pub latest_intent: Option<i64>,
}

fn index(kind: SignalKind) -> usize {
    SignalKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Tally {
    /// The tally of these signals (what the store sums in one query).
    pub fn of(signals: &[Signal]) -> Tally {
        let mut tally = Tally::default();
        let mut long: HashSet<(SignalKind, crate::ids::EventId)> = HashSet::new();
        for s in signals {
            tally.counts[index(s.kind)] += 1;
            if s.amount >= ATTENDED_FROM_SECONDS {
                long.insert((s.kind, s.event_id));
            }
        }
        for (kind, _) in long {
            tally.long_events[index(kind)] += 1;
        }
        tally.latest_intent = signals
            .iter()
            .filter(|s| s.kind == SignalKind::SurveyAnswered)
            .max_by_key(|s| (s.at, s.id))
            .map(|s| s.amount);
        tally
    }

    /// Adds what the store found for one kind: its count and the events where it lasted.
    pub fn add(&mut self, kind: SignalKind, count: i64, long_events: i64) {
        self.counts[index(kind)] += count;
        self.long_events[index(kind)] += long_events;
    }

    pub fn count(&self, kind: SignalKind) -> i64 {
        self.counts[index(kind)]
    }
}

/// The score of a company from its signals. The intent is the latest survey answer of
/// any of its people; attendance counts once per event where someone followed for at
/// least five minutes.
pub fn score(signals: &[Signal]) -> Score {
    score_of(&Tally::of(signals))
}

/// The score of a company from the tally of its signals.
pub fn score_of(tally: &Tally) -> Score {
    let mut parts = Vec::new();
    if let Some(i) = tally.latest_intent.and_then(Interest::from_level) {
        let points = intent_points(i);
        if points > 0 {
            parts.push(ScorePart {
                code: format!("intent-{}", i.code()),
                count: 1,
                points,
            });
        }
    }
    for kind in SignalKind::ALL {
        let (each, most) = weight(*kind);
        if each == 0 {
            continue;
        }
        let count = match kind {
            SignalKind::Attended | SignalKind::Watched => tally.long_events[index(*kind)],
            SignalKind::FollowUpWanted => i64::from(tally.count(*kind) > 0),
            _ => tally.count(*kind),
        };
        if count > 0 {
            parts.push(ScorePart {
                code: kind.code().to_string(),
                count,
                points: (count * each).min(most),
            });
        }
    }
    Score {
        total: parts.iter().map(|p| p.points).sum(),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use chrono::{Duration, Utc};

    fn signal(kind: SignalKind, ref_id: i64, amount: i64, minutes: i64) -> Signal {
        Signal {
            id: ref_id,
            company_id: CompanyId(1),
            participant_id: ParticipantId(1),
            participant_name: "Erika".into(),
            event_id: EventId(1),
            kind,
            ref_id,
            amount,
            at: Utc::now() + Duration::minutes(minutes),
        }
    }

    #[test]
    fn the_score_explains_itself() {
        let s = score(&[
            signal(SignalKind::Registered, 1, 0, 0),
            signal(SignalKind::Answered, 2, 0, 1),
            signal(SignalKind::Answered, 3, 0, 2),
            signal(SignalKind::MeetingHeld, 4, 0, 3),
            signal(SignalKind::SurveyAnswered, 5, Interest::Planning.level(), 4),
        ]);
        let parts: Vec<_> = s
            .parts
            .iter()
            .map(|p| (p.code.as_str(), p.count, p.points))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("intent-planning", 1, 30),
                ("registered", 1, 2),
                ("answered", 2, 10),
                ("meeting_held", 1, 15)
            ]
        );
        assert_eq!(s.total, 57);
    }

    #[test]
    fn the_latest_intent_counts_and_caps_hold() {
        let mut signals = vec![
            signal(
                SignalKind::SurveyAnswered,
                1,
                Interest::Committed.level(),
                0,
            ),
            signal(SignalKind::SurveyAnswered, 2, Interest::Watching.level(), 5),
        ];
        signals.extend((10..30).map(|i| signal(SignalKind::Asked, i, 0, 1)));
        let s = score(&signals);
        assert_eq!(s.parts[0].code, "intent-watching");
        let asked = s.parts.iter().find(|p| p.code == "asked").unwrap();
        assert_eq!((asked.count, asked.points), (20, 9));
    }

    #[test]
    fn short_attendance_does_not_count() {
        let s = score(&[signal(SignalKind::Attended, 1, 120, 0)]);
        assert_eq!(s.total, 0);
        let s = score(&[signal(SignalKind::Attended, 1, 1800, 0)]);
        assert_eq!(s.total, 5);
    }
}
