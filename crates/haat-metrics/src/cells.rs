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

use std::sync::LazyLock;

use crate::order::Outcome;
use crate::{DemandTotals, OrderRecord, SalesTotals, ServiceCounts};

/// What one order line adds to every rollup, worked out once.
#[derive(Clone, Copy, Debug)]
pub struct OrderFacts<'a> {
    /// The order (for what only full-width cells need).
    order: &'a OrderRecord,
    /// When it was placed, Unix seconds.
    pub(crate) secs: i64,
    pub(crate) quantity: u32,
    /// What the buyer paid, in paise, if it fits in a `u32` (the packed cells' width).
    paise32: Option<u32>,
    /// What the order came to.
    outcome: Outcome,
    /// What it adds to a packed sales cell's deviation lanes (but the units lane).
    sales_lanes: u32,
    /// What it adds to a packed day cell.
    service_increments: u32,
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
        // An amount held at two decimal places (as every `Money` is), not negative, below 2³²
        // paise: its paise are the low word of the decimal's mantissa. (`serialize` gives the
        // decimal's words as they are: flags with the scale and sign, then the mantissa's low,
        // middle and high words.)
        let bytes = order.amount.amount().serialize();
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let paise32 = (word(0) == 2 << 16 && word(8) | word(12) == 0).then(|| word(4));
        let outcome = Outcome::of(order);
        let increments = INCREMENTS.get(outcome.index()).copied().unwrap_or_default();
        OrderFacts {
            order,
            secs,
            quantity: order.quantity,
            paise32,
            outcome,
            sales_lanes: increments.0,
            service_increments: increments.1,
        }
    }

    /// The order.
    pub(crate) fn order(&self) -> &'a OrderRecord {
        self.order
    }

    /// [`OrderRecord::is_net_sale`], as recorded.
    #[inline]
    pub(crate) fn is_net_sale(&self) -> bool {
        self.outcome.net()
    }
}

/// What an order with each outcome adds to the packed cells: the packed form of what the
/// rollups' own `one` says the order adds, worked out once for every outcome (so that the
/// packed cells never restate a rule) and looked up once an order. For each outcome, the
/// deviation lanes of a sales cell it adds to (all but the units lane, which depends on the
/// quantity) and what it adds to a day cell (its order and its lanes).
static INCREMENTS: LazyLock<[(u32, u32); Outcome::COUNT]> = LazyLock::new(|| {
    std::array::from_fn(|index| {
        let outcome = Outcome::from_index(index);
        let sales = PackedSales::pack(&SalesTotals::one(outcome, 0, 0));
        let service = PackedService::pack(&ServiceCounts::one(outcome));
        (sales.map_or(0, |p| p.lanes), service.map_or(0, |p| p.0))
    })
});

/// How a 4-bit lane holds its figure: as it is, or as what it falls short of the cell's
/// orders or units (so that the common case, every order dispatched, delivered and kept, is
/// all zeros).
#[derive(Clone, Copy)]
enum Held {
    Itself,
    ShortOfOrders,
    ShortOfUnits,
}

/// A 4-bit lane of a packed cell: where its lowest bit is, the figure of the full-width
/// cell `T` it holds, and how.
struct Lane<T, N> {
    at: u32,
    figure: fn(&mut T) -> &mut N,
    held: Held,
}

impl<T, N> Lane<T, N> {
    const fn new(at: u32, figure: fn(&mut T) -> &mut N, held: Held) -> Lane<T, N> {
        Lane { at, figure, held }
    }
}

impl<T, N: Copy + Into<u64> + TryFrom<u64>> Lane<T, N> {
    /// The lanes of `cell` (with `orders` and `units`) packed, if each fits in 4 bits.
    fn pack(lanes: &[Lane<T, N>], cell: &mut T, orders: u64, units: u64) -> Option<u32> {
        lanes.iter().try_fold(0, |bits, lane| {
            let figure: u64 = (*(lane.figure)(cell)).into();
            let held = match lane.held {
                Held::Itself => Some(figure),
                Held::ShortOfOrders => orders.checked_sub(figure),
                Held::ShortOfUnits => units.checked_sub(figure),
            }?;
            let held = u32::try_from(held).ok().filter(|n| *n <= 15)?;
            Some(bits | held << lane.at)
        })
    }

