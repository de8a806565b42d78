//! Reading a listing sheet: the header into columns, each row into a [`ParsedRow`] for the
//! shared pipeline. The steps of a row: read its cells, parse the fixed columns, type the
//! attribute columns, and read the packaged goods' declarations.

use std::io::BufRead;
use std::sync::Arc;

use haat_core::text::{CsvReader, CsvText, excerpt, excerpt_bytes, utf8};
use haat_core::{Month, Sku};

use super::error::{Column, ImportFormat, RowProblem};
use super::pipeline::{
    CategoryCache, ParsedRow, Pipeline, Problems, RawAttribute, parse_money, parse_or,
    type_attribute,
};
use super::{ImportOptions, ImportSummary, ImportedRow};
use crate::{
    AttributeSchema, Attributes, Category, Error, HsnCode, NetQuantity, PackagedDeclarations,
    Taxonomy,
};

/// The columns a sheet may have besides `attr.<name>`, in the order [`Fixed`] numbers them.
pub(super) const FIXED: [&str; 19] = [
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

/// Index of each column in [`FIXED`].
mod fixed {
    pub(super) const SKU: usize = 0;
    pub(super) const TITLE: usize = 1;
    pub(super) const DESCRIPTION: usize = 2;
    pub(super) const CATEGORY: usize = 3;
    pub(super) const HSN: usize = 4;
    pub(super) const PRICE: usize = 5;
    pub(super) const MRP: usize = 6;
    pub(super) const IMAGES: usize = 7;
    /// The Legal Metrology declarations run from here to the end of `FIXED`.
    pub(super) const PACKER: usize = 8;
    pub(super) const PACKER_ADDRESS: usize = 9;
    pub(super) const GENERIC_NAME: usize = 10;
    pub(super) const NET_QUANTITY: usize = 11;
    pub(super) const COUNTRY_OF_ORIGIN: usize = 12;
    pub(super) const IMPORTER: usize = 13;
    pub(super) const IMPORTER_ADDRESS: usize = 14;
    pub(super) const MANUFACTURED: usize = 15;
    pub(super) const UNIT_SALE_PRICE: usize = 16;
    pub(super) const CONSUMER_CARE_PHONE: usize = 17;
    pub(super) const CONSUMER_CARE_EMAIL: usize = 18;
}

const REQUIRED: [&str; 5] = ["sku", "title", "category", "hsn", "price"];

/// The header, read: where each column is.
struct Header {
    /// The header's line, to number rows from.
    line: u64,
    /// Every column's name, for problems with a whole cell.
    names: Vec<String>,
    /// Where each of [`FIXED`] is, if present.
    fixed: [Option<usize>; FIXED.len()],
    /// The attribute columns: position and name, sorted by name (a repeated name by position),
    /// so a row's attributes are built already sorted and a repeated column's later cell wins,
    /// as it would in a map.
    attributes: Vec<(usize, Arc<str>)>,
}

/// The schema of each attribute column in a category, with its shared name (`None`: not one of
/// its attributes).
type ColumnSchemas<'t> = Vec<Option<(&'t Arc<str>, &'t AttributeSchema)>>;

/// Reads a sheet, handing each row to `pipeline`.
pub(super) fn import<R: BufRead>(
    reader: R,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
    on_row: impl FnMut(ImportedRow),
) -> Result<ImportSummary, Error> {
    let mut records = CsvReader::new(reader);
    let header = read_header(&mut records)?;
    let width = header.names.len();
    let mut pipeline = Pipeline::new(ImportFormat::Csv, existing, options, on_row);
    let mut categories = CategoryCache::default();
    loop {
        let before = records.lines();
        let Some(record) = records
            .next_record(Some(width))
            .map_err(|e| io_error((before + 1).saturating_sub(header.line), e))?
        else {
            break;
        };
        let row = usize::try_from(record.line.saturating_sub(header.line)).unwrap_or(usize::MAX);
        pipeline.summary.rows += 1;
        let fields = match record.fields {
            Ok(fields) => fields,
            Err(e) => {
                let detail = e.to_string();
                pipeline.refuse_whole(row, Column::Row, RowProblem::Unreadable { detail });
                continue;
            }
        };
        // One UTF-8 check for the whole row, then every cell is borrowed from it as `&str`.
        match fields.as_text() {
            Ok(cells) => {
                let mut problems = Problems::new(row);
                let parsed = parse_row(&header, cells, taxonomy, &mut categories, &mut problems);
                pipeline.finish(parsed, problems);
            }
            Err((field, e)) => {
                let column = match header.names.get(field) {
                    Some(name) => Column::Field(name.clone().into()),
                    None => Column::Row,
                };
                let detail = format!("cell {} {e}", field + 1);
                pipeline.refuse_whole(row, column, RowProblem::Unreadable { detail });
            }
        }
    }
    Ok(pipeline.summary)
}

fn io_error(row: u64, e: std::io::Error) -> Error {
    Error::ImportIo {
        row: usize::try_from(row).unwrap_or(usize::MAX),
        message: e.to_string(),
    }
}

/// Reads the header row and checks its columns: each known or `attr.<name>`, none twice, the
/// required ones present. An empty file has an empty header.
fn read_header<R: BufRead>(records: &mut CsvReader<R>) -> Result<Header, Error> {
    let (line, names): (u64, Vec<String>) =
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
    let mut fixed: [Option<usize>; FIXED.len()] = [None; FIXED.len()];
    let mut attributes: Vec<(usize, Arc<str>)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        if let Some(attr) = lower.strip_prefix("attr.") {
            attributes.push((i, Arc::from(attr)));
        } else if let Some(k) = FIXED.iter().position(|c| *c == lower) {
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
                    FIXED.join(", ")
                ),
            });
        }
    }
    for required in REQUIRED {
        let k = FIXED.iter().position(|c| *c == required).unwrap_or(0);
        if fixed[k].is_none() {
            return Err(Error::ImportHeader {
                reason: format!("required column '{required}' is missing"),
            });
        }
    }
    attributes.sort_by(|(a, x), (b, y)| x.cmp(y).then(a.cmp(b)));
    Ok(Header {
        line,
        names,
        fixed,
        attributes,
    })
}

