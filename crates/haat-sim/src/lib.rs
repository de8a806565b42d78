//! Synthetic, deterministic scenarios: West Bengal's marketplace, seeded.
//!
//! `haat-sim` sits at the top of the stack, above `haat-metrics`: it drives `haat-seller`,
//! `haat-catalogue`, `haat-inventory` and `haat-orders` with commands — registrations, KYC,
//! workshops, listings, stock receipts, carts checked out, orders packed, dispatched and
//! invoiced, delivered, cancelled and returned, sellers settled weekly — through their real
//! deciders, and folds the events they emit into the metrics as they come (the order records
//! the metrics read are projected from the order events). It never writes an event itself. The examples, the benchmarks and the end-to-end tests run
//! on it; it is not published.
//!
//! A scenario is pure: its [`ScenarioConfig`] (seed included) is the only input, and the same
//! configuration gives the same outcome, byte for byte. Randomness comes from [`Rng`], a
//! SplitMix64 written here, so nothing outside the crate can change a draw.
//!
//! ```
//! use haat_sim::{ScenarioConfig, run};
//!
//! let config = ScenarioConfig { sellers: 60, ..ScenarioConfig::small() };
//! let outcome = run(&config, &mut |_progress| {});
//! assert_eq!(outcome.counts.sellers, 60);
//! assert_eq!(outcome.counts.unexpected_rejections(), 0);
//! // Run it again: the same seed gives the same scenario.
//! assert_eq!(run(&config, &mut |_| {}).counts, outcome.counts);
//! ```

mod config;
mod outcome;
mod people;
mod plan;
mod products;
mod profile;
mod refusal;
mod rng;
mod scenario;

pub use config::{Rate, ScenarioConfig};
pub use outcome::{Counts, Event, Progress, ScenarioOutcome};
pub use refusal::{Decider, Intended, Refusal, SimSurprise};
pub use rng::Rng;
pub use scenario::{run, run_sharded, run_with_sink};
