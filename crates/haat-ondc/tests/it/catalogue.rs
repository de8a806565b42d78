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
    let mut within_state = 0;
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
            // A non-GST seller serves its own state's PIN codes, and no further.
            let tags = &on_search.message.catalog.providers[0].tags;
            let serviceability: Vec<_> =
                tags.iter().filter(|t| t.code == "serviceability").collect();
            let kinds: Vec<&str> = serviceability
                .iter()
                .map(|t| t.list[2].value.as_str())
                .collect();
            if kinds.iter().all(|k| *k == "11") {
                within_state += 1;
                let in_state = |pin: &str| {
                    pin.parse::<haat_core::PinCode>()
                        .ok()
                        .and_then(|p| p.location())
                        .is_some_and(|l| l.is_in(haat_core::StateCode::WEST_BENGAL))
                };
                assert!(
                    serviceability
                        .iter()
                        .all(|t| t.list[3].value.split(',').all(in_state))
                );
            } else {
                assert!(kinds.iter().all(|k| *k == "12"), "{kinds:?}");
            }
        }
        exported += export.exported.len();
    }
    // The weavers' sarees: the Nadia house's ten thousand and the other weavers' own.
    assert!(catalogues >= 30, "{catalogues} catalogues");
    assert!(within_state > 0, "some weavers are not registered for GST");
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
    for seller in world.seller_ids() {
        let Some(export) = world.export(seller, Language::English) else {
            continue;
        };
        for report in &export.not_exported {
            let category = world
                .catalogue
                .get(report.listing)
                .unwrap()
                .content()
                .category
                .clone();
            match &report.reason {
                // Artisans' handicrafts and kanthas carry no barcode, and none is made up.
                Unmappable::NoEan { .. } => {
                    assert!(
                        category.as_str().starts_with("handicrafts/")
                            || category.as_str() == "home-furnishing/nakshi-kantha",
                        "{category}"
                    );
                    no_ean += 1;
                }
                // Packaged food is ONDC's grocery domain, which haat does not publish to.
                Unmappable::NoOndcCategory { category } => {
                    assert!(category.as_str().starts_with("food/"), "{category}");
                    not_on_ondc += 1;
                }
                // Everything else the scenario's sellers list carries what ONDC asks: the
                // traders' kurtas and panjabis their gender and colour, their bedsheets the EAN
                // of the pack.
                other => panic!("listing {} ({category}): {other}", report.listing),
            }
        }
    }
    assert!(no_ean > 0 && not_on_ondc > 0, "{no_ean} {not_on_ondc}");
}

