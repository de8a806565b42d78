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

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use haat_core::text::{CsvReader, excerpt, excerpt_bytes, strip_bom, utf8};
use haat_core::{Decimal, Money, Month, SellerId, Sku};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::quality::{Scope, check_listing_in};
use crate::taxonomy::{NumberText, parse_number_in};
use crate::{
    AttributeSchema, AttributeType, AttributeValue, Attributes, Category, CategoryId, Error,
    HsnCode, ListingContent, NetQuantity, PackagedDeclarations, Severity, Taxonomy,
};

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

/// One problem with one row of an import.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowError {
    /// The 1-based data row (see the module documentation).
    pub row: usize,
    /// The column (CSV header name) or field path (JSON Lines) at fault; empty when the row as a
    /// whole is unreadable.
    pub column: String,
    /// What is wrong, for the seller.
    pub reason: String,
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

const CSV_FIXED: [&str; 19] = [
    "sku",
    "title",
    "description",
    "category",
    "hsn",
    "price",
    "mrp",
    "images",
    "packer",
    "packer_address",
    "generic_name",
    "net_quantity",
    "country_of_origin",
    "importer",
    "importer_address",
    "manufactured",
    "unit_sale_price",
    "consumer_care_phone",
    "consumer_care_email",
];
/// Where the columns of the Legal Metrology declarations start in `CSV_FIXED`: they run to its
/// end.
const CSV_FIRST_DECLARATION: usize = 8;
const CSV_REQUIRED: [&str; 5] = ["sku", "title", "category", "hsn", "price"];

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
/// use haat_catalogue::{Taxonomy, import_csv};
/// use haat_core::SellerId;
/// let csv = "sku,title,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece\n\
///     T-1,Handwoven Tant cotton saree with red border,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n\
///     T-1,Same SKU again in this sheet,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n";
/// let report = import_csv(csv.as_bytes(), SellerId::new(1), &Taxonomy::west_bengal_default(), |_| false)?;
/// assert_eq!(report.drafts.len(), 1);
/// assert_eq!((report.errors[0].row, report.errors[0].column.as_str()), (2, "sku"));
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
/// use haat_catalogue::{ImportOptions, QualityGate, Taxonomy, import_csv_with};
/// use haat_core::SellerId;
/// let csv = "sku,title,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece\n\
///     T-1,Tant saree SALE,textiles/sarees/handloom/tant,5208,1450,1600,https://img.example.in/t1.jpg,cotton,5.5,yes\n";
/// let taxonomy = Taxonomy::west_bengal_default();
/// let strict = ImportOptions::default().with_quality_gate(QualityGate::Errors);
/// let report = import_csv_with(csv.as_bytes(), SellerId::new(1), &taxonomy, |_| false, strict)?;
/// assert_eq!((report.errors[0].row, report.errors[0].column.as_str()), (1, "title"));
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
///             refused.push((row, errors[0].reason.clone()));
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
    let mut records = CsvReader::new(reader);
    let io_error = |row: u64, e: std::io::Error| Error::ImportIo {
        row: usize::try_from(row).unwrap_or(usize::MAX),
        message: e.to_string(),
    };
    let (header_line, header): (u64, Vec<String>) =
        match records.next_record(None).map_err(|e| io_error(0, e))? {
            None => (0, Vec::new()),
            Some(record) => {
                let fields = record.fields.map_err(|e| Error::ImportHeader {
                    reason: format!("the header: {e}"),
                })?;
                let names = fields
                    .iter()
                    .map(|name| match utf8(name) {
                        Ok(name) => Ok(name.trim().to_owned()),
                        Err(e) => Err(Error::ImportHeader {
                            reason: format!("column '{}' {e}", excerpt_bytes(name)),
                        }),
                    })
                    .collect::<Result<_, _>>()?;
                (record.line, names)
            }
        };
    let mut fixed: [Option<usize>; CSV_FIXED.len()] = [None; CSV_FIXED.len()];
    let mut attributes: Vec<(usize, Arc<str>)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        if let Some(attr) = lower.strip_prefix("attr.") {
            attributes.push((i, Arc::from(attr)));
        } else if let Some(k) = CSV_FIXED.iter().position(|c| *c == lower) {
            if fixed[k].is_some() {
                return Err(Error::ImportHeader {
                    reason: format!("column '{lower}' appears twice"),
                });
            }
            fixed[k] = Some(i);
        } else {
            return Err(Error::ImportHeader {
                reason: format!(
                    "unknown column '{}'; columns are {}, and attr.<name> for attributes",
                    excerpt(name),
                    CSV_FIXED.join(", ")
                ),
            });
        }
    }
    for required in CSV_REQUIRED {
        let k = CSV_FIXED.iter().position(|c| *c == required).unwrap_or(0);
        if fixed[k].is_none() {
            return Err(Error::ImportHeader {
                reason: format!("required column '{required}' is missing"),
            });
        }
    }
    // Attribute columns are read in name order, so a row's attributes are built already
    // sorted (a repeated column's later cell wins, as it would in a map).
    attributes.sort_by(|(a, x), (b, y)| x.cmp(y).then(a.cmp(b)));
    // Error columns of the attribute columns, formatted once rather than per bad cell.
    let attribute_columns: Vec<String> = attributes
        .iter()
        .map(|(_, name)| format!("attr.{name}"))
        .collect();
    let width = header.len();
    let mut state = ImportState::new(existing, options, on_row);
    let mut categories = CategoryCache::default();
    loop {
        let before = records.lines();
        let Some(record) = records
            .next_record(Some(width))
            .map_err(|e| io_error((before + 1).saturating_sub(header_line), e))?
        else {
            break;
        };
        let row = usize::try_from(record.line.saturating_sub(header_line)).unwrap_or(usize::MAX);
        state.summary.rows += 1;
        let fields = match record.fields {
            Ok(fields) => fields,
            Err(e) => {
                state.refuse(row, vec![unreadable(row, String::new(), &e)]);
                continue;
            }
        };
        // One UTF-8 check for the whole row, then every cell is borrowed from it as `&str`.
        let record = match fields.as_text() {
            Ok(text) => text,
            Err((field, e)) => {
                let column = header.get(field).cloned().unwrap_or_default();
                let problem = format!("cell {} {e}", field + 1);
                state.refuse(row, vec![unreadable(row, column, &problem)]);
                continue;
            }
        };
        let get = |i: usize| record.get(i).map_or("", trim_cell);
        let cell = |k: usize| fixed[k].map_or("", get);
        let mut errors: Vec<RowError> = Vec::new();
        if record.len() > width {
            errors.push(RowError {
                row,
                column: String::new(),
                reason: format!("row has {} cells; the header has {width}", record.len()),
            });
        }
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                row,
                column: column.to_owned(),
                reason,
            })
        };
        let sku = parse_or(&mut err, "sku", cell(0), |s| s.parse::<Sku>());
        let title = cell(1).to_owned();
        let description = cell(2).to_owned();
        let category_def = categories.resolve(&mut err, cell(3), taxonomy, |c| {
            attribute_schemas(c, &attributes)
        });
        let hsn = parse_or(&mut err, "hsn", cell(4), |s| s.parse::<HsnCode>());
        let price = parse_money(&mut err, "price", cell(5), true);
        let mrp = parse_money(&mut err, "mrp", cell(6), false);
        let images_cell = cell(7);
        let mut images: Vec<String> = Vec::with_capacity(images_cell.split('|').count());
        images.extend(
            images_cell
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let mut attrs = Attributes::with_capacity(attributes.len());
        for (k, (i, name)) in attributes.iter().enumerate() {
            let text = get(*i);
            if text.is_empty() {
                continue;
            }
            // The schema of each attribute column is looked up once per category, not per
            // cell, and the attribute takes its name from the schema (a shared `Arc<str>`).
            let (name, schema) = match category_def.and_then(|(_, schemas)| schemas[k]) {
                Some((shared, schema)) => (shared, Some(schema)),
                None => (name, None),
            };
            match attribute_from_text(schema, text) {
                Ok(value) => {
                    attrs.push_in_order(Arc::clone(name), value);
                }
                Err(reason) => err(&attribute_columns[k], reason),
            }
        }
        let declares = (CSV_FIRST_DECLARATION..CSV_FIXED.len()).any(|k| !cell(k).is_empty());
        let packaged = if declares {
            let quantity = if cell(11).is_empty() {
                None
            } else {
                match cell(11).parse::<NetQuantity>() {
                    Ok(q) => Some(q),
                    Err(reason) => {
                        err("net_quantity", reason);
                        None
                    }
                }
            };
            // A month or price that does not parse has its error already; the declaration is
            // then left out, and the checks' "missing" finding at that column is not repeated.
            let manufactured = match cell(15) {
                "" => None,
                text => parse_or(&mut err, "manufactured", text, |s| s.parse::<Month>()),
            };
            let unit_sale_price =
                parse_money(&mut err, "unit_sale_price", cell(16), false).flatten();
            quantity.map(|net_quantity| {
                Box::new(PackagedDeclarations {
                    manufacturer_or_packer: cell(8).to_owned(),
                    address: cell(9).to_owned(),
                    importer: cell(13).to_owned(),
                    importer_address: cell(14).to_owned(),
                    generic_name: cell(10).to_owned(),
                    net_quantity,
                    country_of_origin: cell(12).to_owned(),
                    manufactured,
                    unit_sale_price,
                    consumer_care_phone: cell(17).to_owned(),
                    consumer_care_email: cell(18).to_owned(),
                })
            })
        } else {
            None
        };
        let declared_quantity = cell(11).is_empty() && declares;
        if declared_quantity {
            err("net_quantity", "net quantity is blank".to_owned());
        }
        let category = category_def.map(|(c, _)| c);
        let content = match (sku, category, hsn, price, mrp) {
            (Some(sku), Some(category), Some(hsn), Some(Some(price)), Some(mrp)) => Some((
                ListingContent {
                    title,
                    description,
                    category: category.id().clone(),
                    attributes: attrs,
                    images,
                    price,
                    mrp,
                    hsn,
                    packaged,
                    sku,
                },
                category,
            )),
            (sku, ..) => {
                state.claim(sku.as_ref());
                None
            }
        };
        state.finish(row, content, errors, csv_column);
    }
    Ok(state.summary)
}

