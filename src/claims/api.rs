//! The citizen's claims over the API: `/api/v1/me/claims`.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::documents::{self, ClaimDocument, DocumentKind};
use super::flow::{self, Claim};
use super::form::ClaimForm;
use crate::accounts::tokens::ApiCaller;
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::extract::{ApiJson, ApiUpload};
use crate::web::idempotency::{IdempotencyKey, Keyed};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(submit)
        .service(update)
        .service(withdraw)
        .service(message)
        .service(upload)
        .service(document)
        .service(remove_document)
        .service(appeal);
}

const EXAMPLE: &str = r#"{"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "maternity", "details": {"event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02"}, "status": "submitted", "created_at": "2026-11-20T08:00:00", "submitted_at": "2026-11-20T08:05:00", "expected_decision": "2026-12-02", "assessment": {"as_of": "2026-11-20", "eligibility": {"eligible": true, "explanation": {"lines": [{"label": "claims.maternity.line.months_paid", "formula": "7 of the last 12 months paid (2025-11 – 2026-10), 6 needed", "value": 7, "unit": "months"}, {"label": "claims.maternity.line.route", "formula": "compulsory SI, employed in 2026-11: filed through the employer", "value": 7, "unit": "days"}], "parameters": [], "law": ["Law 41/2024/QH15 Art. 50", "Law 41/2024/QH15 Art. 95"]}}, "estimate": {"amount": 5060000, "explanation": {"lines": [{"label": "claims.maternity.line.lump_sum", "formula": "2 × 2,530,000 × 1", "value": 5060000, "unit": "vnd"}], "parameters": [{"name": "base_salary", "value": 2530000, "effective_from": "2026-07-01", "legal_basis": "Decree 161/2026/NĐ-CP"}], "law": ["Law 41/2024/QH15 Art. 58(4)", "Law 41/2024/QH15 Art. 141(13)"]}}, "monthly_allowance": {"amount": 9000000, "explanation": {"lines": [{"label": "claims.maternity.line.monthly", "formula": "100% × 54,000,000 / 6", "value": 9000000, "unit": "vnd"}], "parameters": [], "law": ["Law 41/2024/QH15 Art. 59"]}}}, "timeline": [{"at": "2026-11-20T08:00:00", "status": "draft", "actor": "citizen"}, {"at": "2026-11-20T08:05:00", "status": "submitted", "actor": "citizen"}], "messages": [], "documents": [{"id": "01932c4e-7b2c-7d3e-8f90-1a2b3c4d5e6f", "kind": "birth_certificate", "file_name": "giay-chung-sinh.pdf", "content_type": "application/pdf", "size": 182044, "uploaded_at": "2026-11-20T08:03:00"}], "missing_documents": []}"#;

pub(crate) fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap_or_default()
}

/// Your claims, newest first, each with its timeline and messages.
#[utoipa::path(
    operation_id = "list_claims",
    tag = "claims",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your claims", body = Vec<Claim>, example = json!([])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/claims")]
async fn list(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let claims = state
        .db
        .read(move |conn| flow::list(conn, &caller.account))
        .await?;
    Ok(HttpResponse::Ok().json(claims))
}

