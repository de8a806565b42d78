use haat_core::{Decimal, Error, Money};
use proptest::prelude::*;

#[track_caller]
fn check(input: &str, expected: Result<&str, Error>) {
    let parsed = input.parse::<Money>().map(|m| m.to_string());
    assert_eq!(parsed, expected.map(str::to_owned), "{input:?}");
}

#[test]
fn parses_amounts_as_people_type_them() {
    check("12000", Ok("12000.00"));
    check("₹12,000", Ok("12000.00"));
    check(" ₹ 1,20,000.5 ", Ok("120000.50"));
    check("rs.99", Ok("99.00"));
    check("INR 0.05", Ok("0.05"));
    check("-₹5", Ok("-5.00"));
    check("0", Ok("0.00"));
    check("", Err(Error::EmptyAmount));
    check("₹ ", Err(Error::EmptyAmount));
    check(
        "12.345",
        Err(Error::SubPaisa {
            input: "12.345".into(),
        }),
    );
    check(
        "1O0",
        Err(Error::InvalidAmountCharacter {
            character: 'O',
            position: 2,
        }),
    );
    check(
        "₹1.2.3",
        Err(Error::InvalidAmountCharacter {
            character: '.',
            position: 5,
        }),
    );
}

#[test]
fn rounding_is_half_away_from_zero() {
    let round = |mantissa: i64, scale: u32| Money::round_half_away(Decimal::new(mantissa, scale));
    assert_eq!(round(5, 3), Money::from_paise(1));
    assert_eq!(round(-5, 3), Money::from_paise(-1));
    assert_eq!(round(4, 3), Money::ZERO);
    assert_eq!(round(28_571_428, 5), Money::from_paise(28_571));
    assert_eq!(round(125, 3), Money::from_paise(13));
}

#[test]
fn serialises_as_a_string() {
    let price = Money::from_paise(1_200_000);
    assert_eq!(serde_json::to_string(&price).unwrap(), r#""12000.00""#);
    assert!(serde_json::from_str::<Money>(r#""12.001""#).is_err());
}

#[test]
fn checked_arithmetic_reports_overflow() {
    assert_eq!(Money::from_paise(i64::MAX).checked_mul(u64::MAX), None);
    assert_eq!(
        Money::from_rupees(1).checked_sub(Money::from_paise(1)),
        Some(Money::from_paise(99))
    );
    assert_eq!(
        Money::checked_sum([Money::from_paise(i64::MAX); 1]),
        Some(Money::from_paise(i64::MAX))
    );
}

proptest! {
    #[test]
    fn parser_never_panics(input in ".*") {
        let _ = input.parse::<Money>();
    }

    #[test]
    fn display_parse_and_serde_round_trip(paise in any::<i64>()) {
        let money = Money::from_paise(paise);
        prop_assert_eq!(money.to_string().parse::<Money>().unwrap(), money);
        let json = serde_json::to_string(&money).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
        prop_assert_eq!(money.paise(), i128::from(paise));
    }

    #[test]
    fn addition_and_subtraction_are_exact(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000) {
        let sum = Money::from_paise(a).checked_add(Money::from_paise(b)).unwrap();
        prop_assert_eq!(sum.paise(), i128::from(a) + i128::from(b));
        prop_assert_eq!(sum.checked_sub(Money::from_paise(b)).unwrap(), Money::from_paise(a));
    }

    #[test]
    fn rounding_is_within_half_a_paisa(mantissa in any::<i64>(), scale in 0u32..8) {
        let exact = Decimal::new(mantissa, scale);
        let rounded = Money::round_half_away(exact);
        let error = (rounded.amount() - exact).abs();
        prop_assert!(error <= Decimal::new(5, 3));
        prop_assert!(rounded.amount().scale() == 2);
    }
}
