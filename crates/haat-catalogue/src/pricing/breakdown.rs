//! The breakdown of a tax-inclusive price into taxable value and GST.

use haat_core::{Decimal, Money, StateCode};
use serde::{Deserialize, Serialize};

use super::{Percent, PricingError};

/// Whether a supply stays within one state (CGST + SGST) or crosses states (IGST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    /// Seller and buyer in the same state: CGST and SGST, half the rate each.
    IntraState,
    /// Seller and buyer in different states: IGST at the full rate.
    InterState,
}

impl SupplyKind {
    /// The kind of a supply from a seller in `seller` to a buyer in `buyer`.
    ///
    /// ```
    /// use haat_catalogue::SupplyKind;
    /// use haat_core::StateCode;
    /// let wb = StateCode::WEST_BENGAL;
    /// assert_eq!(SupplyKind::between(wb, wb), SupplyKind::IntraState);
    /// assert_eq!(SupplyKind::between(wb, "27".parse()?), SupplyKind::InterState);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(seller: StateCode, buyer: StateCode) -> SupplyKind {
        if seller == buyer {
            SupplyKind::IntraState
        } else {
            SupplyKind::InterState
        }
    }
}

/// How a seller stands under GST, as the caller knows it (from the seller's records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GstRegistration {
    /// Registered: a GSTIN issued in `state`. Charges GST; may sell to any state.
    Registered {
        /// The state of the seller's GSTIN (its first two digits).
        state: StateCode,
    },
    /// Not registered: a PAN and a GST enrolment number for one state (Notification
    /// 34/2023-Central Tax). Charges no GST and may sell only within `state`.
    NonGst {
        /// The one state the seller is enrolled to sell in.
        state: StateCode,
    },
}

impl GstRegistration {
    /// The seller's state.
    pub fn state(self) -> StateCode {
        match self {
            GstRegistration::Registered { state } | GstRegistration::NonGst { state } => state,
        }
    }

    /// The supply kind of a sale to a buyer in `buyer`.
    ///
    /// # Errors
    /// [`PricingError::InterStateByNonGstSeller`] for a non-GST seller selling outside its
    /// state: such sales are not allowed (Notification 34/2023-Central Tax, condition (i)).
    ///
    /// ```
    /// use haat_catalogue::{GstRegistration, PricingError, SupplyKind};
    /// use haat_core::StateCode;
    /// let weaver = GstRegistration::NonGst { state: StateCode::WEST_BENGAL };
    /// assert_eq!(weaver.supply_to(StateCode::WEST_BENGAL)?, SupplyKind::IntraState);
    /// assert!(matches!(
    ///     weaver.supply_to("27".parse()?),
    ///     Err(PricingError::InterStateByNonGstSeller { .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn supply_to(self, buyer: StateCode) -> Result<SupplyKind, PricingError> {
        let kind = SupplyKind::between(self.state(), buyer);
        match (self, kind) {
            (GstRegistration::NonGst { state }, SupplyKind::InterState) => {
                Err(PricingError::InterStateByNonGstSeller {
                    seller_state: state,
                    buyer_state: buyer,
                })
            }
            _ => Ok(kind),
        }
    }

    /// Whether the seller charges GST (and has TCS collected on its sales).
    pub fn is_registered(self) -> bool {
        matches!(self, GstRegistration::Registered { .. })
    }
}

/// A tax-inclusive price split into its taxable value and GST.
///
/// For an inclusive price P at rate r%: within a state, CGST = SGST =
/// round(P × (r/2) / (100 + r)); across states, IGST = round(P × r / (100 + r)); the taxable
/// value is P minus the tax. Rounding is to the paisa, half away from zero, once per tax line,
/// so the parts always add up to P exactly and the two halves are always equal.
///
/// ```
/// use haat_catalogue::{Percent, SupplyKind, TaxBreakdown};
/// use haat_core::Money;
///
/// let b = TaxBreakdown::of(Money::from_rupees(12_000), Percent::whole(5), SupplyKind::IntraState)?;
/// assert_eq!(b.cgst(), Money::from_paise(28_571));
/// assert_eq!(b.sgst(), Money::from_paise(28_571));
/// assert_eq!(b.taxable_value(), Money::from_paise(1_142_858));
/// assert_eq!(b.igst(), Money::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxBreakdown {
    price: Money,
    rate: Percent,
    supply: SupplyKind,
    taxable_value: Money,
    cgst: Money,
    sgst: Money,
    igst: Money,
}

