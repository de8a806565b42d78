//! A seller's live listings as ONDC retail `on_search` catalogues, one per domain, with every
//! listing that cannot be published reported with its reason.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::fmt;

use chrono::{DateTime, Utc};
use haat_catalogue::{
    GstRegistration, HsnCode, Listing, ListingContent, OndcCategory, OndcDomain,
    PackagedDeclarations, QuantityUnit, Taxonomy,
};
use haat_core::{FastHashMap, ListingId, LocationId, Money, PinDirectory, Sku};
use haat_inventory::{Network, StockLedger};

use crate::attributes::{AttributeList, AttributePlan, item_attributes};
use crate::format::{days_duration, hours_duration, ondc_amount, ondc_timestamp};
use crate::wire::{
    Address, Catalog, Contact, Context, Count, Descriptor, FulfillmentType, Item, Location,
    LocationTime, Measure, OnSearch, OnSearchMessage, PackagedCommodity, Price, Provider,
    ProviderFulfillment, Quantity, Range, Schedule, Tag, TagEntry, Time, Unitized, Word,
};
use crate::{NotExported, Request, SellerApp, SellerProfile, SellerTerms, Sites, Unmappable};

mod json;

/// The ONDC protocol version haat writes.
pub const CORE_VERSION: &str = "1.2.0";

/// The id of the one fulfilment (delivery) every provider offers.
pub const DELIVERY_FULFILMENT: &str = "1";

/// The language a catalogue is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English.
    #[default]
    English,
    /// Bengali where the listing and the store have it (`title_bn`, `description_bn`,
    /// [`SellerProfile::name_bn`]), English elsewhere.
    Bengali,
}

/// Everything an export reads besides the listings.
#[derive(Clone, Copy, Debug)]
pub struct CatalogueInput<'a> {
    /// The seller app.
    pub app: &'a SellerApp,
    /// The search being answered.
    pub request: &'a Request,
    /// The seller.
    pub seller: &'a SellerProfile,
    /// The taxonomy the listings are in (with its ONDC mapping).
    pub taxonomy: &'a Taxonomy,
    /// The fulfilment network.
    pub network: &'a Network,
    /// Where the network's locations are.
    pub sites: &'a Sites,
    /// The seller's stock.
    pub stock: &'a StockLedger,
    /// The language of names and descriptions.
    pub language: Language,
    /// The instant of the answer (the context's timestamp; stock is counted at it).
    pub now: DateTime<Utc>,
}

/// What an export made: one `on_search` per domain that has items, and the fate of every
/// listing: each one given is either exported or reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueExport {
    /// The catalogues, `ONDC:RET12` before `ONDC:RET16`; a domain without items has none.
    pub catalogues: Vec<OnSearch>,
    /// The listings published, in the order given.
    pub exported: Vec<ListingId>,
    /// The listings not published, with why, in the order given.
    pub not_exported: Vec<NotExported>,
}

/// The seller's listings `listings` as ONDC retail `on_search` catalogues.
///
/// Each active listing of the seller becomes an item of its category's ONDC domain (the
/// taxonomy's mapping), at the network location holding most of its stock; anything else
/// (inactive, another seller's, a category without an ONDC counterpart, a missing mandatory
/// attribute, a home item without an EAN, no MRP, no image, no stock at a known site) is
/// reported in [`CatalogueExport::not_exported`] with a typed reason. Every listing given is
/// in exactly one of the two lists.
pub fn export_catalogue<'l>(
    input: &CatalogueInput<'_>,
    listings: impl IntoIterator<Item = &'l Listing>,
) -> CatalogueExport {
    assemble(
        input,
        listings.into_iter().map(|listing| (listing, Offer::OnSale)),
    )
}

