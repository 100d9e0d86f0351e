//! Rate limits (the rule is in `roadshow_domain::limits`): counted in this process's
//! memory on SQLite, whose database one process owns, and in the database on PostgreSQL,
//! where several processes share it and each would otherwise count alone.

use crate::error::{AppError, AppResult};
use roadshow_domain::limits::{Limit, after_hit, verdict};
use roadshow_domain::store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Counts hits per key and refuses those over their limit.
pub struct RateLimiter {
    memory: Mutex<HashMap<String, (i64, i64)>>,
    /// The database, when its counters are shared between processes.
    shared: Option<Arc<dyn Store>>,
    hits: AtomicU64,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Windows older than this are forgotten (longer than any limit's window).
const FORGET_AFTER_MS: i64 = 3_600_000;

impl RateLimiter {
    /// Counts in memory, or in `store` when its counters are shared by several processes.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let shared = store.limits_shared().then_some(store);
        RateLimiter {
            memory: Mutex::new(HashMap::new()),
            shared,
            hits: AtomicU64::new(0),
        }
    }

    /// Counts one hit for `key` before the work it guards; `RateLimited` (with the
    /// seconds to wait) when that goes over `limit`.
    pub async fn hit(&self, key: &str, limit: Limit) -> AppResult<()> {
        let now = now_ms();
        let (start, hits) = match &self.shared {
            Some(store) => {
                if self.hits.fetch_add(1, Ordering::Relaxed) % 1000 == 999 {
                    store.prune_limits(now - FORGET_AFTER_MS).await?;
                }
                store.hit_limit(key, now, limit.window_ms()).await?
            }
            None => {
                let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
                if memory.len() > 100_000 {
                    // A flood of keys cannot grow memory forever.
                    memory.retain(|_, (start, _)| now - *start < FORGET_AFTER_MS);
                }
                let entry = memory.entry(key.to_string()).or_insert((now, 0));
                *entry = after_hit(Some(*entry).filter(|(_, h)| *h > 0), now, limit);
                *entry
            }
        };
        verdict(start, hits, now, limit)
            .map_err(|retry_after| AppError::RateLimited { retry_after })
    }

    /// Gives one hit of `key` back.
    pub async fn refund(&self, key: &str) -> AppResult<()> {
        match &self.shared {
            Some(store) => store.refund_limit(key).await?,
            None => {
                let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, hits)) = memory.get_mut(key) {
                    *hits = (*hits - 1).max(0);
                }
            }
        }
        Ok(())
    }

    /// Forgets `key` (an account's failed sign-ins, after a successful one).
    pub async fn clear(&self, key: &str) -> AppResult<()> {
        match &self.shared {
            Some(store) => store.clear_limit(key).await?,
            None => {
                self.memory
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(key);
            }
        }
        Ok(())
    }
}
