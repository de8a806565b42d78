//! The showcase sellers are what the reference picture says: the Nadia saree house has about
//! 300 high-performing listings, the same at any scale.

use haat_core::SellerId;
use haat_metrics::{HighPerformance, ListingPerformance, listing_performance};
use haat_sim::{ScenarioConfig, ScenarioOutcome, run};

use crate::small;

/// The Nadia saree house (seller 1 in the events: seller 0 of the plan).
const NADIA: SellerId = SellerId::new(1);

/// The Nadia house's listings' performance in the latest year.
pub fn nadia(outcome: &ScenarioOutcome) -> Vec<ListingPerformance> {
    let metrics = &outcome.metrics;
    let fy = outcome.latest_year().unwrap();
    listing_performance(metrics.sales(), metrics.listings(), fy, Some(NADIA))
}

fn high_performing(listings: &[ListingPerformance]) -> usize {
    let rule = HighPerformance::default();
    listings.iter().filter(|l| rule.admits(l)).count()
}

#[test]
fn the_nadia_house_has_about_300_high_performing_listings() {
    let listings = nadia(small());
    let count = high_performing(&listings);
    assert!(
        (250..=350).contains(&count),
        "{count} high-performing listings"
    );
    // The state's report counts them with everyone else's.
    let report = small().report().unwrap();
    assert!(report.listings.high_performing >= count as u64);
}

/// The Nadia house's life draws only from its own stream, in the same months, so it is the
/// same in a scenario of 40 sellers as in one of 300 (and in the default's 5,000, which
/// `golden::default_scenario_reports_are_pinned` checks on the run it makes anyway): the test
/// above, at the small scale, speaks for every scale.
#[test]
fn the_nadia_house_is_the_same_at_any_scale() {
    let few = run(
        &ScenarioConfig {
            sellers: 40,
            ..ScenarioConfig::small()
        },
        &mut |_| {},
    );
    assert_eq!(nadia(&few), nadia(small()));
}
