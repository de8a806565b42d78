//! The fulfilment network: adding locations, summaries, coverage, the West Bengal reference.

use std::collections::BTreeSet;

use haat_core::{Decimal, District, LocationId, PinCode, PinDirectory, StateCode};
use haat_inventory::{Location, LocationKind, Network, NetworkError};
use proptest::prelude::*;

fn district(name: &str) -> District {
    PinDirectory::india()
        .find_district(StateCode::WEST_BENGAL, name)
        .unwrap_or_else(|| panic!("no district {name}"))
}

fn pin(code: &str) -> PinCode {
    code.parse().unwrap()
}

fn id(raw: u64) -> LocationId {
    LocationId::new(raw)
}

/// A small network: a fulfilment centre in Kolkata, a metro hub in Nadia, and a last-mile hub in
/// Nadia serving three Krishnanagar PIN codes, fed by the metro hub.
fn small() -> Network {
    let mut network = Network::new();
    network
        .add(Location::fulfilment_centre(
            id(1),
            "Kolkata FC",
            250_000,
            district("Kolkata"),
            pin("700001"),
        ))
        .unwrap();
    network
        .add(Location::metro_hub(
            id(2),
            "Krishnanagar",
            district("Nadia"),
            pin("741101"),
        ))
        .unwrap();
    network
        .add(Location::last_mile_hub(
            id(3),
            "Krishnanagar delivery",
            district("Nadia"),
            pin("741101"),
            [pin("741101"), pin("741102"), pin("741103")],
            [id(2)],
        ))
        .unwrap();
    network
}

#[track_caller]
fn check_add(location: Location, expected: Result<(), NetworkError>) {
    let mut network = small();
    let before = network.clone();
    let actual = network.add(location);
    assert_eq!(actual, expected);
    if actual.is_err() {
        assert_eq!(
            network, before,
            "a refused location must leave the network unchanged"
        );
    }
}

#[test]
fn adding_checks_ids_pin_codes_districts_and_feeders() {
    let nadia = district("Nadia");
    let kolkata = district("Kolkata");
    // A fresh location in the right place joins.
    check_add(
        Location::metro_hub(id(9), "Kalyani", nadia, pin("741235")),
        Ok(()),
    );
    // The same id twice.
    check_add(
        Location::metro_hub(id(2), "Again", nadia, pin("741101")),
        Err(NetworkError::DuplicateLocation { id: id(2) }),
    );
    // A well-formed PIN code India Post does not list.
    check_add(
        Location::metro_hub(id(9), "Nowhere", nadia, pin("999999")),
        Err(NetworkError::UnknownPinCode {
            location: id(9),
            pin: pin("999999"),
        }),
    );
    // Kolkata's GPO is in West Bengal but not in Nadia.
    check_add(
        Location::metro_hub(id(9), "Misplaced", nadia, pin("700001")),
        Err(NetworkError::DistrictMismatch {
            location: id(9),
            pin: pin("700001"),
            district: nadia,
        }),
    );
    // A Mumbai PIN code is not in West Bengal at all.
    check_add(
        Location::metro_hub(id(9), "Far away", kolkata, pin("400001")),
        Err(NetworkError::StateMismatch {
            location: id(9),
            pin: pin("400001"),
            state: StateCode::WEST_BENGAL,
        }),
    );
    // A last-mile hub serving a code nobody lists.
    check_add(
        Location::last_mile_hub(
            id(9),
            "Hub",
            nadia,
            pin("741101"),
            [pin("741101"), pin("999999")],
            [id(2)],
        ),
        Err(NetworkError::UnknownServedPinCode {
            location: id(9),
            pin: pin("999999"),
        }),
    );
    // Fed by a location not in the network.
    check_add(
        Location::last_mile_hub(
            id(9),
            "Hub",
            nadia,
            pin("741101"),
            [pin("741101")],
            [id(77)],
        ),
        Err(NetworkError::UnknownFeeder {
            location: id(9),
            feeder: id(77),
        }),
    );
    // Fed by another last-mile hub, which holds no stock.
    check_add(
        Location::last_mile_hub(id(9), "Hub", nadia, pin("741101"), [pin("741101")], [id(3)]),
        Err(NetworkError::FeederHoldsNoStock {
            location: id(9),
            feeder: id(3),
        }),
    );
}

#[test]
fn errors_say_what_and_where() {
    let message = NetworkError::DistrictMismatch {
        location: id(9),
        pin: pin("700001"),
        district: district("Nadia"),
    }
    .to_string();
    assert_eq!(
        message,
        "location 9: PIN code 700001 is not in district Nadia"
    );
    assert_eq!(
        NetworkError::DuplicateLocation { id: id(2) }.to_string(),
        "location 2 is already in the network"
    );
}

#[test]
fn summary_counts_kinds_area_and_districts() {
    let mut network = small();
    network
        .add(Location::fulfilment_centre(
            id(4),
            "Kalyani FC",
            400_000,
            district("Nadia"),
            pin("741235"),
        ))
        .unwrap();
    let summary = network.summary();
    assert_eq!(summary.fulfilment_centres(), 2);
    assert_eq!(summary.metro_hubs(), 1);
    assert_eq!(summary.last_mile_hubs(), 1);
    assert_eq!(summary.total_area_sq_ft(), 650_000);
    assert_eq!(summary.totals().locations(), 4);
    let rows: Vec<(&str, usize, u64)> = summary
        .districts()
        .iter()
        .map(|d| {
            (
                d.district().name(),
                d.counts().locations(),
                d.counts().area_sq_ft(),
            )
        })
        .collect();
    assert_eq!(rows, [("Kolkata", 1, 250_000), ("Nadia", 3, 400_000)]);
}

