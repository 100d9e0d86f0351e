//! The demo's leads: an intent survey on the event, assignment rules, and a sample
//! pipeline made the way a real one grows — sample companies answer the survey, those
//! "considering" or more become leads, officers move them on and give them tasks — so
//! that the board, the list and a lead's timeline are not empty.

use super::EVENT_SLUG;
use crate::{App, AppError, AppResult, Principal};
use chrono::Duration;
use roadshow_domain::Localized;
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::leads::{ProjectInput, RuleInput, StageInput, TaskInput};
use roadshow_domain::registrations::Registration;
use roadshow_domain::surveys::{Interest, ResponseInput, SurveyInput};
use roadshow_domain::time::{BEIJING, to_local_input};

pub const OFFICER: &str = "officer@roadshow.example";
pub const PARKS_OFFICER: &str = "officer2@roadshow.example";

/// One sample company's answer and where its lead stands: (interest, project type,
/// band, timeline, district, stage, lost reason, officer, next step, days to it, task).
type Plan = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    i64,
    Option<&'static str>,
);

const PLANS: &[Plan] = &[
    (
        "committed",
        "regional_headquarters",
        "200m_1b",
        "6_months",
        "chaoyang",
        "negotiation",
        None,
        Some(OFFICER),
        Some("Draft investment agreement with Chaoyang"),
        5,
        Some("Send the agreement draft"),
    ),
    (
        "planning",
        "manufacturing",
        "200m_1b",
        "12_months",
        "shunyi",
        "site_visit",
        None,
        Some(OFFICER),
        Some("Site visit at Tianzhu Free Trade Zone"),
        12,
        Some("Book the site visit"),
    ),
    (
        "planning",
        "rd_centre",
        "50m_200m",
        "12_months",
        "haidian",
        "engaged",
        None,
        Some(PARKS_OFFICER),
        Some("Call about R&D incentives"),
        -2,
        Some("Call back about R&D incentives"),
    ),
    (
        "considering",
        "sales_office",
        "10m_50m",
        "24_months",
        "chaoyang",
        "prospect",
        None,
        None,
        None,
        0,
        None,
    ),
    (
        "considering",
        "rd_centre",
        "10m_50m",
        "24_months",
        "daxing",
        "prospect",
        None,
        None,
        None,
        0,
        None,
    ),
    (
        "watching",
        "sales_office",
        "lt_10m",
        "later",
        "",
        "",
        None,
        None,
        None,
        0,
        None,
    ),
    (
        "not_now",
        "other",
        "undecided",
        "later",
        "",
        "",
        None,
        None,
        None,
        0,
        None,
    ),
    (
        "committed",
        "manufacturing",
        "50m_200m",
        "6_months",
        "shunyi",
        "signed",
        None,
        Some(OFFICER),
        Some("Registration of the new entity"),
        20,
        None,
    ),
    (
        "planning",
        "logistics",
        "10m_50m",
        "6_months",
        "daxing",
        "established",
        None,
        Some(PARKS_OFFICER),
        None,
        0,
        None,
    ),
    (
        "considering",
        "joint_venture",
        "50m_200m",
        "24_months",
        "tongzhou",
        "lost",
        Some("Chose another location"),
        Some(OFFICER),
        None,
        0,
        None,
    ),
    (
        "considering",
        "sales_office",
        "10m_50m",
        "12_months",
        "xicheng",
        "engaged",
        None,
        Some(PARKS_OFFICER),
        Some("Send the financial-sector policy summary"),
        3,
        Some("Policy summary in German"),
    ),
    (
        "planning",
        "regional_headquarters",
        "gt_1b",
        "12_months",
        "chaoyang",
        "negotiation",
        None,
        Some(OFFICER),
        Some("Meeting with the Chaoyang commerce bureau"),
        9,
        None,
    ),
    (
        "watching",
        "rd_centre",
        "undecided",
        "later",
        "",
        "",
        None,
        None,
        None,
        0,
        None,
    ),
    (
        "considering",
        "manufacturing",
        "10m_50m",
        "24_months",
        "yanqing",
        "prospect",
        None,
        None,
        None,
        0,
        None,
    ),
];

/// The sample companies that answer: from the end of the list, so they are others than
/// those who asked the demo's questions.
const FIRST: usize = 40;

