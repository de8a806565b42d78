//! Search: filters, text in English and Bengali, order, pages, and the index kept current.

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_catalogue::{
    AttributeValue, CategoryId, ListingContent, ListingEvent, SearchError, SearchIndex,
    SearchQuery, SortOrder, Taxonomy, search_keys,
};
use haat_core::{
    Actor, District, ListingId, Money, PinDirectory, SellerId, Sku, StaffId, StateCode,
};
use proptest::prelude::*;

const OPS: Actor = Actor::Operations(StaffId::new(1));

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn content(
    title: &str,
    category: &str,
    attributes: &[(&str, &str)],
    rupees: i64,
    sku: &str,
) -> ListingContent {
    ListingContent {
        title: title.into(),
        description: String::new(),
        category: category.parse().unwrap(),
        attributes: attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), AttributeValue::text(*v)))
            .collect::<haat_catalogue::Attributes>(),
        images: vec![],
        price: Money::from_rupees(rupees),
        mrp: None,
        hsn: "5208".parse().unwrap(),
        packaged: None,
        sku: sku.parse().unwrap(),
    }
}

fn activate(
    index: &mut SearchIndex,
    listing: u64,
    seller: u64,
    minute: i64,
    content: ListingContent,
) {
    let (listing, seller) = (ListingId::new(listing), SellerId::new(seller));
    index.apply(&ListingEvent::ReviewPassed {
        listing,
        seller,
        actor: OPS,
        at: at(minute),
        content,
    });
    index.apply(&ListingEvent::Activated {
        listing,
        seller,
        actor: OPS,
        at: at(minute),
    });
}

fn deactivate(index: &mut SearchIndex, listing: u64, seller: u64) {
    index.apply(&ListingEvent::Deactivated {
        listing: ListingId::new(listing),
        seller: SellerId::new(seller),
        actor: OPS,
        at: at(10_000),
    });
}

fn district(state: StateCode, name: &str) -> District {
    PinDirectory::india().find_district(state, name).unwrap()
}

/// A small catalogue: sarees from Nadia and Bankura, apparel from Kolkata, tea from a seller
/// whose region is not known.
fn catalogue() -> SearchIndex {
    let wb = StateCode::WEST_BENGAL;
    let mut index = SearchIndex::new();
    index.set_seller_region(SellerId::new(1), wb, district(wb, "Nadia"));
    index.set_seller_region(SellerId::new(2), wb, district(wb, "Bankura"));
    index.set_seller_region(SellerId::new(3), wb, district(wb, "Kolkata"));
    activate(
        &mut index,
        1,
        1,
        1,
        content(
            "Handwoven Shantipuri cotton saree",
            "textiles/sarees/handloom/shantipuri",
            &[("fabric", "Cotton")],
            2_450,
            "SHP-1",
        ),
    );
    activate(
        &mut index,
        2,
        1,
        2,
        content(
            "Tant saree, red border — তাঁতের শাড়ি",
            "textiles/sarees/handloom/tant",
            &[("fabric", "cotton")],
            1_200,
            "TNT-1",
        ),
    );
    activate(
        &mut index,
        3,
        2,
        3,
        content(
            "Bālucharī silk saree from Bishnupur",
            "textiles/sarees/handloom/baluchari",
            &[("fabric", "Silk")],
            14_500,
            "BAL-1",
        ),
    );
    activate(
        &mut index,
        4,
        3,
        4,
        content(
            "Cotton kurta, block printed",
            "textiles/apparel/kurta",
            &[("fabric", "cotton")],
            899,
            "KRT-1",
        ),
    );
    activate(
        &mut index,
        5,
        4,
        5,
        content(
            "Darjeeling first flush tea 250 g",
            "food/tea",
            &[],
            650,
            "TEA-1",
        ),
    );
    index
}

fn ids(index: &SearchIndex, query: SearchQuery) -> Vec<u64> {
    index
        .search(&query)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.listing.get())
        .collect()
}

#[track_caller]
fn check(index: &SearchIndex, query: SearchQuery, expected: &[u64]) {
    let mut got = ids(index, query.clone());
    got.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "{query:?}");
}

