//! KYC identifiers: the facts of design.md, the exact error messages, and the invariants
//! (never panic, round trips, the GSTIN checksum catches every single-character change, masked
//! output never holds the whole personal value).

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::fmt::Debug;
use std::str::FromStr;

use haat_core::StateCode;
use haat_seller::{
    BankAccount, Email, EmailProblem, Expected, GstEnrolmentNumber, Gstin, IdentifierError,
    IdentifierKind, Ifsc, Mobile, Pan, PanHolderType, UdyamNumber, gstin_check_character,
};
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Parses `input` as `T` and compares with `expected`: `Ok(whole value as exposed)` or
/// `Err(error message)`.
#[track_caller]
fn check<T>(input: &str, expected: Result<&str, &str>, expose: impl Fn(&T) -> String)
where
    T: FromStr<Err = IdentifierError>,
{
    let got = input.parse::<T>();
    match (&got, expected) {
        (Ok(value), Ok(want)) => assert_eq!(expose(value), want, "parsing {input:?}"),
        (Err(err), Err(want)) => assert_eq!(err.to_string(), want, "parsing {input:?}"),
        (Ok(value), Err(want)) => {
            panic!(
                "parsing {input:?}: expected error {want:?}, got {}",
                expose(value)
            )
        }
        (Err(err), Ok(want)) => panic!("parsing {input:?}: expected {want:?}, got error {err}"),
    }
}

#[track_caller]
fn check_gstin(input: &str, expected: Result<&str, &str>) {
    check::<Gstin>(input, expected, |g| g.expose().to_owned());
}

#[track_caller]
fn check_pan(input: &str, expected: Result<&str, &str>) {
    check::<Pan>(input, expected, |p| p.expose().to_owned());
}

#[track_caller]
fn check_ifsc(input: &str, expected: Result<&str, &str>) {
    check::<Ifsc>(input, expected, Ifsc::to_string);
}

#[track_caller]
fn check_account(input: &str, expected: Result<&str, &str>) {
    check::<BankAccount>(input, expected, |a| a.expose().to_owned());
}

#[track_caller]
fn check_udyam(input: &str, expected: Result<&str, &str>) {
    check::<UdyamNumber>(input, expected, UdyamNumber::to_string);
}

#[track_caller]
fn check_mobile(input: &str, expected: Result<&str, &str>) {
    check::<Mobile>(input, expected, |m| m.expose().to_owned());
}

#[track_caller]
fn check_email(input: &str, expected: Result<&str, &str>) {
    check::<Email>(input, expected, Email::to_string);
}

#[track_caller]
fn check_enrolment(input: &str, expected: Result<&str, &str>) {
    check::<GstEnrolmentNumber>(input, expected, |e| e.expose().to_owned());
}

/// Serialises to JSON and back; the JSON is the whole value as a string.
#[track_caller]
fn json_round_trip<T>(value: &T, whole: &str)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value).unwrap();
    assert_eq!(json, serde_json::to_string(whole).unwrap());
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value);
}

// ---------------------------------------------------------------------------------------------
// GSTIN

#[test]
fn gstin_examples() {
    // design.md's example, as typed in several ways.
    check_gstin("27AAPFU0939F1ZV", Ok("27AAPFU0939F1ZV"));
    check_gstin(" 27aapfu0939f1zv ", Ok("27AAPFU0939F1ZV"));
    check_gstin("27 AAPFU 0939F 1ZV", Ok("27AAPFU0939F1ZV"));
    check_gstin("27-AAPFU0939F-1Z-V", Ok("27AAPFU0939F1ZV"));
    check_gstin("\t27AAPFU0939F1ZV\n", Ok("27AAPFU0939F1ZV"));

    check_gstin(
        "27AAPFU0939F1ZO",
        Err("GSTIN check character is 'O', expected 'V'"),
    );
    check_gstin("27AAPF$0939F1ZV", Err("GSTIN has '$' at position 7"));
    check_gstin(
        "27AAPFU0939F1Z",
        Err("GSTIN must be 15 characters, found 14"),
    );
    check_gstin(
        "27AAPFU0939F1ZVV",
        Err("GSTIN must be 15 characters, found 16"),
    );
    check_gstin("", Err("GSTIN is empty"));
    check_gstin("  - ", Err("GSTIN is empty"));
    check_gstin("27AAPFU0939F1ZV.", Err("GSTIN has '.' at position 16"));
    check_gstin("27 AAPFU_0939F1ZV", Err("GSTIN has '_' at position 9"));
    check_gstin("27AAPFUé939F1ZV", Err("GSTIN has 'é' at position 8"));
    check_gstin(
        "00AAPFU0939F1ZV",
        Err("GSTIN state code 00 is not a GST state code (01 to 38, or 97)"),
    );
    check_gstin(
        "39AAPFU0939F1ZV",
        Err("GSTIN state code 39 is not a GST state code (01 to 38, or 97)"),
    );
    check_gstin(
        "A7AAPFU0939F1ZV",
        Err("GSTIN has 'A' at position 1; expected a digit"),
    );
    check_gstin(
        "27AAPXU0939F1ZV",
        Err("GSTIN holder type 'X' at position 6 is not one of A B C F G H J K L P T"),
    );
    check_gstin(
        "271APFU0939F1ZV",
        Err("GSTIN has '1' at position 3; expected a letter"),
    );
    check_gstin(
        "27AAPFU09O9F1ZV",
        Err("GSTIN has 'O' at position 10; expected a digit"),
    );
    check_gstin(
        "27AAPFU0000F1ZV",
        Err("GSTIN has serial number 0000 at positions 8 to 11; PAN serials start at 0001"),
    );
    check_gstin(
        "27AAPFU0939F0ZV",
        Err("GSTIN entity number at position 13 is '0'; entity numbers run 1 to 9, then A to Z"),
    );
    check_gstin(
        "27AAPFU0939F1YV",
        Err("GSTIN has 'Y' at position 14; expected 'Z'"),
    );
    // Positions count the input as typed.
    check_gstin(
        "27 AAPFU 0939F 0ZV",
        Err("GSTIN entity number at position 16 is '0'; entity numbers run 1 to 9, then A to Z"),
    );
}

