//! The intent survey: wording and times, invitations with their links, and answers.

use crate::outbox::insert_email;
use crate::rows::{get, json, optional_time, time, to_json};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::outbox::EmailStatus;
use roadshow_domain::store::StoreResult;
use roadshow_domain::surveys::*;
use sqlx::any::AnyRow;

const SURVEY_COLUMNS: &str =
    "event_id, version, intro, questions, send_at, deadline, reminder_days, sent_at, updated_at";

fn survey_row(row: &AnyRow) -> StoreResult<Survey> {
    Ok(Survey {
        event_id: EventId(get(row, "event_id")?),
        version: get(row, "version")?,
        intro: json(row, "intro")?,
        questions: json(row, "questions")?,
        send_at: optional_time(row, "send_at")?,
        deadline: time(row, "deadline")?,
        reminder_days: u32::try_from(get::<i64>(row, "reminder_days")?).unwrap_or(7),
        sent_at: optional_time(row, "sent_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

const RESPONSE_SELECT: &str = "SELECT s.event_id, s.registration_id, r.participant_id, r.company_id, s.survey_version, s.answers, s.answered_at, s.updated_at \
     FROM survey_responses s JOIN registrations r ON r.id = s.registration_id";

fn response_row(row: &AnyRow) -> StoreResult<SurveyResponse> {
    Ok(SurveyResponse {
        event_id: EventId(get(row, "event_id")?),
        registration_id: RegistrationId(get(row, "registration_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        company_id: CompanyId(get(row, "company_id")?),
        survey_version: get(row, "survey_version")?,
        answers: json(row, "answers")?,
        answered_at: time(row, "answered_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

async fn insert_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    event: EventId,
    invitation: &SurveyInvitation,
    at: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO survey_links (token_hash, event_id, registration_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&invitation.token_hash)
        .bind(event.0)
        .bind(invitation.registration_id.0)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(())
}

async fn event_agency(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    event: EventId,
) -> StoreResult<AgencyId> {
    let agency: i64 = sqlx::query_scalar("SELECT agency_id FROM events WHERE id = $1")
        .bind(event.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(AgencyId(agency))
}

#[async_trait]
impl SurveyStore for SqlStore {
    async fn survey(&self, event: EventId) -> StoreResult<Option<Survey>> {
        self.one(
            &format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE event_id = $1"),
            |q| q.bind(event.0),
        )
        .await?
        .as_ref()
        .map(survey_row)
        .transpose()
    }

    async fn save_survey(&self, event: EventId, d: &SurveyDraft) -> StoreResult<Survey> {
        let row = sqlx::query(&format!(
            "INSERT INTO surveys (event_id, version, intro, questions, send_at, deadline, reminder_days, sent_at, updated_at) \
             VALUES ($1, 1, $2, $3, $4, $5, $6, NULL, $7) \
             ON CONFLICT (event_id) DO UPDATE SET version = surveys.version + 1, intro = excluded.intro, questions = excluded.questions, \
             send_at = excluded.send_at, deadline = excluded.deadline, reminder_days = excluded.reminder_days, updated_at = excluded.updated_at \
             RETURNING {SURVEY_COLUMNS}"
        ))
        .bind(event.0)
        .bind(to_json(&d.intro)?)
        .bind(to_json(&d.questions)?)
        .bind(d.send_at.map(|t| t.timestamp()))
        .bind(d.deadline.timestamp())
        .bind(i64::from(d.reminder_days))
        .bind(now())
        .fetch_one(&self.write)
        .await
        .map_err(backend_error)?;
        survey_row(&row)
    }

    async fn surveys_to_send(&self, at: DateTime<Utc>) -> StoreResult<Vec<EventId>> {
        let t = at.timestamp();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT s.event_id FROM surveys s JOIN events e ON e.id = s.event_id \
             WHERE s.sent_at IS NULL AND COALESCE(s.send_at, e.ends_at) <= $1 AND s.deadline > $1 ORDER BY s.event_id",
        )
        .bind(t)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        Ok(ids.into_iter().map(EventId).collect())
    }

    async fn send_survey(
        &self,
        event: EventId,
        at: DateTime<Utc>,
        invitations: &[SurveyInvitation],
        status: EmailStatus,
    ) -> StoreResult<bool> {
        let t = at.timestamp();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let claimed =
            sqlx::query("UPDATE surveys SET sent_at = $2 WHERE event_id = $1 AND sent_at IS NULL")
                .bind(event.0)
                .bind(t)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
        if claimed.rows_affected() != 1 {
            return Ok(false);
        }
        let agency = event_agency(&mut tx, event).await?;
        for invitation in invitations {
            sqlx::query("INSERT INTO survey_invitations (event_id, registration_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(event.0)
                .bind(invitation.registration_id.0)
                .bind(t)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
            insert_link(&mut tx, event, invitation, t).await?;
            insert_email(&mut tx, Some(agency), &invitation.email, status).await?;
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(true)
    }

    async fn survey_reminders_due(&self, at: DateTime<Utc>) -> StoreResult<Vec<DueReminder>> {
        let rows = sqlx::query(
            "SELECT i.event_id, i.registration_id FROM survey_invitations i JOIN surveys s ON s.event_id = i.event_id \
             WHERE i.reminded_at IS NULL AND i.sent_at + s.reminder_days * 86400 <= $1 AND s.deadline > $1 \
             AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.event_id = i.event_id AND r.registration_id = i.registration_id) \
             ORDER BY i.event_id, i.registration_id",
        )
        .bind(at.timestamp())
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|r| {
                Ok(DueReminder {
                    event_id: EventId(get(r, "event_id")?),
                    registration_id: RegistrationId(get(r, "registration_id")?),
                })
            })
            .collect()
    }

    async fn remind_survey(
        &self,
        due: &DueReminder,
        at: DateTime<Utc>,
        invitation: &SurveyInvitation,
        status: EmailStatus,
    ) -> StoreResult<bool> {
        let t = at.timestamp();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let claimed = sqlx::query("UPDATE survey_invitations SET reminded_at = $3 WHERE event_id = $1 AND registration_id = $2 AND reminded_at IS NULL")
            .bind(due.event_id.0)
            .bind(due.registration_id.0)
            .bind(t)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if claimed.rows_affected() != 1 {
            return Ok(false);
        }
        let agency = event_agency(&mut tx, due.event_id).await?;
        insert_link(&mut tx, due.event_id, invitation, t).await?;
        insert_email(&mut tx, Some(agency), &invitation.email, status).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(true)
    }

    async fn survey_link(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(EventId, RegistrationId)>> {
        let Some(row) = self
            .one(
                "SELECT event_id, registration_id FROM survey_links WHERE token_hash = $1",
                |q| q.bind(token_hash),
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((
            EventId(get(&row, "event_id")?),
            RegistrationId(get(&row, "registration_id")?),
        )))
    }

    async fn survey_response(
        &self,
        event: EventId,
        registration: RegistrationId,
    ) -> StoreResult<Option<SurveyResponse>> {
        self.one(
            &format!("{RESPONSE_SELECT} WHERE s.event_id = $1 AND s.registration_id = $2"),
            |q| q.bind(event.0).bind(registration.0),
        )
        .await?
        .as_ref()
        .map(response_row)
        .transpose()
    }

    async fn survey_interest_counts(&self, event: EventId) -> StoreResult<Vec<(Interest, usize)>> {
        let rows = sqlx::query(
            "SELECT interest, COUNT(*) AS n FROM survey_responses WHERE event_id = $1 GROUP BY interest",
        )
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut counted = std::collections::HashMap::new();
        for row in &rows {
            let code: String = get(row, "interest")?;
            let n: i64 = get(row, "n")?;
            if let Some(i) = Interest::parse(&code) {
                counted.insert(i, usize::try_from(n).unwrap_or(0));
            }
        }
        Ok(Interest::ALL
            .iter()
            .map(|i| (*i, counted.get(i).copied().unwrap_or(0)))
            .collect())
    }

    async fn survey_responses(
        &self,
        event: EventId,
        after: Option<RegistrationId>,
        limit: usize,
    ) -> StoreResult<Vec<SurveyResponse>> {
        sqlx::query(&format!(
            "{RESPONSE_SELECT} WHERE s.event_id = $1 AND s.registration_id > $2 ORDER BY s.registration_id LIMIT $3"
        ))
        .bind(event.0)
        .bind(after.map_or(0, |a| a.0))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(response_row)
        .collect()
    }

    async fn save_survey_response(
        &self,
        event: EventId,
        registration: RegistrationId,
        version: i64,
        answers: &ResponseDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<SurveyResponse> {
        let t = at.timestamp();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        sqlx::query(
            "INSERT INTO survey_responses (event_id, registration_id, survey_version, interest, answers, consent, answered_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (event_id, registration_id) DO UPDATE SET survey_version = excluded.survey_version, interest = excluded.interest, \
             answers = excluded.answers, consent = excluded.consent, updated_at = excluded.updated_at",
        )
        .bind(event.0)
        .bind(registration.0)
        .bind(version)
        .bind(answers.interest.code())
        .bind(to_json(answers)?)
        .bind(i64::from(answers.consent))
        .bind(t)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        let row = sqlx::query(&format!(
            "{RESPONSE_SELECT} WHERE s.event_id = $1 AND s.registration_id = $2"
        ))
        .bind(event.0)
        .bind(registration.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        let response = response_row(&row)?;
        crate::webhooks::enqueue(
            &mut tx,
            crate::webhooks::Audience::Event(event),
            roadshow_domain::webhooks::EventType::SurveyAnswered,
            serde_json::json!({"event_id": event.0, "registration_id": registration.0}),
        )
        .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(response)
    }

    async fn company_responses(&self, company: CompanyId) -> StoreResult<Vec<SurveyResponse>> {
        sqlx::query(&format!(
            "{RESPONSE_SELECT} WHERE r.company_id = $1 ORDER BY s.updated_at DESC"
        ))
        .bind(company.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(response_row)
        .collect()
    }
}
