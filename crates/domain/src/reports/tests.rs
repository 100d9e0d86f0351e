use super::*;
use crate::Lang;
use crate::broadcast::viewing::{Mode, Span};
use crate::leads::{LeadCompany, LeadSource, Project, Stage};
use crate::meetings::{HostAnswer, MeetingOutcome, Priority};
use crate::polls::PollState;
use crate::questions::{Answer, Question};
use crate::registrations::Company;
use crate::surveys::{Interest, InvestmentBand, ResponseDraft};
use chrono::{Duration, TimeZone};

pub(super) fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, m, 0).unwrap()
}

fn registration(n: i64, country: &str, industry: &str, day: u32) -> Registration {
    Registration {
        id: RegistrationId(n),
        event_id: EventId(1),
        participant_id: ParticipantId(100 + n),
        email: format!("p{n}@example.de"),
        name: format!("Person {n}"),
        job_title: None,
        language: Lang::De,
        company: Company {
            id: CompanyId(200 + n / 2),
            name: format!("Firma {}", n / 2),
            country: country.into(),
            industry: industry.into(),
            size: "50-249".into(),
            website: None,
            is_sample: false,
        },
        consent_at: at(8, 0),
        consent_version: "1".into(),
        answers: [(
            "goal".to_string(),
            if n % 2 == 0 { "invest" } else { "learn" }.to_string(),
        )]
        .into_iter()
        .collect(),
        // 23:30 UTC is the next day in Beijing.
        created_at: Utc.with_ymd_and_hms(2026, 11, day, 23, 30, 0).unwrap(),
        erased: false,
    }
}

fn question(n: i64, dept: Option<i64>, state: QuestionState, votes: i64) -> Question {
    Question {
        id: QuestionId(n),
        event_id: EventId(1),
        session_id: None,
        participant_id: ParticipantId(101),
        author_name: "Person 1".into(),
        author_company: "Firma 0".into(),
        anonymous: false,
        text: format!("Frage {n}"),
        original_text: None,
        lang: if n % 3 == 0 { Lang::Zh } else { Lang::De },
        state,
        dismiss_reason: None,
        merged_into: None,
        department_id: dept.map(DepartmentId),
        suggested_department: None,
        suggestion_reason: None,
        pinned: false,
        votes,
        answers: vec![],
        created_at: at(9, 0),
        version: 1,
    }
}

fn answered(mut q: Question, live: bool, minutes: u32) -> Question {
    q.state = QuestionState::Answered;
    q.answers.push(Answer {
        id: AnswerId(q.id.0),
        question_id: q.id,
        department_id: q.department_id,
        author_id: AccountId(1),
        author_name: "Official".into(),
        body: String::new(),
        lang: Lang::Zh,
        live,
        created_at: at(9, minutes),
    });
    q
}

fn request(n: i64, dept: i64, answer: Option<bool>) -> MeetingRequest {
    MeetingRequest {
        id: MeetingRequestId(n),
        event_id: EventId(1),
        participant_id: ParticipantId(100 + n),
        department_id: DepartmentId(dept),
        priority: Priority::Want,
        topic: "Standort".into(),
        from_host: false,
        host_answer: answer.map(|accepted| HostAnswer {
            accepted,
            reason: String::new(),
        }),
        created_at: at(8, 0),
    }
}

fn meeting(request: i64, outcome: Option<(bool, bool)>) -> Meeting {
    Meeting {
        id: MeetingId(request),
        event_id: EventId(1),
        request_id: MeetingRequestId(request),
        starts_at: at(14, 0),
        outcome: outcome.map(|(held, follow_up)| MeetingOutcome {
            held,
            notes: String::new(),
            follow_up,
        }),
    }
}

fn response(reg: i64, interest: Interest, band: Option<InvestmentBand>) -> SurveyResponse {
    SurveyResponse {
        event_id: EventId(1),
        registration_id: RegistrationId(reg),
        participant_id: ParticipantId(100 + reg),
        company_id: CompanyId(200 + reg / 2),
        survey_version: 1,
        answers: ResponseDraft {
            interest,
            // Registration 0 was only watching before; 1 was planning and now considers;
            // the others did not say.
            interest_before: match reg {
                0 => Some(Interest::Watching),
                1 => Some(Interest::Planning),
                _ => None,
            },
            sectors: vec!["automotive".into()],
            districts: vec!["shunyi".into()],
            parks: vec![],
            project_type: None,
            investment: band,
            timeline: None,
            next_steps: vec![],
            policies: vec![],
            comment: None,
            consent: reg % 2 == 0,
        },
        answered_at: at(18, 0),
        updated_at: at(18, 0),
    }
}

