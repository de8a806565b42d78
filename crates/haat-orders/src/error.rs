//! Why an order command, a checkout or an invoice was refused.

use std::fmt;

use chrono::{DateTime, Utc};
use haat_catalogue::PricingError;
use haat_core::{Actor, FinancialYear, ListingId, Money, OrderId, PinCode, SellerId, StateCode};
use haat_inventory::IdempotencyKey;
use haat_seller::SellerStatus;
use thiserror::Error;

use crate::{OrderAction, OrderStatus};

/// Why a command on orders was refused. A refused command emits no event and moves no stock.
///
/// ```
/// use haat_core::{Actor, SellerId};
/// use haat_orders::{Error, OrderAction};
/// let err = Error::Forbidden { actor: Actor::Seller(SellerId::new(7)), action: OrderAction::Deliver };
/// assert_eq!(err.to_string(), "seller 7 may not record delivery of this order");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The actor may not do this: a seller acting on another seller's order, or on what only
    /// the marketplace records.
    #[error("{actor} may not {action} this order")]
    Forbidden {
        /// Who asked.
        actor: Actor,
        /// What they asked to do.
        action: OrderAction,
    },
    /// No such order has been placed.
    #[error("order {order} is not known")]
    UnknownOrder {
        /// The order asked for.
        order: OrderId,
    },
    /// The command does not fit where the order is in its life.
    #[error("cannot {action} order {order}: it is {status}")]
    InvalidTransition {
        /// The order.
        order: OrderId,
        /// Where it is.
        status: OrderStatus,
        /// What was asked.
        action: OrderAction,
    },
    /// A return names a line the order does not have.
    #[error("order {order} has no line {line}")]
    UnknownLine {
        /// The order.
        order: OrderId,
        /// The line's index.
        line: usize,
    },
    /// A return returns nothing.
    #[error("the return of order {order} has no units")]
    EmptyReturn {
        /// The order.
        order: OrderId,
    },
    /// A return asks for more units than were delivered and not yet returned.
    #[error("order {order} line {line}: {quantity} units returned, only {returnable} returnable")]
    ReturnExceedsShipped {
        /// The order.
        order: OrderId,
        /// The line's index.
        line: usize,
        /// Units asked.
        quantity: u64,
        /// Units delivered and not yet returned.
        returnable: u64,
    },
    /// The line's return window has closed.
    #[error("order {order} line {line}: the return window closed at {closed_at}")]
    ReturnWindowClosed {
        /// The order.
        order: OrderId,
        /// The line's index.
        line: usize,
        /// When it closed.
        closed_at: DateTime<Utc>,
    },
    /// The stock ledger refused the step's stock movement (for example a reservation that
    /// expired before dispatch); the order did not move either.
    #[error("order {order}: the stock ledger refused: {source}")]
    Stock {
        /// The order.
        order: OrderId,
        /// The ledger's reason.
        source: haat_inventory::Error,
    },
    /// A cart with no lines.
    #[error("the cart is empty")]
    EmptyCart,
    /// A cart with more lines than one checkout takes.
    #[error("the cart has {lines} lines, more than {max}")]
    CartTooLarge {
        /// Lines in the cart.
        lines: usize,
        /// The most a checkout takes.
        max: usize,
    },
    /// The delivery PIN code is not in the directory, or lies in more than one state, so
    /// the place of supply cannot be told from it.
    #[error("PIN code {pin_code} does not name one state")]
    UnknownPlaceOfSupply {
        /// The delivery PIN code.
        pin_code: PinCode,
    },
    /// Some lines of a cart cannot be sold; every one is listed, and nothing was placed or
    /// reserved.
    #[error("{}", RefusalList(.refusals))]
    CheckoutRefused {
        /// The refused lines.
        refusals: Vec<LineRefusal>,
    },
    /// A retried checkout carries a different cart than the first under its key.
    #[error("checkout key {key} was used for a different cart")]
    IdempotencyConflict {
        /// The key.
        key: IdempotencyKey,
    },
    /// A checkout key the book no longer remembers was minted before the book's retention
    /// horizon: it may have placed orders already, so it cannot place them again.
    #[error(
        "checkout key {key} was minted at {minted}, before {forgotten_before}, from when the book forgets keys"
    )]
    CheckoutKeyExpired {
        /// The key.
        key: IdempotencyKey,
        /// When the key was minted (its UUIDv7 time).
        minted: DateTime<Utc>,
        /// Keys first used before this instant are forgotten.
        forgotten_before: DateTime<Utc>,
    },
    /// The book forgets old checkout keys, and this key carries no time (it is not a UUIDv7),
    /// so the book cannot tell whether it was used before the keys it forgot.
    #[error("checkout key {key} is not time-ordered (a UUIDv7), and the book forgets old keys")]
    UndatedCheckoutKey {
        /// The key.
        key: IdempotencyKey,
    },
    /// The order has been invoiced already.
    #[error("order {order} is already invoiced")]
    AlreadyInvoiced {
        /// The order.
        order: OrderId,
    },
    /// The order has no invoice to credit.
    #[error("order {order} has no invoice")]
    NotInvoiced {
        /// The order.
        order: OrderId,
    },
    /// A seller's document series for a year is used up (the number would not fit 16
    /// characters).
    #[error("seller {seller}'s series for {year} is exhausted")]
    SeriesExhausted {
        /// The seller.
        seller: SellerId,
        /// The financial year.
        year: FinancialYear,
    },
    /// A registered seller's invoice needs its GSTIN.
    #[error("seller {seller} is registered for GST but no GSTIN was given")]
    MissingGstin {
        /// The seller.
        seller: SellerId,
    },
    /// An invoice number is not 1 to 16 letters, digits, `-` or `/`.
    #[error("invoice number '{input}' is not 1 to 16 letters, digits, '-' or '/'")]
    InvalidDocumentNumber {
        /// What was given.
        input: String,
    },
    /// The catalogue could not work out a payout (for example, no commission rate for the
    /// listing's category).
    #[error("payout: {0}")]
    Pricing(PricingError),
    /// Settlement does not know the seller as a payee (no KYC).
    #[error("seller {seller} is not known as a payee")]
    UnknownPayee {
        /// The seller.
        seller: SellerId,
    },
    /// A computation would leave `Money`'s range (beyond any real order).
    #[error("{what} is too large to compute")]
    Overflow {
        /// What was computed.
        what: &'static str,
    },
}

