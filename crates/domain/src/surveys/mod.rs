//! The intent survey: after an event, each participant says how far their company is
//! from investing in Beijing. The questions are fixed (the leads pipeline reads their
//! answers); their wording is the organiser's, in four languages, falling back to the
//! catalogue's. Answers can be changed until the deadline; each keeps the survey version
//! it was given on.

mod choices;

pub use choices::*;

use crate::ids::*;
use crate::localized::Localized;
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The survey's questions, in the order they are asked. Their default wording is the
/// catalogue's `survey-q-<key>`.
pub const QUESTIONS: &[&str] = &[
    "interest",
    "interest_before",
    "sectors",
    "districts",
    "parks",
    "project_type",
    "investment",
    "timeline",
    "next_steps",
    "policies",
    "comment",
    "consent",
];

/// The longest wording of a question or the introduction.
pub const MAX_WORDING: usize = 500;
/// The longest free text of an answer.
pub const MAX_COMMENT: usize = 2_000;
/// At most this many days between invitation and reminder.
pub const MAX_REMINDER_DAYS: u32 = 60;

/// An event's survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Survey {
    pub event_id: EventId,
    /// Raised by every edit; answers keep the version they were given on.
    pub version: i64,
    pub intro: Localized,
    /// The organiser's wording by question key; a missing language falls back.
    pub questions: BTreeMap<String, Localized>,
    /// When invitations go out; `None`: when the event ends.
    pub send_at: Option<DateTime<Utc>>,
    /// Answers can be given and changed until then.
    pub deadline: DateTime<Utc>,
    /// Days after the invitation for the one reminder to those who have not answered.
    pub reminder_days: u32,
    /// When the invitations went out.
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Survey {
    /// When the invitations go out for an event ending at `event_end`.
    pub fn sends_at(&self, event_end: DateTime<Utc>) -> DateTime<Utc> {
        self.send_at.unwrap_or(event_end)
    }

    /// Whether answers are taken at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        now < self.deadline
    }
}

/// The survey as the organiser submits it (API JSON or form). Times are local to the
/// event's zone or RFC 3339.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    #[serde(default)]
    pub intro: Localized,
    #[serde(default)]
    pub questions: BTreeMap<String, Localized>,
    #[serde(default)]
    pub send_at: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub reminder_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveyDraft {
    pub intro: Localized,
    pub questions: BTreeMap<String, Localized>,
    pub send_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub reminder_days: u32,
}

impl SurveyInput {
    /// Checks every field; the deadline must come after the sending time (or the event's
    /// end, `event_end`).
    pub fn parse(&self, zone: Tz, event_end: DateTime<Utc>) -> Result<SurveyDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["intro", "questions"]);
        if self.intro.max_chars() > MAX_WORDING {
            check.push_limit("intro", "too_long", MAX_WORDING);
        }
        let mut questions = BTreeMap::new();
        for (key, wording) in &self.questions {
            if !QUESTIONS.contains(&key.as_str()) {
                check.push(format!("questions.{key}"), "unknown_choice");
            } else if wording.max_chars() > MAX_WORDING {
                check.push_limit(format!("questions.{key}"), "too_long", MAX_WORDING);
            } else if !wording.is_empty() {
                let clean = Localized(
                    wording
                        .0
                        .iter()
                        .filter(|(_, t)| !t.trim().is_empty())
                        .map(|(l, t)| (*l, t.trim().to_string()))
                        .collect(),
                );
                questions.insert(key.clone(), clean);
            }
        }
        let send_at = time_field(&mut check, "send_at", self.send_at.as_deref(), zone);
        let deadline = match time_field(&mut check, "deadline", self.deadline.as_deref(), zone) {
            Some(d) => d,
            None => {
                if self.deadline.as_deref().unwrap_or("").trim().is_empty() {
                    check.push("deadline", "required");
                }
                event_end
            }
        };
        if deadline <= send_at.unwrap_or(event_end) {
            check.push("deadline", "deadline_before_send");
        }
        let reminder_days = self.reminder_days.unwrap_or(7);
        if reminder_days == 0 || reminder_days > MAX_REMINDER_DAYS {
            check.push_range("reminder_days", 1, i64::from(MAX_REMINDER_DAYS));
        }
        check.finish(SurveyDraft {
            intro: Localized::from_pairs(self.intro.0.iter().map(|(l, t)| (*l, t.as_str()))),
            questions,
            send_at,
            deadline,
            reminder_days,
        })
    }
}

