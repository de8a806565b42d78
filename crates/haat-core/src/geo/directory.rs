//! The PIN code directory: India Post's list of PIN codes with their states and districts,
//! compiled into the crate and indexed once, on first use.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::pin::PinCode;
use super::state::{StateCode, name_words};
use crate::{Error, Locale};

/// India Post's directory as shipped in `data/pincodes.csv` (see `data/README.md` for its source
/// and licence).
const PINCODES_CSV: &str = include_str!("../../data/pincodes.csv");
/// Common names and other spellings of districts (`data/district-aliases.csv`).
const DISTRICT_ALIASES_CSV: &str = include_str!("../../data/district-aliases.csv");

/// A district of a state, by the name people use for it ("North 24 Parganas", not India Post's
/// "24 PARAGANAS NORTH").
///
/// Districts come from [`PinDirectory`]: look one up with [`PinDirectory::find_district`] or
/// take it from a [`PinLocation`]. Two districts of different states may share a name
/// (Aurangabad in Bihar and in Maharashtra), so a district is always its state and its name.
///
/// `Display` shows the name. Serde writes `{"state":"19","name":"North 24 Parganas"}` and reads
/// back through [`PinDirectory::find_district`], so it accepts any spelling that finds a district
/// and refuses a district that does not exist.
///
/// ```
/// use haat_core::{District, PinDirectory, StateCode};
///
/// let nadia = PinDirectory::india()
///     .find_district(StateCode::WEST_BENGAL, "NADIA")
///     .ok_or("no such district")?;
/// assert_eq!(nadia.name(), "Nadia");
/// assert_eq!(nadia.state(), StateCode::WEST_BENGAL);
/// assert_eq!(serde_json::to_string(&nadia)?, r#"{"state":"19","name":"Nadia"}"#);
///
/// let barasat: District =
///     serde_json::from_str(r#"{"state":"19","name":"24 PARAGANAS NORTH"}"#)?;
/// assert_eq!(barasat.name(), "North 24 Parganas");
/// assert!(serde_json::from_str::<District>(r#"{"state":"19","name":"Gotham"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct District {
    state: StateCode,
    name: &'static str,
}

impl District {
    /// The state the district is in.
    pub const fn state(self) -> StateCode {
        self.state
    }

    /// The district's name as people use it ("North 24 Parganas", "Cooch Behar", "New Delhi").
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// The district's name in `locale`: in Bengali (`bn-IN`), West Bengal's districts by
    /// their Bengali names ("উত্তর ২৪ পরগনা", "নদিয়া"); every other district, and every district
    /// in English, by [`name`](Self::name) (the PIN code data has no names in other scripts).
    ///
    /// ```
    /// use haat_core::{Locale, PinDirectory, StateCode};
    ///
    /// let directory = PinDirectory::india();
    /// let barasat = directory.find_district(StateCode::WEST_BENGAL, "North 24 Parganas").ok_or("no district")?;
    /// assert_eq!(barasat.name_in(Locale::BnIn), "উত্তর ২৪ পরগনা");
    /// assert_eq!(barasat.name_in(Locale::EnIn), "North 24 Parganas");
    /// let patna = directory.find_district(StateCode::new(10).ok_or("no state")?, "Patna").ok_or("no district")?;
    /// assert_eq!(patna.name_in(Locale::BnIn), "Patna");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name_in(self, locale: Locale) -> &'static str {
        if locale == Locale::BnIn
            && self.state == StateCode::WEST_BENGAL
            && let Ok(i) = WEST_BENGAL_IN_BENGALI.binary_search_by_key(&self.name, |&(en, _)| en)
        {
            return WEST_BENGAL_IN_BENGALI[i].1;
        }
        self.name
    }

    /// Every PIN code India Post lists in this district, in ascending order.
    pub fn pin_codes(self) -> &'static [PinCode] {
        PinDirectory::india().pin_codes_of_district(self)
    }
}

