//! Body extractors that turn bad input into clear 4xx errors naming the field, never a 500:
//! [`ApiJson`] for the API (JSON only, 64 KiB, unknown fields rejected by the DTOs) and
//! [`PageForm`] for HTML forms (URL-encoded, CSRF-checked), [`PageUpload`] for a form with one
//! file (multipart, CSRF-checked, size-capped) and [`ApiUpload`] for the API's uploads.

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldCode, FieldError};

/// Largest JSON or form body accepted (SECURITY.md IN-02); uploads have their own limits.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of at most `LIMIT` bytes (64 KiB unless an endpoint needs more, like a whole
/// company's monthly declaration).
pub struct ApiJson<T, const LIMIT: usize = BODY_LIMIT>(pub T);

impl<T: DeserializeOwned + 'static, const LIMIT: usize> FromRequest for ApiJson<T, LIMIT> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req.mime_type().ok().flatten().is_some_and(|mime| {
            mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")
        });
        let body = read_body(req, payload, LIMIT);
        Box::pin(async move {
            if !is_json {
                return Err(AppError::UnsupportedMediaType);
            }
            let body = body.await?;
            let mut deserializer = serde_json::Deserializer::from_slice(&body);
            match serde_path_to_error::deserialize(&mut deserializer) {
                Ok(value) => Ok(ApiJson(value)),
                Err(error) => Err(json_error(error)),
            }
        })
    }
}

/// Names the field at fault: the path serde reached, or the field named in its message.
fn json_error(error: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return AppError::Malformed {
            field: None,
            detail: "the body is not valid JSON".into(),
        };
    }
    let message = inner.to_string();
    // serde names missing and unknown fields in backquotes; the path leads to their parent
    // (missing) or to the field itself (unknown).
    let quoted = message.split('`').nth(1).unwrap_or_default().to_owned();
    let within = |name: String| {
        if path == "." {
            name
        } else {
            format!("{path}.{name}")
        }
    };
    if message.starts_with("missing field") {
        return AppError::Invalid(vec![FieldError::new(within(quoted), FieldCode::Required)]);
    }
    let field = if message.starts_with("unknown field") {
        let name = if path == "." { quoted } else { path };
        Some(FieldError::new(name, FieldCode::UnknownField))
    } else if path != "." {
        Some(FieldError::new(path, FieldCode::InvalidType))
    } else {
        None
    };
    // The message without serde's position suffix (" at line 1 column 16").
    let detail = message
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_owned();
    AppError::Malformed { field, detail }
}

/// A submitted HTML form of at most `LIMIT` bytes (64 KiB unless a page needs more, like an
/// article's Markdown). The CSRF check (token + Origin/Sec-Fetch-Site) runs before the fields
/// are even parsed; form fields are strings and validated by the feature's `parse`.
pub struct PageForm<T, const LIMIT: usize = BODY_LIMIT>(pub T);

impl<T: DeserializeOwned + 'static, const LIMIT: usize> FromRequest for PageForm<T, LIMIT> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = read_body(&req, payload, LIMIT);
        Box::pin(async move {
            crate::web::csrf::check_origin(&req)?;
            if req.content_type() != "application/x-www-form-urlencoded" {
                return Err(AppError::UnsupportedMediaType);
            }
            let body = body.await?;
            #[derive(serde::Deserialize)]
            struct Token {
                #[serde(default)]
                csrf_token: String,
            }
            let token: Token =
                serde_urlencoded::from_bytes(&body).map_err(|_| AppError::CsrfRejected)?;
            crate::web::csrf::check_token(&req, &token.csrf_token)?;
            serde_urlencoded::from_bytes(&body)
                .map(PageForm)
                .map_err(|error| AppError::Malformed {
                    field: None,
                    detail: error.to_string(),
                })
        })
    }
}

/// A submitted HTML form carrying one file (`file`) and text fields. The CSRF check runs on
/// the `csrf_token` field before the file is handed on.
pub struct PageUpload {
    pub fields: HashMap<String, String>,
    pub file: Option<crate::documents::Upload>,
}

