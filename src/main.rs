//! The `ansinh` command: serves the portal (default) and runs administrative tasks.

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel::Connection;

use ansinh::accounts::model::Role;
use ansinh::app::Application;
use ansinh::clock::Clock;
use ansinh::config::Settings;

#[derive(Parser)]
#[command(
    name = "ansinh",
    version,
    about = "An Sinh citizen portal for social, health and unemployment insurance"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default). Migrates the database first; seeds demo data on the
    /// embedded default.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Add the demo accounts (marked as demo) if they are missing.
    SeedDemo,
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// Register a third-party application (payroll software or clinic); prints its client id
    /// and secret (shown once).
    CreateClient {
        #[arg(long)]
        name: String,
        /// Repeat for several scopes.
        #[arg(long = "scope", value_enum, required = true)]
        scopes: Vec<ansinh::api_clients::Scope>,
        /// The employer it declares for (with declarations:write).
        #[arg(long, default_value = "")]
        employer: String,
        /// The health facility it checks cards for (with cards:verify).
        #[arg(long, default_value = "")]
        facility: String,
    },
    /// Revoke an application's credentials and every token it holds.
    RevokeClient { client_id: String },
    /// Add bulk synthetic people with monthly contributions, for benchmarks (additive).
    SeedScale {
        #[arg(long)]
        people: u32,
        #[arg(long, default_value_t = 20)]
        years: u32,
    },
    /// Invite a staff member: prints a single-use link to set their password (also emailed).
    CreateStaff {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
    },
    /// The audit log of staff actions.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Fraud and duplicate flags.
    Flags {
        #[command(subcommand)]
        command: FlagsCommand,
    },
    /// Field-encryption keys (`FIELD_KEY`, `FIELD_OLD_KEYS`).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new random key for `FIELD_KEY` (32 bytes, base64).
    New,
    /// Seal again, under the current `FIELD_KEY`, every value sealed under a key in
    /// `FIELD_OLD_KEYS`; afterwards the old keys can be removed.
    Reseal,
}

