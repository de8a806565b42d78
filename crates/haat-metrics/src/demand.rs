//! Demand: orders folded by where they were going (destination PIN code) and IST month.

use std::collections::BTreeMap;

use haat_core::{District, Money, Month, PinCode};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;
use crate::cells::{OrderFacts, PackedDemand};
use crate::ist::{ist_day_of_secs, month_index_of_day, month_of_index};
use crate::slots::{Latest, PagedTable, PeriodTable};

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
    /// Adds another set of totals.
    pub fn merge(&mut self, other: &DemandTotals) {
        self.orders += other.orders;
        self.units += other.units;
        self.gross_paise += other.gross_paise;
        self.net_paise += other.net_paise;
    }

    /// Gross merchandise value.
    pub fn gmv(&self) -> Money {
        Money::try_from_paise(self.gross_paise).unwrap_or(Money::ZERO)
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
#[derive(Clone, Debug, Default)]
pub struct DemandFold {
    /// By PIN code (six digits, so below 2²⁴: the code is its own slot, and its record is
    /// found by indexing a paged table with it): where its latest month cell is.
    pins: PagedTable<Latest>,
    /// The cells, month-major: (PIN code slot, totals) per IST month index, packed.
    months: PeriodTable<PackedDemand>,
    /// The cells that outgrew their packed fields.
    wide: Vec<DemandTotals>,
}

impl DemandFold {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let facts = OrderFacts::of(order);
        self.add_at(
            order,
            &facts,
            month_index_of_day(ist_day_of_secs(facts.secs)),
        );
    }

    /// Adds one order line with its `facts`, placed in month index `month` (computed once by
    /// the caller).
    #[inline]
    pub(crate) fn add_at(&mut self, order: &OrderRecord, facts: &OrderFacts, month: i32) {
        let slot = order.destination.get();
        let Some(latest) = self.pins.get_mut(slot) else {
            return self.add_new_pin(order, facts, month);
        };
        if let Some(cell) = self.months.get(slot, month, latest) {
            cell.add(facts, &mut self.wide);
        }
    }

    /// Adds an order to a PIN code whose page of the table is not there yet.
    #[inline(never)]
    fn add_new_pin(&mut self, order: &OrderRecord, facts: &OrderFacts, month: i32) {
        let slot = order.destination.get();
        if slot < PagedTable::<Latest>::LIMIT {
            self.pins.get_or_make(slot, Latest::NONE);
            self.add_at(order, facts, month);
        }
    }

    /// Adds every cell of `other`: associative and commutative.
    pub fn merge(&mut self, other: &DemandFold) {
        for period in other.months.periods() {
            for (slot, totals) in period.iter() {
                let latest = self.pins.get_or_make(slot, Latest::NONE);
                if let Some(mine) = self.months.get(slot, period.key, latest) {
                    mine.merge(&totals.widen_in(&other.wide), &mut self.wide);
                }
            }
        }
    }

    /// The (PIN code, month) cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (PinCode, Month, DemandTotals)> + '_ {
        self.months.periods().flat_map(move |period| {
            let month = month_of_index(period.key);
            period.iter().filter_map(move |(slot, cell)| {
                PinCode::new(slot).map(|pin| (pin, month, cell.widen_in(&self.wide)))
            })
        })
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
impl PartialEq for DemandFold {
    fn eq(&self, other: &Self) -> bool {
        let canonical = |fold: &DemandFold| -> BTreeMap<(PinCode, Month), DemandTotals> {
            fold.cells().map(|(p, m, t)| ((p, m), t)).collect()
        };
        canonical(self) == canonical(other)
    }
}

impl Eq for DemandFold {}
