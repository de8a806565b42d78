//! The fulfilment network: fulfilment centres, metropolitan and last-mile hubs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use haat_core::{Decimal, District, LocationId, PinCode, PinDirectory, StateCode};
use serde::{Deserialize, Serialize};

/// What a location of the network is for.
///
/// Fulfilment centres and metropolitan logistics hubs hold stock ([`LocationKind::holds_stock`]);
/// last-mile hubs deliver to the PIN codes they serve, and are fed by stock-holding locations.
///
/// ```
/// use haat_inventory::LocationKind;
/// assert!(LocationKind::FulfilmentCentre { area_sq_ft: 500_000 }.holds_stock());
/// assert!(LocationKind::MetroHub.holds_stock());
/// assert!(!LocationKind::LastMileHub { serves: Default::default(), fed_by: Default::default() }.holds_stock());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LocationKind {
    /// A fulfilment centre: a warehouse that stores sellers' stock and packs orders.
    FulfilmentCentre {
        /// Its floor area in square feet.
        area_sq_ft: u64,
    },
    /// A metropolitan logistics hub: stock held close to a city's buyers.
    MetroHub,
    /// A last-mile hub: the delivery station for a set of PIN codes.
    LastMileHub {
        /// The PIN codes it delivers to.
        serves: BTreeSet<PinCode>,
        /// The stock-holding locations that supply it: allocation prefers them for an order to
        /// one of `serves` (see [`allocate`](crate::allocate)).
        fed_by: BTreeSet<LocationId>,
    },
}

impl LocationKind {
    /// Whether locations of this kind hold stock that allocation may ship from.
    pub const fn holds_stock(&self) -> bool {
        !matches!(self, Self::LastMileHub { .. })
    }

    /// The kind's name in summaries: "fulfilment centre", "metro hub", "last-mile hub".
    pub const fn label(&self) -> &'static str {
        match self {
            Self::FulfilmentCentre { .. } => "fulfilment centre",
            Self::MetroHub => "metro hub",
            Self::LastMileHub { .. } => "last-mile hub",
        }
    }
}

/// A place in the fulfilment network: its id, name, kind, and where it is (PIN code and
/// district; the state is the district's).
///
/// Build one with [`Location::fulfilment_centre`], [`Location::metro_hub`] or
/// [`Location::last_mile_hub`]; [`Network::add`] checks it against the PIN code directory.
///
/// ```
/// use haat_core::{LocationId, PinDirectory, StateCode};
/// use haat_inventory::Location;
///
/// let howrah = PinDirectory::india()
///     .find_district(StateCode::WEST_BENGAL, "Howrah")
///     .ok_or("no such district")?;
/// let fc = Location::fulfilment_centre(LocationId::new(1), "Uluberia FC", 1_100_000, howrah, "711316".parse()?);
/// assert_eq!(fc.state(), StateCode::WEST_BENGAL);
/// assert_eq!(fc.area_sq_ft(), 1_100_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    id: LocationId,
    name: String,
    kind: LocationKind,
    district: District,
    pin: PinCode,
}

impl Location {
    /// A location of any kind.
    pub fn new(
        id: LocationId,
        name: impl Into<String>,
        kind: LocationKind,
        district: District,
        pin: PinCode,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            kind,
            district,
            pin,
        }
    }

    /// A fulfilment centre of `area_sq_ft` square feet.
    pub fn fulfilment_centre(
        id: LocationId,
        name: impl Into<String>,
        area_sq_ft: u64,
        district: District,
        pin: PinCode,
    ) -> Self {
        Self::new(
            id,
            name,
            LocationKind::FulfilmentCentre { area_sq_ft },
            district,
            pin,
        )
    }

    /// A metropolitan logistics hub.
    pub fn metro_hub(
        id: LocationId,
        name: impl Into<String>,
        district: District,
        pin: PinCode,
    ) -> Self {
        Self::new(id, name, LocationKind::MetroHub, district, pin)
    }

    /// A last-mile hub delivering to `serves`, supplied by the stock-holding locations
    /// `fed_by` (which must be in the network before it).
    pub fn last_mile_hub(
        id: LocationId,
        name: impl Into<String>,
        district: District,
        pin: PinCode,
        serves: impl IntoIterator<Item = PinCode>,
        fed_by: impl IntoIterator<Item = LocationId>,
    ) -> Self {
        let kind = LocationKind::LastMileHub {
            serves: serves.into_iter().collect(),
            fed_by: fed_by.into_iter().collect(),
        };
        Self::new(id, name, kind, district, pin)
    }

    /// Its id.
    pub const fn id(&self) -> LocationId {
        self.id
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it is.
    pub const fn kind(&self) -> &LocationKind {
        &self.kind
    }

    /// Its district.
    pub const fn district(&self) -> District {
        self.district
    }

    /// Its state (its district's).
    pub const fn state(&self) -> StateCode {
        self.district.state()
    }

    /// Its PIN code.
    pub const fn pin(&self) -> PinCode {
        self.pin
    }

    /// Its floor area in square feet: a fulfilment centre's area, 0 for a hub.
    pub const fn area_sq_ft(&self) -> u64 {
        match self.kind {
            LocationKind::FulfilmentCentre { area_sq_ft } => area_sq_ft,
            _ => 0,
        }
    }

    /// Whether it holds stock that allocation may ship from.
    pub const fn holds_stock(&self) -> bool {
        self.kind.holds_stock()
    }
}

