//! Which category of ONDC's retail catalogue a taxonomy category maps to.
//!
//! The Open Network for Digital Commerce names its retail categories per domain (`ONDC:RET12`
//! fashion, `ONDC:RET16` home and kitchen) and asks each item for its category's mandatory
//! attributes. A category of the taxonomy says here which ONDC category its listings are
//! published under, and where each mandatory ONDC attribute comes from when it is not simply
//! the listing's attribute of the same name: a value the category fixes (every saree is
//! `gender` `female`, `size` `Free Size`) or another attribute of the listing (a Dokra piece's
//! `metal` is its ONDC `material`). The wire format itself is not here: `haat-ondc` writes it.

use serde::{Deserialize, Serialize};

/// An ONDC retail domain haat publishes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OndcDomain {
    /// `ONDC:RET12`, fashion: sarees, apparel, fabric.
    #[serde(rename = "ONDC:RET12")]
    Ret12,
    /// `ONDC:RET16`, home and kitchen: home decor, furnishing, handicrafts.
    #[serde(rename = "ONDC:RET16")]
    Ret16,
}

impl OndcDomain {
    /// The domain's code as ONDC writes it (`ONDC:RET12`).
    ///
    /// ```
    /// use haat_catalogue::OndcDomain;
    /// assert_eq!(OndcDomain::Ret16.code(), "ONDC:RET16");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            OndcDomain::Ret12 => "ONDC:RET12",
            OndcDomain::Ret16 => "ONDC:RET16",
        }
    }
}

/// Where the value of one ONDC attribute of a category comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", content = "value", rename_all = "snake_case")]
pub enum OndcSource {
    /// The same value for every listing of the category (a saree's `gender` is `female`).
    Fixed(String),
    /// The listing's attribute of this name (a Dokra piece's `metal` gives ONDC `material`).
    Attribute(String),
}

/// The ONDC category a taxonomy category's listings are published under.
///
/// ```
/// use haat_catalogue::{OndcCategory, OndcDomain, OndcSource, Taxonomy};
/// let taxonomy = Taxonomy::west_bengal_default();
/// let tant = taxonomy.get(&"textiles/sarees/handloom/tant".parse()?).unwrap();
/// let ondc = tant.ondc().unwrap();
/// assert_eq!((ondc.domain(), ondc.category()), (OndcDomain::Ret12, "Sarees"));
/// assert_eq!(ondc.source("gender"), Some(&OndcSource::Fixed("female".into())));
/// assert_eq!(ondc.source("fabric"), None); // the listing's own `fabric`
/// // Packaged food is not published on ONDC's fashion or home domains.
/// assert!(taxonomy.get(&"food/tea/darjeeling".parse()?).unwrap().ondc().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OndcCategory {
    domain: OndcDomain,
    category: String,
    sources: Vec<(String, OndcSource)>,
}

impl OndcCategory {
    /// The ONDC category `category` (one of ONDC's names, e.g. `Sarees`) of `domain`.
    pub fn new(domain: OndcDomain, category: &str) -> OndcCategory {
        OndcCategory {
            domain,
            category: category.to_owned(),
            sources: Vec::new(),
        }
    }

    /// Every listing of the category sends `value` for the ONDC attribute `code`.
    pub fn fixed(mut self, code: &str, value: &str) -> OndcCategory {
        self.set(code, OndcSource::Fixed(value.to_owned()));
        self
    }

    /// The ONDC attribute `code` takes the listing's attribute `attribute`.
    pub fn from_attribute(mut self, code: &str, attribute: &str) -> OndcCategory {
        self.set(code, OndcSource::Attribute(attribute.to_owned()));
        self
    }

    fn set(&mut self, code: &str, source: OndcSource) {
        match self.sources.iter_mut().find(|(c, _)| c == code) {
            Some((_, slot)) => *slot = source,
            None => self.sources.push((code.to_owned(), source)),
        }
    }

    /// The domain.
    pub fn domain(&self) -> OndcDomain {
        self.domain
    }

    /// The ONDC category name (`Sarees`, `Kurtas & Kurta Sets`, `Home Decor`).
    pub fn category(&self) -> &str {
        &self.category
    }

    /// Where the ONDC attribute `code` comes from, if not from the listing's attribute of the
    /// same name.
    pub fn source(&self, code: &str) -> Option<&OndcSource> {
        self.sources
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, source)| source)
    }

    /// Every attribute source the category sets, in the order set.
    pub fn sources(&self) -> &[(String, OndcSource)] {
        &self.sources
    }
}

/// What a category definition says about ONDC: nothing (inherit the parent's), a category, or
/// that none fits.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) enum OndcMapping {
    /// Whatever the parent says.
    #[default]
    Inherit,
    /// Published under this ONDC category.
    Category(OndcCategory),
    /// Not published on the domains haat speaks.
    NotOnOndc,
}
