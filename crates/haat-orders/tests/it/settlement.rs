//! Settlement: worked examples with their arithmetic, the statement in en-IN and bn-IN, and
//! the invariant that payout and deductions make up the gross.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_catalogue::{
    CommissionSchedule, CommissionTreatment, DeductionKind, FixedFeeSlabs, GstRateTable,
    MarketplaceTariff, PanStatus, Percent,
};
use haat_core::{Actor, Locale, Money, OrderId, ProgrammeId, SellerId, StaffId};
use haat_orders::{
    EntryKind, OrderCommand, Payee, Payees, ReturnBucket, ReturnedLine, SettlementCalendar,
    SettlementTerms, Settlements, Statement,
};
use haat_seller::{
    BankDetails, BusinessAddress, GstStatus, InclusionTag, KycSubmission, Programme, Seller,
    SellerCommand,
};
use proptest::prelude::*;

use crate::fixtures::{
    GAMCHHA, KURTA, SAREE, SAREE_HOUSE, TAILOR, World, at, drive, gstin, kolkata, now,
};

fn tariff() -> MarketplaceTariff {
    MarketplaceTariff {
        commission: CommissionSchedule::new()
            .with_rate("textiles".parse().unwrap(), Percent::whole(10)),
        fixed_fees: FixedFeeSlabs::none(),
    }
}

fn calendar() -> SettlementCalendar {
    // Weekly, Monday to Sunday, from Monday 29 Sep 2025.
    SettlementCalendar::new(chrono::NaiveDate::from_ymd_opt(2025, 9, 29).unwrap(), 7).unwrap()
}

/// Every seller a firm that gave its PAN, commission charged, unless listed.
struct Table(HashMap<SellerId, Payee>);

impl Payees for Table {
    fn payee(&self, seller: SellerId, _: DateTime<Utc>) -> Option<Payee> {
        Some(self.0.get(&seller).copied().unwrap_or(Payee {
            pan: PanStatus::Furnished,
            individual_or_huf: false,
            commission: CommissionTreatment::Charged,
        }))
    }
}

fn firms() -> Table {
    Table(HashMap::new())
}

/// Places, packs, dispatches and delivers an order of `quantity` of `listing`; answers it.
fn delivered(world: &mut World, listing: haat_core::ListingId, quantity: u32) -> OrderId {
    let order = world
        .checkout(kolkata(), &[(listing, quantity)], now())
        .unwrap()
        .orders[0];
    let system = Actor::System;
    drive(
        world,
        &[
            OrderCommand::Pack {
                actor: system,
                order,
            },
            OrderCommand::Dispatch {
                actor: system,
                order,
            },
            OrderCommand::Deliver {
                actor: system,
                order,
            },
        ],
        now(),
    );
    order
}

fn settle(
    world: &World,
    settlements: &mut Settlements,
    payees: &impl Payees,
    at: DateTime<Utc>,
) -> Vec<Statement> {
    let tariff = tariff();
    let terms = SettlementTerms {
        tariff: &tariff,
        rates: GstRateTable::india(),
        shipping_fee: Money::from_rupees(50),
        calendar: calendar(),
    };
    settlements
        .settle(world.book.orders(), payees, &terms, at)
        .unwrap()
}

fn amount(deductions: &[(DeductionKind, Money)], kind: DeductionKind) -> Money {
    deductions
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(Money::ZERO, |(_, m)| *m)
}

#[track_caller]
fn check_adds_up(statement: &Statement) {
    for e in &statement.entries {
        let deducted = Money::checked_sum(e.deductions.iter().map(|(_, m)| *m)).unwrap();
        assert_eq!(e.net.checked_add(deducted), Some(e.gross), "{e:?}");
    }
    let net = Money::checked_sum(statement.entries.iter().map(|e| e.net)).unwrap();
    let deducted = Money::checked_sum(statement.deductions.iter().map(|(_, m)| *m)).unwrap();
    assert_eq!(
        (statement.net, statement.net.checked_add(deducted)),
        (net, Some(statement.gross))
    );
}