#[test]
fn filters() {
    let index = catalogue();
    let wb = StateCode::WEST_BENGAL;
    let cat = |s: &str| s.parse::<CategoryId>().unwrap();
    check(&index, SearchQuery::new(), &[1, 2, 3, 4, 5]);
    check(
        &index,
        SearchQuery::new().category(cat("textiles/sarees")),
        &[1, 2, 3],
    );
    check(
        &index,
        SearchQuery::new().category(cat("textiles")),
        &[1, 2, 3, 4],
    );
    check(
        &index,
        SearchQuery::new().category(cat("textiles/sarees/handloom/tant")),
        &[2],
    );
    check(
        &index,
        SearchQuery::new().category(cat("textiles/sar")),
        &[],
    );
    check(&index, SearchQuery::new().seller(SellerId::new(1)), &[1, 2]);
    check(
        &index,
        SearchQuery::new().attribute("fabric", [AttributeValue::text("COTTON")]),
        &[1, 2, 4],
    );
    check(
        &index,
        SearchQuery::new()
            .attribute(
                "fabric",
                [AttributeValue::text("silk"), AttributeValue::text("cotton")],
            )
            .category(cat("textiles/sarees")),
        &[1, 2, 3],
    );
    check(
        &index,
        SearchQuery::new().attribute("fabric", [AttributeValue::text("linen")]),
        &[],
    );
    check(
        &index,
        SearchQuery::new().price_between(Money::from_rupees(899), Money::from_rupees(2_450)),
        &[1, 2, 4],
    );
    check(
        &index,
        SearchQuery::new().min_price(Money::from_rupees(2_451)),
        &[3],
    );
    check(
        &index,
        SearchQuery::new().max_price(Money::from_rupees(650)),
        &[5],
    );
    check(&index, SearchQuery::new().seller_state(wb), &[1, 2, 3, 4]); // seller 4 (tea) has told no region
    check(
        &index,
        SearchQuery::new().seller_district(district(wb, "Nadia")),
        &[1, 2],
    );
    check(
        &index,
        SearchQuery::new().seller_state("27".parse().unwrap()),
        &[],
    );
}

#[test]
fn text_is_case_diacritic_and_script_aware() {
    let index = catalogue();
    check(&index, SearchQuery::new().text("SAREE"), &[1, 2, 3]);
    check(&index, SearchQuery::new().text("baluchari"), &[3]);
    check(&index, SearchQuery::new().text("Bālucharī Saree"), &[3]);
    check(&index, SearchQuery::new().text("cotton saree"), &[1]);
    check(&index, SearchQuery::new().text("shantipuri linen"), &[]);
    // Bengali: the precomposed ড় and the decomposed ড + nukta find the same listings.
    check(&index, SearchQuery::new().text("শাড\u{09BC}ি"), &[1, 2, 3]);
    check(&index, SearchQuery::new().text("তাঁতের"), &[2]);
    // Punctuation and empty text do not filter.
    check(&index, SearchQuery::new().text(" — "), &[1, 2, 3, 4, 5]);
}

/// "শাড়ি" used to find only the saree whose title is partly in Bengali: the other two say
/// "saree".
#[test]
fn bengali_saree_finds_every_saree() {
    let index = catalogue();
    check(&index, SearchQuery::new().text("শাড়ি"), &[1, 2, 3]);
    check(&index, SearchQuery::new().text("শাড়ি সুতি"), &[]);
    check(&index, SearchQuery::new().text("বালুচরী শাড়ি"), &[3]);
}

/// Sarees titled in Bengali only, and one in English only.
fn bengali_catalogue(index: &mut SearchIndex) {
    let titles = [
        (
            11,
            "বালুচরী রেশম শাড়ি, বিষ্ণুপুর",
            "textiles/sarees/handloom/baluchari",
        ),
        (12, "লাল পাড় তাঁতের শাড়ি", "textiles/sarees/handloom/tant"),
        (13, "তাঁত শাড়ি, শান্তিপুর", "textiles/sarees/handloom/tant"),
        (14, "নকশি কাঁথা, হাতে সেলাই", "home-furnishing/nakshi-kantha"),
        (
            15,
            "Bishnupur silk with a Mahabharata pallu",
            "textiles/sarees/handloom/baluchari",
        ),
    ];
    for (id, title, category) in titles {
        activate(
            index,
            id,
            1,
            id as i64,
            content(title, category, &[], 5_000, &format!("BN-{id}")),
        );
    }
}

