//! The leads list as CSV, every cell defused against formula injection.

use super::Leads;
use crate::{AppError, AppResult, Principal};
use roadshow_domain::leads::LeadFilter;
use roadshow_domain::text::spreadsheet_safe;

/// The most rows one export holds.
const MAX_ROWS: i64 = 50_000;

impl Leads<'_> {
    /// The leads matching `filter` as CSV (RFC 4180, CRLF line ends), best score first.
    pub async fn csv(&self, principal: &Principal, filter: &LeadFilter) -> AppResult<String> {
        let me = crate::access::Guards::as_officer(principal)?;
        self.app
            .privacy()
            .audit_staff(
                principal,
                me.agency_id,
                "export_downloaded",
                format!("agency:{}", me.agency_id),
                serde_json::json!({"what": "leads.csv"}),
            )
            .await?;
        let mut all = Vec::new();
        let mut page = LeadFilter {
            offset: 0,
            limit: 500,
            ..filter.clone()
        };
        loop {
            let (leads, total) = self.list(principal, &page).await?;
            let n = leads.len() as i64;
            all.extend(leads);
            page.offset += n;
            if n == 0 || page.offset >= total || page.offset >= MAX_ROWS {
                break;
            }
        }
        let failed = |e: csv::Error| AppError::internal(e.to_string());
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record([
            "id",
            "company",
            "country",
            "industry",
            "website",
            "stage",
            "lost_reason",
            "owner",
            "score",
            "sector",
            "activity",
            "capex_cny",
            "jobs",
            "target_district",
            "next_step",
            "next_step_due",
            "open_tasks",
            "source",
            "created_at",
            "updated_at",
        ])
        .map_err(failed)?;
        for l in &all {
            let p = &l.project;
            let cells = [
                l.id.0.to_string(),
                l.company.name.clone(),
                l.company.country.clone(),
                l.company.industry.clone(),
                l.company.website.clone().unwrap_or_default(),
                l.stage.code().to_string(),
                l.lost_reason.clone().unwrap_or_default(),
                l.owner_name.clone().unwrap_or_default(),
                l.score.to_string(),
                p.sector.clone().unwrap_or_default(),
                p.activity.map(|a| a.code().to_string()).unwrap_or_default(),
                p.capex_cny.map(|c| c.to_string()).unwrap_or_default(),
                p.jobs.map(|c| c.to_string()).unwrap_or_default(),
                p.target_district.clone().unwrap_or_default(),
                p.next_step.clone().unwrap_or_default(),
                p.next_step_due.map(|d| d.to_string()).unwrap_or_default(),
                l.open_tasks.to_string(),
                l.source.code().to_string(),
                l.created_at.to_rfc3339(),
                l.updated_at.to_rfc3339(),
            ];
            w.write_record(cells.iter().map(|c| spreadsheet_safe(c)))
                .map_err(failed)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::internal(e.to_string()))?;
        // A byte order mark, so spreadsheets read the UTF-8 names right.
        let out = format!("\u{feff}{}", String::from_utf8_lossy(&bytes));
        Ok(out)
    }
}
