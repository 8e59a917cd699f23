//! The one error type. Handlers return `Result<_, AppError>`; this module decides what the
//! caller sees.
//!
//! Policy: the caller learns *what* went wrong in terms they can act on — a stable snake_case
//! `code`, the fields at fault, when to retry — and never *why* internally. Internal causes
//! (SQL, I/O, panics in blocking tasks) are logged with the request's trace id and answered with
//! a bare 500 that carries the same trace id. The API answers RFC 9457 `application/problem+json`;
//! pages get a friendly, localized error page (see `web::errors`, which has the request context:
//! language, trace id, API or page).

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::web::i18n::Lang;

/// Why one input field was rejected. The code is stable (clients switch on it); the message is
/// localized from `field.<code>` in `frontend/locales`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    TooLong,
    InvalidType,
    UnknownField,
    InvalidFormat,
    PersonalIdFormat,
    PersonalIdBirthYear,
    DateFormat,
    DateInFuture,
    DateTooOld,
    EmailFormat,
    PhoneFormat,
    PasswordTooShort,
    PasswordTooLong,
    PasswordTooCommon,
    PasswordContainsPersonalData,
    PasswordsDiffer,
    TotpCode,
    AlreadyTaken,
    MonthFormat,
    /// No policy figures are loaded for the date: the rules cannot price it.
    NoPolicyForDate,
    /// Neither the SI code nor the personal ID names a person on record.
    UnknownWorker,
    /// The same worker appears twice in one declaration.
    DuplicateWorker,
    SalaryBelowMinimumWage,
    NotPositive,
    /// The range is backwards or too long.
    InvalidRange,
    UnknownEmployer,
    /// An API client acts for exactly one employer or one health facility.
    ExactlyOneBinding,
    ScopeNeedsEmployer,
    ScopeNeedsFacility,
    OutOfBounds,
    /// Over the per-file size limit.
    FileTooLarge,
    /// Not a PDF, JPEG or PNG (judged by the content, not the name).
    FileType,
    /// The upload scanner refused the file (or could not run).
    FileRejected,
    /// The declared support group needs a supporting document.
    EvidenceRequired,
    /// A payment differs from the amount due.
    AmountMismatch,
    /// A household registration needs at least one member to price.
    NoMembers,
    /// The same person appears twice in one household.
    DuplicateMember,
    /// Cover cannot start in a month that has already begun.
    MonthInPast,
    /// A lump-sum withdrawal needs the comparison with staying in the system read first.
    ComparisonNotRead,
    /// The citizen's documents together would pass their storage quota.
    QuotaExceeded,
    /// A claim holds as many documents as it may.
    TooManyFiles,
    /// This decision needs two people: one proposes, another approves (four-eyes).
    FourEyes,
    /// The amount differs from the proposal being approved: propose the new amount instead.
    ProposalChanged,
    /// A document the claim needs has not been uploaded.
    DocumentMissing,
    /// Not a bank on the list (by its NAPAS BIN).
    UnknownBank,
    /// A bank account number is 6 to 19 digits.
    AccountNumberFormat,
    /// Benefits are paid only into an account in the citizen's own name.
    HolderNameMismatch,
    /// An administrator may not deactivate themselves or give up their own admin role (no lockout).
    OwnAccount,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::InvalidType => "invalid_type",
            Self::UnknownField => "unknown_field",
            Self::InvalidFormat => "invalid_format",
            Self::PersonalIdFormat => "personal_id_format",
            Self::PersonalIdBirthYear => "personal_id_birth_year",
            Self::DateFormat => "date_format",
            Self::DateInFuture => "date_in_future",
            Self::DateTooOld => "date_too_old",
            Self::EmailFormat => "email_format",
            Self::PhoneFormat => "phone_format",
            Self::PasswordTooShort => "password_too_short",
            Self::PasswordTooLong => "password_too_long",
            Self::PasswordTooCommon => "password_too_common",
            Self::PasswordContainsPersonalData => "password_contains_personal_data",
            Self::PasswordsDiffer => "passwords_differ",
            Self::TotpCode => "totp_code",
            Self::AlreadyTaken => "already_taken",
            Self::MonthFormat => "month_format",
            Self::NoPolicyForDate => "no_policy_for_date",
            Self::UnknownWorker => "unknown_worker",
            Self::DuplicateWorker => "duplicate_worker",
            Self::SalaryBelowMinimumWage => "salary_below_minimum_wage",
            Self::NotPositive => "not_positive",
            Self::InvalidRange => "invalid_range",
            Self::UnknownEmployer => "unknown_employer",
            Self::ExactlyOneBinding => "exactly_one_binding",
            Self::ScopeNeedsEmployer => "scope_needs_employer",
            Self::ScopeNeedsFacility => "scope_needs_facility",
            Self::OutOfBounds => "out_of_bounds",
            Self::FileTooLarge => "file_too_large",
            Self::FileType => "file_type",
            Self::FileRejected => "file_rejected",
            Self::EvidenceRequired => "evidence_required",
            Self::AmountMismatch => "amount_mismatch",
            Self::NoMembers => "no_members",
            Self::DuplicateMember => "duplicate_member",
            Self::MonthInPast => "month_in_past",
            Self::ComparisonNotRead => "comparison_not_read",
            Self::QuotaExceeded => "quota_exceeded",
            Self::TooManyFiles => "too_many_files",
            Self::FourEyes => "four_eyes",
            Self::ProposalChanged => "proposal_changed",
            Self::DocumentMissing => "document_missing",
            Self::UnknownBank => "unknown_bank",
            Self::AccountNumberFormat => "account_number_format",
            Self::HolderNameMismatch => "holder_name_mismatch",
            Self::OwnAccount => "own_account",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Well-formed input that breaks a rule: 422 with every field at fault.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A number outside the bounds in force (422, naming the bounds).
    #[error("{field} must be between {min} and {max}")]
    OutOfBounds { field: String, min: i64, max: i64 },
    /// Input that could not be read at all (bad JSON, wrong type, unknown field): 400, naming
    /// the field when known.
    #[error("malformed request: {detail}")]
    Malformed {
        field: Option<FieldError>,
        detail: String,
    },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong login or password")]
    InvalidCredentials,
    #[error("email address not verified yet")]
    EmailNotVerified,
    #[error("second factor required")]
    MfaRequired,
    /// A sensitive change (the payout bank account) needs the password, and the TOTP code when
    /// enabled, given again with it; they were missing or wrong (SECURITY.md SES-05).
    #[error("re-authentication required")]
    ReauthRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("cross-site request rejected")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    /// `allow` lists the methods the path does take (the `Allow` header), when known.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// A link or token that is unknown, used or expired — deliberately not saying which.
    #[error("invalid or expired token")]
    InvalidToken,
    #[error("too many requests; retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    /// A POST that creates something came without an `Idempotency-Key` header.
    #[error("Idempotency-Key header required")]
    IdempotencyKeyRequired,
    /// The `Idempotency-Key` was used before with a different request.
    #[error("Idempotency-Key reused with a different request")]
    IdempotencyKeyReused,
    /// The same `Idempotency-Key` is being processed by a concurrent request.
    #[error("a request with this Idempotency-Key is in progress")]
    IdempotencyInProgress,
    /// A dependency (the database) is down or saturated: retry shortly.
    /// The thing is not in a state that allows this (submitting twice, changing a decided
    /// registration): 409, with `detail` saying which state it is in.
    #[error("not allowed in state {0}")]
    WrongState(String),
    /// Someone changed the object since the caller read it: the `If-Match` (or the page's
    /// hidden version) names an older version (optimistic concurrency, `web::concurrency`).
    #[error("changed by someone else since it was read")]
    Stale,
    /// A change to a versioned object came without `If-Match`.
    #[error("If-Match header required")]
    PreconditionRequired,
    #[error("service unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: &str, code: FieldCode) -> Self {
        Self::Invalid(vec![FieldError::new(field, code)])
    }

    /// The stable, documented code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) | Self::OutOfBounds { .. } => "validation_failed",
            Self::Malformed { .. } => "malformed_request",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::EmailNotVerified => "email_not_verified",
            Self::MfaRequired => "mfa_required",
            Self::ReauthRequired => "reauth_required",
            Self::Forbidden => "forbidden",
            Self::CsrfRejected => "csrf_rejected",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::InvalidToken => "invalid_token",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::IdempotencyKeyRequired => "idempotency_key_required",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::WrongState(_) => "wrong_state",
            Self::Stale => "stale",
            Self::PreconditionRequired => "precondition_required",
            Self::Unavailable => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    /// Seconds to wait before retrying, for 429 and 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after } => Some(*retry_after),
            Self::Unavailable => Some(5),
            Self::IdempotencyInProgress => Some(1),
            _ => None,
        }
    }

    /// The problem document for this error, in `lang`, carrying the request's trace id.
    pub fn problem(&self, lang: Lang, trace_id: Option<String>) -> Problem {
        let code = self.code();
        let catalog = lang.catalog();
        let detail = match self {
            Self::TooManyRequests { retry_after } => Some(
                catalog
                    .text("problem.too_many_requests.detail")
                    .replace("{seconds}", &retry_after.to_string()),
            ),
            Self::Malformed { detail, .. } => Some(detail.clone()),
            Self::OutOfBounds { min, max, .. } => Some(bounds_text(catalog, *min, *max)),
            Self::Stale => Some(catalog.text("problem.stale.detail").to_owned()),
            Self::WrongState(state) => Some(
                catalog
                    .text("problem.wrong_state.detail")
                    .replace("{state}", catalog.text(&format!("status.{state}"))),
            ),
            _ => None,
        };
        let errors = match self {
            Self::Invalid(errors) => errors
                .iter()
                .map(|e| ProblemField {
                    field: e.field.clone(),
                    code: e.code,
                    message: catalog
                        .text(&format!("field.{}", e.code.as_str()))
                        .to_owned(),
                })
                .collect(),
            Self::OutOfBounds { field, min, max } => vec![ProblemField {
                field: field.clone(),
                code: FieldCode::OutOfBounds,
                message: bounds_text(catalog, *min, *max),
            }],
            Self::Malformed { field: Some(e), .. } => vec![ProblemField {
                field: e.field.clone(),
                code: e.code,
                message: catalog
                    .text(&format!("field.{}", e.code.as_str()))
                    .to_owned(),
            }],
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("urn:ansinh:problem:{code}"),
            title: catalog.text(&format!("problem.{code}")).to_owned(),
            status: self.status_code().as_u16(),
            code: code.to_owned(),
            detail,
            errors,
            trace_id,
        }
    }
}

