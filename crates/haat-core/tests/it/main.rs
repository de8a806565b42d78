//! Integration tests for haat-core, one module per feature.

mod ids;
mod money;
mod time;
