//! `roadshow backup` and `roadshow restore`.
//!
//! A backup is a tar archive: `manifest.json` first (the format, Roadshow's version, the
//! schema version, the time, and the size and SHA-256 of every part), then the parts — a
//! SQLite database copied as one snapshot while the server writes (`VACUUM INTO`, then
//! `PRAGMA integrity_check`), or PostgreSQL's custom-format dump (`pg_dump -Fc`). It is
//! written beside its destination and renamed into place, so a failed backup leaves no
//! half file under the name.
//!
//! A restore checks the manifest and every hash before touching anything, keeps a copy of
//! the database it replaces in `DATA/backups/`, erases again in the restored copy every
//! participant erased since the backup was made (a backup must not bring an erased person
//! back), and only then puts the restored database in place: on SQLite by renaming a
//! finished file over the old one, after removing the old one's `-wal` and `-shm`; on
//! PostgreSQL in one `pg_restore` transaction.

use crate::settings::Settings;
use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use roadshow_store::Backend;
use roadshow_store::backup as db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

const FORMAT: &str = "roadshow-backup";
const FORMAT_VERSION: u32 = 1;
const SQLITE_PART: &str = "database.sqlite";
const POSTGRES_PART: &str = "database.pgdump";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub roadshow_version: String,
    pub schema_version: i64,
    pub created_at: DateTime<Utc>,
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