#[track_caller]
fn check_coverage(served: usize, total: usize, coverage: haat_inventory::Coverage) {
    assert_eq!((coverage.served(), coverage.total()), (served, total));
    assert!(coverage.share() >= Decimal::ZERO && coverage.share() <= Decimal::ONE);
}

#[test]
fn coverage_is_exact_for_a_small_network() {
    let network = small();
    let india = PinDirectory::india();
    let nadia_pins = india.pin_codes_of_district(district("Nadia")).len();
    let wb_pins = india.pin_codes_of_state(StateCode::WEST_BENGAL).len();
    check_coverage(
        3,
        nadia_pins,
        network.coverage_of_district(district("Nadia")),
    );
    check_coverage(
        3,
        wb_pins,
        network.coverage_of_state(StateCode::WEST_BENGAL),
    );
    check_coverage(
        0,
        india.pin_codes_of_district(district("Kolkata")).len(),
        network.coverage_of_district(district("Kolkata")),
    );
    let nadia = network.coverage_of_district(district("Nadia"));
    assert_eq!(nadia.share(), Decimal::from(3) / Decimal::from(nadia_pins));
    assert_eq!(network.serving_hubs(pin("741102")), [id(3)]);
    assert!(network.serving_hubs(pin("700001")).is_empty());
    assert!(!network.is_served(pin("700001")));
}

#[test]
fn a_pin_code_served_by_two_hubs_lists_both_in_id_order() {
    let mut network = small();
    network
        .add(Location::last_mile_hub(
            id(0),
            "Second",
            district("Nadia"),
            pin("741102"),
            [pin("741102")],
            [id(2)],
        ))
        .unwrap();
    assert_eq!(network.serving_hubs(pin("741102")), [id(0), id(3)]);
    assert_eq!(network.coverage_of_district(district("Nadia")).served(), 3);
}

#[test]
fn the_west_bengal_reference_network_matches_the_reference_picture() {
    let network = Network::west_bengal_reference().unwrap();
    let summary = network.summary();
    assert_eq!(summary.total_area_sq_ft(), 4_100_000);
    assert_eq!(summary.metro_hubs(), 69);
    assert_eq!(summary.last_mile_hubs(), 25);
    assert_eq!(summary.fulfilment_centres(), 6);
    // Every district of the state has a location.
    let districts: BTreeSet<District> = summary.districts().iter().map(|d| d.district()).collect();
    let all: BTreeSet<District> = PinDirectory::india()
        .districts(StateCode::WEST_BENGAL)
        .iter()
        .copied()
        .collect();
    assert_eq!(districts, all);
    // Coverage is partial but substantial, and exact.
    let coverage = network.coverage_of_state(StateCode::WEST_BENGAL);
    assert!(
        coverage.share() > Decimal::new(8, 1) && coverage.share() < Decimal::ONE,
        "{coverage}"
    );
    assert_eq!(
        coverage.served(),
        network
            .served_pin_codes()
            .filter(|p| p
                .location()
                .is_some_and(|l| l.is_in(StateCode::WEST_BENGAL)))
            .count()
    );
    for location in network.locations() {
        assert_eq!(location.state(), StateCode::WEST_BENGAL);
        assert!(
            location
                .pin()
                .location()
                .unwrap()
                .districts()
                .contains(&location.district())
        );
        if let LocationKind::LastMileHub { serves, fed_by } = location.kind() {
            assert!(
                !serves.is_empty() && !fed_by.is_empty(),
                "{}",
                location.name()
            );
            for feeder in fed_by {
                assert_eq!(
                    network.get(*feeder).unwrap().district(),
                    location.district()
                );
            }
        }
    }
    // Built from data, deterministically.
    assert_eq!(Network::west_bengal_reference().unwrap(), network);
}

#[test]
fn a_network_round_trips_through_json() {
    let network = Network::west_bengal_reference().unwrap();
    let json = serde_json::to_string(&network).unwrap();
    let back: Network = serde_json::from_str(&json).unwrap();
    assert_eq!(back, network);
    // Deserialising goes through `add`, so a duplicate is refused.
    let small_json = serde_json::to_value(small()).unwrap();
    let mut twice = small_json.as_array().unwrap().clone();
    twice.push(twice[0].clone());
    assert!(serde_json::from_value::<Network>(serde_json::Value::Array(twice)).is_err());
}

proptest! {
    #[test]
    fn coverage_counts_exactly_the_served_codes(picks in proptest::collection::btree_set(0usize..76, 0..40)) {
        let nadia = district("Nadia");
        let pins = PinDirectory::india().pin_codes_of_district(nadia);
        let serves: BTreeSet<PinCode> = picks.iter().filter_map(|&i| pins.get(i).copied()).collect();
        let mut network = small();
        network.add(Location::last_mile_hub(id(50), "Random", nadia, pin("741101"), serves.iter().copied(), [id(2)])).unwrap();
        let coverage = network.coverage_of_district(nadia);
        let expected: BTreeSet<PinCode> = serves.iter().copied().chain([pin("741101"), pin("741102"), pin("741103")]).collect();
        prop_assert_eq!(coverage.served(), expected.len());
        prop_assert_eq!(coverage.total(), pins.len());
        prop_assert!(coverage.share() >= Decimal::ZERO && coverage.share() <= Decimal::ONE);
    }
}
