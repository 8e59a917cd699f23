//! Registering for voluntary SI or household HI, from draft to paid instalments. Each function
//! here runs inside the caller's transaction (`db.write`), so a change, its emails (outbox) and
//! what follows from it (the schedule, cards, months in the book) commit together.
//!
//! draft → submitted → approved → (stopped) | rejected; a draft may also be stopped (withdrawn).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{self, PaymentMode, SupportGroup, VoluntaryProblem};
use super::schedule::{self, HORIZON_MONTHS};
use super::store::{self, EnrolmentRow, InstalmentRow, MemberRow};
use crate::accounts::model::PersonalId;
use crate::accounts::store::Account;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{health_cards, people};
use crate::declarations::{self, VoluntaryMonth};
use crate::documents::{self, Document};
use crate::email;
use crate::error::{AppError, FieldCode, FieldError};
use crate::insurance_book::model::Month;
use crate::policy::Policy;

/// Household registrations list at most this many people (a residence register rarely holds
/// more; the limit keeps one request small).
pub const MAX_MEMBERS: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = EnrolmentKind)]
pub enum Kind {
    /// Voluntary social insurance (pension and survivorship, maternity allowance).
    VoluntarySi,
    /// Health insurance for the members of a household.
    HouseholdHi,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VoluntarySi => "voluntary_si",
            Self::HouseholdHi => "household_hi",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::VoluntarySi, Self::HouseholdHi]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = EnrolmentStatus)]
pub enum Status {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Stopped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Stopped => "stopped",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "submitted" => Self::Submitted,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "stopped" => Self::Stopped,
            _ => Self::Draft,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// The person registering.
    #[serde(rename = "self")]
    Self_,
    Spouse,
    Child,
    Parent,
    Sibling,
    Grandparent,
    Grandchild,
    Other,
}

