//! Allocation: which locations fulfil an order.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::{DateTime, Utc};
use haat_core::{LocationId, PinCode, PinDirectory, SellerId, Sku, StateCode};
use serde::{Deserialize, Serialize};

use crate::{Location, LocationKind, Network};

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
}

/// The seller's side of an order line: what to ship and how many.
///
/// ```
/// use haat_core::SellerId;
/// use haat_inventory::OrderLine;
/// let line = OrderLine::new(SellerId::new(7), "TANT-RED-01".parse()?, 2);
/// assert_eq!(line.quantity(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderLine {
    seller: SellerId,
    sku: Sku,
    quantity: u64,
}

impl OrderLine {
    /// `quantity` units of `seller`'s `sku`.
    pub fn new(seller: SellerId, sku: Sku, quantity: u64) -> Self {
        Self {
            seller,
            sku,
            quantity,
        }
    }

    /// The seller.
    pub const fn seller(&self) -> SellerId {
        self.seller
    }

    /// The seller's SKU.
    pub const fn sku(&self) -> &Sku {
        &self.sku
    }

    /// Units ordered.
    pub const fn quantity(&self) -> u64 {
        self.quantity
    }
}

/// A restriction on where a seller's lines may ship from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SellerConstraint {
    /// A seller without GST registration sells within its own state only: its lines ship only
    /// from locations in `state`, and only to destinations in `state`.
    IntraStateOnly {
        /// The seller's state.
        state: StateCode,
    },
}

impl SellerConstraint {
    /// The state the seller's locations must be in, if the constraint says so.
    const fn only_state(self) -> Option<StateCode> {
        match self {
            Self::IntraStateOnly { state } => Some(state),
        }
    }
}

/// Whether one line may ship from several locations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitPolicy {
    /// Every line ships from one location.
    #[default]
    Never,
    /// A line that no single location can ship whole may ship from several.
    AcrossLocations,
}

/// An order to allocate: its lines, where it goes, the sellers' constraints and the split
/// policy.
///
/// ```
/// use haat_core::{SellerId, StateCode};
/// use haat_inventory::{AllocationRequest, SellerConstraint, SplitPolicy};
///
/// let request = AllocationRequest::new("741101".parse()?)
///     .line(SellerId::new(1), "TANT-RED-01".parse()?, 2)
///     .line(SellerId::new(2), "DOKRA-OWL".parse()?, 1)
///     .constrain(SellerId::new(2), SellerConstraint::IntraStateOnly { state: StateCode::WEST_BENGAL })
///     .split(SplitPolicy::AcrossLocations);
/// assert_eq!(request.lines().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRequest {
    destination: PinCode,
    lines: Vec<OrderLine>,
    constraints: Vec<(SellerId, SellerConstraint)>,
    split: SplitPolicy,
}

impl AllocationRequest {
    /// An order to `destination` with no lines yet, no constraints, and [`SplitPolicy::Never`].
    pub fn new(destination: PinCode) -> Self {
        Self {
            destination,
            lines: Vec::new(),
            constraints: Vec::new(),
            split: SplitPolicy::Never,
        }
    }

    /// Adds a line: `quantity` of `seller`'s `sku`.
    #[must_use]
    pub fn line(mut self, seller: SellerId, sku: Sku, quantity: u64) -> Self {
        self.lines.push(OrderLine::new(seller, sku, quantity));
        self
    }

    /// Adds lines.
    #[must_use]
    pub fn lines_from(mut self, lines: impl IntoIterator<Item = OrderLine>) -> Self {
        self.lines.extend(lines);
        self
    }

    /// Restricts `seller`'s lines (a seller has at most one constraint; a second replaces the
    /// first).
    #[must_use]
    pub fn constrain(mut self, seller: SellerId, constraint: SellerConstraint) -> Self {
        self.constraints.retain(|(s, _)| *s != seller);
        self.constraints.push((seller, constraint));
        self
    }

    /// Sets the split policy.
    #[must_use]
    pub fn split(mut self, split: SplitPolicy) -> Self {
        self.split = split;
        self
    }

    /// Where the order goes.
    pub const fn destination(&self) -> PinCode {
        self.destination
    }

