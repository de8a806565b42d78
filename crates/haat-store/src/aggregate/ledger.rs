//! A seller's stock ledger, `ledger/<seller>`: every cell of one seller's stock in one stream.
//!
//! Why a stream per seller and not per SKU: a reservation holds all the lines of one
//! seller's order at once (one order is one seller's share of a cart), and the ledger numbers
//! its reservations and journal entries itself; a seller's ledger keeps both whole, so an
//! order's reservation, its commit and its cancellation are each one append to one stream,
//! decided by one ledger with the expected version as its guard. A stream per SKU would split
//! a multi-SKU order's reservation across streams and lose the all-or-none. Sellers never
//! share cells (the seller is part of every stock key), so per-seller streams never need to
//! agree with each other.
//!
//! `StockLedger` has no serde form; the ledger is rebuilt from its events. The ledger's own
//! sequence numbers restart at 1 in each seller's stream, and equal the stream's versions.

use chrono::{DateTime, Utc};
use haat_core::SellerId;
use haat_inventory::{Command, Error, LedgerEvent, Operation, StockLedger};

use super::Aggregate;

/// One seller's stock: the domain ledger, holding only that seller's cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerStock(pub StockLedger);

impl Aggregate for SellerStock {
    const KIND: &'static str = "ledger";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = SellerId;
    type Command = Command;
    type Event = LedgerEvent;
    type Error = Error;
    type Context = ();

    /// Every stock key the operation names is this seller's. Operations by reservation
    /// (commit, release, cancel) and expiry name no key: they can only reach reservations
    /// this ledger placed. An operation the adapter does not know is refused.
    fn belongs(id: &SellerId, command: &Command) -> bool {
        operation_sellers(command.operation())
            .is_some_and(|sellers| sellers.iter().all(|s| s == id))
    }

    fn decide(
        &self,
        _: &(),
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<LedgerEvent>, Error> {
        self.0.decide(command, now)
    }

    fn apply(&mut self, event: &LedgerEvent) {
        self.0.apply(event);
    }
}

/// The sellers whose cells `operation` names; `None` for an operation this adapter does not
/// know (a newer ledger's), which is then refused rather than guessed at.
fn operation_sellers(operation: &Operation) -> Option<Vec<SellerId>> {
    Some(match operation {
        Operation::ExpectInbound { key, .. }
        | Operation::ReceiveInbound { key, .. }
        | Operation::CompleteQualityCheck { key, .. }
        | Operation::Return { key, .. }
        | Operation::Adjust { key, .. }
        | Operation::TransferOut { key, .. }
        | Operation::TransferIn { key, .. }
        | Operation::MarkDamaged { key, .. }
        | Operation::WriteOff { key, .. }
        | Operation::SetSafetyStock { key, .. }
        | Operation::SetReorderPoint { key, .. } => vec![key.seller()],
        Operation::Reserve { lines, .. } => lines.iter().map(|l| l.key.seller()).collect(),
        Operation::Release { .. }
        | Operation::Commit { .. }
        | Operation::Cancel { .. }
        | Operation::Expire => Vec::new(),
        _ => return None,
    })
}
