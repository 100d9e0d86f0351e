//! The report page: the same figures as the API, each chart with its table, refreshed
//! while the event runs.

use super::chart::{Bars, Columns, bars, columns};
use super::labels::Labels;
use super::outcomes::{InterestItem, StepRow, mark_headers, step_label, step_rows};
use super::wire::{DEFINED, Report, ReportGroup, ReportPollSplit};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::pages::render;
use crate::views::{TimeView, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Duration, Utc};
use roadshow_domain::reports::FUNNEL;
use roadshow_domain::time::BEIJING;
use serde::Deserialize;

pub struct Stat {
    pub label: String,
    pub value: String,
}

/// A titled group of bars with its table.
pub struct Figure {
    pub bars: Bars,
    pub groups: Vec<ReportGroup>,
    /// The CSV table the figure is in.
    pub table: &'static str,
}

pub struct PollView {
    pub figure: Figure,
    pub voters: u64,
    pub option_labels: Vec<String>,
    pub splits: Vec<(String, Vec<ReportPollSplit>)>,
}

pub struct Definition {
    pub term: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "admin/report.html")]
struct ReportPage<'a> {
    ctx: &'a Ctx,
    r: Report,
    generated: TimeView,
    answers_due: TimeView,
    /// While the event runs (and half an hour either side) the page reloads itself.
    refresh: bool,
    /// Announced and realised capital, digits grouped.
    capex: String,
    realised_capex: String,
    /// Why announced and realised figures stand apart.
    announced_rule: String,
    /// How attendance was measured, and the rule of "attended".
    measured: String,
    attended_rule: String,
    stats: Vec<Stat>,
    days: Columns,
    registrations: Vec<Figure>,
    /// The registration form's choice fields, the one shown, and its figure.
    answer_fields: Vec<(String, String)>,
    answer_field: String,
    answer: Option<Figure>,
    languages: Figure,
    /// Each poll: its figure, question, voters, option names and splits by the voters'
    /// companies (a title and its groups).
    polls: Vec<PollView>,
    intent: Vec<Figure>,
    leads: Vec<Figure>,
    /// The outcome funnel's bars with their +30/+90/+180-day marks, and the marks' headings.
    steps: Vec<StepRow>,
    marks: Vec<String>,
    /// Directory interest: policies and parks read, eligible per policy.
    interest: Vec<Figure>,
    /// The comparison: the events' titles and addresses (this one last), and a row per
    /// headline figure.
    compared: Vec<(String, String)>,
    comparison: Vec<(String, Vec<String>)>,
    /// Per company (in `r.companies`' order): its owner and the steps it reached, dated.
    company_steps: Vec<String>,
    definitions: Vec<Definition>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// The registration form's field whose answers are shown.
    #[serde(default)]
    pub field: Option<String>,
}

fn figure(id: &str, table: &'static str, title: String, groups: &[ReportGroup]) -> Figure {
    let items: Vec<(String, u64, String)> = groups
        .iter()
        .map(|g| (g.label.clone(), g.count, g.count.to_string()))
        .collect();
    Figure {
        bars: bars(id, &title, &items),
        groups: groups.to_vec(),
        table,
    }
}

