//! The command handler against both backends: load, decide, append, retry, first outcomes,
//! claims, snapshots, checkout and an order's steps across the ledger and the order.
//!
//! PostgreSQL follows the conformance suite's rule: `HAAT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`), skipped with one line when unreachable unless
//! `HAAT_REQUIRE_POSTGRES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "conformance/harness.rs"]
mod harness;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use haat_catalogue::{
    GstRateTable, GstRegistration, Listing, ListingCommand, ListingContent, ListingStatus, Taxonomy,
};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, StaffId};
use haat_inventory::{
    AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation, StockKey,
};
use haat_orders::{
    BuyerId, Cart, CartLine, CheckoutRequest, CheckoutTerms, Cycle, ListingView, Market, Order,
    OrderCommand, OrderStatus, SellerView, ShelfSnapshot, Statement,
};
use haat_seller::{
    BankDetails, BusinessAddress, GstStatus, InclusionTag, KycSubmission, Seller, SellerCommand,
    SellerStatus, gstin_check_character,
};
use haat_store::{
    Aggregate, Batched, CommandHandler, CommandId, EventStore, HandlerError, InvoiceCommand,
    IssueStatement, ListingState, Metadata, SellerInvoices, SellerSettlement, SellerStock,
    SettlementError, SettlementEvent, Upcasters,
};
use harness::{Harness, PgHarness, SqliteHarness};
use proptest::prelude::*;

/// One test per backend for each generic check below.
macro_rules! both {
    ($($check:ident),* $(,)?) => {
        $(
            mod $check {
                #[test]
                fn sqlite() {
                    let h = crate::SqliteHarness::new();
                    crate::$check(&h);
                }

                #[test]
                fn postgres() {
                    if let Some(h) = crate::PgHarness::new() {
                        crate::$check(&h);
                    }
                }
            }
        )*
    };
}

both!(
    onboarding_loads_what_was_decided,
    a_retried_command_answers_its_first_outcome_after_a_restart,
    racing_writers_lose_nothing,
    a_gstin_and_a_sku_belong_to_one_stream,
    a_snapshot_of_another_schema_is_ignored,
    a_command_for_another_stream_is_refused,
    checkout_never_oversells_under_racing_buyers,
    an_order_step_moves_the_order_and_its_stock,
    a_batch_answers_each_command_as_one_by_one,
    a_cycle_is_settled_once_and_in_order,
    loading_many_equals_loading_one_by_one,
);

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 0, 0).unwrap() + TimeDelta::minutes(minute)
}

fn meta(actor: Actor, minute: i64, command: Option<&str>) -> Metadata {
    let meta = Metadata::new(actor, at(minute));
    match command {
        Some(id) => meta.with_command(CommandId::new(id).unwrap()),
        None => meta,
    }
}

fn staff() -> Actor {
    Actor::Operations(StaffId::new(9))
}

fn kyc(n: u64, pan_serial: u64) -> KycSubmission {
    let pan = format!("ABCPK{:04}Z", pan_serial);
    let first14 = format!("19{pan}1Z");
    let check = gstin_check_character(&first14).unwrap();
    KycSubmission {
        legal_name: format!("Tant Ghar {n}"),
        pan: pan.parse().unwrap(),
        gst: GstStatus::Registered(format!("{first14}{check}").parse().unwrap()),
        address: BusinessAddress {
            lines: "Shantipur, Nadia".into(),
            pin_code: "741404".parse().unwrap(),
        },
        bank: BankDetails {
            account: format!("{:012}", 100_000_000 + n).parse().unwrap(),
            ifsc: "SBIN0000123".parse().unwrap(),
            holder_name: format!("Tant Ghar {n}"),
        },
        udyam: None,
        email: format!("seller{n}@example.in").parse().unwrap(),
    }
}

fn register(seller: SellerId) -> SellerCommand {
    SellerCommand::Register {
        actor: Actor::Seller(seller),
        seller,
        display_name: format!("Tant Ghar {}", seller.get()),
        mobile: "9830012345".parse().unwrap(),
        pin_code: "741404".parse().unwrap(),
        tags: [InclusionTag::Weaver].into(),
        referral: None,
    }
}

