//! The parts of ONDC's retail messages haat writes: plain records that serialise to exactly
//! the JSON ONDC specifies (field names, `@ondc/org/` prefixes, strings for numbers).
//!
//! They hold no rules: `export`, `quote` and `order` fill them in.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Text that is usually one of ONDC's fixed words (`enable`, `INR`, `attribute`): borrowed
/// from the program when it is, so an export of a lakh items does not allocate each.
pub type Word = Cow<'static, str>;

/// The `context` of every ONDC message: who speaks to whom, about which transaction, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The domain (`ONDC:RET12`).
    pub domain: String,
    /// Always `IND`.
    pub country: String,
    /// The city code (`std:033` for Kolkata).
    pub city: String,
    /// The action (`on_search`, `on_select`, ...).
    pub action: String,
    /// The protocol version (`1.2.0`).
    pub core_version: String,
    /// The buyer app's subscriber id.
    pub bap_id: String,
    /// The buyer app's URL.
    pub bap_uri: String,
    /// The seller app's subscriber id.
    pub bpp_id: String,
    /// The seller app's URL.
    pub bpp_uri: String,
    /// The transaction (one buyer journey: search to confirm).
    pub transaction_id: String,
    /// The message (one request and its answer).
    pub message_id: String,
    /// When, as `ondc_timestamp` writes it.
    pub timestamp: String,
    /// How long the message is good for (`PT30S`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

/// One `{code, value}` entry of a tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagEntry {
    /// The entry's code.
    pub code: Word,
    /// Its value, always a string.
    pub value: String,
}

impl TagEntry {
    /// An entry.
    pub fn new(code: impl Into<Word>, value: impl Into<String>) -> TagEntry {
        TagEntry {
            code: code.into(),
            value: value.into(),
        }
    }
}

/// A tag: a code and a list of entries (`origin`, `attribute`, `serviceability`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The tag's code.
    pub code: Word,
    /// Its entries.
    pub list: Vec<TagEntry>,
}

/// A descriptor: the names, texts and images of a participant, provider or item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    /// The name.
    pub name: String,
    /// An item's code (`4:<HSN>` in RET12, `1:<EAN>` in RET16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The main image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_desc: Option<String>,
    /// A long description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_desc: Option<String>,
    /// Images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    /// Tags (the seller app's terms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A `time` with a label (`enable`) and a timestamp.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Time {
    /// `enable` or `disable`.
    pub label: Word,
    /// When the label took effect.
    pub timestamp: String,
}

/// A fulfilment type the seller app offers (`bpp/fulfillments`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfillmentType {
    /// Its id.
    pub id: String,
    /// `Delivery`, `Self-Pickup` or `Buyer-Delivery`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Whom to call about a fulfilment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// A phone number.
    pub phone: String,
    /// An e-mail address.
    pub email: String,
}

/// A provider's fulfilment: its id, type and contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderFulfillment {
    /// Its id (items name it in `fulfillment_id`).
    pub id: String,
    /// `Delivery`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Whom to call.
    pub contact: Contact,
}

/// A store location's opening: days, holidays, hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationTime {
    /// `enable`.
    pub label: String,
    /// Since when.
    pub timestamp: String,
    /// Days of the week open, `1,2,3,4,5,6,7` (Monday is 1).
    pub days: String,
    /// Holidays.
    pub schedule: Schedule,
    /// Opening hours.
    pub range: Range,
}

/// A location's holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Dates (`2025-10-20`) the location is closed.
    pub holidays: Vec<String>,
}

/// Opening hours, `HHMM` to `HHMM`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Opens.
    pub start: String,
    /// Closes.
    pub end: String,
}

/// A postal address as ONDC's locations give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// The locality.
    pub locality: String,
    /// The street.
    pub street: String,
    /// The city (the district).
    pub city: String,
    /// The PIN code.
    pub area_code: String,
    /// The state.
    pub state: String,
}

/// A location a provider ships from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Its id: the fulfilment network's location id.
    pub id: String,
    /// When it is open.
    pub time: LocationTime,
    /// `latitude,longitude`.
    pub gps: String,
    /// Its address.
    pub address: Address,
}

/// An item's quantity: its unit, whether it is in stock, the most one order may take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// What one unit is.
    pub unitized: Unitized,
    /// `99` (in stock) or `0`.
    pub available: Count,
    /// The most one order may take.
    pub maximum: Count,
}

