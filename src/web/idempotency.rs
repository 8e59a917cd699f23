//! `Idempotency-Key` for POSTs that create something: a phone that retries after a timeout, or
//! payroll software that resends a batch, gets the first answer again instead of a duplicate.
//!
//! The stored answer is written in the same transaction as the change it describes, so either
//! both exist or neither does. A different request under a used key is refused (422); a request
//! that failed (4xx) stored nothing, so the caller may fix it and retry under the same key.

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;

use crate::clock::Timestamp;
use crate::db::schema::idempotency_keys;
use crate::db::{DbConn, is_unique_violation};
use crate::error::AppError;
use crate::secrets::token_hash;

pub const HEADER: &str = "Idempotency-Key";

/// The caller's key: 1–255 visible ASCII characters.
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A key from the header, or from a form's hidden field (pages: one key per form shown).
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let key = text.trim();
        if !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(IdempotencyKey(key.to_owned()))
        } else {
            Err(AppError::IdempotencyKeyRequired)
        }
    }
}

impl FromRequest for IdempotencyKey {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let key = req
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::IdempotencyKeyRequired)
            .and_then(IdempotencyKey::parse);
        std::future::ready(key)
    }
}

/// An answer as stored and replayed.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub replayed: bool,
}

impl Answer {
    pub fn json(status: StatusCode, body: &impl Serialize) -> Result<Self, AppError> {
        Ok(Self {
            status,
            body: serde_json::to_string(body).map_err(anyhow::Error::from)?,
            replayed: false,
        })
    }

    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type(ContentType::json());
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.body(self.body)
    }
}

/// One keyed request: who sent it, the key, and a fingerprint of what was asked.
pub struct Keyed {
    caller: String,
    key: String,
    fingerprint: String,
}

impl Keyed {
    /// `caller` scopes keys (two clients may pick the same key); `request` is the operation and
    /// the parsed body, so formatting differences in the JSON do not count as a new request.
    pub fn new(
        caller: &str,
        key: IdempotencyKey,
        operation: &str,
        request: &impl Serialize,
    ) -> Result<Self, AppError> {
        let body = serde_json::to_string(request).map_err(anyhow::Error::from)?;
        Ok(Self {
            caller: caller.to_owned(),
            key: key.0,
            fingerprint: token_hash(&format!("{operation}\n{body}")),
        })
    }

    /// Runs `change` once per key, inside the caller's transaction: replays the stored answer
    /// for a repeat, refuses a different request under the same key.
    pub fn run(
        &self,
        conn: &mut DbConn,
        now: Timestamp,
        change: impl FnOnce(&mut DbConn) -> Result<Answer, AppError>,
    ) -> Result<Answer, AppError> {
        let stored = idempotency_keys::table
            .find((&self.caller, &self.key))
            .select((
                idempotency_keys::request_hash,
                idempotency_keys::status,
                idempotency_keys::body,
            ))
            .first::<(String, i32, String)>(conn)
            .optional()?;
        if let Some((fingerprint, status, body)) = stored {
            if fingerprint != self.fingerprint {
                return Err(AppError::IdempotencyKeyReused);
            }
            let status = u16::try_from(status)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::OK);
            return Ok(Answer {
                status,
                body,
                replayed: true,
            });
        }
        let answer = change(conn)?;
        let inserted = diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::caller.eq(&self.caller),
                idempotency_keys::idempotency_key.eq(&self.key),
                idempotency_keys::request_hash.eq(&self.fingerprint),
                idempotency_keys::status.eq(i32::from(answer.status.as_u16())),
                idempotency_keys::body.eq(&answer.body),
                idempotency_keys::created_at.eq(now),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => Ok(answer),
            // A concurrent request with the same key committed first (PostgreSQL); this one
            // rolls back and the caller's retry replays the winner's answer.
            Err(error) if is_unique_violation(&error) => Err(AppError::IdempotencyInProgress),
            Err(error) => Err(error.into()),
        }
    }
}

impl Keyed {
    /// Runs `change` once per key in its own transaction and answers `status` with what it
    /// returned; a repeat of the same request gets the first answer.
    pub async fn answer<R: Serialize>(
        self,
        db: &crate::db::Db,
        now: Timestamp,
        status: StatusCode,
        change: impl FnOnce(&mut DbConn) -> Result<R, AppError> + Send + 'static,
    ) -> Result<HttpResponse, AppError> {
        let answer = db
            .write(move |conn| self.run(conn, now, |conn| Answer::json(status, &change(conn)?)))
            .await?;
        Ok(answer.into_response())
    }
}
