//! Policy content, public: accent-insensitive search with titles first, drafts and scheduled
//! items hidden until their time, bodies sanitised, and conditional GETs answered with 304.

use ansinh::content::model::{Facts, Kind, Status};
use ansinh::content::store::{self, Draft};
use awc::http::StatusCode;
use serde_json::Value;

use crate::support::{TestApp, on_both_backends};

fn draft(kind: Kind, lang: &'static str, slug: &str, title: &str, body: &str) -> Draft {
    Draft {
        kind,
        lang,
        slug: slug.into(),
        group_id: format!("test:{slug}"),
        status: Status::Published,
        publish_at: Some(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        ),
        category: "test".into(),
        tags: vec![],
        title: title.into(),
        summary: String::new(),
        body_md: body.into(),
        facts: Facts::default(),
    }
}

/// Plants items over the seed (their own slugs) and returns nothing.
async fn plant(app: &TestApp, drafts: Vec<Draft>) {
    let now = app.clock.now();
    app.write(move |conn| {
        for d in &drafts {
            store::save(conn, d, None, now)?;
        }
        Ok(())
    })
    .await;
}

fn slugs(body: &Value) -> Vec<String> {
    let list = body.get("items").unwrap_or(body);
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// A query string value, percent-encoded.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn search(app: &TestApp, q: &str, lang: &str) -> crate::support::Reply {
    app.get(&format!("/api/v1/procedures?q={}&lang={lang}", encoded(q)))
        .await
}