/// Registers, submits KYC, verifies and activates `seller` (KYC's PAN serial = its id).
fn onboard<S: EventStore>(handler: &CommandHandler<'_, S>, seller: SellerId) {
    let me = Actor::Seller(seller);
    let n = seller.get();
    let steps = [
        (me, register(seller)),
        (
            me,
            SellerCommand::SubmitKyc {
                actor: me,
                submission: kyc(n, n),
            },
        ),
        (staff(), SellerCommand::VerifyKyc { actor: staff() }),
        (staff(), SellerCommand::Activate { actor: staff() }),
    ];
    for (i, (actor, command)) in steps.iter().enumerate() {
        handler
            .handle::<Seller>(&(), &seller, command, &meta(*actor, i as i64, None))
            .unwrap();
    }
}

fn content(sku: &str) -> ListingContent {
    serde_json::from_value(serde_json::json!({
        "title": "Handwoven Shantipuri cotton saree, red and white",
        "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.",
        "category": "textiles/sarees/handloom/shantipuri",
        "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
                       "gi_tag": true, "length_m": 5.5},
        "images": ["https://img.example.in/shantipuri-1.jpg",
                   "https://img.example.in/shantipuri-2.jpg",
                   "https://img.example.in/shantipuri-3.jpg"],
        "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": sku
    }))
    .unwrap()
}

fn taxonomy() -> Arc<Taxonomy> {
    Arc::new(Taxonomy::west_bengal_default())
}

/// A live listing of `seller` under `sku`.
fn list<S: EventStore>(
    handler: &CommandHandler<'_, S>,
    seller: SellerId,
    listing: ListingId,
    sku: &str,
) {
    let me = Actor::Seller(seller);
    let t = taxonomy();
    let steps = [
        ListingCommand::CreateDraft {
            actor: me,
            listing,
            seller,
            content: content(sku),
        },
        ListingCommand::SubmitForReview { actor: me, listing },
        ListingCommand::PassReview {
            actor: staff(),
            listing,
        },
        ListingCommand::Activate { actor: me, listing },
    ];
    for (i, command) in steps.iter().enumerate() {
        handler
            .handle::<ListingState>(
                &t,
                &listing,
                command,
                &meta(command.actor(), 10 + i as i64, None),
            )
            .unwrap();
    }
}

const HUB: u64 = 2001;

fn count_in<S: EventStore>(
    handler: &CommandHandler<'_, S>,
    seller: SellerId,
    sku: &str,
    units: u64,
    key: u128,
) {
    let command = Command::new(
        Actor::Seller(seller),
        IdempotencyKey::new(key),
        Operation::Adjust {
            key: StockKey::new(seller, sku.parse().unwrap(), LocationId::new(HUB)),
            expected_on_hand: 0,
            counted_on_hand: units,
            reason: AdjustmentReason::Found,
        },
    );
    handler
        .handle::<SellerStock>(
            &(),
            &seller,
            &command,
            &meta(Actor::Seller(seller), 20, None),
        )
        .unwrap();
}

fn shelf<S: EventStore>(
    handler: &CommandHandler<'_, S>,
    seller: SellerId,
    listing: ListingId,
) -> ShelfSnapshot {
    let mut shelf = ShelfSnapshot::default();
    let s = handler.load::<Seller>(&seller).unwrap().state;
    shelf.put_seller(SellerView {
        seller,
        status: s.status().unwrap(),
        registration: GstRegistration::Registered {
            state: s.home_state().unwrap(),
        },
    });
    let l = handler
        .load::<ListingState>(&listing)
        .unwrap()
        .state
        .0
        .unwrap();
    let live = l.live().unwrap();
    shelf.put_listing(ListingView {
        listing,
        seller,
        sku: l.sku().clone(),
        category: live.category.clone(),
        hsn: live.hsn,
        price: live.price,
        mrp: live.mrp.unwrap_or(live.price),
        live: l.is_active(),
        return_days: 7,
    });
    shelf
}

fn onboarding_loads_what_was_decided<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let seller = SellerId::new(1);
    onboard(&handler, seller);
    let loaded = handler.load::<Seller>(&seller).unwrap();
    assert_eq!(loaded.version, 4);
    assert_eq!(loaded.state.status(), Some(SellerStatus::Active));
    // The state loaded is the domain's replay of the stored events.
    let stream = loaded.stream.clone();
    let events: Vec<_> = h
        .store()
        .read_stream(&stream, 0)
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e.payload.clone()).unwrap())
        .collect();
    assert_eq!(Seller::replay(&events), loaded.state);
    let types: Vec<_> = h
        .store()
        .read_stream(&stream, 0)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        types,
        [
            "seller.seller_registered",
            "seller.kyc_submitted",
            "seller.kyc_verified",
            "seller.seller_activated"
        ]
    );
}

