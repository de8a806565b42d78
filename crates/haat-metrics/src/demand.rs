//! Demand: orders folded by where they were going (destination PIN code) and IST month.

use std::collections::BTreeMap;

use haat_core::{District, Money, Month, PinCode, ist_day_number, month_index_of_day_number};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;
use crate::cells::{OrderFacts, Packed, PackedDemand};
use crate::prefetch::prefetch;

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
    /// Adds one order line (a net sale is [`OrderRecord::is_net_sale`]).
    pub fn add(&mut self, order: &OrderRecord) {
        let paise = order.amount.paise();
        self.merge(&DemandTotals {
            orders: 1,
            units: u64::from(order.quantity),
            gross_paise: paise,
            net_paise: if order.is_net_sale() { paise } else { 0 },
        });
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
    /// Sorted by month.
    months: Vec<DemandMonth>,
    /// The month added to last: the current one, for orders in time order.
    recent: usize,
    /// The cells that outgrew their packed fields.
    wide: Vec<DemandTotals>,
}

/// One month's cells in an open-addressing table keyed by PIN code. A month has a few
/// thousand PIN codes at most (India has about 19,000), so its table stays in cache, and a
/// cell is found from the PIN code alone — one look, where a record per PIN code pointing at
/// its cell would take two, one after the other.
#[derive(Clone, Debug)]
struct DemandMonth {
    key: i32,
    /// Cells in use.
    len: usize,
    /// (PIN code, cell); a PIN code of 0 marks an empty bucket (PIN codes have six digits).
    buckets: Vec<(u32, PackedDemand)>,
}

/// Buckets of a new month's table.
const FIRST_BUCKETS: usize = 64;

impl DemandMonth {
    fn new(key: i32, buckets: usize) -> Self {
        DemandMonth {
            key,
            len: 0,
            buckets: vec![(0, PackedDemand::default()); buckets.max(FIRST_BUCKETS)],
        }
    }

    /// Asks for `pin`'s home bucket.
    #[inline]
    fn prefetch(&self, pin: u32) {
        let mask = self.buckets.len().wrapping_sub(1);
        let shift = 32 - self.buckets.len().trailing_zeros().min(31);
        let at = (pin.wrapping_mul(0x9E37_79B9) >> shift) as usize & mask;
        if let Some(bucket) = self.buckets.get(at) {
            prefetch(bucket);
        }
    }

    /// `pin`'s cell, made empty if need be.
    #[inline]
    fn cell(&mut self, pin: u32) -> Option<&mut PackedDemand> {
        let mask = self.buckets.len() - 1;
        // Fibonacci hashing: the top bits of the PIN code times 2³²/φ.
        let shift = 32 - self.buckets.len().trailing_zeros().min(31);
        let mut at = (pin.wrapping_mul(0x9E37_79B9) >> shift) as usize & mask;
        loop {
            match self.buckets.get(at)?.0 {
                found if found == pin => break,
                0 => {
                    // At most half full, so that a probe is short.
                    if 2 * (self.len + 1) > self.buckets.len() {
                        self.grow();
                        return self.cell(pin);
                    }
                    self.len += 1;
                    self.buckets.get_mut(at)?.0 = pin;
                    break;
                }
                _ => at = (at + 1) & mask,
            }
        }
        self.buckets.get_mut(at).map(|(_, cell)| cell)
    }

    #[inline(never)]
    fn grow(&mut self) {
        let old = std::mem::replace(self, DemandMonth::new(self.key, 2 * self.buckets.len()));
        for (pin, cell) in old.buckets {
            if pin != 0
                && let Some(mine) = self.cell(pin)
            {
                *mine = cell;
            }
        }
    }

    /// The cells in use.
    fn iter(&self) -> impl Iterator<Item = (u32, &PackedDemand)> {
        self.buckets
            .iter()
            .filter(|(pin, _)| *pin != 0)
            .map(|(pin, cell)| (*pin, cell))
    }
}

impl DemandFold {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let facts = OrderFacts::of(order);
        self.add_at(
            order,
            &facts,
            month_index_of_day_number(ist_day_number(facts.secs)),
        );
    }

    /// Asks for the bucket `order`'s PIN code has in the month last added to (most likely its
    /// own), ahead of adding it (see [`Metrics::add_orders`](crate::Metrics::add_orders)).
    #[inline]
    pub(crate) fn prefetch(&self, order: &OrderRecord) {
        if let Some(month) = self.months.get(self.recent) {
            month.prefetch(order.destination.get());
        }
    }

    /// Adds one order line with its `facts`, placed in month index `month` (computed once by
    /// the caller).
    #[inline]
    pub(crate) fn add_at(&mut self, order: &OrderRecord, facts: &OrderFacts, month: i32) {
        let at = self.month(month);
        if let Some(cell) = self
            .months
            .get_mut(at)
            .and_then(|m| m.cell(order.destination.get()))
        {
            cell.add(facts, &mut self.wide);
        }
    }

    /// The place of month `key` in `months`, made if need be.
    #[inline]
    fn month(&mut self, key: i32) -> usize {
        match self.months.get(self.recent) {
            Some(month) if month.key == key => self.recent,
            _ => self.find_month(key),
        }
    }

    #[inline(never)]
    fn find_month(&mut self, key: i32) -> usize {
        let at = match self.months.binary_search_by_key(&key, |m| m.key) {
            Ok(at) => at,
            Err(at) => {
                // As many buckets as the month before had (in time order, the one just done).
                let buckets = self
                    .months
                    .get(self.recent)
                    .map_or(FIRST_BUCKETS, |m| m.buckets.len());
                self.months.insert(at, DemandMonth::new(key, buckets));
                at
            }
        };
        self.recent = at;
        at
    }

    /// Adds every cell of `other`: associative and commutative.
    pub fn merge(&mut self, other: &DemandFold) {
        for theirs in &other.months {
            let at = self.month(theirs.key);
            for (pin, totals) in theirs.iter() {
                if let Some(mine) = self.months.get_mut(at).and_then(|m| m.cell(pin)) {
                    mine.merge(&totals.widen_in(&other.wide), &mut self.wide);
                }
            }
        }
    }

    /// The (PIN code, month) cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (PinCode, Month, DemandTotals)> + '_ {
        self.months.iter().flat_map(move |m| {
            let month = Month::from_index(m.key);
            m.iter().filter_map(move |(pin, cell)| {
                PinCode::new(pin).map(|pin| (pin, month, cell.widen_in(&self.wide)))
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
