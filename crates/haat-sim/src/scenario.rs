//! The scenario itself: every seller's life, sent as commands through the real deciders.
//!
//! This module runs the sellers on shards and holds what they share ([`World`]); each step of
//! a life lives in its own module: `workshop` (a workshop and the sellers it brought),
//! `seller` (registration, KYC, workforce, programme and listings, in that order), `listing`
//! (a listing from draft to live), `orders` (a month of carts at a time checked out through
//! the order book, and stock received), `life` (each order packed, dispatched and invoiced,
//! delivered, cancelled or returned, and the seller's weekly settlement), and `out` (where the
//! events and refusals go).

mod life;
mod listing;
mod orders;
mod out;
mod seller;
mod workshop;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use haat_catalogue::{CommissionSchedule, FixedFeeSlabs, MarketplaceTariff, Percent, Taxonomy};
use haat_core::{
    Actor, LocationId, Money, PinCode, PinDirectory, ProgrammeId, StaffId, StateCode, ist_midnight,
};
use haat_inventory::{Allocator, LocationKind, Network};
use haat_metrics::{DuplicateGuard, Metrics};
use haat_orders::{CheckoutTerms, SettlementCalendar};
use haat_seller::Programme;

use crate::outcome::{Counts, Event, Progress, ScenarioOutcome};
use crate::plan::{Districts, Plan, Unit};
use crate::products::{self, Product};
use crate::refusal::{Refusal, SimSurprise};
use crate::{Rng, ScenarioConfig};
use out::Out;

/// Runs the scenario `config` describes and returns its metrics and counts; `progress` hears
/// how far it has got every few hundred sellers.
///
/// Every seller, workshop, listing and stock movement is the outcome of a command decided by
/// the crate that owns it (`Seller::decide`, `Workshop::decide`, `Catalogue::execute`,
/// `StockLedger::execute`, and every order through `OrderBook::checkout` and
/// `OrderBook::execute`, invoiced by `InvoiceRegister` and settled by `Settlements::settle`);
/// events are folded into the
/// metrics as they are produced and then dropped, so memory stays flat at any scale.
///
/// ```
/// use haat_sim::{ScenarioConfig, run};
/// let config = ScenarioConfig { sellers: 40, ..ScenarioConfig::small() };
/// let outcome = run(&config, &mut |_| {});
/// assert_eq!(outcome.counts.sellers, 40);
/// assert_eq!(outcome.counts.unexpected_rejections(), 0);
/// ```
pub fn run(config: &ScenarioConfig, progress: &mut dyn FnMut(Progress)) -> ScenarioOutcome {
    run_with_sink(config, progress, None)
}

