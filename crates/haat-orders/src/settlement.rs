//! Settlement: what each seller is paid for its delivered orders, cycle by cycle.
//!
//! The payout of a sale is the catalogue's [`Payout::compute`] (commission, fees, GST on fees,
//! GST TCS, income-tax TDS): that rule lives there once. What only a settlement knows is
//! added here: which orders are due (delivered, past the return window), the section 194-O(4)
//! exemption that depends on a seller's gross over the whole financial year, and reversing
//! units that come back after they were paid for.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use haat_catalogue::{
    CommissionTreatment, DeductionKind, GstRateTable, MarketplaceTariff, PanStatus, Payout,
    SaleInput,
};
use haat_core::{FastHashMap, FinancialYear, Locale, Money, OrderId, SellerId, ist_date};
use haat_seller::{PanHolderType, Seller};
use serde::{Deserialize, Serialize};

use crate::tax_memo::TaxMemo;
use crate::{Error, Order, OrderStatus};

/// The section 194-O(4) threshold: an individual or HUF seller who furnished a PAN and whose
/// gross sales through the marketplace in the financial year stay within ₹5 lakh suffers no
/// income-tax TDS.
pub const TDS_194O_EXEMPTION_LIMIT: Money = Money::from_rupees(500_000);

/// What settlement needs to know of a seller at the instant of a sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payee {
    /// Whether the seller furnished a PAN.
    pub pan: PanStatus,
    /// Whether the seller is an individual or a HUF (the 194-O(4) exemption is theirs only).
    pub individual_or_huf: bool,
    /// Commission charged, or waived by a programme benefit in force.
    pub commission: CommissionTreatment,
}

impl Payee {
    /// The payee `seller` is at `at`: its KYC PAN and holder type, and whether an inclusion
    /// programme's benefit waives commission then (the seller aggregate's own rule). `None`
    /// before KYC is submitted.
    pub fn of(seller: &Seller, at: DateTime<Utc>) -> Option<Payee> {
        let pan = seller.kyc()?.pan;
        let commission = if seller.commission_waived(at) {
            CommissionTreatment::Waived
        } else {
            CommissionTreatment::Charged
        };
        Some(Payee {
            pan: PanStatus::Furnished,
            individual_or_huf: matches!(
                pan.holder_type(),
                PanHolderType::Individual | PanHolderType::Huf
            ),
            commission,
        })
    }
}

/// Who is paid: the caller answers from its sellers.
pub trait Payees {
    /// `seller` as a payee at `at`, if known.
    fn payee(&self, seller: SellerId, at: DateTime<Utc>) -> Option<Payee>;
}

impl Payees for HashMap<SellerId, Seller> {
    fn payee(&self, seller: SellerId, at: DateTime<Utc>) -> Option<Payee> {
        Payee::of(self.get(&seller)?, at)
    }
}

/// The marketplace's settlement cycles: consecutive runs of `days` days from `anchor`.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_orders::SettlementCalendar;
/// // Weekly, Monday to Sunday.
/// let monday = NaiveDate::from_ymd_opt(2025, 9, 29).ok_or("date")?;
/// let weekly = SettlementCalendar::new(monday, 7).ok_or("days")?;
/// let thursday = NaiveDate::from_ymd_opt(2025, 10, 9).ok_or("date")?;
/// assert_eq!(weekly.cycle_of(thursday).to_string(), "2025-10-06 – 2025-10-12");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SettlementCalendar {
    anchor: NaiveDate,
    days: u16,
}

impl SettlementCalendar {
    /// Cycles of `days` days (at least 1) starting on `anchor`.
    pub fn new(anchor: NaiveDate, days: u16) -> Option<SettlementCalendar> {
        (days > 0).then_some(SettlementCalendar { anchor, days })
    }

    /// The cycle holding `date`.
    pub fn cycle_of(&self, date: NaiveDate) -> Cycle {
        let days = i64::from(self.days);
        let index = (date - self.anchor).num_days().div_euclid(days);
        let first = self.anchor + Duration::days(index * days);
        Cycle {
            first,
            last: first + Duration::days(days - 1),
        }
    }
}

