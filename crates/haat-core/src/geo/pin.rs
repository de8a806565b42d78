//! PIN codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::directory::{PinDirectory, PinLocation};
use crate::Error;

/// An Indian postal index number: six digits, the first (the postal region) 1 to 9.
///
/// Parsing accepts what a person types: surrounding whitespace, and spaces or hyphens inside
/// (`"700 001"`, `"700-001"`); Bengali digits (`"৭০০০০১"`) are read as the digits they are. Any
/// other character is an error naming it and its position. The text form, used by `Display`
/// and serde, is the six digits.
///
/// A well-formed PIN code need not be in use; [`PinCode::location`] says whether India Post
/// knows it and where it is.
///
/// ```
/// use haat_core::{PinCode, StateCode};
///
/// let pin: PinCode = " 700 001 ".parse()?;
/// assert_eq!(pin.get(), 700_001);
/// assert_eq!(pin.to_string(), "700001");
/// let place = pin.location().ok_or("unknown PIN code")?;
/// assert_eq!(place.states(), [StateCode::WEST_BENGAL]);
/// assert_eq!(place.districts()[0].name(), "Kolkata");
///
/// assert_eq!(
///     "70O001".parse::<PinCode>().unwrap_err().to_string(),
///     "PIN code has 'O' at position 3; only digits are allowed",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PinCode(u32);

impl PinCode {
    /// The PIN code `number`, if it has six digits and does not start with 0.
    ///
    /// ```
    /// use haat_core::PinCode;
    /// assert!(PinCode::new(741_101).is_some());
    /// assert!(PinCode::new(70_001).is_none());
    /// assert!(PinCode::new(1_000_000).is_none());
    /// ```
    pub const fn new(number: u32) -> Option<Self> {
        match number {
            100_000..=999_999 => Some(Self(number)),
            _ => None,
        }
    }

    /// The PIN code as a number.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Where this PIN code is: its state(s) and district(s), from India Post's directory (see
    /// [`PinDirectory::india`]); `None` for a well-formed code India Post does not list.
    ///
    /// ```
    /// use haat_core::PinCode;
    /// let barasat: PinCode = "700124".parse()?;
    /// let place = barasat.location().ok_or("unknown PIN code")?;
    /// assert_eq!(place.districts()[0].name(), "North 24 Parganas");
    /// assert!("999999".parse::<PinCode>()?.location().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn location(self) -> Option<&'static PinLocation> {
        PinDirectory::india().lookup(self)
    }
}

/// The value of a digit a person may type: ASCII or Bengali.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{09E6}'..='\u{09EF}' => Some(c as u32 - 0x09E6),
        _ => None,
    }
}

impl FromStr for PinCode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let trimmed = s.trim();
        let mut value: u32 = 0;
        let mut digits: usize = 0;
        for (index, c) in trimmed.chars().enumerate() {
            if let Some(d) = digit_value(c) {
                if digits < 6 {
                    value = value * 10 + d;
                }
                digits += 1;
            } else if c != '-' && !c.is_whitespace() {
                return Err(Error::PinCodeCharacter {
                    character: c,
                    position: index + 1,
                });
            }
        }
        let normalised = || {
            trimmed
                .chars()
                .filter_map(digit_value)
                .filter_map(|d| char::from_digit(d, 10))
                .collect::<String>()
        };
        if digits != 6 {
            return Err(Error::PinCodeLength {
                input: normalised(),
                digits,
            });
        }
        Self::new(value).ok_or_else(|| Error::PinCodeLeadingZero {
            input: normalised(),
        })
    }
}

impl fmt::Debug for PinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinCode({})", self.0)
    }
}

impl fmt::Display for PinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl TryFrom<String> for PinCode {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<PinCode> for String {
    fn from(pin: PinCode) -> String {
        pin.to_string()
    }
}

impl From<PinCode> for u32 {
    fn from(pin: PinCode) -> u32 {
        pin.0
    }
}
