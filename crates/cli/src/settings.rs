//! The settings of a Roadshow process: built-in defaults, then `roadshow.toml` (the file
//! `--config` or `ROADSHOW_CONFIG` names), then the `ROADSHOW_*` environment variables,
//! then the command line — each later one winning. A key of the file is its variable's
//! name without `ROADSHOW_`, in lower case. A secret may come from a file instead
//! (`smtp_url_file`, `ROADSHOW_SMTP_URL_FILE`), so that it is in no environment or
//! process listing. figment merges the layers and names the source of a wrong value.

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Every key a file may hold (and every `ROADSHOW_` variable read as a setting).
pub const KEYS: &[&str] = &[
    "data",
    "database_url",
    "database_url_file",
    "addr",
    "base_url",
    "smtp_url",
    "smtp_url_file",
    "mail_from",
    "registrations_per_minute",
    "writes_per_minute",
    "questions_per_minute",
    "votes_per_minute",
    "streams_per_address",
    "login_failures",
    "max_staff_reads",
    "max_exports",
    "max_writes",
    "max_schedules",
    "embed_hosts",
    "allow_private_streams",
    "allow_private_webhooks",
    "trusted_proxies",
    "log",
    "metrics",
    "metrics_token",
    "metrics_token_file",
    "min_free_disk_mb",
    "backup_before_migrations",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_client_secret",
    "oidc_client_secret_file",
    "oidc_role_claim",
    "oidc_roles",
    "oidc_scopes",
    "password_sign_in",
];

/// The settings that hold secrets: shown masked, and each readable from a file.
const SECRETS: &[&str] = &[
    "database_url",
    "smtp_url",
    "metrics_token",
    "oidc_client_secret",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The data folder: the SQLite file and the backups made before migrations.
    pub data: PathBuf,
    /// `sqlite:PATH` or `postgres://…`; default the SQLite file under `data`.
    pub database_url: Option<String>,
    pub database_url_file: Option<PathBuf>,
    /// The address to listen on.
    pub addr: SocketAddr,
    /// The public address, for links in emails; default `http://ADDR`.
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_url_file: Option<PathBuf>,
    pub mail_from: String,
    pub registrations_per_minute: u32,
    pub writes_per_minute: u32,
    pub questions_per_minute: u32,
    pub votes_per_minute: u32,
    pub streams_per_address: u32,
    pub login_failures: u32,
    pub max_staff_reads: Option<usize>,
    pub max_exports: Option<usize>,
    pub max_writes: usize,
    pub max_schedules: Option<usize>,
    #[serde(deserialize_with = "list")]
    pub embed_hosts: Vec<String>,
    pub allow_private_streams: bool,
    /// Webhooks may go to this machine and private networks (a CRM on the intranet).
    pub allow_private_webhooks: bool,
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed (IP addresses
    /// or CIDR blocks).
    #[serde(deserialize_with = "list")]
    pub trusted_proxies: Vec<String>,
    /// The log filter (`info`, `roadshow_web=debug`).
    pub log: String,
    /// Whether `/metrics` answers (from loopback, or anywhere with `metrics_token`).
    pub metrics: bool,
    pub metrics_token: Option<String>,
    pub metrics_token_file: Option<PathBuf>,
    /// `/readyz` fails below this much free space in the data folder.
    pub min_free_disk_mb: u64,
    /// On SQLite, a backup of the database is made in `data/backups` before migrations run.
    pub backup_before_migrations: bool,
    /// Staff sign-in through the agency's identity provider: its issuer address, and
    /// Roadshow's client id and secret there.
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The ID token's claim whose value gives a new account its role.
    pub oidc_role_claim: String,
    /// `claim-value=role` (organiser, investment_officer, moderator); empty: the role's
    /// own name.
    #[serde(deserialize_with = "list")]
    pub oidc_roles: Vec<String>,
    /// The scopes asked for.
    #[serde(deserialize_with = "list")]
    pub oidc_scopes: Vec<String>,
    /// Whether staff may sign in with a password (turn off once the provider is set up).
    pub password_sign_in: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data: PathBuf::from("./roadshow-data"),
            database_url: None,
            database_url_file: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_url: None,
            smtp_url: None,
            smtp_url_file: None,
            mail_from: "Roadshow <no-reply@roadshow.invalid>".into(),
            registrations_per_minute: 30,
            writes_per_minute: 600,
            questions_per_minute: 5,
            votes_per_minute: 120,
            streams_per_address: 100,
            login_failures: 5,
            max_staff_reads: None,
            max_exports: None,
            max_writes: 64,
            max_schedules: None,
            embed_hosts: Vec::new(),
            allow_private_streams: false,
            allow_private_webhooks: false,
            trusted_proxies: Vec::new(),
            log: "info,sqlx=warn".into(),
            metrics: false,
            metrics_token: None,
            metrics_token_file: None,
            min_free_disk_mb: 256,
            backup_before_migrations: true,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_client_secret_file: None,
            oidc_role_claim: "roadshow_role".into(),
            oidc_roles: Vec::new(),
            oidc_scopes: vec!["openid".into(), "email".into(), "profile".into()],
            password_sign_in: true,
        }
    }
}

