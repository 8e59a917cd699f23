//! Statistics (issue 7): participants by scheme and province, coverage against the targets
//! administrators enter, claims by kind and status, decision times and deadline breaches,
//! employers' arrears. Staff read them at `/admin/stats` (with CSV per table) and
//! `/api/v1/staff/statistics`; the public reads aggregate figures only (no names of people or
//! employers) at `/statistics` and `/api/v1/statistics`.

pub mod api;
pub mod charts;
pub mod figures;
pub mod pages;
pub mod rules;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::clock::{Timestamp, in_vietnam};
use crate::db::DbConn;
use crate::db::schema::coverage_targets;
use crate::error::{AppError, FieldCode};
use crate::insurance_book::model::Month;

pub use figures::Target;

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

/// The schemes counted, in the order they are shown. Compulsory SI, voluntary SI and household
/// HI are the ones the portal holds participants for.
pub const SCHEMES: [&str; 3] = ["compulsory_si", "voluntary_si", "household_hi"];

/// How many debtors the staff figures list.
const TOP_DEBTORS: i64 = 10;

/// Claim statuses before a decision: a claim in one of them past its deadline is a breach.
const UNDECIDED: [&str; 3] = ["submitted", "in_review", "info_requested"];

/// A scheme's participants against its target for the year.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsScheme)]
pub struct SchemeFigure {
    #[schema(example = "compulsory_si")]
    pub scheme: String,
    pub participants: i64,
    /// The year's target, when an administrator has set one.
    pub target: Option<i64>,
    /// Participants as a percentage of the target, rounded half up to one decimal.
    pub coverage_percent: Option<f64>,
}

/// Participants of each scheme in one province.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsProvince)]
pub struct ProvinceFigure {
    /// The 2-digit code of the province since 1 July 2025, or `unknown`.
    pub code: String,
    pub name: String,
    pub compulsory_si: i64,
    pub voluntary_si: i64,
    pub household_hi: i64,
}

/// Claims of one kind in one status.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsClaimCount)]
pub struct ClaimCount {
    pub kind: String,
    pub status: String,
    pub claims: i64,
}

/// Claims of one kind received and decided.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsClaimKind)]
pub struct KindFigure {
    pub kind: String,
    /// Submitted to the agency (withdrawn ones included).
    pub received: i64,
    /// Approved or rejected.
    pub decided: i64,
}

/// How long decisions took, from submission to the first approval or rejection.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
#[schema(as = StatsDecisionTime)]
pub struct DecisionTime {
    pub decided: i64,
    /// The mean, in days, rounded half up to one decimal.
    pub average_days: Option<f64>,
    /// The 90th percentile (nearest rank: 90% of decisions took at most this long), in days,
    /// rounded half up to one decimal.
    pub p90_days: Option<f64>,
    /// Decisions made by the legal deadline (on Vietnam's calendar), as a percentage of the
    /// decisions that had one, rounded half up to one decimal.
    pub within_deadline_percent: Option<f64>,
}

/// A claim decided after its legal deadline, or still undecided past it.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsBreach)]
pub struct Breach {
    pub claim_id: String,
    pub kind: String,
    pub status: String,
    #[schema(format = Date)]
    pub decision_due: NaiveDate,
    /// When decided (Vietnam date); none while still undecided.
    #[schema(format = Date)]
    pub decided_on: Option<NaiveDate>,
    /// Days past the deadline: to the decision, or to today while undecided.
    pub days_late: i64,
}

/// An employer behind with its contributions (staff figures only).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsDebtor)]
pub struct Debtor {
    pub name: String,
    pub tax_code: String,
    /// Due minus paid over the months past their due date, in VND.
    pub owed: i64,
    pub months_owed: i64,
}

/// Employers' arrears today.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StatsArrears)]
pub struct ArrearsFigure {
    pub total_owed: i64,
    pub employers_owing: i64,
    pub months_owed: i64,
    /// The ten largest debts, largest first.
    pub top_debtors: Vec<Debtor>,
}

/// Every figure, for staff.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StaffStatistics)]
pub struct StaffStatistics {
    /// The month participants are counted in.
    pub month: Month,
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub schemes: Vec<SchemeFigure>,
    pub provinces: Vec<ProvinceFigure>,
    pub claims: Vec<ClaimCount>,
    pub claims_by_kind: Vec<KindFigure>,
    pub decision_time: DecisionTime,
    pub breaches: Vec<Breach>,
    pub arrears: ArrearsFigure,
}

