//! Questions, votes and answers of the live exchange. Each change runs in one
//! transaction that also appends its live events.

use crate::live::Tx;
use crate::outbox::insert_email;
use crate::rows::{self, flag, get, time};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use roadshow_domain::Lang;
use roadshow_domain::ids::*;
use roadshow_domain::live::*;
use roadshow_domain::outbox::{EmailMessage, EmailStatus};
use roadshow_domain::questions::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use std::collections::HashMap;

const QUESTION_COLUMNS: &str = "id, event_id, session_id, participant_id, author_name, author_company, anonymous, text, original_text, lang, state, dismiss_reason, merged_into, department_id, suggested_department_id, suggestion_reason, pinned, votes, version, created_at";
const ANSWER_COLUMNS: &str =
    "id, question_id, department_id, author_id, author_name, body, lang, live, created_at";

pub(crate) fn lang(row: &AnyRow, column: &str) -> StoreResult<Lang> {
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
        author_id: AccountId(get(row, "author_id")?),
        author_name: get(row, "author_name")?,
        body: get(row, "body")?,
        lang: lang(row, "lang")?,
        live: flag(row, "live")?,
        created_at: time(row, "created_at")?,
    })
}

#[async_trait]
impl QuestionStore for SqlStore {
    async fn create_question(&self, d: &NewQuestion, live: &QuestionLive) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let t = now();
        let row = sqlx::query(&format!("INSERT INTO questions (event_id, session_id, participant_id, author_name, author_company, anonymous, text, lang, state, suggested_department_id, suggestion_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $11) RETURNING {QUESTION_COLUMNS}"))
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
        self.append_live(&mut tx, d.event, &live.events(&question))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(question)
    }

    async fn question(&self, id: QuestionId) -> StoreResult<Option<Question>> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE id = $1"
        ))
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

    async fn questions(&self, f: &QuestionFilter) -> StoreResult<Vec<Question>> {
        let columns: Vec<String> = QUESTION_COLUMNS
            .split(", ")
            .map(|c| format!("q.{c}"))
            .collect();
        let mut sql = format!("SELECT {} FROM questions q", columns.join(", "));
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
        if f.routed {
            sql.push_str(" AND q.department_id IS NOT NULL");
        }
        let paged = f.after.is_some() || f.limit.is_some();
        if let Some(after) = f.after {
            binds.push(after.0);
            sql.push_str(&format!(" AND q.id > ${}", binds.len()));
        }
        if f.by_votes {
            sql.push_str(" ORDER BY q.pinned DESC, q.votes DESC, q.id");
        } else if f.newest {
            sql.push_str(" ORDER BY q.id DESC");
        } else if paged {
            sql.push_str(" ORDER BY q.id");
        } else {
            sql.push_str(" ORDER BY q.created_at, q.id");
        }
        if let Some(limit) = f.limit {
            binds.push(i64::try_from(limit).unwrap_or(i64::MAX));
            sql.push_str(&format!(" LIMIT ${}", binds.len()));
        }
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

    async fn question_counts(&self, event: EventId) -> StoreResult<Vec<(QuestionState, i64)>> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM questions WHERE event_id = $1 GROUP BY state ORDER BY state",
        )
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                let code: String = get(row, "state")?;
                let state =
                    QuestionState::parse(&code).ok_or_else(|| rows::corrupt("state", &code))?;
                Ok((state, get(row, "n")?))
            })
            .collect()
    }

    async fn save_question(&self, q: &Question, live: &QuestionLive) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        self.write_question(&mut tx, q).await?;
        let saved = self.question_in(&mut tx, q.id).await?;
        self.append_live(&mut tx, q.event_id, &live.events(&saved))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

    async fn merge_question(
        &self,
        source: &Question,
        target: QuestionId,
        live: &QuestionLive,
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
        self.append_live(&mut tx, source.event_id, &live.events(&saved))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

    async fn apply_votes(&self, changes: &[VoteChange]) -> StoreResult<Vec<VoteOutcome>> {
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
                .map(|(_, q, votes)| votes_changed(*q, *votes))
                .collect();
            self.append_live(&mut tx, event, &live).await?;
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(outcomes)
    }

    async fn voted_questions(
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

    async fn add_answer(
        &self,
        q: &Question,
        a: &NewAnswer,
        email: Option<(&EmailMessage, EmailStatus, AgencyId)>,
        live: &QuestionLive,
    ) -> StoreResult<Question> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        self.write_question(&mut tx, q).await?;
        let answer: i64 = sqlx::query_scalar("INSERT INTO answers (question_id, department_id, author_id, author_name, body, lang, live, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(q.id.0)
            .bind(a.department.map(|d| d.0))
            .bind(a.author.0)
            .bind(&a.author_name)
            .bind(&a.answer.body)
            .bind(a.answer.lang.code())
            .bind(i64::from(a.answer.live))
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        if let Some((message, status, agency)) = email {
            insert_email(&mut tx, Some(agency), message, status).await?;
        }
        crate::webhooks::enqueue(
            &mut tx,
            crate::webhooks::Audience::Event(q.event_id),
            roadshow_domain::webhooks::EventType::QuestionAnswered,
            serde_json::json!({"event_id": q.event_id.0, "question_id": q.id.0, "answer_id": answer}),
        )
        .await?;
        let saved = self.question_in(&mut tx, q.id).await?;
        self.append_live(&mut tx, q.event_id, &live.events(&saved))
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(saved)
    }

    async fn set_answer_settings(
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

impl SqlStore {
    async fn attach_answers(&self, questions: &mut [Question]) -> StoreResult<()> {
        if questions.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = questions.iter().map(|q| q.id.0.to_string()).collect();
        // The ids are integers read from the database, so listing them inline is safe.
        let answers = sqlx::query(&format!(
            "SELECT {ANSWER_COLUMNS} FROM answers WHERE question_id IN ({}) ORDER BY created_at, id",
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
        let row = sqlx::query(&format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend_error)?
        .ok_or(StoreError::NotFound)?;
        let mut q = question_row(&row)?;
        let answers = sqlx::query(&format!(
            "SELECT {ANSWER_COLUMNS} FROM answers WHERE question_id = $1 ORDER BY created_at, id"
        ))
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
}
