//! What can be wrong with an identifier a seller types, said so that they can fix it.

use std::fmt;

use thiserror::Error;

/// Which identifier an [`IdentifierError`] is about.
///
/// ```
/// use haat_seller::IdentifierKind;
/// assert_eq!(IdentifierKind::BankAccount.to_string(), "bank account number");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentifierKind {
    /// A GST identification number.
    Gstin,
    /// The first fourteen characters of a GSTIN, given to compute its check character.
    GstinWithoutCheck,
    /// A permanent account number.
    Pan,
    /// An Indian Financial System Code (a bank branch).
    Ifsc,
    /// A bank account number.
    BankAccount,
    /// An Udyam (MSME) registration number.
    Udyam,
    /// A mobile number.
    Mobile,
    /// An e-mail address.
    Email,
    /// The enrolment number of a seller without GST registration.
    GstEnrolmentNumber,
}

impl IdentifierKind {
    /// What the length of this identifier is counted in, for error messages.
    fn unit(self) -> &'static str {
        match self {
            Self::BankAccount | Self::Mobile => "digits",
            Self::Udyam => "letters and digits",
            _ => "characters",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gstin => "GSTIN",
            Self::GstinWithoutCheck => "GSTIN without its check character",
            Self::Pan => "PAN",
            Self::Ifsc => "IFSC",
            Self::BankAccount => "bank account number",
            Self::Udyam => "Udyam registration number",
            Self::Mobile => "mobile number",
            Self::Email => "e-mail address",
            Self::GstEnrolmentNumber => "GST enrolment number",
        })
    }
}

/// The kind of character a position of an identifier takes.
///
/// ```
/// use haat_seller::Expected;
/// assert_eq!(Expected::Exactly('Z').to_string(), "'Z'");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// A letter `A`–`Z` (lower case is accepted and upper-cased).
    Letter,
    /// A digit `0`–`9`.
    Digit,
    /// Exactly this character.
    Exactly(char),
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Letter => f.write_str("a letter"),
            Self::Digit => f.write_str("a digit"),
            Self::Exactly(c) => write!(f, "{c:?}"),
        }
    }
}

/// What is wrong with an e-mail address.
///
/// ```
/// use haat_seller::EmailProblem;
/// assert_eq!(EmailProblem::MissingAt.to_string(), "has no '@'");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EmailProblem {
    /// There is no `@`.
    MissingAt,
    /// There is more than one `@`.
    SeveralAts,
    /// Nothing comes before the `@`.
    EmptyLocalPart,
    /// The domain after the `@` has no `.`.
    DomainWithoutDot,
    /// The domain starts or ends with a `.`, or has two in a row.
    EmptyDomainLabel,
    /// A label of the domain (a part between dots) starts or ends with a character other than a
    /// letter or digit, as `-` in `a@-.in`.
    DomainLabelEdge,
    /// The address is longer than 254 characters.
    TooLong {
        /// Its length in characters.
        length: usize,
    },
}

impl fmt::Display for EmailProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAt => f.write_str("has no '@'"),
            Self::SeveralAts => f.write_str("has more than one '@'"),
            Self::EmptyLocalPart => f.write_str("has nothing before the '@'"),
            Self::DomainWithoutDot => f.write_str("has a domain without a '.'"),
            Self::EmptyDomainLabel => {
                f.write_str("has a domain that starts or ends with '.' or has '..'")
            }
            Self::DomainLabelEdge => f.write_str(
                "has a domain part that starts or ends with a character other than a letter or digit",
            ),
            Self::TooLong { length } => {
                write!(f, "is {length} characters long; the most is 254")
            }
        }
    }
}

