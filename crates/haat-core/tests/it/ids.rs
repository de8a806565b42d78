use haat_core::{Actor, Error, SellerId, Sku, StaffId};
use proptest::prelude::*;

#[track_caller]
fn check_sku(input: &str, expected: Result<&str, Error>) {
    let parsed = input.parse::<Sku>();
    assert_eq!(
        parsed.as_ref().map(Sku::as_str),
        expected.as_ref().map(|s| *s),
        "{input:?}"
    );
}

/// `+42` was read as seller 42: an id is digits only.
#[test]
fn ids_with_a_sign_are_refused() {
    for text in ["+42", "-0", "+0", "4 2", "٤٢"] {
        assert_eq!(
            text.parse::<SellerId>(),
            Err(Error::InvalidId {
                kind: "seller",
                input: text.to_owned()
            }),
            "{text:?}"
        );
    }
    assert_eq!(" 42 ".parse::<SellerId>(), Ok(SellerId::new(42)));
}

#[test]
fn sku_parsing() {
    check_sku("TANT-001", Ok("TANT-001"));
    check_sku("  nadia/tant.01_b  ", Ok("nadia/tant.01_b"));
    check_sku("", Err(Error::EmptySku));
    check_sku(
        "TANT#1",
        Err(Error::InvalidSkuCharacter {
            character: '#',
            position: 5,
        }),
    );
    check_sku(
        "শাড়ি",
        Err(Error::InvalidSkuCharacter {
            character: 'শ',
            position: 1,
        }),
    );
}

#[test]
fn actor_serialises_tagged() {
    let json = |actor: Actor| serde_json::to_string(&actor).unwrap();
    assert_eq!(
        json(Actor::Seller(SellerId::new(4))),
        r#"{"kind":"seller","id":4}"#
    );
    assert_eq!(
        json(Actor::Operations(StaffId::new(2))),
        r#"{"kind":"operations","id":2}"#
    );
    assert_eq!(json(Actor::System), r#"{"kind":"system"}"#);
}

#[test]
fn authorisation_basics() {
    let seller = SellerId::new(1);
    assert!(Actor::Seller(seller).may_act_for(seller));
    assert!(!Actor::Seller(SellerId::new(2)).may_act_for(seller));
    assert!(Actor::Operations(StaffId::new(1)).may_act_for(seller));
    assert!(Actor::System.may_act_for(seller));
    assert!(!Actor::System.is_operations());
}

proptest! {
    #[test]
    fn sku_parser_never_panics(input in ".*") {
        let _ = input.parse::<Sku>();
    }

    #[test]
    fn sku_round_trips(raw in "[A-Za-z0-9._/-]{1,64}") {
        let sku: Sku = raw.parse().unwrap();
        prop_assert_eq!(sku.to_string(), raw.clone());
        let json = serde_json::to_string(&sku).unwrap();
        prop_assert_eq!(serde_json::from_str::<Sku>(&json).unwrap(), sku);
    }

    #[test]
    fn seller_id_round_trips(raw in any::<u64>()) {
        let id = SellerId::new(raw);
        prop_assert_eq!(id.to_string().parse::<SellerId>().unwrap(), id);
        prop_assert_eq!(serde_json::from_str::<SellerId>(&serde_json::to_string(&id).unwrap()).unwrap(), id);
    }

    #[test]
    fn actor_round_trips(kind in 0..3u8, raw in any::<u64>()) {
        let actor = match kind {
            0 => Actor::Seller(SellerId::new(raw)),
            1 => Actor::Operations(StaffId::new(raw)),
            _ => Actor::System,
        };
        let json = serde_json::to_string(&actor).unwrap();
        prop_assert_eq!(serde_json::from_str::<Actor>(&json).unwrap(), actor);
    }
}