fn lead(n: i64, stage: Stage, capex: Option<i64>) -> Lead {
    Lead {
        id: LeadId(n),
        agency_id: AgencyId(1),
        company: LeadCompany {
            id: CompanyId(200 + n),
            name: format!("Firma {n}"),
            country: "DE".into(),
            industry: "automotive".into(),
            website: None,
            is_sample: false,
        },
        stage,
        lost_reason: None,
        owner_id: None,
        owner_name: None,
        project: Project {
            capex_cny: capex,
            jobs: capex.map(|_| 40),
            ..Default::default()
        },
        source: LeadSource::Survey,
        score: 10,
        open_tasks: 0,
        created_at: at(18, 0),
        updated_at: at(18, 0),
        version: 1,
    }
}

pub(super) fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, 4, 0, 0).unwrap()
}

fn moved(lead: i64, field: &str, after: &str, at: DateTime<Utc>) -> LeadMove {
    LeadMove {
        lead_id: LeadId(lead),
        field: field.into(),
        after: Some(after.into()),
        at,
    }
}

pub(super) struct Rows {
    registrations: Vec<Registration>,
    viewings: Vec<Viewing>,
    presence: BTreeMap<ParticipantId, i64>,
    questions: Vec<QuestionFacts>,
    polls: Vec<Poll>,
    votes: Vec<PollVote>,
    requests: Vec<MeetingRequest>,
    meetings: Vec<Meeting>,
    responses: Vec<SurveyResponse>,
    pub(super) leads: Vec<Lead>,
    pub(super) lead_moves: Vec<LeadMove>,
    pub(super) interest: Vec<InterestSignal>,
}

pub(super) fn rows() -> Rows {
    let mut registrations: Vec<Registration> = (0..6)
        .map(|n| registration(n, "DE", "automotive", 17))
        .collect();
    registrations.push(registration(6, "AT", "chemicals", 18));
    registrations.push(registration(7, "FR", "automotive", 21));
    let view = |reg: i64, from: u32, to: u32| Viewing {
        registration_id: reg,
        mode: Mode::Live,
        session_id: None,
        span: Span {
            start: at(9, from).timestamp(),
            end: at(9, to).timestamp(),
        },
        audio_language: Some("de".into()),
        caption_language: None,
    };
    Rows {
        viewings: vec![
            view(0, 0, 30),
            view(1, 5, 12),
            view(2, 10, 40),
            view(3, 0, 2),
        ],
        presence: BTreeMap::new(),
        questions: [
            answered(question(1, Some(1), QuestionState::Approved, 3), true, 20),
            answered(question(2, Some(1), QuestionState::Approved, 1), false, 40),
            question(3, Some(1), QuestionState::Approved, 7),
            question(4, Some(2), QuestionState::Approved, 2),
            question(5, None, QuestionState::Dismissed, 0),
            question(6, Some(2), QuestionState::Merged, 0),
        ]
        .iter()
        .map(QuestionFacts::of)
        .collect(),
        polls: vec![Poll {
            id: PollId(1),
            event_id: EventId(1),
            session_id: None,
            question: Default::default(),
            options: vec![Default::default(); 3],
            multiple: false,
            state: PollState::Closed,
            results_shown: true,
            counts: vec![2, 1, 0],
            voters: 3,
            created_at: at(9, 0),
        }],
        // Two German voters for the first option, the Austrian for the second.
        votes: [(0, 0), (1, 0), (6, 1)]
            .iter()
            .map(|&(n, choice)| PollVote {
                poll_id: PollId(1),
                participant_id: ParticipantId(100 + n),
                choices: vec![choice],
            })
            .collect(),
        requests: vec![
            request(1, 1, Some(true)),
            request(2, 1, Some(false)),
            request(3, 2, None),
            request(4, 2, Some(true)),
        ],
        meetings: vec![
            meeting(1, Some((true, true))),
            meeting(4, Some((false, false))),
            meeting(3, None),
        ],
        responses: vec![
            response(0, Interest::Planning, Some(InvestmentBand::From10M)),
            response(1, Interest::Considering, None),
            response(6, Interest::Planning, Some(InvestmentBand::From10M)),
        ],
        leads: vec![
            {
                // Signed and started, with part of the announced capital in place.
                let mut l = lead(1, Stage::Signed, Some(50_000_000));
                l.project.signed_on = NaiveDate::from_ymd_opt(2026, 11, 25);
                l.project.started_on = NaiveDate::from_ymd_opt(2026, 12, 1);
                l.project.realised_capex_cny = Some(20_000_000);
                l.project.realised_jobs = Some(12);
                l
            },
            lead(2, Stage::Engaged, Some(10_000_000)),
            lead(3, Stage::Prospect, None),
        ],
        interest: Vec::new(),
        lead_moves: vec![
            moved(1, "stage", "site_visit", day(22)),
            moved(1, "stage", "signed", day(26)),
            moved(
                1,
                "realised_capex_cny",
                "20000000",
                day(29) + Duration::days(60),
            ),
            // Before the event ended: not a movement since the event.
            moved(2, "stage", "engaged", at(11, 0)),
            moved(2, "stage", "engaged", day(23)),
        ],
        registrations,
    }
}