#[test]
fn gstin_accessors_and_masking() {
    let gstin: Gstin = "27AAPFU0939F1ZV".parse().unwrap();
    assert_eq!(gstin.state_code(), StateCode::new(27).unwrap());
    assert_eq!(gstin.pan(), "AAPFU0939F".parse::<Pan>().unwrap());
    assert_eq!(gstin.entity_number(), '1');
    assert_eq!(gstin.check_character(), 'V');
    assert_eq!(gstin.to_string(), "27AAPFUXXXXF1ZV");
    assert_eq!(format!("{gstin:?}"), "Gstin(27AAPFUXXXXF1ZV)");
    json_round_trip(&gstin, "27AAPFU0939F1ZV");

    // A West Bengal GSTIN, check character computed.
    let first14 = "19AAPPV1234K1Z";
    let check = gstin_check_character(first14).unwrap();
    let wb: Gstin = format!("{first14}{check}").parse().unwrap();
    assert_eq!(wb.state_code(), StateCode::WEST_BENGAL);
    assert_eq!(wb.to_string(), format!("19AAPPVXXXXK1Z{check}"));

    // Other Territory (97) and the highest state code (38) are GST state codes.
    for state in ["97", "38", "01"] {
        let first14 = format!("{state}AAPFU0939F1Z");
        let check = gstin_check_character(&first14).unwrap();
        assert!(
            format!("{first14}{check}").parse::<Gstin>().is_ok(),
            "{state}"
        );
    }
}

#[test]
fn gstin_check_character_examples() {
    assert_eq!(gstin_check_character("27AAPFU0939F1Z"), Ok('V'));
    assert_eq!(gstin_check_character("27aapfu0939f1z"), Ok('V'));
    assert_eq!(
        gstin_check_character("27AAPFU0939F1")
            .unwrap_err()
            .to_string(),
        "GSTIN without its check character must be 14 characters, found 13"
    );
    assert_eq!(
        gstin_check_character("27AAPFU0939F1*"),
        Err(IdentifierError::InvalidCharacter {
            kind: IdentifierKind::GstinWithoutCheck,
            character: '*',
            position: 14,
        })
    );
}

#[test]
fn gstin_errors_are_typed() {
    assert_eq!(
        "27AAPFU0939F1ZO".parse::<Gstin>(),
        Err(IdentifierError::CheckCharacter {
            found: 'O',
            expected: 'V'
        })
    );
    assert_eq!(
        "27AAPFU0939F1YV".parse::<Gstin>(),
        Err(IdentifierError::UnexpectedCharacter {
            kind: IdentifierKind::Gstin,
            character: 'Y',
            position: 14,
            expected: Expected::Exactly('Z'),
        })
    );
    assert_eq!(
        "99AAPFU0939F1ZV".parse::<Gstin>(),
        Err(IdentifierError::UnknownStateCode {
            kind: IdentifierKind::Gstin,
            code: 99
        })
    );
}

// ---------------------------------------------------------------------------------------------
// PAN

