//! Bulk import: every bad row reported with row, column and reason; every good row kept.

use std::collections::HashSet;

use haat_catalogue::{
    Error, ImportOptions, ImportReport, ImportedRow, IssueCode, QualityGate, Taxonomy,
    check_listing, import_csv, import_csv_each, import_csv_with, import_jsonl,
};
use haat_core::{SellerId, Sku};
use proptest::prelude::*;

const HEADER: &str = "sku,title,description,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece";

fn good_row(sku: &str) -> String {
    format!(
        "{sku},Handwoven Tant cotton saree with red border,Soft cotton woven in Phulia on a pit loom.,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/a.jpg|https://img.example.in/b.jpg|https://img.example.in/c.jpg,Cotton,5.5 m,yes"
    )
}

fn csv(rows: &[String]) -> ImportReport {
    csv_with(rows, QualityGate::Off)
}

fn csv_with(rows: &[String], gate: QualityGate) -> ImportReport {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    import_csv_with(
        text.as_bytes(),
        SellerId::new(1),
        &Taxonomy::west_bengal_default(),
        |s: &Sku| s.as_str() == "OLD-1",
        ImportOptions::default().with_quality_gate(gate),
    )
    .unwrap()
}

/// The row is refused by the default import (and so by the gated one too).
#[track_caller]
fn check_bad(row: String, column: &str, reason_contains: &str) {
    check_bad_with(row.clone(), column, reason_contains, QualityGate::Off);
    check_bad_with(row, column, reason_contains, QualityGate::Errors);
}

/// The row breaks a listing-quality rule: refused with the quality gate, kept as a draft by the
/// default import, and reported by the checks a submission for review runs.
#[track_caller]
fn check_quality(row: String, column: &str, reason_contains: &str, code: IssueCode) {
    check_bad_with(row.clone(), column, reason_contains, QualityGate::Errors);
    let report = csv(&[good_row("OK-1"), row]);
    assert_eq!(report.errors, [], "the default import keeps the draft");
    let (_, draft) = &report.drafts[1];
    let checks = check_listing(draft, &Taxonomy::west_bengal_default());
    assert!(
        checks.issues().iter().any(|i| i.code == code),
        "the review checks report {code}: {checks}"
    );
}

#[track_caller]
fn check_bad_with(row: String, column: &str, reason_contains: &str, gate: QualityGate) {
    let report = csv_with(&[good_row("OK-1"), row], gate);
    assert_eq!(
        report.drafts.len(),
        1,
        "the good row is kept: {:?}",
        report.errors
    );
    assert!(!report.errors.is_empty(), "the bad row is reported");
    assert!(
        report.errors.iter().any(|e| e.row == 2
            && e.column == column
            && e.reason.to_string().contains(reason_contains)),
        "expected row 2, column {column}, reason containing {reason_contains:?}; got {:#?}",
        report.errors
    );
}

#[test]
fn good_rows_become_typed_drafts() {
    let report = csv(&[good_row("T-1"), good_row("T-2")]);
    assert_eq!(report.errors, []);
    assert_eq!(report.rows, 2);
    assert_eq!(
        report.seller,
        SellerId::new(1),
        "the report names whose drafts they are"
    );
    let (row, content) = &report.drafts[1];
    assert_eq!(*row, 2);
    assert_eq!(
        content.attributes["fabric"].as_text(),
        Some("cotton"),
        "enum values are normalised"
    );
    assert_eq!(
        content.attributes["length_m"].as_number(),
        Some("5.5".parse().unwrap())
    );
    assert_eq!(content.attributes["blouse_piece"].as_bool(), Some(true));
    assert_eq!(content.images.len(), 3);
}