/// [`run`], handing every event to `sink` as well (to write JSON Lines, say), in the order
/// they were produced: each aggregate's events in order, aggregates one after another.
///
/// ```
/// use haat_sim::{Event, ScenarioConfig, run_with_sink};
/// let config = ScenarioConfig { sellers: 20, ..ScenarioConfig::small() };
/// let mut orders = 0;
/// let outcome = run_with_sink(&config, &mut |_| {}, Some(&mut |event| {
///     if let Event::Order(_) = event { orders += 1; }
/// }));
/// assert_eq!(orders, outcome.counts.orders);
/// ```
pub fn run_with_sink(
    config: &ScenarioConfig,
    progress: &mut dyn FnMut(Progress),
    sink: Option<&mut dyn FnMut(Event<'_>)>,
) -> ScenarioOutcome {
    let shards = match sink {
        Some(_) => 1,
        None => std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
    };
    run_sharded(config, shards, progress, sink)
}

/// [`run`] on `shards` threads (at least one): the sellers are dealt to `shards` shards in
/// blocks, each folded into its own metrics, and the shards' metrics merged. The merge laws of
/// the metrics make the outcome the same for every number of shards.
///
/// ```
/// use haat_sim::{ScenarioConfig, run_sharded};
/// let config = ScenarioConfig { sellers: 60, ..ScenarioConfig::small() };
/// let one = run_sharded(&config, 1, &mut |_| {}, None);
/// let three = run_sharded(&config, 3, &mut |_| {}, None);
/// assert_eq!(one.counts, three.counts);
/// assert_eq!(one.metrics, three.metrics);
/// ```
pub fn run_sharded(
    config: &ScenarioConfig,
    shards: usize,
    progress: &mut dyn FnMut(Progress),
    sink: Option<&mut dyn FnMut(Event<'_>)>,
) -> ScenarioOutcome {
    let years = config.financial_years();
    let mut counts = Counts::default();
    let network = match Network::west_bengal_reference() {
        Ok(network) => network,
        Err(e) => {
            counts.refused(Refusal::of_network(&e));
            Network::new()
        }
    };
    let Some(world) = World::new(config, &network) else {
        counts.refused(Refusal::of_sim(SimSurprise::WorldDidNotLoad));
        return ScenarioOutcome {
            years,
            network: network.clone(),
            metrics: Metrics::default(),
            counts,
        };
    };
    let plan = Plan::new(config, &world.districts);
    let total = plan.slots.len() as u64;
    let done = AtomicU64::new(0);
    let orders = AtomicU64::new(0);
    let shards = shards.max(1);
    // Blocks of units dealt round-robin to the shards: early sellers have longer histories
    // (more orders) than late ones, so contiguous runs would leave one shard most of the work.
    const BLOCK: usize = 64;
    let shard_units: Vec<Vec<Unit>> = (0..shards)
        .map(|s| {
            plan.units
                .chunks(BLOCK)
                .skip(s)
                .step_by(shards)
                .flatten()
                .copied()
                .collect()
        })
        .collect();
    let run_units =
        |units: &[Unit], sink: Option<&mut dyn FnMut(Event<'_>)>, report: &mut dyn FnMut()| {
            let mut out = Out {
                counts: Counts::default(),
                metrics: Metrics::default(),
                guard: DuplicateGuard::default(),
                pending: Vec::new(),
                sink,
            };
            let mut reported = 0u64;
            for unit in units {
                let before = out.counts.orders;
                let sellers = match *unit {
                    Unit::Seller(i) => {
                        seller::simulate(&world, &plan, i, None, &mut out);
                        1
                    }
                    Unit::Workshop(w) => {
                        workshop::simulate(&world, &plan, w, &mut out);
                        plan.workshops[w as usize].sellers.len() as u64
                    }
                };
                out.flush_orders();
                out.guard.forget();
                orders.fetch_add(out.counts.orders - before, Ordering::Relaxed);
                reported += sellers;
                if reported >= 256 {
                    done.fetch_add(reported, Ordering::Relaxed);
                    reported = 0;
                    report();
                }
            }
            done.fetch_add(reported, Ordering::Relaxed);
            out.count_repeats();
            (out.counts, out.metrics)
        };
    let snapshot = || Progress {
        sellers_done: done.load(Ordering::Relaxed),
        sellers_total: total,
        orders: orders.load(Ordering::Relaxed),
    };
    let mut results: Vec<(Counts, Metrics)> = Vec::with_capacity(shards);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..shards)
            .map(|s| {
                let units = shard_units[s].as_slice();
                let run_units = &run_units;
                scope.spawn(move || run_units(units, None, &mut || {}))
            })
            .collect();
        let mut last = 0u64;
        let mut report = || {
            let now = snapshot();
            if now.sellers_done > last + total / 200 {
                last = now.sellers_done;
                progress(now);
            }
        };
        let first = shard_units.first().map_or(&[][..], Vec::as_slice);
        results.push(run_units(first, sink, &mut report));
        for handle in handles {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(_) => counts.refused(Refusal::of_sim(SimSurprise::ShardFailed)),
            }
        }
    });
    progress(snapshot());
    // Merge into the first shard's metrics, dropping each other shard as soon as it is in.
    let mut results = results.into_iter();
    let (first_counts, mut metrics) = results.next().unwrap_or_default();
    counts.merge(&first_counts);
    for (shard_counts, shard_metrics) in results {
        counts.merge(&shard_counts);
        metrics.merge(&shard_metrics);
    }
    drop(world);
    ScenarioOutcome {
        years,
        network,
        metrics,
        counts,
    }
}

