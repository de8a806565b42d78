//! The scenario itself: every seller's life, sent as commands through the real deciders.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use haat_catalogue::{Catalogue, ListingCommand, ListingEvent, Taxonomy};
use haat_core::{
    Actor, ListingId, LocationId, Money, OrderId, PinCode, PinDirectory, ProgrammeId, SellerId,
    Sku, StaffId, StateCode, WorkshopId, ist_midnight,
};
use haat_inventory::{
    Allocation, AllocationRequest, Allocator, AvailableStock, CellReservation, Command,
    IdempotencyKey, LocationKind, Network, Operation, Receipt, ReservationId, ReservationOwner,
    ReturnCondition, SellerConstraint, StockKey, StockLedger,
};
use haat_metrics::{Cancellation, CancelledBy, OrderRecord};
use haat_seller::{
    AttendeeId, InclusionTag, KycRejectionReason, PartnerDepartment, Programme, Seller,
    SellerCommand, SellerEvent, Workforce, WorkforceRole, Workshop, WorkshopCommand,
    WorkshopReferral,
};

use crate::outcome::{Counts, Event, Progress, SHOWN, ScenarioOutcome};
use crate::plan::{Districts, Plan, SEASON, SHOWCASE, Unit};
use crate::products::{self, Product, Trade};
use crate::{Rate, Rng, ScenarioConfig, people};
use haat_metrics::{DuplicateGuard, Metrics, Sighting};

/// The stream of a seller's own draws.
const LIFE_STREAM: u64 = 1 << 60;

/// Listings per seller at most (listing ids are the seller's number × 1 000 + n).
const MAX_LISTINGS: u32 = 999;

/// The showcase: the Nadia saree house's listings and weavers.
const NADIA_LISTINGS: u32 = 300;
const NADIA_WEAVERS: u32 = 25;

/// Runs the scenario `config` describes and returns its metrics and counts; `progress` hears
/// how far it has got every few hundred sellers.
///
/// Every seller, workshop, listing and stock movement is the outcome of a command decided by
/// the crate that owns it (`Seller::decide`, `Workshop::decide`, `Catalogue::execute`,
/// `StockLedger::execute`, with orders allocated by `Allocator`); events are folded into the
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
            *counts
                .rejections
                .entry(format!("inventory: {e}"))
                .or_default() += 1;
            Network::new()
        }
    };
    let Some(world) = World::new(config, &network) else {
        *counts
            .rejections
            .entry("sim: the default taxonomy or product templates did not load".into())
            .or_default() += 1;
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
                sink,
            };
            let mut reported = 0u64;
            for unit in units {
                let before = out.counts.orders;
                let sellers = match *unit {
                    Unit::Seller(i) => {
                        simulate_seller(&world, &plan, i, None, &mut out);
                        1
                    }
                    Unit::Workshop(w) => {
                        simulate_workshop(&world, &plan, w, &mut out);
                        plan.workshops[w as usize].sellers.len() as u64
                    }
                };
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
                Err(_) => {
                    *counts
                        .rejections
                        .entry("sim: a shard failed".into())
                        .or_default() += 1;
                }
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
struct World<'n> {
    config: ScenarioConfig,
    districts: Districts,
    taxonomy: std::sync::Arc<Taxonomy>,
    products: Vec<Product>,
    network: &'n Network,
    allocator: Allocator<'n>,
    /// Per district: where its sellers keep stock.
    home: Vec<LocationId>,
    /// West Bengal's PIN codes, and everyone else's.
    home_pins: &'static [PinCode],
    other_pins: Vec<PinCode>,
    programme: Programme,
    horizon_end: DateTime<Utc>,
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
        let other_pins = directory
            .iter()
            .filter(|l| !l.is_in(StateCode::WEST_BENGAL))
            .map(|l| l.pin_code())
            .collect();
        let years = config.financial_years();
        Some(World {
            config: config.clone(),
            districts,
            taxonomy: std::sync::Arc::new(Taxonomy::west_bengal_default()),
            products: products::products()?,
            network,
            allocator: Allocator::new(network),
            home,
            home_pins: directory.pin_codes_of_state(StateCode::WEST_BENGAL),
            other_pins,
            programme: Programme::samarth_like(ProgrammeId::new(1)),
            horizon_end: years.last()?.end(),
        })
    }
}

/// Where the events go: the metrics (through the duplicate guard), the counts and the
/// optional sink.
struct Out<'a, 's> {
    counts: Counts,
    metrics: Metrics,
    /// Each order and event folded in once. A unit's orders and events carry its sellers',
    /// workshop's and listings' ids (order ids are the seller's number × 1,000,000 + n), which
    /// no other unit has, so the guard forgets them when the unit is done.
    guard: DuplicateGuard,
    sink: Option<&'a mut (dyn FnMut(Event<'_>) + 's)>,
}

impl Out<'_, '_> {
    /// Whether the guard admitted a record as new; a conflict is kept in the counts.
    fn first(&mut self, admitted: Result<Sighting, haat_metrics::Error>) -> bool {
        match admitted {
            Ok(sighting) => sighting == Sighting::First,
            Err(error) => {
                self.counts.conflicts.push(error.to_string());
                false
            }
        }
    }