#[test]
fn each_bad_cell_is_reported() {
    let g = good_row("B-1");
    check_bad(g.replace("B-1,", "B 1,"), "sku", "' '");
    check_bad(g.replace("B-1,", ","), "sku", "blank");
    check_bad(g.replace("B-1,", "OK-1,"), "sku", "earlier in this file");
    check_bad(
        g.replace("B-1,", "OLD-1,"),
        "sku",
        "already in the catalogue",
    );
    check_bad(
        g.replace(
            "textiles/sarees/handloom/tant",
            "textiles/sarees/handloom/garad",
        ),
        "category",
        "not in the taxonomy",
    );
    check_bad(g.replace(",5208,", ",52O8,"), "hsn", "'O'");
    check_bad(g.replace(",5208,", ",5007,"), "hsn", "not allowed");
    check_bad(g.replace(",1450,", ",abc,"), "price", "'a'");
    check_bad(g.replace(",1450,", ",1800,"), "price", "above the MRP");
    check_bad(g.replace(",1600,", ",16.005,"), "mrp", "decimal places");
    check_quality(
        g.replace(
            "Handwoven Tant cotton saree with red border",
            "Tant saree SALE",
        ),
        "title",
        "promotional",
        IssueCode::PromotionalPhrase,
    );
    check_quality(
        g.replace(
            "https://img.example.in/b.jpg",
            "http://img.example.in/b.jpg",
        ),
        "images",
        "https",
        IssueCode::ImageNotHttps,
    );
    check_quality(
        g.replace("https://img.example.in/a.jpg|https://img.example.in/b.jpg|https://img.example.in/c.jpg", ""),
        "images",
        "at least one image",
        IssueCode::NoImage,
    );
    check_bad(g.replace(",Cotton,", ",Silk,"), "attr.fabric", "one of");
    check_bad(g.replace(",Cotton,", ",,"), "attr.fabric", "required");
    check_bad(g.replace("5.5 m", "550 cm"), "attr.length_m", "cm");
    check_bad(g.replace("5.5 m", "long"), "attr.length_m", "not a number");
    check_bad(g.replace("5.5 m", "12"), "attr.length_m", "5.0 to 9.0");
    check_bad(
        g.replace(",yes", ",maybe"),
        "attr.blouse_piece",
        "yes or no",
    );
    check_bad(format!("{g},extra"), "", "cells");
}

/// The import runs the listing checks, so a row placed on a parent category (whose HSN families
/// are whole chapters) is refused like a submission, naming leaves to choose from.
#[test]
fn a_row_on_a_parent_category_is_refused() {
    let g = good_row("P-1");
    check_bad(
        g.replace("textiles/sarees/handloom/tant", "textiles/sarees/handloom"),
        "category",
        "'textiles/sarees/handloom' has subcategories and takes no listings itself; choose a leaf \
         category such as textiles/sarees/handloom/baluchari, textiles/sarees/handloom/dhaniakhali",
    );
    check_bad(
        g.replace("textiles/sarees/handloom/tant", "textiles"),
        "category",
        "textiles/sarees/handloom/tant",
    );
}

#[test]
fn every_problem_of_a_row_is_reported() {
    // Cells that parse go through the checks, so all of their problems show up...
    let row = good_row("X-1")
        .replace(",1450,", ",1800,")
        .replace(",Cotton,", ",Silk,")
        .replace(",5208,", ",5007,");
    let report = csv(&[row]);
    let columns: Vec<_> = report.errors.iter().map(|e| e.column.to_string()).collect();
    assert_eq!(columns, ["attr.fabric", "price", "hsn"]);
    assert_eq!(report.bad_rows(), [1]);
    // ...and every cell that does not parse is reported too.
    let row = good_row("X-1")
        .replace(",1450,", ",abc,")
        .replace(",5208,", ",99,")
        .replace("5.5 m", "long");
    let report = csv(&[row]);
    let columns: Vec<_> = report.errors.iter().map(|e| e.column.to_string()).collect();
    assert_eq!(columns, ["hsn", "price", "attr.length_m"]);
}

