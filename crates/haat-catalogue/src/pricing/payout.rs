//! What a seller is paid for a sale: the price less the marketplace's commission, fees, the GST
//! on them, GST TCS and income-tax TDS.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{Money, StateCode, ist_date};
use serde::{Deserialize, Serialize};

use super::{GstRateTable, GstRegistration, HsnCode, Percent, PricingError, TaxBreakdown};
use crate::CategoryId;

/// Commission rates by category, inherited down the tree: a category without its own rate takes
/// its nearest ancestor's, and the schedule's default if none has one.
///
/// ```
/// use haat_catalogue::{CategoryId, CommissionSchedule, Percent};
/// let schedule = CommissionSchedule::new()
///     .with_rate("textiles".parse()?, Percent::whole(12))
///     .with_rate("textiles/sarees".parse()?, Percent::whole(8));
/// let tant: CategoryId = "textiles/sarees/handloom/tant".parse()?;
/// assert_eq!(schedule.rate_for(&tant)?, Percent::whole(8));
/// assert!(schedule.rate_for(&"food".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CommissionSchedule {
    default: Option<Percent>,
    by_category: BTreeMap<CategoryId, Percent>,
}

impl CommissionSchedule {
    /// An empty schedule: every lookup fails until rates are added.
    pub fn new() -> CommissionSchedule {
        CommissionSchedule::default()
    }

    /// The rate for `category` and everything beneath it that has no rate of its own.
    #[must_use]
    pub fn with_rate(mut self, category: CategoryId, rate: Percent) -> CommissionSchedule {
        self.by_category.insert(category, rate);
        self
    }

    /// The rate for categories with no rate on their path.
    #[must_use]
    pub fn with_default(mut self, rate: Percent) -> CommissionSchedule {
        self.default = Some(rate);
        self
    }

    /// The rate for `category`: its own, else its nearest ancestor's, else the default.
    ///
    /// # Errors
    /// [`PricingError::NoCommissionFor`] if there is none.
    pub fn rate_for(&self, category: &CategoryId) -> Result<Percent, PricingError> {
        std::iter::once(category.clone())
            .chain(category.ancestors())
            .find_map(|c| self.by_category.get(&c).copied())
            .or(self.default)
            .ok_or_else(|| PricingError::NoCommissionFor {
                category: category.to_string(),
            })
    }
}

/// A fixed fee per order, by slabs of the order's value (the inclusive price × quantity).
///
/// ```
/// use haat_catalogue::FixedFeeSlabs;
/// use haat_core::Money;
/// let fees = FixedFeeSlabs::new(vec![
///     (Some(Money::from_rupees(300)), Money::from_rupees(5)),
///     (Some(Money::from_rupees(1_000)), Money::from_rupees(15)),
///     (None, Money::from_rupees(30)),
/// ])?;
/// assert_eq!(fees.fee_for(Money::from_rupees(300)), Money::from_rupees(5));
/// assert_eq!(fees.fee_for(Money::from_paise(30_001)), Money::from_rupees(15));
/// assert_eq!(fees.fee_for(Money::from_rupees(5_000)), Money::from_rupees(30));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FixedFeeSlabs {
    slabs: Vec<(Option<Money>, Money)>,
}

impl FixedFeeSlabs {
    /// Slabs as `(up to and including this order value, fee)`, in increasing order; `None` is
    /// the open top slab. Values above the last bounded slab with no open slab pay no fee.
    ///
    /// # Errors
    /// [`PricingError::InvalidFeeSlabs`] if the bounds are not strictly increasing, an open
    /// slab is not last, or a fee is negative.
    pub fn new(slabs: Vec<(Option<Money>, Money)>) -> Result<FixedFeeSlabs, PricingError> {
        let invalid = |reason| PricingError::InvalidFeeSlabs { reason };
        let mut previous: Option<Money> = None;
        for (index, (bound, fee)) in slabs.iter().enumerate() {
            if fee.is_negative() {
                return Err(invalid("a fee is negative"));
            }
            match bound {
                None if index + 1 != slabs.len() => {
                    return Err(invalid("the open slab is not the last"));
                }
                Some(bound) if previous.is_some_and(|p| p >= *bound) => {
                    return Err(invalid("slab bounds are not strictly increasing"));
                }
                Some(bound) => previous = Some(*bound),
                None => {}
            }
        }
        Ok(FixedFeeSlabs { slabs })
    }

    /// No fixed fee at any value.
    pub fn none() -> FixedFeeSlabs {
        FixedFeeSlabs::default()
    }

    /// The fee for an order of value `order_value`.
    pub fn fee_for(&self, order_value: Money) -> Money {
        self.slabs
            .iter()
            .find(|(bound, _)| bound.is_none_or(|b| order_value <= b))
            .map_or(Money::ZERO, |(_, fee)| *fee)
    }
}