/// The report page (organisers and investment officers; an official sees their
/// department's questions and meetings).
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, Error> {
    let view = state.app.reports().event(&ctx.principal, &slug).await?;
    let labels = Labels::of(&view, ctx.lang);
    let r = Report::of(&view, &labels);
    let h = &r.headline;
    let stat = |key: &str, value: String| Stat {
        label: ctx.t(&format!("report-{key}")),
        value,
    };
    let stats = vec![
        stat("registered", h.registered.to_string()),
        Stat {
            label: format!(
                "{} ({} %)",
                ctx.t("report-attended"),
                r.attendance.attended_percent
            ),
            value: h.attended.to_string(),
        },
        stat("peak-concurrent", h.peak_concurrent.to_string()),
        stat("countries", h.countries.to_string()),
        stat("companies", h.companies.to_string()),
        stat("questions", h.questions.to_string()),
        stat("answered", h.answered.to_string()),
        stat("meetings-held", h.meetings_held.to_string()),
        stat("survey-answers", h.survey_answers.to_string()),
        stat("leads", h.leads.to_string()),
        stat("signed", h.signed.to_string()),
    ];
    let day_items: Vec<(String, u64, String)> = r
        .registrations
        .by_day
        .iter()
        .map(|d| {
            let day = d.date.format("%m-%d").to_string();
            (
                day.clone(),
                d.count,
                format!("{} · {} ({})", d.date, d.count, d.cumulative),
            )
        })
        .collect();
    let days = columns(&ctx.t("report-by-day"), &day_items);
    let registrations = vec![
        figure(
            "by-country",
            "registrations_by_country",
            ctx.t("report-by-country"),
            &r.registrations.by_country,
        ),
        figure(
            "by-industry",
            "registrations_by_industry",
            ctx.t("report-by-industry"),
            &r.registrations.by_industry,
        ),
        figure(
            "by-size",
            "registrations_by_size",
            ctx.t("report-by-size"),
            &r.registrations.by_size,
        ),
    ];
    let answer_fields: Vec<(String, String)> = r
        .registrations
        .by_answer
        .keys()
        .map(|k| (k.clone(), labels.field(k)))
        .collect();
    let answer_field = q
        .field
        .filter(|f| answer_fields.iter().any(|(k, _)| k == f))
        .or_else(|| answer_fields.first().map(|(k, _)| k.clone()))
        .unwrap_or_default();
    let answer = r.registrations.by_answer.get(&answer_field).map(|g| {
        figure(
            "by-answer",
            "registration_answers",
            labels.field(&answer_field),
            g,
        )
    });
    let languages = figure(
        "by-language",
        "questions_by_language",
        ctx.t("report-by-language"),
        &r.questions.by_language,
    );
    let polls = r
        .polls
        .iter()
        .map(|p| {
            let items: Vec<(String, u64, String)> = p
                .options
                .iter()
                .map(|o| {
                    (
                        o.label.clone(),
                        o.votes,
                        format!("{} ({} %)", o.votes, o.percent),
                    )
                })
                .collect();
            let groups = p
                .options
                .iter()
                .map(|o| ReportGroup {
                    key: o.label.clone(),
                    label: o.label.clone(),
                    count: o.votes,
                })
                .collect();
            PollView {
                figure: Figure {
                    bars: bars(&format!("poll-{}", p.poll_id), &p.question, &items),
                    groups,
                    table: "polls",
                },
                voters: p.voters,
                option_labels: p.options.iter().map(|o| o.label.clone()).collect(),
                splits: vec![
                    (ctx.t("report-by-country"), p.by_country.clone()),
                    (ctx.t("report-by-industry"), p.by_industry.clone()),
                    (ctx.t("report-by-size"), p.by_size.clone()),
                ],
            }
        })
        .collect();
    let intent = vec![
        figure(
            "interest",
            "intent",
            ctx.t("report-interest"),
            &r.intent.interest,
        ),
        figure(
            "investment",
            "intent",
            ctx.t("report-investment"),
            &r.intent.investment,
        ),
        figure(
            "timeline",
            "intent",
            ctx.t("report-timeline"),
            &r.intent.timeline,
        ),
        figure(
            "districts",
            "intent",
            ctx.t("report-districts"),
            &r.intent.districts,
        ),
    ];
    let leads = vec![
        figure(
            "by-stage",
            "leads",
            ctx.t("report-by-stage"),
            &r.leads.by_stage,
        ),
        figure(
            "by-source",
            "leads",
            ctx.t("report-by-source"),
            &r.leads.by_source,
        ),
        figure(
            "moved",
            "leads",
            ctx.t("report-moved-since-event"),
            &r.leads.moved_since_event,
        ),
    ];
    let named = |items: &[InterestItem]| -> Vec<ReportGroup> {
        items
            .iter()
            .map(|i| ReportGroup {
                key: i.id.to_string(),
                label: i.name.clone(),
                count: i.people,
            })
            .collect()
    };
    let interest = vec![
        figure(
            "policies-viewed",
            "directory_interest",
            ctx.t("report-policies-viewed"),
            &named(&r.interest.policies_viewed),
        ),
        figure(
            "parks-viewed",
            "directory_interest",
            ctx.t("report-parks-viewed"),
            &named(&r.interest.parks_viewed),
        ),
        figure(
            "eligible",
            "directory_interest",
            ctx.t("report-eligible-per-policy"),
            &named(&r.interest.eligible),
        ),
    ];
    let mut compared: Vec<(String, String)> = r
        .earlier_events
        .iter()
        .map(|e| (e.title.clone(), e.slug.clone()))
        .collect();
    compared.push((r.title.clone(), r.slug.clone()));
    let comparison = super::HEADLINE
        .iter()
        .map(|(key, figure)| {
            let mut row: Vec<String> = r
                .earlier_events
                .iter()
                .map(|e| figure(&e.headline).to_string())
                .collect();
            row.push(figure(&r.headline).to_string());
            (ctx.t(&format!("report-{key}")), row)
        })
        .collect();
    let company_steps = r
        .companies
        .iter()
        .map(|c| {
            FUNNEL
                .iter()
                .filter_map(|s| {
                    let at = c.reached.get(*s)?.with_timezone(&BEIJING).date_naive();
                    Some(format!("{} {at}", step_label(ctx.lang, s)))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .collect();
    let definitions = DEFINED
        .iter()
        .filter_map(|k| {
            Some(Definition {
                term: ctx.t(&format!("report-{}", k.replace('_', "-"))),
                text: r.definitions.get(*k)?.clone(),
            })
        })
        .collect();
    let now = Utc::now();
    let refresh =
        now >= r.starts_at - Duration::minutes(30) && now <= r.ends_at + Duration::minutes(30);
    Ok(render(&ReportPage {
        generated: time_view(&ctx, r.generated_at),
        answers_due: time_view(&ctx, r.questions.answers_due),
        refresh,
        capex: crate::leads::lead_pages::thousands(r.leads.announced_capex_cny),
        realised_capex: crate::leads::lead_pages::thousands(r.leads.realised_capex_cny),
        announced_rule: r.definitions.get("realised").cloned().unwrap_or_default(),
        measured: ctx.t(&format!("report-measured-{}", r.attendance.measured_by)),
        attended_rule: r.definitions.get("attended").cloned().unwrap_or_default(),
        stats,
        days,
        registrations,
        answer_fields,
        answer_field,
        answer,
        languages,
        polls,
        intent,
        leads,
        steps: step_rows(&r.funnel.steps),
        marks: mark_headers(&ctx, &r.funnel.milestones),
        interest,
        compared,
        comparison,
        company_steps,
        definitions,
        r,
        ctx: &ctx,
    }))
}
