//! Allocation: each criterion of the policy in order, splits, constraints, shortfalls, and the
//! invariants as properties.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use haat_core::{LocationId, PinCode, PinDirectory, SellerId, Sku, StateCode};
use haat_inventory::{
    Allocation, AllocationRequest, Allocator, AvailableStock, Location, Network, Reason,
    SellerConstraint, ShortfallCause, SplitPolicy, allocate,
};
use proptest::prelude::*;

/// Stock as a table: (seller, SKU, location) → units available.
#[derive(Clone, Debug, Default)]
struct Table(BTreeMap<(SellerId, Sku, LocationId), u64>);

impl AvailableStock for Table {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        _now: DateTime<Utc>,
    ) -> u64 {
        self.0
            .get(&(seller, sku.clone(), location))
            .copied()
            .unwrap_or(0)
    }
}

/// The same table, listing each SKU's locations at once ([`AvailableStock::stocked`]): the
/// fast door allocation takes with the stock ledger, to be proven equal to asking location
/// by location.
#[derive(Clone, Debug, Default)]
struct Listed(Table);

impl AvailableStock for Listed {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        self.0.available(seller, sku, location, now)
    }

    fn stocked(
        &self,
        seller: SellerId,
        sku: &Sku,
        _now: DateTime<Utc>,
        out: &mut Vec<(LocationId, u64)>,
    ) -> bool {
        out.clear();
        out.extend(
            self.0
                .0
                .iter()
                .filter(|((s, k, _), _)| *s == seller && k == sku)
                .map(|((_, _, location), units)| (*location, *units)),
        );
        true
    }
}

fn pin(code: &str) -> PinCode {
    code.parse().unwrap()
}

fn id(raw: u64) -> LocationId {
    LocationId::new(raw)
}

