//! The errors of `haat-inventory`'s stock ledger.

use haat_core::{Actor, LocationId, SellerId, Sku};
use thiserror::Error;

use crate::{Bucket, ReservationId};

/// Everything the stock ledger can refuse. A refused operation moves nothing.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The actor may not touch this seller's stock.
    #[error("{actor} may not touch the stock of seller {seller}")]
    Forbidden {
        /// Who asked.
        actor: Actor,
        /// Whose stock it is.
        seller: SellerId,
    },
    /// Only the marketplace (operations staff or the system) may do this, even to a seller's
    /// own stock.
    #[error(
        "{actor} may not {operation}: only the marketplace (operations staff or the system) may"
    )]
    MarketplaceOnly {
        /// Who asked.
        actor: Actor,
        /// What they asked to do.
        operation: &'static str,
    },
    /// A bucket holds fewer units than the operation takes from it.
    #[error(
        "not enough {bucket} stock of SKU {sku} at location {location}: {requested} requested, {available} there"
    )]
    InsufficientStock {
        /// The SKU.
        sku: Sku,
        /// Where.
        location: LocationId,
        /// The bucket the units would come from.
        bucket: Bucket,
        /// Units asked for (summed over the request's lines for this key).
        requested: u64,
        /// Units in the bucket (for `available`, at the operation's instant).
        available: u64,
    },
    /// A cycle count was taken against an on-hand figure the ledger has since moved away from.
    #[error(
        "stale count of SKU {sku} at location {location}: counted against {expected} on hand, the ledger has {actual}"
    )]
    StaleCount {
        /// The SKU.
        sku: Sku,
        /// Where.
        location: LocationId,
        /// The on-hand figure the count was taken against.
        expected: u64,
        /// The ledger's on-hand figure now.
        actual: u64,
    },
    /// The idempotency key was already used for a different operation.
    #[error("idempotency key {key} was already used for a different operation")]
    IdempotencyConflict {
        /// The key.
        key: u128,
    },
    /// No reservation with this id is open (never placed, or already closed and forgotten).
    #[error("reservation {reservation} is not known")]
    UnknownReservation {
        /// The reservation.
        reservation: ReservationId,
    },
    /// The reservation expired before it was committed.
    #[error("reservation {reservation} expired at {expired_at} and can no longer be committed")]
    ReservationExpired {
        /// The reservation.
        reservation: ReservationId,
        /// When it expired.
        expired_at: chrono::DateTime<chrono::Utc>,
    },
    /// The reservation is not in a state that allows the operation.
    #[error("reservation {reservation} is {status} and cannot be {operation}")]
    ReservationClosed {
        /// The reservation.
        reservation: ReservationId,
        /// Its state.
        status: &'static str,
        /// What was asked (`committed`, `released`, `cancelled`).
        operation: &'static str,
    },
    /// A quantity of zero where at least one unit is needed.
    #[error("quantity of SKU {sku} at location {location} must be at least 1")]
    ZeroQuantity {
        /// The SKU.
        sku: Sku,
        /// Where.
        location: LocationId,
    },
    /// A request with no lines.
    #[error("reservation request has no lines")]
    EmptyReservation,
    /// A transfer from a location to itself.
    #[error("transfer of SKU {sku} from location {location} to itself")]
    TransferToSelf {
        /// The SKU.
        sku: Sku,
        /// The location.
        location: LocationId,
    },
    /// A reservation's expiry is not after the instant it is placed at.
    #[error("reservation expiry {expires_at} is not after {now}")]
    ExpiryInPast {
        /// The expiry asked for.
        expires_at: chrono::DateTime<chrono::Utc>,
        /// The instant of the request.
        now: chrono::DateTime<chrono::Utc>,
    },
    /// A transfer id that is not in transit (never sent, or already received).
    #[error("transfer {transfer} is not in transit")]
    UnknownTransfer {
        /// The transfer.
        transfer: u64,
    },
    /// A transfer id already in transit.
    #[error("transfer {transfer} is already in transit")]
    DuplicateTransfer {
        /// The transfer.
        transfer: u64,
    },
    /// An operation a [`SharedLedger`](crate::SharedLedger) routes through its own method
    /// (reservations span shards).
    #[error("{operation} goes through the shared ledger's own method, not execute")]
    Unroutable {
        /// The operation.
        operation: &'static str,
    },
    /// A count would overflow a `u64`.
    #[error("quantity overflow for SKU {sku} at location {location}")]
    Overflow {
        /// The SKU.
        sku: Sku,
        /// Where.
        location: LocationId,
    },
    /// A cell handle that this ledger did not issue.
    #[error("unknown cell handle {index}")]
    UnknownCell {
        /// The handle's index.
        index: usize,
    },
}
