//! The report as a PDF in one of the four languages. It leaves the staff's screens, so it
//! holds counts only (no company, no person, no question's text) and every count under
//! five is printed "< 5". Typeset in the process by typst (`roadshow-pdf`) from
//! `report.typ` and the JSON made here.

use super::labels::Labels;
use super::wire::{DEFINED, Report, ReportGroup, ReportPollResult, ReportPollSplit};
use roadshow_app::reports::EventReport;
use roadshow_domain::Lang;
use roadshow_domain::reports::{SMALL_GROUP, guarded, is_small, percent};
use roadshow_domain::time::{BEIJING, format_long_date};
use roadshow_i18n::{ArgValue, t, t_with};
use serde_json::{Value, json};

/// How many policies and parks the PDF's interest charts name.
const TOP_ITEMS: usize = 10;

/// The headline of the earlier events and this one side by side: a row per figure.
fn comparison(lang: Lang, r: &Report) -> Value {
    let events: Vec<(&str, &super::wire::ReportHeadline)> = r
        .earlier_events
        .iter()
        .map(|e| (e.title.as_str(), &e.headline))
        .chain(std::iter::once((r.title.as_str(), &r.headline)))
        .collect();
    let mut header = vec![String::new()];
    header.extend(events.iter().map(|(title, _)| title.to_string()));
    let rows: Vec<Value> = super::HEADLINE
        .iter()
        .map(|(key, figure)| {
            let mut row = vec![t(lang, &format!("report-{key}"))];
            row.extend(events.iter().map(|(_, h)| guarded(figure(h))));
            json!(row)
        })
        .collect();
    json!({ "title": "", "header": header, "rows": rows })
}

/// The template, compiled into the binary.
pub const TEMPLATE: &str = include_str!("report.typ");

/// A count with its share of `whole`, the share left out where the count is hidden.
fn with_percent(count: u64, whole: u64) -> String {
    if is_small(count) {
        guarded(count)
    } else {
        format!("{count} ({} %)", percent(count, whole))
    }
}

/// The length a count is drawn at: a small group as long as five would be (and pale), so
/// that its length tells nothing either.
fn drawn(count: u64) -> u64 {
    if is_small(count) { SMALL_GROUP } else { count }
}

/// A bar chart of `rows` (label, count): bars relative to the largest.
fn chart(title: String, rows: &[(String, u64)]) -> Value {
    let max = rows
        .iter()
        .map(|(_, c)| drawn(*c))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let rows: Vec<Value> = rows
        .iter()
        .map(|(label, count)| {
            json!({
                "label": label,
                "bar": drawn(*count) as f64 / max,
                "shown": guarded(*count),
                "small": is_small(*count),
            })
        })
        .collect();
    json!({ "title": title, "rows": rows })
}

fn groups_chart(title: String, groups: &[ReportGroup]) -> Value {
    let rows: Vec<(String, u64)> = groups.iter().map(|g| (g.label.clone(), g.count)).collect();
    chart(title, &rows)
}

fn stat(label: String, value: String) -> Value {
    json!({ "label": label, "value": value })
}

fn section(title: String, text: String) -> serde_json::Map<String, Value> {
    let mut s = serde_json::Map::new();
    s.insert("title".into(), Value::String(title));
    s.insert("text".into(), Value::String(text));
    for key in ["stats", "columns", "tables", "charts"] {
        s.insert(key.into(), Value::Array(Vec::new()));
    }
    s
}

fn push(s: &mut serde_json::Map<String, Value>, key: &str, value: Value) {
    if let Some(Value::Array(items)) = s.get_mut(key) {
        items.push(value);
    }
}

/// The registrations per day as columns, with the first and last day and the total.
fn days(lang: Lang, r: &Report) -> Value {
    let max = r
        .registrations
        .by_day
        .iter()
        .map(|d| drawn(d.count))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let days: Vec<Value> = r
        .registrations
        .by_day
        .iter()
        .map(|d| json!({ "bar": drawn(d.count) as f64 / max, "small": is_small(d.count) }))
        .collect();
    let total = r
        .registrations
        .by_day
        .last()
        .map(|d| d.cumulative)
        .unwrap_or(0);
    json!({
        "title": t(lang, "report-by-day"),
        "days": days,
        "first": r.registrations.by_day.first().map(|d| d.date.to_string()).unwrap_or_default(),
        "last": r.registrations.by_day.last().map(|d| d.date.to_string()).unwrap_or_default(),
        "summary": format!("{}: {}", t(lang, "report-cumulative"), guarded(total)),
    })
}

