//! The public calculators: DOMAIN.md Examples 1 and 2 to the đồng through the API, with the
//! figures in force on the date asked for.

use awc::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, on_both_backends};

on_both_backends! {
    async fn example_1_voluntary_si_through_the_api(backend) {
        let app = TestApp::spawn(backend).await;
        let quote = app.post_json("/api/v1/calculators/voluntary-si", &json!({
            "monthly_income": 3_000_000, "support_group": "near_poor", "payment_mode": "yearly", "on_date": "2025-10-01",
        })).await;
        assert_eq!(quote.status, StatusCode::OK, "{}", quote.text);
        assert_eq!(
            (&quote.body["monthly_gross"], &quote.body["monthly_support"], &quote.body["monthly_payable"], &quote.body["months"], &quote.body["period_total"]),
            (&json!(660_000), &json!(132_000), &json!(528_000), &json!(12), &json!(6_336_000))
        );
        assert_eq!(quote.body["explanation"][1]["formula"], "40% × 22% × 1,500,000");
        let basis: Vec<&str> = quote.body["legal_basis"].as_array().unwrap().iter().map(|b| b["legal_basis"].as_str().unwrap()).collect();
        assert!(basis.iter().any(|b| b.contains("Decree 159/2025")), "{basis:?}");

        // The same month before 1 Jul 2025: near-poor support was 25%.
        let before = app.post_json("/api/v1/calculators/voluntary-si", &json!({
            "monthly_income": 3_000_000, "support_group": "near_poor", "payment_mode": "monthly", "on_date": "2025-06-15",
        })).await;
        assert_eq!((&before.body["monthly_support"], &before.body["monthly_payable"]), (&json!(82_500), &json!(577_500)));

        // Outside the bounds in force: the answer names them.
        let low = app.post_json("/api/v1/calculators/voluntary-si", &json!({
            "monthly_income": 1_000_000, "support_group": "other", "payment_mode": "monthly", "on_date": "2026-08-01",
        })).await;
        assert_eq!(low.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["monthly_income"]);
        assert_eq!(low.body["errors"][0]["code"], "out_of_bounds");
        assert!(low.body["errors"][0]["message"].as_str().unwrap().contains("1,500,000") && low.body["detail"].as_str().unwrap().contains("50,600,000"), "{}", low.text);
        // A group that did not exist yet on the date.
        let early = app.post_json("/api/v1/calculators/voluntary-si", &json!({
            "monthly_income": 3_000_000, "support_group": "ethnic_minority", "payment_mode": "monthly", "on_date": "2025-06-30",
        })).await;
        assert_eq!(early.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["support_group"]);
    }

    async fn example_2_household_hi_through_the_api(backend) {
        let app = TestApp::spawn(backend).await;
        let quote = app.post_json("/api/v1/calculators/household-hi", &json!({ "members": 4, "months": 12, "on_date": "2026-06-01" })).await;
        assert_eq!(quote.status, StatusCode::OK, "{}", quote.text);
        let monthly: Vec<i64> = quote.body["members"].as_array().unwrap().iter().map(|m| m["monthly"].as_i64().unwrap()).collect();
        assert_eq!(monthly, [105_300, 73_710, 63_180, 52_650]);
        assert_eq!((&quote.body["monthly_total"], &quote.body["period_total"]), (&json!(294_840), &json!(3_538_080)));
        let after = app.post_json("/api/v1/calculators/household-hi", &json!({ "members": 4, "months": 12, "on_date": "2026-07-01" })).await;
        assert_eq!(after.body["period_total"], 3_825_360);
        assert_eq!(after.body["members"][0]["period"], 1_366_200);

        let bad = app.post_json("/api/v1/calculators/household-hi", &json!({ "members": 0, "months": 5 })).await;
        assert_eq!(bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["members", "months"]);
    }

    async fn one_payment_for_many_months_ahead_or_for_the_missing_years(backend) {
        let app = TestApp::spawn(backend).await;
        let quote = |mode: &str, months: i64, on: &str| {
            let body = json!({
                "monthly_income": 3_000_000, "support_group": "near_poor", "payment_mode": mode, "months": months, "on_date": on,
            });
            let app = &app;
            async move { app.post_json("/api/v1/calculators/voluntary-si", &body).await }
        };
        // (đ): 528,000 now and 528,000 / 1.0031 next month (0.31% a month) = 1,054,368.26.
        let ahead = quote("years_ahead", 2, "2026-08-01").await;
        assert_eq!(ahead.status, StatusCode::OK, "{}", ahead.text);
        assert_eq!((&ahead.body["months"], &ahead.body["period_total"]), (&json!(2), &json!(1_054_368)));
        assert_eq!(quote("years_ahead", 24, "2026-08-01").await.body["period_total"], 12_231_682);
        // (e): the full 22% with no support, 660,000 × 1.0031 + 660,000 × 1.0031² = 1,326,144.34.
        let missing = quote("missing_years", 2, "2026-08-01").await;
        assert_eq!((&missing.body["monthly_support"], &missing.body["period_total"]), (&json!(0), &json!(1_326_144)));
        let basis: Vec<&str> = missing.body["legal_basis"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
        assert!(basis.contains(&"voluntary_monthly_return"), "{basis:?}");
        // Beyond the advance limit in force (60 months), and before the fund's return is set.
        let long = quote("years_ahead", 61, "2026-08-01").await;
        assert_eq!(long.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["months"]);
        assert!(long.body["detail"].as_str().unwrap().contains("60"), "{}", long.text);
        // A number of months outside what the schema allows is refused whatever the mode.
        let zero = quote("yearly", 0, "2026-08-01").await;
        assert_eq!(zero.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["months"]);
        let early = quote("years_ahead", 12, "2025-10-01").await;
        assert_eq!(early.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["on_date"]);
        let no_months = app.post_json("/api/v1/calculators/voluntary-si", &json!({
            "monthly_income": 3_000_000, "support_group": "other", "payment_mode": "missing_years", "on_date": "2026-08-01",
        })).await;
        assert_eq!(no_months.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["months"]);
        let page = app.get("/calculators/voluntary-si?income=3.000.000&group=near_poor&mode=years_ahead&months=&lang=en").await;
        assert!(page.text.contains("Enter how many months are paid at once"), "{}", page.text);
    }

    async fn the_calculator_pages_work_as_plain_forms(backend) {
        let app = TestApp::spawn(backend).await;
        // Today's figures (Nov 2026): poverty line 1,500,000, near-poor support 40%.
        let page = app.get("/calculators/voluntary-si?income=3.000.000&group=near_poor&mode=yearly").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("40% × 22% × 1.500.000") && page.text.contains("6.336.000 ₫"), "{}", page.text);
        let low = app.get("/calculators/voluntary-si?income=1000&group=other&mode=monthly&lang=en").await;
        assert!(low.text.contains("Must be between 1,500,000 and 50,600,000"), "{}", low.text);
        // Base salary 2,530,000 from 1 Jul 2026: 113,850 × 2.8 × 12.
        let household = app.get("/calculators/household-hi?members=4&months=12").await;
        assert!(household.text.contains("3.825.360 ₫"), "{}", household.text);
        let empty = app.get("/calculators/household-hi").await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(!empty.text.contains("₫"));
    }
}
