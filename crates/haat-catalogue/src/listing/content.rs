//! What a listing says: the content a seller writes and a buyer reads.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;
use std::str::FromStr;
use std::sync::Arc;

use haat_core::{Decimal, Money, Month, Sku};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::country::{INDIA, iso_country};
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
/// use haat_catalogue::{AttributeValue, Attributes, ListingContent};
/// use haat_core::Money;
///
/// let mut attributes = Attributes::new();
/// attributes.insert("fabric", AttributeValue::text("cotton"));
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    pub attributes: Attributes,
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
    /// The Legal Metrology declarations of a packaged commodity (boxed: most listings have
    /// none, and every listing event carries the content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaged: Option<Box<PackagedDeclarations>>,
    /// The seller's own code for the product; unique per seller.
    pub sku: Sku,
}

/// A listing's category attributes by name (`fabric`, `length_m`, ...), kept sorted by name.
///
/// A map in JSON (`{"blouse_piece": true, "fabric": "cotton"}`, names in order), exactly as a
/// `BTreeMap<String, AttributeValue>` would be; in memory a sorted vector of (name, value)
/// pairs whose names are shared text (`Arc<str>`). The bulk import takes each name from the
/// category's schema, so a row's attributes cost one allocation for the vector rather than one
/// per name and a tree node, and the quality checks match a name against its schema by pointer
/// before comparing text.
///
/// ```
/// use haat_catalogue::{AttributeValue, Attributes};
/// let mut attributes = Attributes::new();
/// attributes.insert("length_m", AttributeValue::Number("6.3".parse()?));
/// attributes.insert("fabric", AttributeValue::text("cotton"));
/// assert_eq!(attributes["fabric"].as_text(), Some("cotton"));
/// let names: Vec<&str> = attributes.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["fabric", "length_m"]);
/// assert_eq!(serde_json::to_string(&attributes)?, r#"{"fabric":"cotton","length_m":6.3}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Attributes {
    /// Sorted by name, each name once.
    entries: Vec<(Arc<str>, AttributeValue)>,
}

impl Attributes {
    /// No attributes.
    pub fn new() -> Attributes {
        Attributes::default()
    }

    /// No attributes, with room for `capacity` without reallocating.
    pub fn with_capacity(capacity: usize) -> Attributes {
        Attributes {
            entries: Vec::with_capacity(capacity),
        }
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(n, _)| (**n).cmp(name))
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.position(name).ok().map(|i| &self.entries[i].1)
    }

    /// Whether attribute `name` is given.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets attribute `name` to `value`, returning the value it replaces. Names given in
    /// ascending order are appended without a search.
    pub fn insert(
        &mut self,
        name: impl Into<Arc<str>>,
        value: AttributeValue,
    ) -> Option<AttributeValue> {
        let name = name.into();
        let after_last = self.entries.last().is_none_or(|(last, _)| *last < name);
        if after_last {
            self.entries.push((name, value));
            return None;
        }
        match self.position(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (name, value));
                None
            }
        }
    }

    /// Appends attribute `name`, which the caller knows is not before the last name (the
    /// import reads attribute columns in name order): a repeat of the last name replaces its
    /// value, as [`Attributes::insert`] would, and no search is made.
    pub(crate) fn push_in_order(&mut self, name: Arc<str>, value: AttributeValue) {
        match self.entries.last_mut() {
            Some((last, slot)) if **last == *name => *slot = value,
            _ => {
                debug_assert!(self.entries.last().is_none_or(|(last, _)| *last < name));
                self.entries.push((name, value));
            }
        }
    }

    /// Removes attribute `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        self.position(name).ok().map(|i| self.entries.remove(i).1)
    }

    /// Every attribute, by name in ascending order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &AttributeValue)> + '_ {
        self.entries.iter().map(|(n, v)| (&**n, v))
    }

    /// Every attribute with its name as shared text, by name in ascending order.
    pub(crate) fn entries(&self) -> &[(Arc<str>, AttributeValue)] {
        &self.entries
    }
}