/// The catalogues of [`export_catalogue`], each written as `serde_json::to_vec` writes it, byte
/// for byte, but straight from the listings: each item is written into its domain's JSON as
/// it is mapped, and no item record is built or held, so a lakh listings cost little more
/// than their JSON. What a seller app sends on the wire.
///
/// # Errors
///
/// Only what `serde_json` reports writing a record, which these records never give it.
pub fn export_catalogue_json<'l>(
    input: &CatalogueInput<'_>,
    listings: impl IntoIterator<Item = &'l Listing>,
) -> Result<CatalogueJson, serde_json::Error> {
    let stock = StockIndex::new(input);
    let text = SellerText::new(input.seller);
    let listings = listings.into_iter();
    // Most listings of a seller export, most often all in one domain.
    let expected = listings.size_hint().0;
    let mapped = map_listings(
        input,
        &stock,
        &text,
        listings.map(|listing| (listing, Offer::OnSale)),
        |domain, json: &mut json::DomainJson, item| {
            if json.is_empty() {
                // The part before the items, written ahead as the first item's alone would
                // have it: most often (a seller shipping from one location) it stands.
                let first = BTreeSet::from([(item.location, item.category)]);
                json.start(&on_search(input, domain, &first), expected)?;
            } else {
                json.separate();
            }
            item.write_json(json.bytes())
        },
    )?;
    let mut catalogues = Vec::with_capacity(mapped.domains.len());
    for (domain, (items, serving)) in mapped.domains {
        let envelope = on_search(input, domain, &serving);
        catalogues.push((domain, items.finish(&envelope)?));
    }
    Ok(CatalogueJson {
        catalogues,
        exported: mapped.exported,
        not_exported: mapped.not_exported,
    })
}

/// What [`export_catalogue_json`] made: each domain's `on_search` as JSON, and the fate of
/// every listing, as in [`CatalogueExport`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueJson {
    /// Each domain's `on_search`, compact JSON, `ONDC:RET12` before `ONDC:RET16`.
    pub catalogues: Vec<(OndcDomain, Vec<u8>)>,
    /// The listings published, in the order given.
    pub exported: Vec<ListingId>,
    /// The listings not published, with why, in the order given.
    pub not_exported: Vec<NotExported>,
}

/// The catalogues of `listings`, each offered or withdrawn, and what could not be mapped.
pub(crate) fn assemble<'l>(
    input: &CatalogueInput<'_>,
    listings: impl IntoIterator<Item = (&'l Listing, Offer)>,
) -> CatalogueExport {
    let stock = StockIndex::new(input);
    let text = SellerText::new(input.seller);
    let Ok(mapped) = map_listings(
        input,
        &stock,
        &text,
        listings,
        |_, items: &mut Vec<Item>, item| {
            items.push(item.to_item());
            Ok::<(), Infallible>(())
        },
    );
    let catalogues = mapped
        .domains
        .into_iter()
        .map(|(domain, (items, serving))| {
            let mut on_search = on_search(input, domain, &serving);
            if let Some(provider) = on_search.message.catalog.providers.first_mut() {
                provider.items = items;
            }
            on_search
        })
        .collect();
    CatalogueExport {
        catalogues,
        exported: mapped.exported,
        not_exported: mapped.not_exported,
    }
}

/// Every listing mapped: each domain's items, as the caller keeps them, with the (location,
/// ONDC category) pairs they are served from; and the fate of every listing.
struct Mapped<'a, T> {
    domains: BTreeMap<OndcDomain, (T, Serving<'a>)>,
    exported: Vec<ListingId>,
    not_exported: Vec<NotExported>,
}

/// The (location, ONDC category) pairs a domain's items are served from.
type Serving<'a> = BTreeSet<(LocationId, &'a str)>;

/// Maps every listing, handing each item to `place` with its domain's items as soon as it is
/// made: no item outlives its turn, whether the caller keeps a record of it or its JSON.
fn map_listings<'a, 'l: 'a, T: Default, E>(
    input: &CatalogueInput<'a>,
    stock: &StockIndex<'_>,
    text: &'a SellerText,
    listings: impl IntoIterator<Item = (&'l Listing, Offer)>,
    mut place: impl FnMut(OndcDomain, &mut T, ItemView<'a>) -> Result<(), E>,
) -> Result<Mapped<'a, T>, E> {
    let listings = listings.into_iter();
    let mut domains: BTreeMap<OndcDomain, (T, Serving<'a>)> = BTreeMap::new();
    // Most listings of a seller export.
    let mut exported = Vec::with_capacity(listings.size_hint().0);
    let mut not_exported = Vec::new();
    let mut plans = Vec::new();
    for (listing, offer) in listings {
        match item_of(input, stock, text, &mut plans, listing, offer) {
            Ok((domain, item)) => {
                let (items, serving) = domains.entry(domain).or_default();
                serving.insert((item.location, item.category));
                place(domain, items, item)?;
                exported.push(listing.id());
            }
            Err(reason) => not_exported.push(NotExported {
                listing: listing.id(),
                sku: listing.sku().clone(),
                reason,
            }),
        }
    }
    Ok(Mapped {
        domains,
        exported,
        not_exported,
    })
}

/// Where each of the seller's SKUs ships from: of the cells it has at stock-holding locations
/// whose site the seller app knows, the one with the most units available at the export's
/// instant (the lowest location id among equals).
///
/// Its hash is haat-core's fast one: the keys are the seller's own SKUs, hashed twice a
/// listing (built, then looked up), where SipHash was a tenth of an export's time.
pub(crate) struct StockIndex<'s> {
    by_sku: FastHashMap<&'s Sku, (LocationId, u64)>,
}

