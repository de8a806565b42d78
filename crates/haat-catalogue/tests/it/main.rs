//! The integration tests of haat-catalogue, one module per feature.

// Tests state their expectations with unwrap, expect and panic; the workspace denies them in
// library code only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod authorisation;
mod golden;
mod import;
mod import_pipeline;
mod listing;
mod pricing;
mod quality;
mod search;
mod taxonomy;
