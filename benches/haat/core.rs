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
    locale(c);
}

/// core/locale: bn-IN numbers, rupees and compact forms, each into a fresh `String`.
fn locale(c: &mut Criterion) {
    use haat::core::{CompactStyle, Decimal, Locale};
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(1));
    let numbers = [
        Decimal::new(42_000_000, 2),
        Decimal::new(-123_456_789, 3),
        Decimal::from(300),
    ];
    let amounts = [
        Money::from_paise(42_000_000),
        Money::from_paise(-123_450),
        Money::from_rupees(1_250),
    ];
    let mut i = 0;
    group.bench_function("locale/bn_in_number", |b| {
        b.iter(|| {
            i = (i + 1) % 3;
            Locale::BnIn.number(black_box(numbers[i]))
        })
    });
    group.bench_function("locale/bn_in_inr", |b| {
        b.iter(|| {
            i = (i + 1) % 3;
            Locale::BnIn.inr(black_box(amounts[i]))
        })
    });
    group.bench_function("locale/bn_in_compact", |b| {
        b.iter(|| {
            i = (i + 1) % 3;
            Locale::BnIn.compact(black_box(numbers[i]), CompactStyle::Long)
        })
    });
    let mut line = String::with_capacity(64);
    group.bench_function("locale/bn_in_write_number", |b| {
        b.iter(|| {
            i = (i + 1) % 3;
            line.clear();
            Locale::BnIn
                .write_number(&mut line, black_box(numbers[i]))
                .map(|()| line.len())
        })
    });
    group.finish();
}
