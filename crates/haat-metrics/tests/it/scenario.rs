//! A small West Bengal scenario, counted by hand, checked against every projection.

use chrono::{NaiveDate, TimeZone, Utc};
use haat_core::{Decimal, ListingId, Money, SellerId};
use haat_metrics::{
    Comparison, Employment, FunnelReport, FunnelStep, HaatEvent, Metrics, OrderRecord, Period,
    ProgrammeImpact, Tier, TierThresholds, listing_performance, rate_sellers,
};
use haat_seller::WorkforceRole;

use crate::support::*;

const BARASAT: &str = "700124";
const NADIA: &str = "741101";
const KOLKATA: &str = "700001";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The events and orders of the scenario.
///
/// - S1, a trader in Barasat: registered May 2024, active; listing L1 live since May 2024;
///   2 orders of ₹1,000 in FY2024-25; 5 delivered and 1 cancelled by the seller in Feb–Mar
///   2026 (net sales ₹2,000 → ₹5,000: +150%, more than doubled).
/// - S4, Nadia: registered and active Dec 2024; listing L4 live Dec 2024, archived Mar 2025.
/// - Workshop W1 in Nadia on 2 Apr 2025: attendees A1 (→ S2), A2 (→ S3), A3 (no seller).
/// - S2, a saree house in Nadia: registered 5 Apr 2025, KYC 8 Apr, active 10 Apr, enrolled in
///   programme 1 on 11 Apr, 25 weavers and 2 packers from 1 May; L2 live 15 Apr, L3 live 15 Apr
///   and off 1 Sep; 3 orders of ₹5,000 on L2 in May 2025, one returned.
/// - S3, Kolkata: registered 1 Jun 2025, never verified.
pub fn scenario() -> (Vec<HaatEvent>, Vec<OrderRecord>) {
    let w1 = date(2025, 4, 2);
    let events: Vec<HaatEvent> = vec![
        registered(1, ist(2024, 5, 10, 10, 0), BARASAT, None).into(),
        kyc_verified(1, ist(2024, 5, 12, 10, 0)).into(),
        activated(1, ist(2024, 5, 15, 10, 0)).into(),
        listing_live(1, 1, ist(2024, 5, 20, 10, 0)).into(),
        registered(4, ist(2024, 12, 1, 10, 0), NADIA, None).into(),
        activated(4, ist(2024, 12, 5, 10, 0)).into(),
        listing_live(4, 4, ist(2024, 12, 10, 10, 0)).into(),
        listing_archived(4, 4, ist(2025, 3, 1, 10, 0)).into(),
        scheduled(1, ist(2025, 3, 1, 10, 0), "Nadia", w1).into(),
        attended(1, 1, "Nadia", w1).into(),
        attended(1, 2, "Nadia", w1).into(),
        attended(1, 3, "Nadia", w1).into(),
        registered(2, ist(2025, 4, 5, 10, 0), NADIA, Some((1, 1))).into(),
        became_seller(1, 1, 2, "Nadia", w1, ist(2025, 4, 5, 10, 0)).into(),
        kyc_verified(2, ist(2025, 4, 8, 10, 0)).into(),
        activated(2, ist(2025, 4, 10, 10, 0)).into(),
        enrolled(2, ist(2025, 4, 11, 10, 0), 1).into(),
        workforce(
            2,
            ist(2025, 5, 1, 10, 0),
            &[(WorkforceRole::Weaver, 25), (WorkforceRole::Packer, 2)],
        )
        .into(),
        draft(2, 2, ist(2025, 4, 12, 10, 0), "textiles/sarees/handloom").into(),
        listing_live(2, 2, ist(2025, 4, 15, 10, 0)).into(),
        listing_live(3, 2, ist(2025, 4, 15, 10, 0)).into(),
        listing_off(3, 2, ist(2025, 9, 1, 10, 0)).into(),
        registered(3, ist(2025, 6, 1, 10, 0), KOLKATA, Some((1, 2))).into(),
        became_seller(1, 2, 3, "Nadia", w1, ist(2025, 6, 1, 10, 0)).into(),
    ];
    let mut orders = vec![
        order(
            1,
            1,
            1,
            1_000,
            ist(2024, 8, 10, 10, 0),
            KOLKATA,
            Fate::Delivered,
        ),
        order(
            2,
            1,
            1,
            1_000,
            ist(2024, 11, 10, 10, 0),
            BARASAT,
            Fate::Delivered,
        ),
        order(
            3,
            2,
            2,
            5_000,
            ist(2025, 5, 1, 10, 0),
            KOLKATA,
            Fate::Delivered,
        ),
        order(
            4,
            2,
            2,
            5_000,
            ist(2025, 5, 2, 10, 0),
            KOLKATA,
            Fate::Returned,
        ),
        order(
            5,
            2,
            2,
            5_000,
            ist(2025, 5, 3, 10, 0),
            NADIA,
            Fate::Delivered,
        ),
    ];
    for (n, day) in (10..15).zip([1, 10, 20, 28]) {
        orders.push(order(
            n,
            1,
            1,
            1_000,
            ist(2026, 2, day, 10, 0),
            BARASAT,
            Fate::Delivered,
        ));
    }
    orders.push(order(
        15,
        1,
        1,
        1_000,
        ist(2026, 3, 20, 10, 0),
        BARASAT,
        Fate::Delivered,
    ));
    orders.push(order(
        16,
        1,
        1,
        1_000,
        ist(2026, 3, 21, 10, 0),
        BARASAT,
        Fate::SellerCancelled,
    ));
    (events, orders)
}

