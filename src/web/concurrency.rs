//! Optimistic concurrency for what staff change (claims, staff accounts, flags...). Each such
//! row has an integer `version`, bumped by every change. Reads send it as an `ETag` (`"v3"`);
//! the API takes it back in `If-Match` (428 without one), pages in a hidden `version` field.
//! The change itself must be an `UPDATE ... WHERE version = expected` ([`bumped`]): of two
//! concurrent changes made from the same version exactly one updates a row, and the other gets
//! [`AppError::Stale`] (412 in the API, "someone changed this" on the page).

use actix_web::dev::Payload;
use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder};
use std::future::{Ready, ready};

use crate::error::AppError;

/// The entity tag of `version`.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// Adds the `ETag` of `version` to a response.
pub fn tag(response: &mut HttpResponseBuilder, version: i64) {
    response.insert_header((ETAG, etag(version)));
}

/// The version a change was made from: the API's `If-Match`, or a page form's `version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IfMatch(pub i64);

impl IfMatch {
    /// Reads `"v3"` (weak `W/` prefix tolerated); anything else can match no version.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let tag = raw.trim().trim_start_matches("W/");
        tag.strip_prefix("\"v")
            .and_then(|rest| rest.strip_suffix('"'))
            .and_then(|n| n.parse::<i64>().ok())
            .map(IfMatch)
            .ok_or(AppError::Stale)
    }
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // An empty header says no more than a missing one.
        let value = req.headers().get(IF_MATCH).filter(|v| !v.is_empty());
        ready(match value {
            None => Err(AppError::PreconditionRequired),
            Some(value) => value
                .to_str()
                .map_err(|_| AppError::Stale)
                .and_then(IfMatch::parse),
        })
    }
}

/// The outcome of `UPDATE ... SET version = version + 1 WHERE id = ? AND version = expected`:
/// no row updated means someone else changed it first (or it is gone, which `exists` tells).
pub fn bumped(rows: usize, exists: bool) -> Result<(), AppError> {
    match (rows, exists) {
        (0, true) => Err(AppError::Stale),
        (0, false) => Err(AppError::NotFound),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_other_tags_are_stale() {
        assert_eq!(IfMatch::parse(&etag(3)).unwrap(), IfMatch(3));
        assert_eq!(IfMatch::parse("W/\"v12\"").unwrap(), IfMatch(12));
        assert!(matches!(IfMatch::parse("*"), Err(AppError::Stale)));
        assert!(matches!(IfMatch::parse("\"3\""), Err(AppError::Stale)));
    }
}
