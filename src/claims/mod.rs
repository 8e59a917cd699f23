//! Benefit claims (issue 5): for now the pure rules only — working-day deadlines over the dated
//! public-holiday table ([`calendar`]) and the eligibility checks and estimates of the six claim
//! types with their legal decision deadlines ([`rules`]). Rules: DOMAIN.md §6.5, §7.1, §7.2,
//! §7.4, §7.5, §7.7 and Examples 3, 4, 7. The claim flow (forms, documents, review) builds on
//! these.

pub mod calendar;
pub mod rules;
