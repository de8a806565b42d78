//! Allocation: which locations fulfil an order.
//!
//! `order.rs` holds the request and answer types, `ranking.rs` ranks locations for a
//! destination by the policy's tiers, `search.rs` allocates each line over a ranking; this
//! module holds the stock trait, the [`Allocator`] and [`allocate`].

mod order;
mod ranking;
mod search;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use haat_core::{LocationId, PinCode, PinDirectory, SellerId, Sku, StateCode};

use crate::{Location, Network};

pub use order::{
    Allocation, AllocationRequest, OrderLine, Reason, SellerConstraint, Shipment, Shortfall,
    ShortfallCause, SplitPolicy,
};
use ranking::{Ranked, TIERS, rank_into, tiers_for};
use search::run;

/// How much of a seller's SKU a location can promise at `now`.
///
/// Allocation reads stock through this trait, so it works over the stock ledger, a snapshot, or a
/// test's table alike. An implementation answers with the units available to promise at `now`:
/// on hand less reservations that have not expired by `now` and less anything unavailable
/// (damaged, in quality check, safety stock). A location that has never seen the SKU has 0.
///
/// ```
/// use std::collections::BTreeMap;
/// use chrono::{DateTime, Utc};
/// use haat_core::{LocationId, SellerId, Sku};
/// use haat_inventory::AvailableStock;
///
/// struct Table(BTreeMap<(SellerId, Sku, LocationId), u64>);
///
/// impl AvailableStock for Table {
///     fn available(&self, seller: SellerId, sku: &Sku, location: LocationId, _now: DateTime<Utc>) -> u64 {
///         self.0.get(&(seller, sku.clone(), location)).copied().unwrap_or(0)
///     }
/// }
///
/// let now = DateTime::<Utc>::UNIX_EPOCH;
/// let sku: Sku = "SAREE-TANT-01".parse()?;
/// let table = Table(BTreeMap::from([((SellerId::new(1), sku.clone(), LocationId::new(7)), 12)]));
/// assert_eq!(table.available(SellerId::new(1), &sku, LocationId::new(7), now), 12);
/// assert_eq!(table.available(SellerId::new(1), &sku, LocationId::new(8), now), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait AvailableStock {
    /// Units of `seller`'s `sku` at `location` that can be promised at `now`.
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64;

    /// Units of `seller`'s `sku` at each of `locations`, written to the same positions of
    /// `out` (which is as long as `locations`).
    ///
    /// Allocation asks for a run of candidate locations at a time through this method; the
    /// default asks [`AvailableStock::available`] once per location. Override it when the
    /// SKU's stock can be found once for all locations (one hash lookup instead of many).
    fn available_many(
        &self,
        seller: SellerId,
        sku: &Sku,
        locations: &[LocationId],
        now: DateTime<Utc>,
        out: &mut [u64],
    ) {
        for (slot, &location) in out.iter_mut().zip(locations) {
            *slot = self.available(seller, sku, location, now);
        }
    }

    /// Lists the locations that hold any of `seller`'s `sku`, ascending by id, each with the
    /// units it can promise at `now`, into `out` (cleared first), and answers `true`; or
    /// answers `false` when this stock cannot list them.
    ///
    /// A location left out must have nothing to promise. Allocation then looks only at the
    /// listed locations instead of asking every candidate location in turn (a SKU is usually
    /// stocked at a few of a network's dozens of locations); the answer is the same. The
    /// default lists nothing and answers `false`.
    fn stocked(
        &self,
        seller: SellerId,
        sku: &Sku,
        now: DateTime<Utc>,
        out: &mut Vec<(LocationId, u64)>,
    ) -> bool {
        let _ = (seller, sku, now);
        out.clear();
        false
    }
}

impl<T: AvailableStock + ?Sized> AvailableStock for &T {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        (**self).available(seller, sku, location, now)
    }

    fn available_many(
        &self,
        seller: SellerId,
        sku: &Sku,
        locations: &[LocationId],
        now: DateTime<Utc>,
        out: &mut [u64],
    ) {
        (**self).available_many(seller, sku, locations, now, out);
    }

    fn stocked(
        &self,
        seller: SellerId,
        sku: &Sku,
        now: DateTime<Utc>,
        out: &mut Vec<(LocationId, u64)>,
    ) -> bool {
        (**self).stocked(seller, sku, now, out)
    }
}

