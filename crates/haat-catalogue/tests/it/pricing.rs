//! Pricing: HSN codes, the GST rate table, tax breakdowns and seller payouts.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use haat_catalogue::{
    AttributeType, AttributeValue, Attributes, Category, ListingContent, check_listing,
};
use haat_catalogue::{
    CommissionSchedule, CommissionTreatment, DeductionKind, FixedFeeSlabs, GstRateTable,
    GstRegistration, GstRule, HsnCode, MarketplaceTariff, PanStatus, Payout, Percent, PricingError,
    RateSpec, SaleInput, SupplyKind, TaxBreakdown, Taxonomy,
};
use haat_core::{Money, StateCode};
use proptest::prelude::*;

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// HSN codes

#[track_caller]
fn check_hsn(input: &str, expected: Result<&str, &str>) {
    match (input.parse::<HsnCode>(), expected) {
        (Ok(hsn), Ok(canonical)) => assert_eq!(hsn.as_str(), canonical, "{input:?}"),
        (Err(error), Err(message)) => assert!(
            error.to_string().contains(message),
            "{input:?}: {error} does not contain {message:?}"
        ),
        (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn hsn_codes_parse_as_typed() {
    check_hsn("5208", Ok("5208"));
    check_hsn(" 5208.52 ", Ok("520852"));
    check_hsn("6302 10 10", Ok("63021010"));
    check_hsn("0902", Ok("0902"));
    check_hsn("52O8", Err("character 'O' at position 3"));
    check_hsn("5208-52", Err("character '-' at position 5"));
    check_hsn("520", Err("3 digits"));
    check_hsn("52085", Err("5 digits"));
    check_hsn("520852101", Err("9 digits"));
    check_hsn("", Err("0 digits"));
}

/// `5208..52` was read as 520852: a space or dot stands between two digits, once.
#[test]
fn hsn_separators_stand_between_two_digits() {
    check_hsn(
        "5208..52",
        Err("the '.' at position 6 does not stand between two digits"),
    );
    check_hsn(
        ".5208",
        Err("the '.' at position 1 does not stand between two digits"),
    );
    check_hsn(
        "5208.",
        Err("the '.' at position 5 does not stand between two digits"),
    );
    check_hsn(
        "5208. 52",
        Err("the ' ' at position 6 does not stand between two digits"),
    );
    check_hsn(
        "5208  52",
        Err("the ' ' at position 6 does not stand between two digits"),
    );
    check_hsn("5208.52.10", Ok("52085210"));
    check_hsn("5 2 0 8", Ok("5208"));
}

#[test]
fn hsn_code_parts() {
    let hsn: HsnCode = "6204.62.00".parse().unwrap();
    assert_eq!(hsn.chapter(), 62);
    assert_eq!(hsn.heading(), "6204");
    assert_eq!(hsn.len(), 8);
    assert!(hsn.starts_with("62"));
    assert!(hsn.starts_with("62046200"));
    assert!(!hsn.starts_with("620462001"));
    assert_eq!("0902".parse::<HsnCode>().unwrap().chapter(), 9);
    assert_eq!(serde_json::to_string(&hsn).unwrap(), "\"62046200\"");
    assert!(serde_json::from_str::<HsnCode>("\"62x4\"").is_err());
}

proptest! {
    #[test]
    fn hsn_round_trips(digits in "[0-9]{4}|[0-9]{6}|[0-9]{8}") {
        let hsn: HsnCode = digits.parse().unwrap();
        prop_assert_eq!(hsn.to_string(), digits.clone());
        let back: HsnCode = serde_json::from_str(&serde_json::to_string(&hsn).unwrap()).unwrap();
        prop_assert_eq!(back, hsn);
    }

    #[test]
    fn hsn_parse_never_panics(text in "\\PC{0,12}") {
        let _ = text.parse::<HsnCode>();
    }

    #[test]
    fn percent_round_trips(basis_points in 0u32..=10_000) {
        let percent = Percent::hundredths(basis_points);
        prop_assert_eq!(percent.to_string().parse::<Percent>().unwrap(), percent);
    }
}

#[test]
fn percentages() {
    assert_eq!("5".parse::<Percent>().unwrap(), Percent::whole(5));
    assert_eq!(
        " 0.10 % ".parse::<Percent>().unwrap(),
        Percent::hundredths(10)
    );
    assert_eq!(Percent::hundredths(10).to_string(), "0.1%");
    assert_eq!(Percent::whole(18).to_string(), "18%");
    assert!("101".parse::<Percent>().is_err());
    assert!("-1".parse::<Percent>().is_err());
    assert!("five".parse::<Percent>().is_err());
}

// ---------------------------------------------------------------------------------------------
// Tax facts, from tests/data/tax_facts.csv

#[test]
fn tax_facts() {
    let facts = include_str!("../data/tax_facts.csv");
    let mut checked = 0;
    for (index, line) in facts.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 9, "line {line_no}: {line}");
        let hsn: HsnCode = f[0].parse().unwrap();
        let day = date(f[1]);
        let price = money(f[2]);
        let supply = match f[3] {
            "intra" => SupplyKind::IntraState,
            "inter" => SupplyKind::InterState,
            other => panic!("line {line_no}: supply {other:?}"),
        };
        let rate = GstRateTable::india().rate(&hsn, price, day);
        if f[4] == "none" {
            assert_eq!(
                rate,
                Err(PricingError::NoRateFor { hsn, date: day }),
                "line {line_no}: {line}"
            );
            checked += 1;
            continue;
        }
        let rate = rate.unwrap_or_else(|e| panic!("line {line_no}: {line}: {e}"));
        assert_eq!(rate, f[4].parse().unwrap(), "line {line_no}: {line}");
        let b = TaxBreakdown::of(price, rate, supply).unwrap();
        let got = [b.cgst(), b.sgst(), b.igst(), b.taxable_value()];
        let want = [money(f[5]), money(f[6]), money(f[7]), money(f[8])];
        assert_eq!(got, want, "line {line_no}: {line}");
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} facts checked");
}

#[test]
fn the_design_example() {
    let b = TaxBreakdown::of(
        Money::from_rupees(12_000),
        Percent::whole(5),
        SupplyKind::IntraState,
    )
    .unwrap();
    assert_eq!(b.cgst(), money("285.71"));
    assert_eq!(b.sgst(), money("285.71"));
    assert_eq!(b.taxable_value(), money("11428.58"));
    assert_eq!(b.tax(), money("571.42"));
}

#[test]
fn the_india_table_is_consistent() {
    let india = GstRateTable::india();
    let rebuilt = GstRateTable::from_rules(india.rules().to_vec()).unwrap();
    assert_eq!(&rebuilt, india);
    assert!(india.rules().iter().all(|rule| !rule.source().is_empty()));
}

/// The HSN families the leaf categories of the default taxonomy accept, with their category.
/// Leaf categories are the only ones the listing checks accept; their parents' families are the
/// chapters the leaves narrow.
fn leaf_families() -> Vec<(String, String)> {
    let taxonomy = Taxonomy::west_bengal_default();
    let mut families = Vec::new();
    for category in taxonomy.categories() {
        if category.is_leaf() {
            for family in category.hsn_prefixes() {
                families.push((category.id().to_string(), family.clone()));
            }
        }
    }
    families
}

/// A listing that passes the checks can be priced: every HSN family a leaf category of the
/// default taxonomy accepts has a rate on the last day before the September 2025
/// rationalisation and on its first day.
#[test]
fn every_hsn_family_the_default_taxonomy_accepts_has_a_rate() {
    let india = GstRateTable::india();
    let price = money("1000.00");
    let families = leaf_families();
    let mut missing = Vec::new();
    for (category, family) in &families {
        // A family of two digits is a chapter: any heading in it will do.
        let code: HsnCode = format!("{family:0<4}").parse().unwrap();
        for day in [date("2025-09-21"), date("2025-09-22")] {
            if let Err(error) = india.rate(&code, price, day) {
                missing.push(format!("{category} {family}: {error}"));
            }
        }
    }
    assert!(missing.is_empty(), "no rate for {missing:#?}");
    assert!(families.len() >= 15, "only {} families", families.len());
}

proptest! {
    /// From 18 Jul 2022 (the last of the rules to start) every code of every family a leaf
    /// category accepts has a rate, at any price.
    #[test]
    fn every_code_of_an_accepted_family_has_a_rate_from_july_2022(
        pick in any::<prop::sample::Index>(),
        digits in "[0-9]{8}",
        length in prop::sample::select(vec![4usize, 6, 8]),
        days in 0u64..3_000,
        paise in 1i64..=1_000_000_000,
    ) {
        let families = leaf_families();
        let (category, family) = &families[pick.index(families.len())];
        let length = length.max(family.len());
        let code: HsnCode = format!("{family}{digits}")[..length].parse().unwrap();
        let day = date("2022-07-18") + chrono::Days::new(days);
        let rate = GstRateTable::india().rate(&code, Money::from_paise(paise), day);
        prop_assert!(rate.is_ok(), "{category} {code} on {day}: {rate:?}");
    }
}

/// A draft for `category` with `hsn` and `price` that passes the checks if the category takes
/// listings: every required attribute given its least value, packaged goods declared.
fn draft_in(category: &Category, hsn: HsnCode, price: Money) -> ListingContent {
    let mut content = if category.is_packaged() {
        crate::quality::tea()
    } else {
        crate::quality::saree()
    };
    content.category = category.id().clone();
    content.hsn = hsn;
    content.price = price;
    content.mrp = Some(price);
    // A package declares the unit sale price its MRP makes (Rule 6(11)), whatever that MRP is.
    if let Some(packaged) = content.packaged.as_deref_mut() {
        packaged.unit_sale_price = packaged
            .net_quantity
            .unit_sale_price(price)
            .map(|usp| usp.price());
    }
    content.attributes = Attributes::new();
    for (name, schema) in category.attributes() {
        if !schema.is_required() {
            continue;
        }
        let value = match schema.ty() {
            AttributeType::Text { min_len, max_len } => {
                AttributeValue::text("x".repeat((*min_len).clamp(1, *max_len)))
            }
            AttributeType::Enum { values } => AttributeValue::text(values[0].as_str()),
            AttributeType::Number { min, .. } => AttributeValue::Number(*min),
            AttributeType::Bool => AttributeValue::Bool(true),
        };
        content.attributes.insert(name.clone(), value);
    }
    content
}

proptest! {
    /// Whatever category and code of its families a draft names, if the checks pass it, the
    /// rate table prices it at any price on any day from 18 Jul 2022; and the checks pass it
    /// exactly when its category is a leaf (so the property is never vacuous).
    #[test]
    fn any_draft_that_passes_the_checks_has_a_rate_from_july_2022(
        pick in any::<prop::sample::Index>(),
        family in any::<prop::sample::Index>(),
        digits in "[0-9]{8}",
        length in prop::sample::select(vec![4usize, 6, 8]),
        days in 0u64..3_000,
        paise in 1i64..=1_000_000_000,
    ) {
        let taxonomy = Taxonomy::west_bengal_default();
        let categories = taxonomy.categories();
        let category = categories[pick.index(categories.len())];
        let family = &category.hsn_prefixes()[family.index(category.hsn_prefixes().len())];
        let length = length.max(family.len());
        let hsn: HsnCode = format!("{family}{digits}")[..length].parse().unwrap();
        let price = Money::from_paise(paise);
        let content = draft_in(category, hsn, price);
        let report = check_listing(&content, &taxonomy);
        prop_assert_eq!(report.passes(), category.is_leaf(), "{}: {}", category.id(), report);
        if report.passes() {
            let day = date("2022-07-18") + chrono::Days::new(days);
            let rate = GstRateTable::india().rate(&hsn, price, day);
            prop_assert!(rate.is_ok(), "{} {} on {}: {:?}", category.id(), hsn, day, rate);
        }
    }
}

#[test]
fn the_longest_prefix_wins() {
    let table = GstRateTable::from_rules(vec![
        GstRule::new("62", RateSpec::Flat(Percent::whole(12))).unwrap(),
        GstRule::new("6214", RateSpec::Flat(Percent::whole(5))).unwrap(),
    ])
    .unwrap();
    let day = date("2025-01-01");
    let stole: HsnCode = "62141000".parse().unwrap();
    let shirt: HsnCode = "6205".parse().unwrap();
    assert_eq!(
        table.rate(&stole, Money::from_rupees(9_000), day),
        Ok(Percent::whole(5))
    );
    assert_eq!(
        table.rate(&shirt, Money::from_rupees(9_000), day),
        Ok(Percent::whole(12))
    );
}

#[test]
fn overlapping_rules_are_refused() {
    let five = RateSpec::Flat(Percent::whole(5));
    let overlapping = GstRateTable::from_rules(vec![
        GstRule::new("0902", five)
            .unwrap()
            .effective_until(date("2025-09-22")),
        GstRule::new("0902", five)
            .unwrap()
            .effective_from(date("2025-09-22")),
    ]);
    assert!(matches!(
        overlapping,
        Err(PricingError::OverlappingRules { .. })
    ));
    let adjacent = GstRateTable::from_rules(vec![
        GstRule::new("0902", five)
            .unwrap()
            .effective_until(date("2025-09-21")),
        GstRule::new("0902", five)
            .unwrap()
            .effective_from(date("2025-09-22")),
    ]);
    assert!(adjacent.is_ok());
    let inverted = GstRateTable::from_rules(vec![
        GstRule::new("0902", five)
            .unwrap()
            .effective_from(date("2025-09-22"))
            .effective_until(date("2025-09-21")),
    ]);
    assert!(matches!(inverted, Err(PricingError::InvertedDates { .. })));
    assert!(GstRule::new("9", five).is_err());
    assert!(GstRule::new("09x2", five).is_err());
}

#[test]
fn supply_kind_and_non_gst_sellers() {
    let wb = StateCode::WEST_BENGAL;
    let mh: StateCode = "27".parse().unwrap();
    let registered = GstRegistration::Registered { state: wb };
    let non_gst = GstRegistration::NonGst { state: wb };
    assert_eq!(registered.supply_to(wb), Ok(SupplyKind::IntraState));
    assert_eq!(registered.supply_to(mh), Ok(SupplyKind::InterState));
    assert_eq!(non_gst.supply_to(wb), Ok(SupplyKind::IntraState));
    let refused = non_gst.supply_to(mh).unwrap_err();
    assert_eq!(
        refused,
        PricingError::InterStateByNonGstSeller {
            seller_state: wb,
            buyer_state: mh
        }
    );
    assert!(refused.to_string().contains("may not sell to state 27"));
    let b =
        TaxBreakdown::for_sale(Money::from_rupees(500), Percent::whole(5), non_gst, wb).unwrap();
    assert_eq!(b.taxable_value(), Money::from_rupees(500));
    assert_eq!(b.tax(), Money::ZERO);
}

proptest! {
    #[test]
    fn breakdown_parts_sum_to_the_price(
        paise in 1i64..10_000_000_000,
        basis_points in 0u32..=4_000,
        inter in any::<bool>(),
    ) {
        let price = Money::from_paise(paise);
        let supply = if inter { SupplyKind::InterState } else { SupplyKind::IntraState };
        let b = TaxBreakdown::of(price, Percent::hundredths(basis_points), supply).unwrap();
        let sum = Money::checked_sum([b.taxable_value(), b.cgst(), b.sgst(), b.igst()]).unwrap();
        prop_assert_eq!(sum, price);
        prop_assert_eq!(b.cgst(), b.sgst());
        prop_assert!(!b.taxable_value().is_negative());
        if inter {
            prop_assert!(b.cgst().is_zero());
        } else {
            prop_assert!(b.igst().is_zero());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Payouts

fn tariff() -> MarketplaceTariff {
    MarketplaceTariff {
        commission: CommissionSchedule::new()
            .with_default(Percent::whole(15))
            .with_rate("textiles".parse().unwrap(), Percent::whole(12))
            .with_rate("textiles/sarees".parse().unwrap(), Percent::whole(10)),
        fixed_fees: FixedFeeSlabs::new(vec![
            (Some(Money::from_rupees(500)), Money::from_rupees(10)),
            (Some(Money::from_rupees(1_000)), Money::from_rupees(20)),
            (None, Money::from_rupees(40)),
        ])
        .unwrap(),
    }
}

fn sale<'a>(tariff: &'a MarketplaceTariff, sold_at: DateTime<Utc>) -> SaleInput<'a> {
    SaleInput {
        sold_at,
        category: "textiles/sarees/handloom/tant".parse().unwrap(),
        hsn: "5208".parse().unwrap(),
        unit_price: Money::from_rupees(12_000),
        quantity: 1,
        registration: GstRegistration::Registered {
            state: StateCode::WEST_BENGAL,
        },
        pan: PanStatus::Furnished,
        buyer_state: StateCode::WEST_BENGAL,
        commission: CommissionTreatment::Charged,
        shipping_fee: Money::from_rupees(60),
        tariff,
        gst_rates: GstRateTable::india(),
    }
}

/// Noon IST on an IST date.
fn ist_noon(day: &str) -> DateTime<Utc> {
    let d = date(day);
    Utc.from_utc_datetime(&d.and_hms_opt(6, 30, 0).unwrap())
}

#[track_caller]
fn check_payout(sale: &SaleInput<'_>, tcs: &str, tds: &str, net: &str) {
    let payout = Payout::compute(sale).unwrap();
    assert_eq!(payout.tcs(), money(tcs), "tcs on {}", payout.date());
    assert_eq!(payout.tds(), money(tds), "tds on {}", payout.date());
    assert_eq!(payout.net(), money(net), "net on {}", payout.date());
    let total = payout.net().checked_add(payout.total_deductions()).unwrap();
    assert_eq!(total, payout.gross());
}

#[test]
fn tcs_and_tds_change_on_their_dates() {
    let tariff = tariff();
    // Commission 10% of 12,000 = 1,200; fixed fee 40; shipping 60; GST 18% of 1,300 = 234.
    // Taxable value 11,428.58. Fixed deductions: 1,534.
    // 9 Jul 2024: TCS 1% = 114.29 (114.2858), TDS 1% = 120.
    check_payout(
        &sale(&tariff, ist_noon("2024-07-09")),
        "114.29",
        "120.00",
        "10231.71",
    );
    // 10 Jul 2024: TCS 0.5% = 57.14 (57.1429).
    check_payout(
        &sale(&tariff, ist_noon("2024-07-10")),
        "57.14",
        "120.00",
        "10288.86",
    );
    // 30 Sep 2024: TDS still 1%.
    check_payout(
        &sale(&tariff, ist_noon("2024-09-30")),
        "57.14",
        "120.00",
        "10288.86",
    );
    // 1 Oct 2024: TDS 0.1% = 12.
    check_payout(
        &sale(&tariff, ist_noon("2024-10-01")),
        "57.14",
        "12.00",
        "10396.86",
    );
    // Without PAN: 5% = 600, before and after 1 Oct 2024.
    let mut no_pan = sale(&tariff, ist_noon("2024-10-01"));
    no_pan.pan = PanStatus::NotFurnished;
    check_payout(&no_pan, "57.14", "600.00", "9808.86");
    no_pan.sold_at = ist_noon("2024-09-30");
    check_payout(&no_pan, "57.14", "600.00", "9808.86");
}

#[test]
fn rates_follow_the_ist_date() {
    let tariff = tariff();
    // 18:30 UTC on 9 Jul is midnight on 10 Jul in India: the new TCS rate.
    let just_after = Utc.with_ymd_and_hms(2024, 7, 9, 18, 30, 0).unwrap();
    let just_before = Utc.with_ymd_and_hms(2024, 7, 9, 18, 29, 59).unwrap();
    assert_eq!(
        Payout::compute(&sale(&tariff, just_after))
            .unwrap()
            .tcs_rate(),
        Percent::hundredths(50)
    );
    assert_eq!(
        Payout::compute(&sale(&tariff, just_before))
            .unwrap()
            .tcs_rate(),
        Percent::whole(1)
    );
}

#[test]
fn commission_is_inherited_and_can_be_waived() {
    let tariff = tariff();
    let mut input = sale(&tariff, ist_noon("2025-10-01"));
    assert_eq!(
        Payout::compute(&input).unwrap().commission_rate(),
        Percent::whole(10)
    );
    input.category = "textiles/apparel/kurta".parse().unwrap();
    input.hsn = "6211".parse().unwrap();
    assert_eq!(
        Payout::compute(&input).unwrap().commission_rate(),
        Percent::whole(12)
    );
    input.category = "handicrafts/dokra".parse().unwrap();
    input.hsn = "8306".parse().unwrap();
    assert_eq!(
        Payout::compute(&input).unwrap().commission_rate(),
        Percent::whole(15)
    );

    input.commission = CommissionTreatment::Waived;
    let waived = Payout::compute(&input).unwrap();
    assert_eq!(waived.commission(), Money::ZERO);
    // GST on fees is then on the fixed fee and shipping only: 18% of 100.
    assert_eq!(waived.gst_on_fees(), Money::from_rupees(18));
}

#[test]
fn non_gst_sellers_pay_no_tcs_and_may_not_sell_across_states() {
    let tariff = tariff();
    let mut input = sale(&tariff, ist_noon("2025-10-01"));
    input.registration = GstRegistration::NonGst {
        state: StateCode::WEST_BENGAL,
    };
    let payout = Payout::compute(&input).unwrap();
    assert_eq!(payout.tcs(), Money::ZERO);
    assert_eq!(payout.tax().tax(), Money::ZERO);
    input.buyer_state = "29".parse().unwrap();
    assert!(matches!(
        Payout::compute(&input),
        Err(PricingError::InterStateByNonGstSeller { .. })
    ));
}

#[test]
fn bad_sales_are_refused() {
    let tariff = tariff();
    let base = sale(&tariff, ist_noon("2025-10-01"));
    let mut zero = base.clone();
    zero.quantity = 0;
    assert_eq!(Payout::compute(&zero), Err(PricingError::ZeroQuantity));
    let mut free = base.clone();
    free.unit_price = Money::ZERO;
    assert!(matches!(
        Payout::compute(&free),
        Err(PricingError::NonPositivePrice { .. })
    ));
    let mut unknown = base.clone();
    unknown.hsn = "8471".parse().unwrap();
    assert!(matches!(
        Payout::compute(&unknown),
        Err(PricingError::NoRateFor { .. })
    ));
    let empty = MarketplaceTariff::default();
    let no_commission = sale(&empty, ist_noon("2025-10-01"));
    assert!(matches!(
        Payout::compute(&no_commission),
        Err(PricingError::NoCommissionFor { .. })
    ));
}

#[test]
fn deductions_are_listed_in_order() {
    let tariff = tariff();
    let payout = Payout::compute(&sale(&tariff, ist_noon("2025-10-01"))).unwrap();
    let kinds: Vec<DeductionKind> = payout.deductions().iter().map(|(k, _)| *k).collect();
    assert_eq!(
        kinds,
        [
            DeductionKind::Commission,
            DeductionKind::FixedFee,
            DeductionKind::ShippingFee,
            DeductionKind::GstOnFees,
            DeductionKind::GstTcs,
            DeductionKind::IncomeTaxTds,
        ]
    );
}

proptest! {
    #[test]
    fn payout_plus_deductions_is_the_price(
        paise in 1i64..50_000_000,
        quantity in 1u32..20,
        shipping in 0i64..50_000,
        days in 0i64..3_000,
        waived in any::<bool>(),
        no_pan in any::<bool>(),
        inter in any::<bool>(),
        hsn in prop::sample::select(vec!["5208", "6205", "0902", "8306", "6913"]),
    ) {
        let tariff = tariff();
        let sold_at = ist_noon("2018-08-01") + chrono::Duration::days(days);
        let mut input = sale(&tariff, sold_at);
        input.unit_price = Money::from_paise(paise);
        input.quantity = quantity;
        input.shipping_fee = Money::from_paise(shipping);
        input.hsn = hsn.parse().unwrap();
        if waived { input.commission = CommissionTreatment::Waived; }
        if no_pan { input.pan = PanStatus::NotFurnished; }
        if inter { input.buyer_state = "27".parse().unwrap(); }
        let payout = Payout::compute(&input).unwrap();
        let total = payout.net().checked_add(payout.total_deductions()).unwrap();
        prop_assert_eq!(total, payout.gross());
        prop_assert_eq!(payout.gross(), Money::from_paise(paise).checked_mul(u64::from(quantity)).unwrap());
        let tax = payout.tax();
        prop_assert_eq!(
            Money::checked_sum([tax.taxable_value(), tax.cgst(), tax.sgst(), tax.igst()]).unwrap(),
            payout.gross()
        );
    }
}
