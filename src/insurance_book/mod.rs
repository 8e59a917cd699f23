//! The insurance book (sổ BHXH): a person's contribution months, per employer and fund, and
//! whether each employer actually paid. Citizens read their own book here; the figures come
//! from employers' declarations (`declarations`) and voluntary payments.

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
pub mod store;
pub mod timeline;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::model::Month;
use self::rules::{BookMonth, Funds, Payer, Period, Status};
use self::store::Person;
use crate::app::AppState;
use crate::error::{AppError, FieldCode, FieldError};

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// A person and their months.
pub struct Book {
    pub person: Person,
    pub months: Vec<BookMonth>,
}

/// The longest range one request may ask for.
const MAX_RANGE_MONTHS: i32 = 50 * 12;

/// `?from=YYYY-MM&to=YYYY-MM`, both optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First month, `YYYY-MM`; the start of the record when absent.
    #[param(example = "2020-01", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub from: Option<String>,
    /// Last month, `YYYY-MM`; the end of the record when absent.
    #[param(example = "2026-12", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub to: Option<String>,
}

impl Range {
    pub fn parse(&self) -> Result<(Option<Month>, Option<Month>), AppError> {
        let mut errors = Vec::new();
        let mut month = |field: &str, text: &Option<String>| match text.as_deref() {
            None => None,
            Some(text) => {
                let parsed = Month::parse(text);
                if parsed.is_none() {
                    errors.push(FieldError::new(field, FieldCode::MonthFormat));
                }
                parsed
            }
        };
        let (from, to) = (month("from", &self.from), month("to", &self.to));
        if let (Some(from), Some(to)) = (from, to)
            && !(0..MAX_RANGE_MONTHS).contains(&from.months_until(to))
        {
            errors.push(FieldError::new("to", FieldCode::InvalidRange));
        }
        if errors.is_empty() {
            Ok((from, to))
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}

/// The book of the person with `personal_id` (a citizen account's), within the range.
/// `None` when no insurance record carries that personal ID.
pub async fn book_of(
    state: &AppState,
    personal_id: Option<String>,
    from: Option<Month>,
    to: Option<Month>,
) -> Result<Option<Book>, AppError> {
    let Some(personal_id) = personal_id else {
        return Ok(None);
    };
    state
        .db
        .read(move |conn| {
            let Some(person) = store::person_by_personal_id(conn, &personal_id)? else {
                return Ok(None);
            };
            let months = store::months_of(conn, &person.id, from, to)?;
            Ok(Some(Book { person, months }))
        })
        .await
}

/// One month as the citizen sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionMonth {
    pub month: Month,
    /// `compulsory` (paid by an employer) or `voluntary`.
    #[schema(example = "compulsory")]
    pub scheme: &'static str,
    /// Absent for voluntary months.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<Payer>,
    /// The salary (or chosen income) contributions are computed on, VND.
    #[schema(example = 15_000_000)]
    pub salary_basis: i64,
    pub funds: Funds,
    /// The worker's share of the month, VND.
    pub employee_share: i64,
    /// The employer's share of the month, VND.
    pub employer_share: i64,
    /// State support towards voluntary contributions, VND.
    pub state_support: i64,
    pub status: Status,
    /// The payer's deadline for the month.
    #[schema(format = Date)]
    pub due_date: NaiveDate,
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<NaiveDate>,
}

impl ContributionMonth {
    pub fn of(m: &BookMonth, today: NaiveDate) -> Self {
        Self {
            month: m.month,
            scheme: if m.employer.is_some() {
                "compulsory"
            } else {
                "voluntary"
            },
            employer: m.employer.clone(),
            salary_basis: m.salary_basis,
            funds: m.funds,
            employee_share: m.funds.employee(),
            employer_share: m.funds.employer(),
            state_support: m.state_support,
            status: rules::status(m.paid_on, m.due_date, today),
            due_date: m.due_date,
            paid_on: m.paid_on,
        }
    }
}

/// A month the payer has not paid after its deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnpaidMonth {
    pub month: Month,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<Payer>,
    pub employee_share: i64,
    pub employer_share: i64,
    #[schema(format = Date)]
    pub due_date: NaiveDate,
    pub days_late: i64,
}

