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

#[test]
fn stock_signals_travel_in_the_same_file_and_change_no_figure() {
    use haat_core::{LocationId, SellerId};
    use haat_inventory::{StockKey, StockSignal};
    let key = StockKey::new(
        SellerId::new(1),
        "TANT-01".parse().unwrap(),
        LocationId::new(7),
    );
    let signal = HaatEvent::Stock(StockSignal::OutOfStock {
        seq: 9,
        at: chrono::DateTime::UNIX_EPOCH,
        key,
    });
    let mut jsonl = String::new();
    write_event_jsonl(&mut jsonl, &signal).unwrap();
    assert!(
        jsonl.starts_with(r#"{"stream":"stock","event":{"type":"out_of_stock""#),
        "{jsonl}"
    );
    let back: Vec<HaatEvent> = read_events_jsonl(jsonl.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, std::slice::from_ref(&signal));
    let mut metrics = haat_metrics::Metrics::default();
    metrics.apply_event(&signal);
    assert_eq!(metrics, haat_metrics::Metrics::default());
}

#[test]
fn quoted_fields_crlf_byte_order_marks_and_blank_lines_are_read_like_any_csv() {
    let (_, orders) = scenario();
    let mut plain = String::new();
    write_order_csv_header(&mut plain);
    write_order_csv_row(&mut plain, &orders[0]);
    write_order_csv_row(&mut plain, &orders[1]);
    let expected: Vec<_> = orders[..2].to_vec();
    let mut lines = plain.lines();
    let header = lines.next().unwrap();
    let first = lines.next().unwrap();
    let second = lines.next().unwrap();
    // Quote every field of the first row, with "₹1,000.00" as its amount; end lines with CRLF;
    // open with a byte-order mark; add blank lines.
    let quoted: Vec<String> = first
        .split(',')
        .enumerate()
        .map(|(i, f)| {
            if i == 4 {
                "\"₹1,000.00\"".to_owned()
            } else {
                format!("\"{f}\"")
            }
        })
        .collect();
    let messy = format!(
        "\u{feff}{header}\r\n\r\n{}\r\n\n{second}\r\n",
        quoted.join(",")
    );
    let back: Vec<_> = read_orders_csv(messy.as_bytes())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, expected);
    // A quoted field may run over a line break; the row is still one row.
    let broken = format!(
        "{header}\n{}\n{second}\n",
        first.replacen(",1,", ",\"1\n\",", 1)
    );
    let rows: Vec<_> = read_orders_csv(broken.as_bytes()).unwrap().collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].is_ok());
}

#[test]
fn a_file_without_the_needed_columns_is_refused() {
    for text in ["", "order_id,seller_id\n1,2\n"] {
        assert!(matches!(
            read_orders_csv(text.as_bytes()),
            Err(Error::MissingColumn { .. })
        ));
    }
}

mod properties {
    use chrono::{TimeDelta, TimeZone, Utc};
    use haat_metrics::{
        read_events_jsonl, read_orders_csv, write_order_csv_header, write_order_csv_row,
    };
    use proptest::prelude::*;

    use crate::support::{Fate, order};

