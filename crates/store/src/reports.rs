//! What the report reads that no other capability reads for it.

use crate::rows::get;
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::ids::*;
use roadshow_domain::reports::ReportStore;
use roadshow_domain::signals::SignalKind;
use roadshow_domain::store::StoreResult;
use std::collections::BTreeMap;

#[async_trait]
impl ReportStore for SqlStore {
    async fn presence_seconds(&self, event: EventId) -> StoreResult<BTreeMap<ParticipantId, i64>> {
        let rows = sqlx::query(
            "SELECT participant_id, CAST(SUM(amount) AS BIGINT) AS seconds FROM signals \
             WHERE event_id = $1 AND kind = $2 GROUP BY participant_id",
        )
        .bind(event.0)
        .bind(SignalKind::Attended.code())
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut out = BTreeMap::new();
        for row in &rows {
            let seconds: i64 = get(row, "seconds")?;
            out.insert(ParticipantId(get(row, "participant_id")?), seconds);
        }
        Ok(out)
    }
}