/// A poll's votes by a group of its voters. A group of fewer than five voters could be
/// one company, so such groups are printed together as one row, and only when together
/// they are five or more; every count under five is "< 5".
fn poll_split_table(
    lang: Lang,
    p: &ReportPollResult,
    by: &str,
    splits: &[ReportPollSplit],
) -> Value {
    let options = p.options.len();
    let mut rows: Vec<Value> = Vec::new();
    let (mut other_voters, mut other_votes) = (0u64, vec![0u64; options]);
    for s in splits {
        if s.voters >= SMALL_GROUP {
            let mut row = vec![s.label.clone(), s.voters.to_string()];
            row.extend(s.votes.iter().map(|v| guarded(*v)));
            rows.push(json!(row));
        } else {
            other_voters += s.voters;
            for (total, v) in other_votes.iter_mut().zip(&s.votes) {
                *total += v;
            }
        }
    }
    if other_voters >= SMALL_GROUP {
        let mut row = vec![t(lang, "report-other-groups"), other_voters.to_string()];
        row.extend(other_votes.iter().map(|v| guarded(*v)));
        rows.push(json!(row));
    }
    let mut header = vec![by.to_string(), t(lang, "report-voters")];
    header.extend(p.options.iter().map(|o| o.label.clone()));
    json!({ "title": format!("{} — {by}", p.question), "header": header, "rows": rows })
}

