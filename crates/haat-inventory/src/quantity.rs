//! Stock keys, cell handles, buckets and the quantities of one cell.

use std::fmt;

use haat_core::{LocationId, SellerId, Sku};
use serde::{Deserialize, Serialize};

/// What stock is counted per: a seller's SKU at one location.
///
/// A SKU is unique per seller, not across the marketplace, so the seller is part of the key.
///
/// ```
/// use haat_core::{LocationId, SellerId};
/// use haat_inventory::StockKey;
/// let key = StockKey::new(SellerId::new(1), "TANT-01".parse()?, LocationId::new(7));
/// assert_eq!(key.sku().as_str(), "TANT-01");
/// assert_eq!(key.to_string(), "seller 1 SKU TANT-01 at location 7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StockKey {
    seller: SellerId,
    sku: Sku,
    location: LocationId,
}

impl StockKey {
    /// The key of `seller`'s `sku` at `location`.
    pub fn new(seller: SellerId, sku: Sku, location: LocationId) -> Self {
        Self {
            seller,
            sku,
            location,
        }
    }

    /// The seller who owns the stock.
    pub fn seller(&self) -> SellerId {
        self.seller
    }

    /// The seller's SKU.
    pub fn sku(&self) -> &Sku {
        &self.sku
    }

    /// Where the stock is.
    pub fn location(&self) -> LocationId {
        self.location
    }

    /// The same SKU at another location.
    pub fn at(&self, location: LocationId) -> StockKey {
        StockKey {
            seller: self.seller,
            sku: self.sku.clone(),
            location,
        }
    }
}

impl fmt::Display for StockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seller {} SKU {} at location {}",
            self.seller, self.sku, self.location
        )
    }
}

/// A dense handle to one [`StockKey`]'s cell in a [`StockLedger`](crate::StockLedger).
///
/// The ledger hands these out ([`StockLedger::cell`](crate::StockLedger::cell)); a caller on a
/// hot path holds them instead of hashing a key per operation. A handle is only meaningful for
/// the ledger that issued it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId(pub(crate) u32);

impl CellId {
    /// The handle's index (cells are numbered from 0 in the order they were first seen).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A place units can be in, as seen by one cell; movements move units between buckets.
///
/// The on-hand buckets are `available`, `reserved`, `damaged`, `quality_check` and
/// `safety_stock`. `incoming` (expected on purchase orders) and `in_transit` (on the way here
/// from another location) are not yet on hand. `shipped` and `written_off` count units that
/// have left for good (net of returns), so every unit ever received is in exactly one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
// The numbers are positions in a cell's array of counts: the buckets a reservation and its
// commit touch come first, so they share a cache line with the cell's other hot fields.
pub enum Bucket {
    /// Expected on a purchase order, not yet received.
    Incoming = 3,
    /// On its way here from another location.
    InTransit = 4,
    /// Received, waiting for a quality check.
    QualityCheck = 5,
    /// On hand and free to promise.
    Available = 0,
    /// On hand and held for a reservation.
    Reserved = 1,
    /// On hand but damaged.
    Damaged = 6,
    /// On hand but kept back as a buffer.
    SafetyStock = 7,
    /// Shipped to buyers (net of returns and cancellations).
    Shipped = 2,
    /// Written off (damaged units disposed of).
    WrittenOff = 8,
}

impl Bucket {
    /// Every bucket, in a fixed order.
    pub const ALL: [Bucket; 9] = [
        Bucket::Incoming,
        Bucket::InTransit,
        Bucket::QualityCheck,
        Bucket::Available,
        Bucket::Reserved,
        Bucket::Damaged,
        Bucket::SafetyStock,
        Bucket::Shipped,
        Bucket::WrittenOff,
    ];

    /// The bucket's snake-case name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Incoming => "incoming",
            Bucket::InTransit => "in_transit",
            Bucket::QualityCheck => "quality_check",
            Bucket::Available => "available",
            Bucket::Reserved => "reserved",
            Bucket::Damaged => "damaged",
            Bucket::SafetyStock => "safety_stock",
            Bucket::Shipped => "shipped",
            Bucket::WrittenOff => "written_off",
        }
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The stock of one [`StockKey`]: how many units are in each [`Bucket`].
///
/// On hand = available + reserved + unavailable, where unavailable = damaged + quality check +
/// safety stock. Incoming and in transit are not on hand; shipped and written off have left.
/// Counts are unsigned: the ledger refuses any operation that would take a bucket below zero.
///
/// ```
/// use haat_inventory::Quantities;
/// let q = Quantities::default();
/// assert_eq!(q.on_hand(), 0);
/// assert_eq!(q.available(), 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quantities {
    pub(crate) buckets: [u64; 9],
}

impl Quantities {
    /// Units in `bucket`.
    pub fn get(&self, bucket: Bucket) -> u64 {
        self.buckets[bucket as usize]
    }

    /// Units free to promise (ignoring expiry of holds; see
    /// [`StockLedger::available`](crate::StockLedger::available) for availability at an instant).
    pub fn available(&self) -> u64 {
        self.get(Bucket::Available)
    }

    /// Units held for reservations.
    pub fn reserved(&self) -> u64 {
        self.get(Bucket::Reserved)
    }

    /// Damaged units on hand.
    pub fn damaged(&self) -> u64 {
        self.get(Bucket::Damaged)
    }

    /// Units waiting for a quality check.
    pub fn quality_check(&self) -> u64 {
        self.get(Bucket::QualityCheck)
    }

    /// Units kept back as safety stock.
    pub fn safety_stock(&self) -> u64 {
        self.get(Bucket::SafetyStock)
    }

    /// Units expected on purchase orders.
    pub fn incoming(&self) -> u64 {
        self.get(Bucket::Incoming)
    }

    /// Units on their way here from another location.
    pub fn in_transit(&self) -> u64 {
        self.get(Bucket::InTransit)
    }

    /// Units shipped to buyers, net of returns and cancellations.
    pub fn shipped(&self) -> u64 {
        self.get(Bucket::Shipped)
    }

    /// Units written off.
    pub fn written_off(&self) -> u64 {
        self.get(Bucket::WrittenOff)
    }

    /// Units on hand but not promisable: damaged + quality check + safety stock.
    pub fn unavailable(&self) -> u64 {
        self.damaged()
            .saturating_add(self.quality_check())
            .saturating_add(self.safety_stock())
    }

    /// Units on hand: available + reserved + unavailable.
    pub fn on_hand(&self) -> u64 {
        self.available()
            .saturating_add(self.reserved())
            .saturating_add(self.unavailable())
    }

    /// Whether every bucket is zero.
    pub fn is_empty(&self) -> bool {
        self.buckets.iter().all(|&n| n == 0)
    }
}