fn a_retried_command_answers_its_first_outcome_after_a_restart<H: Harness>(h: &H) {
    let seller = SellerId::new(3);
    let first = {
        let handler = CommandHandler::new(h.store());
        handler
            .handle::<Seller>(
                &(),
                &seller,
                &register(seller),
                &meta(Actor::Seller(seller), 0, Some("reg-3")),
            )
            .unwrap()
    };
    assert!(!first.replayed);
    // A restarted process (a new store on the same data) gets the same answer, and nothing
    // is appended, even though deciding again would now refuse or emit nothing.
    let reopened = h.reopen(Upcasters::pass_through());
    let handler = CommandHandler::new(&reopened);
    let again = handler
        .handle::<Seller>(
            &(),
            &seller,
            &register(seller),
            &meta(Actor::Seller(seller), 5, Some("reg-3")),
        )
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.events, first.events);
    assert_eq!(again.version, first.version);
    assert_eq!(again.positions, first.positions);
    assert_eq!(h.store().stream_version(&first.stream).unwrap(), 1);
    // A refused command records nothing: the same id decides again once it can succeed.
    let submit = SellerCommand::SubmitKyc {
        actor: Actor::Seller(seller),
        submission: kyc(3, 3),
    };
    let early = handler.handle::<Seller>(
        &(),
        &SellerId::new(4),
        &submit,
        &meta(Actor::Seller(seller), 6, Some("kyc-3")),
    );
    assert!(matches!(early, Err(HandlerError::Refused(_))));
    let later = handler
        .handle::<Seller>(
            &(),
            &seller,
            &submit,
            &meta(Actor::Seller(seller), 7, Some("kyc-3")),
        )
        .unwrap();
    assert!(!later.replayed);
    assert_eq!(later.version, 2);
}

fn racing_writers_lose_nothing<H: Harness>(h: &H) {
    let seller = SellerId::new(5);
    let threads = 4u64;
    let each = 6u64;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let store = h.store();
            scope.spawn(move || {
                let handler = CommandHandler::new(store).with_attempts(200);
                for i in 0..each {
                    count_in(
                        &handler,
                        seller,
                        &format!("SKU-{t}-{i}"),
                        t + 1,
                        u128::from(t * 100 + i + 1),
                    );
                }
            });
        }
    });
    let handler = CommandHandler::new(h.store());
    let ledger = handler.load::<SellerStock>(&seller).unwrap();
    for t in 0..threads {
        for i in 0..each {
            let key = StockKey::new(
                seller,
                format!("SKU-{t}-{i}").parse().unwrap(),
                LocationId::new(HUB),
            );
            assert_eq!(ledger.state.0.quantities(&key).on_hand(), t + 1);
        }
    }
    // The ledger's own sequence numbers and the stream's versions are one numbering.
    assert_eq!(ledger.state.0.next_seq(), ledger.version + 1);
}

fn a_gstin_and_a_sku_belong_to_one_stream<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let (a, b) = (SellerId::new(7), SellerId::new(8));
    for s in [a, b] {
        handler
            .handle::<Seller>(&(), &s, &register(s), &meta(Actor::Seller(s), 0, None))
            .unwrap();
    }
    let submit = |s: SellerId| SellerCommand::SubmitKyc {
        actor: Actor::Seller(s),
        submission: kyc(s.get(), 77),
    };
    handler
        .handle::<Seller>(&(), &a, &submit(a), &meta(Actor::Seller(a), 1, None))
        .unwrap();
    // Seller b declares seller a's GSTIN: refused, nothing appended.
    let taken = handler.handle::<Seller>(&(), &b, &submit(b), &meta(Actor::Seller(b), 2, None));
    assert!(
        matches!(taken, Err(HandlerError::Claimed { .. })),
        "{taken:?}"
    );
    assert_eq!(handler.load::<Seller>(&b).unwrap().version, 1);
    // Seller a resubmitting its own GSTIN keeps its claim.
    let mut again = kyc(a.get(), 77);
    again.email = "other@example.in".parse().unwrap();
    handler
        .handle::<Seller>(
            &(),
            &a,
            &SellerCommand::SubmitKyc {
                actor: Actor::Seller(a),
                submission: again,
            },
            &meta(Actor::Seller(a), 3, None),
        )
        .unwrap();

    // Racing drafts of one SKU: exactly one listing gets it.
    let t = taxonomy();
    let winners: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4u64)
            .map(|i| {
                let (store, t) = (h.store(), Arc::clone(&t));
                scope.spawn(move || {
                    let handler = CommandHandler::new(store);
                    let listing = ListingId::new(700 + i);
                    let create = ListingCommand::CreateDraft {
                        actor: Actor::Seller(a),
                        listing,
                        seller: a,
                        content: content("TANT-RED"),
                    };
                    handler
                        .handle::<ListingState>(
                            &t,
                            &listing,
                            &create,
                            &meta(Actor::Seller(a), 4, None),
                        )
                        .is_ok()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum()
    });
    assert_eq!(winners, 1);
    // Another seller's same SKU is its own.
    let listing = ListingId::new(800);
    let create = ListingCommand::CreateDraft {
        actor: Actor::Seller(b),
        listing,
        seller: b,
        content: content("TANT-RED"),
    };
    handler
        .handle::<ListingState>(&t, &listing, &create, &meta(Actor::Seller(b), 5, None))
        .unwrap();
}

fn a_snapshot_of_another_schema_is_ignored<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store()).with_snapshot_every(2);
    let seller = SellerId::new(9);
    let listing = ListingId::new(90);
    list(&handler, seller, listing, "SNAP-1");
    let loaded = handler.load::<ListingState>(&listing).unwrap();
    assert!(loaded.from_snapshot);
    assert_eq!(loaded.version, 4);
    assert_eq!(
        loaded.state.0.as_ref().map(Listing::status),
        Some(ListingStatus::Active)
    );
    // A snapshot written by another release's schema is not read: the events are replayed.
    let stream = loaded.stream.clone();
    h.store()
        .save_snapshot(&stream, 5, 99, &serde_json::json!({"not": "a listing"}))
        .unwrap();
    let replayed = handler.load::<ListingState>(&listing).unwrap();
    assert!(!replayed.from_snapshot);
    assert_eq!(replayed.state, loaded.state);
    assert_eq!(replayed.version, 4);
}