/// One settlement cycle: its first and last IST days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cycle {
    /// The first day.
    pub first: NaiveDate,
    /// The last day.
    pub last: NaiveDate,
}

impl std::fmt::Display for Cycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} – {}", self.first, self.last)
    }
}

/// Whether a statement entry pays for a sale or takes back a returned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Units delivered and kept past the return window.
    Sale,
    /// Units returned after they were settled: every amount of their sale, negated.
    Reversal,
}

/// One line of a statement: some units of one order line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatementEntry {
    /// The order.
    pub order: OrderId,
    /// The line's index in the order.
    pub line: usize,
    /// A sale or a reversal.
    pub kind: EntryKind,
    /// Units.
    pub quantity: u32,
    /// What the buyer paid for them (negative on a reversal).
    pub gross: Money,
    /// Each deduction (negative on a reversal).
    pub deductions: Vec<(DeductionKind, Money)>,
    /// What the seller is paid: gross minus every deduction.
    pub net: Money,
}

/// A seller's statement for one cycle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statement {
    /// The seller.
    pub seller: SellerId,
    /// The cycle.
    pub cycle: Cycle,
    /// The entries, by order and line.
    pub entries: Vec<StatementEntry>,
    /// The sum of the entries' gross.
    pub gross: Money,
    /// The sum of each deduction over the entries.
    pub deductions: Vec<(DeductionKind, Money)>,
    /// The sum of the entries' net: what is paid out.
    pub net: Money,
}

impl Statement {
    /// The statement as a seller reads it, in `locale` (en-IN or bn-IN).
    pub fn render(&self, locale: Locale) -> String {
        let bn = matches!(locale, Locale::BnIn);
        let label = |en: &'static str, bengali: &'static str| if bn { bengali } else { en };
        let date = |d: NaiveDate| locale.digits(&d.format("%d-%m-%Y").to_string());
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{} — {} {}",
            label("Settlement statement", "নিষ্পত্তি বিবরণী"),
            label("seller", "বিক্রেতা"),
            locale.digits(&self.seller.to_string()),
        );
        let _ = writeln!(
            out,
            "{}: {} – {}",
            label("Cycle", "চক্র"),
            date(self.cycle.first),
            date(self.cycle.last)
        );
        for entry in &self.entries {
            let kind = match entry.kind {
                EntryKind::Sale => label("sale", "বিক্রি"),
                EntryKind::Reversal => label("return", "ফেরত"),
            };
            let _ = writeln!(
                out,
                "{} {} / {} {}, {} {}: {}",
                label("Order", "অর্ডার"),
                locale.digits(&entry.order.to_string()),
                label("line", "লাইন"),
                locale.digits(&(entry.line + 1).to_string()),
                locale.digits(&entry.quantity.to_string()),
                label("pcs", "টি"),
                kind,
            );
            write_amounts(&mut out, locale, entry.gross, &entry.deductions, entry.net);
        }
        let _ = writeln!(out, "{}:", label("Total", "সর্বমোট"));
        write_amounts(&mut out, locale, self.gross, &self.deductions, self.net);
        out
    }
}

fn deduction_label(kind: DeductionKind, locale: Locale) -> &'static str {
    let bn = matches!(locale, Locale::BnIn);
    match (kind, bn) {
        (DeductionKind::Commission, false) => "Commission",
        (DeductionKind::Commission, true) => "কমিশন",
        (DeductionKind::FixedFee, false) => "Fixed fee",
        (DeductionKind::FixedFee, true) => "নির্দিষ্ট ফি",
        (DeductionKind::ShippingFee, false) => "Shipping fee",
        (DeductionKind::ShippingFee, true) => "শিপিং ফি",
        (DeductionKind::GstOnFees, false) => "GST on fees",
        (DeductionKind::GstOnFees, true) => "ফি-র উপর জিএসটি",
        (DeductionKind::GstTcs, false) => "GST TCS",
        (DeductionKind::GstTcs, true) => "জিএসটি টিসিএস",
        (DeductionKind::IncomeTaxTds, false) => "Income-tax TDS",
        (DeductionKind::IncomeTaxTds, true) => "আয়কর টিডিএস",
        (_, false) => "Other deduction",
        (_, true) => "অন্যান্য কর্তন",
    }
}