/// Allocation with the candidate rankings of every destination worked out once.
///
/// Building one ranks the network's stock-holding locations for every PIN code of every state
/// the network has stock in (and every PIN code a last-mile hub serves), sharing one ranking
/// among destinations that rank alike; everywhere else ranks every location alike. After
/// that, allocating reads a ranking, asks for stock, and writes the answer; with
/// [`Allocator::allocate_into`] and a reused [`Allocation`] it allocates no memory.
///
/// The allocator borrows the network; build a new one after the network changes.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use haat_core::{LocationId, SellerId, Sku};
/// use haat_inventory::{AllocationRequest, Allocator, AvailableStock, Network, Reason};
///
/// /// Ten of everything at the Kalyani fulfilment centre.
/// struct Kalyani;
/// impl AvailableStock for Kalyani {
///     fn available(&self, _: SellerId, _: &Sku, location: LocationId, _: DateTime<Utc>) -> u64 {
///         if location == LocationId::new(1004) { 10 } else { 0 }
///     }
/// }
///
/// let network = Network::west_bengal_reference()?;
/// let allocator = Allocator::new(&network);
/// let request = AllocationRequest::new("741235".parse()?).line(SellerId::new(1), "TANT-01".parse()?, 3);
/// let allocation = allocator.allocate(&Kalyani, &request, DateTime::<Utc>::UNIX_EPOCH);
/// let shipment = allocation.shipments()[0];
/// assert_eq!((shipment.location(), shipment.quantity()), (LocationId::new(1004), 3));
/// assert!(allocation.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Allocator<'n> {
    network: &'n Network,
    ids: Vec<LocationId>,
    states: Vec<StateCode>,
    rankings: Vec<[usize; TIERS + 1]>,
    by_pin: HashMap<PinCode, usize>,
    /// The ranking of a destination no location shares a district or state with.
    elsewhere: usize,
}

impl<'n> Allocator<'n> {
    /// Ranks `network`'s locations for every destination.
    pub fn new(network: &'n Network) -> Self {
        let candidates: Vec<&Location> = network.locations().filter(|l| l.holds_stock()).collect();
        let directory = PinDirectory::india();
        let mut destinations: BTreeSet<PinCode> = network.served_pin_codes().collect();
        let candidate_states: BTreeSet<StateCode> = candidates.iter().map(|c| c.state()).collect();
        for state in candidate_states {
            destinations.extend(directory.pin_codes_of_state(state));
        }
        let mut allocator = Self {
            network,
            ids: Vec::new(),
            states: Vec::new(),
            rankings: Vec::new(),
            by_pin: HashMap::with_capacity(destinations.len()),
            elsewhere: 0,
        };
        let mut seen: HashMap<Vec<usize>, usize> = HashMap::new();
        let everywhere_else = vec![TIERS - 1; candidates.len()];
        let mut push = |allocator: &mut Self, tiers: Vec<usize>| -> usize {
            if let Some(&index) = seen.get(&tiers) {
                return index;
            }
            let start = allocator.ids.len();
            let mut bounds = [start; TIERS + 1];
            for tier in 0..TIERS {
                for (c, _) in candidates.iter().zip(&tiers).filter(|(_, t)| **t == tier) {
                    allocator.ids.push(c.id());
                    allocator.states.push(c.state());
                }
                bounds[tier + 1] = allocator.ids.len();
            }
            let index = allocator.rankings.len();
            allocator.rankings.push(bounds);
            seen.insert(tiers, index);
            index
        };
        allocator.elsewhere = push(&mut allocator, everywhere_else);
        for pin in destinations {
            let index = push(&mut allocator, tiers_for(network, &candidates, pin));
            allocator.by_pin.insert(pin, index);
        }
        allocator
    }

    /// The network it allocates over.
    pub const fn network(&self) -> &'n Network {
        self.network
    }

    /// Allocates `request` over the stock `stock` reports at `now`; see [`allocate`] for the
    /// policy.
    pub fn allocate(
        &self,
        stock: &impl AvailableStock,
        request: &AllocationRequest,
        now: DateTime<Utc>,
    ) -> Allocation {
        let mut out = Allocation::default();
        self.allocate_into(stock, request, now, &mut out);
        out
    }

    /// Like [`Allocator::allocate`], writing into `out` (cleared first) to reuse its buffers.
    pub fn allocate_into(
        &self,
        stock: &impl AvailableStock,
        request: &AllocationRequest,
        now: DateTime<Utc>,
        out: &mut Allocation,
    ) {
        let index = self
            .by_pin
            .get(&request.destination)
            .copied()
            .unwrap_or(self.elsewhere);
        let bounds = self.rankings.get(index).copied().unwrap_or_default();
        let ranked = Ranked {
            ids: &self.ids,
            states: &self.states,
            bounds,
        };
        run(ranked, stock, request, now, out);
    }
}

