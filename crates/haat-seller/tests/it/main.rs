//! Integration tests for haat-seller, one module per feature.

mod identifiers;