    proptest! {
        #[test]
        fn orders_round_trip_through_csv(
            secs in 0i64..8_000_000_000,
            rupees in 1i64..10_000_000,
            fate in 0usize..5,
        ) {
            let placed = Utc.timestamp_opt(secs, 0).unwrap();
            let fate = Fate::ALL[fate];
            let record = order(1, 2, 3, rupees, placed, "700001", fate);
            let mut csv = String::new();
            write_order_csv_header(&mut csv);
            write_order_csv_row(&mut csv, &record);
            let back: Vec<_> = read_orders_csv(csv.as_bytes()).unwrap().collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(back, vec![record]);
            // The same instant with an offset goes through chrono and agrees.
            let ist = (placed + TimeDelta::minutes(330)).format("%Y-%m-%dT%H:%M:%S+05:30").to_string();
            let utc = placed.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let row = csv.lines().nth(1).unwrap().replacen(&utc, &ist, 1);
            let header = csv.lines().next().unwrap();
            let again: Vec<_> = read_orders_csv(format!("{header}\n{row}\n").as_bytes()).unwrap().collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(again[0].placed_at, placed);
        }

        #[test]
        fn instants_read_by_hand_agree_with_chrono(
            year in 0u32..10_000,
            month in 0u32..14,
            day in 0u32..33,
            hour in 0u32..26,
            minute in 0u32..62,
            second in 0u32..60,
        ) {
            // `YYYY-MM-DDTHH:MM:SSZ` is read without chrono's parser: it must accept exactly
            // the instants chrono accepts (29 February only in leap years, no 24:00), as the
            // same instants.
            let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
            let expected = chrono::DateTime::parse_from_rfc3339(&text).ok().map(|t| t.with_timezone(&Utc));
            let csv = format!(
                "order_id,seller_id,listing_id,quantity,amount,placed_at,promised_dispatch_by,\
                 dispatched_at,delivered_at,cancelled_at,cancelled_by,returned_at,destination_pin\n\
                 1,2,3,1,100.00,{text},{text},,,,,,700001\n"
            );
            let read = read_orders_csv(csv.as_bytes()).unwrap().next().unwrap();
            prop_assert_eq!(read.ok().map(|order| order.placed_at), expected);
        }

        #[test]
        fn readers_never_panic_on_arbitrary_input(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let header = "order_id,seller_id,listing_id,quantity,amount,placed_at,promised_dispatch_by,\
                dispatched_at,delivered_at,cancelled_at,cancelled_by,returned_at,destination_pin\n";
            let mut input = header.as_bytes().to_vec();
            input.extend_from_slice(&bytes);
            for row in read_orders_csv(input.as_slice()).unwrap() {
                let _ = row;
            }
            let _ = read_orders_csv(bytes.as_slice()).map(|rows| rows.count());
            let _ = read_events_jsonl(bytes.as_slice()).count();
        }
    }
}

/// An order amount of ₹10²⁷ once parsed, then overflowed `Money::paise` in `Metrics::add_order`
/// and crashed the `report` example. It is a bad row now; the largest amount that can be read
/// is summed, reported and printed.
#[test]
fn order_amounts_beyond_the_money_range_are_bad_rows_not_a_crash() {
    use haat_core::Locale;
    use haat_metrics::Metrics;

    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    csv.push_str("1,1,1,1,1000000000000000000000000000,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001\n");
    csv.push_str(
        "2,1,1,4000000000,1000000000000000,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001\n",
    );
    csv.push_str("3,1,1,1,\"₹1,00,00,00,00,00,00,000.00\",2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001\n");
    let mut metrics = Metrics::default();
    let mut refused = Vec::new();
    for row in read_orders_csv(csv.as_bytes()).unwrap() {
        match row {
            Ok(order) => metrics.add_order(&order),
            Err(error) => refused.push(error.to_string()),
        }
    }
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].starts_with("row 1, column 'amount'") && refused[0].contains("beyond ₹10^15"),
        "{refused:?}"
    );
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 4, 1, 6, 0, 0).unwrap();
    let report = metrics.report("FY2025-26".parse().unwrap(), now);
    assert!(!report.render(Locale::EnIn).is_empty());
}

/// A mobile number written as a JSON number was echoed whole into the event reader's error
/// ("invalid type: integer `9876543210`"), and so into the report's log.
#[test]
fn event_line_errors_never_echo_a_mobile_number() {
    let (events, _) = scenario();
    let mut jsonl = String::new();
    write_event_jsonl(&mut jsonl, &events[0]).unwrap();
    assert!(jsonl.contains("\"+919876543210\""), "{jsonl}");
    for written in [
        "9876543210",
        "919876543210",
        "9876543210.0",
        "\"98765432100\"",
        "\"987654321x\"",
    ] {
        let line = jsonl.replace("\"+919876543210\"", written);
        let error = read_events_jsonl(line.as_bytes())
            .next()
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("line 1: "), "{error}");
        assert!(!error.contains("987654321"), "{error}");
    }
}

