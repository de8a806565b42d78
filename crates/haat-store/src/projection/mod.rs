//! Projections fed from the store's global stream, each keeping its checkpoint in the same
//! transaction as its state.

mod metrics;

pub use metrics::{MetricsInputs, MetricsProjection, ProjectionError};
