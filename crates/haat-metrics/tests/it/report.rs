//! The report: invariants, JSON, text in en-IN and bn-IN, and the chart.

use chrono::{TimeDelta, TimeZone, Utc};
use haat_core::{Decimal, Locale, Money};
use haat_metrics::{ImpactReport, Metrics, ReportSettings};
use proptest::prelude::*;

use crate::scenario::metrics;
use crate::support::ist;

fn report() -> ImpactReport {
    let network = haat_inventory::Network::west_bengal_reference().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 4, 1, 6, 0, 0).unwrap();
    metrics()
        .report_with(&ReportSettings::new("FY2025-26".parse().unwrap(), now).with_network(&network))
}

/// What must hold of every report.
fn check_invariants(report: &ImpactReport) -> Result<(), TestCaseError> {
    let hundred = Decimal::ONE_HUNDRED;
    let funnels = std::iter::once(&report.funnel.total)
        .chain(report.funnel.by_district.iter().map(|d| &d.funnel))
        .chain(report.funnel.by_partner.iter().map(|p| &p.funnel));
    for funnel in funnels {
        prop_assert_eq!(funnel.stages.len(), 6);
        for pair in funnel.stages.windows(2) {
            prop_assert!(
                pair[1].count <= pair[0].count,
                "funnel step grew: {:?}",
                pair
            );
            if let Some(c) = pair[1].conversion_percent {
                prop_assert!(c >= Decimal::ZERO && c <= hundred);
            }
        }
    }
    let shares = [
        report.programmes.enrolled.activation_percent,
        report.programmes.others.activation_percent,
        report.performance.cancellation_percent,
        report.performance.late_dispatch_percent,
        report.performance.return_percent,
        report.infrastructure.as_ref().map(|i| i.pin_share_percent),
    ];
    for share in shares.into_iter().flatten() {
        prop_assert!(
            share >= Decimal::ZERO && share <= hundred,
            "share {}",
            share
        );
    }
    for listing in &report.top_listings {
        if let Some(c) = listing.conversion_percent {
            prop_assert!(c >= Decimal::ZERO && c <= hundred);
        }
    }
    // Per-district sums equal the state totals.
    let sum =
        |f: fn(&haat_metrics::DistrictRow) -> u64| -> u64 { report.districts.iter().map(f).sum() };
    prop_assert_eq!(sum(|r| r.sellers), report.sellers.registered_total);
    prop_assert_eq!(sum(|r| r.active_sellers), report.sellers.active_total);
    prop_assert_eq!(sum(|r| r.registered), report.sellers.registered);
    prop_assert_eq!(sum(|r| r.live_listings), report.listings.live);
    prop_assert_eq!(sum(|r| r.workforce), report.employment.total);
    let gmv = report
        .districts
        .iter()
        .try_fold(Money::ZERO, |a, r| a.checked_add(r.gmv));
    prop_assert_eq!(gmv, Some(report.sales.gmv));
    let by_category = report
        .sales
        .by_category
        .iter()
        .try_fold(Money::ZERO, |a, c| a.checked_add(c.gmv));
    prop_assert_eq!(by_category, Some(report.sales.gmv));
    let monthly = report.monthly[12..]
        .iter()
        .try_fold(Money::ZERO, |a, m| a.checked_add(m.gmv));
    prop_assert_eq!(monthly, Some(report.sales.gmv));
    let registered: u64 = report.monthly[12..].iter().map(|m| m.registered).sum();
    prop_assert_eq!(registered, report.sellers.registered);
    if let Some(infra) = &report.infrastructure {
        let area: u64 = infra.districts.iter().map(|d| d.area_sq_ft).sum();
        prop_assert_eq!(area, infra.area_sq_ft);
        let hubs: u64 = infra
            .districts
            .iter()
            .map(|d| d.metro_hubs + d.last_mile_hubs)
            .sum();
        prop_assert_eq!(hubs, infra.metro_hubs + infra.last_mile_hubs);
    }
    Ok(())
}

#[test]
fn the_scenario_report_keeps_its_invariants() {
    let report = report();
    check_invariants(&report).unwrap();
    assert_eq!(report.sellers.registered_total, 4);
    assert_eq!(report.sellers.active_total, 3);
    assert_eq!(report.listings.live, 2);
    assert_eq!(report.listings.live_previous, 1);
    assert_eq!(report.listings.growth_percent, Some(Decimal::from(100)));
    assert_eq!(report.employment.total, 27);
}

