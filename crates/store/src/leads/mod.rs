//! Leads with their tasks, recorded changes and assignment rules; companies (summaries,
//! merges, contacts) are in `companies.rs`, assignment rules in `rules.rs`, tasks in
//! `tasks.rs`. A lead's project is kept as JSON, with the fields lists filter by
//! (sector, district, next step's date) as columns too.

mod changes;
mod companies;
mod edits;
mod rules;
mod tasks;

use crate::dialect::Relaxed;
use crate::rows::{self, get, json, time, to_json};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
pub(crate) use changes::{change, record_change};
use chrono::{DateTime, NaiveDate, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

const LEAD_SELECT: &str = "SELECT l.id, l.agency_id, l.company_id, c.name AS company_name, c.country AS company_country, \
     c.industry AS company_industry, c.website AS company_website, c.is_sample AS company_sample, l.stage, l.lost_reason, l.owner_id, u.display_name AS owner_name, \
     l.project, l.source, l.score, l.created_at, l.updated_at, l.version, \
     (SELECT COUNT(*) FROM lead_tasks t WHERE t.lead_id = l.id AND t.done_at IS NULL) AS open_tasks \
     FROM leads l JOIN companies c ON c.id = l.company_id LEFT JOIN accounts u ON u.id = l.owner_id";

fn lead_row(row: &AnyRow) -> StoreResult<Lead> {
    let stage: String = get(row, "stage")?;
    let source: String = get(row, "source")?;
    Ok(Lead {
        id: LeadId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        company: LeadCompany {
            id: CompanyId(get(row, "company_id")?),
            name: get(row, "company_name")?,
            country: get(row, "company_country")?,
            industry: get(row, "company_industry")?,
            website: get(row, "company_website")?,
            is_sample: rows::flag(row, "company_sample")?,
        },
        stage: Stage::parse(&stage).ok_or_else(|| rows::corrupt("stage", &stage))?,
        lost_reason: get(row, "lost_reason")?,
        owner_id: get::<Option<i64>>(row, "owner_id")?.map(AccountId),
        owner_name: get(row, "owner_name")?,
        project: json(row, "project")?,
        source: LeadSource::parse(&source).ok_or_else(|| rows::corrupt("source", &source))?,
        score: get(row, "score")?,
        open_tasks: get(row, "open_tasks")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: get(row, "version")?,
    })
}

impl SqlStore {
    /// How many leads of the agency match `f` (the company is joined only when a filter
    /// needs it).
    async fn count_leads(&self, agency: AgencyId, f: &LeadFilter) -> StoreResult<i64> {
        let (clause, texts, numbers) = filter_sql(f);
        let join = if f.country.is_some() || f.company.is_some() {
            " JOIN companies c ON c.id = l.company_id"
        } else {
            ""
        };
        let sql = format!("SELECT COUNT(*) FROM leads l{join} WHERE {clause}");
        let mut count = sqlx::query_scalar::<_, i64>(&sql).bind(agency.0);
        for t in &texts {
            count = count.bind(t.clone());
        }
        for n in &numbers {
            count = count.bind(*n);
        }
        count.fetch_one(&self.read).await.map_err(backend_error)
    }

    /// One page of the agency's leads matching `f`, best score first.
    async fn list_leads(&self, agency: AgencyId, f: &LeadFilter) -> StoreResult<Vec<Lead>> {
        let (clause, texts, numbers) = filter_sql(f);
        let n = 2 + texts.len() + numbers.len();
        let sql = format!(
            "{LEAD_SELECT} WHERE {clause} ORDER BY l.score DESC, l.id LIMIT ${n} OFFSET ${}",
            n + 1
        );
        let mut list = sqlx::query(&sql).bind(agency.0);
        for t in &texts {
            list = list.bind(t.clone());
        }
        for n in &numbers {
            list = list.bind(*n);
        }
        let rows = list
            .bind(f.limit.clamp(1, 500))
            .bind(f.offset.max(0))
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(lead_row).collect()
    }

    pub(super) async fn lead_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: LeadId,
    ) -> StoreResult<Lead> {
        let row = sqlx::query(&format!("{LEAD_SELECT} WHERE l.id = $1"))
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(backend_error)?
            .ok_or(StoreError::NotFound)?;
        lead_row(&row)
    }
}

