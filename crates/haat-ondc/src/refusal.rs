//! Why a listing is not in an exported catalogue: reported, never silently dropped.

use haat_catalogue::{CategoryId, HsnCode, ListingStatus, OndcDomain};
use haat_core::{ListingId, Sku};

/// Why a listing could not be published on ONDC.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unmappable {
    /// The listing is not on sale.
    #[error("the listing is {status:?}, not active")]
    NotLive {
        /// Its status.
        status: ListingStatus,
    },
    /// The listing belongs to another seller than the catalogue's.
    #[error("the listing belongs to another seller")]
    OtherSeller,
    /// The listing's category is not in the taxonomy.
    #[error("category '{category}' is not in the taxonomy")]
    UnknownCategory {
        /// The category.
        category: CategoryId,
    },
    /// No ONDC category of the domains haat publishes to fits the listing's category.
    #[error("category '{category}' has no ONDC counterpart")]
    NoOndcCategory {
        /// The category.
        category: CategoryId,
    },
    /// A mandatory attribute of the ONDC category has no value.
    #[error("ONDC category '{ondc_category}' needs attribute '{code}', which the listing lacks")]
    MissingAttribute {
        /// The ONDC category.
        ondc_category: String,
        /// The attribute's ONDC code.
        code: &'static str,
    },
    /// An attribute's value is not one ONDC accepts.
    #[error("attribute '{code}' is '{value}', which ONDC does not accept: {expected}")]
    InvalidAttribute {
        /// The attribute's ONDC code.
        code: &'static str,
        /// The value.
        value: String,
        /// What ONDC accepts.
        expected: &'static str,
    },
    /// ONDC takes a colour as `#RRGGBB`; the listing names its colour, but gives no
    /// `colour_hex` and haat knows no hex for the name.
    #[error("colour '{name}' has no hex haat knows; the listing needs its colour_hex (#RRGGBB)")]
    UnknownColour {
        /// The colour's name, as the listing gives it.
        name: String,
    },
    /// A home-domain item needs an EAN as its code, and the listing has none. haat never
    /// makes one up.
    #[error(
        "{} needs an EAN (GTIN-8 or GTIN-13) as the item code, and the listing has none",
        .domain.code()
    )]
    NoEan {
        /// The domain.
        domain: OndcDomain,
    },
    /// The listing's EAN is not 8 or 13 digits with a valid check digit.
    #[error("EAN '{ean}' is not 8 or 13 digits with a valid check digit")]
    InvalidEan {
        /// The value given.
        ean: String,
    },
    /// The fashion domain's code is `4:<HSN>` with 4, 6, 8 or 10 digits.
    #[error("HSN code {hsn} has {digits} digits; ONDC takes 4, 6, 8 or 10")]
    HsnLength {
        /// The code.
        hsn: HsnCode,
        /// Its length.
        digits: usize,
    },
    /// ONDC sends the MRP of every item.
    #[error("the listing has no MRP")]
    NoMrp,
    /// ONDC shows every item with an image.
    #[error("the listing has no image")]
    NoImage,
    /// The listing's stock is at no location of the network the seller app knows the site of,
    /// so the item has no location to ship from.
    #[error("no stock of SKU {sku} at a location whose site is known")]
    NoLocation {
        /// The SKU.
        sku: Sku,
    },
    /// The declared country of origin has no ISO 3166-1 alpha-3 code haat knows.
    #[error("country of origin '{country}' has no alpha-3 code haat knows")]
    UnknownOrigin {
        /// The declared country.
        country: String,
    },
}

/// A listing left out of an export, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotExported {
    /// The listing.
    pub listing: ListingId,
    /// Its SKU.
    pub sku: Sku,
    /// Why.
    pub reason: Unmappable,
}