/// Why a location could not join a [`Network`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// The network already has a location with this id.
    #[error("location {id} is already in the network")]
    DuplicateLocation {
        /// The id used twice.
        id: LocationId,
    },
    /// The location's PIN code is not in India Post's directory.
    #[error("location {location}: PIN code {pin} is not in the PIN code directory")]
    UnknownPinCode {
        /// The location.
        location: LocationId,
        /// Its PIN code.
        pin: PinCode,
    },
    /// The location's state is not one its PIN code serves.
    #[error("location {location}: PIN code {pin} is not in state {state}")]
    StateMismatch {
        /// The location.
        location: LocationId,
        /// Its PIN code.
        pin: PinCode,
        /// The state it was given (its district's).
        state: StateCode,
    },
    /// The location's district is not one its PIN code serves.
    #[error("location {location}: PIN code {pin} is not in district {district}")]
    DistrictMismatch {
        /// The location.
        location: LocationId,
        /// Its PIN code.
        pin: PinCode,
        /// The district it was given.
        district: District,
    },
    /// A last-mile hub serves a PIN code that is not in the directory.
    #[error("last-mile hub {location}: served PIN code {pin} is not in the PIN code directory")]
    UnknownServedPinCode {
        /// The hub.
        location: LocationId,
        /// The PIN code.
        pin: PinCode,
    },
    /// A last-mile hub is fed by a location the network does not have (yet).
    #[error("last-mile hub {location}: feeding location {feeder} is not in the network")]
    UnknownFeeder {
        /// The hub.
        location: LocationId,
        /// The missing feeder.
        feeder: LocationId,
    },
    /// A last-mile hub is fed by a location that holds no stock (another last-mile hub).
    #[error("last-mile hub {location}: feeding location {feeder} holds no stock")]
    FeederHoldsNoStock {
        /// The hub.
        location: LocationId,
        /// The feeder that is itself a last-mile hub.
        feeder: LocationId,
    },
    /// A row of the reference network's table does not match the PIN code directory (a
    /// district it does not know, or a PIN code that is not one).
    #[error("the reference network's row for {district:?} does not match the PIN code directory")]
    ReferenceTable {
        /// The district the row names.
        district: &'static str,
    },
}

/// The fulfilment network: every location, and an index from PIN code to the last-mile hubs
/// that serve it.
///
/// Locations join through [`Network::add`], which checks them against India Post's directory.
/// Serde writes the network as the list of its locations and reads it back through `add`, so a
/// deserialised network passed the same checks.
///
/// ```
/// use haat_core::{LocationId, PinDirectory, StateCode};
/// use haat_inventory::{Location, Network, NetworkError};
///
/// let india = PinDirectory::india();
/// let nadia = india.find_district(StateCode::WEST_BENGAL, "Nadia").ok_or("no Nadia")?;
/// let krishnanagar = "741101".parse()?;
/// let mut network = Network::new();
/// network.add(Location::metro_hub(LocationId::new(1), "Krishnanagar", nadia, krishnanagar))?;
/// network.add(Location::last_mile_hub(
///     LocationId::new(2), "Krishnanagar delivery", nadia, krishnanagar,
///     [krishnanagar], [LocationId::new(1)],
/// ))?;
/// assert_eq!(network.serving_hubs(krishnanagar), [LocationId::new(2)]);
///
/// // Kolkata's GPO is not in Nadia.
/// let wrong = Location::metro_hub(LocationId::new(3), "Misplaced", nadia, "700001".parse()?);
/// assert!(matches!(network.add(wrong), Err(NetworkError::DistrictMismatch { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Location>", into = "Vec<Location>")]
pub struct Network {
    locations: BTreeMap<LocationId, Location>,
    /// PIN code → the last-mile hubs serving it, ascending by id.
    served: BTreeMap<PinCode, Vec<LocationId>>,
}

