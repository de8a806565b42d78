//! The events reader on arbitrary bytes, and the metrics' event fold on what it reads: every
//! event read writes back as a line that reads as the same event, and the report over the fold
//! renders.
#![no_main]

use chrono::{TimeZone, Utc};
use haat_core::{FinancialYear, Locale};
use haat_metrics::{HaatEvent, Metrics, read_events_jsonl, write_event_jsonl};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut metrics = Metrics::default();
    for event in read_events_jsonl(data).filter_map(Result::ok) {
        check_written_back(&event);
        metrics.apply_event(&event);
    }
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
});

#[track_caller]
fn check_written_back(event: &HaatEvent) {
    let mut line = String::new();
    if let Err(e) = write_event_jsonl(&mut line, event) {
        panic!("{event:?} does not serialise: {e}");
    }
    let back: Vec<_> = read_events_jsonl(line.as_bytes()).collect();
    match back.as_slice() {
        [Ok(again)] => assert_eq!(again, event, "{event:?} written as {line:?}"),
        other => panic!("{event:?} written as {line:?} reads as {other:?}"),
    }
}