/// West Bengal's 23 districts, by their names in the PIN code data (sorted) and in Bengali as
/// the state government writes them.
const WEST_BENGAL_IN_BENGALI: [(&str, &str); 23] = [
    ("Alipurduar", "আলিপুরদুয়ার"),
    ("Bankura", "বাঁকুড়া"),
    ("Birbhum", "বীরভূম"),
    ("Cooch Behar", "কোচবিহার"),
    ("Dakshin Dinajpur", "দক্ষিণ দিনাজপুর"),
    ("Darjeeling", "দার্জিলিং"),
    ("Hooghly", "হুগলি"),
    ("Howrah", "হাওড়া"),
    ("Jalpaiguri", "জলপাইগুড়ি"),
    ("Jhargram", "ঝাড়গ্রাম"),
    ("Kalimpong", "কালিম্পং"),
    ("Kolkata", "কলকাতা"),
    ("Malda", "মালদা"),
    ("Murshidabad", "মুর্শিদাবাদ"),
    ("Nadia", "নদিয়া"),
    ("North 24 Parganas", "উত্তর ২৪ পরগনা"),
    ("Paschim Bardhaman", "পশ্চিম বর্ধমান"),
    ("Paschim Medinipur", "পশ্চিম মেদিনীপুর"),
    ("Purba Bardhaman", "পূর্ব বর্ধমান"),
    ("Purba Medinipur", "পূর্ব মেদিনীপুর"),
    ("Purulia", "পুরুলিয়া"),
    ("South 24 Parganas", "দক্ষিণ ২৪ পরগনা"),
    ("Uttar Dinajpur", "উত্তর দিনাজপুর"),
];

impl fmt::Debug for District {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "District({}, {:?})", self.state, self.name)
    }
}

impl fmt::Display for District {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The serde form of a [`District`], as written.
#[derive(Serialize)]
struct DistrictOut<'a> {
    state: StateCode,
    name: &'a str,
}

/// The serde form of a [`District`], as read.
#[derive(Deserialize)]
struct DistrictIn {
    state: StateCode,
    name: String,
}

impl Serialize for District {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DistrictOut {
            state: self.state,
            name: self.name,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for District {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let DistrictIn { state, name } = DistrictIn::deserialize(deserializer)?;
        PinDirectory::india()
            .find_district(state, &name)
            .ok_or(Error::UnknownDistrict { state, name })
            .map_err(D::Error::custom)
    }
}

/// Where a PIN code is: the state(s) and district(s) India Post lists for it.
///
/// Most PIN codes lie in one district of one state; some straddle a district or state border
/// and list all of theirs. A few codes are listed without a state or district; for those both
/// lists are empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinLocation {
    pin: PinCode,
    states: Box<[StateCode]>,
    districts: Box<[District]>,
}

impl PinLocation {
    /// The PIN code this is the location of.
    pub const fn pin_code(&self) -> PinCode {
        self.pin
    }

    /// The state(s) the PIN code serves, in code order.
    ///
    /// ```
    /// use haat_core::{PinCode, StateCode};
    /// let pin: PinCode = "741101".parse()?;
    /// let place = pin.location().ok_or("unknown PIN code")?;
    /// assert_eq!(place.states(), [StateCode::WEST_BENGAL]);
    /// assert_eq!(place.districts()[0].name(), "Nadia");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn states(&self) -> &[StateCode] {
        &self.states
    }

    /// The district(s) the PIN code serves, ordered by state and then name.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// Whether the PIN code serves (any part of) `state`.
    pub fn is_in(&self, state: StateCode) -> bool {
        self.states.contains(&state)
    }
}

/// What the directory knows about one state.
#[derive(Default)]
struct StateEntry {
    /// Its districts, sorted by name.
    districts: Vec<District>,
    /// For each district (same order), its name reduced by [`compact_key`].
    district_keys: Vec<String>,
    /// For each district (same order), its PIN codes, ascending.
    district_pins: Vec<Vec<PinCode>>,
    /// Every PIN code that serves the state, ascending.
    pins: Vec<PinCode>,
}

/// An alias row: state, compact spelling, display name.
struct Alias {
    state: StateCode,
    key: String,
    name: &'static str,
}

/// Slots for per-state data, indexed by the state code (0–97).
const STATE_SLOTS: usize = 98;
/// PIN codes are grouped by their first three digits (100–999) for lookup.
const BUCKETS: usize = 900;

