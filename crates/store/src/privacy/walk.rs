//! The walk of the data map: one `SELECT` per table that holds a participant's rows for
//! their export, one `UPDATE` or `DELETE` per table for their erasure, in one transaction.

use super::append_audit;
use crate::rows::corrupt;
use crate::{SqlStore, backend_error};
use chrono::{DateTime, Utc};
use roadshow_domain::privacy::audit::AuditDraft;
use roadshow_domain::privacy::map::{self, Erasure, Rows};
use roadshow_domain::privacy::{ErasureOutcome, Person, PersonalData, TableData};
use roadshow_domain::store::StoreResult;
use sqlx::Row;
use std::collections::BTreeMap;

/// A name shorter than this is not looked for in other people's texts: "Li" would be
/// found in "Lithium".
const SHORTEST_NAME: usize = 4;
/// What stands for a name or address taken out of a text.
const REDACTED: &str = "[…]";

/// One participant's values for the map's conditions: `$1` id, `$2` name, `$3` email.
struct Needles {
    id: i64,
    name: String,
    email: String,
}

impl Needles {
    fn of(person: &Person) -> Needles {
        let name = person.name.trim();
        Needles {
            id: person.id.0,
            // Something no text holds, when the name is too short to look for.
            name: if name.chars().count() >= SHORTEST_NAME {
                name.to_string()
            } else {
                "\u{1}\u{1}".to_string()
            },
            email: person.email.clone(),
        }
    }
}

/// The map's SQL for this database, its `$n` renumbered to the ones it uses, and the
/// values to bind in that order (a database refuses values it has no place for).
fn prepare<'n>(store: &SqlStore, sql: &str, needles: &'n Needles) -> (String, Vec<Needle<'n>>) {
    let sql = sql.replace("{has}", store.backend.pick("instr", "strpos"));
    let mut used: Vec<u8> = Vec::new();
    for n in 1..=3u8 {
        if sql.contains(&format!("${n}")) {
            used.push(n);
        }
    }
    let mut out = sql.clone();
    let mut values = Vec::new();
    for (i, n) in used.iter().enumerate() {
        out = out.replace(&format!("${n}"), &format!("${}", i + 1 + 10));
        values.push(match n {
            1 => Needle::Id(needles.id),
            2 => Needle::Text(&needles.name),
            _ => Needle::Text(&needles.email),
        });
    }
    for i in 0..used.len() {
        out = out.replace(&format!("${}", i + 1 + 10), &format!("${}", i + 1));
    }
    (out, values)
}

enum Needle<'n> {
    Id(i64),
    Text(&'n str),
}

fn bind_all<'q>(mut q: crate::AnyQuery<'q>, values: &[Needle<'q>]) -> crate::AnyQuery<'q> {
    for v in values {
        q = match v {
            Needle::Id(id) => q.bind(*id),
            Needle::Text(t) => q.bind(*t),
        };
    }
    q
}

pub(super) async fn personal_data(store: &SqlStore, person: &Person) -> StoreResult<PersonalData> {
    let this = store;
    let needles = Needles::of(person);
    let mut out = PersonalData::new();
    for table in map::tables() {
        let Some(selector) = table.person else {
            continue;
        };
        let columns: Vec<&'static str> = table.columns().collect();
        let select: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT) AS {c}"))
            .collect();
        let (sql, values) = prepare(
            this,
            &format!(
                "SELECT {} FROM {} WHERE {selector}",
                select.join(", "),
                table.name
            ),
            &needles,
        );
        let rows = bind_all(sqlx::query(&sql), &values)
            .fetch_all(&this.read)
            .await
            .map_err(backend_error)?;
        if rows.is_empty() {
            continue;
        }
        let mut list = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut record = Vec::with_capacity(columns.len());
            for (i, c) in columns.iter().enumerate() {
                let value: Option<String> = row.try_get(i).map_err(|e| corrupt(c, e))?;
                record.push(value);
            }
            list.push(record);
        }
        out.insert(
            table.name.to_string(),
            TableData {
                columns,
                rows: list,
            },
        );
    }
    Ok(out)
}