/// The data the template prints, all of it in `lang`.
pub fn data(view: &EventReport, r: &Report, labels: &Labels) -> Value {
    let lang = labels.lang;
    let tr = |key: &str| t(lang, key);
    let h = &r.headline;
    let headline = vec![
        stat(tr("report-registered"), guarded(h.registered)),
        stat(
            tr("report-attended"),
            with_percent(h.attended, h.registered),
        ),
        stat(tr("report-peak-concurrent"), guarded(h.peak_concurrent)),
        stat(tr("report-countries"), h.countries.to_string()),
        stat(tr("report-companies"), guarded(h.companies)),
        stat(tr("report-questions"), guarded(h.questions)),
        stat(tr("report-answered"), guarded(h.answered)),
        stat(tr("report-meetings-held"), guarded(h.meetings_held)),
        stat(tr("report-survey-answers"), guarded(h.survey_answers)),
        stat(tr("report-leads"), guarded(h.leads)),
        stat(tr("report-signed"), guarded(h.signed)),
    ];
    let mut sections = Vec::new();

    let mut s = section(tr("report-registrations"), String::new());
    push(&mut s, "columns", days(lang, r));
    for (key, groups) in [
        ("report-by-country", &r.registrations.by_country),
        ("report-by-industry", &r.registrations.by_industry),
        ("report-by-size", &r.registrations.by_size),
    ] {
        push(&mut s, "charts", groups_chart(tr(key), groups));
    }
    for (field, groups) in &r.registrations.by_answer {
        push(&mut s, "charts", groups_chart(labels.field(field), groups));
    }
    sections.push(s);

    let a = &r.attendance;
    let mut s = section(
        tr("report-attendance"),
        format!(
            "{} {}",
            tr(&format!("report-measured-{}", a.measured_by)),
            r.definitions.get("attended").cloned().unwrap_or_default()
        ),
    );
    for value in [
        stat(tr("report-viewers"), guarded(a.viewers)),
        stat(
            tr("report-attended"),
            with_percent(a.attended, h.registered),
        ),
        stat(tr("report-peak-concurrent"), guarded(a.peak_concurrent)),
        stat(tr("attendance-minutes-live"), a.minutes_live.to_string()),
        stat(
            tr("attendance-minutes-replay"),
            a.minutes_replay.to_string(),
        ),
    ] {
        push(&mut s, "stats", value);
    }
    sections.push(s);

    let q = &r.questions;
    let mut s = section(tr("report-questions-section"), String::new());
    let rows: Vec<Value> = q
        .by_department
        .iter()
        .map(|d| {
            json!([
                d.department,
                guarded(d.asked),
                guarded(d.answered_live),
                guarded(d.answered_in_writing),
                format!("{} %", d.answered_percent),
                d.median_minutes_to_answer
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "—".into()),
                guarded(d.overdue),
            ])
        })
        .collect();
    let header: Vec<String> = [
        "report-department",
        "report-asked",
        "report-answered-live",
        "report-answered-in-writing",
        "report-answered-share",
        "report-median-minutes",
        "report-overdue",
    ]
    .iter()
    .map(|k| tr(k))
    .collect();
    push(
        &mut s,
        "tables",
        json!({ "title": "", "header": header, "rows": rows }),
    );
    push(
        &mut s,
        "charts",
        groups_chart(tr("report-by-language"), &q.by_language),
    );
    sections.push(s);

    if !r.polls.is_empty() {
        let mut s = section(tr("report-polls"), String::new());
        for p in &r.polls {
            let rows: Vec<(String, u64)> = p
                .options
                .iter()
                .map(|o| (o.label.clone(), o.votes))
                .collect();
            let mut c = chart(
                format!(
                    "{} ({} = {})",
                    p.question,
                    tr("report-voters"),
                    guarded(p.voters)
                ),
                &rows,
            );
            // Beside each option its share, unless its count is hidden.
            if let Some(Value::Array(items)) = c.get_mut("rows") {
                for (item, o) in items.iter_mut().zip(&p.options) {
                    item["shown"] = Value::String(if is_small(o.votes) {
                        guarded(o.votes)
                    } else {
                        format!("{} ({} %)", o.votes, o.percent)
                    });
                }
            }
            push(&mut s, "charts", c);
            for (key, splits) in [
                ("report-by-country", &p.by_country),
                ("report-by-industry", &p.by_industry),
                ("report-by-size", &p.by_size),
            ] {
                push(
                    &mut s,
                    "tables",
                    poll_split_table(lang, p, &tr(key), splits),
                );
            }
        }
        sections.push(s);
    }

    let m = &r.meetings;
    let mut s = section(tr("report-meetings"), String::new());
    let counts = |c: &super::wire::ReportMeetingCounts| -> Vec<String> {
        [
            c.requested,
            c.accepted,
            c.declined,
            c.held,
            c.no_show,
            c.follow_up,
        ]
        .iter()
        .map(|n| guarded(*n))
        .collect()
    };
    let mut rows: Vec<Value> = m
        .by_department
        .iter()
        .map(|d| {
            let mut row = vec![d.department.clone()];
            row.extend(counts(&d.counts));
            json!(row)
        })
        .collect();
    let mut total = vec![tr("report-total")];
    total.extend(counts(&m.total));
    rows.push(json!(total));
    let header: Vec<String> = [
        "report-department",
        "report-requested",
        "report-accepted",
        "report-declined",
        "report-meetings-held",
        "report-no-show",
        "report-follow-up",
    ]
    .iter()
    .map(|k| tr(k))
    .collect();
    push(
        &mut s,
        "tables",
        json!({ "title": "", "header": header, "rows": rows }),
    );
    sections.push(s);

    let i = &r.intent;
    let mut s = section(tr("report-intent"), String::new());
    push(
        &mut s,
        "stats",
        stat(tr("report-survey-answers"), guarded(i.answers)),
    );
    push(
        &mut s,
        "stats",
        stat(tr("report-consented"), guarded(i.consented)),
    );
    // The share is left out where either count could point at a company.
    push(
        &mut s,
        "stats",
        stat(
            tr("report-intent-grew"),
            if is_small(i.grew) || is_small(i.compared) {
                format!("{} / {}", guarded(i.grew), guarded(i.compared))
            } else {
                format!("{} / {} ({} %)", i.grew, i.compared, i.grew_percent)
            },
        ),
    );
    for (key, groups) in [
        ("report-interest", &i.interest),
        ("report-investment", &i.investment),
        ("report-timeline", &i.timeline),
        ("report-districts", &i.districts),
    ] {
        push(&mut s, "charts", groups_chart(tr(key), groups));
    }
    sections.push(s);

    let l = &r.leads;
    let mut s = section(
        tr("report-leads-section"),
        r.definitions.get("realised").cloned().unwrap_or_default(),
    );
    push(&mut s, "stats", stat(tr("report-leads"), guarded(l.leads)));
    push(
        &mut s,
        "stats",
        stat(tr("report-signed"), guarded(l.signed)),
    );
    // A sum of fewer than five leads' figures could be one company's.
    let sum = |n: i64, from: u64| {
        if from >= SMALL_GROUP {
            crate::leads::lead_pages::thousands(n)
        } else if from == 0 {
            "0".to_string()
        } else {
            format!("< {SMALL_GROUP}")
        }
    };
    let (announced, realised) = (l.announced_from, l.realised_from);
    for (key, value) in [
        (
            "report-announced-capex",
            sum(l.announced_capex_cny, announced),
        ),
        ("report-announced-jobs", sum(l.announced_jobs, announced)),
        ("report-started", guarded(l.started)),
        ("report-realised-capex", sum(l.realised_capex_cny, realised)),
        ("report-realised-jobs", sum(l.realised_jobs, realised)),
    ] {
        push(&mut s, "stats", stat(tr(key), value));
    }
    push(
        &mut s,
        "charts",
        groups_chart(tr("report-by-stage"), &l.by_stage),
    );
    push(
        &mut s,
        "charts",
        groups_chart(tr("report-by-source"), &l.by_source),
    );
    push(
        &mut s,
        "stats",
        stat(
            tr("report-overdue-next-steps"),
            guarded(l.overdue_next_steps),
        ),
    );
    push(
        &mut s,
        "charts",
        groups_chart(tr("report-moved-since-event"), &l.moved_since_event),
    );
    sections.push(s);

    // The funnel with its marks; a mark not yet reached is a dash.
    let mut s = section(
        tr("report-funnel"),
        r.definitions.get("funnel").cloned().unwrap_or_default(),
    );
    let mark = |n: Option<u64>| n.map(guarded).unwrap_or_else(|| "—".into());
    let rows: Vec<Value> = r
        .funnel
        .steps
        .iter()
        .map(|f| {
            json!([
                f.label,
                guarded(f.companies),
                mark(f.within_30_days),
                mark(f.within_90_days),
                mark(f.within_180_days)
            ])
        })
        .collect();
    let mut header = vec![tr("report-step"), tr("report-companies")];
    header.extend(r.funnel.milestones.iter().map(|m| {
        t_with(
            lang,
            "report-within-days",
            &[("days", ArgValue::Number(m.days as f64))],
        )
    }));
    push(
        &mut s,
        "tables",
        json!({ "title": "", "header": header, "rows": rows }),
    );
    sections.push(s);

    let i = &r.interest;
    let mut s = section(
        tr("report-directory-interest"),
        r.definitions
            .get("directory_interest")
            .cloned()
            .unwrap_or_default(),
    );
    for (key, n) in [
        ("report-readers", i.readers),
        ("report-eligibility-checks", i.eligibility_checks),
        ("report-eligibility-checkers", i.eligibility_checkers),
    ] {
        push(&mut s, "stats", stat(tr(key), guarded(n)));
    }
    for (key, items) in [
        ("report-policies-viewed", &i.policies_viewed),
        ("report-parks-viewed", &i.parks_viewed),
        ("report-eligible-per-policy", &i.eligible),
    ] {
        let rows: Vec<(String, u64)> = items
            .iter()
            .take(TOP_ITEMS)
            .map(|x| (x.name.clone(), x.people))
            .collect();
        push(&mut s, "charts", chart(tr(key), &rows));
    }
    sections.push(s);

    if !r.earlier_events.is_empty() {
        let mut s = section(tr("report-comparison"), tr("report-comparison-hint"));
        push(&mut s, "tables", comparison(lang, r));
        sections.push(s);
    }

    let definitions: Vec<Value> = DEFINED
        .iter()
        .filter_map(|k| {
            Some(json!({
                "term": tr(&format!("report-{}", k.replace('_', "-"))),
                "text": r.definitions.get(*k)?,
            }))
        })
        .collect();
    let page = &view.page;
    let mut note = tr("report-pdf-small-groups");
    if r.department_only.is_some() {
        note = format!("{} {note}", tr("report-own-department"));
    }
    let start = r.starts_at.with_timezone(&BEIJING);
    let end = r.ends_at.with_timezone(&BEIJING);
    json!({
        "lang": lang.code(),
        "agency": page.agency.name.get(lang),
        "event": page.event.title.get(lang),
        "title": tr("report-title"),
        "when": format!(
            "{}, {}–{} {}",
            format_long_date(r.starts_at, BEIJING, lang),
            start.format("%H:%M"),
            end.format("%H:%M"),
            tr("time-beijing-short"),
        ),
        "generated": format!(
            "{} {} {} {}",
            tr("report-generated"),
            format_long_date(r.generated_at, BEIJING, lang),
            r.generated_at.with_timezone(&BEIJING).format("%H:%M"),
            tr("time-beijing-short"),
        ),
        "note": note,
        "labels": {
            "headline": tr("report-headline"),
            "definitions": tr("report-definitions"),
            "none": tr("report-none"),
        },
        "headline": headline,
        "sections": sections,
        "definitions": definitions,
    })
}

/// The PDF of `data`, typeset off the async threads (typesetting is CPU work).
pub async fn render(data: Value) -> Result<roadshow_pdf::Rendered, roadshow_pdf::PdfError> {
    match tokio::task::spawn_blocking(move || roadshow_pdf::render(TEMPLATE, &data)).await {
        Ok(result) => result,
        Err(e) => Err(roadshow_pdf::PdfError::Export(e.to_string())),
    }
}