/// A list from a file is a TOML array; from a variable, text separated by commas.
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Text(String),
        List(Vec<String>),
    }
    let items = match OneOrMany::deserialize(d)? {
        OneOrMany::Text(t) => t.split(',').map(str::to_string).collect(),
        OneOrMany::List(l) => l,
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// What the command line sets; it wins over the file and the environment.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// The file named by `--config`, else `ROADSHOW_CONFIG`; none is fine.
pub fn config_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("ROADSHOW_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

fn environment() -> Env {
    Env::prefixed("ROADSHOW_").only(KEYS)
}

fn layers(path: Option<&Path>, overrides: &Overrides) -> Figment {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    if let Some(path) = path {
        figment = figment.merge(Toml::file_exact(path));
    }
    figment
        .merge(environment())
        .merge(Serialized::defaults(overrides))
}

impl Settings {
    /// The effective settings, secrets read from their files; the first error stops.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Settings> {
        let settings = Settings::read(path, overrides)?;
        if let Some(first) = settings.problems().first() {
            bail!("{first}");
        }
        Ok(settings)
    }

    /// The settings of every layer, secrets read, values not checked.
    fn read(path: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Settings> {
        if let Some(p) = path {
            if !p.is_file() {
                bail!("the configuration file {} does not exist", p.display());
            }
        }
        let mut settings: Settings = layers(path, overrides)
            .extract()
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
        settings.read_secret_files()?;
        Ok(settings)
    }

    fn read_secret_files(&mut self) -> anyhow::Result<()> {
        let read = |file: &Option<PathBuf>, key: &str| -> anyhow::Result<Option<String>> {
            let Some(file) = file else { return Ok(None) };
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("{key}_file: reading {}", file.display()))?;
            Ok(Some(text.trim_end_matches(['\n', '\r']).to_string()))
        };
        if let Some(v) = read(&self.database_url_file, "database_url")? {
            self.database_url = Some(v);
        }
        if let Some(v) = read(&self.smtp_url_file, "smtp_url")? {
            self.smtp_url = Some(v);
        }
        if let Some(v) = read(&self.metrics_token_file, "metrics_token")? {
            self.metrics_token = Some(v);
        }
        if let Some(v) = read(&self.oidc_client_secret_file, "oidc_client_secret")? {
            self.oidc_client_secret = Some(v);
        }
        Ok(())
    }

    /// What is wrong with values that have the right type.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(url) = self.database_url.as_deref().filter(|u| !u.is_empty()) {
            if roadshow_store::Backend::from_url(url).is_none() {
                out.push("database_url: use sqlite:PATH or postgres://…".to_string());
            }
        }
        if let Some(url) = self.base_url.as_deref() {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                out.push("base_url: must start with http:// or https://".to_string());
            }
        }
        if let Some(url) = self.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                out.push("smtp_url: must start with smtp:// or smtps://".to_string());
            }
        }
        for proxy in &self.trusted_proxies {
            if roadshow_web::proxies::Block::parse(proxy).is_none() {
                out.push(format!(
                    "trusted_proxies: `{proxy}` is not an IP address or a CIDR block"
                ));
            }
        }
        if let Some(token) = &self.metrics_token {
            if token.len() < 16 {
                out.push("metrics_token: at least 16 characters".to_string());
            }
        }
        out.extend(self.oidc_problems());
        if self.log.trim().is_empty() {
            out.push("log: empty".to_string());
        }
        for (key, n) in [
            (
                "registrations_per_minute",
                self.registrations_per_minute as usize,
            ),
            ("writes_per_minute", self.writes_per_minute as usize),
            ("questions_per_minute", self.questions_per_minute as usize),
            ("votes_per_minute", self.votes_per_minute as usize),
            ("streams_per_address", self.streams_per_address as usize),
            ("login_failures", self.login_failures as usize),
            ("max_writes", self.max_writes),
        ] {
            if n == 0 {
                out.push(format!("{key}: must be at least 1"));
            }
        }
        out
    }

    fn oidc_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        let parts = [
            ("oidc_issuer", given(&self.oidc_issuer)),
            ("oidc_client_id", given(&self.oidc_client_id)),
            ("oidc_client_secret", given(&self.oidc_client_secret)),
        ];
        if parts.iter().any(|(_, g)| *g) {
            for (key, g) in parts {
                if !g {
                    out.push(format!("{key}: needed with the other oidc_ settings"));
                }
            }
        }
        if let Some(url) = self.oidc_issuer.as_deref().filter(|u| !u.is_empty()) {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                out.push("oidc_issuer: must start with https://".to_string());
            }
        }
        if let Err(wrong) = roadshow_domain::accounts::provided::RoleMap::parse(&self.oidc_roles) {
            for w in wrong {
                out.push(format!(
                    "oidc_roles: `{w}` is not value=role (organiser, investment_officer or moderator)"
                ));
            }
        }
        if !self.password_sign_in && parts.iter().any(|(_, g)| !g) {
            out.push(
                "password_sign_in: staff could not sign in at all without the oidc_ settings"
                    .to_string(),
            );
        }
        out
    }

    /// The identity provider, when configured.
    pub fn oidc(&self) -> Option<roadshow_app::accounts::oidc::OidcConfig> {
        let roles = roadshow_domain::accounts::provided::RoleMap::parse(&self.oidc_roles).ok()?;
        let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Some(roadshow_app::accounts::oidc::OidcConfig {
            issuer: nonempty(&self.oidc_issuer)?,
            client_id: nonempty(&self.oidc_client_id)?,
            client_secret: nonempty(&self.oidc_client_secret)?,
            role_claim: self.oidc_role_claim.clone(),
            roles,
            scopes: self.oidc_scopes.clone(),
        })
    }

    /// The database URL: the one set, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match self.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => url.to_string(),
            None => format!("sqlite://{}", self.data.join("roadshow.db").display()),
        }
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_string()
    }

    /// The effective settings as TOML, secrets masked.
    pub fn show(&self) -> anyhow::Result<String> {
        let mut table = toml::Table::try_from(self).context("showing the settings")?;
        for key in SECRETS {
            if let Some(value) = table.get_mut(*key) {
                *value = toml::Value::String("********".into());
            }
        }
        Ok(toml::to_string(&table)?)
    }
}

