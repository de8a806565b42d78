//! What allocation is asked and what it answers: the request, its lines and constraints, and
//! the shipments and shortfalls of the answer.

use std::fmt;

use haat_core::{LocationId, PinCode, SellerId, Sku, StateCode};
use serde::{Deserialize, Serialize};

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
    pub(super) seller: SellerId,
    pub(super) sku: Sku,
    pub(super) quantity: u64,
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
    pub(super) const fn only_state(self) -> Option<StateCode> {
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
    pub(super) destination: PinCode,
    pub(super) lines: Vec<OrderLine>,
    pub(super) constraints: Vec<(SellerId, SellerConstraint)>,
    pub(super) split: SplitPolicy,
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

    /// Empties the request for another order to `destination` — no lines, no constraints,
    /// [`SplitPolicy::Never`], as [`AllocationRequest::new`] — keeping its buffers, so a
    /// caller allocating order after order builds no new vectors.
    pub fn reset(&mut self, destination: PinCode) {
        self.destination = destination;
        self.lines.clear();
        self.constraints.clear();
        self.split = SplitPolicy::Never;
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
    pub(super) line: usize,
    pub(super) location: LocationId,
    pub(super) quantity: u64,
    pub(super) reason: Reason,
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
    pub(super) seller: SellerId,
    pub(super) sku: Sku,
    pub(super) requested: u64,
    pub(super) allocatable: u64,
    pub(super) cause: ShortfallCause,
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
    pub(super) shipments: Vec<Shipment>,
    pub(super) shortfalls: Vec<Shortfall>,
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
