//! The order folds' cells as they are stored: packed small, widened when read.
//!
//! Most (listing, month) and (seller, day) cells hold a handful of orders, nearly all of them
//! dispatched on time, delivered and kept. So a cell keeps its counts in narrow fields — the
//! rare outcomes (cancelled, returned, late, not dispatched, not delivered, not kept) as 4-bit
//! deviations — and a cell that outgrows any field moves, once, to a full-width cell in a side
//! vector, its packed form becoming that cell's index. Packed, a sales cell is 16 bytes (the
//! full-width one is 56) and a day's service counts 4 (24): fewer bytes per cell is fewer
//! pages to fault and fewer cache lines to miss. Either form widens to the same
//! [`SalesTotals`] and [`ServiceCounts`]: the representation never shows.

use crate::{DemandTotals, OrderRecord, SalesTotals, ServiceCounts};

/// What one order line adds to every rollup, worked out once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OrderFacts<'a> {
    /// The order (for what only full-width cells need).
    order: &'a OrderRecord,
    /// When it was placed, Unix seconds.
    pub(crate) secs: i64,
    pub(crate) quantity: u32,
    /// What the buyer paid, in paise, if it fits in a `u32` (the packed cells' width; then
    /// `NARROW_PAISE` is set).
    paise32: u32,
    /// `CANCELLED`, `SELLER_CANCELLED`, ... bits.
    flags: u32,
}

const CANCELLED: u32 = 1;
const SELLER_CANCELLED: u32 = 1 << 1;
const RETURNED: u32 = 1 << 2;
const DISPATCHED: u32 = 1 << 3;
const LATE: u32 = 1 << 4;
const DELIVERED: u32 = 1 << 5;
/// `paise32` holds the amount.
const NARROW_PAISE: u32 = 1 << 6;

/// What an order with each combination of flags adds to a packed sales cell's deviation lanes
/// (all but the units one) and to a packed day cell: looked up rather than worked out bit by bit.
const SALES_LANES: [u32; 64] = lanes_by_flags(false);
const SERVICE_INCREMENTS: [u32; 64] = lanes_by_flags(true);

/// 1 if `flags` has `flag`.
const fn has(flags: u32, flag: u32) -> u32 {
    (flags & flag != 0) as u32
}

const fn lanes_by_flags(service: bool) -> [u32; 64] {
    let mut table = [0u32; 64];
    let mut flags = 0;
    while flags < 64 {
        let net = (flags & (CANCELLED | RETURNED) == 0) as u32;
        table[flags as usize] = if service {
            1 | has(flags, SELLER_CANCELLED) << SERVICE_SELLER_CANCELLED
                | (1 - has(flags, DISPATCHED)) << SERVICE_NOT_DISPATCHED
                | has(flags, LATE) << SERVICE_LATE
                | (1 - has(flags, DELIVERED)) << SERVICE_NOT_DELIVERED
                | has(flags, RETURNED) << SERVICE_RETURNED
        } else {
            has(flags, CANCELLED) << lane::CANCELLED
                | has(flags, SELLER_CANCELLED) << lane::SELLER_CANCELLED
                | has(flags, RETURNED) << lane::RETURNED
                | (1 - has(flags, DISPATCHED)) << lane::NOT_DISPATCHED
                | has(flags, LATE) << lane::LATE
                | (1 - has(flags, DELIVERED)) << lane::NOT_DELIVERED
                | (1 - net) << lane::NOT_NET_ORDERS
        };
        flags += 1;
    }
    table
}

