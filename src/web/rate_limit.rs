//! Anti-automation for the account endpoints (SECURITY.md RL-01): a per-client-address request
//! budget on login, registration, password reset and TOTP, answered with 429 and `Retry-After`.
//! This is per node and in memory (governor's GCRA); the per-account login backoff, which must
//! hold across nodes, is in the database (`accounts::rules::login_backoff`).

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::app::AppState;
use crate::error::AppError;
use crate::web::client::client_ip;

/// POSTs to these paths spend from the caller's budget.
const LIMITED_PATHS: &[&str] = &[
    "/api/v1/auth/",
    "/login",
    "/register",
    "/password/",
    "/verify-email",
    "/admin/mfa",
];

pub struct AuthRateLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl AuthRateLimiter {
    pub fn per_minute(requests: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
        }
    }

    /// Seconds to wait when `ip` has spent its budget.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&ip).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }

    /// Forgets addresses whose budget is full again (called periodically).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

pub async fn limit_account_endpoints(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // The path as the router sees it (percent-decoded), so `/%6Cogin` counts as `/login`.
    let path = req.match_info().as_str();
    let limited = req.method() == Method::POST && LIMITED_PATHS.iter().any(|p| path.starts_with(p));
    if limited {
        let state = AppState::of(req.request());
        let ip = client_ip(req.request(), state.settings.trust_forwarded_for);
        if let Err(retry_after) = state.auth_limiter.check(ip) {
            let refusal = req.error_response(AppError::TooManyRequests { retry_after });
            return Ok(refusal.map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}
