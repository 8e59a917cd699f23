//! `ansinh seed-scale --people N --years Y`: bulk synthetic records for benchmarks — N people
//! with Y years of monthly contributions each (one employer per stretch, salaries computed by
//! the real rules), a card each, and one 30-year citizen account to measure the history with.
//! Additive: a second run adds N more people, so a benchmark can grow the table tenfold.
//!
//! Fast because it writes in bulk, one transaction per thousand people: PostgreSQL
//! `COPY … FROM STDIN`, SQLite multi-row INSERTs; the figures for each month are computed
//! once, not once per row.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::book::Dice;
use crate::accounts::store::{NewAccount, insert_account};
use crate::clock::Timestamp;
use crate::db::schema::{accounts, contribution_months, employers, health_cards, people};
use crate::db::{Db, DbConn};
use crate::declarations::store::NewMonth;
use crate::insurance_book::model::Month;
use crate::insurance_book::rules;
use crate::policy::{Policy, PolicyAt, Region};

/// The account whose 30-year history the benchmark reads (password as the demo citizen's).
pub const BENCH_LOGIN: &str = "bench@scale.ansinh.vn";
const BENCH_PERSONAL_ID: &str = "099080000001";
const BENCH_SI_CODE: &str = "9900000001";
const EMPLOYERS: u32 = 100;
const CHUNK: u32 = 1_000;

#[derive(Insertable)]
#[diesel(table_name = people)]
struct NewPerson {
    id: String,
    si_code: String,
    personal_id: Option<String>,
    full_name: String,
    birth_date: NaiveDate,
    sex: &'static str,
    created_at: Timestamp,
}

#[derive(Insertable)]
#[diesel(table_name = health_cards)]
struct NewCard {
    id: String,
    person_id: String,
    card_code: String,
    object_code: &'static str,
    benefit_level: i32,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    facility_code: &'static str,
    facility_name: &'static str,
    five_year_date: Option<NaiveDate>,
    issued_at: Timestamp,
}