    /// Moves the guard's counts of repeats into the counts, at the end of a run.
    fn count_repeats(&mut self) {
        let guard = &self.guard;
        self.counts.repeats = guard.repeated_orders() + guard.repeated_events();
        self.counts.repeated = (guard.repeated_order_ids().iter())
            .map(|id| format!("order {id}"))
            .chain(guard.repeated_event_ids().iter().cloned())
            .take(SHOWN)
            .collect();
    }

    fn seller(&mut self, event: &SellerEvent) {
        self.counts.events += 1;
        let admitted = self.guard.admit_seller_event(event);
        if self.first(admitted) {
            self.metrics.apply_seller_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Seller(event));
        }
    }

    fn workshop(&mut self, event: &haat_seller::WorkshopEvent) {
        self.counts.events += 1;
        let admitted = self.guard.admit_workshop_event(event);
        if self.first(admitted) {
            self.metrics.apply_workshop_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Workshop(event));
        }
    }

    fn listing(&mut self, event: &ListingEvent) {
        self.counts.events += 1;
        if let ListingEvent::Activated { .. } = event {
            self.counts.listings_activated += 1;
        }
        let admitted = self.guard.admit_listing_event(event);
        if self.first(admitted) {
            self.metrics.apply_listing_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Listing(event));
        }
    }

    fn order(&mut self, order: &OrderRecord) {
        self.counts.orders += 1;
        self.counts.last_order_at = self.counts.last_order_at.max(Some(order.placed_at));
        if order.cancellation.is_some() {
            self.counts.cancelled += 1;
        }
        if order.is_seller_cancelled() {
            self.counts.seller_cancelled += 1;
        }
        if order.returned_at.is_some() {
            self.counts.returned += 1;
        }
        let admitted = self.guard.admit_order(order);
        if self.first(admitted) {
            self.metrics.add_order(order);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Order(order));
        }
    }

    fn refused(&mut self, what: &str, error: &dyn std::fmt::Debug) {
        let debug = format!("{error:?}");
        let kind = debug
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        *self
            .counts
            .rejections
            .entry(format!("{what}: {kind}"))
            .or_default() += 1;
    }

    fn intended(&mut self, what: &str) {
        *self
            .counts
            .intended_rejections
            .entry(what.to_owned())
            .or_default() += 1;
    }
}

fn staff(rng: &mut Rng) -> Actor {
    Actor::Operations(StaffId::new(rng.between(1, 40)))
}

/// An instant on `date` between 10:00 and 18:00 IST.
fn working_hours(rng: &mut Rng, date: chrono::NaiveDate) -> DateTime<Utc> {
    ist_midnight(date) + TimeDelta::minutes(600 + rng.below(480) as i64)
}

fn hours(rng: &mut Rng, low: u64, high: u64) -> TimeDelta {
    TimeDelta::minutes((rng.between(low * 60, high * 60)) as i64)
}

/// Runs a workshop: schedules it, records its attendees, and simulates the sellers it brought.
fn simulate_workshop(world: &World<'_>, plan: &Plan, w: u32, out: &mut Out<'_, '_>) {
    let Some(wp) = plan.workshops.get(w as usize) else {
        return;
    };
    let config = &world.config;
    let mut rng = Rng::stream(config.seed, crate::plan::WORKSHOP_STREAM ^ u64::from(w) ^ 1);
    let id = WorkshopId::new(u64::from(w) + 1);
    let Some(&district) = world.districts.list.get(usize::from(wp.district)) else {
        return;
    };
    let sellers = wp.sellers.len() as u64;
    let conversion = u64::from(config.workshop_conversion.basis_points().max(1));
    let attendees = (sellers * 10_000).div_ceil(conversion).max(sellers);
    let partner = match rng.below(6) {
        0 => PartnerDepartment::Msme,
        1 => PartnerDepartment::Textiles,
        2 => PartnerDepartment::RuralDevelopment,
        3 => PartnerDepartment::MinorityAffairs,
        4 => PartnerDepartment::TribalAffairs,
        _ => PartnerDepartment::StateGovernment(
            "Department of MSME and Textiles, Government of West Bengal".into(),
        ),
    };
    let ops = staff(&mut rng);
    let mut workshop = Workshop::default();
    let scheduled_at = working_hours(&mut rng, wp.date - chrono::Days::new(14));
    let schedule = WorkshopCommand::Schedule {
        actor: ops,
        id,
        district,
        venue: format!("District Industries Centre, {}", district.name()),
        date: wp.date,
        partner,
        capacity: u32::try_from(attendees + 10).unwrap_or(u32::MAX),
    };
    workshop_cmd(&mut workshop, &schedule, scheduled_at, out);
    out.counts.workshops += 1;
    let start = ist_midnight(wp.date) + TimeDelta::hours(11);
    for a in 0..attendees {
        let record = WorkshopCommand::RecordAttendance {
            actor: ops,
            attendee: AttendeeId::new(a + 1),
            name: people::person_name(&mut rng),
            mobile: people::mobile(&mut rng),
        };
        workshop_cmd(
            &mut workshop,
            &record,
            start + TimeDelta::minutes(a as i64),
            out,
        );
        out.counts.attendees += 1;
    }
    for (a, &s) in wp.sellers.iter().enumerate() {
        let referral = WorkshopReferral {
            workshop: id,
            attendee: AttendeeId::new(a as u64 + 1),
        };
        let registered = simulate_seller(world, plan, s, Some((referral, wp.date)), out);
        if let Some(at) = registered {
            let link = WorkshopCommand::LinkAttendeeToSeller {
                actor: Actor::System,
                attendee: referral.attendee,
                seller: SellerId::new(u64::from(s) + 1),
            };
            workshop_cmd(&mut workshop, &link, at + TimeDelta::minutes(5), out);
        }
    }
}

