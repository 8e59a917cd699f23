//! The API description. Paths come from the same registrations as the router
//! (utoipa-actix-web), so the spec cannot list a route the app does not serve or miss one it
//! does; `openapi/ansinh.v1.json` is the committed copy, checked by a test.

use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "An Sinh API",
        version = "1.0.0",
        description = "Citizen portal for social, health and unemployment insurance. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Registration, login, tokens, password reset"),
        (name = "insurance book", description = "The citizen's contribution months and their summary"),
        (name = "health card", description = "The health-insurance card, clinic checks and the holder's access log"),
        (name = "employers", description = "Monthly declarations, payments and arrears, for employers' payroll software"),
        (name = "api clients", description = "OAuth2 client-credentials tokens for third-party applications"),
        (name = "calculators", description = "Public price calculators for voluntary social insurance and household health insurance"),
        (name = "enrolments", description = "Registering for voluntary social insurance and household health insurance, and payments collected for them"),
        (name = "claims", description = "The citizen's benefit claims: sickness, maternity, unemployment, lump sum, funeral, HI reimbursement"),
        (name = "retirement", description = "The citizen's retirement planner: retirement date, pension estimate, gaps and what-ifs"),
        (name = "payout account", description = "The bank account the citizen's benefits are paid into: in their own name, changed only with the password again"),
        (name = "staff work", description = "For the agency's staff (password + TOTP token): the work queue with legal deadlines, take / assign / release, and deciding claims with four-eyes approval and optimistic concurrency (`ETag` / `If-Match`)"),
        (name = "payments", description = "Staff: approved claims batched into payment runs, the bank-transfer file, and what the bank paid or returned"),
        (name = "staff administration", description = "Administrators list, invite, re-role, deactivate and reactivate staff (If-Match required to change)"),
        (name = "audit", description = "Administrators search the append-only, hash-chained audit log"),
        (name = "content", description = "Public policy information: the procedures catalogue, articles and FAQ, searchable with or without Vietnamese accents; cacheable (ETag, 304)"),
        (name = "statistics", description = "Aggregate figures: participants by scheme and province, coverage against targets, claims and decision times, employers' arrears; public (cacheable) and for staff, with the coverage targets administrators set"),
        (name = "fraud flags", description = "Staff triage of fraud and duplicate flags: shared contact details or bank accounts, two SI codes, claims after a death, benefit while contributing, bursts from one origin"),
    ),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        let scopes = crate::api_clients::Scope::ALL.map(|scope| {
            let meaning = match scope {
                crate::api_clients::Scope::DeclarationsWrite => {
                    "submit an employer's declarations and payments, read its arrears"
                }
                crate::api_clients::Scope::CardsVerify => "check health-insurance cards",
                crate::api_clients::Scope::CollectionsWrite => {
                    "record payments collected for voluntary SI and household HI registrations"
                }
            };
            (scope.as_str(), meaning)
        });
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(
                ClientCredentials::new("/api/v1/oauth/token", Scopes::from_iter(scopes)),
            )])),
        );
    }
}

/// Every `/api/v1` route; `app.rs` mounts this same function.
pub fn api_v1(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    crate::accounts::routes(cfg);
    crate::api_clients::api::routes(cfg);
    crate::insurance_book::api_routes(cfg);
    crate::health_card::api_routes(cfg);
    crate::declarations::api_routes(cfg);
    crate::enrolment::api_routes(cfg);
    crate::claims::api_routes(cfg);
    crate::retirement::api_routes(cfg);
    crate::payout::api_routes(cfg);
    crate::payments::api_routes(cfg);
    crate::content::api_routes(cfg);
    crate::casework::api_routes(cfg);
    crate::statistics::api_routes(cfg);
    crate::flags::api_routes(cfg);
    crate::staff::api_routes(cfg);
    crate::audit::api::routes(cfg);
}

/// The OpenAPI document, built from the routes without starting a server.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .split_for_parts();
    api
}

static SPEC: std::sync::LazyLock<String> = std::sync::LazyLock::new(document_json);

/// `GET /api/v1/openapi.json`: the document, built once.
pub async fn serve() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=300",
        ))
        .body(SPEC.as_str())
}

/// The methods the API serves at a route pattern (e.g. `POST` for `/api/v1/auth/login`).
pub fn methods_of(pattern: &str) -> Vec<String> {
    let spec: serde_json::Value = serde_json::from_str(&SPEC).unwrap_or_default();
    spec["paths"][pattern]
        .as_object()
        .map(|operations| operations.keys().map(|m| m.to_uppercase()).collect())
        .unwrap_or_default()
}

/// The document as committed in `openapi/ansinh.v1.json` (pretty JSON, trailing newline).
pub fn document_json() -> String {
    let json = serde_json::to_string_pretty(&document()).unwrap_or_default();
    format!("{json}\n")
}