fn write_amounts(
    out: &mut String,
    locale: Locale,
    gross: Money,
    deductions: &[(DeductionKind, Money)],
    net: Money,
) {
    let bn = matches!(locale, Locale::BnIn);
    let _ = writeln!(
        out,
        "  {}: {}",
        if bn {
            "মোট বিক্রয়মূল্য"
        } else {
            "Gross"
        },
        locale.inr(gross)
    );
    for (kind, amount) in deductions {
        let _ = writeln!(
            out,
            "  − {}: {}",
            deduction_label(*kind, locale),
            locale.inr(*amount)
        );
    }
    let _ = writeln!(
        out,
        "  = {}: {}",
        if bn {
            "নিট প্রাপ্য"
        } else {
            "Net"
        },
        locale.inr(net)
    );
}

/// The marketplace's charges for settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementTerms<'a> {
    /// Commission by category and fixed fees.
    pub tariff: &'a MarketplaceTariff,
    /// GST rates (for the taxable value TCS is collected on).
    pub rates: &'a GstRateTable,
    /// The shipping fee the seller pays per order (before GST), charged on its first line.
    pub shipping_fee: Money,
    /// The cycles.
    pub calendar: SettlementCalendar,
}

/// What was settled of one order line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Settled {
    /// Units paid for and not since reversed.
    quantity: u32,
    /// Whether income-tax TDS was deducted (so a reversal gives it back).
    tds: bool,
}

/// The settlement process's memory: which order lines were paid for, and each seller's gross
/// so far in each financial year (for the 194-O(4) threshold).
#[derive(Clone, Debug, Default)]
pub struct Settlements {
    settled: FastHashMap<(OrderId, usize), Settled>,
    year_gross: FastHashMap<(SellerId, FinancialYear), Money>,
    /// The GST rates asked for so far (every line paid asks one; checkout's memo, the one
    /// door to remembered tax answers).
    memo: TaxMemo,
}

/// Two settlement memories are equal when they remember the same payments: the rates
/// remembered are answers the table would give again, not part of what was settled.
impl PartialEq for Settlements {
    fn eq(&self, other: &Settlements) -> bool {
        self.settled == other.settled && self.year_gross == other.year_gross
    }
}

impl Eq for Settlements {}

/// One change a settlement run made to the memory, with the value it replaced.
#[derive(Clone, Copy, Debug)]
enum Change {
    Settled((OrderId, usize), Option<Settled>),
    YearGross((SellerId, FinancialYear), Option<Money>),
}

impl Settlements {
    /// The statements of the cycle holding `now`'s IST date, one per seller with entries: a
    /// sale entry for each line of a delivered order whose return window closed before
    /// `now`, for the units not returned; a reversal for units returned after they were
    /// settled. What is settled is remembered, so each unit is paid once and reversed once.
    ///
    /// # Errors
    /// [`Error::Pricing`] when the catalogue cannot work out a payout (no commission rate
    /// for a category); [`Error::UnknownPayee`]; [`Error::Overflow`].
    pub fn settle<'o>(
        &mut self,
        orders: impl IntoIterator<Item = &'o Order>,
        payees: &impl Payees,
        terms: &SettlementTerms<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Statement>, Error> {
        let mut orders: Vec<&Order> = orders.into_iter().filter(|o| o.id().is_some()).collect();
        orders.sort_by_key(|o| o.id());
        // A failure part-way leaves the memory as it was: every change is logged with the
        // value it replaced and undone in reverse (the memory grows with every order a seller
        // ever had, too much to copy at each cycle).
        let mut changes = Vec::new();
        let statements = self.settle_sorted(&orders, payees, terms, now, &mut changes);
        if statements.is_err() {
            for change in changes.into_iter().rev() {
                match change {
                    Change::Settled(key, Some(old)) => {
                        self.settled.insert(key, old);
                    }
                    Change::Settled(key, None) => {
                        self.settled.remove(&key);
                    }
                    Change::YearGross(key, Some(old)) => {
                        self.year_gross.insert(key, old);
                    }
                    Change::YearGross(key, None) => {
                        self.year_gross.remove(&key);
                    }
                }
            }
        }
        statements
    }