impl Index<&str> for Attributes {
    type Output = AttributeValue;

    /// The value of attribute `name`.
    ///
    /// # Panics
    /// If the attribute is not given (as a map's index does); [`Attributes::get`] does not.
    fn index(&self, name: &str) -> &AttributeValue {
        match self.get(name) {
            Some(value) => value,
            #[allow(clippy::panic)]
            None => panic!("no attribute '{name}'"),
        }
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a str, &'a AttributeValue);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Arc<str>, AttributeValue)>,
        fn(&'a (Arc<str>, AttributeValue)) -> (&'a str, &'a AttributeValue),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(n, v)| (&**n, v))
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, AttributeValue)> for Attributes {
    /// Later values of a repeated name replace earlier ones, as in a map.
    fn from_iter<I: IntoIterator<Item = (K, AttributeValue)>>(iter: I) -> Attributes {
        let iter = iter.into_iter();
        let mut attributes = Attributes::with_capacity(iter.size_hint().0);
        for (name, value) in iter {
            attributes.insert(name, value);
        }
        attributes
    }
}

impl From<BTreeMap<String, AttributeValue>> for Attributes {
    fn from(map: BTreeMap<String, AttributeValue>) -> Attributes {
        Attributes {
            entries: map.into_iter().map(|(n, v)| (Arc::from(n), v)).collect(),
        }
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (name, value) in &self.entries {
            map.serialize_entry(&**name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;

        impl<'de> Visitor<'de> for MapVisitor {
            type Value = Attributes;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of attribute names to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                let mut attributes = Attributes::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((name, value)) = map.next_entry::<String, AttributeValue>()? {
                    attributes.insert(name, value);
                }
                Ok(attributes)
            }
        }

        deserializer.deserialize_map(MapVisitor)
    }
}

/// The declarations the Legal Metrology (Packaged Commodities) Rules, 2011 require of a
/// pre-packed commodity sold online (Rule 6, and Rule 6(10) for e-commerce, as amended up to
/// 2022): who made or packed it (and who imported it, for imported goods) with their address,
/// the common or generic name, the net quantity in a standard unit, the month and year of
/// manufacture, the country of origin, the unit sale price (Rule 6(11)) and whom to contact
/// with a complaint. The retail sale price is the listing's MRP.
///
/// Like [`ListingContent`] this is what a seller proposes: any value is representable, and
/// [`PackagedDeclarations::missing`] and [`check_listing`](crate::check_listing) say what is
/// wrong. The fields added after the first version (importer, month of manufacture, unit sale
/// price, consumer care) are optional in JSON, so events written before them still read.
///
/// ```
/// use haat_catalogue::{Declaration, NetQuantity, PackagedDeclarations, QuantityUnit};
/// use haat_core::{Money, Month};
/// let tea = PackagedDeclarations {
///     manufacturer_or_packer: "Makaibari Tea Estate".into(),
///     address: "Kurseong, Darjeeling, West Bengal 734203".into(),
///     importer: String::new(),
///     importer_address: String::new(),
///     generic_name: "Darjeeling black tea".into(),
///     net_quantity: NetQuantity::new("250".parse()?, QuantityUnit::Gram),
///     country_of_origin: "IN".into(),
///     manufactured: Month::new(2025, 11),
///     unit_sale_price: Some(Money::from_paise(280)),
///     consumer_care_phone: "+91 33 2222 1234".into(),
///     consumer_care_email: "care@makaibari.example.in".into(),
/// };
/// assert_eq!(tea.net_quantity.to_string(), "250 g");
/// assert!(tea.missing(Some(Money::from_rupees(700))).is_empty());
///
/// // Imported goods also name their importer.
/// let oolong = PackagedDeclarations { country_of_origin: "NP".into(), ..tea };
/// assert_eq!(
///     oolong.missing(Some(Money::from_rupees(700))),
///     [Declaration::Importer, Declaration::ImporterAddress]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackagedDeclarations {
    /// Name of the manufacturer or packer.
    pub manufacturer_or_packer: String,
    /// Address of the manufacturer or packer.
    pub address: String,
    /// Name of the importer, for imported goods (blank otherwise).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub importer: String,
    /// Address of the importer, for imported goods (blank otherwise).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub importer_address: String,
    /// The common or generic name of the commodity.
    pub generic_name: String,
    /// Net quantity, with its unit.
    pub net_quantity: NetQuantity,
    /// Country of origin, as an ISO 3166-1 alpha-2 code (`IN`, `BD`, `NP`); goods from any
    /// country but India are imported.
    pub country_of_origin: String,
    /// The month and year of manufacture. (The 2021 amendment of Rule 6(1)(d) asks for the
    /// month of manufacture alone, no longer of packing or import.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufactured: Option<Month>,
    /// The unit sale price declared on the package, in the unit
    /// [`NetQuantity::unit_sale_price`] names; needed unless it equals the MRP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_sale_price: Option<Money>,
    /// The consumer-care telephone number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consumer_care_phone: String,
    /// The consumer-care e-mail address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consumer_care_email: String,
}

impl PackagedDeclarations {
    /// Whether the goods are imported: their country of origin is a country other than India.
    /// A country of origin that is not an ISO 3166 code says nothing either way.
    pub fn is_imported(&self) -> bool {
        iso_country(&self.country_of_origin).is_some_and(|code| code != INDIA)
    }

    /// The unit sale price an MRP of `mrp` makes, if a unit sale price is declared and is not
    /// that one: the declaration must follow the MRP it is printed beside.
    pub fn unit_sale_price_mismatch(&self, mrp: Money) -> Option<UnitSalePrice> {
        let declared = self.unit_sale_price?;
        let expected = self.net_quantity.unit_sale_price(mrp)?;
        (declared != expected.price()).then_some(expected)
    }

    /// The declarations that are absent or blank, in the order of [`Declaration`], for a
    /// package whose MRP is `mrp`: this is the one place the rules of what a package must
    /// declare live. The importer is needed only for imported goods, the unit sale price only
    /// where Rule 6(11) asks for it (see [`NetQuantity::unit_sale_price`]). A missing MRP is
    /// not listed here: the price checks report it.
    pub fn missing(&self, mrp: Option<Money>) -> Vec<Declaration> {
        let blank = |text: &str| text.trim().is_empty();
        let imported = self.is_imported();
        let unit_price_needed = mrp
            .and_then(|mrp| self.net_quantity.unit_sale_price(mrp))
            .is_some_and(|usp| usp.must_be_declared());
        [
            (
                Declaration::ManufacturerOrPacker,
                blank(&self.manufacturer_or_packer),
            ),
            (Declaration::Address, blank(&self.address)),
            (Declaration::Importer, imported && blank(&self.importer)),
            (
                Declaration::ImporterAddress,
                imported && blank(&self.importer_address),
            ),
            (Declaration::GenericName, blank(&self.generic_name)),
            (Declaration::CountryOfOrigin, blank(&self.country_of_origin)),
            (Declaration::Manufactured, self.manufactured.is_none()),
            (
                Declaration::UnitSalePrice,
                unit_price_needed && self.unit_sale_price.is_none(),
            ),
            (
                Declaration::ConsumerCarePhone,
                blank(&self.consumer_care_phone),
            ),
            (
                Declaration::ConsumerCareEmail,
                blank(&self.consumer_care_email),
            ),
        ]
        .into_iter()
        .filter_map(|(declaration, missing)| missing.then_some(declaration))
        .collect()
    }
}

/// One declaration a packaged commodity must make: what a missing-declaration finding names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Declaration {
    /// The manufacturer's or packer's name.
    ManufacturerOrPacker,
    /// The manufacturer's or packer's address.
    Address,
    /// The importer's name (imported goods).
    Importer,
    /// The importer's address (imported goods).
    ImporterAddress,
    /// The common or generic name.
    GenericName,
    /// The country of origin.
    CountryOfOrigin,
    /// The month and year of manufacture.
    Manufactured,
    /// The unit sale price.
    UnitSalePrice,
    /// The consumer-care telephone number.
    ConsumerCarePhone,
    /// The consumer-care e-mail address.
    ConsumerCareEmail,
}

impl Declaration {
    /// The field path of the declaration in a listing: `packaged.importer`.
    pub fn path(self) -> &'static str {
        match self {
            Declaration::ManufacturerOrPacker => "packaged.manufacturer_or_packer",
            Declaration::Address => "packaged.address",
            Declaration::Importer => "packaged.importer",
            Declaration::ImporterAddress => "packaged.importer_address",
            Declaration::GenericName => "packaged.generic_name",
            Declaration::CountryOfOrigin => "packaged.country_of_origin",
            Declaration::Manufactured => "packaged.manufactured",
            Declaration::UnitSalePrice => "packaged.unit_sale_price",
            Declaration::ConsumerCarePhone => "packaged.consumer_care_phone",
            Declaration::ConsumerCareEmail => "packaged.consumer_care_email",
        }
    }

