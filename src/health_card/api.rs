//! Health-card API: the holder's card and access log, the clinic check, the public key.

use actix_web::web::Data;
use actix_web::{HttpResponse, get, post};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AccessEntry, CheckRequest, CheckResult, HealthCard};
use crate::accounts::tokens::ApiCaller;
use crate::api_clients::BearerToken;
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(my_card)
        .service(my_access_log)
        .service(public_key)
        .service(verify);
}

/// My health-insurance card, with the signed payload for its QR code.
#[utoipa::path(
    tag = "health card",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest card", body = HealthCard, example = json!({"card_code": "DN4790190123456", "number": "0190123456", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17", "object_code": "DN", "benefit_level": 4, "benefit_percent": 80, "valid_from": "2026-01-01", "valid_to": "2026-12-31", "valid": true, "primary_care_facility": {"code": "79071", "name": "Phòng khám Đa khoa An Sinh"}, "five_year_date": "2021-07-01", "qr_payload": "HC1.eyJjIjoiRE40NzkwMTkwMTIzNDU2In0.c2lnbmF0dXJl"})),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No card on record for this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/health-card")]
async fn my_card(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let card = super::card_of(&state, caller.account.personal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(card))
}

#[derive(Serialize, ToSchema)]
struct AccessLog {
    /// Newest first, at most 200.
    entries: Vec<AccessEntry>,
    /// Social-insurance staff reading your record (their role, not who), newest first, at
    /// most 200.
    staff_reads: Vec<crate::audit::search::StaffRead>,
}

/// Who checked my card, and when; and when social-insurance staff read my record.
#[utoipa::path(
    tag = "health card",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The checks of my card", body = AccessLog, example = json!({"entries": [{"checked_at": "2026-11-20T02:15:07", "checked_by": "Phòng khám Đa khoa An Sinh", "facility_code": "79071", "method": "qr", "outcome": "valid"}], "staff_reads": [{"read_at": "2026-11-21T03:40:00", "staff_role": "clerk", "what": "claim"}]})),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/access-log")]
async fn my_access_log(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let staff_reads = super::staff_reads(&state, caller.account.id.clone()).await?;
    let entries = super::access_log(&state, caller.account.personal_id).await?;
    Ok(HttpResponse::Ok().json(AccessLog {
        entries,
        staff_reads,
    }))
}

#[derive(Serialize, ToSchema)]
struct PublicKey {
    /// Always `Ed25519`.
    algorithm: &'static str,
    /// Appears as `k` in the signed claims.
    key_id: String,
    /// The raw 32-byte public key, base64url without padding.
    public_key: String,
    /// How to verify a QR payload offline.
    payload_format: &'static str,
}

/// The public key that verifies the QR codes on health cards, for offline checks.
#[utoipa::path(
    tag = "health card",
    responses((status = 200, description = "The key", body = PublicKey, example = json!({"algorithm": "Ed25519", "key_id": "3f9a1c0b7d2e4a58", "public_key": "x7JpM3y0hV2cN5bQ8wT1kR4uL6eA9sD0fG3hJ5kL7mN", "payload_format": "HC1.<claims>.<signature> …"})))
)]
#[get("/health-cards/public-key")]
async fn public_key(state: Data<AppState>) -> HttpResponse {
    let signer = &state.card_signer;
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(PublicKey {
            algorithm: "Ed25519",
            key_id: signer.key_id().to_owned(),
            public_key: signer.public_key(),
            payload_format: "HC1.<claims>.<signature>: base64url without padding; the signature \
                covers the ASCII text `HC1.<claims>`; claims are JSON {c: card code, n: full name, \
                b: birth date, f: valid from, t: valid to, l: benefit level, p: primary-care \
                facility, y: five-year date (optional), k: key id}",
        })
}

/// Check a health-insurance card at a clinic.
///
/// Send the card number (10 digits or the 15-character code) with the holder's full name and
/// birth date, or the scanned QR payload. If the details do not match a card, the answer is
/// only "not valid" (`no_match`) and reveals nothing else. Every check is recorded and shown
/// to the card holder.
#[utoipa::path(
    tag = "health card",
    security(("client_credentials" = ["cards:verify"])),
    request_body(content = CheckRequest, example = json!({"card_number": "0190123456", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17"})),
    responses(
        (status = 200, description = "The outcome", body = CheckResult, example = json!({"valid": true, "reason": "valid", "benefit_level": 4, "benefit_percent": 80, "valid_from": "2026-01-01", "valid_to": "2026-12-31", "primary_care_facility": {"code": "79071", "name": "Phòng khám Đa khoa An Sinh"}, "five_year_date": "2021-07-01"})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid client token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `cards:verify`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or malformed", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/health-cards/verify")]
async fn verify(
    state: Data<AppState>,
    BearerToken(token): BearerToken,
    ApiJson(body): ApiJson<CheckRequest>,
) -> Result<HttpResponse, AppError> {
    let result: CheckResult = super::check(&state, token, body).await?;
    Ok(HttpResponse::Ok().json(result))
}