    /// [`settle`](Self::settle) of `orders`, sorted by id, logging every change.
    fn settle_sorted(
        &mut self,
        orders: &[&Order],
        payees: &impl Payees,
        terms: &SettlementTerms<'_>,
        now: DateTime<Utc>,
        changes: &mut Vec<Change>,
    ) -> Result<Vec<Statement>, Error> {
        let mut entries: BTreeMap<SellerId, Vec<StatementEntry>> = BTreeMap::new();
        for order in orders {
            for entry in self.settle_order(order, payees, terms, now, changes)? {
                if let Some(seller) = order.seller() {
                    entries.entry(seller).or_default().push(entry);
                }
            }
        }
        let cycle = terms.calendar.cycle_of(ist_date(now));
        entries
            .into_iter()
            .map(|(seller, entries)| statement(seller, cycle, entries))
            .collect()
    }

    /// Records what is settled of an order line, logging the change.
    fn set_settled(&mut self, key: (OrderId, usize), settled: Settled, changes: &mut Vec<Change>) {
        let old = self.settled.insert(key, settled);
        changes.push(Change::Settled(key, old));
    }

    /// Records a seller's gross so far in a year, logging the change.
    fn set_year_gross(
        &mut self,
        key: (SellerId, FinancialYear),
        gross: Money,
        changes: &mut Vec<Change>,
    ) {
        let old = self.year_gross.insert(key, gross);
        changes.push(Change::YearGross(key, old));
    }

    fn settle_order(
        &mut self,
        order: &Order,
        payees: &impl Payees,
        terms: &SettlementTerms<'_>,
        now: DateTime<Utc>,
        changes: &mut Vec<Change>,
    ) -> Result<Vec<StatementEntry>, Error> {
        let (Some(id), Some(seller), Some(sold_at), Some(registration), Some(buyer_state)) = (
            order.id(),
            order.seller(),
            order.placed_at(),
            order.registration(),
            order.buyer_state(),
        ) else {
            return Ok(Vec::new());
        };
        let delivered_at = match (order.status(), order.delivered_at()) {
            (Some(OrderStatus::Delivered | OrderStatus::Returned), Some(at)) => at,
            _ => return Ok(Vec::new()),
        };
        let mut entries = Vec::new();
        // The order's shipping fee goes on the first line settled, once.
        let mut first_line = (0..order.lines().len()).all(|i| !self.settled.contains_key(&(id, i)));
        for (index, line) in order.lines().iter().enumerate() {
            let kept = line.quantity.saturating_sub(order.returned(index));
            let payout =
                |memo: &mut TaxMemo, quantity: u32, shipping_fee: Money| -> Result<Payout, Error> {
                    let payee = payees
                        .payee(seller, sold_at)
                        .ok_or(Error::UnknownPayee { seller })?;
                    let sale = SaleInput {
                        sold_at,
                        category: line.category.clone(),
                        hsn: line.hsn,
                        unit_price: line.unit_price,
                        quantity,
                        registration,
                        pan: payee.pan,
                        buyer_state,
                        commission: payee.commission,
                        shipping_fee,
                        tariff: terms.tariff,
                        gst_rates: terms.rates,
                    };
                    Payout::compute_with(&sale, |hsn, price, date| {
                        memo.rate(terms.rates, hsn, price, date)
                    })
                    .map_err(Error::Pricing)
                };
            let year = FinancialYear::containing(sold_at);
            match self.settled.get(&(id, index)).copied() {
                None => {
                    let closes = delivered_at + Duration::days(i64::from(line.return_days));
                    if now <= closes {
                        continue;
                    }
                    if kept == 0 {
                        let nothing = Settled {
                            quantity: 0,
                            tds: false,
                        };
                        self.set_settled((id, index), nothing, changes);
                        continue;
                    }
                    let shipping = if first_line {
                        terms.shipping_fee
                    } else {
                        Money::ZERO
                    };
                    first_line = false;
                    let payout = payout(&mut self.memo, kept, shipping)?;
                    let gross_so_far = self
                        .year_gross(seller, year)
                        .checked_add(payout.gross())
                        .ok_or(Error::Overflow {
                            what: "yearly gross",
                        })?;
                    self.set_year_gross((seller, year), gross_so_far, changes);
                    let exempt = payees
                        .payee(seller, sold_at)
                        .is_some_and(|p| p.individual_or_huf && p.pan == PanStatus::Furnished)
                        && gross_so_far <= TDS_194O_EXEMPTION_LIMIT;
                    let settled = Settled {
                        quantity: kept,
                        tds: !exempt,
                    };
                    self.set_settled((id, index), settled, changes);
                    entries.push(entry(id, index, EntryKind::Sale, kept, &payout, !exempt)?);
                }
                Some(settled) if kept < settled.quantity => {
                    let back = settled.quantity - kept;
                    let payout = payout(&mut self.memo, back, Money::ZERO)?;
                    if let Some(&gross) = self.year_gross.get(&(seller, year)) {
                        let less = gross.checked_sub(payout.gross()).unwrap_or(gross);
                        self.set_year_gross((seller, year), less, changes);
                    }
                    let remaining = Settled {
                        quantity: kept,
                        ..settled
                    };
                    self.set_settled((id, index), remaining, changes);
                    entries.push(entry(
                        id,
                        index,
                        EntryKind::Reversal,
                        back,
                        &payout,
                        settled.tds,
                    )?);
                }
                Some(_) => {}
            }
        }
        Ok(entries)
    }

