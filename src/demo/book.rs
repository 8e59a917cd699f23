//! Demo insurance records: employers, about fifty people with 1–30-year histories (employer
//! changes, gaps, voluntary years, an employer that stopped paying), their health cards, a
//! clinic and an employer API client with published credentials. Deterministic: the same
//! data on every fresh start, computed by the real contribution rules.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use crate::api_clients::{self, Binding, Credentials, Scope};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{
    employer_months, employer_payments, employers, employment_periods, health_cards, people,
};
use crate::declarations::store::{NewMonth, insert_months};
use crate::error::AppError;
use crate::insurance_book::model::Month;
use crate::insurance_book::rules::{self, BookMonth};
use crate::policy::{Policy, PolicyAt, Region};

/// A demo API client, printed at start.
pub struct DemoClient {
    pub who: &'static str,
    pub client_id: &'static str,
    pub client_secret: &'static str,
}

pub const CLIENTS: [DemoClient; 3] = [
    DemoClient {
        who: "clinic (cards:verify)",
        client_id: "demo-clinic",
        client_secret: "demo-clinic-secret-khong-dung-that-2026",
    },
    DemoClient {
        who: "employer payroll, unit TA1234A (declarations:write)",
        client_id: "demo-payroll",
        client_secret: "demo-payroll-secret-khong-dung-that-2026",
    },
    DemoClient {
        who: "collection agent (collections:write)",
        client_id: "demo-collector",
        client_secret: "demo-collector-secret-khong-dung-that-2026",
    },
];

/// The demo citizen's identifiers (the demo login's personal ID).
pub const DEMO_PERSONAL_ID: &str = "001090123456";
pub const DEMO_SI_CODE: &str = "0190123456";

struct DemoEmployer {
    unit_code: &'static str,
    tax_code: &'static str,
    name: &'static str,
    province: &'static str,
    region: i32,
    /// Stopped paying from this month (its workers see owed months).
    stopped_paying: Option<&'static str>,
}

/// Fictional companies.
const EMPLOYERS: [DemoEmployer; 6] = [
    DemoEmployer {
        unit_code: "TA1234A",
        tax_code: "0301234567",
        name: "Công ty TNHH Phần mềm Sông Hồng (demo)",
        province: "01",
        region: 1,
        stopped_paying: None,
    },
    DemoEmployer {
        unit_code: "YN0456B",
        tax_code: "0309876543",
        name: "Công ty CP May mặc Sài Gòn Xanh (demo)",
        province: "79",
        region: 1,
        stopped_paying: Some("2026-08"),
    },
    DemoEmployer {
        unit_code: "DA0789C",
        tax_code: "0401112223",
        name: "Công ty TNHH Thủy sản Biển Đông (demo)",
        province: "48",
        region: 2,
        stopped_paying: None,
    },
    DemoEmployer {
        unit_code: "CT0321D",
        tax_code: "1801234561",
        name: "Hợp tác xã Nông nghiệp Cửu Long (demo)",
        province: "92",
        region: 3,
        stopped_paying: None,
    },
    DemoEmployer {
        unit_code: "HP0654E",
        tax_code: "0201239876",
        name: "Công ty CP Cơ khí Cảng Hải Phòng (demo)",
        province: "31",
        region: 1,
        stopped_paying: None,
    },
    DemoEmployer {
        unit_code: "NA0987F",
        tax_code: "2901234567",
        name: "Công ty TNHH Gỗ Nghệ An (demo)",
        province: "40",
        region: 4,
        stopped_paying: None,
    },
];

const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE_M: [&str; 5] = ["Văn", "Hữu", "Đức", "Minh", "Quốc"];
const MIDDLE_F: [&str; 5] = ["Thị", "Ngọc", "Thu", "Thanh", "Mai"];
const GIVEN_M: [&str; 12] = [
    "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tuấn",
];
const GIVEN_F: [&str; 12] = [
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Ngân", "Thảo", "Trang",
];
const BIRTH_PROVINCES: [&str; 8] = ["001", "079", "031", "048", "092", "038", "040", "046"];

/// A small deterministic generator (xorshift), so the demo is the same every time.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// One stretch of a person's working life.
#[derive(Clone, Copy)]
enum Stretch {
    Employed {
        employer: usize,
        months: u32,
        salary: i64,
    },
    Voluntary {
        months: u32,
        income: i64,
    },
    Gap {
        months: u32,
    },
}

