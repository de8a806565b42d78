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
    assert_eq!(round(5, 3), Some(Money::from_paise(1)));
    assert_eq!(round(-5, 3), Some(Money::from_paise(-1)));
    assert_eq!(round(4, 3), Some(Money::ZERO));
    assert_eq!(round(28_571_428, 5), Some(Money::from_paise(28_571)));
    assert_eq!(round(125, 3), Some(Money::from_paise(13)));
}

#[test]
fn serialises_as_a_string() {
    let price = Money::from_paise(1_200_000);
    assert_eq!(serde_json::to_string(&price).unwrap(), r#""12000.00""#);
    assert!(serde_json::from_str::<Money>(r#""12.001""#).is_err());
}

#[test]
fn amounts_beyond_ten_lakh_crore_crore_are_refused_not_kept() {
    let huge = "1000000000000000000000000000"; // ₹10²⁷
    let out_of_range = |input: &str| Error::AmountOutOfRange {
        input: input.into(),
    };
    check(huge, Err(out_of_range(huge)));
    check(
        "1000000000000000.01",
        Err(out_of_range("1000000000000000.01")),
    );
    check("-1000000000000001", Err(out_of_range("-1000000000000001")));
    check("1000000000000000", Ok("1000000000000000.00"));
    check("-₹1,00,00,00,00,00,00,000", Ok("-1000000000000000.00"));
    // Beyond what a `Decimal` holds, and far too long to echo whole.
    let long = "9".repeat(100);
    check(&long, Err(out_of_range(&format!("{}…", "9".repeat(40)))));
    assert!(serde_json::from_str::<Money>(&format!("\"{huge}\"")).is_err());
    assert!(Money::try_from_decimal(Decimal::from_str_exact(huge).unwrap()).is_err());
    assert_eq!(Money::try_from_paise(-(10_i128.pow(17)) - 1), None);
    assert_eq!(Money::round_half_away(Decimal::MAX), None);
    assert_eq!(Money::from_paise(i64::MIN), Money::MIN);
    assert_eq!(Money::from_rupees(i64::MAX), Money::MAX);
    assert_eq!(Money::MAX.paise(), 10_i128.pow(17));
    assert_eq!(Money::MIN.abs(), Money::MAX);
}

#[test]
fn checked_add_at_the_limit_fails_instead_of_rounding() {
    let paisa = Money::from_paise(1);
    assert_eq!(Money::MAX.checked_add(Money::ZERO), Some(Money::MAX));
    assert_eq!(Money::MAX.checked_add(paisa), None);
    assert_eq!(Money::MIN.checked_sub(paisa), None);
    assert_eq!(
        Money::MAX.checked_sub(paisa).unwrap().paise(),
        10_i128.pow(17) - 1
    );
    assert_eq!(Money::MAX.checked_mul(1), Some(Money::MAX));
    assert_eq!(Money::MAX.checked_mul(2), None);
    assert_eq!(Money::MAX.mul_rounded(Decimal::new(1001, 3)), None);
    assert_eq!(Money::checked_sum([Money::MAX, paisa, Money::MIN]), None);
}

#[test]
fn commas_must_group_digits() {
    check("4,20,000", Ok("420000.00"));
    check("1,00,00,000", Ok("10000000.00"));
    check("420,000", Ok("420000.00"));
    check("10,000,000.50", Ok("10000000.50"));
    check("₹12,34,567", Ok("1234567.00"));
    check("1,000", Ok("1000.00"));
    let misplaced = |position| Err(Error::InvalidAmountGrouping { position });
    check("₹4,20,,00000", misplaced(7));
    check("1,2,3", misplaced(2));
    check("3,", misplaced(2));
    check(",3", misplaced(1));
    check("3,.50", misplaced(2));
    check("12,0000", misplaced(3));
    check("123,45,678", misplaced(4));
    check("1,234,56,789", misplaced(9));
    check("1234,567", misplaced(5));
    check("- rs 1,0,000", misplaced(7));
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
    fn display_parse_and_serde_round_trip(paise in -100_000_000_000_000_000i64..=100_000_000_000_000_000) {
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

    /// The range check's shortcut for amounts at two decimal places answers what comparing
    /// the decimals answers, at and around both ends of the range, down to how the sum prints.
    #[test]
    fn sums_agree_with_decimal_arithmetic_up_to_the_ends_of_the_range(
        a in prop_oneof![
            -100_000_000_000_000_000i64..=100_000_000_000_000_000,
            (99_999_999_999_999_990i64..=100_000_000_000_000_000),
            (-100_000_000_000_000_000i64..=-99_999_999_999_999_990),
        ],
        b in -3i64..=3,
        far in any::<bool>(),
    ) {
        let b = if far { b * 40_000_000_000_000_000 } else { b };
        let (a, b) = (Money::from_paise(a), Money::from_paise(b));
        for (got, exact) in [
            (a.checked_add(b), a.amount() + b.amount()),
            (a.checked_sub(b), a.amount() - b.amount()),
        ] {
            let expected = (exact.abs() <= Money::MAX.amount()).then(|| exact.to_string());
            prop_assert_eq!(got.map(|m| m.amount().to_string()), expected);
        }
    }

    #[test]
    fn rounding_is_within_half_a_paisa(mantissa in any::<i64>(), scale in 0u32..8) {
        let exact = Decimal::new(mantissa, scale);
        let Some(rounded) = Money::round_half_away(exact) else {
            prop_assert!(exact.abs() > Money::MAX.amount());
            return Ok(());
        };
        let error = (rounded.amount() - exact).abs();
        prop_assert!(error <= Decimal::new(5, 3));
        prop_assert!(rounded.amount().scale() == 2);
    }
}

/// Amount text as people and damaged files write it: digits with commas and a point anywhere,
/// signs, currency marks, and lengths far past the range.
fn amount_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(₹|Rs\\.|INR )?[0-9,]{0,30}(\\.[0-9]{0,3})?",
        "[0-9]{1,40}",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<i128>().prop_map(|n| n.to_string()),
    ]
}

proptest! {
    #[test]
    fn any_amount_that_parses_computes_and_round_trips(text in amount_text(), other in amount_text(), quantity in any::<u64>(), rate in any::<i64>(), scale in 0u32..10) {
        let Ok(money) = text.parse::<Money>() else { return Ok(()); };
        let other = other.parse::<Money>().unwrap_or(Money::MAX);
        prop_assert!(money.paise().abs() <= 10_i128.pow(17));
        prop_assert_eq!(money.to_string().parse::<Money>(), Ok(money));
        let json = serde_json::to_string(&money).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
        for result in [
            money.checked_add(other),
            money.checked_sub(other),
            money.checked_mul(quantity),
            money.mul_rounded(Decimal::new(rate, scale)),
            Money::checked_sum([money, other, money]),
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(result.paise().abs() <= 10_i128.pow(17));
            prop_assert_eq!(result.to_string().parse::<Money>(), Ok(result));
        }
        if let Some(sum) = money.checked_add(other) {
            prop_assert_eq!(sum.paise(), money.paise() + other.paise());
        } else {
            prop_assert!((money.paise() + other.paise()).abs() > 10_i128.pow(17));
        }
        match money.checked_mul(quantity) {
            Some(product) => prop_assert_eq!(product.paise(), money.paise() * i128::from(quantity)),
            None => prop_assert!((money.paise() * i128::from(quantity)).abs() > 10_i128.pow(17)),
        }
    }

    #[test]
    fn any_amount_that_deserialises_is_in_range(text in amount_text()) {
        if let Ok(money) = serde_json::from_str::<Money>(&serde_json::to_string(&text).unwrap()) {
            prop_assert!(money.abs() <= Money::MAX);
            prop_assert_eq!(money.amount().scale(), 2);
        }
    }
}