#[test]
fn romanised_queries_find_bengali_titles_and_bengali_queries_romanised_ones() {
    let mut index = SearchIndex::new();
    bengali_catalogue(&mut index);
    check(&index, SearchQuery::new().text("sari"), &[11, 12, 13]);
    check(&index, SearchQuery::new().text("saree"), &[11, 12, 13]);
    check(&index, SearchQuery::new().text("Sarees"), &[11, 12, 13]);
    check(&index, SearchQuery::new().text("tant"), &[13]);
    check(&index, SearchQuery::new().text("তাঁত"), &[13]);
    check(&index, SearchQuery::new().text("baluchari"), &[11]);
    check(&index, SearchQuery::new().text("Bālucharī saree"), &[11]);
    check(&index, SearchQuery::new().text("বালুচরী"), &[11]);
    check(&index, SearchQuery::new().text("bishnupur"), &[11, 15]);
    check(&index, SearchQuery::new().text("nakshi kantha"), &[14]);
    // And the other way round, on the English catalogue.
    let index = catalogue();
    check(&index, SearchQuery::new().text("তাঁত"), &[2]);
    check(&index, SearchQuery::new().text("বালুচরী"), &[3]);
    check(&index, SearchQuery::new().text("শান্তিপুরী"), &[1]);
}

#[test]
fn category_names_in_bengali_and_english_are_searchable() {
    let mut index = SearchIndex::with_taxonomy(&Taxonomy::west_bengal_default());
    bengali_catalogue(&mut index);
    // Listing 15's title is English and never says saree; its category is "বালুচরী শাড়ি".
    check(&index, SearchQuery::new().text("শাড়ি"), &[11, 12, 13, 15]);
    check(&index, SearchQuery::new().text("বালুচরী"), &[11, 15]);
    check(&index, SearchQuery::new().text("baluchari"), &[11, 15]);
    check(
        &index,
        SearchQuery::new().text("handloom saree"),
        &[11, 12, 13, 15],
    );
    check(
        &index,
        SearchQuery::new().text("তাঁতের শাড়ি"),
        &[11, 12, 13, 15],
    );
    check(&index, SearchQuery::new().text("tant"), &[12, 13]);
    check(&index, SearchQuery::new().text("বস্ত্র"), &[11, 12, 13, 15]);
    check(&index, SearchQuery::new().text("নকশি কাঁথা"), &[14]);
    // The index without the taxonomy knows titles only.
    let mut titles_only = SearchIndex::new();
    bengali_catalogue(&mut titles_only);
    check(&titles_only, SearchQuery::new().text("বালুচরী"), &[11]);
    // Category names do not lengthen the title: relevance is unchanged by them.
    let hits = index.search(&SearchQuery::new().text("bishnupur")).unwrap();
    let plain = titles_only
        .search(&SearchQuery::new().text("bishnupur"))
        .unwrap();
    assert_eq!(hits, plain);
}

#[test]
fn stock_signals() {
    let mut index = catalogue();
    check(&index, SearchQuery::new().in_stock_only(), &[]);
    let sku: Sku = "TNT-1".parse().unwrap();
    index.set_in_stock(SellerId::new(1), &sku, true);
    check(&index, SearchQuery::new().in_stock_only(), &[2]);
    index.set_in_stock(SellerId::new(1), &sku, false);
    check(&index, SearchQuery::new().in_stock_only(), &[]);
    // A signal before the listing is indexed is remembered.
    index.set_in_stock(SellerId::new(9), &"NEW-1".parse().unwrap(), true);
    activate(
        &mut index,
        9,
        9,
        9,
        content("Dokra horse", "handicrafts/dokra", &[], 1_800, "NEW-1"),
    );
    check(&index, SearchQuery::new().in_stock_only(), &[9]);
}

