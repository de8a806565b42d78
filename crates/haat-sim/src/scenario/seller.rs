//! A seller's life, step by step: who they are, registration, KYC, workforce and programme,
//! listings, then the orders those listings bring (in `orders`), in one seller's own stream of
//! draws. The steps run in a fixed order, so the draws, and so the events, never change with
//! how the code is arranged.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use haat_catalogue::GstRegistration;
use haat_catalogue::{Catalogue, ListingCommand, ListingEvent};
use haat_core::OrderId;
use haat_core::{Actor, FinancialYear, PinCode, SellerId, StateCode};
use haat_inventory::{Command, IdempotencyKey, Operation, SellerConstraint, StockLedger};
use haat_metrics::OrderProjection;
use haat_orders::{InvoiceRegister, OrderBook, SellerView, Settlements, ShelfSnapshot};
use haat_seller::{
    GstStatus, InclusionTag, KycRejectionReason, Seller, SellerCommand, Workforce, WorkforceRole,
    WorkshopReferral,
};

use super::listing::FIRST_RANGE;
use super::orders::{Act, ListingInfo};
use super::out::Out;
use super::{World, hours, staff, working_hours};
use crate::outcome::Event;
use crate::plan::{Plan, SellerSlot};
use crate::products::{Product, Trade};
use crate::profile::{self, Appeal, ListingPlan, Outcomes, Profile, USUAL_APPEAL};
use crate::refusal::{Intended, Refusal, SimSurprise};
use crate::{Rate, Rng, ScenarioConfig, people};

/// The stream of a seller's own draws.
const LIFE_STREAM: u64 = 1 << 60;

/// Simulates seller `index` from registration to the horizon's end; returns when it
/// registered, if it did.
pub(super) fn simulate(
    world: &World<'_>,
    plan: &Plan,
    index: u32,
    workshop: Option<(WorkshopReferral, NaiveDate)>,
    out: &mut Out<'_, '_>,
) -> Option<DateTime<Utc>> {
    let slot = plan.slots.get(index as usize)?;
    let id = SellerId::new(u64::from(index) + 1);
    let mut rng = Rng::stream(world.config.seed, LIFE_STREAM ^ id.get());
    let district_index = usize::from(slot.district);
    let profile = profile::of(index);
    let pin = match profile {
        Some(profile) => profile.pin.parse().ok()?,
        None => *rng.pick(world.districts.pins(district_index))?,
    };
    let registered_at = registration(&mut rng, plan, slot, workshop)?;
    let who = Identity::draw(&mut rng, &world.config, profile, pin);

    let mut run = SellerRun::new(world, out, rng, id, &who);
    if !run.register(&who, workshop, registered_at)? {
        return None;
    }
    let Some(activated_at) = run.onboard(&who, registered_at)? else {
        return Some(registered_at);
    };
    run.declare_workforce(&who, activated_at);
    run.enrol(&who, activated_at);
    run.list_products(&who, plan, district_index, activated_at)?;
    run.drain(plan);
    run.hand_over_records();
    Some(registered_at)
}

/// When the seller registers: a working hour of a day of their month (from their workshop's
/// date, if one brought them).
fn registration(
    rng: &mut Rng,
    plan: &Plan,
    slot: &SellerSlot,
    workshop: Option<(WorkshopReferral, NaiveDate)>,
) -> Option<DateTime<Utc>> {
    let month = *plan.months.get(usize::from(slot.month))?;
    let first_day = match workshop {
        Some((_, date)) => date,
        None => month.first_day(),
    };
    let span = (month.last_day() - first_day).num_days().max(0) as u64;
    let register_day = first_day + chrono::Days::new(rng.below(span + 1));
    Some(working_hours(rng, register_day))
}

/// Who a seller is: fixed by their profile for a showcase seller, drawn for anyone else.
struct Identity {
    profile: Option<&'static Profile>,
    display_name: String,
    pin: PinCode,
    trade: Trade,
    tags: BTreeSet<InclusionTag>,
    /// Selling without GST registration (within West Bengal only).
    non_gst: bool,
    /// Per mille of an average seller.
    size: u32,
    /// Orders' volume multiplier, per mille, by financial year index.
    demand: [u32; 8],
}

