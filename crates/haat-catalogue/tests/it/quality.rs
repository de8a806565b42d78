//! Quality checks: one data-driven case per rule, and properties.

use haat_catalogue::{
    AttributeValue, Declaration, IssueCode, ListingContent, NetQuantity, PackagedDeclarations,
    QuantityUnit, Severity, Taxonomy, check_listing,
};
use haat_core::{Decimal, Money, Month};
use proptest::prelude::*;

/// A Shantipuri saree that passes every check with full score.
pub fn saree() -> ListingContent {
    let mut attributes = haat_catalogue::Attributes::new();
    attributes.insert("fabric".to_owned(), AttributeValue::text("cotton"));
    attributes.insert(
        "length_m".to_owned(),
        AttributeValue::Number(Decimal::new(55, 1)),
    );
    attributes.insert("blouse_piece".to_owned(), AttributeValue::Bool(true));
    attributes.insert("gi_tag".to_owned(), AttributeValue::Bool(true));
    attributes.insert(
        "gi_name".to_owned(),
        AttributeValue::text("Santipore Saree"),
    );
    ListingContent {
        title: "Handwoven Shantipuri cotton saree, red and white".into(),
        description: "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.".into(),
        category: "textiles/sarees/handloom/shantipuri".parse().unwrap(),
        attributes,
        images: (1..=3)
            .map(|i| format!("https://img.example.in/shp-{i}.jpg"))
            .collect(),
        price: Money::from_rupees(2_450),
        mrp: Some(Money::from_rupees(2_800)),
        hsn: "52085210".parse().unwrap(),
        packaged: None,
        sku: "SHP-RED-001".parse().unwrap(),
    }
}

/// Packaged Darjeeling tea that passes every check.
pub fn tea() -> ListingContent {
    let mut attributes = haat_catalogue::Attributes::new();
    attributes.insert("flush".to_owned(), AttributeValue::text("first"));
    ListingContent {
        title: "Darjeeling first flush black tea, 250 g".into(),
        description: "Spring leaf from a Kurseong estate, packed at the garden.".into(),
        category: "food/tea/darjeeling".parse().unwrap(),
        attributes,
        images: (1..=3)
            .map(|i| format!("https://img.example.in/dj-{i}.jpg"))
            .collect(),
        price: Money::from_rupees(650),
        mrp: Some(Money::from_rupees(700)),
        hsn: "0902".parse().unwrap(),
        packaged: Some(Box::new(PackagedDeclarations {
            manufacturer_or_packer: "Giddapahar Tea Estate".into(),
            address: "Kurseong, Darjeeling, West Bengal 734203".into(),
            importer: String::new(),
            importer_address: String::new(),
            generic_name: "Black tea".into(),
            net_quantity: NetQuantity::new(Decimal::from(250), QuantityUnit::Gram),
            country_of_origin: "IN".into(),
            manufactured: Month::new(2025, 11),
            // ₹700 for 250 g.
            unit_sale_price: Some(Money::from_paise(280)),
            consumer_care_phone: "+91 354 234 5678".into(),
            consumer_care_email: "care@giddapahar.example.in".into(),
        })),
        sku: "DJ-FF-250".parse().unwrap(),
    }
}

#[track_caller]
fn check(
    base: fn() -> ListingContent,
    change: impl FnOnce(&mut ListingContent),
    expected: &[(&str, IssueCode)],
) {
    let mut content = base();
    change(&mut content);
    let report = check_listing(&content, &Taxonomy::west_bengal_default());
    let got: Vec<(&str, IssueCode)> = report
        .issues()
        .iter()
        .map(|i| (i.path.as_str(), i.code))
        .collect();
    assert_eq!(got, expected, "report:\n{report}");
    let points: u32 = report.issues().iter().map(|i| u32::from(i.points)).sum();
    assert_eq!(u32::from(report.score()), 100u32.saturating_sub(points));
}

fn attr(c: &mut ListingContent, name: &str, value: AttributeValue) {
    c.attributes.insert(name.to_owned(), value);
}