#[test]
fn header_problems_refuse_the_file() {
    let taxonomy = Taxonomy::west_bengal_default();
    let none = |_: &Sku| false;
    for header in [
        "sku,title,category,hsn",
        "sku,title,category,hsn,price,colour",
        "sku,sku,title,category,hsn,price",
    ] {
        let result = import_csv(
            format!("{header}\n").as_bytes(),
            SellerId::new(1),
            &taxonomy,
            none,
        );
        assert!(
            matches!(result, Err(Error::ImportHeader { .. })),
            "{header}: {result:?}"
        );
    }
}

#[test]
fn packaged_goods_need_declarations() {
    let taxonomy = Taxonomy::west_bengal_default();
    let text = "sku,title,description,category,hsn,price,mrp,images,attr.flush,packer,packer_address,generic_name,net_quantity,country_of_origin,manufactured,unit_sale_price,consumer_care_phone,consumer_care_email,importer,importer_address\n\
        DJ-1,Darjeeling first flush black tea,Spring leaf from a Kurseong estate garden.,food/tea/darjeeling,0902,650,700,https://i.in/1.jpg|https://i.in/2.jpg|https://i.in/3.jpg,first,Giddapahar Tea Estate,\"Kurseong, Darjeeling 734203\",Black tea,250 g,IN,2025-11,2.80,1800-345-0000,care@giddapahar.example.in,,\n\
        DJ-2,Darjeeling first flush black tea,Spring leaf from a Kurseong estate garden.,food/tea/darjeeling,0902,650,,https://i.in/1.jpg,first,,,,,,,,,,,\n\
        DJ-3,Darjeeling first flush black tea,Spring leaf from a Kurseong estate garden.,food/tea/darjeeling,0902,650,700,https://i.in/1.jpg,first,Giddapahar,,Black tea,250 bags,India,2025-11,2.80,1800-345-0000,care@giddapahar.example.in,,\n\
        DJ-4,Darjeeling first flush black tea,Spring leaf from a Kurseong estate garden.,food/tea/darjeeling,0902,650,700,https://i.in/1.jpg,first,Giddapahar,Kurseong,Black tea,250 g,NP,November,2.50,1800-345-0000,care@giddapahar.example.in,Himalayan Leaf Imports,\n";
    let report = import_csv(text.as_bytes(), SellerId::new(1), &taxonomy, |_: &Sku| {
        false
    })
    .unwrap();
    assert_eq!(report.drafts.len(), 1);
    assert_eq!(
        report.drafts[0]
            .1
            .packaged
            .as_ref()
            .unwrap()
            .net_quantity
            .to_string(),
        "250 g"
    );
    let got: Vec<_> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "mrp"),
            (2, "packer"),
            (3, "net_quantity"),
            // A month that does not parse is reported once, where it is.
            (4, "manufactured"),
            (4, "importer_address"),
            (4, "unit_sale_price"),
        ]
        .map(|(row, column)| (row, column.to_owned()))
    );
    let d = report.drafts[0].1.packaged.as_ref().unwrap();
    assert_eq!(
        d.manufactured.map(|m| m.to_string()).as_deref(),
        Some("2025-11")
    );
    assert_eq!(d.unit_sale_price, Some(haat_core::Money::from_paise(280)));
    assert_eq!(d.consumer_care_email, "care@giddapahar.example.in");
}

#[test]
fn json_lines_import() {
    let taxonomy = Taxonomy::west_bengal_default();
    let good = serde_json::to_string(&crate::quality::tea()).unwrap();
    let text = format!(
        "{good}\n\n{}\n{{not json\n{}\n{}\n",
        good,
        good.replace("\"DJ-FF-250\"", "\"DJ-2\"")
            .replace("\"first\"", "\"winter\""),
        good.replace("\"DJ-FF-250\"", "\"DJ-3\"")
            .replace("\"title\"", "\"titel\"")
    );
    let report = import_jsonl(text.as_bytes(), SellerId::new(1), &taxonomy, |_: &Sku| {
        false
    })
    .unwrap();
    assert_eq!(report.drafts.len(), 1);
    assert_eq!(report.drafts[0].0, 1);
    let got: Vec<_> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.to_string()))
        .collect();
    assert_eq!(
        got,
        [(3, "sku"), (4, ""), (5, "attributes.flush"), (6, "")].map(|(r, c)| (r, c.to_owned()))
    );
    assert_eq!(report.rows, 5);
}