impl Identity {
    fn draw(
        rng: &mut Rng,
        config: &ScenarioConfig,
        profile: Option<&'static Profile>,
        pin: PinCode,
    ) -> Identity {
        if let Some(p) = profile {
            return Identity {
                profile,
                display_name: p.name.to_owned(),
                pin,
                trade: p.trade,
                tags: p.tags.iter().copied().collect(),
                non_gst: false,
                size: p.size,
                demand: p.demand,
            };
        }
        let mut tags = BTreeSet::new();
        let trade = if share(rng, config.weaver_share) {
            tags.insert(InclusionTag::Weaver);
            Trade::Weaver
        } else if share(rng, config.artisan_share) {
            tags.insert(InclusionTag::Artisan);
            Trade::Artisan
        } else if share(rng, config.farmer_share) {
            tags.insert(InclusionTag::FarmerOrFpo);
            Trade::Farmer
        } else {
            Trade::Trader
        };
        if share(rng, config.disability_share) {
            tags.insert(InclusionTag::PersonWithDisability);
        }
        if share(rng, config.woman_led_share) {
            tags.insert(InclusionTag::WomanLed);
        }
        let non_gst = share(rng, config.non_gst_share);
        let display_name = people::business_name(rng);
        let size = [250, 500, 1_000, 2_000, 4_800][rng.weighted(&[40, 25, 15, 12, 8])];
        Identity {
            profile,
            display_name,
            pin,
            trade,
            tags,
            non_gst,
            size,
            demand: [1_000; 8],
        }
    }

    /// The most listings they create: the first range of listing ids, or their profile's
    /// life total if larger (which the second range numbers).
    fn max_listings(&self) -> u32 {
        match self.profile.map(|p| p.listings) {
            Some(ListingPlan::Life { total, .. }) => total.max(FIRST_RANGE),
            _ => FIRST_RANGE,
        }
    }

    /// Whether KYC trouble (drop-outs, mismatches, rejections) is drawn for them: not for a
    /// showcase seller, whose story is fixed.
    fn drawn(&self) -> bool {
        self.profile.is_none()
    }
}

fn share(rng: &mut Rng, rate: Rate) -> bool {
    rng.chance_bp(rate.basis_points())
}

/// One seller's state while it is simulated.
pub(super) struct SellerRun<'w, 'n, 'o, 'a, 's> {
    pub(super) world: &'w World<'n>,
    pub(super) out: &'o mut Out<'a, 's>,
    pub(super) rng: Rng,
    pub(super) id: SellerId,
    pub(super) seller: Seller,
    catalogue: Catalogue,
    pub(super) ledger: StockLedger,
    pub(super) listings: Vec<ListingInfo>,
    /// What checkout reads: the seller once active, each listing once live.
    pub(super) shelf: ShelfSnapshot,
    /// The seller's orders: checkout places them, and every later step runs through it.
    pub(super) book: OrderBook,
    /// The seller's tax invoices, bills of supply and credit notes.
    pub(super) invoices: InvoiceRegister,
    /// What settlement has paid for so far.
    pub(super) settlements: Settlements,
    /// The order records, projected from the order events.
    pub(super) projection: OrderProjection,
    /// The orders placed, in order: `Act`s name them by their place here.
    pub(super) orders: Vec<OrderId>,
    /// Delivered orders not yet settled for good.
    pub(super) due: Vec<OrderId>,
    /// When the next settlement is queued, if one is.
    pub(super) next_settle: Option<DateTime<Utc>>,
    /// Checkouts tried so far, stock-outs included (each checkout's idempotency key).
    pub(super) placed: u32,
    queue: BinaryHeap<Reverse<(i64, u64, Act)>>,
    queued: u64,
    next_key: u64,
    /// Orders' volume multiplier, per mille, by financial year index.
    pub(super) demand: [u32; 8],
    pub(super) size: u32,
    /// How well its listings sell.
    pub(super) appeal: Appeal,
    /// What becomes of its orders.
    pub(super) outcomes: Outcomes,
    pub(super) constraint: Option<SellerConstraint>,
    pub(super) ledger_seq: u64,
}