#[test]
fn clean_listings_pass_with_full_score() {
    check(saree, |_| {}, &[]);
    check(tea, |_| {}, &[]);
    let report = check_listing(&saree(), &Taxonomy::west_bengal_default());
    assert!(report.passes());
    assert_eq!(report.score(), 100);
}

#[test]
fn title_rules() {
    use IssueCode::*;
    check(
        saree,
        |c| c.title = "Saree".into(),
        &[("title", TitleTooShort)],
    );
    check(
        saree,
        |c| c.title = "Handwoven saree ".repeat(10),
        &[
            ("title", TitleTooLong),
            ("title", RepeatedWord),
            ("title", RepeatedWord),
        ],
    );
    check(
        saree,
        |c| c.title = "Tant saree at the best price".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "Tant saree, BEST-PRICE guaranteed".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "100% Original Tant cotton saree".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "Tant saree with free delivery".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "Puja sale: Tant cotton saree".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "Tant cotton saree special offer".into(),
        &[("title", PromotionalPhrase)],
    );
    check(
        saree,
        |c| c.title = "Wholesale-grade Tant cotton saree".into(),
        &[],
    ); // "sale" inside a word is fine
    check(
        saree,
        |c| c.title = "Tant cotton saree!!".into(),
        &[("title", ForbiddenCharacter)],
    );
    check(
        saree,
        |c| c.title = "Tant <cotton> saree".into(),
        &[("title", ForbiddenCharacter), ("title", ForbiddenCharacter)],
    );
    check(
        saree,
        |c| c.title = "Tant cotton saree 🌸".into(),
        &[("title", ForbiddenCharacter)],
    );
    check(
        saree,
        |c| c.title = "Saree saree SAREE Tant cotton".into(),
        &[("title", RepeatedWord)],
    );
    check(
        saree,
        |c| c.title = "Red and white and gold and cream Tant".into(),
        &[],
    ); // stop words repeat freely
    check(
        saree,
        |c| c.title = "Tant tint tent TANT taunt tant saree".into(),
        &[("title", RepeatedWord)],
    ); // words of one length, first and last letter are still told apart
    check(
        saree,
        |c| c.title = "Tant tint tent tart taunt saree".into(),
        &[],
    );
    check(
        saree,
        |c| c.title = "  Tant--saree, tant...saree;TANT  ".into(),
        &[("title", RepeatedWord)],
    ); // separators at either end and in runs
    check(saree, |c| c.title = "শান্তিপুরী তাঁতের শাড়ি, লাল পাড়".into(), &[]); // Bengali titles are welcome
    check(
        saree,
        |c| c.title = "শাড়ি শাড়ি শাড়ি লাল পাড়".into(),
        &[("title", RepeatedWord)],
    );
}

#[test]
fn description_and_image_rules() {
    use IssueCode::*;
    check(
        saree,
        |c| c.description = "Nice".into(),
        &[("description", DescriptionShort)],
    );
    check(saree, |c| c.images.clear(), &[("images", NoImage)]);
    check(saree, |c| c.images.truncate(1), &[("images", FewImages)]);
    check(
        saree,
        |c| c.images[2] = "http://img.example.in/3.jpg".into(),
        &[("images[2]", ImageNotHttps)],
    );
    check(
        saree,
        |c| c.images[0] = "https:///nohost.jpg".into(),
        &[("images[0]", ImageNotHttps)],
    );
    check(
        saree,
        |c| c.images[1] = "HTTPS://IMG.EXAMPLE.IN/2.JPG".into(),
        &[],
    );
}

