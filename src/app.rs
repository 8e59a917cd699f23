//! Builds and runs the application: the shared state, the actix `App` (middleware order, the
//! `/api/v1` scope, pages, `/admin`) and the background email worker.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::web::Data;
use actix_web::{App, HttpRequest, HttpServer};
use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use utoipa_swagger_ui::SwaggerUi;

use crate::accounts::password::Passwords;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::email::transport::Transport;
use crate::email::worker::Worker;
use crate::ops::Metrics;
use crate::web::rate_limit::AuthRateLimiter;
use crate::{accounts, home, ops, staff, web};

/// What every handler may use.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub clock: Arc<Clock>,
    pub passwords: Passwords,
    pub auth_limiter: AuthRateLimiter,
    pub metrics: Metrics,
    /// The database holds demo data.
    pub demo: AtomicBool,
    /// Signs the QR payload of health cards.
    pub card_signer: crate::health_card::signing::CardSigner,
    /// Records clinics' card checks, several per transaction under load.
    pub card_checks: crate::health_card::recorder::CheckRecorder,
    /// Where uploaded documents' bytes are kept.
    pub storage: Arc<dyn crate::documents::storage::Storage>,
    /// Seals and opens encrypted fields (payout account numbers).
    pub keyring: crate::sealed::Keyring,
}

impl AppState {
    /// The state of the app serving `req`.
    #[expect(
        clippy::expect_used,
        reason = "the state is registered by `Application::build` for every route"
    )]
    pub fn of(req: &HttpRequest) -> &AppState {
        req.app_data::<Data<AppState>>()
            .expect("AppState is registered")
            .get_ref()
    }
}

pub struct Application {
    port: u16,
    server: Server,
    state: Data<AppState>,
    worker: JoinHandle<()>,
    stop_worker: watch::Sender<bool>,
}

impl Application {
    /// Connects (and migrates) the database, seeds demo data when configured, binds the
    /// listener and starts the email worker. `clock` is the system clock except in tests.
    pub async fn build(settings: Settings, clock: Arc<Clock>) -> anyhow::Result<Self> {
        settings.check()?;
        let db = {
            let (url, size) = (settings.database_url.clone(), settings.db_pool_size);
            tokio::task::spawn_blocking(move || Db::connect(&url, size)).await??
        };
        let transport = Transport::from_settings(&settings)?;
        let state = Data::new(AppState {
            passwords: Passwords::start(settings.limits.password_hash_concurrency)?,
            auth_limiter: AuthRateLimiter::per_minute(settings.limits.auth_requests_per_minute),
            metrics: Metrics::default(),
            demo: AtomicBool::new(false),
            card_signer: crate::health_card::signing::CardSigner::from_secret(&settings.secret_key),
            card_checks: crate::health_card::recorder::CheckRecorder::start(db.clone()),
            storage: Arc::new(crate::documents::storage::LocalDir::new(
                settings.upload_dir.clone(),
            )),
            keyring: settings.keyring()?,
            db: db.clone(),
            clock: clock.clone(),
            settings,
        });
        crate::content::seed::load(&state).await?;
        if state.settings.seed_demo {
            crate::demo::seed(&state).await?;
        }
        let demo = crate::demo::present(&state).await?;
        let loopback = state
            .settings
            .bind
            .parse::<std::net::SocketAddr>()
            .is_ok_and(|addr| addr.ip().is_loopback());
        if demo && !loopback {
            anyhow::bail!(
                "the database holds demo accounts with published passwords: serve it on 127.0.0.1 only, or use a database without demo data"
            );
        }
        state.demo.store(demo, Ordering::Relaxed);

        let listener = TcpListener::bind(&state.settings.bind)
            .with_context(|| format!("binding {}", state.settings.bind))?;
        let port = listener.local_addr()?.port();
        let app_state = state.clone();
        let mut server = HttpServer::new(move || build_app(app_state.clone()))
            // Compressed pages go out in several writes; without this, Nagle's algorithm and
            // the client's delayed ACK add ~40 ms to some of them.
            .tcp_nodelay(true)
            .listen(listener)?
            // In-flight requests get this long to finish on shutdown.
            .shutdown_timeout(30);
        if state.settings.workers > 0 {
            server = server.workers(state.settings.workers);
        }
        let server = server.run();

        let (stop_worker, stopped) = watch::channel(false);
        let worker = Worker {
            db,
            clock,
            transport,
            from: state.settings.mail_from.clone(),
            poll: state.settings.outbox_poll,
        };
        let worker = tokio::spawn(worker.run(stopped));
        spawn_housekeeping(state.clone(), stop_worker.subscribe());
        Ok(Self {
            port,
            server,
            state,
            worker,
            stop_worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> Data<AppState> {
        self.state.clone()
    }

    /// Stops the server gracefully (used by tests; SIGTERM/SIGINT do the same in production).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped, then lets the email worker finish its batch.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let served = self.server.await;
        let _ = self.stop_worker.send(true);
        let _ = self.worker.await;
        served.context("serving HTTP")
    }
}

/// Every few minutes: forgets old throttling state and queues the reminder emails and the
/// approvers' daily digest now due.
fn spawn_housekeeping(state: Data<AppState>, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(300)) => {}
                _ = stop.changed() => break,
            }
            state.auth_limiter.forget_idle();
            let before = state.clock.now()
                - chrono::Duration::from_std(accounts::rules::FAILURE_WINDOW).unwrap_or_default();
            if let Err(error) = state
                .db
                .write(move |conn| Ok(accounts::store::sweep_failures(conn, before)?))
                .await
            {
                tracing::warn!(%error, "sweeping old login failures failed");
            }
            let (public_url, now) = (state.settings.public_url.clone(), state.clock.now());
            if let Err(error) = state
                .db
                .write(move |conn| crate::enrolment::reminders::send_due(conn, &public_url, now))
                .await
            {
                tracing::warn!(%error, "queueing reminder emails failed");
            }
            let (public_url, now) = (state.settings.public_url.clone(), state.clock.now());
            let limits = state.settings.limits.casework.clone();
            if let Err(error) = state
                .db
                .write(move |conn| {
                    crate::casework::digest::send_due(conn, &limits, &public_url, now)
                })
                .await
            {
                tracing::warn!(%error, "queueing the approvers' digest failed");
            }
            // Fraud flags over everyone, once per day on whichever node gets there first.
            let (keyring, limits, now) = (
                state.keyring.clone(),
                state.settings.limits.clone(),
                state.clock.now(),
            );
            match state
                .db
                .write(move |conn| crate::flags::nightly_once(conn, &keyring, &limits, now))
                .await
            {
                Ok(Some(added)) => tracing::info!(added, "nightly fraud flags run"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "the nightly fraud flags run failed"),
            }
        }
    });
}

