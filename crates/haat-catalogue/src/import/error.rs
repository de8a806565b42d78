//! The problems of refused rows: where in the row ([`Column`]) and what ([`RowProblem`]), as
//! typed values whose `Display` is the sentence a seller reads.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use haat_core::Sku;
use haat_core::text::excerpt;
use serde::{Serialize, Serializer};

use crate::IssueCode;

/// The longest free text (a parser's message, a quality message) a refused row's problem keeps,
/// in bytes.
const MAX_REASON_BYTES: usize = 400;

/// One problem with one row of an import.
///
/// ```
/// use haat_catalogue::{Column, RowProblem, Taxonomy, import_csv};
/// use haat_core::SellerId;
/// let csv = "sku,title,category,hsn,price\nT-1,Tant saree,textiles/sarees/handloom/tant,5208,\n";
/// let report = import_csv(csv.as_bytes(), SellerId::new(1), &Taxonomy::west_bengal_default(), |_| false)?;
/// let error = &report.errors[0];
/// assert_eq!(error.column, Column::Field("price".into()));
/// assert_eq!(error.reason, RowProblem::Blank { what: "price" });
/// assert_eq!(error.to_string(), "row 1, column 'price': price is blank");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[error("row {row}, column '{column}': {reason}")]
pub struct RowError {
    /// The 1-based data row (see the module documentation of the import).
    pub row: usize,
    /// The column (CSV) or field path (JSON Lines) at fault, or [`Column::Row`].
    pub column: Column,
    /// What is wrong, for the seller.
    pub reason: RowProblem,
}

/// Which input an import reads: the naming of its columns follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImportFormat {
    /// A spreadsheet's CSV, with a header row: attribute columns are `attr.<name>`.
    Csv,
    /// One JSON object per line: attributes are fields `attributes.<name>`.
    JsonLines,
}

/// Where in a row a problem is. `Display` prints the name the input uses, and nothing for
/// [`Column::Row`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Column {
    /// The row as a whole: unreadable, or with too many cells.
    Row,
    /// A column of the sheet (`sku`, `price`, `packer`) or a field path of the line (`sku`,
    /// `images[1]`, `packaged.manufacturer_or_packer`), as the input names it.
    Field(Cow<'static, str>),
    /// An attribute: column `attr.<name>` of a sheet, field `attributes.<name>` of a line.
    Attribute {
        /// The attribute's name.
        name: Arc<str>,
        /// Which input, for the column's name.
        format: ImportFormat,
    },
}

impl Column {
    /// Whether the problem is the row's as a whole.
    pub fn is_row(&self) -> bool {
        matches!(self, Column::Row)
    }

    /// The column for a quality check's field path (`attributes.fabric`, `packaged.address`),
    /// named as `format` names it.
    pub(crate) fn of_path(path: &str, format: ImportFormat) -> Column {
        if let Some(name) = path.strip_prefix("attributes.") {
            return Column::Attribute {
                name: Arc::from(name),
                format,
            };
        }
        let name = match format {
            ImportFormat::Csv => csv_column(path),
            ImportFormat::JsonLines => path,
        };
        match super::csv::FIXED.iter().find(|fixed| **fixed == name) {
            Some(fixed) => Column::Field(Cow::Borrowed(fixed)),
            None => Column::Field(Cow::Owned(name.to_owned())),
        }
    }

    /// The column with a name too long to show cut to an excerpt.
    fn bounded(self) -> Column {
        match self {
            Column::Field(name) if name.len() > MAX_REASON_BYTES => {
                Column::Field(Cow::Owned(excerpt(&name).into_owned()))
            }
            Column::Attribute { name, format } if name.len() > MAX_REASON_BYTES => {
                Column::Attribute {
                    name: Arc::from(excerpt(&name).as_ref()),
                    format,
                }
            }
            other => other,
        }
    }
}

/// The CSV column a quality issue's field path points at.
fn csv_column(path: &str) -> &str {
    if path.starts_with("images") {
        return "images";
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
}

// Padded as a `str` is, so that `{:<16}` lines columns up.
impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Row => f.pad(""),
            Column::Field(name) => f.pad(name),
            Column::Attribute {
                name,
                format: ImportFormat::Csv,
            } => f.pad(&format!("attr.{name}")),
            Column::Attribute {
                name,
                format: ImportFormat::JsonLines,
            } => f.pad(&format!("attributes.{name}")),
        }
    }
}

