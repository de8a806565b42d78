//! Integration tests of haat-sim: determinism, growth that follows the parameters, the report's
//! invariants end to end, commands never refused by accident, and orders that never come before
//! their listing and seller.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod causality;
mod determinism;
mod files;
mod golden;
mod growth;
mod invariants;
mod rates;
mod settlement;
mod showcase;

use std::sync::OnceLock;

use haat_sim::{ScenarioConfig, ScenarioOutcome, run};

/// The small scenario, run once for the tests that only read it.
pub fn small() -> &'static ScenarioOutcome {
    static OUTCOME: OnceLock<ScenarioOutcome> = OnceLock::new();
    OUTCOME.get_or_init(|| run(&ScenarioConfig::small(), &mut |_| {}))
}
