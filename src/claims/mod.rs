//! Benefit claims (issue 5): the typed forms (`form`), the flow from draft to its end with a
//! timeline and messages (`flow`), and the citizen's API. Eligibility, estimates and legal
//! deadlines (pure rules) and the staff handling come next.

pub mod api;
pub mod flow;
pub mod form;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}
