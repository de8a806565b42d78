//! Integration tests of haat-metrics: one binary, a module per feature.

// Tests state their expectations with unwrap, expect and panic; the workspace denies them in
// library code only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod boundary;
mod distinct;
mod io;
mod laws;
mod packed;
mod performance;
mod projection;
mod report;
mod scenario;
mod support;
