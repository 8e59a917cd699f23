//! The role matrix, end to end: every page route under `/admin` (found by scanning the source)
//! and every `/api/v1/staff` operation (from the OpenAPI document) is requested as each staff
//! role, as a citizen and anonymously, and must admit exactly the roles its permission grants
//! (`staff::access::Permission::granted_to`). A route missing from [`PAGES`] / [`API`], or a row
//! that is no longer a route, fails the test: adding a route means adding one line here.

use std::collections::BTreeSet;
use std::path::Path;

use awc::http::StatusCode;

use ansinh::accounts::model::Role;
use ansinh::staff::Permission;

use crate::staff::staff_with_token;
use crate::support::{Browser, Citizen, Reply, TestApp, location, on_both_backends};

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Any staff member (the admin home, the second-factor step).
    AnyStaff,
    /// The roles the matrix grants this permission.
    Needs(Permission),
}

use Permission::*;
use Rule::{AnyStaff, Needs};

/// Every page route under `/admin`: (method, path pattern as written in the source, rule).
const PAGES: &[(&str, &str, Rule)] = &[
    ("GET", "/admin", AnyStaff),
    ("GET", "/admin/mfa", AnyStaff),
    ("POST", "/admin/mfa", AnyStaff),
    ("GET", "/admin/staff", Needs(ManageStaff)),
    ("POST", "/admin/staff", Needs(ManageStaff)),
    ("GET", "/admin/staff/{id}", Needs(ManageStaff)),
    ("POST", "/admin/staff/{id}", Needs(ManageStaff)),
    ("GET", "/admin/audit", Needs(ReadAudit)),
    ("POST", "/admin/audit/verify", Needs(ReadAudit)),
    ("GET", "/admin/clients", Needs(ManageClients)),
    ("POST", "/admin/clients", Needs(ManageClients)),
    (
        "POST",
        "/admin/clients/{client_id}/revoke",
        Needs(ManageClients),
    ),
    ("GET", "/admin/policy", Needs(ManagePolicy)),
    ("POST", "/admin/policy", Needs(ManagePolicy)),
    ("GET", "/admin/questions", Needs(AnswerQuestions)),
    ("GET", "/admin/questions/{id}", Needs(AnswerQuestions)),
    (
        "POST",
        "/admin/questions/{id}/answer",
        Needs(AnswerQuestions),
    ),
    ("POST", "/admin/questions/{id}/publish", Needs(EditContent)),
    ("GET", "/admin/content", Needs(EditContent)),
    ("GET", "/admin/content/new", Needs(EditContent)),
    ("POST", "/admin/content/new", Needs(EditContent)),
    ("GET", "/admin/content/{id}", Needs(EditContent)),
    ("POST", "/admin/content/{id}", Needs(EditContent)),
    ("GET", "/admin/content/{id}/translation", Needs(EditContent)),
    (
        "POST",
        "/admin/content/{id}/translation",
        Needs(EditContent),
    ),
    (
        "GET",
        "/admin/content/{id}/revisions/{revision}",
        Needs(EditContent),
    ),
    (
        "POST",
        "/admin/content/{id}/revisions/{revision}/restore",
        Needs(EditContent),
    ),
    ("GET", "/admin/queue", Needs(Review)),
    ("POST", "/admin/queue/{kind}/{id}", Needs(Review)),
    ("GET", "/admin/flags", Needs(Review)),
    ("GET", "/admin/flags/{id}", Needs(Review)),
    ("POST", "/admin/flags/{id}", Needs(Review)),
    ("GET", "/admin/payments", Needs(Pay)),
    ("POST", "/admin/payments", Needs(Pay)),
    ("GET", "/admin/payments/{id}", Needs(Pay)),
    ("GET", "/admin/payments/{id}/export.csv", Needs(Pay)),
    ("POST", "/admin/payments/{id}/paid", Needs(Pay)),
    (
        "POST",
        "/admin/payments/{id}/items/{claim_id}/return",
        Needs(Pay),
    ),
    ("GET", "/admin/stats", Needs(ReadStats)),
    ("GET", "/admin/stats/{section}.csv", Needs(ReadStats)),
    ("GET", "/admin/stats/targets", Needs(ManagePolicy)),
    ("POST", "/admin/stats/targets", Needs(ManagePolicy)),
    ("GET", "/admin/claims", Needs(Review)),
    ("GET", "/admin/claims/{id}", Needs(Review)),
    ("POST", "/admin/claims/{id}", Needs(Review)),
    (
        "GET",
        "/admin/claims/{id}/documents/{document_id}",
        Needs(Review),
    ),
    ("GET", "/admin/enrolments", Needs(Review)),
    ("GET", "/admin/enrolments/{id}", Needs(Review)),
    ("POST", "/admin/enrolments/{id}/decision", Needs(Decide)),
    ("POST", "/admin/enrolments/{id}/payments", Needs(Review)),
    ("GET", "/admin/enrolments/{id}/evidence", Needs(Review)),
];

