//! The report as the API gives it: stable English keys whatever the reader's language;
//! names (departments, polls, countries) in the reader's language.

use super::labels::Labels;
use roadshow_app::reports::EventReport;
use roadshow_domain::reports::{self as domain, Count};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The figures that open the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportHeadline {
    pub registered: u64,
    /// ReportRegistrations with at least the event's `attended_minutes` of viewing (or of the
    /// live page open, where no player reported).
    pub attended: u64,
    pub peak_concurrent: u64,
    pub countries: u64,
    pub companies: u64,
    pub questions: u64,
    pub answered: u64,
    pub meetings_held: u64,
    pub survey_answers: u64,
    pub leads: u64,
    /// ReportLeads at the stage `signed` or `established`.
    pub signed: u64,
}

impl From<&domain::Headline> for ReportHeadline {
    fn from(h: &domain::Headline) -> Self {
        ReportHeadline {
            registered: h.registered,
            attended: h.attended,
            peak_concurrent: h.peak_concurrent,
            countries: h.countries,
            companies: h.companies,
            questions: h.questions,
            answered: h.answered,
            meetings_held: h.meetings_held,
            survey_answers: h.survey_answers,
            leads: h.leads,
            signed: h.signed,
        }
    }
}

/// A group (country, industry, answer…) and how many it holds, largest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportGroup {
    /// The stored code (`DE`, `automotive`, `planning`…).
    pub key: String,
    /// Its name in the reader's language.
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDay {
    /// The day in the event's time zone.
    pub date: chrono::NaiveDate,
    pub count: u64,
    pub cumulative: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportRegistrations {
    pub by_day: Vec<ReportDay>,
    pub by_country: Vec<ReportGroup>,
    pub by_industry: Vec<ReportGroup>,
    pub by_size: Vec<ReportGroup>,
    /// Per choice field of the registration form (its key): the answers' counts.
    pub by_answer: BTreeMap<String, Vec<ReportGroup>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportAttendance {
    /// `player` (heartbeats of players), `presence` (the live page open while the event
    /// ran) or `none`.
    pub measured_by: String,
    pub attended: u64,
    /// `attended` in per cent of the registered.
    pub attended_percent: u64,
    pub attended_minutes: i64,
    /// ReportRegistrations seen watching (or present) at all.
    pub viewers: u64,
    /// Most viewers at once (0 where only presence is known).
    pub peak_concurrent: u64,
    pub minutes_live: i64,
    pub minutes_replay: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDepartmentQuestions {
    /// None: not routed to a department.
    pub department_id: Option<i64>,
    pub department: String,
    pub asked: u64,
    pub answered_live: u64,
    pub answered_in_writing: u64,
    pub answered_percent: u64,
    pub median_minutes_to_answer: Option<i64>,
    pub overdue: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportOpenQuestion {
    pub question_id: i64,
    pub text: String,
    pub votes: i64,
    pub department_id: Option<i64>,
    pub department: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportQuestions {
    /// ReportQuestions asked (a merged duplicate is not counted; dismissed ones are).
    pub asked: u64,
    pub answered: u64,
    pub dismissed: u64,
    /// When written answers were due.
    pub answers_due: chrono::DateTime<chrono::Utc>,
    pub by_department: Vec<ReportDepartmentQuestions>,
    pub by_language: Vec<ReportGroup>,
    pub top_unanswered: Vec<ReportOpenQuestion>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPollOption {
    pub label: String,
    pub votes: u64,
    /// Votes in per cent of the poll's voters.
    pub percent: u64,
}

/// A poll's votes from one group of voters: their companies' country, industry or size.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPollSplit {
    /// The group's code (ISO country, industry or size code).
    pub key: String,
    pub label: String,
    pub voters: u64,
    /// Votes per option, in the poll's option order.
    pub votes: Vec<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPollResult {
    pub poll_id: i64,
    pub question: String,
    pub state: String,
    pub voters: u64,
    pub options: Vec<ReportPollOption>,
    /// The votes by the voters' company country, industry and size, largest group first.
    pub by_country: Vec<ReportPollSplit>,
    pub by_industry: Vec<ReportPollSplit>,
    pub by_size: Vec<ReportPollSplit>,
}

fn poll_splits(kind: &str, splits: &[domain::PollSplit], l: &Labels) -> Vec<ReportPollSplit> {
    splits
        .iter()
        .map(|s| ReportPollSplit {
            key: s.key.clone(),
            label: l.label(kind, &s.key),
            voters: s.voters,
            votes: s.options.clone(),
        })
        .collect()
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ReportMeetingCounts {
    pub requested: u64,
    pub accepted: u64,
    pub declined: u64,
    pub scheduled: u64,
    pub held: u64,
    pub no_show: u64,
    pub follow_up: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDepartmentMeetings {
    pub department_id: i64,
    pub department: String,
    pub counts: ReportMeetingCounts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportMeetings {
    pub total: ReportMeetingCounts,
    pub by_department: Vec<ReportDepartmentMeetings>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportIntent {
    pub answers: u64,
    /// Answers agreeing to be contacted by the investment officers.
    pub consented: u64,
    /// Answers that said where the company stood before the event; of them, those whose
    /// interest is higher now, and their share in per cent.
    pub compared: u64,
    pub grew: u64,
    pub grew_percent: u64,
    /// The same two counts as groups (`compared`, `grew`) with their names, for tables.
    pub change: Vec<ReportGroup>,
    pub interest: Vec<ReportGroup>,
    pub investment: Vec<ReportGroup>,
    pub timeline: Vec<ReportGroup>,
    pub districts: Vec<ReportGroup>,
    pub sectors: Vec<ReportGroup>,
    /// Interest by the answering company's country (its code).
    pub interest_by_country: BTreeMap<String, Vec<ReportGroup>>,
    /// Interest by the answering company's industry (its code).
    pub interest_by_industry: BTreeMap<String, Vec<ReportGroup>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportLeads {
    pub leads: u64,
    pub signed: u64,
    pub by_stage: Vec<ReportGroup>,
    pub by_source: Vec<ReportGroup>,
    /// Stage changes made after the event ended, by the stage moved into.
    pub moved_since_event: Vec<ReportGroup>,
    /// Open leads whose next step is past its due date.
    pub overdue_next_steps: u64,
    /// Capital (CNY) the leads' projects announce, summed where given: announced, not
    /// realised.
    pub announced_capex_cny: i64,
    pub announced_jobs: i64,
    /// Leads whose project started operating.
    pub started: u64,
    /// Capital (CNY) actually in place and jobs actually created, summed where the leads
    /// record them: realised, never added to the announced figures.
    pub realised_capex_cny: i64,
    pub realised_jobs: i64,
    /// How many leads the announced and the realised sums are made of.
    pub announced_from: u64,
    pub realised_from: u64,
}

/// What one company did at the event and became after it (organisers and investment
/// officers only; empty for an official).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportCompany {
    pub company_id: i64,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub industry: String,
    pub size: String,
    /// People of the company registered, and of them those who attended.
    pub registered: u64,
    pub attended: u64,
    /// Minutes watched, live and replay (or present, where no player reported).
    pub minutes: i64,
    pub questions: u64,
    pub meetings_requested: u64,
    pub meetings_held: u64,
    /// The interest the company gave in the survey (its code).
    pub interest: Option<String>,
    /// The stage of the company's lead (its code).
    pub lead_stage: Option<String>,
    /// Who follows the company up: its lead's owner.
    pub owner: Option<String>,
    /// When the company first reached each step of the outcome funnel, by the step's
    /// name (`registered` … `capital_in_place`); a step not reached is left out.
    pub reached: BTreeMap<String, chrono::DateTime<chrono::Utc>>,
}

/// The report of one event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    pub headline: ReportHeadline,
    pub slug: String,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// Set for an official: questions and meetings are their department's only.
    pub department_only: Option<i64>,
    pub registrations: ReportRegistrations,
    pub attendance: ReportAttendance,
    pub questions: ReportQuestions,
    pub polls: Vec<ReportPollResult>,
    pub meetings: ReportMeetings,
    pub intent: ReportIntent,
    pub leads: ReportLeads,
    /// The outcome funnel of the event's companies, in all and at +30, +90, +180 days.
    pub funnel: super::outcomes::ReportFunnel,
    /// What the participants read and checked in the directory.
    pub interest: super::outcomes::ReportInterest,
    /// The agency's earlier events (up to three, oldest first) with their headlines.
    pub earlier_events: Vec<super::agency::AgencyEvent>,
    pub companies: Vec<ReportCompany>,
    /// Each figure's rule, in the reader's language.
    pub definitions: BTreeMap<String, String>,
}

/// The figures [`Report::definitions`] explains, each under `report-def-<name>`.
pub const DEFINED: &[&str] = &[
    "registered",
    "attended",
    "peak_concurrent",
    "companies",
    "questions",
    "answered",
    "overdue",
    "median_minutes_to_answer",
    "meetings_held",
    "survey_answers",
    "intent_grew",
    "leads",
    "signed",
    "announced",
    "realised",
    "funnel",
    "directory_interest",
];

fn meeting_counts(c: &domain::MeetingCounts) -> ReportMeetingCounts {
    ReportMeetingCounts {
        requested: c.requested,
        accepted: c.accepted,
        declined: c.declined,
        scheduled: c.scheduled,
        held: c.held,
        no_show: c.no_show,
        follow_up: c.follow_up,
    }
}

impl Report {
    pub fn of(v: &EventReport, l: &Labels) -> Report {
        let r = &v.report;
        let h = &r.headline;
        let groups = |counts: &[Count], kind: &str| -> Vec<ReportGroup> {
            counts
                .iter()
                .map(|c| ReportGroup {
                    key: c.key.clone(),
                    label: l.label(kind, &c.key),
                    count: c.count,
                })
                .collect()
        };
        let split = |m: &BTreeMap<String, Vec<Count>>, kind: &str| {
            m.iter()
                .map(|(k, v)| (k.clone(), groups(v, kind)))
                .collect::<BTreeMap<_, _>>()
        };
        let q = &r.questions;
        Report {
            headline: ReportHeadline::from(h),
            slug: v.page.event.slug.clone(),
            title: v.page.event.title.get(l.lang).to_string(),
            starts_at: v.page.event.starts_at,
            ends_at: v.page.event.ends_at,
            generated_at: v.generated_at,
            department_only: v.department_only.map(|d| d.0),
            registrations: ReportRegistrations {
                by_day: r
                    .registrations
                    .by_day
                    .iter()
                    .map(|d| ReportDay {
                        date: d.date,
                        count: d.count,
                        cumulative: d.cumulative,
                    })
                    .collect(),
                by_country: groups(&r.registrations.by_country, "country"),
                by_industry: groups(&r.registrations.by_industry, "industry"),
                by_size: groups(&r.registrations.by_size, "size"),
                by_answer: r
                    .registrations
                    .by_answer
                    .iter()
                    .map(|(field, counts)| {
                        let groups = counts
                            .iter()
                            .map(|c| ReportGroup {
                                key: c.key.clone(),
                                label: l.answer(field, &c.key),
                                count: c.count,
                            })
                            .collect();
                        (field.clone(), groups)
                    })
                    .collect(),
            },
            attendance: ReportAttendance {
                measured_by: r.attendance.source.code().to_string(),
                attended: r.attendance.attended,
                attended_percent: r.attendance.attended_percent,
                attended_minutes: r.attendance.attended_minutes,
                viewers: r.attendance.viewers,
                peak_concurrent: r.attendance.peak_concurrent,
                minutes_live: r.attendance.minutes_live,
                minutes_replay: r.attendance.minutes_replay,
            },
            questions: ReportQuestions {
                asked: q.asked,
                answered: q.answered,
                dismissed: q.dismissed,
                answers_due: v.answers_due,
                by_department: q
                    .by_department
                    .iter()
                    .map(|d| ReportDepartmentQuestions {
                        department_id: d.department_id.map(|i| i.0),
                        department: l.department(d.department_id),
                        asked: d.asked,
                        answered_live: d.answered_live,
                        answered_in_writing: d.answered_in_writing,
                        answered_percent: d.answered_percent,
                        median_minutes_to_answer: d.median_minutes_to_answer,
                        overdue: d.overdue,
                    })
                    .collect(),
                by_language: groups(&q.by_language, "language"),
                top_unanswered: q
                    .top_unanswered
                    .iter()
                    .map(|o| ReportOpenQuestion {
                        question_id: o.question_id.0,
                        text: o.text.clone(),
                        votes: o.votes,
                        department_id: o.department_id.map(|i| i.0),
                        department: l.department(o.department_id),
                    })
                    .collect(),
            },
            polls: r
                .polls
                .iter()
                .filter_map(|p| {
                    let poll = v.polls.iter().find(|x| x.id == p.poll_id)?;
                    Some(ReportPollResult {
                        poll_id: p.poll_id.0,
                        question: poll.question.get(l.lang).to_string(),
                        state: poll.state.code().to_string(),
                        voters: p.voters,
                        options: p
                            .options
                            .iter()
                            .enumerate()
                            .map(|(i, (votes, percent))| ReportPollOption {
                                label: poll
                                    .options
                                    .get(i)
                                    .map(|o| o.get(l.lang).to_string())
                                    .unwrap_or_default(),
                                votes: *votes,
                                percent: *percent,
                            })
                            .collect(),
                        by_country: poll_splits("country", &p.by_country, l),
                        by_industry: poll_splits("industry", &p.by_industry, l),
                        by_size: poll_splits("size", &p.by_size, l),
                    })
                })
                .collect(),
            meetings: ReportMeetings {
                total: meeting_counts(&r.meetings.total),
                by_department: r
                    .meetings
                    .by_department
                    .iter()
                    .map(|(d, c)| ReportDepartmentMeetings {
                        department_id: d.0,
                        department: l.department(Some(*d)),
                        counts: meeting_counts(c),
                    })
                    .collect(),
            },
            intent: ReportIntent {
                answers: r.intent.answers,
                consented: r.intent.consented,
                compared: r.intent.compared,
                grew: r.intent.grew,
                grew_percent: domain::percent(r.intent.grew, r.intent.compared),
                change: vec![
                    ReportGroup {
                        key: "compared".into(),
                        label: roadshow_i18n::t(l.lang, "report-intent-compared"),
                        count: r.intent.compared,
                    },
                    ReportGroup {
                        key: "grew".into(),
                        label: roadshow_i18n::t(l.lang, "report-intent-grew"),
                        count: r.intent.grew,
                    },
                ],
                interest: groups(&r.intent.interest, "interest"),
                investment: groups(&r.intent.investment, "investment"),
                timeline: groups(&r.intent.timeline, "timeline"),
                districts: groups(&r.intent.districts, "district"),
                sectors: groups(&r.intent.sectors, "industry"),
                interest_by_country: split(&r.intent.interest_by_country, "interest"),
                interest_by_industry: split(&r.intent.interest_by_industry, "interest"),
            },
            leads: ReportLeads {
                leads: r.leads.leads,
                signed: r.leads.signed,
                by_stage: groups(&r.leads.by_stage, "stage"),
                by_source: groups(&r.leads.by_source, "source"),
                moved_since_event: groups(&r.leads.moved_since_event, "stage"),
                overdue_next_steps: r.leads.overdue_next_steps,
                announced_capex_cny: r.leads.announced_capex_cny,
                announced_jobs: r.leads.announced_jobs,
                started: r.leads.started,
                realised_capex_cny: r.leads.realised_capex_cny,
                realised_jobs: r.leads.realised_jobs,
                announced_from: r.leads.announced_from,
                realised_from: r.leads.realised_from,
            },
            funnel: super::outcomes::ReportFunnel::of(
                &domain::funnel(&r.companies, v.generated_at),
                l.lang,
            ),
            interest: super::outcomes::ReportInterest::of(v, l.lang),
            earlier_events: super::outcomes::earlier_events(v, l.lang),
            companies: if v.department_only.is_some() {
                Vec::new()
            } else {
                r.companies
                    .iter()
                    .map(|c| ReportCompany {
                        company_id: c.company_id.0,
                        name: c.name.clone(),
                        country: c.country.clone(),
                        industry: c.industry.clone(),
                        size: c.size.clone(),
                        registered: c.registered,
                        attended: c.attended,
                        minutes: c.minutes,
                        questions: c.questions,
                        meetings_requested: c.meetings_requested,
                        meetings_held: c.meetings_held,
                        interest: c.interest.clone(),
                        lead_stage: c.lead_stage.clone(),
                        owner: c.owner.clone(),
                        reached: super::outcomes::company_steps(c),
                    })
                    .collect()
            },
            definitions: DEFINED
                .iter()
                .map(|k| {
                    (
                        k.to_string(),
                        l.definition(k, r.attendance.attended_minutes),
                    )
                })
                .collect(),
        }
    }
}
