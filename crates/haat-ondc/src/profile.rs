//! What the seller app knows besides haat's aggregates: who it is on the network, each
//! seller's store and terms, and where the network's locations are.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use haat_catalogue::GstRegistration;
use haat_core::{LocationId, SellerId};

/// Whether the seller app is a marketplace or an inventory seller node (ONDC's `np_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NpType {
    /// A marketplace seller node: it lists many sellers' goods.
    Msn,
    /// An inventory seller node: it sells its own.
    Isn,
}

impl NpType {
    /// The code ONDC writes (`MSN`).
    pub fn code(self) -> &'static str {
        match self {
            NpType::Msn => "MSN",
            NpType::Isn => "ISN",
        }
    }
}

/// The seller app on the network (the BPP): its subscriber id, URL and descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerApp {
    /// Its subscriber id (`sellers.haat.example.in`).
    pub bpp_id: String,
    /// Its callback URL.
    pub bpp_uri: String,
    /// Its name.
    pub name: String,
    /// Its logo's URL.
    pub symbol: String,
    /// A short description.
    pub short_desc: String,
    /// A long description.
    pub long_desc: String,
    /// Marketplace or inventory node.
    pub np_type: NpType,
}

impl SellerApp {
    /// haat's own reference seller app, `sellers.haat.example.in`: the one the examples, the
    /// tests and the benchmarks publish through.
    ///
    /// ```
    /// let app = haat_ondc::SellerApp::haat_reference();
    /// assert_eq!(app.bpp_id, "sellers.haat.example.in");
    /// assert_eq!(app.np_type.code(), "MSN");
    /// ```
    pub fn haat_reference() -> SellerApp {
        SellerApp {
            bpp_id: "sellers.haat.example.in".into(),
            bpp_uri: "https://sellers.haat.example.in/ondc".into(),
            name: "haat sellers".into(),
            symbol: "https://sellers.haat.example.in/logo.png".into(),
            short_desc: "West Bengal's weavers, artisans and traders".into(),
            long_desc: "A marketplace seller app for West Bengal's small sellers".into(),
            np_type: NpType::Msn,
        }
    }
}

/// Who a buyer app is and what it asked: the parts of a request's context an answer repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The buyer app's subscriber id.
    pub bap_id: String,
    /// Its URL.
    pub bap_uri: String,
    /// The city code asked for (`std:033`).
    pub city: String,
    /// The transaction.
    pub transaction_id: String,
    /// The message being answered.
    pub message_id: String,
}

/// The consumer-care contact ONDC asks of every item: a name, an e-mail and a phone number
/// (10 or 11 digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerCare {
    /// Whom to ask for.
    pub name: String,
    /// An e-mail address.
    pub email: String,
    /// A phone number: its digits are sent (10 or 11 of them).
    pub phone: String,
}

/// How a seller sells on the network: the promises every item repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellerTerms {
    /// Hours from order to dispatch.
    pub time_to_ship_hours: u16,
    /// Days after delivery a return is accepted; 0: not returnable.
    pub return_days: u16,
    /// Whether a buyer may cancel before dispatch.
    pub cancellable: bool,
    /// Whether the seller collects returns itself.
    pub seller_pickup_return: bool,
    /// Whether cash on delivery is offered.
    pub cash_on_delivery: bool,
    /// The most pieces of one item one order may take.
    pub max_per_order: u32,
}

impl Default for SellerTerms {
    /// Ships in 48 hours, 7-day returns collected by the seller, cancellable, no cash on
    /// delivery, up to 10 pieces an order.
    fn default() -> SellerTerms {
        SellerTerms {
            time_to_ship_hours: 48,
            return_days: 7,
            cancellable: true,
            seller_pickup_return: true,
            cash_on_delivery: false,
            max_per_order: 10,
        }
    }
}

