//! Voluntary social insurance and household health insurance: their prices (`rules`) — the
//! first part of issue 4; calculators, registration and payments come next.

pub mod rules;
