//! GST state codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// The GST state codes with their official names, in code order.
///
/// 25 and 28 are kept because GSTINs issued under them still exist: 25 was Daman and Diu before
/// it merged with Dadra and Nagar Haveli (26 January 2020), 28 was Andhra Pradesh before
/// Telangana was carved out of it (2014).
const STATES: [(u8, &str); 39] = [
    (1, "Jammu and Kashmir"),
    (2, "Himachal Pradesh"),
    (3, "Punjab"),
    (4, "Chandigarh"),
    (5, "Uttarakhand"),
    (6, "Haryana"),
    (7, "Delhi"),
    (8, "Rajasthan"),
    (9, "Uttar Pradesh"),
    (10, "Bihar"),
    (11, "Sikkim"),
    (12, "Arunachal Pradesh"),
    (13, "Nagaland"),
    (14, "Manipur"),
    (15, "Mizoram"),
    (16, "Tripura"),
    (17, "Meghalaya"),
    (18, "Assam"),
    (19, "West Bengal"),
    (20, "Jharkhand"),
    (21, "Odisha"),
    (22, "Chhattisgarh"),
    (23, "Madhya Pradesh"),
    (24, "Gujarat"),
    (25, "Daman and Diu (pre-merger)"),
    (26, "Dadra and Nagar Haveli and Daman and Diu"),
    (27, "Maharashtra"),
    (28, "Andhra Pradesh (before division)"),
    (29, "Karnataka"),
    (30, "Goa"),
    (31, "Lakshadweep"),
    (32, "Kerala"),
    (33, "Tamil Nadu"),
    (34, "Puducherry"),
    (35, "Andaman and Nicobar Islands"),
    (36, "Telangana"),
    (37, "Andhra Pradesh"),
    (38, "Ladakh"),
    (97, "Other Territory"),
];

/// Other names people (and India Post, and older GST masters) use, already in the normalised
/// form of [`name_words`], with the code each one means today.
///
/// "Andhra Pradesh" means 37 (the state since 2014), not 28; "Daman and Diu" and "Dadra and Nagar
/// Haveli" mean 26 (the merged union territory since 2020), not 25 or the old 26 alone.
const ALIASES: [(&str, u8); 19] = [
    ("jammu kashmir", 1),
    ("uttaranchal", 5),
    ("nct of delhi", 7),
    ("national capital territory of delhi", 7),
    ("orissa", 21),
    ("chattisgarh", 22),
    ("chhatisgarh", 22),
    ("daman and diu", 26),
    ("dadra and nagar haveli", 26),
    ("dnh and dd", 26),
    ("andhra pradesh", 37),
    ("andhra pradesh new", 37),
    ("andhra pradesh old", 28),
    ("pondicherry", 34),
    ("andaman and nicobar", 35),
    ("andaman nicobar islands", 35),
    ("telengana", 36),
    ("kerela", 32),
    ("other territories", 97),
];

/// A GST state code: the two digits that open every GSTIN and name the state or union territory
/// where a business is registered.
///
/// Valid codes are 01 to 38 and 97 (Other Territory). The text form is always two digits
/// (`"09"`, `"19"`), and serde uses the same string.
///
/// ```
/// use haat_core::StateCode;
///
/// let wb: StateCode = "19".parse()?;
/// assert_eq!(wb, StateCode::WEST_BENGAL);
/// assert_eq!(wb.name(), "West Bengal");
/// assert_eq!(StateCode::new(9).map(|c| c.to_string()), Some("09".to_owned()));
/// assert_eq!(StateCode::from_name("THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU")?.code(), 26);
/// assert!(StateCode::new(39).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StateCode(u8);

impl StateCode {
    /// 01 Jammu and Kashmir.
    pub const JAMMU_AND_KASHMIR: Self = Self(1);
    /// 04 Chandigarh.
    pub const CHANDIGARH: Self = Self(4);
    /// 07 Delhi.
    pub const DELHI: Self = Self(7);
    /// 09 Uttar Pradesh.
    pub const UTTAR_PRADESH: Self = Self(9);
    /// 10 Bihar.
    pub const BIHAR: Self = Self(10);
    /// 18 Assam.
    pub const ASSAM: Self = Self(18);
    /// 19 West Bengal.
    pub const WEST_BENGAL: Self = Self(19);
    /// 20 Jharkhand.
    pub const JHARKHAND: Self = Self(20);
    /// 21 Odisha.
    pub const ODISHA: Self = Self(21);
    /// 24 Gujarat.
    pub const GUJARAT: Self = Self(24);
    /// 26 Dadra and Nagar Haveli and Daman and Diu.
    pub const DADRA_AND_NAGAR_HAVELI_AND_DAMAN_AND_DIU: Self = Self(26);
    /// 27 Maharashtra.
    pub const MAHARASHTRA: Self = Self(27);
    /// 29 Karnataka.
    pub const KARNATAKA: Self = Self(29);
    /// 32 Kerala.
    pub const KERALA: Self = Self(32);
    /// 33 Tamil Nadu.
    pub const TAMIL_NADU: Self = Self(33);
    /// 36 Telangana.
    pub const TELANGANA: Self = Self(36);
    /// 37 Andhra Pradesh (the state since 2014).
    pub const ANDHRA_PRADESH: Self = Self(37);
    /// 97 Other Territory.
    pub const OTHER_TERRITORY: Self = Self(97);