#[test]
fn pan_examples() {
    check_pan("AAPPV1234K", Ok("AAPPV1234K"));
    check_pan(" aappv 1234 k ", Ok("AAPPV1234K"));
    check_pan("AAPFU0939F", Ok("AAPFU0939F"));
    check_pan(
        "AAPXV1234K",
        Err("PAN holder type 'X' at position 4 is not one of A B C F G H J K L P T"),
    );
    check_pan(
        "AA1PV1234K",
        Err("PAN has '1' at position 3; expected a letter"),
    );
    check_pan(
        "AAP1V1234K",
        Err("PAN holder type '1' at position 4 is not one of A B C F G H J K L P T"),
    );
    check_pan("AAPPV1234", Err("PAN must be 10 characters, found 9"));
    check_pan("AAPPV12345K", Err("PAN must be 10 characters, found 11"));
    check_pan(
        "AAPPV12a4K",
        Err("PAN has 'A' at position 8; expected a digit"),
    );
    check_pan(
        "AAPPV12348",
        Err("PAN has '8' at position 10; expected a letter"),
    );
    check_pan(
        "AAPPV0000K",
        Err("PAN has serial number 0000 at positions 6 to 9; PAN serials start at 0001"),
    );
    check_pan("AAPPV/1234K", Err("PAN has '/' at position 6"));
}

#[test]
fn pan_holder_types() {
    let cases = [
        ('P', PanHolderType::Individual),
        ('C', PanHolderType::Company),
        ('H', PanHolderType::Huf),
        ('F', PanHolderType::Firm),
        ('A', PanHolderType::Aop),
        ('T', PanHolderType::Trust),
        ('B', PanHolderType::Boi),
        ('L', PanHolderType::LocalAuthority),
        ('J', PanHolderType::ArtificialJuridicalPerson),
        ('G', PanHolderType::Government),
        ('K', PanHolderType::Obsolete),
    ];
    for (code, holder) in cases {
        let pan: Pan = format!("ABC{code}D1234E").parse().unwrap();
        assert_eq!(pan.holder_type(), holder);
        assert_eq!(holder.code(), code);
        assert_eq!(PanHolderType::from_code(code), Some(holder));
    }
    assert_eq!(PanHolderType::ALL.len(), cases.len());
    let listed: String = PanHolderType::ALL.iter().map(|h| h.code()).collect();
    assert_eq!(listed, "ABCFGHJKLPT");
}

#[test]
fn pan_masking() {
    let pan: Pan = "AAPPV1234K".parse().unwrap();
    assert_eq!(pan.masked(), "AAPPVXXXXK");
    assert_eq!(pan.to_string(), "AAPPVXXXXK");
    assert_eq!(format!("{pan:?}"), "Pan(AAPPVXXXXK)");
    assert_eq!(format!("{:?}", Some(pan)), "Some(Pan(AAPPVXXXXK))");
    json_round_trip(&pan, "AAPPV1234K");
}

// ---------------------------------------------------------------------------------------------
// IFSC, bank account, Udyam

#[test]
fn ifsc_examples() {
    check_ifsc("SBIN0001234", Ok("SBIN0001234"));
    check_ifsc(" sbin 0001234", Ok("SBIN0001234"));
    check_ifsc("HDFC0ABC123", Ok("HDFC0ABC123"));
    check_ifsc(
        "SBINO001234",
        Err("IFSC has 'O' at position 5; expected '0'"),
    );
    check_ifsc(
        "SB1N0001234",
        Err("IFSC has '1' at position 3; expected a letter"),
    );
    check_ifsc("SBIN000123", Err("IFSC must be 11 characters, found 10"));
    check_ifsc("SBIN0001234#", Err("IFSC has '#' at position 12"));
    let ifsc: Ifsc = "SBIN0001234".parse().unwrap();
    assert_eq!((ifsc.bank_code(), ifsc.branch_code()), ("SBIN", "001234"));
    assert_eq!(format!("{ifsc:?}"), "Ifsc(SBIN0001234)");
    json_round_trip(&ifsc, "SBIN0001234");
}

#[test]
fn bank_account_examples() {
    check_account("123456789", Ok("123456789"));
    check_account("1234 5678 9012 3456 78", Ok("123456789012345678"));
    check_account("0012-3456-1234", Ok("001234561234"));
    check_account(
        "12345678",
        Err("bank account number must be 9 to 18 digits, found 8"),
    );
    check_account(
        "1234567890123456789",
        Err("bank account number must be 9 to 18 digits, found 19"),
    );
    check_account(
        "12345678A",
        Err("bank account number has 'A' at position 9; expected a digit"),
    );
    check_account(
        "12345.6789",
        Err("bank account number has '.' at position 6"),
    );
    check_account(" ", Err("bank account number is empty"));
    let account: BankAccount = "001234561234".parse().unwrap();
    assert_eq!(account.masked(), "XXXXXXXX1234");
    assert_eq!(account.to_string(), "XXXXXXXX1234");
    assert_eq!(format!("{account:?}"), "BankAccount(XXXXXXXX1234)");
    json_round_trip(&account, "001234561234");
}