/// A seller as the network sees it: its store, contacts, defaults and terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerProfile {
    /// The seller.
    pub seller: SellerId,
    /// Its store's name.
    pub name: String,
    /// Its store's name in Bengali, if it has one.
    pub name_bn: Option<String>,
    /// Its logo's URL.
    pub symbol: String,
    /// A short description of the store.
    pub short_desc: String,
    /// A long description.
    pub long_desc: String,
    /// Its GST standing: a non-GST seller serves its own state only.
    pub registration: GstRegistration,
    /// Consumer care.
    pub consumer_care: ConsumerCare,
    /// The brand of its goods when a listing names none (a weaving house's own name).
    pub brand: Option<String>,
    /// Size charts by ONDC category (`Sarees` → URL), for listings that give none.
    pub size_charts: BTreeMap<String, String>,
    /// Terms.
    pub terms: SellerTerms,
    /// Since when it sells on the network.
    pub enabled_since: DateTime<Utc>,
}

/// Where a fulfilment-network location is, as ONDC asks: coordinates and street address (the
/// network knows its PIN code, district and state).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// `latitude,longitude`, e.g. `22.5726,88.3639`.
    pub gps: String,
    /// The street.
    pub street: String,
    /// The locality.
    pub locality: String,
}

/// The sites of the network's locations, by id.
pub type Sites = BTreeMap<LocationId, Site>;

/// Where a seller app serves the pages an ONDC catalogue links to: store logos and the size
/// chart of each ONDC fashion category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Storefront {
    /// The seller app's public address, without a trailing slash
    /// (`https://sellers.haat.example.in`).
    pub base_url: String,
}

impl Storefront {
    /// A seller's logo: `{base}/sellers/{id}/logo.png`.
    pub fn logo(&self, seller: SellerId) -> String {
        format!("{}/sellers/{seller}/logo.png", self.base_url)
    }

    /// The seller app's size chart for an ONDC category: `{base}/size-charts/{slug}.png`, the
    /// slug the category's name in lower case with runs of other characters as `-`
    /// (`Kurtas & Kurta Sets` → `kurtas-kurta-sets`).
    pub fn size_chart(&self, category: &str) -> String {
        let mut slug = String::with_capacity(category.len());
        for c in category.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        format!(
            "{}/size-charts/{}.png",
            self.base_url,
            slug.trim_matches('-')
        )
    }
}

/// The ONDC fashion categories haat's taxonomy maps to, whose items need a size chart.
const SIZED_CATEGORIES: [&str; 3] = ["Sarees", "Kurtas & Kurta Sets", "Blouses"];

/// A seller's profile on the network from its record in haat: its display name as store name
/// and brand, its GST standing and home state from KYC, consumer care at its KYC e-mail and
/// registered mobile, the storefront's logo and size charts, and `terms`. `None` until the
/// seller has been activated (it has no KYC, or has never sold).
///
/// ```
/// # use haat_ondc::{Storefront, SellerTerms};
/// let nobody = haat_seller::Seller::default();
/// let shop = Storefront { base_url: "https://sellers.haat.example.in".into() };
/// assert!(haat_ondc::seller_profile(&nobody, &shop, SellerTerms::default()).is_none());
/// assert_eq!(shop.size_chart("Kurtas & Kurta Sets"),
///     "https://sellers.haat.example.in/size-charts/kurtas-kurta-sets.png");
/// ```
pub fn seller_profile(
    seller: &haat_seller::Seller,
    storefront: &Storefront,
    terms: SellerTerms,
) -> Option<SellerProfile> {
    let id = seller.id()?;
    let name = seller.display_name()?.to_owned();
    let kyc = seller.kyc()?;
    let registration = match &kyc.gst {
        haat_seller::GstStatus::Registered(gstin) => GstRegistration::Registered {
            state: gstin.state_code(),
        },
        haat_seller::GstStatus::NonGst(enrolment) => GstRegistration::NonGst {
            state: enrolment.state_code(),
        },
    };
    let enabled_since = seller.activated_at()?;
    let phone = seller.mobile()?.expose().to_owned();
    Some(SellerProfile {
        seller: id,
        name_bn: None,
        symbol: storefront.logo(id),
        short_desc: name.clone(),
        long_desc: name.clone(),
        registration,
        consumer_care: ConsumerCare {
            name: name.clone(),
            email: kyc.email.as_str().to_owned(),
            phone,
        },
        brand: Some(name.clone()),
        size_charts: SIZED_CATEGORIES
            .iter()
            .map(|c| ((*c).to_owned(), storefront.size_chart(c)))
            .collect(),
        terms,
        enabled_since,
        name,
    })
}
