//! The report's growth follows the scenario's parameters: it is computed, not echoed.

use haat_core::Decimal;
use haat_sim::{Rate, ScenarioConfig, run};

fn growth(config: &ScenarioConfig) -> (Decimal, Decimal) {
    let report = run(config, &mut |_| {}).report().unwrap();
    (
        report.sellers.registration_growth_percent.unwrap(),
        report.listings.growth_percent.unwrap(),
    )
}

#[track_caller]
fn close(actual: Decimal, expected: i64, tolerance: i64) {
    let gap = (actual - Decimal::from(expected)).abs();
    assert!(
        gap <= Decimal::from(tolerance),
        "{actual}% is not within {tolerance} of {expected}%"
    );
}

#[test]
fn onboarding_growth_follows_the_parameter() {
    let base = ScenarioConfig {
        sellers: 150,
        ..ScenarioConfig::small()
    };
    let fast = growth(&ScenarioConfig {
        onboarding_growth: Rate::percent(70),
        ..base.clone()
    });
    let slow = growth(&ScenarioConfig {
        onboarding_growth: Rate::percent(20),
        ..base
    });
    close(fast.0, 70, 3);
    close(slow.0, 20, 3);
    assert!(fast.0 > slow.0 + Decimal::from(30));
}

#[test]
fn listing_growth_follows_the_parameter() {
    let base = ScenarioConfig {
        sellers: 300,
        ..ScenarioConfig::small()
    };
    let fast = growth(&ScenarioConfig {
        listing_growth: Rate::percent(150),
        ..base.clone()
    });
    let slow = growth(&ScenarioConfig {
        listing_growth: Rate::percent(40),
        ..base
    });
    close(fast.1, 150, 30);
    close(slow.1, 40, 20);
    assert!(fast.1 > slow.1 + Decimal::from(60));
}

#[test]
fn more_orders_per_listing_mean_more_gmv() {
    let base = ScenarioConfig {
        sellers: 60,
        ..ScenarioConfig::small()
    };
    let busy = run(
        &ScenarioConfig {
            orders_per_listing_month: Rate::percent(120),
            ..base.clone()
        },
        &mut |_| {},
    );
    let quiet = run(
        &ScenarioConfig {
            orders_per_listing_month: Rate::percent(30),
            ..base
        },
        &mut |_| {},
    );
    let gmv = |o: &haat_sim::ScenarioOutcome| o.report().unwrap().sales.gmv;
    assert!(gmv(&busy) > gmv(&quiet));
    assert!(busy.counts.orders > 2 * quiet.counts.orders);
}