fn sku(code: &str) -> Sku {
    code.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

const SELLER: SellerId = SellerId::new(1);
const KRISHNANAGAR: &str = "741101";
const ODISHA: StateCode = match StateCode::new(21) {
    Some(state) => state,
    None => StateCode::WEST_BENGAL,
};

/// Seen from Krishnanagar (741101, Nadia): location 6 feeds the last-mile hub 10 serving it;
/// 1 and 2 are other Nadia metro hubs; 3 (a Kolkata fulfilment centre) and 4 (a Hooghly metro
/// hub) are elsewhere in West Bengal; 5 is in Bhubaneswar, Odisha.
fn fixture() -> Network {
    let india = PinDirectory::india();
    let wb = |name: &str| india.find_district(StateCode::WEST_BENGAL, name).unwrap();
    let nadia = wb("Nadia");
    let mut network = Network::new();
    let locations = [
        Location::metro_hub(id(1), "Nadia A", nadia, pin("741235")),
        Location::metro_hub(id(2), "Nadia B", nadia, pin("741201")),
        Location::fulfilment_centre(id(3), "Kolkata FC", 300_000, wb("Kolkata"), pin("700001")),
        Location::metro_hub(id(4), "Hooghly", wb("Hooghly"), pin("712101")),
        Location::metro_hub(
            id(5),
            "Bhubaneswar",
            india.find_district(ODISHA, "Khordha").unwrap(),
            pin("751001"),
        ),
        Location::metro_hub(id(6), "Nadia feeder", nadia, pin("741102")),
        Location::last_mile_hub(
            id(10),
            "Krishnanagar delivery",
            nadia,
            pin(KRISHNANAGAR),
            [pin(KRISHNANAGAR)],
            [id(6)],
        ),
    ];
    for location in locations {
        network.add(location).unwrap();
    }
    network
}

fn stock(levels: &[(u64, u64)]) -> Table {
    Table(
        levels
            .iter()
            .map(|&(location, units)| ((SELLER, sku("SAREE"), id(location)), units))
            .collect(),
    )
}

/// Allocates one line of `quantity` SAREE to Krishnanagar both ways (one-off and through an
/// [`Allocator`]), checks they agree, and compares the shipments and any shortfall.
#[track_caller]
fn check(
    levels: &[(u64, u64)],
    quantity: u64,
    split: SplitPolicy,
    constraint: Option<StateCode>,
    shipments: &[(u64, u64, Reason)],
    shortfall: Option<(u64, ShortfallCause)>,
) {
    let network = fixture();
    let mut request = AllocationRequest::new(pin(KRISHNANAGAR))
        .line(SELLER, sku("SAREE"), quantity)
        .split(split);
    if let Some(state) = constraint {
        request = request.constrain(SELLER, SellerConstraint::IntraStateOnly { state });
    }
    let table = stock(levels);
    let allocation = allocate(&network, &table, &request, now());
    assert_eq!(
        Allocator::new(&network).allocate(&table, &request, now()),
        allocation,
        "allocator and allocate differ"
    );
    let actual: Vec<(u64, u64, Reason)> = allocation
        .shipments()
        .iter()
        .map(|s| (s.location().get(), s.quantity(), s.reason()))
        .collect();
    assert_eq!(actual, shipments, "shipments");
    let actual_shortfall = allocation.shortfalls().first().map(|s| {
        assert_eq!(
            (s.seller(), s.sku(), s.requested()),
            (SELLER, &sku("SAREE"), quantity)
        );
        (s.allocatable(), s.cause())
    });
    assert_eq!(actual_shortfall, shortfall, "shortfall");
}

use Reason::*;
use ShortfallCause::*;
use SplitPolicy::{AcrossLocations, Never};

#[test]
fn criterion_1_the_location_behind_the_serving_last_mile_hub_comes_first() {
    let everywhere = [(1, 10), (2, 10), (3, 10), (4, 10), (5, 10), (6, 10)];
    check(
        &everywhere,
        5,
        Never,
        None,
        &[(6, 5, FeedsServingHub)],
        None,
    );
    // Even with less stock than the others, as long as it has the line.
    check(
        &[(1, 90), (3, 90), (6, 5)],
        5,
        Never,
        None,
        &[(6, 5, FeedsServingHub)],
        None,
    );
    // The last-mile hub itself holds no stock to ship.
    check(
        &[(10, 50), (1, 5)],
        5,
        Never,
        None,
        &[(1, 5, SameDistrict)],
        None,
    );
}

#[test]
fn criterion_2_then_the_destination_district() {
    check(
        &[(1, 10), (3, 50), (5, 99)],
        5,
        Never,
        None,
        &[(1, 5, SameDistrict)],
        None,
    );
    // The feeder lacks the stock: never picked for the line.
    check(
        &[(6, 4), (2, 5), (3, 50)],
        5,
        Never,
        None,
        &[(2, 5, SameDistrict)],
        None,
    );
}

#[test]
fn criterion_3_then_the_destination_state() {
    check(
        &[(3, 10), (5, 99)],
        5,
        Never,
        None,
        &[(3, 5, SameState)],
        None,
    );
    check(
        &[(4, 5), (5, 99), (6, 1)],
        5,
        Never,
        None,
        &[(4, 5, SameState)],
        None,
    );
}

#[test]
fn criterion_4_then_the_most_stock() {
    check(
        &[(1, 6), (2, 9)],
        5,
        Never,
        None,
        &[(2, 5, MostStock)],
        None,
    );
    check(
        &[(3, 6), (4, 9)],
        5,
        Never,
        None,
        &[(4, 5, MostStock)],
        None,
    );
    // Outside the state, stock is all that is left to choose by.
    check(&[(5, 7)], 5, Never, None, &[(5, 5, MostStock)], None);
}

#[test]
fn criterion_5_then_the_lowest_id() {
    check(&[(1, 9), (2, 9)], 5, Never, None, &[(1, 5, LowestId)], None);
    check(&[(4, 9), (3, 9)], 5, Never, None, &[(3, 5, LowestId)], None);
}

#[test]
fn a_line_splits_only_when_allowed_and_needed() {
    // One location can ship it whole: no split, even when allowed.
    check(
        &[(6, 2), (3, 5)],
        5,
        AcrossLocations,
        None,
        &[(3, 5, SameState)],
        None,
    );
    // None can: split in rank order, taking everything from each.
    check(
        &[(6, 2), (1, 2), (2, 1), (3, 1)],
        5,
        AcrossLocations,
        None,
        &[
            (6, 2, FeedsServingHub),
            (1, 2, MostStock),
            (2, 1, SameDistrict),
        ],
        None,
    );
    // Not allowed: the one location with the most ships what it has.
    check(
        &[(6, 3), (1, 4)],
        5,
        Never,
        None,
        &[(1, 4, MostStock)],
        Some((4, WouldSplit)),
    );
    // Tied on stock: the better-ranked one.
    check(
        &[(1, 3), (6, 3)],
        5,
        Never,
        None,
        &[(6, 3, FeedsServingHub)],
        Some((3, WouldSplit)),
    );
    check(
        &[(2, 3), (1, 3)],
        5,
        Never,
        None,
        &[(1, 3, LowestId)],
        Some((3, WouldSplit)),
    );
}

#[test]
fn a_shortfall_is_a_typed_answer() {
    check(&[], 5, Never, None, &[], Some((0, NotEnoughStock)));
    check(
        &[(1, 1), (3, 2)],
        5,
        AcrossLocations,
        None,
        &[(1, 1, SameDistrict), (3, 2, SameState)],
        Some((3, NotEnoughStock)),
    );
    check(
        &[(1, 1), (3, 2)],
        5,
        Never,
        None,
        &[(3, 2, MostStock)],
        Some((2, NotEnoughStock)),
    );
}

#[test]
fn an_intra_state_only_seller_never_leaves_its_state() {
    let wb = Some(StateCode::WEST_BENGAL);
    // Odisha has it all; West Bengal has one unit.
    check(
        &[(5, 99), (4, 1)],
        5,
        Never,
        wb,
        &[(4, 1, MostStock)],
        Some((1, NotEnoughStock)),
    );
    check(
        &[(5, 99), (4, 1)],
        5,
        AcrossLocations,
        wb,
        &[(4, 1, SameState)],
        Some((1, NotEnoughStock)),
    );
    check(&[(5, 99), (3, 9)], 5, Never, wb, &[(3, 5, SameState)], None);
    // An Odisha seller without GST registration cannot sell to Krishnanagar at all.
    check(
        &[(5, 99)],
        5,
        Never,
        Some(ODISHA),
        &[],
        Some((0, OutsideSellerState)),
    );
}

#[test]
fn lines_of_the_same_sku_draw_on_the_same_stock_and_fall_short_together() {
    let network = fixture();
    let request = AllocationRequest::new(pin(KRISHNANAGAR))
        .line(SELLER, sku("SAREE"), 3)
        .line(SELLER, sku("OTHER"), 1)
        .line(SELLER, sku("SAREE"), 3);
    let allocation = allocate(&network, &stock(&[(1, 5)]), &request, now());
    let shipped: Vec<(usize, u64, u64)> = allocation
        .shipments()
        .iter()
        .map(|s| (s.line(), s.location().get(), s.quantity()))
        .collect();
    assert_eq!(shipped, [(0, 1, 3), (2, 1, 2)]);
    let shortfalls: Vec<(&str, u64, u64, ShortfallCause)> = allocation
        .shortfalls()
        .iter()
        .map(|s| (s.sku().as_str(), s.requested(), s.allocatable(), s.cause()))
        .collect();
    assert_eq!(
        shortfalls,
        [
            ("SAREE", 6, 5, NotEnoughStock),
            ("OTHER", 1, 0, NotEnoughStock)
        ]
    );
    assert_eq!(
        allocation
            .shortfall(SELLER, &sku("SAREE"))
            .map(|s| s.missing()),
        Some(1)
    );
}

#[test]
fn a_destination_nobody_serves_ranks_by_stock_then_id() {
    let network = fixture();
    // Delhi: no location shares its district or state.
    let request = AllocationRequest::new(pin("110001")).line(SELLER, sku("SAREE"), 2);
    let allocation = allocate(&network, &stock(&[(6, 3), (5, 4), (1, 4)]), &request, now());
    let shipment = allocation.shipments()[0];
    assert_eq!((shipment.location(), shipment.reason()), (id(1), LowestId));
}

#[test]
fn allocate_into_reuses_the_answer() {
    let network = fixture();
    let allocator = Allocator::new(&network);
    let table = stock(&[(1, 5)]);
    let mut out = Allocation::default();
    let short = AllocationRequest::new(pin(KRISHNANAGAR)).line(SELLER, sku("SAREE"), 9);
    allocator.allocate_into(&table, &short, now(), &mut out);
    assert!(!out.is_complete());
    let fine = AllocationRequest::new(pin(KRISHNANAGAR)).line(SELLER, sku("SAREE"), 2);
    allocator.allocate_into(&table, &fine, now(), &mut out);
    assert!(out.is_complete());
    assert_eq!(out, allocate(&network, &table, &fine, now()));
}

// Properties.

static REFERENCE: LazyLock<Network> = LazyLock::new(|| Network::west_bengal_reference().unwrap());
static REFERENCE_ALLOCATOR: LazyLock<Allocator<'static>> =
    LazyLock::new(|| Allocator::new(&REFERENCE));

const SKUS: [&str; 3] = ["SAREE", "DOKRA", "HONEY"];
const DESTINATIONS: [&str; 6] = [
    KRISHNANAGAR,
    "741235",
    "700001",
    "712101",
    "751001",
    "110001",
];

fn table_strategy() -> impl Strategy<Value = Table> {
    proptest::collection::btree_map(
        (
            1u64..=2,
            0usize..3,
            prop::sample::select(vec![1u64, 2, 3, 4, 5, 6, 10, 99]),
        ),
        0u64..8,
        0..30,
    )
    .prop_map(|cells| {
        Table(
            cells
                .into_iter()
                .map(|((seller, sku_index, location), units)| {
                    (
                        (SellerId::new(seller), sku(SKUS[sku_index]), id(location)),
                        units,
                    )
                })
                .collect(),
        )
    })
}

fn request_strategy() -> impl Strategy<Value = AllocationRequest> {
    (
        prop::sample::select(DESTINATIONS.to_vec()),
        proptest::collection::vec((1u64..=2, 0usize..3, 0u64..10), 0..5),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![StateCode::WEST_BENGAL, ODISHA])),
    )
        .prop_map(|(destination, lines, split, constraint)| {
            let mut request = AllocationRequest::new(pin(destination)).split(if split {
                AcrossLocations
            } else {
                Never
            });
            for (seller, sku_index, quantity) in lines {
                request = request.line(SellerId::new(seller), sku(SKUS[sku_index]), quantity);
            }
            if let Some(state) = constraint {
                request =
                    request.constrain(SellerId::new(1), SellerConstraint::IntraStateOnly { state });
            }
            request
        })
}