#[test]
fn the_nadia_sheet_imports_in_one_call() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/nadia_saree_house.csv"
    );
    let file = std::fs::read(path).unwrap();
    let report = import_csv(
        &file[..],
        SellerId::new(1),
        &Taxonomy::west_bengal_default(),
        |_: &Sku| false,
    )
    .unwrap();
    assert_eq!(report.rows, 300);
    let bad = report.bad_rows();
    assert_eq!(report.drafts.len() + bad.len(), 300);
    assert!(
        (3..=8).contains(&bad.len()),
        "a few deliberately bad rows: {:#?}",
        report.errors
    );
}

fn import(text: &[u8], json: bool) -> ImportReport {
    let taxonomy = Taxonomy::west_bengal_default();
    let none = |_: &Sku| false;
    let report = if json {
        import_jsonl(text, SellerId::new(1), &taxonomy, none)
    } else {
        import_csv(text, SellerId::new(1), &taxonomy, none)
    };
    report.unwrap()
}

fn tea_lines(n: usize) -> Vec<String> {
    let good = serde_json::to_string(&crate::quality::tea()).unwrap();
    (0..n)
        .map(|i| good.replace("\"DJ-FF-250\"", &format!("\"DJ-{i}\"")))
        .collect()
}

#[test]
fn a_stray_quote_in_a_listing_sheet_costs_its_row_and_no_other() {
    let mut rows: Vec<String> = (1..=2_000).map(|i| good_row(&format!("S-{i}"))).collect();
    // A quote opens the title of data row 100 and never closes.
    rows[99] = rows[99].replacen(",Handwoven", ",\"Handwoven", 1);
    let report = csv(&rows);
    assert_eq!(report.rows, 2_000);
    assert_eq!(report.bad_rows(), [100]);
    assert_eq!(report.drafts.len(), 1_999);
    assert_eq!(report.drafts[99].0, 101, "later rows keep their numbers");
    assert!(
        report.errors[0].reason.to_string().contains("quote"),
        "{:?}",
        report.errors
    );
    // A quoted cell that does close may hold commas, doubled quotes and a line break.
    rows[99] = rows[99].replacen(
        "\"Handwoven Tant cotton saree with red border",
        "\"Handwoven Tant, the \"\"red\"\" border\nsaree\"",
        1,
    );
    let report = csv(&rows);
    assert_eq!((report.rows, report.drafts.len()), (2_000, 2_000));
    assert_eq!(
        report.drafts[99].1.title,
        "Handwoven Tant, the \"red\" border\nsaree"
    );
    assert_eq!(report.drafts[100].0, 102, "rows are numbered by their line");
}

#[test]
fn an_invalid_byte_in_json_lines_costs_its_line_and_no_other() {
    let lines = tea_lines(50);
    let mut text = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut line = line.clone().into_bytes();
        if i + 1 == 17 {
            line.insert(10, 0xFF);
        }
        text.extend_from_slice(&line);
        text.push(b'\n');
    }
    let report = import(&text, true);
    assert_eq!(report.rows, 50);
    assert_eq!(report.bad_rows(), [17]);
    assert_eq!(report.drafts.len(), 49);
    assert!(
        report.errors[0].reason.to_string().contains("UTF-8"),
        "{:?}",
        report.errors
    );
    // In a CSV sheet too.
    let mut sheet = format!("{HEADER}\n").into_bytes();
    for i in 1..=30 {
        let mut row = good_row(&format!("U-{i}")).into_bytes();
        if i == 9 {
            row.insert(20, 0xC3);
        }
        sheet.extend_from_slice(&row);
        sheet.push(b'\n');
    }
    let report = import(&sheet, false);
    assert_eq!((report.rows, report.drafts.len()), (30, 29));
    assert_eq!(report.bad_rows(), [9]);
}

