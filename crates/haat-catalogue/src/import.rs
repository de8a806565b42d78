//! Bulk import of listing drafts from CSV and JSON Lines.
//!
//! Both formats go through the same checks: each row is parsed field by field (every field's
//! problem reported, not just the first), its attributes are typed by the category's schema,
//! duplicate SKUs are caught (within the file and against the caller's catalogue), and the
//! content must be valid for its category (attributes, price and MRP, packaged goods'
//! declarations, HSN family). With [`QualityGate::Errors`] it must also pass the listing-quality
//! rules on title and images, which otherwise wait for the submission for review (see
//! [`QualityGate`]); warnings never refuse a row. A good row becomes a draft; a bad row becomes
//! one [`RowError`] per problem. Reading stops only on an I/O error from the caller's reader.
//!
//! # Row numbers
//! Rows are numbered from 1 among *data* rows: in CSV, row 1 is the first line after the header
//! (spreadsheet row 2); in JSON Lines, row *n* is line *n* (blank lines are skipped but counted,
//! so the number is always the line number).
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
/// category exists, its attributes are those of the category's schema and valid for their
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

/// What an import produced: the good rows as drafts and every problem of the bad ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The seller the sheet was imported for: the owner of every draft, and the seller whose
    /// catalogue the duplicate-SKU check looked in.
    pub seller: SellerId,
    /// Good rows, with their row numbers, in file order.
    pub drafts: Vec<(usize, ListingContent)>,
    /// Every problem of every bad row, in file order.
    pub errors: Vec<RowError>,
    /// How many data rows were read.
    pub rows: usize,
}

impl ImportReport {
    /// The distinct rows that had problems, ascending.
    pub fn bad_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        rows
    }
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
    let expected_rows = expected_rows(&mut reader);
    // No `trim` in the reader: the crate trims a `StringRecord` by building a new record per
    // row. Reading `ByteRecord`s and trimming each cell as it is used gives the same cells
    // (`str::trim`, as the crate does) without that copy.
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(reader);
    let header = csv.headers().map_err(|e| header_error(&e))?.clone();
    let mut fixed: [Option<usize>; CSV_FIXED.len()] = [None; CSV_FIXED.len()];
    let mut attributes: Vec<(usize, Arc<str>)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
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
                    "unknown column '{name}'; columns are {}, and attr.<name> for attributes",
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
    let mut state = ImportState::new(seller, existing, options);
    state.report.drafts.reserve(expected_rows);
    let mut categories = CategoryCache::default();
    let mut bytes = csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        row += 1;
        // Where the row starts, for the message of a row that is not UTF-8.
        let position = csv.position().clone();
        match csv.read_byte_record(&mut bytes) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(io) = e.kind() {
                    return Err(Error::ImportIo {
                        row,
                        message: io.to_string(),
                    });
                }
                state.report.rows += 1;
                state.report.errors.push(RowError {
                    row,
                    column: String::new(),
                    reason: format!("row is unreadable: {e}"),
                });
                continue;
            }
        }
        state.report.rows += 1;
        // One UTF-8 check for the whole row (what reading a `StringRecord` does), then every
        // cell is borrowed from the record as `&str`.
        let record = match csv::StringRecord::from_byte_record(bytes) {
            Ok(text) => text,
            Err(e) => {
                bytes = e.into_byte_record();
                state.report.errors.push(RowError {
                    row,
                    column: String::new(),
                    reason: format!("row is unreadable: {}", utf8_message(&mut bytes, &position)),
                });
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
        bytes = record.into_byte_record();
    }
    Ok(state.report)
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

/// The message the `csv` crate gives for a row that is not UTF-8 when it reads (and trims) a
/// `StringRecord`, so that reading bytes reports the row exactly as before. Only for bad rows:
/// it trims `record` the way the crate would have before validating it.
fn utf8_message(record: &mut csv::ByteRecord, pos: &csv::Position) -> String {
    record.trim();
    let Err(e) = csv::StringRecord::from_byte_record(record.clone()) else {
        return "invalid UTF-8".to_owned();
    };
    let err = e.utf8_error();
    format!(
        "CSV parse error: record {} (line {}, field: {}, byte: {}): {err}",
        pos.record(),
        pos.line(),
        err.field(),
        pos.byte(),
    )
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
    let mut state = ImportState::new(seller, existing, options);
    state.report.drafts.reserve(expected_rows(&mut reader));
    let mut categories = CategoryCache::default();
    let mut line = String::new();
    let mut row = 0usize;
    loop {
        line.clear();
        row += 1;
        let read = reader.read_line(&mut line).map_err(|e| Error::ImportIo {
            row,
            message: e.to_string(),
        })?;
        if read == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        state.report.rows += 1;
        state.jsonl_row(row, &line, taxonomy, &mut categories);
    }
    Ok(state.report)
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

struct ImportState<F> {
    existing: F,
    seen: HashSet<Sku>,
    report: ImportReport,
    scope: Scope,
}

impl<F: Fn(&Sku) -> bool> ImportState<F> {
    fn new(seller: SellerId, existing: F, options: ImportOptions) -> Self {
        ImportState {
            existing,
            seen: HashSet::new(),
            report: ImportReport {
                seller,
                drafts: Vec::new(),
                errors: Vec::new(),
                rows: 0,
            },
            scope: options.scope(),
        }
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
                self.report.errors.push(RowError {
                    row,
                    column: String::new(),
                    reason: format!("line is not a listing object: {e}"),
                });
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
                self.report.drafts.push((row, content));
                return;
            }
        }
        self.report.errors.append(&mut errors);
    }
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

fn header_error(e: &csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => Error::ImportIo {
            row: 0,
            message: io.to_string(),
        },
        _ => Error::ImportHeader {
            reason: e.to_string(),
        },
    }
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
    // 15 digits of rupees stay well inside an i64 of paise.
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
                Err(format!("'{text}' is not yes or no"))
            }
        }
        AttributeType::Number { unit, .. } => match parse_number_in(text, unit) {
            Ok(n) => Ok(AttributeValue::Number(n)),
            Err(NumberText::WrongUnit(given)) => Err(format!(
                "'{text}' is in {given}; this attribute is in {unit}"
            )),
            Err(NumberText::NotANumber) => Err(format!("'{text}' is not a number")),
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
