//! The errors of `haat-core`: one variant per way an input can be wrong, each saying what and
//! where.

use thiserror::Error;

/// Everything that can go wrong when `haat-core` parses or computes.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A numeric id was not a non-negative whole number.
    #[error("{kind} id '{input}' is not a whole number")]
    InvalidId {
        /// Which id: `seller`, `listing`, ...
        kind: &'static str,
        /// The text given.
        input: String,
    },
    /// A SKU was empty after trimming.
    #[error("SKU is empty")]
    EmptySku,
    /// A SKU was longer than [`crate::SKU_MAX_LEN`].
    #[error("SKU is {len} characters long; the most is {max}")]
    SkuTooLong {
        /// Its length in characters.
        len: usize,
        /// The longest allowed.
        max: usize,
    },
    /// A SKU had a character outside `A-Z a-z 0-9 - _ . /`.
    #[error(
        "SKU has {character:?} at position {position}; use letters, digits, '-', '_', '.' or '/'"
    )]
    InvalidSkuCharacter {
        /// The character.
        character: char,
        /// Its 1-based position in the trimmed text.
        position: usize,
    },

    /// An amount of money was empty.
    #[error("amount is empty")]
    EmptyAmount,
    /// An amount of money had a character that is not part of an amount.
    #[error("amount has {character:?} at position {position}; expected digits, ',' or '.'")]
    InvalidAmountCharacter {
        /// The character.
        character: char,
        /// Its 1-based position in the trimmed text.
        position: usize,
    },
    /// An amount had more than two decimal places: INR is kept to the paisa and haat never
    /// rounds silently.
    #[error("amount '{input}' has more than two decimal places (paise)")]
    SubPaisa {
        /// The text or number given.
        input: String,
    },
    /// An amount had a comma that does not group digits: commas group the whole rupees in the
    /// Indian way (`4,20,000`) or the international way (`420,000`).
    #[error(
        "amount has a ',' at position {position} that does not group digits; write 4,20,000 or 420,000"
    )]
    InvalidAmountGrouping {
        /// The comma's 1-based position in the trimmed text.
        position: usize,
    },
    /// An amount was beyond ±₹10¹⁵, the range of [`crate::Money`].
    #[error("amount '{input}' is out of range; amounts are at most ₹10^15 either way")]
    AmountOutOfRange {
        /// The text given (its first 40 characters).
        input: String,
    },
    /// Arithmetic on money overflowed.
    #[error("money arithmetic overflowed: {operation}")]
    MoneyOverflow {
        /// What was being computed.
        operation: &'static str,
    },

    /// A PIN code was not six digits.
    #[error("PIN code '{input}' must be six digits, it has {digits}")]
    PinCodeLength {
        /// The normalised text.
        input: String,
        /// How many digits it had.
        digits: usize,
    },
    /// A PIN code had a character other than a digit (spaces and hyphens are allowed and
    /// ignored).
    #[error("PIN code has {character:?} at position {position}; only digits are allowed")]
    PinCodeCharacter {
        /// The character.
        character: char,
        /// Its 1-based position in the trimmed text.
        position: usize,
    },
    /// A PIN code started with 0: the first digit is a postal region, 1 to 9.
    #[error("PIN code '{input}' starts with 0; the first digit is a postal region, 1 to 9")]
    PinCodeLeadingZero {
        /// The normalised text.
        input: String,
    },
    /// A GST state code was not one of 01–38 or 97.
    #[error("'{input}' is not a GST state code; valid codes are 01 to 38 and 97")]
    UnknownStateCode {
        /// The text given.
        input: String,
    },
    /// A district name matched no district of the state.
    #[error("'{name}' is not a district of {state_name} (state code {state})", state_name = state.name())]
    UnknownDistrict {
        /// The state searched.
        state: crate::StateCode,
        /// The name given.
        name: String,
    },
    /// A state name matched no state or union territory.
    #[error("'{input}' is not the name of an Indian state or union territory")]
    UnknownStateName {
        /// The text given.
        input: String,
    },

    /// A financial year was not of the form `FY2025-26`.
    #[error("financial year '{input}' is not of the form FY2025-26: {reason}")]
    InvalidFinancialYear {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A month was not of the form `2025-04`.
    #[error("month '{input}' is not of the form 2025-04")]
    InvalidMonth {
        /// The text given.
        input: String,
    },
    /// A quarter was not of the form `FY2025-26 Q1`.
    #[error("quarter '{input}' is not of the form FY2025-26 Q1")]
    InvalidQuarter {
        /// The text given.
        input: String,
    },

    /// A locale tag was not one haat formats for.
    #[error("locale '{input}' is not supported; use en-IN or bn-IN")]
    UnknownLocale {
        /// The text given.
        input: String,
    },
}
