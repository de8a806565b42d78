//! End to end at small scale: the report's invariants, the showcase sellers, and no command
//! refused by accident.

use haat_core::{Decimal, Money, SellerId};
use haat_metrics::OrderRecord;
use haat_sim::{Event, ScenarioConfig, run_with_sink};

use crate::small;

#[track_caller]
fn percent_ok(value: Option<Decimal>, what: &str) {
    if let Some(p) = value {
        assert!(
            p >= Decimal::ZERO && p <= Decimal::from(100),
            "{what} = {p}%"
        );
    }
}

#[test]
fn no_command_is_refused_by_accident() {
    let counts = &small().counts;
    assert_eq!(counts.rejections, Default::default(), "unexpected refusals");
    // The provoked ones happen, and are counted apart.
    assert!(counts.intended_rejections.values().sum::<u64>() > 0);
    assert_eq!(counts.sellers, 300);
    assert!(
        counts.sellers_activated < counts.sellers,
        "some never finish KYC"
    );
    assert!(counts.workshops > 0 && counts.attendees >= counts.workshops);
    assert!(counts.listings > 0 && counts.orders > 0);
    assert!(counts.cancelled > counts.seller_cancelled && counts.seller_cancelled > 0);
    assert!(counts.returned > 0);
}

#[test]
fn funnel_steps_never_increase() {
    let report = small().report().unwrap();
    let funnels = std::iter::once(&report.funnel.total)
        .chain(report.funnel.by_district.iter().map(|d| &d.funnel))
        .chain(report.funnel.by_partner.iter().map(|p| &p.funnel));
    let mut seen = 0;
    for funnel in funnels {
        seen += 1;
        for pair in funnel.stages.windows(2) {
            assert!(
                pair[1].count <= pair[0].count,
                "{:?} > {:?}",
                pair[1],
                pair[0]
            );
        }
        for stage in &funnel.stages {
            percent_ok(stage.conversion_percent, "conversion");
        }
    }
    assert!(seen > 2);
    assert!(report.funnel.total.stages.first().unwrap().count > 0);
}

#[test]
fn shares_are_between_0_and_100_percent() {
    let report = small().report().unwrap();
    let p = &report.performance;
    percent_ok(p.cancellation_percent, "cancellations");
    percent_ok(p.late_dispatch_percent, "late dispatch");
    percent_ok(p.return_percent, "returns");
    percent_ok(
        report.programmes.enrolled.activation_percent,
        "enrolled activation",
    );
    percent_ok(
        report.programmes.others.activation_percent,
        "others' activation",
    );
    let infrastructure = report.infrastructure.as_ref().unwrap();
    assert!(infrastructure.pin_share_percent <= Decimal::from(100));
    assert_eq!(infrastructure.area_sq_ft, 4_100_000);
    assert_eq!(
        (infrastructure.metro_hubs, infrastructure.last_mile_hubs),
        (69, 25)
    );
}

#[test]
fn district_rows_add_up_to_the_state() {
    let report = small().report().unwrap();
    let rows = &report.districts;
    let sum = |f: fn(&haat_metrics::DistrictRow) -> u64| rows.iter().map(f).sum::<u64>();
    assert_eq!(sum(|r| r.sellers), report.sellers.registered_total);
    assert_eq!(sum(|r| r.active_sellers), report.sellers.active_total);
    assert_eq!(sum(|r| r.registered), report.sellers.registered);
    assert_eq!(sum(|r| r.live_listings), report.listings.live);
    assert_eq!(sum(|r| r.workforce), report.employment.total);
    let gmv = Money::checked_sum(rows.iter().map(|r| r.gmv)).unwrap();
    assert_eq!(gmv, report.sales.gmv);
    let previous = Money::checked_sum(rows.iter().map(|r| r.gmv_previous)).unwrap();
    assert_eq!(previous, report.sales.gmv_previous);
    assert!(rows.len() > 10, "sellers across the state's districts");
}

#[test]
fn gmv_is_the_sum_of_the_orders_placed_in_the_year() {
    let config = ScenarioConfig {
        sellers: 60,
        ..ScenarioConfig::small()
    };
    let mut orders: Vec<OrderRecord> = Vec::new();
    let outcome = run_with_sink(
        &config,
        &mut |_| {},
        Some(&mut |event| {
            if let Event::Order(order) = event {
                orders.push(order.clone());
            }
        }),
    );
    let report = outcome.report().unwrap();
    let fy = report.financial_year;
    let in_year: Vec<&OrderRecord> = orders.iter().filter(|o| fy.contains(o.placed_at)).collect();
    assert_eq!(report.sales.orders, in_year.len() as u64);
    assert_eq!(
        report.sales.gmv,
        Money::checked_sum(in_year.iter().map(|o| o.amount)).unwrap()
    );
    let net = in_year.iter().filter(|o| o.is_net_sale()).map(|o| o.amount);
    assert_eq!(report.sales.net_sales, Money::checked_sum(net).unwrap());
    assert_eq!(orders.len() as u64, outcome.counts.orders);
}

#[test]
fn the_showcase_sellers_are_there() {
    let outcome = small();
    let report = outcome.report().unwrap();
    // The Nadia saree house: 25 weavers, 10,000 listings, all live at the end.
    let nadia = outcome.metrics.sellers().get(SellerId::new(1)).unwrap();
    let end = report.financial_year.end() - chrono::TimeDelta::seconds(1);
    let workforce = nadia.workforce_at(end).unwrap();
    assert_eq!(workforce.count(haat_seller::WorkforceRole::Weaver), 25);
    let nadia_live = outcome
        .metrics
        .listings()
        .iter()
        .filter(|(_, facts)| facts.seller() == SellerId::new(1) && facts.is_live_at(end))
        .count();
    assert_eq!(nadia_live, 10_000);
    // The Barasat trader's net sales more than doubled.
    let net = |fy: haat_core::FinancialYear| -> i128 {
        outcome
            .metrics
            .sales()
            .cells()
            .filter(|(key, _)| key.seller == SellerId::new(2) && key.month.financial_year() == fy)
            .map(|(_, totals)| totals.net_paise)
            .sum()
    };
    let (before, after) = (net(report.previous_year), net(report.financial_year));
    assert!(before > 0 && after > 2 * before, "{before} -> {after}");
    assert!(report.sales.sellers_more_than_doubled >= 1);
}
