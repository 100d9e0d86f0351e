//! The live exchange's storage: questions, votes, answers, polls and the per-event log of
//! live events. Each change runs in one transaction that also appends its live events;
//! on PostgreSQL the transaction sends a NOTIFY that is delivered when it commits.

use crate::rows::{self, flag, get, json, optional_time, time, to_json};
use crate::sql_store::{SqlStore, insert_email, now};
use crate::{Backend, backend_error};
use roadshow_domain::Lang;
use roadshow_domain::ids::*;
use roadshow_domain::mail::{EmailMessage, EmailStatus};
use roadshow_domain::qa::*;
use roadshow_domain::store::*;
use sqlx::any::AnyRow;
use std::collections::HashMap;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

fn lang(row: &AnyRow, column: &str) -> StoreResult<Lang> {
    let code: String = get(row, column)?;
    code.parse()
        .map_err(|_| rows::corrupt(column, code.as_str()))
}

fn question_row(row: &AnyRow) -> StoreResult<Question> {
    let state: String = get(row, "state")?;
    Ok(Question {
        id: QuestionId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        session_id: get::<Option<i64>>(row, "session_id")?.map(SessionId),
        participant_id: ParticipantId(get(row, "participant_id")?),
        author_name: get(row, "author_name")?,
        author_company: get(row, "author_company")?,
        anonymous: flag(row, "anonymous")?,
        text: get(row, "text")?,
        original_text: get(row, "original_text")?,
        lang: lang(row, "lang")?,
        state: QuestionState::parse(&state).ok_or_else(|| rows::corrupt("state", &state))?,
        dismiss_reason: get(row, "dismiss_reason")?,
        merged_into: get::<Option<i64>>(row, "merged_into")?.map(QuestionId),
        department_id: get::<Option<i64>>(row, "department_id")?.map(DepartmentId),
        suggested_department: get::<Option<i64>>(row, "suggested_department_id")?.map(DepartmentId),
        suggestion_reason: get(row, "suggestion_reason")?,
        pinned: flag(row, "pinned")?,
        votes: get(row, "votes")?,
        answers: Vec::new(),
        created_at: time(row, "created_at")?,
        version: get(row, "version")?,
    })
}

fn answer_row(row: &AnyRow) -> StoreResult<Answer> {
    Ok(Answer {
        id: AnswerId(get(row, "id")?),
        question_id: QuestionId(get(row, "question_id")?),
        department_id: get::<Option<i64>>(row, "department_id")?.map(DepartmentId),
        author_id: UserId(get(row, "author_id")?),
        author_name: get(row, "author_name")?,
        body: get(row, "body")?,
        lang: lang(row, "lang")?,
        live: flag(row, "live")?,
        created_at: time(row, "created_at")?,
    })
}

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

fn live_row(row: &AnyRow) -> StoreResult<LiveEvent> {
    let audience: String = get(row, "audience")?;
    Ok(LiveEvent {
        event_id: EventId(get(row, "event_id")?),
        seq: get(row, "seq")?,
        kind: get(row, "kind")?,
        audience: if audience == "staff" {
            Audience::Staff
        } else {
            Audience::Public
        },
        data: get(row, "data")?,
    })
}

/// The JSON data of a `question_voted` event.
pub fn voted_data(question: QuestionId, votes: i64) -> String {
    serde_json::json!({ "id": question.0, "votes": votes }).to_string()
}