    /// What the declaration is, for messages: `the importer's name`.
    pub fn describe(self) -> &'static str {
        match self {
            Declaration::ManufacturerOrPacker => "the manufacturer's or packer's name",
            Declaration::Address => "the manufacturer's or packer's address",
            Declaration::Importer => "the importer's name",
            Declaration::ImporterAddress => "the importer's address",
            Declaration::GenericName => "the generic name",
            Declaration::CountryOfOrigin => "the country of origin",
            Declaration::Manufactured => "the month and year of manufacture",
            Declaration::UnitSalePrice => "the unit sale price",
            Declaration::ConsumerCarePhone => "the consumer-care telephone number",
            Declaration::ConsumerCareEmail => "the consumer-care e-mail address",
        }
    }
}

impl fmt::Display for Declaration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

impl NetQuantity {
    /// The unit sale price of a package of this quantity whose retail sale price is `mrp`, as
    /// Rule 6(11) has it declared (substituted by the Legal Metrology (Packaged Commodities)
    /// Amendment Rules, 2022): in rupees rounded to the paisa, per gram below one kilogram and
    /// per kilogram from one kilogram up; per millilitre or litre, per centimetre or metre
    /// likewise; per piece for goods sold by number. `None` if the quantity is not more than
    /// zero (nothing to divide by) or the arithmetic overflows.
    ///
    /// ```
    /// use haat_catalogue::{NetQuantity, QuantityUnit};
    /// use haat_core::Money;
    /// let tea: NetQuantity = "250 g".parse()?;
    /// let usp = tea.unit_sale_price(Money::from_rupees(700)).unwrap();
    /// assert_eq!(usp.to_string(), "₹2.80 per g");
    /// let rice: NetQuantity = "5 kg".parse()?;
    /// let usp = rice.unit_sale_price(Money::from_rupees(450)).unwrap();
    /// assert_eq!((usp.price(), usp.per()), (Money::from_rupees(90), QuantityUnit::Kilogram));
    /// // A one-kilogram pack's price per kilogram is its MRP: nothing more to declare.
    /// let gur: NetQuantity = "1 kg".parse()?;
    /// assert!(!gur.unit_sale_price(Money::from_rupees(320)).unwrap().must_be_declared());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit_sale_price(&self, mrp: Money) -> Option<UnitSalePrice> {
        use QuantityUnit::*;
        // The quantity in the rule's small unit, the small and large units, and how many small
        // units make a large one.
        let (small, large, per_large): (Decimal, QuantityUnit, QuantityUnit) = match self.unit {
            Gram => (self.amount, Gram, Kilogram),
            Kilogram => (
                self.amount.checked_mul(Decimal::ONE_THOUSAND)?,
                Gram,
                Kilogram,
            ),
            Millilitre => (self.amount, Millilitre, Litre),
            Litre => (
                self.amount.checked_mul(Decimal::ONE_THOUSAND)?,
                Millilitre,
                Litre,
            ),
            Centimetre => (self.amount, Centimetre, Metre),
            Metre => (
                self.amount.checked_mul(Decimal::ONE_HUNDRED)?,
                Centimetre,
                Metre,
            ),
            Piece => (self.amount, Piece, Piece),
        };
        let small_per_large = match per_large {
            Kilogram | Litre => Decimal::ONE_THOUSAND,
            Metre => Decimal::ONE_HUNDRED,
            _ => Decimal::ONE,
        };
        if small <= Decimal::ZERO {
            return None;
        }
        let (count, per) = if small < small_per_large {
            (small, large)
        } else {
            (small.checked_div(small_per_large)?, per_large)
        };
        let price = Money::round_half_away(mrp.amount().checked_div(count)?)?;
        Some(UnitSalePrice { price, per, mrp })
    }
}