/// The actix app. Middleware runs outside-in in the reverse order of the `wrap` calls: tracing
/// (request id) → compression → metrics → security headers → error shaping → language cookie →
/// CSRF cookie → account-endpoint rate limit → routes.
fn build_app(
    state: Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // The spec is served before the `/api/v1` scope is mounted: a scope answers every path
    // under its prefix, so a later route there would never be reached.
    App::new()
        .app_data(state)
        .route(
            "/api/v1/openapi.json",
            actix_web::web::get().to(crate::openapi::serve),
        )
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::openapi::api_v1))
        .service(
            SwaggerUi::new("/api/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
        )
        .service(actix_web::web::resource("/api/docs").to(|| async {
            actix_web::HttpResponse::PermanentRedirect()
                .insert_header((actix_web::http::header::LOCATION, "/api/docs/"))
                .finish()
        }))
        .service(web::assets::serve)
        .configure(ops::routes)
        .configure(home::page_routes)
        .configure(accounts::page_routes)
        .configure(staff::page_routes)
        .configure(crate::insurance_book::page_routes)
        .configure(crate::health_card::page_routes)
        .configure(crate::api_clients::pages::routes)
        .configure(crate::policy::pages::routes)
        .configure(crate::enrolment::page_routes)
        .configure(crate::claims::page_routes)
        .configure(crate::casework::page_routes)
        .configure(crate::retirement::page_routes)
        .configure(crate::payout::page_routes)
        .configure(crate::payments::page_routes)
        .configure(crate::content::page_routes)
        .configure(crate::statistics::page_routes)
        .configure(crate::flags::page_routes)
        .configure(crate::audit::pages::routes)
        .default_service(actix_web::web::route().to(web::errors::no_route))
        .wrap(from_fn(web::rate_limit::limit_account_endpoints))
        .wrap(from_fn(web::csrf::ensure_cookie))
        .wrap(from_fn(web::i18n::remember_choice))
        .wrap(from_fn(web::errors::shape))
        .wrap(from_fn(web::headers::add))
        .wrap(from_fn(ops::record))
        .wrap(Compress::default())
        .wrap(tracing_actix_web::TracingLogger::<
            crate::telemetry::RequestSpan,
        >::new())
}
