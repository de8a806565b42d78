//! What a listing says: the content a seller writes and a buyer reads.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use haat_core::{Decimal, Money, Sku};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{CategoryId, HsnCode};

/// Everything a seller says about one product: the payload of drafts, edits and imports.
///
/// This is a plain record with public fields: it is what a seller *proposes*, so any value is
/// representable, and [`check_listing`](crate::check_listing) says everything that is wrong with
/// it at once (rather than a constructor refusing at the first problem).
///
/// `price` is the tax-inclusive selling price; `mrp` the maximum retail price printed on the
/// pack (required for packaged goods).
///
/// ```
/// use std::collections::BTreeMap;
/// use haat_catalogue::{AttributeValue, ListingContent};
/// use haat_core::Money;
///
/// let mut attributes = BTreeMap::new();
/// attributes.insert("fabric".to_owned(), AttributeValue::text("cotton"));
/// let content = ListingContent {
///     title: "Handwoven Shantipuri cotton saree, red and white".into(),
///     description: "Woven on a pit loom in Shantipur, Nadia.".into(),
///     category: "textiles/sarees/handloom/shantipuri".parse()?,
///     attributes,
///     images: vec!["https://img.example.in/shantipuri-1.jpg".into()],
///     price: Money::from_rupees(2_450),
///     mrp: Some(Money::from_rupees(2_800)),
///     hsn: "5208".parse()?,
///     packaged: None,
///     sku: "SHP-RED-001".parse()?,
/// };
/// assert_eq!(content.attributes["fabric"].as_text(), Some("cotton"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingContent {
    /// The title buyers see.
    pub title: String,
    /// A longer description.
    #[serde(default)]
    pub description: String,
    /// Where the product sits in the taxonomy.
    pub category: CategoryId,
    /// Category attributes by name (`fabric`, `length_m`, ...), checked against the category's
    /// schema.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeValue>,
    /// Image URLs, first is the main image.
    #[serde(default)]
    pub images: Vec<String>,
    /// The tax-inclusive selling price.
    pub price: Money,
    /// The maximum retail price, if the product has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrp: Option<Money>,
    /// The HSN code the seller classifies the product under (decides GST).
    pub hsn: HsnCode,
    /// The Legal Metrology declarations of a packaged commodity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaged: Option<PackagedDeclarations>,
    /// The seller's own code for the product; unique per seller.
    pub sku: Sku,
}

/// The declarations the Legal Metrology (Packaged Commodities) Rules require on a pre-packed
/// product sold online.
///
/// ```
/// use haat_catalogue::{NetQuantity, PackagedDeclarations, QuantityUnit};
/// let tea = PackagedDeclarations {
///     manufacturer_or_packer: "Makaibari Tea Estate".into(),
///     address: "Kurseong, Darjeeling, West Bengal 734203".into(),
///     generic_name: "Darjeeling black tea".into(),
///     net_quantity: NetQuantity::new("250".parse()?, QuantityUnit::Gram),
///     country_of_origin: "India".into(),
/// };
/// assert_eq!(tea.net_quantity.to_string(), "250 g");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagedDeclarations {
    /// Name of the manufacturer or packer.
    pub manufacturer_or_packer: String,
    /// Address of the manufacturer or packer.
    pub address: String,
    /// The common or generic name of the commodity.
    pub generic_name: String,
    /// Net quantity, with its unit.
    pub net_quantity: NetQuantity,
    /// Country of origin.
    pub country_of_origin: String,
}

/// A net quantity with its standard unit, e.g. `500 g`.
///
/// ```
/// use haat_catalogue::{NetQuantity, QuantityUnit};
/// let q: NetQuantity = "1.5 kg".parse()?;
/// assert_eq!(q.unit(), QuantityUnit::Kilogram);
/// assert_eq!(q.to_string(), "1.5 kg");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetQuantity {
    amount: Decimal,
    unit: QuantityUnit,
}

impl NetQuantity {
    /// A quantity of `amount` in `unit`.
    pub fn new(amount: Decimal, unit: QuantityUnit) -> NetQuantity {
        NetQuantity { amount, unit }
    }

    /// How much.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// In what unit.
    pub fn unit(&self) -> QuantityUnit {
        self.unit
    }
}

impl fmt::Display for NetQuantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount.normalize(), self.unit.symbol())
    }
}

impl FromStr for NetQuantity {
    type Err = String;

    /// Parses `"500 g"`, `"1.5kg"`, `"2 pieces"`.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, unit) = s.split_at(split);
        let amount: Decimal = number
            .parse()
            .map_err(|_| format!("net quantity '{s}' does not start with a number"))?;
        let unit: QuantityUnit = unit.trim().parse()?;
        Ok(NetQuantity { amount, unit })
    }
}

