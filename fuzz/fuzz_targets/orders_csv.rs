//! The order CSV reader on arbitrary bytes, and the metrics' order fold on what it reads: every
//! record read writes back as a row that reads as the same record, folding the records one by
//! one gives what the batch fold gives, and the report over them renders.
#![no_main]

use chrono::{TimeZone, Utc};
use haat_core::{FinancialYear, Locale};
use haat_metrics::{
    Metrics, OrderRecord, read_orders_csv, write_order_csv_header, write_order_csv_row,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = read_orders_csv(data) else {
        return;
    };
    let orders: Vec<OrderRecord> = reader.filter_map(Result::ok).collect();
    let mut one_by_one = Metrics::default();
    for order in &orders {
        check_written_back(order);
        one_by_one.add_order(order);
    }
    let mut batch = Metrics::default();
    batch.add_orders(&orders);
    assert_eq!(
        batch, one_by_one,
        "the batch fold differs from one order at a time"
    );
    report(&batch);
});

#[track_caller]
fn check_written_back(order: &OrderRecord) {
    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    write_order_csv_row(&mut csv, order);
    let back: Vec<_> = match read_orders_csv(csv.as_bytes()) {
        Ok(reader) => reader.collect(),
        Err(e) => panic!("{order:?} written as {csv:?} does not read: {e}"),
    };
    match back.as_slice() {
        [Ok(again)] => assert_eq!(again, order, "{order:?} written as {csv:?}"),
        other => panic!("{order:?} written as {csv:?} reads as {other:?}"),
    }
}

fn report(metrics: &Metrics) {
    let Some(fy) = FinancialYear::starting(2025) else {
        return;
    };
    let now = Utc
        .with_ymd_and_hms(2026, 4, 2, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let report = metrics.report(fy, now);
    for locale in [Locale::EnIn, Locale::BnIn] {
        let _ = report.render(locale);
        let _ = report.chart_svg(locale);
    }
}
