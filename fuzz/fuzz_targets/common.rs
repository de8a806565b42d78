//! Checks the targets share.
// Each target uses only the checks it needs.
#![allow(dead_code)]

use std::fmt::{Debug, Display};
use std::str::FromStr;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parses `text` as a `T`. A value that parses must print (`Display`) as text that parses back
/// to the same value, and serialise as JSON that deserialises back to it: serde and `FromStr` are
/// one code path, so neither can build a value the other refuses.
pub fn round_trip<T>(text: &str) -> Option<T>
where
    T: FromStr + Display + PartialEq + Debug + Serialize + DeserializeOwned,
{
    round_trip_as(text, T::to_string)
}

/// [`round_trip`] for a type whose `Display` masks it: `print` gives its whole text.
pub fn round_trip_as<T>(text: &str, print: impl Fn(&T) -> String) -> Option<T>
where
    T: FromStr + PartialEq + Debug + Serialize + DeserializeOwned,
{
    let value = text.parse::<T>().ok()?;
    let printed = print(&value);
    match printed.parse::<T>() {
        Ok(again) => assert_eq!(again, value, "{text:?} printed as {printed:?}"),
        Err(_) => {
            panic!("{text:?} parsed as {value:?}, whose printed form {printed:?} does not parse")
        }
    }
    let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    match serde_json::from_str::<T>(&json) {
        Ok(back) => assert_eq!(back, value, "{text:?} serialised as {json}"),
        Err(e) => {
            panic!("{text:?} parsed as {value:?}, whose JSON {json} does not deserialise: {e}")
        }
    }
    Some(value)
}

/// The input's non-blank lines, each trimmed.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty())
}

/// Parses `text` as a `T` whose serde form is not its text form: a value that parses must
/// print as text that parses back to the same value.
pub fn reprint<T>(text: &str) -> Option<T>
where
    T: FromStr + Display + PartialEq + Debug,
{
    let value = text.parse::<T>().ok()?;
    let printed = value.to_string();
    match printed.parse::<T>() {
        Ok(again) => assert_eq!(again, value, "{text:?} printed as {printed:?}"),
        Err(_) => {
            panic!("{text:?} parsed as {value:?}, whose printed form {printed:?} does not parse")
        }
    }
    Some(value)
}

/// Deserialises one line of JSON as a `T`. A value that deserialises must serialise as JSON
/// that deserialises back to it, so a stored event replays as what was stored.
pub fn from_json_line<T>(line: &str) -> Option<T>
where
    T: PartialEq + Debug + Serialize + DeserializeOwned,
{
    let value = serde_json::from_str::<T>(line).ok()?;
    let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    match serde_json::from_str::<T>(&json) {
        Ok(back) => assert_eq!(back, value, "{line:?} serialised as {json}"),
        Err(e) => panic!("{line:?} read as {value:?}, whose JSON {json} does not deserialise: {e}"),
    }
    Some(value)
}
