//! Bulk import of listing drafts from CSV and JSON Lines.
//!
//! Both formats go through the same checks: each row is parsed field by field (every field's
//! problem reported, not just the first), its attributes are typed by the category's schema,
//! duplicate SKUs are caught (within the file and against the caller's catalogue), and the
//! content must be valid for its (leaf) category (attributes, price and MRP, packaged goods'
//! declarations, HSN family). With [`QualityGate::Errors`] it must also pass the listing-quality
//! rules on title and images, which otherwise wait for the submission for review (see
//! [`QualityGate`]); warnings never refuse a row. A good row becomes a draft; a bad row becomes
//! one [`RowError`] per problem, so every row read is kept or refused. Reading stops only on an
//! I/O error from the caller's reader. A row that is not UTF-8 text, or whose quoting is broken,
//! is that row's problem; a byte-order mark at the start of the file is skipped.
//!
//! [`import_csv_each`] and [`import_jsonl_each`] hand each row to the caller as it is read and
//! keep none; [`ImportReport`] keeps the drafts and the first [`ImportReport::MAX_ERRORS`]
//! problems, and counts the rest. A reason repeats at most a short excerpt of the input it
//! quotes.
//!
//! # Row numbers
//! Rows are numbered by their line: in CSV, row *n* starts *n* lines below the header (row 1 is
//! spreadsheet row 2); in JSON Lines, row *n* is line *n*. Blank lines are skipped but counted.
//!
//! # Quoting
//! A CSV cell may be quoted (`"Shantipuri saree, peach"`, `""` for a quote inside) and may then
//! hold line breaks, as spreadsheets write them; a cell that spans lines must close within 16
//! lines and 64 KiB and give the row exactly the header's number of cells. A quote that opens a
//! cell and does not close that way is the problem of its line alone, and the next line is the
//! next row: a stray `"` never swallows the rows after it.
//!
//! # CSV columns
//! A header row names the columns, in any order. Required: `sku`, `title`, `category`, `hsn`,
//! `price`. Optional: `description`, `mrp`, `images` (URLs separated by `|`), one `attr.<name>`
//! column per attribute (an empty cell means "not given"), and the Legal Metrology declarations
//! of packaged goods: `packer`, `packer_address`, `importer`, `importer_address`,
//! `generic_name`, `net_quantity` (`500 g`), `country_of_origin` (`IN`), `manufactured`
//! (`2025-11`), `unit_sale_price`, `consumer_care_phone`, `consumer_care_email`. Any other column is a header error (a misspelt column would otherwise
//! lose data silently).
//!
//! # JSON Lines fields
//! One object per line with the fields of [`ListingContent`]: `sku`, `title`, `description`,
//! `category`, `hsn`, `price`, `mrp` (strings or numbers), `images` (array), `attributes`
//! (object of strings, numbers and booleans), `packaged` (object). Unknown fields are errors.

mod csv;
mod error;
mod jsonl;
mod pipeline;

use std::io::BufRead;

use haat_core::{SellerId, Sku};

pub use error::{Column, ImportFormat, RowError, RowProblem};

use crate::quality::Scope;
use crate::{Error, ListingContent, Taxonomy};

/// Whether an import also runs the listing-quality rules on each row.
///
/// Every import checks that a row is a valid draft for its category: its cells parse, its
/// category is a known leaf, its attributes are those of the category's schema and valid for their
/// types, the required ones are given, 0 < price ≤ MRP, packaged goods have their MRP and Legal
/// Metrology declarations, the HSN code is in the category's families, and its SKU is new. The
/// *listing-quality* rules (title length, promotional phrases, forbidden characters, repeated
/// words; at least one image, `https://` images) are what a submission for review checks; an
/// import runs them too only with [`QualityGate::Errors`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QualityGate {
    /// Only the validity checks: a draft with a promotional title or an `http://` image is
    /// kept, and its problems are reported when it is submitted for review (the default, as
    /// marketplaces' bulk uploads check format and mandatory fields at upload and listing
    /// quality at review).
    #[default]
    Off,
    /// The validity checks and the quality rules' errors: a row whose content would fail
    /// review is refused at import, with each problem reported (warnings are not).
    Errors,
}

/// How an import checks rows; [`Default`] is the validity checks only.
///
/// ```
/// use haat_catalogue::{ImportOptions, QualityGate};
/// let strict = ImportOptions::default().with_quality_gate(QualityGate::Errors);
/// assert_eq!(strict.quality_gate, QualityGate::Errors);
/// assert_eq!(ImportOptions::default().quality_gate, QualityGate::Off);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Whether the listing-quality rules refuse rows too.
    pub quality_gate: QualityGate,
}

impl ImportOptions {
    /// The options with `gate` as the quality gate.
    pub fn with_quality_gate(mut self, gate: QualityGate) -> ImportOptions {
        self.quality_gate = gate;
        self
    }

    fn scope(self) -> Scope {
        Scope {
            listing_rules: self.quality_gate == QualityGate::Errors,
            warnings: false,
        }
    }
}

