//! Incremental updates: price, stock and withdrawn listings since a checkpoint.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use haat_catalogue::ListingCommand;
use haat_core::{Actor, ListingId, Money};
use haat_inventory::{Command, IdempotencyKey, Operation, ReservationOwner, ReserveLine, StockKey};
use haat_ondc::{CatalogueInput, Language, SellerTerms};

use crate::catalogue::nadia;
use crate::fixtures::{app, request, storefront, world};
use crate::rules::check_catalogue;

#[test]
fn changes_since_a_checkpoint_are_the_price_stock_and_withdrawn_items() {
    let world = world();
    let seller = nadia();
    let me = Actor::Seller(seller);
    let since = world.now;
    let later = since + Duration::minutes(5);
    let mut catalogue = world.catalogue.clone();
    let mut stock = world.ledgers[&seller].clone();
    let live: Vec<ListingId> = world
        .listings_of(seller)
        .iter()
        .filter(|l| l.is_active())
        .map(|l| l.id())
        .take(4)
        .collect();
    let [repriced, withdrawn, sold, untouched] = live[..] else {
        panic!("four live listings");
    };
    let mut events = Vec::new();
    // A price change at the checkpoint itself is already known to the buyer app.
    let old = catalogue.get(untouched).unwrap().live().unwrap().clone();
    events.extend(
        catalogue
            .execute(
                &ListingCommand::EditPrice {
                    actor: me,
                    listing: untouched,
                    price: old.price.checked_sub(Money::from_rupees(1)).unwrap(),
                    mrp: old.mrp,
                },
                since,
            )
            .unwrap(),
    );
    let content = catalogue.get(repriced).unwrap().live().unwrap().clone();
    let new_price = Money::from_rupees(500);
    events.extend(
        catalogue
            .execute(
                &ListingCommand::EditPrice {
                    actor: me,
                    listing: repriced,
                    price: new_price,
                    mrp: content.mrp,
                },
                later,
            )
            .unwrap(),
    );
    events.extend(
        catalogue
            .execute(
                &ListingCommand::Deactivate {
                    actor: me,
                    listing: withdrawn,
                },
                later,
            )
            .unwrap(),
    );
    // A buyer's cart holds one piece of the third.
    let sku = catalogue.get(sold).unwrap().sku().clone();
    let (location, _) = stock
        .levels()
        .iter()
        .filter(|(k, q)| k.seller() == seller && *k.sku() == sku && q.available() > 0)
        .map(|(k, q)| (k.location(), q.available()))
        .next()
        .unwrap();
    let seq = stock.next_seq();
    let hold = Operation::Reserve {
        owner: ReservationOwner::Cart(7),
        expires_at: later + Duration::minutes(30),
        lines: vec![ReserveLine {
            key: StockKey::new(seller, sku, location),
            quantity: 1,
        }],
    };
    stock
        .execute(
            &Command::new(Actor::System, IdempotencyKey::new(0xC0FFEE), hold),
            later,
        )
        .unwrap();
    let stock_events: Vec<_> = stock.events_since(seq).collect();

    let profile = haat_ondc::seller_profile(
        &world.sellers[&seller],
        &storefront(),
        SellerTerms::default(),
    )
    .unwrap();
    let (app, request) = (app(), request());
    let input = CatalogueInput {
        app: &app,
        request: &request,
        seller: &profile,
        taxonomy: &world.taxonomy,
        network: &world.network,
        sites: &world.sites,
        stock: &stock,
        language: Language::English,
        now: later,
    };
    let changes = haat_ondc::catalogue_changes(&input, &catalogue, &events, &stock_events, since);
    assert_eq!(changes.checkpoint, later);
    let mut expected = vec![repriced, withdrawn, sold];
    expected.sort();
    assert_eq!(changes.export.exported, expected);
    assert!(changes.export.not_exported.is_empty());
    let [fashion] = changes.export.catalogues.as_slice() else {
        panic!("one catalogue");
    };
    check_catalogue(&serde_json::to_value(fashion).unwrap());
    let items = &fashion.message.catalog.providers[0].items;
    let item = |id: ListingId| items.iter().find(|i| i.id == id.to_string()).unwrap();
    assert_eq!(item(repriced).price.value, "500.00");
    assert_eq!(item(repriced).time.label, "enable");
    assert_eq!(item(withdrawn).time.label, "disable");
    assert_eq!(item(withdrawn).quantity.available.count, "0");
    assert_eq!(item(sold).time.label, "enable");

    // Nothing since the new checkpoint.
    let none = haat_ondc::catalogue_changes(
        &input,
        &catalogue,
        &events,
        &stock_events,
        changes.checkpoint,
    );
    assert!(none.export.exported.is_empty() && none.export.catalogues.is_empty());
    assert_eq!(none.checkpoint, changes.checkpoint);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..Default::default() })]

    /// Whatever happens to which listings, before or after the checkpoint: the changes are
    /// exactly the listings touched after it, each once, exported or reported.
    #[test]
    fn the_changes_are_exactly_the_listings_touched_after_the_checkpoint(
        ops in proptest::collection::vec((0usize..20, 0u8..3, proptest::bool::ANY), 1..8),
    ) {
        let world = world();
        let seller = nadia();
        let me = Actor::Seller(seller);
        let since = world.now;
        let mut catalogue = world.catalogue.clone();
        let mut stock = world.ledgers[&seller].clone();
        let live: Vec<ListingId> = world
            .listings_of(seller)
            .iter()
            .filter(|l| l.is_active())
            .map(|l| l.id())
            .take(20)
            .collect();
        let seq = stock.next_seq();
        let mut events = Vec::new();
        let mut touched = std::collections::BTreeSet::new();
        for (step, (index, op, after)) in ops.iter().enumerate() {
            let listing = live[*index];
            let at = if *after { since + Duration::minutes(1 + step as i64) } else { since - Duration::minutes(60 - step as i64) };
            let current = catalogue.get(listing).unwrap().clone();
            let done = match op {
                0 => {
                    let content = current.live().unwrap();
                    let price = content.price.checked_sub(Money::from_rupees(1)).unwrap();
                    catalogue.execute(&ListingCommand::EditPrice { actor: me, listing, price, mrp: content.mrp }, at).map(|e| events.extend(e)).is_ok()
                }
                1 => catalogue.execute(&ListingCommand::Deactivate { actor: me, listing }, at).map(|e| events.extend(e)).is_ok(),
                _ => {
                    let sku = current.sku().clone();
                    let cell = stock.levels().iter().find(|(k, q)| *k.sku() == sku && q.available() > 0).map(|(k, _)| k.clone());
                    match cell {
                        Some(key) => {
                            let hold = Operation::Reserve {
                                owner: ReservationOwner::Cart(step as u64),
                                expires_at: at + Duration::minutes(30),
                                lines: vec![ReserveLine { key, quantity: 1 }],
                            };
                            stock.execute(&Command::new(Actor::System, IdempotencyKey::new(0xAB00 + step as u128), hold), at).is_ok()
                        }
                        None => false,
                    }
                }
            };
            if done && *after {
                touched.insert(listing);
            }
        }
        let stock_events: Vec<_> = stock.events_since(seq).collect();
        let profile = haat_ondc::seller_profile(&world.sellers[&seller], &storefront(), SellerTerms::default()).unwrap();
        let (app, request) = (app(), request());
        let input = CatalogueInput {
            app: &app, request: &request, seller: &profile, taxonomy: &world.taxonomy,
            network: &world.network, sites: &world.sites, stock: &stock,
            language: Language::English, now: since + Duration::hours(1),
        };
        let changes = haat_ondc::catalogue_changes(&input, &catalogue, &events, &stock_events, since);
        let mut sent: Vec<ListingId> = changes.export.exported.clone();
        sent.extend(changes.export.not_exported.iter().map(|r| r.listing));
        sent.sort();
        let expected: Vec<ListingId> = touched.into_iter().collect();
        proptest::prop_assert_eq!(sent, expected);
        for on_search in &changes.export.catalogues {
            check_catalogue(&serde_json::to_value(on_search).unwrap());
        }
    }
}