/// An order CSV of `n` good rows, written by the writer.
fn orders_csv(n: usize) -> (String, usize) {
    let (_, orders) = scenario();
    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    for i in 0..n {
        write_order_csv_row(&mut csv, &orders[i % orders.len()]);
    }
    (csv, n)
}

/// (data row of each refused row, how many rows were kept).
fn outcome<T>(items: impl Iterator<Item = Result<T, Error>>) -> (Vec<u64>, usize) {
    let mut refused = Vec::new();
    let mut kept = 0;
    for item in items {
        match item {
            Ok(_) => kept += 1,
            Err(Error::Row { row, .. }) => refused.push(row),
            Err(Error::EventLine { line, .. }) => refused.push(line),
            Err(other) => panic!("reading stopped: {other}"),
        }
    }
    (refused, kept)
}

#[test]
fn a_stray_quote_costs_its_row_and_no_other() {
    let (csv, n) = orders_csv(20_000);
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    // Data row 100 is line 101; a quote opens its second field and never closes.
    lines[100] = lines[100].replacen(',', ",\"", 1);
    let damaged = lines.join("\n") + "\n";
    let (refused, kept) = outcome(read_orders_csv(damaged.as_bytes()).unwrap());
    assert_eq!(refused, [100]);
    assert_eq!(kept, n - 1);
    let error = read_orders_csv(damaged.as_bytes())
        .unwrap()
        .find_map(Result::err)
        .unwrap();
    assert_eq!(
        error.to_string(),
        "row 100, column '*': field 2 opens a quote that does not close"
    );
}

#[test]
fn an_invalid_byte_costs_its_line_and_no_other() {
    let (csv, n) = orders_csv(500);
    let mut bytes = csv.into_bytes();
    // Into the seller id of data row 37 (line 38).
    let line_start = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(36)
        .unwrap()
        .0
        + 1;
    bytes.insert(line_start + 2, 0xFF);
    let (refused, kept) = outcome(read_orders_csv(bytes.as_slice()).unwrap());
    assert_eq!((refused, kept), (vec![37], n - 1));

    let (events, _) = scenario();
    let mut jsonl = String::new();
    for event in &events {
        write_event_jsonl(&mut jsonl, event).unwrap();
    }
    let mut bytes = jsonl.into_bytes();
    let k = 5;
    let at = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(k - 2)
        .unwrap()
        .0
        + 3;
    bytes.insert(at, 0xC3);
    let items: Vec<_> = read_events_jsonl(bytes.as_slice()).collect();
    let (refused, kept) = outcome(items.clone().into_iter());
    assert_eq!((refused, kept), (vec![k as u64], events.len() - 1));
    let message = items
        .iter()
        .find_map(|i| i.as_ref().err())
        .unwrap()
        .to_string();
    assert!(message.contains("not UTF-8"), "{message}");
}

#[test]
fn a_byte_order_mark_opens_a_json_lines_file_without_refusing_row_one() {
    let (events, _) = scenario();
    let mut jsonl = String::from("\u{feff}");
    for event in &events[..3] {
        write_event_jsonl(&mut jsonl, event).unwrap();
    }
    let back: Vec<HaatEvent> = read_events_jsonl(jsonl.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, events[..3]);
}

#[test]
fn a_huge_cell_is_echoed_as_a_short_excerpt() {
    let (csv, _) = orders_csv(2);
    let huge = "9".repeat(5_000_000) + "x";
    let damaged = csv.replacen(",1,", &format!(",{huge},"), 1);
    let error = read_orders_csv(damaged.as_bytes())
        .unwrap()
        .find_map(Result::err)
        .unwrap()
        .to_string();
    assert!(error.len() < 200, "{} bytes", error.len());
    assert!(error.contains('…'), "{error}");
}