fn time_field(
    check: &mut Checker,
    field: &str,
    value: Option<&str>,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    let text = value.unwrap_or("").trim();
    if text.is_empty() {
        return None;
    }
    match crate::time::parse_local_or_rfc3339(text, zone) {
        Some(t) if crate::time::in_supported_range(t) => Some(t),
        _ => {
            check.push(field, "invalid_datetime");
            None
        }
    }
}

/// One participant's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyResponse {
    pub event_id: EventId,
    pub registration_id: RegistrationId,
    pub participant_id: ParticipantId,
    pub company_id: CompanyId,
    pub survey_version: i64,
    #[serde(flatten)]
    pub answers: ResponseDraft,
    pub answered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Answers as submitted; lists may be given as repeated form fields or JSON arrays.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    #[serde(default)]
    pub interest: Option<String>,
    /// Where the company stood before the event, on the same scale (optional): the
    /// report's "intent grew" compares the two.
    #[serde(default)]
    pub interest_before: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub districts: Vec<String>,
    #[serde(default)]
    pub parks: Vec<i64>,
    #[serde(default)]
    pub project_type: Option<String>,
    #[serde(default)]
    pub investment: Option<String>,
    #[serde(default)]
    pub timeline: Option<String>,
    #[serde(default)]
    pub next_steps: Vec<String>,
    #[serde(default)]
    pub policies: Vec<i64>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub consent: Option<bool>,
}

/// Checked answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseDraft {
    pub interest: Interest,
    #[serde(default)]
    pub interest_before: Option<Interest>,
    pub sectors: Vec<String>,
    pub districts: Vec<String>,
    pub parks: Vec<ParkId>,
    pub project_type: Option<ProjectType>,
    pub investment: Option<InvestmentBand>,
    pub timeline: Option<Horizon>,
    pub next_steps: Vec<NextStep>,
    pub policies: Vec<PolicyId>,
    pub comment: Option<String>,
    /// Whether the company agrees to be contacted by the agency's investment officers.
    pub consent: bool,
}

