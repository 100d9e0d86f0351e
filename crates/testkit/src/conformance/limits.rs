//! Rate-limit counters.

use super::Fixture;
use crate::Db;
use roadshow_domain::limits::LimitStore;

pub async fn limit_counters_count_once_per_hit_across_stores(db: Db) {
    let f = Fixture::new(db).await;
    let other = f.second().await;
    let window = 60_000;
    let now = 1_800_000_000_000;
    // Simultaneous hits from two stores on one database (two processes): each gets its
    // own count, none is lost or counted twice.
    let hits = (0..40).map(|i| {
        let store = if i % 2 == 0 {
            f.store.clone()
        } else {
            other.clone()
        };
        async move {
            store
                .hit_limit("login-account:a@b.example", now, window, 1)
                .await
        }
    });
    let mut counts: Vec<i64> = futures_util::future::join_all(hits)
        .await
        .into_iter()
        .map(|r| r.unwrap().1)
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=40).collect::<Vec<_>>());
    // Another key counts alone.
    assert_eq!(
        f.store
            .hit_limit("write:10.0.0.1", now, window, 1)
            .await
            .unwrap(),
        (now, 1)
    );
    // A refund gives one back; clearing forgets the key.
    f.store
        .refund_limit("login-account:a@b.example")
        .await
        .unwrap();
    let after = f
        .store
        .hit_limit("login-account:a@b.example", now + 1, window, 1)
        .await
        .unwrap();
    assert_eq!(after, (now, 40));
    f.store
        .clear_limit("login-account:a@b.example")
        .await
        .unwrap();
    assert_eq!(
        f.store
            .hit_limit("login-account:a@b.example", now + 2, window, 1)
            .await
            .unwrap(),
        (now + 2, 1)
    );
    // A window that has run out starts again with the hit.
    assert_eq!(
        other
            .hit_limit("write:10.0.0.1", now + window, window, 1)
            .await
            .unwrap(),
        (now + window, 1)
    );
    // A block of hits counts as that many.
    assert_eq!(
        other
            .hit_limit("write:10.0.0.1", now + window + 1, window, 12)
            .await
            .unwrap(),
        (now + window, 13)
    );
    // Pruning forgets windows that started before the given instant, and only those.
    assert_eq!(f.store.prune_limits(now + 1).await.unwrap(), 0);
    assert_eq!(f.store.prune_limits(now + 3).await.unwrap(), 1);
    assert_eq!(f.store.limits_shared(), db == Db::Postgres);
}
