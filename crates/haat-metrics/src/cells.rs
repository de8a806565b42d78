//! The order folds' cells as they are stored: packed small, widened when read.
//!
//! Most (listing, month) and (seller, day) cells hold a handful of orders, nearly all of them
//! dispatched on time, delivered and kept. So a cell keeps its counts in narrow fields — the
//! rare outcomes (cancelled, returned, late, not dispatched, not delivered, not kept) as 4-bit
//! deviations — and a cell that outgrows any field moves, once, to a full-width cell in a side
//! vector, its packed form becoming that cell's index. Packed, a sales cell is 16 bytes (its
//! [`SalesTotals`] 112) and a day's service counts 4 (24): fewer bytes per cell is fewer pages
//! to fault and fewer cache lines to miss. Either form widens to the same totals: the
//! representation never shows.
//!
//! The full-width form of a cell is its rollup's own totals type, and what an order adds to it
//! is that type's `add`, where the business rules are. The protocol every packed cell follows
//! — try the narrow fields, else move to full width; merge and read at full width — is written
//! once, in the provided methods of [`Packed`]; each packed type says only how it packs. The
//! narrow fast path reads the rules' outcomes from [`OrderFacts`], worked out once an order by
//! the same [`OrderRecord`] methods the totals use.

use crate::{DemandTotals, OrderRecord, SalesTotals, ServiceCounts};

/// What one order line adds to every rollup, worked out once.
#[derive(Clone, Copy, Debug)]
pub struct OrderFacts<'a> {
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
/// A net sale ([`OrderRecord::is_net_sale`]).
const NET: u32 = 1 << 6;
/// The outcome flags above, which index the lane tables.
const OUTCOMES: u32 = (1 << 7) - 1;
/// `paise32` holds the amount.
const NARROW_PAISE: u32 = 1 << 7;

/// What an order with each combination of flags adds to a packed sales cell's deviation lanes
/// (all but the units one) and to a packed day cell: looked up rather than worked out bit by bit.
const SALES_LANES: [u32; 128] = lanes_by_flags(false);
const SERVICE_INCREMENTS: [u32; 128] = lanes_by_flags(true);

/// 1 if `flags` has `flag`.
const fn has(flags: u32, flag: u32) -> u32 {
    (flags & flag != 0) as u32
}

const fn lanes_by_flags(service: bool) -> [u32; 128] {
    let mut table = [0u32; 128];
    let mut flags = 0;
    while flags < 128 {
        let net = has(flags, NET);
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
        // The business rules are `OrderRecord`'s; here only their outcomes are recorded.
        let flag = |holds: bool, flag: u32| if holds { flag } else { 0 };
        let mut flags = flag(order.cancellation.is_some(), CANCELLED)
            | flag(order.is_seller_cancelled(), SELLER_CANCELLED)
            | flag(order.returned_at.is_some(), RETURNED)
            | flag(order.dispatched_at.is_some(), DISPATCHED)
            | flag(order.is_late_dispatch(), LATE)
            | flag(order.delivered_at.is_some(), DELIVERED)
            | flag(order.is_net_sale(), NET);
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

    /// The order.
    pub(crate) fn order(&self) -> &'a OrderRecord {
        self.order
    }

    /// [`OrderRecord::is_net_sale`], as recorded.
    #[inline]
    pub(crate) fn is_net_sale(&self) -> bool {
        self.flags & NET != 0
    }
}

/// What a cell holds at full width: a rollup's totals, with the one `add` that holds the rules.
pub trait Totals: Copy + Default + std::fmt::Debug {
    /// Adds one order line.
    fn add(&mut self, order: &OrderRecord);
    /// Adds another cell's totals.
    fn merge(&mut self, other: &Self);
}

impl Totals for SalesTotals {
    fn add(&mut self, order: &OrderRecord) {
        SalesTotals::add(self, order);
    }
    fn merge(&mut self, other: &Self) {
        SalesTotals::merge(self, other);
    }
}

impl Totals for ServiceCounts {
    fn add(&mut self, order: &OrderRecord) {
        ServiceCounts::add(self, order);
    }
    fn merge(&mut self, other: &Self) {
        ServiceCounts::merge(self, other);
    }
}

impl Totals for DemandTotals {
    fn add(&mut self, order: &OrderRecord) {
        DemandTotals::add(self, order);
    }
    fn merge(&mut self, other: &Self) {
        DemandTotals::merge(self, other);
    }
}

/// A cell in packed form, or the index of its full-width form in a side vector.
///
/// A packed type says how it packs (`try_add`, `pack`, `unpack`) and how it marks an escaped
/// cell (`escaped`, `escape`); the protocol — add narrow or move to full width, merge, read —
/// is the provided methods, written once for every packed cell. (`Default` is the empty cell.)
pub trait Packed: Copy + Default + std::fmt::Debug {
    /// The full-width form.
    type Wide: Totals;

    /// Adds one order in the narrow fields, if they can hold it (never in an escaped cell).
    fn try_add(&mut self, facts: &OrderFacts) -> bool;

    /// `wide` packed, if every field fits.
    fn pack(wide: &Self::Wide) -> Option<Self>;

    /// A cell that has not escaped, at full width.
    fn unpack(&self) -> Self::Wide;

    /// Where the full-width form of an escaped cell is.
    fn escaped(&self) -> Option<usize>;

    /// The escaped cell whose full-width form is at `at` (`None` past what the form can name).
    fn escape(at: usize) -> Option<Self>;

