//! The directory on the web: search (`/directory`), eligibility (`/eligibility`), the
//! public pages of policies, parks (and their comparison) and stories, the organisers'
//! import, export, archive, versions and glossary, and their API.

pub mod admin;
pub mod api;
pub mod explain;
pub mod forms;
pub mod pages;

use crate::Routes;
use roadshow_app::directory::SearchParams;
use roadshow_domain::Lang;
use serde::Deserialize;

/// `upload_limit` bounds an imported file.
pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .public("/api/v1/search", api::search)
        .post("/api/v1/eligibility", api::eligibility)
        .post_upload("/api/v1/directory/import", api::import, upload_limit)
        .get("/api/v1/directory/export", api::export)
        .post("/api/v1/directory/{kind}/{id}/archive", api::archive)
        .delete("/api/v1/directory/{kind}/{id}", api::delete)
        .get("/api/v1/policies/{id}/versions", api::versions)
        .get("/api/v1/glossary", api::glossary)
        .post("/api/v1/glossary", api::add_term)
        .delete("/api/v1/glossary/{id}", api::delete_term)
        .public("/directory", pages::search)
        .get("/eligibility", pages::eligibility)
        .public("/policies/{slug}", pages::policy)
        .public("/parks", pages::parks)
        .public("/parks/compare", pages::compare)
        .public("/parks/{slug}", pages::park)
        .public("/stories/{slug}", pages::story)
        .get("/admin/directory", admin::page)
        .post_upload("/admin/directory/import", admin::import, upload_limit)
        .get("/admin/directory/export.json", admin::export_json)
        .get("/admin/directory/export.csv", admin::export_csv)
        .post("/admin/directory/glossary", admin::add_term)
        .post("/admin/directory/glossary/{id}/delete", admin::delete_term)
        .post("/admin/directory/{kind}/{id}/archive", admin::archive)
        .post("/admin/directory/{kind}/{id}/delete", admin::delete)
        .get("/admin/policies/{id}/versions", admin::versions)
}

/// The search's query string, as the API and the page take it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub benefit: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub valid_on: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

impl SearchQuery {
    /// The use case's parameters; `lang` defaults to the reader's. A page that is not a
    /// number is a field error.
    pub fn params(&self, reader: Lang) -> Result<SearchParams, roadshow_app::AppError> {
        let page = match self
            .page
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => None,
            Some(p) => Some(
                p.parse::<usize>()
                    .map_err(|_| roadshow_app::AppError::invalid("page", "invalid_number"))?,
            ),
        };
        let lang = match self
            .lang
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => reader,
            Some(l) => l
                .parse()
                .map_err(|_| roadshow_app::AppError::invalid("lang", "unknown_choice"))?,
        };
        Ok(SearchParams {
            q: self.q.clone().unwrap_or_default(),
            lang: Some(lang),
            district: self.district.clone(),
            sector: self.sector.clone(),
            benefit: self.benefit.clone(),
            kind: self.kind.clone(),
            valid_on: self.valid_on.clone(),
            page,
        })
    }
}

/// The URL of a search hit's page.
pub fn hit_url(kind: roadshow_domain::directory::search::Kind, slug: &str) -> String {
    use roadshow_domain::directory::search::Kind;
    let slug = crate::pages::encode_component(slug);
    match kind {
        Kind::Policy => format!("/policies/{slug}"),
        Kind::Park => format!("/parks/{slug}"),
        Kind::Story => format!("/stories/{slug}"),
    }
}
