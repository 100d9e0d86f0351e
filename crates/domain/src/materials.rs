//! Materials attached to sessions: an uploaded file (kept in the database, so that every
//! process serves it; its type recognised from its content) or a link.

use crate::events::limits;
use crate::ids::{MaterialId, SessionId};
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid, URL_MAX, is_http_url};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A material: a stored file or a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Material {
    pub id: MaterialId,
    pub session_id: SessionId,
    pub title: String,
    /// Set for links.
    pub url: Option<String>,
    /// Set for files: a random key (older files were kept under this name in the data
    /// folder).
    #[serde(skip)]
    pub file_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

/// A material to store: a file (whose bytes the store keeps with it) or a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialDraft {
    pub session_id: SessionId,
    pub title: String,
    pub url: Option<String>,
    pub file_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
}

/// A link material as an organiser sends it: `{"title": "...", "url": "https://..."}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LinkInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
}

impl LinkInput {
    /// A link must be an http(s) address with a title; checked here so that the API and
    /// the page agree.
    pub fn parse(&self, session: SessionId) -> Result<MaterialDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let title = check.required("title", Some(&self.title), limits::TITLE);
        let url = self.url.trim();
        if url.is_empty() {
            check.push("url", "required");
        } else if url.chars().count() > URL_MAX {
            check.push_limit("url", "too_long", URL_MAX);
        } else if !is_http_url(url) {
            check.push("url", "invalid_url");
        }
        check.finish(MaterialDraft {
            session_id: session,
            title,
            url: Some(url.to_string()),
            file_key: None,
            filename: None,
            content_type: None,
            size_bytes: 0,
        })
    }
}

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

/// The type of an upload, from its content: (MIME type, extension).
pub fn sniff_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kind = infer::get(bytes)?;
    ALLOWED_TYPES
        .iter()
        .find(|(mime, _)| *mime == kind.mime_type())
        .copied()
}

/// The download name of an upload: the name it was sent with, without folders, quotes
/// or control characters, at most 150 characters, and with the extension of the type
/// its content has (a PDF sent as `x.html` downloads as `x.pdf`), so that no program
/// opens it as something else.
pub fn download_name(sent: &str, extension: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    // The stem: the name up to its first dot, so `report.pdf.html` keeps only `report`.
    let stem = cleaned.split('.').next().unwrap_or("").trim();
    if stem.is_empty() {
        format!("material.{extension}")
    } else {
        format!("{stem}.{extension}")
    }
}

/// An uploaded file as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileInput {
    pub title: String,
    /// The name the browser sent (cleaned, not refused: see [`download_name`]).
    #[serde(skip)]
    pub filename: String,
}

impl FileInput {
    /// A file must have a title and content of an allowed type; its key is the caller's
    /// (random) choice.
    pub fn parse(
        &self,
        session: SessionId,
        bytes: &[u8],
        key: &str,
    ) -> Result<MaterialDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let title = check.required("title", Some(&self.title), limits::TITLE);
        let kind = if bytes.is_empty() {
            check.push("file", "required");
            None
        } else {
            let kind = sniff_type(bytes);
            if kind.is_none() {
                check.push("file", "unsupported_file_type");
            }
            kind
        };
        let (mime, extension) = kind.unwrap_or(("", ""));
        check.finish(MaterialDraft {
            session_id: session,
            title,
            url: None,
            file_key: Some(format!("{key}.{extension}")),
            filename: Some(download_name(&self.filename, extension)),
            content_type: Some(mime.to_string()),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        })
    }
}

/// Where materials are kept: their records and the bytes of their files.
#[async_trait]
pub trait MaterialStore: Send + Sync {
    /// Adds a material; a file's `bytes` are kept with it, in the same transaction.
    async fn add_material(
        &self,
        material: &MaterialDraft,
        bytes: Option<&[u8]>,
    ) -> StoreResult<Material>;
    async fn material(&self, id: MaterialId) -> StoreResult<Option<Material>>;
    /// The bytes of a file material, if the database has them.
    async fn material_bytes(&self, id: MaterialId) -> StoreResult<Option<Vec<u8>>>;
    async fn delete_material(&self, id: MaterialId) -> StoreResult<()>;
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
    fn download_names_lose_paths_and_quotes_and_take_the_real_type() {
        assert_eq!(download_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(
            download_name("C:\\x\\Plan \"2025\".pdf", "pdf"),
            "Plan 2025.pdf"
        );
        assert_eq!(download_name("", "png"), "material.png");
        assert_eq!(download_name("x.html", "pdf"), "x.pdf");
        assert_eq!(download_name("Bericht.PDF", "pdf"), "Bericht.pdf");
        assert_eq!(download_name("report.pdf.exe", "pdf"), "report.pdf");
        assert_eq!(download_name(".htaccess", "png"), "htaccess.png");
        assert_eq!(download_name("政策介绍.pptx", "pptx"), "政策介绍.pptx");
    }

    #[test]
    fn a_file_needs_a_title_and_an_allowed_type() {
        let input = FileInput {
            title: "Broschüre".into(),
            filename: "x.html".into(),
        };
        let draft = input.parse(SessionId(1), b"%PDF-1.7\n...", "k3y").unwrap();
        assert_eq!(draft.filename.as_deref(), Some("x.pdf"));
        assert_eq!(draft.file_key.as_deref(), Some("k3y.pdf"));
        assert_eq!(draft.content_type.as_deref(), Some("application/pdf"));
        let err = FileInput::default()
            .parse(SessionId(1), b"<html>", "k")
            .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![("title", "required"), ("file", "unsupported_file_type")]
        );
    }
}