/// Tables (with their key) whose rows of one person may run to tens of thousands (every
/// email written to them): deleted in batches before the erasure's transaction, so that
/// no statement holds the database for long; the transaction then deletes what arrived
/// meanwhile. Deleting them first is safe: they are deleted in any case.
const BATCHED: &[(&str, &str)] = &[("outbox", "id")];
/// Rows deleted per batch.
const BATCH: i64 = 2_000;

pub(super) async fn erase(
    this: &SqlStore,
    person: &Person,
    reason: &str,
    email_hash: &str,
    at: DateTime<Utc>,
    audit: &AuditDraft,
) -> StoreResult<Option<ErasureOutcome>> {
    let needles = Needles::of(person);
    let mut batched = BTreeMap::new();
    if person.erased_at.is_none() {
        for (name, key) in BATCHED {
            let Some(selector) = map::table(name).and_then(|t| t.person) else {
                continue;
            };
            let (sql, values) = prepare(
                this,
                &format!(
                    "DELETE FROM {name} WHERE {key} IN (SELECT {key} FROM {name} WHERE {selector} LIMIT {BATCH})"
                ),
                &needles,
            );
            loop {
                let done = bind_all(sqlx::query(&sql), &values)
                    .execute(&this.write)
                    .await
                    .map_err(backend_error)?;
                *batched.entry(name.to_string()).or_insert(0) += done.rows_affected();
                if done.rows_affected() < BATCH as u64 {
                    break;
                }
            }
        }
    }
    let mut tx = this.write.begin().await.map_err(backend_error)?;
    // The claim: a second erasure (another process's sweep) finds it done.
    let claimed = sqlx::query(
            "UPDATE participants SET erased_at = $1, erased_reason = $2 WHERE id = $3 AND erased_at IS NULL",
        )
        .bind(at.timestamp())
        .bind(reason)
        .bind(person.id.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    // The agency's own systems are told to erase their copy.
    crate::webhooks::enqueue(
        &mut tx,
        crate::webhooks::Audience::Agency(person.agency_id),
        roadshow_domain::webhooks::EventType::ParticipantErased,
        serde_json::json!({"participant_id": person.id.0}),
    )
    .await?;
    let mut outcome = ErasureOutcome {
        participant_id: person.id,
        erased_at: at,
        changed: batched.into_iter().filter(|(_, n)| *n > 0).collect(),
        kept: BTreeMap::new(),
    };
    for table in map::tables() {
        let Some(selector) = table.person else {
            continue;
        };
        let statement = match table.rows {
            Rows::Keep(why) => {
                outcome.kept.insert(table.name.to_string(), why.code());
                continue;
            }
            Rows::Delete => format!("DELETE FROM {} WHERE {selector}", table.name),
            Rows::Update => {
                let sets: Vec<String> = table
                    .personal
                    .iter()
                    .filter_map(|c| match c.erasure {
                        Erasure::Set(expr) => Some(format!("{} = {expr}", c.name)),
                        Erasure::Redact => Some(format!(
                            "{0} = replace(replace({0}, $2, '{REDACTED}'), $3, '{REDACTED}')",
                            c.name
                        )),
                        Erasure::Keep(_) | Erasure::Delete => None,
                    })
                    .collect();
                format!(
                    "UPDATE {} SET {} WHERE {selector}",
                    table.name,
                    sets.join(", ")
                )
            }
        };
        let (sql, values) = prepare(this, &statement, &needles);
        let done = bind_all(sqlx::query(&sql), &values)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() > 0 {
            *outcome.changed.entry(table.name.to_string()).or_insert(0) += done.rows_affected();
        }
    }
    sqlx::query(
            "INSERT INTO do_not_contact (agency_id, email_hash, since) VALUES ($1, $2, $3) ON CONFLICT (agency_id, email_hash) DO NOTHING",
        )
        .bind(person.agency_id.0)
        .bind(email_hash)
        .bind(at.timestamp())
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    append_audit(&mut tx, audit, at).await?;
    tx.commit().await.map_err(backend_error)?;
    // The pages as they were before the erasure stay in SQLite's write-ahead log until
    // a checkpoint copies the new ones over them: make it now, and empty the log.
    if this.backend == crate::Backend::Sqlite {
        if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&this.write)
            .await
        {
            tracing::warn!(error = %err, "checkpoint after an erasure failed");
        }
    }
    Ok(Some(outcome))
}
