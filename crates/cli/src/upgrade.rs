//! Upgrades: before a build applies migrations to an existing SQLite database it backs
//! it up (`DATA/backups/pre-migration-…`), so that a failed or regretted upgrade can be
//! undone with `roadshow restore`; a database migrated by a newer build is refused with
//! the version it needs; `roadshow migrate --dry-run` lists what would run.

use crate::settings::Settings;
use anyhow::bail;
use roadshow_store::backup as db;

/// The migrations this build would apply to the database at `url`.
pub async fn pending(url: &str) -> anyhow::Result<Vec<(i64, &'static str)>> {
    pending_of(&db::applied_migrations(url).await?)
}

/// The migrations missing from `applied`; an error if it holds one this build does not
/// know.
fn pending_of(applied: &[(i64, String)]) -> anyhow::Result<Vec<(i64, &'static str)>> {
    let newer: Vec<(i64, String)> = applied
        .iter()
        .filter(|(v, _)| *v > db::schema_version())
        .cloned()
        .collect();
    if !newer.is_empty() {
        bail!("{}", db::newer_schema(&newer));
    }
    Ok(db::known_migrations()
        .into_iter()
        .filter(|(v, _)| !applied.iter().any(|(a, _)| a == v))
        .collect())
}

/// Run before the store opens (and migrates) the database.
pub async fn before_migrations(settings: &Settings, url: &str) -> anyhow::Result<()> {
    let applied = db::applied_migrations(url).await?;
    let pending = pending_of(&applied)?;
    let Some((from, _)) = applied.last() else {
        // A new database: nothing to keep.
        return Ok(());
    };
    if pending.is_empty() || !settings.backup_before_migrations {
        return Ok(());
    }
    if db::sqlite_path(url).is_none() {
        // PostgreSQL: the operator's own backups (pg_dump, base backups) cover upgrades.
        return Ok(());
    }
    let out = settings.data.join("backups").join(format!(
        "pre-migration-{from}-to-{}-{}.roadshow-backup",
        db::schema_version(),
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    crate::backup::backup(settings, &out, &[]).await?;
    tracing::info!(backup = %out.display(), from, to = db::schema_version(), "backed up before migrating");
    Ok(())
}