fn sha256_file(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex(&hasher.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    Backend::from_url(url).ok_or_else(|| anyhow::anyhow!("unsupported database URL"))
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Runs `program` with `args`; a missing program is named with what to do instead.
fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "{program} was not found: install PostgreSQL's client programs \
                 (Debian: postgresql-client), or back up and restore with your own \
                 pg_dump -Fc / pg_restore (docs/DEPLOY.md)"
            )
        } else {
            anyhow::anyhow!("running {program}: {e}")
        }
    })?;
    if !out.status.success() {
        bail!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The first bytes of a file in the age format.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";

/// Encrypts `plain` into `sealed` for every recipient (`age1…` public keys).
fn encrypt(plain: &Path, sealed: &Path, recipients: &[String]) -> anyhow::Result<()> {
    let keys = recipients
        .iter()
        .map(|r| {
            r.trim()
                .parse::<age::x25519::Recipient>()
                .map_err(|e| anyhow::anyhow!("--recipient {r}: not an age public key ({e})"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let encryptor = age::Encryptor::with_recipients(keys.iter().map(|k| k as &dyn age::Recipient))
        .map_err(|e| anyhow::anyhow!("encrypting: {e}"))?;
    let mut input = std::fs::File::open(plain)?;
    let output = std::fs::File::create(sealed)?;
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::new(output))
        .context("encrypting")?;
    std::io::copy(&mut input, &mut writer).context("encrypting")?;
    let mut inner = writer.finish().context("encrypting")?;
    inner.flush()?;
    inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Decrypts an age file with the identities of `identity` (an age key file).
fn decrypt(sealed: &Path, plain: &Path, identity: Option<&Path>) -> anyhow::Result<()> {
    let Some(identity) = identity else {
        bail!("the backup is encrypted: give the key file with --identity");
    };
    let identities = age::IdentityFile::from_file(identity.to_string_lossy().to_string())
        .with_context(|| format!("reading the key file {}", identity.display()))?
        .into_identities()
        .map_err(|e| anyhow::anyhow!("reading the key file: {e}"))?;
    let input = std::io::BufReader::new(std::fs::File::open(sealed)?);
    let decryptor = age::Decryptor::new(input).context("reading the encrypted backup")?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| anyhow::anyhow!("the key does not open this backup: {e}"))?;
    let mut out = std::fs::File::create(plain)?;
    std::io::copy(&mut reader, &mut out).context("decrypting")?;
    out.sync_all()?;
    Ok(())
}

fn is_encrypted(path: &Path) -> anyhow::Result<bool> {
    let mut head = [0u8; 21];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let n = file.read(&mut head)?;
    Ok(head[..n] == *AGE_MAGIC)
}

/// Writes a backup of the settings' database to `out` (encrypted to `recipients` if
/// any); returns its manifest.
pub async fn backup(
    settings: &Settings,
    out: &Path,
    recipients: &[String],
) -> anyhow::Result<Manifest> {
    let url = settings.database_url();
    let backend = backend_of(&url)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let work = tempfile::tempdir_in(parent)
        .with_context(|| format!("a work folder in {}", parent.display()))?;
    let created_at = Utc::now();
    let applied = db::applied_migrations(&url).await?;
    let schema_version = applied.last().map(|(v, _)| *v).unwrap_or(0);
    if schema_version == 0 {
        bail!("the database has no Roadshow schema: nothing to back up");
    }
    let (name, file) = match backend {
        Backend::Sqlite => {
            let file = work.path().join(SQLITE_PART);
            db::sqlite_snapshot(&url, &file)
                .await
                .context("copying the SQLite database")?;
            db::sqlite_integrity(&file).await?;
            (SQLITE_PART, file)
        }
        Backend::Postgres => {
            let file = work.path().join(POSTGRES_PART);
            let target = file.to_string_lossy().to_string();
            run(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", &target, &url],
            )?;
            (POSTGRES_PART, file)
        }
    };
    let (bytes, sha256) = sha256_file(&file)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        roadshow_version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
        created_at,
        backend: backend.name().to_string(),
        parts: vec![Part {
            name: name.into(),
            bytes,
            sha256,
        }],
    };
    let partial = work.path().join("archive.tar");
    {
        let out_file = std::fs::File::create(&partial)?;
        let mut tar = tar::Builder::new(std::io::BufWriter::new(out_file));
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(created_at.timestamp().max(0) as u64);
        header.set_cksum();
        tar.append_data(&mut header, "manifest.json", json.as_slice())?;
        tar.append_path_with_name(&file, name)?;
        let mut inner = tar.into_inner()?;
        inner.flush()?;
        inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    let finished = if recipients.is_empty() {
        partial
    } else {
        let sealed = work.path().join("archive.tar.age");
        encrypt(&partial, &sealed, recipients)?;
        sealed
    };
    std::fs::rename(&finished, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(manifest)
}

/// Unpacks `archive` into `into`, checking the manifest and every part's hash.
fn unpack(archive: &Path, into: &Path) -> anyhow::Result<Manifest> {
    let file =
        std::fs::File::open(archive).with_context(|| format!("reading {}", archive.display()))?;
    let mut tar = tar::Archive::new(std::io::BufReader::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut seen = Vec::new();
    for entry in tar
        .entries()
        .context("not a Roadshow backup (not a tar archive)")?
    {
        let mut entry = entry.context("the archive is damaged")?;
        let name = entry.path()?.to_string_lossy().to_string();
        if name == "manifest.json" {
            let mut text = String::new();
            entry.read_to_string(&mut text)?;
            let m: Manifest = serde_json::from_str(&text).context("the manifest cannot be read")?;
            if m.format != FORMAT || m.format_version != FORMAT_VERSION {
                bail!(
                    "not a Roadshow backup of a known format ({} {})",
                    m.format,
                    m.format_version
                );
            }
            manifest = Some(m);
            continue;
        }
        let Some(m) = &manifest else {
            bail!("not a Roadshow backup: the manifest must come first");
        };
        let Some(part) = m.parts.iter().find(|p| p.name == name) else {
            bail!("the archive holds {name}, which its manifest does not list");
        };
        let target = into.join(&part.name);
        let mut out = std::fs::File::create(&target)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut bytes = 0u64;
        loop {
            let n = entry.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            bytes += n as u64;
        }
        out.sync_all()?;
        let sha = hex(&hasher.finalize());
        if bytes != part.bytes || sha != part.sha256 {
            bail!(
                "{name} does not match the manifest (sha256 {sha}, expected {}): the backup is damaged",
                part.sha256
            );
        }
        seen.push(name);
    }
    let manifest = manifest.context("not a Roadshow backup: no manifest")?;
    for part in &manifest.parts {
        if !seen.contains(&part.name) {
            bail!("the archive lacks {}, which its manifest lists", part.name);
        }
    }
    Ok(manifest)
}

/// The lock file every serving process holds (shared) on its data folder, and a restore
/// takes alone: a database is never replaced under a running server.
fn lock_file(settings: &Settings) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(&settings.data)
        .with_context(|| format!("creating {}", settings.data.display()))?;
    let path = settings.data.join("roadshow.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))
}

/// Held by `serve` for as long as it runs.
pub fn hold_data(settings: &Settings) -> anyhow::Result<std::fs::File> {
    let file = lock_file(settings)?;
    if file.try_lock_shared().is_err() {
        bail!(
            "{} is being restored; start the server when the restore is done",
            settings.data.display()
        );
    }
    Ok(file)
}

/// What a restore did.
pub struct Restored {
    pub manifest: Manifest,
    /// The copy of what was replaced, if there was anything.
    pub kept: Option<PathBuf>,
    /// Participants erased again.
    pub erased_again: usize,
}

/// Restores `archive` into the settings' database (`identity`: the key file of an
/// encrypted backup).
pub async fn restore(
    settings: &Settings,
    archive: &Path,
    identity: Option<&Path>,
) -> anyhow::Result<Restored> {
    let url = settings.database_url();
    let backend = backend_of(&url)?;
    let lock = lock_file(settings)?;
    if lock.try_lock().is_err() {
        bail!(
            "a Roadshow server is running on {}: stop it (every process on this data \
             folder) before restoring",
            settings.data.display()
        );
    }
    let work = tempfile::tempdir_in(&settings.data)
        .with_context(|| format!("a work folder in {}", settings.data.display()))?;
    let manifest = if is_encrypted(archive)? {
        let plain = work.path().join("archive.tar");
        decrypt(archive, &plain, identity)?;
        let m = unpack(&plain, work.path());
        let _ = std::fs::remove_file(&plain);
        m?
    } else {
        unpack(archive, work.path())?
    };
    if manifest.backend != backend.name() {
        bail!(
            "this is a backup of a {} database; the target is {}",
            manifest.backend,
            backend.name()
        );
    }
    if manifest.schema_version > db::schema_version() {
        bail!(
            "the backup's schema version is {}, newer than this Roadshow {} knows ({}): restore it with Roadshow {} or later",
            manifest.schema_version,
            env!("CARGO_PKG_VERSION"),
            db::schema_version(),
            manifest.roadshow_version
        );
    }
    let backups = settings.data.join("backups");
    std::fs::create_dir_all(&backups)?;
    let now = Utc::now();
    // Who was erased since the backup, read from the database being replaced.
    let existing = !db::applied_migrations(&url).await?.is_empty();
    let erased = if existing {
        let store = roadshow_store::SqlStore::connect(&url).await?;
        let erased = store.erased_since(manifest.created_at).await?;
        store.close().await;
        erased
    } else {
        Vec::new()
    };
    let kept = if existing {
        let name = format!("replaced-{}.roadshow-backup", stamp(now));
        let keep = backups.join(name);
        backup(settings, &keep, &[])
            .await
            .context("keeping a copy of the database being replaced")?;
        Some(keep)
    } else {
        None
    };
    let erased_again = match backend {
        Backend::Sqlite => {
            let target = db::sqlite_path(&url).context("the SQLite file")?;
            let restored = work.path().join(SQLITE_PART);
            db::sqlite_integrity(&restored).await?;
            let staged_url = format!("sqlite://{}", restored.display());
            let n = erase_again(settings, &staged_url, &erased).await?;
            // One finished file without a log, renamed over the old one.
            let finished = work.path().join("finished.sqlite");
            db::sqlite_snapshot(&staged_url, &finished).await?;
            db::sqlite_integrity(&finished).await?;
            for suffix in ["-wal", "-shm", "-journal"] {
                let stale = PathBuf::from(format!("{target}{suffix}"));
                if stale.exists() {
                    std::fs::remove_file(&stale)
                        .with_context(|| format!("removing {}", stale.display()))?;
                }
            }
            std::fs::rename(&finished, &target).with_context(|| format!("replacing {target}"))?;
            n
        }
        Backend::Postgres => {
            let dump = work.path().join(POSTGRES_PART);
            let dump = dump.to_string_lossy().to_string();
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    &url,
                    &dump,
                ],
            )?;
            erase_again(settings, &url, &erased).await?
        }
    };
    Ok(Restored {
        manifest,
        kept,
        erased_again,
    })
}

/// Opens the restored database (applying newer migrations) and erases those people again.
async fn erase_again(
    settings: &Settings,
    url: &str,
    erased: &[(roadshow_domain::ids::ParticipantId, String)],
) -> anyhow::Result<usize> {
    let store = roadshow_store::SqlStore::connect(url).await?;
    let store = std::sync::Arc::new(store);
    let config = roadshow_app::Config::new(settings.data.clone(), settings.base_url());
    let app = roadshow_app::App::new(config, store.clone())?;
    let n = app.privacy().erase_again(erased).await?;
    drop(app);
    store.close().await;
    Ok(n)
}
