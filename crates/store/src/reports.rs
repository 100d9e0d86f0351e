//! What the report reads that no other capability reads for it, and the press releases
//! as organisers edited them.

use crate::rows::{corrupt, get, time};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::ids::*;
use roadshow_domain::questions::QuestionState;
use roadshow_domain::reports::{
    DueReport, InterestSignal, LeadMove, PollVote, PressRelease, QuestionFacts, ReportStore,
    ScheduledReport,
};
use roadshow_domain::signals::SignalKind;
use roadshow_domain::store::StoreResult;
use std::collections::BTreeMap;

fn unpack_question(line: &str) -> StoreResult<QuestionFacts> {
    let f: Vec<&str> = line.split(',').collect();
    let [
        id,
        participant,
        department,
        state,
        votes,
        lang,
        created,
        first,
        live,
    ] = f[..]
    else {
        return Err(corrupt("question", line));
    };
    let number =
        |name: &'static str, text: &str| text.parse::<i64>().map_err(|_| corrupt(name, text));
    let at = |name: &'static str, text: &str| {
        number(name, text)
            .and_then(|t| DateTime::from_timestamp(t, 0).ok_or_else(|| corrupt(name, text)))
    };
    Ok(QuestionFacts {
        id: QuestionId(number("id", id)?),
        participant_id: ParticipantId(number("participant_id", participant)?),
        department_id: if department.is_empty() {
            None
        } else {
            Some(DepartmentId(number("department_id", department)?))
        },
        state: QuestionState::parse(state).ok_or_else(|| corrupt("state", state))?,
        votes: number("votes", votes)?,
        lang: lang.parse().map_err(|_| corrupt("lang", lang))?,
        created_at: at("created_at", created)?,
        first_answer_at: if first.is_empty() {
            None
        } else {
            Some(at("first_answer_at", first)?)
        },
        answered_live: live != "0",
    })
}

#[async_trait]
impl ReportStore for SqlStore {
    async fn presence_seconds(&self, event: EventId) -> StoreResult<BTreeMap<ParticipantId, i64>> {
        let rows = sqlx::query(
            "SELECT participant_id, CAST(SUM(amount) AS BIGINT) AS seconds FROM signals \
             WHERE event_id = $1 AND kind = $2 GROUP BY participant_id",
        )
        .bind(event.0)
        .bind(SignalKind::Attended.code())
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut out = BTreeMap::new();
        for row in &rows {
            let seconds: i64 = get(row, "seconds")?;
            out.insert(ParticipantId(get(row, "participant_id")?), seconds);
        }
        Ok(out)
    }