impl ResponseInput {
    /// Checks the answers against the closed lists and the agency's parks and policies.
    pub fn parse(&self, parks: &[ParkId], policies: &[PolicyId]) -> Result<ResponseDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["comment"]);
        let interest = match self.interest.as_deref().map(str::trim) {
            None | Some("") => {
                check.push("interest", "required");
                Interest::NotNow
            }
            Some(code) => Interest::parse(code).unwrap_or_else(|| {
                check.push("interest", "unknown_choice");
                Interest::NotNow
            }),
        };
        let interest_before = one_of(
            &mut check,
            "interest_before",
            &self.interest_before,
            Interest::parse,
        );
        let sectors = closed_list(&mut check, "sectors", &self.sectors, |c| {
            crate::reference::is_industry(c)
        });
        let districts = closed_list(&mut check, "districts", &self.districts, is_district);
        let mut park_ids = Vec::new();
        for (i, p) in self.parks.iter().enumerate() {
            if parks.contains(&ParkId(*p)) {
                if !park_ids.contains(&ParkId(*p)) {
                    park_ids.push(ParkId(*p));
                }
            } else {
                check.push(format!("parks.{i}"), "unknown_choice");
            }
        }
        let mut policy_ids = Vec::new();
        for (i, p) in self.policies.iter().enumerate() {
            if policies.contains(&PolicyId(*p)) {
                if !policy_ids.contains(&PolicyId(*p)) {
                    policy_ids.push(PolicyId(*p));
                }
            } else {
                check.push(format!("policies.{i}"), "unknown_choice");
            }
        }
        let project_type = one_of(
            &mut check,
            "project_type",
            &self.project_type,
            ProjectType::parse,
        );
        let investment = one_of(
            &mut check,
            "investment",
            &self.investment,
            InvestmentBand::parse,
        );
        let timeline = one_of(&mut check, "timeline", &self.timeline, Horizon::parse);
        let mut next_steps = Vec::new();
        for (i, code) in self.next_steps.iter().enumerate() {
            match NextStep::parse(code.trim()) {
                Some(s) if !next_steps.contains(&s) => next_steps.push(s),
                Some(_) => {}
                None => check.push(format!("next_steps.{i}"), "unknown_choice"),
            }
        }
        let comment = check.optional("comment", self.comment.as_deref(), MAX_COMMENT);
        check.finish(ResponseDraft {
            interest,
            interest_before,
            sectors,
            districts,
            parks: park_ids,
            project_type,
            investment,
            timeline,
            next_steps,
            policies: policy_ids,
            comment,
            consent: self.consent.unwrap_or(false),
        })
    }
}

fn closed_list(
    check: &mut Checker,
    field: &str,
    values: &[String],
    known: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if !known(v) {
            check.push(format!("{field}.{i}"), "unknown_choice");
        } else if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

fn one_of<T>(
    check: &mut Checker,
    field: &str,
    value: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let code = value.as_deref().map(str::trim).filter(|c| !c.is_empty())?;
    let parsed = parse(code);
    if parsed.is_none() {
        check.push(field, "unknown_choice");
    }
    parsed
}

/// One participant's survey email with the hash of the link's token it carries.
#[derive(Debug, Clone)]
pub struct SurveyInvitation {
    pub registration_id: RegistrationId,
    pub token_hash: String,
    pub email: crate::outbox::EmailMessage,
}

/// A participant invited to a survey who has not answered, due for the reminder.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReminder {
    pub event_id: EventId,
    pub registration_id: RegistrationId,
}