/// A weaver-house onboarded through the seller aggregate, enrolled in an inclusion
/// programme on 14 June 2025 (commission waived for six months).
fn programme_member() -> Seller {
    let enrolled = Utc.with_ymd_and_hms(2025, 6, 14, 6, 0, 0).unwrap();
    let me = Actor::Seller(SAREE_HOUSE);
    let staff = Actor::Operations(StaffId::new(9));
    let commands = [
        SellerCommand::Register {
            actor: me,
            seller: SAREE_HOUSE,
            display_name: "Shantipur Tant Ghar".into(),
            mobile: "98300 12345".parse().unwrap(),
            pin_code: "741404".parse().unwrap(),
            tags: [InclusionTag::Weaver].into(),
            referral: None,
        },
        SellerCommand::SubmitKyc {
            actor: me,
            submission: KycSubmission {
                legal_name: "Shantipur Tant Ghar".into(),
                pan: "AAPFU0939F".parse().unwrap(),
                gst: GstStatus::Registered(gstin()),
                address: BusinessAddress {
                    lines: "Shantipur, Nadia".into(),
                    pin_code: "741404".parse().unwrap(),
                },
                bank: BankDetails {
                    account: "000123456789".parse().unwrap(),
                    ifsc: "SBIN0000123".parse().unwrap(),
                    holder_name: "Shantipur Tant Ghar".into(),
                },
                udyam: None,
                email: "tantghar@example.in".parse().unwrap(),
            },
        },
        SellerCommand::VerifyKyc { actor: staff },
        SellerCommand::Activate { actor: staff },
        SellerCommand::EnrolInProgramme {
            actor: staff,
            programme: Programme::samarth_like(ProgrammeId::new(1)),
        },
    ];
    let mut seller = Seller::default();
    for command in &commands {
        for event in seller.decide(command, enrolled).unwrap() {
            seller.apply(&event);
        }
    }
    seller
}

#[test]
fn a_programme_members_commission_is_waived() {
    let mut world = World::new();
    let order = delivered(&mut world, SAREE, 1);
    let sellers = HashMap::from([(SAREE_HOUSE, programme_member())]);
    let due = now() + Duration::days(9);
    let statements = settle(&world, &mut Settlements::default(), &sellers, due);
    let entry = &statements[0].entries[0];
    // One saree, ₹12,000, sold 1 Oct 2025 within the six months of the benefit:
    //   commission                     ₹0.00 (waived; 10% would be ₹1,200)
    //   shipping fee                  ₹50.00
    //   GST on fees  18% × 50          ₹9.00
    //   GST TCS  0.5% × 11,428.58     ₹57.14 (57.1429)
    //   TDS  0.1% × 12,000            ₹12.00 (a firm: no 194-O(4) exemption)
    //   net  12,000 − 50 − 9 − 57.14 − 12 = ₹11,871.86
    assert_eq!(
        (entry.order, entry.kind, entry.gross),
        (order, EntryKind::Sale, Money::from_rupees(12_000))
    );
    assert_eq!(
        amount(&entry.deductions, DeductionKind::Commission),
        Money::ZERO
    );
    assert_eq!(
        amount(&entry.deductions, DeductionKind::GstOnFees),
        Money::from_rupees(9)
    );
    assert_eq!(
        amount(&entry.deductions, DeductionKind::GstTcs),
        Money::from_paise(5_714)
    );
    assert_eq!(
        amount(&entry.deductions, DeductionKind::IncomeTaxTds),
        Money::from_rupees(12)
    );
    assert_eq!(entry.net, Money::from_paise(1_187_186));
    check_adds_up(&statements[0]);
    // Without the programme: commission ₹1,200; GST on fees 18% × 1,250 = ₹225;
    // net 12,000 − 1,250 − 225 − 57.14 − 12 = ₹10,455.86.
    let charged = settle(&world, &mut Settlements::default(), &firms(), due);
    assert_eq!(charged[0].entries[0].net, Money::from_paise(1_045_586));
    // The benefit lapses after six months.
    let payee = Payee::of(&sellers[&SAREE_HOUSE], at(2026, 1, 10, 0, 0)).unwrap();
    assert_eq!(payee.commission, CommissionTreatment::Charged);
}

#[test]
fn nothing_is_settled_before_the_return_window_closes_and_nothing_twice() {
    let mut world = World::new();
    delivered(&mut world, SAREE, 1);
    let mut settlements = Settlements::default();
    let delivered_at = now() + Duration::hours(3);
    assert!(
        settle(
            &world,
            &mut settlements,
            &firms(),
            delivered_at + Duration::days(7)
        )
        .is_empty()
    );
    assert_eq!(
        settle(
            &world,
            &mut settlements,
            &firms(),
            delivered_at + Duration::days(8)
        )
        .len(),
        1
    );
    assert!(
        settle(
            &world,
            &mut settlements,
            &firms(),
            delivered_at + Duration::days(9)
        )
        .is_empty()
    );
}

/// Knows the saree house only: settling the tailor's order fails.
struct OnlyTheSareeHouse;

