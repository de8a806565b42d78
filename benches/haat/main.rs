//! Criterion benchmarks for haat's hot paths, one module per crate.
//!
//! Run them all with `cargo bench --bench haat`, or one group with a filter, e.g.
//! `cargo bench --bench haat -- core/`. Numbers and the machine they were taken on are in
//! docs/BENCHMARKS.md.

use criterion::{criterion_group, criterion_main};

mod catalogue;
mod core;
mod inventory;
mod metrics;
mod ondc;
mod orders;
mod seller;
mod sim;

criterion_group!(
    benches,
    catalogue::benches,
    core::benches,
    inventory::benches,
    metrics::benches,
    ondc::benches,
    orders::benches,
    seller::benches,
    sim::benches
);
criterion_main!(benches);