impl<'s> StockIndex<'s> {
    fn new(input: &CatalogueInput<'s>) -> StockIndex<'s> {
        let seller = input.seller.seller;
        let known: BTreeSet<LocationId> = input
            .sites
            .keys()
            .copied()
            .filter(|&id| input.network.get(id).is_some_and(|l| l.holds_stock()))
            .collect();
        let mut by_sku: FastHashMap<&'s Sku, (LocationId, u64)> =
            FastHashMap::with_capacity_and_hasher(input.stock.cell_count(), Default::default());
        for (cell, key) in input.stock.cells() {
            let location = key.location();
            if key.seller() != seller || !known.contains(&location) {
                continue;
            }
            let here = (location, input.stock.cell_available(cell, input.now));
            let best = by_sku.entry(key.sku()).or_insert(here);
            if here.1 > best.1 || (here.1 == best.1 && here.0 < best.0) {
                *best = here;
            }
        }
        StockIndex { by_sku }
    }

    /// Where `sku` ships from and how many are available there: the location with the most
    /// available units (the lowest id among equals), or, with none available anywhere, the
    /// lowest-numbered location that has held it.
    fn place(&self, sku: &Sku) -> Option<(LocationId, u64)> {
        self.by_sku.get(sku).copied()
    }
}

/// An item's code: `4:<HSN>` in the fashion domain, `1:<EAN>` in the home domain.
#[derive(Clone, Debug)]
enum ItemCode<'a> {
    Hsn(&'a HsnCode),
    Ean(Cow<'a, str>),
}

impl fmt::Display for ItemCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemCode::Hsn(hsn) => write!(f, "4:{}", hsn.as_str()),
            ItemCode::Ean(ean) => write!(f, "1:{ean}"),
        }
    }
}

/// The fashion domain's item code is `4:<HSN>`, the HSN code of 4, 6, 8 or 10 digits.
fn hsn_code(content: &ListingContent) -> Result<ItemCode<'_>, Unmappable> {
    let digits = content.hsn.len();
    if matches!(digits, 4 | 6 | 8 | 10) {
        Ok(ItemCode::Hsn(&content.hsn))
    } else {
        Err(Unmappable::HsnLength {
            hsn: content.hsn,
            digits,
        })
    }
}

/// The home domain's item code is `1:<EAN>`: the listing's `ean`, 8 or 13 digits whose last
/// is the GS1 check digit.
fn ean_code(content: &ListingContent, domain: OndcDomain) -> Result<ItemCode<'_>, Unmappable> {
    let ean = match content.attributes.get("ean") {
        Some(value) => match value.as_text() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(value.to_string()),
        },
        None => return Err(Unmappable::NoEan { domain }),
    };
    if is_ean(&ean) {
        Ok(ItemCode::Ean(ean))
    } else {
        Err(Unmappable::InvalidEan {
            ean: ean.into_owned(),
        })
    }
}

/// Whether `text` is an EAN-8 or EAN-13 with a valid GS1 check digit: from the right, the
/// digits before the check digit weigh 3, 1, 3, ...; the check digit brings the sum to a
/// multiple of ten.
pub(crate) fn is_ean(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != text.len() || !matches!(digits.len(), 8 | 13) {
        return false;
    }
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check
}