/// The WHERE clause and its text arguments for a filter (after `$1`, the agency).
fn filter_sql(f: &LeadFilter) -> (String, Vec<String>, Vec<i64>) {
    let mut clauses = vec![
        "l.agency_id = $1".to_string(),
        "l.merged_into IS NULL".to_string(),
    ];
    let mut texts = Vec::new();
    let mut numbers = Vec::new();
    let mut n = 1;
    let mut text = |clause: &str, value: String, clauses: &mut Vec<String>| {
        n += 1;
        clauses.push(clause.replace('?', &format!("${n}")));
        texts.push(value);
    };
    if let Some(s) = f.stage {
        text("l.stage = ?", s.code().into(), &mut clauses);
    }
    if let Some(c) = &f.country {
        text("c.country = ?", c.to_ascii_uppercase(), &mut clauses);
    }
    if let Some(s) = &f.sector {
        text("l.sector = ?", s.clone(), &mut clauses);
    }
    if let Some(d) = &f.district {
        text("l.target_district = ?", d.clone(), &mut clauses);
    }
    if let Some(d) = f.overdue_on {
        text(
            "l.next_step_due < ? AND l.stage NOT IN ('established', 'lost')",
            d.to_string(),
            &mut clauses,
        );
    }
    if let Some(q) = &f.company {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        text(
            "LOWER(c.name) LIKE ? ESCAPE '\\'",
            format!("%{escaped}%"),
            &mut clauses,
        );
    }
    match f.owner {
        OwnerFilter::Anyone => {}
        OwnerFilter::Pool => clauses.push("l.owner_id IS NULL".into()),
        OwnerFilter::Account(a) => {
            n += 1;
            clauses.push(format!("l.owner_id = ${n}"));
            numbers.push(a.0);
        }
    }
    if let Some(min) = f.min_score {
        n += 1;
        clauses.push(format!("l.score >= ${n}"));
        numbers.push(min);
    }
    (clauses.join(" AND "), texts, numbers)
}

#[async_trait]
impl LeadStore for SqlStore {
    async fn ensure_lead(
        &self,
        company: CompanyId,
        source: LeadSource,
        owner: Option<AccountId>,
        actor: Option<AccountId>,
        at: DateTime<Utc>,
    ) -> StoreResult<(Lead, bool)> {
        let t = at.timestamp();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // A merged company's lead is the one of the company it was merged into.
        let row = sqlx::query(
            "SELECT k.id, k.industry FROM companies c JOIN companies k ON k.id = COALESCE(c.merged_into, c.id) WHERE c.id = $1",
        )
        .bind(company.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?
        .ok_or(StoreError::NotFound)?;
        let company: i64 = get(&row, "id")?;
        let industry: String = get(&row, "industry")?;
        let sector = roadshow_domain::reference::is_industry(&industry).then_some(industry);
        let project = Project {
            sector: sector.clone(),
            ..Default::default()
        };
        let made: Option<i64> = sqlx::query_scalar(
            "INSERT INTO leads (agency_id, company_id, stage, owner_id, project, sector, source, score, created_at, updated_at) \
             SELECT agency_id, id, 'prospect', $2, $3, $4, $5, 0, $6, $6 FROM companies WHERE id = $1 \
             ON CONFLICT (company_id) DO NOTHING RETURNING id",
        )
        .bind(company)
        .bind(owner.map(|o| o.0))
        .bind(to_json(&project)?)
        .bind(sector)
        .bind(source.code())
        .bind(t)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?;
        let id = match made {
            Some(id) => {
                record_change(
                    &mut tx,
                    LeadId(id),
                    actor,
                    t,
                    &change("created", None, Some(source.code().into())),
                )
                .await?;
                if let Some(o) = owner {
                    record_change(
                        &mut tx,
                        LeadId(id),
                        actor,
                        t,
                        &change("owner", None, Some(o.0.to_string())),
                    )
                    .await?;
                }
                id
            }
            None => sqlx::query_scalar("SELECT id FROM leads WHERE company_id = $1")
                .bind(company)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend_error)?,
        };
        let lead = self.lead_in(&mut tx, LeadId(id)).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok((lead, made.is_some()))
    }