#[test]
fn attribute_rules() {
    use IssueCode::*;
    check(
        saree,
        |c| {
            c.attributes.remove("length_m");
        },
        &[("attributes.length_m", MissingAttribute)],
    );
    check(
        saree,
        |c| {
            c.attributes.remove("gi_tag");
        },
        &[],
    ); // optional
    check(
        saree,
        |c| attr(c, "length_m", AttributeValue::Number(Decimal::new(95, 1))),
        &[("attributes.length_m", AttributeOutOfRange)],
    );
    check(
        saree,
        |c| attr(c, "length_m", AttributeValue::text("5.5")),
        &[("attributes.length_m", AttributeWrongType)],
    );
    check(
        saree,
        |c| attr(c, "length_m", AttributeValue::text("550 cm")),
        &[("attributes.length_m", AttributeWrongUnit)],
    );
    check(
        saree,
        |c| attr(c, "fabric", AttributeValue::text("silk")),
        &[("attributes.fabric", AttributeNotAllowed)],
    ); // Shantipuri is cotton
    check(
        saree,
        |c| attr(c, "blouse_piece", AttributeValue::text("yes")),
        &[("attributes.blouse_piece", AttributeWrongType)],
    );
    check(
        saree,
        |c| attr(c, "colour", AttributeValue::text("r")),
        &[("attributes.colour", AttributeOutOfRange)],
    );
    check(
        saree,
        |c| attr(c, "thread_count", AttributeValue::Number(100.into())),
        &[("attributes.thread_count", UnknownAttribute)],
    );
    check(
        tea,
        |c| {
            c.category = "food/rice/gobindobhog".parse().unwrap();
            c.hsn = "1006".parse().unwrap();
            attr(
                c,
                "crop_year",
                AttributeValue::Number(Decimal::new(20245, 1)),
            );
            c.attributes.remove("flush");
        },
        &[("attributes.crop_year", AttributeNotInteger)],
    );
    check(
        saree,
        |c| c.category = "textiles/sarees/handloom/garad".parse().unwrap(),
        &[("category", UnknownCategory)],
    );
}

/// A parent category accepts whole HSN chapters, which its leaves narrow to the codes the GST
/// rate table prices: a listing placed on a parent is refused, and told which leaves to use.
#[test]
fn a_listing_on_a_parent_category_is_refused_with_leaves_to_choose_from() {
    let taxonomy = Taxonomy::west_bengal_default();
    let mut content = saree();
    content.category = "handicrafts".parse().unwrap();
    content.attributes = haat_catalogue::Attributes::new();
    content.hsn = "4420".parse().unwrap(); // in chapter 44, which `handicrafts` accepts
    let report = check_listing(&content, &taxonomy);
    assert!(!report.passes(), "{report}");
    let issues: Vec<_> = report.errors().collect();
    assert_eq!(issues.len(), 1, "{report}");
    assert_eq!(issues[0].path, "category");
    assert_eq!(issues[0].code, IssueCode::CategoryNotLeaf);
    assert_eq!(
        issues[0].message,
        "'handicrafts' has subcategories and takes no listings itself; choose a leaf category \
         such as handicrafts/dokra, handicrafts/sholapith, handicrafts/terracotta"
    );

    // Every parent of the default taxonomy is refused; every leaf is not.
    for category in taxonomy.categories() {
        let mut content = saree();
        content.category = category.id().clone();
        let refused =
            check_listing(&content, &taxonomy).has("category", IssueCode::CategoryNotLeaf);
        assert_eq!(refused, !category.is_leaf(), "{}", category.id());
    }
}

#[test]
fn price_mrp_and_hsn_rules() {
    use IssueCode::*;
    check(
        saree,
        |c| c.price = Money::ZERO,
        &[("price", PriceNotPositive)],
    );
    check(
        saree,
        |c| c.price = Money::from_rupees(3_000),
        &[("price", PriceAboveMrp)],
    );
    check(saree, |c| c.mrp = None, &[]); // not packaged: MRP optional
    check(
        saree,
        |c| c.mrp = Some(Money::ZERO),
        &[("mrp", MrpNotPositive)],
    );
    check(
        saree,
        |c| c.price = Money::from_rupees(500),
        &[("mrp", SuspiciousDiscount)],
    );
    check(saree, |c| c.price = Money::from_rupees(560), &[]); // exactly 80% off is not flagged
    check(
        saree,
        |c| c.price = Money::from_paise(55_999),
        &[("mrp", SuspiciousDiscount)],
    );
    check(
        saree,
        |c| c.hsn = "5007".parse().unwrap(),
        &[("hsn", HsnNotAllowed)],
    );
    check(tea, |c| c.mrp = None, &[("mrp", MrpRequired)]);
}