/// The marketplace's own charges: commission by category and fixed fees by slab.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MarketplaceTariff {
    /// Commission rates by category.
    pub commission: CommissionSchedule,
    /// Fixed fee per order.
    pub fixed_fees: FixedFeeSlabs,
}

/// Whether the seller has furnished a PAN to the marketplace (income-tax TDS depends on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanStatus {
    /// PAN (or Aadhaar) furnished: the section 194-O rate.
    Furnished,
    /// Neither furnished: 5% (section 206AA as it applies to section 194-O).
    NotFurnished,
}

/// Whether the marketplace charges its commission on this sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommissionTreatment {
    /// The category's commission applies.
    Charged,
    /// Waived, e.g. by an inclusion programme's benefit (the caller decides).
    Waived,
}

/// Everything the payout of one sale (one order line) depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleInput<'a> {
    /// When the sale happened; rates are those in force on its IST date.
    pub sold_at: DateTime<Utc>,
    /// The listing's category (commission).
    pub category: CategoryId,
    /// The listing's HSN code (GST rate).
    pub hsn: HsnCode,
    /// Tax-inclusive price of one piece.
    pub unit_price: Money,
    /// Pieces sold (at least 1).
    pub quantity: u32,
    /// The seller's GST standing.
    pub registration: GstRegistration,
    /// Whether the seller furnished a PAN.
    pub pan: PanStatus,
    /// The buyer's state (place of supply).
    pub buyer_state: StateCode,
    /// Commission charged or waived.
    pub commission: CommissionTreatment,
    /// Shipping fee the marketplace charges the seller for this order, before GST.
    pub shipping_fee: Money,
    /// The marketplace's commission and fees.
    pub tariff: &'a MarketplaceTariff,
    /// The GST rates.
    pub gst_rates: &'a GstRateTable,
}

/// A deduction from the seller's payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeductionKind {
    /// The marketplace's commission.
    Commission,
    /// The fixed fee per order.
    FixedFee,
    /// The shipping fee.
    ShippingFee,
    /// GST at 18% on commission and fees, charged to the seller.
    GstOnFees,
    /// GST tax collected at source (CGST Act section 52).
    GstTcs,
    /// Income-tax deducted at source (Income-tax Act section 194-O).
    IncomeTaxTds,
}

/// What a seller is paid for a sale, with every deduction.
///
/// Each line is computed from exact inputs and rounded to the paisa once, half away from zero;
/// the payout is the gross price minus the rounded deductions, so payout + deductions = gross,
/// exactly.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_catalogue::*;
/// use haat_core::{Money, StateCode};
///
/// let tariff = MarketplaceTariff {
///     commission: CommissionSchedule::new().with_rate("textiles".parse()?, Percent::whole(10)),
///     fixed_fees: FixedFeeSlabs::none(),
/// };
/// let wb = StateCode::WEST_BENGAL;
/// let sale = SaleInput {
///     sold_at: Utc.with_ymd_and_hms(2025, 10, 1, 6, 0, 0).unwrap(),
///     category: "textiles/sarees/tant".parse()?,
///     hsn: "5208".parse()?,
///     unit_price: Money::from_rupees(12_000),
///     quantity: 1,
///     registration: GstRegistration::Registered { state: wb },
///     pan: PanStatus::Furnished,
///     buyer_state: wb,
///     commission: CommissionTreatment::Charged,
///     shipping_fee: Money::ZERO,
///     tariff: &tariff,
///     gst_rates: GstRateTable::india(),
/// };
/// let payout = Payout::compute(&sale)?;
/// assert_eq!(payout.commission(), Money::from_rupees(1_200));
/// assert_eq!(payout.gst_on_fees(), Money::from_rupees(216));
/// assert_eq!(payout.tcs(), Money::from_paise(5_714)); // 0.5% of ₹11,428.58
/// assert_eq!(payout.tds(), Money::from_rupees(12));    // 0.1% of ₹12,000
/// assert_eq!(payout.net(), Money::from_paise(1_051_486));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Payout {
    date: NaiveDate,
    gross: Money,
    tax: TaxBreakdown,
    commission_rate: Percent,
    commission: Money,
    fixed_fee: Money,
    shipping_fee: Money,
    gst_on_fees: Money,
    tcs_rate: Percent,
    tcs: Money,
    tds_rate: Percent,
    tds: Money,
    net: Money,
}

