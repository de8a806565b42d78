//! The errors of pricing.

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
    /// An HSN code did not have 4, 6 or 8 digits.
    #[error("invalid HSN code {input:?}: {digits} digits, expected 4, 6 or 8")]
    HsnLength {
        /// The text as given (trimmed).
        input: String,
        /// How many digits it had.
        digits: usize,
    },
}
