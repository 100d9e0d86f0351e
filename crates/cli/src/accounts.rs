//! `roadshow account add`: a staff account from the command line, its password read from
//! standard input so that it never shows in the process list or the shell's history.

use crate::{DataArgs, open_app, settings_of};
use anyhow::{Context, bail};
use clap::Args;
use roadshow_domain::Localized;
use roadshow_domain::accounts::Role;
use roadshow_domain::ids::DepartmentId;
use std::io::Read;

#[derive(Args)]
pub struct AddAccount {
    #[command(flatten)]
    data: DataArgs,
    #[arg(long)]
    email: String,
    /// organiser, moderator, official or investment_officer
    #[arg(long)]
    role: String,
    /// The department of an official.
    #[arg(long)]
    department: Option<i64>,
    /// The display name; default the email.
    #[arg(long, default_value = "")]
    name: String,
    /// The agency (created if missing).
    #[arg(long, default_value = roadshow_app::demo::AGENCY_SLUG)]
    agency: String,
    /// The language of their emails: de, en, zh or fr.
    #[arg(long, default_value = "en")]
    language: String,
}

/// Adds the account and prints it; every invalid field is named.
pub async fn add(a: AddAccount) -> anyhow::Result<()> {
    let language: roadshow_domain::Lang = a
        .language
        .parse()
        .map_err(|_| anyhow::anyhow!("--language must be de, en, zh or fr"))?;
    let role: Role = a.role.parse().map_err(|()| {
        anyhow::anyhow!("--role must be organiser, moderator, official or investment_officer")
    })?;
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        bail!("give the password on standard input");
    }
    let settings = settings_of(&a.data, None)?;
    let app = open_app(&settings, false).await?;
    let agency = match app.store.agency_by_slug(&a.agency).await? {
        Some(agency) => agency,
        None => {
            app.store
                .create_agency(
                    &a.agency,
                    &Localized::one(roadshow_domain::Lang::En, a.agency.clone()),
                )
                .await?
        }
    };
    let user = app
        .accounts()
        .add_user(
            agency.id,
            &a.email,
            &a.name,
            role,
            a.department.map(DepartmentId),
            password,
        )
        .await
        .map_err(|e| match e {
            roadshow_app::AppError::Invalid(fields) => anyhow::anyhow!(
                "invalid: {}",
                fields
                    .iter()
                    .map(|f| format!("{} ({})", f.field, f.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => anyhow::anyhow!("{other}"),
        })?;
    app.store.set_account_language(user.id, language).await?;
    println!(
        "added {} ({}) with id {}",
        user.email,
        user.role.code(),
        user.id
    );
    Ok(())
}
