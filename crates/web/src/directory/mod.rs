//! The directory on the web: search (`/directory`), eligibility (`/eligibility`), the
//! public pages of policies, parks (and their comparison) and stories, the organisers'
//! parks, policies and stories, import, export, archive, versions and glossary, and
//! their API.

pub mod admin;
pub mod api;
pub mod eligibility;
pub mod explain;
pub mod forms;
pub mod items;
pub mod items_api;
pub mod pages;
pub mod parks;
pub mod policies;
pub mod stories;
pub mod wire;

use crate::Routes;
use roadshow_app::directory::SearchParams;
use roadshow_domain::Lang;
use utoipa_axum::routes;

/// `upload_limit` bounds an imported file.
///
/// The directory's pages are not shared by the public page cache: another process may
/// change the directory, and every answer here first applies what changed.
pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .api_public(routes!(items_api::parks))
        .api(routes!(items_api::create_park))
        .api(routes!(items_api::update_park))
        .api_public(routes!(items_api::policies))
        .api(routes!(items_api::create_policy))
        .api(routes!(items_api::update_policy))
        .api_public(routes!(items_api::stories))
        .api(routes!(items_api::create_story))
        .api(routes!(items_api::update_story))
        .get("/admin/parks", parks::list)
        .post("/admin/parks", parks::create)
        .get("/admin/parks/{id}", parks::edit)
        .post("/admin/parks/{id}", parks::update)
        .get("/admin/policies", policies::list)
        .post("/admin/policies", policies::create)
        .get("/admin/policies/{id}", policies::edit)
        .post("/admin/policies/{id}", policies::update)
        .get("/admin/stories", stories::list)
        .post("/admin/stories", stories::create)
        .get("/admin/stories/{id}", stories::edit)
        .post("/admin/stories/{id}", stories::update)
        .api(routes!(api::search))
        .api(routes!(api::eligibility))
        .api_upload(routes!(api::import), upload_limit)
        .api(routes!(api::export))
        .api(routes!(api::archive))
        .api(routes!(api::delete))
        .api(routes!(api::versions))
        .api(routes!(api::glossary, api::add_term))
        .api(routes!(api::delete_term))
        .get("/directory", pages::search)
        .get("/eligibility", eligibility::page)
        .get("/policies/{slug}", items::policy)
        .get("/parks", items::parks)
        .get("/parks/compare", items::compare)
        .get("/parks/{slug}", items::park)
        .get("/stories/{slug}", items::story)
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

pub use wire::SearchQuery;

impl SearchQuery {
    /// The use case's parameters; `lang` defaults to the reader's. A page that is not a
    /// number is a field error.
    pub fn params(&self, reader: Lang) -> Result<SearchParams, roadshow_app::AppError> {
        // Any query text is answered; the filters name values, which have no controls.
        for (field, value, lines) in [
            ("district", &self.district, false),
            ("sector", &self.sector, false),
            ("benefit", &self.benefit, false),
        ] {
            if value
                .as_deref()
                .is_some_and(|v| roadshow_domain::validation::has_forbidden_control(v, lines))
            {
                return Err(roadshow_app::AppError::invalid(field, "control_character"));
            }
        }
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

/// An answer's HTML with its citations as links titled in `lang` (the page's reader, or
/// the answer's language on the shared live stream, where the script swaps in the
/// reader's title from `data-titles`).
pub fn cited_html(html: &str, page: &roadshow_app::events::EventPage, lang: Lang) -> String {
    if !html.contains("[[") {
        return html.to_string();
    }
    roadshow_domain::text::cite_links(html, |kind, slug| {
        let titles = page.citations.get(&kind.key(slug))?;
        let (title_lang, title) = titles.resolve(lang)?;
        let all: std::collections::BTreeMap<&str, &str> = titles
            .0
            .iter()
            .map(|(l, t)| (l.code(), t.as_str()))
            .collect();
        let data = serde_json::to_string(&all).unwrap_or_default();
        Some(format!(
            "<a class=\"cite\" href=\"{}\" lang=\"{}\" data-titles=\"{}\">{}</a>",
            hit_url(kind, slug),
            title_lang.code(),
            escape_attr(&data),
            escape_attr(title)
        ))
    })
}

/// Text made safe inside an HTML attribute or element.
fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
