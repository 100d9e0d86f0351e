//! Materials: their records, and the bytes of uploaded files in `material_files`.

use crate::rows::{get, time};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use roadshow_domain::ids::*;
use roadshow_domain::materials::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

pub(crate) const MATERIAL_COLUMNS: &str =
    "id, session_id, title, url, file_key, filename, content_type, size_bytes, created_at";

pub(crate) fn material_row(row: &AnyRow) -> StoreResult<Material> {
    Ok(Material {
        id: MaterialId(get(row, "id")?),
        session_id: SessionId(get(row, "session_id")?),
        title: get(row, "title")?,
        url: get(row, "url")?,
        file_key: get(row, "file_key")?,
        filename: get(row, "filename")?,
        content_type: get(row, "content_type")?,
        size_bytes: get(row, "size_bytes")?,
        created_at: time(row, "created_at")?,
    })
}

#[async_trait]
impl MaterialStore for SqlStore {
    async fn add_material(&self, m: &MaterialDraft, bytes: Option<&[u8]>) -> StoreResult<Material> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let row = sqlx::query(&format!("INSERT INTO materials (session_id, title, url, file_key, filename, content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {MATERIAL_COLUMNS}"))
            .bind(m.session_id.0)
            .bind(&m.title)
            .bind(m.url.clone())
            .bind(m.file_key.clone())
            .bind(m.filename.clone())
            .bind(m.content_type.clone())
            .bind(m.size_bytes)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        let material = material_row(&row)?;
        if let Some(bytes) = bytes {
            sqlx::query("INSERT INTO material_files (material_id, bytes) VALUES ($1, $2)")
                .bind(material.id.0)
                .bind(bytes.to_vec())
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(material)
    }

    async fn material_bytes(&self, id: MaterialId) -> StoreResult<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT bytes FROM material_files WHERE material_id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)?;
        row.map(|r| get::<Vec<u8>>(&r, "bytes")).transpose()
    }

    async fn material(&self, id: MaterialId) -> StoreResult<Option<Material>> {
        self.by_id("materials", MATERIAL_COLUMNS, id.0, material_row)
            .await
    }

    async fn delete_material(&self, id: MaterialId) -> StoreResult<()> {
        self.delete_by_id("materials", id.0).await
    }
}
