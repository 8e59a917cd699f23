//! The public home page.

use actix_web::web::ServiceConfig;
use actix_web::{HttpRequest, HttpResponse, get};
use askama::Template;

use crate::error::AppError;
use crate::web::pages::{PageContext, ok};

pub fn page_routes(cfg: &mut ServiceConfig) {
    cfg.service(home);
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    signed_out: bool,
}

#[get("/")]
async fn home(req: HttpRequest, ctx: PageContext) -> Result<HttpResponse, AppError> {
    let signed_out = req.query_string().contains("signed_out=1");
    ok(&HomePage { ctx, signed_out })
}