pub(super) fn run(r: &Rows, now: DateTime<Utc>) -> Report {
    report(&ReportInput {
        starts_at: at(9, 0),
        ends_at: at(12, 0),
        zone: crate::time::BEIJING,
        attended_minutes: 10,
        slots: &[],
        choice_fields: &["goal".to_string(), "unused".to_string()],
        registrations: &r.registrations,
        viewings: &r.viewings,
        presence: &r.presence,
        questions: &r.questions,
        answers_due: at(20, 0),
        polls: &r.polls,
        votes: &r.votes,
        requests: &r.requests,
        meetings: &r.meetings,
        responses: &r.responses,
        leads: &r.leads,
        lead_moves: &r.lead_moves,
        interest: &r.interest,
        now,
    })
}

#[test]
fn the_headline_counts_what_happened() {
    let r = run(&rows(), at(21, 0));
    assert_eq!(
        r.headline,
        Headline {
            registered: 8,
            // 30 and 30 minutes watched; 7 and 2 minutes are under the threshold of 10.
            attended: 2,
            peak_concurrent: 3,
            countries: 3,
            companies: 4,
            // The merged duplicate is not a question of its own.
            questions: 5,
            answered: 2,
            meetings_held: 1,
            survey_answers: 3,
            leads: 3,
            signed: 1,
        }
    );
    assert_eq!(r.attendance.source, AttendanceSource::Player);
    assert_eq!(r.attendance.attended_percent, 25);
}

#[test]
fn registrations_count_by_the_events_calendar_day() {
    let r = run(&rows(), at(21, 0));
    let days: Vec<(String, u64, u64)> = r
        .registrations
        .by_day
        .iter()
        .map(|d| (d.date.to_string(), d.count, d.cumulative))
        .collect();
    // Registered at 23:30 UTC: the next day in Beijing.
    assert_eq!(
        days,
        vec![
            ("2026-11-18".into(), 6, 6),
            ("2026-11-19".into(), 1, 7),
            // A day without registrations is there with none.
            ("2026-11-20".into(), 0, 7),
            ("2026-11-21".into(), 0, 7),
            ("2026-11-22".into(), 1, 8)
        ]
    );
    assert_eq!(
        r.registrations.by_country[0],
        Count {
            key: "DE".into(),
            count: 6
        }
    );
    assert_eq!(r.registrations.by_answer["goal"].len(), 2);
    // A choice field nobody answered is there, empty; a text field is not.
    assert!(r.registrations.by_answer["unused"].is_empty());
    assert_eq!(r.registrations.by_answer.len(), 2);
}

#[test]
fn questions_by_department_with_answers_waits_and_overdue() {
    let before = run(&rows(), at(19, 0));
    let after = run(&rows(), at(21, 0));
    let d1 = &after.questions.by_department[1];
    assert_eq!(d1.department_id, Some(DepartmentId(1)));
    assert_eq!(
        (
            d1.asked,
            d1.answered_live,
            d1.answered_in_writing,
            d1.answered_percent
        ),
        (3, 1, 1, 67)
    );
    // Answered after 20 and 40 minutes: the lower middle.
    assert_eq!(d1.median_minutes_to_answer, Some(20));
    // Overdue only once written answers were due.
    assert_eq!(before.questions.by_department[1].overdue, 0);
    assert_eq!(d1.overdue, 1);
    let top: Vec<i64> = after
        .questions
        .top_unanswered
        .iter()
        .map(|q| q.question_id.0)
        .collect();
    assert_eq!(top, vec![3, 4]);
    assert_eq!(after.questions.dismissed, 1);
}

