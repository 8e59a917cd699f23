//! Turns every error into what its caller can use, with the request's context: the API gets
//! localized problem+json with the trace id; pages get a friendly error page in the visitor's
//! language, or a redirect to log in. Internal causes are logged here, once, with the trace id.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use crate::error::{AppError, problem_response};
use crate::web::i18n::Lang;

pub async fn shape(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Handlers' and inner middlewares' errors arrive as responses carrying the error (inner
    // middlewares answer with `req.error_response`, never `Err`, so the request is still here).
    let res = next.call(req).await?;
    match res.response().error() {
        // OAuth2 token errors keep the RFC 6749 shape client libraries expect.
        Some(error)
            if error
                .as_error::<crate::api_clients::api::OAuthError>()
                .is_some() =>
        {
            Ok(res.map_into_boxed_body())
        }
        Some(error) => {
            let response = render(res.request(), error);
            Ok(res.into_response(response))
        }
        None => Ok(res.map_into_boxed_body()),
    }
}

fn render(req: &HttpRequest, error: &actix_web::Error) -> HttpResponse {
    let owned;
    let app_error = match error.as_error::<AppError>() {
        Some(app_error) => app_error,
        None => {
            owned = from_framework(error);
            &owned
        }
    };
    let trace_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    match app_error {
        AppError::Internal(cause) => {
            tracing::error!(trace_id = trace_id.as_deref(), error = ?cause, "request failed")
        }
        other => tracing::debug!(trace_id = trace_id.as_deref(), error = %other, "request refused"),
    }
    let lang = Lang::of_request(req);
    if is_api(req.path()) {
        problem_response(app_error, app_error.problem(lang, trace_id))
    } else {
        page_error(req, app_error, trace_id)
    }
}

/// Errors raised by actix itself (routing, payload) in the terms of [`AppError`].
fn from_framework(error: &actix_web::Error) -> AppError {
    match error.as_response_error().status_code() {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed {
            allow: String::new(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
        StatusCode::FORBIDDEN => AppError::Forbidden,
        status if status.is_client_error() => AppError::Malformed {
            field: None,
            detail: error.to_string(),
        },
        _ => AppError::Internal(anyhow::anyhow!("{error}")),
    }
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/ops/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

fn page_error(req: &HttpRequest, error: &AppError, trace_id: Option<String>) -> HttpResponse {
    let is_get = req.method() == actix_web::http::Method::GET;
    match error {
        AppError::Unauthenticated if is_get => {
            let next = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            return see_other(&format!("/login?next={}", url_encode(next)));
        }
        AppError::MfaRequired if is_get => return see_other("/admin/mfa"),
        _ => {}
    }
    let mut response = crate::web::pages::error_page(req, error, trace_id);
    if let Some(seconds) = error.retry_after() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Percent-encodes everything but unreserved characters (for `?next=`).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The default service: 405 when the path exists with other methods, else 404. For API paths
/// the `Allow` header comes from the OpenAPI document, which is built from the same routes.
pub async fn no_route(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let Some(pattern) = req.resource_map().match_pattern(req.path()) else {
        return Err(AppError::NotFound);
    };
    let allow = crate::openapi::methods_of(&pattern).join(", ");
    Err(AppError::MethodNotAllowed { allow })
}
