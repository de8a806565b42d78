//! KYC identifiers: GSTIN, PAN, IFSC, bank account, Udyam, mobile, e-mail, GST enrolment number.
//!
//! Each is parsed, not merely validated: a value of the type is valid, and serde goes through
//! the same parser. Parsers accept what a person types (surrounding whitespace, lower case,
//! spaces and hyphens inside) and name any other character and its position. Personal data
//! (PAN, bank account, mobile) is masked in `Display`, `Debug` and every error message, serde's
//! included (a number where a string belongs is named as "a number", not printed); each type's
//! `expose()` is the one way to see the whole value.

mod bank;
mod contact;
mod error;
mod gstin;
mod pan;
mod scan;
mod text;
mod udyam;

pub use bank::{BankAccount, Ifsc};
pub use contact::{Email, Mobile};
pub use error::{EmailProblem, Expected, IdentifierError, IdentifierKind};
pub use gstin::{GstEnrolmentNumber, Gstin, gstin_check_character};
pub use pan::{Pan, PanHolderType};
pub use udyam::UdyamNumber;