    /// The order's lines, in order.
    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }

    /// The constraint on `seller`'s lines, if any.
    pub fn constraint(&self, seller: SellerId) -> Option<SellerConstraint> {
        self.constraints
            .iter()
            .find(|(s, _)| *s == seller)
            .map(|(_, c)| *c)
    }

    /// The split policy.
    pub const fn split_policy(&self) -> SplitPolicy {
        self.split
    }
}

/// The criterion of the allocation policy that chose a location over the others that could
/// have shipped (see [`allocate`] for the policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// (1) It supplies a last-mile hub that delivers to the destination.
    FeedsServingHub,
    /// (2) It is in the destination's district.
    SameDistrict,
    /// (3) It is in the destination's state.
    SameState,
    /// (4) It had the most stock among the locations otherwise equal.
    MostStock,
    /// (5) It had the lowest id among locations equal on everything else.
    LowestId,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FeedsServingHub => "feeds the last-mile hub serving the destination",
            Self::SameDistrict => "in the destination's district",
            Self::SameState => "in the destination's state",
            Self::MostStock => "most stock",
            Self::LowestId => "lowest id",
        })
    }
}

/// One location shipping (part of) one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shipment {
    line: usize,
    location: LocationId,
    quantity: u64,
    reason: Reason,
}

impl Shipment {
    /// The line's index in the request.
    pub const fn line(&self) -> usize {
        self.line
    }

    /// The location that ships.
    pub const fn location(&self) -> LocationId {
        self.location
    }

    /// Units it ships.
    pub const fn quantity(&self) -> u64 {
        self.quantity
    }

    /// Why it was chosen.
    pub const fn reason(&self) -> Reason {
        self.reason
    }
}

/// Why a SKU could not be allocated in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShortfallCause {
    /// The locations it may ship from do not hold enough, together.
    NotEnoughStock,
    /// Together they hold enough, but no single location does and the request does not allow
    /// splitting.
    WouldSplit,
    /// The seller sells within its state only and the destination is outside it (or is not in
    /// the PIN code directory).
    OutsideSellerState,
}

impl fmt::Display for ShortfallCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotEnoughStock => "not enough stock",
            Self::WouldSplit => "no single location has it all and the order may not split",
            Self::OutsideSellerState => "the seller sells within its state only",
        })
    }
}

/// A SKU the order cannot have in full: a typed answer, not an error.
///
/// `requested` sums every line of the seller's SKU; `allocatable` is what the allocation ships
/// of it, so `requested - allocatable` units are missing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shortfall {
    seller: SellerId,
    sku: Sku,
    requested: u64,
    allocatable: u64,
    cause: ShortfallCause,
}

impl Shortfall {
    /// The seller.
    pub const fn seller(&self) -> SellerId {
        self.seller
    }

    /// The SKU.
    pub const fn sku(&self) -> &Sku {
        &self.sku
    }

    /// Units ordered, over every line of this SKU.
    pub const fn requested(&self) -> u64 {
        self.requested
    }

    /// Units the allocation ships.
    pub const fn allocatable(&self) -> u64 {
        self.allocatable
    }

    /// Units missing: `requested - allocatable`.
    pub const fn missing(&self) -> u64 {
        self.requested.saturating_sub(self.allocatable)
    }

    /// Why.
    pub const fn cause(&self) -> ShortfallCause {
        self.cause
    }
}

/// The answer to an [`AllocationRequest`]: which location ships how many of each line and
/// why, and a [`Shortfall`] for every SKU that cannot be had in full.
///
/// An `Allocation` can be reused for the next request with [`Allocator::allocate_into`], which
/// keeps its buffers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    shipments: Vec<Shipment>,
    shortfalls: Vec<Shortfall>,
}

impl Allocation {
    /// Every shipment, by line and then in the order chosen.
    pub fn shipments(&self) -> &[Shipment] {
        &self.shipments
    }

    /// The shipments of line `line`.
    pub fn shipments_of(&self, line: usize) -> impl Iterator<Item = &Shipment> {
        self.shipments.iter().filter(move |s| s.line == line)
    }

    /// Units allocated to line `line`.
    pub fn allocated(&self, line: usize) -> u64 {
        self.shipments_of(line).map(|s| s.quantity).sum()
    }

