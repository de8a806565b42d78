//! Integration tests for haat-orders, one module per feature.

mod checkout;
mod fixtures;
mod golden;
mod invoice;
mod life;
mod properties;
mod settlement;