/// `UDYAM-ZZ-00-0000000` was accepted: no state has the letters ZZ.
#[test]
fn udyam_state_letters_must_name_a_state_or_union_territory() {
    check_udyam(
        "UDYAM-ZZ-00-0000000",
        Err(
            "Udyam registration number has state letters 'ZZ' at position 7; they name no Indian state or union territory",
        ),
    );
    check_udyam(
        "udyam xy 10 0012345",
        Err(
            "Udyam registration number has state letters 'XY' at position 7; they name no Indian state or union territory",
        ),
    );
    for state in ["WB", "MH", "TS", "TG", "OD", "UK", "LA", "DH", "AN"] {
        let udyam = format!("UDYAM-{state}-10-0012345");
        check_udyam(&udyam, Ok(&udyam));
    }
}

#[test]
fn udyam_examples() {
    check_udyam("UDYAM-WB-10-0012345", Ok("UDYAM-WB-10-0012345"));
    check_udyam("udyam wb 10 0012345", Ok("UDYAM-WB-10-0012345"));
    check_udyam("UDYAMWB100012345", Ok("UDYAM-WB-10-0012345"));
    check_udyam(" Udyam-wb-10-0012345 ", Ok("UDYAM-WB-10-0012345"));
    check_udyam(
        "UDYAN-WB-10-0012345",
        Err("Udyam registration number must start with UDYAM"),
    );
    check_udyam(
        "WB-10-0012345",
        Err("Udyam registration number must start with UDYAM"),
    );
    check_udyam(
        "UDYAM-WB-10-001234",
        Err("Udyam registration number must be 16 letters and digits, found 15"),
    );
    check_udyam(
        "UDYAM-W1-10-0012345",
        Err("Udyam registration number has '1' at position 8; expected a letter"),
    );
    check_udyam(
        "UDYAM-WB-1O-0012345",
        Err("Udyam registration number has 'O' at position 11; expected a digit"),
    );
    check_udyam(
        "UDYAM/WB-10-0012345",
        Err("Udyam registration number has '/' at position 6"),
    );
    let udyam: UdyamNumber = "UDYAM-WB-07-0012345".parse().unwrap();
    assert_eq!((udyam.state_letters(), udyam.district_code()), ("WB", 7));
    json_round_trip(&udyam, "UDYAM-WB-07-0012345");
}

// ---------------------------------------------------------------------------------------------
// Mobile, e-mail

#[test]
fn mobile_examples() {
    for typed in [
        "9876543210",
        "+919876543210",
        "+91 98765 43210",
        "+91-98765-43210",
        "919876543210",
        "09876543210",
        " 98765 43210 ",
    ] {
        check_mobile(typed, Ok("+919876543210"));
    }
    check_mobile("6000000000", Ok("+916000000000"));
    check_mobile(
        "5876543210",
        Err("mobile number starts with '5'; Indian mobile numbers start with 6, 7, 8 or 9"),
    );
    check_mobile("987654321", Err("mobile number must be 10 digits, found 9"));
    check_mobile(
        "98765432101",
        Err("mobile number must be 10 digits, found 11"),
    );
    check_mobile(
        "+9198765432",
        Err("mobile number must be 10 digits, found 8"),
    );
    check_mobile(
        "+449876543210",
        Err("mobile number has a country code other than +91"),
    );
    check_mobile(
        "98765x3210",
        Err("mobile number has 'X' at position 6; expected a digit"),
    );
    check_mobile(
        "+91 98765+43210",
        Err("mobile number has '+' at position 10"),
    );
    check_mobile("(987) 6543210", Err("mobile number has '(' at position 1"));
    let mobile: Mobile = "9876543210".parse().unwrap();
    assert_eq!(mobile.masked(), "+91XXXXXX3210");
    assert_eq!(mobile.to_string(), "+91XXXXXX3210");
    assert_eq!(format!("{mobile:?}"), "Mobile(+91XXXXXX3210)");
    json_round_trip(&mobile, "+919876543210");
}

