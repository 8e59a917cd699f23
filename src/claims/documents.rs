//! A claim's documents: which papers each kind of claim needs (DOMAIN.md §7: the birth
//! certificate for a birth, the proof of termination for unemployment benefit …), attaching an
//! uploaded file to a claim while the citizen may still change it, and what is still missing
//! before it can be submitted. The bytes themselves go through [`crate::documents`].

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::flow;
use super::form::{ClaimForm, LumpSumRoute, MaternityEvent};
use crate::accounts::store::Account;
use crate::app::AppState;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{claim_documents, documents};
use crate::documents::Document;
use crate::error::{AppError, FieldCode};

/// Per claim: enough for every paper a claim needs, with room for a few more.
pub const MAX_PER_CLAIM: i64 = 10;

/// The kind of paper a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ClaimDocumentKind)]
pub enum DocumentKind {
    /// The certificate of leave for SI benefit, or the hospital discharge paper.
    SickLeavePaper,
    /// The birth certificate, birth-registration extract or giấy chứng sinh.
    BirthCertificate,
    AdoptionCertificate,
    /// A medical record or discharge paper (miscarriage, serious illness, treatment).
    MedicalRecord,
    /// The contract, decision or notice that ended the job.
    TerminationProof,
    /// A foreign passport, settlement visa, permanent-residence card or renunciation.
    EmigrationProof,
    /// The assessment record of lost working capacity, or the disability certificate.
    DisabilityAssessment,
    DeathCertificate,
    /// Invoices and receipts of what was paid.
    Receipts,
    /// Anything else the citizen or staff think useful.
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 10] = [
        Self::SickLeavePaper,
        Self::BirthCertificate,
        Self::AdoptionCertificate,
        Self::MedicalRecord,
        Self::TerminationProof,
        Self::EmigrationProof,
        Self::DisabilityAssessment,
        Self::DeathCertificate,
        Self::Receipts,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SickLeavePaper => "sick_leave_paper",
            Self::BirthCertificate => "birth_certificate",
            Self::AdoptionCertificate => "adoption_certificate",
            Self::MedicalRecord => "medical_record",
            Self::TerminationProof => "termination_proof",
            Self::EmigrationProof => "emigration_proof",
            Self::DisabilityAssessment => "disability_assessment",
            Self::DeathCertificate => "death_certificate",
            Self::Receipts => "receipts",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The catalog key of its name.
    pub fn key(self) -> String {
        format!("claims.document.{}", self.as_str())
    }
}

/// The papers a claim needs before it can be submitted (DOMAIN.md §7; the SI book and the ID
/// card are checked electronically and never asked for).
pub fn needed(form: &ClaimForm) -> Vec<DocumentKind> {
    use DocumentKind::*;
    match form {
        ClaimForm::Sickness(_) => vec![SickLeavePaper],
        ClaimForm::Maternity(f) => vec![match f.event {
            MaternityEvent::Birth => BirthCertificate,
            MaternityEvent::Adoption => AdoptionCertificate,
            MaternityEvent::Miscarriage => MedicalRecord,
        }],
        ClaimForm::Unemployment(_) => vec![TerminationProof],
        ClaimForm::LumpSum(f) => match f.route {
            LumpSumRoute::Emigration => vec![EmigrationProof],
            LumpSumRoute::SeriousIllness => vec![MedicalRecord],
            LumpSumRoute::SevereDisability => vec![DisabilityAssessment],
            LumpSumRoute::RetirementAgeShort | LumpSumRoute::OutOfSiTwelveMonths => vec![],
        },
        ClaimForm::Funeral(_) => vec![DeathCertificate],
        ClaimForm::HiReimbursement(_) => vec![Receipts, MedicalRecord],
    }
}

/// The kinds a claim accepts: what it needs, and anything else as "other".
pub fn accepted(form: &ClaimForm) -> Vec<DocumentKind> {
    let mut kinds = needed(form);
    kinds.push(DocumentKind::Other);
    kinds
}

