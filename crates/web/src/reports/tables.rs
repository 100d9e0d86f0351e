//! The report as tables: each one a CSV file, all of them the sheets of one workbook.
//! Names and headers are stable English (the JSON's keys); names of things are in the
//! reader's language beside their codes.

use super::wire::{Report, ReportGroup, ReportHeadline};
use chrono::SecondsFormat;
use roadshow_domain::reports::FUNNEL;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn int(n: i64) -> Cell {
        // Figures here are counts and CNY amounts, well within a double's exact range.
        Cell::Number(n as f64)
    }

    fn count(n: u64) -> Cell {
        Cell::Number(n as f64)
    }

    fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

pub struct Table {
    pub name: &'static str,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

/// The names of the tables, in the workbook's order.
pub const NAMES: &[&str] = &[
    "headline",
    "registrations_by_day",
    "registrations_by_country",
    "registrations_by_industry",
    "registrations_by_size",
    "registration_answers",
    "attendance",
    "questions_by_department",
    "questions_by_language",
    "open_questions",
    "polls",
    "poll_splits",
    "meetings_by_department",
    "intent",
    "leads",
    "funnel",
    "directory_interest",
    "comparison",
    "companies",
];

fn groups(name: &'static str, gs: &[ReportGroup]) -> Table {
    Table {
        name,
        headers: &["key", "label", "count"],
        rows: gs
            .iter()
            .map(|g| {
                vec![
                    Cell::text(&g.key),
                    Cell::text(&g.label),
                    Cell::count(g.count),
                ]
            })
            .collect(),
    }
}

fn listed(name: &'static str, lists: &[(&str, &[ReportGroup])]) -> Table {
    Table {
        name,
        headers: &["list", "key", "label", "count"],
        rows: lists
            .iter()
            .flat_map(|(list, gs)| {
                gs.iter().map(|g| {
                    vec![
                        Cell::text(*list),
                        Cell::text(&g.key),
                        Cell::text(&g.label),
                        Cell::count(g.count),
                    ]
                })
            })
            .collect(),
    }
}

/// Every table of the report. `companies` is empty for an official's report.
pub fn tables(r: &Report) -> Vec<Table> {
    let h = &r.headline;
    let a = &r.attendance;
    let headline = [
        ("registered", h.registered),
        ("attended", h.attended),
        ("peak_concurrent", h.peak_concurrent),
        ("countries", h.countries),
        ("companies", h.companies),
        ("questions", h.questions),
        ("answered", h.answered),
        ("meetings_held", h.meetings_held),
        ("survey_answers", h.survey_answers),
        ("leads", h.leads),
        ("signed", h.signed),
    ];
    let answers = r
        .registrations
        .by_answer
        .iter()
        .flat_map(|(field, gs)| {
            gs.iter().map(move |g| {
                vec![
                    Cell::text(field),
                    Cell::text(&g.key),
                    Cell::text(&g.label),
                    Cell::count(g.count),
                ]
            })
        })
        .collect();
    vec![
        Table {
            name: "headline",
            headers: &["figure", "value"],
            rows: headline
                .iter()
                .map(|(k, v)| vec![Cell::text(*k), Cell::count(*v)])
                .collect(),
        },
        Table {
            name: "registrations_by_day",
            headers: &["date", "count", "cumulative"],
            rows: r
                .registrations
                .by_day
                .iter()
                .map(|d| {
                    vec![
                        Cell::text(d.date.to_string()),
                        Cell::count(d.count),
                        Cell::count(d.cumulative),
                    ]
                })
                .collect(),
        },
        groups("registrations_by_country", &r.registrations.by_country),
        groups("registrations_by_industry", &r.registrations.by_industry),
        groups("registrations_by_size", &r.registrations.by_size),
        Table {
            name: "registration_answers",
            headers: &["field", "key", "label", "count"],
            rows: answers,
        },
        Table {
            name: "attendance",
            headers: &["figure", "value"],
            rows: vec![
                vec![Cell::text("measured_by"), Cell::text(&a.measured_by)],
                vec![Cell::text("viewers"), Cell::count(a.viewers)],
                vec![Cell::text("attended"), Cell::count(a.attended)],
                vec![
                    Cell::text("attended_percent"),
                    Cell::count(a.attended_percent),
                ],
                vec![
                    Cell::text("attended_minutes"),
                    Cell::int(a.attended_minutes),
                ],
                vec![
                    Cell::text("peak_concurrent"),
                    Cell::count(a.peak_concurrent),
                ],
                vec![Cell::text("minutes_live"), Cell::int(a.minutes_live)],
                vec![Cell::text("minutes_replay"), Cell::int(a.minutes_replay)],
            ],
        },
        Table {
            name: "questions_by_department",
            headers: &[
                "department_id",
                "department",
                "asked",
                "answered_live",
                "answered_in_writing",
                "answered_percent",
                "median_minutes_to_answer",
                "overdue",
            ],
            rows: r
                .questions
                .by_department
                .iter()
                .map(|d| {
                    vec![
                        d.department_id.map(Cell::int).unwrap_or(Cell::Empty),
                        Cell::text(&d.department),
                        Cell::count(d.asked),
                        Cell::count(d.answered_live),
                        Cell::count(d.answered_in_writing),
                        Cell::count(d.answered_percent),
                        d.median_minutes_to_answer
                            .map(Cell::int)
                            .unwrap_or(Cell::Empty),
                        Cell::count(d.overdue),
                    ]
                })
                .collect(),
        },
        groups("questions_by_language", &r.questions.by_language),
        Table {
            name: "open_questions",
            headers: &["question_id", "text", "votes", "department"],
            rows: r
                .questions
                .top_unanswered
                .iter()
                .map(|q| {
                    vec![
                        Cell::int(q.question_id),
                        Cell::text(&q.text),
                        Cell::int(q.votes),
                        Cell::text(&q.department),
                    ]
                })
                .collect(),
        },
        Table {
            name: "polls",
            headers: &[
                "poll_id", "question", "voters", "option", "votes", "percent",
            ],
            rows: r
                .polls
                .iter()
                .flat_map(|p| {
                    p.options.iter().map(|o| {
                        vec![
                            Cell::int(p.poll_id),
                            Cell::text(&p.question),
                            Cell::count(p.voters),
                            Cell::text(&o.label),
                            Cell::count(o.votes),
                            Cell::count(o.percent),
                        ]
                    })
                })
                .collect(),
        },
        Table {
            name: "poll_splits",
            headers: &[
                "poll_id", "question", "by", "key", "label", "voters", "option", "votes",
            ],
            rows: r
                .polls
                .iter()
                .flat_map(|p| {
                    [
                        ("country", &p.by_country),
                        ("industry", &p.by_industry),
                        ("size", &p.by_size),
                    ]
                    .into_iter()
                    .flat_map(move |(by, splits)| {
                        splits.iter().flat_map(move |s| {
                            p.options.iter().zip(&s.votes).map(move |(o, votes)| {
                                vec![
                                    Cell::int(p.poll_id),
                                    Cell::text(&p.question),
                                    Cell::text(by),
                                    Cell::text(&s.key),
                                    Cell::text(&s.label),
                                    Cell::count(s.voters),
                                    Cell::text(&o.label),
                                    Cell::count(*votes),
                                ]
                            })
                        })
                    })
                })
                .collect(),
        },
        Table {
            name: "meetings_by_department",
            headers: &[
                "department_id",
                "department",
                "requested",
                "accepted",
                "declined",
                "scheduled",
                "held",
                "no_show",
                "follow_up",
            ],
            rows: r
                .meetings
                .by_department
                .iter()
                .map(|d| {
                    let c = &d.counts;
                    vec![
                        Cell::int(d.department_id),
                        Cell::text(&d.department),
                        Cell::count(c.requested),
                        Cell::count(c.accepted),
                        Cell::count(c.declined),
                        Cell::count(c.scheduled),
                        Cell::count(c.held),
                        Cell::count(c.no_show),
                        Cell::count(c.follow_up),
                    ]
                })
                .collect(),
        },
        listed(
            "intent",
            &[
                ("interest", &r.intent.interest),
                ("investment", &r.intent.investment),
                ("timeline", &r.intent.timeline),
                ("districts", &r.intent.districts),
                ("sectors", &r.intent.sectors),
                ("change", &r.intent.change),
            ],
        ),
        listed(
            "leads",
            &[
                ("stage", &r.leads.by_stage),
                ("source", &r.leads.by_source),
                ("moved_since_event", &r.leads.moved_since_event),
            ],
        ),
        Table {
            name: "funnel",
            headers: &[
                "step",
                "label",
                "companies",
                "within_30_days",
                "within_90_days",
                "within_180_days",
            ],
            rows: r
                .funnel
                .steps
                .iter()
                .map(|f| {
                    let mark = |n: Option<u64>| n.map(Cell::count).unwrap_or(Cell::Empty);
                    vec![
                        Cell::text(&f.step),
                        Cell::text(&f.label),
                        Cell::count(f.companies),
                        mark(f.within_30_days),
                        mark(f.within_90_days),
                        mark(f.within_180_days),
                    ]
                })
                .collect(),
        },
        interest(r),
        comparison(r),
        Table {
            name: "companies",
            headers: &[
                "company",
                "country",
                "industry",
                "size",
                "registered",
                "attended",
                "minutes",
                "questions",
                "meetings_requested",
                "meetings_held",
                "interest",
                "lead_stage",
                "owner",
                "registered_at",
                "attended_at",
                "asked_at",
                "met_at",
                "intent_at",
                "lead_at",
                "site_visit_at",
                "signed_at",
                "started_at",
                "capital_in_place_at",
            ],
            rows: r
                .companies
                .iter()
                .map(|c| {
                    let mut row = vec![
                        Cell::text(&c.name),
                        Cell::text(&c.country),
                        Cell::text(&c.industry),
                        Cell::text(&c.size),
                        Cell::count(c.registered),
                        Cell::count(c.attended),
                        Cell::int(c.minutes),
                        Cell::count(c.questions),
                        Cell::count(c.meetings_requested),
                        Cell::count(c.meetings_held),
                        c.interest.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                        c.lead_stage.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                        c.owner.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                    ];
                    // Each step's time in UTC (RFC 3339), in the funnel's order.
                    row.extend(FUNNEL.iter().map(|s| {
                        c.reached
                            .get(*s)
                            .map(|t| Cell::Text(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
                            .unwrap_or(Cell::Empty)
                    }));
                    row
                })
                .collect(),
        },
    ]
}

/// The directory interest: the summary figures, then each policy and park by the
/// people who read it or came out eligible for it.
fn interest(r: &Report) -> Table {
    let i = &r.interest;
    let mut rows: Vec<Vec<Cell>> = [
        ("readers", i.readers),
        ("eligibility_checks", i.eligibility_checks),
        ("eligibility_checkers", i.eligibility_checkers),
    ]
    .iter()
    .map(|(k, n)| vec![Cell::text(*k), Cell::Empty, Cell::Empty, Cell::count(*n)])
    .collect();
    for (list, items) in [
        ("policies_viewed", &i.policies_viewed),
        ("parks_viewed", &i.parks_viewed),
        ("eligible", &i.eligible),
    ] {
        rows.extend(items.iter().map(|x| {
            vec![
                Cell::text(list),
                Cell::int(x.id),
                Cell::text(&x.name),
                Cell::count(x.people),
            ]
        }));
    }
    Table {
        name: "directory_interest",
        headers: &["list", "id", "name", "people"],
        rows,
    }
}

/// The agency's earlier events and this one, a row each with the headline.
fn comparison(r: &Report) -> Table {
    let row =
        |slug: &str, title: &str, starts: &chrono::DateTime<chrono::Utc>, h: &ReportHeadline| {
            let mut row = vec![
                Cell::text(slug),
                Cell::text(title),
                Cell::Text(starts.to_rfc3339_opts(SecondsFormat::Secs, true)),
            ];
            row.extend(super::HEADLINE.iter().map(|(_, f)| Cell::count(f(h))));
            row
        };
    let mut rows: Vec<Vec<Cell>> = r
        .earlier_events
        .iter()
        .map(|e| row(&e.slug, &e.title, &e.starts_at, &e.headline))
        .collect();
    rows.push(row(&r.slug, &r.title, &r.starts_at, &r.headline));
    Table {
        name: "comparison",
        headers: &[
            "event",
            "title",
            "starts_at",
            "registered",
            "attended",
            "peak_concurrent",
            "countries",
            "companies",
            "questions",
            "answered",
            "meetings_held",
            "survey_answers",
            "leads",
            "signed",
        ],
        rows,
    }
}

/// One table as CSV (RFC 4180, CRLF line ends), every text cell defused against formula
/// injection.
pub fn csv(table: &Table) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(table.headers)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => roadshow_domain::text::spreadsheet_safe(s),
            other => other.as_text(),
        }))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every table as a sheet of one workbook. Text goes in as text cells, which a
/// spreadsheet never evaluates, so a name starting with `=` stays a name.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(table.name)?;
        for (c, h) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c as u16, s)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c as u16, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "t",
            headers: &["key", "count"],
            rows: vec![
                vec![Cell::text("=HYPERLINK(\"x\")"), Cell::count(3)],
                vec![Cell::text("Müller, \"GmbH\""), Cell::Empty],
            ],
        }
    }

    #[test]
    fn csv_defuses_formulas_and_quotes_what_needs_it() {
        let text = csv(&table()).unwrap();
        assert_eq!(
            text,
            "key,count\r\n\"'=HYPERLINK(\"\"x\"\")\",3\r\n\"Müller, \"\"GmbH\"\"\",\r\n"
        );
    }

    #[test]
    fn every_table_has_a_sheet_name_a_spreadsheet_accepts() {
        for name in NAMES {
            assert!(name.len() <= 31, "{name}");
        }
        let book = xlsx(&[table()]).unwrap();
        // A zip archive (the XLSX container).
        assert_eq!(&book[..2], b"PK");
    }
}
