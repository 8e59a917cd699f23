//! The queries behind the statistics. Each one aggregates in SQL (`GROUP BY`, `COUNT`, `SUM`)
//! so the database returns one row per province, scheme, kind or debtor, never one per
//! person or contribution month. The one exception is decision times (one row per submitted
//! claim, two timestamps): a percentile needs the distribution, and whole-day differences of
//! timestamps cannot be written the same way on SQLite and PostgreSQL.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::dsl::{count, count_star, min, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{
    accounts, claim_events, claims, contribution_months, coverage_targets, employer_months,
    employers, enrolment_members, enrolments,
};
use crate::insurance_book::model::Month;

use super::rules;

/// One count of participants: a scheme in a province (a current province code, or
/// [`rules::UNKNOWN_PROVINCE`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvinceCount {
    pub scheme: &'static str,
    pub province: &'static str,
    pub people: i64,
}

/// Participants of one month: each scheme's total and its split by province.
#[derive(Clone, Debug, Default)]
pub struct Participation {
    /// (scheme, distinct people) for every scheme in [`super::SCHEMES`] order.
    pub totals: Vec<(&'static str, i64)>,
    pub by_province: Vec<ProvinceCount>,
}

/// The instant a Vietnam calendar month starts, in UTC as stored.
fn month_start(month: Month) -> Timestamp {
    month.first_day().and_time(chrono::NaiveTime::MIN)
        - chrono::Duration::hours(crate::clock::VIETNAM_OFFSET_HOURS)
}

/// Who took part in each scheme in `month`, and where.
///
/// - Compulsory SI: people with a compulsory contribution month declared for `month`
///   (paid or not: the employer declared them), in the province of that employer. A person
///   declared by employers in two provinces counts once in each, and once in the total.
/// - Voluntary SI: registrations approved by the end of `month` (and not stopped before it)
///   whose cover started by `month`.
///   The portal holds no address for them, so the province is the one their citizen ID was
///   issued in (its digits 2–3, the code the household card uses too), mapped to the merged
///   province; accounts without an ID count as unknown.
/// - Household HI: the members of such registrations, by the province of their own ID.
pub fn participants(conn: &mut DbConn, month: Month) -> QueryResult<Participation> {
    let first = month.first_day();
    let compulsory = contribution_months::table
        .filter(contribution_months::scheme.eq("compulsory"))
        .filter(contribution_months::month.eq(first));
    let compulsory_total: i64 = compulsory
        .select(count(contribution_months::person_id).aggregate_distinct())
        .first(conn)?;
    let compulsory_by_province: Vec<(String, i64)> = compulsory
        .inner_join(employers::table)
        .group_by(employers::province_code)
        .select((
            employers::province_code,
            count(contribution_months::person_id).aggregate_distinct(),
        ))
        .load(conn)?;

    let started = month_start(month.next());
    let stopped_after = month_start(month);
    let active = |kind: &'static str| {
        enrolments::kind
            .eq(kind)
            .and(enrolments::status.eq_any(["approved", "stopped"]))
            .and(enrolments::start_month.le(first))
            .and(enrolments::decided_at.lt(started))
            .and(
                enrolments::stopped_at
                    .is_null()
                    .or(enrolments::stopped_at.ge(stopped_after)),
            )
    };
    let voluntary_province = "substr(accounts.personal_id, 2, 2)";
    let voluntary_total: i64 = enrolments::table
        .filter(active("voluntary_si"))
        .select(count(enrolments::account_id).aggregate_distinct())
        .first(conn)?;
    let voluntary_by_province: Vec<(Option<String>, i64)> = enrolments::table
        .inner_join(accounts::table)
        .filter(active("voluntary_si"))
        .group_by(sql::<Nullable<Text>>(voluntary_province))
        .select((
            sql::<Nullable<Text>>(voluntary_province),
            count(enrolments::account_id).aggregate_distinct(),
        ))
        .load(conn)?;

    let member_province = "substr(enrolment_members.personal_id, 2, 2)";
    let household_total: i64 = enrolment_members::table
        .inner_join(enrolments::table)
        .filter(active("household_hi"))
        .select(count(enrolment_members::personal_id).aggregate_distinct())
        .first(conn)?;
    let household_by_province: Vec<(Option<String>, i64)> = enrolment_members::table
        .inner_join(enrolments::table)
        .filter(active("household_hi"))
        .group_by(sql::<Nullable<Text>>(member_province))
        .select((
            sql::<Nullable<Text>>(member_province),
            count(enrolment_members::personal_id).aggregate_distinct(),
        ))
        .load(conn)?;

    let mut by_province = Vec::new();
    let mut add = |scheme: &'static str, rows: Vec<(Option<String>, i64)>| {
        let mut merged: Vec<ProvinceCount> = Vec::new();
        for (code, people) in rows {
            let province = rules::current_province(code.as_deref().unwrap_or_default());
            match merged.iter_mut().find(|c| c.province == province) {
                Some(count) => count.people += people,
                None => merged.push(ProvinceCount {
                    scheme,
                    province,
                    people,
                }),
            }
        }
        by_province.extend(merged);
    };
    add(
        "compulsory_si",
        compulsory_by_province
            .into_iter()
            .map(|(code, n)| (Some(code), n))
            .collect(),
    );
    add("voluntary_si", voluntary_by_province);
    add("household_hi", household_by_province);
    Ok(Participation {
        totals: vec![
            ("compulsory_si", compulsory_total),
            ("voluntary_si", voluntary_total),
            ("household_hi", household_total),
        ],
        by_province,
    })
}