/// A document of a claim, as its owner and staff see it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClaimDocument {
    pub id: String,
    pub kind: DocumentKind,
    #[schema(example = "giay-chung-sinh.pdf")]
    pub file_name: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    #[schema(value_type = String)]
    pub uploaded_at: Timestamp,
}

/// The documents of claim `claim_id`, oldest first.
pub fn of_claim(conn: &mut DbConn, claim_id: &str) -> QueryResult<Vec<ClaimDocument>> {
    let rows: Vec<(String, String, String, String, i64, Timestamp)> = claim_documents::table
        .inner_join(documents::table)
        .filter(claim_documents::claim_id.eq(claim_id))
        .order(claim_documents::created_at.asc())
        .select((
            documents::id,
            claim_documents::kind,
            documents::file_name,
            documents::content_type,
            documents::size,
            claim_documents::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, file_name, content_type, size, uploaded_at)| ClaimDocument {
                id,
                kind: DocumentKind::parse(&kind).unwrap_or(DocumentKind::Other),
                file_name,
                content_type,
                size,
                uploaded_at,
            },
        )
        .collect())
}

/// What `form` needs that `held` lacks.
pub fn missing(form: &ClaimForm, held: &[ClaimDocument]) -> Vec<DocumentKind> {
    needed(form)
        .into_iter()
        .filter(|kind| !held.iter().any(|d| d.kind == *kind))
        .collect()
}

