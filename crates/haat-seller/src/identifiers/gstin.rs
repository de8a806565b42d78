//! The GST identification number, and the enrolment number of a seller without one.

use std::fmt;
use std::str::FromStr;

use haat_core::StateCode;
use serde::{Deserialize, Deserializer, Serialize};

use super::error::{Expected, IdentifierError, IdentifierKind};
use super::pan::{Pan, check_pan};
use super::scan::{Typed, ascii};

/// A GST identification number: state code, the holder's PAN, entity number, `Z`, check
/// character (`27AAPFU0939F1ZV`).
///
/// Parsing checks everything that can be checked offline: the state code is a GST state code
/// (01–38 or 97), the embedded PAN is a valid [`Pan`], the entity number is `1`–`9` or `A`–`Z`,
/// the 14th character is `Z`, and the check character matches. It accepts what a person types
/// (surrounding whitespace, lower case, spaces and hyphens inside) and allocates nothing.
///
/// The embedded PAN is personal data: [`Display`](fmt::Display) and [`Debug`] mask it
/// (`27AAPFUXXXXF1ZV`); [`expose`](Gstin::expose) gives the whole GSTIN (for an invoice, say).
/// Serde carries the whole value, because events store it and must load back into the same
/// GSTIN.
///
/// ```
/// use haat_core::StateCode;
/// use haat_seller::Gstin;
/// let gstin: Gstin = " 27aapfu0939f1zv ".parse()?;
/// assert_eq!(gstin.expose(), "27AAPFU0939F1ZV");
/// assert_eq!(gstin.to_string(), "27AAPFUXXXXF1ZV");
/// assert_eq!(gstin.state_code().code(), 27);
/// assert_eq!(gstin.pan().expose(), "AAPFU0939F");
/// assert_eq!(gstin.entity_number(), '1');
/// assert_eq!(gstin.check_character(), 'V');
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Gstin([u8; 15]);

/// For each byte of `0-9A-Z`, its value in the GSTIN checksum (0–35) at an odd position
/// (weight 1), and its folded product `p / 36 + p % 36` at an even position (weight 2).
/// Other bytes map to 0; they never reach the checksum of a valid GSTIN.
const CHECKSUM_TERMS: [[u8; 256]; 2] = {
    let mut table = [[0u8; 256]; 2];
    let mut b = 0;
    while b < 256 {
        let value = match b as u8 {
            c @ b'0'..=b'9' => Some(c - b'0'),
            c @ b'A'..=b'Z' => Some(c - b'A' + 10),
            _ => None,
        };
        if let Some(v) = value {
            let doubled = 2 * v;
            table[0][b] = v;
            table[1][b] = doubled / 36 + doubled % 36;
        }
        b += 1;
    }
    table
};

/// The check character of fourteen characters of `0-9A-Z`: map to 0–35, weight 1, 2, 1, 2, …
/// from the left, add `p / 36 + p % 36` for each product `p`, and take
/// `(36 - sum % 36) % 36`.
#[inline(always)]
fn check_of(first14: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &b) in first14.iter().enumerate() {
        sum += u32::from(CHECKSUM_TERMS[i & 1][usize::from(b)]);
    }
    let check = ((36 - sum % 36) % 36) as u8;
    if check < 10 {
        b'0' + check
    } else {
        b'A' + (check - 10)
    }
}

/// The GSTIN check character for the first fourteen characters of a GSTIN.
///
/// For callers that generate GSTINs (test data, say). The fourteen characters are normalised
/// like any GSTIN input, and must all be letters or digits; their structure is not checked.
///
/// # Errors
///
/// [`IdentifierError::InvalidCharacter`] for a character other than a letter, digit, space or
/// hyphen, and [`IdentifierError::WrongLength`] unless there are exactly fourteen.
///
/// ```
/// use haat_seller::gstin_check_character;
/// assert_eq!(gstin_check_character("27AAPFU0939F1Z")?, 'V');
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn gstin_check_character(first14: &str) -> Result<char, IdentifierError> {
    let t = Typed::new(IdentifierKind::GstinWithoutCheck, first14);
    let (buf, len) = t.compact::<14>()?;
    t.length(len, 14)?;
    Ok(char::from(check_of(&buf)))
}

/// Checks the state code in `buf[0..2]`.
#[inline]
fn check_state(t: &Typed<'_>, buf: &[u8]) -> Result<StateCode, IdentifierError> {
    t.digits(buf, 0..2)?;
    let code = (buf[0] - b'0') * 10 + (buf[1] - b'0');
    StateCode::new(code).ok_or(IdentifierError::UnknownStateCode { kind: t.kind, code })
}