impl TaxBreakdown {
    /// Splits the inclusive `price` at `rate` for a supply of kind `supply`.
    ///
    /// # Errors
    /// [`PricingError::Overflow`] if the price is too large to compute with (beyond any real
    /// price).
    pub fn of(
        price: Money,
        rate: Percent,
        supply: SupplyKind,
    ) -> Result<TaxBreakdown, PricingError> {
        let overflow = PricingError::Overflow {
            what: "tax breakdown",
        };
        let share = |numerator: Decimal| -> Result<Money, PricingError> {
            price
                .amount()
                .checked_mul(numerator)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED + rate.value()))
                .and_then(Money::round_half_away)
                .ok_or(overflow.clone())
        };
        let (cgst, sgst, igst) = match supply {
            SupplyKind::IntraState => {
                let half = share(rate.value() / Decimal::TWO)?;
                (half, half, Money::ZERO)
            }
            SupplyKind::InterState => (Money::ZERO, Money::ZERO, share(rate.value())?),
        };
        let taxable_value = cgst
            .checked_add(sgst)
            .and_then(|tax| tax.checked_add(igst))
            .and_then(|tax| price.checked_sub(tax))
            .ok_or(overflow)?;
        Ok(TaxBreakdown {
            price,
            rate,
            supply,
            taxable_value,
            cgst,
            sgst,
            igst,
        })
    }

    /// The breakdown of a sale by a seller with this `registration` to a buyer in `buyer`:
    /// a registered seller charges `rate`; a non-GST seller charges no GST (the whole price is
    /// its value) and may not sell outside its state.
    ///
    /// # Errors
    /// [`PricingError::InterStateByNonGstSeller`], or [`PricingError::Overflow`].
    ///
    /// ```
    /// use haat_catalogue::{GstRegistration, Percent, TaxBreakdown};
    /// use haat_core::{Money, StateCode};
    /// let wb = StateCode::WEST_BENGAL;
    /// let weaver = GstRegistration::NonGst { state: wb };
    /// let b = TaxBreakdown::for_sale(Money::from_rupees(800), Percent::whole(5), weaver, wb)?;
    /// assert_eq!(b.tax(), Money::ZERO);
    /// assert!(TaxBreakdown::for_sale(Money::from_rupees(800), Percent::whole(5), weaver, "29".parse()?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_sale(
        price: Money,
        rate: Percent,
        registration: GstRegistration,
        buyer: StateCode,
    ) -> Result<TaxBreakdown, PricingError> {
        let supply = registration.supply_to(buyer)?;
        let rate = if registration.is_registered() {
            rate
        } else {
            Percent::ZERO
        };
        TaxBreakdown::of(price, rate, supply)
    }

    /// The tax-inclusive price.
    pub fn price(&self) -> Money {
        self.price
    }

    /// The GST rate applied.
    pub fn rate(&self) -> Percent {
        self.rate
    }

    /// Intra- or inter-state.
    pub fn supply(&self) -> SupplyKind {
        self.supply
    }

    /// The value before tax: the price minus all GST.
    pub fn taxable_value(&self) -> Money {
        self.taxable_value
    }

    /// Central GST (intra-state; zero inter-state).
    pub fn cgst(&self) -> Money {
        self.cgst
    }

    /// State GST (intra-state; zero inter-state).
    pub fn sgst(&self) -> Money {
        self.sgst
    }

    /// Integrated GST (inter-state; zero intra-state).
    pub fn igst(&self) -> Money {
        self.igst
    }

    /// All GST: CGST + SGST + IGST.
    pub fn tax(&self) -> Money {
        // Cannot overflow: the sum is at most the price, already computed in `of`.
        Money::checked_sum([self.cgst, self.sgst, self.igst]).unwrap_or(Money::ZERO)
    }
}
