//! Agencies, staff accounts, API tokens and sign-in sessions.

use crate::rows::{corrupt, get, json, to_json};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::Localized;
use roadshow_domain::accounts::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

const ACCOUNT_COLUMNS: &str = "id, agency_id, email, display_name, role, department_id, language";

fn agency_row(row: &AnyRow) -> StoreResult<Agency> {
    Ok(Agency {
        id: AgencyId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: json(row, "name")?,
    })
}

pub(crate) fn account_row(row: &AnyRow) -> StoreResult<Account> {
    let role: String = get(row, "role")?;
    Ok(Account {
        id: AccountId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        role: role.parse().map_err(|()| corrupt("role", &role))?,
        department_id: get::<Option<i64>>(row, "department_id")?.map(DepartmentId),
        language: {
            let code: String = get(row, "language")?;
            code.parse().map_err(|_| corrupt("language", &code))?
        },
    })
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>> {
        self.one("SELECT id, slug, name FROM agencies WHERE slug = $1", |q| {
            q.bind(slug.to_string())
        })
        .await?
        .map(|r| agency_row(&r))
        .transpose()
    }

    async fn agency(&self, id: AgencyId) -> StoreResult<Option<Agency>> {
        self.one("SELECT id, slug, name FROM agencies WHERE id = $1", |q| {
            q.bind(id.0)
        })
        .await?
        .map(|r| agency_row(&r))
        .transpose()
    }

    async fn create_agency(&self, slug: &str, name: &Localized) -> StoreResult<Agency> {
        let row = sqlx::query(
            "INSERT INTO agencies (slug, name) VALUES ($1, $2) RETURNING id, slug, name",
        )
        .bind(slug)
        .bind(to_json(name)?)
        .fetch_one(&self.write)
        .await
        .map_err(backend_error)?;
        agency_row(&row)
    }

    async fn create_account(
        &self,
        agency: AgencyId,
        email: &str,
        display_name: &str,
        role: Role,
        department: Option<DepartmentId>,
        password_hash: &str,
    ) -> StoreResult<Account> {
        let row = sqlx::query(&format!("INSERT INTO accounts (agency_id, email, display_name, role, department_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {ACCOUNT_COLUMNS}"))
            .bind(agency.0)
            .bind(email.to_lowercase())
            .bind(display_name)
            .bind(role.code())
            .bind(department.map(|d| d.0))
            .bind(password_hash)
            .bind(now())
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        account_row(&row)
    }

    async fn account_by_email(&self, email: &str) -> StoreResult<Option<AccountRecord>> {
        let Some(row) = self
            .one(
                &format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE email = $1"),
                |q| q.bind(email.trim().to_lowercase()),
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(AccountRecord {
            account: account_row(&row)?,
            password_hash: get(&row, "password_hash")?,
        }))
    }

    async fn accounts(&self, agency: AgencyId) -> StoreResult<Vec<Account>> {
        sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(account_row)
        .collect()
    }

    async fn set_password(&self, account: AccountId, password_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn set_account_language(
        &self,
        account: AccountId,
        language: roadshow_domain::Lang,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2")
            .bind(language.code())
            .bind(account.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn create_api_token(&self, account: AccountId, token_hash: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, account_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(account.0)
        .bind(now())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>> {
        self.one(
            "SELECT a.id, a.agency_id, a.email, a.display_name, a.role, a.department_id, a.language FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1",
            |q| q.bind(token_hash.to_string()),
        )
        .await?
        .map(|r| account_row(&r))
        .transpose()
    }

    async fn create_login_session(
        &self,
        session_hash: &str,
        account: AccountId,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // Expired sessions are swept here, on a path that writes anyway.
        sqlx::query("DELETE FROM login_sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        sqlx::query("INSERT INTO login_sessions (session_hash, account_id, csrf_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(session_hash)
            .bind(account.0)
            .bind(csrf_token)
            .bind(expires_at.timestamp())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)
    }

    async fn login_session(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Account, String)>> {
        let Some(row) = self
            .one(
                "SELECT a.id, a.agency_id, a.email, a.display_name, a.role, a.department_id, a.language, s.csrf_token FROM login_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.session_hash = $1 AND s.expires_at > $2",
                |q| q.bind(session_hash.to_string()).bind(now.timestamp()),
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((account_row(&row)?, get(&row, "csrf_token")?)))
    }

    async fn delete_login_session(&self, session_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_sessions WHERE session_hash = $1")
            .bind(session_hash)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}
