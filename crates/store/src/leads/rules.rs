//! The agency's assignment rules: which officer a new lead goes to, in order.

use crate::rows::{self, get};
use crate::{SqlStore, backend_error};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::store::StoreResult;

pub(super) async fn assignment_rules(
    store: &SqlStore,
    agency: AgencyId,
) -> StoreResult<Vec<AssignmentRule>> {
    let rows = sqlx::query(
        "SELECT field, value, owner_id FROM lead_rules WHERE agency_id = $1 ORDER BY position",
    )
    .bind(agency.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?;
    rows.iter()
        .map(|r| {
            let field: String = get(r, "field")?;
            Ok(AssignmentRule {
                field: RuleField::parse(&field).ok_or_else(|| rows::corrupt("field", &field))?,
                value: get(r, "value")?,
                owner_id: AccountId(get(r, "owner_id")?),
            })
        })
        .collect()
}

pub(super) async fn set_assignment_rules(
    store: &SqlStore,
    agency: AgencyId,
    rules: &[AssignmentRule],
) -> StoreResult<()> {
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    sqlx::query("DELETE FROM lead_rules WHERE agency_id = $1")
        .bind(agency.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    for (i, r) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO lead_rules (agency_id, position, field, value, owner_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(agency.0)
            .bind(i as i64)
            .bind(r.field.code())
            .bind(&r.value)
            .bind(r.owner_id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
    }
    tx.commit().await.map_err(backend_error)?;
    Ok(())
}