/// India Post's PIN code directory, compiled into the crate: PIN code → state(s) and
/// district(s), districts by state, and PIN codes by state and district.
///
/// There is one directory, [`PinDirectory::india`]; it is parsed and indexed on first use (about
/// 10 ms, once per process) and never reads a file. Looking up a PIN code is a bucket
/// step on its first three digits and a binary search among a few dozen codes.
///
/// District names are normalised to the names people use: India Post's `24 PARAGANAS NORTH`
/// is "North 24 Parganas", `COOCHBEHAR` is "Cooch Behar", `MEDINIPUR WEST` is "Paschim
/// Medinipur"; names without a listed common form are title-cased (`NEW DELHI` → "New Delhi").
///
/// ```
/// use haat_core::{PinCode, PinDirectory, StateCode};
///
/// let india = PinDirectory::india();
/// let kolkata_gpo: PinCode = "700001".parse()?;
/// let place = india.lookup(kolkata_gpo).ok_or("unknown PIN code")?;
/// assert_eq!(place.districts()[0].name(), "Kolkata");
///
/// let north_24 = india
///     .find_district(StateCode::WEST_BENGAL, "24 PARAGANAS NORTH")
///     .ok_or("no such district")?;
/// assert_eq!(north_24.name(), "North 24 Parganas");
/// assert!(india.pin_codes_of_district(north_24).contains(&"700124".parse()?));
/// assert_eq!(india.districts(StateCode::WEST_BENGAL).len(), 23);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PinDirectory {
    /// Every PIN code, ascending.
    keys: Vec<u32>,
    /// Location of `keys[i]`.
    locations: Vec<PinLocation>,
    /// `keys[buckets[b]..buckets[b + 1]]` are the codes whose first three digits are `100 + b`.
    buckets: Vec<u32>,
    /// Per state code.
    states: Vec<StateEntry>,
    /// Common names and other spellings of districts.
    aliases: Vec<Alias>,
    /// Data rows that could not be used.
    skipped: usize,
}

impl fmt::Debug for PinDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinDirectory")
            .field("pin_codes", &self.keys.len())
            .field("skipped_rows", &self.skipped)
            .finish_non_exhaustive()
    }
}