impl<'a> OrderFacts<'a> {
    /// The facts of `order`.
    #[inline]
    pub(crate) fn of(order: &'a OrderRecord) -> OrderFacts<'a> {
        OrderFacts::placed_at(order, order.placed_at.timestamp())
    }

    /// The facts of `order`, placed at Unix second `secs` (worked out by the caller).
    #[inline]
    pub(crate) fn placed_at(order: &'a OrderRecord, secs: i64) -> OrderFacts<'a> {
        let mut flags = 0;
        if let Some(cancellation) = &order.cancellation {
            flags |= CANCELLED;
            if cancellation.by == crate::CancelledBy::Seller {
                flags |= SELLER_CANCELLED;
            }
        }
        if order.returned_at.is_some() {
            flags |= RETURNED;
        }
        if let Some(dispatched) = &order.dispatched_at {
            flags |= DISPATCHED;
            if *dispatched > order.promised_dispatch_by {
                flags |= LATE;
            }
        }
        if order.delivered_at.is_some() {
            flags |= DELIVERED;
        }
        // An amount held at two decimal places (as every `Money` is), not negative, below 2³²
        // paise: its paise are the low word of the decimal's mantissa. (`serialize` gives the
        // decimal's words as they are: flags with the scale and sign, then the mantissa's low,
        // middle and high words.)
        let bytes = order.amount.amount().serialize();
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let paise32 = if word(0) == 2 << 16 && word(8) | word(12) == 0 {
            flags |= NARROW_PAISE;
            word(4)
        } else {
            u32::MAX
        };
        OrderFacts {
            order,
            secs,
            quantity: order.quantity,
            paise32,
            flags,
        }
    }

    #[inline]
    fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// What the buyer paid, in paise.
    pub(crate) fn paise(&self) -> i128 {
        if self.flags & NARROW_PAISE != 0 {
            i128::from(self.paise32)
        } else {
            self.order.amount.paise()
        }
    }

    /// Neither cancelled nor returned.
    #[inline]
    pub(crate) fn is_net_sale(&self) -> bool {
        self.flags & (CANCELLED | RETURNED) == 0
    }
}

/// A (listing, month) cell at full width: the counts of [`SalesTotals`] in `u32` (saturating)
/// and amounts in `i64` paise (saturating). Widened to [`SalesTotals`] when read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WideSales {
    orders: u32,
    units: u32,
    cancelled: u32,
    seller_cancelled: u32,
    returned: u32,
    dispatched: u32,
    late_dispatched: u32,
    delivered: u32,
    net_orders: u32,
    net_units: u32,
    gross_paise: i64,
    net_paise: i64,
}

impl WideSales {
    fn add(&mut self, facts: &OrderFacts) {
        let quantity = facts.quantity;
        let paise = i64::try_from(facts.paise()).unwrap_or(i64::MAX);
        let count = |flag: u32| u32::from(facts.has(flag));
        self.orders = self.orders.saturating_add(1);
        self.units = self.units.saturating_add(quantity);
        self.gross_paise = self.gross_paise.saturating_add(paise);
        self.cancelled = self.cancelled.saturating_add(count(CANCELLED));
        self.seller_cancelled = self
            .seller_cancelled
            .saturating_add(count(SELLER_CANCELLED));
        self.returned = self.returned.saturating_add(count(RETURNED));
        self.dispatched = self.dispatched.saturating_add(count(DISPATCHED));
        self.late_dispatched = self.late_dispatched.saturating_add(count(LATE));
        self.delivered = self.delivered.saturating_add(count(DELIVERED));
        if facts.is_net_sale() {
            self.net_orders = self.net_orders.saturating_add(1);
            self.net_units = self.net_units.saturating_add(quantity);
            self.net_paise = self.net_paise.saturating_add(paise);
        }
    }

    fn merge(&mut self, other: &WideSales) {
        self.orders = self.orders.saturating_add(other.orders);
        self.units = self.units.saturating_add(other.units);
        self.cancelled = self.cancelled.saturating_add(other.cancelled);
        self.seller_cancelled = self.seller_cancelled.saturating_add(other.seller_cancelled);
        self.returned = self.returned.saturating_add(other.returned);
        self.dispatched = self.dispatched.saturating_add(other.dispatched);
        self.late_dispatched = self.late_dispatched.saturating_add(other.late_dispatched);
        self.delivered = self.delivered.saturating_add(other.delivered);
        self.net_orders = self.net_orders.saturating_add(other.net_orders);
        self.net_units = self.net_units.saturating_add(other.net_units);
        self.gross_paise = self.gross_paise.saturating_add(other.gross_paise);
        self.net_paise = self.net_paise.saturating_add(other.net_paise);
    }