impl Relationship {
    pub const ALL: [Relationship; 8] = [
        Self::Self_,
        Self::Spouse,
        Self::Child,
        Self::Parent,
        Self::Sibling,
        Self::Grandparent,
        Self::Grandchild,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Self_ => "self",
            Self::Spouse => "spouse",
            Self::Child => "child",
            Self::Parent => "parent",
            Self::Sibling => "sibling",
            Self::Grandparent => "grandparent",
            Self::Grandchild => "grandchild",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Groups whose support must be shown with a document (a poor or near-poor household
/// certificate, a residence confirmation, an ethnicity record).
pub fn needs_evidence(group: SupportGroup) -> bool {
    group != SupportGroup::Other
}

/// What the citizen asks for: a voluntary SI plan, or a household and how long to cover it.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequest {
    pub kind: Kind,
    /// Voluntary SI: the monthly income to contribute on, VND (between the rural poverty line
    /// and 20 × the base salary in force).
    #[schema(minimum = 0, maximum = 1_000_000_000, example = 3_000_000)]
    #[serde(default)]
    pub monthly_income: Option<i64>,
    /// Voluntary SI: the support group declared (`other` unless a document proves another).
    #[serde(default)]
    pub support_group: Option<SupportGroup>,
    /// Voluntary SI: monthly to yearly. Household HI: quarterly, half-yearly or yearly.
    pub payment_mode: PaymentMode,
    /// The first month covered, `YYYY-MM`; not before the current month.
    pub start_month: Month,
    /// Household HI: the members, in the order the discount applies.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub members: Vec<MemberRequest>,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    #[schema(example = "001090123456", max_length = 20)]
    pub personal_id: String,
    #[schema(example = "Nguyễn Thị Lan", max_length = 100)]
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub relationship: Relationship,
}

/// A request checked against the rules and the figures in force on its start month.
struct Plan {
    kind: Kind,
    monthly_income: Option<i64>,
    support_group: Option<SupportGroup>,
    payment_mode: PaymentMode,
    start_month: Month,
    members: Vec<(PersonalId, String, NaiveDate, Relationship)>,
}

fn plan(request: &EnrolmentRequest, today: NaiveDate, policy: &Policy) -> Result<Plan, AppError> {
    let mut errors = Vec::new();
    let start = request.start_month;
    if start < Month::of(today) {
        errors.push(FieldError::new("start_month", FieldCode::MonthInPast));
    }
    let mut members: Vec<(PersonalId, String, NaiveDate, Relationship)> = Vec::new();
    match request.kind {
        Kind::VoluntarySi => {
            if !request.members.is_empty() {
                errors.push(FieldError::new("members", FieldCode::UnknownField));
            }
            let group = request.support_group.unwrap_or(SupportGroup::Other);
            match request.monthly_income {
                None => errors.push(FieldError::new("monthly_income", FieldCode::Required)),
                Some(income) => {
                    match rules::voluntary_si(
                        income,
                        group,
                        request.payment_mode,
                        start.first_day(),
                        policy,
                    ) {
                        Ok(_) => {}
                        Err(VoluntaryProblem::OutOfBounds { floor, ceiling }) => {
                            return Err(AppError::OutOfBounds {
                                field: "monthly_income".into(),
                                min: floor,
                                max: ceiling,
                            });
                        }
                        Err(VoluntaryProblem::GroupNotInForce) => {
                            errors.push(FieldError::new("support_group", FieldCode::InvalidFormat))
                        }
                        Err(VoluntaryProblem::NotInForce(_)) => {
                            errors.push(FieldError::new("start_month", FieldCode::NoPolicyForDate))
                        }
                    }
                }
            }
        }
        Kind::HouseholdHi => {
            if request.monthly_income.is_some() {
                errors.push(FieldError::new("monthly_income", FieldCode::UnknownField));
            }
            if request.support_group.is_some() {
                errors.push(FieldError::new("support_group", FieldCode::UnknownField));
            }
            if request.payment_mode == PaymentMode::Monthly {
                errors.push(FieldError::new("payment_mode", FieldCode::InvalidFormat));
            }
            if request.members.len() > MAX_MEMBERS {
                errors.push(FieldError::new("members", FieldCode::TooLong));
            }
            for (i, member) in request.members.iter().enumerate() {
                let field = |name: &str| format!("members[{i}].{name}");
                let id = PersonalId::parse(&member.personal_id)
                    .map_err(|code| errors.push(FieldError::new(field("personal_id"), code)))
                    .ok();
                let name = member.full_name.trim();
                if name.is_empty() {
                    errors.push(FieldError::new(field("full_name"), FieldCode::Required));
                } else if name.chars().count() > 100 {
                    errors.push(FieldError::new(field("full_name"), FieldCode::TooLong));
                }
                if member.birth_date > today {
                    errors.push(FieldError::new(
                        field("birth_date"),
                        FieldCode::DateInFuture,
                    ));
                }
                if let Some(id) = id {
                    if members.iter().any(|(other, ..)| *other == id) {
                        errors.push(FieldError::new(
                            field("personal_id"),
                            FieldCode::DuplicateMember,
                        ));
                    }
                    members.push((id, name.to_owned(), member.birth_date, member.relationship));
                }
            }
            if let Err(error) = rules::household_hi(1, start.first_day(), policy) {
                tracing::warn!(%error, "no household HI figures for the start month");
                errors.push(FieldError::new("start_month", FieldCode::NoPolicyForDate));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Plan {
        kind: request.kind,
        monthly_income: request
            .monthly_income
            .filter(|_| request.kind == Kind::VoluntarySi),
        support_group: (request.kind == Kind::VoluntarySi)
            .then(|| request.support_group.unwrap_or(SupportGroup::Other)),
        payment_mode: request.payment_mode,
        start_month: start,
        members,
    })
}

/// The registration `id` if it belongs to `account` ("not yours" reads as not found).
pub fn owned(conn: &mut DbConn, account: &Account, id: &str) -> Result<EnrolmentRow, AppError> {
    match store::lock(conn, id)? {
        Some(row) if row.account_id == account.id => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

/// The registration `id` if it belongs to `account`, without locking it (for reading).
pub fn visible(conn: &mut DbConn, account: &Account, id: &str) -> Result<EnrolmentRow, AppError> {
    match store::find(conn, id)? {
        Some(row) if row.account_id == account.id => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

fn require(row: &EnrolmentRow, allowed: &[Status]) -> Result<(), AppError> {
    if allowed.contains(&Status::parse(&row.status)) {
        Ok(())
    } else {
        Err(AppError::WrongState(row.status.clone()))
    }
}

/// Starts a draft.
pub fn create(
    conn: &mut DbConn,
    account: &Account,
    request: &EnrolmentRequest,
    policy: &Policy,
    now: Timestamp,
) -> Result<String, AppError> {
    let plan = plan(request, now.date(), policy)?;
    let row = EnrolmentRow {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account.id.clone(),
        kind: plan.kind.as_str().into(),
        status: Status::Draft.as_str().into(),
        monthly_income: None,
        support_group: None,
        evidence_id: None,
        payment_mode: String::new(),
        start_month: plan.start_month.first_day(),
        decision_reason: None,
        decided_by: None,
        submitted_at: None,
        decided_at: None,
        stopped_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let row = apply(row, &plan, now);
    store::insert(conn, &row)?;
    write_members(conn, &row, &plan)?;
    Ok(row.id)
}

fn apply(mut row: EnrolmentRow, plan: &Plan, now: Timestamp) -> EnrolmentRow {
    row.monthly_income = plan.monthly_income;
    row.support_group = plan.support_group.map(|g| group_name(g).to_owned());
    row.payment_mode = mode_name(plan.payment_mode).into();
    row.start_month = plan.start_month.first_day();
    row.updated_at = now;
    row
}

/// Members with the reason any of them is not counted: a card valid on the start month from
/// another source.
fn write_members(conn: &mut DbConn, row: &EnrolmentRow, plan: &Plan) -> Result<(), AppError> {
    let mut members = Vec::new();
    for (position, (id, name, birth_date, relationship)) in plan.members.iter().enumerate() {
        let covered_by = store::covering_card(conn, id.as_str(), row.start_month, &row.id)?;
        members.push(MemberRow {
            enrolment_id: row.id.clone(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            personal_id: id.as_str().to_owned(),
            full_name: name.clone(),
            birth_date: *birth_date,
            relationship: relationship.as_str().into(),
            covered_by,
        });
    }
    store::replace_members(conn, &row.id, &members)?;
    Ok(())
}

/// Changes a draft; or, once approved, the income, support group or payment mode of a
/// voluntary plan, which re-prices every instalment not yet paid.
pub fn update(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    request: &EnrolmentRequest,
    policy: &Policy,
    now: Timestamp,
) -> Result<(), AppError> {
    let row = owned(conn, account, id)?;
    if Kind::parse(&row.kind) != Some(request.kind) {
        return Err(AppError::invalid("kind", FieldCode::InvalidFormat));
    }
    match Status::parse(&row.status) {
        Status::Draft => {
            let plan = plan(request, now.date(), policy)?;
            let row = apply(row, &plan, now);
            store::save(conn, &row)?;
            write_members(conn, &row, &plan)
        }
        Status::Approved if request.kind == Kind::VoluntarySi => {
            // A running plan keeps its start month, which may lie in the past by now: the new
            // figures are checked from this month on.
            let mut request = request.clone();
            request.start_month = request.start_month.max(Month::of(now.date()));
            let mut plan = plan(&request, now.date(), policy)?;
            // The plan continues from its next unpaid month, whatever start was sent.
            plan.start_month = Month::of(row.start_month);
            let row = apply(row, &plan, now);
            store::save(conn, &row)?;
            let instalments = store::instalments(conn, &row.id)?;
            store::delete_unpaid(conn, &row.id)?;
            let next = instalments
                .iter()
                .filter(|i| i.paid_on.is_some())
                .map(|i| Month::of(i.first_month).plus(i.months as u32))
                .max()
                .unwrap_or(Month::of(row.start_month))
                .max(Month::of(now.date()));
            let seq = instalments.iter().map(|i| i.seq).max().unwrap_or(0);
            extend_voluntary(conn, &row, next, seq + 1, policy)
        }
        _ => Err(AppError::WrongState(row.status)),
    }
}

/// Attaches the evidence for the declared support group (replacing any earlier document).
pub fn attach_evidence(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    document: &Document,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut row = owned(conn, account, id)?;
    require(&row, &[Status::Draft])?;
    if row.kind != Kind::VoluntarySi.as_str() {
        return Err(AppError::invalid("file", FieldCode::UnknownField));
    }
    row.evidence_id = Some(document.id.clone());
    row.updated_at = now;
    store::save(conn, &row)?;
    Ok(())
}

/// Sends a draft to staff; refuses one that is not complete.
pub fn submit(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut row = owned(conn, account, id)?;
    require(&row, &[Status::Draft])?;
    if Month::of(row.start_month) < Month::of(now.date()) {
        return Err(AppError::invalid("start_month", FieldCode::MonthInPast));
    }
    match Kind::parse(&row.kind) {
        Some(Kind::VoluntarySi) => {
            let group = row.support_group.as_deref().and_then(parse_group);
            if group.is_some_and(needs_evidence) && row.evidence_id.is_none() {
                return Err(AppError::invalid("evidence", FieldCode::EvidenceRequired));
            }
        }
        _ => {
            let members = store::members(conn, &row.id)?;
            if !members.iter().any(|m| m.covered_by.is_none()) {
                return Err(AppError::invalid("members", FieldCode::NoMembers));
            }
        }
    }
    row.status = Status::Submitted.as_str().into();
    row.submitted_at = Some(now);
    row.updated_at = now;
    store::save(conn, &row)?;
    notify(conn, &row, "enrolment_submitted", public_url, &[], now)
}

/// A citizen stops a plan (or withdraws a draft or a submission); unpaid instalments go.
pub fn stop(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut row = owned(conn, account, id)?;
    require(&row, &[Status::Draft, Status::Submitted, Status::Approved])?;
    store::delete_unpaid(conn, &row.id)?;
    row.status = Status::Stopped.as_str().into();
    row.stopped_at = Some(now);
    row.updated_at = now;
    store::save(conn, &row)?;
    Ok(())
}

/// Who decides, and what: approve, or reject with a reason the citizen reads.
#[derive(Clone, Copy)]
pub struct Decision<'a> {
    pub staff_id: &'a str,
    pub approve: bool,
    pub reason: &'a str,
    /// The version the decision was made from (`None` only for callers without one, such as
    /// tests of the rule itself); another version gives [`AppError::Stale`].
    pub version: Option<i64>,
}

/// A staff decision on a submitted registration. Approval lays out the schedule and, for a
/// household, issues each counted member's card.
pub fn decide(
    conn: &mut DbConn,
    id: &str,
    decision: &Decision<'_>,
    policy: &Policy,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Decision {
        staff_id,
        approve,
        reason,
        ..
    } = *decision;
    let mut row = store::lock(conn, id)?.ok_or(AppError::NotFound)?;
    // The row is locked: a concurrent decision made from the same version waits, then sees
    // the version this one writes.
    if decision.version.is_some_and(|v| v != row.version) {
        return Err(AppError::Stale);
    }
    require(&row, &[Status::Submitted])?;
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::invalid("reason", FieldCode::Required));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::invalid("reason", FieldCode::TooLong));
    }
    row.status = if approve {
        Status::Approved
    } else {
        Status::Rejected
    }
    .as_str()
    .into();
    row.decision_reason = (!reason.is_empty()).then(|| reason.to_owned());
    row.decided_by = Some(staff_id.to_owned());
    row.decided_at = Some(now);
    row.updated_at = now;
    store::save(conn, &row)?;
    if approve {
        match Kind::parse(&row.kind) {
            Some(Kind::VoluntarySi) => {
                extend_voluntary(conn, &row, Month::of(row.start_month), 1, policy)?;
            }
            _ => approve_household(conn, &row, policy, now)?,
        }
        notify(conn, &row, "enrolment_approved", public_url, &[], now)
    } else {
        notify(
            conn,
            &row,
            "enrolment_rejected",
            public_url,
            &[("reason", reason.to_owned())],
            now,
        )
    }
}

/// Lays out a year of voluntary instalments from `from`, priced with the figures in force on
/// each instalment's first month and the support left under the per-person cap.
fn extend_voluntary(
    conn: &mut DbConn,
    row: &EnrolmentRow,
    from: Month,
    first_seq: i32,
    policy: &Policy,
) -> Result<(), AppError> {
    let account = account_of(conn, &row.account_id)?;
    let person_id = person_for_account(conn, &account, row.created_at)?;
    let mut used = store::supported_months_used(conn, &person_id)?;
    let income = row.monthly_income.unwrap_or_default();
    let group = row
        .support_group
        .as_deref()
        .and_then(parse_group)
        .unwrap_or(SupportGroup::Other);
    let mode = parse_mode(&row.payment_mode);
    let mut rows = Vec::new();
    for (i, slot) in schedule::slots(mode, from, HORIZON_MONTHS)
        .into_iter()
        .enumerate()
    {
        let on = slot.first_month.first_day();
        let price =
            rules::voluntary_si(income, group, mode, on, policy).map_err(
                |problem| match problem {
                    VoluntaryProblem::OutOfBounds { floor, ceiling } => AppError::OutOfBounds {
                        field: "monthly_income".into(),
                        min: floor,
                        max: ceiling,
                    },
                    _ => AppError::invalid("start_month", FieldCode::NoPolicyForDate),
                },
            )?;
        let cap = policy
            .row("voluntary_support_max_months", on)
            .ok()
            .map(|p| p.value);
        let supported = schedule::supported_months(slot.months, used, cap);
        used += i64::from(supported);
        rows.push(InstalmentRow {
            enrolment_id: row.id.clone(),
            seq: first_seq + i32::try_from(i).unwrap_or(0),
            first_month: on,
            months: slot.months as i32,
            monthly_income: income,
            monthly_gross: price.monthly_gross,
            monthly_support: price.monthly_support,
            supported_months: supported as i32,
            amount: schedule::instalment_amount(
                price.monthly_gross,
                price.monthly_support,
                slot.months,
                supported,
            ),
            due_date: slot.due_date,
            paid_on: None,
            reference: None,
            recorded_by: None,
        });
    }
    store::insert_instalments(conn, &rows)?;
    Ok(())
}

/// One instalment for the period chosen, priced in discount order over the counted members,
/// and a card for each of them valid for the period.
fn approve_household(
    conn: &mut DbConn,
    row: &EnrolmentRow,
    policy: &Policy,
    now: Timestamp,
) -> Result<(), AppError> {
    let start = Month::of(row.start_month);
    let mode = parse_mode(&row.payment_mode);
    let months = mode.months() as u32;
    // Coverage is checked again at decision time: a member may have got a card meanwhile.
    let members = store::members(conn, &row.id)?;
    let mut counted = Vec::new();
    let mut refreshed = Vec::new();
    for mut member in members {
        member.covered_by =
            store::covering_card(conn, &member.personal_id, row.start_month, &row.id)?;
        if member.covered_by.is_none() {
            counted.push(member.clone());
        }
        refreshed.push(member);
    }
    store::replace_members(conn, &row.id, &refreshed)?;
    let shares = rules::household_hi(counted.len(), row.start_month, policy)
        .map_err(|_| AppError::invalid("start_month", FieldCode::NoPolicyForDate))?;
    let monthly: i64 = shares.iter().map(|s| s.monthly).sum();
    store::insert_instalments(
        conn,
        &[InstalmentRow {
            enrolment_id: row.id.clone(),
            seq: 1,
            first_month: row.start_month,
            months: months as i32,
            monthly_income: 0,
            monthly_gross: monthly,
            monthly_support: 0,
            supported_months: 0,
            amount: monthly * i64::from(months),
            due_date: schedule::due_date(PaymentMode::Monthly, start),
            paid_on: None,
            reference: None,
            recorded_by: None,
        }],
    )?;
    let valid_to = start
        .plus(months)
        .first_day()
        .pred_opt()
        .unwrap_or(row.start_month);
    for member in counted {
        let person_id = person_for(
            conn,
            &member.personal_id,
            &member.full_name,
            member.birth_date,
            now,
        )?;
        let si_code: String = people::table
            .find(&person_id)
            .select(people::si_code)
            .first(conn)?;
        // Object code GD (household), benefit level 4, the province of the personal ID.
        let province = member.personal_id.get(1..3).unwrap_or("79");
        diesel::insert_into(health_cards::table)
            .values((
                health_cards::id.eq(uuid::Uuid::now_v7().to_string()),
                health_cards::person_id.eq(&person_id),
                health_cards::card_code.eq(format!("GD4{province}{si_code}")),
                health_cards::object_code.eq("GD"),
                health_cards::benefit_level.eq(4),
                health_cards::valid_from.eq(row.start_month),
                health_cards::valid_to.eq(valid_to),
                health_cards::facility_code.eq(UNCHOSEN_FACILITY.0),
                health_cards::facility_name.eq(UNCHOSEN_FACILITY.1),
                health_cards::five_year_date.eq(None::<NaiveDate>),
                health_cards::issued_at.eq(now),
                health_cards::enrolment_id.eq(&row.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The primary-care facility of a new household card until the holder chooses one (the
/// change-of-facility procedure).
const UNCHOSEN_FACILITY: (&str, &str) = ("00000", "Chưa chọn nơi đăng ký khám chữa bệnh ban đầu");

/// A payment against the oldest unpaid instalment, recorded by staff or a collection agent.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EnrolmentPaymentRequest)]
pub struct PaymentRequest {
    /// Must equal the instalment due, VND.
    #[schema(minimum = 1, example = 6_336_000)]
    pub amount: i64,
    pub paid_on: NaiveDate,
    #[schema(min_length = 1, max_length = 100, example = "BL-2026-000123")]
    pub reference: String,
}

/// What a payment settled.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PaymentReceipt {
    pub enrolment_id: String,
    pub seq: i32,
    pub first_month: Month,
    pub months: i32,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub reference: String,
}

/// Records a payment: it must be for exactly the oldest unpaid instalment. A voluntary
/// instalment's months go into the book as paid voluntary months; when the last laid-out
/// instalment is paid, the next year is laid out.
pub fn record_payment(
    conn: &mut DbConn,
    id: &str,
    payment: &PaymentRequest,
    recorded_by: &str,
    policy: &Policy,
    public_url: &str,
    now: Timestamp,
) -> Result<PaymentReceipt, AppError> {
    let reference = payment.reference.trim();
    let mut errors = Vec::new();
    if reference.is_empty() {
        errors.push(FieldError::new("reference", FieldCode::Required));
    } else if reference.chars().count() > 100 {
        errors.push(FieldError::new("reference", FieldCode::TooLong));
    }
    if payment.amount <= 0 {
        errors.push(FieldError::new("amount", FieldCode::NotPositive));
    }
    if payment.paid_on > now.date() {
        errors.push(FieldError::new("paid_on", FieldCode::DateInFuture));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = store::lock(conn, id)?.ok_or(AppError::NotFound)?;
    require(&row, &[Status::Approved])?;
    let instalments = store::instalments(conn, &row.id)?;
    let Some(due) = instalments.iter().find(|i| i.paid_on.is_none()) else {
        return Err(AppError::WrongState("paid_up".into()));
    };
    if payment.amount != due.amount {
        return Err(AppError::OutOfBounds {
            field: "amount".into(),
            min: due.amount,
            max: due.amount,
        });
    }
    store::mark_paid(
        conn,
        &row.id,
        due.seq,
        payment.paid_on,
        reference,
        recorded_by,
    )?;
    if row.kind == Kind::VoluntarySi.as_str() {
        let account = account_of(conn, &row.account_id)?;
        let person_id = person_for_account(conn, &account, now)?;
        let months: Vec<_> = (0..due.months as u32)
            .map(|i| VoluntaryMonth {
                month: Month::of(due.first_month).plus(i),
                income: due.monthly_income,
                gross: due.monthly_gross,
                // The supported months come first in an instalment.
                state_support: if (i as i32) < due.supported_months {
                    due.monthly_support
                } else {
                    0
                },
                due_date: due.due_date,
                paid_on: payment.paid_on,
            })
            .collect();
        declarations::record_voluntary(conn, &person_id, &months)?;
        let last = instalments.iter().map(|i| i.seq).max().unwrap_or(0);
        if due.seq == last {
            let next = Month::of(due.first_month).plus(due.months as u32);
            extend_voluntary(conn, &row, next, last + 1, policy)?;
        }
    }
    notify(
        conn,
        &row,
        "enrolment_payment",
        public_url,
        &[("date", payment.paid_on.format("%d/%m/%Y").to_string())],
        now,
    )?;
    Ok(PaymentReceipt {
        enrolment_id: row.id.clone(),
        seq: due.seq,
        first_month: Month::of(due.first_month),
        months: due.months,
        amount: due.amount,
        paid_on: payment.paid_on,
        reference: reference.to_owned(),
    })
}

/// Emails the registration's owner through the outbox.
pub fn notify(
    conn: &mut DbConn,
    row: &EnrolmentRow,
    kind: &str,
    public_url: &str,
    extra: &[(&str, String)],
    now: Timestamp,
) -> Result<(), AppError> {
    let account = account_of(conn, &row.account_id)?;
    let link = format!("{public_url}/account/enrolments/{}", row.id);
    email::notify(conn, &account, kind, &link, extra, now)
}

fn account_of(conn: &mut DbConn, id: &str) -> Result<Account, AppError> {
    crate::accounts::store::account(conn, id)?.ok_or(AppError::NotFound)
}

/// The citizen's own person record (their SI book), created on the first approval when they
/// have never contributed.
fn person_for_account(
    conn: &mut DbConn,
    account: &Account,
    now: Timestamp,
) -> Result<String, AppError> {
    let (Some(personal_id), Some(birth_date)) = (&account.personal_id, account.birth_date) else {
        return Err(AppError::invalid("personal_id", FieldCode::Required));
    };
    person_for(conn, personal_id, &account.full_name, birth_date, now)
}

/// The person with this personal ID, registered now (with a new SI code) if unknown.
fn person_for(
    conn: &mut DbConn,
    personal_id: &str,
    full_name: &str,
    birth_date: NaiveDate,
    now: Timestamp,
) -> Result<String, AppError> {
    if let Some(person) = crate::insurance_book::store::person_by_personal_id(conn, personal_id)? {
        return Ok(person.id);
    }
    // The 4th digit of the personal ID: even for men, odd for women (DOMAIN.md §2.2).
    let male = personal_id
        .as_bytes()
        .get(3)
        .is_some_and(|d| (d - b'0').is_multiple_of(2));
    let id = uuid::Uuid::now_v7().to_string();
    let si_code = loop {
        let candidate = new_si_code();
        if crate::insurance_book::store::person_by_si_code(conn, &candidate)?.is_none() {
            break candidate;
        }
    };
    diesel::insert_into(people::table)
        .values((
            people::id.eq(&id),
            people::si_code.eq(&si_code),
            people::personal_id.eq(personal_id),
            people::full_name.eq(full_name),
            people::birth_date.eq(birth_date),
            people::sex.eq(if male { "male" } else { "female" }),
            people::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ten random digits.
fn new_si_code() -> String {
    let random = uuid::Uuid::new_v4().as_u128();
    format!("{:010}", random % 10_000_000_000)
}

pub fn mode_name(mode: PaymentMode) -> &'static str {
    match mode {
        PaymentMode::Monthly => "monthly",
        PaymentMode::Quarterly => "quarterly",
        PaymentMode::HalfYearly => "half_yearly",
        PaymentMode::Yearly => "yearly",
    }
}

pub fn parse_mode(text: &str) -> PaymentMode {
    match text {
        "quarterly" => PaymentMode::Quarterly,
        "half_yearly" => PaymentMode::HalfYearly,
        "yearly" => PaymentMode::Yearly,
        _ => PaymentMode::Monthly,
    }
}

pub fn group_name(group: SupportGroup) -> &'static str {
    match group {
        SupportGroup::Poor => "poor",
        SupportGroup::Island => "island",
        SupportGroup::NearPoor => "near_poor",
        SupportGroup::EthnicMinority => "ethnic_minority",
        SupportGroup::Other => "other",
    }
}

pub fn parse_group(text: &str) -> Option<SupportGroup> {
    SupportGroup::ALL
        .into_iter()
        .find(|g| group_name(*g) == text)
}

/// The evidence document of a registration, for its owner or staff.
pub fn evidence(conn: &mut DbConn, row: &EnrolmentRow) -> Result<Option<Document>, AppError> {
    match &row.evidence_id {
        Some(id) => Ok(documents::by_id(conn, id)?),
        None => Ok(None),
    }
}
