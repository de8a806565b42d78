//! The JSON path of the export on generated listings: whatever the text (quotes, backslashes,
//! control characters, Bengali), prices, stock, times and terms, `export_catalogue_json`
//! writes `serde_json::to_vec` of `export_catalogue`'s records, and leaves out the same
//! listings.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use haat_catalogue::{
    AttributeValue, Attributes, Catalogue, GstRegistration, ListingContent, ListingEvent,
    NetQuantity, PackagedDeclarations, QuantityUnit, Taxonomy,
};
use haat_core::{Actor, ListingId, LocationId, Money, Month, SellerId, StaffId, StateCode};
use haat_inventory::{
    AdjustmentReason, Command, IdempotencyKey, Network, Operation, StockKey, StockLedger,
};
use haat_ondc::{CatalogueInput, ConsumerCare, Language, SellerProfile, SellerTerms, Sites};
use proptest::prelude::*;

/// Text that JSON must escape, mixed with ASCII and Bengali.
const TEXT: &str = "[\\x00-\\x1f\"\\\\/ a-zA-Z0-9\u{7f}\u{980}-\u{9ff}€]{0,24}";

/// One generated listing.
#[derive(Clone, Debug)]
struct Generated {
    /// A saree (`ONDC:RET12`) or a dokra piece (`ONDC:RET16`, with an EAN).
    saree: bool,
    title: String,
    description: String,
    title_bn: Option<String>,
    colour: &'static str,
    colour_hex: Option<&'static str>,
    images: Vec<String>,
    paise: i64,
    mrp_above: Option<i64>,
    packaged: Option<(String, String, u32)>,
    /// Units counted at each of two locations.
    stock: (u64, u64),
    /// Seconds after the base instant it was made.
    made: u32,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        (
            any::<bool>(),
            TEXT,
            TEXT,
            proptest::option::of(TEXT),
            prop_oneof![
                Just("red and white"),
                Just("Off-White"),
                Just("indigo"),
                Just("chartreuse"),
            ],
            proptest::option::of(prop_oneof![Just("#aabbcc"), Just("#FF0000"), Just("red")]),
        ),
        (
            proptest::collection::vec(TEXT, 0..3),
            prop_oneof![1i64..100_000, 1i64..1_000_000_000_000_000],
            proptest::option::of(0i64..1_000_000),
            proptest::option::of((TEXT, TEXT, 1u32..2_000)),
            (0u64..12, 0u64..12),
            any::<u32>(),
        ),
    )
        .prop_map(
            |(
                (saree, title, description, title_bn, colour, colour_hex),
                (images, paise, mrp_above, packaged, stock, made),
            )| Generated {
                saree,
                title,
                description,
                title_bn,
                colour,
                colour_hex,
                images,
                paise,
                mrp_above,
                packaged,
                stock,
                made,
            },
        )
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap()
}

fn content(n: u64, g: &Generated) -> ListingContent {
    let mut attributes = Attributes::new();
    attributes.insert("colour", AttributeValue::text(g.colour));
    if let Some(hex) = g.colour_hex {
        attributes.insert("colour_hex", AttributeValue::text(hex));
    }
    if let Some(bn) = &g.title_bn {
        attributes.insert("title_bn", AttributeValue::text(bn.clone()));
        attributes.insert("description_bn", AttributeValue::text(bn.clone()));
    }
    let (category, hsn) = if g.saree {
        attributes.insert("fabric", AttributeValue::text("cotton"));
        attributes.insert("length_m", AttributeValue::Number("5.5".parse().unwrap()));
        ("textiles/sarees/handloom/tant", "5208")
    } else {
        attributes.insert("ean", AttributeValue::text("4006381333931"));
        attributes.insert("metal", AttributeValue::text("brass"));
        ("handicrafts/dokra", "8306")
    };
    let price = Money::from_paise(g.paise);
    ListingContent {
        title: g.title.clone(),
        description: g.description.clone(),
        category: category.parse().unwrap(),
        attributes,
        images: g.images.clone(),
        price,
        mrp: g
            .mrp_above
            .map(|above| Money::from_paise(g.paise.saturating_add(above))),
        hsn: hsn.parse().unwrap(),
        packaged: g.packaged.as_ref().map(|(maker, address, grams)| {
            Box::new(PackagedDeclarations {
                manufacturer_or_packer: maker.clone(),
                address: address.clone(),
                importer: String::new(),
                importer_address: String::new(),
                generic_name: "brass figure".into(),
                net_quantity: NetQuantity::new((*grams).into(), QuantityUnit::Gram),
                country_of_origin: "IN".into(),
                manufactured: Month::new(2025, 1 + grams % 12),
                unit_sale_price: None,
                consumer_care_phone: "9830012345".into(),
                consumer_care_email: "care@example.in".into(),
            })
        }),
        sku: format!("GEN-{n:04}").parse().unwrap(),
    }
}