impl PinDirectory {
    /// The directory of every PIN code in India, built on first use from the data compiled into
    /// the crate.
    pub fn india() -> &'static PinDirectory {
        static INDIA: OnceLock<PinDirectory> = OnceLock::new();
        INDIA.get_or_init(|| PinDirectory::parse(PINCODES_CSV, DISTRICT_ALIASES_CSV))
    }

    /// The location of `pin`, or `None` when India Post does not list it.
    #[inline]
    pub fn lookup(&self, pin: PinCode) -> Option<&PinLocation> {
        let key = pin.get();
        let bucket = (key / 1000) as usize - 100;
        let start = *self.buckets.get(bucket)? as usize;
        let end = *self.buckets.get(bucket + 1)? as usize;
        let slice = self.keys.get(start..end)?;
        let index = slice.binary_search(&key).ok()?;
        self.locations.get(start + index)
    }

    /// How many PIN codes the directory lists.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the directory lists no PIN code at all (never, for [`PinDirectory::india`]).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many rows of the data could not be used (an unknown state name, a malformed PIN
    /// code) and were left out. Zero for the data shipped with the crate.
    pub fn skipped_rows(&self) -> usize {
        self.skipped
    }

    /// Every location in the directory, by ascending PIN code.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &PinLocation> {
        self.locations.iter()
    }

    /// The districts of `state`, sorted by name.
    ///
    /// ```
    /// use haat_core::{PinDirectory, StateCode};
    /// let names: Vec<_> = PinDirectory::india()
    ///     .districts(StateCode::WEST_BENGAL)
    ///     .iter()
    ///     .map(|d| d.name())
    ///     .collect();
    /// assert!(names.contains(&"Cooch Behar"));
    /// assert!(names.contains(&"South 24 Parganas"));
    /// ```
    pub fn districts(&self, state: StateCode) -> &[District] {
        self.state(state).map_or(&[], |entry| &entry.districts)
    }

    /// The district of `state` called `name`: India Post's spelling, the common name or a
    /// listed alternative, in any case and spacing (`"24 PARAGANAS NORTH"`, `"north 24
    /// parganas"`, `"Coochbehar"`, `"Cooch Behar"`).
    ///
    /// ```
    /// use haat_core::{PinDirectory, StateCode};
    /// let india = PinDirectory::india();
    /// let wb = StateCode::WEST_BENGAL;
    /// assert_eq!(india.find_district(wb, "COOCHBEHAR").map(|d| d.name()), Some("Cooch Behar"));
    /// assert_eq!(india.find_district(wb, "medinipur west"), india.find_district(wb, "Paschim Medinipur"));
    /// assert_eq!(india.find_district(wb, "Nowhere"), None);
    /// ```
    pub fn find_district(&self, state: StateCode, name: &str) -> Option<District> {
        let entry = self.state(state)?;
        let key = compact_key(name);
        let canonical = self
            .aliases
            .iter()
            .find(|alias| alias.state == state && alias.key == key)
            .map(|alias| compact_key(alias.name));
        let key = canonical.as_deref().unwrap_or(&key);
        let index = entry.district_keys.iter().position(|k| k == key)?;
        entry.districts.get(index).copied()
    }

    /// Every PIN code that serves `state`, ascending (a code that straddles a border is listed
    /// under each of its states).
    pub fn pin_codes_of_state(&self, state: StateCode) -> &[PinCode] {
        self.state(state).map_or(&[], |entry| &entry.pins)
    }

    /// Every PIN code that serves `district`, ascending.
    pub fn pin_codes_of_district(&self, district: District) -> &[PinCode] {
        self.state(district.state)
            .and_then(|entry| {
                let index = entry
                    .districts
                    .binary_search_by(|d| d.name.cmp(district.name))
                    .ok()?;
                entry.district_pins.get(index)
            })
            .map_or(&[], |pins| pins)
    }

    fn state(&self, state: StateCode) -> Option<&StateEntry> {
        self.states.get(usize::from(state.code()))
    }

    /// Builds a directory from India Post's CSV (`pincode,states,districts`, `;` between several
    /// states or districts) and the alias table (`state,alias,name`, `#` comments).
    fn parse(pincodes: &'static str, aliases: &'static str) -> PinDirectory {
        let aliases: Vec<Alias> = aliases
            .lines()
            .filter(|line| !line.starts_with('#'))
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split(',');
                let state = fields.next()?.parse().ok()?;
                let key = compact_key(fields.next()?);
                let name = fields.next()?.trim();
                Some(Alias { state, key, name })
            })
            .collect();

        // State names, resolved once each.
        let mut state_names: Vec<(&str, Option<StateCode>)> = Vec::new();
        // Display names of districts, made `'static` once each (see `intern`).
        let mut district_names: HashMap<(StateCode, &str), &'static str> = HashMap::new();
        // Which districts each state has where the state is the only one on the row; used to
        // tell which district of a row that lists several states belongs to which.
        let mut rows: Vec<(u32, Vec<StateCode>, Vec<&'static str>)> = Vec::new();
        let mut skipped = 0;

        for line in pincodes.lines().skip(1) {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.splitn(3, ',');
            let pin = fields.next().unwrap_or("");
            let states = fields.next().unwrap_or("");
            let districts = fields.next().unwrap_or("");
            let Some(pin) = pin.trim().parse::<u32>().ok().and_then(PinCode::new) else {
                skipped += 1;
                continue;
            };
            let mut codes = Vec::new();
            let mut unknown_state = false;
            for name in states.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let code = match state_names.iter().find(|(n, _)| *n == name) {
                    Some(&(_, code)) => code,
                    None => {
                        let code = StateCode::from_name(name).ok();
                        state_names.push((name, code));
                        code
                    }
                };
                match code {
                    Some(code) if !codes.contains(&code) => codes.push(code),
                    Some(_) => {}
                    None => unknown_state = true,
                }
            }
            if unknown_state {
                skipped += 1;
                continue;
            }
            let names: Vec<&'static str> = districts
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            rows.push((pin.get(), codes, names));
        }

        // Districts known for each state from rows that list that state alone.
        let mut known: Vec<(StateCode, &str)> = rows
            .iter()
            .filter(|(_, codes, _)| codes.len() == 1)
            .flat_map(|(_, codes, names)| names.iter().map(move |n| (codes[0], *n)))
            .collect();
        known.sort_unstable();
        known.dedup();

        let mut keys = Vec::with_capacity(rows.len());
        let mut locations = Vec::with_capacity(rows.len());
        let mut states: Vec<StateEntry> = (0..STATE_SLOTS).map(|_| StateEntry::default()).collect();
        let mut district_list: Vec<(District, u32)> = Vec::new();

        rows.sort_unstable_by_key(|(pin, _, _)| *pin);
        rows.dedup_by_key(|(pin, _, _)| *pin);
        for (pin, mut codes, names) in rows {
            let owners = owners(&codes, &names, &known);
            let mut districts: Vec<District> = Vec::with_capacity(names.len());
            for (raw, state) in names.into_iter().zip(owners) {
                let Some(state) = state else { continue };
                let name = *district_names
                    .entry((state, raw))
                    .or_insert_with(|| display_name(state, raw, &aliases));
                let district = District { state, name };
                if !districts.contains(&district) {
                    districts.push(district);
                }
            }
            codes.sort_unstable();
            districts.sort_unstable();
            for code in &codes {
                if let Some(entry) = states.get_mut(usize::from(code.code())) {
                    entry.pins.extend(PinCode::new(pin));
                }
            }
            district_list.extend(districts.iter().map(|&d| (d, pin)));
            keys.push(pin);
            locations.extend(PinCode::new(pin).map(|pin| PinLocation {
                pin,
                states: codes.into_boxed_slice(),
                districts: districts.into_boxed_slice(),
            }));
        }

        district_list.sort_unstable();
        for (district, pin) in district_list {
            let Some(entry) = states.get_mut(usize::from(district.state.code())) else {
                continue;
            };
            if entry.districts.last() != Some(&district) {
                entry.districts.push(district);
                entry.district_keys.push(compact_key(district.name));
                entry.district_pins.push(Vec::new());
            }
            if let Some(pins) = entry.district_pins.last_mut() {
                pins.extend(PinCode::new(pin));
            }
        }

        let mut buckets = Vec::with_capacity(BUCKETS + 1);
        let mut next = 0usize;
        for bucket in 0..=BUCKETS as u32 {
            let first_key = (100 + bucket) * 1000;
            while keys.get(next).is_some_and(|&k| k < first_key) {
                next += 1;
            }
            buckets.push(next as u32);
        }

        PinDirectory {
            keys,
            locations,
            buckets,
            states,
            aliases,
            skipped,
        }
    }
}