/// `str::trim`, skipping the search for the common cell that starts and ends with a visible
/// ASCII character (Unicode whitespace is either ASCII or starts with a non-ASCII byte).
fn trim_cell(cell: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    let bytes = cell.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        cell
    } else {
        cell.trim()
    }
}

/// The problem of a row that cannot be split into cells.
fn unreadable(row: usize, column: String, problem: &dyn fmt::Display) -> RowError {
    RowError {
        row,
        column,
        reason: format!("row is unreadable: {problem}"),
    }
}

/// The schema of each attribute column in `category`, with its shared name (`None`: not one of
/// its attributes).
fn attribute_schemas<'t>(
    category: &'t Category,
    columns: &[(usize, Arc<str>)],
) -> Vec<Option<(&'t Arc<str>, &'t AttributeSchema)>> {
    columns
        .iter()
        .map(|(_, name)| category.attribute_entry(name))
        .collect()
}

/// The categories rows have named so far, resolved, each with what the import derives from it
/// (the schema of each attribute column): a sheet names a handful of categories over many rows,
/// so most rows skip the taxonomy look-up and the per-column schema look-ups. A short list
/// searched in order beats hashing the path; past [`CategoryCache::MAX`] distinct categories a
/// new one is resolved afresh on each row.
struct CategoryCache<'t, S> {
    entries: Vec<(Box<str>, &'t Category, S)>,
}

