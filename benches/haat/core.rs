//! Benchmarks for `haat-core`: parsing money and placing instants in the financial year.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::core::{FinancialYear, Money};

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(1));
    group.bench_function("money/parse", |b| {
        b.iter(|| black_box("₹1,20,000.50").parse::<Money>())
    });
    let instant = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).single();
    group.bench_function("time/financial_year_containing", |b| {
        b.iter(|| instant.map(|i| FinancialYear::containing(black_box(i))))
    });
    // core/geo: PIN codes as people type them, and where they are.
    group.bench_function("geo/pin_parse", |b| {
        b.iter(|| black_box(" 700 124 ").parse::<haat::core::PinCode>())
    });
    let india = haat::core::PinDirectory::india();
    let pins: Vec<haat::core::PinCode> = india.iter().step_by(97).map(|p| p.pin_code()).collect();
    let mut next = 0;
    group.bench_function("geo/pin_lookup", |b| {
        b.iter(|| {
            next = (next + 1) % pins.len();
            pins.get(next).and_then(|&pin| india.lookup(black_box(pin)))
        })
    });
    group.finish();
}
