//! Materials attached to sessions: an uploaded file (kept under the data folder, its type
//! recognised from its content) or a link.

use crate::events::limits;
use crate::ids::{MaterialId, SessionId};
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid, is_http_url};
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
    /// Set for files: the name under the uploads folder.
    #[serde(skip)]
    pub file_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

/// A material to store: a file already written under the uploads folder, or a link.
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

/// Where material records are kept (the files themselves are the app's).
#[async_trait]
pub trait MaterialStore: Send + Sync {
    async fn add_material(&self, material: &MaterialDraft) -> StoreResult<Material>;
    async fn material(&self, id: MaterialId) -> StoreResult<Option<Material>>;
    async fn delete_material(&self, id: MaterialId) -> StoreResult<()>;
}
