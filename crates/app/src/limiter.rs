//! Rate limits: fixed windows counted in memory, per key (an account, a client address,
//! a participant). Each process counts on its own; with several processes behind a load
//! balancer the limit applies per process, which still bounds a brute-force attempt.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A named limit: at most `max` events per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

/// Counts events per key and says when a key is over its limit.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Seconds until `key` may act again, if it is over `limit` now (without counting).
    pub fn blocked_for(&self, key: &str, limit: Limit) -> Option<u64> {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match windows.get(key) {
            Some((start, count))
                if now.duration_since(*start) < limit.window && *count >= limit.max =>
            {
                Some(retry_after(*start, limit.window, now))
            }
            _ => None,
        }
    }

    /// Counts one event for `key`; `Err(seconds)` if that goes over the limit.
    pub fn hit(&self, key: &str, limit: Limit) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            // Forget finished windows so that a flood of keys cannot grow memory forever.
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            return Err(retry_after(entry.0, limit.window, now));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Forgets `key` (after a successful sign-in, say).
    pub fn clear(&self, key: &str) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

fn retry_after(start: Instant, window: Duration, now: Instant) -> u64 {
    (window.saturating_sub(now.duration_since(start)))
        .as_secs()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_and_per_key() {
        let limiter = RateLimiter::new();
        let limit = Limit {
            max: 2,
            window: Duration::from_secs(60),
        };
        assert!(limiter.hit("a", limit).is_ok());
        assert!(limiter.hit("a", limit).is_ok());
        assert!(limiter.blocked_for("a", limit).is_some());
        let retry = limiter.hit("a", limit).unwrap_err();
        assert!((1..=60).contains(&retry));
        assert!(limiter.hit("b", limit).is_ok());
        limiter.clear("a");
        assert!(limiter.hit("a", limit).is_ok());
    }
}
