//! Catalogue export: every seller of the West Bengal scenario, checked against ONDC's schema
//! and item rules; every listing exported or reported.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haat_core::SellerId;
use haat_ondc::{Language, Unmappable};
use serde_json::Value;

use crate::fixtures::world;
use crate::rules::check_catalogue;

pub fn nadia() -> SellerId {
    let world = world();
    world
        .sellers
        .iter()
        .find(|(_, s)| s.display_name() == Some("Shantipur Saree House"))
        .map(|(id, _)| *id)
        .expect("the Nadia saree house is in the scenario")
}

#[test]
fn every_sellers_catalogue_passes_the_schema_and_the_rules() {
    let world = world();
    let mut exported = 0;
    let mut catalogues = 0;
    for seller in world.seller_ids() {
        let Some(export) = world.export(seller, Language::English) else {
            continue;
        };
        let live = world
            .listings_of(seller)
            .iter()
            .filter(|l| l.is_active())
            .count();
        assert_eq!(
            export.exported.len() + export.not_exported.len(),
            live,
            "seller {seller}: every live listing is exported or reported"
        );
        for on_search in &export.catalogues {
            let json: Value = serde_json::to_value(on_search).unwrap();
            check_catalogue(&json);
            catalogues += 1;
        }
        exported += export.exported.len();
    }
    // The weavers' sarees: the Nadia house's ten thousand and the other weavers' own.
    assert!(catalogues >= 30, "{catalogues} catalogues");
    assert!(exported > 10_000, "{exported} items");
}

#[test]
fn the_nadia_saree_house_exports_every_live_listing() {
    let world = world();
    let export = world.export(nadia(), Language::English).unwrap();
    assert!(
        export.not_exported.is_empty(),
        "{:?}",
        &export.not_exported[..export.not_exported.len().min(5)]
    );
    let live = world
        .listings_of(nadia())
        .iter()
        .filter(|l| l.is_active())
        .count();
    assert!(live >= 300, "{live} live listings");
    assert_eq!(export.exported.len(), live);
    let [fashion] = export.catalogues.as_slice() else {
        panic!("one catalogue, in the fashion domain");
    };
    assert_eq!(fashion.context.domain, "ONDC:RET12");
    let items = &fashion.message.catalog.providers[0].items;
    assert!(items.iter().all(|i| i.category_id == "Sarees"));
    assert!(items.iter().all(|i| {
        i.descriptor
            .code
            .as_deref()
            .is_some_and(|c| c.starts_with("4:50") || c.starts_with("4:52"))
    }));
}

#[test]
fn what_cannot_be_published_is_reported_with_its_reason() {
    let world = world();
    let mut no_ean = 0;
    let mut not_on_ondc = 0;
    let mut missing = 0;
    for seller in world.seller_ids() {
        let Some(export) = world.export(seller, Language::English) else {
            continue;
        };
        for report in &export.not_exported {
            match &report.reason {
                Unmappable::NoEan { .. } => no_ean += 1,
                Unmappable::NoOndcCategory { category } => {
                    assert!(category.as_str().starts_with("food/"), "{category}");
                    not_on_ondc += 1;
                }
                Unmappable::MissingAttribute { .. } => missing += 1,
                _ => {}
            }
        }
    }
    // Handicrafts carry no EAN in the scenario, packaged food has no ONDC fashion or home
    // category, and kurtas do not say whom they are for.
    assert!(
        no_ean > 0 && not_on_ondc > 0 && missing > 0,
        "{no_ean} {not_on_ondc} {missing}"
    );
}

#[test]
fn a_bengali_catalogue_passes_the_checks_too() {
    let world = world();
    let export = world.export(nadia(), Language::Bengali).unwrap();
    for on_search in &export.catalogues {
        check_catalogue(&serde_json::to_value(on_search).unwrap());
    }
}

#[test]
fn golden_on_search_of_the_nadia_saree_house() {
    // Its first three live listings, as the network's first page of the house would show.
    let world = world();
    let seller = nadia();
    let profile = haat_ondc::seller_profile(
        &world.sellers[&seller],
        &crate::fixtures::storefront(),
        haat_ondc::SellerTerms::default(),
    )
    .unwrap();
    let (app, request) = (crate::fixtures::app(), crate::fixtures::request());
    let input = haat_ondc::CatalogueInput {
        app: &app,
        request: &request,
        seller: &profile,
        taxonomy: &world.taxonomy,
        network: &world.network,
        sites: &world.sites,
        stock: &world.ledgers[&seller],
        language: Language::English,
        now: world.now,
    };
    let live = world
        .listings_of(seller)
        .into_iter()
        .filter(|l| l.is_active())
        .take(3);
    let export = haat_ondc::export_catalogue(&input, live);
    assert_eq!(export.exported.len(), 3);
    check_catalogue(&serde_json::to_value(&export.catalogues[0]).unwrap());
    crate::golden::check_golden("on_search_nadia", &export.catalogues[0]);
}
