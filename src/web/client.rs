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
