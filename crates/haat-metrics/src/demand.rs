//! Demand: orders folded by where they were going (destination PIN code) and IST month.

use std::collections::BTreeMap;

use haat_core::{District, Money, Month, PinCode, ist_day_number, month_index_of_day_number};
use serde::{Deserialize, Serialize};

use crate::cells::{OrderFacts, PackedDemand};
use crate::growth::saturating_money;
use crate::order::Outcome;
use crate::store::{Cells, Fast, Storage};
use crate::{OrderRecord, SalesTotals};

/// What the orders to one place in one month add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DemandTotals {
    /// Order lines placed.
    pub orders: u64,
    /// Units placed.
    pub units: u64,
    /// Value placed (GMV), in paise.
    pub gross_paise: i128,
    /// Value neither cancelled nor returned, in paise.
    pub net_paise: i128,
}

impl DemandTotals {
    /// Adds one order line (what it adds is [`DemandTotals::one`]'s to say).
    pub fn add(&mut self, order: &OrderRecord) {
        self.merge(&DemandTotals::one(
            Outcome::of(order),
            order.quantity,
            order.amount.paise(),
        ));
    }

    /// What one order line of `quantity` units for `paise` with `outcome` adds: the demand
    /// figures of what it adds to sales ([`SalesTotals::one`], where the rules are).
    pub(crate) fn one(outcome: Outcome, quantity: u32, paise: i128) -> DemandTotals {
        let sale = SalesTotals::one(outcome, quantity, paise);
        DemandTotals {
            orders: sale.orders,
            units: sale.units,
            gross_paise: sale.gross_paise,
            net_paise: sale.net_paise,
        }
    }

    /// Adds another set of totals (saturating).
    pub fn merge(&mut self, other: &DemandTotals) {
        self.orders = self.orders.saturating_add(other.orders);
        self.units = self.units.saturating_add(other.units);
        self.gross_paise = self.gross_paise.saturating_add(other.gross_paise);
        self.net_paise = self.net_paise.saturating_add(other.net_paise);
    }

    /// Gross merchandise value.
    pub fn gmv(&self) -> Money {
        saturating_money(self.gross_paise)
    }
}

/// Orders by destination PIN code and IST month: where buyers are. The district × month GMV
/// rollup is [`DemandFold::by_district_month`], a sum over these cells through India Post's PIN
/// directory.
///
/// ```
/// # use chrono::{TimeZone, Utc};
/// # use haat_core::{ListingId, Money, OrderId, SellerId};
/// use haat_metrics::{DemandFold, OrderRecord};
/// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// # let order = OrderRecord { order: OrderId::new(1), seller: SellerId::new(7),
/// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(2_450), placed_at: placed,
/// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
/// #   returned_at: None, destination: "700001".parse()? };
/// let mut demand = DemandFold::default();
/// demand.add(&order);
/// let rollup = demand.by_district_month();
/// let ((district, month), totals) = rollup.iter().next().ok_or("empty")?;
/// assert_eq!(district.map(|d| d.name()), Some("Kolkata"));
/// assert_eq!(month.to_string(), "2025-10");
/// assert_eq!(totals.gmv(), Money::from_rupees(2_450));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct DemandFold<S: Storage = Fast> {
    /// Demand totals by destination PIN code and IST month index, packed.
    cells: S::Cells<PinCode, PackedDemand, ()>,
}

impl Default for DemandFold {
    fn default() -> Self {
        DemandFold::empty()
    }
}

impl<S: Storage> DemandFold<S> {
    /// A fold with no orders.
    pub(crate) fn empty() -> Self {
        DemandFold {
            cells: Default::default(),
        }
    }
}

impl<S: Storage> DemandFold<S> {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let facts = OrderFacts::of(order);
        self.add_at(
            &facts,
            month_index_of_day_number(ist_day_number(facts.secs)),
        );
    }

    /// Asks for the record of `order`'s PIN code ahead of adding it (see
    /// [`Metrics::add_orders`](crate::Metrics::add_orders)).
    #[inline]
    pub(crate) fn prefetch(&self, order: &OrderRecord) {
        self.cells.prefetch(order.destination);
    }

    /// Adds one order line with its `facts`, placed in month index `month` (computed once by
    /// the caller).
    #[inline]
    pub(crate) fn add_at(&mut self, facts: &OrderFacts, month: i32) {
        self.cells.add(facts.order().destination, month, facts);
    }

    /// Adds every cell of `other`: associative and commutative.
    pub fn merge(&mut self, other: &DemandFold<S>) {
        self.cells.merge(&other.cells);
    }

    /// The (PIN code, month) cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (PinCode, Month, DemandTotals)> + '_ {
        self.cells
            .cells()
            .map(|(pin, month, totals)| (pin, Month::from_index(month), totals))
    }

    /// GMV and orders by destination district and month. A PIN code India Post places in
    /// several districts counts in the first; one it does not know counts under `None`.
    pub fn by_district_month(&self) -> BTreeMap<(Option<District>, Month), DemandTotals> {
        let mut out: BTreeMap<(Option<District>, Month), DemandTotals> = BTreeMap::new();
        for (pin, month, totals) in self.cells() {
            let district = pin
                .location()
                .and_then(|location| location.districts().first().copied());
            out.entry((district, month)).or_default().merge(&totals);
        }
        out
    }

    /// The totals of everything.
    pub fn total(&self) -> DemandTotals {
        let mut total = DemandTotals::default();
        for (_, _, totals) in self.cells() {
            total.merge(&totals);
        }
        total
    }
}

/// Two folds are equal when they hold the same cells, whatever order they were built in.
impl<S: Storage> PartialEq for DemandFold<S> {
    fn eq(&self, other: &Self) -> bool {
        let canonical = |fold: &DemandFold<S>| -> BTreeMap<(PinCode, Month), DemandTotals> {
            fold.cells().map(|(p, m, t)| ((p, m), t)).collect()
        };
        canonical(self) == canonical(other)
    }
}

impl<S: Storage> Eq for DemandFold<S> {}