    async fn lead(&self, id: LeadId) -> StoreResult<Option<Lead>> {
        self.one(
            &format!("{LEAD_SELECT} WHERE l.id = $1 AND l.merged_into IS NULL"),
            |q| q.bind(id.0),
        )
        .await?
        .as_ref()
        .map(lead_row)
        .transpose()
    }

    async fn company_lead(&self, company: CompanyId) -> StoreResult<Option<Lead>> {
        self.one(
            &format!("{LEAD_SELECT} WHERE l.merged_into IS NULL AND l.company_id = (SELECT COALESCE(merged_into, id) FROM companies WHERE id = $1)"),
            |q| q.bind(company.0),
        )
        .await?
        .as_ref()
        .map(lead_row)
        .transpose()
    }

    async fn event_leads(&self, event: EventId) -> StoreResult<Vec<Lead>> {
        sqlx::query(&format!(
            "{LEAD_SELECT} WHERE l.merged_into IS NULL AND l.company_id IN \
             (SELECT COALESCE(c.merged_into, c.id) FROM registrations r JOIN companies c ON c.id = r.company_id WHERE r.event_id = $1) \
             ORDER BY l.id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(lead_row)
        .collect()
    }

    async fn leads(&self, agency: AgencyId, f: &LeadFilter) -> StoreResult<(Vec<Lead>, i64)> {
        let total = self.count_leads(agency, f).await?;
        Ok((self.list_leads(agency, f).await?, total))
    }

    async fn board(&self, agency: AgencyId, owner: OwnerFilter) -> StoreResult<Vec<BoardColumn>> {
        // One count per stage in one pass, then each stage's best-scored cards.
        let (clause, _, numbers) = filter_sql(&LeadFilter {
            owner,
            ..Default::default()
        });
        let sql =
            format!("SELECT l.stage, COUNT(*) AS n FROM leads l WHERE {clause} GROUP BY l.stage");
        let mut counts = sqlx::query(&sql).bind(agency.0);
        for n in &numbers {
            counts = counts.bind(*n);
        }
        let counts = counts.fetch_all(&self.read).await.map_err(backend_error)?;
        let mut columns = Vec::new();
        for stage in Stage::ALL {
            let mut total = 0;
            for row in &counts {
                if get::<String>(row, "stage")? == stage.code() {
                    total = get(row, "n")?;
                }
            }
            let filter = LeadFilter {
                stage: Some(*stage),
                owner,
                limit: BOARD_CARDS,
                ..Default::default()
            };
            let leads = if total > 0 {
                self.list_leads(agency, &filter).await?
            } else {
                Vec::new()
            };
            columns.push(BoardColumn {
                stage: *stage,
                total,
                leads,
            });
        }
        Ok(columns)
    }

    async fn lead_board_revision(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT revision FROM lead_board WHERE id = 1")
            .fetch_one(&self.read)
            .await
            .map_err(backend_error)
    }

    async fn update_lead(
        &self,
        id: LeadId,
        d: &ProjectDraft,
        changes: &[ChangeDraft],
        actor: Option<AccountId>,
        at: DateTime<Utc>,
        base: Option<i64>,
    ) -> StoreResult<Lead> {
        edits::update(self, id, d, changes, actor, at, base).await
    }

    async fn move_lead(
        &self,
        id: LeadId,
        stage: Stage,
        lost_reason: Option<&str>,
        actor: AccountId,
        at: DateTime<Utc>,
        base: Option<i64>,
    ) -> StoreResult<Lead> {
        edits::move_to(self, id, stage, lost_reason, actor, at, base).await
    }

    async fn take_lead(
        &self,
        id: LeadId,
        owner: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<Lead> {
        edits::take(self, id, owner, at).await
    }

    async fn lead_scores(&self, companies: &[CompanyId]) -> StoreResult<Vec<(CompanyId, i64)>> {
        let mut out = Vec::new();
        for chunk in companies.chunks(500) {
            let list = chunk
                .iter()
                .map(|c| c.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let rows = sqlx::query(&format!(
                "SELECT company_id, score FROM leads WHERE merged_into IS NULL AND company_id IN ({list})"
            ))
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
            for row in &rows {
                out.push((CompanyId(get(row, "company_id")?), get(row, "score")?));
            }
        }
        Ok(out)
    }

    async fn set_lead_scores(&self, scores: &[(CompanyId, i64)]) -> StoreResult<()> {
        if scores.is_empty() {
            return Ok(());
        }
        // One statement per chunk (ids and scores are numbers, written into it).
        // Scores are made from the signals again at the company's next one: not worth
        // making the participants' writes wait for the disk (as signals, above).
        let mut relaxed = Relaxed::acquire(&self.write, self.backend).await?;
        let mut tx = relaxed.begin().await?;
        for chunk in scores.chunks(200) {
            let cases: String = chunk
                .iter()
                .map(|(c, s)| format!(" WHEN {} THEN {}", c.0, s))
                .collect();
            let ids = chunk
                .iter()
                .map(|(c, _)| c.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            sqlx::query(&format!(
                "UPDATE leads SET score = CASE company_id{cases} ELSE score END WHERE company_id IN ({ids})"
            ))
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)?;
        relaxed.release().await
    }

    async fn lead_changes(&self, id: LeadId) -> StoreResult<Vec<LeadChange>> {
        changes::lead_changes(self, id).await
    }

    async fn add_task(
        &self,
        lead: LeadId,
        d: &TaskDraft,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<Task> {
        tasks::add_task(self, lead, d, actor, at).await
    }

    async fn task(&self, id: TaskId) -> StoreResult<Option<Task>> {
        tasks::task(self, id).await
    }

    async fn set_task_done(
        &self,
        id: TaskId,
        done: bool,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<Task> {
        tasks::set_task_done(self, id, done, actor, at).await
    }

    async fn lead_tasks(&self, lead: LeadId) -> StoreResult<Vec<Task>> {
        tasks::lead_tasks(self, lead).await
    }

    async fn open_tasks(
        &self,
        account: AccountId,
        after: Option<TaskId>,
        limit: usize,
    ) -> StoreResult<Vec<Task>> {
        tasks::open_tasks(self, account, after, limit).await
    }

    async fn tasks_to_remind(&self, on: NaiveDate) -> StoreResult<Vec<Task>> {
        tasks::tasks_to_remind(self, on).await
    }

    async fn claim_task_reminder(&self, id: TaskId, at: DateTime<Utc>) -> StoreResult<bool> {
        tasks::claim_task_reminder(self, id, at).await
    }

    async fn assignment_rules(&self, agency: AgencyId) -> StoreResult<Vec<AssignmentRule>> {
        rules::assignment_rules(self, agency).await
    }

    async fn set_assignment_rules(
        &self,
        agency: AgencyId,
        rules: &[AssignmentRule],
    ) -> StoreResult<()> {
        rules::set_assignment_rules(self, agency, rules).await
    }

    async fn company_summaries(&self, agency: AgencyId) -> StoreResult<Vec<CompanySummary>> {
        companies::company_summaries(self, agency).await
    }

    async fn company_agency(&self, company: CompanyId) -> StoreResult<Option<AgencyId>> {
        companies::company_agency(self, company).await
    }

    async fn create_company(
        &self,
        agency: AgencyId,
        company: &roadshow_domain::registrations::CompanyDraft,
    ) -> StoreResult<CompanyId> {
        companies::create_company(self, agency, company).await
    }

    async fn company_contacts(&self, company: CompanyId) -> StoreResult<Vec<Contact>> {
        companies::company_contacts(self, company).await
    }

    async fn merge_companies(
        &self,
        kept: CompanyId,
        merged: CompanyId,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<CompanyMerge> {
        companies::merge(self, kept, merged, actor, at).await
    }

    async fn undo_merge(
        &self,
        id: i64,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<CompanyMerge> {
        companies::undo(self, id, actor, at).await
    }

    async fn company_merges(&self, agency: AgencyId) -> StoreResult<Vec<CompanyMerge>> {
        companies::list(self, agency).await
    }
}
