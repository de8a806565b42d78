//! Tax invoices, bills of supply and credit notes: numbering, contents and totals.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use haat_catalogue::{Percent, SupplyKind};
use haat_core::{Actor, FinancialYear, Money, OrderId, SellerId};
use haat_orders::{
    Document, DocumentKind, Error, InvoiceEvent, InvoiceRegister, OrderAction, OrderCommand,
    OrderStatus, ReturnBucket, ReturnedLine,
};
use proptest::prelude::*;

use crate::fixtures::{
    GAMCHHA, KURTA, SAREE, SAREE_HOUSE, World, at, drive, gstin, kolkata, mumbai, now,
};

fn pack(order: OrderId) -> OrderCommand {
    OrderCommand::Pack {
        actor: Actor::System,
        order,
    }
}

/// Places and packs an order of `lines` to `pin` at `when`; answers its id.
fn packed(
    world: &mut World,
    pin: haat_core::PinCode,
    lines: &[(haat_core::ListingId, u32)],
    when: chrono::DateTime<chrono::Utc>,
) -> OrderId {
    let order = world.checkout(pin, lines, when).unwrap().orders[0];
    drive(world, &[pack(order)], when);
    order
}

/// Issues the invoice of `order` at `when` and applies it; answers the document.
#[track_caller]
fn invoice(
    world: &World,
    register: &mut InvoiceRegister,
    order: OrderId,
    when: chrono::DateTime<chrono::Utc>,
) -> Document {
    let state = world.book.order(order).unwrap();
    let gst = state.registration().unwrap().is_registered().then(gstin);
    let events = register
        .decide_invoice(Actor::System, state, gst, when)
        .unwrap();
    register.apply(&events[0]);
    events[0].document().clone()
}

#[track_caller]
fn check_totals(document: &Document) {
    let sum = |part: fn(&haat_orders::DocumentLine) -> Money| {
        Money::checked_sum(document.lines.iter().map(part)).unwrap()
    };
    let t = document.totals;
    assert_eq!(
        (t.taxable_value, t.cgst, t.sgst, t.igst, t.total),
        (
            sum(|l| l.taxable_value),
            sum(|l| l.cgst),
            sum(|l| l.sgst),
            sum(|l| l.igst),
            sum(|l| l.total)
        )
    );
    for l in &document.lines {
        assert_eq!(
            Money::checked_sum([l.taxable_value, l.cgst, l.sgst, l.igst]),
            Some(l.total)
        );
    }
    assert!(document.number.as_str().len() <= 16);
}

#[test]
fn a_registered_sellers_intra_state_sale_gets_a_tax_invoice() {
    let mut world = World::new();
    let mut register = InvoiceRegister::default();
    let order = packed(&mut world, kolkata(), &[(SAREE, 2)], now());
    let doc = invoice(&world, &mut register, order, now() + Duration::hours(2));
    // Two sarees at ₹12,000, 5% within West Bengal: ₹24,000 inclusive;
    // CGST = SGST = round(24,000 × 2.5 / 105) = round(571.428…) = ₹571.43;
    // taxable value = 24,000 − 1,142.86 = ₹22,857.14.
    assert_eq!(doc.number.as_str(), "INV/2526/0000001");
    assert_eq!(doc.kind, DocumentKind::TaxInvoice);
    assert_eq!(doc.seller_gstin, Some(gstin()));
    assert_eq!(
        (doc.place_of_supply, doc.supply),
        (crate::fixtures::wb(), SupplyKind::IntraState)
    );
    let line = &doc.lines[0];
    assert_eq!(
        (line.hsn.as_str(), line.quantity, line.rate),
        ("5208", 2, Percent::whole(5))
    );
    assert_eq!(
        (
            doc.totals.taxable_value,
            doc.totals.cgst,
            doc.totals.sgst,
            doc.totals.igst,
            doc.totals.total
        ),
        (
            Money::from_paise(2_285_714),
            Money::from_paise(57_143),
            Money::from_paise(57_143),
            Money::ZERO,
            Money::from_rupees(24_000)
        )
    );
    check_totals(&doc);
    // The next order of the same seller takes the next number; another seller starts its own.
    let second = packed(&mut world, kolkata(), &[(SAREE, 1)], now());
    assert_eq!(
        invoice(&world, &mut register, second, now() + Duration::hours(3))
            .number
            .as_str(),
        "INV/2526/0000002"
    );
    let kurta = packed(&mut world, mumbai(), &[(KURTA, 1)], now());
    let doc = invoice(&world, &mut register, kurta, now() + Duration::hours(3));
    assert_eq!(
        (doc.number.as_str(), doc.supply),
        ("INV/2526/0000001", SupplyKind::InterState)
    );
}