impl Network {
    /// An empty network.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `location` to the network.
    ///
    /// # Errors
    ///
    /// [`NetworkError::DuplicateLocation`] if the id is taken; [`NetworkError::UnknownPinCode`],
    /// [`NetworkError::StateMismatch`] or [`NetworkError::DistrictMismatch`] if its PIN code is
    /// not in the directory or not in its state or district; for a last-mile hub,
    /// [`NetworkError::UnknownServedPinCode`], [`NetworkError::UnknownFeeder`] or
    /// [`NetworkError::FeederHoldsNoStock`]. On error the network is unchanged.
    pub fn add(&mut self, location: Location) -> Result<(), NetworkError> {
        let id = location.id;
        if self.locations.contains_key(&id) {
            return Err(NetworkError::DuplicateLocation { id });
        }
        let directory = PinDirectory::india();
        let place = directory
            .lookup(location.pin)
            .ok_or(NetworkError::UnknownPinCode {
                location: id,
                pin: location.pin,
            })?;
        if !place.is_in(location.state()) {
            return Err(NetworkError::StateMismatch {
                location: id,
                pin: location.pin,
                state: location.state(),
            });
        }
        if !place.districts().contains(&location.district) {
            return Err(NetworkError::DistrictMismatch {
                location: id,
                pin: location.pin,
                district: location.district,
            });
        }
        if let LocationKind::LastMileHub { serves, fed_by } = &location.kind {
            if let Some(&pin) = serves.iter().find(|&&pin| directory.lookup(pin).is_none()) {
                return Err(NetworkError::UnknownServedPinCode { location: id, pin });
            }
            for &feeder in fed_by {
                match self.locations.get(&feeder) {
                    None => {
                        return Err(NetworkError::UnknownFeeder {
                            location: id,
                            feeder,
                        });
                    }
                    Some(f) if !f.holds_stock() => {
                        return Err(NetworkError::FeederHoldsNoStock {
                            location: id,
                            feeder,
                        });
                    }
                    Some(_) => {}
                }
            }
            for &pin in serves {
                let hubs = self.served.entry(pin).or_default();
                // Ids are unique, so the hub is not there yet; keep the list sorted.
                let at = hubs.partition_point(|&h| h < id);
                hubs.insert(at, id);
            }
        }
        self.locations.insert(id, location);
        Ok(())
    }

    /// The location with this id.
    pub fn get(&self, id: LocationId) -> Option<&Location> {
        self.locations.get(&id)
    }

    /// Every location, by ascending id.
    pub fn locations(&self) -> impl ExactSizeIterator<Item = &Location> + Clone {
        self.locations.values()
    }

    /// How many locations the network has.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// Whether the network has no location.
    pub fn is_empty(&self) -> bool {
        self.locations.is_empty()
    }

    /// The last-mile hubs that deliver to `pin`, by ascending id (empty when none does).
    pub fn serving_hubs(&self, pin: PinCode) -> &[LocationId] {
        self.served.get(&pin).map_or(&[], Vec::as_slice)
    }

    /// Whether some last-mile hub delivers to `pin`.
    pub fn is_served(&self, pin: PinCode) -> bool {
        self.served.contains_key(&pin)
    }

