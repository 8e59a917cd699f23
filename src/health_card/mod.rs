//! The health-insurance card: the citizen's card with a signed QR code, the clinic's check at
//! the front desk, and the access log that shows the citizen every check of their card.

pub mod api;
pub mod pages;
pub mod recorder;
pub mod signing;
mod store;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use self::signing::{CardSigner, Claims};
pub use self::store::Card;
use self::store::{Holder, NewCheck};
use crate::api_clients::{ClientCaller, Scope, caller_by_token};
use crate::app::AppState;
use crate::clock::Timestamp;
use crate::error::{AppError, FieldCode, FieldError};
use crate::insurance_book::store::{Person, person_by_personal_id};

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// The person's card valid on `day` (the one valid longest), if any.
pub fn card_valid_on(
    conn: &mut crate::db::DbConn,
    person_id: &str,
    day: NaiveDate,
) -> diesel::QueryResult<Option<Card>> {
    store::card_valid_on(conn, person_id, day)
}

/// The person's latest card (the one valid longest), if any.
pub fn latest_card(
    conn: &mut crate::db::DbConn,
    person_id: &str,
) -> diesel::QueryResult<Option<Card>> {
    store::latest_card(conn, person_id)
}

/// Share of covered costs the fund pays at each benefit level (DOMAIN.md §2.3).
pub fn benefit_percent(level: i32) -> u8 {
    match level {
        1 | 2 | 5 => 100,
        3 => 95,
        _ => 80,
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Facility {
    #[schema(example = "79071")]
    pub code: String,
    pub name: String,
}

/// The card as the holder sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthCard {
    /// 15 characters: object code, benefit level, province, SI code.
    #[schema(example = "DN4790123456789")]
    pub card_code: String,
    /// The 10-digit number printed on post-2021 cards (the SI code).
    #[schema(example = "0123456789")]
    pub number: String,
    pub full_name: String,
    #[schema(format = Date)]
    pub birth_date: NaiveDate,
    #[schema(example = "DN")]
    pub object_code: String,
    /// 1–5; see `benefit_percent`.
    pub benefit_level: i32,
    /// Share of covered costs the fund pays.
    pub benefit_percent: u8,
    #[schema(format = Date)]
    pub valid_from: NaiveDate,
    #[schema(format = Date)]
    pub valid_to: NaiveDate,
    /// Valid today.
    pub valid: bool,
    pub primary_care_facility: Facility,
    /// The day five consecutive years of cover were reached, when they have been.
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub five_year_date: Option<NaiveDate>,
    /// Signed payload for the QR code (`HC1.<claims>.<signature>`), verifiable offline with
    /// the published public key.
    pub qr_payload: String,
}

fn claims(card: &Card, person: &Person, signer: &CardSigner) -> Claims {
    Claims {
        c: card.card_code.clone(),
        n: person.full_name.clone(),
        b: person.birth_date.to_string(),
        f: card.valid_from.to_string(),
        t: card.valid_to.to_string(),
        l: card.benefit_level,
        p: card.facility_code.clone(),
        y: card.five_year_date.map(|d| d.to_string()),
        k: signer.key_id().to_owned(),
    }
}

/// The card of the person with `personal_id` (a citizen account's), if any.
pub async fn card_of(
    state: &AppState,
    personal_id: Option<String>,
) -> Result<Option<HealthCard>, AppError> {
    let Some(personal_id) = personal_id else {
        return Ok(None);
    };
    let today = state.clock.now().date();
    let found = state
        .db
        .read(move |conn| {
            let Some(person) = person_by_personal_id(conn, &personal_id)? else {
                return Ok(None);
            };
            Ok(store::latest_card(conn, &person.id)?.map(|card| (card, person)))
        })
        .await?;
    Ok(found.map(|(card, person)| HealthCard {
        qr_payload: state
            .card_signer
            .sign(&claims(&card, &person, &state.card_signer)),
        number: person.si_code,
        full_name: person.full_name,
        birth_date: person.birth_date,
        benefit_percent: benefit_percent(card.benefit_level),
        valid: card.valid_from <= today && today <= card.valid_to,
        primary_care_facility: Facility {
            code: card.facility_code,
            name: card.facility_name,
        },
        card_code: card.card_code,
        object_code: card.object_code,
        benefit_level: card.benefit_level,
        valid_from: card.valid_from,
        valid_to: card.valid_to,
        five_year_date: card.five_year_date,
    }))
}

/// A clinic's check: card number with the holder's name and birth date, or a scanned QR.
/// A `null` field counts as absent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// 10-digit number or 15-character card code.
    #[schema(example = "0123456789")]
    #[serde(default)]
    pub card_number: Option<String>,
    #[schema(example = "Nguyễn Văn An")]
    #[serde(default)]
    pub full_name: Option<String>,
    #[schema(example = "1990-05-17", format = Date)]
    #[serde(default)]
    pub birth_date: Option<String>,
    /// The scanned QR payload instead of the three fields above.
    #[serde(default)]
    pub qr_payload: Option<String>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum CheckReason {
    Valid,
    Expired,
    NotYetValid,
    /// No card matches the number, name and birth date together (nothing more is said).
    NoMatch,
    /// The QR payload is not signed by this portal.
    BadSignature,
}

impl CheckReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::NoMatch => "no_match",
            Self::BadSignature => "bad_signature",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResult {
    pub valid: bool,
    pub reason: CheckReason,
    /// The rest only when the card matched.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit_level: Option<i32>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit_percent: Option<u8>,
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_care_facility: Option<Facility>,
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub five_year_date: Option<NaiveDate>,
}

impl CheckResult {
    fn refused(reason: CheckReason) -> Self {
        Self {
            valid: false,
            reason,
            benefit_level: None,
            benefit_percent: None,
            valid_from: None,
            valid_to: None,
            primary_care_facility: None,
            five_year_date: None,
        }
    }

    fn of(card: &Card, today: NaiveDate) -> Self {
        let reason = if today < card.valid_from {
            CheckReason::NotYetValid
        } else if today > card.valid_to {
            CheckReason::Expired
        } else {
            CheckReason::Valid
        };
        Self {
            valid: reason == CheckReason::Valid,
            reason,
            benefit_level: Some(card.benefit_level),
            benefit_percent: Some(benefit_percent(card.benefit_level)),
            valid_from: Some(card.valid_from),
            valid_to: Some(card.valid_to),
            primary_care_facility: Some(Facility {
                code: card.facility_code.clone(),
                name: card.facility_name.clone(),
            }),
            five_year_date: card.five_year_date,
        }
    }
}

/// Names compare without regard to case or spacing.
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

enum Check {
    Number {
        number: String,
        full_name: String,
        birth_date: NaiveDate,
    },
    Qr(String),
}

fn parse_check(request: CheckRequest) -> Result<Check, AppError> {
    if let Some(payload) = request.qr_payload {
        if request.card_number.is_some()
            || request.full_name.is_some()
            || request.birth_date.is_some()
        {
            return Err(AppError::invalid("qr_payload", FieldCode::InvalidFormat));
        }
        if payload.is_empty() || payload.len() > 2000 {
            return Err(AppError::invalid("qr_payload", FieldCode::InvalidFormat));
        }
        return Ok(Check::Qr(payload));
    }
    let mut errors = Vec::new();
    let number = request
        .card_number
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let valid_number = (number.len() == 10 && number.bytes().all(|b| b.is_ascii_digit()))
        || (number.len() == 15 && number.bytes().all(|b| b.is_ascii_alphanumeric()));
    if number.is_empty() {
        errors.push(FieldError::new("card_number", FieldCode::Required));
    } else if !valid_number {
        errors.push(FieldError::new("card_number", FieldCode::InvalidFormat));
    }
    let full_name = request.full_name.unwrap_or_default();
    if full_name.trim().is_empty() {
        errors.push(FieldError::new("full_name", FieldCode::Required));
    } else if full_name.chars().count() > 100 {
        errors.push(FieldError::new("full_name", FieldCode::TooLong));
    }
    let birth_date = match request.birth_date.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("birth_date", FieldCode::Required));
            None
        }
        Some(text) => {
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(FieldError::new("birth_date", FieldCode::DateFormat));
            }
            parsed
        }
    };
    match birth_date {
        Some(birth_date) if errors.is_empty() => Ok(Check::Number {
            number,
            full_name,
            birth_date,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Checks a card for a clinic and records the check (who, when, outcome) for the holder. The
/// client's token is checked in the same transaction: one trip to the database per check.
pub async fn check(
    state: &AppState,
    token: String,
    request: CheckRequest,
) -> Result<CheckResult, AppError> {
    let now: Timestamp = state.clock.now();
    let today = now.date();
    // The signature is checked before the database is touched.
    let lookup = parse_check(request).map(|check| match check {
        Check::Number {
            number,
            full_name,
            birth_date,
        } => Lookup::Number {
            number,
            full_name,
            birth_date,
        },
        Check::Qr(payload) => match state.card_signer.verify(&payload) {
            Ok(claims) => Lookup::Signed(claims),
            Err(_) => Lookup::BadSignature,
        },
    });
    let (caller, (person_id, method), result) = state
        .db
        .read(move |conn| {
            let caller: ClientCaller =
                caller_by_token(conn, &token, now)?.ok_or(AppError::Unauthenticated)?;
            caller.require(Scope::CardsVerify)?;
            let lookup = lookup?;
            let method = if matches!(lookup, Lookup::Number { .. }) {
                "number"
            } else {
                "qr"
            };
            let (holder, result) = match &lookup {
                Lookup::BadSignature => (None, CheckResult::refused(CheckReason::BadSignature)),
                // The card must still belong to the person it was signed for.
                Lookup::Signed(claims) => match store::card_by_number(conn, &claims.c)? {
                    Some((card, holder))
                        if holder.full_name == claims.n
                            && holder.birth_date.to_string() == claims.b =>
                    {
                        (Some(holder), CheckResult::of(&card, today))
                    }
                    _ => (None, CheckResult::refused(CheckReason::NoMatch)),
                },
                Lookup::Number {
                    number,
                    full_name,
                    birth_date,
                } => match store::card_by_number(conn, number)? {
                    Some((card, holder)) => {
                        let matches = same_name(&holder.full_name, full_name)
                            && holder.birth_date == *birth_date;
                        let result = if matches {
                            CheckResult::of(&card, today)
                        } else {
                            CheckResult::refused(CheckReason::NoMatch)
                        };
                        (Some(holder), result)
                    }
                    None => (None, CheckResult::refused(CheckReason::NoMatch)),
                },
            };
            let person_id = holder.map(|h: Holder| h.person_id);
            Ok((caller, (person_id, method), result))
        })
        .await?;
    // The answer goes out only once the check is on record.
    state
        .card_checks
        .record(NewCheck {
            id: uuid::Uuid::now_v7().to_string(),
            person_id,
            client_id: caller.id,
            method,
            outcome: result.reason.as_str(),
            checked_at: now,
        })
        .await?;
    Ok(result)
}

/// What a check looks up, once the QR's signature is known.
enum Lookup {
    Number {
        number: String,
        full_name: String,
        birth_date: NaiveDate,
    },
    Signed(Claims),
    BadSignature,
}

/// One check of the holder's card.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntry {
    /// UTC.
    #[schema(value_type = String, format = DateTime)]
    pub checked_at: Timestamp,
    /// The clinic or application that checked.
    pub checked_by: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_code: Option<String>,
    /// `number` or `qr`.
    pub method: String,
    /// `valid`, `expired`, `not_yet_valid` or `no_match` (details did not match: if that was
    /// not you, someone may be using your card number).
    pub outcome: String,
}

/// The latest staff reads of the citizen's record (at most 200), from the audit log.
pub async fn staff_reads(
    state: &AppState,
    account_id: String,
) -> Result<Vec<crate::audit::search::StaffRead>, AppError> {
    state
        .db
        .read(move |conn| crate::audit::search::staff_reads_of(conn, &account_id, 200))
        .await
}

/// The latest checks of the citizen's card (at most 200).
pub async fn access_log(
    state: &AppState,
    personal_id: Option<String>,
) -> Result<Vec<AccessEntry>, AppError> {
    let Some(personal_id) = personal_id else {
        return Ok(Vec::new());
    };
    state
        .db
        .read(move |conn| {
            let Some(person) = person_by_personal_id(conn, &personal_id)? else {
                return Ok(Vec::new());
            };
            Ok(store::checks_of(conn, &person.id, 200)?
                .into_iter()
                .map(|row| AccessEntry {
                    checked_at: row.checked_at,
                    checked_by: row.checked_by,
                    facility_code: row.facility_code,
                    method: row.method,
                    outcome: row.outcome,
                })
                .collect())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_regardless_of_case_and_spacing_but_not_accents() {
        assert!(same_name("Nguyễn Văn An", "  NGUYỄN   văn an "));
        assert!(!same_name("Nguyễn Văn An", "Nguyen Van An"));
        assert!(!same_name("Nguyễn Văn An", "Nguyễn Văn Anh"));
    }

    #[test]
    fn benefit_levels_pay_their_share() {
        assert_eq!(
            [1, 2, 3, 4, 5].map(benefit_percent),
            [100, 100, 95, 80, 100]
        );
    }
}