    /// The seller's gross settled so far in `year`.
    pub fn year_gross(&self, seller: SellerId, year: FinancialYear) -> Money {
        self.year_gross
            .get(&(seller, year))
            .copied()
            .unwrap_or(Money::ZERO)
    }
}

/// A statement entry from the catalogue's payout: TDS left out when `tds` is false (the
/// 194-O(4) exemption), every amount negated on a reversal.
fn entry(
    order: OrderId,
    line: usize,
    kind: EntryKind,
    quantity: u32,
    payout: &Payout,
    tds: bool,
) -> Result<StatementEntry, Error> {
    let overflow = || Error::Overflow {
        what: "statement entry",
    };
    let sign = |m: Money| match kind {
        EntryKind::Sale => Some(m),
        EntryKind::Reversal => Money::ZERO.checked_sub(m),
    };
    let deductions = payout
        .deductions()
        .into_iter()
        .map(|(k, amount)| {
            let amount = if k == DeductionKind::IncomeTaxTds && !tds {
                Money::ZERO
            } else {
                amount
            };
            sign(amount).map(|a| (k, a)).ok_or_else(overflow)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let gross = sign(payout.gross()).ok_or_else(overflow)?;
    let net = Money::checked_sum(deductions.iter().map(|(_, a)| *a))
        .and_then(|total| gross.checked_sub(total))
        .ok_or_else(overflow)?;
    Ok(StatementEntry {
        order,
        line,
        kind,
        quantity,
        gross,
        deductions,
        net,
    })
}

fn statement(
    seller: SellerId,
    cycle: Cycle,
    entries: Vec<StatementEntry>,
) -> Result<Statement, Error> {
    let overflow = || Error::Overflow { what: "statement" };
    let gross = Money::checked_sum(entries.iter().map(|e| e.gross)).ok_or_else(overflow)?;
    let net = Money::checked_sum(entries.iter().map(|e| e.net)).ok_or_else(overflow)?;
    let mut deductions: Vec<(DeductionKind, Money)> = Vec::new();
    for (kind, amount) in entries.iter().flat_map(|e| e.deductions.iter()) {
        match deductions.iter_mut().find(|(k, _)| k == kind) {
            Some((_, total)) => *total = total.checked_add(*amount).ok_or_else(overflow)?,
            None => deductions.push((*kind, *amount)),
        }
    }
    Ok(Statement {
        seller,
        cycle,
        entries,
        gross,
        deductions,
        net,
    })
}
