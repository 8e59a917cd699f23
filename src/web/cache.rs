//! Answers that browsers and proxies may keep: an `ETag` from the bytes, `304 Not Modified` for
//! a conditional GET that already has them, and `Cache-Control` saying who may keep them (the
//! public pages of a signed-in visitor name them in the header, so only their own browser may).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// How long a public answer may be reused without asking again.
const MAX_AGE: &str = "public, max-age=300";

/// `body` as `content_type`, cacheable: 304 when the request's `If-None-Match` names it.
pub fn conditional(
    req: &HttpRequest,
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    shared: bool,
) -> HttpResponse {
    let digest = Sha256::digest(&body);
    let tag: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag}\"");
    let cache = if shared { MAX_AGE } else { "private, no-cache" };
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut response = if fresh && status == StatusCode::OK {
        HttpResponse::NotModified()
    } else {
        HttpResponse::build(status)
    };
    response
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie, Authorization"),
        ));
    if fresh && status == StatusCode::OK {
        response.finish()
    } else {
        response.content_type(content_type).body(body)
    }
}

/// A rendered page, cacheable: by any cache when `shared` (an anonymous visitor's), else only
/// by the visitor's own browser.
pub fn page(
    req: &HttpRequest,
    shared: bool,
    page: &impl askama::Template,
) -> Result<HttpResponse, crate::error::AppError> {
    let html = page.render().map_err(|error| {
        crate::error::AppError::Internal(anyhow::anyhow!("rendering a page: {error}"))
    })?;
    Ok(conditional(
        req,
        StatusCode::OK,
        "text/html; charset=utf-8",
        html.into_bytes(),
        shared,
    ))
}

/// A JSON answer, cacheable by anyone (public API reads).
pub fn json(req: &HttpRequest, value: &impl serde::Serialize) -> HttpResponse {
    match serde_json::to_vec(value) {
        Ok(body) => conditional(req, StatusCode::OK, "application/json", body, true),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_known_tag_gets_304_and_a_changed_body_gets_200() {
        let first = conditional(
            &TestRequest::default().to_http_request(),
            StatusCode::OK,
            "text/html",
            b"<p>a</p>".to_vec(),
            true,
        );
        let etag = first
            .headers()
            .get(header::ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(first.headers().get(header::CACHE_CONTROL).unwrap(), MAX_AGE);
        let again = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, etag.as_str()))
            .to_http_request();
        let cached = conditional(
            &again,
            StatusCode::OK,
            "text/html",
            b"<p>a</p>".to_vec(),
            true,
        );
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
        let changed = conditional(
            &again,
            StatusCode::OK,
            "text/html",
            b"<p>b</p>".to_vec(),
            false,
        );
        assert_eq!(changed.status(), StatusCode::OK);
        assert_eq!(
            changed.headers().get(header::CACHE_CONTROL).unwrap(),
            "private, no-cache"
        );
    }
}