/// What an import produced: the good rows as drafts, how many rows were refused, and the
/// problems of the first of them.
///
/// Every row read is either a draft or refused: `rows == drafts.len() + refused`. The report
/// keeps the details of at most [`ImportReport::MAX_ERRORS`] problems (the first, in file order)
/// and counts the rest in `errors_not_kept`, so a sheet of a million bad rows costs no more than a
/// good one; a caller that wants every problem, or does not want to hold the drafts either,
/// streams the rows with [`import_csv_each`] or [`import_jsonl_each`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The seller the sheet was imported for: the owner of every draft, and the seller whose
    /// catalogue the duplicate-SKU check looked in.
    pub seller: SellerId,
    /// Good rows, with their row numbers, in file order.
    pub drafts: Vec<(usize, ListingContent)>,
    /// The problems of the bad rows, in file order, at most [`ImportReport::MAX_ERRORS`].
    pub errors: Vec<RowError>,
    /// How many data rows were read.
    pub rows: usize,
    /// How many rows were refused (each has at least one problem).
    pub refused: usize,
    /// How many problems there were beyond those in `errors`.
    pub errors_not_kept: usize,
}

impl ImportReport {
    /// The most problems a report keeps the details of.
    pub const MAX_ERRORS: usize = 1_000;

    /// The distinct rows that had problems kept in `errors`, ascending.
    pub fn bad_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        rows
    }

    fn new(seller: SellerId, expected_rows: usize) -> Self {
        ImportReport {
            seller,
            drafts: Vec::with_capacity(expected_rows),
            errors: Vec::new(),
            rows: 0,
            refused: 0,
            errors_not_kept: 0,
        }
    }

    /// Takes one row's outcome in.
    fn record(&mut self, outcome: ImportedRow) {
        match outcome {
            ImportedRow::Draft { row, content } => self.drafts.push((row, content)),
            ImportedRow::Refused { errors, .. } => {
                self.refused += 1;
                let room = Self::MAX_ERRORS.saturating_sub(self.errors.len());
                self.errors_not_kept += errors.len().saturating_sub(room);
                self.errors.extend(errors.into_iter().take(room));
            }
        }
    }
}

/// One row of an import, as [`import_csv_each`] and [`import_jsonl_each`] hand it over.
// A row is handed over once and moved on, so the draft is not boxed: a box would cost an
// allocation per good row.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportedRow {
    /// A good row, as a draft.
    Draft {
        /// The 1-based data row (see the module documentation).
        row: usize,
        /// The draft's content.
        content: ListingContent,
    },
    /// A bad row and every one of its problems (at least one).
    Refused {
        /// The 1-based data row.
        row: usize,
        /// Its problems, in column order.
        errors: Vec<RowError>,
    },
}

/// What a streamed import read: `rows == kept + refused`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ImportSummary {
    /// Data rows read.
    pub rows: usize,
    /// Rows that became drafts.
    pub kept: usize,
    /// Rows refused.
    pub refused: usize,
}

/// Imports listing drafts for `seller` from CSV.
///
/// `existing` says whether the seller already has a SKU (e.g. `|sku| catalogue.has_sku(seller,
/// sku)` or a set's `contains`).
///
/// # Errors
/// [`Error::ImportHeader`] if the header lacks a required column or has an unknown one;
/// [`Error::ImportIo`] if the reader fails. Bad rows are not errors: they are in the report.
///
/// ```
/// use haat_catalogue::{RowProblem, Taxonomy, import_csv};
/// use haat_core::SellerId;
/// let csv = "sku,title,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece\n\
///     T-1,Handwoven Tant cotton saree with red border,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n\
///     T-1,Same SKU again in this sheet,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n";
/// let report = import_csv(csv.as_bytes(), SellerId::new(1), &Taxonomy::west_bengal_default(), |_| false)?;
/// assert_eq!(report.drafts.len(), 1);
/// let error = &report.errors[0];
/// assert_eq!((error.row, error.column.to_string()), (2, "sku".to_owned()));
/// assert_eq!(error.reason, RowProblem::SkuEarlierInFile { sku: "T-1".parse()? });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_csv<R: BufRead>(
    reader: R,
    seller: SellerId,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
) -> Result<ImportReport, Error> {
    import_csv_with(reader, seller, taxonomy, existing, ImportOptions::default())
}

