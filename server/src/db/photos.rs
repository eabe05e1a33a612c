//! Photos, stored once per distinct bytes (keyed by SHA-256), and who may see them: the
//! uploader, the office, and whoever may see a record that names the photo.

use super::roster::Scope;
use super::Tx;
use super::{now_text, Store, StoreResult};
use rounds::photo::{ImageInfo, PhotoRef, PhotoType};
use rounds::{RecordEnvelope, UserId};

/// A photo's bytes as stored.
pub struct PhotoBlob {
    pub content_type: PhotoType,
    pub data: Vec<u8>,
}

impl Store {
    /// Stores checked photo bytes under their hash and notes the uploader. Idempotent: the same
    /// bytes again store nothing new. Returns whether this call stored the bytes.
    pub async fn put_photo(&self, user: UserId, sha256: &str, info: ImageInfo, data: &[u8]) -> StoreResult<bool> {
        let mut w = self.write_unsequenced().await?;
        let now = now_text();
        let created = tx!(w.tx, |c| sqlx::query(
            "INSERT INTO photos (sha256, content_type, width, height, bytes, data, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(info.content_type.mime())
        .bind(i64::from(info.width))
        .bind(i64::from(info.height))
        .bind(data.len() as i64)
        .bind(data)
        .bind(&now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1;
        tx!(w.tx, |c| sqlx::query("INSERT INTO photo_uploads (sha256, user_id, uploaded_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(sha256)
            .bind(user.0)
            .bind(&now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(created)
    }

    /// What the server knows of a stored photo, without its bytes.
    pub async fn photo_ref(&self, sha256: &str) -> StoreResult<Option<PhotoRef>> {
        let row: Option<(String, i64, i64, i64)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT content_type, width, height, bytes FROM photos WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(c)
                .await)?;
        Ok(row.and_then(|(t, width, height, bytes)| {
            Some(PhotoRef {
                sha256: sha256.to_string(),
                content_type: PhotoType::from_mime(&t)?,
                width: width as u32,
                height: height as u32,
                bytes: bytes as u64,
            })
        }))
    }

    /// The photo's bytes, or `None` when they are not stored.
    pub async fn photo_blob(&self, sha256: &str) -> StoreResult<Option<PhotoBlob>> {
        let row: Option<(String, Vec<u8>)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT content_type, data FROM photos WHERE sha256 = $1").bind(sha256).fetch_optional(c).await)?;
        Ok(row.and_then(|(t, data)| Some(PhotoBlob { content_type: PhotoType::from_mime(&t)?, data })))
    }

    /// How many photos are stored (for tests and audits).
    pub async fn photo_count(&self) -> StoreResult<i64> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar("SELECT COUNT(*) FROM photos").fetch_one(c).await)?)
    }

    pub async fn uploaded_photo(&self, user: UserId, sha256: &str) -> StoreResult<bool> {
        let found: Option<i64> = pool!(self.pool, |c| sqlx::query_scalar("SELECT user_id FROM photo_uploads WHERE sha256 = $1 AND user_id = $2")
            .bind(sha256)
            .bind(user.0)
            .fetch_optional(c)
            .await)?;
        Ok(found.is_some())
    }

    /// Whether a record naming this photo is one the scope may pull, by the pull's own rule
    /// (`push_visible_to`). Only records whose author uploaded the bytes count: naming a hash in
    /// a record of one's own must not open someone else's photo to whoever merely learned it.
    pub async fn photo_in_scope(&self, scope: &Scope, sha256: &str) -> StoreResult<bool> {
        Ok(pool!(self.pool, |c| {
            let mut q = sqlx::QueryBuilder::<Db>::new(
                "SELECT 1 FROM records WHERE id IN (
                     SELECT rp.record_id FROM record_photos rp
                     JOIN records r ON r.id = rp.record_id
                     JOIN photo_uploads u ON u.sha256 = rp.sha256 AND u.user_id = r.author_id
                     WHERE rp.sha256 = ",
            );
            q.push_bind(sha256.to_string());
            q.push(")");
            super::visibility::push_visible_to(&mut q, scope);
            q.push(" LIMIT 1");
            Ok::<_, sqlx::Error>(q.build().fetch_optional(c).await?.is_some())
        })?)
    }
}

/// Notes which photos a stored revision names, in the transaction that stores it.
pub async fn link_record(tx: &mut Tx, env: &RecordEnvelope) -> StoreResult<()> {
    for photo in &env.photos {
        tx!(tx, |c| sqlx::query("INSERT INTO record_photos (sha256, record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&photo.sha256)
            .bind(env.id.to_string())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}
