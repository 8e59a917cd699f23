//! The retirement planner over the API and as a page: each citizen's own book gives the time
//! contributed, the roadmap's retirement date, DOMAIN.md Example 5's rate and amount, the gaps,
//! the what-if and the one-off payment for missing years.

use ansinh::db::schema::{contribution_months, employers, people};
use ansinh::insurance_book::model::Month;
use awc::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde_json::json;

use crate::support::{Browser, Citizen, TestApp, on_both_backends};

const WOMAN_SI: &str = "0100000011";
const MAN_SI: &str = "0100000012";

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// (id, person, employer, scheme, month, salary basis, pension share, due date = paid on)
type MonthRow = (
    String,
    String,
    Option<String>,
    String,
    NaiveDate,
    i64,
    i64,
    NaiveDate,
);

/// Paid pension months from `from` to `to` on `salary`, with an employer or voluntary.
fn paid_months(
    person: &str,
    employer: Option<&str>,
    from: &str,
    to: &str,
    salary: i64,
) -> Vec<MonthRow> {
    let (mut m, to) = (month(from), month(to));
    let mut rows = Vec::new();
    while m <= to {
        let due = m.next().last_day();
        rows.push((
            format!("{person}-{m}"),
            person.to_owned(),
            employer.map(str::to_owned),
            if employer.is_some() {
                "compulsory"
            } else {
                "voluntary"
            }
            .to_owned(),
            m.first_day(),
            salary,
            salary * 8 / 100,
            due,
        ));
        m = m.next();
    }
    rows
}

/// A woman with Example 5's 22 years (240 compulsory + 24 voluntary months at 10,000,000, a
/// six-month gap in 2024, nothing since Jul 2026), and a man born March 1966 with 10 years.
struct Fixture {
    woman: Citizen,
    woman_token: String,
    man_token: String,
}