impl Payees for OnlyTheSareeHouse {
    fn payee(&self, seller: SellerId, at: DateTime<Utc>) -> Option<Payee> {
        (seller == SAREE_HOUSE)
            .then(|| firms().payee(seller, at))
            .flatten()
    }
}

#[test]
fn a_settlement_that_fails_part_way_leaves_its_memory_as_it_was() {
    let mut world = World::new();
    // Order 1 (the saree house's) settles first, then order 2 (the tailor's) fails.
    delivered(&mut world, SAREE, 2);
    delivered(&mut world, KURTA, 1);
    let tariff = tariff();
    let terms = SettlementTerms {
        tariff: &tariff,
        rates: GstRateTable::india(),
        shipping_fee: Money::from_rupees(50),
        calendar: calendar(),
    };
    let after_window = at(2025, 10, 9, 6, 0);
    let mut settlements = Settlements::default();
    let failed = settlements.settle(
        world.book.orders(),
        &OnlyTheSareeHouse,
        &terms,
        after_window,
    );
    assert_eq!(
        failed.map(|s| s.len()),
        Err(haat_orders::Error::UnknownPayee { seller: TAILOR })
    );
    assert_eq!(settlements, Settlements::default());
    let year = haat_core::FinancialYear::containing(now());
    assert_eq!(settlements.year_gross(SAREE_HOUSE, year), Money::ZERO);
    // With every payee known, the same cycle settles both orders as if nothing had failed.
    let statements = settle(&world, &mut settlements, &firms(), after_window);
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0].gross, Money::from_rupees(24_000));
    assert_eq!(
        settlements.year_gross(SAREE_HOUSE, year),
        Money::from_rupees(24_000)
    );
}

#[test]
fn a_return_after_settlement_is_reversed_in_the_next_cycle() {
    let mut world = World::new();
    let order = delivered(&mut world, SAREE, 2);
    let mut settlements = Settlements::default();
    // Delivered 1 Oct; the window closes 8 Oct; settled on Thursday 9 Oct.
    let first = settle(&world, &mut settlements, &firms(), at(2025, 10, 9, 6, 0));
    // Two sarees, ₹24,000: commission 10% ₹2,400, shipping ₹50, GST on fees 18% × 2,450 =
    // ₹441, TCS 0.5% × 22,857.14 = ₹114.29 (114.2857), TDS 0.1% × 24,000 = ₹24;
    // net 24,000 − 2,450 − 441 − 114.29 − 24 = ₹20,970.71.
    assert_eq!(first[0].cycle.to_string(), "2025-10-06 – 2025-10-12");
    assert_eq!(first[0].net, Money::from_paise(2_097_071));
    // On 14 Oct operations staff accept one saree back (a defect found late).
    let late = OrderCommand::Return {
        actor: Actor::Operations(StaffId::new(9)),
        order,
        lines: vec![ReturnedLine {
            line: 0,
            quantity: 1,
            bucket: ReturnBucket::Damaged,
        }],
    };
    world
        .book
        .execute(&mut world.ledger, &late, at(2025, 10, 14, 6, 0))
        .unwrap();
    let next = settle(&world, &mut settlements, &firms(), at(2025, 10, 16, 6, 0));
    // The saree's sale reversed: −₹12,000 gross; −₹1,200 commission; no shipping (the order's
    // fee stays); −₹216 GST on fees; −₹57.14 TCS; −₹12 TDS; net −₹10,514.86.
    let entry = &next[0].entries[0];
    assert_eq!(next[0].cycle.to_string(), "2025-10-13 – 2025-10-19");
    assert_eq!(
        (entry.kind, entry.quantity, entry.gross),
        (EntryKind::Reversal, 1, Money::from_rupees(-12_000))
    );
    assert_eq!(
        amount(&entry.deductions, DeductionKind::ShippingFee),
        Money::ZERO
    );
    assert_eq!(entry.net, Money::from_paise(-1_051_486));
    check_adds_up(&next[0]);
    // Reversed once.
    assert!(settle(&world, &mut settlements, &firms(), at(2025, 10, 23, 6, 0)).is_empty());
}

