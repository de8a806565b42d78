//! Orders from the network: quotes priced by haat's GST rules, confirm through checkout,
//! status and cancel from the order's life.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Utc};
use haat_catalogue::{GstRateTable, GstRegistration, TaxBreakdown};
use haat_core::{Money, PinCode, SellerId, StateCode, ist_date};
use haat_inventory::{Allocator, StockLedger};
use haat_ondc::wire_order::{OrderCall, OrderCallback};
use haat_ondc::{Charges, Checkout, Counter, SellerProfile, SellerTerms};
use haat_orders::{BuyerId, OrderBook};
use haat_seller::SellerStatus;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::fixtures::{app, storefront, world};
use crate::golden::check_golden;

pub fn nadia() -> SellerId {
    crate::catalogue::nadia()
}

fn profile() -> SellerProfile {
    haat_ondc::seller_profile(
        &world().sellers[&nadia()],
        &storefront(),
        SellerTerms::default(),
    )
    .unwrap()
}

fn counter<'a>(
    profile: &'a SellerProfile,
    app: &'a haat_ondc::SellerApp,
    charges: Charges,
) -> Counter<'a> {
    Counter {
        app,
        seller: profile,
        status: SellerStatus::Active,
        catalogue: &world().catalogue,
        rates: GstRateTable::india(),
        charges,
    }
}

/// Nadia's first in-stock items: (item id, location id).
fn in_stock() -> &'static [(String, String)] {
    static ITEMS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    ITEMS.get_or_init(|| {
        let export = world()
            .export(nadia(), haat_ondc::Language::English)
            .unwrap();
        export.catalogues[0].message.catalog.providers[0]
            .items
            .iter()
            .filter(|i| i.quantity.available.count == "99")
            .map(|i| (i.id.clone(), i.location_id.clone()))
            .take(40)
            .collect()
    })
}

fn call(action: &str, transaction: &str, lines: &[(&str, &str, u32)], pin: &str) -> OrderCall {
    let items: Vec<Value> = lines
        .iter()
        .map(|(id, location, count)| {
            json!({"id": id, "location_id": location, "fulfillment_id": "1",
                   "quantity": {"count": count}})
        })
        .collect();
    serde_json::from_value(json!({
        "context": {
            "domain": "ONDC:RET12", "country": "IND", "city": "std:033", "action": action,
            "core_version": "1.2.0", "bap_id": "buyer.example.in",
            "bap_uri": "https://buyer.example.in/ondc", "bpp_id": "sellers.haat.example.in",
            "bpp_uri": "https://sellers.haat.example.in/ondc",
            "transaction_id": transaction, "message_id": format!("{action}-{transaction}"),
            "timestamp": "2026-03-31T18:28:00.000Z", "ttl": "PT30S"
        },
        "message": {"order": {
            "provider": {"id": nadia().to_string()},
            "items": items,
            "fulfillments": [{"id": "1", "type": "Delivery", "end": {
                "location": {"gps": "22.5726,88.3639", "address": {
                    "name": "Mitali Ghosh", "building": "12", "locality": "College Street",
                    "city": "Kolkata", "state": "West Bengal", "country": "IND",
                    "area_code": pin}},
                "contact": {"phone": "9830012345", "email": "mitali@example.in"}}}],
            "billing": {"name": "Mitali Ghosh", "phone": "9830012345",
                        "address": {"city": "Kolkata", "area_code": pin}},
            "payment": {"type": "ON-ORDER", "collected_by": "BAP", "status": "PAID"}
        }}
    }))
    .unwrap()
}

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    world().now
}

/// The breakup adds up to the total, to the paisa.
#[track_caller]
fn check_adds_up(answer: &OrderCallback) {
    let quote = &answer.message.order.quote;
    let sum = Money::checked_sum(quote.breakup.iter().map(|l| money(&l.price.value))).unwrap();
    assert_eq!(sum, money(&quote.price.value));
}

/// Each tax line is haat's own GST breakdown of the same sale.
#[track_caller]
fn check_tax(answer: &OrderCallback, registration: GstRegistration, buyer: StateCode) {
    let world = world();
    let breakup = &answer.message.order.quote.breakup;
    for pair in breakup
        .iter()
        .filter(|l| l.title_type != "delivery" && l.title_type != "packing")
        .collect::<Vec<_>>()
        .chunks(2)
    {
        let [item, tax] = pair else {
            panic!("item then tax")
        };
        assert_eq!(
            (item.title_type.as_str(), tax.title_type.as_str()),
            ("item", "tax")
        );
        let listing = world
            .catalogue
            .get(haat_core::ListingId::new(item.item_id.parse().unwrap()))
            .unwrap();
        let content = listing.live().unwrap();
        let count = item.item_quantity.unwrap().count;
        let rate = GstRateTable::india()
            .rate(&content.hsn, content.price, ist_date(now()))
            .unwrap();
        let sale = TaxBreakdown::for_sale(
            content.price.checked_mul(u64::from(count)).unwrap(),
            rate,
            registration,
            buyer,
        )
        .unwrap();
        assert_eq!(money(&tax.price.value), sale.tax());
        assert_eq!(money(&item.price.value), sale.taxable_value());
        assert_eq!(
            money(&item.item.as_ref().unwrap().price.value),
            content.price
        );
    }
}

