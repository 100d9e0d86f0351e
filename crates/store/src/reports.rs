//! What the report reads that no other capability reads for it, and the press releases
//! as organisers edited them.

use crate::rows::{get, time};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::Lang;
use roadshow_domain::ids::*;
use roadshow_domain::reports::{PressRelease, ReportStore};
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

    async fn press_release(
        &self,
        event: EventId,
        language: Lang,
    ) -> StoreResult<Option<PressRelease>> {
        let row = sqlx::query(
            "SELECT title, body, updated_at FROM press_releases WHERE event_id = $1 AND language = $2",
        )
        .bind(event.0)
        .bind(language.code())
        .fetch_optional(&self.read)
        .await
        .map_err(backend_error)?;
        row.map(|r| {
            Ok(PressRelease {
                language,
                title: get(&r, "title")?,
                body: get(&r, "body")?,
                updated_at: time(&r, "updated_at")?,
            })
        })
        .transpose()
    }

    async fn save_press_release(&self, event: EventId, release: &PressRelease) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO press_releases (event_id, language, title, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (event_id, language) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(event.0)
        .bind(release.language.code())
        .bind(&release.title)
        .bind(&release.body)
        .bind(release.updated_at.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn delete_press_release(&self, event: EventId, language: Lang) -> StoreResult<()> {
        sqlx::query("DELETE FROM press_releases WHERE event_id = $1 AND language = $2")
            .bind(event.0)
            .bind(language.code())
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
