//! The report emailed to chosen staff 1, 30 and 90 days after the event, each in their
//! own language and as they may read it (an official gets their department's figures).
//! The email holds the headline's counts, groups under five as "< 5" (it leaves the
//! staff's screens), and the links to the report and its PDF; nothing else.

use super::{EventReport, Reports};
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::accounts::{Account, Role};
use roadshow_domain::events::Event;
use roadshow_domain::outbox::EmailMessage;
use roadshow_domain::reports::{ScheduleInput, ScheduledReport, due_at, guarded, may_receive};
use roadshow_domain::time::{BEIJING, format_long_date};
use roadshow_i18n::{ArgValue, t, t_with};

/// Sendings written per run of the scheduler.
const BATCH: i64 = 50;

/// An event's schedule with the staff who may be chosen.
#[derive(Debug, Clone)]
pub struct ReportSchedule {
    pub event: Event,
    pub entries: Vec<ScheduledReport>,
    /// The agency's staff who may receive the report, by name.
    pub candidates: Vec<Account>,
}

impl Reports<'_> {
    /// Who gets the event's report when (organisers and investment officers).
    pub async fn schedule(&self, principal: &Principal, slug: &str) -> AppResult<ReportSchedule> {
        let staff = principal.as_staff()?;
        if !matches!(staff.role, Role::Organiser | Role::InvestmentOfficer) {
            return Err(AppError::Forbidden);
        }
        let page = self.app.event_of(principal, slug).await?;
        principal.as_staff_of(page.event.agency_id)?;
        let store = &self.app.store;
        let mut candidates = store.accounts(page.event.agency_id).await?;
        candidates.retain(may_receive);
        candidates.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
        Ok(ReportSchedule {
            entries: store.report_schedule(page.event.id).await?,
            event: page.event.clone(),
            candidates,
        })
    }

    /// Replaces the schedule (the event's organiser): sendings made stay on record.
    pub async fn set_schedule(
        &self,
        principal: &Principal,
        slug: &str,
        input: &ScheduleInput,
    ) -> AppResult<ReportSchedule> {
        // Who may not read it learns that first; then only the agency's organiser changes it.
        let current = self.schedule(principal, slug).await?;
        principal.as_organiser_of(current.event.agency_id)?;
        let entries = input.parse(&current.candidates)?;
        let store = &self.app.store;
        store
            .set_report_schedule(current.event.id, &entries)
            .await?;
        Ok(ReportSchedule {
            entries: store.report_schedule(current.event.id).await?,
            ..current
        })
    }

    /// Writes the sendings due at `now` into the outbox, each claimed first so that
    /// several processes send each once. Returns how many were written.
    pub async fn send_due(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let store = &self.app.store;
        let mut written = 0;
        for due in store.due_reports(now, BATCH).await? {
            let Some(event) = store.event(due.event_id).await? else {
                continue;
            };
            let staff = store.accounts(event.agency_id).await?;
            let Some(account) = staff.into_iter().find(|a| a.id == due.account_id) else {
                continue;
            };
            // The report first: a failure leaves the sending due for the next run rather
            // than claimed and lost.
            let as_them = Principal::Staff(account.clone());
            let view = match self.compute(&as_them, &event.slug).await {
                Ok(view) => Some(view),
                // Their role changed since: nothing to send them, ever.
                Err(AppError::Forbidden | AppError::NotFound) => None,
                Err(e) => return Err(e),
            };
            // Claimed also when nothing goes, so that it is not tried again each run.
            if !store.claim_report(&due, now).await? {
                continue;
            }
            let Some(view) = view else {
                continue;
            };
            let message = email(&view, &account, due.days_after, &self.app.config.base_url);
            store
                .enqueue_email(
                    Some(event.agency_id),
                    &message,
                    self.app.sender.initial_status(),
                )
                .await?;
            written += 1;
        }
        if written > 0 {
            self.app.sender.wake();
        }
        Ok(written)
    }
}

/// When the sending of `days` after the event is due.
pub fn due(event: &Event, days: i64) -> DateTime<Utc> {
    due_at(event.ends_at, days)
}

/// The report's email to one staff member in their language.
pub fn email(view: &EventReport, to: &Account, days: i64, base: &str) -> EmailMessage {
    let lang = to.language;
    let event = &view.page.event;
    let title = event.title.get(lang).to_string();
    let h = &view.report.headline;
    let arg = |v: &str| ArgValue::Text(v.to_string());
    let rows = [
        ("report-registered", h.registered),
        ("report-attended", h.attended),
        ("report-countries", h.countries),
        ("report-companies", h.companies),
        ("report-questions", h.questions),
        ("report-answered", h.answered),
        ("report-meetings-held", h.meetings_held),
        ("report-survey-answers", h.survey_answers),
        ("report-leads", h.leads),
        ("report-signed", h.signed),
    ];
    let mut body = t_with(
        lang,
        "report-email-intro",
        &[
            ("event", arg(&title)),
            (
                "date",
                arg(&format_long_date(event.starts_at, BEIJING, lang)),
            ),
            ("days", ArgValue::Number(days as f64)),
        ],
    );
    body.push_str("\n\n");
    for (key, n) in rows {
        body.push_str(&format!("{}: {}\n", t(lang, key), guarded(n)));
    }
    if view.department_only.is_some() {
        body.push('\n');
        body.push_str(&t(lang, "report-own-department"));
        body.push('\n');
    }
    body.push_str(&format!(
        "\n{}\n{}/admin/events/{}/report?lang={}\n{}\n{}/admin/events/{}/report.pdf?lang={}\n\n{}\n",
        t(lang, "report-email-page"),
        base,
        event.slug,
        lang.code(),
        t(lang, "report-email-pdf"),
        base,
        event.slug,
        lang.code(),
        t(lang, "report-email-why"),
    ));
    EmailMessage {
        to: to.email.clone(),
        subject: t_with(
            lang,
            "report-email-subject",
            &[
                ("event", arg(&title)),
                ("days", ArgValue::Number(days as f64)),
            ],
        ),
        body_text: body,
        attachments: vec![],
    }
}
