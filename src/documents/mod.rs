//! Uploaded documents (evidence for a registration now, claim documents later). The type is
//! sniffed from the bytes (PDF, JPEG, PNG only), the size is capped, an optional scanner
//! command must accept the file, and the bytes are kept outside the web root under a random
//! name. The row and whatever refers to it are written in one transaction; if it fails the
//! file is removed, so a failed upload leaves neither an orphan file nor a row. Files are read
//! back only by their owner or by staff (the callers check).

use actix_web::web::Bytes;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::documents;
use crate::error::{AppError, FieldCode};
use crate::secrets::random_token;

pub mod storage;

/// Per file (SECURITY.md UP-01).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A file as it arrived: the name the sender gave it and its bytes.
pub struct Upload {
    pub file_name: String,
    pub bytes: Bytes,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: String,
    #[serde(skip)]
    pub owner_account_id: String,
    #[serde(skip)]
    pub stored_name: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// The content type the bytes really are, from their signature; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A display name safe to echo: the last path segment, control characters dropped, 100
/// characters at most.
fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    if name.trim().is_empty() {
        "document".into()
    } else {
        name
    }
}

/// Checks an upload before anything is stored: not empty, not too large, a permitted type.
pub fn check(upload: &Upload) -> Result<&'static str, AppError> {
    if upload.bytes.is_empty() {
        return Err(AppError::invalid("file", FieldCode::Required));
    }
    if upload.bytes.len() > MAX_BYTES {
        return Err(AppError::invalid("file", FieldCode::FileTooLarge));
    }
    sniff(&upload.bytes).ok_or_else(|| AppError::invalid("file", FieldCode::FileType))
}

/// Stores `upload` for `owner` and runs `then` (which links the document to what it belongs
/// to) in the same transaction as the document's row, after the owner's quota is checked.
/// Nothing is left behind on failure: neither the file nor the row.
pub async fn store<T, F>(
    state: &AppState,
    owner: &str,
    upload: Upload,
    now: Timestamp,
    then: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &Document) -> Result<T, AppError> + Send + 'static,
{
    let content_type = check(&upload)?;
    scan(state, &upload.bytes).await?;
    let document = Document {
        id: uuid::Uuid::now_v7().to_string(),
        owner_account_id: owner.to_owned(),
        stored_name: random_token(),
        file_name: clean_name(&upload.file_name),
        content_type: content_type.to_owned(),
        size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
    };
    let sha256 = digest(&upload.bytes);
    let stored_name = document.stored_name.clone();
    let quota = state.settings.limits.document_bytes_per_account;
    state
        .storage
        .put(&stored_name, upload.bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let written = state
        .db
        .write(move |conn| {
            if owned_bytes(conn, &document.owner_account_id)? + document.size > quota {
                return Err(AppError::invalid("file", FieldCode::QuotaExceeded));
            }
            diesel::insert_into(documents::table)
                .values((
                    documents::id.eq(&document.id),
                    documents::owner_account_id.eq(&document.owner_account_id),
                    documents::stored_name.eq(&document.stored_name),
                    documents::file_name.eq(&document.file_name),
                    documents::content_type.eq(&document.content_type),
                    documents::size.eq(document.size),
                    documents::sha256.eq(&sha256),
                    documents::created_at.eq(now),
                ))
                .execute(conn)?;
            then(conn, &document)
        })
        .await;
    if written.is_err()
        && let Err(error) = state.storage.delete(&stored_name).await
    {
        tracing::error!(%error, "could not remove the file of a failed upload");
    }
    written
}

/// The bytes of documents `owner` has stored.
fn owned_bytes(conn: &mut DbConn, owner: &str) -> QueryResult<i64> {
    let sizes: Vec<i64> = documents::table
        .filter(documents::owner_account_id.eq(owner))
        .select(documents::size)
        .load(conn)?;
    Ok(sizes.iter().sum())
}

/// Runs the configured scanner on a staging copy of the bytes. It fails closed: a scanner that
/// cannot run, or exits non-zero, refuses the file.
async fn scan(state: &AppState, bytes: &Bytes) -> Result<(), AppError> {
    let Some(command) = &state.settings.upload_scanner else {
        return Ok(());
    };
    let staging = state.settings.upload_dir.join(".incoming");
    let path = staging.join(random_token());
    let status = async {
        tokio::fs::create_dir_all(&staging).await?;
        tokio::fs::write(&path, bytes).await?;
        tokio::process::Command::new(command)
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .await
    }
    .await;
    let _ = tokio::fs::remove_file(&path).await;
    match status {
        Ok(status) if status.success() => Ok(()),
        outcome => {
            tracing::warn!(?outcome, "upload refused by the scanner");
            Err(AppError::invalid("file", FieldCode::FileRejected))
        }
    }
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<Document>> {
    documents::table
        .find(id)
        .select(Document::as_select())
        .first(conn)
        .optional()
}

/// The bytes of a document the caller has already been allowed to read.
pub async fn read(state: &AppState, document: &Document) -> Result<Bytes, AppError> {
    Ok(state
        .storage
        .get(&document.stored_name)
        .await
        .map_err(anyhow::Error::from)?)
}

/// Files in the store without a row, and rows whose file is gone (both should be empty).
pub async fn orphans(state: &AppState) -> Result<(Vec<String>, Vec<String>), AppError> {
    let held = state.storage.names().await.map_err(anyhow::Error::from)?;
    let known: Vec<String> = state
        .db
        .read(|conn| Ok(documents::table.select(documents::stored_name).load(conn)?))
        .await?;
    let files_without_row = held
        .iter()
        .filter(|n| !known.contains(n))
        .cloned()
        .collect();
    let rows_without_file = known.into_iter().filter(|n| !held.contains(n)).collect();
    Ok((files_without_row, rows_without_file))
}

/// Serves a document inline, never as something the browser could run.
pub fn response(document: &Document, bytes: Bytes) -> actix_web::HttpResponse {
    let name: String = document
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    actix_web::HttpResponse::Ok()
        .content_type(document.content_type.as_str())
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("Content-Security-Policy", "sandbox; default-src 'none'"))
        .body(bytes)
}

/// [`response`] that the portal's own pages may show in a frame (the staff review page's
/// inline viewer). Still no script, no plugins beyond the browser's PDF viewer, no other site.
pub fn framable_response(document: &Document, bytes: Bytes) -> actix_web::HttpResponse {
    let mut response = response(document, bytes);
    let headers = response.headers_mut();
    headers.insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; frame-ancestors 'self'",
        ),
    );
    headers.insert(
        actix_web::http::header::X_FRAME_OPTIONS,
        actix_web::http::header::HeaderValue::from_static("SAMEORIGIN"),
    );
    response
}

/// The hex SHA-256 of a file's bytes, as stored beside it.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        // An executable renamed `.pdf`, a script, an empty file.
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_cleaned_for_display() {
        assert_eq!(
            clean_name("C:\\Users\\an\\giấy xác nhận.pdf"),
            "giấy xác nhận.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.png"), "abc.png");
        assert_eq!(clean_name("  "), "document");
    }
}