/// [`import_csv`] with a choice of checks: [`QualityGate::Errors`] refuses rows whose title or
/// images break the listing-quality rules too.
///
/// # Errors
/// As [`import_csv`].
///
/// ```
/// use haat_catalogue::{Column, ImportOptions, QualityGate, Taxonomy, import_csv_with};
/// use haat_core::SellerId;
/// let csv = "sku,title,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece\n\
///     T-1,Tant saree SALE,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n";
/// let taxonomy = Taxonomy::west_bengal_default();
/// let strict = ImportOptions::default().with_quality_gate(QualityGate::Errors);
/// let report = import_csv_with(csv.as_bytes(), SellerId::new(1), &taxonomy, |_| false, strict)?;
/// assert_eq!((report.errors[0].row, &report.errors[0].column), (1, &Column::Field("title".into())));
/// // By default the draft is kept; its title is reported when it is submitted for review.
/// let report = import_csv_with(csv.as_bytes(), SellerId::new(1), &taxonomy, |_| false, ImportOptions::default())?;
/// assert_eq!(report.drafts.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_csv_with<R: BufRead>(
    mut reader: R,
    seller: SellerId,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    let mut report = ImportReport::new(seller, expected_rows(&mut reader));
    let summary = import_csv_each(reader, taxonomy, existing, options, |row| {
        report.record(row);
    })?;
    report.rows = summary.rows;
    Ok(report)
}

/// [`import_csv_with`], handing each row to `on_row` as it is read instead of keeping it: the
/// import holds one row at a time, whatever the size of the sheet.
///
/// # Errors
/// As [`import_csv`].
///
/// ```
/// use haat_catalogue::{ImportOptions, ImportedRow, Taxonomy, import_csv_each};
/// let csv = "sku,title,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece\n\
///     T-1,Handwoven Tant cotton saree,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n\
///     T-2,\"Tant saree, red border,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t2.jpg,cotton,5.5,yes\n";
/// let mut refused = Vec::new();
/// let summary = import_csv_each(csv.as_bytes(), &Taxonomy::west_bengal_default(),
///     |_| false, ImportOptions::default(), |row| {
///         if let ImportedRow::Refused { row, errors } = row {
///             refused.push((row, errors[0].reason.to_string()));
///         }
///     })?;
/// assert_eq!((summary.rows, summary.kept, summary.refused), (2, 1, 1));
/// assert_eq!(refused, [(2, "row is unreadable: field 2 opens a quote that does not close".to_owned())]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_csv_each<R: BufRead>(
    reader: R,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
    on_row: impl FnMut(ImportedRow),
) -> Result<ImportSummary, Error> {
    csv::import(reader, taxonomy, existing, options, on_row)
}

/// Imports listing drafts for `seller` from JSON Lines (one [`ListingContent`]-shaped object per
/// line).
///
/// # Errors
/// [`Error::ImportIo`] if the reader fails. Bad rows are not errors: they are in the report.
///
/// ```
/// use haat_catalogue::{Taxonomy, import_jsonl};
/// use haat_core::SellerId;
/// let jsonl = r#"{"sku":"DJ-1","title":"Darjeeling first flush black tea, 250 g","category":"food/tea/darjeeling","hsn":"0902","price":"650","mrp":"700","images":["https://img.example.in/dj1.jpg"],"attributes":{"flush":"first"},"packaged":{"manufacturer_or_packer":"Giddapahar Tea Estate","address":"Kurseong, Darjeeling 734203","generic_name":"Black tea","net_quantity":{"amount":"250","unit":"gram"},"country_of_origin":"IN","manufactured":"2025-11","unit_sale_price":"2.80","consumer_care_phone":"1800-345-0000","consumer_care_email":"care@giddapahar.example.in"}}
/// {"sku":"DJ-2","title":"tea","category":"food/tea/darjeeling","hsn":"0902","price":"650"}
/// "#;
/// let report = import_jsonl(jsonl.as_bytes(), SellerId::new(2), &Taxonomy::west_bengal_default(), |_| false)?;
/// assert_eq!(report.drafts.len(), 1);
/// assert_eq!(report.bad_rows(), [2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_jsonl<R: BufRead>(
    reader: R,
    seller: SellerId,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
) -> Result<ImportReport, Error> {
    import_jsonl_with(reader, seller, taxonomy, existing, ImportOptions::default())
}

/// [`import_jsonl`] with a choice of checks (see [`import_csv_with`]).
///
/// # Errors
/// As [`import_jsonl`].
pub fn import_jsonl_with<R: BufRead>(
    mut reader: R,
    seller: SellerId,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    let mut report = ImportReport::new(seller, expected_rows(&mut reader));
    let summary = import_jsonl_each(reader, taxonomy, existing, options, |row| {
        report.record(row);
    })?;
    report.rows = summary.rows;
    Ok(report)
}

/// [`import_jsonl_with`], handing each row to `on_row` as it is read instead of keeping it (see
/// [`import_csv_each`]).
///
/// # Errors
/// As [`import_jsonl`].
pub fn import_jsonl_each<R: BufRead>(
    reader: R,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
    on_row: impl FnMut(ImportedRow),
) -> Result<ImportSummary, Error> {
    jsonl::import(reader, taxonomy, existing, options, on_row)
}

/// How many drafts to make room for at the start: the rows in what the reader has already
/// buffered (all of an in-memory input, the first block of a file), at a generous 256 bytes a
/// row, up to 4,096. A guess that only saves the growing vector's copies; a reader error is
/// left for the import to meet and report.
fn expected_rows(reader: &mut impl BufRead) -> usize {
    reader.fill_buf().map_or(0, |b| b.len() / 256).min(4096)
}
