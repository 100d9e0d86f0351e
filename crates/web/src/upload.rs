//! Reading an upload (`multipart/form-data`): a file with its title and the form's other
//! fields, for the materials' API and pages and the directory's import page.

use axum::extract::Multipart;
use axum::http::StatusCode;
use roadshow_app::AppError;

/// The parts of a material upload form: `title` and `file`.
pub struct Upload {
    pub title: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    /// Other text fields (the CSRF token on pages).
    pub fields: Vec<(String, String)>,
}

/// Reads a multipart upload; a body over the limit is `TooLarge`.
pub async fn read_upload(mut multipart: Multipart, limit: usize) -> Result<Upload, AppError> {
    let mut upload = Upload {
        title: String::new(),
        filename: String::new(),
        bytes: Vec::new(),
        fields: Vec::new(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge { limit });
            }
            Err(_) => return Err(AppError::invalid("file", "malformed_upload")),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            upload.filename = field.file_name().unwrap_or("").to_string();
            upload.bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(AppError::TooLarge { limit });
                }
                Err(_) => return Err(AppError::invalid("file", "malformed_upload")),
            };
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| AppError::invalid(&name, "malformed_upload"))?;
            if name == "title" {
                upload.title = text;
            } else {
                upload.fields.push((name, text));
            }
        }
    }
    Ok(upload)
}