fn a_command_for_another_stream_is_refused<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let wrong = handler.handle::<Seller>(
        &(),
        &SellerId::new(11),
        &register(SellerId::new(12)),
        &meta(Actor::System, 0, None),
    );
    assert!(matches!(wrong, Err(HandlerError::WrongStream { .. })));
    // A stock count of seller 12's cell sent to seller 11's ledger.
    let command = Command::new(
        Actor::System,
        IdempotencyKey::new(1),
        Operation::Adjust {
            key: StockKey::new(
                SellerId::new(12),
                "X-1".parse().unwrap(),
                LocationId::new(HUB),
            ),
            expected_on_hand: 0,
            counted_on_hand: 3,
            reason: AdjustmentReason::Found,
        },
    );
    let wrong = handler.handle::<SellerStock>(
        &(),
        &SellerId::new(11),
        &command,
        &meta(Actor::System, 0, None),
    );
    assert!(matches!(wrong, Err(HandlerError::WrongStream { .. })));
    assert_eq!(h.store().head_position().unwrap(), 0);
}

fn checkout_never_oversells_under_racing_buyers<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let seller = SellerId::new(13);
    let listing = ListingId::new(130);
    onboard(&handler, seller);
    list(&handler, seller, listing, "RACE-1");
    count_in(&handler, seller, "RACE-1", 5, 1);
    let shelf = shelf(&handler, seller, listing);
    let network = Network::west_bengal_reference().unwrap();
    let allocator = Allocator::new(&network);
    let placed: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4u64)
            .map(|t| {
                let (store, shelf, allocator) = (h.store(), &shelf, &allocator);
                scope.spawn(move || {
                    let handler = CommandHandler::new(store).with_attempts(200);
                    let market = Market {
                        shelf,
                        rates: GstRateTable::india(),
                        allocator,
                        terms: CheckoutTerms::default(),
                    };
                    let mut placed = 0;
                    for i in 0..3u64 {
                        let n = 1000 + t * 10 + i;
                        let request = CheckoutRequest {
                            actor: Actor::System,
                            key: IdempotencyKey::new(u128::from(n)),
                            cart: Cart {
                                buyer: BuyerId::new(n),
                                pin_code: "700001".parse().unwrap(),
                                lines: vec![CartLine {
                                    listing,
                                    quantity: 1,
                                }],
                            },
                        };
                        let id = format!("checkout-{n}");
                        match handler.checkout(
                            &market,
                            OrderId::new(n),
                            &request,
                            &meta(Actor::System, 30, Some(&id)),
                        ) {
                            Ok(done) => {
                                assert_eq!(done.events.len(), 1);
                                placed += 1;
                            }
                            Err(HandlerError::Refused(haat_orders::Error::CheckoutRefused {
                                ..
                            })) => {}
                            Err(other) => panic!("{other}"),
                        }
                    }
                    placed
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(placed, 5, "five units, twelve buyers: exactly five orders");
    let ledger = handler.load::<SellerStock>(&seller).unwrap().state.0;
    let key = StockKey::new(seller, "RACE-1".parse().unwrap(), LocationId::new(HUB));
    let q = ledger.quantities(&key);
    assert_eq!((q.on_hand(), q.reserved(), q.available()), (5, 5, 0));
}

fn an_order_step_moves_the_order_and_its_stock<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let seller = SellerId::new(14);
    let listing = ListingId::new(140);
    onboard(&handler, seller);
    list(&handler, seller, listing, "STEP-1");
    count_in(&handler, seller, "STEP-1", 4, 1);
    let shelf = shelf(&handler, seller, listing);
    let network = Network::west_bengal_reference().unwrap();
    let allocator = Allocator::new(&network);
    let market = Market {
        shelf: &shelf,
        rates: GstRateTable::india(),
        allocator: &allocator,
        terms: CheckoutTerms::default(),
    };
    let request = CheckoutRequest {
        actor: Actor::System,
        key: IdempotencyKey::new(77),
        cart: Cart {
            buyer: BuyerId::new(1),
            pin_code: "700001".parse().unwrap(),
            lines: vec![CartLine {
                listing,
                quantity: 3,
            }],
        },
    };
    let order = OrderId::new(500);
    let placed = handler
        .checkout(
            &market,
            order,
            &request,
            &meta(Actor::System, 30, Some("co-500")),
        )
        .unwrap();
    let again = handler
        .checkout(
            &market,
            order,
            &request,
            &meta(Actor::System, 30, Some("co-500")),
        )
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.events, placed.events);
    // Another command may not take the order id.
    let taken = handler.checkout(
        &market,
        order,
        &request,
        &meta(Actor::System, 31, Some("co-other")),
    );
    assert!(matches!(taken, Err(HandlerError::StreamExists { .. })));

    let key = StockKey::new(seller, "STEP-1".parse().unwrap(), LocationId::new(HUB));
    let stock = |h: &CommandHandler<'_, H::Store>| {
        h.load::<SellerStock>(&seller)
            .unwrap()
            .state
            .0
            .quantities(&key)
    };
    assert_eq!(
        (stock(&handler).on_hand(), stock(&handler).reserved()),
        (4, 3)
    );
    for (minute, command) in [
        (
            40,
            OrderCommand::Pack {
                actor: Actor::System,
                order,
            },
        ),
        (
            50,
            OrderCommand::Dispatch {
                actor: Actor::System,
                order,
            },
        ),
    ] {
        let id = format!("step-{minute}");
        handler
            .execute_order(&command, &meta(Actor::System, minute, Some(&id)))
            .unwrap();
        // Retried: the first outcome, and the stock moved once.
        let retry = handler
            .execute_order(&command, &meta(Actor::System, minute, Some(&id)))
            .unwrap();
        assert!(retry.replayed);
    }
    let order_state = handler.load::<Order>(&order).unwrap().state;
    assert_eq!(order_state.status(), Some(OrderStatus::Dispatched));
    let q = stock(&handler);
    assert_eq!((q.on_hand(), q.reserved(), q.available()), (1, 0, 1));
    assert_eq!(Money::from_rupees(2450 * 3), order_state.value().unwrap());

    // The packed order's tax invoice, in the seller's document register.
    let gstin = match kyc(14, 14).gst {
        GstStatus::Registered(gstin) => Some(gstin),
        GstStatus::NonGst(_) => None,
    };
    let invoice = InvoiceCommand::Invoice {
        actor: Actor::System,
        seller,
        order,
    };
    let context = (order_state.clone(), gstin);
    let issued = handler
        .handle::<SellerInvoices>(
            &context,
            &seller,
            &invoice,
            &meta(Actor::System, 55, Some("inv-500")),
        )
        .unwrap();
    assert_eq!(
        (issued.stream.to_string(), issued.version),
        ("invoices/14".to_owned(), 1)
    );
    let stored = h.store().read_stream(&issued.stream, 0).unwrap();
    assert_eq!(stored[0].event_type, "invoices.invoice_issued");
    let register = handler.load::<SellerInvoices>(&seller).unwrap().state;
    assert_eq!(
        register.0.invoice_of(order),
        Some(issued.events[0].document())
    );
    // Issued once: a second invoice of the order is the register's refusal.
    let twice = handler.handle::<SellerInvoices>(
        &context,
        &seller,
        &invoice,
        &meta(Actor::System, 56, None),
    );
    assert!(matches!(
        twice,
        Err(HandlerError::Refused(
            haat_orders::Error::AlreadyInvoiced { .. }
        ))
    ));
    // The register decides only on the order it was shown.
    let other = InvoiceCommand::Invoice {
        actor: Actor::System,
        seller,
        order: OrderId::new(501),
    };
    let unknown =
        handler.handle::<SellerInvoices>(&context, &seller, &other, &meta(Actor::System, 57, None));
    assert!(matches!(
        unknown,
        Err(HandlerError::Refused(
            haat_orders::Error::UnknownOrder { .. }
        ))
    ));
}