#[derive(Subcommand)]
enum FlagsCommand {
    /// Run every detector over everyone now (the server does it once a day); prints how many
    /// flags were added.
    Nightly,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit log; exits non-zero when it is broken.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        // Needs no settings or database.
        print!("{}", ansinh::openapi::document_json());
        return Ok(());
    }
    if let Command::Keys {
        command: KeysCommand::New,
    } = command
    {
        println!("{}", ansinh::sealed::new_key());
        return Ok(());
    }
    let mut settings = Settings::from_env()?;
    ansinh::telemetry::init(settings.log_json);
    match command {
        Command::Openapi
        | Command::Keys {
            command: KeysCommand::New,
        } => Ok(()),
        Command::Keys {
            command: KeysCommand::Reseal,
        } => {
            let keys = settings.keyring()?;
            let url = settings.database_url.clone();
            let current = keys.current_id().to_owned();
            let moved = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                ansinh::payout::reseal_all(&db, &keys)
            })
            .await??;
            println!("resealed {moved} payout account number(s) under key {current}");
            Ok(())
        }
        Command::Serve => serve(settings).await,
        Command::Flags {
            command: FlagsCommand::Nightly,
        } => {
            let keys = settings.keyring()?;
            let limits = settings.limits.clone();
            let url = settings.database_url.clone();
            let added = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                let mut conn = db.connection()?;
                // The server may write at the same moment: on SQLite that makes this (one
                // transaction) fail as busy; run it again, as it is all or nothing.
                let mut attempt = 0;
                loop {
                    let now = Clock::system().now();
                    let run =
                        conn.transaction(|conn| ansinh::flags::nightly(conn, &keys, &limits, now));
                    attempt += 1;
                    match run {
                        Ok(added) => break anyhow::Ok(Ok(added)),
                        Err(_) if attempt < 10 => {
                            std::thread::sleep(std::time::Duration::from_millis(300));
                        }
                        Err(error) => break anyhow::Ok(Err(error)),
                    }
                }
            })
            .await??
            .map_err(|error| anyhow::anyhow!(plain(&error)))?;
            println!("{added} new flag(s)");
            Ok(())
        }
        Command::CreateClient {
            name,
            scopes,
            employer,
            facility,
        } => {
            let url = settings.database_url.clone();
            let created = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                let mut conn = db.connection()?;
                let now = Clock::system().now();
                anyhow::Ok(conn.transaction(|conn| {
                    ansinh::api_clients::create_checked(
                        conn, &name, &scopes, &employer, &facility, now,
                    )
                }))
            })
            .await??
            .map_err(|error| anyhow::anyhow!(plain(&error)))?;
            println!("client_id:     {}", created.client_id);
            println!("client_secret: {}", created.client_secret);
            println!("The secret is shown only now: pass it on securely.");
            Ok(())
        }
        Command::RevokeClient { client_id } => {
            let url = settings.database_url.clone();
            let id = client_id.clone();
            let revoked = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                let mut conn = db.connection()?;
                let now = Clock::system().now();
                anyhow::Ok(conn.transaction(|conn| ansinh::api_clients::revoke(conn, &id, now)))
            })
            .await??
            .map_err(|error| anyhow::anyhow!(plain(&error)))?;
            anyhow::ensure!(revoked, "no active client {client_id}");
            println!("revoked {client_id}");
            Ok(())
        }
        Command::SeedScale { people, years } => {
            anyhow::ensure!((1..=60).contains(&years), "--years must be 1 to 60");
            let url = settings.database_url.clone();
            let report = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                ansinh::demo::scale::seed(&db, people, years, Clock::system().now())
            })
            .await??;
            println!("{report}");
            Ok(())
        }
        Command::Migrate => {
            let url = settings.database_url.clone();
            tokio::task::spawn_blocking(move || ansinh::db::Db::connect(&url, 1)).await??;
            println!("database is up to date");
            Ok(())
        }
        Command::SeedDemo => {
            settings.seed_demo = true;
            settings.bind = "127.0.0.1:0".into();
            let app = Application::build(settings, Arc::new(Clock::system())).await?;
            print_demo_logins(&app);
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let url = settings.database_url.clone();
            let verification = tokio::task::spawn_blocking(move || {
                let db = ansinh::db::Db::connect(&url, 1)?;
                let mut conn = db.connection()?;
                ansinh::audit::verify(&mut conn).map_err(|error| anyhow::anyhow!(plain(&error)))
            })
            .await??;
            println!("{verification}");
            match verification {
                ansinh::audit::Verification::Ok { .. } => Ok(()),
                ansinh::audit::Verification::Broken { .. } => std::process::exit(1),
            }
        }
        Command::CreateStaff { email, name, role } => {
            settings.seed_demo = false;
            settings.bind = "127.0.0.1:0".into();
            let app = Application::build(settings, Arc::new(Clock::system())).await?;
            let link = ansinh::staff::invite(&app.state(), &email, &name, role)
                .await
                .map_err(|error| anyhow::anyhow!(plain(&error)))
                .context("creating the staff account")?;
            // Let the worker send the invitation before exiting.
            let state = app.state();
            let handle = app.handle();
            let running = tokio::spawn(app.run_until_stopped());
            tokio::time::sleep(state.settings.outbox_poll * 2).await;
            handle.stop(true).await;
            let _ = running.await;
            println!("Staff account created for {email} ({}).", role.as_str());
            println!(
                "Single-use set-up link (valid {} hours):",
                state.settings.limits.staff_setup_lifetime.as_secs() / 3600
            );
            println!("{link}");
            Ok(())
        }
    }
}

/// An error as a person at the terminal reads it: the title and each field's message.
fn plain(error: &ansinh::error::AppError) -> String {
    if let ansinh::error::AppError::Internal(cause) = error {
        return format!("{cause:#}");
    }
    let problem = error.problem(ansinh::web::i18n::Lang::En, None);
    let fields: Vec<String> = problem
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    [vec![problem.title], fields].concat().join("\n  ")
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let public_url = settings.public_url.clone();
    let app = Application::build(settings, Arc::new(Clock::system())).await?;
    print_demo_logins(&app);
    tracing::info!(url = %public_url, port = app.port(), "An Sinh is serving");
    println!("\nAn Sinh is running at {public_url}  (Ctrl+C to stop)\n");
    app.run_until_stopped().await
}

fn print_demo_logins(app: &Application) {
    if !app.state().demo.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    println!("\nDEMO DATA — not real people. Demo logins:");
    for login in &ansinh::demo::LOGINS {
        println!("  {:<70} {}  /  {}", login.who, login.login, login.password);
    }
    println!("Demo API clients (POST /api/v1/oauth/token, grant_type=client_credentials):");
    for client in &ansinh::demo::book::CLIENTS {
        println!(
            "  {:<70} {}  /  {}",
            client.who, client.client_id, client.client_secret
        );
    }
}
