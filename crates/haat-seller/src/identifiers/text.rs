//! Reading identifiers with serde without echoing what was read.
//!
//! serde's own message for a value of the wrong type prints it (`invalid type: integer
//! `9876543210``), which would put a mobile or account number whole into a log. Identifiers
//! are read through this visitor instead: text goes through the type's parser, whose errors
//! never contain the value, and anything else is named by its kind alone.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserializer;
use serde::de::{self, Unexpected, Visitor};

use super::error::{IdentifierError, IdentifierKind};

/// Reads an identifier of `kind` from its text.
pub(crate) fn deserialize<'de, D, T>(deserializer: D, kind: IdentifierKind) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = IdentifierError>,
{
    deserializer.deserialize_any(TextVisitor {
        kind,
        marker: PhantomData,
    })
}

struct TextVisitor<T> {
    kind: IdentifierKind,
    marker: PhantomData<fn() -> T>,
}

impl<T: FromStr<Err = IdentifierError>> TextVisitor<T> {
    fn number<E: de::Error>(&self) -> E {
        E::invalid_type(Unexpected::Other("a number"), self)
    }
}

impl<T: FromStr<Err = IdentifierError>> Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} as a string", self.kind)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Err(self.number())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Err(self.number())
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<T, E> {
        Err(self.number())
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<T, E> {
        Err(self.number())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Err(self.number())
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<T, E> {
        Err(E::invalid_type(Unexpected::Other("bytes"), &self))
    }
}
