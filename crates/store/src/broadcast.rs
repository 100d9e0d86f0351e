//! Viewing intervals folded from heartbeats, and the captions of recordings.

use crate::rows::{corrupt, get, time};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::Lang;
use roadshow_domain::broadcast::viewing::{self, JOIN_S, Mode, Span, Viewing, fold};
use roadshow_domain::broadcast::{BroadcastStore, Caption, StampedBeat};
use roadshow_domain::ids::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

const VIEWING_COLUMNS: &str =
    "registration_id, mode, session_id, started_at, ended_at, audio_language, caption_language";

/// An interval as one line of text: the columns of [`VIEWING_COLUMNS`] joined by commas
/// (language tags are checked to hold no comma or semicolon).
const PACKED_VIEWING: &str = "CAST(registration_id AS TEXT) || ',' || mode || ',' || \
     COALESCE(CAST(session_id AS TEXT), '') || ',' || CAST(started_at AS TEXT) || ',' || \
     CAST(ended_at AS TEXT) || ',' || COALESCE(audio_language, '') || ',' || COALESCE(caption_language, '')";

fn unpack_viewing(line: &str) -> StoreResult<Viewing> {
    let mut f = line.split(',');
    let mut next = |name: &'static str| f.next().ok_or_else(|| corrupt(name, line));
    let number =
        |name: &'static str, text: &str| text.parse::<i64>().map_err(|_| corrupt(name, text));
    let optional = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let registration_id = number("registration_id", next("registration_id")?)?;
    let mode = next("mode")?;
    let mode = Mode::parse(mode).ok_or_else(|| corrupt("mode", mode))?;
    let session = next("session_id")?;
    let session_id = if session.is_empty() {
        None
    } else {
        Some(number("session_id", session)?)
    };
    let start = number("started_at", next("started_at")?)?;
    let end = number("ended_at", next("ended_at")?)?;
    let audio_language = optional(next("audio_language")?);
    let caption_language = optional(next("caption_language")?);
    Ok(Viewing {
        registration_id,
        mode,
        session_id,
        span: Span { start, end },
        audio_language,
        caption_language,
    })
}

fn viewing_row(row: &AnyRow) -> StoreResult<Viewing> {
    let mode: String = get(row, "mode")?;
    Ok(Viewing {
        registration_id: get(row, "registration_id")?,
        mode: Mode::parse(&mode).ok_or_else(|| corrupt("mode", &mode))?,
        session_id: get(row, "session_id")?,
        span: Span {
            start: get(row, "started_at")?,
            end: get(row, "ended_at")?,
        },
        audio_language: get(row, "audio_language")?,
        caption_language: get(row, "caption_language")?,
    })
}

/// Folds one beat: the usual case is one UPDATE extending the viewer's open interval; a
/// first beat inserts one; a beat that bridges two intervals merges them.
async fn fold_beat(tx: &mut sqlx::Transaction<'_, sqlx::Any>, b: &StampedBeat) -> StoreResult<()> {
    let t = b.at;
    let mode = b.beat.mode.code();
    let extended = sqlx::query(
        "UPDATE viewings SET \
           started_at = CASE WHEN started_at > $3 THEN $3 ELSE started_at END, \
           ended_at = CASE WHEN ended_at < $3 THEN $3 ELSE ended_at END, \
           beats = beats + 1, \
           session_id = COALESCE($5, session_id), \
           position_s = COALESCE($6, position_s), \
           audio_language = COALESCE($7, audio_language), \
           caption_language = $8 \
         WHERE registration_id = $1 AND mode = $2 AND ended_at >= $3 - $4 AND started_at <= $3 + $4",
    )
    .bind(b.registration_id.0)
    .bind(mode)
    .bind(t)
    .bind(JOIN_S)
    .bind(b.beat.session_id)
    .bind(b.beat.position_s)
    .bind(b.beat.audio_language.clone())
    .bind(b.beat.caption_language.clone())
    .execute(&mut **tx)
    .await
    .map_err(backend_error)?
    .rows_affected();
    match extended {
        0 => {
            sqlx::query(
                "INSERT INTO viewings (event_id, registration_id, mode, session_id, started_at, ended_at, beats, position_s, audio_language, caption_language) \
                 VALUES ($1, $2, $3, $4, $5, $5, 1, $6, $7, $8)",
            )
            .bind(b.event_id.0)
            .bind(b.registration_id.0)
            .bind(mode)
            .bind(b.beat.session_id)
            .bind(t)
            .bind(b.beat.position_s)
            .bind(b.beat.audio_language.clone())
            .bind(b.beat.caption_language.clone())
            .execute(&mut **tx)
            .await
            .map_err(backend_error)?;
        }
        1 => {}
        _ => merge(tx, b).await?,
    }
    Ok(())
}