#[test]
fn a_missing_attribute_or_a_colour_without_a_hex_is_reported() {
    let world = world();
    let seller = nadia();
    let first = world
        .listings_of(seller)
        .into_iter()
        .find(|l| l.is_active())
        .unwrap()
        .id();
    let mut catalogue = world.catalogue.clone();
    let reason = |catalogue: &haat_catalogue::Catalogue| {
        export_with(catalogue, seller, Language::English)
            .not_exported
            .into_iter()
            .find(|r| r.listing == first)
            .map(|r| r.reason)
    };
    revise(
        &mut catalogue,
        first,
        world.now + chrono::Duration::minutes(1),
        |c| {
            c.attributes
                .insert("colour", haat_catalogue::AttributeValue::text("chartreuse"));
        },
    );
    assert_eq!(
        reason(&catalogue),
        Some(Unmappable::UnknownColour {
            name: "chartreuse".into()
        })
    );
    // The seller gives the hex, and the saree is published.
    revise(
        &mut catalogue,
        first,
        world.now + chrono::Duration::minutes(2),
        |c| {
            c.attributes.insert(
                "colour_hex",
                haat_catalogue::AttributeValue::text("#7FFF00"),
            );
        },
    );
    assert_eq!(reason(&catalogue), None);
    revise(
        &mut catalogue,
        first,
        world.now + chrono::Duration::minutes(3),
        |c| {
            c.attributes.remove("colour");
            c.attributes.remove("colour_hex");
        },
    );
    assert_eq!(
        reason(&catalogue),
        Some(Unmappable::MissingAttribute {
            ondc_category: "Sarees".into(),
            code: "colour",
        })
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

/// A revision of `listing` through the listing's own life: edited by its seller, checked,
/// passed by review; the live content is then the revision.
fn revise(
    catalogue: &mut haat_catalogue::Catalogue,
    listing: haat_core::ListingId,
    at: chrono::DateTime<chrono::Utc>,
    edit: impl FnOnce(&mut haat_catalogue::ListingContent),
) {
    use haat_catalogue::ListingCommand;
    use haat_core::{Actor, StaffId};
    let current = catalogue.get(listing).unwrap();
    let me = Actor::Seller(current.seller());
    let mut content = current.live().unwrap().clone();
    edit(&mut content);
    for command in [
        ListingCommand::EditContent {
            actor: me,
            listing,
            content,
        },
        ListingCommand::SubmitForReview { actor: me, listing },
        ListingCommand::PassReview {
            actor: Actor::Operations(StaffId::new(1)),
            listing,
        },
    ] {
        catalogue.execute(&command, at).unwrap();
    }
    assert!(catalogue.get(listing).unwrap().is_active());
}

fn export_with(
    catalogue: &haat_catalogue::Catalogue,
    seller: SellerId,
    language: Language,
) -> haat_ondc::CatalogueExport {
    let world = world();
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
        language,
        now: world.now + chrono::Duration::minutes(10),
    };
    let mut live: Vec<_> = catalogue
        .listings()
        .filter(|l| l.seller() == seller && l.is_active())
        .collect();
    live.sort_by_key(|l| l.id());
    haat_ondc::export_catalogue(&input, live)
}

#[test]
fn a_bengali_catalogue_names_the_listing_in_bengali_where_it_has_it() {
    let world = world();
    let seller = nadia();
    let mut catalogue = world.catalogue.clone();
    let first = world
        .listings_of(seller)
        .into_iter()
        .find(|l| l.is_active())
        .unwrap()
        .id();
    revise(
        &mut catalogue,
        first,
        world.now + chrono::Duration::minutes(1),
        |c| {
            c.attributes.insert(
                "title_bn",
                haat_catalogue::AttributeValue::text("শান্তিপুরের হাতে বোনা তাঁতের শাড়ি"),
            );
            c.attributes.insert(
                "description_bn",
                haat_catalogue::AttributeValue::text("নদিয়ার শান্তিপুরে গর্ত তাঁতে বোনা।"),
            );
        },
    );
    let export = export_with(&catalogue, seller, Language::Bengali);
    let json = serde_json::to_value(&export.catalogues[0]).unwrap();
    check_catalogue(&json);
    let item = &export.catalogues[0].message.catalog.providers[0].items[0];
    assert_eq!(item.id, first.to_string());
    assert_eq!(item.descriptor.name, "শান্তিপুরের হাতে বোনা তাঁতের শাড়ি");
    assert_eq!(
        item.descriptor.long_desc.as_deref(),
        Some("নদিয়ার শান্তিপুরে গর্ত তাঁতে বোনা।")
    );
    // The English catalogue keeps the English title.
    let english = export_with(&catalogue, seller, Language::English);
    assert_ne!(
        english.catalogues[0].message.catalog.providers[0].items[0]
            .descriptor
            .name,
        item.descriptor.name
    );
}

#[test]
fn a_handicraft_with_an_ean_is_published_in_the_home_domain() {
    let world = world();
    // An artisan's Dokra piece that has stock.
    let (seller, dokra) = world
        .seller_ids()
        .into_iter()
        .find_map(|seller| {
            let ledger = world.ledgers.get(&seller)?;
            world
                .listings_of(seller)
                .into_iter()
                .find(|l| {
                    l.is_active()
                        && l.live().unwrap().category.as_str() == "handicrafts/dokra"
                        && ledger
                            .levels()
                            .iter()
                            .any(|(k, q)| k.sku() == l.sku() && q.available() > 0)
                })
                .map(|l| (seller, l.id()))
        })
        .expect("a stocked Dokra listing");
    let mut catalogue = world.catalogue.clone();
    // Without an EAN it is reported, never given a made-up code.
    let before = export_with(&catalogue, seller, Language::English);
    assert!(before.not_exported.iter().any(|r| r.listing == dokra));
    revise(
        &mut catalogue,
        dokra,
        world.now + chrono::Duration::minutes(1),
        |c| {
            c.attributes
                .insert("ean", haat_catalogue::AttributeValue::text("8901234567890"));
            c.attributes
                .insert("colour", haat_catalogue::AttributeValue::text("gold"));
        },
    );
    let after = export_with(&catalogue, seller, Language::English);
    assert!(after.exported.contains(&dokra), "{:?}", after.not_exported);
    let home = after
        .catalogues
        .iter()
        .find(|c| c.context.domain == "ONDC:RET16")
        .expect("a home catalogue");
    check_catalogue(&serde_json::to_value(home).unwrap());
    let item = home.message.catalog.providers[0]
        .items
        .iter()
        .find(|i| i.id == dokra.to_string())
        .unwrap();
    assert_eq!(item.descriptor.code.as_deref(), Some("1:8901234567890"));
    assert_eq!(item.category_id, "Home Decor");
    // A wrong check digit is reported as such.
    revise(
        &mut catalogue,
        dokra,
        world.now + chrono::Duration::minutes(2),
        |c| {
            c.attributes
                .insert("ean", haat_catalogue::AttributeValue::text("8901234567897"));
        },
    );
    let wrong = export_with(&catalogue, seller, Language::English);
    assert!(
        wrong
            .not_exported
            .iter()
            .any(|r| r.listing == dokra && matches!(r.reason, Unmappable::InvalidEan { .. }))
    );
}

#[test]
fn the_json_path_writes_the_records_json_byte_for_byte() {
    // Every seller of the scenario, in both languages: the catalogues written straight from
    // the listings are the owned records' JSON, and the same listings are left out.
    let world = world();
    let (app, request) = (crate::fixtures::app(), crate::fixtures::request());
    let empty = haat_inventory::StockLedger::new();
    let mut compared = 0;
    for seller in world.seller_ids() {
        let Some(profile) = haat_ondc::seller_profile(
            &world.sellers[&seller],
            &crate::fixtures::storefront(),
            haat_ondc::SellerTerms::default(),
        ) else {
            continue;
        };
        for language in [Language::English, Language::Bengali] {
            let input = haat_ondc::CatalogueInput {
                app: &app,
                request: &request,
                seller: &profile,
                taxonomy: &world.taxonomy,
                network: &world.network,
                sites: &world.sites,
                stock: world.ledgers.get(&seller).unwrap_or(&empty),
                language,
                now: world.now,
            };
            let live = || {
                world
                    .listings_of(seller)
                    .into_iter()
                    .filter(|l| l.is_active())
            };
            let records = haat_ondc::export_catalogue(&input, live());
            let json = haat_ondc::export_catalogue_json(&input, live()).unwrap();
            assert_eq!(json.exported, records.exported);
            assert_eq!(json.not_exported, records.not_exported);
            assert_eq!(json.catalogues.len(), records.catalogues.len());
            for ((domain, bytes), on_search) in json.catalogues.iter().zip(&records.catalogues) {
                assert_eq!(domain.code(), on_search.context.domain);
                let expected = serde_json::to_vec(on_search).unwrap();
                assert!(
                    *bytes == expected,
                    "seller {seller} {domain:?}: {}\nvs\n{}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(3000)]),
                    String::from_utf8_lossy(&expected[..expected.len().min(3000)])
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 60, "{compared} catalogues compared");
}