pub fn metrics() -> Metrics {
    let (events, orders) = scenario();
    let mut metrics = Metrics::default();
    for event in &events {
        metrics.apply_event(event);
    }
    for order in &orders {
        metrics.add_order(order);
    }
    metrics
}

fn fy(text: &str) -> Period {
    Period::FinancialYear(text.parse().unwrap())
}

fn pct(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

#[track_caller]
fn check_onboarding(period: Period, registered: u64, activated: u64) {
    let counts = metrics().onboarding().counts(period);
    assert_eq!(
        (counts.registered, counts.activated),
        (registered, activated),
        "onboarding in {period}"
    );
}

#[test]
fn onboarding_counts_and_growth() {
    check_onboarding(fy("FY2024-25"), 2, 2);
    check_onboarding(fy("FY2025-26"), 2, 1);
    check_onboarding(Period::Month("2025-04".parse().unwrap()), 1, 1);
    check_onboarding(Period::Quarter("FY2025-26 Q1".parse().unwrap()), 2, 1);
    check_onboarding(Period::Quarter("FY2025-26 Q2".parse().unwrap()), 0, 0);
    let m = metrics();
    let onboarding = m.onboarding();
    let year = fy("FY2025-26");
    assert_eq!(
        onboarding
            .registration_growth(year, Comparison::YearOnYear)
            .map(|g| g.percent()),
        Some(Decimal::ZERO)
    );
    assert_eq!(
        onboarding
            .activation_growth(year, Comparison::YearOnYear)
            .map(|g| g.percent()),
        Some(Decimal::from(-50))
    );
    // Q2 of FY2025-26 against Q1: registrations fell from 2 to 0.
    let q2 = Period::Quarter("FY2025-26 Q2".parse().unwrap());
    assert_eq!(
        onboarding
            .registration_growth(q2, Comparison::PeriodOnPeriod)
            .map(|g| g.percent()),
        Some(Decimal::from(-100))
    );
    // May 2025 against April: no activations in April's base? April had one; May none.
    let may = Period::Month("2025-05".parse().unwrap());
    assert_eq!(
        onboarding
            .activation_growth(may, Comparison::PeriodOnPeriod)
            .map(|g| g.percent()),
        Some(Decimal::from(-100))
    );
    // The same month a year before had no registrations: no figure.
    let april = Period::Month("2025-04".parse().unwrap());
    assert!(
        onboarding
            .registration_growth(april, Comparison::YearOnYear)
            .is_none()
    );
}

#[track_caller]
fn check_live(at: chrono::DateTime<Utc>, expected: u64) {
    assert_eq!(metrics().listings().live_at(at), expected, "live at {at}");
}

#[test]
fn listings_live_at_period_ends() {
    check_live(ist(2024, 5, 19, 23, 59), 0);
    check_live(ist(2024, 12, 31, 23, 59), 2); // L1, L4
    check_live(ist(2025, 3, 31, 23, 59), 1); // L4 archived
    check_live(ist(2025, 4, 30, 23, 59), 3); // L1, L2, L3
    check_live(ist(2026, 3, 31, 23, 59), 2); // L3 off
    let m = metrics();
    let listings = m.listings();
    let quarter = |q: &str| Period::Quarter(q.parse().unwrap());
    let growth = |p: Period, c: Comparison| listings.growth(p, c).map(|g| g.percent());
    // Q4 of FY2024-25 ended with 1 live (L1); Q1 of FY2025-26 with 3: +200% QoQ.
    assert_eq!(
        growth(quarter("FY2025-26 Q1"), Comparison::PeriodOnPeriod),
        Some(Decimal::from(200))
    );
    // Year on year at the end of FY2025-26: 1 → 2.
    assert_eq!(
        growth(fy("FY2025-26"), Comparison::YearOnYear),
        Some(Decimal::from(100))
    );
    // Month on month in May 2024: nothing was live at the end of April 2024.
    let may = Period::Month("2024-05".parse().unwrap());
    assert_eq!(growth(may, Comparison::PeriodOnPeriod), None);
    assert_eq!(listings.live_at_end(may), 1);
}

#[test]
fn sales_per_seller_district_category_and_growth() {
    let m = metrics();
    let sales = m.sales();
    let by_seller_fy = sales.rollup(|k| Some((k.seller, k.month.financial_year().to_string())));
    let net = |s: u64, y: &str| by_seller_fy[&(SellerId::new(s), y.to_owned())].net_sales();
    assert_eq!(net(1, "FY2024-25"), Money::from_rupees(2_000));
    assert_eq!(net(1, "FY2025-26"), Money::from_rupees(5_000));
    assert_eq!(net(2, "FY2025-26"), Money::from_rupees(5_000 * 2));
    let gmv2 = by_seller_fy[&(SellerId::new(2), "FY2025-26".to_owned())];
    assert_eq!(
        (gmv2.gmv(), gmv2.units, gmv2.returned),
        (Money::from_rupees(15_000), 3, 1)
    );
    // The Barasat trader's sales more than doubled.
    let growth = haat_metrics::Growth::between(2_000u64, 5_000u64).unwrap();
    assert!(growth.ratio() > Decimal::TWO);
    let report = m.report("FY2025-26".parse().unwrap(), ist(2026, 4, 1, 10, 0));
    assert_eq!(report.sales.sellers_more_than_doubled, 1);
    let fastest = &report.sales.fastest_growing[0];
    assert_eq!(fastest.seller, SellerId::new(1));
    assert_eq!(fastest.growth_percent, Decimal::from(150));
    assert_eq!(fastest.district, Some(district("North 24 Parganas")));
    // By district (of the seller).
    let gmv_of = |name: &str| {
        report
            .districts
            .iter()
            .find(|r| r.district == Some(district(name)))
            .map(|r| r.gmv)
    };
    assert_eq!(gmv_of("North 24 Parganas"), Some(Money::from_rupees(6_000)));
    assert_eq!(gmv_of("Nadia"), Some(Money::from_rupees(15_000)));
    assert_eq!(gmv_of("Kolkata"), Some(Money::ZERO));
    // By category: L2 is a handloom saree; L1's content was never seen.
    let categories: Vec<_> = report
        .sales
        .by_category
        .iter()
        .map(|c| (c.category.clone(), c.gmv))
        .collect();
    assert_eq!(
        categories,
        [
            (Some("textiles".to_owned()), Money::from_rupees(15_000)),
            (None, Money::from_rupees(6_000)),
        ]
    );
    assert_eq!(report.sales.gmv, Money::from_rupees(21_000));
    assert_eq!(report.sales.gmv_previous, Money::from_rupees(2_000));
    assert_eq!(report.sales.gmv_growth_percent, pct("950"));
    assert_eq!(report.sales.net_sales_growth_percent, pct("650"));
    // Demand by destination district.
    let demand = m.demand().by_district_month();
    let kolkata_may = demand[&(Some(district("Kolkata")), "2025-05".parse().unwrap())];
    assert_eq!(
        (kolkata_may.orders, kolkata_may.gmv()),
        (2, Money::from_rupees(10_000))
    );
}

#[test]
fn employment_by_role_district_and_programme() {
    let m = metrics();
    let check = |at, total: u64| {
        let e = Employment::as_of(m.sellers(), at);
        assert_eq!(e.total, total, "employment at {at}");
        e
    };
    check(ist(2025, 4, 30, 23, 59), 0);
    let e = check(ist(2026, 3, 31, 23, 59), 27);
    assert_eq!(e.by_role[&WorkforceRole::Weaver], 25);
    assert_eq!(e.by_role[&WorkforceRole::Packer], 2);
    assert_eq!(e.by_district.len(), 1);
    assert_eq!(e.by_district[0].district, Some(district("Nadia")));
    assert_eq!(e.by_programme[&haat_core::ProgrammeId::new(1)], 27);
}

#[test]
fn workshop_funnel_counts_conversion_and_median_days() {
    let m = metrics();
    let funnel = FunnelReport::build(
        m.workshops(),
        m.sellers(),
        m.sales(),
        date(2025, 4, 1),
        date(2026, 3, 31),
    );
    let rows: Vec<_> = funnel
        .total
        .stages
        .iter()
        .map(|s| (s.step, s.count, s.conversion_percent, s.median_days))
        .collect();
    assert_eq!(
        rows,
        [
            (FunnelStep::Attended, 3, None, None),
            // 3 days 10 hours and 60 days 10 hours after 00:00 IST on the workshop's day.
            (FunnelStep::Registered, 2, pct("66.67"), pct("31.9")),
            (FunnelStep::KycVerified, 1, pct("50"), pct("3")),
            (FunnelStep::Active, 1, pct("100"), pct("2")),
            (FunnelStep::FirstListing, 1, pct("100"), pct("5")),
            (FunnelStep::FirstSale, 1, pct("100"), pct("16")),
        ]
    );
    assert_eq!(funnel.by_district.len(), 1);
    assert_eq!(funnel.by_district[0].district, district("Nadia"));
    assert_eq!(funnel.by_partner.len(), 1);
    assert_eq!(
        funnel.by_partner[0].partner,
        Some(haat_seller::PartnerDepartment::Textiles)
    );
    // A year with no workshops has an empty funnel.
    let empty = FunnelReport::build(
        m.workshops(),
        m.sellers(),
        m.sales(),
        date(2024, 4, 1),
        date(2025, 3, 31),
    );
    assert_eq!(empty.total.count(FunnelStep::Attended), 0);
}

#[test]
fn programme_members_against_the_rest() {
    let report = metrics().report("FY2025-26".parse().unwrap(), ist(2026, 4, 1, 10, 0));
    let ProgrammeImpact { enrolled, others } = report.programmes;
    assert_eq!((enrolled.sellers, enrolled.activated), (1, 1));
    assert_eq!(enrolled.activation_percent, pct("100"));
    assert_eq!(enrolled.net_sales, Money::from_rupees(10_000));
    assert_eq!(enrolled.sales_growth_percent, None);
    assert_eq!(
        (enrolled.live_listings, enrolled.listings_per_seller),
        (1, pct("1"))
    );
    assert_eq!((others.sellers, others.activated), (3, 2));
    assert_eq!(others.activation_percent, pct("66.67"));
    assert_eq!(others.sales_growth_percent, pct("150"));
    assert_eq!(others.listings_per_seller, pct("0.33"));
}

#[test]
fn seller_performance_over_a_rolling_window() {
    let m = metrics();
    let check = |last_day: NaiveDate, days: u32, expected: &[(u64, u32, Option<Decimal>, Tier)]| {
        let rated = rate_sellers(m.sales(), last_day, days, &TierThresholds::default());
        let got: Vec<_> = rated
            .iter()
            .map(|r| {
                (
                    r.seller.get(),
                    r.counts.orders,
                    r.cancellation_percent,
                    r.tier,
                )
            })
            .collect();
        assert_eq!(got, expected, "window of {days} days to {last_day}");
    };
    check(
        date(2026, 3, 31),
        90,
        &[(1, 6, pct("16.67"), Tier::NeedsImprovement)],
    );
    // Only the last two orders: one kept, one cancelled by the seller.
    check(date(2026, 3, 31), 12, &[(1, 2, pct("50"), Tier::Unrated)]);
    check(
        date(2025, 5, 31),
        31,
        &[(2, 3, pct("0"), Tier::NeedsImprovement)], // 1 of 3 delivered orders returned
    );
    // A looser bronze rule lets the saree house in.
    let mut loose = TierThresholds::default();
    loose.bronze.max_return_percent = Decimal::from(40);
    loose.bronze.min_orders = 3;
    let rated = rate_sellers(m.sales(), date(2025, 5, 31), 31, &loose);
    assert_eq!(rated[0].tier, Tier::Bronze);
    assert_eq!(rated[0].return_percent, pct("33.33"));
}

#[test]
fn listings_by_velocity_and_conversion() {
    let m = metrics();
    let top = listing_performance(m.sales(), m.listings(), "FY2025-26".parse().unwrap(), None);
    let rows: Vec<_> = top
        .iter()
        .map(|l| {
            (
                l.listing,
                l.totals.net_units,
                l.days_live,
                l.velocity,
                l.conversion_percent,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // Live all year: 5 units in 365 days.
            (
                ListingId::new(1),
                5,
                Decimal::from(365),
                pct("0.01"),
                pct("83.33")
            ),
            // Live from 10:00 IST on 15 Apr 2025: 350.58 days.
            (
                ListingId::new(2),
                2,
                "350.58".parse().unwrap(),
                pct("0.01"),
                pct("66.67")
            ),
        ]
    );
    let only_s2 = listing_performance(
        m.sales(),
        m.listings(),
        "FY2025-26".parse().unwrap(),
        Some(SellerId::new(2)),
    );
    assert_eq!(only_s2.len(), 1);
}

#[test]
fn infrastructure_of_the_reference_network() {
    let network = haat_inventory::Network::west_bengal_reference().unwrap();
    let infra = haat_metrics::Infrastructure::of(&network, haat_core::StateCode::WEST_BENGAL);
    assert_eq!(infra.area_sq_ft, 4_100_000);
    assert_eq!((infra.metro_hubs, infra.last_mile_hubs), (69, 25));
    let sum: u64 = infra.districts.iter().map(|d| d.area_sq_ft).sum();
    assert_eq!(sum, infra.area_sq_ft);
    assert!(infra.pin_share_percent <= Decimal::ONE_HUNDRED);
    let now = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let report = metrics().report_with(
        &haat_metrics::ReportSettings::new("FY2025-26".parse().unwrap(), now)
            .with_network(&network),
    );
    assert_eq!(report.infrastructure.as_ref(), Some(&infra));
}
