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
//! CSV). Every good row is kept and every bad row reported, with how many rows were read, kept
//! and refused, by reason. Exit status: 0 when every row was kept; 1 when some were refused
//! (after printing the report); 2 when the file cannot be read, its header is unusable or the
//! arguments are wrong.

#![allow(clippy::print_stdout)]

#[path = "shared/refusals.rs"]
mod refusals;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use haat::catalogue::{
    Error, ImportOptions, ImportReport, QualityGate, Taxonomy, import_csv_with, import_jsonl_with,
};
use haat::core::{Locale, Money, SellerId};
use refusals::{FAILED, Refusals, of_import};

/// Imports `input` (JSON Lines if `json`, else CSV) for a new seller; the report and what was
/// kept and refused, by the first problem of each refused row.
pub(crate) fn import(
    input: impl BufRead,
    json: bool,
    options: ImportOptions,
) -> Result<(ImportReport, Refusals), Error> {
    let taxonomy = Taxonomy::west_bengal_default();
    let seller = SellerId::new(1);
    let report = if json {
        import_jsonl_with(input, seller, &taxonomy, |_| false, options)?
    } else {
        import_csv_with(input, seller, &taxonomy, |_| false, options)?
    };
    let refusals = of_import(&report);
    Ok((report, refusals))
}

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
        return ExitCode::from(FAILED);
    };
    let options = ImportOptions::default().with_quality_gate(gate);
    let file = match File::open(&path) {
        Ok(file) => BufReader::new(file),
        Err(e) => {
            eprintln!("cannot open {path}: {e}");
            return ExitCode::from(FAILED);
        }
    };
    let json = path.ends_with(".jsonl") || path.ends_with(".ndjson");
    let (report, refusals) = match import(file, json, options) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(FAILED);
        }
    };
    println!(
        "{path} ({}): {refusals}",
        match gate {
            QualityGate::Errors => "validity and listing-quality checks",
            _ => "validity checks; title and image rules at review",
        },
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
        let column = if error.column.is_row() {
            "(row)".to_owned()
        } else {
            error.column.to_string()
        };
        println!("  row {:>4}  {:<16} {}", error.row, column, error.reason);
    }
    if report.errors_not_kept > 0 {
        println!("  ... and {} more problems", report.errors_not_kept);
    }
    ExitCode::from(refusals.status())
}