/// Where surveys, their answers, invitations and survey links are kept. Links are kept
/// only as hashes.
#[async_trait]
pub trait SurveyStore: Send + Sync {
    async fn survey(&self, event: EventId) -> StoreResult<Option<Survey>>;
    /// Creates or replaces the survey's wording and times, raising its version.
    async fn save_survey(&self, event: EventId, draft: &SurveyDraft) -> StoreResult<Survey>;
    /// Surveys whose invitations are due at `now` and not yet sent.
    async fn surveys_to_send(&self, now: DateTime<Utc>) -> StoreResult<Vec<EventId>>;
    /// Marks the survey sent and writes one link and one email per invitation, in one
    /// transaction: false (and nothing written) when it was already sent.
    async fn send_survey(
        &self,
        event: EventId,
        at: DateTime<Utc>,
        invitations: &[SurveyInvitation],
        status: crate::outbox::EmailStatus,
    ) -> StoreResult<bool>;
    /// Invited participants who have not answered and whose invitation went out before
    /// `before`, without a reminder yet.
    async fn survey_reminders_due(&self, before: DateTime<Utc>) -> StoreResult<Vec<DueReminder>>;
    /// Claims one reminder and writes its link and email: true for exactly one caller.
    async fn remind_survey(
        &self,
        due: &DueReminder,
        at: DateTime<Utc>,
        invitation: &SurveyInvitation,
        status: crate::outbox::EmailStatus,
    ) -> StoreResult<bool>;
    /// The event and registration a survey link was made for.
    async fn survey_link(&self, token_hash: &str)
    -> StoreResult<Option<(EventId, RegistrationId)>>;
    async fn survey_response(
        &self,
        event: EventId,
        registration: RegistrationId,
    ) -> StoreResult<Option<SurveyResponse>>;
    /// The event's answers in the order of their registrations: at most `limit`, after
    /// the registration `after`.
    async fn survey_responses(
        &self,
        event: EventId,
        after: Option<RegistrationId>,
        limit: usize,
    ) -> StoreResult<Vec<SurveyResponse>>;
    /// How many answered with each interest (every interest, zero included).
    async fn survey_interest_counts(&self, event: EventId) -> StoreResult<Vec<(Interest, usize)>>;
    /// Saves (or replaces) a participant's answers; the first time sets `answered_at`.
    async fn save_survey_response(
        &self,
        event: EventId,
        registration: RegistrationId,
        version: i64,
        answers: &ResponseDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<SurveyResponse>;
    /// The latest answers of any participant of `company`, newest first.
    async fn company_responses(&self, company: CompanyId) -> StoreResult<Vec<SurveyResponse>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ResponseInput {
        ResponseInput {
            interest: Some("planning".into()),
            sectors: vec!["automotive".into()],
            districts: vec!["shunyi".into(), "shunyi".into()],
            parks: vec![1],
            next_steps: vec!["site_visit".into()],
            consent: Some(true),
            ..Default::default()
        }
    }

    #[test]
    fn answers_are_checked_against_the_lists() {
        let draft = input().parse(&[ParkId(1)], &[]).unwrap();
        assert_eq!(draft.interest, Interest::Planning);
        assert_eq!(draft.interest_before, None);
        let mut before = input();
        before.interest_before = Some("watching".into());
        assert_eq!(
            before.parse(&[ParkId(1)], &[]).unwrap().interest_before,
            Some(Interest::Watching)
        );
        before.interest_before = Some("soon".into());
        let e = before.parse(&[ParkId(1)], &[]).unwrap_err();
        assert_eq!(e.0[0].field, "interest_before");
        assert_eq!(draft.districts, vec!["shunyi"]);
        let mut bad = input();
        bad.interest = Some("maybe".into());
        bad.parks = vec![9];
        bad.sectors = vec!["mining".into()];
        let err = bad.parse(&[ParkId(1)], &[]).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["interest", "sectors.0", "parks.0"]);
    }

    #[test]
    fn a_missing_interest_is_required() {
        let mut i = input();
        i.interest = None;
        assert_eq!(
            i.parse(&[ParkId(1)], &[]).unwrap_err().0[0].code,
            "required"
        );
    }

    #[test]
    fn considering_or_more_makes_a_lead() {
        assert!(!Interest::Watching.makes_lead());
        assert!(Interest::Considering.makes_lead());
        assert!(Interest::Committed.makes_lead());
        for i in Interest::ALL {
            assert_eq!(Interest::from_level(i.level()), Some(*i));
        }
    }

    #[test]
    fn bands_show_cny_and_eur() {
        assert_eq!(
            InvestmentBand::From10M.label_amounts().unwrap(),
            "CNY 10–50 m (≈ EUR 1.3–6.4 m)"
        );
        assert_eq!(InvestmentBand::Undecided.label_amounts(), None);
        assert_eq!(InvestmentBand::From50M.estimate_cny(), Some(125_000_000));
    }

    #[test]
    fn the_deadline_must_follow_the_sending() {
        let end = Utc::now();
        let err = SurveyInput {
            deadline: Some("2000-01-02T10:00".into()),
            ..Default::default()
        }
        .parse(crate::time::BEIJING, end)
        .unwrap_err();
        assert_eq!(err.0[0].code, "deadline_before_send");
        let err = SurveyInput {
            questions: [("colour".to_string(), Localized::default())].into(),
            ..Default::default()
        }
        .parse(crate::time::BEIJING, end)
        .unwrap_err();
        assert_eq!(err.0[0].field, "questions.colour");
    }
}
