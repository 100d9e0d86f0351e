//! Who is past retention: participants whose every event ended longer ago than its
//! retention (the event's own, or the agency's).

use super::{PERSON_COLUMNS, person_row};
use crate::{SqlStore, backend_error};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::AgencyId;
use roadshow_domain::privacy::{DEFAULT_RETENTION_DAYS, Person};
use roadshow_domain::store::StoreResult;

/// The participants past retention (`lead`: those whose company is a lead, held for the
/// officer's review; otherwise those due), at most a sweep's worth.
fn retention_sql(lead: bool) -> String {
    let held = if lead { "EXISTS" } else { "NOT EXISTS" };
    format!(
        "SELECT {PERSON_COLUMNS} FROM participants p WHERE p.agency_id = $1 AND p.erased_at IS NULL \
         AND {held} (SELECT 1 FROM leads l WHERE l.company_id = p.company_id AND l.merged_into IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM privacy_requests q WHERE q.participant_id = p.id AND q.kind = 'export' AND q.state = 'pending') \
         AND EXISTS (SELECT 1 FROM registrations r WHERE r.participant_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM registrations r JOIN events e ON e.id = r.event_id \
              WHERE r.participant_id = p.id AND e.ends_at + COALESCE(e.retention_days, $2) * 86400 > $3) \
         ORDER BY p.id LIMIT 5000"
    )
}

impl SqlStore {
    pub(super) async fn retention_days(&self, agency: AgencyId) -> StoreResult<i64> {
        let days: Option<i64> =
            sqlx::query_scalar("SELECT retention_days FROM privacy_settings WHERE agency_id = $1")
                .bind(agency.0)
                .fetch_optional(&self.read)
                .await
                .map_err(backend_error)?;
        Ok(days.unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    pub(super) async fn past_retention(
        &self,
        agency: AgencyId,
        now: DateTime<Utc>,
        lead: bool,
    ) -> StoreResult<Vec<Person>> {
        let days = self.retention_days(agency).await?;
        let rows = sqlx::query(&retention_sql(lead))
            .bind(agency.0)
            .bind(days)
            .bind(now.timestamp())
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(person_row).collect()
    }
}