fn workshop_cmd(
    workshop: &mut Workshop,
    command: &WorkshopCommand,
    at: DateTime<Utc>,
    out: &mut Out<'_, '_>,
) {
    out.counts.commands += 1;
    match workshop.decide(command, at) {
        Ok(events) => {
            for event in &events {
                workshop.apply(event);
                out.workshop(event);
            }
        }
        Err(e) => out.refused("workshop", &e),
    }
}

/// One seller's state while it is simulated.
struct SellerRun<'w, 'n, 'o, 'a, 's> {
    world: &'w World<'n>,
    out: &'o mut Out<'a, 's>,
    rng: Rng,
    id: SellerId,
    seller: Seller,
    catalogue: Catalogue,
    ledger: StockLedger,
    listings: Vec<ListingInfo>,
    orders: Vec<OrderState>,
    /// Orders placed so far, stock-outs included: the seller's next order number.
    placed: u32,
    queue: BinaryHeap<Reverse<(i64, u64, Act)>>,
    queued: u64,
    next_key: u64,
    /// Orders' volume multiplier, per mille, by financial year index.
    demand: [u32; 8],
    size: u32,
    constraint: Option<SellerConstraint>,
    ledger_seq: u64,
    alloc: Allocation,
    /// The locations the seller has ever sent stock to.
    stocked: Vec<LocationId>,
}

/// A seller's stock as allocation reads it: the ledger, asked only about the locations the
/// seller has ever sent stock to. Anywhere else the ledger holds nothing of theirs, so the
/// answer there is 0 without a lookup; the answers are exactly the ledger's.
struct SellerStock<'l> {
    ledger: &'l StockLedger,
    stocked: &'l [LocationId],
}

impl AvailableStock for SellerStock<'_> {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        if self.stocked.contains(&location) {
            self.ledger.available(seller, sku, location, now)
        } else {
            0
        }
    }
}

struct ListingInfo {
    id: ListingId,
    sku: Sku,
    price: Money,
    home: LocationId,
    appeal: u32,
    restocking: bool,
    po: u32,
    /// When it went live: no order comes before.
    live_at: DateTime<Utc>,
}