/// The units a net quantity is declared in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuantityUnit {
    /// Grams (`g`).
    Gram,
    /// Kilograms (`kg`).
    Kilogram,
    /// Millilitres (`ml`).
    Millilitre,
    /// Litres (`l`).
    Litre,
    /// Metres (`m`).
    Metre,
    /// Centimetres (`cm`).
    Centimetre,
    /// A count of pieces (`pcs`).
    Piece,
}

impl QuantityUnit {
    /// The unit's symbol: `g`, `kg`, `ml`, `l`, `m`, `cm`, `pcs`.
    pub fn symbol(self) -> &'static str {
        match self {
            QuantityUnit::Gram => "g",
            QuantityUnit::Kilogram => "kg",
            QuantityUnit::Millilitre => "ml",
            QuantityUnit::Litre => "l",
            QuantityUnit::Metre => "m",
            QuantityUnit::Centimetre => "cm",
            QuantityUnit::Piece => "pcs",
        }
    }
}

impl FromStr for QuantityUnit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let unit = match s.trim().to_ascii_lowercase().as_str() {
            "g" | "gm" | "gram" | "grams" => QuantityUnit::Gram,
            "kg" | "kilogram" | "kilograms" => QuantityUnit::Kilogram,
            "ml" | "millilitre" | "millilitres" => QuantityUnit::Millilitre,
            "l" | "litre" | "litres" | "ltr" => QuantityUnit::Litre,
            "m" | "metre" | "metres" => QuantityUnit::Metre,
            "cm" | "centimetre" | "centimetres" => QuantityUnit::Centimetre,
            "pcs" | "pc" | "piece" | "pieces" | "n" | "number" => QuantityUnit::Piece,
            other => return Err(format!("'{other}' is not a unit of net quantity")),
        };
        Ok(unit)
    }
}

/// The value of one category attribute.
///
/// In JSON a text (or enumerated) value is a string, a number a JSON number and a boolean a
/// boolean: `{"fabric": "cotton", "length_m": 6.3, "blouse_piece": true}`. Numbers are kept as
/// [`Decimal`]; a fractional number crosses JSON as the shortest decimal that reads back to the
/// same value (exact up to 15 significant digits, far beyond any length or weight).
///
/// ```
/// use haat_catalogue::AttributeValue;
/// let v: AttributeValue = serde_json::from_str("6.3")?;
/// assert_eq!(v, AttributeValue::Number("6.3".parse()?));
/// assert_eq!(serde_json::to_string(&AttributeValue::Bool(true))?, "true");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttributeValue {
    /// Free text, or one of an enumeration's values.
    Text(String),
    /// A number, in the unit the attribute's schema states.
    Number(Decimal),
    /// Yes or no.
    Bool(bool),
}

impl AttributeValue {
    /// A text value.
    pub fn text(value: impl Into<String>) -> AttributeValue {
        AttributeValue::Text(value.into())
    }

    /// The text, if this is a text value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            AttributeValue::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            AttributeValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttributeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The kind of value, for messages: `text`, `number` or `yes/no`.
    pub fn kind(&self) -> &'static str {
        match self {
            AttributeValue::Text(_) => "text",
            AttributeValue::Number(_) => "number",
            AttributeValue::Bool(_) => "yes/no",
        }
    }
}

impl fmt::Display for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeValue::Text(text) => f.write_str(text),
            AttributeValue::Number(n) => fmt::Display::fmt(&n.normalize(), f),
            AttributeValue::Bool(true) => f.write_str("yes"),
            AttributeValue::Bool(false) => f.write_str("no"),
        }
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeValue::Text(text) => serializer.serialize_str(text),
            AttributeValue::Bool(b) => serializer.serialize_bool(*b),
            AttributeValue::Number(n) => {
                let n = n.normalize();
                if n.scale() == 0 {
                    if let Ok(i) = i64::try_from(n) {
                        return serializer.serialize_i64(i);
                    }
                }
                let f = f64::try_from(n).map_err(serde::ser::Error::custom)?;
                serializer.serialize_f64(f)
            }
        }
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl Visitor<'_> for ValueVisitor {
            type Value = AttributeValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(Decimal::from(v)))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(Decimal::from(v)))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttributeValue, E> {
                // The shortest text that reads back as `v` is what the writer meant.
                let text = v.to_string();
                text.parse::<Decimal>()
                    .map(|d| AttributeValue::Number(d.normalize()))
                    .map_err(|_| E::custom(format!("number {text} is out of range")))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Text(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Text(v))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}