    /// Sets each figure of `cell` (with `orders` and `units`) from its lane in `bits`.
    fn unpack(lanes: &[Lane<T, N>], bits: u32, cell: &mut T, orders: u64, units: u64) {
        for lane in lanes {
            let held = u64::from((bits >> lane.at) & 0xF);
            let figure = match lane.held {
                Held::Itself => held,
                Held::ShortOfOrders => orders - held.min(orders),
                Held::ShortOfUnits => units - held.min(units),
            };
            if let Ok(figure) = N::try_from(figure) {
                *(lane.figure)(cell) = figure;
            }
        }
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

/// The eight 4-bit lanes of a packed sales cell: the deviations from a clean sale.
const SALES_LANES: [Lane<SalesTotals, u64>; 8] = [
    Lane::new(0, |t| &mut t.cancelled, Held::Itself),
    Lane::new(4, |t| &mut t.seller_cancelled, Held::Itself),
    Lane::new(8, |t| &mut t.returned, Held::Itself),
    Lane::new(12, |t| &mut t.dispatched, Held::ShortOfOrders),
    Lane::new(16, |t| &mut t.late_dispatched, Held::Itself),
    Lane::new(20, |t| &mut t.delivered, Held::ShortOfOrders),
    Lane::new(24, |t| &mut t.net_orders, Held::ShortOfOrders),
    Lane::new(NOT_NET_UNITS, |t| &mut t.net_units, Held::ShortOfUnits),
];

/// The lane of the units not kept, which an order adds its quantity to.
const NOT_NET_UNITS: u32 = 28;

/// The lowest bit of each 4-bit lane.
const NIBBLE_LOW_BITS: u32 = 0x1111_1111;

/// `orders` of a sales or demand cell that has moved to full width; its `gross` is then the
/// index.
const ESCAPED: u16 = u16::MAX;

/// The narrow amounts a sales and a demand cell share: orders and units in `u16`, gross and
/// net paise in `u32`; or, when `orders` is [`ESCAPED`], the index (in `gross`) of the cell's
/// full-width form. (Zero is the empty cell.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Amounts {
    gross: u32,
    net: u32,
    orders: u16,
    units: u16,
}

impl Amounts {
    /// These amounts with one more order, if every field can hold it (never for an escaped
    /// cell: `orders` may reach `ESCAPED - 1` and no further).
    #[inline]
    fn added(&self, facts: &OrderFacts) -> Option<Amounts> {
        let paise = facts.paise32.filter(|_| self.orders < ESCAPED - 1)?;
        let net = if facts.is_net_sale() {
            self.net.checked_add(paise)?
        } else {
            self.net
        };
        Some(Amounts {
            gross: self.gross.checked_add(paise)?,
            net,
            orders: self.orders + 1,
            units: u16::try_from(u32::from(self.units).saturating_add(facts.quantity)).ok()?,
        })
    }

    /// Full-width figures packed, if each fits.
    fn pack(orders: u64, units: u64, gross_paise: i128, net_paise: i128) -> Option<Amounts> {
        Some(Amounts {
            gross: u32::try_from(gross_paise).ok()?,
            net: u32::try_from(net_paise).ok()?,
            orders: u16::try_from(orders).ok().filter(|o| *o < ESCAPED)?,
            units: u16::try_from(units).ok()?,
        })
    }

    /// Orders, units, gross and net paise at full width.
    fn widen(&self) -> (u64, u64, i128, i128) {
        let Amounts {
            gross,
            net,
            orders,
            units,
        } = *self;
        (orders.into(), units.into(), gross.into(), net.into())
    }

    fn escaped(&self) -> Option<usize> {
        (self.orders == ESCAPED).then_some(self.gross as usize)
    }

    fn escape(at: usize) -> Option<Amounts> {
        Some(Amounts {
            gross: u32::try_from(at).ok()?,
            orders: ESCAPED,
            ..Amounts::default()
        })
    }
}

/// A (listing, month) cell packed in 16 bytes: its [`Amounts`], and the eight deviations from
/// a clean sale — cancelled, cancelled by the seller, returned, not dispatched, dispatched
/// late, not delivered, orders and units not kept — in 4-bit lanes of one `u32`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedSales {
    amounts: Amounts,
    lanes: u32,
}

