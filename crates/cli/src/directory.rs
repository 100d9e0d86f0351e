//! `roadshow import directory`: policies, parks and stories from a file.

use crate::{DataArgs, open_app, settings_of};
use anyhow::Context;
use roadshow_domain::directory::file::FileFormat;

/// The application over the data folder, and the account `email` as the caller.
async fn as_organiser(
    data: &DataArgs,
    email: &str,
) -> anyhow::Result<(roadshow_app::App, roadshow_app::Principal)> {
    let settings = settings_of(data, None)?;
    let app = open_app(&settings, false).await?;
    let account = app
        .store
        .account_by_email(email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with the email {email}"))?;
    Ok((app, roadshow_app::Principal::Staff(account.account)))
}

/// `roadshow import directory FILE`: imports as the organiser `email`; prints what it did,
/// or every error with its record and field (and exits with an error).
pub async fn import_directory(
    data: &DataArgs,
    file: &std::path::Path,
    email: &str,
) -> anyhow::Result<()> {
    let (app, principal) = as_organiser(data, email).await?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let format = if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        FileFormat::Csv
    } else {
        FileFormat::Json
    };
    let result = app
        .directory()
        .import_file(&principal, &bytes, format)
        .await;
    match result {
        Ok(o) => {
            println!(
                "imported {}: {} created, {} updated (a new version each), {} unchanged",
                file.display(),
                o.created,
                o.updated,
                o.unchanged
            );
            Ok(())
        }
        Err(roadshow_app::AppError::Invalid(fields)) => {
            for f in &fields {
                eprintln!(
                    "{}: {}",
                    f.field,
                    roadshow_web::error::field_message(roadshow_domain::Lang::En, f)
                );
            }
            anyhow::bail!("nothing imported: {} error(s)", fields.len())
        }
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

/// `roadshow export directory --out FILE`: the agency's whole directory, at any size, in
/// the format `roadshow import directory` (and the API's import) reads back: JSON, or CSV
/// when the file ends in `.csv`. Written beside its name and renamed, so a reader never
/// sees half a file.
pub async fn export_directory(
    data: &DataArgs,
    out: &std::path::Path,
    email: &str,
) -> anyhow::Result<()> {
    let (app, principal) = as_organiser(data, email).await?;
    let file = app.directory().export(&principal).await?;
    let csv = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if csv {
        let body = roadshow_domain::directory::file::csv_rows::write(&file)
            .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?;
        format!("\u{feff}{body}").into_bytes()
    } else {
        serde_json::to_vec_pretty(&file)?
    };
    let mut part = out.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    std::fs::write(&part, &bytes).with_context(|| format!("writing {}", part.display()))?;
    std::fs::rename(&part, out).with_context(|| format!("writing {}", out.display()))?;
    println!("exported {} items to {}", file.items.len(), out.display());
    Ok(())
}