/// The state code of a buffer already checked by [`check_state`].
fn state_of(buf: &[u8]) -> StateCode {
    let code = (buf[0].wrapping_sub(b'0')) * 10 + buf[1].wrapping_sub(b'0');
    // Checked at parse time; West Bengal is never reached.
    StateCode::new(code).unwrap_or(StateCode::WEST_BENGAL)
}

/// The embedded PAN of a buffer already checked by [`check_pan`] at 2.
fn pan_of(buf: &[u8]) -> Pan {
    let mut pan = [0u8; 10];
    pan.copy_from_slice(&buf[2..12]);
    Pan::from_checked(pan)
}

/// Writes `buf` with its embedded PAN (at 2..12) masked.
fn write_masked(f: &mut fmt::Formatter<'_>, buf: &[u8; 15]) -> fmt::Result {
    let mut out = *buf;
    out[7..11].copy_from_slice(b"XXXX");
    f.write_str(ascii(&out))
}

impl Gstin {
    /// The state the GSTIN is registered in (its first two digits).
    ///
    /// ```
    /// use haat_core::StateCode;
    /// use haat_seller::Gstin;
    /// let gstin: Gstin = "27AAPFU0939F1ZV".parse()?;
    /// assert_eq!(gstin.state_code(), StateCode::new(27).ok_or("no state")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state_code(&self) -> StateCode {
        state_of(&self.0)
    }

    /// The holder's PAN (characters 3 to 12).
    ///
    /// ```
    /// use haat_seller::Gstin;
    /// let gstin: Gstin = "27AAPFU0939F1ZV".parse()?;
    /// assert_eq!(gstin.pan(), "AAPFU0939F".parse()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pan(&self) -> Pan {
        pan_of(&self.0)
    }

    /// The entity number (13th character): which of the holder's registrations in the state
    /// this is, `1`–`9` then `A`–`Z`.
    ///
    /// ```
    /// use haat_seller::Gstin;
    /// let gstin: Gstin = "27AAPFU0939F1ZV".parse()?;
    /// assert_eq!(gstin.entity_number(), '1');
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entity_number(&self) -> char {
        char::from(self.0[12])
    }

    /// The check character (15th).
    ///
    /// ```
    /// use haat_seller::Gstin;
    /// let gstin: Gstin = "27AAPFU0939F1ZV".parse()?;
    /// assert_eq!(gstin.check_character(), 'V');
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_character(&self) -> char {
        char::from(self.0[14])
    }

    /// The whole GSTIN, `27AAPFU0939F1ZV`, embedded PAN included.
    ///
    /// `Display` and `Debug` mask the embedded PAN; this is the only way to see the whole
    /// value. Use it where the whole GSTIN is required (an invoice, a return).
    ///
    /// ```
    /// use haat_seller::Gstin;
    /// let gstin: Gstin = "27 AAPFU 0939F 1ZV".parse()?;
    /// assert_eq!(gstin.expose(), "27AAPFU0939F1ZV");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        ascii(&self.0)
    }
}

/// Bit `n` set for each letter `'A' + n` that is a PAN holder type (A B C F G H J K L P T).
const HOLDER_TYPES: u32 = {
    let codes = *b"ABCFGHJKLPT";
    let mut mask = 0;
    let mut i = 0;
    while i < codes.len() {
        mask |= 1 << (codes[i] - b'A');
        i += 1;
    }
    mask
};

/// Whether 15 canonical letters and digits are a valid GSTIN, in one pass and without
/// saying why (the detailed checks below do that, only for the rare invalid input).
#[inline(always)]
fn is_valid_gstin(b: &[u8; 15]) -> bool {
    let digit = |x: u8| x.is_ascii_digit();
    let letter = |x: u8| x.is_ascii_uppercase();
    let state = u32::from(b[0].wrapping_sub(b'0')) * 10 + u32::from(b[1].wrapping_sub(b'0'));
    digit(b[0])
        & digit(b[1])
        & ((1..=38).contains(&state) | (state == 97))
        & letter(b[2])
        & letter(b[3])
        & letter(b[4])
        & letter(b[5])
        & (HOLDER_TYPES >> (b[5].wrapping_sub(b'A') & 31) & 1 == 1)
        & letter(b[6])
        & digit(b[7])
        & digit(b[8])
        & digit(b[9])
        & digit(b[10])
        & (b[7..11] != *b"0000")
        & letter(b[11])
        & (b[12] != b'0')
        & (b[13] == b'Z')
        & (b[14] == check_of(&b[..14]))
}

impl FromStr for Gstin {
    type Err = IdentifierError;

