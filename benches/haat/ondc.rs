//! Benchmarks for `haat-ondc`: a lakh of listings exported as an ONDC `on_search` and
//! written as JSON, beside bare `serde_json` serialisation of the same listings, in the same
//! run.
//!
//! One seller with 1,00,000 live saree listings (colour, fabric, three images each), each
//! stocked at the Kalyani fulfilment centre. `ondc/on_search_1_lakh` runs
//! `export_catalogue_json` (category mapping, attribute translation, stock lookup, and the
//! catalogue's JSON written straight from the listings); `ondc/records_then_json` builds the
//! owned records with `export_catalogue` and serialises them with `serde_json::to_vec` (the
//! same bytes); `ondc/serde_json_floor` serialises the listings' live content with
//! `serde_json::to_vec` and nothing else. Throughput counts listings.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::catalogue::{
    AttributeValue, Attributes, Catalogue, GstRegistration, Listing, ListingContent, ListingEvent,
    Taxonomy,
};
use haat::core::{Actor, ListingId, LocationId, Money, SellerId, StaffId, StateCode};
use haat::inventory::{
    AdjustmentReason, Command, IdempotencyKey, Network, Operation, StockKey, StockLedger,
};
use haat_ondc::{
    CatalogueInput, ConsumerCare, Language, Request, SellerApp, SellerProfile, SellerTerms,
};

const LISTINGS: u64 = 100_000;
const KALYANI: u64 = 1004;
const COLOURS: [&str; 6] = [
    "red and white",
    "indigo",
    "mustard",
    "off-white",
    "maroon",
    "rust",
];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0)
        .single()
        .unwrap_or_else(|| unreachable!())
}

fn content(n: u64) -> ListingContent {
    let mut attributes = Attributes::new();
    attributes.insert("blouse_piece", AttributeValue::Bool(n.is_multiple_of(2)));
    attributes.insert("colour", AttributeValue::text(COLOURS[(n % 6) as usize]));
    attributes.insert("fabric", AttributeValue::text("cotton"));
    attributes.insert(
        "length_m",
        AttributeValue::Number("5.5".parse().unwrap_or_default()),
    );
    attributes.insert("weave", AttributeValue::text("tant"));
    let rupees = 650 + (n % 300) as i64 * 10;
    ListingContent {
        title: format!(
            "Handwoven tant saree from Shantipur, {}",
            COLOURS[(n % 6) as usize]
        ),
        description: "Woven on a pit loom in Shantipur, Nadia, and checked piece by piece.".into(),
        category: "textiles/sarees/handloom/tant"
            .parse()
            .unwrap_or_else(|_| unreachable!()),
        attributes,
        images: (1..=3)
            .map(|i| format!("https://img.example.in/TANT/{n}-{i}.jpg"))
            .collect(),
        price: Money::from_rupees(rupees),
        mrp: Some(Money::from_rupees(rupees + rupees / 5)),
        hsn: "5208".parse().unwrap_or_else(|_| unreachable!()),
        packaged: None,
        sku: format!("TANT-{n:06}")
            .parse()
            .unwrap_or_else(|_| unreachable!()),
    }
}

/// A lakh of live listings of one seller, and its stock of each at Kalyani.
fn world(seller: SellerId) -> (Catalogue, StockLedger) {
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    let mut ledger = StockLedger::new();
    let at = base();
    let (me, ops) = (Actor::Seller(seller), Actor::Operations(StaffId::new(1)));
    for n in 0..LISTINGS {
        let listing = ListingId::new(n + 1);
        let content = content(n);
        let sku = content.sku.clone();
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
        let count = Operation::Adjust {
            key: StockKey::new(seller, sku, LocationId::new(KALYANI)),
            expected_on_hand: 0,
            counted_on_hand: 1 + n % 9,
            reason: AdjustmentReason::Found,
        };
        let command = Command::new(me, IdempotencyKey::new(u128::from(n) + 1), count);
        let _ = ledger.execute(&command, at);
    }
    (catalogue, ledger)
}

pub fn benches(c: &mut Criterion) {
    let seller = SellerId::new(1);
    let (catalogue, ledger) = world(seller);
    let network = Network::west_bengal_reference().unwrap_or_else(|_| unreachable!());
    let sites = haat_ondc::district_sites(&network);
    let app = SellerApp::haat_reference();
    let request = Request {
        bap_id: "buyer.example.in".into(),
        bap_uri: "https://buyer.example.in/ondc".into(),
        city: "std:033".into(),
        transaction_id: "T1".into(),
        message_id: "M1".into(),
    };
    let profile = SellerProfile {
        seller,
        name: "Shantipur Saree House".into(),
        name_bn: None,
        symbol: "https://sellers.haat.example.in/sellers/1/logo.png".into(),
        short_desc: "Handloom sarees of Shantipur".into(),
        long_desc: "A weaving house of 25 weavers in Shantipur, Nadia".into(),
        registration: GstRegistration::Registered {
            state: StateCode::WEST_BENGAL,
        },
        consumer_care: ConsumerCare {
            name: "Shantipur Saree House".into(),
            email: "care@shantipur.example.in".into(),
            phone: "9830012345".into(),
        },
        brand: Some("Shantipur Saree House".into()),
        size_charts: BTreeMap::from([(
            "Sarees".to_owned(),
            "https://sellers.haat.example.in/size-charts/sarees.png".to_owned(),
        )]),
        terms: SellerTerms::default(),
        enabled_since: base(),
    };
    let taxonomy = Taxonomy::west_bengal_default();
    let input = CatalogueInput {
        app: &app,
        request: &request,
        seller: &profile,
        taxonomy: &taxonomy,
        network: &network,
        sites: &sites,
        stock: &ledger,
        language: Language::English,
        now: base() + chrono::Duration::hours(1),
    };
    let mut listings: Vec<&Listing> = catalogue.listings().collect();
    listings.sort_by_key(|l| l.id());
    let contents: Vec<&ListingContent> = listings.iter().filter_map(|l| l.live()).collect();
    let exported = haat_ondc::export_catalogue(&input, listings.iter().copied());
    assert_eq!(
        exported.exported.len() as u64,
        LISTINGS,
        "every listing exports"
    );

    let mut group = c.benchmark_group("ondc");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(LISTINGS));
    group.bench_function("on_search_1_lakh", |b| {
        b.iter(|| {
            black_box(
                haat_ondc::export_catalogue_json(&input, listings.iter().copied())
                    .map(|json| json.catalogues.iter().map(|(_, j)| j.len()).sum::<usize>()),
            )
        });
    });
    group.bench_function("records_then_json", |b| {
        b.iter(|| {
            let export = haat_ondc::export_catalogue(&input, listings.iter().copied());
            black_box(serde_json::to_vec(&export.catalogues).map(|v| v.len()))
        });
    });
    group.bench_function("serde_json_floor", |b| {
        b.iter(|| black_box(serde_json::to_vec(&contents).map(|v| v.len())));
    });
    group.finish();
}
