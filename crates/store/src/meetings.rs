//! Meeting booking: the booking and its hosts, requests, availability, confirmed meetings.

use crate::rows::{self, get, time};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::meetings::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

const REQUEST_COLUMNS: &str = "id, event_id, participant_id, department_id, priority, topic, from_host, host_answer, host_reason, created_at";
const MEETING_COLUMNS: &str =
    "id, event_id, request_id, starts_at, outcome, outcome_notes, follow_up";

fn request_row(row: &AnyRow) -> StoreResult<MeetingRequest> {
    let priority: String = get(row, "priority")?;
    Ok(MeetingRequest {
        id: MeetingRequestId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        department_id: DepartmentId(get(row, "department_id")?),
        priority: Priority::parse(&priority).ok_or_else(|| rows::corrupt("priority", &priority))?,
        topic: get(row, "topic")?,
        from_host: rows::flag(row, "from_host")?,
        host_answer: match get::<Option<String>>(row, "host_answer")?.as_deref() {
            None => None,
            Some(answer) => Some(HostAnswer {
                accepted: answer == "accepted",
                reason: get::<Option<String>>(row, "host_reason")?.unwrap_or_default(),
            }),
        },
        created_at: time(row, "created_at")?,
    })
}

fn meeting_row(row: &AnyRow) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: MeetingId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        request_id: MeetingRequestId(get(row, "request_id")?),
        starts_at: time(row, "starts_at")?,
        outcome: match get::<Option<String>>(row, "outcome")?.as_deref() {
            None => None,
            Some(outcome) => Some(MeetingOutcome {
                held: outcome == "held",
                notes: get::<Option<String>>(row, "outcome_notes")?.unwrap_or_default(),
                follow_up: rows::flag(row, "follow_up")?,
            }),
        },
    })
}

/// Ids written into a statement as a list (numbers, not input text).
fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

fn clock(row: &AnyRow, column: &str) -> StoreResult<NaiveTime> {
    let text: String = get(row, column)?;
    NaiveTime::parse_from_str(&text, "%H:%M").map_err(|_| rows::corrupt(column, &text))
}