#[test]
fn the_report_round_trips_through_json() {
    let report = report();
    let json = serde_json::to_string_pretty(&report).unwrap();
    assert!(json.contains("\"financial_year\": \"FY2025-26\""), "{json}");
    let back: ImpactReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[track_caller]
fn check_text(locale: Locale, report: &ImpactReport, expected: &[&str]) {
    let text = report.render(locale);
    for piece in expected {
        assert!(
            text.contains(piece),
            "{locale:?} text lacks {piece:?}:\n{text}"
        );
    }
}

#[test]
fn the_text_is_in_english_and_bengali_with_indian_numbers() {
    let mut report = report();
    check_text(
        Locale::EnIn,
        &report,
        &[
            "Impact report FY2025-26 against FY2024-25",
            "Sellers",
            "Listings",
            "Sales",
            "Employment",
            "Workshop funnel",
            "+100%",
            "+950%",
            "District",
            "Nadia",
            "sellers whose sales more than doubled: 1",
        ],
    );
    check_text(
        Locale::BnIn,
        &report,
        &[
            "প্রভাব প্রতিবেদন FY২০২৫-২৬",
            "বিক্রেতা",
            "তালিকা",
            "বিক্রি",
            "জেলা",
            "কর্মসংস্থান",
            "কর্মশালা",
            "+১০০%",
            "+৯৫০%",
            "নদিয়া",
        ],
    );
    assert!(!report.render(Locale::BnIn).contains("Nadia"));
    // The headline of the reference picture.
    report.sellers.registered_total = 420_000;
    report.listings.growth_percent = Some(Decimal::from(150));
    report.sellers.registration_growth_percent = Some(Decimal::from(70));
    check_text(
        Locale::EnIn,
        &report,
        &["4.2\u{202f}lakh registered", "+150%", "+70%"],
    );
    check_text(Locale::BnIn, &report, &["৪.২ লাখ নিবন্ধিত", "+১৫০%", "+৭০%"]);
}

#[test]
fn the_district_table_lines_up_in_both_languages() {
    // Terminal columns: one a character but Bengali nonspacing marks (chandrabindu, nukta,
    // vowel signs below, hasanta), which sit on the letter before them.
    let columns = |line: &str| {
        line.chars()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{0981}' | '\u{09BC}' | '\u{09C1}'
                        ..='\u{09C4}' | '\u{09CD}' | '\u{09E2}' | '\u{09E3}' | '\u{09FE}'
                )
            })
            .count()
    };
    let report = report();
    for (locale, header) in [(Locale::EnIn, "District"), (Locale::BnIn, "জেলা")] {
        let text = report.render(locale);
        let table: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.starts_with(header))
            .take_while(|line| !line.trim().is_empty())
            .collect();
        assert!(table.len() >= 2, "{locale:?}: no district table in\n{text}");
        let width = columns(table[0]);
        for line in &table {
            assert_eq!(
                columns(line),
                width,
                "{locale:?}: {line:?} is out of line in\n{text}"
            );
        }
    }
}

/// A minimal XML check: every tag closes, in order, and nothing is left open.
fn balanced(svg: &str) -> Result<usize, String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut elements = 0;
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').ok_or("unclosed <")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if top != name.trim() {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            stack.push(name);
            elements += 1;
        } else {
            elements += 1;
        }
        if !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
    }
    if stack.is_empty() && rest.trim().is_empty() {
        Ok(elements)
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

fn attribute(element: &str, name: &str) -> i64 {
    let start = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = element[start..].find('"').unwrap() + start;
    element[start..end].parse().unwrap()
}

#[test]
fn the_chart_is_well_formed_and_its_bars_scale() {
    let mut report = report();
    for (i, month) in report.monthly.iter_mut().enumerate() {
        month.registered = i as u64 * 10;
        month.activated = i as u64 * 5;
        month.gmv = Money::from_rupees(i as i64 * 1_000);
    }
    for locale in Locale::ALL {
        let svg = report.chart_svg(locale);
        let elements = balanced(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(elements > 24 * 3, "{elements} elements");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }
    let svg = report.chart_svg(Locale::EnIn);
    assert!(svg.contains(">2025-04<"));
    assert!(report.chart_svg(Locale::BnIn).contains(">২০২৫-০৪<"));
    let bars: Vec<i64> = svg
        .lines()
        .filter(|l| l.starts_with("<rect class=\"registered\""))
        .map(|l| attribute(l, "height"))
        .collect();
    assert_eq!(bars.len(), 24);
    assert_eq!(bars[0], 0);
    // Heights are proportional: the tallest is the plot's height, the middle one half of it.
    let tallest = bars[23];
    assert!(tallest > 200);
    for (i, bar) in bars.iter().enumerate() {
        assert_eq!(*bar, tallest * i as i64 / 23, "bar {i}");
    }
    // Every bar's top plus its height is the baseline.
    let baselines: Vec<i64> = svg
        .lines()
        .filter(|l| l.starts_with("<rect class="))
        .map(|l| attribute(l, "y") + attribute(l, "height"))
        .collect();
    assert!(baselines.windows(2).all(|w| w[0] == w[1]));
    // A report without any data still draws, with flat bars.
    let empty = Metrics::default().report("FY2025-26".parse().unwrap(), ist(2026, 4, 1, 0, 0));
    balanced(&empty.chart_svg(Locale::EnIn)).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_scenarios_keep_the_report_invariants(
        shift_days in 0i64..400,
        extra_orders in prop::collection::vec((1u64..5, 1u64..8, 0i64..700, 0usize..5), 0..40),
    ) {
        let (events, orders) = crate::scenario::scenario();
        let mut metrics = Metrics::default();
        for event in &events {
            metrics.apply_event(event);
        }
        for order in &orders {
            metrics.add_order(order);
        }
        for (n, (seller, listing, day, fate)) in extra_orders.into_iter().enumerate() {
            let fate = [
                crate::support::Fate::Delivered,
                crate::support::Fate::Late,
                crate::support::Fate::SellerCancelled,
                crate::support::Fate::BuyerCancelled,
                crate::support::Fate::Returned,
            ][fate];
            let at = ist(2024, 4, 1, 10, 0) + TimeDelta::days(day);
            metrics.add_order(&crate::support::order(
                1_000 + n as u64, seller, listing, 700, at, "741101", fate,
            ));
        }
        let now = ist(2025, 4, 1, 0, 0) + TimeDelta::days(shift_days);
        let network = haat_inventory::Network::west_bengal_reference().unwrap();
        for fy in ["FY2024-25", "FY2025-26"] {
            let report = metrics.report_with(
                &ReportSettings::new(fy.parse().unwrap(), now).with_network(&network),
            );
            check_invariants(&report)?;
        }
    }
}
