//! Benefit claims (issue 5): the typed forms ([`form`]); the flow from draft to its end with a
//! timeline and messages ([`flow`]) and the citizen's API; working-day deadlines over the dated
//! public-holiday table ([`calendar`]); the eligibility checks, estimates and legal decision
//! deadlines of the six claim types ([`rules`], DOMAIN.md §6.5, §7 and Examples 3, 4, 7); each
//! claim checked against the claimant's own book, with the lump sum compared to staying in the
//! system ([`assessment`]). The staff handling, documents, bank account and pages build on these.

pub mod admin_pages;
pub mod api;
pub mod assessment;
pub mod calendar;
pub mod casefile;
pub mod decision;
pub mod documents;
pub mod fields;
pub mod flow;
pub mod form;
pub mod pages;
pub mod rules;
pub mod staff_api;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
    staff_api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
    admin_pages::routes(cfg);
}