/// Seeds and reports what it did.
pub fn seed(db: &Db, people_count: u32, years: u32, now: Timestamp) -> anyhow::Result<String> {
    let started = Instant::now();
    let mut conn = db.connection()?;
    let conn: &mut DbConn = &mut conn;
    let policy = Policy::load(conn)?;
    let mut figures = Figures {
        policy: &policy,
        by_month: HashMap::new(),
    };
    let employer_ids = ensure_employers(conn, now)?;
    let offset: i64 = people::table.count().get_result(conn)?;
    let last = Month::of(now.date()).minus(1);
    let mut months_written = 0u64;
    let mut done = 0u32;
    while done < people_count {
        let batch = CHUNK.min(people_count - done);
        months_written += conn.transaction(|conn| {
            let first = offset as u64 + u64::from(done);
            write_people(
                conn,
                &mut figures,
                &employer_ids,
                first,
                batch,
                years,
                last,
                now,
            )
        })?;
        done += batch;
        if done.is_multiple_of(10_000) || done == people_count {
            eprintln!(
                "seed-scale: {done}/{people_count} people, {months_written} months, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let bench = conn
        .transaction(|conn| ensure_bench_account(conn, &mut figures, &employer_ids, last, now))?;
    if let DbConn::Postgres(pg) = conn {
        // Fresh statistics, so the planner uses the per-person indexes at once.
        diesel::sql_query("ANALYZE").execute(pg)?;
    }
    Ok(format!(
        "seeded {people_count} people × {years} years = {months_written} contribution months in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if bench {
            format!("; benchmark login {BENCH_LOGIN} (30 years)")
        } else {
            String::new()
        }
    ))
}

fn ensure_employers(conn: &mut DbConn, now: Timestamp) -> anyhow::Result<Vec<(String, Region)>> {
    let mut out = Vec::new();
    for i in 1..=EMPLOYERS {
        let unit_code = format!("SC{i:04}X");
        let region_number = 1 + (i % 4) as i32;
        let existing: Option<String> = employers::table
            .filter(employers::unit_code.eq(&unit_code))
            .select(employers::id)
            .first(conn)
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                diesel::insert_into(employers::table)
                    .values((
                        employers::id.eq(&id),
                        employers::unit_code.eq(&unit_code),
                        employers::tax_code.eq(format!("09{i:08}")),
                        employers::name.eq(format!("Synthetic employer {i} (scale data)")),
                        employers::province_code.eq("79"),
                        employers::region.eq(region_number),
                        employers::created_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
        };
        let region = Region::new(region_number).ok_or_else(|| anyhow::anyhow!("region"))?;
        out.push((id, region));
    }
    Ok(out)
}

/// The figures of each month, computed once. Months before the earliest loaded parameters
/// use the earliest (synthetic data; historical rates before 2020 are not loaded).
struct Figures<'p> {
    policy: &'p Policy,
    by_month: HashMap<Month, PolicyAt>,
}

impl Figures<'_> {
    fn at(&mut self, month: Month) -> anyhow::Result<&PolicyAt> {
        if !self.by_month.contains_key(&month) {
            let floor = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
            let at = self.policy.at(month.first_day().max(floor))?;
            self.by_month.insert(month, at);
        }
        self.by_month
            .get(&month)
            .ok_or_else(|| anyhow::anyhow!("figures of {month}"))
    }
}

/// Streams the rows into PostgreSQL with `COPY` (text format, table column order).
fn copy_months(pg: &mut diesel::PgConnection, months: &[NewMonth<'_>]) -> anyhow::Result<()> {
    let mut text = String::with_capacity(months.len() * 200);
    let opt = |v: Option<NaiveDate>| v.map_or_else(|| "\\N".to_owned(), |d| d.to_string());
    for m in months {
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            m.id,
            m.person_id,
            m.employer_id.unwrap_or("\\N"),
            m.scheme,
            m.month,
            m.salary_basis,
            m.pension_employee,
            m.pension_employer,
            m.sickness_employer,
            m.accident_employer,
            m.unemployment_employee,
            m.unemployment_employer,
            m.health_employee,
            m.health_employer,
            m.state_support,
            m.declaration_id.unwrap_or("\\N"),
            m.due_date,
            opt(m.paid_on),
        );
    }
    diesel::copy_from(contribution_months::table)
        .from_raw_data(
            contribution_months::table,
            |out: &mut dyn std::io::Write| {
                out.write_all(text.as_bytes())
                    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
            },
        )
        .execute(pg)?;
    Ok(())
}

/// One person's months: stretches of 2–8 years with one employer, salaries rising.
#[allow(clippy::too_many_arguments)]
fn months_for<'a>(
    person_id: &'a str,
    dice: &mut Dice,
    employers: &'a [(String, Region)],
    figures: &mut Figures<'_>,
    from: Month,
    last: Month,
    out: &mut Vec<NewMonth<'a>>,
) -> anyhow::Result<()> {
    let mut month = from;
    let mut salary = 5_500_000 + dice.below(30) as i64 * 500_000;
    while month <= last {
        let (employer_id, region) = &employers[dice.below(employers.len() as u64) as usize];
        let stretch = 24 + dice.below(72) as u32;
        for _ in 0..stretch {
            if month > last {
                break;
            }
            let at = figures.at(month)?;
            let salary = salary.max(at.minimum_wage(*region));
            let funds = rules::compulsory(salary, *region, at);
            let mut row = NewMonth::compulsory(person_id, employer_id, None, month, salary, &funds);
            row.paid_on = Some(row.due_date);
            out.push(row);
            month = month.next();
        }
        salary += dice.below(6) as i64 * 1_000_000;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_people(
    conn: &mut DbConn,
    figures: &mut Figures<'_>,
    employers: &[(String, Region)],
    first: u64,
    count: u32,
    years: u32,
    last: Month,
    now: Timestamp,
) -> anyhow::Result<u64> {
    let persons: Vec<NewPerson> = (0..u64::from(count))
        .map(|k| {
            let n = first + k;
            let mut dice = Dice::new(n + 7);
            NewPerson {
                id: uuid::Uuid::now_v7().to_string(),
                si_code: format!("8{n:09}"),
                personal_id: Some(format!("8{n:011}")),
                full_name: format!("Synthetic Person {n}"),
                birth_date: NaiveDate::from_ymd_opt(
                    1960 + dice.below(40) as i32,
                    1 + dice.below(12) as u32,
                    1 + dice.below(28) as u32,
                )
                .unwrap_or_default(),
                sex: if dice.below(2) == 0 { "male" } else { "female" },
                created_at: now,
            }
        })
        .collect();
    let mut months = Vec::with_capacity(count as usize * years as usize * 12);
    let from = last.minus(years * 12 - 1);
    for p in &persons {
        let mut dice = Dice::new(
            p.si_code.len() as u64 + p.birth_date.to_string().len() as u64 + months.len() as u64,
        );
        months_for(
            &p.id,
            &mut dice,
            employers,
            figures,
            from,
            last,
            &mut months,
        )?;
    }
    let cards: Vec<NewCard> = persons.iter().map(|p| card_for(p, now)).collect();
    let written = months.len() as u64;
    match conn {
        DbConn::Postgres(pg) => {
            diesel::insert_into(people::table)
                .values(&persons)
                .execute(pg)?;
            copy_months(pg, &months)?;
            diesel::insert_into(health_cards::table)
                .values(&cards)
                .execute(pg)?;
        }
        DbConn::Sqlite(lite) => {
            for chunk in persons.chunks(500) {
                diesel::insert_into(people::table)
                    .values(chunk)
                    .execute(lite)?;
            }
            for chunk in months.chunks(500) {
                diesel::insert_into(contribution_months::table)
                    .values(chunk)
                    .execute(lite)?;
            }
            for chunk in cards.chunks(500) {
                diesel::insert_into(health_cards::table)
                    .values(chunk)
                    .execute(lite)?;
            }
        }
    }
    Ok(written)
}

fn card_for(p: &NewPerson, now: Timestamp) -> NewCard {
    let year = chrono::Datelike::year(&now.date());
    NewCard {
        id: uuid::Uuid::now_v7().to_string(),
        person_id: p.id.clone(),
        card_code: format!("DN479{}", p.si_code),
        object_code: "DN",
        benefit_level: 4,
        valid_from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        valid_to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        facility_code: "79071",
        facility_name: "Synthetic clinic (scale data)",
        five_year_date: None,
        issued_at: now,
    }
}

/// The benchmark's citizen: 30 years of months, a card, and an account. False if it existed.
fn ensure_bench_account(
    conn: &mut DbConn,
    figures: &mut Figures<'_>,
    employers: &[(String, Region)],
    last: Month,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let exists: i64 = accounts::table
        .filter(accounts::email.eq(BENCH_LOGIN))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let person = NewPerson {
        id: uuid::Uuid::now_v7().to_string(),
        si_code: BENCH_SI_CODE.into(),
        personal_id: Some(BENCH_PERSONAL_ID.into()),
        full_name: "Benchmark Citizen".into(),
        birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default(),
        sex: "male",
        created_at: now,
    };
    diesel::insert_into(people::table)
        .values(&person)
        .execute(conn)?;
    let mut months = Vec::new();
    months_for(
        &person.id,
        &mut Dice::new(42),
        employers,
        figures,
        last.minus(359),
        last,
        &mut months,
    )?;
    crate::declarations::store::insert_months(conn, &months)?;
    diesel::insert_into(health_cards::table)
        .values(&card_for(&person, now))
        .execute(conn)?;
    let [citizen, ..] = &super::LOGINS;
    insert_account(
        conn,
        &NewAccount {
            id: &uuid::Uuid::now_v7().to_string(),
            kind: "citizen",
            role: None,
            email: BENCH_LOGIN,
            personal_id: Some(BENCH_PERSONAL_ID),
            full_name: "Benchmark Citizen",
            birth_date: Some(person.birth_date),
            phone: None,
            password_hash: Some(citizen.hash()),
            email_verified_at: Some(now),
            locale: "vi",
            // Its password is published: the portal treats it as demo data (loopback only).
            is_demo: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(true)
}
