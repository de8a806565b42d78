//! Checkout's and settlement's memory of the tax rule's answers: the one door to a fast
//! layout of GST lookups.
//!
//! Pricing a cart line asks two questions of haat-catalogue: the rate for an HSN code, a
//! price per piece and an IST date (`GstRateTable::rate`, a walk over the table's rules),
//! and the breakdown of a line's value at that rate (`TaxBreakdown::for_sale`, decimal
//! division and rounding). Both are pure, and a marketplace asks them again and again with
//! the same arguments: a listing's price changes rarely, the date once a day. Together they
//! were about half of a line's checkout time, so checkout asks through this memo instead.
//! Settlement asks the rate again for every line it pays (`Payout::compute_with`), through
//! its own memo.
//!
//! The memo only remembers what the plain calls answered, keyed by everything they read:
//!
//! - the breakdown is a function of its arguments alone, so it is remembered for any table;
//! - the rate also depends on the table. Only the rates of [`GstRateTable::india`] are
//!   remembered: that table is a `static`, immutable and at one address for the life of the
//!   process, so a rate read from it never goes stale. Any other table is asked every time.
//!   What is remembered is the rule the table picks for an HSN code in a *period*: the days
//!   between two consecutive dates on which any rule starts or stops being in force. Within
//!   a period the rules in force do not change, so neither does the one picked; the rate for
//!   a price is then the rule's own `RateSpec::rate_for`, as the table computes it. (Keyed by
//!   day and price instead, the memo missed on most of a settlement run's lines: sales spread
//!   over hundreds of days at thousands of prices.)
//!
//! Amounts are keyed by their exact decimal representation (value and scale), so a
//! remembered breakdown is the very value the plain call would build, down to how it prints.
//! The memo holds at most [`CAPACITY`] answers of each kind and starts afresh when full.
//! `tests` proves the memo answers exactly what the plain calls answer.

use chrono::NaiveDate;
use haat_catalogue::{
    GstRateTable, GstRegistration, HsnCode, Percent, PricingError, RateSpec, TaxBreakdown,
};
use haat_core::{FastHashMap, Money, StateCode};

/// The most answers of each kind kept; a memo that fills up is cleared (a few hundred
/// distinct prices and dates cover a day of a large catalogue's sales many times over).
const CAPACITY: usize = 4096;

/// A money amount or a percentage, exactly: its decimal's value and scale.
type Exact = [u8; 16];

fn exact(amount: rust_decimal::Decimal) -> Exact {
    amount.serialize()
}