impl Payout {
    /// The payout for a sale.
    ///
    /// # Errors
    /// [`PricingError::ZeroQuantity`], [`PricingError::NonPositivePrice`],
    /// [`PricingError::NegativeFee`], [`PricingError::NoRateFor`] (no GST rate for the HSN
    /// code on the date), [`PricingError::NoCommissionFor`],
    /// [`PricingError::InterStateByNonGstSeller`], [`PricingError::Overflow`].
    pub fn compute(sale: &SaleInput<'_>) -> Result<Payout, PricingError> {
        Payout::compute_with(sale, |hsn, price, date| {
            sale.gst_rates.rate(hsn, price, date)
        })
    }

    /// [`Payout::compute`] with the GST rate looked up by `rate` instead of asking
    /// `sale.gst_rates`: for a caller that remembers the table's answers (a settlement run
    /// asks for a rate on every line it pays). `rate` is asked once, with the sale's HSN
    /// code, price per piece and IST date, and must answer what `sale.gst_rates.rate` would;
    /// [`Payout::compute`] is this with that lookup, so the rule is written once.
    ///
    /// # Errors
    /// As [`Payout::compute`], with `rate`'s refusal in place of the table's.
    pub fn compute_with(
        sale: &SaleInput<'_>,
        rate: impl FnOnce(&HsnCode, Money, NaiveDate) -> Result<Percent, PricingError>,
    ) -> Result<Payout, PricingError> {
        if sale.quantity == 0 {
            return Err(PricingError::ZeroQuantity);
        }
        if !sale.unit_price.is_positive() {
            return Err(PricingError::NonPositivePrice {
                price: sale.unit_price,
            });
        }
        if sale.shipping_fee.is_negative() {
            return Err(PricingError::NegativeFee {
                fee: sale.shipping_fee,
            });
        }
        let overflow = || PricingError::Overflow { what: "payout" };
        let date = ist_date(sale.sold_at);
        let gross = sale
            .unit_price
            .checked_mul(u64::from(sale.quantity))
            .ok_or_else(overflow)?;
        let rate = rate(&sale.hsn, sale.unit_price, date)?;
        let tax = TaxBreakdown::for_sale(gross, rate, sale.registration, sale.buyer_state)?;

        let commission_rate = match sale.commission {
            CommissionTreatment::Charged => sale.tariff.commission.rate_for(&sale.category)?,
            CommissionTreatment::Waived => Percent::ZERO,
        };
        let commission = commission_rate.of(gross)?;
        let fixed_fee = sale.tariff.fixed_fees.fee_for(gross);
        let shipping_fee = sale.shipping_fee;
        let fees =
            Money::checked_sum([commission, fixed_fee, shipping_fee]).ok_or_else(overflow)?;
        let gst_on_fees = marketplace_services_gst_rate(date).of(fees)?;

        let tcs_rate = if sale.registration.is_registered() {
            gst_tcs_rate(date)
        } else {
            // Notification 37/2023-Central Tax: no TCS on supplies by non-GST sellers.
            Percent::ZERO
        };
        let tcs = tcs_rate.of(tax.taxable_value())?;
        let tds_rate = income_tax_tds_rate(date, sale.pan);
        let tds = tds_rate.of(gross)?;

        let deductions = Money::checked_sum([fees, gst_on_fees, tcs, tds]).ok_or_else(overflow)?;
        let net = gross.checked_sub(deductions).ok_or_else(overflow)?;
        Ok(Payout {
            date,
            gross,
            tax,
            commission_rate,
            commission,
            fixed_fee,
            shipping_fee,
            gst_on_fees,
            tcs_rate,
            tcs,
            tds_rate,
            tds,
            net,
        })
    }

    /// The IST date of the sale, which chose every rate.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The inclusive price × quantity: what the buyer paid.
    pub fn gross(&self) -> Money {
        self.gross
    }

    /// The GST in the gross price (the seller's own tax to pay; not deducted here).
    pub fn tax(&self) -> &TaxBreakdown {
        &self.tax
    }

    /// The commission rate applied (0% when waived).
    pub fn commission_rate(&self) -> Percent {
        self.commission_rate
    }

    /// The commission: the rate × gross.
    pub fn commission(&self) -> Money {
        self.commission
    }

    /// The fixed fee for the order.
    pub fn fixed_fee(&self) -> Money {
        self.fixed_fee
    }

    /// The shipping fee.
    pub fn shipping_fee(&self) -> Money {
        self.shipping_fee
    }

    /// GST on commission and fees (18%).
    pub fn gst_on_fees(&self) -> Money {
        self.gst_on_fees
    }

    /// The GST TCS rate applied.
    pub fn tcs_rate(&self) -> Percent {
        self.tcs_rate
    }

    /// GST TCS: the rate × the taxable value.
    pub fn tcs(&self) -> Money {
        self.tcs
    }

    /// The income-tax TDS rate applied.
    pub fn tds_rate(&self) -> Percent {
        self.tds_rate
    }