/// Every `/api/v1/staff` operation: (method, path as in the OpenAPI document, rule).
const API: &[(&str, &str, Rule)] = &[
    ("GET", "/api/v1/staff/staff-members", Needs(ManageStaff)),
    ("POST", "/api/v1/staff/staff-members", Needs(ManageStaff)),
    (
        "GET",
        "/api/v1/staff/staff-members/{id}",
        Needs(ManageStaff),
    ),
    (
        "PATCH",
        "/api/v1/staff/staff-members/{id}",
        Needs(ManageStaff),
    ),
    ("GET", "/api/v1/staff/audit", Needs(ReadAudit)),
    ("GET", "/api/v1/staff/queue", Needs(Review)),
    (
        "POST",
        "/api/v1/staff/queue/{type}/{id}/take",
        Needs(Review),
    ),
    (
        "POST",
        "/api/v1/staff/queue/{type}/{id}/release",
        Needs(Review),
    ),
    (
        "POST",
        "/api/v1/staff/queue/{type}/{id}/assign",
        Needs(Review),
    ),
    ("GET", "/api/v1/staff/claims/{id}", Needs(Review)),
    ("POST", "/api/v1/staff/claims/{id}/review", Needs(Review)),
    (
        "POST",
        "/api/v1/staff/claims/{id}/request-info",
        Needs(Review),
    ),
    ("POST", "/api/v1/staff/claims/{id}/proposal", Needs(Review)),
    ("POST", "/api/v1/staff/claims/{id}/approval", Needs(Decide)),
    ("POST", "/api/v1/staff/claims/{id}/rejection", Needs(Decide)),
    ("POST", "/api/v1/staff/claims/{id}/payment", Needs(Pay)),
    ("GET", "/api/v1/staff/enrolments/{id}", Needs(Review)),
    (
        "POST",
        "/api/v1/staff/enrolments/{id}/decision",
        Needs(Decide),
    ),
    (
        "GET",
        "/api/v1/staff/questions/{id}",
        Needs(AnswerQuestions),
    ),
    (
        "POST",
        "/api/v1/staff/questions/{id}/answer",
        Needs(AnswerQuestions),
    ),
    ("GET", "/api/v1/staff/flags", Needs(Review)),
    ("GET", "/api/v1/staff/flags/{id}", Needs(Review)),
    ("POST", "/api/v1/staff/flags/{id}/triage", Needs(Review)),
    ("GET", "/api/v1/staff/payment-runs", Needs(Pay)),
    ("POST", "/api/v1/staff/payment-runs", Needs(Pay)),
    ("GET", "/api/v1/staff/payment-runs/{id}", Needs(Pay)),
    ("GET", "/api/v1/staff/payment-runs/{id}/export", Needs(Pay)),
    ("POST", "/api/v1/staff/payment-runs/{id}/paid", Needs(Pay)),
    (
        "POST",
        "/api/v1/staff/payment-runs/{id}/items/{claim_id}/return",
        Needs(Pay),
    ),
    ("GET", "/api/v1/staff/statistics", Needs(ReadStats)),
    (
        "PUT",
        "/api/v1/staff/coverage-targets/{year}/{scheme}",
        Needs(ManagePolicy),
    ),
];

const ROLES: [Role; 4] = [
    Role::Clerk,
    Role::Approver,
    Role::ContentEditor,
    Role::Admin,
];

fn allowed(rule: Rule, role: Role) -> bool {
    match rule {
        AnyStaff => true,
        Needs(permission) => permission.granted_to(role),
    }
}