    /// The SKUs short, in the order they first appear in the request.
    pub fn shortfalls(&self) -> &[Shortfall] {
        &self.shortfalls
    }

    /// The shortfall of `seller`'s `sku`, if any.
    pub fn shortfall(&self, seller: SellerId, sku: &Sku) -> Option<&Shortfall> {
        self.shortfalls
            .iter()
            .find(|s| s.seller == seller && s.sku == *sku)
    }

    /// Whether every line is allocated in full.
    pub fn is_complete(&self) -> bool {
        self.shortfalls.is_empty()
    }

    /// Empties the allocation, keeping its buffers.
    pub fn clear(&mut self) {
        self.shipments.clear();
        self.shortfalls.clear();
    }
}

/// Tiers of the policy's location criteria: (1) feeds a serving last-mile hub, (2) same
/// district, (3) same state, and the rest.
const TIERS: usize = 4;
/// Availability is asked for this many locations at a time, into a buffer on the stack.
const CHUNK: usize = 64;

const fn tier_reason(tier: usize) -> Reason {
    match tier {
        0 => Reason::FeedsServingHub,
        1 => Reason::SameDistrict,
        2 => Reason::SameState,
        _ => Reason::MostStock,
    }
}

/// The stock-holding locations ranked for one destination: `ids[bounds[t]..bounds[t + 1]]` is
/// tier `t`, ascending by id.
#[derive(Clone, Copy)]
struct Ranked<'a> {
    ids: &'a [LocationId],
    states: &'a [StateCode],
    bounds: [usize; TIERS + 1],
}

/// Ranks `candidates` (stock-holding locations, ascending by id) for `destination` into
/// `ids`/`states`, returning the tier bounds relative to the start of the run it appends.
fn rank_into(
    network: &Network,
    candidates: &[&Location],
    destination: PinCode,
    ids: &mut Vec<LocationId>,
    states: &mut Vec<StateCode>,
) -> [usize; TIERS + 1] {
    let tiers = tiers_for(network, candidates, destination);
    let start = ids.len();
    let mut bounds = [start; TIERS + 1];
    for tier in 0..TIERS {
        for (location, _) in candidates.iter().zip(&tiers).filter(|(_, t)| **t == tier) {
            ids.push(location.id());
            states.push(location.state());
        }
        bounds[tier + 1] = ids.len();
    }
    bounds
}

/// The tier of each candidate for `destination`.
fn tiers_for(network: &Network, candidates: &[&Location], destination: PinCode) -> Vec<usize> {
    let place = PinDirectory::india().lookup(destination);
    let (districts, states) = place.map_or((&[][..], &[][..]), |p| (p.districts(), p.states()));
    let feeds = |id: LocationId| {
        network.serving_hubs(destination).iter().any(|hub| {
            network.get(*hub).is_some_and(|h| {
                matches!(h.kind(), LocationKind::LastMileHub { fed_by, .. } if fed_by.contains(&id))
            })
        })
    };
    candidates
        .iter()
        .map(|c| {
            if feeds(c.id()) {
                0
            } else if districts.contains(&c.district()) {
                1
            } else if states.contains(&c.state()) {
                2
            } else {
                3
            }
        })
        .collect()
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

/// What one line is, while it is being allocated.
struct LineJob<'r> {
    request: &'r AllocationRequest,
    index: usize,
    line: &'r OrderLine,
    /// Locations must be in this state.
    only_state: Option<StateCode>,
    /// Earlier lines of the same SKU exist: subtract what they took.
    repeat: bool,
}

