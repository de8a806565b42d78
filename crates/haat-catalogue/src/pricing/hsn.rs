//! HSN codes: the Harmonised System of Nomenclature as India uses it for GST.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::PricingError;

/// An HSN code of 4, 6 or 8 digits: chapter (2), heading (4), sub-heading (6), tariff item (8).
///
/// Parsing accepts what a person types: surrounding whitespace, and a space or dot between two
/// digits (`"5208.52"`, `"6302 10 10"`), are removed (`"5208..52"` is refused); any other character is an error naming it
/// and its position. The value is stored as digits in a small array, so it is `Copy`.
///
/// ```
/// use haat_catalogue::HsnCode;
///
/// let hsn: HsnCode = " 5208.52 ".parse()?;
/// assert_eq!(hsn.as_str(), "520852");
/// assert_eq!(hsn.chapter(), 52);
/// assert_eq!(hsn.heading(), "5208");
/// assert!(hsn.starts_with("52"));
/// assert!("52O8".parse::<HsnCode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HsnCode {
    digits: [u8; 8],
    len: u8,
}

impl HsnCode {
    /// The code as digits (`"520852"`).
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this never fails; the fallback keeps the
        // library free of panics.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or("")
    }

    /// The chapter: the first two digits as a number (`52` for cotton).
    pub fn chapter(&self) -> u8 {
        (self.digits[0] - b'0') * 10 + (self.digits[1] - b'0')
    }

    /// The heading: the first four digits (`"5208"`).
    pub fn heading(&self) -> &str {
        &self.as_str()[..4]
    }

    /// How many digits the code has: 4, 6 or 8.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always `false`: a code has at least four digits. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether the code begins with `prefix` (digits only; `""` matches every code).
    ///
    /// ```
    /// use haat_catalogue::HsnCode;
    /// let hsn: HsnCode = "62046200".parse()?;
    /// assert!(hsn.starts_with("62"));
    /// assert!(hsn.starts_with("6204"));
    /// assert!(!hsn.starts_with("61"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.as_str().starts_with(prefix)
    }
}

impl FromStr for HsnCode {
    type Err = PricingError;

    fn from_str(s: &str) -> Result<Self, PricingError> {
        let input = s.trim();
        let mut digits = [0u8; 8];
        let mut len = 0usize;
        // A separator must follow a digit and be followed by one: `5208.52`, not `5208..52`.
        let mut after_digit = false;
        let misplaced = |separator, position| PricingError::HsnSeparator {
            input: input.to_owned(),
            separator,
            position,
        };
        let mut last_separator = None;
        for (index, character) in input.chars().enumerate() {
            match character {
                '0'..='9' => {
                    if len < digits.len() {
                        digits[len] = character as u8;
                    }
                    len += 1;
                    after_digit = true;
                    last_separator = None;
                }
                ' ' | '.' if after_digit => {
                    after_digit = false;
                    last_separator = Some((character, index + 1));
                }
                ' ' | '.' => return Err(misplaced(character, index + 1)),
                _ => {
                    return Err(PricingError::HsnCharacter {
                        input: input.to_owned(),
                        character,
                        position: index + 1,
                    });
                }
            }
        }
        if let Some((separator, position)) = last_separator {
            return Err(misplaced(separator, position));
        }
        match len {
            4 | 6 | 8 => Ok(HsnCode {
                digits,
                len: len as u8,
            }),
            _ => Err(PricingError::HsnLength {
                input: input.to_owned(),
                digits: len,
            }),
        }
    }
}

impl fmt::Display for HsnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HsnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HsnCode({})", self.as_str())
    }
}

impl TryFrom<String> for HsnCode {
    type Error = PricingError;

    fn try_from(value: String) -> Result<Self, PricingError> {
        value.parse()
    }
}

impl From<HsnCode> for String {
    fn from(value: HsnCode) -> String {
        value.as_str().to_owned()
    }
}
