//! Tasks on leads: added and done with a recorded change, listed per lead and per
//! assignee, and reminded once on the due date.

use super::{change, record_change};
use crate::rows::{self, get, optional_time, time};
use crate::{SqlStore, backend_error};
use chrono::{DateTime, NaiveDate, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

const TASK_SELECT: &str = "SELECT t.id, t.lead_id, c.name AS company_name, t.title, t.due_on, t.assignee_id, u.display_name AS assignee_name, t.done_at, t.created_at \
     FROM lead_tasks t JOIN leads l ON l.id = t.lead_id JOIN companies c ON c.id = l.company_id LEFT JOIN accounts u ON u.id = t.assignee_id";

fn task_row(row: &AnyRow) -> StoreResult<Task> {
    let due: String = get(row, "due_on")?;
    Ok(Task {
        id: TaskId(get(row, "id")?),
        lead_id: LeadId(get(row, "lead_id")?),
        company_name: get(row, "company_name")?,
        title: get(row, "title")?,
        due_on: NaiveDate::parse_from_str(&due, "%Y-%m-%d")
            .map_err(|_| rows::corrupt("due_on", &due))?,
        assignee_id: get::<Option<i64>>(row, "assignee_id")?.map(AccountId),
        assignee_name: get(row, "assignee_name")?,
        done_at: optional_time(row, "done_at")?,
        created_at: time(row, "created_at")?,
    })
}

pub(super) async fn add_task(
    store: &SqlStore,
    lead: LeadId,
    d: &TaskDraft,
    actor: AccountId,
    at: DateTime<Utc>,
) -> StoreResult<Task> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let id: i64 = sqlx::query_scalar("INSERT INTO lead_tasks (lead_id, title, due_on, assignee_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(lead.0)
        .bind(&d.title)
        .bind(d.due_on.to_string())
        .bind(d.assignee_id.map(|a| a.0))
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
    record_change(
        &mut tx,
        lead,
        Some(actor),
        t,
        &change(
            "task_added",
            None,
            Some(format!("{} ({})", d.title, d.due_on)),
        ),
    )
    .await?;
    let row = sqlx::query(&format!("{TASK_SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
    let task = task_row(&row)?;
    tx.commit().await.map_err(backend_error)?;
    Ok(task)
}
pub(super) async fn task(store: &SqlStore, id: TaskId) -> StoreResult<Option<Task>> {
    store
        .one(&format!("{TASK_SELECT} WHERE t.id = $1"), |q| q.bind(id.0))
        .await?
        .as_ref()
        .map(task_row)
        .transpose()
}
pub(super) async fn set_task_done(
    store: &SqlStore,
    id: TaskId,
    done: bool,
    actor: AccountId,
    at: DateTime<Utc>,
) -> StoreResult<Task> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let row = sqlx::query(&format!("{TASK_SELECT} WHERE t.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?
        .ok_or(StoreError::NotFound)?;
    let before = task_row(&row)?;
    if before.done_at.is_some() != done {
        sqlx::query("UPDATE lead_tasks SET done_at = $2 WHERE id = $1")
            .bind(id.0)
            .bind(done.then_some(t))
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let field = if done { "task_done" } else { "task_reopened" };
        record_change(
            &mut tx,
            before.lead_id,
            Some(actor),
            t,
            &change(field, None, Some(before.title.clone())),
        )
        .await?;
    }
    let row = sqlx::query(&format!("{TASK_SELECT} WHERE t.id = $1"))
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
    let task = task_row(&row)?;
    tx.commit().await.map_err(backend_error)?;
    Ok(task)
}
pub(super) async fn lead_tasks(store: &SqlStore, lead: LeadId) -> StoreResult<Vec<Task>> {
    sqlx::query(&format!(
        "{TASK_SELECT} WHERE t.lead_id = $1 ORDER BY t.done_at IS NOT NULL, t.due_on, t.id"
    ))
    .bind(lead.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?
    .iter()
    .map(task_row)
    .collect()
}
pub(super) async fn open_tasks(
    store: &SqlStore,
    account: AccountId,
    after: Option<TaskId>,
    limit: usize,
) -> StoreResult<Vec<Task>> {
    // After a task in (due date, id) order: the cursor task's due date is read where it
    // is, so the cursor stays one id.
    sqlx::query(&format!(
        "{TASK_SELECT} WHERE t.done_at IS NULL AND l.merged_into IS NULL AND (t.assignee_id = $1 OR (t.assignee_id IS NULL AND l.owner_id = $1)) \
         AND ($2 = 0 OR t.due_on > (SELECT a.due_on FROM lead_tasks a WHERE a.id = $2) \
              OR (t.due_on = (SELECT a.due_on FROM lead_tasks a WHERE a.id = $2) AND t.id > $2)) \
         ORDER BY t.due_on, t.id LIMIT $3"
    ))
    .bind(account.0)
    .bind(after.map_or(0, |a| a.0))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?
    .iter()
    .map(task_row)
    .collect()
}
pub(super) async fn tasks_to_remind(store: &SqlStore, on: NaiveDate) -> StoreResult<Vec<Task>> {
    sqlx::query(&format!(
        "{TASK_SELECT} WHERE t.done_at IS NULL AND t.reminded_at IS NULL AND t.due_on <= $1 AND l.merged_into IS NULL ORDER BY t.id"
    ))
    .bind(on.to_string())
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?
    .iter()
    .map(task_row)
    .collect()
}
pub(super) async fn claim_task_reminder(
    store: &SqlStore,
    id: TaskId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let done =
        sqlx::query("UPDATE lead_tasks SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL")
            .bind(id.0)
            .bind(at.timestamp())
            .execute(&store.write)
            .await
            .map_err(backend_error)?;
    Ok(done.rows_affected() == 1)
}
