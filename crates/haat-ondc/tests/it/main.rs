//! haat-ondc's integration tests: one binary, a module per feature.

mod catalogue;
mod changes;
mod fixtures;
mod golden;
mod json;
mod orders;
mod rules;