fn ledger() -> StockLedger {
    world().ledgers[&nadia()].clone()
}

#[test]
fn a_select_is_quoted_with_the_breakup_and_gst() {
    let (profile, app) = (profile(), app());
    let charges = Charges {
        delivery: Money::from_rupees(60),
        packing: Money::from_rupees(20),
    };
    let counter = counter(&profile, &app, charges);
    let items = in_stock();
    let lines = [
        (items[0].0.as_str(), items[0].1.as_str(), 2),
        (items[1].0.as_str(), items[1].1.as_str(), 1),
    ];
    let select = call("select", "T-SELECT", &lines, "700073");
    let answer = haat_ondc::on_select(&counter, &select, &ledger(), now()).unwrap();
    assert_eq!(answer.error, None);
    assert_eq!(
        answer.message.order.fulfillments[0].state.descriptor.code,
        "Serviceable"
    );
    check_adds_up(&answer);
    check_tax(&answer, profile.registration, StateCode::WEST_BENGAL);
    check_golden("on_select_nadia", &answer);
    // An init of the same lines quotes the same, and echoes the buyer's billing details.
    let init = call("init", "T-SELECT", &lines, "700073");
    let initiated = haat_ondc::on_init(&counter, &init, &ledger(), now()).unwrap();
    assert_eq!(initiated.context.action, "on_init");
    assert_eq!(initiated.message.order.quote, answer.message.order.quote);
    assert_eq!(initiated.message.order.billing, init.message.order.billing);
}

#[test]
fn lines_the_seller_cannot_serve_are_refused() {
    let (profile, app) = (profile(), app());
    let counter = counter(&profile, &app, Charges::default());
    let items = in_stock();
    // More than the location holds.
    let select = call(
        "select",
        "T-MANY",
        &[(items[0].0.as_str(), items[0].1.as_str(), 5_000)],
        "700073",
    );
    let answer = haat_ondc::on_select(&counter, &select, &ledger(), now()).unwrap();
    assert_eq!(answer.error.as_ref().unwrap().code, "40002");
    assert!(answer.message.order.items.is_empty());
    assert_eq!(
        answer.message.order.fulfillments[0].state.descriptor.code,
        "Non-serviceable"
    );
    // A non-GST seller asked to deliver to Delhi.
    let non_gst = SellerProfile {
        registration: GstRegistration::NonGst {
            state: StateCode::WEST_BENGAL,
        },
        ..profile.clone()
    };
    let counter = Counter {
        seller: &non_gst,
        ..counter
    };
    let select = call(
        "select",
        "T-DELHI",
        &[(items[0].0.as_str(), items[0].1.as_str(), 1)],
        "110001",
    );
    let answer = haat_ondc::on_select(&counter, &select, &ledger(), now()).unwrap();
    assert_eq!(answer.error.as_ref().unwrap().code, "30009");
    // Within its state, the same seller is quoted, without tax.
    let select = call(
        "select",
        "T-HOME",
        &[(items[0].0.as_str(), items[0].1.as_str(), 1)],
        "700073",
    );
    let answer = haat_ondc::on_select(&counter, &select, &ledger(), now()).unwrap();
    assert_eq!(answer.error, None);
    let tax = &answer.message.order.quote.breakup[1];
    assert_eq!(
        (tax.title_type.as_str(), tax.price.value.as_str()),
        ("tax", "0.00")
    );
    // Another provider's order is not answered.
    let mut other = call(
        "select",
        "T-OTHER",
        &[(items[0].0.as_str(), items[0].1.as_str(), 1)],
        "700073",
    );
    other.message.order.provider.id = "999999".into();
    assert!(haat_ondc::on_select(&counter, &other, &ledger(), now()).is_err());
}

