//! Polls and their votes.

use crate::live::Tx;
use crate::rows::{self, flag, get, json, time, to_json};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use roadshow_domain::ids::*;
use roadshow_domain::live::*;
use roadshow_domain::polls::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

const POLL_COLUMNS: &str =
    "id, event_id, session_id, question, options, multiple, state, results_shown, created_at";

fn poll_row(row: &AnyRow) -> StoreResult<Poll> {
    let state: String = get(row, "state")?;
    let options: Vec<roadshow_domain::Localized> = json(row, "options")?;
    Ok(Poll {
        id: PollId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        session_id: get::<Option<i64>>(row, "session_id")?.map(SessionId),
        question: json(row, "question")?,
        counts: vec![0; options.len()],
        options,
        multiple: flag(row, "multiple")?,
        state: PollState::parse(&state).ok_or_else(|| rows::corrupt("state", &state))?,
        results_shown: flag(row, "results_shown")?,
        voters: 0,
        created_at: time(row, "created_at")?,
    })
}

#[async_trait]
impl PollStore for SqlStore {
    async fn create_poll(
        &self,
        event: EventId,
        p: &PollDraft,
        live: PollLive,
    ) -> StoreResult<Poll> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let t = now();
        let row = sqlx::query(&format!("INSERT INTO polls (event_id, session_id, question, options, multiple, state, results_shown, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', 0, $6, $6) RETURNING {POLL_COLUMNS}"))
            .bind(event.0)
            .bind(p.session_id.map(|s| s.0))
            .bind(to_json(&p.question)?)
            .bind(to_json(&p.options)?)
            .bind(i64::from(p.multiple))
            .bind(t)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        let poll = poll_row(&row)?;
        self.append_live(&mut tx, event, &live.events(&poll))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    async fn poll(&self, id: PollId) -> StoreResult<Option<Poll>> {
        let Some(row) = sqlx::query(&format!("SELECT {POLL_COLUMNS} FROM polls WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?
        else {
            return Ok(None);
        };
        let mut poll = poll_row(&row)?;
        self.count_poll(&mut poll).await?;
        Ok(Some(poll))
    }

    async fn polls(&self, event: EventId) -> StoreResult<Vec<Poll>> {
        let rows = sqlx::query(&format!(
            "SELECT {POLL_COLUMNS} FROM polls WHERE event_id = $1 ORDER BY id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut polls = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut poll = poll_row(row)?;
            self.count_poll(&mut poll).await?;
            polls.push(poll);
        }
        Ok(polls)
    }

    async fn set_poll_state(
        &self,
        id: PollId,
        state: PollState,
        results_shown: bool,
        live: PollLive,
    ) -> StoreResult<Poll> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let done = sqlx::query(
            "UPDATE polls SET state = $1, results_shown = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(state.code())
        .bind(i64::from(results_shown))
        .bind(now())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let poll = self.poll_in(&mut tx, id).await?;
        self.append_live(&mut tx, poll.event_id, &live.events(&poll))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    async fn vote_poll(
        &self,
        id: PollId,
        participant: ParticipantId,
        choices: &[usize],
        live: PollLive,
    ) -> StoreResult<Poll> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // Touching the poll's row first locks it, so a vote cannot slip in after a
        // concurrent close has committed.
        let state: Option<String> =
            sqlx::query_scalar("UPDATE polls SET updated_at = $1 WHERE id = $2 RETURNING state")
                .bind(now())
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend_error)?;
        match state.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("open") => {}
            Some(_) => return Err(StoreError::Conflict("poll_not_open")),
        }
        sqlx::query("INSERT INTO poll_votes (poll_id, participant_id, choices, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (poll_id, participant_id) DO UPDATE SET choices = excluded.choices, created_at = excluded.created_at")
            .bind(id.0)
            .bind(participant.0)
            .bind(to_json(&choices)?)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let poll = self.poll_in(&mut tx, id).await?;
        self.append_live(&mut tx, poll.event_id, &live.events(&poll))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    async fn poll_choices(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<(PollId, Vec<usize>)>> {
        let rows = sqlx::query("SELECT v.poll_id, v.choices FROM poll_votes v JOIN polls p ON p.id = v.poll_id WHERE p.event_id = $1 AND v.participant_id = $2")
            .bind(event.0)
            .bind(participant.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter()
            .map(|r| Ok((PollId(get(r, "poll_id")?), json(r, "choices")?)))
            .collect()
    }
}

impl SqlStore {
    async fn count_poll(&self, poll: &mut Poll) -> StoreResult<()> {
        let choices: Vec<String> =
            sqlx::query_scalar("SELECT choices FROM poll_votes WHERE poll_id = $1")
                .bind(poll.id.0)
                .fetch_all(&self.read)
                .await
                .map_err(backend_error)?;
        tally(poll, &choices);
        Ok(())
    }

    async fn poll_in(&self, tx: &mut Tx<'_>, id: PollId) -> StoreResult<Poll> {
        let row = sqlx::query(&format!("SELECT {POLL_COLUMNS} FROM polls WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(backend_error)?
            .ok_or(StoreError::NotFound)?;
        let mut poll = poll_row(&row)?;
        let choices: Vec<String> =
            sqlx::query_scalar("SELECT choices FROM poll_votes WHERE poll_id = $1")
                .bind(id.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(backend_error)?;
        tally(&mut poll, &choices);
        Ok(poll)
    }
}

/// Counts stored choices into the poll; choices out of range (none are stored) are skipped.
fn tally(poll: &mut Poll, stored: &[String]) {
    poll.counts = vec![0; poll.options.len()];
    poll.voters = 0;
    for text in stored {
        let Ok(choices) = serde_json::from_str::<Vec<usize>>(text) else {
            continue;
        };
        poll.voters += 1;
        for c in choices {
            if let Some(n) = poll.counts.get_mut(c) {
                *n += 1;
            }
        }
    }
}