/// Allocates an order's lines to the network's stock-holding locations (fulfilment centres and
/// metro hubs), by an explicit, deterministic policy.
///
/// For each line, in order, the candidates are the locations that may ship it (for a seller
/// with [`SellerConstraint::IntraStateOnly`], those in its state — and none if the destination
/// is outside it), ranked by these criteria, each deciding only between locations equal on
/// the ones before:
///
/// 1. the location supplies a last-mile hub that delivers to the destination PIN code
///    ([`Reason::FeedsServingHub`]);
/// 2. it is in the destination's district ([`Reason::SameDistrict`]);
/// 3. it is in the destination's state ([`Reason::SameState`]);
/// 4. it has the most stock available at `now` ([`Reason::MostStock`]);
/// 5. it has the lowest id ([`Reason::LowestId`]).
///
/// The line ships whole from the best-ranked location that has all of it. A location lacking
/// the stock is never picked. When none has it all: under [`SplitPolicy::AcrossLocations`] the
/// line is split, taking everything from the best-ranked location with any stock, then the
/// next, until the line is met; under [`SplitPolicy::Never`] it ships from the one location
/// with the most (ties to the better-ranked). What is still missing is a [`Shortfall`] for the
/// seller's SKU. Lines of the same SKU draw on the same stock: a later line sees what the
/// earlier ones took. Each shipment names the first criterion that set its location apart
/// from every other location that could have shipped.
///
/// This builds the rankings for the one destination; to allocate many orders, build an
/// [`Allocator`] once.
///
/// ```
/// use std::collections::BTreeMap;
/// use chrono::{DateTime, Utc};
/// use haat_core::{LocationId, SellerId, Sku, StateCode};
/// use haat_inventory::{allocate, AllocationRequest, AvailableStock, Network, Reason,
///     SellerConstraint, ShortfallCause};
///
/// struct Table(BTreeMap<u64, u64>); // location id → units of the one SKU
/// impl AvailableStock for Table {
///     fn available(&self, _: SellerId, _: &Sku, location: LocationId, _: DateTime<Utc>) -> u64 {
///         self.0.get(&location.get()).copied().unwrap_or(0)
///     }
/// }
///
/// let network = Network::west_bengal_reference()?;
/// // Durgapur's fulfilment centre (1005) has 50; a Kolkata metro hub (2001) has 4.
/// let stock = Table(BTreeMap::from([(1005, 50), (2001, 4)]));
/// let now = DateTime::<Utc>::UNIX_EPOCH;
/// let seller = SellerId::new(9);
/// let kolkata = "700001".parse()?;
///
/// let two = AllocationRequest::new(kolkata).line(seller, "TANT-01".parse()?, 2);
/// let shipment = allocate(&network, &stock, &two, now).shipments()[0];
/// assert_eq!(shipment.location(), LocationId::new(2001));
///
/// let six = AllocationRequest::new(kolkata).line(seller, "TANT-01".parse()?, 6);
/// let shipment = allocate(&network, &stock, &six, now).shipments()[0];
/// assert_eq!((shipment.location(), shipment.reason()), (LocationId::new(1005), Reason::SameState));
///
/// // A seller of Odisha without GST registration cannot sell to Kolkata.
/// let odisha = StateCode::new(21).ok_or("no state")?;
/// let refused = six.constrain(seller, SellerConstraint::IntraStateOnly { state: odisha });
/// let allocation = allocate(&network, &stock, &refused, now);
/// assert_eq!(allocation.shortfalls()[0].cause(), ShortfallCause::OutsideSellerState);
/// assert_eq!(allocation.shortfalls()[0].allocatable(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocate(
    network: &Network,
    stock: &impl AvailableStock,
    request: &AllocationRequest,
    now: DateTime<Utc>,
) -> Allocation {
    let candidates: Vec<&Location> = network.locations().filter(|l| l.holds_stock()).collect();
    let mut ids = Vec::with_capacity(candidates.len());
    let mut states = Vec::with_capacity(candidates.len());
    let bounds = rank_into(
        network,
        &candidates,
        request.destination,
        &mut ids,
        &mut states,
    );
    let mut out = Allocation::default();
    run(
        Ranked {
            ids: &ids,
            states: &states,
            bounds,
        },
        stock,
        request,
        now,
        &mut out,
    );
    out
}
