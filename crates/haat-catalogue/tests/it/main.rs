//! The integration tests of haat-catalogue, one module per feature.

mod pricing;