/// ISO 3166-1 alpha-3 codes of the countries haat's sellers declare most.
fn alpha3(alpha2: &str) -> Option<&'static str> {
    Some(match alpha2.trim().to_ascii_uppercase().as_str() {
        "IN" | "IND" => "IND",
        "BD" | "BGD" => "BGD",
        "NP" | "NPL" => "NPL",
        "BT" | "BTN" => "BTN",
        "LK" | "LKA" => "LKA",
        "MM" | "MMR" => "MMR",
        "CN" | "CHN" => "CHN",
        "PK" | "PAK" => "PAK",
        _ => return None,
    })
}

/// The country of origin: a packaged commodity's declaration; otherwise India, where haat's
/// sellers make what its fashion and home categories hold.
fn origin(content: &ListingContent) -> Result<&'static str, Unmappable> {
    match content.packaged.as_deref() {
        Some(declared) => {
            alpha3(&declared.country_of_origin).ok_or_else(|| Unmappable::UnknownOrigin {
                country: declared.country_of_origin.clone(),
            })
        }
        None => Ok("IND"),
    }
}

/// The Legal Metrology declarations of a packaged commodity, as ONDC names them.
fn packaged_commodity(declared: &PackagedDeclarations) -> PackagedCommodity {
    let (manufacturer, address) = if declared.is_imported() && !declared.importer.is_empty() {
        (&declared.importer, &declared.importer_address)
    } else {
        (&declared.manufacturer_or_packer, &declared.address)
    };
    PackagedCommodity {
        manufacturer_or_packer_name: manufacturer.clone(),
        manufacturer_or_packer_address: address.clone(),
        common_or_generic_name_of_commodity: declared.generic_name.clone(),
        month_year_of_manufacture_packing_import: declared
            .manufactured
            .map(|m| format!("{:02}/{}", m.month(), m.year()))
            .unwrap_or_default(),
        imported_product_country_of_origin: None,
    }
}

/// What one unit of the item is: a piece, or a packaged quantity ONDC has a unit for.
fn measure(content: &ListingContent) -> Measure {
    let unit = |unit: &'static str, value: Word| Measure {
        unit: Word::Borrowed(unit),
        value,
    };
    match content.packaged.as_deref().map(|p| p.net_quantity) {
        Some(q) => match q.unit() {
            QuantityUnit::Gram => unit("gram", q.amount().normalize().to_string().into()),
            QuantityUnit::Kilogram => unit("kilogram", q.amount().normalize().to_string().into()),
            QuantityUnit::Millilitre => {
                unit("millilitre", q.amount().normalize().to_string().into())
            }
            QuantityUnit::Litre => unit("litre", q.amount().normalize().to_string().into()),
            _ => unit("unit", Word::Borrowed("1")),
        },
        None => unit("unit", Word::Borrowed("1")),
    }
}

/// The consumer-care contact as ONDC writes it: `name,email,phone`, the phone as digits.
pub(crate) fn consumer_care(seller: &SellerProfile) -> String {
    let care = &seller.consumer_care;
    format!("{},{},{}", care.name, care.email, phone_digits(&care.phone))
}

/// A phone number's digits, as ONDC's fields take it (`+91 33 2222 1234` → `03322221234`
/// would need the trunk prefix; haat sends the digits the seller gave, less a leading `+91`).
pub(crate) fn phone_digits(phone: &str) -> String {
    let trimmed = phone.trim();
    let national = trimmed.strip_prefix("+91").unwrap_or(trimmed);
    national.chars().filter(char::is_ascii_digit).collect()
}

