//! Stock signals: low stock, out of stock, back in stock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::StockKey;

/// A change in a cell's availability worth telling the catalogue's search and the metrics
/// about. Signals are derived from movements as they are applied (so a replayed ledger derives
/// the same ones) and fire on crossings only: a cell that stays out of stock does not repeat.
///
/// ```
/// use chrono::DateTime;
/// use haat_core::{LocationId, SellerId};
/// use haat_inventory::{StockKey, StockSignal};
/// let key = StockKey::new(SellerId::new(1), "TANT-01".parse()?, LocationId::new(7));
/// let signal = StockSignal::OutOfStock { seq: 9, at: DateTime::UNIX_EPOCH, key };
/// assert!(serde_json::to_string(&signal)?.starts_with(r#"{"type":"out_of_stock","seq":9"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StockSignal {
    /// Available fell to the reorder point or below (but not to zero).
    LowStock {
        /// The sequence number of the movement that caused it.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Whose stock, where.
        key: StockKey,
        /// Units available now.
        available: u64,
        /// The cell's reorder point.
        reorder_point: u64,
    },
    /// Available fell to zero.
    OutOfStock {
        /// The sequence number of the movement that caused it.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Whose stock, where.
        key: StockKey,
    },
    /// Available rose from zero.
    BackInStock {
        /// The sequence number of the movement that caused it.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Whose stock, where.
        key: StockKey,
        /// Units available now.
        available: u64,
    },
}

impl StockSignal {
    /// The key the signal is about.
    pub fn key(&self) -> &StockKey {
        match self {
            StockSignal::LowStock { key, .. }
            | StockSignal::OutOfStock { key, .. }
            | StockSignal::BackInStock { key, .. } => key,
        }
    }
}
