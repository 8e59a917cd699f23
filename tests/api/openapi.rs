//! The committed OpenAPI document matches the routes the app serves.

use awc::http::StatusCode;

use crate::support::{TestApp, on_both_backends};

fn committed() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/ansinh.v1.json"
    ))
    .unwrap_or_default()
}

#[test]
fn the_committed_spec_matches_the_routes() {
    assert!(
        ansinh::openapi::document_json() == committed(),
        "openapi/ansinh.v1.json is out of date: run `cargo run -- openapi > openapi/ansinh.v1.json`"
    );
}

#[test]
fn every_account_route_is_in_the_spec() {
    let spec: serde_json::Value = serde_json::from_str(&committed()).expect("valid JSON");
    for (path, method) in [
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/verify-email", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/auth/password-reset/confirm", "post"),
        ("/api/v1/me", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing from the spec"
        );
    }
    // Validation limits are part of the contract.
    let register = &spec["components"]["schemas"]["RegisterRequest"]["properties"];
    assert_eq!(register["password"]["minLength"], 8);
    assert_eq!(register["password"]["maxLength"], 128);
    assert_eq!(register["full_name"]["maxLength"], 100);
}

#[test]
fn no_secret_travels_in_a_url() {
    let spec: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for operation in item.as_object().unwrap().values() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                assert!(
                    !["token", "personal_id", "password"].contains(&name),
                    "{path} takes {name} in the URL"
                );
            }
        }
    }
}

on_both_backends! {
    async fn the_spec_and_the_offline_docs_page_are_served(backend) {
        let app = TestApp::spawn(backend).await;
        let spec = app.get("/api/v1/openapi.json").await;
        assert_eq!(spec.status, StatusCode::OK);
        assert_eq!(spec.body, serde_json::from_str::<serde_json::Value>(&committed()).unwrap());
        let docs = app.get("/api/docs/").await;
        assert_eq!(docs.status, StatusCode::OK);
        assert!(!docs.text.contains("https://"), "the docs page loads nothing from elsewhere");
    }
}

/// Every operation shows a worked example of what it takes and what it answers.
#[test]
fn every_operation_has_examples() {
    let spec: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let bodies = operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten();
            let answers = operation["responses"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(status, _)| status.starts_with('2'))
                .flat_map(|(_, response)| response["content"].as_object().into_iter().flatten());
            for (media, content) in bodies.chain(answers) {
                if content["example"].is_null() {
                    missing.push(format!("{method} {path} ({media})"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without an example: {missing:#?}");
}

#[test]
fn every_insurance_book_route_is_in_the_spec() {
    let spec: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    for (path, method) in [
        ("/api/v1/oauth/token", "post"),
        ("/api/v1/me/contributions", "get"),
        ("/api/v1/me/contributions/summary", "get"),
        ("/api/v1/me/health-card", "get"),
        ("/api/v1/me/access-log", "get"),
        ("/api/v1/health-cards/public-key", "get"),
        ("/api/v1/health-cards/verify", "post"),
        ("/api/v1/employers/{unit_code}/declarations", "post"),
        ("/api/v1/employers/{unit_code}/payments", "post"),
        ("/api/v1/employers/{unit_code}/arrears", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    let schemes = &spec["components"]["securitySchemes"]["client_credentials"];
    assert_eq!(
        schemes["flows"]["clientCredentials"]["tokenUrl"],
        "/api/v1/oauth/token"
    );
}

/// utoipa keys components by name: two types called `Status` silently become one schema, and
/// the spec then describes one with the other's values. Every schema name must be unique.
#[test]
fn schema_names_are_unique() {
    fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut seen = std::collections::HashMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut pending: Option<Option<String>> = None;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                pending = Some(None);
            } else if let Some(renamed) = line.strip_prefix("#[schema(as = ") {
                if let Some(p) = pending.as_mut() {
                    *p = Some(renamed.trim_end_matches(")]").to_owned());
                }
            } else if let Some(p) = pending
                .take_if(|_| line.starts_with("pub struct ") || line.starts_with("pub enum "))
            {
                let declared = line
                    .split_whitespace()
                    .nth(2)
                    .unwrap()
                    .trim_end_matches(['{', '(', ';', '<']);
                let name = p.unwrap_or_else(|| declared.to_owned());
                if let Some(other) = seen.insert(name.clone(), file.clone()) {
                    panic!(
                        "two schemas named {name}: {} and {}",
                        other.display(),
                        file.display()
                    );
                }
            }
        }
    }
    assert!(
        seen.contains_key("EnrolmentStatus") && seen.contains_key("Status"),
        "{seen:?}"
    );
}

/// Operation ids name generated client methods: two operations with one id break generators.
#[test]
fn operation_ids_are_unique() {
    let spec: serde_json::Value = serde_json::from_str(&committed()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if let Some(id) = operation["operationId"].as_str() {
                assert!(
                    seen.insert(id.to_owned()),
                    "operationId {id} used twice (again at {method} {path})"
                );
            }
        }
    }
}