    fn widen(&self) -> SalesTotals {
        SalesTotals {
            orders: u64::from(self.orders),
            units: u64::from(self.units),
            gross_paise: i128::from(self.gross_paise),
            cancelled: u64::from(self.cancelled),
            seller_cancelled: u64::from(self.seller_cancelled),
            returned: u64::from(self.returned),
            dispatched: u64::from(self.dispatched),
            late_dispatched: u64::from(self.late_dispatched),
            delivered: u64::from(self.delivered),
            net_orders: u64::from(self.net_orders),
            net_units: u64::from(self.net_units),
            net_paise: i128::from(self.net_paise),
        }
    }
}

/// The 4-bit deviations of a packed sales cell, by the position of their lowest bit.
mod lane {
    pub(super) const CANCELLED: u32 = 0;
    pub(super) const SELLER_CANCELLED: u32 = 4;
    pub(super) const RETURNED: u32 = 8;
    pub(super) const NOT_DISPATCHED: u32 = 12;
    pub(super) const LATE: u32 = 16;
    pub(super) const NOT_DELIVERED: u32 = 20;
    pub(super) const NOT_NET_ORDERS: u32 = 24;
    pub(super) const NOT_NET_UNITS: u32 = 28;
}

/// The lowest bit of each 4-bit lane.
const NIBBLE_LOW_BITS: u32 = 0x1111_1111;

/// `orders` of a sales cell that has moved to full width; its `gross` is then the index.
const ESCAPED: u16 = u16::MAX;

/// A (listing, month) cell packed in 16 bytes: orders and units in `u16`, gross and net paise
/// in `u32`, and the eight deviations from a clean sale — cancelled, cancelled by the seller,
/// returned, not dispatched, dispatched late, not delivered, orders and units not kept — in
/// 4-bit lanes of one `u32`. Or, when `orders` is [`ESCAPED`], the index of its full-width
/// cell. (Zero is the empty cell.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedSales {
    gross: u32,
    net: u32,
    orders: u16,
    units: u16,
    lanes: u32,
}

