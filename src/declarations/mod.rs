//! Employers' monthly declarations (I-VAN style), their payments, and their arrears. Payroll
//! software declares a month's workers and salaries; the rules compute each fund's shares with
//! the figures in force for that month; the workers see the months in their book at once.
//! Payments fill the oldest owed months first.

pub mod api;
pub(crate) mod store;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_clients::{ClientCaller, Scope};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::error::{AppError, FieldCode, FieldError};
use crate::insurance_book::model::{Month, is_si_code};
use crate::insurance_book::rules::{self, Funds};
use crate::insurance_book::store::{Employer, employer_by_unit_code};
use crate::policy::{Policy, Region};

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

/// Most workers in one declaration.
pub const MAX_WORKERS: usize = 10_000;

/// The employer named in the path, if the client acts for it; otherwise 404 (a client learns
/// nothing about other employers).
pub fn employer_for(
    conn: &mut DbConn,
    caller: &ClientCaller,
    unit_code: &str,
) -> Result<Employer, AppError> {
    caller.require(Scope::DeclarationsWrite)?;
    employer_by_unit_code(conn, unit_code)?
        .filter(|e| caller.employer_id.as_deref() == Some(e.id.as_str()))
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationRequest {
    /// The month declared, `YYYY-MM`.
    #[schema(example = "2026-08")]
    pub month: String,
    /// Every worker of the month. Declaring a month again replaces the earlier version.
    #[schema(max_items = 10000)]
    pub workers: Vec<WorkerLine>,
}

/// One worker: by SI code or personal ID (one is enough; `null` counts as absent), with the
/// month's SI salary.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerLine {
    #[schema(example = "0123456789")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub si_code: Option<String>,
    #[schema(example = "001090123456")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_id: Option<String>,
    /// Monthly SI salary in VND (wage + allowances + regular supplements).
    #[schema(example = 60_000_000, minimum = 1)]
    pub salary: i64,
}

/// One computed line of a declaration.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeclaredWorker {
    #[schema(example = "0123456789")]
    pub si_code: String,
    pub full_name: String,
    pub salary: i64,
    pub funds: Funds,
    pub employee_share: i64,
    pub employer_share: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Declaration {
    pub id: String,
    pub unit_code: String,
    pub month: Month,
    /// 1 for the first declaration of the month; each re-declaration adds one.
    pub version: i32,
    pub workers: Vec<DeclaredWorker>,
    pub total_employee: i64,
    pub total_employer: i64,
    /// Employee plus employer shares: what the employer must pay for the month.
    pub total_due: i64,
    /// The payment deadline for the month.
    #[schema(format = Date)]
    pub due_date: NaiveDate,
}