/// One row's cells, trimmed, by column.
struct Cells<'h, 'a> {
    header: &'h Header,
    text: CsvText<'a>,
}

impl<'a> Cells<'_, 'a> {
    /// The cell at position `i` ("" past the row's end).
    fn at(&self, i: usize) -> &'a str {
        self.text.get(i).map_or("", trim_cell)
    }

    /// The cell of [`FIXED`] column `k` ("" if the sheet lacks the column).
    fn fixed(&self, k: usize) -> &'a str {
        self.header.fixed[k].map_or("", |i| self.at(i))
    }
}

/// Parses one row's cells, reporting each cell's problem.
fn parse_row<'t>(
    header: &Header,
    text: CsvText<'_>,
    taxonomy: &'t Taxonomy,
    categories: &mut CategoryCache<'t, ColumnSchemas<'t>>,
    problems: &mut Problems,
) -> ParsedRow<'t> {
    let width = header.names.len();
    if text.len() > width {
        let found = text.len();
        let reason = RowProblem::TooManyCells {
            found,
            expected: width,
        };
        problems.push(Column::Row, reason);
    }
    let cells = Cells { header, text };
    let sku = parse_or(problems, "sku", cells.fixed(fixed::SKU), |s| {
        s.parse::<Sku>()
    });
    let title = cells.fixed(fixed::TITLE).to_owned();
    let description = cells.fixed(fixed::DESCRIPTION).to_owned();
    let category = categories.resolve(problems, cells.fixed(fixed::CATEGORY), taxonomy, |c| {
        column_schemas(c, &header.attributes)
    });
    let hsn = parse_or(problems, "hsn", cells.fixed(fixed::HSN), |s| {
        s.parse::<HsnCode>()
    });
    let price = parse_money(problems, "price", cells.fixed(fixed::PRICE), true);
    let mrp = parse_money(problems, "mrp", cells.fixed(fixed::MRP), false);
    let images = images(cells.fixed(fixed::IMAGES));
    let attributes = attributes(&cells, category.map(|(_, schemas)| schemas), problems);
    let packaged = declarations(&cells, problems);
    ParsedRow {
        sku,
        category: category.map(|(c, _)| c),
        hsn,
        price,
        mrp,
        title,
        description,
        images,
        attributes,
        packaged,
    }
}

