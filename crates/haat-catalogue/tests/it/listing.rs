//! The listing aggregate, given / when / then.

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_catalogue::{
    AttributeValue, Catalogue, Error, ListingCommand as C, ListingEvent as E, ListingStatus,
    RevisionStage, Taxonomy,
};
use haat_core::{Actor, Decimal, ListingId, Money, SellerId, StaffId};
use proptest::prelude::*;

use crate::quality::{saree, tea};

const L: ListingId = ListingId::new(1);
const SELLER: SellerId = SellerId::new(7);
const ME: Actor = Actor::Seller(SELLER);
const OTHER: Actor = Actor::Seller(SellerId::new(8));
const OPS: Actor = Actor::Operations(StaffId::new(3));

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 30, 0).unwrap()
}

fn create() -> C {
    C::CreateDraft {
        actor: ME,
        listing: L,
        seller: SELLER,
        content: saree(),
    }
}

/// Runs commands through a fresh catalogue, failing on any refusal.
fn given(commands: &[C]) -> Catalogue {
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    for (i, command) in commands.iter().enumerate() {
        catalogue
            .execute(command, t0() + Duration::minutes(i as i64))
            .unwrap_or_else(|e| panic!("given command {i} refused: {e}"));
    }
    catalogue
}

fn submit() -> C {
    C::SubmitForReview {
        actor: ME,
        listing: L,
    }
}
fn pass() -> C {
    C::PassReview {
        actor: OPS,
        listing: L,
    }
}
fn activate() -> C {
    C::Activate {
        actor: ME,
        listing: L,
    }
}
fn live() -> Vec<C> {
    vec![create(), submit(), pass(), activate()]
}

#[track_caller]
fn then_events(given_commands: &[C], when: C, kinds: &[&str]) -> Catalogue {
    let mut catalogue = given(given_commands);
    let events = catalogue
        .decide(&when, t0() + Duration::hours(1))
        .unwrap_or_else(|e| panic!("refused: {e}"));
    let got: Vec<_> = events.iter().map(E::kind).collect();
    assert_eq!(got, kinds);
    for e in &events {
        assert_eq!((e.listing(), e.seller()), (L, SELLER));
        assert_eq!(e.at(), t0() + Duration::hours(1));
        assert_eq!(e.actor(), when.actor());
    }
    catalogue.apply_all(&events);
    catalogue
}

#[track_caller]
fn then_refused(given_commands: &[C], when: C, expected: impl Fn(&Error) -> bool) {
    let catalogue = given(given_commands);
    match catalogue.decide(&when, t0() + Duration::hours(1)) {
        Ok(events) => panic!("expected a refusal, got {events:?}"),
        Err(e) => assert!(expected(&e), "unexpected error: {e}"),
    }
}

#[test]
fn the_happy_path() {
    let c = then_events(&[], create(), &["draft_created"]);
    assert_eq!(c.get(L).unwrap().status(), ListingStatus::Draft);
    let c = then_events(&[create()], submit(), &["submitted_for_review"]);
    assert!(matches!(
        c.get(L).unwrap().stage(),
        Some(RevisionStage::InReview { .. })
    ));
    let c = then_events(&[create(), submit()], pass(), &["review_passed"]);
    assert_eq!(c.get(L).unwrap().status(), ListingStatus::Approved);
    assert_eq!(c.get(L).unwrap().live(), Some(&saree()));
    let c = then_events(&[create(), submit(), pass()], activate(), &["activated"]);
    assert!(c.get(L).unwrap().is_active());
    let c = then_events(
        &live(),
        C::Deactivate {
            actor: OPS,
            listing: L,
        },
        &["deactivated"],
    );
    assert_eq!(c.get(L).unwrap().status(), ListingStatus::Inactive);
    let mut inactive = live();
    inactive.push(C::Deactivate {
        actor: ME,
        listing: L,
    });
    then_events(&inactive, activate(), &["activated"]);
    let c = then_events(
        &live(),
        C::Archive {
            actor: ME,
            listing: L,
        },
        &["archived"],
    );
    assert_eq!(c.get(L).unwrap().status(), ListingStatus::Archived);
}