struct OrderState {
    order: OrderId,
    reservation: ReservationId,
    key: StockKey,
    quantity: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Act {
    /// A month of orders for a listing begins (month index into the plan).
    Month { listing: u32, month: u16 },
    /// An order is placed.
    Place { listing: u32 },
    /// Stock announced by a purchase order arrives.
    Receive {
        listing: u32,
        quantity: u32,
        po: u32,
    },
    /// The order's reservation is cancelled.
    Cancel { order: u32 },
    /// The order ships.
    Dispatch { order: u32 },
    /// The buyer returns the order.
    Return { order: u32, damaged: bool },
}

/// Simulates seller `index` from registration to the horizon's end; returns when it
/// registered, if it did.
fn simulate_seller(
    world: &World<'_>,
    plan: &Plan,
    index: u32,
    workshop: Option<(WorkshopReferral, chrono::NaiveDate)>,
    out: &mut Out<'_, '_>,
) -> Option<DateTime<Utc>> {
    let slot = plan.slots.get(index as usize)?;
    let config = &world.config;
    let id = SellerId::new(u64::from(index) + 1);
    let mut rng = Rng::stream(config.seed, LIFE_STREAM ^ id.get());
    let district_index = usize::from(slot.district);
    let district = *world.districts.list.get(district_index)?;
    let showcase = index as usize;
    let pin = match showcase {
        0 => "741404".parse().ok()?,
        1 => "700124".parse().ok()?,
        _ => *rng.pick(world.districts.pins(district_index))?,
    };
    let month = *plan.months.get(usize::from(slot.month))?;
    let first_day = match workshop {
        Some((_, date)) => date,
        None => month.first_day(),
    };
    let span = (month.last_day() - first_day).num_days().max(0) as u64;
    let register_day = first_day + chrono::Days::new(rng.below(span + 1));
    let registered_at = working_hours(&mut rng, register_day);

    // Who they are.
    let mut tags = BTreeSet::new();
    let share = |rng: &mut Rng, rate: Rate| rng.chance_bp(rate.basis_points());
    let trade;
    if showcase == 0 {
        tags.extend([InclusionTag::Weaver, InclusionTag::WomanLed]);
        trade = Trade::Weaver;
    } else if showcase == 1 {
        trade = Trade::Trader;
    } else {
        trade = if share(&mut rng, config.weaver_share) {
            tags.insert(InclusionTag::Weaver);
            Trade::Weaver
        } else if share(&mut rng, config.artisan_share) {
            tags.insert(InclusionTag::Artisan);
            Trade::Artisan
        } else if share(&mut rng, config.farmer_share) {
            tags.insert(InclusionTag::FarmerOrFpo);
            Trade::Farmer
        } else {
            Trade::Trader
        };
        if share(&mut rng, config.disability_share) {
            tags.insert(InclusionTag::PersonWithDisability);
        }
        if share(&mut rng, config.woman_led_share) {
            tags.insert(InclusionTag::WomanLed);
        }
    }
    let non_gst = showcase >= SHOWCASE && share(&mut rng, config.non_gst_share);
    let display_name = match showcase {
        0 => "Shantipur Saree House".to_owned(),
        1 => "Barasat Home Store".to_owned(),
        _ => people::business_name(&mut rng),
    };
    let size = match showcase {
        0 => 1_200,
        1 => 3_000,
        _ => [250, 500, 1_000, 2_000, 4_800][rng.weighted(&[40, 25, 15, 12, 8])],
    };
    let mut demand = [1_000u32; 8];
    if showcase == 1 {
        // The Barasat trader: sales more than double in the second year.
        demand[1] = 2_600;
        demand[2] = 3_000;
    }

    let mut run = SellerRun {
        world,
        out,
        rng,
        id,
        seller: Seller::default(),
        catalogue: Catalogue::new(world.taxonomy.clone()),
        ledger: StockLedger::new(),
        listings: Vec::new(),
        orders: Vec::new(),
        placed: 0,
        queue: BinaryHeap::new(),
        queued: 0,
        next_key: 0,
        demand,
        size,
        constraint: non_gst.then_some(SellerConstraint::IntraStateOnly {
            state: StateCode::WEST_BENGAL,
        }),
        ledger_seq: 0,
        alloc: Allocation::default(),
        stocked: Vec::new(),
    };
    let me = Actor::Seller(id);
    let register_actor = match workshop {
        Some(_) => staff(&mut run.rng),
        None => me,
    };
    let register = SellerCommand::Register {
        actor: register_actor,
        seller: id,
        display_name: display_name.clone(),
        mobile: people::mobile(&mut run.rng)?,
        pin_code: pin,
        tags: tags.clone(),
        referral: workshop.map(|(r, _)| r),
    };
    if !run.seller_cmd(&register, registered_at) {
        return None;
    }
    run.out.counts.sellers += 1;

    // KYC.
    let mut at = registered_at + hours(&mut run.rng, 2, 24 * 6);
    let dropout = showcase >= SHOWCASE && share(&mut run.rng, config.kyc_dropout_share);
    let mismatch = showcase >= SHOWCASE && share(&mut run.rng, config.kyc_mismatch_share);
    let rejected = showcase >= SHOWCASE && share(&mut run.rng, config.kyc_rejection_share);
    if dropout && run.rng.chance_bp(5_000) {
        run.finish();
        return Some(registered_at);
    }
    if mismatch {
        // A GSTIN of a neighbouring state: the cross-checks refuse it, nothing is emitted.
        let neighbour = [10u8, 18, 20, 21][run.rng.below(4) as usize];
        let state = StateCode::new(neighbour).unwrap_or(StateCode::WEST_BENGAL);
        let kyc = people::kyc(&mut run.rng, &display_name, id.get(), pin, non_gst, state)?;
        run.out.counts.commands += 1;
        match run.seller.decide(
            &SellerCommand::SubmitKyc {
                actor: me,
                submission: kyc,
            },
            at,
        ) {
            Err(haat_seller::Error::KycProblems(_)) => {
                run.out.intended("seller: KYC state mismatch")
            }
            Err(e) => run.out.refused("seller", &e),
            Ok(events) => {
                run.out.refused("seller", &"KycMismatchAccepted");
                for event in &events {
                    run.seller.apply(event);
                    run.out.seller(event);
                }
            }
        }
        at += hours(&mut run.rng, 4, 48);
    }
    let kyc = people::kyc(
        &mut run.rng,
        &display_name,
        id.get(),
        pin,
        non_gst,
        StateCode::WEST_BENGAL,
    )?;
    run.seller_cmd(
        &SellerCommand::SubmitKyc {
            actor: me,
            submission: kyc,
        },
        at,
    );
    at += hours(&mut run.rng, 12, 72);
    if rejected || dropout {
        let reason = match run.rng.below(3) {
            0 => KycRejectionReason::BankAccountNotVerified,
            1 => KycRejectionReason::PanNameMismatch,
            _ => KycRejectionReason::DocumentIllegible,
        };
        let reviewer = staff(&mut run.rng);
        run.seller_cmd(
            &SellerCommand::RejectKyc {
                actor: reviewer,
                reasons: vec![reason],
            },
            at,
        );
        if dropout {
            run.finish();
            return Some(registered_at);
        }
        at += hours(&mut run.rng, 24, 24 * 5);
        let kyc = people::kyc(
            &mut run.rng,
            &display_name,
            id.get(),
            pin,
            non_gst,
            StateCode::WEST_BENGAL,
        )?;
        run.seller_cmd(
            &SellerCommand::SubmitKyc {
                actor: me,
                submission: kyc,
            },
            at,
        );
        at += hours(&mut run.rng, 12, 72);
    }
    let reviewer = staff(&mut run.rng);
    run.seller_cmd(&SellerCommand::VerifyKyc { actor: reviewer }, at);
    at += hours(&mut run.rng, 1, 30);
    if !run.seller_cmd(
        &SellerCommand::Activate {
            actor: Actor::System,
        },
        at,
    ) {
        run.finish();
        return Some(registered_at);
    }
    let activated_at = at;
    run.out.counts.sellers_activated += 1;

    // Workforce and programme.
    let workforce = match (showcase, trade) {
        (0, _) => Some(Workforce::from_iter([
            (WorkforceRole::Weaver, NADIA_WEAVERS),
            (WorkforceRole::Helper, 4),
            (WorkforceRole::Packer, 2),
        ])),
        (_, Trade::Weaver) => Some(Workforce::from_iter([
            (WorkforceRole::Weaver, run.rng.between(1, 6) as u32),
            (WorkforceRole::Helper, run.rng.between(0, 2) as u32),
        ])),
        (_, Trade::Artisan) => Some(Workforce::from_iter([(
            WorkforceRole::Artisan,
            run.rng.between(1, 4) as u32,
        )])),
        _ if run.rng.chance_bp(3_000) => Some(Workforce::from_iter([
            (WorkforceRole::Packer, run.rng.between(1, 3) as u32),
            (WorkforceRole::Other, run.rng.between(0, 2) as u32),
        ])),
        _ => None,
    };
    if let Some(workforce) = workforce {
        let when = at + hours(&mut run.rng, 2, 48);
        run.seller_cmd(
            &SellerCommand::DeclareWorkforce {
                actor: me,
                workforce,
            },
            when,
        );
    }
    let enrol = showcase == 0 || (!tags.is_empty() && share(&mut run.rng, config.programme_share));
    if enrol {
        let when = at + hours(&mut run.rng, 24, 24 * 20);
        let by = staff(&mut run.rng);
        let command = SellerCommand::EnrolInProgramme {
            actor: by,
            programme: world.programme.clone(),
        };
        if run.seller_cmd(&command, when) {
            run.out.counts.programme_members += 1;
        }
    }

    // Listings, year by year.
    let home = *world.home.get(district_index)?;
    let products: Vec<&Product> = world
        .products
        .iter()
        .filter(|p| p.trade() == trade)
        .collect();
    let mut number = 0u32;
    for (y, fy) in plan.years.iter().enumerate() {
        let from = activated_at.max(fy.start());
        if from >= fy.end() {
            continue;
        }
        let count = match showcase {
            0 => {
                let growth = u64::from(config.listing_growth.basis_points());
                let first = u64::from(NADIA_LISTINGS) * 10_000 / (10_000 + growth);
                match y {
                    0 => first,
                    1 => u64::from(NADIA_LISTINGS) - first,
                    _ => 0,
                }
            }
            1 => [30, 12, 10].get(y).copied().unwrap_or(0),
            _ => {
                let (target, seller_days) = plan.listing_rate.get(y).copied().unwrap_or((0, 1));
                let days = (fy.end() - from).num_days().max(0) as u128;
                run.rng
                    .round_random(target * days * u128::from(size), seller_days * 1_000)
            }
        };
        let window = (fy.end() - from).num_minutes().max(1) as u64;
        let window = if showcase == 0 {
            window.min(60 * 24 * 120)
        } else {
            window
        };
        let mut times: Vec<DateTime<Utc>> = (0..count)
            .map(|_| from + TimeDelta::minutes(run.rng.below(window) as i64))
            .collect();
        times.sort();
        for t in times {
            if number >= MAX_LISTINGS {
                break;
            }
            number += 1;
            let Some(product) = run.rng.pick(&products).copied() else {
                break;
            };
            run.create_listing(product, number, district.name(), home, t, plan);
        }
    }
    run.drain(plan);
    let _ = world.network;
    run.finish();
    Some(registered_at)
}

impl SellerRun<'_, '_, '_, '_, '_> {
    /// Sends a seller command; `true` if it was accepted.
    fn seller_cmd(&mut self, command: &SellerCommand, at: DateTime<Utc>) -> bool {
        self.out.counts.commands += 1;
        match self.seller.decide(command, at) {
            Ok(events) => {
                for event in &events {
                    self.seller.apply(event);
                    self.out.seller(event);
                }
                true
            }
            Err(e) => {
                self.out.refused("seller", &e);
                false
            }
        }
    }

