//! The stock ledger: levels per cell, kept as a fold of movements.

mod fx;

use chrono::{DateTime, Utc};
use haat_core::{LocationId, SellerId, Sku};

use crate::{AvailableStock, CellId, Quantities, StockKey};
use fx::FxHashMap;

/// The stock of every (seller, SKU, location) cell, and the ledger of movements that made it.
///
/// ```
/// use chrono::DateTime;
/// use haat_core::{LocationId, SellerId};
/// use haat_inventory::StockLedger;
/// let ledger = StockLedger::new();
/// let now = DateTime::UNIX_EPOCH;
/// assert_eq!(ledger.available(SellerId::new(1), &"TANT-01".parse()?, LocationId::new(7), now), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct StockLedger {
    cells: Vec<Quantities>,
    keys: Vec<StockKey>,
    index: FxHashMap<StockKey, u32>,
}

impl StockLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// The handle of `key`'s cell, if the ledger has seen the key.
    pub fn cell(&self, key: &StockKey) -> Option<CellId> {
        self.index.get(key).map(|&i| CellId(i))
    }

    /// The quantities of `key` (all zero for a key never seen).
    pub fn quantities(&self, key: &StockKey) -> Quantities {
        self.cell(key)
            .and_then(|c| self.cells.get(c.index()).copied())
            .unwrap_or_default()
    }

    /// Units of `seller`'s `sku` at `location` free to promise at `now`.
    pub fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        _now: DateTime<Utc>,
    ) -> u64 {
        self.quantities(&StockKey::new(seller, sku.clone(), location))
            .available()
    }
}

impl AvailableStock for StockLedger {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        StockLedger::available(self, seller, sku, location, now)
    }
}