/// The reference network, its sites, and two of its stock-holding locations with a site.
fn places() -> &'static (Network, Sites, [LocationId; 2]) {
    static PLACES: OnceLock<(Network, Sites, [LocationId; 2])> = OnceLock::new();
    PLACES.get_or_init(|| {
        let network = Network::west_bengal_reference().unwrap();
        let sites = haat_ondc::district_sites(&network);
        let mut held = sites
            .keys()
            .copied()
            .filter(|&id| network.get(id).is_some_and(|l| l.holds_stock()));
        let two = [held.next().unwrap(), held.next().unwrap()];
        (network, sites, two)
    })
}

/// The generated listings, live, and their stock.
fn world(seller: SellerId, listings: &[Generated]) -> (Catalogue, StockLedger) {
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    let mut ledger = StockLedger::new();
    let (me, ops) = (Actor::Seller(seller), Actor::Operations(StaffId::new(1)));
    let locations = places().2;
    let mut key = 0u128;
    for (n, g) in (0u64..).zip(listings) {
        let listing = ListingId::new(n + 1);
        let content = content(n, g);
        let sku = content.sku.clone();
        let at = base() + chrono::Duration::seconds(i64::from(g.made));
        catalogue.apply_all(&[
            ListingEvent::DraftCreated {
                listing,
                seller,
                actor: me,
                at,
                content: content.clone(),
            },
            ListingEvent::ReviewPassed {
                listing,
                seller,
                actor: ops,
                at,
                content,
            },
            ListingEvent::Activated {
                listing,
                seller,
                actor: me,
                at,
            },
        ]);
        for (location, count) in locations.into_iter().zip([g.stock.0, g.stock.1]) {
            key += 1;
            let count = Operation::Adjust {
                key: StockKey::new(seller, sku.clone(), location),
                expected_on_hand: 0,
                counted_on_hand: count,
                reason: AdjustmentReason::Found,
            };
            let _ = ledger.execute(&Command::new(me, IdempotencyKey::new(key), count), at);
        }
    }
    (catalogue, ledger)
}

fn profile(seller: SellerId, name: String, terms: SellerTerms, gst: bool) -> SellerProfile {
    SellerProfile {
        seller,
        name: name.clone(),
        name_bn: Some(format!("{name} বাংলা")),
        symbol: "https://sellers.haat.example.in/sellers/1/logo.png".into(),
        short_desc: "Handloom \"sarees\"".into(),
        long_desc: "A weaving house\nof Shantipur".into(),
        registration: if gst {
            GstRegistration::Registered {
                state: StateCode::WEST_BENGAL,
            }
        } else {
            GstRegistration::NonGst {
                state: StateCode::WEST_BENGAL,
            }
        },
        consumer_care: ConsumerCare {
            name,
            email: "care@shantipur.example.in".into(),
            phone: "+91 98300 12345".into(),
        },
        brand: Some("Shantipur \\ Saree House".into()),
        size_charts: BTreeMap::from([(
            "Sarees".to_owned(),
            "https://sellers.haat.example.in/size-charts/sarees.png".to_owned(),
        )]),
        terms,
        enabled_since: base(),
    }
}

fn terms() -> impl Strategy<Value = SellerTerms> {
    (
        0u16..100,
        0u16..30,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u32..20,
    )
        .prop_map(
            |(time_to_ship_hours, return_days, cancellable, seller_pickup_return, cod, max)| {
                SellerTerms {
                    time_to_ship_hours,
                    return_days,
                    cancellable,
                    seller_pickup_return,
                    cash_on_delivery: cod,
                    max_per_order: max,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_json_path_writes_the_records_json_on_any_listings(
        listings in proptest::collection::vec(generated(), 0..6),
        name in TEXT,
        terms in terms(),
        gst in any::<bool>(),
        bengali in any::<bool>(),
        later in 0i64..1_000_000_000,
    ) {
        let seller = SellerId::new(7);
        let (catalogue, ledger) = world(seller, &listings);
        let (network, sites, _) = places();
        let (app, request) = (crate::fixtures::app(), crate::fixtures::request());
        let profile = profile(seller, name, terms, gst);
        let taxonomy = Taxonomy::west_bengal_default();
        let input = CatalogueInput {
            app: &app,
            request: &request,
            seller: &profile,
            taxonomy: &taxonomy,
            network,
            sites,
            stock: &ledger,
            language: if bengali { Language::Bengali } else { Language::English },
            now: base() + chrono::Duration::seconds(later),
        };
        let mut live: Vec<_> = catalogue.listings().collect();
        live.sort_by_key(|l| l.id());
        let records = haat_ondc::export_catalogue(&input, live.iter().copied());
        let json = haat_ondc::export_catalogue_json(&input, live.iter().copied()).unwrap();
        prop_assert_eq!(&json.exported, &records.exported);
        prop_assert_eq!(&json.not_exported, &records.not_exported);
        prop_assert_eq!(json.catalogues.len(), records.catalogues.len());
        for ((domain, bytes), on_search) in json.catalogues.iter().zip(&records.catalogues) {
            prop_assert_eq!(domain.code(), on_search.context.domain.as_str());
            let expected = serde_json::to_vec(on_search).unwrap();
            prop_assert!(
                *bytes == expected,
                "{}\nvs\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&expected)
            );
        }
    }
}
