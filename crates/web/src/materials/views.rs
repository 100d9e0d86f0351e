//! How a material is shown: as JSON in the API, as a link or download on pages.

use roadshow_domain::materials::Material;
use serde_json::{Value, json};

/// A material as the API shows it, with its download address for files.
pub fn material_json(m: &Material) -> Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if m.file_key.is_some() {
        v["download_url"] = json!(format!("/materials/{}", m.id));
    }
    v
}

#[derive(Debug, Clone)]
pub struct MaterialView {
    pub title: String,
    pub href: String,
    pub is_file: bool,
    pub detail: String,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes / 1024).max(1))
    }
}

pub fn material_view(m: &Material) -> MaterialView {
    match &m.url {
        Some(url) => MaterialView {
            title: m.title.clone(),
            href: url.clone(),
            is_file: false,
            detail: String::new(),
        },
        None => {
            let kind = m
                .filename
                .as_deref()
                .and_then(|f| f.rsplit('.').next())
                .unwrap_or("")
                .to_uppercase();
            MaterialView {
                title: m.title.clone(),
                href: format!("/materials/{}", m.id),
                is_file: true,
                detail: format!("{kind} · {}", size_text(m.size_bytes)),
            }
        }
    }
}
