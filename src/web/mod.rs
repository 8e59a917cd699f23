//! Request plumbing shared by every feature: extractors, sessions' cookies, CSRF, security
//! headers, error shaping, rate limits, languages, page rendering and static assets.

pub mod assets;
pub mod cache;
pub mod client;
pub mod concurrency;
pub mod csrf;
pub mod errors;
pub mod extract;
pub mod headers;
pub mod i18n;
pub mod idempotency;
pub mod pages;
pub mod rate_limit;