    #[inline]
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::Gstin, s);
        let (buf, len) = t.compact::<15>()?;
        if len == 15 && is_valid_gstin(&buf) {
            return Ok(Self(buf));
        }
        t.length(len, 15)?;
        check_state(&t, &buf)?;
        check_pan(&t, &buf, 2)?;
        if buf[12] == b'0' {
            return Err(IdentifierError::ZeroEntityNumber {
                position: t.position(12),
            });
        }
        if buf[13] != b'Z' {
            return Err(t.unexpected(&buf, 13, Expected::Exactly('Z')));
        }
        let expected = check_of(&buf[..14]);
        if buf[14] != expected {
            return Err(IdentifierError::CheckCharacter {
                found: char::from(buf[14]),
                expected: char::from(expected),
            });
        }
        Ok(Self(buf))
    }
}

impl fmt::Display for Gstin {
    /// The GSTIN with its embedded PAN masked, `27AAPFUXXXXF1ZV`; use [`Gstin::expose`] for
    /// the whole value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(f, &self.0)
    }
}

impl fmt::Debug for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gstin({self})")
    }
}

impl TryFrom<String> for Gstin {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for Gstin {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Gstin)
    }
}

impl From<Gstin> for String {
    fn from(gstin: Gstin) -> Self {
        gstin.expose().to_owned()
    }
}

/// The enrolment number a seller without GST registration obtains on the GST portal to sell
/// through e-commerce operators within one state (allowed since 1 October 2023, CBIC
/// notification 34/2023-Central Tax).
///
/// The notification and GSTN's advisory say the number is granted per state after the
/// seller's PAN is validated, but publish no format. haat accepts 15 letters and digits whose
/// first two are a GST state code and whose 3rd to 12th are the holder's valid PAN (the shape
/// of a GSTIN, carrying the two things the rules tie an enrolment to); the last three are
/// letters or digits, with no checksum imposed. docs/DESIGN.md records this decision.
///
/// Like a [`Gstin`], `Display` and `Debug` mask the embedded PAN; [`expose`](Self::expose)
/// and serde carry the whole value.
///
/// ```
/// use haat_seller::GstEnrolmentNumber;
/// let enrolment: GstEnrolmentNumber = "19aappv1234k1e3".parse()?;
/// assert_eq!(enrolment.state_code().code(), 19);
/// assert_eq!(enrolment.pan().expose(), "AAPPV1234K");
/// assert_eq!(enrolment.to_string(), "19AAPPVXXXXK1E3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct GstEnrolmentNumber([u8; 15]);

impl GstEnrolmentNumber {
    /// The state the enrolment is for (its first two digits): the only state the seller may
    /// sell in.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// use haat_seller::GstEnrolmentNumber;
    /// let enrolment: GstEnrolmentNumber = "19AAPPV1234K1E3".parse()?;
    /// assert_eq!(enrolment.state_code(), StateCode::WEST_BENGAL);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state_code(&self) -> StateCode {
        state_of(&self.0)
    }

    /// The holder's PAN (characters 3 to 12).
    ///
    /// ```
    /// use haat_seller::GstEnrolmentNumber;
    /// let enrolment: GstEnrolmentNumber = "19AAPPV1234K1E3".parse()?;
    /// assert_eq!(enrolment.pan().masked(), "AAPPVXXXXK");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pan(&self) -> Pan {
        pan_of(&self.0)
    }

    /// The whole enrolment number, embedded PAN included (`Display` and `Debug` mask it).
    ///
    /// ```
    /// use haat_seller::GstEnrolmentNumber;
    /// let enrolment: GstEnrolmentNumber = "19 AAPPV1234K 1E3".parse()?;
    /// assert_eq!(enrolment.expose(), "19AAPPV1234K1E3");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        ascii(&self.0)
    }
}

impl FromStr for GstEnrolmentNumber {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::GstEnrolmentNumber, s);
        let (buf, len) = t.compact::<15>()?;
        t.length(len, 15)?;
        check_state(&t, &buf)?;
        check_pan(&t, &buf, 2)?;
        Ok(Self(buf))
    }
}

impl fmt::Display for GstEnrolmentNumber {
    /// The enrolment number with its embedded PAN masked; use
    /// [`GstEnrolmentNumber::expose`] for the whole value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(f, &self.0)
    }
}

impl fmt::Debug for GstEnrolmentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GstEnrolmentNumber({self})")
    }
}

impl TryFrom<String> for GstEnrolmentNumber {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for GstEnrolmentNumber {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::GstEnrolmentNumber)
    }
}

impl From<GstEnrolmentNumber> for String {
    fn from(enrolment: GstEnrolmentNumber) -> Self {
        enrolment.expose().to_owned()
    }
}
