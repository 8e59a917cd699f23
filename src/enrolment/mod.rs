//! Voluntary social insurance and household health insurance: their prices (`rules`) — the
//! first part of issue 4; calculators, registration and payments come next.

pub mod api;
pub mod rules;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}