#[test]
fn email_examples() {
    check_email("shanti@example.in", Ok("shanti@example.in"));
    check_email(" Shanti.Tant@Example.IN ", Ok("Shanti.Tant@example.in"));
    check_email("a+b@mail.co.in", Ok("a+b@mail.co.in"));
    check_email(
        "shanti@localhost",
        Err("e-mail address has a domain without a '.'"),
    );
    check_email("shanti.example.in", Err("e-mail address has no '@'"));
    check_email("a@b@c.in", Err("e-mail address has more than one '@'"));
    check_email(
        "@example.in",
        Err("e-mail address has nothing before the '@'"),
    );
    check_email(
        "a@example..in",
        Err("e-mail address has a domain that starts or ends with '.' or has '..'"),
    );
    check_email(
        "a@example.in.",
        Err("e-mail address has a domain that starts or ends with '.' or has '..'"),
    );
    check_email(
        "sha nti@example.in",
        Err("e-mail address has ' ' at position 4"),
    );
    check_email("", Err("e-mail address is empty"));
    let long = format!("{}@example.in", "a".repeat(250));
    check_email(
        &long,
        Err("e-mail address is 261 characters long; the most is 254"),
    );
    assert_eq!(
        long.parse::<Email>(),
        Err(IdentifierError::InvalidEmail {
            problem: EmailProblem::TooLong { length: 261 }
        })
    );
    let email: Email = "Shanti@Example.in".parse().unwrap();
    assert_eq!(email.domain(), "example.in");
    assert_eq!(format!("{email:?}"), "Email(S…@example.in)");
    json_round_trip(&email, "Shanti@example.in");
}

/// `İ` is two characters in lower case: a 254-character address with one in its domain was
/// accepted, and the address it was stored as (255 characters) was refused when read back.
#[test]
fn email_domains_that_lengthen_when_lower_cased_read_back_as_written() {
    let local = "a".repeat(247);
    let longest = format!("{local}@xxİ.in"); // 254 characters as typed, 255 in lower case
    assert_eq!(longest.chars().count(), 254);
    assert_eq!(
        longest.parse::<Email>(),
        Err(IdentifierError::InvalidEmail {
            problem: EmailProblem::TooLong { length: 255 }
        })
    );
    let email: Email = "Shanti@İstanbul.example".parse().unwrap();
    assert_eq!(email.as_str(), "Shanti@i\u{307}stanbul.example");
    assert_eq!(email.to_string().parse::<Email>(), Ok(email.clone()));
    json_round_trip(&email, email.as_str());
}

/// `a@-.-` and addresses with a byte order mark or a zero-width space inside were accepted.
#[test]
fn email_domain_labels_and_invisible_characters_are_checked() {
    let edge = "e-mail address has a domain part that starts or ends with a character other than a letter or digit";
    check_email("a@-.-", Err(edge));
    check_email("a@-example.in", Err(edge));
    check_email("a@example-.in", Err(edge));
    check_email("a@example.-in", Err(edge));
    check_email("a@my-shop.co.in", Ok("a@my-shop.co.in"));
    check_email("a@শান্তিপুর.ভারত", Ok("a@শান্তিপুর.ভারত"));
    check_email(
        "\u{FEFF}a@example.in",
        Err(r"e-mail address has '\u{feff}' at position 1"),
    );
    check_email(
        "a\u{200B}b@example.in",
        Err(r"e-mail address has '\u{200b}' at position 2"),
    );
    check_email(
        "a@exam\u{200D}ple.in",
        Err(r"e-mail address has '\u{200d}' at position 7"),
    );
}

// ---------------------------------------------------------------------------------------------
// GST enrolment number

#[test]
fn enrolment_examples() {
    check_enrolment("19AAPPV1234K1E3", Ok("19AAPPV1234K1E3"));
    check_enrolment("19 aappv1234k 1e3", Ok("19AAPPV1234K1E3"));
    check_enrolment("19AAPPV1234K000", Ok("19AAPPV1234K000"));
    check_enrolment(
        "40AAPPV1234K1E3",
        Err("GST enrolment number state code 40 is not a GST state code (01 to 38, or 97)"),
    );
    check_enrolment("19AAQPV1234K1E3", Ok("19AAQPV1234K1E3"));
    check_enrolment(
        "19AAPYV1234K1E3",
        Err(
            "GST enrolment number holder type 'Y' at position 6 is not one of A B C F G H J K L P T",
        ),
    );
    check_enrolment(
        "19AAPPV1234K1E",
        Err("GST enrolment number must be 15 characters, found 14"),
    );
    check_enrolment(
        "19AAPPV1234K1E!",
        Err("GST enrolment number has '!' at position 15"),
    );
    let enrolment: GstEnrolmentNumber = "19AAPPV1234K1E3".parse().unwrap();
    assert_eq!(enrolment.state_code(), StateCode::WEST_BENGAL);
    assert_eq!(enrolment.pan(), "AAPPV1234K".parse::<Pan>().unwrap());
    assert_eq!(enrolment.to_string(), "19AAPPVXXXXK1E3");
    assert_eq!(
        format!("{enrolment:?}"),
        "GstEnrolmentNumber(19AAPPVXXXXK1E3)"
    );
    json_round_trip(&enrolment, "19AAPPV1234K1E3");
}