struct DemoPerson {
    si_code: String,
    personal_id: String,
    full_name: String,
    birth_date: NaiveDate,
    male: bool,
    start: Month,
    stretches: Vec<Stretch>,
}

/// The demo citizen: 2012 onwards, three employers, a gap, a voluntary year, and an employer
/// (YN0456B) that stopped paying in August 2026.
fn demo_citizen(last: Month) -> DemoPerson {
    let start = Month::parse("2012-03").unwrap_or(last);
    let to_last = start.months_until(last) as u32 + 1;
    let fixed = 53 + 3 + 53 + 3 + 12;
    DemoPerson {
        si_code: DEMO_SI_CODE.into(),
        personal_id: DEMO_PERSONAL_ID.into(),
        full_name: "Nguyễn Văn An".into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17).unwrap_or_default(),
        male: true,
        start,
        stretches: vec![
            Stretch::Employed {
                employer: 4,
                months: 53,
                salary: 6_500_000,
            },
            Stretch::Gap { months: 3 },
            Stretch::Employed {
                employer: 0,
                months: 53,
                salary: 12_000_000,
            },
            Stretch::Gap { months: 3 },
            Stretch::Voluntary {
                months: 12,
                income: 3_000_000,
            },
            Stretch::Employed {
                employer: 1,
                months: to_last.saturating_sub(fixed).max(1),
                salary: 15_000_000,
            },
        ],
    }
}

fn generated_person(i: u64, last: Month) -> DemoPerson {
    let mut dice = Dice::new(i + 1);
    let male = dice.below(2) == 0;
    let years = 1 + dice.below(30) as u32;
    let age_at_start = 18 + dice.below(8) as i32;
    let start = last.minus(years * 12 - 1);
    let birth_year = start.first_day().year() - age_at_start;
    let birth_date = NaiveDate::from_ymd_opt(
        birth_year,
        1 + dice.below(12) as u32,
        1 + dice.below(28) as u32,
    )
    .unwrap_or_default();
    let (middle, given) = if male {
        (&MIDDLE_M[..], &GIVEN_M[..])
    } else {
        (&MIDDLE_F[..], &GIVEN_F[..])
    };
    let full_name = format!(
        "{} {} {}",
        dice.pick(&FAMILY),
        dice.pick(middle),
        dice.pick(given)
    );
    let century = (birth_year / 100 - 19) * 2 + i32::from(!male);
    let personal_id = format!(
        "{}{}{:02}{:06}",
        dice.pick(&BIRTH_PROVINCES),
        century,
        birth_year % 100,
        100_000 + i * 7_919 % 900_000
    );
    let si_code = format!("79{:08}", 20_000_000 + i * 104_729 % 79_000_000);
    let mut stretches = Vec::new();
    let mut left = years * 12;
    let mut salary = 5_500_000 + dice.below(20) as i64 * 500_000;
    while left > 0 {
        let months = (12 + dice.below(72) as u32).min(left);
        left -= months;
        match dice.below(10) {
            0 => stretches.push(Stretch::Gap { months }),
            1 => stretches.push(Stretch::Voluntary {
                months,
                income: 1_500_000 + dice.below(10) as i64 * 500_000,
            }),
            _ => {
                let employer = dice.below(EMPLOYERS.len() as u64) as usize;
                stretches.push(Stretch::Employed {
                    employer,
                    months,
                    salary,
                });
                salary += dice.below(8) as i64 * 1_000_000;
            }
        }
    }
    DemoPerson {
        si_code,
        personal_id,
        full_name,
        birth_date,
        male,
        start,
        stretches,
    }
}

/// The figures for a month; months before the earliest loaded parameters use the earliest
/// (demo data only: historical rates before 2020 are not loaded, see the migration).
fn policy_for(policy: &Policy, month: Month) -> Result<PolicyAt, AppError> {
    let floor = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    policy
        .at(month.first_day().max(floor))
        .map_err(|e| AppError::Internal(e.into()))
}

/// The day a demo employer pays a month: the 20th of the following month.
fn payment_day(month: Month) -> NaiveDate {
    month.next().first_day() + Duration::days(19)
}

