//! The catalogue: what sellers list, how it is checked and priced, and how buyers find it.
//!
//! `haat-catalogue` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events.

mod pricing;
mod search;

pub use pricing::*;
pub use search::*;