#[test]
fn serde_refuses_invalid_values() {
    assert!(serde_json::from_str::<Gstin>("\"27AAPFU0939F1ZO\"").is_err());
    assert!(serde_json::from_str::<Pan>("\"AAPPVXXXXK\"").is_err());
    assert!(serde_json::from_str::<Mobile>("\"+91XXXXXX3210\"").is_err());
    assert!(serde_json::from_str::<BankAccount>("\"XXXXXXXX1234\"").is_err());
    let err = serde_json::from_str::<Pan>("\"AAPXV1234K\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("PAN holder type 'X' at position 4"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Generators of valid identifiers

const ALNUM: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn state_code() -> impl Strategy<Value = StateCode> {
    let all: Vec<StateCode> = StateCode::all().collect();
    proptest::sample::select(all)
}

fn pan_text() -> impl Strategy<Value = String> {
    (
        "[A-Z]{3}",
        proptest::sample::select(PanHolderType::ALL.to_vec()),
        "[A-Z]",
        1u32..=9999,
        "[A-Z]",
    )
        .prop_map(|(a, holder, b, serial, c)| format!("{a}{}{b}{serial:04}{c}", holder.code()))
}

fn entity_number() -> impl Strategy<Value = char> {
    proptest::sample::select(ALNUM[1..].to_vec()).prop_map(char::from)
}

fn gstin_text() -> impl Strategy<Value = String> {
    (state_code(), pan_text(), entity_number()).prop_map(|(state, pan, entity)| {
        let first14 = format!("{state}{pan}{entity}Z");
        let check = gstin_check_character(&first14).unwrap();
        format!("{first14}{check}")
    })
}

fn enrolment_text() -> impl Strategy<Value = String> {
    (state_code(), pan_text(), "[0-9A-Z]{3}")
        .prop_map(|(state, pan, tail)| format!("{state}{pan}{tail}"))
}

fn ifsc_text() -> impl Strategy<Value = String> {
    "[A-Z]{4}0[A-Z0-9]{6}"
}

fn account_text() -> impl Strategy<Value = String> {
    "[0-9]{9,18}"
}

fn udyam_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["WB", "MH", "KA", "TN", "OD", "AS", "DL", "JK"][..]),
        "[0-9]{2}-[0-9]{7}",
    )
        .prop_map(|(state, rest)| format!("UDYAM-{state}-{rest}"))
}

fn mobile_digits() -> impl Strategy<Value = String> {
    "[6-9][0-9]{9}"
}

fn email_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._%+-]{1,20}@[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?(\\.[a-z]{2,6}){1,2}"
}

/// A person's way of typing a code: random case, spaces and hyphens between characters,
/// whitespace around.
fn messy(canonical: String) -> impl Strategy<Value = String> {
    let n = canonical.len();
    (
        proptest::collection::vec(
            (any::<bool>(), prop_oneof![Just(""), Just(" "), Just("-")]),
            n,
        ),
        prop_oneof![Just(""), Just(" "), Just("\t")],
    )
        .prop_map(move |(styles, around)| {
            let mut out = String::from(around);
            for (c, (lower, sep)) in canonical.chars().zip(styles) {
                out.push(if lower { c.to_ascii_lowercase() } else { c });
                out.push_str(sep);
            }
            out.push_str(around);
            out
        })
}

fn parse_all(s: &str) -> Vec<Result<String, IdentifierError>> {
    vec![
        s.parse::<Gstin>().map(|v| format!("{v} {v:?}")),
        s.parse::<Pan>().map(|v| format!("{v} {v:?}")),
        s.parse::<Ifsc>().map(|v| format!("{v} {v:?}")),
        s.parse::<BankAccount>().map(|v| format!("{v} {v:?}")),
        s.parse::<UdyamNumber>().map(|v| format!("{v} {v:?}")),
        s.parse::<Mobile>().map(|v| format!("{v} {v:?}")),
        s.parse::<Email>().map(|v| format!("{v:?}")),
        s.parse::<GstEnrolmentNumber>()
            .map(|v| format!("{v} {v:?}")),
        gstin_check_character(s).map(String::from),
    ]
}