proptest! {
    #[test]
    fn allocation_keeps_its_promises(table in table_strategy(), request in request_strategy()) {
        let network = fixture();
        let allocation = allocate(&network, &table, &request, now());

        // Deterministic, and the allocator gives the same answer.
        prop_assert_eq!(&allocate(&network, &table, &request, now()), &allocation);
        prop_assert_eq!(&Allocator::new(&network).allocate(&table, &request, now()), &allocation);
        // Stock that lists its locations gets the same answer as stock asked one by one.
        let listed = Listed(table.clone());
        prop_assert_eq!(&allocate(&network, &listed, &request, now()), &allocation);
        prop_assert_eq!(&Allocator::new(&network).allocate(&listed, &request, now()), &allocation);

        // Never a location lacking the stock: per SKU and location, shipped ≤ available.
        let mut drawn: BTreeMap<(SellerId, Sku, LocationId), u64> = BTreeMap::new();
        for shipment in allocation.shipments() {
            let line = &request.lines()[shipment.line()];
            prop_assert!(shipment.quantity() > 0);
            prop_assert!(network.get(shipment.location()).unwrap().holds_stock());
            *drawn.entry((line.seller(), line.sku().clone(), shipment.location())).or_default() += shipment.quantity();
        }
        for ((seller, sku, location), units) in &drawn {
            prop_assert!(*units <= table.available(*seller, sku, *location, now()));
        }

        let destination = request.destination().location();
        for (index, line) in request.lines().iter().enumerate() {
            let allocated = allocation.allocated(index);
            // Never more than requested; one location per line unless splitting is allowed.
            prop_assert!(allocated <= line.quantity());
            if request.split_policy() == Never {
                prop_assert!(allocation.shipments_of(index).count() <= 1);
            }
            // Constraints: an intra-state-only seller ships within its state, to its state.
            if let Some(SellerConstraint::IntraStateOnly { state }) = request.constraint(line.seller()) {
                for shipment in allocation.shipments_of(index) {
                    prop_assert_eq!(network.get(shipment.location()).unwrap().state(), state);
                }
                if !destination.is_some_and(|d| d.is_in(state)) {
                    prop_assert_eq!(allocated, 0);
                }
            }
        }

        // Per SKU: allocated + missing == requested, and a shortfall exactly when short.
        let mut per_sku: BTreeMap<(SellerId, Sku), (u64, u64)> = BTreeMap::new();
        for (index, line) in request.lines().iter().enumerate() {
            let entry = per_sku.entry((line.seller(), line.sku().clone())).or_default();
            entry.0 += line.quantity();
            entry.1 += allocation.allocated(index);
        }
        for ((seller, sku), (requested, allocated)) in &per_sku {
            match allocation.shortfall(*seller, sku) {
                Some(shortfall) => {
                    prop_assert_eq!(shortfall.requested(), *requested);
                    prop_assert_eq!(shortfall.allocatable(), *allocated);
                    prop_assert_eq!(shortfall.allocatable() + shortfall.missing(), *requested);
                    prop_assert!(allocated < requested);
                }
                None => prop_assert_eq!(allocated, requested),
            }
        }
        prop_assert!(allocation.shortfalls().len() <= per_sku.len());
    }

    #[test]
    fn the_allocator_agrees_with_allocate_on_the_reference_network(
        pin_index in 0usize..1131,
        stocked in proptest::collection::btree_map(prop::sample::select(vec![1001u64, 1003, 1004, 2001, 2010, 2030, 2050, 2069]), 0u64..6, 0..6),
        quantity in 1u64..8,
        split in any::<bool>(),
    ) {
        let network = &*REFERENCE;
        let pins = PinDirectory::india().pin_codes_of_state(StateCode::WEST_BENGAL);
        let destination = pins[pin_index % pins.len()];
        let table = Table(stocked.into_iter().map(|(l, u)| ((SELLER, sku("SAREE"), id(l)), u)).collect());
        let request = AllocationRequest::new(destination)
            .line(SELLER, sku("SAREE"), quantity)
            .split(if split { AcrossLocations } else { Never });
        prop_assert_eq!(
            REFERENCE_ALLOCATOR.allocate(&table, &request, now()),
            allocate(network, &table, &request, now())
        );
        prop_assert_eq!(
            REFERENCE_ALLOCATOR.allocate(&Listed(table.clone()), &request, now()),
            allocate(network, &table, &request, now())
        );
    }
}
