//! The statistics pages: `/admin/stats` (all staff) with a CSV of each table,
//! `/admin/stats/targets` (administrators set the coverage targets) and the public
//! `/statistics` (aggregates only, cacheable).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use super::api::MonthQuery;
use super::charts::{self, Bar};
use super::{
    DecisionTime, Expected, NewTarget, PublicStatistics, SCHEMES, StaffStatistics, Target, rules,
};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::clock::in_vietnam;
use crate::error::{AppError, FieldCode};
use crate::staff::Permission;
use crate::web::cache;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::i18n::Lang;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    // `targets` before `{section}.csv`, which it would not match anyway.
    cfg.service(targets)
        .service(set_target)
        .service(admin)
        .service(csv)
        .service(public);
}

/// How many breaching claims the page lists (the CSV has them all).
const BREACHES_SHOWN: usize = 100;

/// The catalog key naming a scheme.
fn scheme_key(scheme: &str) -> &'static str {
    match scheme {
        "compulsory_si" => "stats.scheme.compulsory_si",
        "voluntary_si" => "stats.scheme.voluntary_si",
        _ => "stats.scheme.household_hi",
    }
}

/// The catalog key naming a claim kind.
fn kind_key(kind: &str) -> &'static str {
    match kind {
        "sickness" => "claims.kind.sickness",
        "maternity" => "claims.kind.maternity",
        "unemployment" => "claims.kind.unemployment",
        "lump_sum" => "claims.kind.lump_sum",
        "funeral" => "claims.kind.funeral",
        _ => "claims.kind.hi_reimbursement",
    }
}

/// The catalog key naming a claim status.
fn status_key(status: &str) -> &'static str {
    crate::claims::flow::Status::parse(status).key()
}

/// Number and text helpers shared by the three pages.
struct Format {
    lang: Lang,
}

impl Format {
    fn count(&self, n: &i64) -> String {
        self.lang.group_digits(*n)
    }