/// The field error of each missing paper (`documents.birth_certificate`).
pub fn require_all(form: &ClaimForm, held: &[ClaimDocument]) -> Result<(), AppError> {
    let errors: Vec<_> = missing(form, held)
        .into_iter()
        .map(|kind| {
            crate::error::FieldError::new(
                format!("documents.{}", kind.as_str()),
                FieldCode::DocumentMissing,
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Links a just-stored `document` to the claim as a paper of `kind`; the caller has checked
/// the claim is its owner's and still open to changes.
pub fn attach(
    conn: &mut DbConn,
    claim_id: &str,
    form: &ClaimForm,
    kind: DocumentKind,
    document: &Document,
    now: Timestamp,
) -> Result<ClaimDocument, AppError> {
    if !accepted(form).contains(&kind) {
        return Err(AppError::invalid("kind", FieldCode::InvalidFormat));
    }
    let held: i64 = claim_documents::table
        .filter(claim_documents::claim_id.eq(claim_id))
        .count()
        .get_result(conn)?;
    if held >= MAX_PER_CLAIM {
        return Err(AppError::invalid("file", FieldCode::TooManyFiles));
    }
    diesel::insert_into(claim_documents::table)
        .values((
            claim_documents::document_id.eq(&document.id),
            claim_documents::claim_id.eq(claim_id),
            claim_documents::kind.eq(kind.as_str()),
            claim_documents::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(ClaimDocument {
        id: document.id.clone(),
        kind,
        file_name: document.file_name.clone(),
        content_type: document.content_type.clone(),
        size: document.size,
        uploaded_at: now,
    })
}

/// The paper of `kind` with these bytes, if the claim already holds it.
fn already_sent(
    conn: &mut DbConn,
    claim_id: &str,
    kind: DocumentKind,
    sha256: &str,
) -> Result<Option<ClaimDocument>, AppError> {
    let id: Option<String> = claim_documents::table
        .inner_join(documents::table)
        .filter(claim_documents::claim_id.eq(claim_id))
        .filter(claim_documents::kind.eq(kind.as_str()))
        .filter(documents::sha256.eq(sha256))
        .select(documents::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => Ok(of_claim(conn, claim_id)?.into_iter().find(|d| d.id == id)),
        None => Ok(None),
    }
}

/// The document `document_id` of claim `claim_id` (the caller has checked who may read the
/// claim); not found when it belongs to another claim.
pub fn find(conn: &mut DbConn, claim_id: &str, document_id: &str) -> Result<Document, AppError> {
    claim_documents::table
        .inner_join(documents::table)
        .filter(claim_documents::claim_id.eq(claim_id))
        .filter(claim_documents::document_id.eq(document_id))
        .select(Document::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Removes a document from the claim and its row; returns the stored name whose bytes the
/// caller deletes once this transaction has committed.
pub fn detach(conn: &mut DbConn, claim_id: &str, document_id: &str) -> Result<String, AppError> {
    let document = find(conn, claim_id, document_id)?;
    diesel::delete(claim_documents::table.find(&document.id)).execute(conn)?;
    diesel::delete(documents::table.find(&document.id)).execute(conn)?;
    Ok(document.stored_name)
}

/// Adds an uploaded paper to the claim `claim_id` of `account`: the claim is looked up first
/// (not yours: 404; no longer open to papers: 409), then the kind and the file are checked, then
/// the file is stored and linked in one go ([`crate::documents::store`]).
pub async fn add(
    state: &AppState,
    account: Account,
    claim_id: String,
    kind: Option<&str>,
    file: Option<crate::documents::Upload>,
) -> Result<ClaimDocument, AppError> {
    let (reader, target) = (account.clone(), claim_id.clone());
    state
        .db
        .read(move |conn| flow::changeable(conn, &reader, &target).map(|_| ()))
        .await?;
    let kind = match kind.unwrap_or_default() {
        "" => Err(AppError::invalid("kind", FieldCode::Required)),
        text => DocumentKind::parse(text)
            .ok_or_else(|| AppError::invalid("kind", FieldCode::InvalidFormat)),
    }?;
    let file = file.ok_or_else(|| AppError::invalid("file", FieldCode::Required))?;
    // A phone that retries an upload it thinks failed gets the paper it already sent.
    let sha256 = crate::documents::digest(&file.bytes);
    let target = claim_id.clone();
    let sent = state
        .db
        .read(move |conn| already_sent(conn, &target, kind, &sha256))
        .await?;
    if let Some(document) = sent {
        return Ok(document);
    }
    let now = state.clock.now();
    let owner = account.id.clone();
    crate::documents::store(state, &owner, file, now, move |conn, stored| {
        // Checked again inside the transaction: the claim may have been submitted meanwhile.
        let (row, form) = flow::changeable(conn, &account, &claim_id)?;
        attach(conn, &row.id, &form, kind, stored, now)
    })
    .await
}

/// Removes a document from a claim that may still change: the rows in one transaction, then
/// the bytes (a failure there leaves a file the orphan check reports, never a dangling row).
pub async fn remove(
    state: &AppState,
    account: Account,
    claim_id: String,
    document_id: String,
) -> Result<(), AppError> {
    let stored_name = state
        .db
        .write(move |conn| {
            flow::changeable(conn, &account, &claim_id)?;
            detach(conn, &claim_id, &document_id)
        })
        .await?;
    if let Err(error) = state.storage.delete(&stored_name).await {
        tracing::error!(%error, "could not remove a document's file");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(json: serde_json::Value) -> ClaimForm {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn each_claim_needs_its_papers() {
        let birth = form(serde_json::json!({"kind": "maternity", "details": {
            "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02"}}));
        assert_eq!(needed(&birth), [DocumentKind::BirthCertificate]);
        let leaving =
            form(serde_json::json!({"kind": "lump_sum", "details": {"route": "emigration"}}));
        assert_eq!(needed(&leaving), [DocumentKind::EmigrationProof]);
        let out = form(
            serde_json::json!({"kind": "lump_sum", "details": {"route": "out_of_si_twelve_months"}}),
        );
        assert!(needed(&out).is_empty());
        assert_eq!(accepted(&out), [DocumentKind::Other]);

        let held = |kind| ClaimDocument {
            id: "d".into(),
            kind,
            file_name: "a.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1,
            uploaded_at: chrono::NaiveDateTime::default(),
        };
        assert_eq!(
            missing(&birth, &[held(DocumentKind::Other)]),
            [DocumentKind::BirthCertificate]
        );
        assert!(missing(&birth, &[held(DocumentKind::BirthCertificate)]).is_empty());
        match require_all(&birth, &[]) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "documents.birth_certificate")
            }
            other => panic!("expected the missing paper, got {other:?}"),
        }
    }
}
