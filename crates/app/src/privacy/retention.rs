//! The daily retention sweep (each agency's once a day, across processes) and the check
//! of the audit chain that `roadshow audit verify` and the daily log line run.

use super::{Privacy, draft};
use crate::AppResult;
use chrono::{DateTime, Utc};
use roadshow_domain::privacy::audit::{Broken, verify};
use serde_json::json;

/// Entries read at a time while verifying the chain.
const VERIFY_CHUNK: i64 = 10_000;

impl Privacy<'_> {
    /// Anonymises the participants of every agency whose retention has passed; each
    /// agency's sweep of a day runs on the one process that claims it. Returns how many
    /// were anonymised here.
    pub async fn sweep(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let store = &self.app.store;
        let day = now.format("%Y-%m-%d").to_string();
        let mut done = 0;
        for agency in store.agency_ids().await? {
            self.settings(agency).await?;
            if !store.claim_sweep(agency, &day).await? {
                continue;
            }
            done += self.sweep_agency(agency, now).await?;
        }
        Ok(done)
    }

    /// Anonymises an agency's participants past retention (without the daily claim).
    pub async fn sweep_agency(
        &self,
        agency: roadshow_domain::AgencyId,
        now: DateTime<Utc>,
    ) -> AppResult<usize> {
        let store = &self.app.store;
        let mut done = 0;
        for id in store.retention_due(agency, now).await? {
            let Some(person) = store.person(id).await? else {
                continue;
            };
            if self.erase(&person, "retention", "system").await?.is_some() {
                done += 1;
            }
        }
        if done > 0 {
            self.audit(&draft(
                Some(agency),
                "system".into(),
                "retention_swept",
                format!("agency:{agency}"),
                json!({"anonymised": done}),
            ))
            .await?;
        }
        Ok(done)
    }

    /// Walks the whole chain: the number of entries when it verifies, or where it breaks.
    pub async fn verify_audit(&self) -> AppResult<Result<i64, Broken>> {
        let store = &self.app.store;
        let head = store.audit_head().await?;
        let mut entries = Vec::new();
        let mut after = 0;
        loop {
            let chunk = store.audit_entries(after, VERIFY_CHUNK).await?;
            let Some(last) = chunk.last() else {
                break;
            };
            after = last.seq;
            entries.extend(chunk);
        }
        Ok(verify(&entries, (head.0, &head.1)))
    }

    /// The background duty: the sweep and the chain's head in the log, once a day.
    pub async fn run_daily(&self) {
        let mut last_day = String::new();
        loop {
            let now = Utc::now();
            let day = now.format("%Y-%m-%d").to_string();
            if day != last_day {
                match self.sweep(now).await {
                    Ok(n) => {
                        if n > 0 {
                            tracing::info!(anonymised = n, "retention sweep");
                        }
                        last_day = day;
                    }
                    Err(err) => tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "retention sweep failed"
                    ),
                }
                match self.app.store.audit_head().await {
                    Ok((seq, hash)) => tracing::info!(seq, hash, "audit chain head"),
                    Err(err) => tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "reading the audit head failed"
                    ),
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    }
}

impl Privacy<'_> {
    /// After a restore from a backup: erases again, with the reason recorded then, each
    /// participant erased in the database the backup replaced. Returns how many were
    /// erased here (those already erased in the backup, or not in it, are skipped).
    pub async fn erase_again(
        &self,
        erased: &[(roadshow_domain::ids::ParticipantId, String)],
    ) -> AppResult<usize> {
        let mut done = 0;
        for (id, reason) in erased {
            let Some(person) = self.app.store.person(*id).await? else {
                continue;
            };
            if self.erase(&person, reason, "system").await?.is_some() {
                done += 1;
            }
        }
        Ok(done)
    }
}