    /// The state code `code`, if it is one of 01–38 or 97.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// assert_eq!(StateCode::new(19), Some(StateCode::WEST_BENGAL));
    /// assert_eq!(StateCode::new(0), None);
    /// assert_eq!(StateCode::new(99), None);
    /// ```
    pub const fn new(code: u8) -> Option<Self> {
        match code {
            1..=38 | 97 => Some(Self(code)),
            _ => None,
        }
    }

    /// The code as a number (19 for West Bengal).
    pub const fn code(self) -> u8 {
        self.0
    }

    /// The official name of the state or union territory.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// assert_eq!(StateCode::WEST_BENGAL.name(), "West Bengal");
    /// assert_eq!(StateCode::OTHER_TERRITORY.name(), "Other Territory");
    /// ```
    pub const fn name(self) -> &'static str {
        let index = if self.0 == 97 {
            38
        } else {
            self.0 as usize - 1
        };
        STATES[index].1
    }

    /// Every state code, in code order (01, 02, …, 38, 97).
    ///
    /// ```
    /// use haat_core::StateCode;
    /// assert_eq!(StateCode::all().count(), 39);
    /// assert!(StateCode::all().any(|c| c == StateCode::WEST_BENGAL));
    /// ```
    pub fn all() -> impl ExactSizeIterator<Item = StateCode> + Clone {
        STATES.iter().map(|&(code, _)| Self(code))
    }

    /// The state code for a state's name, forgiving about case, spacing, `&` for "and", a leading
    /// "The", and the usual older or alternative spellings ("Orissa", "Pondicherry",
    /// "Uttaranchal").
    ///
    /// Where one name has meant two codes, the current one wins: "Andhra Pradesh" is 37 (28 was
    /// the undivided state), "Daman and Diu" is 26 (25 was the union territory before it merged
    /// with Dadra and Nagar Haveli). The exact names of the old codes, as [`StateCode::name`]
    /// gives them, still find them.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownStateName`] when the name matches no state or union territory.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// assert_eq!(StateCode::from_name("west  bengal")?, StateCode::WEST_BENGAL);
    /// assert_eq!(StateCode::from_name("Jammu & Kashmir")?.code(), 1);
    /// assert_eq!(StateCode::from_name("ANDHRA PRADESH")?, StateCode::ANDHRA_PRADESH);
    /// assert_eq!(StateCode::from_name("Andhra Pradesh (before division)")?.code(), 28);
    /// assert!(StateCode::from_name("Atlantis").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Self, Error> {
        let words = name_words(name);
        let key = words
            .strip_prefix("the ")
            .unwrap_or(&words)
            .replace(' ', "");
        let same = |other: &str| {
            let mut other = other.chars().filter(|c| *c != ' ');
            key.chars().all(|c| other.next() == Some(c)) && other.next().is_none()
        };
        let found = STATES
            .iter()
            .find(|(_, official)| same(&name_words(official)))
            .map(|&(code, _)| code)
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, _)| same(alias))
                    .map(|&(_, code)| code)
            });
        found.map(Self).ok_or_else(|| Error::UnknownStateName {
            input: name.trim().to_owned(),
        })
    }
}

/// A name reduced to what matters for matching: lower case, `&` read as "and", and every run of
/// anything that is not a letter or digit turned into one space.
pub(crate) fn name_words(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 4);
    let mut pending_space = false;
    for c in name.chars() {
        if c == '&' {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str("and");
            pending_space = true;
        } else if c.is_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    key
}

impl fmt::Debug for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateCode({:02} {})", self.0, self.name())
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl FromStr for StateCode {
    type Err = Error;

    /// Parses the one- or two-digit code (`"19"`, `" 9 "`, `"09"`), surrounding whitespace
    /// allowed. Names are [`StateCode::from_name`]'s job.
    fn from_str(s: &str) -> Result<Self, Error> {
        let trimmed = s.trim();
        let unknown = || Error::UnknownStateCode {
            input: trimmed.to_owned(),
        };
        if trimmed.is_empty() || trimmed.len() > 2 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let code = trimmed.bytes().fold(0u8, |acc, b| acc * 10 + (b - b'0'));
        Self::new(code).ok_or_else(unknown)
    }
}

impl TryFrom<String> for StateCode {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<StateCode> for String {
    fn from(code: StateCode) -> String {
        code.to_string()
    }
}

impl From<StateCode> for u8 {
    fn from(code: StateCode) -> u8 {
        code.0
    }
}
