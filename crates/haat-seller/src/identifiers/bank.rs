//! Where a seller is paid: the bank branch (IFSC) and the account number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{Expected, IdentifierError, IdentifierKind};
use super::scan::{Typed, ascii};

/// An Indian Financial System Code: a bank (four letters), `0`, and a branch (six letters or
/// digits), `SBIN0001234`.
///
/// A branch code is public, not personal: `Display` shows it whole.
///
/// ```
/// use haat_seller::Ifsc;
/// let ifsc: Ifsc = "sbin 0001234".parse()?;
/// assert_eq!(ifsc.to_string(), "SBIN0001234");
/// assert_eq!(ifsc.bank_code(), "SBIN");
/// assert_eq!(ifsc.branch_code(), "001234");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Ifsc([u8; 11]);

impl Ifsc {
    /// The bank's four letters, `SBIN`.
    ///
    /// ```
    /// use haat_seller::Ifsc;
    /// assert_eq!("UTIB0000123".parse::<Ifsc>()?.bank_code(), "UTIB");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bank_code(&self) -> &str {
        ascii(&self.0[..4])
    }

    /// The branch's six letters or digits, `001234`.
    ///
    /// ```
    /// use haat_seller::Ifsc;
    /// assert_eq!("UTIB0000123".parse::<Ifsc>()?.branch_code(), "000123");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn branch_code(&self) -> &str {
        ascii(&self.0[5..])
    }

    /// The whole code (the same as `Display`).
    ///
    /// ```
    /// use haat_seller::Ifsc;
    /// assert_eq!("UTIB0000123".parse::<Ifsc>()?.as_str(), "UTIB0000123");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }
}

impl FromStr for Ifsc {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::Ifsc, s);
        let (buf, len) = t.compact::<11>()?;
        t.length(len, 11)?;
        t.letters(&buf, 0..4)?;
        if buf[4] != b'0' {
            return Err(t.unexpected(&buf, 4, Expected::Exactly('0')));
        }
        Ok(Self(buf))
    }
}

impl fmt::Display for Ifsc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Ifsc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ifsc({self})")
    }
}

impl TryFrom<String> for Ifsc {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for Ifsc {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Ifsc)
    }
}

impl From<Ifsc> for String {
    fn from(ifsc: Ifsc) -> Self {
        ifsc.as_str().to_owned()
    }
}

/// The fewest digits a bank account number has.
const ACCOUNT_MIN: usize = 9;
/// The most digits a bank account number has.
const ACCOUNT_MAX: usize = 18;

/// A bank account number: 9 to 18 digits (spaces and hyphens typed between them are dropped).
///
/// Personal data: `Display` and `Debug` show only the last four digits
/// (`XXXXXXXX1234`); [`expose`](BankAccount::expose) and serde carry the whole number.
///
/// ```
/// use haat_seller::BankAccount;
/// let account: BankAccount = "0012 3456 1234".parse()?;
/// assert_eq!(account.expose(), "001234561234");
/// assert_eq!(account.masked(), "XXXXXXXX1234");
/// assert_eq!(account.to_string(), "XXXXXXXX1234");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct BankAccount {
    digits: [u8; ACCOUNT_MAX],
    len: u8,
}

impl BankAccount {
    /// The whole account number.
    ///
    /// The only way to see it: `Display` and `Debug` mask all but the last four digits. Use it
    /// where the whole number is needed (a payout instruction) and nowhere else.
    ///
    /// ```
    /// use haat_seller::BankAccount;
    /// assert_eq!("123456789".parse::<BankAccount>()?.expose(), "123456789");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        ascii(self.digits.get(..usize::from(self.len)).unwrap_or(&[]))
    }

    /// The number with every digit but the last four as `X`, keeping its length.
    ///
    /// ```
    /// use haat_seller::BankAccount;
    /// assert_eq!("123456789".parse::<BankAccount>()?.masked(), "XXXXX6789");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn masked(&self) -> String {
        self.to_string()
    }
}

impl FromStr for BankAccount {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = Typed::new(IdentifierKind::BankAccount, s);
        let (digits, len) = t.compact::<ACCOUNT_MAX>()?;
        t.digits(&digits, 0..len.min(ACCOUNT_MAX))?;
        if !(ACCOUNT_MIN..=ACCOUNT_MAX).contains(&len) {
            return Err(IdentifierError::LengthOutOfRange {
                kind: t.kind,
                min: ACCOUNT_MIN,
                max: ACCOUNT_MAX,
                found: len,
            });
        }
        Ok(Self {
            digits,
            len: len as u8,
        })
    }
}

impl fmt::Display for BankAccount {
    /// The masked number, `XXXXXXXX1234`; use [`BankAccount::expose`] for the whole.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.expose();
        let cut = whole.len().saturating_sub(4);
        for _ in 0..cut {
            f.write_str("X")?;
        }
        f.write_str(whole.get(cut..).unwrap_or(""))
    }
}

impl fmt::Debug for BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BankAccount({self})")
    }
}

impl TryFrom<String> for BankAccount {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for BankAccount {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::BankAccount)
    }
}

impl From<BankAccount> for String {
    fn from(account: BankAccount) -> Self {
        account.expose().to_owned()
    }
}