/// The price per unit of measure a package declares beside its MRP (Rule 6(11)): `₹2.80 per g`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnitSalePrice {
    price: Money,
    per: QuantityUnit,
    mrp: Money,
}

impl UnitSalePrice {
    /// The price of one unit.
    pub fn price(&self) -> Money {
        self.price
    }

    /// The unit it is the price of.
    pub fn per(&self) -> QuantityUnit {
        self.per
    }

    /// Whether the package must declare it: the rule does not ask for a unit sale price equal
    /// to the retail sale price (a one-kilogram pack, a single piece).
    pub fn must_be_declared(&self) -> bool {
        self.price != self.mrp
    }
}

impl fmt::Display for UnitSalePrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per {
            QuantityUnit::Piece => "piece",
            other => other.symbol(),
        };
        write!(f, "₹{} per {unit}", self.price)
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
/// [`Decimal`], exactly: a number that a JSON number (a 64-bit float to most readers) would not
/// carry exactly is written as its decimal text in a one-entry map, `{"number": "5.500000000000000001"}`,
/// so that reading the event back gives the value that was decided on.
///
/// ```
/// use haat_catalogue::AttributeValue;
/// let v: AttributeValue = serde_json::from_str("6.3")?;
/// assert_eq!(v, AttributeValue::Number("6.3".parse()?));
/// assert_eq!(serde_json::to_string(&AttributeValue::Bool(true))?, "true");
///
/// let fine = AttributeValue::Number("5.500000000000000001".parse()?);
/// let json = serde_json::to_string(&fine)?;
/// assert_eq!(json, r#"{"number":"5.500000000000000001"}"#);
/// assert_eq!(serde_json::from_str::<AttributeValue>(&json)?, fine);
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
                if n.scale() == 0
                    && let Ok(i) = i64::try_from(n)
                {
                    return serializer.serialize_i64(i);
                }
                match f64::try_from(n) {
                    // Read back as the reader below does: the shortest text of the float.
                    Ok(f) if f.to_string().parse::<Decimal>().map(|d| d.normalize()) == Ok(n) => {
                        serializer.serialize_f64(f)
                    }
                    _ => {
                        let mut map = serializer.serialize_map(Some(1))?;
                        map.serialize_entry(EXACT_NUMBER_KEY, &n.to_string())?;
                        map.end()
                    }
                }
            }
        }
    }
}

/// The key of the map that carries a number a JSON number would not carry exactly.
const EXACT_NUMBER_KEY: &str = "number";

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
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

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
                let (Some((key, text)), None) = (
                    map.next_entry::<String, String>()?,
                    map.next_key::<de::IgnoredAny>()?,
                ) else {
                    return Err(de::Error::custom(format!(
                        "a number in a map is written {{\"{EXACT_NUMBER_KEY}\": \"6.3\"}}"
                    )));
                };
                if key != EXACT_NUMBER_KEY {
                    return Err(de::Error::unknown_field(&key, &[EXACT_NUMBER_KEY]));
                }
                Decimal::from_str_exact(&text)
                    .map(|d| AttributeValue::Number(d.normalize()))
                    .map_err(|_| de::Error::custom(format!("'{text}' is not a decimal number")))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}
