//! The catalogue: what sellers list, how it is checked and priced, and how buyers find it.
//!
//! `haat-catalogue` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events.

mod error;
mod listing;
mod pricing;
mod quality;
mod search;
mod taxonomy;

pub use error::Error;
pub use listing::*;
pub use pricing::*;
pub use quality::*;
pub use search::*;
pub use taxonomy::*;