/// A column equals the name it prints as: `error.column == "attr.fabric"`.
impl PartialEq<str> for Column {
    fn eq(&self, other: &str) -> bool {
        match self {
            Column::Row => other.is_empty(),
            Column::Field(name) => name == other,
            Column::Attribute { name, format } => {
                let prefix = match format {
                    ImportFormat::Csv => "attr.",
                    ImportFormat::JsonLines => "attributes.",
                };
                other.strip_prefix(prefix) == Some(name)
            }
        }
    }
}

impl PartialEq<&str> for Column {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

/// As the name it prints as.
impl Serialize for Column {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What is wrong with a row or one of its cells. `Display` is the sentence for the seller.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// The row cannot be split into cells: broken quoting, or bytes that are not UTF-8.
    #[error("row is unreadable: {detail}")]
    Unreadable {
        /// What the reader found.
        detail: String,
    },
    /// The row has more cells than the header has columns.
    #[error("row has {found} cells; the header has {expected}")]
    TooManyCells {
        /// Cells in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A JSON line is not an object with the fields of a listing.
    #[error("line is not a listing object: {detail}")]
    NotAListing {
        /// What the JSON parser said.
        detail: String,
    },
    /// A required cell is empty.
    #[error("{what} is blank")]
    Blank {
        /// What is blank, as the sentence names it (`price`, `net quantity`).
        what: &'static str,
    },
    /// A required field is absent.
    #[error("{what} is missing")]
    Missing {
        /// What is missing, as the sentence names it (`price`, `HSN code`).
        what: &'static str,
    },
    /// A yes/no value where an amount belongs.
    #[error("{what} is yes/no, not an amount")]
    NotAnAmount {
        /// The field.
        what: &'static str,
    },
    /// A cell's parser refused its text.
    #[error("{detail}")]
    Invalid {
        /// What the parser said.
        detail: String,
    },
    /// The category is well formed but not in the taxonomy.
    #[error("category '{category}' is not in the taxonomy")]
    UnknownCategory {
        /// The category named.
        category: String,
    },
    /// A yes/no attribute's text is neither.
    #[error("'{text}' is not yes or no")]
    NotYesOrNo {
        /// An excerpt of the text.
        text: String,
    },
    /// A number attribute's text is not a number.
    #[error("'{text}' is not a number")]
    NotANumber {
        /// An excerpt of the text.
        text: String,
    },
    /// A number attribute's text is in another unit than the attribute's.
    #[error("'{text}' is in {given}; this attribute is in {unit}")]
    WrongUnit {
        /// An excerpt of the text.
        text: String,
        /// The unit given (an excerpt).
        given: String,
        /// The attribute's unit.
        unit: String,
    },
    /// The seller's catalogue already has the SKU.
    #[error("SKU '{sku}' is already in the catalogue")]
    SkuInCatalogue {
        /// The SKU.
        sku: Sku,
    },
    /// An earlier row of the same file has the SKU.
    #[error("SKU '{sku}' appears earlier in this file")]
    SkuEarlierInFile {
        /// The SKU.
        sku: Sku,
    },
    /// The content breaks a check: validity for its category, or with
    /// [`QualityGate::Errors`](crate::QualityGate::Errors) a listing-quality rule.
    #[error("{message}")]
    Check {
        /// Which check.
        code: IssueCode,
        /// The check's sentence.
        message: String,
    },
    /// The row did not become a draft and no more precise problem was found.
    #[error("row is not a valid draft")]
    NotAValidDraft,
}

impl RowProblem {
    /// The problem with its free text (what a parser said, which may repeat any amount of the
    /// input) cut to a bounded length.
    fn bounded(self) -> RowProblem {
        let bound = |text: String| {
            if text.len() > MAX_REASON_BYTES {
                bounded_reason(&text)
            } else {
                text
            }
        };
        match self {
            RowProblem::Unreadable { detail } => RowProblem::Unreadable {
                detail: bound(detail),
            },
            RowProblem::NotAListing { detail } => RowProblem::NotAListing {
                detail: bound(detail),
            },
            RowProblem::Invalid { detail } => RowProblem::Invalid {
                detail: bound(detail),
            },
            RowProblem::Check { code, message } => RowProblem::Check {
                code,
                message: bound(message),
            },
            other => other,
        }
    }
}

/// As the sentence it prints as.
impl Serialize for RowProblem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl RowError {
    /// The error with its column and reason cut to a bounded length, whatever a parser put in
    /// them.
    pub(crate) fn bounded(self) -> RowError {
        RowError {
            row: self.row,
            column: self.column.bounded(),
            reason: self.reason.bounded(),
        }
    }
}

/// A text too long to show, cut: each part between quotes (input a parser repeated) to an
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
