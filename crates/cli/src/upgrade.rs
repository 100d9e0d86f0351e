//! Upgrades: before a build applies migrations to an existing SQLite database it backs
//! it up (`DATA/backups/pre-migration-…`), so that a failed or regretted upgrade can be
//! undone with `roadshow restore`; a database migrated by a newer build is refused with
//! the version it needs; `roadshow migrate --dry-run` lists what would run.

use crate::settings::Settings;
use anyhow::bail;
use roadshow_store::backup as db;

/// The migrations this build would apply to the database at `url`.
pub async fn pending(url: &str) -> anyhow::Result<Vec<(i64, &'static str)>> {
    let applied = db::applied_migrations(url).await?;
    if let Some((newest, name)) = applied.last() {
        if *newest > db::schema_version() {
            bail!(
                "the database's schema is at version {newest} ({name}), newer than this \
                 Roadshow {} knows (up to {}): run a Roadshow build with schema version \
                 {newest} or later, or restore a backup made before the upgrade",
                env!("CARGO_PKG_VERSION"),
                db::schema_version()
            );
        }
    }
    Ok(db::known_migrations()
        .into_iter()
        .filter(|(v, _)| !applied.iter().any(|(a, _)| a == v))
        .collect())
}

/// Run before the store opens (and migrates) the database.
pub async fn before_migrations(settings: &Settings, url: &str) -> anyhow::Result<()> {
    let pending = pending(url).await?;
    let existing = !db::applied_migrations(url).await?.is_empty();
    if pending.is_empty() || !existing || !settings.backup_before_migrations {
        return Ok(());
    }
    if db::sqlite_path(url).is_none() {
        // PostgreSQL: the operator's own backups (pg_dump, base backups) cover upgrades.
        return Ok(());
    }
    let from = db::applied_migrations(url)
        .await?
        .last()
        .map(|(v, _)| *v)
        .unwrap_or(0);
    let out = settings.data.join("backups").join(format!(
        "pre-migration-{from}-to-{}-{}.roadshow-backup",
        db::schema_version(),
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    crate::backup::backup(settings, &out, &[]).await?;
    tracing::info!(backup = %out.display(), from, to = db::schema_version(), "backed up before migrating");
    Ok(())
}