/// Start a claim (a draft until you submit it).
///
/// `kind` picks the form in `details`. Requires an `Idempotency-Key`: a retry returns the
/// first answer and creates nothing more.
#[utoipa::path(
    operation_id = "create_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per claim")),
    request_body(content = ClaimForm, example = json!({"kind": "maternity", "details": {"event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02"}})),
    responses(
        (status = 201, description = "The draft", body = Claim, example = example),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same key is being processed; retry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/claims")]
async fn create(
    state: Data<AppState>,
    caller: ApiCaller,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<ClaimForm>,
) -> Result<HttpResponse, AppError> {
    let keyed = Keyed::new(&caller.account.id, key, "claim", &form)?;
    let now = state.clock.now();
    keyed
        .answer(&state.db, now, StatusCode::CREATED, move |conn| {
            let id = flow::create(conn, &caller.account, &form, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await
}

/// One of your claims.
#[utoipa::path(
    operation_id = "show_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "The claim", body = Claim, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/claims/{id}")]
async fn show(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let claim = state
        .db
        .read(move |conn| flow::view(conn, &caller.account, &id))
        .await?;
    Ok(HttpResponse::Ok().json(claim))
}

/// Submit a draft, or your answer to a request for information; you get an email.
#[utoipa::path(
    operation_id = "submit_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("Idempotency-Key" = String, Header, description = "A unique key per submission"),
    ),
    responses(
        (status = 200, description = "Submitted", body = Claim, example = example),
        (status = 400, description = "Missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted or decided, or the same key is being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not ready (e.g. a lump sum without the comparison read), or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/claims/{id}/submit")]
async fn submit(
    req: HttpRequest,
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    key: IdempotencyKey,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let keyed = Keyed::new(&caller.account.id, key, &format!("submit claim {id}"), &())?;
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let origin = crate::flags::RequestOrigin::of(&req);
    let (keyring, limits) = (state.keyring.clone(), state.settings.limits.clone());
    keyed
        .answer(&state.db, now, StatusCode::OK, move |conn| {
            flow::submit(conn, &caller.account, &id, &public_url, now)?;
            let arrival = origin.arrival("claim", &id, &caller.account.id);
            crate::flags::on_arrival(conn, &keyring, &limits, &arrival, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await
}

/// Withdraw a claim before it is decided (409 after).
#[utoipa::path(
    operation_id = "withdraw_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "Withdrawn", body = Claim, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided or withdrawn", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/claims/{id}/withdraw")]
async fn withdraw(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let claim = state
        .db
        .write(move |conn| {
            flow::withdraw(conn, &caller.account, &id, &public_url, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(claim))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    #[schema(
        min_length = 1,
        max_length = 4000,
        example = "Tôi đã gửi bổ sung giấy chứng sinh."
    )]
    body: String,
}

/// Write to the staff handling your claim.
#[utoipa::path(
    operation_id = "post_claim_message",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    request_body(content = MessageRequest, example = json!({"body": "Tôi đã gửi bổ sung giấy chứng sinh."})),
    responses(
        (status = 201, description = "Posted; the claim with its messages", body = Claim, example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/claims/{id}/messages")]
async fn message(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    ApiJson(request): ApiJson<MessageRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let claim = state
        .db
        .write(move |conn| {
            flow::post_message(conn, &caller.account, &id, &request.body, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(claim))
}

/// Change the facts of a draft, or of a claim staff asked more of (its kind stays).
#[utoipa::path(
    operation_id = "update_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    request_body(content = ClaimForm, example = json!({"kind": "maternity", "details": {"event": "birth", "event_date": "2026-11-02", "children": 2, "leave_from": "2026-11-02"}})),
    responses(
        (status = 200, description = "Saved", body = Claim, example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted or decided: it can no longer change", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule, or the kind differs", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[put("/me/claims/{id}")]
async fn update(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    ApiJson(form): ApiJson<ClaimForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let claim = state
        .db
        .write(move |conn| {
            flow::update(conn, &caller.account, &id, &form, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(claim))
}

/// A document upload: the kind of paper and the file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    kind: DocumentKind,
    /// PDF, JPEG or PNG (judged by the content), at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Add a document to a draft, or to a claim staff asked more of.
///
/// At most 10 per claim and 100 MB over all your documents. The type is read from the
/// content: anything but PDF, JPEG or PNG is refused, whatever its name.
#[utoipa::path(
    operation_id = "upload_claim_document",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    request_body(content = DocumentUpload, content_type = "multipart/form-data", example = json!({"kind": "birth_certificate", "file": "%PDF-1.7 …"})),
    responses(
        (status = 201, description = "Stored", body = ClaimDocument, example = json!({"id": "01932c4e-7b2c-7d3e-8f90-1a2b3c4d5e6f", "kind": "birth_certificate", "file_name": "giay-chung-sinh.pdf", "content_type": "application/pdf", "size": 182044, "uploaded_at": "2026-11-20T08:03:00"})),
        (status = 400, description = "Malformed multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted or decided: it can no longer change", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A text field is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `multipart/form-data`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, a file too large or of a type not accepted, a kind the claim does not take, or a quota reached", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/claims/{id}/documents")]
async fn upload(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    body: ApiUpload,
) -> Result<HttpResponse, AppError> {
    let kind = body.fields.get("kind").map(String::as_str);
    let stored = documents::add(&state, caller.account, id.into_inner(), kind, body.file).await?;
    Ok(HttpResponse::Created().json(stored))
}

/// One of the documents of your claim, as it was uploaded.
#[utoipa::path(
    operation_id = "get_claim_document",
    tag = "claims",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("document_id" = String, Path, description = "The document's id"),
    ),
    responses(
        (status = 200, description = "The file", content((Vec<u8> = "application/pdf", example = json!("%PDF-1.7 …")), (Vec<u8> = "image/jpeg", example = json!("ÿØÿà …")), (Vec<u8> = "image/png", example = json!("‰PNG …")))),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim or document of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/claims/{id}/documents/{document_id}")]
async fn document(
    state: Data<AppState>,
    caller: ApiCaller,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, document_id) = path.into_inner();
    let document = state
        .db
        .read(move |conn| {
            flow::owned(conn, &caller.account, &id)?;
            documents::find(conn, &id, &document_id)
        })
        .await?;
    let bytes = crate::documents::read(&state, &document).await?;
    Ok(crate::documents::response(&document, bytes))
}

/// Remove a document from a draft, or from a claim staff asked more of.
#[utoipa::path(
    operation_id = "delete_claim_document",
    tag = "claims",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("document_id" = String, Path, description = "The document's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim or document of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted or decided: it can no longer change", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/claims/{id}/documents/{document_id}")]
async fn remove_document(
    state: Data<AppState>,
    caller: ApiCaller,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, document_id) = path.into_inner();
    documents::remove(&state, caller.account, id, document_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = ClaimAppeal)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// Why you disagree (optional); staff read it with the appeal.
    #[serde(default)]
    pub message: Option<String>,
}

/// Appeal a decision: a new claim linked to this one (`appeal_of`), submitted at once and
/// reviewed again. Possible within the appeal time limit after the decision; asking again
/// returns the appeal already made (200).
#[utoipa::path(
    operation_id = "appeal_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The decided claim's id")),
    request_body(content = AppealRequest, example = json!({"message": "My months at the second employer are missing."})),
    responses(
        (status = 201, description = "The appeal, submitted", body = Claim, example = example),
        (status = 200, description = "The appeal already made", body = Claim, example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not decided yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Past the appeal time limit, or the message is too long", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/claims/{id}/appeal")]
async fn appeal(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    ApiJson(body): ApiJson<AppealRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (now, public_url) = (state.clock.now(), state.settings.public_url.clone());
    let limits = state.settings.limits.casework.clone();
    let (claim, created) = state
        .db
        .write(move |conn| {
            let why = body.message.unwrap_or_default();
            let (appeal_id, created) =
                flow::appeal(conn, &caller.account, &id, &why, &limits, &public_url, now)?;
            Ok((flow::view(conn, &caller.account, &appeal_id)?, created))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(claim))
}
