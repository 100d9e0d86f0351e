//! Materials attached to sessions: uploaded files (type checked by content, size-limited,
//! kept in the database so that every process serves them) or links.

use crate::access::Guards;
use crate::secrets::random_secret;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::materials::{FileInput, LinkInput, Material};

/// Materials of sessions: files and links.
#[derive(Clone, Copy)]
pub struct Materials<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Materials of sessions: files and links.
    pub fn materials(&self) -> Materials<'_> {
        Materials { app: self }
    }
}

impl Materials<'_> {
    /// Stores an uploaded file as a material of a session.
    pub async fn add_material_file(
        &self,
        principal: &Principal,
        session: SessionId,
        title: &str,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<Material> {
        self.app
            .events()
            .session_for_organiser(principal, session)
            .await?;
        if bytes.len() > self.app.config.max_upload_bytes {
            return Err(AppError::TooLarge {
                limit: self.app.config.max_upload_bytes,
            });
        }
        let draft = FileInput {
            title: title.to_string(),
            filename: filename.to_string(),
        }
        .parse(session, bytes, &random_secret())?;
        let material = self.app.store.add_material(&draft, Some(bytes)).await?;
        self.app.cache.clear();
        Ok(material)
    }

    /// Adds a link (slides online, a recording) as a material of a session.
    pub async fn add_material_link(
        &self,
        principal: &Principal,
        session: SessionId,
        title: &str,
        url: &str,
    ) -> AppResult<Material> {
        self.app
            .events()
            .session_for_organiser(principal, session)
            .await?;
        let draft = LinkInput {
            title: title.to_string(),
            url: url.to_string(),
        }
        .parse(session)?;
        let material = self.app.store.add_material(&draft, None).await?;
        self.app.cache.clear();
        Ok(material)
    }

    /// Removes a material and its file; returns the event it belonged to.
    pub async fn delete_material(&self, principal: &Principal, id: MaterialId) -> AppResult<Event> {
        principal.as_staff()?;
        let material = self
            .app
            .store
            .material(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (event, _) = self
            .app
            .events()
            .session_for_organiser(principal, material.session_id)
            .await?;
        self.app.store.delete_material(id).await?;
        if let Some(key) = &material.file_key {
            // A file kept in the data folder before files moved into the database.
            self.remove_legacy_upload(key).await;
        }
        self.app.cache.clear();
        Ok(event)
    }

    /// A material file for download: anyone for a public event, staff for a draft.
    pub async fn material_file(
        &self,
        principal: &Principal,
        id: MaterialId,
    ) -> AppResult<(Material, Vec<u8>)> {
        let material = self
            .app
            .store
            .material(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let session = self
            .app
            .store
            .session(material.session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = self
            .app
            .store
            .event(session.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !event.status.is_public() && principal.staff_of(event.agency_id).is_none() {
            return Err(AppError::NotFound);
        }
        let key = material.file_key.clone().ok_or(AppError::NotFound)?;
        if let Some(bytes) = self.app.store.material_bytes(id).await? {
            return Ok((material, bytes));
        }
        // Files uploaded before they moved into the database are in the data folder; a
        // file that is in neither place is gone, which is a 404, not a failure.
        if !legacy_key(&key) {
            return Err(AppError::NotFound);
        }
        match tokio::fs::read(self.app.config.uploads_dir().join(&key)).await {
            Ok(bytes) => Ok((material, bytes)),
            Err(e) => {
                tracing::warn!(
                    key,
                    error = &e as &dyn std::error::Error,
                    "a material's file is missing"
                );
                Err(AppError::NotFound)
            }
        }
    }

    pub(crate) async fn remove_legacy_upload(&self, key: &str) {
        if !legacy_key(key) {
            return;
        }
        let path = self.app.config.uploads_dir().join(key);
        if let Err(e) = tokio::fs::remove_file(path).await {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(
                    key,
                    error = &e as &dyn std::error::Error,
                    "could not remove an old upload"
                );
            }
        }
    }
}

/// Keys are ours (random base64url and an extension), never a path from outside.
fn legacy_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !key.contains("..")
}

#[cfg(test)]
mod tests {
    use super::legacy_key;

    #[test]
    fn only_our_own_keys_name_old_files() {
        assert!(legacy_key("q1w2-e3_r4.pdf"));
        assert!(!legacy_key("../etc/passwd"));
        assert!(!legacy_key("a/b.pdf"));
        assert!(!legacy_key(""));
    }
}