/// The beat joined several intervals: they become the first one, the others go.
async fn merge(tx: &mut sqlx::Transaction<'_, sqlx::Any>, b: &StampedBeat) -> StoreResult<()> {
    let rows = sqlx::query(
        "SELECT id, started_at, ended_at, beats FROM viewings \
         WHERE registration_id = $1 AND mode = $2 AND ended_at >= $3 - $4 AND started_at <= $3 + $4 ORDER BY started_at, id",
    )
    .bind(b.registration_id.0)
    .bind(b.beat.mode.code())
    .bind(b.at)
    .bind(JOIN_S)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend_error)?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut spans = Vec::with_capacity(rows.len());
    let mut beats = 0i64;
    for row in &rows {
        ids.push(get::<i64>(row, "id")?);
        spans.push(Span {
            start: get(row, "started_at")?,
            end: get(row, "ended_at")?,
        });
        beats += get::<i64>(row, "beats")?;
    }
    let (merged, replaced) = fold(&spans, b.at);
    let Some((&keep, rest)) = ids.split_first() else {
        return Ok(());
    };
    if replaced.len() < 2 {
        return Ok(());
    }
    sqlx::query("UPDATE viewings SET started_at = $1, ended_at = $2, beats = $3 WHERE id = $4")
        .bind(merged.start)
        .bind(merged.end)
        .bind(beats)
        .bind(keep)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    for id in rest {
        sqlx::query("DELETE FROM viewings WHERE id = $1")
            .bind(*id)
            .execute(&mut **tx)
            .await
            .map_err(backend_error)?;
    }
    Ok(())
}

fn caption_row(row: &AnyRow) -> StoreResult<Caption> {
    let language: String = get(row, "language")?;
    Ok(Caption {
        language: language
            .parse::<Lang>()
            .map_err(|_| corrupt("language", &language))?,
        vtt: get(row, "vtt")?,
        updated_at: time(row, "updated_at")?,
    })
}

#[async_trait]
impl BroadcastStore for SqlStore {
    async fn record_beats(&self, beats: &[StampedBeat]) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        for b in beats {
            fold_beat(&mut tx, b).await?;
        }
        tx.commit().await.map_err(backend_error)
    }

    async fn add_viewings(&self, event: EventId, viewings: &[Viewing]) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        for v in viewings {
            sqlx::query(
                "INSERT INTO viewings (event_id, registration_id, mode, session_id, started_at, ended_at, beats, position_s, audio_language, caption_language) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
            )
            .bind(event.0)
            .bind(v.registration_id)
            .bind(v.mode.code())
            .bind(v.session_id)
            .bind(v.span.start)
            .bind(v.span.end)
            .bind(1 + v.span.seconds() / viewing::CADENCE_S)
            .bind(v.audio_language.clone())
            .bind(v.caption_language.clone())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)
    }

    async fn viewings(&self, event: EventId) -> StoreResult<Vec<Viewing>> {
        // One row of text rather than a row per interval: an event's summary reads tens
        // of thousands of intervals, and the driver's cost per row was most of its time.
        let aggregate = self.backend.pick("group_concat", "string_agg");
        let row = sqlx::query(&format!(
            "SELECT {aggregate}({PACKED_VIEWING}, ';') AS packed FROM viewings WHERE event_id = $1"
        ))
        .bind(event.0)
        .fetch_one(&self.read)
        .await
        .map_err(backend_error)?;
        let packed: Option<String> = get(&row, "packed")?;
        packed
            .as_deref()
            .unwrap_or("")
            .split(';')
            .filter(|r| !r.is_empty())
            .map(unpack_viewing)
            .collect()
    }

    async fn viewings_of(&self, registration: RegistrationId) -> StoreResult<Vec<Viewing>> {
        sqlx::query(&format!(
            "SELECT {VIEWING_COLUMNS} FROM viewings WHERE registration_id = $1 ORDER BY started_at"
        ))
        .bind(registration.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(viewing_row)
        .collect()
    }

    async fn watching_since(&self, event: EventId, since: i64, now: i64) -> StoreResult<u64> {
        let row = sqlx::query(
            "SELECT COUNT(DISTINCT registration_id) AS n FROM viewings WHERE event_id = $1 AND mode = 'live' AND ended_at >= $2 AND started_at <= $3",
        )
        .bind(event.0)
        .bind(since)
        .bind(now)
        .fetch_one(&self.read)
        .await
        .map_err(backend_error)?;
        Ok(u64::try_from(get::<i64>(&row, "n")?).unwrap_or(0))
    }

    async fn captions(&self, event: EventId, recording: &str) -> StoreResult<Vec<Caption>> {
        sqlx::query(
            "SELECT language, vtt, updated_at FROM captions WHERE event_id = $1 AND recording = $2 ORDER BY language",
        )
        .bind(event.0)
        .bind(recording)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(caption_row)
        .collect()
    }

    async fn set_caption(&self, event: EventId, recording: &str, c: &Caption) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO captions (event_id, recording, language, vtt, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (event_id, recording, language) DO UPDATE SET vtt = excluded.vtt, updated_at = excluded.updated_at",
        )
        .bind(event.0)
        .bind(recording)
        .bind(c.language.code())
        .bind(&c.vtt)
        .bind(c.updated_at.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn delete_caption(
        &self,
        event: EventId,
        recording: &str,
        language: Lang,
    ) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM captions WHERE event_id = $1 AND recording = $2 AND language = $3",
        )
        .bind(event.0)
        .bind(recording)
        .bind(language.code())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(())
    }
}
