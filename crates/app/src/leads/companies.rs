//! One company across events: the pairs that may be one company, and merges with their
//! undo, for investment officers.

use super::Leads;
use crate::access::Guards;
use crate::{AppError, AppResult, Principal};
use chrono::Utc;
use roadshow_domain::ids::*;
use roadshow_domain::leads::companies::duplicates;
use roadshow_domain::leads::{CompanyMerge, Duplicate};

/// What the companies page shows.
#[derive(Debug, Clone)]
pub struct CompanyMatches {
    pub duplicates: Vec<Duplicate>,
    pub merges: Vec<CompanyMerge>,
}

/// Pairs shown at most: the officer works down the list.
const MAX_PAIRS: usize = 200;

impl Leads<'_> {
    pub async fn company_matches(&self, principal: &Principal) -> AppResult<CompanyMatches> {
        let me = principal.as_officer()?;
        let companies = self.app.store.company_summaries(me.agency_id).await?;
        let mut found = duplicates(&companies);
        found.truncate(MAX_PAIRS);
        Ok(CompanyMatches {
            duplicates: found,
            merges: self.app.store.company_merges(me.agency_id).await?,
        })
    }

    /// Merges `merged` into `kept`; both must be the caller's agency's.
    pub async fn merge(
        &self,
        principal: &Principal,
        kept: Option<i64>,
        merged: Option<i64>,
    ) -> AppResult<CompanyMerge> {
        let me = principal.as_officer()?;
        let (Some(kept), Some(merged)) = (kept, merged) else {
            let field = if kept.is_none() { "kept" } else { "merged" };
            return Err(AppError::invalid(field, "required"));
        };
        let (kept, merged) = (CompanyId(kept), CompanyId(merged));
        if kept == merged {
            return Err(AppError::invalid("merged", "same_company"));
        }
        self.company_of_my_agency(principal, kept).await?;
        self.company_of_my_agency(principal, merged).await?;
        let merge = self
            .app
            .store
            .merge_companies(kept, merged, me.id, Utc::now())
            .await?;
        self.refresh_score(kept).await;
        Ok(merge)
    }

    /// Undoes a merge of the caller's agency.
    pub async fn undo_merge(&self, principal: &Principal, id: i64) -> AppResult<CompanyMerge> {
        let me = principal.as_officer()?;
        let mine = self.app.store.company_merges(me.agency_id).await?;
        if !mine.iter().any(|m| m.id == id) {
            return Err(AppError::NotFound);
        }
        let merge = self.app.store.undo_merge(id, me.id, Utc::now()).await?;
        self.refresh_score(merge.kept).await;
        self.refresh_score(merge.merged).await;
        Ok(merge)
    }
}