/// The public figures: aggregates only, no names of people or employers.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = PublicStatistics)]
pub struct PublicStatistics {
    pub month: Month,
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub schemes: Vec<SchemeFigure>,
    pub provinces: Vec<ProvinceFigure>,
    pub claims_by_kind: Vec<KindFigure>,
    pub decision_time: DecisionTime,
    /// What employers owe in total, in VND.
    pub total_arrears: i64,
}

/// The last month that has ended, in Vietnam: the default month of the figures.
pub fn last_complete_month(now: Timestamp) -> Month {
    Month::of(in_vietnam(now).date()).minus(1)
}

/// The staff figures for `month` (default: the last complete month).
pub async fn staff_figures(
    state: &AppState,
    month: Option<Month>,
) -> Result<StaffStatistics, AppError> {
    let now = state.clock.now();
    let month = month.unwrap_or_else(|| last_complete_month(now));
    let today = in_vietnam(now).date();
    state
        .db
        .read(move |conn| staff_figures_in(conn, month, today))
        .await
}

fn staff_figures_in(
    conn: &mut DbConn,
    month: Month,
    today: NaiveDate,
) -> Result<StaffStatistics, AppError> {
    let schemes_and_provinces = participation(conn, month)?;
    let claims = figures::claims_by_kind_and_status(conn)?
        .into_iter()
        .map(|(kind, status, claims)| ClaimCount {
            kind,
            status,
            claims,
        })
        .collect();
    let timings = figures::claim_timings(conn)?;
    let arrears = figures::arrears(conn, today, TOP_DEBTORS)?;
    Ok(StaffStatistics {
        month,
        as_of: today,
        schemes: schemes_and_provinces.0,
        provinces: schemes_and_provinces.1,
        claims,
        claims_by_kind: by_kind(&timings),
        decision_time: decision_time(&timings),
        breaches: breaches(&timings, today),
        arrears: ArrearsFigure {
            total_owed: arrears.total_owed,
            employers_owing: arrears.employers_owing,
            months_owed: arrears.months_owed,
            top_debtors: arrears
                .top
                .into_iter()
                .map(|d| Debtor {
                    name: d.name,
                    tax_code: d.tax_code,
                    owed: d.owed,
                    months_owed: d.months,
                })
                .collect(),
        },
    })
}

/// The public figures for the last complete month.
pub async fn public_figures(state: &AppState) -> Result<PublicStatistics, AppError> {
    let now = state.clock.now();
    let month = last_complete_month(now);
    let today = in_vietnam(now).date();
    state
        .db
        .read(move |conn| {
            let (schemes, provinces) = participation(conn, month)?;
            let timings = figures::claim_timings(conn)?;
            let arrears = figures::arrears(conn, today, 0)?;
            Ok(PublicStatistics {
                month,
                as_of: today,
                schemes,
                provinces,
                claims_by_kind: by_kind(&timings),
                decision_time: decision_time(&timings),
                total_arrears: arrears.total_owed,
            })
        })
        .await
}

fn participation(
    conn: &mut DbConn,
    month: Month,
) -> Result<(Vec<SchemeFigure>, Vec<ProvinceFigure>), AppError> {
    let counted = figures::participants(conn, month)?;
    let year = chrono::Datelike::year(&month.first_day());
    let targets = figures::targets(conn, year)?;
    let schemes = counted
        .totals
        .iter()
        .map(|(scheme, participants)| {
            let target = targets
                .iter()
                .find(|t| t.scheme == *scheme)
                .map(|t| t.target_people);
            SchemeFigure {
                scheme: (*scheme).to_owned(),
                participants: *participants,
                target,
                coverage_percent: target
                    .and_then(|t| rules::share_tenths(*participants, t))
                    .map(rules::tenths_as_decimal),
            }
        })
        .collect();
    // Provinces in code order, the unknown bucket last.
    let mut codes: Vec<&str> = counted.by_province.iter().map(|c| c.province).collect();
    codes.sort_by_key(|c| (*c == rules::UNKNOWN_PROVINCE, *c));
    codes.dedup();
    let provinces = codes
        .into_iter()
        .map(|code| {
            let count = |scheme: &str| {
                counted
                    .by_province
                    .iter()
                    .filter(|c| c.province == code && c.scheme == scheme)
                    .map(|c| c.people)
                    .sum()
            };
            ProvinceFigure {
                code: code.to_owned(),
                name: rules::province_name(code).to_owned(),
                compulsory_si: count("compulsory_si"),
                voluntary_si: count("voluntary_si"),
                household_hi: count("household_hi"),
            }
        })
        .collect();
    Ok((schemes, provinces))
}

