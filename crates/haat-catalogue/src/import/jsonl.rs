//! Reading JSON Lines: each line into a [`ParsedRow`] for the shared pipeline. The fields that
//! are usually used as they are (the SKU, category and amounts) are borrowed from the line.

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use haat_core::text::{strip_bom, utf8};
use haat_core::{Decimal, Money, Sku};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

use super::error::{Column, ImportFormat, RowProblem};
use super::pipeline::{
    CategoryCache, ParsedRow, Pipeline, Problems, RawAttribute, attribute_name, parse_money,
    parse_or, type_attribute,
};
use super::{ImportOptions, ImportSummary, ImportedRow};
use crate::{
    AttributeSchema, AttributeValue, Attributes, Category, Error, HsnCode, PackagedDeclarations,
    Taxonomy,
};

/// Reads JSON Lines, handing each line to `pipeline`. Blank lines are skipped but counted.
pub(super) fn import<R: BufRead>(
    mut reader: R,
    taxonomy: &Taxonomy,
    existing: impl Fn(&Sku) -> bool,
    options: ImportOptions,
    on_row: impl FnMut(ImportedRow),
) -> Result<ImportSummary, Error> {
    let mut pipeline = Pipeline::new(ImportFormat::JsonLines, existing, options, on_row);
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
                pipeline.summary.rows += 1;
                let detail = e.to_string();
                pipeline.refuse_whole(row, Column::Row, RowProblem::Unreadable { detail });
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        pipeline.summary.rows += 1;
        match serde_json::from_str::<JsonRow<'_>>(text) {
            Ok(raw) => {
                let mut problems = Problems::new(row);
                let parsed = parse_row(raw, taxonomy, &mut categories, &mut problems);
                pipeline.finish(parsed, problems);
            }
            Err(e) => {
                let detail = e.to_string();
                pipeline.refuse_whole(row, Column::Row, RowProblem::NotAListing { detail });
            }
        }
    }
    Ok(pipeline.summary)
}

/// Parses one line's fields, reporting each field's problem.
fn parse_row<'t>(
    raw: JsonRow<'_>,
    taxonomy: &'t Taxonomy,
    categories: &mut CategoryCache<'t, ()>,
    problems: &mut Problems,
) -> ParsedRow<'t> {
    let sku = parse_or(problems, "sku", raw.sku.as_deref().unwrap_or(""), |s| {
        s.parse::<Sku>()
    });
    let category = categories
        .resolve(
            problems,
            raw.category.as_deref().unwrap_or(""),
            taxonomy,
            |_| (),
        )
        .map(|(c, _)| c);
    let hsn = match &raw.hsn {
        Some(JsonScalar::Text(text)) => parse_or(problems, "hsn", text, |s| s.parse::<HsnCode>()),
        Some(JsonScalar::Number(n)) => {
            parse_or(problems, "hsn", &n.to_string(), |s| s.parse::<HsnCode>())
        }
        _ => {
            problems.field("hsn", RowProblem::Missing { what: "HSN code" });
            None
        }
    };
    let price = money(problems, "price", raw.price.as_ref(), true);
    let mrp = money(problems, "mrp", raw.mrp.as_ref(), false);
    let attributes = attributes(raw.attributes, category, problems);
    ParsedRow {
        sku,
        category,
        hsn,
        price,
        mrp,
        title: raw.title.unwrap_or_default(),
        description: raw.description.unwrap_or_default(),
        images: raw.images,
        attributes,
        packaged: raw.packaged,
    }
}

/// The line's attributes, typed by the category's schema. By name, and a repeated name's last
/// value wins, as in a map.
fn attributes(
    given: JsonAttributes<'_>,
    category: Option<&Category>,
    problems: &mut Problems,
) -> Attributes {
    // Usually already in order: a writer's map is.
    let mut given = given.0;
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
        let entry =
            (d < schema.len() && schema[d].0 == name.as_ref()).then(|| (&shared[d], &schema[d].1));
        match type_attribute(entry.map(|(_, s)| s), RawAttribute::Value(value)) {
            // In order, each name once.
            Ok(typed) => attrs.push_in_order(attribute_name(entry.map(|(n, _)| n), &name), typed),
            Err(reason) => {
                let column = Column::Attribute {
                    name: Arc::from(name.as_ref()),
                    format: ImportFormat::JsonLines,
                };
                problems.push(column, reason);
            }
        }
    }
    attrs
}

/// An amount given as a string or a number: `Some(None)` is an absent optional amount; `None`
/// a bad one.
fn money(
    problems: &mut Problems,
    column: &'static str,
    value: Option<&JsonScalar<'_>>,
    required: bool,
) -> Option<Option<Money>> {
    match value {
        None if required => {
            problems.field(column, RowProblem::Missing { what: column });
            None
        }
        None => Some(None),
        Some(JsonScalar::Text(text)) => parse_money(problems, column, text, required),
        Some(JsonScalar::Number(n)) => match Money::try_from_decimal(*n) {
            Ok(m) => Some(Some(m)),
            Err(e) => {
                let detail = e.to_string();
                problems.field(column, RowProblem::Invalid { detail });
                None
            }
        },
        Some(JsonScalar::Bool) => {
            problems.field(column, RowProblem::NotAnAmount { what: column });
            None
        }
    }
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