impl<'w, 'n, 'o, 'a, 's> SellerRun<'w, 'n, 'o, 'a, 's> {
    fn new(
        world: &'w World<'n>,
        out: &'o mut Out<'a, 's>,
        rng: Rng,
        id: SellerId,
        who: &Identity,
    ) -> Self {
        SellerRun {
            world,
            out,
            rng,
            id,
            seller: Seller::default(),
            catalogue: Catalogue::new(world.taxonomy.clone()),
            ledger: StockLedger::new(),
            listings: Vec::new(),
            shelf: ShelfSnapshot::default(),
            // Order ids: the seller's number × 1,000,000 + n, unique across sellers.
            book: OrderBook::starting_at(OrderId::new(id.get() * 1_000_000 + 1)),
            invoices: InvoiceRegister::default(),
            settlements: Settlements::default(),
            projection: OrderProjection::default(),
            orders: Vec::new(),
            due: Vec::new(),
            next_settle: None,
            placed: 0,
            queue: BinaryHeap::new(),
            queued: 0,
            next_key: 0,
            demand: who.demand,
            size: who.size,
            appeal: who.profile.map_or(USUAL_APPEAL, |p| p.appeal),
            outcomes: who
                .profile
                .and_then(|p| p.outcomes)
                .unwrap_or_else(|| Outcomes::of(&world.config)),
            constraint: who.non_gst.then_some(SellerConstraint::IntraStateOnly {
                state: StateCode::WEST_BENGAL,
            }),
            ledger_seq: 0,
        }
    }
}