impl<S> Default for CategoryCache<'_, S> {
    fn default() -> Self {
        CategoryCache {
            entries: Vec::new(),
        }
    }
}

impl<'t, S> CategoryCache<'t, S> {
    const MAX: usize = 32;

    /// The category named by `text` (reporting a bad one through `err`, as [`parse_category`]
    /// does), with what `derive` computes from it.
    fn resolve(
        &mut self,
        err: &mut impl FnMut(&str, String),
        text: &str,
        taxonomy: &'t Taxonomy,
        derive: impl FnOnce(&'t Category) -> S,
    ) -> Option<(&'t Category, &S)> {
        let found = self.entries.iter().position(|(t, ..)| **t == *text);
        let index = match found {
            Some(index) => index,
            None => {
                let (_, category) = parse_category(err, "category", text, taxonomy);
                let category = category?;
                if self.entries.len() == Self::MAX {
                    self.entries.pop();
                }
                self.entries.push((text.into(), category, derive(category)));
                self.entries.len() - 1
            }
        };
        self.entries.get(index).map(|(_, c, s)| (*c, s))
    }
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
    mut reader: R,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
    on_row: impl FnMut(ImportedRow),
) -> Result<ImportSummary, Error> {
    let mut state = ImportState::new(existing, options, on_row);
    let mut categories = CategoryCache::default();
    let mut line = Vec::new();
    let mut row = 0usize;
    loop {
        line.clear();
        row += 1;
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::ImportIo {
                row,
                message: e.to_string(),
            })?;
        if read == 0 {
            break;
        }
        let bytes = if row == 1 { strip_bom(&line) } else { &line };
        let text = match utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                state.summary.rows += 1;
                state.refuse(row, vec![unreadable(row, String::new(), &e)]);
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        state.summary.rows += 1;
        state.jsonl_row(row, text, taxonomy, &mut categories);
    }
    Ok(state.summary)
}

