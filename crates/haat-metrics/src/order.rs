//! Order records: what happened to each order line, as the metrics read it.

use chrono::{DateTime, Utc};
use haat_core::{ListingId, Money, OrderId, PinCode, SellerId};
use serde::{Deserialize, Serialize};

/// Who cancelled an order. Only seller-caused cancellations count against a seller's
/// performance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The seller could not fulfil it (out of stock, could not dispatch).
    Seller,
    /// The buyer changed their mind.
    Buyer,
    /// The marketplace (payment failure, fraud check, undeliverable address).
    Marketplace,
}

impl CancelledBy {
    /// The name used in CSV files and JSON: `seller`, `buyer` or `marketplace`.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelledBy::Seller => "seller",
            CancelledBy::Buyer => "buyer",
            CancelledBy::Marketplace => "marketplace",
        }
    }
}

/// A cancellation: when, and by whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cancellation {
    /// When the order was cancelled.
    pub at: DateTime<Utc>,
    /// Who cancelled it.
    pub by: CancelledBy,
}

/// One order line and what became of it: the unit of every sales and performance metric.
///
/// It is plain data, as a marketplace's order store or data warehouse holds it. The CSV reader
/// ([`crate::read_orders_csv`]) checks every field and the order of the timestamps; a record built
/// in code is trusted to be consistent, and the projections never panic on one that is not.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{ListingId, Money, OrderId, PinCode, SellerId};
/// use haat_metrics::OrderRecord;
///
/// let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// let order = OrderRecord {
///     order: OrderId::new(1),
///     seller: SellerId::new(7),
///     listing: ListingId::new(70),
///     quantity: 1,
///     amount: Money::from_rupees(2_450),
///     placed_at: placed,
///     promised_dispatch_by: placed + chrono::TimeDelta::days(2),
///     dispatched_at: Some(placed + chrono::TimeDelta::days(1)),
///     delivered_at: Some(placed + chrono::TimeDelta::days(4)),
///     cancellation: None,
///     returned_at: None,
///     destination: "700001".parse()?,
/// };
/// assert!(!order.is_late_dispatch());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    /// The order.
    pub order: OrderId,
    /// The seller who sold it.
    pub seller: SellerId,
    /// The listing it was bought from.
    pub listing: ListingId,
    /// Units bought.
    pub quantity: u32,
    /// What the buyer paid for the line, tax included.
    pub amount: Money,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
    /// The dispatch deadline promised to the buyer.
    pub promised_dispatch_by: DateTime<Utc>,
    /// When the seller dispatched it, if they did.
    pub dispatched_at: Option<DateTime<Utc>>,
    /// When it was delivered, if it was.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Its cancellation, if it was cancelled.
    pub cancellation: Option<Cancellation>,
    /// When it was returned, if it was.
    pub returned_at: Option<DateTime<Utc>>,
    /// Where it was going.
    pub destination: PinCode,
}

/// The business rules of what an order counts as. Each is written here once: every rollup's
/// `add` (`SalesTotals`, `ServiceCounts`, `DemandTotals`) and the packed folds' fast path read
/// these functions, so changing a rule (say, "late" only after 48 hours) changes one of them.
impl OrderRecord {
    /// Whether the seller cancelled it.
    pub fn is_seller_cancelled(&self) -> bool {
        matches!(
            self.cancellation,
            Some(Cancellation {
                by: CancelledBy::Seller,
                ..
            })
        )
    }

    /// Whether it was dispatched after the promised time.
    pub fn is_late_dispatch(&self) -> bool {
        self.dispatched_at
            .is_some_and(|dispatched| dispatched > self.promised_dispatch_by)
    }

    /// Whether it counts as a sale: not cancelled and not returned.
    pub fn is_net_sale(&self) -> bool {
        self.cancellation.is_none() && self.returned_at.is_none()
    }
}

/// What an order line came to by the rules above, as bits: cancelled, cancelled by the
/// seller, returned, dispatched, dispatched late, delivered, a net sale. Worked out once an
/// order ([`Outcome::of`]); every rollup's `one` reads it to say what the order adds, and the
/// packed cells index their tables of increments by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome(u8);

impl Outcome {
    pub(crate) const CANCELLED: u8 = 1;
    pub(crate) const SELLER_CANCELLED: u8 = 1 << 1;
    pub(crate) const RETURNED: u8 = 1 << 2;
    pub(crate) const DISPATCHED: u8 = 1 << 3;
    pub(crate) const LATE: u8 = 1 << 4;
    pub(crate) const DELIVERED: u8 = 1 << 5;
    pub(crate) const NET: u8 = 1 << 6;
    /// How many outcomes there are (as bits; not every combination can happen).
    pub(crate) const COUNT: usize = 1 << 7;

    /// `order`'s outcome.
    #[inline]
    pub(crate) fn of(order: &OrderRecord) -> Outcome {
        let bit = |holds: bool, bit: u8| if holds { bit } else { 0 };
        Outcome(
            bit(order.cancellation.is_some(), Outcome::CANCELLED)
                | bit(order.is_seller_cancelled(), Outcome::SELLER_CANCELLED)
                | bit(order.returned_at.is_some(), Outcome::RETURNED)
                | bit(order.dispatched_at.is_some(), Outcome::DISPATCHED)
                | bit(order.is_late_dispatch(), Outcome::LATE)
                | bit(order.delivered_at.is_some(), Outcome::DELIVERED)
                | bit(order.is_net_sale(), Outcome::NET),
        )
    }

    /// The outcome numbered `index` (below [`Outcome::COUNT`]).
    pub(crate) fn from_index(index: usize) -> Outcome {
        Outcome((index % Outcome::COUNT) as u8)
    }

    /// Its number, below [`Outcome::COUNT`].
    #[inline]
    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }

    /// Whether it has `bit` (one of `Outcome::CANCELLED`, ...).
    #[inline]
    pub(crate) fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// [`OrderRecord::is_net_sale`].
    #[inline]
    pub(crate) fn net(self) -> bool {
        self.has(Outcome::NET)
    }
}
