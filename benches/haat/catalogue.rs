//! haat-catalogue: quality checks and bulk import (against plain `csv` / `serde_json`), plus
//! search and pricing.
//!
//! `cargo bench --bench haat -- catalogue/`

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput};
use haat::catalogue::{
    ImportOptions, ListingContent, QualityGate, Taxonomy, check_listing, import_csv,
    import_csv_with, import_jsonl, import_jsonl_with,
};
use haat::core::{SellerId, Sku};
use serde::Deserialize;

/// Every catalogue benchmark. Search and pricing benchmarks go in the marked spot.
pub fn benches(c: &mut Criterion) {
    quality(c);
    import(c);
    pricing(c);
    search(c);
}

const NADIA_CSV: &str = include_str!("../../examples/data/nadia_saree_house.csv");

/// The Nadia sheet's 295 rows that pass every check (the listing-quality rules too).
fn nadia_drafts() -> Vec<ListingContent> {
    import_csv_with(
        NADIA_CSV.as_bytes(),
        SellerId::new(1),
        &Taxonomy::west_bengal_default(),
        |_: &Sku| false,
        gated(),
    )
    .map(|r| r.drafts.into_iter().map(|(_, c)| c).collect())
    .unwrap_or_default()
}

fn quality(c: &mut Criterion) {
    let taxonomy = Taxonomy::west_bengal_default();
    let drafts = nadia_drafts();
    let mut group = c.benchmark_group("catalogue");
    group.throughput(Throughput::Elements(drafts.len() as u64));
    group.bench_function("quality_check", |b| {
        b.iter(|| {
            for content in &drafts {
                black_box(check_listing(black_box(content), &taxonomy));
            }
        })
    });
    group.finish();
}

/// The floor for CSV: the `csv` crate deserialising the same rows into a struct with the same
/// fields, as text.
#[derive(Deserialize)]
#[allow(dead_code)]
struct CsvRow {
    sku: String,
    title: String,
    description: String,
    category: String,
    hsn: String,
    price: String,
    mrp: String,
    images: String,
    #[serde(rename = "attr.fabric")]
    fabric: String,
    #[serde(rename = "attr.length_m")]
    length_m: String,
    #[serde(rename = "attr.blouse_piece")]
    blouse_piece: String,
    #[serde(rename = "attr.gi_tag")]
    gi_tag: String,
    #[serde(rename = "attr.gi_name")]
    gi_name: String,
    #[serde(rename = "attr.weave")]
    weave: String,
    #[serde(rename = "attr.colour")]
    colour: String,
}

/// The floor for JSON Lines: `serde_json` deserialising each line into a struct with the same
/// fields.
#[derive(Deserialize)]
#[allow(dead_code)]
struct JsonRow {
    sku: String,
    title: String,
    description: String,
    category: String,
    hsn: String,
    price: String,
    mrp: Option<String>,
    images: Vec<String>,
    attributes: BTreeMap<String, serde_json::Value>,
    packaged: Option<serde_json::Value>,
}

/// The import with the listing-quality rules (title, images) as well as the validity checks.
fn gated() -> ImportOptions {
    ImportOptions::default().with_quality_gate(QualityGate::Errors)
}