    /// Sends a listing command; `true` if it was accepted.
    fn listing_cmd(
        &mut self,
        command: &ListingCommand,
        at: DateTime<Utc>,
    ) -> Option<Vec<ListingEvent>> {
        self.out.counts.commands += 1;
        match self.catalogue.execute(command, at) {
            Ok(events) => {
                for event in &events {
                    self.out.listing(event);
                }
                Some(events)
            }
            Err(e) => {
                self.out.refused("catalogue", &e);
                None
            }
        }
    }

    /// Sends a stock command; its outcome if accepted.
    fn stock_cmd(
        &mut self,
        actor: Actor,
        operation: Operation,
        at: DateTime<Utc>,
    ) -> Option<haat_inventory::Outcome> {
        self.stock_call(|ledger, key| ledger.execute(&Command::new(actor, key, operation), at))
    }

    /// Sends one command to the seller's ledger (with a fresh idempotency key), streams its
    /// events, and trims the ledger's journal; the outcome if accepted.
    fn stock_call(
        &mut self,
        call: impl FnOnce(
            &mut StockLedger,
            IdempotencyKey,
        ) -> Result<haat_inventory::Outcome, haat_inventory::Error>,
    ) -> Option<haat_inventory::Outcome> {
        self.out.counts.commands += 1;
        self.next_key += 1;
        let key =
            IdempotencyKey::new((u128::from(self.id.get()) << 64) | u128::from(self.next_key));
        match call(&mut self.ledger, key) {
            Ok(outcome) => {
                self.out.counts.events += u64::from(outcome.events);
                if let Some(sink) = self.out.sink.as_deref_mut() {
                    for event in self.ledger.events_since(self.ledger_seq) {
                        sink(Event::Stock(&event));
                    }
                }
                self.ledger_seq = self.ledger.next_seq().saturating_sub(1);
                self.ledger.forget_events_through(self.ledger_seq);
                Some(outcome)
            }
            Err(e) => {
                self.out.refused("inventory", &e);
                None
            }
        }
    }

