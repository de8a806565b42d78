//! Integration tests for haat-seller, one module per feature.

mod authorisation;
mod golden;
mod identifiers;
mod programme;
mod seller;
mod workshop;
