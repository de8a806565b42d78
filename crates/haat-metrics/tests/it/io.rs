//! Reading order CSV and event JSON Lines: streams, bad rows reported, the rest kept.

use haat_metrics::{
    Error, HaatEvent, read_events_jsonl, read_orders_csv, write_event_jsonl,
    write_order_csv_header, write_order_csv_row,
};

use crate::scenario::scenario;

#[test]
fn the_scenario_round_trips_through_csv_and_json_lines() {
    let (events, orders) = scenario();
    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    for order in &orders {
        write_order_csv_row(&mut csv, order);
    }
    let back: Vec<_> = read_orders_csv(csv.as_bytes())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, orders);

    let mut jsonl = String::new();
    for event in &events {
        write_event_jsonl(&mut jsonl, event).unwrap();
    }
    let back: Vec<HaatEvent> = read_events_jsonl(jsonl.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, events);
}

#[test]
fn bad_event_lines_are_reported_with_their_numbers_and_the_rest_kept() {
    let (events, _) = scenario();
    let mut jsonl = String::new();
    write_event_jsonl(&mut jsonl, &events[0]).unwrap();
    jsonl.push_str("not json\n\n");
    write_event_jsonl(&mut jsonl, &events[1]).unwrap();
    jsonl.push_str("{\"stream\":\"weather\",\"event\":{}}\n");
    let items: Vec<_> = read_events_jsonl(jsonl.as_bytes()).collect();
    let lines: Vec<_> = items
        .iter()
        .map(|item| match item {
            Ok(_) => 0,
            Err(Error::EventLine { line, .. }) => *line,
            Err(other) => panic!("unexpected {other}"),
        })
        .collect();
    assert_eq!(lines, [0, 2, 0, 5]);
}

#[test]
fn bad_csv_rows_are_reported_with_their_numbers_and_the_rest_kept() {
    let (_, orders) = scenario();
    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    write_order_csv_row(&mut csv, &orders[0]);
    csv.push_str("x,1,1,1,100.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001\n");
    write_order_csv_row(&mut csv, &orders[1]);
    csv.push_str("9,1,1,1,100.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,70001\n");
    let rows: Vec<_> = read_orders_csv(csv.as_bytes()).unwrap().collect();
    let summary: Vec<_> = rows
        .iter()
        .map(|r| match r {
            Ok(o) => format!("ok {}", o.order),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "ok 1".to_owned(),
            "row 2, column 'order_id': 'x' is not a whole number".to_owned(),
            "ok 2".to_owned(),
            "row 4, column 'destination_pin': '70001' is not a PIN code".to_owned(),
        ]
    );
}