    /// Every PIN code some last-mile hub serves, ascending.
    pub fn served_pin_codes(&self) -> impl Iterator<Item = PinCode> + '_ {
        self.served.keys().copied()
    }

    /// How many of `state`'s PIN codes (as India Post lists them) a last-mile hub serves.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// use haat_inventory::Network;
    /// let network = Network::west_bengal_reference()?;
    /// let coverage = network.coverage_of_state(StateCode::WEST_BENGAL);
    /// assert!(coverage.served() <= coverage.total());
    /// assert_eq!(network.coverage_of_state(StateCode::new(27).ok_or("no state")?).served(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn coverage_of_state(&self, state: StateCode) -> Coverage {
        self.coverage(PinDirectory::india().pin_codes_of_state(state))
    }

    /// How many of `district`'s PIN codes a last-mile hub serves.
    pub fn coverage_of_district(&self, district: District) -> Coverage {
        self.coverage(PinDirectory::india().pin_codes_of_district(district))
    }

    fn coverage(&self, pins: &[PinCode]) -> Coverage {
        Coverage {
            served: pins.iter().filter(|pin| self.is_served(**pin)).count(),
            total: pins.len(),
        }
    }

    /// Counts per kind, total fulfilment area, and the same per district.
    ///
    /// ```
    /// use haat_inventory::Network;
    /// let summary = Network::west_bengal_reference()?.summary();
    /// assert_eq!(summary.total_area_sq_ft(), 4_100_000);
    /// assert_eq!((summary.metro_hubs(), summary.last_mile_hubs()), (69, 25));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn summary(&self) -> NetworkSummary {
        let mut total = KindCounts::default();
        let mut districts: BTreeMap<District, KindCounts> = BTreeMap::new();
        for location in self.locations.values() {
            total.count(location);
            districts
                .entry(location.district)
                .or_default()
                .count(location);
        }
        NetworkSummary {
            total,
            districts: districts
                .into_iter()
                .map(|(district, counts)| DistrictSummary { district, counts })
                .collect(),
        }
    }
}

impl TryFrom<Vec<Location>> for Network {
    type Error = NetworkError;

    fn try_from(locations: Vec<Location>) -> Result<Self, NetworkError> {
        let mut network = Network::new();
        for location in locations {
            network.add(location)?;
        }
        Ok(network)
    }
}

impl From<Network> for Vec<Location> {
    fn from(network: Network) -> Self {
        // Feeders come before the hubs they feed, so reading the list back succeeds.
        let (mut stock, hubs): (Vec<Location>, Vec<Location>) = network
            .locations
            .into_values()
            .partition(Location::holds_stock);
        stock.extend(hubs);
        stock
    }
}

/// What share of a set of PIN codes the network's last-mile hubs serve.
///
/// ```
/// use haat_core::Decimal;
/// use haat_inventory::Network;
/// let coverage = Network::new().coverage_of_state(haat_core::StateCode::WEST_BENGAL);
/// assert_eq!(coverage.served(), 0);
/// assert_eq!(coverage.share(), Decimal::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Coverage {
    served: usize,
    total: usize,
}

impl Coverage {
    /// PIN codes served.
    pub const fn served(self) -> usize {
        self.served
    }

    /// PIN codes in all.
    pub const fn total(self) -> usize {
        self.total
    }

    /// `served / total` as a fraction between 0 and 1 (0 when there are no PIN codes),
    /// rounded to 28 significant digits by `Decimal` division.
    pub fn share(self) -> Decimal {
        if self.total == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.served) / Decimal::from(self.total)
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} PIN codes", self.served, self.total)
    }
}

/// Locations per kind and fulfilment area, for the whole network or one district.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KindCounts {
    fulfilment_centres: usize,
    metro_hubs: usize,
    last_mile_hubs: usize,
    area_sq_ft: u64,
}

impl KindCounts {
    fn count(&mut self, location: &Location) {
        match location.kind {
            LocationKind::FulfilmentCentre { area_sq_ft } => {
                self.fulfilment_centres += 1;
                self.area_sq_ft = self.area_sq_ft.saturating_add(area_sq_ft);
            }
            LocationKind::MetroHub => self.metro_hubs += 1,
            LocationKind::LastMileHub { .. } => self.last_mile_hubs += 1,
        }
    }

    /// Fulfilment centres.
    pub const fn fulfilment_centres(&self) -> usize {
        self.fulfilment_centres
    }

    /// Metropolitan logistics hubs.
    pub const fn metro_hubs(&self) -> usize {
        self.metro_hubs
    }

    /// Last-mile hubs.
    pub const fn last_mile_hubs(&self) -> usize {
        self.last_mile_hubs
    }