#[test]
fn the_series_starts_again_in_a_new_financial_year() {
    let mut world = World::new();
    let mut register = InvoiceRegister::default();
    let march = packed(&mut world, kolkata(), &[(SAREE, 1)], at(2026, 3, 31, 10, 0));
    let april = packed(&mut world, kolkata(), &[(SAREE, 1)], at(2026, 3, 31, 10, 0));
    assert_eq!(
        invoice(&world, &mut register, march, at(2026, 3, 31, 18, 29))
            .number
            .as_str(),
        "INV/2526/0000001"
    );
    // 18:30 UTC on 31 March is midnight on 1 April in India: FY2026-27.
    assert_eq!(
        invoice(&world, &mut register, april, at(2026, 3, 31, 18, 30))
            .number
            .as_str(),
        "INV/2627/0000001"
    );
    let fy = FinancialYear::starting(2025).unwrap();
    assert_eq!(
        register.issued(SAREE_HOUSE, fy, DocumentKind::TaxInvoice),
        1
    );
}

#[test]
fn a_non_gst_sellers_sale_gets_a_bill_of_supply() {
    let mut world = World::new();
    let mut register = InvoiceRegister::default();
    let order = packed(&mut world, kolkata(), &[(GAMCHHA, 3)], now());
    let doc = invoice(&world, &mut register, order, now() + Duration::hours(2));
    // 3 × ₹800, no GST: the whole ₹2,400 is the value of the supply.
    assert_eq!(
        (doc.number.as_str(), doc.kind, doc.seller_gstin),
        ("BOS/2526/0000001", DocumentKind::BillOfSupply, None)
    );
    assert_eq!(
        (doc.totals.taxable_value, doc.totals.total),
        (Money::from_rupees(2_400), Money::from_rupees(2_400))
    );
    assert_eq!(doc.lines[0].rate, Percent::ZERO);
    check_totals(&doc);
}

#[test]
fn a_return_gets_a_credit_note_naming_its_invoice() {
    let mut world = World::new();
    let mut register = InvoiceRegister::default();
    let order = packed(&mut world, kolkata(), &[(SAREE, 3)], now());
    let inv = invoice(&world, &mut register, order, now() + Duration::hours(2));
    let events = drive(
        &mut world,
        &[
            OrderCommand::Dispatch {
                actor: Actor::System,
                order,
            },
            OrderCommand::Deliver {
                actor: Actor::System,
                order,
            },
            OrderCommand::Return {
                actor: Actor::System,
                order,
                lines: vec![ReturnedLine {
                    line: 0,
                    quantity: 1,
                    bucket: ReturnBucket::Sellable,
                }],
            },
        ],
        now() + Duration::hours(2),
    );
    let returned = events.last().unwrap();
    let state = world.book.order(order).unwrap();
    let notes = register
        .decide_credit_note(Actor::System, state, returned, now() + Duration::days(1))
        .unwrap();
    register.apply(&notes[0]);
    let InvoiceEvent::CreditNoteIssued { document: note, .. } = &notes[0] else {
        panic!()
    };
    // One saree back: ₹12,000 at 5% intra-state, CGST = SGST = ₹285.71, taxable ₹11,428.58.
    assert_eq!(note.number.as_str(), "CN/2526/0000001");
    assert_eq!(note.against.as_ref(), Some(&inv.number));
    assert_eq!(
        (
            note.totals.taxable_value,
            note.totals.cgst,
            note.totals.sgst,
            note.totals.total
        ),
        (
            Money::from_paise(1_142_858),
            Money::from_paise(28_571),
            Money::from_paise(28_571),
            Money::from_rupees(12_000)
        )
    );
    check_totals(note);
    // The same return is credited once.
    assert_eq!(
        register
            .decide_credit_note(Actor::System, state, returned, now() + Duration::days(1))
            .unwrap_err(),
        Error::AlreadyInvoiced { order }
    );
}