    /// Income-tax TDS: the rate × gross.
    pub fn tds(&self) -> Money {
        self.tds
    }

    /// What the seller is paid: gross minus every deduction (negative if fees exceed the
    /// price: the seller then owes the difference).
    pub fn net(&self) -> Money {
        self.net
    }

    /// Every deduction, in a fixed order.
    pub fn deductions(&self) -> [(DeductionKind, Money); 6] {
        [
            (DeductionKind::Commission, self.commission),
            (DeductionKind::FixedFee, self.fixed_fee),
            (DeductionKind::ShippingFee, self.shipping_fee),
            (DeductionKind::GstOnFees, self.gst_on_fees),
            (DeductionKind::GstTcs, self.tcs),
            (DeductionKind::IncomeTaxTds, self.tds),
        ]
    }

    /// The sum of the deductions: `gross - net`.
    pub fn total_deductions(&self) -> Money {
        Money::checked_sum(self.deductions().map(|(_, amount)| amount)).unwrap_or(Money::ZERO)
    }
}

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// Statutory rates as data: `(in force from, rate)`, latest last.
type RateHistory = [(NaiveDate, Percent)];

/// GST TCS (CGST Act section 52): from 1 Oct 2018, 1% (Notification 52/2018-Central Tax and
/// 02/2018-Integrated Tax); from 10 Jul 2024, 0.5% (Notification 15/2024-Central Tax and
/// 01/2024-Integrated Tax).
const GST_TCS: &RateHistory = &[
    (NaiveDate::MIN, Percent::ZERO),
    (ymd(2018, 10, 1), Percent::whole(1)),
    (ymd(2024, 7, 10), Percent::hundredths(50)),
];

/// Income-tax TDS (section 194-O, inserted by the Finance Act 2020): 1% from 1 Oct 2020;
/// 0.1% from 1 Oct 2024 (Finance (No. 2) Act 2024).
const TDS_194O: &RateHistory = &[
    (NaiveDate::MIN, Percent::ZERO),
    (ymd(2020, 10, 1), Percent::whole(1)),
    (ymd(2024, 10, 1), Percent::hundredths(10)),
];

/// Section 194-O without PAN or Aadhaar: 5% (section 206AA).
const TDS_194O_WITHOUT_PAN: &RateHistory = &[
    (NaiveDate::MIN, Percent::ZERO),
    (ymd(2020, 10, 1), Percent::whole(5)),
];

/// GST on the marketplace's services to the seller: 18% (Notification 11/2017-Central Tax
/// (Rate), heading 9985, support services).
const MARKETPLACE_SERVICES_GST: &RateHistory = &[
    (NaiveDate::MIN, Percent::ZERO),
    (ymd(2017, 7, 1), Percent::whole(18)),
];

fn in_force(history: &RateHistory, date: NaiveDate) -> Percent {
    history
        .iter()
        .rev()
        .find(|(from, _)| *from <= date)
        .map_or(Percent::ZERO, |(_, rate)| *rate)
}

/// The GST TCS rate an e-commerce operator collects on a registered seller's net taxable value
/// on `date`: 1% from 1 Oct 2018, 0.5% from 10 Jul 2024.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_catalogue::{Percent, gst_tcs_rate};
/// let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
/// assert_eq!(gst_tcs_rate(day(7, 9)), Percent::whole(1));
/// assert_eq!(gst_tcs_rate(day(7, 10)), Percent::hundredths(50));
/// ```
pub fn gst_tcs_rate(date: NaiveDate) -> Percent {
    in_force(GST_TCS, date)
}

/// The income-tax TDS rate (section 194-O) on the gross amount on `date`: 1% from 1 Oct 2020,
/// 0.1% from 1 Oct 2024; 5% without PAN.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_catalogue::{PanStatus, Percent, income_tax_tds_rate};
/// let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
/// assert_eq!(income_tax_tds_rate(day(9, 30), PanStatus::Furnished), Percent::whole(1));
/// assert_eq!(income_tax_tds_rate(day(10, 1), PanStatus::Furnished), Percent::hundredths(10));
/// assert_eq!(income_tax_tds_rate(day(10, 1), PanStatus::NotFurnished), Percent::whole(5));
/// ```
pub fn income_tax_tds_rate(date: NaiveDate, pan: PanStatus) -> Percent {
    match pan {
        PanStatus::Furnished => in_force(TDS_194O, date),
        PanStatus::NotFurnished => in_force(TDS_194O_WITHOUT_PAN, date),
    }
}

/// The GST rate on the marketplace's commission and fees on `date`: 18%.
pub fn marketplace_services_gst_rate(date: NaiveDate) -> Percent {
    in_force(MARKETPLACE_SERVICES_GST, date)
}