/// A seller's settlement stream: statements stored and loaded back, one per cycle, in order.
fn a_cycle_is_settled_once_and_in_order<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let seller = SellerId::new(15);
    let week = |first: (i32, u32, u32)| {
        let first = NaiveDate::from_ymd_opt(first.0, first.1, first.2).unwrap();
        Cycle {
            first,
            last: first + chrono::Days::new(6),
        }
    };
    let statement = |cycle: Cycle, rupees: i64| Statement {
        seller,
        cycle,
        entries: Vec::new(),
        gross: Money::from_rupees(rupees),
        deductions: Vec::new(),
        net: Money::from_rupees(rupees),
    };
    let issue = |cycle, rupees, waived| IssueStatement {
        statement: statement(cycle, rupees),
        commission_waived: Money::from_rupees(waived),
    };
    let (first, second) = (week((2025, 9, 29)), week((2025, 10, 6)));
    let issued = handler
        .handle::<SellerSettlement>(
            &(),
            &seller,
            &issue(first, 900, 40),
            &meta(Actor::System, 0, Some("settle-1")),
        )
        .unwrap();
    assert_eq!(issued.stream.to_string(), "settlement/15");
    assert_eq!(
        h.store().read_stream(&issued.stream, 0).unwrap()[0].event_type,
        "settlement.statement_issued"
    );
    handler
        .handle::<SellerSettlement>(
            &(),
            &seller,
            &issue(second, 700, 0),
            &meta(Actor::System, 1, None),
        )
        .unwrap();
    // Stored and read back: the same statements, and the state they make.
    let loaded = handler.load::<SellerSettlement>(&seller).unwrap();
    assert_eq!((loaded.version, loaded.state.statements()), (2, 2));
    assert_eq!(loaded.state.last_cycle(), Some(second));
    let events: Vec<SettlementEvent> = h
        .store()
        .read_stream(&issued.stream, 0)
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e.payload.clone()).unwrap())
        .collect();
    assert_eq!(events[0], issued.events[0]);
    assert_eq!(events[1].statement(), &statement(second, 700));
    // The first cycle again, or an earlier one: refused.
    for cycle in [first, second, week((2025, 9, 22))] {
        let again = handler.handle::<SellerSettlement>(
            &(),
            &seller,
            &issue(cycle, 1, 0),
            &meta(Actor::System, 2, None),
        );
        assert!(
            matches!(
                again,
                Err(HandlerError::Refused(SettlementError::CycleSettled { .. }))
            ),
            "{cycle} settled twice: {again:?}"
        );
    }
    // Another seller's statement is not this stream's.
    let stray = IssueStatement {
        statement: Statement {
            seller: SellerId::new(16),
            ..statement(week((2025, 10, 13)), 5)
        },
        commission_waived: Money::ZERO,
    };
    let wrong =
        handler.handle::<SellerSettlement>(&(), &seller, &stray, &meta(Actor::System, 3, None));
    assert!(matches!(wrong, Err(HandlerError::WrongStream { .. })));
}

