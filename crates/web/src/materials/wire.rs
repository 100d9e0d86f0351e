//! Materials on the wire.

use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_domain::events::limits;
use roadshow_domain::materials as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A material of a session: an uploaded file (with its download address) or a link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Material {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub session_id: i64,
    pub title: String,
    /// A link's address (null for a file).
    pub url: Option<String>,
    /// A file's name as uploaded (null for a link).
    pub filename: Option<String>,
    /// A file's type, recognised from its content (null for a link).
    pub content_type: Option<String>,
    /// A file's size (0 for a link).
    #[schema(minimum = 0)]
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
    /// Where a file is downloaded (null for a link).
    pub download_url: Option<String>,
}

impl From<&domain::Material> for Material {
    fn from(m: &domain::Material) -> Self {
        Material {
            id: m.id.0,
            session_id: m.session_id.0,
            title: m.title.clone(),
            url: m.url.clone(),
            filename: m.filename.clone(),
            content_type: m.content_type.clone(),
            size_bytes: m.size_bytes,
            created_at: m.created_at,
            download_url: m.file_key.is_some().then(|| format!("/materials/{}", m.id)),
        }
    }
}

/// A link to attach as material.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct LinkInput {
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: String,
    #[serde(default)]
    #[schema(schema_with = schema::url, required = true)]
    pub url: String,
}

impl From<LinkInput> for domain::LinkInput {
    fn from(i: LinkInput) -> Self {
        domain::LinkInput {
            title: i.title,
            url: i.url,
        }
    }
}

/// A file to attach as material (`multipart/form-data`): PDF, an image, an office
/// document or a video, its type recognised from its content.
#[derive(Debug, Clone, ToSchema)]
pub struct Upload {
    #[schema(schema_with = title)]
    pub title: String,
    #[schema(value_type = String, content_media_type = "application/octet-stream", min_length = 1)]
    pub file: Vec<u8>,
}

fn title() -> utoipa::openapi::Object {
    schema::filled(limits::TITLE, Lines::One)
}