#[test]
fn meetings_polls_intent_and_leads() {
    let r = run(&rows(), at(21, 0));
    assert_eq!(
        r.meetings.total,
        MeetingCounts {
            requested: 4,
            accepted: 2,
            declined: 1,
            scheduled: 3,
            held: 1,
            no_show: 1,
            follow_up: 1,
        }
    );
    assert_eq!(r.polls[0].options, vec![(2, 67), (1, 33), (0, 0)]);
    // Split by the voters' companies, largest group first.
    let country: Vec<(&str, u64, Vec<u64>)> = r.polls[0]
        .by_country
        .iter()
        .map(|s| (s.key.as_str(), s.voters, s.options.clone()))
        .collect();
    assert_eq!(
        country,
        vec![("DE", 2, vec![2, 0, 0]), ("AT", 1, vec![0, 1, 0])]
    );
    assert_eq!(r.polls[0].by_industry[0].key, "automotive");
    assert_eq!(r.polls[0].by_industry[1].options, vec![0, 1, 0]);
    assert_eq!(
        r.intent.interest[0],
        Count {
            key: "planning".into(),
            count: 2
        }
    );
    assert_eq!(r.intent.interest_by_country["AT"].len(), 1);
    assert_eq!(r.intent.consented, 2);
    assert_eq!(r.leads.announced_capex_cny, 60_000_000);
    assert_eq!(r.leads.announced_jobs, 80);
    // Realised figures stand apart: never part of the announced sums.
    assert_eq!(r.leads.realised_capex_cny, 20_000_000);
    assert_eq!(r.leads.realised_jobs, 12);
    assert_eq!(r.leads.started, 1);
    assert_eq!((r.leads.announced_from, r.leads.realised_from), (2, 1));
}

#[test]
fn presence_stands_in_where_no_player_reported() {
    let mut r = rows();
    r.viewings.clear();
    r.presence = [
        (ParticipantId(100), 1200),
        (ParticipantId(101), 300),
        (ParticipantId(999), 9000),
    ]
    .into_iter()
    .collect();
    let report = run(&r, at(21, 0));
    // The stranger (not registered) is not counted; 5 minutes are under the threshold.
    assert_eq!(report.attendance.source, AttendanceSource::Presence);
    assert_eq!(
        (report.attendance.viewers, report.attendance.attended),
        (2, 1)
    );
    r.presence.clear();
    assert_eq!(run(&r, at(21, 0)).attendance.source, AttendanceSource::None);
}

#[test]
fn small_groups_are_not_shown_exactly() {
    assert_eq!(guarded(0), "0");
    assert_eq!(guarded(1), "< 5");
    assert_eq!(guarded(4), "< 5");
    assert_eq!(guarded(5), "5");
    assert_eq!(percent(1, 3), 33);
    assert_eq!(percent(2, 3), 67);
    assert_eq!(percent(1, 0), 0);
}

#[test]
fn each_company_with_what_it_did() {
    let r = run(&rows(), at(21, 0));
    assert_eq!(r.companies.len(), 4);
    let firma0 = r.companies.iter().find(|c| c.name == "Firma 0").unwrap();
    // Registrations 0 and 1: 30 and 7 minutes watched, one of them attended; the first
    // question of participant 101 (registration 1) is theirs, as are requests 1 (held).
    assert_eq!(
        (firma0.registered, firma0.attended, firma0.minutes),
        (2, 1, 37)
    );
    assert_eq!(firma0.questions, 5);
    assert_eq!((firma0.meetings_requested, firma0.meetings_held), (1, 1));
    assert_eq!(firma0.interest.as_deref(), Some("planning"));
    // The leads here are those of companies 201 to 203.
    let firma1 = r.companies.iter().find(|c| c.name == "Firma 1").unwrap();
    assert_eq!(firma1.lead_stage.as_deref(), Some("signed"));
    assert_eq!(firma0.lead_stage, None);
}

#[test]
fn the_funnel_counts_each_company_once_at_the_furthest_step() {
    let r = run(&rows(), at(21, 0));
    let f = funnel(&r.companies, at(21, 0));
    // Four companies registered; Firma 0 attended, asked, met and intends; leads for
    // Firma 1–3 (Firma 3 only a prospect), Firma 1 signed; Firma 3 intends too.
    // Firma 1 also started operating with capital in place.
    assert_eq!(f.total, vec![4, 2, 1, 1, 2, 3, 1, 1, 1, 1]);
    // The same companies at a second event where all attended count once, further on.
    let mut again = r.companies.clone();
    for c in &mut again {
        c.reached[Step::Attended as usize] = Some(at(10, 0));
    }
    let f = funnel(r.companies.iter().chain(again.iter()), at(21, 0));
    assert_eq!(f.total[0], 4);
    assert_eq!(f.total[1], 4);
    assert_eq!(f.by_country["DE"][0], 3);
    assert_eq!(f.by_country.values().map(|v| v[0]).sum::<u64>(), 4);
}

#[path = "funnel_tests.rs"]
mod funnel_tests;