impl SellerRun<'_, '_, '_, '_, '_> {
    /// Registers the seller (by the workshop's staff if one brought them); `Some(true)` if the
    /// registration was accepted.
    fn register(
        &mut self,
        who: &Identity,
        workshop: Option<(WorkshopReferral, NaiveDate)>,
        at: DateTime<Utc>,
    ) -> Option<bool> {
        let actor = match workshop {
            Some(_) => staff(&mut self.rng),
            None => Actor::Seller(self.id),
        };
        let register = SellerCommand::Register {
            actor,
            seller: self.id,
            display_name: who.display_name.clone(),
            mobile: people::mobile(&mut self.rng)?,
            pin_code: who.pin,
            tags: who.tags.clone(),
            referral: workshop.map(|(r, _)| r),
        };
        if !self.seller_cmd(&register, at) {
            return Some(false);
        }
        self.out.counts.sellers += 1;
        Some(true)
    }

    /// KYC (a drop-out, a GSTIN of another state refused, a rejection and a second
    /// submission, as drawn), verification and activation; `Some(Some(activated_at))` if the
    /// seller went live, `Some(None)` if they stopped on the way.
    fn onboard(
        &mut self,
        who: &Identity,
        registered_at: DateTime<Utc>,
    ) -> Option<Option<DateTime<Utc>>> {
        let config = &self.world.config;
        let mut at = registered_at + hours(&mut self.rng, 2, 24 * 6);
        let dropout = who.drawn() && share(&mut self.rng, config.kyc_dropout_share);
        let mismatch = who.drawn() && share(&mut self.rng, config.kyc_mismatch_share);
        let rejected = who.drawn() && share(&mut self.rng, config.kyc_rejection_share);
        if dropout && self.rng.chance_bp(5_000) {
            return Some(None);
        }
        if mismatch {
            self.submit_mismatched_kyc(who, at)?;
            at += hours(&mut self.rng, 4, 48);
        }
        self.submit_kyc(who, at)?;
        at += hours(&mut self.rng, 12, 72);
        if rejected || dropout {
            let reason = match self.rng.below(3) {
                0 => KycRejectionReason::BankAccountNotVerified,
                1 => KycRejectionReason::PanNameMismatch,
                _ => KycRejectionReason::DocumentIllegible,
            };
            let reviewer = staff(&mut self.rng);
            self.seller_cmd(
                &SellerCommand::RejectKyc {
                    actor: reviewer,
                    reasons: vec![reason],
                },
                at,
            );
            if dropout {
                return Some(None);
            }
            at += hours(&mut self.rng, 24, 24 * 5);
            self.submit_kyc(who, at)?;
            at += hours(&mut self.rng, 12, 72);
        }
        let reviewer = staff(&mut self.rng);
        self.seller_cmd(&SellerCommand::VerifyKyc { actor: reviewer }, at);
        at += hours(&mut self.rng, 1, 30);
        let activate = SellerCommand::Activate {
            actor: Actor::System,
        };
        if !self.seller_cmd(&activate, at) {
            return Some(None);
        }
        self.out.counts.sellers_activated += 1;
        // Checkout sells for an active seller only, under the GST standing of its KYC.
        let registration = self.seller.kyc().map(|kyc| match &kyc.gst {
            GstStatus::Registered(gstin) => GstRegistration::Registered {
                state: gstin.state_code(),
            },
            GstStatus::NonGst(_) => GstRegistration::NonGst {
                state: StateCode::WEST_BENGAL,
            },
        });
        if let (Some(status), Some(registration)) = (self.seller.status(), registration) {
            self.shelf.put_seller(SellerView {
                seller: self.id,
                status,
                registration,
            });
        }
        Some(Some(at))
    }

    /// Submits a sound KYC of a West Bengal business.
    fn submit_kyc(&mut self, who: &Identity, at: DateTime<Utc>) -> Option<()> {
        let submission = people::kyc(
            &mut self.rng,
            &who.display_name,
            self.id.get(),
            who.pin,
            who.non_gst,
            StateCode::WEST_BENGAL,
        )?;
        let me = Actor::Seller(self.id);
        self.seller_cmd(
            &SellerCommand::SubmitKyc {
                actor: me,
                submission,
            },
            at,
        );
        Some(())
    }

    /// Submits a KYC with a GSTIN of a neighbouring state: the cross-checks refuse it, nothing
    /// is emitted (an intended refusal).
    fn submit_mismatched_kyc(&mut self, who: &Identity, at: DateTime<Utc>) -> Option<()> {
        let neighbour = [10u8, 18, 20, 21][self.rng.below(4) as usize];
        let state = StateCode::new(neighbour).unwrap_or(StateCode::WEST_BENGAL);
        let submission = people::kyc(
            &mut self.rng,
            &who.display_name,
            self.id.get(),
            who.pin,
            who.non_gst,
            state,
        )?;
        self.out.counts.commands += 1;
        let command = SellerCommand::SubmitKyc {
            actor: Actor::Seller(self.id),
            submission,
        };
        match self.seller.decide(&command, at) {
            Err(haat_seller::Error::KycProblems(_)) => {
                self.out.intended(Intended::KycStateMismatch)
            }
            Err(e) => self.out.refused(Refusal::of_seller(&e)),
            Ok(events) => {
                self.out
                    .refused(Refusal::of_sim(SimSurprise::KycMismatchAccepted));
                for event in &events {
                    self.seller.apply(event);
                    self.out.seller(event);
                }
            }
        }
        Some(())
    }

    /// Declares the workforce: the profile's, or one drawn for the trade (weavers and
    /// artisans always, a trader now and then).
    fn declare_workforce(&mut self, who: &Identity, activated_at: DateTime<Utc>) {
        let rng = &mut self.rng;
        let fixed = who.profile.and_then(|p| p.workforce);
        let workforce = match (fixed, who.trade) {
            (Some(roles), _) => Some(Workforce::from_iter(roles.iter().copied())),
            (None, Trade::Weaver) => Some(Workforce::from_iter([
                (WorkforceRole::Weaver, rng.between(1, 6) as u32),
                (WorkforceRole::Helper, rng.between(0, 2) as u32),
            ])),
            (None, Trade::Artisan) => Some(Workforce::from_iter([(
                WorkforceRole::Artisan,
                rng.between(1, 4) as u32,
            )])),
            _ if rng.chance_bp(3_000) => Some(Workforce::from_iter([
                (WorkforceRole::Packer, rng.between(1, 3) as u32),
                (WorkforceRole::Other, rng.between(0, 2) as u32),
            ])),
            _ => None,
        };
        if let Some(workforce) = workforce {
            let when = activated_at + hours(&mut self.rng, 2, 48);
            let me = Actor::Seller(self.id);
            self.seller_cmd(
                &SellerCommand::DeclareWorkforce {
                    actor: me,
                    workforce,
                },
                when,
            );
        }
    }

    /// Enrols in the inclusion programme: always if the profile says so, else a share of
    /// those with an inclusion tag.
    fn enrol(&mut self, who: &Identity, activated_at: DateTime<Utc>) {
        let world = self.world;
        let always = who.profile.is_some_and(|p| p.always_enrols);
        let enrol =
            always || (!who.tags.is_empty() && share(&mut self.rng, world.config.programme_share));
        if !enrol {
            return;
        }
        let when = activated_at + hours(&mut self.rng, 24, 24 * 20);
        let by = staff(&mut self.rng);
        let command = SellerCommand::EnrolInProgramme {
            actor: by,
            programme: world.programme.clone(),
        };
        if self.seller_cmd(&command, when) {
            self.out.counts.programme_members += 1;
        }
    }

    /// Creates the seller's listings, year by year, at random instants of each year from
    /// their activation, in time order; each goes live and starts taking orders.
    fn list_products(
        &mut self,
        who: &Identity,
        plan: &Plan,
        district_index: usize,
        activated_at: DateTime<Utc>,
    ) -> Option<()> {
        let world = self.world;
        let district = *world.districts.list.get(district_index)?;
        let home = *world.home.get(district_index)?;
        let products: Vec<&Product> = world
            .products
            .iter()
            .filter(|p| p.trade() == who.trade)
            .collect();
        let mut number = 0u32;
        for (y, fy) in plan.years.iter().enumerate() {
            let from = activated_at.max(fy.start());
            if from >= fy.end() {
                continue;
            }
            let (count, window) = self.listings_in_year(who, plan, y, *fy, from);
            let mut times: Vec<DateTime<Utc>> = (0..count)
                .map(|_| from + TimeDelta::minutes(self.rng.below(window) as i64))
                .collect();
            times.sort();
            for t in times {
                if number >= who.max_listings() {
                    break;
                }
                number += 1;
                let Some(product) = self.rng.pick(&products).copied() else {
                    break;
                };
                self.create_listing(product, number, district.name(), home, t, plan);
            }
        }
        Some(())
    }

    /// How many listings the seller creates in financial year `y` (from `from`), and over how
    /// many minutes from `from`: the profile's, or the plan's rate scaled by the seller's size
    /// and days in the year.
    fn listings_in_year(
        &mut self,
        who: &Identity,
        plan: &Plan,
        y: usize,
        fy: FinancialYear,
        from: DateTime<Utc>,
    ) -> (u64, u64) {
        let window = (fy.end() - from).num_minutes().max(1) as u64;
        match who.profile.map(|p| p.listings) {
            Some(ListingPlan::Life { total, window_days }) => {
                // The first year's share, so that the second year's adds make the growth.
                let growth = u64::from(self.world.config.listing_growth.basis_points());
                let first = u64::from(total) * 10_000 / (10_000 + growth);
                let count = match y {
                    0 => first,
                    1 => u64::from(total) - first,
                    _ => 0,
                };
                (count, window.min(60 * 24 * u64::from(window_days)))
            }
            Some(ListingPlan::PerYear(counts)) => (counts.get(y).copied().unwrap_or(0), window),
            None => {
                let (target, seller_days) = plan.listing_rate.get(y).copied().unwrap_or((0, 1));
                let days = (fy.end() - from).num_days().max(0) as u128;
                let count = self
                    .rng
                    .round_random(target * days * u128::from(who.size), seller_days * 1_000);
                (count, window)
            }
        }
    }

    /// Sends a seller command; `true` if it was accepted.
    pub(super) fn seller_cmd(&mut self, command: &SellerCommand, at: DateTime<Utc>) -> bool {
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
                self.out.refused(Refusal::of_seller(&e));
                false
            }
        }
    }

    /// Sends a listing command; its events if it was accepted.
    pub(super) fn listing_cmd(
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
                self.out.refused(Refusal::of_catalogue(&e));
                None
            }
        }
    }

    /// Sends a stock command; its outcome if accepted.
    pub(super) fn stock_cmd(
        &mut self,
        actor: Actor,
        operation: Operation,
        at: DateTime<Utc>,
    ) -> Option<haat_inventory::Outcome> {
        self.stock_call(|ledger, key| ledger.execute(&Command::new(actor, key, operation), at))
    }

    /// Sends one command to the seller's ledger (with a fresh idempotency key), streams its
    /// events, and trims the ledger's journal; the outcome if accepted.
    pub(super) fn stock_call(
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
                self.out.refused(Refusal::of_inventory(&e));
                None
            }
        }
    }

    /// Queues `act` at `at`, after anything queued for the same instant.
    pub(super) fn push(&mut self, at: DateTime<Utc>, act: Act) {
        self.queued += 1;
        self.queue
            .push(Reverse((at.timestamp_millis(), self.queued, act)));
    }

    /// The next queued action, earliest first.
    pub(super) fn pop(&mut self) -> Option<(i64, Act)> {
        self.queue
            .pop()
            .map(|Reverse((millis, _, act))| (millis, act))
    }
}