on_both_backends! {
    async fn the_seeded_catalogue_is_found_with_or_without_accents(backend) {
        let app = TestApp::spawn(backend).await;
        let first = |reply: &crate::support::Reply| slugs(&reply.body).first().cloned().unwrap_or_default();
        // Unemployment benefit, typed without accents, in capitals or as written.
        for q in ["bao hiem that nghiep", "BẢO HIỂM THẤT NGHIỆP", "bảo hiểm thất nghiệp"] {
            assert_eq!(first(&search(&app, q, "vi").await), "AS-09", "{q}");
        }
        let faqs = app.get(&format!("/api/v1/faqs?q={}", encoded("bao hiem that nghiep"))).await;
        assert!(faqs.body[0]["title"].as_str().unwrap().contains("thất nghiệp"), "{}", faqs.text);
        assert_eq!(first(&search(&app, "thai san", "vi").await), "AS-05");
        assert_eq!(first(&search(&app, "unemployment benefit", "en").await), "AS-09");
        // "BẢO HIỂM" alone finds the procedures that name it, whatever their accents.
        let broad = slugs(&search(&app, "BẢO HIỂM", "vi").await.body);
        for code in ["AS-01", "AS-02", "AS-09", "AS-10"] {
            assert!(broad.contains(&code.to_owned()), "{code}: {broad:?}");
        }
        // Twenty procedures and fifteen FAQ entries in each language.
        for lang in ["vi", "en"] {
            assert!(slugs(&app.get(&format!("/api/v1/procedures?lang={lang}")).await.body).len() >= 20, "{lang}");
            assert!(slugs(&app.get(&format!("/api/v1/faqs?lang={lang}")).await.body).len() >= 15, "{lang}");
        }
        // Each language version links to the other.
        let vi = app.get("/api/v1/procedures/AS-09").await;
        assert_eq!((&vi.body["lang"], &vi.body["translation"]), (&serde_json::json!("vi"), &serde_json::json!("AS-09")));
        let en = app.get("/api/v1/procedures/AS-09?lang=en").await;
        assert_eq!(en.body["lang"], "en");
        assert_ne!(en.body["title"], vi.body["title"]);
    }

    async fn titles_rank_before_bodies_and_words_are_marked_as_written(backend) {
        let app = TestApp::spawn(backend).await;
        plant(&app, vec![
            draft(Kind::Procedure, "vi", "T-01", "Cấp chứng chỉ khuyến nông", "Nộp tại xã."),
            draft(Kind::Procedure, "vi", "T-02", "Hỗ trợ hộ nông dân", "Hộ có thể xin **chứng chỉ khuyến nông** tại xã."),
            draft(Kind::Procedure, "vi", "T-03", "Khuyến nông cơ sở", "Không có chứng chỉ."),
            draft(Kind::Procedure, "en", "T-01", "Agricultural extension certificate", "File at the commune."),
        ]).await;
        for q in ["chung chi khuyen nong", "CHỨNG CHỈ KHUYẾN NÔNG", "chứng chỉ khuyến nông"] {
            let found = search(&app, q, "vi").await;
            assert_eq!(slugs(&found.body), ["T-01", "T-02", "T-03"], "{q}");
        }
        let unaccented = search(&app, "chung chi khuyen nong", "vi").await;
        let marked: Vec<&str> = unaccented.body[1]["snippet"].as_array().unwrap().iter().filter(|p| p["hit"] == true).map(|p| p["text"].as_str().unwrap()).collect();
        assert_eq!(marked, ["chứng", "chỉ", "khuyến", "nông"], "{}", unaccented.text);
        assert_eq!(slugs(&search(&app, "extension certificate", "en").await.body), ["T-01"]);
        // An unknown language is refused.
        assert_eq!(search(&app, "x", "fr").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The search page shows the same order with the words marked.
        let page = app.get("/search?q=chung+chi+khuyen+nong").await;
        let first = page.text.find("/procedures/T-01").unwrap();
        let second = page.text.find("/procedures/T-02").unwrap();
        assert!(first < second && page.text.contains("<mark>chứng</mark>"), "{}", page.text);
    }

    async fn drafts_and_scheduled_items_stay_hidden_until_their_time(backend) {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, start).await;
        let mut hidden = draft(Kind::Article, "vi", "ban-nhap", "Bản nháp về khuyến nông", "Chưa xong.");
        hidden.status = Status::Draft;
        let mut later = draft(Kind::Article, "vi", "sap-dang", "Sắp đăng: lịch chi trả khuyến nông", "Từ ngày mai.");
        later.status = Status::Scheduled;
        later.publish_at = Some(start + chrono::Duration::hours(2));
        plant(&app, vec![hidden, later]).await;
        for path in ["/api/v1/articles/ban-nhap", "/api/v1/articles/sap-dang", "/articles/sap-dang"] {
            assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let listed = slugs(&app.get("/api/v1/articles").await.body);
        assert!(!listed.contains(&"ban-nhap".to_owned()) && !listed.contains(&"sap-dang".to_owned()), "{listed:?}");
        assert!(slugs(&app.get("/api/v1/articles?q=lich+chi+tra+khuyen+nong").await.body).is_empty());
        app.clock.advance(chrono::Duration::hours(3));
        assert_eq!(app.get("/api/v1/articles/sap-dang").await.status, StatusCode::OK);
        assert_eq!(slugs(&app.get("/api/v1/articles?q=lich+chi+tra+khuyen+nong").await.body), ["sap-dang"]);
        assert_eq!(app.get("/api/v1/articles/ban-nhap").await.status, StatusCode::NOT_FOUND);
    }

    async fn bodies_are_sanitised_and_unchanged_content_answers_304(backend) {
        let app = TestApp::spawn(backend).await;
        plant(&app, vec![draft(
            Kind::Procedure, "vi", "T-09", "Thủ tục thử",
            "Đoạn văn.\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[bấm](javascript:alert(3))",
        )]).await;
        let item = app.get("/api/v1/procedures/T-09").await;
        let html = item.body["body_html"].as_str().unwrap();
        assert!(html.contains("Đoạn văn.") && !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
        let page = app.get("/procedures/T-09").await;
        assert!(!page.text.contains("<script>alert") && !page.text.contains("onerror"), "{}", page.text);
        for path in ["/api/v1/procedures/T-09", "/procedures/T-09", "/procedures", "/faq"] {
            let first = app.get(path).await;
            assert_eq!(first.status, StatusCode::OK, "{path}");
            assert_eq!(first.header("cache-control"), Some("public, max-age=300"), "{path}");
            // Nothing personal rides on a page any cache may keep.
            assert!(first.set_cookies().is_empty(), "{path}: {:?}", first.set_cookies());
            let etag = first.header("etag").unwrap().to_owned();
            let again = app.client().get(app.url(path)).insert_header(("if-none-match", etag.as_str())).send().await.unwrap();
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        }
        // A change makes a new tag.
        let etag = app.get("/api/v1/procedures/T-09").await.header("etag").unwrap().to_owned();
        plant(&app, vec![draft(Kind::Procedure, "vi", "T-09", "Thủ tục thử (sửa)", "Đoạn văn mới.")]).await;
        let changed = app.client().get(app.url("/api/v1/procedures/T-09")).insert_header(("if-none-match", etag.as_str())).send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
    }

    async fn every_portal_link_in_the_seed_leads_somewhere(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = crate::support::Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = crate::support::Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        let mut paths: Vec<String> = Vec::new();
        for file in ["procedures", "faqs", "articles"] {
            let text = std::fs::read_to_string(format!("{}/src/content/seed/{file}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
            for piece in text.split("(/").skip(1).chain(text.split("\"online_form\": \"/").skip(1)) {
                let path: String = piece.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_')).collect();
                paths.push(format!("/{path}"));
            }
        }
        paths.sort();
        paths.dedup();
        assert!(paths.len() >= 8, "{paths:?}");
        for path in paths {
            let reply = browser.get(&path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
        }
    }

    async fn each_public_page_is_under_30_kb_compressed_with_its_css(backend) {
        let app = TestApp::spawn(backend).await;
        // The client here does not decompress: the body is what travels.
        let gzipped = |path: String| {
            let app = &app;
            async move {
                let mut reply = app.client().get(app.url(&path)).insert_header(("accept-encoding", "gzip")).send().await.unwrap();
                assert_eq!(reply.status(), StatusCode::OK, "{path}");
                let encoding = reply.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
                assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
                reply.body().limit(1 << 20).await.unwrap().len()
            }
        };
        let home = app.get("/").await;
        let css = home.text.split("href=\"/static/app.css").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let css = gzipped(format!("/static/app.css{css}")).await;
        for path in ["/", "/procedures", "/procedures/AS-05", "/faq", "/articles", "/search?q=thai+san", "/questions/new"] {
            let page = gzipped(path.to_owned()).await;
            assert!(page + css < 30 * 1024, "{path}: {page} + {css} bytes");
        }
    }
}
