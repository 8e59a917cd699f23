//! `/account/card` (the card with its signed QR code) and `/account/access-log` (who checked
//! the card).

use actix_web::web::{Data, ServiceConfig};
use actix_web::{HttpResponse, get};
use askama::Template;

use super::{AccessEntry, HealthCard};
use crate::accounts::session::CitizenSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(card).service(access_log);
}

#[derive(Template)]
#[template(path = "health_card/card.html")]
struct CardPage {
    ctx: PageContext,
    card: Option<HealthCard>,
    qr_svg: String,
}

#[get("/account/card")]
async fn card(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let card = super::card_of(&state, me.account.personal_id).await?;
    let qr_svg = match &card {
        Some(card) => qrcode::QrCode::with_error_correction_level(
            card.qr_payload.as_bytes(),
            qrcode::EcLevel::M,
        )
        .map_err(|e| anyhow::anyhow!("QR code: {e}"))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build(),
        None => String::new(),
    };
    ok(&CardPage { ctx, card, qr_svg })
}

#[derive(Template)]
#[template(path = "health_card/access_log.html")]
struct AccessLogPage {
    ctx: PageContext,
    entries: Vec<AccessEntry>,
    /// Staff reads of the citizen's record (from the audit log), newest first.
    staff_reads: Vec<crate::audit::search::StaffRead>,
}

impl AccessLogPage {
    fn outcome(&self, entry: &AccessEntry) -> &str {
        self.ctx.t(match entry.outcome.as_str() {
            "valid" => "access.outcome.valid",
            "expired" => "access.outcome.expired",
            "not_yet_valid" => "access.outcome.not_yet_valid",
            "no_match" => "access.outcome.no_match",
            _ => "access.outcome.bad_signature",
        })
    }

    fn method(&self, entry: &AccessEntry) -> &str {
        self.ctx.t(if entry.method == "qr" {
            "access.method.qr"
        } else {
            "access.method.number"
        })
    }

    fn read_at(&self, read: &crate::audit::search::StaffRead) -> String {
        crate::clock::in_vietnam(read.read_at)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    /// "Social-insurance staff (approver)": the role, never the person.
    fn reader(&self, read: &crate::audit::search::StaffRead) -> String {
        let role = self.ctx.t(crate::staff::admin::role_key(&read.staff_role));
        self.ctx.t("access.staff.who").replace("{role}", role)
    }

    fn when(&self, entry: &AccessEntry) -> String {
        crate::clock::in_vietnam(entry.checked_at)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }
}

#[get("/account/access-log")]
async fn access_log(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let staff_reads = super::staff_reads(&state, me.account.id.clone()).await?;
    let entries = super::access_log(&state, me.account.personal_id).await?;
    ok(&AccessLogPage {
        ctx,
        entries,
        staff_reads,
    })
}