/// Claims received and decided per kind, in kind order.
fn by_kind(timings: &[figures::ClaimTiming]) -> Vec<KindFigure> {
    let mut kinds: Vec<KindFigure> = Vec::new();
    for t in timings {
        let decided = i64::from(t.decided_at.is_some());
        match kinds.iter_mut().find(|k| k.kind == t.kind) {
            Some(k) => {
                k.received += 1;
                k.decided += decided;
            }
            None => kinds.push(KindFigure {
                kind: t.kind.clone(),
                received: 1,
                decided,
            }),
        }
    }
    kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
    kinds
}

/// The Vietnam date of a stored instant.
fn vietnam_date(at: Timestamp) -> NaiveDate {
    in_vietnam(at).date()
}

fn decision_time(timings: &[figures::ClaimTiming]) -> DecisionTime {
    let seconds: Vec<i64> = timings
        .iter()
        .filter_map(|t| Some((t.decided_at? - t.submitted_at).num_seconds().max(0)))
        .collect();
    let with_deadline: Vec<bool> = timings
        .iter()
        .filter_map(|t| Some(vietnam_date(t.decided_at?) <= t.decision_due?))
        .collect();
    let on_time = with_deadline.iter().filter(|on_time| **on_time).count();
    let (average, p90) = rules::decision_days(&seconds);
    DecisionTime {
        decided: seconds.len() as i64,
        average_days: average.map(rules::tenths_as_decimal),
        p90_days: p90.map(rules::tenths_as_decimal),
        within_deadline_percent: rules::share_tenths(on_time as i64, with_deadline.len() as i64)
            .map(rules::tenths_as_decimal),
    }
}

/// Claims decided after their deadline, or undecided past it on `today` (Vietnam dates),
/// the longest overdue first.
fn breaches(timings: &[figures::ClaimTiming], today: NaiveDate) -> Vec<Breach> {
    let mut found: Vec<Breach> = timings
        .iter()
        .filter_map(|t| {
            let due = t.decision_due?;
            let decided_on = t.decided_at.map(vietnam_date);
            let until = match decided_on {
                Some(day) => day,
                None if UNDECIDED.contains(&t.status.as_str()) => today,
                None => return None,
            };
            (until > due).then(|| Breach {
                claim_id: t.id.clone(),
                kind: t.kind.clone(),
                status: t.status.clone(),
                decision_due: due,
                decided_on,
                days_late: (until - due).num_days(),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.days_late
            .cmp(&a.days_late)
            .then_with(|| a.claim_id.cmp(&b.claim_id))
    });
    found
}

/// What a change of a target was made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The form showed no target yet (a page with an empty `version`).
    Absent,
    /// The target at this version (`If-Match`, or the page's `version`).
    Version(i64),
    /// Nothing said (an API call without `If-Match`): fine for a new target only.
    Unstated,
}

/// A target as typed: the year, the scheme and the number of people.
pub struct NewTarget {
    pub year: i32,
    pub scheme: &'static str,
    pub people: i64,
}

impl NewTarget {
    /// Checks the year (2000–2100), the scheme (one of [`SCHEMES`]) and the number (1 to
    /// 200 million, more than Vietnam's population).
    pub fn parse(year: i64, scheme: &str, people: i64) -> Result<Self, AppError> {
        let scheme = SCHEMES
            .into_iter()
            .find(|s| *s == scheme)
            .ok_or_else(|| AppError::invalid("scheme", FieldCode::InvalidFormat))?;
        let year = i32::try_from(year)
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::OutOfBounds {
                field: "year".into(),
                min: 2000,
                max: 2100,
            })?;
        if !(1..=200_000_000).contains(&people) {
            return Err(AppError::OutOfBounds {
                field: "target_people".into(),
                min: 1,
                max: 200_000_000,
            });
        }
        Ok(Self {
            year,
            scheme,
            people,
        })
    }
}

