//! The report: what an event achieved, computed from the rows the other capabilities keep
//! (registrations, viewing, questions and answers, polls, meetings, survey answers,
//! leads). Every figure has one rule, here, and `docs/REPORT.md` states it in words.

use crate::Lang;
use crate::broadcast::viewing::{self, Slot, Viewing};
use crate::ids::*;
use crate::leads::Lead;
use crate::meetings::{Meeting, MeetingRequest};
use crate::polls::Poll;
use crate::questions::QuestionState;
use crate::registrations::Registration;
use crate::store::StoreResult;
use crate::surveys::SurveyResponse;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

mod companies;
mod counts;
mod facts;
mod funnel;
mod interest;
mod leads;
mod polls;
mod schedule;
#[cfg(test)]
mod tests;

pub use companies::CompanyOutcome;
use counts::median;
pub use counts::{SMALL_GROUP, guarded, is_small, percent, tally};
pub use facts::QuestionFacts;
pub use funnel::{FUNNEL, Funnel, MILESTONES, Milestone, STEPS, Step, funnel};
pub use interest::{InterestFigures, InterestSignal};
pub use leads::{LeadFigures, LeadMove};
use polls::polls;
pub use polls::{PollFigures, PollSplit, PollVote};
pub use schedule::{
    DueReport, MAX_RECIPIENTS, SCHEDULE_DAYS, ScheduleInput, ScheduledReport, due_at, may_receive,
};

/// How many unanswered questions the report lists.
pub const TOP_UNANSWERED: usize = 10;

/// Where the attendance figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceSource {
    /// Players reported playing (heartbeats).
    Player,
    /// The live page was open while the event ran (no player data).
    Presence,
    /// Neither: nobody followed the event online.
    None,
}

impl AttendanceSource {
    pub fn code(self) -> &'static str {
        match self {
            AttendanceSource::Player => "player",
            AttendanceSource::Presence => "presence",
            AttendanceSource::None => "none",
        }
    }
}

/// Everything the report is made from, read for one event.
pub struct ReportInput<'a> {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The event's zone: registrations are counted by its calendar days.
    pub zone: Tz,
    /// Minutes of viewing that count as "attended".
    pub attended_minutes: i64,
    pub slots: &'a [Slot],
    /// The keys of the registration form's choice fields.
    pub choice_fields: &'a [String],
    pub registrations: &'a [Registration],
    pub viewings: &'a [Viewing],
    /// Seconds each participant followed the live page while the event ran.
    pub presence: &'a BTreeMap<ParticipantId, i64>,
    pub questions: &'a [QuestionFacts],
    /// When written answers were due.
    pub answers_due: DateTime<Utc>,
    pub polls: &'a [Poll],
    /// Every vote of the event's polls, for the splits by the voters' companies.
    pub votes: &'a [PollVote],
    pub requests: &'a [MeetingRequest],
    pub meetings: &'a [Meeting],
    pub responses: &'a [SurveyResponse],
    pub leads: &'a [Lead],
    /// The leads' recorded stage and realised-capital changes, which date their steps.
    pub lead_moves: &'a [LeadMove],
    /// The participants' directory signals (policies and parks read, eligibility).
    pub interest: &'a [InterestSignal],
    pub now: DateTime<Utc>,
}

/// A group and how many it holds, largest first (ties by key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