#[async_trait]
impl MeetingStore for SqlStore {
    async fn booking(&self, event: EventId) -> StoreResult<Option<Booking>> {
        let Some(row) = sqlx::query("SELECT event_id, days, day_start, day_end, slot_minutes, break_minutes, max_per_company, request_deadline, video_link FROM meeting_bookings WHERE event_id = $1")
            .bind(event.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?
        else {
            return Ok(None);
        };
        let days_text: String = get(&row, "days")?;
        let days = days_text
            .split(',')
            .filter(|d| !d.is_empty())
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| rows::corrupt("days", d)))
            .collect::<StoreResult<Vec<_>>>()?;
        let hosts = sqlx::query("SELECT department_id, capacity, unavailable FROM meeting_hosts WHERE event_id = $1 ORDER BY department_id")
            .bind(event.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(|r| {
                Ok(BookingHost {
                    department_id: DepartmentId(get(r, "department_id")?),
                    capacity: get::<i64>(r, "capacity")?.clamp(0, i64::from(u32::MAX)) as u32,
                    unavailable: get::<String>(r, "unavailable")?
                        .split(',')
                        .filter(|t| !t.is_empty())
                        .map(|t| {
                            t.parse::<i64>()
                                .ok()
                                .and_then(|s| DateTime::from_timestamp(s, 0))
                                .ok_or_else(|| rows::corrupt("unavailable", t))
                        })
                        .collect::<StoreResult<Vec<_>>>()?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let small = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
        Ok(Some(Booking {
            event_id: event,
            days,
            day_start: clock(&row, "day_start")?,
            day_end: clock(&row, "day_end")?,
            slot_minutes: small(get(&row, "slot_minutes")?),
            break_minutes: small(get(&row, "break_minutes")?),
            max_per_company: small(get(&row, "max_per_company")?),
            request_deadline: time(&row, "request_deadline")?,
            video_link: get(&row, "video_link")?,
            hosts,
        }))
    }

    async fn save_booking(&self, event: EventId, d: &BookingDraft) -> StoreResult<Booking> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let days: Vec<String> = d
            .days
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        sqlx::query("INSERT INTO meeting_bookings (event_id, days, day_start, day_end, slot_minutes, break_minutes, max_per_company, request_deadline, video_link, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO UPDATE SET days = excluded.days, day_start = excluded.day_start, day_end = excluded.day_end, slot_minutes = excluded.slot_minutes, break_minutes = excluded.break_minutes, max_per_company = excluded.max_per_company, request_deadline = excluded.request_deadline, video_link = excluded.video_link, updated_at = excluded.updated_at")
            .bind(event.0)
            .bind(days.join(","))
            .bind(d.day_start.format("%H:%M").to_string())
            .bind(d.day_end.format("%H:%M").to_string())
            .bind(i64::from(d.slot_minutes))
            .bind(i64::from(d.break_minutes))
            .bind(i64::from(d.max_per_company))
            .bind(d.request_deadline.timestamp())
            .bind(d.video_link.clone())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        sqlx::query("DELETE FROM meeting_hosts WHERE event_id = $1")
            .bind(event.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        for h in &d.hosts {
            sqlx::query(
                "INSERT INTO meeting_hosts (event_id, department_id, capacity, unavailable) VALUES ($1, $2, $3, $4)",
            )
            .bind(event.0)
            .bind(h.department_id.0)
            .bind(i64::from(h.capacity))
            .bind(
                h.unavailable
                    .iter()
                    .map(|t| t.timestamp().to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            )
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)?;
        self.booking(event)
            .await?
            .ok_or(roadshow_domain::store::StoreError::NotFound)
    }

    async fn meeting_requests(&self, event: EventId) -> StoreResult<Vec<MeetingRequest>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM meeting_requests WHERE event_id = $1 ORDER BY id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(request_row)
        .collect()
    }

    async fn meeting_requests_where(
        &self,
        event: EventId,
        f: &RequestFilter,
    ) -> StoreResult<Vec<MeetingRequest>> {
        let mut sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM meeting_requests WHERE event_id = $1 AND id > $2"
        );
        for (column, ids) in [
            (
                "department_id",
                f.departments
                    .as_ref()
                    .map(|d| id_list(d.iter().map(|d| d.0))),
            ),
            ("id", f.ids.as_ref().map(|i| id_list(i.iter().map(|i| i.0)))),
        ] {
            match ids.as_deref() {
                None => {}
                Some("") => return Ok(Vec::new()),
                Some(list) => sql.push_str(&format!(" AND {column} IN ({list})")),
            }
        }
        sql.push_str(" ORDER BY id LIMIT $3");
        sqlx::query(&sql)
            .bind(event.0)
            .bind(f.after.map_or(0, |a| a.0))
            .bind(
                f.limit
                    .map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX)),
            )
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(request_row)
            .collect()
    }

    async fn save_meeting_request(
        &self,
        event: EventId,
        participant: ParticipantId,
        d: &RequestDraft,
    ) -> StoreResult<MeetingRequest> {
        let row = sqlx::query(&format!("INSERT INTO meeting_requests (event_id, participant_id, department_id, priority, topic, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, participant_id, department_id) DO UPDATE SET priority = excluded.priority, topic = excluded.topic RETURNING {REQUEST_COLUMNS}"))
            .bind(event.0)
            .bind(participant.0)
            .bind(d.department_id.0)
            .bind(d.priority.code())
            .bind(d.topic.clone())
            .bind(now())
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        request_row(&row)
    }

    async fn invite(
        &self,
        event: EventId,
        participant: ParticipantId,
        d: &RequestDraft,
    ) -> StoreResult<MeetingRequest> {
        let row = sqlx::query(&format!("INSERT INTO meeting_requests (event_id, participant_id, department_id, priority, topic, from_host, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (event_id, participant_id, department_id) DO UPDATE SET from_host = 1 RETURNING {REQUEST_COLUMNS}"))
            .bind(event.0)
            .bind(participant.0)
            .bind(d.department_id.0)
            .bind(d.priority.code())
            .bind(d.topic.clone())
            .bind(now())
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        request_row(&row)
    }

    async fn withdraw_meeting_request(
        &self,
        participant: ParticipantId,
        id: MeetingRequestId,
    ) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM meeting_requests WHERE id = $1 AND participant_id = $2")
                .bind(id.0)
                .bind(participant.0)
                .execute(&self.write)
                .await
                .map_err(backend_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn availability(
        &self,
        event: EventId,
    ) -> StoreResult<Vec<(ParticipantId, DateTime<Utc>)>> {
        sqlx::query("SELECT participant_id, starts_at FROM meeting_availability WHERE event_id = $1 ORDER BY participant_id, starts_at")
            .bind(event.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(|r| Ok((ParticipantId(get(r, "participant_id")?), time(r, "starts_at")?)))
            .collect()
    }

    async fn availability_of(
        &self,
        event: EventId,
        participants: &[ParticipantId],
    ) -> StoreResult<Vec<(ParticipantId, DateTime<Utc>)>> {
        if participants.is_empty() {
            return Ok(Vec::new());
        }
        let list = id_list(participants.iter().map(|p| p.0));
        sqlx::query(&format!("SELECT participant_id, starts_at FROM meeting_availability WHERE event_id = $1 AND participant_id IN ({list}) ORDER BY participant_id, starts_at"))
            .bind(event.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(|r| Ok((ParticipantId(get(r, "participant_id")?), time(r, "starts_at")?)))
            .collect()
    }

    async fn set_availability(
        &self,
        event: EventId,
        participant: ParticipantId,
        starts: &[DateTime<Utc>],
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        sqlx::query("DELETE FROM meeting_availability WHERE event_id = $1 AND participant_id = $2")
            .bind(event.0)
            .bind(participant.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let mut starts = starts.to_vec();
        starts.sort();
        starts.dedup();
        for t in starts {
            sqlx::query("INSERT INTO meeting_availability (event_id, participant_id, starts_at) VALUES ($1, $2, $3)")
                .bind(event.0)
                .bind(participant.0)
                .bind(t.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)
    }

    async fn meetings(&self, event: EventId) -> StoreResult<Vec<Meeting>> {
        sqlx::query(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings WHERE event_id = $1 ORDER BY starts_at, id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(meeting_row)
        .collect()
    }

    async fn answer_meeting_request(
        &self,
        id: MeetingRequestId,
        answer: Option<&HostAnswer>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE meeting_requests SET host_answer = $2, host_reason = $3 WHERE id = $1",
        )
        .bind(id.0)
        .bind(answer.map(|a| if a.accepted { "accepted" } else { "declined" }))
        .bind(answer.map(|a| a.reason.clone()))
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_outcome(&self, id: MeetingId, o: &MeetingOutcome) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE meetings SET outcome = $2, outcome_notes = $3, follow_up = $4 WHERE id = $1",
        )
        .bind(id.0)
        .bind(if o.held { "held" } else { "no_show" })
        .bind(o.notes.clone())
        .bind(i64::from(o.follow_up))
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn meetings_to_remind(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<Meeting>> {
        sqlx::query(&format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE reminded_at IS NULL AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at, id"))
            .bind(from.timestamp())
            .bind(until.timestamp())
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(meeting_row)
            .collect()
    }

    async fn claim_reminder(&self, id: MeetingId, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE meetings SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL",
        )
        .bind(id.0)
        .bind(at.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn confirm_meetings(
        &self,
        event: EventId,
        placed: &[(MeetingRequestId, DateTime<Utc>)],
    ) -> StoreResult<Vec<Meeting>> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // A meeting that stays in its slot keeps its id (and so its video room and its
        // calendar entry); the others are replaced.
        let existing = sqlx::query(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings WHERE event_id = $1"
        ))
        .bind(event.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend_error)?
        .iter()
        .map(meeting_row)
        .collect::<StoreResult<Vec<_>>>()?;
        for m in &existing {
            if !placed.contains(&(m.request_id, m.starts_at)) {
                sqlx::query("DELETE FROM meetings WHERE id = $1")
                    .bind(m.id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
            }
        }
        let t = now();
        for (request, starts_at) in placed {
            if existing
                .iter()
                .any(|m| m.request_id == *request && m.starts_at == *starts_at)
            {
                continue;
            }
            let meeting: Option<i64> = sqlx::query_scalar("INSERT INTO meetings (event_id, request_id, starts_at, created_at) SELECT $1, id, $3, $4 FROM meeting_requests WHERE id = $2 AND event_id = $1 RETURNING id")
                .bind(event.0)
                .bind(request.0)
                .bind(starts_at.timestamp())
                .bind(t)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend_error)?;
            if let Some(meeting) = meeting {
                crate::webhooks::enqueue(
                    &mut tx,
                    crate::webhooks::Audience::Event(event),
                    roadshow_domain::webhooks::EventType::MeetingConfirmed,
                    serde_json::json!({"event_id": event.0, "meeting_id": meeting, "request_id": request.0, "starts_at": starts_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
                )
                .await?;
            }
        }
        tx.commit().await.map_err(backend_error)?;
        self.meetings(event).await
    }
}