#[test]
fn legal_metrology_rules() {
    use IssueCode::*;
    check(
        tea,
        |c| c.packaged = None,
        &[("packaged", DeclarationsMissing)],
    );
    check(
        tea,
        |c| c.packaged.as_mut().unwrap().address = "  ".into(),
        &[("packaged.address", DeclarationBlank)],
    );
    check(
        tea,
        |c| {
            let p = c.packaged.as_mut().unwrap();
            p.manufacturer_or_packer.clear();
            p.generic_name.clear();
            p.country_of_origin.clear();
        },
        &[
            ("packaged.manufacturer_or_packer", DeclarationBlank),
            ("packaged.generic_name", DeclarationBlank),
            ("packaged.country_of_origin", DeclarationBlank),
        ],
    );
    check(
        tea,
        |c| {
            c.packaged.as_mut().unwrap().net_quantity =
                NetQuantity::new(Decimal::ZERO, QuantityUnit::Gram)
        },
        &[("packaged.net_quantity", NetQuantityNotPositive)],
    );
}

fn declarations(c: &mut ListingContent) -> &mut PackagedDeclarations {
    c.packaged.as_deref_mut().unwrap()
}

type Clear = fn(&mut PackagedDeclarations);

#[test]
fn each_missing_legal_metrology_declaration_is_named() {
    use Declaration::*;
    let cases: [(Declaration, Clear); 8] = [
        (ManufacturerOrPacker, |p| p.manufacturer_or_packer.clear()),
        (Address, |p| p.address = " ".into()),
        (GenericName, |p| p.generic_name.clear()),
        (CountryOfOrigin, |p| p.country_of_origin.clear()),
        (Manufactured, |p| p.manufactured = None),
        (UnitSalePrice, |p| p.unit_sale_price = None),
        (ConsumerCarePhone, |p| p.consumer_care_phone.clear()),
        (ConsumerCareEmail, |p| p.consumer_care_email = "\t".into()),
    ];
    for (declaration, clear) in cases {
        check(
            tea,
            |c| clear(declarations(c)),
            &[(declaration.path(), IssueCode::DeclarationBlank)],
        );
        let mut content = tea();
        clear(declarations(&mut content));
        let report = check_listing(&content, &Taxonomy::west_bengal_default());
        assert!(!report.passes());
        assert_eq!(
            report.issues()[0].message,
            format!("{} is missing", declaration.describe())
        );
    }
}

#[test]
fn imported_goods_need_the_importer() {
    use IssueCode::*;
    check(
        tea,
        |c| declarations(c).country_of_origin = "NP".into(),
        &[
            ("packaged.importer", DeclarationBlank),
            ("packaged.importer_address", DeclarationBlank),
        ],
    );
    check(
        tea,
        |c| {
            let p = declarations(c);
            p.country_of_origin = "np".into();
            p.importer = "Himalayan Leaf Imports Pvt Ltd".into();
        },
        &[("packaged.importer_address", DeclarationBlank)],
    );
    check(
        tea,
        |c| {
            let p = declarations(c);
            p.country_of_origin = "NP".into();
            p.importer = "Himalayan Leaf Imports Pvt Ltd".into();
            p.importer_address = "Siliguri, Darjeeling, West Bengal 734001".into();
        },
        &[],
    );
    // Goods made in India need no importer.
    check(
        tea,
        |c| declarations(c).country_of_origin = " in ".into(),
        &[],
    );
}

