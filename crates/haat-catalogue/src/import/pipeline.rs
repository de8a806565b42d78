//! The import pipeline both formats share once a row is parsed: the cell parsers that report
//! each problem, the typing of attributes by the category's schema, and what happens to a
//! parsed row (a draft is built, its SKU checked for duplicates, its content checked, and it
//! is kept or refused).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use haat_core::text::excerpt;
use haat_core::{Money, Sku};

use super::error::{Column, ImportFormat, RowError, RowProblem};
use super::{ImportOptions, ImportSummary, ImportedRow};
use crate::quality::{Scope, check_listing_in};
use crate::taxonomy::{NumberText, parse_number_in};
use crate::{
    AttributeSchema, AttributeType, AttributeValue, Attributes, Category, CategoryId, HsnCode,
    ListingContent, PackagedDeclarations, Severity, Taxonomy,
};

/// The problems of the row being parsed, in the order found.
pub(super) struct Problems {
    row: usize,
    errors: Vec<RowError>,
}

impl Problems {
    pub(super) fn new(row: usize) -> Self {
        Problems {
            row,
            errors: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, column: Column, reason: RowProblem) {
        self.errors.push(RowError {
            row: self.row,
            column,
            reason,
        });
    }

    /// A problem with a fixed column or field.
    pub(super) fn field(&mut self, name: &'static str, reason: RowProblem) {
        self.push(Column::Field(Cow::Borrowed(name)), reason);
    }
}

/// One row as a format's reader parsed it: each field that did not parse is `None` and has its
/// problem already.
pub(super) struct ParsedRow<'t> {
    pub(super) sku: Option<Sku>,
    pub(super) category: Option<&'t Category>,
    pub(super) hsn: Option<HsnCode>,
    /// `Some(None)` is a blank amount, to be reported by the checks.
    pub(super) price: Option<Option<Money>>,
    pub(super) mrp: Option<Option<Money>>,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) images: Vec<String>,
    pub(super) attributes: Attributes,
    pub(super) packaged: Option<Box<PackagedDeclarations>>,
}

impl<'t> ParsedRow<'t> {
    /// The draft's content and its category, if every required field parsed.
    fn into_content(self) -> Result<(ListingContent, &'t Category), Option<Sku>> {
        match (self.sku, self.category, self.hsn, self.price, self.mrp) {
            (Some(sku), Some(category), Some(hsn), Some(Some(price)), Some(mrp)) => Ok((
                ListingContent {
                    title: self.title,
                    description: self.description,
                    category: category.id().clone(),
                    attributes: self.attributes,
                    images: self.images,
                    price,
                    mrp,
                    hsn,
                    packaged: self.packaged,
                    sku,
                },
                category,
            )),
            (sku, ..) => Err(sku),
        }
    }
}

/// What an import carries from row to row: the SKUs seen, the checks to run, and where each
/// row's outcome goes.
pub(super) struct Pipeline<F, S> {
    existing: F,
    seen: HashSet<Sku>,
    on_row: S,
    pub(super) summary: ImportSummary,
    scope: Scope,
    format: ImportFormat,
}

impl<F: Fn(&Sku) -> bool, S: FnMut(ImportedRow)> Pipeline<F, S> {
    pub(super) fn new(
        format: ImportFormat,
        existing: F,
        options: ImportOptions,
        on_row: S,
    ) -> Self {
        Pipeline {
            existing,
            seen: HashSet::new(),
            on_row,
            summary: ImportSummary::default(),
            scope: options.scope(),
            format,
        }
    }

    fn keep(&mut self, row: usize, content: ListingContent) {
        self.summary.kept += 1;
        (self.on_row)(ImportedRow::Draft { row, content });
    }

    /// Refuses a row, with its problems' texts bounded.
    pub(super) fn refuse(&mut self, problems: Problems) {
        let Problems { row, mut errors } = problems;
        if errors.is_empty() {
            errors.push(RowError {
                row,
                column: Column::Row,
                reason: RowProblem::NotAValidDraft,
            });
        }
        let errors = errors.into_iter().map(RowError::bounded).collect();
        self.summary.refused += 1;
        (self.on_row)(ImportedRow::Refused { row, errors });
    }

    /// Refuses a row that could not be read into fields, for one reason.
    pub(super) fn refuse_whole(&mut self, row: usize, column: Column, reason: RowProblem) {
        let mut problems = Problems::new(row);
        problems.push(column, reason);
        self.refuse(problems);
    }

    /// Records a parsed row: duplicate SKUs and the checks' errors are added to the row's parse
    /// problems, and the row is kept as a draft only if there are none.
    pub(super) fn finish(&mut self, parsed: ParsedRow<'_>, mut problems: Problems) {
        let (content, category) = match parsed.into_content() {
            Ok(content) => content,
            Err(sku) => {
                // A bad row still claims its SKU: a later row with the same SKU is a duplicate
                // either way.
                if let Some(sku) = sku
                    && !self.seen.contains(&sku)
                {
                    self.seen.insert(sku);
                }
                self.refuse(problems);
                return;
            }
        };
        if (self.existing)(&content.sku) {
            let sku = content.sku.clone();
            problems.field("sku", RowProblem::SkuInCatalogue { sku });
        } else if !self.seen.insert(content.sku.clone()) {
            let sku = content.sku.clone();
            problems.field("sku", RowProblem::SkuEarlierInFile { sku });
        }
        // The checks see the row as parsed; a cell that did not parse has its own error
        // already, so the checks' issue at the same column is left out. The category was
        // resolved while parsing, so the checks do not look it up again.
        let parse_errors = problems.errors.len();
        let report = check_listing_in(&content, Some(category), self.scope);
        for issue in report.issues() {
            if issue.severity == Severity::Error {
                let column = Column::of_path(&issue.path, self.format);
                let reported = problems.errors[..parse_errors].iter().any(|e| {
                    e.column == column || (issue.path == "packaged" && e.column == "net_quantity")
                });
                if !reported {
                    let reason = RowProblem::Check {
                        code: issue.code,
                        message: issue.message.clone(),
                    };
                    problems.push(column, reason);
                }
            }
        }
        if problems.errors.is_empty() {
            self.keep(problems.row, content);
        } else {
            self.refuse(problems);
        }
    }
}