    fn push(&mut self, at: DateTime<Utc>, act: Act) {
        self.queued += 1;
        self.queue
            .push(Reverse((at.timestamp_millis(), self.queued, act)));
    }

    fn create_listing(
        &mut self,
        product: &Product,
        number: u32,
        district: &str,
        home: LocationId,
        at: DateTime<Utc>,
        plan: &Plan,
    ) {
        let config = &self.world.config;
        let me = Actor::Seller(self.id);
        let flawed = self.rng.chance_bp(config.quality_fix_share.basis_points());
        let Some(content) = products::content(&mut self.rng, product, number, district, flawed)
        else {
            self.out.refused("sim", &"ListingTemplate");
            return;
        };
        let listing = ListingId::new(self.id.get() * 1_000 + u64::from(number));
        let (sku, price) = (content.sku.clone(), content.price);
        let fixed = flawed.then(|| products::fixed(&content));
        let create = ListingCommand::CreateDraft {
            actor: me,
            listing,
            seller: self.id,
            content,
        };
        if self.listing_cmd(&create, at).is_none() {
            return;
        }
        self.out.counts.listings += 1;
        let mut t = at + hours(&mut self.rng, 0, 2);
        let submit = ListingCommand::SubmitForReview { actor: me, listing };
        let events = self.listing_cmd(&submit, t).unwrap_or_default();
        let failed = events
            .iter()
            .any(|e| matches!(e, ListingEvent::QualityCheckFailed { .. }));
        if failed != flawed {
            self.out.refused("sim", &"QualityCheckSurprise");
        }
        if let Some(content) = fixed {
            t += hours(&mut self.rng, 2, 48);
            self.listing_cmd(
                &ListingCommand::EditContent {
                    actor: me,
                    listing,
                    content,
                },
                t,
            );
            t += hours(&mut self.rng, 0, 2);
            self.listing_cmd(&submit, t);
        }
        t += hours(&mut self.rng, 4, 48);
        let reviewer = staff(&mut self.rng);
        self.listing_cmd(
            &ListingCommand::PassReview {
                actor: reviewer,
                listing,
            },
            t,
        );
        t += hours(&mut self.rng, 0, 12);
        if self
            .listing_cmd(&ListingCommand::Activate { actor: me, listing }, t)
            .is_none()
        {
            return;
        }
        // Stock goes to the home location, then a month of orders at a time.
        let appeal = [300, 700, 1_000, 1_500, 3_000][self.rng.weighted(&[20, 30, 25, 17, 8])];
        let index = self.listings.len() as u32;
        self.listings.push(ListingInfo {
            id: listing,
            sku,
            price,
            home,
            appeal,
            restocking: false,
            po: 0,
            live_at: t,
        });
        let quantity = self.restock_quantity(index, plan, t);
        self.expect_stock(
            index,
            quantity,
            t - TimeDelta::hours(30),
            t - TimeDelta::hours(6),
        );
        let month = plan
            .months
            .iter()
            .position(|m| m.end() > t)
            .unwrap_or(plan.months.len());
        if month < plan.months.len() {
            self.push(
                t,
                Act::Month {
                    listing: index,
                    month: month as u16,
                },
            );
        }
    }