fn a_batch_answers_each_command_as_one_by_one<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let (a, b, c) = (SellerId::new(21), SellerId::new(22), SellerId::new(23));
    // Seller a registered earlier under command id "reg-21".
    handler
        .handle::<Seller>(
            &(),
            &a,
            &register(a),
            &meta(Actor::Seller(a), 0, Some("reg-21")),
        )
        .unwrap();
    let kyc_of = |s: SellerId, pan: u64| SellerCommand::SubmitKyc {
        actor: Actor::Seller(s),
        submission: kyc(s.get(), pan),
    };
    let batch = vec![
        // A retry of a's registration: its first outcome.
        Batched::<Seller> {
            id: a,
            command: register(a),
            meta: meta(Actor::Seller(a), 1, Some("reg-21")),
        },
        // b registers and submits KYC in the same batch: the second sees the first.
        Batched {
            id: b,
            command: register(b),
            meta: meta(Actor::Seller(b), 1, Some("reg-22")),
        },
        Batched {
            id: b,
            command: kyc_of(b, 2201),
            meta: meta(Actor::Seller(b), 2, Some("kyc-22")),
        },
        // c registers and claims b's GSTIN: refused by the claim, b keeps it.
        Batched {
            id: c,
            command: register(c),
            meta: meta(Actor::Seller(c), 1, None),
        },
        Batched {
            id: c,
            command: kyc_of(c, 2201),
            meta: meta(Actor::Seller(c), 2, None),
        },
        // c then submits its own: its stream moved past the refused append's plan, so it is
        // decided again on its own, and succeeds.
        Batched {
            id: c,
            command: kyc_of(c, 2301),
            meta: meta(Actor::Seller(c), 3, None),
        },
        // A command for another stream, and one the domain refuses.
        Batched {
            id: b,
            command: register(c),
            meta: meta(Actor::System, 4, None),
        },
        Batched {
            id: SellerId::new(29),
            command: SellerCommand::Activate { actor: staff() },
            meta: meta(staff(), 4, None),
        },
        // The same command id twice in one batch: the second answers the first's outcome.
        Batched {
            id: SellerId::new(24),
            command: register(SellerId::new(24)),
            meta: meta(Actor::System, 5, Some("reg-24")),
        },
        Batched {
            id: SellerId::new(24),
            command: register(SellerId::new(24)),
            meta: meta(Actor::System, 5, Some("reg-24")),
        },
    ];
    let answers = handler.handle_batch(&(), &batch).unwrap();
    assert_eq!(answers.len(), batch.len());
    let versions: Vec<Option<(u64, bool)>> = answers
        .iter()
        .map(|a| a.as_ref().ok().map(|h| (h.version, h.replayed)))
        .collect();
    assert_eq!(
        versions,
        [
            Some((1, true)),
            Some((1, false)),
            Some((2, false)),
            Some((1, false)),
            None,
            Some((2, false)),
            None,
            None,
            Some((1, false)),
            Some((1, true)),
        ]
    );
    assert!(matches!(answers[4], Err(HandlerError::Claimed { .. })));
    assert!(matches!(answers[6], Err(HandlerError::WrongStream { .. })));
    assert!(matches!(answers[7], Err(HandlerError::Refused(_))));
    for (s, version) in [(a, 1), (b, 2), (c, 2), (SellerId::new(24), 1)] {
        assert_eq!(
            handler.load::<Seller>(&s).unwrap().version,
            version,
            "seller {s}"
        );
    }
}

