//! Infrastructure: fulfilment area, hubs and PIN code coverage per district.

use haat_core::{Decimal, District, StateCode};
use haat_inventory::Network;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

/// One district's share of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictInfrastructure {
    /// The district.
    pub district: District,
    /// Fulfilment centres' floor area, square feet.
    pub area_sq_ft: u64,
    /// Fulfilment centres.
    pub fulfilment_centres: u64,
    /// Metropolitan logistics hubs.
    pub metro_hubs: u64,
    /// Last-mile hubs.
    pub last_mile_hubs: u64,
    /// PIN codes of the district a last-mile hub serves.
    pub pin_codes_served: u64,
    /// PIN codes of the district.
    pub pin_codes: u64,
    /// `pin_codes_served`, percent of `pin_codes`, two decimal places.
    pub pin_share_percent: Decimal,
}

/// The network in one state: totals, and each district of the state (those without a location
/// too, so coverage gaps show).
///
/// A snapshot of a [`Network`], not a fold of events: the network is configuration. The
/// district rows sum to the totals.
///
/// ```
/// use haat_core::StateCode;
/// use haat_inventory::Network;
/// use haat_metrics::Infrastructure;
/// let infra = Infrastructure::of(&Network::west_bengal_reference()?, StateCode::WEST_BENGAL);
/// assert_eq!(infra.area_sq_ft, 4_100_000);
/// assert_eq!((infra.metro_hubs, infra.last_mile_hubs), (69, 25));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Infrastructure {
    /// The state.
    pub state: StateCode,
    /// Fulfilment area, square feet.
    pub area_sq_ft: u64,
    /// Fulfilment centres.
    pub fulfilment_centres: u64,
    /// Metropolitan logistics hubs.
    pub metro_hubs: u64,
    /// Last-mile hubs.
    pub last_mile_hubs: u64,
    /// PIN codes of the state served.
    pub pin_codes_served: u64,
    /// PIN codes of the state.
    pub pin_codes: u64,
    /// `pin_codes_served`, percent of `pin_codes`.
    pub pin_share_percent: Decimal,
    /// Per district, in district order.
    pub districts: Vec<DistrictInfrastructure>,
}

fn share(served: u64, total: u64) -> Decimal {
    crate::percent_of(served, total)
        .unwrap_or(Decimal::ZERO)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Infrastructure {
    /// The network's figures for `state`.
    pub fn of(network: &Network, state: StateCode) -> Infrastructure {
        let summary = network.summary();
        let directory = haat_core::PinDirectory::india();
        let mut districts: Vec<DistrictInfrastructure> = directory
            .districts(state)
            .iter()
            .map(|district| {
                let coverage = network.coverage_of_district(*district);
                let counts = summary
                    .districts()
                    .iter()
                    .find(|d| d.district() == *district)
                    .map(|d| *d.counts())
                    .unwrap_or_default();
                DistrictInfrastructure {
                    district: *district,
                    area_sq_ft: counts.area_sq_ft(),
                    fulfilment_centres: counts.fulfilment_centres() as u64,
                    metro_hubs: counts.metro_hubs() as u64,
                    last_mile_hubs: counts.last_mile_hubs() as u64,
                    pin_codes_served: coverage.served() as u64,
                    pin_codes: coverage.total() as u64,
                    pin_share_percent: share(coverage.served() as u64, coverage.total() as u64),
                }
            })
            .collect();
        districts.sort_by_key(|d| d.district);
        let sum = |f: fn(&DistrictInfrastructure) -> u64| districts.iter().map(f).sum::<u64>();
        let (served, pins) = (sum(|d| d.pin_codes_served), sum(|d| d.pin_codes));
        Infrastructure {
            state,
            area_sq_ft: sum(|d| d.area_sq_ft),
            fulfilment_centres: sum(|d| d.fulfilment_centres),
            metro_hubs: sum(|d| d.metro_hubs),
            last_mile_hubs: sum(|d| d.last_mile_hubs),
            pin_codes_served: served,
            pin_codes: pins,
            pin_share_percent: share(served, pins),
            districts,
        }
    }
}
