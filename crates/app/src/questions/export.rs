//! Questions and answers as CSV for a spreadsheet.

use super::*;

impl Questions<'_> {
    /// Questions and answers as CSV for the agency's moderators and organisers: one row
    /// per answer (or per question without one), safe to open in a spreadsheet.
    pub async fn questions_csv(
        &self,
        principal: &Principal,
        slug: &str,
        lang: Lang,
    ) -> AppResult<String> {
        let page = self.app.moderator_page(principal, slug).await?;
        self.app
            .privacy()
            .audit_staff(
                principal,
                page.event.agency_id,
                "export_downloaded",
                format!("event:{}", page.event.id),
                serde_json::json!({"what": "questions.csv"}),
            )
            .await?;
        let questions = self
            .app
            .store
            .questions(&QuestionFilter {
                event: Some(page.event.id),
                ..Default::default()
            })
            .await?;
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let header = [
            "csv-question-id",
            "csv-asked-at",
            "csv-state",
            "csv-session",
            "csv-department",
            "csv-author",
            "csv-company",
            "csv-anonymous",
            "csv-question-lang",
            "csv-question",
            "csv-original",
            "csv-votes",
            "csv-answer",
            "csv-answered-live",
            "csv-answered-by",
            "csv-answered-at",
        ]
        .map(|k| t(lang, k));
        let failed = |e: csv::Error| AppError::internal(e.to_string());
        w.write_record(&header).map_err(failed)?;
        for q in &questions {
            let session = page
                .sessions
                .iter()
                .find(|s| Some(s.id) == q.session_id)
                .map(|s| s.title.get(lang).to_string())
                .unwrap_or_default();
            let department = page
                .department(q.department_id)
                .map(|d| d.name.get(lang).to_string())
                .unwrap_or_default();
            let base = vec![
                q.id.to_string(),
                q.created_at.to_rfc3339(),
                t(lang, &format!("qstate-{}", q.state.code())),
                session,
                department,
                q.author_name.clone(),
                q.author_company.clone(),
                if q.anonymous { "1" } else { "0" }.to_string(),
                q.lang.code().to_string(),
                q.text.clone(),
                q.original_text.clone().unwrap_or_default(),
                q.votes.to_string(),
            ];
            let rows: Vec<Vec<String>> = if q.answers.is_empty() {
                vec![vec![String::new(); 4]]
            } else {
                q.answers
                    .iter()
                    .map(|a| {
                        vec![
                            a.body.clone(),
                            if a.live { "1" } else { "0" }.to_string(),
                            a.author_name.clone(),
                            a.created_at.to_rfc3339(),
                        ]
                    })
                    .collect()
            };
            for tail in rows {
                let record: Vec<String> = base
                    .iter()
                    .chain(tail.iter())
                    .map(|c| spreadsheet_safe(c))
                    .collect();
                w.write_record(&record).map_err(failed)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::internal(e.to_string()))?;
        let mut out = String::from("\u{feff}");
        out.push_str(&String::from_utf8_lossy(&bytes));
        Ok(out)
    }
}