/// What every seller's simulation shares, built once.
pub(super) struct World<'n> {
    pub(super) config: ScenarioConfig,
    pub(super) districts: Districts,
    pub(super) taxonomy: std::sync::Arc<Taxonomy>,
    pub(super) products: Vec<Product>,
    pub(super) allocator: Allocator<'n>,
    /// Per district: where its sellers keep stock.
    pub(super) home: Vec<LocationId>,
    /// West Bengal's PIN codes, and everyone else's.
    pub(super) home_pins: Vec<PinCode>,
    pub(super) other_pins: Vec<PinCode>,
    pub(super) programme: Programme,
    /// The marketplace's promises at checkout.
    pub(super) terms: CheckoutTerms,
    /// Every category's return window, in days after delivery.
    pub(super) return_days: u16,
    /// Commission and fixed fees.
    pub(super) tariff: MarketplaceTariff,
    /// The shipping fee a seller pays per order, before GST.
    pub(super) shipping_fee: Money,
    /// Weekly settlement cycles, Monday to Sunday.
    pub(super) calendar: SettlementCalendar,
}

impl<'n> World<'n> {
    fn new(config: &ScenarioConfig, network: &'n Network) -> Option<World<'n>> {
        let districts = Districts::west_bengal();
        let stock_holding: Vec<(LocationId, haat_core::District, bool)> = network
            .locations()
            .filter(|l| l.holds_stock())
            .map(|l| {
                let centre = matches!(l.kind(), LocationKind::FulfilmentCentre { .. });
                (l.id(), l.district(), centre)
            })
            .collect();
        let fallback = stock_holding
            .iter()
            .find(|(_, _, centre)| *centre)
            .or(stock_holding.first())
            .map_or(LocationId::new(0), |(id, _, _)| *id);
        let home = districts
            .list
            .iter()
            .map(|&d| {
                stock_holding
                    .iter()
                    .find(|(_, district, _)| *district == d)
                    .map_or(fallback, |(id, _, _)| *id)
            })
            .collect();
        let directory = PinDirectory::india();
        // Buyers' PIN codes: those of one state only, so each names its place of supply
        // (checkout refuses a PIN code shared by two states).
        let one_state = |l: &&haat_core::PinLocation| l.states().len() == 1;
        let other_pins = directory
            .iter()
            .filter(one_state)
            .filter(|l| !l.is_in(StateCode::WEST_BENGAL))
            .map(|l| l.pin_code())
            .collect();
        let home_pins = directory
            .iter()
            .filter(one_state)
            .filter(|l| l.is_in(StateCode::WEST_BENGAL))
            .map(|l| l.pin_code())
            .collect();
        Some(World {
            config: config.clone(),
            districts,
            taxonomy: std::sync::Arc::new(Taxonomy::west_bengal_default()),
            products: products::products()?,
            allocator: Allocator::new(network),
            home,
            home_pins,
            other_pins,
            programme: Programme::samarth_like(ProgrammeId::new(1)),
            terms: CheckoutTerms {
                dispatch_within: TimeDelta::days(2),
                hold_after_promise: TimeDelta::days(3),
            },
            return_days: 10,
            tariff: MarketplaceTariff {
                commission: CommissionSchedule::new().with_default(Percent::whole(8)),
                fixed_fees: FixedFeeSlabs::none(),
            },
            shipping_fee: Money::from_rupees(40),
            // 1 April 2024 was a Monday.
            calendar: SettlementCalendar::new(chrono::NaiveDate::from_ymd_opt(2024, 4, 1)?, 7)?,
        })
    }
}

/// A member of the operations staff, one of forty.
pub(super) fn staff(rng: &mut Rng) -> Actor {
    Actor::Operations(StaffId::new(rng.between(1, 40)))
}

/// An instant on `date` between 10:00 and 18:00 IST.
pub(super) fn working_hours(rng: &mut Rng, date: chrono::NaiveDate) -> DateTime<Utc> {
    ist_midnight(date) + TimeDelta::minutes(600 + rng.below(480) as i64)
}

/// Between `low` and `high` hours, to the minute.
pub(super) fn hours(rng: &mut Rng, low: u64, high: u64) -> TimeDelta {
    TimeDelta::minutes((rng.between(low * 60, high * 60)) as i64)
}
