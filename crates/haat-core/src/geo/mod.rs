//! Indian geography: GST state codes, PIN codes and districts.
//!
//! [`StateCode`] is the two-digit code that opens every GSTIN; [`PinCode`] the six-digit postal
//! code of an address; [`PinDirectory`] knows, from India Post's directory compiled into the
//! crate, which state(s) and [`District`]s each PIN code serves.

mod directory;
mod pin;
mod state;

pub use directory::{District, PinDirectory, PinLocation};
pub use pin::PinCode;
pub use state::StateCode;
