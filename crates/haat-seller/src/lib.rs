//! Seller onboarding: who a seller is, and how they come on board.
//!
//! `haat-seller` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events. It holds the KYC identifiers a seller declares (parsed, never merely validated), the
//! seller aggregate that takes a seller from registration through KYC to activation, the
//! inclusion programmes a seller may enrol in, and the workshops where many sellers first hear of
//! the marketplace.

mod identifiers;

pub use identifiers::*;