impl FromRequest for PageUpload {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let multipart = actix_multipart::Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            crate::web::csrf::check_origin(&req)?;
            let (fields, file) = read_multipart(&req, multipart).await?;
            let token = fields.get("csrf_token").cloned().unwrap_or_default();
            crate::web::csrf::check_token(&req, &token)?;
            Ok(PageUpload { fields, file })
        })
    }
}

/// A `multipart/form-data` API request carrying one file (`file`) and text fields.
pub struct ApiUpload {
    pub fields: HashMap<String, String>,
    pub file: Option<crate::documents::Upload>,
}

impl FromRequest for ApiUpload {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let multipart = actix_multipart::Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            let (fields, file) = read_multipart(&req, multipart).await?;
            Ok(ApiUpload { fields, file })
        })
    }
}

/// Reads a multipart body: text fields, and the first part named `file` that carries a file
/// name. The whole body is capped at the document limit plus room for the fields, and a larger
/// file is refused as too large while it streams in, before it is all held.
async fn read_multipart(
    req: &HttpRequest,
    mut multipart: actix_multipart::Multipart,
) -> Result<(HashMap<String, String>, Option<crate::documents::Upload>), AppError> {
    use futures_util::StreamExt;
    if req.content_type() != "multipart/form-data" {
        return Err(AppError::UnsupportedMediaType);
    }
    let malformed = |error: actix_multipart::MultipartError| AppError::Malformed {
        field: None,
        detail: error.to_string(),
    };
    let mut fields = HashMap::new();
    let mut file = None;
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed)?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let limit = if file_name.is_some() {
            crate::documents::MAX_BYTES
        } else {
            BODY_LIMIT
        };
        let mut bytes = actix_web::web::BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed)?;
            total += chunk.len();
            if bytes.len() + chunk.len() > limit || total > crate::documents::MAX_BYTES + BODY_LIMIT
            {
                return Err(if file_name.is_some() {
                    AppError::invalid("file", FieldCode::FileTooLarge)
                } else {
                    AppError::PayloadTooLarge
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            Some(file_name) if name == "file" && file.is_none() => {
                file = Some(crate::documents::Upload {
                    file_name,
                    bytes: bytes.freeze(),
                });
            }
            Some(_) => {}
            None => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| AppError::Malformed {
                    field: None,
                    detail: format!("{name}: not UTF-8"),
                })?;
                fields.insert(name, text);
            }
        }
    }
    // A browser sends an empty part when no file was chosen.
    let file =
        file.filter(|f: &crate::documents::Upload| !(f.bytes.is_empty() && f.file_name.is_empty()));
    Ok((fields, file))
}

fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> LocalBoxFuture<'static, Result<Bytes, AppError>> {
    let too_long = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|length| length > limit);
    let mut payload = payload.take();
    Box::pin(async move {
        if too_long {
            return Err(AppError::PayloadTooLarge);
        }
        use futures_util::StreamExt;
        let mut body = actix_web::web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| AppError::Malformed {
                field: None,
                detail: error.to_string(),
            })?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_for<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> AppError {
        let mut de = serde_json::Deserializer::from_str(json);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => panic!("expected an error, got {value:?}"),
            Err(error) => json_error(error),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only the parse errors are under test")]
    struct Sample {
        name: String,
        age: u32,
    }

    #[test]
    fn wrong_type_names_the_field() {
        match error_for::<Sample>(r#"{"name": 5, "age": 1}"#) {
            AppError::Malformed { field: Some(f), .. } => {
                assert_eq!((f.field.as_str(), f.code), ("name", FieldCode::InvalidType))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_field_is_required() {
        match error_for::<Sample>(r#"{"name": "a"}"#) {
            AppError::Invalid(errors) => {
                assert_eq!(errors, vec![FieldError::new("age", FieldCode::Required)])
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_field_is_named() {
        match error_for::<Sample>(r#"{"name": "a", "age": 1, "role": "admin"}"#) {
            AppError::Malformed { field: Some(f), .. } => {
                assert_eq!(
                    (f.field.as_str(), f.code),
                    ("role", FieldCode::UnknownField)
                )
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn broken_json_is_malformed_without_a_field() {
        assert!(matches!(
            error_for::<Sample>("{\"name\":"),
            AppError::Malformed { field: None, .. }
        ));
    }
}
