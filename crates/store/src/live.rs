//! The per-event log of live events and the live state. Each change appends its live
//! events inside its own transaction; on PostgreSQL that transaction also sends a NOTIFY,
//! delivered when it commits.

use crate::rows::{corrupt, get, json, optional_time, to_json};
use crate::{SqlStore, backend_error, dialect, now};
use async_trait::async_trait;
use roadshow_domain::ids::*;
use roadshow_domain::live::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

pub(crate) type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

fn live_row(row: &AnyRow) -> StoreResult<LiveEvent> {
    let kind: String = get(row, "kind")?;
    let audience: String = get(row, "audience")?;
    Ok(LiveEvent {
        event_id: EventId(get(row, "event_id")?),
        seq: get(row, "seq")?,
        kind: LiveKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        audience: Audience::parse(&audience).ok_or_else(|| corrupt("audience", &audience))?,
        payload: json(row, "data")?,
    })
}

#[async_trait]
impl LiveStore for SqlStore {
    async fn live_state(&self, event: EventId) -> StoreResult<LiveState> {
        let row = sqlx::query("SELECT seq, current_session_id, answer_working_days, faq_published_at FROM live_streams WHERE event_id = $1")
            .bind(event.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?;
        let Some(row) = row else {
            return Ok(LiveState::default());
        };
        Ok(LiveState {
            seq: get(&row, "seq")?,
            current_session: get::<Option<i64>>(&row, "current_session_id")?.map(SessionId),
            answer_working_days: u32::try_from(get::<i64>(&row, "answer_working_days")?)
                .unwrap_or(5),
            faq_published_at: optional_time(&row, "faq_published_at")?,
        })
    }

    async fn live_events(
        &self,
        event: EventId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<LiveEvent>> {
        sqlx::query(
            "SELECT event_id, seq, kind, audience, data FROM live_events WHERE event_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(event.0)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(live_row)
        .collect()
    }

    async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
    ) -> StoreResult<LiveState> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        sqlx::query("INSERT INTO live_streams (event_id, seq, current_session_id) VALUES ($1, 0, $2) ON CONFLICT (event_id) DO UPDATE SET current_session_id = excluded.current_session_id")
            .bind(event.0)
            .bind(session.map(|s| s.0))
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        self.append_live(&mut tx, event, &[session_changed(session)])
            .await?;
        tx.commit().await.map_err(backend_error)?;
        self.live_state(event).await
    }
}

impl SqlStore {
    /// Appends live events to an event's log inside `tx`. The upsert locks the event's
    /// `live_streams` row until commit, so numbers are handed out in commit order and a
    /// reader that has seen number n has seen everything before it.
    pub(crate) async fn append_live(
        &self,
        tx: &mut Tx<'_>,
        event: EventId,
        events: &[NewLiveEvent],
    ) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let count = events.len() as i64;
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO live_streams (event_id, seq) VALUES ($1, $2) \
             ON CONFLICT (event_id) DO UPDATE SET seq = live_streams.seq + $2 RETURNING seq",
        )
        .bind(event.0)
        .bind(count)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
        let created = now();
        for (i, e) in events.iter().enumerate() {
            sqlx::query("INSERT INTO live_events (event_id, seq, kind, audience, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(event.0)
                .bind(last - count + 1 + i as i64)
                .bind(e.kind.code())
                .bind(e.audience.code())
                .bind(to_json(&e.payload)?)
                .bind(created)
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
        }
        // Every so many events, what is past the replay window goes (LIVE_REPLAY), in the
        // same transaction: the log of an event stays bounded however long it runs.
        let prune_every = 256;
        if (last - count) / prune_every != last / prune_every && last > LIVE_REPLAY {
            sqlx::query("DELETE FROM live_events WHERE event_id = $1 AND seq <= $2")
                .bind(event.0)
                .bind(last - LIVE_REPLAY)
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
        }
        dialect::notify_live(
            tx,
            self.backend,
            &self.live_channel,
            &format!("{}:{last}", event.0),
        )
        .await?;
        Ok(())
    }
}