proptest! {
    #[test]
    fn parsers_never_panic_on_any_string(s in any::<String>()) {
        for result in parse_all(&s) {
            if let Err(err) = result {
                prop_assert!(!err.to_string().is_empty());
            }
        }
    }

    #[test]
    fn parsers_never_panic_on_code_like_strings(
        s in "[0-9A-Za-z +@.\\-]{0,24}",
    ) {
        let _ = parse_all(&s);
    }

    #[test]
    fn gstin_over_its_alphabet_never_panics(s in "[0-9A-Z]{15}") {
        // Either valid (and then canonical) or an error.
        if let Ok(gstin) = s.parse::<Gstin>() {
            prop_assert_eq!(gstin.expose(), s.as_str());
        }
    }

    #[test]
    fn generated_gstins_parse(text in gstin_text()) {
        let gstin: Gstin = text.parse().unwrap();
        prop_assert_eq!(gstin.expose(), text.as_str());
        prop_assert_eq!(gstin.state_code().to_string(), &text[..2]);
        prop_assert_eq!(gstin.pan().expose().to_owned(), &text[2..12]);
        prop_assert_eq!(gstin.entity_number(), char::from(text.as_bytes()[12]));
        prop_assert_eq!(gstin.check_character(), char::from(text.as_bytes()[14]));
    }

    #[test]
    fn every_single_character_change_invalidates_a_gstin(
        text in gstin_text(),
        index in 0usize..15,
        replacement in proptest::sample::select(ALNUM.to_vec()),
    ) {
        let mut bytes = text.clone().into_bytes();
        prop_assume!(bytes[index] != replacement);
        bytes[index] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(changed.parse::<Gstin>().is_err(), "{} parsed", changed);
    }

    #[test]
    fn messy_input_parses_to_the_canonical_value(
        (canonical, typed) in gstin_text().prop_flat_map(|g| (Just(g.clone()), messy(g))),
    ) {
        prop_assert_eq!(typed.parse::<Gstin>().unwrap().expose().to_owned(), canonical);
    }

    #[test]
    fn messy_pan_udyam_ifsc_parse(
        (pan, typed_pan) in pan_text().prop_flat_map(|p| (Just(p.clone()), messy(p))),
        (ifsc, typed_ifsc) in ifsc_text().prop_flat_map(|p| (Just(p.clone()), messy(p))),
        (udyam, typed_udyam) in udyam_text().prop_flat_map(|p| (Just(p.clone()), messy(p))),
    ) {
        prop_assert_eq!(typed_pan.parse::<Pan>().unwrap().expose().to_owned(), pan);
        prop_assert_eq!(typed_ifsc.parse::<Ifsc>().unwrap().to_string(), ifsc);
        prop_assert_eq!(typed_udyam.parse::<UdyamNumber>().unwrap().to_string(), udyam);
    }

    #[test]
    fn round_trips_of_public_identifiers(
        ifsc in ifsc_text(),
        udyam in udyam_text(),
        email in email_text(),
    ) {
        // Display is the whole value: Display -> FromStr -> the same value, and serde too.
        let ifsc: Ifsc = ifsc.parse().unwrap();
        prop_assert_eq!(ifsc.to_string().parse::<Ifsc>().unwrap(), ifsc);
        json_round_trip(&ifsc, ifsc.as_str());
        let udyam: UdyamNumber = udyam.parse().unwrap();
        prop_assert_eq!(udyam.to_string().parse::<UdyamNumber>().unwrap(), udyam);
        json_round_trip(&udyam, udyam.as_str());
        let email: Email = email.parse().unwrap();
        prop_assert_eq!(email.to_string().parse::<Email>().unwrap(), email.clone());
        json_round_trip(&email, email.as_str());
    }

    #[test]
    fn round_trips_of_masked_identifiers(
        gstin in gstin_text(),
        pan in pan_text(),
        account in account_text(),
        mobile in mobile_digits(),
        enrolment in enrolment_text(),
    ) {
        // Display is masked: expose() -> FromStr and serde carry the whole value.
        let gstin: Gstin = gstin.parse().unwrap();
        prop_assert_eq!(gstin.expose().parse::<Gstin>().unwrap(), gstin);
        json_round_trip(&gstin, gstin.expose());
        let pan: Pan = pan.parse().unwrap();
        prop_assert_eq!(pan.expose().parse::<Pan>().unwrap(), pan);
        json_round_trip(&pan, pan.expose());
        let account: BankAccount = account.parse().unwrap();
        prop_assert_eq!(account.expose().parse::<BankAccount>().unwrap(), account);
        json_round_trip(&account, account.expose());
        let mobile: Mobile = mobile.parse().unwrap();
        prop_assert_eq!(mobile.expose().parse::<Mobile>().unwrap(), mobile);
        json_round_trip(&mobile, mobile.expose());
        let enrolment: GstEnrolmentNumber = enrolment.parse().unwrap();
        prop_assert_eq!(enrolment.expose().parse::<GstEnrolmentNumber>().unwrap(), enrolment);
        json_round_trip(&enrolment, enrolment.expose());
    }

    #[test]
    fn masked_output_never_holds_the_whole_value(
        gstin in gstin_text(),
        pan in pan_text(),
        account in account_text(),
        mobile in mobile_digits(),
        enrolment in enrolment_text(),
    ) {
        let g: Gstin = gstin.parse().unwrap();
        let whole_pan = g.pan().expose().to_owned();
        for shown in [g.to_string(), format!("{g:?}"), g.pan().masked()] {
            prop_assert!(!shown.contains(&whole_pan), "{} shows {}", shown, whole_pan);
        }
        let p: Pan = pan.parse().unwrap();
        for shown in [p.to_string(), format!("{p:?}"), p.masked()] {
            prop_assert!(!shown.contains(&pan));
        }
        let a: BankAccount = account.parse().unwrap();
        for shown in [a.to_string(), format!("{a:?}"), a.masked()] {
            prop_assert!(!shown.contains(&account));
        }
        let m: Mobile = mobile.parse().unwrap();
        for shown in [m.to_string(), format!("{m:?}"), m.masked()] {
            prop_assert!(!shown.contains(&mobile));
        }
        let e: GstEnrolmentNumber = enrolment.parse().unwrap();
        for shown in [e.to_string(), format!("{e:?}")] {
            prop_assert!(!shown.contains(&enrolment[2..12]));
        }
    }

    #[test]
    fn error_messages_never_hold_the_whole_value(
        pan in pan_text(),
        account in account_text(),
        mobile in mobile_digits(),
        before in "[ 0-9A-Za-z$#.+-]{0,4}",
        after in "[ 0-9A-Za-z$#.+-]{0,4}",
    ) {
        // Whatever surrounds a PAN, an account number or a mobile number, whichever parser
        // is handed it, the error (and its Debug) never shows the whole value.
        for secret in [&pan, &account, &mobile] {
            let input = format!("{before}{secret}{after}");
            for result in parse_all(&input) {
                if let Err(err) = result {
                    let shown = format!("{err} {err:?}");
                    prop_assert!(!shown.contains(secret.as_str()), "{} shows {}", shown, secret);
                }
            }
        }
    }
}

