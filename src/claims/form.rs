//! The claim forms, one typed shape per kind, and the checks each needs before it can be
//! saved (what DOMAIN.md §7 and §6.5 say a claim of that kind must state).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{CareKind, FacilityLevel, ReimbursementCase};
use crate::accounts::model::PersonalId;
use crate::error::{AppError, FieldCode, FieldError};

/// A claim: its kind and the facts it states.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(tag = "kind", content = "details", rename_all = "snake_case")]
pub enum ClaimForm {
    /// Sickness leave (Art. 42–49).
    Sickness(SicknessForm),
    /// Maternity leave and the childbirth lump sum (Art. 50–63, 94–95).
    Maternity(MaternityForm),
    /// Unemployment benefit (Employment Law 74/2025).
    Unemployment(UnemploymentForm),
    /// One-off withdrawal of social insurance (Art. 70, 102).
    LumpSum(LumpSumForm),
    /// Funeral allowance, claimed by a relative (Art. 85, 109).
    Funeral(FuneralForm),
    /// Health-insurance costs paid directly at a facility (HI Law; DOMAIN.md §6.5).
    HiReimbursement(HiReimbursementForm),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Sickness,
    Maternity,
    Unemployment,
    LumpSum,
    Funeral,
    HiReimbursement,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sickness => "sickness",
            Self::Maternity => "maternity",
            Self::Unemployment => "unemployment",
            Self::LumpSum => "lump_sum",
            Self::Funeral => "funeral",
            Self::HiReimbursement => "hi_reimbursement",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SicknessReason {
    OwnIllness,
    ChildIllness,
    CommutingAccident,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SicknessForm {
    pub reason: SicknessReason,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// With `child_illness`: the child's birth date (under 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub child_birth_date: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaternityEvent {
    Birth,
    Adoption,
    Miscarriage,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaternityForm {
    pub event: MaternityEvent,
    /// The day of the birth, adoption or miscarriage.
    pub event_date: NaiveDate,
    #[schema(minimum = 1, maximum = 10, example = 1)]
    pub children: u8,
    /// The first day of leave (the mother's, or the father's within 60 days).
    pub leave_from: NaiveDate,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnemploymentForm {
    /// The last day of the labour contract.
    pub termination_date: NaiveDate,
    /// The employer's unit code, as in the insurance book.
    #[schema(example = "TA1234A", max_length = 20)]
    pub last_employer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LumpSumRoute {
    /// (a) At retirement age with less than 15 years.
    RetirementAgeShort,
    /// (b) Settling abroad.
    Emigration,
    /// (c) A listed serious illness.
    SeriousIllness,
    /// (d) 81% or more loss of working capacity.
    SevereDisability,
    /// (đ) Contributions from before 1 Jul 2025, 12 months out of SI, under 20 years.
    OutOfSiTwelveMonths,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LumpSumForm {
    pub route: LumpSumRoute,
    /// The citizen read the comparison with staying in the system (required to submit).
    #[serde(default)]
    pub comparison_read: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FuneralForm {
    #[schema(example = "001060000123", max_length = 20)]
    pub deceased_personal_id: String,
    #[schema(example = "Nguyễn Văn Ba", max_length = 100)]
    pub deceased_name: String,
    pub date_of_death: NaiveDate,
    /// How the claimant is related to the deceased.
    #[schema(example = "con", max_length = 50)]
    pub relationship: String,
}

/// Why the citizen paid for care covered by health insurance (DOMAIN.md §6.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReimbursementReason {
    /// Care outside an emergency at a facility without an HI contract (capped by level and care).
    NonContractedFacility,
    /// Emergency care.
    Emergency,
    /// The card was issued late.
    CardIssuedLate,
    /// The procedures were incomplete at the time of care.
    IncompleteProcedures,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HiReimbursementForm {
    #[schema(example = "Bệnh viện Đa khoa tỉnh", max_length = 200)]
    pub facility_name: String,
    pub treatment_from: NaiveDate,
    pub treatment_to: NaiveDate,
    /// What the citizen paid, VND (from the receipts).
    #[schema(minimum = 1, example = 2_400_000)]
    pub amount_paid: i64,
    /// Why the citizen paid the facility directly.
    pub case: ReimbursementReason,
    /// With `non_contracted_facility`: the facility's level (the cap depends on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub facility_level: Option<FacilityLevel>,
    /// With `non_contracted_facility`: outpatient or inpatient care (the cap depends on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub care: Option<CareKind>,
}

impl HiReimbursementForm {
    /// The case as the reimbursement rule sees it; `None` while a non-contracted facility's
    /// level or care is missing.
    pub fn case(&self) -> Option<ReimbursementCase> {
        match self.case {
            ReimbursementReason::NonContractedFacility => Some(ReimbursementCase::NonContracted {
                level: self.facility_level?,
                care: self.care?,
            }),
            _ => Some(ReimbursementCase::Uncapped),
        }
    }
}

impl ClaimForm {
    pub fn kind(&self) -> ClaimKind {
        match self {
            Self::Sickness(_) => ClaimKind::Sickness,
            Self::Maternity(_) => ClaimKind::Maternity,
            Self::Unemployment(_) => ClaimKind::Unemployment,
            Self::LumpSum(_) => ClaimKind::LumpSum,
            Self::Funeral(_) => ClaimKind::Funeral,
            Self::HiReimbursement(_) => ClaimKind::HiReimbursement,
        }
    }

    /// Every field at fault, named as in the JSON (`details.first_day`).
    pub fn check(&self, today: NaiveDate) -> Result<(), AppError> {
        let mut errors = Vec::new();
        let mut push =
            |field: &str, code| errors.push(FieldError::new(format!("details.{field}"), code));
        let not_future = |field: &str, date: NaiveDate, push: &mut dyn FnMut(&str, FieldCode)| {
            if date > today {
                push(field, FieldCode::DateInFuture);
            }
        };
        match self {
            Self::Sickness(f) => {
                if f.last_day < f.first_day {
                    push("last_day", FieldCode::InvalidRange);
                }
                let child = f.reason == SicknessReason::ChildIllness;
                match (child, f.child_birth_date) {
                    (true, None) => push("child_birth_date", FieldCode::Required),
                    (false, Some(_)) => push("child_birth_date", FieldCode::UnknownField),
                    _ => {}
                }
                not_future("first_day", f.first_day, &mut push);
            }
            Self::Maternity(f) => {
                if f.children == 0 || f.children > 10 {
                    push("children", FieldCode::InvalidFormat);
                }
                not_future("event_date", f.event_date, &mut push);
            }
            Self::Unemployment(f) => {
                not_future("termination_date", f.termination_date, &mut push);
                let unit = f.last_employer.trim();
                if unit.is_empty() {
                    push("last_employer", FieldCode::Required);
                } else if unit.len() > 20 {
                    push("last_employer", FieldCode::TooLong);
                }
            }
            Self::LumpSum(_) => {}
            Self::Funeral(f) => {
                if let Err(code) = PersonalId::parse(&f.deceased_personal_id) {
                    push("deceased_personal_id", code);
                }
                text(&f.deceased_name, 100, "deceased_name", &mut push);
                text(&f.relationship, 50, "relationship", &mut push);
                not_future("date_of_death", f.date_of_death, &mut push);
            }
            Self::HiReimbursement(f) => {
                text(&f.facility_name, 200, "facility_name", &mut push);
                if f.treatment_to < f.treatment_from {
                    push("treatment_to", FieldCode::InvalidRange);
                }
                not_future("treatment_to", f.treatment_to, &mut push);
                if f.amount_paid <= 0 {
                    push("amount_paid", FieldCode::NotPositive);
                }
                if f.case == ReimbursementReason::NonContractedFacility {
                    if f.facility_level.is_none() {
                        push("facility_level", FieldCode::Required);
                    }
                    if f.care.is_none() {
                        push("care", FieldCode::Required);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    /// What must hold before submitting, beyond a well-formed form.
    pub fn ready(&self) -> Result<(), AppError> {
        match self {
            Self::LumpSum(f) if !f.comparison_read => Err(AppError::invalid(
                "details.comparison_read",
                FieldCode::ComparisonNotRead,
            )),
            _ => Ok(()),
        }
    }
}

fn text(value: &str, max: usize, field: &str, push: &mut dyn FnMut(&str, FieldCode)) {
    let value = value.trim();
    if value.is_empty() {
        push(field, FieldCode::Required);
    } else if value.chars().count() > max {
        push(field, FieldCode::TooLong);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn fields(result: Result<(), AppError>) -> Vec<String> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn forms_name_every_field_at_fault() {
        let today = day("2026-11-30");
        let sick: ClaimForm = serde_json::from_value(serde_json::json!({
            "kind": "sickness",
            "details": {"reason": "child_illness", "first_day": "2026-12-05", "last_day": "2026-12-01"},
        }))
        .unwrap();
        assert_eq!(
            fields(sick.check(today)),
            [
                "details.last_day",
                "details.child_birth_date",
                "details.first_day"
            ]
        );
        let funeral: ClaimForm = serde_json::from_value(serde_json::json!({
            "kind": "funeral",
            "details": {"deceased_personal_id": "12", "deceased_name": " ", "date_of_death": "2026-11-01", "relationship": "con"},
        }))
        .unwrap();
        assert_eq!(
            fields(funeral.check(today)),
            ["details.deceased_personal_id", "details.deceased_name"]
        );
        let lump: ClaimForm = serde_json::from_value(serde_json::json!({
            "kind": "lump_sum", "details": {"route": "emigration"},
        }))
        .unwrap();
        assert!(lump.check(today).is_ok());
        assert_eq!(fields(lump.ready()), ["details.comparison_read"]);
    }
}