fn run(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    request: &AllocationRequest,
    now: DateTime<Utc>,
    out: &mut Allocation,
) {
    out.clear();
    let destination_states = PinDirectory::india()
        .lookup(request.destination)
        .map_or(&[][..], |p| p.states());
    let mut any_repeat = false;
    for (index, line) in request.lines.iter().enumerate() {
        if line.quantity == 0 {
            continue;
        }
        let only_state = request
            .constraint(line.seller)
            .and_then(SellerConstraint::only_state);
        let repeat = request.lines[..index]
            .iter()
            .any(|l| l.seller == line.seller && l.sku == line.sku);
        any_repeat |= repeat;
        let job = LineJob {
            request,
            index,
            line,
            only_state,
            repeat,
        };
        let (allocated, cause) = match only_state {
            Some(state) if !destination_states.contains(&state) => {
                (0, ShortfallCause::OutsideSellerState)
            }
            _ => allocate_line(ranked, stock, request, &job, now, out),
        };
        if allocated < line.quantity {
            out.shortfalls.push(Shortfall {
                seller: line.seller,
                sku: line.sku.clone(),
                requested: line.quantity,
                allocatable: allocated,
                cause,
            });
        }
    }
    if any_repeat && !out.shortfalls.is_empty() {
        merge_shortfalls(request, out);
    }
}

/// Turns per-line shortfalls into one per SKU, counting every line of the SKU.
fn merge_shortfalls(request: &AllocationRequest, out: &mut Allocation) {
    let per_line = std::mem::take(&mut out.shortfalls);
    for (index, line) in request.lines.iter().enumerate() {
        let same = |l: &OrderLine| l.seller == line.seller && l.sku == line.sku;
        if request.lines[..index].iter().any(same) {
            continue;
        }
        let mut causes = per_line
            .iter()
            .filter(|s| s.seller == line.seller && s.sku == line.sku)
            .map(|s| s.cause);
        let Some(first) = causes.next() else { continue };
        let cause = if first == ShortfallCause::NotEnoughStock
            || causes.any(|c| c == ShortfallCause::NotEnoughStock)
        {
            ShortfallCause::NotEnoughStock
        } else {
            first
        };
        let lines = || request.lines.iter().enumerate().filter(|(_, l)| same(l));
        let requested = lines().map(|(_, l)| l.quantity).sum();
        let allocatable = lines().map(|(i, _)| out.allocated(i)).sum();
        out.shortfalls.push(Shortfall {
            seller: line.seller,
            sku: line.sku.clone(),
            requested,
            allocatable,
            cause,
        });
    }
}

/// Calls `visit(position, tier, available)` for every location of `tier` that may ship `job`'s
/// line, with what it has left for the line.
fn scan(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    job: &LineJob<'_>,
    shipments: &[Shipment],
    tier: usize,
    now: DateTime<Utc>,
    mut visit: impl FnMut(usize, u64),
) {
    let (Some(&start), Some(&end)) = (ranked.bounds.get(tier), ranked.bounds.get(tier + 1)) else {
        return;
    };
    let mut buffer = [0u64; CHUNK];
    let mut from = start;
    while from < end {
        let to = end.min(from + CHUNK);
        let (Some(ids), Some(states)) = (ranked.ids.get(from..to), ranked.states.get(from..to))
        else {
            return;
        };
        let counts = &mut buffer[..to - from];
        stock.available_many(job.line.seller, &job.line.sku, ids, now, counts);
        if job.only_state.is_none() && !job.repeat {
            // The common case, kept tight: every location may ship, nothing taken yet.
            for (offset, &count) in counts.iter().enumerate() {
                visit(from + offset, count);
            }
            from = to;
            continue;
        }
        for (offset, ((&id, &state), &count)) in
            ids.iter().zip(states).zip(counts.iter()).enumerate()
        {
            if job.only_state.is_some_and(|only| only != state) {
                continue;
            }
            let count = if job.repeat {
                count.saturating_sub(taken(job.request, shipments, job.line, id))
            } else {
                count
            };
            visit(from + offset, count);
        }
        from = to;
    }
}

/// Units of `line`'s SKU already allocated from `location` in this request.
fn taken(
    request: &AllocationRequest,
    shipments: &[Shipment],
    line: &OrderLine,
    location: LocationId,
) -> u64 {
    shipments
        .iter()
        .filter(|s| {
            s.location == location
                && request
                    .lines
                    .get(s.line)
                    .is_some_and(|l| l.seller == line.seller && l.sku == line.sku)
        })
        .map(|s| s.quantity)
        .sum()
}

/// The best location of one tier: its position and stock, how many locations could ship, and
/// how many of those had the same stock as the best.
#[derive(Default)]
struct Best {
    best: Option<(usize, u64)>,
    contenders: usize,
    ties: usize,
}