fn text_attribute<'a>(content: &'a ListingContent, name: &str) -> Option<&'a str> {
    content
        .attributes
        .get(name)
        .and_then(|v| v.as_text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether an item is offered or withdrawn (ONDC's item `time.label`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Offer {
    /// On sale: `enable`.
    OnSale,
    /// Taken off sale: `disable`, nothing available.
    Withdrawn,
}

/// What every item of one seller repeats, written once per export.
pub(crate) struct SellerText {
    consumer_care: String,
    return_window: String,
    time_to_ship: String,
}

impl SellerText {
    fn new(seller: &SellerProfile) -> SellerText {
        SellerText {
            consumer_care: consumer_care(seller),
            return_window: days_duration(seller.terms.return_days),
            time_to_ship: hours_duration(seller.terms.time_to_ship_hours),
        }
    }
}

/// `listing` as an item of its ONDC domain, or why it cannot be one.
pub(crate) fn item_of<'a>(
    input: &CatalogueInput<'a>,
    stock: &StockIndex<'_>,
    text: &'a SellerText,
    plans: &mut Vec<AttributePlan<'a>>,
    listing: &'a Listing,
    offer: Offer,
) -> Result<(OndcDomain, ItemView<'a>), Unmappable> {
    if listing.seller() != input.seller.seller {
        return Err(Unmappable::OtherSeller);
    }
    let content = match (listing.live(), offer) {
        (Some(live), Offer::OnSale) if listing.is_active() => live,
        (Some(live), Offer::Withdrawn) => live,
        _ => {
            return Err(Unmappable::NotLive {
                status: listing.status(),
            });
        }
    };
    let category =
        input
            .taxonomy
            .get(&content.category)
            .ok_or_else(|| Unmappable::UnknownCategory {
                category: content.category.clone(),
            })?;
    let ondc: &OndcCategory = category.ondc().ok_or_else(|| Unmappable::NoOndcCategory {
        category: content.category.clone(),
    })?;
    let code = match ondc.domain() {
        OndcDomain::Ret12 => hsn_code(content)?,
        OndcDomain::Ret16 => ean_code(content, ondc.domain())?,
    };
    let plan = AttributePlan::of(plans, ondc, input.seller);
    let attributes = item_attributes(plan, content)?;
    let mrp = content.mrp.ok_or(Unmappable::NoMrp)?;
    let symbol = content.images.first().ok_or(Unmappable::NoImage)?;
    let origin = origin(content)?;
    let (location, available) =
        stock
            .place(&content.sku)
            .ok_or_else(|| Unmappable::NoLocation {
                sku: content.sku.clone(),
            })?;
    let terms = &input.seller.terms;
    let (name, long_desc) = match input.language {
        Language::English => (content.title.as_str(), content.description.as_str()),
        Language::Bengali => (
            text_attribute(content, "title_bn").unwrap_or(&content.title),
            text_attribute(content, "description_bn").unwrap_or(&content.description),
        ),
    };
    let long_desc = if long_desc.trim().is_empty() {
        name
    } else {
        long_desc
    };
    let in_stock = available > 0 && offer == Offer::OnSale;
    let maximum = if in_stock {
        available.min(u64::from(terms.max_per_order)).max(1)
    } else {
        0
    };
    let item = ItemView {
        listing: listing.id(),
        label: match offer {
            Offer::OnSale => "enable",
            Offer::Withdrawn => "disable",
        },
        updated: listing.updated_at().min(input.now),
        name,
        code,
        symbol,
        long_desc,
        images: &content.images,
        measure: measure(content),
        available: if in_stock { "99" } else { "0" },
        maximum,
        price: content.price,
        mrp,
        category: ondc.category(),
        location,
        terms,
        text,
        packaged: content.packaged.as_deref().map(packaged_commodity),
        origin,
        attributes,
    };
    Ok((ondc.domain(), item))
}

/// An item as the export maps it, borrowing the listing's, the taxonomy's and the seller's
/// text. The JSON path writes it as it is (`ItemView::write_json`, in `json`);
/// [`ItemView::to_item`] makes the owned [`Item`] of a [`CatalogueExport`]. Both write the same
/// JSON, byte for byte: tests hold them to it, on the scenario's sellers and on generated
/// listings.
pub(crate) struct ItemView<'a> {
    listing: ListingId,
    label: &'static str,
    updated: DateTime<Utc>,
    name: &'a str,
    code: ItemCode<'a>,
    symbol: &'a str,
    long_desc: &'a str,
    images: &'a [String],
    measure: Measure,
    available: &'static str,
    maximum: u64,
    price: Money,
    mrp: Money,
    category: &'a str,
    location: LocationId,
    terms: &'a SellerTerms,
    text: &'a SellerText,
    packaged: Option<PackagedCommodity>,
    origin: &'static str,
    attributes: AttributeList<'a>,
}