    /// Locations of every kind.
    pub const fn locations(&self) -> usize {
        self.fulfilment_centres + self.metro_hubs + self.last_mile_hubs
    }

    /// Fulfilment centres' floor area, square feet.
    pub const fn area_sq_ft(&self) -> u64 {
        self.area_sq_ft
    }
}

/// One district's line of a [`NetworkSummary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DistrictSummary {
    district: District,
    counts: KindCounts,
}

impl DistrictSummary {
    /// The district.
    pub const fn district(&self) -> District {
        self.district
    }

    /// Its locations and area.
    pub const fn counts(&self) -> &KindCounts {
        &self.counts
    }
}

/// The network in numbers: [`Network::summary`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkSummary {
    total: KindCounts,
    districts: Vec<DistrictSummary>,
}

impl NetworkSummary {
    /// Fulfilment centres in the network.
    pub const fn fulfilment_centres(&self) -> usize {
        self.total.fulfilment_centres
    }

    /// Metropolitan logistics hubs.
    pub const fn metro_hubs(&self) -> usize {
        self.total.metro_hubs
    }

    /// Last-mile hubs.
    pub const fn last_mile_hubs(&self) -> usize {
        self.total.last_mile_hubs
    }

    /// Fulfilment centres' total floor area, square feet.
    pub const fn total_area_sq_ft(&self) -> u64 {
        self.total.area_sq_ft
    }

    /// The totals as one [`KindCounts`].
    pub const fn totals(&self) -> &KindCounts {
        &self.total
    }

    /// Per district with at least one location, ordered by state and then district name.
    pub fn districts(&self) -> &[DistrictSummary] {
        &self.districts
    }
}

/// One district's row of the West Bengal reference network.
struct ReferenceRow {
    /// The district as [`PinDirectory::find_district`] knows it.
    district: &'static str,
    /// Fulfilment centres: (town, area in sq ft, PIN code).
    fulfilment_centres: &'static [(&'static str, u64, u32)],
    /// Metropolitan logistics hubs.
    metro_hubs: u64,
    /// Last-mile hubs.
    last_mile_hubs: u64,
}

const fn row(
    district: &'static str,
    fulfilment_centres: &'static [(&'static str, u64, u32)],
    metro_hubs: u64,
    last_mile_hubs: u64,
) -> ReferenceRow {
    ReferenceRow {
        district,
        fulfilment_centres,
        metro_hubs,
        last_mile_hubs,
    }
}

/// The West Bengal reference network, a district at a time: 4.1 million sq ft of fulfilment
/// centres, 69 metropolitan and 25 last-mile hubs.
const WEST_BENGAL: &[ReferenceRow] = &[
    row("Kolkata", &[], 8, 3),
    row("North 24 Parganas", &[("Barasat", 900_000, 700_124)], 7, 3),
    row("South 24 Parganas", &[], 5, 2),
    row("Howrah", &[("Uluberia", 1_100_000, 711_316)], 5, 2),
    row("Hooghly", &[("Dankuni", 700_000, 712_311)], 4, 2),
    row("Nadia", &[("Kalyani", 400_000, 741_235)], 4, 2),
    row("Purba Bardhaman", &[], 4, 1),
    row("Paschim Bardhaman", &[("Durgapur", 500_000, 713_201)], 4, 1),
    row("Purba Medinipur", &[], 3, 1),
    row("Paschim Medinipur", &[], 3, 1),
    row("Murshidabad", &[], 3, 1),
    row("Darjeeling", &[("Siliguri", 500_000, 734_001)], 3, 1),
    row("Jalpaiguri", &[], 2, 1),
    row("Malda", &[], 2, 1),
    row("Bankura", &[], 2, 1),
    row("Birbhum", &[], 2, 1),
    row("Cooch Behar", &[], 2, 1),
    row("Purulia", &[], 1, 0),
    row("Alipurduar", &[], 1, 0),
    row("Jhargram", &[], 1, 0),
    row("Uttar Dinajpur", &[], 1, 0),
    row("Dakshin Dinajpur", &[], 1, 0),
    row("Kalimpong", &[], 1, 0),
];

/// First ids of each kind in the reference network.
const FIRST_FULFILMENT_CENTRE: u64 = 1001;
const FIRST_METRO_HUB: u64 = 2001;
const FIRST_LAST_MILE_HUB: u64 = 3001;

