//! Operations: liveness (`/healthz`), readiness (`/readyz`, checks the database) and Prometheus
//! metrics (`/metrics`: requests and latency by route, database pool, outbox backlog).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::{Data, ServiceConfig};
use actix_web::{HttpResponse, get};

use crate::app::AppState;
use crate::error::AppError;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(healthz)
        .service(readyz)
        .service(metrics)
        .service(ceiling);
}

/// The benchmark's yardstick (only with `BENCH_ENDPOINTS=true`): one indexed lookup through the
/// same pool and JSON path as every endpoint, with nothing else — no auth, no joins, no writes.
#[get("/ops/ceiling/{si_code}")]
async fn ceiling(
    state: Data<AppState>,
    si_code: actix_web::web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use crate::db::schema::people;
    use diesel::prelude::*;
    if !state.settings.bench_endpoints {
        return Err(AppError::NotFound);
    }
    let si_code = si_code.into_inner();
    let id: Option<String> = state
        .db
        .read(move |conn| {
            Ok(people::table
                .filter(people::si_code.eq(si_code))
                .select(people::id)
                .first(conn)
                .optional()?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "found": id.is_some() })))
}

#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

#[get("/readyz")]
async fn readyz(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    use diesel::connection::SimpleConnection;
    state
        .db
        .read(|conn| Ok(conn.batch_execute("SELECT 1")?))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}

#[get("/metrics")]
async fn metrics(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let backlog = state
        .db
        .read(|conn| Ok(crate::email::backlog(conn)?))
        .await?;
    let (open, idle) = state.db.pool_state();
    let mut text = state.metrics.render();
    let _ = writeln!(
        text,
        "# HELP ansinh_db_pool_connections Database connections by state."
    );
    let _ = writeln!(text, "# TYPE ansinh_db_pool_connections gauge");
    let _ = writeln!(text, "ansinh_db_pool_connections{{state=\"open\"}} {open}");
    let _ = writeln!(text, "ansinh_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(
        text,
        "# HELP ansinh_outbox_backlog Emails queued and not yet delivered."
    );
    let _ = writeln!(text, "# TYPE ansinh_outbox_backlog gauge");
    let _ = writeln!(text, "ansinh_outbox_backlog {backlog}");
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Series {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request counters and latency histograms, keyed by (method, route pattern).
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String), Series>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: String, status: u16, seconds: f64) {
        let Ok(mut series) = self.series.lock() else {
            return;
        };
        let entry = series.entry((method.to_owned(), route)).or_default();
        *entry.by_status.entry(status).or_default() += 1;
        entry.count += 1;
        entry.sum += seconds;
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    fn render(&self) -> String {
        let mut text = String::new();
        let Ok(series) = self.series.lock() else {
            return text;
        };
        let _ = writeln!(
            text,
            "# HELP ansinh_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(text, "# TYPE ansinh_http_requests_total counter");
        for ((method, route), s) in series.iter() {
            for (status, count) in &s.by_status {
                let _ = writeln!(
                    text,
                    "ansinh_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
                );
            }
        }
        let _ = writeln!(
            text,
            "# HELP ansinh_http_request_duration_seconds HTTP request latency by route."
        );
        let _ = writeln!(
            text,
            "# TYPE ansinh_http_request_duration_seconds histogram"
        );
        for ((method, route), s) in series.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (count, bound) in s.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(
                    text,
                    "ansinh_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                text,
                "ansinh_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                text,
                "ansinh_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                text,
                "ansinh_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        text
    }
}

/// Middleware: counts every request under its route *pattern* (`/static/{name}`, not the path,
/// so the series stay few).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let res = next.call(req).await?;
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    AppState::of(res.request()).metrics.observe(
        &method,
        route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    Ok(res)
}