impl PackedSales {
    /// Adds one order; a cell that would outgrow its fields moves to `wide`.
    #[inline]
    pub(crate) fn add(&mut self, facts: &OrderFacts, wide: &mut Vec<WideSales>) {
        if !self.try_add(facts) {
            self.add_wide(facts, wide);
        }
    }

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        // `orders` may reach ESCAPED - 1 and no further; an escaped cell fails here too.
        if self.orders >= ESCAPED - 1 {
            return false;
        }
        if facts.flags & NARROW_PAISE == 0 {
            return false;
        }
        let paise = facts.paise32;
        let Some(gross) = self.gross.checked_add(paise) else {
            return false;
        };
        let Ok(units) = u16::try_from(u32::from(self.units).saturating_add(facts.quantity)) else {
            return false;
        };
        let (net, units_lane) = if facts.is_net_sale() {
            let Some(net) = self.net.checked_add(paise) else {
                return false;
            };
            (net, 0)
        } else {
            // Units not kept, in their 4-bit lane.
            if facts.quantity > 15 || self.lanes >> lane::NOT_NET_UNITS > 15 - facts.quantity {
                return false;
            }
            (self.net, facts.quantity << lane::NOT_NET_UNITS)
        };
        let increments = SALES_LANES[(facts.flags & 63) as usize] | units_lane;
        // A lane at 15 may not take one more (the units lane was checked above).
        let lanes = self.lanes;
        let full = lanes & (lanes >> 1) & (lanes >> 2) & (lanes >> 3) & NIBBLE_LOW_BITS;
        if full & increments & !(0xF << lane::NOT_NET_UNITS) != 0 {
            return false;
        }
        self.orders += 1;
        self.units = units;
        self.gross = gross;
        self.net = net;
        self.lanes = lanes + increments;
        true
    }

    #[cold]
    #[inline(never)]
    fn add_wide(&mut self, facts: &OrderFacts, wide: &mut Vec<WideSales>) {
        if self.orders == ESCAPED
            && let Some(cell) = wide.get_mut(self.gross as usize)
        {
            cell.add(facts);
            return;
        }
        let mut cell = self.widen_in(wide);
        cell.add(facts);
        self.store(cell, wide);
    }

    /// Adds a full-width cell (a merge).
    pub(crate) fn merge(&mut self, other: &WideSales, wide: &mut Vec<WideSales>) {
        let mut cell = self.widen_in(wide);
        cell.merge(other);
        self.store(cell, wide);
    }

    /// The cell at full width.
    pub(crate) fn widen_in(&self, wide: &[WideSales]) -> WideSales {
        if self.orders == ESCAPED {
            return wide.get(self.gross as usize).copied().unwrap_or_default();
        }
        let lane = |at: u32| (self.lanes >> at) & 0xF;
        let orders = u32::from(self.orders);
        let units = u32::from(self.units);
        WideSales {
            orders,
            units,
            cancelled: lane(lane::CANCELLED),
            seller_cancelled: lane(lane::SELLER_CANCELLED),
            returned: lane(lane::RETURNED),
            dispatched: orders - lane(lane::NOT_DISPATCHED).min(orders),
            late_dispatched: lane(lane::LATE),
            delivered: orders - lane(lane::NOT_DELIVERED).min(orders),
            net_orders: orders - lane(lane::NOT_NET_ORDERS).min(orders),
            net_units: units - lane(lane::NOT_NET_UNITS).min(units),
            gross_paise: i64::from(self.gross),
            net_paise: i64::from(self.net),
        }
    }

    /// The totals of the cell.
    pub(crate) fn totals(&self, wide: &[WideSales]) -> SalesTotals {
        self.widen_in(wide).widen()
    }

    /// Stores `cell`: packed if it fits, else at full width in `wide`.
    fn store(&mut self, cell: WideSales, wide: &mut Vec<WideSales>) {
        if self.orders == ESCAPED
            && let Some(slot) = wide.get_mut(self.gross as usize)
        {
            *slot = cell;
            return;
        }
        if let Some(packed) = PackedSales::pack(&cell) {
            *self = packed;
            return;
        }
        // (Past 2³² full-width cells, unreachable in memory, the cell would keep its value.)
        if let Ok(at) = u32::try_from(wide.len()) {
            wide.push(cell);
            *self = PackedSales {
                gross: at,
                net: 0,
                orders: ESCAPED,
                units: 0,
                lanes: 0,
            };
        }
    }

    /// `cell` packed, if every field fits.
    fn pack(cell: &WideSales) -> Option<PackedSales> {
        let orders = u16::try_from(cell.orders).ok().filter(|o| *o < ESCAPED)?;
        let deviation = |n: u32| (n <= 15).then_some(n);
        let lanes = [
            (cell.cancelled, lane::CANCELLED),
            (cell.seller_cancelled, lane::SELLER_CANCELLED),
            (cell.returned, lane::RETURNED),
            (
                cell.orders.checked_sub(cell.dispatched)?,
                lane::NOT_DISPATCHED,
            ),
            (cell.late_dispatched, lane::LATE),
            (
                cell.orders.checked_sub(cell.delivered)?,
                lane::NOT_DELIVERED,
            ),
            (
                cell.orders.checked_sub(cell.net_orders)?,
                lane::NOT_NET_ORDERS,
            ),
            (cell.units.checked_sub(cell.net_units)?, lane::NOT_NET_UNITS),
        ]
        .into_iter()
        .try_fold(0u32, |lanes, (n, at)| Some(lanes | deviation(n)? << at))?;
        Some(PackedSales {
            gross: u32::try_from(cell.gross_paise).ok()?,
            net: u32::try_from(cell.net_paise).ok()?,
            orders,
            units: u16::try_from(cell.units).ok()?,
            lanes,
        })
    }
}

/// A (seller, day) cell of service counts packed in a `u32`: orders in 10 bits, then the
/// deviations — cancelled by the seller, not dispatched, dispatched late, not delivered,
/// returned — in 4-bit lanes; or, with the top bit set, the index of its full-width
/// [`ServiceCounts`]. (Zero is the empty cell.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedService(u32);

const SERVICE_ORDERS: u32 = 0x3FF;
const SERVICE_SELLER_CANCELLED: u32 = 10;
const SERVICE_NOT_DISPATCHED: u32 = 14;
const SERVICE_LATE: u32 = 18;
const SERVICE_NOT_DELIVERED: u32 = 22;
const SERVICE_RETURNED: u32 = 26;
/// The lowest bit of each deviation lane.
const SERVICE_LANE_LOW_BITS: u32 = 1 << SERVICE_SELLER_CANCELLED
    | 1 << SERVICE_NOT_DISPATCHED
    | 1 << SERVICE_LATE
    | 1 << SERVICE_NOT_DELIVERED
    | 1 << SERVICE_RETURNED;
