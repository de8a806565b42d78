//! The showcase sellers, as data: who they are, how big, how many listings, how they sell.
//! Every other seller is drawn; a showcase seller's profile fixes what would be drawn, and the
//! scenario reads it in one place per step, never as a special case by seller number.

use haat_seller::{InclusionTag, WorkforceRole};

use crate::products::Trade;
use crate::{Rate, ScenarioConfig};

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

/// How well a seller's listings sell: each listing draws its appeal (per mille of an average
/// listing's orders) from `values`, weighted by `weights`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Appeal {
    pub(crate) values: &'static [u32],
    pub(crate) weights: &'static [u64],
}

/// Most listings: a long tail, and one in twelve selling three times the average.
pub(crate) const USUAL_APPEAL: Appeal = Appeal {
    values: &[300, 700, 1_000, 1_500, 3_000],
    weights: &[20, 30, 25, 17, 8],
};

/// What becomes of a seller's orders: the shares cancelled (by whom), dispatched late and
/// returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Outcomes {
    pub(crate) buyer_cancellation: Rate,
    pub(crate) marketplace_cancellation: Rate,
    pub(crate) seller_cancellation: Rate,
    pub(crate) late_dispatch: Rate,
    pub(crate) returns: Rate,
}

impl Outcomes {
    /// The scenario's rates, for every seller without a profile of their own.
    pub(crate) fn of(config: &ScenarioConfig) -> Outcomes {
        Outcomes {
            buyer_cancellation: config.buyer_cancellation_rate,
            marketplace_cancellation: config.marketplace_cancellation_rate,
            seller_cancellation: config.seller_cancellation_rate,
            late_dispatch: config.late_dispatch_rate,
            returns: config.return_rate,
        }
    }
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
    /// How well its listings sell.
    pub(crate) appeal: Appeal,
    /// What becomes of its orders (`None`: the scenario's rates).
    pub(crate) outcomes: Option<Outcomes>,
}

/// The Nadia saree house of Shantipur: a woman-led weaving house of 25 weavers, and the
/// reference picture's headline. 10,000 listings over its two years (its listings grow as the
/// scenario's do), one in thirty a bestseller that sells eight times what an average listing
/// does, the rest a long tail; its buyers seldom cancel or return. About 300 of its listings
/// are high-performing (`haat_metrics::HighPerformance`'s default rule) in the latest year:
/// `tests/it/showcase.rs` holds it to 250 to 350.
const NADIA: Profile = Profile {
    name: "Shantipur Saree House",
    pin: "741404",
    trade: Trade::Weaver,
    tags: &[InclusionTag::Weaver, InclusionTag::WomanLed],
    size: 1_200,
    demand: [1_000; 8],
    listings: ListingPlan::Life {
        total: 10_000,
        window_days: 120,
    },
    workforce: Some(&[
        (WorkforceRole::Weaver, 25),
        (WorkforceRole::Helper, 4),
        (WorkforceRole::Packer, 2),
    ]),
    always_enrols: true,
    appeal: Appeal {
        values: &[50, 200, 600, 1_500, 8_000],
        weights: &[400, 300, 170, 95, 35],
    },
    outcomes: Some(Outcomes {
        buyer_cancellation: Rate::basis_points_of(200),
        marketplace_cancellation: Rate::basis_points_of(50),
        seller_cancellation: Rate::basis_points_of(50),
        late_dispatch: Rate::percent(3),
        returns: Rate::percent(2),
    }),
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
    appeal: USUAL_APPEAL,
    outcomes: None,
};

/// The showcase sellers, by seller index: the plan places them first (the Nadia house in
/// Nadia, the Barasat trader in North 24 Parganas).
const SHOWCASE: [Profile; crate::plan::SHOWCASE] = [NADIA, BARASAT];

/// Seller `index`'s profile, if it is a showcase seller.
pub(crate) fn of(index: u32) -> Option<&'static Profile> {
    SHOWCASE.get(index as usize)
}
