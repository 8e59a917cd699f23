//! Policy information (issue 6): the procedures catalogue, articles and FAQ entries, each in
//! Vietnamese and English ([`model`], [`store`]), Markdown rendered to sanitised HTML
//! ([`markdown`]), searched without accents on both backends ([`search`]), served to the public
//! as cacheable pages and over the API, and seeded with our own texts ([`seed`]). Content
//! editors write, preview, publish, schedule and archive it at `/admin/content`
//! ([`admin_pages`], [`editing`]), compare revisions ([`diff`]) and restore them. Citizens ask
//! questions that staff answer and editors may publish as FAQ entries ([`questions`]).

pub mod admin_pages;
pub mod api;
pub mod diff;
pub mod editing;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod questions;
pub mod questions_api;
pub mod questions_pages;
pub mod search;
pub mod seed;
pub mod store;
pub mod view;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
    questions_api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
    questions_pages::routes(cfg);
    admin_pages::routes(cfg);
}