#[test]
fn country_of_origin_is_an_iso_3166_code() {
    use IssueCode::*;
    for country in ["India", "UK", "IND", "XX", "ভারত"] {
        check(
            tea,
            |c| declarations(c).country_of_origin = country.into(),
            &[("packaged.country_of_origin", CountryNotIso3166)],
        );
    }
    let mut content = tea();
    declarations(&mut content).country_of_origin = "India".into();
    let report = check_listing(&content, &Taxonomy::west_bengal_default());
    assert!(
        report.issues()[0].message.ends_with("India is 'IN'"),
        "{report}"
    );
    for country in ["BD", "GB", "LK", "AX"] {
        check(
            tea,
            |c| {
                let p = declarations(c);
                p.country_of_origin = country.into();
                p.importer = "Kolkata Imports".into();
                p.importer_address = "Burrabazar, Kolkata 700007".into();
            },
            &[],
        );
    }
}

#[test]
fn unit_sale_price_follows_rule_6_11() {
    use IssueCode::*;
    #[track_caller]
    fn case(quantity: &str, mrp_paise: i64, declared: Option<i64>, expected: &[(&str, IssueCode)]) {
        check(
            tea,
            |c| {
                c.mrp = Some(Money::from_paise(mrp_paise));
                c.price = Money::from_paise(mrp_paise);
                let p = declarations(c);
                p.net_quantity = quantity.parse().unwrap();
                p.unit_sale_price = declared.map(Money::from_paise);
            },
            expected,
        );
    }
    // Below a kilogram, per gram; from a kilogram up, per kilogram.
    case("250 g", 70_000, Some(280), &[]);
    case(
        "250 g",
        70_000,
        Some(280_000),
        &[("packaged.unit_sale_price", UnitSalePriceWrong)],
    );
    case("2.5 kg", 90_000, Some(36_000), &[]);
    case("1500 g", 90_000, Some(60_000), &[]);
    case(
        "1500 g",
        90_000,
        None,
        &[("packaged.unit_sale_price", DeclarationBlank)],
    );
    // Volume and length likewise; pieces per piece.
    case("500 ml", 25_000, Some(50), &[]);
    case("2 l", 25_000, Some(12_500), &[]);
    case("80 cm", 40_000, Some(500), &[]);
    case("5.5 m", 110_000, Some(20_000), &[]);
    case("4 pcs", 100_000, Some(25_000), &[]);
    // Not asked for where it equals the retail sale price: one kilogram, one litre, one piece.
    case("1 kg", 32_000, None, &[]);
    case("1000 g", 32_000, None, &[]);
    case("1 l", 32_000, None, &[]);
    case("1 pcs", 32_000, None, &[]);
    // Rounded to the paisa, half away from zero: ₹100 for 300 g is ₹0.3333… per gram.
    case("300 g", 10_000, Some(33), &[]);
    case(
        "300 g",
        10_000,
        Some(34),
        &[("packaged.unit_sale_price", UnitSalePriceWrong)],
    );
}

#[test]
fn consumer_care_contacts_are_a_phone_number_and_an_email_address() {
    use IssueCode::*;
    for phone in [
        "1800-123-4567",
        "+91 33 2222 1234",
        "(033) 2222-1234",
        "9830012345",
    ] {
        check(
            tea,
            |c| declarations(c).consumer_care_phone = phone.into(),
            &[],
        );
    }
    for phone in [
        "call us",
        "12345",
        "+91 98300 12345 ext 2",
        "1234567890123456",
    ] {
        check(
            tea,
            |c| declarations(c).consumer_care_phone = phone.into(),
            &[("packaged.consumer_care_phone", ConsumerCareInvalid)],
        );
    }
    for email in [
        "care@example",
        "care.example.in",
        "@example.in",
        "care@@example.in",
        "care @example.in",
        "care@example..in",
    ] {
        check(
            tea,
            |c| declarations(c).consumer_care_email = email.into(),
            &[("packaged.consumer_care_email", ConsumerCareInvalid)],
        );
    }
}

