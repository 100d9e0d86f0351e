//! Rate-limit counters shared by every process on the database: one row per key, counted
//! by a single atomic upsert so that simultaneous hits from several processes each see
//! their own count.

use crate::dialect::Relaxed;
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::limits::LimitStore;
use roadshow_domain::store::StoreResult;
use sqlx::Row;

#[async_trait]
impl LimitStore for SqlStore {
    async fn hit_limit(
        &self,
        key: &str,
        now_ms: i64,
        window_ms: i64,
        count: i64,
    ) -> StoreResult<(i64, i64)> {
        // A counter lost in a crash only forgets some hits of a one-minute window: not
        // worth waiting for the disk on every request.
        let mut relaxed = Relaxed::acquire(&self.write, self.backend).await?;
        let mut tx = relaxed.begin().await?;
        // Both databases evaluate every SET expression on the row as it was, so the
        // window restarts or counts on in one statement (the rule of limits::after_hit).
        let row = sqlx::query(
            "INSERT INTO rate_limits (limit_key, window_start, hits) VALUES ($1, $2, $4)
             ON CONFLICT (limit_key) DO UPDATE SET
               hits = CASE WHEN rate_limits.window_start <= $3 THEN $4 ELSE rate_limits.hits + $4 END,
               window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
             RETURNING window_start, hits",
        )
        .bind(key)
        .bind(now_ms)
        .bind(now_ms - window_ms)
        .bind(count)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)?;
        relaxed.release().await?;
        let start: i64 = row.try_get("window_start").map_err(backend_error)?;
        let hits: i64 = row.try_get("hits").map_err(backend_error)?;
        Ok((start, hits))
    }

    async fn refund_limit(&self, key: &str) -> StoreResult<()> {
        sqlx::query("UPDATE rate_limits SET hits = hits - 1 WHERE limit_key = $1 AND hits > 0")
            .bind(key)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn clear_limit(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM rate_limits WHERE limit_key = $1")
            .bind(key)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn prune_limits(&self, before_ms: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(before_ms)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(done.rows_affected())
    }

    fn limits_shared(&self) -> bool {
        self.backend.shared()
    }
}
