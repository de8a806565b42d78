//! Period boundaries in IST, and growth without a base.

use chrono::{TimeZone, Utc};
use haat_core::{Decimal, FinancialYear, Money};
use haat_metrics::{Granularity, Growth, Metrics, Period, SalesFold};

use crate::support::{Fate, order};

#[test]
fn orders_either_side_of_midnight_ist_on_31_march_fall_in_different_financial_years() {
    let before = Utc.with_ymd_and_hms(2025, 3, 31, 18, 29, 0).unwrap(); // 23:59 IST, 31 Mar
    let after = Utc.with_ymd_and_hms(2025, 3, 31, 18, 31, 0).unwrap(); // 00:01 IST, 1 Apr
    let mut sales = SalesFold::default();
    sales.add(&order(1, 1, 1, 100, before, "700001", Fate::Delivered));
    sales.add(&order(2, 1, 1, 300, after, "700001", Fate::Delivered));
    let by_year = sales.rollup(|k| Some(k.month.financial_year()));
    let fy = |s: &str| s.parse::<FinancialYear>().unwrap();
    assert_eq!(by_year[&fy("FY2024-25")].gmv(), Money::from_rupees(100));
    assert_eq!(by_year[&fy("FY2025-26")].gmv(), Money::from_rupees(300));
    assert_eq!(
        Period::containing(before, Granularity::FinancialYear),
        Period::FinancialYear(fy("FY2024-25"))
    );
    assert_eq!(
        Period::containing(after, Granularity::FinancialYear),
        Period::FinancialYear(fy("FY2025-26"))
    );
    // The days differ too, for the performance window.
    let days: Vec<_> = sales
        .service_days()
        .map(|(_, day, _)| day.to_string())
        .collect();
    assert_eq!(days, ["2025-03-31", "2025-04-01"]);
    // And the report splits them.
    let mut metrics = Metrics::default();
    metrics.add_order(&order(1, 1, 1, 100, before, "700001", Fate::Delivered));
    metrics.add_order(&order(2, 1, 1, 300, after, "700001", Fate::Delivered));
    let report = metrics.report(fy("FY2025-26"), after);
    assert_eq!(report.sales.gmv, Money::from_rupees(300));
    assert_eq!(report.sales.gmv_previous, Money::from_rupees(100));
    assert_eq!(report.sales.gmv_growth_percent, Some(Decimal::from(200)));
}

#[track_caller]
fn check_growth(previous: i64, current: i64, expected: Option<&str>) {
    let got = Growth::between(previous, current).map(|g| g.percent_rounded(1));
    assert_eq!(
        got,
        expected.map(|e| e.parse::<Decimal>().unwrap()),
        "{previous} → {current}"
    );
}

#[test]
fn growth_needs_a_base() {
    check_growth(0, 0, None);
    check_growth(0, 10, None);
    check_growth(-5, 10, None);
    check_growth(10, 0, Some("-100"));
    check_growth(100, 250, Some("150"));
    check_growth(100, 170, Some("70"));
    check_growth(3, 4, Some("33.3"));
}

#[test]
fn an_empty_report_has_no_growth_figures_and_no_panic() {
    let now = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let report = Metrics::default().report("FY2025-26".parse().unwrap(), now);
    assert_eq!(report.sellers.registration_growth_percent, None);
    assert_eq!(report.sellers.activation_growth_percent, None);
    assert_eq!(report.listings.growth_percent, None);
    assert_eq!(report.sales.gmv_growth_percent, None);
    assert!(report.districts.is_empty());
    assert!(
        report
            .render(haat_core::Locale::EnIn)
            .contains("(growth: no base)")
    );
    assert!(
        report
            .render(haat_core::Locale::BnIn)
            .contains("(বৃদ্ধি: তুলনার ভিত্তি নেই)")
    );
}

#[test]
fn totals_past_the_money_range_read_as_its_bound_not_as_zero() {
    use haat_metrics::{DemandTotals, SalesTotals};
    #[track_caller]
    fn check(paise: i128, expected: Money) {
        let sales = SalesTotals {
            gross_paise: paise,
            net_paise: paise,
            ..SalesTotals::default()
        };
        assert_eq!(sales.gmv(), expected, "gmv of {paise} paise");
        assert_eq!(sales.net_sales(), expected, "net sales of {paise} paise");
        let demand = DemandTotals {
            gross_paise: paise,
            ..DemandTotals::default()
        };
        assert_eq!(demand.gmv(), expected, "demand gmv of {paise} paise");
    }
    check(12_345, Money::from_paise(12_345));
    check(Money::MAX.paise(), Money::MAX);
    check(Money::MAX.paise() + 1, Money::MAX);
    check(i128::MAX, Money::MAX);
    check(Money::MIN.paise(), Money::MIN);
    check(-Money::MAX.paise() - 1, Money::MIN);
    check(i128::MIN, Money::MIN);
}

#[test]
fn a_report_over_more_than_the_money_range_shows_the_bound() {
    // Two orders of a hundred lakh crore rupees each (the top of `Money`): twice the range.
    let at = Utc.with_ymd_and_hms(2025, 6, 1, 6, 0, 0).unwrap();
    let mut metrics = Metrics::default();
    for n in 1..=2 {
        let mut big = order(n, 1, 1, 1, at, "700001", Fate::Delivered);
        big.amount = Money::MAX;
        metrics.add_order(&big);
    }
    let report = metrics.report("FY2025-26".parse().unwrap(), at);
    assert_eq!(report.sales.gmv, Money::MAX);
    assert_eq!(report.sales.net_sales, Money::MAX);
}
