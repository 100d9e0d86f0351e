//! The report emailed to chosen staff some days after the event ended, each in their own
//! language: which days may be chosen, what a schedule is, and when a sending is due.

use crate::accounts::{Account, Role};
use crate::ids::*;
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// The days after the event's end on which the report may be sent.
pub const SCHEDULE_DAYS: [i64; 3] = [1, 30, 90];

/// Most recipients of one event's report.
pub const MAX_RECIPIENTS: usize = 50;

/// One sending of an event's report: to whom, how many days after the end, and when it
/// went (`None`: not yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledReport {
    pub account_id: AccountId,
    pub days_after: i64,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A sending that is due, to be claimed before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReport {
    pub event_id: EventId,
    pub account_id: AccountId,
    pub days_after: i64,
}

/// When the report of an event that ended at `ends_at` is due `days` after.
pub fn due_at(ends_at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    ends_at + Duration::days(days)
}

/// Staff who may receive an event's report: those who may read it (organisers,
/// investment officers, officials, who get their own department's figures).
pub fn may_receive(account: &Account) -> bool {
    matches!(
        account.role,
        Role::Organiser | Role::InvestmentOfficer | Role::Official
    )
}

/// The schedule as the organiser chose it: the recipients (account ids) and the days.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleInput {
    #[serde(default)]
    pub recipients: Vec<i64>,
    #[serde(default)]
    pub days: Vec<i64>,
}

impl ScheduleInput {
    /// Every (recipient, day) pair, checked against the agency's `staff`: each recipient
    /// one of them who may read the report, each day one of [`SCHEDULE_DAYS`]; both
    /// empty clears the schedule, one without the other is an error.
    pub fn parse(&self, staff: &[Account]) -> Result<Vec<(AccountId, i64)>, Invalid> {
        let mut check = Checker::new();
        let mut recipients: Vec<AccountId> = Vec::new();
        for id in &self.recipients {
            match staff.iter().find(|a| a.id.0 == *id) {
                Some(a) if may_receive(a) => {
                    if !recipients.contains(&a.id) {
                        recipients.push(a.id);
                    }
                }
                _ => {
                    check.push("recipients", "unknown_choice");
                    break;
                }
            }
        }
        if recipients.len() > MAX_RECIPIENTS {
            check.push_limit("recipients", "too_many", MAX_RECIPIENTS);
        }
        let mut days: Vec<i64> = Vec::new();
        for d in &self.days {
            if !SCHEDULE_DAYS.contains(d) {
                check.push("days", "unknown_choice");
                break;
            }
            if !days.contains(d) {
                days.push(*d);
            }
        }
        if check.is_ok() {
            if !recipients.is_empty() && days.is_empty() {
                check.push("days", "required");
            }
            if recipients.is_empty() && !days.is_empty() {
                check.push("recipients", "required");
            }
        }
        days.sort_unstable();
        let pairs = recipients
            .iter()
            .flat_map(|r| days.iter().map(move |d| (*r, *d)))
            .collect();
        check.finish(pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn account(id: i64, role: Role) -> Account {
        Account {
            id: AccountId(id),
            agency_id: AgencyId(1),
            email: format!("s{id}@agency.example"),
            display_name: format!("Staff {id}"),
            role,
            department_id: None,
            language: Lang::Zh,
        }
    }

    fn staff() -> Vec<Account> {
        vec![
            account(1, Role::Organiser),
            account(2, Role::InvestmentOfficer),
            account(3, Role::Moderator),
        ]
    }

    fn fields(e: Invalid) -> Vec<(String, &'static str)> {
        e.0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn every_recipient_gets_every_chosen_day_once() {
        let input = ScheduleInput {
            recipients: vec![2, 1, 2],
            days: vec![90, 1, 90],
        };
        assert_eq!(
            input.parse(&staff()).unwrap(),
            vec![
                (AccountId(2), 1),
                (AccountId(2), 90),
                (AccountId(1), 1),
                (AccountId(1), 90)
            ]
        );
        assert!(ScheduleInput::default().parse(&staff()).unwrap().is_empty());
    }

    #[test]
    fn unknown_recipients_days_and_half_schedules_are_named() {
        // A moderator does not read reports; an account of no one; a day not offered.
        for recipients in [vec![3], vec![99]] {
            let e = ScheduleInput {
                recipients,
                days: vec![1],
            }
            .parse(&staff())
            .unwrap_err();
            assert_eq!(fields(e), [("recipients".to_string(), "unknown_choice")]);
        }
        let e = ScheduleInput {
            recipients: vec![1],
            days: vec![7],
        }
        .parse(&staff())
        .unwrap_err();
        assert_eq!(fields(e), [("days".to_string(), "unknown_choice")]);
        let e = ScheduleInput {
            recipients: vec![1],
            days: vec![],
        }
        .parse(&staff())
        .unwrap_err();
        assert_eq!(fields(e), [("days".to_string(), "required")]);
        let e = ScheduleInput {
            recipients: vec![],
            days: vec![30],
        }
        .parse(&staff())
        .unwrap_err();
        assert_eq!(fields(e), [("recipients".to_string(), "required")]);
    }

    #[test]
    fn a_sending_is_due_whole_days_after_the_end() {
        let end = DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(due_at(end, 30).to_rfc3339(), "2026-12-20T12:00:00+00:00");
    }
}