/// The `index`-th of `count` evenly spread picks from `pins`.
fn spread(pins: &[PinCode], index: u64, count: u64) -> Option<PinCode> {
    let len = pins.len() as u64;
    let at = index.checked_mul(len)?.checked_div(count)?;
    pins.get(usize::try_from(at).ok()?).copied()
}

impl Network {
    /// The reference network of West Bengal: fulfilment centres adding up to 4.1 million sq ft
    /// (41 lakh), 69 metropolitan logistics hubs and 25 last-mile hubs across the state's
    /// districts, at real PIN codes.
    ///
    /// It is built from a table of districts, deterministically: fulfilment centres sit at their
    /// towns' PIN codes, a district's hubs at PIN codes spread evenly through its list in the
    /// directory; its last-mile hubs split the
    /// district's PIN codes into consecutive runs and serve them; the `k`-th last-mile hub of a
    /// district is fed by the district's `k`-th metro hub and its fulfilment centres. Six
    /// northern and western districts have metro hubs but no last-mile hub, so coverage of the
    /// state is partial. Fulfilment centres are numbered from 1001, metro hubs from 2001 and
    /// last-mile hubs from 3001, in the table's district order.
    ///
    /// # Errors
    ///
    /// Only if the table does not match the compiled-in PIN code directory
    /// ([`NetworkError::ReferenceTable`], or an error of [`Network::add`]), which the crate's
    /// tests rule out.
    ///
    /// ```
    /// use haat_core::StateCode;
    /// use haat_inventory::Network;
    /// let network = Network::west_bengal_reference()?;
    /// let summary = network.summary();
    /// assert_eq!(summary.fulfilment_centres(), 6);
    /// assert_eq!(summary.districts().len(), 23);
    /// let kolkata_gpo = "700001".parse()?;
    /// assert!(network.is_served(kolkata_gpo));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn west_bengal_reference() -> Result<Network, NetworkError> {
        let directory = PinDirectory::india();
        let state = StateCode::WEST_BENGAL;
        let mut network = Network::new();
        let mut next_centre = FIRST_FULFILMENT_CENTRE;
        let mut next_metro = FIRST_METRO_HUB;
        let mut next_last_mile = FIRST_LAST_MILE_HUB;
        for row in WEST_BENGAL {
            let unknown = || NetworkError::ReferenceTable {
                district: row.district,
            };
            let district = directory
                .find_district(state, row.district)
                .ok_or_else(unknown)?;
            let pins = directory.pin_codes_of_district(district);
            let mut centres = Vec::with_capacity(row.fulfilment_centres.len());
            for &(town, area, pin) in row.fulfilment_centres {
                let id = LocationId::new(next_centre);
                next_centre += 1;
                let pin = PinCode::new(pin).ok_or_else(unknown)?;
                network.add(Location::fulfilment_centre(
                    id,
                    format!("{town} fulfilment centre"),
                    area,
                    district,
                    pin,
                ))?;
                centres.push(id);
            }
            let mut metros = Vec::with_capacity(usize::try_from(row.metro_hubs).unwrap_or(0));
            for index in 0..row.metro_hubs {
                let id = LocationId::new(next_metro);
                next_metro += 1;
                let pin = spread(pins, index, row.metro_hubs).ok_or_else(unknown)?;
                network.add(Location::metro_hub(
                    id,
                    format!("{} metro hub {}", district.name(), index + 1),
                    district,
                    pin,
                ))?;
                metros.push(id);
            }
            for index in 0..row.last_mile_hubs {
                let id = LocationId::new(next_last_mile);
                next_last_mile += 1;
                let start = spread(pins, index, row.last_mile_hubs).ok_or_else(unknown)?;
                let end = spread(pins, index + 1, row.last_mile_hubs);
                let serves = pins
                    .iter()
                    .copied()
                    .filter(|&pin| pin >= start && end.is_none_or(|end| pin < end));
                let feeder = metros
                    .get(usize::try_from(index).unwrap_or(0) % metros.len().max(1))
                    .copied();
                network.add(Location::last_mile_hub(
                    id,
                    format!("{} last-mile hub {}", district.name(), index + 1),
                    district,
                    start,
                    serves,
                    feeder.into_iter().chain(centres.iter().copied()),
                ))?;
            }
        }
        Ok(network)
    }
}