#[test]
fn a_confirm_places_the_order_once_and_status_and_cancel_follow_its_life() {
    let (profile, app) = (profile(), app());
    let counter = counter(
        &profile,
        &app,
        Charges {
            delivery: Money::from_rupees(60),
            packing: Money::ZERO,
        },
    );
    let items = in_stock();
    let lines = [(items[2].0.as_str(), items[2].1.as_str(), 1)];
    let confirm = call("confirm", "T-CONFIRM", &lines, "700073");
    let network = &world().network;
    let allocator = Allocator::new(network);
    let mut book = OrderBook::starting_at(haat_core::OrderId::new(5001));
    let mut stock = ledger();
    let place = |book: &mut OrderBook, stock: &mut StockLedger| {
        let checkout = Checkout {
            book,
            stock,
            allocator: &allocator,
            buyer: BuyerId::new(77),
        };
        haat_ondc::on_confirm(&counter, checkout, &confirm, now()).unwrap()
    };
    let first = place(&mut book, &mut stock);
    let levels = stock.levels();
    let again = place(&mut book, &mut stock);
    assert_eq!(first, again, "a retried confirm answers the first order");
    assert_eq!(stock.levels(), levels, "and reserves nothing more");
    assert_eq!(first.message.order.state.as_deref(), Some("Accepted"));
    check_adds_up(&first);
    check_tax(&first, profile.registration, StateCode::WEST_BENGAL);
    check_golden("on_confirm_nadia", &first);

    let id = first.message.order.id.clone().unwrap();
    let status = haat_ondc::on_status(&counter, &book, &confirm, &id, now()).unwrap();
    assert_eq!(
        status.message.order.fulfillments[0].state.descriptor.code,
        "Pending"
    );
    let cancelled =
        haat_ondc::on_cancel(&counter, &mut book, &mut stock, &confirm, &id, now()).unwrap();
    assert_eq!(cancelled.message.order.state.as_deref(), Some("Cancelled"));
    // Cancelling gives the held piece back.
    let before: u64 = ledger().levels().iter().map(|(_, q)| q.available()).sum();
    let after: u64 = stock.levels().iter().map(|(_, q)| q.available()).sum();
    assert_eq!(before, after);
    // A repeated cancel answers the same and gives nothing back twice.
    let again =
        haat_ondc::on_cancel(&counter, &mut book, &mut stock, &confirm, &id, now()).unwrap();
    assert_eq!(again.message.order.state.as_deref(), Some("Cancelled"));
    let twice: u64 = stock.levels().iter().map(|(_, q)| q.available()).sum();
    assert_eq!(twice, before);
}

/// A few PIN codes: within West Bengal, and in Delhi and Maharashtra.
const PINS: [(&str, StateCode); 3] = [
    ("700073", StateCode::WEST_BENGAL),
    ("110001", StateCode::new(7).unwrap()),
    ("400001", StateCode::new(27).unwrap()),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn quotes_add_up_tax_is_haats_and_confirm_is_idempotent(
        picks in prop::collection::vec((0usize..40, 1u32..4), 1..5),
        pin in 0usize..3,
        delivery in 0i64..20_000,
        packing in 0i64..5_000,
    ) {
        let (profile, app) = (profile(), app());
        let charges = Charges { delivery: Money::from_paise(delivery), packing: Money::from_paise(packing) };
        let counter = counter(&profile, &app, charges);
        let items = in_stock();
        let mut chosen: Vec<usize> = Vec::new();
        let lines: Vec<(&str, &str, u32)> = picks
            .iter()
            .filter(|(i, _)| { let fresh = !chosen.contains(&(i % items.len())); chosen.push(i % items.len()); fresh })
            .map(|(i, n)| { let (id, at) = &items[i % items.len()]; (id.as_str(), at.as_str(), *n) })
            .collect();
        let (pin, state) = PINS[pin];
        let transaction = format!("T-PROP-{pin}-{lines:?}");
        let select = call("select", &transaction, &lines, pin);
        let quote = haat_ondc::on_select(&counter, &select, &ledger(), now()).unwrap();
        check_adds_up(&quote);
        check_tax(&quote, profile.registration, state);
        let total: Money = Money::checked_sum(lines.iter().map(|(id, _, n)| {
            let listing = world().catalogue.get(haat_core::ListingId::new(id.parse().unwrap())).unwrap();
            listing.live().unwrap().price.checked_mul(u64::from(*n)).unwrap()
        })).unwrap();
        if quote.error.is_none() {
            let expected = Money::checked_sum([total, charges.delivery, charges.packing]).unwrap();
            prop_assert_eq!(money(&quote.message.order.quote.price.value), expected);
        }

        // Confirm twice: one order, the same answer, nothing reserved twice.
        let allocator = Allocator::new(&world().network);
        let mut book = OrderBook::starting_at(haat_core::OrderId::new(1));
        let mut stock = ledger();
        let confirm = call("confirm", &transaction, &lines, pin);
        let first = haat_ondc::on_confirm(&counter, Checkout { book: &mut book, stock: &mut stock, allocator: &allocator, buyer: BuyerId::new(9) }, &confirm, now());
        let levels = stock.levels();
        let again = haat_ondc::on_confirm(&counter, Checkout { book: &mut book, stock: &mut stock, allocator: &allocator, buyer: BuyerId::new(9) }, &confirm, now());
        match (first, again) {
            (Ok(first), Ok(again)) => {
                prop_assert_eq!(&first, &again);
                prop_assert_eq!(stock.levels(), levels);
                prop_assert_eq!(book.orders().count(), 1);
                check_adds_up(&first);
                check_tax(&first, profile.registration, state);
            }
            (Err(_), Err(_)) => prop_assert_eq!(book.orders().count(), 0),
            (first, again) => prop_assert!(false, "first {first:?}, again {again:?}"),
        }
    }
}

#[test]
fn the_pin_codes_are_where_the_tests_say() {
    for (pin, state) in PINS {
        let pin: PinCode = pin.parse().unwrap();
        assert_eq!(pin.location().unwrap().states(), [state]);
    }
}