/// How many drafts to make room for at the start: the rows in what the reader has already
/// buffered (all of an in-memory input, the first block of a file), at a generous 256 bytes a
/// row, up to 4,096. A guess that only saves the growing vector's copies; a reader error is
/// left for the import to meet and report.
fn expected_rows(reader: &mut impl BufRead) -> usize {
    reader.fill_buf().map_or(0, |b| b.len() / 256).min(4096)
}

/// One line of JSON Lines as read: text that is usually used as it is (the SKU, category and
/// amounts) is borrowed from the line rather than copied.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRow<'a> {
    #[serde(default, borrow)]
    sku: Option<Cow<'a, str>>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, borrow)]
    category: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    hsn: Option<JsonScalar<'a>>,
    #[serde(default, borrow)]
    price: Option<JsonScalar<'a>>,
    #[serde(default, borrow)]
    mrp: Option<JsonScalar<'a>>,
    #[serde(default)]
    images: Vec<String>,
    #[serde(default, borrow)]
    attributes: JsonAttributes<'a>,
    #[serde(default)]
    packaged: Option<Box<PackagedDeclarations>>,
}

/// The `attributes` object of a JSON line as read: names borrowed from the line (the draft
/// takes each name from the category's schema instead), in the line's order.
#[derive(Default)]
struct JsonAttributes<'a>(Vec<(Cow<'a, str>, AttributeValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for JsonAttributes<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for MapVisitor<'a> {
            type Value = JsonAttributes<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of attribute names to values")
            }

            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<JsonAttributes<'a>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((JsonKey(name), value)) =
                    map.next_entry::<JsonKey<'a>, AttributeValue>()?
                {
                    entries.push((name, value));
                }
                Ok(JsonAttributes(entries))
            }
        }

        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// A map key borrowed from the line where it has no escapes.
