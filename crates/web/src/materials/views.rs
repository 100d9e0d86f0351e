//! How a material is shown on pages: as a link or a download.

use roadshow_domain::materials::Material;

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