impl ItemView<'_> {
    /// The item as an owned record.
    pub(crate) fn to_item(&self) -> Item {
        let terms = self.terms;
        Item {
            id: self.listing.to_string(),
            time: Time {
                label: Word::Borrowed(self.label),
                timestamp: ondc_timestamp(self.updated),
            },
            descriptor: Descriptor {
                name: self.name.to_owned(),
                code: Some(self.code.to_string()),
                symbol: Some(self.symbol.to_owned()),
                short_desc: Some(self.name.to_owned()),
                long_desc: Some(self.long_desc.to_owned()),
                images: self.images.to_vec(),
                tags: Vec::new(),
            },
            quantity: Quantity {
                unitized: Unitized {
                    measure: self.measure.clone(),
                },
                available: Count {
                    count: Word::Borrowed(self.available),
                },
                maximum: Count {
                    count: self.maximum.to_string().into(),
                },
            },
            price: Price {
                currency: Word::Borrowed("INR"),
                value: ondc_amount(self.price),
                maximum_value: Some(ondc_amount(self.mrp)),
            },
            category_id: self.category.to_owned(),
            fulfillment_id: Word::Borrowed(DELIVERY_FULFILMENT),
            location_id: self.location.to_string(),
            returnable: terms.return_days > 0,
            cancellable: terms.cancellable,
            return_window: self.text.return_window.clone(),
            seller_pickup_return: terms.seller_pickup_return,
            time_to_ship: self.text.time_to_ship.clone(),
            available_on_cod: terms.cash_on_delivery,
            contact_details_consumer_care: self.text.consumer_care.clone(),
            statutory_reqs_packaged_commodities: self.packaged.clone(),
            tags: vec![
                Tag {
                    code: Word::Borrowed("origin"),
                    list: vec![TagEntry::new("country", self.origin)],
                },
                Tag {
                    code: Word::Borrowed("attribute"),
                    list: self
                        .attributes
                        .as_slice()
                        .iter()
                        .map(|(code, value)| TagEntry::new(*code, value.as_ref()))
                        .collect(),
                },
            ],
        }
    }
}

/// The context of a message answering `input.request` in `domain`.
pub(crate) fn context(
    app: &SellerApp,
    request: &Request,
    domain: &str,
    action: &str,
    now: DateTime<Utc>,
) -> Context {
    Context {
        domain: domain.to_owned(),
        country: "IND".to_owned(),
        city: request.city.clone(),
        action: action.to_owned(),
        core_version: CORE_VERSION.to_owned(),
        bap_id: request.bap_id.clone(),
        bap_uri: request.bap_uri.clone(),
        bpp_id: app.bpp_id.clone(),
        bpp_uri: app.bpp_uri.clone(),
        transaction_id: request.transaction_id.clone(),
        message_id: request.message_id.clone(),
        timestamp: ondc_timestamp(now),
        ttl: Some("PT30S".to_owned()),
    }
}

fn entry(code: &'static str, value: impl Into<String>) -> TagEntry {
    TagEntry::new(code, value)
}

/// Where the seller delivers: anywhere in India for a GST-registered seller (`12`, pan-India);
/// its own state's PIN codes for a non-GST seller, who may not sell outside it (`11`,
/// inter-city by PIN code).
fn serviceability(registration: GstRegistration, location: LocationId, category: &str) -> Tag {
    let (kind, value, unit) = match registration {
        GstRegistration::Registered { .. } => ("12", "IND".to_owned(), "country"),
        GstRegistration::NonGst { state } => {
            let pins: Vec<String> = PinDirectory::india()
                .pin_codes_of_state(state)
                .iter()
                .map(|p| p.to_string())
                .collect();
            ("11", pins.join(","), "pincode")
        }
    };
    Tag {
        code: Word::Borrowed("serviceability"),
        list: vec![
            entry("location", location.to_string()),
            entry("category", category),
            entry("type", kind),
            entry("val", value),
            entry("unit", unit),
        ],
    }
}

/// Open every day, all day: the network's locations take orders around the clock.
fn timing(location: LocationId) -> Tag {
    Tag {
        code: Word::Borrowed("timing"),
        list: vec![
            entry("type", "All"),
            entry("location", location.to_string()),
            entry("day_from", "1"),
            entry("day_to", "7"),
            entry("time_from", "0000"),
            entry("time_to", "2359"),
        ],
    }
}