    /// Orders a listing can expect in a month (in thousandths), at its home location.
    fn monthly_demand_milli(&self, listing: u32, plan: &Plan, month: usize) -> u128 {
        let Some(info) = self.listings.get(listing as usize) else {
            return 0;
        };
        let Some(m) = plan.months.get(month) else {
            return 0;
        };
        let year = plan
            .years
            .iter()
            .position(|fy| *fy == m.financial_year())
            .unwrap_or(0);
        let season = SEASON[(m.month() as usize + 8) % 12];
        u128::from(self.world.config.orders_per_listing_month.basis_points())
            * u128::from(info.appeal)
            * u128::from(self.size)
            * u128::from(self.demand.get(year).copied().unwrap_or(1_000))
            * u128::from(season)
            / 10_000_000_000_000
    }

    fn restock_quantity(&self, listing: u32, plan: &Plan, at: DateTime<Utc>) -> u64 {
        let month = plan.months.iter().position(|m| m.end() > at).unwrap_or(0);
        let three_months: u128 = (month..month + 3)
            .map(|m| {
                self.monthly_demand_milli(listing, plan, m.min(plan.months.len().saturating_sub(1)))
            })
            .sum();
        (three_months * 12 / 10 / 1_000) as u64 + 3
    }

    fn expect_stock(
        &mut self,
        listing: u32,
        quantity: u64,
        at: DateTime<Utc>,
        arrives: DateTime<Utc>,
    ) {
        let Some(info) = self.listings.get_mut(listing as usize) else {
            return;
        };
        info.po += 1;
        info.restocking = true;
        let po = info.po;
        if !self.stocked.contains(&info.home) {
            self.stocked.push(info.home);
        }
        let key = StockKey::new(self.id, info.sku.clone(), info.home);
        let purchase_order = format!("PO-{}-{po}", info.id);
        let me = Actor::Seller(self.id);
        self.stock_cmd(
            me,
            Operation::ExpectInbound {
                key,
                quantity,
                purchase_order,
            },
            at,
        );
        self.push(
            arrives,
            Act::Receive {
                listing,
                quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
                po,
            },
        );
    }

