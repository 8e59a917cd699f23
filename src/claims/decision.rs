//! The rules of a staff decision on a claim, pure: when a second person must approve
//! (four-eyes), when an amount needs a reason, and the inputs a decision keeps so it can be
//! explained later whatever changes afterwards (the book, the parameters, the rules).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::assessment::Assessment;
use super::form::ClaimKind;
use super::rules::Explanation;
use crate::error::{AppError, FieldCode};

/// Lump sums and unemployment benefit always need a second person; any other claim when its
/// amount is above the configured `above`.
pub fn needs_second_person(kind: ClaimKind, amount: i64, above: i64) -> bool {
    matches!(kind, ClaimKind::LumpSum | ClaimKind::Unemployment) || amount > above
}

/// An amount chosen by staff: positive, and explained whenever it is not what the rules
/// computed (or the rules computed nothing).
pub fn check_amount(computed: Option<i64>, amount: i64, reason: &str) -> Result<(), AppError> {
    if amount <= 0 {
        return Err(AppError::invalid("amount", FieldCode::NotPositive));
    }
    if computed != Some(amount) && reason.trim().is_empty() {
        return Err(AppError::invalid("amount_reason", FieldCode::Required));
    }
    Ok(())
}

/// A proposal waiting for approval: who made it and for how much.
#[derive(Clone, Copy, Debug)]
pub struct Proposal<'a> {
    pub by: &'a str,
    pub amount: i64,
}

/// The amount `approver` may approve. With a proposal, exactly its amount, and never by its
/// own author where a second person is needed. Without one, a direct approval of `amount`
/// where no second person is needed.
pub fn approvable(
    kind: ClaimKind,
    proposal: Option<Proposal<'_>>,
    approver: &str,
    amount: Option<i64>,
    above: i64,
) -> Result<i64, AppError> {
    match proposal {
        Some(p) => {
            if amount.is_some_and(|a| a != p.amount) {
                return Err(AppError::invalid("amount", FieldCode::ProposalChanged));
            }
            if p.by == approver && needs_second_person(kind, p.amount, above) {
                return Err(AppError::invalid("amount", FieldCode::FourEyes));
            }
            Ok(p.amount)
        }
        None => {
            let amount = amount.ok_or(AppError::invalid("amount", FieldCode::Required))?;
            if needs_second_person(kind, amount, above) {
                return Err(AppError::invalid("amount", FieldCode::FourEyes));
            }
            Ok(amount)
        }
    }
}

/// What a decision was based on, kept with it: the day the facts were read for, whether the
/// rules found the claim eligible, the amount they computed, and every line, dated parameter
/// and article of the explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = ClaimDecisionInputs)]
pub struct DecisionInputs {
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub eligible: bool,
    /// What the rules computed (VND), when eligible.
    #[schema(nullable = false)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_amount: Option<i64>,
    /// The eligibility check, then the amount's computation.
    pub explanation: Explanation,
}

impl DecisionInputs {
    pub fn of(assessment: &Assessment) -> Self {
        let mut explanation = assessment.eligibility.explanation.clone();
        let parts = [&assessment.estimate, &assessment.monthly_allowance];
        for part in parts.into_iter().flatten() {
            let more = &part.explanation;
            explanation.lines.extend(more.lines.iter().cloned());
            for p in &more.parameters {
                if !explanation.parameters.iter().any(|q| q.name == p.name) {
                    explanation.parameters.push(p.clone());
                }
            }
            for l in &more.law {
                if !explanation.law.contains(l) {
                    explanation.law.push(l.clone());
                }
            }
        }
        Self {
            as_of: assessment.as_of,
            eligible: assessment.eligibility.eligible,
            computed_amount: computed_amount(assessment),
            explanation,
        }
    }
}

/// The amount the rules give for an eligible claim.
pub fn computed_amount(assessment: &Assessment) -> Option<i64> {
    assessment
        .eligibility
        .eligible
        .then(|| assessment.estimate.as_ref().map(|e| e.amount))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABOVE: i64 = 20_000_000;

    #[test]
    fn lump_sums_and_unemployment_always_need_two_people_others_above_the_amount() {
        assert!(needs_second_person(ClaimKind::LumpSum, 1, ABOVE));
        assert!(needs_second_person(ClaimKind::Unemployment, 1, ABOVE));
        assert!(!needs_second_person(ClaimKind::Maternity, ABOVE, ABOVE));
        assert!(needs_second_person(ClaimKind::Maternity, ABOVE + 1, ABOVE));
    }

    #[test]
    fn an_amount_other_than_the_computed_one_needs_a_reason() {
        assert!(check_amount(Some(5_060_000), 5_060_000, "").is_ok());
        let field = |r: Result<(), AppError>| match r {
            Err(AppError::Invalid(e)) => e[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(check_amount(Some(5_060_000), 5_000_000, " ")),
            "amount_reason"
        );
        assert_eq!(field(check_amount(None, 5_000_000, "")), "amount_reason");
        assert!(check_amount(None, 5_000_000, "paid on the 2025 base").is_ok());
        assert_eq!(field(check_amount(Some(1), 0, "x")), "amount");
    }

    #[test]
    fn the_proposer_cannot_approve_their_own_four_eyes_proposal() {
        let own = Some(Proposal {
            by: "clerk",
            amount: 153_000_000,
        });
        let code = |r: Result<i64, AppError>| match r {
            Err(AppError::Invalid(e)) => e[0].code,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            code(approvable(ClaimKind::LumpSum, own, "clerk", None, ABOVE)),
            FieldCode::FourEyes
        );
        assert_eq!(
            approvable(ClaimKind::LumpSum, own, "approver", None, ABOVE).unwrap(),
            153_000_000
        );
        // The approver cannot slip in another amount: that is a new proposal.
        assert_eq!(
            code(approvable(
                ClaimKind::LumpSum,
                own,
                "approver",
                Some(160_000_000),
                ABOVE
            )),
            FieldCode::ProposalChanged
        );
        // Without a proposal, four-eyes claims cannot be approved at all.
        assert_eq!(
            code(approvable(
                ClaimKind::Unemployment,
                None,
                "approver",
                Some(1),
                ABOVE
            )),
            FieldCode::FourEyes
        );
        // A small maternity claim may be approved directly, even by the one who proposed it.
        let small = Some(Proposal {
            by: "approver",
            amount: 5_060_000,
        });
        assert_eq!(
            approvable(ClaimKind::Maternity, small, "approver", None, ABOVE).unwrap(),
            5_060_000
        );
        assert_eq!(
            approvable(
                ClaimKind::Maternity,
                None,
                "approver",
                Some(5_060_000),
                ABOVE
            )
            .unwrap(),
            5_060_000
        );
    }
}