/// The image URLs of an `images` cell: separated by `|`, blanks skipped.
fn images(cell: &str) -> Vec<String> {
    let mut images: Vec<String> = Vec::with_capacity(cell.split('|').count());
    images.extend(
        cell.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    images
}

/// The attribute columns' cells, typed by the category's schema (an empty cell is "not given").
fn attributes(
    cells: &Cells<'_, '_>,
    schemas: Option<&ColumnSchemas<'_>>,
    problems: &mut Problems,
) -> Attributes {
    let columns = &cells.header.attributes;
    let mut attrs = Attributes::with_capacity(columns.len());
    for (k, (i, name)) in columns.iter().enumerate() {
        let text = cells.at(*i);
        if text.is_empty() {
            continue;
        }
        // The schema of each attribute column is looked up once per category, not per cell,
        // and the attribute takes its name from the schema (a shared `Arc<str>`).
        let (shared, schema) = match schemas.and_then(|schemas| schemas[k]) {
            Some((shared, schema)) => (shared, Some(schema)),
            None => (name, None),
        };
        match type_attribute(schema, RawAttribute::Text(text.into())) {
            Ok(value) => attrs.push_in_order(Arc::clone(shared), value),
            Err(reason) => {
                let column = Column::Attribute {
                    name: Arc::clone(name),
                    format: ImportFormat::Csv,
                };
                problems.push(column, reason);
            }
        }
    }
    attrs
}

/// The Legal Metrology declarations of packaged goods, if any of their cells is filled.
fn declarations(
    cells: &Cells<'_, '_>,
    problems: &mut Problems,
) -> Option<Box<PackagedDeclarations>> {
    let declares = (fixed::PACKER..FIXED.len()).any(|k| !cells.fixed(k).is_empty());
    if !declares {
        return None;
    }
    let quantity = match cells.fixed(fixed::NET_QUANTITY) {
        "" => None,
        text => match text.parse::<NetQuantity>() {
            Ok(q) => Some(q),
            Err(detail) => {
                problems.field("net_quantity", RowProblem::Invalid { detail });
                None
            }
        },
    };
    // A month or price that does not parse has its error already; the declaration is then
    // left out, and the checks' "missing" finding at that column is not repeated.
    let manufactured = match cells.fixed(fixed::MANUFACTURED) {
        "" => None,
        text => parse_or(problems, "manufactured", text, |s| s.parse::<Month>()),
    };
    let unit_sale_price = parse_money(
        problems,
        "unit_sale_price",
        cells.fixed(fixed::UNIT_SALE_PRICE),
        false,
    )
    .flatten();
    if cells.fixed(fixed::NET_QUANTITY).is_empty() {
        let reason = RowProblem::Blank {
            what: "net quantity",
        };
        problems.field("net_quantity", reason);
    }
    let cell = |k| cells.fixed(k).to_owned();
    quantity.map(|net_quantity| {
        Box::new(PackagedDeclarations {
            manufacturer_or_packer: cell(fixed::PACKER),
            address: cell(fixed::PACKER_ADDRESS),
            importer: cell(fixed::IMPORTER),
            importer_address: cell(fixed::IMPORTER_ADDRESS),
            generic_name: cell(fixed::GENERIC_NAME),
            net_quantity,
            country_of_origin: cell(fixed::COUNTRY_OF_ORIGIN),
            manufactured,
            unit_sale_price,
            consumer_care_phone: cell(fixed::CONSUMER_CARE_PHONE),
            consumer_care_email: cell(fixed::CONSUMER_CARE_EMAIL),
        })
    })
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

/// The schema of each attribute column in `category`, with its shared name.
fn column_schemas<'t>(category: &'t Category, columns: &[(usize, Arc<str>)]) -> ColumnSchemas<'t> {
    columns
        .iter()
        .map(|(_, name)| category.attribute_entry(name))
        .collect()
}