impl Best {
    /// Considers a location with `count` units; candidates arrive in rank order, so the first
    /// of equals stays.
    fn offer(&mut self, position: usize, count: u64) {
        self.contenders += 1;
        match self.best {
            Some((_, best)) if count < best => {}
            Some((_, best)) if count == best => self.ties += 1,
            _ => {
                self.best = Some((position, count));
                self.ties = 1;
            }
        }
    }

    /// Why the best was chosen among the tier's contenders.
    fn reason(&self, tier: usize) -> Reason {
        if self.contenders == 1 {
            tier_reason(tier)
        } else if self.ties == 1 {
            Reason::MostStock
        } else {
            Reason::LowestId
        }
    }
}

/// Allocates one line; returns the units allocated and, should that fall short, why.
fn allocate_line(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    request: &AllocationRequest,
    job: &LineJob<'_>,
    now: DateTime<Utc>,
    out: &mut Allocation,
) -> (u64, ShortfallCause) {
    let wanted = job.line.quantity;
    // The common case: the first tier with a location holding the whole line decides.
    for tier in 0..TIERS {
        let mut whole = Best::default();
        scan(
            ranked,
            stock,
            job,
            &out.shipments,
            tier,
            now,
            |position, count| {
                if count >= wanted {
                    whole.offer(position, count);
                }
            },
        );
        if let Some((position, _)) = whole.best {
            push(out, ranked, job, position, wanted, whole.reason(tier));
            return (wanted, ShortfallCause::NotEnoughStock);
        }
    }
    // No location holds it all: look again for the total and the location with the most,
    // and how many share that most (overall and in its tier).
    let mut total: u64 = 0;
    let mut most: Option<(usize, u64, usize)> = None;
    let mut most_ties = 0usize;
    let mut most_tier_ties = 0usize;
    for tier in 0..TIERS {
        scan(
            ranked,
            stock,
            job,
            &out.shipments,
            tier,
            now,
            |position, count| {
                total = total.saturating_add(count);
                if count == 0 {
                    return;
                }
                match most {
                    Some((_, best, _)) if count < best => {}
                    Some((_, best, best_tier)) if count == best => {
                        most_ties += 1;
                        if best_tier == tier {
                            most_tier_ties += 1;
                        }
                    }
                    _ => {
                        most = Some((position, count, tier));
                        most_ties = 1;
                        most_tier_ties = 1;
                    }
                }
            },
        );
    }
    let cause = if total >= wanted {
        ShortfallCause::WouldSplit
    } else {
        ShortfallCause::NotEnoughStock
    };
    match request.split {
        SplitPolicy::Never => {
            let Some((position, count, tier)) = most else {
                return (0, cause);
            };
            let reason = if most_ties == 1 {
                Reason::MostStock
            } else if most_tier_ties == 1 && tier + 1 < TIERS {
                tier_reason(tier)
            } else {
                Reason::LowestId
            };
            push(out, ranked, job, position, count, reason);
            (count, cause)
        }
        SplitPolicy::AcrossLocations => {
            let split_job = LineJob {
                request: job.request,
                index: job.index,
                line: job.line,
                only_state: job.only_state,
                repeat: true,
            };
            let mut remaining = wanted;
            for tier in 0..TIERS {
                while remaining > 0 {
                    let mut best = Best::default();
                    scan(
                        ranked,
                        stock,
                        &split_job,
                        &out.shipments,
                        tier,
                        now,
                        |position, count| {
                            if count > 0 {
                                best.offer(position, count);
                            }
                        },
                    );
                    let Some((position, count)) = best.best else {
                        break;
                    };
                    let quantity = count.min(remaining);
                    push(out, ranked, job, position, quantity, best.reason(tier));
                    remaining -= quantity;
                }
            }
            (wanted - remaining, ShortfallCause::NotEnoughStock)
        }
    }
}

fn push(
    out: &mut Allocation,
    ranked: Ranked<'_>,
    job: &LineJob<'_>,
    position: usize,
    quantity: u64,
    reason: Reason,
) {
    if let Some(&location) = ranked.ids.get(position) {
        out.shipments.push(Shipment {
            line: job.index,
            location,
            quantity,
            reason,
        });
    }
}
