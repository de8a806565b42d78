//! The errors of pricing.

use chrono::NaiveDate;
use haat_core::{Money, StateCode};

use super::HsnCode;

/// Why a price could not be classified, taxed or paid out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PricingError {
    /// An HSN code had a character other than a digit, a space or a dot.
    #[error(
        "invalid HSN code {input:?}: character {character:?} at position {position} is not a digit"
    )]
    HsnCharacter {
        /// The text as given (trimmed).
        input: String,
        /// The offending character.
        character: char,
        /// Its position, counting characters from 1 in the trimmed text.
        position: usize,
    },
    /// A space or dot in an HSN code did not stand between two digits (`5208..52`, `.5208`).
    #[error(
        "invalid HSN code {input:?}: the {separator:?} at position {position} does not stand between two digits"
    )]
    HsnSeparator {
        /// The text as given (trimmed).
        input: String,
        /// The separator, `' '` or `'.'`.
        separator: char,
        /// Its position, counting characters from 1 in the trimmed text.
        position: usize,
    },
    /// An HSN code did not have 4, 6 or 8 digits.
    #[error("invalid HSN code {input:?}: {digits} digits, expected 4, 6 or 8")]
    HsnLength {
        /// The text as given (trimmed).
        input: String,
        /// How many digits it had.
        digits: usize,
    },
    /// A rate-table rule's HSN prefix was not 2 to 8 digits.
    #[error("invalid HSN prefix {prefix:?} in a GST rule: expected 2 to 8 digits")]
    InvalidHsnPrefix {
        /// The prefix given.
        prefix: String,
    },
    /// A rule ends before it starts.
    #[error("GST rule for HSN {prefix} ends on {until} before it starts on {from}")]
    InvertedDates {
        /// The rule's prefix.
        prefix: String,
        /// Its first day.
        from: NaiveDate,
        /// Its last day.
        until: NaiveDate,
    },
    /// Two rules for the same prefix are in force on a common day.
    #[error("two GST rules for HSN {prefix} overlap (starting {first_from:?} and {second_from:?})")]
    OverlappingRules {
        /// The prefix.
        prefix: String,
        /// The first rule's start.
        first_from: Option<NaiveDate>,
        /// The second rule's start.
        second_from: Option<NaiveDate>,
    },
    /// The rate table has no rule for the code on the date: the rate is not known, so none is
    /// guessed.
    #[error("no GST rate for HSN {hsn} on {date}")]
    NoRateFor {
        /// The HSN code.
        hsn: HsnCode,
        /// The IST date of the sale.
        date: NaiveDate,
    },
    /// A percentage was not a number from 0 to 100.
    #[error("invalid percentage {input:?}: expected a number from 0 to 100")]
    InvalidPercent {
        /// The text given.
        input: String,
    },
    /// A non-GST seller may sell only within its own state.
    #[error(
        "a seller without GST registration (enrolled in state {seller_state}) may not sell to state {buyer_state}: inter-state supplies need a GSTIN"
    )]
    InterStateByNonGstSeller {
        /// The seller's state.
        seller_state: StateCode,
        /// The buyer's state.
        buyer_state: StateCode,
    },
    /// No commission rate covers the category.
    #[error("no commission rate for category '{category}' or any of its ancestors")]
    NoCommissionFor {
        /// The category.
        category: String,
    },
    /// Fixed-fee slabs were inconsistent.
    #[error("invalid fixed-fee slabs: {reason}")]
    InvalidFeeSlabs {
        /// What is wrong.
        reason: &'static str,
    },
    /// A sale of no pieces.
    #[error("a sale needs a quantity of at least 1")]
    ZeroQuantity,
    /// A price of zero or less.
    #[error("price {price} is not positive")]
    NonPositivePrice {
        /// The price given.
        price: Money,
    },
    /// A fee below zero.
    #[error("fee {fee} is negative")]
    NegativeFee {
        /// The fee given.
        fee: Money,
    },
    /// An amount too large to compute with.
    #[error("amount too large to compute the {what}")]
    Overflow {
        /// What was being computed.
        what: &'static str,
    },
}
