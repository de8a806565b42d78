//! Typed identifiers.
//!
//! System-assigned ids (sellers, listings, locations, orders, workshops, programmes, staff) are
//! `u64` newtypes: cheap to copy, hash and compare, and impossible to mix up with one another. A
//! [`Sku`] is different: the seller chooses it, so it is text, checked on the way in.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Error;

macro_rules! numeric_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(u64);

        impl $name {
            #[doc = concat!("Wraps a raw number as a ", $what, " id.")]
            pub const fn new(raw: u64) -> Self {
                Self(raw)
            }

            /// The raw number, for storage keys and indexes.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                let trimmed = s.trim();
                let invalid = || Error::InvalidId {
                    kind: $what,
                    input: trimmed.to_owned(),
                };
                // Digits only: integer parsing alone would also take a sign (`+42`).
                if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(invalid());
                }
                trimmed.parse::<u64>().map(Self).map_err(|_| invalid())
            }
        }

        impl From<u64> for $name {
            fn from(raw: u64) -> Self {
                Self(raw)
            }
        }
    };
}

numeric_id!(
    /// A seller on the marketplace.
    ///
    /// ```
    /// use haat_core::SellerId;
    /// let id: SellerId = " 42 ".parse()?;
    /// assert_eq!(id, SellerId::new(42));
    /// assert_eq!(id.to_string(), "42");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    SellerId,
    "seller"
);
numeric_id!(
    /// A listing in the catalogue.
    ///
    /// ```
    /// use haat_core::ListingId;
    /// assert_eq!(ListingId::new(7).get(), 7);
    /// ```
    ListingId,
    "listing"
);
numeric_id!(
    /// A place that holds or moves stock: a fulfilment centre or a hub.
    ///
    /// ```
    /// use haat_core::LocationId;
    /// assert_eq!(format!("{:?}", LocationId::new(3)), "LocationId(3)");
    /// ```
    LocationId,
    "location"
);
numeric_id!(
    /// A buyer's order.
    ///
    /// ```
    /// use haat_core::OrderId;
    /// assert!("x1".parse::<OrderId>().is_err());
    /// ```
    OrderId,
    "order"
);
numeric_id!(
    /// A seller-training workshop.
    ///
    /// ```
    /// use haat_core::WorkshopId;
    /// assert_eq!(WorkshopId::from(5), WorkshopId::new(5));
    /// ```
    WorkshopId,
    "workshop"
);
numeric_id!(
    /// An inclusion programme (for example one for weavers and artisans).
    ///
    /// ```
    /// use haat_core::ProgrammeId;
    /// assert_eq!(ProgrammeId::new(1).to_string(), "1");
    /// ```
    ProgrammeId,
    "programme"
);
numeric_id!(
    /// A member of the marketplace's operations staff.
    ///
    /// ```
    /// use haat_core::StaffId;
    /// assert_eq!(StaffId::new(9).get(), 9);
    /// ```
    StaffId,
    "staff"
);

/// The longest SKU accepted, in bytes (all SKU characters are ASCII).
pub const SKU_MAX_LEN: usize = 64;

/// A stock-keeping unit: the seller's own code for one sellable item.
///
/// A SKU is unique per seller, not across the marketplace, so stock and listings key on
/// `(SellerId, Sku)`. It is 1 to 64 characters of `A-Z a-z 0-9 - _ . /`, with surrounding
/// whitespace trimmed; case is kept, because sellers' spreadsheets use it. Cloning is cheap (the
/// text is shared).
///
/// ```
/// use haat_core::Sku;
/// let sku: Sku = " NADIA-TANT-001 ".parse()?;
/// assert_eq!(sku.as_str(), "NADIA-TANT-001");
/// let err = "TANT 001".parse::<Sku>().unwrap_err();
/// assert_eq!(err.to_string(), "SKU has ' ' at position 5; use letters, digits, '-', '_', '.' or '/'");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(Arc<str>);

impl Sku {
    /// The SKU's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Sku {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(Error::EmptySku);
        }
        if trimmed.len() > SKU_MAX_LEN {
            return Err(Error::SkuTooLong {
                len: trimmed.chars().count(),
                max: SKU_MAX_LEN,
            });
        }
        if let Some((index, character)) = trimmed
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
        {
            return Err(Error::InvalidSkuCharacter {
                character,
                position: index + 1,
            });
        }
        Ok(Self(Arc::from(trimmed)))
    }
}

impl TryFrom<String> for Sku {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Error> {
        value.parse()
    }
}

impl From<Sku> for String {
    fn from(sku: Sku) -> String {
        sku.0.to_string()
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sku({:?})", &*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_rejects_long_and_empty() {
        assert_eq!("  ".parse::<Sku>(), Err(Error::EmptySku));
        let long = "A".repeat(65);
        assert_eq!(
            long.parse::<Sku>(),
            Err(Error::SkuTooLong { len: 65, max: 64 })
        );
        assert!("A".repeat(64).parse::<Sku>().is_ok());
    }
}