/// Validates and records a declaration inside the caller's transaction. Any invalid line
/// refuses the whole declaration (422 naming every line at fault) and changes nothing.
pub fn declare(
    conn: &mut DbConn,
    employer: &Employer,
    request: &DeclarationRequest,
    submitted_by: &str,
    now: Timestamp,
) -> Result<Declaration, AppError> {
    let month = Month::parse(&request.month)
        .ok_or_else(|| AppError::invalid("month", FieldCode::MonthFormat))?;
    if month > Month::of(now.date()) {
        return Err(AppError::invalid("month", FieldCode::DateInFuture));
    }
    if request.workers.len() > MAX_WORKERS {
        return Err(AppError::invalid("workers", FieldCode::TooLong));
    }
    let policy = Policy::load(conn)?
        .at(month.first_day())
        .map_err(|_| AppError::invalid("month", FieldCode::NoPolicyForDate))?;
    let region = Region::new(employer.region).ok_or_else(|| {
        anyhow::anyhow!(
            "employer {} has region {}",
            employer.unit_code,
            employer.region
        )
    })?;

    store::lock_employer(conn, &employer.id)?;
    let si_codes: Vec<&str> = request
        .workers
        .iter()
        .filter_map(|w| w.si_code.as_deref())
        .collect();
    let personal_ids: Vec<&str> = request
        .workers
        .iter()
        .filter_map(|w| w.personal_id.as_deref())
        .collect();
    let known = store::people_named(conn, &si_codes, &personal_ids)?;
    let by_si_code: HashMap<&str, &store::Named> =
        known.iter().map(|p| (p.si_code.as_str(), p)).collect();
    let by_personal_id: HashMap<&str, &store::Named> = known
        .iter()
        .filter_map(|p| Some((p.personal_id.as_deref()?, p)))
        .collect();
    let mut declared: HashSet<&str> = HashSet::new();

    let mut errors = Vec::new();
    let mut lines: Vec<(String, DeclaredWorker)> = Vec::new();
    for (i, worker) in request.workers.iter().enumerate() {
        let at = |field: &str| format!("workers[{i}].{field}");
        let person = match (&worker.si_code, &worker.personal_id) {
            (Some(code), _) if !is_si_code(code) => {
                errors.push(FieldError::new(at("si_code"), FieldCode::InvalidFormat));
                None
            }
            (Some(code), _) => {
                let found = by_si_code.get(code.as_str()).copied();
                if found.is_none() {
                    errors.push(FieldError::new(at("si_code"), FieldCode::UnknownWorker));
                }
                found
            }
            (None, Some(id)) => {
                let found = by_personal_id.get(id.as_str()).copied();
                if found.is_none() {
                    errors.push(FieldError::new(at("personal_id"), FieldCode::UnknownWorker));
                }
                found
            }
            (None, None) => {
                errors.push(FieldError::new(at("si_code"), FieldCode::Required));
                None
            }
        };
        if worker.salary <= 0 {
            errors.push(FieldError::new(at("salary"), FieldCode::NotPositive));
        } else if rules::check_salary(worker.salary, region, &policy).is_err() {
            errors.push(FieldError::new(
                at("salary"),
                FieldCode::SalaryBelowMinimumWage,
            ));
        }
        let Some(person) = person else {
            continue;
        };
        let person_id = &person.id;
        if !declared.insert(person_id.as_str()) {
            errors.push(FieldError::new(
                format!("workers[{i}]"),
                FieldCode::DuplicateWorker,
            ));
            continue;
        }
        let funds = rules::compulsory(worker.salary, region, &policy);
        lines.push((
            person_id.clone(),
            DeclaredWorker {
                si_code: person.si_code.clone(),
                full_name: person.full_name.clone(),
                salary: worker.salary,
                employee_share: funds.employee(),
                employer_share: funds.employer(),
                funds,
            },
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let total_employee: i64 = lines.iter().map(|(_, l)| l.employee_share).sum();
    let total_employer: i64 = lines.iter().map(|(_, l)| l.employer_share).sum();
    let id = uuid::Uuid::now_v7().to_string();
    let version = store::latest_version(conn, &employer.id, month)? + 1;
    let workers: Vec<DeclaredWorker> = lines.iter().map(|(_, l)| l.clone()).collect();
    let recorded = serde_json::to_string(&workers).map_err(anyhow::Error::from)?;
    store::insert_declaration(
        conn,
        &id,
        &employer.id,
        month,
        version,
        submitted_by,
        &recorded,
        (total_employee, total_employer),
        now,
    )?;
    let rows: Vec<store::NewMonth<'_>> = lines
        .iter()
        .map(|(person_id, l)| {
            store::NewMonth::compulsory(
                person_id,
                &employer.id,
                Some(&id),
                month,
                l.salary,
                &l.funds,
            )
        })
        .collect();
    store::replace_months(
        conn,
        &employer.id,
        month,
        &rows,
        total_employee + total_employer,
    )?;
    let person_ids: Vec<&str> = lines.iter().map(|(p, _)| p.as_str()).collect();
    store::ensure_employment(conn, &employer.id, &person_ids, month)?;
    store::reallocate(conn, &employer.id)?;
    Ok(Declaration {
        id,
        unit_code: employer.unit_code.clone(),
        month,
        version,
        workers,
        total_employee,
        total_employer,
        total_due: total_employee + total_employer,
        due_date: rules::due_date(month),
    })
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// VND received.
    #[schema(example = 16_380_000, minimum = 1)]
    pub amount: i64,
    /// The day the money reached the fund, `YYYY-MM-DD`.
    #[schema(example = "2026-09-25", format = Date)]
    pub paid_on: String,
    /// The bank transfer's reference.
    #[schema(example = "UNC-2026-0925-001", min_length = 1, max_length = 100)]
    pub reference: String,
}

/// How much of a payment went to one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct Allocation {
    pub month: Month,
    pub amount: i64,
    /// The month is now fully paid.
    pub settled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Payment {
    pub id: String,
    pub amount: i64,
    #[schema(format = Date)]
    pub paid_on: NaiveDate,
    pub reference: String,
    /// Oldest month first.
    pub allocations: Vec<Allocation>,
    /// Payments beyond everything declared so far, kept for the next months.
    pub credit: i64,
}

pub fn record_payment(
    conn: &mut DbConn,
    employer: &Employer,
    request: &PaymentRequest,
    now: Timestamp,
) -> Result<Payment, AppError> {
    let mut errors = Vec::new();
    if request.amount <= 0 {
        errors.push(FieldError::new("amount", FieldCode::NotPositive));
    }
    let paid_on = match NaiveDate::parse_from_str(&request.paid_on, "%Y-%m-%d") {
        Ok(day) if day > now.date() => {
            errors.push(FieldError::new("paid_on", FieldCode::DateInFuture));
            day
        }
        Ok(day) => day,
        Err(_) => {
            errors.push(FieldError::new("paid_on", FieldCode::DateFormat));
            now.date()
        }
    };
    let reference = request.reference.trim();
    if reference.is_empty() {
        errors.push(FieldError::new("reference", FieldCode::Required));
    } else if reference.chars().count() > 100 {
        errors.push(FieldError::new("reference", FieldCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    store::lock_employer(conn, &employer.id)?;
    let id = uuid::Uuid::now_v7().to_string();
    store::insert_payment(
        conn,
        &id,
        &employer.id,
        request.amount,
        paid_on,
        reference,
        now,
    )?;
    let changes = store::reallocate(conn, &employer.id)?;
    let account = store::account(conn, &employer.id)?;
    let allocations: Vec<Allocation> = changes
        .iter()
        .filter(|(_, before, after)| after > before)
        .map(|&(month, before, after)| Allocation {
            month: Month::of(month),
            amount: after - before,
            settled: account.iter().any(|m| m.month == month && m.paid >= m.due),
        })
        .collect();
    let total_paid: i64 = store::payments(conn, &employer.id)?
        .iter()
        .map(|p| p.1)
        .sum();
    let total_allocated: i64 = account.iter().map(|m| m.paid).sum();
    Ok(Payment {
        id,
        amount: request.amount,
        paid_on,
        reference: reference.to_owned(),
        allocations,
        credit: total_paid - total_allocated,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwedMonth {
    pub month: Month,
    pub due: i64,
    pub paid: i64,
    pub outstanding: i64,
    #[schema(format = Date)]
    pub due_date: NaiveDate,
    pub days_late: i64,
    /// Late-payment interest to date: 0.03% of the outstanding amount per day late.
    pub interest: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Arrears {
    pub unit_code: String,
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    /// Oldest first.
    pub months: Vec<OwedMonth>,
    pub total_outstanding: i64,
    pub total_interest: i64,
    /// Legal basis of the interest rate.
    pub interest_basis: String,
}

pub fn arrears(
    conn: &mut DbConn,
    employer: &Employer,
    today: NaiveDate,
) -> Result<Arrears, AppError> {
    let policy = Policy::load(conn)?;
    let rates = policy.history("late_interest_daily");
    let interest_basis = policy
        .row("late_interest_daily", today)
        .map(|row| row.legal_basis.clone())
        .unwrap_or_default();
    let months: Vec<OwedMonth> = store::account(conn, employer.id.as_str())?
        .into_iter()
        .filter(|m| m.paid < m.due && today > m.due_date)
        .map(|m| {
            let outstanding = m.due - m.paid;
            OwedMonth {
                month: Month::of(m.month),
                due: m.due,
                paid: m.paid,
                outstanding,
                due_date: m.due_date,
                days_late: (today - m.due_date).num_days(),
                interest: rules::late_interest(outstanding, m.due_date, today, &rates),
            }
        })
        .collect();
    Ok(Arrears {
        unit_code: employer.unit_code.clone(),
        as_of: today,
        total_outstanding: months.iter().map(|m| m.outstanding).sum(),
        total_interest: months.iter().map(|m| m.interest).sum(),
        months,
        interest_basis,
    })
}

/// A paid voluntary month for the book (from a voluntary SI instalment).
pub struct VoluntaryMonth {
    pub month: Month,
    pub income: i64,
    /// 22% of the income, all of it to the pension and survivorship fund.
    pub gross: i64,
    pub state_support: i64,
    pub due_date: NaiveDate,
    pub paid_on: NaiveDate,
}

/// Puts paid voluntary months into the person's book (inside the caller's transaction).
pub fn record_voluntary(
    conn: &mut DbConn,
    person_id: &str,
    months: &[VoluntaryMonth],
) -> Result<(), AppError> {
    let rows: Vec<_> = months
        .iter()
        .map(|m| {
            store::NewMonth::voluntary(
                person_id,
                m.month.first_day(),
                m.income,
                m.gross,
                m.state_support,
                m.due_date,
                m.paid_on,
            )
        })
        .collect();
    store::insert_months(conn, &rows)?;
    Ok(())
}