/// The book at a glance, grouped like the printed SI book.
#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    #[schema(example = "0123456789")]
    pub si_code: String,
    pub full_name: String,
    /// The day the statuses were computed for.
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub periods: Vec<Period>,
    /// Paid months with pension contributions (two jobs in one month count once).
    pub si_months: u32,
    /// Paid months with unemployment-insurance contributions.
    pub ui_months: u32,
    /// First month of the current continuous health cover (gaps of up to 3 months allowed);
    /// absent when there is no current cover from contributions.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hi_continuous_since: Option<Month>,
    /// Months owed by a payer after the deadline, oldest first.
    pub unpaid: Vec<UnpaidMonth>,
}

pub fn summary(book: &Book, today: NaiveDate) -> Summary {
    let unpaid = book
        .months
        .iter()
        .filter(|m| rules::status(m.paid_on, m.due_date, today) == Status::Owed)
        .map(|m| UnpaidMonth {
            month: m.month,
            employer: m.employer.clone(),
            employee_share: m.funds.employee(),
            employer_share: m.funds.employer(),
            due_date: m.due_date,
            days_late: (today - m.due_date).num_days(),
        })
        .collect();
    Summary {
        si_code: book.person.si_code.clone(),
        full_name: book.person.full_name.clone(),
        as_of: today,
        periods: rules::periods(&book.months, today),
        si_months: rules::paid_months(&book.months, Funds::pays_pension),
        ui_months: rules::paid_months(&book.months, Funds::pays_unemployment),
        hi_continuous_since: rules::hi_continuous_since(&book.months, today),
        unpaid,
    }
}

/// The book as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs pick the
/// encoding), one row per month.
pub fn csv(book: &Book, today: NaiveDate, headers: &[&str; 12]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&headers.map(csv_field).join(","));
    out.push_str("\r\n");
    for m in &book.months {
        let view = ContributionMonth::of(m, today);
        let (unit, name) = match &m.employer {
            Some(p) => (p.unit_code.as_str(), p.name.as_str()),
            None => ("", ""),
        };
        let f = &m.funds;
        let row = [
            m.month.to_string(),
            view.scheme.to_owned(),
            unit.to_owned(),
            name.to_owned(),
            m.salary_basis.to_string(),
            (f.pension_employee + f.pension_employer).to_string(),
            f.sickness_employer.to_string(),
            f.accident_employer.to_string(),
            (f.unemployment_employee + f.unemployment_employer).to_string(),
            (f.health_employee + f.health_employer).to_string(),
            serde_json::to_value(view.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            m.paid_on.map(|d| d.to_string()).unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(csv_field).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a CSV field when needed; a leading `=`, `+`, `-` or `@` is neutralised so a
/// spreadsheet does not run it as a formula.
fn csv_field(value: impl AsRef<str>) -> String {
    let value = value.as_ref();
    let value = if value.starts_with(['=', '+', '-', '@']) && value.parse::<i64>().is_err() {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("Công ty A, B"), "\"Công ty A, B\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-5"), "-5");
    }

    #[test]
    fn ranges_must_be_months_in_order() {
        let range = |from: &str, to: &str| {
            Range {
                from: Some(from.into()),
                to: Some(to.into()),
            }
            .parse()
        };
        assert!(range("2020-01", "2020-01").is_ok());
        assert!(matches!(
            range("2020-02", "2020-01"),
            Err(AppError::Invalid(_))
        ));
        assert!(matches!(
            range("2020-13", "2021-01"),
            Err(AppError::Invalid(_))
        ));
        assert!(Range::default().parse().is_ok());
    }
}