impl App {
    pub(super) async fn demo_leads(
        &self,
        organiser: &Principal,
        registrations: &[Registration],
    ) -> AppResult<()> {
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let intro = Localized::from_pairs([
            (
                roadshow_domain::Lang::De,
                "Sechs kurze Fragen zu Ihren Plänen in Peking (etwa zwei Minuten).",
            ),
            (
                roadshow_domain::Lang::En,
                "Six short questions on your plans in Beijing (about two minutes).",
            ),
            (
                roadshow_domain::Lang::Zh,
                "关于您在北京计划的六个简短问题（约两分钟）。",
            ),
            (
                roadshow_domain::Lang::Fr,
                "Six questions courtes sur vos projets à Pékin (environ deux minutes).",
            ),
        ]);
        self.surveys()
            .save(
                organiser,
                EVENT_SLUG,
                &SurveyInput {
                    intro,
                    questions: Default::default(),
                    send_at: None,
                    deadline: Some(to_local_input(event.ends_at + Duration::days(21), BEIJING)),
                    reminder_days: Some(7),
                },
            )
            .await?;
        let officer = self.demo_staff(OFFICER).await?;
        let parks_officer = self.demo_staff(PARKS_OFFICER).await?;
        let id_of = |p: &Principal| p.staff().map(|s| s.id.0);
        self.leads()
            .set_rules(
                organiser,
                &[
                    RuleInput {
                        field: Some("country".into()),
                        value: Some("AT".into()),
                        owner_id: id_of(&parks_officer),
                    },
                    RuleInput {
                        field: Some("sector".into()),
                        value: Some("automotive".into()),
                        owner_id: id_of(&officer),
                    },
                ],
            )
            .await?;
        let today = crate::today_in_beijing();
        for (plan, r) in PLANS.iter().zip(registrations.iter().skip(FIRST)) {
            let (interest, kind, band, timeline, district, stage, lost, owner, next, days, task) =
                *plan;
            let participant = Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            });
            // Most sample companies say where they stood before: a step lower, or the same.
            let before = Interest::parse(interest)
                .and_then(|i| Interest::from_level(i.level() - i64::from(r.id.0 % 3 != 0)))
                .filter(|_| r.id.0 % 4 != 3);
            let input = ResponseInput {
                interest: Some(interest.into()),
                interest_before: before.map(|i| i.code().to_string()),
                sectors: vec![r.company.industry.clone()],
                districts: if district.is_empty() {
                    vec![]
                } else {
                    vec![district.into()]
                },
                project_type: Some(kind.into()),
                investment: Some(band.into()),
                timeline: Some(timeline.into()),
                next_steps: vec!["site_visit".into(), "policy_info".into()],
                consent: Some(true),
                ..Default::default()
            };
            self.surveys()
                .answer(&participant, EVENT_SLUG, &input)
                .await?;
            let Some(lead) = self.store.company_lead(r.company.id).await? else {
                continue;
            };
            let by = match owner {
                Some(PARKS_OFFICER) => &parks_officer,
                _ => &officer,
            };
            if let Some(email) = owner {
                let mut details = ProjectInput {
                    sector: lead.project.sector.clone(),
                    activity: lead.project.activity.map(|a| a.code().to_string()),
                    capex_cny: lead.project.capex_cny,
                    jobs: Some(20 + 15 * (r.id.0 % 7)),
                    target_district: lead.project.target_district.clone(),
                    target_park_id: lead.project.target_park_id.map(|p| p.0),
                    next_step: next.map(str::to_string),
                    next_step_due: next.map(|_| (today + Duration::days(days)).to_string()),
                    notes: Some(lead.project.notes.clone()),
                    owner_id: None,
                    ..Default::default()
                };
                // A signed project has its signing day; an established one also its start
                // and what is in place, below what was announced (as realised figures are).
                if matches!(stage, "signed" | "established") {
                    details.signed_on = Some((today - Duration::days(40)).to_string());
                }
                if stage == "established" {
                    details.started_on = Some((today - Duration::days(10)).to_string());
                    details.realised_capex_cny = lead.project.capex_cny.map(|c| c / 2);
                    details.realised_jobs = details.jobs.map(|j| j / 2);
                }
                details.owner_id = if email == PARKS_OFFICER {
                    id_of(&parks_officer)
                } else {
                    id_of(&officer)
                };
                self.leads().update(by, lead.id, &details, None).await?;
            }
            if stage != "prospect" {
                self.leads()
                    .move_to(
                        by,
                        lead.id,
                        &StageInput {
                            stage: Some(stage.into()),
                            lost_reason: lost.map(str::to_string),
                        },
                        None,
                    )
                    .await?;
            }
            if let Some(title) = task {
                self.leads()
                    .add_task(
                        by,
                        lead.id,
                        &TaskInput {
                            title: Some(title.into()),
                            due_on: Some((today + Duration::days(days)).to_string()),
                            assignee_id: None,
                        },
                    )
                    .await?;
            }
        }
        // A subsidiary an officer added by hand: the companies page shows it may be the
        // same company as one that registered.
        if let Some(first) = registrations.first() {
            let name = first.company.name.replace(" GmbH", "");
            self.leads()
                .create(
                    &officer,
                    &roadshow_domain::leads::NewLeadInput {
                        company_id: None,
                        company: roadshow_domain::registrations::CompanyInput {
                            name: Some(format!("{name} (Taicang) Co., Ltd.")),
                            country: Some("CN".into()),
                            industry: Some(first.company.industry.clone()),
                            size: Some("50-249".into()),
                            website: None,
                        },
                        company_sent: true,
                    },
                )
                .await?;
        }
        Ok(())
    }
}
