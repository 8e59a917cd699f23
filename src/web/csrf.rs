//! Cross-site request forgery protection for every form (SECURITY.md CSRF-01), in two layers:
//!
//! 1. Fetch metadata: a state-changing request whose `Sec-Fetch-Site` says `cross-site` or
//!    `same-site`, or whose `Origin` is not the portal's, is refused.
//! 2. A token: each browser gets a random `csrf` cookie; forms carry HMAC(secret, cookie), which
//!    a page on another site can neither read nor compute.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

use crate::app::AppState;
use crate::error::AppError;

/// The cookie name: `__Host-` (Secure, no Domain, Path=/) unless cookies are not `Secure`.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ansinh_csrf"
    } else {
        "ansinh_csrf"
    }
}

/// The browser's CSRF secret for this request (made by [`ensure_cookie`] when it had none).
#[derive(Clone)]
struct BrowserSecret(String);

/// Middleware: gives every browser a CSRF cookie the first time it asks for anything personal.
pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = AppState::of(req.request());
    let secure = state.settings.cookie_secure;
    let existing = req
        .cookie(cookie_name(secure))
        .map(|c| c.value().to_owned());
    let fresh = existing.is_none().then(crate::secrets::random_token);
    let secret = existing.or_else(|| fresh.clone()).unwrap_or_default();
    req.extensions_mut().insert(BrowserSecret(secret));
    let mut res = next.call(req).await?;
    // A page any cache may keep must not carry one browser's cookie to others; such pages have
    // no forms to protect, and the next personal page sets the cookie.
    let shared = res
        .headers()
        .get(actix_web::http::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if let Some(value) = fresh.filter(|_| !shared) {
        let cookie = Cookie::build(cookie_name(secure), value)
            .path("/")
            .secure(secure)
            .http_only(true)
            .same_site(SameSite::Strict)
            .finish();
        // A malformed cookie cannot occur: the value is base64url.
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

/// The token to put in this request's forms.
pub fn token(req: &HttpRequest) -> String {
    let state = AppState::of(req);
    let secret = req
        .extensions()
        .get::<BrowserSecret>()
        .map(|s| s.0.clone())
        .unwrap_or_default();
    if secret.is_empty() {
        return String::new();
    }
    crate::secrets::hmac(
        state.settings.secret_key.as_bytes(),
        &format!("csrf:{secret}"),
    )
}

pub fn check_token(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    let state = AppState::of(req);
    let cookie = req.cookie(cookie_name(state.settings.cookie_secure));
    let expected = cookie.map(|c| {
        crate::secrets::hmac(
            state.settings.secret_key.as_bytes(),
            &format!("csrf:{}", c.value()),
        )
    });
    match expected {
        Some(expected) if crate::secrets::constant_time_eq(&expected, submitted) => Ok(()),
        _ => Err(AppError::CsrfRejected),
    }
}

/// Refuses requests that browsers mark as coming from another site.
pub fn check_origin(req: &HttpRequest) -> Result<(), AppError> {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(AppError::CsrfRejected);
    }
    let same_origin = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "same-origin");
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok())
        // Browsers send `null` from pages that ask for no referrer; the fetch metadata above
        // (which pages cannot forge) then vouches for the request.
        && !(origin == "null" && same_origin)
    {
        let state = AppState::of(req);
        let info = req.connection_info();
        let own = format!("{}://{}", info.scheme(), info.host());
        if origin != state.settings.public_url && origin != own {
            return Err(AppError::CsrfRejected);
        }
    }
    Ok(())
}