/// `load_many` (what a batch loads with: all snapshots in one call, all tails in another)
/// answers what `load` answers for each id: from a snapshot, past a snapshot of another
/// schema, from no events at all, and for an id asked twice.
fn loading_many_equals_loading_one_by_one<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store()).with_snapshot_every(3);
    let seller = SellerId::new(12);
    let t = taxonomy();
    for n in 1..=3u64 {
        list(
            &handler,
            seller,
            ListingId::new(120 + n),
            &format!("MANY-{n}"),
        );
    }
    // Listing 122 moves past its snapshot (version 3) by two more events.
    for rupees in [1_900, 2_100] {
        let command = listing_command(&Step::Price(rupees), seller, ListingId::new(122));
        handler
            .handle::<ListingState>(
                &t,
                &ListingId::new(122),
                &command,
                &meta(command.actor(), 30, None),
            )
            .unwrap();
    }
    // Listing 123's snapshot is of another schema: it is replayed from its first event.
    let stale = handler.load::<ListingState>(&ListingId::new(123)).unwrap();
    h.store()
        .save_snapshot(
            &stale.stream,
            4,
            99,
            &serde_json::json!({"not": "a listing"}),
        )
        .unwrap();
    let ids = [121, 122, 123, 129, 122].map(ListingId::new);
    let many = handler.load_many::<ListingState>(&ids).unwrap();
    let one_by_one: Vec<_> = ids
        .iter()
        .map(|id| handler.load::<ListingState>(id).unwrap())
        .collect();
    assert_eq!(many, one_by_one);
    let shape: Vec<(u64, bool)> = many.iter().map(|l| (l.version, l.from_snapshot)).collect();
    assert_eq!(
        shape,
        [(4, true), (6, true), (4, false), (0, false), (6, true)]
    );
}

// ---- properties (SQLite in memory; bounded) ----------------------------------------------