const SERVICE_ESCAPED: u32 = 1 << 31;

impl PackedService {
    /// Adds one order; a cell that would outgrow its fields moves to `wide`.
    #[inline]
    pub(crate) fn add(&mut self, facts: &OrderFacts, wide: &mut Vec<ServiceCounts>) {
        let increments = SERVICE_INCREMENTS[(facts.flags & 63) as usize];
        let cell = self.0;
        let full = cell & (cell >> 1) & (cell >> 2) & (cell >> 3) & SERVICE_LANE_LOW_BITS;
        if cell & SERVICE_ESCAPED == 0
            && cell & SERVICE_ORDERS != SERVICE_ORDERS
            && full & increments == 0
        {
            self.0 = cell + increments;
        } else {
            self.add_wide(facts, wide);
        }
    }

    #[cold]
    #[inline(never)]
    fn add_wide(&mut self, facts: &OrderFacts, wide: &mut Vec<ServiceCounts>) {
        let one = ServiceCounts {
            orders: 1,
            seller_cancelled: u32::from(facts.has(SELLER_CANCELLED)),
            dispatched: u32::from(facts.has(DISPATCHED)),
            late_dispatched: u32::from(facts.has(LATE)),
            delivered: u32::from(facts.has(DELIVERED)),
            returned: u32::from(facts.has(RETURNED)),
        };
        if self.0 & SERVICE_ESCAPED != 0
            && let Some(counts) = wide.get_mut((self.0 & !SERVICE_ESCAPED) as usize)
        {
            counts.merge(&one);
            return;
        }
        let mut counts = self.widen_in(wide);
        counts.merge(&one);
        self.store(counts, wide);
    }

    /// Adds full-width counts (a merge).
    pub(crate) fn merge(&mut self, other: &ServiceCounts, wide: &mut Vec<ServiceCounts>) {
        let mut counts = self.widen_in(wide);
        counts.merge(other);
        self.store(counts, wide);
    }

    /// The counts at full width.
    pub(crate) fn widen_in(&self, wide: &[ServiceCounts]) -> ServiceCounts {
        let cell = self.0;
        if cell & SERVICE_ESCAPED != 0 {
            return wide
                .get((cell & !SERVICE_ESCAPED) as usize)
                .copied()
                .unwrap_or_default();
        }
        let lane = |at: u32| (cell >> at) & 0xF;
        let orders = cell & SERVICE_ORDERS;
        ServiceCounts {
            orders,
            seller_cancelled: lane(SERVICE_SELLER_CANCELLED),
            dispatched: orders - lane(SERVICE_NOT_DISPATCHED).min(orders),
            late_dispatched: lane(SERVICE_LATE),
            delivered: orders - lane(SERVICE_NOT_DELIVERED).min(orders),
            returned: lane(SERVICE_RETURNED),
        }
    }

    /// Stores `counts`: packed if they fit, else at full width in `wide`.
    fn store(&mut self, counts: ServiceCounts, wide: &mut Vec<ServiceCounts>) {
        if self.0 & SERVICE_ESCAPED != 0
            && let Some(slot) = wide.get_mut((self.0 & !SERVICE_ESCAPED) as usize)
        {
            *slot = counts;
            return;
        }
        if let Some(packed) = PackedService::pack(&counts) {
            *self = packed;
            return;
        }
        if let Ok(at) = u32::try_from(wide.len())
            && at < SERVICE_ESCAPED
        {
            wide.push(counts);
            self.0 = SERVICE_ESCAPED | at;
        }
    }

