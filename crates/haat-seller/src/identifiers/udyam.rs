//! The Udyam (MSME) registration number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{IdentifierError, IdentifierKind};
use super::scan::{Typed, ascii};

/// An Udyam registration number, the MSME registration: `UDYAM-WB-10-0012345` (state letters,
/// district code, serial).
///
/// Accepts lower case and any spacing or hyphenation (`udyam wb 10 0012345`,
/// `UDYAMWB100012345`); `Display` is the canonical hyphenated form. The state letters must be
/// those of an Indian state or union territory (`UDYAM-ZZ-00-0000000` is refused). An enterprise's
/// registration is public (it is verifiable on the Udyam portal), so it is shown whole.
///
/// ```
/// use haat_seller::UdyamNumber;
/// let udyam: UdyamNumber = "udyam wb 10 0012345".parse()?;
/// assert_eq!(udyam.to_string(), "UDYAM-WB-10-0012345");
/// assert_eq!(udyam.state_letters(), "WB");
/// assert_eq!(udyam.district_code(), 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct UdyamNumber([u8; 19]);

impl UdyamNumber {
    /// The two letters of the state, `WB`.
    ///
    /// ```
    /// use haat_seller::UdyamNumber;
    /// assert_eq!("UDYAM-WB-10-0012345".parse::<UdyamNumber>()?.state_letters(), "WB");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state_letters(&self) -> &str {
        ascii(&self.0[6..8])
    }

    /// The two-digit district code, as a number.
    ///
    /// ```
    /// use haat_seller::UdyamNumber;
    /// assert_eq!("UDYAM-WB-07-0012345".parse::<UdyamNumber>()?.district_code(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn district_code(&self) -> u8 {
        (self.0[9].wrapping_sub(b'0')) * 10 + self.0[10].wrapping_sub(b'0')
    }

    /// The canonical form (the same as `Display`).
    ///
    /// ```
    /// use haat_seller::UdyamNumber;
    /// let udyam: UdyamNumber = "UDYAMWB100012345".parse()?;
    /// assert_eq!(udyam.as_str(), "UDYAM-WB-10-0012345");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }
}

/// The letter codes of India's states and union territories that Udyam numbers carry: the
/// ISO 3166-2:IN codes, and the vehicle-registration spellings used for some of them (`CG`, `OD`,
/// `TS`, `UK`, and `DD`/`DN` from before Dadra and Nagar Haveli and Daman and Diu merged).
const STATE_LETTERS: [&[u8; 2]; 42] = [
    b"AN", b"AP", b"AR", b"AS", b"BR", b"CG", b"CH", b"CT", b"DD", b"DH", b"DL", b"DN", b"GA",
    b"GJ", b"HP", b"HR", b"JH", b"JK", b"KA", b"KL", b"LA", b"LD", b"MH", b"ML", b"MN", b"MP",
    b"MZ", b"NL", b"OD", b"OR", b"PB", b"PY", b"RJ", b"SK", b"TG", b"TN", b"TR", b"TS", b"UK",
    b"UP", b"UT", b"WB",
];

impl FromStr for UdyamNumber {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::Udyam, s);
        let (buf, len) = t.compact::<16>()?;
        if !buf.starts_with(b"UDYAM") {
            return Err(IdentifierError::MissingPrefix {
                kind: t.kind,
                prefix: "UDYAM",
            });
        }
        t.length(len, 16)?;
        t.letters(&buf, 5..7)?;
        if !STATE_LETTERS.iter().any(|letters| buf[5..7] == **letters) {
            return Err(IdentifierError::UnknownStateLetters {
                letters: [char::from(buf[5]), char::from(buf[6])].iter().collect(),
                position: t.position(5),
            });
        }
        t.digits(&buf, 7..16)?;
        let mut out = *b"UDYAM-XX-00-0000000";
        out[6..8].copy_from_slice(&buf[5..7]);
        out[9..11].copy_from_slice(&buf[7..9]);
        out[12..19].copy_from_slice(&buf[9..16]);
        Ok(Self(out))
    }
}

impl fmt::Display for UdyamNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for UdyamNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UdyamNumber({self})")
    }
}

impl TryFrom<String> for UdyamNumber {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for UdyamNumber {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Udyam)
    }
}

impl From<UdyamNumber> for String {
    fn from(udyam: UdyamNumber) -> Self {
        udyam.as_str().to_owned()
    }
}
