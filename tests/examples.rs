//! The examples that read files exit non-zero when they refused input, after saying how many
//! rows were read, kept and refused, and why. Each example's reading is a function, called here
//! on input in memory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Each example includes the shared `refusals` module itself, so it is loaded once per example.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)]
#[path = "../examples/import_listings.rs"]
mod import_listings;
#[allow(dead_code)]
#[path = "../examples/orders_rollup.rs"]
mod orders_rollup;
#[allow(dead_code)]
#[path = "../examples/report.rs"]
mod report;

use haat::catalogue::ImportOptions;

const ORDERS: &str =
    "order_id,seller_id,listing_id,quantity,amount,placed_at,promised_dispatch_by,\
dispatched_at,delivered_at,cancelled_at,cancelled_by,returned_at,destination_pin
1,7,70,1,2450.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,2025-10-03T06:00:00Z,,,,,700001
2,7,70,1,2450.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001
";
const EVENT: &str = r#"{"stream":"seller","event":{"type":"seller_activated","seller":7,"at":"2025-06-01T04:30:00Z","by":{"kind":"system"}}}"#;

#[test]
fn the_report_exits_non_zero_when_a_row_or_an_event_was_refused() {
    let events = format!("{EVENT}\n");
    let clean = report::read_inputs(ORDERS.as_bytes(), events.as_bytes(), ("o", "e")).unwrap();
    assert_eq!((clean.orders.kept, clean.events.kept), (2, 1));
    assert_eq!(clean.orders.status().max(clean.events.status()), 0);

    // The same event twice counts once, and the repeat is reported, not refused.
    let repeated = format!("{EVENT}\n{EVENT}\n");
    let read = report::read_inputs(ORDERS.as_bytes(), repeated.as_bytes(), ("o", "e")).unwrap();
    assert_eq!((read.events.kept, read.events.refused()), (1, 0));
    assert_eq!(read.guard.repeated_events(), 1);
    assert_eq!(read.events.status(), 0);

    let orders = ORDERS.replacen("\n2,7,", "\n2,\"7,", 1)
        + "3,7,70,0,2450.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001\n";
    let mut events = format!("{EVENT}\n").into_bytes();
    events.extend_from_slice(b"{\"stream\":\xFF}\n");
    // A different event, not a repeat of the first: repeats count once and are not "kept" twice.
    let other = EVENT.replace("\"seller\":7", "\"seller\":8");
    events.extend_from_slice(format!("{other}\n").as_bytes());
    let read = report::read_inputs(orders.as_bytes(), events.as_slice(), ("o", "e")).unwrap();
    assert_eq!((read.orders.kept, read.orders.refused()), (1, 2));
    assert_eq!((read.events.kept, read.events.refused()), (2, 1));
    assert_eq!(read.orders.status(), 1);
    assert_eq!(read.events.status(), 1);
    let summary = read.orders.to_string();
    assert!(
        summary.starts_with("3 order rows read, 1 kept, 2 refused"),
        "{summary}"
    );
    assert!(
        summary.contains("1 × column 'quantity': must be at least 1"),
        "{summary}"
    );
    assert!(summary.contains("opens a quote"), "{summary}");
    assert!(
        read.events.to_string().contains("1 × is not UTF-8 text"),
        "{}",
        read.events
    );
}

#[test]
fn the_rollup_exits_non_zero_when_a_row_was_refused() {
    let (_, clean) = orders_rollup::fold_orders(ORDERS.as_bytes()).unwrap();
    assert_eq!((clean.kept, clean.status()), (2, 0));
    let damaged = ORDERS.replacen(",700001\n", ",70001\n", 1);
    let (_, read) = orders_rollup::fold_orders(damaged.as_bytes()).unwrap();
    assert_eq!((read.kept, read.refused(), read.status()), (1, 1, 1));
}

#[test]
fn the_listing_import_exits_non_zero_when_a_row_was_refused() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/darjeeling_tea.jsonl"
    );
    let sheet = std::fs::read(path).unwrap();
    let (report, clean) =
        import_listings::import(&sheet[..], true, ImportOptions::default()).unwrap();
    assert_eq!(clean.kept as usize, report.drafts.len());
    let mut damaged = sheet.clone();
    damaged.extend_from_slice(b"{\"sku\":\"X\xFF\"}\n");
    let (_, read) = import_listings::import(&damaged[..], true, ImportOptions::default()).unwrap();
    assert_eq!(read.kept, clean.kept);
    assert_eq!(read.refused(), clean.refused() + 1);
    assert_eq!(read.status(), 1);
}