/// Declarations written before the importer, month of manufacture, unit sale price and
/// consumer care were declared still read, with those missing.
#[test]
fn declarations_without_the_later_fields_still_read() {
    let old = r#"{"manufacturer_or_packer":"Giddapahar Tea Estate","address":"Kurseong, Darjeeling 734203","generic_name":"Black tea","net_quantity":{"amount":"250","unit":"gram"},"country_of_origin":"IN"}"#;
    let p: PackagedDeclarations = serde_json::from_str(old).unwrap();
    assert_eq!(
        p.missing(Some(Money::from_rupees(700))),
        [
            Declaration::Manufactured,
            Declaration::UnitSalePrice,
            Declaration::ConsumerCarePhone,
            Declaration::ConsumerCareEmail
        ]
    );
    assert_eq!(serde_json::to_string(&p).unwrap(), old);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut c = tea();
    c.title = "Sale!!".into();
    c.images = vec!["http://x.in/a.jpg".into()];
    c.mrp = None;
    c.packaged = None;
    c.hsn = "1006".parse().unwrap();
    let report = check_listing(&c, &Taxonomy::west_bengal_default());
    let codes: Vec<_> = report.issues().iter().map(|i| i.code).collect();
    use IssueCode::*;
    assert_eq!(
        codes,
        [
            TitleTooShort,
            ForbiddenCharacter,
            PromotionalPhrase,
            FewImages,
            ImageNotHttps,
            MrpRequired,
            DeclarationsMissing,
            HsnNotAllowed
        ]
    );
    assert_eq!(report.score(), 0);
    assert!(report.warnings().all(|w| w.severity == Severity::Warning));
}

fn arb_content() -> impl Strategy<Value = ListingContent> {
    let attr_value = prop_oneof![
        ".{0,20}".prop_map(AttributeValue::Text),
        (any::<i64>(), 0u32..6).prop_map(|(m, s)| AttributeValue::Number(Decimal::new(m, s))),
        any::<bool>().prop_map(AttributeValue::Bool),
    ];
    (
        ".{0,200}",
        ".{0,60}",
        prop::sample::select(vec![
            "textiles/sarees/handloom/tant",
            "food/tea/darjeeling",
            "apparel/kurtas",
            "nowhere/else",
        ]),
        prop::collection::btree_map(
            prop::sample::select(vec![
                "fabric",
                "length_m",
                "blouse_piece",
                "flush",
                "size",
                "odd",
            ])
            .prop_map(String::from),
            attr_value,
            0..6,
        ),
        prop::collection::vec("(https?://)?[a-z./]{0,20}", 0..4),
        (
            -1_000_000i64..10_000_000,
            prop::option::of(-1_000i64..10_000_000),
        ),
        prop::sample::select(vec!["5208", "0902", "6204", "1006"]),
        any::<bool>(),
    )
        .prop_map(
            |(title, description, category, attributes, images, (price, mrp), hsn, packaged)| {
                ListingContent {
                    title,
                    description,
                    category: category.parse().unwrap(),
                    attributes: attributes.into(),
                    images,
                    price: Money::from_paise(price),
                    mrp: mrp.map(Money::from_paise),
                    hsn: hsn.parse().unwrap(),
                    packaged: packaged.then(|| tea().packaged.unwrap()),
                    sku: "P-1".parse().unwrap(),
                }
            },
        )
}

proptest! {
    #[test]
    fn checks_never_panic_and_are_deterministic(content in arb_content()) {
        let taxonomy = Taxonomy::west_bengal_default();
        let first = check_listing(&content, &taxonomy);
        prop_assert_eq!(&first, &check_listing(&content, &taxonomy));
        prop_assert_eq!(first.passes(), first.errors().next().is_none());
    }

    #[test]
    fn passing_content_stays_valid_through_serde(content in arb_content(), title in "[A-Z][a-z]{2,8}( [a-z]{3,9}){1,8}", base in any::<bool>()) {
        let taxonomy = Taxonomy::west_bengal_default();
        // Mix generated fields into a passing listing, keep those that pass.
        let mut candidate = if base { saree() } else { tea() };
        candidate.title = if title.chars().count() >= 10 { title } else { candidate.title };
        candidate.description = content.description;
        candidate.price = if content.price.is_positive() && Some(content.price) <= candidate.mrp { content.price } else { candidate.price };
        let report = check_listing(&candidate, &taxonomy);
        prop_assume!(report.passes());
        let json = serde_json::to_string(&candidate).unwrap();
        let back: ListingContent = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &candidate);
        prop_assert_eq!(check_listing(&back, &taxonomy), report);
    }
}

