//! Infrastructure: fulfilment area, hubs and PIN code coverage per district, and where orders
//! go that no last-mile hub serves.

use std::collections::BTreeMap;

use haat_core::{Decimal, District, FinancialYear, PinCode, StateCode};
use haat_inventory::Network;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::DemandFold;
use crate::store::Storage;

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
    /// The districts of the state with the most orders in the year to PIN codes no last-mile
    /// hub serves, most first: where the next hub should go.
    #[serde(default)]
    pub unserved_districts: Vec<UnservedDistrict>,
    /// The PIN codes of the state no last-mile hub serves with the most orders in the year,
    /// most first.
    #[serde(default)]
    pub unserved_pin_codes: Vec<UnservedPinCode>,
}

/// A district's orders to PIN codes no last-mile hub serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnservedDistrict {
    /// The district.
    pub district: District,
    /// Order lines placed in the year to its PIN codes no last-mile hub serves.
    pub orders: u64,
    /// Those PIN codes (the ones with orders).
    pub pin_codes: u64,
}

/// A PIN code no last-mile hub serves, and the orders placed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnservedPinCode {
    /// The PIN code.
    pub pin_code: PinCode,
    /// Its district (the first, for a PIN code India Post places in several).
    pub district: Option<District>,
    /// Order lines placed to it in the year.
    pub orders: u64,
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
            unserved_districts: Vec::new(),
            unserved_pin_codes: Vec::new(),
        }
    }

    /// With the demand no last-mile hub serves: of the orders placed in `fy` to PIN codes of
    /// the state that `network` does not serve, the `top` districts and the `top` PIN codes
    /// with the most.
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// # use haat_core::{ListingId, Money, OrderId, SellerId, StateCode};
    /// use haat_inventory::Network;
    /// use haat_metrics::{DemandFold, Infrastructure, OrderRecord};
    /// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
    /// # let order = |pin: &str| OrderRecord { order: OrderId::new(1), seller: SellerId::new(7),
    /// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(100), placed_at: placed,
    /// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
    /// #   returned_at: None, destination: pin.parse().unwrap() };
    /// let mut demand = DemandFold::default();
    /// demand.add(&order("722101")); // Bankura, served by no hub of an empty network
    /// let network = Network::new();
    /// let infra = Infrastructure::of(&network, StateCode::WEST_BENGAL)
    ///     .with_unserved_demand(&demand, &network, "FY2025-26".parse()?, 10);
    /// assert_eq!(infra.unserved_pin_codes[0].pin_code.to_string(), "722101");
    /// assert_eq!(infra.unserved_districts[0].orders, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_unserved_demand<S: Storage>(
        mut self,
        demand: &DemandFold<S>,
        network: &Network,
        fy: FinancialYear,
        top: usize,
    ) -> Infrastructure {
        let mut pins: BTreeMap<PinCode, (Option<District>, u64)> = BTreeMap::new();
        for (pin, month, totals) in demand.cells() {
            let Some(location) = pin.location() else {
                continue;
            };
            if month.financial_year() != fy || !location.is_in(self.state) || network.is_served(pin)
            {
                continue;
            }
            let entry = pins
                .entry(pin)
                .or_insert((location.districts().first().copied(), 0));
            entry.1 = entry.1.saturating_add(totals.orders);
        }
        let mut districts: BTreeMap<District, UnservedDistrict> = BTreeMap::new();
        for (district, orders) in pins.values() {
            if let Some(district) = district {
                let row = districts.entry(*district).or_insert(UnservedDistrict {
                    district: *district,
                    orders: 0,
                    pin_codes: 0,
                });
                row.orders = row.orders.saturating_add(*orders);
                row.pin_codes += 1;
            }
        }
        let mut districts: Vec<UnservedDistrict> = districts.into_values().collect();
        districts.sort_by(|a, b| b.orders.cmp(&a.orders).then(a.district.cmp(&b.district)));
        districts.truncate(top);
        let mut pin_codes: Vec<UnservedPinCode> = pins
            .into_iter()
            .map(|(pin_code, (district, orders))| UnservedPinCode {
                pin_code,
                district,
                orders,
            })
            .collect();
        pin_codes.sort_by(|a, b| b.orders.cmp(&a.orders).then(a.pin_code.cmp(&b.pin_code)));
        pin_codes.truncate(top);
        self.unserved_districts = districts;
        self.unserved_pin_codes = pin_codes;
        self
    }
}