    async fn question_facts(&self, event: EventId) -> StoreResult<Vec<QuestionFacts>> {
        // One packed row of codes and numbers rather than a row per question: an event's
        // tens of thousands of questions cost the driver most of the time row by row.
        let aggregate = self.backend.pick("group_concat", "string_agg");
        let row = sqlx::query(&format!(
            "SELECT {aggregate}(CAST(q.id AS TEXT) || ',' || CAST(q.participant_id AS TEXT) || ',' || \
               COALESCE(CAST(q.department_id AS TEXT), '') || ',' || q.state || ',' || CAST(q.votes AS TEXT) || ',' || \
               q.lang || ',' || CAST(q.created_at AS TEXT) || ',' || COALESCE(CAST(a.first_at AS TEXT), '') || ',' || \
               CAST(COALESCE(a.live, 0) AS TEXT), ';') AS packed \
             FROM questions q LEFT JOIN \
               (SELECT question_id, MIN(created_at) AS first_at, MAX(live) AS live FROM answers GROUP BY question_id) a \
               ON a.question_id = q.id \
             WHERE q.event_id = $1"
        ))
        .bind(event.0)
        .fetch_one(&self.read)
        .await
        .map_err(backend_error)?;
        let packed: Option<String> = get(&row, "packed")?;
        let mut out: Vec<QuestionFacts> = packed
            .as_deref()
            .unwrap_or("")
            .split(';')
            .filter(|r| !r.is_empty())
            .map(unpack_question)
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|q| q.id);
        Ok(out)
    }

    async fn poll_votes(&self, event: EventId) -> StoreResult<Vec<PollVote>> {
        // Packed per poll (`participant:[choices] …`), as the questions are: an event's
        // hundred thousand votes cost the driver most of the time row by row.
        let aggregate = self.backend.pick("group_concat", "string_agg");
        let rows = sqlx::query(&format!(
            "SELECT v.poll_id, {aggregate}(CAST(v.participant_id AS TEXT) || ':' || v.choices, ' ') AS packed \
             FROM poll_votes v JOIN polls p ON p.id = v.poll_id WHERE p.event_id = $1 GROUP BY v.poll_id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut out = Vec::new();
        for row in &rows {
            let poll_id = PollId(get(row, "poll_id")?);
            let packed: Option<String> = get(row, "packed")?;
            for vote in packed
                .as_deref()
                .unwrap_or("")
                .split(' ')
                .filter(|v| !v.is_empty())
            {
                let (participant, choices) =
                    vote.split_once(':').ok_or_else(|| corrupt("vote", vote))?;
                out.push(PollVote {
                    poll_id,
                    participant_id: ParticipantId(
                        participant.parse().map_err(|_| corrupt("vote", vote))?,
                    ),
                    choices: serde_json::from_str(choices).map_err(|e| corrupt("vote", e))?,
                });
            }
        }
        Ok(out)
    }

    async fn lead_moves(&self, event: EventId) -> StoreResult<Vec<LeadMove>> {
        let rows = sqlx::query(
            "SELECT x.lead_id, x.field, x.after_value, x.at FROM lead_changes x \
             WHERE x.field IN ('stage', 'realised_capex_cny') AND x.lead_id IN \
             (SELECT l.id FROM leads l WHERE l.merged_into IS NULL AND l.company_id IN \
              (SELECT COALESCE(c.merged_into, c.id) FROM registrations r JOIN companies c ON c.id = r.company_id WHERE r.event_id = $1)) \
             ORDER BY x.at, x.id",
        )
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                Ok(LeadMove {
                    lead_id: LeadId(get(row, "lead_id")?),
                    field: get(row, "field")?,
                    after: get(row, "after_value")?,
                    at: time(row, "at")?,
                })
            })
            .collect()
    }

    async fn interest_signals(&self, event: EventId) -> StoreResult<Vec<InterestSignal>> {
        let kinds = [
            SignalKind::PolicyViewed,
            SignalKind::ParkViewed,
            SignalKind::EligibilityChecked,
            SignalKind::Eligible,
        ];
        let rows = sqlx::query(
            "SELECT participant_id, kind, ref_id, amount FROM signals \
             WHERE event_id = $1 AND kind IN ($2, $3, $4, $5) ORDER BY id",
        )
        .bind(event.0)
        .bind(kinds[0].code())
        .bind(kinds[1].code())
        .bind(kinds[2].code())
        .bind(kinds[3].code())
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                let kind: String = get(row, "kind")?;
                Ok(InterestSignal {
                    participant_id: ParticipantId(get(row, "participant_id")?),
                    kind: SignalKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
                    ref_id: get(row, "ref_id")?,
                    amount: get(row, "amount")?,
                })
            })
            .collect()
    }

    async fn report_schedule(&self, event: EventId) -> StoreResult<Vec<ScheduledReport>> {
        let rows = sqlx::query(
            "SELECT account_id, days_after, sent_at FROM report_schedules WHERE event_id = $1 \
             ORDER BY days_after, account_id",
        )
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                let sent: Option<i64> = get(row, "sent_at")?;
                Ok(ScheduledReport {
                    account_id: AccountId(get(row, "account_id")?),
                    days_after: get(row, "days_after")?,
                    sent_at: match sent {
                        Some(t) => Some(
                            DateTime::from_timestamp(t, 0).ok_or_else(|| corrupt("sent_at", t))?,
                        ),
                        None => None,
                    },
                })
            })
            .collect()
    }

    async fn set_report_schedule(
        &self,
        event: EventId,
        entries: &[(AccountId, i64)],
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        sqlx::query("DELETE FROM report_schedules WHERE event_id = $1 AND sent_at IS NULL")
            .bind(event.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        for (account, days) in entries {
            sqlx::query(
                "INSERT INTO report_schedules (event_id, account_id, days_after, sent_at) \
                 VALUES ($1, $2, $3, NULL) ON CONFLICT (event_id, account_id, days_after) DO NOTHING",
            )
            .bind(event.0)
            .bind(account.0)
            .bind(*days)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)
    }

    async fn due_reports(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<DueReport>> {
        let rows = sqlx::query(
            "SELECT s.event_id, s.account_id, s.days_after FROM report_schedules s \
             JOIN events e ON e.id = s.event_id \
             WHERE s.sent_at IS NULL AND e.ends_at + s.days_after * 86400 <= $1 \
             ORDER BY e.ends_at, s.event_id, s.days_after, s.account_id LIMIT $2",
        )
        .bind(now.timestamp())
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                Ok(DueReport {
                    event_id: EventId(get(row, "event_id")?),
                    account_id: AccountId(get(row, "account_id")?),
                    days_after: get(row, "days_after")?,
                })
            })
            .collect()
    }

    async fn claim_report(&self, due: &DueReport, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE report_schedules SET sent_at = $1 \
             WHERE event_id = $2 AND account_id = $3 AND days_after = $4 AND sent_at IS NULL",
        )
        .bind(at.timestamp())
        .bind(due.event_id.0)
        .bind(due.account_id.0)
        .bind(due.days_after)
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn press_release(
        &self,
        event: EventId,
        language: Lang,
    ) -> StoreResult<Option<PressRelease>> {
        let row = sqlx::query(
            "SELECT title, body, updated_at FROM press_releases WHERE event_id = $1 AND language = $2",
        )
        .bind(event.0)
        .bind(language.code())
        .fetch_optional(&self.read)
        .await
        .map_err(backend_error)?;
        row.map(|r| {
            Ok(PressRelease {
                language,
                title: get(&r, "title")?,
                body: get(&r, "body")?,
                updated_at: time(&r, "updated_at")?,
            })
        })
        .transpose()
    }

    async fn save_press_release(&self, event: EventId, release: &PressRelease) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO press_releases (event_id, language, title, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (event_id, language) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(event.0)
        .bind(release.language.code())
        .bind(&release.title)
        .bind(&release.body)
        .bind(release.updated_at.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn delete_press_release(&self, event: EventId, language: Lang) -> StoreResult<()> {
        sqlx::query("DELETE FROM press_releases WHERE event_id = $1 AND language = $2")
            .bind(event.0)
            .bind(language.code())
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