/// `import_csv`/`import_jsonl` are the default path (validity checks: schema, attributes,
/// price and MRP, declarations, HSN, duplicate SKUs); the `_gated` variants add the
/// listing-quality rules. Both read the same bytes as their floor.
fn import(c: &mut Criterion) {
    let taxonomy = Taxonomy::west_bengal_default();
    let jsonl: String = nadia_drafts()
        .iter()
        .filter_map(|d| serde_json::to_string(d).ok())
        .map(|line| line + "\n")
        .collect();
    let mut group = c.benchmark_group("catalogue");

    group.throughput(Throughput::Bytes(NADIA_CSV.len() as u64));
    group.bench_function("import_csv", |b| {
        b.iter(|| {
            import_csv(
                black_box(NADIA_CSV.as_bytes()),
                SellerId::new(1),
                &taxonomy,
                |_: &Sku| false,
            )
        })
    });
    group.bench_function("import_csv_gated", |b| {
        b.iter(|| {
            import_csv_with(
                black_box(NADIA_CSV.as_bytes()),
                SellerId::new(1),
                &taxonomy,
                |_: &Sku| false,
                gated(),
            )
        })
    });
    group.bench_function("csv_floor", |b| {
        b.iter(|| {
            let mut reader = csv::Reader::from_reader(black_box(NADIA_CSV.as_bytes()));
            reader
                .deserialize::<CsvRow>()
                .filter_map(Result::ok)
                .count()
        })
    });

    group.throughput(Throughput::Bytes(jsonl.len() as u64));
    group.bench_function("import_jsonl", |b| {
        b.iter(|| {
            import_jsonl(
                black_box(jsonl.as_bytes()),
                SellerId::new(1),
                &taxonomy,
                |_: &Sku| false,
            )
        })
    });
    group.bench_function("import_jsonl_gated", |b| {
        b.iter(|| {
            import_jsonl_with(
                black_box(jsonl.as_bytes()),
                SellerId::new(1),
                &taxonomy,
                |_: &Sku| false,
                gated(),
            )
        })
    });
    group.bench_function("serde_json_floor", |b| {
        b.iter(|| {
            black_box(&jsonl)
                .lines()
                .filter_map(|line| serde_json::from_str::<JsonRow>(line).ok())
                .count()
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// Pricing and search

/// GST breakdown of an inclusive price, and a seller's payout for a sale.
#[allow(clippy::unwrap_used)]
fn pricing(c: &mut Criterion) {
    use haat::catalogue::{
        CommissionSchedule, CommissionTreatment, FixedFeeSlabs, GstRateTable, GstRegistration,
        MarketplaceTariff, PanStatus, Payout, Percent, SaleInput, SupplyKind, TaxBreakdown,
    };
    use haat::core::{Money, StateCode};

    c.bench_function("catalogue/gst_breakdown", |b| {
        b.iter(|| {
            TaxBreakdown::of(
                black_box(Money::from_rupees(12_000)),
                Percent::whole(5),
                SupplyKind::IntraState,
            )
        })
    });

    let tariff = MarketplaceTariff {
        commission: CommissionSchedule::new()
            .with_default(Percent::whole(15))
            .with_rate("textiles/sarees".parse().unwrap(), Percent::whole(10)),
        fixed_fees: FixedFeeSlabs::new(vec![
            (Some(Money::from_rupees(500)), Money::from_rupees(10)),
            (None, Money::from_rupees(40)),
        ])
        .unwrap(),
    };
    let wb = StateCode::WEST_BENGAL;
    let sale = SaleInput {
        sold_at: chrono::DateTime::from_timestamp(1_760_000_000, 0).unwrap(),
        category: "textiles/sarees/handloom/tant".parse().unwrap(),
        hsn: "5208".parse().unwrap(),
        unit_price: Money::from_rupees(2_450),
        quantity: 2,
        registration: GstRegistration::Registered { state: wb },
        pan: PanStatus::Furnished,
        buyer_state: "27".parse().unwrap(),
        commission: CommissionTreatment::Charged,
        shipping_fee: Money::from_rupees(60),
        tariff: &tariff,
        gst_rates: GstRateTable::india(),
    };
    c.bench_function("catalogue/payout", |b| {
        b.iter(|| Payout::compute(black_box(&sale)))
    });
}

/// Listings in the synthetic search catalogue.
const SEARCH_LISTINGS: u64 = 1_000_000;

/// A catalogue of synthetic active listings: 10 × 10 × 10 categories, 8 fabrics, 12 colours,
/// prices from ₹100 to ₹50,000, six-word titles from a 5,000-word vocabulary, 20,000 sellers.
#[allow(clippy::unwrap_used)]
fn search_index(listings: u64) -> haat::catalogue::SearchIndex {
    use haat::catalogue::{AttributeValue, ListingContent, ListingEvent, SearchIndex};
    use haat::core::{Actor, ListingId, Money, SellerId, StaffId};

    const FABRICS: [&str; 8] = [
        "cotton", "silk", "tussar", "muslin", "linen", "jute", "wool", "khadi",
    ];
    const COLOURS: [&str; 12] = [
        "red", "white", "black", "blue", "green", "yellow", "orange", "pink", "purple", "maroon",
        "cream", "grey",
    ];
    let categories: Vec<String> = (0..1000)
        .map(|i| format!("c{}/s{}/l{}", i / 100, i / 10 % 10, i % 10))
        .collect();
    let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        // xorshift64*: deterministic, no dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let ops = Actor::Operations(StaffId::new(1));
    let at = chrono::DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    let mut index = SearchIndex::new();
    for i in 0..listings {
        let r = next();
        let mut attributes = haat::catalogue::Attributes::new();
        attributes.insert(
            "fabric".to_owned(),
            AttributeValue::text(FABRICS[(r % 8) as usize]),
        );
        attributes.insert(
            "colour".to_owned(),
            AttributeValue::text(COLOURS[(r >> 8) as usize % 12]),
        );
        let title = (0..6)
            .map(|k| words[(next() >> (k * 3)) as usize % words.len()].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let content = ListingContent {
            title,
            description: String::new(),
            category: categories[(r >> 16) as usize % categories.len()]
                .parse()
                .unwrap(),
            attributes,
            images: Vec::new(),
            price: Money::from_rupees(100 + ((r >> 32) % 49_900) as i64),
            mrp: None,
            hsn: "5208".parse().unwrap(),
            packaged: None,
            sku: format!("SKU-{i}").parse().unwrap(),
        };
        let listing = ListingId::new(i);
        let seller = SellerId::new(i % 20_000);
        index.apply(&ListingEvent::ReviewPassed {
            listing,
            seller,
            actor: ops,
            at,
            content,
        });
        index.apply(&ListingEvent::Activated {
            listing,
            seller,
            actor: ops,
            at,
        });
    }
    // After a bulk load, one compaction clusters documents by category.
    index.compact();
    index
}

/// A selective query over 1 million listings: category + price range + one attribute.
#[allow(clippy::unwrap_used)]
fn search(c: &mut Criterion) {
    use std::sync::OnceLock;

    use haat::catalogue::{AttributeValue, SearchQuery};
    use haat::core::Money;

    // Built on first use, so that filtering this benchmark out skips the build.
    let index = OnceLock::new();
    let queries: Vec<SearchQuery> = (0..10u32)
        .map(|i| {
            SearchQuery::new()
                .category(format!("c{}/s{}", i, (i * 3) % 10).parse().unwrap())
                .price_between(Money::from_rupees(1_000), Money::from_rupees(5_000))
                .attribute("fabric", [AttributeValue::text("silk")])
        })
        .collect();
    let mut round = 0usize;
    c.bench_function("catalogue/search_selective", |b| {
        let index = index.get_or_init(|| search_index(SEARCH_LISTINGS));
        b.iter(|| {
            round = (round + 1) % queries.len();
            index.search(black_box(&queries[round]))
        })
    });
    let text = SearchQuery::new()
        .text("w17 w4242")
        .category("c3".parse().unwrap());
    c.bench_function("catalogue/search_text", |b| {
        let index = index.get_or_init(|| search_index(SEARCH_LISTINGS));
        b.iter(|| index.search(black_box(&text)))
    });
}
