//! Something to see on first start: the West Bengal scenario at small scale
//! (`haat_sim::ScenarioConfig::small()`: 300 sellers over FY2024-25 and FY2025-26, the
//! Shantipur saree house of Nadia and the Barasat home store first, as sellers 1 and 2), every
//! event its deciders emit appended to its aggregate's stream by the shared scenario loader
//! (`examples/shared/scenario_store.rs`). The dashboard then shows the scenario's impact
//! report, and every seller, listing, stock ledger, order, invoice and settlement of it
//! answers through the API.
//!
//! The scenario's appends cannot be resumed half way (each is keyed by its stream and
//! version, and a second load of the same scenario is refused), so the seed is bracketed by
//! two command outcomes recorded with no events, `seed-started` and `seed-done`: a start that
//! finds the first without the second and events in the store says the seed was cut short and
//! stops, rather than serve half a scenario.

use std::time::{Duration, Instant};

use haat::core::Actor;
use haat_sim::ScenarioConfig;
use haat_store::{CommandId, EventStore, Metadata, StoreError, StreamId};

use crate::scenario_store::{BATCH, keep_scenario};

/// What a seed did.
pub struct Seeded {
    /// Sellers registered.
    pub sellers: u64,
    /// Orders placed.
    pub orders: u64,
    /// Events appended.
    pub events: u64,
    /// Appends (one per event, one per stock ledger operation).
    pub appends: u64,
    /// Durable commits.
    pub commits: u64,
    /// How long the scenario and its appends took.
    pub elapsed: Duration,
}

const STARTED: &str = "seed-started";
const DONE: &str = "seed-done";

/// Whether the store needs the seed: it holds no event and no seed has finished.
///
/// # Errors
/// The store's failure; or, when a seed was started and did not finish, a message saying so
/// and how to start again.
pub fn needed(store: &dyn EventStore) -> Result<bool, String> {
    let recorded = |name: &str| -> Result<bool, String> {
        let id = CommandId::new(name).map_err(|e| e.to_string())?;
        Ok(store
            .command_outcome(&id)
            .map_err(|e| e.to_string())?
            .is_some())
    };
    let empty = store.head_position().map_err(|e| e.to_string())? == 0;
    if !empty && recorded(STARTED)? && !recorded(DONE)? {
        return Err(
            "the store holds a seed cut short (the West Bengal scenario was being \
                    loaded when the hub stopped): delete the SQLite file (or drop the \
                    PostgreSQL schema) and start again, or start with --no-seed"
                .to_owned(),
        );
    }
    Ok(empty)
}

/// Records `name` as a command outcome with no events (a second record of it is no error).
fn mark(store: &dyn EventStore, name: &str) -> Result<(), String> {
    let stream = StreamId::new("seed", "west-bengal-small").map_err(|e| e.to_string())?;
    let meta = Metadata::new(Actor::System, crate::hub::now())
        .with_command(CommandId::new(name).map_err(|e| e.to_string())?);
    match store.append(&stream, 0, &[], &meta, None) {
        Ok(_) | Err(StoreError::DuplicateCommand { .. }) => Ok(()),
        Err(e) => Err(format!("recording {name}: {e}")),
    }
}

/// Loads the small West Bengal scenario into `store`.
///
/// # Errors
/// The first append the store refused or could not commit (naming its stream and version),
/// or a scenario whose deciders refused a command it did not mean to be refused.
pub fn run(store: &dyn EventStore) -> Result<Seeded, String> {
    mark(store, STARTED)?;
    let started = Instant::now();
    let kept = keep_scenario(store, &ScenarioConfig::small(), BATCH, &mut |_| {}, None)
        .map_err(|e| format!("seeding the West Bengal scenario: {e}"))?;
    let elapsed = started.elapsed();
    let counts = &kept.outcome.counts;
    if counts.unexpected_rejections() > 0 {
        return Err(format!(
            "seeding the West Bengal scenario: commands refused unexpectedly: {:?}",
            counts.rejections
        ));
    }
    mark(store, DONE)?;
    Ok(Seeded {
        sellers: counts.sellers,
        orders: counts.orders,
        events: kept.events,
        appends: kept.appends,
        commits: kept.commits,
        elapsed,
    })
}
