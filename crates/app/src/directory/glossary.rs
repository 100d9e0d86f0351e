//! The directory's glossary: the built-in concepts in four languages and each agency's
//! own words, which change how its items are found.

use super::Directory;
use crate::access::*;
use crate::{AppError, AppResult, Principal};
use roadshow_domain::Lang;
use roadshow_domain::directory::search::glossary::{self, Concept, TERM_MAX};
use roadshow_domain::directory::versions::GlossaryTerm;

impl Directory<'_> {
    /// The glossary: the built-in concepts, and this agency's own words (which it may
    /// remove). Another agency's words are its own: they change only its items' search.
    pub async fn glossary(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<Concept>, Vec<GlossaryTerm>)> {
        let agency = principal.as_organiser()?.agency_id;
        let terms = self.app.store.glossary_terms().await?;
        let own: Vec<GlossaryTerm> = terms
            .iter()
            .filter(|t| t.agency == agency)
            .cloned()
            .collect();
        Ok((glossary::built_in(), own))
    }

    /// Adds a word to a concept (a new key makes a new concept).
    pub async fn add_term(
        &self,
        principal: &Principal,
        concept: &str,
        lang: Option<Lang>,
        term: &str,
    ) -> AppResult<GlossaryTerm> {
        let agency = principal.as_organiser()?.agency_id;
        let mut check = roadshow_domain::validation::Checker::new();
        let concept = check
            .required("concept", Some(concept), TERM_MAX)
            .to_lowercase();
        if !concept.is_empty() && !roadshow_domain::validation::is_slug(&concept) {
            check.push("concept", "invalid_slug");
        }
        if lang.is_none() {
            check.push("lang", "required");
        }
        let term = check.required("term", Some(term), TERM_MAX);
        if roadshow_domain::validation::has_forbidden_control(&term, false) {
            check.push("term", "control_character");
        }
        check.finish(())?;
        let lang = lang.ok_or_else(|| AppError::invalid("lang", "required"))?;
        let added = self
            .app
            .store
            .add_glossary_term(agency, &concept, lang, &term)
            .await
            .map_err(|e| match e {
                roadshow_domain::store::StoreError::Conflict(_) => {
                    AppError::invalid("term", "duplicate")
                }
                e => e.into(),
            })?;
        self.glossary_changed();
        Ok(added)
    }

    pub async fn delete_term(&self, principal: &Principal, id: i64) -> AppResult<()> {
        let agency = principal.as_organiser()?.agency_id;
        if !self.app.store.delete_glossary_term(agency, id).await? {
            return Err(AppError::NotFound);
        }
        self.glossary_changed();
        Ok(())
    }

    /// After a glossary change the whole index is rebuilt (every text is analysed again
    /// with the new words): seconds for a large directory. It runs on its own, not in the
    /// organiser's request; searches meanwhile read the index as it stands.
    fn glossary_changed(&self) {
        self.app.cache.clear();
        self.app.directory.fresh_in_background();
    }
}