/// "Must be between {min} and {max}", the amounts grouped with commas in every language (API
/// documents are read by programs as much as by people).
fn bounds_text(catalog: &crate::web::i18n::Catalog, min: i64, max: i64) -> String {
    catalog
        .text("field.out_of_bounds")
        .replace("{min}", &Lang::En.group_digits(min))
        .replace("{max}", &Lang::En.group_digits(max))
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::OutOfBounds { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Malformed { .. } | Self::InvalidToken | Self::IdempotencyKeyRequired => {
                StatusCode::BAD_REQUEST
            }
            Self::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::IdempotencyInProgress | Self::WrongState(_) => StatusCode::CONFLICT,
            Self::Stale => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::EmailNotVerified
            | Self::MfaRequired
            | Self::ReauthRequired
            | Self::Forbidden
            | Self::CsrfRejected => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The context-free answer; `web::errors` replaces it with a localized one carrying the
    /// trace id (or an HTML page) for every request that passes through the app.
    fn error_response(&self) -> HttpResponse {
        problem_response(self, self.problem(Lang::En, None))
    }
}

/// RFC 9457 problem details, as every API error is answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    /// Stable snake_case code, e.g. `validation_failed`, `invalid_credentials`, `too_many_requests`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per field at fault (`validation_failed`, `malformed_request`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// Quote this when reporting a problem; it finds the request in the logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's name as sent, e.g. `personal_id` or `members[2].birth_date`.
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// What every endpoint that reads a JSON body may also answer, documented once.
#[derive(utoipa::IntoResponses)]
pub enum BodyProblems {
    /// The body is larger than 64 KiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(Problem),
}

pub fn problem_response(error: &AppError, problem: Problem) -> HttpResponse {
    let mut response = HttpResponse::build(error.status_code());
    response.content_type("application/problem+json");
    if let Some(seconds) = error.retry_after() {
        response.insert_header((RETRY_AFTER, HeaderValue::from(seconds)));
    }
    if let AppError::MethodNotAllowed { allow } = error
        && !allow.is_empty()
    {
        response.insert_header((ALLOW, allow.as_str()));
    }
    response.json(problem)
}