/// Which of a row's states each of its districts (India Post spellings) belongs to: the state
/// whose single-state rows list the district; failing that, the first of the row's states left
/// with no district (a border code's one unfamiliar district, like Yanam beside East Godavari);
/// failing that, the row's first state. `None` only when the row lists no state.
fn owners(
    codes: &[StateCode],
    names: &[&str],
    known: &[(StateCode, &str)],
) -> Vec<Option<StateCode>> {
    if codes.len() <= 1 {
        return names.iter().map(|_| codes.first().copied()).collect();
    }
    let mut owners: Vec<Option<StateCode>> = names
        .iter()
        .map(|&raw| {
            codes
                .iter()
                .copied()
                .find(|&code| known.binary_search(&(code, raw)).is_ok())
        })
        .collect();
    for index in 0..owners.len() {
        if owners.get(index).is_some_and(Option::is_none) {
            let orphan = codes
                .iter()
                .copied()
                .find(|code| !owners.contains(&Some(*code)))
                .or_else(|| codes.first().copied());
            if let Some(slot) = owners.get_mut(index) {
                *slot = orphan;
            }
        }
    }
    owners
}

/// The name to show for India Post's spelling `raw` of a district of `state`: the common name
/// from the alias table when it lists one, else `raw` title-cased.
fn display_name(state: StateCode, raw: &str, aliases: &[Alias]) -> &'static str {
    let key = compact_key(raw);
    if let Some(alias) = aliases.iter().find(|a| a.state == state && a.key == key) {
        return alias.name;
    }
    intern(title_case(raw))
}

/// Keeps a district name for the life of the process. The directory is built once (it lives in
/// a `OnceLock`), so this runs once per distinct title-cased name: a few kilobytes in all.
fn intern(name: String) -> &'static str {
    Box::leak(name.into_boxed_str())
}

/// `NEW DELHI` → `New Delhi`, `LAHUL AND SPITI` → `Lahul and Spiti`, `JANJGIR-CHAMPA` →
/// `Janjgir-Champa`, `S.A.S NAGAR` → `S.A.S Nagar`.
fn title_case(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, word) in raw.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && matches!(lower.as_str(), "and" | "of") {
            out.push_str(&lower);
            continue;
        }
        let mut after_letter = false;
        for c in lower.chars() {
            if after_letter {
                out.push(c);
            } else {
                out.extend(c.to_uppercase());
            }
            after_letter = c.is_alphabetic();
        }
    }
    out
}

/// A name reduced for matching: lower-case letters and digits only, `&` read as "and".
fn compact_key(name: &str) -> String {
    name_words(name).replace(' ', "")
}
