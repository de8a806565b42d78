//! One pipeline after parsing: a row's problems are typed values that print the sentences a
//! seller reads, and a sheet and a JSON Lines file with the same listings meet the same checks.

use haat_catalogue::{
    Column, ImportFormat, ImportReport, IssueCode, RowError, RowProblem, Taxonomy, import_csv,
    import_jsonl,
};
use haat_core::{SellerId, Sku};
use proptest::prelude::*;

const HEADER: &str = "sku,title,description,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece";
const TITLE: &str = "Handwoven Tant cotton saree with red border";
const DESCRIPTION: &str = "Soft cotton woven in Phulia on a pit loom.";
const TANT: &str = "textiles/sarees/handloom/tant";
const IMAGE: &str = "https://img.example.in/a.jpg";

/// One listing's cells, as text.
#[derive(Clone, Debug)]
struct Row {
    sku: String,
    category: &'static str,
    hsn: &'static str,
    price: &'static str,
    fabric: &'static str,
    length: &'static str,
    blouse: &'static str,
}

impl Row {
    fn good(sku: &str) -> Row {
        Row {
            sku: sku.to_owned(),
            category: TANT,
            hsn: "5208",
            price: "1450",
            fabric: "Cotton",
            length: "5.5",
            blouse: "yes",
        }
    }

    fn csv(&self) -> String {
        let Row {
            sku,
            category,
            hsn,
            price,
            fabric,
            length,
            blouse,
        } = self;
        format!(
            "{sku},{TITLE},{DESCRIPTION},{category},{hsn},{price},1600,{IMAGE},{fabric},{length},{blouse}"
        )
    }

    /// The same listing as a JSON line: an empty attribute cell is an absent attribute.
    fn json(&self) -> String {
        let mut attributes = serde_json::Map::new();
        for (name, value) in [
            ("fabric", self.fabric),
            ("length_m", self.length),
            ("blouse_piece", self.blouse),
        ] {
            if !value.is_empty() {
                attributes.insert(name.to_owned(), value.into());
            }
        }
        serde_json::json!({
            "sku": self.sku, "title": TITLE, "description": DESCRIPTION,
            "category": self.category, "hsn": self.hsn, "price": self.price, "mrp": "1600",
            "images": [IMAGE], "attributes": attributes,
        })
        .to_string()
    }
}

fn import(rows: &[Row], format: ImportFormat) -> ImportReport {
    let taxonomy = Taxonomy::west_bengal_default();
    let existing = |sku: &Sku| sku.as_str() == "OLD-1";
    let text = match format {
        ImportFormat::Csv => {
            let rows: Vec<String> = rows.iter().map(Row::csv).collect();
            format!("{HEADER}\n{}\n", rows.join("\n"))
        }
        _ => {
            let rows: Vec<String> = rows.iter().map(Row::json).collect();
            format!("{}\n", rows.join("\n"))
        }
    };
    let seller = SellerId::new(1);
    match format {
        ImportFormat::Csv => import_csv(text.as_bytes(), seller, &taxonomy, existing),
        _ => import_jsonl(text.as_bytes(), seller, &taxonomy, existing),
    }
    .unwrap()
}

/// The one problem of the second row (the first is good), and the sentence it prints.
#[track_caller]
fn check(row: Row, column: Column, reason: RowProblem, says: &str) {
    for format in [ImportFormat::Csv, ImportFormat::JsonLines] {
        let report = import(&[Row::good("OK-1"), row.clone()], format);
        let column = match &column {
            Column::Attribute { name, .. } => Column::Attribute {
                name: name.clone(),
                format,
            },
            other => other.clone(),
        };
        let expected = RowError {
            row: 2,
            column,
            reason: reason.clone(),
        };
        assert_eq!(report.errors, [expected], "{format:?}");
        assert_eq!(report.errors[0].reason.to_string(), says, "{format:?}");
    }
}

fn attribute(name: &str) -> Column {
    Column::Attribute {
        name: name.into(),
        format: ImportFormat::Csv,
    }
}

fn field(name: &'static str) -> Column {
    Column::Field(name.into())
}