struct JsonKey<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for JsonKey<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = JsonKey<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attribute name")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<JsonKey<'a>, E> {
                Ok(JsonKey(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonKey<'a>, E> {
                Ok(JsonKey(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<JsonKey<'a>, E> {
                Ok(JsonKey(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

/// A string, number or boolean field, read as [`AttributeValue`] reads one (numbers the same
/// way, so messages and values match) but borrowing a string instead of allocating it.
enum JsonScalar<'a> {
    Text(Cow<'a, str>),
    Number(Decimal),
    Bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonScalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
            type Value = JsonScalar<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Bool)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Number(Decimal::from(v)))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Number(Decimal::from(v)))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonScalar<'a>, E> {
                // Exactly as `AttributeValue` reads a fractional number.
                match AttributeValue::deserialize(de::value::F64Deserializer::<E>::new(v))? {
                    AttributeValue::Number(n) => Ok(JsonScalar::Number(n)),
                    _ => Err(E::custom("not a number")),
                }
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<JsonScalar<'a>, E> {
                Ok(JsonScalar::Text(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_any(ScalarVisitor(std::marker::PhantomData))
    }
}

struct ImportState<F, S> {
    existing: F,
    seen: HashSet<Sku>,
    /// Where each row's outcome goes.
    on_row: S,
    summary: ImportSummary,
    scope: Scope,
}

impl<F: Fn(&Sku) -> bool, S: FnMut(ImportedRow)> ImportState<F, S> {
    fn new(existing: F, options: ImportOptions, on_row: S) -> Self {
        ImportState {
            existing,
            seen: HashSet::new(),
            on_row,
            summary: ImportSummary::default(),
            scope: options.scope(),
        }
    }

    fn keep(&mut self, row: usize, content: ListingContent) {
        self.summary.kept += 1;
        (self.on_row)(ImportedRow::Draft { row, content });
    }

    /// Refuses a row. Its problems' reasons are cut to a bounded length, whatever a parser put
    /// in them.
    fn refuse(&mut self, row: usize, mut errors: Vec<RowError>) {
        if errors.is_empty() {
            errors.push(RowError {
                row,
                column: String::new(),
                reason: "row is not a valid draft".to_owned(),
            });
        }
        for error in &mut errors {
            if error.reason.len() > MAX_REASON_BYTES {
                error.reason = bounded_reason(&error.reason);
            }
            if error.column.len() > MAX_REASON_BYTES {
                error.column = excerpt(&error.column).into_owned();
            }
        }
        self.summary.refused += 1;
        (self.on_row)(ImportedRow::Refused { row, errors });
    }

    /// A bad row still claims its SKU: a later row with the same SKU is a duplicate either way.
    fn claim(&mut self, sku: Option<&Sku>) {
        if let Some(sku) = sku
            && !self.seen.contains(sku)
        {
            self.seen.insert(sku.clone());
        }
    }

    /// Checks one line of JSON Lines and records it as a draft or as its errors.
    fn jsonl_row<'t>(
        &mut self,
        row: usize,
        line: &str,
        taxonomy: &'t Taxonomy,
        categories: &mut CategoryCache<'t, ()>,
    ) {
        let raw: JsonRow<'_> = match serde_json::from_str(line) {
            Ok(raw) => raw,
            Err(e) => {
                let reason = format!("line is not a listing object: {e}");
                self.refuse(
                    row,
                    vec![RowError {
                        row,
                        column: String::new(),
                        reason,
                    }],
                );
                return;
            }
        };
        let mut errors: Vec<RowError> = Vec::new();
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                row,
                column: column.to_owned(),
                reason,
            })
        };
        let sku = parse_or(&mut err, "sku", raw.sku.as_deref().unwrap_or(""), |s| {
            s.parse::<Sku>()
        });
        let category = categories
            .resolve(
                &mut err,
                raw.category.as_deref().unwrap_or(""),
                taxonomy,
                |_| (),
            )
            .map(|(c, _)| c);
        let hsn = match &raw.hsn {
            Some(JsonScalar::Text(text)) => {
                parse_or(&mut err, "hsn", text, |s| s.parse::<HsnCode>())
            }
            Some(JsonScalar::Number(n)) => {
                parse_or(&mut err, "hsn", &n.to_string(), |s| s.parse::<HsnCode>())
            }
            _ => {
                err("hsn", "HSN code is missing".to_owned());
                None
            }
        };
        let price = json_money(&mut err, "price", raw.price.as_ref(), true);
        let mrp = json_money(&mut err, "mrp", raw.mrp.as_ref(), false);
        // By name, and a repeated name's last value wins, as in a map (usually already in
        // order: a writer's map is).
        let mut given = raw.attributes.0;
        if !given.is_sorted_by(|(a, _), (b, _)| a < b) {
            given.sort_by(|(a, _), (b, _)| a.cmp(b));
        }
        let mut attrs = Attributes::with_capacity(given.len());
        // The given names and the schema's are both sorted: one walk matches them.
        let (schema, shared): (&[(String, AttributeSchema)], &[Arc<str>]) = match category {
            Some(c) => (c.attributes(), c.shared_names()),
            None => (&[], &[]),
        };
        let mut d = 0;
        let mut entries = given.into_iter().peekable();
        while let Some((name, value)) = entries.next() {
            if entries.peek().is_some_and(|(next, _)| *next == name) {
                continue;
            }
            while d < schema.len() && schema[d].0.as_str() < name.as_ref() {
                d += 1;
            }
            let entry = (d < schema.len() && schema[d].0 == name.as_ref())
                .then(|| (&shared[d], &schema[d].1));
            match attribute_from_value(entry.map(|(_, s)| s), value) {
                Ok(typed) => {
                    let name = match entry {
                        Some((shared, _)) => Arc::clone(shared),
                        None => Arc::from(name),
                    };
                    // In order, each name once.
                    attrs.push_in_order(name, typed);
                }
                Err(reason) => err(&format!("attributes.{name}"), reason),
            }
        }
        let content = match (sku, category, hsn, price, mrp) {
            (Some(sku), Some(category), Some(hsn), Some(Some(price)), Some(mrp)) => Some((
                ListingContent {
                    title: raw.title.unwrap_or_default(),
                    description: raw.description.unwrap_or_default(),
                    category: category.id().clone(),
                    attributes: attrs,
                    images: raw.images,
                    price,
                    mrp,
                    hsn,
                    packaged: raw.packaged,
                    sku,
                },
                category,
            )),
            (sku, ..) => {
                self.claim(sku.as_ref());
                None
            }
        };
        self.finish(row, content, errors, |path| path.to_owned());
    }

    /// Records a parsed row: duplicate SKUs and the quality checks' errors are added to the
    /// row's parse errors, and the row is kept as a draft only if there are none.
    fn finish(
        &mut self,
        row: usize,
        content: Option<(ListingContent, &Category)>,
        mut errors: Vec<RowError>,
        column_of: impl Fn(&str) -> String,
    ) {
        if let Some((content, category)) = content {
            if (self.existing)(&content.sku) {
                errors.push(RowError {
                    row,
                    column: column_of("sku"),
                    reason: format!("SKU '{}' is already in the catalogue", content.sku),
                });
            } else if !self.seen.insert(content.sku.clone()) {
                errors.push(RowError {
                    row,
                    column: column_of("sku"),
                    reason: format!("SKU '{}' appears earlier in this file", content.sku),
                });
            }
            // The checks see the row as parsed; a cell that did not parse has its own error
            // already, so the checks' issue at the same column is left out. The category was
            // resolved while parsing, so the checks do not look it up again.
            let parse_errors = errors.len();
            let report = check_listing_in(&content, Some(category), self.scope);
            for issue in report.issues() {
                if issue.severity == Severity::Error {
                    let column = column_of(&issue.path);
                    let reported = errors[..parse_errors].iter().any(|e| {
                        e.column == column
                            || (issue.path == "packaged" && e.column.contains("net_quantity"))
                    });
                    if !reported {
                        errors.push(RowError {
                            row,
                            column,
                            reason: issue.message.clone(),
                        });
                    }
                }
            }
            if errors.is_empty() {
                self.keep(row, content);
                return;
            }
        }
        self.refuse(row, errors);
    }
}