    /// Adds one order; a cell that would outgrow its fields moves to `wide`.
    #[inline]
    fn add(&mut self, facts: &OrderFacts, wide: &mut Vec<Self::Wide>) {
        if !self.try_add(facts) {
            self.add_wide(facts, wide);
        }
    }

    /// [`Packed::add`] at full width.
    #[cold]
    #[inline(never)]
    fn add_wide(&mut self, facts: &OrderFacts, wide: &mut Vec<Self::Wide>) {
        if let Some(cell) = self.escaped().and_then(|at| wide.get_mut(at)) {
            cell.add(facts.order());
            return;
        }
        let mut cell = self.widen_in(wide);
        cell.add(facts.order());
        self.store(cell, wide);
    }

    /// Adds a full-width cell (a merge).
    fn merge(&mut self, other: &Self::Wide, wide: &mut Vec<Self::Wide>) {
        let mut cell = self.widen_in(wide);
        cell.merge(other);
        self.store(cell, wide);
    }

    /// The cell at full width.
    fn widen_in(&self, wide: &[Self::Wide]) -> Self::Wide {
        match self.escaped() {
            Some(at) => wide.get(at).copied().unwrap_or_default(),
            None => self.unpack(),
        }
    }

    /// Stores `cell`: packed if it fits, else at full width in `wide`.
    fn store(&mut self, cell: Self::Wide, wide: &mut Vec<Self::Wide>) {
        if let Some(slot) = self.escaped().and_then(|at| wide.get_mut(at)) {
            *slot = cell;
            return;
        }
        if let Some(packed) = Self::pack(&cell) {
            *self = packed;
            return;
        }
        // (Past what an escaped cell can name, unreachable in memory, the cell would keep its
        // value.)
        if let Some(escaped) = Self::escape(wide.len()) {
            wide.push(cell);
            *self = escaped;
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

/// `orders` of a sales or demand cell that has moved to full width; its `gross` is then the
/// index.
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

impl Packed for PackedSales {
    type Wide = SalesTotals;

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
        let increments = SALES_LANES[(facts.flags & OUTCOMES) as usize] | units_lane;
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

    fn pack(cell: &SalesTotals) -> Option<PackedSales> {
        let orders = u16::try_from(cell.orders).ok().filter(|o| *o < ESCAPED)?;
        let deviation = |n: u64| u32::try_from(n).ok().filter(|n| *n <= 15);
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

    fn unpack(&self) -> SalesTotals {
        let lane = |at: u32| u64::from((self.lanes >> at) & 0xF);
        let orders = u64::from(self.orders);
        let units = u64::from(self.units);
        SalesTotals {
            orders,
            units,
            gross_paise: i128::from(self.gross),
            cancelled: lane(lane::CANCELLED),
            seller_cancelled: lane(lane::SELLER_CANCELLED),
            returned: lane(lane::RETURNED),
            dispatched: orders - lane(lane::NOT_DISPATCHED).min(orders),
            late_dispatched: lane(lane::LATE),
            delivered: orders - lane(lane::NOT_DELIVERED).min(orders),
            net_orders: orders - lane(lane::NOT_NET_ORDERS).min(orders),
            net_units: units - lane(lane::NOT_NET_UNITS).min(units),
            net_paise: i128::from(self.net),
        }
    }

    fn escaped(&self) -> Option<usize> {
        (self.orders == ESCAPED).then_some(self.gross as usize)
    }

    fn escape(at: usize) -> Option<PackedSales> {
        Some(PackedSales {
            gross: u32::try_from(at).ok()?,
            net: 0,
            orders: ESCAPED,
            units: 0,
            lanes: 0,
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

impl Packed for PackedService {
    type Wide = ServiceCounts;

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        let increments = SERVICE_INCREMENTS[(facts.flags & OUTCOMES) as usize];
        let cell = self.0;
        let full = cell & (cell >> 1) & (cell >> 2) & (cell >> 3) & SERVICE_LANE_LOW_BITS;
        if cell & SERVICE_ESCAPED == 0
            && cell & SERVICE_ORDERS != SERVICE_ORDERS
            && full & increments == 0
        {
            self.0 = cell + increments;
            true
        } else {
            false
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

    fn unpack(&self) -> ServiceCounts {
        let cell = self.0;
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

    fn escaped(&self) -> Option<usize> {
        (self.0 & SERVICE_ESCAPED != 0).then_some((self.0 & !SERVICE_ESCAPED) as usize)
    }

    fn escape(at: usize) -> Option<PackedService> {
        let at = u32::try_from(at).ok().filter(|at| *at < SERVICE_ESCAPED)?;
        Some(PackedService(SERVICE_ESCAPED | at))
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

impl Packed for PackedDemand {
    type Wide = DemandTotals;

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

    fn pack(totals: &DemandTotals) -> Option<PackedDemand> {
        Some(PackedDemand {
            gross: u32::try_from(totals.gross_paise).ok()?,
            net: u32::try_from(totals.net_paise).ok()?,
            orders: u16::try_from(totals.orders).ok().filter(|o| *o < ESCAPED)?,
            units: u16::try_from(totals.units).ok()?,
        })
    }

    fn unpack(&self) -> DemandTotals {
        DemandTotals {
            orders: u64::from(self.orders),
            units: u64::from(self.units),
            gross_paise: i128::from(self.gross),
            net_paise: i128::from(self.net),
        }
    }

    fn escaped(&self) -> Option<usize> {
        (self.orders == ESCAPED).then_some(self.gross as usize)
    }

    fn escape(at: usize) -> Option<PackedDemand> {
        Some(PackedDemand {
            gross: u32::try_from(at).ok()?,
            net: 0,
            orders: ESCAPED,
            units: 0,
        })
    }
}