#[test]
fn failing_checks_are_recorded_with_every_issue() {
    let mut bad = saree();
    bad.title = "SALE!".into();
    bad.images.clear();
    let c = then_events(
        &[C::CreateDraft {
            actor: ME,
            listing: L,
            seller: SELLER,
            content: bad,
        }],
        submit(),
        &["quality_check_failed"],
    );
    let Some(RevisionStage::ChecksFailed { report }) = c.get(L).unwrap().stage() else {
        panic!()
    };
    assert!(report.issues().len() >= 3);
    // It may be fixed and resubmitted.
    then_events(
        &[
            C::CreateDraft {
                actor: ME,
                listing: L,
                seller: SELLER,
                content: {
                    let mut b = saree();
                    b.title = "SALE!".into();
                    b
                },
            },
            submit(),
            C::EditContent {
                actor: ME,
                listing: L,
                content: saree(),
            },
        ],
        submit(),
        &["submitted_for_review"],
    );
}

#[test]
fn rejection_needs_reasons_and_allows_resubmission() {
    let c = then_events(
        &[create(), submit()],
        C::RejectReview {
            actor: OPS,
            listing: L,
            reasons: vec!["photos blurred".into()],
        },
        &["review_rejected"],
    );
    assert!(matches!(
        c.get(L).unwrap().stage(),
        Some(RevisionStage::Rejected { .. })
    ));
    then_refused(
        &[create(), submit()],
        C::RejectReview {
            actor: OPS,
            listing: L,
            reasons: vec!["  ".into()],
        },
        |e| matches!(e, Error::NoRejectionReason { .. }),
    );
    then_events(
        &[
            create(),
            submit(),
            C::RejectReview {
                actor: OPS,
                listing: L,
                reasons: vec!["x".into()],
            },
        ],
        submit(),
        &["submitted_for_review"],
    );
}

#[test]
fn editing_a_live_listing_keeps_it_live_until_the_revision_passes() {
    let mut revised = saree();
    revised.title = "Handwoven Shantipuri cotton saree, red and gold".into();
    let edit = C::EditContent {
        actor: ME,
        listing: L,
        content: revised.clone(),
    };
    let c = then_events(&live(), edit.clone(), &["content_edited"]);
    let listing = c.get(L).unwrap();
    assert!(listing.is_active());
    assert_eq!(listing.live(), Some(&saree()));
    assert_eq!(listing.content(), &revised);
    let mut commands = live();
    commands.extend([edit, submit()]);
    let c = then_events(&commands, pass(), &["review_passed"]);
    let listing = c.get(L).unwrap();
    assert!(listing.is_active());
    assert_eq!(listing.live(), Some(&revised));
    assert_eq!(listing.stage(), None);
}

#[test]
fn price_edits_apply_to_the_live_version_at_once() {
    let c = then_events(
        &live(),
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(2_300),
            mrp: Some(Money::from_rupees(2_800)),
        },
        &["price_changed"],
    );
    assert_eq!(
        c.get(L).unwrap().live().unwrap().price,
        Money::from_rupees(2_300)
    );
    then_refused(
        &live(),
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(3_000),
            mrp: Some(Money::from_rupees(2_800)),
        },
        |e| matches!(e, Error::InvalidPrice { .. }),
    );
    then_refused(
        &live(),
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::ZERO,
            mrp: None,
        },
        |e| matches!(e, Error::InvalidPrice { .. }),
    );
    then_refused(
        &live(),
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(2_450),
            mrp: Some(Money::from_rupees(2_800)),
        },
        |e| matches!(e, Error::Unchanged { .. }),
    );
    let tea_draft = C::CreateDraft {
        actor: ME,
        listing: L,
        seller: SELLER,
        content: tea(),
    };
    then_refused(
        &[tea_draft],
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(600),
            mrp: None,
        },
        |e| matches!(e, Error::InvalidPrice { .. }),
    );
}

/// A new MRP for packaged goods would leave the declared unit sale price (₹2.80 per g for
/// ₹700 and 250 g) wrong: it comes with an edit of the declarations, not a price edit.
#[test]
fn a_price_edit_keeps_the_declared_unit_sale_price_true() {
    let tea_draft = C::CreateDraft {
        actor: ME,
        listing: L,
        seller: SELLER,
        content: tea(),
    };
    then_refused(
        std::slice::from_ref(&tea_draft),
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(650),
            mrp: Some(Money::from_rupees(800)),
        },
        |e| matches!(e, Error::InvalidPrice { reason, .. } if reason.contains("₹3.20 per g")),
    );
    then_events(
        &[tea_draft],
        C::EditPrice {
            actor: ME,
            listing: L,
            price: Money::from_rupees(600),
            mrp: Some(Money::from_rupees(700)),
        },
        &["price_changed"],
    );
}