fn location(input: &CatalogueInput<'_>, id: LocationId) -> Option<Location> {
    let place = input.network.get(id)?;
    let site = input.sites.get(&id)?;
    Some(Location {
        id: id.to_string(),
        time: LocationTime {
            label: "enable".to_owned(),
            timestamp: ondc_timestamp(input.seller.enabled_since.min(input.now)),
            days: "1,2,3,4,5,6,7".to_owned(),
            schedule: Schedule {
                holidays: Vec::new(),
            },
            range: Range {
                start: "0000".to_owned(),
                end: "2359".to_owned(),
            },
        },
        gps: site.gps.clone(),
        address: Address {
            locality: site.locality.clone(),
            street: site.street.clone(),
            city: place.district().name().to_owned(),
            area_code: place.pin().to_string(),
            state: place.state().name().to_owned(),
        },
    })
}

/// The `on_search` of `domain` for items served from `serving`, its provider's items left
/// for the caller to fill.
fn on_search(
    input: &CatalogueInput<'_>,
    domain: OndcDomain,
    serving: &BTreeSet<(LocationId, &str)>,
) -> OnSearch {
    let app = input.app;
    let seller = input.seller;
    let location_ids: BTreeSet<LocationId> = serving.iter().map(|(l, _)| *l).collect();
    let locations = location_ids
        .iter()
        .filter_map(|&id| location(input, id))
        .collect();
    let mut tags: Vec<Tag> = serving
        .iter()
        .map(|(location, category)| serviceability(seller.registration, *location, category))
        .collect();
    tags.extend(location_ids.iter().map(|&id| timing(id)));
    let name = match (input.language, &seller.name_bn) {
        (Language::Bengali, Some(bn)) => bn.clone(),
        _ => seller.name.clone(),
    };
    let provider = Provider {
        id: seller.seller.to_string(),
        time: Time {
            label: Word::Borrowed("enable"),
            timestamp: ondc_timestamp(seller.enabled_since.min(input.now)),
        },
        fulfillments: vec![ProviderFulfillment {
            id: DELIVERY_FULFILMENT.to_owned(),
            kind: "Delivery".to_owned(),
            contact: Contact {
                phone: phone_digits(&seller.consumer_care.phone),
                email: seller.consumer_care.email.clone(),
            },
        }],
        descriptor: Descriptor {
            name,
            code: None,
            symbol: Some(seller.symbol.clone()),
            short_desc: Some(seller.short_desc.clone()),
            long_desc: Some(seller.long_desc.clone()),
            images: vec![seller.symbol.clone()],
            tags: Vec::new(),
        },
        ttl: "P1D".to_owned(),
        locations,
        items: Vec::new(),
        tags,
    };
    OnSearch {
        context: context(app, input.request, domain.code(), "on_search", input.now),
        message: OnSearchMessage {
            catalog: Catalog {
                fulfillments: vec![FulfillmentType {
                    id: DELIVERY_FULFILMENT.to_owned(),
                    kind: "Delivery".to_owned(),
                }],
                descriptor: app_descriptor(app),
                providers: vec![provider],
            },
        },
    }
}

/// The seller app's descriptor, with its `bpp_terms`.
fn app_descriptor(app: &SellerApp) -> Descriptor {
    Descriptor {
        name: app.name.clone(),
        code: None,
        symbol: Some(app.symbol.clone()),
        short_desc: Some(app.short_desc.clone()),
        long_desc: Some(app.long_desc.clone()),
        images: vec![app.symbol.clone()],
        tags: vec![Tag {
            code: Word::Borrowed("bpp_terms"),
            list: vec![entry("np_type", app.np_type.code())],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::is_ean;
    use proptest::prelude::*;

    #[test]
    fn ean_check_digits() {
        assert!(is_ean("4006381333931"));
        assert!(is_ean("73513537"));
        assert!(!is_ean("4006381333932"));
        assert!(!is_ean("400638133393"));
        assert!(!is_ean("40063813339 1"));
    }

    proptest! {
        #[test]
        fn the_gs1_check_digit_is_the_only_one_accepted(body in "[0-9]{12}", wrong in 1u32..10) {
            let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
            let sum: u32 = digits.iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 }).sum();
            let check = (10 - sum % 10) % 10;
            let right = format!("{}{}", body, check);
            let other = format!("{}{}", body, (check + wrong) % 10);
            prop_assert!(is_ean(&right));
            prop_assert!(!is_ean(&other));
        }
    }
}
