//! Nothing is lost to damaged input: whatever is done to some rows of a valid order CSV, events
//! JSON Lines file or listing sheet (a stray quote, an invalid byte, a byte-order mark, a
//! repeated row, a number far beyond any amount), every row read is kept or reported, and every
//! row that was not damaged is kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use haat::catalogue::{ImportOptions, ImportedRow, Taxonomy, import_csv_each, import_jsonl_each};
use haat::metrics::{Error, HaatEvent, read_events_jsonl, read_orders_csv};
use haat::seller::SellerEvent;
use proptest::prelude::*;

/// What is done to a row.
#[derive(Clone, Copy, Debug)]
enum Damage {
    /// A `"` opens one of its fields (or lands inside a JSON line) and never closes.
    StrayQuote(usize),
    /// A byte that is never UTF-8 (`0xFF`), or a lone lead byte (`0xC3`), at some position.
    InvalidByte(usize, u8),
    /// A byte-order mark at the start of the row (not the file's).
    Bom,
    /// The row is written twice.
    Duplicate,
    /// An amount or number becomes 10²⁷.
    Huge,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::StrayQuote),
        (any::<usize>(), prop_oneof![Just(0xFFu8), Just(0xC3u8)])
            .prop_map(|(at, byte)| Damage::InvalidByte(at, byte)),
        Just(Damage::Bom),
        Just(Damage::Duplicate),
        Just(Damage::Huge),
    ]
}

const HUGE: &str = "1000000000000000000000000000";

/// `row` damaged: the lines to write in its place (the first is the row itself).
fn apply(row: &str, damage: Damage, csv: bool, number: &str) -> Vec<Vec<u8>> {
    let bytes = row.as_bytes().to_vec();
    match damage {
        Damage::StrayQuote(k) => {
            let at = if csv {
                // The start of a non-empty field.
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(row.match_indices(',').map(|(i, _)| i + 1))
                    .filter(|&i| !matches!(bytes.get(i), None | Some(b',')))
                    .collect();
                starts[k % starts.len()]
            } else {
                k % (bytes.len() + 1)
            };
            let mut out = bytes;
            out.insert(at, b'"');
            vec![out]
        }
        Damage::InvalidByte(k, byte) => {
            let mut out = bytes;
            out.insert(k % (out.len() + 1), byte);
            vec![out]
        }
        Damage::Bom => {
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend_from_slice(&bytes);
            vec![out]
        }
        Damage::Duplicate => vec![bytes.clone(), bytes],
        Damage::Huge => vec![row.replacen(number, HUGE, 1).into_bytes()],
    }
}

/// The file: an optional header, the rows (each damaged or not, optionally a BOM at the very
/// start), and the data row number of each undamaged row.
fn build(
    header: Option<&str>,
    rows: &[String],
    damages: &[Option<Damage>],
    bom: bool,
    csv: bool,
    number: impl Fn(usize) -> String,
) -> (Vec<u8>, usize, Vec<usize>) {
    let mut file = Vec::new();
    if bom {
        file.extend_from_slice("\u{feff}".as_bytes());
    }
    if let Some(header) = header {
        file.extend_from_slice(header.as_bytes());
        file.push(b'\n');
    }
    let mut line = 0;
    let mut undamaged = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let lines = match damages[i] {
            None => {
                undamaged.push(line + 1);
                vec![row.clone().into_bytes()]
            }
            Some(damage) => apply(row, damage, csv, &number(i)),
        };
        for l in lines {
            line += 1;
            file.extend_from_slice(&l);
            file.push(b'\n');
        }
    }
    (file, line, undamaged)
}

const ORDER_HEADER: &str = "order_id,seller_id,listing_id,quantity,amount,placed_at,\
    promised_dispatch_by,dispatched_at,delivered_at,cancelled_at,cancelled_by,returned_at,destination_pin";
const LISTING_HEADER: &str = "sku,title,description,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece";

fn order_row(i: usize) -> String {
    format!(
        "{},7,70,1,{}.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,2025-10-03T06:00:00Z,,,,,700001",
        i + 1,
        2_000 + i
    )
}

fn event_row(i: usize) -> String {
    format!(
        r#"{{"stream":"seller","event":{{"type":"seller_activated","seller":{},"at":"2025-06-01T04:30:00Z","by":{{"kind":"system"}}}}}}"#,
        1_000 + i
    )
}