    fn pack(counts: &ServiceCounts) -> Option<PackedService> {
        let lane = |n: u32, at: u32| (n <= 15).then_some(n << at);
        let orders = (counts.orders <= SERVICE_ORDERS).then_some(counts.orders)?;
        Some(PackedService(
            orders
                | lane(counts.seller_cancelled, SERVICE_SELLER_CANCELLED)?
                | lane(
                    counts.orders.checked_sub(counts.dispatched)?,
                    SERVICE_NOT_DISPATCHED,
                )?
                | lane(counts.late_dispatched, SERVICE_LATE)?
                | lane(
                    counts.orders.checked_sub(counts.delivered)?,
                    SERVICE_NOT_DELIVERED,
                )?
                | lane(counts.returned, SERVICE_RETURNED)?,
        ))
    }
}

/// A (PIN code, month) demand cell packed in 12 bytes: orders and units in `u16`, gross and
/// net paise in `u32`; or, when `orders` is [`ESCAPED`], the index (in `gross`) of its
/// full-width [`DemandTotals`]. (Zero is the empty cell.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedDemand {
    gross: u32,
    net: u32,
    orders: u16,
    units: u16,
}

impl PackedDemand {
    /// Adds one order; a cell that would outgrow its fields moves to `wide`.
    #[inline]
    pub(crate) fn add(&mut self, facts: &OrderFacts, wide: &mut Vec<DemandTotals>) {
        if !self.try_add(facts) {
            self.add_wide(facts, wide);
        }
    }

    #[cold]
    #[inline(never)]
    fn add_wide(&mut self, facts: &OrderFacts, wide: &mut Vec<DemandTotals>) {
        let one = DemandTotals {
            orders: 1,
            units: u64::from(facts.quantity),
            gross_paise: facts.paise(),
            net_paise: if facts.is_net_sale() {
                facts.paise()
            } else {
                0
            },
        };
        if self.orders == ESCAPED
            && let Some(totals) = wide.get_mut(self.gross as usize)
        {
            totals.merge(&one);
            return;
        }
        let mut totals = self.widen_in(wide);
        totals.merge(&one);
        self.store(totals, wide);
    }

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        if self.orders >= ESCAPED - 1 || facts.flags & NARROW_PAISE == 0 {
            return false;
        }
        let paise = facts.paise32;
        let Some(gross) = self.gross.checked_add(paise) else {
            return false;
        };
        let net = if facts.is_net_sale() {
            let Some(net) = self.net.checked_add(paise) else {
                return false;
            };
            net
        } else {
            self.net
        };
        let Ok(units) = u16::try_from(u32::from(self.units).saturating_add(facts.quantity)) else {
            return false;
        };
        self.orders += 1;
        self.units = units;
        self.gross = gross;
        self.net = net;
        true
    }

    /// Adds full-width totals (a merge).
    pub(crate) fn merge(&mut self, other: &DemandTotals, wide: &mut Vec<DemandTotals>) {
        let mut totals = self.widen_in(wide);
        totals.merge(other);
        self.store(totals, wide);
    }

    /// The totals at full width.
    pub(crate) fn widen_in(&self, wide: &[DemandTotals]) -> DemandTotals {
        if self.orders == ESCAPED {
            return wide.get(self.gross as usize).copied().unwrap_or_default();
        }
        DemandTotals {
            orders: u64::from(self.orders),
            units: u64::from(self.units),
            gross_paise: i128::from(self.gross),
            net_paise: i128::from(self.net),
        }
    }

    /// Stores `totals`: packed if they fit, else at full width in `wide`.
    fn store(&mut self, totals: DemandTotals, wide: &mut Vec<DemandTotals>) {
        if self.orders == ESCAPED
            && let Some(slot) = wide.get_mut(self.gross as usize)
        {
            *slot = totals;
            return;
        }
        let packed = || {
            Some(PackedDemand {
                gross: u32::try_from(totals.gross_paise).ok()?,
                net: u32::try_from(totals.net_paise).ok()?,
                orders: u16::try_from(totals.orders).ok().filter(|o| *o < ESCAPED)?,
                units: u16::try_from(totals.units).ok()?,
            })
        };
        if let Some(packed) = packed() {
            *self = packed;
            return;
        }
        // (Past 2³² full-width cells, unreachable in memory, the cell would keep its value.)
        if let Ok(at) = u32::try_from(wide.len()) {
            wide.push(totals);
            *self = PackedDemand {
                gross: at,
                net: 0,
                orders: ESCAPED,
                units: 0,
            };
        }
    }
}