proptest! {
    /// For goods made in India, the declarations reported missing are exactly the ones left
    /// out, each once, and each is a finding at its own path.
    #[test]
    fn the_missing_declarations_are_exactly_those_left_out(blank in prop::collection::vec(any::<bool>(), 8)) {
        let clears: [(Declaration, Clear); 8] = [
            (Declaration::ManufacturerOrPacker, |p| p.manufacturer_or_packer.clear()),
            (Declaration::Address, |p| p.address.clear()),
            (Declaration::GenericName, |p| p.generic_name.clear()),
            (Declaration::CountryOfOrigin, |p| p.country_of_origin.clear()),
            (Declaration::Manufactured, |p| p.manufactured = None),
            (Declaration::UnitSalePrice, |p| p.unit_sale_price = None),
            (Declaration::ConsumerCarePhone, |p| p.consumer_care_phone.clear()),
            (Declaration::ConsumerCareEmail, |p| p.consumer_care_email.clear()),
        ];
        let mut content = tea();
        let mut want = Vec::new();
        for ((declaration, clear), blank) in clears.iter().zip(&blank) {
            if *blank {
                clear(declarations(&mut content));
                want.push(*declaration);
            }
        }
        want.sort();
        prop_assert_eq!(content.packaged.as_ref().unwrap().missing(content.mrp), want.clone());
        let report = check_listing(&content, &Taxonomy::west_bengal_default());
        let got: Vec<&str> = report.issues().iter().map(|i| i.path.as_str()).collect();
        let want: Vec<&str> = want.iter().map(|d| d.path()).collect();
        prop_assert_eq!(got, want);
    }

    /// The unit sale price times the quantity in its unit is the MRP, to within the half paisa
    /// per unit that rounding allows; it is asked for exactly when it differs from the MRP.
    #[test]
    fn the_unit_sale_price_divides_the_mrp(
        amount in 1i64..100_000,
        scale in 0u32..3,
        unit in prop::sample::select(vec![
            QuantityUnit::Gram, QuantityUnit::Kilogram, QuantityUnit::Millilitre,
            QuantityUnit::Litre, QuantityUnit::Centimetre, QuantityUnit::Metre, QuantityUnit::Piece,
        ]),
        mrp_paise in 1i64..10_000_000,
    ) {
        let quantity = NetQuantity::new(Decimal::new(amount, scale), unit);
        let mrp = Money::from_paise(mrp_paise);
        let usp = quantity.unit_sale_price(mrp).unwrap();
        // The quantity in the unit the price is per.
        let factor = |u: QuantityUnit| match u {
            QuantityUnit::Kilogram | QuantityUnit::Litre => Decimal::from(1000),
            QuantityUnit::Metre => Decimal::from(100),
            _ => Decimal::ONE,
        };
        let count = quantity.amount() * factor(unit) / factor(usp.per());
        let error = (usp.price().amount() * count - mrp.amount()).abs();
        prop_assert!(error <= Decimal::new(5, 3) * count, "{} × {} vs {}", usp, count, mrp);
        prop_assert_eq!(usp.must_be_declared(), usp.price() != mrp);
        // Below one large unit the price is per small unit, from one up per large unit.
        let small = matches!(usp.per(), QuantityUnit::Gram | QuantityUnit::Millilitre | QuantityUnit::Centimetre);
        if unit != QuantityUnit::Piece {
            prop_assert_eq!(small, quantity.amount() * factor(unit) < factor(match unit {
                QuantityUnit::Gram | QuantityUnit::Kilogram => QuantityUnit::Kilogram,
                QuantityUnit::Millilitre | QuantityUnit::Litre => QuantityUnit::Litre,
                _ => QuantityUnit::Metre,
            }));
        }
    }
}