#[test]
fn refusals() {
    let forbidden = |e: &Error| matches!(e, Error::Forbidden { .. });
    let invalid = |e: &Error| matches!(e, Error::InvalidTransition { .. });
    // Only the owning seller creates and edits.
    then_refused(
        &[],
        C::CreateDraft {
            actor: OTHER,
            listing: L,
            seller: SELLER,
            content: saree(),
        },
        forbidden,
    );
    then_refused(
        &[],
        C::CreateDraft {
            actor: OPS,
            listing: L,
            seller: SELLER,
            content: saree(),
        },
        forbidden,
    );
    then_refused(
        &[create()],
        C::EditContent {
            actor: OTHER,
            listing: L,
            content: tea(),
        },
        forbidden,
    );
    then_refused(
        &[create()],
        C::EditContent {
            actor: OPS,
            listing: L,
            content: tea(),
        },
        forbidden,
    );
    then_refused(
        &[create()],
        C::EditPrice {
            actor: OTHER,
            listing: L,
            price: Money::from_rupees(1),
            mrp: None,
        },
        forbidden,
    );
    then_refused(
        &[create()],
        C::SubmitForReview {
            actor: OTHER,
            listing: L,
        },
        forbidden,
    );
    // Reviews are operations-only.
    then_refused(
        &[create(), submit()],
        C::PassReview {
            actor: ME,
            listing: L,
        },
        forbidden,
    );
    then_refused(
        &[create(), submit()],
        C::PassReview {
            actor: Actor::System,
            listing: L,
        },
        forbidden,
    );
    then_refused(
        &[create(), submit()],
        C::RejectReview {
            actor: ME,
            listing: L,
            reasons: vec!["x".into()],
        },
        forbidden,
    );
    // Another seller may not take my listing down.
    then_refused(
        &live(),
        C::Deactivate {
            actor: OTHER,
            listing: L,
        },
        forbidden,
    );
    then_refused(
        &live(),
        C::Archive {
            actor: OTHER,
            listing: L,
        },
        forbidden,
    );
    // Status.
    then_refused(&[create()], activate(), invalid);
    then_refused(&[create()], pass(), invalid);
    then_refused(&[create(), submit()], submit(), invalid);
    then_refused(&live(), submit(), invalid);
    then_refused(&live(), activate(), invalid);
    then_refused(
        &[create()],
        C::Deactivate {
            actor: ME,
            listing: L,
        },
        invalid,
    );
    let mut archived = live();
    archived.push(C::Archive {
        actor: ME,
        listing: L,
    });
    then_refused(&archived, activate(), invalid);
    then_refused(
        &archived,
        C::EditContent {
            actor: ME,
            listing: L,
            content: tea(),
        },
        invalid,
    );
    then_refused(
        &archived,
        C::Archive {
            actor: ME,
            listing: L,
        },
        invalid,
    );
    // Identity.
    then_refused(&[create()], create(), |e| {
        matches!(e, Error::ListingExists { .. })
    });
    then_refused(
        &[create()],
        C::CreateDraft {
            actor: ME,
            listing: ListingId::new(2),
            seller: SELLER,
            content: saree(),
        },
        |e| matches!(e, Error::DuplicateSku { .. }),
    );
    then_refused(
        &[create()],
        C::EditContent {
            actor: ME,
            listing: L,
            content: tea(),
        },
        |e| matches!(e, Error::SkuChanged { .. }),
    );
    then_refused(
        &[create()],
        C::EditContent {
            actor: ME,
            listing: L,
            content: saree(),
        },
        |e| matches!(e, Error::Unchanged { .. }),
    );
    then_refused(&[], submit(), |e| matches!(e, Error::UnknownListing { .. }));
    // The same SKU under another seller is fine.
    let other_seller = SellerId::new(8);
    given(&[
        create(),
        C::CreateDraft {
            actor: OTHER,
            listing: ListingId::new(2),
            seller: other_seller,
            content: saree(),
        },
    ]);
}

fn arb_command() -> impl Strategy<Value = C> {
    let actor = prop::sample::select(vec![ME, OTHER, OPS, Actor::System]);
    let listing = prop::sample::select(vec![L, ListingId::new(2)]);
    (actor, listing, 0u8..9, any::<bool>()).prop_map(|(actor, listing, kind, flip)| match kind {
        0 => C::CreateDraft {
            actor,
            listing,
            seller: SELLER,
            content: if flip { saree() } else { tea() },
        },
        1 => C::EditContent {
            actor,
            listing,
            content: {
                let mut c = saree();
                if flip {
                    c.title = "SALE!".into();
                }
                c
            },
        },
        2 => C::EditPrice {
            actor,
            listing,
            price: Money::from_rupees(if flip { 2_000 } else { 2_100 }),
            mrp: Some(Money::from_rupees(2_800)),
        },
        3 => C::SubmitForReview { actor, listing },
        4 => C::PassReview { actor, listing },
        5 => C::RejectReview {
            actor,
            listing,
            reasons: vec!["blurred".into()],
        },
        6 => C::Activate { actor, listing },
        7 => C::Deactivate { actor, listing },
        _ => C::Archive { actor, listing },
    })
}