#[test]
fn each_problem_is_a_typed_value_that_prints_its_sentence() {
    let row = Row::good;
    check(
        Row {
            price: "",
            ..row("B-1")
        },
        field("price"),
        RowProblem::Blank { what: "price" },
        "price is blank",
    );
    check(
        Row {
            hsn: "99",
            ..row("B-1")
        },
        field("hsn"),
        RowProblem::Invalid {
            detail: "invalid HSN code \"99\": 2 digits, expected 4, 6 or 8".to_owned(),
        },
        "invalid HSN code \"99\": 2 digits, expected 4, 6 or 8",
    );
    check(
        Row {
            category: "textiles/nowhere",
            ..row("B-1")
        },
        field("category"),
        RowProblem::UnknownCategory {
            category: "textiles/nowhere".to_owned(),
        },
        "category 'textiles/nowhere' is not in the taxonomy",
    );
    check(
        Row {
            blouse: "maybe",
            ..row("B-1")
        },
        attribute("blouse_piece"),
        RowProblem::NotYesOrNo {
            text: "maybe".to_owned(),
        },
        "'maybe' is not yes or no",
    );
    check(
        Row {
            length: "5.5 kg",
            ..row("B-1")
        },
        attribute("length_m"),
        RowProblem::WrongUnit {
            text: "5.5 kg".to_owned(),
            given: "kg".to_owned(),
            unit: "m".to_owned(),
        },
        "'5.5 kg' is in kg; this attribute is in m",
    );
    check(
        Row {
            length: "long",
            ..row("B-1")
        },
        attribute("length_m"),
        RowProblem::NotANumber {
            text: "long".to_owned(),
        },
        "'long' is not a number",
    );
    check(
        row("OK-1"),
        field("sku"),
        RowProblem::SkuEarlierInFile {
            sku: "OK-1".parse().unwrap(),
        },
        "SKU 'OK-1' appears earlier in this file",
    );
    check(
        row("OLD-1"),
        field("sku"),
        RowProblem::SkuInCatalogue {
            sku: "OLD-1".parse().unwrap(),
        },
        "SKU 'OLD-1' is already in the catalogue",
    );
}

#[test]
fn a_check_keeps_its_code_and_its_column_names_the_input() {
    let row = Row {
        fabric: "Nylon",
        ..Row::good("B-1")
    };
    for (format, column) in [
        (ImportFormat::Csv, "attr.fabric"),
        (ImportFormat::JsonLines, "attributes.fabric"),
    ] {
        let report = import(std::slice::from_ref(&row), format);
        let error = &report.errors[0];
        assert!(
            matches!(
                error.reason,
                RowProblem::Check {
                    code: IssueCode::AttributeNotAllowed,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.column, column);
        assert_eq!(error.column.to_string(), column);
        assert_eq!(format!("{:<20}|", error.column), format!("{column:<20}|"));
        assert!(
            error
                .to_string()
                .starts_with(&format!("row 1, column '{column}': ")),
            "{error}"
        );
    }
}

fn a_row() -> impl Strategy<Value = Row> {
    (
        0usize..4,
        prop::sample::select(vec![TANT, "textiles/nowhere", "textiles", ""]),
        prop::sample::select(vec!["5208", "99", "0902", ""]),
        prop::sample::select(vec!["1450", "1450.5", "abc", "", "1700", "-5"]),
        prop::sample::select(vec!["Cotton", "COTTON", "silk", "Nylon", ""]),
        prop::sample::select(vec!["5.5", "5.5 m", "550 cm", "long", "5.5 kg", "99", ""]),
        prop::sample::select(vec!["yes", "N", "true", "maybe", ""]),
    )
        .prop_map(|(sku, category, hsn, price, fabric, length, blouse)| Row {
            sku: ["P-1", "P-2", "OLD-1", ""][sku].to_owned(),
            category,
            hsn,
            price,
            fabric,
            length,
            blouse,
        })
}

/// A column with its format left out: the same attribute in either input.
fn unformatted(error: &RowError) -> (usize, String, String) {
    let column = match &error.column {
        Column::Attribute { name, .. } => name.to_string(),
        other => other.to_string(),
    };
    (error.row, column, error.reason.to_string())
}

proptest! {
    /// The same listings as a sheet and as JSON Lines become the same drafts, and the same rows
    /// are refused for the same problems: after parsing, both go through one pipeline.
    #[test]
    fn a_sheet_and_json_lines_meet_the_same_checks(rows in prop::collection::vec(a_row(), 1..12)) {
        let csv = import(&rows, ImportFormat::Csv);
        let jsonl = import(&rows, ImportFormat::JsonLines);
        prop_assert_eq!(&csv.drafts, &jsonl.drafts);
        prop_assert_eq!((csv.rows, csv.refused), (jsonl.rows, jsonl.refused));
        let csv_errors: Vec<_> = csv.errors.iter().map(unformatted).collect();
        let jsonl_errors: Vec<_> = jsonl.errors.iter().map(unformatted).collect();
        prop_assert_eq!(csv_errors, jsonl_errors);
    }
}
