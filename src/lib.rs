//! # An Sinh — citizen portal for social, health and unemployment insurance
//!
//! One crate, one binary: HTML pages, the JSON API under `/api/v1` and the admin area under
//! `/admin` are served by the same actix-web app, which also runs the background email worker.
//!
//! ## Map
//!
//! **Plumbing** (knows nothing about insurance):
//! - [`config`] — typed [`config::Settings`] from environment variables; defaults run on embedded SQLite.
//! - [`app`] — builds the actix `App`: middleware order, `/api/v1`, pages, `/admin`, each feature's routes.
//! - [`error`] — the one error type [`error::AppError`]: problem+json for the API, a friendly page for HTML.
//! - [`db`] — the pool over SQLite *or* PostgreSQL ([`db::DbConn`]), `Db::read` / `Db::write`
//!   (one transaction), embedded migrations, `schema.rs`. Only `db/` knows there are two backends.
//! - [`web`] — request plumbing: sessions, CSRF, bearer tokens, JSON/form extractors, security
//!   headers, rate limits, i18n, page rendering, static assets.
//! - [`email`] — transactional outbox, the delivery worker, SMTP and file transports, message texts.
//! - [`clock`] — the injectable clock every time-based rule reads.
//! - [`secrets`] — random tokens and their hashes.
//! - [`sealed`] — field encryption at rest (XChaCha20-Poly1305, key ids, rotation) and blind
//!   indexes.
//! - [`ops`] — `/healthz`, `/readyz`, `/metrics`.
//! - [`policy`] — dated policy parameters: [`policy::PolicyAt`] gives the figures in force on a date;
//!   administrators add new dated rows at `/admin/policy`.
//! - [`audit`] — the append-only, hash-chained log of staff actions and citizens' security
//!   changes and reads of citizens' records (`ansinh audit verify`, `/admin/audit`).
//! - [`telemetry`], [`openapi`].
//!
//! **Features** (vertical modules: `mod.rs` routes, `model.rs` parsed types, `rules.rs` pure rules,
//! `store.rs` queries, `api.rs` JSON handlers, `pages.rs` HTML handlers):
//! - [`accounts`] — citizens and staff: registration, email verification, login, sessions and API
//!   tokens, throttling, password reset, the account overview.
//! - [`staff`] — staff-only parts: the role matrix (`staff::access::Permission`), TOTP enrolment,
//!   the `/admin` home and staff administration.
//! - [`casework`] — the work queue over claims, registrations and questions with their
//!   deadlines, take / assign / release, the approvers' daily digest.
//! - [`flags`] — fraud and duplicate flags, computed on arrival and nightly, and their triage.
//! - [`statistics`] — figures for staff and the public, coverage targets, SVG charts.
//! - [`home`] — the public home page.
//! - [`insurance_book`] — the citizen's contribution months (the SI book), its summary, CSV and
//!   printable statement; the pure contribution rules (`insurance_book::rules`).
//! - [`declarations`] — employers' monthly declarations, payments (oldest months first) and
//!   arrears with late-payment interest.
//! - [`health_card`] — the health-insurance card with its signed QR, the clinic check and the
//!   holder's access log.
//! - [`enrolment`] — voluntary SI and household HI: prices, public calculators, registration,
//!   staff decisions, payment schedules, payments into the book, household cards, reminders.
//! - [`documents`] — uploaded files: type sniffed from content, size cap, scanner hook, stored
//!   outside the web root under random names.
//! - [`retirement`] — the retirement planner: retirement date, pension estimate, gaps, what-if
//!   and the one-off payment for missing years, from the citizen's own book.
//! - [`claims`] — benefit claims: typed forms, draft → submitted → decided → paid with a
//!   timeline and messages; working-day deadlines and the pure rules of the six claim types.
//! - [`payments`] — payment runs: approved claims batched, exported as a bank-transfer file,
//!   settled as paid or returned.
//! - [`payout`] — the citizen's payout bank account: in their own name, sealed at rest,
//!   changed only with the password again, each change emailed and audited.
//! - [`content`] — policy content (procedures, articles, FAQ) in Vietnamese and English: public
//!   pages and API, search without accents, and editing at `/admin/content` with previews,
//!   scheduling, revisions, diffs and restores.
//! - [`api_clients`] — third-party applications and their OAuth2 client-credentials tokens.
//! - [`demo`] — demo data for the embedded default (clearly marked as demo).
//!
//! Features call each other's `pub` functions, never each other's `store`.

pub mod app;
pub mod audit;
pub mod clock;
pub mod config;
pub mod db;
pub mod email;
pub mod error;
pub mod openapi;
pub mod ops;
pub mod policy;
pub mod sealed;
pub mod secrets;
pub mod telemetry;
pub mod text;
pub mod web;

pub mod accounts;
pub mod api_clients;
pub mod casework;
pub mod claims;
pub mod content;
pub mod declarations;
pub mod demo;
pub mod documents;
pub mod enrolment;
pub mod flags;
pub mod health_card;
pub mod home;
pub mod insurance_book;
pub mod payments;
pub mod payout;
pub mod retirement;
pub mod staff;
pub mod statistics;