/// A listing command a property test draws.
#[derive(Clone, Debug)]
enum Step {
    Price(i64),
    Submit,
    Pass,
    Activate,
    Deactivate,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1_000i64..2_800).prop_map(Step::Price),
        Just(Step::Submit),
        Just(Step::Pass),
        Just(Step::Activate),
        Just(Step::Deactivate),
    ]
}

fn listing_command(step: &Step, seller: SellerId, listing: ListingId) -> ListingCommand {
    let me = Actor::Seller(seller);
    match step {
        Step::Price(rupees) => ListingCommand::EditPrice {
            actor: me,
            listing,
            price: Money::from_rupees(*rupees),
            mrp: Some(Money::from_rupees(2_800)),
        },
        Step::Submit => ListingCommand::SubmitForReview { actor: me, listing },
        Step::Pass => ListingCommand::PassReview {
            actor: staff(),
            listing,
        },
        Step::Activate => ListingCommand::Activate { actor: me, listing },
        Step::Deactivate => ListingCommand::Deactivate { actor: me, listing },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// However the listings' histories and the snapshot interval fall, loading them together
    /// answers what loading each one alone answers.
    #[test]
    fn loading_many_equals_loading_each(
        histories in proptest::collection::vec(proptest::collection::vec(step(), 0..10), 1..5),
        every in 0u64..4,
        asked in proptest::collection::vec(0u64..6, 0..8),
    ) {
        let store = haat_store::SqliteStore::in_memory().unwrap();
        let handler = CommandHandler::new(&store).with_snapshot_every(every);
        let seller = SellerId::new(1);
        let t = taxonomy();
        for (n, steps) in histories.iter().enumerate() {
            let listing = ListingId::new(n as u64 + 1);
            let create = ListingCommand::CreateDraft {
                actor: Actor::Seller(seller), listing, seller, content: content(&format!("P-{n}")),
            };
            for (i, command) in std::iter::once(create)
                .chain(steps.iter().map(|s| listing_command(s, seller, listing)))
                .enumerate()
            {
                let _ = handler.handle::<ListingState>(&t, &listing, &command, &meta(command.actor(), i as i64, None));
            }
        }
        let ids: Vec<ListingId> = asked.into_iter().map(ListingId::new).collect();
        let many = handler.load_many::<ListingState>(&ids).unwrap();
        let one_by_one: Vec<_> = ids.iter().map(|id| handler.load::<ListingState>(id).unwrap()).collect();
        prop_assert_eq!(many, one_by_one);
    }

    /// Loading from a snapshot and the events after it gives the state a replay of every
    /// event gives, whatever the snapshot interval; and a command retried under its id
    /// answers its first outcome and appends nothing.
    #[test]
    fn snapshot_and_tail_equal_a_full_replay_and_retries_answer_first(
        steps in proptest::collection::vec(step(), 1..24),
        every in 1u64..6,
        retried in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let store = haat_store::SqliteStore::in_memory().unwrap();
        let handler = CommandHandler::new(&store).with_snapshot_every(every);
        let (seller, listing) = (SellerId::new(1), ListingId::new(1));
        let t = taxonomy();
        let create = ListingCommand::CreateDraft {
            actor: Actor::Seller(seller), listing, seller, content: content("PROP-1"),
        };
        let mut outcomes = Vec::new();
        for (i, command) in std::iter::once(create)
            .chain(steps.iter().map(|s| listing_command(s, seller, listing)))
            .enumerate()
        {
            let id = format!("c-{i}");
            let m = meta(command.actor(), i as i64, Some(&id));
            if let Ok(done) = handler.handle::<ListingState>(&t, &listing, &command, &m) {
                prop_assert!(!done.replayed);
                outcomes.push((command, id, done));
            }
        }
        let loaded = handler.load::<ListingState>(&listing).unwrap();
        let mut replayed = ListingState::default();
        for stored in store.read_stream(&loaded.stream, 0).unwrap() {
            replayed.apply(&serde_json::from_value(stored.payload).unwrap());
        }
        prop_assert_eq!(&loaded.state, &replayed);
        prop_assert_eq!(loaded.from_snapshot, loaded.version >= every);
        for index in retried {
            let (command, id, first) = &outcomes[index.index(outcomes.len())];
            let m = meta(command.actor(), 999, Some(id));
            let again = handler.handle::<ListingState>(&t, &listing, command, &m).unwrap();
            prop_assert!(again.replayed);
            prop_assert_eq!(&again.events, &first.events);
            prop_assert_eq!(again.version, first.version);
            prop_assert_eq!(&again.positions, &first.positions);
        }
        prop_assert_eq!(store.stream_version(&loaded.stream).unwrap(), loaded.version);
    }
}
