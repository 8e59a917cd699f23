//! A registration as its owner (and staff) sees it: the plan, its price, the members and why
//! any are not counted, the schedule and what is paid. Shared by the API and the pages.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::registration::{self, Kind, Relationship, Status};
use super::rules::{self, PaymentMode, SupportGroup};
use super::store::{self, EnrolmentRow, InstalmentRow};
use crate::accounts::model::PersonalId;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::error::AppError;
use crate::insurance_book::model::Month;
use crate::policy::Policy;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub id: String,
    pub kind: Kind,
    pub status: Status,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_income: Option<i64>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_group: Option<SupportGroup>,
    pub payment_mode: PaymentMode,
    pub start_month: Month,
    /// Whether the declared support group needs a document, and the one attached.
    pub evidence_required: bool,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
    pub members: Vec<MemberView>,
    /// The price of one payment period as planned (figures in force on the start month).
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    pub instalments: Vec<InstalmentView>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EvidenceView {
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub position: i32,
    /// Masked: enough to recognise, not to reuse.
    #[schema(example = "••••••••3456")]
    pub personal_id: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub relationship: Relationship,
    /// The card that already covers this member (not counted, not charged).
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    /// This member's monthly amount in discount order, when counted.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Quote {
    pub monthly: i64,
    pub months: i64,
    pub period_total: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InstalmentView {
    pub seq: i32,
    pub first_month: Month,
    pub months: i32,
    pub amount: i64,
    pub due_date: NaiveDate,
    pub state: InstalmentState,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<NaiveDate>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstalmentState {
    Paid,
    Due,
    Overdue,
}

impl InstalmentView {
    fn of(row: &InstalmentRow, today: NaiveDate) -> Self {
        let state = match row.paid_on {
            Some(_) => InstalmentState::Paid,
            None if row.due_date < today => InstalmentState::Overdue,
            None => InstalmentState::Due,
        };
        Self {
            seq: row.seq,
            first_month: Month::of(row.first_month),
            months: row.months,
            amount: row.amount,
            due_date: row.due_date,
            state,
            paid_on: row.paid_on,
            reference: row.reference.clone(),
        }
    }
}

pub fn view(
    conn: &mut DbConn,
    row: &EnrolmentRow,
    policy: &Policy,
    today: NaiveDate,
) -> Result<EnrolmentView, AppError> {
    let kind = Kind::parse(&row.kind).unwrap_or(Kind::VoluntarySi);
    let mode = registration::parse_mode(&row.payment_mode);
    let group = row
        .support_group
        .as_deref()
        .and_then(registration::parse_group);
    let members = store::members(conn, &row.id)?;
    let (quote, shares) = match kind {
        Kind::VoluntarySi => {
            let price = row.monthly_income.and_then(|income| {
                rules::voluntary_si(
                    income,
                    group.unwrap_or(SupportGroup::Other),
                    mode,
                    row.start_month,
                    policy,
                )
                .ok()
            });
            let quote = price.map(|p| Quote {
                monthly: p.monthly_payable,
                months: p.months,
                period_total: p.period_total,
            });
            (quote, Vec::new())
        }
        Kind::HouseholdHi => {
            let counted = members.iter().filter(|m| m.covered_by.is_none()).count();
            let shares = rules::household_hi(counted, row.start_month, policy).unwrap_or_default();
            let monthly: i64 = shares.iter().map(|s| s.monthly).sum();
            let quote = (counted > 0).then_some(Quote {
                monthly,
                months: mode.months(),
                period_total: monthly * mode.months(),
            });
            (quote, shares)
        }
    };
    let mut shares = shares.into_iter();
    let members = members
        .iter()
        .map(|m| MemberView {
            position: m.position,
            personal_id: PersonalId::masked(&m.personal_id),
            full_name: m.full_name.clone(),
            birth_date: m.birth_date,
            relationship: Relationship::parse(&m.relationship).unwrap_or(Relationship::Other),
            covered_by: m.covered_by.clone(),
            monthly: if m.covered_by.is_none() {
                shares.next().map(|s| s.monthly)
            } else {
                None
            },
        })
        .collect();
    let evidence = registration::evidence(conn, row)?.map(|d| EvidenceView {
        file_name: d.file_name,
        content_type: d.content_type,
        size: d.size,
    });
    let instalments = store::instalments(conn, &row.id)?
        .iter()
        .map(|i| InstalmentView::of(i, today))
        .collect();
    Ok(EnrolmentView {
        id: row.id.clone(),
        kind,
        status: Status::parse(&row.status),
        monthly_income: row.monthly_income,
        support_group: group,
        payment_mode: mode,
        start_month: Month::of(row.start_month),
        evidence_required: group.is_some_and(registration::needs_evidence),
        evidence,
        members,
        quote,
        instalments,
        decision_reason: row.decision_reason.clone(),
        submitted_at: row.submitted_at,
        decided_at: row.decided_at,
    })
}

// Catalog keys for the pages (static, so templates can pass them straight to `ctx.t`).

impl EnrolmentView {
    pub fn kind_key(&self) -> &'static str {
        match self.kind {
            Kind::VoluntarySi => "enrol.kind.voluntary_si",
            Kind::HouseholdHi => "enrol.kind.household_hi",
        }
    }

    pub fn status_key(&self) -> &'static str {
        match self.status {
            Status::Draft => "status.draft",
            Status::Submitted => "status.submitted",
            Status::Approved => "status.approved",
            Status::Rejected => "status.rejected",
            Status::Stopped => "status.stopped",
        }
    }

    /// What the status means for the citizen, and what happens next.
    pub fn status_help_key(&self) -> &'static str {
        match self.status {
            Status::Draft => "enrol.help.draft",
            Status::Submitted => "enrol.help.submitted",
            Status::Approved => "enrol.help.approved",
            Status::Rejected => "enrol.help.rejected",
            Status::Stopped => "enrol.help.stopped",
        }
    }

    pub fn group_key(&self) -> &'static str {
        match self.support_group {
            Some(SupportGroup::Poor) => "calc.group.poor",
            Some(SupportGroup::Island) => "calc.group.island",
            Some(SupportGroup::NearPoor) => "calc.group.near_poor",
            Some(SupportGroup::EthnicMinority) => "calc.group.ethnic_minority",
            Some(SupportGroup::Other) | None => "calc.group.other",
        }
    }

    pub fn mode_key(&self) -> &'static str {
        match self.payment_mode {
            PaymentMode::Monthly => "calc.mode.monthly",
            PaymentMode::Quarterly => "calc.mode.quarterly",
            PaymentMode::HalfYearly => "calc.mode.half_yearly",
            PaymentMode::Yearly => "calc.mode.yearly",
        }
    }
}

impl MemberView {
    pub fn relationship_key(&self) -> &'static str {
        match self.relationship {
            Relationship::Self_ => "enrol.rel.self",
            Relationship::Spouse => "enrol.rel.spouse",
            Relationship::Child => "enrol.rel.child",
            Relationship::Parent => "enrol.rel.parent",
            Relationship::Sibling => "enrol.rel.sibling",
            Relationship::Grandparent => "enrol.rel.grandparent",
            Relationship::Grandchild => "enrol.rel.grandchild",
            Relationship::Other => "enrol.rel.other",
        }
    }
}

impl InstalmentView {
    pub fn state_key(&self) -> &'static str {
        match self.state {
            InstalmentState::Paid => "enrol.state.paid",
            InstalmentState::Due => "enrol.state.due",
            InstalmentState::Overdue => "enrol.state.overdue",
        }
    }
}

impl Kind {
    pub fn title_key(self) -> &'static str {
        match self {
            Kind::VoluntarySi => "enrol.voluntary.title",
            Kind::HouseholdHi => "enrol.household.title",
        }
    }
}
