//! Health, readiness and metrics.

use awc::http::StatusCode;

use crate::support::{TestApp, on_both_backends};

on_both_backends! {
    async fn health_readiness_and_metrics(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
        let ready = app.get("/readyz").await;
        assert_eq!((ready.status, ready.body["status"].as_str()), (StatusCode::OK, Some("ready")));
        app.get("/login").await;
        let metrics = app.get("/metrics").await;
        assert_eq!(metrics.status, StatusCode::OK);
        assert!(metrics.text.contains("ansinh_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1"), "{}", metrics.text);
        assert!(metrics.text.contains("ansinh_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",le=\"+Inf\"} 1"));
        assert!(metrics.text.contains("ansinh_db_pool_connections{state=\"open\"}"));
        assert!(metrics.text.contains("ansinh_outbox_backlog 0"));
    }

    async fn static_files_are_cached_by_content_hash(backend) {
        let app = TestApp::spawn(backend).await;
        let home = app.get("/").await;
        let start = home.text.find("/static/app.css?v=").expect("the stylesheet link");
        let href: String = home.text[start..].chars().take_while(|c| *c != '"').collect();
        let css = app.get(&href).await;
        assert_eq!(css.status, StatusCode::OK);
        assert_eq!(css.header("cache-control"), Some("public, max-age=31536000, immutable"));
        assert!(css.header("content-type").unwrap().starts_with("text/css"));
        let etag = css.header("etag").unwrap().to_owned();
        let again = app.client().get(app.url(&href)).insert_header(("if-none-match", etag)).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
}