#[test]
fn a_byte_order_mark_opens_a_sheet_without_refusing_row_one() {
    let text = format!("\u{feff}{}\n", tea_lines(3).join("\n"));
    let report = import(text.as_bytes(), true);
    assert_eq!(
        (report.rows, report.drafts.len()),
        (3, 3),
        "{:?}",
        report.errors
    );
    let text = format!("\u{feff}{HEADER}\n{}\n", good_row("B-1"));
    let report = import(text.as_bytes(), false);
    assert_eq!(
        (report.rows, report.drafts.len()),
        (1, 1),
        "{:?}",
        report.errors
    );
}

#[test]
fn a_50_mb_header_is_echoed_as_a_short_excerpt() {
    let header = format!("{HEADER},{}\n", "x".repeat(50_000_000));
    let error = import_csv(
        header.as_bytes(),
        SellerId::new(1),
        &Taxonomy::west_bengal_default(),
        |_: &Sku| false,
    )
    .unwrap_err()
    .to_string();
    // The message names the known columns (about 320 bytes) and an excerpt of the unknown one.
    assert!(error.len() < 600, "{} bytes: {error}", error.len());
    assert!(error.contains("x…"), "{error}");
    // A huge cell too.
    let row = good_row("H-1").replace(",yes", &format!(",{}", "y".repeat(10_000_000)));
    let report = csv(&[row]);
    assert_eq!(report.bad_rows(), [1]);
    assert!(
        report.errors[0].reason.to_string().len() < 400,
        "{}",
        report.errors[0].reason
    );
}

#[test]
fn the_report_keeps_a_bounded_number_of_problems_and_counts_every_refused_row() {
    let rows: Vec<String> = (0..3_000)
        .map(|i| good_row(&format!("M-{i}")).replace(",1450,", ",abc,"))
        .chain((0..10).map(|i| good_row(&format!("G-{i}"))))
        .collect();
    let report = csv(&rows);
    assert_eq!(report.rows, 3_010);
    assert_eq!(report.refused, 3_000);
    assert_eq!(report.drafts.len(), 10);
    assert_eq!(report.rows, report.drafts.len() + report.refused);
    assert_eq!(report.errors.len(), ImportReport::MAX_ERRORS);
    assert_eq!(report.errors_not_kept, 3_000 - ImportReport::MAX_ERRORS);
    // Streaming hands every row to the caller and keeps none.
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    let (mut kept, mut refused) = (0, 0);
    let summary = import_csv_each(
        text.as_bytes(),
        &Taxonomy::west_bengal_default(),
        |_: &Sku| false,
        ImportOptions::default(),
        |row| match row {
            ImportedRow::Draft { .. } => kept += 1,
            ImportedRow::Refused { errors, .. } => {
                assert!(!errors.is_empty());
                refused += 1;
            }
        },
    )
    .unwrap();
    assert_eq!((kept, refused), (10, 3_000));
    assert_eq!(
        (summary.rows, summary.kept, summary.refused),
        (3_010, 10, 3_000)
    );
}

