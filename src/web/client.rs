//! Who is calling, as far as the network tells: the client address used for throttling.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client's address. `X-Forwarded-For` is believed only when the portal is configured to
/// sit behind a proxy (otherwise anyone could pick their own throttling bucket).
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for")?.to_str().ok())
        .flatten()
        // The right-most entry is the one our own proxy added; those left of it are the
        // client's to invent.
        .and_then(|value| value.rsplit(',').next()?.trim().parse().ok());
    forwarded
        .or_else(|| req.peer_addr().map(|addr| addr.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The `Authorization: Bearer …` token of a request, if any (ours are 43 characters; anything
/// over 200 is not one of ours).
pub fn bearer_token(req: &actix_web::HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .map(str::to_owned)
}
