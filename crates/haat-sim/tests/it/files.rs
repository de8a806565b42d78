//! The files the main job writes (`--events`, `--orders`) rebuild the same report: the events
//! file carries the settlement statements too, so the payouts come back with the rest.

use haat_metrics::{
    HaatEvent, Metrics, ReportSettings, StatementIssued, read_events_jsonl, read_orders_csv,
    write_event_jsonl, write_order_csv_header, write_order_csv_row,
};
use haat_sim::{Event, ScenarioConfig, run_with_sink};

#[test]
fn events_and_orders_written_out_rebuild_the_same_report() {
    let config = ScenarioConfig {
        sellers: 60,
        ..ScenarioConfig::small()
    };
    let (mut jsonl, mut csv) = (String::new(), String::new());
    write_order_csv_header(&mut csv);
    let outcome = run_with_sink(
        &config,
        &mut |_| {},
        Some(&mut |event| match event {
            Event::Seller(e) => {
                write_event_jsonl(&mut jsonl, &HaatEvent::Seller(e.clone())).unwrap()
            }
            Event::Workshop(e) => {
                write_event_jsonl(&mut jsonl, &HaatEvent::Workshop(e.clone())).unwrap()
            }
            Event::Listing(e) => {
                write_event_jsonl(&mut jsonl, &HaatEvent::Listing(e.clone())).unwrap()
            }
            Event::Order(order) => write_order_csv_row(&mut csv, order),
            Event::Statement(statement, commission_waived) => {
                let issued = StatementIssued {
                    statement: statement.clone(),
                    commission_waived,
                };
                write_event_jsonl(&mut jsonl, &HaatEvent::Settlement(issued)).unwrap()
            }
            Event::Stock(_) | Event::OrderEvent(_) | Event::Invoice(_) => {}
        }),
    );

    let mut rebuilt = Metrics::default();
    for event in read_events_jsonl(jsonl.as_bytes()) {
        rebuilt.apply_event(&event.unwrap());
    }
    for order in read_orders_csv(csv.as_bytes()).unwrap() {
        rebuilt.add_order(&order.unwrap());
    }
    assert_eq!(rebuilt, outcome.metrics);
    // As `cargo run --example report` builds it: as of the last order in the files.
    let now = outcome.counts.last_order_at.unwrap();
    let fy = haat_core::FinancialYear::containing(now);
    assert_eq!(Some(fy), outcome.latest_year());
    let settings = ReportSettings::new(fy, now).with_network(&outcome.network);
    assert_eq!(Some(rebuilt.report_with(&settings)), outcome.report());
}
