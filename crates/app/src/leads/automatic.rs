//! What happens to leads without an officer: a company becomes a lead when its survey
//! answer says "considering" or more or a host wants a follow-up, the assignment rules
//! give it an owner (else it waits in the pool), its score follows its signals, and task
//! reminders go out on the due date.

use super::Leads;
use crate::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::outbox::EmailMessage;
use roadshow_domain::surveys::ResponseDraft;
use roadshow_i18n::{ArgValue, t, t_with};

/// Companies whose signals changed, waiting for their leads' scores to be brought up to
/// date. A background task takes them in batches (every 100 ms at most 1,000), so that a
/// signal costs the action that caused it one insert, and a busy live event many fewer
/// queries: one read of the batch's leads, one of their signals' tallies (counted by the
/// database: a row per kind, not every signal), one write.
pub struct ScoreQueue {
    sender: tokio::sync::mpsc::UnboundedSender<CompanyId>,
}

/// Companies a batch holds at most.
const SCORE_BATCH: usize = 1_000;

impl ScoreQueue {
    pub(crate) fn start(store: std::sync::Arc<dyn roadshow_domain::store::Store>) -> ScoreQueue {
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<CompanyId>();
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(SCORE_BATCH);
            while receiver.recv_many(&mut batch, SCORE_BATCH).await > 0 {
                // Let a burst gather, so one batch serves it.
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let room = SCORE_BATCH.saturating_sub(batch.len());
                if room > 0 {
                    while let Ok(c) = receiver.try_recv() {
                        batch.push(c);
                        if batch.len() >= SCORE_BATCH {
                            break;
                        }
                    }
                }
                batch.sort();
                batch.dedup();
                if let Err(err) = refresh_scores(store.as_ref(), &batch).await {
                    tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "updating lead scores failed"
                    );
                }
                batch.clear();
            }
        });
        ScoreQueue { sender }
    }

    pub(crate) fn push(&self, company: CompanyId) {
        // The receiver lives as long as the runtime; a send after it is gone has nothing to do.
        let _ = self.sender.send(company);
    }
}

/// Recomputes the scores of these companies' leads from their signals' tallies; writes
/// the ones that changed.
async fn refresh_scores(
    store: &dyn roadshow_domain::store::Store,
    companies: &[CompanyId],
) -> crate::AppResult<()> {
    let leads = store.lead_scores(companies).await?;
    if leads.is_empty() {
        return Ok(());
    }
    let ids: Vec<CompanyId> = leads.iter().map(|(c, _)| *c).collect();
    let tallies: std::collections::HashMap<CompanyId, score::Tally> =
        store.score_tallies(&ids).await?.into_iter().collect();
    let changed: Vec<(CompanyId, i64)> = leads
        .into_iter()
        .filter_map(|(company, stored)| {
            let total = tallies
                .get(&company)
                .map_or(0, |tally| score::score_of(tally).total);
            (total != stored).then_some((company, total))
        })
        .collect();
    store.set_lead_scores(&changed).await?;
    Ok(())
}

impl Leads<'_> {
    /// Queues the company's lead score to be brought up to date with its signals.
    pub(crate) fn score_later(&self, company: CompanyId) {
        self.app.scores.push(company);
    }

    /// Brings the company's lead score up to date with its signals (logged on failure:
    /// the action that caused it stands).
    pub async fn refresh_score(&self, company: CompanyId) {
        if let Err(err) = refresh_scores(self.app.store.as_ref(), &[company]).await {
            tracing::error!(
                error = &err as &dyn std::error::Error,
                "updating a lead score failed"
            );
        }
    }

    /// Makes the company (of `country`) a lead when it is not one yet, owned as the
    /// agency's rules say; `project` fills a new lead's details.
    pub(crate) async fn ensure(
        &self,
        company: CompanyId,
        country: &str,
        source: LeadSource,
        project: Option<&ResponseDraft>,
    ) -> AppResult<Lead> {
        let store = &self.app.store;
        let agency = store
            .company_agency(company)
            .await?
            .ok_or(crate::AppError::NotFound)?;
        if let Some(existing) = store.company_lead(company).await? {
            return Ok(existing);
        }
        let rules = store.assignment_rules(agency).await?;
        let sector = project.and_then(|p| p.sectors.first().cloned());
        let districts = project.map(|p| p.districts.clone()).unwrap_or_default();
        let owner = assign(&rules, sector.as_deref(), &districts, country);
        let now = Utc::now();
        let (lead, made) = store.ensure_lead(company, source, owner, None, now).await?;
        let lead = match (made, project) {
            (true, Some(p)) => {
                let draft = ProjectDraft {
                    project: Project {
                        sector: sector.or(lead.project.sector.clone()),
                        activity: p.project_type,
                        capex_cny: p.investment.and_then(|b| b.estimate_cny()),
                        target_district: p.districts.first().cloned(),
                        target_park_id: p.parks.first().copied(),
                        notes: p.comment.clone().unwrap_or_default(),
                        ..lead.project.clone()
                    },
                    owner_id: lead.owner_id,
                };
                let changes = project_changes(&lead.project, lead.owner_id, &draft);
                store
                    .update_lead(lead.id, &draft, &changes, None, now, None)
                    .await?
            }
            _ => lead,
        };
        self.refresh_score(lead.company.id).await;
        Ok(lead)
    }

    /// Sends each open task's reminder once, on its due date, to its assignee.
    pub async fn send_task_reminders(
        &self,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> AppResult<usize> {
        let due = self.app.store.tasks_to_remind(today).await?;
        let mut written = 0;
        for task in due {
            let Some(assignee) = task.assignee_id else {
                continue;
            };
            let Some(lead) = self.app.store.lead(task.lead_id).await? else {
                continue;
            };
            let Some(account) = self
                .app
                .store
                .accounts(lead.agency_id)
                .await?
                .into_iter()
                .find(|a| a.id == assignee)
            else {
                continue;
            };
            if !self.app.store.claim_task_reminder(task.id, now).await? {
                continue;
            }
            let message = task_reminder(
                &task,
                &account.email,
                account.language,
                &self.app.config.base_url,
            );
            self.app
                .store
                .enqueue_email(
                    Some(lead.agency_id),
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

/// A task's reminder to its assignee, in their account's language.
fn task_reminder(task: &Task, to: &str, lang: roadshow_domain::Lang, base: &str) -> EmailMessage {
    let arg = |v: &str| ArgValue::Text(v.to_string());
    let body = format!(
        "{}\n\n{} — {}\n{}: {}\n\n{}\n",
        t(lang, "lead-task-reminder-intro"),
        task.company_name,
        task.title,
        t(lang, "lead-task-due"),
        task.due_on,
        crate::links::lead(base, task.lead_id.0)
    );
    EmailMessage {
        to: to.to_string(),
        subject: t_with(
            lang,
            "lead-task-reminder-subject",
            &[("task", arg(&task.title))],
        ),
        body_text: body,
        attachments: vec![],
    }
}