/// The categories rows have named so far, resolved, each with what the import derives from it
/// (the schema of each attribute column): a sheet names a handful of categories over many rows,
/// so most rows skip the taxonomy look-up and the per-column schema look-ups. A short list
/// searched in order beats hashing the path; past [`CategoryCache::MAX`] distinct categories a
/// new one is resolved afresh on each row.
pub(super) struct CategoryCache<'t, S> {
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

    /// The category named by `text` (reporting a bad one), with what `derive` computes from it.
    pub(super) fn resolve(
        &mut self,
        problems: &mut Problems,
        text: &str,
        taxonomy: &'t Taxonomy,
        derive: impl FnOnce(&'t Category) -> S,
    ) -> Option<(&'t Category, &S)> {
        let found = self.entries.iter().position(|(t, ..)| **t == *text);
        let index = match found {
            Some(index) => index,
            None => {
                let category = parse_category(problems, text, taxonomy)?;
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

/// A required cell parsed by `parse`, or `None` with its problem reported.
pub(super) fn parse_or<T, E: std::fmt::Display>(
    problems: &mut Problems,
    column: &'static str,
    text: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    if text.trim().is_empty() {
        problems.field(column, RowProblem::Blank { what: column });
        return None;
    }
    match parse(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let detail = e.to_string();
            problems.field(column, RowProblem::Invalid { detail });
            None
        }
    }
}

/// The category a path or id names.
fn parse_category<'t>(
    problems: &mut Problems,
    text: &str,
    taxonomy: &'t Taxonomy,
) -> Option<&'t Category> {
    if let Some(category) = taxonomy.get_path(text) {
        return Some(category);
    }
    let id = parse_or(problems, "category", text, |s| s.parse::<CategoryId>())?;
    let category = taxonomy.get(&id);
    if category.is_none() {
        let category = id.to_string();
        problems.field("category", RowProblem::UnknownCategory { category });
    }
    category
}

/// An amount as text: `Some(None)` is a blank optional amount; `None` a bad one.
pub(super) fn parse_money(
    problems: &mut Problems,
    column: &'static str,
    text: &str,
    required: bool,
) -> Option<Option<Money>> {
    if text.is_empty() {
        if required {
            problems.field(column, RowProblem::Blank { what: column });
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
            let detail = e.to_string();
            problems.field(column, RowProblem::Invalid { detail });
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

/// Types an attribute's value by its schema: the one rule for both formats. Text (a cell, or a
/// JSON string) is read as the schema's type says; a JSON number or boolean is kept, except
/// that a number given for a text attribute becomes its text. An attribute the category does
/// not define is kept as given (the checks report it).
pub(super) fn type_attribute(
    schema: Option<&AttributeSchema>,
    value: RawAttribute<'_>,
) -> Result<AttributeValue, RowProblem> {
    let text = match value {
        RawAttribute::Text(text) => text,
        RawAttribute::Value(AttributeValue::Text(text)) => Cow::Owned(text),
        RawAttribute::Value(AttributeValue::Number(n))
            if matches!(
                schema.map(AttributeSchema::ty),
                Some(AttributeType::Text { .. })
            ) =>
        {
            return Ok(AttributeValue::Text(n.normalize().to_string()));
        }
        RawAttribute::Value(value) => return Ok(value),
    };
    let Some(schema) = schema else {
        return Ok(AttributeValue::Text(text.into_owned()));
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
                let text = excerpt(&text).into_owned();
                Err(RowProblem::NotYesOrNo { text })
            }
        }
        AttributeType::Number { unit, .. } => match parse_number_in(&text, unit) {
            Ok(n) => Ok(AttributeValue::Number(n)),
            Err(NumberText::WrongUnit(given)) => Err(RowProblem::WrongUnit {
                text: excerpt(&text).into_owned(),
                given: excerpt(given).into_owned(),
                unit: unit.clone(),
            }),
            Err(NumberText::NotANumber) => Err(RowProblem::NotANumber {
                text: excerpt(&text).into_owned(),
            }),
        },
        // An enumeration's value takes the schema's spelling; text already in its final form
        // keeps its allocation.
        AttributeType::Enum { values } => Ok(AttributeValue::Text(
            match values.iter().find(|v| v.eq_ignore_ascii_case(&text)) {
                Some(canonical) if **canonical != *text => canonical.clone(),
                _ => text.into_owned(),
            },
        )),
        AttributeType::Text { .. } => Ok(AttributeValue::Text(text.into_owned())),
    }
}

/// An attribute's value as a format gives it: a spreadsheet's text, or a JSON value.
pub(super) enum RawAttribute<'a> {
    /// A cell's text, borrowed from the row.
    Text(Cow<'a, str>),
    /// A JSON value as read.
    Value(AttributeValue),
}

/// The attribute's name for a draft: the schema's shared name when the category has it.
pub(super) fn attribute_name(shared: Option<&Arc<str>>, given: &str) -> Arc<str> {
    match shared {
        Some(shared) => Arc::clone(shared),
        None => Arc::from(given),
    }
}