/// The figures that open the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headline {
    pub registered: u64,
    pub attended: u64,
    pub peak_concurrent: u64,
    pub countries: u64,
    pub companies: u64,
    pub questions: u64,
    pub answered: u64,
    pub meetings_held: u64,
    pub survey_answers: u64,
    pub leads: u64,
    pub signed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub count: u64,
    pub cumulative: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFigures {
    pub by_day: Vec<Day>,
    pub by_country: Vec<Count>,
    pub by_industry: Vec<Count>,
    pub by_size: Vec<Count>,
    /// Per choice field of the registration form (its key): the answers' counts.
    pub by_answer: BTreeMap<String, Vec<Count>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceFigures {
    pub source: AttendanceSource,
    pub attended: u64,
    /// `attended` in per cent of the registered, rounded.
    pub attended_percent: u64,
    pub attended_minutes: i64,
    pub viewers: u64,
    pub peak_concurrent: u64,
    pub minutes_live: i64,
    pub minutes_replay: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentQuestions {
    /// `None`: questions not (yet) routed to a department.
    pub department_id: Option<DepartmentId>,
    pub asked: u64,
    pub answered_live: u64,
    pub answered_in_writing: u64,
    pub answered_percent: u64,
    /// Median minutes from asking to the first answer, over the answered.
    pub median_minutes_to_answer: Option<i64>,
    /// Approved, unanswered and past the written answers' due date.
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenQuestion {
    pub question_id: QuestionId,
    pub text: String,
    pub votes: i64,
    pub department_id: Option<DepartmentId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionFigures {
    /// Questions asked (merged duplicates not counted twice; dismissed ones counted).
    pub asked: u64,
    pub answered: u64,
    pub dismissed: u64,
    pub by_department: Vec<DepartmentQuestions>,
    pub by_language: Vec<Count>,
    /// The most-voted approved questions still without an answer.
    pub top_unanswered: Vec<OpenQuestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingCounts {
    pub requested: u64,
    pub accepted: u64,
    pub declined: u64,
    pub scheduled: u64,
    pub held: u64,
    pub no_show: u64,
    pub follow_up: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFigures {
    pub total: MeetingCounts,
    pub by_department: Vec<(DepartmentId, MeetingCounts)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentFigures {
    pub answers: u64,
    pub interest: Vec<Count>,
    pub investment: Vec<Count>,
    pub timeline: Vec<Count>,
    pub districts: Vec<Count>,
    pub sectors: Vec<Count>,
    /// Interest by the answering company's country and industry.
    pub interest_by_country: BTreeMap<String, Vec<Count>>,
    pub interest_by_industry: BTreeMap<String, Vec<Count>>,
    /// Answers agreeing to be contacted by the investment officers.
    pub consented: u64,
    /// Answers that said where the company stood before the event, and of them those
    /// whose interest now is higher.
    pub compared: u64,
    pub grew: u64,
}

/// The whole report of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub headline: Headline,
    pub registrations: RegistrationFigures,
    pub attendance: AttendanceFigures,
    pub questions: QuestionFigures,
    pub polls: Vec<PollFigures>,
    pub meetings: MeetingFigures,
    pub intent: IntentFigures,
    pub leads: LeadFigures,
    pub interest: InterestFigures,
    /// Every company that registered, by name.
    pub companies: Vec<CompanyOutcome>,
}

/// The answers to each of the registration form's choice fields.
fn choice_answers(
    registrations: &[Registration],
    fields: &[String],
) -> BTreeMap<String, Vec<Count>> {
    fields
        .iter()
        .map(|f| {
            let answers = registrations
                .iter()
                .filter_map(|r| r.answers.get(f).cloned());
            (f.clone(), tally(answers))
        })
        .collect()
}

fn registrations(input: &ReportInput) -> RegistrationFigures {
    let mut days: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for r in input.registrations {
        *days
            .entry(r.created_at.with_timezone(&input.zone).date_naive())
            .or_default() += 1;
    }
    // Days without a registration between the first and the last are there with 0, so
    // that a chart of them shows the pace (up to two years of days).
    if let (Some(&first), Some(&last)) = (days.keys().next(), days.keys().next_back()) {
        for day in first.iter_days().take_while(|d| *d < last).take(731) {
            days.entry(day).or_insert(0);
        }
    }
    let mut cumulative = 0;
    let by_day = days
        .into_iter()
        .map(|(date, count)| {
            cumulative += count;
            Day {
                date,
                count,
                cumulative,
            }
        })
        .collect();
    let regs = input.registrations;
    RegistrationFigures {
        by_day,
        by_country: tally(regs.iter().map(|r| r.company.country.clone())),
        by_industry: tally(regs.iter().map(|r| r.company.industry.clone())),
        by_size: tally(regs.iter().map(|r| r.company.size.clone())),
        by_answer: choice_answers(regs, input.choice_fields),
    }
}

fn attendance(input: &ReportInput) -> AttendanceFigures {
    let registered = input.registrations.len() as u64;
    let threshold = input.attended_minutes;
    if !input.viewings.is_empty() {
        let people = viewing::viewers(input.viewings, input.slots, threshold);
        let a = viewing::attendance_of(
            input.viewings,
            &people,
            input.slots,
            (input.starts_at.timestamp(), input.ends_at.timestamp()),
            input.now.timestamp(),
            threshold,
        );
        return AttendanceFigures {
            source: AttendanceSource::Player,
            attended: a.attended,
            attended_percent: percent(a.attended, registered),
            attended_minutes: threshold,
            viewers: a.unique_viewers,
            peak_concurrent: a.peak_concurrent,
            minutes_live: a.minutes_live,
            minutes_replay: a.minutes_replay,
        };
    }
    // Presence: the live page open while the event ran; no peak can be known.
    let registered_people: BTreeSet<ParticipantId> = input
        .registrations
        .iter()
        .map(|r| r.participant_id)
        .collect();
    let present: Vec<i64> = input
        .presence
        .iter()
        .filter(|(p, _)| registered_people.contains(p))
        .map(|(_, s)| *s)
        .collect();
    let attended = present.iter().filter(|s| **s >= threshold * 60).count() as u64;
    AttendanceFigures {
        source: if present.is_empty() {
            AttendanceSource::None
        } else {
            AttendanceSource::Presence
        },
        attended,
        attended_percent: percent(attended, registered),
        attended_minutes: threshold,
        viewers: present.len() as u64,
        peak_concurrent: 0,
        minutes_live: present.iter().map(|s| (s + 30) / 60).sum(),
        minutes_replay: 0,
    }
}

fn questions(input: &ReportInput) -> QuestionFigures {
    let counted: Vec<&QuestionFacts> = input
        .questions
        .iter()
        .filter(|q| q.state != QuestionState::Merged)
        .collect();
    let mut departments: BTreeMap<Option<DepartmentId>, Vec<&QuestionFacts>> = BTreeMap::new();
    for q in &counted {
        departments.entry(q.department_id).or_default().push(q);
    }
    let open = |q: &QuestionFacts| q.state == QuestionState::Approved && !q.answered();
    let by_department = departments
        .into_iter()
        .map(|(department_id, qs)| {
            let answered: Vec<&&QuestionFacts> = qs.iter().filter(|q| q.answered()).collect();
            let live = answered.iter().filter(|q| q.answered_live).count() as u64;
            let waits = answered
                .iter()
                .filter_map(|q| Some((q.first_answer_at? - q.created_at).num_minutes().max(0)))
                .collect();
            DepartmentQuestions {
                department_id,
                asked: qs.len() as u64,
                answered_live: live,
                answered_in_writing: answered.len() as u64 - live,
                answered_percent: percent(answered.len() as u64, qs.len() as u64),
                median_minutes_to_answer: median(waits),
                overdue: qs
                    .iter()
                    .filter(|q| open(q) && input.now > input.answers_due)
                    .count() as u64,
            }
        })
        .collect();
    let mut unanswered: Vec<&&QuestionFacts> = counted.iter().filter(|q| open(q)).collect();
    unanswered.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.id.cmp(&b.id)));
    QuestionFigures {
        asked: counted.len() as u64,
        answered: counted.iter().filter(|q| q.answered()).count() as u64,
        dismissed: counted
            .iter()
            .filter(|q| q.state == QuestionState::Dismissed)
            .count() as u64,
        by_department,
        by_language: tally(counted.iter().map(|q| q.lang.code())),
        top_unanswered: unanswered
            .into_iter()
            .take(TOP_UNANSWERED)
            .map(|q| OpenQuestion {
                question_id: q.id,
                // Filled in by the caller, which reads the texts of these few.
                text: String::new(),
                votes: q.votes,
                department_id: q.department_id,
            })
            .collect(),
    }
}

fn meetings(input: &ReportInput) -> MeetingFigures {
    let mut total = MeetingCounts::default();
    let mut by: BTreeMap<DepartmentId, MeetingCounts> = BTreeMap::new();
    for r in input.requests {
        let meeting = input.meetings.iter().find(|m| m.request_id == r.id);
        for c in [&mut total, by.entry(r.department_id).or_default()] {
            c.requested += 1;
            match &r.host_answer {
                Some(a) if a.accepted => c.accepted += 1,
                Some(_) => c.declined += 1,
                None => {}
            }
            if let Some(m) = meeting {
                c.scheduled += 1;
                match &m.outcome {
                    Some(o) if o.held => {
                        c.held += 1;
                        c.follow_up += u64::from(o.follow_up);
                    }
                    Some(_) => c.no_show += 1,
                    None => {}
                }
            }
        }
    }
    MeetingFigures {
        total,
        by_department: by.into_iter().collect(),
    }
}

fn intent(input: &ReportInput) -> IntentFigures {
    let rs = input.responses;
    let company = |r: &SurveyResponse| {
        input
            .registrations
            .iter()
            .find(|g| g.id == r.registration_id)
            .map(|g| (g.company.country.clone(), g.company.industry.clone()))
            .unwrap_or_default()
    };
    let mut by_country: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_industry: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rs {
        let (country, industry) = company(r);
        let code = r.answers.interest.code().to_string();
        by_country.entry(country).or_default().push(code.clone());
        by_industry.entry(industry).or_default().push(code);
    }
    let split = |m: BTreeMap<String, Vec<String>>| {
        m.into_iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, v)| (k, tally(v)))
            .collect()
    };
    IntentFigures {
        answers: rs.len() as u64,
        interest: tally(rs.iter().map(|r| r.answers.interest.code())),
        investment: tally(
            rs.iter()
                .filter_map(|r| r.answers.investment.map(|i| i.code())),
        ),
        timeline: tally(
            rs.iter()
                .filter_map(|r| r.answers.timeline.map(|t| t.code())),
        ),
        districts: tally(rs.iter().flat_map(|r| r.answers.districts.clone())),
        sectors: tally(rs.iter().flat_map(|r| r.answers.sectors.clone())),
        interest_by_country: split(by_country),
        interest_by_industry: split(by_industry),
        consented: rs.iter().filter(|r| r.answers.consent).count() as u64,
        compared: rs
            .iter()
            .filter(|r| r.answers.interest_before.is_some())
            .count() as u64,
        grew: rs
            .iter()
            .filter(|r| {
                r.answers
                    .interest_before
                    .is_some_and(|b| r.answers.interest > b)
            })
            .count() as u64,
    }
}

/// The report of one event from its rows.
pub fn report(input: &ReportInput) -> Report {
    let registrations_f = registrations(input);
    let attendance_f = attendance(input);
    let questions_f = questions(input);
    let meetings_f = meetings(input);
    let intent_f = intent(input);
    let leads_f = leads::figures(input);
    let companies: BTreeSet<CompanyId> = input.registrations.iter().map(|r| r.company.id).collect();
    Report {
        headline: Headline {
            registered: input.registrations.len() as u64,
            attended: attendance_f.attended,
            peak_concurrent: attendance_f.peak_concurrent,
            countries: registrations_f.by_country.len() as u64,
            companies: companies.len() as u64,
            questions: questions_f.asked,
            answered: questions_f.answered,
            meetings_held: meetings_f.total.held,
            survey_answers: intent_f.answers,
            leads: leads_f.leads,
            signed: leads_f.signed,
        },
        registrations: registrations_f,
        attendance: attendance_f,
        questions: questions_f,
        polls: polls(input),
        meetings: meetings_f,
        intent: intent_f,
        leads: leads_f,
        interest: interest::figures(input.interest),
        companies: companies::outcomes(input),
    }
}

/// A press release as its organiser edited it, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressRelease {
    pub language: Lang,
    pub title: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// Longest title and body of a press release.
pub const PRESS_TITLE_MAX: usize = 300;
pub const PRESS_BODY_MAX: usize = 20_000;

/// What the report reads that no other capability reads for it, and the press releases.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Seconds each participant followed the event's live page while it ran (the
    /// `attended` signals), for attendance where no player reported.
    async fn presence_seconds(&self, event: EventId) -> StoreResult<BTreeMap<ParticipantId, i64>>;
    /// The event's questions as the report counts them, merged ones included.
    async fn question_facts(&self, event: EventId) -> StoreResult<Vec<QuestionFacts>>;
    /// The edited press release of an event in `language`, if one was saved.
    async fn press_release(
        &self,
        event: EventId,
        language: Lang,
    ) -> StoreResult<Option<PressRelease>>;
    /// Saves (or replaces) the edited press release in its language.
    async fn save_press_release(&self, event: EventId, release: &PressRelease) -> StoreResult<()>;
    /// Forgets the edited press release: the language gets the draft made from the figures.
    async fn delete_press_release(&self, event: EventId, language: Lang) -> StoreResult<()>;
    /// Every vote of the event's polls: who chose which options.
    async fn poll_votes(&self, event: EventId) -> StoreResult<Vec<PollVote>>;
    /// The recorded stage and realised-capital changes of the event's leads (those of
    /// its registered companies), oldest first.
    async fn lead_moves(&self, event: EventId) -> StoreResult<Vec<LeadMove>>;
    /// The directory signals of the event's participants.
    async fn interest_signals(&self, event: EventId) -> StoreResult<Vec<InterestSignal>>;
    /// Who gets the event's report how many days after its end, and when it went.
    async fn report_schedule(&self, event: EventId) -> StoreResult<Vec<ScheduledReport>>;
    /// Replaces the event's schedule with `entries` (recipient, days after): a sending
    /// already made stays on record; one not chosen any more and not yet made is dropped.
    async fn set_report_schedule(
        &self,
        event: EventId,
        entries: &[(AccountId, i64)],
    ) -> StoreResult<()>;
    /// Sendings not yet made whose day has come at `now` (the event's end plus the
    /// days), oldest event first, at most `limit`.
    async fn due_reports(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<DueReport>>;
    /// Marks a sending made; false when it was made already (by another process), so
    /// that each goes once.
    async fn claim_report(&self, due: &DueReport, at: DateTime<Utc>) -> StoreResult<bool>;
}
