//! The permanent account number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{IdentifierError, IdentifierKind};
use super::scan::{Typed, ascii};

/// Who holds a PAN: its fourth character.
///
/// ```
/// use haat_seller::{Pan, PanHolderType};
/// let pan: Pan = "AAPFU0939F".parse()?;
/// assert_eq!(pan.holder_type(), PanHolderType::Firm);
/// assert_eq!(PanHolderType::Firm.code(), 'F');
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PanHolderType {
    /// `P`: an individual.
    Individual,
    /// `C`: a company.
    Company,
    /// `H`: a Hindu undivided family.
    Huf,
    /// `F`: a firm or a limited liability partnership.
    Firm,
    /// `A`: an association of persons.
    Aop,
    /// `T`: a trust.
    Trust,
    /// `B`: a body of individuals.
    Boi,
    /// `L`: a local authority.
    LocalAuthority,
    /// `J`: an artificial juridical person.
    ArtificialJuridicalPerson,
    /// `G`: the government.
    Government,
    /// `K`: an obsolete holder type, still found on old PANs.
    Obsolete,
}

impl PanHolderType {
    /// Every holder type, in the order of their codes (A B C F G H J K L P T).
    pub const ALL: [Self; 11] = [
        Self::Aop,
        Self::Boi,
        Self::Company,
        Self::Firm,
        Self::Government,
        Self::Huf,
        Self::ArtificialJuridicalPerson,
        Self::Obsolete,
        Self::LocalAuthority,
        Self::Individual,
        Self::Trust,
    ];

    /// The letter that stands for this holder type in a PAN.
    ///
    /// ```
    /// use haat_seller::PanHolderType;
    /// assert_eq!(PanHolderType::Individual.code(), 'P');
    /// ```
    pub const fn code(self) -> char {
        match self {
            Self::Individual => 'P',
            Self::Company => 'C',
            Self::Huf => 'H',
            Self::Firm => 'F',
            Self::Aop => 'A',
            Self::Trust => 'T',
            Self::Boi => 'B',
            Self::LocalAuthority => 'L',
            Self::ArtificialJuridicalPerson => 'J',
            Self::Government => 'G',
            Self::Obsolete => 'K',
        }
    }

    /// The holder type a letter stands for, if any.
    ///
    /// ```
    /// use haat_seller::PanHolderType;
    /// assert_eq!(PanHolderType::from_code('C'), Some(PanHolderType::Company));
    /// assert_eq!(PanHolderType::from_code('X'), None);
    /// ```
    pub const fn from_code(code: char) -> Option<Self> {
        Some(match code {
            'P' => Self::Individual,
            'C' => Self::Company,
            'H' => Self::Huf,
            'F' => Self::Firm,
            'A' => Self::Aop,
            'T' => Self::Trust,
            'B' => Self::Boi,
            'L' => Self::LocalAuthority,
            'J' => Self::ArtificialJuridicalPerson,
            'G' => Self::Government,
            'K' => Self::Obsolete,
            _ => return None,
        })
    }
}

/// A permanent account number: `[A-Z]{5}[0-9]{4}[A-Z]`, the fourth letter the holder type, the
/// serial never `0000`.
///
/// A PAN is personal data. [`Display`](fmt::Display) and [`Debug`] show it masked
/// (`AAPPVXXXXK`: the four digits as `X`), so it is never printed whole by accident;
/// [`expose`](Pan::expose) is the only way to see the whole value. Serde, by contrast, carries
/// the whole value: a PAN is stored in events, and a stored event must load back into the same
/// PAN — a masked form could not be parsed back, and would lose the seller's identity.
///
/// ```
/// use haat_seller::Pan;
/// let pan: Pan = " aappv-1234k ".parse()?;
/// assert_eq!(pan.expose(), "AAPPV1234K");
/// assert_eq!(pan.to_string(), "AAPPVXXXXK");
/// assert_eq!(format!("{pan:?}"), "Pan(AAPPVXXXXK)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Pan([u8; 10]);

/// Validates a PAN sitting at `buf[base..base + 10]`.
#[inline]
pub(crate) fn check_pan(t: &Typed<'_>, buf: &[u8], base: usize) -> Result<(), IdentifierError> {
    t.letters(buf, base..base + 3)?;
    let holder = buf.get(base + 3).copied().unwrap_or(0);
    if PanHolderType::from_code(char::from(holder)).is_none() {
        return Err(IdentifierError::InvalidHolderType {
            kind: t.kind,
            character: char::from(holder),
            position: t.position(base + 3),
        });
    }
    t.letters(buf, base + 4..base + 5)?;
    t.digits(buf, base + 5..base + 9)?;
    if buf.get(base + 5..base + 9) == Some(b"0000".as_slice()) {
        return Err(IdentifierError::ZeroPanSerial {
            kind: t.kind,
            position: t.position(base + 5),
        });
    }
    t.letters(buf, base + 9..base + 10)
}

impl Pan {
    /// A PAN from ten bytes already checked by [`check_pan`].
    pub(crate) const fn from_checked(bytes: [u8; 10]) -> Self {
        Self(bytes)
    }

    /// Who holds this PAN.
    ///
    /// ```
    /// use haat_seller::{Pan, PanHolderType};
    /// let pan: Pan = "AAPPV1234K".parse()?;
    /// assert_eq!(pan.holder_type(), PanHolderType::Individual);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holder_type(&self) -> PanHolderType {
        // Every stored PAN has a valid fourth letter; `Obsolete` is never reached.
        PanHolderType::from_code(char::from(self.0[3])).unwrap_or(PanHolderType::Obsolete)
    }

    /// The whole PAN, `AAPPV1234K`.
    ///
    /// This is the only way to see the whole value: `Display` and `Debug` mask it. Call it
    /// where the whole PAN is needed (a tax filing, a verification call) and nowhere else.
    ///
    /// ```
    /// use haat_seller::Pan;
    /// let pan: Pan = "AAPPV1234K".parse()?;
    /// assert_eq!(pan.expose(), "AAPPV1234K");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        ascii(&self.0)
    }

    /// The PAN with its four digits masked: `AAPPVXXXXK`.
    ///
    /// ```
    /// use haat_seller::Pan;
    /// let pan: Pan = "AAPPV1234K".parse()?;
    /// assert_eq!(pan.masked(), "AAPPVXXXXK");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn masked(&self) -> String {
        ascii(&self.masked_bytes()).to_owned()
    }

    pub(crate) fn masked_bytes(&self) -> [u8; 10] {
        let mut out = self.0;
        out[5..9].copy_from_slice(b"XXXX");
        out
    }
}

impl FromStr for Pan {
    type Err = IdentifierError;

    /// Parses a PAN as a person types it: surrounding whitespace, lower case, and spaces or
    /// hyphens inside are accepted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::Pan, s);
        let (buf, len) = t.compact::<10>()?;
        t.length(len, 10)?;
        check_pan(&t, &buf, 0)?;
        Ok(Self(buf))
    }
}

impl fmt::Display for Pan {
    /// The masked PAN, `AAPPVXXXXK`; use [`Pan::expose`] for the whole value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ascii(&self.masked_bytes()))
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pan({self})")
    }
}

impl TryFrom<String> for Pan {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for Pan {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Pan)
    }
}

impl From<Pan> for String {
    fn from(pan: Pan) -> Self {
        pan.expose().to_owned()
    }
}