    /// Runs the queued actions in time order until none is left.
    fn drain(&mut self, plan: &Plan) {
        while let Some(Reverse((millis, _, act))) = self.queue.pop() {
            let Some(at) = DateTime::<Utc>::from_timestamp_millis(millis) else {
                continue;
            };
            match act {
                Act::Month { listing, month } => self.month_of_orders(listing, month, plan),
                Act::Place { listing } => self.place(listing, at, plan),
                Act::Receive {
                    listing,
                    quantity,
                    po,
                } => {
                    let Some(info) = self.listings.get_mut(listing as usize) else {
                        continue;
                    };
                    info.restocking = false;
                    let key = StockKey::new(self.id, info.sku.clone(), info.home);
                    let purchase_order = format!("PO-{}-{po}", info.id);
                    let operation = Operation::ReceiveInbound {
                        key,
                        purchase_order,
                        good: u64::from(quantity),
                        damaged: 0,
                        into: Receipt::Available,
                    };
                    self.stock_cmd(Actor::Seller(self.id), operation, at);
                }
                Act::Cancel { order } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let reservation = state.reservation;
                        self.stock_cmd(Actor::System, Operation::Cancel { reservation }, at);
                    }
                }
                Act::Dispatch { order } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let reservation = state.reservation;
                        self.stock_cmd(Actor::System, Operation::Commit { reservation }, at);
                    }
                }
                Act::Return { order, damaged } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let operation = Operation::Return {
                            key: state.key.clone(),
                            quantity: state.quantity,
                            order: state.order,
                            condition: if damaged {
                                ReturnCondition::Damaged
                            } else {
                                ReturnCondition::Restock
                            },
                        };
                        self.stock_cmd(Actor::System, operation, at);
                    }
                }
            }
        }
    }

    /// Queues a month of a listing's orders, at random instants of the part of the month it is
    /// live (from its going live, in its first month), with the demand of that part.
    fn month_of_orders(&mut self, listing: u32, month: u16, plan: &Plan) {
        let m = usize::from(month);
        let (Some(&this), Some(info)) = (plan.months.get(m), self.listings.get(listing as usize))
        else {
            return;
        };
        let start = this.start().max(info.live_at);
        let month_minutes = (this.end() - this.start()).num_minutes().max(1) as u128;
        let minutes = (this.end() - start).num_minutes().max(0) as u128;
        let expected = self.monthly_demand_milli(listing, plan, m) * minutes / month_minutes;
        let count = self.rng.round_random(expected, 1_000);
        let minutes = minutes.max(1) as u64;
        for _ in 0..count {
            let at = start + TimeDelta::minutes(self.rng.below(minutes) as i64);
            self.push(at, Act::Place { listing });
        }
        if m + 1 < plan.months.len() {
            self.push(
                this.end(),
                Act::Month {
                    listing,
                    month: month + 1,
                },
            );
        }
    }

    fn place(&mut self, listing: u32, at: DateTime<Utc>, plan: &Plan) {
        let world = self.world;
        let config = &world.config;
        let Some(info) = self.listings.get(listing as usize) else {
            return;
        };
        let (sku, price, home) = (info.sku.clone(), info.price, info.home);
        let listing_id = info.id;
        let quantity: u32 = if self.rng.chance_bp(1_000) { 2 } else { 1 };
        let destination = if self.constraint.is_none()
            && self.rng.chance_bp(config.inter_state_share.basis_points())
        {
            self.rng.pick(&world.other_pins).copied()
        } else {
            self.rng.pick(world.home_pins).copied()
        };
        let Some(destination) = destination else {
            return;
        };
        let Some(amount) = price.checked_mul(u64::from(quantity)) else {
            return;
        };
        // `local` is the order's place among those that reserved stock; its number counts
        // stock-outs too, so that no two orders share an id.
        let local = self.orders.len() as u32;
        self.placed += 1;
        let order = OrderId::new(self.id.get() * 1_000_000 + u64::from(self.placed));
        let promised = at + TimeDelta::days(2);
        let mut record = OrderRecord {
            order,
            seller: self.id,
            listing: listing_id,
            quantity,
            amount,
            placed_at: at,
            promised_dispatch_by: promised,
            dispatched_at: None,
            delivered_at: None,
            cancellation: None,
            returned_at: None,
            destination,
        };

        // Allocate over the seller's stock, then hold it for the order.
        let mut request =
            AllocationRequest::new(destination).line(self.id, sku.clone(), u64::from(quantity));
        if let Some(constraint) = self.constraint {
            request = request.constrain(self.id, constraint);
        }
        let stock = SellerStock {
            ledger: &self.ledger,
            stocked: &self.stocked,
        };
        world
            .allocator
            .allocate_into(&stock, &request, at, &mut self.alloc);
        let shipped_from = self
            .alloc
            .is_complete()
            .then(|| self.alloc.shipments().first().map(|s| s.location()))
            .flatten();
        let Some(location) = shipped_from else {
            // Nothing to ship from: the seller cancels, and restocks.
            self.out.counts.stock_outs += 1;
            record.cancellation = Some(Cancellation {
                at: at + hours(&mut self.rng, 2, 20),
                by: CancelledBy::Seller,
            });
            self.out.order(&record);
            if !self.listings[listing as usize].restocking {
                let quantity = self.restock_quantity(listing, plan, at);
                self.expect_stock(
                    listing,
                    quantity,
                    at + TimeDelta::hours(3),
                    at + TimeDelta::days(3),
                );
            }
            return;
        };
        let key = StockKey::new(self.id, sku, location);
        // The one-line reservation by cell handle: the same events as `Operation::Reserve`,
        // without building a line list or hashing the key again.
        let reserved = self.ledger.cell(&key).map(|cell| CellReservation {
            cell,
            quantity: u64::from(quantity),
            owner: ReservationOwner::Order(order),
            expires_at: promised + TimeDelta::days(3),
        });
        let Some(reservation) = reserved
            .and_then(|request| {
                self.stock_call(|ledger, key| ledger.reserve_cell(Actor::System, key, request, at))
            })
            .and_then(|outcome| outcome.reservation)
        else {
            self.out.refused("sim", &"NoCellToReserve");
            return;
        };
        self.orders.push(OrderState {
            order,
            reservation,
            key: key.clone(),
            quantity: u64::from(quantity),
        });

        // What becomes of it.
        let roll = self.rng.below(10_000) as u32;
        let buyer = config.buyer_cancellation_rate.basis_points();
        let marketplace = buyer + config.marketplace_cancellation_rate.basis_points();
        let seller = marketplace + config.seller_cancellation_rate.basis_points();
        let cancelled = if roll < buyer {
            Some((CancelledBy::Buyer, hours(&mut self.rng, 1, 20)))
        } else if roll < marketplace {
            Some((CancelledBy::Marketplace, hours(&mut self.rng, 0, 2)))
        } else if roll < seller {
            Some((CancelledBy::Seller, hours(&mut self.rng, 12, 40)))
        } else {
            None
        };
        if let Some((by, after)) = cancelled {
            record.cancellation = Some(Cancellation { at: at + after, by });
            self.push(at + after, Act::Cancel { order: local });
        } else {
            let late = self.rng.chance_bp(config.late_dispatch_rate.basis_points());
            let dispatched = if late {
                promised + hours(&mut self.rng, 2, 48)
            } else {
                at + hours(&mut self.rng, 3, 46)
            };
            let delivered = dispatched + hours(&mut self.rng, 24, 24 * 6);
            record.dispatched_at = Some(dispatched);
            record.delivered_at = Some(delivered);
            self.push(dispatched, Act::Dispatch { order: local });
            if self.rng.chance_bp(config.return_rate.basis_points()) {
                let returned = delivered + hours(&mut self.rng, 24, 24 * 9);
                record.returned_at = Some(returned);
                let damaged = self.rng.chance_bp(1_500);
                self.push(
                    returned,
                    Act::Return {
                        order: local,
                        damaged,
                    },
                );
            }
            // Restock when the home location runs low.
            let left = self.ledger.available(self.id, &key.sku().clone(), home, at);
            if left <= 2 && !self.listings[listing as usize].restocking {
                let quantity = self.restock_quantity(listing, plan, at);
                self.expect_stock(
                    listing,
                    quantity,
                    at + TimeDelta::hours(2),
                    at + TimeDelta::days(4),
                );
            }
        }
        self.out.order(&record);
    }

    fn finish(&mut self) {
        let _ = self.world.horizon_end;
    }
}