/// Text that is nearly an e-mail address: letters that change length or form in lower case,
/// invisible characters, hyphens and dots where labels begin and end.
fn email_like() -> impl Strategy<Value = String> {
    "[aZİIıẞßΣς\u{FEFF}\u{200B}\u{0301}.+-]{0,6}@[aZİIıẞßΣςΑ\u{FEFF}\u{200B}\u{0301}0.-]{0,8}"
}

proptest! {
    #[test]
    fn every_email_that_parses_reads_back_as_itself(text in email_like()) {
        if let Ok(email) = text.parse::<Email>() {
            prop_assert_eq!(email.to_string().parse::<Email>(), Ok(email.clone()));
            let json = serde_json::to_string(&email).unwrap();
            prop_assert_eq!(serde_json::from_str::<Email>(&json).unwrap(), email);
        }
    }
}

/// serde's message for a value of the wrong type printed it whole (`invalid type: integer
/// `9876543210``): a mobile, account number or PAN read from a damaged record must not reach a
/// log. Every identifier's serde error names what was wrong, never the value.
#[test]
fn identifier_serde_errors_never_contain_the_value() {
    #[track_caller]
    fn check<T: DeserializeOwned + Debug>(json: &str, secret: &str) {
        let error = serde_json::from_str::<T>(json).unwrap_err().to_string();
        assert!(!error.contains(secret), "{json}: {error}");
    }
    for json in [
        "9876543210",
        "919876543210",
        "9876543210.5",
        "98765432109876543210987654321",
        "\"98765432101\"",
    ] {
        check::<Mobile>(json, "987654321");
    }
    for json in [
        "123456789012",
        "1234567890123456789012345",
        "\"1234567890123456789X\"",
    ] {
        check::<BankAccount>(json, "12345678");
    }
    check::<Pan>("[\"ABCPE1234F\"]", "ABCPE1234");
    check::<Gstin>("\"27AAPFU0939F1ZO\"", "AAPFU0939");
    check::<GstEnrolmentNumber>("271234567890123", "1234567890");
    assert_eq!(
        serde_json::from_str::<Mobile>("9876543210")
            .unwrap_err()
            .to_string(),
        "invalid type: a number, expected a mobile number as a string at line 1 column 10"
    );
    assert_eq!(
        serde_json::from_str::<Mobile>("\"9876543210\"")
            .unwrap()
            .expose(),
        "+919876543210"
    );
}
