//! Black-box tests of the running app, each on SQLite and on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed expectation is a failed test"
)]

mod support;

mod accounts;
mod bad_input;
mod book;
mod calculators;
mod casework;
mod claim_documents;
mod claim_kinds;
mod claims;
mod content;
mod content_admin;
mod email;
mod enrolment;
mod flags;
mod openapi;
mod operations;
mod pages;
mod payments;
mod payout;
mod policy_admin;
mod questions;
mod retirement;
mod roles;
mod schema;
mod staff;
mod staff_admin;
mod statistics;
