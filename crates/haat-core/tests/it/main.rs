//! Integration tests for haat-core, one module per feature.

mod geo;
mod ids;
mod locale;
mod money;
mod time;