/// Every problem of the file and the environment, each with its key and source.
pub fn check(path: Option<&Path>) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(path) = path {
        match std::fs::read_to_string(path) {
            Err(e) => errors.push(format!("{}: {e}", path.display())),
            Ok(text) => match text.parse::<toml::Table>() {
                Err(e) => errors.push(format!("{}: not TOML: {e}", path.display())),
                Ok(table) => {
                    for (key, value) in table {
                        if !KEYS.contains(&key.as_str()) {
                            errors.push(format!("{}: unknown key `{key}`", path.display()));
                            continue;
                        }
                        let one = Figment::from(Serialized::defaults(Settings::default()))
                            .merge(Serialized::global(&key, value));
                        if let Err(e) = one.extract::<Settings>() {
                            errors.push(format!("{}: {}", path.display(), key_error(&e)));
                        }
                    }
                }
            },
        }
    }
    for key in KEYS {
        let one = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Env::prefixed("ROADSHOW_").only(&[key]));
        if let Err(e) = one.extract::<Settings>() {
            errors.push(format!(
                "ROADSHOW_{}: {}",
                key.to_uppercase(),
                key_error(&e)
            ));
        }
    }
    if errors.is_empty() {
        match Settings::read(path, &Overrides::default()) {
            Ok(settings) => errors.extend(settings.problems()),
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    errors
}

/// figment's error without its source (the caller names it).
fn key_error(e: &figment::Error) -> String {
    let key = e.path.join(".");
    if key.is_empty() {
        e.kind.to_string()
    } else {
        format!("{key}: {}", e.kind)
    }
}

/// figment's error with the key it is about first.
fn describe(e: &figment::Error) -> String {
    let key = e.path.join(".");
    let source = e
        .metadata
        .as_ref()
        .and_then(|m| m.source.as_ref())
        .map(|s| format!(" (from {s})"))
        .unwrap_or_default();
    if key.is_empty() {
        format!("{}{source}", e.kind)
    } else {
        format!("{key}: {}{source}", e.kind)
    }
}

#[cfg(test)]
mod tests;
