//! How to reach a seller: mobile number and e-mail address.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{EmailProblem, IdentifierError, IdentifierKind};
use super::scan::{Typed, ascii};

/// An Indian mobile number: ten digits starting 6–9, stored as `+91XXXXXXXXXX`.
///
/// Accepts an optional `+91`, `91` or `0` before the ten digits, and spaces and hyphens
/// anywhere. Personal data: `Display` and `Debug` show only the last four digits
/// (`+91XXXXXX3210`); [`expose`](Mobile::expose) and serde carry the whole number.
///
/// ```
/// use haat_seller::Mobile;
/// let mobile: Mobile = "+91 98765-43210".parse()?;
/// assert_eq!(mobile.expose(), "+919876543210");
/// assert_eq!(mobile.to_string(), "+91XXXXXX3210");
/// assert_eq!("09876543210".parse::<Mobile>()?, mobile);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Mobile([u8; 13]);

impl Mobile {
    /// The whole number, `+919876543210`.
    ///
    /// The only way to see it: `Display` and `Debug` mask it. Use it to send a message, and
    /// nowhere else.
    ///
    /// ```
    /// use haat_seller::Mobile;
    /// assert_eq!("9876543210".parse::<Mobile>()?.expose(), "+919876543210");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        ascii(&self.0)
    }

    /// The number with all but its last four digits masked, `+91XXXXXX3210`.
    ///
    /// ```
    /// use haat_seller::Mobile;
    /// assert_eq!("9876543210".parse::<Mobile>()?.masked(), "+91XXXXXX3210");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn masked(&self) -> String {
        ascii(&self.masked_bytes()).to_owned()
    }

    fn masked_bytes(&self) -> [u8; 13] {
        let mut out = self.0;
        out[3..9].copy_from_slice(b"XXXXXX");
        out
    }
}

impl FromStr for Mobile {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let typed = Typed::new(IdentifierKind::Mobile, s);
        let plus = typed.skip_plus();
        let t = plus.as_ref().unwrap_or(&typed);
        let (buf, len) = t.compact::<12>()?;
        t.digits(&buf, 0..len.min(12))?;
        let start = if plus.is_some() {
            if !buf.starts_with(b"91") {
                return Err(IdentifierError::ForeignMobile);
            }
            2
        } else if len == 12 && buf.starts_with(b"91") {
            2
        } else if len == 11 && buf[0] == b'0' {
            1
        } else {
            0
        };
        t.length(len - start, 10)?;
        let first = buf[start];
        if !(b'6'..=b'9').contains(&first) {
            return Err(IdentifierError::MobileStart {
                digit: char::from(first),
            });
        }
        let mut out = *b"+910000000000";
        out[3..].copy_from_slice(&buf[start..start + 10]);
        Ok(Self(out))
    }
}

impl fmt::Display for Mobile {
    /// The masked number, `+91XXXXXX3210`; use [`Mobile::expose`] for the whole.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ascii(&self.masked_bytes()))
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mobile({self})")
    }
}

impl TryFrom<String> for Mobile {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for Mobile {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Mobile)
    }
}

impl From<Mobile> for String {
    fn from(mobile: Mobile) -> Self {
        mobile.expose().to_owned()
    }
}

/// The longest e-mail address accepted (RFC 5321's limit on a forward path).
const EMAIL_MAX: usize = 254;

/// An e-mail address, checked pragmatically: one `@`, something before it, a domain with a
/// dot after it whose labels start and end with a letter or digit, no whitespace, control or
/// invisible characters (a byte order mark, a zero-width space), at most 254 characters. The
/// domain is lower-cased (domains are case-insensitive; local parts, in principle, are not), and
/// every check applies to that canonical form, so what `Display` and serde write reads back.
///
/// An e-mail address is contact data that the seller gives in order to be written to:
/// `Display` and serde show it whole. `Debug` masks the local part (`s…@example.com`), so that
/// a logged struct does not spread it; error messages never contain it.
///
/// ```
/// use haat_seller::Email;
/// let email: Email = " Shanti.Tant@Example.IN ".parse()?;
/// assert_eq!(email.to_string(), "Shanti.Tant@example.in");
/// assert_eq!(format!("{email:?}"), "Email(S…@example.in)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Email(Box<str>);

impl Email {
    /// The address (the same as `Display`).
    ///
    /// ```
    /// use haat_seller::Email;
    /// assert_eq!("a@b.in".parse::<Email>()?.as_str(), "a@b.in");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The whole address; the same as [`Email::as_str`], named like the other identifiers'
    /// accessor for the whole value.
    ///
    /// ```
    /// use haat_seller::Email;
    /// assert_eq!("a@b.in".parse::<Email>()?.expose(), "a@b.in");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The part after the `@`, lower-cased.
    ///
    /// ```
    /// use haat_seller::Email;
    /// assert_eq!("a@Example.IN".parse::<Email>()?.domain(), "example.in");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

fn email_error(problem: EmailProblem) -> IdentifierError {
    IdentifierError::InvalidEmail { problem }
}

impl FromStr for Email {
    type Err = IdentifierError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let kind = IdentifierKind::Email;
        let text = s.trim();
        if text.is_empty() {
            return Err(IdentifierError::Empty { kind });
        }
        let mut ats = 0;
        for (i, c) in text.chars().enumerate() {
            if c.is_whitespace() || c.is_control() || is_invisible(c) {
                return Err(IdentifierError::InvalidCharacter {
                    kind,
                    character: c,
                    position: i + 1,
                });
            }
            if c == '@' {
                ats += 1;
            }
        }
        let (local, domain) = match (ats, text.split_once('@')) {
            (1, Some(parts)) => parts,
            (0, _) | (_, None) => return Err(email_error(EmailProblem::MissingAt)),
            _ => return Err(email_error(EmailProblem::SeveralAts)),
        };
        // Every later check is on the canonical form, the one `Display` and serde write: a
        // domain can lengthen when lower-cased (`İ` is two characters in lower case), and what
        // was written must read back.
        let domain = domain.to_lowercase();
        let length = local.chars().count() + 1 + domain.chars().count();
        if length > EMAIL_MAX {
            return Err(email_error(EmailProblem::TooLong { length }));
        }
        if local.is_empty() {
            return Err(email_error(EmailProblem::EmptyLocalPart));
        }
        if !domain.contains('.') {
            return Err(email_error(EmailProblem::DomainWithoutDot));
        }
        if domain.split('.').any(str::is_empty) {
            return Err(email_error(EmailProblem::EmptyDomainLabel));
        }
        let alphanumeric_edges = |label: &str| {
            label.starts_with(char::is_alphanumeric) && label.ends_with(char::is_alphanumeric)
        };
        if !domain.split('.').all(alphanumeric_edges) {
            return Err(email_error(EmailProblem::DomainLabelEdge));
        }
        let mut canonical = String::with_capacity(length);
        canonical.push_str(local);
        canonical.push('@');
        canonical.push_str(&domain);
        Ok(Self(canonical.into_boxed_str()))
    }
}

/// Characters that print as nothing (a byte order mark, zero-width spaces and joiners, soft
/// hyphens, direction marks): an address with one looks like another address and is not it.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    /// `Email(s…@example.com)`: the first character of the local part, and the domain.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or(("", ""));
        let first = local.chars().next().unwrap_or('…');
        write!(f, "Email({first}…@{domain})")
    }
}

impl TryFrom<String> for Email {
    type Error = IdentifierError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl<'de> Deserialize<'de> for Email {
    /// Through the parser, like `FromStr`; an error never contains the value read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::deserialize(deserializer, IdentifierKind::Email)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0.into()
    }
}