/// What one unit of an item is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unitized {
    /// The measure.
    pub measure: Measure,
}

/// A unit and an amount of it (`unit`, `1`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// `unit`, `gram`, `kilogram`, ...
    pub unit: Word,
    /// How many.
    pub value: Word,
}

/// A count, as a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The count.
    pub count: Word,
}

/// An item's price: the selling price and the MRP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    /// `INR`.
    pub currency: Word,
    /// The tax-inclusive selling price.
    pub value: String,
    /// The MRP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_value: Option<String>,
}

/// The Legal Metrology declarations of a packaged commodity, as ONDC names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagedCommodity {
    /// The manufacturer or packer.
    pub manufacturer_or_packer_name: String,
    /// Its address.
    pub manufacturer_or_packer_address: String,
    /// The common or generic name of the commodity.
    pub common_or_generic_name_of_commodity: String,
    /// `MM/YYYY`.
    pub month_year_of_manufacture_packing_import: String,
    /// The importer, for imported goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_product_country_of_origin: Option<String>,
}

/// One item of a provider's catalogue: a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Its id: the listing's id.
    pub id: String,
    /// When it was last changed.
    pub time: Time,
    /// Its names, code, texts and images.
    pub descriptor: Descriptor,
    /// Stock and limits.
    pub quantity: Quantity,
    /// Price and MRP.
    pub price: Price,
    /// The ONDC category.
    pub category_id: String,
    /// The provider's fulfilment it ships by.
    pub fulfillment_id: Word,
    /// The location it ships from.
    pub location_id: String,
    /// Whether a buyer may return it.
    #[serde(rename = "@ondc/org/returnable")]
    pub returnable: bool,
    /// Whether a buyer may cancel it before it ships.
    #[serde(rename = "@ondc/org/cancellable")]
    pub cancellable: bool,
    /// How long after delivery a return is accepted (`P7D`).
    #[serde(rename = "@ondc/org/return_window")]
    pub return_window: String,
    /// Whether the seller collects returns.
    #[serde(rename = "@ondc/org/seller_pickup_return")]
    pub seller_pickup_return: bool,
    /// How soon it ships (`PT48H`).
    #[serde(rename = "@ondc/org/time_to_ship")]
    pub time_to_ship: String,
    /// Whether cash on delivery is offered.
    #[serde(rename = "@ondc/org/available_on_cod")]
    pub available_on_cod: bool,
    /// `name,email,phone`.
    #[serde(rename = "@ondc/org/contact_details_consumer_care")]
    pub contact_details_consumer_care: String,
    /// The Legal Metrology declarations, for a packaged commodity.
    #[serde(
        rename = "@ondc/org/statutory_reqs_packaged_commodities",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub statutory_reqs_packaged_commodities: Option<PackagedCommodity>,
    /// `origin` and `attribute`.
    pub tags: Vec<Tag>,
}

/// A seller on the network: its store, locations, items and terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// Its id.
    pub id: String,
    /// Enabled since.
    pub time: Time,
    /// How its orders are fulfilled.
    pub fulfillments: Vec<ProviderFulfillment>,
    /// Its store's names, texts and images.
    pub descriptor: Descriptor,
    /// How long a buyer app may keep the catalogue (`P1D`).
    pub ttl: String,
    /// Where it ships from.
    pub locations: Vec<Location>,
    /// What it sells.
    pub items: Vec<Item>,
    /// `serviceability` and `timing`.
    pub tags: Vec<Tag>,
}

/// The seller app's catalogue: its descriptor, fulfilment types and providers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The fulfilment types offered.
    #[serde(rename = "bpp/fulfillments")]
    pub fulfillments: Vec<FulfillmentType>,
    /// The seller app itself.
    #[serde(rename = "bpp/descriptor")]
    pub descriptor: Descriptor,
    /// The sellers.
    #[serde(rename = "bpp/providers")]
    pub providers: Vec<Provider>,
}

/// The message of an `on_search`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSearchMessage {
    /// The catalogue.
    pub catalog: Catalog,
}

/// An `on_search`: a seller app's answer to a search, its catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSearch {
    /// Who, what, when.
    pub context: Context,
    /// The catalogue.
    pub message: OnSearchMessage,
}
