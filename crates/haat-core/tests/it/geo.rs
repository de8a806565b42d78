//! PIN codes, state codes and districts: the data-driven facts and the parsers' properties.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;

use haat_core::{District, Error, Locale, PinCode, PinDirectory, StateCode};
use proptest::prelude::*;

const PINCODES_CSV: &str = include_str!("../../data/pincodes.csv");

/// The rows of the shipped data: PIN code, state names, district names (India Post spellings).
fn rows() -> impl Iterator<Item = (&'static str, Vec<&'static str>, Vec<&'static str>)> {
    PINCODES_CSV.lines().skip(1).map(|line| {
        let mut fields = line.splitn(3, ',');
        let mut list = || {
            fields
                .next()
                .unwrap_or("")
                .split(';')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        let pin = list().first().copied().unwrap_or("");
        (pin, list(), list())
    })
}

fn pin(text: &str) -> PinCode {
    text.parse().unwrap()
}

fn wb() -> StateCode {
    StateCode::WEST_BENGAL
}

// ---- state codes ----

#[track_caller]
fn check_state(code: u8, name: &str) {
    let state = StateCode::new(code).unwrap_or_else(|| panic!("{code} is a state code"));
    assert_eq!(state.name(), name, "name of {code:02}");
    assert_eq!(state.to_string(), format!("{code:02}"));
    assert_eq!(format!("{code:02}").parse::<StateCode>(), Ok(state));
    assert_eq!(StateCode::from_name(name), Ok(state), "from_name({name:?})");
}

#[test]
fn every_gst_state_code_has_its_official_name() {
    let table = [
        (1, "Jammu and Kashmir"),
        (2, "Himachal Pradesh"),
        (3, "Punjab"),
        (4, "Chandigarh"),
        (5, "Uttarakhand"),
        (6, "Haryana"),
        (7, "Delhi"),
        (8, "Rajasthan"),
        (9, "Uttar Pradesh"),
        (10, "Bihar"),
        (11, "Sikkim"),
        (12, "Arunachal Pradesh"),
        (13, "Nagaland"),
        (14, "Manipur"),
        (15, "Mizoram"),
        (16, "Tripura"),
        (17, "Meghalaya"),
        (18, "Assam"),
        (19, "West Bengal"),
        (20, "Jharkhand"),
        (21, "Odisha"),
        (22, "Chhattisgarh"),
        (23, "Madhya Pradesh"),
        (24, "Gujarat"),
        (25, "Daman and Diu (pre-merger)"),
        (26, "Dadra and Nagar Haveli and Daman and Diu"),
        (27, "Maharashtra"),
        (28, "Andhra Pradesh (before division)"),
        (29, "Karnataka"),
        (30, "Goa"),
        (31, "Lakshadweep"),
        (32, "Kerala"),
        (33, "Tamil Nadu"),
        (34, "Puducherry"),
        (35, "Andaman and Nicobar Islands"),
        (36, "Telangana"),
        (37, "Andhra Pradesh"),
        (38, "Ladakh"),
        (97, "Other Territory"),
    ];
    for (code, name) in table {
        check_state(code, name);
    }
    let all: Vec<u8> = StateCode::all().map(StateCode::code).collect();
    let expected: Vec<u8> = table.iter().map(|&(code, _)| code).collect();
    assert_eq!(all, expected);
    assert_eq!(StateCode::WEST_BENGAL.code(), 19);
    assert_eq!(StateCode::WEST_BENGAL.name(), "West Bengal");
}

#[test]
fn codes_outside_the_gst_list_are_refused() {
    for code in [0, 39, 40, 96, 98, 99, 255] {
        assert_eq!(StateCode::new(code), None, "{code}");
    }
    for text in ["", "00", "39", "99", "019", "1a", "+1", "१९"] {
        assert_eq!(
            text.parse::<StateCode>(),
            Err(Error::UnknownStateCode {
                input: text.trim().to_owned()
            }),
            "{text:?}"
        );
    }
    assert_eq!(
        " 9 ".parse::<StateCode>().map(|c| c.to_string()),
        Ok("09".into())
    );
}

#[track_caller]
fn check_state_name(name: &str, code: u8) {
    assert_eq!(
        StateCode::from_name(name).map(StateCode::code),
        Ok(code),
        "from_name({name:?})"
    );
}

#[test]
fn state_names_are_found_forgivingly() {
    check_state_name("WEST BENGAL", 19);
    check_state_name("  west   bengal ", 19);
    check_state_name("West-Bengal", 19);
    check_state_name("THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU", 26);
    check_state_name("Dadra & Nagar Haveli & Daman & Diu", 26);
    check_state_name("JAMMU AND KASHMIR", 1);
    check_state_name("Jammu & Kashmir", 1);
    check_state_name("ANDAMAN AND NICOBAR ISLANDS", 35);
    check_state_name("Andaman & Nicobar", 35);
    check_state_name("DELHI", 7);
    check_state_name("NCT of Delhi", 7);
    check_state_name("Orissa", 21);
    check_state_name("Pondicherry", 34);
    check_state_name("Uttaranchal", 5);
    // One name, two codes: the current one wins; the old one is still found by its own name.
    check_state_name("ANDHRA PRADESH", 37);
    check_state_name("Andhra Pradesh (before division)", 28);
    check_state_name("Daman and Diu", 26);
    check_state_name("Daman and Diu (pre-merger)", 25);
    assert_eq!(
        StateCode::from_name(" Atlantis "),
        Err(Error::UnknownStateName {
            input: "Atlantis".into()
        })
    );
    assert!(StateCode::from_name("").is_err());
    assert!(StateCode::from_name("the").is_err());
}

#[test]
fn state_codes_serialise_as_two_digit_strings() {
    assert_eq!(
        serde_json::to_string(&StateCode::WEST_BENGAL).unwrap(),
        r#""19""#
    );
    assert_eq!(
        serde_json::to_string(&StateCode::new(9).unwrap()).unwrap(),
        r#""09""#
    );
    assert_eq!(
        serde_json::from_str::<StateCode>(r#""19""#).unwrap(),
        StateCode::WEST_BENGAL
    );
    assert!(serde_json::from_str::<StateCode>(r#""99""#).is_err());
    assert!(serde_json::from_str::<StateCode>("19").is_err());
}

// ---- PIN codes ----

#[track_caller]
fn check_pin(input: &str, expected: Result<u32, Error>) {
    assert_eq!(
        input.parse::<PinCode>().map(PinCode::get),
        expected,
        "{input:?}"
    );
}

#[test]
fn pin_codes_are_parsed_as_people_type_them() {
    check_pin("700001", Ok(700_001));
    check_pin(" 700 001 ", Ok(700_001));
    check_pin("700-001", Ok(700_001));
    check_pin("7 0 0 - 0 0 1", Ok(700_001));
    check_pin("\t741101\n", Ok(741_101));
    check_pin("৭০০০০১", Ok(700_001));
    check_pin(
        "70O001",
        Err(Error::PinCodeCharacter {
            character: 'O',
            position: 3,
        }),
    );
    check_pin(
        " 700 00l",
        Err(Error::PinCodeCharacter {
            character: 'l',
            position: 7,
        }),
    );
    check_pin(
        "700.001",
        Err(Error::PinCodeCharacter {
            character: '.',
            position: 4,
        }),
    );
    check_pin(
        "70001",
        Err(Error::PinCodeLength {
            input: "70001".into(),
            digits: 5,
        }),
    );
    check_pin(
        "7000011",
        Err(Error::PinCodeLength {
            input: "7000011".into(),
            digits: 7,
        }),
    );
    check_pin(
        " - ",
        Err(Error::PinCodeLength {
            input: String::new(),
            digits: 0,
        }),
    );
    check_pin(
        "070 001",
        Err(Error::PinCodeLeadingZero {
            input: "070001".into(),
        }),
    );
}

#[test]
fn pin_code_errors_say_what_and_where() {
    let message = |input: &str| input.parse::<PinCode>().unwrap_err().to_string();
    assert_eq!(
        message("70O001"),
        "PIN code has 'O' at position 3; only digits are allowed"
    );
    assert_eq!(
        message("7001"),
        "PIN code '7001' must be six digits, it has 4"
    );
    assert_eq!(
        message("012345"),
        "PIN code '012345' starts with 0; the first digit is a postal region, 1 to 9"
    );
}

#[test]
fn pin_code_numbers_and_serde() {
    assert_eq!(PinCode::new(100_000).map(PinCode::get), Some(100_000));
    assert_eq!(PinCode::new(999_999).map(PinCode::get), Some(999_999));
    assert_eq!(PinCode::new(99_999), None);
    assert_eq!(PinCode::new(1_000_000), None);
    assert_eq!(
        serde_json::to_string(&pin("700001")).unwrap(),
        r#""700001""#
    );
    assert_eq!(
        serde_json::from_str::<PinCode>(r#""700 001""#).unwrap(),
        pin("700001")
    );
    assert!(serde_json::from_str::<PinCode>(r#""070001""#).is_err());
    assert!(serde_json::from_str::<PinCode>("700001").is_err());
}

// ---- the directory ----

#[track_caller]
fn check_place(pin_text: &str, states: &[u8], districts: &[&str]) {
    let place = pin(pin_text)
        .location()
        .unwrap_or_else(|| panic!("{pin_text} is in the directory"));
    assert_eq!(place.pin_code(), pin(pin_text));
    let codes: Vec<u8> = place.states().iter().map(|s| s.code()).collect();
    assert_eq!(codes, states, "states of {pin_text}");
    let names: Vec<&str> = place.districts().iter().map(|d| d.name()).collect();
    assert_eq!(names, districts, "districts of {pin_text}");
}

#[test]
fn pin_codes_of_west_bengal() {
    check_place("700001", &[19], &["Kolkata"]);
    check_place("741101", &[19], &["Nadia"]);
    check_place("700124", &[19], &["North 24 Parganas"]);
    check_place("734101", &[19], &["Darjeeling"]);
    check_place("736101", &[19], &["Cooch Behar"]);
}

#[test]
fn pin_codes_elsewhere_are_title_cased() {
    check_place("110001", &[7], &["New Delhi"]);
    check_place("110003", &[7], &["New Delhi", "South", "South East"]);
}

#[test]
fn pin_codes_across_borders_keep_all_their_states_and_districts() {
    // Districts go with the state that lists them.
    check_place("110025", &[7, 9], &["South", "South East", "Budaun"]);
    check_place("813206", &[10, 20], &["Bhagalpur", "Godda"]);
    check_place(
        "605106",
        &[33, 34],
        &["Cuddalore", "Villupuram", "Pondicherry"],
    );
    check_place(
        "533464",
        &[34, 37],
        &["Yanam", "East Godavari", "Kakinada", "Konaseema"],
    );
    check_place("396193", &[24, 26], &["Valsad", "Dadra and Nagar Haveli"]);
    let place = pin("110025").location().unwrap();
    assert!(place.is_in(StateCode::DELHI));
    assert!(place.is_in(StateCode::UTTAR_PRADESH));
    assert!(!place.is_in(wb()));
    let india = PinDirectory::india();
    assert!(
        india
            .pin_codes_of_state(StateCode::DELHI)
            .contains(&pin("110025"))
    );
    assert!(
        india
            .pin_codes_of_state(StateCode::UTTAR_PRADESH)
            .contains(&pin("110025"))
    );
}

#[test]
fn unknown_pin_codes_have_no_location() {
    for text in ["999999", "100000", "700999"] {
        assert_eq!(pin(text).location(), None, "{text}");
    }
}

#[test]
fn every_pin_code_in_the_data_resolves_to_its_states_and_districts() {
    let india = PinDirectory::india();
    assert_eq!(india.skipped_rows(), 0);
    let mut count = 0;
    for (pin_text, states, districts) in rows() {
        count += 1;
        let place = india
            .lookup(pin(pin_text))
            .unwrap_or_else(|| panic!("{pin_text} resolves"));
        let expected: BTreeSet<StateCode> = states
            .iter()
            .map(|s| StateCode::from_name(s).unwrap())
            .collect();
        let got: BTreeSet<StateCode> = place.states().iter().copied().collect();
        assert_eq!(got, expected, "states of {pin_text}");
        // Each India Post district name finds one of the PIN code's districts in one of its
        // states, and every district of the PIN code comes from one of the names.
        let mut found = BTreeSet::new();
        for name in &districts {
            let district = place
                .states()
                .iter()
                .filter_map(|&s| india.find_district(s, name))
                .find(|d| place.districts().contains(d))
                .unwrap_or_else(|| panic!("{pin_text}: {name} is one of its districts"));
            found.insert(district);
        }
        let all: BTreeSet<District> = place.districts().iter().copied().collect();
        assert_eq!(found, all, "districts of {pin_text}");
        for district in place.districts() {
            assert!(place.is_in(district.state()), "{pin_text}: {district:?}");
            assert!(
                india
                    .pin_codes_of_district(*district)
                    .contains(&place.pin_code()),
                "{pin_text} is listed under {district:?}"
            );
        }
        for &state in place.states() {
            assert!(india.pin_codes_of_state(state).contains(&place.pin_code()));
        }
    }
    assert_eq!(india.len(), count);
    assert_eq!(india.iter().len(), count);
    assert!(!india.is_empty());
}

const WEST_BENGAL_DISTRICTS: [&str; 23] = [
    "Alipurduar",
    "Bankura",
    "Birbhum",
    "Cooch Behar",
    "Dakshin Dinajpur",
    "Darjeeling",
    "Hooghly",
    "Howrah",
    "Jalpaiguri",
    "Jhargram",
    "Kalimpong",
    "Kolkata",
    "Malda",
    "Murshidabad",
    "Nadia",
    "North 24 Parganas",
    "Paschim Bardhaman",
    "Paschim Medinipur",
    "Purba Bardhaman",
    "Purba Medinipur",
    "Purulia",
    "South 24 Parganas",
    "Uttar Dinajpur",
];

#[test]
fn west_bengal_districts_go_by_their_common_names() {
    let india = PinDirectory::india();
    let names: Vec<&str> = india.districts(wb()).iter().map(|d| d.name()).collect();
    assert_eq!(names, WEST_BENGAL_DISTRICTS);
    for name in WEST_BENGAL_DISTRICTS {
        let district = india
            .find_district(wb(), name)
            .unwrap_or_else(|| panic!("{name} is findable"));
        assert_eq!(district.name(), name);
        assert_eq!(district.state(), wb());
        assert!(!district.pin_codes().is_empty(), "{name} has PIN codes");
        assert_eq!(
            india.find_district(wb(), &name.to_uppercase()),
            Some(district)
        );
        assert_eq!(
            india.find_district(wb(), &name.replace(' ', "")),
            Some(district)
        );
    }
    // Every West Bengal district spelling in the data finds one of these.
    for (_, _, districts) in rows().filter(|(_, states, _)| states == &["WEST BENGAL"]) {
        for name in districts {
            let district = india.find_district(wb(), name);
            assert!(
                district.is_some_and(|d| WEST_BENGAL_DISTRICTS.contains(&d.name())),
                "{name} → {district:?}"
            );
        }
    }
}

#[track_caller]
fn check_district(state: StateCode, spelling: &str, name: Option<&str>) {
    assert_eq!(
        PinDirectory::india()
            .find_district(state, spelling)
            .map(District::name),
        name,
        "find_district({state}, {spelling:?})"
    );
}

#[test]
fn districts_are_found_by_india_post_spellings_and_common_names() {
    check_district(wb(), "24 PARAGANAS NORTH", Some("North 24 Parganas"));
    check_district(wb(), "24 Parganas North", Some("North 24 Parganas"));
    check_district(wb(), "north 24 parganas", Some("North 24 Parganas"));
    check_district(wb(), "24 PARAGANAS SOUTH", Some("South 24 Parganas"));
    check_district(wb(), "COOCHBEHAR", Some("Cooch Behar"));
    check_district(wb(), "Cooch  Behar", Some("Cooch Behar"));
    check_district(wb(), "DARJILING", Some("Darjeeling"));
    check_district(wb(), "MALDAH", Some("Malda"));
    check_district(wb(), "MEDINIPUR WEST", Some("Paschim Medinipur"));
    check_district(wb(), "PASCHIM MEDINIPUR", Some("Paschim Medinipur"));
    check_district(wb(), "medinipur east", Some("Purba Medinipur"));
    check_district(wb(), "BARDHAMAN", Some("Purba Bardhaman"));
    check_district(wb(), "PURBA BARDHAMAN", Some("Purba Bardhaman"));
    check_district(wb(), "HOOGHLY", Some("Hooghly"));
    check_district(wb(), "Hugli", Some("Hooghly"));
    check_district(wb(), "DINAJPUR UTTAR", Some("Uttar Dinajpur"));
    check_district(wb(), "KOLKATA", Some("Kolkata"));
    check_district(wb(), "Calcutta", Some("Kolkata"));
    check_district(wb(), "Gotham", None);
    check_district(wb(), "", None);
    // A district is found only in its own state.
    check_district(StateCode::BIHAR, "Nadia", None);
    check_district(StateCode::DELHI, "NEW DELHI", Some("New Delhi"));
    check_district(StateCode::DELHI, "new delhi", Some("New Delhi"));
    check_district(StateCode::TAMIL_NADU, "THE NILGIRIS", Some("The Nilgiris"));
    check_district(
        StateCode::new(2).unwrap(),
        "Lahul & Spiti",
        Some("Lahul and Spiti"),
    );
}

#[test]
fn districts_serialise_as_state_and_name() {
    let india = PinDirectory::india();
    let district = india.find_district(wb(), "24 PARAGANAS NORTH").unwrap();
    let json = serde_json::to_string(&district).unwrap();
    assert_eq!(json, r#"{"state":"19","name":"North 24 Parganas"}"#);
    assert_eq!(serde_json::from_str::<District>(&json).unwrap(), district);
    assert_eq!(district.to_string(), "North 24 Parganas");
    let unknown = serde_json::from_str::<District>(r#"{"state":"19","name":"Gotham"}"#);
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("'Gotham' is not a district of West Bengal (state code 19)")
    );
    assert!(serde_json::from_str::<District>(r#"{"state":"10","name":"Nadia"}"#).is_err());
}

#[test]
fn every_district_round_trips_through_serde_and_find_district() {
    let india = PinDirectory::india();
    for state in StateCode::all() {
        for &district in india.districts(state) {
            assert_eq!(district.state(), state);
            assert_eq!(india.find_district(state, district.name()), Some(district));
            let json = serde_json::to_string(&district).unwrap();
            assert_eq!(serde_json::from_str::<District>(&json).unwrap(), district);
            let pins = india.pin_codes_of_district(district);
            assert!(!pins.is_empty(), "{district:?}");
            assert!(pins.windows(2).all(|w| w[0] < w[1]), "{district:?} sorted");
        }
        let pins = india.pin_codes_of_state(state);
        assert!(pins.windows(2).all(|w| w[0] < w[1]), "{state:?} sorted");
    }
    // Old codes have no PIN codes of their own.
    assert!(india.districts(StateCode::new(25).unwrap()).is_empty());
    assert!(
        india
            .pin_codes_of_state(StateCode::new(28).unwrap())
            .is_empty()
    );
}

// ---- properties ----

fn valid_pin() -> impl Strategy<Value = PinCode> {
    (100_000u32..=999_999).prop_map(|n| PinCode::new(n).unwrap())
}

fn state_code() -> impl Strategy<Value = StateCode> {
    prop::sample::select(StateCode::all().collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn pin_code_parsing_never_panics(s in "\\PC*") {
        let _ = s.parse::<PinCode>();
    }

    #[test]
    fn pin_code_parsing_never_panics_on_near_misses(s in "[0-9 \\-০-৯a-zO]{0,12}") {
        if let Ok(pin) = s.parse::<PinCode>() {
            prop_assert!((100_000..=999_999).contains(&pin.get()));
        }
    }

    #[test]
    fn state_code_parsing_never_panics(s in "\\PC*") {
        let _ = s.parse::<StateCode>();
        let _ = StateCode::from_name(&s);
    }

    #[test]
    fn pin_code_round_trips(pin in valid_pin()) {
        prop_assert_eq!(pin.to_string().parse::<PinCode>(), Ok(pin));
        let json = serde_json::to_string(&pin).unwrap();
        prop_assert_eq!(serde_json::from_str::<PinCode>(&json).unwrap(), pin);
        prop_assert_eq!(PinCode::new(pin.get()), Some(pin));
    }

    #[test]
    fn spaces_and_hyphens_inside_a_pin_code_change_nothing(
        pin in valid_pin(),
        seps in prop::collection::vec("[ \\-]{0,2}", 7),
    ) {
        let digits = pin.to_string();
        let mut text = seps[0].clone();
        for (digit, sep) in digits.chars().zip(&seps[1..]) {
            text.push(digit);
            text.push_str(sep);
        }
        prop_assert_eq!(text.parse::<PinCode>(), Ok(pin), "{:?}", text);
    }

    #[test]
    fn state_code_round_trips(state in state_code()) {
        prop_assert_eq!(state.to_string().parse::<StateCode>(), Ok(state));
        let json = serde_json::to_string(&state).unwrap();
        prop_assert_eq!(serde_json::from_str::<StateCode>(&json).unwrap(), state);
        prop_assert_eq!(StateCode::from_name(state.name()), Ok(state));
        prop_assert_eq!(StateCode::from_name(&state.name().to_uppercase()), Ok(state));
    }

    #[test]
    fn lookup_finds_exactly_the_listed_codes(pin in valid_pin()) {
        let india = PinDirectory::india();
        if let Some(place) = india.lookup(pin) {
            prop_assert_eq!(place.pin_code(), pin);
        } else {
            prop_assert!(india.iter().all(|place| place.pin_code() != pin));
        }
    }
}

#[test]
fn every_west_bengal_district_has_a_bengali_name() {
    let districts = PinDirectory::india().districts(wb());
    assert_eq!(districts.len(), 23);
    for district in districts {
        let bengali = district.name_in(Locale::BnIn);
        assert_ne!(
            bengali,
            district.name(),
            "{} has no Bengali name",
            district.name()
        );
        // Bengali script (U+0980–U+09FF), spaces and nothing else.
        assert!(
            bengali
                .chars()
                .all(|c| ('\u{0980}'..='\u{09FF}').contains(&c) || c == ' '),
            "{bengali}"
        );
        assert_eq!(district.name_in(Locale::EnIn), district.name());
    }
    let nadia = PinDirectory::india().find_district(wb(), "Nadia").unwrap();
    assert_eq!(nadia.name_in(Locale::BnIn), "নদিয়া");
}
