//! Materials attached to sessions: uploaded files (type checked by content, size-limited,
//! kept under the data folder) or links.

use crate::accounts::random_secret;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::materials::{LinkInput, Material, MaterialDraft};

/// The file types a material may be, recognised from the bytes, never from the name:
/// (MIME type, extension).
pub const ALLOWED_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/webp", "webp"),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ("application/vnd.ms-powerpoint", "ppt"),
    ("application/vnd.oasis.opendocument.presentation", "odp"),
];

/// The type of an upload, from its content.
pub fn sniff_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kind = infer::get(bytes)?;
    ALLOWED_TYPES
        .iter()
        .find(|(mime, _)| *mime == kind.mime_type())
        .copied()
}

/// A file name safe to put in a Content-Disposition header: no folders, quotes or
/// control characters, at most 150 characters.
pub fn clean_filename(name: &str, extension: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        format!("material.{extension}")
    } else {
        cleaned
    }
}

/// Writes a file and flushes it to disk before the database row that points to it exists.
async fn write_durably(path: &std::path::Path, bytes: &[u8]) -> AppResult<()> {
    use tokio::io::AsyncWriteExt;
    let io = |e: std::io::Error| AppError::internal(format!("writing {}: {e}", path.display()));
    let mut file = tokio::fs::File::create(path).await.map_err(io)?;
    file.write_all(bytes).await.map_err(io)?;
    file.sync_all().await.map_err(io)?;
    Ok(())
}

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
        let title = title.trim();
        let mut errors = Vec::new();
        if title.is_empty() {
            errors.push(("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(("title", "too_long"));
        }
        if bytes.len() > self.app.config.max_upload_bytes {
            return Err(AppError::TooLarge {
                limit: self.app.config.max_upload_bytes,
            });
        }
        let kind = if bytes.is_empty() {
            errors.push(("file", "required"));
            None
        } else {
            let kind = sniff_type(bytes);
            if kind.is_none() {
                errors.push(("file", "unsupported_file_type"));
            }
            kind
        };
        let (Some((mime, extension)), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(
                errors
                    .into_iter()
                    .map(|(field, code)| roadshow_domain::FieldError {
                        field: field.into(),
                        code,
                        limit: None,
                    })
                    .collect(),
            ));
        };
        let key = format!("{}.{extension}", random_secret());
        let dir = self.app.config.uploads_dir();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| AppError::internal(format!("uploads folder: {e}")))?;
        let path = dir.join(&key);
        write_durably(&path, bytes).await?;
        let material = self
            .app
            .store
            .add_material(&MaterialDraft {
                session_id: session,
                title: title.to_string(),
                url: None,
                file_key: Some(key.clone()),
                filename: Some(clean_filename(filename, extension)),
                content_type: Some(mime.to_string()),
                size_bytes: bytes.len() as i64,
            })
            .await;
        match material {
            Ok(m) => {
                self.app.cache.clear();
                Ok(m)
            }
            Err(e) => {
                self.remove_upload(&key).await;
                Err(e.into())
            }
        }
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
        let material = self.app.store.add_material(&draft).await?;
        self.app.cache.clear();
        Ok(material)
    }

    /// Removes a material and its file; returns the event it belonged to.
    pub async fn delete_material(&self, principal: &Principal, id: MaterialId) -> AppResult<Event> {
        if matches!(principal, Principal::Anonymous) {
            return Err(AppError::Unauthenticated);
        }
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
            self.remove_upload(key).await;
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
        let bytes = tokio::fs::read(self.app.config.uploads_dir().join(&key))
            .await
            .map_err(|e| AppError::internal(format!("material file {key}: {e}")))?;
        Ok((material, bytes))
    }

    pub(crate) async fn remove_upload(&self, key: &str) {
        // Keys are ours (random base64url + extension), never a path from outside.
        if key.contains('/') || key.contains("..") {
            return;
        }
        if let Err(e) = tokio::fs::remove_file(self.app.config.uploads_dir().join(key)).await {
            tracing::warn!(key, error = %e, "could not remove upload");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff_type(b"%PDF-1.7\n...").map(|t| t.1), Some("pdf"));
        assert_eq!(
            sniff_type(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).map(|t| t.1),
            Some("png")
        );
        assert_eq!(sniff_type(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff_type(b"MZ\x90\x00 executable"), None);
    }

    #[test]
    fn filenames_lose_paths_and_quotes() {
        assert_eq!(clean_filename("../../etc/passwd", "pdf"), "passwd");
        assert_eq!(
            clean_filename("C:\\x\\Plan \"2025\".pdf", "pdf"),
            "Plan 2025.pdf"
        );
        assert_eq!(clean_filename("", "png"), "material.png");
    }
}
