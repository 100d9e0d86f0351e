//! Group commit: whoever writes while a commit runs waits for the next one, which takes
//! everything that arrived meanwhile in one transaction. A rush (votes in a live poll,
//! registrations after an announcement, the signals of a busy event) then costs one disk
//! sync per group instead of one per write, and each writer is answered only after the
//! commit that holds its write, so an acknowledged write survives a crash.

use crate::{AppError, AppResult};
use std::future::Future;
use tokio::sync::{mpsc, oneshot};

type Request<T, R> = (T, oneshot::Sender<AppResult<R>>);

/// A writer of `T`s answering each with an `R`.
pub struct GroupCommit<T, R> {
    sender: mpsc::Sender<Request<T, R>>,
    name: &'static str,
}

impl<T: Send + 'static, R: Send + 'static> GroupCommit<T, R> {
    /// Starts the writer. `commit` takes the writes that arrived together (at most
    /// `most` of them) and answers each, in their order; a write it leaves unanswered is
    /// told the writer failed. `name` says what is written, in errors.
    pub fn start<F, Fut>(name: &'static str, most: usize, mut commit: F) -> GroupCommit<T, R>
    where
        F: FnMut(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<AppResult<R>>> + Send,
    {
        let (sender, mut receiver) = mpsc::channel::<Request<T, R>>(most * 8);
        tokio::spawn(async move {
            let mut batch: Vec<Request<T, R>> = Vec::with_capacity(most);
            while receiver.recv_many(&mut batch, most).await > 0 {
                let (items, replies): (Vec<T>, Vec<_>) = batch.drain(..).unzip();
                let mut answers = commit(items).await.into_iter();
                for reply in replies {
                    let answer = answers.next().unwrap_or_else(|| {
                        Err(AppError::internal(format!(
                            "the {name} writer lost a write"
                        )))
                    });
                    // A writer that stopped waiting has nothing to be told.
                    let _ = reply.send(answer);
                }
            }
        });
        GroupCommit { sender, name }
    }

    /// Writes `item` with the next group and waits for its commit.
    pub async fn submit(&self, item: T) -> AppResult<R> {
        let stopped = || AppError::internal(format!("the {} writer has stopped", self.name));
        let (reply, answer) = oneshot::channel();
        self.sender
            .send((item, reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_sent_together_share_a_commit_and_each_gets_its_answer() {
        let (seen, mut groups) = mpsc::unbounded_channel::<usize>();
        let writer =
            std::sync::Arc::new(GroupCommit::start("test", 100, move |items: Vec<u32>| {
                let seen = seen.clone();
                async move {
                    let _ = seen.send(items.len());
                    tokio::task::yield_now().await;
                    items
                        .into_iter()
                        .map(|i| {
                            if i == 7 {
                                Err(AppError::NotFound)
                            } else {
                                Ok(i * 2)
                            }
                        })
                        .collect()
                }
            }));
        let mut tasks = Vec::new();
        for i in 0..50u32 {
            let w = writer.clone();
            tasks.push(tokio::spawn(async move { (i, w.submit(i).await) }));
        }
        for t in tasks {
            let (i, answer) = t.await.unwrap();
            match answer {
                Ok(v) => assert_eq!(v, i * 2),
                Err(e) => assert!(i == 7 && matches!(e, AppError::NotFound)),
            }
        }
        let mut total = 0;
        let mut commits = 0;
        while let Ok(n) = groups.try_recv() {
            total += n;
            commits += 1;
        }
        assert_eq!(total, 50);
        assert!(commits < 50, "{commits} commits for 50 writes");
    }

    #[tokio::test]
    async fn a_write_the_commit_leaves_unanswered_is_told_so() {
        let writer: GroupCommit<u32, u32> =
            GroupCommit::start("test", 10, |_items: Vec<u32>| async { Vec::new() });
        let err = writer.submit(1).await.unwrap_err();
        assert!(matches!(err, AppError::Internal(_)));
    }
}
