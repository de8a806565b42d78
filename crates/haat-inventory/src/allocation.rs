//! Allocation: which locations fulfil an order.

use chrono::{DateTime, Utc};
use haat_core::{LocationId, SellerId, Sku};

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
}
