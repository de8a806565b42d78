//! The showcase sellers, as data: who they are, how big, how many listings, how they sell.
//! Every other seller is drawn; a showcase seller's profile fixes what would be drawn, and the
//! scenario reads it in one place per step, never as a special case by seller number.

use haat_seller::{InclusionTag, WorkforceRole};

use crate::products::Trade;

/// How many listings a seller creates.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ListingPlan {
    /// `total` over its life: enough in its first year that the second year's adds grow its
    /// listings by the scenario's listing growth, each year's created within `window_days` of
    /// the year's start (or of its activation).
    Life { total: u32, window_days: u32 },
    /// These many in each financial year, spread over the whole year.
    PerYear(&'static [u64]),
}

/// A showcase seller, fixed rather than drawn.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Profile {
    /// The business's name.
    pub(crate) name: &'static str,
    /// Its PIN code (in its district).
    pub(crate) pin: &'static str,
    /// What it makes or sells.
    pub(crate) trade: Trade,
    /// Its inclusion tags.
    pub(crate) tags: &'static [InclusionTag],
    /// Its size, per mille of an average seller: scales its demand.
    pub(crate) size: u32,
    /// Its demand, per mille, by financial year index (1,000 is the usual).
    pub(crate) demand: [u32; 8],
    /// Its listings.
    pub(crate) listings: ListingPlan,
    /// The workforce it declares (`None`: drawn as for anyone of its trade).
    pub(crate) workforce: Option<&'static [(WorkforceRole, u32)]>,
    /// Whether it enrols in the programme whatever the draw.
    pub(crate) always_enrols: bool,
}

/// The Nadia saree house of Shantipur: a woman-led weaving house of 25 weavers.
const NADIA: Profile = Profile {
    name: "Shantipur Saree House",
    pin: "741404",
    trade: Trade::Weaver,
    tags: &[InclusionTag::Weaver, InclusionTag::WomanLed],
    size: 1_200,
    demand: [1_000; 8],
    listings: ListingPlan::Life {
        total: 300,
        window_days: 120,
    },
    workforce: Some(&[
        (WorkforceRole::Weaver, 25),
        (WorkforceRole::Helper, 4),
        (WorkforceRole::Packer, 2),
    ]),
    always_enrols: true,
};

/// The Barasat trader: a home store whose sales more than double in its second year.
const BARASAT: Profile = Profile {
    name: "Barasat Home Store",
    pin: "700124",
    trade: Trade::Trader,
    tags: &[],
    size: 3_000,
    demand: [1_000, 2_600, 3_000, 1_000, 1_000, 1_000, 1_000, 1_000],
    listings: ListingPlan::PerYear(&[30, 12, 10]),
    workforce: None,
    always_enrols: false,
};

/// The showcase sellers, by seller index: the plan places them first (the Nadia house in
/// Nadia, the Barasat trader in North 24 Parganas).
const SHOWCASE: [Profile; crate::plan::SHOWCASE] = [NADIA, BARASAT];

/// Seller `index`'s profile, if it is a showcase seller.
pub(crate) fn of(index: u32) -> Option<&'static Profile> {
    SHOWCASE.get(index as usize)
}