/// The `#[get("/admin…")]`-style attributes (and `web::resource("/admin…")`) in `src/**/*.rs`.
fn page_routes_in_source() -> BTreeSet<(String, String)> {
    fn walk(dir: &Path, found: &mut BTreeSet<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("a source file");
                for (marker, method) in [
                    ("#[get(\"", "GET"),
                    ("#[post(\"", "POST"),
                    ("#[put(\"", "PUT"),
                    ("#[delete(\"", "DELETE"),
                    ("#[patch(\"", "PATCH"),
                    ("web::resource(\"", "ANY"),
                ] {
                    for (at, _) in source.match_indices(marker) {
                        let rest = &source[at + marker.len()..];
                        let route = &rest[..rest.find('"').unwrap_or(0)];
                        if route == "/admin" || route.starts_with("/admin/") {
                            found.insert((method.to_owned(), route.to_owned()));
                        }
                    }
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found
}

/// The `/api/v1/staff` operations of the OpenAPI document.
fn staff_api_routes() -> BTreeSet<(String, String)> {
    let spec = serde_json::to_value(ansinh::openapi::document()).unwrap();
    let mut found = BTreeSet::new();
    for (path, operations) in spec["paths"].as_object().unwrap() {
        if path.starts_with("/api/v1/staff/") || path == "/api/v1/staff" {
            for method in operations.as_object().unwrap().keys() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// Differences between the routes and a table, as lines for the failure message.
fn mismatches(routes: &BTreeSet<(String, String)>, table: &[(&str, &str, Rule)]) -> Vec<String> {
    let rows: BTreeSet<(String, String)> = table
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let mut problems: Vec<String> = routes
        .difference(&rows)
        .map(|(m, p)| format!("route not in the table: (\"{m}\", \"{p}\", ...)"))
        .collect();
    problems.extend(
        rows.difference(routes)
            .map(|(m, p)| format!("table row that is no route: {m} {p}")),
    );
    if rows.len() != table.len() {
        problems.push("a route is in the table twice".into());
    }
    problems
}

/// Path parameters that are not ids (numbers): what to put in them.
const PARAMS: &[(&str, &str)] = &[
    ("{revision}", "1"),
    ("{kind}", "claim"),
    ("{type}", "claim"),
    ("{section}.csv", "claims.csv"),
    ("{year}", "2026"),
    ("{scheme}", "compulsory_si"),
];

/// A random id in every `{param}` (or its value from [`PARAMS`]): an allowed role then meets
/// 404, 422 or similar, never 403.
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| {
            if let Some((_, value)) = PARAMS.iter().find(|(name, _)| *name == segment) {
                (*value).to_owned()
            } else if segment.starts_with('{') {
                uuid::Uuid::now_v7().to_string()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A page request as `browser` (with its CSRF token for POSTs).
async fn page_request(browser: &mut Browser<'_>, csrf: &str, method: &str, path: &str) -> Reply {
    match method {
        "GET" => browser.get(path).await,
        "POST" => browser.post_form(path, csrf, &[]).await,
        other => panic!("no page requests with {other} yet: teach the test"),
    }
}

async fn api_request(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> Reply {
    let client = app.client();
    let mut request = match method {
        "GET" => client.get(app.url(path)),
        "POST" => client.post(app.url(path)),
        "PUT" => client.put(app.url(path)),
        "PATCH" => client.patch(app.url(path)),
        "DELETE" => client.delete(app.url(path)),
        other => panic!("unexpected method {other}"),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = request.insert_header(("if-match", "\"v1\""));
    let response = if method == "GET" || method == "DELETE" {
        request.send().await
    } else {
        request.send_json(&serde_json::json!({})).await
    };
    Reply::read(response.expect("request sent")).await
}

/// Refused as a staff member without the permission.
fn denied(reply: &Reply) -> bool {
    reply.status == StatusCode::FORBIDDEN
}

/// Let in: whatever the outcome (404 for a made-up id, 422 for an empty form...), not refused,
/// not sent to log in, and no server error.
fn admitted(reply: &Reply) -> bool {
    !matches!(
        reply.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    ) && !reply.status.is_server_error()
        && !location(reply).starts_with("/login")
}

/// The expected role sets per permission, written out on purpose: changing the matrix in
/// `staff::access` means changing it here too.
#[test]
fn the_role_matrix_is_the_one_agreed() {
    use Role::{Admin, Approver, Clerk, ContentEditor};
    let expected: [(Permission, &[Role]); 10] = [
        (Review, &[Clerk, Approver, Admin]),
        (Decide, &[Approver, Admin]),
        (Pay, &[Approver, Admin]),
        (AnswerQuestions, &[Clerk, Approver, ContentEditor, Admin]),
        (EditContent, &[ContentEditor, Admin]),
        (ReadStats, &[Clerk, Approver, ContentEditor, Admin]),
        (ReadAudit, &[Admin]),
        (ManageStaff, &[Admin]),
        (ManageClients, &[Admin]),
        (ManagePolicy, &[Admin]),
    ];
    assert_eq!(expected.len(), Permission::ALL.len());
    for (permission, roles) in expected {
        let granted: Vec<Role> = ROLES
            .into_iter()
            .filter(|r| permission.granted_to(*r))
            .collect();
        assert_eq!(granted, roles, "{permission:?}");
    }
}

#[test]
fn every_admin_page_and_staff_api_route_is_in_the_table() {
    let mut problems = mismatches(&page_routes_in_source(), PAGES);
    problems.extend(mismatches(&staff_api_routes(), API));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

on_both_backends! {
    async fn every_staff_route_admits_exactly_the_roles_its_permission_grants(backend) {
        let app = TestApp::spawn(backend).await;
        let mut staff = Vec::new();
        for (n, role) in ROLES.into_iter().enumerate() {
            let (mut browser, token) = staff_with_token(&app, &format!("vaitro{n}@vss.example.vn"), role).await;
            let csrf = browser.csrf_token("/admin").await;
            staff.push((role, browser, csrf, token));
        }
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut citizen_browser = Browser::new(&app);
        citizen_browser.log_in(&citizen.email, &citizen.password).await;
        let citizen_csrf = citizen_browser.csrf_token("/account/access-log").await;
        let citizen_token = app.api_login(&citizen.email, &citizen.password).await.body["access_token"].as_str().unwrap().to_owned();
        let mut anonymous = Browser::new(&app);
        let anonymous_csrf = anonymous.csrf_token("/login").await;

        let mut failures = Vec::new();
        for (method, pattern, rule) in PAGES {
            let path = concrete(pattern);
            for (role, browser, csrf, _) in staff.iter_mut() {
                let reply = page_request(browser, csrf, method, &path).await;
                let ok = if allowed(*rule, *role) { admitted(&reply) } else { denied(&reply) };
                if !ok {
                    failures.push(format!("{method} {pattern} as {role:?}: {} {}", reply.status, location(&reply)));
                }
            }
            let reply = page_request(&mut citizen_browser, &citizen_csrf, method, &path).await;
            if !matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                failures.push(format!("{method} {pattern} as a citizen: {}", reply.status));
            }
            let reply = page_request(&mut anonymous, &anonymous_csrf, method, &path).await;
            // A GET is sent to log in; a form posted without a session cannot be replayed after
            // logging in, so it is refused with 401 instead.
            let to_login = reply.status == StatusCode::SEE_OTHER && location(&reply).starts_with("/login");
            if !(to_login || (*method == "POST" && reply.status == StatusCode::UNAUTHORIZED)) {
                failures.push(format!("{method} {pattern} anonymously: {} {}", reply.status, location(&reply)));
            }
        }
        for (method, pattern, rule) in API {
            let path = concrete(pattern);
            for (role, _, _, token) in &staff {
                let reply = api_request(&app, method, &path, Some(token)).await;
                let ok = if allowed(*rule, *role) { admitted(&reply) } else { denied(&reply) };
                if !ok {
                    failures.push(format!("{method} {pattern} as {role:?}: {} {}", reply.status, reply.text));
                }
            }
            let reply = api_request(&app, method, &path, Some(&citizen_token)).await;
            if !matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                failures.push(format!("{method} {pattern} as a citizen: {}", reply.status));
            }
            let reply = api_request(&app, method, &path, None).await;
            if reply.status != StatusCode::UNAUTHORIZED {
                failures.push(format!("{method} {pattern} anonymously: {}", reply.status));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
