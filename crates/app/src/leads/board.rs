//! Live boards: one reader per process polls the board's revision (one row) while at
//! least one board is open, and tells every open board when it moves. Polling the store
//! rather than signalling in memory is what lets an officer served by one process see
//! a move made through another.

use roadshow_domain::store::{Store, StoreResult};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How often the revision is read while boards are open.
const EVERY: Duration = Duration::from_millis(500);

/// The open boards' shared view of the revision.
pub struct BoardWatch {
    store: Arc<dyn Store>,
    every: Duration,
    current: Mutex<Option<watch::Sender<i64>>>,
}

impl BoardWatch {
    pub fn new(store: Arc<dyn Store>) -> BoardWatch {
        BoardWatch {
            store,
            every: EVERY,
            current: Mutex::new(None),
        }
    }

    /// A receiver of the board's revision, starting with the current one. The reader
    /// starts with the first board and stops after the last one is closed.
    pub async fn follow(self: &Arc<Self>) -> StoreResult<watch::Receiver<i64>> {
        let revision = self.store.lead_board_revision().await?;
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(sender) = current.as_ref() {
            let receiver = sender.subscribe();
            sender.send_if_modified(|r| raise(r, revision));
            return Ok(receiver);
        }
        let (sender, receiver) = watch::channel(revision);
        *current = Some(sender.clone());
        drop(current);
        let this = self.clone();
        tokio::spawn(async move { this.read_while_open(sender).await });
        Ok(receiver)
    }

    async fn read_while_open(&self, sender: watch::Sender<i64>) {
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            {
                let mut current = self
                    .current
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // Checked under the lock so that a board opening now either finds this
                // reader still running or starts a new one.
                if sender.receiver_count() == 0 {
                    *current = None;
                    return;
                }
            }
            match self.store.lead_board_revision().await {
                Ok(revision) => {
                    sender.send_if_modified(|r| raise(r, revision));
                }
                // A store that cannot be read now is read again at the next tick.
                Err(e) => tracing::warn!(
                    error = &e as &dyn std::error::Error,
                    "reading the leads board's revision failed"
                ),
            }
        }
    }
}

/// Moves the shared revision forward only: a reader on a lagging replica never sends a
/// board back.
fn raise(current: &mut i64, read: i64) -> bool {
    if read > *current {
        *current = read;
        true
    } else {
        false
    }
}