/// A coverage target as stored.
#[derive(Clone, Debug, Queryable)]
pub struct Target {
    pub year: i32,
    pub scheme: String,
    pub target_people: i64,
    pub set_by: String,
    pub set_at: Timestamp,
    pub version: i32,
}

pub fn targets(conn: &mut DbConn, year: i32) -> QueryResult<Vec<Target>> {
    coverage_targets::table
        .filter(coverage_targets::year.eq(year))
        .order(coverage_targets::scheme)
        .load(conn)
}

pub fn target(conn: &mut DbConn, year: i32, scheme: &str) -> QueryResult<Option<Target>> {
    coverage_targets::table
        .find((year, scheme))
        .first(conn)
        .optional()
}

/// Claims that reached the agency (drafts left out), by kind and status.
pub fn claims_by_kind_and_status(conn: &mut DbConn) -> QueryResult<Vec<(String, String, i64)>> {
    claims::table
        .filter(claims::status.ne("draft"))
        .group_by((claims::kind, claims::status))
        .select((claims::kind, claims::status, count_star()))
        .order((claims::kind, claims::status))
        .load(conn)
}

/// A submitted claim with when it was first decided, if it was.
#[derive(Clone, Debug)]
pub struct ClaimTiming {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub submitted_at: Timestamp,
    pub decision_due: Option<NaiveDate>,
    /// The first `approved` or `rejected` event.
    pub decided_at: Option<Timestamp>,
}

/// A claim's id, kind, status, submission and deadline.
type SubmittedRow = (String, String, String, Option<Timestamp>, Option<NaiveDate>);

/// Every claim that was submitted (status other than draft), with its first decision.
pub fn claim_timings(conn: &mut DbConn) -> QueryResult<Vec<ClaimTiming>> {
    let decided: HashMap<String, Timestamp> = claim_events::table
        .filter(claim_events::status.eq_any(["approved", "rejected"]))
        .group_by(claim_events::claim_id)
        .select((claim_events::claim_id, min(claim_events::at)))
        .load::<(String, Option<Timestamp>)>(conn)?
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    let submitted: Vec<SubmittedRow> = claims::table
        .filter(claims::submitted_at.is_not_null())
        .filter(claims::status.ne("draft"))
        .select((
            claims::id,
            claims::kind,
            claims::status,
            claims::submitted_at,
            claims::decision_due,
        ))
        .order((claims::submitted_at, claims::id))
        .load(conn)?;
    Ok(submitted
        .into_iter()
        .filter_map(|(id, kind, status, submitted_at, decision_due)| {
            let decided_at = decided.get(&id).copied();
            Some(ClaimTiming {
                id,
                kind,
                status,
                submitted_at: submitted_at?,
                decision_due,
                decided_at,
            })
        })
        .collect())
}

/// An employer behind with its contributions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Debtor {
    pub name: String,
    pub tax_code: String,
    pub owed: i64,
    pub months: i64,
}

/// Employers' arrears on `today`: the same rule as an employer's own arrears
/// ([`crate::declarations::arrears`]): a month is owed when less than its due amount was paid
/// and its due date has passed.
#[derive(Clone, Debug, Default)]
pub struct ArrearsTotals {
    pub total_owed: i64,
    pub employers_owing: i64,
    pub months_owed: i64,
    /// The largest debts first (ties by tax code), at most `top`.
    pub top: Vec<Debtor>,
}

pub fn arrears(conn: &mut DbConn, today: NaiveDate, top: i64) -> QueryResult<ArrearsTotals> {
    let owing = employer_months::paid
        .lt(employer_months::due)
        .and(employer_months::due_date.lt(today));
    let outstanding =
        "CAST(COALESCE(SUM(employer_months.due - employer_months.paid), 0) AS BIGINT)";
    let (total_owed, employers_owing, months_owed): (i64, i64, i64) = employer_months::table
        .filter(owing)
        .select((
            sql::<BigInt>(outstanding),
            count(employer_months::employer_id).aggregate_distinct(),
            count_star(),
        ))
        .first(conn)?;
    let top: Vec<(String, String, i64, i64)> = employer_months::table
        .inner_join(employers::table.on(employers::id.eq(employer_months::employer_id)))
        .filter(owing)
        .group_by((employers::id, employers::name, employers::tax_code))
        .select((
            employers::name,
            employers::tax_code,
            sql::<BigInt>(outstanding),
            count_star(),
        ))
        .order((
            sql::<BigInt>("SUM(employer_months.due - employer_months.paid)").desc(),
            employers::tax_code,
        ))
        .limit(top)
        .load(conn)?;
    Ok(ArrearsTotals {
        total_owed,
        employers_owing,
        months_owed,
        top: top
            .into_iter()
            .map(|(name, tax_code, owed, months)| Debtor {
                name,
                tax_code,
                owed,
                months,
            })
            .collect(),
    })
}