/// Why a KYC identifier was refused.
///
/// Every variant says what is wrong and where; positions are 1-based and count the characters
/// of the input as typed, after surrounding whitespace is trimmed. No message ever contains the
/// identifier itself: a PAN, an account number or a mobile number must not end up whole in a
/// log because somebody mistyped it.
///
/// ```
/// use haat_seller::{Gstin, IdentifierError};
/// let err = "27AAPFU0939F1ZO".parse::<Gstin>().unwrap_err();
/// assert_eq!(err, IdentifierError::CheckCharacter { found: 'O', expected: 'V' });
/// assert_eq!(err.to_string(), "GSTIN check character is 'O', expected 'V'");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum IdentifierError {
    /// Nothing was given (or only whitespace).
    #[error("{kind} is empty")]
    Empty {
        /// Which identifier.
        kind: IdentifierKind,
    },
    /// A character that has no place in this identifier at all (not a letter or digit, nor a
    /// space or hyphen, which are dropped).
    #[error("{kind} has {character:?} at position {position}")]
    InvalidCharacter {
        /// Which identifier.
        kind: IdentifierKind,
        /// The character.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// A letter where a digit belongs, or the other way round, or another character where a
    /// fixed one belongs.
    #[error("{kind} has {character:?} at position {position}; expected {expected}")]
    UnexpectedCharacter {
        /// Which identifier.
        kind: IdentifierKind,
        /// The character found (upper-cased).
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
        /// What belongs there.
        expected: Expected,
    },
    /// The identifier has the wrong number of letters and digits.
    #[error("{kind} must be {expected} {unit}, found {found}", unit = .kind.unit())]
    WrongLength {
        /// Which identifier.
        kind: IdentifierKind,
        /// How many it must have.
        expected: usize,
        /// How many it has (spaces and hyphens not counted).
        found: usize,
    },
    /// The identifier's length is outside the range it may take.
    #[error("{kind} must be {min} to {max} {unit}, found {found}", unit = .kind.unit())]
    LengthOutOfRange {
        /// Which identifier.
        kind: IdentifierKind,
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
        /// How many it has (spaces and hyphens not counted).
        found: usize,
    },
    /// The identifier does not start with the prefix it must have.
    #[error("{kind} must start with {prefix}")]
    MissingPrefix {
        /// Which identifier.
        kind: IdentifierKind,
        /// The prefix.
        prefix: &'static str,
    },
    /// The fourth character of a PAN (alone or inside a GSTIN) is not a holder type.
    #[error(
        "{kind} holder type {character:?} at position {position} is not one of A B C F G H J K L P T"
    )]
    InvalidHolderType {
        /// Which identifier.
        kind: IdentifierKind,
        /// The character found.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The four-digit serial number of a PAN is `0000`, which is never issued.
    #[error(
        "{kind} has serial number 0000 at positions {position} to {last}; PAN serials start at 0001",
        last = .position + 3
    )]
    ZeroPanSerial {
        /// Which identifier.
        kind: IdentifierKind,
        /// The 1-based position of the serial's first digit in the trimmed input.
        position: usize,
    },
    /// The first two digits are not a GST state code.
    #[error("{kind} state code {code:02} is not a GST state code (01 to 38, or 97)")]
    UnknownStateCode {
        /// Which identifier.
        kind: IdentifierKind,
        /// The two digits, as a number.
        code: u8,
    },
    /// An Udyam number's two state letters are not those of an Indian state or union
    /// territory.
    #[error(
        "Udyam registration number has state letters '{letters}' at position {position}; they name no Indian state or union territory"
    )]
    UnknownStateLetters {
        /// The two letters (upper-cased).
        letters: String,
        /// The 1-based position of the first letter in the trimmed input.
        position: usize,
    },
    /// The GSTIN's entity number (13th character) is `0`; entity numbers run `1`–`9` then
    /// `A`–`Z`.
    #[error(
        "GSTIN entity number at position {position} is '0'; entity numbers run 1 to 9, then A to Z"
    )]
    ZeroEntityNumber {
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The GSTIN's check character does not match the other fourteen.
    #[error("GSTIN check character is {found:?}, expected {expected:?}")]
    CheckCharacter {
        /// The check character given.
        found: char,
        /// The check character the first fourteen characters call for.
        expected: char,
    },
    /// A mobile number whose ten digits do not start with 6, 7, 8 or 9.
    #[error("mobile number starts with {digit:?}; Indian mobile numbers start with 6, 7, 8 or 9")]
    MobileStart {
        /// The first of the ten digits.
        digit: char,
    },
    /// A mobile number with a `+` country code other than `+91`.
    #[error("mobile number has a country code other than +91")]
    ForeignMobile,
    /// An e-mail address that is not one.
    #[error("e-mail address {problem}")]
    InvalidEmail {
        /// What is wrong with it.
        problem: EmailProblem,
    },
}
