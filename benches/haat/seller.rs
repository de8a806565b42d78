//! Benchmarks for `haat-seller`: parsing the KYC identifiers a seller types.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use haat::seller::Gstin;

pub fn benches(c: &mut Criterion) {
    gstin(c);
}

/// GSTIN parse and full validation (state code, embedded PAN, entity number, checksum).
fn gstin(c: &mut Criterion) {
    let mut group = c.benchmark_group("seller");
    group.throughput(Throughput::Elements(1));
    group.bench_function("gstin_parse", |b| {
        b.iter(|| black_box("27AAPFU0939F1ZV").parse::<Gstin>())
    });
    group.bench_function("gstin_parse_messy", |b| {
        b.iter(|| black_box(" 27aapfu0939f1zv ").parse::<Gstin>())
    });
    group.finish();
}
