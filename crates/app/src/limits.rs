//! Rate limits (the rule is in `roadshow_domain::limits`): counted in this process's
//! memory on SQLite, whose database one process owns, and in the database on PostgreSQL,
//! where several processes share it and each would otherwise count alone.
//!
//! On PostgreSQL a process takes hits from the shared counter in blocks (a twentieth of
//! the limit, at least one) and spends them from memory: the database sees one statement
//! per block, and the processes together never let more than the limit through (a block
//! one process holds unspent only makes the others stricter). Sign-in limits are small,
//! so their blocks are single hits: exact.

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
    /// Shared mode: hits taken from the database and not yet spent, by key, with the
    /// window they belong to.
    leases: Mutex<HashMap<String, (i64, i64)>>,
    /// One block is fetched at a time, so that a burst of requests does not take a block
    /// each (and leave the limit spent on hits nobody uses).
    fetching: tokio::sync::Mutex<()>,
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
            leases: Mutex::new(HashMap::new()),
            fetching: tokio::sync::Mutex::new(()),
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
                if self.spend_lease(key, now, limit) {
                    return Ok(());
                }
                let _one_at_a_time = self.fetching.lock().await;
                // Another request may have fetched a block while this one waited.
                if self.spend_lease(key, now, limit) {
                    return Ok(());
                }
                if self.hits.fetch_add(1, Ordering::Relaxed) % 1000 == 999 {
                    store.prune_limits(now - FORGET_AFTER_MS).await?;
                }
                let block = i64::from(limit.max / 20).max(1);
                let (start, hits) = store.hit_limit(key, now, limit.window_ms(), block).await?;
                // Of this block, the hits still under the limit may go ahead: one now,
                // the rest later from memory.
                let usable = (i64::from(limit.max) - (hits - block)).clamp(0, block);
                if usable > 0 {
                    let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
                    if leases.len() > 100_000 {
                        leases.retain(|_, (s, _)| now - *s < FORGET_AFTER_MS);
                    }
                    leases.insert(key.to_string(), (start, usable - 1));
                    return Ok(());
                }
                (start, hits)
            }
            None => {
                let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
                if memory.len() > 100_000 {
                    // A flood of keys cannot grow memory forever.
                    memory.retain(|_, (start, _)| now - *start < FORGET_AFTER_MS);
                }
                let window = after_hit(memory.get(key).copied(), now, limit);
                memory.insert(key.to_string(), window);
                window
            }
        };
        verdict(start, hits, now, limit)
            .map_err(|retry_after| AppError::RateLimited { retry_after })
    }

    /// Spends one hit leased for `key` in the current window, if any is left.
    fn spend_lease(&self, key: &str, now: i64, limit: Limit) -> bool {
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        match leases.get_mut(key) {
            Some((start, left)) if now - *start < limit.window_ms() && *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
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
        self.leases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
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
