//! Imports listing drafts from a CSV or JSON Lines file and prints the per-row report.
//!
//! ```text
//! cargo run --example import_listings -- examples/data/nadia_saree_house.csv
//! cargo run --example import_listings -- --quality examples/data/nadia_saree_house.csv
//! cargo run --example import_listings -- examples/data/darjeeling_tea.jsonl
//! ```
//!
//! By default a row is refused only when it cannot be a valid draft for its category (a cell
//! does not parse, an unknown category, an attribute missing or invalid for the category's
//! schema, price not above zero or above the MRP, packaged goods without MRP or declarations, an
//! HSN code outside the category's families, a repeated SKU); a draft whose title or images
//! break the listing-quality rules is kept, and those problems are reported when it is
//! submitted for review. `--quality` refuses such rows at import too.
//!
//! The format follows the file's extension (`.jsonl` / `.ndjson` for JSON Lines, anything else
//! CSV). Bad rows are reported, not fatal: the exit status is non-zero only when the file cannot
//! be read (or its header is unusable).

#![allow(clippy::print_stdout)]

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use haat::catalogue::{ImportOptions, QualityGate, Taxonomy, import_csv_with, import_jsonl_with};
use haat::core::{Locale, Money, SellerId};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let gate = match args.iter().position(|a| a == "--quality") {
        Some(i) => {
            args.remove(i);
            QualityGate::Errors
        }
        None => QualityGate::Off,
    };
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: import_listings [--quality] <file.csv|file.jsonl>");
        return ExitCode::from(2);
    };
    let options = ImportOptions::default().with_quality_gate(gate);
    let file = match File::open(&path) {
        Ok(file) => BufReader::new(file),
        Err(e) => {
            eprintln!("cannot open {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let taxonomy = Taxonomy::west_bengal_default();
    let seller = SellerId::new(1);
    let json = path.ends_with(".jsonl") || path.ends_with(".ndjson");
    let result = if json {
        import_jsonl_with(file, seller, &taxonomy, |_| false, options)
    } else {
        import_csv_with(file, seller, &taxonomy, |_| false, options)
    };
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let bad = report.bad_rows();
    println!(
        "{path} ({}): {} rows read, {} drafts ready, {} rows with problems ({} problems)",
        match gate {
            QualityGate::Errors => "validity and listing-quality checks",
            _ => "validity checks; title and image rules at review",
        },
        report.rows,
        report.drafts.len(),
        bad.len(),
        report.errors.len()
    );
    let value = report
        .drafts
        .iter()
        .try_fold(Money::ZERO, |sum, (_, c)| sum.checked_add(c.price));
    if let Some(value) = value {
        println!(
            "  listed value of the good rows: {} ({})",
            Locale::EnIn.inr(value),
            Locale::BnIn.inr(value)
        );
    }
    for error in &report.errors {
        let column = if error.column.is_empty() {
            "(row)"
        } else {
            &error.column
        };
        println!("  row {:>4}  {:<16} {}", error.row, column, error.reason);
    }
    ExitCode::SUCCESS
}