proptest! {
    #[test]
    fn replay_equals_state(commands in prop::collection::vec(arb_command(), 0..40)) {
        let taxonomy = std::sync::Arc::new(Taxonomy::west_bengal_default());
        let mut catalogue = Catalogue::new(taxonomy.clone());
        let mut log = Vec::new();
        for (i, command) in commands.iter().enumerate() {
            let before: Vec<_> = catalogue.listings().cloned().collect();
            match catalogue.decide(command, t0() + Duration::minutes(i as i64)) {
                Ok(events) => { catalogue.apply_all(&events); log.extend(events); }
                Err(_) => {
                    let after: Vec<_> = catalogue.listings().cloned().collect();
                    prop_assert_eq!(before, after);
                }
            }
        }
        let replayed = Catalogue::replay(taxonomy, &log);
        let a: Vec<_> = catalogue.listings().cloned().collect();
        let b: Vec<_> = replayed.listings().cloned().collect();
        prop_assert_eq!(&a, &b);
        for listing in &a {
            let own: Vec<_> = log.iter().filter(|e| e.listing() == listing.id()).cloned().collect();
            let replayed_one = haat_catalogue::Listing::replay(&own);
            prop_assert_eq!(replayed_one.as_ref(), Some(listing));
            // An active listing always has an approved version.
            prop_assert!(!listing.is_active() || listing.live().is_some());
        }
    }
}

/// A price of ₹10²⁷ once deserialised into a draft, and `decide(SubmitForReview)` then
/// overflowed `Money::paise`. Such a command is refused when read; a draft at the largest
/// price there is is decided on without a panic.
#[test]
fn prices_beyond_the_money_range_never_reach_submit_for_review() {
    let json = serde_json::to_string(&create())
        .unwrap()
        .replace("2450.00", "1000000000000000000000000000");
    let error = serde_json::from_str::<C>(&json).unwrap_err();
    assert!(error.to_string().contains("out of range"), "{error}");

    let mut content = saree();
    content.price = Money::MAX;
    content.mrp = Some(Money::MAX);
    let catalogue = given(&[C::CreateDraft {
        actor: ME,
        listing: L,
        seller: SELLER,
        content,
    }]);
    let events = catalogue
        .decide(&submit(), t0() + Duration::hours(1))
        .unwrap();
    assert_eq!(
        events.iter().map(E::kind).collect::<Vec<_>>(),
        ["submitted_for_review"]
    );
}

/// An attribute number finer than a 64-bit float was once stored as one, so the listing
/// replayed from stored events differed from the listing decided on.
#[test]
fn attribute_numbers_beyond_f64_precision_replay_as_decided() {
    let fine: Decimal = "5.500000000000000001".parse().unwrap();
    let mut content = saree();
    content
        .attributes
        .insert("length_m".to_owned(), AttributeValue::Number(fine));
    let mut live = given(&[]);
    let command = C::CreateDraft {
        actor: ME,
        listing: L,
        seller: SELLER,
        content,
    };
    let events = live.decide(&command, t0()).unwrap();
    live.apply_all(&events);
    let stored = serde_json::to_string(&events).unwrap();
    let read: Vec<E> = serde_json::from_str(&stored).unwrap();
    let replayed = Catalogue::replay(Taxonomy::west_bengal_default(), &read);
    assert_eq!(replayed.get(L), live.get(L));
    assert_eq!(
        replayed.get(L).unwrap().content().attributes["length_m"],
        AttributeValue::Number(fine)
    );
}

proptest! {
    #[test]
    fn attribute_numbers_round_trip_through_json_exactly(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(), negative in any::<bool>(), scale in 0u32..=28) {
        let value = AttributeValue::Number(Decimal::from_parts(lo, mid, hi, negative, scale));
        let json = serde_json::to_string(&value).unwrap();
        prop_assert_eq!(serde_json::from_str::<AttributeValue>(&json).unwrap(), value);
    }
}