fn listing_row(i: usize) -> String {
    format!(
        "S-{i},Handwoven Tant cotton saree with red border,Soft cotton woven in Phulia on a pit loom.,textiles/sarees/handloom/tant,5208,{},1600,https://img.example.in/a.jpg,Cotton,5.5 m,yes",
        1_000 + i
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rows_in_are_rows_kept_plus_rows_reported_and_no_undamaged_row_is_lost(
        damages in prop::collection::vec(prop::option::weighted(0.3, damage()), 1..30),
        bom in any::<bool>(),
    ) {
        let n = damages.len();

        // Orders: kept ones are known by their order id.
        let rows: Vec<String> = (0..n).map(order_row).collect();
        let (file, lines, undamaged) =
            build(Some(ORDER_HEADER), &rows, &damages, bom, true, |i| format!("{}.00", 2_000 + i));
        let (mut kept, mut kept_rows, mut refused, mut read) = (BTreeSet::new(), 0, 0, 0);
        for item in read_orders_csv(file.as_slice()).unwrap() {
            read += 1;
            match item {
                Ok(order) => {
                    kept.insert(order.order.get());
                    kept_rows += 1;
                }
                Err(Error::Row { .. }) => refused += 1,
                Err(other) => panic!("reading stopped: {other}"),
            }
        }
        prop_assert_eq!(read, lines);
        // A repeated row is kept or reported as a duplicate, but counted either way.
        prop_assert_eq!(read, kept_rows + refused);
        for (i, d) in damages.iter().enumerate() {
            if d.is_none() {
                prop_assert!(kept.contains(&(i as u64 + 1)), "order {} lost", i + 1);
            }
        }
        prop_assert_eq!(undamaged.len(), damages.iter().filter(|d| d.is_none()).count());

        // Events: kept ones are known by their seller.
        let rows: Vec<String> = (0..n).map(event_row).collect();
        let (file, lines, _) = build(None, &rows, &damages, bom, false, |i| (1_000 + i).to_string());
        let (mut kept, mut kept_rows, mut refused, mut read) = (BTreeSet::new(), 0, 0, 0);
        for item in read_events_jsonl(file.as_slice()) {
            read += 1;
            match item {
                Ok(HaatEvent::Seller(SellerEvent::SellerActivated { seller, .. })) => {
                    kept.insert(seller.get());
                    kept_rows += 1;
                }
                Ok(other) => panic!("an event that was not written: {other:?}"),
                Err(Error::EventLine { .. }) => refused += 1,
                Err(other) => panic!("reading stopped: {other}"),
            }
        }
        prop_assert_eq!(read, lines);
        prop_assert_eq!(read, kept_rows + refused);
        for (i, d) in damages.iter().enumerate() {
            if d.is_none() {
                prop_assert!(kept.contains(&(i as u64 + 1_000)), "event of seller {} lost", i + 1_000);
            }
        }

        // Listings, as a sheet and as JSON Lines: kept ones are known by their row.
        let taxonomy = Taxonomy::west_bengal_default();
        let rows: Vec<String> = (0..n).map(listing_row).collect();
        let (file, lines, undamaged) =
            build(Some(LISTING_HEADER), &rows, &damages, bom, true, |i| (1_000 + i).to_string());
        let json_rows: Vec<String> = {
            let mut drafts = Vec::new();
            let sheet = format!("{LISTING_HEADER}\n{}\n", rows.join("\n"));
            import_csv_each(sheet.as_bytes(), &taxonomy, |_| false, ImportOptions::default(), |row| {
                if let ImportedRow::Draft { content, .. } = row {
                    drafts.push(serde_json::to_string(&content).unwrap());
                }
            })
            .unwrap();
            drafts
        };
        prop_assert_eq!(json_rows.len(), n, "every generated row is a valid draft");
        let (json_file, json_lines, json_undamaged) =
            build(None, &json_rows, &damages, bom, false, |i| format!("{}.00", 1_000 + i));
        for (file, lines, undamaged, json) in [
            (file, lines, undamaged, false),
            (json_file, json_lines, json_undamaged, true),
        ] {
            let (mut kept, mut refused) = (BTreeSet::new(), 0);
            let mut on_row = |row| match row {
                ImportedRow::Draft { row, .. } => { kept.insert(row); }
                ImportedRow::Refused { errors, .. } => {
                    assert!(!errors.is_empty());
                    refused += 1;
                }
            };
            let summary = if json {
                import_jsonl_each(file.as_slice(), &taxonomy, |_| false, ImportOptions::default(), &mut on_row)
            } else {
                import_csv_each(file.as_slice(), &taxonomy, |_| false, ImportOptions::default(), &mut on_row)
            }
            .unwrap();
            prop_assert_eq!(summary.rows, lines);
            prop_assert_eq!((summary.kept, summary.refused), (kept.len(), refused));
            prop_assert_eq!(summary.rows, summary.kept + summary.refused);
            for row in undamaged {
                prop_assert!(kept.contains(&row), "listing row {} lost ({})", row, if json { "JSON Lines" } else { "CSV" });
            }
        }
    }
}