/// Seeds the demo records into an empty database (inside the caller's transaction).
pub fn seed(conn: &mut DbConn, now: Timestamp) -> Result<(), AppError> {
    let today = now.date();
    let last = Month::of(today).minus(1);
    let policy = Policy::load(conn)?;
    let employer_ids: Vec<String> = EMPLOYERS
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    for (e, id) in EMPLOYERS.iter().zip(&employer_ids) {
        diesel::insert_into(employers::table)
            .values((
                employers::id.eq(id),
                employers::unit_code.eq(e.unit_code),
                employers::tax_code.eq(e.tax_code),
                employers::name.eq(e.name),
                employers::province_code.eq(e.province),
                employers::region.eq(e.region),
                employers::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    let mut persons = vec![demo_citizen(last)];
    persons.extend((1..50).map(|i| generated_person(i, last)));

    // (employer index, month) → (due, paid_on) for the employer accounts.
    let mut accounts: std::collections::BTreeMap<(usize, Month), (i64, Option<NaiveDate>)> =
        Default::default();
    for person in &persons {
        let person_id = uuid::Uuid::now_v7().to_string();
        diesel::insert_into(people::table)
            .values((
                people::id.eq(&person_id),
                people::si_code.eq(&person.si_code),
                people::personal_id.eq(&person.personal_id),
                people::full_name.eq(&person.full_name),
                people::birth_date.eq(person.birth_date),
                people::sex.eq(if person.male { "male" } else { "female" }),
                people::created_at.eq(now),
            ))
            .execute(conn)?;
        let mut rows: Vec<NewMonth<'_>> = Vec::new();
        let mut book: Vec<BookMonth> = Vec::new();
        let mut month = person.start;
        for stretch in &person.stretches {
            let months = match *stretch {
                Stretch::Employed { months, .. }
                | Stretch::Voluntary { months, .. }
                | Stretch::Gap { months } => months,
            };
            if let Stretch::Employed { employer, .. } = *stretch {
                diesel::insert_into(employment_periods::table)
                    .values((
                        employment_periods::id.eq(uuid::Uuid::now_v7().to_string()),
                        employment_periods::person_id.eq(&person_id),
                        employment_periods::employer_id.eq(&employer_ids[employer]),
                        employment_periods::from_month.eq(month.first_day()),
                        employment_periods::to_month.eq(month.plus(months - 1).first_day()),
                    ))
                    .execute(conn)?;
            }
            for k in 0..months {
                let m = month.plus(k);
                if m > last {
                    break;
                }
                let at = policy_for(&policy, m)?;
                match *stretch {
                    Stretch::Gap { .. } => {}
                    Stretch::Employed {
                        employer, salary, ..
                    } => {
                        let region = Region::new(EMPLOYERS[employer].region)
                            .ok_or_else(|| anyhow::anyhow!("demo employer region"))?;
                        // Raises keep the salary above the regional minimum wage of the month.
                        let salary = salary.max(at.minimum_wage(region));
                        let funds = rules::compulsory(salary, region, &at);
                        let stopped = EMPLOYERS[employer]
                            .stopped_paying
                            .and_then(Month::parse)
                            .is_some_and(|s| m >= s);
                        let paid_on = Some(payment_day(m)).filter(|d| !stopped && *d <= today);
                        let mut row = NewMonth::compulsory(
                            &person_id,
                            &employer_ids[employer],
                            None,
                            m,
                            salary,
                            &funds,
                        );
                        row.paid_on = paid_on;
                        let entry = accounts.entry((employer, m)).or_insert((0, paid_on));
                        entry.0 += funds.total();
                        book.push(BookMonth {
                            month: m,
                            employer: None,
                            salary_basis: salary,
                            funds,
                            state_support: 0,
                            due_date: row.due_date,
                            paid_on,
                        });
                        rows.push(row);
                    }
                    Stretch::Voluntary { income, .. } => {
                        let gross = rules::share(income, 2_200);
                        let paid_on =
                            Some(m.first_day() + Duration::days(4)).filter(|d| *d <= today);
                        rows.push(NewMonth {
                            id: uuid::Uuid::now_v7().to_string(),
                            person_id: &person_id,
                            employer_id: None,
                            scheme: "voluntary",
                            month: m.first_day(),
                            salary_basis: income,
                            pension_employee: gross,
                            pension_employer: 0,
                            sickness_employer: 0,
                            accident_employer: 0,
                            unemployment_employee: 0,
                            unemployment_employer: 0,
                            health_employee: 0,
                            health_employer: 0,
                            state_support: 0,
                            declaration_id: None,
                            due_date: m.last_day(),
                            paid_on,
                        });
                    }
                }
            }
            month = month.plus(months);
        }
        insert_months(conn, &rows)?;
        insert_card(conn, &person_id, person, &book, today, now)?;
    }
    for ((employer, month), (due, paid_on)) in &accounts {
        diesel::insert_into(employer_months::table)
            .values((
                employer_months::employer_id.eq(&employer_ids[*employer]),
                employer_months::month.eq(month.first_day()),
                employer_months::due.eq(due),
                employer_months::paid.eq(if paid_on.is_some() { *due } else { 0 }),
                employer_months::due_date.eq(rules::due_date(*month)),
                employer_months::paid_on.eq(paid_on),
            ))
            .execute(conn)?;
        if let Some(day) = paid_on {
            diesel::insert_into(employer_payments::table)
                .values((
                    employer_payments::id.eq(uuid::Uuid::now_v7().to_string()),
                    employer_payments::employer_id.eq(&employer_ids[*employer]),
                    employer_payments::amount.eq(due),
                    employer_payments::paid_on.eq(day),
                    employer_payments::reference
                        .eq(format!("DEMO-{}-{month}", EMPLOYERS[*employer].unit_code)),
                    employer_payments::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    let [clinic, payroll, collector] = &CLIENTS;
    for (client, name, scopes, binding) in [
        (
            clinic,
            "Phòng khám Đa khoa An Sinh (demo)",
            vec![Scope::CardsVerify],
            Binding::Facility("79071".into()),
        ),
        (
            payroll,
            "Phần mềm lương Sông Hồng (demo)",
            vec![Scope::DeclarationsWrite],
            Binding::Employer(EMPLOYERS[0].unit_code.into()),
        ),
        (
            collector,
            "Bưu điện thu hộ (demo)",
            vec![Scope::CollectionsWrite],
            Binding::Agency,
        ),
    ] {
        let fixed = Credentials {
            client_id: client.client_id.into(),
            client_secret: client.client_secret.into(),
        };
        api_clients::create(conn, name, &scopes, &binding, now, Some(fixed))?;
    }
    Ok(())
}

/// A card for the person's current cover: from employment (DN, 80%), valid for a rolling year
/// so the demo reads the same in any month (a card ending on 31 December would stop covering
/// a household registration started in January), or, when the book shows no current
/// employment, an expired household card (GD).
fn insert_card(
    conn: &mut DbConn,
    person_id: &str,
    person: &DemoPerson,
    book: &[BookMonth],
    today: NaiveDate,
    now: Timestamp,
) -> Result<(), AppError> {
    let since = rules::hi_continuous_since(book, today);
    let year = today.year();
    // The last day of the month a year ahead.
    let year_ahead = today
        .checked_add_months(chrono::Months::new(13))
        .and_then(|d| d.with_day(1))
        .and_then(|d| d.pred_opt());
    let (object, from_year, valid_to) = match since {
        Some(_) => ("DN", year, year_ahead),
        None => ("GD", year - 1, NaiveDate::from_ymd_opt(year - 1, 12, 31)),
    };
    let valid_to = valid_to.unwrap_or(today);
    let valid_from = NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap_or(today);
    let five_year_date = since
        .and_then(|s| s.first_day().checked_add_months(chrono::Months::new(60)))
        .filter(|d| *d <= today);
    diesel::insert_into(health_cards::table)
        .values((
            health_cards::id.eq(uuid::Uuid::now_v7().to_string()),
            health_cards::person_id.eq(person_id),
            health_cards::card_code.eq(format!("{object}479{}", person.si_code)),
            health_cards::object_code.eq(object),
            health_cards::benefit_level.eq(4),
            health_cards::valid_from.eq(valid_from),
            health_cards::valid_to.eq(valid_to),
            health_cards::facility_code.eq("79071"),
            health_cards::facility_name.eq("Phòng khám Đa khoa An Sinh (demo)"),
            health_cards::five_year_date.eq(five_year_date),
            health_cards::issued_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::model::PersonalId;

    #[test]
    fn generated_people_have_valid_and_distinct_identifiers() {
        let last = Month::parse("2026-10").unwrap();
        let mut si = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for i in 1..50 {
            let p = generated_person(i, last);
            let id = PersonalId::parse(&p.personal_id).unwrap();
            assert_eq!(id.birth_year(), p.birth_date.year(), "{}", p.personal_id);
            assert!(crate::insurance_book::model::is_si_code(&p.si_code));
            assert!(si.insert(p.si_code) && ids.insert(p.personal_id));
        }
    }
}