impl Fixture {
    async fn new(app: &TestApp) -> Self {
        let (woman, man) = (Citizen::new(), Citizen::new());
        app.registered_citizen(&woman).await;
        app.registered_citizen(&man).await;
        let (woman_id, man_id) = (woman.personal_id.clone(), man.personal_id.clone());
        let now = app.clock.now();
        app.write(move |conn| {
            diesel::insert_into(employers::table)
                .values((
                    employers::id.eq("employer-r"),
                    employers::unit_code.eq("TR0001A"),
                    employers::tax_code.eq("0300000001"),
                    employers::name.eq("Công ty Hưu trí"),
                    employers::province_code.eq("79"),
                    employers::region.eq(1),
                    employers::created_at.eq(now),
                ))
                .execute(conn)?;
            for (id, si, pid, birth, sex) in [
                ("woman", WOMAN_SI, woman_id, (1975, 4, 12), "female"),
                ("man", MAN_SI, man_id, (1966, 3, 15), "male"),
            ] {
                diesel::insert_into(people::table)
                    .values((
                        people::id.eq(id),
                        people::si_code.eq(si),
                        people::personal_id.eq(pid),
                        people::full_name.eq(format!("Người thử {id}")),
                        people::birth_date
                            .eq(NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap()),
                        people::sex.eq(sex),
                        people::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            let mut rows = paid_months(
                "woman",
                Some("employer-r"),
                "2004-01",
                "2023-12",
                10_000_000,
            );
            rows.extend(paid_months("woman", None, "2024-07", "2026-06", 10_000_000));
            rows.extend(paid_months(
                "man",
                Some("employer-r"),
                "2012-01",
                "2021-12",
                8_000_000,
            ));
            for (id, person, employer, scheme, m, salary, pension, due) in rows {
                diesel::insert_into(contribution_months::table)
                    .values((
                        contribution_months::id.eq(id),
                        contribution_months::person_id.eq(person),
                        contribution_months::employer_id.eq(employer),
                        contribution_months::scheme.eq(scheme),
                        contribution_months::month.eq(m),
                        contribution_months::salary_basis.eq(salary),
                        contribution_months::pension_employee.eq(pension),
                        contribution_months::pension_employer.eq(0),
                        contribution_months::sickness_employer.eq(0),
                        contribution_months::accident_employer.eq(0),
                        contribution_months::unemployment_employee.eq(0),
                        contribution_months::unemployment_employer.eq(0),
                        contribution_months::health_employee.eq(0),
                        contribution_months::health_employer.eq(0),
                        contribution_months::state_support.eq(0),
                        contribution_months::due_date.eq(due),
                        contribution_months::paid_on.eq(Some(due)),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await;
        let token = |c: &Citizen| {
            let (email, password) = (c.email.clone(), c.password.clone());
            async move {
                app.api_login(&email, &password).await.body["access_token"]
                    .as_str()
                    .expect("token")
                    .to_owned()
            }
        };
        let woman_token = token(&woman).await;
        let man_token = token(&man).await;
        Fixture {
            woman,
            woman_token,
            man_token,
        }
    }
}

/// Women's rate (Art. 66(1)(a)): 45% at 15 years, +2% a year, ½ year for 1–6 leftover months.
fn womens_rate(months: i64) -> i64 {
    let halves = months / 12 * 2
        + match months % 12 {
            0 => 0,
            1..=6 => 1,
            _ => 2,
        };
    (4_500 + (halves - 30) * 100).min(7_500)
}

on_both_backends! {
    async fn example_5_comes_out_of_the_citizens_own_book(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let today = app.clock.now().date();
        let this_month = Month::of(today);

        let plan = app.get_auth("/api/v1/me/retirement", &fixture.woman_token).await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.text);
        let p = &plan.body;
        assert_eq!(p["si_code"], WOMAN_SI);
        assert_eq!(p["contributed"], json!({ "months": 264, "years": 22, "leftover_months": 0, "compulsory_months": 240, "voluntary_months": 24 }));
        // Born April 1975: 59y4m (2033's age) would fall in Aug 2034, which asks 59y8m.
        assert_eq!(p["retirement"]["age_months"], 716);
        assert_eq!(p["retirement"]["reached_on"], "2034-12-12");
        assert_eq!(p["retirement"]["pension_from"], "2035-01");
        assert_eq!(p["retirement"]["reached"], false);
        // Example 5: 22 years → 59%; average 10,000,000 → 5,900,000.
        assert_eq!(p["today"]["rate"], 5_900);
        assert_eq!(p["today"]["average_salary_basis"], 10_000_000);
        assert_eq!(p["today"]["monthly_pension"], 5_900_000);
        let formulas: Vec<&str> = p["today"]["explanation"].as_array().unwrap().iter().map(|s| s["formula"].as_str().unwrap()).collect();
        assert!(formulas.contains(&"7 × 2%") && formulas.contains(&"59% × 10,000,000"), "{formulas:?}");
        // Nothing since Jul 2026: not contributing now, so no "keep contributing" figure.
        assert!(p.get("if_you_keep_contributing").is_none(), "{}", plan.text);
        assert!(p.get("one_off").is_none() && p.get("what_if").is_none());
        // Gaps: the first half of 2024, and every month since Jul 2026 up to last month.
        let through = this_month.minus(1);
        assert_eq!(p["gaps"], json!([
            { "from": "2024-01", "to": "2024-06", "months": 6, "owed_months": 0 },
            { "from": "2026-07", "to": through.to_string(), "months": month("2026-07").months_until(through) + 1, "owed_months": 0 },
        ]));
        let bases: Vec<&str> = p["legal_basis"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
        assert_eq!(bases, ["retirement_age_women_months"]);
        let law: Vec<&str> = p["law"].as_array().unwrap().iter().map(|a| a["reference"].as_str().unwrap()).collect();
        assert!(law.contains(&"Law 41/2024/QH15 Art. 66, 99") && law.contains(&"Labour Code 45/2019/QH14 Art. 169"), "{law:?}");

        // What-if: 5,000,000 a month voluntarily from this month until Dec 2034.
        let what_if = app.get_auth("/api/v1/me/retirement?income=5000000", &fixture.woman_token).await;
        assert_eq!(what_if.status, StatusCode::OK, "{}", what_if.text);
        let w = &what_if.body["what_if"];
        let voluntary = i64::from(this_month.months_until(month("2034-12")) + 1);
        let total = 264 + voluntary;
        assert_eq!((w["from"].as_str(), w["to"].as_str()), (Some(this_month.to_string().as_str()), Some("2034-12")));
        assert_eq!(w["voluntary_months"], voluntary);
        assert_eq!(w["estimate"]["months"], total);
        // The plain average of the bases, rounded half up.
        let average = ((264 * 10_000_000 + voluntary * 5_000_000) * 2 + total) / (total * 2);
        assert_eq!(w["estimate"]["average_salary_basis"], average);
        assert_eq!(w["estimate"]["rate"], womens_rate(total));
        assert_eq!(w["estimate"]["monthly_pension"], (average * womens_rate(total) + 5_000) / 10_000);
        // 22% × 5,000,000 less 20% × 22% of the rural poverty line in force today.
        let poverty_line = if today.year() < 2027 { 1_500_000 } else { 2_200_000 };
        assert_eq!(w["monthly_gross"], 1_100_000);
        assert_eq!(w["monthly_cost"], 1_100_000 - poverty_line * 22 / 100 * 20 / 100);
        let bases: Vec<&str> = what_if.body["legal_basis"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
        assert!(bases.contains(&"voluntary_rate") && bases.contains(&"voluntary_support_other"), "{bases:?}");
    }

    async fn under_15_years_the_one_off_payment_for_missing_years_is_priced(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let this_month = Month::of(app.clock.now().date());

        let plan = app.get_auth("/api/v1/me/retirement", &fixture.man_token).await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.text);
        let p = &plan.body;
        assert_eq!(p["si_code"], MAN_SI);
        // Born March 1966: 61y6m would be Sep 2027, which asks 61y9m → 15 Dec 2027.
        assert_eq!((&p["retirement"]["age_months"], &p["retirement"]["reached_on"]), (&json!(741), &json!("2027-12-15")));
        assert_eq!(p["today"]["qualifies"], false);
        assert_eq!(p["today"]["months_missing"], 60);
        assert!(p["today"].get("rate").is_none());
        let one_off = &p["one_off"];
        assert_eq!((&one_off["missing_months"], &one_off["limit_months"], &one_off["within_limit"]), (&json!(60), &json!(60), &json!(true)));
        assert!(one_off.get("total").is_none(), "priced only at an income");

        // At 5,000,000: Σ_{i=1..60} 1,100,000 × 1.0031^i = 72,638,473.81 → 72,638,474.
        let priced = app.get_auth("/api/v1/me/retirement?income=5.000.000", &fixture.man_token).await;
        let one_off = &priced.body["one_off"];
        assert_eq!((&one_off["monthly_gross"], &one_off["monthly_return"], &one_off["total"]), (&json!(1_100_000), &json!(31), &json!(72_638_474)), "{}", priced.text);
        // Voluntary months until Dec 2027 are not enough for 15 years either.
        let voluntary = i64::from(this_month.months_until(month("2027-12")) + 1);
        assert_eq!(priced.body["what_if"]["estimate"]["months"], 120 + voluntary);
        assert_eq!(priced.body["what_if"]["estimate"]["qualifies"], false);
    }

    async fn citizens_see_only_their_own_plan_and_bad_income_is_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let mine = app.get_auth("/api/v1/me/retirement", &fixture.woman_token).await;
        assert!(!mine.text.contains(MAN_SI));
        let theirs = app.get_auth("/api/v1/me/retirement", &fixture.man_token).await;
        assert!(!theirs.text.contains(WOMAN_SI) && theirs.text.contains(MAN_SI));

        // A citizen with no insurance record: not found, nothing of anyone else's.
        let nobody = Citizen::new();
        app.registered_citizen(&nobody).await;
        let token = app.api_login(&nobody.email, &nobody.password).await.body["access_token"].as_str().unwrap().to_owned();
        let reply = app.get_auth("/api/v1/me/retirement", &token).await;
        reply.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.get("/api/v1/me/retirement").await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");

        // An income outside the floor and ceiling: 422 naming both.
        let low = app.get_auth("/api/v1/me/retirement?income=1000", &fixture.woman_token).await;
        assert_eq!(low.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["income"]);
        assert_eq!(low.body["errors"][0]["code"], "out_of_bounds");
        assert!(low.body["detail"].as_str().unwrap().contains("1,500,000") && low.body["detail"].as_str().unwrap().contains("50,600,000"), "{}", low.text);
        let high = app.get_auth("/api/v1/me/retirement?income=99999999999999999999999", &fixture.woman_token).await;
        assert_eq!(high.body["errors"][0]["code"], "out_of_bounds", "{}", high.text);
        for bad in ["abc", "-5", ""] {
            let reply = app.get_auth(&format!("/api/v1/me/retirement?income={bad}"), &fixture.woman_token).await;
            assert_eq!(reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["income"], "{bad}");
        }
    }

    async fn the_planner_page_shows_the_signed_in_citizens_plan(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&fixture.woman.email, &fixture.woman.password).await;
        let account = browser.get("/account").await;
        assert!(account.text.contains("href=\"/account/retirement\""), "linked from the account page");
        let page = browser.get("/account/retirement?lang=en").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("59% × 10,000,000") && page.text.contains("5,900,000 VND"), "{}", page.text);
        assert!(page.text.contains("12/12/2034") && page.text.contains("2024-01 – 2024-06"), "{}", page.text);
        assert!(!page.text.contains(MAN_SI));
        let what_if = browser.get("/account/retirement?income=5.000.000&lang=vi").await;
        assert!(what_if.text.contains("22% × 5.000.000") && what_if.text.contains("1.100.000 ₫"), "{}", what_if.text);
        // A bad income: the plan still shows, with a message naming the bounds.
        let low = browser.get("/account/retirement?income=1000&lang=en").await;
        assert_eq!(low.status, StatusCode::OK);
        assert!(low.text.contains("Must be between 1,500,000 and 50,600,000") && low.text.contains("5,900,000 VND"), "{}", low.text);
        let junk = browser.get("/account/retirement?income=abc&lang=en").await;
        assert!(junk.text.contains("Enter the income as a number"), "{}", junk.text);
        // Signed out, the page sends you to log in.
        assert_eq!(Browser::new(&app).get("/account/retirement").await.status, StatusCode::SEE_OTHER);
    }
}