/// The days on which some rule of `table` starts, or the day after one stops, ascending and
/// without repeats: between two of them the rules in force stay the same.
fn period_starts(table: &GstRateTable) -> Vec<NaiveDate> {
    let mut starts: Vec<NaiveDate> = (table.rules().iter())
        .flat_map(|rule| [rule.from(), rule.until().and_then(|d| d.succ_opt())])
        .flatten()
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The rate and breakdown answers remembered.
#[derive(Clone, Debug, Default)]
pub(crate) struct TaxMemo {
    /// The rule picked for an HSN code in a period (by its index in `periods`).
    rates: FastHashMap<(HsnCode, usize), RateSpec>,
    /// The first days of the Indian table's periods after the first, ascending (empty until
    /// the first rate is asked).
    periods: Vec<NaiveDate>,
    breakdowns: FastHashMap<(Exact, Exact, GstRegistration, StateCode), TaxBreakdown>,
}

impl TaxMemo {
    /// `rates.rate(hsn, price_per_piece, date)`, remembered for the Indian table.
    ///
    /// # Errors
    /// As [`GstRateTable::rate`] (refusals are never remembered).
    pub(crate) fn rate(
        &mut self,
        rates: &GstRateTable,
        hsn: &HsnCode,
        price_per_piece: Money,
        date: NaiveDate,
    ) -> Result<Percent, PricingError> {
        if !std::ptr::eq(rates, GstRateTable::india()) {
            return rates.rate(hsn, price_per_piece, date);
        }
        if self.periods.is_empty() {
            self.periods = period_starts(rates);
        }
        let key = (*hsn, self.periods.partition_point(|start| *start <= date));
        if let Some(spec) = self.rates.get(&key) {
            return Ok(spec.rate_for(price_per_piece));
        }
        let spec = rates.rule(hsn, date)?.rate();
        if self.rates.len() >= CAPACITY {
            self.rates.clear();
        }
        self.rates.insert(key, spec);
        Ok(spec.rate_for(price_per_piece))
    }

    /// `TaxBreakdown::for_sale(value, rate, registration, buyer)`, remembered.
    ///
    /// # Errors
    /// As [`TaxBreakdown::for_sale`] (refusals are never remembered).
    pub(crate) fn breakdown(
        &mut self,
        value: Money,
        rate: Percent,
        registration: GstRegistration,
        buyer: StateCode,
    ) -> Result<TaxBreakdown, PricingError> {
        let key = (
            exact(value.amount()),
            exact(rate.value()),
            registration,
            buyer,
        );
        if let Some(&breakdown) = self.breakdowns.get(&key) {
            return Ok(breakdown);
        }
        let breakdown = TaxBreakdown::for_sale(value, rate, registration, buyer)?;
        if self.breakdowns.len() >= CAPACITY {
            self.breakdowns.clear();
        }
        self.breakdowns.insert(key, breakdown);
        Ok(breakdown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hsn() -> impl Strategy<Value = HsnCode> {
        prop::sample::select(vec!["5208", "5007", "6211", "6104", "0902", "8306", "9999"])
            .prop_map(|s| s.parse().unwrap())
    }

    fn money() -> impl Strategy<Value = Money> {
        // Whole rupees and paise, and the same amounts at other scales.
        (1i64..400_000, 0u32..3).prop_map(|(paise, scale)| {
            let mut d = rust_decimal::Decimal::new(paise, 2);
            d.rescale(2 + scale);
            Money::try_from(d.to_string()).unwrap()
        })
    }

    /// Days either side of every date a rule of the Indian table starts or stops, and any
    /// day from before the first rule to after the last change.
    fn date() -> impl Strategy<Value = NaiveDate> {
        let changes = period_starts(GstRateTable::india());
        let near = (prop::sample::select(changes), -2i64..3)
            .prop_map(|(day, off)| day + chrono::Duration::days(off));
        let start = NaiveDate::from_ymd_opt(2017, 6, 1).unwrap();
        let any_day = (0i64..3_500).prop_map(move |d| start + chrono::Duration::days(d));
        prop_oneof![near, any_day]
    }

    fn registration() -> impl Strategy<Value = GstRegistration> {
        (any::<bool>(), prop::sample::select(vec![19u8, 21, 29])).prop_map(|(gst, state)| {
            let state = StateCode::new(state).unwrap();
            if gst {
                GstRegistration::Registered { state }
            } else {
                GstRegistration::NonGst { state }
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Asked any sequence of questions, the memo answers exactly what the plain calls
        /// answer, for the Indian table and for another table alike.
        #[test]
        fn the_memo_answers_what_the_plain_calls_answer(
            asks in prop::collection::vec(
                (hsn(), money(), date(), registration(), prop::sample::select(vec![19u8, 21]), any::<bool>()),
                1..64,
            )
        ) {
            let india = GstRateTable::india();
            let other = GstRateTable::from_rules(india.rules().to_vec()).unwrap();
            let mut memo = TaxMemo::default();
            for (hsn, price, date, registration, buyer, use_other) in asks {
                let table = if use_other { &other } else { india };
                let plain = table.rate(&hsn, price, date);
                prop_assert_eq!(memo.rate(table, &hsn, price, date), plain.clone());
                let buyer = StateCode::new(buyer).unwrap();
                if let Ok(rate) = plain {
                    let plain = TaxBreakdown::for_sale(price, rate, registration, buyer);
                    let remembered = memo.breakdown(price, rate, registration, buyer);
                    prop_assert_eq!(
                        remembered.as_ref().map(|b| serde_json::to_string(b).unwrap()),
                        plain.as_ref().map(|b| serde_json::to_string(b).unwrap())
                    );
                    prop_assert_eq!(remembered, plain);
                }
            }
        }
    }
}
