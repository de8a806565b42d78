//! Imports listing drafts from a CSV or JSON Lines file and prints the per-row report.
//!
//! ```text
//! cargo run --example import_listings -- examples/data/nadia_saree_house.csv
//! cargo run --example import_listings -- examples/data/darjeeling_tea.jsonl
//! ```
//!
//! The format follows the file's extension (`.jsonl` / `.ndjson` for JSON Lines, anything else
//! CSV). Bad rows are reported, not fatal: the exit status is non-zero only when the file cannot
//! be read (or its header is unusable).

#![allow(clippy::print_stdout)]

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use haat::catalogue::{Taxonomy, import_csv, import_jsonl};
use haat::core::{Locale, Money, SellerId};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: import_listings <file.csv|file.jsonl>");
        return ExitCode::from(2);
    };
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
        import_jsonl(file, seller, &taxonomy, |_| false)
    } else {
        import_csv(file, seller, &taxonomy, |_| false)
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
        "{path}: {} rows read, {} drafts ready, {} rows with problems ({} problems)",
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