/// The longest reason a refused row's problem keeps, in bytes.
const MAX_REASON_BYTES: usize = 400;

/// A reason too long to show, cut: each part between quotes (input a parser repeated) to an
/// excerpt, and the whole to [`MAX_REASON_BYTES`].
fn bounded_reason(reason: &str) -> String {
    let mut out = String::new();
    for (i, part) in reason.split('\'').enumerate() {
        if i > 0 {
            out.push('\'');
        }
        out.push_str(&excerpt(part));
    }
    if out.len() > MAX_REASON_BYTES {
        let cut = (0..=MAX_REASON_BYTES)
            .rev()
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(0);
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// The CSV column a quality issue's field path points at.
fn csv_column(path: &str) -> String {
    if let Some(attr) = path.strip_prefix("attributes.") {
        return format!("attr.{attr}");
    }
    if path.starts_with("images") {
        return "images".to_owned();
    }
    match path {
        "packaged.manufacturer_or_packer" => "packer",
        "packaged.address" => "packer_address",
        "packaged.generic_name" => "generic_name",
        "packaged.net_quantity" => "net_quantity",
        "packaged.country_of_origin" => "country_of_origin",
        "packaged.importer" => "importer",
        "packaged.importer_address" => "importer_address",
        "packaged.manufactured" => "manufactured",
        "packaged.unit_sale_price" => "unit_sale_price",
        "packaged.consumer_care_phone" => "consumer_care_phone",
        "packaged.consumer_care_email" => "consumer_care_email",
        "packaged" => "packer",
        other => other,
    }
    .to_owned()
}

fn parse_or<T, E: std::fmt::Display>(
    err: &mut impl FnMut(&str, String),
    column: &str,
    text: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    if text.trim().is_empty() {
        err(column, format!("{column} is blank"));
        return None;
    }
    match parse(text) {
        Ok(value) => Some(value),
        Err(e) => {
            err(column, e.to_string());
            None
        }
    }
}

fn parse_category<'t>(
    err: &mut impl FnMut(&str, String),
    column: &str,
    text: &str,
    taxonomy: &'t Taxonomy,
) -> (Option<CategoryId>, Option<&'t Category>) {
    if let Some(category) = taxonomy.get_path(text) {
        return (Some(category.id().clone()), Some(category));
    }
    let Some(id) = parse_or(err, column, text, |s| s.parse::<CategoryId>()) else {
        return (None, None);
    };
    match taxonomy.get(&id) {
        Some(category) => (Some(id), Some(category)),
        None => {
            err(column, format!("category '{id}' is not in the taxonomy"));
            (None, None)
        }
    }
}

/// `Some(None)` is a blank optional amount; `None` a bad one.
fn parse_money(
    err: &mut impl FnMut(&str, String),
    column: &str,
    text: &str,
    required: bool,
) -> Option<Option<Money>> {
    if text.is_empty() {
        if required {
            err(column, format!("{column} is blank"));
            return None;
        }
        return Some(None);
    }
    if let Some(m) = plain_money(text) {
        return Some(Some(m));
    }
    match text.parse::<Money>() {
        Ok(m) => Some(Some(m)),
        Err(e) => {
            err(column, e.to_string());
            None
        }
    }
}

/// The common spelling of an amount, `1837` or `1837.5` or `1837.50` (digits, at most one
/// point, at most two decimals), read as paise without the general parser's currency
/// prefixes, digit grouping and `Decimal` text round trip. Anything else is `None`, and goes
/// to [`Money`]'s parser, which gives the same value for these.
fn plain_money(text: &str) -> Option<Money> {
    let (rupees, paise) = match text.split_once('.') {
        Some((rupees, paise)) => (rupees, paise),
        None => (text, ""),
    };
    // 15 digits of rupees stay below ₹10¹⁵, the most a `Money` can be.
    if rupees.is_empty()
        || rupees.len() > 15
        || paise.len() > 2
        || !rupees.bytes().all(|b| b.is_ascii_digit())
        || !paise.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = |s: &str| s.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let paise = match paise.len() {
        0 => 0,
        1 => digits(paise) * 10,
        _ => digits(paise),
    };
    Some(Money::from_paise(digits(rupees) * 100 + paise))
}

fn json_money(
    err: &mut impl FnMut(&str, String),
    column: &str,
    value: Option<&JsonScalar<'_>>,
    required: bool,
) -> Option<Option<Money>> {
    match value {
        None if required => {
            err(column, format!("{column} is missing"));
            None
        }
        None => Some(None),
        Some(JsonScalar::Text(text)) => parse_money(err, column, text, required),
        Some(JsonScalar::Number(n)) => match Money::try_from_decimal(*n) {
            Ok(m) => Some(Some(m)),
            Err(e) => {
                err(column, e.to_string());
                None
            }
        },
        Some(JsonScalar::Bool) => {
            err(column, format!("{column} is yes/no, not an amount"));
            None
        }
    }
}

/// Types a spreadsheet cell by the attribute's schema; an attribute the category does not
/// define stays text (the quality check reports it).
fn attribute_from_text(
    schema: Option<&AttributeSchema>,
    text: &str,
) -> Result<AttributeValue, String> {
    let Some(schema) = schema else {
        return Ok(AttributeValue::Text(text.to_owned()));
    };
    match schema.ty() {
        AttributeType::Bool => {
            // Compared ignoring ASCII case in place, rather than lower-casing a copy.
            let is = |words: &[&str]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
            if is(&["yes", "y", "true", "1"]) {
                Ok(AttributeValue::Bool(true))
            } else if is(&["no", "n", "false", "0"]) {
                Ok(AttributeValue::Bool(false))
            } else {
                Err(format!("'{}' is not yes or no", excerpt(text)))
            }
        }
        AttributeType::Number { unit, .. } => match parse_number_in(text, unit) {
            Ok(n) => Ok(AttributeValue::Number(n)),
            Err(NumberText::WrongUnit(given)) => Err(format!(
                "'{}' is in {}; this attribute is in {unit}",
                excerpt(text),
                excerpt(given)
            )),
            Err(NumberText::NotANumber) => Err(format!("'{}' is not a number", excerpt(text))),
        },
        AttributeType::Enum { values } => Ok(AttributeValue::Text(
            values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(text))
                .cloned()
                .unwrap_or_else(|| text.to_owned()),
        )),
        AttributeType::Text { .. } => Ok(AttributeValue::Text(text.to_owned())),
    }
}

fn attribute_from_value(
    schema: Option<&AttributeSchema>,
    value: AttributeValue,
) -> Result<AttributeValue, String> {
    match (schema.map(AttributeSchema::ty), value) {
        (Some(AttributeType::Text { .. }), AttributeValue::Number(n)) => {
            Ok(AttributeValue::Text(n.normalize().to_string()))
        }
        // Text already in its final form keeps its allocation.
        (Some(AttributeType::Text { .. }), value @ AttributeValue::Text(_)) => Ok(value),
        (Some(AttributeType::Enum { values }), AttributeValue::Text(text)) => {
            Ok(AttributeValue::Text(
                match values.iter().find(|v| v.eq_ignore_ascii_case(&text)) {
                    Some(canonical) if *canonical != text => canonical.clone(),
                    _ => text,
                },
            ))
        }
        (Some(_), AttributeValue::Text(text)) => attribute_from_text(schema, &text),
        (_, value) => Ok(value),
    }
}