/// Why one cart line cannot be sold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRefusal {
    /// The line's index in the cart.
    pub line: usize,
    /// The listing asked for.
    pub listing: ListingId,
    /// Why.
    pub reason: RefusalReason,
}

impl fmt::Display for LineRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} (listing {}): {}",
            self.line, self.listing, self.reason
        )
    }
}

/// Why a cart line cannot be sold.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RefusalReason {
    /// No such listing.
    #[error("the listing is not known")]
    UnknownListing,
    /// The listing is not live (a draft, in review, paused or withdrawn).
    #[error("the listing is not live")]
    ListingNotLive,
    /// The listing's seller is not known.
    #[error("seller {seller} is not known")]
    UnknownSeller {
        /// The seller.
        seller: SellerId,
    },
    /// The seller is not selling: suspended, deactivated, or KYC not verified.
    #[error("seller {seller} is {status}")]
    SellerNotActive {
        /// The seller.
        seller: SellerId,
        /// Where the seller is in onboarding.
        status: SellerStatus,
    },
    /// Zero pieces asked for.
    #[error("the quantity is zero")]
    ZeroQuantity,
    /// The listing's price is not positive, or above its MRP (Legal Metrology: no sale above
    /// the printed price).
    #[error("price {price} is not within (0, MRP {mrp}]")]
    PriceOutOfRange {
        /// The listing's price.
        price: Money,
        /// Its MRP.
        mrp: Money,
    },
    /// A non-GST seller may sell only within its state.
    #[error("a non-GST seller of state {seller_state} may not sell to state {buyer_state}")]
    InterStateByNonGstSeller {
        /// The seller's state.
        seller_state: StateCode,
        /// The buyer's state.
        buyer_state: StateCode,
    },
    /// The GST rate or the tax could not be worked out (no rate for the HSN code on the date).
    #[error("{0}")]
    Pricing(PricingError),
    /// The network cannot ship the line whole from one location with stock.
    #[error("{allocatable} of {requested} units can be shipped")]
    OutOfStock {
        /// Units asked for.
        requested: u64,
        /// Units the network could ship.
        allocatable: u64,
    },
    /// The stock ledger refused to reserve the line.
    #[error("the stock ledger refused: {0}")]
    Stock(haat_inventory::Error),
}

struct RefusalList<'a>(&'a [LineRefusal]);

impl fmt::Display for RefusalList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("checkout refused: ")?;
        for (i, refusal) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{refusal}")?;
        }
        Ok(())
    }
}