/// Sets a coverage target, audited as `coverage_target.set`. An existing target changes only
/// from the version the caller saw (`UPDATE ... WHERE version = expected`): of two concurrent
/// changes one wins and the other gets [`AppError::Stale`].
pub fn set_target(
    conn: &mut DbConn,
    new: &NewTarget,
    expected: Expected,
    actor: &Actor,
    now: Timestamp,
) -> Result<Target, AppError> {
    let existing = figures::target(conn, new.year, new.scheme)?;
    let previous = existing.as_ref().map(|t| t.target_people);
    match (&existing, expected) {
        (Some(_), Expected::Unstated) => return Err(AppError::PreconditionRequired),
        (Some(_), Expected::Absent) | (None, Expected::Version(_)) => {
            return Err(AppError::Stale);
        }
        (Some(_), Expected::Version(version)) => {
            let version = i32::try_from(version).map_err(|_| AppError::Stale)?;
            let rows = diesel::update(
                coverage_targets::table
                    .find((new.year, new.scheme))
                    .filter(coverage_targets::version.eq(version)),
            )
            .set((
                coverage_targets::target_people.eq(new.people),
                coverage_targets::set_by.eq(&actor.id),
                coverage_targets::set_at.eq(now),
                coverage_targets::version.eq(version + 1),
            ))
            .execute(conn)?;
            crate::web::concurrency::bumped(rows, true)?;
        }
        (None, _) => {
            let inserted = diesel::insert_into(coverage_targets::table)
                .values((
                    coverage_targets::year.eq(new.year),
                    coverage_targets::scheme.eq(new.scheme),
                    coverage_targets::target_people.eq(new.people),
                    coverage_targets::set_by.eq(&actor.id),
                    coverage_targets::set_at.eq(now),
                    coverage_targets::version.eq(1),
                ))
                .execute(conn);
            match inserted {
                // Someone set it between the read and the insert.
                Err(error) if crate::db::is_unique_violation(&error) => {
                    return Err(AppError::Stale);
                }
                other => {
                    other?;
                }
            }
        }
    }
    let event = actor.event(
        "coverage_target.set",
        format!("coverage_target:{}/{}", new.year, new.scheme),
        serde_json::json!({
            "year": new.year, "scheme": new.scheme,
            "target_people": new.people, "previous": previous,
        }),
    );
    audit::record(conn, now.and_utc(), &event)?;
    figures::target(conn, new.year, new.scheme)?.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn timing(
        id: &str,
        status: &str,
        submitted: &str,
        due: &str,
        decided: Option<&str>,
    ) -> figures::ClaimTiming {
        figures::ClaimTiming {
            id: id.into(),
            kind: "sickness".into(),
            status: status.into(),
            submitted_at: at(submitted),
            decision_due: NaiveDate::parse_from_str(due, "%Y-%m-%d").ok(),
            decided_at: decided.map(at),
        }
    }

    #[test]
    fn breaches_are_late_decisions_and_overdue_open_claims_in_vietnam_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let timings = [
            // Decided 10 Nov 18:00 UTC = 11 Nov in Vietnam: one day late.
            timing(
                "a",
                "approved",
                "2026-11-01 08:00",
                "2026-11-10",
                Some("2026-11-10 18:00"),
            ),
            // Decided 10 Nov 16:00 UTC = 10 Nov 23:00 in Vietnam: on time.
            timing(
                "b",
                "rejected",
                "2026-11-01 08:00",
                "2026-11-10",
                Some("2026-11-10 16:00"),
            ),
            // Still in review, due 15 Nov: 5 days late today.
            timing("c", "in_review", "2026-11-01 08:00", "2026-11-15", None),
            // Withdrawn before a decision: no breach.
            timing("d", "withdrawn", "2026-11-01 08:00", "2026-11-02", None),
        ];
        let found = breaches(&timings, today);
        let ids: Vec<(&str, i64)> = found
            .iter()
            .map(|b| (b.claim_id.as_str(), b.days_late))
            .collect();
        assert_eq!(ids, [("c", 5), ("a", 1)]);
        let time = decision_time(&timings);
        assert_eq!(time.decided, 2);
        assert_eq!(time.within_deadline_percent, Some(50.0));
    }
}