    /// One decimal, with the comma Vietnamese writes.
    fn decimal(&self, value: f64) -> String {
        let text = format!("{value:.1}");
        match self.lang {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    fn province(&self, code: &str, name: &str) -> String {
        if name.is_empty() {
            self.lang.t("stats.province.unknown").to_owned()
        } else {
            format!("{name} ({code})")
        }
    }
}

fn scheme_chart(
    id: &str,
    ctx: &PageContext,
    f: &Format,
    schemes: &[super::SchemeFigure],
) -> String {
    let bars: Vec<Bar> = schemes
        .iter()
        .map(|s| Bar {
            label: ctx.t(scheme_key(&s.scheme)).to_owned(),
            value: s.participants,
            shown: f.count(&s.participants),
        })
        .collect();
    charts::bar_chart(
        id,
        ctx.t("stats.chart.schemes"),
        ctx.t("stats.chart.table_below"),
        &bars,
    )
}

fn province_chart(
    id: &str,
    ctx: &PageContext,
    f: &Format,
    provinces: &[super::ProvinceFigure],
) -> String {
    let bars: Vec<Bar> = provinces
        .iter()
        .map(|p| {
            let total = p.compulsory_si + p.voluntary_si + p.household_hi;
            Bar {
                label: f.province(&p.code, &p.name),
                value: total,
                shown: f.count(&total),
            }
        })
        .collect();
    charts::bar_chart(
        id,
        ctx.t("stats.chart.provinces"),
        ctx.t("stats.chart.table_below"),
        &bars,
    )
}

fn kind_chart(id: &str, ctx: &PageContext, f: &Format, kinds: &[super::KindFigure]) -> String {
    let bars: Vec<Bar> = kinds
        .iter()
        .map(|k| Bar {
            label: ctx.t(kind_key(&k.kind)).to_owned(),
            value: k.received,
            shown: f.count(&k.received),
        })
        .collect();
    charts::bar_chart(
        id,
        ctx.t("stats.chart.claims"),
        ctx.t("stats.chart.table_below"),
        &bars,
    )
}

#[derive(Template)]
#[template(path = "statistics/admin.html")]
struct AdminPage {
    ctx: PageContext,
    f: Format,
    stats: StaffStatistics,
    month: String,
    scheme_svg: String,
    province_svg: String,
    kind_svg: String,
    debtor_svg: String,
    sets_targets: bool,
    breaches_shown: usize,
}

impl AdminPage {
    fn scheme(&self, scheme: &str) -> &str {
        self.ctx.t(scheme_key(scheme))
    }
    fn kind(&self, kind: &str) -> &str {
        self.ctx.t(kind_key(kind))
    }
    fn status(&self, status: &str) -> &str {
        self.ctx.t(status_key(status))
    }
    fn maybe(&self, value: &Option<f64>) -> String {
        value.map_or_else(
            || self.ctx.t("stats.none").to_owned(),
            |v| self.f.decimal(v),
        )
    }
    fn maybe_count(&self, value: &Option<i64>) -> String {
        value.map_or_else(|| self.ctx.t("stats.none").to_owned(), |v| self.f.count(&v))
    }
    fn shown_breaches(&self) -> &[super::Breach] {
        let shown = self.stats.breaches.len().min(self.breaches_shown);
        self.stats.breaches.get(..shown).unwrap_or_default()
    }
    fn breach_count(&self) -> String {
        self.f.count(&(self.stats.breaches.len() as i64))
    }
}

#[get("/admin/stats")]
async fn admin(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    query: Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::ReadStats)?;
    let stats = super::staff_figures(&state, query.month()?).await?;
    let f = Format { lang: ctx.lang };
    let debtors: Vec<Bar> = stats
        .arrears
        .top_debtors
        .iter()
        .map(|d| Bar {
            label: d.name.clone(),
            value: d.owed,
            shown: ctx.money(&d.owed),
        })
        .collect();
    ok(&AdminPage {
        scheme_svg: scheme_chart("chart-schemes", &ctx, &f, &stats.schemes),
        province_svg: province_chart("chart-provinces", &ctx, &f, &stats.provinces),
        kind_svg: kind_chart("chart-claims", &ctx, &f, &stats.claims_by_kind),
        debtor_svg: charts::bar_chart(
            "chart-debtors",
            ctx.t("stats.chart.debtors"),
            ctx.t("stats.chart.table_below"),
            &debtors,
        ),
        month: stats.month.to_string(),
        sets_targets: me.may(Permission::ManagePolicy),
        breaches_shown: BREACHES_SHOWN,
        stats,
        f,
        ctx,
    })
}

/// A table of the staff figures as CSV, named by the section and the month.
#[get("/admin/stats/{section}.csv")]
async fn csv(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    section: Path<String>,
    query: Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::ReadStats)?;
    let section = section.into_inner();
    if !matches!(
        section.as_str(),
        "schemes" | "provinces" | "claims" | "decisions" | "breaches" | "debtors"
    ) {
        return Err(AppError::NotFound);
    }
    let stats = super::staff_figures(&state, query.month()?).await?;
    let body = csv_of(&section, &stats, &ctx);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"thong-ke-{section}-{}.csv\"",
                stats.month
            ),
        ))
        .body(body))
}