#[test]
fn order_and_pages() {
    let index = catalogue();
    assert_eq!(
        ids(&index, SearchQuery::new().sort(SortOrder::PriceAscending)),
        [5, 4, 2, 1, 3]
    );
    assert_eq!(
        ids(&index, SearchQuery::new().sort(SortOrder::PriceDescending)),
        [3, 1, 2, 4, 5]
    );
    assert_eq!(
        ids(&index, SearchQuery::new().sort(SortOrder::Newest)),
        [5, 4, 3, 2, 1]
    );
    // Relevance without text is newest first.
    assert_eq!(ids(&index, SearchQuery::new()), [5, 4, 3, 2, 1]);
    // Relevance: a shorter title with the word ranks higher.
    let results = index.search(&SearchQuery::new().text("cotton")).unwrap();
    assert!(results.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(results.hits[0].score > 0);

    let page = |n, size| {
        index
            .search(
                &SearchQuery::new()
                    .sort(SortOrder::PriceAscending)
                    .page(n, size),
            )
            .unwrap()
    };
    assert_eq!(page(1, 2).total, 5);
    let listed: Vec<u64> = (1..=3)
        .flat_map(|n| page(n, 2).hits)
        .map(|h| h.listing.get())
        .collect();
    assert_eq!(listed, [5, 4, 2, 1, 3]);
    assert!(page(4, 2).hits.is_empty());
    assert_eq!(page(4, 2).total, 5);

    assert!(matches!(
        index.search(&SearchQuery::new().page(0, 10)),
        Err(SearchError::InvalidPage { .. })
    ));
    assert!(matches!(
        index.search(&SearchQuery::new().page(1, 0)),
        Err(SearchError::InvalidPage { .. })
    ));
    assert!(matches!(
        index.search(
            &SearchQuery::new().price_between(Money::from_rupees(2), Money::from_rupees(1))
        ),
        Err(SearchError::InvalidPriceRange { .. })
    ));
}

#[test]
fn the_index_follows_the_listing_lifecycle() {
    let mut index = catalogue();
    // Deactivated: gone. Activated again: back, with its approved content.
    deactivate(&mut index, 3, 2);
    check(&index, SearchQuery::new().text("baluchari"), &[]);
    assert_eq!(index.len(), 4);
    index.apply(&ListingEvent::Activated {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: OPS,
        at: at(20),
    });
    check(&index, SearchQuery::new().text("baluchari"), &[3]);

    // A price change moves it between price ranges at once.
    index.apply(&ListingEvent::PriceChanged {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: Actor::Seller(SellerId::new(2)),
        at: at(21),
        price: Money::from_rupees(9_000),
        mrp: None,
    });
    check(
        &index,
        SearchQuery::new()
            .max_price(Money::from_rupees(10_000))
            .text("baluchari"),
        &[3],
    );

    // A revision passing review replaces the searchable content.
    let revised = content(
        "Baluchari silk saree, Mahabharata pallu",
        "textiles/sarees/handloom/baluchari",
        &[("fabric", "silk")],
        9_000,
        "BAL-1",
    );
    index.apply(&ListingEvent::ReviewPassed {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: OPS,
        at: at(22),
        content: revised,
    });
    check(&index, SearchQuery::new().text("mahabharata"), &[3]);
    check(&index, SearchQuery::new().text("bishnupur"), &[]);

    // Archived: gone for good.
    index.apply(&ListingEvent::Archived {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: OPS,
        at: at(23),
    });
    check(&index, SearchQuery::new().text("baluchari"), &[]);
    index.apply(&ListingEvent::Activated {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: OPS,
        at: at(24),
    });
    check(&index, SearchQuery::new().text("baluchari"), &[]);

    // Approved but never activated: not searchable.
    let draft = content(
        "Sholapith Durga",
        "handicrafts/sholapith",
        &[],
        3_000,
        "SHL-1",
    );
    index.apply(&ListingEvent::ReviewPassed {
        listing: ListingId::new(7),
        seller: SellerId::new(1),
        actor: OPS,
        at: at(25),
        content: draft,
    });
    check(&index, SearchQuery::new().text("sholapith"), &[]);
}

#[test]
fn many_changes_compact_without_losing_anything() {
    let mut index = SearchIndex::new();
    for i in 0..3_000u64 {
        activate(
            &mut index,
            i,
            i % 7,
            i as i64,
            content(
                &format!("saree number{i}"),
                "textiles/sarees",
                &[],
                1_000 + i as i64,
                &format!("S-{i}"),
            ),
        );
    }
    for round in 0..2 {
        for i in 0..3_000u64 {
            deactivate(&mut index, i, i % 7);
            index.apply(&ListingEvent::Activated {
                listing: ListingId::new(i),
                seller: SellerId::new(i % 7),
                actor: OPS,
                at: at(5_000 + round),
            });
        }
    }
    assert_eq!(index.len(), 3_000);
    assert_eq!(
        index
            .search(&SearchQuery::new().text("saree"))
            .unwrap()
            .total,
        3_000
    );
    check(&index, SearchQuery::new().text("number1234"), &[1234]);
    let before = index.memory_bytes();
    index.compact();
    assert!(index.memory_bytes() <= before);
    assert_eq!(
        index
            .search(&SearchQuery::new().seller(SellerId::new(3)))
            .unwrap()
            .total,
        (0..3_000).filter(|i| i % 7 == 3).count()
    );
}

// ---------------------------------------------------------------------------------------------
// Properties

const WORDS: &[&str] = &[
    "saree",
    "Tant",
    "Bālucharī",
    "jamdani",
    "silk",
    "cotton",
    "red",
    "শাড়ি",
    "তাঁত",
    "নদিয়া",
    "kurta",
    "dokra",
    "sari",
    "বালুচরী",
    "handloom",
    "কুর্তা",
    "Sarees",
];
/// Categories of the default taxonomy, and one it does not have under one it has.
const CATEGORIES: &[&str] = &[
    "textiles/sarees/handloom/tant",
    "textiles/sarees/handloom/jamdani",
    "apparel/kurtas",
    "handicrafts/dokra",
    "textiles/sarees/tant",
];
const FABRICS: &[&str] = &["cotton", "silk", "muslin"];

#[derive(Debug, Clone)]
struct Item {
    title: Vec<usize>,
    category: usize,
    fabric: usize,
    rupees: i64,
    seller: u64,
    in_stock: bool,
    active: bool,
}

fn item() -> impl Strategy<Value = Item> {
    (
        prop::collection::vec(0..WORDS.len(), 1..5),
        0..CATEGORIES.len(),
        0..FABRICS.len(),
        1i64..5_000,
        1u64..5,
        any::<bool>(),
        prop::bool::weighted(0.8),
    )
        .prop_map(
            |(title, category, fabric, rupees, seller, in_stock, active)| Item {
                title,
                category,
                fabric,
                rupees,
                seller,
                in_stock,
                active,
            },
        )
}

#[derive(Debug, Clone)]
struct Query {
    word: Option<usize>,
    category: Option<&'static str>,
    fabric: Option<usize>,
    price: Option<(i64, i64)>,
    seller: Option<u64>,
    in_stock: bool,
    nadia: bool,
}

fn query() -> impl Strategy<Value = Query> {
    (
        prop::option::of(0..WORDS.len()),
        prop::option::of(prop::sample::select(vec![
            "textiles",
            "textiles/sarees",
            "textiles/sarees/tant",
            "textiles/sarees/handloom/tant",
            "handicrafts",
        ])),
        prop::option::of(0..FABRICS.len()),
        prop::option::of((0i64..5_000, 0i64..5_000).prop_map(|(a, b)| (a.min(b), a.max(b)))),
        prop::option::of(1u64..5),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(word, category, fabric, price, seller, in_stock, nadia)| Query {
                word,
                category,
                fabric,
                price,
                seller,
                in_stock,
                nadia,
            },
        )
}

fn build(items: &[Item]) -> SearchIndex {
    let wb = StateCode::WEST_BENGAL;
    let mut index = SearchIndex::with_taxonomy(&Taxonomy::west_bengal_default());
    for seller in 1..5 {
        let place = if seller % 2 == 0 { "Nadia" } else { "Kolkata" };
        index.set_seller_region(SellerId::new(seller), wb, district(wb, place));
    }
    for (i, item) in items.iter().enumerate() {
        let title: Vec<&str> = item.title.iter().map(|&w| WORDS[w]).collect();
        let sku = format!("SKU-{i}");
        activate(
            &mut index,
            i as u64,
            item.seller,
            i as i64,
            content(
                &title.join(" "),
                CATEGORIES[item.category],
                &[("fabric", FABRICS[item.fabric])],
                item.rupees,
                &sku,
            ),
        );
        index.set_in_stock(
            SellerId::new(item.seller),
            &sku.parse().unwrap(),
            item.in_stock,
        );
        if !item.active {
            deactivate(&mut index, i as u64, item.seller);
        }
    }
    index
}

/// The plain scan's matching rule: every key of the query's text is a key of a title word or
/// of a name of the category or a category above it that the taxonomy knows.
fn matches(item: &Item, q: &Query) -> bool {
    let taxonomy = Taxonomy::west_bengal_default();
    let category: CategoryId = CATEGORIES[item.category].parse().unwrap();
    let mut keys: Vec<String> = item
        .title
        .iter()
        .flat_map(|&t| search_keys(WORDS[t]))
        .collect();
    for id in std::iter::once(category.clone()).chain(category.ancestors()) {
        if let Some(known) = taxonomy.get(&id) {
            keys.extend(search_keys(known.name_en()));
            keys.extend(search_keys(known.name_bn()));
        }
    }
    item.active
        && q.word
            .is_none_or(|w| search_keys(WORDS[w]).iter().all(|k| keys.contains(k)))
        && q.category.is_none_or(|c| {
            CATEGORIES[item.category] == c
                || CATEGORIES[item.category].starts_with(&format!("{c}/"))
        })
        && q.fabric.is_none_or(|f| f == item.fabric)
        && q.price
            .is_none_or(|(lo, hi)| lo <= item.rupees && item.rupees <= hi)
        && q.seller.is_none_or(|s| s == item.seller)
        && (!q.in_stock || item.in_stock)
        && (!q.nadia || item.seller.is_multiple_of(2))
}

fn to_search(q: &Query) -> SearchQuery {
    let wb = StateCode::WEST_BENGAL;
    let mut s = SearchQuery::new().page(1, 1_000);
    if let Some(w) = q.word {
        s = s.text(WORDS[w]);
    }
    if let Some(c) = q.category {
        s = s.category(c.parse().unwrap());
    }
    if let Some(f) = q.fabric {
        s = s.attribute("fabric", [AttributeValue::text(FABRICS[f])]);
    }
    if let Some((lo, hi)) = q.price {
        s = s.price_between(Money::from_rupees(lo), Money::from_rupees(hi));
    }
    if let Some(seller) = q.seller {
        s = s.seller(SellerId::new(seller));
    }
    if q.in_stock {
        s = s.in_stock_only();
    }
    if q.nadia {
        s = s.seller_district(district(wb, "Nadia"));
    }
    s
}

/// Bengali words and the ways they are romanised on listings.
const ROMANISED: &[(&str, &[&str])] = &[
    ("শাড়ি", &["sari", "saree", "shari", "Sarees"]),
    ("তাঁত", &["tant", "taant", "Tant"]),
    (
        "বালুচরী",
        &["baluchari", "baluchaari", "Bālucharī", "BALUCHORI"],
    ),
    ("জামদানি", &["jamdani", "jamdaani", "Jaamdani"]),
    ("শান্তিপুরী", &["shantipuri", "santipuri"]),
    ("নকশি", &["nakshi", "naksi", "nokshi"]),
    ("কাঁথা", &["kantha", "kaantha"]),
    ("ডোকরা", &["dokra", "dhokra"]),
    ("টেরাকোটা", &["terracotta", "terakota"]),
    ("দার্জিলিং", &["darjeeling", "darjiling"]),
    ("গোবিন্দভোগ", &["gobindobhog", "gobindabhog", "Gobindbhog"]),
    ("গুড়", &["gur"]),
    ("নদিয়া", &["nadia", "nadiya", "nodia"]),
    ("বিষ্ণুপুর", &["bishnupur", "bisnupur", "Bishnupoor"]),
    ("পাটালি", &["patali", "paatali"]),
    ("বাঁকুড়া", &["bankura"]),
    ("মুর্শিদাবাদ", &["murshidabad"]),
    ("রেশম", &["resham"]),
    ("সিল্ক", &["silk"]),
    ("ফুলিয়া", &["phulia", "fulia", "phuliya"]),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A phrase of known Bengali words and the same phrase romanised, any way each word is
    /// spelt, have the same search keys.
    #[test]
    fn bengali_words_and_their_romanisations_have_one_key(
        picks in prop::collection::vec((0..ROMANISED.len(), any::<prop::sample::Index>()), 1..5),
    ) {
        let bengali: Vec<&str> = picks.iter().map(|(w, _)| ROMANISED[*w].0).collect();
        let latin: Vec<&str> = picks
            .iter()
            .map(|(w, spelling)| *spelling.get(ROMANISED[*w].1))
            .collect();
        prop_assert_eq!(search_keys(&bengali.join(" ")), search_keys(&latin.join(", ")));
    }

    #[test]
    fn results_are_exactly_the_listings_that_satisfy_every_filter(
        items in prop::collection::vec(item(), 0..60),
        q in query(),
        sort in prop::sample::select(vec![SortOrder::Relevance, SortOrder::PriceAscending, SortOrder::PriceDescending, SortOrder::Newest]),
    ) {
        let index = build(&items);
        let results = index.search(&to_search(&q).sort(sort)).unwrap();
        let mut got: Vec<u64> = results.hits.iter().map(|h| h.listing.get()).collect();
        let mut want: Vec<u64> = items.iter().enumerate().filter(|(_, it)| matches(it, &q)).map(|(i, _)| i as u64).collect();
        prop_assert_eq!(results.total, want.len());
        match sort {
            SortOrder::PriceAscending => prop_assert!(results.hits.windows(2).all(|w| w[0].price <= w[1].price)),
            SortOrder::PriceDescending => prop_assert!(results.hits.windows(2).all(|w| w[0].price >= w[1].price)),
            _ => {}
        }
        got.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_listing_is_found_by_each_word_of_its_title(items in prop::collection::vec(item(), 1..30)) {
        let index = build(&items);
        for (i, item) in items.iter().enumerate().filter(|(_, it)| it.active) {
            for &w in &item.title {
                let found = index.search(&SearchQuery::new().text(WORDS[w]).page(1, 1_000)).unwrap();
                prop_assert!(found.hits.iter().any(|h| h.listing.get() == i as u64), "{} not found by {}", i, WORDS[w]);
            }
        }
    }

    #[test]
    fn deactivated_listings_disappear(items in prop::collection::vec(item(), 1..30)) {
        let index = build(&items);
        let all = index.search(&SearchQuery::new().page(1, 1_000)).unwrap();
        prop_assert_eq!(all.total, items.iter().filter(|it| it.active).count());
        for hit in &all.hits {
            prop_assert!(items[hit.listing.get() as usize].active);
        }
    }
}

/// A price of ₹10²⁷ once deserialised and then overflowed `Money::paise` in
/// `SearchIndex::apply`. The stored event is refused when read; the largest price there is
/// is indexed and found.
#[test]
fn prices_beyond_the_money_range_are_refused_before_the_index() {
    let event = ListingEvent::PriceChanged {
        listing: ListingId::new(3),
        seller: SellerId::new(2),
        actor: Actor::Seller(SellerId::new(2)),
        at: at(21),
        price: Money::from_rupees(9_000),
        mrp: None,
    };
    let json = serde_json::to_string(&event)
        .unwrap()
        .replace("9000.00", "1000000000000000000000000000");
    let error = serde_json::from_str::<ListingEvent>(&json).unwrap_err();
    assert!(error.to_string().contains("out of range"), "{error}");

    let mut index = SearchIndex::new();
    let mut richest = content(
        "Baluchari silk",
        "textiles/sarees/handloom",
        &[],
        1,
        "BAL-MAX",
    );
    richest.price = Money::MAX;
    activate(&mut index, 9, 2, 0, richest);
    check(
        &index,
        SearchQuery::new().price_between(Money::MAX, Money::MAX),
        &[9],
    );
}