impl Packed for PackedSales {
    type Wide = SalesTotals;

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        let Some(amounts) = self.amounts.added(facts) else {
            return false;
        };
        // Units not kept, in their 4-bit lane.
        let units_lane = if facts.is_net_sale() {
            0
        } else if facts.quantity > 15 || self.lanes >> NOT_NET_UNITS > 15 - facts.quantity {
            return false;
        } else {
            facts.quantity << NOT_NET_UNITS
        };
        let increments = facts.sales_lanes | units_lane;
        // A lane at 15 may not take one more (the units lane was checked above).
        let lanes = self.lanes;
        let full = lanes & (lanes >> 1) & (lanes >> 2) & (lanes >> 3) & NIBBLE_LOW_BITS;
        if full & increments & !(0xF << NOT_NET_UNITS) != 0 {
            return false;
        }
        self.amounts = amounts;
        self.lanes = lanes + increments;
        true
    }

    fn pack(cell: &SalesTotals) -> Option<PackedSales> {
        Some(PackedSales {
            amounts: Amounts::pack(cell.orders, cell.units, cell.gross_paise, cell.net_paise)?,
            lanes: Lane::pack(&SALES_LANES, &mut { *cell }, cell.orders, cell.units)?,
        })
    }

    fn unpack(&self) -> SalesTotals {
        let (orders, units, gross_paise, net_paise) = self.amounts.widen();
        let mut cell = SalesTotals {
            orders,
            units,
            gross_paise,
            net_paise,
            ..SalesTotals::default()
        };
        Lane::unpack(&SALES_LANES, self.lanes, &mut cell, orders, units);
        cell
    }

    fn escaped(&self) -> Option<usize> {
        self.amounts.escaped()
    }

    fn escape(at: usize) -> Option<PackedSales> {
        let amounts = Amounts::escape(at)?;
        Some(PackedSales { amounts, lanes: 0 })
    }
}

/// A (seller, day) cell of service counts packed in a `u32`: orders in 10 bits, then the
/// deviations — cancelled by the seller, not dispatched, dispatched late, not delivered,
/// returned — in 4-bit lanes; or, with the top bit set, the index of its full-width
/// [`ServiceCounts`]. (Zero is the empty cell.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedService(u32);

const SERVICE_ORDERS: u32 = 0x3FF;
/// The five 4-bit lanes of a packed day cell, above its orders.
const SERVICE_LANES: [Lane<ServiceCounts, u32>; 5] = [
    Lane::new(10, |c| &mut c.seller_cancelled, Held::Itself),
    Lane::new(14, |c| &mut c.dispatched, Held::ShortOfOrders),
    Lane::new(18, |c| &mut c.late_dispatched, Held::Itself),
    Lane::new(22, |c| &mut c.delivered, Held::ShortOfOrders),
    Lane::new(26, |c| &mut c.returned, Held::Itself),
];
/// The lowest bit of each lane.
const SERVICE_LANE_LOW_BITS: u32 = 0x0444_4400;
const SERVICE_ESCAPED: u32 = 1 << 31;

impl Packed for PackedService {
    type Wide = ServiceCounts;

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        let increments = facts.service_increments;
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
        let orders = (counts.orders <= SERVICE_ORDERS).then_some(counts.orders)?;
        let lanes = Lane::pack(&SERVICE_LANES, &mut { *counts }, orders.into(), 0)?;
        Some(PackedService(orders | lanes))
    }

    fn unpack(&self) -> ServiceCounts {
        let orders = self.0 & SERVICE_ORDERS;
        let mut counts = ServiceCounts {
            orders,
            ..ServiceCounts::default()
        };
        Lane::unpack(&SERVICE_LANES, self.0, &mut counts, orders.into(), 0);
        counts
    }

    fn escaped(&self) -> Option<usize> {
        (self.0 & SERVICE_ESCAPED != 0).then_some((self.0 & !SERVICE_ESCAPED) as usize)
    }

    fn escape(at: usize) -> Option<PackedService> {
        let at = u32::try_from(at).ok().filter(|at| *at < SERVICE_ESCAPED)?;
        Some(PackedService(SERVICE_ESCAPED | at))
    }
}

/// A (PIN code, month) demand cell packed in 12 bytes: its [`Amounts`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedDemand(Amounts);

impl Packed for PackedDemand {
    type Wide = DemandTotals;

    #[inline]
    fn try_add(&mut self, facts: &OrderFacts) -> bool {
        match self.0.added(facts) {
            Some(amounts) => {
                self.0 = amounts;
                true
            }
            None => false,
        }
    }

    fn pack(totals: &DemandTotals) -> Option<PackedDemand> {
        let DemandTotals {
            orders,
            units,
            gross_paise,
            net_paise,
        } = *totals;
        Amounts::pack(orders, units, gross_paise, net_paise).map(PackedDemand)
    }

    fn unpack(&self) -> DemandTotals {
        let (orders, units, gross_paise, net_paise) = self.0.widen();
        DemandTotals {
            orders,
            units,
            gross_paise,
            net_paise,
        }
    }

    fn escaped(&self) -> Option<usize> {
        self.0.escaped()
    }

    fn escape(at: usize) -> Option<PackedDemand> {
        Amounts::escape(at).map(PackedDemand)
    }
}
