//! Signals: each kept once per participant, kind and subject; the company and agency are
//! taken from the participant when it is recorded (and moved by company merges).

use crate::dialect::Relaxed;
use crate::rows::{self, get, time};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::score::{ATTENDED_FROM_SECONDS, Tally};
use roadshow_domain::signals::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

fn signal_row(row: &AnyRow) -> StoreResult<Signal> {
    let kind: String = get(row, "kind")?;
    Ok(Signal {
        id: get(row, "id")?,
        company_id: CompanyId(get(row, "company_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        participant_name: get(row, "participant_name")?,
        event_id: EventId(get(row, "event_id")?),
        kind: SignalKind::parse(&kind).ok_or_else(|| rows::corrupt("kind", &kind))?,
        ref_id: get(row, "ref_id")?,
        amount: get(row, "amount")?,
        at: time(row, "at")?,
    })
}

/// The insert of one signal from its participant; survey answers keep their latest
/// level and time, everything else its first time.
const INSERT: &str = "INSERT INTO signals (agency_id, company_id, participant_id, event_id, kind, ref_id, amount, at) \
     SELECT p.agency_id, p.company_id, p.id, $2, $3, $4, $5, $6 FROM participants p WHERE p.id = $1 \
     ON CONFLICT (participant_id, kind, ref_id) DO ";

pub(crate) fn conflict(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::SurveyAnswered => {
            "UPDATE SET amount = excluded.amount, at = excluded.at RETURNING company_id"
        }
        // Eligibility checks count their runs; the first time is kept.
        SignalKind::EligibilityChecked => {
            "UPDATE SET amount = signals.amount + excluded.amount RETURNING company_id"
        }
        _ => "NOTHING RETURNING company_id",
    }
}

/// Writes one signal from its participant, the company and agency read from them: the
/// one place a signal is inserted (registrations write their first signal through it, in
/// their own transaction). `on_conflict` says what a repeated signal does.
pub(crate) async fn insert<'c, E>(
    executor: E,
    s: &NewSignal,
    on_conflict: &str,
) -> StoreResult<Option<CompanyId>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let company: Option<i64> = sqlx::query_scalar(&format!("{INSERT}{on_conflict}"))
        .bind(s.participant_id.0)
        .bind(s.event_id.0)
        .bind(s.kind.code())
        .bind(s.ref_id)
        .bind(s.amount)
        .bind(s.at.timestamp())
        .fetch_optional(executor)
        .await
        .map_err(backend_error)?;
    Ok(company.map(CompanyId))
}

#[async_trait]
impl SignalStore for SqlStore {
    async fn record_signal(&self, s: &NewSignal) -> StoreResult<Option<CompanyId>> {
        insert(&self.write, s, conflict(s.kind)).await
    }

    async fn record_signals(&self, signals: &[NewSignal]) -> StoreResult<Vec<Option<CompanyId>>> {
        let mut relaxed = Relaxed::acquire(&self.write, self.backend).await?;
        let mut tx = relaxed.begin().await?;
        // A signal is a note of interest, written by the hundred a second in a busy event:
        // its commit does not wait for the disk, so it does not queue the participants'
        // own writes behind it (a crash of the machine or of the PostgreSQL server, not
        // of Roadshow, can forget the last fraction of a second of them).
        let mut written = Vec::with_capacity(signals.len());
        for s in signals {
            written.push(insert(&mut *tx, s, conflict(s.kind)).await?);
        }
        tx.commit().await.map_err(backend_error)?;
        relaxed.release().await?;
        Ok(written)
    }

    async fn add_seconds(
        &self,
        kind: SignalKind,
        participant: ParticipantId,
        event: EventId,
        seconds: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<CompanyId>> {
        // One attendance signal per event (its subject is the event): the first time is
        // kept, the seconds add up over every stream the participant opened.
        let signal = NewSignal {
            participant_id: participant,
            event_id: event,
            kind,
            ref_id: event.0,
            amount: seconds.max(0),
            at,
        };
        insert(
            &self.write,
            &signal,
            "UPDATE SET amount = signals.amount + excluded.amount RETURNING company_id",
        )
        .await
    }

    async fn score_tallies(&self, companies: &[CompanyId]) -> StoreResult<Vec<(CompanyId, Tally)>> {
        let mut tallies: std::collections::BTreeMap<CompanyId, Tally> = Default::default();
        // Ids are numbers: written into the statement, in chunks a statement can hold.
        for chunk in companies.chunks(500) {
            let list = chunk
                .iter()
                .map(|c| c.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            // Counted where the signals are: a row per company and kind comes back, not
            // every signal (a busy company has hundreds).
            let rows = sqlx::query(&format!(
                "SELECT company_id, kind, COUNT(*) AS n, \
                   COUNT(DISTINCT CASE WHEN amount >= {ATTENDED_FROM_SECONDS} THEN event_id END) AS long_events \
                 FROM signals WHERE company_id IN ({list}) GROUP BY company_id, kind"
            ))
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
            for row in &rows {
                let kind: String = get(row, "kind")?;
                let kind = SignalKind::parse(&kind).ok_or_else(|| rows::corrupt("kind", &kind))?;
                tallies
                    .entry(CompanyId(get(row, "company_id")?))
                    .or_default()
                    .add(kind, get(row, "n")?, get(row, "long_events")?);
            }
            // The latest survey answer of each: the first row of each company.
            let rows = sqlx::query(&format!(
                "SELECT company_id, amount FROM signals \
                 WHERE kind = 'survey_answered' AND company_id IN ({list}) \
                 ORDER BY company_id, at DESC, id DESC"
            ))
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
            for row in &rows {
                let tally = tallies
                    .entry(CompanyId(get(row, "company_id")?))
                    .or_default();
                if tally.latest_intent.is_none() {
                    tally.latest_intent = Some(get(row, "amount")?);
                }
            }
        }
        Ok(tallies.into_iter().collect())
    }

    async fn company_signals(&self, company: CompanyId) -> StoreResult<Vec<Signal>> {
        sqlx::query(
            "SELECT s.id, s.company_id, s.participant_id, p.name AS participant_name, s.event_id, s.kind, s.ref_id, s.amount, s.at \
             FROM signals s JOIN participants p ON p.id = s.participant_id WHERE s.company_id = $1 ORDER BY s.at, s.id",
        )
        .bind(company.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(signal_row)
        .collect()
    }
}
