//! Payouts: what settlement paid sellers, and what it deducted, per financial year.

use std::collections::BTreeMap;

use haat_catalogue::DeductionKind;
use haat_core::{FinancialYear, Money};
use haat_orders::{EntryKind, Statement};
use serde::{Deserialize, Serialize};

/// What the settlements of a period add up to. Reversals (units returned after they were
/// paid for) count with their negative amounts, so every figure is what was finally paid or
/// deducted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PayoutTotals {
    /// Settlement statements issued.
    pub statements: u64,
    /// What buyers paid for the units settled.
    pub gross: Money,
    /// The marketplace's commission deducted.
    pub commission: Money,
    /// Fixed and shipping fees and the GST on the marketplace's commission and fees.
    pub fees_and_gst_on_fees: Money,
    /// GST tax collected at source (CGST Act section 52).
    pub tcs: Money,
    /// Income-tax deducted at source (section 194-O).
    pub tds: Money,
    /// What was paid out: gross less every deduction.
    pub net: Money,
    /// The commission an inclusion programme's benefit waived (not deducted).
    pub commission_waived: Money,
    /// Statement entries that reversed a sale: units a buyer returned after they were paid
    /// for (a return the operations staff accepted after the window closed).
    pub reversals: u64,
    /// What buyers had paid for the units reversed, taken back from the sellers (a positive
    /// amount; `gross` is already net of it).
    pub reversed_gross: Money,
}

impl PayoutTotals {
    /// Adds a statement; `commission_waived` is what its sales would have paid in
    /// commission had the seller's programme benefit not waived it.
    pub fn add(&mut self, statement: &Statement, commission_waived: Money) {
        let plus = |total: &mut Money, amount: Money| {
            *total = total.checked_add(amount).unwrap_or(*total);
        };
        self.statements = self.statements.saturating_add(1);
        plus(&mut self.gross, statement.gross);
        plus(&mut self.net, statement.net);
        plus(&mut self.commission_waived, commission_waived);
        for entry in &statement.entries {
            if entry.kind == EntryKind::Reversal {
                self.reversals = self.reversals.saturating_add(1);
                let taken_back = Money::ZERO.checked_sub(entry.gross).unwrap_or(Money::ZERO);
                plus(&mut self.reversed_gross, taken_back);
            }
        }
        for (kind, amount) in &statement.deductions {
            match kind {
                DeductionKind::Commission => plus(&mut self.commission, *amount),
                DeductionKind::GstTcs => plus(&mut self.tcs, *amount),
                DeductionKind::IncomeTaxTds => plus(&mut self.tds, *amount),
                _ => plus(&mut self.fees_and_gst_on_fees, *amount),
            }
        }
    }

    /// Adds another period's totals.
    pub fn merge(&mut self, other: &PayoutTotals) {
        let plus = |total: &mut Money, amount: Money| {
            *total = total.checked_add(amount).unwrap_or(*total);
        };
        self.statements = self.statements.saturating_add(other.statements);
        plus(&mut self.gross, other.gross);
        plus(&mut self.commission, other.commission);
        plus(&mut self.fees_and_gst_on_fees, other.fees_and_gst_on_fees);
        plus(&mut self.tcs, other.tcs);
        plus(&mut self.tds, other.tds);
        plus(&mut self.net, other.net);
        plus(&mut self.commission_waived, other.commission_waived);
        self.reversals = self.reversals.saturating_add(other.reversals);
        plus(&mut self.reversed_gross, other.reversed_gross);
    }
}

/// Settlement statements folded per financial year (the year of the cycle's last day, when
/// the payout is made). `merge` adds, so it is associative and commutative.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_core::{Money, SellerId};
/// use haat_metrics::PayoutFold;
/// use haat_orders::{Cycle, Statement};
///
/// let day = NaiveDate::from_ymd_opt(2025, 10, 6).ok_or("date")?;
/// let statement = Statement {
///     seller: SellerId::new(7),
///     cycle: Cycle { first: day, last: day + chrono::Days::new(6) },
///     entries: Vec::new(),
///     gross: Money::from_rupees(100),
///     deductions: Vec::new(),
///     net: Money::from_rupees(100),
/// };
/// let mut fold = PayoutFold::default();
/// fold.add(&statement, Money::from_rupees(5));
/// let year = fold.year("FY2025-26".parse()?);
/// assert_eq!(year.net, Money::from_rupees(100));
/// assert_eq!(year.commission_waived, Money::from_rupees(5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayoutFold {
    years: BTreeMap<FinancialYear, PayoutTotals>,
}

impl PayoutFold {
    /// Adds a statement (see [`PayoutTotals::add`]).
    pub fn add(&mut self, statement: &Statement, commission_waived: Money) {
        let year = FinancialYear::of_date(statement.cycle.last);
        self.years
            .entry(year)
            .or_default()
            .add(statement, commission_waived);
    }

    /// Merges another fold in.
    pub fn merge(&mut self, other: &PayoutFold) {
        for (year, totals) in &other.years {
            self.years.entry(*year).or_default().merge(totals);
        }
    }

    /// The totals of `year` (zero when nothing was settled in it).
    pub fn year(&self, year: FinancialYear) -> PayoutTotals {
        self.years.get(&year).copied().unwrap_or_default()
    }
}
