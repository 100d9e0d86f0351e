//! Rate limits: at most `max` hits per fixed `window` for one key (an account, a client
//! address, a participant). A hit is counted before the work it guards, so that many
//! simultaneous attempts cannot all pass a check made before any of them was counted.
//! Counters live in memory for one process, or in the database ([`LimitStore`]) when
//! several processes share it; both follow [`after_hit`] and [`verdict`].

use crate::store::StoreResult;
use async_trait::async_trait;
use std::time::Duration;

/// A named limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub fn per_minute(max: u32) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(60),
        }
    }

    pub fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }
}

/// A key's window after one more hit at `now_ms`: a window that has run out starts
/// again with this hit. `state` is `(window start in ms, hits)`.
pub fn after_hit(state: Option<(i64, i64)>, now_ms: i64, limit: Limit) -> (i64, i64) {
    match state {
        Some((start, hits)) if now_ms - start < limit.window_ms() => (start, hits + 1),
        _ => (now_ms, 1),
    }
}

/// Whether the hit that brought the window to `hits` may go ahead; otherwise the
/// seconds until the window ends (at least 1), for `Retry-After`.
pub fn verdict(start_ms: i64, hits: i64, now_ms: i64, limit: Limit) -> Result<(), u64> {
    if hits <= i64::from(limit.max) {
        return Ok(());
    }
    let left_ms = (start_ms + limit.window_ms() - now_ms).max(0);
    Err(u64::try_from((left_ms + 999) / 1000).unwrap_or(1).max(1))
}

/// Counters kept in the database, shared by every process on it.
#[async_trait]
pub trait LimitStore: Send + Sync {
    /// Counts `count` hits for `key` atomically (as [`after_hit`] says for one) and returns
    /// the window's `(start in ms, hits)` after them. A process takes several at once to
    /// spend them from memory (see the app's limiter), so that the database sees one
    /// statement per block of hits rather than per request.
    async fn hit_limit(
        &self,
        key: &str,
        now_ms: i64,
        window_ms: i64,
        count: i64,
    ) -> StoreResult<(i64, i64)>;
    /// Gives one hit back (a sign-in that succeeded should not use up an allowance).
    async fn refund_limit(&self, key: &str) -> StoreResult<()>;
    /// Forgets `key`.
    async fn clear_limit(&self, key: &str) -> StoreResult<()>;
    /// Forgets windows that started before `before_ms`; returns how many.
    async fn prune_limits(&self, before_ms: i64) -> StoreResult<u64>;
    /// Whether several processes may count here at once (PostgreSQL), so that limits
    /// must be counted in the database rather than in each process's memory.
    fn limits_shared(&self) -> bool;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_max_hits_then_tells_when_to_come_back() {
        let limit = Limit {
            max: 2,
            window: Duration::from_secs(60),
        };
        let first = after_hit(None, 1_000, limit);
        assert_eq!(first, (1_000, 1));
        assert!(verdict(first.0, first.1, 1_000, limit).is_ok());
        let second = after_hit(Some(first), 2_000, limit);
        assert!(verdict(second.0, second.1, 2_000, limit).is_ok());
        let third = after_hit(Some(second), 31_000, limit);
        assert_eq!(verdict(third.0, third.1, 31_000, limit), Err(30));
        let fresh = after_hit(Some(third), 61_000, limit);
        assert_eq!(fresh, (61_000, 1), "a window that ran out starts again");
    }
}