impl SqlStore {
    /// Appends live events to an event's log inside `tx`. The upsert locks the event's
    /// `live_streams` row until commit, so numbers are handed out in commit order and a
    /// reader that has seen number n has seen everything before it.
    async fn append_live(
        &self,
        tx: &mut Tx<'_>,
        event: EventId,
        events: &[NewLiveEvent],
    ) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let count = events.len() as i64;
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO live_streams (event_id, seq) VALUES ($1, $2) \
             ON CONFLICT (event_id) DO UPDATE SET seq = live_streams.seq + $2 RETURNING seq",
        )
        .bind(event.0)
        .bind(count)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
        let created = now();
        for (i, e) in events.iter().enumerate() {
            sqlx::query("INSERT INTO live_events (event_id, seq, kind, audience, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(event.0)
                .bind(last - count + 1 + i as i64)
                .bind(e.kind)
                .bind(e.audience.code())
                .bind(&e.data)
                .bind(created)
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
        }
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(&self.live_channel)
                .bind(format!("{}:{last}", event.0))
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
        }
        Ok(())
    }

    async fn attach_answers(&self, questions: &mut [Question]) -> StoreResult<()> {
        if questions.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = questions.iter().map(|q| q.id.0.to_string()).collect();
        // The ids are integers read from the database, so listing them inline is safe.
        let answers = sqlx::query(&format!(
            "SELECT * FROM answers WHERE question_id IN ({}) ORDER BY created_at, id",
            ids.join(",")
        ))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut by_question: HashMap<QuestionId, Vec<Answer>> = HashMap::new();
        for row in &answers {
            let answer = answer_row(row)?;
            by_question
                .entry(answer.question_id)
                .or_default()
                .push(answer);
        }
        for q in questions.iter_mut() {
            q.answers = by_question.remove(&q.id).unwrap_or_default();
        }
        Ok(())
    }

    async fn question_in(&self, tx: &mut Tx<'_>, id: QuestionId) -> StoreResult<Question> {
        let row = sqlx::query("SELECT * FROM questions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(backend_error)?
            .ok_or(StoreError::NotFound)?;
        let mut q = question_row(&row)?;
        let answers =
            sqlx::query("SELECT * FROM answers WHERE question_id = $1 ORDER BY created_at, id")
                .bind(id.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(backend_error)?;
        q.answers = answers.iter().map(answer_row).collect::<StoreResult<_>>()?;
        Ok(q)
    }

    /// Writes a question's moderated fields if its version is still the one before.
    async fn write_question(&self, tx: &mut Tx<'_>, q: &Question) -> StoreResult<()> {
        let done = sqlx::query("UPDATE questions SET text = $1, original_text = $2, state = $3, dismiss_reason = $4, merged_into = $5, department_id = $6, pinned = $7, version = $8, updated_at = $9 WHERE id = $10 AND version = $11")
            .bind(&q.text)
            .bind(q.original_text.clone())
            .bind(q.state.code())
            .bind(q.dismiss_reason.clone())
            .bind(q.merged_into.map(|m| m.0))
            .bind(q.department_id.map(|d| d.0))
            .bind(i64::from(q.pinned))
            .bind(q.version)
            .bind(now())
            .bind(q.id.0)
            .bind(q.version - 1)
            .execute(&mut **tx)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        if q.pinned {
            sqlx::query("UPDATE questions SET pinned = 0, version = version + 1 WHERE event_id = $1 AND id <> $2 AND pinned = 1")
                .bind(q.event_id.0)
                .bind(q.id.0)
                .execute(&mut **tx)
                .await
                .map_err(backend_error)?;
        }
        Ok(())
    }

    pub(crate) async fn create_question(
        &self,
        d: &QuestionDraft,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let t = now();
        let row = sqlx::query("INSERT INTO questions (event_id, session_id, participant_id, author_name, author_company, anonymous, text, lang, state, suggested_department_id, suggestion_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $11) RETURNING *")
            .bind(d.event.0)
            .bind(d.question.session_id.map(|s| s.0))
            .bind(d.participant.0)
            .bind(&d.author_name)
            .bind(&d.author_company)
            .bind(i64::from(d.question.anonymous))
            .bind(&d.question.text)
            .bind(d.question.lang.code())
            .bind(d.suggested_department.map(|s| s.0))
            .bind(d.suggestion_reason.clone())
            .bind(t)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        let question = question_row(&row)?;
        self.append_live(&mut tx, d.event, &live(&question)).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(question)
    }

    pub(crate) async fn question(&self, id: QuestionId) -> StoreResult<Option<Question>> {
        let Some(row) = sqlx::query("SELECT * FROM questions WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?
        else {
            return Ok(None);
        };
        let mut list = vec![question_row(&row)?];
        self.attach_answers(&mut list).await?;
        Ok(list.pop())
    }

    pub(crate) async fn questions(&self, f: &QuestionFilter) -> StoreResult<Vec<Question>> {
        let mut sql = String::from("SELECT q.* FROM questions q");
        if f.agency.is_some() {
            sql.push_str(" JOIN events e ON e.id = q.event_id");
        }
        sql.push_str(" WHERE 1 = 1");
        let mut binds: Vec<i64> = Vec::new();
        for (column, value) in [
            ("q.event_id", f.event.map(|e| e.0)),
            ("e.agency_id", f.agency.map(|a| a.0)),
            ("q.department_id", f.department.map(|d| d.0)),
            ("q.participant_id", f.participant.map(|p| p.0)),
        ] {
            if let Some(v) = value {
                binds.push(v);
                sql.push_str(&format!(" AND {column} = ${}", binds.len()));
            }
        }
        if !f.states.is_empty() {
            // State codes are fixed identifiers from the domain, not user input.
            let states: Vec<String> = f.states.iter().map(|s| format!("'{}'", s.code())).collect();
            sql.push_str(&format!(" AND q.state IN ({})", states.join(",")));
        }
        sql.push_str(" ORDER BY q.created_at, q.id");
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = query.bind(b);
        }
        let mut list = query
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(question_row)
            .collect::<StoreResult<Vec<_>>>()?;
        self.attach_answers(&mut list).await?;
        Ok(list)
    }

    pub(crate) async fn save_question(
        &self,
        q: &Question,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        self.write_question(&mut tx, q).await?;
        let saved = self.question_in(&mut tx, q.id).await?;
        self.append_live(&mut tx, q.event_id, &live(&saved)).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

    pub(crate) async fn merge_question(
        &self,
        source: &Question,
        target: QuestionId,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let mut merged = source.clone();
        merged.merged_into = Some(target);
        self.write_question(&mut tx, &merged).await?;
        let moved = sqlx::query("INSERT INTO question_votes (question_id, participant_id, created_at) SELECT $1, participant_id, created_at FROM question_votes WHERE question_id = $2 ON CONFLICT DO NOTHING")
            .bind(target.0)
            .bind(source.id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?
            .rows_affected() as i64;
        sqlx::query("UPDATE questions SET votes = votes + $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(moved)
            .bind(now())
            .bind(target.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let saved = self.question_in(&mut tx, target).await?;
        self.append_live(&mut tx, source.event_id, &live(&saved))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

    pub(crate) async fn apply_votes(
        &self,
        changes: &[VoteChange],
    ) -> StoreResult<Vec<VoteOutcome>> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let t = now();
        let mut outcomes = Vec::with_capacity(changes.len());
        // Per event, the questions whose count changed, with their newest count.
        let mut changed: Vec<(EventId, QuestionId, i64)> = Vec::new();
        for c in changes {
            // `votes = votes ± 1` re-reads the row under its lock, so concurrent votes on
            // PostgreSQL add up; the primary key of question_votes is the once-only rule.
            let sql = if c.up {
                "INSERT INTO question_votes (question_id, participant_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM question_votes WHERE question_id = $1 AND participant_id = $2 AND $3 = $3"
            };
            let done = sqlx::query(sql)
                .bind(c.question.0)
                .bind(c.participant.0)
                .bind(t)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?
                .rows_affected()
                > 0;
            let votes: i64 = if done {
                sqlx::query_scalar(&format!(
                    "UPDATE questions SET votes = votes {} 1 WHERE id = $1 RETURNING votes",
                    if c.up { "+" } else { "-" }
                ))
                .bind(c.question.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend_error)?
            } else {
                sqlx::query_scalar("SELECT votes FROM questions WHERE id = $1")
                    .bind(c.question.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?
                    .unwrap_or(0)
            };
            if done {
                match changed.iter_mut().find(|(_, q, _)| *q == c.question) {
                    Some(entry) => entry.2 = votes,
                    None => changed.push((c.event, c.question, votes)),
                }
            }
            outcomes.push(VoteOutcome {
                question: c.question,
                votes,
                changed: done,
            });
        }
        let mut events: Vec<EventId> = changed.iter().map(|(e, _, _)| *e).collect();
        events.sort();
        events.dedup();
        for event in events {
            let live: Vec<NewLiveEvent> = changed
                .iter()
                .filter(|(e, _, _)| *e == event)
                .map(|(_, q, votes)| NewLiveEvent {
                    kind: live_kind::QUESTION_VOTED,
                    audience: Audience::Public,
                    data: voted_data(*q, *votes),
                })
                .collect();
            self.append_live(&mut tx, event, &live).await?;
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(outcomes)
    }

    pub(crate) async fn voted_questions(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<QuestionId>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT v.question_id FROM question_votes v JOIN questions q ON q.id = v.question_id WHERE q.event_id = $1 AND v.participant_id = $2")
            .bind(event.0)
            .bind(participant.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        Ok(ids.into_iter().map(QuestionId).collect())
    }

    pub(crate) async fn add_answer(
        &self,
        q: &Question,
        a: &AnswerDraft,
        email: Option<(&EmailMessage, EmailStatus, AgencyId)>,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        self.write_question(&mut tx, q).await?;
        sqlx::query("INSERT INTO answers (question_id, department_id, author_id, author_name, body, lang, live, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(q.id.0)
            .bind(a.department.map(|d| d.0))
            .bind(a.author.0)
            .bind(&a.author_name)
            .bind(&a.answer.body)
            .bind(a.answer.lang.code())
            .bind(i64::from(a.answer.live))
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if let Some((message, status, agency)) = email {
            insert_email(&mut tx, Some(agency), message, status).await?;
        }
        let saved = self.question_in(&mut tx, q.id).await?;
        self.append_live(&mut tx, q.event_id, &live(&saved)).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

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
        let row = sqlx::query("SELECT * FROM polls WHERE id = $1")
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

    pub(crate) async fn create_poll(
        &self,
        event: EventId,
        p: &NewPoll,
        live: PollLive<'_>,
    ) -> StoreResult<Poll> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let t = now();
        let row = sqlx::query("INSERT INTO polls (event_id, session_id, question, options, multiple, state, results_shown, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', 0, $6, $6) RETURNING *")
            .bind(event.0)
            .bind(p.session_id.map(|s| s.0))
            .bind(to_json(&p.question))
            .bind(to_json(&p.options))
            .bind(i64::from(p.multiple))
            .bind(t)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        let poll = poll_row(&row)?;
        self.append_live(&mut tx, event, &live(&poll)).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    pub(crate) async fn poll(&self, id: PollId) -> StoreResult<Option<Poll>> {
        let Some(row) = sqlx::query("SELECT * FROM polls WHERE id = $1")
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

    pub(crate) async fn polls(&self, event: EventId) -> StoreResult<Vec<Poll>> {
        let rows = sqlx::query("SELECT * FROM polls WHERE event_id = $1 ORDER BY id")
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

    pub(crate) async fn set_poll_state(
        &self,
        id: PollId,
        state: PollState,
        results_shown: bool,
        live: PollLive<'_>,
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
        self.append_live(&mut tx, poll.event_id, &live(&poll))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    pub(crate) async fn vote_poll(
        &self,
        id: PollId,
        participant: ParticipantId,
        choices: &[usize],
        live: PollLive<'_>,
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
            .bind(to_json(&choices))
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let poll = self.poll_in(&mut tx, id).await?;
        self.append_live(&mut tx, poll.event_id, &live(&poll))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(poll)
    }

    pub(crate) async fn poll_choices(
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

    pub(crate) async fn live_state(&self, event: EventId) -> StoreResult<LiveState> {
        let row = sqlx::query("SELECT seq, current_session_id, answer_working_days, faq_published_at FROM live_streams WHERE event_id = $1")
            .bind(event.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?;
        let Some(row) = row else {
            return Ok(LiveState::default());
        };
        Ok(LiveState {
            seq: get(&row, "seq")?,
            current_session: get::<Option<i64>>(&row, "current_session_id")?.map(SessionId),
            answer_working_days: u32::try_from(get::<i64>(&row, "answer_working_days")?)
                .unwrap_or(5),
            faq_published_at: optional_time(&row, "faq_published_at")?,
        })
    }

    pub(crate) async fn live_events(
        &self,
        event: EventId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<LiveEvent>> {
        sqlx::query(
            "SELECT * FROM live_events WHERE event_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(event.0)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(live_row)
        .collect()
    }

    pub(crate) async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
        live: NewLiveEvent,
    ) -> StoreResult<LiveState> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        sqlx::query("INSERT INTO live_streams (event_id, seq, current_session_id) VALUES ($1, 0, $2) ON CONFLICT (event_id) DO UPDATE SET current_session_id = excluded.current_session_id")
            .bind(event.0)
            .bind(session.map(|s| s.0))
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        self.append_live(&mut tx, event, std::slice::from_ref(&live))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        self.live_state(event).await
    }

    pub(crate) async fn set_answer_settings(
        &self,
        event: EventId,
        working_days: u32,
        faq_published: bool,
    ) -> StoreResult<LiveState> {
        let t = now();
        sqlx::query("INSERT INTO live_streams (event_id, seq, answer_working_days, faq_published_at) VALUES ($1, 0, $2, $3) ON CONFLICT (event_id) DO UPDATE SET answer_working_days = excluded.answer_working_days, faq_published_at = CASE WHEN $4 = 0 THEN NULL ELSE COALESCE(live_streams.faq_published_at, excluded.faq_published_at) END")
            .bind(event.0)
            .bind(i64::from(working_days))
            .bind(faq_published.then_some(t))
            .bind(i64::from(faq_published))
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        self.live_state(event).await
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