proptest! {
    /// Generate good rows, corrupt some in known ways: exactly the corrupted rows are refused,
    /// and every other row is kept, in order.
    #[test]
    fn import_never_loses_a_good_row_nor_accepts_a_bad_one(
        corrupt in prop::collection::vec(prop::option::of(0usize..5), 1..40),
        json in any::<bool>(),
        gated in any::<bool>(),
    ) {
        let gate = if gated { QualityGate::Errors } else { QualityGate::Off };
        let mut rows = Vec::new();
        let mut expected_bad = HashSet::new();
        for (i, c) in corrupt.iter().enumerate() {
            let row = good_row(&format!("P-{i}"));
            let row = match c {
                None => row,
                Some(0) => row.replace(",1450,", ",-5,"),
                Some(1) => row.replace(",Cotton,", ",Nylon,"),
                Some(2) => row.replace("textiles/sarees/handloom/tant", "textiles/nowhere"),
                Some(3) => row.replace(&format!("P-{i},"), "P-0,"),
                _ => row.replace("https://img.example.in/a.jpg", "ftp://a"),
            };
            // A non-https image breaks a listing-quality rule: refused only through the gate.
            let quality_only = *c == Some(4);
            if c.is_some() && !(i == 0 && *c == Some(3)) && (gated || !quality_only) {
                expected_bad.insert(i + 1);
            }
            rows.push(row);
        }
        let report = if json {
            let as_csv = csv_with(&rows, gate);
            // Round-trip the good drafts through JSON Lines too.
            let lines: Vec<String> = as_csv.drafts.iter().map(|(_, c)| serde_json::to_string(c).unwrap()).collect();
            let again = import_jsonl(lines.join("\n").as_bytes(), SellerId::new(1), &Taxonomy::west_bengal_default(), |_: &Sku| false).unwrap();
            prop_assert_eq!(again.errors.len(), 0);
            prop_assert_eq!(again.drafts.len(), as_csv.drafts.len());
            as_csv
        } else {
            csv_with(&rows, gate)
        };
        let bad: HashSet<usize> = report.bad_rows().into_iter().collect();
        prop_assert_eq!(&bad, &expected_bad);
        let good: Vec<usize> = report.drafts.iter().map(|(r, _)| *r).collect();
        let expected_good: Vec<usize> = (1..=rows.len()).filter(|r| !expected_bad.contains(r)).collect();
        prop_assert_eq!(good, expected_good);
    }
}

proptest! {
    /// `Attributes` (what an import builds) behaves as the map it replaced: the same entries in
    /// the same order after any inserts and removes, and the same JSON, which reads back equal.
    #[test]
    fn attributes_behave_as_a_sorted_map(
        ops in prop::collection::vec((any::<bool>(), "[a-e]{1,2}", 0i64..5), 0..40),
    ) {
        use std::collections::BTreeMap;

        use haat_catalogue::{AttributeValue, Attributes};

        let mut attributes = Attributes::new();
        let mut map: BTreeMap<String, AttributeValue> = BTreeMap::new();
        for (insert, name, n) in ops {
            let value = AttributeValue::Number(n.into());
            if insert {
                prop_assert_eq!(attributes.insert(name.as_str(), value.clone()), map.insert(name, value));
            } else {
                prop_assert_eq!(attributes.remove(&name), map.remove(&name));
            }
            prop_assert_eq!(attributes.len(), map.len());
        }
        let ours: Vec<(&str, &AttributeValue)> = attributes.iter().collect();
        let theirs: Vec<(&str, &AttributeValue)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
        prop_assert_eq!(ours, theirs);
        let json = serde_json::to_string(&attributes).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&map).unwrap());
        prop_assert_eq!(serde_json::from_str::<Attributes>(&json).unwrap(), attributes.clone());
        prop_assert_eq!(Attributes::from(map), attributes);
    }
}

/// A price or MRP of ₹10²⁷ was once imported, and overflowed later; so were commas that group
/// no digits. Each is that row's error now.
#[test]
fn prices_beyond_the_money_range_or_badly_grouped_are_bad_cells() {
    let g = good_row("B-1");
    let huge = "1000000000000000000000000000";
    check_bad(
        g.replace(",1450,", &format!(",{huge},")),
        "price",
        "out of range",
    );
    check_bad(
        g.replace(",1600,", &format!(",{huge},")),
        "mrp",
        "out of range",
    );
    check_bad(
        g.replace(",1450,", ",\"1,4,50\","),
        "price",
        "does not group digits",
    );
    check_bad(
        g.replace(",1600,", ",\"1600,\","),
        "mrp",
        "does not group digits",
    );
}