#[test]
fn an_individual_seller_crossing_five_lakh_in_a_year_suffers_tds_from_then_on() {
    let mut world = World::new();
    let orders = [
        delivered(&mut world, SAREE, 20),
        delivered(&mut world, SAREE, 20),
        delivered(&mut world, SAREE, 2),
    ];
    let individual = Table(HashMap::from([(
        SAREE_HOUSE,
        Payee {
            pan: PanStatus::Furnished,
            individual_or_huf: true,
            commission: CommissionTreatment::Charged,
        },
    )]));
    let mut settlements = Settlements::default();
    let statements = settle(
        &world,
        &mut settlements,
        &individual,
        now() + Duration::days(9),
    );
    let tds: Vec<_> = statements[0]
        .entries
        .iter()
        .map(|e| (e.order, amount(&e.deductions, DeductionKind::IncomeTaxTds)))
        .collect();
    // 20 sarees: ₹2,40,000 in the year, within ₹5 lakh: no TDS.
    // 20 more: ₹4,80,000, still within: no TDS.
    // 2 more: ₹5,04,000, past ₹5 lakh: TDS 0.1% × 24,000 = ₹24 on this sale.
    assert_eq!(
        tds,
        [
            (orders[0], Money::ZERO),
            (orders[1], Money::ZERO),
            (orders[2], Money::from_rupees(24))
        ]
    );
    let fy = haat_core::FinancialYear::starting(2025).unwrap();
    assert_eq!(
        settlements.year_gross(SAREE_HOUSE, fy),
        Money::from_rupees(504_000)
    );
    check_adds_up(&statements[0]);
}

#[test]
fn the_statement_reads_in_english_and_bengali() {
    let mut world = World::new();
    delivered(&mut world, SAREE, 1);
    let sellers = HashMap::from([(SAREE_HOUSE, programme_member())]);
    let statement = settle(
        &world,
        &mut Settlements::default(),
        &sellers,
        at(2025, 10, 9, 6, 0),
    )
    .remove(0);
    let en = statement.render(Locale::EnIn);
    let bn = statement.render(Locale::BnIn);
    for expected in [
        "Settlement statement — seller 1",
        "Cycle: 06-10-2025 – 12-10-2025",
        "Order 1 / line 1, 1 pcs: sale",
        "Gross: ₹12,000.00",
        "GST TCS: ₹57.14",
        "= Net: ₹11,871.86",
    ] {
        assert!(en.contains(expected), "{expected} not in\n{en}");
    }
    for expected in [
        "নিষ্পত্তি বিবরণী — বিক্রেতা ১",
        "চক্র: ০৬-১০-২০২৫ – ১২-১০-২০২৫",
        "মোট বিক্রয়মূল্য: ₹১২,০০০.০০",
        "নিট প্রাপ্য: ₹১১,৮৭১.৮৬",
    ] {
        assert!(bn.contains(expected), "{expected} not in\n{bn}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever is bought and returned, before or after settlement: every entry's net plus
    /// its deductions is its gross, each statement's totals are its entries' sums, and what
    /// was paid for (sales less reversals) is exactly what the buyers kept.
    #[test]
    fn payout_plus_deductions_is_gross(
        orders in prop::collection::vec((0usize..3, 1u32..5, 0u32..5, 0u32..5), 1..6)
    ) {
        let mut world = World::new();
        let mut settlements = Settlements::default();
        let staff = Actor::Operations(StaffId::new(9));
        let listings = [SAREE, KURTA, GAMCHHA];
        let mut placed = Vec::new();
        for &(listing, quantity, early, late) in &orders {
            let order = delivered(&mut world, listings[listing], quantity);
            placed.push((order, quantity, early.min(quantity), late));
        }
        let mut statements = Vec::new();
        let returns = |world: &mut World, pick: &dyn Fn(u32, u32, u32) -> u32, at| {
            for &(order, quantity, early, late) in &placed {
                let back = pick(quantity, early, late);
                if back > 0 {
                    let command = OrderCommand::Return {
                        actor: staff,
                        order,
                        lines: vec![ReturnedLine { line: 0, quantity: back, bucket: ReturnBucket::Sellable }],
                    };
                    world.book.execute(&mut world.ledger, &command, at).unwrap();
                }
            }
        };
        returns(&mut world, &|_, early, _| early, now() + Duration::days(2));
        statements.extend(settle(&world, &mut settlements, &firms(), now() + Duration::days(9)));
        returns(&mut world, &|quantity, early, late| late.min(quantity - early), now() + Duration::days(10));
        statements.extend(settle(&world, &mut settlements, &firms(), now() + Duration::days(16)));
        let mut paid_for = Money::ZERO;
        for statement in &statements {
            check_adds_up(statement);
            paid_for = paid_for.checked_add(statement.gross).unwrap();
        }
        let kept = Money::checked_sum(world.book.orders().map(|o| {
            let line = &o.lines()[0];
            line.unit_price.checked_mul(u64::from(line.quantity - o.returned(0))).unwrap()
        })).unwrap();
        prop_assert_eq!(paid_for, kept);
    }
}