#[test]
fn invoices_are_refused_when_they_do_not_fit() {
    let mut world = World::new();
    let register = InvoiceRegister::default();
    let order = world
        .checkout(kolkata(), &[(SAREE, 1)], now())
        .unwrap()
        .orders[0];
    let state = world.book.order(order).unwrap().clone();
    assert_eq!(
        register
            .decide_invoice(Actor::System, &state, Some(gstin()), now())
            .unwrap_err(),
        Error::InvalidTransition {
            order,
            status: OrderStatus::Placed,
            action: OrderAction::Invoice
        }
    );
    drive(&mut world, &[pack(order)], now());
    let state = world.book.order(order).unwrap();
    let other = Actor::Seller(SellerId::new(99));
    assert_eq!(
        register
            .decide_invoice(other, state, Some(gstin()), now())
            .unwrap_err(),
        Error::Forbidden {
            actor: other,
            action: OrderAction::Invoice
        }
    );
    assert_eq!(
        register
            .decide_invoice(Actor::System, state, None, now())
            .unwrap_err(),
        Error::MissingGstin {
            seller: SAREE_HOUSE
        }
    );
    let mut register = register;
    let events = register
        .decide_invoice(Actor::Seller(SAREE_HOUSE), state, Some(gstin()), now())
        .unwrap();
    register.apply(&events[0]);
    assert_eq!(
        register
            .decide_invoice(Actor::System, state, Some(gstin()), now())
            .unwrap_err(),
        Error::AlreadyInvoiced { order }
    );
    assert_eq!(InvoiceRegister::replay(&events), register);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Whatever the carts, each seller's numbers in a year are 1, 2, 3, … with no gap or
    /// repeat, and every document's totals are the sums of its lines.
    #[test]
    fn numbers_are_consecutive_and_totals_add_up(
        carts in prop::collection::vec(
            (prop::collection::vec((0usize..3, 1u32..4), 1..4), any::<bool>(), 0i64..400),
            1..12,
        )
    ) {
        let mut world = World::new();
        let mut register = InvoiceRegister::default();
        let mut issued: Vec<Document> = Vec::new();
        for (lines, inter_state, hours) in carts {
            let listings = [SAREE, KURTA, GAMCHHA];
            let lines: Vec<_> = lines.iter().map(|&(l, q)| (listings[l], q)).collect();
            let pin = if inter_state { mumbai() } else { kolkata() };
            // Spread over the turn of the financial year (1 Apr 2026 IST).
            let when = at(2026, 3, 30, 0, 0) + Duration::hours(hours / 4);
            let Ok(placed) = world.checkout(pin, &lines, when) else { continue };
            for order in placed.orders {
                drive(&mut world, &[pack(order)], when);
                issued.push(invoice(&world, &mut register, order, when + Duration::hours(hours % 4)));
            }
        }
        let mut series: std::collections::BTreeMap<(SellerId, DocumentKind, String), Vec<u32>> = Default::default();
        for doc in &issued {
            check_totals(doc);
            let text = doc.number.as_str();
            let (head, serial) = text.rsplit_once('/').unwrap();
            series.entry((doc.seller, doc.kind, head.to_owned())).or_default().push(serial.parse().unwrap());
            let fy = FinancialYear::of_date(doc.issued_on);
            let expected = format!("{:02}{:02}", fy.start_year() % 100, (fy.start_year() + 1) % 100);
            prop_assert!(head.ends_with(&expected), "{} in {}", text, fy);
        }
        for (key, serials) in series {
            let expected: Vec<u32> = (1..=serials.len() as u32).collect();
            prop_assert_eq!(serials, expected, "{:?}", key);
        }
    }
}