/// Numbers in CSV are plain digits (no grouping), decimals with a point, so spreadsheets read
/// them as numbers in any locale; names of schemes, kinds and statuses are in the page's
/// language.
fn csv_of(section: &str, stats: &StaffStatistics, ctx: &PageContext) -> String {
    let t = |key| ctx.t(key);
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    match section {
        "schemes" => rules::csv(
            &[
                t("stats.col.scheme"),
                t("stats.col.participants"),
                t("stats.col.target"),
                t("stats.col.coverage"),
            ],
            &stats
                .schemes
                .iter()
                .map(|s| {
                    vec![
                        t(scheme_key(&s.scheme)).to_owned(),
                        s.participants.to_string(),
                        s.target.map(|v| v.to_string()).unwrap_or_default(),
                        opt(s.coverage_percent),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        "provinces" => rules::csv(
            &[
                t("stats.col.province_code"),
                t("stats.col.province"),
                t("stats.scheme.compulsory_si"),
                t("stats.scheme.voluntary_si"),
                t("stats.scheme.household_hi"),
            ],
            &stats
                .provinces
                .iter()
                .map(|p| {
                    vec![
                        p.code.clone(),
                        if p.name.is_empty() {
                            t("stats.province.unknown").to_owned()
                        } else {
                            p.name.clone()
                        },
                        p.compulsory_si.to_string(),
                        p.voluntary_si.to_string(),
                        p.household_hi.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        "claims" => rules::csv(
            &[
                t("stats.col.kind"),
                t("stats.col.status"),
                t("stats.col.claims"),
            ],
            &stats
                .claims
                .iter()
                .map(|c| {
                    vec![
                        t(kind_key(&c.kind)).to_owned(),
                        t(status_key(&c.status)).to_owned(),
                        c.claims.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        "decisions" => {
            let d: &DecisionTime = &stats.decision_time;
            rules::csv(
                &[
                    t("stats.col.decided"),
                    t("stats.col.average_days"),
                    t("stats.col.p90_days"),
                    t("stats.col.within_deadline"),
                ],
                &[vec![
                    d.decided.to_string(),
                    opt(d.average_days),
                    opt(d.p90_days),
                    opt(d.within_deadline_percent),
                ]],
            )
        }
        "breaches" => rules::csv(
            &[
                t("stats.col.claim"),
                t("stats.col.kind"),
                t("stats.col.status"),
                t("stats.col.due"),
                t("stats.col.decided_on"),
                t("stats.col.days_late"),
            ],
            &stats
                .breaches
                .iter()
                .map(|b| {
                    vec![
                        b.claim_id.clone(),
                        t(kind_key(&b.kind)).to_owned(),
                        t(status_key(&b.status)).to_owned(),
                        b.decision_due.to_string(),
                        b.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                        b.days_late.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        _ => rules::csv(
            &[
                t("stats.col.employer"),
                t("stats.col.tax_code"),
                t("stats.col.owed"),
                t("stats.col.months_owed"),
            ],
            &stats
                .arrears
                .top_debtors
                .iter()
                .map(|d| {
                    vec![
                        d.name.clone(),
                        d.tax_code.clone(),
                        d.owed.to_string(),
                        d.months_owed.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
    }
}

/// One scheme's row on the targets page.
struct TargetRow {
    scheme: &'static str,
    target: Option<Target>,
}

#[derive(Template)]
#[template(path = "statistics/targets.html")]
struct TargetsPage {
    ctx: PageContext,
    year: i32,
    rows: Vec<TargetRow>,
    saved: Option<String>,
    errors: FormErrors,
    /// What was typed in a refused form: (scheme, text).
    typed: Option<(String, String)>,
}

impl TargetsPage {
    fn scheme(&self, scheme: &str) -> &str {
        self.ctx.t(scheme_key(scheme))
    }
    fn value_of(&self, row: &TargetRow) -> String {
        match &self.typed {
            Some((scheme, text)) if scheme == row.scheme => text.clone(),
            _ => row
                .target
                .as_ref()
                .map(|t| t.target_people.to_string())
                .unwrap_or_default(),
        }
    }
    fn version_of(&self, row: &TargetRow) -> String {
        row.target
            .as_ref()
            .map(|t| t.version.to_string())
            .unwrap_or_default()
    }
    fn people(&self, n: &i64) -> String {
        self.ctx.lang.group_digits(*n)
    }
    fn error_of(&self, row: &TargetRow) -> Option<&str> {
        self.errors.get(&format!("target-{}", row.scheme))
    }
}

#[derive(Deserialize)]
struct TargetsQuery {
    year: Option<String>,
    saved: Option<String>,
}

async fn targets_page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    year: i32,
    saved: Option<String>,
    errors: FormErrors,
    typed: Option<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let stored = state
        .db
        .read(move |conn| Ok(super::figures::targets(conn, year)?))
        .await?;
    let rows = SCHEMES
        .into_iter()
        .map(|scheme| TargetRow {
            scheme,
            target: stored.iter().find(|t| t.scheme == scheme).cloned(),
        })
        .collect();
    let saved = saved.filter(|s| SCHEMES.contains(&s.as_str()));
    render(
        status,
        &TargetsPage {
            ctx,
            year,
            rows,
            saved,
            errors,
            typed,
        },
    )
}

#[get("/admin/stats/targets")]
async fn targets(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    query: Query<TargetsQuery>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::ManagePolicy)?;
    let this_year = in_vietnam(state.clock.now()).year();
    let year = match query.year.as_deref().map(str::trim) {
        None | Some("") => this_year,
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::invalid("year", FieldCode::InvalidFormat))?,
    };
    let saved = query.into_inner().saved;
    targets_page(
        &state,
        ctx,
        StatusCode::OK,
        year,
        saved,
        FormErrors::default(),
        None,
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct TargetForm {
    year: String,
    scheme: String,
    target_people: String,
    version: String,
}

#[post("/admin/stats/targets")]
async fn set_target(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    PageForm(form): PageForm<TargetForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::ManagePolicy)?;
    let year: i64 = form
        .year
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("year", FieldCode::InvalidFormat))?;
    let scheme = SCHEMES
        .into_iter()
        .find(|s| *s == form.scheme)
        .ok_or_else(|| AppError::invalid("scheme", FieldCode::InvalidFormat))?;
    let page_year = i32::try_from(year)
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| AppError::invalid("year", FieldCode::InvalidFormat))?;
    // People write large numbers with dots, commas or spaces between the groups.
    let digits: String = form
        .target_people
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    let field = format!("target-{scheme}");
    let typed = Some((scheme.to_owned(), form.target_people.clone()));
    let people = if digits.is_empty() {
        Err(AppError::invalid(&field, FieldCode::Required))
    } else {
        digits
            .parse::<i64>()
            .map_err(|_| AppError::invalid(&field, FieldCode::InvalidFormat))
    };
    let new = people.and_then(|people| {
        NewTarget::parse(year, scheme, people).map_err(|error| match error {
            AppError::OutOfBounds { min, max, .. } => AppError::OutOfBounds {
                field: field.clone(),
                min,
                max,
            },
            other => other,
        })
    });
    let new = match new {
        Ok(new) => new,
        Err(error) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return targets_page(&state, ctx, status, page_year, None, errors, typed).await;
        }
    };
    let expected = match form.version.trim() {
        "" => Expected::Absent,
        text => Expected::Version(text.parse().map_err(|_| AppError::Stale)?),
    };
    let actor = me.actor(&req);
    let now = state.clock.now();
    let done = state
        .db
        .write(move |conn| super::set_target(conn, &new, expected, &actor, now))
        .await;
    match done {
        Ok(_) => Ok(see_other(&format!(
            "/admin/stats/targets?year={year}&saved={scheme}#target-{scheme}"
        ))),
        // Someone changed (or first set) this target since the form was shown.
        Err(AppError::Stale) => {
            let errors = FormErrors::from_field(&field, ctx.t("stats.targets.changed").to_owned());
            let status = StatusCode::PRECONDITION_FAILED;
            targets_page(&state, ctx, status, page_year, None, errors, typed).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "statistics/public.html")]
struct PublicPage {
    ctx: PageContext,
    f: Format,
    stats: PublicStatistics,
    scheme_svg: String,
    province_svg: String,
    kind_svg: String,
}

impl PublicPage {
    fn scheme(&self, scheme: &str) -> &str {
        self.ctx.t(scheme_key(scheme))
    }
    fn kind(&self, kind: &str) -> &str {
        self.ctx.t(kind_key(kind))
    }
    fn maybe(&self, value: &Option<f64>) -> String {
        value.map_or_else(
            || self.ctx.t("stats.none").to_owned(),
            |v| self.f.decimal(v),
        )
    }
    fn maybe_count(&self, value: &Option<i64>) -> String {
        value.map_or_else(|| self.ctx.t("stats.none").to_owned(), |v| self.f.count(&v))
    }
}

#[get("/statistics")]
async fn public(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let stats = super::public_figures(&state).await?;
    let f = Format { lang: ctx.lang };
    let shared = ctx.viewer.is_none();
    cache::page(
        &req,
        shared,
        &PublicPage {
            scheme_svg: scheme_chart("chart-schemes", &ctx, &f, &stats.schemes),
            province_svg: province_chart("chart-provinces", &ctx, &f, &stats.provinces),
            kind_svg: kind_chart("chart-claims", &ctx, &f, &stats.claims_by_kind),
            stats,
            f,
            ctx,
        },
    )
}
